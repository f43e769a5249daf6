use super::*;

#[test]
fn names_match_ignoring_case_and_separators() {
    assert_eq!(name_key(" Said by "), "said_by");
    assert_eq!(name_key("SAID_BY"), "said_by");
    assert_ne!(name_key("said-by"), "said_by");
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
    let BuiltDocument {
        document: doc,
        warnings,
        ..
    } = b.finish().unwrap();
    // Names are matched exactly, or as brat writes them ("said_by" for "said by"); one that
    // differs in case is read as the schema's, and said once.
    let at: Vec<&str> = warnings.iter().map(|w| w.at.as_str()).collect();
    assert_eq!(at, ["line 1", "line 2", "line 4"], "{warnings:?}");
    assert!(warnings[0]
        .message
        .contains("\"ACTOR\" is read as \"Actor\""));
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
    let BuiltDocument { document: doc, .. } = Builder::new("t", "\u{feff}ab", &Schema::default())
        .finish()
        .unwrap();
    assert_eq!(doc.document.text, "ab");
}

#[test]
fn text_that_disagrees_with_offsets_is_a_problem_not_a_guess() {
    let mut b = Builder::new("t", "Kerry said no.", &Schema::default());
    assert_eq!(b.span("line 1", 1, 6, "actor", Some("Kerry")), None);
    assert_eq!(b.span("line 2", 0, 99, "actor", None), None);
    let problems = b.finish().unwrap_err();
    assert_eq!(problems.len(), 2);
    assert_eq!(problems[0].at, "line 1");
    assert!(problems[0].message.contains("\"erry \""), "{}", problems[0]);
}

#[test]
fn relation_types_are_widened_with_a_warning() {
    let mut b = Builder::new("t", "Kerry in Paris", &Schema::default());
    let kerry = b.span("1", 0, 5, "Actor", None).unwrap();
    let paris = b.span("2", 9, 14, "Place", None).unwrap();
    // said_by goes from claims and denials to actors; here it goes from a place.
    b.relation("3", "said_by", &paris, &kerry).unwrap();
    let BuiltDocument {
        document: doc,
        warnings,
        ..
    } = b.finish().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(doc
        .schema
        .relation_type("said_by")
        .unwrap()
        .from_labels
        .contains(&"place".to_owned()));
}

#[test]
fn one_space_at_the_end_of_a_span_does_not_refuse_the_file() {
    // A doccano export of 239 documents was refused whole because 8 of its 1,085 spans ended
    // with a space ([0, 4, "GROUP"] over "BTS "): each such span is read trimmed, and named.
    let mut b = Builder::new("t", "BTS  won. \u{3000}", &Schema::default());
    assert_eq!(b.span("[0]", 0, 4, "GROUP", None).as_deref(), Some("s1"));
    assert_eq!(
        b.span("[1]", 3, 9, "GROUP", Some("  won.")).as_deref(),
        Some("s2")
    );
    assert_eq!(
        b.span("[2]", 9, 11, "GROUP", None),
        None,
        "only white space"
    );
    let built = b.finish().unwrap();
    let spans: Vec<(usize, usize, &str)> = built
        .document
        .spans()
        .iter()
        .map(|s| (s.start, s.end, s.text.as_str()))
        .collect();
    assert_eq!(spans, [(0, 3, "BTS"), (5, 9, "won.")]);
    let at: Vec<(&str, bool)> = built
        .warnings
        .iter()
        .map(|w| (w.at.as_str(), w.skipped))
        .collect();
    assert_eq!(at, [("[0]", false), ("[1]", false), ("[2]", true)]);
    assert!(
        built.warnings[0].message.contains("\"BTS \" at 0..4")
            && built.warnings[0].message.contains("\"BTS\" at 0..3"),
        "{}",
        built.warnings[0]
    );
    assert_eq!(built.read, 2);
}

#[test]
fn strict_reading_refuses_spans_with_white_space_at_an_end() {
    let schema = Schema::default();
    let ctx = Context {
        strict: true,
        ..Context::new("t", &schema)
    };
    let mut b = Builder::within("t", "BTS won.", &ctx);
    assert_eq!(b.span("[0]", 0, 4, "GROUP", None), None);
    let problems = b.finish().unwrap_err();
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].message.contains("white space"),
        "{}",
        problems[0]
    );
}

#[test]
fn names_are_never_matched_onto_ids_or_merged_by_hyphens() {
    // "C" matched the id of "C++" (its slug), "Label" the id of "組織" (the fallback slug),
    // and were written as those names.
    let schema = Schema {
        labels: Vec::new(),
        relation_types: Vec::new(),
    };
    let text = "C++ and C and 組織 and label and located-in located_in";
    let mut b = Builder::new("t", text, &schema);
    for (at, (start, end, name)) in [
        (0, 3, "C++"),
        (8, 9, "C"),
        (14, 16, "組織"),
        (21, 26, "Label"),
        (31, 41, "located-in"),
        (42, 52, "located_in"),
    ]
    .into_iter()
    .enumerate()
    {
        b.span(&at.to_string(), start, end, name, None).unwrap();
    }
    let built = b.finish().unwrap();
    assert!(built.warnings.is_empty(), "{:?}", built.warnings);
    let names: Vec<&str> = built
        .document
        .spans()
        .iter()
        .map(|s| built.document.schema.label_name(&s.label))
        .collect();
    assert_eq!(
        names,
        ["C++", "C", "組織", "Label", "located-in", "located_in"]
    );
}

#[test]
fn trimming_keeps_a_space_that_carries_a_combining_mark() {
    // The space at 1 carries U+0301: the cluster " \u{301}" is no white space. Trimming it by
    // characters left a span starting inside the cluster, refused with offsets not the file's.
    let text = "x \u{301}Paris is";
    let mut b = Builder::new("t", text, &Schema::default());
    assert_eq!(b.span("[0]", 1, 9, "Place", None).as_deref(), Some("s1"));
    let built = b.finish().unwrap();
    assert_eq!(
        (
            built.document.spans()[0].start,
            built.document.spans()[0].end
        ),
        (1, 8)
    );
}
