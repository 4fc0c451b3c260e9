// Issue 16, what the page says: advice names the page's fields, a demo never reads as billed (its
// explanation, the 30-minute warning, the batch summary), English counts follow the plural rules,
// and every time (events, history, batch) is written one way.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { core, label, labels, screenshot, shownAnswer, submitAndRead, usePage } from './harness.mjs';

const APPCODE = '3c9d5e7f0a1b2c3d4e5f60718293a4b5';
const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, k) => String(values[k]));
const fixtures = [{
  kddh: 'YT9693083639795',
  trace: { status: 1, kdmc: '圆通速递', events: [{ time: '2024/05/01 16:00', content: '【杭州市】快件已揽收' }] },
}];
const waitFinished = (page) => page.waitForFunction(
  () => document.querySelector('#batch-summary').textContent !== '' && !document.querySelector('#batch-start').disabled,
  null, { timeout: 60000 });

async function paidEndpoint(page, mock) {
  await page.check('input[name="endpoint"][value="custom"]');
  await page.fill('#custom-url', `${mock.origin}/query`);
  await page.fill('#appcode', APPCODE);
}

describe('issue 16: what the page says', () => {
  const suite = usePage({ fixtures });

  test('11. advice names the page\'s fields (「4位手机尾号」), from the catalogue', async () => {
    // Every vendor answer about the carrier code or the phone tail names the box to fix.
    const about = core.catalogue.filter((s) => s.source === 'vendor'
      && ['code', 'tel'].includes(s.parameter));
    assert.ok(about.length >= 4);
    for (const s of about) {
      assert.ok(s.action.zh.includes(`「${label(`field.${s.parameter}`)}」`), `${s.id}: ${s.action.zh}`);
      const bare = /^(tel|code)\b/;
      assert.ok(!bare.test(s.action.zh) && !bare.test(s.action.en), `${s.id} starts with a parameter`);
    }
    const { page } = await suite.open();
    await page.fill('#kddh', 'JT3084743373888');
    await page.fill('#tel', '88a8');
    await page.press('#tel', 'Enter');
    const shown = await shownAnswer(page);
    assert.equal(shown.scenario, 'tel_invalid');
    assert.ok(shown.action.includes(`「${label('field.tel')}」`), shown.action);
    // Straight from the box to 查询 with the mouse: the check does not push the button away mid-click.
    await page.evaluate(() => document.querySelector('#result-body').replaceChildren());
    await page.fill('#tel', '88b8');
    await page.click('#submit');
    assert.equal((await shownAnswer(page)).scenario, 'tel_invalid');
    await page.click('#lang-switch');
    assert.ok((await page.textContent('#result .action')).includes('"Phone tail"'));
  });

  test('4. a demo answer is not billed: its explanation says what the real API would bill', async () => {
    const { page } = await suite.open();
    for (const kddh of ['YT8962646785389', 'SF1385628716739']) {
      const shown = await submitAndRead(page, { kddh });
      assert.equal(shown.billed, label('result.billed_demo.billed'));
      assert.ok(!/已计费|已扣次数/.test(shown.explanation), `${kddh}: ${shown.explanation}`);
    }
    await screenshot(page, 'issue16-demo-explanation', '#result');
    // The same answer from a real endpoint says it was billed: the core words it both ways.
    const msg = core.catalogue.find((s) => s.id === 'no_record').msg;
    const answer = { http_status: 200, body: JSON.stringify({ ok: 1, msg, status: 0, data: [] }) };
    assert.match(core.interpret(answer).explanation.zh, /已扣次数/);
    assert.doesNotMatch(core.interpret({ ...answer, simulated: true }).explanation.zh, /已扣次数/);
  });

  test('4. the 30-minute warning is for paid calls only; the demo batch summary bills nothing', async () => {
    const { page, queries } = await suite.open();
    await submitAndRead(page, { kddh: 'JT5261988016578' });
    await submitAndRead(page, { kddh: 'JT5261988016578' });
    assert.equal(await page.isVisible('#recent-warning'), false, 'a repeat on the demo costs nothing');
    assert.equal(queries().length, 2);
    // A past demo answer does not count as a paid one either.
    await paidEndpoint(page, suite.mock);
    await submitAndRead(page, { kddh: 'JT5261988016578' });
    assert.equal(queries().length, 3);
    // A paid repeat is warned about.
    await page.click('#submit');
    await page.waitForSelector('#recent-warning:not([hidden])');
    assert.equal(queries().length, 3);
    await page.click('#recent-cancel');

    await page.check('input[name="endpoint"][value="demo"]');
    await page.fill('#appcode', '');
    await page.fill('#batch-input', 'JT5261988016578\nYT8962646785389\n123456789012345678901');
    await page.click('#batch-start');
    assert.equal(await page.isVisible('#batch-confirm'), false, 'no repeat question on the demo');
    await waitFinished(page);
    const rows = await page.$$eval('#batch-rows .col-billed', (cells) => cells.map((x) => x.textContent));
    const billed = rows.filter((b) => b === label('result.billed_demo.billed')).length;
    assert.equal(await page.textContent('#batch-summary'),
      fill(label('batch.summary_demo'), { total: 3, sent: 2, local: 1, cancelled: 0, billed }));
  });

  test('5. English counts follow the plural rules; events, history and batch write times alike', async () => {
    const { page } = await suite.open();
    await page.click('#lang-switch');
    await page.fill('#batch-input', 'YT9693083639795\nyt9693083639795');
    await page.click('#batch-start');
    await waitFinished(page);
    assert.equal(await page.textContent('#batch-notice'), labels.en['batch.duplicates.one']);
    assert.equal(await page.textContent('#history-table .history-batch-toggle'),
      fill(labels.en['history.batch.one'], { n: 1 }));
    await page.fill('#batch-input', 'YT9693083639795\nyt9693083639795\nYT9693083639795');
    await page.click('#batch-start');
    await waitFinished(page);
    assert.equal(await page.textContent('#batch-notice'), fill(labels.en['batch.duplicates'], { n: 2 }));

    // The API wrote 2024/05/01 16:00: shown as every other time on the page.
    const written = '2024-05-01 16:00:00';
    assert.equal(await page.textContent('#batch-rows .col-latest_time'), written);
    const shown = await submitAndRead(page, { kddh: 'YT9693083639795' });
    assert.deepEqual(shown.events.map((e) => e.time), [written]);
    assert.equal(await page.textContent('#result .latest time'), written);
    const historyTime = await page.textContent('#history-table tbody tr:first-child time');
    assert.match(historyTime, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });
});
