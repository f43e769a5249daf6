//! Pure codecs between annotated documents and files.
//!
//! [`convert`] is the one entry point: it detects a file's format, opens one file or several
//! (archives too) into annotated documents or a typed error that says what is wrong and where,
//! and writes documents in any format. Every codec is pure, never panics, and is tested on the
//! host with fixtures and round trips.
//!
//! The modules form layers, each using only those before it: [`error`] and [`mod@format`];
//! [`names`] and [`text`]; [`import`] (what importers share); [`archive`]; the codecs
//! ([`native`], [`brat`], [`conll`], [`doccano`], [`label_studio`], [`spacy`], [`w3c`]);
//! [`convert`]; and the fuzz check.

pub mod archive;
pub mod brat;
pub mod conll;
pub mod convert;
pub mod doccano;
pub mod error;
pub mod format;
#[cfg(not(target_arch = "wasm32"))]
#[doc(hidden)]
pub mod fuzz;
pub mod import;
pub mod job;
pub mod label_studio;
pub mod names;
pub mod native;
pub mod spacy;
pub mod team;
#[cfg(test)]
mod testing;
pub mod text;
pub mod w3c;

pub use error::{FormatError, Problem, MAX_LISTED};
pub use format::{Format, Variant};
pub use import::{Builder, Context, Imported};
pub use names::file_name;
