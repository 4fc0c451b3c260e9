// Shared by the package tests: where scripts/package.sh put the artifacts, and their version.
//
//   KUAIDI_DIST   the artifacts (default dist/, as bash scripts/package.sh writes them)
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const dist = path.resolve(process.env.KUAIDI_DIST || path.join(root, 'dist'));

// The one artifact of a kind, e.g. artifact(/^kuaidi-mock-(.+)-linux-x86_64\.tar\.gz$/).
export function artifact(pattern) {
  const found = existsSync(dist) ? readdirSync(dist).filter((f) => pattern.test(f)) : [];
  if (found.length !== 1) {
    throw new Error(`expected one file matching ${pattern} in ${dist}, found ${found.length}: run bash scripts/package.sh first`);
  }
  return { file: path.join(dist, found[0]), version: found[0].match(pattern)[1] };
}

// A kuaidi-mock from an artifact, on a free port, with no library path inherited; stopped by stop().
export async function startInstalledMock(binary, args = [], { cwd } = {}) {
  const { spawn } = await import('node:child_process');
  const { mkdtempSync, readFileSync: read, existsSync: exists, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const scratch = mkdtempSync(path.join(tmpdir(), 'kuaidi-package-'));
  const portFile = path.join(scratch, 'port');
  const env = { ...process.env };
  delete env.LD_LIBRARY_PATH;
  const child = spawn(binary, ['--port', '0', '--port-file', portFile, '--log', 'off', ...args],
    { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  let port = 0;
  for (let i = 0; i < 200 && !port && child.exitCode === null; i += 1) {
    if (exists(portFile)) port = Number(read(portFile, 'utf8').trim()) || 0;
    if (!port) await new Promise((r) => setTimeout(r, 50));
  }
  if (!port) {
    child.kill();
    rmSync(scratch, { recursive: true, force: true });
    throw new Error(`${binary} did not start: ${stderr}`);
  }
  return {
    origin: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
