// The first script to run: the build inlines it into the head of index.html (allowed by its hash), so
// the core compiles on the browser's background threads and the demo probe travels while the page
// is still being parsed and laid out; app.js picks both up (kuaidiBoot) when it runs.
(() => {
  // The page is served by kuaidi-mock when its admin API answers: then 演示 is the default. Any
  // other server answers 404 at once; the long timeout only spares a busy mock from being missed.
  async function probeDemo() {
    if (!/^https?:$/.test(location.protocol)) return false;
    try {
      const response = await fetch('/__admin/health', { cache: 'no-store', signal: AbortSignal.timeout(10000) });
      return response.ok;
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
