//! One annotator's copy of one team document kept in step with their `ann:` document on the
//! server, local-first: edits are made here and wait ([`Tracked::edited`]); what waits is sent
//! ([`Tracked::outgoing`]); the server's answer is taken in ([`Tracked::pushed`]); and a version
//! from the server — another device's, met as a 409 or through `_changes` — is taken as it is
//! when nothing waits, or merged three ways against the last version both had
//! ([`Tracked::arrived`]). Nothing is ever written over blindly.
//!
//! Pure: the HTTP and the storage are the app's. A `Tracked` serializes, to be kept beside the
//! document so that waiting edits survive a reload.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{annotation_json, assemble, Status};
use crate::error::FormatError;
use spanmark_core::merge::{merge, MergeReport};
use spanmark_core::AnnotatedDocument;

/// Where one annotator's copy of a team document stands with the server.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Tracked {
    /// The annotator.
    pub user: String,
    /// The revision of the `ann:` document this copy last had from the server, if any.
    pub rev: Option<String>,
    /// That revision's annotations (the server's JSON): the base of a three-way merge.
    pub base: Option<Value>,
    /// Whether edits made here wait to be sent.
    pub waiting: bool,
    /// A status set here (*Mark as done*) that the server does not have yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
}

/// What taking in a version from the server did to the copy here.
#[derive(Debug)]
pub enum Arrival {
    /// It is the revision this copy has already: nothing to do.
    Unchanged,
    /// Nothing waited here: the server's version is the copy now.
    Took(AnnotatedDocument),
    /// Edits waited here: merged with the server's version against the last version both had
    /// (everything of both kept, each conflict in the report); the merge waits to be sent.
    Merged {
        doc: AnnotatedDocument,
        report: MergeReport,
    },
}

/// Whether two copies of a document hold the same annotations (spans, relations, note).
pub fn same_annotations(a: &AnnotatedDocument, b: &AnnotatedDocument) -> bool {
    a.spans() == b.spans() && a.relations == b.relations && a.document.note == b.document.note
}

impl Tracked {
    /// A copy of `user`'s that the server has never seen.
    pub fn new(user: &str) -> Self {
        Tracked {
            user: user.to_owned(),
            ..Tracked::default()
        }
    }

    /// The status the server last had for this copy (in progress when it has none).
    pub fn server_status(&self) -> Status {
        self.base
            .as_ref()
            .and_then(|b| Status::deserialize(&b["status"]).ok())
            .unwrap_or_default()
    }

    /// The copy's status: the one set here while the server does not have it, else the
    /// server's.
    pub fn status(&self) -> Status {
        self.status.unwrap_or_else(|| self.server_status())
    }

    /// Sets the status here (*Mark as done*, or back to in progress): it waits to be sent.
    /// Whether it changed.
    pub fn mark(&mut self, status: Status) -> bool {
        if status == self.status() {
            return false;
        }
        self.status = (status != self.server_status()).then_some(status);
        self.waiting = true;
        true
    }

    /// Whether the status set here differs from the server's.
    pub fn status_waits(&self) -> bool {
        self.status.is_some_and(|s| s != self.server_status())
    }

    /// The copy here was edited: it waits to be sent.
    pub fn edited(&mut self) {
        self.waiting = true;
    }

    /// The `ann:` document to PUT for `local` (with the revision it replaces), when edits wait.
    pub fn outgoing(&self, local: &AnnotatedDocument, status: Status, now: &str) -> Option<Value> {
        if !self.waiting {
            return None;
        }
        let mut body = annotation_json(local, &self.user, status, now);
        if let Some(rev) = &self.rev {
            body["_rev"] = Value::from(rev.as_str());
        }
        Some(body)
    }

    /// The server took `sent` (the body of [`Tracked::outgoing`]) as revision `rev`; `local` is
    /// the copy as it is now, which may have been edited while the request was on its way (then
    /// it waits still).
    pub fn pushed(&mut self, sent: &Value, rev: &str, local: &AnnotatedDocument, doc_json: &Value) {
        let mut base = sent.clone();
        base["_rev"] = Value::from(rev);
        let changed_since = assemble(doc_json, Some(&base))
            .map_or(true, |server| !same_annotations(&server, local));
        self.rev = Some(rev.to_owned());
        self.base = Some(base);
        if !self.status_waits() {
            self.status = None;
        }
        self.waiting = changed_since || self.status_waits();
    }

    /// Takes in the server's version `theirs` (an `ann:` document of this annotator, with its
    /// `_rev`) of the document `doc_json`, given the copy here, `local`.
    pub fn arrived(
        &mut self,
        doc_json: &Value,
        theirs: &Value,
        local: &AnnotatedDocument,
    ) -> Result<Arrival, FormatError> {
        let rev = theirs["_rev"].as_str().map(str::to_owned);
        if rev.is_some() && rev == self.rev {
            return Ok(Arrival::Unchanged);
        }
        let server = assemble(doc_json, Some(theirs))?;
        if !self.waiting {
            self.rev = rev;
            self.base = Some(theirs.clone());
            self.status = None;
            return Ok(Arrival::Took(server));
        }
        let base = match &self.base {
            Some(b) => Some(assemble(doc_json, Some(b))?),
            None => None,
        };
        let merged = merge(base.as_ref(), local, &server).map_err(|e| FormatError::Invalid {
            at: "annotations".into(),
            message: e.to_string(),
        })?;
        self.rev = rev;
        self.base = Some(theirs.clone());
        self.waiting = !same_annotations(&merged.doc, &server) || self.status_waits();
        Ok(Arrival::Merged {
            doc: merged.doc,
            report: merged.report,
        })
    }
}

#[cfg(test)]
mod tests;
