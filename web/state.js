// The page's state in one object, changed only through update(change): the fields are set, then
// every view that shows one of them is drawn again, once, in the page's order (app.js lists which
// view shows what) — so no caller has to know which views a change concerns.
// The boxes a person types into keep their values in the DOM; a change names them ('form' for the
// number, carrier and phone tail, 'appcode', 'scenario', 'samples' for the sample options) so that
// what shows them is drawn again. 'offer' is the demo's switch offer answered; 'lists' asks for the
// scenario and carrier lists, drawn once the page is ready.

export const state = {
  lang: 'zh',
  dev: false,
  endpoint: 'demo',
  customUrl: '',
  demoServer: false,  // served by kuaidi-mock: 演示 calls it; otherwise the page's own simulator answers
  demoGateway: 'classic',
  demoQuota: null,  // calls left for the demo AppCode in the page's simulator; null: unlimited
  sampleLanguage: 'curl',
  revealInSamples: false,
  submitAttempted: false,
  settled: false,  // a pause in typing: the number's format errors may show
  devBodyClosed: false,
  devTab: 'body',
  core: null,
  demoSimulator: null,  // the core's simulator, for 演示 when no kuaidi-mock serves the page
  lastCall: null,  // {local, params, validation, request?, answer?, outcome?, duration?, source?, past?}
  history: [],
  historyOpen: new Set(),
  clearedHistory: false,
  batch: null,  // {controller, finished, stoppedBy, rows}; its rows change as its answers come
  batchFilter: 'all',
  recent: null,  // {entry, action}: the warning before paying twice for a number queried lately
  queued: null,  // 'query' or 'batch', asked for while the core still loads
};

const INPUTS = new Set(['form', 'appcode', 'scenario', 'samples', 'offer', 'lists']);
const views = [];

// render() draws one view; shows: the state fields and inputs it draws from.
export function view(render, shows) {
  for (const key of shows) {
    if (!(key in state) && !INPUTS.has(key)) throw new Error(`view of unknown state "${key}"`);
  }
  views.push({ render, shows: new Set(shows) });
}

export function update(change) {
  const keys = Object.keys(change);
  for (const key of keys) {
    if (key in state) state[key] = change[key];
    else if (!INPUTS.has(key)) throw new Error(`update of unknown state "${key}"`);
  }
  for (const { render, shows } of views) {
    if (keys.some((key) => shows.has(key))) render();
  }
}

// The state as the page was left (preferences, history, what boot.js found), set before anything
// is drawn: the first drawing comes once the core is loaded.
export function restore(fields) {
  for (const key of Object.keys(fields)) {
    if (!(key in state)) throw new Error(`restore of unknown state "${key}"`);
  }
  Object.assign(state, fields);
}
