//! The plain-text table `spanmark agree` prints of an agreement report: one column per
//! annotator (A, B, …), a row per label, the overall row and the relations row, then the kappas.

use std::fmt::Write as _;

use spanmark_core::agreement::{Prf, Report};
use spanmark_formats::team::dashboard::Dashboard;

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

/// The report as an aligned plain-text table (what `spanmark agree` prints).
pub fn table(report: &Report) -> String {
    let n = report.annotators.len();
    let names: Vec<String> = (0..n).map(column).collect();
    let mut out = String::new();
    let legend: Vec<String> = names
        .iter()
        .zip(&report.annotators)
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
    for l in report.labels.iter().chain([&report.overall]) {
        rows.push(row(&l.name, &l.counts, &l.exact, Some(&l.overlap)));
    }
    rows.push(row(
        "Relations",
        &report.relation_counts,
        &report.relations,
        None,
    ));
    out.push_str(&aligned(&rows));
    out.push('\n');

    let kappa = |k: Option<f64>| match k {
        Some(k) => format!("{k:.3}"),
        None if report.tokens == 0 => "undefined (the text has no words)".to_owned(),
        None => "undefined (every word has the same label for everyone)".to_owned(),
    };
    let _ = writeln!(out, "Tokens: {}", report.tokens);
    if n == 2 {
        let _ = writeln!(out, "Cohen's kappa: {}", kappa(report.cohen_kappa));
    }
    let _ = writeln!(out, "Fleiss' kappa: {}", kappa(report.fleiss_kappa));
    out
}

/// A project's agreement across its corpus (what `spanmark agree URL/DB` prints): a row per
/// label and the overall row, micro- and macro-averaged, then one line per document.
pub fn corpus_table(d: &Dashboard) -> String {
    let c = &d.agreement;
    let mut out = String::new();
    let done: usize = d.annotators.iter().map(|a| a.done).sum();
    let assigned: usize = d.annotators.iter().map(|a| a.assigned).sum();
    let _ = writeln!(
        out,
        "Documents: {}; done {done} of {assigned} assigned; {} with two or more annotators done \
         (agreement is measured over these).",
        d.documents.len(),
        c.documents.len()
    );
    let _ = writeln!(
        out,
        "Micro: counts summed over the documents. Macro: the mean of the documents' F1."
    );
    out.push('\n');
    let mut rows = vec![[
        "Label",
        "Docs",
        "Spans",
        "Exact P",
        "Exact R",
        "Exact F1",
        "Macro F1",
        "Overlap F1",
        "Overlap macro F1",
    ]
    .map(str::to_owned)
    .to_vec()];
    for l in c.labels.iter().chain([&c.overall]) {
        rows.push(vec![
            l.name.clone(),
            l.documents.to_string(),
            l.spans.to_string(),
            number(l.exact.precision),
            number(l.exact.recall),
            number(l.exact.f1),
            number(l.exact_macro_f1),
            number(l.overlap.f1),
            number(l.overlap_macro_f1),
        ]);
    }
    out.push_str(&aligned(&rows));
    out.push('\n');
    let mut docs = vec![["Document", "Annotators", "Exact F1", "Fleiss' kappa"]
        .map(str::to_owned)
        .to_vec()];
    for doc in &c.documents {
        docs.push(vec![
            doc.title.clone(),
            doc.annotators.join(", "),
            number(doc.exact_f1),
            number(doc.fleiss_kappa),
        ]);
    }
    out.push_str(&aligned(&docs));
    let _ = writeln!(out, "\nMean Fleiss' kappa: {}", number(c.mean_fleiss_kappa));
    out
}

#[cfg(test)]
mod tests;
