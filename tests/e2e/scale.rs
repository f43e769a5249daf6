//! Long documents: on the generated 1 MiB document with 10,000 spans, an edit re-renders only
//! the paragraph it touches; a document too large for the browser's storage is refused whole,
//! and offered as a download.

use super::*;

use std::collections::BTreeMap;

use spanmark_formats::native;
use spanmark_testkit::sample::generate;

/// Puts the generated 1 MiB / 10,000-span document into storage as the open document, and
/// loads the app on it. Returns the paragraph count.
async fn open_large_document(app: &App) -> usize {
    app.open().await;
    let doc = generate(1, 1 << 20, 10_000);
    let entries: Vec<Value> = stored_library(&doc)
        .into_iter()
        .map(|(k, v)| json!([k, v]))
        .collect();
    app.js(
        "localStorage.clear(); for (const [k, v] of arguments[0]) localStorage.setItem(k, v); return true;",
        vec![Value::Array(entries)],
    )
    .await;
    app.reload().await;
    let paragraphs = spanmark_core::layout::paragraphs(&doc.document.text).len();
    app.wait_js(
        "every paragraph of the large document",
        "return document.querySelectorAll('article.doc .para').length === arguments[0];",
        vec![json!(paragraphs)],
    )
    .await;
    paragraphs
}

/// Scrolls paragraph `index` to the middle of the view and waits until it shows its spans.
async fn show_paragraph(app: &App, index: usize) {
    app.js(
        "document.querySelector(`.para[data-index=\"${arguments[0]}\"]`).scrollIntoView({ block: 'center' }); return true;",
        vec![json!(index)],
    )
    .await;
    app.wait_js(
        "the paragraph to show its spans",
        "return !!document.querySelector(`.para[data-index=\"${arguments[0]}\"] mark[data-span]`);",
        vec![json!(index)],
    )
    .await;
}

/// Starts recording which paragraphs DOM mutations inside the article fall in.
async fn watch_mutations(app: &App) {
    app.js(
        "const article = document.querySelector('article.doc');
         window.__mutated = [];
         window.__watch && window.__watch.disconnect();
         window.__watch = new MutationObserver((records) => {
           for (const r of records) {
             const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
             const para = el && el.closest('.para');
             window.__mutated.push(para ? Number(para.dataset.index) : -1);
           }
         });
         window.__watch.observe(article, { subtree: true, childList: true, attributes: true, characterData: true });
         return true;",
        vec![],
    )
    .await;
}

/// The paragraphs mutated since `watch_mutations` (-1: outside every paragraph), with counts.
async fn mutated(app: &App) -> BTreeMap<i64, usize> {
    // Two frames: everything the edit changes has been drawn.
    app.s
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
            vec![],
        )
        .await
        .expect("wait two frames");
    let v = app.js("return window.__mutated;", vec![]).await;
    let mut counts = BTreeMap::new();
    for i in v.as_array().expect("mutations") {
        *counts.entry(i.as_i64().unwrap_or(-2)).or_insert(0) += 1;
    }
    counts
}

/// Asserts that every DOM mutation since `watch_mutations` fell inside paragraph `index`.
async fn expect_only_paragraph(app: &App, index: usize, what: &str) {
    let counts = mutated(app).await;
    assert_eq!(
        counts.keys().copied().collect::<Vec<_>>(),
        vec![index as i64],
        "{what} changed the DOM outside its paragraph {index}: {counts:?}"
    );
}

#[test]
fn editing_one_span_of_a_large_document_re_renders_only_its_paragraph() {
    run_scenario(
        "editing_one_span_of_a_large_document_re_renders_only_its_paragraph",
        |s| async move {
            let app = App::new(s);
            let paragraphs = open_large_document(&app).await;

            // A paragraph far down the document, with spans.
            let index = (paragraphs * 2 / 3..paragraphs)
                .find(|&i| i % 7 == 0)
                .expect("a paragraph");
            show_paragraph(&app, index).await;
            let para = format!(".para[data-index=\"{index}\"]");

            // Relabel: click the span, press the key of another label.
            let mark = app
                .js(
                    "const m = document.querySelector(arguments[0] + ' mark[data-span]');
                     m.scrollIntoView({ block: 'center' });
                     return [m.dataset.span, m.dataset.label];",
                    vec![json!(para)],
                )
                .await;
            let (id, label) = (
                mark[0].as_str().unwrap().to_owned(),
                mark[1].as_str().unwrap().to_owned(),
            );
            let span_css = format!("{para} mark[data-span=\"{id}\"]");
            app.click(&span_css).await;
            app.expect_selected(&[&id]).await;
            let (key, new_label) = if label == "place" {
                ('1', "actor")
            } else {
                ('2', "place")
            };
            watch_mutations(&app).await;
            app.press(key).await;
            app.wait_js(
                "the span relabelled",
                "const m = document.querySelector(arguments[0]); return !!m && m.dataset.label === arguments[1];",
                vec![json!(span_css), json!(new_label)],
            )
            .await;
            expect_only_paragraph(&app, index, "relabelling a span").await;

            // Add: select a word outside every span in that paragraph, press 1.
            let total_before = app
                .js(
                    "return document.querySelector('.panel .total').textContent;",
                    vec![],
                )
                .await;
            let picked = app
                .js(
                    "for (const run of document.querySelectorAll(arguments[0] + ' > .run')) {
                       const node = run.firstChild;
                       if (!node || node.nodeType !== 3) continue;
                       const m = /(?<![\\p{L}\\p{N}'’-])\\p{L}{4,}(?![\\p{L}\\p{N}'’-])/u.exec(node.data);
                       if (!m) continue;
                       const range = document.createRange();
                       range.setStart(node, m.index);
                       range.setEnd(node, m.index + m[0].length);
                       getSelection().removeAllRanges();
                       getSelection().addRange(range);
                       return m[0];
                     }
                     return null;",
                    vec![json!(para)],
                )
                .await;
            assert!(picked.is_string(), "no free word in paragraph {index}");
            watch_mutations(&app).await;
            app.press('1').await;
            app.wait_js(
                "one more span",
                "return document.querySelector('.panel .total').textContent !== arguments[0];",
                vec![total_before],
            )
            .await;
            expect_only_paragraph(&app, index, "adding a span").await;

            // Both edits reach storage.
            let stored = app
                .js(
                    "const d = E2E.storedDoc();
                     return [d.spans.length, d.spans.find(s => s.id === arguments[0]).label];",
                    vec![json!(id)],
                )
                .await;
            assert_eq!(stored, json!([10_001, new_label]), "the stored document");
        },
    );
}

#[test]
fn a_document_too_large_for_storage_is_refused_and_offered_as_a_download() {
    run_scenario(
        "a_document_too_large_for_storage_is_refused_and_offered_as_a_download",
        |s| async move {
            let app = App::new(s);
            app.open().await;
            let before = app
                .expect_library("the default article", |r| r.len() == 1)
                .await;
            let keys_before = app
                .js("return Object.keys(localStorage).sort();", vec![])
                .await;

            // 11 million characters: more than any browser's localStorage holds for a site.
            let chars = app
                .js(
                    "const line = 'The committee met again on Tuesday and adjourned. '.repeat(4) + '\\n';
                     const text = line.repeat(Math.ceil(11e6 / line.length));
                     const dt = new DataTransfer();
                     dt.items.add(new File([text], 'huge.txt', { type: 'text/plain' }));
                     document.body.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
                     return text.length;",
                    vec![],
                )
                .await;
            let alert = app.expect_alert("too large").await;
            assert!(
                alert.contains("\u{201c}huge\u{201d}") && alert.contains("Nothing of it was saved"),
                "the refusal names the document and says nothing was saved: {alert}"
            );

            // Nothing half-saved: the list, the index and the stored keys are as before.
            let after = app.library().await;
            assert_eq!(after, before, "the document list");
            let keys_after = app
                .js("return Object.keys(localStorage).sort();", vec![])
                .await;
            assert_eq!(keys_after, keys_before, "the keys in storage");

            // The alert offers the document as a download, whole.
            let name = "huge.spanmark.json";
            let _ = std::fs::remove_file(app.s.downloads.join(name));
            app.click(".alert button.rescue").await;
            let file = app.wait_download(name).await;
            let doc = native::parse(&file.to_string()).expect("the download is a Spanmark file");
            assert_eq!(
                doc.document.text.chars().count() as u64,
                chars.as_u64().unwrap(),
                "the downloaded text"
            );
        },
    );
}
