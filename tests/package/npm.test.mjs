// dist/kuaidi-kit-<version>.tgz installed into a scratch project (a copy, no link to this tree), and
// node:test files there written as a user of the package writes them. The second one drives the
// kuaidi-kit/node glue with a stand-in for the core's simulator (not built yet) to prove that fetch
// then gets status 666, other hosts pass through, and close() gives the network back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { artifact } from './dist.mjs';

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

test('kuaidi-kit/node: simulate() delivers 666 through fetch, passes other hosts through, close() restores', () => {
  runUserTest('simulate.test.mjs', `
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { _module, hasSimulator } from 'kuaidi-kit';
import { simulate } from 'kuaidi-kit/node';

test('without the core simulator, simulate says so and leaves fetch alone', () => {
  assert.equal(hasSimulator(), false);
  assert.throws(() => simulate({ gateway: 'classic' }), /this build has no simulator/);
  assert.throws(() => simulate({ gateway: 'cloud' }), /gateway must be 'classic' or 'vpc'/);
});

test('the glue, with a stand-in for the core simulator', async () => {
  const seen = [];
  _module.simulate = (request, state) => {
    seen.push({ request: JSON.parse(request), state: JSON.parse(state) });
    return JSON.stringify({ status: 666, headers: [['Content-Type', 'application/json; charset=UTF-8'], ['X-Ca-Request-Id', 'R1']],
      body: '{"ok":0,"msg":"stand-in"}', state: { calls: seen.length } });
  };
  const local = createServer((req, res) => res.end('from the network')).listen(0, '127.0.0.1');
  await new Promise((r) => local.once('listening', r));
  const handle = simulate({ now: '2022-10-27T19:30:00+08:00', gateway: 'vpc', appcodes: { demo: 2 } });
  try {
    const answer = await fetch('https://chawuliu.market.alicloudapi.com/query?kddh=SF1385628716739&tel=8888', { headers: { Authorization: 'APPCODE demo' } });
    assert.equal(answer.status, 666);
    assert.equal(answer.headers.get('x-ca-request-id'), 'R1');
    assert.equal(await answer.text(), '{"ok":0,"msg":"stand-in"}');
    assert.equal((await fetch('http://aliyun03.muzhiapi.com/query?kddh=1')).status, 666);
    assert.equal(seen[0].request.method, 'GET');
    assert.equal(seen[0].request.url, 'https://chawuliu.market.alicloudapi.com/query?kddh=SF1385628716739&tel=8888');
    assert.ok(seen[0].request.headers.some(([n, v]) => n.toLowerCase() === 'authorization' && v === 'APPCODE demo'));
    assert.deepEqual(seen[0].state, { now: '2022-10-27T19:30:00+08:00', gateway: 'vpc', appcodes: { demo: 2 } });
    assert.deepEqual(seen[1].state, { calls: 1 });
    assert.equal(await (await fetch('http://127.0.0.1:' + local.address().port + '/')).text(), 'from the network');
  } finally {
    await handle.close();
    delete _module.simulate;
  }
  assert.equal(await (await fetch('http://127.0.0.1:' + local.address().port + '/')).text(), 'from the network');
  local.close();
});
`);
});
