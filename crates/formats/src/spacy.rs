//! spaCy training data (docs/formats/spacy.md), in the shapes people's tools export:
//!
//! - spaCy v3's training JSON, `[["text", {"entities": [[start, end, "LABEL"], …], "spans":
//!   {"sc": [[start, end, "LABEL"], …]}}], …]`, its items also as `{"text", "entities", …}`
//!   objects: read here, and written.
//! - spaCy v2's JSON training format (documents of paragraphs of tokens with BILUO tags), each
//!   paragraph a document: `spacy/v2.rs`.
//! - The export of the "NER Annotator for spaCy" web tool, `{"classes": […], "annotations":
//!   [["text", {"entities": …}], null, …]}`: `spacy/ner_annotator.rs`.
//!
//! spaCy refuses overlapping entities, so the writer puts a non-overlapping subset of the spans
//! in `entities` (in span order, each span that overlaps none kept so far) and every span in the
//! span-categorizer group `spans.sc`. The reader takes `entities` and every `spans` group,
//! keeping a span that appears in several once. Offsets count code points (Python `str`
//! indices), but the NER Annotator's, which count UTF-16 code units (JavaScript string indices).
//! Document categories (`cats`) and knowledge-base links are skipped with a warning naming each;
//! token annotations (tags, heads, lemmas…) are not kept, with one warning per document.
//! Relations and notes are not carried.

mod ner_annotator;
mod v2;

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::error::FormatError;
use crate::import::{
    json_error, json_kind, json_offset, numbered_title, Builder, Collector, Context, Imported,
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

/// Reads spaCy training data, by its shape: an array whose items are spaCy v3 `[text,
/// annotations]` pairs or `{"text": …, "entities": …, "spans": …}` objects, or spaCy v2
/// documents (`{"id", "paragraphs": […]}`, each paragraph a document); or the NER Annotator's
/// `{"classes": […], "annotations": […]}`. Each document is titled after `ctx.title` (numbered
/// when there are several). Problems and warnings name the item, e.g. `[2].entities[1]`.
pub fn parse(input: &str, ctx: &Context) -> Result<Imported, FormatError> {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let value: Value = serde_json::from_str(input).map_err(json_error)?;
    match &value {
        Value::Array(items) => read_items(items, ctx),
        Value::Object(o) if o.contains_key("annotations") => ner_annotator::read(o, ctx),
        other => {
            let mut collector = Collector::default();
            collector.problem(
                "file",
                format!(
                    "is {}, not an array of [text, annotations] items or spaCy v2 documents, \
                     nor the NER Annotator's {{\"classes\", \"annotations\"}}",
                    json_kind(other)
                ),
            );
            collector.finish()
        }
    }
}

/// Reads the items of a training array: spaCy v2 documents (several documents each, one per
/// paragraph) and spaCy v3 items (one document each), numbered in the order of the file.
fn read_items(items: &[Value], ctx: &Context) -> Result<Imported, FormatError> {
    let mut collector = Collector::default();
    let count = items
        .iter()
        .map(|item| v2::documents_in(item).unwrap_or(1))
        .sum();
    let mut index = 0;
    for (i, item) in items.iter().enumerate() {
        let at = format!("[{i}]");
        if let Some(doc) = v2::as_document(item) {
            v2::read_document(&mut collector, &at, doc, ctx, (&mut index, count));
            continue;
        }
        let title = numbered_title(ctx.title, index, count);
        index += 1;
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
        let mut b = Builder::within(&title, text, ctx);
        read_annotations(&mut b, &at, annotations, Offsets::CodePoints);
        collector.push(b.finish());
    }
    collector.finish()
}

/// What a file's offsets count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Offsets {
    /// Code points (Python `str` indices): spaCy's.
    CodePoints,
    /// UTF-16 code units (JavaScript string indices): the NER Annotator's.
    Utf16,
}

/// The keys of spaCy v3's annotations (`Example.from_dict`) that annotate tokens, not spans.
const TOKEN_KEYS: [&str; 10] = [
    "words",
    "spaces",
    "tags",
    "pos",
    "morphs",
    "lemmas",
    "heads",
    "deps",
    "sent_starts",
    "token_annotation",
];

/// Reads the annotations of one v3 item (`{"entities": …, "spans": …, "cats": …}`) into `b`:
/// spans from `entities` and every `spans` group, each kept once; every document category and
/// knowledge-base link skipped with a warning naming it; token annotations (one warning) and
/// unknown keys (one warning each) not read.
fn read_annotations(b: &mut Builder, at: &str, annotations: &Map<String, Value>, offsets: Offsets) {
    // Only texts with characters beyond the BMP count UTF-16 code units apart from code points.
    let utf16 = offsets == Offsets::Utf16 && b.text().chars().any(|c| c.len_utf16() > 1);
    let mut seen = HashSet::new();
    let mut token_keys = Vec::new();
    for (key, value) in annotations {
        let here = format!("{at}.{key}");
        match key.as_str() {
            "text" => {}
            "entities" => read_spans(b, &here, value, &mut seen, utf16),
            "spans" => match value {
                Value::Object(groups) => {
                    for (group, spans) in groups {
                        let at = format!("{here}.{group}");
                        if group != SPAN_KEY && !is_empty(spans) {
                            b.warn(
                                &at,
                                format!("the span group {group:?} is read as spans; its name is not kept (spans are written in the group {SPAN_KEY:?})"),
                            );
                        }
                        read_spans(b, &at, spans, &mut seen, utf16);
                    }
                }
                Value::Null => {}
                other => b.problem(
                    here,
                    format!("is {}, not an object of span groups", json_kind(other)),
                ),
            },
            "cats" => skip_categories(b, &here, value),
            "links" => skip_links(b, &here, value),
            key if TOKEN_KEYS.contains(&key) => {
                if !is_empty(value) {
                    token_keys.push(key);
                }
            }
            other => {
                if !is_empty(value) {
                    b.warn(
                        here,
                        format!("not read: {other:?} is not a key of spaCy's annotations"),
                    );
                }
            }
        }
    }
    if !token_keys.is_empty() {
        b.warn(
            at,
            format!(
                "the token annotations ({}) are not kept: Spanmark keeps the text and its spans",
                token_keys.join(", ")
            ),
        );
    }
}

/// Whether a value carries nothing: null, `""`, `[]` or `{}`.
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// Skips every document category, with a warning naming it: v3's `{"LABEL": score}` or v2's
/// `[{"label": …, "value": …}]`.
fn skip_categories(b: &mut Builder, at: &str, value: &Value) {
    let skip = |b: &mut Builder, at: String, name: &str, score: Option<&Value>| {
        let score = score.map(|v| format!(" (score {v})")).unwrap_or_default();
        b.skip(
            at,
            format!(
                "the document category {name:?}{score} is not kept: Spanmark labels spans of \
                 the text, not whole documents"
            ),
        );
    };
    match value {
        Value::Null => {}
        Value::Object(cats) => {
            for (name, score) in cats {
                skip(b, format!("{at}.{name}"), name, Some(score));
            }
        }
        Value::Array(cats) => {
            for (k, cat) in cats.iter().enumerate() {
                let here = format!("{at}[{k}]");
                match cat.get("label").and_then(Value::as_str) {
                    Some(name) => skip(b, here, name, cat.get("value")),
                    None => skip(b, here, &cat.to_string(), None),
                }
            }
        }
        other => b.problem(
            at,
            format!("is {}, not an object of categories", json_kind(other)),
        ),
    }
}

/// Skips every knowledge-base link (entity linking), with a warning naming it.
fn skip_links(b: &mut Builder, at: &str, value: &Value) {
    let message = |link: &str| {
        format!("the knowledge-base link {link} is not kept: Spanmark keeps spans and their labels")
    };
    match value {
        Value::Object(links) => {
            for (range, link) in links {
                b.skip(format!("{at}.{range}"), message(&link.to_string()));
            }
        }
        Value::Array(links) => {
            for (k, link) in links.iter().enumerate() {
                b.skip(format!("{at}[{k}]"), message(&link.to_string()));
            }
        }
        Value::Null => {}
        other => b.problem(
            at,
            format!("is {}, not the entities' links", json_kind(other)),
        ),
    }
}

/// Reads `[start, end, "LABEL"]` triples (offsets in UTF-16 code units when `utf16`); a span
/// already read (same range and label) is kept once.
fn read_spans(
    b: &mut Builder,
    at: &str,
    value: &Value,
    seen: &mut HashSet<(usize, usize, String)>,
    utf16: bool,
) {
    let spans = match value {
        Value::Array(spans) => spans,
        Value::Null => return,
        other => {
            b.problem(at, format!("is {}, not an array", json_kind(other)));
            return;
        }
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
        let (Some(mut start), Some(mut end)) = (json_offset(start), json_offset(end)) else {
            b.problem(at, "start and end must be whole numbers from 0 up");
            continue;
        };
        if utf16 {
            match (cp_of_utf16(b.text(), start), cp_of_utf16(b.text(), end)) {
                (Ok(s), Ok(e)) => (start, end) = (s, e),
                (Err(message), _) | (_, Err(message)) => {
                    b.problem(at, message);
                    continue;
                }
            }
        }
        match rest.first() {
            None | Some(Value::Null) => {}
            Some(Value::String(kb)) if kb.is_empty() => {}
            Some(Value::String(kb)) => {
                b.warn(&at, format!("the knowledge-base id {kb:?} is not kept"));
            }
            Some(other) => b.warn(&at, format!("the fourth element {other} is not kept")),
        }
        add_span(b, &at, (start, end, label), seen);
    }
}

/// Adds span `(start, end, label)` unless it was read already (same range and label).
fn add_span(
    b: &mut Builder,
    at: &str,
    (start, end, label): (usize, usize, &str),
    seen: &mut HashSet<(usize, usize, String)>,
) {
    // Exactly the same span (its label spelled the same) in `entities` and a span group, as the
    // writer puts it: one span.
    if seen.insert((start, end, label.to_owned())) {
        b.span(at, start, end, label, None);
    }
}

/// The code-point offset of UTF-16 offset `units` in `text`, or why there is none.
fn cp_of_utf16(text: &str, units: usize) -> Result<usize, String> {
    let (mut seen, mut cps) = (0, 0);
    for c in text.chars() {
        if seen >= units {
            break;
        }
        seen += c.len_utf16();
        cps += 1;
        if seen > units {
            return Err(format!(
                "offset {units} (in UTF-16 code units, as JavaScript counts) falls inside {c:?}"
            ));
        }
    }
    if seen == units {
        Ok(cps)
    } else {
        Err(format!(
            "offset {units} is outside the text ({seen} UTF-16 code units)"
        ))
    }
}

#[cfg(test)]
mod tests;
