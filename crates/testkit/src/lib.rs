//! What Spanmark's tests and benchmarks share: small annotated documents built from phrases
//! ([`annotated`], [`link`], [`note`]) and of the texts most tests use ([`article`],
//! [`stress`]), what a format carries of one ([`content`]) and the check of a round trip
//! through a format ([`check_round_trip`]), large generated documents ([`sample::generate`]),
//! random versions of one for property tests ([`versions`]), annotators' versions of one
//! sentence for agreement ([`annotators`]) and the sentence the codec fixtures annotate
//! ([`claim`]). Never part of the app or the command line.

// A wrong fixture should stop the test that built it, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod annotators;
pub mod claim;
mod docs;
mod round_trip;
pub mod sample;
pub mod versions;

pub use docs::{
    annotated, annotated_as, article, article_linked, content, default_article, link, note,
    relations_by, stress, stress_linked, RelationKey, SpanKey, ARTICLE, ARTICLE_SPANS, STRESS,
    STRESS_SPANS,
};
pub use round_trip::{check_round_trip, Kept};
