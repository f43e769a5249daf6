//! Agreement across a corpus: every document's [`Report`] combined, per label and overall,
//! micro- and macro-averaged (docs/AGREEMENT.md, "Across a corpus").
//!
//! - **Micro**: the matched, predicted and reference counts of every document (each already
//!   summed over its pairs of annotators) are added up, and precision, recall and F1 computed
//!   from the sums: a document with many spans weighs more.
//! - **Macro**: the mean of the documents' F1 where it is defined: every document weighs the
//!   same.
//!
//! Per label, only the documents where some annotator used the label take part.

use serde::{Deserialize, Serialize};

use super::metrics::{Count, Prf};
use super::Report;

/// One document's agreement, as the corpus report takes it.
#[derive(Debug, Clone)]
pub struct DocumentReport {
    /// The document's id.
    pub id: String,
    /// Its title.
    pub title: String,
    pub report: Report,
}

/// One label (or every label) across the corpus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorpusRow {
    /// The label id; "" for the overall row.
    pub label: String,
    /// The label's display name; "All labels" for the overall row.
    pub name: String,
    /// Documents where some annotator used the label (every document for the overall row).
    pub documents: usize,
    /// Spans of the label, summed over every annotator of every document.
    pub spans: usize,
    /// Exact match, micro-averaged.
    pub exact: Prf,
    /// Exact-match F1, macro-averaged.
    pub exact_macro_f1: Option<f64>,
    /// Overlap match, micro-averaged.
    pub overlap: Prf,
    /// Overlap-match F1, macro-averaged.
    pub overlap_macro_f1: Option<f64>,
}

/// One document's line of the corpus report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentRow {
    pub id: String,
    pub title: String,
    pub annotators: Vec<String>,
    /// Exact-match F1 over all labels.
    pub exact_f1: Option<f64>,
    /// Exact-match F1 of each label of [`CorpusReport::labels`], in that order (`None` where
    /// nobody used the label in this document, or it is undefined).
    pub label_f1: Vec<Option<f64>>,
    pub fleiss_kappa: Option<f64>,
}

/// Agreement across a corpus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorpusReport {
    pub documents: Vec<DocumentRow>,
    /// One per label used anywhere, in the order they first appear in the documents' reports.
    pub labels: Vec<CorpusRow>,
    pub overall: CorpusRow,
    /// The mean of the documents' Fleiss' kappas where defined.
    pub mean_fleiss_kappa: Option<f64>,
}

fn mean(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let defined: Vec<f64> = values.flatten().collect();
    (!defined.is_empty()).then(|| defined.iter().sum::<f64>() / defined.len() as f64)
}

/// Precision, recall and F1 of the summed counts of `prfs`.
fn pooled<'a>(prfs: impl Iterator<Item = &'a Prf>) -> Prf {
    let mut total = Count::default();
    for p in prfs {
        total += Count::of(p);
    }
    total.prf()
}

/// Combines the rows `rows` (one label's, or the overall ones, of some documents).
fn combine(label: &str, name: &str, rows: &[&super::LabelRow]) -> CorpusRow {
    CorpusRow {
        label: label.to_owned(),
        name: name.to_owned(),
        documents: rows.len(),
        spans: rows.iter().flat_map(|r| &r.counts).sum(),
        exact: pooled(rows.iter().map(|r| &r.exact)),
        exact_macro_f1: mean(rows.iter().map(|r| r.exact.f1)),
        overlap: pooled(rows.iter().map(|r| &r.overlap)),
        overlap_macro_f1: mean(rows.iter().map(|r| r.overlap.f1)),
    }
}

/// The corpus-wide report of `documents` (see the module documentation).
pub fn corpus(documents: &[DocumentReport]) -> CorpusReport {
    let mut order: Vec<(&str, &str)> = Vec::new();
    for d in documents {
        for row in &d.report.labels {
            if !order.iter().any(|(id, _)| *id == row.label) {
                order.push((&row.label, &row.name));
            }
        }
    }
    let labels: Vec<CorpusRow> = order
        .iter()
        .map(|&(id, name)| {
            let rows: Vec<&super::LabelRow> = documents
                .iter()
                .filter_map(|d| d.report.labels.iter().find(|r| r.label == id))
                .collect();
            combine(id, name, &rows)
        })
        .collect();
    let overall_rows: Vec<&super::LabelRow> = documents.iter().map(|d| &d.report.overall).collect();
    let rows = documents
        .iter()
        .map(|d| DocumentRow {
            id: d.id.clone(),
            title: d.title.clone(),
            annotators: d.report.annotators.clone(),
            exact_f1: d.report.overall.exact.f1,
            label_f1: order
                .iter()
                .map(|(id, _)| {
                    let row = d.report.labels.iter().find(|r| r.label == *id)?;
                    row.exact.f1
                })
                .collect(),
            fleiss_kappa: d.report.fleiss_kappa,
        })
        .collect();
    CorpusReport {
        documents: rows,
        labels,
        overall: combine("", "All labels", &overall_rows),
        mean_fleiss_kappa: mean(documents.iter().map(|d| d.report.fleiss_kappa)),
    }
}
