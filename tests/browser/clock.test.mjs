// 快进 6 小时 (developer mode, 演示): the simulated clock moves six hours on, and a parcel on its way
// gains the events of those hours — in the page's own simulator, and on kuaidi-mock when it serves
// the page (POST /__admin/clock).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { label, submitAndRead, usePage } from './harness.mjs';

const NUMBER = 'JT3084743373888';  // on its way when any clock starts (tests/vectors/simulator.json)
const START = '2022-10-27T20:00:00+08:00';

// What a person sees change: the earlier events all still there, new ones on top, none after the clock.
function assertMovedOn(before, after, clockShown) {
  const added = after.events.length - before.events.length;
  assert.ok(added > 0, `new events: ${before.events.length} → ${after.events.length}`);
  assert.deepEqual(after.events.slice(added), before.events, 'earlier events unchanged');
  for (const e of after.events) assert.ok(e.time <= clockShown, `${e.time} is after the clock ${clockShown}`);
}

// The same number again: a demo answer is never billed, so no 30-minute repeat warning stands between.
async function queryAgain(page) {
  const answer = await submitAndRead(page, { kddh: NUMBER });
  assert.equal(await page.isVisible('#recent-warning'), false, 'no repeat warning on the demo');
  return answer;
}

async function fastForward(page) {
  const before = await page.textContent('#clock-status');
  await page.click('#clock-advance');
  await page.waitForFunction((old) => {
    const now = document.querySelector('#clock-status').textContent;
    return now !== '' && now !== old;
  }, before);
  const shown = await page.textContent('#clock-status');
  const time = shown.match(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/)?.[0];
  assert.ok(time, `the clock's time is shown: ${shown}`);
  assert.equal(shown, label('clock.moved').replace('{time}', time));
  return time;
}

describe('快进 6 小时 on the in-page demo', () => {
  const suite = usePage();

  test('appears in developer mode and moves a parcel in transit on, nothing sent', async () => {
    // No kuaidi-mock answers the probe: 演示 is the page's own simulator, as on any static host.
    const { page, problems, requests, context } = await suite.open({
      beforeGoto: (p) => p.route('**/__admin/health', (r) => r.fulfill({ status: 404, body: 'not here' })),
    });
    assert.equal(await page.isVisible('#clock-advance'), false, 'hidden outside developer mode');
    await page.check('#dev-mode');
    assert.equal(await page.isVisible('#clock-advance'), true);
    assert.equal(await page.textContent('#clock-advance'), label('clock.advance'));

    const before = await submitAndRead(page, { kddh: NUMBER });
    assert.equal(before.matched, 'success');
    const first = await fastForward(page);
    const after = await queryAgain(page);
    assertMovedOn(before, after, first);
    const second = await fastForward(page);
    const apart = Date.parse(`${second}+08:00`) - Date.parse(`${first}+08:00`);
    assert.equal(apart, 6 * 3600 * 1000, 'six hours a click');

    assert.deepEqual(problems, []);
    const sent = requests.map((r) => new URL(r.url).pathname)
      .filter((p) => p === '/query' || p.endsWith('/clock'));
    assert.deepEqual(sent, [], 'the demo in the page sends nothing');
    await context.close();
  });
});

describe('快进 6 小时 when kuaidi-mock serves the page', () => {
  const suite = usePage({ mockArgs: ['--now', START] });

  test("moves the server's clock too, and its answers with it", async () => {
    const { page, problems, context } = await suite.open();
    await page.check('#dev-mode');
    const before = await submitAndRead(page, { kddh: NUMBER });
    assert.equal(before.matched, 'success');
    const shown = await fastForward(page);
    assert.equal(shown, '2022-10-28 02:00:00');
    assert.equal((await suite.mock.admin('clock')).now, '2022-10-28T02:00:00+08:00');
    const after = await queryAgain(page);
    assertMovedOn(before, after, shown);
    assert.deepEqual(problems, []);
    await context.close();
  });
});
