// Issue 16, "wrong decisions and dead pages": a demo answer never passes for real tracking, a
// purchased AppCode on the demo is not called wrong, a submit before the page is ready is not
// lost, a stopped call does not contradict itself, a batch stops spending after an account error,
// and a forced 演示场景 does not stay on silently.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { core, label, parseCsv, scenario, screenshot, shownAnswer, submitAndRead, usePage } from './harness.mjs';

const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, k) => String(values[k]));
const APPCODE = '7f3e9a0c41d24b6e8a5f0c9d2e1b3a47';
const tableRows = (page) => page.$$eval('#batch-rows tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
const waitFinished = (page) => page.waitForFunction(() => document.querySelector('#batch-summary').textContent !== ''
  && !document.querySelector('#batch-start').disabled, null, { timeout: 60000 });
const COLUMNS = ['index', 'number', 'code', 'carrier', 'state', 'http', 'status', 'billed', 'latest_time', 'latest', 'msg', 'source'];
const col = (name) => COLUMNS.indexOf(name);

// Valid numbers the mock answers with a trace (distinct, so the 30-minute warning stays out).
const numbers = (n, base = 3084743300000) => Array.from({ length: n }, (_, i) => `JT${base + i}`);

describe('issue 16: decisions and dead pages', () => {
  const suite = usePage({
    extraMocks: {
      quota: ['--appcode', 'demo:5'],  // the demo AppCode with 5 calls left
      strict: ['--appcode', APPCODE],  // a mock that knows only one AppCode: "demo" is unknown there
    },
  });

  test('1. a demo answer says it is simulated: result, billing badge, history, batch rows and CSV', async () => {
    const { page } = await suite.open({ contextOptions: { acceptDownloads: true } });
    const shown = await submitAndRead(page, { kddh: 'YT1234567890123' });
    assert.equal(shown.stateId, 'delivered', 'the demo invents a delivered trace');
    assert.equal(await page.textContent('.demo-notice'), `${label('demo.tag')} ${label('result.demo_notice')}`);
    assert.equal(shown.billed, label('result.billed_demo.billed'), 'the badge says what the real API would do');
    assert.notEqual(shown.billed, label('result.billed.billed'));
    assert.equal(await page.textContent('#history-table tbody tr:first-child .tag-demo'), label('history.demo'));
    await screenshot(page, 'issue16-demo-answer', '#result');

    await page.fill('#batch-input', ['73610555582883', 'YT9693083639795'].join('\n'));
    await page.click('#batch-start');
    await waitFinished(page);
    const rows = await tableRows(page);
    assert.deepEqual(rows.map((r) => r[col('source')]), [label('batch.source.demo'), label('batch.source.demo')]);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#batch-export')]);
    const text = readFileSync(await download.path(), 'utf8').slice(1);
    const csv = parseCsv(text);
    assert.equal(csv[0][col('source')], label('batch.col.source'));
    assert.equal(csv[1][col('source')], label('batch.source.demo'));
    // Long digit runs stay text in Excel and LibreOffice: ="…", read back as the very digits.
    assert.equal(csv[1][col('number')], '="73610555582883"');
    assert.ok(text.includes('"=""73610555582883"""'), 'written as a quoted ="…" cell');
    assert.equal(csv[2][col('number')], 'YT9693083639795', 'a number with letters is left as it is');

    // The same number on a real endpoint (the mock under another origin) carries no demo words.
    await page.check('input[name="endpoint"][value="custom"]');
    await page.fill('#custom-url', `${suite.mock.otherOrigin}/query`);
    await page.fill('#appcode', APPCODE);
    const real = await submitAndRead(page, { kddh: 'JD0123456789012' });
    assert.equal(real.http, 'HTTP 200');
    assert.equal(real.billed, label('result.billed.billed'));
    assert.equal(await page.locator('#result .demo-notice').count(), 0);
    assert.equal(await page.textContent('#history-table tbody tr:first-child td:nth-child(3)'), real.state, 'no 演示 tag');
  });

  test('2. a purchased AppCode on the demo: offered the real endpoint, never told it is wrong', async () => {
    const { page } = await suite.open({}, suite.extra.strict);
    assert.equal(await page.isVisible('#appcode-offer'), false);
    await page.fill('#appcode', 'f3a90000111122223333444455556c9c');
    assert.equal(await page.isVisible('#appcode-offer .offer-switch'), true, 'offered as soon as it is pasted');
    const shown = await submitAndRead(page, { kddh: 'YT8962646785389' });
    assert.equal(shown.stateId, 'appcode_invalid');
    assert.equal(shown.explanation, fill(label('demo.appcode_explanation'), { demo: 'demo' }));
    assert.equal(shown.action, label('demo.appcode_action'));
    assert.ok(!shown.explanation.includes(scenario('appcode_invalid').explanation.zh));
    await screenshot(page, 'issue16-demo-appcode', '#result');
    await page.click('#result .offer-switch');
    assert.equal(await page.isChecked('input[name="endpoint"][value="aliyun"]'), true);
    assert.equal(await page.textContent('#form-status'), label('demo.switched'));
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    assert.equal(await page.isChecked('input[name="endpoint"][value="aliyun"]'), true, 'the choice is remembered');

    // Staying on the demo is remembered too: the offer does not come back.
    const other = await suite.open({}, suite.extra.strict);
    await other.page.fill('#appcode', 'f3a90000111122223333444455556c9c');
    await other.page.click('#appcode-offer .offer-stay');
    assert.equal(await other.page.isVisible('#appcode-offer'), false);
    await other.page.reload();
    await other.page.waitForSelector('html[data-ready="true"]');
    assert.equal(await other.page.isChecked('input[name="endpoint"][value="demo"]'), true);
    assert.equal(await other.page.isVisible('#appcode-offer'), false);
  });

  test('3. Enter before the scripts are ready on a slow connection: nothing dies, the query runs once ready', async () => {
    // openPage waits for ready: the early part needs a page of its own.
    const context2 = await suite.browser.newContext({ viewport: { width: 1100, height: 900 }, serviceWorkers: 'block' });
    const p = await context2.newPage();
    const problems = [];
    const sent = [];
    p.on('pageerror', (e) => problems.push(e.message));
    p.on('request', (r) => { if (new URL(r.url()).pathname === '/query') sent.push(r.url()); });
    const cdp = await context2.newCDPSession(p);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 300, downloadThroughput: 40 * 1024, uploadThroughput: 40 * 1024 });
    // The core is held back until the test has pressed Enter twice, so "early" does not depend on timing.
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await p.route('**/kuaidi.wasm', async (route) => {
      await held;
      await route.continue();
    });
    await p.goto(`${suite.mock.origin}/`, { waitUntil: 'commit' });
    await p.waitForSelector('#kddh');
    assert.equal(await p.isDisabled('#submit'), true, 'before any script: a disabled 加载中… button');
    assert.equal((await p.textContent('#submit')).trim(), label('loading.button'));
    assert.equal((await p.textContent('#batch-start')).trim(), label('loading.button'));
    await p.press('#kddh', 'Enter');
    await p.waitForSelector('html[data-wired="true"]', { timeout: 60000 });
    assert.equal(new URL(p.url()).search, '', 'no native form submission');
    await p.fill('#kddh', 'YT8962646785389');
    await p.press('#kddh', 'Enter');
    assert.equal(await p.textContent('#form-status'), label('loading.queued'));
    assert.equal(await p.getAttribute('html', 'data-ready'), null);
    assert.equal(sent.length, 0);
    // What the slow line was for has happened; the 400 KB core need not crawl in at 40 KB/s.
    await cdp.send('Network.emulateNetworkConditions',
      { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    release();
    await p.waitForSelector('html[data-ready="true"]', { timeout: 60000 });
    const shown = await shownAnswer(p);
    assert.equal(shown.local, false);
    assert.equal(sent.length, 1, 'the queued query ran once');
    assert.equal((await p.textContent('#submit')).trim(), label('submit'));
    assert.deepEqual(problems, []);
    await context2.close();
  });

  test('4. a check that stopped a call says conditionally what the API would do, once', async () => {
    const { page, queries } = await suite.open();
    for (const kddh of ['123456789012345678901', '12345']) {
      const v = core.validate({ kddh });
      const a = v.answer;
      assert.ok(a, kddh);
      await page.fill('#kddh', kddh);
      await page.locator('#kddh').blur();
      assert.equal(await page.isVisible('#precheck'), true, 'predicted once the box is left');
      assert.equal(await page.textContent('#precheck .would'), label(a.billed ? 'precheck.would_billed' : 'precheck.would_not_billed'));
      await page.evaluate(() => document.querySelector('#result-body').replaceChildren());
      await page.click('#submit');
      const shown = await shownAnswer(page);
      assert.equal(shown.local, true);
      assert.equal(shown.explanation,
        `${fill(label(a.billed ? 'result.would_billed' : 'result.would_not_billed'), { status: a.http_status })}${a.msg}${label('result.blocked')}`);
      assert.equal(shown.billed, label('result.billed.not_billed'));
      assert.ok(!shown.explanation.includes(a.explanation.zh), 'not the text of an answer that was received');
      assert.equal(await page.isVisible('#precheck'), false, 'said in the result, not a second time above it');
      if (a.billed) await screenshot(page, 'issue16-local-check-billed', '#result');
    }
    assert.equal(queries().length, 0);
  });

  test('5. a batch stops at Quota Exhausted: no request after the failing one, the rest is held and can be retried', async () => {
    const { page, queries } = await suite.open({}, suite.extra.quota);
    const list = numbers(9, 3084743310000);
    await page.fill('#batch-input', list.join('\n'));
    await page.selectOption('#batch-concurrency', '1');
    await page.click('#batch-start');
    await waitFinished(page);
    assert.equal(queries().length, 6, '5 billed calls, the 6th refused, then nothing');
    const rows = await tableRows(page);
    const held = rows.filter((r) => r[col('state')] === label('batch.held'));
    assert.equal(held.length, 3);
    assert.deepEqual(held.map((r) => r[col('number')]), list.slice(6));
    assert.equal(rows[5][col('http')], '403');
    const quota = scenario('quota_exhausted');
    assert.ok((await page.textContent('#batch-stop .action')).endsWith(quota.action.zh));
    assert.equal(await page.textContent('#batch-retry'), fill(label('batch.retry'), { n: 4 }));
    await page.click('#batch-filters [data-filter="unsent"]');
    assert.equal(await page.locator('#batch-rows tr:not([hidden])').count(), 3);
    await page.click('#batch-filters [data-filter="problem"]');
    assert.equal(await page.locator('#batch-rows tr:not([hidden])').count(), 1);
    await page.click('#batch-filters [data-filter="all"]');
    await screenshot(page, 'issue16-batch-stopped', '#batch');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'issue16-batch-stopped-phone', '#batch');
    await page.setViewportSize({ width: 1100, height: 900 });

    await suite.extra.quota.admin('quotas/demo', { method: 'PUT', body: JSON.stringify({ remaining: 10 }) });
    await page.click('#batch-retry');
    await waitFinished(page);
    assert.equal(queries().length, 10, 'the 4 failed and unsent were sent again');
    assert.deepEqual((await tableRows(page)).map((r) => r[col('number')]), list.slice(5));
    assert.equal(await page.isVisible('#batch-stop'), false);
  });

  test('5. a batch on a paid endpoint confirms the most it can bill, naming numbers missing the phone tail', async () => {
    const { page, queries } = await suite.open();
    await page.check('input[name="endpoint"][value="custom"]');
    await page.fill('#custom-url', `${suite.mock.otherOrigin}/query`);
    await page.fill('#appcode', APPCODE);
    const tailless = 'SF1385628716739';
    assert.ok(core.validate({ kddh: tailless }).advisories.some((a) => a.kind === 'phone_tail_needed'));
    await page.fill('#batch-input', ['JT3084743373888', tailless, `${tailless.slice(0, -1)}8,shunfeng,8888`].join('\n'));
    await page.click('#batch-start');
    await page.waitForSelector('#batch-confirm:not([hidden])');
    assert.equal(await page.textContent('#batch-confirm .confirm-cost'), fill(label('batch.confirm_cost'), { n: 3 }));
    assert.equal(await page.textContent('#batch-confirm .confirm-tail'), fill(label('batch.confirm_tail'), { n: 1 }));
    assert.deepEqual(await page.$$eval('#batch-confirm .confirm-numbers li', (l) => l.map((x) => x.textContent)), [tailless]);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'batch-confirm-cancel', 'the safe choice has the focus');
    await screenshot(page, 'issue16-batch-confirm', '#batch');
    await page.click('#batch-confirm-cancel');
    assert.equal(queries().length, 0);
    await page.click('#batch-start');
    await page.click('#batch-run-all');
    await waitFinished(page);
    assert.equal(queries().length, 3);
    assert.deepEqual((await tableRows(page)).map((r) => r[col('source')]), Array(3).fill(label('batch.source.real')));
  });

  test('6. a forced 演示场景 is shown beside 查询, on the result and in history, and serves one query by default', async () => {
    const { page } = await suite.open();
    await page.waitForSelector('#scenario option[value="no_record"]', { state: 'attached' });
    await page.selectOption('#scenario', 'no_record');
    const title = scenario('no_record').title.zh;
    assert.equal(await page.textContent('#scenario-active .tag'), fill(label('scenario.active'), { title }));
    assert.ok((await page.textContent('#scenario-active')).includes(label('scenario.active_once')));
    const forced = await submitAndRead(page, { kddh: 'YT8962646785389' });
    assert.equal(forced.matched, 'no_record');
    assert.equal(await page.textContent('#result .scenario-used'), fill(label('scenario.used'), { title }));
    assert.equal(await page.textContent('#history-table tbody tr:first-child .tag-scenario'), fill(label('scenario.active'), { title }));
    assert.equal(await page.inputValue('#scenario'), '', 'used once, then cleared');
    assert.equal(await page.isVisible('#scenario-active'), false);
    const natural = await submitAndRead(page, { kddh: 'YT9693083639795' });
    assert.notEqual(natural.matched, 'no_record');
    assert.equal(await page.locator('#result .scenario-used').count(), 0);

    // Kept on purpose: it stays, says so, and 清除 turns it off.
    await page.selectOption('#scenario', 'no_record');
    await page.check('#scenario-keep');
    assert.ok((await page.textContent('#scenario-active')).includes(label('scenario.active_kept')));
    await submitAndRead(page, { kddh: 'JT3084743373888' });
    assert.equal(await page.inputValue('#scenario'), 'no_record');
    await screenshot(page, 'issue16-scenario-kept', '#query');
    await page.click('#scenario-clear');
    assert.equal(await page.inputValue('#scenario'), '');
    assert.equal(await page.isVisible('#scenario-active'), false);
  });
});
