//! Running an annotation project in the app: a curator assigns a six-document corpus to three
//! annotators, two per document, from the dashboard; each annotator works through their queue
//! in their own browser (*Next unfinished* with `n`, tagging, *Mark as done*); the dashboard's
//! counts and agreement are those of `spanmark agree` on the same database; the curator
//! curates one document from the server into its gold version, which is exactly what
//! `spanmark pull --gold` returns. axe checks the queue, the dashboard and the guidelines in
//! both themes.

use std::collections::BTreeMap;
use std::process::Command;

use super::*;
use crate::a11y::{axe_source, axe_violations};
use crate::team::{connect, expect_sync, tag};
use crate::team_harness::{password, run_team_scenario, TeamWorld, PROJECT};
use spanmark_core::{AnnotatedDocument, Document, GuidePart, Schema};
use spanmark_formats::team::plan::assign;

/// The corpus: six stories, each naming Lavrov and Geneva.
fn stories() -> Vec<AnnotatedDocument> {
    let schema = Schema::default()
        .with_label_guide(
            "actor",
            GuidePart::Is,
            "A person or group that acts or speaks.",
        )
        .and_then(|s| s.with_label_guide("actor", GuidePart::Example, "Lavrov"))
        .unwrap();
    (1..=6)
        .map(|n| {
            let mut d = AnnotatedDocument::new(Document::new(
                format!("story-{n}"),
                format!("Story {n}: Lavrov met Kerry in Geneva on day {n}."),
            ));
            d.schema = schema.clone();
            d
        })
        .collect()
}

/// The `spanmark` command line, built by the workspace's tests (or here, when it is not).
fn spanmark_cli(args: &[&str], user: &str) -> std::process::Output {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"));
    let exe = target.join("debug/spanmark");
    if !exe.exists() {
        let built = Command::new(env!("CARGO"))
            .args([
                "build",
                "--locked",
                "-p",
                "spanmark-cli",
                "--bin",
                "spanmark",
            ])
            .current_dir(repo_root())
            .status()
            .expect("build the command line");
        assert!(built.success(), "cargo build of the command line failed");
    }
    Command::new(exe)
        .args(args)
        .env("SPANMARK_USER", user)
        .env("SPANMARK_PASSWORD", password(user))
        .output()
        .expect("run spanmark")
}

/// The text of the cell `css` in the dashboard.
async fn cell(app: &App, css: &str) -> String {
    app.wait_css(css).await;
    app.js(
        "return document.querySelector(arguments[0]).innerText.trim();",
        vec![json!(css)],
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

/// Opens the dashboard (read from the server anew) and waits for its tables.
async fn open_dashboard(app: &App) {
    app.click("#dashboard-open").await;
    app.wait_css("#dashboard[open] #documents-table").await;
}

async fn close_dashboard(app: &App) {
    app.click("#dashboard-close").await;
    app.wait_js(
        "the dashboard to close",
        "return !document.querySelector('#dashboard').open;",
        vec![],
    )
    .await;
}

/// Checks axe on the page as it is, in the light and the dark theme.
async fn axe_both_themes(app: &App, context: &str) {
    let axe = axe_source();
    for theme in ["light", "dark"] {
        app.js(
            "document.documentElement.dataset.theme = arguments[0];",
            vec![json!(theme)],
        )
        .await;
        let violations = axe_violations(app, &axe, &format!("{context}, {theme}"), false).await;
        assert!(
            violations.is_empty(),
            "{context}, {theme} theme:\n{}",
            violations.join("\n")
        );
    }
}

#[test]
fn a_project_is_assigned_worked_through_measured_and_curated() {
    run_team_scenario(
        "project-assign-work-curate",
        |world: TeamWorld| async move {
            world.server.add_user("cleo", &["annotator"]);
            let docs = stories();
            for d in &docs {
                world.server.put_document(d);
            }
            let title_of: BTreeMap<String, String> = docs
                .iter()
                .map(|d| (d.document.id.clone(), d.document.title.clone()))
                .collect();
            let id_of: BTreeMap<String, String> = title_of
                .iter()
                .map(|(id, t)| (t.clone(), id.clone()))
                .collect();

            // The curator assigns the six documents to three annotators, two each.
            let cora = App::new(world.browser("cora").await);
            cora.open_article().await;
            connect(&cora, "cora").await;
            expect_sync(&cora, "Synced").await;
            cora.expect_library("the six stories", |rows| {
                (1..=6).all(|n| {
                    rows.iter()
                        .any(|r| r.name.as_deref() == Some(&format!("story-{n}")))
                })
            })
            .await;
            open_dashboard(&cora).await;
            assert_eq!(cell(&cora, "#assign").await, "Assign");
            cora.js(
                "const f = document.querySelector('#assign-annotators');
             f.value = 'anna, ben, cleo';
             f.dispatchEvent(new Event('input', { bubbles: true }));",
                vec![],
            )
            .await;
            cora.click("#assign").await;
            let expected = assign(
                &BTreeMap::new(),
                &title_of.keys().cloned().collect::<Vec<_>>(),
                &["anna".into(), "ben".into(), "cleo".into()],
                2,
            )
            .unwrap();
            let deadline = Instant::now() + WAIT;
            let assignments: BTreeMap<String, Vec<String>> = loop {
                let (status, plan) = world.server.get(&format!("/{PROJECT}/project"));
                if status == 200 {
                    break serde_json::from_value(plan["assignments"].clone()).unwrap();
                }
                assert!(
                    Instant::now() < deadline,
                    "the project document was not written"
                );
                tokio::time::sleep(Duration::from_millis(200)).await;
            };
            assert_eq!(assignments, expected);
            for who in ["anna", "ben", "cleo"] {
                assert_eq!(
                    assignments
                        .values()
                        .filter(|u| u.iter().any(|x| x == who))
                        .count(),
                    4
                );
            }
            // The dashboard is read again: every document assigned, no one done.
            cora.wait_js(
            "the dashboard to show the assignments",
            "const r = document.querySelector('#progress-table tr[data-user=anna] td:nth-of-type(3)');
             return !!r && r.innerText.trim() === '4';",
            vec![],
        )
        .await;
            axe_both_themes(&cora, "the dashboard").await;
            cora.screenshot("project-dashboard-assigned.png").await;
            close_dashboard(&cora).await;

            // Each annotator works through their queue: `n` opens the next unfinished document;
            // the first of a document's pair tags Lavrov and Geneva, the second only Lavrov.
            for who in ["anna", "ben", "cleo"] {
                let app = App::new(world.browser(who).await);
                app.open_article().await;
                connect(&app, who).await;
                app.wait_js(
                "the queue to hold four documents, none done",
                "const c = document.querySelector('#queue-count');
                 return !!c && c.innerText === '0 of 4 done'
                   && document.querySelectorAll('.queue-item button.queue-open:not(:disabled)').length === 4;",
                vec![],
            )
            .await;
                if who == "anna" {
                    axe_both_themes(&app, "an annotator's queue").await;
                }
                for done in 0..4 {
                    app.press('n').await;
                    let title = app
                        .wait_js(
                            "the next unfinished document to open",
                            "const t = document.querySelector('h1.doc-title').innerText;
                         const item = [...document.querySelectorAll('.queue-item')]
                           .find(li => li.querySelector('.queue-open').innerText === t);
                         return item && item.dataset.stage !== 'done' ? t : null;",
                            vec![],
                        )
                        .await;
                    let title = title.as_str().unwrap().to_owned();
                    if who == "anna" && done == 0 {
                        // The guidelines: on the label button, and in their dialog.
                        let tip = app
                            .js("return document.querySelector('.label-btn[data-label=actor]').title;", vec![])
                            .await;
                        assert!(
                            tip.as_str().is_some_and(
                                |t| t.contains("A person or group that acts or speaks.")
                            ),
                            "{tip}"
                        );
                        app.click("#guidelines-open").await;
                        app.wait_css(
                            "#guidelines-dialog[open] .guide-item[data-label=actor] .guide-parts",
                        )
                        .await;
                        axe_both_themes(&app, "the guidelines").await;
                        app.screenshot("project-guidelines.png").await;
                        app.click("#guidelines-close").await;
                    }
                    let id = &id_of[&title];
                    app.wait_css("article.doc .run").await;
                    let text = app.doc_text().await;
                    let first = assignments[id][0] == who;
                    let lavrov = want("actor", cp_find(&text, "Lavrov", 0));
                    tag(&app, lavrov).await;
                    if first {
                        tag(&app, want("place", cp_find(&text, "Geneva", 0))).await;
                    }
                    app.click("#mark-done").await;
                    app.wait_js(
                        "the document to be marked done",
                        "return document.querySelector('#queue-count').innerText === arguments[0];",
                        vec![json!(format!("{} of 4 done", done + 1))],
                    )
                    .await;
                    let spans = if first { 2 } else { 1 };
                    world
                        .server
                        .wait_for_annotations(id, who, Duration::from_secs(20), |a| {
                            a["status"] == json!("done")
                                && a["spans"].as_array().map(Vec::len) == Some(spans)
                        })
                        .await;
                }
                // Nothing is left: `n` says so.
                app.press('n').await;
                app.wait_js(
                    "the status to say the queue is done",
                    "return document.querySelector('.status').innerText.includes('queue is done');",
                    vec![],
                )
                .await;
                if who == "anna" {
                    app.screenshot("project-queue-done.png").await;
                }
            }

            // The dashboard's numbers are those of the command line on the same database.
            let db = format!("{}/{PROJECT}", world.server.url());
            let out = spanmark_cli(&["agree", &db, "--json"], "cora");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let report: Value = serde_json::from_slice(&out.stdout).unwrap();
            open_dashboard(&cora).await;
            for a in report["annotators"].as_array().unwrap() {
                let user = a["user"].as_str().unwrap();
                let row = format!("#progress-table tr[data-user={user}]");
                assert_eq!(
                    cell(&cora, &format!("{row} td:nth-of-type(1)")).await,
                    a["done"].to_string()
                );
                assert_eq!(
                    cell(&cora, &format!("{row} td:nth-of-type(3)")).await,
                    a["assigned"].to_string()
                );
                assert_eq!(
                    cell(&cora, &format!("{row} td:nth-of-type(4)")).await,
                    a["spans"].to_string()
                );
            }
            let two = |v: &Value| format!("{:.2}", v.as_f64().unwrap());
            let overall = &report["agreement"]["overall"];
            assert_eq!(overall["documents"], json!(6));
            assert_eq!(
                cell(&cora, "#agreement-table tr[data-label=''] td.micro").await,
                two(&overall["exact"]["f1"])
            );
            assert_eq!(
                cell(&cora, "#agreement-table tr[data-label=''] td.macro").await,
                two(&overall["exact_macro_f1"])
            );
            for l in report["agreement"]["labels"].as_array().unwrap() {
                let row = format!(
                    "#agreement-table tr[data-label={}]",
                    l["label"].as_str().unwrap()
                );
                assert_eq!(
                    cell(&cora, &format!("{row} td.micro")).await,
                    two(&l["exact"]["f1"])
                );
            }
            let counts = report["labels"].as_array().unwrap();
            let actors = counts.iter().find(|l| l["label"] == "actor").unwrap();
            assert_eq!(actors["spans"], json!(12));
            assert_eq!(
                cell(&cora, "#labels-table tr[data-label=actor] td").await,
                "12"
            );
            cora.screenshot("project-dashboard-done.png").await;

            // The curator curates the first story: Geneva is disputed; accepting it makes the gold.
            let first = id_of["story-1"].clone();
            cora.click(&format!(
                "#documents-table tr[data-document='{first}'] button.curate"
            ))
            .await;
            cora.wait_css(".compare-dialog[open] .disputes li button.accept")
                .await;
            cora.click(".compare-dialog[open] .disputes li button.accept")
                .await;
            cora.click("#compare-save").await;
            let deadline = Instant::now() + Duration::from_secs(20);
            let gold = loop {
                let (status, gold) = world.server.get(&format!("/{PROJECT}/gold:{first}"));
                if status == 200 {
                    break gold;
                }
                assert!(Instant::now() < deadline, "the gold version was not saved");
                tokio::time::sleep(Duration::from_millis(200)).await;
            };
            let labels: Vec<&str> = gold["spans"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["label"].as_str().unwrap())
                .collect();
            assert_eq!(labels, ["actor", "place"], "{gold}");

            // pull --gold: exactly the accepted spans, of the first story only.
            let out_dir = crate::harness::TempDir::new("gold");
            let out = spanmark_cli(
                &[
                    "pull",
                    &db,
                    "--gold",
                    "--to",
                    "spanmark",
                    "-o",
                    &format!("{}/", out_dir.path().display()),
                ],
                "cora",
            );
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let files: Vec<PathBuf> = std::fs::read_dir(out_dir.path())
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            assert_eq!(files.len(), 1, "{files:?}");
            let pulled =
                spanmark_formats::native::parse(&std::fs::read_to_string(&files[0]).unwrap())
                    .unwrap();
            let text = &pulled.document.text;
            let spans: Vec<(usize, usize, String)> = pulled
                .spans()
                .iter()
                .map(|s| (s.start, s.end, s.label.clone()))
                .collect();
            let (ls, le) = cp_find(text, "Lavrov", 0);
            let (gs, ge) = cp_find(text, "Geneva", 0);
            assert_eq!(
                spans,
                [(ls, le, "actor".to_owned()), (gs, ge, "place".to_owned())]
            );
            assert_eq!(pulled.document.title, "story-1");

            // The dashboard says it is curated.
            open_dashboard(&cora).await;
            assert!(cell(
                &cora,
                &format!("#documents-table tr[data-document='{first}'] td:last-child")
            )
            .await
            .starts_with("curated"),);
        },
    );
}
