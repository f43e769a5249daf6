//! The export of the "NER Annotator for spaCy" web tool: `{"classes": ["PERSON", "ORG"],
//! "annotations": [["text", {"entities": [[start, end, "LABEL"]]}], null, …]}`.
//!
//! Each item of `annotations` is a text of the tool, as a spaCy v3 pair; `null` is a text the
//! user skipped (the tool keeps its place), skipped here with a warning. Every class becomes a
//! label of every document, used or not, so that the tool's label set comes along. The tool is
//! JavaScript: its offsets count UTF-16 code units, converted here to code points.

use serde_json::{Map, Value};

use super::{is_empty, read_annotations, Offsets};
use crate::error::FormatError;
use crate::import::{json_kind, numbered_title, Builder, Collector, Context, Imported};

/// Reads the NER Annotator's export `o`.
pub(super) fn read(o: &Map<String, Value>, ctx: &Context) -> Result<Imported, FormatError> {
    let mut collector = Collector::default();
    let mut classes = Vec::new();
    // Warnings about the file as a whole, said once, in the first document.
    let mut once: Vec<(String, String)> = Vec::new();
    match o.get("classes") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (k, class) in items.iter().enumerate() {
                // Class names; objects `{"id", "name", "color"}` in some of the tool's versions.
                match class
                    .as_str()
                    .or_else(|| class.get("name").and_then(Value::as_str))
                {
                    Some(name) if name.trim().is_empty() => once.push((
                        format!("classes[{k}]"),
                        "an empty class name is not a label".to_owned(),
                    )),
                    Some(name) => classes.push((format!("classes[{k}]"), name)),
                    None => collector.problem(
                        format!("classes[{k}]"),
                        format!("is {}, not a class name", json_kind(class)),
                    ),
                }
            }
        }
        Some(other) => collector.problem(
            "classes",
            format!("is {}, not an array of class names", json_kind(other)),
        ),
    }
    let items = match o.get("annotations") {
        Some(Value::Array(items)) => items.as_slice(),
        other => {
            let kind = other.map_or("missing", json_kind);
            collector.problem("annotations", format!("is {kind}, not an array of texts"));
            return collector.finish();
        }
    };
    once.extend(
        o.iter()
            .filter(|(k, v)| !matches!(k.as_str(), "classes" | "annotations") && !is_empty(v))
            .map(|(k, _)| {
                let message = format!("not read: {k:?} is not a key of the NER Annotator's export");
                (k.clone(), message)
            }),
    );
    let count = items.iter().filter(|item| !item.is_null()).count();
    let mut index = 0;
    for (i, item) in items.iter().enumerate() {
        let at = format!("annotations[{i}]");
        let (text, annotations) = match item {
            Value::Null => {
                collector.skip(
                    at,
                    "null: a text skipped in the NER Annotator, with nothing to read",
                );
                continue;
            }
            Value::Array(pair) => match pair.as_slice() {
                [Value::String(text), Value::Object(a)] => (text, a),
                [Value::String(text)] => (text, &Map::new()),
                _ => {
                    collector.problem(
                        at,
                        "an item must be [\"text\", {\"entities\": […]}] or null",
                    );
                    continue;
                }
            },
            other => {
                collector.problem(
                    at,
                    format!(
                        "is {}, not a [text, {{\"entities\": …}}] item",
                        json_kind(other)
                    ),
                );
                continue;
            }
        };
        let title = numbered_title(ctx.title, index, count);
        index += 1;
        let mut b = Builder::within(&title, text, ctx);
        for (at, name) in &classes {
            b.label(at, name);
        }
        for (at, message) in once.drain(..) {
            b.warn(at, message);
        }
        read_annotations(&mut b, &at, annotations, Offsets::Utf16);
        collector.push(b.finish());
    }
    collector.finish()
}
