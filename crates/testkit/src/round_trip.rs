//! What a round trip through a format keeps: the codecs' tests write a document, read the file
//! back and check the one document it gives against the one written ([`check_round_trip`]).

use std::fmt::Debug;

use spanmark_core::AnnotatedDocument;

use crate::docs::content;

/// What a format keeps of a document besides its spans (range, label and text), for
/// [`check_round_trip`] to compare.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Kept {
    /// The relations (type and end spans).
    pub relations: bool,
    /// The notes on spans.
    pub notes: bool,
    /// The document text (a format that takes the text from beside the file does not).
    pub text: bool,
    /// The document title.
    pub title: bool,
    /// The note on the whole document.
    pub document_note: bool,
}

/// Checks what a file written of `d` read back as (`read`: the documents and the warnings, or
/// the error): no warnings, exactly one document, the same spans as `d` (by [`content`], with
/// notes when `kept.notes`), and what else `kept` names.
pub fn check_round_trip<W: Debug, E: Debug>(
    d: &AnnotatedDocument,
    read: Result<(Vec<AnnotatedDocument>, Vec<W>), E>,
    kept: Kept,
) {
    let (documents, warnings) = read.expect("the written file reads back");
    assert!(warnings.is_empty(), "{warnings:?}");
    let [back] = documents.as_slice() else {
        panic!("one document, got {}", documents.len())
    };
    let (spans, relations) = content(back, kept.notes);
    let (expected_spans, expected_relations) = content(d, kept.notes);
    assert_eq!(spans, expected_spans);
    if kept.relations {
        assert_eq!(relations, expected_relations);
    }
    if kept.text {
        assert_eq!(back.document.text, d.document.text);
    }
    if kept.title {
        assert_eq!(back.document.title, d.document.title);
    }
    if kept.document_note {
        assert_eq!(back.document.note, d.document.note);
    }
}
