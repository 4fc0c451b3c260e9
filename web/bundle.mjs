// The page's ES modules as one script: app.js and what it imports, each once, dependencies first,
// each dependency in its own function scope exposing its exports (so names never collide). The
// build writes it as the served page's app.js (a first visit fetches one script, not twenty
// modules: measured ~40-60 ms sooner ready); single_file.mjs inlines it. Run by web/CMakeLists.txt:
//
//   node web/bundle.mjs WEB_DIR OUT_JS
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// The bundled text, or throws saying which module uses a form this does not bundle.
export function bundleModules(dir, entryName = 'app.js') {
  const modules = [];  // { name, body, exports }
  const moduleVar = (name) => `__kuaidi_${path.basename(name, '.js').replace(/\W/g, '_')}`;
  const bundle = (name, seen) => {
    if (modules.some((m) => m.name === name)) return;
    if (seen.has(name)) throw new Error(`${name} is part of an import cycle`);
    seen.add(name);
    let body = readFileSync(path.join(dir, name), 'utf8');
    // Only the import forms the page uses: named and namespace imports of relative files.
    const importForm = /^import\s+(?:\{([^}]*)\}|\*\s+as\s+(\w+))\s+from\s+'\.\/([\w.-]+)';\s*$/gm;
    body = body.replace(importForm, (_, named, namespace, file) => {
      bundle(file, seen);
      if (namespace) return `const ${namespace} = ${moduleVar(file)};`;
      return `const {${named.replace(/\bas\b/g, ':')}} = ${moduleVar(file)};`;
    });
    if (/^\s*(import|export)\s*[{*'"]|^\s*export\s+default\b/m.test(body)) {
      throw new Error(`${name} uses an import or export form bundle.mjs does not bundle`);
    }
    const exports = [];
    const exportForm = /^export\s+((?:async\s+)?function\*?|const|let|var|class)\s+([\w$]+)/gm;
    body = body.replace(exportForm, (_, kind, id) => {
      exports.push(id);
      return `${kind} ${id}`;
    });
    // An export left over would be a syntax error inside the function scope, found only by a browser.
    if (/^export\s/m.test(body)) throw new Error(`${name} has an export bundle.mjs does not bundle`);
    modules.push({ name, body, exports });
  };
  bundle(entryName, new Set());
  const entry = modules.pop();
  const scoped = ({ name, body, exports }) => `// ---- ${name}\nconst ${moduleVar(name)} = (() => {\n${body}\n`
    + `return { ${exports.join(', ')} };\n})();\n`;
  return modules.map(scoped).join('') + `// ---- ${entry.name}\n${entry.body}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const [dir, outPath] = process.argv.slice(2);
  if (!outPath) {
    console.error('usage: node bundle.mjs WEB_DIR OUT_JS');
    process.exit(1);
  }
  let text;
  try {
    text = bundleModules(dir);
  } catch (error) {
    console.error(`bundle.mjs: ${error.message}`);
    process.exit(1);
  }
  // Written aside and renamed: an interrupted build never leaves half a script.
  const temporary = `${outPath}.tmp-${process.pid}`;
  writeFileSync(temporary, text);
  renameSync(temporary, outPath);
}
