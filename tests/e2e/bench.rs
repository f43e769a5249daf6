//! Browser benchmark: the release build in headless Chromium, measured rather than asserted.
//!
//! `cargo test --test e2e bench:: -- --ignored --nocapture` (`make bench` runs it after a
//! release build). It serves a copy of `dist/` whose index.html starts with a probe script
//! (tests/bench/probe.js), and measures:
//! - the default article on a fresh profile: navigation start → text in the DOM → first frame;
//! - a generated 1 MiB document with 10,000 spans (`spanmark_testkit::sample::generate`) put into
//!   localStorage in the app's storage layout: navigation start → text in the DOM → first frame;
//! - add / delete / relabel through a DOM selection or a click plus a keydown, 100 of each
//!   (tests/bench/ops.js explains each figure);
//! - scrolling the document to its end; localStorage writes; JS heap and wasm memory after load.
//!
//! Runs: `SPANMARK_BENCH_SEED_LOADS` loads of the default article (5) and `SPANMARK_BENCH_LOADS`
//! loads of the generated document (1: one load takes minutes while `native::parse` checks it).
//!
//! It writes the tables to `target/bench/browser.md` and prints them. Nothing is asserted
//! except that the measurement itself could be made.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::wd::TimeoutConfiguration;
use fantoccini::Client;
use serde_json::{json, Value};

use crate::harness::{repo_root, ChromeDriver, StaticServer, TempDir};
use crate::{DOC_PREFIX, INDEX_KEY};
use spanmark_core::layout::paragraphs;

use spanmark_testkit::sample::generate;

mod dashboard;
mod memory;
mod peer;
mod trace;

const PROBE: &str = include_str!("../bench/probe.js");
const OPS: &str = include_str!("../bench/ops.js");

const SEED: u64 = 1;
const BYTES: usize = 1 << 20;
const SPANS: usize = 10_000;
/// Edits of each kind (`SPANMARK_BENCH_OPS` changes it, for a quick run on a slow build).
const OPERATIONS: usize = 100;
/// How long one page load may take before the measurement gives up.
const LOAD_LIMIT: Duration = Duration::from_secs(900);
/// How long one in-page script (100 edits of one kind) may run.
const SCRIPT_LIMIT: Duration = Duration::from_secs(3600);

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Copies `dist` into `to`, with the probe (a file of the same origin, as the page's
/// Content-Security-Policy asks) as the first script of index.html.
fn probed_dist(dist: &Path, to: &Path) {
    for entry in fs::read_dir(dist).expect("read dist") {
        let entry = entry.expect("dist entry");
        if entry.file_type().map(|t| t.is_file()).unwrap_or(false) {
            fs::copy(entry.path(), to.join(entry.file_name())).expect("copy dist file");
        }
    }
    let index = fs::read_to_string(dist.join("index.html")).expect("read index.html");
    fs::write(to.join("bench-probe.js"), PROBE).expect("write the probe");
    // Before the first script (a minified page has no `<head>` tag to put it after).
    let probed = index.replacen(
        "<script",
        "<script src=\"bench-probe.js\"></script><script",
        1,
    );
    assert_ne!(probed, index, "index.html has no script");
    fs::write(to.join("index.html"), probed).expect("write probed index.html");
}

fn ms(v: &Value) -> Option<f64> {
    v.as_f64()
}

fn fmt_ms(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0} ms")
    } else {
        format!("{v:.1} ms")
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    v
}

/// "met (… under)" or "**MISSED** (… over)".
fn verdict(value: f64, target: f64, unit: &str) -> String {
    if value.is_nan() {
        "not measured".into()
    } else if value <= target {
        format!("met ({:.1} {unit} under)", target - value)
    } else {
        format!(
            "**MISSED** ({:.1} {unit} over, {:.1}×)",
            value - target,
            value / target
        )
    }
}

struct Load {
    dom: f64,
    frame: f64,
    started: Option<f64>,
    longest_task: f64,
    paragraphs: u64,
}

/// Navigates to the app and waits until the probe saw the whole document drawn.
async fn load(client: &Client, base: &str, last_para: usize) -> Load {
    let began = Instant::now();
    client
        .goto(&format!("{base}?last={last_para}"))
        .await
        .expect("navigate to the app");
    loop {
        let marks = client
            .execute(
                "const B = window.__bench; return B && B.marks.frame !== undefined ? \
                 { marks: B.marks, longest: Math.max(0, ...B.longtasks.map(t => t.ms)) } : null;",
                vec![],
            )
            .await
            .expect("read the probe");
        if !marks.is_null() {
            let m = &marks["marks"];
            return Load {
                dom: ms(&m["dom"]).unwrap_or(f64::NAN),
                frame: ms(&m["frame"]).unwrap_or(f64::NAN),
                started: ms(&m["started"]),
                longest_task: ms(&marks["longest"]).unwrap_or(0.0),
                paragraphs: m["paragraphs"].as_u64().unwrap_or(0),
            };
        }
        assert!(
            began.elapsed() < LOAD_LIMIT,
            "the document was not drawn within {LOAD_LIMIT:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Replaces localStorage with `entries` from a page of the same origin that is not the app.
async fn set_storage(client: &Client, base: &str, entries: &[(String, String)]) {
    client
        .goto(&format!("{base}no-app-here"))
        .await
        .expect("open a blank page of the origin");
    let entries: Vec<Value> = entries.iter().map(|(k, v)| json!([k, v])).collect();
    client
        .execute(
            "localStorage.clear(); for (const [k, v] of arguments[0]) localStorage.setItem(k, v); return localStorage.length;",
            vec![Value::Array(entries)],
        )
        .await
        .expect("write localStorage");
}

fn load_table(out: &mut String, title: &str, loads: &[Load]) {
    let _ = writeln!(out, "{title}\n");
    let _ = writeln!(
        out,
        "| run | wasm started (app mounted) | text in the DOM | first frame drawn (interactive) | longest task |"
    );
    let _ = writeln!(out, "|---:|---:|---:|---:|---:|");
    for (i, l) in loads.iter().enumerate() {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            i + 1,
            l.started.map_or("–".into(), fmt_ms),
            fmt_ms(l.dom),
            fmt_ms(l.frame),
            fmt_ms(l.longest_task)
        );
    }
    let _ = writeln!(out);
}

fn median_frame(loads: &[Load]) -> f64 {
    percentile(&sorted(loads.iter().map(|l| l.frame).collect()), 50.0)
}

async fn scenario(client: Client, base: String) -> String {
    let operations = env_usize("SPANMARK_BENCH_OPS", OPERATIONS);
    client
        .update_timeouts(TimeoutConfiguration::new(
            Some(SCRIPT_LIMIT),
            Some(LOAD_LIMIT),
            Some(Duration::ZERO),
        ))
        .await
        .expect("set WebDriver timeouts");
    let mut out = String::new();
    let version = client
        .execute("return navigator.userAgent;", vec![])
        .await
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let chromium = version
        .split_whitespace()
        .find(|w| w.starts_with("HeadlessChrome/") || w.starts_with("Chrome/"))
        .unwrap_or("Chromium")
        .to_owned();
    let _ = writeln!(
        out,
        "Measured in headless {chromium} (`--headless=new`, window 1400×1000, `--enable-precise-memory-info`), \
         the page served from 127.0.0.1 without caching. Times are from navigation start \
         (`performance.timeOrigin`).\n"
    );

    // ---- The default article on a fresh profile.
    let article = fs::read_to_string(repo_root().join("assets/default-article.txt"))
        .expect("read the default article");
    let seed_last = paragraphs(&article).last().map_or(0, |p| p.start);
    let mut seed_loads = Vec::new();
    for _ in 0..env_usize("SPANMARK_BENCH_SEED_LOADS", 5) {
        set_storage(&client, &base, &[]).await;
        seed_loads.push(load(&client, &base, seed_last).await);
    }
    let seed = median_frame(&seed_loads);

    // ---- The big document.
    let t = Instant::now();
    let doc = generate(SEED, BYTES, SPANS);
    let entries = crate::stored_library(&doc);
    eprintln!("generated the document in {:.1?}", t.elapsed());
    let stored: usize = entries.iter().map(|(_, v)| v.len()).sum();
    let paras = paragraphs(&doc.document.text);
    let big_last = paras.last().map_or(0, |p| p.start);
    let mut big_loads = Vec::new();
    for i in 0..env_usize("SPANMARK_BENCH_LOADS", 1) {
        set_storage(&client, &base, &entries).await;
        let began = Instant::now();
        big_loads.push(load(&client, &base, big_last).await);
        eprintln!(
            "big document load {} took {:.1?} (wall clock)",
            i + 1,
            began.elapsed()
        );
    }
    let big = median_frame(&big_loads);

    // Heap after load: after a full garbage collection, on the last load's page.
    let memory = client
        .execute(
            "if (window.gc) gc(); const m = performance.memory || {}; const w = window.__bench.wasm; \
             return { used: m.usedJSHeapSize, total: m.totalJSHeapSize, \
                      wasm: w && w.exports && w.exports.memory ? w.exports.memory.buffer.byteLength : null, \
                      nodes: document.getElementsByTagName('*').length, \
                      marks: document.querySelectorAll('article.doc mark').length };",
            vec![],
        )
        .await
        .expect("read memory");

    // ---- Edits.
    let mut edit_rows = String::new();
    let mut script_p95 = Vec::new();
    let mut frame_p95 = Vec::new();
    let mut serializations = Vec::new();
    let mut set_times = Vec::new();
    let mut select_rows = String::new();
    let mut notes = Vec::new();
    // The floor of a frame in this browser: a character typed into the page by the DOM alone.
    let floor = client
        .execute_async(OPS, vec![json!("floor"), json!(operations)])
        .await
        .expect("measure the frame floor");
    let floor = sorted(
        floor["results"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|x| ms(&x["frame"]))
            .collect(),
    );
    for op in ["add", "delete", "relabel"] {
        let t = Instant::now();
        let r = client
            .execute_async(OPS, vec![json!(op), json!(operations)])
            .await
            .expect("run the edit benchmark");
        eprintln!("{op}: {:.1?}", t.elapsed());
        if let Some(e) = r.get("error") {
            panic!("the in-page {op} benchmark failed: {e}");
        }
        let results = r["results"].as_array().cloned().unwrap_or_default();
        let col =
            |name: &str, rs: &[Value]| sorted(rs.iter().filter_map(|x| ms(&x[name])).collect());
        serializations.extend(
            r["serializations"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_f64),
        );
        for s in r["writes"].as_array().into_iter().flatten() {
            set_times.push((
                s["ms"].as_f64().unwrap_or(0.0),
                s["chars"].as_u64().unwrap_or(0),
                s["key"].as_str().unwrap_or("").to_owned(),
                s["task"].as_f64().unwrap_or(0.0),
            ));
        }
        let script = col("script", &results);
        script_p95.push((op, percentile(&script, 95.0)));
        frame_p95.push((op, percentile(&col("frame", &results), 95.0)));
        let name = match op {
            "add" => "add (select a word, key 1)",
            "delete" => "delete (selected span, Delete)",
            _ => "relabel (selected span, key 2 or 1)",
        };
        for (what, v) in [
            ("script", &script),
            ("sync", &col("sync", &results)),
            ("dom", &col("dom", &results)),
            ("frame", &col("frame", &results)),
        ] {
            let _ = writeln!(
                edit_rows,
                "| {name} | {what} | {} | {} | {} | {} |",
                v.len(),
                fmt_ms(percentile(v, 50.0)),
                fmt_ms(percentile(v, 95.0)),
                fmt_ms(v.last().copied().unwrap_or(f64::NAN))
            );
        }
        let refused = r["refused"].as_u64().unwrap_or(0);
        if refused > 0 {
            notes.push(format!(
                "{op}: {refused} attempt(s) changed nothing (e.g. a relabel its relations forbid) and are not in the table"
            ));
        }
        if let Some(alert) = r["alert"].as_str() {
            notes.push(format!(
                "after {op}, the page showed the alert: “{}”",
                alert.trim()
            ));
        }
        let selects = r["selects"].as_array().cloned().unwrap_or_default();
        if !selects.is_empty() {
            let s = col("script", &selects);
            let f = col("frame", &selects);
            let _ = writeln!(
                select_rows,
                "| select a span by click (before {op}) | {} | {} / {} | {} / {} | {} / {} |",
                s.len(),
                fmt_ms(percentile(&s, 50.0)),
                fmt_ms(percentile(&f, 50.0)),
                fmt_ms(percentile(&s, 95.0)),
                fmt_ms(percentile(&f, 95.0)),
                fmt_ms(s.last().copied().unwrap_or(f64::NAN)),
                fmt_ms(f.last().copied().unwrap_or(f64::NAN)),
            );
        }
    }

    // ---- Scroll to the end.
    let scroll = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const article = document.querySelector('article.doc');
             let el = article;
             while (el && !(el.scrollHeight > el.clientHeight + 1 && /auto|scroll/.test(getComputedStyle(el).overflowY))) el = el.parentElement;
             const scroller = el || document.scrollingElement;
             const frame = () => new Promise(r => requestAnimationFrame(() => r()));
             (async () => {
               scroller.scrollTop = 0; await frame(); await frame();
               const t0 = performance.now();
               scroller.scrollTop = scroller.scrollHeight;
               await frame(); await frame();
               const t = performance.now() - t0;
               const paras = article.querySelectorAll('.para');
               const last = paras[paras.length - 1].getBoundingClientRect();
               done({ ms: t, scroller: scroller === document.scrollingElement ? 'the page' : scroller.className,
                      height: scroller.scrollHeight, visible: last.top < innerHeight && last.bottom > 0 });
             })();",
            vec![],
        )
        .await
        .expect("scroll to the end");

    // ---- Report.
    let _ = writeln!(out, "### Opening\n");
    load_table(
        &mut out,
        &format!(
            "The default article on a fresh profile ({} runs, storage emptied before each):",
            seed_loads.len()
        ),
        &seed_loads,
    );
    load_table(
        &mut out,
        &format!(
            "The generated document (`spanmark_testkit::sample::generate({SEED}, {BYTES}, {SPANS})`: {} bytes, {} paragraphs, {} spans, {} relations; {} characters in storage) opened from localStorage ({} runs):",
            doc.document.text.len(),
            paras.len(),
            doc.spans().len(),
            doc.relations.len(),
            stored,
            big_loads.len()
        ),
        &big_loads,
    );
    if let Some(l) = big_loads.last() {
        if l.paragraphs as usize != paras.len() {
            notes.push(format!(
                "the page drew {} paragraphs, the document has {}",
                l.paragraphs,
                paras.len()
            ));
        }
    }
    let _ = writeln!(out, "### Edits on the generated document\n");
    let _ = writeln!(
        out,
        "{operations} successful operations of each kind, spread over the document, each on a quiet page and driven as the app receives it from a person: \
         a DOM selection over a word outside any span then a `keydown` \"1\" (add); a `click` on a span then a `keydown` \"Delete\" (delete) or \"2\" (\"1\" for a place; relabel). \
         Times from just before the input event: **script** = until the task that received it has finished with all its microtasks \
         (handler, reactive updates, DOM patches, autosave); **sync** = the event's listeners alone; **dom** = first DOM mutation in the article; \
         **frame** = until the next frame has been drawn.\n"
    );
    let _ = writeln!(out, "| operation | measure | n | p50 | p95 | max |");
    let _ = writeln!(out, "|---|---|---:|---:|---:|---:|");
    out.push_str(&edit_rows);
    let _ = writeln!(
        out,
        "| the floor: one character added to a paragraph on screen by the DOM alone, no app code | frame | {} | {} | {} | {} |",
        floor.len(),
        fmt_ms(percentile(&floor, 50.0)),
        fmt_ms(percentile(&floor, 95.0)),
        fmt_ms(floor.last().copied().unwrap_or(f64::NAN))
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "| gesture | n | p50 script / frame | p95 script / frame | max script / frame |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|");
    out.push_str(&select_rows);
    let _ = writeln!(out);

    let doc_sets = sorted(
        set_times
            .iter()
            .filter(|s| s.2.starts_with(DOC_PREFIX))
            .map(|s| s.0)
            .collect(),
    );
    let text_sets = sorted(
        set_times
            .iter()
            .filter(|s| s.2.starts_with(spanmark::storage::TEXT_PREFIX))
            .map(|s| s.0)
            .collect(),
    );
    let index_sets = sorted(
        set_times
            .iter()
            .filter(|s| s.2 == INDEX_KEY)
            .map(|s| s.0)
            .collect(),
    );
    let chars = set_times
        .iter()
        .filter(|s| s.2.starts_with(DOC_PREFIX))
        .map(|s| s.1)
        .max()
        .unwrap_or(0);
    let _ = writeln!(out, "### Autosave\n");
    // The task a document write ran in (the autosave's second timer task), or the write
    // itself when it ran in no timer task.
    let serializations = sorted(serializations);
    let doc_tasks = sorted(
        set_times
            .iter()
            .filter(|s| s.2.starts_with(DOC_PREFIX))
            .map(|s| if s.3 > 0.0 { s.3 } else { s.0 })
            .collect(),
    );
    let _ = writeln!(
        out,
        "Every `localStorage.setItem` during the edits above and in the 600 ms after them, timed in the page around the call. The autosave runs after the edit, in two timer tasks of its own: the first serializes the document in wasm, the next writes it; each task is timed whole by the probe, around its callback:\n"
    );
    let _ = writeln!(out, "| write | n | p50 | p95 | max |");
    let _ = writeln!(out, "|---|---:|---:|---:|---:|");
    for (what, v) in [
        (
            format!("the document without its text ({chars} characters)"),
            &doc_sets,
        ),
        ("the library index".to_owned(), &index_sets),
        (
            "the document's text (kept under its own key)".to_owned(),
            &text_sets,
        ),
        (
            "the autosave's first task (serializing)".to_owned(),
            &serializations,
        ),
        (
            "the autosave's second task (writing)".to_owned(),
            &doc_tasks,
        ),
    ] {
        let _ = writeln!(
            out,
            "| {what} | {} | {} | {} | {} |",
            v.len(),
            fmt_ms(percentile(v, 50.0)),
            fmt_ms(percentile(v, 95.0)),
            fmt_ms(v.last().copied().unwrap_or(f64::NAN))
        );
    }
    let _ = writeln!(out);

    let mib = |v: &Value| {
        v.as_f64()
            .map_or("–".into(), |b| format!("{:.1} MiB", b / 1048576.0))
    };
    let _ = writeln!(out, "### Memory and scrolling\n");
    let _ = writeln!(
        out,
        "- JS heap after loading the generated document (after a forced GC): used {}, total {}; wasm linear memory {}; {} elements in the page, {} `<mark>` pieces.",
        mib(&memory["used"]),
        mib(&memory["total"]),
        mib(&memory["wasm"]),
        memory["nodes"],
        memory["marks"]
    );
    let _ = writeln!(
        out,
        "- Scroll to the end (set `scrollTop` of {} to its height, {} px, then two frames): {}; last paragraph visible: {}.\n",
        scroll["scroller"].as_str().unwrap_or("?"),
        scroll["height"],
        ms(&scroll["ms"]).map_or("–".into(), fmt_ms),
        scroll["visible"]
    );

    let _ = writeln!(out, "### Browser targets\n");
    let _ = writeln!(out, "| target | measured | verdict |");
    let _ = writeln!(out, "|---|---:|---|");
    let _ = writeln!(
        out,
        "| open 1 MiB / 10k spans to interactive ≤ 1 s (median first frame) | {} | {} |",
        fmt_ms(big),
        verdict(big, 1000.0, "ms")
    );
    for (op, p95) in &script_p95 {
        let _ = writeln!(
            out,
            "| {op} ≤ 16 ms p95 script time | {} | {} |",
            fmt_ms(*p95),
            verdict(*p95, 16.0, "ms")
        );
    }
    for (op, p95) in &frame_p95 {
        let _ = writeln!(
            out,
            "| {op} ≤ 33 ms p95 until the next frame is drawn | {} | {} |",
            fmt_ms(*p95),
            verdict(*p95, 33.0, "ms")
        );
    }
    let worst_set = doc_tasks
        .last()
        .copied()
        .unwrap_or(f64::NAN)
        .max(serializations.last().copied().unwrap_or(f64::NAN));
    let _ = writeln!(
        out,
        "| autosave ≤ 16 ms (its longest task) | {} | {} |",
        fmt_ms(worst_set),
        verdict(worst_set, 16.0, "ms")
    );
    let _ = writeln!(
        out,
        "| the seed article renders ≤ 120 ms from navigation (median first frame) | {} | {} |",
        fmt_ms(seed),
        verdict(seed, 120.0, "ms")
    );
    let _ = writeln!(out);
    if !notes.is_empty() {
        let _ = writeln!(out, "Observed during the run:\n");
        for n in notes {
            let _ = writeln!(out, "- {n}");
        }
        let _ = writeln!(out);
    }
    out
}

#[test]
#[ignore = "a benchmark: run with `make bench` (cargo test --test e2e bench:: -- --ignored --nocapture)"]
fn browser_benchmark() {
    let dist = std::env::var_os("SPANMARK_DIST")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| repo_root().join("dist"));
    assert!(
        dist.join("index.html").is_file(),
        "no {}/index.html: run make dist",
        dist.display()
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let report = runtime.block_on(async {
        let served = TempDir::new("bench-dist");
        probed_dist(&dist, served.path());
        let server = StaticServer::start(served.path().to_path_buf());
        let driver = ChromeDriver::start();
        let profile = TempDir::new("bench-profile");
        let downloads = TempDir::new("bench-downloads");
        let client = driver
            .new_session_with(
                profile.path(),
                downloads.path(),
                &["--enable-precise-memory-info", "--js-flags=--expose-gc"],
                &serde_json::json!({}),
            )
            .await;
        let outcome = tokio::spawn(scenario(client.clone(), server.base_url.clone())).await;
        let _ = client.close().await;
        drop(driver);
        drop(server);
        match outcome {
            Ok(report) => report,
            Err(e) => match e.try_into_panic() {
                Ok(payload) => std::panic::resume_unwind(payload),
                Err(e) => panic!("benchmark task failed: {e}"),
            },
        }
    });
    let dir = repo_root().join("target").join("bench");
    fs::create_dir_all(&dir).expect("create target/bench");
    fs::write(dir.join("browser.md"), &report).expect("write target/bench/browser.md");
    println!("{report}");
}
