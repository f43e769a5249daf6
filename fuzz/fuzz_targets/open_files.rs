//! Fuzz target `open_files`: see docs/FUZZING.md and `spanmark_formats::fuzz`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spanmark_formats::fuzz::{check, Target};

fuzz_target!(|data: &[u8]| {
    check(Target::Open, data);
});
