//! doccano JSONL: one JSON object per line, each a document (docs/formats/doccano.md).
//!
//! Two export shapes are read: sequence labeling, `{"text": …, "label": [[start, end, "LABEL"],
//! …]}`, and relation extraction, `{"text": …, "entities": [{"id", "label", "start_offset",
//! "end_offset"}], "relations": [{"id", "from_id", "to_id", "type"}]}`. The second is written.
//! Offsets count code points (doccano's backend is Python). Titles and notes are not carried.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Map, Value};

use super::import::{json_kind, json_message, json_offset, numbered_title, Collector};
use super::{Builder, Context, FormatError, Imported};
use crate::core::AnnotatedDocument;

#[derive(Serialize)]
struct Line<'a> {
    text: &'a str,
    entities: Vec<Entity<'a>>,
    relations: Vec<LineRelation<'a>>,
}

#[derive(Serialize)]
struct Entity<'a> {
    id: usize,
    label: &'a str,
    start_offset: usize,
    end_offset: usize,
}

#[derive(Serialize)]
struct LineRelation<'a> {
    id: usize,
    from_id: usize,
    to_id: usize,
    #[serde(rename = "type")]
    kind: &'a str,
}

/// Writes one line per document in the relation-extraction shape: entity ids are 1, 2, … in
/// span order, relation ids 1, 2, … in relation order. Each line ends with `\n`.
pub fn write(docs: &[AnnotatedDocument]) -> String {
    let mut out = String::new();
    for doc in docs {
        let spans = doc.spans();
        let number: HashMap<&str, usize> = spans
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i + 1))
            .collect();
        let line = Line {
            text: &doc.document.text,
            entities: spans
                .iter()
                .enumerate()
                .map(|(i, s)| Entity {
                    id: i + 1,
                    label: doc.schema.label(&s.label).map_or(&s.label, |l| &l.name),
                    start_offset: s.start,
                    end_offset: s.end,
                })
                .collect(),
            relations: doc
                .relations
                .iter()
                .filter_map(|r| Some((number.get(r.from.as_str())?, number.get(r.to.as_str())?, r)))
                .enumerate()
                .map(|(i, (&from_id, &to_id, r))| LineRelation {
                    id: i + 1,
                    from_id,
                    to_id,
                    kind: &r.kind,
                })
                .collect(),
        };
        // Plain structs of strings and integers always serialize.
        out.push_str(&serde_json::to_string(&line).unwrap_or_default());
        out.push('\n');
    }
    out
}

/// Reads a doccano JSONL file: every non-blank line is a document titled after `ctx.title`
/// (numbered when there are several). Problems name the line, e.g. `line 3: entities[1]`.
pub fn parse(input: &str, ctx: &Context) -> Result<Imported, FormatError> {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let lines: Vec<(usize, &str)> = input
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    let mut collector = Collector::default();
    for (index, &(number, line)) in lines.iter().enumerate() {
        let at = format!("line {number}");
        let value: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                collector.problem(
                    at,
                    format!("not JSON (column {}): {}", e.column(), json_message(&e)),
                );
                continue;
            }
        };
        let Value::Object(object) = value else {
            collector.problem(at, format!("is {}, not a JSON object", json_kind(&value)));
            continue;
        };
        let title = numbered_title(ctx.title, index, lines.len());
        match read_line(&at, &object, &title, ctx) {
            Ok(built) => collector.push(built),
            Err(message) => collector.problem(at, message),
        }
    }
    collector.finish()
}

type Built = Result<(AnnotatedDocument, Vec<super::Problem>), Vec<super::Problem>>;

fn read_line(
    at: &str,
    object: &Map<String, Value>,
    title: &str,
    ctx: &Context,
) -> Result<Built, String> {
    let text = match object.get("text") {
        Some(Value::String(t)) => t,
        Some(other) => return Err(format!("\"text\" is {}, not a string", json_kind(other))),
        None => return Err("there is no \"text\"".into()),
    };
    let mut b = Builder::new(title, text, ctx.schema);
    // "label" in doccano's exports, "labels" in some older ones.
    for key in ["label", "labels"] {
        match object.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let at = format!("{at}: {key}[{i}]");
                    match item.as_array().map(Vec::as_slice) {
                    Some([start, end, Value::String(label)]) => {
                        match (json_offset(start), json_offset(end)) {
                            (Some(s), Some(e)) => {
                                b.span(&at, s, e, label, None);
                            }
                            _ => b.problem(at, "start and end must be whole numbers from 0 up"),
                        }
                    }
                    _ => b.problem(
                        at,
                        "a span must be [start, end, \"LABEL\"] (document-level labels are not read)",
                    ),
                }
                }
            }
            Some(other) => b.problem(
                format!("{at}: {key}"),
                format!("is {}, not an array", json_kind(other)),
            ),
        }
    }
    // doccano entity id (as written in the file) → span id; `None` for an entity that could
    // not be read (its problem is reported once, not again for each relation that uses it).
    let mut entities: HashMap<String, Option<String>> = HashMap::new();
    match object.get("entities") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let at = format!("{at}: entities[{i}]");
                let Some(e) = item.as_object() else {
                    b.problem(at, format!("is {}, not an object", json_kind(item)));
                    continue;
                };
                let offsets = (
                    e.get("start_offset").and_then(json_offset),
                    e.get("end_offset").and_then(json_offset),
                );
                let label = e.get("label").and_then(Value::as_str);
                let (Some(start), Some(end), Some(label)) = (offsets.0, offsets.1, label) else {
                    b.problem(
                        at,
                        "an entity needs \"start_offset\" and \"end_offset\" (whole numbers from 0 up) and a \"label\" (a string)",
                    );
                    if let Some(key) = e.get("id").map(id_key) {
                        entities.entry(key).or_insert(None);
                    }
                    continue;
                };
                let key = e.get("id").map(id_key);
                if let Some(key) = &key {
                    if entities.contains_key(key) {
                        b.problem(at, format!("entity id {key} is used twice"));
                        continue;
                    }
                }
                let span = b.span(&at, start, end, label, None);
                if let Some(key) = key {
                    entities.insert(key, span);
                }
            }
        }
        Some(other) => b.problem(
            format!("{at}: entities"),
            format!("is {}, not an array", json_kind(other)),
        ),
    }
    match object.get("relations") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let at = format!("{at}: relations[{i}]");
                let Some(r) = item.as_object() else {
                    b.problem(at, format!("is {}, not an object", json_kind(item)));
                    continue;
                };
                let Some(kind) = r.get("type").and_then(Value::as_str) else {
                    b.problem(at, "\"type\" must be a string");
                    continue;
                };
                let mut ends = Vec::new();
                for end in ["from_id", "to_id"] {
                    match r.get(end).map(id_key) {
                        Some(key) => match entities.get(&key) {
                            Some(Some(span)) => ends.push(span.clone()),
                            // Already reported at the entity.
                            Some(None) => {}
                            None => b.problem(
                                &at,
                                format!("\"{end}\" is {key}, which is not an entity of this line"),
                            ),
                        },
                        None => b.problem(&at, format!("there is no \"{end}\"")),
                    }
                }
                if let [from, to] = ends.as_slice() {
                    b.relation(&at, kind, from, to);
                }
            }
        }
        Some(other) => b.problem(
            format!("{at}: relations"),
            format!("is {}, not an array", json_kind(other)),
        ),
    }
    if let Some(Value::Array(comments)) = object.get("Comments") {
        if !comments.is_empty() {
            b.warn(
                format!("{at}: Comments"),
                format!("{} comment(s) not kept", comments.len()),
            );
        }
    }
    Ok(b.finish())
}

/// An entity id as a key: numbers and strings as written.
fn id_key(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::Schema;
    use crate::formats::import::testing::{annotated, content, link};
    use crate::formats::Problem;

    const ARTICLE: &str = include_str!("../../assets/default-article.txt");
    const STRESS: &str = include_str!("../../tests/fixtures/unicode-stress.txt");
    const SEQUENCE: &str =
        include_str!("../../tests/fixtures/formats/doccano/sequence-labeling.jsonl");
    const RELATIONS: &str =
        include_str!("../../tests/fixtures/formats/doccano/relation-extraction.jsonl");
    const WRITTEN: &str = include_str!("../../tests/fixtures/formats/doccano/written.jsonl");

    fn ctx<'a>(schema: &'a Schema) -> Context<'a> {
        Context {
            title: "news",
            schema,
            text: None,
        }
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
        assert_eq!(
            read.warnings,
            [Problem::new("line 3: Comments", "1 comment(s) not kept")]
        );
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
        assert_eq!(
            relations,
            [
                (
                    "denies".into(),
                    (6, 22, "denial".into()),
                    (17, 22, "claim".into())
                ),
                (
                    "said_by".into(),
                    (6, 22, "denial".into()),
                    (0, 5, "actor".into())
                ),
            ]
        );
        assert!(read.warnings.is_empty(), "{:?}", read.warnings);
    }

    #[test]
    fn writes_the_relation_extraction_shape() {
        let mut d = annotated(
            "Kerry denied the claim.",
            &[
                ("Kerry", "actor"),
                ("denied the claim", "denial"),
                ("claim", "claim"),
            ],
        );
        link(&mut d, "said_by", "s2", "s1");
        link(&mut d, "denies", "s2", "s3");
        let e = annotated("東京 is quiet", &[("東京", "place")]);
        assert_eq!(write(&[d, e]), WRITTEN);
    }

    fn round_trip(d: &AnnotatedDocument) {
        let schema = Schema::default();
        let read = parse(&write(std::slice::from_ref(d)), &ctx(&schema)).unwrap();
        assert_eq!(read.documents.len(), 1);
        assert_eq!(content(&read.documents[0], false), content(d, false));
        assert_eq!(read.documents[0].document.text, d.document.text);
        assert!(read.warnings.is_empty(), "{:?}", read.warnings);
    }

    #[test]
    fn round_trips_the_default_article_with_nested_spans_and_relations() {
        let mut d = annotated(
            ARTICLE,
            &[
                ("Sergey Lavrov", "actor"),
                ("St Petersburg", "place"),
                (
                    "Sergey Lavrov on 16 June at an economic Forum in St Petersburg",
                    "claim",
                ),
                ("John Kerry", "actor"),
            ],
        );
        link(&mut d, "said_by", "s3", "s1");
        link(&mut d, "located_in", "s3", "s2");
        round_trip(&d);
    }

    #[test]
    fn round_trips_unicode_with_code_point_offsets() {
        let mut d = annotated(
            STRESS,
            &[
                ("Сергей Лавров", "actor"),
                ("Сергей Лавров told reporters", "claim"),
                ("👩\u{200d}👩\u{200d}👧", "actor"),
                ("東京", "place"),
                ("دمشق", "place"),
                ("Zürich 👍🏽", "place"),
            ],
        );
        link(&mut d, "said_by", "s2", "s1");
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
                "line 5: entities[0]",
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
        assert!(problems[2].message.contains("\"erry \""), "{}", problems[2]);
        assert!(
            problems[4].message.contains("\"to_id\" is 9"),
            "{}",
            problems[4]
        );
        assert_eq!(problems[5].message, "there is no \"text\"");
    }

    #[test]
    fn an_empty_file_has_no_document() {
        let schema = Schema::default();
        assert!(matches!(
            parse("\n  \n", &ctx(&schema)),
            Err(FormatError::Problems(_))
        ));
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn parse_never_panics_on_arbitrary_input(s in "\\PC{0,200}") {
                let schema = Schema::default();
                let _ = parse(&s, &ctx(&schema));
            }

            #[test]
            fn parse_never_panics_on_mutated_files(cut in 0usize..400, insert in "[\\[\\]{}\",:0-9a-z\\\\\n-]{0,4}") {
                let schema = Schema::default();
                let mut at = cut.min(RELATIONS.len());
                while !RELATIONS.is_char_boundary(at) { at -= 1; }
                let mutated = format!("{}{}{}", &RELATIONS[..at], insert, &RELATIONS[at..]);
                let _ = parse(&mutated, &ctx(&schema));
            }
        }
    }
}
