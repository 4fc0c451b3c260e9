// kuaidi-kit for JavaScript: the C++ core as WebAssembly (kuaidi.mjs + kuaidi.wasm, the page's
// bindings), JSON in and plain objects out. Loaded once, at import, so every call is synchronous.
import createKuaidi from './kuaidi.mjs';

const wasmUrl = new URL('./kuaidi.wasm', import.meta.url);
const inNode = typeof process === 'object' && typeof process.versions?.node === 'string';
// Node cannot fetch a file: URL, so the bytes are read and handed over; browsers fetch the file
// beside this module (bundlers see the new URL(…, import.meta.url) and copy it).
const core = await createKuaidi(inNode
  ? { wasmBinary: await (await import('node:fs/promises')).readFile(wasmUrl) }
  : { locateFile: () => wasmUrl.href });

// Bad input comes back from the core as {"error": "..."}: thrown here, with the core's words.
function call(name, ...args) {
  const out = JSON.parse(core[name](...args));
  if (out && !Array.isArray(out) && typeof out.error === 'string') throw new TypeError(`kuaidi-kit ${name}: ${out.error}`);
  return out;
}

const text = (value, what) => {
  if (typeof value !== 'string') throw new TypeError(`kuaidi-kit: ${what} must be a string, got ${typeof value}`);
  return value;
};

export function validate(params, options = {}) {
  return call('validate', JSON.stringify(params), JSON.stringify(options));
}

export function detectCarrier(trackingNumber) {
  return call('detect', text(trackingNumber, 'the tracking number'));
}

export function interpret(answer) {
  return call('interpret', JSON.stringify(answer));
}

export function maskTrackingNumber(trackingNumber) {
  return core.maskTrackingNumber(text(trackingNumber, 'the tracking number'));
}

export const catalogue = Object.freeze(call('catalogue'));
export const carriers = Object.freeze(call('carriers'));

export function hasSimulator() {
  return typeof core.Simulator === 'function';
}

// 53 random bits (what a JSON number carries) for the simulated answer's X-Ca-Request-Id.
function entropy() {
  const [high, low] = globalThis.crypto.getRandomValues(new Uint32Array(2));
  return (high & 0x1fffff) * 0x100000000 + low;
}

// The service simulated as kuaidi-mock simulates it: `config` is the core's simulator config
// (gateway, appcodes, trace_anchor_seconds, clock_rate, faults… as kuaidi-mock's flags), its state
// (quotas, the simulated clock) kept between calls.
// answer(request) → { status, headers: [[name, value]…], body, record }.
export function createSimulator(config = {}) {
  if (!hasSimulator()) throw new Error('kuaidi-kit: this build has no simulator');
  const simulator = new core.Simulator(JSON.stringify(config));
  const problem = simulator.error();
  if (problem) {
    simulator.delete();
    throw new TypeError(`kuaidi-kit simulator config: ${problem}`);
  }
  const checked = (text) => {
    const out = JSON.parse(text);
    if (out && typeof out.error === 'string') throw new TypeError(`kuaidi-kit simulator: ${out.error}`);
    return out;
  };
  const moveClock = (change, nowMs) => checked(simulator.changeClock(JSON.stringify(change), nowMs));
  return {
    answer({ method = 'GET', target, headers = [], nowMs = Date.now(), remoteAddr = '' }) {
      const out = checked(simulator.answer(JSON.stringify({
        method, target, headers, now_ms: nowMs, remote_addr: remoteAddr, entropy: entropy(),
      })));
      return { status: out.answer.status, headers: out.answer.headers, body: out.answer.body, record: out.record };
    },
    accounts: () => JSON.parse(simulator.accounts()),
    updateAccount: (appcode, change) => checked(simulator.updateAccount(text(appcode, 'the AppCode'), JSON.stringify(change))),
    setFixtures: (fixtures) => checked(simulator.setFixtures(typeof fixtures === 'string' ? fixtures : JSON.stringify(fixtures))),
    resetAccounts: () => simulator.resetAccounts(),
    // The simulated clock synthetic parcels live on, as GET /__admin/clock shows it:
    // { now, now_ms, rate, anchor }.
    clock: (nowMs = Date.now()) => checked(simulator.clock(nowMs)),
    // advanceClock('6h') (s, m, h or d), setClock('2022-10-28T09:00:00+08:00'): the clock after the move.
    advanceClock: (span, nowMs = Date.now()) => moveClock({ advance: text(span, 'the span') }, nowMs),
    setClock: (time, nowMs = Date.now()) => moveClock({ set: text(time, 'the time') }, nowMs),
    // The referee's findings on the answers so far, as kuaidi-mock's GET /__admin/report.
    report: () => JSON.parse(simulator.report()),
    resetReport: () => simulator.resetReport(),
    close: () => simulator.delete(),
  };
}

// The embind module itself, for kuaidi-kit's own tests; not a stable API.
export const _module = core;
