//! Precision, recall and F1 of one annotator's spans (or relations) against another's:
//! exact matching, overlap matching one to one, and the means over pairs of annotators.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde::{Deserialize, Serialize};

use super::annotation::SpanKey;

/// Precision, recall and F1 of one comparison (None where undefined: nothing to divide by).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Prf {
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: Option<f64>,
    pub matched: usize,
    pub predicted: usize,
    pub reference: usize,
}

/// Matched, predicted and reference counts of one comparison.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Count {
    matched: usize,
    predicted: usize,
    reference: usize,
}

impl std::ops::AddAssign for Count {
    fn add_assign(&mut self, other: Count) {
        self.matched += other.matched;
        self.predicted += other.predicted;
        self.reference += other.reference;
    }
}

fn ratio(n: usize, d: usize) -> Option<f64> {
    (d > 0).then(|| n as f64 / d as f64)
}

impl Count {
    /// The counts `p` was computed from.
    pub(super) fn of(p: &Prf) -> Count {
        Count {
            matched: p.matched,
            predicted: p.predicted,
            reference: p.reference,
        }
    }

    pub(super) fn prf(self) -> Prf {
        let Count {
            matched,
            predicted,
            reference,
        } = self;
        Prf {
            precision: ratio(matched, predicted),
            recall: ratio(matched, reference),
            f1: ratio(2 * matched, predicted + reference),
            matched,
            predicted,
            reference,
        }
    }
}

/// The pairs' measures combined: the mean of each value over the pairs where it is defined,
/// and the sums of the counts.
pub(super) fn over_pairs(pairs: &[Count]) -> Prf {
    let prfs: Vec<Prf> = pairs.iter().map(|c| c.prf()).collect();
    let mean = |value: fn(&Prf) -> Option<f64>| {
        let values: Vec<f64> = prfs.iter().filter_map(value).collect();
        (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
    };
    let mut total = Count::default();
    for &c in pairs {
        total += c;
    }
    Prf {
        precision: mean(|p| p.precision),
        recall: mean(|p| p.recall),
        f1: mean(|p| p.f1),
        ..total.prf()
    }
}

/// Exact matches of one pair of sets of items (relations by content): those both have.
pub(super) fn exact_counts<T: Ord>(reference: &BTreeSet<T>, predicted: &BTreeSet<T>) -> Count {
    Count {
        matched: reference.intersection(predicted).count(),
        predicted: predicted.len(),
        reference: reference.len(),
    }
}

/// Code points two ranges share.
fn shared(a: (usize, usize), b: (usize, usize)) -> usize {
    a.1.min(b.1).saturating_sub(a.0.max(b.0))
}

/// How many spans of `predicted` match one of `reference` when spans overlapping by at least
/// one code point match, one to one (both lists of one label; see the module documentation for
/// the order pairs are taken in).
pub(super) fn overlap_matches(reference: &[(usize, usize)], predicted: &[(usize, usize)]) -> usize {
    // Every overlapping pair, by a sweep over the spans in order of start: a span overlaps
    // exactly the spans of the other side that started before it and have not ended yet.
    let mut events: Vec<(usize, bool, usize)> = reference
        .iter()
        .enumerate()
        .map(|(i, r)| (r.0, false, i))
        .chain(predicted.iter().enumerate().map(|(j, p)| (p.0, true, j)))
        .collect();
    events.sort_unstable();
    let (mut open_reference, mut open_predicted): (Vec<usize>, Vec<usize>) = (vec![], vec![]);
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (start, is_predicted, i) in events {
        open_reference.retain(|&r| reference[r].1 > start);
        open_predicted.retain(|&p| predicted[p].1 > start);
        if is_predicted {
            pairs.extend(open_reference.iter().map(|&r| (r, i)));
            open_predicted.push(i);
        } else {
            pairs.extend(open_predicted.iter().map(|&p| (i, p)));
            open_reference.push(i);
        }
    }
    pairs.retain(|&(r, p)| shared(reference[r], predicted[p]) > 0);
    pairs.sort_by_cached_key(|&(r, p)| {
        let (a, b) = (reference[r], predicted[p]);
        let together = a.1.max(b.1).saturating_sub(a.0.min(b.0));
        (
            Reverse(shared(a, b)),
            together,
            a.0.max(b.0),
            a.min(b),
            a.max(b),
        )
    });
    let mut used_reference = vec![false; reference.len()];
    let mut used_predicted = vec![false; predicted.len()];
    let mut matched = 0;
    for (r, p) in pairs {
        if !used_reference[r] && !used_predicted[p] {
            used_reference[r] = true;
            used_predicted[p] = true;
            matched += 1;
        }
    }
    matched
}

/// One annotator's spans by label: ranges in order.
pub(super) type ByLabel<'a> = BTreeMap<&'a str, Vec<(usize, usize)>>;

pub(super) fn by_label<'a>(spans: &BTreeSet<SpanKey<'a>>) -> ByLabel<'a> {
    let mut map: ByLabel = BTreeMap::new();
    for &(start, end, label) in spans {
        map.entry(label).or_default().push((start, end));
    }
    map
}

/// Exact and overlap counts of one pair for one label.
pub(super) fn label_counts(
    reference: &[(usize, usize)],
    predicted: &[(usize, usize)],
) -> (Count, Count) {
    let exact = {
        let set: HashSet<&(usize, usize)> = reference.iter().collect();
        predicted.iter().filter(|p| set.contains(p)).count()
    };
    let count = |matched| Count {
        matched,
        predicted: predicted.len(),
        reference: reference.len(),
    };
    (count(exact), count(overlap_matches(reference, predicted)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_matches_pairs_a_contained_span_with_its_twin() {
        // A: "Lavrov said Kerry" [0,17) and "said" [7,11); B: "said Kerry denied" [7,24)
        // and "said" [7,11), each in span order. "said" overlaps both of B's spans by 4;
        // the pair covering less text is ("said", "said"). Then [0,17) pairs with [7,24)
        // (10 in common): overlap never matches fewer than exact.
        assert_eq!(overlap_matches(&[(0, 17), (7, 11)], &[(7, 24), (7, 11)]), 2);
    }
}
