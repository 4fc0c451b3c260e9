// dist/kuaidi-kit.html opened straight from disk in Chromium: everything it needs is inside, the
// CSP (with its hashes) lets exactly that run, and the page works without any server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { carrier, core, launchBrowser, submitAndRead, unfoldSettings } from '../browser/harness.mjs';
import { artifact, dist } from './dist.mjs';
import path from 'node:path';

const single = path.join(dist, 'kuaidi-kit.html');
artifact(/^(kuaidi-kit\.html)$/);

test('kuaidi-kit.html is at most 300 KB gzipped and refers to no other file', () => {
  const html = readFileSync(single);
  assert.ok(gzipSync(html, { level: 9 }).length <= 300 * 1024, `${gzipSync(html).length} bytes gzipped`);
  assert.doesNotMatch(html.toString(), /<script[^>]+src=|<link[^>]+href="(?!data:)/);
});

test('opened from file://, the page gets ready with no CSP violation, answers 演示 in the page (a query, a forced scenario) and keeps the AppCode', async () => {
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
    await unfoldSettings(page);
    // No kuaidi-mock behind a file: 演示 is answered by the simulator inside the page.
    assert.equal(await page.isChecked('input[name="endpoint"][value="demo"]'), true);
    const demo = await submitAndRead(page, { kddh: 'JT3084743373888' });
    assert.equal(demo.matched, 'success');
    assert.ok(demo.events.length > 0, 'a synthetic trace, made in the page');
    await page.selectOption('#scenario', 'kddh_missing');
    const forced = await submitAndRead(page, { kddh: 'YT8962646785389' });
    assert.equal(forced.matched, 'kddh_missing');
    assert.equal(forced.http, 'HTTP 666');
    await page.fill('#kddh', 'SF1385628716739');
    await page.waitForSelector('#candidates .candidate .carrier-name');
    const best = core.validate({ kddh: 'SF1385628716739' }).detection.candidates[0].code;
    assert.equal(await page.textContent('#candidates .candidate .carrier-name'), carrier(best).name_zh);
    assert.equal(await page.isVisible('#tel-flag'), true, 'SF needs the phone tail: validation ran in the inlined wasm');
    // The AppCode is kept as on the hosted page (file:// has its own storage in Chromium).
    await page.fill('#appcode', 'a1b2c3d4e5f6a7b8');
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]', { timeout: 20000 });
    assert.equal(await page.inputValue('#appcode'), 'a1b2c3d4e5f6a7b8');
    assert.deepEqual(problems, []);
    assert.deepEqual(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:')), []);
  } finally {
    await browser.close();
  }
});

test('dist/page/ served by a plain web server under a sub-path: ready, and a typed number shows its carrier', async () => {
  const { createServer } = await import('node:http');
  const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.webmanifest': 'application/manifest+json' };
  // /tools/kuaidi/<file> → dist/page/<file>; everything else 404, as on a shared host.
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const match = url.pathname.match(/^\/tools\/kuaidi\/([\w.-]*)$/);
    try {
      const file = path.join(dist, 'page', match[1] || 'index.html');
      const body = readFileSync(file);
      res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext()).newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${server.address().port}/tools/kuaidi/`);
    await page.waitForSelector('html[data-ready="true"]', { timeout: 20000 });
    await page.fill('#kddh', 'SF1385628716739');
    await page.waitForSelector('#candidates .candidate .carrier-name');
    const best = core.validate({ kddh: 'SF1385628716739' }).detection.candidates[0].code;
    assert.equal(await page.textContent('#candidates .candidate .carrier-name'), carrier(best).name_zh);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    server.close();
  }
});
