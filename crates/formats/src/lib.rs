//! Pure codecs between annotated documents and files.
//!
//! `open` turns a file the user picked (name and bytes) into an annotated document or a typed
//! error that says what is wrong and where. Every codec is pure, never panics, and is tested on
//! the host with fixtures and round trips.

pub mod archive;
pub mod brat;
pub mod conll;
pub mod convert;
pub mod doccano;
#[cfg(not(target_arch = "wasm32"))]
#[doc(hidden)]
pub mod fuzz;
pub mod import;
pub mod label_studio;
pub mod native;
pub mod spacy;
pub mod text;
pub mod w3c;

pub use import::{Builder, Context, Imported, Problem};

use spanmark_core::{AnnotatedDocument, Schema};

/// Why a file could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormatError {
    /// The bytes are not UTF-8; `offset` is the first bad byte.
    NotUtf8 { offset: usize },
    /// The file is not JSON at all, or not of the expected shape.
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    /// A JSON file that is not a Spanmark file.
    NotSpanmark,
    /// A Spanmark file of a version this build does not read.
    UnsupportedVersion(u64),
    /// The content breaks a rule; `at` names the item, e.g. `spans[2] (id "s3")`.
    Invalid { at: String, message: String },
    /// A file type Spanmark does not open.
    UnsupportedType { name: String },
    /// Items of the file that are wrong, each located by line or item path.
    Problems(Vec<Problem>),
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormatError::NotUtf8 { offset } => {
                write!(f, "it is not UTF-8 text (invalid byte at offset {offset})")
            }
            FormatError::Json {
                line,
                column,
                message,
            } => write!(f, "line {line}, column {column}: {message}"),
            FormatError::NotSpanmark => write!(
                f,
                "it is JSON but of no shape Spanmark reads (a Spanmark, Label Studio, spaCy, doccano or W3C file)"
            ),
            FormatError::UnsupportedVersion(v) => write!(
                f,
                "it is a Spanmark file of version {v}, which this version cannot read"
            ),
            FormatError::Invalid { at, message } => write!(f, "{at}: {message}"),
            FormatError::UnsupportedType { name } => {
                write!(f, "\"{name}\" is not a file type Spanmark opens (.txt, .json, .ann, .conll, .iob2, .jsonl, .jsonld or .zip)")
            }
            FormatError::Problems(problems) => {
                let n = problems.len();
                write!(f, "{n} problem{}", if n == 1 { "" } else { "s" })?;
                for p in problems.iter().take(MAX_LISTED) {
                    write!(f, "; {p}")?;
                }
                if n > MAX_LISTED {
                    write!(f, "; and {} more", n - MAX_LISTED)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for FormatError {}

/// How many problems a message lists before it says "and N more".
pub const MAX_LISTED: usize = 8;

/// The formats Spanmark reads and writes. The ids are what the command line takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Spanmark's own JSON file (docs/FORMAT.md).
    Native,
    /// Plain text: a document without annotations.
    Text,
    /// brat standoff: the `.ann` beside the document's `.txt`.
    Brat,
    /// CoNLL 2003-style columns.
    Conll,
    /// IOB2 token/tag columns.
    Iob2,
    /// doccano JSONL.
    Doccano,
    /// Label Studio JSON tasks.
    LabelStudio,
    /// spaCy training JSON.
    Spacy,
    /// W3C Web Annotation JSON-LD.
    W3c,
}

impl Format {
    /// Every format, in the order menus list them.
    pub const ALL: [Format; 9] = [
        Format::Native,
        Format::Text,
        Format::Brat,
        Format::Conll,
        Format::Iob2,
        Format::Doccano,
        Format::LabelStudio,
        Format::Spacy,
        Format::W3c,
    ];

    /// The id the command line and the download menu use.
    pub fn id(self) -> &'static str {
        match self {
            Format::Native => "spanmark",
            Format::Text => "text",
            Format::Brat => "brat",
            Format::Conll => "conll",
            Format::Iob2 => "iob2",
            Format::Doccano => "doccano",
            Format::LabelStudio => "label-studio",
            Format::Spacy => "spacy",
            Format::W3c => "w3c",
        }
    }

    /// The format with this id.
    pub fn from_id(id: &str) -> Option<Format> {
        Format::ALL
            .into_iter()
            .find(|f| f.id() == id.trim().to_lowercase())
    }

    /// A human name.
    pub fn name(self) -> &'static str {
        match self {
            Format::Native => "Spanmark JSON",
            Format::Text => "Plain text",
            Format::Brat => "brat standoff (.ann)",
            Format::Conll => "CoNLL 2003",
            Format::Iob2 => "IOB2",
            Format::Doccano => "doccano JSONL",
            Format::LabelStudio => "Label Studio JSON",
            Format::Spacy => "spaCy training JSON",
            Format::W3c => "W3C Web Annotation",
        }
    }

    /// The suffix of the files it writes.
    pub fn suffix(self) -> &'static str {
        match self {
            Format::Native => ".spanmark.json",
            Format::Text => ".txt",
            Format::Brat => ".ann",
            Format::Conll => ".conll",
            Format::Iob2 => ".iob2",
            Format::Doccano => ".jsonl",
            Format::LabelStudio => ".label-studio.json",
            Format::Spacy => ".spacy.json",
            Format::W3c => ".jsonld",
        }
    }
}

/// Opens a file by its name's extension: `.txt` as a new document, `.json` as a Spanmark file.
pub fn open(name: &str, bytes: &[u8]) -> Result<AnnotatedDocument, FormatError> {
    let lower = name.to_lowercase();
    if lower.ends_with(".json") {
        native::parse(text::decode(bytes)?)
    } else if lower.ends_with(".txt") || lower.ends_with(".text") {
        Ok(AnnotatedDocument::new(text::parse(name, bytes)?))
    } else {
        Err(FormatError::UnsupportedType {
            name: name.to_owned(),
        })
    }
}

/// Opens a file as [`open`] does, into an editor whose schema is `current`: a Spanmark file's
/// schema is merged into it (`Schema::merged_with`: the file's labels and relation types win,
/// the current ones it lacks are added), and a text takes the current schema as it is.
pub fn open_with_schema(
    name: &str,
    bytes: &[u8],
    current: &Schema,
) -> Result<AnnotatedDocument, FormatError> {
    let mut doc = open(name, bytes)?;
    doc.schema = if name.to_lowercase().ends_with(".json") {
        current.merged_with(&doc.schema)
    } else {
        current.clone()
    };
    doc.schema.check().map_err(|e| FormatError::Invalid {
        at: "schema".into(),
        message: format!("merged with the current schema: {e}"),
    })?;
    Ok(doc)
}

/// A file name for `title` plus `suffix`, with characters that file systems refuse replaced.
pub fn file_name(title: &str, suffix: &str) -> String {
    let clean: String = title
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let clean = clean.trim().trim_start_matches('.');
    let stem = if clean.is_empty() { "document" } else { clean };
    format!("{stem}{suffix}")
}

#[cfg(test)]
mod tests;
