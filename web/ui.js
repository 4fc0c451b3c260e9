// What every view of the page uses: its labels in the current language, an element builder, the
// one date format, copying, and the URL of a query. Text from the network is always set with
// textContent, never parsed as HTML.

import { labels, format } from './i18n.js';
import { state, update } from './state.js';

export const $ = (id) => document.getElementById(id);

const pluralRules = { zh: new Intl.PluralRules('zh-CN'), en: new Intl.PluralRules('en') };

export function t(key, values) {
  // The language's plural rules pick the label for a count: "1 duplicate number removed" in English.
  const count = values?.n ?? values?.minutes;
  if (Number.isInteger(count)) {
    const form = `${key}.${pluralRules[state.lang].select(count)}`;
    if (labels[state.lang][form]) key = form;
  }
  const text = labels[state.lang][key] ?? labels.zh[key] ?? key;
  return values ? format(text, values) : text;
}

export const hasLabel = (key) => key in labels[state.lang];

// A {zh, en} text from the core in the current language.
export const pick = (text) => (text ? text[state.lang] || text.zh || '' : '');

// Element builder: props.text sets textContent; children are nodes or strings (as text).
export function el(tag, props = {}, ...children) {
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
export function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

// One date format everywhere, as the API writes event times: 2024-05-01 16:00:00 (local time).
export function formatTime(ms, utc = false) {
  const d = new Date(ms);
  const two = (n) => String(n).padStart(2, '0');
  const part = (name) => d[`get${utc ? 'UTC' : ''}${name}`]();
  const [y, mo, day, h, mi, sec] = ['FullYear', 'Month', 'Date', 'Hours', 'Minutes', 'Seconds'].map(part);
  return `${y}-${two(mo + 1)}-${two(day)} ${two(h)}:${two(mi)}:${two(sec)}`;
}

// An event's time in that format, from the core's reading of it (2024/05/01 16:00 → 2024-05-01
// 16:00:00); as sent when the core could not read it.
export const eventTime = (e) => (Number.isInteger(e?.sort_key) ? formatTime(e.sort_key * 1000, true)
  : e?.time || '');

export function billedLabel(billed) {
  return t(`result.billed.${billed}`);
}

// A demo answer bills nothing: its badge says what the real API would have done.
export function billedText(billed, demo) {
  return demo ? t(`result.billed_demo.${billed}`) : billedLabel(billed);
}

export function buildUrl(endpoint, params) {
  const query = Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  return `${endpoint}${endpoint.includes('?') ? '&' : '?'}${query}`;
}

export async function copyText(text, button) {
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

// index.html ships 查询 and 开始批量查询 disabled as "加载中…"; once wired they take the click, and
// what was asked for while the core still loads runs once it is ready (app.js).
export function queueUntilReady(what) {
  update({ queued: what });
  const status = what === 'batch' ? $('batch-notice') : $('form-status');
  status.textContent = t('loading.queued');
}

// The tab a key moves to in a tab list (WAI-ARIA: arrows wrap, Home and End); null for other keys.
export function tabForKey(key, index, count) {
  if (key === 'ArrowRight') return (index + 1) % count;
  if (key === 'ArrowLeft') return (index - 1 + count) % count;
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  return null;
}

export function focusResult() {
  $('result-title').focus({ preventScroll: false });
}
