//! Token labels and the kappas over them: each annotator gives every word of the text a label
//! (or "O"), and Cohen's (two annotators) and Fleiss' (two or more) kappa measure how far those
//! labels agree beyond chance.

use std::collections::BTreeSet;

use unicode_segmentation::UnicodeSegmentation;

use super::annotation::SpanKey;

/// The words of `text` the kappas are computed over, as code-point ranges `[start, end)`: the
/// segments between Unicode word boundaries (UAX #29) that hold a letter or digit, so spaces
/// and punctuation are not tokens.
pub fn tokens(text: &str) -> Vec<(usize, usize)> {
    let mut at = 0;
    let mut out = Vec::new();
    for word in text.split_word_bounds() {
        let len = word.chars().count();
        if word.chars().any(char::is_alphanumeric) {
            out.push((at, at + len));
        }
        at += len;
    }
    out
}

/// Each token's category for one annotator: 0 for "O", `i + 1` for the label
/// `categories[i]` (`categories`: every label id of `spans`, sorted). A token takes the label
/// of the shortest span covering the whole token (ties: earliest start, then label id).
pub(super) fn token_labels(
    spans: &BTreeSet<SpanKey>,
    tokens: &[(usize, usize)],
    categories: &[&str],
) -> Vec<usize> {
    let category = |label: &str| categories.binary_search(&label).map_or(0, |i| i + 1);
    // Spans by start (the set's order); `open` holds those started by the token's start,
    // shortest first. A span that ends before a token ends covers no later token either.
    let mut next = spans.iter().peekable();
    let mut open: BTreeSet<(usize, usize, &str, usize)> = BTreeSet::new();
    tokens
        .iter()
        .map(|&(start, end)| {
            while let Some(&&(s, e, label)) = next.peek() {
                if s > start {
                    break;
                }
                open.insert((e.saturating_sub(s), s, label, e));
                next.next();
            }
            while let Some(&first) = open.first() {
                if first.3 >= end {
                    return category(first.2);
                }
                open.remove(&first);
            }
            0
        })
        .collect()
}

/// How many items of each of `k` categories a list has.
fn tally(labels: impl Iterator<Item = usize>, k: usize) -> Vec<i128> {
    let mut counts = vec![0; k];
    for l in labels {
        if let Some(c) = counts.get_mut(l) {
            *c += 1;
        }
    }
    counts
}

/// Cohen's kappa of two annotators' token categories (`k` of them): (p_o − p_e) / (1 − p_e),
/// computed as (T·agreed − Σ a_k·b_k) / (T² − Σ a_k·b_k) with the counts a_k, b_k of each
/// category.
pub(super) fn cohen(a: &[usize], b: &[usize], k: usize) -> Option<f64> {
    let t = a.len() as i128;
    let agreed = a.iter().zip(b).filter(|(x, y)| x == y).count() as i128;
    let (ta, tb) = (tally(a.iter().copied(), k), tally(b.iter().copied(), k));
    let chance: i128 = ta.iter().zip(&tb).map(|(x, y)| x * y).sum();
    let denominator = t * t - chance;
    (t > 0 && denominator != 0).then(|| (t * agreed - chance) as f64 / denominator as f64)
}

/// Fleiss' kappa of n annotators' token categories (`labels[annotator][token]`, `k` of them):
/// (P̄ − P̄_e) / (1 − P̄_e), with P̄ the mean over tokens of (Σ_k n_ik² − n) / (n(n − 1)) and
/// P̄_e = Σ_k p_k², p_k the share of all T·n labels in category k. Computed as one fraction
/// of integers, ((S − M)·M − C·(n − 1)) / ((n − 1)·(M² − C)) with M = T·n, S = Σ_i Σ_k n_ik²
/// and C = Σ_k (T·n·p_k)², so that it is exact up to the final division.
pub(super) fn fleiss(labels: &[Vec<usize>], k: usize) -> Option<f64> {
    let n = labels.len() as i128;
    let t = labels.first().map_or(0, Vec::len);
    let m = t as i128 * n;
    let mut s = 0i128;
    // Token by token: n_ik counted, squared, and the counts set back to 0.
    let mut counts: Vec<i128> = vec![0; k];
    for i in 0..t {
        for l in labels {
            if let Some(c) = l.get(i).and_then(|&c| counts.get_mut(c)) {
                *c += 1;
            }
        }
        for l in labels {
            if let Some(c) = l.get(i).and_then(|&c| counts.get_mut(c)) {
                s += *c * *c;
                *c = 0;
            }
        }
    }
    let totals = tally(labels.iter().flatten().copied(), k);
    let c: i128 = totals.iter().map(|c| c * c).sum();
    let denominator = (n - 1) * (m * m - c);
    (n >= 2 && t > 0 && denominator != 0)
        .then(|| ((s - m) * m - c * (n - 1)) as f64 / denominator as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tokens: Lavrov [0,6) said [7,11) Kerry [12,17) denied [18,24) it [25,27) in [28,30)
    /// Geneva [31,37): seven.
    const TEXT: &str = "Lavrov said Kerry denied it in Geneva.";

    #[test]
    fn a_token_takes_the_shortest_span_covering_all_of_it() {
        let set = |spans: &[(usize, usize, &'static str)]| -> BTreeSet<SpanKey<'static>> {
            spans.iter().copied().collect()
        };
        let toks = tokens(TEXT);
        let categories = ["actor", "claim", "denial", "place"];
        let labels = |spans: &BTreeSet<SpanKey>| -> Vec<Option<&str>> {
            token_labels(spans, &toks, &categories)
                .into_iter()
                .map(|c| c.checked_sub(1).map(|i| categories[i]))
                .collect()
        };
        // "Ker" [12,15) covers part of "Kerry" only: not its label. "Kerry" as an actor and as
        // a place: the lower label id wins the tie. "said Kerry denied" and "Lavrov said":
        // "said" [7,11) takes the shorter one.
        let spans = set(&[
            (12, 15, "claim"),
            (12, 17, "place"),
            (12, 17, "actor"),
            (7, 24, "denial"),
            (0, 11, "claim"),
        ]);
        assert_eq!(
            labels(&spans),
            [
                Some("claim"),
                Some("claim"),
                Some("actor"),
                Some("denial"),
                None,
                None,
                None
            ]
        );
        // Equal lengths: the earlier start wins. [0,11) and [7,18) both cover "said" and are
        // both 11 long.
        let spans = set(&[(0, 11, "place"), (7, 18, "actor")]);
        assert_eq!(labels(&spans)[1], Some("place"));
    }
}
