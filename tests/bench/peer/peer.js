// The peer page's script (tests/bench/peer/index.html): reads the document (doc.json: its text
// and its spans as W3C Web Annotations with a TextQuoteSelector, a TextPositionSelector in
// UTF-16 units and a `tagging` TextualBody naming the label), puts the text into #text, creates
// recogito's annotator on it (W3C format adapter, one colour per label, its default SPANS
// renderer) and gives it every annotation with setAnnotations. It records, relative to
// navigation start (performance.timeOrigin), in window.__peer.marks:
// - fetched: doc.json read and parsed;
// - set:     setAnnotations returned (annotations parsed, their DOM ranges found, positions indexed);
// - frame:   recogito's first `onRedraw` after that: it emits it from a 1 ms timer set in the
//            animation-frame callback that drew the highlight layer, so once that frame is over
//            (the first task after the frame that painted the highlights).
// The renderer draws only the highlights in the viewport; window.__peer.check() says how many
// that should be (from each annotation's own DOM range) and how many the layer holds.
(() => {
  const P = (window.__peer = { marks: {} });
  const colours = { actor: '#e6a23c', place: '#3c8ce6', claim: '#9b59b6', denial: '#e64c3c' };
  const style = (a) => {
    const tag = (a.bodies || []).find((b) => b.purpose === 'tagging');
    return { fill: colours[tag && tag.value] || '#888888', fillOpacity: 0.3 };
  };

  // The ids of the highlights the layer shows.
  P.drawn = () =>
    new Set([...P.container.querySelectorAll('.r6o-span-highlight-layer [data-annotation]')].map((e) => e.dataset.annotation));

  // The annotations whose ranges have a box inside the viewport, by the DOM alone.
  P.expected = () => {
    const ids = new Set();
    const [w, h] = [innerWidth, innerHeight];
    for (const a of P.anno.state.store.all()) {
      for (const s of a.target.selector) {
        for (const r of s.range.getClientRects()) {
          if (r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < h && r.right > 0 && r.left < w) ids.add(a.id);
        }
      }
    }
    return ids;
  };

  P.check = () => {
    const drawn = P.drawn();
    const expected = P.expected();
    return {
      annotations: P.anno.getAnnotations().length,
      drawn: drawn.size,
      expected: expected.size,
      missing: [...expected].filter((id) => !drawn.has(id)).length,
      extra: [...drawn].filter((id) => !expected.has(id)).length,
    };
  };

  (async () => {
    const response = await fetch('doc.json', { cache: 'no-store' });
    const doc = await response.json();
    P.marks.fetched = performance.now();
    const container = document.getElementById('text');
    container.textContent = doc.text;
    const anno = RecogitoJS.createTextAnnotator(container, {
      adapter: RecogitoJS.W3CTextFormat('spanmark:bench', container),
      style,
    });
    Object.assign(P, { anno, container, text: doc.text, annotations: doc.annotations });
    let set = false;
    const off = anno.renderer.on('onRedraw', () => {
      if (!set) return;
      off();
      P.marks.frame = performance.now();
    });
    anno.setAnnotations(doc.annotations);
    set = true;
    P.marks.set = performance.now();
  })().catch((e) => (P.error = String((e && e.stack) || e)));
})();
