// dist/kuaidi-kit.html opened straight from disk in Chromium: everything it needs is inside, the
// CSP (with its hashes) lets exactly that run, and the page works without any server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { carrier, core, launchBrowser } from '../browser/harness.mjs';
import { artifact, dist } from './dist.mjs';
import path from 'node:path';

const single = path.join(dist, 'kuaidi-kit.html');
artifact(/^(kuaidi-kit\.html)$/);

test('kuaidi-kit.html is at most 300 KB gzipped and refers to no other file', () => {
  const html = readFileSync(single);
  assert.ok(gzipSync(html, { level: 9 }).length <= 300 * 1024, `${gzipSync(html).length} bytes gzipped`);
  assert.doesNotMatch(html.toString(), /<script[^>]+src=|<link[^>]+href="(?!data:)/);
});

test('opened from file://, the page gets ready with no CSP violation and shows a typed number\'s carrier', async () => {
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(`error: ${e.message}`));
    page.on('console', (m) => { if (/Content.Security.Policy|Refused/i.test(m.text())) problems.push(`csp: ${m.text()}`); });
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(single).href);
    await page.waitForSelector('html[data-ready="true"]', { timeout: 20000 });
    // No kuaidi-mock behind a file: the real market endpoint is chosen, not the demo.
    assert.equal(await page.isChecked('input[name="endpoint"][value="aliyun"]'), true);
    await page.fill('#kddh', 'SF1385628716739');
    await page.waitForSelector('#candidates .candidate .carrier-name');
    const best = core.validate({ kddh: 'SF1385628716739' }).detection.candidates[0].code;
    assert.equal(await page.textContent('#candidates .candidate .carrier-name'), carrier(best).name_zh);
    assert.equal(await page.isVisible('#tel-flag'), true, 'SF needs the phone tail: validation ran in the inlined wasm');
    assert.deepEqual(problems, []);
    assert.deepEqual(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:')), []);
  } finally {
    await browser.close();
  }
});
