// Developer mode as developers know it from Postman or Swagger UI: a status strip right under the
// result, then tabs Body | Headers | 字段解析 | curl. The tabs follow the WAI-ARIA tabs pattern
// (roving tabindex, arrow keys, Home/End, the panel follows the focus, the focus stays on the tab).
// Everything shown comes from the call itself; no documented message is written here.

import { buildSample } from './samples.js';
import { state, restore, update } from './state.js';
import * as store from './store.js';
import { $, t, pick, el, fill, hasLabel, billedText, buildUrl, copyText, focusResult, tabForKey }
  from './ui.js';
import { carrierByCode, maskSecret, scenarioById } from './core.js';
import { currentTarget } from './endpoint.js';

export const DEV_TABS = ['body', 'headers', 'parse', 'curl'];

// ctx: {el, t, pick, lang, copyText, examples(), maskSecret, billedText}; view: {request, answer,
// outcome, duration, demo}; tab: the tab shown; on: {tab(id), close()}.
export function requestText(ctx, request) {
  const lines = [`GET ${request.url}`, `Authorization: APPCODE ${ctx.maskSecret(request.appcode)}`];
  for (const [name, value] of request.headers) lines.push(`${name}: ${value}`);
  return lines.join('\n');
}

export function prettyBody(body) {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

function jsonType(value) {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value;
}

// One row per field of the body (and of its first event), as the vendor's page explains them.
function parseRows(ctx, body, outcome) {
  let parsed;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const { el, t } = ctx;
  const examples = ctx.examples();
  const row = (name, value, nested) => {
    const description = ctx.has(`schema.${name}`) ? t(`schema.${name}`) : t('schema.unknown');
    let shown;
    if (Array.isArray(value)) shown = t('devpanel.items', { n: value.length });
    else if (value !== null && typeof value === 'object') shown = JSON.stringify(value);
    else shown = String(value);
    if (name === 'status' && !nested && outcome?.status_label) {
      shown += `（${ctx.pick(outcome.status_label)}）`;
    }
    return el('tr', { className: nested ? 'nested' : '' },
      el('th', { scope: 'row', text: name }), el('td', { text: jsonType(value) }), el('td', { text: shown }),
      el('td', { text: description }),
      el('td', { text: Object.hasOwn(examples, name) ? examples[name] : '' }));
  };
  const rows = [];
  for (const [name, value] of Object.entries(parsed)) {
    rows.push(row(name, value, false));
    if (name === 'data' && Array.isArray(value) && value[0] && typeof value[0] === 'object') {
      for (const [inner, innerValue] of Object.entries(value[0])) rows.push(row(inner, innerValue, true));
    }
  }
  return rows;
}

// A code block with its copy button at the top right, where developers look for it.
function codeBlock(ctx, id, text) {
  const { el } = ctx;
  const button = el('button', { type: 'button', className: 'small copy', text: ctx.t('devpanel.copy') });
  button.addEventListener('click', () => ctx.copyText(text, button));
  return el('div', { className: 'code-block' },
    el('pre', { className: 'code', tabindex: '0', id }, el('code', { text })), button);
}

// What a call cost and took, on one line: "HTTP 200 · 27 ms · 570 B · 已计费" (on the demo, what
// the real API would bill).
export function statusStrip(ctx, view) {
  const { answer, outcome } = view;
  const size = new TextEncoder().encode(answer.body).length;
  return [answer.http_status ? `HTTP ${answer.http_status}` : ctx.t('result.no_http'),
    ctx.t('result.ms', { ms: Math.round(view.duration) }), ctx.t('devpanel.bytes', { n: size }),
    ctx.billedText(outcome.billed, view.demo)].join(' · ');
}

function bodyPanel(ctx, view) {
  const { el, t } = ctx;
  const { answer } = view;
  const pretty = prettyBody(answer.body);
  // An empty body from the gateway: the reason travels in a header the browser may not show.
  const emptyReason = answer.body || !answer.http_status ? null
    : t(answer.headers_readable ? 'devpanel.empty_reason' : 'devpanel.empty_reason_hidden');
  return [
    el('p', {
      id: 'dev-status',
      className: 'status-line',
      text: answer.http_status ? `HTTP ${answer.http_status}`
        : `${t('result.no_http')}: ${answer.transport_error}`,
    }),
    codeBlock(ctx, 'dev-body', pretty || t('devpanel.body_empty')),
    emptyReason ? el('p', { className: 'hint', id: 'dev-empty-reason', text: emptyReason }) : null,
  ];
}

function headersPanel(ctx, view) {
  const { el, t } = ctx;
  const { answer } = view;
  // X-Ca-* (the gateway's own) stand out; access-control-* (CORS plumbing) are folded away.
  const cors = (name) => /^access-control-/i.test(name);
  const headerRow = ([name, value]) => el('tr', { className: /^x-ca-/i.test(name) ? 'gateway-header' : '' },
    el('th', { scope: 'row', text: name }), el('td', { text: value }));
  const table = (rows, id) => el('div', { className: 'table-wrap' },
    el('table', { className: 'headers-table', id }, el('tbody', {}, rows)));
  const corsRows = answer.headers.filter(([name]) => cors(name)).map(headerRow);
  return [
    answer.headers_readable ? null : el('p', { className: 'hint', text: t('devpanel.headers_hidden') }),
    table(answer.headers.filter(([name]) => !cors(name)).map(headerRow), 'dev-headers'),
    corsRows.length ? el('details', { className: 'cors-headers' },
      el('summary', { text: t('devpanel.cors', { n: corsRows.length }) }), table(corsRows)) : null,
  ];
}

function parsePanel(ctx, view) {
  const { el, t } = ctx;
  const rows = parseRows(ctx, view.answer.body, view.outcome);
  if (!rows) return [el('p', { className: 'hint', text: t('devpanel.not_json') })];
  const columns = ['name', 'type', 'value', 'description', 'example'];
  return [el('p', { className: 'hint', text: t('devpanel.parse_intro') }),
    el('div', { className: 'table-wrap' }, el('table', { className: 'parse-table', id: 'dev-parse' },
      el('thead', {}, el('tr', {},
        columns.map((c) => el('th', { scope: 'col', text: t(`devpanel.col.${c}`) })))),
      el('tbody', {}, rows)))];
}

// The request as sent (AppCode masked), and as curl reading the AppCode from the environment.
function curlPanel(ctx, view) {
  const { el, t } = ctx;
  const { request } = view;
  const curl = buildSample('curl', {
    url: request.url, headers: request.headers, appcode: null, lang: ctx.lang,
  });
  return [
    el('h4', { text: t('devpanel.request') }),
    codeBlock(ctx, 'dev-request', requestText(ctx, request)),
    el('h4', { text: 'curl' }),
    codeBlock(ctx, 'dev-curl', curl.code),
  ];
}

const PANELS = { body: bodyPanel, headers: headersPanel, parse: parsePanel, curl: curlPanel };

// Switching keeps every panel in the page (only `hidden` changes), so the focus stays on the tab.
function selectTab(list, id, focus) {
  for (const tab of list.querySelectorAll('[role="tab"]')) {
    const selected = tab.dataset.tab === id;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
    document.getElementById(tab.getAttribute('aria-controls')).hidden = !selected;
    if (selected && focus) tab.focus();
  }
}

export function devPanelNodes(ctx, view, shown, on) {
  const { el, t } = ctx;
  const current = DEV_TABS.includes(shown) ? shown : 'body';
  const list = el('div', {
    className: 'tabs dev-tabs', role: 'tablist', id: 'dev-tabs', 'aria-label': t('devpanel.tabs'),
  });
  const panels = DEV_TABS.map((id) => {
    list.append(el('button', {
      type: 'button',
      role: 'tab',
      id: `dev-tab-${id}`,
      'aria-controls': `dev-panel-${id}`,
      dataset: { tab: id },
      text: t(`devpanel.tab.${id}`),
      onclick: () => {
        selectTab(list, id, false);
        on.tab(id);
      },
    }));
    return el('div', {
      role: 'tabpanel',
      id: `dev-panel-${id}`,
      className: 'dev-tabpanel',
      'aria-labelledby': `dev-tab-${id}`,
      tabindex: '0',
    }, PANELS[id](ctx, view));
  });
  list.addEventListener('keydown', (event) => {
    const from = DEV_TABS.indexOf(list.querySelector('[aria-selected="true"]').dataset.tab);
    const index = tabForKey(event.key, from, DEV_TABS.length);
    if (index === null) return;
    event.preventDefault();
    selectTab(list, DEV_TABS[index], true);
    on.tab(DEV_TABS[index]);
  });
  const close = el('button', {
    type: 'button', className: 'small dev-close', text: t('devpanel.close'), onclick: on.close,
  });
  const strip = el('p', { id: 'dev-strip', className: 'status-strip', text: statusStrip(ctx, view) });
  const nodes = [el('div', { className: 'row strip-row' }, strip, close), list, ...panels];
  // Drawn before the tabs are in the document: selectTab looks the panels up by id.
  for (const tab of list.children) {
    const selected = tab.dataset.tab === current;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
  }
  for (const panel of panels) panel.hidden = panel.id !== `dev-panel-${current}`;
  return nodes;
}

// The panel under the result, in developer mode.

function fieldExamples() {
  const success = scenarioById('success');
  const zto = carrierByCode('zhongtong');
  return {
    ok: '1',
    msg: success?.msg || '',
    status: '2',
    kdmc: zto?.name_zh || '',
    kddh: state.core.mask('786270000758'),
    data: '[...]',
    time: '2022-10-27 19:18:40',
    content: '【泉州市】快件离开【福建营销部】已发往【泉州中转部】',
  };
}

// What the panel's parts need of the page.
const devContext = () => ({
  el, t, pick, copyText, maskSecret, billedText, lang: state.lang, examples: fieldExamples, has: hasLabel,
});

export function renderDevPanel() {
  const panel = $('devpanel');
  const body = $('devpanel-body');
  const call = state.lastCall;
  if (!state.dev || !call || call.pending || call.past || state.devBodyClosed) {
    panel.hidden = true;
    body.replaceChildren();
    return;
  }
  panel.hidden = false;
  if (call.local) {
    const target = currentTarget();
    const request = {
      url: buildUrl(target.url, call.params), headers: target.headers, appcode: target.appcode,
    };
    body.replaceChildren(
      el('h3', { text: t('devpanel.request') }),
      el('pre', { className: 'code', tabindex: '0', id: 'dev-request' },
        el('code', { text: requestText(devContext(), request) })),
      el('p', { className: 'hint', text: t('precheck.blocked') }));
    return;
  }
  const { request, answer, outcome, duration } = call;
  const view = { request, answer, outcome, duration, demo: call.source?.demo };
  fill(body, devPanelNodes(devContext(), view, state.devTab, {
    // The tabs switch themselves (the focus stays on the tab): the choice is only remembered.
    tab: (id) => update({ devTab: id }),
    close: () => {
      update({ devBodyClosed: true });
      focusResult();
    },
  }));
}

export function initDevMode(prefs) {
  restore({ dev: Boolean(prefs.dev) });
  $('dev-mode').checked = state.dev;
  $('dev-mode').setAttribute('aria-checked', String(state.dev));
  document.body.classList.toggle('dev', state.dev);
  $('dev-mode').addEventListener('change', () => {
    const dev = $('dev-mode').checked;
    $('dev-mode').setAttribute('aria-checked', String(dev));
    document.body.classList.toggle('dev', dev);
    store.savePrefs({ dev });
    update({ dev, devBodyClosed: false });
  });
}
