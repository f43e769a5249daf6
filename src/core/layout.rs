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

use super::model::Span;
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
    let mut spans: Vec<&SpanRef> = spans
        .iter()
        .filter(|s| s.start < end && s.end > start)
        .collect();
    spans.sort_by(|a, b| {
        a.start
            .cmp(&b.start)
            .then(b.end.cmp(&a.end))
            .then_with(|| a.id.cmp(&b.id))
    });

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
mod tests {
    use super::*;

    fn sref(id: &str, start: usize, end: usize) -> SpanRef {
        SpanRef {
            id: id.into(),
            label: "actor".into(),
            start,
            end,
            note: None,
        }
    }

    /// A compact picture of a tree: `[id:text]` for pieces, `*` marking the chip piece.
    fn show(nodes: &[Node]) -> String {
        nodes
            .iter()
            .map(|n| match n {
                Node::Text { text, .. } => text.clone(),
                Node::Piece {
                    span,
                    last,
                    children,
                    ..
                } => {
                    format!(
                        "[{span}{}:{}]",
                        if *last { "*" } else { "" },
                        show(children)
                    )
                }
            })
            .collect()
    }

    fn text_of(nodes: &[Node]) -> String {
        nodes
            .iter()
            .map(|n| match n {
                Node::Text { text, .. } => text.clone(),
                Node::Piece { children, .. } => text_of(children),
            })
            .collect()
    }

    #[test]
    fn paragraphs_keep_every_character() {
        let t = "one\r\n\r\ntwo\nthree";
        let ps = paragraphs(t);
        assert_eq!(ps.iter().map(|p| p.text.as_str()).collect::<String>(), t);
        assert_eq!(
            ps.iter().map(|p| (p.start, p.end)).collect::<Vec<_>>(),
            [(0, 5), (5, 7), (7, 11), (11, 16)]
        );
        assert!(paragraphs("").is_empty());
    }

    #[test]
    fn nested_spans_become_nested_pieces() {
        let t = "Lavrov said Kerry lied";
        let tree = paragraph_tree(
            0,
            t,
            &[sref("c", 0, 22), sref("a", 0, 6), sref("b", 12, 17)],
        );
        assert_eq!(show(&tree), "[c*:[a*:Lavrov] said [b*:Kerry] lied]");
        assert!(matches!(tree[0], Node::Piece { depth: 1, .. }));
    }

    #[test]
    fn crossing_spans_split_into_pieces_sharing_the_id() {
        let t = "abcdefghij";
        let tree = paragraph_tree(0, t, &[sref("x", 0, 6), sref("y", 3, 9)]);
        assert_eq!(show(&tree), "[x*:abc[y:def]][y*:ghi]j");
    }

    #[test]
    fn spans_are_clipped_to_the_paragraph_and_offsets_are_absolute() {
        let t = "é😀 two\n";
        let tree = paragraph_tree(10, t, &[sref("x", 5, 12), sref("y", 13, 30)]);
        assert_eq!(show(&tree), "[x*:é😀] [y:two\n]");
        match &tree[2] {
            Node::Piece {
                start,
                end,
                children,
                ..
            } => {
                assert_eq!((*start, *end), (13, 17));
                assert_eq!(
                    children[0],
                    Node::Text {
                        start: 13,
                        text: "two\n".into()
                    }
                );
            }
            other => panic!("expected a piece, got {other:?}"),
        }
    }

    /// How deep pieces nest in `nodes`.
    fn depth_of(nodes: &[Node]) -> usize {
        nodes
            .iter()
            .map(|n| match n {
                Node::Text { .. } => 0,
                Node::Piece { children, .. } => 1 + depth_of(children),
            })
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn thousands_of_nested_spans_make_a_tree_of_bounded_depth_not_unbounded_recursion() {
        // A file can nest any number of spans ([i, len - i) for every i); rendering, comparing
        // and dropping the tree recurse into it, so it must not be as deep as the file says.
        let n = 2_000;
        let t = "a".repeat(2 * n);
        let spans: Vec<SpanRef> = (0..n)
            .map(|i| sref(&format!("s{i:04}"), i, 2 * n - i))
            .collect();
        let tree = paragraph_tree(0, &t, &spans);
        assert_eq!(depth_of(&tree), MAX_DEPTH);
        assert_eq!(text_of(&tree), t);
        // The outermost spans are drawn, each with its chip.
        let s = show(&tree);
        for sp in &spans[..MAX_DEPTH] {
            assert_eq!(s.matches(&format!("[{}*:", sp.id)).count(), 1);
        }
        assert!(!s.contains(&format!("[{}", spans[MAX_DEPTH].id)));
    }

    #[test]
    fn spans_are_assigned_to_every_paragraph_they_touch() {
        let t = "ab\ncd\nef";
        let ps = paragraphs(t);
        let span = |id: &str, s, e| Span {
            id: id.into(),
            label: "place".into(),
            start: s,
            end: e,
            text: String::new(),
            note: None,
        };
        let by = spans_by_paragraph(&ps, &[span("a", 1, 4), span("b", 7, 8)]);
        let ids: Vec<Vec<&str>> = by
            .iter()
            .map(|v| v.iter().map(|s| s.id.as_str()).collect())
            .collect();
        assert_eq!(ids, [vec!["a"], vec!["a"], vec!["b"]]);
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn the_tree_reads_exactly_as_the_text(
                t in "[a-c é😀\u{301}]{1,30}",
                raw in prop::collection::vec((0usize..30, 0usize..30), 0..8),
            ) {
                let len = t.chars().count();
                let spans: Vec<SpanRef> = raw.iter().enumerate()
                    .map(|(i, &(a, b))| (i, a.min(b).min(len), a.max(b).min(len)))
                    .filter(|&(_, a, b)| a < b)
                    .map(|(i, a, b)| sref(&format!("s{i}"), a, b))
                    .collect();
                let tree = paragraph_tree(0, &t, &spans);
                prop_assert_eq!(text_of(&tree), t);
                // Every span is drawn, and its chip appears exactly once.
                let s = show(&tree);
                for sp in &spans {
                    let chip = format!("[{}*:", sp.id);
                    prop_assert_eq!(s.matches(&chip).count(), 1);
                }
            }

            /// Spans anywhere (reversed, empty, past the paragraph or the text, at any offset)
            /// never break the layout: the tree still reads as the text.
            #[test]
            fn any_spans_at_any_offsets_lay_out_without_panicking(
                t in "[a-c é😀\u{301}\n]{0,30}",
                start in 0usize..1000,
                raw in prop::collection::vec(
                    (prop_oneof![0usize..1040, any::<usize>()], prop_oneof![0usize..1040, any::<usize>()]),
                    0..8,
                ),
            ) {
                let spans: Vec<SpanRef> = raw.iter().enumerate()
                    .map(|(i, &(a, b))| sref(&format!("s{i}"), a, b))
                    .collect();
                prop_assert_eq!(text_of(&paragraph_tree(start, &t, &spans)), t.clone());
                let full: Vec<Span> = spans.iter().map(|s| Span {
                    id: s.id.clone(),
                    label: s.label.clone(),
                    start: s.start,
                    end: s.end,
                    text: String::new(),
                    note: None,
                }).collect();
                let ps = paragraphs(&t);
                prop_assert_eq!(spans_by_paragraph(&ps, &full).len(), ps.len());
            }
        }
    }
}
