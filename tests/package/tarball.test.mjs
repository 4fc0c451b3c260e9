// dist/kuaidi-mock-<version>-linux-x86_64.tar.gz unpacked into an empty folder runs from there with
// no library path: the loader finds every library glibc does not provide inside the bundle, and
// the server answers a query and serves the bundled page without --web-root.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scenario } from '../browser/harness.mjs';
import { artifact, startInstalledMock } from './dist.mjs';

const { file: tarball, version } = artifact(/^kuaidi-mock-(\d+\.\d+\.\d+)-linux-x86_64\.tar\.gz$/);
const glibc = /^(linux-vdso|libc|libm|libpthread|libdl|librt|libresolv|libutil|libanl|libnsl|libmvec|ld-linux[^.]*)\.so/;
const noLibraryPath = () => {
  const env = { ...process.env };
  delete env.LD_LIBRARY_PATH;
  return env;
};

let folder;
let bundle;
let binary;
before(() => {
  folder = mkdtempSync(path.join(tmpdir(), 'kuaidi-tarball-'));
  execFileSync('tar', ['-xzf', tarball, '-C', folder]);
  bundle = path.join(folder, `kuaidi-mock-${version}-linux-x86_64`);
  binary = path.join(bundle, 'bin', 'kuaidi-mock');
});
after(() => rmSync(folder, { recursive: true, force: true }));

test('the tarball is at most 15 MB', () => {
  assert.ok(statSync(tarball).size <= 15 * 1024 * 1024, `${statSync(tarball).size} bytes`);
});

test('ldd of the unpacked binary: every library outside glibc resolves inside the bundle', () => {
  const resolved = execFileSync('ldd', [binary], { env: noLibraryPath(), encoding: 'utf8' })
    .split('\n').map((line) => line.trim().match(/^(\S+) => (\S+)/)).filter(Boolean).map(([, name, where]) => ({ name, where: path.resolve(where) }));
  const outside = resolved.filter(({ name, where }) => !glibc.test(name) && !where.startsWith(`${bundle}/lib/`));
  assert.deepEqual(outside, []);
  for (const needed of ['libcpp-httplib', 'libssl', 'libcrypto', 'libstdc++', 'libbrotlienc', 'libz']) {
    assert.ok(resolved.some(({ name, where }) => name.startsWith(needed) && where.startsWith(`${bundle}/lib/`)), `${needed} bundled`);
  }
});

test('the running loader (LD_DEBUG=libs) initialises no library from outside the bundle but glibc', () => {
  const out = execFileSync(binary, ['--version'], { env: { ...noLibraryPath(), LD_DEBUG: 'libs' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.match(out, new RegExp(`^kuaidi-mock ${version.replace(/\./g, '\\.')}\\n\\d+ documented answers`));
  const debug = execFileSync('sh', ['-c', `LD_DEBUG=libs "${binary}" --version 2>&1 >/dev/null`], { env: noLibraryPath(), encoding: 'utf8' });
  const loaded = [...debug.matchAll(/calling init: (\S+)/g)].map((m) => path.resolve(m[1]));
  assert.ok(loaded.some((f) => f.startsWith(`${bundle}/lib/libstdc++`)), `libstdc++ from the bundle: ${loaded.join(', ')}`);
  assert.deepEqual(loaded.filter((f) => !f.startsWith(`${bundle}/lib/`) && !glibc.test(path.basename(f))), []);
});

test('run from the unpacked folder: answers a query, serves the bundled page, reports its version', async () => {
  const mock = await startInstalledMock(binary, [], { cwd: folder });
  try {
    const answer = await fetch(`${mock.origin}/query?kddh=MOCKNORECORD`, { headers: { Authorization: 'APPCODE a1b2c3d4e5f6a7b8' } });
    assert.equal(answer.status, scenario('no_record').http_status);
    assert.equal((await answer.json()).msg, scenario('no_record').msg);
    const page = await fetch(`${mock.origin}/`);
    assert.equal(page.status, 200);
    assert.equal(await page.text(), readFileSync(path.join(bundle, 'share', 'kuaidi-kit', 'web', 'index.html'), 'utf8'));
    const wasm = await fetch(`${mock.origin}/kuaidi.wasm`);
    assert.equal(wasm.status, 200);
    const health = await (await fetch(`${mock.origin}/__admin/health`)).json();
    assert.equal(health.version, version);
    assert.equal(health.web_root, path.join(bundle, 'share', 'kuaidi-kit', 'web'));
  } finally {
    await mock.stop();
  }
});
