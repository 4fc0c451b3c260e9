// Issue 16 for the operations person: quiet while typing (errors on blur, submit or a pause), and
// a result card that leads with the latest event, keeps the technical numbers folded, shows the
// number as typed and offers the next step as a button.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { core, label, scenario, screenshot, shownAnswer, submitAndRead, usePage } from './harness.mjs';

const APPCODE = '7f3e9a0c41d24b6e8a5f0c9d2e1b3a47';

describe('issue 16: the page for operations staff', () => {
  const suite = usePage({ extraMocks: { quota: ['--appcode', `${APPCODE}:0`, '--expose-headers'] } });

  test('9. no red error from the first keystroke: it waits for blur, a pause, or 查询', async () => {
    const { page } = await suite.open();
    const tooLong = '123456789012345678901';
    assert.ok(core.validate({ kddh: tooLong }).answer);
    await page.type('#kddh', tooLong.slice(0, 3));
    const quiet = () => page.evaluate(() => ({
      invalid: document.querySelector('#kddh').getAttribute('aria-invalid'),
      error: document.querySelector('#kddh-advice .advice-answer')?.dataset.scenario ?? null,
      precheck: !document.querySelector('#precheck').hidden,
    }));
    assert.deepEqual(await quiet(), { invalid: null, error: null, precheck: false }, 'three characters are not an error yet');
    await page.fill('#kddh', tooLong);
    assert.deepEqual(await quiet(), { invalid: null, error: null, precheck: false }, 'not while typing');
    await page.locator('#kddh').blur();
    assert.deepEqual(await quiet(), { invalid: 'true', error: 'kddh_too_long', precheck: true }, 'on blur');
    await page.focus('#kddh');
    await page.keyboard.press('Backspace');
    assert.equal((await quiet()).error, null, 'typing again is quiet again');
    // After a pause with enough characters typed, the page speaks up by itself.
    await page.fill('#kddh', `${tooLong}9`);
    await page.waitForFunction(() => document.querySelector('#kddh').getAttribute('aria-invalid') === 'true', null, { timeout: 10000 });

    // The live region is rewritten only when what it says changes.
    await page.evaluate(() => {
      window.adviceWrites = 0;
      new MutationObserver(() => { window.adviceWrites += 1; }).observe(document.querySelector('#kddh-advice'), { childList: true });
    });
    await page.locator('#kddh').blur();
    await page.evaluate(() => document.querySelector('#kddh').dispatchEvent(new Event('blur')));
    assert.equal(await page.evaluate(() => window.adviceWrites), 0, 'the same advice is not announced twice');
  });

  test('11. the result card: latest event first, technical details folded, typed number, next steps', async () => {
    const { page } = await suite.open();
    const typed = 'yt 8962 6467 85389';
    const shown = await submitAndRead(page, { kddh: typed });
    assert.ok(shown.events.length > 0);
    assert.equal(await page.textContent('#result .latest'), `${shown.events[0].time} ${shown.events[0].content}`);
    assert.equal(await page.textContent('#result .typed-number'), typed.trim());
    assert.equal(await page.getAttribute('#result details.tech', 'open'), null, 'folded for ops');
    assert.equal(await page.isVisible('#result .badge.http'), false);
    assert.equal(shown.http, 'HTTP 200', 'still there for whoever opens it');
    await screenshot(page, 'issue16-result-ops', '#result');
    await page.click('#result details.tech summary');
    assert.equal(await page.isVisible('#result .badge.http'), true);

    // A carrier that needs the phone tail, asked without it: the button leads to the box.
    const sf = 'SF1385628716739';
    assert.ok(core.validate({ kddh: sf }).advisories.some((a) => a.kind === 'phone_tail_needed'));
    const noTail = await submitAndRead(page, { kddh: sf });
    if (['no_record', 'bad_number'].includes(noTail.stateId)) {
      await page.click('#result .step-tel');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'tel');
    }

    // A failure has no "status 0" badge.
    await page.selectOption('#scenario', 'kddh_missing');
    const failed = await submitAndRead(page, { kddh: 'JT3084743373888' });
    assert.equal(failed.rawStatus, null);
  });

  test('8. real pasted input is cleaned by the core, said under the box, and the cleaned value sent', async () => {
    const { page, queries } = await suite.open();
    const raw = { kddh: '快递单号：ＹＴ８９６２６４６７８５３８９。', code: '圆通', tel: '+86 138-0013-8888' };
    await page.fill('#kddh', raw.kddh);
    await page.fill('#code', raw.code);
    await page.fill('#tel', raw.tel);
    await page.locator('#tel').blur();
    const notes = await page.$$eval('.cleaned', (n) => Object.fromEntries(n.map((x) => [x.dataset.field, x.textContent])));
    assert.ok(notes.kddh.startsWith(label('clean.sent').replace('{value}', 'YT8962646785389')), notes.kddh);
    assert.ok(notes.code.startsWith(label('clean.sent').replace('{value}', 'yuantong')), notes.code);
    assert.ok(notes.tel.startsWith(label('clean.sent').replace('{value}', '8888')), notes.tel);
    await screenshot(page, 'issue16-cleaned-input', '#query');
    await page.click('#submit');
    const shown = await shownAnswer(page);
    assert.equal(shown.local, false);
    const url = new URL(queries().at(-1).url);
    assert.deepEqual(Object.fromEntries(url.searchParams), { kddh: 'YT8962646785389', code: 'yuantong', tel: '8888' });
    assert.equal(await page.textContent('#result .typed-number'), raw.kddh, 'the number as typed is shown');
  });

  test('7. the query is the first screen, settings one line once set, and the number box has focus', async () => {
    for (const [width, height, what] of [[390, 844, '#kddh'], [1280, 900, '#submit']]) {
      const { page, context } = await suite.open({
        folded: true, contextOptions: { viewport: { width, height } },
      });
      assert.equal(await page.evaluate(() => document.activeElement.id), 'kddh', 'ready to type');
      const box = await page.locator(what).boundingBox();
      assert.ok(box.y + box.height <= height, `${what} ends at ${box.y + box.height} on a ${width}×${height} screen`);
      // The settings: one line above the query.
      assert.equal(await page.textContent('#settings-summary'), `${label('endpoint.demo')} ·`);
      assert.equal(await page.textContent('#settings-toggle'), label('settings.edit'));
      assert.equal(await page.getAttribute('#settings-toggle', 'aria-expanded'), 'false');
      assert.equal(await page.isVisible('#appcode'), false);
      const line = await page.locator('#settings').boundingBox();
      const lineHeight = await page.evaluate(
        () => parseFloat(getComputedStyle(document.querySelector('#settings-summary')).lineHeight));
      assert.ok(line.height < 2 * lineHeight + 24, `the folded settings are ${line.height} px high`);
      const order = await page.$$eval('main > section', (s) => s.map((x) => x.id));
      assert.deepEqual(order.filter((id) => id !== 'devpanel'),
        ['settings', 'query', 'result', 'batch', 'history', 'diagnose', 'samples']);
      // 调用示例 belongs to developer mode, in the page and in the navigation.
      const nav = () => page.$$eval('.top-nav a',
        (a) => a.filter((x) => x.offsetParent).map((x) => x.getAttribute('href')));
      assert.deepEqual(await nav(), ['#query', '#batch', '#history', '#diagnose']);
      assert.equal(await page.isVisible('#samples'), false);
      await page.check('#dev-mode');
      assert.deepEqual(await nav(), ['#query', '#batch', '#history', '#diagnose', '#samples'],
        'the navigation matches');
      assert.equal(await page.isVisible('#samples'), true);
      await page.uncheck('#dev-mode');
      await screenshot(page, `issue16-first-screen-${width}`, null, {});
      await page.screenshot({ path: `${process.env.KUAIDI_SCREENSHOTS || 'build/screenshots'}/issue16-first-screen-${width}-viewport.png` });
      await context.close();
    }
    // Switching to a real endpoint opens what is missing; once the AppCode is there, 收起 folds to
    // a line naming both, masked, and it is folded again on the next visit.
    const { page } = await suite.open({ folded: true });
    await page.click('#settings-toggle');
    assert.equal(await page.evaluate(() => document.activeElement.name), 'endpoint', 'the first setting is focused');
    await page.check('input[name="endpoint"][value="aliyun"]');
    assert.equal(await page.isVisible('#settings-toggle'), false, 'no folding while the AppCode is missing');
    await page.fill('#appcode', APPCODE);
    assert.equal(await page.textContent('#settings-toggle'), label('settings.fold'));
    await page.click('#settings-toggle');
    const mask = `${APPCODE.slice(0, 4)}****${APPCODE.slice(-2)}`;
    const line = `${label('settings.saved').replace('{mask}', mask)} · ${label('endpoint.aliyun')} ·`;
    assert.equal(await page.textContent('#settings-summary'), line);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'settings-toggle');
    await screenshot(page, 'issue16-settings-folded', '#settings');
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    assert.equal(await page.textContent('#settings-summary'), line);
    await page.click('#settings-toggle');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'appcode');
  });

  test('11. a used-up quota on a real endpoint offers renewal and the request id', async () => {
    const { page } = await suite.open();
    await page.check('input[name="endpoint"][value="custom"]');
    await page.fill('#custom-url', `${suite.extra.quota.origin}/query`);
    await page.fill('#appcode', APPCODE);
    const shown = await submitAndRead(page, { kddh: 'JT3084743373888' });
    assert.equal(shown.matched, 'quota_exhausted');
    assert.equal(shown.action, scenario('quota_exhausted').action.zh);
    assert.equal(await page.textContent('#result .step-renew'), label('step.renew'));
    assert.equal(await page.textContent('#result .step-copy-id'), label('step.copy_id'));
    await screenshot(page, 'issue16-result-quota', '#result');
  });
});
