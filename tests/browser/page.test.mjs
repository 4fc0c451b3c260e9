// The page as a whole: exact labels, security (nothing from a response runs or becomes markup, the
// CSP holds, nothing is fetched from elsewhere), offline once loaded, the English switch, phone
// width, and overview screenshots.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { label, launchBrowser, openPage, scenario, screenshot, shownAnswer, startMock, submitAndRead } from './harness.mjs';

const HOSTILE_EVENT = '<img src=x onerror="window.__xss=1">【上海市】快递员正在派件';
const HOSTILE_SCRIPT = '<script>window.__xss=2</script>【上海市】快件已揽收';
const HOSTILE_CARRIER = '<b onmouseover="window.__xss=3">极兔速递</b>';
const HOSTILE_MSG = '<img src=y onerror="window.__xss=4">';

const fixtures = [
  { kddh: 'JT3084743373888', trace: { status: 2, kdmc: HOSTILE_CARRIER, events: [
    { time: '2024-05-01 10:00:00', content: HOSTILE_EVENT },
    { time: '2024-05-01 08:00:00', content: HOSTILE_SCRIPT }] } },
  { kddh: 'YT8962646785389', response: { status: 200, headers: { 'Content-Type': 'application/json;charset=UTF-8' },
    body: JSON.stringify({ ok: 1, msg: HOSTILE_MSG, status: 2, kdmc: '', kddh: '', data: [] }) } },
];

describe('the page', () => {
  let mock;
  let browser;

  before(async () => {
    mock = await startMock([], { fixtures });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await mock?.stop();
  });

  test('inputs are labelled exactly 快递单号, 快递代码, 4位手机尾号 and reachable by their labels', async () => {
    const { page } = await openPage(browser, mock);
    for (const [text, id] of [['快递单号', 'kddh'], ['快递代码', 'code'], ['4位手机尾号', 'tel']]) {
      assert.equal((await page.textContent(`label[for="${id}"]`)).replace(/\s+/g, ' ').trim().split(' ')[0], text);
      assert.equal(await page.getByLabel(text, { exact: true }).getAttribute('id'), id);
    }
    assert.equal(await page.textContent('#submit'), '提交');
    assert.equal(await page.textContent('#reset'), '重置');
    assert.equal(await page.getByRole('switch', { name: '开发者模式' }).count(), 1);
    // Every form control has an accessible name.
    const unnamed = await page.$$eval('input, select, textarea, button', (nodes) => nodes
      .filter((n) => n.type !== 'hidden' && !n.closest('[hidden]'))
      .filter((n) => !(n.labels?.length || n.getAttribute('aria-label') || n.getAttribute('aria-labelledby') || n.textContent.trim()))
      .map((n) => n.id || n.outerHTML.slice(0, 60)));
    assert.deepEqual(unnamed, []);
  });

  test('text from a response is shown as text, never run or turned into markup', async () => {
    const { page, problems } = await openPage(browser, mock);
    await page.check('#dev-mode');
    const shown = await submitAndRead(page, { kddh: 'JT3084743373888' });
    assert.deepEqual(shown.events.map((e) => e.content), [HOSTILE_EVENT, HOSTILE_SCRIPT]);
    assert.equal(shown.carrier, HOSTILE_CARRIER);
    await page.click('#devpanel button:text-is("报文解析")');
    const second = await submitAndRead(page, { kddh: 'YT8962646785389' });
    assert.equal(second.msg, HOSTILE_MSG);
    await page.fill('#batch-input', 'JT3084743373888\nYT8962646785389');
    await page.click('#batch-start');
    await page.click('#batch-run-all');  // both numbers were just queried: the repeat warning
    await page.waitForFunction(() => document.querySelector('#batch-summary').textContent !== '');
    await page.hover('#result .msg');
    await page.waitForTimeout(300);
    const injected = await page.evaluate(() => ({
      xss: window.__xss,
      images: document.querySelectorAll('main img').length,
      scripts: document.querySelectorAll('main script, main b').length,
      batchCell: document.querySelector('#batch-rows tr td.col-latest').textContent,
      historyCarrier: document.querySelector('#history-table tbody tr:last-child td:nth-child(2)').textContent,
    }));
    assert.deepEqual(injected, { xss: undefined, images: 0, scripts: 0, batchCell: HOSTILE_EVENT, historyCarrier: HOSTILE_CARRIER });
    await screenshot(page, 'security-hostile-text', '#result');
    assert.deepEqual(problems, []);
  });

  test('the Content-Security-Policy forbids inline and eval\'d script; nothing comes from elsewhere', async () => {
    const { page, requests, problems } = await openPage(browser, mock);
    const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
    assert.doesNotMatch(csp, /unsafe-inline|'unsafe-eval'/);
    assert.match(csp, /object-src 'none'/);
    // (The test's own evaluate may eval; code the page schedules may not: a string timer.)
    const blocked = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__inline = 1';
      document.body.append(script);
      setTimeout('window.__evaluated = 1', 0);  // eslint-disable-line no-implied-eval
      await new Promise((r) => setTimeout(r, 100));
      return { inline: window.__inline, evaluated: window.__evaluated };
    });
    assert.deepEqual(blocked, { inline: undefined, evaluated: undefined });
    assert.ok(problems.some((p) => p.startsWith('CSP')), 'the browser reported the blocked script');

    await submitAndRead(page, { kddh: 'SF1385628716739', tel: '8888' });
    const origins = new Set(requests.map((r) => new URL(r.url).origin));
    assert.deepEqual([...origins], [mock.origin]);
    const paths = requests.map((r) => new URL(r.url).pathname);
    assert.ok(!paths.some((p) => p.endsWith('.map') || /font|woff/i.test(p)), 'no source map or font fetched');
    const scripts = await Promise.all(['kuaidi.js', 'app.js'].map(async (f) => (await fetch(`${mock.origin}/${f}`)).text()));
    assert.ok(scripts.every((s) => !s.includes('sourceMappingURL')));
  });

  test('works offline once loaded', async () => {
    const { page, context } = await openPage(browser, mock, { contextOptions: { serviceWorkers: 'allow' } });
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
      }
    });
    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]', { timeout: 15000 });
    await page.fill('#kddh', 'SF1385628716739');
    assert.equal(await page.isVisible('#tel-flag'), true, 'validation runs offline');
    await page.fill('#appcode', 'a1b2c3d4e5f6a7b8');
    const shown = await submitAndRead(page, { kddh: 'SF1385628716739', tel: '8888' });
    assert.equal(shown.stateId, 'not_reachable');
    await context.setOffline(false);
    await context.close();
  });

  test('English is a switch; it stays after a reload', async () => {
    const { page } = await openPage(browser, mock);
    await page.click('#lang-switch');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.textContent('#submit'), label('submit', 'en'));
    assert.equal(await page.textContent('label[for="kddh"]'), label('field.kddh', 'en'));
    assert.ok(label('field.kddh', 'en').includes('快递单号'), 'the Chinese label stays visible');
    await page.selectOption('#scenario', 'kddh_missing');
    const shown = await submitAndRead(page, { kddh: 'DPK202252612836' });
    const s = scenario('kddh_missing');
    assert.equal(shown.explanation, s.explanation.en);
    assert.equal(shown.action, s.action.en);
    assert.equal(shown.msg, s.msg, 'the API\'s own message is shown as sent');
    assert.equal(shown.billed, label('result.billed.not_billed', 'en'));
    await page.fill('#kddh', '78627****758');
    assert.match(await page.textContent('#kddh-advice'), /masked/i);
    await screenshot(page, 'page-english');
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    assert.equal(await page.textContent('#submit'), label('submit', 'en'));
    await page.click('#lang-switch');
    assert.equal(await page.textContent('#submit'), label('submit'));
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  });

  test('fits a phone screen', async () => {
    const { page } = await openPage(browser, mock, { contextOptions: { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true } });
    await page.screenshot({ path: await screenshot(page, 'page-phone-first-screen'), fullPage: false });
    await page.check('#dev-mode');
    await submitAndRead(page, { kddh: 'SF1385628716739', tel: '8888' });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 375, `page is ${width}px wide`);
    await screenshot(page, 'page-phone');
  });

  test('overview screenshot: a delivered parcel', async () => {
    const { page } = await openPage(browser, mock);
    await page.fill('#appcode', '83359fd73fe94948385f570e3c139105');
    await submitAndRead(page, { kddh: 'SF1385628716739', tel: '8888' });
    await shownAnswer(page);
    await screenshot(page, 'page-overview');
  });
});
