use super::*;

#[test]
fn names_match_ignoring_case_and_separators() {
    assert_eq!(name_key(" Said by "), "said_by");
    assert_eq!(name_key("SAID-BY"), "said_by");
    assert_eq!(bare_name("Head of state"), "Head_of_state");
}

#[test]
fn builds_spans_and_relations_onto_the_schema() {
    let mut b = Builder::new("t", "Kerry said no in Paris.", &Schema::default());
    let kerry = b.span("line 1", 0, 5, "ACTOR", Some("Kerry")).unwrap();
    let claim = b.span("line 2", 0, 13, "claim", None).unwrap();
    let paris = b.span("line 3", 17, 22, "LOC", Some("Paris")).unwrap();
    b.relation("line 4", "Said_by", &claim, &kerry).unwrap();
    b.relation("line 5", "mentions", &claim, &paris).unwrap();
    let (doc, warnings) = b.finish().unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(doc.spans().len(), 3);
    assert!(doc.schema.labels.iter().any(|l| l.name == "LOC"));
    let mentions = doc
        .schema
        .relation_types
        .iter()
        .find(|r| r.name == "mentions")
        .unwrap();
    assert_eq!(mentions.from_labels, ["claim"]);
    assert_eq!(doc.relations.len(), 2);
    doc.schema.check().unwrap();
}

#[test]
fn a_text_starting_with_two_byte_order_marks_is_refused_not_kept_unreadable() {
    // A document keeps no byte-order mark: one was dropped, the second stayed at the start
    // of the text, and the document's native file was refused when read back (found by
    // fuzzing doccano, `{"text": "\ufeff\ufeffab", "label": []}`).
    let b = Builder::new("t", "\u{feff}\u{feff}ab", &Schema::default());
    let problems = b.finish().unwrap_err();
    assert_eq!(problems[0].at, "text");
    assert!(
        problems[0].message.contains("byte-order mark"),
        "{}",
        problems[0]
    );
    let (doc, _) = Builder::new("t", "\u{feff}ab", &Schema::default())
        .finish()
        .unwrap();
    assert_eq!(doc.document.text, "ab");
}

#[test]
fn text_that_disagrees_with_offsets_is_a_problem_not_a_guess() {
    let mut b = Builder::new("t", "Kerry said no.", &Schema::default());
    assert_eq!(b.span("line 1", 1, 6, "actor", Some("Kerry")), None);
    assert_eq!(b.span("line 2", 0, 99, "actor", None), None);
    assert_eq!(
        b.span("line 3", 0, 6, "actor", None),
        None,
        "ends with a space"
    );
    let problems = b.finish().unwrap_err();
    assert_eq!(problems.len(), 3);
    assert_eq!(problems[0].at, "line 1");
    assert!(problems[0].message.contains("\"erry \""), "{}", problems[0]);
}

#[test]
fn relation_types_are_widened_with_a_warning() {
    let mut b = Builder::new("t", "Kerry in Paris", &Schema::default());
    let kerry = b.span("1", 0, 5, "actor", None).unwrap();
    let paris = b.span("2", 9, 14, "place", None).unwrap();
    // said_by goes from claims and denials to actors; here it goes from a place.
    b.relation("3", "said_by", &paris, &kerry).unwrap();
    let (doc, warnings) = b.finish().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(doc
        .schema
        .relation_type("said_by")
        .unwrap()
        .from_labels
        .contains(&"place".to_owned()));
}
