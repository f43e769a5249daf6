use super::*;
use crate::testing;
use spanmark_core::Schema;
use spanmark_testkit::claim::{
    claim_relations, kerry_denied_noted, noted_spans, CLAIM, NOTED_SPANS,
};
use spanmark_testkit::{
    article_linked, check_round_trip, content, note, stress_linked, Kept, STRESS,
};

const EXPORT: &str = include_str!("../../../../tests/fixtures/formats/label-studio/export.json");
const WRITTEN: &str = include_str!("../../../../tests/fixtures/formats/label-studio/written.json");

fn ctx(schema: &Schema) -> Context<'_> {
    testing::ctx("news", schema, None)
}

fn problems(input: &str) -> Vec<Problem> {
    testing::problems(parse(input, &ctx(&Schema::default())))
}

#[test]
fn reads_the_documented_export() {
    let schema = Schema::default();
    let read = parse(EXPORT, &ctx(&schema)).unwrap();
    assert_eq!(read.documents.len(), 2);
    let d = &read.documents[0];
    assert_eq!(d.document.title, "news");
    assert_eq!(noted_spans(d), NOTED_SPANS);
    let (_, relations) = content(d, false);
    assert_eq!(relations, claim_relations());
    assert_eq!(
        d.document.note.as_deref(),
        Some("Checked against the transcript.")
    );
    // The second task: predictions only, text under another key, a region with two labels
    // and an unlabelled relation.
    let e = &read.documents[1];
    assert_eq!(e.document.title, "news (2)");
    assert_eq!(e.document.text, "Lavrov spoke in Moscow.");
    let spans: Vec<_> = e
        .spans()
        .iter()
        .map(|s| (s.start, s.end, s.label.as_str()))
        .collect();
    assert_eq!(spans, [(0, 6, "actor"), (16, 22, "place")]);
    let (_, relations) = content(e, false);
    assert_eq!(
        relations,
        [(
            "related".into(),
            (0, 6, "actor".into()),
            (16, 22, "place".into())
        )]
    );
    let at: Vec<_> = read.warnings.iter().map(|w| w.at.as_str()).collect();
    assert_eq!(
        at,
        [
            "[0].annotations[1]",
            "[1].data",
            "[1].predictions",
            "[1].predictions[0].result[1]"
        ],
        "{:?}",
        read.warnings
    );
}

fn sample() -> AnnotatedDocument {
    kerry_denied_noted(CLAIM)
}

#[test]
fn writes_tasks_with_regions_relations_and_notes() {
    assert_eq!(write(&[sample()]), WRITTEN.trim_end());
}

/// Spans, relations, notes, the text and the document note come back.
fn round_trip(d: &AnnotatedDocument) {
    let read = parse(&write(std::slice::from_ref(d)), &ctx(&Schema::default()));
    let kept = Kept::RELATIONS | Kept::NOTES | Kept::TEXT | Kept::DOCUMENT_NOTE;
    check_round_trip(d, read.map(|r| (r.documents, r.warnings)), kept);
}

#[test]
fn round_trips_notes_and_relations() {
    round_trip(&sample());
}

#[test]
fn round_trips_the_default_article_with_nested_spans_and_relations() {
    let mut d = article_linked(&[]);
    note(&mut d, "s3", "two lines\nof note");
    round_trip(&d);
}

#[test]
fn round_trips_unicode_with_code_point_offsets() {
    let d = stress_linked(&[("𝔘𝔫𝔦", "place"), ("Zürich 👍🏽", "place")]);
    assert!(STRESS.contains("\r\n"));
    round_trip(&d);
}

#[test]
fn a_region_with_two_labels_gives_two_spans() {
    let file = r#"[{"data": {"text": "Kerry denied it"}, "annotations": [{"result": [
        {"id": "a", "type": "labels", "value": {"start": 0, "end": 5, "labels": ["Actor", "Claim"]}},
        {"id": "b", "type": "labels", "value": {"start": 6, "end": 15, "labels": ["Denial"]}},
        {"id": "a", "type": "textarea", "value": {"start": 0, "end": 5, "text": ["who", "said"]}},
        {"from_id": "b", "to_id": "a", "type": "relation", "direction": "bi", "labels": ["said_by"]}
    ]}]}]"#;
    let schema = Schema::default();
    let read = parse(file, &ctx(&schema)).unwrap();
    let d = &read.documents[0];
    assert_eq!(
        noted_spans(d),
        [
            (0, 5, "actor", Some("who\nsaid")),
            (0, 5, "claim", Some("who\nsaid")),
            (6, 15, "denial", None)
        ]
    );
    assert_eq!(
        d.relations.len(),
        2,
        "the relation links each span of the region"
    );
    assert!(read.warnings.iter().any(|w| w.message.contains("\"bi\"")));
}

#[test]
fn utf16_offsets_are_reported_as_such() {
    // "👍 Kerry": Kerry is code points 2..7 but UTF-16 units 3..8.
    let file = r#"{"data": {"text": "👍 Kerry"}, "annotations": [{"result": [
        {"id": "a", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": 3, "end": 8, "text": "Kerry", "labels": ["Actor"]}}]}]}"#;
    let p = problems(file);
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].at, "annotations[0].result[0]");
    assert!(p[0].message.contains("UTF-16"), "{}", p[0]);
    // Plainly wrong text is reported without the hint.
    let p = problems(&file.replace("\"Kerry\"", "\"Kerri\""));
    assert!(!p[0].message.contains("UTF-16"), "{}", p[0]);
}

#[test]
fn reports_each_bad_item() {
    let file = r#"[
        {"data": {"text": "Kerry said no."}, "annotations": [{"result": [
            {"id": "a", "type": "labels", "value": {"start": 0, "end": 5, "labels": ["Actor"]}},
            {"id": "b", "type": "labels", "value": {"start": 0, "end": 99, "labels": ["Claim"]}},
            {"id": "c", "type": "labels", "value": {"start": 6, "end": 10, "labels": []}},
            {"from_id": "a", "to_id": "b", "type": "relation"},
            {"from_id": "a", "to_id": "zz", "type": "relation"},
            {"from_id": "a", "to_id": "a", "type": "relation", "direction": "up"},
            5
        ]}]},
        {"data": {"n": 3}},
        "text"
    ]"#;
    let p = problems(file);
    let at: Vec<_> = p.iter().map(|p| p.at.as_str()).collect();
    assert_eq!(
        at,
        [
            "[0].annotations[0].result[6]",
            "[0].annotations[0].result[1]",
            "[0].annotations[0].result[2]",
            "[0].annotations[0].result[4]",
            "[0].annotations[0].result[5]",
            "[1].data",
            "[2]",
        ],
        "{p:?}"
    );
    assert!(p[1].message.contains("outside the text"), "{}", p[1]);
    assert!(matches!(
        parse("{\"data\": ", &ctx(&Schema::default())),
        Err(FormatError::Json { line: 1, .. })
    ));
}
