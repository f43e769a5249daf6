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

#[test]
fn the_paragraph_at_an_offset() {
    let ps = paragraphs("ab\ncd\n");
    assert_eq!(paragraph_at(&ps, 0), 0);
    assert_eq!(paragraph_at(&ps, 2), 0);
    assert_eq!(paragraph_at(&ps, 3), 1);
    assert_eq!(paragraph_at(&ps, 6), 1);
}
