use super::*;
use spanmark_core::Span;

fn spans(ids: &[&str]) -> Vec<Span> {
    ids.iter()
        .map(|id| Span {
            id: (*id).into(),
            label: "actor".into(),
            start: 0,
            end: 1,
            text: "x".into(),
            note: None,
        })
        .collect()
}

fn borrowed(by: &[Vec<Span>]) -> Vec<Vec<&Span>> {
    by.iter().map(|v| v.iter().collect()).collect()
}

#[test]
fn sync_sets_only_the_paragraphs_whose_spans_changed() {
    Owner::new().set();
    let view = TextView::new();
    let before = [spans(&["s1"]), vec![], spans(&["s2"])];
    let slots = view.rebuild(3, &borrowed(&before));
    let seen: Vec<_> = slots
        .iter()
        .map(|s| {
            let signal = s.spans.clone();
            Memo::new(move |n: Option<&usize>| {
                signal.track();
                n.map_or(0, |n| n + 1)
            })
        })
        .collect();
    for m in &seen {
        m.get_untracked();
    }
    let after = [spans(&["s1"]), spans(&["s3"]), spans(&["s2"])];
    view.sync(&borrowed(&after));
    let runs: Vec<usize> = seen.iter().map(|m| m.get_untracked()).collect();
    assert_eq!(runs, vec![0, 1, 0]);
}

#[test]
fn a_long_document_renders_its_first_paragraphs_and_reveals_the_rest() {
    Owner::new().set();
    let view = TextView::new();
    let slots = view.rebuild(LAZY_PARAGRAPHS + 1, &[]);
    assert!(view.lazy.get_untracked());
    assert!(slots[0].shown.get_untracked());
    assert!(!slots[EAGER_PARAGRAPHS].shown.get_untracked());
    assert!(!view.near().contains(&EAGER_PARAGRAPHS));
    view.set_near(EAGER_PARAGRAPHS..EAGER_PARAGRAPHS + 1);
    assert!(slots[EAGER_PARAGRAPHS].shown.get_untracked());
    assert!(view.near().contains(&EAGER_PARAGRAPHS));
    // Leaving the viewport keeps it rendered.
    view.set_near(0..1);
    assert!(slots[EAGER_PARAGRAPHS].shown.get_untracked());
    assert!(!view.near().contains(&EAGER_PARAGRAPHS));
    assert!(!view.reveal(EAGER_PARAGRAPHS));
    assert!(view.reveal(EAGER_PARAGRAPHS + 1));
}

#[test]
fn a_short_document_is_rendered_at_once() {
    Owner::new().set();
    let view = TextView::new();
    let slots = view.rebuild(LAZY_PARAGRAPHS, &[]);
    assert!(slots.iter().all(|s| s.shown.get_untracked()));
    assert!(!view.lazy.get_untracked());
}
