//! Reading and writing a format: [`read`] and [`write`] hand a file to its codec.

use std::collections::HashSet;

use crate::conll::Scheme;
use crate::error::FormatError;
use crate::format::Format;
use crate::import::{Context, Imported};
use crate::names::{file_name, first_unseen};
use crate::{brat, conll, doccano, label_studio, native, spacy, text, w3c};
use spanmark_core::AnnotatedDocument;

/// Reads `input`, a file in `format`, onto `ctx.schema`.
///
/// Foreign formats map their label and relation names onto `ctx.schema` (adding names it
/// lacks). A Spanmark file's schema is merged into `ctx.schema`
/// ([`spanmark_core::Schema::merged_with`]): the file's labels and relation types win, the
/// ones of `ctx.schema` the file lacks are added. Plain text becomes a document titled
/// `ctx.title`.
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
        Format::Brat => brat::parse(input, ctx),
        Format::Conll => conll::parse_conll(input, ctx),
        Format::Iob2 => conll::parse_iob2(input, ctx),
        Format::Doccano => doccano::parse(input, ctx),
        Format::LabelStudio => label_studio::parse(input, ctx),
        Format::Spacy => spacy::parse(input, ctx),
        Format::W3c => w3c::parse(input, ctx),
    }
}

/// One document read whole: every span, relation and note of it is an item read.
fn single(doc: AnnotatedDocument) -> Imported {
    let notes = doc.spans().iter().filter(|s| s.note.is_some()).count()
        + usize::from(doc.document.note.is_some());
    Imported {
        read: doc.spans().len() + doc.relations.len() + notes,
        documents: vec![doc],
        warnings: Vec::new(),
    }
}

/// Writes `docs` in `format`: a list of (file name, content).
///
/// Single-document formats give files per document — Spanmark JSON and plain text one each,
/// brat and W3C two (the `.ann` or `.jsonld`, and the `.txt` it points into), named after the
/// document's title
/// (` (2)`, ` (3)`… when titles repeat). Multi-document formats (CoNLL, IOB2, doccano,
/// Label Studio, spaCy) give one file for all, named after the title of the only document or
/// `documents` when there are several. No documents give no files.
pub fn write(format: Format, docs: &[AnnotatedDocument]) -> Vec<(String, String)> {
    write_with(format, docs, &WriteOptions::default())
}

/// How files are written besides their format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// The tag scheme of CoNLL and IOB2 files (IOB2 by default).
    pub scheme: Scheme,
}

/// [`fn@write`] as `options` say.
pub fn write_with(
    format: Format,
    docs: &[AnnotatedDocument],
    options: &WriteOptions,
) -> Vec<(String, String)> {
    if docs.is_empty() {
        return Vec::new();
    }
    let suffix = format.suffix();
    match format {
        Format::Native => per_document(docs, |d| vec![(suffix, native::write(d))]),
        Format::Text => per_document(docs, |d| vec![(suffix, d.document.text.clone())]),
        Format::Brat => per_document(docs, |d| {
            vec![(suffix, brat::write(d)), (".txt", d.document.text.clone())]
        }),
        // The text beside the annotations, as for brat: W3C selectors point into it.
        Format::W3c => per_document(docs, |d| {
            vec![(suffix, w3c::write(d)), (".txt", d.document.text.clone())]
        }),
        Format::Conll => all_documents(docs, suffix, conll::write_conll_with(docs, options.scheme)),
        Format::Iob2 => all_documents(docs, suffix, conll::write_iob2_with(docs, options.scheme)),
        Format::Doccano => all_documents(docs, suffix, doccano::write(docs)),
        Format::LabelStudio => all_documents(docs, suffix, label_studio::write(docs)),
        Format::Spacy => all_documents(docs, suffix, spacy::write(docs)),
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
        let stem = first_unseen(&mut seen, &stem, |n| format!("{stem} ({n})"));
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

#[cfg(test)]
mod tests;
