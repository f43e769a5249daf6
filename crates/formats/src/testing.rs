//! What the codecs' unit tests share: the context they read with, and the problems of a file
//! that does not read.

use crate::error::{FormatError, Problem};
use crate::import::{Context, Imported};
use spanmark_core::Schema;

/// A context for a document titled `title`, onto `schema`, with `text` given beside the file.
pub(crate) fn ctx<'a>(title: &'a str, schema: &'a Schema, text: Option<&'a str>) -> Context<'a> {
    Context::new(title, schema).with_text(text)
}

/// The problems of a file that does not read; any other outcome fails the test.
pub(crate) fn problems(result: Result<Imported, FormatError>) -> Vec<Problem> {
    match result {
        Err(FormatError::Problems(p)) => p,
        other => panic!("expected problems, got {other:?}"),
    }
}
