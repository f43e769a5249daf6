//! spaCy training JSON (docs/formats/spacy.md): `[["text", {"entities": [[start, end,
//! "LABEL"], …], "spans": {"sc": [[start, end, "LABEL"], …]}}], …]`.
//!
//! spaCy refuses overlapping entities, so the writer puts a non-overlapping subset of the spans
//! in `entities` (in span order, each span that overlaps none kept so far) and every span in the
//! span-categorizer group `spans.sc`. The reader takes `entities` and every `spans` group,
//! keeping a span that appears in several once. Offsets count code points (Python `str`
//! indices). Relations and notes are not carried.

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::error::FormatError;
use crate::import::{
    json_error, json_kind, json_offset, name_key, numbered_title, Builder, Collector, Context,
    Imported,
};
use spanmark_core::{AnnotatedDocument, Span};

/// The span group the writer puts every span in (spaCy's span categorizer's default key).
pub const SPAN_KEY: &str = "sc";

/// Writes one `[text, {"entities": …, "spans": {"sc": …}}]` item per document, one per line.
pub fn write(docs: &[AnnotatedDocument]) -> String {
    let items: Vec<String> = docs
        .iter()
        .map(|doc| {
            let triple = |s: &Span| {
                let label = doc.schema.label(&s.label).map_or(&s.label, |l| &l.name);
                Value::from(vec![
                    Value::from(s.start),
                    Value::from(s.end),
                    Value::from(label.as_str()),
                ])
            };
            let mut kept: Vec<&Span> = Vec::new();
            for s in doc.spans() {
                if kept.iter().all(|k| k.end <= s.start || s.end <= k.start) {
                    kept.push(s);
                }
            }
            let entities: Vec<Value> = kept.into_iter().map(triple).collect();
            let all: Vec<Value> = doc.spans().iter().map(triple).collect();
            let mut groups = Map::new();
            groups.insert(SPAN_KEY.into(), all.into());
            let mut annotations = Map::new();
            annotations.insert("entities".into(), entities.into());
            annotations.insert("spans".into(), groups.into());
            let item = Value::from(vec![
                Value::from(doc.document.text.as_str()),
                Value::Object(annotations),
            ]);
            format!("  {item}")
        })
        .collect();
    if items.is_empty() {
        "[]\n".to_owned()
    } else {
        format!("[\n{}\n]\n", items.join(",\n"))
    }
}

/// Reads spaCy training JSON: an array whose items are `[text, annotations]` pairs or
/// `{"text": …, "entities": …, "spans": …}` objects. Each item is a document titled after
/// `ctx.title` (numbered when there are several). Problems name the item, e.g.
/// `[2].entities[1]`.
pub fn parse(input: &str, ctx: &Context) -> Result<Imported, FormatError> {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let value: Value = serde_json::from_str(input).map_err(json_error)?;
    let mut collector = Collector::default();
    let Value::Array(items) = &value else {
        collector.problem(
            "file",
            format!(
                "is {}, not an array of [text, annotations] items",
                json_kind(&value)
            ),
        );
        return collector.finish();
    };
    for (i, item) in items.iter().enumerate() {
        let at = format!("[{i}]");
        let (text, annotations) = match item {
            Value::Array(pair) => match pair.as_slice() {
                [Value::String(text), Value::Object(a)] => (text, a),
                [Value::String(text)] => (text, &Map::new()),
                _ => {
                    collector.problem(at, "an item must be [\"text\", {annotations}]");
                    continue;
                }
            },
            Value::Object(o) => match o.get("text") {
                Some(Value::String(text)) => (text, o),
                _ => {
                    collector.problem(at, "there is no \"text\" string");
                    continue;
                }
            },
            other => {
                collector.problem(
                    at,
                    format!("is {}, not a [text, annotations] item", json_kind(other)),
                );
                continue;
            }
        };
        let title = numbered_title(ctx.title, i, items.len());
        let mut b = Builder::within(&title, text, ctx);
        let mut seen = HashSet::new();
        for (key, value) in annotations {
            match key.as_str() {
                "text" => {}
                "entities" => read_spans(&mut b, &format!("{at}.entities"), value, &mut seen),
                "spans" => match value {
                    Value::Object(groups) => {
                        for (group, spans) in groups {
                            read_spans(&mut b, &format!("{at}.spans.{group}"), spans, &mut seen);
                        }
                    }
                    other => b.problem(
                        format!("{at}.spans"),
                        format!("is {}, not an object of span groups", json_kind(other)),
                    ),
                },
                other => {
                    if !is_empty(value) {
                        b.warn(format!("{at}.{other}"), "not kept");
                    }
                }
            }
        }
        collector.push(b.finish());
    }
    collector.finish()
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// Reads `[start, end, "LABEL"]` triples; a span already read (same range and label) is skipped.
fn read_spans(
    b: &mut Builder,
    at: &str,
    value: &Value,
    seen: &mut HashSet<(usize, usize, String)>,
) {
    let Value::Array(spans) = value else {
        b.problem(at, format!("is {}, not an array", json_kind(value)));
        return;
    };
    for (j, span) in spans.iter().enumerate() {
        let at = format!("{at}[{j}]");
        let triple = span.as_array().map(Vec::as_slice);
        let (start, end, label, rest) = match triple {
            Some([s, e, Value::String(l), rest @ ..]) if rest.len() <= 1 => (s, e, l, rest),
            _ => {
                let message = if span.is_string() {
                    "token tags (BILUO) are not read; give [start, end, \"LABEL\"]"
                } else {
                    "a span must be [start, end, \"LABEL\"]"
                };
                b.problem(at, message);
                continue;
            }
        };
        let (Some(start), Some(end)) = (json_offset(start), json_offset(end)) else {
            b.problem(at, "start and end must be whole numbers from 0 up");
            continue;
        };
        if let Some(kb) = rest
            .first()
            .filter(|v| !v.is_null() && v.as_str() != Some(""))
        {
            b.warn(&at, format!("the knowledge-base id {kb} is not kept"));
        }
        if seen.insert((start, end, name_key(label))) {
            b.span(&at, start, end, label, None);
        }
    }
}

#[cfg(test)]
mod tests;
