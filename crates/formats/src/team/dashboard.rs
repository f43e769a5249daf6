//! What a curator's dashboard (and `spanmark agree URL/DB`) shows of a project: per annotator,
//! documents done of those assigned and spans made; per document, who is assigned, who is done
//! and whether it is curated; label counts across the corpus; and agreement over every
//! document with at least two finished annotators.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use super::plan::{Plan, Stage, GOLD_PREFIX};
use super::project::Key;
use super::{assemble, Status, DOC_PREFIX};
use spanmark_core::agreement::{agreement, corpus, Annotation, CorpusReport, DocumentReport};
use spanmark_core::AnnotatedDocument;

/// One annotator's progress.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AnnotatorProgress {
    pub user: String,
    /// Documents in their queue.
    pub assigned: usize,
    pub done: usize,
    pub in_progress: usize,
    /// Spans made, over every document.
    pub spans: usize,
}

/// One document's progress.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocumentProgress {
    pub id: String,
    pub title: String,
    /// Who should annotate it (everyone who has, when the project assigns nothing).
    pub assigned: Vec<String>,
    /// Who marked it done.
    pub done: Vec<String>,
    /// Whether a curator saved its gold version.
    pub curated: bool,
}

/// Spans of one label across the corpus.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LabelCount {
    pub label: String,
    pub name: String,
    pub spans: usize,
}

/// A project at a glance.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Dashboard {
    pub annotators: Vec<AnnotatorProgress>,
    pub documents: Vec<DocumentProgress>,
    /// In the order of the project's schema (or the first document's), then by id.
    pub labels: Vec<LabelCount>,
    /// Agreement over the documents with at least two annotators done.
    pub agreement: CorpusReport,
    /// What could not be read, each named by its database id.
    pub problems: Vec<String>,
}

/// One `ann:` document, read.
struct Work {
    user: String,
    status: Option<Status>,
    doc: AnnotatedDocument,
}

/// The dashboard of a project whose database holds `plan` and the documents `rows` (every
/// `doc:`, `ann:` and `gold:` document; others are ignored).
pub fn dashboard(plan: &Plan, rows: &[Value]) -> Dashboard {
    let id_of = |v: &Value| v["_id"].as_str().unwrap_or_default().to_owned();
    let mut problems = Vec::new();
    let docs: BTreeMap<String, &Value> = rows
        .iter()
        .filter_map(|v| Some((id_of(v).strip_prefix(DOC_PREFIX)?.to_owned(), v)))
        .collect();
    let golds: BTreeSet<String> = rows
        .iter()
        .filter_map(|v| Some(id_of(v).strip_prefix(GOLD_PREFIX)?.to_owned()))
        .collect();
    let mut work: BTreeMap<String, Vec<Work>> = BTreeMap::new();
    for v in rows {
        let key = id_of(v);
        let Some(Key::Ann {
            document: doc_id,
            user,
        }) = Key::of(&key)
        else {
            continue;
        };
        if !super::valid_user(user) {
            problems.push(format!("{key}: {user:?} cannot own annotations"));
            continue;
        }
        let Some(doc) = docs.get(doc_id) else {
            continue;
        };
        match assemble(doc, Some(v)) {
            Ok(d) => work.entry(doc_id.to_owned()).or_default().push(Work {
                user: user.to_owned(),
                status: serde_json::from_value(v["status"].clone()).ok(),
                doc: d,
            }),
            Err(e) => problems.push(format!("{key}: {e}")),
        }
    }
    let none: Vec<Work> = Vec::new();
    let work_of = |id: &str| work.get(id).unwrap_or(&none);

    // Documents, with who is assigned and who is done.
    let documents: Vec<DocumentProgress> = docs
        .iter()
        .map(|(id, v)| DocumentProgress {
            id: id.clone(),
            title: v["title"].as_str().unwrap_or(id).to_owned(),
            assigned: match plan.assignments.get(id) {
                Some(users) => users.clone(),
                None if plan.assignments.is_empty() => {
                    work_of(id).iter().map(|w| w.user.clone()).collect()
                }
                None => Vec::new(),
            },
            done: work_of(id)
                .iter()
                .filter(|w| w.status == Some(Status::Done))
                .map(|w| w.user.clone())
                .collect(),
            curated: golds.contains(id),
        })
        .collect();

    // Annotators: everyone assigned, and everyone who has worked.
    let mut users: BTreeSet<String> = plan.assignments.values().flatten().cloned().collect();
    users.extend(work.values().flatten().map(|w| w.user.clone()));
    let annotators = users
        .into_iter()
        .map(|user| {
            let mine = work.values().flatten().filter(|w| w.user == user);
            let (mut done, mut in_progress, mut spans) = (0, 0, 0);
            for w in mine {
                spans += w.doc.spans().len();
                match Stage::of(w.status, w.doc.spans().len()) {
                    Stage::Done => done += 1,
                    Stage::InProgress => in_progress += 1,
                    Stage::NotStarted => {}
                }
            }
            let assigned = documents
                .iter()
                .filter(|d| d.assigned.contains(&user))
                .count();
            AnnotatorProgress {
                user,
                assigned,
                done,
                in_progress,
                spans,
            }
        })
        .collect();

    // Label counts, in schema order.
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for w in work.values().flatten() {
        for s in w.doc.spans() {
            *counts.entry(s.label.clone()).or_default() += 1;
        }
    }
    let first_schema = plan
        .schema
        .clone()
        .or_else(|| work.values().flatten().next().map(|w| w.doc.schema.clone()));
    let mut labels = Vec::new();
    if let Some(schema) = &first_schema {
        for l in &schema.labels {
            labels.push(LabelCount {
                label: l.id.clone(),
                name: l.name.clone(),
                spans: counts.remove(&l.id).unwrap_or(0),
            });
        }
    }
    labels.extend(counts.into_iter().map(|(label, spans)| LabelCount {
        name: label.clone(),
        label,
        spans,
    }));

    // Agreement over documents with two or more done; a document's annotators in name order
    // (the rows come in id order), the first the reference of precision and recall.
    let mut reports = Vec::new();
    for (id, ws) in &work {
        let finished: Vec<&Work> = ws
            .iter()
            .filter(|w| w.status == Some(Status::Done))
            .collect();
        if finished.len() < 2 {
            continue;
        }
        let annotations: Vec<Annotation> = finished
            .iter()
            .map(|w| Annotation {
                name: &w.user,
                doc: &w.doc,
            })
            .collect();
        match agreement(&annotations) {
            Ok(report) => reports.push(DocumentReport {
                id: id.clone(),
                title: finished[0].doc.document.title.clone(),
                report,
            }),
            Err(e) => problems.push(format!("{DOC_PREFIX}{id}: {e}")),
        }
    }
    Dashboard {
        annotators,
        documents,
        labels,
        agreement: corpus(&reports),
        problems,
    }
}

#[cfg(test)]
mod tests;
