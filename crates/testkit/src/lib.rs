//! What Spanmark's tests and benchmarks share: small annotated documents built from phrases
//! ([`annotated`], [`link`], [`note`]), what a format carries of one ([`content`]), large
//! generated ones ([`sample::generate`]), random versions of one for property tests
//! ([`versions`]) and annotators' versions of one sentence for agreement ([`annotators`]).
//! Never part of the app or the command line.

// A wrong fixture should stop the test that built it, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod annotators;
mod docs;
pub mod sample;
pub mod versions;

pub use docs::{annotated, content, link, note, RelationKey, SpanKey};
