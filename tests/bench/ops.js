// In-page edit benchmark, run with WebDriver's executeAsync: arguments[0] is the operation
// ('add', 'delete' or 'relabel'), arguments[1] how many successful operations to time, the
// last argument the callback. Each operation is driven the way the app receives it from a
// person (a DOM selection + a keydown on the page; a click on a span + a keydown), on a quiet
// page (two frames after the previous one), at a place first scrolled into view, and timed
// from just before the input event:
// - sync:   the input event's listeners (dispatchEvent returning);
// - script: until the task that received the input has finished with all its microtasks
//           (Leptos' reactive updates, DOM patches and autosave run there). Measured as the
//           earlier of a rAF callback and a MessageChannel task registered before the
//           input: both can only run once that task is over;
// - dom:    the first DOM mutation inside the article;
// - frame:  until the next frame has been drawn (rAF, then the task after it);
// The autosave writes after an edit, in two timer tasks of its own: every localStorage write
// made during the run (and in the 600 ms after it) is returned as `writes`, each with the
// duration of the timer task it ran in (0 when it ran in none), and the duration of every
// task of the autosave's 250 ms timer (which serializes the document) as `serializations`.
const [op, wanted, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
const B = window.__bench;
const article = document.querySelector('article.doc');
const afterFrame = () =>
  new Promise((resolve) =>
    requestAnimationFrame(() => {
      const c = new MessageChannel();
      c.port1.onmessage = () => resolve(performance.now());
      c.port2.postMessage(0);
    }));
const settle = async () => { await afterFrame(); await afterFrame(); };
const total = () => Number(document.querySelector('.panel .total')?.textContent || NaN);

async function timed(fire) {
  await settle();
  let dom = null;
  const mo = new MutationObserver(() => { if (dom === null) dom = performance.now(); });
  mo.observe(article, { subtree: true, childList: true, attributes: true, characterData: true });
  let raf = null, msg = null;
  const t0 = performance.now();
  requestAnimationFrame(() => (raf = performance.now()));
  const ended = new Promise((resolve) => {
    const c = new MessageChannel();
    c.port1.onmessage = () => { msg = performance.now(); resolve(); };
    c.port2.postMessage(0);
  });
  fire();
  const t1 = performance.now();
  await ended;
  const frame = await afterFrame();
  mo.disconnect();
  const end = raf !== null && raf < msg ? raf : msg;
  return {
    sync: t1 - t0,
    script: end - t0,
    dom: dom === null ? null : dom - t0,
    frame: frame - t0,
  };
}

const key = (k) => () =>
  document.body.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));

// A word (4+ letters) in a run outside every span, in the paragraph nearest `index`.
function freeWord(paras, index) {
  for (let k = 0; k < paras.length; k++) {
    const p = paras[(index + k) % paras.length];
    for (const run of p.querySelectorAll(':scope > .run')) {
      const node = run.firstChild;
      if (!node || node.nodeType !== Node.TEXT_NODE) continue;
      const m = /(?<![\p{L}\p{N}'’-])\p{L}{4,}(?![\p{L}\p{N}'’-])/u.exec(node.data);
      if (m) return { node, start: m.index, end: m.index + m[0].length };
    }
  }
  return null;
}

// The first span piece in or after the paragraph nearest `index`.
function spanNear(paras, index) {
  for (let k = 0; k < paras.length; k++) {
    const mark = paras[(index + k) % paras.length].querySelector('mark[data-span]');
    if (mark) return mark;
  }
  return null;
}

(async () => {
  const setsStart = B.sets.length;
  const timersStart = B.timers.length;
  const results = [];
  const refused = [];
  const selects = [];
  const selection = getSelection();
  // The floor: one character added to a paragraph on screen by the DOM alone (no app code),
  // until the next frame is drawn: what any edit's frame costs in this browser at least.
  if (op === 'floor') {
    const floor = [];
    for (let i = 0; i < wanted; i++) {
      const paras = article.querySelectorAll('.para');
      paras[Math.floor(((i * 0.618034) % 1) * paras.length)].scrollIntoView({ block: 'center' });
      await settle();
      const run = [...article.querySelectorAll('.run')].find((r) => {
        const b = r.getBoundingClientRect();
        return b.top > 0 && b.bottom < innerHeight && r.firstChild && r.firstChild.nodeType === Node.TEXT_NODE;
      });
      if (!run) continue;
      const node = run.firstChild;
      floor.push(await timed(() => node.appendData('x')));
      node.deleteData(node.length - 1, 1);
    }
    done({ results: floor });
    return;
  }
  for (let attempt = 0; results.length < wanted && attempt < wanted * 3; attempt++) {
    let paras = article.querySelectorAll('.para');
    const index = Math.floor(((attempt * 0.618034) % 1) * paras.length);
    // As a person would: scroll there first, and let the page show it (a long document
    // renders paragraphs as they come near the viewport).
    paras[index].scrollIntoView({ block: 'center' });
    await settle();
    await new Promise((r) => setTimeout(r, 50));
    await settle();
    paras = article.querySelectorAll('.para');
    if (op === 'add') {
      const word = freeWord(paras, index);
      if (!word) break;
      const range = document.createRange();
      range.setStart(word.node, word.start);
      range.setEnd(word.node, word.end);
      selection.removeAllRanges();
      selection.addRange(range);
      const before = total();
      const r = await timed(key('1'));
      (total() === before + 1 ? results : refused).push(r);
    } else {
      selection.removeAllRanges();
      const mark = spanNear(paras, index);
      if (!mark) break;
      const id = mark.dataset.span;
      const label = mark.dataset.label;
      selects.push(await timed(() => mark.click()));
      if (op === 'delete') {
        const r = await timed(key('Delete'));
        (article.querySelector(`[data-span="${id}"]`) === null ? results : refused).push(r);
      } else {
        const k = label === 'place' ? '1' : '2';
        const r = await timed(key(k));
        const now = article.querySelector(`[data-span="${id}"]`)?.dataset.label;
        (now && now !== label ? results : refused).push(r);
      }
    }
  }
  await new Promise((r) => setTimeout(r, 600));
  const timers = B.timers.slice(timersStart);
  const writes = B.sets.slice(setsStart).map((s) => {
    const task = timers.find((t) => t.start <= s.start && s.start <= t.start + t.ms);
    return { key: s.key, chars: s.chars, ms: s.ms, task: task ? task.ms : 0 };
  });
  // The autosave's first task: the timer it sets after an edit (autosave::DELAY, 250 ms)
  // serializes the document.
  const serializations = timers.filter((t) => t.delay === 250).map((t) => t.ms);
  const alert = document.querySelector('[role="alert"]')?.textContent || null;
  done({ results, refused: refused.length, selects, spans: total(), alert, writes, serializations });
})().catch((e) => done({ error: String(e && e.stack || e) }));
