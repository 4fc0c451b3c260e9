// Offline once loaded: the page's own files, network first (a rebuilt page is never hidden behind a
// stale copy), the cached copy when the network is gone. API calls and the mock's admin API are
// never touched: they go straight to the network, uncached.
const CACHE = 'kuaidi-page-v1';
// (style.css and boot.js are inlined into index.html by the build, the modules bundled into app.js.)
const PAGE_FILES = ['./', 'index.html', 'app.js', 'kuaidi.js', 'kuaidi.wasm', 'favicon.svg',
  'manifest.webmanifest'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PAGE_FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

const scope = new URL(self.registration.scope);
const pagePaths = new Set(PAGE_FILES.map((f) => new URL(f, scope).pathname));

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== scope.origin || !pagePaths.has(url.pathname)) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const response = await fetch(event.request, { cache: 'no-cache' });
      if (response.ok) await cache.put(url.pathname, response.clone());
      return response;
    } catch (error) {
      const cached = await cache.match(url.pathname);
      if (cached) return cached;
      throw error;
    }
  })());
});
