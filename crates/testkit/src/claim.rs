//! "Kerry denied the claim.": the sentence the doccano, Label Studio and W3C fixtures annotate,
//! as the codec tests build it and expect to read it.

use spanmark_core::{Action, AnnotatedDocument, NoteTarget};

use crate::docs::{annotated, link, note, RelationKey};

/// The sentence.
pub const CLAIM: &str = "Kerry denied the claim.";

/// A span as `(start, end, label id, note)`.
pub type NotedSpan<'a> = (usize, usize, &'a str, Option<&'a str>);

/// `text` (which starts with [`CLAIM`]) with Kerry (`s1`, actor), "denied the claim" (`s2`,
/// denial) and "claim" (`s3`, claim).
pub fn kerry_denied(text: &str) -> AnnotatedDocument {
    annotated(
        text,
        &[
            ("Kerry", "actor"),
            ("denied the claim", "denial"),
            ("claim", "claim"),
        ],
    )
}

/// [`kerry_denied`] with the denial said by Kerry, Kerry noted as the US Secretary of State and
/// the document noted "Checked.": what the Label Studio and W3C writers are given.
pub fn kerry_denied_noted(text: &str) -> AnnotatedDocument {
    let mut d = kerry_denied(text);
    link(&mut d, "said_by", "s2", "s1");
    note(&mut d, "s1", "the US Secretary of State");
    d.apply(Action::SetNote {
        target: NoteTarget::Document,
        note: Some("Checked.".into()),
    })
    .expect("a document note");
    d
}

/// The spans of [`CLAIM`] the Label Studio and W3C fixtures hold, Kerry noted.
pub const NOTED_SPANS: [NotedSpan<'static>; 3] = [
    (0, 5, "actor", Some("the US Secretary of State")),
    (6, 22, "denial", None),
    (17, 22, "claim", None),
];

/// The relations of [`CLAIM`] the fixtures hold, as [`crate::content`] gives them: the denial
/// denies the claim and is said by Kerry.
pub fn claim_relations() -> Vec<RelationKey> {
    vec![
        (
            "denies".into(),
            (6, 22, "denial".into()),
            (17, 22, "claim".into()),
        ),
        (
            "said_by".into(),
            (6, 22, "denial".into()),
            (0, 5, "actor".into()),
        ),
    ]
}

/// The spans of `d` as `(start, end, label id, note)`, in the document's order.
pub fn noted_spans(d: &AnnotatedDocument) -> Vec<NotedSpan<'_>> {
    d.spans()
        .iter()
        .map(|s| (s.start, s.end, s.label.as_str(), s.note.as_deref()))
        .collect()
}
