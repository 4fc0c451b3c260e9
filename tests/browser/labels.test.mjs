// The page's UI labels (web/i18n.js): both languages have every label, and every label the page
// asks for exists. (No browser needed; the page's files are read as they were built.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { core, labels, webRoot } from './harness.mjs';

const read = (file) => readFileSync(path.join(webRoot, file), 'utf8');
// The page's own files (not the compiled module).
const pageFiles = (pattern) => readdirSync(webRoot).filter((f) => pattern.test(f) && f !== 'kuaidi.js');

test('Chinese and English have the same labels, none empty', () => {
  assert.deepEqual(Object.keys(labels.en).sort(), Object.keys(labels.zh).sort());
  for (const lang of ['zh', 'en']) {
    for (const [key, text] of Object.entries(labels[lang])) assert.ok(text.trim(), `${lang} ${key} is empty`);
  }
});

test('every label the page uses exists', () => {
  const html = read('index.html');
  const used = new Set([...html.matchAll(/data-i18n(?:-placeholder|-aria-label)?="([^"]+)"/g)].map((m) => m[1]));
  // Every module of the page asks for labels through t(…).
  const scripts = pageFiles(/\.js$/).map(read).join('\n');
  for (const m of scripts.matchAll(/\bt\('([a-z_.]+)'/g)) used.add(m[1]);
  // Keys built from data: one per catalogue source, billing value and table column.
  for (const s of core.catalogue) used.add(`scenario.group.${s.source}`);
  for (const b of ['billed', 'not_billed', 'unknown']) used.add(`result.billed.${b}`);
  assert.ok(used.size > 60, `only ${used.size} labels found: the scan is broken`);
  const missing = [...used].filter((key) => !(key in labels.zh));
  assert.deepEqual(missing, []);
});

test('no documented message is retyped in the page: the catalogue texts come from the module', () => {
  const sources = pageFiles(/\.(js|html)$/).map(read).join('\n');
  for (const s of core.catalogue) {
    for (const text of [s.msg, s.title.zh, s.explanation.zh, s.action.zh, s.title.en, s.explanation.en, s.action.en]) {
      if (text && text.length >= 4) assert.ok(!sources.includes(text), `"${text}" (${s.id}) is written in the page`);
    }
  }
});
