// What the page keeps in this browser's localStorage, and nothing else anywhere:
//   the AppCode for 10 days (then forgotten), the history of queries (never the AppCode or the
//   phone tail) and small preferences. The clock is Date.now(), so tests can move it.

const APPCODE_KEY = 'kuaidi.appcode';
const HISTORY_KEY = 'kuaidi.history';
const PREFS_KEY = 'kuaidi.prefs';

export const APPCODE_LIFETIME_MS = 10 * 24 * 60 * 60 * 1000;
export const RECENT_QUERY_MS = 30 * 60 * 1000;
// History is bounded both ways: 200 entries, and 2 MB of JSON (an entry keeps its last answer).
const HISTORY_LIMIT = 200;
const HISTORY_BYTES = 2 * 1024 * 1024;
const EVENTS_KEPT = 100;

function read(key) {
  try {
    const text = localStorage.getItem(key);
    return text === null ? null : JSON.parse(text);
  } catch {
    return null;  // storage disabled or a value this page did not write
  }
}

function write(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;  // private mode or quota: the page still works, it just forgets
  }
}

function remove(key) {
  try {
    localStorage.removeItem(key);
  } catch {
    // nothing stored anyway
  }
}

// The saved AppCode and when it will be forgotten; null when none or expired (then removed).
export function loadAppcode(now = Date.now()) {
  const saved = read(APPCODE_KEY);
  if (!saved || typeof saved.value !== 'string' || typeof saved.saved_at !== 'number') {
    if (saved !== null) remove(APPCODE_KEY);
    return null;
  }
  const expires = saved.saved_at + APPCODE_LIFETIME_MS;
  if (now >= expires || saved.saved_at > now + APPCODE_LIFETIME_MS) {
    remove(APPCODE_KEY);
    return null;
  }
  return { value: saved.value, expires };
}

// Saving restarts the 10 days; an empty value forgets.
export function saveAppcode(value, now = Date.now()) {
  if (!value) {
    remove(APPCODE_KEY);
    return null;
  }
  write(APPCODE_KEY, { value, saved_at: now });
  return { value, expires: now + APPCODE_LIFETIME_MS };
}

export function forgetAppcode() {
  remove(APPCODE_KEY);
}

// History entries: {number, code, carrier, state, label:{zh,en}, http_status, billed, demo, scenario,
// batch, outcome, when} (demo: simulated by the demo endpoint; scenario: a forced 演示场景; batch: the
// run it belongs to; outcome: the last answer, to be shown again without a new call).
export function loadHistory() {
  const list = read(HISTORY_KEY);
  return Array.isArray(list) ? list.filter((e) => e && typeof e.number === 'string' && typeof e.when === 'number') : [];
}

export function addHistory(entries) {
  return saveHistory([...entries.map(historyEntry), ...loadHistory()]);
}

// Oldest dropped first until both bounds hold.
function saveHistory(entries) {
  const list = entries.slice(0, HISTORY_LIMIT);
  while (list.length > 1 && JSON.stringify(list).length > HISTORY_BYTES) list.pop();
  write(HISTORY_KEY, list);
  return list;
}

// Puts back a history that was just cleared (the undo of 清空历史).
export function restoreHistory(entries) {
  return saveHistory(entries.map(historyEntry));
}

const text = (x) => ({ zh: String(x?.zh || ''), en: String(x?.en || '') });

// The last answer as the result card shows it, so it can be looked at again without paying.
function pastOutcome(o) {
  if (!o || typeof o !== 'object') return null;
  return {
    state: String(o.state || ''),
    state_label: text(o.state_label),
    billed: String(o.billed || ''),
    http_status: Number(o.http_status) || 0,
    ok: typeof o.ok === 'number' ? o.ok : null,
    raw_status: typeof o.raw_status === 'number' ? o.raw_status : null,
    status_label: o.status_label ? text(o.status_label) : null,
    matched: o.matched ? String(o.matched) : null,
    msg: String(o.msg || ''),
    carrier_name: String(o.carrier_name || ''),
    tracking_number: String(o.tracking_number || ''),
    explanation: text(o.explanation),
    action: text(o.action),
    request_id: String(o.request_id || ''),
    error_code: '',
    error_message: '',
    notes: [],
    events: (Array.isArray(o.events) ? o.events : []).slice(0, EVENTS_KEPT).map((e) => ({
      time: String(e?.time || ''),
      content: String(e?.content || ''),
      stage: e?.stage ? String(e.stage) : null,
      stage_label: e?.stage_label ? text(e.stage_label) : null,
    })),
  };
}

// Only these fields are ever stored: a phone tail or an AppCode cannot slip in.
function historyEntry(e) {
  return {
    number: String(e.number),
    code: String(e.code || ''),
    carrier: String(e.carrier || ''),
    state: String(e.state || ''),
    label: { zh: String(e.label?.zh || ''), en: String(e.label?.en || '') },
    http_status: Number(e.http_status) || 0,
    billed: String(e.billed || ''),
    demo: Boolean(e.demo),
    scenario: String(e.scenario || ''),
    batch: String(e.batch || ''),
    outcome: pastOutcome(e.outcome),
    when: Number(e.when),
  };
}

export function clearHistory() {
  remove(HISTORY_KEY);
}

// The newest entry for this normalised number within the last 30 minutes, or null. An answer
// that was not billed (a refused AppCode, a used-up quota) costs nothing to ask again.
export function recentQuery(number, history, now = Date.now()) {
  if (!number) return null;
  // A demo answer billed nothing: querying the number again costs nothing twice.
  return history.find((e) => e.number === number && !e.demo && e.billed !== 'not_billed' && now - e.when >= 0
    && now - e.when < RECENT_QUERY_MS) || null;
}

export function loadPrefs() {
  const prefs = read(PREFS_KEY);
  return prefs && typeof prefs === 'object' ? prefs : {};
}

export function savePrefs(change) {
  const prefs = { ...loadPrefs(), ...change };
  write(PREFS_KEY, prefs);
  return prefs;
}
