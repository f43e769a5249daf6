//! The first view downloads no codec: every file format but Spanmark's own is in a worker
//! (`spanmark-codecs`, src/codecs.rs) fetched on the first Open, Download or Compare. The static
//! server lists every request it answered, the service worker's included.

use super::*;
use std::sync::atomic::Ordering;

use crate::compare::{agreement_fixture, choose_compare_files};
use crate::downloads::choose_format;
use crate::harness::{run_scenario_served, Served};

/// The worker's files, as the server saw them requested.
const CODECS: &str = "/spanmark-codecs-";

/// Opens the article as a first visit does, from a server that sends the release's hashed files
/// as immutable (as docs/DEPLOY.md says), edits it and downloads it in Spanmark's own format,
/// with the service worker installed (it has cached what the first view needs): nothing of the
/// codec worker is asked for.
async fn first_view(app: &App, served: &Served) -> (String, Vec<char>) {
    served.immutable.store(true, Ordering::Release);
    let (text, chars) = app.open_article().await;
    app.wait_service_worker().await;
    let lavrov = want("actor", cp_find(&text, "Sergey Lavrov", 0));
    app.drag_select(lavrov.start, lavrov.end).await;
    app.press('1').await;
    app.expect_spans(&chars, &[lavrov]).await;
    app.settle_autosave().await;
    let file = app.download("default-article.spanmark.json").await;
    assert_eq!(file["spans"].as_array().map(Vec::len), Some(1), "{file}");
    assert_eq!(
        served.requested(CODECS),
        Vec::<String>::new(),
        "the first view fetched the codecs"
    );
    // Each file of the release came over the network once: the service worker cached the
    // browser's copy rather than downloading it again.
    let wasm = served.requested("_bg.wasm");
    assert_eq!(wasm.len(), 1, "{wasm:?}");
    assert_eq!(
        served.requested(".css").len(),
        1,
        "{:?}",
        served.requested(".css")
    );
    (text, chars)
}

/// The codec worker's three files were fetched, once each.
fn fetched_once(served: &Served) {
    let requested = served.requested(CODECS);
    let mut kinds: Vec<&str> = requested
        .iter()
        .map(|p| {
            if p.ends_with("_bg.wasm") {
                "wasm"
            } else if p.ends_with("_worker.js") {
                "loader"
            } else if p.ends_with(".js") {
                "bindings"
            } else {
                "something else"
            }
        })
        .collect();
    kinds.sort_unstable();
    assert_eq!(kinds, ["bindings", "loader", "wasm"], "{requested:?}");
}

#[test]
fn the_codec_worker_is_not_downloaded_until_the_first_open() {
    run_scenario_served("codecs-open", &json!({}), |s, served| async move {
        let app = App::new(s);
        first_view(&app, &served).await;
        app.choose_file(&fixture("short-note.txt")).await;
        app.expect_doc_text(&read_text(&fixture("short-note.txt")))
            .await;
        fetched_once(&served);
        // Kept: the next Open asks for nothing more.
        app.choose_file(&fixture("unicode-stress.txt")).await;
        app.expect_doc_text(&read_text(&fixture("unicode-stress.txt")))
            .await;
        fetched_once(&served);
    });
}

#[test]
fn the_codec_worker_is_not_downloaded_until_the_first_download_in_another_format() {
    run_scenario_served("codecs-download", &json!({}), |s, served| async move {
        let app = App::new(s);
        first_view(&app, &served).await;
        choose_format(&app, "label-studio").await;
        let tasks = app.download("default-article.label-studio.json").await;
        let results = &tasks[0]["annotations"][0]["result"];
        assert_eq!(results[0]["value"]["text"], "Sergey Lavrov", "{tasks}");
        fetched_once(&served);
    });
}

#[test]
fn the_codec_worker_is_not_downloaded_until_the_first_compare() {
    run_scenario_served("codecs-compare", &json!({}), |s, served| async move {
        let app = App::new(s);
        first_view(&app, &served).await;
        app.click("#compare-open").await;
        assert_eq!(
            served.requested(CODECS),
            Vec::<String>::new(),
            "the dialog alone fetched them"
        );
        choose_compare_files(
            &app,
            &[
                &agreement_fixture("annotator-a.spanmark.json"),
                &agreement_fixture("annotator-b.spanmark.json"),
            ],
        )
        .await;
        app.wait_js(
            "the agreement table",
            "const t = document.querySelector('.compare-dialog .agreement-table'); return t && t.querySelectorAll('tbody tr').length > 0;",
            vec![],
        )
        .await;
        fetched_once(&served);
    });
}
