// Where a query goes and with what: the endpoint (演示, 阿里云云市场, a custom address), the in-page
// demo's settings (gateway, quota) and the forced 演示场景.

import { state, restore, update } from './state.js';
import * as store from './store.js';
import { $, t, pick, el, fill, buildUrl } from './ui.js';
import { catalogue, scenarioTitle } from './core.js';
import { demoInPage, performCall } from './transport.js';

export const ALIYUN_ENDPOINT = 'https://chawuliu.market.alicloudapi.com/query';
export const DEMO_APPCODE = 'demo';  // the demo server needs no purchase; it is not a secret

export function endpointUrl() {
  if (state.endpoint === 'demo') {
    return state.demoServer ? new URL('query', location.href).href : ALIYUN_ENDPOINT;
  }
  if (state.endpoint === 'aliyun') return ALIYUN_ENDPOINT;
  return state.customUrl.trim();
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
export function currentTarget() {
  const url = endpointUrl();
  const typed = $('appcode').value.trim();
  const headers = [];
  const scenario = $('scenario').value;
  if (state.endpoint === 'demo' && scenario) headers.push(['X-Mock-Scenario', scenario]);
  let error = null;
  if (state.endpoint === 'custom' && !customUrlValid(url)) {
    error = { key: 'endpoint.custom.invalid', focus: 'custom-url' };
  }
  const appcode = typed || (state.endpoint === 'demo' ? DEMO_APPCODE : '');
  if (!error && !appcode) error = { key: 'appcode.required', focus: 'appcode' };
  return { url, appcode, typedAppcode: typed, headers, error };
}

// The target, or null once why a query cannot go is said in `status` and its box has the focus.
export function targetOrSay(status) {
  const target = currentTarget();
  if (!target.error) return target;
  status.textContent = t(target.error.key);
  $(target.error.focus).focus();
  return null;
}

export function renderEndpoint() {
  for (const radio of document.querySelectorAll('input[name="endpoint"]')) {
    radio.checked = radio.value === state.endpoint;
  }
  $('custom-url').hidden = state.endpoint !== 'custom';
  $('custom-url').value = state.customUrl;
  $('endpoint-url').textContent = endpointUrl() || '—';
  $('scenario-field').hidden = state.endpoint !== 'demo';
  $('demo-settings').hidden = !demoInPage();
  $('demo-gateway').value = state.demoGateway;
  $('demo-quota').value = state.demoQuota ?? '';
  if (state.endpoint === 'demo') {
    $('endpoint-note').textContent = t(state.demoServer ? 'endpoint.demo_server' : 'endpoint.demo_page');
  }
}

// The page's simulator for the demo settings (quotas start over with a new one).
export function demoSimulatorFor(core) {
  return core ? core.simulator({
    gateway: state.demoGateway,
    appcodes: [{ appcode: DEMO_APPCODE, quota: state.demoQuota }],
    trace_anchor_seconds: Math.floor(Date.now() / 1000),
  }) : null;
}

// Made again when its settings change.
function restartDemoSimulator() {
  state.demoSimulator?.delete();
  $('clock-status').textContent = '';  // a new simulator's clock starts again at the anchor
  update({ demoSimulator: demoSimulatorFor(state.core) });
}

export function initDemoSettings(prefs) {
  restore({
    demoGateway: prefs.demo_gateway === 'vpc' ? 'vpc' : 'classic',
    demoQuota: Number.isInteger(prefs.demo_quota) && prefs.demo_quota >= 0 ? prefs.demo_quota : null,
  });
  $('demo-gateway').addEventListener('change', () => {
    const demoGateway = $('demo-gateway').value === 'vpc' ? 'vpc' : 'classic';
    store.savePrefs({ demo_gateway: demoGateway });
    update({ demoGateway });
    restartDemoSimulator();
  });
  $('demo-quota').addEventListener('change', () => {
    const text = $('demo-quota').value.trim();
    const quota = text === '' ? null : Number(text);
    const demoQuota = Number.isInteger(quota) && quota >= 0 ? quota : null;
    store.savePrefs({ demo_quota: demoQuota });
    update({ demoQuota });
    restartDemoSimulator();
  });
  $('demo-reset').addEventListener('click', () => {
    state.demoSimulator?.resetAccounts();
    $('demo-settings-status').textContent = t('demo.reset_done');
  });
}

export function initEndpoint(prefs) {
  const wanted = prefs.endpoint;
  restore({
    customUrl: typeof prefs.custom_url === 'string' ? prefs.custom_url : '',
    endpoint: wanted === 'aliyun' || wanted === 'custom' ? wanted : 'demo',
  });
  for (const radio of document.querySelectorAll('input[name="endpoint"]')) {
    radio.addEventListener('change', () => {
      if (!radio.checked) return;
      $('endpoint-note').textContent = '';
      store.savePrefs({ endpoint: radio.value });
      update({ endpoint: radio.value });
      if (state.endpoint === 'custom') $('custom-url').focus();
    });
  }
  $('custom-url').addEventListener('input', () => {
    const customUrl = $('custom-url').value;
    store.savePrefs({ custom_url: customUrl.trim() });
    update({ customUrl });
    const invalid = customUrl && !customUrlValid(customUrl.trim());
    $('endpoint-note').textContent = invalid ? t('endpoint.custom.invalid') : '';
  });
  $('scenario').addEventListener('change', () => update({ scenario: true }));
  $('scenario-keep').addEventListener('change', () => update({ scenario: true }));
}

export function renderScenarioOptions() {
  const select = $('scenario');
  const chosen = select.value;
  select.replaceChildren(el('option', { value: '', text: t('scenario.natural') }));
  const groups = new Map();
  for (const s of catalogue()) {
    if (!groups.has(s.source)) {
      groups.set(s.source, el('optgroup', { label: t(`scenario.group.${s.source}`) }));
    }
    const status = s.source === 'gateway' ? `HTTP ${s.classic.http_status}` : `HTTP ${s.http_status}`;
    const detail = s.msg || s.classic?.message || '';
    const text = `${pick(s.title)} · ${status} ${detail}`.trim();
    groups.get(s.source).append(el('option', { value: s.id, text }));
  }
  select.append(...groups.values());
  select.value = chosen;
}

// What a call's answer is: simulated by the demo (and under which forced scenario) or real.
export function sourceOf(target) {
  const scenario = target.headers.find(([name]) => name === 'X-Mock-Scenario')?.[1] || '';
  return { demo: state.endpoint === 'demo', scenario };
}

// A forced 演示场景 serves one query unless the person asked to keep it.
export function scenarioUsed() {
  if ($('scenario-keep').checked || !$('scenario').value) return;
  $('scenario').value = '';
  update({ scenario: true });
}

export function renderScenarioActive() {
  const id = state.endpoint === 'demo' ? $('scenario').value : '';
  const box = $('scenario-active');
  if (!id) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  box.hidden = false;
  fill(box,
    el('span', {
      className: 'tag tag-scenario', text: t('scenario.active', { title: scenarioTitle(id) }),
    }), ' ',
    el('span', {
      text: $('scenario-keep').checked ? t('scenario.active_kept') : t('scenario.active_once'),
    }), ' ',
    el('button', {
      type: 'button',
      className: 'small',
      id: 'scenario-clear',
      text: t('scenario.clear'),
      onclick: () => {
        $('scenario').value = '';
        update({ scenario: true });
        $('kddh').focus();
      },
    }));
}

// The AppCode check's one call (diagnose.js): where a query goes, with its AppCode, no tracking
// number (the vendor's unbilled 666) and no forced 演示场景 (the account itself is checked).
export function appcodeCheckCall() {
  const target = currentTarget();
  if (target.error) return { error: target.error.key, focus: target.error.focus };
  const request = { url: buildUrl(target.url, { kddh: '' }), headers: [], appcode: target.appcode };
  return { url: request.url, demo: state.endpoint === 'demo', run: () => performCall(request) };
}
