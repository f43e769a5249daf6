// Spanmark's service worker: the app works offline after the first visit.
//
// On install it caches the release: the page (`./`) and every file the page names (the
// wasm, its loader, the stylesheet, the manifest and icons). Afterwards the page and those
// files are served from the cache, so a reload without the network shows the app and the
// library (which lives in localStorage). In the background it fetches the page again; when the
// page on the server differs (a new release), the new release is cached whole and the open
// pages are told, so that they offer "A new version is ready — Reload". Nothing reloads by
// itself. The team server (`/couchdb/`) and anything else is never cached: it goes to the
// network as usual.
//
// The codec worker (every file format but Spanmark's own; the page names it by a
// `<meta name="spanmark-codecs">`, not as a file) is not part of the first visit: it is cached
// when the page first asks for it (the first Open, Download or Compare), and on any later visit
// served from the cache it is fetched in the background, so that it is there offline from then on.

const CACHE = 'spanmark-release';
// The page as it was served to open pages (text), and the newest one cached.
let served = null;
let latest = null;

// The same-origin files a page names: paths ending in a release file's extension, quoted or
// (in the minified page) an attribute's bare value.
function filesOf(page) {
  const found = new Set();
  for (const m of page.matchAll(/["'=](\/?[A-Za-z0-9_./-]+\.(?:js|wasm|css|webmanifest|png|svg))(?=["'\s>])/g)) {
    const url = new URL(m[1], self.registration.scope);
    if (url.origin === self.location.origin && !url.pathname.endsWith('/sw.js')) {
      found.add(url.pathname);
    }
  }
  return [...found];
}

// The codec worker's files of the release whose page is `page`: its stem
// (`spanmark-codecs-<hash>`) with each suffix. None for a page that names no worker.
const CODECS = /spanmark-codecs-[0-9a-f]{16}/;
function codecFilesOf(page) {
  const stem = page.match(CODECS);
  return stem ? ['_worker.js', '.js', '_bg.wasm'].map((suffix) => `/${stem[0]}${suffix}`) : [];
}

// Caches the codec worker of the cached release if it is not cached yet, and drops the
// workers of earlier releases. Offline, it tries again on the next visit.
async function keepCodecs() {
  try {
    const cache = await caches.open(CACHE);
    const cached = await cache.match('./');
    if (!cached) {
      return;
    }
    const files = codecFilesOf(await cached.text());
    for (const request of await cache.keys()) {
      const path = new URL(request.url).pathname;
      if (CODECS.test(path) && !files.includes(path)) {
        await cache.delete(request);
      }
    }
    const missing = [];
    for (const path of files) {
      if (!(await cache.match(path))) {
        missing.push(request(path));
      }
    }
    if (missing.length > 0) {
      await cache.addAll(missing);
    }
  } catch (e) {
    // Offline, or the server is away: the next visit tries again.
  }
}

// A request for a release file. A file named by a hash of its content never changes, so the
// copy the page has just downloaded (the HTTP cache's) is the one: on the first visit the
// worker takes it from there instead of downloading the release a second time. Any other file
// comes from the server.
const HASHED = /-[0-9a-f]{16}(_bg|_worker)?\.(js|wasm|css)$/;
function request(path) {
  return new Request(path, { cache: HASHED.test(path) ? 'default' : 'no-store' });
}

// Fetches the page and its files from the network and caches them, the page last (so that a
// page in the cache always has its files there too). Returns the page's text.
async function cacheRelease() {
  const response = await fetch('./', { cache: 'no-store' });
  if (!response.ok) {
    throw new Error(`the page answered ${response.status}`);
  }
  const page = await response.clone().text();
  const cache = await caches.open(CACHE);
  await cache.addAll(filesOf(page).map(request));
  await cache.put('./', response);
  return page;
}

self.addEventListener('install', (event) => {
  event.waitUntil(cacheRelease().then((page) => {
    latest = page;
    return self.skipWaiting();
  }));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

// Looks for a new release; when there is one, caches it and tells the open pages.
async function refresh() {
  try {
    const response = await fetch('./', { cache: 'no-store' });
    if (!response.ok) {
      return;
    }
    const page = await response.text();
    const cache = await caches.open(CACHE);
    const cached = await cache.match('./');
    if (cached && (await cached.text()) === page) {
      return;
    }
    latest = await cacheRelease();
    await tell();
  } catch (e) {
    // Offline, or the server is away: the cached release stays.
  }
}

// Tells every open page whether a release newer than the one it runs is cached.
async function tell() {
  const ready = latest !== null && served !== null && latest !== served;
  for (const client of await self.clients.matchAll({ type: 'window' })) {
    client.postMessage({ type: ready ? 'update-ready' : 'current' });
  }
}

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'check') {
    event.waitUntil(tell());
  }
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/couchdb/')) {
    return;
  }
  if (request.mode === 'navigate') {
    event.respondWith((async () => {
      const cache = await caches.open(CACHE);
      const cached = await cache.match('./');
      if (!cached) {
        return fetch(request);
      }
      served = await cached.clone().text();
      // A later visit: look for a new release, then keep the codec worker of whichever release
      // is cached.
      event.waitUntil(refresh().then(keepCodecs));
      return cached;
    })());
    return;
  }
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const hit = await cache.match(url.pathname);
    if (hit) {
      return hit;
    }
    const response = await fetch(request);
    // The codec worker, asked for the first time: kept for offline use.
    if (CODECS.test(url.pathname) && response.ok) {
      await cache.put(url.pathname, response.clone());
    }
    return response;
  })());
});
