use super::*;

#[test]
fn opens_by_extension() {
    assert_eq!(open("a.TXT", b"hi").unwrap().document.text, "hi");
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

#[test]
fn opening_keeps_the_current_schema_and_adds_the_files_labels() {
    let (mine, _) = Schema::default().with_label_added("Organisation").unwrap();
    let text = open_with_schema("a.txt", b"Hi there", &mine).unwrap();
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
    let opened = open_with_schema("t.spanmark.json", file.as_bytes(), &mine).unwrap();
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
fn file_names_are_safe() {
    assert_eq!(
        file_name("default-article", ".spanmark.json"),
        "default-article.spanmark.json"
    );
    assert_eq!(file_name("a/b:c?", ".json"), "a_b_c_.json");
    assert_eq!(file_name("  ..", ".json"), "document.json");
    assert_eq!(file_name("Москва 🇷🇺", ".json"), "Москва 🇷🇺.json");
}
