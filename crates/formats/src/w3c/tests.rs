use super::*;
use crate::testing;
use crate::{Context, FormatError, Problem};
use serde_json::Value;
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
    assert_eq!(
        at,
        ["first.next.items[1]", "first.next.items[3]"],
        "{:?}",
        read.warnings
    );
    // "actor" is read as the schema's "Actor", and said.
    assert!(read.warnings[1].message.contains("is read as \"Actor\""));
    // The highlight has nothing to read: it is skipped, and counted with what was read.
    assert!(read.warnings[0].skipped);
    assert_eq!(read.read, 8);
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
fn links_to_annotations_not_in_the_file_are_skipped_and_malformed_links_are_problems() {
    let file = r##"[
        {"id": "#a", "type": "Annotation", "motivation": "tagging", "bodyValue": "Actor",
         "target": {"source": "urn:x", "selector": {"type": "TextPositionSelector", "start": 0, "end": 5}}},
        {"id": "#b", "type": "Annotation", "motivation": "tagging", "bodyValue": "Actor",
         "target": {"source": "urn:x", "selector": {"type": "TextPositionSelector", "start": 0, "end": 99}}},
        {"type": "Annotation", "motivation": "linking", "body": {"type": "TextualBody", "purpose": "tagging", "value": "said_by"}, "target": ["#a", "#b"]},
        {"type": "Annotation", "motivation": "linking", "target": ["#a", "#zz"]},
        {"type": "Annotation", "motivation": "linking", "target": "#a"},
        "oops"
    ]"##;
    let p = problems(file, TEXT);
    let at: Vec<_> = p.iter().map(|p| p.at.as_str()).collect();
    // #b fails (outside the text); the link to it is not reported again. The link to "#zz",
    // which is not in the file, is no problem: it is skipped (below).
    assert_eq!(at, ["[1]", "[5]", "[4]"], "{p:?}");
    assert!(p[0].message.contains("outside the text"), "{}", p[0]);
    assert!(p[2].message.contains("ids of two annotations"), "{}", p[2]);

    // Without the broken ones, the file reads: the link to an annotation that is not in the
    // file is skipped with a warning that names it.
    let file = r##"[
        {"id": "#a", "type": "Annotation", "motivation": "tagging", "bodyValue": "Actor",
         "target": {"source": "urn:x", "selector": {"type": "TextPositionSelector", "start": 0, "end": 5}}},
        {"id": "#b", "type": "Annotation", "motivation": "tagging", "bodyValue": "Claim",
         "target": {"source": "urn:x", "selector": {"type": "TextPositionSelector", "start": 17, "end": 22}}},
        {"type": "Annotation", "motivation": "linking", "body": {"type": "TextualBody", "purpose": "tagging", "value": "said_by"}, "target": ["#b", "#a"]},
        {"type": "Annotation", "motivation": "linking", "target": ["#a", "#zz"]}
    ]"##;
    let schema = Schema::default();
    let read = parse(file, &ctx(&schema, TEXT)).unwrap();
    assert_eq!(read.documents[0].relations.len(), 1);
    let [w] = &read.warnings[..] else {
        panic!("one warning: {:?}", read.warnings)
    };
    assert_eq!((w.at.as_str(), w.skipped), ("[3]", true));
    assert!(
        w.message
            .contains("\"#zz\" is not an annotation of this file"),
        "{w}"
    );
    // Two spans and a relation read, one link skipped.
    assert_eq!(read.read, 3);
}

/// RecogitoJS exports comments without a tag as annotations of their own, and links tagged
/// annotations to them; the link used to refuse the whole file (`"#c" is not a tagging
/// annotation of this file`).
#[test]
fn a_link_to_a_comment_only_annotation_reads_the_tags_and_warns() {
    // As RecogitoJS writes them: no motivation, comments without a purpose.
    let file = r##"[
        {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "#a", "type": "Annotation",
         "body": [{"type": "TextualBody", "value": "Actor", "purpose": "tagging"},
                  {"type": "TextualBody", "value": "the Secretary of State"}],
         "target": {"selector": [{"type": "TextQuoteSelector", "exact": "Kerry"},
                                 {"type": "TextPositionSelector", "start": 0, "end": 5}]}},
        {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "#c", "type": "Annotation",
         "body": [{"type": "TextualBody", "value": "which claim?"}],
         "target": {"selector": [{"type": "TextQuoteSelector", "exact": "the claim"},
                                 {"type": "TextPositionSelector", "start": 13, "end": 22}]}},
        {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "#d", "type": "Annotation",
         "body": [{"type": "TextualBody", "value": "the same Kerry", "purpose": "commenting"}],
         "target": {"selector": [{"type": "TextQuoteSelector", "exact": "Kerry"},
                                 {"type": "TextPositionSelector", "start": 0, "end": 5}]}},
        {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "#l", "type": "Annotation",
         "motivation": "linking",
         "body": [{"type": "TextualBody", "value": "isRelatedTo", "purpose": "tagging"}],
         "target": [{"id": "#a"}, {"id": "#c"}]}
    ]"##;
    let schema = Schema::default();
    let read = parse(file, &ctx(&schema, TEXT)).unwrap();
    let d = &read.documents[0];
    // The tag is read; the comment on the same text as a tag is that span's note.
    assert_eq!(
        noted_spans(d),
        [(
            0,
            5,
            "actor",
            Some("the Secretary of State\nthe same Kerry")
        )]
    );
    assert!(d.relations.is_empty());
    // The comment on text no tag marks is a line of the document note, quoting the text.
    assert_eq!(
        d.document.note.as_deref(),
        Some("\"the claim\" (13–22): which claim?")
    );
    let warnings: Vec<_> = read
        .warnings
        .iter()
        .map(|w| (w.at.as_str(), w.skipped))
        .collect();
    assert_eq!(
        warnings,
        [("[1]", false), ("[3]", true)],
        "{:?}",
        read.warnings
    );
    assert!(read.warnings[0]
        .message
        .contains("kept in the document note"));
    let link = &read.warnings[1].message;
    assert!(
        link.contains("the link \"isRelatedTo\" from \"#a\" to \"#c\" is not read"),
        "{link}"
    );
    assert!(link.contains("\"#c\" is a comment without a tag"), "{link}");
    // A span, two notes on it and the document note read; the link skipped.
    assert_eq!(read.read, 4);
}

/// A body that is a resource elsewhere (an IRI, or an object with an `id` and no `value`) was
/// refused as "a TextualBody needs a \"value\" string".
#[test]
fn an_external_body_is_named_as_such_not_as_a_missing_value() {
    let file = r#"{"type": "Annotation", "motivation": "commenting",
        "body": ["http://example.org/comment1", {"id": "http://example.org/comment2"},
                 {"type": "SpecificResource", "purpose": "identifying", "source": "http://www.wikidata.org/entity/Q22316"},
                 {"type": "TextualBody", "purpose": "tagging", "value": "Actor"}],
        "target": {"source": "urn:x", "selector": {"type": "TextPositionSelector", "start": 0, "end": 5}}}"#;
    let schema = Schema::default();
    let read = parse(file, &ctx(&schema, TEXT)).unwrap();
    let spans: Vec<_> = read.documents[0]
        .spans()
        .iter()
        .map(|s| (s.start, s.end))
        .collect();
    assert_eq!(spans, [(0, 5)]);
    let at: Vec<_> = read.warnings.iter().map(|w| w.at.as_str()).collect();
    assert_eq!(
        at,
        [
            "annotation.body[0]",
            "annotation.body[1]",
            "annotation.body[2]"
        ]
    );
    for (w, iri) in read.warnings.iter().zip([
        "http://example.org/comment1",
        "http://example.org/comment2",
        "http://www.wikidata.org/entity/Q22316",
    ]) {
        assert!(w.skipped, "{w}");
        assert!(w.message.contains(&format!("the body {iri:?}")), "{w}");
        assert!(w.message.contains("does not fetch it"), "{w}");
        assert!(!w.message.contains("value"), "{w}");
    }
    assert_eq!(read.read, 1);
}

#[test]
fn bodies_spanmark_has_no_place_for_are_skipped_one_by_one() {
    let file = r#"[
        {"type": "Annotation", "motivation": "tagging",
         "body": [{"type": "TextualBody", "purpose": "tagging", "value": "Actor"},
                  {"type": "TextualBody", "purpose": "editing", "value": "Kerry's"},
                  {"type": "TextualBody", "purpose": "tagging", "value": "  "},
                  {"type": "TextualBody"},
                  {"type": "Choice", "items": []},
                  42],
         "target": {"source": "urn:x", "selector": {"type": "TextPositionSelector", "start": 0, "end": 5}}},
        {"type": "Annotation", "motivation": "highlighting",
         "target": {"source": "urn:x", "selector": {"type": "TextPositionSelector", "start": 6, "end": 12}}},
        {"type": "Annotation", "motivation": "tagging", "bodyValue": "Topic", "target": "urn:x"},
        {"type": "Annotation", "motivation": "tagging", "bodyValue": "Actor",
         "target": [{"source": "urn:x", "selector": {"type": "TextPositionSelector", "start": 0, "end": 5}},
                    {"source": "urn:x", "selector": {"type": "TextPositionSelector", "start": 24, "end": 29}}]}
    ]"#;
    let schema = Schema::default();
    let read = parse(file, &ctx(&schema, TEXT)).unwrap();
    assert_eq!(read.documents[0].spans().len(), 1);
    let at: Vec<_> = read
        .warnings
        .iter()
        .inspect(|w| assert!(w.skipped, "{w}"))
        .map(|w| w.at.as_str())
        .collect();
    assert_eq!(
        at,
        [
            "[0].body[1]",
            "[0].body[2]",
            "[0].body[3]",
            "[0].body[4]",
            "[0].body[5]",
            "[1]",
            "[2]",
            "[3]"
        ],
        "{:?}",
        read.warnings
    );
    let message = |i: usize| read.warnings[i].message.as_str();
    assert!(message(0).contains("purpose \"editing\""));
    assert!(message(1).contains("the tag is empty"));
    assert!(message(2).contains("without a \"value\""));
    assert!(message(3).contains("type Choice"));
    assert!(message(4).contains("a number"));
    assert!(message(5).contains("\"highlighting\""));
    assert!(message(6).contains("no document labels"));
    assert!(message(7).contains("2 targets"));
    assert_eq!(read.read, 1);
}

#[test]
fn utf16_offsets_of_javascript_tools_are_read_as_characters_with_a_warning() {
    let text = "👍🏽 Kerry denied it.";
    // RecogitoJS counts "👍🏽" (two characters) as four UTF-16 units.
    let file = r#"[{"type": "Annotation",
        "body": [{"type": "TextualBody", "purpose": "tagging", "value": "Actor"}],
        "target": {"selector": [{"type": "TextQuoteSelector", "exact": "Kerry"},
                                {"type": "TextPositionSelector", "start": 5, "end": 10}]}}]"#;
    let schema = Schema::default();
    let read = parse(file, &ctx(&schema, text)).unwrap();
    let spans: Vec<_> = read.documents[0]
        .spans()
        .iter()
        .map(|s| (s.start, s.end, s.text.as_str()))
        .collect();
    assert_eq!(spans, [(3, 8, "Kerry")]);
    let [w] = &read.warnings[..] else {
        panic!("one warning: {:?}", read.warnings)
    };
    assert!(!w.skipped);
    assert!(w.message.contains("UTF-16"), "{w}");
    assert!(w.message.contains("read as 3..8"), "{w}");
    // Inside a character, or a quote that is not there either way: still a problem.
    for (start, end) in [(1, 6), (6, 11)] {
        let file = file.replace(
            "\"start\": 5, \"end\": 10",
            &format!("\"start\": {start}, \"end\": {end}"),
        );
        let p = problems(&file, text);
        assert!(p[0].message.contains("but offsets"), "{}", p[0]);
    }
}

#[test]
fn other_selectors_beside_a_position_or_quote_are_alternatives() {
    // Hypothesis-style: a RangeSelector beside the position and the quote.
    let file = r#"{"type": "Annotation", "motivation": "tagging", "bodyValue": "Actor",
        "target": {"source": "urn:x", "selector": [
            {"type": "RangeSelector", "startSelector": {"type": "XPathSelector", "value": "/p[1]"}},
            {"type": "TextPositionSelector", "start": 24, "end": 29},
            {"type": "TextQuoteSelector", "exact": "Kerry", "prefix": "claim. "}]}}"#;
    let schema = Schema::default();
    let read = parse(file, &ctx(&schema, TEXT)).unwrap();
    assert_eq!(read.documents[0].spans()[0].start, 24);
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
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
