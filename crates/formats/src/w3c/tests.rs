use super::*;
use crate::testing;
use spanmark_core::Schema;
use spanmark_testkit::claim::{claim_relations, kerry_denied_noted, noted_spans, NOTED_SPANS};
use spanmark_testkit::{
    article_linked, check_round_trip, content, note, stress_linked, Kept, STRESS,
};

const SPEC: &str = include_str!("../../../../tests/fixtures/formats/w3c/annotations.jsonld");
const WRITTEN: &str = include_str!("../../../../tests/fixtures/formats/w3c/written.jsonld");
const TEXT: &str = "Kerry denied the claim. Kerry left.";

fn ctx<'a>(schema: &'a Schema, text: &'a str) -> Context<'a> {
    testing::ctx("news", schema, Some(text))
}

fn problems(input: &str, text: &str) -> Vec<Problem> {
    testing::problems(parse(input, &ctx(&Schema::default(), text)))
}

fn sample() -> AnnotatedDocument {
    kerry_denied_noted(TEXT)
}

#[test]
fn writes_a_collection_of_tagging_and_linking_annotations() {
    assert_eq!(write(&sample()), WRITTEN.trim_end());
}

#[test]
fn reads_the_shapes_the_model_documents() {
    let schema = Schema::default();
    let read = parse(SPEC, &ctx(&schema, TEXT)).unwrap();
    let [d] = &read.documents[..] else {
        panic!("one document")
    };
    assert_eq!(d.document.title, "Annotations of the Kerry story");
    assert_eq!(
        noted_spans(d),
        [&NOTED_SPANS[..], &[(24, 29, "actor", None)]].concat()
    );
    let (_, relations) = content(d, false);
    assert_eq!(relations, claim_relations());
    assert_eq!(
        d.document.note.as_deref(),
        Some("Checked against the transcript.")
    );
    let at: Vec<_> = read.warnings.iter().map(|w| w.at.as_str()).collect();
    assert_eq!(at, ["first.next.items[1]"], "{:?}", read.warnings);
}

#[test]
fn reads_a_page_an_array_and_a_single_annotation() {
    let one = r#"{"type": "Annotation", "motivation": "tagging", "bodyValue": "Actor",
        "target": {"source": "urn:x", "selector": {"type": "TextQuoteSelector", "exact": "Kerry", "suffix": " left"}}}"#;
    let schema = Schema::default();
    for file in [
        one.to_owned(),
        format!("[{one}]"),
        format!("{{\"type\": \"AnnotationPage\", \"items\": [{one}]}}"),
    ] {
        let read = parse(&file, &ctx(&schema, TEXT)).unwrap();
        let d = &read.documents[0];
        assert_eq!(d.document.title, "news");
        let spans: Vec<_> = d.spans().iter().map(|s| (s.start, s.end)).collect();
        assert_eq!(spans, [(24, 29)]);
    }
}

#[test]
fn the_text_is_required() {
    let schema = Schema::default();
    let ctx = Context {
        title: "t",
        schema: &schema,
        text: None,
        strict: false,
        label_names: None,
    };
    let Err(FormatError::Problems(p)) = parse(WRITTEN, &ctx) else {
        panic!("expected a problem")
    };
    assert!(p[0].message.contains("text"), "{}", p[0]);
}

#[test]
fn selectors_are_checked_and_quotes_must_be_unique() {
    let target = |selector: &str| {
        format!(
            r#"[{{"type": "Annotation", "motivation": "tagging", "body": {{"type": "TextualBody", "value": "Actor"}},
            "target": {{"source": "urn:x", "selector": {selector}}}}}]"#
        )
    };
    let cases = [
        // Position and quote disagree.
        (
            r#"[{"type": "TextPositionSelector", "start": 1, "end": 6}, {"type": "TextQuoteSelector", "exact": "Kerry"}]"#,
            "but offsets 1..6 hold",
        ),
        (
            r#"{"type": "TextQuoteSelector", "exact": "Kerry"}"#,
            "2 times",
        ),
        (
            r#"{"type": "TextQuoteSelector", "exact": "Lavrov"}"#,
            "not in the text",
        ),
        (
            r#"{"type": "TextQuoteSelector", "exact": "Kerry", "prefix": "x"}"#,
            "not in the text",
        ),
        (r#"{"type": "RangeSelector"}"#, "not supported"),
        (
            r#"{"type": "XPathSelector", "value": "/p[1]"}"#,
            "not supported",
        ),
        (
            r#"{"type": "TextPositionSelector", "start": 0, "end": 99}"#,
            "outside",
        ),
    ];
    for (selector, expected) in cases {
        let p = problems(&target(selector), TEXT);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].at, "[0]");
        assert!(p[0].message.contains(expected), "{selector}: {}", p[0]);
    }
    // Overlapping occurrences count.
    let p = problems(
        &target(r#"{"type": "TextQuoteSelector", "exact": "aa"}"#),
        "aaa",
    );
    assert!(p[0].message.contains("2 times"), "{}", p[0]);
    // The prefix tells the two apart.
    let schema = Schema::default();
    let file = target(r#"{"type": "TextQuoteSelector", "exact": "Kerry", "prefix": "claim. "}"#);
    let read = parse(&file, &ctx(&schema, TEXT)).unwrap();
    assert_eq!(read.documents[0].spans()[0].start, 24);
}

#[test]
fn links_to_missing_annotations_are_problems() {
    let file = r##"[
        {"id": "#a", "type": "Annotation", "motivation": "tagging", "bodyValue": "Actor",
         "target": {"source": "urn:x", "selector": {"type": "TextPositionSelector", "start": 0, "end": 5}}},
        {"id": "#b", "type": "Annotation", "motivation": "tagging", "bodyValue": "Actor",
         "target": {"source": "urn:x", "selector": {"type": "TextPositionSelector", "start": 0, "end": 6}}},
        {"type": "Annotation", "motivation": "linking", "body": {"type": "TextualBody", "purpose": "tagging", "value": "said_by"}, "target": ["#a", "#b"]},
        {"type": "Annotation", "motivation": "linking", "target": ["#a", "#zz"]},
        {"type": "Annotation", "motivation": "linking", "target": "#a"},
        "oops"
    ]"##;
    let p = problems(file, TEXT);
    let at: Vec<_> = p.iter().map(|p| p.at.as_str()).collect();
    // #b fails (it ends with white space); the link to it is not reported again.
    assert_eq!(at, ["[1]", "[5]", "[3]", "[4]"], "{p:?}");
}

/// Spans, relations, notes, the title and the document note come back (the text is given
/// beside the file).
fn round_trip(d: &AnnotatedDocument) {
    let read = parse(&write(d), &ctx(&Schema::default(), &d.document.text));
    let kept = Kept::RELATIONS | Kept::NOTES | Kept::TITLE | Kept::DOCUMENT_NOTE;
    check_round_trip(d, read.map(|r| (r.documents, r.warnings)), kept);
}

#[test]
fn round_trips_notes_and_relations() {
    round_trip(&sample());
}

#[test]
fn round_trips_the_default_article_with_nested_spans_and_relations() {
    let mut d = article_linked(&[]);
    note(&mut d, "s2", "a note");
    round_trip(&d);
}

#[test]
fn round_trips_unicode_with_code_point_offsets() {
    let d = stress_linked(&[("Zürich 👍🏽", "place")]);
    assert!(STRESS.contains("\r\n"));
    round_trip(&d);
    // Quote selectors alone find the same spans.
    let file = write(&d);
    let mut v: Value = serde_json::from_str(&file).unwrap();
    for a in v["first"]["items"].as_array_mut().unwrap() {
        let selector = a.get_mut("target").and_then(|t| t.get_mut("selector"));
        if let Some(sel) = selector.and_then(Value::as_array_mut) {
            sel.retain(|s| s["type"] == "TextQuoteSelector");
        }
    }
    let schema = Schema::default();
    let read = parse(&v.to_string(), &ctx(&schema, STRESS)).unwrap();
    assert_eq!(content(&read.documents[0], true), content(&d, true));
}

#[test]
fn ids_are_iris() {
    let mut d = sample();
    d.document.id = "a b/ü".into();
    let v: Value = serde_json::from_str(&write(&d)).unwrap();
    assert_eq!(
        v["first"]["items"][0]["target"]["source"],
        "urn:spanmark:a%20b%2F%C3%BC"
    );
}
