// The page's WebAssembly module under node: the core's JSON vectors (tests/vectors/request.json and
// interpret.json) run through the embind JSON API the page uses, with the expectations the native
// Catch2 suite checks (tests/test_request.cpp, tests/test_interpret.cpp, tests/templates.hpp).
//
//   KUAIDI_WASM_DIR  folder holding kuaidi.js + kuaidi.wasm (default: build-wasm/web)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const vectorsDir = path.join(root, 'tests', 'vectors');
const wasmDir = path.resolve(process.env.KUAIDI_WASM_DIR || path.join(root, 'build-wasm', 'web'));

// Emscripten 3.1.6 would fetch() the .wasm by file path under node 18+: hand it the bytes.
const createKuaidi = createRequire(import.meta.url)(path.join(wasmDir, 'kuaidi.js'));
const kuaidi = await createKuaidi({ wasmBinary: readFileSync(path.join(wasmDir, 'kuaidi.wasm')) });

const call = (name, ...args) => {
  const out = JSON.parse(kuaidi[name](...args));
  assert.equal(out.error, undefined, `${name} refused its input: ${out.error}`);
  return out;
};
const catalogue = call('catalogue');
const carriers = call('carriers');
const loadVectors = (name) => JSON.parse(readFileSync(path.join(vectorsDir, name), 'utf8'));

function scenario(id) {
  const found = catalogue.find((s) => s.id === id);
  assert.ok(found, `no catalogue entry ${id}`);
  return found;
}

// render_msg: the one templated message names the appid in place of its placeholder.
const APPID_PLACEHOLDER = 'XXXXXXXX';
const renderMsg = (s, appid = '') => (appid ? s.msg.replace(APPID_PLACEHOLDER, appid) : s.msg);

// The JSON of the code block after `heading` in the vendor's page, compacted in field order.
function vendorExample(heading) {
  const page = readFileSync(path.join(vectorsDir, 'vendor_page.txt'), 'utf8');
  const at = page.indexOf(heading);
  assert.notEqual(at, -1, `vendor page heading ${heading}`);
  const open = page.indexOf('```', at);
  const close = page.indexOf('```', open + 3);
  return JSON.stringify(JSON.parse(page.slice(open + 3, close)));
}

// templates.hpp's expand(): {{msg:ID}}, {{msg:ID|APPID}}, {{kdmc:CODE}}, {{vendor:success|failure}}.
function expand(text) {
  return text.replace(/\{\{(.*?)\}\}/g, (_, key) => {
    if (key.startsWith('msg:')) {
      const [id, appid] = key.slice(4).split('|');
      return renderMsg(scenario(id), appid);
    }
    if (key.startsWith('kdmc:')) {
      const c = carriers.find((x) => x.code.toLowerCase() === key.slice(5).toLowerCase());
      assert.ok(c, `no carrier ${key}`);
      return c.name_zh;
    }
    if (key === 'vendor:success') return vendorExample('成功响应示例');
    if (key === 'vendor:failure') return vendorExample('失败响应示例');
    assert.fail(`unknown template {{${key}}}`);
  });
}

// nlohmann::json keeps objects sorted by key: dump the same way so the bodies are byte-identical.
const sortedJson = (v) =>
  Array.isArray(v) ? `[${v.map(sortedJson).join(',')}]`
  : v && typeof v === 'object'
    ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${sortedJson(v[k])}`).join(',')}}`
    : JSON.stringify(v);

// ---- request.json ----

const requests = loadVectors('request.json');

function runRequestCase(c) {
  const options = JSON.stringify(c.options ?? {});
  if ('query' in c) return call('validateQuery', c.query, options);
  const params = { ...c.params };
  if (typeof params.sign === 'string' && params.sign.startsWith('{{')) {
    const secret = params.sign.slice(7, -2);
    const { sign: _unused, ...rest } = params;
    let sign = kuaidi.sign(JSON.stringify(rest), secret, c.options?.algorithm ?? 'md5');
    assert.ok(sign, 'sign() gave nothing');
    if (params.sign.startsWith('{{SIGN')) sign = sign.toUpperCase();
    params.sign = sign;
  }
  return call('validate', JSON.stringify(params), options);
}

test('request vectors: validation answers as the real API would', async (t) => {
  assert.ok(requests.cases.length > 0);
  for (const c of requests.cases) {
    await t.test(c.name, () => {
      const v = runRequestCase(c);
      const expect = c.expect;
      if (expect.answer === null) {
        assert.equal(v.passed, true, `answered ${v.answer?.id}`);
        assert.equal(v.answer, null);
      } else {
        assert.equal(v.passed, false);
        assert.equal(v.answer.id, expect.answer);
        const appid = expect.answer_msg_appid ?? '';
        assert.equal(v.answer.msg, renderMsg(scenario(expect.answer), appid));
        if (appid) assert.ok(v.answer.msg.includes(appid));
      }
      for (const key of ['tracking_number', 'carrier_code', 'phone_tail'])
        if (key in expect) assert.equal(v.request[key], expect[key], key);
      if ('advisories' in expect) assert.deepEqual(v.advisories.map((a) => a.kind), expect.advisories);
      if ('carrier' in expect) assert.equal(v.detection.candidates[0]?.code, expect.carrier);
      if ('certain' in expect) assert.equal(v.detection.certain, expect.certain);
    });
  }
});

test('request vectors: every catalogue entry has a triggering request', async (t) => {
  const triggers = requests.scenario_triggers;
  const findCase = (name) => {
    const c = requests.cases.find((x) => x.name === name);
    assert.ok(c, `no request vector named ${name}`);
    return c;
  };
  for (const s of catalogue) {
    await t.test(s.id, () => {
      const trigger = triggers[s.id];
      assert.ok(trigger, 'no trigger');
      if (trigger.case) {
        assert.equal(runRequestCase(findCase(trigger.case)).answer?.id, s.id);
      } else if (trigger.backend) {
        assert.equal(s.source, 'vendor');
        assert.equal(runRequestCase(findCase(trigger.backend)).passed, true);
      } else {
        assert.equal(s.source, 'gateway');
        assert.ok(trigger.gateway);
      }
    });
  }
  assert.equal(Object.keys(triggers).length, catalogue.length);
});

// ---- interpret.json ----

function answerFrom(c) {
  const a = { ...c.answer };
  if ('body' in a) a.body = expand(a.body);
  if ('body_json' in a) {
    a.body = expand(sortedJson(a.body_json));
    delete a.body_json;
  }
  if ('huge_body' in c) a.body = `{"ok":1,"pad":"${'x'.repeat(c.huge_body)}"}`;
  if ('nested_body' in c) a.body = '['.repeat(c.nested_body);
  return a;
}

test('interpret vectors: answers are interpreted into plain words', async (t) => {
  const { cases } = loadVectors('interpret.json');
  assert.ok(cases.length > 0);
  for (const c of cases) {
    await t.test(c.name, () => {
      const o = call('interpret', JSON.stringify(answerFrom(c)));
      const expect = c.expect;
      for (const key of ['state', 'billed', 'matched', 'possible', 'ok', 'raw_status', 'status_state',
        'request_id', 'error_code', 'error_message'])
        if (key in expect) assert.deepEqual(o[key], expect[key], key);
      for (const key of ['carrier_name', 'tracking_number', 'msg'])
        if (key in expect) assert.equal(o[key], expand(expect[key]), key);
      const events = (f) => o.events.map(f);
      if ('event_times' in expect) assert.deepEqual(events((e) => e.time), expect.event_times);
      if ('event_contents' in expect) assert.deepEqual(events((e) => e.content), expect.event_contents);
      if ('event_time_valid' in expect) assert.deepEqual(events((e) => e.time_valid), expect.event_time_valid);
      if ('event_stages' in expect) assert.deepEqual(events((e) => e.stage), expect.event_stages);
      if ('notes' in expect) assert.equal(o.notes.length, expect.notes);
      for (const part of expect.explanation_contains ?? [])
        assert.ok(o.explanation.zh.includes(part) || o.explanation.en.includes(part), `explanation lacks ${part}`);
      for (const part of expect.action_contains ?? [])
        assert.ok(o.action.en.includes(part), `action lacks ${part}`);
      for (const id of expect.explanation_has_titles_of ?? []) {
        const s = scenario(id);
        assert.ok(o.explanation.zh.includes(s.title.zh), `explanation lacks ${s.title.zh}`);
        assert.ok(o.explanation.en.includes(s.title.en), `explanation lacks ${s.title.en}`);
      }
      for (const text of [o.explanation.zh, o.explanation.en, o.action.zh, o.action.en])
        assert.ok(text.length > 0, 'an explanation or action is empty');
    });
  }
});

// ---- what the page relies on beyond the vectors ----

test('bad input comes back as {"error": …}, never as an exception', () => {
  assert.ok(JSON.parse(kuaidi.validate('not json', '{}')).error);
  assert.ok(JSON.parse(kuaidi.validate('{"kddh":1}', '{}')).error);
  assert.ok(JSON.parse(kuaidi.interpret('[')).error);
  assert.ok(JSON.parse(kuaidi.interpret('{"http_status":"200"}')).error);
});

test('the vendor example number is masked as the API masks it', () => {
  const vendor = JSON.parse(vendorExample('成功响应示例'));
  const masked = kuaidi.maskTrackingNumber('786270000758');
  assert.equal(masked.length, vendor.kddh.length);
  assert.equal(masked, `78627${vendor.kddh.slice(5, 9)}758`);
});

test('catalogue and carriers are complete enough for the page', () => {
  for (const s of catalogue)
    for (const key of ['title', 'explanation', 'action'])
      assert.ok(s[key].zh && s[key].en, `${s.id}.${key}`);
  assert.ok(carriers.length >= 30);
  assert.equal(new Set(carriers.map((c) => c.code)).size, carriers.length, 'carrier codes are unique');
});

test("the page's simulator referees its answers, as kuaidi-mock's GET /__admin/report", () => {
  const simulator = new kuaidi.Simulator('{}');
  try {
    const ask = (target) => JSON.parse(simulator.answer(JSON.stringify({
      target, headers: [['Authorization', 'APPCODE page-demo-code']], now_ms: 1714536000000, entropy: 7,
    })));
    ask('/query?kddh=JT3084743373888');
    const repeat = ask('/query?kddh=JT3084743373888');
    const report = JSON.parse(simulator.report());
    assert.equal(report.requests, 2);
    assert.equal(report.billed, 2);
    assert.deepEqual(report.findings.map((f) => [f.rule, f.count, f.last_request_id]),
      [['duplicate_billed_query', 1, repeat.record.request_id]]);
    assert.ok(report.findings[0].explanation.zh.length > 0 && report.findings[0].explanation.en.length > 0);
    assert.ok(!JSON.stringify(report).includes('page-demo-code'));
    simulator.resetReport();
    assert.deepEqual(JSON.parse(simulator.report()).findings, []);
  } finally {
    simulator.delete();
  }
});
