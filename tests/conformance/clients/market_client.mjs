// Plays Aliyun's Node.js API-gateway SDK: a lower-case `authorization` header, the body parsed
// as JSON only when content-type contains application/json (else text), then the branch on
// x-ca-error-message. Raw `http`, as the SDK's own HTTP layer is.
// Usage: node market_client.mjs <base-url> <appcode|-> <path?query> ["Name: value" ...]
import http from 'node:http';

const [base, appcode, pathAndQuery, ...extra] = process.argv.slice(2);
const headers = {};
if (appcode !== '-') headers.authorization = `APPCODE ${appcode}`;
for (const line of extra) {
  const colon = line.indexOf(':');
  headers[line.slice(0, colon)] = line.slice(colon + 1).trim();
}

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

http.get(base + pathAndQuery, { headers }, (res) => {
  const chunks = [];
  res.on('data', (chunk) => chunks.push(chunk));
  res.on('end', () => {
    console.log(`BRANCH ${branch(res.statusCode, res.headers, Buffer.concat(chunks).toString('utf8'))}`);
  });
}).on('error', (e) => console.log(`BRANCH transport_error ${e.code || e.message}`));
