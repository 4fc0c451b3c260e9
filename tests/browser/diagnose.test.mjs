// 粘贴诊断 and 检查 AppCode. Every catalogue answer, fetched from a real kuaidi-mock and pasted as
// curl -i output and as a HAR entry, gives the card the live call gives; an unreadable paste says
// what was expected; the AppCode check proves what it says on kuaidi-mock without using a call, on
// the in-page demo, and explains 400/401 and 403 (cross-origin: the causes it cannot tell apart).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { core, label, scenario, screenshot, submitAndRead, usePage } from './harness.mjs';


const LIVE = 'LIVE0000live';          // unlimited
const COUNTED = 'COUNTED0count';      // 5 calls left
const USED_UP = 'USEDUP00used';       // none left
const EXPIRED = 'EXPIRED0expd';       // expired package
const ACCOUNTS = ['--appcode', `${LIVE}:unlimited`, '--appcode', `${COUNTED}:5`, '--appcode', `${USED_UP}:0`,
  '--appcode', `${EXPIRED}:5:expired`];

let serial = 0;
const nextNumber = () => `JT${String(3084743400000 + (serial += 1))}`;

// The answer as it left the server: status, headers in their spelling and order, body bytes.
function rawGet(url, appcode) {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { Authorization: `APPCODE ${appcode}` } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const headers = [];
        const raw = res.rawHeaders;
        for (let i = 0; i < raw.length; i += 2) headers.push([raw[i], raw[i + 1]]);
        resolve({ status: res.statusCode, headers, body: Buffer.concat(chunks).toString('utf8') });
      });
    }).on('error', reject);
  });
}

const asCurl = (url, a) => [`$ curl -i '${url}' -H 'Authorization: APPCODE ****'`, `HTTP/1.1 ${a.status}`,
  ...a.headers.map(([n, v]) => `${n}: ${v}`), '', a.body].join('\r\n');

const asHar = (url, a) => JSON.stringify({
  log: {
    version: '1.2',
    creator: { name: 'WebInspector', version: '537.36' },
    entries: [
      {
        request: { method: 'GET', url: `${new URL(url).origin}/favicon.svg` },
        response: { status: 200, headers: [], content: { size: 0 } },
      },
      {
        request: { method: 'GET', url, headers: [{ name: 'Authorization', value: 'APPCODE ****' }] },
        response: {
          status: a.status,
          statusText: '',
          httpVersion: 'HTTP/1.1',
          headers: a.headers.map(([name, value]) => ({ name, value })),
          content: { size: Buffer.byteLength(a.body), mimeType: 'application/json', text: a.body },
        },
      },
    ],
  },
}, null, 2);

// What a card shows a person (not the request id, which differs per call, nor the duration).
async function cardFacts(page, selector) {
  await page.waitForSelector(`${selector} article.answer`);
  return page.$eval(`${selector} article.answer`, (card) => {
    const text = (sel) => card.querySelector(sel)?.textContent ?? null;
    return {
      state: text('.state'),
      stateId: card.dataset.state,
      matched: card.dataset.matched,
      billed: text('.badge.billed'),
      http: text('.badge.http'),
      rawStatus: text('.badge.raw-status'),
      msg: text('.msg'),
      carrier: text('.carrier'),
      number: text('.number'),
      explanation: text('.explanation'),
      basis: card.querySelector('.basis')?.dataset.confidence ?? null,
      action: text('.action'),
      gatewayError: [...card.querySelectorAll('.tech dd code')].map((c) => c.textContent)
        .filter((t) => !/^[0-9A-F-]{36}$/.test(t)),
      notes: [...card.querySelectorAll('.notes li')].map((li) => li.textContent),
      events: [...card.querySelectorAll('.timeline .event')].map((e) => e.textContent),
    };
  });
}

async function diagnose(page, text) {
  await page.evaluate(() => document.querySelector('#paste-result').replaceChildren());
  await page.fill('#paste-text', text);
  await page.click('#paste-diagnose');
  await page.waitForSelector('#paste-result > *');
}

async function useEndpoint(page, url, appcode) {
  await page.check('input[name="endpoint"][value="custom"]');
  await page.fill('#custom-url', url);
  await page.fill('#appcode', appcode);
}

for (const generation of ['classic', 'vpc']) {
  describe(`a pasted answer gets the live call's card (${generation} gateway)`, () => {
    const suite = usePage({ mockArgs: ['--gateway', generation, ...ACCOUNTS], session: true });
    // The vendor's answers are the same behind either gateway: the VPC run covers the gateway's.
    const entries = core.catalogue.filter((s) => generation === 'classic' || s.source === 'gateway');

    for (const s of entries) {
      test(`${s.id}: as curl -i and as HAR`, async () => {
        const { page, problems } = suite.session;
        const kddh = nextNumber();
        const url = `${suite.mock.origin}/query?kddh=${kddh}&__scenario=${s.id}`;
        await useEndpoint(page, `${suite.mock.origin}/query?__scenario=${s.id}`, LIVE);
        await submitAndRead(page, { kddh });
        const live = await cardFacts(page, '#result-body');
        assert.ok(live.matched, `the live card recognised ${s.id}`);

        const sent = await rawGet(url, LIVE);
        await diagnose(page, asCurl(url, sent));
        assert.equal(await page.getAttribute('#paste-result .paste-form', 'data-form'), 'http');
        assert.deepEqual(await cardFacts(page, '#paste-result'), live, 'curl -i');
        await diagnose(page, asHar(url, sent));
        assert.equal(await page.getAttribute('#paste-result .paste-form', 'data-form'), 'har');
        assert.deepEqual(await cardFacts(page, '#paste-result'), live, 'HAR');
        if (['success', 'kddh_empty', 'quota_exhausted'].includes(s.id) && generation === 'classic') {
          await screenshot(page, `diagnose-paste-${s.id}`, '#diagnose');
        }
        assert.deepEqual(problems, []);
      });
    }
  });
}

describe('粘贴诊断: what cannot be read, and the page in English', () => {
  const suite = usePage({ session: true });

  test('an unreadable paste says what was expected; nothing is sent', async () => {
    const { page, problems, queries } = suite.session;
    const before = queries().length;
    for (const text of ['我查不到快递，怎么办？', '{"ok":0,"msg":"未传', '{"log":{"entries":[]}}']) {
      await diagnose(page, text);
      assert.equal(await page.textContent('#paste-result .paste-error .state'), label('paste.unreadable'));
      const expected = await page.textContent('#paste-result .paste-expected');
      for (const form of ['curl -i', 'curl -v', 'HAR', 'status=']) {
        assert.ok(expected.includes(form), `names ${form}: ${expected}`);
      }
      assert.equal(await page.$('#paste-result article.answer'), null, 'no card for an unreadable paste');
    }
    assert.match(await page.textContent('#paste-result .paste-expected'), /log\.entries/);
    await screenshot(page, 'diagnose-paste-unreadable', '#diagnose');
    assert.equal(queries().length, before, 'diagnosing sends nothing');
    assert.deepEqual(problems, []);
  });

  test('a log line and a bare body are read, saying what was assumed, in either language', async () => {
    const { page, problems } = suite.session;
    const s = scenario('kddh_missing');
    const body = `{"ok":0,"msg":"${s.msg}","status":0,"kdmc":"","kddh":"","data":[]}`;
    await diagnose(page, `2026-12-06 08:00:00 WARN status=666 body=${body}`);
    assert.equal(await page.getAttribute('#paste-result .paste-form', 'data-form'), 'log_line');
    let card = await cardFacts(page, '#paste-result');
    assert.equal(card.matched, 'kddh_missing');
    assert.equal(card.explanation, s.explanation.zh);

    await diagnose(page, body);
    assert.equal(await page.getAttribute('#paste-result .paste-form', 'data-form'), 'vendor_body');
    const notes = await page.$$eval('#paste-result .paste-notes li', (l) => l.length);
    assert.equal(notes, 1, 'the assumed status is said');

    await page.click('#lang-switch');
    assert.equal(await page.textContent('#paste-title'), label('paste.title', 'en'));
    assert.equal(await page.textContent('#paste-diagnose'), label('paste.button', 'en'));
    card = await cardFacts(page, '#paste-result');
    assert.equal(card.explanation, s.explanation.en, 'the card is drawn again in English');
    const note = await page.textContent('#paste-result .paste-notes li');
    assert.match(note, /documentation pairs ok 0 with 666/);
    await page.click('#lang-switch');
    assert.deepEqual(problems, []);
  });
});

async function check(page) {
  await page.evaluate(() => document.querySelector('#check-result').replaceChildren());
  await page.click('#check-appcode');
  await page.waitForSelector('#check-result article.check');
  return page.$eval('#check-result article.check', (a) => ({
    verdict: a.dataset.verdict,
    http: a.dataset.http,
    state: a.querySelector('.state').textContent,
    proved: [...a.querySelectorAll('.check-proved li')].map((li) => li.dataset.proved),
    causes: [...a.querySelectorAll('.check-causes li')].map((li) => li.dataset.cause),
    cause: a.querySelector('.cause')?.dataset.cause ?? null,
    blind: Boolean(a.querySelector('.check-blind')),
    text: a.textContent,
  }));
}

const quota = async (mock, appcode) => {
  const q = await mock.admin(`quotas/${appcode}`);
  return { remaining: q.remaining, billed: q.billed, state: q.state };
};

describe('检查 AppCode on kuaidi-mock', () => {
  const suite = usePage({ mockArgs: ACCOUNTS, session: true });

  test('a working AppCode: HTTP 666, what it proved, and the quota is unchanged', async () => {
    const { page, problems, queries } = suite.session;
    await page.fill('#appcode', COUNTED);
    const before = await quota(suite.mock, COUNTED);
    assert.equal(before.remaining, 5);
    const shown = await check(page);
    assert.equal(shown.verdict, 'works');
    assert.equal(shown.http, '666');
    assert.equal(shown.state, label('check.ok'));
    assert.deepEqual(shown.proved, ['accepted', 'active', 'calls_left', 'backend']);
    assert.ok(shown.text.includes(label('check.ok_not_billed')));
    assert.deepEqual(await quota(suite.mock, COUNTED), before, 'the check took no call from the quota');
    const sent = queries().at(-1);
    assert.equal(new URL(sent.url).search, '?kddh=', 'the request the vendor refuses: an empty kddh');
    assert.equal(sent.headers.authorization, `APPCODE ${COUNTED}`);
    const journal = await suite.mock.journal();
    assert.equal(journal[0].status, 666);
    await screenshot(page, 'diagnose-check-works', '#check-result');
    assert.deepEqual(problems, []);
  });

  test('an unknown AppCode: the AppCode is wrong', async () => {
    const { page } = suite.session;
    await page.fill('#appcode', 'NOSUCH00nosuch');
    const shown = await check(page);
    assert.equal(shown.verdict, 'wrong');
    assert.equal(shown.http, String(scenario('appcode_invalid').classic.http_status));
    assert.equal(shown.state, label('check.wrong'));
  });

  test('403 read same-origin: the gateway\'s reason is named', async () => {
    const { page } = suite.session;
    await page.fill('#appcode', USED_UP);
    const shown = await check(page);
    assert.equal(shown.verdict, 'refused');
    assert.equal(shown.cause, 'quota_exhausted');
    assert.ok(shown.text.includes(scenario('quota_exhausted').title.zh));
    assert.equal(shown.blind, false);
    assert.deepEqual(await quota(suite.mock, USED_UP), { remaining: 0, billed: 0, state: 'active' });
  });

  test('403 cross-origin (as from the real gateway): the causes it cannot tell apart, said so', async () => {
    const { page } = suite.session;
    for (const appcode of [USED_UP, EXPIRED]) {
      await useEndpoint(page, `${suite.mock.otherOrigin}/query`, appcode);
      const shown = await check(page);
      assert.equal(shown.verdict, 'refused');
      assert.equal(shown.cause, null);
      for (const id of ['quota_exhausted', 'quota_expired', 'unauthorized', 'user_arrears']) {
        assert.ok(shown.causes.includes(id), `${id} listed for ${appcode}: ${shown.causes}`);
      }
      assert.equal(shown.blind, true);
      assert.ok(shown.text.includes(label('check.refused_blind')));
    }
    await screenshot(page, 'diagnose-check-refused-blind', '#check-result');
    assert.deepEqual(await quota(suite.mock, EXPIRED), { remaining: 5, billed: 0, state: 'expired' });
  });
});

describe('检查 AppCode on the in-page demo (no kuaidi-mock behind the page)', () => {
  const suite = usePage({ mockArgs: ACCOUNTS });

  test('the demo AppCode works; used-up demo quota and wrong AppCode explained; nothing sent', async () => {
    const { page, problems, queries } = await suite.open({
      beforeGoto: (p) => p.route('**/__admin/health', (route) => route.fulfill({ status: 404, body: '' })),
    });
    let shown = await check(page);
    assert.equal(shown.verdict, 'works');
    assert.ok(shown.text.includes(label('check.demo_note')));

    await page.click('#demo-settings summary');
    await page.fill('#demo-quota', '0');
    await page.dispatchEvent('#demo-quota', 'change');
    shown = await check(page);
    assert.equal(shown.verdict, 'refused');
    assert.equal(shown.cause, 'quota_exhausted');

    await page.fill('#appcode', 'NOSUCH00nosuch');
    shown = await check(page);
    assert.equal(shown.verdict, 'wrong');
    assert.equal(queries().length, 0, 'the in-page demo sends nothing');
    assert.deepEqual(problems, []);
  });
});
