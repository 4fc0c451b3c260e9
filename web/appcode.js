// The AppCode: kept 10 days in this browser (store.js), shown or hidden, forgotten on request; the
// offer to switch to the real endpoint when a purchased one is typed on the demo; and the settings
// card's folded line (settings_fold.js).

import { state, update } from './state.js';
import * as store from './store.js';
import { $, t, el, formatTime } from './ui.js';
import { maskSecret } from './core.js';
import { DEMO_APPCODE } from './endpoint.js';
import { initSettingsFold, placeSettings, renderSettingsFold } from './settings_fold.js';

export function renderAppcodeSaved() {
  const saved = store.loadAppcode();
  const node = $('appcode-saved');
  if (saved) node.textContent = t('appcode.saved_until', { date: formatTime(saved.expires) });
  else node.textContent = state.endpoint === 'demo' ? t('appcode.demo_hint') : t('appcode.not_saved');
}

export function renderAppcodeToggle() {
  const shown = $('appcode').type === 'text';
  $('appcode-toggle').textContent = shown ? t('appcode.hide') : t('appcode.show');
  $('appcode-toggle').setAttribute('aria-pressed', String(shown));
}

export function initAppcode() {
  const saved = store.loadAppcode();
  if (saved) $('appcode').value = saved.value;
  $('appcode').addEventListener('input', () => {
    store.saveAppcode($('appcode').value.trim());
    update({ appcode: true });
  });
  $('appcode-toggle').addEventListener('click', () => {
    $('appcode').type = $('appcode').type === 'password' ? 'text' : 'password';
    renderAppcodeToggle();
  });
  $('appcode-forget').addEventListener('click', () => {
    store.forgetAppcode();
    $('appcode').value = '';
    $('appcode').type = 'password';
    renderAppcodeToggle();
    update({ appcode: true });
    $('appcode-saved').textContent = t('appcode.forgotten');
  });
}

// An AppCode that is not the demo's, typed while the demo endpoint is chosen, is almost surely a
// purchased one: offer the real endpoint at once, unless the person chose to stay on the demo.
function appcodeMismatch() {
  const typed = $('appcode').value.trim();
  return state.endpoint === 'demo' && Boolean(typed) && typed !== DEMO_APPCODE;
}

function switchToAliyun() {
  const radio = document.querySelector('input[name="endpoint"][value="aliyun"]');
  radio.checked = true;
  radio.dispatchEvent(new Event('change', { bubbles: true }));
  update({ offer: true });
  $('form-status').textContent = t('demo.switched');
  $('kddh').focus();
}

export function appcodeOffer() {
  return el('div', { className: 'offer', role: 'group', 'aria-label': t('demo.offer_title') },
    el('p', { text: t('demo.offer') }),
    el('p', { className: 'row' },
      el('button', {
        type: 'button',
        className: 'primary small offer-switch',
        text: t('demo.offer_switch'),
        onclick: switchToAliyun,
      }),
      el('button', {
        type: 'button',
        className: 'small offer-stay',
        text: t('demo.offer_stay'),
        onclick: () => {
          store.savePrefs({ demo_with_own_appcode: true });
          update({ offer: true });
        },
      })));
}

export function renderAppcodeOffer() {
  const box = $('appcode-offer');
  const show = appcodeMismatch() && !store.loadPrefs().demo_with_own_appcode;
  box.hidden = !show;
  if (show) box.replaceChildren(appcodeOffer());
  else box.replaceChildren();
}

// The query comes first: once the endpoint and AppCode are set, the settings are one line above
// it (settings_fold.js).
function settingsReady() {
  return state.endpoint === 'demo' || Boolean($('appcode').value.trim());
}

export function renderSettingsSummary() {
  const typed = $('appcode').value.trim();
  const parts = [];
  if (typed) parts.push(t('settings.saved', { mask: maskSecret(typed) }));
  parts.push(t(`endpoint.${state.endpoint}`));
  renderSettingsFold({ ready: settingsReady(), line: `${parts.join(' · ')} ·`, label: t });
}

export function initSettings() {
  placeSettings();
  initSettingsFold({
    rerender: renderSettingsSummary,
    first: () => (state.endpoint === 'demo' ? document.querySelector('input[name="endpoint"]:checked')
      : $('appcode')),
  });
}
