use super::*;
use spanmark_core::layout;
use spanmark_core::Document;

fn editor() -> Editor {
    Owner::new().set();
    Editor::new(AnnotatedDocument::new(Document::new(
        "t",
        "Lavrov said so.\nKerry denied it.",
    )))
}

#[test]
fn an_added_span_is_selected_and_reaches_only_its_paragraph() {
    let e = editor();
    e.dispatch(Action::AddSpan {
        start: 16,
        end: 21,
        label: "actor".into(),
    });
    assert_eq!(e.selection.span.get_untracked().as_deref(), Some("s1"));
    let by = e.open.paragraphs.with_untracked(|ps| {
        e.open
            .doc
            .with_untracked(|d| layout::spans_by_paragraph(ps, d.spans()))
    });
    assert_eq!((by[0].len(), by[1].len()), (0, 1));
}

#[test]
fn a_refused_edit_raises_an_alert_and_changes_nothing() {
    let e = editor();
    let before = e.open.doc.get_untracked();
    e.dispatch(Action::AddSpan {
        start: 0,
        end: 7,
        label: "actor".into(),
    });
    assert!(e
        .notices
        .alert
        .get_untracked()
        .is_some_and(|a| a.text().contains("white space")));
    assert_eq!(e.open.doc.get_untracked(), before);
}

#[test]
fn a_failed_save_stays_said_through_later_edits() {
    let e = editor();
    let failed = Notice::NotSaved(
        "Not saved: the browser's storage is full. Your work stays in this tab.".into(),
    );
    e.notices.alert(failed.clone());
    e.dispatch(Action::AddSpan {
        start: 0,
        end: 6,
        label: "actor".into(),
    });
    assert_eq!(e.notices.alert.get_untracked(), Some(failed));
    // Any other alert goes once an edit succeeds.
    e.notices.alert(Notice::Problem(
        "Not tagged: this text already has that label.".into(),
    ));
    e.dispatch(Action::AddSpan {
        start: 16,
        end: 21,
        label: "actor".into(),
    });
    assert_eq!(e.notices.alert.get_untracked(), None);
}

#[test]
fn removing_the_selected_span_deselects_it() {
    let e = editor();
    e.dispatch(Action::AddSpan {
        start: 0,
        end: 6,
        label: "actor".into(),
    });
    e.dispatch(Action::RemoveSpan { id: "s1".into() });
    assert_eq!(e.selection.span.get_untracked(), None);
    assert!(e.open.doc.with_untracked(|d| d.spans().is_empty()));
    assert!(e.notices.status.get_untracked().contains("Lavrov"));
}

#[test]
fn another_document_brings_its_own_paragraphs() {
    let e = editor();
    assert_eq!(e.open.paragraphs.get_untracked().len(), 2);
    e.open.doc.set(AnnotatedDocument::new(Document::new(
        "u",
        "one\ntwo\nthree",
    )));
    let texts: Vec<String> = e
        .open
        .paragraphs
        .get_untracked()
        .into_iter()
        .map(|p| p.text)
        .collect();
    assert_eq!(texts, ["one\n", "two\n", "three"]);
}
