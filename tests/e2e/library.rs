//! The document library: files dropped or picked several at once become documents; each
//! document keeps its spans when switching and across a reload; rename, delete and "New from
//! text"; a version 1 document moves into the library; the storage meter counts and warns.

use super::*;

/// Drops files made in the page (name, text) on the document body, the way a drag from the
/// file manager arrives: `dragover`, then `drop` carrying a DataTransfer with the files.
/// WebDriver cannot drag files from the operating system, so the events are built in the page.
/// Returns whether the app took each event (called `preventDefault`).
pub(super) async fn drop_files(app: &App, files: &[(&str, &str)]) -> (bool, bool) {
    let files: Vec<Value> = files.iter().map(|(n, t)| json!([n, t])).collect();
    let v = app
        .js(
            "const dt = new DataTransfer();
             for (const [name, text] of arguments[0]) dt.items.add(new File([text], name, { type: 'text/plain' }));
             const over = new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt });
             document.body.dispatchEvent(over);
             const drop = new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt });
             document.body.dispatchEvent(drop);
             return [over.defaultPrevented, drop.defaultPrevented];",
            vec![json!(files)],
        )
        .await;
    (v[0] == json!(true), v[1] == json!(true))
}

/// Types `text` on the keyboard into whatever has focus.
async fn type_text(app: &App, text: &str) {
    let mut keys = KeyActions::new("keyboard".into());
    for c in text.chars() {
        keys = keys
            .then(KeyAction::Down { value: c })
            .then(KeyAction::Up { value: c });
    }
    app.s.client.perform_actions(keys).await.expect("type text");
}

/// The stored document `id` (parsed), or null.
pub(super) async fn stored_doc(app: &App, id: &str) -> Value {
    app.js("return E2E.storedDocById(arguments[0]);", vec![json!(id)])
        .await
}

/// The spans of stored document `id` as `Want`s (labels mapped to the static names).
async fn stored_spans(app: &App, id: &str) -> Vec<Want> {
    let doc = stored_doc(app, id).await;
    let mut spans: Vec<Want> = doc["spans"]
        .as_array()
        .unwrap_or_else(|| panic!("document {id} is not stored: {doc}"))
        .iter()
        .map(|s| Want {
            start: s["start"].as_u64().unwrap() as usize,
            end: s["end"].as_u64().unwrap() as usize,
            label: match s["label"].as_str().unwrap() {
                "actor" => "actor",
                "place" => "place",
                "claim" => "claim",
                "denial" => "denial",
                other => panic!("unexpected label {other}"),
            },
        })
        .collect();
    spans.sort();
    spans
}

fn sorted(spans: &[Want]) -> Vec<Want> {
    let mut v = spans.to_vec();
    v.sort();
    v
}

/// Clicks the row of document `id` to open it.
async fn open_doc(app: &App, id: &str) {
    app.click(&format!("li.doc-item[data-doc=\"{id}\"] button.doc-open"))
        .await;
    app.expect_library(&format!("{id} open"), |r| {
        r.iter()
            .any(|d| d.id == id && d.current && d.aria_current.as_deref() == Some("page"))
            && r.iter().filter(|d| d.current).count() == 1
    })
    .await;
}

/// Waits until the page's focus is on an element matching `css`.
async fn wait_focus(app: &App, css: &str) {
    app.wait_js(
        &format!("focus on {css}"),
        "return !!document.activeElement && document.activeElement.matches(arguments[0]);",
        vec![json!(css)],
    )
    .await;
}

/// Switches to the other theme and waits until it is in force; returns its name.
pub(super) async fn toggle_theme(app: &App) -> String {
    let before = super::a11y::theme(app).await;
    let after = if before == "dark" { "light" } else { "dark" };
    app.click("#theme-toggle").await;
    app.wait_js(
        "the other theme",
        "return document.documentElement.dataset.theme === arguments[0];",
        vec![json!(after)],
    )
    .await;
    // Let colour transitions (if any) settle.
    tokio::time::sleep(Duration::from_millis(300)).await;
    after.to_string()
}

#[test]
fn three_dropped_files_become_three_documents() {
    run_scenario(
        "three_dropped_files_become_three_documents",
        |s| async move {
            let app = App::new(s);
            app.open().await;
            app.expect_doc_text(&default_article()).await;
            let before = app
                .expect_library("the default article alone", |r| r.len() == 1)
                .await;

            let unicode = read_text(&fixture("unicode-stress.txt"));
            let alpha = "Alpha report: Lavrov met Kerry in Geneva.\nThey talked for an hour.";
            let gamma = "Gamma: a last note, written in plain ASCII.";
            let files = [
                ("alpha.txt", alpha),
                ("unicode-stress.txt", unicode.as_str()),
                ("gamma.txt", gamma),
            ];
            let (over, drop) = drop_files(&app, &files).await;
            assert!(
                over,
                "the app accepts files dragged over the window (dragover prevented)"
            );
            assert!(drop, "the app takes the drop (no navigation to the file)");

            // The first dropped file is open, and the three follow the article in drop order.
            app.expect_doc_text(alpha).await;
            let rows = app
                .expect_library("three new documents, the first open", |r| {
                    r.len() == 4 && r[1].current && r.iter().filter(|d| d.current).count() == 1
                })
                .await;
            assert_eq!(rows[0].id, before[0].id, "the article stays first");
            let names: Vec<_> = rows[1..]
                .iter()
                .map(|r| r.name.clone().unwrap_or_default())
                .collect();
            assert_eq!(
                names,
                ["alpha", "unicode-stress", "gamma"],
                "titles from the file names, in drop order"
            );
            for r in &rows[1..] {
                assert_eq!(
                    r.count.as_deref(),
                    Some("0"),
                    "a new document has no spans: {r:?}"
                );
            }
            assert_eq!(rows[1].aria_current.as_deref(), Some("page"));
            let status = app
                .js(
                    "return document.querySelector('[role=status]').textContent;",
                    vec![],
                )
                .await;
            assert!(
                status
                    .as_str()
                    .is_some_and(|t| t.contains("Added 3 documents")),
                "the status line says what happened: {status}"
            );

            // Each is stored byte for byte (CRLF and astral characters included).
            for (r, (_, text)) in rows[1..].iter().zip(files) {
                let doc = stored_doc(&app, &r.id).await;
                assert_eq!(
                    doc["document"]["text"].as_str(),
                    Some(text),
                    "stored text of {}",
                    r.id
                );
            }
            let index = app.index().await;
            assert_eq!(
                index["documents"].as_array().map(Vec::len),
                Some(4),
                "the index lists four: {index}"
            );
            assert_eq!(
                index["current"],
                json!(rows[1].id),
                "the index names the open one"
            );

            // The non-ASCII one opens with its exact text.
            open_doc(&app, &rows[2].id).await;
            app.expect_doc_text(&unicode).await;
        },
    );
}

#[test]
fn switching_keeps_each_documents_spans_across_a_reload() {
    run_scenario(
        "switching_keeps_each_documents_spans_across_a_reload",
        |s| async move {
            let app = App::new(s);
            let article = default_article();
            let article_chars: Vec<char> = article.chars().collect();
            let note = read_text(&fixture("short-note.txt"));
            let note_chars: Vec<char> = note.chars().collect();
            app.open().await;
            app.expect_doc_text(&article).await;

            // One span in the article.
            let lavrov = want("actor", cp_find(&article, "Sergey Lavrov", 0));
            app.drag_select(lavrov.start, lavrov.end).await;
            app.press('1').await;
            app.expect_spans(&article_chars, &[lavrov]).await;
            let article_id = app.library().await[0].id.clone();

            // A second document, one span in it.
            app.choose_file(&fixture("short-note.txt")).await;
            app.expect_doc_text(&note).await;
            let note_id = app
                .expect_library("the note open", |r| r.len() == 2 && r[1].current)
                .await[1]
                .id
                .clone();
            let alice = want("actor", cp_find(&note, "Alice", 0));
            app.drag_select(alice.start, alice.end).await;
            app.press('1').await;
            app.expect_spans(&note_chars, &[alice]).await;

            // Back to the article: its span is there; add another.
            open_doc(&app, &article_id).await;
            app.expect_doc_text(&article).await;
            app.expect_spans(&article_chars, &[lavrov]).await;
            let washington = want("place", cp_find(&article, "Washington", 0));
            app.drag_select(washington.start, washington.end).await;
            app.press('2').await;
            let article_spans = [lavrov, washington];
            app.expect_spans(&article_chars, &article_spans).await;
            app.expect_panel(&article_chars, &article_spans).await;

            // To the note: its span, and one more.
            open_doc(&app, &note_id).await;
            app.expect_doc_text(&note).await;
            app.expect_spans(&note_chars, &[alice]).await;
            let paris = want("place", cp_find(&note, "Paris", 0));
            app.drag_select(paris.start, paris.end).await;
            app.press('2').await;
            let note_spans = [alice, paris];
            app.expect_spans(&note_chars, &note_spans).await;
            app.expect_library("the counts in the list", |r| {
                r.len() == 2
                    && r[0].count.as_deref() == Some("2")
                    && r[1].count.as_deref() == Some("2")
            })
            .await;
            // Both are stored with their spans.
            app.wait_js(
                "the note's second span to be stored",
                "const d = E2E.storedDocById(arguments[0]); return !!d && d.spans.length === 2;",
                vec![json!(note_id)],
            )
            .await;
            assert_eq!(
                stored_spans(&app, &article_id).await,
                sorted(&article_spans)
            );
            assert_eq!(stored_spans(&app, &note_id).await, sorted(&note_spans));
            let dom_note: Vec<_> = {
                let mut v: Vec<_> = app.spans().await.iter().map(DomSpan::id_key).collect();
                v.sort();
                v
            };

            // Reload: the note, open last, is open again, with its spans and their ids.
            app.reload().await;
            app.expect_doc_text(&note).await;
            let dom = app.expect_spans(&note_chars, &note_spans).await;
            let mut after: Vec<_> = dom.iter().map(DomSpan::id_key).collect();
            after.sort();
            assert_eq!(
                after, dom_note,
                "the note's spans (with ids) after the reload"
            );
            app.expect_panel(&note_chars, &note_spans).await;
            app.expect_library("the note open after the reload", |r| {
                r.len() == 2 && r[1].id == note_id && r[1].current && !r[0].current
            })
            .await;
            assert_eq!(app.doc_key().await, format!("{DOC_PREFIX}{note_id}"));

            // And the article still has its own.
            open_doc(&app, &article_id).await;
            app.expect_doc_text(&article).await;
            app.expect_spans(&article_chars, &article_spans).await;
            app.expect_panel(&article_chars, &article_spans).await;
            assert_eq!(
                stored_spans(&app, &article_id).await,
                sorted(&article_spans)
            );
            assert_eq!(stored_spans(&app, &note_id).await, sorted(&note_spans));
        },
    );
}

/// The Open picker takes several files at once; the library with three documents is
/// screenshotted in both themes and checked with axe-core (list, rename field, delete question).
#[test]
fn several_files_picked_at_once() {
    run_scenario("several_files_picked_at_once", |s| async move {
        let app = App::new(s);
        let axe = super::a11y::axe_source();
        app.open().await;
        let multiple = app
            .js(
                "return document.getElementById('open-file').multiple;",
                vec![],
            )
            .await;
        assert_eq!(multiple, json!(true), "the Open picker takes several files");
        let note = read_text(&fixture("short-note.txt"));
        let unicode = read_text(&fixture("unicode-stress.txt"));
        app.choose_files(&[&fixture("short-note.txt"), &fixture("unicode-stress.txt")])
            .await;
        app.expect_doc_text(&note).await;
        let rows = app
            .expect_library(
                "two picked documents after the article, the first open",
                |r| r.len() == 3 && r[1].current && !r[2].current,
            )
            .await;
        assert_eq!(rows[1].name.as_deref(), Some("short-note"));
        assert_eq!(rows[2].name.as_deref(), Some("unicode-stress"));
        let doc = stored_doc(&app, &rows[2].id).await;
        assert_eq!(doc["document"]["text"].as_str(), Some(unicode.as_str()));

        // Some spans so the counts differ; then the library in both themes.
        let alice = want("actor", cp_find(&note, "Alice", 0));
        app.drag_select(alice.start, alice.end).await;
        app.press('1').await;
        app.expect_spans(&note.chars().collect::<Vec<_>>(), &[alice])
            .await;
        let mut found = Vec::new();
        for _ in 0..2 {
            let theme = super::a11y::theme(&app).await;
            app.screenshot(&format!("library-{theme}.png")).await;
            found.extend(
                super::a11y::axe_violations(&app, &axe, &format!("library, {theme} theme"), false)
                    .await,
            );
            // The rename field and the delete question, too.
            app.click(&format!(
                "li.doc-item[data-doc=\"{}\"] button.doc-rename",
                rows[2].id
            ))
            .await;
            wait_focus(&app, "input.doc-rename-field").await;
            found.extend(
                super::a11y::axe_violations(
                    &app,
                    &axe,
                    &format!("rename field, {theme} theme"),
                    false,
                )
                .await,
            );
            app.press(Key::Escape.into()).await;
            app.expect_library("the rename field closed", |r| r.iter().all(|d| !d.renaming))
                .await;
            app.click(&format!(
                "li.doc-item[data-doc=\"{}\"] button.doc-delete",
                rows[0].id
            ))
            .await;
            app.wait_css(".confirm[role=alertdialog] #cancel-delete")
                .await;
            app.screenshot(&format!("library-delete-{theme}.png")).await;
            found.extend(
                super::a11y::axe_violations(
                    &app,
                    &axe,
                    &format!("delete question, {theme} theme"),
                    false,
                )
                .await,
            );
            app.click("#cancel-delete").await;
            toggle_theme(&app).await;
        }
        assert!(
            found.is_empty(),
            "axe-core found {} accessibility violation(s) in the library:\n{}",
            found.len(),
            found.join("\n")
        );
        assert_eq!(app.library().await.len(), 3, "Cancel deleted nothing");
    });
}

#[test]
fn rename_delete_and_new_from_text() {
    run_scenario("rename_delete_and_new_from_text", |s| async move {
        let app = App::new(s);
        let article = default_article();
        let chars: Vec<char> = article.chars().collect();
        app.open().await;
        app.expect_doc_text(&article).await;
        let lavrov = want("actor", cp_find(&article, "Sergey Lavrov", 0));
        app.drag_select(lavrov.start, lavrov.end).await;
        app.press('1').await;
        app.expect_spans(&chars, &[lavrov]).await;
        let article_id = app.library().await[0].id.clone();
        let rename_button = format!("li.doc-item[data-doc=\"{article_id}\"] button.doc-rename");
        let label = app
            .js(
                "return document.querySelector(arguments[0]).getAttribute('aria-label');",
                vec![json!(rename_button)],
            )
            .await;
        assert_eq!(label, json!("Rename default-article"));

        // Rename the open document: Enter keeps the new name.
        app.click(&rename_button).await;
        wait_focus(&app, "input.doc-rename-field").await;
        type_text(&app, "Lavrov interview").await;
        app.press(Key::Enter.into()).await;
        app.expect_library("the new name", |r| {
            r.len() == 1 && !r[0].renaming && r[0].name.as_deref() == Some("Lavrov interview")
        })
        .await;
        app.wait_js(
            "the new title to be stored",
            "const d = E2E.storedDoc(); const i = E2E.index();
             return !!d && d.document.title === arguments[0] && i.documents[0].title === arguments[0];",
            vec![json!("Lavrov interview")],
        )
        .await;
        app.expect_spans(&chars, &[lavrov]).await;

        // Escape drops what was typed.
        app.click(&format!(
            "li.doc-item[data-doc=\"{article_id}\"] button.doc-rename"
        ))
        .await;
        wait_focus(&app, "input.doc-rename-field").await;
        type_text(&app, "Nope").await;
        app.press(Key::Escape.into()).await;
        app.expect_library("the name unchanged after Escape", |r| {
            r.len() == 1 && !r[0].renaming && r[0].name.as_deref() == Some("Lavrov interview")
        })
        .await;
        assert_eq!(
            app.stored().await["document"]["title"],
            json!("Lavrov interview")
        );

        // Renaming the open document is an edit: Ctrl+Z brings the old title back, Ctrl+Y
        // (or Shift+Ctrl+Z) redoes it. The span is untouched.
        app.js(
            "document.activeElement && document.activeElement.blur(); return true;",
            vec![],
        )
        .await;
        chord(&app, &[Key::Control], 'z').await;
        app.expect_library("the old name after undo", |r| {
            r[0].name.as_deref() == Some("default-article")
        })
        .await;
        app.wait_js(
            "the old title to be stored",
            "const d = E2E.storedDoc(); return !!d && d.document.title === 'default-article';",
            vec![],
        )
        .await;
        app.expect_spans(&chars, &[lavrov]).await;

        // New from text: a titled document, added and open.
        let body = "Kerry spoke in Geneva on Monday.\nNobody denied it.";
        app.click("#new-document").await;
        app.wait_js(
            "the New document dialog",
            "const d = document.querySelector('dialog.new-doc-dialog'); return !!d && d.open;",
            vec![],
        )
        .await;
        for (css, value) in [("#new-doc-name", "Field notes"), ("#new-doc-text", body)] {
            app.s
                .client
                .find(Locator::Css(css))
                .await
                .unwrap_or_else(|e| panic!("find {css}: {e}"))
                .send_keys(value)
                .await
                .unwrap_or_else(|e| panic!("type into {css}: {e}"));
        }
        // Typing in the dialog tagged nothing behind it.
        assert_eq!(app.spans().await.len(), 1);
        app.click("#new-doc-add").await;
        app.expect_doc_text(body).await;
        let rows = app
            .expect_library("the new document, open", |r| {
                r.len() == 2 && r[1].current && r[1].name.as_deref() == Some("Field notes")
            })
            .await;
        let notes_id = rows[1].id.clone();
        assert_eq!(
            app.js(
                "return document.querySelector('dialog.new-doc-dialog').open;",
                vec![]
            )
            .await,
            json!(false),
            "the dialog closes"
        );
        assert_eq!(
            stored_doc(&app, &notes_id).await["document"]["title"],
            json!("Field notes")
        );

        // Rename a document that is not open; leaving the field keeps the name.
        app.click(&rename_button).await;
        wait_focus(&app, "input.doc-rename-field").await;
        type_text(&app, "Article").await;
        app.click("nav.library h2").await; // focus leaves the field
        app.expect_library("the other document renamed", |r| {
            r[0].name.as_deref() == Some("Article") && !r[0].renaming && r[1].current
        })
        .await;
        assert_eq!(
            stored_doc(&app, &article_id).await["document"]["title"],
            json!("Article")
        );
        app.expect_doc_text(body).await;

        // Delete asks first; Cancel keeps the document.
        let delete_notes = format!("li.doc-item[data-doc=\"{notes_id}\"] button.doc-delete");
        let label = app
            .js(
                "return document.querySelector(arguments[0]).getAttribute('aria-label');",
                vec![json!(delete_notes)],
            )
            .await;
        assert_eq!(label, json!("Delete Field notes"));
        app.click(&delete_notes).await;
        let question = app
            .wait_js(
                "the delete question",
                "const d = document.querySelector('.confirm[role=alertdialog]'); return d && d.textContent;",
                vec![],
            )
            .await;
        assert!(
            question
                .as_str()
                .is_some_and(|q| q.contains("Field notes") && q.contains("0 spans")),
            "the question names the document and its spans: {question}"
        );
        app.click("#cancel-delete").await;
        app.wait_js(
            "the question to close",
            "return !document.querySelector('.confirm[role=alertdialog]');",
            vec![],
        )
        .await;
        assert_eq!(app.library().await.len(), 2, "Cancel keeps the document");
        assert!(!stored_doc(&app, &notes_id).await.is_null());

        // Delete removes it and its storage key; it was open, so its neighbour opens.
        app.click(&delete_notes).await;
        app.click("#confirm-delete").await;
        app.expect_library("only the article, open", |r| {
            r.len() == 1 && r[0].id == article_id && r[0].current
        })
        .await;
        assert!(
            app.raw_storage(&format!("{DOC_PREFIX}{notes_id}"))
                .await
                .is_null(),
            "the deleted document's key is removed"
        );
        app.expect_doc_text(&article).await;
        app.expect_spans(&chars, &[lavrov]).await;
        let index = app.index().await;
        assert_eq!(index["current"], json!(article_id), "{index}");
        assert_eq!(
            index["documents"].as_array().map(Vec::len),
            Some(1),
            "{index}"
        );

        // Deleting the last document leaves a fresh default article, without the old spans.
        app.click(&format!(
            "li.doc-item[data-doc=\"{article_id}\"] button.doc-delete"
        ))
        .await;
        app.click("#confirm-delete").await;
        app.expect_library("a fresh default article", |r| {
            r.len() == 1
                && r[0].current
                && r[0].name.as_deref() == Some("default-article")
                && r[0].count.as_deref() == Some("0")
        })
        .await;
        app.expect_doc_text(&article).await;
        app.expect_spans(&chars, &[]).await;
        let stored = app.stored().await;
        assert_eq!(
            stored["spans"],
            json!([]),
            "the fresh article is stored without spans"
        );
        app.reload().await;
        app.expect_spans(&chars, &[]).await;
        assert_eq!(app.library().await.len(), 1);
    });
}

#[test]
fn version_1_document_moves_into_the_library() {
    run_scenario(
        "version_1_document_moves_into_the_library",
        |s| async move {
            let app = App::new(s);
            app.open().await;
            let text = "Kerry spoke in Geneva on Monday.";
            let chars: Vec<char> = text.chars().collect();
            let kerry = want("actor", cp_find(text, "Kerry", 0));
            let geneva = want("place", cp_find(text, "Geneva", 0));
            let span = |id: &str, w: Want| {
                json!({ "id": id, "label": w.label, "start": w.start, "end": w.end,
                    "text": cp_slice(&chars, w.start, w.end) })
            };
            let schema = app.stored().await["schema"].clone();
            assert!(
                schema["labels"].is_array(),
                "the app's own schema: {schema}"
            );
            let v1 = json!({
                "format": "spanmark",
                "version": 1,
                "document": { "id": "doc-old", "title": "old work", "text": text },
                "schema": schema,
                "spans": [span("s1", kerry), span("s2", geneva)],
                "relations": []
            });
            app.js(
                "localStorage.setItem(arguments[0], arguments[1]); return true;",
                vec![json!(V1_KEY), json!(v1.to_string())],
            )
            .await;
            app.reload().await;

            // It is listed after the article, open, with its spans; the version 1 key is gone.
            app.expect_doc_text(text).await;
            app.expect_spans(&chars, &[kerry, geneva]).await;
            let rows = app
                .expect_library("the old document added and open", |r| {
                    r.len() == 2 && r[1].current && r[1].name.as_deref() == Some("old work")
                })
                .await;
            assert_eq!(rows[1].id, "doc-old");
            assert_eq!(rows[1].count.as_deref(), Some("2"));
            assert!(
                app.raw_storage(V1_KEY).await.is_null(),
                "the version 1 key is removed"
            );
            let stored = stored_doc(&app, "doc-old").await;
            assert_eq!(stored["spans"], v1["spans"], "moved with its spans");
            assert_eq!(stored["document"]["text"], json!(text));

            // Survives a reload without being added twice.
            app.reload().await;
            app.expect_spans(&chars, &[kerry, geneva]).await;
            assert_eq!(app.library().await.len(), 2);

            // An unreadable version 1 document is kept aside, reported and its key cleared.
            app.js(
                "localStorage.setItem(arguments[0], arguments[1]); return true;",
                vec![json!(V1_KEY), json!("{\"format\":\"spanmark\",")],
            )
            .await;
            app.reload().await;
            let alert = app.expect_alert("could not be read").await;
            let kept = app
            .js(
                "return Object.keys(localStorage).filter(k => k.startsWith(arguments[0] + ':unreadable:'));",
                vec![json!(V1_KEY)],
            )
            .await;
            let kept = kept.as_array().cloned().unwrap_or_default();
            assert_eq!(kept.len(), 1, "one copy kept aside: {kept:?}");
            let kept = kept[0].as_str().unwrap();
            let details = app.alert_details().await;
            assert!(
                details.contains(kept),
                "the alert's details name {kept}: {details} ({alert})"
            );
            assert_eq!(
                app.raw_storage(kept).await,
                json!("{\"format\":\"spanmark\",")
            );
            assert!(
                app.raw_storage(V1_KEY).await.is_null(),
                "the version 1 key is cleared"
            );
            assert_eq!(app.library().await.len(), 2, "nothing added");
        },
    );
}

/// The meter counts the characters Spanmark's documents take; it grows with a document, warns
/// (role=alert) from 80 % of about 5 000 000 characters on, and falls back after a delete.
#[test]
fn storage_meter_counts_and_warns() {
    run_scenario("storage_meter_counts_and_warns", |s| async move {
        let app = App::new(s);
        app.open().await;
        let meter = || async {
            let v = app
                .js(
                    "const m = document.getElementById('storage-meter');
                     return [m.value, m.max, document.querySelector('.storage-text').textContent,
                             !!document.querySelector('.storage-warning[role=alert]')];",
                    vec![],
                )
                .await;
            (
                v[0].as_f64().unwrap(),
                v[1].as_f64().unwrap(),
                v[2].as_str().unwrap().to_string(),
                v[3] == json!(true),
            )
        };
        let (first, max, text, warned) = meter().await;
        assert_eq!(max, 5_000_000.0);
        assert!(
            first > default_article().len() as f64,
            "the article is counted: {first}"
        );
        assert!(!warned, "no warning with one small document");
        let digits: String = text
            .chars()
            .take_while(|c| !c.is_alphabetic())
            .filter(char::is_ascii_digit)
            .collect();
        assert_eq!(
            digits.parse::<f64>().ok(),
            Some(first),
            "the text shows the meter's number: {text:?}"
        );

        // Adds a document of `n` characters through the New-from-text dialog.
        let add = |title: &'static str, n: usize| {
            let app = &app;
            async move {
                app.click("#new-document").await;
                app.js(
                    "document.getElementById('new-doc-name').value = arguments[0];
                     document.getElementById('new-doc-text').value = 'lorem ipsum '.repeat(arguments[1] / 12);
                     return true;",
                    vec![json!(title), json!(n)],
                )
                .await;
                app.click("#new-doc-add").await;
                app.expect_library(&format!("{title} open"), |r| {
                    r.iter()
                        .any(|d| d.current && d.name.as_deref() == Some(title))
                })
                .await;
            }
        };
        add("middling", 120_000).await;
        let grown = app
            .wait_js(
                "the meter to grow",
                "const v = document.getElementById('storage-meter').value; return v >= arguments[0] ? v : null;",
                vec![json!(first + 120_000.0)],
            )
            .await;
        let (_, _, text, warned) = meter().await;
        assert!(!warned, "no warning yet at {grown}");
        assert!(text.contains('\u{2009}'), "thousands are grouped: {text:?}");

        add("huge", 4_200_000).await;
        let alert = app
            .wait_js(
                "the storage warning",
                "const w = document.querySelector('.storage-warning[role=alert]'); return w && w.textContent;",
                vec![],
            )
            .await;
        assert!(
            alert.as_str().is_some_and(|a| a.contains("nearly full")),
            "{alert}"
        );
        let (high, _, _, _) = meter().await;
        assert!(
            (4_000_000.0..5_000_000.0).contains(&high),
            "the meter shows {high}"
        );
        assert!(
            app.js(
                "return E2E.alerts().some(a => a.startsWith('Not saved'));",
                vec![]
            )
            .await
                == json!(false),
            "the big document was saved"
        );
        let huge_id = app
            .library()
            .await
            .iter()
            .find(|r| r.current)
            .unwrap()
            .id
            .clone();
        app.screenshot("storage-warning.png").await;

        // Deleting it brings the meter down and the warning goes.
        app.click(&format!(
            "li.doc-item[data-doc=\"{huge_id}\"] button.doc-delete"
        ))
        .await;
        app.click("#confirm-delete").await;
        app.wait_js(
            "the warning to go",
            "return !document.querySelector('.storage-warning');",
            vec![],
        )
        .await;
        let (low, _, _, _) = meter().await;
        assert!(
            low < grown.as_f64().unwrap() + 1000.0,
            "the meter falls back: {low}"
        );
        assert!(app
            .raw_storage(&format!("{DOC_PREFIX}{huge_id}"))
            .await
            .is_null());
    });
}
