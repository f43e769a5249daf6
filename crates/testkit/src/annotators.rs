//! Annotators' versions of one sentence, as the agreement tests of the core and the tests of
//! the table `spanmark agree` prints share them: the sentence, four spans of it, names for the
//! annotators, and the two versions of docs/AGREEMENT.md's worked example.

use spanmark_core::agreement::Annotation;
use spanmark_core::AnnotatedDocument;

use crate::docs::{annotated, link};

/// Tokens: Lavrov [0,6) said [7,11) Kerry [12,17) denied [18,24) it [25,27) in [28,30)
/// Geneva [31,37): seven.
pub const TEXT: &str = "Lavrov said Kerry denied it in Geneva.";

/// The names [`named`] gives annotators, in order.
pub const NAMES: [&str; 4] = ["A", "B", "C", "D"];

/// The file names of the worked example's annotators.
pub const WORKED_EXAMPLE_FILES: [&str; 2] = ["a.spanmark.json", "b.spanmark.json"];

/// `docs` as annotations named by `names`, in order.
pub fn named_as<'a>(docs: &'a [AnnotatedDocument], names: &[&'a str]) -> Vec<Annotation<'a>> {
    docs.iter()
        .zip(names)
        .map(|(doc, name)| Annotation { name, doc })
        .collect()
}

/// `docs` as annotations named A, B, C and D.
pub fn named(docs: &[AnnotatedDocument]) -> Vec<Annotation<'_>> {
    named_as(docs, &NAMES)
}

/// [`TEXT`] with two actors, a denial and a place.
pub fn four() -> AnnotatedDocument {
    annotated(
        TEXT,
        &[
            ("Lavrov", "actor"),
            ("Kerry", "actor"),
            ("denied it", "denial"),
            ("Geneva", "place"),
        ],
    )
}

/// The two annotators of docs/AGREEMENT.md's worked example (named by
/// [`WORKED_EXAMPLE_FILES`]).
pub fn worked_example() -> [AnnotatedDocument; 2] {
    let mut a = annotated(
        TEXT,
        &[
            ("Lavrov said Kerry denied it", "claim"),
            ("Lavrov", "actor"),
            ("Kerry", "actor"),
            ("Geneva", "place"),
        ],
    );
    link(&mut a, "said_by", "s1", "s2");
    let mut b = annotated(
        TEXT,
        &[
            ("Kerry denied it", "claim"),
            ("Lavrov", "actor"),
            ("Geneva", "place"),
        ],
    );
    link(&mut b, "said_by", "s1", "s2");
    [a, b]
}
