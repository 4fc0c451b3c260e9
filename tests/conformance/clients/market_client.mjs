// Plays Aliyun's Node.js API-gateway SDK: a lower-case `authorization` header, the body parsed
// as JSON only when content-type contains application/json (else text), then the branch on
// x-ca-error-message. Raw `http`, as the SDK's own HTTP layer is.
// Usage: node market_client.mjs < cases: a call per line, <base-url> TAB <appcode|-> TAB
// <path?query> [TAB "Name: value" ...]; one BRANCH line per call.
import http from 'node:http';
import readline from 'node:readline';

function branch(status, resHeaders, text) {
  const contentType = resHeaders['content-type'] || '';
  let body = text;
  if (contentType.includes('application/json')) {
    try {
      body = JSON.parse(text);
    } catch {
      return 'crash_json';
    }
  }
  if (status === 200) return body && body.ok === 1 ? 'ok' : 'other_error';
  const error = resHeaders['x-ca-error-message'];
  if (status === 400 && error === 'Invalid AppCode `not exists`') return 'invalid_appcode';
  if (status === 400 && error === 'Invalid Url') return 'invalid_url';
  if (status === 403 && error === 'Unauthorized') return 'unauthorized';
  // Written against the current (VPC) gateway: only the market's own text means "used up".
  if (status === 403 && error === 'Api Market Subscription quota exhausted') return 'quota_exhausted';
  if (status >= 500) return 'gateway_error';
  if (error === undefined && body && body.ok === 0) return 'vendor_refused';
  return 'other_error';
}

function call(line) {
  const [base, appcode, pathAndQuery, ...extra] = line.split('\t');
  const headers = {};
  if (appcode !== '-') headers.authorization = `APPCODE ${appcode}`;
  for (const header of extra) {
    const colon = header.indexOf(':');
    headers[header.slice(0, colon)] = header.slice(colon + 1).trim();
  }
  return new Promise((resolve) => {
    http.get(base + pathAndQuery, { headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve(branch(res.statusCode, res.headers, Buffer.concat(chunks).toString('utf8'))));
    }).on('error', (e) => resolve(`transport_error ${e.code || e.message}`));
  });
}

for await (const line of readline.createInterface({ input: process.stdin })) {
  console.log(`BRANCH ${await call(line)}`);
}
