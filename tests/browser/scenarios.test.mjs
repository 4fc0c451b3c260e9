// Every documented case reaches the page through a real kuaidi-mock and is shown as the catalogue
// says: HTTP status (666 and 403 included), the vendor's exact msg, billing, explanation and action,
// in both gateway generations; gateway errors also as the real gateway shows them to a browser
// (cross-origin, headers unreadable: the possible causes listed); and a network failure.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { core, label, scenario, screenshot, submitAndRead, usePage } from './harness.mjs';

const billedText = (billed) => label(`result.billed.${billed ? 'billed' : 'not_billed'}`);
// On the demo endpoint the badge says what the real API would bill (the demo bills nothing).
const demoBilledText = (billed) => label(`result.billed_demo.${billed ? 'billed' : 'not_billed'}`);

// Any AppCode passes a kuaidi-mock started without --appcode; the real endpoints need one typed in.
const APPCODE = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const SCREENSHOTS = ['success', 'kddh_missing', 'no_record', 'quota_exhausted'];

// The exact msg; the one templated message ("appid:XXXXXXXX接口已停用") names some appid.
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const msgPattern = (s) => new RegExp(`^${s.msg.split('XXXXXXXX').map(escape).join('.+')}$`);

// A distinct valid JT number per query, so the 30-minute repeat warning never interferes.
let serial = 0;
const nextNumber = () => `JT${String(3084743300000 + (serial += 1))}`;

// A gateway entry that borrows a real row of the other generation (invalid_stage's classic
// Invalid Url) sends the bytes of the first entry with that row: the page, like a real client,
// reads it as that entry.
const sameAnswer = (a, b) => a.http_status === b.http_status && a.code === b.code && a.message === b.message;
const readAs = (s, generation) => (s.source !== 'gateway' ? s
  : core.catalogue.find((x) => x.source === 'gateway' && sameAnswer(x[generation], s[generation])));

// A demo bills nothing: a billed answer is explained as the core words it for a simulated one.
const demoExplanation = (s) => (s.billed
  ? core.interpret({ http_status: 200, body: JSON.stringify({ ok: 1, msg: s.msg, status: 0, data: [] }), simulated: true })
    .explanation.zh
  : s.explanation.zh);

async function chooseScenario(page, id) {
  await page.selectOption('#scenario', id);
}

for (const generation of ['classic', 'vpc']) {
  describe(`${generation} gateway`, () => {
    const suite = usePage({ mockArgs: ['--gateway', generation], session: true });

    test('the demo endpoint is the default when kuaidi-mock serves the page', async () => {
      const { page } = suite.session;
      assert.equal(await page.isChecked('input[name="endpoint"][value="demo"]'), true);
      assert.equal(await page.textContent('#endpoint-url'), `${suite.mock.origin}/query`);
    });

    // The vendor's and the platform's answers are the same behind either gateway: the VPC run
    // covers the gateway's.
    for (const s of core.catalogue.filter((x) => generation === 'classic' || x.source === 'gateway')) {
      test(`${s.id}: shown as documented`, async () => {
        const { page, problems } = suite.session;
        await chooseScenario(page, s.id);
        const shown = await submitAndRead(page, { kddh: nextNumber() });
        const status = s.source === 'gateway' ? s[generation].http_status : s.http_status;
        assert.equal(shown.http, `HTTP ${status}`);
        assert.equal(shown.billed, demoBilledText(s.billed));
        const recognised = readAs(s, generation);
        assert.equal(shown.matched, recognised.id, 'the page recognised the case');
        if (s.source !== 'gateway') assert.match(shown.msg, msgPattern(s));
        if (s.id !== 'success') {
          assert.equal(shown.explanation, demoExplanation(recognised));
          assert.equal(shown.action, recognised.action.zh);
        }
        if (s.id === 'success') assert.ok(shown.events.length > 0, 'a trace has events');
        // How sure the catalogue is of a gateway answer is said under the explanation.
        const basisNode = await page.$('#result-body .basis');
        const basis = basisNode ? await basisNode.getAttribute('data-confidence') : null;
        assert.equal(basis, recognised.source === 'gateway' ? recognised[generation].confidence : null);
        if (basis) assert.equal(await page.textContent('#result-body .basis'), label(`basis.${basis}`));
        if (SCREENSHOTS.includes(s.id)) await screenshot(page, `answer-${s.id}-${generation}`, '#result');
        assert.deepEqual(problems, []);
      });
    }

    // The real gateway is on another origin and exposes no headers: the page sees only the status.
    for (const s of core.catalogue.filter((x) => x.source === 'gateway')) {
      test(`${s.id}: seen cross-origin without headers, the true cause is among those listed`, async () => {
        const { page, problems } = suite.session;
        await page.check('input[name="endpoint"][value="custom"]');
        await page.fill('#custom-url', `${suite.mock.otherOrigin}/query?__scenario=${s.id}`);
        await page.fill('#appcode', APPCODE);
        const shown = await submitAndRead(page, { kddh: nextNumber() });
        const status = s[generation].http_status;
        const seen = core.interpret({ http_status: status, headers_readable: false, body: '' });
        assert.equal(shown.http, `HTTP ${status}`);
        assert.equal(shown.billed, billedText(false));
        assert.equal(shown.state, seen.state_label.zh);
        if (seen.matched) assert.equal(shown.explanation, scenario(seen.matched).explanation.zh);
        else assert.ok(shown.explanation.includes(s.title.zh), `"${s.title.zh}" not among the causes: ${shown.explanation}`);
        assert.ok(seen.matched === s.id || seen.possible.includes(s.id));
        if (s.id === 'quota_exhausted') await screenshot(page, `answer-403-unreadable-${generation}`, '#result');
        await page.check('input[name="endpoint"][value="demo"]');
        assert.deepEqual(problems, []);
      });
    }
  });
}

describe('no HTTP answer', () => {
  const suite = usePage();

  test('a refused connection ("Failed to fetch") gives the checklist', async () => {
    const { page } = await suite.open();
    await page.check('input[name="endpoint"][value="custom"]');
    await page.fill('#appcode', APPCODE);
    // Port 9 (discard) on loopback: nothing listens there.
    await page.fill('#custom-url', 'http://127.0.0.1:9/query');
    const shown = await submitAndRead(page, { kddh: nextNumber() });
    const seen = core.interpret({ http_status: 0, headers_readable: false, transport_error: 'Failed to fetch' });
    assert.equal(shown.http, label('result.no_http'));
    assert.equal(shown.state, seen.state_label.zh);
    assert.equal(shown.action, seen.action.zh);
    assert.ok(shown.explanation.includes('Failed to fetch'), shown.explanation);
    await screenshot(page, 'answer-network-failure', '#result');
  });

  test('a custom URL that is not http(s) is refused before sending', async () => {
    const { page, queries } = await suite.open();
    await page.check('input[name="endpoint"][value="custom"]');
    await page.fill('#custom-url', 'ftp://example.com/query');
    await page.fill('#kddh', nextNumber());
    await page.click('#submit');
    assert.equal(await page.textContent('#form-status'), label('endpoint.custom.invalid'));
    assert.equal(queries().length, 0);
  });
});
