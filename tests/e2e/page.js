// In-page helpers for the end-to-end suite. This file is prepended to every script the
// suite executes, so `E2E` is always available (a reload wipes page globals).
//
// Offsets are Unicode code points, like the app's data model. The DOM contract they rely on:
// every character of the document is inside a `.run[data-start=N]` (N = the run's start offset),
// spans are `mark[data-span]` pieces wrapping runs, chips are `.chip` elements outside runs.
const E2E = (() => {
  const runs = () => Array.from(document.querySelectorAll('article.doc .run'));

  const cpLen = (s) => {
    let n = 0;
    for (const _ of s) n++;
    return n;
  };

  // UTF-16 index of the `cp`-th code point of `s` (cp may equal the length).
  const u16At = (s, cp) => {
    let i = 0;
    for (let n = 0; n < cp; n++) {
      if (i >= s.length) return null;
      i += s.codePointAt(i) > 0xffff ? 2 : 1;
    }
    return i;
  };

  // Text nodes of a run, in order, leaving out anything inside a chip.
  const textNodes = (el) => {
    const out = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (n.parentElement.closest('.chip') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    while (walker.nextNode()) out.push(walker.currentNode);
    return out;
  };
  const runText = (run) => textNodes(run).map((t) => t.data).join('');

  // Code-point offset -> DOM boundary {node, offset}. A boundary between two runs belongs to
  // the following run, or with `backward` to the preceding one (so an end offset stays
  // inside the text it ends).
  const locate = (cp, backward) => {
    for (const run of runs()) {
      let pos = Number(run.dataset.start);
      for (const t of textNodes(run)) {
        const len = cpLen(t.data);
        if (backward ? cp > pos && cp <= pos + len : cp >= pos && cp < pos + len) {
          return { node: t, offset: u16At(t.data, cp - pos) };
        }
        pos += len;
      }
    }
    return null;
  };

  // DOM boundary -> code-point offset (null when it is not inside the document text).
  const offsetOf = (node, offset) => {
    if (!node) return null;
    if (node.nodeType !== Node.TEXT_NODE) {
      // Descend to the nearest text boundary.
      const kids = node.childNodes;
      if (offset < kids.length) {
        const first = kids[offset].nodeType === Node.TEXT_NODE ? kids[offset] : textNodes(kids[offset])[0];
        return first ? offsetOf(first, 0) : null;
      }
      if (offset > 0) {
        const prev = kids[offset - 1];
        const last = prev.nodeType === Node.TEXT_NODE ? prev : textNodes(prev).pop();
        return last ? offsetOf(last, last.data.length) : null;
      }
      return null;
    }
    const run = node.parentElement && node.parentElement.closest('article.doc .run');
    if (!run || node.parentElement.closest('.chip')) return null;
    let pos = Number(run.dataset.start);
    for (const t of textNodes(run)) {
      if (t === node) return pos + cpLen(t.data.slice(0, offset));
      pos += cpLen(t.data);
    }
    return null;
  };

  // The grapheme cluster of text node `node` that contains UTF-16 index `i`, as [start, end).
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const graphemeAt = (node, i) => {
    for (const seg of segmenter.segment(node.data)) {
      if (i >= seg.index && i < seg.index + seg.segment.length) return [seg.index, seg.index + seg.segment.length];
    }
    return [i, i + 1];
  };

  // Client rect of the grapheme starting at cp (or, with `backward`, ending at cp).
  const graphemeRect = (cp, backward) => {
    const loc = locate(cp, backward);
    if (!loc) throw new Error(`offset ${cp} is not inside the document text`);
    const [a, b] = graphemeAt(loc.node, backward ? loc.offset - 1 : loc.offset);
    const range = document.createRange();
    range.setStart(loc.node, a);
    range.setEnd(loc.node, b);
    const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0 && r.height > 0);
    return { node: loc.node, rect: rects.length ? rects[backward ? rects.length - 1 : 0] : range.getBoundingClientRect() };
  };

  const caretOffsetAt = (x, y) => {
    const r = document.caretRangeFromPoint(x, y);
    return r ? offsetOf(r.startContainer, r.startOffset) : null;
  };

  const inViewport = (p) => p.x >= 0 && p.y >= 0 && p.x < window.innerWidth && p.y < window.innerHeight;

  // Is the point on screen and not covered by something else (e.g. a sticky toolbar)?
  const reachable = (x, y) => {
    if (!inViewport({ x, y })) return false;
    const hit = document.elementFromPoint(x, y);
    return !!hit && !!hit.closest('article.doc');
  };

  // Scrolls the grapheme at cp to the middle of the screen unless it is already reachable.
  const scrollToOffset = (cp) => {
    const { node, rect } = graphemeRect(cp, false);
    if (!reachable(rect.left + rect.width / 2, rect.top + rect.height / 2)) {
      node.parentElement.scrollIntoView({ block: 'center', inline: 'nearest', behavior: 'instant' });
    }
  };

  // A viewport point where pressing the mouse puts the caret exactly at `cp`: inside the
  // grapheme starting at cp (or ending at cp, for an end), as close as possible to the edge
  // that the caret should land on. Whole-pixel positions inside the glyph are tried from both
  // edges inwards and checked with caretRangeFromPoint; trying both edges makes this work for
  // right-to-left text too, where the logical start of a word is its right edge.
  const boundaryPoint = (cp, isEnd) => {
    const { rect } = graphemeRect(cp, isEnd);
    const y = Math.round(rect.top + rect.height / 2);
    const xs = [];
    for (let x = Math.floor(rect.left) + 1; x < rect.right; x++) xs.push(x);
    const candidates = [];
    while (xs.length) {
      candidates.push(isEnd ? xs.pop() : xs.shift());
      if (xs.length) candidates.push(isEnd ? xs.shift() : xs.pop());
    }
    for (const x of candidates) {
      if (caretOffsetAt(x, y) === cp) return { x, y, verified: true };
    }
    return { x: candidates[0], y, verified: false, caret: caretOffsetAt(candidates[0], y), rect: rect.toJSON() };
  };

  // The points for a drag that selects [start, end), after scrolling the start into view.
  const dragPoints = (start, end) => {
    scrollToOffset(start);
    const from = boundaryPoint(start, false);
    const to = boundaryPoint(end, true);
    return { from, to, visible: reachable(from.x, from.y) && reachable(to.x, to.y) };
  };

  // The centre of the grapheme at cp, after scrolling it into view.
  const centerPoint = (cp) => {
    scrollToOffset(cp);
    const { rect } = graphemeRect(cp, false);
    const p = { x: Math.round(rect.left + rect.width / 2), y: Math.round(rect.top + rect.height / 2) };
    return { ...p, visible: reachable(p.x, p.y), caret: caretOffsetAt(p.x, p.y) };
  };

  // The browser's current text selection in code points, or null.
  const selection = () => {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const r = sel.getRangeAt(0);
    return { start: offsetOf(r.startContainer, r.startOffset), end: offsetOf(r.endContainer, r.endOffset), text: sel.toString() };
  };

  const docText = () => runs().map(runText).join('');

  // Every span as rendered: its pieces (mark[data-span]) gathered by id, the runs they wrap
  // giving its offsets and text, plus chips, selection state and visibility.
  const spans = () => {
    const byId = new Map();
    for (const m of document.querySelectorAll('article.doc mark[data-span]')) {
      const id = m.dataset.span;
      if (!byId.has(id)) byId.set(id, { id, labels: new Set(), pieces: [] });
      byId.get(id).labels.add(m.dataset.label);
      byId.get(id).pieces.push(m);
    }
    const chips = Array.from(document.querySelectorAll('article.doc .chip'));
    return Array.from(byId.values()).map((s) => {
      const inside = new Set();
      for (const p of s.pieces) for (const r of p.querySelectorAll('.run')) inside.add(r);
      const sorted = Array.from(inside).sort((a, b) => Number(a.dataset.start) - Number(b.dataset.start));
      let text = '';
      let start = null;
      let end = null;
      let contiguous = true;
      for (const r of sorted) {
        const st = Number(r.dataset.start);
        const t = runText(r);
        if (start === null) start = st;
        else if (st !== end) contiguous = false;
        text += t;
        end = st + cpLen(t);
      }
      return {
        id: s.id,
        labels: Array.from(s.labels),
        start,
        end,
        text,
        contiguous,
        pieces: s.pieces.length,
        selected: s.pieces.every((p) => p.classList.contains('selected')),
        any_selected: s.pieces.some((p) => p.classList.contains('selected')),
        chips: chips.filter((c) => (c.closest('mark[data-span]') || { dataset: {} }).dataset.span === s.id).map((c) => c.textContent.trim()),
        visible: s.pieces.every((p) => p.getClientRects().length > 0),
      };
    });
  };

  // The side panel: per label group its count and entries.
  const panel = () =>
    Array.from(document.querySelectorAll('aside.panel section.group')).map((g) => ({
      label: g.dataset.label,
      count: (g.querySelector('.count') || { textContent: '' }).textContent.trim(),
      entries: Array.from(g.querySelectorAll('button.entry')).map((b) => ({ span: b.dataset.span, text: b.textContent })),
    }));

  // Storage, layout version 3: an index naming the open document; per document, its text
  // under a key of its own, and under the document's key the text's key on the first line,
  // then the native file with an empty text.
  const INDEX_KEY = 'spanmark:v3:index';
  const DOC_PREFIX = 'spanmark:v3:doc:';
  const parse = (raw) => {
    try {
      return JSON.parse(raw);
    } catch (e) {
      return null;
    }
  };
  // A stored document as a whole native file (its text and each span's put back), or null.
  const parseDoc = (raw) => {
    const nl = (raw || '').indexOf('\n');
    if (nl < 0) return null;
    const d = parse(raw.slice(nl + 1));
    const text = localStorage.getItem(raw.slice(0, nl));
    if (!d || !d.document || text === null) return null;
    d.document.text = text;
    const points = Array.from(text);
    for (const s of d.spans || []) s.text = points.slice(s.start, s.end).join('');
    return d;
  };
  // Stores `d`, a whole native file of document `id` with the text already stored, as the
  // app does.
  const writeDoc = (id, d) => {
    const raw = localStorage.getItem(DOC_PREFIX + id);
    const textKey = raw.slice(0, raw.indexOf('\n'));
    const apart = { ...d, document: { ...d.document, text: '' }, spans: d.spans.map((s) => ({ ...s, text: '' })) };
    localStorage.setItem(DOC_PREFIX + id, textKey + '\n' + JSON.stringify(apart));
  };
  const index = () => parse(localStorage.getItem(INDEX_KEY) || 'null');
  // The storage key of the document the index says is open (null when it names none).
  const docKey = () => {
    const i = index();
    return i && i.current ? DOC_PREFIX + i.current : null;
  };
  // The open document as stored: parsed, or null when nothing (readable) is stored.
  const storedDoc = () => {
    const k = docKey();
    return k ? parseDoc(localStorage.getItem(k)) : null;
  };
  // The stored document with id `id` (parsed), or null.
  const storedDocById = (id) => parseDoc(localStorage.getItem(DOC_PREFIX + id));

  // The library list as rendered.
  const library = () =>
    Array.from(document.querySelectorAll('nav.library li.doc-item')).map((li) => {
      const open = li.querySelector('button.doc-open');
      return {
        id: li.dataset.doc,
        name: open ? open.querySelector('.doc-name').textContent : null,
        count: open ? open.querySelector('.doc-count').textContent.trim() : null,
        current: li.classList.contains('current'),
        aria_current: open ? open.getAttribute('aria-current') : null,
        renaming: !!li.querySelector('input.doc-rename-field'),
      };
    });

  // An alert's words, without its Details (shown apart, behind a disclosure).
  const alerts = () =>
    Array.from(document.querySelectorAll('[role="alert"]'))
      .map((a) => {
        const words = a.cloneNode(true);
        words.querySelectorAll('.alert-details').forEach((d) => d.remove());
        return words.textContent.trim();
      })
      .filter((t) => t.length > 0);

  // The Details of the alerts on show.
  const alertDetails = () =>
    Array.from(document.querySelectorAll('.alert .alert-details-text')).map((d) => d.textContent.trim());

  // Selects code points [start, end) of the document as a touch selection leaves it (a long
  // press and the handles end in a DOM selection); whether it could.
  const selectOffsets = (start, end) => {
    const from = locate(start, false);
    const to = locate(end, true);
    if (!from || !to) return false;
    from.node.parentElement.scrollIntoView({ block: 'center' });
    document.getSelection().setBaseAndExtent(from.node, from.offset, to.node, to.offset);
    return true;
  };

  return {
    selectOffsets,
    cpLen, docText, spans, panel, alerts, alertDetails, selection, dragPoints, centerPoint,
    INDEX_KEY, DOC_PREFIX, index, docKey, storedDoc, storedDocById, writeDoc, library,
  };
})();
