// The page's WebAssembly module under node answers, call for call, what the native core answers:
// the native Catch2 binary lists every vector input as the call the page would make, with the
// native answer (tests/wasm/binding_calls.cpp); here the same calls go to the module's bindings
// and the text must be equal. What the answers should be is the Catch2 runners' business.
//
//   KUAIDI_CORE_TESTS  the native kuaidi_core_tests   (default build/tests/kuaidi_core_tests)
//   KUAIDI_WASM_DIR    folder holding kuaidi.js + kuaidi.wasm (default build-wasm/web)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const coreTests = path.resolve(process.env.KUAIDI_CORE_TESTS
  || path.join(root, 'build', 'tests', 'kuaidi_core_tests'));
const wasmDir = path.resolve(process.env.KUAIDI_WASM_DIR || path.join(root, 'build-wasm', 'web'));

// Emscripten 3.1.6 would fetch() the .wasm by file path under node 18+: hand it the bytes.
const createKuaidi = createRequire(import.meta.url)(path.join(wasmDir, 'kuaidi.js'));
const kuaidi = await createKuaidi({ wasmBinary: readFileSync(path.join(wasmDir, 'kuaidi.wasm')) });

function nativeCalls() {
  const scratch = mkdtempSync(path.join(tmpdir(), 'kuaidi-parity-'));
  try {
    const file = path.join(scratch, 'calls.json');
    const env = { ...process.env, KUAIDI_BINDING_CALLS: file };
    const run = spawnSync(coreTests, ['[bindings]'], { env, encoding: 'utf8' });
    assert.equal(run.status, 0, `${coreTests} [bindings] failed:\n${run.stdout}${run.stderr}`);
    return JSON.parse(readFileSync(file, 'utf8'));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const calls = nativeCalls();
const label = (c) => `${c.call}(${c.args.map((a) => JSON.stringify(a).slice(0, 60)).join(', ')})`;

test('every binding answers as the native core for every vector input', async (t) => {
  const counts = {};
  for (const c of calls.filter((x) => x.call)) {
    counts[c.call] = (counts[c.call] ?? 0) + 1;
    await t.test(label(c), () => assert.equal(kuaidi[c.call](...c.args), c.output));
  }
  for (const name of ['validate', 'validateQuery', 'namedCarrier', 'interpret', 'detect', 'cleanInput',
    'maskTrackingNumber', 'catalogue', 'carriers', 'sign', 'readPaste'])
    assert.ok(counts[name] > 0, `no vector reaches ${name}`);
});

test('the page simulator answers as the native simulator, step for step', async (t) => {
  const sequences = calls.filter((x) => x.simulator);
  assert.ok(sequences.length > 0);
  for (const [index, s] of sequences.entries()) {
    await t.test(`simulator.json case ${index + 1}`, () => {
      const simulator = new kuaidi.Simulator(s.simulator);
      try {
        assert.equal(simulator.error(), '');
        for (const c of s.steps) assert.equal(simulator[c.call](...c.args), c.output, label(c));
      } finally {
        simulator.delete();
      }
    });
  }
});

test('bad input comes back as {"error": …}, never as an exception', () => {
  assert.ok(JSON.parse(kuaidi.validate('not json', '{}')).error);
  assert.ok(JSON.parse(kuaidi.validate('{"kddh":1}', '{}')).error);
  assert.ok(JSON.parse(kuaidi.interpret('[')).error);
  assert.ok(JSON.parse(kuaidi.interpret('{"http_status":"200"}')).error);
});
