//! Memory over ten open/close cycles: does switching documents leak?
//!
//! The library holds the generated 1 MiB document with 10,000 spans (`generate(1, 1 << 20,
//! 10_000)`, put into localStorage through [`crate::stored_library`]) and a small one
//! (`generate(2, 16 KiB, 100)`, dropped on the page as a `.spanmark.json` file, the way a person
//! adds one). The app is then loaded afresh on the big document (the probe's `frame` mark), and
//! measured, after three `gc()` calls 100 ms apart (`--js-flags=--expose-gc`): wasm linear
//! memory (`exports.memory.buffer.byteLength` of the instance the probe keeps) and the JS heap
//! (`performance.memory.usedJSHeapSize`, `--enable-precise-memory-info`). Then ten times, through
//! the Documents list (a WebDriver click on the row's button, as tests/e2e/library.rs opens a
//! document): the small document, until its last paragraph is drawn, and the big one again,
//! until its last paragraph is drawn (the first task after the next frame); then the same
//! readings again, and the time of each switch (click → drawn).
//!
//! Writes `target/bench/memory.md`. Nothing is asserted except that the measurement could be
//! made.

use std::fmt::Write as _;
use std::time::Duration;

use fantoccini::{Client, Locator};
use serde_json::{json, Value};

use super::peer::{chromium, last_paragraph, with_browser, write_report};
use super::{fmt_ms, load, percentile, set_storage, sorted, BYTES, SEED, SPANS};
use spanmark_core::layout::paragraphs;
use spanmark_formats::native;
use spanmark_testkit::sample::generate;

const CYCLES: usize = 10;
/// The small document: seed, bytes, spans.
const SMALL: (u64, usize, usize) = (2, 16 * 1024, 100);
/// The growth the target allows, in percent.
const GROWTH: f64 = 10.0;

/// Waits (in the page) until document `id` is the open one and its last paragraph, which
/// starts at code point `last`, is in the article, then for the next frame; returns the time
/// since the click the page recorded (`window.__switchClick`).
const DRAWN: &str = "const [id, last, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
const began = performance.now();
const check = () => {
  const paras = document.querySelectorAll('article.doc .para');
  const lastPara = paras[paras.length - 1];
  const open = document.querySelector(`li.doc-item[data-doc=\"${id}\"] button.doc-open[aria-current=\"page\"]`);
  if (open && lastPara && Number(lastPara.dataset.start) === last) {
    requestAnimationFrame(() => {
      const c = new MessageChannel();
      c.port1.onmessage = () => done({ ms: performance.now() - window.__switchClick, paragraphs: paras.length });
      c.port2.postMessage(0);
    });
  } else if (performance.now() - began > 120000) {
    done({ error: `document ${id} was not drawn within 2 minutes` });
  } else {
    setTimeout(check, 2);
  }
};
check();";

/// Garbage-collects, then reads the JS heap and wasm linear memory. The probe's own records
/// (storage writes, timer and long tasks, which grow with every switch) are emptied first, so
/// that they are not counted as the app's.
const READ: &str = "const done = arguments[arguments.length - 1];
(async () => {
  const B = window.__bench || {};
  for (const list of [B.sets, B.timers, B.longtasks]) if (Array.isArray(list)) list.length = 0;
  for (let i = 0; i < 3; i++) { gc(); await new Promise((r) => setTimeout(r, 100)); }
  const m = performance.memory;
  const w = window.__bench && window.__bench.wasm;
  done({ js: m.usedJSHeapSize, total: m.totalJSHeapSize,
         wasm: w && w.exports && w.exports.memory ? w.exports.memory.buffer.byteLength : null,
         nodes: document.getElementsByTagName('*').length });
})().catch((e) => done({ error: String(e) }));";

async fn read(client: &Client) -> Value {
    // Let the autosave and idle work of the last switch finish first.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let m = client
        .execute_async(READ, vec![])
        .await
        .expect("read memory");
    assert!(
        m.get("error").is_none() && m["wasm"].is_number() && m["js"].is_number(),
        "memory could not be read: {m}"
    );
    m
}

/// Opens document `id` through the Documents list and waits until it is drawn; the time from
/// the click to the frame that drew it.
async fn open(client: &Client, id: &str, last: usize) -> f64 {
    client
        .execute(
            "document.addEventListener('click', () => (window.__switchClick = performance.now()), { capture: true, once: true });",
            vec![],
        )
        .await
        .expect("listen for the click");
    let css = format!("li.doc-item[data-doc=\"{id}\"] button.doc-open");
    client
        .find(Locator::Css(&css))
        .await
        .unwrap_or_else(|e| panic!("find {css}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {css}: {e}"));
    let r = client
        .execute_async(DRAWN, vec![json!(id), json!(last)])
        .await
        .expect("wait for the document");
    if let Some(e) = r.get("error") {
        panic!("{e}");
    }
    r["ms"].as_f64().unwrap_or(f64::NAN)
}

fn mib(bytes: f64) -> String {
    format!("{:.1} MiB", bytes / 1_048_576.0)
}

async fn scenario(client: Client, base: String, _served: std::path::PathBuf) -> String {
    let chromium = chromium(&client).await;
    let big = generate(SEED, BYTES, SPANS);
    let big_id = big.document.id.clone();
    let big_last = last_paragraph(&big);
    let (seed, bytes, spans) = SMALL;
    let small = generate(seed, bytes, spans);
    let small_last = last_paragraph(&small);

    // The library: the big document from storage, the small one dropped on the page.
    set_storage(&client, &base, &crate::stored_library(&big)).await;
    load(&client, &base, big_last).await;
    let file = serde_json::to_string(&native::file(&small)).expect("serialize");
    let taken = client
        .execute(
            "const dt = new DataTransfer();
             dt.items.add(new File([arguments[0]], 'small.spanmark.json', { type: 'application/json' }));
             document.body.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt }));
             const drop = new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt });
             document.body.dispatchEvent(drop);
             return drop.defaultPrevented;",
            vec![json!(file)],
        )
        .await
        .expect("drop the small document");
    assert_eq!(taken, json!(true), "the app did not take the dropped file");
    let mut small_id = None;
    for _ in 0..600 {
        let ids = client
            .execute(
                "return [...document.querySelectorAll('li.doc-item')].map(li => li.dataset.doc);",
                vec![],
            )
            .await
            .expect("read the Documents list");
        small_id = ids
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .find(|id| *id != big_id)
            .map(str::to_owned);
        if small_id.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let small_id = small_id.expect("the small document in the Documents list");
    client
        .execute("window.__switchClick = performance.now();", vec![])
        .await
        .expect("mark");
    client
        .execute_async(DRAWN, vec![json!(small_id), json!(small_last)])
        .await
        .expect("the small document opened");
    open(&client, &big_id, big_last).await;

    // A fresh page on the big document, the small one in the library.
    let opened = load(&client, &base, big_last).await;
    let rows = client
        .execute(
            "return document.querySelectorAll('li.doc-item').length;",
            vec![],
        )
        .await
        .expect("count the documents");
    assert_eq!(rows, json!(2), "the library should hold two documents");
    let before = read(&client).await;
    let mut to_small = Vec::new();
    let mut to_big = Vec::new();
    let mut wasm = Vec::new();
    for i in 0..CYCLES {
        to_small.push(open(&client, &small_id, small_last).await);
        to_big.push(open(&client, &big_id, big_last).await);
        wasm.push(
            client
                .execute(
                    "return window.__bench.wasm.exports.memory.buffer.byteLength;",
                    vec![],
                )
                .await
                .expect("read wasm memory")
                .as_f64()
                .unwrap_or(f64::NAN),
        );
        eprintln!(
            "cycle {}: small {:.0} ms, big {:.0} ms",
            i + 1,
            to_small[i],
            to_big[i]
        );
    }
    let after = read(&client).await;

    let mut out = String::new();
    let _ = writeln!(
        out,
        "The app (release build) in headless {chromium} (`--headless=new`, `--enable-precise-memory-info`, `--js-flags=--expose-gc`), \
         opened afresh on the generated document (`generate({SEED}, {BYTES}, {SPANS})`: {} bytes, {} paragraphs, {} spans, from localStorage; first frame after {}) \
         with a small second document in the library (`generate({seed}, {bytes}, {spans})`: {} bytes, {} spans, added by dropping it as a file). \
         Then {CYCLES} cycles through the Documents list (a click on the row): the small document until it is drawn, the big one until it is drawn again. \
         Each reading after three `gc()` calls 100 ms apart, 1 s after the last switch.\n",
        big.document.text.len(),
        paragraphs(&big.document.text).len(),
        big.spans().len(),
        fmt_ms(opened.frame),
        small.document.text.len(),
        small.spans().len(),
    );
    let _ = writeln!(
        out,
        "| measure | after opening | after {CYCLES} cycles | growth | no growth beyond {GROWTH:.0} % |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---|");
    for (what, key) in [
        ("wasm linear memory (`memory.buffer.byteLength`)", "wasm"),
        ("JS heap used (`usedJSHeapSize`, after `gc()`)", "js"),
    ] {
        let (b, a) = (
            before[key].as_f64().unwrap_or(f64::NAN),
            after[key].as_f64().unwrap_or(f64::NAN),
        );
        let growth = (a - b) / b * 100.0;
        let _ = writeln!(
            out,
            "| {what} | {} | {} | {:+.1} % | {} |",
            mib(b),
            mib(a),
            growth,
            super::verdict(growth, GROWTH, "percentage points")
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Wasm linear memory never shrinks: it only grows (`memory.grow`) and is never given back while the page lives, so its figure is the high-water mark of the wasm heap, not what is in use; \
         a figure that stays put means the allocator reused freed memory. The JS heap figure is what is live after a full collection.\n"
    );
    let _ = writeln!(
        out,
        "- Wasm linear memory after each cycle (read at once, no collection): {}.",
        wasm.iter()
            .map(|b| format!("{:.1}", b / 1_048_576.0))
            .collect::<Vec<_>>()
            .join(", ")
            + " MiB"
    );
    let (s, b) = (sorted(to_small.clone()), sorted(to_big.clone()));
    let _ = writeln!(
        out,
        "- Switch times (click → the first task after the frame that drew the document's last paragraph), median / max: to the small document {} / {}, to the big one {} / {}.",
        fmt_ms(percentile(&s, 50.0)),
        fmt_ms(s.last().copied().unwrap_or(f64::NAN)),
        fmt_ms(percentile(&b, 50.0)),
        fmt_ms(b.last().copied().unwrap_or(f64::NAN)),
    );
    let _ = writeln!(
        out,
        "- JS heap total (allocated): {} → {}; elements in the page: {} → {}.\n",
        mib(before["total"].as_f64().unwrap_or(f64::NAN)),
        mib(after["total"].as_f64().unwrap_or(f64::NAN)),
        before["nodes"],
        after["nodes"]
    );
    out
}

#[test]
#[ignore = "a benchmark: run with `make bench` (cargo test --test e2e bench:: -- --ignored --nocapture)"]
fn memory_over_ten_document_switches() {
    let report = with_browser(
        &["--enable-precise-memory-info", "--js-flags=--expose-gc"],
        scenario,
    );
    write_report("memory.md", &report);
}
