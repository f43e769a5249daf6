use super::*;
use crate::testing;
use spanmark_core::Schema;
use spanmark_testkit::claim::{claim_relations, kerry_denied, CLAIM};
use spanmark_testkit::{
    annotated, article_linked, check_round_trip, content, link, stress_linked, Kept, STRESS,
};

const SEQUENCE: &str =
    include_str!("../../../../tests/fixtures/formats/doccano/sequence-labeling.jsonl");
const RELATIONS: &str =
    include_str!("../../../../tests/fixtures/formats/doccano/relation-extraction.jsonl");
const WRITTEN: &str = include_str!("../../../../tests/fixtures/formats/doccano/written.jsonl");

fn ctx(schema: &Schema) -> Context<'_> {
    testing::ctx("news", schema, None)
}

fn spans(d: &AnnotatedDocument) -> Vec<(usize, usize, &str, &str)> {
    d.spans()
        .iter()
        .map(|s| (s.start, s.end, s.label.as_str(), s.text.as_str()))
        .collect()
}

#[test]
fn reads_the_sequence_labeling_export() {
    let schema = Schema::default();
    let read = parse(SEQUENCE, &ctx(&schema)).unwrap();
    assert_eq!(read.documents.len(), 2);
    let [a, b] = &read.documents[..] else {
        unreachable!()
    };
    assert_eq!(a.document.title, "news");
    assert_eq!(b.document.title, "news (2)");
    assert_ne!(a.document.id, b.document.id);
    assert_eq!(
        spans(a),
        [(0, 5, "actor", "Kerry"), (21, 27, "place", "Moscow")]
    );
    // "LOC" is not a default label: it is added to the schema.
    assert_eq!(b.spans()[0].text, "東京");
    let loc = b.schema.label(&b.spans()[0].label).unwrap();
    assert_eq!(loc.name, "LOC");
    // doccano's comments on a document are its note.
    assert_eq!(b.document.note.as_deref(), Some("check the place"));
    // "PLACE" is the schema's "Place", said once.
    assert_eq!(read.warnings.len(), 1, "{:?}", read.warnings);
    assert_eq!(read.warnings[0].at, "line 1: label[1]");
    assert_eq!(read.read, 4);
}

#[test]
fn reads_the_relation_extraction_export() {
    let schema = Schema::default();
    let read = parse(RELATIONS, &ctx(&schema)).unwrap();
    assert_eq!(read.documents.len(), 1);
    let d = &read.documents[0];
    assert_eq!(
        spans(d),
        [
            (0, 5, "actor", "Kerry"),
            (6, 22, "denial", "denied the claim"),
            (17, 22, "claim", "claim"),
        ]
    );
    let (_, relations) = content(d, false);
    assert_eq!(relations, claim_relations());
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
}

#[test]
fn writes_the_relation_extraction_shape() {
    let mut d = kerry_denied(CLAIM);
    link(&mut d, "said_by", "s2", "s1");
    link(&mut d, "denies", "s2", "s3");
    let e = annotated("東京 is quiet", &[("東京", "place")]);
    assert_eq!(write(&[d, e]), WRITTEN);
}

/// Spans, relations and the text come back; notes do not.
fn round_trip(d: &AnnotatedDocument) {
    let read = parse(&write(std::slice::from_ref(d)), &ctx(&Schema::default()));
    let kept = Kept::RELATIONS | Kept::TEXT;
    check_round_trip(d, read.map(|r| (r.documents, r.warnings)), kept);
}

#[test]
fn round_trips_the_default_article_with_nested_spans_and_relations() {
    round_trip(&article_linked(&[("John Kerry", "actor")]));
}

#[test]
fn round_trips_unicode_with_code_point_offsets() {
    let d = stress_linked(&[("Zürich 👍🏽", "place")]);
    assert!(STRESS.contains("\r\n"));
    let file = write(std::slice::from_ref(&d));
    let v: Value = serde_json::from_str(file.trim_end()).unwrap();
    let text: Vec<char> = v["text"].as_str().unwrap().chars().collect();
    for e in v["entities"].as_array().unwrap() {
        let (a, b) = (
            e["start_offset"].as_u64().unwrap() as usize,
            e["end_offset"].as_u64().unwrap() as usize,
        );
        assert!(d
            .spans()
            .iter()
            .any(|s| s.text == text[a..b].iter().collect::<String>()));
    }
    round_trip(&d);
}

#[test]
fn reports_each_bad_line_and_item() {
    let schema = Schema::default();
    let file = concat!(
        "{\"text\": \"Kerry said\", \"label\": [[0, 5, \"actor\"]]}\n",
        "\n",
        "{\"text\": \"Kerry said\", oops\n",
        "[1, 2]\n",
        "{\"text\": \"Kerry said\", \"entities\": [{\"id\": 1, \"label\": \"actor\", \"start_offset\": 1, \"end_offset\": 6}, 7],",
        " \"relations\": [{\"id\": 1, \"from_id\": 1, \"to_id\": 9, \"type\": \"said_by\"}]}\n",
        "{\"label\": []}\n",
    );
    let Err(FormatError::Problems(problems)) = parse(file, &ctx(&schema)) else {
        panic!("expected problems");
    };
    let at: Vec<&str> = problems.iter().map(|p| p.at.as_str()).collect();
    assert_eq!(
        at,
        [
            "line 3",
            "line 4",
            "line 5: entities[1]",
            "line 5: relations[0]",
            "line 6"
        ],
        "{problems:?}"
    );
    assert!(
        problems[0].message.starts_with("not JSON"),
        "{}",
        problems[0]
    );
    assert!(
        problems[3].message.contains("\"to_id\" is 9"),
        "{}",
        problems[3]
    );
    assert_eq!(problems[4].message, "there is no \"text\" (or \"data\")");
}

#[test]
fn an_empty_file_has_no_document() {
    let schema = Schema::default();
    assert!(matches!(
        parse("\n  \n", &ctx(&schema)),
        Err(FormatError::Problems(_))
    ));
}

#[test]
fn numeric_label_ids_are_read_not_lost_in_silence() {
    // doccano's older export was read as "0 spans, 0 warnings": its spans are under
    // "annotations", with numeric label ids.
    let schema = Schema::default();
    let file = "{\"id\":1,\"text\":\"EU rejects German call\",\"annotations\":[{\"label\":12,\"start_offset\":0,\"end_offset\":2,\"user\":1}]}\n";
    let read = parse(file, &ctx(&schema)).unwrap();
    let d = &read.documents[0];
    assert_eq!(d.spans().len(), 1);
    assert_eq!(d.schema.label_name(&d.spans()[0].label), "12");
    assert_eq!(read.warnings.len(), 1);
    assert_eq!(read.warnings[0].at, "line 1: annotations[0]");
    assert!(
        read.warnings[0].message.contains("label id 12"),
        "{}",
        read.warnings[0]
    );
    // With doccano's label file, the id has its name.
    let names = label_file(r##"[{"id": 12, "text": "ORG", "prefix_key": null, "suffix_key": "o", "background_color": "#209cee", "text_color": "#ffffff"}]"##).unwrap();
    let named = Context {
        label_names: Some(&names),
        ..ctx(&schema)
    };
    let read = parse(file, &named).unwrap();
    let d = &read.documents[0];
    assert_eq!(d.schema.label_name(&d.spans()[0].label), "ORG");
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
}

#[test]
fn the_json_export_is_read_as_an_array_or_one_pretty_record() {
    let schema = Schema::default();
    let array = r#"[
  {"id": 1, "data": "EU rejects German call", "label": [[0, 2, "ORG"]]},
  {"id": 2, "text": "Kerry in Paris", "label": [[9, 14, "LOC"], "POLITICS"]}
]"#;
    let read = parse(array, &ctx(&schema)).unwrap();
    assert_eq!(read.documents.len(), 2);
    assert_eq!(read.documents[0].document.text, "EU rejects German call");
    assert_eq!(read.documents[1].spans()[0].text, "Paris");
    // The document label is named as skipped, not lost in silence.
    assert_eq!(read.warnings.len(), 1);
    assert!(read.warnings[0].skipped);
    assert_eq!(read.warnings[0].at, "[1]: label[1]");
    let pretty = "{\n  \"text\": \"BTS won.\",\n  \"label\": [\n    [0, 4, \"GROUP\"]\n  ]\n}\n";
    let read = parse(pretty, &ctx(&schema)).unwrap();
    assert_eq!(read.documents[0].spans()[0].text, "BTS");
    assert_eq!(read.warnings[0].at, "record: label[0]");
    // A broken array says where.
    assert!(matches!(
        parse("[{\"text\": \"a\"},", &ctx(&schema)),
        Err(FormatError::Json { .. })
    ));
}

#[test]
fn label_files_are_told_from_records() {
    assert!(label_file(r#"[{"id": 1, "text": "PER"}]"#).is_some());
    assert!(label_file(r#"[{"id": 1, "text": "Kerry", "label": [[0, 5, "PER"]]}]"#).is_none());
    assert!(label_file(r#"[]"#).is_none());
    assert!(label_file(r#"{"id": 1, "text": "PER"}"#).is_none());
}
