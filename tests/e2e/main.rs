#![cfg(not(target_arch = "wasm32"))]
//! End-to-end tests: the release build in `dist/` driven in headless Chromium the way a person
//! uses it — real mouse drags, double-clicks, clicks and key presses through the WebDriver
//! actions API, real file uploads and downloads.
//!
//! Needs `make dist` first (or `SPANMARK_DIST=<folder>`), Chromium and chromedriver
//! (`/usr/bin/chromium`, `/usr/bin/chromedriver`; override with `SPANMARK_CHROMIUM` and
//! `SPANMARK_CHROMEDRIVER`). Screenshots land in `target/e2e/`.
//!
//! Each scenario is its own test with its own browser session (so its own localStorage);
//! the harness runs them one at a time and fails any scenario whose browser console logged
//! an error.

// Test code: a failed assumption should stop the test, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod harness;
mod team_harness;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use fantoccini::actions::{
    InputSource, KeyAction, KeyActions, MouseActions, PointerAction, MOUSE_BUTTON_LEFT,
};
use fantoccini::key::Key;
use fantoccini::Locator;
use serde::Deserialize;
use serde_json::{json, Value};
use unicode_segmentation::UnicodeSegmentation;

use harness::{artefact_dir, repo_root, run_scenario, run_scenario_with, Session};

// =============================================================================================
// Helpers
// =============================================================================================

/// How long an explicit wait polls before giving up.
const WAIT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(50);
/// The in-page helper library, prepended to every script (see e2e/page.js).
const PAGE_JS: &str = include_str!("page.js");
/// Storage layout version 2: the library index names the open document; each document is a
/// native Spanmark file under its own key (see `E2E.docKey` in page.js).
const INDEX_KEY: &str = spanmark::storage::INDEX_KEY;
const DOC_PREFIX: &str = spanmark::storage::DOCUMENT_PREFIX;
/// Where layout version 1 kept its only document (moved into the library on start).
/// The localStorage entries of a library holding `doc` alone, open, as the app stores it:
/// the index, the document's text, and the rest of it.
fn stored_library(doc: &spanmark_core::AnnotatedDocument) -> Vec<(String, String)> {
    let raw = spanmark::storage::serialize(doc);
    let text_key = raw
        .split_once('\n')
        .expect("a stored document names its text")
        .0;
    let key = format!("{DOC_PREFIX}{}", doc.document.id);
    let text = &doc.document.text;
    let size = [&raw, &key, text, text_key]
        .iter()
        .map(|s| s.encode_utf16().count())
        .sum();
    let library = spanmark_core::library::Library {
        documents: vec![spanmark_core::library::Entry::of(doc, size)],
        current: Some(doc.document.id.clone()),
    };
    let index = serde_json::to_string(&library).expect("serialize the index");
    vec![
        (INDEX_KEY.into(), index),
        (text_key.to_owned(), text.clone()),
        (key, raw),
    ]
}

const V1_KEY: &str = "spanmark:v1:document";

/// Presses `key` while holding `modifiers` (released in reverse order).
async fn chord(app: &App, modifiers: &[Key], key: impl Into<char>) {
    let key: char = key.into();
    let mut keys = KeyActions::new("keyboard".into());
    for m in modifiers {
        keys = keys.then(KeyAction::Down { value: (*m).into() });
    }
    keys = keys
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    for m in modifiers.iter().rev() {
        keys = keys.then(KeyAction::Up { value: (*m).into() });
    }
    app.s
        .client
        .perform_actions(keys)
        .await
        .expect("key actions");
}

/// Moves the mouse to `p` and clicks `n` times in a row (2: a double-click).
fn clicks_at(p: Point, n: usize) -> MouseActions {
    let mut actions = MouseActions::new("mouse".into()).then(PointerAction::MoveTo {
        duration: None,
        x: p.x,
        y: p.y,
    });
    for _ in 0..n {
        actions = actions
            .then(PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            })
            .then(PointerAction::Up {
                button: MOUSE_BUTTON_LEFT,
            });
    }
    actions
}

fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests").join("fixtures").join(name)
}

/// Reads a text file byte-exactly (no newline normalisation: CRLF must survive).
fn read_text(path: &Path) -> String {
    String::from_utf8(
        std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display())),
    )
    .unwrap_or_else(|e| panic!("{} is not UTF-8: {e}", path.display()))
}

fn default_article() -> String {
    read_text(&repo_root().join("assets").join("default-article.txt"))
}

/// The code-point range `[start, end)` of the `nth` (0-based) occurrence of `needle`.
fn cp_find(text: &str, needle: &str, nth: usize) -> (usize, usize) {
    let byte = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} occurs fewer than {} times in the text", nth + 1))
        .0;
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

/// `chars[start..end]` as a string, i.e. slicing by code points like the file format does.
fn cp_slice(chars: &[char], start: usize, end: usize) -> String {
    chars[start..end].iter().collect()
}

/// The display name of a label id (what label buttons, chips and panel headings show).
fn label_name(label: &str) -> &'static str {
    match label {
        "actor" => "Actor",
        "place" => "Place",
        "claim" => "Claim",
        "denial" => "Denial",
        other => panic!("unknown label {other}"),
    }
}

/// The number key that applies a label.
fn key_of(label: &str) -> char {
    match label {
        "actor" => '1',
        "place" => '2',
        "claim" => '3',
        "denial" => '4',
        other => panic!("unknown label {other}"),
    }
}

/// An expected span: label and code-point offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Want {
    start: usize,
    end: usize,
    label: &'static str,
}

fn want(label: &'static str, (start, end): (usize, usize)) -> Want {
    Want { start, end, label }
}

/// A span as the page renders it (see `E2E.spans` in page.js).
#[derive(Debug, Clone, Deserialize)]
struct DomSpan {
    id: String,
    labels: Vec<String>,
    start: Option<usize>,
    end: Option<usize>,
    text: String,
    contiguous: bool,
    selected: bool,
    any_selected: bool,
    chips: Vec<String>,
    visible: bool,
}

/// A rendered span's offsets and labels, optionally with its id.
type SpanKey = (Option<usize>, Option<usize>, Vec<String>);
type IdSpanKey = (String, SpanKey);

impl DomSpan {
    fn key(&self) -> SpanKey {
        (self.start, self.end, self.labels.clone())
    }

    fn id_key(&self) -> IdSpanKey {
        (self.id.clone(), self.key())
    }
}

fn id_of(spans: &[DomSpan], w: Want) -> String {
    spans
        .iter()
        .find(|s| s.start == Some(w.start) && s.end == Some(w.end) && s.labels == [w.label])
        .unwrap_or_else(|| panic!("no rendered span {w:?} in {spans:#?}"))
        .id
        .clone()
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
struct PanelGroup {
    label: String,
    count: String,
    entries: Vec<PanelEntry>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
struct PanelEntry {
    span: String,
    text: String,
}

/// A viewport point computed in the page.
#[derive(Debug, Clone, Copy, Deserialize)]
struct Point {
    x: f64,
    y: f64,
}

/// One row of the document library as rendered (see `E2E.library` in page.js).
#[derive(Debug, Clone, Deserialize, PartialEq)]
struct DocRow {
    id: String,
    name: Option<String>,
    count: Option<String>,
    current: bool,
    aria_current: Option<String>,
    renaming: bool,
}

/// What the page looks like, for "nothing changed" checks.
#[derive(Debug, Clone, PartialEq)]
struct Snapshot {
    text: String,
    spans: Vec<IdSpanKey>,
    panel: Vec<PanelGroup>,
    library: Vec<DocRow>,
    index: Value,
    stored: Value,
}

fn truthy(v: &Value) -> bool {
    !matches!(v, Value::Null | Value::Bool(false))
}

/// The app in one browser session, with person-like actions and page queries.
struct App {
    s: Session,
    /// Last pointer click (time, x, y): two clicks at one spot in quick succession would be a
    /// double-click, which selects a word instead of a span.
    last_click: Mutex<Option<(Instant, f64, f64)>>,
}

/// What in a script reads the app's storage (see `App::js`).
const READS_STORAGE: [&str; 5] = [
    "localStorage.getItem",
    "Object.keys(localStorage)",
    "E2E.index",
    "E2E.stored",
    "E2E.docKey",
];

impl App {
    fn new(s: Session) -> App {
        App {
            s,
            last_click: Mutex::new(None),
        }
    }

    /// Runs `body` (with `E2E` in scope and `arguments` as passed) and returns its result. A
    /// script that reads storage runs once the autosave has written what is waiting (the app
    /// writes shortly after an edit, and shows when it has).
    async fn js(&self, body: &str, args: Vec<Value>) -> Value {
        if READS_STORAGE.iter().any(|r| body.contains(r)) {
            self.settle_autosave().await;
        }
        let script = format!("{PAGE_JS}\n{body}");
        self.s
            .client
            .execute(&script, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n--- script body ---\n{body}"))
    }

    /// Waits until the service worker (release builds) controls the page: it has cached the
    /// release.
    async fn wait_service_worker(&self) {
        self.wait_js(
            "the service worker to control the page",
            "return !!navigator.serviceWorker.controller;",
            vec![],
        )
        .await;
    }

    /// Waits until no autosave is pending (`.save-state` says so).
    async fn settle_autosave(&self) {
        let deadline = Instant::now() + WAIT;
        loop {
            let pending = self
                .s
                .client
                .execute(
                    "const s = document.querySelector('.save-state'); return !!s && s.dataset.state === 'pending';",
                    vec![],
                )
                .await
                .unwrap_or(Value::Bool(false));
            if pending != Value::Bool(true) {
                return;
            }
            if Instant::now() > deadline {
                panic!("the autosave was still pending after {WAIT:?}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Polls `body` until it returns something other than null/false, and returns that.
    async fn wait_js(&self, what: &str, body: &str, args: Vec<Value>) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let v = self.js(body, args.clone()).await;
            if truthy(&v) {
                return v;
            }
            if Instant::now() > deadline {
                panic!("timed out after {WAIT:?} waiting for {what}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits for an alert on show whose text includes `part`, and returns its whole text.
    /// An alert speaks plainly: its words never name a storage key (those go in its Details).
    async fn expect_alert(&self, part: &str) -> String {
        let text = self
            .wait_js(
                &format!("an alert saying \u{201c}{part}\u{201d}"),
                "return E2E.alerts().find(t => t.includes(arguments[0])) || null;",
                vec![json!(part)],
            )
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(
            !text.contains("spanmark:v") && !text.contains(":unreadable:"),
            "the alert names a storage key in its words: {text:?}"
        );
        text
    }

    /// The Details of the alert on show (storage keys, parser positions), if it has any.
    async fn alert_details(&self) -> String {
        self.js("return E2E.alertDetails().join(' | ');", vec![])
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Dismisses every alert on show, so that the next one looked for is a new one.
    async fn dismiss_alerts(&self) {
        self.js(
            "document.querySelectorAll('.alert .dismiss').forEach(b => b.click()); return true;",
            vec![],
        )
        .await;
    }

    async fn wait_css(&self, css: &str) {
        self.wait_js(
            &format!("an element matching {css}"),
            "return document.querySelector(arguments[0]) !== null;",
            vec![json!(css)],
        )
        .await;
    }

    /// Loads the app and waits until the document is rendered.
    async fn open(&self) {
        self.s
            .client
            .goto(&self.s.base_url)
            .await
            .expect("load the app");
        self.wait_css("article.doc .run").await;
    }

    /// Loads the app on the default article and waits until it shows; returns the article's
    /// text and its code points.
    async fn open_article(&self) -> (String, Vec<char>) {
        let text = default_article();
        self.open().await;
        self.expect_doc_text(&text).await;
        let chars = text.chars().collect();
        (text, chars)
    }

    async fn reload(&self) {
        self.s.client.refresh().await.expect("reload");
        self.wait_css("article.doc .run").await;
    }

    async fn doc_text(&self) -> String {
        self.js("return E2E.docText();", vec![])
            .await
            .as_str()
            .expect("text")
            .to_string()
    }

    /// Waits until the rendered document text equals `text`.
    async fn expect_doc_text(&self, text: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let got = self.doc_text().await;
            if got == text {
                return;
            }
            if Instant::now() > deadline {
                let at = got
                    .chars()
                    .zip(text.chars())
                    .take_while(|(a, b)| a == b)
                    .count();
                panic!(
                    "the rendered document text differs from the expected text from code point {at}:\n got:      {:?}\n expected: {:?}",
                    got.chars().skip(at.saturating_sub(10)).take(40).collect::<String>(),
                    text.chars().skip(at.saturating_sub(10)).take(40).collect::<String>(),
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    async fn spans(&self) -> Vec<DomSpan> {
        serde_json::from_value(self.js("return E2E.spans();", vec![]).await).expect("spans")
    }

    async fn panel(&self) -> Vec<PanelGroup> {
        serde_json::from_value(self.js("return E2E.panel();", vec![]).await).expect("panel")
    }

    async fn selection(&self) -> Value {
        self.js("return E2E.selection();", vec![]).await
    }

    /// Waits until the rendered spans are exactly `want` (label and offsets), then checks each
    /// one: its text is the code-point slice of `text`, it is one unbroken stretch of runs,
    /// visible, with one chip showing its label name. Returns the rendered spans.
    async fn expect_spans(&self, text: &[char], want: &[Want]) -> Vec<DomSpan> {
        let mut expected: Vec<_> = want
            .iter()
            .map(|w| (Some(w.start), Some(w.end), vec![w.label.to_string()]))
            .collect();
        expected.sort();
        let deadline = Instant::now() + WAIT;
        let spans = loop {
            let spans = self.spans().await;
            let mut got: Vec<_> = spans.iter().map(DomSpan::key).collect();
            got.sort();
            if got == expected {
                break spans;
            }
            if Instant::now() > deadline {
                let got: Vec<_> = spans
                    .iter()
                    .map(|s| {
                        format!(
                            "{} {:?} {:?}..{:?} {:?}",
                            s.id, s.labels, s.start, s.end, s.text
                        )
                    })
                    .collect();
                let want: Vec<_> = want
                    .iter()
                    .map(|w| {
                        format!(
                            "{} {}..{} {:?}",
                            w.label,
                            w.start,
                            w.end,
                            cp_slice(text, w.start, w.end)
                        )
                    })
                    .collect();
                panic!(
                    "rendered spans differ.\n expected: {want:#?}\n got: {got:#?}\n browser selection now: {}",
                    self.selection().await
                );
            }
            tokio::time::sleep(POLL).await;
        };
        for s in &spans {
            let (start, end) = (s.start.unwrap(), s.end.unwrap());
            assert!(s.contiguous, "span {} is rendered with a gap: {s:?}", s.id);
            assert_eq!(
                s.text,
                cp_slice(text, start, end),
                "span {} text vs its offsets",
                s.id
            );
            assert!(s.visible, "span {} has an invisible piece: {s:?}", s.id);
            assert_eq!(
                s.chips,
                [label_name(&s.labels[0])],
                "span {} should show exactly one chip with its label",
                s.id
            );
        }
        spans
    }

    /// Waits until exactly the spans `ids` are shown as selected (every piece has
    /// `.selected`) and no other span has a selected piece.
    async fn expect_selected(&self, ids: &[&str]) {
        let deadline = Instant::now() + WAIT;
        loop {
            let spans = self.spans().await;
            let mut selected: Vec<&str> = spans
                .iter()
                .filter(|s| s.selected)
                .map(|s| s.id.as_str())
                .collect();
            selected.sort();
            let partial = spans.iter().any(|s| s.any_selected && !s.selected);
            let mut want = ids.to_vec();
            want.sort();
            if selected == want && !partial {
                return;
            }
            if Instant::now() > deadline {
                let state: Vec<_> = spans
                    .iter()
                    .map(|s| (s.id.clone(), s.labels.clone(), s.selected, s.any_selected))
                    .collect();
                panic!("expected selected spans {want:?}, got (id, labels, selected, partly selected): {state:?}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until every piece of span `id` is inside the viewport and scrolling has settled
    /// (the app scrolls smoothly).
    async fn expect_in_view(&self, id: &str) {
        let js = "const rs = Array.from(document.querySelectorAll(`article.doc mark[data-span='${arguments[0]}']`))
                      .flatMap(m => Array.from(m.getClientRects()));
                  if (!rs.length) return null;
                  const top = Math.min(...rs.map(r => r.top)), bottom = Math.max(...rs.map(r => r.bottom));
                  return { top, inside: top >= 0 && bottom <= window.innerHeight };";
        let deadline = Instant::now() + WAIT;
        let mut last_top = None;
        loop {
            let v = self.js(js, vec![json!(id)]).await;
            let top = v["top"].as_f64();
            if v["inside"] == json!(true) && top.is_some() && top == last_top {
                return;
            }
            if Instant::now() > deadline {
                panic!("span {id} did not scroll into view: {v}");
            }
            last_top = top;
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until each label group in the panel shows `count` and lists the texts `entries`.
    async fn expect_panel(&self, text: &[char], want: &[Want]) {
        let deadline = Instant::now() + WAIT;
        loop {
            let panel = self.panel().await;
            let ok = ["actor", "place", "claim", "denial"].iter().all(|label| {
                let mut expected: Vec<String> = want
                    .iter()
                    .filter(|w| w.label == *label)
                    .map(|w| cp_slice(text, w.start, w.end))
                    .collect();
                expected.sort();
                panel.iter().any(|g| {
                    let mut got: Vec<String> = g.entries.iter().map(|e| e.text.clone()).collect();
                    got.sort();
                    g.label == *label && g.count == expected.len().to_string() && got == expected
                })
            });
            if ok {
                return;
            }
            if Instant::now() > deadline {
                panic!("the panel does not match {want:?}:\n{panel:#?}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The storage key of the open document, as the library index names it.
    async fn doc_key(&self) -> String {
        let key = self.js("return E2E.docKey();", vec![]).await;
        match key.as_str() {
            Some(k) => k.to_string(),
            None => panic!(
                "the index under {INDEX_KEY} names no open document: {}",
                self.js(
                    "return localStorage.getItem(arguments[0]);",
                    vec![json!(INDEX_KEY)]
                )
                .await
            ),
        }
    }

    /// The raw string stored under `key` (null when there is none).
    async fn raw_storage(&self, key: &str) -> Value {
        self.js(
            "return localStorage.getItem(arguments[0]);",
            vec![json!(key)],
        )
        .await
    }

    /// The autosaved open document (a native file, parsed, its text read from its own key),
    /// or what is stored when that cannot be read, or null when nothing is stored.
    async fn stored(&self) -> Value {
        let key = self.doc_key().await;
        match self.js("return E2E.storedDoc();", vec![]).await {
            Value::Null => self.raw_storage(&key).await,
            v => v,
        }
    }

    /// The library index as stored (parsed), or null.
    async fn index(&self) -> Value {
        self.js("return E2E.index();", vec![]).await
    }

    /// The rows of the document list.
    async fn library(&self) -> Vec<DocRow> {
        serde_json::from_value(self.js("return E2E.library();", vec![]).await)
            .expect("library rows")
    }

    /// Waits until the document list satisfies `ok` and returns it.
    async fn expect_library(&self, what: &str, ok: impl Fn(&[DocRow]) -> bool) -> Vec<DocRow> {
        let deadline = Instant::now() + WAIT;
        loop {
            let rows = self.library().await;
            if ok(&rows) {
                return rows;
            }
            if Instant::now() > deadline {
                panic!("the document list never showed {what}: {rows:#?}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    async fn snapshot(&self) -> Snapshot {
        let mut spans: Vec<_> = self.spans().await.into_iter().map(|s| s.id_key()).collect();
        spans.sort();
        Snapshot {
            text: self.doc_text().await,
            spans,
            panel: self.panel().await,
            library: self.library().await,
            index: self.index().await,
            stored: self.stored().await,
        }
    }

    // ---- input --------------------------------------------------------------------------

    async fn mouse(&self, actions: MouseActions) {
        self.s
            .client
            .perform_actions(actions)
            .await
            .expect("pointer actions");
    }

    /// Waits out the double-click interval if the last click was at the same spot.
    async fn avoid_double_click(&self, x: f64, y: f64) {
        let last = *self.last_click.lock().unwrap();
        if let Some((at, lx, ly)) = last {
            let gap = Duration::from_millis(700);
            if (lx - x).abs() < 5.0 && (ly - y).abs() < 5.0 && at.elapsed() < gap {
                tokio::time::sleep(gap - at.elapsed()).await;
            }
        }
    }

    fn record_click(&self, x: f64, y: f64) {
        *self.last_click.lock().unwrap() = Some((Instant::now(), x, y));
    }

    /// Selects the text `[start, end)` by dragging the mouse from just inside the first
    /// character's leading edge to just inside the last character's trailing edge.
    /// Returns the browser's selection afterwards (for diagnostics).
    async fn drag_select(&self, start: usize, end: usize) -> Value {
        let pts = self
            .js(
                "return E2E.dragPoints(arguments[0], arguments[1]);",
                vec![json!(start), json!(end)],
            )
            .await;
        for (side, at) in [("from", start), ("to", end)] {
            assert!(
                pts[side]["verified"] == json!(true),
                "no pointer position puts the caret at offset {at} ({side}): {pts}"
            );
        }
        assert!(
            pts["visible"] == json!(true),
            "drag points are off screen: {pts}"
        );
        let from: Point = serde_json::from_value(pts["from"].clone()).unwrap();
        let to: Point = serde_json::from_value(pts["to"].clone()).unwrap();
        self.avoid_double_click(from.x, from.y).await;
        let drag = MouseActions::new("mouse".into())
            .then(PointerAction::MoveTo {
                duration: None,
                x: from.x,
                y: from.y,
            })
            .then(PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            })
            .then(PointerAction::MoveTo {
                duration: Some(Duration::from_millis(60)),
                x: (from.x + to.x) / 2.0,
                y: (from.y + to.y) / 2.0,
            })
            .then(PointerAction::MoveTo {
                duration: Some(Duration::from_millis(60)),
                x: to.x,
                y: to.y,
            })
            .then(PointerAction::Up {
                button: MOUSE_BUTTON_LEFT,
            });
        self.mouse(drag).await;
        self.record_click(to.x, to.y);
        self.selection().await
    }

    async fn center_of(&self, at: usize) -> Point {
        let p = self
            .js("return E2E.centerPoint(arguments[0]);", vec![json!(at)])
            .await;
        assert!(
            p["visible"] == json!(true),
            "offset {at} is off screen: {p}"
        );
        serde_json::from_value(p).unwrap()
    }

    /// A single click on the character at code-point offset `at`.
    async fn click_at(&self, at: usize) {
        let p = self.center_of(at).await;
        self.avoid_double_click(p.x, p.y).await;
        self.mouse(clicks_at(p, 1)).await;
        self.record_click(p.x, p.y);
    }

    /// A double-click on the character at code-point offset `at` (selects its word).
    async fn double_click_at(&self, at: usize) -> Value {
        let p = self.center_of(at).await;
        self.avoid_double_click(p.x, p.y).await;
        let dbl = clicks_at(p, 2);
        self.mouse(dbl).await;
        // A third click right after would count as a triple-click.
        self.record_click(p.x, p.y);
        self.selection().await
    }

    /// Presses and releases one key on the keyboard (goes to the focused element).
    async fn press(&self, key: char) {
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        self.s
            .client
            .perform_actions(keys)
            .await
            .expect("key actions");
    }

    /// A real click (WebDriver element click) on the element matching `css`.
    async fn click(&self, css: &str) {
        self.wait_css(css).await;
        let el = self
            .s
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("find {css}: {e}"));
        el.click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    async fn click_label_button(&self, label: &str) {
        self.click(&format!("button.label-btn[data-label=\"{label}\"]"))
            .await;
    }

    /// Chooses `path` in the Open file input, as the file picker would.
    async fn choose_file(&self, path: &Path) {
        self.choose_files(&[path]).await;
    }

    /// Chooses several files at once in the (multiple) Open file input. WebDriver takes them
    /// as one string of newline-separated paths.
    async fn choose_files(&self, paths: &[&Path]) {
        let input = self
            .s
            .client
            .find(Locator::Css("#open-file"))
            .await
            .expect("#open-file");
        let paths: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        input
            .send_keys(&paths.join("\n"))
            .await
            .expect("choose files");
    }

    /// Whether any confirmation is on screen (opening files never asks any more).
    async fn confirm_shown(&self) -> bool {
        truthy(
            &self
                .js("return Array.from(document.querySelectorAll('.confirm')).some(d => d.getClientRects().length > 0);", vec![])
                .await,
        )
    }

    /// Downloads the document and returns the parsed file `<file_name>` from the download
    /// folder, once Chromium has finished writing it.
    async fn download(&self, file_name: &str) -> Value {
        let _ = std::fs::remove_file(self.s.downloads.join(file_name));
        self.click("#download").await;
        self.wait_download(file_name).await
    }

    /// Waits until `file_name` has been downloaded completely and parses it.
    async fn wait_download(&self, file_name: &str) -> Value {
        let path = self.s.downloads.join(file_name);
        let deadline = Instant::now() + WAIT;
        loop {
            let partial = std::fs::read_dir(&self.s.downloads)
                .map(|d| {
                    d.flatten()
                        .any(|e| e.file_name().to_string_lossy().ends_with(".crdownload"))
                })
                .unwrap_or(false);
            if !partial {
                if let Ok(bytes) = std::fs::read(&path) {
                    if let Ok(v) = serde_json::from_slice::<Value>(&bytes) {
                        return v;
                    }
                }
            }
            if Instant::now() > deadline {
                let present: Vec<_> = std::fs::read_dir(&self.s.downloads)
                    .map(|d| d.flatten().map(|e| e.file_name()).collect())
                    .unwrap_or_default();
                panic!("no complete {file_name} was downloaded; download folder holds {present:?}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Saves a PNG screenshot to `target/e2e/<name>` (written whole, then renamed).
    async fn screenshot(&self, name: &str) {
        let png = self.s.client.screenshot().await.expect("screenshot");
        assert!(png.starts_with(b"\x89PNG"), "screenshot is not a PNG");
        let path = artefact_dir().join(name);
        let tmp = path.with_extension("png.tmp");
        std::fs::write(&tmp, png).expect("write screenshot");
        std::fs::rename(&tmp, &path).expect("move screenshot into place");
    }
}

/// Checks a downloaded Spanmark file against the source text and the expected spans, and
/// returns its span ids. Offsets are code points: every span's `text` must equal
/// `chars[start..end]` of the source.
fn check_download(file: &Value, title: &str, source: &str, want: &[Want]) -> Vec<String> {
    let chars: Vec<char> = source.chars().collect();
    assert_eq!(file["format"], json!("spanmark"), "format");
    assert_eq!(file["version"], json!(1), "version");
    assert_eq!(file["document"]["title"], json!(title), "document.title");
    assert_eq!(
        file["document"]["text"].as_str(),
        Some(source),
        "document.text must be the source text, byte for byte"
    );
    assert!(
        file["document"]["id"]
            .as_str()
            .is_some_and(|id| !id.is_empty()),
        "document.id"
    );
    let labels: Vec<(&str, &str)> = file["schema"]["labels"]
        .as_array()
        .expect("schema.labels")
        .iter()
        .map(|l| {
            (
                l["id"].as_str().unwrap_or(""),
                l["name"].as_str().unwrap_or(""),
            )
        })
        .collect();
    for id in ["actor", "place", "claim", "denial"] {
        assert!(
            labels.contains(&(id, label_name(id))),
            "schema.labels lacks {id}: {labels:?}"
        );
    }
    assert!(
        file["schema"]["relation_types"].is_array(),
        "schema.relation_types"
    );
    assert_eq!(file["relations"], json!([]), "relations");

    let spans = file["spans"].as_array().expect("spans array");
    let mut got = Vec::new();
    let mut ids = Vec::new();
    for (i, s) in spans.iter().enumerate() {
        let (start, end) = (
            s["start"].as_u64().unwrap() as usize,
            s["end"].as_u64().unwrap() as usize,
        );
        assert!(
            start < end && end <= chars.len(),
            "spans[{i}] has bad offsets: {s}"
        );
        assert_eq!(
            s["text"].as_str(),
            Some(cp_slice(&chars, start, end).as_str()),
            "spans[{i}].text vs its offsets: {s}"
        );
        let label = s["label"].as_str().expect("label");
        got.push((start, end, label.to_string()));
        ids.push(s["id"].as_str().expect("span id").to_string());
    }
    let mut expected: Vec<_> = want
        .iter()
        .map(|w| (w.start, w.end, w.label.to_string()))
        .collect();
    expected.sort();
    got.sort();
    assert_eq!(got, expected, "downloaded spans (start, end, label)");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "span ids must be unique: {ids:?}");
    ids
}

// =============================================================================================
// Scenarios
// =============================================================================================

/// The default article: tag by drag, double-click, keys and buttons; nested spans stay
/// visible and clickable; delete, relabel, deselect; the panel follows; a reload restores
/// everything; the download holds exact code-point offsets.
#[test]
fn annotate_default_article() {
    run_scenario("annotate_default_article", |s| async move {
        let app = App::new(s);
        let text = default_article();
        let chars: Vec<char> = text.chars().collect();
        app.open().await;
        app.expect_doc_text(&text).await;

        let actor = want("actor", cp_find(&text, "Sergey Lavrov", 0));
        let washington = want("place", cp_find(&text, "Washington", 0));
        let claim = want("claim", (actor.start, cp_find(&text, "al-Assad", 0).1));
        let said = cp_find(&text, "Washington said on 16 June", 0);
        let petersburg = want("place", cp_find(&text, "St Petersburg", 0));
        let mut spans_now = vec![];

        // Drag-select a name and press 1: an Actor span with exactly those offsets, selected.
        app.drag_select(actor.start, actor.end).await;
        app.press('1').await;
        spans_now.push(actor);
        let dom = app.expect_spans(&chars, &spans_now).await;
        let actor_id = id_of(&dom, actor);
        app.expect_selected(&[&actor_id]).await;

        // Double-click a word and click the Place button.
        app.double_click_at(washington.start + 3).await;
        app.click_label_button("place").await;
        spans_now.push(washington);
        let dom = app.expect_spans(&chars, &spans_now).await;
        let washington_id = id_of(&dom, washington);
        app.expect_selected(&[&washington_id]).await;

        // A longer phrase around the Actor, key 3: a Claim that nests the Actor.
        app.drag_select(claim.start, claim.end).await;
        app.press('3').await;
        spans_now.push(claim);
        let dom = app.expect_spans(&chars, &spans_now).await;
        let claim_id = id_of(&dom, claim);
        app.expect_selected(&[&claim_id]).await;
        let nested = app
            .js(
                "return Array.from(document.querySelectorAll(`mark[data-span='${arguments[0]}']`))
                     .every(m => m.parentElement.closest(`mark[data-span='${arguments[1]}']`) !== null);",
                vec![json!(actor_id), json!(claim_id)],
            )
            .await;
        assert_eq!(
            nested,
            json!(true),
            "the Actor's pieces should sit inside the Claim's"
        );

        // Both are clickable: the inner span under the pointer wins; outside it, the Claim.
        let lavrov = cp_find(&text, "Lavrov", 0).0;
        app.click_at(lavrov + 2).await;
        app.expect_selected(&[&actor_id]).await;
        app.click_at(cp_find(&text, "economic", 0).0 + 3).await;
        app.expect_selected(&[&claim_id]).await;

        // A selection that starts inside an existing span (mid-"Washington") snaps to whole
        // words and becomes a new span around it.
        let outer = want("claim", said);
        app.drag_select(washington.start + 3, said.1).await;
        app.press('3').await;
        spans_now.push(outer);
        let dom = app.expect_spans(&chars, &spans_now).await;
        let outer_id = id_of(&dom, outer);

        // And one nested inside the big Claim.
        app.drag_select(petersburg.start, petersburg.end).await;
        app.press('2').await;
        spans_now.push(petersburg);
        let dom = app.expect_spans(&chars, &spans_now).await;
        let petersburg_id = id_of(&dom, petersburg);
        app.expect_selected(&[&petersburg_id]).await;
        app.expect_panel(&chars, &spans_now).await;

        // Click the Place inside the new Claim (innermost wins) and delete it.
        app.click_at(washington.start + 5).await;
        app.expect_selected(&[&washington_id]).await;
        app.press(Key::Delete.into()).await;
        spans_now.retain(|w| *w != washington);
        app.expect_spans(&chars, &spans_now).await;

        // Relabel: select the outer Claim by clicking "said", click the Denial button.
        let said_word = cp_find(&text, "Washington said", 0).1 - 2;
        app.click_at(said_word).await;
        app.expect_selected(&[&outer_id]).await;
        app.click_label_button("denial").await;
        spans_now.retain(|w| *w != outer);
        let denial = want("denial", said);
        spans_now.push(denial);
        let dom = app.expect_spans(&chars, &spans_now).await;
        assert_eq!(
            id_of(&dom, denial),
            outer_id,
            "relabelling keeps the span's identity"
        );

        // Escape deselects.
        app.click_at(said_word).await;
        app.expect_selected(&[&outer_id]).await;
        app.press(Key::Escape.into()).await;
        app.expect_selected(&[]).await;
        app.expect_panel(&chars, &spans_now).await;

        // A panel entry selects its span.
        app.click(&format!(
            "aside.panel button.entry[data-span=\"{actor_id}\"]"
        ))
        .await;
        app.expect_selected(&[&actor_id]).await;
        app.expect_in_view(&actor_id).await;
        app.screenshot("annotated.png").await;

        // Reload: everything is restored from autosave.
        let key = app.doc_key().await;
        assert!(
            !app.stored().await.is_null(),
            "the document is autosaved under {key}"
        );
        let mut before: Vec<_> = app.spans().await.iter().map(DomSpan::id_key).collect();
        app.reload().await;
        app.expect_doc_text(&text).await;
        let dom = app.expect_spans(&chars, &spans_now).await;
        let mut after: Vec<_> = dom.iter().map(DomSpan::id_key).collect();
        before.sort();
        after.sort();
        assert_eq!(after, before, "spans (with ids) after reload");
        app.expect_panel(&chars, &spans_now).await;

        // Download: exact code-point offsets, texts and labels.
        let file = app.download("default-article.spanmark.json").await;
        let mut ids = check_download(&file, "default-article", &text, &spans_now);
        let mut dom_ids: Vec<_> = dom.into_iter().map(|s| s.id).collect();
        ids.sort();
        dom_ids.sort();
        assert_eq!(
            ids, dom_ids,
            "the file's span ids are the page's data-span ids"
        );
    });
}

/// Word snapping: off, a partial-word selection is tagged exactly; on (the default), a
/// partial selection grows to whole words without surrounding punctuation.
#[test]
fn word_snapping_toggle() {
    run_scenario("word_snapping_toggle", |s| async move {
        let app = App::new(s);
        let text = default_article();
        let chars: Vec<char> = text.chars().collect();
        app.open().await;
        app.expect_doc_text(&text).await;
        let snap = app
            .s
            .client
            .find(Locator::Css("#snap-words"))
            .await
            .expect("#snap-words");
        assert!(
            snap.is_selected().await.unwrap(),
            "word snapping is on by default"
        );
        let mut spans_now = vec![];

        // Snapping off: character-precise spans.
        snap.click().await.expect("uncheck #snap-words");
        assert!(!snap.is_selected().await.unwrap(), "#snap-words unchecked");
        let peters = cp_find(&text, "Petersburg", 0).0;
        let partial = want("place", (peters, peters + "Peters".chars().count()));
        app.drag_select(partial.start, partial.end).await;
        app.press('2').await;
        spans_now.push(partial);
        app.expect_spans(&chars, &spans_now).await;

        let sergey = cp_find(&text, "Sergey Lavrov", 0).0;
        let across = want("claim", (sergey + 4, sergey + "Sergey Lav".chars().count())); // "ey Lav"
        app.drag_select(across.start, across.end).await;
        app.press('3').await;
        spans_now.push(across);
        app.expect_spans(&chars, &spans_now).await;

        // Snapping back on: partial selections expand to whole words.
        snap.click().await.expect("check #snap-words");
        assert!(
            snap.is_selected().await.unwrap(),
            "#snap-words checked again"
        );
        let russia = cp_find(&text, "Russia allegedly", 0);
        let russia = (russia.0, russia.0 + "Russia".len());
        app.drag_select(russia.0 + 1, russia.1 - 1).await; // "ussi"
        app.press('1').await;
        spans_now.push(want("actor", russia));
        app.expect_spans(&chars, &spans_now).await;

        let hmeymin = cp_find(&text, "Hmeymin", 0); // followed by a comma, which stays out
        app.drag_select(hmeymin.0 + 1, hmeymin.1 - 2).await; // "meym"
        app.press('2').await;
        spans_now.push(want("place", hmeymin));
        app.expect_spans(&chars, &spans_now).await;

        let putin = cp_find(&text, "Vladimir Putin", 0);
        app.drag_select(putin.0 + 1, putin.1 - 1).await; // "ladimir Puti"
        app.press('1').await;
        spans_now.push(want("actor", putin));
        let dom = app.expect_spans(&chars, &spans_now).await;
        app.expect_panel(&chars, &spans_now).await;

        // With no text selected, a number key relabels the selected span...
        let peters_id = id_of(&dom, partial);
        app.click_at(partial.start + 2).await;
        app.expect_selected(&[&peters_id]).await;
        app.press('4').await;
        spans_now.retain(|w| *w != partial);
        let relabelled = want("denial", (partial.start, partial.end));
        spans_now.push(relabelled);
        let dom = app.expect_spans(&chars, &spans_now).await;
        assert_eq!(
            id_of(&dom, relabelled),
            peters_id,
            "relabelling keeps the span's identity"
        );

        // ...and Backspace removes it.
        let hmeymin_span = want("place", hmeymin);
        app.click_at(hmeymin.0 + 3).await;
        app.expect_selected(&[&id_of(&dom, hmeymin_span)]).await;
        app.press(Key::Backspace.into()).await;
        spans_now.retain(|w| *w != hmeymin_span);
        app.expect_spans(&chars, &spans_now).await;
        app.expect_panel(&chars, &spans_now).await;
    });
}

/// A .txt with CRLF line ends, emoji (ZWJ, flags, skin tones), combining marks, Cyrillic,
/// CJK, Arabic and astral letters: opened through the file input, rendered byte-exactly,
/// tagged by mouse, downloaded with code-point offsets that never split a grapheme.
#[test]
fn unicode_document() {
    run_scenario("unicode_document", |s| async move {
        let app = App::new(s);
        let path = fixture("unicode-stress.txt");
        let text = read_text(&path);
        assert!(
            text.contains("\r\n"),
            "the fixture must keep its CRLF line ends"
        );
        let chars: Vec<char> = text.chars().collect();
        app.open().await;

        app.choose_file(&path).await;
        app.expect_doc_text(&text).await;

        enum How {
            Drag(char),
            DoubleClickKey(char),
            DoubleClickButton,
        }
        let family = "\u{1F469}\u{200D}\u{1F469}\u{200D}\u{1F467}";
        let plan: [(&str, &'static str, How); 11] = [
            ("Сергей Лавров", "actor", How::Drag('1')),
            ("Алеппо", "place", How::DoubleClickButton),
            ("\u{1F1FA}\u{1F1F8}", "place", How::Drag('2')),
            ("Montre\u{301}al", "place", How::Drag('2')),
            (family, "actor", How::Drag('1')),
            ("東京", "place", How::Drag('2')),
            ("دمشق", "place", How::Drag('2')),
            ("\u{1D518}\u{1D52B}\u{1D526}", "claim", How::Drag('3')),
            ("\u{2070E}", "claim", How::Drag('3')),
            ("Zürich", "place", How::DoubleClickKey('2')),
            ("\u{1F44D}\u{1F3FD}", "denial", How::Drag('4')),
        ];
        let mut spans_now = vec![];
        for (needle, label, how) in plan {
            let w = want(label, cp_find(&text, needle, 0));
            match how {
                How::Drag(key) => {
                    app.drag_select(w.start, w.end).await;
                    app.press(key).await;
                }
                How::DoubleClickKey(key) => {
                    app.double_click_at(w.start + 1).await;
                    app.press(key).await;
                }
                How::DoubleClickButton => {
                    app.double_click_at(w.start + 1).await;
                    app.click_label_button(label).await;
                }
            }
            spans_now.push(w);
            app.expect_spans(&chars, &spans_now).await;
        }
        app.expect_panel(&chars, &spans_now).await;
        app.screenshot("unicode.png").await;

        let file = app.download("unicode-stress.spanmark.json").await;
        check_download(&file, "unicode-stress", &text, &spans_now);
        // No span boundary may fall inside a grapheme cluster.
        let mut boundaries = vec![0];
        let mut cp = 0;
        for g in text.graphemes(true) {
            cp += g.chars().count();
            boundaries.push(cp);
        }
        for s in file["spans"].as_array().unwrap() {
            for edge in [&s["start"], &s["end"]] {
                let at = edge.as_u64().unwrap() as usize;
                assert!(
                    boundaries.contains(&at),
                    "span {s} splits a grapheme at {at}"
                );
            }
        }
        let family_span = file["spans"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["text"].as_str() == Some(family));
        assert!(
            family_span.is_some(),
            "the emoji family is tagged as one whole ZWJ sequence: {}",
            file["spans"]
        );
    });
}

/// Bad files add nothing and say what is wrong: a Spanmark file whose span text disagrees with
/// its offsets, a file that is not JSON, and a good file picked together with a bad one. A good
/// file adds a document and opens it, without asking; the previous document stays in the list
/// with its spans. A file made by Download opens back to the same annotations.
#[test]
fn bad_files_add_nothing_good_files_add_documents() {
    run_scenario(
        "bad_files_add_nothing_good_files_add_documents",
        |s| async move {
            let app = App::new(s);
            let text = default_article();
            let chars: Vec<char> = text.chars().collect();
            app.open().await;
            app.expect_doc_text(&text).await;

            let spans_now = vec![
                want("actor", cp_find(&text, "Sergey Lavrov", 0)),
                want("place", cp_find(&text, "Washington", 0)),
                want(
                    "claim",
                    cp_find(
                        &text,
                        "Russia allegedly bombed US-backed rebels in southern Syria",
                        0,
                    ),
                ),
            ];
            for (i, w) in spans_now.iter().enumerate() {
                app.drag_select(w.start, w.end).await;
                app.press(key_of(w.label)).await;
                app.expect_spans(&chars, &spans_now[..=i]).await;
            }
            let first_rows = app
                .expect_library("one open document with 3 spans", |r| {
                    r.len() == 1 && r[0].current && r[0].count.as_deref() == Some("3")
                })
                .await;
            let article_id = first_rows[0].id.clone();

            // Make the files to open from a real download: one intact, one whose spans[2].text
            // no longer matches its offsets.
            let good = app.download("default-article.spanmark.json").await;
            check_download(&good, "default-article", &text, &spans_now);
            let roundtrip = app.s.scratch.join("roundtrip.spanmark.json");
            std::fs::write(&roundtrip, serde_json::to_vec_pretty(&good).unwrap()).unwrap();
            let mut bad = good.clone();
            bad["spans"][2]["text"] = json!("Moscow");
            let mismatch = app.s.scratch.join("mismatch.spanmark.json");
            std::fs::write(&mismatch, serde_json::to_vec_pretty(&bad).unwrap()).unwrap();

            let before = app.snapshot().await;
            assert_eq!(
                before.stored["spans"].as_array().map(Vec::len),
                Some(3),
                "the document is autosaved under {DOC_PREFIX}{article_id}: {}",
                before.stored
            );

            // Each bad file, alone or picked together with a good one: an alert naming the bad
            // file and where the problem is, no dialog, and nothing added or changed.
            let short_note = fixture("short-note.txt");
            let not_json = fixture("not-json.json");
            let attempts: [(Vec<&Path>, &str, &str); 3] = [
                (
                    vec![mismatch.as_path()],
                    "mismatch.spanmark.json",
                    "spans[2]",
                ),
                (vec![not_json.as_path()], "not-json.json", "line"),
                (
                    vec![short_note.as_path(), mismatch.as_path()],
                    "mismatch.spanmark.json",
                    "spans[2]",
                ),
            ];
            for (files, name, detail) in attempts {
                app.dismiss_alerts().await;
                app.choose_files(&files).await;
                let alert = app.expect_alert(name).await;
                eprintln!("alert for {files:?}: {alert}");
                // Where the problem is (a parser's position) is behind Details, not in the words.
                let details = app.alert_details().await;
                assert!(
                    details.to_lowercase().contains(detail),
                    "the alert's Details should say where the problem is ({detail}): {details:?}"
                );
                assert!(
                    alert.contains("Nothing was added"),
                    "the alert says nothing was added: {alert:?}"
                );
                assert!(!app.confirm_shown().await, "opening files asks nothing");
                assert_eq!(
                    app.snapshot().await,
                    before,
                    "opening {files:?} must change nothing"
                );
            }

            // A good .txt adds a document and opens it at once: the new text, no spans.
            let note = read_text(&short_note);
            let note_chars: Vec<char> = note.chars().collect();
            app.choose_file(&short_note).await;
            app.expect_doc_text(&note).await;
            assert!(!app.confirm_shown().await, "opening a file asks nothing");
            app.expect_spans(&note_chars, &[]).await;
            app.expect_panel(&note_chars, &[]).await;
            let rows = app
                .expect_library("the note added and open after the article", |r| {
                    r.len() == 2
                        && r[0].id == article_id
                        && !r[0].current
                        && r[1].current
                        && r[1].aria_current.as_deref() == Some("page")
                        && r[1].name.as_deref() == Some("short-note")
                })
                .await;
            assert_eq!(
                rows[0].count.as_deref(),
                Some("3"),
                "the previous document keeps its 3 spans in the list"
            );
            assert_eq!(
                app.doc_key().await,
                format!("{DOC_PREFIX}{}", rows[1].id),
                "the index names the new document as open"
            );
            let kept = app
                .js(
                    "return E2E.storedDocById(arguments[0]);",
                    vec![json!(article_id)],
                )
                .await;
            assert_eq!(
                kept, before.stored,
                "the previous document is still stored, unchanged"
            );

            // Back to the article: its text and spans, with their ids.
            app.click(&format!(
                "li.doc-item[data-doc=\"{article_id}\"] button.doc-open"
            ))
            .await;
            app.expect_doc_text(&text).await;
            app.expect_spans(&chars, &spans_now).await;
            app.expect_panel(&chars, &spans_now).await;
            let mut ids: Vec<_> = app.spans().await.iter().map(DomSpan::id_key).collect();
            ids.sort();
            assert_eq!(ids, before.spans, "the article's spans, with their ids");

            // The intact download opens back to the same text and spans, as a third document
            // (its id is taken, so it gets another).
            app.choose_file(&roundtrip).await;
            let rows = app
                .expect_library("the downloaded file added as a third document", |r| {
                    r.len() == 3 && r[2].current
                })
                .await;
            assert_ne!(
                rows[2].id, article_id,
                "the added copy has an id of its own"
            );
            assert_eq!(rows[2].count.as_deref(), Some("3"));
            app.expect_doc_text(&text).await;
            app.expect_spans(&chars, &spans_now).await;
            app.expect_panel(&chars, &spans_now).await;
        },
    );
}

/// Stored data that cannot be read is kept aside under another key, the user is told, and
/// the app goes on: an unreadable document is left out of the list (the default article opens
/// in its place), and the next edit saves without touching the copy. An unreadable index is
/// kept aside too and rebuilt from the stored documents, which keep their spans.
#[test]
fn unreadable_storage_is_kept_aside_and_reported() {
    run_scenario(
        "unreadable_storage_is_kept_aside_and_reported",
        |s| async move {
            let app = App::new(s);
            let text = default_article();
            let chars: Vec<char> = text.chars().collect();
            app.open().await;
            app.expect_doc_text(&text).await;
            let key = app.doc_key().await;
            assert!(
                !app.raw_storage(&key).await.is_null(),
                "the default article is stored under {key}"
            );

            // 1. The open document's key holds something that is not a Spanmark file.
            let broken = "{\"format\":\"spanmark\",\"version\":1,\"document\":{\"id\":\"d\",\"title\":\"lost";
            app.js(
                "localStorage.setItem(arguments[0], arguments[1]); return true;",
                vec![json!(key), json!(broken)],
            )
            .await;
            app.reload().await;
            let alert = app.expect_alert("could not be read").await;
            let backups = app
                .js(
                    "return Object.keys(localStorage).filter(k => k.startsWith(arguments[0] + ':unreadable:'))\
                       .map(k => [k, localStorage.getItem(k)]);",
                    vec![json!(key)],
                )
                .await;
            let backups = backups.as_array().expect("backup list").clone();
            assert_eq!(backups.len(), 1, "exactly one backup copy: {backups:?}");
            let backup = backups[0][0].as_str().unwrap().to_string();
            assert!(
                backup[key.len() + ":unreadable:".len()..]
                    .chars()
                    .all(|c| c.is_ascii_digit()),
                "the backup key ends in a time in milliseconds: {backup}"
            );
            assert_eq!(
                backups[0][1],
                json!(broken),
                "the copy is the stored data, unchanged"
            );
            let details = app.alert_details().await;
            assert!(
                details.contains(&backup),
                "the alert's details name the key it was kept under: {details:?} ({alert:?})"
            );
            // The details open on demand, beside the plain words.
            app.click(".alert .alert-details summary").await;
            app.screenshot("alert-details.png").await;
            assert_eq!(
                alert.matches("could not be read").count(),
                1,
                "the unreadable document is reported once: {alert:?}"
            );
            app.expect_doc_text(&text).await;
            app.expect_library("one document, open", |r| r.len() == 1 && r[0].current)
                .await;

            // Tagging saves a valid document again; the kept copy is left alone.
            let lavrov = cp_find(&text, "Lavrov", 0);
            app.drag_select(lavrov.0, lavrov.1).await;
            app.press('1').await;
            app.wait_js(
                "the new span to be saved",
                "const v = E2E.storedDoc(); return !!v && v.spans.length === 1;",
                vec![],
            )
            .await;
            assert_eq!(
                app.raw_storage(&backup).await,
                json!(broken),
                "the kept copy survives later saves"
            );

            // 2. The index is unreadable: kept aside, rebuilt from the stored documents.
            let broken_index = "{\"documents\": [ {\"id\": ";
            app.js(
                "localStorage.setItem(arguments[0], arguments[1]); return true;",
                vec![json!(INDEX_KEY), json!(broken_index)],
            )
            .await;
            app.reload().await;
            let alert = app
                .expect_alert("list of documents could not be read")
                .await;
            let index_backups = app
                .js(
                    "return Object.keys(localStorage).filter(k => k.startsWith(arguments[0] + ':unreadable:'))\
                       .map(k => [k, localStorage.getItem(k)]);",
                    vec![json!(INDEX_KEY)],
                )
                .await;
            let index_backups = index_backups.as_array().expect("backup list").clone();
            assert_eq!(
                index_backups.len(),
                1,
                "exactly one copy of the index: {index_backups:?}"
            );
            assert_eq!(
                index_backups[0][1],
                json!(broken_index),
                "the index copy is unchanged"
            );
            let index_backup = index_backups[0][0].as_str().unwrap();
            let details = app.alert_details().await;
            assert!(
                details.contains(index_backup),
                "the alert's details name the key the index was kept under: {details:?} ({alert:?})"
            );
            // The rebuilt list has the one readable document (not the kept-aside copy), open,
            // with its span.
            app.expect_doc_text(&text).await;
            let lavrov_span = want("actor", lavrov);
            app.expect_spans(&chars, &[lavrov_span]).await;
            let rows = app
                .expect_library("the rebuilt list", |r| {
                    r.len() == 1 && r[0].current && r[0].count.as_deref() == Some("1")
                })
                .await;
            let index = app.index().await;
            assert_eq!(
                index["documents"].as_array().map(|d| d.len()),
                Some(1),
                "the rebuilt index is stored: {index}"
            );
            assert_eq!(index["documents"][0]["id"], json!(rows[0].id));
            assert_eq!(index["documents"][0]["spans"], json!(1));
            assert_eq!(
                app.doc_key().await,
                key,
                "the same document, under the same key"
            );
            assert_eq!(
                app.raw_storage(&backup).await,
                json!(broken),
                "the first kept copy is still there"
            );
        },
    );
}

mod a11y;
mod bench;
mod codecs;
mod compare;
mod downloads;
mod keyboard;
mod library;
mod offline;
mod project;
mod relations;
mod safety;
mod scale;
mod schema;
mod screens;
mod tabs;
mod team;
mod variants;
