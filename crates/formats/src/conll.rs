//! Token-per-line formats: CoNLL 2003 and IOB2 (documented in docs/formats/conll.md and
//! docs/formats/iob2.md).
//!
//! Writing tokenizes the text into UAX #29 words (unicode-segmentation), leaves white space
//! out, and also cuts at every span boundary, so that each span is a whole run of tokens. A
//! sentence ends at each line break of the text, except one inside a span. Tags follow the IOB2
//! scheme (`B-` starts an entity, `I-` continues it, `O` is outside) or, asked for, BIOES
//! ([`Scheme`]). Spans that nest or overlap go into extra tag columns, one per layer: each span
//! takes the first column where it overlaps no span already there, so the first column holds
//! the outermost spans.
//!
//! Reading takes every tag scheme (IOB1, IOB2, BIOES, BILOU) with no option; the `tags` module
//! says how. Every entity of the file is read, or named in a warning as skipped; a tag sequence
//! the file's scheme does not write is read leniently and named in a warning with its line.
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
use tags::{Family, Odd, Read, Tagged, Walk};

pub use tags::Scheme;

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

/// The tag columns of `doc` over `tokens` in `scheme`: one `Vec` of tags a layer (at least one
/// layer).
fn layers(doc: &AnnotatedDocument, tokens: &[Token], scheme: Scheme) -> Vec<Vec<String>> {
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
        let n = tokens
            .iter()
            .skip(first)
            .take_while(|t| t.end <= span.end)
            .count();
        for (j, tag) in column.iter_mut().skip(first).take(n).enumerate() {
            *tag = format!("{}-{label}", scheme.prefix(j, n));
        }
    }
    if columns.is_empty() {
        columns.push(vec!["O".to_owned(); tokens.len()]);
    }
    columns
}

/// Writes documents in `shape` with the tags of `scheme`; `docstart` says whether each
/// document begins with a `-DOCSTART-` line and a blank line.
fn write(docs: &[AnnotatedDocument], shape: Shape, scheme: Scheme, docstart: bool) -> String {
    let tokenized: Vec<(Vec<Token>, Vec<Vec<String>>)> = docs
        .iter()
        .map(|d| {
            let t = tokens(d);
            let l = layers(d, &t, scheme);
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
/// add tag columns. Tags are IOB2 ([`write_conll_with`] writes another scheme).
pub fn write_conll(docs: &[AnnotatedDocument]) -> String {
    write_conll_with(docs, Scheme::Iob2)
}

/// As [`write_conll`], with the tags of `scheme`.
pub fn write_conll_with(docs: &[AnnotatedDocument], scheme: Scheme) -> String {
    write(docs, Shape::Conll, scheme, true)
}

/// Writes documents as IOB2: `token<TAB>TAG` a line, a blank line after each sentence; nested
/// or overlapping spans add tag columns. Several documents are separated by `-DOCSTART-` lines
/// (one document is written without). Tags are IOB2 ([`write_iob2_with`] writes another
/// scheme in the same shape).
pub fn write_iob2(docs: &[AnnotatedDocument]) -> String {
    write_iob2_with(docs, Scheme::Iob2)
}

/// As [`write_iob2`], with the tags of `scheme`.
pub fn write_iob2_with(docs: &[AnnotatedDocument], scheme: Scheme) -> String {
    write(docs, Shape::Iob2, scheme, docs.len() > 1)
}

/// A token line as read.
struct RawToken<'a> {
    line: usize,
    text: &'a str,
    tags: Vec<&'a str>,
    sentence_start: bool,
    /// A token of nothing but white space (a no-break space, say): it stands for no text,
    /// but its tags are read.
    blank: bool,
}

impl<'a> Tagged<'a> for RawToken<'a> {
    fn line(&self) -> usize {
        self.line
    }

    fn tag_at(&self, k: usize) -> &'a str {
        self.tags.get(k).copied().unwrap_or("O")
    }

    fn starts_sentence(&self) -> bool {
        self.sentence_start
    }
}

/// A document as read: its `-DOCSTART-` line (if any) and its tokens.
#[derive(Default)]
struct RawDoc<'a> {
    line: Option<usize>,
    tokens: Vec<RawToken<'a>>,
}

impl RawDoc<'_> {
    /// Whether line `n` is one of this document's token lines (or between them).
    fn holds(&self, n: usize) -> bool {
        match (self.tokens.first(), self.tokens.last()) {
            (Some(first), Some(last)) => first.line <= n && n <= last.line,
            _ => false,
        }
    }
}

/// The columns of a line: separated by spaces or tabs.
fn fields(raw: &str) -> Vec<&str> {
    let raw = raw.strip_suffix('\r').unwrap_or(raw);
    raw.split([' ', '\t']).filter(|f| !f.is_empty()).collect()
}

/// What stands for "no value" in the part-of-speech and chunk columns.
const PLACEHOLDERS: [&str; 3] = ["_", "-X-", "-"];

fn parse(input: &str, ctx: &Context, shape: Shape) -> Result<Imported, FormatError> {
    let mut collector = Collector::default();
    let mut docs: Vec<RawDoc> = vec![RawDoc::default()];
    let mut pending_break = false;
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    // A `.conll` file of `token TAG` lines only (as many tools write it) has no part-of-speech
    // and chunk columns.
    let leading = match shape {
        Shape::Conll
            if input.split('\n').all(|raw| {
                let f = fields(raw);
                f.len() <= 2 || f.first() == Some(&DOCSTART)
            }) =>
        {
            1
        }
        _ => shape.leading(),
    };
    // The first line of a BIOES (`E-`, `S-`) and of a BILOU (`L-`, `U-`) tag, and of a
    // part-of-speech or chunk column that holds a value.
    let mut first_bioes = None;
    let mut first_bilou = None;
    let mut first_pos = None;
    for (i, raw) in input.split('\n').enumerate() {
        let n = i + 1;
        let fields = fields(raw);
        let Some(&token) = fields.first() else {
            pending_break = true;
            continue;
        };
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
        let blank = token.chars().all(char::is_whitespace);
        if fields.len() <= leading {
            // A token of only white space with no tag carries nothing.
            if blank {
                continue;
            }
            collector.problem(
                format!("line {n}"),
                match (shape, leading) {
                    (Shape::Conll, 1) => "expected `token TAG`, as on the file's other lines",
                    (Shape::Conll, _) => "expected `token POS chunk TAG` (at least four columns)",
                    (Shape::Iob2, _) => "expected `token<TAB>TAG` (a token and at least one tag)",
                },
            );
            continue;
        }
        let tags: Vec<&str> = fields.iter().skip(leading).copied().collect();
        if let Some(bad) = tags.iter().find(|t| tags::tag(t).is_none()) {
            collector.problem(
                format!("line {n}"),
                format!(
                    "the tag {bad:?} is neither O nor B-, I-, E-, S-, L- or U- followed by a label"
                ),
            );
            continue;
        }
        for t in &tags {
            match tags::family(t) {
                Some(Family::Bioes) => {
                    first_bioes.get_or_insert(n);
                }
                Some(Family::Bilou) => {
                    first_bilou.get_or_insert(n);
                }
                None => {}
            }
        }
        if leading == 3
            && first_pos.is_none()
            && fields
                .get(1..3)
                .is_some_and(|f| f.iter().any(|v| !PLACEHOLDERS.contains(v)))
        {
            first_pos = Some(n);
        }
        if let Some(d) = docs.last_mut() {
            d.tokens.push(RawToken {
                line: n,
                text: token,
                tags,
                sentence_start: std::mem::take(&mut pending_break),
                blank,
            });
        }
    }
    let ending = first_bioes.is_some() || first_bilou.is_some();
    let mut walks: Vec<Walk> = Vec::with_capacity(docs.len());
    let mut kept = Vec::with_capacity(docs.len());
    for doc in docs {
        let width = doc.tokens.iter().map(|t| t.tags.len()).max().unwrap_or(1);
        let mut walk = Walk::new(ending);
        for k in 0..width {
            walk.column(&doc.tokens, k);
        }
        if doc.tokens.iter().all(|t| t.blank) {
            // No text to lay the entities on: each is named.
            for e in &walk.entities {
                let line = doc.tokens.get(e.first).map_or(0, |t| t.line);
                collector.skip(
                    format!("line {line}"),
                    format!("the {} entity tags only tokens of white space", e.label),
                );
            }
            continue;
        }
        kept.push(doc);
        walks.push(walk);
    }
    if ctx.text.is_some() && kept.len() > 1 {
        let at = kept.get(1).and_then(|d| d.line).unwrap_or(1);
        collector.problem(
            format!("line {at}"),
            "the file holds more than one document (-DOCSTART-) but only one text was given",
        );
        return collector.finish();
    }
    let read = Read::of(
        walks.iter().any(|w| w.fresh_begin),
        first_bioes.is_some(),
        first_bilou.is_some(),
    );
    // Warnings about the file as a whole, each given to the document its line is in.
    let mut whole: Vec<(usize, String)> = Vec::new();
    if let (Some(e), Some(l)) = (first_bioes, first_bilou) {
        whole.push((
            e.max(l),
            format!(
                "the file mixes BIOES tags (E-, S-; first at line {e}) and BILOU tags (L-, U-; \
                 first at line {l}): both are read, E- as L- and S- as U-"
            ),
        ));
    }
    if let Some(n) = first_pos {
        whole.push((
            n,
            "the part-of-speech and chunk columns (the second and third) are not kept".to_owned(),
        ));
    }
    // (A line in no document kept, as in one of only white-space tokens, goes to the first.)
    let owner = |n: usize| kept.iter().position(|d| d.holds(n)).unwrap_or(0);
    let owners: Vec<usize> = whole.iter().map(|(n, _)| owner(*n)).collect();
    for (i, (doc, walk)) in kept.iter().zip(&walks).enumerate() {
        let mut warnings: Vec<(usize, String)> = whole
            .iter()
            .zip(&owners)
            .filter(|(_, &o)| o == i)
            .map(|(w, _)| w.clone())
            .collect();
        warnings.extend(odd_warnings(walk, read));
        collector.push(build(doc, walk, &warnings, ctx));
    }
    let mut result = collector.finish()?;
    numbered_titles(&mut result.documents);
    Ok(result)
}

/// How many lines a grouped warning lists.
const LISTED_LINES: usize = 10;

/// The warnings of a document's odd tag sequences that `read` warns of: one per kind, at its
/// first line, saying how many more there are and where.
fn odd_warnings(walk: &Walk, read: Read) -> Vec<(usize, String)> {
    let mut groups: [Vec<&Odd>; 4] = Default::default();
    for odd in walk.odd.iter().filter(|o| read.warns(o)) {
        if let Some(g) = groups.get_mut(odd.group()) {
            g.push(odd);
        }
    }
    let mut out = Vec::new();
    for group in &mut groups {
        group.sort_by_key(|o| o.line());
        let Some(first) = group.first() else { continue };
        let mut message = first.message(read.families());
        let more = group.len() - 1;
        if more > 0 {
            let what = match (first, more) {
                (Odd::Unended { .. }, 1) => "entity",
                (Odd::Unended { .. }, _) => "entities",
                (_, 1) => "tag",
                _ => "tags",
            };
            let lines = if more == 1 { "line" } else { "lines" };
            let listed: Vec<String> = group
                .iter()
                .skip(1)
                .take(LISTED_LINES)
                .map(|o| o.line().to_string())
                .collect();
            let listed = listed.join(", ");
            let rest = if more > LISTED_LINES { ", …" } else { "" };
            let _ = write!(
                message,
                "; {more} more such {what} in this document, read the same way ({lines} {listed}{rest})"
            );
        }
        out.push((first.line(), message));
    }
    out.sort_by_key(|(n, _)| *n);
    out
}

/// Code-point ranges of `tokens` laid onto `text` in order, skipping white space between them
/// (a token of only white space gets the empty range where it stands).
fn align(b: &mut Builder, tokens: &[RawToken], text: &str) -> Option<Vec<(usize, usize)>> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut rest = text;
    let mut cp = 0;
    for t in tokens {
        if t.blank {
            out.push((cp, cp));
            continue;
        }
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

/// A text rebuilt from the tokens (joined by spaces, sentences by line breaks) and their ranges
/// (a token of only white space is left out, with the empty range where it stands).
fn rebuild(tokens: &[RawToken]) -> (String, Vec<(usize, usize)>) {
    let mut text = String::new();
    let mut ranges = Vec::with_capacity(tokens.len());
    let mut cp = 0;
    let mut pending_break = false;
    for t in tokens {
        pending_break |= t.sentence_start;
        if t.blank {
            ranges.push((cp, cp));
            continue;
        }
        if !text.is_empty() {
            text.push(if pending_break { '\n' } else { ' ' });
            cp += 1;
        }
        pending_break = false;
        text.push_str(t.text);
        let len = cp_len(t.text);
        ranges.push((cp, cp + len));
        cp += len;
    }
    (text, ranges)
}

fn build(doc: &RawDoc, walk: &Walk, warnings: &[(usize, String)], ctx: &Context) -> Built {
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
    for (n, message) in warnings {
        b.warn(format!("line {n}"), message.as_str());
    }
    // Slicing from the start of the text for every entity made a long file quadratic.
    let index = CpIndex::new(&text);
    for e in &walk.entities {
        let line = doc.tokens.get(e.first).map_or(0, |t| t.line);
        let at = format!("line {line}");
        // The entity's extent: from its first token with text to its last.
        let mut extent = (e.first..=e.last)
            .filter(|&i| doc.tokens.get(i).is_some_and(|t| !t.blank))
            .filter_map(|i| ranges.get(i));
        let Some(&(start, mut end)) = extent.next() else {
            b.skip(
                at,
                format!("the {} entity tags only tokens of white space", e.label),
            );
            continue;
        };
        if let Some(&(_, last)) = extent.next_back() {
            end = last;
        }
        let expected = index.slice(&text, start, end);
        b.span(&at, start, end, e.label, expected);
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

mod tags;

#[cfg(test)]
mod tests;
