// As the person types: the documented answer the API would give, before any paid call; carrier
// candidates with one click to choose; the searchable carrier list; the phone-tail prompt; a masked
// number caught. Driven by the core's own request vectors (tests/vectors/request.json): every case
// that can be typed into the three boxes is typed, and the page must agree with the vector.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { carrier, core, label, root, scenario, screenshot, shownAnswer, usePage } from './harness.mjs';

const vectors = JSON.parse(readFileSync(path.join(root, 'tests', 'vectors', 'request.json'), 'utf8'));

// The vector's query as box contents, or null when it cannot be typed as is: another parameter,
// a repeated name, an absent kddh, an empty code/tel (the page omits empty boxes) or bytes that
// are not valid percent-encoded UTF-8.
function typable(c) {
  if (!('query' in c) || c.options || /%(?![0-9A-Fa-f]{2})/.test(c.query)) return null;
  const fields = {};
  for (const part of c.query.split('&').filter(Boolean)) {
    const [name, raw = ''] = part.split(/=(.*)/s);
    if (!['kddh', 'code', 'tel'].includes(name) || name in fields) return null;
    try {
      fields[name] = decodeURIComponent(raw.replace(/\+/g, ' '));
    } catch {
      return null;
    }
  }
  if (!('kddh' in fields)) return null;
  if (('code' in fields && !fields.code.trim()) || ('tel' in fields && !fields.tel.trim())) return null;
  return { kddh: fields.kddh, code: fields.code ?? '', tel: fields.tel ?? '' };
}

// The page sends what the core's cleaning makes of pasted input ("+86 138-0013-8888" → 8888): the
// vectors of the vendor's validation are typed where cleaning leaves them as they are.
const untouched = (fields) => ['kddh', 'code', 'tel'].every((f) => !fields[f].trim() || !core.clean(f, fields[f].trim()).changed);
const typableCases = vectors.cases.map((c) => ({ c, fields: typable(c) })).filter((x) => x.fields && untouched(x.fields));

async function type(page, { kddh, code = '', tel = '' }) {
  await page.fill('#code', code);
  await page.fill('#tel', tel);
  await page.fill('#kddh', kddh);
  // Format errors wait until the person leaves the box (or pauses, or submits).
  await page.locator('#kddh').blur();
}

// What the form shows under the boxes right now.
const shownChecks = (page) => page.evaluate(() => ({
  precheck: document.querySelector('#precheck').hidden ? null : document.querySelector('#precheck .msg')?.textContent,
  scenario: document.querySelector('.advice-answer')?.dataset.scenario ?? null,
  invalid: [...document.querySelectorAll('[aria-invalid="true"]')].map((e) => e.id),
  advisories: [...document.querySelectorAll('.advisory')].map((e) => e.dataset.kind),
  advisoryTexts: [...document.querySelectorAll('.advisory')].map((e) => e.textContent),
  candidates: [...document.querySelectorAll('#candidates .candidate')].map((e) => e.dataset.code),
  telFlagged: document.querySelector('#tel-field').classList.contains('attention') && !document.querySelector('#tel-flag').hidden,
}));

describe('validation as the person types', () => {
  const suite = usePage({ session: true });

  test('enough request vectors can be typed to matter', () => {
    assert.ok(typableCases.length >= 25, `only ${typableCases.length} typable vectors`);
    assert.ok(typableCases.filter((x) => x.c.expect.answer).length >= 12);
  });

  for (const { c, fields } of typableCases) {
    test(`vector "${c.name}"`, async () => {
      const { page } = suite.session;
      await type(page, fields);
      // An empty box is not nagged while typing: its message comes with 提交 (nothing is sent).
      if (!fields.kddh.trim()) await page.click('#submit');
      const shown = await shownChecks(page);
      const expect = c.expect;
      // After 查询 the prediction is said once, in the result card, no longer above it.
      if (!fields.kddh.trim() && expect.answer) shown.precheck = await page.textContent('#result-body .answer-local .msg');
      if (expect.answer) {
        const s = scenario(expect.answer);
        assert.equal(shown.precheck, s.msg, 'the documented message is shown before sending');
        assert.equal(shown.scenario, s.id);
        assert.equal(shown.invalid.length, 1);
      } else {
        assert.equal(shown.precheck, null, 'no documented failure is predicted');
        assert.deepEqual(shown.invalid, []);
        if (expect.advisories) assert.deepEqual([...shown.advisories].sort(), [...expect.advisories].sort());
        if (expect.carrier) assert.equal(shown.candidates[0], expect.carrier);
      }
    });
  }

  test('a documented failure is never sent: 提交 shows it as a local check', async () => {
    const { page, queries } = suite.session;
    const before = queries().length;
    for (const { c, fields } of typableCases.filter((x) => x.c.expect.answer)) {
      await type(page, fields);
      await page.evaluate(() => document.querySelector('#result-body').replaceChildren());
      await page.click('#submit');
      const shown = await shownAnswer(page);
      assert.equal(shown.local, true, c.name);
      assert.equal(shown.scenario, c.expect.answer, c.name);
      assert.equal(shown.msg, scenario(c.expect.answer).msg);
      // Said conditionally (nothing was sent), not with the text of a received answer.
      const s = scenario(c.expect.answer);
      const would = label(s.billed ? 'result.would_billed' : 'result.would_not_billed').replace('{status}', s.http_status);
      assert.equal(shown.explanation, `${would}${s.msg}${label('result.blocked')}`);
    }
    await screenshot(page, 'validation-local-check');
    assert.equal(queries().length, before, 'no request reached the endpoint');
    assert.equal((await suite.mock.journal()).filter((e) => e.target?.startsWith('/query')).length, 0);
  });

  test('developer mode can send it anyway, and the API answers what the page predicted', async () => {
    const { page } = suite.session;
    await page.check('#dev-mode');
    for (const { c, fields } of typableCases.filter((x) => x.c.expect.answer)) {
      await type(page, fields);
      await page.click('#submit');
      await page.click('#send-anyway');
      if (await page.isVisible('#recent-warning')) await page.click('#recent-again');
      await page.waitForSelector('#result-body article.answer:not(.answer-local)');
      const shown = await shownAnswer(page);
      assert.equal(shown.matched, c.expect.answer, c.name);
      assert.equal(shown.msg, scenario(c.expect.answer).msg, c.name);
    }
    await page.uncheck('#dev-mode');
  });

  test('carrier candidates appear as the person types; one click sets 快递代码', async () => {
    const { page } = suite.session;
    await type(page, { kddh: 'JT3084743373888' });
    const shown = await shownChecks(page);
    const expected = core.validate({ kddh: 'JT3084743373888' }).detection.candidates.map((x) => x.code);
    assert.deepEqual(shown.candidates, expected.slice(0, 6));
    const name = await page.textContent('#candidates .candidate .carrier-name');
    assert.equal(name, carrier(expected[0]).name_zh);
    await page.click(`#candidates .candidate[data-code="${expected[0]}"]`);
    assert.equal(await page.inputValue('#code'), expected[0]);
    assert.equal(await page.getAttribute(`#candidates .candidate[data-code="${expected[0]}"]`, 'aria-pressed'), 'true');
  });

  test('an ambiguous number lists several candidates, best first', async () => {
    const { page } = suite.session;
    const number = '773277027280336';  // 15 digits starting 77: shared formats (carriers.md)
    await type(page, { kddh: number });
    const expected = core.validate({ kddh: number }).detection.candidates.map((x) => x.code);
    assert.ok(expected.length > 1);
    assert.deepEqual((await shownChecks(page)).candidates, expected.slice(0, 6));
  });

  test('the phone-tail box asks for attention when the carrier needs it', async () => {
    const { page } = suite.session;
    await type(page, { kddh: 'SF1385628716739' });
    let shown = await shownChecks(page);
    assert.equal(shown.telFlagged, true);
    const advice = core.validate({ kddh: 'SF1385628716739' }).advisories.find((a) => a.kind === 'phone_tail_needed');
    assert.ok(shown.advisoryTexts.includes(advice.text.zh));
    assert.equal(await page.textContent('#tel-advice .advisory'), advice.text.zh);
    await screenshot(page, 'validation-phone-tail', '#query');
    await page.fill('#tel', '8888');
    shown = await shownChecks(page);
    assert.equal(shown.telFlagged, false);
    // A carrier chosen by code that needs the tail flags it too.
    await type(page, { kddh: 'JT3084743373888', code: 'shunfeng' });
    assert.equal((await shownChecks(page)).telFlagged, true);
  });

  test('a masked number copied from an answer is caught with the reason', async () => {
    const { page } = suite.session;
    const masked = core.mask('786270000758');
    await type(page, { kddh: masked });
    const v = core.validate({ kddh: masked });
    const shown = await shownChecks(page);
    assert.ok(shown.advisories.includes('masked_number'));
    assert.ok(shown.advisoryTexts.includes(v.advisories.find((a) => a.kind === 'masked_number').text.zh));
    assert.equal(shown.precheck, v.answer.msg);
    await screenshot(page, 'validation-masked-number', '#query');
  });

  test('the searchable list of all carriers sets 快递代码', async () => {
    const { page } = suite.session;
    await type(page, { kddh: 'JT3084743373888' });
    await page.click('#carriers-toggle');
    assert.equal(await page.getAttribute('#carriers-toggle', 'aria-expanded'), 'true');
    assert.equal(await page.locator('#carrier-list .carrier-choice').count(), core.carriers.length);
    const sf = carrier('shunfeng');
    await page.fill('#carrier-search', sf.name_zh.slice(0, 2));
    const listed = await page.$$eval('#carrier-list .carrier-choice', (b) => b.map((x) => x.dataset.code));
    const expected = core.carriers.filter((c) => [c.code, c.name_zh, c.name_en].some((s) => s.toLowerCase().includes(sf.name_zh.slice(0, 2)))).map((c) => c.code);
    assert.deepEqual(listed, expected);
    await page.fill('#carrier-search', 'zzzz-no-such-carrier');
    assert.equal(await page.isVisible('#carrier-none'), true);
    await page.fill('#carrier-search', sf.code);
    await page.click(`#carrier-list .carrier-choice[data-code="${sf.code}"]`);
    assert.equal(await page.inputValue('#code'), sf.code);
    assert.equal(await page.isVisible('#carrier-picker'), false);
  });

  test('Enter submits, 重置 clears', async () => {
    const { page, queries } = suite.session;
    const before = queries().length;
    await type(page, { kddh: 'YT8962646785389' });
    await page.evaluate(() => document.querySelector('#result-body').replaceChildren());
    await page.press('#kddh', 'Enter');
    const shown = await shownAnswer(page);
    assert.equal(shown.local, false);
    assert.equal(queries().length, before + 1);
    await page.click('#reset');
    for (const id of ['#kddh', '#code', '#tel']) assert.equal(await page.inputValue(id), '');
    assert.equal(await page.isVisible('#precheck'), false);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'kddh');
  });

  test('the Aliyun endpoint without an AppCode asks for one and sends nothing', async () => {
    const { page, queries, requests } = suite.session;
    const before = requests.length;
    await page.check('input[name="endpoint"][value="aliyun"]');
    assert.equal(await page.textContent('#endpoint-url'), 'https://chawuliu.market.alicloudapi.com/query');
    await type(page, { kddh: 'JT3084743373888' });
    await page.click('#submit');
    assert.equal(await page.textContent('#form-status'), label('appcode.required'));
    assert.equal(await page.evaluate(() => document.activeElement.id), 'appcode');
    assert.equal(requests.length, before, 'nothing was requested');
    assert.ok(queries().every((q) => new URL(q.url).origin === suite.mock.origin));
    await page.check('input[name="endpoint"][value="demo"]');
  });
});
