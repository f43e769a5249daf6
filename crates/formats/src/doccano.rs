//! doccano's exports (docs/formats/doccano.md): JSON Lines, one record per line, each a
//! document; or its JSON export, an array of records or one record over several lines.
//!
//! The record shapes doccano's versions wrote are read: sequence labeling, `{"text": …,
//! "label": [[start, end, "LABEL"], …]}`; relation extraction, `{"text": …, "entities": [{"id",
//! "label", "start_offset", "end_offset"}], "relations": [{"id", "from_id", "to_id", "type"}]}`;
//! the older `"annotations": [{"label": 12, "start_offset", "end_offset", "user"}]` with numeric
//! label ids (named by doccano's label file when it is given: [`label_file`]); the text under
//! `"data"` (doccano 1.x) instead of `"text"`; and `"Comments"`, kept as the document note.
//! Document-level labels (text classification) are skipped with a warning. The
//! relation-extraction shape is written, as JSON Lines. Offsets count code points (doccano's
//! backend is Python). Titles and span notes are not carried.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::FormatError;
use crate::import::{
    json_error, json_kind, json_message, json_offset, numbered_title, Builder, Built, Collector,
    Context, Imported, LabelNames,
};
use spanmark_core::AnnotatedDocument;

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
                    kind: doc.schema.relation_type_name(&r.kind),
                })
                .collect(),
        };
        // Plain structs of strings and integers always serialize.
        out.push_str(&serde_json::to_string(&line).unwrap_or_default());
        out.push('\n');
    }
    out
}

/// Reads a doccano export: JSON Lines (one record per line), or doccano's JSON export (an
/// array of records, or one record written over several lines). Every record is a document
/// titled after `ctx.title` (numbered when there are several). Problems and warnings name the
/// record and item: `line 3: entities[1]` in JSON Lines, `[2]: label[0]` in an array.
pub fn parse(input: &str, ctx: &Context) -> Result<Imported, FormatError> {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let mut collector = Collector::default();
    let records = records(input)?;
    let count = records.len();
    // Label ids without a name, said once per file.
    let mut unnamed = HashSet::new();
    for (index, (at, value)) in records.into_iter().enumerate() {
        let value = match value {
            Ok(value) => value,
            Err(message) => {
                collector.problem(at, message);
                continue;
            }
        };
        let Value::Object(object) = value else {
            collector.problem(at, format!("is {}, not a JSON object", json_kind(&value)));
            continue;
        };
        let title = numbered_title(ctx.title, index, count);
        match read_record(&at, &object, &title, ctx, &mut unnamed) {
            Ok(built) => collector.push(built),
            Err(message) => collector.problem(at, message),
        }
    }
    collector.finish()
}

/// A record of the file: where it is, and its JSON (or why it is not JSON).
type Record = (String, Result<Value, String>);

/// The records of a doccano file: the items of a JSON array (`[0]`, `[1]`…), one JSON object
/// over several lines (`record`), or else one per non-blank line (`line 1`…).
fn records(input: &str) -> Result<Vec<Record>, FormatError> {
    let lines: Vec<(usize, &str)> = input
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    let whole = serde_json::from_str::<Value>(input);
    match whole {
        Ok(Value::Array(items)) => Ok(items
            .into_iter()
            .enumerate()
            .map(|(i, v)| (format!("[{i}]"), Ok(v)))
            .collect()),
        Ok(value @ Value::Object(_)) if lines.len() > 1 => Ok(vec![("record".into(), Ok(value))]),
        Err(e) if input.trim_start().starts_with('[') => Err(json_error(e)),
        _ => Ok(lines
            .into_iter()
            .map(|(number, line)| {
                let value = serde_json::from_str(line)
                    .map_err(|e| format!("not JSON (column {}): {}", e.column(), json_message(&e)));
                (format!("line {number}"), value)
            })
            .collect()),
    }
}

/// Reads one record: its text (`"text"`, or `"data"` in doccano 1.x), spans (`"label"` or
/// `"labels"` triples, `"entities"` or `"annotations"` objects), relations and comments.
fn read_record(
    at: &str,
    object: &Map<String, Value>,
    title: &str,
    ctx: &Context,
    unnamed: &mut HashSet<String>,
) -> Result<Built, String> {
    let text = match object.get("text").or_else(|| object.get("data")) {
        Some(Value::String(t)) => t,
        Some(other) => return Err(format!("the text is {}, not a string", json_kind(other))),
        None => return Err("there is no \"text\" (or \"data\")".into()),
    };
    let mut b = Builder::within(title, text, ctx);
    let mut labels = Labels {
        names: ctx.label_names,
        unnamed,
    };
    // "label" in doccano's exports, "labels" in some older ones.
    for key in ["label", "labels"] {
        each_item(&mut b, object, at, key, |b, at, item| match item {
            Value::Array(triple) => read_triple(b, &at, triple, &mut labels),
            Value::String(_) | Value::Number(_) => skip_category(b, &at, item, &mut labels),
            other => b.problem(
                at,
                format!(
                    "is {}, not a span [start, end, \"LABEL\"] or a document label",
                    json_kind(other)
                ),
            ),
        });
    }
    // doccano entity id (as written in the file) → span id; `None` for an entity that could
    // not be read (its problem is reported once, not again for each relation that uses it).
    let mut entities: HashMap<String, Option<String>> = HashMap::new();
    let mut users: Vec<String> = Vec::new();
    // "entities" in the relation-extraction export, "annotations" (with numeric label ids and
    // the annotator's user id) in doccano's older exports.
    for key in ["entities", "annotations"] {
        each_item(&mut b, object, at, key, |b, at, item| {
            let e = match item {
                // The intent-and-slots export writes its entities as triples.
                Value::Array(triple) => return read_triple(b, &at, triple, &mut labels),
                Value::Object(e) => e,
                other => {
                    return b.problem(
                        at,
                        format!(
                            "is {}, not an entity object or a span [start, end, \"LABEL\"]",
                            json_kind(other)
                        ),
                    )
                }
            };
            if let Some(user) = e.get("user").filter(|u| !u.is_null()) {
                let user = user.to_string();
                if !users.contains(&user) {
                    users.push(user);
                }
            }
            let has_offsets = e.contains_key("start_offset") || e.contains_key("end_offset");
            if !has_offsets && key == "annotations" {
                if let Some(label) = e.get("label") {
                    skip_category(b, &at, label, &mut labels);
                    return;
                }
            }
            let offsets = (
                e.get("start_offset").and_then(json_offset),
                e.get("end_offset").and_then(json_offset),
            );
            let label = e.get("label").and_then(|l| labels.name(b, &at, l));
            let key = e.get("id").map(id_key);
            let (Some(start), Some(end), Some(label)) = (offsets.0, offsets.1, label) else {
                if !b.has_problem_at(&at) {
                    b.problem(
                        &at,
                        "an entity needs \"start_offset\" and \"end_offset\" (whole numbers from 0 up) and a \"label\"",
                    );
                }
                if let Some(key) = key {
                    entities.entry(key).or_insert(None);
                }
                return;
            };
            if let Some(key) = &key {
                if entities.contains_key(key) {
                    b.problem(at, format!("entity id {key} is used twice"));
                    return;
                }
            }
            let span = b.span(&at, start, end, &label, None);
            if let Some(key) = key {
                entities.insert(key, span);
            }
        });
    }
    if users.len() > 1 {
        b.warn(
            format!("{at}: annotations"),
            format!(
                "the spans of {} annotators (users {}) are read into one document",
                users.len(),
                users.join(", ")
            ),
        );
    }
    each_object(&mut b, object, at, "relations", |b, at, r| {
        let Some(kind) = r.get("type").and_then(Value::as_str) else {
            b.problem(at, "\"type\" must be a string");
            return;
        };
        let mut ends = Vec::new();
        for end in ["from_id", "to_id"] {
            match r.get(end).map(id_key) {
                Some(key) => match entities.get(&key) {
                    Some(Some(span)) => ends.push(span.clone()),
                    // Its entity was not read: a problem there, or skipped with a warning (white
                    // space only); either way the relation is named here.
                    Some(None) => {
                        b.skip(
                            &at,
                            format!("the relation is not read: entity {key} (its \"{end}\") was not read"),
                        );
                        return;
                    }
                    None => b.problem(
                        &at,
                        format!("\"{end}\" is {key}, which is not an entity of this record"),
                    ),
                },
                None => b.problem(&at, format!("there is no \"{end}\"")),
            }
        }
        if let [from, to] = ends.as_slice() {
            b.relation(&at, kind, from, to);
        }
    });
    // Document labels of the intent-and-slots export ("cats"): not kept, each named.
    each_item(&mut b, object, at, "cats", |b, at, item| match item {
        Value::String(_) | Value::Number(_) => skip_category(b, &at, item, &mut labels),
        other => b.problem(at, format!("is {}, not a document label", json_kind(other))),
    });
    // doccano's comments on the document: kept as the document note.
    for key in ["Comments", "comments"] {
        each_item(&mut b, object, at, key, |b, at, c| {
            let text = match c {
                Value::String(s) => Some(s.as_str()),
                Value::Object(o) => ["text", "comment"]
                    .iter()
                    .find_map(|k| o.get(*k).and_then(Value::as_str)),
                _ => None,
            };
            match text {
                Some(t) if !t.trim().is_empty() => b.document_note(t),
                _ => b.skip(at, "a comment without text is not kept"),
            }
        });
    }
    Ok(b.finish())
}

/// Reads a span `[start, end, "LABEL"]` (the label a name, or a numeric id).
fn read_triple(b: &mut Builder, at: &str, triple: &[Value], labels: &mut Labels) {
    match triple {
        [start, end, label] => match (json_offset(start), json_offset(end)) {
            (Some(s), Some(e)) => {
                if let Some(label) = labels.name(b, at, label) {
                    b.span(at, s, e, &label, None);
                }
            }
            _ => b.problem(at, "start and end must be whole numbers from 0 up"),
        },
        _ => b.problem(at, "a span must be [start, end, \"LABEL\"]"),
    }
}

/// Label names of one record: strings as written; numeric ids through doccano's label file
/// when one is given, else as the number (with one warning per id).
struct Labels<'a> {
    names: Option<&'a LabelNames>,
    unnamed: &'a mut HashSet<String>,
}

impl Labels<'_> {
    /// The name of `label` (a string, or a numeric id), or `None` with a problem recorded.
    fn name(&mut self, b: &mut Builder, at: &str, label: &Value) -> Option<String> {
        match label {
            Value::String(name) => Some(name.clone()),
            Value::Number(n) if n.is_u64() => {
                let id = n.to_string();
                if let Some(name) = self.names.and_then(|names| names.get(&id)) {
                    return Some(name.clone());
                }
                if self.unnamed.insert(id.clone()) {
                    b.warn(
                        at,
                        format!(
                            "label id {id} is read as the label \"{id}\": no label file names it (doccano's label export, a .json: open it with this file, or give it with --labels)"
                        ),
                    );
                }
                Some(id)
            }
            other => {
                b.problem(
                    at,
                    format!(
                        "the label is {}, not a name or a label id",
                        json_kind(other)
                    ),
                );
                None
            }
        }
    }
}

/// Skips a document-level label (text classification) with a warning naming it.
fn skip_category(b: &mut Builder, at: &str, label: &Value, labels: &mut Labels) {
    let name = match label {
        Value::String(s) => s.clone(),
        other => {
            let id = other.to_string();
            labels
                .names
                .and_then(|names| names.get(&id))
                .cloned()
                .unwrap_or(id)
        }
    };
    b.skip(
        at,
        format!("the document label {name:?} is not kept: Spanmark labels spans of the text, not whole documents"),
    );
}

/// Calls `read` on each item of the array `key` of `object`, with where the item is
/// (`"{at}: {key}[i]"`); a missing or null `key` has no items, and any other value is a
/// problem.
fn each_item(
    b: &mut Builder,
    object: &Map<String, Value>,
    at: &str,
    key: &str,
    mut read: impl FnMut(&mut Builder, String, &Value),
) {
    match object.get(key) {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                read(b, format!("{at}: {key}[{i}]"), item);
            }
        }
        Some(other) => b.problem(
            format!("{at}: {key}"),
            format!("is {}, not an array", json_kind(other)),
        ),
    }
}

/// Calls `read` on each object of the array `key` of `object`, as [`each_item`] does; an item
/// that is not an object is a problem.
fn each_object(
    b: &mut Builder,
    object: &Map<String, Value>,
    at: &str,
    key: &str,
    mut read: impl FnMut(&mut Builder, String, &Map<String, Value>),
) {
    each_item(b, object, at, key, |b, at, item| match item.as_object() {
        Some(o) => read(b, at, o),
        None => b.problem(at, format!("is {}, not an object", json_kind(item))),
    });
}

/// An entity id as a key: numbers and strings as written.
fn id_key(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    }
}

/// The label names of a doccano label file (its label export: a JSON array of objects with a
/// numeric `"id"` and the name as `"text"`), by id; `None` when `content` is no such file.
pub fn label_file(content: &str) -> Option<LabelNames> {
    let content = content.trim_start_matches('\u{feff}');
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(content) else {
        return None;
    };
    if items.is_empty() {
        return None;
    }
    items
        .iter()
        .map(|item| {
            let o = item.as_object()?;
            let id = o.get("id").filter(|v| v.is_u64())?;
            let name = o.get("text").and_then(Value::as_str)?;
            let is_record = ["label", "labels", "entities", "annotations", "data"]
                .iter()
                .any(|k| o.contains_key(*k));
            (!is_record).then(|| (id.to_string(), name.to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests;
