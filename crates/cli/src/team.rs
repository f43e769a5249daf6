//! The team commands on a CouchDB database (docs/TEAM.md): `init` makes a database a project,
//! `push` uploads documents (and one annotator's annotations), `pull` downloads every document
//! with every annotator's annotations (or the gold set), `assign` shares the documents out,
//! `guidelines` gives the project its schema's guidelines and `agree` measures the project.

use spanmark_core::merge::merge;
use spanmark_core::AnnotatedDocument;
use spanmark_formats::team::dashboard::{self, Dashboard};
use spanmark_formats::team::plan::{self, Plan, PLAN_ID};
use spanmark_formats::team::{self, Status};

use crate::couch::{CouchError, Db};

/// What `init` did.
pub struct Initialised {
    /// Whether the database was created (else it was there).
    pub created: bool,
}

/// Makes `db` a Spanmark project: creates it if missing, installs the design document (over
/// an older one) and sets its `_security` (members annotate; curators and admins manage).
pub fn init(db: &Db) -> Result<Initialised, CouchError> {
    let created = db.create_if_missing()?;
    db.put_latest(&team::design_doc())?;
    db.set_security(&team::security())?;
    Ok(Initialised { created })
}

/// What `push` wrote.
#[derive(Default)]
pub struct Pushed {
    pub documents: usize,
    pub annotations: usize,
    /// Annotations the server had already, the same: not written again.
    pub unchanged: usize,
    /// For each annotation merged with a different version on the server: what happened.
    pub merged: Vec<String>,
}

/// Uploads `docs` (their title, text and schema), and, with `user`, each one's spans,
/// relations and note as that annotator's annotations, changed at `now` (then a document the
/// project has already is left as it is: annotators do not write documents). A document's id
/// comes from its title and text, so the same id is the same text.
pub fn push(
    db: &Db,
    docs: &[AnnotatedDocument],
    user: Option<&str>,
    now: &str,
) -> Result<Pushed, CouchError> {
    let mut pushed = Pushed::default();
    for doc in docs {
        // An annotator's push leaves a document that is there to its curators.
        let key = team::doc_key(&doc.document.id);
        if user.is_none() || db.get(&key)?.is_none() {
            db.put_latest(&team::document_json(&with_labels(doc)))?;
            pushed.documents += 1;
        }
        if let Some(user) = user {
            push_annotations(db, doc, user, now, &mut pushed)?;
        }
    }
    Ok(pushed)
}

/// `doc` as a project's document: a document read without labels of its own (plain text) gets
/// the default schema, so that its annotators have labels to tag with.
fn with_labels(doc: &AnnotatedDocument) -> std::borrow::Cow<'_, AnnotatedDocument> {
    if doc.schema.labels.is_empty() {
        let mut d = doc.clone();
        d.schema = spanmark_core::Schema::default();
        std::borrow::Cow::Owned(d)
    } else {
        std::borrow::Cow::Borrowed(doc)
    }
}

/// Writes `doc`'s annotations as `user`'s. When the server has a version of them already, a
/// different one (written from another device, say), the two are merged — everything of both
/// is kept, and each conflict said — never written over blindly.
fn push_annotations(
    db: &Db,
    doc: &AnnotatedDocument,
    user: &str,
    now: &str,
    pushed: &mut Pushed,
) -> Result<(), CouchError> {
    let key = team::ann_key(&doc.document.id, user);
    let mut body = team::annotation_json(doc, user, Status::InProgress, now);
    if let Some(old) = db.get(&key)? {
        let theirs = team::assemble(&team::document_json(doc), Some(&old))
            .map_err(|e| CouchError::Content(format!("{key}: {e}")))?;
        let same = theirs.spans() == doc.spans()
            && theirs.relations == doc.relations
            && theirs.document.note == doc.document.note;
        if same {
            pushed.unchanged += 1;
            return Ok(());
        }
        let merged =
            merge(None, &theirs, doc).map_err(|e| CouchError::Content(format!("{key}: {e}")))?;
        let r = &merged.report;
        let mut said = format!(
            "{}: merged with the version on the server ({} span{} added, {} changed, {} removed)",
            doc.document.title,
            r.spans_added,
            if r.spans_added == 1 { "" } else { "s" },
            r.spans_changed,
            r.spans_removed
        );
        for c in &r.conflicts {
            said.push_str("; ");
            said.push_str(c);
        }
        pushed.merged.push(said);
        let status = serde_json::from_value(old["status"].clone()).unwrap_or_default();
        body = team::annotation_json(&merged.doc, user, status, now);
        body["_rev"] = old["_rev"].clone();
    }
    db.put(&key, &body)?;
    pushed.annotations += 1;
    Ok(())
}

/// Every document of the project, once per annotator who annotated it (titled `title
/// (annotator)`), or once bare when nobody has; and what could not be read, each named.
pub fn pull(db: &Db) -> Result<(Vec<AnnotatedDocument>, Vec<String>), CouchError> {
    let docs = db.all_with_prefix(team::DOC_PREFIX)?;
    let anns = db.all_with_prefix(team::ANN_PREFIX)?;
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for doc in &docs {
        let key = doc["_id"].as_str().unwrap_or_default();
        let id = key.strip_prefix(team::DOC_PREFIX).unwrap_or_default();
        let prefix = format!("{}{id}:", team::ANN_PREFIX);
        let mine: Vec<&serde_json::Value> = anns
            .iter()
            .filter(|a| {
                a["_id"]
                    .as_str()
                    .and_then(|a| a.strip_prefix(&prefix))
                    .is_some_and(team::valid_user)
            })
            .collect();
        if mine.is_empty() {
            match team::assemble(doc, None) {
                Ok(d) => out.push(d),
                Err(e) => problems.push(format!("{key}: {e}")),
            }
        }
        for ann in mine {
            let user = ann["_id"]
                .as_str()
                .and_then(|a| a.strip_prefix(&prefix))
                .unwrap_or_default();
            match team::assemble(doc, Some(ann)) {
                Ok(mut d) => {
                    d.document.title = format!("{} ({user})", d.document.title);
                    out.push(d);
                }
                Err(e) => problems.push(format!("{}: {e}", team::ann_key(id, user))),
            }
        }
    }
    Ok((out, problems))
}

/// The project document, or an empty one when the project has none yet.
fn plan_of(db: &Db) -> Result<(Plan, Option<serde_json::Value>), CouchError> {
    match db.get(PLAN_ID)? {
        Some(v) => {
            let plan = Plan::from_json(&v).map_err(|e| CouchError::Content(e.to_string()))?;
            Ok((plan, Some(v["_rev"].clone())))
        }
        None => Ok((Plan::default(), None)),
    }
}

/// What `assign` did.
pub struct Assigned {
    /// Documents newly assigned.
    pub new: usize,
    /// Documents assigned before, left as they were.
    pub kept: usize,
    /// Documents per annotator, in the order given.
    pub load: Vec<(String, usize)>,
}

/// Assigns every document of the project that has no annotators yet to `per_document` of
/// `annotators` (the server's users with the annotator role when `None`), balanced, and
/// writes the assignments into the project document.
pub fn assign(
    db: &Db,
    annotators: Option<Vec<String>>,
    per_document: usize,
) -> Result<Assigned, CouchError> {
    let annotators = match annotators {
        Some(a) => a,
        None => db.users_with_role(team::ANNOTATOR)?,
    };
    let (mut plan, rev) = plan_of(db)?;
    let docs: Vec<String> = db
        .all_with_prefix(team::DOC_PREFIX)?
        .iter()
        .filter_map(|d| d["_id"].as_str()?.strip_prefix(team::DOC_PREFIX))
        .map(str::to_owned)
        .collect();
    let kept = docs
        .iter()
        .filter(|d| plan.assignments.contains_key(*d))
        .count();
    plan.assignments = plan::assign(&plan.assignments, &docs, &annotators, per_document)
        .map_err(|e| CouchError::Content(e.to_string()))?;
    let mut body = plan.to_json();
    if let Some(rev) = rev {
        body["_rev"] = rev;
    }
    db.put(PLAN_ID, &body)?;
    let load = annotators
        .iter()
        .map(|a| {
            let n = plan.assignments.values().filter(|u| u.contains(a)).count();
            (a.clone(), n)
        })
        .collect();
    Ok(Assigned {
        new: docs.len() - kept,
        kept,
        load,
    })
}

/// The project at a glance: progress, label counts and agreement across the corpus.
pub fn dashboard(db: &Db) -> Result<Dashboard, CouchError> {
    let (plan, _) = plan_of(db)?;
    let mut rows = db.all_with_prefix(team::DOC_PREFIX)?;
    rows.extend(db.all_with_prefix(team::ANN_PREFIX)?);
    rows.extend(db.all_with_prefix(plan::GOLD_PREFIX)?);
    Ok(dashboard::dashboard(&plan, &rows))
}

/// The gold set: every curated document, as its curator saved it; and what could not be read.
pub fn pull_gold(db: &Db) -> Result<(Vec<AnnotatedDocument>, Vec<String>), CouchError> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for gold in db.all_with_prefix(plan::GOLD_PREFIX)? {
        let key = gold["_id"].as_str().unwrap_or_default().to_owned();
        let id = key.strip_prefix(plan::GOLD_PREFIX).unwrap_or_default();
        let Some(doc) = db.get(&team::doc_key(id))? else {
            problems.push(format!("{key}: its document is not in the project"));
            continue;
        };
        match team::assemble(&doc, Some(&gold)) {
            Ok(d) => out.push(d),
            Err(e) => problems.push(format!("{key}: {e}")),
        }
    }
    Ok((out, problems))
}

/// Makes `schema` the project's (in the project document) and gives its guidelines to every
/// document of the project: each label and relation type a document has (by id) takes the
/// project's guideline, and the rest of its schema stays as it is. Annotators' apps take the
/// changed documents from the feed. The documents changed.
pub fn guidelines(db: &Db, schema: &spanmark_core::Schema) -> Result<usize, CouchError> {
    let (mut plan, rev) = plan_of(db)?;
    plan.schema = Some(schema.clone());
    let mut body = plan.to_json();
    if let Some(rev) = rev {
        body["_rev"] = rev;
    }
    db.put(PLAN_ID, &body)?;
    let mut changed = 0;
    for mut doc in db.all_with_prefix(team::DOC_PREFIX)? {
        let key = doc["_id"].as_str().unwrap_or_default().to_owned();
        let own: spanmark_core::Schema = serde_json::from_value(doc["schema"].clone())
            .map_err(|e| CouchError::Content(format!("{key}: {e}")))?;
        let (guided, differs) = own.with_guides_of(schema);
        if differs {
            doc["schema"] = serde_json::json!(guided);
            db.put(&key, &doc)?;
            changed += 1;
        }
    }
    Ok(changed)
}
