// History of past queries (number, carrier, state, when; never the AppCode or the phone tail) and
// the warning before asking again for a number queried in the last 30 minutes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { label, screenshot, shownAnswer, submitAndRead, usePage } from './harness.mjs';

const MINUTE = 60 * 1000;
const T0 = Date.parse('2024-05-01T08:00:00Z');

const historyRows = (page) => page.$$eval('#history-table tbody tr', (rows) => rows.map((r) => [...r.cells].slice(0, 4).map((c) => c.textContent)));

// The 30-minute warning guards paid calls: the mock at another address stands for one.
async function paidEndpoint(page, mock) {
  await page.check('input[name="endpoint"][value="custom"]');
  await page.fill('#custom-url', `${mock.origin}/query`);
  await page.fill('#appcode', '0a1b2c3d4e5f60718293a4b5c6d7e8f9');
}

describe('history and the 30-minute warning', () => {
  const suite = usePage();

  test('each query is listed with number, carrier, state and time, and survives a reload', async () => {
    const { page, queries } = await suite.open({ beforeGoto: (p) => p.clock.setFixedTime(T0) });
    assert.equal(await page.textContent('#history-empty'), label('history.empty'));
    const first = await submitAndRead(page, { kddh: 'jt 3084 7433 73888', tel: '5678' });
    const second = await submitAndRead(page, { kddh: 'YT8962646785389' });
    // The format of the API's event times, in local time.
    const local = new Date(T0);
    const two = (n) => String(n).padStart(2, '0');
    const when = `${local.getFullYear()}-${two(local.getMonth() + 1)}-${two(local.getDate())} ${two(local.getHours())}:${two(local.getMinutes())}:${two(local.getSeconds())}`;
    // Demo answers carry the 演示 tag.
    const demo = label('history.demo');
    const expected = [
      ['YT8962646785389', second.carrier, `${second.state} ${demo}`, when],
      ['JT3084743373888', first.carrier, `${first.state} ${demo}`, when],
    ];
    assert.deepEqual(await historyRows(page), expected);
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    assert.deepEqual(await historyRows(page), expected);
    const stored = await page.evaluate(() => localStorage.getItem('kuaidi.history'));
    assert.ok(!stored.includes('5678'), 'no phone tail stored');
    assert.ok(!stored.toLowerCase().includes('appcode'), 'no AppCode stored');
    await screenshot(page, 'history', '#history');

    // 查看上次结果 shows the kept answer again without a new call.
    const sent = queries().length;
    await page.evaluate(() => document.querySelector('#result-body').replaceChildren());
    await page.click('#history-table tbody tr:nth-child(2) .history-view');
    const past = await shownAnswer(page);
    assert.equal(past.state, first.state);
    assert.deepEqual(past.events, first.events);
    assert.equal(await page.textContent('.past-notice'), label('history.past').replace('{time}', when));
    assert.equal(queries().length, sent, 'nothing was sent');

    // 清空历史 can be undone; once left cleared it stays cleared.
    await page.click('#history-clear');
    assert.equal(await page.textContent('#history-empty'), `${label('history.cleared').replace('{n}', 2)} ${label('history.undo')}`);
    await page.click('#history-undo');
    assert.deepEqual(await historyRows(page), expected);
    await page.click('#history-clear');
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    assert.equal(await page.textContent('#history-empty'), label('history.empty'));
  });

  test('asking again within 30 minutes warns first; 取消 sends nothing, 仍然查询 sends', async () => {
    const { page, queries } = await suite.open({ beforeGoto: (p) => p.clock.setFixedTime(T0) });
    await paidEndpoint(page, suite.mock);
    const first = await submitAndRead(page, { kddh: 'JT5261988016578' });
    assert.equal(queries().length, 1);

    await page.clock.setFixedTime(T0 + 12 * MINUTE);
    // The same number typed differently is the same number.
    await page.fill('#kddh', 'jt5261988016578 ');
    await page.click('#submit');
    await page.waitForSelector('#recent-warning:not([hidden])');
    assert.equal(await page.textContent('#recent-title'), label('recent.title').replace('{minutes}', '12'));
    assert.ok((await page.textContent('#recent-body')).includes(first.state));
    assert.equal(await page.evaluate(() => document.activeElement.id), 'recent-view', 'the default is the free choice');
    await screenshot(page, 'history-recent-warning', '#query');
    assert.equal(queries().length, 1, 'nothing sent while the warning is up');

    await page.click('#recent-cancel');
    assert.equal(await page.isVisible('#recent-warning'), false);
    assert.equal(queries().length, 1, 'cancel sends nothing');

    await page.click('#submit');
    await page.waitForSelector('#recent-warning:not([hidden])');
    await page.evaluate(() => document.querySelector('#result-body').replaceChildren());
    await page.click('#recent-again');
    await page.waitForSelector('#result-body article.answer');
    assert.equal(queries().length, 2, 'sent after 仍然查询');
    assert.equal((await historyRows(page)).length, 2);

    // Escape cancels too.
    await page.click('#submit');
    await page.waitForSelector('#recent-warning:not([hidden])');
    await page.keyboard.press('Escape');
    assert.equal(await page.isVisible('#recent-warning'), false);
    assert.equal(queries().length, 2);
  });

  test('the 30-minute dialog shows the last answer for free; a batch is one entry; history is bounded', async () => {
    const { page, queries } = await suite.open({ beforeGoto: (p) => p.clock.setFixedTime(T0) });
    await paidEndpoint(page, suite.mock);
    const first = await submitAndRead(page, { kddh: 'YT9693083639795' });
    await page.click('#submit');
    await page.waitForSelector('#recent-warning:not([hidden])');
    await page.evaluate(() => document.querySelector('#result-body').replaceChildren());
    await page.keyboard.press('Enter');
    const past = await shownAnswer(page);
    assert.equal(past.state, first.state);
    assert.equal(queries().length, 1, 'Enter on the dialog does not pay again');

    await page.fill('#batch-input', 'JT3084743373888\nJT5261988016578\nDPK202252612836');
    await page.click('#batch-start');
    await page.click('#batch-run-all');
    await page.waitForFunction(() => document.querySelector('#batch-summary').textContent !== '');
    const toggle = page.locator('#history-table .history-batch-toggle');
    assert.equal(await toggle.textContent(), label('history.batch').replace('{n}', 3));
    assert.equal(await page.locator('#history-table tr.history-member').count(), 0, 'folded');
    await toggle.click();
    assert.equal(await page.locator('#history-table tr.history-member').count(), 3);
    await screenshot(page, 'history-batch-open', '#history');

    // 200 entries at most, oldest dropped first.
    const count = await page.evaluate(async () => {
      const store = await import('./store.js');
      const many = Array.from({ length: 230 }, (_, i) => ({ number: `N${i}`, when: 1000 + i, outcome: { state: 'no_record', events: [] } }));
      return store.addHistory(many).length;
    });
    assert.equal(count, 200);
  });

  test('after 30 minutes there is no warning', async () => {
    const { page, queries } = await suite.open({ beforeGoto: (p) => p.clock.setFixedTime(T0) });
    await paidEndpoint(page, suite.mock);
    await submitAndRead(page, { kddh: 'DPK202252612836' });
    await page.clock.setFixedTime(T0 + 30 * MINUTE + 1000);
    await submitAndRead(page, { kddh: 'DPK202252612836' });
    assert.equal(queries().length, 2);
    assert.equal(await page.isVisible('#recent-warning'), false);
  });
});
