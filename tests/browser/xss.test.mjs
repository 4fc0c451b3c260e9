// Hostile answers: every string of tests/vectors/xss_corpus.json in every field the API returns
// (msg, kdmc, kddh, each event's time and content, gateway headers, field names) is shown exactly
// as sent in every view — answer card, developer mode, 报文解析, history, batch table, CSV export,
// English — and never runs or becomes markup. The Content-Security-Policy blocks inline script.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { core, label, parseCsv, root, scenario, screenshot, shownAnswer, submitAndRead, usePage, webRoot } from './harness.mjs';

const corpus = JSON.parse(readFileSync(path.join(root, 'tests', 'vectors', 'xss_corpus.json'), 'utf8'));
const payloads = corpus.payloads.map((p) => ({ ...p, text: `${p.prefix ? p.prefix.repeat.repeat(p.prefix.times) : ''}${p.text}` }));

// One number per payload, and one each for the trace of every payload and for the gateway error.
const numberOf = (i) => `JT${3084743200000 + i}`;
const TRACE_NUMBER = 'JT3084743299998';
const GATEWAY_NUMBER = 'JT3084743299999';

// Every payload as msg, kdmc, kddh and its one event's time and content; every other one as the
// vendor's failure (HTTP 666, ok:0), whose explanation quotes the msg.
function hostileAnswer(p, i) {
  const ok = i % 2 === 0 ? 1 : 0;
  const body = { ok, msg: p.text, status: 2, kdmc: p.text, kddh: p.text, data: [{ time: p.text, content: p.text }] };
  return { status: ok ? 200 : 666, body: JSON.stringify(body) };
}

// A real-looking trace whose events carry the payloads (newest first, a minute apart), with every
// payload also as a field name and its value.
const eventTime = (i) => new Date(Date.UTC(2024, 4, 1, 12, 0, 0) - i * 60000).toISOString().slice(0, 19).replace('T', ' ');
const traceCarrier = core.validate({ kddh: TRACE_NUMBER }).detection.candidates[0].name_zh;
const traceBody = JSON.stringify({
  ok: 1,
  msg: scenario('success').msg,
  status: 2,
  kdmc: traceCarrier,
  kddh: core.mask(TRACE_NUMBER),
  data: payloads.map((p, i) => ({ time: eventTime(i), content: p.text })),
  ...Object.fromEntries(payloads.map((p) => [p.text, p.text])),
});

// Header values carry printable ASCII only, without surrounding space (HTTP would trim it).
const headerSafe = payloads.filter((p) => /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(p.text) && p.text.length <= 200);
const [errorCode, errorMessage] = [headerSafe.find((p) => p.runs_in === 'attribute'), headerSafe.find((p) => p.runs_in === 'html')];
const gatewayHeaders = {
  'X-Ca-Error-Code': errorCode.text,
  'X-Ca-Error-Message': errorMessage.text,
  ...Object.fromEntries(headerSafe.map((p) => [`X-Xss-${p.id}`, p.text])),
};

const fixtures = [
  ...payloads.map((p, i) => ({ kddh: numberOf(i), response: hostileAnswer(p, i) })),
  { kddh: TRACE_NUMBER, response: { status: 200, body: traceBody } },
  { kddh: GATEWAY_NUMBER, response: { status: 403, headers: gatewayHeaders, content_type: 'text/plain', body: '' } },
];

// What the page must show for an answer: the core's own reading of it.
// The answers come from the demo endpoint: interpreted as simulated, as the page does.
const interpretAnswer = (status, body, headers = []) => core.interpret({
  http_status: status, headers_readable: true, headers, body, simulated: true,
});

// The elements the page builds in <body> (its HTML and its el('…') calls); any other came from a payload.
const pageFiles = readdirSync(webRoot, { withFileTypes: true }).filter((f) => f.isFile()).map((f) => f.name);
const pageSources = pageFiles.filter((f) => /\.(html|js)$/.test(f)).map((f) => readFileSync(path.join(webRoot, f), 'utf8'));
const PAGE_TAGS = new Set(pageSources.flatMap((s) => [...s.matchAll(/<([a-z][a-z0-9]*)[\s>]|\bel\('([a-z][a-z0-9]*)'/g)].map((m) => m[1] || m[2])));
for (const tag of ['script', 'img', 'svg', 'iframe', 'object', 'embed', 'style', 'link', 'meta', 'title']) PAGE_TAGS.delete(tag);
// What the page may fetch: its own files, the query and the demo probe.
const PAGE_PATHS = new Set(['/', '/query', '/__admin/health', ...pageFiles.map((f) => `/${f}`)]);

// A fresh page with tripwires armed before it loads: the corpus's __xss(id), CSP violations, dialogs.
async function openWatched(suite, options = {}) {
  const dialogs = [];
  const session = await suite.open({
    ...options,
    beforeGoto: async (page) => {
      page.on('dialog', (d) => {
        dialogs.push(`${d.type()}: ${d.message()}`);
        d.dismiss().catch(() => {});
      });
      await page.addInitScript(() => {
        window.__xssRan = [];
        window.__xss = (id) => window.__xssRan.push(String(id));
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.effectiveDirective));
      });
    },
  });
  return { ...session, dialogs };
}

// Nothing ran, nothing was blocked (a blocked handler means markup was made), no markup from a
// payload is in the page, and nothing was fetched that the page does not fetch itself.
async function assertNothingRan({ page, problems, requests, dialogs }, origin) {
  const seen = await page.evaluate((pageTags) => {
    const urlAttributes = ['href', 'src', 'action', 'formaction', 'data', 'xlink:href'];
    // (Playwright's clicks leave an empty style="" behind.)
    const dangerous = (a) => /^on/i.test(a.name) || a.name === 'srcdoc' || (a.name === 'style' && a.value.trim() !== '')
      || (urlAttributes.includes(a.name) && /^\s*(javascript|data|vbscript):/i.test(a.value));
    return {
      ran: window.__xssRan,
      violations: window.__cspViolations,
      foreignElements: [...document.body.querySelectorAll('*')].filter((n) => !pageTags.includes(n.localName)).map((n) => n.outerHTML.slice(0, 80)),
      dangerousAttributes: [...document.querySelectorAll('*')].filter((n) => [...n.attributes].some(dangerous)).map((n) => n.outerHTML.slice(0, 80)),
    };
  }, [...PAGE_TAGS]);
  assert.deepEqual(seen, { ran: [], violations: [], foreignElements: [], dangerousAttributes: [] });
  assert.deepEqual(dialogs, []);
  assert.deepEqual(problems, []);
  // (The CSV export is a blob: URL of the page's own origin.)
  const unexpected = requests.map((r) => new URL(r.url))
    .filter((u) => u.origin !== origin || (u.protocol !== 'blob:' && !PAGE_PATHS.has(u.pathname)));
  assert.deepEqual(unexpected.map(String), []);
}

// Every view of the shown answer that holds text from it: the card as shownAnswer reads it, and
// the notes, facts and developer-mode views beside it.
const answerViews = async (page) => ({
  ...await shownAnswer(page),
  ...await page.evaluate(() => {
    const card = document.querySelector('#result-body article.answer');
    const texts = (root, selector) => [...root.querySelectorAll(selector)].map((n) => n.textContent);
    return {
      notes: texts(card, '.notes li'),
      facts: texts(card, 'dd code'),
      devBody: document.querySelector('#dev-body')?.textContent ?? null,
      parse: [...document.querySelectorAll('#dev-parse tbody tr')].map((r) => [r.cells[0].textContent, r.cells[2].textContent]),
      parseExamples: [...document.querySelectorAll('#dev-parse tbody tr')].map((r) => [r.cells[0].textContent, r.cells[4].textContent]),
      headers: [...document.querySelectorAll('#dev-headers tr')].map((r) => [r.cells[0].textContent, r.cells[1].textContent]),
    };
  }),
});

// Types the number, presses Enter and reads the new answer (few round trips: the loop is long).
async function ask(page, kddh) {
  await page.fill('#kddh', kddh);
  await page.press('#kddh', 'Enter');
  await page.waitForSelector('#result-body article.answer:not([data-read])');
  return answerViews(page);
}

const historyCarriers = (page) => page.$$eval('#history-table tbody tr', (rows) => rows.map((r) => r.cells[1].textContent));
const batchCells = (page, column) => page.$$eval(`#batch-rows td.col-${column}`, (cells) => cells.map((c) => c.textContent));

describe('hostile answers', () => {
  const suite = usePage({ fixtures });

  test('the corpus is armed: on a page without the CSP, each payload runs where a careless page would put it', async () => {
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    const fetched = [];
    page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
    page.on('dialog', (d) => d.dismiss().catch(() => {}));
    await page.route('http://xss.test/**', (r) => (new URL(r.request().url()).pathname === '/'
      ? r.fulfill({ contentType: 'text/html', body: '<!doctype html><meta charset="utf-8"><body></body>' })
      : r.fulfill({ status: 404, body: '' })));
    await page.goto('http://xss.test/');
    const armed = payloads.filter((p) => p.runs_in !== 'none');
    assert.ok(armed.length >= 30, `only ${armed.length} armed payloads`);
    await page.evaluate(async (list) => {
      window.__xssRan = [];
      window.__xss = (id) => window.__xssRan.push(String(id));
      // A document of its own per payload, parsed as a page is; its links are clicked.
      const asDocument = (html) => new Promise((resolve) => {
        const frame = document.createElement('iframe');
        frame.addEventListener('load', () => {
          frame.contentDocument.querySelectorAll('a').forEach((a) => a.click());
          resolve();
        }, { once: true });
        frame.srcdoc = `<!doctype html><script>var __xss = parent.__xss;</script><body>${html}`;
        document.body.append(frame);
      });
      const loads = [];
      for (const p of list) {
        if (p.runs_in === 'html') loads.push(asDocument(p.text));
        if (p.runs_in === 'attribute') loads.push(asDocument(`<p title="${p.text}">`), asDocument(`<p title='${p.text}'>`));
        if (p.runs_in === 'url') Object.assign(document.body.appendChild(document.createElement('a')), { href: p.text }).click();
        if (p.runs_in === 'template') new Function(`return \`${p.text}\`;`)();  // eslint-disable-line no-new-func
      }
      await Promise.all(loads);
    }, armed);
    const ran = () => page.evaluate(() => window.__xssRan)
      .then((ids) => new Set([...ids, ...fetched.map((f) => /^\/__xss\/(.+)$/.exec(f)?.[1]).filter(Boolean)]));
    // Images and style sheets fire when they fail to load: give them time, stop once all have run.
    for (let i = 0; i < 300 && (await ran()).size < armed.length; i += 1) await page.waitForTimeout(100);
    const done = await ran();
    const silent = armed.filter((p) => !done.has(p.id)).map((p) => p.id);
    assert.deepEqual(silent, [], 'these payloads would not run even on a careless page: fix them in the corpus');
    await context.close();
  });

  test('msg, kdmc, kddh, event time and content: the answer card, developer mode, 报文解析 and history show each payload exactly', async () => {
    const session = await openWatched(suite);
    const { page } = session;
    await page.check('#dev-mode');
    let last;
    await ask(page, numberOf(0));
    await page.click('#dev-tab-parse');
    for (const [i, p] of payloads.entries()) {
      const views = i === 0 ? await answerViews(page) : await ask(page, numberOf(i));
      const { status, body } = hostileAnswer(p, i);
      const expected = interpretAnswer(status, body);
      assert.deepEqual({ msg: views.msg, carrier: views.carrier, number: views.number, events: views.events },
        { msg: p.text, carrier: p.text, number: p.text, events: [{ time: p.text, content: p.text }] }, p.id);
      assert.equal(views.explanation, expected.explanation.zh, p.id);
      if (status === 666) assert.ok(views.explanation.includes(p.text), `${p.id}: the explanation quotes msg`);
      assert.deepEqual(views.notes, expected.notes.map((n) => n.zh), p.id);
      assert.equal(views.devBody, JSON.stringify(JSON.parse(body), null, 2), p.id);
      const values = views.parse.filter(([name]) => ['msg', 'kdmc', 'kddh', 'time', 'content'].includes(name));
      assert.deepEqual(values, ['msg', 'kdmc', 'kddh', 'time', 'content'].map((name) => [name, p.text]), p.id);
      if (p.id === 'mxss-noscript') await screenshot(page, 'xss-answer-card', '#result', { firstScreen: true });
      last = { p, status, body, expected };
    }
    await assertNothingRan(session, suite.mock.origin);

    const newestFirst = payloads.map((p) => p.text).reverse();
    const carriers = await historyCarriers(page);
    assert.ok(carriers.length >= Math.min(payloads.length, 20), `history shows ${carriers.length} rows`);
    assert.deepEqual(carriers, newestFirst.slice(0, carriers.length));

    // In English every view is drawn again: the payloads stay as they were.
    await page.click('#lang-switch');
    const english = await answerViews(page);
    assert.deepEqual([english.msg, english.carrier, english.number, english.events],
      [last.p.text, last.p.text, last.p.text, [{ time: last.p.text, content: last.p.text }]]);
    assert.equal(english.explanation, last.expected.explanation.en);
    assert.deepEqual(english.notes, last.expected.notes.map((n) => n.en));
    assert.equal(english.devBody, JSON.stringify(JSON.parse(last.body), null, 2));
    assert.deepEqual(await historyCarriers(page), carriers);
    await assertNothingRan(session, suite.mock.origin);

    // The history comes back from storage after a reload, still as text.
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    assert.deepEqual(await historyCarriers(page), carriers);
    await page.click('#lang-switch');
    await assertNothingRan(session, suite.mock.origin);
  });

  test('every payload as an event of one trace, and as a field name: the timeline and 报文解析 list them exactly', async () => {
    const session = await openWatched(suite);
    const { page } = session;
    const shown = await ask(page, TRACE_NUMBER);
    assert.deepEqual(shown.events, payloads.map((p, i) => ({ time: eventTime(i), content: p.text })));
    assert.equal(shown.carrier, traceCarrier);
    await screenshot(page, 'xss-timeline', '#result', { firstScreen: true });

    await page.check('#dev-mode');
    await page.click('#dev-tab-parse');
    const views = await answerViews(page);
    assert.equal(views.devBody, JSON.stringify(JSON.parse(traceBody), null, 2));
    const byName = new Map(views.parse);
    for (const p of payloads) assert.equal(byName.get(p.text), p.text, `${p.id} as a field name`);
    // No documented field has these names, so no example: not Object.prototype's (constructor…).
    const examples = new Map(views.parseExamples);
    for (const p of payloads) assert.equal(examples.get(p.text), '', `${p.id}: no example`);
    await assertNothingRan(session, suite.mock.origin);
  });

  test('gateway headers (X-Ca-Error-Code, X-Ca-Error-Message, any other): shown exactly in the card and the header table', async () => {
    const session = await openWatched(suite);
    const { page } = session;
    await page.check('#dev-mode');
    const views = await ask(page, GATEWAY_NUMBER);
    const expected = interpretAnswer(403, '', [['X-Ca-Error-Code', errorCode.text], ['X-Ca-Error-Message', errorMessage.text]]);
    assert.ok(views.facts.includes(`${errorCode.text} ${errorMessage.text}`), views.facts.join(' | '));
    assert.deepEqual(views.notes, expected.notes.map((n) => n.zh));
    const headers = new Map(views.headers);
    assert.equal(headers.get('x-ca-error-code'), errorCode.text);
    assert.equal(headers.get('x-ca-error-message'), errorMessage.text);
    assert.ok(headerSafe.length >= 25, `only ${headerSafe.length} payloads fit in a header`);
    for (const p of headerSafe) assert.equal(headers.get(`x-xss-${p.id}`), p.text, p.id);
    await assertNothingRan(session, suite.mock.origin);
  });

  test('the batch table and its CSV export show each payload exactly; a formula is quoted for spreadsheets', async () => {
    const session = await openWatched(suite, { contextOptions: { acceptDownloads: true } });
    const { page } = session;
    await page.fill('#batch-input', payloads.map((_, i) => numberOf(i)).join('\n'));
    await page.selectOption('#batch-concurrency', '8');
    await page.click('#batch-start');
    await page.waitForFunction(() => document.querySelector('#batch-summary').textContent !== ''
      && !document.querySelector('#batch-start').disabled, null, { timeout: 60000 });
    const texts = payloads.map((p) => p.text);
    const columns = ['carrier', 'latest_time', 'latest', 'msg'];
    for (const column of columns) assert.deepEqual(await batchCells(page, column), texts, column);
    await screenshot(page, 'xss-batch', '#batch', { firstScreen: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#batch-export')]);
    const csv = parseCsv(readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, ''));
    csv.pop();  // after the last line break
    const [header, ...rows] = csv;
    // A spreadsheet runs a cell starting with = + - @ as a formula: the export prefixes an apostrophe.
    const asExported = (text) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
    for (const column of columns) {
      const at = header.indexOf(label(`batch.col.${column}`));
      assert.deepEqual(rows.map((r) => r[at]), texts.map(asExported), column);
    }
    const formulas = payloads.filter((p) => p.id.startsWith('csv-formula'));
    assert.ok(formulas.length >= 2 && formulas.every((p) => rows.some((r) => r.includes(`'${p.text}`))));

    await page.click('#lang-switch');
    for (const column of columns) assert.deepEqual(await batchCells(page, column), texts, `${column} in English`);
    await assertNothingRan(session, suite.mock.origin);
  });
});

// the Content-Security-Policy

// {directive: [sources]} of a policy string.
const directives = (policy) => Object.fromEntries(policy.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...sources]) => [name.toLowerCase(), sources]));

describe('Content-Security-Policy', () => {
  const suite = usePage();

  test('script only from the page\'s own files, its WebAssembly and its one inline boot script (by hash): no other inline script, no eval, no plugins', async () => {
    const response = await fetch(`${suite.mock.origin}/`);
    const html = await response.text();
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/i.exec(html);
    assert.ok(meta, 'the page carries its policy');
    const hash = /^'sha256-[A-Za-z0-9+/]+={0,2}'$/;
    const policies = [meta[1], response.headers.get('content-security-policy')].filter(Boolean);
    for (const policy of policies) {
      const d = directives(policy);
      for (const name of ['script-src', 'script-src-elem', 'script-src-attr']) {
        const sources = d[name] ?? d['script-src'] ?? d['default-src'];
        assert.ok(sources, `${name} is governed`);
        const loose = sources.filter((s) => !["'self'", "'wasm-unsafe-eval'", "'none'"].includes(s) && !hash.test(s));
        assert.deepEqual(loose, [], `${name} allows ${loose.join(' ')}`);
      }
      assert.deepEqual(d['object-src'] ?? d['default-src'], ["'none'"]);
      assert.ok(["'none'", "'self'"].includes(d['base-uri']?.[0]), 'base-uri is pinned');
    }
    // A <meta> policy covers only what comes after it.
    assert.ok(meta.index < html.search(/<script/i), 'the policy comes before the first script');
    // The build inlines boot.js and style.css: each is allowed by its own hash and nothing else is.
    for (const [element, directive] of [['script', 'script-src'], ['style', 'style-src']]) {
      const sources = directives(meta[1])[directive];
      assert.deepEqual(sources.filter((s) => !["'self'", "'wasm-unsafe-eval'"].includes(s) && !hash.test(s)), [], `${directive}: self and hashes only`);
      const inline = [...html.matchAll(new RegExp(`<${element}(?![^>]*\\bsrc=)[^>]*>([\\s\\S]*?)</${element}>`, 'gi'))].map((m) => m[1]);
      assert.equal(inline.length, 1, `one inline ${element}`);
      assert.deepEqual(sources.filter((s) => hash.test(s)),
        [`'sha256-${createHash('sha256').update(inline[0], 'utf8').digest('base64')}'`], `${directive}: its hash is the one allowed`);
    }
    assert.match(html, /<script>(?:(?!<\/script>)[\s\S])*window\.kuaidiBoot = /, 'the inline script is boot.js');
    assert.deepEqual(html.match(/\son[a-z]+\s*=/gi) ?? [], [], 'no event-handler attribute in the page');
  });

  test('injected into the live page, inline script, handlers, javascript: URLs, string eval, inline style and style elements are blocked and reported', async () => {
    const session = await openWatched(suite);
    const { page } = session;
    const injected = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = "__xss('inline-script')";
      document.body.append(script);
      const image = document.createElement('img');
      image.setAttribute('onerror', "__xss('onerror-attribute')");
      image.src = 'data:,';  // allowed by img-src and not an image: its error event fires
      document.body.append(image);
      const link = document.createElement('a');
      link.href = "javascript:__xss('javascript-url')";
      document.body.append(link);
      link.click();
      setTimeout("__xss('string-timer')", 0);  // eslint-disable-line no-implied-eval
      const styled = document.createElement('div');
      styled.setAttribute('style', 'background-image:url(/__xss/inline-style)');
      document.body.append(styled);
      const sheet = document.createElement('style');
      sheet.textContent = 'body { background-image: url(/__xss/style-element) }';
      document.head.append(sheet);
      return 6;
    });
    // Each injection is either reported or has run: wait for all five, then see which.
    await page.waitForFunction((n) => window.__cspViolations.length + window.__xssRan.length >= n, injected, { timeout: 20000 });
    await page.waitForTimeout(300);  // nothing ran late either
    const after = await page.evaluate(() => ({ ran: window.__xssRan, violations: [...window.__cspViolations].sort() }));
    assert.deepEqual(after, {
      ran: [],
      violations: ['script-src', 'script-src-attr', 'script-src-elem', 'script-src-elem', 'style-src-attr', 'style-src-elem'],
    });
    assert.ok(session.problems.some((p) => p.startsWith('CSP')), 'the browser says what it blocked');
    assert.ok(!session.requests.some((r) => r.url.includes('/__xss/')), 'the blocked style fetched nothing');
    // The page's own script is not blocked: it still answers.
    await page.evaluate(() => document.querySelector('#result-body')?.replaceChildren());
    const shown = await submitAndRead(page, { kddh: 'JT3084743373888' });
    assert.equal(shown.http, 'HTTP 200');
  });
});
