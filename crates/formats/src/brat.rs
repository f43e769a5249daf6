//! brat standoff (documented in docs/formats/brat.md): the `.ann` file beside a document's `.txt`.
//!
//! An `.ann` file has one annotation a line, its id and fields separated by tabs:
//! `T1\tActor 0 5\tKerry` (a text-bound annotation), `R1\tsaid_by Arg1:T2 Arg2:T1` (a relation),
//! `#1\tAnnotatorNotes T1\tnote` (a note), `A1\tNegated T1` (an attribute) and the kinds Spanmark
//! keeps no equivalent of (events `E`, normalizations `N`, equivalences `*`, skipped with a
//! warning each). Offsets count Unicode code points of the `.txt`, as Python 3 strings do — the
//! same as Spanmark.
//!
//! brat cannot write a line break inside an annotation line, so a span whose text crosses a
//! line break is written as discontinuous fragments around the break; reading joins such
//! fragments back into one span. Other discontinuous annotations become one span per fragment,
//! with a warning.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::error::FormatError;
use crate::import::{bare_name, Builder, Context, Imported};
use spanmark_core::offsets::cp_len;
use spanmark_core::AnnotatedDocument;

/// What an annotation id's first character says it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Text,
    Relation,
    Event,
    Attribute,
    Note,
    Normalization,
    Equivalence,
}

impl Kind {
    fn of(id: &str) -> Option<Kind> {
        Some(match id.chars().next()? {
            'T' => Kind::Text,
            'R' => Kind::Relation,
            'E' => Kind::Event,
            'A' | 'M' => Kind::Attribute,
            '#' => Kind::Note,
            'N' => Kind::Normalization,
            '*' => Kind::Equivalence,
            _ => return None,
        })
    }

    fn noun(self) -> &'static str {
        match self {
            Kind::Text => "a text-bound annotation",
            Kind::Relation => "a relation",
            Kind::Event => "an event",
            Kind::Attribute => "an attribute",
            Kind::Note => "a note",
            Kind::Normalization => "a normalization",
            Kind::Equivalence => "an equivalence",
        }
    }
}

/// One non-blank line of the file, split at its first tab.
struct Line<'a> {
    at: String,
    kind: Kind,
    id: &'a str,
    rest: &'a str,
}

/// What an id a line refers to turned out to be.
enum Target {
    /// A text-bound annotation, and its span (none when the span could not be made).
    Span(Option<String>),
    /// Something Spanmark does not keep (an event, a relation…).
    Other(Kind),
}

/// Reads an `.ann` file onto the document text `ctx.text` (the `.txt` of the same name).
///
/// Problems (the file is not imported): no text, a malformed line, a repeated id, an id that is
/// referred to but not defined, offsets outside the text, and an annotation whose text is not
/// the text at its offsets. Every other line is an item, read or skipped with a warning that
/// names it: events, normalizations and equivalences are skipped, and so are relations, notes
/// and attributes on anything but a text-bound annotation that was read, and empty notes;
/// attributes are read as a line of the span's note and discontinuous annotations as one span
/// a fragment, each with a warning.
pub fn parse(ann: &str, ctx: &Context) -> Result<Imported, FormatError> {
    let text = ctx.required_text(
        "a brat .ann file needs its document's text (the .txt file of the same name)",
    )?;
    // The offsets count from after a byte-order mark, which documents never keep.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut b = Builder::within(ctx.title, text, ctx);

    let ann = ann.strip_prefix('\u{feff}').unwrap_or(ann);

    // Pass 1: split the lines, note every id, and make the spans (they refer to nothing).
    let mut lines = Vec::new();
    let mut defined: HashMap<&str, (Kind, usize)> = HashMap::new();
    let mut spans: HashMap<&str, Option<String>> = HashMap::new();
    for (i, raw) in ann.split('\n').enumerate() {
        let n = i + 1;
        let at = format!("line {n}");
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.trim().is_empty() {
            continue;
        }
        let Some((id, rest)) = raw.split_once('\t') else {
            b.problem(
                at,
                "not a brat annotation: the id must be followed by a tab",
            );
            continue;
        };
        let Some(kind) = Kind::of(id).filter(|_| !id.contains(char::is_whitespace)) else {
            b.problem(
                at,
                format!(
                    "unknown annotation id {id:?} (brat ids start with T, R, E, A, M, N, # or *)"
                ),
            );
            continue;
        };
        if kind != Kind::Equivalence {
            if let Some((_, first)) = defined.get(id) {
                b.problem(
                    at,
                    format!("the id {id} is used twice (first on line {first})"),
                );
                continue;
            }
            defined.insert(id, (kind, n));
        }
        if kind == Kind::Text {
            let span = text_bound(&mut b, &at, id, rest, text);
            spans.insert(id, span);
        } else {
            lines.push(Line { at, kind, id, rest });
        }
    }

    // Pass 2: everything that refers to other annotations.
    let target = |b: &mut Builder, at: &str, what: &str, id: &str| -> Option<Target> {
        if let Some(span) = spans.get(id) {
            return Some(Target::Span(span.clone()));
        }
        match defined.get(id) {
            Some((kind, _)) => Some(Target::Other(*kind)),
            None => {
                b.problem(
                    at,
                    format!("{what} refers to {id}, which the file does not define"),
                );
                None
            }
        }
    };
    for Line { at, kind, id, rest } in lines {
        match kind {
            Kind::Text => {}
            Kind::Relation => {
                let head = rest.split('\t').next().unwrap_or_default();
                let fields: Vec<&str> = head.split_whitespace().collect();
                let args: Vec<Option<&str>> = fields
                    .iter()
                    .skip(1)
                    .map(|a| a.split_once(':').map(|(_, id)| id))
                    .collect();
                let (Some(rtype), [Some(from), Some(to)]) = (fields.first(), args.as_slice())
                else {
                    b.problem(at, "a relation must read `R1<tab>type Arg1:T1 Arg2:T2`");
                    continue;
                };
                let ends = (target(&mut b, &at, id, from), target(&mut b, &at, id, to));
                match ends {
                    (Some(Target::Span(Some(from))), Some(Target::Span(Some(to)))) => {
                        b.relation(&at, rtype, &from, &to);
                    }
                    (Some(Target::Other(k)), _) | (_, Some(Target::Other(k))) => b.skip(
                        at,
                        format!(
                            "relation {id} ({rtype}) links {}, which Spanmark does not keep; the relation is not read",
                            k.noun()
                        ),
                    ),
                    (Some(Target::Span(None)), _) => b.skip(
                        at,
                        format!(
                            "relation {id} ({rtype}) links {from}, which was not read (see its line); the relation is not read"
                        ),
                    ),
                    (_, Some(Target::Span(None))) => b.skip(
                        at,
                        format!(
                            "relation {id} ({rtype}) links {to}, which was not read (see its line); the relation is not read"
                        ),
                    ),
                    // An end that is missing has its problem recorded already.
                    _ => {}
                }
            }
            Kind::Event => {
                let head = rest.split('\t').next().unwrap_or_default();
                let kind = head
                    .split_whitespace()
                    .next()
                    .and_then(|t| t.split(':').next())
                    .unwrap_or_default();
                b.skip(
                    at,
                    format!(
                        "event {id} ({kind}) is not read: Spanmark has no events (its trigger, a text-bound annotation, is read as a span)"
                    ),
                );
            }
            Kind::Attribute => {
                let head = rest.split('\t').next().unwrap_or_default();
                let fields: Vec<&str> = head.split_whitespace().collect();
                let [name, on, values @ ..] = fields.as_slice() else {
                    b.problem(
                        at,
                        "an attribute must read `A1<tab>Name T1` or `A1<tab>Name T1 Value`",
                    );
                    continue;
                };
                match target(&mut b, &at, id, on) {
                    Some(Target::Span(Some(span))) => {
                        let line = if values.is_empty() {
                            (*name).to_owned()
                        } else {
                            format!("{name}: {}", values.join(" "))
                        };
                        b.span_note(&span, &line);
                        b.warn(
                            at,
                            format!("attribute {id} is kept as the line {line:?} of {on}'s note"),
                        );
                    }
                    Some(Target::Other(Kind::Relation)) => b.skip(
                        at,
                        format!(
                            "attribute {id} ({name}) is on relation {on}, and Spanmark's relations carry no attributes; it is not read"
                        ),
                    ),
                    Some(Target::Other(k)) => b.skip(
                        at,
                        format!(
                            "attribute {id} ({name}) is on {}, which Spanmark does not keep; it is not read",
                            k.noun()
                        ),
                    ),
                    Some(Target::Span(None)) => b.skip(
                        at,
                        format!(
                            "attribute {id} ({name}) is on {on}, which was not read (see its line); it is not read"
                        ),
                    ),
                    // A target that is missing has its problem recorded already.
                    None => {}
                }
            }
            Kind::Note => {
                let (head, note) = rest.split_once('\t').unwrap_or((rest, ""));
                let fields: Vec<&str> = head.split_whitespace().collect();
                let [_, on] = fields.as_slice() else {
                    b.problem(at, "a note must read `#1<tab>AnnotatorNotes T1<tab>text`");
                    continue;
                };
                match target(&mut b, &at, id, on) {
                    _ if note.trim().is_empty() => {
                        b.skip(at, format!("note {id} on {on} is empty: there is nothing to read"));
                    }
                    Some(Target::Span(Some(span))) => b.span_note(&span, note),
                    Some(Target::Other(Kind::Relation)) => b.skip(
                        at,
                        format!(
                            "note {id} is on relation {on}, and Spanmark's relations carry no notes; it is not read"
                        ),
                    ),
                    Some(Target::Other(k)) => b.skip(
                        at,
                        format!(
                            "note {id} is on {}, which Spanmark does not keep; it is not read",
                            k.noun()
                        ),
                    ),
                    Some(Target::Span(None)) => b.skip(
                        at,
                        format!("note {id} is on {on}, which was not read (see its line); it is not read"),
                    ),
                    // A target that is missing has its problem recorded already.
                    None => {}
                }
            }
            Kind::Normalization => {
                let head = rest.split('\t').next().unwrap_or_default();
                let fields: Vec<&str> = head.split_whitespace().collect();
                let what = match fields.as_slice() {
                    [_, on, reference, ..] => format!(" ({on} → {reference})"),
                    _ => String::new(),
                };
                b.skip(
                    at,
                    format!("normalization {id}{what} is not read: Spanmark has no normalizations"),
                );
            }
            Kind::Equivalence => {
                let members = rest
                    .split_whitespace()
                    .skip(1)
                    .collect::<Vec<_>>()
                    .join(", ");
                b.skip(
                    at,
                    format!("the equivalence of {members} is not read: Spanmark has no equivalence sets"),
                );
            }
        }
    }

    b.finish()
        .map(Imported::from)
        .map_err(FormatError::Problems)
}

/// Whether the text between two fragments is nothing but white space with a line break in it:
/// the gap the writer leaves when it splits a span at line breaks.
fn is_line_break_gap(gap: &str) -> bool {
    !gap.is_empty() && gap.chars().all(char::is_whitespace) && gap.contains(['\n', '\r'])
}

/// Reads the rest of a `T` line (`Type 0 5;7 9<tab>text`) into spans; returns the id of the span
/// that stands for `id` (the first fragment's when it is split).
fn text_bound(b: &mut Builder, at: &str, id: &str, rest: &str, text: &str) -> Option<String> {
    let Some((head, expected)) = rest.split_once('\t') else {
        b.problem(
            at,
            "a text-bound annotation must read `T1<tab>Type start end<tab>text`",
        );
        return None;
    };
    let head = head.trim();
    let Some((label, offsets)) = head.split_once(char::is_whitespace) else {
        b.problem(at, format!("{id} has a type but no offsets"));
        return None;
    };
    let mut fragments = Vec::new();
    for fragment in offsets.split(';') {
        let numbers: Vec<Option<usize>> = fragment
            .split_whitespace()
            .map(|n| n.parse::<usize>().ok())
            .collect();
        let [Some(start), Some(end)] = numbers.as_slice() else {
            b.problem(
                at,
                format!(
                    "{id}: {:?} is not a pair of offsets `start end`",
                    fragment.trim()
                ),
            );
            return None;
        };
        fragments.push((*start, *end));
    }
    let mut pieces = Vec::new();
    for &(start, end) in &fragments {
        match b.slice(start, end) {
            Some(piece) => pieces.push(piece.to_owned()),
            None => {
                b.problem(
                    at,
                    format!(
                        "{id}: offsets {start}..{end} are outside the text ({} code points)",
                        cp_len(text)
                    ),
                );
                return None;
            }
        }
    }
    let actual = pieces.join(" ");
    if actual != expected {
        b.problem(
            at,
            format!("{id}: the text is {expected:?} but its offsets hold {actual:?}"),
        );
        return None;
    }
    let (Some(&(first, _)), Some(&(_, last))) = (fragments.first(), fragments.last()) else {
        return None;
    };
    let joined = fragments.windows(2).all(|w| match w {
        [(_, end), (start, _)] => {
            end < start && b.slice(*end, *start).is_some_and(is_line_break_gap)
        }
        _ => false,
    });
    if joined {
        let whole = b.slice(first, last).map(str::to_owned);
        return b.span(at, first, last, label, whole.as_deref());
    }
    b.warn(
        at,
        format!(
            "{id} is discontinuous ({} fragments); Spanmark has no discontinuous spans, so each fragment is a span of its own, and what refers to {id} refers to the first",
            fragments.len()
        ),
    );
    let mut first_span = None;
    for ((start, end), piece) in fragments.into_iter().zip(pieces) {
        let span = b.span(at, start, end, label, Some(piece.as_str()));
        first_span = first_span.or(span);
    }
    first_span
}

/// The fragments brat can write for a span of text `text` starting at code point `start`: the
/// text split at line breaks, each piece without white space at either end, empty pieces left
/// out. Returns `(start, end, text)` triples.
fn fragments(text: &str, start: usize) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut offset = start;
    for piece in text.split(['\n', '\r']) {
        let lead = piece.chars().take_while(|c| c.is_whitespace()).count();
        let trimmed = piece.trim();
        if !trimmed.is_empty() {
            let from = offset + lead;
            out.push((from, from + cp_len(trimmed), trimmed));
        }
        offset += cp_len(piece) + 1;
    }
    out
}

/// Writes the `.ann` file of `doc` (its `.txt` is the document text exactly as it is).
///
/// Spans become `T1`, `T2`… in span order, typed by their label's name with white space
/// replaced by `_`; a span across line breaks is written as fragments around them. Relations
/// become `R1`, `R2`… typed by the relation type's name (white space as `_`), from `Arg1` to `Arg2`. Span notes become
/// `#` lines with line breaks replaced by spaces. The document note is not written.
pub fn write(doc: &AnnotatedDocument) -> String {
    let mut out = String::new();
    let mut numbers: HashMap<&str, usize> = HashMap::new();
    for (i, span) in doc.spans().iter().enumerate() {
        let n = i + 1;
        numbers.insert(span.id.as_str(), n);
        let label = doc
            .schema
            .label(&span.label)
            .map_or(span.label.as_str(), |l| l.name.as_str());
        let mut pieces = fragments(&span.text, span.start);
        if pieces.is_empty() {
            pieces.push((span.start, span.end, span.text.as_str()));
        }
        let offsets: Vec<String> = pieces.iter().map(|(s, e, _)| format!("{s} {e}")).collect();
        let texts: Vec<&str> = pieces.iter().map(|p| p.2).collect();
        let _ = writeln!(
            out,
            "T{n}\t{} {}\t{}",
            bare_name(label),
            offsets.join(";"),
            texts.join(" ")
        );
    }
    let mut r = 0;
    for rel in &doc.relations {
        let (Some(from), Some(to)) = (numbers.get(rel.from.as_str()), numbers.get(rel.to.as_str()))
        else {
            continue;
        };
        r += 1;
        let _ = writeln!(
            out,
            "R{r}\t{} Arg1:T{from} Arg2:T{to}",
            bare_name(doc.schema.relation_type_name(&rel.kind))
        );
    }
    let mut k = 0;
    for (i, span) in doc.spans().iter().enumerate() {
        let Some(note) = span.note.as_deref() else {
            continue;
        };
        let note = note.replace("\r\n", " ").replace(['\n', '\r'], " ");
        if note.trim().is_empty() {
            continue;
        }
        k += 1;
        let _ = writeln!(out, "#{k}\tAnnotatorNotes T{}\t{note}", i + 1);
    }
    out
}

#[cfg(test)]
mod tests;
