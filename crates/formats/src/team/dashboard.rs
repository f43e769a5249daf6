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

/// A project's rows, read and checked once: what [`Corpus::progress`] and
/// [`Corpus::agreement`] measure (the app draws the first before it computes the second).
pub struct Corpus {
    /// Each `doc:` document's id and title, in id order.
    docs: BTreeMap<String, String>,
    /// The documents with a gold version.
    golds: BTreeSet<String>,
    /// Each document's annotations, in id order (so by user name).
    work: BTreeMap<String, Vec<Work>>,
    /// What could not be read, each named by its database id.
    pub problems: Vec<String>,
}

/// Reads a project's rows (every `doc:`, `ann:` and `gold:` document; others are ignored);
/// each annotation is checked against its document as a native file is.
pub fn read(rows: &[Value]) -> Corpus {
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
    let docs = docs
        .into_iter()
        .map(|(id, v)| {
            let title = v["title"].as_str().unwrap_or(&id).to_owned();
            (id, title)
        })
        .collect();
    Corpus {
        docs,
        golds,
        work,
        problems,
    }
}

impl Corpus {
    fn work_of(&self, id: &str) -> &[Work] {
        self.work.get(id).map_or(&[], Vec::as_slice)
    }

    /// Progress and label counts under `plan`; the agreement left empty (see
    /// [`Corpus::agreement`]).
    pub fn progress(&self, plan: &Plan) -> Dashboard {
        // Documents, with who is assigned and who is done.
        let documents: Vec<DocumentProgress> = self
            .docs
            .iter()
            .map(|(id, title)| DocumentProgress {
                id: id.clone(),
                title: title.clone(),
                assigned: match plan.assignments.get(id) {
                    Some(users) => users.clone(),
                    None if plan.assignments.is_empty() => {
                        self.work_of(id).iter().map(|w| w.user.clone()).collect()
                    }
                    None => Vec::new(),
                },
                done: self
                    .work_of(id)
                    .iter()
                    .filter(|w| w.status == Some(Status::Done))
                    .map(|w| w.user.clone())
                    .collect(),
                curated: self.golds.contains(id),
            })
            .collect();

        // Annotators: everyone assigned, and everyone who has worked.
        let mut users: BTreeSet<String> = plan.assignments.values().flatten().cloned().collect();
        users.extend(self.work.values().flatten().map(|w| w.user.clone()));
        let annotators = users
            .into_iter()
            .map(|user| {
                let mine = self.work.values().flatten().filter(|w| w.user == user);
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
        for w in self.work.values().flatten() {
            for s in w.doc.spans() {
                *counts.entry(s.label.clone()).or_default() += 1;
            }
        }
        let first_schema = plan.schema.clone().or_else(|| {
            self.work
                .values()
                .flatten()
                .next()
                .map(|w| w.doc.schema.clone())
        });
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
        Dashboard {
            annotators,
            documents,
            labels,
            agreement: corpus(&[]),
            problems: self.problems.clone(),
        }
    }

    /// The versions of document `id` whose annotators marked it done, in name order: what its
    /// agreement measures, and what curating it compares.
    pub fn finished(&self, id: &str) -> Vec<Annotation<'_>> {
        self.work_of(id)
            .iter()
            .filter(|w| w.status == Some(Status::Done))
            .map(|w| Annotation {
                name: &w.user,
                doc: &w.doc,
            })
            .collect()
    }

    /// Agreement over the documents with two or more annotators done, a document's annotators
    /// in name order (the first the reference of precision and recall); and the documents
    /// whose annotators could not be compared, each named.
    pub fn agreement(&self) -> (CorpusReport, Vec<String>) {
        let mut reports = Vec::new();
        let mut problems = Vec::new();
        for id in self.work.keys() {
            let annotations = self.finished(id);
            if annotations.len() < 2 {
                continue;
            }
            match agreement(&annotations) {
                Ok(report) => reports.push(DocumentReport {
                    id: id.clone(),
                    title: annotations[0].doc.document.title.clone(),
                    report,
                }),
                Err(e) => problems.push(format!("{DOC_PREFIX}{id}: {e}")),
            }
        }
        (corpus(&reports), problems)
    }
}

/// The dashboard of a project whose database holds `plan` and the documents `rows` (every
/// `doc:`, `ann:` and `gold:` document; others are ignored): [`read`], then progress and
/// agreement.
pub fn dashboard(plan: &Plan, rows: &[Value]) -> Dashboard {
    let corpus = read(rows);
    let mut board = corpus.progress(plan);
    let (agreement, problems) = corpus.agreement();
    board.agreement = agreement;
    board.problems.extend(problems);
    board
}

#[cfg(test)]
mod tests;
