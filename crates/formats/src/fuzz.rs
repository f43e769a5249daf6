//! The check every fuzz target and `crates/formats/tests/fuzz.rs` run on an input (docs/FUZZING.md).
//!
//! [`check`] opens the bytes as the app does (through [`convert::open_file`] with the format
//! forced, or [`convert::open_files`] for archives and the dispatcher) and, when they open,
//! asserts what every imported document must satisfy: each span's `text` is its code-point
//! slice of the document text, `start < end <= len`, its ends pass `core::snap::check_range`,
//! its label and every relation's type are in the schema, relation ends exist; the document
//! written back in its format and in every other one opens again without a panic, and the
//! native file of it reads back equal. A broken invariant is a panic, which the fuzzer reports.
//!
//! Inputs of the formats that take a text beside the file (brat, CoNLL, IOB2, W3C) are the file,
//! a NUL byte, then the text; without a NUL there is no text. The dispatcher's input is a byte
//! whose two halves pick the two files' extensions from [`EXTENSIONS`], then the two files
//! separated by a NUL.

// The one place outside tests that panics on purpose: a panic is how libFuzzer and
// `tests/fuzz.rs` learn that an invariant broke. Nothing in the app or the command line calls it.
#![allow(clippy::panic)]

use std::collections::HashSet;

use crate::convert::{self, open_file, open_files, takes_text};
use crate::format::Format;
use crate::import::{Context, Imported};
use crate::{archive, native, text};
use spanmark_core::offsets::{cp_len, slice_cp};
use spanmark_core::snap::check_range;
use spanmark_core::{AnnotatedDocument, Schema};

/// What a fuzz target opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// One file in a format, forced.
    Format(Format),
    /// A `.zip` archive, through `open_files`.
    Zip,
    /// Two files of any names through `open_files`, which detects their formats and pairs them.
    Open,
}

impl Target {
    /// Every target, in the order the reports list them.
    pub const ALL: [Target; 11] = [
        Target::Format(Format::Native),
        Target::Format(Format::Text),
        Target::Format(Format::Brat),
        Target::Format(Format::Conll),
        Target::Format(Format::Iob2),
        Target::Format(Format::Doccano),
        Target::Format(Format::LabelStudio),
        Target::Format(Format::Spacy),
        Target::Format(Format::W3c),
        Target::Zip,
        Target::Open,
    ];

    /// The fuzz target's name (`fuzz/fuzz_targets/<id>.rs`) and its seed folder.
    pub fn id(self) -> &'static str {
        match self {
            Target::Format(Format::Native) => "native",
            Target::Format(Format::Text) => "text",
            Target::Format(Format::Brat) => "brat",
            Target::Format(Format::Conll) => "conll",
            Target::Format(Format::Iob2) => "iob2",
            Target::Format(Format::Doccano) => "doccano",
            Target::Format(Format::LabelStudio) => "label_studio",
            Target::Format(Format::Spacy) => "spacy",
            Target::Format(Format::W3c) => "w3c",
            Target::Zip => "zip",
            Target::Open => "open_files",
        }
    }

    /// The target called `id`.
    pub fn from_id(id: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.id() == id)
    }
}

/// The extensions the dispatcher's inputs name their two files with.
pub const EXTENSIONS: [&str; 16] = [
    ".spanmark.json",
    ".json",
    ".txt",
    ".ann",
    ".conll",
    ".iob2",
    ".bio",
    ".jsonl",
    ".jsonld",
    ".zip",
    ".label-studio.json",
    ".spacy.json",
    ".text",
    ".conll03",
    ".iob",
    ".md",
];

/// `data` cut at its first NUL: the file, and the text after it (if there is a NUL).
pub fn split(data: &[u8]) -> (&[u8], Option<&[u8]>) {
    match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], data.get(at + 1..)),
        None => (data, None),
    }
}

/// Opens `data` as `target` and checks every document it gives; panics when one is wrong.
/// Returns whether it opened.
pub fn check(target: Target, data: &[u8]) -> bool {
    let schema = Schema::default();
    match target {
        Target::Format(format) => {
            let (file, text) = if takes_text(format) {
                split(data)
            } else {
                (data, None)
            };
            // The companion text is decoded as `open_files` decodes it.
            let text = match text.map(text::decode) {
                Some(Ok(t)) => Some(t),
                Some(Err(_)) => return false,
                None => None,
            };
            let name = format!("fuzz{}", format.suffix());
            let Ok(imported) = open_file(&name, file, Some(format), text, &schema) else {
                return false;
            };
            check_all(&imported, Some(format));
        }
        Target::Zip => {
            let files = [("fuzz.zip".to_owned(), data.to_vec())];
            let Ok(imported) = open_files(&files, &schema) else {
                return false;
            };
            check_all(&imported, None);
        }
        Target::Open => {
            let Some((&names, rest)) = data.split_first() else {
                return false;
            };
            let (a, b) = split(rest);
            let ext = |n: u8| EXTENSIONS[usize::from(n) % EXTENSIONS.len()];
            let mut files = vec![(format!("doc{}", ext(names & 15)), a.to_vec())];
            if let Some(b) = b {
                files.push((format!("doc{}", ext(names >> 4)), b.to_vec()));
            }
            let Ok(imported) = open_files(&files, &schema) else {
                return false;
            };
            check_all(&imported, None);
        }
    }
    true
}

/// Checks every document of `imported`, read in `format` (`None`: several or unknown).
fn check_all(imported: &Imported, format: Option<Format>) {
    for doc in &imported.documents {
        check_document(doc);
        round_trip_native(doc);
        // Every download format (the native file is checked above).
        for other in Format::ALL {
            let _ = convert::losses(other, doc);
            if other != Format::Native {
                rewrite(other, std::slice::from_ref(doc));
            }
        }
    }
    // Multi-document formats write all the documents of a file into one.
    if let Some(format) = format.filter(|_| imported.documents.len() > 1) {
        rewrite(format, &imported.documents);
    }
    // Several documents, as *Download all* zips them.
    if format.is_none() || imported.documents.len() > 1 {
        let zip = archive::write(&convert::write(Format::Native, &imported.documents));
        match open_files(&[("all.zip".to_owned(), zip)], &Schema::default()) {
            Ok(back) => assert_eq!(
                back.documents.len(),
                imported.documents.len(),
                "the zip of the native files opens with another number of documents"
            ),
            Err(e) => panic!("the zip of the native files does not open: {e:?}"),
        }
    }
}

/// Asserts the invariants of one imported document.
pub fn check_document(doc: &AnnotatedDocument) {
    let text = &doc.document.text;
    let len = cp_len(text);
    let mut ids = HashSet::new();
    for s in doc.spans() {
        assert!(ids.insert(s.id.as_str()), "span id {:?} repeats", s.id);
        assert!(
            s.start < s.end && s.end <= len,
            "span {:?} has offsets {}..{} in a text of {len} code points",
            s.id,
            s.start,
            s.end
        );
        assert_eq!(
            slice_cp(text, s.start, s.end),
            Some(s.text.as_str()),
            "span {:?}: its text is not its slice",
            s.id
        );
        if let Err(e) = check_range(text, s.start, s.end) {
            panic!("span {:?} ({}..{}): {e}", s.id, s.start, s.end);
        }
        assert!(
            doc.schema.label(&s.label).is_some(),
            "span {:?}: label {:?} is not in the schema",
            s.id,
            s.label
        );
    }
    let mut relation_ids = HashSet::new();
    for r in &doc.relations {
        assert!(
            relation_ids.insert(r.id.as_str()),
            "relation id {:?} repeats",
            r.id
        );
        assert!(
            doc.span(&r.from).is_some() && doc.span(&r.to).is_some(),
            "relation {:?} links a span that is not there",
            r.id
        );
        assert!(
            doc.schema.relation_type(&r.kind).is_some(),
            "relation {:?}: type {:?} is not in the schema",
            r.id,
            r.kind
        );
    }
    if let Err(e) = doc.schema.check() {
        panic!("the schema breaks its rules: {e}");
    }
}

/// Asserts that the native file of `doc` reads back as `doc`.
fn round_trip_native(doc: &AnnotatedDocument) {
    let file = native::write(doc);
    match native::parse(&file) {
        Ok(back) => assert!(back == *doc, "the native file reads back different"),
        Err(e) => panic!("the native file does not read back: {e}"),
    }
}

/// Writes `docs` in `format` and opens the files again as the dispatcher does (a brat or W3C
/// file with its `.txt`), and a CoNLL or IOB2 file also aligned onto the document's text:
/// whatever that gives must not panic, and what opens must hold.
fn rewrite(format: Format, docs: &[AnnotatedDocument]) {
    let files = convert::write(format, docs);
    let schema = Schema::default();
    let as_bytes: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(name, content)| (name.clone(), content.clone().into_bytes()))
        .collect();
    if let Ok(back) = open_files(&as_bytes, &schema) {
        back.documents.iter().for_each(check_document);
    }
    // The dispatcher rebuilds a CoNLL or IOB2 text from the tokens; with the text they align.
    if let ([doc], Format::Conll | Format::Iob2) = (docs, format) {
        if let Some((_, content)) = files.first() {
            let ctx = Context {
                title: &doc.document.title,
                schema: &schema,
                text: Some(&doc.document.text),
                strict: false,
                label_names: None,
            };
            if let Ok(back) = convert::read(format, content, &ctx) {
                back.documents.iter().for_each(check_document);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_have_unique_ids() {
        for t in Target::ALL {
            assert_eq!(Target::from_id(t.id()), Some(t));
        }
    }

    #[test]
    fn inputs_split_at_the_first_nul() {
        assert_eq!(split(b"a\0b\0c"), (&b"a"[..], Some(&b"b\0c"[..])));
        assert_eq!(split(b"a"), (&b"a"[..], None));
        assert_eq!(split(b"a\0"), (&b"a"[..], Some(&b""[..])));
    }
}
