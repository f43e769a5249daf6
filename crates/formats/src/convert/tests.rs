use super::*;
use spanmark_core::{Action, Document, NoteTarget, Relation};

const ARTICLE: &str = include_str!("../../../../assets/default-article.txt");

fn annotated(text: &str, phrases: &[(&str, &str)]) -> AnnotatedDocument {
    let mut d = AnnotatedDocument::new(Document::new("t", text));
    for (phrase, label) in phrases {
        let b = text.find(phrase).expect("phrase in text");
        let start = text[..b].chars().count();
        let end = start + phrase.chars().count();
        d.apply(Action::AddSpan {
            start,
            end,
            label: (*label).into(),
        })
        .expect("valid span");
    }
    d
}

fn article() -> AnnotatedDocument {
    let mut d = annotated(
        ARTICLE,
        &[
            ("Sergey Lavrov", "actor"),
            ("St Petersburg", "place"),
            (
                "Sergey Lavrov on 16 June at an economic Forum in St Petersburg",
                "claim",
            ),
        ],
    );
    d.document.title = "default-article".into();
    d
}

#[test]
fn each_file_is_one_annotation_with_its_text_beside_it() {
    let a = article();
    let mut b = article();
    b.apply(Action::RemoveSpan { id: "s1".into() }).unwrap();
    let files = vec![
        (
            "annotator-a.spanmark.json".to_owned(),
            native::write(&a).into_bytes(),
        ),
        (
            "annotator-b.ann".to_owned(),
            crate::brat::write(&b).into_bytes(),
        ),
        ("annotator-b.txt".to_owned(), ARTICLE.as_bytes().to_vec()),
    ];
    let opened = open_annotations(&files, &Schema::default()).expect("both open");
    let names: Vec<&str> = opened.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["annotator-a.spanmark.json", "annotator-b.ann"]);
    assert_eq!(opened[0].1.spans().len(), 3);
    assert_eq!(opened[1].1.spans().len(), 2);
    assert_eq!(opened[1].1.document.text, ARTICLE);
    let broken = vec![("bad.json".to_owned(), b"{".to_vec())];
    let errors = open_annotations(&broken, &Schema::default()).unwrap_err();
    assert_eq!(errors[0].0, "bad.json");
}

#[test]
fn detects_by_extension() {
    let cases = [
        ("a.ann", Format::Brat),
        ("A.CONLL", Format::Conll),
        ("eng.conll03", Format::Conll),
        ("x.iob", Format::Iob2),
        ("x.iob2", Format::Iob2),
        ("x.bio", Format::Iob2),
        ("data.jsonl", Format::Doccano),
        ("notes.jsonld", Format::W3c),
        ("a.txt", Format::Text),
        ("a.text", Format::Text),
    ];
    for (name, format) in cases {
        assert_eq!(detect(name, ""), Some(format), "{name}");
    }
    assert_eq!(detect("a.pdf", "{}"), None);
    assert_eq!(detect("README", "hello"), None);
}

#[test]
fn detects_json_by_content() {
    let native_file = native::write(&article());
    let cases = [
        (native_file.as_str(), Some(Format::Native)),
        (
            r#"[["Kerry denied it", {"entities": [[0, 5, "PERSON"]]}]]"#,
            Some(Format::Spacy),
        ),
        (
            r#"[{"text": "Kerry", "entities": [{"start": 0, "end": 5, "label": "PERSON"}]}]"#,
            Some(Format::Spacy),
        ),
        (
            r#"[{"data": {"text": "Kerry"}, "annotations": [{"result": []}]}]"#,
            Some(Format::LabelStudio),
        ),
        (
            r#"{"data": {"text": "Kerry"}, "predictions": []}"#,
            Some(Format::LabelStudio),
        ),
        (
            r#"{"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation"}"#,
            Some(Format::W3c),
        ),
        (
            r#"{"type": "AnnotationCollection", "first": {"items": []}}"#,
            Some(Format::W3c),
        ),
        (
            r#"[{"@context": "http://www.w3.org/ns/anno.jsonld", "id": "a1"}]"#,
            Some(Format::W3c),
        ),
        (
            r#"{"text": "Kerry", "label": [[0, 5, "PERSON"]]}"#,
            Some(Format::Doccano),
        ),
        (
            r#"{"id": 1, "text": "Kerry", "entities": [], "relations": []}"#,
            Some(Format::Doccano),
        ),
        (
            "{\"text\": \"a\", \"label\": []}\n{\"text\": \"b\", \"label\": []}\n",
            Some(Format::Doccano),
        ),
        (r#"{"hello": 1}"#, None),
        ("[]", None),
        ("[1, 2]", None),
        ("{ not json", None),
        ("", None),
    ];
    for (content, format) in cases {
        assert_eq!(detect("x.json", content), format, "{content}");
    }
}

#[test]
fn native_and_text_round_trip_through_read_and_write() {
    let doc = article();
    let schema = Schema::default();
    for format in [Format::Native, Format::Text] {
        let files = write(format, std::slice::from_ref(&doc));
        assert_eq!(files.len(), 1);
        let (name, content) = &files[0];
        assert_eq!(name, &format!("default-article{}", format.suffix()));
        let ctx = Context {
            title: &title_of(name),
            schema: &schema,
            text: None,
        };
        let back = read(format, content, &ctx).unwrap();
        assert!(back.warnings.is_empty());
        let got = &back.documents[0];
        assert_eq!(got.document.text, ARTICLE);
        assert_eq!(got.document.title, "default-article");
        if format == Format::Native {
            assert_eq!(got, &doc);
        } else {
            assert!(got.spans().is_empty());
        }
    }
}

#[test]
fn reading_a_native_file_merges_its_schema_into_the_current_one() {
    let (current, _) = Schema::default().with_label_added("Date").unwrap();
    let file = native::write(&article());
    let ctx = Context {
        title: "x",
        schema: &current,
        text: None,
    };
    let got = read(Format::Native, &file, &ctx)
        .unwrap()
        .documents
        .remove(0);
    assert!(got.schema.labels.iter().any(|l| l.name == "Date"));
    assert_eq!(got.spans(), article().spans());
    // With an empty current schema the file's schema stays as it is.
    let empty = Schema {
        labels: Vec::new(),
        relation_types: Vec::new(),
    };
    let ctx = Context {
        schema: &empty,
        ..ctx
    };
    assert_eq!(
        read(Format::Native, &file, &ctx).unwrap().documents[0],
        article()
    );
}

#[test]
fn several_documents_get_unique_file_names() {
    let mut a = article();
    a.document.title = "Report".into();
    let mut b = a.clone();
    b.document.title = "report".into();
    let mut c = a.clone();
    c.document.title = "a/b".into();
    let names: Vec<String> = write(Format::Native, &[a.clone(), b, c])
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(
        names,
        [
            "Report.spanmark.json",
            "report (2).spanmark.json",
            "a_b.spanmark.json"
        ]
    );
    assert!(write(Format::Native, &[]).is_empty());
    assert_eq!(
        all_documents(std::slice::from_ref(&a), ".conll", String::new())[0].0,
        "Report.conll"
    );
    assert_eq!(
        all_documents(&[a.clone(), a], ".conll", String::new())[0].0,
        "documents.conll"
    );
}

#[test]
fn titles_and_pairs_from_file_names() {
    assert_eq!(title_of("dir/article.spanmark.json"), "article");
    assert_eq!(title_of("Article.SPACY.JSON"), "Article");
    assert_eq!(title_of("a.b.ann"), "a.b");
    assert_eq!(title_of(".ann"), ".ann");
    assert_eq!(title_of("noext"), "noext");
    assert_eq!(title_of("Москва.txt"), "Москва");
    assert_eq!(pair_key("x.zip/Dir/A.ann"), pair_key("x.zip/Dir/a.TXT"));
    assert_ne!(pair_key("x.zip/one/a.ann"), pair_key("x.zip/two/a.txt"));
    assert!(is_clutter("__MACOSX/._a.txt"));
    assert!(!is_clutter("a.txt"));
}

#[test]
fn losses_follow_the_table() {
    let mut d = article();
    let claim = d
        .spans()
        .iter()
        .find(|s| s.label == "claim")
        .unwrap()
        .id
        .clone();
    let actor = d
        .spans()
        .iter()
        .find(|s| s.label == "actor")
        .unwrap()
        .id
        .clone();
    d.relations.push(Relation {
        id: "r1".into(),
        kind: "said_by".into(),
        from: claim.clone(),
        to: actor,
    });
    d.apply(Action::SetNote {
        target: NoteTarget::Span(claim),
        note: Some("check".into()),
    })
    .unwrap();
    d.document.note = Some("from the wire".into());
    assert!(losses(Format::Native, &d).is_empty());
    assert_eq!(
        losses(Format::Conll, &d),
        [
            "1 relation (CoNLL 2003 has no relations)",
            "1 note (CoNLL 2003 has no notes)",
            "the document note (CoNLL 2003 has no document notes)",
        ]
    );
    assert_eq!(
        losses(Format::Text, &d)[0],
        "3 spans (Plain text has no annotations)"
    );
    assert_eq!(
        losses(Format::Brat, &d),
        ["the document note (brat standoff (.ann) has no document notes)"]
    );
    // Nothing to lose, nothing said.
    let plain = AnnotatedDocument::new(Document::new("t", "Kerry"));
    for format in Format::ALL {
        assert!(losses(format, &plain).is_empty(), "{format:?}");
    }
    // Every format that carries less than Spanmark JSON says so for this document.
    for format in Format::ALL {
        let c = carries(format);
        let full = c.spans && c.overlaps && c.relations && c.span_notes && c.document_note;
        assert_eq!(losses(format, &d).is_empty(), full, "{format:?}");
    }
}

#[test]
fn overlapping_counts_spans_that_must_go() {
    let d = annotated(
        "Kerry said no in Paris today",
        &[
            ("Kerry said no", "claim"),
            ("Kerry", "actor"),
            ("said no in", "denial"),
            ("Paris", "place"),
        ],
    );
    assert_eq!(overlapping(d.spans()), 2);
}

fn bytes(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

#[test]
fn opens_native_and_text_files_together() {
    let native_file = native::write(&article());
    let files = vec![
        ("a.spanmark.json".to_owned(), bytes(&native_file)),
        ("notes.txt".to_owned(), bytes("\u{feff}Hello\r\nthere")),
    ];
    let got = open_files(&files, &Schema::default()).unwrap();
    assert_eq!(got.documents.len(), 2);
    assert_eq!(got.documents[0], article());
    assert_eq!(got.documents[1].document.title, "notes");
    assert_eq!(got.documents[1].document.text, "Hello\r\nthere");
}

#[test]
fn opening_reports_every_files_error_and_no_partial_import() {
    let files = vec![
        ("good.txt".to_owned(), bytes("fine")),
        ("bad.txt".to_owned(), vec![b'o', b'k', 0xff]),
        ("x.pdf".to_owned(), bytes("%PDF")),
        ("broken.json".to_owned(), bytes("{\n oops")),
        ("other.json".to_owned(), bytes(r#"{"hello": 1}"#)),
    ];
    let errors = open_files(&files, &Schema::default()).unwrap_err();
    let names: Vec<&str> = errors.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["bad.txt", "x.pdf", "broken.json", "other.json"]);
    assert_eq!(errors[0].1, FormatError::NotUtf8 { offset: 2 });
    assert!(matches!(errors[2].1, FormatError::Json { line: 2, .. }));
    assert_eq!(errors[3].1, FormatError::NotSpanmark);
}

#[test]
fn a_text_beside_an_annotation_file_is_its_text_not_a_document() {
    let files = vec![
        ("Article.ann".to_owned(), bytes("T1\tActor 0 5\tKerry\n")),
        ("article.txt".to_owned(), bytes("Kerry denied it")),
        ("other.txt".to_owned(), bytes("Other")),
    ];
    let got = open_files(&files, &Schema::default()).unwrap();
    let docs: Vec<(&str, usize)> = got
        .documents
        .iter()
        .map(|d| (d.document.text.as_str(), d.spans().len()))
        .collect();
    assert_eq!(docs, [("Kerry denied it", 1), ("Other", 0)]);
    // An .ann alone says where its text is expected.
    let err = open_file("x.ann", b"", None, None, &Schema::default()).unwrap_err();
    assert!(err.to_string().contains("\"x.txt\""), "{err}");
}

#[test]
fn a_text_beside_a_conll_file_gives_it_exact_offsets() {
    let doc = article();
    let files = write(Format::Conll, std::slice::from_ref(&doc));
    let (name, conll) = &files[0];
    let opened = open_files(
        &[
            (name.clone(), conll.clone().into_bytes()),
            ("default-article.txt".into(), ARTICLE.as_bytes().to_vec()),
        ],
        &Schema::default(),
    )
    .unwrap();
    assert_eq!(
        opened.documents.len(),
        1,
        "the .txt is the CoNLL file's text"
    );
    let got = &opened.documents[0];
    assert_eq!(got.document.text, ARTICLE);
    let spans = |d: &AnnotatedDocument| -> Vec<(usize, usize, String)> {
        d.spans()
            .iter()
            .map(|s| (s.start, s.end, s.label.clone()))
            .collect()
    };
    assert_eq!(spans(got), spans(&doc));
}

#[test]
fn opens_the_files_of_an_archive() {
    let zip = archive::write(&[
        ("a.spanmark.json".into(), native::write(&article())),
        ("dir/b.txt".into(), "Bee".into()),
        ("__MACOSX/dir/._b.txt".into(), "\u{0}\u{5}".into()),
    ]);
    let files = vec![
        ("docs.zip".to_owned(), zip),
        ("c.txt".to_owned(), bytes("Sea")),
    ];
    let got = open_files(&files, &Schema::default()).unwrap();
    let titles: Vec<&str> = got
        .documents
        .iter()
        .map(|d| d.document.title.as_str())
        .collect();
    assert_eq!(titles, ["c", "default-article", "b"]);

    let nested = archive::write(&[("inner.zip".into(), "PK".into())]);
    let errors = open_files(&[("outer.zip".to_owned(), nested)], &Schema::default()).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].0, "outer.zip/inner.zip");
    let empty = archive::write(&[]);
    let errors = open_files(&[("empty.zip".to_owned(), empty)], &Schema::default()).unwrap_err();
    assert_eq!(errors[0].0, "empty.zip");
    let errors = open_files(
        &[("broken.zip".to_owned(), bytes("not a zip"))],
        &Schema::default(),
    )
    .unwrap_err();
    assert_eq!(errors[0].0, "broken.zip");
}

#[test]
fn files_over_the_limit_are_refused() {
    let big = vec![b'a'; MAX_FILE_BYTES + 1];
    let errors = open_files(&[("big.txt".to_owned(), big)], &Schema::default()).unwrap_err();
    assert!(errors[0].1.to_string().contains("20 MB"), "{}", errors[0].1);
    let exactly = vec![b'a'; MAX_FILE_BYTES];
    assert!(open_files(&[("ok.txt".to_owned(), exactly)], &Schema::default()).is_ok());
}

#[test]
fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
    // serde_json stops at 128 levels (its `unbounded_depth` feature must stay off): a
    // file nested deeper is refused by every JSON reader, and by the format sniffing.
    let deep = |open: &str, close: &str| {
        let n = 100_000;
        format!("{}1{}", open.repeat(n), close.repeat(n))
    };
    let schema = Schema::default();
    for file in [
        deep("[", "]"),
        deep("{\"a\":", "}"),
        deep("[{\"data\":", "}]"),
    ] {
        assert_eq!(detect("x.json", &file), None);
        for format in [
            Format::Native,
            Format::Doccano,
            Format::LabelStudio,
            Format::Spacy,
            Format::W3c,
        ] {
            let got = open_file("x.json", file.as_bytes(), Some(format), Some("t"), &schema);
            let err = got.unwrap_err().to_string();
            assert!(err.contains("recursion limit"), "{format:?}: {err}");
        }
        assert!(open_files(&[("x.json".into(), bytes(&file))], &schema).is_err());
    }
}

#[test]
fn a_forced_format_wins_over_the_extension() {
    let got = open_file(
        "notes.md",
        b"# Notes",
        Some(Format::Text),
        None,
        &Schema::default(),
    )
    .unwrap();
    assert_eq!(got.documents[0].document.title, "notes");
    assert_eq!(
        open_file("notes.md", b"# Notes", None, None, &Schema::default()),
        Err(FormatError::UnsupportedType {
            name: "notes.md".into()
        })
    );
}

#[cfg(not(target_arch = "wasm32"))]
mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn detect_never_panics(s in "\\PC{0,200}") {
            let _ = detect("x.json", &s);
        }

        #[test]
        fn opening_never_panics_on_arbitrary_files(
            bytes in proptest::collection::vec(any::<u8>(), 0..300),
            name in "[a-z]{1,3}\\.(json|txt|ann|jsonld|zip|jsonl|conll|pdf)",
        ) {
            let _ = open_files(
                &[(name, bytes.clone()), ("a.txt".to_owned(), bytes)],
                &Schema::default(),
            );
        }
    }
}
