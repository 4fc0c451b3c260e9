// Shared by the browser tests: a real kuaidi-mock serving the built page, headless Chromium through
// playwright-core, and the page's own WebAssembly module loaded in node so expectations come from
// the core's catalogue, never retyped.
//
//   KUAIDI_MOCK         kuaidi-mock binary            (default build/mock_server/kuaidi-mock)
//   KUAIDI_WEB_ROOT     the built page (kuaidi.js…)   (default build-wasm/web)
//   KUAIDI_SCREENSHOTS  where screenshots go          (default build/screenshots)
//   CHROMIUM            the browser                   (default /usr/bin/chromium-headless-shell)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { after, afterEach, before } from 'node:test';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '..', '..');
export const mockBinary = path.resolve(process.env.KUAIDI_MOCK || path.join(root, 'build', 'mock_server', 'kuaidi-mock'));
export const webRoot = path.resolve(process.env.KUAIDI_WEB_ROOT || path.join(root, 'build-wasm', 'web'));
export const screenshotDir = path.resolve(process.env.KUAIDI_SCREENSHOTS || path.join(root, 'build', 'screenshots'));
// Chromium's headless shell (what Playwright itself runs headless): the same Blink and V8 as the
// full browser without its windowing layers, for a sixth less CPU per test file.
export const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium-headless-shell';

for (const [what, file] of [['kuaidi-mock (KUAIDI_MOCK)', mockBinary], ['the built page (KUAIDI_WEB_ROOT)', path.join(webRoot, 'index.html')],
  ['the page module (KUAIDI_WEB_ROOT)', path.join(webRoot, 'kuaidi.wasm')], ['Chromium (CHROMIUM)', chromiumPath]]) {
  if (!existsSync(file)) throw new Error(`${what} not found at ${file}: build it first or set the variable`);
}

// the core, as the page runs it

const createKuaidi = createRequire(import.meta.url)(path.join(webRoot, 'kuaidi.js'));
const wasm = await createKuaidi({ wasmBinary: readFileSync(path.join(webRoot, 'kuaidi.wasm')) });
export const core = {
  catalogue: JSON.parse(wasm.catalogue()),
  carriers: JSON.parse(wasm.carriers()),
  validate: (params) => JSON.parse(wasm.validate(JSON.stringify(params), '{}')),
  interpret: (answer) => JSON.parse(wasm.interpret(JSON.stringify(answer))),
  mask: (n) => wasm.maskTrackingNumber(n),
  clean: (field, raw) => JSON.parse(wasm.cleanInput(field, raw)),
};
export const scenario = (id) => {
  const s = core.catalogue.find((x) => x.id === id);
  assert.ok(s, `no catalogue entry ${id}`);
  return s;
};
export const carrier = (code) => core.carriers.find((c) => c.code === code);

// kuaidi-mock

export async function startMock(args = [], { fixtures } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'kuaidi-browser-'));
  const portFile = path.join(dir, 'port');
  const extra = [];
  if (fixtures) {
    const file = path.join(dir, 'fixtures.json');
    writeFileSync(file, JSON.stringify({ fixtures }));
    extra.push('--fixtures', file);
  }
  const child = spawn(mockBinary, ['--port', '0', '--port-file', portFile, '--web-root', webRoot, '--log', 'off', ...extra, ...args],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  let port = 0;
  for (let i = 0; i < 200 && !port; i += 1) {
    if (child.exitCode !== null) break;
    if (existsSync(portFile)) port = Number(readFileSync(portFile, 'utf8').trim()) || 0;
    if (!port) await new Promise((r) => setTimeout(r, 50));
  }
  if (!port) {
    child.kill();
    throw new Error(`kuaidi-mock did not start: ${stderr}`);
  }
  const origin = `http://127.0.0.1:${port}`;
  return {
    port,
    origin,
    // The same server under another origin: the page's JavaScript then sees it as the real
    // gateway (cross-origin, no Access-Control-Expose-Headers).
    otherOrigin: `http://localhost:${port}`,
    async admin(pathname, init) {
      const response = await fetch(`${origin}/__admin/${pathname}`, init);
      return response.json();
    },
    async journal() {
      const j = await this.admin('journal?limit=1000');
      return Array.isArray(j) ? j : j.entries || j.journal || [];
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Chromium

export async function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
}

// A fresh context (own localStorage) and page, loaded and ready to type. Every CSP violation,
// uncaught error and request leaving the mock's origins is recorded for the test to check.
export async function openPage(browser, mock, options = {}) {
  const { contextOptions = {}, beforeGoto, path: pagePath = '/', folded = false } = options;
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, serviceWorkers: 'block', ...contextOptions });
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console error: ${m.text()}`);
    if (/Content Security Policy/i.test(m.text())) problems.push(`CSP: ${m.text()}`);
  });
  page.on('request', (r) => requests.push({ url: r.url(), method: r.method(), headers: r.headers() }));
  if (beforeGoto) await beforeGoto(page, context);
  await page.goto(`${mock.origin}${pagePath}`);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 15000 });
  // Most tests change the settings: opened, unless the test looks at the folded line itself.
  if (!folded) await unfoldSettings(page);
  return { context, page, problems, requests, queries: () => requests.filter((r) => new URL(r.url).pathname === '/query') };
}

// Once set, the settings card is one line ("… · 修改"); its fields are reached through 修改.
export async function unfoldSettings(page) {
  if (await page.locator('#settings.folded').count()) await page.click('#settings-toggle');
}

// the setup every browser suite shares

// One Chromium per test file, shared by its suites (each has its own contexts: own storage,
// cache and cookies); a launch costs a second or more of CPU, and a file can have five suites.
let fileBrowser = null;
const sharedBrowser = () => (fileBrowser ??= launchBrowser());
after(async () => {
  if (fileBrowser) await (await fileBrowser).close();
});

// Registers before/after on the enclosing describe: a kuaidi-mock (`mockArgs`, `fixtures`), one
// more per `extraMocks` entry (name → args), and the file's Chromium; with `session` (true or
// openPage options), one page opened for all the suite's tests. Read its fields inside tests and
// hooks. A page a test opens is closed after it, so idle pages do not keep timers running.
export function usePage({ mockArgs = [], fixtures, extraMocks = {}, session } = {}) {
  const opened = [];
  const suite = {
    mock: null,
    extra: {},
    browser: null,
    session: null,
    open: async (options, mock = suite.mock) => {
      const shown = await openPage(suite.browser, mock, options);
      opened.push(shown.context);
      return shown;
    },
  };
  before(async () => {
    suite.mock = await startMock(mockArgs, { fixtures });
    for (const [name, args] of Object.entries(extraMocks)) suite.extra[name] = await startMock(args);
    suite.browser = await sharedBrowser();
    if (session) suite.session = await openPage(suite.browser, suite.mock, session === true ? {} : session);
  });
  afterEach(async () => {
    for (const context of opened.splice(0)) await context.close();
  });
  after(async () => {
    await suite.session?.context.close();
    for (const mock of [suite.mock, ...Object.values(suite.extra)]) await mock?.stop();
  });
  return suite;
}

// what a person does and sees

export async function query(page, { kddh, code = '', tel = '' }) {
  await page.fill('#kddh', kddh);
  await page.fill('#code', code);
  await page.fill('#tel', tel);
  await page.click('#submit');
}

// Waits for a finished answer card (not the "querying…" line) and returns what it shows.
export async function shownAnswer(page) {
  await page.waitForSelector('#result-body article.answer');
  return page.evaluate(() => {
    const card = document.querySelector('#result-body article.answer');
    const text = (sel) => card.querySelector(sel)?.textContent ?? null;
    return {
      state: text('.state'),
      http: text('.badge.http'),
      rawStatus: text('.badge.raw-status'),
      billed: text('.badge.billed') ?? text('.billed-not_billed'),
      msg: text('.msg'),
      carrier: text('.carrier'),
      number: text('.number'),
      duration: text('.duration'),
      explanation: text('.explanation'),
      action: text('.action'),
      events: [...card.querySelectorAll('.timeline .event')].map((e) => ({
        time: e.querySelector('.event-time').textContent,
        content: e.querySelector('.event-content').textContent,
      })),
      local: card.classList.contains('answer-local'),
      scenario: card.dataset.scenario || null,
      stateId: card.dataset.state || null,
      matched: card.dataset.matched || null,
    };
  });
}

// Submits and waits for a new answer card (the previous one is replaced).
export async function submitAndRead(page, fields) {
  await page.evaluate(() => document.querySelector('#result-body')?.replaceChildren());
  await query(page, fields);
  return shownAnswer(page);
}

// The whole page, or only the element matching `selector` (easier to read for one state); with
// `firstScreen`, the window scrolled to that element (for one too tall to capture whole).
export async function screenshot(page, name, selector, { firstScreen = false } = {}) {
  mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  if (selector && firstScreen) {
    await page.locator(selector).evaluate((node) => node.scrollIntoView());
    await page.screenshot({ path: file });
  } else if (selector) await page.locator(selector).screenshot({ path: file });
  else await page.screenshot({ path: file, fullPage: true });
  return file;
}

// RFC 4180 rows, written here rather than taken from the page, so an export is checked independently.
export function parseCsv(text) {
  const rows = [[]];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i += 1; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { rows.at(-1).push(field); field = ''; } else if (ch === '\r' && text[i + 1] === '\n') {
      rows.at(-1).push(field); field = ''; rows.push([]); i += 1;
    } else field += ch;
  }
  rows.at(-1).push(field);
  return rows;
}

// Labels as the page shows them: i18n.js's, plus those a section module adds to them (as
// diagnose.js does with diagnose_i18n.js). UI labels only, no catalogue text.
// (Imported from their text: a .js file outside a "type": "module" package would load as CommonJS.)
const importText = (file) =>
  import(`data:text/javascript,${encodeURIComponent(readFileSync(path.join(webRoot, file), 'utf8'))}`);
export const { labels } = await importText('i18n.js');
const { diagnoseLabels } = await importText('diagnose_i18n.js');
for (const lang of Object.keys(diagnoseLabels)) Object.assign(labels[lang], diagnoseLabels[lang]);
export const label = (key, lang = 'zh') => labels[lang][key];
