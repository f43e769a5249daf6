//! One entry point for every format: which format a file is in ([`detect`]), reading it
//! ([`read`], [`open_file`], [`open_files`]), writing documents in a format ([`write`]) and
//! saying what a download in a format will not carry ([`losses`]).
//!
//! The browser's "Open" and the `spanmark` command share this module, so a file opens the same
//! way in both.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::{archive, file_name, native, text, Context, Format, FormatError, Imported, Problem};
use crate::core::{AnnotatedDocument, Schema, Span};

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
mod tests {
    use super::*;
    use crate::core::{Action, Document, NoteTarget, Relation};

    const ARTICLE: &str = include_str!("../../assets/default-article.txt");

    fn annotated(text: &str, phrases: &[(&str, &str)]) -> AnnotatedDocument {
        let mut d = AnnotatedDocument::new(Document::new("t", text));
        for (phrase, label) in phrases {
            let b = text.find(phrase).expect("phrase in text");
            let start = text[..b].chars().count();
            let end = start + phrase.chars().count();
            d.apply(Action::AddSpan {
                start,
                end,
                label: (*label).into(),
            })
            .expect("valid span");
        }
        d
    }

    fn article() -> AnnotatedDocument {
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
        d.document.title = "default-article".into();
        d
    }

    #[test]
    fn each_file_is_one_annotation_with_its_text_beside_it() {
        let a = article();
        let mut b = article();
        b.apply(Action::RemoveSpan { id: "s1".into() }).unwrap();
        let files = vec![
            (
                "annotator-a.spanmark.json".to_owned(),
                native::write(&a).into_bytes(),
            ),
            (
                "annotator-b.ann".to_owned(),
                crate::formats::brat::write(&b).into_bytes(),
            ),
            ("annotator-b.txt".to_owned(), ARTICLE.as_bytes().to_vec()),
        ];
        let opened = open_annotations(&files, &Schema::default()).expect("both open");
        let names: Vec<&str> = opened.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["annotator-a.spanmark.json", "annotator-b.ann"]);
        assert_eq!(opened[0].1.spans().len(), 3);
        assert_eq!(opened[1].1.spans().len(), 2);
        assert_eq!(opened[1].1.document.text, ARTICLE);
        let broken = vec![("bad.json".to_owned(), b"{".to_vec())];
        let errors = open_annotations(&broken, &Schema::default()).unwrap_err();
        assert_eq!(errors[0].0, "bad.json");
    }

    #[test]
    fn detects_by_extension() {
        let cases = [
            ("a.ann", Format::Brat),
            ("A.CONLL", Format::Conll),
            ("eng.conll03", Format::Conll),
            ("x.iob", Format::Iob2),
            ("x.iob2", Format::Iob2),
            ("x.bio", Format::Iob2),
            ("data.jsonl", Format::Doccano),
            ("notes.jsonld", Format::W3c),
            ("a.txt", Format::Text),
            ("a.text", Format::Text),
        ];
        for (name, format) in cases {
            assert_eq!(detect(name, ""), Some(format), "{name}");
        }
        assert_eq!(detect("a.pdf", "{}"), None);
        assert_eq!(detect("README", "hello"), None);
    }

    #[test]
    fn detects_json_by_content() {
        let native_file = native::write(&article());
        let cases = [
            (native_file.as_str(), Some(Format::Native)),
            (
                r#"[["Kerry denied it", {"entities": [[0, 5, "PERSON"]]}]]"#,
                Some(Format::Spacy),
            ),
            (
                r#"[{"text": "Kerry", "entities": [{"start": 0, "end": 5, "label": "PERSON"}]}]"#,
                Some(Format::Spacy),
            ),
            (
                r#"[{"data": {"text": "Kerry"}, "annotations": [{"result": []}]}]"#,
                Some(Format::LabelStudio),
            ),
            (
                r#"{"data": {"text": "Kerry"}, "predictions": []}"#,
                Some(Format::LabelStudio),
            ),
            (
                r#"{"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation"}"#,
                Some(Format::W3c),
            ),
            (
                r#"{"type": "AnnotationCollection", "first": {"items": []}}"#,
                Some(Format::W3c),
            ),
            (
                r#"[{"@context": "http://www.w3.org/ns/anno.jsonld", "id": "a1"}]"#,
                Some(Format::W3c),
            ),
            (
                r#"{"text": "Kerry", "label": [[0, 5, "PERSON"]]}"#,
                Some(Format::Doccano),
            ),
            (
                r#"{"id": 1, "text": "Kerry", "entities": [], "relations": []}"#,
                Some(Format::Doccano),
            ),
            (
                "{\"text\": \"a\", \"label\": []}\n{\"text\": \"b\", \"label\": []}\n",
                Some(Format::Doccano),
            ),
            (r#"{"hello": 1}"#, None),
            ("[]", None),
            ("[1, 2]", None),
            ("{ not json", None),
            ("", None),
        ];
        for (content, format) in cases {
            assert_eq!(detect("x.json", content), format, "{content}");
        }
    }

    #[test]
    fn native_and_text_round_trip_through_read_and_write() {
        let doc = article();
        let schema = Schema::default();
        for format in [Format::Native, Format::Text] {
            let files = write(format, std::slice::from_ref(&doc));
            assert_eq!(files.len(), 1);
            let (name, content) = &files[0];
            assert_eq!(name, &format!("default-article{}", format.suffix()));
            let ctx = Context {
                title: &title_of(name),
                schema: &schema,
                text: None,
            };
            let back = read(format, content, &ctx).unwrap();
            assert!(back.warnings.is_empty());
            let got = &back.documents[0];
            assert_eq!(got.document.text, ARTICLE);
            assert_eq!(got.document.title, "default-article");
            if format == Format::Native {
                assert_eq!(got, &doc);
            } else {
                assert!(got.spans().is_empty());
            }
        }
    }

    #[test]
    fn reading_a_native_file_merges_its_schema_into_the_current_one() {
        let (current, _) = Schema::default().with_label_added("Date").unwrap();
        let file = native::write(&article());
        let ctx = Context {
            title: "x",
            schema: &current,
            text: None,
        };
        let got = read(Format::Native, &file, &ctx)
            .unwrap()
            .documents
            .remove(0);
        assert!(got.schema.labels.iter().any(|l| l.name == "Date"));
        assert_eq!(got.spans(), article().spans());
        // With an empty current schema the file's schema stays as it is.
        let empty = Schema {
            labels: Vec::new(),
            relation_types: Vec::new(),
        };
        let ctx = Context {
            schema: &empty,
            ..ctx
        };
        assert_eq!(
            read(Format::Native, &file, &ctx).unwrap().documents[0],
            article()
        );
    }

    #[test]
    fn several_documents_get_unique_file_names() {
        let mut a = article();
        a.document.title = "Report".into();
        let mut b = a.clone();
        b.document.title = "report".into();
        let mut c = a.clone();
        c.document.title = "a/b".into();
        let names: Vec<String> = write(Format::Native, &[a.clone(), b, c])
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(
            names,
            [
                "Report.spanmark.json",
                "report (2).spanmark.json",
                "a_b.spanmark.json"
            ]
        );
        assert!(write(Format::Native, &[]).is_empty());
        assert_eq!(
            all_documents(std::slice::from_ref(&a), ".conll", String::new())[0].0,
            "Report.conll"
        );
        assert_eq!(
            all_documents(&[a.clone(), a], ".conll", String::new())[0].0,
            "documents.conll"
        );
    }

    #[test]
    fn titles_and_pairs_from_file_names() {
        assert_eq!(title_of("dir/article.spanmark.json"), "article");
        assert_eq!(title_of("Article.SPACY.JSON"), "Article");
        assert_eq!(title_of("a.b.ann"), "a.b");
        assert_eq!(title_of(".ann"), ".ann");
        assert_eq!(title_of("noext"), "noext");
        assert_eq!(title_of("Москва.txt"), "Москва");
        assert_eq!(pair_key("x.zip/Dir/A.ann"), pair_key("x.zip/Dir/a.TXT"));
        assert_ne!(pair_key("x.zip/one/a.ann"), pair_key("x.zip/two/a.txt"));
        assert!(is_clutter("__MACOSX/._a.txt"));
        assert!(!is_clutter("a.txt"));
    }

    #[test]
    fn losses_follow_the_table() {
        let mut d = article();
        let claim = d
            .spans()
            .iter()
            .find(|s| s.label == "claim")
            .unwrap()
            .id
            .clone();
        let actor = d
            .spans()
            .iter()
            .find(|s| s.label == "actor")
            .unwrap()
            .id
            .clone();
        d.relations.push(Relation {
            id: "r1".into(),
            kind: "said_by".into(),
            from: claim.clone(),
            to: actor,
        });
        d.apply(Action::SetNote {
            target: NoteTarget::Span(claim),
            note: Some("check".into()),
        })
        .unwrap();
        d.document.note = Some("from the wire".into());
        assert!(losses(Format::Native, &d).is_empty());
        assert_eq!(
            losses(Format::Conll, &d),
            [
                "1 relation (CoNLL 2003 has no relations)",
                "1 note (CoNLL 2003 has no notes)",
                "the document note (CoNLL 2003 has no document notes)",
            ]
        );
        assert_eq!(
            losses(Format::Text, &d)[0],
            "3 spans (Plain text has no annotations)"
        );
        assert_eq!(
            losses(Format::Brat, &d),
            ["the document note (brat standoff (.ann) has no document notes)"]
        );
        // Nothing to lose, nothing said.
        let plain = AnnotatedDocument::new(Document::new("t", "Kerry"));
        for format in Format::ALL {
            assert!(losses(format, &plain).is_empty(), "{format:?}");
        }
        // Every format that carries less than Spanmark JSON says so for this document.
        for format in Format::ALL {
            let c = carries(format);
            let full = c.spans && c.overlaps && c.relations && c.span_notes && c.document_note;
            assert_eq!(losses(format, &d).is_empty(), full, "{format:?}");
        }
    }

    #[test]
    fn overlapping_counts_spans_that_must_go() {
        let d = annotated(
            "Kerry said no in Paris today",
            &[
                ("Kerry said no", "claim"),
                ("Kerry", "actor"),
                ("said no in", "denial"),
                ("Paris", "place"),
            ],
        );
        assert_eq!(overlapping(d.spans()), 2);
    }

    fn bytes(s: &str) -> Vec<u8> {
        s.as_bytes().to_vec()
    }

    #[test]
    fn opens_native_and_text_files_together() {
        let native_file = native::write(&article());
        let files = vec![
            ("a.spanmark.json".to_owned(), bytes(&native_file)),
            ("notes.txt".to_owned(), bytes("\u{feff}Hello\r\nthere")),
        ];
        let got = open_files(&files, &Schema::default()).unwrap();
        assert_eq!(got.documents.len(), 2);
        assert_eq!(got.documents[0], article());
        assert_eq!(got.documents[1].document.title, "notes");
        assert_eq!(got.documents[1].document.text, "Hello\r\nthere");
    }

    #[test]
    fn opening_reports_every_files_error_and_no_partial_import() {
        let files = vec![
            ("good.txt".to_owned(), bytes("fine")),
            ("bad.txt".to_owned(), vec![b'o', b'k', 0xff]),
            ("x.pdf".to_owned(), bytes("%PDF")),
            ("broken.json".to_owned(), bytes("{\n oops")),
            ("other.json".to_owned(), bytes(r#"{"hello": 1}"#)),
        ];
        let errors = open_files(&files, &Schema::default()).unwrap_err();
        let names: Vec<&str> = errors.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["bad.txt", "x.pdf", "broken.json", "other.json"]);
        assert_eq!(errors[0].1, FormatError::NotUtf8 { offset: 2 });
        assert!(matches!(errors[2].1, FormatError::Json { line: 2, .. }));
        assert_eq!(errors[3].1, FormatError::NotSpanmark);
    }

    #[test]
    fn a_text_beside_an_annotation_file_is_its_text_not_a_document() {
        let files = vec![
            ("Article.ann".to_owned(), bytes("T1\tActor 0 5\tKerry\n")),
            ("article.txt".to_owned(), bytes("Kerry denied it")),
            ("other.txt".to_owned(), bytes("Other")),
        ];
        let got = open_files(&files, &Schema::default()).unwrap();
        let docs: Vec<(&str, usize)> = got
            .documents
            .iter()
            .map(|d| (d.document.text.as_str(), d.spans().len()))
            .collect();
        assert_eq!(docs, [("Kerry denied it", 1), ("Other", 0)]);
        // An .ann alone says where its text is expected.
        let err = open_file("x.ann", b"", None, None, &Schema::default()).unwrap_err();
        assert!(err.to_string().contains("\"x.txt\""), "{err}");
    }

    #[test]
    fn a_text_beside_a_conll_file_gives_it_exact_offsets() {
        let doc = article();
        let files = write(Format::Conll, std::slice::from_ref(&doc));
        let (name, conll) = &files[0];
        let opened = open_files(
            &[
                (name.clone(), conll.clone().into_bytes()),
                ("default-article.txt".into(), ARTICLE.as_bytes().to_vec()),
            ],
            &Schema::default(),
        )
        .unwrap();
        assert_eq!(
            opened.documents.len(),
            1,
            "the .txt is the CoNLL file's text"
        );
        let got = &opened.documents[0];
        assert_eq!(got.document.text, ARTICLE);
        let spans = |d: &AnnotatedDocument| -> Vec<(usize, usize, String)> {
            d.spans()
                .iter()
                .map(|s| (s.start, s.end, s.label.clone()))
                .collect()
        };
        assert_eq!(spans(got), spans(&doc));
    }

    #[test]
    fn opens_the_files_of_an_archive() {
        let zip = archive::write(&[
            ("a.spanmark.json".into(), native::write(&article())),
            ("dir/b.txt".into(), "Bee".into()),
            ("__MACOSX/dir/._b.txt".into(), "\u{0}\u{5}".into()),
        ]);
        let files = vec![
            ("docs.zip".to_owned(), zip),
            ("c.txt".to_owned(), bytes("Sea")),
        ];
        let got = open_files(&files, &Schema::default()).unwrap();
        let titles: Vec<&str> = got
            .documents
            .iter()
            .map(|d| d.document.title.as_str())
            .collect();
        assert_eq!(titles, ["c", "default-article", "b"]);

        let nested = archive::write(&[("inner.zip".into(), "PK".into())]);
        let errors =
            open_files(&[("outer.zip".to_owned(), nested)], &Schema::default()).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].0, "outer.zip/inner.zip");
        let empty = archive::write(&[]);
        let errors =
            open_files(&[("empty.zip".to_owned(), empty)], &Schema::default()).unwrap_err();
        assert_eq!(errors[0].0, "empty.zip");
        let errors = open_files(
            &[("broken.zip".to_owned(), bytes("not a zip"))],
            &Schema::default(),
        )
        .unwrap_err();
        assert_eq!(errors[0].0, "broken.zip");
    }

    #[test]
    fn files_over_the_limit_are_refused() {
        let big = vec![b'a'; MAX_FILE_BYTES + 1];
        let errors = open_files(&[("big.txt".to_owned(), big)], &Schema::default()).unwrap_err();
        assert!(errors[0].1.to_string().contains("20 MB"), "{}", errors[0].1);
        let exactly = vec![b'a'; MAX_FILE_BYTES];
        assert!(open_files(&[("ok.txt".to_owned(), exactly)], &Schema::default()).is_ok());
    }

    #[test]
    fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
        // serde_json stops at 128 levels (its `unbounded_depth` feature must stay off): a
        // file nested deeper is refused by every JSON reader, and by the format sniffing.
        let deep = |open: &str, close: &str| {
            let n = 100_000;
            format!("{}1{}", open.repeat(n), close.repeat(n))
        };
        let schema = Schema::default();
        for file in [
            deep("[", "]"),
            deep("{\"a\":", "}"),
            deep("[{\"data\":", "}]"),
        ] {
            assert_eq!(detect("x.json", &file), None);
            for format in [
                Format::Native,
                Format::Doccano,
                Format::LabelStudio,
                Format::Spacy,
                Format::W3c,
            ] {
                let got = open_file("x.json", file.as_bytes(), Some(format), Some("t"), &schema);
                let err = got.unwrap_err().to_string();
                assert!(err.contains("recursion limit"), "{format:?}: {err}");
            }
            assert!(open_files(&[("x.json".into(), bytes(&file))], &schema).is_err());
        }
    }

    #[test]
    fn a_forced_format_wins_over_the_extension() {
        let got = open_file(
            "notes.md",
            b"# Notes",
            Some(Format::Text),
            None,
            &Schema::default(),
        )
        .unwrap();
        assert_eq!(got.documents[0].document.title, "notes");
        assert_eq!(
            open_file("notes.md", b"# Notes", None, None, &Schema::default()),
            Err(FormatError::UnsupportedType {
                name: "notes.md".into()
            })
        );
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn detect_never_panics(s in "\\PC{0,200}") {
                let _ = detect("x.json", &s);
            }

            #[test]
            fn opening_never_panics_on_arbitrary_files(
                bytes in proptest::collection::vec(any::<u8>(), 0..300),
                name in "[a-z]{1,3}\\.(json|txt|ann|jsonld|zip|jsonl|conll|pdf)",
            ) {
                let _ = open_files(
                    &[(name, bytes.clone()), ("a.txt".to_owned(), bytes)],
                    &Schema::default(),
                );
            }
        }
    }
}
