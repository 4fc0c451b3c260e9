// Packaging step: the built page (index.html with style.css and boot.js already inlined by
// inline_assets.mjs, kuaidi.js, kuaidi.wasm, the ES modules) becomes ONE file that works opened
// from disk (file://), where nothing else can be fetched:
//   - kuaidi.js inlined, then a script giving createKuaidi the wasm bytes (base64) as wasmBinary;
//   - app.js and the modules it imports bundled in dependency order into one inline module, each
//     dependency in its own function scope exposing its exports (so names never collide);
//   - the favicon as a data: URL; the manifest and preload links dropped (nothing to fetch);
//   - each new inline script's SHA-256 added to the CSP's script-src, as inline_assets.mjs does.
// Run by scripts/package.sh:
//
//   node web/single_file.mjs BUILT_PAGE_DIR OUT_HTML
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

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

// ---- ES modules: app.js and what it imports, each once, dependencies first.
const modules = [];  // { name, body, exports }
const moduleVar = (name) => `__kuaidi_${path.basename(name, '.js').replace(/\W/g, '_')}`;
function bundle(name, seen = new Set()) {
  if (modules.some((m) => m.name === name)) return;
  if (seen.has(name)) fail(`${name} is part of an import cycle`);
  seen.add(name);
  let body = read(name);
  // Only the import forms the page uses: named and namespace imports of relative files.
  body = body.replace(/^import\s+(?:\{([^}]*)\}|\*\s+as\s+(\w+))\s+from\s+'\.\/([\w.-]+)';\s*$/gm, (_, named, namespace, file) => {
    bundle(file, seen);
    if (namespace) return `const ${namespace} = ${moduleVar(file)};`;
    return `const {${named.replace(/\bas\b/g, ':')}} = ${moduleVar(file)};`;
  });
  if (/^\s*(import|export)\s*[{*'"]|^\s*export\s+default\b/m.test(body)) fail(`${name} uses an import or export form single_file.mjs does not bundle`);
  const exports = [];
  body = body.replace(/^export\s+((?:async\s+)?function\*?|const|let|var|class)\s+([\w$]+)/gm, (_, kind, id) => {
    exports.push(id);
    return `${kind} ${id}`;
  });
  // An export left over would be a syntax error inside the function scope, found only by a browser.
  if (/^export\s/m.test(body)) fail(`${name} has an export single_file.mjs does not bundle`);
  modules.push({ name, body, exports });
}
bundle('app.js');
const entry = modules.pop();
const bundled = modules.map(({ name, body, exports }) =>
  `// ---- ${name}\nconst ${moduleVar(name)} = (() => {\n${body}\nreturn { ${exports.join(', ')} };\n})();\n`).join('') +
  `// ---- ${entry.name}\n${entry.body}`;

// ---- the core: kuaidi.js, then the wasm bytes handed to its factory.
const wasm = readFileSync(path.join(pageDir, 'kuaidi.wasm')).toString('base64');
const giveBytes = `(() => {
  // No fetch works from file://: the factory gets the module's bytes instead of a URL.
  const create = window.createKuaidi;
  const text = atob('${wasm}');
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i);
  window.createKuaidi = (options = {}) => create({ ...options, wasmBinary: bytes });
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
