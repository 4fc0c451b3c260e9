// Conformance: five clients written the way real callers of the market API are (gateway.md §6)
// run against kuaidi-mock in both gateway generations. Each client's branch must be the one the
// real gateway's answer (expected.json, from gateway.md) sends it down; a "wire" row also checks
// status, X-Ca-Error-Code and X-Ca-Error-Message against gateway.md directly.
// Usage: node tests/conformance/run.mjs   (env KUAIDI_MOCK: the mock binary)
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { rules } from './rules.mjs';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const expected = JSON.parse(fs.readFileSync(path.join(here, 'expected.json'), 'utf8'));
const mockBinary = path.resolve(repo, process.env.KUAIDI_MOCK || 'build/mock_server/kuaidi-mock');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaidi-conformance-'));
const GENERATIONS = ['classic', 'vpc'];
const NUMBER = 'JT3084743373888';
const results = [];

function report(ok, client, scenario, generation, expect, got) {
  results.push(ok);
  console.log(ok ? `PASS ${client} ${scenario} ${generation}`
    : `FAIL ${client} ${scenario} ${generation}: expected ${expect} got ${got}`);
}

// toolchains: a missing one fails, naming the Debian package to install.

async function works(file, args, options = {}) {
  try {
    return (await run(file, args, { timeout: 120000, maxBuffer: 1 << 20, ...options })).stdout;
  } catch {
    return null;
  }
}

async function pickPython() {
  for (const python of ['/usr/bin/python3', 'python3']) {
    if ((await works(python, ['-c', 'import requests'])) !== null) return python;
  }
  return null;
}

async function buildClients() {
  const clients = {};
  const missing = (name, what, pkg) => {
    results.push(false);
    console.log(`FAIL ${name} toolchain: ${what}; install the Debian package(s) ${pkg}`);
  };
  const source = (file) => path.join(here, 'clients', file);

  if ((await works('javac', ['-d', work, source('MarketClient.java')])) === null) {
    missing('java', 'javac could not compile clients/MarketClient.java', 'default-jdk-headless');
  } else {
    clients.java = ['java', ['-cp', work, 'MarketClient']];
  }
  if ((await works('php', ['-r', 'exit(function_exists("curl_init") ? 0 : 1);'])) === null) {
    missing('php', 'php with the curl extension not found', 'php-cli php-curl');
  } else {
    clients.php = ['php', [source('market_client.php')]];
  }
  const python = await pickPython();
  if (!python) missing('python', 'no python3 can import requests', 'python3-requests');
  else clients.python = [python, [source('market_client.py')]];
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20) missing('node', `node ${process.versions.node} is older than 20`, 'nodejs (>= 20)');
  else clients.node = [process.execPath, [source('market_client.mjs')]];
  const goBinary = path.join(work, 'market_client_go');
  const goEnv = { ...process.env, GOPROXY: 'off', GOFLAGS: '', GO111MODULE: 'on' };
  if (!process.env.HOME && !process.env.GOCACHE) goEnv.GOCACHE = path.join(work, 'gocache');
  if ((await works('go', ['build', '-o', goBinary, source('market_client.go')],
    { env: goEnv, cwd: work })) === null) {
    missing('go', 'go could not build clients/market_client.go', 'golang-go');
  } else {
    clients.go = [goBinary, []];
  }
  return clients;
}

// cases: every id of expected.json, forced, in both generations, plus the natural ones.

function casesFor(generation) {
  const forced = (scenario) => ({
    scenario, generation, appcode: 'good', path: `/query?kddh=${NUMBER}`,
    headers: [`X-Mock-Scenario: ${scenario}`],
  });
  const cases = [...Object.keys(expected.gateway), ...Object.keys(expected.vendor)].map(forced);
  for (const natural of expected.natural) {
    cases.push({
      scenario: natural.scenario, label: `${natural.scenario}[natural: ${natural.how}]`,
      generation, appcode: natural.appcode === undefined ? 'good' : natural.appcode,
      path: (natural.path || `/query?kddh=${NUMBER}`).replace('${PAD9000}', 'x'.repeat(9000)),
      headers: [],
    });
  }
  return cases;
}

// The real gateway's answer for a case, as the clients' rules see it.
function realAnswer(c) {
  const vendor = expected.vendor[c.scenario];
  if (vendor) {
    return { status: vendor.status, code: '', message: null, body: { ok: vendor.ok }, json: true };
  }
  const [status, code, message] = expected.gateway[c.scenario][c.generation];
  const anyCode = Array.isArray(code) ? code[0] : code;
  return { status, code: anyCode, message, body: null, json: false };
}

// the mock, one per generation.

async function startMock(generation, clientNames) {
  const portFile = path.join(work, `port-${generation}`);
  const args = ['--port', '0', '--port-file', portFile, '--gateway', generation, '--log', 'off',
    '--journal-size', '0', '--appcode', 'good:unlimited',
    ...['wire', ...clientNames].flatMap((name) => ['--appcode', `spent-${name}:1`])];
  const child = spawn(mockBinary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  for (let i = 0; i < 400; i++) {
    const port = fs.existsSync(portFile) ? fs.readFileSync(portFile, 'utf8').trim() : '';
    if (port) return { child, exited, base: `http://127.0.0.1:${port}` };
    if (child.exitCode !== null || child.signalCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill();
  throw new Error(`kuaidi-mock (${mockBinary}) did not start with --gateway ${generation}: ${stderr}`);
}

function get(base, pathAndQuery, headers) {
  return new Promise((resolve, reject) => {
    http.get(base + pathAndQuery, { headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({
        status: res.statusCode, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks).toString(),
      }));
    }).on('error', reject);
  });
}

// the wire row: status, code and message against gateway.md, names spelled exactly.

// `${Name}` and `…` stand for open text; a placeholder after a space may be absent with its space.
function templateRegex(template) {
  const escape = (text) => text.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');
  let pattern = '';
  let last = 0;
  for (const open of template.matchAll(/( ?)(\$\{[^}]*\}|…)/g)) {
    pattern += escape(template.slice(last, open.index)) + (open[1] ? '(?: .*)?' : '.*');
    last = open.index + open[0].length;
  }
  return new RegExp(`^${pattern}${escape(template.slice(last))}$`, 's');
}

function exactHeader(rawHeaders, name) {
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i] === name) return rawHeaders[i + 1];
  return null;
}

function wireCheck(c, res) {
  const errorHeaders = [];
  for (let i = 0; i < res.rawHeaders.length; i += 2) {
    if (/^x-ca-error-/i.test(res.rawHeaders[i])) errorHeaders.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
  }
  const vendor = expected.vendor[c.scenario];
  if (vendor) {
    let ok = null;
    try { ok = JSON.parse(res.body).ok; } catch { /* reported below */ }
    const got = `${res.status} ok:${ok} [${errorHeaders.join('; ')}]`;
    return [got === `${vendor.status} ok:${vendor.ok} []`, `${vendor.status} ok:${vendor.ok} []`, got];
  }
  const [status, code, message, sure] = expected.gateway[c.scenario][c.generation];
  const gotCode = exactHeader(res.rawHeaders, 'X-Ca-Error-Code');
  const gotMessage = exactHeader(res.rawHeaders, 'X-Ca-Error-Message');
  const codes = Array.isArray(code) ? code : [code];
  const got = `${res.status} ${gotCode ?? '-'} "${gotMessage}" body:${res.body.length}`;
  const want = `${status} ${codes.join('|') || '-'} "${message}" body:0`;
  // 'ours': gateway.md has no row; only what every gateway error has is checked.
  const sameStatus = sure === 'ours' ? Math.floor(res.status / 100) === Math.floor(status / 100)
    : res.status === status;
  const pass = sameStatus && res.body.length === 0 && gotMessage !== null
    && (code === '' ? gotCode === null : codes.includes(gotCode))
    && (sure === 'ours' || templateRegex(message).test(gotMessage));
  return [pass, want, got];
}

// running.

// One process per client and generation, every case a line on its stdin (a JVM or a Python with
// requests started per case would cost more than the calls), one BRANCH line back per case.
function runClient(command, cases, base) {
  const [file, prefix] = command;
  const lines = cases.map((c) => [base, c.appcode, c.path, ...c.headers].join('\t'));
  return new Promise((resolve) => {
    const options = { timeout: 120000, maxBuffer: 1 << 20 };
    const child = execFile(file, prefix, options, (error, stdout, stderr) => {
      const branches = stdout.split('\n').filter((line) => line.startsWith('BRANCH ')).map((line) => line.slice(7));
      const why = error ? (stderr || error.message).toString().trim().split('\n').pop() : 'no BRANCH line';
      resolve(cases.map((_, i) => branches[i] ?? `client failed: ${why}`));
    });
    child.stdin.on('error', () => {});  // a client that did not start: the callback says why
    child.stdin.end(`${lines.join('\n')}\n`);
  });
}

async function pool(jobs, width) {
  const out = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]();
    }
  }));
  return out;
}

async function main() {
  if (!fs.existsSync(mockBinary)) {
    console.log(`FAIL mock: ${mockBinary} not found; build it (cmake --build build --target kuaidi-mock) or set KUAIDI_MOCK`);
    results.push(false);
    return;
  }
  const clients = await buildClients();
  const names = Object.keys(clients);
  for (const generation of GENERATIONS) {
    const mock = await startMock(generation, names);
    try {
      // The natural quota case: each client (and the wire row) has an AppCode of one call,
      // spent here, so the case's own call is the second.
      for (const name of ['wire', ...names]) {
        const res = await get(mock.base, `/query?kddh=${NUMBER}`, { Authorization: `APPCODE spent-${name}` });
        if (res.status !== 200) throw new Error(`spending spent-${name} got HTTP ${res.status}`);
      }
      const appcodeFor = (c, name) => (c.appcode === null ? '-'
        : c.appcode === 'spent' ? `spent-${name}` : c.appcode);
      const jobs = [];
      for (const c of casesFor(generation)) {
        const label = c.label || c.scenario;
        jobs.push(async () => {
          const headers = Object.fromEntries(c.headers.map((h) => h.split(/:\s*/)));
          if (c.appcode !== null) headers.Authorization = `APPCODE ${appcodeFor(c, 'wire')}`;
          const [pass, want, got] = wireCheck(c, await get(mock.base, c.path, headers));
          return () => report(pass, 'wire', label, generation, want, got);
        });
      }
      for (const name of names) {
        jobs.push(async () => {
          const cases = casesFor(generation);
          const got = await runClient(clients[name], cases.map((c) => ({ ...c, appcode: appcodeFor(c, name) })), mock.base);
          return () => cases.forEach((c, i) => {
            const want = rules[name](realAnswer(c));
            report(want === got[i], name, c.label || c.scenario, generation, want, got[i]);
          });
        });
      }
      for (const print of await pool(jobs, 3)) print();
    } finally {
      mock.child.kill('SIGTERM');
      await mock.exited;
    }
  }
}

try {
  await main();
} catch (e) {
  results.push(false);
  console.log(`FAIL runner: ${e.message}`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
const passed = results.filter(Boolean).length;
console.log(`${passed} passed, ${results.length - passed} failed`);
process.exitCode = results.length - passed === 0 ? 0 : 1;
