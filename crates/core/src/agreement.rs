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

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;

use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

use super::model::{AnnotatedDocument, Document, Relation, Span};
use super::offsets::CpIndex;
use super::snap::check_range_indexed;

/// One annotator's version of the document.
#[derive(Clone, Copy, Debug)]
pub struct Annotation<'a> {
    pub name: &'a str,
    pub doc: &'a AnnotatedDocument,
}

/// Why annotations cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgreementError {
    /// Fewer than two annotations.
    TooFew,
    /// `other`'s text differs from `first`'s (names); `at`: the first code point where they
    /// differ (the shorter text's length when one is the start of the other).
    DifferentText {
        first: String,
        other: String,
        at: usize,
    },
}

impl std::fmt::Display for AgreementError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AgreementError::TooFew => write!(f, "agreement needs at least two annotations"),
            AgreementError::DifferentText { first, other, at } => write!(
                f,
                "{first} and {other} are not the same text (they differ from character {at})"
            ),
        }
    }
}

impl std::error::Error for AgreementError {}

/// Precision, recall and F1 of one comparison (None where undefined: nothing to divide by).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Prf {
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: Option<f64>,
    pub matched: usize,
    pub predicted: usize,
    pub reference: usize,
}

/// One row of the report: one label, or all of them.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
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

/// A span or relation, identified by content (not id), as the annotators wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum ItemKey {
    Span {
        start: usize,
        end: usize,
        label: String,
    },
    Relation {
        kind: String,
        from: (usize, usize, String),
        to: (usize, usize, String),
    },
}

/// One span or relation and who made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub key: ItemKey,
    /// The span's text, or "from text → to text".
    pub text: String,
    /// Indexes of the annotators who have it, in order.
    pub by: Vec<usize>,
}

/// Every span and relation of any annotator: `agreed` (all annotators have it) and `disputed`
/// (some lack it), in text order (spans by start, longer first, then label; then relations by
/// their from span, their to span and their type).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    pub agreed: Vec<Item>,
    pub disputed: Vec<Item>,
}

/// A span by content: start, end, label id.
type SpanKey<'a> = (usize, usize, &'a str);
/// A span by content as an [`ItemKey::Relation`] names its ends.
type OwnedSpanKey = (usize, usize, String);
/// A relation by content: type, from span, to span.
type RelationKey<'a> = (&'a str, SpanKey<'a>, SpanKey<'a>);

/// One annotator's spans and relations by content.
struct Contents<'a> {
    spans: BTreeSet<SpanKey<'a>>,
    relations: BTreeSet<RelationKey<'a>>,
}

fn span_key(s: &Span) -> SpanKey<'_> {
    (s.start, s.end, s.label.as_str())
}

impl<'a> Contents<'a> {
    /// The contents of `doc`; a relation naming a span the document lacks is left out.
    fn of(doc: &'a AnnotatedDocument) -> Self {
        let spans = doc.spans().iter().map(span_key).collect();
        let by_id: HashMap<&str, SpanKey> = doc
            .spans()
            .iter()
            .map(|s| (s.id.as_str(), span_key(s)))
            .collect();
        let relations = doc
            .relations
            .iter()
            .filter_map(|r| {
                Some((
                    r.kind.as_str(),
                    *by_id.get(r.from.as_str())?,
                    *by_id.get(r.to.as_str())?,
                ))
            })
            .collect();
        Contents { spans, relations }
    }
}

/// The code point where `a` and `b` first differ.
fn first_difference(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// Checks that there are at least two annotations, all of the first's text.
fn check(annotations: &[Annotation]) -> Result<(), AgreementError> {
    let [first, rest @ ..] = annotations else {
        return Err(AgreementError::TooFew);
    };
    if rest.is_empty() {
        return Err(AgreementError::TooFew);
    }
    let text = &first.doc.document.text;
    match rest.iter().find(|a| a.doc.document.text != *text) {
        Some(other) => Err(AgreementError::DifferentText {
            first: first.name.to_owned(),
            other: other.name.to_owned(),
            at: first_difference(text, &other.doc.document.text),
        }),
        None => Ok(()),
    }
}

/// Matched, predicted and reference counts of one comparison.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Count {
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
    fn prf(self) -> Prf {
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
fn over_pairs(pairs: &[Count]) -> Prf {
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

/// Code points two ranges share.
fn shared(a: (usize, usize), b: (usize, usize)) -> usize {
    a.1.min(b.1).saturating_sub(a.0.max(b.0))
}

/// How many spans of `predicted` match one of `reference` when spans overlapping by at least
/// one code point match, one to one (both lists of one label; see the module documentation for
/// the order pairs are taken in).
fn overlap_matches(reference: &[(usize, usize)], predicted: &[(usize, usize)]) -> usize {
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
type ByLabel<'a> = BTreeMap<&'a str, Vec<(usize, usize)>>;

fn by_label<'a>(spans: &BTreeSet<SpanKey<'a>>) -> ByLabel<'a> {
    let mut map: ByLabel = BTreeMap::new();
    for &(start, end, label) in spans {
        map.entry(label).or_default().push((start, end));
    }
    map
}

/// Exact and overlap counts of one pair for one label.
fn label_counts(reference: &[(usize, usize)], predicted: &[(usize, usize)]) -> (Count, Count) {
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
fn token_labels(
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
fn cohen(a: &[usize], b: &[usize], k: usize) -> Option<f64> {
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
fn fleiss(labels: &[Vec<usize>], k: usize) -> Option<f64> {
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
        .map(|&(i, j)| {
            let (reference, predicted) = (&contents[i].relations, &contents[j].relations);
            Count {
                matched: reference.intersection(predicted).count(),
                predicted: predicted.len(),
                reference: reference.len(),
            }
        })
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

/// The column heading of annotator `i`: A, B, … Z, then #27, #28, …
fn column(i: usize) -> String {
    match u8::try_from(i) {
        Ok(n) if n < 26 => char::from(b'A' + n).to_string(),
        _ => format!("#{}", i + 1),
    }
}

fn number(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.3}"))
}

/// Rows of cells as aligned text: the first column to the left, the others to the right.
fn aligned(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            let pad = widths[c].saturating_sub(cell.chars().count());
            if c == 0 {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str("  ");
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

impl Report {
    /// The report as an aligned plain-text table (what `spanmark agree` prints).
    pub fn table(&self) -> String {
        let n = self.annotators.len();
        let names: Vec<String> = (0..n).map(column).collect();
        let mut out = String::new();
        let legend: Vec<String> = names
            .iter()
            .zip(&self.annotators)
            .map(|(c, name)| format!("{c} = {name}"))
            .collect();
        let _ = writeln!(out, "Annotators: {}", legend.join(", "));
        if n == 2 {
            let _ = writeln!(out, "Precision and recall of B measured against A.");
        } else {
            let _ = writeln!(
                out,
                "Precision, recall and F1: means over the {} pairs of annotators, the earlier \
                 of each pair as the reference.",
                n * n.saturating_sub(1) / 2
            );
        }
        out.push('\n');

        let mut header = vec!["Label".to_owned()];
        header.extend(names.iter().cloned());
        header.extend(
            [
                "Exact P",
                "Exact R",
                "Exact F1",
                "Overlap P",
                "Overlap R",
                "Overlap F1",
            ]
            .map(str::to_owned),
        );
        let prf = |p: &Prf| [number(p.precision), number(p.recall), number(p.f1)];
        let row = |name: &str, counts: &[usize], exact: &Prf, overlap: Option<&Prf>| {
            let mut cells = vec![name.to_owned()];
            cells.extend(counts.iter().map(usize::to_string));
            cells.extend(prf(exact));
            if let Some(o) = overlap {
                cells.extend(prf(o));
            }
            cells
        };
        let mut rows = vec![header];
        for l in self.labels.iter().chain([&self.overall]) {
            rows.push(row(&l.name, &l.counts, &l.exact, Some(&l.overlap)));
        }
        rows.push(row(
            "Relations",
            &self.relation_counts,
            &self.relations,
            None,
        ));
        out.push_str(&aligned(&rows));
        out.push('\n');

        let kappa = |k: Option<f64>| match k {
            Some(k) => format!("{k:.3}"),
            None if self.tokens == 0 => "undefined (the text has no words)".to_owned(),
            None => "undefined (every word has the same label for everyone)".to_owned(),
        };
        let _ = writeln!(out, "Tokens: {}", self.tokens);
        if n == 2 {
            let _ = writeln!(out, "Cohen's kappa: {}", kappa(self.cohen_kappa));
        }
        let _ = writeln!(out, "Fleiss' kappa: {}", kappa(self.fleiss_kappa));
        out
    }
}

/// The order of spans in a comparison: by start, longer first, then by label.
fn span_rank(k: &SpanKey) -> (usize, Reverse<usize>, String) {
    (k.0, Reverse(k.1), k.2.to_owned())
}

/// Every span and relation of any annotator, agreed or disputed (see [`Comparison`]).
pub fn compare(annotations: &[Annotation]) -> Result<Comparison, AgreementError> {
    check(annotations)?;
    let text = &annotations[0].doc.document.text;
    let index = CpIndex::new(text);
    let slice = |k: &SpanKey| index.slice(text, k.0, k.1).unwrap_or_default();
    let contents: Vec<Contents> = annotations.iter().map(|a| Contents::of(a.doc)).collect();

    let mut spans: BTreeMap<SpanKey, Vec<usize>> = BTreeMap::new();
    let mut relations: BTreeMap<RelationKey, Vec<usize>> = BTreeMap::new();
    for (i, c) in contents.iter().enumerate() {
        for &k in &c.spans {
            spans.entry(k).or_default().push(i);
        }
        for &k in &c.relations {
            relations.entry(k).or_default().push(i);
        }
    }
    let mut spans: Vec<(SpanKey, Vec<usize>)> = spans.into_iter().collect();
    spans.sort_by_cached_key(|(k, _)| span_rank(k));
    let mut relations: Vec<(RelationKey, Vec<usize>)> = relations.into_iter().collect();
    relations.sort_by_cached_key(|((kind, from, to), _)| {
        (span_rank(from), span_rank(to), (*kind).to_owned())
    });

    let owned = |k: &SpanKey| (k.0, k.1, k.2.to_owned());
    let items = spans
        .into_iter()
        .map(|(k, by)| Item {
            key: ItemKey::Span {
                start: k.0,
                end: k.1,
                label: k.2.to_owned(),
            },
            text: slice(&k).to_owned(),
            by,
        })
        .chain(relations.into_iter().map(|((kind, from, to), by)| Item {
            key: ItemKey::Relation {
                kind: kind.to_owned(),
                from: owned(&from),
                to: owned(&to),
            },
            text: format!("{} \u{2192} {}", slice(&from), slice(&to)),
            by,
        }));
    let (agreed, disputed) = items.partition(|item| item.by.len() == annotations.len());
    Ok(Comparison { agreed, disputed })
}

/// Distinct non-blank notes, in order, joined with a blank line between; `None` if there are
/// none.
fn joined<'a>(notes: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut distinct: Vec<&str> = Vec::new();
    for note in notes {
        if !note.trim().is_empty() && !distinct.contains(&note) {
            distinct.push(note);
        }
    }
    (!distinct.is_empty()).then(|| distinct.join("\n\n"))
}

/// The curated document: every agreed item of `comparison` and the disputed ones in
/// `accepted`.
///
/// It has the first annotation's text and title (suffixed " (curated)"), its id derived from
/// them as a new document's is, and the first annotation's schema merged with the others'
/// ([`super::Schema::merged_with`], the first's items winning clashes). A relation is kept only
/// if both its end spans are kept; a relation type the merged schema defines more narrowly than
/// the annotator who made the relation had it is widened to allow the relation's ends. A span's
/// note, and the document note, join the distinct notes of the annotators who have them
/// (blank line between, in annotator order). Ids are fresh: `s1`, `s2`… in span order, `r1`,
/// `r2`… in the order of a comparison (by from span, to span, type). A span whose range cannot be a span of the text, or whose
/// label no schema has, is left out (only documents that are not valid have such spans).
pub fn curate(
    annotations: &[Annotation],
    comparison: &Comparison,
    accepted: &HashSet<ItemKey>,
) -> Result<AnnotatedDocument, AgreementError> {
    check(annotations)?;
    let first = annotations[0].doc;
    let text = &first.document.text;
    let index = CpIndex::new(text);
    let mut schema = annotations[1..]
        .iter()
        .fold(first.schema.clone(), |merged, a| {
            a.doc.schema.merged_with(&merged)
        });

    let chosen: Vec<&ItemKey> = comparison
        .agreed
        .iter()
        .map(|item| &item.key)
        .chain(
            comparison
                .disputed
                .iter()
                .map(|item| &item.key)
                .filter(|k| accepted.contains(*k)),
        )
        .collect();

    // Spans, in the model's order, with their notes.
    let notes: Vec<HashMap<SpanKey, Vec<&str>>> = annotations
        .iter()
        .map(|a| {
            let mut map: HashMap<SpanKey, Vec<&str>> = HashMap::new();
            for s in a.doc.spans() {
                let entry = map.entry(span_key(s)).or_default();
                entry.extend(s.note.as_deref());
            }
            map
        })
        .collect();
    let mut span_keys: Vec<SpanKey> = chosen
        .iter()
        .filter_map(|k| match k {
            ItemKey::Span { start, end, label } => Some((*start, *end, label.as_str())),
            ItemKey::Relation { .. } => None,
        })
        .filter(|&(start, end, label)| {
            schema.label(label).is_some() && check_range_indexed(text, &index, start, end).is_ok()
        })
        .collect();
    span_keys.sort_by_cached_key(span_rank);
    span_keys.dedup();
    let mut ids: HashMap<SpanKey, String> = HashMap::new();
    let mut spans = Vec::with_capacity(span_keys.len());
    for (i, &k) in span_keys.iter().enumerate() {
        let id = format!("s{}", i + 1);
        ids.insert(k, id.clone());
        let note = joined(
            notes
                .iter()
                .filter_map(|m| m.get(&k))
                .flat_map(|n| n.iter().copied()),
        );
        spans.push(Span {
            id,
            label: k.2.to_owned(),
            start: k.0,
            end: k.1,
            text: index.slice(text, k.0, k.1).unwrap_or_default().to_owned(),
            note,
        });
    }

    // Relations between kept spans, in text order as in a comparison.
    let rank = |k: &OwnedSpanKey| span_rank(&(k.0, k.1, k.2.as_str()));
    let mut relation_keys: Vec<(&String, &OwnedSpanKey, &OwnedSpanKey)> = chosen
        .iter()
        .filter_map(|k| match k {
            ItemKey::Relation { kind, from, to } => Some((kind, from, to)),
            ItemKey::Span { .. } => None,
        })
        .collect();
    relation_keys.sort_by_cached_key(|(kind, from, to)| (rank(from), rank(to), (*kind).clone()));
    let mut seen: HashSet<(String, String, String)> = HashSet::new();
    let mut relations = Vec::new();
    for (kind, from, to) in relation_keys {
        let end = |k: &OwnedSpanKey| ids.get(&(k.0, k.1, k.2.as_str())).cloned();
        let (Some(from_id), Some(to_id)) = (end(from), end(to)) else {
            continue;
        };
        let Some(rt) = schema.relation_types.iter_mut().find(|r| r.id == *kind) else {
            continue;
        };
        if !seen.insert((kind.clone(), from_id.clone(), to_id.clone())) {
            continue;
        }
        if !rt.from_labels.contains(&from.2) {
            rt.from_labels.push(from.2.clone());
        }
        if !rt.to_labels.contains(&to.2) {
            rt.to_labels.push(to.2.clone());
        }
        relations.push(Relation {
            id: format!("r{}", relations.len() + 1),
            kind: kind.clone(),
            from: from_id,
            to: to_id,
        });
    }

    let mut document = Document::new(format!("{} (curated)", first.document.title), text.clone());
    document.note = joined(
        annotations
            .iter()
            .filter_map(|a| a.doc.document.note.as_deref()),
    );
    Ok(AnnotatedDocument::from_parts(
        document, schema, spans, relations,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tokens: Lavrov [0,6) said [7,11) Kerry [12,17) denied [18,24) it [25,27) in [28,30)
    /// Geneva [31,37): seven.
    const TEXT: &str = "Lavrov said Kerry denied it in Geneva.";

    #[test]
    fn overlap_matches_pairs_a_contained_span_with_its_twin() {
        // A: "Lavrov said Kerry" [0,17) and "said" [7,11); B: "said Kerry denied" [7,24)
        // and "said" [7,11), each in span order. "said" overlaps both of B's spans by 4;
        // the pair covering less text is ("said", "said"). Then [0,17) pairs with [7,24)
        // (10 in common): overlap never matches fewer than exact.
        assert_eq!(overlap_matches(&[(0, 17), (7, 11)], &[(7, 24), (7, 11)]), 2);
    }

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
