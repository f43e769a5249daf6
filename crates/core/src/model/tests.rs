use super::*;

#[test]
fn document_drops_a_bom_and_keeps_crlf() {
    let d = Document::new("t", "\u{feff}a\r\nb");
    assert_eq!(d.text, "a\r\nb");
    assert_eq!(d.id, Document::new("t", "a\r\nb").id);
    assert_ne!(d.id, Document::new("u", "a\r\nb").id);
}

#[test]
fn huge_ids_in_a_file_do_not_overflow() {
    let span = Span {
        id: format!("s{}", u64::MAX),
        label: "actor".into(),
        start: 0,
        end: 1,
        text: "a".into(),
        note: None,
    };
    let mut d = AnnotatedDocument::from_parts(
        Document::new("t", "ab"),
        Schema::default(),
        vec![span],
        vec![],
    );
    assert_eq!(d.fresh_span_id(), "s1");
    assert_eq!(d.fresh_span_id(), "s2");
}

#[test]
fn fresh_ids_continue_after_loaded_ones() {
    let span = |id: &str, s, e| Span {
        id: id.into(),
        label: "actor".into(),
        start: s,
        end: e,
        text: String::new(),
        note: None,
    };
    let mut d = AnnotatedDocument::from_parts(
        Document::new("t", "abcdef"),
        Schema::default(),
        vec![span("s7", 2, 3), span("x", 0, 4)],
        vec![],
    );
    assert_eq!(d.fresh_span_id(), "s8");
    let order: Vec<_> = d.spans().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(order, ["x", "s7"]);
}
