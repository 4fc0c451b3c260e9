// dist/kuaidi-mock_<version>_amd64.deb installs on this machine with apt-get (root needed), puts
// kuaidi-mock on the PATH with its Depends met, and serves the installed page by default. The
// package is removed afterwards unless it was installed before the test.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { artifact, startInstalledMock } from './dist.mjs';

const { file: deb, version } = artifact(/^kuaidi-mock_(\d+\.\d+\.\d+)_amd64\.deb$/);
const run = (command, args) => execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const installedVersion = () => {
  try {
    return run('dpkg-query', ['-W', '-f=${Status} ${Version}', 'kuaidi-mock']).match(/install ok installed (\S+)/)?.[1];
  } catch {
    return undefined;
  }
};
const apt = (...args) => run('apt-get', ['-y', '-qq', '-o', 'DPkg::Lock::Timeout=300', ...args]);

let before_test;
before(() => {
  if (process.getuid() !== 0) throw new Error('installing the .deb needs root (the test command runs as root)');
  before_test = installedVersion();
  apt('install', '--reinstall', '--no-install-recommends', deb);
});
after(() => {
  if (!before_test) apt('purge', 'kuaidi-mock');
});

test('apt-get install ./kuaidi-mock_<version>_amd64.deb: installed, with the libraries it links as Depends', () => {
  assert.equal(installedVersion(), version);
  const depends = run('dpkg-query', ['-W', '-f=${Depends}', 'kuaidi-mock']);
  for (const library of ['libc6', 'libstdc++6', 'libcpp-httplib', 'libbrotli1', 'zlib1g']) {
    assert.match(depends, new RegExp(`(^|, )${library.replace(/\+/g, '\\+')}[\\w.]* \\(>=`), `Depends: ${depends}`);
  }
});

test('kuaidi-mock --version runs from the PATH and names the version', () => {
  const out = run('kuaidi-mock', ['--version']);
  assert.match(out.split('\n')[0], new RegExp(`^kuaidi-mock ${version.replace(/\./g, '\\.')}$`));
  assert.match(out, /^\d+ documented answers in the catalogue$/m);
  assert.equal(run('sh', ['-c', 'command -v kuaidi-mock']).trim(), '/usr/bin/kuaidi-mock');
});

test('the installed kuaidi-mock serves /usr/share/kuaidi-kit/web without --web-root', async () => {
  const mock = await startInstalledMock('/usr/bin/kuaidi-mock');
  try {
    const page = await fetch(`${mock.origin}/`);
    assert.equal(await page.text(), readFileSync('/usr/share/kuaidi-kit/web/index.html', 'utf8'));
    assert.equal((await (await fetch(`${mock.origin}/__admin/health`)).json()).web_root, '/usr/share/kuaidi-kit/web');
  } finally {
    await mock.stop();
  }
});
