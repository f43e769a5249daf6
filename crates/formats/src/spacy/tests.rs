use super::*;
use crate::testing;
use crate::Problem;
use spanmark_core::Schema;
use spanmark_testkit::{annotated, article, check_round_trip, stress, Kept, STRESS};

const TRAINING: &str = include_str!("../../../../tests/fixtures/formats/spacy/training.json");
const WRITTEN: &str = include_str!("../../../../tests/fixtures/formats/spacy/written.json");

fn ctx(schema: &Schema) -> Context<'_> {
    testing::ctx("train", schema, None)
}

#[test]
fn reads_pairs_objects_and_span_groups() {
    let schema = Schema::default();
    let read = parse(TRAINING, &ctx(&schema)).unwrap();
    let titles: Vec<_> = read
        .documents
        .iter()
        .map(|d| d.document.title.as_str())
        .collect();
    assert_eq!(titles, ["train", "train (2)", "train (3)"]);
    let spans = |i: usize| -> Vec<(usize, usize, String)> {
        let d = &read.documents[i];
        d.spans()
            .iter()
            .map(|s| {
                (
                    s.start,
                    s.end,
                    d.schema.label(&s.label).unwrap().name.clone(),
                )
            })
            .collect()
    };
    assert_eq!(spans(0), [(7, 17, "PERSON".into())]);
    // Entities and the span group share one span; the nested ones come from "sc".
    assert_eq!(
        spans(1),
        [
            (0, 55, "Claim".into()),
            (0, 13, "Actor".into()),
            (19, 55, "Claim".into()),
            (35, 41, "Place".into())
        ]
    );
    assert_eq!(spans(2), [(0, 2, "Place".into())]);
    assert_eq!(read.warnings, [Problem::new("[0].cats", "not kept")]);
}

#[test]
fn writes_non_overlapping_entities_and_all_spans() {
    let d = annotated(
        "Sergey Lavrov spoke in St Petersburg.",
        &[
            ("Sergey Lavrov spoke in St Petersburg", "claim"),
            ("Sergey Lavrov", "actor"),
            ("St Petersburg", "place"),
        ],
    );
    let e = annotated("東京 is quiet", &[("東京", "place")]);
    assert_eq!(write(&[d, e]), WRITTEN);
    assert_eq!(write(&[]), "[]\n");
}

/// Spans and the text come back; relations and notes do not.
fn round_trip(d: &AnnotatedDocument) {
    let read = parse(&write(std::slice::from_ref(d)), &ctx(&Schema::default()));
    let kept = Kept::TEXT;
    check_round_trip(d, read.map(|r| (r.documents, r.warnings)), kept);
}

#[test]
fn round_trips_the_default_article_with_nested_spans() {
    let d = article(&[("John Kerry", "actor")]);
    round_trip(&d);
}

#[test]
fn round_trips_unicode_with_code_point_offsets() {
    let d = stress(&[("Zürich 👍🏽", "place")]);
    assert!(STRESS.contains("\r\n"));
    round_trip(&d);
}

#[test]
fn reports_each_bad_item() {
    let schema = Schema::default();
    let file = r#"[
        ["Kerry said no.", {"entities": [[0, 5, "Actor"], [0, 99, "Claim"], "B-PER"]}],
        ["Kerry said no.", {"spans": {"sc": [[6, 10, "Claim", "Q1"], [-1, 3, "X"]]}}],
        {"entities": []},
        42
    ]"#;
    let Err(FormatError::Problems(p)) = parse(file, &ctx(&schema)) else {
        panic!("expected problems")
    };
    let at: Vec<_> = p.iter().map(|p| p.at.as_str()).collect();
    assert_eq!(
        at,
        [
            "[0].entities[1]",
            "[0].entities[2]",
            "[1].spans.sc[1]",
            "[2]",
            "[3]"
        ],
        "{p:?}"
    );
    assert!(p[1].message.contains("BILUO"), "{}", p[1]);
    assert!(matches!(
        parse("[[\"a\", {]]", &ctx(&schema)),
        Err(FormatError::Json { line: 1, .. })
    ));
    assert!(matches!(
        parse("{}", &ctx(&schema)),
        Err(FormatError::Problems(_))
    ));
}
