// The first script to run: the build inlines it into the head of index.html (allowed by its hash), so
// the core compiles on the browser's background threads and the demo probe travels while the page
// is still being parsed and laid out; app.js picks both up (kuaidiBoot) when it runs.
(() => {
  // Is the page served by kuaidi-mock? Then 演示 calls it; elsewhere (any static server, a sub-path,
  // file://) the page's own simulator answers. The address is relative, so a page under a sub-path
  // asks its own folder. Any other server answers 404 (or not its health JSON) at once; the long
  // timeout only spares a busy mock from being missed.
  async function probeDemo() {
    if (!/^https?:$/.test(location.protocol)) return false;
    try {
      const response = await fetch('__admin/health', { cache: 'no-store', signal: AbortSignal.timeout(10000) });
      if (!response.ok) return false;
      const health = await response.json();
      return health?.status === 'ok' && typeof health.gateway === 'string';
    } catch {
      return false;
    }
  }

  // A compiled module, or null: app.js then lets kuaidi.js fetch and compile the file itself.
  function compileCore() {
    if (typeof WebAssembly.compileStreaming !== 'function') return Promise.resolve(null);
    return WebAssembly.compileStreaming(fetch('kuaidi.wasm', { credentials: 'same-origin' })).catch(() => null);
  }

  let started;
  window.kuaidiBoot = () => (started ??= { wasm: compileCore(), demo: probeDemo() });
  window.kuaidiBoot();
})();
