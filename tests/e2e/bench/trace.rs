//! Forced layouts in the edit path, from a timeline trace of Chromium.
//!
//! The generated 1 MiB document with 10,000 spans (the browser benchmark's, put into
//! localStorage through [`crate::stored_library`]) is opened, then edited by tests/bench/ops.js
//! as the browser benchmark does (additions, deletions and relabels, each on a quiet page), with
//! Chromium tracing the `devtools.timeline` categories with JS stacks (read back through
//! chromedriver's performance log). A layout the frame itself runs is expected; a layout that
//! script forces by reading geometry (`getBoundingClientRect`, `getClientRects`…) after a change
//! is not. Each layout is attributed to the task it ran in: the input event's handler (the edit
//! path), another callback (an animation frame, a timer), or the frame's own lifecycle. Only
//! layouts forced from the app's code (a stack through its wasm-bindgen glue) are counted as the
//! app's; the benchmark's own script reads geometry too (to scroll each place into view) and is
//! left out.
//!
//! Writes `target/bench/trace.md`. Nothing is asserted except that the trace could be read.

use std::fmt::Write as _;

use fantoccini::Client;
use serde_json::{json, Value};

use super::peer::{last_paragraph, with_traced_browser, write_report, PerformanceLog};
use super::{load, percentile, set_storage, sorted, BYTES, OPS, SEED, SPANS};
use spanmark_testkit::sample::generate;

/// Edits of each kind traced (tracing slows the page: these figures are not timings).
const EDITS: usize = 20;
const CATEGORIES: &str =
    "devtools.timeline,disabled-by-default-devtools.timeline,disabled-by-default-devtools.timeline.stack";

/// A complete ("X") trace event: name, thread, start and duration in µs, and its arguments.
struct Event {
    name: String,
    tid: u64,
    ts: f64,
    dur: f64,
    args: Value,
}

fn events(log: &[Value]) -> Vec<Event> {
    log.iter()
        .filter(|m| m["message"]["method"] == "Tracing.dataCollected")
        .map(|m| &m["message"]["params"])
        .filter(|e| e["ph"] == "X")
        .filter_map(|e| {
            Some(Event {
                name: e["name"].as_str()?.to_owned(),
                tid: e["tid"].as_u64()?,
                ts: e["ts"].as_f64()?,
                dur: e["dur"].as_f64()?,
                args: e["args"].clone(),
            })
        })
        .collect()
}

/// Whether a layout's stack runs through the app (its wasm-bindgen glue or its wasm).
fn from_the_app(layout: &Event) -> Option<String> {
    let stack = layout.args["beginData"]["stackTrace"].as_array()?;
    let app = stack.iter().any(|f| {
        f["url"]
            .as_str()
            .is_some_and(|u| u.contains("/spanmark-web-"))
    });
    app.then(|| {
        stack
            .iter()
            .filter_map(|f| f["functionName"].as_str())
            .find(|n| n.starts_with("__wbg_"))
            .map_or("(app)".to_owned(), |n| {
                // `__wbg_getClientRects_<hash>` → getClientRects
                n.trim_start_matches("__wbg_")
                    .rsplit_once('_')
                    .map_or(n, |(name, _)| name)
                    .to_owned()
            })
    })
}

async fn edits(client: &Client, op: &str) {
    let r = client
        .execute_async(OPS, vec![json!(op), json!(EDITS)])
        .await
        .expect("run the edits");
    assert!(r.get("error").is_none(), "the in-page {op} run failed: {r}");
}

async fn scenario(client: Client, base: String, log: PerformanceLog) -> String {
    let doc = generate(SEED, BYTES, SPANS);
    set_storage(&client, &base, &crate::stored_library(&doc)).await;
    load(&client, &base, last_paragraph(&doc)).await;
    // What loading traced is not the edits'.
    let _ = log.take();
    let mut trace = Vec::new();
    for op in ["add", "delete", "relabel"] {
        edits(&client, op).await;
        trace.extend(log.take());
    }
    let all = events(&trace);
    assert!(!all.is_empty(), "the performance log held no trace");
    // The page's main thread: where the input events ran.
    let inputs: Vec<&Event> = all
        .iter()
        .filter(|e| {
            e.name == "EventDispatch"
                && matches!(
                    e.args["data"]["type"].as_str(),
                    Some("keydown" | "click" | "mousedown" | "mouseup")
                )
        })
        .collect();
    let main = inputs
        .first()
        .map(|e| e.tid)
        .expect("no input event in the trace");
    let tasks: Vec<&Event> = all
        .iter()
        .filter(|e| {
            e.tid == main
                && matches!(
                    e.name.as_str(),
                    "EventDispatch" | "FunctionCall" | "TimerFire" | "FireAnimationFrame"
                )
        })
        .collect();
    // What came last before a moment on the main thread: an input (an edit) or a scroll (the
    // benchmark bringing the next place into view, before the page settles).
    let mut marks: Vec<(f64, bool)> = all
        .iter()
        .filter(|e| e.tid == main && e.name == "EventDispatch")
        .filter_map(|e| match e.args["data"]["type"].as_str()? {
            "keydown" | "click" | "mousedown" | "mouseup" => Some((e.ts, true)),
            "scroll" => Some((e.ts, false)),
            _ => None,
        })
        .collect();
    marks.sort_by(|a, b| a.0.total_cmp(&b.0));
    let after_input = |ts: f64| {
        marks
            .iter()
            .take_while(|m| m.0 <= ts)
            .last()
            .is_some_and(|m| m.1)
    };
    let mut rows: Vec<(String, String, f64)> = Vec::new();
    let mut frame_layouts = Vec::new();
    for l in all.iter().filter(|e| e.tid == main && e.name == "Layout") {
        let owner = tasks
            .iter()
            .filter(|t| t.ts <= l.ts && l.ts + l.dur <= t.ts + t.dur)
            .min_by(|a, b| a.dur.total_cmp(&b.dur));
        match owner {
            None => frame_layouts.push(l.dur / 1000.0),
            Some(t) => {
                let Some(api) = from_the_app(l) else { continue };
                let place = match (t.name.as_str(), t.args["data"]["type"].as_str()) {
                    ("EventDispatch", Some(kind)) => format!("the `{kind}` handler"),
                    _ if after_input(l.ts) => {
                        "a callback after an edit, before the next scroll".to_owned()
                    }
                    _ => "a callback after a scroll, before the next edit".to_owned(),
                };
                rows.push((place, api, l.dur / 1000.0));
            }
        }
    }
    let frame_layouts = sorted(frame_layouts);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{EDITS} edits of each kind (add, delete, relabel) on the generated document, driven by tests/bench/ops.js as in the browser benchmark, traced by Chromium (`{CATEGORIES}`, through chromedriver's performance log). Each layout on the page's main thread is put down to the task it ran in; a layout inside a script task is one the script forced by reading geometry after a change. Only those forced from the app's code are listed (the benchmark's script measures too).\n"
    );
    let _ = writeln!(
        out,
        "- Layouts the frames ran themselves: {} (p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms).",
        frame_layouts.len(),
        percentile(&frame_layouts, 50.0),
        percentile(&frame_layouts, 95.0),
        frame_layouts.last().copied().unwrap_or(0.0)
    );
    let count = |part: &str| {
        let d: Vec<f64> = rows
            .iter()
            .filter(|r| r.0.contains(part))
            .map(|r| r.2)
            .collect();
        // `+ 0.0`: an empty sum is -0.0.
        (d.len(), d.iter().sum::<f64>() + 0.0)
    };
    let (n, total) = count("handler");
    let _ = writeln!(
        out,
        "- Layouts forced by the app inside an input's handler: {n} ({total:.1} ms)."
    );
    let (n, total) = count("after an edit");
    let _ = writeln!(
        out,
        "- Layouts forced by the app in callbacks after an edit (its animation frame, its timers): {n} ({total:.1} ms over {} edits).",
        3 * EDITS
    );
    let (n, total) = count("after a scroll");
    let _ = writeln!(
        out,
        "- Layouts forced by the app in callbacks after a scroll: {n} ({total:.1} ms over {} scrolls).\n",
        3 * EDITS
    );
    if !rows.is_empty() {
        let _ = writeln!(out, "| where | read | layouts | total | max |");
        let _ = writeln!(out, "|---|---|---:|---:|---:|");
        let mut groups: Vec<(String, String)> =
            rows.iter().map(|r| (r.0.clone(), r.1.clone())).collect();
        groups.sort();
        groups.dedup();
        for (place, api) in groups {
            let d: Vec<f64> = rows
                .iter()
                .filter(|r| r.0 == place && r.1 == api)
                .map(|r| r.2)
                .collect();
            let _ = writeln!(
                out,
                "| {place} | `{api}` | {} | {:.1} ms | {:.1} ms |",
                d.len(),
                d.iter().sum::<f64>(),
                d.iter().copied().fold(0.0, f64::max)
            );
        }
    }
    out
}

#[test]
#[ignore = "benchmark: run with `make bench`"]
fn forced_layouts_in_the_edit_path() {
    let report = with_traced_browser(&[], Some(CATEGORIES), |client, base, _, log| {
        scenario(client, base, log)
    });
    write_report("trace.md", &report);
}
