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
  return typeof core.simulate === 'function';
}

// The simulator's answer to one request, as kuaidi-mock would give it. `state` carries the options
// and what earlier calls changed (quotas used); the core returns the new state with the answer.
export function answer(request, state) {
  if (!hasSimulator()) {
    throw new Error('kuaidi-kit: this build has no simulator (the core\'s simulator is not in this version of the package); ' +
      'validate, detectCarrier, interpret and the catalogue work, simulate and answer need a newer kuaidi-kit');
  }
  const out = call('simulate', JSON.stringify(request), JSON.stringify(state));
  return { status: out.status, headers: out.headers, body: out.body, state: out.state ?? state };
}

// The embind module itself, for kuaidi-kit's own tests; not a stable API.
export const _module = core;
