//! One entry point for every format: which format a file is in ([`detect`]), reading it
//! ([`read`], [`open_file`], [`open_files`]), writing documents in a format ([`fn@write`]) and
//! saying what a download in a format will not carry ([`losses`]).
//!
//! The browser's "Open" and the `spanmark` command share this module, so a file opens the same
//! way in both.
//!
//! Its parts, each using only those before it: `detect`, `losses`, `dispatch` (read and write
//! by format) and `open` (one file, several, archives); file names and titles are
//! [`crate::names`].

mod detect;
mod dispatch;
mod losses;
mod open;

pub use crate::names::{file_name, title_of};
pub use detect::detect;
pub use dispatch::{read, write, write_with, WriteOptions};
pub use losses::{carries, losses, Carries};
pub use open::{
    check_size, needs_text, open_annotations, open_file, open_file_with, open_files,
    open_files_with, takes_text, Errors, Named, ReadOptions, MAX_FILE_BYTES,
};
