// Each client's rule as a pure function of the real gateway's answer: the branch that client
// takes in production. The clients under clients/ are the programs; these are their specs.
// answer = {status, code ('' when none), message (null when no X-Ca-Error-Message), body
// (null when empty, else the parsed vendor JSON), json (content-type contains application/json)}.

const CLASSIC_SAMPLE = [
  [400, 'Invalid AppCode `not exists`', 'invalid_appcode'],
  [400, 'Invalid Url', 'invalid_url'],
  [400, 'Invalid Param Location', 'invalid_param_location'],
  [403, 'Unauthorized', 'unauthorized'],
  [403, 'Quota Exhausted', 'quota_exhausted'],
];

function byMessage(answer, table) {
  for (const [status, message, branch] of table) {
    if (answer.status === status && answer.message === message) return branch;
  }
  return answer.status >= 500 ? 'gateway_error' : 'other_error';
}

export const rules = {
  // The market's Java sample: equals on the message, read unconditionally on any non-200.
  java(answer) {
    if (answer.status === 200) return answer.body?.ok === 1 ? 'ok' : 'other_error';
    if (answer.message === null) return 'crash_header';
    return byMessage(answer, CLASSIC_SAMPLE);
  },
  // Aliyun's PHP demo: knows both the classic and the market's "used up" text.
  php(answer) {
    if (answer.status === 200) return answer.body?.ok === 1 ? 'ok' : 'other_error';
    if (answer.message === null) return answer.body?.ok === 0 ? 'vendor_refused' : 'other_error';
    return byMessage(answer, [
      ...CLASSIC_SAMPLE,
      [403, 'Api Market Subscription quota exhausted', 'quota_exhausted'],
    ]);
  },
  // requests: res.json() before anything else, then the header read on any non-200.
  python(answer) {
    if (answer.body === null) return 'crash_json';
    if (answer.status === 200) return answer.body.ok === 1 ? 'ok' : 'other_error';
    if (answer.message === null) return 'crash_header';
    return byMessage(answer, [CLASSIC_SAMPLE[0], CLASSIC_SAMPLE[4]]);
  },
  // Aliyun's Node SDK style: JSON only when the content type says so; the VPC-era text only.
  node(answer) {
    const body = answer.json ? answer.body : null;
    if (answer.json && body === null) return 'crash_json';
    if (answer.status === 200) return body?.ok === 1 ? 'ok' : 'other_error';
    const branch = byMessage(answer, [
      CLASSIC_SAMPLE[0], CLASSIC_SAMPLE[1], CLASSIC_SAMPLE[3],
      [403, 'Api Market Subscription quota exhausted', 'quota_exhausted'],
    ]);
    if (branch !== 'other_error') return branch;
    return answer.message === null && body?.ok === 0 ? 'vendor_refused' : 'other_error';
  },
  // Go: json.Unmarshal before the status; any X-Ca-Error-Code is a gateway error (Kotlin rule).
  go(answer) {
    if (answer.body === null) return 'crash_json';
    if (answer.code !== '') return 'gateway_error';
    if (answer.status === 200 && answer.body.ok === 1) return 'ok';
    if (answer.status === 666 && answer.body.ok === 0) return 'vendor_refused';
    return 'other_error';
  },
};
