//! What is compared: each annotator's version of the document ([`Annotation`]), the check
//! that they can be compared ([`AgreementError`]), and one version's spans and relations by
//! content rather than by id.

use std::collections::{BTreeSet, HashMap};

use crate::model::{AnnotatedDocument, Span};

/// One annotator's version of the document.
#[derive(Clone, Copy, Debug)]
pub struct Annotation<'a> {
    pub name: &'a str,
    pub doc: &'a AnnotatedDocument,
}

/// Why annotations cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgreementError {
    /// Fewer than two annotations.
    TooFew,
    /// `other`'s text differs from `first`'s (names); `at`: the first code point where they
    /// differ (the shorter text's length when one is the start of the other).
    DifferentText {
        first: String,
        other: String,
        at: usize,
    },
}

impl std::fmt::Display for AgreementError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AgreementError::TooFew => write!(f, "agreement needs at least two annotations"),
            AgreementError::DifferentText { first, other, at } => write!(
                f,
                "{first} and {other} are not the same text (they differ from character {at})"
            ),
        }
    }
}

impl std::error::Error for AgreementError {}

/// A span by content: start, end, label id.
pub(super) type SpanKey<'a> = (usize, usize, &'a str);
/// A relation by content: type, from span, to span.
pub(super) type RelationKey<'a> = (&'a str, SpanKey<'a>, SpanKey<'a>);

/// One annotator's spans and relations by content.
pub(super) struct Contents<'a> {
    pub(super) spans: BTreeSet<SpanKey<'a>>,
    pub(super) relations: BTreeSet<RelationKey<'a>>,
}

pub(super) fn span_key(s: &Span) -> SpanKey<'_> {
    (s.start, s.end, s.label.as_str())
}

impl<'a> Contents<'a> {
    /// The contents of `doc`; a relation naming a span the document lacks is left out.
    pub(super) fn of(doc: &'a AnnotatedDocument) -> Self {
        let spans = doc.spans().iter().map(span_key).collect();
        let by_id: HashMap<&str, SpanKey> = doc
            .spans()
            .iter()
            .map(|s| (s.id.as_str(), span_key(s)))
            .collect();
        let relations = doc
            .relations
            .iter()
            .filter_map(|r| {
                Some((
                    r.kind.as_str(),
                    *by_id.get(r.from.as_str())?,
                    *by_id.get(r.to.as_str())?,
                ))
            })
            .collect();
        Contents { spans, relations }
    }
}

/// The code point where `a` and `b` first differ.
fn first_difference(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// Checks that there are at least two annotations, all of the first's text.
pub(super) fn check(annotations: &[Annotation]) -> Result<(), AgreementError> {
    let [first, rest @ ..] = annotations else {
        return Err(AgreementError::TooFew);
    };
    if rest.is_empty() {
        return Err(AgreementError::TooFew);
    }
    let text = &first.doc.document.text;
    match rest.iter().find(|a| a.doc.document.text != *text) {
        Some(other) => Err(AgreementError::DifferentText {
            first: first.name.to_owned(),
            other: other.name.to_owned(),
            at: first_difference(text, &other.doc.document.text),
        }),
        None => Ok(()),
    }
}
