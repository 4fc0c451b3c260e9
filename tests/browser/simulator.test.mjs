// The page's own simulator (the core in wasm) against kuaidi-mock: for the same clock, config and
// request the page sees the same status, headers and body bytes from both. And the page served by a
// plain static server under a sub-path: its 演示 is answered in the page, nothing is sent.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { core, launchBrowser, root, startMock, submitAndRead, unfoldSettings, webRoot } from './harness.mjs';

const NOW = '2024-05-01T12:00:00+08:00';
const NOW_SECONDS = 1714536000;
// Transport headers the simulator leaves to the server, and the one header drawn at random.
const NOT_COMPARED = new Set(['connection', 'keep-alive', 'x-ca-request-id']);

// Every catalogue entry forced, and every sample number of carriers.json, alone and with each carrier's code.
function parityCases() {
  const vectors = JSON.parse(readFileSync(path.join(root, 'tests', 'vectors', 'carriers.json'), 'utf8'));
  const numbers = [...new Set(vectors.detection.map((d) => d.number))];
  const cases = core.catalogue.map((s) => ({ target: '/query?kddh=JT3084743373888', headers: [['X-Mock-Scenario', s.id]] }));
  for (const number of numbers) cases.push({ target: `/query?kddh=${encodeURIComponent(number)}`, headers: [] });
  core.carriers.forEach((c, i) => {
    cases.push({ target: `/query?kddh=${encodeURIComponent(numbers[i % numbers.length])}&code=${c.code}`, headers: [] });
  });
  cases.push({ target: '/query?code=zhongtong', headers: [] }, { target: '/nosuch', headers: [] });
  return { cases, numbers: numbers.length };
}

// What the page compares: headers as fetch shows them, names lower-cased, repeats joined, sorted.
function comparable(headers) {
  const joined = new Map();
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    if (NOT_COMPARED.has(key)) continue;
    joined.set(key, joined.has(key) ? `${joined.get(key)}, ${value}` : value);
  }
  return [...joined].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

for (const gateway of ['classic', 'vpc']) {
  describe(`the page's simulator answers byte for byte as kuaidi-mock (${gateway} gateway)`, () => {
    let mock;
    let browser;
    before(async () => {
      mock = await startMock(['--now', NOW, '--gateway', gateway]);
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await mock?.stop();
    });

    test('every catalogue entry and every sample number, with and without a carrier code', async () => {
      const { cases, numbers } = parityCases();
      assert.ok(numbers >= 50, `at least 50 numbers (${numbers})`);
      const context = await browser.newContext({ serviceWorkers: 'block' });
      const page = await context.newPage();
      await page.goto(`${mock.origin}/`);
      await page.waitForSelector('html[data-ready="true"]', { timeout: 15000 });
      const pairs = await page.evaluate(async ({ cases: list, config, nowMs }) => {
        const module = await window.createKuaidi();
        const simulator = new module.Simulator(JSON.stringify(config));
        const out = [];
        for (const c of list) {
          const headers = [['Authorization', 'APPCODE paritycheck'], ...c.headers];
          const response = await fetch(c.target, { headers, cache: 'no-store' });
          const body = await response.text();
          const simulated = JSON.parse(simulator.answer(JSON.stringify({ method: 'GET', target: c.target, headers, now_ms: nowMs, entropy: 7 })));
          const length = String(new TextEncoder().encode(simulated.answer.body).length);
          out.push({
            target: c.target,
            forced: c.headers.map(([, v]) => v).join(),
            server: { status: response.status, headers: [...response.headers], body },
            page: { status: simulated.answer.status, headers: [...simulated.answer.headers, ['Content-Length', length]], body: simulated.answer.body },
          });
        }
        simulator.delete();
        return out;
      }, { cases, config: { gateway, trace_anchor_seconds: NOW_SECONDS }, nowMs: NOW_SECONDS * 1000 });
      assert.equal(pairs.length, cases.length);
      for (const p of pairs) {
        const what = `${p.target} ${p.forced}`;
        assert.equal(p.page.status, p.server.status, `status of ${what}`);
        assert.deepEqual(comparable(p.page.headers), comparable(p.server.headers), `headers of ${what}`);
        assert.equal(p.page.body, p.server.body, `body of ${what}`);
      }
      await context.close();
    });
  });
}

// A plain static file server (not kuaidi-mock), the page under /tools/kuaidi/.
const SUB_PATH = '/tools/kuaidi/';
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml', '.webmanifest': 'application/manifest+json', '.css': 'text/css' };

function startStaticServer() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const file = url.pathname.startsWith(SUB_PATH) ? url.pathname.slice(SUB_PATH.length) || 'index.html' : null;
    const full = file && !file.includes('..') ? path.join(webRoot, file) : null;
    let found = false;
    try {
      found = Boolean(full) && statSync(full).isFile();
    } catch {
      found = false;
    }
    if (!found) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(full)] || 'application/octet-stream' });
    res.end(readFileSync(full));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('the page served by a plain static server under a sub-path', () => {
  let server;
  let browser;
  before(async () => {
    server = await startStaticServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });

  test('演示 is answered in the page: a query, a forced scenario and a batch, nothing sent', async () => {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    const problems = [];
    const requests = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => requests.push(new URL(r.url())));
    const origin = `http://127.0.0.1:${server.address().port}`;
    await page.goto(`${origin}${SUB_PATH}`);
    await page.waitForSelector('html[data-ready="true"]', { timeout: 15000 });
    await unfoldSettings(page);
    assert.equal(await page.isChecked('input[name="endpoint"][value="demo"]'), true, '演示 is the default');

    const natural = await submitAndRead(page, { kddh: 'JT3084743373888' });
    assert.equal(natural.matched, 'success');
    assert.ok(natural.events.length > 0, 'a synthetic trace');

    await page.selectOption('#scenario', 'quota_exhausted');
    const forced = await submitAndRead(page, { kddh: 'YT8962646785389' });
    assert.equal(forced.matched, 'quota_exhausted');
    assert.equal(forced.http, 'HTTP 403');

    await page.fill('#batch-input', ['DPK202252612836', 'SF1385628716739,shunfeng,8888', '1234567'].join('\n'));
    await page.click('#batch-start');
    await page.waitForFunction(() => document.querySelector('#batch-summary').textContent !== ''
      && !document.querySelector('#batch-start').disabled, null, { timeout: 60000 });
    const rows = await page.$$eval('#batch-rows tr', (trs) => trs.map((tr) => tr.dataset.state));
    assert.equal(rows.length, 3);
    assert.ok(!rows.includes('not_reachable') && !rows.includes('pending'), `rows answered: ${rows}`);

    assert.deepEqual(problems, []);
    const elsewhere = requests.filter((u) => u.origin !== origin || !u.pathname.startsWith(SUB_PATH));
    assert.deepEqual(elsewhere.map(String), [], 'every request stays in the sub-path: the demo sends nothing');
    assert.ok(!requests.some((u) => u.pathname.endsWith('/query')), 'no query left the page');
    await context.close();
  });
});
