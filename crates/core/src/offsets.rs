//! Offset conversion between the three ways of counting text.
//!
//! The data model counts Unicode code points (half-open `[start, end)`), Rust's `&str` counts
//! UTF-8 bytes and the DOM counts UTF-16 code units. Conversion happens only at those edges, here.
//! Every function clamps out-of-range input instead of panicking.

/// Whether a UTF-8 byte starts a character (is not a continuation byte `10xxxxxx`).
fn starts_char(b: u8) -> bool {
    (b as i8) >= -0x40
}

/// The continuation bytes (bit 7 set, bit 6 clear) of the 8 bytes of `word`, as 1 in each byte
/// lane that holds one and 0 elsewhere.
fn continuation_lanes(word: &[u8]) -> u64 {
    let w = u64::from_le_bytes(word.try_into().unwrap_or_default());
    // `w << 1` brings each byte's bit 6 to its bit 7; bits crossing into the next lane land
    // in its bit 0, which the mask drops.
    ((w & !(w << 1)) >> 7) & 0x0101_0101_0101_0101
}

/// The sum of the byte lanes of `lanes`, which must be below 256.
fn lane_sum(lanes: u64) -> usize {
    (lanes.wrapping_mul(0x0101_0101_0101_0101) >> 56) as usize
}

/// Bytes per block of [`chars_in`]: 31 words, so that a lane's count (at most 31) and the sum
/// of all eight (at most 248) fit a byte.
const BLOCK: usize = 8 * 31;

/// Characters starting in `bytes`.
///
/// Eight bytes at a time with plain 64-bit arithmetic (the browser's wasm has it; a byte loop
/// is not vectorised at opt-level "z"): continuation bytes are summed per byte lane over a
/// block of words, then the lanes added with one multiplication.
fn chars_in(bytes: &[u8]) -> usize {
    let mut continuations = 0;
    for block in bytes.chunks(BLOCK) {
        let mut words = block.chunks_exact(8);
        let lanes = (&mut words).map(continuation_lanes).sum();
        continuations += lane_sum(lanes);
        continuations += words
            .remainder()
            .iter()
            .filter(|&&b| !starts_char(b))
            .count();
    }
    bytes.len() - continuations
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
/// Counts character starts a block, then a word, at a time and walks only the last word, so a
/// long text costs a fast scan rather than decoding every character.
pub fn cp_to_byte_checked(s: &str, cp: usize) -> Option<usize> {
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
    for word in bytes[at..].chunks_exact(8) {
        let n = 8 - lane_sum(continuation_lanes(word));
        if seen + n > cp {
            break;
        }
        seen += n;
        at += 8;
    }
    for (i, &b) in bytes[at..].iter().enumerate() {
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
        // Character starts by their bytes, no decoding; byte by byte only in the words where a
        // sample falls.
        let mut sample_in = |bytes: &[u8], at: usize, len: &mut usize| {
            for (i, &b) in bytes.iter().enumerate() {
                if starts_char(b) {
                    if len.is_multiple_of(Self::STEP) {
                        samples.push(at + i);
                    }
                    *len += 1;
                }
            }
        };
        let mut words = bytes.chunks_exact(8);
        for (w, word) in (&mut words).enumerate() {
            let n = 8 - lane_sum(continuation_lanes(word));
            let r = len % Self::STEP;
            // Its characters are numbered len..len + n: is one of them a multiple of STEP?
            if n > 0 && (r == 0 || r + n > Self::STEP) {
                sample_in(word, w * 8, &mut len);
            } else {
                len += n;
            }
        }
        let rest = words.remainder();
        sample_in(rest, bytes.len() - rest.len(), &mut len);
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
mod tests;
