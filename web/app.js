// The zero-code page: loads the WebAssembly core and wires the views to the page's state.
// Everything the API can answer is explained by the core (validate / interpret / catalogue); the
// views only show it. Text from the network is always set with textContent, never parsed as HTML.

import { state, restore, update, view } from './state.js';
import * as store from './store.js';
import { $, t, copyText } from './ui.js';
import { loadCore } from './core.js';
import { demoSimulatorFor, initDemoSettings, initEndpoint, renderEndpoint, renderScenarioActive,
  renderScenarioOptions } from './endpoint.js';
import { initAppcode, initSettings, renderAppcodeOffer, renderAppcodeSaved, renderAppcodeToggle,
  renderSettingsSummary } from './appcode.js';
import { hidePrecheckSaid, initForm, prefillFromHash, queryAgain, renderCarrierOptions, renderCarrierPicker,
  renderRecentWarning, submitQuery, validateForm } from './form.js';
import { initResult, renderResult } from './result.js';
import { initDevMode, renderDevPanel } from './devpanel.js';
import { initSamples, renderSamples } from './samples.js';
import { initHistory, renderHistory } from './history.js';
import { initBatch, prepareBatch, renderBatchFilter, renderBatchProgress, renderBatchTable }
  from './batch.js';
import { initClock } from './clock.js';
import { initDiagnose, renderDiagnose } from './diagnose.js';

function applyLabels() {
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t('page.title');
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-i18n-placeholder]')) {
    node.placeholder = t(node.dataset.i18nPlaceholder);
  }
  for (const node of document.querySelectorAll('[data-i18n-aria-label]')) {
    node.setAttribute('aria-label', t(node.dataset.i18nAriaLabel));
  }
  $('lang-switch').lang = state.lang === 'zh' ? 'en' : 'zh-CN';
  renderAppcodeToggle();
}

// Which view shows what, in the order the page draws them. Every view is drawn in the chosen
// language once the core is loaded; the scenario and carrier lists wait until the page is ready.
const DRAWN = ['lang', 'core'];
view(applyLabels, ['lang']);
view(renderAppcodeSaved, [...DRAWN, 'appcode', 'endpoint']);
view(renderEndpoint, [...DRAWN, 'endpoint', 'customUrl', 'demoServer', 'demoGateway', 'demoQuota']);
view(renderSettingsSummary, [...DRAWN, 'appcode', 'endpoint']);
view(renderAppcodeOffer, [...DRAWN, 'appcode', 'endpoint', 'offer']);
view(renderScenarioActive, [...DRAWN, 'endpoint', 'scenario']);
view(renderScenarioOptions, ['lang', 'lists']);
view(renderCarrierOptions, ['lang', 'lists']);
view(renderCarrierPicker, DRAWN);
view(validateForm, [...DRAWN, 'form', 'submitAttempted', 'settled']);
view(renderRecentWarning, ['lang', 'recent']);
view(renderResult, [...DRAWN, 'lastCall', 'dev', 'offer']);
view(hidePrecheckSaid, ['lastCall']);
view(renderDevPanel, [...DRAWN, 'lastCall', 'dev', 'devBodyClosed']);
view(renderSamples, [...DRAWN, 'form', 'appcode', 'endpoint', 'customUrl', 'demoServer', 'scenario',
  'samples', 'sampleLanguage', 'revealInSamples']);
view(renderHistory, [...DRAWN, 'history', 'historyOpen', 'clearedHistory']);
view(renderBatchTable, [...DRAWN, 'batch']);
view(renderBatchFilter, [...DRAWN, 'batch', 'batchFilter']);
view(renderBatchProgress, [...DRAWN, 'batch']);
view(renderDiagnose, DRAWN);

function initCopyButtons() {
  for (const button of document.querySelectorAll('[data-copy-from]')) {
    button.addEventListener('click', () => copyText($(button.dataset.copyFrom).textContent, button));
  }
}

// index.html ships 查询 and 开始批量查询 disabled as "加载中…", so a native submit cannot start
// before this script runs (it would abort the download of the core). From here on the buttons
// take the click, and a query asked for while the core still loads runs once it is ready.
function wireBeforeReady() {
  for (const id of ['submit', 'batch-start']) {
    $(id).disabled = false;
    $(id).setAttribute('aria-disabled', 'true');
  }
  document.documentElement.dataset.wired = 'true';
}

function markReady() {
  for (const [id, key] of [['submit', 'submit'], ['batch-start', 'batch.start']]) {
    $(id).removeAttribute('aria-disabled');
    $(id).dataset.i18n = key;
    $(id).textContent = t(key);
  }
  const what = state.queued;
  update({ queued: null });
  if (what === 'query') submitQuery();
  else if (what === 'batch') prepareBatch();
  else $('kddh').focus({ preventScroll: true });
}

async function start() {
  performance.mark('kuaidi-start');
  // The module compiles and the demo probe travels (both started by boot.js) while the page wires
  // itself up.
  const boot = typeof window.kuaidiBoot === 'function' ? window.kuaidiBoot() : { wasm: null, demo: false };
  const loading = Promise.allSettled([loadCore(boot.wasm), boot.demo]);
  const prefs = store.loadPrefs();
  restore({ lang: prefs.lang === 'en' ? 'en' : 'zh' });
  applyLabels();
  initAppcode();
  initForm();
  initResult({ sendAnyway: () => submitQuery({ force: true }) });
  initCopyButtons();
  initSamples();
  initHistory({ again: queryAgain });
  initBatch();
  initDevMode(prefs);
  initDiagnose();
  prefillFromHash();
  wireBeforeReady();
  $('lang-switch').addEventListener('click', () => {
    const lang = state.lang === 'zh' ? 'en' : 'zh';
    store.savePrefs({ lang });
    update({ lang });
  });

  const [loaded, demo] = await loading;
  restore({ demoServer: demo.status === 'fulfilled' && demo.value });
  initDemoSettings(prefs);
  initClock({ button: $('clock-advance'), status: $('clock-status'), simulator: () => state.demoSimulator,
    served: () => state.demoServer, t });
  initEndpoint(prefs);
  initSettings();
  if (loaded.status !== 'fulfilled') {
    $('load-status').textContent = t('load.failed');
    $('load-status').classList.add('error');
    // Without the core: where a query would go, the history and the samples.
    update({ endpoint: state.endpoint, history: state.history });
    return;
  }
  const core = loaded.value;
  restore({ demoSimulator: demoSimulatorFor(core) });
  performance.mark('kuaidi-core');
  update({ core });
  $('load-status').hidden = true;
  document.documentElement.dataset.ready = 'true';
  performance.mark('kuaidi-ready');
  markReady();
  // Then, while the person reads: the demo scenarios and the carrier list.
  const later = window.requestIdleCallback || ((f) => setTimeout(f, 1));
  later(() => update({ lists: true }), { timeout: 300 });

  if ('serviceWorker' in navigator && window.isSecureContext) {
    navigator.serviceWorker.register('sw.js').catch(() => {});
  }
}

start();
