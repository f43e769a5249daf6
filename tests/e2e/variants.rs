//! Opening what other tools export: the Open report lists each span trimmed and each item
//! skipped before anything is added; its Strict checkbox refuses the file instead; a doccano
//! label file opened with an export names its numeric label ids.

use super::library::stored_doc;
use super::*;

fn variant(path: &str) -> PathBuf {
    fixture("variants").join(path)
}

/// The Open report's text, or null while it is closed.
async fn report_text(app: &App) -> Value {
    app.js(
        "const d = document.querySelector('dialog.open-report');
         return d && d.open ? d.innerText : null;",
        vec![],
    )
    .await
}

/// Waits until the open report's text contains `part`, and returns it.
async fn expect_report(app: &App, part: &str) -> String {
    let v = app
        .wait_js(
            &format!("the Open report saying {part:?}"),
            "const d = document.querySelector('dialog.open-report');
             return d && d.open && d.innerText.includes(arguments[0]) ? d.innerText : null;",
            vec![json!(part)],
        )
        .await;
    v.as_str().unwrap_or_default().to_owned()
}

#[test]
fn the_open_report_names_each_trimmed_span_and_strict_refuses() {
    run_scenario(
        "the_open_report_names_each_trimmed_span_and_strict_refuses",
        |s| async move {
            let app = App::new(s);
            let axe = super::a11y::axe_source();
            app.open().await;
            let before = app.library().await.len();

            // A doccano export whose spans end with a space: read, each named, nothing added yet.
            app.choose_file(&variant("doccano/trailing-spaces.jsonl"))
                .await;
            let report = expect_report(&app, "3 documents read").await;
            assert!(report.contains("\"BTS \" at 0..4"), "{report}");
            assert!(report.contains("read as \"BTS\" at 0..3"), "{report}");
            assert!(report.contains("\"ECONOMY\" is not kept"), "{report}");
            assert_eq!(
                app.library().await.len(),
                before,
                "nothing is added before Add"
            );
            let mut found = Vec::new();
            for _ in 0..2 {
                let theme = super::a11y::theme(&app).await;
                app.screenshot(&format!("open-report-{theme}.png")).await;
                found.extend(
                    super::a11y::axe_violations(
                        &app,
                        &axe,
                        &format!("open report, {theme} theme"),
                        false,
                    )
                    .await,
                );
                // The toolbar is behind the modal report: switch as its button does.
                let other = if theme == "dark" { "light" } else { "dark" };
                app.js("document.getElementById('theme-toggle').click();", vec![])
                    .await;
                app.wait_js(
                    "the other theme",
                    "return document.documentElement.dataset.theme === arguments[0];",
                    vec![json!(other)],
                )
                .await;
                tokio::time::sleep(Duration::from_millis(300)).await;
            }
            assert!(found.is_empty(), "axe-core: {}", found.join("\n"));

            // Strict: the same file is refused, naming the span; Add is off.
            app.click("#open-strict").await;
            let strict = expect_report(&app, "cannot be opened").await;
            assert!(strict.contains("label[0]"), "{strict}");
            let disabled = app
                .js(
                    "return document.getElementById('open-add').disabled;",
                    vec![],
                )
                .await;
            assert_eq!(disabled, json!(true), "nothing can be added strictly");
            // Back to lenient reading, and add.
            app.click("#open-strict").await;
            expect_report(&app, "3 documents read").await;
            app.click("#open-add").await;
            let rows = app
                .expect_library("the three documents added", |r| r.len() == before + 3)
                .await;
            assert_eq!(report_text(&app).await, Value::Null, "the report closed");
            let doc = stored_doc(&app, &rows[before].id).await;
            let spans = doc["spans"].as_array().expect("spans");
            assert!(
                spans.iter().any(|s| s["start"] == json!(0)
                    && s["end"] == json!(3)
                    && s["text"] == json!("BTS")),
                "BTS is stored trimmed: {doc}"
            );

            // An older doccano export with its label file, picked together: the ids have names.
            app.choose_files(&[
                &variant("doccano/older-export.jsonl"),
                &variant("doccano/older-export.labels.json"),
            ])
            .await;
            let report = expect_report(&app, "2 documents read").await;
            assert!(report.contains("2 annotators"), "{report}");
            app.click("#open-add").await;
            let rows = app
                .expect_library("the two documents added", |r| r.len() == before + 5)
                .await;
            let doc = stored_doc(&app, &rows[before + 3].id).await;
            let names: Vec<&str> = doc["schema"]["labels"]
                .as_array()
                .expect("labels")
                .iter()
                .filter_map(|l| l["name"].as_str())
                .collect();
            assert!(
                names.contains(&"ORG") && names.contains(&"MISC"),
                "{names:?}"
            );
            assert!(!names.contains(&"12"), "{names:?}");

            // A file that reads without a word opens at once, with no report.
            app.choose_file(&variant("doccano/pretty-record.json"))
                .await;
            app.expect_library("the record added", |r| r.len() == before + 6)
                .await;
            assert_eq!(report_text(&app).await, Value::Null);
        },
    );
}
