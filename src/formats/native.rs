//! The native Spanmark JSON file (documented in docs/FORMAT.md).
//!
//! A file is self-checking: it carries the exact text, the schema, and each span's text next to
//! its code-point offsets. Reading checks all of it and names the first item that is wrong.

use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

use super::import::json_error;
use super::FormatError;
use crate::core::offsets::CpIndex;
use crate::core::snap::check_range_indexed;
use crate::core::{AnnotatedDocument, Document, Relation, Schema, Span};

/// The value of the `format` field.
pub const FORMAT: &str = "spanmark";
/// The version this build writes (and the newest it reads).
pub const VERSION: u64 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    format: String,
    version: u64,
    document: Document,
    schema: Schema,
    spans: Vec<Span>,
    #[serde(default)]
    relations: Vec<Relation>,
}

#[derive(Serialize)]
struct FileRef<'a> {
    format: &'a str,
    version: u64,
    document: &'a Document,
    schema: &'a Schema,
    spans: &'a [Span],
    relations: &'a [Relation],
}

/// The native file of `doc` as a serializable value (for stores that serialize themselves).
pub fn file(doc: &AnnotatedDocument) -> impl Serialize + '_ {
    FileRef {
        format: FORMAT,
        version: VERSION,
        document: &doc.document,
        schema: &doc.schema,
        spans: doc.spans(),
        relations: &doc.relations,
    }
}

/// Serializes `doc` as a native file (pretty-printed JSON).
pub fn write(doc: &AnnotatedDocument) -> String {
    // Serializing plain structs of strings and integers cannot fail.
    serde_json::to_string_pretty(&file(doc)).unwrap_or_default()
}

fn invalid(at: impl Into<String>, message: impl Into<String>) -> FormatError {
    FormatError::Invalid {
        at: at.into(),
        message: message.into(),
    }
}

/// Parses and checks a native file.
pub fn parse(input: &str) -> Result<AnnotatedDocument, FormatError> {
    let value: serde_json::Value = serde_json::from_str(input).map_err(json_error)?;
    if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(FormatError::NotSpanmark);
    }
    match value.get("version").and_then(|v| v.as_u64()) {
        Some(VERSION) => {}
        Some(v) => return Err(FormatError::UnsupportedVersion(v)),
        None => return Err(invalid("version", "must be a whole number")),
    }
    let file: File = serde_json::from_str(input).map_err(json_error)?;
    check(&file)?;
    // A document's text is exact; only a leading BOM is not part of it.
    let mut document = file.document;
    if document.text.starts_with('\u{feff}') {
        return Err(invalid(
            "document.text",
            "starts with a byte-order mark, which is not part of a text",
        ));
    }
    document.text.shrink_to_fit();
    Ok(AnnotatedDocument::from_parts(
        document,
        file.schema,
        file.spans,
        file.relations,
    ))
}

fn check(file: &File) -> Result<(), FormatError> {
    // Names, colours (they reach style attributes), keys and ids follow the schema rules.
    file.schema
        .check()
        .map_err(|e| invalid("schema", e.to_string()))?;
    let mut label_ids = HashSet::new();
    for (i, l) in file.schema.labels.iter().enumerate() {
        if l.id.is_empty() || !label_ids.insert(l.id.as_str()) {
            return Err(invalid(
                format!("schema.labels[{i}]"),
                format!("label id \"{}\" is empty or repeated", l.id),
            ));
        }
    }
    let mut kinds = HashSet::new();
    for (i, r) in file.schema.relation_types.iter().enumerate() {
        if r.id.is_empty() || !kinds.insert(r.id.as_str()) {
            return Err(invalid(
                format!("schema.relation_types[{i}]"),
                format!("relation type id \"{}\" is empty or repeated", r.id),
            ));
        }
    }
    let text = &file.document.text;
    // Offsets of thousands of spans in a long text: through an index, not a walk each.
    let index = CpIndex::new(text);
    let mut span_ids = HashSet::new();
    for (i, s) in file.spans.iter().enumerate() {
        let at = format!("spans[{i}] (id \"{}\")", s.id);
        if s.id.is_empty() || !span_ids.insert(s.id.as_str()) {
            return Err(invalid(at, "span id is empty or repeated"));
        }
        if !label_ids.contains(s.label.as_str()) {
            return Err(invalid(
                at,
                format!("label \"{}\" is not in the schema", s.label),
            ));
        }
        let Some(actual) = index.slice(text, s.start, s.end) else {
            return Err(invalid(
                at,
                format!(
                    "offsets {}..{} are outside the text ({} code points)",
                    s.start,
                    s.end,
                    index.len()
                ),
            ));
        };
        if actual != s.text {
            return Err(invalid(
                at,
                format!(
                    "\"text\" is {:?} but offsets {}..{} hold {:?}",
                    s.text, s.start, s.end, actual
                ),
            ));
        }
        check_range_indexed(text, &index, s.start, s.end)
            .map_err(|e| invalid(at, e.to_string()))?;
    }
    let spans: HashMap<&str, &Span> = file.spans.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut relation_ids = HashSet::new();
    for (i, r) in file.relations.iter().enumerate() {
        let at = format!("relations[{i}] (id \"{}\")", r.id);
        if r.id.is_empty() || !relation_ids.insert(r.id.as_str()) {
            return Err(invalid(at, "relation id is empty or repeated"));
        }
        let Some(kind) = file.schema.relation_type(&r.kind) else {
            return Err(invalid(
                at,
                format!("relation type \"{}\" is not in the schema", r.kind),
            ));
        };
        for (end, id, allowed) in [
            ("from", &r.from, &kind.from_labels),
            ("to", &r.to, &kind.to_labels),
        ] {
            let Some(span) = spans.get(id.as_str()) else {
                return Err(invalid(
                    at,
                    format!("\"{end}\" names span \"{id}\", which does not exist"),
                ));
            };
            if !allowed.contains(&span.label) {
                return Err(invalid(
                    at,
                    format!(
                        "a \"{}\" relation cannot have a {} span at its \"{end}\" end",
                        r.kind, span.label
                    ),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::Action;

    const ARTICLE: &str = include_str!("../../assets/default-article.txt");
    const STRESS: &str = include_str!("../../tests/fixtures/unicode-stress.txt");

    fn annotated(text: &str, phrases: &[(&str, &str)]) -> AnnotatedDocument {
        let mut d = AnnotatedDocument::new(Document::new("t", text));
        for (phrase, label) in phrases {
            let b = text.find(phrase).expect("phrase in text");
            let start = text[..b].chars().count();
            let end = start + phrase.chars().count();
            d.apply(Action::AddSpan {
                start,
                end,
                label: (*label).into(),
            })
            .expect("valid span");
        }
        d
    }

    #[test]
    fn round_trips_the_default_article_with_nested_spans() {
        let d = annotated(
            ARTICLE,
            &[
                ("Sergey Lavrov", "actor"),
                ("St Petersburg", "place"),
                (
                    "Sergey Lavrov on 16 June at an economic Forum in St Petersburg",
                    "claim",
                ),
            ],
        );
        let file = write(&d);
        assert_eq!(parse(&file), Ok(d));
    }

    #[test]
    fn round_trips_unicode_with_code_point_offsets() {
        let d = annotated(
            STRESS,
            &[
                ("Сергей Лавров", "actor"),
                ("👩\u{200d}👩\u{200d}👧", "actor"),
                ("東京", "place"),
                ("دمشق", "place"),
                ("Zürich", "place"),
            ],
        );
        assert!(STRESS.contains("\r\n"));
        let file = write(&d);
        let v: serde_json::Value = serde_json::from_str(&file).unwrap();
        for s in v["spans"].as_array().unwrap() {
            let (a, b) = (
                s["start"].as_u64().unwrap() as usize,
                s["end"].as_u64().unwrap() as usize,
            );
            let expected: String = STRESS.chars().skip(a).take(b - a).collect();
            assert_eq!(s["text"].as_str().unwrap(), expected);
        }
        assert_eq!(parse(&file), Ok(d));
    }

    #[test]
    fn text_that_disagrees_with_offsets_is_an_error() {
        let d = annotated("Kerry denied it", &[("Kerry", "actor")]);
        let file = write(&d).replace("\"text\": \"Kerry\"", "\"text\": \"Kerri\"");
        let err = parse(&file).unwrap_err();
        assert_eq!(
            err,
            invalid(
                "spans[0] (id \"s1\")",
                "\"text\" is \"Kerri\" but offsets 0..5 hold \"Kerry\""
            )
        );
    }

    #[test]
    fn reports_where_the_json_breaks() {
        assert!(matches!(
            parse("{\n  \"format\": \"spanmark\",\n  oops"),
            Err(FormatError::Json { line: 3, .. })
        ));
        assert_eq!(parse("[1, 2]"), Err(FormatError::NotSpanmark));
        assert_eq!(
            parse(r#"{"format":"spanmark","version":7}"#),
            Err(FormatError::UnsupportedVersion(7))
        );
        let missing = parse(
            r#"{"format":"spanmark","version":1,"document":{"id":"d","title":"t","text":""}}"#,
        );
        assert!(
            matches!(missing, Err(FormatError::Json { ref message, .. }) if message.contains("schema")),
            "{missing:?}"
        );
    }

    #[test]
    fn rejects_each_broken_rule() {
        let d = annotated(
            "Kerry denied it",
            &[("Kerry", "actor"), ("denied it", "denial")],
        );
        let good = write(&d);
        let cases = [
            (
                good.replace("\"label\": \"actor\"", "\"label\": \"person\""),
                "not in the schema",
            ),
            (
                good.replace("\"end\": 5", "\"end\": 6")
                    .replace("\"text\": \"Kerry\"", "\"text\": \"Kerry \""),
                "white space",
            ),
            (
                good.replace("\"end\": 5", "\"end\": 50"),
                "outside the text",
            ),
            (good.replace("\"id\": \"s2\"", "\"id\": \"s1\""), "repeated"),
        ];
        for (file, expected) in cases {
            match parse(&file) {
                Err(FormatError::Invalid { message, .. }) => {
                    assert!(message.contains(expected), "{message}")
                }
                other => panic!("expected an Invalid error containing {expected:?}, got {other:?}"),
            }
        }
    }

    /// A colour is written into style attributes: anything but `#rrggbb` could carry CSS
    /// (for example a `url(...)` that makes the page contact another site).
    #[test]
    fn a_schema_colour_that_is_not_a_hex_colour_is_refused() {
        let d = annotated("Kerry denied it", &[("Kerry", "actor")]);
        let file = write(&d).replace(
            "\"#0072b2\"",
            "\"red;background-image:url(https://example.org/x)\"",
        );
        match parse(&file) {
            Err(FormatError::Invalid { at, .. }) => assert_eq!(at, "schema"),
            other => panic!("expected the schema to be refused, got {other:?}"),
        }
        let file = write(&d).replace("\"key\": \"1\"", "\"key\": \"Enter\"");
        assert!(matches!(parse(&file), Err(FormatError::Invalid { .. })));
    }

    #[test]
    fn relations_are_checked_against_spans_and_schema() {
        let mut d = annotated(
            "Kerry denied it",
            &[("Kerry", "actor"), ("denied it", "denial")],
        );
        d.relations.push(Relation {
            id: "r1".into(),
            kind: "said_by".into(),
            from: "s2".into(),
            to: "s1".into(),
        });
        assert_eq!(parse(&write(&d)), Ok(d.clone()));
        d.relations[0] = Relation {
            id: "r1".into(),
            kind: "said_by".into(),
            from: "s1".into(),
            to: "s2".into(),
        };
        assert!(matches!(
            parse(&write(&d)),
            Err(FormatError::Invalid { .. })
        ));
        d.relations[0].to = "s9".into();
        assert!(matches!(
            parse(&write(&d)),
            Err(FormatError::Invalid { .. })
        ));
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn parse_never_panics_on_arbitrary_input(s in "\\PC{0,200}") {
                let _ = parse(&s);
            }

            #[test]
            fn parse_never_panics_on_mutated_files(cut in 0usize..2000, insert in "[\\[\\]{}\",:0-9a-z\\\\]{0,4}") {
                let d = annotated("Kerry denied it, said Lavrov", &[("Kerry", "actor"), ("denied it", "denial")]);
                let file = write(&d);
                let mut at = cut.min(file.len());
                while !file.is_char_boundary(at) { at -= 1; }
                let mutated = format!("{}{}{}", &file[..at], insert, &file[at..]);
                let _ = parse(&mutated);
            }
        }
    }
}
