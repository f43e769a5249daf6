//! Fuzz target `iob2`: see docs/FUZZING.md and `spanmark_formats::fuzz`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spanmark_formats::fuzz::{check, Target};
use spanmark_formats::Format;

fuzz_target!(|data: &[u8]| {
    check(Target::Format(Format::Iob2), data);
});
