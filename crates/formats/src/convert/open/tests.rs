use super::*;
use crate::convert::write;
use spanmark_core::Action;
use spanmark_testkit::{default_article, ARTICLE};

/// Opens one file by its name, as the removed `spanmark_formats::open` did: no forced format,
/// no text beside it, the default schema.
fn open(name: &str, bytes: &[u8]) -> Result<Imported, FormatError> {
    open_file(name, bytes, None, None, &Schema::default())
}

#[test]
fn opens_by_extension() {
    assert_eq!(
        open("a.TXT", b"hi").unwrap().documents[0].document.text,
        "hi"
    );
    assert!(matches!(
        open("a.json", b"{"),
        Err(FormatError::Json { line: 1, .. })
    ));
    assert_eq!(
        open("a.pdf", b"%PDF"),
        Err(FormatError::UnsupportedType {
            name: "a.pdf".into()
        })
    );
}

/// Opens the one document of a file into an editor whose schema is `current`, as the removed
/// `spanmark_formats::open_with_schema` did.
fn open_with_schema(name: &str, bytes: &[u8], current: &Schema) -> AnnotatedDocument {
    let mut imported = open_file(name, bytes, None, None, current).unwrap();
    assert_eq!(imported.documents.len(), 1);
    imported.documents.remove(0)
}

#[test]
fn opening_keeps_the_current_schema_and_adds_the_files_labels() {
    let (mine, _) = Schema::default().with_label_added("Organisation").unwrap();
    let text = open_with_schema("a.txt", b"Hi there", &mine);
    assert_eq!(text.schema, mine);
    // A file whose schema has a label ours lacks, and renames one of ours.
    let mut theirs = Schema::default();
    theirs.labels[0].name = "Person".into();
    let (theirs, _) = theirs.with_label_added("Date").unwrap();
    let mut doc = AnnotatedDocument::new(spanmark_core::Document::new("t", "Kerry on Monday"));
    doc.schema = theirs;
    let add = |d: &mut AnnotatedDocument, start, end, label: &str| {
        d.apply(spanmark_core::Action::AddSpan {
            start,
            end,
            label: label.into(),
        })
        .unwrap();
    };
    add(&mut doc, 0, 5, "actor");
    add(&mut doc, 9, 15, "date");
    let file = native::write(&doc);
    let opened = open_with_schema("t.spanmark.json", file.as_bytes(), &mine);
    let names: Vec<_> = opened
        .schema
        .labels
        .iter()
        .map(|l| (l.name.as_str(), l.key.as_deref()))
        .collect();
    assert_eq!(
        names,
        [
            ("Person", Some("1")),
            ("Place", Some("2")),
            ("Claim", Some("3")),
            ("Denial", Some("4")),
            ("Date", Some("5")),
            // Ours, without the key the file's Date has.
            ("Organisation", None),
        ]
    );
    assert_eq!(opened.spans(), doc.spans());
    // The merged document is consistent: it saves and opens again unchanged.
    assert_eq!(native::parse(&native::write(&opened)).unwrap(), opened);
}

#[test]
fn each_file_is_one_annotation_with_its_text_beside_it() {
    let a = default_article();
    let mut b = default_article();
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

fn bytes(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

#[test]
fn opens_native_and_text_files_together() {
    let native_file = native::write(&default_article());
    let files = vec![
        ("a.spanmark.json".to_owned(), bytes(&native_file)),
        ("notes.txt".to_owned(), bytes("\u{feff}Hello\r\nthere")),
    ];
    let got = open_files(&files, &Schema::default()).unwrap();
    assert_eq!(got.documents.len(), 2);
    assert_eq!(got.documents[0], default_article());
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
    let doc = default_article();
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
        ("a.spanmark.json".into(), native::write(&default_article())),
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
#[cfg(not(target_arch = "wasm32"))]
mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
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
