//! One entry point for every format: which format a file is in ([`detect`]), reading it
//! ([`read`], [`open_file`], [`open_files`]), writing documents in a format ([`write`]) and
//! saying what a download in a format will not carry ([`losses`]).
//!
//! The browser's "Open" and the `spanmark` command share this module, so a file opens the same
//! way in both.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::{archive, file_name, native, text, Context, Format, FormatError, Imported, Problem};
use spanmark_core::{AnnotatedDocument, Schema, Span};

/// The largest file (or unpacked archive) Spanmark opens: 20 MB.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

/// The format of a file, from its name's extension and, for `.json`, from its content.
///
/// `.ann` is brat, `.conll`/`.conll03` CoNLL, `.iob`/`.iob2`/`.bio` IOB2, `.jsonl` doccano,
/// `.jsonld` W3C and `.txt`/`.text` plain text. A `.json` file is a Spanmark file when it says
/// `"format": "spanmark"`, W3C when it has `"@context"` or an `Annotation…` type, Label Studio
/// when its tasks have `"data"` and `"annotations"` or `"predictions"`, spaCy when it is an
/// array of `[text, {…}]` pairs or of objects with `"text"` and `"entities"`, and doccano when
/// it is one object with `"text"` and `"label"` or `"entities"` (a one-line JSONL file).
pub fn detect(name: &str, content: &str) -> Option<Format> {
    let lower = name.to_lowercase();
    let by_extension = [
        (".ann", Format::Brat),
        (".conll", Format::Conll),
        (".conll03", Format::Conll),
        (".iob", Format::Iob2),
        (".iob2", Format::Iob2),
        (".bio", Format::Iob2),
        (".jsonl", Format::Doccano),
        (".jsonld", Format::W3c),
        (".txt", Format::Text),
        (".text", Format::Text),
    ];
    if let Some((_, format)) = by_extension.iter().find(|(ext, _)| lower.ends_with(ext)) {
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
        // JSON Lines saved as `.json`: judge by the first line.
        Err(_) => {
            let first = content.lines().find(|l| !l.trim().is_empty())?;
            let value: Value = serde_json::from_str(first).ok()?;
            let object = value.as_object()?;
            is_doccano(object).then_some(Format::Doccano)
        }
    }
}

fn sniff_value(value: &Value) -> Option<Format> {
    match value {
        Value::Object(o) => {
            if o.get("format").and_then(Value::as_str) == Some(native::FORMAT) {
                Some(Format::Native)
            } else if is_w3c(o) {
                Some(Format::W3c)
            } else if is_label_studio(o) {
                Some(Format::LabelStudio)
            } else if is_doccano(o) {
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
            Value::Object(o) if is_label_studio(o) => Some(Format::LabelStudio),
            Value::Object(o) if o.contains_key("text") && o.contains_key("entities") => {
                Some(Format::Spacy)
            }
            _ => None,
        },
        _ => None,
    }
}

fn is_w3c(o: &Map<String, Value>) -> bool {
    o.contains_key("@context")
        || o.get("type")
            .and_then(Value::as_str)
            .is_some_and(|t| t.starts_with("Annotation"))
}

fn is_label_studio(o: &Map<String, Value>) -> bool {
    o.contains_key("data") && (o.contains_key("annotations") || o.contains_key("predictions"))
}

fn is_doccano(o: &Map<String, Value>) -> bool {
    o.contains_key("text") && (o.contains_key("label") || o.contains_key("entities"))
}

/// Reads `input`, a file in `format`, onto `ctx.schema`.
///
/// Foreign formats map their label and relation names onto `ctx.schema` (adding names it
/// lacks). A Spanmark file's schema is merged into `ctx.schema` as
/// [`super::open_with_schema`] does: the file's labels and relation types win, the ones of
/// `ctx.schema` the file lacks are added. Plain text becomes a document titled `ctx.title`.
pub fn read(format: Format, input: &str, ctx: &Context) -> Result<Imported, FormatError> {
    match format {
        Format::Native => {
            let mut doc = native::parse(input)?;
            doc.schema = ctx.schema.merged_with(&doc.schema);
            doc.schema.check().map_err(|e| FormatError::Invalid {
                at: "schema".into(),
                message: format!("merged with the current schema: {e}"),
            })?;
            Ok(single(doc))
        }
        Format::Text => {
            let mut doc = AnnotatedDocument::new(text::document(ctx.title, input)?);
            doc.schema = ctx.schema.clone();
            Ok(single(doc))
        }
        Format::Brat => super::brat::parse(input, ctx),
        Format::Conll => super::conll::parse_conll(input, ctx),
        Format::Iob2 => super::conll::parse_iob2(input, ctx),
        Format::Doccano => super::doccano::parse(input, ctx),
        Format::LabelStudio => super::label_studio::parse(input, ctx),
        Format::Spacy => super::spacy::parse(input, ctx),
        Format::W3c => super::w3c::parse(input, ctx),
    }
}

fn single(doc: AnnotatedDocument) -> Imported {
    Imported {
        documents: vec![doc],
        warnings: Vec::new(),
    }
}

/// Writes `docs` in `format`: a list of (file name, content).
///
/// Single-document formats give files per document — Spanmark JSON, plain text and W3C one
/// each, brat two (the `.ann` and the `.txt` it points into), named after the document's title
/// (` (2)`, ` (3)`… when titles repeat). Multi-document formats (CoNLL, IOB2, doccano,
/// Label Studio, spaCy) give one file for all, named after the title of the only document or
/// `documents` when there are several. No documents give no files.
pub fn write(format: Format, docs: &[AnnotatedDocument]) -> Vec<(String, String)> {
    if docs.is_empty() {
        return Vec::new();
    }
    let suffix = format.suffix();
    match format {
        Format::Native => per_document(docs, |d| vec![(suffix, native::write(d))]),
        Format::Text => per_document(docs, |d| vec![(suffix, d.document.text.clone())]),
        Format::Brat => per_document(docs, |d| {
            vec![
                (suffix, super::brat::write(d)),
                (".txt", d.document.text.clone()),
            ]
        }),
        Format::W3c => per_document(docs, |d| vec![(suffix, super::w3c::write(d))]),
        Format::Conll => all_documents(docs, suffix, super::conll::write_conll(docs)),
        Format::Iob2 => all_documents(docs, suffix, super::conll::write_iob2(docs)),
        Format::Doccano => all_documents(docs, suffix, super::doccano::write(docs)),
        Format::LabelStudio => all_documents(docs, suffix, super::label_studio::write(docs)),
        Format::Spacy => all_documents(docs, suffix, super::spacy::write(docs)),
    }
}

/// Files per document: each document's stem (its title, made unique) plus each suffix.
fn per_document(
    docs: &[AnnotatedDocument],
    files: impl Fn(&AnnotatedDocument) -> Vec<(&'static str, String)>,
) -> Vec<(String, String)> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for d in docs {
        let stem = file_name(&d.document.title, "");
        let stem = (1..)
            .map(|n| {
                if n == 1 {
                    stem.clone()
                } else {
                    format!("{stem} ({n})")
                }
            })
            .find(|s| seen.insert(s.to_lowercase()))
            .unwrap_or(stem);
        for (suffix, content) in files(d) {
            out.push((format!("{stem}{suffix}"), content));
        }
    }
    out
}

/// One file for all documents.
fn all_documents(
    docs: &[AnnotatedDocument],
    suffix: &str,
    content: String,
) -> Vec<(String, String)> {
    let title = match docs {
        [one] => one.document.title.as_str(),
        _ => "documents",
    };
    vec![(file_name(title, suffix), content)]
}

/// What a format's files carry besides the text and the labelled spans.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Carries {
    /// Labelled spans at all (plain text has none).
    pub spans: bool,
    /// Spans that nest in or overlap other spans.
    pub overlaps: bool,
    /// Relations between spans.
    pub relations: bool,
    /// Notes on spans.
    pub span_notes: bool,
    /// The note on the whole document.
    pub document_note: bool,
}

/// What files in `format` carry (the table [`losses`] is based on).
pub fn carries(format: Format) -> Carries {
    let c = |spans, overlaps, relations, span_notes, document_note| Carries {
        spans,
        overlaps,
        relations,
        span_notes,
        document_note,
    };
    match format {
        Format::Native => c(true, true, true, true, true),
        Format::Text => c(false, false, false, false, false),
        // Relations as R lines, notes as AnnotatorNotes.
        Format::Brat => c(true, true, true, true, false),
        // Nested and overlapping spans in extra tag columns.
        Format::Conll | Format::Iob2 => c(true, true, false, false, false),
        Format::Doccano => c(true, true, true, false, false),
        // Notes as textarea results, per region and for the whole text.
        Format::LabelStudio => c(true, true, true, true, true),
        Format::Spacy => c(true, true, false, false, false),
        // Relations as linking annotations, notes as commenting bodies.
        // and the document note as a commenting annotation on the document.
        Format::W3c => c(true, true, true, true, true),
    }
}

/// What a download of `doc` in `format` will not carry, in plain English (e.g. `"2 relations
/// (CoNLL 2003 has no relations)"`), so that the user can be warned. Empty when nothing is lost.
pub fn losses(format: Format, doc: &AnnotatedDocument) -> Vec<String> {
    let carries = carries(format);
    let name = format.name();
    let spans = doc.spans();
    let mut out = Vec::new();
    if !carries.spans {
        if !spans.is_empty() {
            out.push(format!(
                "{} ({name} has no annotations)",
                count(spans.len(), "span")
            ));
        }
    } else if !carries.overlaps {
        let n = overlapping(spans);
        if n > 0 {
            out.push(format!(
                "{} ({name} cannot nest or overlap spans)",
                count(n, "nested or overlapping span")
            ));
        }
    }
    if !carries.relations && !doc.relations.is_empty() {
        out.push(format!(
            "{} ({name} has no relations)",
            count(doc.relations.len(), "relation")
        ));
    }
    let notes = spans
        .iter()
        .filter(|s| s.note.as_deref().is_some_and(|n| !n.is_empty()))
        .count();
    if !carries.span_notes && notes > 0 {
        out.push(format!("{} ({name} has no notes)", count(notes, "note")));
    }
    if !carries.document_note && doc.document.note.as_deref().is_some_and(|n| !n.is_empty()) {
        out.push(format!("the document note ({name} has no document notes)"));
    }
    out
}

/// How many spans have to go so that none nests in or overlaps another, keeping the outer
/// (earlier, longer) ones: spans come sorted by start, longer first.
fn overlapping(spans: &[Span]) -> usize {
    let mut end = 0;
    let mut dropped = 0;
    for s in spans {
        if s.start < end {
            dropped += 1;
        } else {
            end = s.end;
        }
    }
    dropped
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Whether `format` keeps the document text in a file of its own (brat's `.ann` and W3C's
/// `.jsonld` point into a `.txt` of the same name).
pub fn needs_text(format: Format) -> bool {
    matches!(format, Format::Brat | Format::W3c)
}

/// Whether files in `format` use a text given beside them: those that need one, and CoNLL and
/// IOB2, whose tokens are aligned onto it (so that offsets are exact in the original text).
pub fn takes_text(format: Format) -> bool {
    needs_text(format) || matches!(format, Format::Conll | Format::Iob2)
}

/// `s` without `suffix`, compared ignoring ASCII case.
fn strip_suffix_ci<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let at = s.len().checked_sub(suffix.len())?;
    let (stem, end) = (s.get(..at)?, s.get(at..)?);
    end.eq_ignore_ascii_case(suffix).then_some(stem)
}

/// The file's name without folders.
fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// The title of a document read from file `name`: its base name without the extension
/// (without the whole suffix Spanmark writes, e.g. `.spanmark.json`).
pub fn title_of(name: &str) -> String {
    let base = base_name(name);
    let stem = Format::ALL
        .iter()
        .filter(|f| f.suffix().matches('.').count() > 1)
        .find_map(|f| strip_suffix_ci(base, f.suffix()))
        .or_else(|| base.rsplit_once('.').map(|(stem, _)| stem))
        .unwrap_or(base);
    if stem.is_empty() { base } else { stem }.to_owned()
}

/// `name` without its last extension, in lower case: files that share it belong together
/// (a brat `.ann` and its `.txt`).
fn pair_key(name: &str) -> String {
    let base = base_name(name);
    let folder = name.get(..name.len() - base.len()).unwrap_or_default();
    let stem = base.rsplit_once('.').map_or(base, |(stem, _)| stem);
    format!("{folder}{stem}").to_lowercase()
}

fn is_text_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower.ends_with(".txt") || lower.ends_with(".text")
}

fn is_zip_name(name: &str) -> bool {
    name.to_lowercase().ends_with(".zip")
}

/// Entries that operating systems add to archives, not files the user chose.
fn is_clutter(name: &str) -> bool {
    let base = base_name(name);
    name.split(['/', '\\']).any(|part| part == "__MACOSX")
        || base.starts_with("._")
        || base == ".DS_Store"
        || base.eq_ignore_ascii_case("Thumbs.db")
}

/// Refuses a file (or unpacked archive) of `len` bytes when it is over [`MAX_FILE_BYTES`].
pub fn check_size(len: usize) -> Result<(), FormatError> {
    if len > MAX_FILE_BYTES {
        Err(FormatError::Invalid {
            at: "size".into(),
            message: format!(
                "{:.1} MB is more than the {} MB Spanmark opens",
                len as f64 / 1_048_576.0,
                MAX_FILE_BYTES / 1_048_576
            ),
        })
    } else {
        Ok(())
    }
}

/// Opens one file: `format`, or the format [`detect`] finds; `text` is the document text for
/// formats that keep it in a separate file (brat, W3C) or can align onto it (CoNLL, IOB2).
/// The title of an untitled document is the file name's stem.
pub fn open_file(
    name: &str,
    bytes: &[u8],
    format: Option<Format>,
    text: Option<&str>,
    schema: &Schema,
) -> Result<Imported, FormatError> {
    check_size(bytes.len())?;
    let content = text::decode(bytes)?;
    let format = match format.or_else(|| detect(name, content)) {
        Some(format) => format,
        // Say what is wrong with JSON that is no known format (or no JSON at all).
        None if name.to_lowercase().ends_with(".json") => {
            return Err(native::parse(content)
                .err()
                .unwrap_or(FormatError::NotSpanmark))
        }
        None => {
            return Err(FormatError::UnsupportedType {
                name: base_name(name).to_owned(),
            })
        }
    };
    if needs_text(format) && text.is_none() {
        return Err(FormatError::Invalid {
            at: "text".into(),
            message: format!(
                "{} keeps the document text in a separate file: open \"{}.txt\" with it",
                format.name(),
                title_of(name)
            ),
        });
    }
    let title = title_of(name);
    read(
        format,
        content,
        &Context {
            title: &title,
            schema,
            text,
        },
    )
}

/// Opens the files the user picked (or dropped) together: every document in them, with the
/// warnings, or every file's error — never a part of them silently.
///
/// A `.txt` whose name (without extension) is that of a brat `.ann`, W3C `.jsonld`, CoNLL or
/// IOB2 file is that file's text, not a document of its own; other `.txt` files are plain
/// documents.
/// `.zip` files are unpacked and their files opened the same way (files the operating system
/// adds, such as `__MACOSX/`, are skipped). Everything else is read by [`detect`] and
/// [`read`] onto `schema`. Files over [`MAX_FILE_BYTES`] are refused.
pub fn open_files(
    files: &[(String, Vec<u8>)],
    schema: &Schema,
) -> Result<Imported, Vec<(String, FormatError)>> {
    let mut errors: Vec<(String, FormatError)> = Vec::new();
    // Unpack archives first: their files pair up like any others.
    let mut unpacked: Vec<(String, Vec<u8>)> = Vec::new();
    let mut plain: Vec<(&str, &[u8])> = Vec::new();
    for (name, bytes) in files {
        if !is_zip_name(name) {
            plain.push((name, bytes));
            continue;
        }
        let entries = check_size(bytes.len()).and_then(|()| archive::read(bytes));
        match entries {
            Err(e) => errors.push((name.clone(), e)),
            Ok(entries) => {
                let before = unpacked.len();
                let mut nested = false;
                for (entry, data) in entries {
                    let full = format!("{name}/{entry}");
                    if is_clutter(&entry) {
                        continue;
                    }
                    if is_zip_name(&entry) {
                        nested = true;
                        errors.push((
                            full,
                            FormatError::Invalid {
                                at: "archive".into(),
                                message:
                                    "an archive inside an archive is not opened; unpack it first"
                                        .into(),
                            },
                        ));
                        continue;
                    }
                    unpacked.push((full, data));
                }
                if unpacked.len() == before && !nested {
                    errors.push((
                        name.clone(),
                        FormatError::Invalid {
                            at: "archive".into(),
                            message: "there is no file in it".into(),
                        },
                    ));
                }
            }
        }
    }
    let all: Vec<(&str, &[u8])> = plain
        .into_iter()
        .chain(unpacked.iter().map(|(n, b)| (n.as_str(), b.as_slice())))
        .collect();

    // Texts that belong to an annotation file of the same name.
    let texts: HashMap<String, usize> = all
        .iter()
        .enumerate()
        .filter(|(_, (name, _))| is_text_name(name))
        .map(|(i, (name, _))| (pair_key(name), i))
        .collect();
    let mut partner: HashMap<usize, usize> = HashMap::new();
    for (i, (name, bytes)) in all.iter().enumerate() {
        if is_text_name(name) {
            continue;
        }
        let content = text::decode(bytes).unwrap_or_default();
        if detect(name, content).is_some_and(takes_text) {
            if let Some(&t) = texts.get(&pair_key(name)) {
                partner.insert(i, t);
            }
        }
    }
    let paired: HashSet<usize> = partner.values().copied().collect();

    let mut imported = Imported::default();
    for (i, (name, bytes)) in all.iter().enumerate() {
        if paired.contains(&i) {
            continue;
        }
        let text = match partner.get(&i).and_then(|t| all.get(*t)) {
            Some((text_name, text_bytes)) => {
                match check_size(text_bytes.len()).and_then(|()| text::decode(text_bytes)) {
                    Ok(t) => Some(t),
                    Err(e) => {
                        errors.push(((*text_name).to_owned(), e));
                        continue;
                    }
                }
            }
            None => None,
        };
        match open_file(name, bytes, None, text, schema) {
            Ok(got) => {
                imported.documents.extend(got.documents);
                imported.warnings.extend(
                    got.warnings
                        .into_iter()
                        .map(|w| Problem::new(format!("{name}, {}", w.at), w.message)),
                );
            }
            Err(e) => errors.push(((*name).to_owned(), e)),
        }
    }
    if errors.is_empty() {
        Ok(imported)
    } else {
        Err(errors)
    }
}

/// Documents, each with the name of the file it came from.
pub type Named = Vec<(String, AnnotatedDocument)>;
/// Each file that could not be opened, with why.
pub type Errors = Vec<(String, FormatError)>;

/// Opens `files` as separate annotations of one document, to compare annotators: each file is
/// one annotator, named by its file name, opened with the `.txt` of the same name beside it when
/// its format takes one (brat, W3C, CoNLL, IOB2). A `.zip` gives one annotator per document in it,
/// named `archive.zip: title`. Every file's error, or every annotation.
pub fn open_annotations(files: &[(String, Vec<u8>)], schema: &Schema) -> Result<Named, Errors> {
    let takes_companion = |(name, bytes): &(String, Vec<u8>)| {
        !is_text_name(name)
            && !is_zip_name(name)
            && detect(name, text::decode(bytes).unwrap_or_default()).is_some_and(takes_text)
    };
    let keys: HashSet<String> = files
        .iter()
        .filter(|f| takes_companion(f))
        .map(|(name, _)| pair_key(name))
        .collect();
    let mut annotations = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        let (name, _) = file;
        if is_text_name(name) && keys.contains(&pair_key(name)) {
            continue;
        }
        let mut group = vec![file.clone()];
        if takes_companion(file) {
            group.extend(
                files
                    .iter()
                    .filter(|(n, _)| is_text_name(n) && pair_key(n) == pair_key(name))
                    .cloned(),
            );
        }
        match open_files(&group, schema) {
            Ok(imported) if imported.documents.len() == 1 => {
                annotations.extend(imported.documents.into_iter().map(|d| (name.clone(), d)));
            }
            Ok(imported) => annotations.extend(
                imported
                    .documents
                    .into_iter()
                    .map(|d| (format!("{name}: {}", d.document.title), d)),
            ),
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok(annotations)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests;
