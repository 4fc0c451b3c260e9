// The query form: the number, carrier and phone-tail boxes checked by the core as they are typed
// (cleaning, format errors, carrier candidates, the documented answer it would get), the carrier
// picker, 查询 itself and the warning before paying twice for the same number.

import { state, update } from './state.js';
import * as store from './store.js';
import { $, t, pick, el, formatTime, buildUrl, copyText, queueUntilReady, focusResult } from './ui.js';
import { carriers, cleaned } from './core.js';
import { sourceOf, scenarioUsed, targetOrSay } from './endpoint.js';
import { performCall } from './transport.js';
import { historyEntryFor } from './history.js';
import { showPast } from './result.js';

// What the form's boxes say now: the validation drawn and the precheck it shows (null: none).
const drawn = { cleaning: null, validation: null, precheck: null };

// What will be sent: kddh always (an empty box is the documented "empty kddh" answer), code and
// tel only when filled in.
function readForm() {
  const cleaning = {
    kddh: cleaned('kddh', $('kddh').value.trim()),
    code: cleaned('code', $('code').value.trim()),
    tel: cleaned('tel', $('tel').value.trim()),
  };
  const params = { kddh: cleaning.kddh.value };
  if (cleaning.code.value) params.code = cleaning.code.value;
  if (cleaning.tel.value) params.tel = cleaning.tel.value;
  return { params, cleaning };
}

export const formParams = () => readForm().params;

function cleaningNote(field) {
  const c = drawn.cleaning?.[field];
  if (!c?.changed) return null;
  const what = c.changes.map((change) => pick(change.text)).join(t('list.separator'));
  return el('p', { className: 'cleaned', dataset: { field } },
    t('clean.sent', { value: c.value || t('clean.empty') }), what,
    c.others.length ? ` ${t('clean.others', { numbers: c.others.join(t('list.separator')) })}` : '');
}

// The form field a documented answer or an advisory is about, as the core says (kddh when none).
const fieldOf = (item) => (['code', 'tel'].includes(item.parameter) ? item.parameter : 'kddh');
export function validateForm() {
  if (!state.core) return;
  const { params, cleaning } = readForm();
  drawn.cleaning = cleaning;
  const quiet = !params.kddh && !state.submitAttempted;
  const v = quiet ? { advisories: [], answer: null, detection: null } : state.core.validate(params);
  drawn.validation = v;
  const advice = { kddh: [], code: [], tel: [] };
  for (const field of ['kddh', 'code', 'tel']) {
    const note = cleaningNote(field);
    if (note) advice[field].push(note);
  }
  // A format error waits for the person: shown on blur, on 查询, or after a pause in typing.
  const errorsShown = state.submitAttempted || state.settled;
  for (const field of ['kddh', 'code', 'tel']) $(field).removeAttribute('aria-invalid');
  if (!quiet && v.answer && errorsShown) {
    const field = fieldOf(v.answer);
    $(field).setAttribute('aria-invalid', 'true');
    advice[field].push(el('p', { className: 'advice-answer', dataset: { scenario: v.answer.id } },
      el('strong', { text: pick(v.answer.title) }), ' ',
      el('span', { text: t('precheck.title') }), ' ',
      el('q', { className: 'msg', text: v.answer.msg })));
  }
  let needsTail = false;
  if (!quiet) {
    for (const a of v.advisories) {
      if (a.kind === 'phone_tail_needed') needsTail = true;
      advice[fieldOf(a)].push(el('p', {
        className: `advisory advisory-${a.kind}`, dataset: { kind: a.kind }, text: pick(a.text),
      }));
    }
  }
  // Live regions: rewritten only when what they say changes, so a screen reader hears it once.
  for (const field of ['kddh', 'code', 'tel']) {
    const box = $(`${field}-advice`);
    const said = advice[field].map((p) => `${p.className}:${p.textContent}`).join('|');
    if (box.dataset.said !== said) {
      box.dataset.said = said;
      box.replaceChildren(...advice[field]);
    }
  }
  $('tel-field').classList.toggle('attention', needsTail);
  $('tel-flag').hidden = !needsTail;
  renderCandidates(quiet ? null : v);
  drawn.precheck = quiet || !errorsShown ? null : v;
  renderPrecheck();
}

// A pause this long with at least this many characters typed counts as "done typing".
const SETTLE_MS = 900;
const SETTLE_MIN_CHARS = 8;
let settleTimer = 0;

function renderCandidates(v) {
  const box = $('candidates');
  const candidates = v?.detection?.candidates || [];
  if (!v || v.answer || !v.detection?.normalised) {
    box.replaceChildren();
    return;
  }
  if (!candidates.length) {
    box.replaceChildren(el('p', { className: 'hint', text: t('candidates.none') }));
    return;
  }
  const chosen = $('code').value.trim().toLowerCase();
  box.replaceChildren(
    el('span', { className: 'candidates-label', text: t('candidates.label') }),
    el('ul', { className: 'candidate-list' }, candidates.slice(0, 6).map((c) => el('li', {},
      el('button', {
        type: 'button',
        className: 'candidate',
        'aria-pressed': String(chosen === c.code),
        dataset: { code: c.code },
        onclick: () => chooseCarrier(c.code, false),
      },
      el('span', { className: 'carrier-name', text: state.lang === 'zh' ? c.name_zh : c.name_en }),
      el('span', { className: 'carrier-code', text: c.code }),
      c.reason ? el('span', { className: 'candidate-reason', text: pick(c.reason) }) : null,
      v.detection.certain && c === candidates[0]
        ? el('span', { className: 'tag', text: t('candidates.certain') }) : null,
      c.check_digit_verified
        ? el('span', { className: 'tag', text: t('candidates.check_digit') }) : null)))));
}

// Once 查询 has shown the same check as the answer, it is said there, not twice.
function saidByCard(v) {
  const call = state.lastCall;
  return call?.local && !$('result').hidden && call.validation.answer.id === v.answer.id;
}

// Drawn after the answer card (app.js): a card that now shows the same check hides it.
export function hidePrecheckSaid() {
  if (drawn.precheck?.answer && saidByCard(drawn.precheck)) $('precheck').hidden = true;
}

function renderPrecheck() {
  const box = $('precheck');
  const v = drawn.precheck;
  if (!v || !v.answer) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  if (saidByCard(v)) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  // Written conditionally: the catalogue's explanation describes an answer that was received.
  box.replaceChildren(
    el('p', { className: 'precheck-title' }, el('span', { text: t('precheck.title') }), ' ',
      el('span', { className: 'status-code', text: `HTTP ${v.answer.http_status}` })),
    el('p', { className: 'msg', text: v.answer.msg }),
    el('p', {
      className: 'would', text: t(v.answer.billed ? 'precheck.would_billed' : 'precheck.would_not_billed'),
    }),
    el('p', { className: 'action', text: pick(v.answer.action) }));
}

export function renderCarrierOptions() {
  $('carrier-options').replaceChildren(...carriers().map((c) =>
    el('option', { value: c.code, label: state.lang === 'zh' ? c.name_zh : c.name_en })));
}

function renderCarrierList() {
  const query = $('carrier-search').value.trim().toLowerCase();
  const matches = carriers().filter((c) => !query
    || [c.code, c.name_zh, c.name_en].some((s) => s.toLowerCase().includes(query)));
  $('carrier-list').replaceChildren(...matches.map((c) => el('li', {},
    el('button', {
      type: 'button',
      className: 'carrier-choice',
      dataset: { code: c.code },
      onclick: () => chooseCarrier(c.code, true),
    }, el('span', { className: 'carrier-name', text: state.lang === 'zh' ? c.name_zh : c.name_en }),
    el('span', { className: 'carrier-code', text: c.code })))));
  $('carrier-none').hidden = matches.length > 0;
}

// Drawn when opened, not on load.
export function renderCarrierPicker() {
  if (!$('carrier-picker').hidden) renderCarrierList();
}

function toggleCarrierPicker(open) {
  const picker = $('carrier-picker');
  picker.hidden = !open;
  $('carriers-toggle').setAttribute('aria-expanded', String(open));
  if (open) {
    renderCarrierList();
    $('carrier-search').focus();
  }
}

function chooseCarrier(code, fromPicker) {
  $('code').value = code;
  if (fromPicker) {
    toggleCarrierPicker(false);
    $('carriers-toggle').focus();
  }
  update({ form: true });
}

export function initForm() {
  for (const id of ['kddh', 'code', 'tel']) {
    $(id).addEventListener('input', () => {
      clearTimeout(settleTimer);
      update({ recent: null, submitAttempted: false, settled: false, form: true });
      if ($(id).value.trim().length >= (id === 'kddh' ? SETTLE_MIN_CHARS : 1)) {
        settleTimer = setTimeout(() => update({ settled: true }), SETTLE_MS);
      }
    });
    $(id).addEventListener('blur', (event) => {
      // Leaving for 查询: the answer says it; shown here first, it would push 查询 away mid-click.
      if (state.settled || event.relatedTarget === $('submit')) return;
      clearTimeout(settleTimer);
      update({ settled: true });
    });
  }
  $('query-form').addEventListener('submit', (event) => {
    event.preventDefault();
    submitQuery();
  });
  $('reset').addEventListener('click', () => {
    for (const id of ['kddh', 'code', 'tel']) $(id).value = '';
    $('form-status').textContent = '';
    update({ recent: null, submitAttempted: false, form: true });
    $('kddh').focus();
  });
  $('carriers-toggle').addEventListener('click', () => toggleCarrierPicker($('carrier-picker').hidden));
  $('carrier-search').addEventListener('input', renderCarrierList);
  $('carrier-picker').addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      toggleCarrierPicker(false);
      $('carriers-toggle').focus();
    }
  });
  $('share').addEventListener('click', () => {
    const params = new URLSearchParams();
    const { kddh, code } = formParams();
    if (kddh) params.set('kddh', kddh);
    if (code) params.set('code', code);
    const link = `${location.origin}${location.pathname}#${params}`;
    copyText(link, $('share')).then((ok) => {
      if (ok) $('form-status').textContent = t('share.done');
    });
  });
  $('recent-again').addEventListener('click', () => {
    const action = state.recent?.action;
    update({ recent: null });
    if (action) action();
  });
  $('recent-view').addEventListener('click', () => {
    if (state.recent) showPast(state.recent.entry);
  });
  $('recent-cancel').addEventListener('click', () => {
    update({ recent: null });
    $('kddh').focus();
  });
  $('recent-warning').addEventListener('keydown', (event) => {
    if (event.key === 'Escape') $('recent-cancel').click();
  });
}

// A share link (#kddh=…&code=…) fills the form; it never carries an AppCode or a phone tail.
export function prefillFromHash() {
  if (!location.hash) return;
  const params = new URLSearchParams(location.hash.slice(1));
  if (params.get('kddh')) $('kddh').value = params.get('kddh');
  if (params.get('code')) $('code').value = params.get('code');
}

export async function submitQuery({ force = false, skipRecent = false } = {}) {
  if (!state.core) {
    queueUntilReady('query');
    return;
  }
  $('form-status').textContent = '';
  const params = formParams();
  update({ submitAttempted: true });
  const v = drawn.validation;
  if (!v.passed && !force) {
    update({ lastCall: { local: true, params, validation: v } });
    focusResult();
    return;
  }
  const target = targetOrSay($('form-status'));
  if (!target) return;
  // The warning guards against paying twice: nothing is billed on the demo.
  const paid = state.endpoint !== 'demo';
  const recent = skipRecent || !paid ? null : store.recentQuery(v.request.tracking_number, state.history);
  if (recent) {
    update({ recent: { entry: recent, action: () => submitQuery({ force, skipRecent: true }) } });
    // The default is the free choice, not the billed one.
    (recent.outcome ? $('recent-view') : $('recent-cancel')).focus();
    return;
  }
  await sendQuery(params, v, target);
}

export function renderRecentWarning() {
  const entry = state.recent?.entry;
  $('recent-warning').hidden = !entry;
  if (!entry) return;
  $('recent-view').hidden = !entry.outcome;
  const minutes = Math.max(1, Math.round((Date.now() - entry.when) / 60000));
  $('recent-title').textContent = t('recent.title', { minutes });
  const said = pick(entry.label) || entry.state;
  $('recent-body').textContent = t('recent.body', { state: said, time: formatTime(entry.when) });
}

async function sendQuery(params, v, target) {
  const request = { url: buildUrl(target.url, params), headers: target.headers, appcode: target.appcode };
  const source = sourceOf(target);
  const typed = $('kddh').value.trim();
  scenarioUsed();
  update({
    lastCall: { local: false, pending: true, params, validation: v, request, source, typed },
    devBodyClosed: false,
  });
  $('submit').disabled = true;
  let answered;
  try {
    const { answer, duration } = await performCall(request);
    // A demo answer is simulated: its explanation says what the real API would bill.
    const outcome = state.core.interpret({ ...answer, simulated: source.demo });
    answered = {
      lastCall: { local: false, params, validation: v, request, answer, outcome, duration, source, typed },
      history: store.addHistory([historyEntryFor(params, v, outcome, source)]),
    };
  } finally {
    $('submit').disabled = false;
  }
  update(answered);
  focusResult();
}

// 再查一次 fills the form and queries: the 30-minute warning still stands before a repeat.
export function queryAgain(entry) {
  $('kddh').value = entry.number;
  $('code').value = entry.code;
  $('tel').value = '';
  update({ form: true });
  submitQuery();
}
