// The page as a whole: exact labels, nothing fetched from elsewhere, offline once loaded, the
// English switch, phone width, and overview screenshots. (Hostile answers and the CSP: xss.test.mjs.)
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { label, scenario, screenshot, shownAnswer, submitAndRead, unfoldSettings, usePage } from './harness.mjs';

describe('the page', () => {
  const suite = usePage();

  test('inputs are labelled exactly 快递单号, 快递代码, 4位手机尾号 and reachable by their labels', async () => {
    const { page } = await suite.open();
    for (const [text, id] of [['快递单号', 'kddh'], ['快递代码', 'code'], ['4位手机尾号', 'tel']]) {
      assert.equal((await page.textContent(`label[for="${id}"]`)).replace(/\s+/g, ' ').trim().split(' ')[0], text);
      assert.equal(await page.getByLabel(text, { exact: true }).getAttribute('id'), id);
    }
    assert.equal(await page.textContent('#submit'), '查询');
    assert.equal(await page.textContent('#reset'), '重置');
    assert.equal(await page.getByRole('switch', { name: '开发者模式' }).count(), 1);
    // Every form control has an accessible name.
    const unnamed = await page.$$eval('input, select, textarea, button', (nodes) => nodes
      .filter((n) => n.type !== 'hidden' && !n.closest('[hidden]'))
      .filter((n) => !(n.labels?.length || n.getAttribute('aria-label') || n.getAttribute('aria-labelledby') || n.textContent.trim()))
      .map((n) => n.id || n.outerHTML.slice(0, 60)));
    assert.deepEqual(unnamed, []);
  });

  test('nothing comes from elsewhere: no other origin, no source map, no font', async () => {
    const { page, requests } = await suite.open();
    await submitAndRead(page, { kddh: 'SF1385628716739', tel: '8888' });
    const origins = new Set(requests.map((r) => new URL(r.url).origin));
    assert.deepEqual([...origins], [suite.mock.origin]);
    const paths = requests.map((r) => new URL(r.url).pathname);
    assert.ok(!paths.some((p) => p.endsWith('.map') || /font|woff/i.test(p)), 'no source map or font fetched');
    const scripts = await Promise.all(['kuaidi.js', 'app.js'].map(async (f) => (await fetch(`${suite.mock.origin}/${f}`)).text()));
    assert.ok(scripts.every((s) => !s.includes('sourceMappingURL')));
  });

  test('works offline once loaded', async () => {
    const { page, context } = await suite.open({ contextOptions: { serviceWorkers: 'allow' } });
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
      }
    });
    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]', { timeout: 15000 });
    await unfoldSettings(page);
    await page.fill('#kddh', 'SF1385628716739');
    assert.equal(await page.isVisible('#tel-flag'), true, 'validation runs offline');
    // Offline the mock cannot be asked: 演示 is answered by the page's own simulator.
    assert.equal(await page.isChecked('input[name="endpoint"][value="demo"]'), true);
    assert.equal(await page.textContent('#endpoint-note'), label('endpoint.demo_page'));
    const demo = await submitAndRead(page, { kddh: 'SF1385628716739', tel: '8888' });
    assert.equal(demo.matched, 'success');
    await page.check('input[name="endpoint"][value="aliyun"]');
    await page.fill('#appcode', 'a1b2c3d4e5f6a7b8');
    const shown = await submitAndRead(page, { kddh: 'YT8962646785389' });
    assert.equal(shown.stateId, 'not_reachable');
    await context.setOffline(false);
    await context.close();
  });

  test('English is a switch; it stays after a reload', async () => {
    const { page } = await suite.open();
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
    assert.equal(shown.billed, label('result.billed_demo.not_billed', 'en'), 'the demo says what the real API would bill');
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
    const { page } = await suite.open({ contextOptions: { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true } });
    await page.screenshot({ path: await screenshot(page, 'page-phone-first-screen'), fullPage: false });
    await page.check('#dev-mode');
    await submitAndRead(page, { kddh: 'SF1385628716739', tel: '8888' });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 375, `page is ${width}px wide`);
    await screenshot(page, 'page-phone');
  });

  test('overview screenshot: a delivered parcel', async () => {
    const { page } = await suite.open();
    await page.fill('#appcode', '83359fd73fe94948385f570e3c139105');
    await submitAndRead(page, { kddh: 'SF1385628716739', tel: '8888' });
    await shownAnswer(page);
    await screenshot(page, 'page-overview');
  });
});
