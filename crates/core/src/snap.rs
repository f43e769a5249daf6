//! Selection snapping and the span-boundary rules.
//!
//! A raw selection becomes a span range by: widening to whole grapheme clusters, trimming
//! white space at both ends, and (in word mode) widening to whole words. Words are UAX #29 word
//! segments (unicode-segmentation), further split before an apostrophe so that "Russia's" yields
//! "Russia" + "'s" as annotators expect. Line breaks are always word and grapheme boundaries, so
//! all of this is computed on the lines the selection touches, never on the whole document.

use unicode_segmentation::{GraphemeCursor, GraphemeIncomplete, UnicodeSegmentation};

use super::offsets::{byte_to_cp, cp_len, cp_to_byte, cp_to_byte_checked, CpIndex};

/// How a selection is widened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SnapMode {
    /// Widen to whole words (the default).
    #[default]
    Words,
    /// Keep the selection character-precise (still whole grapheme clusters).
    Characters,
}

/// Why a range cannot be a span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RangeError {
    Empty,
    OutOfBounds { len: usize },
    SplitsGrapheme,
    EdgeWhitespace,
}

impl std::fmt::Display for RangeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RangeError::Empty => write!(f, "the range is empty"),
            RangeError::OutOfBounds { len } => write!(
                f,
                "the range goes past the end of the text ({len} code points)"
            ),
            RangeError::SplitsGrapheme => write!(
                f,
                "the range starts or ends inside a character (grapheme cluster)"
            ),
            RangeError::EdgeWhitespace => write!(f, "the range starts or ends with white space"),
        }
    }
}

/// The byte window of the whole lines that contain bytes `[bs, be)`.
fn line_window(text: &str, bs: usize, be: usize) -> (usize, usize) {
    let ws = text[..bs].rfind('\n').map_or(0, |i| i + 1);
    let we = text[be..].find('\n').map_or(text.len(), |i| be + i + 1);
    (ws, we)
}

fn is_space(grapheme: &str) -> bool {
    grapheme.chars().all(char::is_whitespace)
}

/// Word pieces of `window` as byte ranges: UAX #29 words split before apostrophes.
fn word_pieces(window: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    window.split_word_bound_indices().flat_map(|(i, w)| {
        let mut cuts: Vec<usize> = w
            .char_indices()
            .filter(|&(j, c)| j > 0 && (c == '\'' || c == '\u{2019}'))
            .map(|(j, _)| i + j)
            .collect();
        cuts.insert(0, i);
        cuts.push(i + w.len());
        let wordlike = w.chars().any(char::is_alphanumeric);
        cuts.windows(2)
            .filter(move |_| wordlike)
            .map(|p| (p[0], p[1]))
            .collect::<Vec<_>>()
    })
}

/// The whole grapheme clusters of `window` that bytes `[s, e)` touch, without those at either
/// end that are only white space; `None` when nothing else is left.
fn trimmed_graphemes(window: &str, s: usize, e: usize) -> Option<(usize, usize)> {
    let inside: Vec<(usize, &str)> = window
        .grapheme_indices(true)
        .filter(|&(i, g)| i + g.len() > s && i < e)
        .collect();
    let first = inside.iter().position(|&(_, g)| !is_space(g))?;
    let last = inside.iter().rposition(|&(_, g)| !is_space(g))?;
    Some((inside[first].0, inside[last].0 + inside[last].1.len()))
}

/// Snaps the selection `[start, end)` (code points, in either order) to a span range, or `None`
/// when it holds nothing but white space. Out-of-range offsets are clamped.
pub fn snap(text: &str, start: usize, end: usize, mode: SnapMode) -> Option<(usize, usize)> {
    let (start, end) = (start.min(end), start.max(end));
    let (bs, be) = (cp_to_byte(text, start), cp_to_byte(text, end));
    if bs >= be {
        return None;
    }
    let (ws, we) = line_window(text, bs, be);
    let window = &text[ws..we];
    let (s, e) = (bs - ws, be - ws);

    let (mut s, mut e) = trimmed_graphemes(window, s, e)?;
    if mode == SnapMode::Words {
        for (ps, pe) in word_pieces(window) {
            if ps < s && s < pe {
                s = ps;
            }
            if ps < e && e < pe {
                e = pe;
            }
        }
        // A word piece may begin with white space that a mark attaches to ("\t\u{93f}" is
        // one word segment): trim again, so that the span never starts or ends with it.
        (s, e) = trimmed_graphemes(window, s, e)?;
    }
    Some((byte_to_cp(text, ws + s), byte_to_cp(text, ws + e)))
}

/// Checks that `[start, end)` can be a span of `text`: non-empty, in bounds, on grapheme-cluster
/// boundaries and without white space at either end.
pub fn check_range(text: &str, start: usize, end: usize) -> Result<(), RangeError> {
    span_bytes(text, start, end).map(|_| ())
}

/// [`check_range`], giving the byte offsets of the range when it can be a span.
pub fn span_bytes(text: &str, start: usize, end: usize) -> Result<(usize, usize), RangeError> {
    if start >= end {
        return Err(RangeError::Empty);
    }
    // One scan to `end`; the length (a scan of the whole text) only for the error.
    let bs = cp_to_byte_checked(text, start);
    let be = bs.and_then(|bs| Some(bs + cp_to_byte_checked(&text[bs..], end - start)?));
    match (bs, be) {
        (Some(bs), Some(be)) => check_bytes(text, bs, be).map(|()| (bs, be)),
        _ => Err(RangeError::OutOfBounds { len: cp_len(text) }),
    }
}

/// [`check_range`] with the offsets converted through `index` (made of `text`): for checking
/// many ranges of one long text.
pub fn check_range_indexed(
    text: &str,
    index: &CpIndex,
    start: usize,
    end: usize,
) -> Result<(), RangeError> {
    if start >= end {
        return Err(RangeError::Empty);
    }
    match index.bytes(text, start, end) {
        Some((bs, be)) => check_bytes(text, bs, be),
        None => Err(RangeError::OutOfBounds { len: index.len() }),
    }
}

/// [`check_range`] for a range already converted to the byte offsets `[bs, be)` of `text`: for
/// a caller that has them at hand. An offset past the end is out of bounds; one inside a
/// character splits it.
pub fn check_byte_range(text: &str, bs: usize, be: usize) -> Result<(), RangeError> {
    if bs >= be {
        return Err(RangeError::Empty);
    }
    if be > text.len() {
        return Err(RangeError::OutOfBounds { len: cp_len(text) });
    }
    if !text.is_char_boundary(bs) || !text.is_char_boundary(be) {
        return Err(RangeError::SplitsGrapheme);
    }
    check_bytes(text, bs, be)
}

/// Runs a grapheme-cursor `query` whose chunk is the whole of `text` (from byte 0), handing the
/// cursor the text before any offset it asks pre-context for. `None` only if the cursor asks for
/// something a whole-text chunk cannot give (never, for offsets on character boundaries).
fn grapheme_query<T>(
    text: &str,
    cursor: &mut GraphemeCursor,
    mut query: impl FnMut(&mut GraphemeCursor) -> Result<T, GraphemeIncomplete>,
) -> Option<T> {
    loop {
        match query(cursor) {
            Ok(v) => return Some(v),
            Err(GraphemeIncomplete::PreContext(n)) => cursor.provide_context(text.get(..n)?, 0),
            Err(_) => return None,
        }
    }
}

/// Whether byte `at` of `text` is an (extended) grapheme-cluster boundary.
fn is_grapheme_boundary(text: &str, at: usize) -> bool {
    let mut cursor = GraphemeCursor::new(at, text.len(), true);
    grapheme_query(text, &mut cursor, |c| c.is_boundary(text, 0)).unwrap_or(false)
}

/// The grapheme and white-space rules for the non-empty byte range `[bs, be)`.
///
/// Line breaks are grapheme boundaries, so deciding the two boundaries in the whole text gives
/// what segmenting the lines of the range gives; only the graphemes at the two ends are read.
fn check_bytes(text: &str, bs: usize, be: usize) -> Result<(), RangeError> {
    if !is_grapheme_boundary(text, bs) || !is_grapheme_boundary(text, be) {
        return Err(RangeError::SplitsGrapheme);
    }
    // Both ends are boundaries: the first grapheme starts at `bs`, the last ends at `be`.
    let mut cursor = GraphemeCursor::new(bs, text.len(), true);
    let first_end = grapheme_query(text, &mut cursor, |c| c.next_boundary(text, 0)).flatten();
    let mut cursor = GraphemeCursor::new(be, text.len(), true);
    let last_start = grapheme_query(text, &mut cursor, |c| c.prev_boundary(text, 0)).flatten();
    let first = first_end.and_then(|fe| text.get(bs..fe.min(be)));
    let last = last_start.and_then(|ls| text.get(ls.max(bs)..be));
    match (first, last) {
        (Some(f), Some(l)) if !is_space(f) && !is_space(l) => Ok(()),
        _ => Err(RangeError::EdgeWhitespace),
    }
}

/// The former [`check_bytes`], which segments the whole lines of the range: the reference the
/// boundary-only version is tested against.
#[cfg(test)]
fn check_bytes_by_segmenting(text: &str, bs: usize, be: usize) -> Result<(), RangeError> {
    let (ws, we) = line_window(text, bs, be);
    let window = &text[ws..we];
    let (s, e) = (bs - ws, be - ws);
    let mut starts_ok = false;
    let mut ends_ok = e == window.len();
    let mut first = None;
    let mut last = None;
    for (i, g) in window.grapheme_indices(true) {
        starts_ok |= i == s;
        ends_ok |= i == e;
        if i >= s && i < e {
            first.get_or_insert(g);
            last = Some(g);
        }
    }
    if !starts_ok || !ends_ok {
        return Err(RangeError::SplitsGrapheme);
    }
    match (first, last) {
        (Some(f), Some(l)) if !is_space(f) && !is_space(l) => Ok(()),
        _ => Err(RangeError::EdgeWhitespace),
    }
}

#[cfg(test)]
mod tests;
