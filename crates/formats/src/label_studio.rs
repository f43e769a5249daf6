//! Label Studio JSON tasks (docs/formats/label-studio.md).
//!
//! A file is an array of tasks (or one task): `{"data": {"text": …}, "annotations": [{"result":
//! […]}]}`. Results of type `labels` are regions (spans), `relation` results link regions, and
//! `textarea` results are notes: on a region when they share its id, else on the document.
//! Offsets count code points; a region whose `value.text` would match only when counted in
//! UTF-16 code units (as Label Studio's editor counts) is reported, not converted.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{FormatError, Problem};
use crate::import::{
    json_error, json_kind, json_range, numbered_title, Builder, Collector, Context, Imported,
};
use spanmark_core::offsets::{cp_to_utf16, slice_cp, utf16_to_cp};
use spanmark_core::AnnotatedDocument;

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
/// relation type's name as its label) and a `textarea` (`from_name` `note`) per note.
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
        labels: [doc.schema.relation_type_name(&r.kind)],
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
        if is_min(task) {
            return read_min_task(collector, base, task, title, ctx);
        }
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
    let mut b = Builder::within(title, text, ctx);
    for w in warnings {
        b.warn(w.at, w.message);
    }
    let listed = |key: &str| {
        task.get(key)
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty())
    };
    let (key, annotations) = match (listed("annotations"), listed("predictions")) {
        (Some(a), predictions) => {
            for i in 0..predictions.map_or(0, Vec::len) {
                b.skip(
                    join(base, &format!("predictions[{i}]")),
                    "a model's prediction is not read when the task has annotations",
                );
            }
            ("annotations", a)
        }
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
    for i in 1..annotations.len() {
        b.skip(
            join(base, &format!("{key}[{i}]")),
            format!(
                "only the first of a task's {} {key} is read",
                annotations.len()
            ),
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
    // (with how many labels they have: a note on one is a note on each of its spans).
    let mut failed: HashMap<String, Vec<String>> = HashMap::new();
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
                    let labels: Vec<String> = item
                        .get("value")
                        .and_then(|v| v.get("labels"))
                        .and_then(Value::as_array)
                        .map(|l| {
                            l.iter()
                                .filter_map(Value::as_str)
                                .map(str::to_owned)
                                .collect()
                        })
                        .filter(|l: &Vec<String>| !l.is_empty())
                        .unwrap_or_else(|| vec![String::new()]);
                    failed.extend(id.map(|id| (id, labels)));
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
                    // Its region was not read: said there if it was a problem, said here too,
                    // since a region skipped with a warning (white space only) is read on.
                    None if id.as_ref().is_some_and(|id| failed.contains_key(id)) => {
                        let id = id.unwrap_or_default();
                        for label in failed.get(&id).cloned().unwrap_or_default() {
                            b.skip(
                                at,
                                format!("the note on region {id} is not read: its {label:?} span was not read"),
                            );
                        }
                    }
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
            Some(other) => b.skip(at.as_str(), unkept(other, item)),
            None => b.problem(at, "there is no \"type\""),
        }
    }
    for note in document_notes {
        b.document_note(&note);
    }
}

/// Whether `value` is a list of JSON-MIN regions: objects with `start`, `end` and `labels`.
fn is_min_regions(value: &Value) -> bool {
    value.as_array().is_some_and(|items| {
        !items.is_empty()
            && items.iter().all(|r| {
                r.get("start").is_some() && r.get("end").is_some() && r.get("labels").is_some()
            })
    })
}

/// Whether `task` is a task of Label Studio's JSON-MIN export: the data's fields and each
/// control's regions side by side, with no `data` object (`{"text": …, "label": [{"start",
/// "end", "text", "labels"}], "annotator": …}`).
pub(crate) fn is_min(task: &Map<String, Value>) -> bool {
    !task.contains_key("data") && task.values().any(is_min_regions)
}

/// The keys of a JSON-MIN task that are about the annotation, not annotations themselves.
const MIN_METADATA: [&str; 8] = [
    "id",
    "annotator",
    "annotation_id",
    "created_at",
    "updated_at",
    "lead_time",
    "agreement",
    "meta",
];

/// Reads a task of the JSON-MIN export: the text is `text` (or else the first string field,
/// with a warning); every list of regions gives spans (one per label); other lists and objects
/// are skipped, each named.
fn read_min_task(
    collector: &mut Collector,
    base: &str,
    task: &Map<String, Value>,
    title: &str,
    ctx: &Context,
) {
    let here = if base.is_empty() { "task" } else { base };
    let regions = |v: &Value| is_min_regions(v);
    let text_key = match task.get("text") {
        Some(Value::String(_)) => "text",
        _ => match task
            .iter()
            .find(|(k, v)| v.is_string() && !MIN_METADATA.contains(&k.as_str()))
        {
            Some((k, _)) => k.as_str(),
            None => {
                collector.problem(here, "there is no text in it");
                return;
            }
        },
    };
    let text = task
        .get(text_key)
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut b = Builder::within(title, text, ctx);
    if text_key != "text" {
        b.warn(
            join(base, text_key),
            format!("there is no \"text\"; \"{text_key}\" is read as the text"),
        );
    }
    for (key, value) in task {
        let at = join(base, key);
        if regions(value) {
            for (i, region) in value.as_array().into_iter().flatten().enumerate() {
                let at = format!("{at}[{i}]");
                match region.as_object() {
                    Some(item) => {
                        let _ = read_region_value(&mut b, &at, item);
                    }
                    None => b.problem(at, "is not an object"),
                }
            }
        } else if key != text_key && !MIN_METADATA.contains(&key.as_str()) {
            // Another field of the data, or a control's answer (a choice, a rating, a text).
            b.skip(
                at,
                format!("{key:?} ({value}) is not kept: Spanmark keeps the text, labelled spans, relations and notes"),
            );
        }
    }
    collector.push(b.finish());
}

/// Why a result of type `kind` is not read, in the user's terms: what it says, and that
/// Spanmark keeps labelled spans, relations and notes.
fn unkept(kind: &str, item: &Map<String, Value>) -> String {
    let value = item.get("value");
    let said = |key: &str| -> Option<String> {
        match value?.get(key)? {
            Value::Array(items) => Some(
                items
                    .iter()
                    .map(|v| {
                        v.as_str()
                            .map_or_else(|| v.to_string(), |s| format!("{s:?}"))
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            other => Some(other.to_string()),
        }
    };
    let what = match kind {
        "choices" => said("choices").map(|c| format!("the choice {c}")),
        "rating" => said("rating").map(|r| format!("the rating {r}")),
        "number" => said("number").map(|n| format!("the number {n}")),
        "taxonomy" => said("taxonomy").map(|t| format!("the taxonomy path {t}")),
        _ => None,
    }
    .unwrap_or_else(|| format!("a \"{kind}\" result"));
    format!("{what} is not kept: Spanmark keeps labelled spans, relations and notes")
}

/// The spans of one `labels` region, or `None` (with a problem recorded).
fn read_region(b: &mut Builder, at: &str, item: &Map<String, Value>) -> Option<Vec<String>> {
    let Some(value) = item.get("value").and_then(Value::as_object) else {
        b.problem(at, "there is no \"value\" object");
        return None;
    };
    read_region_value(b, at, value)
}

/// The spans of a region's `value` (`{"start", "end", "text", "labels"}`), or `None` (with a
/// problem recorded).
fn read_region_value(b: &mut Builder, at: &str, value: &Map<String, Value>) -> Option<Vec<String>> {
    let Some((start, end)) = json_range(value, "start", "end") else {
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
    // Each label on its own: one that is not read (a problem, or a region of white space only,
    // skipped) does not stop the others.
    for label in labels {
        spans.extend(b.span(at, start, end, label, expected));
    }
    (!spans.is_empty()).then_some(spans)
}

fn read_relation(
    b: &mut Builder,
    at: &str,
    item: &Map<String, Value>,
    regions: &HashMap<String, Vec<String>>,
    failed: &HashMap<String, Vec<String>>,
) {
    let mut ends = Vec::new();
    for end in ["from_id", "to_id"] {
        match item.get(end).map(id_key) {
            Some(id) => match regions.get(&id) {
                Some(spans) => ends.push(spans),
                None if failed.contains_key(&id) => {
                    // One skip for each relation type it would have given.
                    let kinds = item
                        .get("labels")
                        .and_then(Value::as_array)
                        .map_or(1, |l| l.len().max(1));
                    for _ in 0..kinds {
                        b.skip(
                            at,
                            format!("the relation is not read: its region {id} was not read"),
                        );
                    }
                    return;
                }
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
mod tests;
