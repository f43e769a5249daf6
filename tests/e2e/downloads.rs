//! Downloads: the open document in every format, and *Download all* as one zip whose files
//! open again — in a browser with nothing stored — as the same documents with the same spans,
//! links and notes.

use super::*;
use spanmark_core::AnnotatedDocument;
use spanmark_formats::{archive, native};

/// Waits until `file_name` is completely downloaded and returns its bytes.
async fn downloaded_bytes(app: &App, file_name: &str) -> Vec<u8> {
    let path = app.s.downloads.join(file_name);
    let deadline = Instant::now() + WAIT;
    loop {
        let partial = std::fs::read_dir(&app.s.downloads)
            .map(|d| {
                d.flatten()
                    .any(|e| e.file_name().to_string_lossy().ends_with(".crdownload"))
            })
            .unwrap_or(false);
        if !partial {
            if let Ok(bytes) = std::fs::read(&path) {
                if !bytes.is_empty() {
                    return bytes;
                }
            }
        }
        if Instant::now() > deadline {
            let present: Vec<_> = std::fs::read_dir(&app.s.downloads)
                .map(|d| d.flatten().map(|e| e.file_name()).collect())
                .unwrap_or_default();
            panic!("no complete {file_name} was downloaded; the folder holds {present:?}");
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Picks `format` in the download menu, as a person would.
pub(crate) async fn choose_format(app: &App, format: &str) {
    app.s
        .client
        .find(Locator::Css("#download-format"))
        .await
        .expect("#download-format")
        .select_by_value(format)
        .await
        .expect("select a format");
}

/// Spans (start, end, label, note) and relations (kind, from text, to text) of a document, free
/// of ids, sorted: what must survive a trip through a file.
type Content = (
    String,
    Vec<(usize, usize, String, Option<String>)>,
    Vec<(String, String, String)>,
);

fn content(d: &AnnotatedDocument) -> Content {
    let mut spans: Vec<_> = d
        .spans()
        .iter()
        .map(|s| (s.start, s.end, s.label.clone(), s.note.clone()))
        .collect();
    spans.sort();
    let text = |id: &str| {
        d.span(id)
            .map(|s| format!("{}..{}", s.start, s.end))
            .unwrap_or_default()
    };
    let mut relations: Vec<_> = d
        .relations
        .iter()
        .map(|r| (r.kind.clone(), text(&r.from), text(&r.to)))
        .collect();
    relations.sort();
    (d.document.text.clone(), spans, relations)
}

/// Every stored document of the library, by title.
async fn stored_library(app: &App) -> Vec<(String, AnnotatedDocument)> {
    let mut docs = Vec::new();
    for row in app.library().await {
        let raw = app
            .js(
                "return JSON.stringify(E2E.storedDocById(arguments[0]));",
                vec![json!(row.id)],
            )
            .await;
        let doc = native::parse(raw.as_str().expect("a stored document"))
            .unwrap_or_else(|e| panic!("stored {} does not parse: {e}", row.id));
        docs.push((doc.document.title.clone(), doc));
    }
    docs.sort_by(|a, b| a.0.cmp(&b.0));
    docs
}

#[test]
fn download_all_and_open_the_zip_again() {
    run_scenario("download_all_and_open_the_zip_again", |s| async move {
        let app = App::new(s);
        let text = default_article();
        app.open().await;
        app.expect_doc_text(&text).await;

        // The article: an actor, a claim said by it, a note on the claim.
        let lavrov = cp_find(&text, "Sergey Lavrov", 0);
        let claim = (
            cp_find(&text, "accused US of sparing", 0).0,
            cp_find(&text, "al-Assad", 0).1,
        );
        app.drag_select(lavrov.0, lavrov.1).await;
        app.press('1').await;
        app.drag_select(claim.0, claim.1).await;
        app.press('3').await;
        super::relations::span_id(&app, claim, "claim").await;
        app.press('r').await;
        app.click_at(lavrov.0 + 3).await;
        super::relations::wait_relations(&app, 1).await;

        // Two more documents, dropped at once; a span in one of them.
        let unicode = read_text(&fixture("unicode-stress.txt"));
        super::library::drop_files(
            &app,
            &[
                ("notes.txt", "Kerry met Lavrov in Geneva."),
                ("unicode.txt", &unicode),
            ],
        )
        .await;
        app.expect_library("three documents", |r| r.len() == 3)
            .await;
        let geneva = cp_find("Kerry met Lavrov in Geneva.", "Geneva", 0);
        app.expect_doc_text("Kerry met Lavrov in Geneva.").await;
        app.drag_select(geneva.0, geneva.1).await;
        app.press('2').await;
        app.wait_js(
            "the Place span stored",
            "return (E2E.storedDoc() || {spans: []}).spans.length === 1;",
            vec![],
        )
        .await;
        let before = stored_library(&app).await;
        assert_eq!(before.len(), 3);

        // Download all (Spanmark JSON, the menu's first choice): one zip, one file per document.
        app.click("#download-all").await;
        let zip_name = "spanmark-3-documents.spanmark.zip";
        let bytes = downloaded_bytes(&app, zip_name).await;
        let files = archive::read(&bytes).expect("a zip Spanmark can read");
        let mut names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        names.sort();
        assert_eq!(
            names,
            [
                "default-article.spanmark.json",
                "notes.spanmark.json",
                "unicode.spanmark.json"
            ]
        );
        for (name, file) in &files {
            let doc = native::parse(std::str::from_utf8(file).unwrap()).unwrap();
            let stored = &before
                .iter()
                .find(|(t, _)| *t == doc.document.title)
                .unwrap()
                .1;
            assert_eq!(&doc, stored, "{name} is the stored document");
        }

        // A browser with nothing stored: open the zip through the picker.
        app.js("localStorage.clear();", vec![]).await;
        app.reload().await;
        app.expect_library("only the default article", |r| r.len() == 1)
            .await;
        app.choose_file(&app.s.downloads.join(zip_name)).await;
        app.expect_library("the three documents after the article", |r| r.len() == 4)
            .await;
        let after = stored_library(&app).await;
        for (title, doc) in &before {
            let reopened = after
                .iter()
                .filter(|(t, _)| t == title)
                .map(|(_, d)| content(d))
                .collect::<Vec<_>>();
            assert!(
                reopened.contains(&content(doc)),
                "{title} opens again with the same annotations"
            );
        }
        app.screenshot("download-all-reopened.png").await;
    });
}

#[test]
fn download_the_open_document_in_every_format() {
    run_scenario(
        "download_the_open_document_in_every_format",
        |s| async move {
            let app = App::new(s);
            let text = default_article();
            app.open().await;
            app.expect_doc_text(&text).await;
            let lavrov = cp_find(&text, "Sergey Lavrov", 0);
            let claim = (
                cp_find(&text, "accused US of sparing", 0).0,
                cp_find(&text, "al-Assad", 0).1,
            );
            app.drag_select(lavrov.0, lavrov.1).await;
            app.press('1').await;
            app.drag_select(claim.0, claim.1).await;
            app.press('3').await;
            super::relations::span_id(&app, claim, "claim").await;
            app.press('r').await;
            app.click_at(lavrov.0 + 3).await;
            super::relations::wait_relations(&app, 1).await;
            let raw = app.stored().await;
            let original = native::parse(&raw.to_string()).unwrap();

            every_format_opens_again(&app, &text, "default-article", &original).await;
        },
    );
}

/// The Unicode stress text (an emoji ZWJ sequence, a flag, a combining accent, CJK, Arabic,
/// astral letters, a skin-tone emoji, CRLF line ends): spans tagged with the mouse keep exact
/// code-point offsets through the autosave, a reload and every format's download opened again.
#[test]
fn unicode_offsets_survive_a_reload_and_every_format() {
    run_scenario(
        "unicode_offsets_survive_a_reload_and_every_format",
        |s| async move {
            let app = App::new(s);
            let path = fixture("unicode-stress.txt");
            let text = read_text(&path);
            let chars: Vec<char> = text.chars().collect();
            app.open().await;
            app.choose_file(&path).await;
            app.expect_doc_text(&text).await;

            let plan: [(&str, &'static str); 10] = [
                ("Сергей Лавров", "actor"),
                ("Алеппо", "place"),
                ("\u{1F1FA}\u{1F1F8}", "place"),
                ("Montre\u{301}al", "place"),
                ("\u{1F469}\u{200D}\u{1F469}\u{200D}\u{1F467}", "actor"),
                ("東京", "place"),
                ("دمشق", "place"),
                ("\u{1D518}\u{1D52B}\u{1D526}", "claim"),
                ("Z\u{fc}rich", "place"),
                ("\u{1F44D}\u{1F3FD}", "denial"),
            ];
            let mut tagged = Vec::new();
            for (needle, label) in plan {
                let w = want(label, cp_find(&text, needle, 0));
                app.drag_select(w.start, w.end).await;
                app.press(key_of(label)).await;
                tagged.push(w);
                app.expect_spans(&chars, &tagged).await;
            }
            // The math-letter claim, said by Сергей Лавров.
            let claim = cp_find(&text, "\u{1D518}\u{1D52B}\u{1D526}", 0);
            super::relations::span_id(&app, claim, "claim").await;
            app.click_at(claim.0 + 1).await;
            app.press('r').await;
            app.click_at(cp_find(&text, "Лавров", 0).0 + 2).await;
            super::relations::wait_relations(&app, 1).await;

            app.reload().await;
            app.expect_doc_text(&text).await;
            app.expect_spans(&chars, &tagged).await;
            let original = native::parse(&app.stored().await.to_string()).unwrap();
            assert_eq!(
                original.document.text, text,
                "stored byte for byte, CRLF kept"
            );
            for s in original.spans() {
                assert_eq!(
                    s.text,
                    cp_slice(&chars, s.start, s.end),
                    "each stored span is its code-point slice"
                );
            }
            every_format_opens_again(&app, &text, "unicode-stress", &original).await;
        },
    );
}

/// Downloads the open document (`original`, titled `stem`, over `text`) in every format and
/// opens each file again: the text and the spans come back exactly (and the links, where the
/// format has them); CoNLL and IOB2, which keep no exact text, open beside the document's `.txt`.
async fn every_format_opens_again(app: &App, text: &str, stem: &str, original: &AnnotatedDocument) {
    let home = &original.document.id;
    // (format id, downloaded file, carries relations)
    let cases = [
        ("brat", format!("{stem}.brat.zip"), true),
        ("conll", format!("{stem}.conll"), false),
        ("iob2", format!("{stem}.iob2"), false),
        ("doccano", format!("{stem}.jsonl"), true),
        ("label-studio", format!("{stem}.label-studio.json"), true),
        ("spacy", format!("{stem}.spacy.json"), false),
        ("w3c", format!("{stem}.w3c.zip"), true),
        ("text", format!("{stem}.txt"), false),
    ];
    for (format, file, relations) in cases {
        choose_format(app, format).await;
        let _ = std::fs::remove_file(app.s.downloads.join(&file));
        app.click("#download").await;
        let bytes = downloaded_bytes(app, &file).await;
        let status = app
            .js(
                "return document.querySelector('[role=status]').textContent;",
                vec![],
            )
            .await;
        let status = status.as_str().unwrap_or_default().to_owned();
        assert!(
            status.starts_with(&format!("Downloaded {file}")),
            "{format}: {status}"
        );
        assert_eq!(
            status.contains("1 relation"),
            !relations,
            "{format}: the status says when the link is left out: {status}"
        );
        // The file opens again (the formats without the exact text beside the document's .txt;
        // brat and W3C come zipped with theirs).
        let mut paths = vec![app.s.downloads.join(&file)];
        if matches!(format, "conll" | "iob2") {
            let stem = file.rsplit_once('.').unwrap().0;
            let txt = app.s.downloads.join(format!("{stem}.txt"));
            std::fs::write(&txt, text).unwrap();
            paths.push(txt);
        }
        if format == "text" {
            assert_eq!(bytes, text.as_bytes(), "plain text is the exact text");
            continue;
        }
        let before = app.library().await.len();
        let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
        app.choose_files(&refs).await;
        app.expect_library(&format!("the {format} download opened"), |r| {
            r.len() == before + 1
        })
        .await;
        let reopened = native::parse(&app.stored().await.to_string()).unwrap();
        let (t, spans, rels) = content(&reopened);
        let (t0, spans0, rels0) = content(original);
        assert_eq!(t, t0, "{format}: the text");
        let spans_no_notes: Vec<_> = spans.iter().map(|s| (s.0, s.1, s.2.clone())).collect();
        let spans0_no_notes: Vec<_> = spans0.iter().map(|s| (s.0, s.1, s.2.clone())).collect();
        assert_eq!(spans_no_notes, spans0_no_notes, "{format}: the spans");
        if relations {
            assert_eq!(rels, rels0, "{format}: the link");
        }
        // Back to the original for the next download.
        app.click(&format!("li.doc-item[data-doc=\"{home}\"] button.doc-open"))
            .await;
        app.expect_doc_text(text).await;
    }
}
