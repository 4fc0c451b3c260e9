// The answer card: what the answer means (the core's interpretation), whether it was billed, what
// to do next, the trace. The same card shows a past answer from the history and a pasted one
// (diagnose.js).

import { state, update } from './state.js';
import { $, t, pick, el, formatTime, eventTime, billedLabel, billedText, copyText, focusResult }
  from './ui.js';
import { carrierLabel, scenarioById, scenarioTitle } from './core.js';
import { DEMO_APPCODE } from './endpoint.js';
import { appcodeOffer } from './appcode.js';

// Where a package is renewed: the market console's list of purchased services.
const ALIYUN_PURCHASED = 'https://market.console.aliyun.com/';

let sendAnyway = () => {};

// sendAnyway(): 仍然发送 on a number stopped here (developer mode), the form's (lent by app.js).
export function initResult(actions) {
  sendAnyway = actions.sendAnyway;
}

function definition(term, ...value) {
  return [el('dt', { text: term }), el('dd', {}, ...value)];
}

export function renderResult() {
  const section = $('result');
  const body = $('result-body');
  const call = state.lastCall;
  if (!call) {
    section.hidden = true;
    body.replaceChildren();
    return;
  }
  section.hidden = false;
  if (call.pending) {
    body.replaceChildren(el('p', { className: 'sending', role: 'status', text: t('result.sending') }));
    return;
  }
  renderAnswer(body, call);
  if (call.past) {
    const time = formatTime(call.past);
    const notice = el('p', { className: 'past-notice', text: t('history.past', { time }) });
    body.querySelector('article').prepend(notice);
  }
}

function renderAnswer(body, call) {
  if (call.local) {
    // Nothing was sent: the catalogue's explanation describes a real answer ("本次已扣次数"), so
    // the card says conditionally what the API would have done, once.
    const a = call.validation.answer;
    body.replaceChildren(el('article', { className: 'answer answer-local', dataset: { scenario: a.id } },
      el('p', { className: 'state', text: pick(a.title) }),
      el('p', { className: 'badges' },
        el('span', { className: 'badge badge-local', text: t('result.local') }),
        el('span', { className: 'badge billed-not_billed', text: billedLabel('not_billed') })),
      el('p', { className: 'explanation would' },
        t(a.billed ? 'result.would_billed' : 'result.would_not_billed', { status: a.http_status }),
        el('q', { className: 'msg', text: a.msg }), t('result.blocked')),
      el('h3', { text: t('result.action') }),
      el('p', { className: 'action', text: pick(a.action) }),
      state.dev ? el('button', {
        type: 'button', id: 'send-anyway', onclick: () => sendAnyway(), text: t('precheck.send_anyway'),
      }) : null));
    return;
  }
  const o = call.outcome;
  const source = call.source || {};
  // On the demo an unknown AppCode is no sign the person's AppCode is wrong: the demo knows its own.
  const typedAppcode = $('appcode').value.trim();
  const demoAppcode = source.demo && !source.scenario && o.state === 'appcode_invalid'
    && Boolean(typedAppcode)
    && typedAppcode !== DEMO_APPCODE;
  const explanation = demoAppcode ? t('demo.appcode_explanation', { demo: DEMO_APPCODE })
    : pick(o.explanation);
  const action = demoAppcode ? t('demo.appcode_action') : pick(o.action);
  // The vendor's status only where it means something: a failure does not carry "status 0 · 暂无轨迹".
  const statusText = o.raw_status === null || o.ok !== 1 ? null
    : `${t('result.status', { status: o.raw_status })}${o.status_label ? ` · ${pick(o.status_label)}` : ''}`;
  const facts = [];
  if (o.msg) facts.push(...definition(t('result.msg'), el('span', { className: 'msg', text: o.msg })));
  if (o.carrier_name) {
    const carrier = el('span', { className: 'carrier', text: carrierLabel(o.carrier_name) });
    facts.push(...definition(t('result.carrier'), carrier));
  }
  // The number as typed: the API's own copy is masked (786270****58).
  facts.push(...definition(t('result.typed'),
    el('span', { className: 'typed-number', text: call.typed ?? call.params.kddh })));
  if (o.tracking_number) {
    facts.push(...definition(t('result.number'),
      el('span', { className: 'number', text: o.tracking_number })));
  }
  // Numbers for whoever checks the call, folded away from the ops view.
  const tech = [];
  if (!call.past) {
    const ms = Math.round(call.duration);
    tech.push(...definition(t('result.duration'),
      el('span', { className: 'duration', text: t('result.ms', { ms }) })));
  }
  if (o.request_id) {
    tech.push(...definition(t('result.request_id'),
      el('code', { className: 'request-id', text: o.request_id })));
  }
  if (o.error_code || o.error_message) {
    const text = [o.error_code, o.error_message].filter(Boolean).join(' ');
    tech.push(...definition(t('result.gateway_error'), el('code', { text })));
  }
  const basis = confidenceOf(o, call.answer?.headers);
  const latest = o.events[0];
  const subtitle = latest
    ? el('p', { className: 'latest' }, el('time', { text: eventTime(latest) }), ' ', latest.content) : null;
  const steps = nextSteps(o, source, call);
  const events = o.events.length
    ? el('ol', { className: 'timeline' }, o.events.map((e) => el('li',
      { className: `event${e.stage ? ` stage-${e.stage}` : ''}` },
      el('time', { className: 'event-time', text: eventTime(e) }),
      e.stage_label ? el('span', { className: 'tag', text: pick(e.stage_label) }) : null,
      el('p', { className: 'event-content', text: e.content }))))
    : el('p', { className: 'hint', text: t('result.no_events') });
  body.replaceChildren(el('article', {
    className: `answer state-${o.state}${source.demo ? ' answer-demo' : ''}`,
    dataset: { state: o.state, matched: o.matched || '', source: source.demo ? 'demo' : 'real' },
  },
    el('p', { className: 'state', text: pick(o.state_label) }),
    subtitle,
    source.demo ? el('p', { className: 'demo-notice', role: 'note' },
      el('span', { className: 'tag tag-demo', text: t('demo.tag') }), ' ', t('result.demo_notice')) : null,
    source.scenario ? el('p', { className: 'scenario-used' },
      el('span', {
        className: 'tag tag-scenario', text: t('scenario.used', { title: scenarioTitle(source.scenario) }),
      })) : null,
    demoAppcode ? appcodeOffer() : null,
    el('p', { className: 'badges' },
      el('span', { className: `badge billed billed-${o.billed}`, text: billedText(o.billed, source.demo) })),
    el('dl', { className: 'facts' }, facts),
    el('h3', { text: t('result.explanation') }),
    el('p', { className: 'explanation', text: explanation }),
    basis ? el('p', { className: 'hint basis', dataset: { confidence: basis }, text: t(`basis.${basis}`) })
      : null,
    el('h3', { text: t('result.action') }),
    el('p', { className: 'action', text: action }),
    steps.length ? el('p', { className: 'row next-steps' }, steps) : null,
    el('details', { className: 'tech', open: state.dev },
      el('summary', { text: t('result.tech') }),
      el('p', { className: 'badges' },
        el('span', {
          className: 'badge http',
          text: o.http_status ? t('result.http', { status: o.http_status }) : t('result.no_http'),
        }),
        statusText ? el('span', { className: 'badge raw-status', text: statusText }) : null),
      el('dl', { className: 'facts' }, tech)),
    o.notes.length ? el('h3', { text: t('result.notes') }) : null,
    o.notes.length ? el('ul', { className: 'notes' }, o.notes.map((n) => el('li', { text: pick(n) }))) : null,
    // A trace section only where a trace can be: answers with ok:1.
    o.events.length || o.ok === 1 ? el('h3', { text: t('result.events') }) : null,
    o.events.length || o.ok === 1 ? events : null));
}

// What a person can do next, as buttons: fill in the phone tail, renew the package, copy the id.
function nextSteps(o, source, call) {
  const steps = [];
  const tailNeeded = call.validation?.advisories?.some((a) => a.kind === 'phone_tail_needed');
  if (tailNeeded && !call.params.tel && ['no_record', 'bad_number'].includes(o.state)) {
    steps.push(el('button', {
      type: 'button',
      className: 'step-tel',
      text: t('step.tel'),
      onclick: () => {
        $('tel').focus();
        $('form-status').textContent = t('step.tel_hint');
      },
    }));
  }
  if (o.state === 'quota_used_up' && !source.demo) {
    steps.push(el('a', {
      className: 'step-renew button-link',
      href: ALIYUN_PURCHASED,
      target: '_blank',
      rel: 'noopener noreferrer',
      text: t('step.renew'),
    }));
  }
  if (o.request_id) {
    const button = el('button', { type: 'button', className: 'step-copy-id', text: t('step.copy_id') });
    button.addEventListener('click', () => copyText(o.request_id, button));
    steps.push(button);
  }
  return steps;
}

// A pasted answer (diagnose.js) on the live call's card; `past` leaves out the duration a paste
// does not have.
export function renderPastedCard(container, answer, outcome, typed) {
  renderAnswer(container,
    { local: false, past: true, params: {}, answer, outcome, source: {}, typed: typed ?? '—' });
}

// The last answer of a history entry, shown again without a new call (and without paying).
export function showPast(entry) {
  update({
    recent: null,
    lastCall: {
      local: false,
      params: { kddh: entry.number, ...(entry.code ? { code: entry.code } : {}) },
      validation: null,
      source: { demo: entry.demo, scenario: entry.scenario },
      outcome: entry.outcome,
      duration: 0,
      past: entry.when,
    },
  });
  focusResult();
}

// How sure the catalogue is of a recognised gateway answer, in the generation that sent it: a VPC
// gateway sends X-Ca-Error-Code, or names itself Kaede where a row has no code; null for the
// vendor's answers and for a status read alone.
function confidenceOf(outcome, headers = []) {
  const s = outcome.matched && scenarioById(outcome.matched);
  if (!s || s.source !== 'gateway') return null;
  const server = headers.find(([name]) => name.toLowerCase() === 'server')?.[1] || '';
  const vpc = Boolean(outcome.error_code) || /^kaede/i.test(server);
  return (vpc ? s.vpc : s.classic)?.confidence || null;
}
