//! Comparing annotators: two annotators' files of the default article open in the Compare
//! dialog, which shows the agreement table; three disagreements are curated and the gold
//! document is saved to the library and downloaded with exactly the agreed and accepted spans.

use super::*;
use spanmark_core::agreement::{self, Annotation, ItemKey};
use spanmark_formats::native;

pub(crate) fn agreement_fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures/agreement").join(name)
}

fn load_fixture(name: &str) -> spanmark_core::AnnotatedDocument {
    native::parse(&read_text(&agreement_fixture(name))).expect("a valid fixture")
}

/// The table as shown: each row's header and cells, as text.
async fn table(app: &App) -> Vec<Vec<String>> {
    let v = app
        .wait_js(
            "the agreement table",
            "const t = document.querySelector('.compare-dialog .agreement-table');
             return t && [...t.querySelectorAll('tbody tr')].map(tr =>
               [...tr.children].map(c => c.textContent.trim()));",
            vec![],
        )
        .await;
    serde_json::from_value(v).expect("table rows")
}

/// The disputed items listed: (item id, text, who).
async fn disputes(app: &App) -> Vec<(String, String, String)> {
    let v = app
        .js(
            "return [...document.querySelectorAll('.compare-dialog .disputes li')].map(li =>
               [li.dataset.item, li.querySelector('.dispute-text').textContent, li.querySelector('.dispute-who').textContent]);",
            vec![],
        )
        .await;
    serde_json::from_value(v).expect("dispute rows")
}

pub(crate) async fn choose_compare_files(app: &App, paths: &[&Path]) {
    let input = app
        .s
        .client
        .find(Locator::Css("#compare-files"))
        .await
        .expect("#compare-files");
    let paths: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    input
        .send_keys(&paths.join("\n"))
        .await
        .expect("choose files to compare");
}

fn two_decimals(v: Option<f64>) -> String {
    v.map_or_else(|| "\u{2014}".to_owned(), |v| format!("{v:.2}"))
}

#[test]
fn compare_two_annotators_and_curate_a_gold_file() {
    run_scenario(
        "compare_two_annotators_and_curate_a_gold_file",
        |s| async move {
            let app = App::new(s);
            let (text, _) = app.open_article().await;

            let (a_name, b_name) = ("annotator-a.spanmark.json", "annotator-b.spanmark.json");
            let (a, b) = (load_fixture(a_name), load_fixture(b_name));
            let annotations = [
                Annotation {
                    name: a_name,
                    doc: &a,
                },
                Annotation {
                    name: b_name,
                    doc: &b,
                },
            ];
            let report = agreement::agreement(&annotations).expect("the fixtures compare");
            let comparison = agreement::compare(&annotations).expect("the fixtures compare");

            // Files whose texts differ are refused, with the reason.
            app.click("#compare-open").await;
            let other = fixture("short-note.txt");
            choose_compare_files(&app, &[&agreement_fixture(a_name), &other]).await;
            let refusal = app
            .wait_js(
                "the refusal of two different texts",
                "const e = document.querySelector('.compare-dialog [role=alert]'); return e && e.textContent;",
                vec![],
            )
            .await;
            assert!(
                refusal
                    .as_str()
                    .unwrap_or_default()
                    .contains("not the same text"),
                "the dialog says why: {refusal}"
            );

            // The two annotators: the table shows the measures core computes for them.
            choose_compare_files(
                &app,
                &[&agreement_fixture(a_name), &agreement_fixture(b_name)],
            )
            .await;
            let rows = table(&app).await;
            app.screenshot("compare.png").await;
            let overall = rows
                .iter()
                .find(|r| r[0] == report.overall.name)
                .unwrap_or_else(|| panic!("an overall row: {rows:?}"));
            assert_eq!(
                overall[1..],
                [
                    report.overall.counts[0].to_string(),
                    report.overall.counts[1].to_string(),
                    two_decimals(report.overall.exact.precision),
                    two_decimals(report.overall.exact.recall),
                    two_decimals(report.overall.exact.f1),
                    two_decimals(report.overall.overlap.f1),
                ],
                "the overall row"
            );
            assert_eq!(
                rows.len(),
                report.labels.len() + 2,
                "one row per label, overall, links"
            );
            let kappa = app
                .js(
                    "return document.querySelector('.compare-dialog .kappa').textContent;",
                    vec![],
                )
                .await;
            assert!(
                kappa
                    .as_str()
                    .unwrap_or_default()
                    .contains(&two_decimals(report.cohen_kappa)),
                "Cohen's kappa shown: {kappa}"
            );

            // Three disagreements decided: the first two accepted, the third rejected.
            let listed = disputes(&app).await;
            assert_eq!(
                listed.len(),
                comparison.disputed.len(),
                "every disagreement listed"
            );
            assert!(
                listed.len() >= 3,
                "the fixtures disagree at least three times"
            );
            let decided: Vec<(usize, bool)> = vec![(0, true), (1, true), (2, false)];
            for (i, accept) in &decided {
                let button = if *accept { "accept" } else { "reject" };
                app.click(&format!(
                    ".compare-dialog .disputes li[data-item=\"d{i}\"] button.{button}"
                ))
                .await;
            }
            app.wait_js(
            "three decided",
            "return document.querySelector('.compare-dialog .disputes .count').textContent.startsWith('3 of');",
            vec![],
        )
        .await;
            app.screenshot("compare-curated.png").await;
            let axe = super::a11y::axe_source();
            let found = super::a11y::axe_violations(&app, &axe, "compare dialog", false).await;
            assert!(
                found.is_empty(),
                "the dialog is accessible: {}",
                found.join("\n")
            );
            app.click("#compare-save").await;
            let rows = app
                .expect_library("the curated document added and open", |r| {
                    r.len() == 2 && r[1].current
                })
                .await;
            assert!(
                rows[1]
                    .name
                    .as_deref()
                    .unwrap_or_default()
                    .ends_with("(curated)"),
                "{rows:?}"
            );
            app.expect_doc_text(&text).await;

            // The gold file holds exactly what is agreed plus what was accepted.
            app.click("#download").await;
            let status = app
                .wait_js(
                    "the download",
                    "const s = document.querySelector('[role=status]').textContent;
                 return s.startsWith('Downloaded ') ? s.slice('Downloaded '.length) : null;",
                    vec![],
                )
                .await;
            let file = app.wait_download(status.as_str().unwrap_or_default()).await;
            let gold = native::parse(&file.to_string()).expect("the download opens");
            let mut want: Vec<(usize, usize, String)> = comparison
                .agreed
                .iter()
                .chain(
                    decided
                        .iter()
                        .filter(|(_, accept)| *accept)
                        .map(|(i, _)| &comparison.disputed[*i]),
                )
                .filter_map(|item| match &item.key {
                    ItemKey::Span { start, end, label } => Some((*start, *end, label.clone())),
                    ItemKey::Relation { .. } => None,
                })
                .collect();
            want.sort();
            let mut got: Vec<(usize, usize, String)> = gold
                .spans()
                .iter()
                .map(|s| (s.start, s.end, s.label.clone()))
                .collect();
            got.sort();
            assert_eq!(got, want, "the gold spans are the agreed and accepted ones");
            assert_eq!(gold.document.text, text);

            // The dialog in the other theme is as readable.
            let theme = super::library::toggle_theme(&app).await;
            app.click("#compare-open").await;
            choose_compare_files(
                &app,
                &[&agreement_fixture(a_name), &agreement_fixture(b_name)],
            )
            .await;
            table(&app).await;
            app.click(".compare-dialog .disputes li[data-item=\"d0\"] button.accept")
                .await;
            app.screenshot(&format!("compare-{theme}.png")).await;
            let found =
                super::a11y::axe_violations(&app, &axe, &format!("compare dialog, {theme}"), false)
                    .await;
            assert!(
                found.is_empty(),
                "the dialog is accessible in the {theme} theme: {}",
                found.join("\n")
            );
        },
    );
}
