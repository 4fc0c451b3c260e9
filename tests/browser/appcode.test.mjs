// The AppCode: kept in this browser for 10 days and then forgotten, "forget now", sent only in the
// Authorization header of the query, never in a URL, history entry, share link, log or snippet.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { core, label, scenario, screenshot, shownAnswer, submitAndRead, usePage } from './harness.mjs';

const APPCODE = '7f3e9a0c41d24b6e8a5f0c9d2e1b3a47';
const OTHER = '0000aaaa1111bbbb2222cccc3333dddd';
const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.parse('2024-05-01T08:00:00Z');

describe('AppCode', () => {
  // The gateway knows one AppCode with 2 calls left: its quota and refusals are real.
  const suite = usePage({ mockArgs: ['--appcode', `${APPCODE}:2`] });

  test('persists across reload, and is forgotten after 10 days', async () => {
    const { page } = await suite.open({ beforeGoto: (p) => p.clock.setFixedTime(T0) });
    assert.equal(await page.getAttribute('#appcode', 'type'), 'password');
    await page.fill('#appcode', APPCODE);
    assert.match(await page.textContent('#appcode-saved'), /2024/);
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    assert.equal(await page.inputValue('#appcode'), APPCODE);

    await page.clock.setFixedTime(T0 + 10 * DAY - 60000);
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    assert.equal(await page.inputValue('#appcode'), APPCODE, 'still kept a minute before the 10 days end');

    await page.clock.setFixedTime(T0 + 10 * DAY + 60000);
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    assert.equal(await page.inputValue('#appcode'), '', 'forgotten after 10 days');
    const stored = await page.evaluate(() => Object.keys(localStorage).map((k) => localStorage.getItem(k)).join('\n'));
    assert.ok(!stored.includes(APPCODE), 'nothing left in localStorage');
  });

  test('show/hide, and "forget now"', async () => {
    const { page } = await suite.open();
    await page.fill('#appcode', APPCODE);
    await page.click('#appcode-toggle');
    assert.equal(await page.getAttribute('#appcode', 'type'), 'text');
    assert.equal(await page.getAttribute('#appcode-toggle', 'aria-pressed'), 'true');
    await page.click('#appcode-toggle');
    assert.equal(await page.getAttribute('#appcode', 'type'), 'password');
    await page.click('#appcode-forget');
    assert.equal(await page.inputValue('#appcode'), '');
    assert.equal(await page.textContent('#appcode-saved'), label('appcode.forgotten'));
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    assert.equal(await page.inputValue('#appcode'), '');
    assert.equal(await page.evaluate(() => localStorage.length === 0 || !Object.values(localStorage).join('').includes('7f3e9a0c')), true);
  });

  test('sent only in the Authorization header; never in a URL, history, share link, log or snippet', async () => {
    const logs = [];
    const { page, context, requests } = await suite.open({
      contextOptions: { permissions: ['clipboard-read', 'clipboard-write'] },
      beforeGoto: (p) => p.on('console', (m) => logs.push(m.text())),
    });
    const historyLength = await page.evaluate(() => history.length);
    await page.fill('#appcode', APPCODE);
    await page.check('#dev-mode');
    const shown = await submitAndRead(page, { kddh: 'JT3084743373888', tel: '1234' });
    assert.equal(shown.matched, 'success');

    // The request: the header carries it, nothing else does.
    for (const r of requests) {
      assert.ok(!r.url.includes(APPCODE), `in a URL: ${r.url}`);
      const isQuery = new URL(r.url).pathname === '/query';
      if (isQuery) assert.equal(r.headers.authorization, `APPCODE ${APPCODE}`);
      else assert.equal(r.headers.authorization, undefined, `Authorization sent to ${r.url}`);
    }
    const journal = await suite.mock.journal();
    assert.ok(journal.some((e) => e.target?.startsWith('/query')));
    assert.ok(journal.every((e) => !JSON.stringify(e).includes(APPCODE)));

    // The page: URL, session history, storage other than its own slot, the console.
    assert.ok(!page.url().includes(APPCODE));
    assert.equal(await page.evaluate(() => history.length), historyLength, 'no history entry was added');
    const storage = await page.evaluate(() => Object.fromEntries(Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)])));
    for (const [key, value] of Object.entries(storage)) {
      if (key !== 'kuaidi.appcode') assert.ok(!value.includes(APPCODE), `AppCode in localStorage ${key}`);
    }
    assert.ok(!storage['kuaidi.history'].includes('1234'), 'no phone tail in the history');
    assert.ok(logs.every((l) => !l.includes(APPCODE)));

    // Developer mode shows it masked, and copies it masked.
    const requestText = await page.textContent('#dev-request');
    assert.ok(!requestText.includes(APPCODE));
    assert.match(requestText, new RegExp(`Authorization: APPCODE ${APPCODE.slice(0, 4)}\\*+${APPCODE.slice(-2)}`));
    await page.click('#dev-tab-curl');
    await page.click('#dev-panel-curl button.copy >> nth=0');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), requestText);

    // Every snippet leaves it out unless the person reveals it.
    const tabs = await page.$$eval('#sample-tabs [role="tab"]', (t) => t.map((x) => x.dataset.language));
    assert.equal(tabs.length, 9);
    for (const language of tabs) {
      await page.click(`#tab-${language}`);
      const code = await page.textContent('#sample-code');
      assert.ok(!code.includes(APPCODE), `${language} sample shows the AppCode`);
      assert.ok(code.includes('KUAIDI_APPCODE') || language === 'javascript', `${language} reads it from the environment`);
    }
    await page.check('#sample-reveal');
    for (const language of tabs) {
      await page.click(`#tab-${language}`);
      assert.ok((await page.textContent('#sample-code')).includes(APPCODE), `${language} sample after reveal`);
    }
    await page.uncheck('#sample-reveal');

    // The share link carries the number only.
    await page.click('#share');
    const link = await page.evaluate(() => navigator.clipboard.readText());
    assert.ok(link.includes('JT3084743373888'));
    assert.ok(!link.includes(APPCODE) && !link.includes('1234'));
    assert.equal(await page.textContent('#form-status'), label('share.done'));
    await context.close();
  });

  test('an AppCode with a character no header can carry is explained, and nothing is sent', async () => {
    const { page, queries } = await suite.open();
    await page.fill('#appcode', `${APPCODE}（复制多了）`);
    const shown = await submitAndRead(page, { kddh: 'JT3084743373888' });
    const seen = core.interpret({ http_status: 0, headers_readable: false, transport_error: 'Failed to fetch' });
    assert.equal(shown.stateId, 'not_reachable');
    assert.equal(shown.action, seen.action.zh, 'the checklist names stray characters in the AppCode');
    assert.equal(queries().length, 0);
  });

  test('the gateway refuses an unknown AppCode, and a used-up quota, as documented', async () => {
    const { page } = await suite.open();
    await page.fill('#appcode', OTHER);
    let shown = await submitAndRead(page, { kddh: 'YT8962646785389' });
    assert.equal(shown.matched, 'appcode_invalid');
    assert.equal(shown.http, `HTTP ${scenario('appcode_invalid').classic.http_status}`);
    // On the demo endpoint the page does not call the AppCode wrong: the demo knows only its own.
    assert.equal(shown.explanation, label('demo.appcode_explanation').replace('{demo}', 'demo'));

    await page.fill('#appcode', APPCODE);
    await suite.mock.admin(`quotas/${APPCODE}`, { method: 'PUT', body: JSON.stringify({ remaining: 1 }) });
    shown = await submitAndRead(page, { kddh: 'JD0123456789012' });
    assert.equal(shown.http, 'HTTP 200');
    assert.equal(shown.billed, label('result.billed_demo.billed'));
    shown = await submitAndRead(page, { kddh: 'YT9693083639795' });
    assert.equal(shown.matched, 'quota_exhausted');
    assert.equal(shown.http, 'HTTP 403');
    assert.equal(shown.billed, label('result.billed_demo.not_billed'));
    assert.equal(shown.action, scenario('quota_exhausted').action.zh);
    await screenshot(page, 'appcode-quota-exhausted', '#result');
    await shownAnswer(page);
  });
});
