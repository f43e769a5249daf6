//! Pure codecs between annotated documents and files.
//!
//! `open` turns a file the user picked (name and bytes) into an annotated document or a typed
//! error that says what is wrong and where. Every codec is pure, never panics, and is tested on
//! the host with fixtures and round trips.

pub mod native;
pub mod text;

use crate::core::AnnotatedDocument;

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
                "it is JSON but not a Spanmark file (\"format\": \"spanmark\" is missing)"
            ),
            FormatError::UnsupportedVersion(v) => write!(
                f,
                "it is a Spanmark file of version {v}, which this version cannot read"
            ),
            FormatError::Invalid { at, message } => write!(f, "{at}: {message}"),
            FormatError::UnsupportedType { name } => {
                write!(f, "\"{name}\" is neither a .txt nor a .json file")
            }
        }
    }
}

impl std::error::Error for FormatError {}

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
mod tests {
    use super::*;

    #[test]
    fn opens_by_extension() {
        assert_eq!(open("a.TXT", b"hi").unwrap().document.text, "hi");
        assert!(matches!(
            open("a.json", b"{"),
            Err(FormatError::Json { line: 1, .. })
        ));
        assert_eq!(
            open("a.pdf", b"%PDF"),
            Err(FormatError::UnsupportedType {
                name: "a.pdf".into()
            })
        );
    }

    #[test]
    fn file_names_are_safe() {
        assert_eq!(
            file_name("default-article", ".spanmark.json"),
            "default-article.spanmark.json"
        );
        assert_eq!(file_name("a/b:c?", ".json"), "a_b_c_.json");
        assert_eq!(file_name("  ..", ".json"), "document.json");
        assert_eq!(file_name("Москва 🇷🇺", ".json"), "Москва 🇷🇺.json");
    }
}
