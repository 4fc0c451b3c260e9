// dist/kuaidi-kit-<version>.tgz installed into a scratch project (a copy, no link to this tree), and
// node:test files there written as a user of the package writes them. The second one runs the
// simulator through kuaidi-kit/node and compares every answer with a running kuaidi-mock started
// with the same options: same status, the gateway's headers, the same body bytes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { artifact, root, startInstalledMock } from './dist.mjs';

const { file: tarball, version } = artifact(/^kuaidi-kit-(\d+\.\d+\.\d+)\.tgz$/);
let project;

before(() => {
  project = mkdtempSync(path.join(tmpdir(), 'kuaidi-npm-user-'));
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'my-shop', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
});
after(() => rmSync(project, { recursive: true, force: true }));

function runUserTest(name, source) {
  writeFileSync(path.join(project, name), source);
  // Run as the user would, not as a child of this test runner (which sets NODE_TEST_CONTEXT).
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const run = spawnSync(process.execPath, ['--test', '--test-reporter=tap', name], { cwd: project, env, encoding: 'utf8' });
  assert.equal(run.status, 0, `${name} failed:\n${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, /^# fail 0$/m);
  assert.doesNotMatch(run.stdout, /^# pass 0$/m);
}

test('the package is at most 500 KB and installs as a copy with its version', () => {
  assert.ok(statSync(tarball).size <= 500 * 1024, `${statSync(tarball).size} bytes`);
  const installed = path.join(project, 'node_modules', 'kuaidi-kit');
  assert.equal(lstatSync(installed).isSymbolicLink(), false);
  assert.equal(JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')).version, version);
  for (const file of ['index.d.ts', 'node.d.ts', 'kuaidi.wasm']) assert.ok(statSync(path.join(installed, file)).size > 0, file);
});

test('a user\'s node:test file: validate, detectCarrier, interpret and the catalogue', () => {
  runUserTest('tracking.test.mjs', `
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validate, detectCarrier, interpret, catalogue, carriers } from 'kuaidi-kit';

test('an SF number is SF Express, and needs the phone tail', () => {
  const best = detectCarrier('SF1385628716739').candidates[0];
  assert.equal(best.code, 'shunfeng');
  assert.equal(carriers.find((c) => c.code === best.code).name_en, 'SF Express');
  assert.ok(validate({ kddh: 'SF1385628716739' }).advisories.some((a) => a.kind === 'phone_tail_needed'));
});

test('a 7-character number gets the documented answer before any paid call', () => {
  assert.equal(validate({ kddh: '1234567' }).answer.id, 'number_format_invalid');
});

test('a 666 answer is understood and not billed', () => {
  const telInvalid = catalogue.find((s) => s.id === 'tel_invalid');
  const understood = interpret({ http_status: 666, body: JSON.stringify({ ok: 0, msg: telInvalid.msg }) });
  assert.equal(understood.matched, 'tel_invalid');
  assert.equal(understood.billed, 'not_billed');
});

test('bad input is a clear error', () => {
  assert.throws(() => interpret({ http_status: 'x' }), /http_status/);
});
`);
});

const mockBinary = path.resolve(process.env.KUAIDI_MOCK || path.join(root, 'build', 'mock_server', 'kuaidi-mock'));

// A user's test file, written by `source(origin)`, run beside an installed kuaidi-mock started with `args`.
async function runBesideMock(args, name, source) {
  const mock = await startInstalledMock(mockBinary, args);
  try {
    runUserTest(name, source(mock.origin));
  } finally {
    await mock.stop();
  }
}

test('kuaidi-kit/node: simulate() answers fetch in-process exactly as kuaidi-mock does, 666 included', async () => {
  const fixtures = { fixtures: [{ kddh: 'YT8962646785389', scenario: 'number_void' }] };
  const fixtureFile = path.join(project, 'fixtures.json');
  writeFileSync(fixtureFile, JSON.stringify(fixtures));
  await runBesideMock(['--now', '2022-10-27T19:30:00+08:00', '--gateway', 'vpc',
    '--appcode', 'demo:3', '--fixtures', fixtureFile], 'simulate.test.mjs', (origin) => `
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { simulate } from 'kuaidi-kit/node';

const MOCK = ${JSON.stringify(origin)};
// What differs by design: the request id is random; connection and length are the transport's.
const TRANSPORT = new Set(['x-ca-request-id', 'connection', 'keep-alive', 'content-length']);
const seen = (response) => [...response.headers].filter(([name]) => !TRANSPORT.has(name));

test('the same requests get the same answers from simulate() and from kuaidi-mock', async () => {
  const requests = [
    ['/query?kddh=JT3084743373888', { Authorization: 'APPCODE demo' }],
    ['/query?kddh=SF1385628716739', { Authorization: 'APPCODE demo' }],
    ['/query?code=zhongtong', { Authorization: 'APPCODE demo' }],
    ['/query?kddh=YT8962646785389', { Authorization: 'APPCODE demo' }],
    ['/query?kddh=JT3084743373888', { authorization: 'APPCODE nosuch' }],
    ['/query?kddh=JT3084743373888', {}],
    ['/query?kddh=JT3084743373888', { Authorization: 'APPCODE demo', 'X-Mock-Scenario': 'service_busy' }],
    ['/query?kddh=JT3084743373888', { Authorization: 'APPCODE demo' }],
    ['/query?kddh=JT3084743373888', { Authorization: 'APPCODE demo' }],
  ];
  const handle = simulate({ now: '2022-10-27T19:30:00+08:00', gateway: 'vpc', appcodes: { demo: 3 }, fixtures: ${JSON.stringify(fixtures)} });
  const statuses = [];
  try {
    for (const [target, headers] of requests) {
      const simulated = await fetch('https://chawuliu.market.alicloudapi.com' + target, { headers });
      const real = await fetch(MOCK + target, { headers });
      statuses.push(simulated.status);
      assert.equal(simulated.status, real.status, target);
      assert.deepEqual(seen(simulated), seen(real), target);
      assert.equal(await simulated.text(), await real.text(), target);
    }
  } finally {
    await handle.close();
  }
  assert.deepEqual(statuses, [200, 200, 666, 200, 401, 400, 503, 403, 403], 'billed calls use the quota up');
});

test('other hosts pass through, close() gives fetch back, bad options are refused', async () => {
  const local = createServer((req, res) => res.end('from the network')).listen(0, '127.0.0.1');
  await new Promise((r) => local.once('listening', r));
  const handle = simulate();
  assert.equal((await fetch('http://aliyun03.muzhiapi.com/query?kddh=1')).status, 401, 'no AppCode: the classic gateway says so');
  assert.equal(await (await fetch('http://127.0.0.1:' + local.address().port + '/')).text(), 'from the network');
  await handle.close();
  assert.equal(await (await fetch('http://127.0.0.1:' + local.address().port + '/')).text(), 'from the network');
  local.close();
  assert.throws(() => simulate({ gateway: 'cloud' }), /gateway must be 'classic' or 'vpc'/);
  assert.throws(() => simulate({ fixtures: { fixtures: [{ kddh: 'JT3084743373888', scenario: 'nosuch' }] } }), /unknown id "nosuch"/);
});
`);
});

test('kuaidi-kit/node: advanceClock() moves parcels on as POST /__admin/clock does', async () => {
  await runBesideMock(['--now', '2022-10-27T20:00:00+08:00'], 'clock.test.mjs', (origin) => `
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from 'kuaidi-kit/node';

const MOCK = ${JSON.stringify(origin)};
const API = 'https://chawuliu.market.alicloudapi.com';
const read = async (origin) => {
  const headers = { Authorization: 'APPCODE demo' };
  return (await fetch(origin + '/query?kddh=JT3084743373888', { headers })).text();
};

test('a parcel on its way gains the events of six hours, in simulate() and kuaidi-mock alike', async () => {
  const handle = simulate({ now: '2022-10-27T20:00:00+08:00' });
  try {
    const before = await read(API);
    assert.equal(before, await read(MOCK));
    assert.equal(handle.advanceClock('6h').now, '2022-10-28T02:00:00+08:00');
    const change = { method: 'POST', body: JSON.stringify({ advance: '6h' }) };
    const moved = await fetch(MOCK + '/__admin/clock', change);
    assert.equal((await moved.json()).now, handle.clock().now);
    const after = await read(API);
    assert.equal(after, await read(MOCK));
    assert.ok(JSON.parse(after).data.length > JSON.parse(before).data.length, 'new events');
    assert.throws(() => handle.advanceClock('6 hours'), /"advance": "6 hours" is not a span of time/);
  } finally {
    await handle.close();
  }
});
`);
});

test('kuaidi-kit/node: report() finds what the code under test wasted, as GET /__admin/report does', async () => {
  await runBesideMock(['--now', '2022-10-27T20:00:00+08:00'], 'referee.test.mjs', (origin) => `
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from 'kuaidi-kit/node';

const MOCK = ${JSON.stringify(origin)};
const API = 'https://chawuliu.market.alicloudapi.com';
// A careless client: the same parcel twice (both billed), a number too long for the vendor (HTTP 666,
// not billed) sent again unchanged.
const careless = async (origin) => {
  const headers = { Authorization: 'APPCODE 0123456789abcdef0123456789abcdef' };
  const tooLong = 'JT30847433738889999999999';
  for (const kddh of ['JT3084743373888', 'JT3084743373888', tooLong, tooLong]) {
    await (await fetch(origin + '/query?kddh=' + kddh, { headers })).text();
  }
};
const findings = (report) => report.findings.map((f) => [f.rule, f.count, f.billed_calls_wasted, f.explanation.zh]);

test('the same findings from simulate() and kuaidi-mock, and none after resetReport()', async () => {
  const handle = simulate({ now: '2022-10-27T20:00:00+08:00' });
  try {
    await careless(API);
    await careless(MOCK);
    const report = handle.report();
    const mocked = await (await fetch(MOCK + '/__admin/report')).json();
    assert.deepEqual(report.findings.map((f) => f.rule), ['duplicate_billed_query', 'retried_vendor_refusal']);
    assert.deepEqual(findings(report), findings(mocked));
    assert.deepEqual(report.findings.map((f) => [f.count, f.billed_calls_wasted]), [[1, 1], [1, 0]]);
    assert.equal(report.requests, 4);
    assert.equal(report.billed, 2);
    assert.equal(mocked.billed, 2);
    assert.doesNotMatch(JSON.stringify(report), /0123456789abcdef0123456789abcdef/);
    handle.resetReport();
    assert.deepEqual(handle.report().findings, []);
  } finally {
    await handle.close();
  }
});
`);
});
