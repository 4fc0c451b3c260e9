// 粘贴诊断 and 检查 AppCode. A pasted answer is read by the core (paste.hpp), explained by the same
// interpretation as a live call and shown on the live call's card; the AppCode check is one call
// the vendor refuses unbilled (no tracking number → HTTP 666), which only comes back when the
// gateway accepted the AppCode and the package is active with calls left.
// Everything is drawn with textContent: pasted text is never parsed as HTML.

import { labels } from './i18n.js';
import { diagnoseLabels } from './diagnose_i18n.js';
import { state } from './state.js';
import { $, t, pick, el, fill } from './ui.js';
import { scenarioTitle } from './core.js';
import { appcodeCheckCall } from './endpoint.js';
import { renderPastedCard } from './result.js';

for (const lang of Object.keys(diagnoseLabels)) Object.assign(labels[lang], diagnoseLabels[lang]);

let placed = false;  // the section is drawn by initDiagnose
let lastPaste = null;  // the core's readPaste() result
let lastCheck = null;  // { pending } | { answer, outcome, url, demo }

// The 2xx answers are the billed ones; 666 is the vendor's unbilled refusal.
const verdictOf = (outcome) => {
  const status = outcome.http_status;
  if (status === 0) return 'unreachable';
  if (status === 666) return 'works';
  if (status >= 200 && status < 300) return 'billed';
  const appcodeCause = !outcome.matched || ['appcode_invalid', 'auth_missing'].includes(outcome.matched);
  if ((status === 400 || status === 401) && appcodeCause) return 'wrong';
  if (status === 403) return 'refused';
  return 'other';
};

function section() {
  const label = (tag, key, props = {}) => el(tag, { ...props, dataset: { i18n: key }, text: t(key) });
  return el('section', { className: 'card diagnose', id: 'diagnose', 'aria-labelledby': 'diagnose-title' },
    label('h2', 'diagnose.title', { id: 'diagnose-title' }),
    label('h3', 'check.title', { id: 'check-title' }),
    label('p', 'check.intro', { className: 'hint', id: 'check-intro' }),
    el('div', { className: 'row' },
      label('button', 'check.button',
        { type: 'button', id: 'check-appcode', 'aria-describedby': 'check-intro' })),
    el('div', { id: 'check-result', role: 'status' }),
    label('h3', 'paste.title', { id: 'paste-title' }),
    label('p', 'paste.intro', { className: 'hint', id: 'paste-intro' }),
    el('div', { className: 'field' },
      label('label', 'paste.label', { for: 'paste-text' }),
      el('textarea', {
        id: 'paste-text', rows: 8, spellcheck: 'false', autocomplete: 'off', autocapitalize: 'off',
        'aria-describedby': 'paste-intro',
        dataset: { i18nPlaceholder: 'paste.placeholder' },
        placeholder: t('paste.placeholder'),
      })),
    el('div', { className: 'row' },
      label('button', 'paste.button', { type: 'button', id: 'paste-diagnose' }),
      label('button', 'paste.clear', { type: 'button', id: 'paste-clear' })),
    el('div', { id: 'paste-result' }));
}

export function initDiagnose() {
  placed = true;
  const node = section();
  const after = $('history') || $('batch');
  if (after) after.after(node);
  else document.querySelector('main').append(node);
  const nav = document.querySelector('.top-nav');
  const historyLink = nav?.querySelector('a[href="#history"]');
  const link = el('a',
    { href: '#diagnose', dataset: { i18n: 'nav.diagnose' }, text: t('nav.diagnose') });
  if (historyLink) historyLink.after(link);
  else nav?.append(link);
  $('paste-diagnose').addEventListener('click', diagnosePaste);
  $('paste-text').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) diagnosePaste();
  });
  $('paste-clear').addEventListener('click', () => {
    $('paste-text').value = '';
    lastPaste = null;
    renderPaste();
    $('paste-text').focus();
  });
  $('check-appcode').addEventListener('click', runCheck);
}

// Again in the current language.
export function renderDiagnose() {
  if (!placed) return;
  renderPaste();
  renderCheck();
}

function diagnosePaste() {
  const core = state.core;
  if (!core) return;
  lastPaste = core.readPaste($('paste-text').value);
  renderPaste();
  $('paste-result').querySelector('.paste-heading')?.focus();
}

// The request's tracking number when the paste shows the request (curl -v, HAR).
function typedNumber(target) {
  if (!target) return undefined;
  try {
    return new URL(target, 'https://paste.invalid/').searchParams.get('kddh') ?? undefined;
  } catch {
    return undefined;
  }
}

function renderPaste() {
  const box = $('paste-result');
  if (!lastPaste) {
    box.replaceChildren();
    return;
  }
  if (!lastPaste.read) {
    fill(box, el('div', { className: 'paste-error', role: 'alert' },
      el('p', { className: 'state paste-heading', tabindex: '-1', text: t('paste.unreadable') }),
      el('p', { className: 'paste-expected', text: pick(lastPaste.error) })));
    return;
  }
  const about = [t('paste.read_as', { form: t(`paste.form.${lastPaste.form}`) })];
  if (lastPaste.request_target) about.push(t('paste.request', { target: lastPaste.request_target }));
  const skipped = ['http', 'curl_verbose'].includes(lastPaste.form) && lastPaste.answers_skipped > 0
    ? t('paste.skipped', { n: lastPaste.answers_skipped }) : null;
  const card = el('div', { className: 'paste-card' });
  fill(box,
    el('p', {
      className: 'hint paste-form paste-heading',
      tabindex: '-1',
      dataset: { form: lastPaste.form },
      text: about.join(' · '),
    }),
    skipped ? el('p', { className: 'hint paste-skipped', text: skipped }) : null,
    lastPaste.notes.length
      ? el('ul', { className: 'notes paste-notes' }, lastPaste.notes.map((n) => el('li', { text: pick(n) })))
      : null,
    card);
  renderPastedCard(card, lastPaste.answer, lastPaste.outcome, typedNumber(lastPaste.request_target));
}

async function runCheck() {
  const call = appcodeCheckCall();
  if (call.error) {
    lastCheck = { error: call.error };
    renderCheck();
    if (call.focus) $(call.focus)?.focus();
    return;
  }
  lastCheck = { pending: true, url: call.url, demo: call.demo };
  renderCheck();
  $('check-appcode').disabled = true;
  try {
    const { answer } = await call.run();
    lastCheck = { answer, outcome: state.core.interpret(answer), url: call.url, demo: call.demo };
  } finally {
    $('check-appcode').disabled = false;
  }
  renderCheck();
}

function proved() {
  return [
    el('p', { text: t('check.proved') }),
    el('ul', { className: 'check-proved' },
      ['accepted', 'active', 'calls_left', 'backend']
        .map((key) => el('li', { dataset: { proved: key }, text: t(`check.proved.${key}`) }))),
    el('p', { className: 'hint', text: t('check.not_proved') }),
  ];
}

function verdictBody(verdict, outcome) {
  const status = outcome.http_status;
  const explained = () => [el('p', { className: 'explanation', text: pick(outcome.explanation) }),
    el('p', { className: 'action', text: pick(outcome.action) })];
  const works = (billing) => [el('p', { className: 'state', text: t('check.ok') }),
    el('p', { className: 'billing', text: billing }), ...proved()];
  switch (verdict) {
    case 'works':
      return works(t('check.ok_not_billed'));
    case 'billed':
      return works(t('check.billed', { status }));
    case 'wrong':
      return [el('p', { className: 'state', text: t('check.wrong') }),
        el('p', { className: 'explanation', text: t('check.wrong_detail', { status }) }),
        el('p', { className: 'action', text: t('check.wrong_action') })];
    case 'refused':
      if (outcome.matched) {
        return [el('p', { className: 'state', text: t('check.refused') }),
          el('p', {
            className: 'cause',
            dataset: { cause: outcome.matched },
            text: t('check.refused_known', { title: scenarioTitle(outcome.matched) }),
          }),
          ...explained()];
      }
      return [el('p', { className: 'state', text: t('check.refused') }),
        el('p', { text: t('check.refused_causes') }),
        el('ul', { className: 'check-causes' },
          outcome.possible.map((id) => el('li', { dataset: { cause: id }, text: scenarioTitle(id) }))),
        el('p', { className: 'hint check-blind', text: t('check.refused_blind') })];
    case 'unreachable':
      return [el('p', { className: 'state', text: t('check.unreachable') }), ...explained()];
    default:
      return [el('p', { className: 'state', text: t('check.other', { status }) }), ...explained()];
  }
}

function renderCheck() {
  const box = $('check-result');
  if (!lastCheck) {
    box.replaceChildren();
    return;
  }
  if (lastCheck.error) {
    fill(box, el('p', { className: 'error', text: t(lastCheck.error) }));
    return;
  }
  const where = el('p', { className: 'hint check-where', text: t('check.where', { url: lastCheck.url }) });
  const demo = lastCheck.demo ? el('p', { className: 'hint check-demo', text: t('check.demo_note') }) : null;
  if (lastCheck.pending) {
    fill(box, el('p', { className: 'sending', text: t('check.sending') }), where);
    return;
  }
  const verdict = verdictOf(lastCheck.outcome);
  const dataset = { verdict, http: String(lastCheck.outcome.http_status) };
  fill(box, el('article', { className: `check check-${verdict}`, dataset },
    ...verdictBody(verdict, lastCheck.outcome), where, demo));
}
