// History of past queries (number, carrier, state, when; never the AppCode or the phone tail) and
// the warning before asking again for a number queried in the last 30 minutes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { label, screenshot, submitAndRead, usePage } from './harness.mjs';

const MINUTE = 60 * 1000;
const T0 = Date.parse('2024-05-01T08:00:00Z');

const historyRows = (page) => page.$$eval('#history-table tbody tr', (rows) => rows.map((r) => [...r.cells].slice(0, 4).map((c) => c.textContent)));

describe('history and the 30-minute warning', () => {
  const suite = usePage();

  test('each query is listed with number, carrier, state and time, and survives a reload', async () => {
    const { page } = await suite.open({ beforeGoto: (p) => p.clock.setFixedTime(T0) });
    assert.equal(await page.textContent('#history-empty'), label('history.empty'));
    const first = await submitAndRead(page, { kddh: 'jt 3084 7433 73888', tel: '5678' });
    const second = await submitAndRead(page, { kddh: 'YT8962646785389' });
    const when = new Date(T0).toLocaleString('zh-CN', { hour12: false });
    const expected = [
      ['YT8962646785389', second.carrier, second.state, when],
      ['JT3084743373888', first.carrier, first.state, when],
    ];
    assert.deepEqual(await historyRows(page), expected);
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    assert.deepEqual(await historyRows(page), expected);
    const stored = await page.evaluate(() => localStorage.getItem('kuaidi.history'));
    assert.ok(!stored.includes('5678'), 'no phone tail stored');
    assert.ok(!stored.toLowerCase().includes('appcode'), 'no AppCode stored');
    await screenshot(page, 'history', '#history');

    // 填入 puts the number back into the form.
    await page.click('#history-table tbody tr:nth-child(2) button');
    assert.equal(await page.inputValue('#kddh'), 'JT3084743373888');
    assert.equal(await page.inputValue('#tel'), '');

    await page.click('#history-clear');
    assert.equal(await page.textContent('#history-empty'), label('history.empty'));
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    assert.equal(await page.textContent('#history-empty'), label('history.empty'));
  });

  test('asking again within 30 minutes warns first; 取消 sends nothing, 仍然查询 sends', async () => {
    const { page, queries } = await suite.open({ beforeGoto: (p) => p.clock.setFixedTime(T0) });
    const first = await submitAndRead(page, { kddh: 'JT5261988016578' });
    assert.equal(queries().length, 1);

    await page.clock.setFixedTime(T0 + 12 * MINUTE);
    // The same number typed differently is the same number.
    await page.fill('#kddh', 'jt5261988016578 ');
    await page.click('#submit');
    await page.waitForSelector('#recent-warning:not([hidden])');
    assert.equal(await page.textContent('#recent-title'), label('recent.title').replace('{minutes}', '12'));
    assert.ok((await page.textContent('#recent-body')).includes(first.state));
    assert.equal(await page.evaluate(() => document.activeElement.id), 'recent-again');
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

  test('after 30 minutes there is no warning', async () => {
    const { page, queries } = await suite.open({ beforeGoto: (p) => p.clock.setFixedTime(T0) });
    await submitAndRead(page, { kddh: 'DPK202252612836' });
    await page.clock.setFixedTime(T0 + 30 * MINUTE + 1000);
    await submitAndRead(page, { kddh: 'DPK202252612836' });
    assert.equal(queries().length, 2);
    assert.equal(await page.isVisible('#recent-warning'), false);
  });
});
