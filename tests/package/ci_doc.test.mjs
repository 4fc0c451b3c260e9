// docs/ci.md cannot rot: its GitHub Actions steps and GitLab CI script are read from the document
// and run here, in an empty folder, against the built tarball (KUAIDI_MOCK_URL set to its file://
// URL). `npm` is a stand-in for the user's tests: it calls the mock at $KUAIDI_API_BASE and exits
// with STANDIN_EXIT, so both the passing run and the failure path (the journal printed) are run.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { scenario } from '../browser/harness.mjs';
import { artifact, root } from './dist.mjs';

const { file: tarball, version } = artifact(/^kuaidi-mock-(\d+\.\d+\.\d+)-linux-x86_64\.tar\.gz$/);
const doc = readFileSync(path.join(root, 'docs', 'ci.md'), 'utf8');
const yamlBlocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
const github = yamlBlocks.find((b) => /^\s+runs-on:/m.test(b));
const gitlab = yamlBlocks.find((b) => /^\s+before_script:/m.test(b));

// Each step of the GitHub workflow: its `if:` and its `run:` script (a literal block or one line).
function githubSteps(yaml) {
  const steps = [];
  const lines = yaml.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    if (/^\s+- (name|uses):/.test(lines[i])) steps.push({ when: '', run: '' });
    const when = lines[i].match(/^\s+if: (.+)$/);
    if (when) steps.at(-1).when = when[1];
    const run = lines[i].match(/^(\s+)run: (.*)$/);
    if (!run) continue;
    if (run[2] !== '|') {
      steps.at(-1).run = run[2];
      continue;
    }
    const body = [];
    while (i + 1 < lines.length && (lines[i + 1].trim() === '' || lines[i + 1].search(/\S/) > run[1].length)) body.push(lines[(i += 1)]);
    const indent = Math.min(...body.filter((l) => l.trim()).map((l) => l.search(/\S/)));
    steps.at(-1).run = body.map((l) => l.slice(indent)).join('\n');
  }
  return steps.filter((s) => s.run);
}

// before_script then script, one command per list item, as GitLab runs them in one shell.
function gitlabScript(yaml) {
  const out = [];
  let section = '';
  for (const line of yaml.split('\n')) {
    const key = line.match(/^ {2}(\w+):/);
    if (key) section = key[1];
    const item = line.match(/^ {4}- (.+)$/);
    if (item && (section === 'before_script' || section === 'script')) out.push(item[1]);
  }
  return out.join('\n');
}

const folders = [];
const groups = [];
after(() => {
  for (const group of groups) {
    try { process.kill(-group, 'SIGTERM'); } catch { /* already gone */ }
  }
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

// A fresh job folder with the stand-in npm on PATH.
function jobFolder() {
  const folder = mkdtempSync(path.join(tmpdir(), 'kuaidi-ci-doc-'));
  folders.push(folder);
  const bin = path.join(folder, '.standin-bin');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'npm'), `#!/bin/sh
# The user's tests: one query to the mock, by the address the recipe exported.
curl -fsS -o /dev/null -w 'npm test: %{http_code}\\n' -H 'Authorization: APPCODE demo' "$KUAIDI_API_BASE/query?kddh=MOCKNORECORD" || exit 3
exit "\${STANDIN_EXIT:-0}"
`);
  chmodSync(path.join(bin, 'npm'), 0o755);
  return { folder, env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, KUAIDI_MOCK_URL: pathToFileURL(tarball).href } };
}

// bash -e (what GitHub's run and GitLab's script use), in its own process group so that the
// background kuaidi-mock it starts is stopped after the test.
function shell(script, { cwd, env }) {
  assert.ok(cwd && cwd.startsWith(tmpdir()), `a recipe runs only in a scratch folder, not in ${cwd}`);
  return new Promise((resolve) => {
    const child = spawn('bash', ['-e', '-c', script], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    groups.push(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

test('docs/ci.md has both recipes, for the version being built', () => {
  assert.ok(github && gitlab, 'a GitHub Actions block (runs-on) and a GitLab CI block (before_script)');
  for (const block of [github, gitlab]) assert.match(block, new RegExp(`kuaidi-mock-${version.replace(/\./g, '\\.')}-linux-x86_64`));
});

test('GitHub Actions: the steps start kuaidi-mock, the tests reach it, the failure step prints the journal', async () => {
  const job = jobFolder();
  const githubEnv = path.join(job.folder, '.github_env');
  writeFileSync(githubEnv, '');
  const outputs = [];
  for (const step of githubSteps(github)) {
    // Variables written to $GITHUB_ENV by earlier steps, as the runner passes them on.
    const passed = Object.fromEntries(readFileSync(githubEnv, 'utf8').split('\n').filter(Boolean).map((l) => l.split(/=(.*)/s).slice(0, 2)));
    const result = await shell(step.run, { cwd: job.folder, env: { ...job.env, ...passed, GITHUB_ENV: githubEnv } });
    assert.equal(result.status, 0, `step failed:\n${step.run}\n${result.stdout}\n${result.stderr}`);
    outputs.push({ ...step, ...result });
  }
  const [start, tests, onFailure] = outputs;
  assert.equal(JSON.parse(start.stdout).version, version, 'the health answer ends the start step');
  assert.match(readFileSync(githubEnv, 'utf8'), /^KUAIDI_API_BASE=http:\/\/127\.0\.0\.1:\d+$/m);
  assert.equal(tests.stdout.trim(), `npm test: ${scenario('no_record').http_status}`);
  assert.equal(onFailure.when, 'failure()');
  // The journal (JSON, the test's request in it), then the server's own log.
  const journal = onFailure.stdout.split('\n').findIndex((l) => l.includes('MOCKNORECORD'));
  assert.ok(journal >= 0 && /^[[{]/.test(onFailure.stdout), `the journal shows the test's request:\n${onFailure.stdout}`);
});

test('GitLab CI: passing tests print nothing more; failing ones print the journal and fail the job', async () => {
  const script = gitlabScript(gitlab);
  const passing = jobFolder();
  const ok = await shell(script, { cwd: passing.folder, env: passing.env });
  assert.equal(ok.status, 0, `${ok.stdout}\n${ok.stderr}`);
  assert.equal(ok.stdout.trim(), `npm test: ${scenario('no_record').http_status}`);

  const failing = jobFolder();
  const failed = await shell(script, { cwd: failing.folder, env: { ...failing.env, STANDIN_EXIT: '1' } });
  assert.equal(failed.status, 1);
  assert.match(failed.stdout, /MOCKNORECORD/, 'the journal shows the test\'s request');
});
