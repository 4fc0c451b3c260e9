// 开发者模式 (the exact request, status, readable headers, the body pretty-printed, 报文解析, 复制)
// and the call samples: each generated sample, run for real against the mock, returns the same
// status and body the page showed.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { label, scenario, screenshot, submitAndRead, usePage } from './harness.mjs';

const APPCODE = '5d41402abc4b2a76b9719d911017c592';

// What the mock answers this URL with, straight from node.
async function direct(url, headers = {}) {
  const response = await fetch(url, { headers: { Authorization: `APPCODE ${APPCODE}`, ...headers } });
  return { status: response.status, body: await response.text(), headers: response.headers };
}

const devBody = (page) => page.textContent('#dev-body');

describe('developer mode', () => {
  const suite = usePage({ session: { contextOptions: { permissions: ['clipboard-read', 'clipboard-write'] } } });
  before(() => suite.session.page.fill('#appcode', APPCODE));

  test('is off by default; on, it shows the exact request, status, headers and body', async () => {
    const { page } = suite.session;
    await submitAndRead(page, { kddh: 'JT3084743373888' });
    assert.equal(await page.isVisible('#devpanel'), false);
    await page.check('#dev-mode');
    assert.equal(await page.isVisible('#devpanel'), true);

    const url = `${suite.mock.origin}/query?kddh=JT3084743373888`;
    const expected = await direct(url);
    assert.equal(await page.textContent('#dev-request'),
      `GET ${url}\nAuthorization: APPCODE ${APPCODE.slice(0, 4)}****${APPCODE.slice(-2)}`);
    assert.equal(await page.textContent('#dev-status'), `HTTP ${expected.status}`);
    // The status strip: status, duration, size and billing on one line.
    const size = Buffer.byteLength(expected.body);
    assert.match(await page.textContent('#dev-strip'), new RegExp(`^HTTP ${expected.status} · \\d+ ${label('result.ms').replace('{ms} ', '')} · ${size} B · ${label('result.billed_demo.billed')}$`));
    const below = await page.evaluate(() => document.querySelector('#result').nextElementSibling.id);
    assert.equal(below, 'devpanel', 'right under the result');
    assert.equal(await page.getAttribute('#dev-headers tr:has(th:text-is("x-ca-request-id"))', 'class'), 'gateway-header');
    const headers = Object.fromEntries(await page.$$eval('#dev-headers tr', (rows) => rows.map((r) => [r.cells[0].textContent, r.cells[1].textContent])));
    assert.equal(headers['content-type'], expected.headers.get('content-type'));
    assert.match(headers['x-ca-request-id'], /^[0-9A-F-]{36}$/);
    assert.equal(await devBody(page), JSON.stringify(JSON.parse(expected.body), null, 2));
  });

  test('tabs Body | Headers | 字段解析 | curl: arrows, Home and End move the selection, the focus stays', async () => {
    const { page } = suite.session;
    const tabs = await page.$$eval('#dev-tabs [role="tab"]', (t) => t.map((x) => x.textContent));
    assert.deepEqual(tabs, ['body', 'headers', 'parse', 'curl'].map((id) => label(`devpanel.tab.${id}`)));
    const state = () => page.evaluate(() => ({
      focused: document.activeElement.id,
      selected: document.querySelector('#dev-tabs [aria-selected="true"]').id,
      tabbable: [...document.querySelectorAll('#dev-tabs [role="tab"]')].filter((t) => t.tabIndex === 0)
        .map((t) => t.id),
      shown: [...document.querySelectorAll('#devpanel [role="tabpanel"]')].filter((p) => !p.hidden)
        .map((p) => p.id),
    }));
    const at = (id) => ({
      focused: `dev-tab-${id}`, selected: `dev-tab-${id}`, tabbable: [`dev-tab-${id}`], shown: [`dev-panel-${id}`],
    });
    assert.equal((await state()).selected, 'dev-tab-body', 'Body first');
    await page.focus('#dev-tab-body');
    await page.keyboard.press('ArrowRight');
    assert.deepEqual(await state(), at('headers'));
    await page.keyboard.press('End');
    assert.deepEqual(await state(), at('curl'));
    await page.keyboard.press('ArrowRight');
    assert.deepEqual(await state(), at('body'), 'wraps around');
    await page.keyboard.press('ArrowLeft');
    assert.deepEqual(await state(), at('curl'));
    await page.keyboard.press('Home');
    assert.deepEqual(await state(), at('body'));
    // Tab leaves the tab list for the panel.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'dev-panel-body');
  });

  test('字段解析 explains each field; 复制 at the top right copies the body; 关闭 closes', async () => {
    const { page } = suite.session;
    const body = JSON.parse(await devBody(page));
    await page.click('#dev-tab-parse');
    assert.equal(await page.isVisible('#dev-parse'), true);
    assert.equal(await page.isVisible('#dev-body'), false);
    const head = await page.$$eval('#dev-parse thead th', (c) => c.map((x) => x.textContent));
    assert.deepEqual(head, ['name', 'type', 'value', 'description', 'example'].map((c) => label(`devpanel.col.${c}`)));
    const rows = await page.$$eval('#dev-parse tbody tr', (r) => r.map((x) => [...x.cells].map((c) => c.textContent)));
    assert.deepEqual(rows.map((r) => r[0]), [...Object.keys(body), ...Object.keys(body.data[0])]);
    const byName = Object.fromEntries(rows.map((r) => [r[0], r]));
    assert.deepEqual(byName.ok.slice(0, 4), ['ok', 'number', '1', label('schema.ok')]);
    assert.deepEqual(byName.msg.slice(0, 4), ['msg', 'string', body.msg, label('schema.msg')]);
    assert.equal(byName.msg[4], scenario('success').msg);
    assert.equal(byName.data[1], 'array');
    assert.equal(byName.content[2], body.data[0].content);
    await screenshot(page, 'devmode-parse', '#devpanel');

    // The chosen tab stays chosen for the next answer.
    await submitAndRead(page, { kddh: 'JT3084743373888' });
    assert.equal(await page.getAttribute('#dev-tab-parse', 'aria-selected'), 'true');

    await page.click('#dev-tab-body');
    const copy = await page.locator('#dev-panel-body .copy').boundingBox();
    const code = await page.locator('#dev-body').boundingBox();
    const [right, codeRight] = [copy.x + copy.width, code.x + code.width];
    assert.ok(right <= codeRight && right > codeRight - 24, 'at the right');
    assert.ok(copy.y >= code.y && copy.y < code.y + 24, 'at the top');
    await page.click('#dev-panel-body .copy');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await devBody(page));
    await screenshot(page, 'devmode', '#devpanel');

    await page.click('#devpanel .dev-close');
    assert.equal(await page.isVisible('#devpanel'), false);
  });

  test('the curl tab repeats the call: run, it returns the body the page showed', async () => {
    const { page } = suite.session;
    await submitAndRead(page, { kddh: 'YT8962646785389' });
    const shown = await devBody(page);
    await page.click('#dev-tab-curl');
    assert.equal(await page.isVisible('#dev-curl'), true);
    const curl = await page.textContent('#dev-curl');
    const ran = parseOutput('curl', runSample('curl', curl, { KUAIDI_APPCODE: APPCODE }));
    assert.equal(JSON.stringify(JSON.parse(ran.body), null, 2), shown);
    await screenshot(page, 'devmode-curl', '#devpanel');
    await page.click('#dev-tab-body');
  });

  test('cross-origin, it says which headers the browser cannot read', async () => {
    const { page } = suite.session;
    await page.check('input[name="endpoint"][value="custom"]');
    await page.fill('#custom-url', `${suite.mock.otherOrigin}/query?__scenario=quota_exhausted`);
    await submitAndRead(page, { kddh: 'YT8962646785389' });
    assert.equal(await page.textContent('#dev-status'), 'HTTP 403');
    await page.click('#dev-tab-headers');
    assert.ok(await page.isVisible(`#devpanel p:text-is("${label('devpanel.headers_hidden')}")`));
    const names = await page.$$eval('#dev-headers tr th', (c) => c.map((x) => x.textContent));
    assert.ok(!names.includes('x-ca-error-message') && !names.includes('x-ca-request-id'), names.join());
    assert.equal(await devBody(page), label('devpanel.body_empty'));
    await page.click('#dev-tab-body');
    assert.equal(await page.textContent('#dev-empty-reason'), label('devpanel.empty_reason_hidden'));
    await page.check('input[name="endpoint"][value="demo"]');
  });

  test('the setting survives a reload', async () => {
    const { page } = suite.session;
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    assert.equal(await page.isChecked('#dev-mode'), true);
    await page.uncheck('#dev-mode');
  });
});

// samples, run for real

const has = (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

function runSample(language, code, env) {
  const dir = mkdtempSync(path.join(tmpdir(), 'kuaidi-sample-'));
  const options = { cwd: dir, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60000 };
  try {
    switch (language) {
      case 'curl': return execFileSync('bash', ['-c', code], options);
      case 'python': writeFileSync(path.join(dir, 'query.py'), code); return execFileSync('python3', ['query.py'], options);
      case 'node': writeFileSync(path.join(dir, 'query.mjs'), code); return execFileSync(process.execPath, ['query.mjs'], options);
      case 'java': writeFileSync(path.join(dir, 'Query.java'), code); return execFileSync('java', ['Query.java'], options);
      case 'php': writeFileSync(path.join(dir, 'query.php'), code); return execFileSync('php', ['query.php'], options);
      case 'go': writeFileSync(path.join(dir, 'query.go'), code); return execFileSync('go', ['run', 'query.go'], options);
      case 'csharp': // as the sample's own hint says, with Mono
        writeFileSync(path.join(dir, 'query.cs'), code);
        execFileSync('mcs', ['-r:System.Net.Http.dll', 'query.cs'], options);
        return execFileSync('mono', ['query.exe'], options);
      default: throw new Error(language);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// curl -i: status line, headers, a blank line, the body. The others: status, then the body.
function parseOutput(language, output) {
  if (language === 'curl') {
    const split = output.indexOf('\r\n\r\n');
    return { status: Number(output.split(' ')[1]), body: output.slice(split + 4) };
  }
  const [status, ...rest] = output.split('\n');
  return { status: Number(status), body: rest.join('\n').replace(/\n$/, '') };
}

const RUNNERS = [['curl', 'curl'], ['python', 'python3'], ['node', 'node'], ['java', 'java'], ['php', 'php'], ['go', 'go'], ['csharp', 'mcs']];

describe('call samples', () => {
  const suite = usePage({ session: true });
  // A forced 演示场景 serves one query unless kept: kept here, so the samples reproduce it.
  before(() => suite.session.page.check('#scenario-keep'));
  before(() => suite.session.page.check('#dev-mode'));

  // What the page showed: status and body (re-read from its pretty-printed form).
  async function pageAnswer(page) {
    const status = Number((await page.textContent('#dev-status')).replace('HTTP ', ''));
    const text = await devBody(page);
    return { status, body: text === label('devpanel.body_empty') ? '' : text };
  }

  const sameBody = (shown, ran) => {
    if (shown === '') return assert.equal(ran, '');
    assert.equal(JSON.stringify(JSON.parse(ran), null, 2), shown, 'same body, same field order');
  };

  let serial = 0;
  for (const id of ['success', 'kddh_missing', 'tel_invalid', 'no_record', 'number_void', 'quota_exhausted', 'service_busy']) {
    test(`curl for "${id}" returns what the page showed`, async () => {
      const { page } = suite.session;
      await page.selectOption('#scenario', id);
      await page.fill('#appcode', '');
      await submitAndRead(page, { kddh: `JT${3084743373000 + (serial += 1)}` });
      const shown = await pageAnswer(page);
      await page.click('#tab-curl');
      const ran = parseOutput('curl', runSample('curl', await page.textContent('#sample-code'), {}));
      assert.equal(ran.status, shown.status);
      sameBody(shown.body, ran.body);
    });
  }

  test('a typed AppCode: samples read it from KUAIDI_APPCODE, or carry it once revealed', async () => {
    const { page } = suite.session;
    await page.selectOption('#scenario', '');
    await page.fill('#appcode', APPCODE);
    await submitAndRead(page, { kddh: 'SF1385628716739', tel: '8888' });
    const shown = await pageAnswer(page);
    await page.click('#tab-curl');
    const hidden = await page.textContent('#sample-code');
    assert.ok(!hidden.includes(APPCODE));
    sameBody(shown.body, parseOutput('curl', runSample('curl', hidden, { KUAIDI_APPCODE: APPCODE })).body);
    await page.check('#sample-reveal');
    const revealed = await page.textContent('#sample-code');
    assert.ok(revealed.includes(APPCODE));
    sameBody(shown.body, parseOutput('curl', runSample('curl', revealed, { KUAIDI_APPCODE: '' })).body);
    await page.uncheck('#sample-reveal');
  });

  for (const [language, tool] of RUNNERS.slice(1)) {
    test(`the ${language} sample runs and returns what the page showed (666 too)`, { skip: has(tool) ? false : `${tool} not installed` }, async () => {
      const { page } = suite.session;
      await page.fill('#appcode', APPCODE);
      for (const id of ['', 'kddh_too_long']) {
        await page.selectOption('#scenario', id);
        await submitAndRead(page, { kddh: `JT${3084743374000 + (serial += 1)}` });
        const shown = await pageAnswer(page);
        await page.click(`#tab-${language}`);
        const ran = parseOutput(language, runSample(language, await page.textContent('#sample-code'), { KUAIDI_APPCODE: APPCODE }));
        assert.equal(ran.status, shown.status, id || 'natural');
        sameBody(shown.body, ran.body);
      }
      await page.selectOption('#scenario', '');
    });
  }

  test('an empty number box gives the example number; the real Aliyun address on request; PowerShell calls curl.exe', async () => {
    const { page } = suite.session;
    await page.fill('#kddh', '');
    await page.fill('#appcode', '');
    await page.selectOption('#scenario', 'no_record');
    await page.click('#tab-curl');
    assert.ok((await page.textContent('#sample-code')).includes('kddh=JT3084743373888'));
    assert.equal(await page.isVisible('#sample-placeholder'), true);
    assert.ok((await page.textContent('#sample-code')).includes('X-Mock-Scenario'));
    await page.check('#sample-aliyun');
    const real = await page.textContent('#sample-code');
    assert.ok(real.startsWith("curl -i -sS 'https://chawuliu.market.alicloudapi.com/query?kddh=JT3084743373888'"), real);
    assert.ok(!real.includes('X-Mock-Scenario') && !real.includes('APPCODE demo'), 'no demo header or demo AppCode on the real address');
    await page.click('#tab-powershell');
    assert.equal(await page.textContent('#sample-code'),
      "curl.exe -i -sS 'https://chawuliu.market.alicloudapi.com/query?kddh=JT3084743373888' `\n  -H \"Authorization: APPCODE $env:KUAIDI_APPCODE\"");
    await page.uncheck('#sample-aliyun');
    await page.selectOption('#scenario', '');
  });

  test('the JavaScript (fetch) sample runs in the browser console, asking for the AppCode', async () => {
    const { page } = suite.session;
    await page.fill('#appcode', APPCODE);
    await page.selectOption('#scenario', 'kddh_too_long');
    await submitAndRead(page, { kddh: `JT${3084743375000 + (serial += 1)}` });
    const shown = await pageAnswer(page);
    await page.click('#tab-javascript');
    const code = await page.textContent('#sample-code');
    assert.ok(!code.includes(APPCODE));
    const asked = [];
    const answer = (dialog) => {
      asked.push(dialog.type());
      dialog.accept(APPCODE);
    };
    page.on('dialog', answer);
    // As pasted into the developer console: top-level await, console.log for the output.
    const lines = await page.evaluate(async (source) => {
      const out = [];
      const log = console.log;
      console.log = (...parts) => out.push(parts.join(' '));
      try {
        await (0, eval)(`(async () => {\n${source}\n})()`);  // eslint-disable-line no-eval
      } finally {
        console.log = log;
      }
      return out;
    }, code);
    page.off('dialog', answer);
    assert.deepEqual(asked, ['prompt']);
    assert.equal(Number(lines[0]), shown.status);
    sameBody(shown.body, lines[1]);
    await page.selectOption('#scenario', '');
  });

  test('every language has a sample and a line on how to run it; arrow keys move between them', async () => {
    const { page } = suite.session;
    await page.click('#tab-curl');
    const names = [];
    for (let i = 0; i < 9; i += 1) {
      const tab = await page.evaluate(() => document.activeElement.closest('[role="tab"]')?.textContent ?? document.querySelector('[role="tab"][aria-selected="true"]').textContent);
      names.push(tab);
      assert.ok((await page.textContent('#sample-code')).length > 50);
      assert.ok((await page.textContent('#sample-how')).startsWith(label('samples.how')));
      await page.keyboard.press('ArrowRight');
    }
    assert.deepEqual(names, ['curl', 'PowerShell', 'Python', 'JavaScript (fetch)', 'Node.js', 'PHP', 'Java', 'C#', 'Go']);
    assert.equal(await page.getAttribute('#tab-curl', 'aria-selected'), 'true', 'wrapped around');
    await screenshot(page, 'samples', '#samples');
  });
});
