//! The curator's dashboard on a large project: 1,000 documents, each annotated by three
//! annotators (all done), read from pouchdb-server through the app's origin. Measured: the
//! time from the click on *Dashboard* to its first chart drawn (the animation frame after the
//! chart is in the page, whose paint shows it), and the part of it spent reading the project (`_all_docs`). The browser is
//! signed in (a session cookie) with the project stored as disconnected, so the app does not
//! first copy the whole corpus into its storage: what is measured is the dashboard alone.
//!
//! Writes `target/bench/dashboard.md`.

use std::fmt::Write as _;

use serde_json::{json, Value};

use crate::team::page_sign_in;
use crate::team_harness::{run_team_scenario, TeamWorld, ADMIN, PROJECT};
use spanmark_core::{Action, AnnotatedDocument, Document};
use spanmark_formats::team::plan::Plan;
use spanmark_formats::team::project::Project;
use spanmark_formats::team::{self, Status};

const DOCUMENTS: usize = 1_000;
const ANNOTATORS: [&str; 3] = ["anna", "ben", "cleo"];
const RUNS: usize = 3;

/// Document `n`'s text: twelve sentences naming people and places.
fn text(n: usize) -> String {
    let mut t = format!("Report {n}. ");
    for k in 0..12 {
        t.push_str(match (n + k) % 3 {
            0 => "Lavrov met Kerry in Geneva and denied the claim. ",
            1 => "The minister said in Moscow that talks would go on. ",
            _ => "Officials in Washington did not comment on the report. ",
        });
    }
    t
}

/// Annotator `a`'s version of `doc`: each tags the names and places, and each leaves out some
/// that the others tag, so that agreement is not perfect.
fn annotated(doc: &AnnotatedDocument, a: usize) -> AnnotatedDocument {
    let mut d = doc.clone();
    let text = doc.document.text.clone();
    let mut k = 0;
    for (word, label) in [
        ("Lavrov", "actor"),
        ("Kerry", "actor"),
        ("Geneva", "place"),
        ("Moscow", "place"),
        ("Washington", "place"),
        ("denied the claim", "denial"),
    ] {
        for (b, _) in text.match_indices(word) {
            k += 1;
            if (k + a).is_multiple_of(5) {
                continue;
            }
            let start = text[..b].chars().count();
            let end = start + word.chars().count();
            let _ = d.apply(Action::AddSpan {
                label: label.into(),
                start,
                end,
            });
        }
    }
    d
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[test]
#[ignore = "a benchmark: run with `make bench` (cargo test --test e2e bench:: -- --ignored --nocapture)"]
fn dashboard_of_a_thousand_documents() {
    run_team_scenario("bench-dashboard", |world: TeamWorld| async move {
        world.server.add_user("cleo", &["annotator"]);
        // The corpus, in batches through _bulk_docs.
        let mut plan = Plan::default();
        let mut batch: Vec<Value> = Vec::new();
        let flush = |batch: &mut Vec<Value>| {
            let body = json!({ "docs": batch }).to_string();
            let (status, answer) = world.server.request(
                "POST",
                &format!("/{PROJECT}/_bulk_docs"),
                Some(ADMIN),
                Some(&body),
            );
            assert_eq!(status, 201, "{answer}");
            batch.clear();
        };
        let mut spans = 0;
        for n in 0..DOCUMENTS {
            let doc = AnnotatedDocument::new(Document::new(format!("report {n:04}"), text(n)));
            batch.push(team::document_json(&doc));
            for (a, user) in ANNOTATORS.iter().enumerate() {
                let mine = annotated(&doc, a);
                spans += mine.spans().len();
                batch.push(team::annotation_json(
                    &mine,
                    user,
                    Status::Done,
                    "2026-12-04T10:00:00Z",
                ));
            }
            plan.assignments.insert(
                doc.document.id.clone(),
                ANNOTATORS.iter().map(|u| (*u).to_owned()).collect(),
            );
            if batch.len() >= 400 {
                flush(&mut batch);
            }
        }
        batch.push(plan.to_json());
        flush(&mut batch);

        // The curator: signed in, the project stored but not syncing.
        let cora = world.browser("cora").await;
        cora.client
            .goto(&cora.base_url)
            .await
            .expect("open the app");
        let answer = page_sign_in(&cora, "cora", "cora-pw").await;
        assert_eq!(answer["status"], json!(200), "{answer}");
        let mut project = Project::new("/couchdb/", PROJECT, "cora", true);
        project.connected = false;
        cora.client
            .execute(
                "localStorage.setItem('spanmark:v2:team', arguments[0]);",
                vec![json!(serde_json::to_string(&project).unwrap())],
            )
            .await
            .expect("store the project");

        let mut first = Vec::new();
        let mut all = Vec::new();
        let mut read = Vec::new();
        let mut bytes = 0.0;
        for _ in 0..RUNS {
            cora.client.refresh().await.expect("reload");
            cora.client
                .wait()
                .for_element(fantoccini::Locator::Css("#dashboard-open"))
                .await
                .expect("the Dashboard button");
            let m = cora
                .client
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     performance.clearResourceTimings();
                     const t0 = performance.now();
                     document.querySelector('#dashboard-open').click();
                     let first = null;
                     const check = () => {
                       if (first === null && document.querySelector('#progress-chart')) {
                         // The frame that paints the chart: its callbacks run, then the paint.
                         requestAnimationFrame(() => {
                           first = performance.now() - t0;
                           setTimeout(check, 0);
                         });
                         return;
                       }
                       if (first !== null && document.querySelector('#agreement-chart')) {
                         requestAnimationFrame(() => setTimeout(() => {
                           const all = performance.now() - t0; 
                           const r = performance.getEntriesByType('resource')
                             .find(e => e.name.includes('_all_docs'));
                           done({ first, all, read: r ? r.responseEnd - r.startTime : null,
                                  bytes: r ? r.encodedBodySize : null,
                                  cells: document.querySelectorAll('#agreement-chart rect').length });
                         }, 0));
                         return;
                       }
                       setTimeout(check, 2);
                     };
                     check();",
                    vec![],
                )
                .await
                .expect("measure the dashboard");
            // The 40 documents that agree least, a cell per label used (actor, place, denial) and
            // one for all labels.
            assert_eq!(m["cells"], json!(40 * 4), "{m}");
            first.push(m["first"].as_f64().unwrap());
            all.push(m["all"].as_f64().unwrap());
            read.push(m["read"].as_f64().unwrap_or(f64::NAN));
            bytes = m["bytes"].as_f64().unwrap_or(0.0);
            cora.client
                .execute(
                    "document.querySelector('#dashboard-close').click();",
                    vec![],
                )
                .await
                .expect("close the dashboard");
        }
        let mut out = String::new();
        let _ = writeln!(
            out,
            "The curator's dashboard on {DOCUMENTS} documents \u{d7} {} annotators ({} annotation documents, {spans} spans, all done), pouchdb-server on loopback behind the app's origin; median of {RUNS} runs (each after a reload):\n",
            ANNOTATORS.len(),
            DOCUMENTS * ANNOTATORS.len(),
        );
        let _ = writeln!(out, "| measure | median | runs |");
        let _ = writeln!(out, "|---|---:|---|");
        let list = |v: &[f64]| {
            v.iter()
                .map(|x| format!("{x:.0}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            out,
            "| click on *Dashboard* \u{2192} first chart drawn | {:.0} ms | {} |",
            median(first.clone()),
            list(&first)
        );
        let _ = writeln!(
            out,
            "| click on *Dashboard* \u{2192} agreement drawn (heat map and tables) | {:.0} ms | {} |",
            median(all.clone()),
            list(&all)
        );
        let _ = writeln!(
            out,
            "| of which reading the project (`_all_docs`, {:.1} MB) | {:.0} ms | {} |",
            bytes / 1e6,
            median(read.clone()),
            list(&read)
        );
        let _ = writeln!(out);
        println!("{out}");
        let dir = crate::harness::repo_root().join("target/bench");
        std::fs::create_dir_all(&dir).expect("target/bench");
        std::fs::write(dir.join("dashboard.md"), out).expect("write dashboard.md");
    });
}
