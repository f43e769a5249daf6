//! doccano JSONL: one JSON object per line, each a document (docs/formats/doccano.md).
//!
//! Two export shapes are read: sequence labeling, `{"text": …, "label": [[start, end, "LABEL"],
//! …]}`, and relation extraction, `{"text": …, "entities": [{"id", "label", "start_offset",
//! "end_offset"}], "relations": [{"id", "from_id", "to_id", "type"}]}`. The second is written.
//! Offsets count code points (doccano's backend is Python). Titles and notes are not carried.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::FormatError;
use crate::import::{
    json_kind, json_message, json_offset, numbered_title, Builder, Built, Collector, Context,
    Imported, LabelNames,
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
    let mut b = Builder::within(title, text, ctx);
    // "label" in doccano's exports, "labels" in some older ones.
    for key in ["label", "labels"] {
        each_item(&mut b, object, at, key, |b, at, item| {
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
        });
    }
    // doccano entity id (as written in the file) → span id; `None` for an entity that could
    // not be read (its problem is reported once, not again for each relation that uses it).
    let mut entities: HashMap<String, Option<String>> = HashMap::new();
    each_object(&mut b, object, at, "entities", |b, at, e| {
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
            return;
        };
        let key = e.get("id").map(id_key);
        if let Some(key) = &key {
            if entities.contains_key(key) {
                b.problem(at, format!("entity id {key} is used twice"));
                return;
            }
        }
        let span = b.span(&at, start, end, label, None);
        if let Some(key) = key {
            entities.insert(key, span);
        }
    });
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
    });
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
