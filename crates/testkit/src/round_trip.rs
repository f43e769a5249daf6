//! What a round trip through a format keeps: the codecs' tests write a document, read the file
//! back and check the one document it gives against the one written ([`check_round_trip`]).

use std::fmt::Debug;
use std::ops::BitOr;

use spanmark_core::AnnotatedDocument;

use crate::docs::content;

/// What a format keeps of a document besides its spans (range, label and text), for
/// [`check_round_trip`] to compare: the constants below, joined with `|`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Kept(u8);

impl Kept {
    /// The spans and nothing else.
    pub const SPANS: Kept = Kept(0);
    /// The whole [`spanmark_core::Document`]: id, title, text and note.
    pub const DOCUMENT: Kept = Kept(1);
    /// The schema, as it was.
    pub const SCHEMA: Kept = Kept(1 << 1);
    /// The relations (type and end spans).
    pub const RELATIONS: Kept = Kept(1 << 2);
    /// The notes on spans.
    pub const NOTES: Kept = Kept(1 << 3);
    /// The document text (a format that takes the text from beside the file does not).
    pub const TEXT: Kept = Kept(1 << 4);
    /// The document title.
    pub const TITLE: Kept = Kept(1 << 5);
    /// The note on the whole document.
    pub const DOCUMENT_NOTE: Kept = Kept(1 << 6);

    /// Whether all of `what` is kept.
    pub fn has(self, what: Kept) -> bool {
        self.0 & what.0 == what.0
    }
}

impl BitOr for Kept {
    type Output = Kept;

    fn bitor(self, other: Kept) -> Kept {
        Kept(self.0 | other.0)
    }
}

/// Checks what a file written of `d` read back as (`read`: the documents and the warnings, or
/// the error): no warnings, exactly one document, the same spans as `d` (by [`content`], with
/// notes when `kept` has [`Kept::NOTES`]), and what else `kept` names.
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
    let (spans, relations) = content(back, kept.has(Kept::NOTES));
    let (expected_spans, expected_relations) = content(d, kept.has(Kept::NOTES));
    assert_eq!(spans, expected_spans);
    if kept.has(Kept::RELATIONS) {
        assert_eq!(relations, expected_relations);
    }
    if kept.has(Kept::DOCUMENT) {
        assert_eq!(back.document, d.document);
    }
    if kept.has(Kept::SCHEMA) {
        assert_eq!(back.schema, d.schema);
    }
    if kept.has(Kept::TEXT) {
        assert_eq!(back.document.text, d.document.text);
    }
    if kept.has(Kept::TITLE) {
        assert_eq!(back.document.title, d.document.title);
    }
    if kept.has(Kept::DOCUMENT_NOTE) {
        assert_eq!(back.document.note, d.document.note);
    }
}
