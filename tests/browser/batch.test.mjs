// Batch: up to 500 numbers pasted or read from a CSV file, a bounded number of calls at once, a
// progress bar, cancel, a table of results and a CSV export Excel opens in Chinese (UTF-8 + BOM).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { core, label, parseCsv, scenario, screenshot, usePage } from './harness.mjs';

const COLUMNS = ['index', 'number', 'code', 'carrier', 'state', 'http', 'status', 'billed', 'latest_time', 'latest', 'msg', 'source'];
// A long all-digit number is exported as ="…" so that Excel keeps it as text.
const asText = (cell) => cell.replace(/^="(\d+)"$/, '$1');
const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, k) => String(values[k]));

const tableRows = (page) => page.$$eval('#batch-rows tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));

async function runBatch(page, text, concurrency = '5') {
  await page.fill('#batch-input', text);
  await page.selectOption('#batch-concurrency', concurrency);
  await page.click('#batch-start');
}

const waitFinished = (page) => page.waitForFunction(() => document.querySelector('#batch-summary').textContent !== ''
  && !document.querySelector('#batch-start').disabled, null, { timeout: 60000 });

// The answer the mock gives for this number, interpreted by the core: what the row must show.
async function expectedRow(mock, number, code = '', tel = '') {
  const params = new URLSearchParams({ kddh: number });
  if (code) params.set('code', code);
  if (tel) params.set('tel', tel);
  const url = `${mock.origin}/query?${params}`;
  const response = await fetch(url, { headers: { Authorization: 'APPCODE demo' } });
  return core.interpret({ http_status: response.status, headers_readable: true, headers: [...response.headers], body: await response.text() });
}

describe('batch', () => {
  // Slow enough that the running batch outlasts a screenshot and a click on a busy machine (at 250 ms a
  // call, twelve calls two at a time were over before 取消 was clicked).
  const suite = usePage({ extraMocks: { slow: ['--latency', '1000'] } });

  test('a pasted list: local checks, duplicates, progress, a results table and the CSV export', async () => {
    const { page, queries } = await suite.open({ contextOptions: { acceptDownloads: true } });
    const tooLong = '123456789012345678901';
    const lines = ['快递单号,快递代码', 'JT3084743373888', 'YT8962646785389', 'jt3084743373888', tooLong,
      'DPK202252612836,debangkuaidi', '73610555582883', '"SF1385628716739",shunfeng,8888', ''];
    await runBatch(page, lines.join('\n'));
    await waitFinished(page);

    assert.equal(await page.textContent('#batch-notice'), fill(label('batch.duplicates'), { n: 1 }));
    const rows = await tableRows(page);
    assert.equal(rows.length, 6, 'the header line and the duplicate are dropped');
    assert.equal(await page.getAttribute('#batch-progress', 'max'), '6');
    assert.equal(await page.evaluate(() => document.querySelector('#batch-progress').value), 6);
    assert.equal(await page.textContent('#batch-progress-text'), fill(label('batch.progress'), { done: 6, total: 6 }));
    assert.equal(queries().length, 5, 'the refused number was not sent');

    const local = rows.find((r) => r[1] === tooLong);
    assert.equal(local[4], `${label('batch.local')}: ${scenario('kddh_too_long').title.zh}`);
    assert.equal(local[10], scenario('kddh_too_long').msg);

    let billed = 0;
    for (const row of rows.filter((r) => r !== local)) {
      const o = await expectedRow(suite.mock, row[1], row[2], row[1].startsWith('SF') ? '8888' : '');
      if (o.billed === 'billed') billed += 1;
      assert.equal(row[4], o.state_label.zh, row[1]);
      assert.equal(row[5], String(o.http_status));
      assert.equal(row[7], label(`result.billed_demo.${o.billed}`));
      assert.equal(row[11], label('batch.source.demo'));
      assert.equal(row[9], o.events[0]?.content ?? '');
      assert.equal(row[10], o.msg);
    }
    assert.equal(await page.textContent('#batch-summary'),
      fill(label('batch.summary_demo'), { total: 6, sent: 5, local: 1, cancelled: 0, billed }));
    await screenshot(page, 'batch-results', '#batch');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#batch-export')]);
    assert.match(download.suggestedFilename(), /^kuaidi-batch-\d{12}\.csv$/);
    const bytes = readFileSync(await download.path());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte-order mark for Excel');
    const csv = parseCsv(bytes.toString('utf8').slice(1));
    assert.deepEqual(csv.pop(), [''], 'ends with a line break');
    assert.deepEqual(csv[0], COLUMNS.map((c) => label(`batch.col.${c}`)));
    assert.deepEqual(csv.slice(1).map((r) => r.map(asText)), rows);
    assert.equal(csv.find((r) => asText(r[1]) === '73610555582883')[1], '="73610555582883"', 'a long number stays text in Excel');
    assert.ok(bytes.toString('utf8').includes('\r\n'), 'CRLF line ends');
  });

  test('a CSV file is read; repeats within 30 minutes can be skipped on a paid endpoint', async () => {
    const { page, queries } = await suite.open();
    const csv = '\ufeff快递单号,快递代码\r\n"JT5261988016578",jtexpress\r\nYT9693083639795,\r\n';
    await page.setInputFiles('#batch-file', { name: 'numbers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForFunction(() => document.querySelector('#batch-input').value !== '');
    assert.equal(await page.inputValue('#batch-input'), csv.slice(1).replace(/\r\n/g, '\n'), 'the file, without its BOM');
    // A paid endpoint (the mock at another address): the most it can cost is confirmed first.
    await page.check('input[name="endpoint"][value="custom"]');
    await page.fill('#custom-url', `${suite.mock.origin}/query`);
    await page.fill('#appcode', 'c0ffee00c0ffee00c0ffee00c0ffee00');
    await page.click('#batch-start');
    await page.waitForSelector('#batch-confirm:not([hidden])');
    await page.click('#batch-run-all');
    await waitFinished(page);
    assert.deepEqual((await tableRows(page)).map((r) => [r[1], r[2]]), [['JT5261988016578', 'jtexpress'], ['YT9693083639795', '']]);
    assert.equal(queries().length, 2);

    await page.fill('#batch-input', 'JT5261988016578\nJT3084743373888');
    await page.click('#batch-start');
    await page.waitForSelector('#batch-confirm:not([hidden])');
    assert.equal(await page.textContent('#batch-confirm-text .confirm-recent'),
      fill(label('batch.recent'), { n: 1 }));
    assert.equal(queries().length, 2, 'nothing sent before the choice');
    await page.click('#batch-skip');
    await waitFinished(page);
    assert.deepEqual((await tableRows(page)).map((r) => r[1]), ['JT3084743373888']);
    assert.equal(queries().length, 3);

    // On the demo nothing is billed: the same repeat is not asked about.
    await page.check('input[name="endpoint"][value="demo"]');
    await page.fill('#appcode', '');
    await page.fill('#batch-input', 'JT5261988016578\nJT3084743373888');
    await page.click('#batch-start');
    await waitFinished(page);
    assert.equal(await page.isVisible('#batch-confirm'), false);
    assert.equal(queries().length, 5);
  });

  test('more than 500 numbers are refused before anything is sent', async () => {
    const { page, queries } = await suite.open();
    const numbers = Array.from({ length: 501 }, (_, i) => `JT${String(3000000000000 + i)}`);
    await runBatch(page, numbers.join('\n'));
    assert.equal(await page.textContent('#batch-notice'), fill(label('batch.too_many'), { n: 501 }));
    assert.equal(queries().length, 0);
    await page.fill('#batch-input', '');
    await page.click('#batch-start');
    assert.equal(await page.textContent('#batch-notice'), label('batch.empty'));
  });

  test('concurrency is bounded, and cancel stops the rest', async () => {
    const { page } = await suite.open({}, suite.extra.slow);
    let inFlight = 0;
    let most = 0;
    let sent = 0;
    const isQuery = (r) => new URL(r.url()).pathname === '/query';
    page.on('request', (r) => { if (isQuery(r)) { sent += 1; most = Math.max(most, ++inFlight); } });
    const done = (r) => { if (isQuery(r)) inFlight -= 1; };
    page.on('requestfinished', done);
    page.on('requestfailed', done);

    const numbers = Array.from({ length: 12 }, (_, i) => `YT${String(8962646785300 + i)}`);
    await runBatch(page, numbers.join('\n'), '2');
    await page.waitForFunction(() => document.querySelector('#batch-progress').value >= 3);
    assert.equal(await page.isEnabled('#batch-cancel'), true);
    await screenshot(page, 'batch-running', '#batch');
    await page.click('#batch-cancel');
    await waitFinished(page);
    const sentAtCancel = sent;
    await page.waitForTimeout(600);
    assert.equal(sent, sentAtCancel, 'nothing is sent after cancel');
    assert.ok(most <= 2, `at most 2 calls at once, saw ${most}`);
    assert.ok(most === 2, 'the two workers did run side by side');

    const states = (await tableRows(page)).map((r) => r[4]);
    const cancelled = states.filter((s) => s === label('batch.cancelled')).length;
    assert.ok(cancelled >= 12 - sent && cancelled < 12, `cancelled ${cancelled} of 12, sent ${sent}`);
    assert.equal(await page.evaluate(() => document.querySelector('#batch-progress').value), 12);
    assert.match(await page.textContent('#batch-summary'), new RegExp(`${cancelled}`));
    assert.equal(await page.isEnabled('#batch-export'), true);
  });
});
