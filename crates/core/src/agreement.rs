//! Agreement between annotators of one text, the comparison of their spans and relations, and
//! curation: one document made of what they agree on and the disputed items someone accepted.
//!
//! Every annotator's version of the document is an [`Annotation`]; all of them must have the
//! same text ([`AgreementError::DifferentText`]). Spans and relations are compared by content,
//! never by id: a span is its range and label, a relation its type and its two end spans.
//! docs/AGREEMENT.md gives the definitions with formulas and a worked example; in short:
//!
//! - **Span agreement** ([`agreement`]): precision, recall and F1 of one annotator's spans
//!   against another's. *Exact match*: same start, end and label. *Overlap match*: same label
//!   and at least one code point in common, matched one to one: candidate pairs are taken
//!   greedily, the largest overlap first, then the pair covering the least text together (so
//!   identical spans always pair with each other, and overlap never matches fewer than exact),
//!   then the earliest overlap start, then the smaller of the two ranges, then the larger (an
//!   order that does not depend on which side is the reference).
//! - **Pairs**: with two annotators A and B, B is measured against A (precision = matched / B's
//!   spans, recall = matched / A's spans, F1 = 2·matched / (A's + B's), the harmonic mean of
//!   the two). With more, every unordered pair is measured the same way, the one given earlier
//!   as the reference; precision, recall and F1 are the means of the pairs' values (a pair
//!   where a value is undefined is left out of its mean) and `matched`, `predicted` and
//!   `reference` the sums over the pairs. F1 does not depend on the order; precision and recall
//!   swap when the two annotators do.
//! - **Undefined** values are `None`: precision when the measured annotator has no spans,
//!   recall when the reference has none, F1 when neither has any.
//! - **Per label** rows restrict both sides to one label; the overall row pools all labels
//!   (micro average).
//! - **Relations**: exact match of type and both end spans (range and label), measured like
//!   spans.
//! - **Tokens** are the text's words ([`tokens`]: Unicode word boundaries, keeping segments
//!   that hold a letter or digit). An annotator gives a token the label of the shortest span
//!   covering all of it (ties: earliest start, then label id), or "O" when no span covers all
//!   of it; a nested span thus gives its label to its words, and a token a span covers only in
//!   part counts as not covered by it.
//! - **Cohen's kappa** (two annotators) and **Fleiss' kappa** (two or more) over those token
//!   labels, "O" being one category. Both are undefined (`None`) when chance agreement is 1
//!   (every annotator gives every token one and the same label, e.g. no spans at all) or the
//!   text has no tokens.
//!
//! [`compare`] lists every span and relation any annotator made, agreed (all have it) or
//! disputed; [`curate`] builds one document from the agreed ones and the disputed ones
//! accepted.
//!
//! This module holds the report ([`Report`]) and [`agreement`]; its parts, each using only
//! those before it: `annotation` (the versions compared, by content), `metrics` (precision,
//! recall, F1), `kappa` (token labels and the kappas), `compare` and `curate`. The plain-text
//! table `spanmark agree` prints of a report is the command line's (`crates/cli/src/table.rs`).

mod annotation;
mod compare;
mod corpus;
mod curate;
mod kappa;
mod metrics;

use std::collections::{BTreeSet, HashSet};

use serde::{Deserialize, Serialize};

use annotation::{check, Contents};
use kappa::{cohen, fleiss, token_labels};
use metrics::{by_label, exact_counts, label_counts, over_pairs, ByLabel, Count};

pub use annotation::{AgreementError, Annotation};
pub use compare::{compare, Comparison, Item, ItemKey};
pub use corpus::{corpus, CorpusReport, CorpusRow, DocumentReport, DocumentRow};
pub use curate::curate;
pub use kappa::tokens;
pub use metrics::Prf;

/// One row of the report: one label, or all of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelRow {
    /// The label id; "" for the overall row.
    pub label: String,
    /// The label's display name; "All labels" for the overall row.
    pub name: String,
    /// Spans per annotator (a span an annotator has twice, same range and label, counts once).
    pub counts: Vec<usize>,
    pub exact: Prf,
    pub overlap: Prf,
}

/// How far the annotators agree (see the module documentation for the definitions).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub annotators: Vec<String>,
    /// One per label used by any annotator, in the schema order of the first annotation, then
    /// of the others (then labels no schema has, by id).
    pub labels: Vec<LabelRow>,
    pub overall: LabelRow,
    /// Exact endpoints (span range and label at both ends) and type.
    pub relations: Prf,
    /// Relations per annotator (by content, as for spans).
    pub relation_counts: Vec<usize>,
    /// Tokens the kappas are computed over.
    pub tokens: usize,
    /// Exactly two annotators.
    pub cohen_kappa: Option<f64>,
    /// Two or more annotators.
    pub fleiss_kappa: Option<f64>,
}

/// The label ids used by any annotator, in schema order of the first annotation, then of the
/// others, then the ones no schema has (by id), each with its display name.
fn label_order<'a>(
    annotations: &[Annotation<'a>],
    used: &BTreeSet<&'a str>,
) -> Vec<(&'a str, &'a str)> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut order = Vec::new();
    for a in annotations {
        for l in &a.doc.schema.labels {
            if used.contains(l.id.as_str()) && seen.insert(l.id.as_str()) {
                order.push((l.id.as_str(), l.name.as_str()));
            }
        }
    }
    for &id in used {
        if seen.insert(id) {
            order.push((id, id));
        }
    }
    order
}

/// Every unordered pair of annotator indexes `(i, j)`, `i < j`.
fn pairs(n: usize) -> Vec<(usize, usize)> {
    (0..n)
        .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
        .collect()
}

/// Measures how far the annotators agree (see the module documentation).
pub fn agreement(annotations: &[Annotation]) -> Result<Report, AgreementError> {
    check(annotations)?;
    let contents: Vec<Contents> = annotations.iter().map(|a| Contents::of(a.doc)).collect();
    let labelled: Vec<ByLabel> = contents.iter().map(|c| by_label(&c.spans)).collect();
    let used: BTreeSet<&str> = labelled.iter().flat_map(|m| m.keys().copied()).collect();
    let pairs = pairs(annotations.len());
    let none: Vec<(usize, usize)> = Vec::new();

    let mut overall_exact = vec![Count::default(); pairs.len()];
    let mut overall_overlap = vec![Count::default(); pairs.len()];
    let labels: Vec<LabelRow> = label_order(annotations, &used)
        .into_iter()
        .map(|(id, name)| {
            let of = |i: usize| labelled[i].get(id).unwrap_or(&none);
            let (mut exact, mut overlap) = (Vec::new(), Vec::new());
            for (p, &(i, j)) in pairs.iter().enumerate() {
                let (e, o) = label_counts(of(i), of(j));
                overall_exact[p] += e;
                overall_overlap[p] += o;
                exact.push(e);
                overlap.push(o);
            }
            LabelRow {
                label: id.to_owned(),
                name: name.to_owned(),
                counts: (0..annotations.len()).map(|i| of(i).len()).collect(),
                exact: over_pairs(&exact),
                overlap: over_pairs(&overlap),
            }
        })
        .collect();
    let overall = LabelRow {
        label: String::new(),
        name: "All labels".to_owned(),
        counts: contents.iter().map(|c| c.spans.len()).collect(),
        exact: over_pairs(&overall_exact),
        overlap: over_pairs(&overall_overlap),
    };

    let relation_pairs: Vec<Count> = pairs
        .iter()
        .map(|&(i, j)| exact_counts(&contents[i].relations, &contents[j].relations))
        .collect();

    let tokens = tokens(&annotations[0].doc.document.text);
    let categories: Vec<&str> = used.iter().copied().collect();
    let k = categories.len() + 1;
    let token_labels: Vec<Vec<usize>> = contents
        .iter()
        .map(|c| token_labels(&c.spans, &tokens, &categories))
        .collect();
    let cohen_kappa = match token_labels.as_slice() {
        [a, b] => cohen(a, b, k),
        _ => None,
    };
    Ok(Report {
        annotators: annotations.iter().map(|a| a.name.to_owned()).collect(),
        labels,
        overall,
        relations: over_pairs(&relation_pairs),
        relation_counts: contents.iter().map(|c| c.relations.len()).collect(),
        tokens: tokens.len(),
        cohen_kappa,
        fleiss_kappa: fleiss(&token_labels, k),
    })
}
