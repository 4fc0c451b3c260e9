// One call to the chosen endpoint, as the core expects to read it: {http_status, headers_readable,
// headers, body, transport_error?}. The AppCode goes only into the Authorization header. On the
// in-page demo the core's simulator answers and nothing leaves the page.

import { state } from './state.js';

export const REQUEST_TIMEOUT_MS = 30000;
const GATEWAY_HEADERS = ['x-ca-request-id', 'x-ca-error-message', 'x-ca-error-code'];

// The in-page demo simulates the real address: nothing leaves the page.
export const demoInPage = () => state.endpoint === 'demo' && !state.demoServer;

// A call that got no HTTP answer, with the browser's error text.
const failed = (error) => ({
  http_status: 0, headers_readable: false, headers: [], body: '', transport_error: error,
});

function sameOrigin(url) {
  try {
    return new URL(url, location.href).origin === location.origin;
  } catch {
    return false;
  }
}

// 64 random bits (53 usable in a JSON number) for the simulated answer's X-Ca-Request-Id.
function randomEntropy() {
  const [high, low] = crypto.getRandomValues(new Uint32Array(2));
  return (high & 0x1fffff) * 0x100000000 + low;
}

function pause(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}

// The headers as fetch shows them to a page: names in lower case, sorted, repeats joined, with the
// Content-Length the transport adds.
function headersAsFetchShows(headers, body) {
  const joined = new Map();
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    joined.set(key, joined.has(key) ? `${joined.get(key)}, ${value}` : value);
  }
  joined.set('content-length', String(new TextEncoder().encode(body).length));
  return [...joined].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

// 演示 without a server: the core's simulator answers as kuaidi-mock would, and what it asks of the
// transport is done here (a delay; a reset or a cut body is a failed fetch, as a browser reports it).
async function simulateCall(request, signal) {
  const started = performance.now();
  let simulated;
  try {
    simulated = state.demoSimulator.answer({
      method: 'GET',
      target: request.url,
      headers: [['Authorization', `APPCODE ${request.appcode}`], ...request.headers],
      now_ms: Date.now(),
      entropy: randomEntropy(),
    });
  } catch (error) {
    return { answer: failed(error.message), duration: performance.now() - started };
  }
  const { answer, record } = simulated;
  if (record.latency_ms > 0) await pause(Math.min(record.latency_ms, REQUEST_TIMEOUT_MS), signal);
  if (record.injected === 'reset' || record.injected === 'truncate') {
    return { answer: failed('Failed to fetch'), duration: performance.now() - started };
  }
  return {
    answer: {
      http_status: answer.status,
      headers_readable: true,
      headers: headersAsFetchShows(answer.headers, answer.body),
      body: answer.body,
    },
    duration: performance.now() - started,
  };
}

// One call. The AppCode goes only into the Authorization header. No HTTP answer → status 0 with
// the browser's error text, as the core expects; a cancellation is re-thrown.
export async function performCall(request, signal) {
  if (demoInPage() && state.demoSimulator) return simulateCall(request, signal);
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const started = performance.now();
  try {
    // Inside the try: an AppCode with a character no header may carry (Chinese, a line break)
    // is refused here, and explained like any other call that never got an answer.
    const headers = new Headers({ Authorization: `APPCODE ${request.appcode}` });
    for (const [name, value] of request.headers) headers.set(name, value);
    const response = await fetch(request.url, {
      method: 'GET',
      headers,
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const body = await response.text();
    const list = [...response.headers];
    const readable = sameOrigin(request.url) || GATEWAY_HEADERS.some((name) => response.headers.has(name));
    return {
      answer: { http_status: response.status, headers_readable: readable, headers: list, body },
      duration: performance.now() - started,
    };
  } catch (error) {
    if (signal?.aborted) throw error;
    return { answer: failed(error?.message || String(error)), duration: performance.now() - started };
  }
}
