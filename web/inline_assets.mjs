// Build step: writes the page's index.html with style.css and boot.js inlined, each one's SHA-256
// added to its Content-Security-Policy directive, so those exact elements are allowed and any other
// inline style or script still is not. A first visit then paints without waiting for a second file,
// and the WebAssembly compile and the demo probe start while the page is still being parsed
// (measured on localhost, ready sooner by ~30-60 ms for the stylesheet, ~35 ms for the boot
// script). Run by web/CMakeLists.txt:
//
//   node web/inline_assets.mjs web/index.html web/style.css web/boot.js OUT/index.html
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

const [htmlPath, cssPath, bootPath, outPath] = process.argv.slice(2);
const fail = (what) => {
  console.error(`inline_assets.mjs: ${what}`);
  process.exit(1);
};
if (!outPath) fail('usage: node inline_assets.mjs INDEX_HTML STYLE_CSS BOOT_JS OUT_HTML');

// Each asset: the tag that names it in index.html, the policy it falls under, and the element that
// replaces the tag. The hash covers the element's text exactly as written between its tags.
const assets = [
  { path: cssPath, tag: '<link rel="stylesheet" href="style.css">', policy: "style-src 'self'", element: 'style' },
  { path: bootPath, tag: '<script src="boot.js" defer></script>', policy: "script-src 'self'", element: 'script' },
];
let html = readFileSync(htmlPath, 'utf8');
for (const { path, tag, policy, element } of assets) {
  const text = readFileSync(path, 'utf8');
  if (html.split(tag).length !== 2) fail(`${htmlPath} must name ${path} exactly once, as ${tag}`);
  if (html.split(policy).length !== 2) fail(`${htmlPath}'s Content-Security-Policy must say ${policy} exactly once`);
  // Either would end the element early (or, for a script, change how the parser reads it).
  if (new RegExp(`</${element}|<!--|<script`, 'i').test(text)) fail(`${path} contains "</${element}", "<!--" or "<script", which an inlined ${element} cannot hold`);
  const hash = createHash('sha256').update(text, 'utf8').digest('base64');
  html = html.replace(policy, `${policy} 'sha256-${hash}'`).replace(tag, () => `<${element}>${text}</${element}>`);
}

// Written aside and renamed: an interrupted build never leaves half a page.
const temporary = `${outPath}.tmp-${process.pid}`;
writeFileSync(temporary, html);
renameSync(temporary, outPath);
