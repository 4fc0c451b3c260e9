// Call samples for the current query, each runnable as shown. The AppCode is written in only when
// the person asks for it; otherwise every sample reads it from the environment (KUAIDI_APPCODE),
// or, in the browser, asks for it.
//
// request: {url, headers: [[name, value]…] without Authorization, appcode: string|null (null: not
// revealed), lang: 'zh'|'en'}.

import { state, update } from './state.js';
import { $, t, el, buildUrl, copyText, tabForKey } from './ui.js';
import { ALIYUN_ENDPOINT, DEMO_APPCODE, currentTarget } from './endpoint.js';
import { formParams } from './form.js';

export const SAMPLE_LANGUAGES = [
  { id: 'curl', name: 'curl' },
  { id: 'powershell', name: 'PowerShell' },
  { id: 'python', name: 'Python' },
  { id: 'javascript', name: 'JavaScript (fetch)' },
  { id: 'node', name: 'Node.js' },
  { id: 'php', name: 'PHP' },
  { id: 'java', name: 'Java' },
  { id: 'csharp', name: 'C#' },
  { id: 'go', name: 'Go' },
];

export const APPCODE_ENV = 'KUAIDI_APPCODE';

const shellQuote = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
const psQuote = (s) => `'${String(s).replace(/'/g, "''")}'`;
const cString = (s) => JSON.stringify(String(s));  // valid in Python, JS, Java, C# and Go
const phpString = (s) => `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

const words = {
  zh: {
    curl: '在 Linux / macOS 终端运行；-i 会先打印 HTTP 状态行和响应头。',
    powershell: '在 Windows PowerShell 运行：用 curl.exe（Windows 10 起自带），因为 PowerShell 里的 curl 是 Invoke-WebRequest 的别名。',
    python: '保存为 query.py，运行 python3 query.py（只用标准库）。',
    javascript: '粘贴到浏览器开发者工具的控制台运行（阿里云网关允许跨域）。',
    node: '保存为 query.mjs，运行 node query.mjs（Node.js 18 及以上）。',
    php: '保存为 query.php，运行 php query.php（需要 curl 扩展）。',
    java: '保存为 Query.java，运行 java Query.java（JDK 11 及以上）。',
    csharp: 'dotnet new console -o Query，用本段替换 Query/Program.cs，运行 dotnet run --project Query；或用 Mono：保存为 query.cs，运行 mcs -r:System.Net.Http.dll query.cs && mono query.exe。',
    go: '保存为 query.go，运行 go run query.go。',
    failure: '666（失败，不计费）、403 等状态码也会走到这里',
    prompt: '请输入 AppCode',
  },
  en: {
    curl: 'Run in a Linux / macOS terminal; -i prints the HTTP status line and headers first.',
    powershell: 'Run in Windows PowerShell with curl.exe (built in since Windows 10): in PowerShell, plain curl is an alias of Invoke-WebRequest.',
    python: 'Save as query.py and run python3 query.py (standard library only).',
    javascript: 'Paste into the browser\'s developer console (the Aliyun gateway allows cross-origin calls).',
    node: 'Save as query.mjs and run node query.mjs (Node.js 18 or later).',
    php: 'Save as query.php and run php query.php (needs the curl extension).',
    java: 'Save as Query.java and run java Query.java (JDK 11 or later).',
    csharp: 'dotnet new console -o Query, replace Query/Program.cs with this, run dotnet run --project Query; or with Mono: save as query.cs, run mcs -r:System.Net.Http.dll query.cs && mono query.exe.',
    go: 'Save as query.go and run go run query.go.',
    failure: '666 (failed, not billed), 403 and other statuses arrive here',
    prompt: 'Your AppCode',
  },
};

// The browser and Node.js samples are the same fetch call; only where the AppCode comes from differs.
function fetchSample(appcodeExpression, url, headers) {
  const extra = headers.map(([n, v]) => `    ${cString(n)}: ${cString(v)},\n`).join('');
  return `const appcode = ${appcodeExpression};
const response = await fetch(${cString(url)}, {
  headers: {
    Authorization: "APPCODE " + appcode,
${extra}  },
});
console.log(response.status);
console.log(await response.text());
`;
}

const generators = {
  curl({ url, headers, appcode }) {
    const auth = appcode === null
      ? `"Authorization: APPCODE $${APPCODE_ENV}"`
      : shellQuote(`Authorization: APPCODE ${appcode}`);
    const lines = [`curl -i -sS ${shellQuote(url)}`, `  -H ${auth}`];
    for (const [name, value] of headers) lines.push(`  -H ${shellQuote(`${name}: ${value}`)}`);
    return lines.join(' \\\n');
  },

  // PowerShell expands $env: inside double quotes; everything else is single-quoted (literal).
  powershell({ url, headers, appcode }) {
    const auth = appcode === null
      ? `"Authorization: APPCODE $env:${APPCODE_ENV}"`
      : psQuote(`Authorization: APPCODE ${appcode}`);
    const lines = [`curl.exe -i -sS ${psQuote(url)}`, `  -H ${auth}`];
    for (const [name, value] of headers) lines.push(`  -H ${psQuote(`${name}: ${value}`)}`);
    return lines.join(' `\n');
  },

  python({ url, headers, appcode }, w) {
    const code = appcode === null ? `os.environ[${cString(APPCODE_ENV)}]` : cString(appcode);
    const extra = headers.map(([n, v]) => `    ${cString(n)}: ${cString(v)},\n`).join('');
    return `import os
import urllib.error
import urllib.request

url = ${cString(url)}
appcode = ${code}
request = urllib.request.Request(url, headers={
    "Authorization": "APPCODE " + appcode,
${extra}})
try:
    with urllib.request.urlopen(request, timeout=10) as response:
        status, body = response.status, response.read()
except urllib.error.HTTPError as error:  # ${w.failure}
    status, body = error.code, error.read()
print(status)
print(body.decode("utf-8"))
`;
  },

  javascript({ url, headers, appcode }, w) {
    return fetchSample(appcode === null ? `prompt(${cString(w.prompt)})` : cString(appcode), url, headers);
  },

  node({ url, headers, appcode }) {
    return fetchSample(appcode === null ? `process.env.${APPCODE_ENV}` : cString(appcode), url, headers);
  },

  php({ url, headers, appcode }) {
    const code = appcode === null ? `getenv(${phpString(APPCODE_ENV)})` : phpString(appcode);
    const extra = headers.map(([n, v]) => `    ${phpString(`${n}: ${v}`)},\n`).join('');
    return `<?php
$url = ${phpString(url)};
$appcode = ${code};
$ch = curl_init($url);
curl_setopt($ch, CURLOPT_HTTPHEADER, [
    'Authorization: APPCODE ' . $appcode,
${extra}]);
curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);
curl_setopt($ch, CURLOPT_TIMEOUT, 10);
$body = curl_exec($ch);
if ($body === false) {
    fwrite(STDERR, curl_error($ch) . PHP_EOL);
    exit(1);
}
echo curl_getinfo($ch, CURLINFO_HTTP_CODE), PHP_EOL, $body, PHP_EOL;
curl_close($ch);
`;
  },

  java({ url, headers, appcode }) {
    const code = appcode === null ? `System.getenv(${cString(APPCODE_ENV)})` : cString(appcode);
    const extra = headers.map(([n, v]) => `                .header(${cString(n)}, ${cString(v)})\n`).join('');
    return `import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

public class Query {
    public static void main(String[] args) throws Exception {
        String appcode = ${code};
        HttpRequest request = HttpRequest.newBuilder(URI.create(${cString(url)}))
                .header("Authorization", "APPCODE " + appcode)
${extra}                .GET()
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.println(response.statusCode());
        out.println(response.body());
    }
}
`;
  },

  csharp({ url, headers, appcode }) {
    const code = appcode === null ? `Environment.GetEnvironmentVariable(${cString(APPCODE_ENV)})` : cString(appcode);
    const extra = headers.map(([n, v]) => `            request.Headers.TryAddWithoutValidation(${cString(n)}, ${cString(v)});\n`).join('');
    // A classic, synchronous Main (no top-level statements, no async Main): the same file builds
    // with every .NET and with Mono's mcs; blocking on the call is harmless in a console program.
    return `using System;
using System.Net.Http;
using System.Text;

class Query
{
    static void Main()
    {
        var appcode = ${code};
        using (var client = new HttpClient())
        using (var request = new HttpRequestMessage(HttpMethod.Get, ${cString(url)}))
        {
            request.Headers.TryAddWithoutValidation("Authorization", "APPCODE " + appcode);
${extra}            using (var response = client.SendAsync(request).GetAwaiter().GetResult())
            {
                // The body is UTF-8 JSON whatever Content-Type says.
                var body = Encoding.UTF8.GetString(response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult());
                Console.OutputEncoding = Encoding.UTF8;
                Console.WriteLine((int)response.StatusCode);
                Console.WriteLine(body);
            }
        }
    }
}
`;
  },

  go({ url, headers, appcode }) {
    const code = appcode === null ? `os.Getenv(${cString(APPCODE_ENV)})` : cString(appcode);
    const extra = headers.map(([n, v]) => `\treq.Header.Set(${cString(n)}, ${cString(v)})\n`).join('');
    return `package main

import (
\t"fmt"
\t"io"
\t"net/http"
\t"os"
)

func main() {
\tappcode := ${code}
\treq, err := http.NewRequest("GET", ${cString(url)}, nil)
\tif err != nil {
\t\tpanic(err)
\t}
\treq.Header.Set("Authorization", "APPCODE "+appcode)
${extra}\tresp, err := http.DefaultClient.Do(req)
\tif err != nil {
\t\tfmt.Fprintln(os.Stderr, err)
\t\tos.Exit(1)
\t}
\tdefer resp.Body.Close()
\tbody, err := io.ReadAll(resp.Body)
\tif err != nil {
\t\tpanic(err)
\t}
\tfmt.Println(resp.StatusCode)
\tfmt.Println(string(body))
}
`;
  },
};

// {code, how} for one language.
export function buildSample(language, request) {
  const w = words[request.lang] || words.zh;
  return { code: generators[language](request, w), how: w[language] };
}

// The 调用示例 section: the samples for what the form holds now.

// The number box empty: the placeholder's example number, so the sample still runs.
const SAMPLE_NUMBER = 'JT3084743373888';

function sampleRequest() {
  const target = currentTarget();
  const params = formParams();
  if (!params.kddh) params.kddh = SAMPLE_NUMBER;
  // The real Aliyun address on request (the demo's scenario header means nothing there).
  const real = $('sample-aliyun').checked;
  const url = buildUrl(real ? ALIYUN_ENDPOINT : target.url || ALIYUN_ENDPOINT, params);
  // The demo's stand-in AppCode is no secret; a typed one is written in only when asked.
  let appcode = null;
  if (target.typedAppcode && state.revealInSamples) appcode = target.typedAppcode;
  else if (!target.typedAppcode && state.endpoint === 'demo' && state.demoServer && !real) {
    appcode = DEMO_APPCODE;
  }
  return { url, headers: real ? [] : target.headers, appcode, lang: state.lang };
}

export function renderSamples() {
  const tabs = $('sample-tabs');
  if (!tabs.childElementCount) {
    for (const language of SAMPLE_LANGUAGES) {
      const tab = el('button', {
        type: 'button',
        role: 'tab',
        id: `tab-${language.id}`,
        'aria-controls': 'sample-panel',
        dataset: { language: language.id },
        text: language.name,
      });
      tab.addEventListener('click', () => update({ sampleLanguage: language.id }));
      tabs.append(tab);
    }
    tabs.addEventListener('keydown', (event) => {
      const order = SAMPLE_LANGUAGES.map((l) => l.id);
      const index = tabForKey(event.key, order.indexOf(state.sampleLanguage), order.length);
      if (index === null) return;
      event.preventDefault();
      update({ sampleLanguage: order[index] });
      $(`tab-${state.sampleLanguage}`).focus();
    });
  }
  for (const tab of tabs.children) {
    const selected = tab.dataset.language === state.sampleLanguage;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
  }
  $('sample-panel').setAttribute('aria-labelledby', `tab-${state.sampleLanguage}`);
  const sample = buildSample(state.sampleLanguage, sampleRequest());
  $('sample-placeholder').hidden = Boolean($('kddh').value.trim());
  $('sample-placeholder').textContent = t('samples.placeholder', { number: SAMPLE_NUMBER });
  $('sample-code').textContent = sample.code;
  $('sample-how').textContent = `${t('samples.how')}${sample.how}`;
}

export function initSamples() {
  $('sample-reveal').checked = false;
  $('sample-reveal').addEventListener('change',
    () => update({ revealInSamples: $('sample-reveal').checked }));
  $('sample-aliyun').addEventListener('change', () => update({ samples: true }));
  $('sample-copy').addEventListener('click', () => copyText($('sample-code').textContent, $('sample-copy')));
}
