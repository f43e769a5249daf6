//! The native Spanmark JSON file (documented in docs/FORMAT.md).
//!
//! A file is self-checking: it carries the exact text, the schema, and each span's text next to
//! its code-point offsets. Reading checks all of it and names the first item that is wrong.

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

use crate::error::FormatError;
use crate::import::json_error;
use spanmark_core::offsets::CpIndex;
use spanmark_core::snap::check_byte_range;
use spanmark_core::{AnnotatedDocument, Document, Relation, Schema, Span};

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
struct FileRef<'a, S: Serialize> {
    format: &'a str,
    version: u64,
    document: DocumentRef<'a>,
    schema: &'a Schema,
    spans: S,
    relations: &'a [Relation],
}

/// A [`Span`] as written, its text given apart.
#[derive(Serialize)]
struct SpanRef<'a> {
    id: &'a str,
    label: &'a str,
    start: usize,
    end: usize,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

/// Spans written without their texts.
struct SpansWithoutText<'a>(&'a [Span]);

impl Serialize for SpansWithoutText<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|s| SpanRef {
            id: &s.id,
            label: &s.label,
            start: s.start,
            end: s.end,
            text: "",
            note: s.note.as_deref(),
        }))
    }
}

/// A [`Document`] as written: the same fields, its text given apart.
#[derive(Serialize)]
struct DocumentRef<'a> {
    id: &'a str,
    title: &'a str,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

fn file_with<'a, S: Serialize>(
    doc: &'a AnnotatedDocument,
    text: &'a str,
    spans: S,
) -> FileRef<'a, S> {
    let d = &doc.document;
    FileRef {
        format: FORMAT,
        version: VERSION,
        document: DocumentRef {
            id: &d.id,
            title: &d.title,
            text,
            note: d.note.as_deref(),
        },
        schema: &doc.schema,
        spans,
        relations: &doc.relations,
    }
}

/// The native file of `doc` as a serializable value (for stores that serialize themselves).
pub fn file(doc: &AnnotatedDocument) -> impl Serialize + '_ {
    file_with(doc, &doc.document.text, doc.spans())
}

/// The native file of `doc` without its text: `document.text` and each span's `text` are
/// empty. For a store that keeps the text apart, written once rather than with every change
/// of the annotations, under a name that fingerprints it (so the spans cannot meet another
/// text); [`parse_without_text`] reads it back.
pub fn file_without_text(doc: &AnnotatedDocument) -> impl Serialize + '_ {
    file_with(doc, "", SpansWithoutText(doc.spans()))
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

/// What a JSON value is to the header check; see [`Peek`].
enum Peeked {
    /// The top-level object: whether its `format` is [`FORMAT`], and its `version` when that
    /// is a whole number.
    Header {
        spanmark: bool,
        version: Option<u64>,
    },
    Str(String),
    Whole(u64),
    Other,
}

/// Reads one JSON value with the same parser calls `serde_json::Value` makes (so the same
/// syntax errors, at the same places) without keeping it: `Header` reads the top level and keeps
/// its `format` and `version`, `Keep` keeps a string or whole number, `Drop` keeps nothing.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Peek {
    Header,
    Keep,
    Drop,
}

impl<'de> DeserializeSeed<'de> for Peek {
    type Value = Peeked;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Peeked, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Peek {
    type Value = Peeked;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Peeked, E> {
        Ok(Peeked::Other)
    }

    fn visit_i64<E>(self, v: i64) -> Result<Peeked, E> {
        Ok(u64::try_from(v).map_or(Peeked::Other, Peeked::Whole))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Peeked, E> {
        Ok(Peeked::Whole(v))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Peeked, E> {
        Ok(Peeked::Other)
    }

    fn visit_str<E>(self, v: &str) -> Result<Peeked, E> {
        Ok(match self {
            Peek::Keep => Peeked::Str(v.to_owned()),
            _ => Peeked::Other,
        })
    }

    fn visit_unit<E>(self) -> Result<Peeked, E> {
        Ok(Peeked::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Peeked, A::Error> {
        while seq.next_element_seed(Peek::Drop)?.is_some() {}
        Ok(Peeked::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Peeked, A::Error> {
        let (mut spanmark, mut version) = (false, None);
        let header = self == Peek::Header;
        let key_mode = if header { Peek::Keep } else { Peek::Drop };
        while let Some(key) = map.next_key_seed(key_mode)? {
            let key = match key {
                Peeked::Str(k) if k == "format" || k == "version" => k,
                _ => {
                    map.next_value_seed(Peek::Drop)?;
                    continue;
                }
            };
            // A repeated key counts as its last value, as in `serde_json::Value`.
            match (key.as_str(), map.next_value_seed(Peek::Keep)?) {
                ("format", value) => spanmark = matches!(value, Peeked::Str(f) if f == FORMAT),
                (_, value) => {
                    version = match value {
                        Peeked::Whole(v) => Some(v),
                        _ => None,
                    }
                }
            }
        }
        Ok(if header {
            Peeked::Header { spanmark, version }
        } else {
            Peeked::Other
        })
    }
}

/// Checks the `format` and `version` of a file without building the whole of it: a JSON
/// error, or a file that is not a Spanmark file, or one of another version, is an error.
fn check_header(input: &str) -> Result<(), FormatError> {
    let mut de = serde_json::Deserializer::from_str(input);
    let header = Peek::Header.deserialize(&mut de).map_err(json_error)?;
    de.end().map_err(json_error)?;
    let Peeked::Header { spanmark, version } = header else {
        return Err(FormatError::NotSpanmark);
    };
    if !spanmark {
        return Err(FormatError::NotSpanmark);
    }
    match version {
        Some(VERSION) => Ok(()),
        Some(v) => Err(FormatError::UnsupportedVersion(v)),
        None => Err(invalid("version", "must be a whole number")),
    }
}

/// Reads a native file's JSON and its header (format and version), unchecked otherwise.
fn read(input: &str) -> Result<File, FormatError> {
    // One pass for a good file; the header is read on its own only to say what is wrong.
    let file: File = match serde_json::from_str(input) {
        Ok(file) => file,
        Err(e) => {
            check_header(input)?;
            return Err(json_error(e));
        }
    };
    if file.format != FORMAT {
        return Err(FormatError::NotSpanmark);
    }
    if file.version != VERSION {
        return Err(FormatError::UnsupportedVersion(file.version));
    }
    Ok(file)
}

/// Parses and checks a native file.
pub fn parse(input: &str) -> Result<AnnotatedDocument, FormatError> {
    finish(read(input)?)
}

/// Parses and checks a native file written by [`file_without_text`], whose text is `text`.
pub fn parse_without_text(input: &str, text: String) -> Result<AnnotatedDocument, FormatError> {
    let mut file = read(input)?;
    if !file.document.text.is_empty() {
        return Err(invalid(
            "document.text",
            "must be empty: the text is kept apart",
        ));
    }
    // Each span's text from the text, then every check of a whole file.
    let index = CpIndex::new(&text);
    for (i, s) in file.spans.iter_mut().enumerate() {
        if !s.text.is_empty() {
            continue;
        }
        let Some((bs, be)) = index.bytes(&text, s.start, s.end) else {
            return Err(invalid(
                format!("spans[{i}] (id \"{}\")", s.id),
                format!("offsets {}..{} are outside the text", s.start, s.end),
            ));
        };
        s.text = text[bs..be].to_owned();
    }
    file.document.text = text;
    finish(file)
}

/// The former `parse`, which read the header through a `serde_json::Value` of the whole file and
/// then the file again: the reference [`parse`] and [`check_header`] are tested against.
#[cfg(test)]
fn parse_via_value(input: &str) -> Result<AnnotatedDocument, FormatError> {
    let value: serde_json::Value = serde_json::from_str(input).map_err(json_error)?;
    if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(FormatError::NotSpanmark);
    }
    match value.get("version").and_then(|v| v.as_u64()) {
        Some(VERSION) => {}
        Some(v) => return Err(FormatError::UnsupportedVersion(v)),
        None => return Err(invalid("version", "must be a whole number")),
    }
    finish(serde_json::from_str(input).map_err(json_error)?)
}

/// Checks a file read whole and makes its document.
fn finish(file: File) -> Result<AnnotatedDocument, FormatError> {
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
    // The check refused empty and repeated label and relation type ids.
    let label_ids: HashSet<&str> = file.schema.labels.iter().map(|l| l.id.as_str()).collect();
    let text = &file.document.text;
    // Offsets of thousands of spans in a long text: through an index, not a walk each.
    let index = CpIndex::new(text);
    let mut span_ids = HashSet::new();
    for (i, s) in file.spans.iter().enumerate() {
        // Where, for a message: formatted only for the span that is wrong.
        let at = || format!("spans[{i}] (id \"{}\")", s.id);
        if s.id.is_empty() || !span_ids.insert(s.id.as_str()) {
            return Err(invalid(at(), "span id is empty or repeated"));
        }
        if !label_ids.contains(s.label.as_str()) {
            return Err(invalid(
                at(),
                format!("label \"{}\" is not in the schema", s.label),
            ));
        }
        let Some((bs, be)) = index.bytes(text, s.start, s.end) else {
            return Err(invalid(
                at(),
                format!(
                    "offsets {}..{} are outside the text ({} code points)",
                    s.start,
                    s.end,
                    index.len()
                ),
            ));
        };
        let actual = &text[bs..be];
        if actual != s.text {
            return Err(invalid(
                at(),
                format!(
                    "\"text\" is {:?} but offsets {}..{} hold {:?}",
                    s.text, s.start, s.end, actual
                ),
            ));
        }
        check_byte_range(text, bs, be).map_err(|e| invalid(at(), e.to_string()))?;
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
mod tests;
