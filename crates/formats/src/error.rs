//! What goes wrong reading a file: a [`Problem`] names one wrong item by its line or path,
//! and a [`FormatError`] says why a file could not be read at all.

/// One thing wrong (or worth knowing) in a file: where, and what.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    /// A line (`"line 4"`) for line formats, an item path (`"[2].entities[1]"`) for JSON ones.
    pub at: String,
    pub message: String,
    /// Whether the item at `at` was left out of what was read (a warning that says so), as
    /// opposed to read with a change or kept elsewhere.
    pub skipped: bool,
}

impl Problem {
    pub fn new(at: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            at: at.into(),
            message: message.into(),
            skipped: false,
        }
    }

    /// A warning that the item at `at` was not read, and why.
    pub fn skipped(at: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            skipped: true,
            ..Problem::new(at, message)
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}

/// Why a file could not be read.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
