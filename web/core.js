// The WebAssembly core as the page uses it: loading it, and what the views look up in it (the
// catalogue of documented answers, the carrier table, the cleaning of pasted input).

import { state } from './state.js';
import { pick } from './ui.js';

export async function loadCore(compiling) {
  if (typeof window.createKuaidi !== 'function') throw new Error('kuaidi.js did not load');
  const compiled = await compiling;
  let instantiateFailed;
  const failure = new Promise((_, reject) => { instantiateFailed = reject; });
  // Instantiating boot.js's early compilation saves compiling the same bytes again here.
  const options = compiled ? {
    instantiateWasm(imports, receive) {
      WebAssembly.instantiate(compiled, imports)
        .then((instance) => receive(instance, compiled), instantiateFailed);
      return {};
    },
  } : {};
  const module = await Promise.race([window.createKuaidi(options), failure]);
  const call = (name, ...args) => {
    const out = JSON.parse(module[name](...args));
    if (out && !Array.isArray(out) && typeof out.error === 'string') throw new Error(out.error);
    return out;
  };
  return {
    simulator: (config) => {
      const simulator = new module.Simulator(JSON.stringify(config));
      const problem = simulator.error();
      if (problem) {
        simulator.delete();
        throw new Error(problem);
      }
      return {
        answer: (request) => {
          const out = JSON.parse(simulator.answer(JSON.stringify(request)));
          if (typeof out.error === 'string') throw new Error(out.error);
          return out;
        },
        resetAccounts: () => simulator.resetAccounts(),
        changeClock: (change) => {
          const out = JSON.parse(simulator.changeClock(JSON.stringify(change), Date.now()));
          if (typeof out.error === 'string') throw new Error(out.error);
          return out;
        },
        delete: () => simulator.delete(),
      };
    },
    validate: (params) => call('validate', JSON.stringify(params), '{}'),
    interpret: (answer) => call('interpret', JSON.stringify(answer)),
    catalogue: () => call('catalogue'),
    carriers: () => call('carriers'),
    mask: (number) => module.maskTrackingNumber(number),
    maskAppcode: (appcode) => module.maskAppcode(appcode),
    namedCarrier: (params) => call('namedCarrier', JSON.stringify(params)),
    // The module predates cleanInput when an old kuaidi.js is cached: then nothing is cleaned.
    clean: (field, raw) => (typeof module.cleanInput === 'function' ? call('cleanInput', field, raw) : null),
    readPaste: (text) => call('readPaste', text),
  };
}

let catalogueCache = null;
let carriersCache = null;
// Built on first use (their first build in a freshly compiled module is the slowest call the page
// makes, so it stays off the path to "ready to type").
export const catalogue = () => (state.core ? (catalogueCache ??= state.core.catalogue()) : []);
export const carriers = () => (state.core ? (carriersCache ??= state.core.carriers()) : []);
export const scenarioById = (id) => catalogue().find((s) => s.id === id);
export const carrierByCode = (code) => carriers()
  .find((c) => c.code.toLowerCase() === String(code).toLowerCase());

export function scenarioTitle(id) {
  const s = scenarioById(id);
  return s ? pick(s.title) : id;
}

// In English a carrier is named in English, its Chinese name (as the API writes kdmc) beside it.
export function carrierLabel(nameZh) {
  if (state.lang !== 'en' || !nameZh) return nameZh;
  const c = carriers().find((x) => x.name_zh === nameZh);
  return c && c.name_en !== c.name_zh ? `${c.name_en} (${c.name_zh})` : nameZh;
}

// The carrier an answer names, or for one stopped here the one the API would name (the core's rule).
export function carrierNameFor(outcome, params) {
  if (outcome?.carrier_name) return outcome.carrier_name;
  return state.core.namedCarrier(params)?.name_zh || '';
}

// The AppCode masked as the core masks it everywhere (the mock's log and journal too).
export function maskSecret(secret) {
  if (!secret) return '';
  return state.core ? state.core.maskAppcode(secret) : '****';
}

// What pasted text becomes before it is sent (full-width, labels, a sentence around the number,
// a whole phone number, a carrier's name): the core's cleaning, said under each box.
export function cleaned(field, raw) {
  const out = raw && state.core ? state.core.clean(field, raw) : null;
  return out || { value: raw, changed: false, changes: [], others: [] };
}
