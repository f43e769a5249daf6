//! A team's corpus in a CouchDB database (docs/TEAM.md): the JSON of its documents, and turning
//! them back into annotated documents.
//!
//! One database is one project. It holds:
//! - `doc:<document id>` — a document: its title, text and schema (written by curators; the
//!   text never changes: a new text is a new document);
//! - `ann:<document id>:<user name>` — one annotator's spans, relations and document note for
//!   that document, in the native file's layout, with a status and when it last changed; one
//!   annotator's work never shares a CouchDB document with another's, so two annotators never
//!   conflict;
//! - `_design/spanmark`, whose `validate_doc_update` lets a member write only their own `ann:`
//!   documents and only curators (and admins) anything else, and checks the shape of spans.
//!
//! Everything here is pure: the HTTP is the command line's and the app's.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::error::FormatError;
use crate::native;
use spanmark_core::{AnnotatedDocument, Relation, Schema, Span};

/// The prefix of a document's id in the database.
pub const DOC_PREFIX: &str = "doc:";
/// The prefix of an annotation's id in the database.
pub const ANN_PREFIX: &str = "ann:";
/// The id of the design document.
pub const DESIGN_ID: &str = "_design/spanmark";
/// The role of users who manage a project (write documents, curate).
pub const CURATOR: &str = "curator";
/// The role of users who annotate.
pub const ANNOTATOR: &str = "annotator";

/// The design document's `validate_doc_update`: who may write what, and the shape of spans.
/// (The server enforces it; the app's own checks are for its messages, not for trust.)
pub const VALIDATE: &str = r#"function (newDoc, oldDoc, userCtx, secObj) {
  var roles = userCtx.roles || [];
  if (!userCtx.name) { throw({unauthorized: 'Sign in to write.'}); }
  var curator = roles.indexOf('_admin') !== -1 || roles.indexOf('curator') !== -1;
  var id = newDoc._id;
  if (id.indexOf('ann:') === 0) {
    var owner = id.slice(id.lastIndexOf(':') + 1);
    if (owner !== userCtx.name && !curator) {
      throw({forbidden: 'Only ' + owner + ' may write the annotations of ' + owner + '.'});
    }
    if (newDoc._deleted) { return; }
    if (!Array.isArray(newDoc.spans)) { throw({forbidden: 'The annotations need a list of spans.'}); }
    for (var i = 0; i < newDoc.spans.length; i++) {
      var s = newDoc.spans[i];
      if (!s || typeof s.label !== 'string' || s.label === '') {
        throw({forbidden: 'Span ' + i + ' has no label.'});
      }
      if (s.start !== Math.floor(s.start) || s.end !== Math.floor(s.end) || !(s.start >= 0 && s.start < s.end)) {
        throw({forbidden: 'Span ' + i + ' needs whole-number offsets with start < end.'});
      }
    }
  } else if (!curator) {
    throw({forbidden: 'Only a curator may write ' + id + '.'});
  }
}"#;

/// The design document to install.
pub fn design_doc() -> Value {
    json!({
        "_id": DESIGN_ID,
        "language": "javascript",
        "validate_doc_update": VALIDATE,
    })
}

/// The database's `_security`: members (annotators and curators) may read and write what the
/// design document allows; curators manage it.
pub fn security() -> Value {
    json!({
        "admins": { "names": [], "roles": [CURATOR] },
        "members": { "names": [], "roles": [ANNOTATOR, CURATOR] },
    })
}

/// The database id of document `id`.
pub fn doc_key(id: &str) -> String {
    format!("{DOC_PREFIX}{id}")
}

/// The database id of `user`'s annotations of document `id`.
pub fn ann_key(id: &str, user: &str) -> String {
    format!("{ANN_PREFIX}{id}:{user}")
}

/// Whether `name` can own annotations: not empty, no `:` (ids split at the last one).
pub fn valid_user(name: &str) -> bool {
    !name.is_empty() && !name.contains(':') && name.trim() == name
}

/// Where an annotator is with a document.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    #[default]
    #[serde(rename = "in progress")]
    InProgress,
    #[serde(rename = "done")]
    Done,
}

/// The `doc:` document of `doc`: its title, text and schema.
pub fn document_json(doc: &AnnotatedDocument) -> Value {
    json!({
        "_id": doc_key(&doc.document.id),
        "type": "document",
        "title": doc.document.title,
        "text": doc.document.text,
        "schema": doc.schema,
    })
}

/// The `ann:` document of `user`'s annotations of `doc`, changed at `changed` (an ISO 8601
/// time).
pub fn annotation_json(
    doc: &AnnotatedDocument,
    user: &str,
    status: Status,
    changed: &str,
) -> Value {
    json!({
        "_id": ann_key(&doc.document.id, user),
        "type": "annotation",
        "document": doc.document.id,
        "user": user,
        "spans": doc.spans(),
        "relations": doc.relations,
        "note": doc.document.note,
        "status": status,
        "changed": changed,
    })
}

#[derive(Deserialize)]
struct DocFields {
    #[serde(rename = "_id")]
    id: String,
    title: String,
    text: String,
    schema: Schema,
}

#[derive(Deserialize)]
struct AnnFields {
    #[serde(default)]
    spans: Vec<Span>,
    #[serde(default)]
    relations: Vec<Relation>,
    #[serde(default)]
    note: Option<String>,
}

fn invalid(at: &str, e: impl std::fmt::Display) -> FormatError {
    FormatError::Invalid {
        at: at.to_owned(),
        message: e.to_string(),
    }
}

/// The annotated document of a `doc:` document and, when given, one annotator's `ann:`
/// document of it: checked as a native file is (offsets, texts, labels, relations), so that
/// nothing the server holds opens half-right.
pub fn assemble(doc: &Value, ann: Option<&Value>) -> Result<AnnotatedDocument, FormatError> {
    let fields: DocFields =
        serde_json::from_value(doc.clone()).map_err(|e| invalid("document", e))?;
    let id = fields
        .id
        .strip_prefix(DOC_PREFIX)
        .ok_or_else(|| invalid("document", format!("{:?} is not a doc: id", fields.id)))?;
    let ann: AnnFields = match ann {
        Some(a) => serde_json::from_value(a.clone()).map_err(|e| invalid("annotations", e))?,
        None => AnnFields {
            spans: Vec::new(),
            relations: Vec::new(),
            note: None,
        },
    };
    let mut document = json!({ "id": id, "title": fields.title, "text": fields.text });
    if let Some(note) = ann.note.filter(|n| !n.is_empty()) {
        document["note"] = Value::from(note);
    }
    let file = json!({
        "format": native::FORMAT,
        "version": native::VERSION,
        "document": document,
        "schema": fields.schema,
        "spans": ann.spans,
        "relations": ann.relations,
    });
    native::parse(&file.to_string())
}

pub mod dashboard;
pub mod plan;
pub mod project;
pub mod sync;

#[cfg(test)]
mod tests;
