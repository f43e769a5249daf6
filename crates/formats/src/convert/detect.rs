//! Which format a file is in: by its name's extension and, for `.json`, by its content.

use serde_json::{Map, Value};

use crate::format::Format;
use crate::native;

/// The formats known by their extension alone, each with its extensions (no one of them ends
/// another, so the order does not matter).
const BY_EXTENSION: [(Format, &[&str]); 6] = [
    (Format::Brat, &[".ann"]),
    (Format::Conll, &[".conll", ".conll03"]),
    (Format::Iob2, &[".iob", ".iob2", ".bio"]),
    (Format::Doccano, &[".jsonl"]),
    (Format::W3c, &[".jsonld"]),
    (Format::Text, &[".txt", ".text"]),
];

/// The format of a file, from its name's extension and, for `.json`, from its content.
///
/// `.ann` is brat, `.conll`/`.conll03` CoNLL, `.iob`/`.iob2`/`.bio` IOB2, `.jsonl` doccano,
/// `.jsonld` W3C and `.txt`/`.text` plain text. A `.json` file is a Spanmark file when it says
/// `"format": "spanmark"`; W3C when it has `"@context"` or an `Annotation…` type; Label Studio
/// when its tasks have a `"data"` object and `"annotations"` or `"predictions"`; spaCy when it
/// is an array of `[text, {…}]` pairs, of spaCy v2 documents (`"paragraphs"`) or of objects
/// with `"text"` and `"entities"` triples, or the NER Annotator's `{"classes", "annotations"}`;
/// and doccano when its records (one, or an array of them) have a `"text"` (or `"data"`) string
/// and `"label"`, `"annotations"` or `"entities"` objects with `"start_offset"` (spaCy's are
/// triples or `"start"` objects).
pub fn detect(name: &str, content: &str) -> Option<Format> {
    let lower = name.to_lowercase();
    if let Some((format, _)) = BY_EXTENSION
        .iter()
        .find(|(_, extensions)| extensions.iter().any(|ext| lower.ends_with(ext)))
    {
        return Some(*format);
    }
    if lower.ends_with(".json") {
        return sniff_json(content);
    }
    None
}

fn sniff_json(content: &str) -> Option<Format> {
    let content = content.trim_start_matches('\u{feff}');
    match serde_json::from_str::<Value>(content) {
        Ok(value) => sniff_value(&value),
        // JSON Lines saved as `.json`: doccano if one of its first lines is a doccano record
        // (the first may have no spans yet).
        Err(_) => content
            .lines()
            .filter(|l| !l.trim().is_empty())
            .take(100)
            .map_while(|line| serde_json::from_str::<Value>(line).ok())
            .any(|v| v.as_object().is_some_and(is_doccano))
            .then_some(Format::Doccano),
    }
}

fn sniff_value(value: &Value) -> Option<Format> {
    match value {
        Value::Object(o) => {
            if o.get("format").and_then(Value::as_str) == Some(native::FORMAT) {
                Some(Format::Native)
            } else if is_w3c(o) {
                Some(Format::W3c)
            } else if is_label_studio(o) || crate::label_studio::is_min(o) {
                Some(Format::LabelStudio)
            } else if is_ner_annotator(o) {
                Some(Format::Spacy)
            } else if is_doccano(o) || (o.contains_key("text") && o.contains_key("entities")) {
                // One record: a JSON Lines file of one line, or doccano's pretty JSON.
                Some(Format::Doccano)
            } else {
                None
            }
        }
        Value::Array(items) => match items.first()? {
            Value::Array(pair)
                if pair.len() == 2
                    && pair.first().is_some_and(Value::is_string)
                    && pair.get(1).is_some_and(Value::is_object) =>
            {
                Some(Format::Spacy)
            }
            Value::Object(o) if is_w3c(o) => Some(Format::W3c),
            Value::Object(o) if is_label_studio(o) || crate::label_studio::is_min(o) => {
                Some(Format::LabelStudio)
            }
            // spaCy v2's training format: documents of paragraphs of tokens.
            Value::Object(o) if o.contains_key("paragraphs") => Some(Format::Spacy),
            Value::Object(_) => records_kind(items),
            _ => None,
        },
        _ => None,
    }
}

/// doccano or spaCy, for an array of `{"text", …}` records: the first record that tells them
/// apart decides (a record with no spans tells nothing); spaCy when none does but they have
/// `"text"` and `"entities"`.
fn records_kind(items: &[Value]) -> Option<Format> {
    let records = || items.iter().take(1000).filter_map(Value::as_object);
    records()
        .find_map(|o| {
            if is_doccano(o)
                || o.contains_key("relations")
                || o.get("data").is_some_and(Value::is_string)
            {
                Some(Format::Doccano)
            } else if o.contains_key("spans")
                || o.get("entities")
                    .and_then(Value::as_array)
                    .and_then(|e| e.first())
                    .is_some_and(|e| e.is_array() || e.get("start").is_some())
            {
                Some(Format::Spacy)
            } else {
                None
            }
        })
        .or_else(|| {
            records()
                .any(|o| o.contains_key("text") && o.contains_key("entities"))
                .then_some(Format::Spacy)
        })
}

fn is_w3c(o: &Map<String, Value>) -> bool {
    o.contains_key("@context")
        || o.get("type")
            .and_then(Value::as_str)
            .is_some_and(|t| t.starts_with("Annotation"))
}

/// A Label Studio task: its `data` is an object of fields (doccano 1.x's `data` is the text).
fn is_label_studio(o: &Map<String, Value>) -> bool {
    o.get("data").is_some_and(Value::is_object)
        && (o.contains_key("annotations") || o.contains_key("predictions"))
}

/// The export of the "NER Annotator for spaCy" tool: `{"classes": […], "annotations": […]}`.
fn is_ner_annotator(o: &Map<String, Value>) -> bool {
    o.get("classes").is_some_and(Value::is_array)
        && o.get("annotations").is_some_and(Value::is_array)
}

/// A doccano record: its text (`text`, or `data` in doccano 1.x) and its spans, as `label`
/// triples or `entities`/`annotations` objects (spaCy's `entities` are triples or objects with
/// `start`, not `start_offset`).
fn is_doccano(o: &Map<String, Value>) -> bool {
    let has_text = o
        .get("text")
        .or_else(|| o.get("data"))
        .is_some_and(Value::is_string);
    let objects = |key: &str| {
        o.get(key)
            .and_then(Value::as_array)
            .is_some_and(|items| items.first().is_none_or(Value::is_object))
    };
    has_text
        && (o.contains_key("label")
            || o.contains_key("labels")
            || objects("annotations")
            || o.get("entities")
                .and_then(Value::as_array)
                .and_then(|items| items.first())
                .and_then(Value::as_object)
                .is_some_and(|e| e.contains_key("start_offset")))
}

#[cfg(test)]
mod tests;
