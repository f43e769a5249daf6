//! Annotated documents for tests, and what a format carries of one.

use spanmark_core::{Action, AnnotatedDocument, Document, NoteTarget};

/// A document over `text` with one span per `(phrase, label id)`, at the phrase's first
/// occurrence.
pub fn annotated(text: &str, phrases: &[(&str, &str)]) -> AnnotatedDocument {
    let mut d = AnnotatedDocument::new(Document::new("t", text));
    for (phrase, label) in phrases {
        let b = text.find(phrase).expect("phrase in text");
        let start = text[..b].chars().count();
        let end = start + phrase.chars().count();
        d.apply(Action::AddSpan {
            start,
            end,
            label: (*label).into(),
        })
        .expect("valid span");
    }
    d
}

/// Links span `from` to span `to` with relation type `kind`.
pub fn link(d: &mut AnnotatedDocument, kind: &str, from: &str, to: &str) {
    d.apply(Action::AddRelation {
        kind: kind.into(),
        from: from.into(),
        to: to.into(),
    })
    .expect("valid relation");
}

/// Sets the note of span `id`.
pub fn note(d: &mut AnnotatedDocument, id: &str, note: &str) {
    d.apply(Action::SetNote {
        target: NoteTarget::Span(id.into()),
        note: Some(note.into()),
    })
    .expect("span exists");
}

/// A span as a format carries it: range, label id, text and (optionally) note.
pub type SpanKey = (usize, usize, String, String, Option<String>);
/// A relation by its type and its ends' ranges and labels.
pub type RelationKey = (String, (usize, usize, String), (usize, usize, String));

/// The spans and relations of `d`, independent of ids; notes only `with_notes`. Also
/// checks every span's offsets against the text.
pub fn content(d: &AnnotatedDocument, with_notes: bool) -> (Vec<SpanKey>, Vec<RelationKey>) {
    let text = &d.document.text;
    let mut spans: Vec<SpanKey> = d
        .spans()
        .iter()
        .map(|s| {
            assert_eq!(
                spanmark_core::offsets::slice_cp(text, s.start, s.end),
                Some(s.text.as_str())
            );
            (
                s.start,
                s.end,
                s.label.clone(),
                s.text.clone(),
                s.note.clone().filter(|_| with_notes),
            )
        })
        .collect();
    spans.sort();
    let end = |id: &str| {
        let s = d.span(id).expect("relation end exists");
        (s.start, s.end, s.label.clone())
    };
    let mut relations: Vec<RelationKey> = d
        .relations
        .iter()
        .map(|r| (r.kind.clone(), end(&r.from), end(&r.to)))
        .collect();
    relations.sort();
    (spans, relations)
}
