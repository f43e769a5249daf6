//! The project document (`project` in the database, written by curators): the project's
//! schema with its guidelines, and who annotates which document. And the curated result of a
//! document, `gold:<document id>`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::Status;
use crate::error::FormatError;
use spanmark_core::{AnnotatedDocument, Schema};

/// The id of the project document.
pub const PLAN_ID: &str = "project";
/// The prefix of a curated (gold) document's id.
pub const GOLD_PREFIX: &str = "gold:";

/// The database id of document `id`'s curated version.
pub fn gold_key(id: &str) -> String {
    format!("{GOLD_PREFIX}{id}")
}

/// The project document.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The project's schema, guidelines included; `None` when the documents' own schemas are
    /// all there is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<Schema>,
    /// Document id → the annotators assigned to it, in the order they were assigned.
    #[serde(default)]
    pub assignments: BTreeMap<String, Vec<String>>,
}

impl Plan {
    /// The project document's JSON (without `_rev`).
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "_id": PLAN_ID,
            "type": "project",
            "assignments": self.assignments,
        });
        if let Some(schema) = &self.schema {
            v["schema"] = json!(schema);
        }
        v
    }

    /// Reads a project document; its schema is checked as a file's is.
    pub fn from_json(value: &Value) -> Result<Plan, FormatError> {
        let plan: Plan =
            serde_json::from_value(value.clone()).map_err(|e| FormatError::Invalid {
                at: PLAN_ID.to_owned(),
                message: e.to_string(),
            })?;
        if let Some(schema) = &plan.schema {
            schema.check().map_err(|e| FormatError::Invalid {
                at: format!("{PLAN_ID}: schema"),
                message: e.to_string(),
            })?;
        }
        Ok(plan)
    }

    /// The documents assigned to `user`, in id order; every document of `all` when the project
    /// assigns nothing (then everyone annotates everything).
    pub fn queue<'a>(&'a self, user: &str, all: &'a [String]) -> Vec<&'a str> {
        if self.assignments.is_empty() {
            return all.iter().map(String::as_str).collect();
        }
        self.assignments
            .iter()
            .filter(|(_, users)| users.iter().any(|u| u == user))
            .map(|(doc, _)| doc.as_str())
            .collect()
    }
}

/// Why documents cannot be assigned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AssignError {
    /// Each document needs `per_document` annotators and there are only `annotators`.
    TooFew {
        per_document: usize,
        annotators: usize,
    },
    /// Zero annotators per document.
    Zero,
}

impl std::fmt::Display for AssignError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AssignError::TooFew {
                per_document,
                annotators,
            } => write!(
                f,
                "each document needs {per_document} annotators and the project has {annotators}"
            ),
            AssignError::Zero => write!(f, "each document needs at least one annotator"),
        }
    }
}

impl std::error::Error for AssignError {}

/// `assignments` with every document of `documents` that has none given `per_document` of
/// `annotators`, balanced: each goes to the annotators with the fewest documents so far (ties
/// in the order `annotators` are given), so that no annotator has more than one document more
/// than another and pairs vary. Documents already assigned keep their annotators (work that
/// has started is not moved), and count towards the balance.
pub fn assign(
    assignments: &BTreeMap<String, Vec<String>>,
    documents: &[String],
    annotators: &[String],
    per_document: usize,
) -> Result<BTreeMap<String, Vec<String>>, AssignError> {
    if per_document == 0 {
        return Err(AssignError::Zero);
    }
    if per_document > annotators.len() {
        return Err(AssignError::TooFew {
            per_document,
            annotators: annotators.len(),
        });
    }
    let mut out = assignments.clone();
    let mut load: Vec<usize> = annotators
        .iter()
        .map(|a| out.values().filter(|users| users.contains(a)).count())
        .collect();
    for doc in documents {
        if out.contains_key(doc) {
            continue;
        }
        let mut order: Vec<usize> = (0..annotators.len()).collect();
        order.sort_by_key(|&i| (load[i], i));
        let chosen: Vec<usize> = order.into_iter().take(per_document).collect();
        for &i in &chosen {
            load[i] += 1;
        }
        out.insert(
            doc.clone(),
            chosen.iter().map(|&i| annotators[i].clone()).collect(),
        );
    }
    Ok(out)
}

/// Where an annotator is with a document of their queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Stage {
    #[serde(rename = "not started")]
    NotStarted,
    #[serde(rename = "in progress")]
    InProgress,
    #[serde(rename = "done")]
    Done,
}

impl Stage {
    /// The stage of annotations whose `ann:` document is `ann` (`None`: there is none yet),
    /// holding `spans` spans: not started while nothing is marked and nothing is made.
    pub fn of(status: Option<Status>, spans: usize) -> Stage {
        match status {
            Some(Status::Done) => Stage::Done,
            Some(Status::InProgress) if spans > 0 => Stage::InProgress,
            _ => Stage::NotStarted,
        }
    }

    /// The words for it.
    pub fn words(self) -> &'static str {
        match self {
            Stage::NotStarted => "not started",
            Stage::InProgress => "in progress",
            Stage::Done => "done",
        }
    }
}

/// The `gold:` document of `doc`, the curated version of its document, by `curator` at
/// `changed`: an annotation document in every other way (docs/TEAM.md).
pub fn gold_json(
    doc: &AnnotatedDocument,
    document_id: &str,
    curator: &str,
    changed: &str,
) -> Value {
    let mut v = super::annotation_json(doc, curator, Status::Done, changed);
    v["_id"] = Value::from(gold_key(document_id));
    v["type"] = Value::from("gold");
    v["document"] = Value::from(document_id);
    v
}

#[cfg(test)]
mod tests;
