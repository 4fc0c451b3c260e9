// WCAG 2.2 AA as axe-core checks it: no serious or critical violation in any tested state (zh and
// en, light and dark, desktop and phone, empty, with a result, with a batch), plus what axe cannot
// see: field borders at 3:1, text of 13 px or more without opacity.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { root, screenshot, submitAndRead, usePage } from './harness.mjs';

const axeSource = readFileSync(path.join(root, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

// Injected through the DevTools protocol, which the page's CSP does not govern.
async function seriousViolations(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    resultTypes: ['violations'],
  }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

const STATES = [
  { name: 'zh-light-desktop', viewport: { width: 1280, height: 900 }, colorScheme: 'light', lang: 'zh' },
  { name: 'en-dark-desktop', viewport: { width: 1280, height: 900 }, colorScheme: 'dark', lang: 'en' },
  { name: 'zh-dark-phone', viewport: { width: 390, height: 844 }, colorScheme: 'dark', lang: 'zh' },
  { name: 'en-light-phone', viewport: { width: 390, height: 844 }, colorScheme: 'light', lang: 'en' },
];

describe('accessibility', () => {
  const suite = usePage();

  for (const state of STATES) {
    test(`axe: no serious or critical violation, ${state.name}, empty / with a result / with a batch`, async () => {
      const contextOptions = { viewport: state.viewport, colorScheme: state.colorScheme };
      const { page, context } = await suite.open({ folded: true, contextOptions });
      if (state.lang === 'en') await page.click('#lang-switch');
      assert.deepEqual(await seriousViolations(page), [], 'the empty page');
      await screenshot(page, `a11y-${state.name}-empty`);
      await page.click('#settings-toggle');
      await page.check('#dev-mode');
      assert.deepEqual(await seriousViolations(page), [], 'settings open, developer mode on');
      await page.uncheck('#dev-mode');
      await page.click('#settings-toggle');

      await submitAndRead(page, { kddh: 'YT8962646785389' });
      assert.deepEqual(await seriousViolations(page), [], 'with a result');
      await screenshot(page, `a11y-${state.name}-result`, '#result');
      await page.check('#dev-mode');
      await page.click('#dev-tab-headers');
      assert.deepEqual(await seriousViolations(page), [], 'with developer mode\'s tabs');
      await screenshot(page, `a11y-${state.name}-devpanel`, '#devpanel');
      await page.uncheck('#dev-mode');

      await page.fill('#kddh', '123456789012345678901');
      await page.locator('#kddh').blur();
      assert.deepEqual(await seriousViolations(page), [], 'with a format error');

      await page.fill('#batch-input', 'JT3084743373888\nYT9693083639795\n123');
      await page.click('#batch-start');
      await page.waitForFunction(() => document.querySelector('#batch-summary').textContent !== '');
      assert.deepEqual(await seriousViolations(page), [], 'with a batch');
      await screenshot(page, `a11y-${state.name}-batch`, '#batch');
      await context.close();
    });
  }

  test('field borders reach 3:1 against the card, light and dark; no text under 13 px or dimmed by opacity', async () => {
    for (const colorScheme of ['light', 'dark']) {
      const { page, context } = await suite.open({ contextOptions: { colorScheme } });
      await submitAndRead(page, { kddh: 'YT8962646785389' });
      const found = await page.evaluate(() => {
        const rgb = (s) => s.match(/[\d.]+/g).slice(0, 3).map(Number);
        const lum = ([r, g, b]) => {
          const f = (c) => { const v = c / 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
          return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
        };
        const ratio = (a, b) => { const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((m, n) => n - m); return (x + 0.05) / (y + 0.05); };
        const card = getComputedStyle(document.querySelector('#query')).backgroundColor;
        const borders = ['#kddh', '#code', '#tel', '#appcode', '#scenario', '#batch-input'].map((sel) => ({
          sel, ratio: ratio(getComputedStyle(document.querySelector(sel)).borderTopColor, card),
        }));
        const small = [];
        for (const node of document.querySelectorAll('body *')) {
          if (!node.offsetParent || ![...node.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim())) continue;
          const style = getComputedStyle(node);
          if (parseFloat(style.fontSize) < 13 || Number(style.opacity) < 1) small.push(`${node.tagName}.${node.className} ${style.fontSize} ${style.opacity}`);
        }
        return { borders, small };
      });
      for (const b of found.borders) assert.ok(b.ratio >= 3, `${colorScheme} ${b.sel} border ${b.ratio.toFixed(2)}:1`);
      assert.deepEqual(found.small, [], colorScheme);
      await context.close();
    }
  });

  test('the language button names its visible text; the batch table scrolls by keyboard; candidate reasons are visible', async () => {
    const { page } = await suite.open();
    const name = await page.getAttribute('#lang-switch', 'aria-label');
    assert.ok(!name || name.includes(await page.textContent('#lang-switch')), `accessible name "${name}"`);
    await page.fill('#batch-input', 'JT3084743373888');
    await page.click('#batch-start');
    await page.waitForFunction(() => document.querySelector('#batch-summary').textContent !== '');
    assert.equal(await page.getAttribute('#batch-table-wrap', 'tabindex'), '0');
    await page.fill('#kddh', 'JT3084743373888');
    const reasons = await page.$$eval('#candidates .candidate', (b) => b.map((x) => x.querySelector('.candidate-reason')?.textContent || ''));
    assert.ok(reasons.length > 0 && reasons.every(Boolean), 'each candidate shows its reason');
  });
});
