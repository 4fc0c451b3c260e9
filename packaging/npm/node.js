// kuaidi-kit/node: from simulate() until handle.close(), Node's global fetch to the API's hosts is
// answered in-process by the core's simulator; every other host passes through to the network.
// undici's MockAgent is the global dispatcher meanwhile: unlike the Fetch Response constructor, it
// delivers any status to fetch, 666 included.
import { MockAgent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { createSimulator } from './index.js';

// The market's host and the vendor's sample host (its curl samples), each over https and http.
export const SIMULATED_HOSTS = Object.freeze(['chawuliu.market.alicloudapi.com', 'aliyun03.muzhiapi.com']);

function checkedOptions(options) {
  if (options === null || typeof options !== 'object') throw new TypeError('simulate(options): options must be an object');
  const { now, gateway = 'classic', appcodes, fixtures, clockRate = 0, ...unknown } = options;
  const extra = Object.keys(unknown);
  if (extra.length) {
    throw new TypeError(`simulate(options): unknown option ${extra.join(', ')} `
      + '(known: now, gateway, appcodes, fixtures, clockRate)');
  }
  if (now !== undefined && (typeof now !== 'string' || Number.isNaN(Date.parse(now)))) {
    throw new TypeError(`simulate(options): now must be an ISO time such as 2022-10-27T19:30:00+08:00, got ${JSON.stringify(now)}`);
  }
  if (gateway !== 'classic' && gateway !== 'vpc') throw new TypeError(`simulate(options): gateway must be 'classic' or 'vpc', got ${JSON.stringify(gateway)}`);
  if (appcodes !== undefined) {
    if (appcodes === null || typeof appcodes !== 'object') throw new TypeError('simulate(options): appcodes must be an object { APPCODE: calls left }');
    for (const [code, quota] of Object.entries(appcodes)) {
      if (!(Number.isInteger(quota) && quota >= 0) && quota !== 'unlimited') {
        throw new TypeError(`simulate(options): appcodes.${code} must be a whole number >= 0 or 'unlimited', got ${JSON.stringify(quota)}`);
      }
    }
  }
  if (fixtures !== undefined && (fixtures === null || typeof fixtures !== 'object')) {
    throw new TypeError('simulate(options): fixtures must be the fixture file\'s JSON (an object)');
  }
  if (!(typeof clockRate === 'number' && clockRate >= 0 && clockRate <= 1e6)) {
    throw new TypeError('simulate(options): clockRate must be simulated seconds per real second '
      + `from 0 to 1000000, got ${JSON.stringify(clockRate)}`);
  }
  return { now, gateway, appcodes, fixtures, clockRate };
}

// undici hands headers over as an object or a flat [name, value, name, value…] list.
function headerPairs(headers) {
  if (!headers) return [];
  if (Array.isArray(headers)) {
    const pairs = [];
    for (let i = 0; i + 1 < headers.length; i += 2) pairs.push([String(headers[i]), String(headers[i + 1])]);
    return pairs;
  }
  return Object.entries(headers).flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v) => [name, String(v)]));
}

function bodyText(body) {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  throw new TypeError('kuaidi-kit simulate: a streamed request body cannot be simulated; send a string');
}

// Repeated names (Set-Cookie…) become lists, as undici expects them.
function responseHeaders(pairs) {
  const out = {};
  for (const [name, value] of pairs) {
    const key = name.toLowerCase();
    out[key] = key in out ? [].concat(out[key], value) : value;
  }
  return out;
}

// The options in the core's terms, as kuaidi-mock's flags: --now pins the clock and starts the
// simulated clock there (without it, when simulate() is called); --clock-rate runs it.
function simulatorConfig({ now, gateway, appcodes, clockRate }) {
  const anchorMs = now === undefined ? Date.now() : Date.parse(now);
  const config = { gateway, trace_anchor_seconds: Math.floor(anchorMs / 1000), clock_rate: clockRate };
  if (appcodes) {
    config.appcodes = Object.entries(appcodes).map(([appcode, quota]) => ({ appcode, quota: quota === 'unlimited' ? null : quota }));
  }
  return { config, pinnedMs: now === undefined ? null : anchorMs };
}

export function simulate(options = {}) {
  // Checked before fetch is touched: bad options or a build without the simulator change nothing.
  const checked = checkedOptions(options);
  const { config, pinnedMs } = simulatorConfig(checked);
  const simulator = createSimulator(config);
  // A pinned clock stands still, unless the simulated clock runs: then it goes on from `now`.
  const startedMs = Date.now();
  const running = checked.clockRate > 0;
  const requestNow = () => {
    if (pinnedMs === null) return Date.now();
    return running ? pinnedMs + Date.now() - startedMs : pinnedMs;
  };
  if (checked.fixtures) {
    try {
      simulator.setFixtures(checked.fixtures);
    } catch (error) {
      simulator.close();
      throw new TypeError(`simulate(options): fixtures: ${error.message.replace(/^kuaidi-kit simulator: /, '')}`);
    }
  }
  const previous = getGlobalDispatcher();
  const agent = new MockAgent();
  agent.enableNetConnect();  // every host not intercepted below goes to the network
  for (const host of SIMULATED_HOSTS) {
    for (const origin of [`https://${host}`, `http://${host}`]) {
      agent.get(origin).intercept({ path: () => true, method: () => true }).reply((request) => {
        bodyText(request.body);  // a streamed body is refused with a clear message
        const answered = simulator.answer({
          method: request.method,
          target: `${origin}${request.path}`,
          headers: headerPairs(request.headers),
          nowMs: requestNow(),
        });
        return { statusCode: answered.status, data: Buffer.from(answered.body, 'utf8'), responseOptions: { headers: responseHeaders(answered.headers) } };
      }).persist();
    }
  }
  setGlobalDispatcher(agent);
  let closed = false;
  return {
    clock: () => simulator.clock(requestNow()),
    advanceClock: (span) => simulator.advanceClock(span, requestNow()),
    setClock: (time) => simulator.setClock(time, requestNow()),
    // What the code under test wasted or got wrong so far, as kuaidi-mock's GET /__admin/report.
    report: () => simulator.report(),
    resetReport: () => simulator.resetReport(),
    async close() {
      if (closed) return;
      closed = true;
      // Put back what was there, unless someone replaced the dispatcher since.
      if (getGlobalDispatcher() === agent) setGlobalDispatcher(previous);
      await agent.close();
      simulator.close();
    },
  };
}
