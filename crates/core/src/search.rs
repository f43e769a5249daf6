//! Text search and "tag all matches".
//!
//! `find` returns matches as code-point ranges of the original text, non-overlapping, left to
//! right. Case-insensitive search compares the `char::to_lowercase` sequences of both sides, so
//! characters whose lowercase has another length (`İ` → `i̇`) neither break the search nor shift
//! offsets: a match must cover whole characters of the original text. `tag_all` turns matches
//! into `AddSpan` actions that are all certain to apply, so they can be applied as one step.

use std::collections::HashSet;

use super::edit::{Action, EditError};
use super::model::AnnotatedDocument;
use super::snap::check_range;

/// How a query is matched.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SearchOptions {
    /// Match upper and lower case exactly (otherwise both are compared in lowercase).
    pub case_sensitive: bool,
    /// Only matches with no letter or digit immediately before or after them.
    pub whole_word: bool,
}

/// Whether `c` continues a word: letters, digits and combining marks (so that a whole-word
/// match never ends between a letter and its accent).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(c,
            '\u{0300}'..='\u{036f}'
            | '\u{1ab0}'..='\u{1aff}'
            | '\u{1dc0}'..='\u{1dff}'
            | '\u{20d0}'..='\u{20ff}'
            | '\u{fe20}'..='\u{fe2f}'
            | '\u{200c}'..='\u{200d}')
}

/// The text as the sequence that is compared: each character, or its lowercase sequence, with
/// the index of the original character each element came from.
fn fold(text: &str, case_sensitive: bool) -> (Vec<char>, Vec<usize>) {
    let mut folded = Vec::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len());
    for (i, c) in text.chars().enumerate() {
        if case_sensitive {
            folded.push(c);
            origin.push(i);
        } else {
            for l in c.to_lowercase() {
                folded.push(l);
                origin.push(i);
            }
        }
    }
    (folded, origin)
}

/// The Knuth–Morris–Pratt failure table of `pattern`.
fn failure_table(pattern: &[char]) -> Vec<usize> {
    let mut table = vec![0; pattern.len()];
    let mut k = 0;
    for i in 1..pattern.len() {
        while k > 0 && pattern[i] != pattern[k] {
            k = table[k - 1];
        }
        if pattern[i] == pattern[k] {
            k += 1;
        }
        table[i] = k;
    }
    table
}

/// Every occurrence of `query` in `text` as code-point ranges `[start, end)` of `text`:
/// non-overlapping, left to right (at each position the leftmost possible match is taken).
/// An empty query matches nothing. Runs in time linear in the text and query lengths.
pub fn find(text: &str, query: &str, options: SearchOptions) -> Vec<(usize, usize)> {
    let (pattern, _) = fold(query, options.case_sensitive);
    if pattern.is_empty() {
        return Vec::new();
    }
    let (folded, origin) = fold(text, options.case_sensitive);
    let chars: Vec<char> = text.chars().collect();
    let table = failure_table(&pattern);
    let word_at = |i: usize| chars.get(i).copied().is_some_and(is_word_char);

    let mut matches = Vec::new();
    let mut next_free = 0; // the first original character not yet covered by a match
    let mut k = 0;
    for (i, &c) in folded.iter().enumerate() {
        while k > 0 && c != pattern[k] {
            k = table[k - 1];
        }
        if c == pattern[k] {
            k += 1;
        }
        if k < pattern.len() {
            continue;
        }
        // An occurrence in the folded text at [i + 1 - len, i]; it counts only if it covers
        // whole original characters.
        let first = i + 1 - pattern.len();
        let start = origin[first];
        let end = origin[i] + 1;
        let whole_chars = (first == 0 || origin[first - 1] != start)
            && origin.get(i + 1).is_none_or(|&o| o != origin[i]);
        let free = start >= next_free;
        let word_ok = !options.whole_word || ((start == 0 || !word_at(start - 1)) && !word_at(end));
        if whole_chars && free && word_ok {
            matches.push((start, end));
            next_free = end;
        }
        k = table[k - 1];
    }
    matches
}

/// The index of the match a search is "at" for the cursor position `cursor` (a code-point
/// offset): the first match starting at or after it, else the first match; `None` when there
/// are no matches.
pub fn current_index(matches: &[(usize, usize)], cursor: usize) -> Option<usize> {
    if matches.is_empty() {
        return None;
    }
    let i = matches.partition_point(|&(s, _)| s < cursor);
    Some(if i < matches.len() { i } else { 0 })
}

/// The actions that tag matches, and what was left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TagAllPlan {
    /// One `AddSpan` per taggable match, in text order; applying them all succeeds.
    pub actions: Vec<Action>,
    /// Matches that already carry the label at exactly that range (or are listed twice).
    pub already_tagged: usize,
    /// Matches that cannot be spans (`check_range`: inside a character, white space at an end,
    /// empty or past the end of the text).
    pub invalid: usize,
}

/// Plans tagging every match with `label`: an `AddSpan` for each match that is a valid span
/// range (`check_range`) and does not already carry that label at exactly that range. Every
/// planned action applies on `doc`, so the plan can be applied as one atomic step.
pub fn tag_all(
    doc: &AnnotatedDocument,
    matches: &[(usize, usize)],
    label: &str,
) -> Result<TagAllPlan, EditError> {
    if doc.schema.label(label).is_none() {
        return Err(EditError::UnknownLabel(label.to_owned()));
    }
    let text = &doc.document.text;
    // Byte offset of every code point (and of the end), to check each match on its own lines.
    let bytes: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect();
    let mut taken: HashSet<(usize, usize)> = doc
        .spans()
        .iter()
        .filter(|s| s.label == label)
        .map(|s| (s.start, s.end))
        .collect();
    let mut plan = TagAllPlan::default();
    for &(start, end) in matches {
        if taken.contains(&(start, end)) {
            plan.already_tagged += 1;
            continue;
        }
        if !valid_range(text, &bytes, start, end) {
            plan.invalid += 1;
            continue;
        }
        taken.insert((start, end));
        plan.actions.push(Action::AddSpan {
            start,
            end,
            label: label.to_owned(),
        });
    }
    Ok(plan)
}

/// `check_range(text, start, end)`, computed on the whole lines around the range only (the
/// span rules never look past a line break), so checking many matches stays linear.
fn valid_range(text: &str, bytes: &[usize], start: usize, end: usize) -> bool {
    if start >= end || end >= bytes.len() {
        return false;
    }
    let (bs, be) = (bytes[start], bytes[end]);
    let ws = text[..bs].rfind('\n').map_or(0, |i| i + 1);
    let we = text[be..].find('\n').map_or(text.len(), |i| be + i + 1);
    // Code-point offset of the window start (the window starts on a character boundary, at
    // or before `bs`, so at or before `start`).
    let wcp = bytes.partition_point(|&b| b < ws);
    let (Some(s), Some(e)) = (start.checked_sub(wcp), end.checked_sub(wcp)) else {
        return false;
    };
    check_range(&text[ws..we], s, e).is_ok()
}

#[cfg(test)]
mod tests;
