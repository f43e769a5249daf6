//! Token-per-line formats: CoNLL 2003 and IOB2 (documented in docs/formats/conll.md and
//! docs/formats/iob2.md).
//!
//! Writing tokenizes the text into UAX #29 words (unicode-segmentation), leaves white space
//! out, and also cuts at every span boundary, so that each span is a whole run of tokens. A
//! sentence ends at each line break of the text, except one inside a span. Tags follow the IOB2
//! scheme (`B-` starts an entity, `I-` continues it, `O` is outside). Spans that nest or
//! overlap go into extra tag columns, one per layer: each span takes the first column where it
//! overlaps no span already there, so the first column holds the outermost spans.
//!
//! Neither format carries exact white space: reading lays the tokens onto the document's text
//! when it is given, and otherwise rebuilds a text (tokens joined by spaces, sentences by line
//! breaks). Relations and notes are not carried.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt::Write as _;

use unicode_segmentation::UnicodeSegmentation;

use crate::error::FormatError;
use crate::import::{bare_name, numbered_titles, Builder, Built, Collector, Context, Imported};
use spanmark_core::offsets::{cp_len, CpIndex};
use spanmark_core::AnnotatedDocument;

/// The line that starts a document.
const DOCSTART: &str = "-DOCSTART-";

/// Which of the two shapes a file has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// `token POS chunk TAG…`, space-separated.
    Conll,
    /// `token<TAB>TAG…`.
    Iob2,
}

impl Shape {
    /// How many columns come before the tags.
    fn leading(self) -> usize {
        match self {
            Shape::Conll => 3,
            Shape::Iob2 => 1,
        }
    }
}

/// One token of a document as written: code points `[start, end)` of the text.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Token<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    /// The first token of a sentence (after a line break that no span crosses).
    sentence_start: bool,
}

/// Tokenizes `doc`'s text: UAX #29 word segments without white space, also cut at every span
/// boundary; a sentence starts after a line break that lies inside no span.
fn tokens(doc: &AnnotatedDocument) -> Vec<Token<'_>> {
    let text = doc.document.text.as_str();
    let spans = doc.spans();
    let bounds: HashSet<usize> = spans.iter().flat_map(|s| [s.start, s.end]).collect();
    let words: HashSet<usize> = text.split_word_bound_indices().map(|(b, _)| b).collect();
    let mut out = Vec::new();
    let mut open: Option<(usize, usize)> = None; // (byte, code point) where the token began
    let mut pending_break = false;
    let mut covered = 0; // the largest end of the spans that start at or before `cp`
    let mut next_span = 0;
    let mut close = |open: &mut Option<(usize, usize)>, byte: usize, cp: usize, brk: &mut bool| {
        if let Some((b0, c0)) = open.take() {
            out.push(Token {
                start: c0,
                end: cp,
                text: text.get(b0..byte).unwrap_or_default(),
                sentence_start: std::mem::take(brk),
            });
        }
    };
    for (cp, (byte, c)) in text.char_indices().enumerate() {
        while let Some(s) = spans.get(next_span).filter(|s| s.start <= cp) {
            covered = covered.max(s.end);
            next_span += 1;
        }
        if c.is_whitespace() {
            close(&mut open, byte, cp, &mut pending_break);
            if (c == '\n' || c == '\r') && covered <= cp {
                pending_break = true;
            }
            continue;
        }
        if words.contains(&byte) || bounds.contains(&cp) {
            close(&mut open, byte, cp, &mut pending_break);
        }
        if open.is_none() {
            open = Some((byte, cp));
        }
    }
    close(&mut open, text.len(), cp_len(text), &mut pending_break);
    if let Some(first) = out.first_mut() {
        first.sentence_start = false;
    }
    out
}

/// The tag columns of `doc` over `tokens`: one `Vec` of tags a layer (at least one layer).
fn layers(doc: &AnnotatedDocument, tokens: &[Token]) -> Vec<Vec<String>> {
    let mut ends: Vec<usize> = Vec::new();
    let mut columns: Vec<Vec<String>> = Vec::new();
    for span in doc.spans() {
        let k = match ends.iter().position(|&e| e <= span.start) {
            Some(k) => k,
            None => {
                ends.push(0);
                columns.push(vec!["O".to_owned(); tokens.len()]);
                ends.len() - 1
            }
        };
        if let Some(e) = ends.get_mut(k) {
            *e = span.end;
        }
        let label = doc
            .schema
            .label(&span.label)
            .map_or(span.label.as_str(), |l| l.name.as_str());
        let label = bare_name(label);
        let first = tokens.partition_point(|t| t.start < span.start);
        let Some(column) = columns.get_mut(k) else {
            continue;
        };
        for (i, t) in tokens.iter().enumerate().skip(first) {
            if t.end > span.end {
                break;
            }
            if let Some(tag) = column.get_mut(i) {
                let prefix = if i == first { "B" } else { "I" };
                *tag = format!("{prefix}-{label}");
            }
        }
    }
    if columns.is_empty() {
        columns.push(vec!["O".to_owned(); tokens.len()]);
    }
    columns
}

/// Writes documents in `shape`; `docstart` says whether each document begins with a
/// `-DOCSTART-` line and a blank line.
fn write(docs: &[AnnotatedDocument], shape: Shape, docstart: bool) -> String {
    let tokenized: Vec<(Vec<Token>, Vec<Vec<String>>)> = docs
        .iter()
        .map(|d| {
            let t = tokens(d);
            let l = layers(d, &t);
            (t, l)
        })
        .collect();
    let width = tokenized.iter().map(|(_, l)| l.len()).max().unwrap_or(1);
    let sep = match shape {
        Shape::Conll => " ",
        Shape::Iob2 => "\t",
    };
    let mut out = String::new();
    for (tokens, layers) in &tokenized {
        if docstart {
            out.push_str(DOCSTART);
            if shape == Shape::Conll {
                out.push_str(" -X- -X-");
            }
            for _ in 0..width {
                out.push_str(sep);
                out.push('O');
            }
            out.push_str("\n\n");
        }
        for (i, token) in tokens.iter().enumerate() {
            if token.sentence_start {
                out.push('\n');
            }
            out.push_str(token.text);
            if shape == Shape::Conll {
                out.push_str(" _ _");
            }
            for k in 0..width {
                let tag = layers
                    .get(k)
                    .and_then(|l| l.get(i))
                    .map_or("O", String::as_str);
                let _ = write!(out, "{sep}{tag}");
            }
            out.push('\n');
        }
        if !tokens.is_empty() {
            out.push('\n');
        }
    }
    out
}

/// Writes documents as CoNLL 2003 columns: `-DOCSTART- -X- -X- O` and a blank line at each
/// document's start, then `token _ _ TAG` a line (`_` stands for the part-of-speech and chunk
/// tags Spanmark does not have), a blank line after each sentence. Nested or overlapping spans
/// add tag columns.
pub fn write_conll(docs: &[AnnotatedDocument]) -> String {
    write(docs, Shape::Conll, true)
}

/// Writes documents as IOB2: `token<TAB>TAG` a line, a blank line after each sentence; nested
/// or overlapping spans add tag columns. Several documents are separated by `-DOCSTART-` lines
/// (one document is written without).
pub fn write_iob2(docs: &[AnnotatedDocument]) -> String {
    write(docs, Shape::Iob2, docs.len() > 1)
}

/// A token line as read.
struct RawToken<'a> {
    line: usize,
    text: &'a str,
    tags: Vec<&'a str>,
    sentence_start: bool,
}

/// A document as read: its `-DOCSTART-` line (if any) and its tokens.
#[derive(Default)]
struct RawDoc<'a> {
    line: Option<usize>,
    tokens: Vec<RawToken<'a>>,
}

/// A tag, read.
enum Tag<'a> {
    Outside,
    Begin(&'a str),
    Inside(&'a str),
}

fn tag(s: &str) -> Option<Tag<'_>> {
    if s == "O" {
        return Some(Tag::Outside);
    }
    let (prefix, label) = s.split_once('-')?;
    if label.is_empty() {
        return None;
    }
    match prefix {
        "B" => Some(Tag::Begin(label)),
        "I" => Some(Tag::Inside(label)),
        _ => None,
    }
}

/// An entity read from the tags: a label over tokens `first..=last`.
struct Entity<'a> {
    label: &'a str,
    first: usize,
    last: usize,
}

fn parse(input: &str, ctx: &Context, shape: Shape) -> Result<Imported, FormatError> {
    let mut collector = Collector::default();
    let mut docs: Vec<RawDoc> = vec![RawDoc::default()];
    let mut pending_break = false;
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    for (i, raw) in input.split('\n').enumerate() {
        let n = i + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let fields: Vec<&str> = raw.split([' ', '\t']).filter(|f| !f.is_empty()).collect();
        let Some(&token) = fields.first() else {
            pending_break = true;
            continue;
        };
        // A token of nothing but white space (a no-break space, say) stands for no text.
        if token.chars().all(char::is_whitespace) {
            continue;
        }
        if token == DOCSTART {
            if docs.last().is_some_and(|d| !d.tokens.is_empty()) {
                docs.push(RawDoc::default());
            }
            if let Some(d) = docs.last_mut() {
                d.line = Some(n);
            }
            pending_break = true;
            continue;
        }
        let leading = shape.leading();
        if fields.len() <= leading {
            collector.problem(
                format!("line {n}"),
                match shape {
                    Shape::Conll => "expected `token POS chunk TAG` (at least four columns)",
                    Shape::Iob2 => "expected `token<TAB>TAG` (a token and at least one tag)",
                },
            );
            continue;
        }
        let tags: Vec<&str> = fields.iter().skip(leading).copied().collect();
        if let Some(bad) = tags.iter().find(|t| tag(t).is_none()) {
            collector.problem(
                format!("line {n}"),
                format!("the tag {bad:?} is neither O nor B- or I- followed by a label"),
            );
            continue;
        }
        if let Some(d) = docs.last_mut() {
            d.tokens.push(RawToken {
                line: n,
                text: token,
                tags,
                sentence_start: std::mem::take(&mut pending_break),
            });
        }
    }
    docs.retain(|d| !d.tokens.is_empty());
    if ctx.text.is_some() && docs.len() > 1 {
        let at = docs.get(1).and_then(|d| d.line).unwrap_or(1);
        collector.problem(
            format!("line {at}"),
            "the file holds more than one document (-DOCSTART-) but only one text was given",
        );
        return collector.finish();
    }
    for doc in &docs {
        collector.push(build(doc, ctx));
    }
    let mut result = collector.finish()?;
    numbered_titles(&mut result.documents);
    Ok(result)
}

/// Code-point ranges of `tokens` laid onto `text` in order, skipping white space between them.
fn align(b: &mut Builder, tokens: &[RawToken], text: &str) -> Option<Vec<(usize, usize)>> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut rest = text;
    let mut cp = 0;
    for t in tokens {
        // Only the white space skipped is counted: counting what is left of the text at each
        // token made aligning onto a long text quadratic.
        let trimmed = rest.trim_start();
        cp += cp_len(rest.get(..rest.len() - trimmed.len()).unwrap_or_default());
        rest = trimmed;
        match rest.strip_prefix(t.text) {
            Some(after) => {
                let len = cp_len(t.text);
                out.push((cp, cp + len));
                cp += len;
                rest = after;
            }
            None => {
                let found: String = rest.chars().take(cp_len(t.text).max(1)).collect();
                b.problem(
                    format!("line {}", t.line),
                    format!(
                        "the token {:?} does not match the text at code point {cp}, which holds {found:?}",
                        t.text
                    ),
                );
                return None;
            }
        }
    }
    let trimmed = rest.trim_start();
    if !trimmed.is_empty() {
        let found: String = trimmed.chars().take(20).collect();
        let line = tokens.last().map_or(1, |t| t.line);
        b.problem(
            format!("line {line}"),
            format!("the text goes on after the last token: {found:?}…"),
        );
        return None;
    }
    Some(out)
}

/// A text rebuilt from the tokens (joined by spaces, sentences by line breaks) and their ranges.
fn rebuild(tokens: &[RawToken]) -> (String, Vec<(usize, usize)>) {
    let mut text = String::new();
    let mut ranges = Vec::with_capacity(tokens.len());
    let mut cp = 0;
    for (i, t) in tokens.iter().enumerate() {
        if i > 0 {
            text.push(if t.sentence_start { '\n' } else { ' ' });
            cp += 1;
        }
        text.push_str(t.text);
        let len = cp_len(t.text);
        ranges.push((cp, cp + len));
        cp += len;
    }
    (text, ranges)
}

/// The entities of tag column `k`, and the tags `I-` that began one (line, tag).
fn entities<'a>(tokens: &[RawToken<'a>], k: usize) -> (Vec<Entity<'a>>, Vec<(usize, &'a str)>) {
    let mut out = Vec::new();
    let mut iob1 = Vec::new();
    let mut open: Option<Entity<'a>> = None;
    for (i, t) in tokens.iter().enumerate() {
        if t.sentence_start {
            out.extend(open.take());
        }
        let raw = t.tags.get(k).copied().unwrap_or("O");
        match tag(raw) {
            Some(Tag::Inside(label)) if open.as_ref().is_some_and(|e| e.label == label) => {
                if let Some(e) = open.as_mut() {
                    e.last = i;
                }
            }
            Some(Tag::Inside(label)) => {
                out.extend(open.take());
                iob1.push((t.line, raw));
                open = Some(Entity {
                    label,
                    first: i,
                    last: i,
                });
            }
            Some(Tag::Begin(label)) => {
                out.extend(open.take());
                open = Some(Entity {
                    label,
                    first: i,
                    last: i,
                });
            }
            Some(Tag::Outside) | None => out.extend(open.take()),
        }
    }
    out.extend(open);
    (out, iob1)
}

fn build(doc: &RawDoc, ctx: &Context) -> Built {
    // The text the ranges are in; the builder checks that its document's text agrees.
    let (mut b, text, ranges) = match ctx.text {
        Some(text) => {
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            let mut b = Builder::within(ctx.title, text, ctx);
            let ranges = align(&mut b, &doc.tokens, text);
            (b, Cow::Borrowed(text), ranges)
        }
        None => {
            let (text, ranges) = rebuild(&doc.tokens);
            let b = Builder::within(ctx.title, &text, ctx);
            (b, Cow::Owned(text), Some(ranges))
        }
    };
    let Some(ranges) = ranges else {
        return b.finish();
    };
    let width = doc.tokens.iter().map(|t| t.tags.len()).max().unwrap_or(1);
    // Slicing from the start of the text for every entity made a long file quadratic.
    let index = CpIndex::new(&text);
    let mut iob1 = Vec::new();
    for k in 0..width {
        let (found, started) = entities(&doc.tokens, k);
        iob1.extend(started);
        for e in found {
            let (Some(&(start, _)), Some(&(_, end)), Some(t)) = (
                ranges.get(e.first),
                ranges.get(e.last),
                doc.tokens.get(e.first),
            ) else {
                continue;
            };
            let expected = index.slice(&text, start, end);
            b.span(&format!("line {}", t.line), start, end, e.label, expected);
        }
    }
    iob1.sort_unstable();
    if let Some(&(line, raw)) = iob1.first() {
        let more = match iob1.len() {
            1 => String::new(),
            n => format!("; {} such tags in this document, all read the same way", n),
        };
        b.warn(
            format!("line {line}"),
            format!("{raw} does not continue an entity, so it starts one (IOB1 style){more}"),
        );
    }
    b.finish()
}

/// Reads CoNLL 2003 columns (`token POS chunk TAG…`, space-separated; the tags are the fourth
/// column and any after it, one layer each). `-DOCSTART-` lines start documents, blank lines
/// end sentences. With `ctx.text` the tokens are laid onto that text (one document only);
/// without it the text is rebuilt from the tokens.
pub fn parse_conll(input: &str, ctx: &Context) -> Result<Imported, FormatError> {
    parse(input, ctx, Shape::Conll)
}

/// Reads IOB2 (`token<TAB>TAG…`: every column after the token is a tag layer); otherwise as
/// [`parse_conll`].
pub fn parse_iob2(input: &str, ctx: &Context) -> Result<Imported, FormatError> {
    parse(input, ctx, Shape::Iob2)
}

#[cfg(test)]
mod tests;
