//! Never lose an annotation, never run a payload: storage that is blocked or full, an edit
//! right before the tab goes away, and files whose text and names are HTML or script.
//!
//! Every scenario of the suite also checks (in the harness) that no request left the page's
//! origin and that the Content-Security-Policy refused nothing the app does.

use super::*;
use spanmark_core::{Action, AnnotatedDocument, Document, NoteTarget};
use spanmark_formats::native;

/// What a payload sets if it ever runs.
const INJECTED: &str = "window.__injected";

/// Text that is HTML and script, for every place user content reaches the page.
fn hostile(what: &str) -> String {
    format!(
        "{what} <img src=x onerror=\"{INJECTED}=(({INJECTED}||0)+1)\"> </article><script>{INJECTED}=99</script> \
         <svg onload=\"{INJECTED}=7\"></svg> <b>bold</b> javascript:{INJECTED}=5 \u{202e}gnp.exe\u{202c} &amp; end"
    )
}

/// Whether any payload ran, and what the page holds that only a payload could have made:
/// elements from the payloads and any `on…` attribute.
async fn injected(app: &App) -> Value {
    app.js(
        "const handlers = [...document.querySelectorAll('*')].filter(el =>
             [...el.attributes].some(a => a.name.toLowerCase().startsWith('on')));
         return {
           ran: typeof window.__injected !== 'undefined',
           elements: document.querySelectorAll('img, b, iframe, object, embed, body script:not([src])').length,
           svg_in_text: document.querySelectorAll('article.doc svg').length,
           handlers: handlers.map(el => el.outerHTML.slice(0, 80)),
         };",
        vec![],
    )
    .await
}

/// A Spanmark file whose every string is hostile: title, text, a label, a relation type,
/// span notes and the document note.
fn hostile_document() -> AnnotatedDocument {
    let text = format!("{}\n{}\n", hostile("Lavrov said"), hostile("Kerry denied"));
    let mut doc = AnnotatedDocument::new(Document::new(hostile("Title"), text.clone()));
    let mut schema = doc.schema.clone();
    let mut label = schema.labels[0].clone();
    label.id = "hostile".into();
    label.name = "<img src=x onerror=window.__injected=3>Label".into();
    label.colour = "#8a3ffc".into();
    label.key = Some("5".into());
    schema.labels.push(label);
    let mut kind = schema.relation_types[0].clone();
    kind.id = "hostile_link".into();
    kind.name = "<b onmouseover=window.__injected=4>says</b>".into();
    kind.from_labels = vec!["hostile".into()];
    kind.to_labels = vec!["actor".into()];
    schema.relation_types.push(kind);
    doc.apply(Action::SetSchema { schema }).expect("schema");
    let (a, b) = (cp_find(&text, "<img", 0), cp_find(&text, "</article>", 1));
    doc.apply(Action::AddSpan {
        start: a.0,
        end: a.1 + 6,
        label: "hostile".into(),
    })
    .expect("a span over the <img");
    doc.apply(Action::AddSpan {
        start: b.0,
        end: b.1,
        label: "actor".into(),
    })
    .expect("a span over </article>");
    let ids: Vec<String> = doc.spans().iter().map(|s| s.id.clone()).collect();
    doc.apply(Action::AddRelation {
        kind: "hostile_link".into(),
        from: ids[0].clone(),
        to: ids[1].clone(),
    })
    .expect("a link");
    doc.apply(Action::SetNote {
        target: NoteTarget::Span(ids[0].clone()),
        note: Some(hostile("note")),
    })
    .expect("a span note");
    doc.apply(Action::SetNote {
        target: NoteTarget::Document,
        note: Some(hostile("document note")),
    })
    .expect("a document note");
    doc
}

/// HTML and script in a file's text, title, labels, link types, notes and its file name are
/// shown as text: nothing of it becomes an element or runs, and it all reads back exactly. The
/// Content-Security-Policy is in force: an inline script and a request to another origin are
/// refused, and it allows neither inline code nor `eval`.
#[test]
fn html_and_script_in_files_stay_inert_text() {
    run_scenario("html_and_script_in_files_stay_inert_text", |s| async move {
        s.expect_console_error("Executing inline script violates");
        s.expect_console_error("Connecting to 'http://192.0.2.1/' violates");
        s.expect_console_error("Fetch API cannot load http://192.0.2.1/");
        let app = App::new(s);
        app.open().await;

        let doc = hostile_document();
        let text = doc.document.text.clone();
        let chars: Vec<char> = text.chars().collect();
        let file_name = "<img src=x onerror=window.__injected=11>\u{202e}gpj.spanmark.json";
        let path = app.s.scratch.join(file_name);
        std::fs::write(&path, native::write(&doc)).unwrap();
        let txt_name = "<script>window.__injected=12<\u{2044}script> \u{202e}txt.exe.txt";
        let txt_path = app.s.scratch.join(txt_name);
        std::fs::write(&txt_path, hostile("Plain")).unwrap();

        app.choose_files(&[&path, &txt_path]).await;
        app.expect_library("both files added", |r| r.len() == 3)
            .await;
        let rows = app.library().await;
        assert_eq!(
            rows[2].name.as_deref(),
            Some(txt_name.trim_end_matches(".txt")),
            "the text file's name is its title, as text"
        );
        app.click(&format!(
            "li.doc-item[data-doc=\"{}\"] button.doc-open",
            rows[1].id
        ))
        .await;
        app.expect_doc_text(&text).await;
        let title = doc.document.title.clone();
        assert_eq!(rows[1].name.as_deref(), Some(title.as_str()));
        let heading = app
            .js(
                "return document.querySelector('.doc-title').textContent;",
                vec![],
            )
            .await;
        assert_eq!(
            heading,
            json!(title),
            "the title heading reads as the title"
        );

        // The spans, their chips, the label button, the link and the notes, as text.
        let want_spans: Vec<(Option<usize>, Option<usize>, Vec<String>)> = doc
            .spans()
            .iter()
            .map(|s| (Some(s.start), Some(s.end), vec![s.label.clone()]))
            .collect();
        let spans = app
            .wait_js(
                "the two spans",
                "return E2E.spans().length === 2 ? E2E.spans() : null;",
                vec![],
            )
            .await;
        let spans: Vec<DomSpan> = serde_json::from_value(spans).expect("spans");
        let mut got: Vec<_> = spans.iter().map(DomSpan::key).collect();
        got.sort();
        let mut want_sorted = want_spans.clone();
        want_sorted.sort();
        assert_eq!(got, want_sorted, "the file's spans, at their offsets");
        for s in &spans {
            let (start, end) = (s.start.unwrap_or(0), s.end.unwrap_or(0));
            assert_eq!(
                s.text,
                cp_slice(&chars, start, end),
                "a span reads as its text"
            );
        }
        let label_name = "<img src=x onerror=window.__injected=3>Label";
        let chip = spans
            .iter()
            .find(|s| s.labels == ["hostile"])
            .map(|s| s.chips.clone());
        assert_eq!(
            chip,
            Some(vec![label_name.to_owned()]),
            "the chip names the label"
        );
        let shown = app
            .js(
                "return {
                   button: document.querySelector('button.label-btn[data-label=hostile]').textContent,
                   links: [...document.querySelectorAll('.relations li')].map(li => li.textContent),
                   title: document.querySelector('mark[data-span][data-label=hostile]').title,
                   doc_note: document.querySelector('#document-note').value,
                 };",
                vec![],
            )
            .await;
        assert!(
            shown["button"]
                .as_str()
                .unwrap_or_default()
                .contains(label_name),
            "the label button names the label as text: {shown}"
        );
        assert!(
            shown["links"][0]
                .as_str()
                .unwrap_or_default()
                .contains("<b onmouseover=window.__injected=4>says</b>"),
            "the link list names the link type as text: {shown}"
        );
        assert_eq!(
            shown["title"],
            json!(hostile("note")),
            "the span's note on hover"
        );
        assert_eq!(shown["doc_note"], json!(hostile("document note")));

        // Names that could reorder the text around them are isolated from it.
        let bidi = app
            .js(
                "return ['.doc-item .doc-name', '.doc-title', 'article.doc .chip']
                   .map(css => getComputedStyle(document.querySelector(css)).unicodeBidi);",
                vec![],
            )
            .await;
        assert_eq!(bidi, json!(["isolate", "isolate", "isolate"]));

        // Tagging with the hostile label by its key works like any other.
        let kerry = cp_find(&text, "Kerry", 0);
        app.drag_select(kerry.0, kerry.1).await;
        app.press('5').await;
        app.wait_js(
            "the third span stored",
            "return (E2E.storedDoc() || {spans: []}).spans.length === 3;",
            vec![],
        )
        .await;
        let stored = native::parse(&app.stored().await.to_string()).expect("stored file");
        assert_eq!(stored.document.text, text);
        assert_eq!(stored.document.title, title);
        assert_eq!(stored.spans()[0].note, doc.spans()[0].note);

        let found = injected(&app).await;
        assert_eq!(
            found,
            json!({"ran": false, "elements": 0, "svg_in_text": 0, "handlers": []}),
            "no payload became an element or ran"
        );
        app.screenshot("hostile.png").await;

        // The policy is in force: the page's own scripts run, nothing else does.
        let csp = app
            .js(
                "const meta = document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]');
                 const s = document.createElement('script');
                 s.textContent = 'window.__inline = 1';
                 document.body.append(s);
                 return fetch('http://192.0.2.1/').then(() => true, () => false).then(fetched =>
                   ({ policy: meta && meta.content, inline: typeof window.__inline !== 'undefined', fetched }));",
                vec![],
            )
            .await;
        let policy = csp["policy"].as_str().unwrap_or_default();
        for part in [
            "default-src 'self'",
            "script-src 'self' 'wasm-unsafe-eval' 'sha256-",
            "connect-src 'self'",
            "object-src 'none'",
        ] {
            assert!(policy.contains(part), "the policy has {part}: {policy}");
        }
        assert!(
            !policy.contains("inline-script-hashes"),
            "the hash was filled in: {policy}"
        );
        for loophole in ["'unsafe-inline'", "'unsafe-eval'", "*"] {
            assert!(
                !policy.contains(loophole),
                "no {loophole} in the policy: {policy}"
            );
        }
        assert_eq!(csp["inline"], json!(false), "an inline script is refused");
        assert_eq!(
            csp["fetched"],
            json!(false),
            "a request to another origin is refused"
        );
    });
}

/// A browser that blocks site data (localStorage throws): the app runs in memory, says so,
/// and Download keeps the work.
#[test]
fn blocked_storage_runs_in_memory_with_a_warning() {
    run_scenario_with(
        "blocked_storage_runs_in_memory_with_a_warning",
        &json!({ "profile": { "default_content_setting_values": { "cookies": 2 } } }),
        |s| async move {
            let app = App::new(s);
            let (text, chars) = app.open_article().await;
            let blocked = app
                .js(
                    "try { window.localStorage.length; return false; } catch (e) { return e.name; }",
                    vec![],
                )
                .await;
            assert_eq!(blocked, json!("SecurityError"), "site data is blocked");
            let alert = app.expect_alert("does not allow saving").await;
            assert!(
                alert.contains("Download"),
                "the warning says how to keep the work: {alert}"
            );

            let lavrov = want("actor", cp_find(&text, "Sergey Lavrov", 0));
            app.drag_select(lavrov.start, lavrov.end).await;
            app.press('1').await;
            app.expect_spans(&chars, &[lavrov]).await;
            let state = app
                .js(
                    "return document.querySelector('.save-state').dataset.state;",
                    vec![],
                )
                .await;
            assert_eq!(state, json!("off"), "the indicator says nothing is saved");

            let file = app.download("default-article.spanmark.json").await;
            check_download(&file, "default-article", &text, &[lavrov]);

            // A second document, in memory too; switching keeps each one's spans.
            super::library::drop_files(&app, &[("notes.txt", "Kerry met Lavrov in Geneva.")]).await;
            app.expect_doc_text("Kerry met Lavrov in Geneva.").await;
            let rows = app.expect_library("two documents", |r| r.len() == 2).await;
            app.click(&format!(
                "li.doc-item[data-doc=\"{}\"] button.doc-open",
                rows[0].id
            ))
            .await;
            app.expect_doc_text(&text).await;
            app.expect_spans(&chars, &[lavrov]).await;
        },
    );
}

/// Fills localStorage with other data until not one more character fits; returns how many
/// filler keys it took.
async fn fill_storage(app: &App) -> u64 {
    let n = app
        .js(
            "let n = 0, size = 1 << 20;
             while (size >= 1) {
               try { localStorage.setItem('filler:' + n, 'x'.repeat(size)); n++; }
               catch (e) { size = Math.floor(size / 2); }
             }
             return n;",
            vec![],
        )
        .await;
    n.as_u64().expect("a count")
}

/// Storage full while saving: a clear alert with a Download of the work, which stays in the
/// tab; once there is room again, the next save stores everything done in between.
#[test]
fn full_storage_keeps_the_work_and_the_next_save_loses_nothing() {
    run_scenario(
        "full_storage_keeps_the_work_and_the_next_save_loses_nothing",
        |s| async move {
            let app = App::new(s);
            let (text, chars) = app.open_article().await;
            let key = app.doc_key().await;
            let fillers = fill_storage(&app).await;
            assert!(fillers > 0, "some filler fits");

            let spans = [
                want("actor", cp_find(&text, "Sergey Lavrov", 0)),
                want("place", cp_find(&text, "Washington", 0)),
                want("actor", cp_find(&text, "Kerry", 0)),
            ];
            app.drag_select(spans[0].start, spans[0].end).await;
            app.press('1').await;
            let alert = app
                .wait_js(
                    "an alert that the work is not saved",
                    "return E2E.alerts().find(t => t.startsWith('Not saved')) || null;",
                    vec![],
                )
                .await;
            assert!(
                alert
                    .as_str()
                    .unwrap_or_default()
                    .contains("storage is full"),
                "the alert says why: {alert}"
            );
            let state = app
                .js(
                    "return document.querySelector('.save-state').dataset.state;",
                    vec![],
                )
                .await;
            assert_eq!(state, json!("failed"));
            assert_eq!(
                app.raw_storage(&key)
                    .await
                    .as_str()
                    .map(|r| r.contains("\"spans\":[]")),
                Some(true),
                "storage still holds the document as it was, whole"
            );

            // The work stays in the tab: another span, then Download it from the alert.
            app.drag_select(spans[1].start, spans[1].end).await;
            app.press('2').await;
            app.expect_spans(&chars, &spans[..2]).await;
            let still = app
                .js(
                    "return E2E.alerts().some(t => t.startsWith('Not saved'))
                       && !!document.querySelector('.alert button.rescue');",
                    vec![],
                )
                .await;
            assert_eq!(
                still,
                json!(true),
                "the alert and its Download stay through the next edit"
            );
            app.screenshot("storage-full.png").await;
            let _ = std::fs::remove_file(app.s.downloads.join("default-article.spanmark.json"));
            app.click(".alert button.rescue").await;
            let file = app.wait_download("default-article.spanmark.json").await;
            check_download(&file, "default-article", &text, &spans[..2]);

            // Room again: the next change is saved with everything before it.
            app.js(
                "Object.keys(localStorage).filter(k => k.startsWith('filler:')).forEach(k => localStorage.removeItem(k)); return true;",
                vec![],
            )
            .await;
            app.drag_select(spans[2].start, spans[2].end).await;
            app.press('1').await;
            app.wait_js(
                "all three spans stored",
                "return (E2E.storedDoc() || {spans: []}).spans.length === 3;",
                vec![],
            )
            .await;
            app.wait_js(
                "the alert gone once saved",
                "return !E2E.alerts().some(t => t.startsWith('Not saved'));",
                vec![],
            )
            .await;
            app.reload().await;
            app.expect_spans(&chars, &spans).await;
        },
    );
}

/// Tags the current text selection with `label` by its button and returns the save state
/// once the page has shown the edit (after the tasks already queued, well within the
/// autosave's timer); `then` runs in the task right after.
async fn tag_then(app: &App, label: &str, then: &str) -> Value {
    app.js(
        &format!(
            "return (async () => {{
               document.querySelector('button.label-btn[data-label=\"' + arguments[0] + '\"]').click();
               await new Promise(done => setTimeout(done, 0));
               const state = document.querySelector('.save-state').dataset.state;
               setTimeout(() => {{ {then} }}, 0);
               return state;
             }})();"
        ),
        vec![json!(label)],
    )
    .await
}

/// An edit made just before the page reloads, or just before the tab is closed, is in
/// storage afterwards: the page writes it as it goes away, not only on its timer.
#[test]
fn an_edit_right_before_a_reload_or_a_close_is_kept() {
    run_scenario(
        "an_edit_right_before_a_reload_or_a_close_is_kept",
        |s| async move {
            let app = App::new(s);
            let (text, chars) = app.open_article().await;

            let lavrov = want("actor", cp_find(&text, "Sergey Lavrov", 0));
            app.drag_select(lavrov.start, lavrov.end).await;
            app.js("window.__old_page = true; return true;", vec![])
                .await;
            let state = tag_then(&app, "actor", "location.reload();").await;
            assert_eq!(
                state,
                json!("pending"),
                "the edit was not yet written when the reload began"
            );
            app.wait_js(
                "the reloaded page",
                "return !window.__old_page && !!document.querySelector('article.doc .run');",
                vec![],
            )
            .await;
            app.expect_spans(&chars, &[lavrov]).await;

            // Closing the tab: another tab of the same browser finds the edit stored.
            let other = app.s.client.new_window(true).await.expect("a second tab");
            let washington = want("place", cp_find(&text, "Washington", 0));
            app.drag_select(washington.start, washington.end).await;
            let state = tag_then(&app, "place", "").await;
            assert_eq!(state, json!("pending"));
            app.s.client.close_window().await.expect("close the tab");
            app.s
                .client
                .switch_to_window(other.handle)
                .await
                .expect("switch to the second tab");
            app.open().await;
            app.expect_doc_text(&text).await;
            app.expect_spans(&chars, &[lavrov, washington]).await;
        },
    );
}

/// Files Spanmark cannot open are refused one by one with the reason, and nothing is added:
/// one over 20 MB (refused before it is read), one that is not UTF-8, one that is not the format
/// its name claims, and a Spanmark file whose offsets run past its text.
#[test]
fn files_too_large_not_utf8_or_not_their_format_are_refused_with_a_reason() {
    run_scenario(
        "files_too_large_not_utf8_or_not_their_format_are_refused_with_a_reason",
        |s| async move {
            let app = App::new(s);
            app.open_article().await;
            let before = app.snapshot().await;

            let scratch = app.s.scratch.clone();
            let big = scratch.join("big.txt");
            std::fs::write(&big, vec![b'a'; 21 * 1024 * 1024]).unwrap();
            let latin1 = scratch.join("latin1.txt");
            std::fs::write(&latin1, b"Caf\xe9 in Z\xfcrich").unwrap();
            let fake = scratch.join("claims.conll");
            std::fs::write(&fake, "{\"format\": \"spanmark\"}").unwrap();
            let mut doc = AnnotatedDocument::new(Document::new("short", "Lavrov spoke."));
            doc.apply(Action::AddSpan {
                start: 0,
                end: 6,
                label: "actor".into(),
            })
            .unwrap();
            let mut file: Value = serde_json::from_str(&native::write(&doc)).unwrap();
            file["spans"][0]["end"] = json!(60);
            let past = scratch.join("past-the-end.spanmark.json");
            std::fs::write(&past, file.to_string()).unwrap();

            let cases: [(&Path, &str); 4] = [
                (&big, "more than the 20 MB"),
                (&latin1, "not UTF-8"),
                (&fake, "line 1"),
                (&past, "spans[0]"),
            ];
            for (path, reason) in cases {
                let name = path.file_name().unwrap().to_string_lossy().to_string();
                app.dismiss_alerts().await;
                app.choose_file(path).await;
                let alert = app.expect_alert(&name).await;
                let details = app.alert_details().await;
                assert!(
                    alert.contains(reason) || details.contains(reason),
                    "{name}: the alert gives the reason ({reason}), in its words or its Details: {alert} / {details}"
                );
                assert!(alert.contains("Nothing was added"), "{name}: {alert}");
                assert_eq!(app.snapshot().await, before, "{name} changes nothing");
            }
        },
    );
}
