// What the page keeps in this browser's localStorage, and nothing else anywhere:
//   the AppCode for 10 days (then forgotten), the history of queries (never the AppCode or the
//   phone tail) and small preferences. The clock is Date.now(), so tests can move it.

const APPCODE_KEY = 'kuaidi.appcode';
const HISTORY_KEY = 'kuaidi.history';
const PREFS_KEY = 'kuaidi.prefs';

export const APPCODE_LIFETIME_MS = 10 * 24 * 60 * 60 * 1000;
export const RECENT_QUERY_MS = 30 * 60 * 1000;
const HISTORY_LIMIT = 1000;

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

// History entries: {number, code, carrier, state, label:{zh,en}, http_status, billed, demo, scenario, when}
// (demo: the answer was simulated by the demo endpoint; scenario: a forced 演示场景).
export function loadHistory() {
  const list = read(HISTORY_KEY);
  return Array.isArray(list) ? list.filter((e) => e && typeof e.number === 'string' && typeof e.when === 'number') : [];
}

export function addHistory(entries) {
  const list = [...entries.map(historyEntry), ...loadHistory()].slice(0, HISTORY_LIMIT);
  write(HISTORY_KEY, list);
  return list;
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
  return history.find((e) => e.number === number && e.billed !== 'not_billed' && now - e.when >= 0 && now - e.when < RECENT_QUERY_MS) || null;
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
