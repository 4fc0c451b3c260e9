// Packaging step: the built page (index.html with style.css and boot.js already inlined by
// inline_assets.mjs, kuaidi.js, kuaidi.wasm, the ES modules) becomes ONE file that works opened
// from disk (file://), where nothing else can be fetched:
//   - kuaidi.js inlined, then a script giving createKuaidi the wasm bytes (gzip, base64) as wasmBinary;
//   - app.js and the modules it imports as one inline module (bundle.mjs);
//   - the favicon as a data: URL; the manifest and preload links dropped (nothing to fetch);
//   - each new inline script's SHA-256 added to the CSP's script-src, as inline_assets.mjs does.
// Run by scripts/package.sh:
//
//   node web/single_file.mjs BUILT_PAGE_DIR OUT_HTML
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { bundleModules } from './bundle.mjs';

const [pageDir, outPath] = process.argv.slice(2);
const fail = (what) => {
  console.error(`single_file.mjs: ${what}`);
  process.exit(1);
};
if (!outPath) fail('usage: node single_file.mjs BUILT_PAGE_DIR OUT_HTML');
const read = (name) => readFileSync(path.join(pageDir, name), 'utf8');

let html = read('index.html');
const scriptPolicy = "script-src 'self'";
if (html.split(scriptPolicy).length !== 2) fail(`index.html's Content-Security-Policy must say ${scriptPolicy} exactly once`);

const replaceOnce = (tag, replacement) => {
  if (html.split(tag).length !== 2) fail(`index.html must contain ${tag} exactly once`);
  html = html.replace(tag, () => replacement);
};
// An inline script, allowed by its hash; the text must not end the element early.
const inlineScript = (text, type = '') => {
  if (/<\/script|<!--/i.test(text)) fail(`a script to inline contains "</script" or "<!--": ${text.slice(0, 80)}`);
  const hash = createHash('sha256').update(text, 'utf8').digest('base64');
  html = html.replace(scriptPolicy, `${scriptPolicy} 'sha256-${hash}'`);
  return `<script${type ? ` type="${type}"` : ''}>${text}</script>`;
};

// ES modules: the built app.js is already one script (bundle.mjs), which bundling again leaves
// as it is; a page dir of separate modules works too.
let bundled;
try {
  bundled = bundleModules(pageDir);
} catch (error) {
  fail(error.message);
}

// the core: kuaidi.js, then the wasm bytes handed to its factory. They are gzipped before
// base64: base64 hides the wasm's byte patterns from the gzip a server or a mailer applies to the
// file (the raw bytes in base64 gzip to ~1.5× the gzipped bytes in base64), and the browser's own
// DecompressionStream unpacks them while the page is parsed.
const wasm = gzipSync(readFileSync(path.join(pageDir, 'kuaidi.wasm')), { level: 9 }).toString('base64');
const giveBytes = `(() => {
  // No fetch works from file://: the factory gets the module's bytes instead of a URL.
  const create = window.createKuaidi;
  const text = atob('${wasm}');
  const packed = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) packed[i] = text.charCodeAt(i);
  const bytes = new Response(new Blob([packed]).stream().pipeThrough(new DecompressionStream('gzip')))
    .arrayBuffer();
  window.createKuaidi = async (options = {}) => create({ ...options, wasmBinary: new Uint8Array(await bytes) });
})();`;

replaceOnce('<script src="kuaidi.js" defer></script>', inlineScript(read('kuaidi.js')) + '\n' + inlineScript(giveBytes));
replaceOnce('<script type="module" src="app.js"></script>', inlineScript(bundled, 'module'));
html = html.replace(/^<link rel="(?:modulepreload|preload|manifest)"[^>]*>\n/gm, '');
const favicon = `data:image/svg+xml;base64,${readFileSync(path.join(pageDir, 'favicon.svg')).toString('base64')}`;
replaceOnce('<link rel="icon" href="favicon.svg"', `<link rel="icon" href="${favicon}"`);
for (const leftover of ['src="', 'href="kuaidi', 'href="style', '.js"']) {
  const at = html.search(new RegExp(`<(?:script|link)[^>]*${leftover.replace(/[.]/g, '\\.')}`));
  if (at >= 0) fail(`the single file still refers to another file: ${html.slice(at, at + 100)}`);
}

// Written aside and renamed: an interrupted run never leaves half a page.
const temporary = `${outPath}.tmp-${process.pid}`;
writeFileSync(temporary, html);
renameSync(temporary, outPath);
