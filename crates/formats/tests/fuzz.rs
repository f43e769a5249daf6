//! A short, deterministic fuzz run of every importer (docs/FUZZING.md): the seed corpus of each
//! fuzz target (`fuzz/seeds/<target>/`), the inputs the fuzzer once broke on
//! (`tests/fixtures/fuzz/<target>/`), and a few thousand structure-aware mutations of the seeds
//! (byte flips, splices, truncations, format tokens, odd numbers and characters), all through
//! the same check as the cargo-fuzz targets (`spanmark_formats::fuzz::check`).
//!
//! A failure prints the target and the input as a byte string: saved as a file in
//! `tests/fixtures/fuzz/<target>/`, it is replayed by every run (and by the fuzz target, as
//! docs/FUZZING.md shows).
//! `SPANMARK_FUZZ_MUTATIONS` sets how many mutations each target runs (default 2,000).

// Test code: a failed assumption should stop the test, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use spanmark_formats::fuzz::{check, Target};
use spanmark_formats::Format;

/// The repository's top folder (the fuzz seeds and the test fixtures).
const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
const DEFAULT_MUTATIONS: usize = 2_000;

/// SplitMix64: a tiny PRNG, so that every run tries the same inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Pieces of the formats and of awkward text, inserted whole.
const TOKENS: &[&[u8]] = &[
    // brat
    b"T1\tActor 0 5\tKerry\n",
    b"T9\tPlace 3 1\t\n",
    b"T2\tClaim 0 2;4 6\tab cd\n",
    b"R1\tsaid_by Arg1:T1 Arg2:T2\n",
    b"R2\tx Arg1:T1 Arg2:T1\n",
    b"E1\tMeet:T1 Who:T2\n",
    b"A1\tNegation T1\n",
    b"A2\tConf E1 High\n",
    b"#1\tAnnotatorNotes T1\tnote\n",
    b"*\tEquiv T1 T2\n",
    b"N1\tReference T1 Wiki:1\tx\n",
    b"\t",
    b";",
    // CoNLL and IOB2
    b"B-",
    b"I-",
    b"B-PER",
    b"I-LOC",
    b" O",
    b"\tO",
    b"\tB-X\tI-Y",
    b"-DOCSTART- -X- -X- O\n\n",
    b"-DOCSTART-\n",
    b" _ _ ",
    // JSON
    b"{\"start\":",
    b"\"end\":",
    b"\"text\":",
    b"\"label\":",
    b"\"labels\":[\"Actor\"]",
    b"\"entities\":",
    b"\"relations\":[{\"from_id\":1,\"to_id\":1,\"type\":\"x\"}]",
    b"\"start_offset\":",
    b"\"end_offset\":",
    b"\"id\":",
    b"\"value\":",
    b"\"type\":\"labels\"",
    b"\"type\":\"relation\"",
    b"\"type\":\"textarea\"",
    b"\"direction\":\"left\"",
    b"\"@context\":\"http://www.w3.org/ns/anno.jsonld\",",
    b"\"type\":\"TextPositionSelector\"",
    b"\"type\":\"TextQuoteSelector\",\"exact\":\"",
    b"\"motivation\":\"linking\"",
    b"\"purpose\":\"commenting\"",
    b"\"format\":\"spanmark\",\"version\":1,",
    b"\"next\":{",
    b"null",
    b"true",
    b"[]",
    b"{}",
    b"[[",
    b"]]",
    b"\"",
    b"\\",
    b"\\u0000",
    b"\\ud800",
    b"\\ufeff",
    b",",
    b":",
    // numbers
    b"0",
    b"1",
    b"7",
    b"64",
    b"-1",
    b"1.5",
    b"1e308",
    b"4294967295",
    b"4294967296",
    b"9007199254740993",
    b"18446744073709551615",
    b"18446744073709551616",
    b"99999999999999999999999999",
    // characters
    b"\n",
    b"\r\n",
    b"\r",
    b" ",
    b"\xc2\xa0",
    b"\0",
    b"\xff",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\xef\xbb\xbf",
    "👩\u{200d}👩\u{200d}👧".as_bytes(),
    "🇺🇸".as_bytes(),
    "e\u{301}".as_bytes(),
    "\u{301}".as_bytes(),
    "\u{200d}".as_bytes(),
    "\u{202e}".as_bytes(),
    "دمشق".as_bytes(),
    "\u{2028}".as_bytes(),
    "𝔘".as_bytes(),
    "\r\n\u{feff}".as_bytes(),
    // zip
    b"PK\x03\x04",
    b"PK\x01\x02",
    b"PK\x05\x06",
    b"PK\x06\x06",
    b"PK\x06\x07",
    b"\xff\xff\xff\xff",
    b"\xff\xff",
    b"\x01\x00",
];

/// Numbers that offsets and sizes are replaced with.
const NUMBERS: &[&[u8]] = &[
    b"0",
    b"1",
    b"2",
    b"5",
    b"63",
    b"64",
    b"65",
    b"-1",
    b"1.0",
    b"4294967295",
    b"18446744073709551615",
    b"18446744073709551616",
];

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut data = rng.pick(seeds).clone();
    for _ in 0..=rng.below(4) {
        let len = data.len();
        match rng.below(10) {
            // Flip a bit.
            0 if len > 0 => {
                let at = rng.below(len);
                data[at] ^= 1 << rng.below(8);
            }
            // Set a byte.
            1 if len > 0 => {
                let at = rng.below(len);
                data[at] = *rng.pick(b"\0\t\n\r \"',:;[]{}-_0123456789TRAB#O\xff\x80\xc3");
            }
            // Cut a piece out.
            2 if len > 0 => {
                let at = rng.below(len);
                let n = rng.below((len - at).min(64)) + 1;
                data.drain(at..at + n);
            }
            // Repeat a piece.
            3 if len > 0 => {
                let at = rng.below(len);
                let n = rng.below((len - at).min(64)) + 1;
                let piece = data[at..at + n].to_vec();
                let to = rng.below(len + 1);
                data.splice(to..to, piece);
            }
            // Truncate.
            4 => data.truncate(rng.below(len + 1)),
            // Splice: this input's start and another seed's end.
            5 => {
                let other = rng.pick(seeds);
                let cut = rng.below(len + 1);
                let from = rng.below(other.len() + 1);
                data.truncate(cut);
                data.extend_from_slice(&other[from..]);
            }
            // Replace a run of digits with another number.
            6 => {
                let runs: Vec<(usize, usize)> = digit_runs(&data);
                if let Some(&(a, b)) = runs.get(rng.below(runs.len())) {
                    let number = if rng.below(2) == 0 {
                        rng.pick(NUMBERS).to_vec()
                    } else {
                        // Near the number it was: off by one or two either way.
                        let n: u64 = std::str::from_utf8(&data[a..b])
                            .ok()
                            .and_then(|s| s.parse().ok())
                            .unwrap_or(0);
                        let d = 1 + rng.below(2) as u64;
                        let m = if rng.below(2) == 0 {
                            n.saturating_add(d)
                        } else {
                            n.saturating_sub(d)
                        };
                        m.to_string().into_bytes()
                    };
                    data.splice(a..b, number);
                }
            }
            // Overwrite a little-endian field (zip headers) with an edge value.
            7 if len >= 4 => {
                let at = rng.below(len - 3);
                let values: [u32; 6] = [0, 1, 0xffff, 0xffff_ffff, 0x8000_0000, len as u32];
                let v = rng.pick(&values).to_le_bytes();
                let width = if rng.below(2) == 0 { 2 } else { 4 };
                data[at..at + width].copy_from_slice(&v[..width]);
            }
            // Insert a token.
            _ => {
                let at = rng.below(len + 1);
                data.splice(at..at, rng.pick(TOKENS).iter().copied());
            }
        }
    }
    data
}

fn digit_runs(data: &[u8]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = None;
    for (i, b) in data.iter().enumerate() {
        match (b.is_ascii_digit(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        runs.push((s, data.len()));
    }
    runs
}

/// The files of `dir`, sorted by name (none when it does not exist).
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<(PathBuf, Vec<u8>)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    out.sort();
    out
}

/// Runs the check on `input`; on a panic, the message says which target and input.
fn run(target: Target, what: &str, input: &[u8]) -> Result<bool, String> {
    catch_unwind(AssertUnwindSafe(|| check(target, input))).map_err(|e| {
        let message = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default();
        format!(
            "fuzz target {} panicked ({message}) on {what}, {} bytes:\nb\"{}\"",
            target.id(),
            input.len(),
            input.escape_ascii()
        )
    })
}

fn fuzz(target: Target) {
    let seeds_dir = Path::new(ROOT).join("fuzz/seeds").join(target.id());
    let seeds = files(&seeds_dir);
    assert!(!seeds.is_empty(), "no seeds in {}", seeds_dir.display());
    // Every seed opens: a seed that does not would test only the error paths.
    for (path, bytes) in &seeds {
        let opened = run(target, &format!("seed {}", path.display()), bytes)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(opened, "seed {} does not open", path.display());
    }
    for (path, bytes) in files(
        &Path::new(ROOT)
            .join("tests/fixtures/fuzz")
            .join(target.id()),
    ) {
        run(
            target,
            &format!("regression input {}", path.display()),
            &bytes,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    let count = std::env::var("SPANMARK_FUZZ_MUTATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(DEFAULT_MUTATIONS);
    let seeds: Vec<Vec<u8>> = seeds.into_iter().map(|(_, b)| b).collect();
    // A fixed seed for each target, from its name.
    let start = target.id().bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let mut rng = Rng(start);
    for i in 0..count {
        let input = mutate(&mut rng, &seeds);
        run(target, &format!("mutation {i}"), &input).unwrap_or_else(|e| panic!("{e}"));
    }
}

/// One test per fuzz target, named by its id.
macro_rules! fuzz_tests {
    ($($name:ident: $target:expr;)*) => {
        $(
            #[test]
            fn $name() {
                fuzz($target);
            }
        )*
    };
}

fuzz_tests! {
    native: Target::Format(Format::Native);
    text: Target::Format(Format::Text);
    brat: Target::Format(Format::Brat);
    conll: Target::Format(Format::Conll);
    iob2: Target::Format(Format::Iob2);
    doccano: Target::Format(Format::Doccano);
    label_studio: Target::Format(Format::LabelStudio);
    spacy: Target::Format(Format::Spacy);
    w3c: Target::Format(Format::W3c);
    zip: Target::Zip;
    open_files: Target::Open;
}

#[test]
fn every_target_is_run() {
    // The tests above, one per target; a new target needs a test (and a cargo-fuzz target).
    assert_eq!(Target::ALL.len(), 11);
    for t in Target::ALL {
        assert!(Path::new(ROOT)
            .join("fuzz/fuzz_targets")
            .join(format!("{}.rs", t.id()))
            .is_file());
    }
}
