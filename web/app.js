// The zero-code page: wires the form, the endpoint and the answer views to the WebAssembly core.
// Everything the API can answer is explained by the core (validate / interpret / catalogue); this
// file only shows it. Text from the network is always set with textContent, never parsed as HTML.

import { labels, format } from './i18n.js';
import * as store from './store.js';
import { parseBatchInput, toCsv } from './csv.js';
import { SAMPLE_LANGUAGES, buildSample } from './samples.js';
import { devPanelNodes, requestText, tabForKey } from './devpanel.js';
import { initSettingsFold, placeSettings, renderSettingsFold } from './settings_fold.js';
import { initClock } from './clock.js';
import { initDiagnose, renderDiagnose } from './diagnose.js';

const ALIYUN_ENDPOINT = 'https://chawuliu.market.alicloudapi.com/query';
// Where a package is renewed: the market console's list of purchased services.
const ALIYUN_PURCHASED = 'https://market.console.aliyun.com/';
const DEMO_APPCODE = 'demo';  // the demo server needs no purchase; it is not a secret
const REQUEST_TIMEOUT_MS = 30000;
const BATCH_LIMIT = 500;
const HISTORY_SHOWN = 50;
const GATEWAY_HEADERS = ['x-ca-request-id', 'x-ca-error-message', 'x-ca-error-code'];

const $ = (id) => document.getElementById(id);

const ui = {
  lang: 'zh',
  dev: false,
  endpoint: 'demo',
  customUrl: '',
  demoServer: false,  // served by kuaidi-mock: 演示 calls it; otherwise the page's own simulator answers
  demoGateway: 'classic',
  demoQuota: null,  // calls left for the demo AppCode in the page's simulator; null: unlimited
  sampleLanguage: 'curl',
  batchFilter: 'all',
  historyOpen: new Set(),
  clearedHistory: false,
  revealInSamples: false,
  submitAttempted: false,
  devBodyClosed: false,
  devTab: 'body',
};

let core = null;
let demoSimulator = null;  // the core's simulator, for 演示 when no kuaidi-mock serves the page
let catalogueCache = null;
let carriersCache = null;
let lastCall = null;  // {local, params, validation, request?, answer?, outcome?, duration?}
let history = [];
let pendingRecent = null;
let pendingRecentEntry = null;
let batch = null;

// ---------------------------------------------------------------- text helpers

const pluralRules = { zh: new Intl.PluralRules('zh-CN'), en: new Intl.PluralRules('en') };

function t(key, values) {
  // The language's plural rules pick the label for a count: "1 duplicate number removed" in English.
  const count = values?.n ?? values?.minutes;
  if (Number.isInteger(count)) {
    const form = `${key}.${pluralRules[ui.lang].select(count)}`;
    if (labels[ui.lang][form]) key = form;
  }
  const text = labels[ui.lang][key] ?? labels.zh[key] ?? key;
  return values ? format(text, values) : text;
}

// A {zh, en} text from the core in the current language.
const pick = (text) => (text ? text[ui.lang] || text.zh || '' : '');

// Element builder: props.text sets textContent; children are nodes or strings (as text).
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = value;
    else if (key === 'className') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// replaceChildren without the nulls of optional parts (they would show as the text "null").
function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

// One date format everywhere, as the API writes event times: 2024-05-01 16:00:00 (local time).
function formatTime(ms, utc = false) {
  const d = new Date(ms);
  const two = (n) => String(n).padStart(2, '0');
  const part = (name) => d[`get${utc ? 'UTC' : ''}${name}`]();
  const [y, mo, day, h, mi, sec] = ['FullYear', 'Month', 'Date', 'Hours', 'Minutes', 'Seconds'].map(part);
  return `${y}-${two(mo + 1)}-${two(day)} ${two(h)}:${two(mi)}:${two(sec)}`;
}

// An event's time in that format, from the core's reading of it (2024/05/01 16:00 → 2024-05-01
// 16:00:00); as sent when the core could not read it.
const eventTime = (e) => (Number.isInteger(e?.sort_key) ? formatTime(e.sort_key * 1000, true)
  : e?.time || '');

// The AppCode masked as the core masks it everywhere (the mock's log and journal too).
function maskSecret(secret) {
  if (!secret) return '';
  return core ? core.maskAppcode(secret) : '****';
}

// ---------------------------------------------------------------- the core

async function loadCore(compiling) {
  if (typeof window.createKuaidi !== 'function') throw new Error('kuaidi.js did not load');
  const compiled = await compiling;
  let instantiateFailed;
  const failure = new Promise((_, reject) => { instantiateFailed = reject; });
  // Instantiating boot.js's early compilation saves compiling the same bytes again here.
  const options = compiled ? {
    instantiateWasm(imports, receive) {
      WebAssembly.instantiate(compiled, imports).then((instance) => receive(instance, compiled), instantiateFailed);
      return {};
    },
  } : {};
  const module = await Promise.race([window.createKuaidi(options), failure]);
  const call = (name, ...args) => {
    const out = JSON.parse(module[name](...args));
    if (out && !Array.isArray(out) && typeof out.error === 'string') throw new Error(out.error);
    return out;
  };
  return {
    simulator: (config) => {
      const simulator = new module.Simulator(JSON.stringify(config));
      const problem = simulator.error();
      if (problem) {
        simulator.delete();
        throw new Error(problem);
      }
      return {
        answer: (request) => {
          const out = JSON.parse(simulator.answer(JSON.stringify(request)));
          if (typeof out.error === 'string') throw new Error(out.error);
          return out;
        },
        resetAccounts: () => simulator.resetAccounts(),
        changeClock: (change) => {
          const out = JSON.parse(simulator.changeClock(JSON.stringify(change), Date.now()));
          if (typeof out.error === 'string') throw new Error(out.error);
          return out;
        },
        delete: () => simulator.delete(),
      };
    },
    validate: (params) => call('validate', JSON.stringify(params), '{}'),
    interpret: (answer) => call('interpret', JSON.stringify(answer)),
    catalogue: () => call('catalogue'),
    carriers: () => call('carriers'),
    mask: (number) => module.maskTrackingNumber(number),
    maskAppcode: (appcode) => module.maskAppcode(appcode),
    namedCarrier: (params) => call('namedCarrier', JSON.stringify(params)),
    // The module predates cleanInput when an old kuaidi.js is cached: then nothing is cleaned.
    clean: (field, raw) => (typeof module.cleanInput === 'function' ? call('cleanInput', field, raw) : null),
    readPaste: (text) => call('readPaste', text),
  };
}

// Built on first use (their first build in a freshly compiled module is the slowest call the page
// makes, so it stays off the path to "ready to type").
const catalogue = () => (core ? (catalogueCache ??= core.catalogue()) : []);
const carriers = () => (core ? (carriersCache ??= core.carriers()) : []);
const scenarioById = (id) => catalogue().find((s) => s.id === id);
const carrierByCode = (code) => carriers().find((c) => c.code.toLowerCase() === String(code).toLowerCase());

// ---------------------------------------------------------------- static labels and language

function applyLabels() {
  document.documentElement.lang = ui.lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t('page.title');
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-i18n-placeholder]')) node.placeholder = t(node.dataset.i18nPlaceholder);
  for (const node of document.querySelectorAll('[data-i18n-aria-label]')) node.setAttribute('aria-label', t(node.dataset.i18nAriaLabel));
  $('lang-switch').lang = ui.lang === 'zh' ? 'en' : 'zh-CN';
  updateAppcodeToggle();
}

function setLanguage(lang) {
  ui.lang = lang === 'en' ? 'en' : 'zh';
  store.savePrefs({ lang: ui.lang });
  applyLabels();
  renderAll();
}

function renderAll({ lists = true } = {}) {
  renderAppcodeSaved();
  renderEndpoint();
  renderSettingsSummary();
  if (lists) {
    renderScenarioOptions();
    renderCarrierOptions();
  }
  if (!$('carrier-picker').hidden) renderCarrierList();  // drawn when opened, not on load
  if (core) validateForm();
  renderResult();
  renderDevPanel();
  renderSamples();
  renderHistory();
  renderBatchTable();
  renderBatchProgress();
  renderDiagnose();
}

// ---------------------------------------------------------------- AppCode

function renderAppcodeSaved(message) {
  const saved = store.loadAppcode();
  const node = $('appcode-saved');
  if (message) node.textContent = message;
  else if (saved) node.textContent = t('appcode.saved_until', { date: formatTime(saved.expires) });
  else node.textContent = ui.endpoint === 'demo' ? t('appcode.demo_hint') : t('appcode.not_saved');
}

function updateAppcodeToggle() {
  const shown = $('appcode').type === 'text';
  $('appcode-toggle').textContent = shown ? t('appcode.hide') : t('appcode.show');
  $('appcode-toggle').setAttribute('aria-pressed', String(shown));
}

function initAppcode() {
  const saved = store.loadAppcode();
  if (saved) $('appcode').value = saved.value;
  $('appcode').addEventListener('input', () => {
    store.saveAppcode($('appcode').value.trim());
    renderAppcodeSaved();
    renderSamples();
  });
  $('appcode-toggle').addEventListener('click', () => {
    $('appcode').type = $('appcode').type === 'password' ? 'text' : 'password';
    updateAppcodeToggle();
  });
  $('appcode-forget').addEventListener('click', () => {
    store.forgetAppcode();
    $('appcode').value = '';
    $('appcode').type = 'password';
    updateAppcodeToggle();
    renderAppcodeSaved(t('appcode.forgotten'));
    renderSamples();
  });
}

// An AppCode that is not the demo's, typed while the demo endpoint is chosen, is almost surely a
// purchased one: offer the real endpoint at once, unless the person chose to stay on the demo.
function appcodeMismatch() {
  const typed = $('appcode').value.trim();
  return ui.endpoint === 'demo' && Boolean(typed) && typed !== DEMO_APPCODE;
}

function switchToAliyun() {
  const radio = document.querySelector('input[name="endpoint"][value="aliyun"]');
  radio.checked = true;
  radio.dispatchEvent(new Event('change', { bubbles: true }));
  renderAppcodeOffer();
  if (lastCall && !lastCall.local && !lastCall.pending) renderResult();
  $('form-status').textContent = t('demo.switched');
  $('kddh').focus();
}

function appcodeOffer() {
  return el('div', { className: 'offer', role: 'group', 'aria-label': t('demo.offer_title') },
    el('p', { text: t('demo.offer') }),
    el('p', { className: 'row' },
      el('button', { type: 'button', className: 'primary small offer-switch', text: t('demo.offer_switch'), onclick: switchToAliyun }),
      el('button', {
        type: 'button',
        className: 'small offer-stay',
        text: t('demo.offer_stay'),
        onclick: () => {
          store.savePrefs({ demo_with_own_appcode: true });
          renderAppcodeOffer();
          if (lastCall && !lastCall.local && !lastCall.pending) renderResult();
        },
      })));
}

function renderAppcodeOffer() {
  const box = $('appcode-offer');
  const show = appcodeMismatch() && !store.loadPrefs().demo_with_own_appcode;
  box.hidden = !show;
  if (show) box.replaceChildren(appcodeOffer());
  else box.replaceChildren();
}

function initAppcodeOffer() {
  $('appcode').addEventListener('input', renderAppcodeOffer);
  $('appcode').addEventListener('input', renderSettingsSummary);
  for (const radio of document.querySelectorAll('input[name="endpoint"]')) {
    radio.addEventListener('change', () => {
      renderAppcodeOffer();
      renderScenarioActive();
      renderSettingsSummary();
    });
  }
  $('scenario').addEventListener('change', renderScenarioActive);
  $('scenario-keep').addEventListener('change', renderScenarioActive);
  renderAppcodeOffer();
  renderScenarioActive();
}

// The query comes first: once the endpoint and AppCode are set, the settings are one line above
// it (settings_fold.js).
function settingsReady() {
  return ui.endpoint === 'demo' || Boolean($('appcode').value.trim());
}

function renderSettingsSummary() {
  const typed = $('appcode').value.trim();
  const parts = [];
  if (typed) parts.push(t('settings.saved', { mask: maskSecret(typed) }));
  parts.push(t(`endpoint.${ui.endpoint}`));
  renderSettingsFold({ ready: settingsReady(), line: `${parts.join(' · ')} ·`, label: t });
}

function initSettings() {
  placeSettings();
  initSettingsFold({
    rerender: renderSettingsSummary,
    first: () => (ui.endpoint === 'demo' ? document.querySelector('input[name="endpoint"]:checked')
      : $('appcode')),
  });
  renderSettingsSummary();
}

// ---------------------------------------------------------------- endpoint

// The in-page demo simulates the real address: nothing leaves the page.
const demoInPage = () => ui.endpoint === 'demo' && !ui.demoServer;

function endpointUrl() {
  if (ui.endpoint === 'demo') return ui.demoServer ? new URL('query', location.href).href : ALIYUN_ENDPOINT;
  if (ui.endpoint === 'aliyun') return ALIYUN_ENDPOINT;
  return ui.customUrl.trim();
}

function customUrlValid(url) {
  if (!/^https?:\/\//i.test(url)) return false;
  try {
    return Boolean(new URL(url).host);
  } catch {
    return false;
  }
}

// Where a query goes and with what: {url, appcode, headers, error}.
function currentTarget() {
  const url = endpointUrl();
  const typed = $('appcode').value.trim();
  const headers = [];
  const scenario = $('scenario').value;
  if (ui.endpoint === 'demo' && scenario) headers.push(['X-Mock-Scenario', scenario]);
  let error = null;
  if (ui.endpoint === 'custom' && !customUrlValid(url)) error = { key: 'endpoint.custom.invalid', focus: 'custom-url' };
  const appcode = typed || (ui.endpoint === 'demo' ? DEMO_APPCODE : '');
  if (!error && !appcode) error = { key: 'appcode.required', focus: 'appcode' };
  return { url, appcode, typedAppcode: typed, headers, error };
}

function renderEndpoint() {
  for (const radio of document.querySelectorAll('input[name="endpoint"]')) radio.checked = radio.value === ui.endpoint;
  $('custom-url').hidden = ui.endpoint !== 'custom';
  $('custom-url').value = ui.customUrl;
  $('endpoint-url').textContent = endpointUrl() || '—';
  $('scenario-field').hidden = ui.endpoint !== 'demo';
  $('demo-settings').hidden = !demoInPage();
  $('demo-gateway').value = ui.demoGateway;
  $('demo-quota').value = ui.demoQuota ?? '';
  if (ui.endpoint === 'demo') $('endpoint-note').textContent = t(ui.demoServer ? 'endpoint.demo_server' : 'endpoint.demo_page');
}

// The page's simulator, made again when its settings change (quotas start over).
function startDemoSimulator() {
  demoSimulator?.delete();
  demoSimulator = null;
  $('clock-status').textContent = '';  // a new simulator's clock starts again at the anchor
  if (!core) return;
  demoSimulator = core.simulator({
    gateway: ui.demoGateway,
    appcodes: [{ appcode: DEMO_APPCODE, quota: ui.demoQuota }],
    trace_anchor_seconds: Math.floor(Date.now() / 1000),
  });
}

function initDemoSettings(prefs) {
  ui.demoGateway = prefs.demo_gateway === 'vpc' ? 'vpc' : 'classic';
  ui.demoQuota = Number.isInteger(prefs.demo_quota) && prefs.demo_quota >= 0 ? prefs.demo_quota : null;
  $('demo-gateway').addEventListener('change', () => {
    ui.demoGateway = $('demo-gateway').value === 'vpc' ? 'vpc' : 'classic';
    store.savePrefs({ demo_gateway: ui.demoGateway });
    startDemoSimulator();
  });
  $('demo-quota').addEventListener('change', () => {
    const text = $('demo-quota').value.trim();
    const quota = text === '' ? null : Number(text);
    ui.demoQuota = Number.isInteger(quota) && quota >= 0 ? quota : null;
    $('demo-quota').value = ui.demoQuota ?? '';
    store.savePrefs({ demo_quota: ui.demoQuota });
    startDemoSimulator();
  });
  $('demo-reset').addEventListener('click', () => {
    demoSimulator?.resetAccounts();
    $('demo-settings-status').textContent = t('demo.reset_done');
  });
}

function initEndpoint(prefs) {
  ui.customUrl = typeof prefs.custom_url === 'string' ? prefs.custom_url : '';
  const wanted = prefs.endpoint;
  ui.endpoint = wanted === 'aliyun' || wanted === 'custom' ? wanted : 'demo';
  for (const radio of document.querySelectorAll('input[name="endpoint"]')) {
    radio.addEventListener('change', () => {
      if (!radio.checked) return;
      ui.endpoint = radio.value;
      $('endpoint-note').textContent = '';
      store.savePrefs({ endpoint: ui.endpoint });
      renderEndpoint();
      renderAppcodeSaved();
      renderSamples();
      if (ui.endpoint === 'custom') $('custom-url').focus();
    });
  }
  $('custom-url').addEventListener('input', () => {
    ui.customUrl = $('custom-url').value;
    store.savePrefs({ custom_url: ui.customUrl.trim() });
    $('endpoint-url').textContent = endpointUrl() || '—';
    $('endpoint-note').textContent = ui.customUrl && !customUrlValid(ui.customUrl.trim()) ? t('endpoint.custom.invalid') : '';
    renderSamples();
  });
  $('scenario').addEventListener('change', renderSamples);
}

function renderScenarioOptions() {
  const select = $('scenario');
  const chosen = select.value;
  select.replaceChildren(el('option', { value: '', text: t('scenario.natural') }));
  const groups = new Map();
  for (const s of catalogue()) {
    if (!groups.has(s.source)) groups.set(s.source, el('optgroup', { label: t(`scenario.group.${s.source}`) }));
    const status = s.source === 'gateway' ? `HTTP ${s.classic.http_status}` : `HTTP ${s.http_status}`;
    const detail = s.msg || s.classic?.message || '';
    groups.get(s.source).append(el('option', { value: s.id, text: `${pick(s.title)} · ${status} ${detail}`.trim() }));
  }
  select.append(...groups.values());
  select.value = chosen;
}

// ---------------------------------------------------------------- carriers

function renderCarrierOptions() {
  $('carrier-options').replaceChildren(...carriers().map((c) =>
    el('option', { value: c.code, label: ui.lang === 'zh' ? c.name_zh : c.name_en })));
}

function renderCarrierList() {
  const query = $('carrier-search').value.trim().toLowerCase();
  const matches = carriers().filter((c) => !query || [c.code, c.name_zh, c.name_en].some((s) => s.toLowerCase().includes(query)));
  $('carrier-list').replaceChildren(...matches.map((c) => el('li', {},
    el('button', {
      type: 'button',
      className: 'carrier-choice',
      dataset: { code: c.code },
      onclick: () => chooseCarrier(c.code, true),
    }, el('span', { className: 'carrier-name', text: ui.lang === 'zh' ? c.name_zh : c.name_en }),
    el('span', { className: 'carrier-code', text: c.code })))));
  $('carrier-none').hidden = matches.length > 0;
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
  validateForm();
  renderSamples();
}

// ---------------------------------------------------------------- the form and validation

// What pasted text becomes before it is sent (full-width, labels, a sentence around the number,
// a whole phone number, a carrier's name): the core's cleaning, said under each box.
function cleaned(field, raw) {
  const out = raw && core ? core.clean(field, raw) : null;
  return out || { value: raw, changed: false, changes: [], others: [] };
}

// What will be sent: kddh always (an empty box is the documented "empty kddh" answer), code and
// tel only when filled in.
function formParams() {
  const cleaning = {
    kddh: cleaned('kddh', $('kddh').value.trim()),
    code: cleaned('code', $('code').value.trim()),
    tel: cleaned('tel', $('tel').value.trim()),
  };
  ui.cleaning = cleaning;
  const params = { kddh: cleaning.kddh.value };
  if (cleaning.code.value) params.code = cleaning.code.value;
  if (cleaning.tel.value) params.tel = cleaning.tel.value;
  return params;
}

function cleaningNote(field) {
  const c = ui.cleaning?.[field];
  if (!c?.changed) return null;
  const what = c.changes.map((change) => pick(change.text)).join(t('list.separator'));
  return el('p', { className: 'cleaned', dataset: { field } },
    t('clean.sent', { value: c.value || t('clean.empty') }), what,
    c.others.length ? ` ${t('clean.others', { numbers: c.others.join(t('list.separator')) })}` : '');
}

// The form field a documented answer or an advisory is about, as the core says (kddh when none).
const fieldOf = (item) => (['code', 'tel'].includes(item.parameter) ? item.parameter : 'kddh');
function validateForm() {
  if (!core) return null;
  const params = formParams();
  const quiet = !params.kddh && !ui.submitAttempted;
  const v = quiet ? { advisories: [], answer: null, detection: null } : core.validate(params);
  const advice = { kddh: [], code: [], tel: [] };
  for (const field of ['kddh', 'code', 'tel']) {
    const note = cleaningNote(field);
    if (note) advice[field].push(note);
  }
  // A format error waits for the person: shown on blur, on 查询, or after a pause in typing.
  const errorsShown = ui.submitAttempted || ui.settled;
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
      advice[fieldOf(a)].push(el('p', { className: `advisory advisory-${a.kind}`, dataset: { kind: a.kind }, text: pick(a.text) }));
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
  renderPrecheck(quiet || !errorsShown ? null : v);
  return v;
}

// A pause this long with at least this many characters typed counts as "done typing".
const SETTLE_MS = 900;
const SETTLE_MIN_CHARS = 8;
let settleTimer = 0;

function typing(id) {
  ui.submitAttempted = false;
  ui.settled = false;
  clearTimeout(settleTimer);
  if ($(id).value.trim().length >= (id === 'kddh' ? SETTLE_MIN_CHARS : 1)) {
    settleTimer = setTimeout(() => {
      ui.settled = true;
      validateForm();
    }, SETTLE_MS);
  }
}

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
      el('span', { className: 'carrier-name', text: ui.lang === 'zh' ? c.name_zh : c.name_en }),
      el('span', { className: 'carrier-code', text: c.code }),
      c.reason ? el('span', { className: 'candidate-reason', text: pick(c.reason) }) : null,
      v.detection.certain && c === candidates[0] ? el('span', { className: 'tag', text: t('candidates.certain') }) : null,
      c.check_digit_verified ? el('span', { className: 'tag', text: t('candidates.check_digit') }) : null)))));
}

function renderPrecheck(v) {
  const box = $('precheck');
  if (!v || !v.answer) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  // Once 查询 has shown the same check as the answer, it is said there, not twice.
  if (lastCall?.local && !$('result').hidden && lastCall.validation.answer.id === v.answer.id) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  // Written conditionally: the catalogue's explanation describes an answer that was received.
  box.replaceChildren(
    el('p', { className: 'precheck-title' }, el('span', { text: t('precheck.title') }), ' ',
      el('span', { className: 'status-code', text: `HTTP ${v.answer.http_status}` })),
    el('p', { className: 'msg', text: v.answer.msg }),
    el('p', { className: 'would', text: t(v.answer.billed ? 'precheck.would_billed' : 'precheck.would_not_billed') }),
    el('p', { className: 'action', text: pick(v.answer.action) }));
}

function initForm() {
  for (const id of ['kddh', 'code', 'tel']) {
    $(id).addEventListener('input', () => {
      hideRecentWarning();
      typing(id);
      validateForm();
      renderSamples();
    });
    $(id).addEventListener('blur', (event) => {
      // Leaving for 查询: the answer says it; shown here first, it would push 查询 away mid-click.
      if (ui.settled || event.relatedTarget === $('submit')) return;
      clearTimeout(settleTimer);
      ui.settled = true;
      validateForm();
    });
  }
  $('query-form').addEventListener('submit', (event) => {
    event.preventDefault();
    submitQuery();
  });
  $('reset').addEventListener('click', () => {
    for (const id of ['kddh', 'code', 'tel']) $(id).value = '';
    ui.submitAttempted = false;
    $('form-status').textContent = '';
    hideRecentWarning();
    validateForm();
    renderSamples();
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
    const action = pendingRecent;
    hideRecentWarning();
    if (action) action();
  });
  $('recent-view').addEventListener('click', () => {
    if (pendingRecentEntry) viewPast(pendingRecentEntry);
  });
  $('recent-cancel').addEventListener('click', () => {
    hideRecentWarning();
    $('kddh').focus();
  });
  $('recent-warning').addEventListener('keydown', (event) => {
    if (event.key === 'Escape') $('recent-cancel').click();
  });
}

// A share link (#kddh=…&code=…) fills the form; it never carries an AppCode or a phone tail.
function prefillFromHash() {
  if (!location.hash) return;
  const params = new URLSearchParams(location.hash.slice(1));
  if (params.get('kddh')) $('kddh').value = params.get('kddh');
  if (params.get('code')) $('code').value = params.get('code');
}

async function submitQuery({ force = false, skipRecent = false } = {}) {
  if (!core) {
    queueUntilReady('query');
    return;
  }
  ui.submitAttempted = true;
  $('form-status').textContent = '';
  const params = formParams();
  const v = validateForm();
  if (!v.passed && !force) {
    lastCall = { local: true, params, validation: v };
    renderResult();
    renderPrecheck(v);
    renderDevPanel();
    focusResult();
    return;
  }
  const target = currentTarget();
  if (target.error) {
    $('form-status').textContent = t(target.error.key);
    $(target.error.focus).focus();
    return;
  }
  // The warning guards against paying twice: nothing is billed on the demo.
  const paid = ui.endpoint !== 'demo';
  const recent = skipRecent || !paid ? null : store.recentQuery(v.request.tracking_number, history);
  if (recent) {
    showRecentWarning(recent, () => submitQuery({ force, skipRecent: true }));
    return;
  }
  await sendQuery(params, v, target);
}

function showRecentWarning(entry, action) {
  pendingRecent = action;
  pendingRecentEntry = entry;
  $('recent-view').hidden = !entry.outcome;
  const minutes = Math.max(1, Math.round((Date.now() - entry.when) / 60000));
  $('recent-title').textContent = t('recent.title', { minutes });
  $('recent-body').textContent = t('recent.body', { state: pick(entry.label) || entry.state, time: formatTime(entry.when) });
  $('recent-warning').hidden = false;
  // The default is the free choice, not the billed one.
  (entry.outcome ? $('recent-view') : $('recent-cancel')).focus();
}

function hideRecentWarning() {
  pendingRecent = null;
  $('recent-warning').hidden = true;
}

function buildUrl(endpoint, params) {
  const query = Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  return `${endpoint}${endpoint.includes('?') ? '&' : '?'}${query}`;
}

function sameOrigin(url) {
  try {
    return new URL(url, location.href).origin === location.origin;
  } catch {
    return false;
  }
}

// 64 random bits (53 usable in a JSON number) for the simulated answer's X-Ca-Request-Id.
function randomEntropy() {
  const [high, low] = crypto.getRandomValues(new Uint32Array(2));
  return (high & 0x1fffff) * 0x100000000 + low;
}

function pause(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}

// The headers as fetch shows them to a page: names in lower case, sorted, repeats joined, with the
// Content-Length the transport adds.
function headersAsFetchShows(headers, body) {
  const joined = new Map();
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    joined.set(key, joined.has(key) ? `${joined.get(key)}, ${value}` : value);
  }
  joined.set('content-length', String(new TextEncoder().encode(body).length));
  return [...joined].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

// 演示 without a server: the core's simulator answers as kuaidi-mock would, and what it asks of the
// transport is done here (a delay; a reset or a cut body is a failed fetch, as a browser reports it).
async function simulateCall(request, signal) {
  const started = performance.now();
  let simulated;
  try {
    simulated = demoSimulator.answer({
      method: 'GET',
      target: request.url,
      headers: [['Authorization', `APPCODE ${request.appcode}`], ...request.headers],
      now_ms: Date.now(),
      entropy: randomEntropy(),
    });
  } catch (error) {
    return {
      answer: { http_status: 0, headers_readable: false, headers: [], body: '', transport_error: error.message },
      duration: performance.now() - started,
    };
  }
  const { answer, record } = simulated;
  if (record.latency_ms > 0) await pause(Math.min(record.latency_ms, REQUEST_TIMEOUT_MS), signal);
  if (record.injected === 'reset' || record.injected === 'truncate') {
    return {
      answer: { http_status: 0, headers_readable: false, headers: [], body: '', transport_error: 'Failed to fetch' },
      duration: performance.now() - started,
    };
  }
  return {
    answer: { http_status: answer.status, headers_readable: true, headers: headersAsFetchShows(answer.headers, answer.body), body: answer.body },
    duration: performance.now() - started,
  };
}

// One call. The AppCode goes only into the Authorization header. No HTTP answer → status 0 with
// the browser's error text, as the core expects; a cancellation is re-thrown.
async function performCall(request, signal) {
  if (demoInPage() && demoSimulator) return simulateCall(request, signal);
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const started = performance.now();
  try {
    // Inside the try: an AppCode with a character no header may carry (Chinese, a line break)
    // is refused here, and explained like any other call that never got an answer.
    const headers = new Headers({ Authorization: `APPCODE ${request.appcode}` });
    for (const [name, value] of request.headers) headers.set(name, value);
    const response = await fetch(request.url, {
      method: 'GET',
      headers,
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const body = await response.text();
    const list = [...response.headers];
    const readable = sameOrigin(request.url) || GATEWAY_HEADERS.some((name) => response.headers.has(name));
    return {
      answer: { http_status: response.status, headers_readable: readable, headers: list, body },
      duration: performance.now() - started,
    };
  } catch (error) {
    if (signal?.aborted) throw error;
    return {
      answer: { http_status: 0, headers_readable: false, headers: [], body: '', transport_error: error?.message || String(error) },
      duration: performance.now() - started,
    };
  }
}

// In English a carrier is named in English, its Chinese name (as the API writes kdmc) beside it.
function carrierLabel(nameZh) {
  if (ui.lang !== 'en' || !nameZh) return nameZh;
  const c = carriers().find((x) => x.name_zh === nameZh);
  return c && c.name_en !== c.name_zh ? `${c.name_en} (${c.name_zh})` : nameZh;
}

// The carrier an answer names, or for one stopped here the one the API would name (the core's rule).
function carrierNameFor(outcome, params) {
  if (outcome?.carrier_name) return outcome.carrier_name;
  return core.namedCarrier(params)?.name_zh || '';
}

function historyEntryFor(params, validation, outcome, source) {
  return {
    number: validation.request.tracking_number || params.kddh,
    code: params.code || '',
    carrier: carrierNameFor(outcome, params),
    state: outcome.state,
    label: outcome.state_label,
    http_status: outcome.http_status,
    billed: outcome.billed,
    demo: Boolean(source?.demo),
    scenario: source?.scenario || '',
    batch: source?.batch || '',
    outcome,
    when: Date.now(),
  };
}

// The account problems after which every further call of a batch would fail the same way (and
// some of them, on a quota that is used up, might still be billed by a retrying client).
const ACCOUNT_STATES = new Set(['quota_used_up', 'appcode_invalid', 'not_authorised', 'forbidden']);

// What a call's answer is: simulated by the demo (and under which forced scenario) or real.
function sourceOf(target) {
  const scenario = target.headers.find(([name]) => name === 'X-Mock-Scenario')?.[1] || '';
  return { demo: ui.endpoint === 'demo', scenario };
}

// A forced 演示场景 serves one query unless the person asked to keep it.
function scenarioUsed() {
  if ($('scenario-keep').checked || !$('scenario').value) return;
  $('scenario').value = '';
  renderScenarioActive();
  renderSamples();
}

function scenarioTitle(id) {
  const s = scenarioById(id);
  return s ? pick(s.title) : id;
}

function renderScenarioActive() {
  const id = ui.endpoint === 'demo' ? $('scenario').value : '';
  const box = $('scenario-active');
  if (!id) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  box.hidden = false;
  fill(box,
    el('span', { className: 'tag tag-scenario', text: t('scenario.active', { title: scenarioTitle(id) }) }), ' ',
    el('span', { text: $('scenario-keep').checked ? t('scenario.active_kept') : t('scenario.active_once') }), ' ',
    el('button', {
      type: 'button',
      className: 'small',
      id: 'scenario-clear',
      text: t('scenario.clear'),
      onclick: () => {
        $('scenario').value = '';
        renderScenarioActive();
        renderSamples();
        $('kddh').focus();
      },
    }));
}

async function sendQuery(params, v, target) {
  const request = { url: buildUrl(target.url, params), headers: target.headers, appcode: target.appcode };
  const source = sourceOf(target);
  const typed = $('kddh').value.trim();
  lastCall = { local: false, pending: true, params, validation: v, request, source, typed };
  scenarioUsed();
  ui.devBodyClosed = false;
  renderResult();
  $('submit').disabled = true;
  try {
    const { answer, duration } = await performCall(request);
    // A demo answer is simulated: its explanation says what the real API would bill.
    const outcome = core.interpret({ ...answer, simulated: source.demo });
    lastCall = { local: false, params, validation: v, request, answer, outcome, duration, source, typed };
    history = store.addHistory([historyEntryFor(params, v, outcome, source)]);
  } finally {
    $('submit').disabled = false;
  }
  renderResult();
  renderDevPanel();
  renderHistory();
  focusResult();
}

function focusResult() {
  $('result-title').focus({ preventScroll: false });
}

// ---------------------------------------------------------------- the answer card

function billedLabel(billed) {
  return t(`result.billed.${billed}`);
}

// A demo answer bills nothing: its badge says what the real API would have done.
function billedText(billed, demo) {
  return demo ? t(`result.billed_demo.${billed}`) : billedLabel(billed);
}

function definition(term, ...value) {
  return [el('dt', { text: term }), el('dd', {}, ...value)];
}

function renderResult() {
  const section = $('result');
  const body = $('result-body');
  if (!lastCall) {
    section.hidden = true;
    body.replaceChildren();
    return;
  }
  section.hidden = false;
  if (lastCall.pending) {
    body.replaceChildren(el('p', { className: 'sending', role: 'status', text: t('result.sending') }));
    return;
  }
  if (lastCall.past) {
    renderAnswer(body);
    body.querySelector('article').prepend(el('p', { className: 'past-notice', text: t('history.past', { time: formatTime(lastCall.past) }) }));
    return;
  }
  renderAnswer(body);
}

function renderAnswer(body) {
  if (lastCall.local) {
    // Nothing was sent: the catalogue's explanation describes a real answer ("本次已扣次数"), so
    // the card says conditionally what the API would have done, once.
    const a = lastCall.validation.answer;
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
      ui.dev ? el('button', { type: 'button', id: 'send-anyway', onclick: () => submitQuery({ force: true }), text: t('precheck.send_anyway') }) : null));
    return;
  }
  const o = lastCall.outcome;
  const source = lastCall.source || {};
  // On the demo an unknown AppCode is no sign the person's AppCode is wrong: the demo knows its own.
  const typedAppcode = $('appcode').value.trim();
  const demoAppcode = source.demo && !source.scenario && o.state === 'appcode_invalid' && Boolean(typedAppcode) && typedAppcode !== DEMO_APPCODE;
  const explanation = demoAppcode ? t('demo.appcode_explanation', { demo: DEMO_APPCODE }) : pick(o.explanation);
  const action = demoAppcode ? t('demo.appcode_action') : pick(o.action);
  // The vendor's status only where it means something: a failure does not carry "status 0 · 暂无轨迹".
  const statusText = o.raw_status === null || o.ok !== 1 ? null
    : `${t('result.status', { status: o.raw_status })}${o.status_label ? ` · ${pick(o.status_label)}` : ''}`;
  const facts = [];
  if (o.msg) facts.push(...definition(t('result.msg'), el('span', { className: 'msg', text: o.msg })));
  if (o.carrier_name) facts.push(...definition(t('result.carrier'), el('span', { className: 'carrier', text: carrierLabel(o.carrier_name) })));
  // The number as typed: the API's own copy is masked (786270****58).
  facts.push(...definition(t('result.typed'), el('span', { className: 'typed-number', text: lastCall.typed ?? lastCall.params.kddh })));
  if (o.tracking_number) facts.push(...definition(t('result.number'), el('span', { className: 'number', text: o.tracking_number })));
  // Numbers for whoever checks the call, folded away from the ops view.
  const tech = [];
  if (!lastCall.past) tech.push(...definition(t('result.duration'), el('span', { className: 'duration', text: t('result.ms', { ms: Math.round(lastCall.duration) }) })));
  if (o.request_id) tech.push(...definition(t('result.request_id'), el('code', { className: 'request-id', text: o.request_id })));
  if (o.error_code || o.error_message) {
    tech.push(...definition(t('result.gateway_error'), el('code', { text: [o.error_code, o.error_message].filter(Boolean).join(' ') })));
  }
  const basis = confidenceOf(o, lastCall.answer?.headers);
  const latest = o.events[0];
  const subtitle = latest
    ? el('p', { className: 'latest' }, el('time', { text: eventTime(latest) }), ' ', latest.content) : null;
  const steps = nextSteps(o, source);
  const events = o.events.length
    ? el('ol', { className: 'timeline' }, o.events.map((e) => el('li', { className: `event${e.stage ? ` stage-${e.stage}` : ''}` },
      el('time', { className: 'event-time', text: eventTime(e) }),
      e.stage_label ? el('span', { className: 'tag', text: pick(e.stage_label) }) : null,
      el('p', { className: 'event-content', text: e.content }))))
    : el('p', { className: 'hint', text: t('result.no_events') });
  body.replaceChildren(el('article', { className: `answer state-${o.state}${source.demo ? ' answer-demo' : ''}`, dataset: { state: o.state, matched: o.matched || '', source: source.demo ? 'demo' : 'real' } },
    el('p', { className: 'state', text: pick(o.state_label) }),
    subtitle,
    source.demo ? el('p', { className: 'demo-notice', role: 'note' },
      el('span', { className: 'tag tag-demo', text: t('demo.tag') }), ' ', t('result.demo_notice')) : null,
    source.scenario ? el('p', { className: 'scenario-used' },
      el('span', { className: 'tag tag-scenario', text: t('scenario.used', { title: scenarioTitle(source.scenario) }) })) : null,
    demoAppcode ? appcodeOffer() : null,
    el('p', { className: 'badges' },
      el('span', { className: `badge billed billed-${o.billed}`, text: billedText(o.billed, source.demo) })),
    el('dl', { className: 'facts' }, facts),
    el('h3', { text: t('result.explanation') }),
    el('p', { className: 'explanation', text: explanation }),
    basis ? el('p', { className: 'hint basis', dataset: { confidence: basis }, text: t(`basis.${basis}`) }) : null,
    el('h3', { text: t('result.action') }),
    el('p', { className: 'action', text: action }),
    steps.length ? el('p', { className: 'row next-steps' }, steps) : null,
    el('details', { className: 'tech', open: ui.dev },
      el('summary', { text: t('result.tech') }),
      el('p', { className: 'badges' },
        el('span', { className: 'badge http', text: o.http_status ? t('result.http', { status: o.http_status }) : t('result.no_http') }),
        statusText ? el('span', { className: 'badge raw-status', text: statusText }) : null),
      el('dl', { className: 'facts' }, tech)),
    o.notes.length ? el('h3', { text: t('result.notes') }) : null,
    o.notes.length ? el('ul', { className: 'notes' }, o.notes.map((n) => el('li', { text: pick(n) }))) : null,
    // A trace section only where a trace can be: answers with ok:1.
    o.events.length || o.ok === 1 ? el('h3', { text: t('result.events') }) : null,
    o.events.length || o.ok === 1 ? events : null));
}

// What a person can do next, as buttons: fill in the phone tail, renew the package, copy the id.
function nextSteps(o, source) {
  const steps = [];
  const tailNeeded = lastCall.validation?.advisories?.some((a) => a.kind === 'phone_tail_needed');
  if (tailNeeded && !lastCall.params.tel && ['no_record', 'bad_number'].includes(o.state)) {
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
    steps.push(el('a', { className: 'step-renew button-link', href: ALIYUN_PURCHASED, target: '_blank', rel: 'noopener noreferrer', text: t('step.renew') }));
  }
  if (o.request_id) {
    const button = el('button', { type: 'button', className: 'step-copy-id', text: t('step.copy_id') });
    button.addEventListener('click', () => copyText(o.request_id, button));
    steps.push(button);
  }
  return steps;
}

// A pasted answer (diagnose.js) on the live call's card: renderAnswer draws lastCall, lent to it
// for the drawing; `past` leaves out the duration a paste does not have.
function renderPastedCard(container, answer, outcome, typed) {
  const live = lastCall;
  lastCall = { local: false, past: true, params: {}, answer, outcome, source: {}, typed: typed ?? '—' };
  try {
    renderAnswer(container);
  } finally {
    lastCall = live;
  }
}

// The AppCode check's one call (diagnose.js): where a query goes, with its AppCode, no tracking
// number (the vendor's unbilled 666) and no forced 演示场景 (the account itself is checked).
function appcodeCheckCall() {
  const target = currentTarget();
  if (target.error) return { error: target.error.key, focus: target.error.focus };
  const request = { url: buildUrl(target.url, { kddh: '' }), headers: [], appcode: target.appcode };
  return { url: request.url, demo: ui.endpoint === 'demo', run: () => performCall(request) };
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

// ---------------------------------------------------------------- developer mode

function fieldExamples() {
  const success = scenarioById('success');
  const zto = carrierByCode('zhongtong');
  return {
    ok: '1',
    msg: success?.msg || '',
    status: '2',
    kdmc: zto?.name_zh || '',
    kddh: core.mask('786270000758'),
    data: '[...]',
    time: '2022-10-27 19:18:40',
    content: '【泉州市】快件离开【福建营销部】已发往【泉州中转部】',
  };
}

// What devpanel.js needs of the page.
const devContext = () => ({
  el, t, pick, copyText, maskSecret, billedText, lang: ui.lang, examples: fieldExamples,
  has: (key) => key in labels[ui.lang],
});

function renderDevPanel() {
  const panel = $('devpanel');
  const body = $('devpanel-body');
  if (!ui.dev || !lastCall || lastCall.pending || lastCall.past || ui.devBodyClosed) {
    panel.hidden = true;
    body.replaceChildren();
    return;
  }
  panel.hidden = false;
  if (lastCall.local) {
    const target = currentTarget();
    const request = { url: buildUrl(target.url, lastCall.params), headers: target.headers, appcode: target.appcode };
    body.replaceChildren(
      el('h3', { text: t('devpanel.request') }),
      el('pre', { className: 'code', tabindex: '0', id: 'dev-request' },
        el('code', { text: requestText(devContext(), request) })),
      el('p', { className: 'hint', text: t('precheck.blocked') }));
    return;
  }
  const { request, answer, outcome, duration } = lastCall;
  const view = { request, answer, outcome, duration, demo: lastCall.source?.demo };
  fill(body, devPanelNodes(devContext(), view, ui.devTab, {
    tab: (id) => { ui.devTab = id; },
    close: () => {
      ui.devBodyClosed = true;
      renderDevPanel();
      focusResult();
    },
  }));
}

function initDevMode(prefs) {
  ui.dev = Boolean(prefs.dev);
  $('dev-mode').checked = ui.dev;
  $('dev-mode').setAttribute('aria-checked', String(ui.dev));
  document.body.classList.toggle('dev', ui.dev);
  $('dev-mode').addEventListener('change', () => {
    ui.dev = $('dev-mode').checked;
    $('dev-mode').setAttribute('aria-checked', String(ui.dev));
    document.body.classList.toggle('dev', ui.dev);
    ui.devBodyClosed = false;
    store.savePrefs({ dev: ui.dev });
    renderResult();
    renderDevPanel();
  });
}

// ---------------------------------------------------------------- copy

async function copyText(text, button) {
  let ok = false;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch {
    const area = el('textarea', { readonly: true, className: 'offscreen' });
    area.value = text;
    document.body.append(area);
    area.select();
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    area.remove();
  }
  if (button) {
    const original = button.textContent;
    button.textContent = ok ? t('copy.ok') : t('copy.failed');
    button.dataset.copied = ok ? 'ok' : 'failed';
    setTimeout(() => {
      button.textContent = original;
      delete button.dataset.copied;
    }, 1500);
  }
  return ok;
}

function initCopyButtons() {
  for (const button of document.querySelectorAll('[data-copy-from]')) {
    button.addEventListener('click', () => copyText($(button.dataset.copyFrom).textContent, button));
  }
}

// ---------------------------------------------------------------- samples

// The number box empty: the placeholder's example number, so the sample still runs.
const SAMPLE_NUMBER = 'JT3084743373888';

function sampleRequest() {
  const target = currentTarget();
  const params = formParams();
  if (!params.kddh) params.kddh = SAMPLE_NUMBER;
  // The real Aliyun address on request (the demo's scenario header means nothing there).
  const real = $('sample-aliyun').checked;
  const url = buildUrl(real ? ALIYUN_ENDPOINT : target.url || ALIYUN_ENDPOINT, params);
  // The demo's stand-in AppCode is no secret; a typed one is written in only when asked.
  let appcode = null;
  if (target.typedAppcode && ui.revealInSamples) appcode = target.typedAppcode;
  else if (!target.typedAppcode && ui.endpoint === 'demo' && ui.demoServer && !real) appcode = DEMO_APPCODE;
  return { url, headers: real ? [] : target.headers, appcode, lang: ui.lang };
}

function renderSamples() {
  const tabs = $('sample-tabs');
  if (!tabs.childElementCount) {
    for (const language of SAMPLE_LANGUAGES) {
      const tab = el('button', {
        type: 'button', role: 'tab', id: `tab-${language.id}`, 'aria-controls': 'sample-panel', dataset: { language: language.id }, text: language.name,
      });
      tab.addEventListener('click', () => {
        ui.sampleLanguage = language.id;
        renderSamples();
      });
      tabs.append(tab);
    }
    tabs.addEventListener('keydown', (event) => {
      const order = SAMPLE_LANGUAGES.map((l) => l.id);
      const index = tabForKey(event.key, order.indexOf(ui.sampleLanguage), order.length);
      if (index === null) return;
      event.preventDefault();
      ui.sampleLanguage = order[index];
      renderSamples();
      $(`tab-${ui.sampleLanguage}`).focus();
    });
  }
  for (const tab of tabs.children) {
    const selected = tab.dataset.language === ui.sampleLanguage;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
  }
  $('sample-panel').setAttribute('aria-labelledby', `tab-${ui.sampleLanguage}`);
  const sample = buildSample(ui.sampleLanguage, sampleRequest());
  $('sample-placeholder').hidden = Boolean($('kddh').value.trim());
  $('sample-placeholder').textContent = t('samples.placeholder', { number: SAMPLE_NUMBER });
  $('sample-code').textContent = sample.code;
  $('sample-how').textContent = `${t('samples.how')}${sample.how}`;
}

function initSamples() {
  $('sample-reveal').checked = false;
  $('sample-reveal').addEventListener('change', () => {
    ui.revealInSamples = $('sample-reveal').checked;
    renderSamples();
  });
  $('sample-aliyun').addEventListener('change', renderSamples);
  $('sample-copy').addEventListener('click', () => copyText($('sample-code').textContent, $('sample-copy')));
}

// ---------------------------------------------------------------- history

// The last answer of a history entry, shown again without a new call (and without paying).
function viewPast(entry) {
  hideRecentWarning();
  lastCall = {
    local: false,
    params: { kddh: entry.number, ...(entry.code ? { code: entry.code } : {}) },
    validation: null,
    source: { demo: entry.demo, scenario: entry.scenario },
    outcome: entry.outcome,
    duration: 0,
    past: entry.when,
  };
  renderResult();
  renderDevPanel();
  focusResult();
}

// 再查一次 fills the form and queries: the 30-minute warning still stands before a repeat.
function queryAgain(entry) {
  $('kddh').value = entry.number;
  $('code').value = entry.code;
  $('tel').value = '';
  validateForm();
  renderSamples();
  submitQuery();
}

function historyRow(entry, extraClass = '') {
  return el('tr', { className: `state-${entry.state}${extraClass}` },
    el('td', { className: 'number', text: entry.number }),
    el('td', { text: carrierLabel(entry.carrier) }),
    el('td', {}, pick(entry.label) || entry.state,
      entry.demo ? [' ', el('span', { className: 'tag tag-demo', text: t('history.demo') })] : null,
      entry.scenario ? [' ', el('span', { className: 'tag tag-scenario', text: t('scenario.active', { title: scenarioTitle(entry.scenario) }) })] : null),
    el('td', {}, el('time', { datetime: new Date(entry.when).toISOString(), text: formatTime(entry.when) })),
    el('td', { className: 'history-actions' },
      entry.outcome ? el('button', {
        type: 'button',
        className: 'small history-view',
        'aria-label': `${t('history.view')} ${entry.number}`,
        text: t('history.view'),
        onclick: () => viewPast(entry),
      }) : null, ' ',
      el('button', {
        type: 'button',
        className: 'small history-again',
        'aria-label': `${t(entry.demo ? 'history.again_demo' : 'history.again')} ${entry.number}`,
        text: t(entry.demo ? 'history.again_demo' : 'history.again'),
        onclick: () => queryAgain(entry),
      })));
}

function renderHistory() {
  const box = $('history-body');
  if (!history.length) {
    if (!ui.clearedHistory) box.replaceChildren(el('p', { className: 'hint', id: 'history-empty', text: t('history.empty') }));
    $('history-clear').hidden = true;
    return;
  }
  $('history-clear').hidden = false;
  const shown = history.slice(0, HISTORY_SHOWN);
  const rows = [];
  // A batch run is one entry, opened on demand.
  for (let i = 0; i < shown.length; i += 1) {
    const entry = shown[i];
    if (!entry.batch) {
      rows.push(historyRow(entry));
      continue;
    }
    const members = [];
    while (i < shown.length && shown[i].batch === entry.batch) members.push(shown[i++]);
    i -= 1;
    const open = ui.historyOpen.has(entry.batch);
    rows.push(el('tr', { className: 'history-batch' },
      el('td', { colspan: '3' }, el('button', {
        type: 'button',
        className: 'link-button history-batch-toggle',
        'aria-expanded': String(open),
        text: t('history.batch', { n: members.length }),
        onclick: () => {
          if (open) ui.historyOpen.delete(entry.batch);
          else ui.historyOpen.add(entry.batch);
          renderHistory();
          box.querySelector(`[data-batch="${entry.batch}"]`)?.focus();
        },
        dataset: { batch: entry.batch },
      })),
      el('td', {}, el('time', { datetime: new Date(entry.when).toISOString(), text: formatTime(entry.when) })),
      el('td')));
    if (open) rows.push(...members.map((m) => historyRow(m, ' history-member')));
  }
  fill(box,
    el('div', { className: 'table-wrap' }, el('table', { id: 'history-table' },
      el('thead', {}, el('tr', {}, ['number', 'carrier', 'state', 'when', 'again'].map((c) => el('th', { scope: 'col', text: t(`history.col.${c}`) })))),
      el('tbody', {}, rows))),
    history.length > HISTORY_SHOWN ? el('p', { className: 'hint', text: t('history.more', { n: history.length - HISTORY_SHOWN }) }) : null);
}

function initHistory() {
  history = store.loadHistory();
  // Clearing can be undone (until the next clear or reload), rather than asked about first.
  $('history-clear').addEventListener('click', () => {
    const removed = history;
    store.clearHistory();
    history = [];
    ui.clearedHistory = true;
    renderHistory();
    const undo = el('button', {
      type: 'button',
      id: 'history-undo',
      className: 'small',
      text: t('history.undo'),
      onclick: () => {
        history = store.restoreHistory(removed);
        ui.clearedHistory = false;
        renderHistory();
        $('history-clear').focus();
      },
    });
    fill($('history-body'), el('p', { className: 'hint', id: 'history-empty', role: 'status' }, t('history.cleared', { n: removed.length }), ' ', undo));
    undo.focus();
  });
}

// ---------------------------------------------------------------- batch

const BATCH_COLUMNS = ['index', 'number', 'code', 'carrier', 'state', 'http', 'status', 'billed', 'latest_time', 'latest', 'msg', 'source'];

// The filter a row falls under: 签收 / 在途 / 无轨迹 / 有问题 / 未发送.
const BATCH_FILTERS = ['all', 'delivered', 'transit', 'none', 'problem', 'unsent'];
function batchGroup(row) {
  if (row.state !== 'done') return ['local', 'cancelled', 'held'].includes(row.state) ? 'unsent' : 'pending';
  const state = row.outcome.state;
  if (state === 'delivered') return 'delivered';
  if (['in_transit', 'out_for_delivery', 'picked_up'].includes(state)) return 'transit';
  if (state === 'no_record') return 'none';
  return 'problem';
}

// The cells of one batch row, as shown and as exported.
function batchCells(row) {
  const cells = { index: row.index + 1, number: row.number, code: row.code, source: t(row.demo ? 'batch.source.demo' : 'batch.source.real') };
  if (row.state === 'pending' || row.state === 'running') return { ...cells, state: '…' };
  if (row.state === 'cancelled') return { ...cells, state: t('batch.cancelled') };
  if (row.state === 'held') return { ...cells, state: t('batch.held'), billed: billedLabel('not_billed') };
  if (row.state === 'local') {
    const a = row.validation.answer;
    return { ...cells, state: `${t('batch.local')}: ${pick(a.title)}`, http: '', billed: billedLabel('not_billed'), msg: a.msg };
  }
  const o = row.outcome;
  const latest = o.events[0];
  return {
    ...cells,
    carrier: carrierLabel(carrierNameFor(o, row.params)),
    state: pick(o.state_label),
    http: o.http_status || '',
    status: o.raw_status ?? '',
    billed: billedText(o.billed, row.demo),
    latest_time: eventTime(latest),
    latest: latest?.content || '',
    msg: o.msg,
  };
}

function renderBatchRow(row) {
  const cells = batchCells(row);
  const tr = row.node || el('tr', {});
  row.node = tr;
  const group = batchGroup(row);
  tr.className = `batch-row state-${row.outcome?.state || row.state} group-${group}`;
  tr.dataset.state = row.outcome?.state || row.state;
  tr.dataset.group = group;
  tr.hidden = ui.batchFilter !== 'all' && group !== ui.batchFilter;
  // data-label: on a phone each row is a card and every cell names its column.
  tr.replaceChildren(...BATCH_COLUMNS.map((c) => el('td', { className: `col-${c}`, dataset: { label: t(`batch.col.${c}`) }, text: cells[c] ?? '' })));
  return tr;
}

function renderBatchTable() {
  if (!batch) {
    $('batch-table-wrap').hidden = true;
    return;
  }
  $('batch-head').replaceChildren(...BATCH_COLUMNS.map((c) => el('th', { scope: 'col', className: `col-${c}`, text: t(`batch.col.${c}`) })));
  $('batch-rows').replaceChildren(...batch.rows.map(renderBatchRow));
  $('batch-table-wrap').hidden = false;
  renderBatchFilters();
}

function renderBatchFilters() {
  const box = $('batch-filters');
  if (!batch) {
    box.hidden = true;
    return;
  }
  const counts = Object.fromEntries(BATCH_FILTERS.map((f) => [f, 0]));
  for (const row of batch.rows) {
    counts.all += 1;
    const group = batchGroup(row);
    if (group in counts) counts[group] += 1;
  }
  box.hidden = false;
  box.replaceChildren(el('span', { className: 'filters-label', text: t('batch.filter.label') }), ...BATCH_FILTERS.map((f) => el('button', {
    type: 'button',
    className: `small filter filter-${f}`,
    'aria-pressed': String(ui.batchFilter === f),
    dataset: { filter: f },
    text: t('batch.filter.count', { name: t(`batch.filter.${f}`), n: counts[f] }),
    onclick: () => {
      ui.batchFilter = f;
      for (const row of batch.rows) if (row.node) row.node.hidden = f !== 'all' && batchGroup(row) !== f;
      renderBatchFilters();
      box.querySelector(`[data-filter="${f}"]`).focus();
    },
  })));
}

function renderBatchProgress() {
  if (!batch) return;
  const done = batch.rows.filter((r) => !['pending', 'running'].includes(r.state)).length;
  $('batch-progress-row').hidden = false;
  $('batch-progress').max = batch.rows.length;
  $('batch-progress').value = done;
  $('batch-progress-text').textContent = t('batch.progress', { done, total: batch.rows.length });
  if (batch.finished) {
    const count = (f) => batch.rows.filter(f).length;
    // On the demo nothing was billed: the count is what the real API would have billed.
    $('batch-summary').textContent = t(batch.rows[0]?.demo ? 'batch.summary_demo' : 'batch.summary', {
      total: batch.rows.length,
      sent: count((r) => r.state === 'done'),
      local: count((r) => r.state === 'local'),
      cancelled: count((r) => r.state === 'cancelled'),
      billed: count((r) => r.outcome?.billed === 'billed'),
    });
    renderBatchStop();
  } else {
    $('batch-summary').textContent = '';
    $('batch-stop').hidden = true;
  }
}

// After an account problem: what happened, the catalogue's 怎么办, and a retry of what did not go.
function renderBatchStop() {
  const box = $('batch-stop');
  const retry = batch.rows.filter((r) => ['held', 'cancelled'].includes(r.state) || (r.state === 'done' && ACCOUNT_STATES.has(r.outcome.state)));
  if (!batch.stoppedBy && !retry.length) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  const o = batch.stoppedBy;
  const held = batch.rows.filter((r) => r.state === 'held').length;
  fill(box,
    o ? el('p', { className: 'stop-reason', text: t('batch.stopped', { title: pick(o.state_label), n: held }) }) : null,
    o ? el('p', { className: 'action' }, el('strong', { text: `${t('result.action')}：` }), pick(o.action)) : null,
    el('button', {
      type: 'button',
      id: 'batch-retry',
      text: t('batch.retry', { n: retry.length }),
      onclick: () => {
        const rows = retry.map(({ number, code, tel, params, validation }) => ({ number, code, tel, params, validation }));
        confirmBatch(rows, currentTarget());
      },
    }));
}

// A table of hundreds of rows costs a full layout whenever it changes: the progress bar moves
// several times a second, finished rows are drawn about twice a second, never once per answer,
// so the page keeps up with the network.
const PROGRESS_REDRAW_MS = 150;
const ROWS_REDRAW_MS = 500;
const dirtyRows = new Set();
let batchRedraw = 0;
let rowsDrawnAt = 0;

function scheduleBatchRender(row) {
  dirtyRows.add(row);
  if (!batchRedraw) batchRedraw = setTimeout(() => flushBatchRender(false), PROGRESS_REDRAW_MS);
}

function flushBatchRender(all = true) {
  clearTimeout(batchRedraw);
  batchRedraw = 0;
  if (all || performance.now() - rowsDrawnAt >= ROWS_REDRAW_MS) {
    for (const row of dirtyRows) renderBatchRow(row);
    dirtyRows.clear();
    rowsDrawnAt = performance.now();
  }
  renderBatchProgress();
  if (dirtyRows.size && !batchRedraw) batchRedraw = setTimeout(() => flushBatchRender(false), PROGRESS_REDRAW_MS);
}

function prepareBatch() {
  if (!core) {
    queueUntilReady('batch');
    return;
  }
  $('batch-notice').replaceChildren();
  $('batch-confirm').hidden = true;
  const items = parseBatchInput($('batch-input').value);
  if (!items.length) {
    $('batch-notice').textContent = t('batch.empty');
    return;
  }
  if (items.length > BATCH_LIMIT) {
    $('batch-notice').textContent = t('batch.too_many', { n: items.length });
    return;
  }
  const target = currentTarget();
  if (target.error) {
    $('batch-notice').textContent = t(target.error.key);
    $(target.error.focus).focus();
    return;
  }
  const seen = new Set();
  const rows = [];
  for (const item of items) {
    // Cleaned as the single query is: full-width digits, a "单号：" label, a name for the carrier.
    const params = { kddh: cleaned('kddh', item.number).value };
    const code = cleaned('code', item.code).value;
    const tel = cleaned('tel', item.tel).value;
    if (code) params.code = code;
    if (tel) params.tel = tel;
    const validation = core.validate(params);
    const key = `${validation.request.tracking_number || item.number}|${params.code || ''}|${params.tel || ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({ number: item.number, code: item.code, tel: item.tel, params, validation });
  }
  if (rows.length < items.length) $('batch-notice').textContent = t('batch.duplicates', { n: items.length - rows.length });
  confirmBatch(rows, target);
}

// On a paid endpoint nothing leaves before the person has seen the most it can cost, and which
// numbers will very likely be billed for nothing (a carrier that needs the phone tail, sent
// without it); numbers queried in the last 30 minutes can be skipped.
function confirmBatch(rows, target) {
  const toSend = rows.filter((r) => r.validation.passed);
  const paid = ui.endpoint !== 'demo' && toSend.length > 0;
  // Repeats cost nothing on the demo: only a paid batch asks about them.
  const recent = paid ? toSend.filter((r) => store.recentQuery(r.validation.request.tracking_number, history))
    : [];
  if (!paid && !recent.length) {
    runBatch(rows, target);
    return;
  }
  const tailless = toSend.filter((r) => !r.params.tel && r.validation.advisories.some((a) => a.kind === 'phone_tail_needed'));
  const lines = [];
  if (paid) lines.push(el('p', { className: 'confirm-cost', text: t('batch.confirm_cost', { n: toSend.length }) }));
  if (paid && tailless.length) {
    lines.push(el('p', { className: 'confirm-tail', text: t('batch.confirm_tail', { n: tailless.length }) }),
      el('ul', { className: 'confirm-numbers' }, tailless.slice(0, 20).map((r) => el('li', { className: 'number', text: r.number }))));
  }
  if (recent.length) lines.push(el('p', { className: 'confirm-recent', text: t('batch.recent', { n: recent.length }) }));
  fill($('batch-confirm-text'), lines);
  $('batch-confirm').hidden = false;
  const recentSet = new Set(recent);
  $('batch-run-all').textContent = paid ? t('batch.confirm_go', { n: toSend.length }) : t('batch.recent.run_all');
  $('batch-run-all').onclick = () => {
    $('batch-confirm').hidden = true;
    runBatch(rows, target);
  };
  $('batch-skip').hidden = !recent.length;
  $('batch-skip').onclick = () => {
    $('batch-confirm').hidden = true;
    runBatch(rows.filter((r) => !recentSet.has(r)), target);
  };
  $('batch-confirm-cancel').onclick = () => {
    $('batch-confirm').hidden = true;
    $('batch-start').focus();
  };
  // The safe choice has the focus: Enter does not start a paid batch by accident.
  $('batch-confirm-cancel').focus();
}

async function runBatch(rows, target) {
  if (!rows.length) {
    $('batch-notice').textContent = t('batch.empty');
    return;
  }
  const controller = new AbortController();
  const source = { ...sourceOf(target), batch: `b${Date.now()}` };
  scenarioUsed();
  batch = {
    controller,
    finished: false,
    stoppedBy: null,
    rows: rows.map((r, index) => ({ ...r, index, demo: source.demo, state: r.validation.passed ? 'pending' : 'local' })),
  };
  ui.batchFilter = 'all';
  renderBatchTable();
  renderBatchProgress();
  $('batch-start').disabled = true;
  $('batch-cancel').disabled = false;
  $('batch-export').disabled = true;
  const queue = batch.rows.filter((r) => r.state === 'pending');
  const concurrency = Math.max(1, Math.min(8, Number($('batch-concurrency').value) || 4));
  let next = 0;
  const finished = [];
  const worker = async () => {
    while (next < queue.length && !controller.signal.aborted && !batch.stoppedBy) {
      const row = queue[next++];
      row.state = 'running';
      const request = { url: buildUrl(target.url, row.params), headers: target.headers, appcode: target.appcode };
      try {
        const { answer, duration } = await performCall(request, controller.signal);
        row.outcome = core.interpret({ ...answer, simulated: source.demo });
        row.duration = duration;
        row.state = 'done';
        // Every further call would fail the same way: stop sending.
        if (ACCOUNT_STATES.has(row.outcome.state) && !batch.stoppedBy) batch.stoppedBy = row.outcome;
        finished.push(historyEntryFor(row.params, row.validation, row.outcome, source));
      } catch {
        row.state = 'cancelled';
      }
      scheduleBatchRender(row);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  for (const row of batch.rows) {
    if (row.state === 'pending' || row.state === 'running') {
      row.state = batch.stoppedBy && row.state === 'pending' ? 'held' : 'cancelled';
      dirtyRows.add(row);
    }
  }
  batch.finished = true;
  flushBatchRender();
  renderBatchFilters();
  if (finished.length) history = store.addHistory(finished.reverse());
  renderHistory();
  renderBatchProgress();
  $('batch-start').disabled = false;
  $('batch-cancel').disabled = true;
  $('batch-export').disabled = false;
}

function exportBatch() {
  if (!batch) return;
  const header = BATCH_COLUMNS.map((c) => t(`batch.col.${c}`));
  const rows = batch.rows.map((row) => {
    const cells = batchCells(row);
    return BATCH_COLUMNS.map((c) => cells[c] ?? '');
  });
  const blob = new Blob([toCsv(header, rows)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
  const link = el('a', { href: url, download: `kuaidi-batch-${stamp}.csv`, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function initBatch() {
  $('batch-start').addEventListener('click', prepareBatch);
  $('batch-cancel').addEventListener('click', () => batch?.controller.abort());
  $('batch-export').addEventListener('click', exportBatch);
  $('batch-file').addEventListener('change', async () => {
    const file = $('batch-file').files[0];
    if (!file) return;
    try {
      $('batch-input').value = (await file.text()).replace(/^\ufeff/, '');
      $('batch-notice').textContent = '';
    } catch (error) {
      $('batch-notice').textContent = t('batch.file_error', { error: error.message });
    }
  });
}

// ---------------------------------------------------------------- ready

// index.html ships 查询 and 开始批量查询 disabled as "加载中…", so a native submit cannot start
// before this script runs (it would abort the download of the core). From here on the buttons
// take the click, and a query asked for while the core still loads runs once it is ready.
let queued = null;

function wireBeforeReady() {
  for (const id of ['submit', 'batch-start']) {
    $(id).disabled = false;
    $(id).setAttribute('aria-disabled', 'true');
  }
  document.documentElement.dataset.wired = 'true';
}

function queueUntilReady(what) {
  queued = what;
  const status = what === 'batch' ? $('batch-notice') : $('form-status');
  status.textContent = t('loading.queued');
}

function markReady() {
  for (const [id, key] of [['submit', 'submit'], ['batch-start', 'batch.start']]) {
    $(id).removeAttribute('aria-disabled');
    $(id).dataset.i18n = key;
    $(id).textContent = t(key);
  }
  const what = queued;
  queued = null;
  if (what === 'query') submitQuery();
  else if (what === 'batch') prepareBatch();
  else $('kddh').focus({ preventScroll: true });
}

// ---------------------------------------------------------------- start

async function start() {
  performance.mark('kuaidi-start');
  // The module compiles and the demo probe travels (both started by boot.js) while the page wires
  // itself up.
  const boot = typeof window.kuaidiBoot === 'function' ? window.kuaidiBoot() : { wasm: null, demo: false };
  const loading = Promise.allSettled([loadCore(boot.wasm), boot.demo]);
  const prefs = store.loadPrefs();
  ui.lang = prefs.lang === 'en' ? 'en' : 'zh';
  applyLabels();
  initAppcode();
  initForm();
  initCopyButtons();
  initSamples();
  initHistory();
  initBatch();
  initDevMode(prefs);
  initDiagnose({
    core: () => core, t, pick, el, fill, showCard: renderPastedCard, checkCall: appcodeCheckCall, scenarioTitle,
  });
  prefillFromHash();
  wireBeforeReady();
  $('lang-switch').addEventListener('click', () => setLanguage(ui.lang === 'zh' ? 'en' : 'zh'));

  const [loaded, demo] = await loading;
  ui.demoServer = demo.status === 'fulfilled' && demo.value;
  initDemoSettings(prefs);
  initClock({ button: $('clock-advance'), status: $('clock-status'), simulator: () => demoSimulator,
    served: () => ui.demoServer, t });
  initEndpoint(prefs);
  initAppcodeOffer();
  initSettings();
  if (loaded.status !== 'fulfilled') {
    $('load-status').textContent = t('load.failed');
    $('load-status').classList.add('error');
    renderEndpoint();
    renderHistory();
    renderSamples();
    return;
  }
  core = loaded.value;
  startDemoSimulator();
  performance.mark('kuaidi-core');
  renderAll({ lists: false });
  $('load-status').hidden = true;
  document.documentElement.dataset.ready = 'true';
  performance.mark('kuaidi-ready');
  markReady();
  // Then, while the person reads: the demo scenarios and the carrier list.
  const later = window.requestIdleCallback || ((f) => setTimeout(f, 1));
  later(() => {
    renderScenarioOptions();
    renderCarrierOptions();
  }, { timeout: 300 });

  if ('serviceWorker' in navigator && window.isSecureContext) {
    navigator.serviceWorker.register('sw.js').catch(() => {});
  }
}

start();
