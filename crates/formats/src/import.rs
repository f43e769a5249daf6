//! What every importer shares: the context it reads into, the problems it reports, and a
//! [`Builder`] that turns the items of a foreign file into a checked annotated document.
//!
//! Foreign formats name labels and relation types (`"Actor"`, `"said_by"`, `"LOC"`); the
//! builder maps each name onto the schema in force — its exact name, or the same with white
//! space as `_` (as brat and CoNLL write it), or else one spelled the same ignoring case, with a
//! warning — and adds a label
//! or relation type for a name it does not know. Ids are internal: a name never matches one.
//! Every span is checked against the text: offsets in range, the covered text equal to the text
//! the file gives (when it gives one), on grapheme-cluster boundaries and without white space at
//! either end. Anything wrong is a [`Problem`] naming the line or item; nothing is guessed.

use std::collections::{HashMap, HashSet};

use unicode_segmentation::UnicodeSegmentation;

use crate::error::{FormatError, Problem};
use crate::text::check_start;
use spanmark_core::offsets::CpIndex;
use spanmark_core::snap::check_range_indexed;
use spanmark_core::{Action, AnnotatedDocument, Document, EditError, Schema, Span};

/// What an importer read: one or more documents, and warnings about what a file carried that
/// Spanmark keeps elsewhere or cannot keep (e.g. brat attributes). Warnings are not errors.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Imported {
    pub documents: Vec<AnnotatedDocument>,
    pub warnings: Vec<Problem>,
    /// How many of the files' items (spans, relations, notes) were read into the documents.
    /// With the warnings that say an item was skipped, it accounts for every item.
    pub read: usize,
}

/// What an importer needs besides the file.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// The title for a document the file does not name (usually the file name's stem).
    pub title: &'a str,
    /// The schema to map label and relation names onto.
    pub schema: &'a Schema,
    /// The document text, for formats that do not carry it (W3C annotations, brat `.ann`
    /// alone) or carry it only as tokens (CoNLL). `None` when there is none.
    pub text: Option<&'a str>,
    /// Refuse spans with white space at either end instead of trimming them (with a warning).
    pub strict: bool,
    /// Names for numeric label ids (doccano's label file: id → name), when one is given.
    pub label_names: Option<&'a LabelNames>,
}

/// Label names by the numeric ids a file uses for them (doccano's label export).
pub type LabelNames = HashMap<String, String>;

impl<'a> Context<'a> {
    /// Reading a file titled `title` onto `schema`, with no text beside it, leniently.
    pub fn new(title: &'a str, schema: &'a Schema) -> Self {
        Context {
            title,
            schema,
            text: None,
            strict: false,
            label_names: None,
        }
    }

    /// The same context with `text` given beside the file.
    pub fn with_text(self, text: Option<&'a str>) -> Self {
        Context { text, ..self }
    }

    /// The document text given beside the file, for a format that does not carry it; without
    /// one, the file cannot be read, and `missing` says why.
    pub fn required_text(&self, missing: &str) -> Result<&'a str, FormatError> {
        self.text
            .ok_or_else(|| FormatError::Problems(vec![Problem::new("file", missing)]))
    }
}

/// Names match ignoring case, with white space as `_` (as brat and CoNLL write it): `"said
/// by"` is `said_by`. A hyphen is a hyphen: `located-in` is not `located_in`.
pub fn name_key(name: &str) -> String {
    bare_name(name).to_lowercase()
}

/// The id and name of the item of `items` (id, name) called `name`: by its exact name; or as
/// brat and CoNLL write it (white space as `_`); or else ignoring case ([`name_key`]), which
/// the caller says. Ids are internal: a name never matches one.
fn matching<'a>(
    items: impl Iterator<Item = (&'a String, &'a String)> + Clone,
    name: &str,
) -> Option<(String, String)> {
    let exact = name.trim();
    let bare = bare_name(name);
    let key = name_key(name);
    items
        .clone()
        .find(|(_, n)| n.as_str() == exact)
        .or_else(|| items.clone().find(|(_, n)| bare_name(n) == bare))
        .or_else(|| items.into_iter().find(|(_, n)| name_key(n) == key))
        .map(|(id, n)| (id.clone(), n.clone()))
}

/// A name with white space replaced by `_`, for formats whose type names cannot contain it
/// (brat, CoNLL tags).
pub fn bare_name(name: &str) -> String {
    name.trim()
        .chars()
        .map(|c| if c.is_whitespace() { '_' } else { c })
        .collect()
}

/// Builds one annotated document from a foreign file's items.
///
/// Spans are collected (`pending`) and taken into the document, sorted once, only when a
/// relation or the end needs them there: adding them one by one through `Action::AddSpan`
/// searched every span already there for each new one, quadratic in a file's spans.
#[derive(Debug)]
pub struct Builder {
    doc: AnnotatedDocument,
    /// Spans added since the document last took them in, in the order added.
    pending: Vec<Span>,
    /// Where each pending span is in `pending`, by id.
    pending_at: HashMap<String, usize>,
    /// Every span added, by (start, end, label): what a repeated span is kept once as.
    added: HashMap<(usize, usize, String), String>,
    problems: Vec<Problem>,
    warnings: Vec<Problem>,
    index: CpIndex,
    /// Refuse spans with white space at either end instead of trimming them.
    strict: bool,
    /// How many of the file's items went into the document.
    read: usize,
    /// Relation types this file added to the schema: widening them is no news.
    added_types: Vec<String>,
    /// Names already said to be read as another spelling (what and name).
    respelled: HashSet<String>,
}

impl Builder {
    /// A builder for `text` titled `title`, starting from `schema`.
    pub fn new(title: &str, text: &str, schema: &Schema) -> Self {
        let mut doc = AnnotatedDocument::new(Document::new(title, text));
        doc.schema = schema.clone();
        let index = CpIndex::new(&doc.document.text);
        let mut problems = Vec::new();
        if let Err(message) = check_start(&doc.document.text) {
            problems.push(Problem::new("text", message));
        }
        Builder {
            doc,
            pending: Vec::new(),
            pending_at: HashMap::new(),
            added: HashMap::new(),
            problems,
            warnings: Vec::new(),
            index,
            strict: false,
            read: 0,
            added_types: Vec::new(),
            respelled: HashSet::new(),
        }
    }

    /// A builder for `text` titled `title`, reading as `ctx` says (its schema, strictness).
    pub fn within(title: &str, text: &str, ctx: &Context) -> Self {
        Builder {
            strict: ctx.strict,
            ..Builder::new(title, text, ctx.schema)
        }
    }

    /// The text being annotated.
    pub fn text(&self) -> &str {
        &self.doc.document.text
    }

    /// The text of code points `[start, end)`, if in range (through the builder's index, so
    /// that checking each of a file's spans does not walk the text from its start).
    pub fn slice(&self, start: usize, end: usize) -> Option<&str> {
        self.index.slice(&self.doc.document.text, start, end)
    }

    /// Takes the pending spans into the document (which sorts them) and ids them on from there.
    fn settle(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let doc = std::mem::replace(&mut self.doc, AnnotatedDocument::new(Document::new("", "")));
        let mut spans = doc.spans().to_vec();
        spans.append(&mut self.pending);
        self.pending_at.clear();
        self.doc = AnnotatedDocument::from_parts(doc.document, doc.schema, spans, doc.relations);
    }

    /// Records a problem: the file will not be imported.
    pub fn problem(&mut self, at: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem::new(at, message));
    }

    /// Whether a problem was recorded at `at` already.
    pub fn has_problem_at(&self, at: &str) -> bool {
        self.problems.iter().any(|p| p.at == at)
    }

    /// Records a warning: something the file carried that is kept elsewhere or changed.
    pub fn warn(&mut self, at: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Problem::new(at, message));
    }

    /// Records that the item at `at` is not read, and why (a warning, not a refusal).
    pub fn skip(&mut self, at: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Problem::skipped(at, message));
    }

    /// Says once per name that `name` is read as `known`, a label or relation type (`what`)
    /// in other case: the schema holds no two names that differ only in case. (White space
    /// written as `_`, as brat and CoNLL write it, is no news.)
    fn respelled(&mut self, at: &str, what: &str, name: &str, known: &str) {
        if bare_name(name) != bare_name(known)
            && self.respelled.insert(format!("{what}\u{0}{name}"))
        {
            self.warn(
                at,
                format!("the {what} {name:?} is read as {known:?}, the {what} of that name here (names differing only in case are one)"),
            );
        }
    }

    /// The id of the label called `name`, adding the label when there is none.
    pub fn label(&mut self, at: &str, name: &str) -> Option<String> {
        let labels = self.doc.schema.labels.iter().map(|l| (&l.id, &l.name));
        if let Some((id, known)) = matching(labels, name) {
            self.respelled(at, "label", name, &known);
            return Some(id);
        }
        match self.doc.schema.with_label_added(name) {
            Ok((schema, id)) => {
                self.doc.schema = schema;
                Some(id)
            }
            Err(e) => {
                self.problem(at, format!("label {name:?}: {e}"));
                None
            }
        }
    }

    /// Adds a span of label `label` (a name) over code points `[start, end)`. `expected` is the
    /// text the file says the span covers, when it says. Returns the new span's id, or the id
    /// of an identical span already there; `None` (with a problem recorded) when it cannot.
    pub fn span(
        &mut self,
        at: &str,
        start: usize,
        end: usize,
        label: &str,
        expected: Option<&str>,
    ) -> Option<String> {
        let Some(actual) = self.index.slice(&self.doc.document.text, start, end) else {
            self.problem(
                at,
                format!(
                    "offsets {start}..{end} are outside the text ({} code points)",
                    self.index.len()
                ),
            );
            return None;
        };
        if let Some(expected) = expected {
            if actual != expected {
                self.problem(
                    at,
                    format!("the text is {expected:?} but offsets {start}..{end} hold {actual:?}"),
                );
                return None;
            }
        }
        let actual = actual.to_owned();
        let (start, end, actual) = self.trimmed(at, start, end, &actual, label)?;
        if let Err(e) = check_range_indexed(&self.doc.document.text, &self.index, start, end) {
            self.problem(at, format!("offsets {start}..{end} ({actual:?}): {e}"));
            return None;
        }
        let text = actual;
        let label = self.label(at, label)?;
        let key = (start, end, label);
        if let Some(existing) = self.added.get(&key) {
            let message = format!("the same span appears twice; kept once as {existing}");
            let existing = existing.clone();
            self.skip(at, message);
            return Some(existing);
        }
        // Every span of the document comes through here, so the ids s1, s2, … are fresh.
        let id = format!("s{}", self.added.len() + 1);
        self.pending_at.insert(id.clone(), self.pending.len());
        self.pending.push(Span {
            id: id.clone(),
            label: key.2.clone(),
            start,
            end,
            text,
            note: None,
        });
        self.added.insert(key, id.clone());
        self.read += 1;
        Some(id)
    }

    /// `[start, end)` (covering `actual`) without the white space at either end, and the text
    /// it covers: trimmed with a warning, or (strict) left for the range check to refuse.
    /// `None` when only white space is left (a warning, or strict, a problem).
    fn trimmed(
        &mut self,
        at: &str,
        start: usize,
        end: usize,
        actual: &str,
        label: &str,
    ) -> Option<(usize, usize, String)> {
        // Whole grapheme clusters of white space only, as the range check sees them: a space
        // that a combining mark sits on is no white space to trim.
        let blank = |g: &&str| g.chars().all(char::is_whitespace);
        let chars = |g: &str| g.chars().count();
        let lead: usize = actual.graphemes(true).take_while(blank).map(chars).sum();
        let trail: usize = actual
            .graphemes(true)
            .rev()
            .take_while(blank)
            .map(chars)
            .sum();
        if self.strict || (lead == 0 && trail == 0) {
            return Some((start, end, actual.to_owned()));
        }
        let len = end - start;
        if lead >= len {
            self.skip(
                at,
                format!("the {label:?} span at {start}..{end} holds only white space ({actual:?})"),
            );
            return None;
        }
        let (s, e) = (start + lead, end - trail);
        let text = self.slice(s, e).unwrap_or_default().to_owned();
        self.warn(
            at,
            format!("{actual:?} at {start}..{end} has white space at an end; read as {text:?} at {s}..{e}"),
        );
        Some((s, e, text))
    }

    /// Adds `note` to the note of span `id` (on a line of its own after what is there).
    pub fn span_note(&mut self, id: &str, note: &str) {
        self.read += 1;
        let joined = |old: Option<&String>| match old {
            Some(old) => format!("{old}\n{note}"),
            None => note.to_owned(),
        };
        if let Some(&at) = self.pending_at.get(id) {
            // As `Action::SetNote` keeps it: a blank note is none.
            let span = &mut self.pending[at];
            span.note = Some(joined(span.note.as_ref())).filter(|n| !n.trim().is_empty());
            return;
        }
        let note = joined(self.doc.span(id).and_then(|s| s.note.as_ref()));
        let _ = self.doc.apply(Action::SetNote {
            target: spanmark_core::NoteTarget::Span(id.to_owned()),
            note: Some(note),
        });
    }

    /// Sets the document's note.
    pub fn document_note(&mut self, note: &str) {
        if note.trim().is_empty() {
            return;
        }
        self.read += 1;
        self.doc.document.note = Some(match self.doc.document.note.take() {
            Some(old) => format!("{old}\n{note}"),
            None => note.to_owned(),
        });
    }

    /// Links span `from` to span `to` with the relation type called `kind` (by id or name).
    /// An unknown type is added; a known one is widened, with a warning, to allow these labels.
    pub fn relation(&mut self, at: &str, kind: &str, from: &str, to: &str) -> Option<String> {
        self.settle();
        let labels = (
            self.doc.span(from).map(|s| s.label.clone()),
            self.doc.span(to).map(|s| s.label.clone()),
        );
        let (Some(from_label), Some(to_label)) = labels else {
            self.problem(
                at,
                format!("the relation links a span that is not there ({from} → {to})"),
            );
            return None;
        };
        let mut schema = self.doc.schema.clone();
        let types = schema.relation_types.iter().map(|r| (&r.id, &r.name));
        let found = matching(types, kind);
        if let Some((_, known)) = &found {
            self.respelled(at, "relation type", kind, known);
        }
        let index =
            match found.and_then(|(id, _)| schema.relation_types.iter().position(|r| r.id == id)) {
                Some(i) => i,
                None => match schema.with_relation_type_added(kind) {
                    Ok((s, id)) => {
                        schema = s;
                        self.added_types.push(id.clone());
                        let i = schema.relation_types.iter().position(|r| r.id == id)?;
                        schema.relation_types[i].from_labels.clear();
                        schema.relation_types[i].to_labels.clear();
                        i
                    }
                    Err(e) => {
                        self.problem(at, format!("relation type {kind:?}: {e}"));
                        return None;
                    }
                },
            };
        let r = &mut schema.relation_types[index];
        let fresh = (r.from_labels.is_empty() && r.to_labels.is_empty())
            || self.added_types.contains(&r.id);
        for (ends, label) in [
            (&mut r.from_labels, &from_label),
            (&mut r.to_labels, &to_label),
        ] {
            if !ends.contains(label) {
                ends.push(label.clone());
                if !fresh {
                    let name = self.doc.schema.label_name(label);
                    self.warnings.push(Problem::new(
                        at,
                        format!("relation type {:?} now also allows label {name:?}", r.name),
                    ));
                }
            }
        }
        let kind = r.id.clone();
        self.doc.schema = schema;
        match self.doc.apply(Action::AddRelation {
            kind,
            from: from.to_owned(),
            to: to.to_owned(),
        }) {
            Ok(spanmark_core::Outcome::RelationAdded { id }) => {
                self.read += 1;
                Some(id)
            }
            Err(EditError::DuplicateRelation { existing }) => {
                self.skip(
                    at,
                    format!("the same relation appears twice; kept once as {existing}"),
                );
                Some(existing)
            }
            other => {
                self.problem(at, format!("cannot add the relation: {other:?}"));
                None
            }
        }
    }

    /// Counts an item the file carried that was read without the builder (a span's attribute
    /// kept in its note, say).
    pub fn count_read(&mut self) {
        self.read += 1;
    }

    /// The document, or every problem recorded.
    pub fn finish(mut self) -> Built {
        self.settle();
        if self.problems.is_empty() {
            Ok(BuiltDocument {
                document: self.doc,
                warnings: self.warnings,
                read: self.read,
            })
        } else {
            Err(self.problems)
        }
    }
}

/// A document a builder finished: with its warnings, and how many items went into it.
#[derive(Clone, Debug)]
pub struct BuiltDocument {
    pub document: AnnotatedDocument,
    pub warnings: Vec<Problem>,
    pub read: usize,
}

impl From<BuiltDocument> for Imported {
    fn from(built: BuiltDocument) -> Self {
        Imported {
            documents: vec![built.document],
            warnings: built.warnings,
            read: built.read,
        }
    }
}

/// A finished builder: the document, or every problem.
pub type Built = Result<BuiltDocument, Vec<Problem>>;

/// Collects the documents of a multi-document file (JSONL lines, JSON arrays): all of them, or
/// every problem of every item.
#[derive(Debug, Default)]
pub struct Collector {
    imported: Imported,
    problems: Vec<Problem>,
}

impl Collector {
    /// Adds one finished builder.
    pub fn push(&mut self, built: Built) {
        match built {
            Ok(built) => {
                self.imported.documents.push(built.document);
                self.imported.warnings.extend(built.warnings);
                self.imported.read += built.read;
            }
            Err(problems) => self.problems.extend(problems),
        }
    }

    /// Records a warning outside any document: an item of the file that is not read.
    pub fn skip(&mut self, at: impl Into<String>, message: impl Into<String>) {
        self.imported.warnings.push(Problem::skipped(at, message));
    }

    /// Records a problem outside any document (a line that is not JSON, say).
    pub fn problem(&mut self, at: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem::new(at, message));
    }

    /// Everything imported, or every problem.
    pub fn finish(self) -> Result<Imported, FormatError> {
        if !self.problems.is_empty() {
            Err(FormatError::Problems(self.problems))
        } else if self.imported.documents.is_empty() {
            Err(FormatError::Problems(vec![Problem::new(
                "file",
                "there is no document in it",
            )]))
        } else {
            Ok(self.imported)
        }
    }
}

/// Gives titles that repeat a number, so that the documents of one file stay apart:
/// `title`, `title (2)`, `title (3)`…
pub fn numbered_titles(docs: &mut [AnnotatedDocument]) {
    if docs.len() < 2 {
        return;
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for d in docs.iter_mut() {
        let n = seen.entry(d.document.title.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            d.document.title = format!("{} ({n})", d.document.title);
        }
    }
}

/// The title of document `index` (from 0) of `count` read from one file: `title` for the
/// first, then `title (2)`, `title (3)`… — as [`numbered_titles`] gives, but known before the
/// document is built, so that each document's id (derived from title and text) differs too.
pub fn numbered_title(title: &str, index: usize, count: usize) -> String {
    if count < 2 || index == 0 {
        title.to_owned()
    } else {
        format!("{title} ({})", index.saturating_add(1))
    }
}

/// A serde_json error as [`FormatError::Json`]: where the JSON breaks, and why.
pub(crate) fn json_error(e: serde_json::Error) -> FormatError {
    FormatError::Json {
        line: e.line(),
        column: e.column(),
        message: json_message(&e),
    }
}

/// The message of a serde_json error without its "at line L column C" tail.
pub(crate) fn json_message(e: &serde_json::Error) -> String {
    e.to_string()
        .split(" at line ")
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// A JSON value as a code-point offset: a whole number from 0 up.
pub(crate) fn json_offset(v: &serde_json::Value) -> Option<usize> {
    v.as_u64().and_then(|n| usize::try_from(n).ok())
}

/// The whole-number offsets under `start` and `end` of a JSON object, if both are there.
pub(crate) fn json_range(
    o: &serde_json::Map<String, serde_json::Value>,
    start: &str,
    end: &str,
) -> Option<(usize, usize)> {
    Some((
        o.get(start).and_then(json_offset)?,
        o.get(end).and_then(json_offset)?,
    ))
}

/// What kind of JSON value `v` is, for messages: "a string", "an array"…
pub(crate) fn json_kind(v: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests;
