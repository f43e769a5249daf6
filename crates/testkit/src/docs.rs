//! Annotated documents for tests (from phrases, and of the two texts most tests use), and
//! what a format carries of one.

use spanmark_core::{Action, AnnotatedDocument, Document, NoteTarget, Span};

/// The article the app opens with (`assets/default-article.txt`).
pub const ARTICLE: &str = include_str!("../../../assets/default-article.txt");

/// A text of hard cases (`tests/fixtures/unicode-stress.txt`): Cyrillic, Arabic and CJK,
/// astral letters, emoji sequences, combining accents and CRLF line ends.
pub const STRESS: &str = include_str!("../../../tests/fixtures/unicode-stress.txt");

/// Nested spans of [`ARTICLE`]: an actor and a place inside the claim that holds both.
pub const ARTICLE_SPANS: [(&str, &str); 3] = [
    ("Sergey Lavrov", "actor"),
    ("St Petersburg", "place"),
    (
        "Sergey Lavrov on 16 June at an economic Forum in St Petersburg",
        "claim",
    ),
];

/// Spans of [`STRESS`]: a Cyrillic actor inside a claim, an emoji sequence, CJK and Arabic.
pub const STRESS_SPANS: [(&str, &str); 5] = [
    ("Сергей Лавров", "actor"),
    ("Сергей Лавров told reporters", "claim"),
    ("👩\u{200d}👩\u{200d}👧", "actor"),
    ("東京", "place"),
    ("دمشق", "place"),
];

/// [`ARTICLE`] with [`ARTICLE_SPANS`] (`s1`–`s3`), then a span per phrase of `more`.
pub fn article(more: &[(&str, &str)]) -> AnnotatedDocument {
    annotated(ARTICLE, &[&ARTICLE_SPANS[..], more].concat())
}

/// [`article`] with the claim (`s3`) said by Sergey Lavrov (`s1`) and located in
/// St Petersburg (`s2`).
pub fn article_linked(more: &[(&str, &str)]) -> AnnotatedDocument {
    let mut d = article(more);
    link(&mut d, "said_by", "s3", "s1");
    link(&mut d, "located_in", "s3", "s2");
    d
}

/// [`article`] without more spans, titled `default-article` as the app titles it (so that the
/// files written of it are named `default-article…`).
pub fn default_article() -> AnnotatedDocument {
    let mut d = article(&[]);
    d.document.title = "default-article".into();
    d
}

/// [`STRESS`] with [`STRESS_SPANS`] (`s1`–`s5`), then a span per phrase of `more`.
pub fn stress(more: &[(&str, &str)]) -> AnnotatedDocument {
    annotated(STRESS, &[&STRESS_SPANS[..], more].concat())
}

/// [`stress`] with the Cyrillic claim (`s2`) said by its actor (`s1`).
pub fn stress_linked(more: &[(&str, &str)]) -> AnnotatedDocument {
    let mut d = stress(more);
    link(&mut d, "said_by", "s2", "s1");
    d
}

/// A document titled `t` over `text` with one span per `(phrase, label id)`, at the phrase's
/// first occurrence.
pub fn annotated(text: &str, phrases: &[(&str, &str)]) -> AnnotatedDocument {
    annotated_as("t", text, phrases)
}

/// As [`annotated`], titled `title` (which the document's id is derived from).
pub fn annotated_as(title: &str, text: &str, phrases: &[(&str, &str)]) -> AnnotatedDocument {
    let mut d = AnnotatedDocument::new(Document::new(title, text));
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
    let relations = relations_by(d, |s| (s.start, s.end, s.label.clone()));
    (spans, relations)
}

/// The relations of `d` as (type, from end, to end), each end as `end` gives its span,
/// sorted: what is compared of relations when ids may differ.
pub fn relations_by<T: Ord>(
    d: &AnnotatedDocument,
    end: impl Fn(&Span) -> T,
) -> Vec<(String, T, T)> {
    let end = |id: &str| end(d.span(id).expect("relation end exists"));
    let mut relations: Vec<(String, T, T)> = d
        .relations
        .iter()
        .map(|r| (r.kind.clone(), end(&r.from), end(&r.to)))
        .collect();
    relations.sort();
    relations
}
