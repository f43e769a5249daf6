//! Opening files: one file ([`open_file`]), the files the user picked together, archives
//! unpacked and texts paired with the annotation files they belong to ([`open_files`]), and
//! files as the annotations of several annotators ([`open_annotations`]).

use std::collections::{HashMap, HashSet};

use super::detect::detect;
use super::dispatch::read;
use crate::error::{FormatError, Problem};
use crate::format::Format;
use crate::import::{Context, Imported, LabelNames};
use crate::names::{base_name, is_clutter, is_text_name, is_zip_name, pair_key, title_of};
use crate::{archive, doccano, native, text};
use spanmark_core::{AnnotatedDocument, Schema};

/// The largest file (or unpacked archive) Spanmark opens: 20 MB.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

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

/// How files are read besides their format.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Refuse spans with white space at either end (the default trims them, with a warning).
    pub strict: bool,
    /// Names for the numeric label ids of doccano files (its label export), when given.
    pub label_names: Option<LabelNames>,
}

/// Opens one file: `format`, or the format [`detect`] finds; `text` is the document text for
/// formats that keep it in a separate file (brat, W3C) or can align onto it (CoNLL, IOB2).
/// The title of an untitled document is the file name's stem. Read leniently, as
/// [`ReadOptions::default`] says.
pub fn open_file(
    name: &str,
    bytes: &[u8],
    format: Option<Format>,
    text: Option<&str>,
    schema: &Schema,
) -> Result<Imported, FormatError> {
    open_file_with(name, bytes, format, text, schema, &ReadOptions::default())
}

/// [`open_file`] read as `options` say.
pub fn open_file_with(
    name: &str,
    bytes: &[u8],
    format: Option<Format>,
    text: Option<&str>,
    schema: &Schema,
    options: &ReadOptions,
) -> Result<Imported, FormatError> {
    check_size(bytes.len())?;
    let content = text::decode(bytes)?;
    let format = match format.or_else(|| detect(name, content)) {
        Some(format) => format,
        None if name.to_lowercase().ends_with(".json") && doccano::label_file(content).is_some() => {
            return Err(FormatError::Invalid {
                at: "file".into(),
                message: "it is a doccano label file: open it together with the doccano file whose labels it names (on the command line, give it with --labels)".into(),
            })
        }
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
            strict: options.strict,
            label_names: options.label_names.as_ref(),
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
    open_files_with(files, schema, &ReadOptions::default())
}

/// [`open_files`] read as `options` say. A doccano label file among the files (a JSON array
/// of `{"id", "text"}` label objects) names the numeric label ids of the doccano files read
/// with it, and is no document of its own.
pub fn open_files_with(
    files: &[(String, Vec<u8>)],
    schema: &Schema,
    options: &ReadOptions,
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

    // doccano label files name the label ids of the doccano files opened with them.
    let mut options = options.clone();
    let mut label_files = HashSet::new();
    for (i, (name, bytes)) in all.iter().enumerate() {
        if !name.to_lowercase().ends_with(".json") {
            continue;
        }
        if let Some(names) = doccano::label_file(text::decode(bytes).unwrap_or_default()) {
            options
                .label_names
                .get_or_insert_with(LabelNames::new)
                .extend(names);
            label_files.insert(i);
        }
    }
    let any_doccano = all.iter().any(|(name, bytes)| {
        detect(name, text::decode(bytes).unwrap_or_default()) == Some(Format::Doccano)
    });
    if !any_doccano {
        for &i in &label_files {
            if let Some((name, _)) = all.get(i) {
                errors.push((
                    (*name).to_owned(),
                    FormatError::Invalid {
                        at: "file".into(),
                        message: "it is a doccano label file: open it together with the doccano file whose labels it names".into(),
                    },
                ));
            }
        }
    }

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
        if paired.contains(&i) || label_files.contains(&i) {
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
        match open_file_with(name, bytes, None, text, schema, &options) {
            Ok(got) => {
                imported.documents.extend(got.documents);
                imported.read += got.read;
                imported
                    .warnings
                    .extend(got.warnings.into_iter().map(|w| Problem {
                        at: format!("{name}, {}", w.at),
                        ..w
                    }));
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
