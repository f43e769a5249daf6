//! Label Studio JSON tasks (docs/formats/label-studio.md).
//!
//! A file is an array of tasks (or one task): `{"data": {"text": …}, "annotations": [{"result":
//! […]}]}`. Results of type `labels` are regions (spans), `relation` results link regions, and
//! `textarea` results are notes: on a region when they share its id, else on the document.
//! Offsets count code points; a region whose `value.text` would match only when counted in
//! UTF-16 code units (as Label Studio's editor counts) is reported, not converted.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use serde::Serialize;
use serde_json::{Map, Value};

use super::import::{json_error, json_kind, json_offset, numbered_title, Collector};
use super::{Builder, Context, FormatError, Imported, Problem};
use crate::core::offsets::{cp_to_utf16, slice_cp, utf16_to_cp};
use crate::core::AnnotatedDocument;

/// The relation type given to a relation without labels.
pub const UNLABELLED_RELATION: &str = "related";

#[derive(Serialize)]
struct Task<'a> {
    data: Data<'a>,
    annotations: [Annotation<'a>; 1],
}

#[derive(Serialize)]
struct Data<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct Annotation<'a> {
    result: Vec<ResultItem<'a>>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum ResultItem<'a> {
    Region {
        id: Cow<'a, str>,
        from_name: &'static str,
        to_name: &'static str,
        #[serde(rename = "type")]
        kind: &'static str,
        value: RegionValue<'a>,
    },
    Relation {
        from_id: &'a str,
        to_id: &'a str,
        #[serde(rename = "type")]
        kind: &'static str,
        direction: &'static str,
        labels: [&'a str; 1],
    },
}

#[derive(Serialize)]
struct RegionValue<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<usize>,
    text: RegionText<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    labels: Option<[&'a str; 1]>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum RegionText<'a> {
    Covered(&'a str),
    Note([&'a str; 1]),
}

/// Writes one task per document: `data.text`, and one annotation whose result has a `labels`
/// region per span (region id = span id), a `relation` per relation (direction `right`, the
/// relation type's id as its label) and a `textarea` (`from_name` `note`) per note.
pub fn write(docs: &[AnnotatedDocument]) -> String {
    let tasks: Vec<Task> = docs.iter().map(task).collect();
    // Plain structs of strings and integers always serialize.
    serde_json::to_string_pretty(&tasks).unwrap_or_default()
}

fn task(doc: &AnnotatedDocument) -> Task<'_> {
    let spans = doc.spans();
    let mut result: Vec<ResultItem> = spans
        .iter()
        .map(|s| ResultItem::Region {
            id: Cow::Borrowed(&s.id),
            from_name: "label",
            to_name: "text",
            kind: "labels",
            value: RegionValue {
                start: Some(s.start),
                end: Some(s.end),
                text: RegionText::Covered(&s.text),
                labels: Some([doc.schema.label(&s.label).map_or(&s.label, |l| &l.name)]),
            },
        })
        .collect();
    result.extend(doc.relations.iter().map(|r| ResultItem::Relation {
        from_id: &r.from,
        to_id: &r.to,
        kind: "relation",
        direction: "right",
        labels: [&r.kind],
    }));
    result.extend(spans.iter().filter_map(|s| {
        Some(ResultItem::Region {
            id: Cow::Borrowed(&s.id),
            from_name: "note",
            to_name: "text",
            kind: "textarea",
            value: RegionValue {
                start: Some(s.start),
                end: Some(s.end),
                text: RegionText::Note([s.note.as_deref()?]),
                labels: None,
            },
        })
    }));
    if let Some(note) = &doc.document.note {
        // An id that is no region's, so that the note reads back as the document's.
        let mut id = "note".to_owned();
        let mut n = 1u64;
        while spans.iter().any(|s| s.id == id) {
            n = n.saturating_add(1);
            id = format!("note-{n}");
        }
        result.push(ResultItem::Region {
            id: Cow::Owned(id),
            from_name: "note",
            to_name: "text",
            kind: "textarea",
            value: RegionValue {
                start: None,
                end: None,
                text: RegionText::Note([note]),
                labels: None,
            },
        });
    }
    Task {
        data: Data {
            text: &doc.document.text,
        },
        annotations: [Annotation { result }],
    }
}

fn join(base: &str, rest: &str) -> String {
    if base.is_empty() {
        rest.to_owned()
    } else {
        format!("{base}.{rest}")
    }
}

/// Reads Label Studio tasks: an array of tasks or one task. Each task is a document titled after
/// `ctx.title` (numbered when there are several). Problems name the item, e.g.
/// `[2].annotations[0].result[3]`.
pub fn parse(input: &str, ctx: &Context) -> Result<Imported, FormatError> {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let value: Value = serde_json::from_str(input).map_err(json_error)?;
    let mut collector = Collector::default();
    match &value {
        Value::Array(tasks) => {
            for (i, t) in tasks.iter().enumerate() {
                let title = numbered_title(ctx.title, i, tasks.len());
                read_task(&mut collector, &format!("[{i}]"), t, &title, ctx);
            }
        }
        Value::Object(_) => read_task(&mut collector, "", &value, ctx.title, ctx),
        other => collector.problem(
            "file",
            format!(
                "is {}, not a Label Studio task or an array of tasks",
                json_kind(other)
            ),
        ),
    }
    collector.finish()
}

fn read_task(collector: &mut Collector, base: &str, task: &Value, title: &str, ctx: &Context) {
    let here = if base.is_empty() { "task" } else { base };
    let Some(task) = task.as_object() else {
        collector.problem(here, format!("is {}, not a task object", json_kind(task)));
        return;
    };
    let Some(data) = task.get("data").and_then(Value::as_object) else {
        collector.problem(here, "there is no \"data\" object");
        return;
    };
    let mut warnings = Vec::new();
    let text = match data.get("text") {
        Some(Value::String(t)) => t,
        _ => match data.iter().find_map(|(k, v)| Some((k, v.as_str()?))) {
            Some((key, t)) => {
                warnings.push(Problem::new(
                    join(base, "data"),
                    format!("there is no \"text\"; \"{key}\" is read as the text"),
                ));
                t
            }
            None => {
                collector.problem(join(base, "data"), "there is no text in it");
                return;
            }
        },
    };
    let mut b = Builder::new(title, text, ctx.schema);
    for w in warnings {
        b.warn(w.at, w.message);
    }
    let listed = |key: &str| {
        task.get(key)
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty())
    };
    let (key, annotations) = match (listed("annotations"), listed("predictions")) {
        (Some(a), _) => ("annotations", a),
        (None, Some(p)) => {
            b.warn(
                join(base, "predictions"),
                "the task has no annotations; its predictions are read",
            );
            ("predictions", p)
        }
        (None, None) => {
            collector.push(b.finish());
            return;
        }
    };
    if annotations.len() > 1 {
        b.warn(
            join(base, key),
            format!("{} {key}; only the first is read", annotations.len()),
        );
    }
    let at = join(base, &format!("{key}[0]"));
    match annotations
        .first()
        .and_then(Value::as_object)
        .map(|a| a.get("result"))
    {
        Some(Some(Value::Array(result))) => read_result(&mut b, &at, result),
        Some(None) => {}
        Some(Some(other)) => b.problem(
            format!("{at}.result"),
            format!("is {}, not an array", json_kind(other)),
        ),
        None => b.problem(at, "is not an object"),
    }
    collector.push(b.finish());
}

fn read_result(b: &mut Builder, base: &str, result: &[Value]) {
    // Region id → the spans made from it (one per label).
    let mut regions: HashMap<String, Vec<String>> = HashMap::new();
    // Regions that could not be read: already reported, not again for what uses them.
    let mut failed: HashSet<String> = HashSet::new();
    let items: Vec<(String, &Map<String, Value>)> = result
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let at = format!("{base}.result[{i}]");
            match item.as_object() {
                Some(o) => Some((at, o)),
                None => {
                    b.problem(at, format!("is {}, not an object", json_kind(item)));
                    None
                }
            }
        })
        .collect();
    for (at, item) in &items {
        if item.get("type").and_then(Value::as_str) == Some("labels") {
            let id = item.get("id").map(id_key);
            match read_region(b, at, item) {
                Some(spans) => {
                    if let Some(id) = id {
                        regions.entry(id).or_default().extend(spans);
                    }
                }
                None => {
                    failed.extend(id);
                }
            }
        }
    }
    let mut document_notes = Vec::new();
    for (at, item) in &items {
        match item.get("type").and_then(Value::as_str) {
            Some("labels") => {}
            Some("textarea") => {
                let value = item.get("value");
                let note = match value.and_then(|v| v.get("text")) {
                    Some(Value::Array(lines)) => {
                        let lines: Option<Vec<&str>> = lines.iter().map(Value::as_str).collect();
                        lines.map(|l| l.join("\n"))
                    }
                    Some(Value::String(s)) => Some(s.clone()),
                    _ => None,
                };
                let Some(note) = note else {
                    b.problem(
                        at,
                        "a textarea's \"value.text\" must be an array of strings",
                    );
                    continue;
                };
                let id = item.get("id").map(id_key);
                match id.as_ref().and_then(|id| regions.get(id)) {
                    Some(spans) => {
                        for s in spans {
                            b.span_note(s, &note);
                        }
                    }
                    None if id.as_ref().is_some_and(|id| failed.contains(id)) => {}
                    None if value.and_then(|v| v.get("start")).is_some() => b.problem(
                        at,
                        format!(
                            "a note on region {}, which is not a labelled region",
                            id.unwrap_or_default()
                        ),
                    ),
                    None => document_notes.push(note),
                }
            }
            Some("relation") => read_relation(b, at, item, &regions, &failed),
            Some(other) => b.warn(at.as_str(), format!("a \"{other}\" result is not kept")),
            None => b.problem(at, "there is no \"type\""),
        }
    }
    if !document_notes.is_empty() {
        b.document_note(&document_notes.join("\n"));
    }
}

/// The spans of one `labels` region, or `None` (with a problem recorded).
fn read_region(b: &mut Builder, at: &str, item: &Map<String, Value>) -> Option<Vec<String>> {
    let Some(value) = item.get("value").and_then(Value::as_object) else {
        b.problem(at, "there is no \"value\" object");
        return None;
    };
    let (Some(start), Some(end)) = (
        value.get("start").and_then(json_offset),
        value.get("end").and_then(json_offset),
    ) else {
        b.problem(
            at,
            "\"value.start\" and \"value.end\" must be whole numbers from 0 up",
        );
        return None;
    };
    let labels: Option<Vec<&str>> = value
        .get("labels")
        .and_then(Value::as_array)
        .and_then(|l| l.iter().map(Value::as_str).collect());
    let Some(labels) = labels.filter(|l| !l.is_empty()) else {
        b.problem(at, "\"value.labels\" must be a non-empty array of strings");
        return None;
    };
    let expected = match value.get("text") {
        None | Some(Value::Null) => None,
        Some(Value::String(t)) => Some(t.as_str()),
        Some(other) => {
            b.problem(
                at,
                format!("\"value.text\" is {}, not a string", json_kind(other)),
            );
            return None;
        }
    };
    if let Some(expected) = expected {
        let actual = b.slice(start, end);
        if actual != Some(expected) && utf16_slice(b.text(), start, end) == Some(expected) {
            let holds = actual.map_or("nothing (they are outside the text)".to_owned(), |a| {
                format!("{a:?}")
            });
            b.problem(
                at,
                format!(
                    "the text is {expected:?} but offsets {start}..{end} hold {holds}; counted \
                     in UTF-16 code units (as Label Studio's editor counts) they would hold it, \
                     but offsets here count code points"
                ),
            );
            return None;
        }
    }
    let mut spans = Vec::new();
    for label in labels {
        spans.push(b.span(at, start, end, label, expected)?);
    }
    Some(spans)
}

fn read_relation(
    b: &mut Builder,
    at: &str,
    item: &Map<String, Value>,
    regions: &HashMap<String, Vec<String>>,
    failed: &HashSet<String>,
) {
    let mut ends = Vec::new();
    for end in ["from_id", "to_id"] {
        match item.get(end).map(id_key) {
            Some(id) => match regions.get(&id) {
                Some(spans) => ends.push(spans),
                None if failed.contains(&id) => return,
                None => {
                    b.problem(
                        at,
                        format!("\"{end}\" is {id:?}, which is not a labelled region"),
                    );
                }
            },
            None => b.problem(at, format!("there is no \"{end}\"")),
        }
    }
    let [from, to] = ends.as_slice() else {
        return;
    };
    let (from, to) = match item.get("direction").and_then(Value::as_str) {
        None | Some("right") => (from, to),
        Some("left") => (to, from),
        Some("bi") => {
            b.warn(
                at,
                "a two-way (\"bi\") relation is kept as one from \"from_id\" to \"to_id\"",
            );
            (from, to)
        }
        Some(other) => {
            b.problem(
                at,
                format!("\"direction\" is {other:?}, not \"right\", \"left\" or \"bi\""),
            );
            return;
        }
    };
    let labels: Vec<&str> = match item.get("labels") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(l)) => match l.iter().map(Value::as_str).collect::<Option<Vec<_>>>() {
            Some(l) => l,
            None => {
                b.problem(at, "\"labels\" must be an array of strings");
                return;
            }
        },
        Some(other) => {
            b.problem(
                at,
                format!("\"labels\" is {}, not an array", json_kind(other)),
            );
            return;
        }
    };
    let kinds = if labels.is_empty() {
        vec![UNLABELLED_RELATION]
    } else {
        labels
    };
    for kind in kinds {
        for f in from.iter() {
            for t in to.iter() {
                b.relation(at, kind, f, t);
            }
        }
    }
}

/// The text of UTF-16 code units `[start, end)`, when both fall on character boundaries.
fn utf16_slice(text: &str, start: usize, end: usize) -> Option<&str> {
    let cp = |units: usize| {
        let cp = utf16_to_cp(text, units);
        (cp_to_utf16(text, cp) == units).then_some(cp)
    };
    slice_cp(text, cp(start)?, cp(end)?)
}

/// A region id as a key: strings as they are, anything else as its JSON.
fn id_key(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::{Action, NoteTarget, Schema};
    use crate::formats::import::testing::{annotated, content, link, note};

    const ARTICLE: &str = include_str!("../../assets/default-article.txt");
    const STRESS: &str = include_str!("../../tests/fixtures/unicode-stress.txt");
    const EXPORT: &str = include_str!("../../tests/fixtures/formats/label-studio/export.json");
    const WRITTEN: &str = include_str!("../../tests/fixtures/formats/label-studio/written.json");

    fn ctx<'a>(schema: &'a Schema) -> Context<'a> {
        Context {
            title: "news",
            schema,
            text: None,
        }
    }

    fn problems(input: &str) -> Vec<Problem> {
        let schema = Schema::default();
        match parse(input, &ctx(&schema)) {
            Err(FormatError::Problems(p)) => p,
            other => panic!("expected problems, got {other:?}"),
        }
    }

    #[test]
    fn reads_the_documented_export() {
        let schema = Schema::default();
        let read = parse(EXPORT, &ctx(&schema)).unwrap();
        assert_eq!(read.documents.len(), 2);
        let d = &read.documents[0];
        assert_eq!(d.document.title, "news");
        let spans: Vec<_> = d
            .spans()
            .iter()
            .map(|s| (s.start, s.end, s.label.as_str(), s.note.as_deref()))
            .collect();
        assert_eq!(
            spans,
            [
                (0, 5, "actor", Some("the US Secretary of State")),
                (6, 22, "denial", None),
                (17, 22, "claim", None),
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
                "[0].annotations",
                "[1].data",
                "[1].predictions",
                "[1].predictions[0].result[1]"
            ],
            "{:?}",
            read.warnings
        );
    }

    fn sample() -> AnnotatedDocument {
        let mut d = annotated(
            "Kerry denied the claim.",
            &[
                ("Kerry", "actor"),
                ("denied the claim", "denial"),
                ("claim", "claim"),
            ],
        );
        link(&mut d, "said_by", "s2", "s1");
        note(&mut d, "s1", "the US Secretary of State");
        d.apply(Action::SetNote {
            target: NoteTarget::Document,
            note: Some("Checked.".into()),
        })
        .unwrap();
        d
    }

    #[test]
    fn writes_tasks_with_regions_relations_and_notes() {
        assert_eq!(write(&[sample()]), WRITTEN.trim_end());
    }

    fn round_trip(d: &AnnotatedDocument) {
        let schema = Schema::default();
        let read = parse(&write(std::slice::from_ref(d)), &ctx(&schema)).unwrap();
        assert!(read.warnings.is_empty(), "{:?}", read.warnings);
        let [back] = &read.documents[..] else {
            panic!("one document")
        };
        assert_eq!(content(back, true), content(d, true));
        assert_eq!(back.document.text, d.document.text);
        assert_eq!(back.document.note, d.document.note);
    }

    #[test]
    fn round_trips_notes_and_relations() {
        round_trip(&sample());
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
            ],
        );
        link(&mut d, "said_by", "s3", "s1");
        link(&mut d, "located_in", "s3", "s2");
        note(&mut d, "s3", "two lines\nof note");
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
                ("𝔘𝔫𝔦", "place"),
                ("Zürich 👍🏽", "place"),
            ],
        );
        link(&mut d, "said_by", "s2", "s1");
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
        let spans: Vec<_> = d
            .spans()
            .iter()
            .map(|s| (s.start, s.end, s.label.as_str(), s.note.as_deref()))
            .collect();
        assert_eq!(
            spans,
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
            fn parse_never_panics_on_mutated_files(cut in 0usize..3000, insert in "[\\[\\]{}\",:0-9a-z\\\\-]{0,4}") {
                let schema = Schema::default();
                let mut at = cut.min(EXPORT.len());
                while !EXPORT.is_char_boundary(at) { at -= 1; }
                let mutated = format!("{}{}{}", &EXPORT[..at], insert, &EXPORT[at..]);
                let _ = parse(&mutated, &ctx(&schema));
            }
        }
    }
}
