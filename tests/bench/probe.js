// Benchmark probe: inserted as the first script of a copy of index.html, so it runs before the
// app. It records, relative to navigation start (performance.timeOrigin):
// - marks.dom: the first moment the article holds the whole document (its last paragraph,
//   whose code-point start is given as `?last=N` in the URL, exists);
// - marks.frame: the first task after the next frame that drew it (text laid out and painted,
//   main thread free again: "interactive");
// - every localStorage.setItem call (start, duration, size), every long task, every timer task;
// - the wasm instance, to read the size of its linear memory.
(() => {
  const B = (window.__bench = { marks: {}, sets: [], longtasks: [], wasm: null });
  const last = Number(new URLSearchParams(location.search).get('last'));

  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, value) {
    const start = performance.now();
    try {
      return setItem.call(this, key, value);
    } finally {
      B.sets.push({ key: String(key), chars: String(value).length, start, ms: performance.now() - start });
    }
  };

  // Every timer task (the autosave serializes in one and writes in the next): its delay, when
  // it started and how long it ran.
  B.timers = [];
  const setTimeout = window.setTimeout;
  window.setTimeout = function (fn, delay, ...args) {
    if (typeof fn !== 'function') return setTimeout.call(this, fn, delay, ...args);
    return setTimeout.call(this, function () {
      const start = performance.now();
      try {
        return fn.apply(this, args);
      } finally {
        B.timers.push({ delay: Number(delay) || 0, start, ms: performance.now() - start });
      }
    }, delay);
  };

  for (const name of ['instantiateStreaming', 'instantiate']) {
    const original = WebAssembly[name];
    WebAssembly[name] = async function (...args) {
      const result = await original.apply(this, args);
      B.wasm = result.instance || result;
      B.marks.wasmInstantiated = performance.now();
      return result;
    };
  }
  addEventListener('TrunkApplicationStarted', () => (B.marks.started = performance.now()));

  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) B.longtasks.push({ start: e.startTime, ms: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (_) {}

  const observer = new MutationObserver(() => {
    const paras = document.querySelectorAll('article.doc .para');
    const lastPara = paras[paras.length - 1];
    if (!lastPara || Number(lastPara.dataset.start) !== last) return;
    observer.disconnect();
    B.marks.dom = performance.now();
    B.marks.paragraphs = paras.length;
    requestAnimationFrame(() => {
      B.marks.raf = performance.now();
      const channel = new MessageChannel();
      channel.port1.onmessage = () => (B.marks.frame = performance.now());
      channel.port2.postMessage(0);
    });
  });
  observer.observe(document, { childList: true, subtree: true });
})();
