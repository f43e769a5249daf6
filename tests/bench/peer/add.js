// In-page add benchmark of the peer page, run with WebDriver's executeAsync: arguments[0] is how
// many annotations to add, the last argument the callback. Like tests/bench/ops.js's "add" on
// Spanmark: for each, a word (4+ letters) outside every annotation at a place spread over the
// document (the golden-ratio walk ops.js uses), scrolled into view, on a quiet page (two frames,
// 50 ms, two frames); then timed from just before `addAnnotation` (a W3C annotation with the
// word's TextQuote and TextPosition selectors and a `tagging` body) until recogito's next
// `onRedraw` whose highlight layer shows it (emitted after the frame that drew it, see peer.js).
// `script` is the addAnnotation call alone.
const [wanted, done] = [arguments[0], arguments[arguments.length - 1]];
const P = window.__peer;
const node = P.container.firstChild;
const text = P.text;
const afterFrame = () =>
  new Promise((resolve) =>
    requestAnimationFrame(() => {
      const c = new MessageChannel();
      c.port1.onmessage = () => resolve(performance.now());
      c.port2.postMessage(0);
    }));
const settle = async () => { await afterFrame(); await afterFrame(); };

// Which UTF-16 positions an annotation covers.
const covered = new Uint8Array(text.length);
for (const a of P.anno.state.store.all()) {
  for (const s of a.target.selector) covered.fill(1, s.start, s.end);
}
const word = /(?<![\p{L}\p{N}'’-])\p{L}{4,}(?![\p{L}\p{N}'’-])/gu;
function freeWord(from) {
  for (const start of [from, 0]) {
    word.lastIndex = start;
    let m;
    while ((m = word.exec(text))) {
      const [s, e] = [m.index, m.index + m[0].length];
      if (!covered.subarray(s, e).some((x) => x)) return { start: s, end: e, exact: m[0] };
    }
  }
  return null;
}

(async () => {
  const results = [];
  let failed = 0;
  for (let attempt = 0; results.length < wanted && attempt < wanted * 3; attempt++) {
    const w = freeWord(Math.floor(((attempt * 0.618034) % 1) * text.length));
    if (!w) break;
    covered.fill(1, w.start, w.end);
    const range = document.createRange();
    range.setStart(node, w.start);
    range.setEnd(node, w.end);
    const box = range.getBoundingClientRect();
    scrollBy(0, box.top - innerHeight / 2);
    await settle();
    await new Promise((r) => setTimeout(r, 50));
    await settle();
    const id = `bench-add-${attempt}`;
    const annotation = {
      '@context': 'http://www.w3.org/ns/anno.jsonld',
      type: 'Annotation',
      id,
      body: [{ type: 'TextualBody', purpose: 'tagging', value: 'actor' }],
      target: {
        source: 'spanmark:bench',
        selector: [
          { type: 'TextQuoteSelector', exact: w.exact },
          { type: 'TextPositionSelector', start: w.start, end: w.end },
        ],
      },
    };
    let off;
    const drawn = new Promise((resolve) => {
      const limit = setTimeout(() => resolve(null), 5000);
      off = P.anno.renderer.on('onRedraw', () => {
        if (P.container.querySelector(`.r6o-span-highlight-layer [data-annotation="${id}"]`)) {
          clearTimeout(limit);
          resolve(performance.now());
        }
      });
    });
    const t0 = performance.now();
    P.anno.addAnnotation(annotation);
    const t1 = performance.now();
    const frame = await drawn;
    off();
    if (frame === null) failed++;
    else results.push({ script: t1 - t0, frame: frame - t0 });
  }
  done({ results, failed, annotations: P.anno.getAnnotations().length });
})().catch((e) => done({ error: String((e && e.stack) || e) }));
