//! Side by side with a peer: Spanmark and `@recogito/text-annotator` 4.1.1 (installed by `make
//! setup-tools` into `.tools/node_modules/`, its prebuilt UMD bundle and stylesheet served from
//! 127.0.0.1) opening the same two documents, `spanmark_testkit::sample::generate` at 25 KB
//! with 15 spans and at 100 KB with 1,000 spans, in the same headless Chromium session.
//!
//! Measured, both times from navigation start (`performance.timeOrigin`), median of [`RUNS`]
//! runs each, the two tools' runs interleaved after one warm-up load of each:
//! - Spanmark (a probed copy of `dist/`, the document put into localStorage through
//!   [`crate::stored_library`] before each load): the probe's `frame` mark, the first task
//!   after the frame that drew the document's last paragraph; then the spans' `<mark>`
//!   elements are counted.
//! - recogito (tests/bench/peer/: index.html, peer.js): the page fetches `doc.json` (the text,
//!   and the spans as W3C annotations, TextQuote + TextPosition selectors and a `tagging` body
//!   with the label), puts the text into a container, creates the annotator and calls
//!   `setAnnotations`; the time is that of recogito's first `onRedraw` after it (emitted after
//!   the frame that painted the highlight layer). Its renderer draws only the highlights in the
//!   viewport: the layer's count is checked against the annotations whose DOM ranges are there.
//!
//! Add, median of [`ADDS`]: Spanmark through a DOM selection over a free word and the key "1"
//! (tests/bench/ops.js "add"), until the next frame is drawn; recogito through `addAnnotation`
//! of a free word (tests/bench/peer/add.js), until the `onRedraw` that shows it. Both at places
//! spread over the document, scrolled into view first.
//!
//! Transfer: what each page downloaded (its navigation and Resource Timing entries, less the
//! benchmark's probe and the document), each file `gzip -9`.
//!
//! Writes `target/bench/peer.md`. Nothing is asserted except that the measurement could be made.

use std::fmt::Write as _;
use std::fs;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::PoisonError;
use std::time::{Duration, Instant};

use fantoccini::wd::TimeoutConfiguration;
use fantoccini::Client;
use serde_json::{json, Value};

use super::{
    fmt_ms, load, percentile, probed_dist, set_storage, sorted, verdict, LOAD_LIMIT, OPS,
    SCRIPT_LIMIT, SEED,
};
use crate::harness::{dist_dir, repo_root, scenario_runtime, ChromeDriver, StaticServer, TempDir};
use spanmark_core::layout::paragraphs;
use spanmark_core::AnnotatedDocument;
use spanmark_testkit::sample::generate;

/// The peer's version, as the Makefile's `RECOGITO_VERSION` installs it.
const RECOGITO_VERSION: &str = "4.1.1";
/// The documents: target size in bytes and spans.
const DOCUMENTS: [(usize, usize, &str); 2] =
    [(25 * 1024, 15, "25 KB"), (100 * 1024, 1_000, "100 KB")];
/// Timed loads of each tool on each document (after one warm-up load of each).
const RUNS: usize = 3;
/// Timed adds of each tool on each document.
const ADDS: usize = 20;

const PAGE: &str = include_str!("../../bench/peer/index.html");
const PAGE_JS: &str = include_str!("../../bench/peer/peer.js");
const ADD_JS: &str = include_str!("../../bench/peer/add.js");

/// The installed package's folder, checked to be version [`RECOGITO_VERSION`].
fn recogito_package() -> PathBuf {
    let dir = repo_root().join(".tools/node_modules/@recogito/text-annotator");
    let manifest = fs::read_to_string(dir.join("package.json")).unwrap_or_else(|e| {
        panic!(
            "no {}/package.json ({e}): run `make setup-tools`",
            dir.display()
        )
    });
    let manifest: Value = serde_json::from_str(&manifest).expect("read its package.json");
    assert_eq!(
        manifest["version"],
        json!(RECOGITO_VERSION),
        "@recogito/text-annotator in .tools is not {RECOGITO_VERSION}: run `make setup-tools`"
    );
    dir
}

/// Runs `body` with a Chromium session (extra switches `args`) on a probed copy of `dist/`
/// (its URL, and the folder served), one benchmark at a time; returns its report. Everything
/// is torn down whatever happens, then a panic of `body` is raised again.
pub(super) fn with_browser<F, Fut>(args: &[&str], body: F) -> String
where
    F: FnOnce(Client, String, PathBuf) -> Fut,
    Fut: Future<Output = String> + Send + 'static,
{
    with_traced_browser(args, None, |client, base, served, _| {
        body(client, base, served)
    })
}

/// [`with_browser`] with Chromium's trace of the categories `trace` in the performance log; the
/// body also gets a way to take that log (see [`PerformanceLog`]).
pub(super) fn with_traced_browser<F, Fut>(args: &[&str], trace: Option<&str>, body: F) -> String
where
    F: FnOnce(Client, String, PathBuf, PerformanceLog) -> Fut,
    Fut: Future<Output = String> + Send + 'static,
{
    let _serial = crate::harness::SERIAL
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    let dist = dist_dir();
    let runtime = scenario_runtime();
    runtime.block_on(async {
        let served = TempDir::new("bench-dist");
        probed_dist(&dist, served.path());
        let server = StaticServer::start(served.path().to_path_buf());
        let driver = ChromeDriver::start();
        let profile = TempDir::new("bench-profile");
        let downloads = TempDir::new("bench-downloads");
        let client = driver
            .new_session_traced(profile.path(), downloads.path(), args, &json!({}), trace)
            .await;
        let log = PerformanceLog {
            driver: driver.url(),
            session: client
                .session_id()
                .await
                .ok()
                .flatten()
                .expect("the session's id"),
        };
        client
            .update_timeouts(TimeoutConfiguration::new(
                Some(SCRIPT_LIMIT),
                Some(LOAD_LIMIT),
                Some(Duration::ZERO),
            ))
            .await
            .expect("set WebDriver timeouts");
        let outcome = tokio::spawn(body(
            client.clone(),
            server.base_url.clone(),
            served.path().to_path_buf(),
            log,
        ))
        .await;
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
    })
}

/// Takes a session's performance log from chromedriver.
pub(super) struct PerformanceLog {
    driver: String,
    session: String,
}

impl PerformanceLog {
    /// The entries since the last call (taking them clears them), each entry's message parsed.
    pub(super) fn take(&self) -> Vec<Value> {
        let url = format!("{}/session/{}/se/log", self.driver, self.session);
        let text = ureq::post(&url)
            .header("Content-Type", "application/json")
            .send(json!({ "type": "performance" }).to_string())
            .and_then(|mut r| r.body_mut().with_config().limit(1 << 30).read_to_string())
            .unwrap_or_else(|e| panic!("read the performance log: {e}"));
        let answer: Value = serde_json::from_str(&text).expect("the performance log as JSON");
        answer["value"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| serde_json::from_str(e["message"].as_str()?).ok())
            .collect()
    }
}

/// "HeadlessChrome/…" from the session's user agent.
pub(super) async fn chromium(client: &Client) -> String {
    let agent = client
        .execute("return navigator.userAgent;", vec![])
        .await
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    agent
        .split_whitespace()
        .find(|w| w.starts_with("HeadlessChrome/") || w.starts_with("Chrome/"))
        .unwrap_or("Chromium")
        .to_owned()
}

/// Writes `report` to `target/bench/<name>` and prints it.
pub(super) fn write_report(name: &str, report: &str) {
    let dir = repo_root().join("target").join("bench");
    fs::create_dir_all(&dir).expect("create target/bench");
    fs::write(dir.join(name), report).unwrap_or_else(|e| panic!("write target/bench/{name}: {e}"));
    println!("{report}");
}

/// Where the document's last paragraph starts (code points), as the probe wants it.
pub(super) fn last_paragraph(doc: &AnnotatedDocument) -> usize {
    paragraphs(&doc.document.text).last().map_or(0, |p| p.start)
}

/// The document as the peer page reads it: the text, and each span as a W3C annotation whose
/// TextPositionSelector counts UTF-16 units (as the DOM does), with the label as a tag.
fn peer_document(doc: &AnnotatedDocument) -> Value {
    let text = &doc.document.text;
    // UTF-16 offset of each code point, and of the end.
    let mut utf16 = Vec::with_capacity(text.len() + 1);
    let mut at = 0;
    for c in text.chars() {
        utf16.push(at);
        at += c.len_utf16();
    }
    utf16.push(at);
    let annotations: Vec<Value> = doc
        .spans()
        .iter()
        .map(|s| {
            json!({
                "@context": "http://www.w3.org/ns/anno.jsonld",
                "type": "Annotation",
                "id": s.id,
                "body": [{ "type": "TextualBody", "purpose": "tagging", "value": s.label }],
                "target": {
                    "source": "spanmark:bench",
                    "selector": [
                        { "type": "TextQuoteSelector", "exact": s.text },
                        { "type": "TextPositionSelector", "start": utf16[s.start], "end": utf16[s.end] },
                    ],
                },
            })
        })
        .collect();
    json!({ "text": text, "annotations": annotations })
}

/// The peer page's folder: the page, its script and recogito's bundle and stylesheet.
fn peer_site(to: &Path) {
    let dist = recogito_package().join("dist");
    for file in ["text-annotator.umd.js", "text-annotator.css"] {
        fs::copy(dist.join(file), to.join(file))
            .unwrap_or_else(|e| panic!("copy {file} of @recogito/text-annotator: {e}"));
    }
    fs::write(to.join("index.html"), PAGE).expect("write the peer page");
    fs::write(to.join("peer.js"), PAGE_JS).expect("write the peer page's script");
}

/// Loads the peer page and waits until recogito has drawn the annotations; the time, and what
/// the page says it drew.
async fn peer_load(client: &Client, base: &str) -> (f64, Value) {
    let began = Instant::now();
    client.goto(base).await.expect("open the peer page");
    loop {
        let state = client
            .execute(
                "const P = window.__peer; if (!P) return null; \
                 if (P.error) return { error: P.error }; \
                 return P.marks.frame === undefined ? null : { marks: P.marks, check: P.check() };",
                vec![],
            )
            .await
            .expect("read the peer page");
        if let Some(e) = state.get("error") {
            panic!("the peer page failed: {e}");
        }
        if !state.is_null() {
            let frame = state["marks"]["frame"].as_f64().unwrap_or(f64::NAN);
            return (frame, state["check"].clone());
        }
        assert!(
            began.elapsed() < LOAD_LIMIT,
            "the peer page did not draw within {LOAD_LIMIT:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The distinct spans the Spanmark page shows as `<mark>` elements.
async fn marked_spans(client: &Client) -> u64 {
    client
        .execute(
            "return new Set([...document.querySelectorAll('article.doc mark[data-span]')].map(m => m.dataset.span)).size;",
            vec![],
        )
        .await
        .expect("count the marks")
        .as_u64()
        .unwrap_or(0)
}

/// The paths (below the origin) of what the open page downloaded: the page and every resource.
async fn downloaded(client: &Client) -> Vec<String> {
    let v = client
        .execute(
            "return [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
               .map(e => new URL(e.name).pathname);",
            vec![],
        )
        .await
        .expect("read the page's resources");
    let mut paths: Vec<String> = v
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p.as_str().map(str::to_owned))
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

/// Raw and `gzip -9` sizes of the files under `root` at `paths` (a path naming a folder is its
/// index.html), leaving out `except`; with the file names.
fn transfer(root: &Path, paths: &[String], except: &[&str]) -> (u64, u64, Vec<String>) {
    let (mut raw, mut gz, mut names) = (0, 0, Vec::new());
    for p in paths {
        let rel = p.trim_start_matches('/');
        let file = if rel.is_empty() || rel.ends_with('/') {
            root.join(rel).join("index.html")
        } else {
            root.join(rel)
        };
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if except.contains(&name.as_str()) || !file.is_file() {
            continue;
        }
        raw += fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
        let out = Command::new("gzip")
            .arg("-9")
            .arg("-c")
            .arg(&file)
            .output()
            .expect("run gzip");
        gz += out.stdout.len() as u64;
        names.push(name);
    }
    (raw, gz, names)
}

fn median(v: &[f64]) -> f64 {
    percentile(&sorted(v.to_vec()), 50.0)
}

fn list(v: &[f64]) -> String {
    v.iter()
        .map(|x| format!("{x:.0}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What one document came to.
struct Row {
    name: &'static str,
    about: String,
    spanmark: Vec<f64>,
    recogito: Vec<f64>,
    spanmark_add: Vec<f64>,
    recogito_add: Vec<f64>,
    notes: Vec<String>,
}

async fn scenario(client: Client, base: String, served: PathBuf) -> String {
    let chromium = chromium(&client).await;
    let peer_dir = TempDir::new("bench-peer");
    peer_site(peer_dir.path());
    let peer = StaticServer::start(peer_dir.path().to_path_buf());
    let peer_base = peer.base_url.clone();
    let mut rows = Vec::new();
    let mut spanmark_files = (0, 0, Vec::new());
    let mut peer_files = (0, 0, Vec::new());
    for (bytes, spans, name) in DOCUMENTS {
        let doc = generate(SEED, bytes, spans);
        let entries = crate::stored_library(&doc);
        let last = last_paragraph(&doc);
        let paras = paragraphs(&doc.document.text).len();
        fs::write(
            peer_dir.path().join("doc.json"),
            serde_json::to_string(&peer_document(&doc)).expect("serialize the peer document"),
        )
        .expect("write doc.json");
        let mut row = Row {
            name,
            about: format!(
                "`generate({SEED}, {bytes}, {spans})`: {} bytes, {paras} paragraphs, {} spans",
                doc.document.text.len(),
                doc.spans().len()
            ),
            spanmark: Vec::new(),
            recogito: Vec::new(),
            spanmark_add: Vec::new(),
            recogito_add: Vec::new(),
            notes: Vec::new(),
        };

        // One warm-up load of each (Spanmark's first visit installs its service worker).
        set_storage(&client, &base, &entries).await;
        load(&client, &base, last).await;
        let controlled = client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 setTimeout(() => done(!!navigator.serviceWorker.controller), 5000);
                 navigator.serviceWorker.ready.then(() => setTimeout(() => done(!!navigator.serviceWorker.controller), 200));",
                vec![],
            )
            .await
            .unwrap_or(Value::Null);
        peer_load(&client, &peer_base).await;

        let mut marked = 0;
        let mut check = Value::Null;
        for run in 0..RUNS {
            set_storage(&client, &base, &entries).await;
            let l = load(&client, &base, last).await;
            assert_eq!(
                l.paragraphs as usize, paras,
                "Spanmark drew another document"
            );
            row.spanmark.push(l.frame);
            marked = marked_spans(&client).await;
            if run == 0 && spanmark_files.2.is_empty() {
                spanmark_files = transfer(&served, &downloaded(&client).await, &["bench-probe.js"]);
            }
            let (frame, c) = peer_load(&client, &peer_base).await;
            row.recogito.push(frame);
            check = c;
            if run == 0 && peer_files.2.is_empty() {
                peer_files = transfer(peer_dir.path(), &downloaded(&client).await, &["doc.json"]);
            }
        }
        assert!(marked > 0, "Spanmark drew no span as a <mark>");
        assert_eq!(
            check["annotations"].as_u64(),
            Some(doc.spans().len() as u64),
            "recogito did not take every annotation: {check}"
        );
        assert!(
            check["drawn"].as_u64().unwrap_or(0) > 0 || check["expected"] == json!(0),
            "recogito drew no highlight: {check}"
        );
        row.notes.push(format!(
            "Spanmark: {marked} of the {} spans drawn as `<mark>` elements, counted right after the frame{}; service worker controlling the page: {}.",
            doc.spans().len(),
            if (marked as usize) < doc.spans().len() {
                " (a long document renders paragraphs with their spans as they come near the viewport)"
            } else {
                ""
            },
            if controlled == json!(true) { "yes" } else { "no" },
        ));
        row.notes.push(format!(
            "recogito: {} annotations in its store; its layer drew {} highlights, of the {} annotations with a box in the viewport ({} missing, {} extra); it draws only those in the viewport.",
            check["annotations"], check["drawn"], check["expected"], check["missing"], check["extra"]
        ));

        // ---- Adds, each on a freshly loaded page.
        set_storage(&client, &base, &entries).await;
        load(&client, &base, last).await;
        let r = client
            .execute_async(OPS, vec![json!("add"), json!(ADDS)])
            .await
            .expect("run Spanmark's adds");
        if let Some(e) = r.get("error") {
            panic!("Spanmark's in-page add benchmark failed: {e}");
        }
        if r["refused"].as_u64().unwrap_or(0) > 0 {
            row.notes.push(format!(
                "Spanmark: {} add attempt(s) changed nothing and are left out",
                r["refused"]
            ));
        }
        row.spanmark_add = r["results"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|x| x["frame"].as_f64())
            .collect();
        peer_load(&client, &peer_base).await;
        let r = client
            .execute_async(ADD_JS, vec![json!(ADDS)])
            .await
            .expect("run recogito's adds");
        if let Some(e) = r.get("error") {
            panic!("the peer page's add benchmark failed: {e}");
        }
        row.recogito_add = r["results"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|x| x["frame"].as_f64())
            .collect();
        if r["failed"].as_u64().unwrap_or(0) > 0 {
            row.notes.push(format!(
                "recogito: {} add(s) not drawn within 5 s, left out",
                r["failed"]
            ));
        }
        eprintln!(
            "{name}: Spanmark loads {:?} ms, recogito loads {:?} ms",
            row.spanmark, row.recogito
        );
        rows.push(row);
    }
    drop(peer);

    // ---- Report.
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Spanmark (the release build in `dist/`) and [`@recogito/text-annotator`](https://www.npmjs.com/package/@recogito/text-annotator) {RECOGITO_VERSION} \
         (its prebuilt UMD bundle, default SPANS renderer) opening the same generated documents in headless {chromium} (`--headless=new`, window 1400×1000), \
         each page served from its own 127.0.0.1 origin without HTTP caching. Times are from navigation start (`performance.timeOrigin`); \
         each figure is the median of {RUNS} loads, the two tools' loads interleaved, after one warm-up load of each.\n"
    );
    let _ = writeln!(
        out,
        "- **Spanmark load**: the document put into localStorage (the app's storage layout) before the navigation, read by the app inside the time; \
         until the first task after the frame that drew the document's last paragraph (the probe's `frame` mark, as in the browser benchmark), \
         then the spans' `<mark>` elements counted. After the warm-up visit its service worker serves the page and its files. \
         The benchmark's probe runs first on its page (it also wraps `localStorage.setItem` and `setTimeout` to time them).\n\
         - **recogito load**: a static page (tests/bench/peer/; it defines `process.env.NODE_ENV` as \"production\" before the bundle, which reads it as a bundler would have replaced it) fetches `doc.json` (written next to it by the benchmark; the fetch is inside the time): \
         the text, put into one container (`white-space: pre-wrap`), and each span as a W3C annotation (TextQuoteSelector, TextPositionSelector in UTF-16 units, \
         a `tagging` TextualBody with the label), given at once with `setAnnotations`; until recogito's first `onRedraw` after it, which it emits from a 1 ms timer \
         set in the animation-frame callback that drew its highlight layer (so after that frame). recogito draws only the highlights in the viewport; the layer's count is checked against the annotations whose ranges have a box there.\n\
         - **add**: the median of {ADDS}, each at a place spread over the document scrolled into view, on a quiet page. Spanmark: a DOM selection over a free word then a `keydown` \"1\" \
         (tests/bench/ops.js), until the next frame has been drawn; recogito: `addAnnotation` of a free word (tests/bench/peer/add.js), until the `onRedraw` whose layer shows it \
         (recogito redraws 10 ms after the last change, by design).\n"
    );
    let mut targets = String::new();
    for row in &rows {
        let (s, r) = (median(&row.spanmark), median(&row.recogito));
        let (sa, ra) = (median(&row.spanmark_add), median(&row.recogito_add));
        let _ = writeln!(out, "### The {} document ({})\n", row.name, row.about);
        let _ = writeln!(
            out,
            "| Spanmark load | recogito load | ratio (Spanmark / recogito) | Spanmark add | recogito add |"
        );
        let _ = writeln!(out, "|---:|---:|---:|---:|---:|");
        let _ = writeln!(
            out,
            "| {} | {} | {:.2} | {} | {} |\n",
            fmt_ms(s),
            fmt_ms(r),
            s / r,
            fmt_ms(sa),
            fmt_ms(ra)
        );
        let _ = writeln!(
            out,
            "- Loads, ms: Spanmark {}; recogito {}. Adds timed: Spanmark {}, recogito {}.",
            list(&row.spanmark),
            list(&row.recogito),
            row.spanmark_add.len(),
            row.recogito_add.len()
        );
        for n in &row.notes {
            let _ = writeln!(out, "- {n}");
        }
        let _ = writeln!(out);
        let _ = writeln!(
            targets,
            "| the {} document opens in at most half recogito's time (median load ≤ {}) | {} | {} |",
            row.name,
            fmt_ms(r / 2.0),
            fmt_ms(s),
            verdict(s, r / 2.0, "ms")
        );
    }
    let _ = writeln!(out, "### Target\n");
    let _ = writeln!(out, "| target | Spanmark | verdict |");
    let _ = writeln!(out, "|---|---:|---|");
    out.push_str(&targets);
    let _ = writeln!(out);
    let _ = writeln!(out, "### Transfer\n");
    let _ = writeln!(
        out,
        "What each page downloaded on a load (its navigation and Resource Timing entries; the benchmark's probe and the document data left out), each file `gzip -9`, in bytes:\n"
    );
    let _ = writeln!(out, "| page | files | raw | gzip |");
    let _ = writeln!(out, "|---|---|---:|---:|");
    for (who, (raw, gz, names)) in [("Spanmark", &spanmark_files), ("recogito", &peer_files)] {
        let _ = writeln!(
            out,
            "| {who} | {} | {raw} | {gz} |",
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let _ = writeln!(out);
    out
}

#[test]
#[ignore = "a benchmark: run with `make bench` (cargo test --test e2e bench:: -- --ignored --nocapture)"]
fn side_by_side_with_recogito() {
    recogito_package();
    let report = with_browser(&[], scenario);
    write_report("peer.md", &report);
}
