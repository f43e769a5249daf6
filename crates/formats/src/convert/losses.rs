//! What a download in a format will not carry: the table of what each format carries
//! ([`carries`]) and the losses of one document, in plain English ([`losses`]).

use crate::format::Format;
use spanmark_core::{AnnotatedDocument, Span};

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
    // brat, CoNLL and IOB2 write a name's white space as `_` (their type names have none).
    if matches!(format, Format::Brat | Format::Conll | Format::Iob2) {
        let mut names: Vec<&str> = spans
            .iter()
            .map(|s| doc.schema.label_name(&s.label))
            .collect();
        if format == Format::Brat {
            names.extend(
                doc.relations
                    .iter()
                    .map(|r| doc.schema.relation_type_name(&r.kind)),
            );
        }
        names.retain(|n| n.chars().any(char::is_whitespace));
        names.sort_unstable();
        names.dedup();
        if !names.is_empty() {
            let quoted: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
            out.push(format!(
                "the spaces in {} {} ({name} writes them as _)",
                if names.len() == 1 {
                    "the name"
                } else {
                    "the names"
                },
                quoted.join(", ")
            ));
        }
    }
    // brat keeps a note on one line of the .ann file: line breaks in it become spaces.
    let multiline = spans
        .iter()
        .filter(|s| s.note.as_deref().is_some_and(|n| n.contains(['\n', '\r'])))
        .count();
    if format == Format::Brat && multiline > 0 {
        out.push(format!(
            "the line breaks of {} ({name} keeps a note on one line: they become spaces)",
            count(multiline, "note")
        ));
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

#[cfg(test)]
mod tests;
