//! Offset conversion between the three ways of counting text.
//!
//! The data model counts Unicode code points (half-open `[start, end)`), Rust's `&str` counts
//! UTF-8 bytes and the DOM counts UTF-16 code units. Conversion happens only at those edges, here.
//! Every function clamps out-of-range input instead of panicking.

/// Whether a UTF-8 byte starts a character (is not a continuation byte `10xxxxxx`).
fn starts_char(b: u8) -> bool {
    (b as i8) >= -0x40
}

/// Characters starting in `bytes`; a plain count the compiler vectorises.
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| starts_char(b)).count()
}

/// Number of code points in `s`.
pub fn cp_len(s: &str) -> usize {
    chars_in(s.as_bytes())
}

/// Byte offset of code point `cp` in `s`; `s.len()` when `cp` is at or past the end.
pub fn cp_to_byte(s: &str, cp: usize) -> usize {
    cp_to_byte_checked(s, cp).unwrap_or(s.len())
}

/// Byte offset of code point `cp` in `s`, or `None` when `cp` is past the end (`cp_len(s)`
/// gives `s.len()`): one scan up to `cp`, where checking against [`cp_len`] first would read
/// the whole text.
///
/// Counts character starts 64 bytes at a time and walks only the last block, so a long text
/// costs a fast scan rather than decoding every character.
pub fn cp_to_byte_checked(s: &str, cp: usize) -> Option<usize> {
    const BLOCK: usize = 64;
    let bytes = s.as_bytes();
    let mut seen = 0;
    let mut at = 0;
    for block in bytes.chunks(BLOCK) {
        let n = chars_in(block);
        if seen + n > cp {
            break;
        }
        seen += n;
        at += block.len();
    }
    for (i, &b) in bytes.get(at..).unwrap_or_default().iter().enumerate() {
        if starts_char(b) {
            if seen == cp {
                return Some(at + i);
            }
            seen += 1;
        }
    }
    (seen == cp).then_some(s.len())
}

/// Code-point offset of byte offset `byte`; a byte inside a character counts as that character's start.
pub fn byte_to_cp(s: &str, byte: usize) -> usize {
    let bytes = s.as_bytes();
    chars_in(bytes.get(..byte).unwrap_or(bytes))
}

/// The slice `[start, end)` in code points, or `None` when the range is reversed or out of bounds.
pub fn slice_cp(s: &str, start: usize, end: usize) -> Option<&str> {
    if start > end {
        return None;
    }
    if end > cp_len(s) {
        return None;
    }
    let from = cp_to_byte(s, start);
    let to = from + cp_to_byte(s.get(from..)?, end - start);
    s.get(from..to)
}

/// Byte offsets of a text's code points, sampled every [`CpIndex::STEP`] code points, so that
/// converting many offsets into one long text costs a short walk each instead of a walk from
/// the start (reading a file with thousands of spans over a megabyte of text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CpIndex {
    samples: Vec<usize>,
    len: usize,
}

impl CpIndex {
    /// Code points between two samples.
    pub const STEP: usize = 64;

    /// The index of `text`.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut samples = Vec::with_capacity(bytes.len() / Self::STEP + 1);
        let mut len = 0;
        // Character starts by their bytes: no decoding.
        for (i, &b) in bytes.iter().enumerate() {
            if starts_char(b) {
                if len % Self::STEP == 0 {
                    samples.push(i);
                }
                len += 1;
            }
        }
        CpIndex { samples, len }
    }

    /// Code points in the text.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Byte offset of code point `cp` in `text` (the text this index was made of); `None` past
    /// the end. `cp == len()` gives `text.len()`.
    pub fn byte(&self, text: &str, cp: usize) -> Option<usize> {
        if cp > self.len {
            return None;
        }
        if cp == self.len {
            return Some(text.len());
        }
        let from = *self.samples.get(cp / Self::STEP)?;
        char_start_after(text, from, cp % Self::STEP)
    }

    /// Byte offsets of the code-point range `[start, end)`, or `None` when reversed or out of
    /// bounds. A short range's end is found from its start.
    pub fn bytes(&self, text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
        if start > end || end > self.len {
            return None;
        }
        let bs = self.byte(text, start)?;
        let be = if end == self.len {
            text.len()
        } else if end - start < Self::STEP {
            char_start_after(text, bs, end - start)?
        } else {
            self.byte(text, end)?
        };
        Some((bs, be))
    }

    /// The slice `[start, end)` in code points, or `None` when reversed or out of bounds.
    pub fn slice<'a>(&self, text: &'a str, start: usize, end: usize) -> Option<&'a str> {
        let (bs, be) = self.bytes(text, start, end)?;
        text.get(bs..be)
    }
}

/// Byte offset of the character `skip` characters after the one starting at byte `from` of
/// `text`; `None` past the end. Reads bytes only, no decoding.
fn char_start_after(text: &str, from: usize, mut skip: usize) -> Option<usize> {
    for (i, &b) in text.as_bytes().get(from..)?.iter().enumerate() {
        if starts_char(b) {
            if skip == 0 {
                return Some(from + i);
            }
            skip -= 1;
        }
    }
    None
}

/// Code points in the first `units` UTF-16 code units of `s` (a DOM offset within one text node).
///
/// An offset that falls between the two halves of a surrogate pair rounds down to the
/// character's start; an offset past the end clamps to the end.
pub fn utf16_to_cp(s: &str, units: usize) -> usize {
    let mut seen = 0;
    let mut cps = 0;
    for c in s.chars() {
        seen += c.len_utf16();
        if seen > units {
            break;
        }
        cps += 1;
    }
    cps
}

/// UTF-16 code units in the first `cp` code points of `s` (clamped to the end).
pub fn cp_to_utf16(s: &str, cp: usize) -> usize {
    s.chars().take(cp).map(char::len_utf16).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIXED: &str = "a😀é\u{301}北\r\n𝔘";

    #[test]
    fn counts_code_points_not_bytes_or_units() {
        assert_eq!(cp_len(MIXED), 8);
        assert_eq!(cp_to_byte(MIXED, 1), 1);
        assert_eq!(cp_to_byte(MIXED, 2), 5);
        assert_eq!(cp_to_byte(MIXED, 99), MIXED.len());
        assert_eq!(byte_to_cp(MIXED, 5), 2);
        assert_eq!(
            byte_to_cp(MIXED, 3),
            2,
            "inside the emoji rounds up to the next char"
        );
    }

    #[test]
    fn slices_by_code_points() {
        assert_eq!(slice_cp(MIXED, 1, 2), Some("😀"));
        assert_eq!(slice_cp(MIXED, 2, 4), Some("é\u{301}"));
        assert_eq!(slice_cp(MIXED, 7, 8), Some("𝔘"));
        assert_eq!(slice_cp(MIXED, 8, 8), Some(""));
        assert_eq!(slice_cp(MIXED, 0, 9), None);
        assert_eq!(slice_cp(MIXED, 3, 2), None);
    }

    #[test]
    fn utf16_offsets_round_trip_on_astral_characters() {
        // "a😀": the emoji is two UTF-16 units.
        assert_eq!(utf16_to_cp("a😀b", 1), 1);
        assert_eq!(utf16_to_cp("a😀b", 2), 1, "between surrogates rounds down");
        assert_eq!(utf16_to_cp("a😀b", 3), 2);
        assert_eq!(utf16_to_cp("a😀b", 40), 3);
        assert_eq!(cp_to_utf16("a😀b", 2), 3);
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn utf16_and_code_points_round_trip(s in "\\PC{0,40}", cp in 0usize..50) {
                let cp = cp.min(cp_len(&s));
                prop_assert_eq!(utf16_to_cp(&s, cp_to_utf16(&s, cp)), cp);
            }

            #[test]
            fn bytes_and_code_points_round_trip(s in "\\PC{0,40}", cp in 0usize..50) {
                let cp = cp.min(cp_len(&s));
                prop_assert_eq!(byte_to_cp(&s, cp_to_byte(&s, cp)), cp);
            }

            #[test]
            fn checked_conversion_is_none_only_past_the_end(s in "\\PC{0,200}", cp in 0usize..210) {
                let expected = (cp <= cp_len(&s)).then(|| cp_to_byte(&s, cp));
                prop_assert_eq!(cp_to_byte_checked(&s, cp), expected);
            }

            #[test]
            fn the_index_agrees_with_the_plain_conversions(s in "\\PC{0,300}", a in 0usize..310, b in 0usize..310) {
                let index = CpIndex::new(&s);
                prop_assert_eq!(index.len(), cp_len(&s));
                let expected = (a <= cp_len(&s)).then(|| cp_to_byte(&s, a));
                prop_assert_eq!(index.byte(&s, a), expected);
                prop_assert_eq!(index.slice(&s, a, b), slice_cp(&s, a, b));
                let expected = (a <= b && b <= cp_len(&s)).then(|| (cp_to_byte(&s, a), cp_to_byte(&s, b)));
                prop_assert_eq!(index.bytes(&s, a, b), expected);
            }

            #[test]
            fn slice_matches_chars(s in "\\PC{0,40}", a in 0usize..45, b in 0usize..45) {
                let (a, b) = (a.min(b), a.max(b));
                let expected: Option<String> =
                    (b <= cp_len(&s)).then(|| s.chars().skip(a).take(b - a).collect());
                prop_assert_eq!(slice_cp(&s, a, b).map(str::to_owned), expected);
            }
        }
    }
}
