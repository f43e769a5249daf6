//! Render layout: paragraphs and, inside each, a tree of text runs and span pieces.
//!
//! The text is split into paragraphs after each `\n` (the line break stays in its paragraph, so
//! the paragraphs concatenate to the exact text). Inside a paragraph a boundary sweep over span
//! starts and ends gives runs covered by one set of spans; runs that share their outer spans are
//! merged into nested pieces. Nested spans thus become nested elements, and a span that crosses
//! another (or a line break) is split into pieces that share its id.
//!
//! Pieces nest at most [`MAX_DEPTH`] deep, since everything that walks the tree (rendering,
//! comparing, dropping it) recurses into it: where a file has more spans over one run of text,
//! the outermost ones are drawn there (the others stay in the document and its lists).

use super::model::{in_span_order, permuted, Span};
use super::offsets::cp_to_byte;

/// A line of the document, `[start, end)` in code points, with its line break.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// How many pieces a paragraph's render tree nests at most.
pub const MAX_DEPTH: usize = 32;

/// The parts of a span that layout needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpanRef {
    pub id: String,
    pub label: String,
    pub start: usize,
    pub end: usize,
    pub note: Option<String>,
}

impl SpanRef {
    /// Whether this describes `s` exactly.
    pub fn is(&self, s: &Span) -> bool {
        self.start == s.start
            && self.end == s.end
            && self.id == s.id
            && self.label == s.label
            && self.note == s.note
    }
}

impl From<&Span> for SpanRef {
    fn from(s: &Span) -> Self {
        SpanRef {
            id: s.id.clone(),
            label: s.label.clone(),
            start: s.start,
            end: s.end,
            note: s.note.clone(),
        }
    }
}

/// One node of a paragraph's render tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// Plain text starting at code point `start`.
    Text { start: usize, text: String },
    /// A piece `[start, end)` of span `span`.
    Piece {
        span: String,
        label: String,
        start: usize,
        end: usize,
        /// This piece ends where the span ends: the label chip goes here.
        last: bool,
        /// How many levels of pieces this one contains (0: none), to stack underlines.
        depth: usize,
        /// The span's note, shown on hover.
        note: Option<String>,
        children: Vec<Node>,
    },
}

/// Splits `text` into paragraphs after each `\n`.
pub fn paragraphs(text: &str) -> Vec<Paragraph> {
    let mut start = 0;
    text.split_inclusive('\n')
        .map(|line| {
            let len = line.chars().count();
            let p = Paragraph {
                start,
                end: start + len,
                text: line.to_owned(),
            };
            start += len;
            p
        })
        .collect()
}

/// The index of the paragraph holding code point `cp` (the last one for the end of the text).
pub fn paragraph_at(paragraphs: &[Paragraph], cp: usize) -> usize {
    paragraphs
        .partition_point(|p| p.end <= cp)
        .min(paragraphs.len().saturating_sub(1))
}

/// For each paragraph, the spans that overlap it. `spans` must be sorted by start.
pub fn spans_by_paragraph(paragraphs: &[Paragraph], spans: &[Span]) -> Vec<Vec<SpanRef>> {
    span_refs_by_paragraph(paragraphs, spans)
        .into_iter()
        .map(|v| v.into_iter().map(SpanRef::from).collect())
        .collect()
}

/// For each paragraph, the spans that overlap it, borrowed (nothing is copied: an edit compares
/// these with what each paragraph shows). `spans` must be sorted by start.
pub fn span_refs_by_paragraph<'a>(
    paragraphs: &[Paragraph],
    spans: &'a [Span],
) -> Vec<Vec<&'a Span>> {
    let mut out = vec![Vec::new(); paragraphs.len()];
    for span in spans {
        let first = paragraphs.partition_point(|p| p.end <= span.start);
        for (slot, p) in out.iter_mut().zip(paragraphs).skip(first) {
            if p.start >= span.end {
                break;
            }
            slot.push(span);
        }
    }
    out
}

struct Open<'a> {
    span: &'a SpanRef,
    start: usize,
    children: Vec<Node>,
}

fn close(open: Open<'_>, at: usize) -> Node {
    let depth = open
        .children
        .iter()
        .map(|c| match c {
            Node::Piece { depth, .. } => depth + 1,
            Node::Text { .. } => 0,
        })
        .max()
        .unwrap_or(0);
    Node::Piece {
        span: open.span.id.clone(),
        label: open.span.label.clone(),
        start: open.start,
        end: at,
        last: at == open.span.end,
        depth,
        note: open.span.note.clone(),
        children: open.children,
    }
}

/// The render tree of one paragraph (`start` is its first code point) given the spans overlapping it.
pub fn paragraph_tree(start: usize, text: &str, spans: &[SpanRef]) -> Vec<Node> {
    let end = start + text.chars().count();
    let spans: Vec<&SpanRef> = spans
        .iter()
        .filter(|s| s.start < end && s.end > start)
        .collect();
    let order = in_span_order(spans.iter().map(|s| (s.start, s.end, s.id.as_str())));
    let spans = permuted(spans, &order);

    let mut cuts: Vec<usize> = vec![start, end];
    for s in &spans {
        cuts.push(s.start.max(start));
        cuts.push(s.end.min(end));
    }
    cuts.sort_unstable();
    cuts.dedup();

    let mut root: Vec<Node> = Vec::new();
    let mut stack: Vec<Open<'_>> = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let covering: Vec<&SpanRef> = spans
            .iter()
            .copied()
            .filter(|s| s.start <= a && s.end >= b)
            .take(MAX_DEPTH)
            .collect();
        let common = stack
            .iter()
            .zip(&covering)
            .take_while(|(o, c)| std::ptr::eq(o.span, **c))
            .count();
        while stack.len() > common {
            let Some(open) = stack.pop() else { break };
            let node = close(open, a);
            stack
                .last_mut()
                .map_or(&mut root, |o| &mut o.children)
                .push(node);
        }
        for s in &covering[common..] {
            stack.push(Open {
                span: s,
                start: a,
                children: Vec::new(),
            });
        }
        let slice = &text[cp_to_byte(text, a - start)..cp_to_byte(text, b - start)];
        let run = Node::Text {
            start: a,
            text: slice.to_owned(),
        };
        stack
            .last_mut()
            .map_or(&mut root, |o| &mut o.children)
            .push(run);
    }
    while let Some(open) = stack.pop() {
        let node = close(open, end);
        stack
            .last_mut()
            .map_or(&mut root, |o| &mut o.children)
            .push(node);
    }
    root
}

#[cfg(test)]
mod tests;
