//! Edit operations: a pure reducer over an `Action` enum, and the undo history built on it.
//!
//! The UI turns gestures into actions; `AnnotatedDocument::apply` checks and performs them.
//! An action either succeeds completely or changes nothing, and every applied action yields
//! its exact inverse, which is what `History` keeps for undo and redo. [`plan_change`] plans
//! replacing the schema as one such action, with what has to go with it.

use super::model::{AnnotatedDocument, Relation, Span};
use super::schema::{RelationType, Schema};
use super::snap::{span_bytes, RangeError};

/// What a note is attached to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoteTarget {
    Document,
    Span(String),
}

/// One edit the annotator makes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Tag `[start, end)` (code points) with a label.
    AddSpan {
        start: usize,
        end: usize,
        label: String,
    },
    /// Remove a span and every relation that uses it.
    RemoveSpan {
        id: String,
    },
    /// Put back a removed span, with its id and the relations removed with it.
    RestoreSpan {
        span: Span,
        relations: Vec<Relation>,
    },
    /// Give a span another label (its relations must still fit the schema).
    Relabel {
        id: String,
        label: String,
    },
    /// Link two spans with a relation of type `kind`.
    AddRelation {
        kind: String,
        from: String,
        to: String,
    },
    RemoveRelation {
        id: String,
    },
    RestoreRelation {
        relation: Relation,
    },
    /// Set or clear (`None`) a note.
    SetNote {
        target: NoteTarget,
        note: Option<String>,
    },
    /// Rename the document (the title is trimmed and must not be empty).
    SetTitle {
        title: String,
    },
    /// Replace the schema; every span label and relation type in use must remain.
    SetSchema {
        schema: Schema,
    },
    /// Replace the whole document (opening a file).
    ReplaceDocument {
        doc: Box<AnnotatedDocument>,
    },
    /// Several actions as one step: all succeed or none is applied.
    Batch(Vec<Action>),
}

/// What an applied action did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Added {
        id: String,
    },
    Removed {
        span: Span,
        relations_removed: usize,
    },
    Restored {
        id: String,
    },
    Relabeled {
        id: String,
        previous: String,
    },
    RelationAdded {
        id: String,
    },
    RelationRemoved {
        relation: Relation,
    },
    RelationRestored {
        id: String,
    },
    NoteSet,
    TitleSet,
    SchemaSet,
    DocumentReplaced,
    Batch(Vec<Outcome>),
    /// The action asked for what was already there.
    Unchanged,
}

/// Why an action was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditError {
    UnknownLabel(String),
    UnknownSpan(String),
    UnknownRelation(String),
    UnknownRelationType(String),
    InvalidRange {
        start: usize,
        end: usize,
        reason: RangeError,
    },
    /// The same label already covers exactly this range.
    Duplicate {
        existing: String,
    },
    /// The same relation already links these spans.
    DuplicateRelation {
        existing: String,
    },
    /// A span or relation id that is already taken.
    IdTaken(String),
    /// The new schema breaks a schema rule (names, colours, keys, ids).
    InvalidSchema(String),
    /// The relation type does not allow these labels at its ends.
    LabelsNotAllowed {
        kind: String,
        from_label: String,
        to_label: String,
    },
    SelfRelation,
    /// A document title must have some text.
    EmptyTitle,
    /// A schema change would leave spans or relations without their label or type.
    SchemaInUse {
        what: String,
    },
    /// A step of a batch failed; nothing was applied.
    InBatch {
        index: usize,
        error: Box<EditError>,
    },
}

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EditError::UnknownLabel(l) => write!(f, "there is no label \"{l}\""),
            EditError::UnknownSpan(s) => write!(f, "there is no span \"{s}\""),
            EditError::UnknownRelation(r) => write!(f, "there is no relation \"{r}\""),
            EditError::UnknownRelationType(k) => write!(f, "there is no relation type \"{k}\""),
            EditError::InvalidRange { start, end, reason } => {
                write!(f, "cannot tag {start}..{end}: {reason}")
            }
            EditError::Duplicate { .. } => write!(f, "this text already has that label"),
            EditError::DuplicateRelation { .. } => {
                write!(f, "these spans are already linked that way")
            }
            EditError::IdTaken(id) => write!(f, "the id \"{id}\" is already used"),
            EditError::LabelsNotAllowed {
                kind,
                from_label,
                to_label,
            } => {
                write!(
                    f,
                    "a \"{kind}\" relation cannot go from a {from_label} to a {to_label}"
                )
            }
            EditError::SelfRelation => write!(f, "a span cannot be linked to itself"),
            EditError::EmptyTitle => write!(f, "a title cannot be empty"),
            EditError::SchemaInUse { what } => write!(f, "{what} is still in use"),
            EditError::InvalidSchema(why) => write!(f, "{why}"),
            EditError::InBatch { error, .. } => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for EditError {}

/// Whether relation type `kind` of `schema` allows these labels at its ends.
fn labels_fit(
    schema: &Schema,
    kind: &str,
    from_label: &str,
    to_label: &str,
) -> Result<(), EditError> {
    let rt = schema
        .relation_type(kind)
        .ok_or_else(|| EditError::UnknownRelationType(kind.to_owned()))?;
    if rt.from_labels.iter().any(|l| l == from_label) && rt.to_labels.iter().any(|l| l == to_label)
    {
        Ok(())
    } else {
        Err(EditError::LabelsNotAllowed {
            kind: kind.to_owned(),
            from_label: from_label.to_owned(),
            to_label: to_label.to_owned(),
        })
    }
}

/// Checks a relation against `doc`, reading span labels through `label_of` (which may differ
/// from the stored ones, for a change being checked before it is made).
fn check_relation_with(
    doc: &AnnotatedDocument,
    schema: &Schema,
    r: (&str, &str, &str),
    label_of: &dyn Fn(&Span) -> String,
) -> Result<(), EditError> {
    let (kind, from, to) = r;
    let f = doc
        .span(from)
        .ok_or_else(|| EditError::UnknownSpan(from.to_owned()))?;
    let t = doc
        .span(to)
        .ok_or_else(|| EditError::UnknownSpan(to.to_owned()))?;
    if from == to {
        return Err(EditError::SelfRelation);
    }
    labels_fit(schema, kind, &label_of(f), &label_of(t))
}

fn check_relation(
    doc: &AnnotatedDocument,
    kind: &str,
    from: &str,
    to: &str,
) -> Result<(), EditError> {
    check_relation_with(doc, &doc.schema, (kind, from, to), &|s| s.label.clone())
}

impl AnnotatedDocument {
    /// The relation types the schema allows from span `from` to span `to`.
    pub fn relation_types_between(&self, from: &str, to: &str) -> Vec<&RelationType> {
        let (Some(f), Some(t)) = (self.span(from), self.span(to)) else {
            return Vec::new();
        };
        if from == to {
            return Vec::new();
        }
        self.schema
            .relation_types
            .iter()
            .filter(|rt| rt.from_labels.contains(&f.label) && rt.to_labels.contains(&t.label))
            .collect()
    }
}

impl AnnotatedDocument {
    /// Applies `action`, or returns why not and leaves the document unchanged.
    pub fn apply(&mut self, action: Action) -> Result<Outcome, EditError> {
        self.apply_with_inverse(action).map(|(outcome, _)| outcome)
    }

    /// Applies `action` and returns what it did and the action that undoes it exactly.
    pub fn apply_with_inverse(&mut self, action: Action) -> Result<(Outcome, Action), EditError> {
        match action {
            Action::AddSpan { start, end, label } => {
                if self.schema.label(&label).is_none() {
                    return Err(EditError::UnknownLabel(label));
                }
                let (bs, be) = span_bytes(&self.document.text, start, end)
                    .map_err(|reason| EditError::InvalidRange { start, end, reason })?;
                if let Some(s) = self
                    .spans()
                    .iter()
                    .find(|s| s.start == start && s.end == end && s.label == label)
                {
                    return Err(EditError::Duplicate {
                        existing: s.id.clone(),
                    });
                }
                let text = self.document.text[bs..be].to_owned();
                let id = self.fresh_span_id();
                self.insert_span(Span {
                    id: id.clone(),
                    label,
                    start,
                    end,
                    text,
                    note: None,
                });
                Ok((Outcome::Added { id: id.clone() }, Action::RemoveSpan { id }))
            }
            Action::RemoveSpan { id } => {
                let span = self.take_span(&id).ok_or(EditError::UnknownSpan(id))?;
                let (removed, kept) = std::mem::take(&mut self.relations)
                    .into_iter()
                    .partition(|r: &Relation| r.from == span.id || r.to == span.id);
                self.relations = kept;
                let inverse = Action::RestoreSpan {
                    span: span.clone(),
                    relations: removed.clone(),
                };
                Ok((
                    Outcome::Removed {
                        relations_removed: removed.len(),
                        span,
                    },
                    inverse,
                ))
            }
            Action::RestoreSpan { span, relations } => {
                if self.span(&span.id).is_some() {
                    return Err(EditError::IdTaken(span.id));
                }
                if self.schema.label(&span.label).is_none() {
                    return Err(EditError::UnknownLabel(span.label));
                }
                let (start, end) = (span.start, span.end);
                let (bs, be) = span_bytes(&self.document.text, start, end)
                    .map_err(|reason| EditError::InvalidRange { start, end, reason })?;
                let id = span.id.clone();
                let text = self.document.text[bs..be].to_owned();
                self.insert_span(Span { text, ..span });
                let fits = relations.iter().try_for_each(|r| {
                    if self.relation(&r.id).is_some() {
                        return Err(EditError::IdTaken(r.id.clone()));
                    }
                    check_relation(self, &r.kind, &r.from, &r.to)
                });
                if let Err(e) = fits {
                    self.take_span(&id);
                    return Err(e);
                }
                self.relations.extend(relations);
                Ok((
                    Outcome::Restored { id: id.clone() },
                    Action::RemoveSpan { id },
                ))
            }
            Action::Relabel { id, label } => {
                if self.schema.label(&label).is_none() {
                    return Err(EditError::UnknownLabel(label));
                }
                let span = self
                    .span(&id)
                    .ok_or_else(|| EditError::UnknownSpan(id.clone()))?;
                if span.label == label {
                    return Ok((Outcome::Unchanged, Action::Batch(vec![])));
                }
                if let Some(d) = self
                    .spans()
                    .iter()
                    .find(|s| s.start == span.start && s.end == span.end && s.label == label)
                {
                    return Err(EditError::Duplicate {
                        existing: d.id.clone(),
                    });
                }
                let relabel = |s: &Span| {
                    if s.id == id {
                        label.clone()
                    } else {
                        s.label.clone()
                    }
                };
                for r in self.relations.iter().filter(|r| r.from == id || r.to == id) {
                    check_relation_with(self, &self.schema, (&r.kind, &r.from, &r.to), &relabel)?;
                }
                let previous = match self.span_mut(&id) {
                    Some(span) => std::mem::replace(&mut span.label, label),
                    None => return Err(EditError::UnknownSpan(id)),
                };
                Ok((
                    Outcome::Relabeled {
                        id: id.clone(),
                        previous: previous.clone(),
                    },
                    Action::Relabel {
                        id,
                        label: previous,
                    },
                ))
            }
            Action::AddRelation { kind, from, to } => {
                check_relation(self, &kind, &from, &to)?;
                if let Some(r) = self
                    .relations
                    .iter()
                    .find(|r| r.kind == kind && r.from == from && r.to == to)
                {
                    return Err(EditError::DuplicateRelation {
                        existing: r.id.clone(),
                    });
                }
                let id = self.fresh_relation_id();
                self.relations.push(Relation {
                    id: id.clone(),
                    kind,
                    from,
                    to,
                });
                Ok((
                    Outcome::RelationAdded { id: id.clone() },
                    Action::RemoveRelation { id },
                ))
            }
            Action::RemoveRelation { id } => {
                let at = self
                    .relations
                    .iter()
                    .position(|r| r.id == id)
                    .ok_or(EditError::UnknownRelation(id))?;
                let relation = self.relations.remove(at);
                Ok((
                    Outcome::RelationRemoved {
                        relation: relation.clone(),
                    },
                    Action::RestoreRelation { relation },
                ))
            }
            Action::RestoreRelation { relation } => {
                if self.relation(&relation.id).is_some() {
                    return Err(EditError::IdTaken(relation.id));
                }
                check_relation(self, &relation.kind, &relation.from, &relation.to)?;
                let id = relation.id.clone();
                self.relations.push(relation);
                Ok((
                    Outcome::RelationRestored { id: id.clone() },
                    Action::RemoveRelation { id },
                ))
            }
            Action::SetNote { target, note } => {
                let note = note.filter(|n| !n.trim().is_empty());
                let slot = match &target {
                    NoteTarget::Document => &mut self.document.note,
                    NoteTarget::Span(id) => match self.span_mut(id) {
                        Some(span) => &mut span.note,
                        None => return Err(EditError::UnknownSpan(id.clone())),
                    },
                };
                if *slot == note {
                    return Ok((Outcome::Unchanged, Action::Batch(vec![])));
                }
                let previous = std::mem::replace(slot, note);
                Ok((
                    Outcome::NoteSet,
                    Action::SetNote {
                        target,
                        note: previous,
                    },
                ))
            }
            Action::SetTitle { title } => {
                let title = title.trim();
                if title.is_empty() {
                    return Err(EditError::EmptyTitle);
                }
                if self.document.title == title {
                    return Ok((Outcome::Unchanged, Action::Batch(vec![])));
                }
                let previous = std::mem::replace(&mut self.document.title, title.to_owned());
                Ok((Outcome::TitleSet, Action::SetTitle { title: previous }))
            }
            Action::SetSchema { schema } => {
                schema
                    .check()
                    .map_err(|e| EditError::InvalidSchema(e.to_string()))?;
                if let Some(s) = self
                    .spans()
                    .iter()
                    .find(|s| schema.label(&s.label).is_none())
                {
                    return Err(EditError::SchemaInUse {
                        what: format!("the label \"{}\"", s.label),
                    });
                }
                if let Some(r) = self
                    .relations
                    .iter()
                    .find(|r| schema.relation_type(&r.kind).is_none())
                {
                    return Err(EditError::SchemaInUse {
                        what: format!("the relation type \"{}\"", r.kind),
                    });
                }
                for r in &self.relations {
                    check_relation_with(self, &schema, (&r.kind, &r.from, &r.to), &|s| {
                        s.label.clone()
                    })?;
                }
                let previous = std::mem::replace(&mut self.schema, schema);
                Ok((Outcome::SchemaSet, Action::SetSchema { schema: previous }))
            }
            Action::ReplaceDocument { doc } => {
                let previous = std::mem::replace(self, *doc);
                Ok((
                    Outcome::DocumentReplaced,
                    Action::ReplaceDocument {
                        doc: Box::new(previous),
                    },
                ))
            }
            Action::Batch(actions) => {
                let mut outcomes = Vec::with_capacity(actions.len());
                let mut inverses = Vec::with_capacity(actions.len());
                for (index, action) in actions.into_iter().enumerate() {
                    match self.apply_with_inverse(action) {
                        Ok((outcome, inverse)) => {
                            outcomes.push(outcome);
                            inverses.push(inverse);
                        }
                        Err(error) => {
                            // Roll back what this batch applied, newest first.
                            for inverse in inverses.into_iter().rev() {
                                let _ = self.apply_with_inverse(inverse);
                            }
                            return Err(EditError::InBatch {
                                index,
                                error: Box::new(error),
                            });
                        }
                    }
                }
                inverses.reverse();
                Ok((Outcome::Batch(outcomes), Action::Batch(inverses)))
            }
        }
    }
}

/// What a schema change takes with it, and the one action that makes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaChange {
    /// Spans whose label the new schema lacks.
    pub spans: Vec<String>,
    /// Relations that go too: those of the spans above, those whose type the new schema lacks,
    /// and those whose ends the type no longer allows.
    pub relations: Vec<String>,
    /// `SetSchema`, or when something goes with it, one `Batch` that removes those relations
    /// and spans and then sets the schema (one undoable step).
    pub action: Action,
}

/// Plans replacing `doc`'s schema by `schema`: what has to be removed with it, and how.
pub fn plan_change(doc: &AnnotatedDocument, schema: Schema) -> SchemaChange {
    let spans: Vec<String> = doc
        .spans()
        .iter()
        .filter(|s| schema.label(&s.label).is_none())
        .map(|s| s.id.clone())
        .collect();
    let label_of = |id: &str| doc.span(id).map(|s| s.label.as_str());
    let relations: Vec<String> = doc
        .relations
        .iter()
        .filter(|r| {
            let gone = spans.contains(&r.from) || spans.contains(&r.to);
            let fits = schema.relation_type(&r.kind).is_some_and(|rt| {
                label_of(&r.from).is_some_and(|l| rt.from_labels.iter().any(|a| a == l))
                    && label_of(&r.to).is_some_and(|l| rt.to_labels.iter().any(|a| a == l))
            });
            gone || !fits
        })
        .map(|r| r.id.clone())
        .collect();
    let set = Action::SetSchema { schema };
    let action = if spans.is_empty() && relations.is_empty() {
        set
    } else {
        let mut steps: Vec<Action> = relations
            .iter()
            .map(|id| Action::RemoveRelation { id: id.clone() })
            .collect();
        steps.extend(spans.iter().map(|id| Action::RemoveSpan { id: id.clone() }));
        steps.push(set);
        Action::Batch(steps)
    };
    SchemaChange {
        spans,
        relations,
        action,
    }
}

/// Applies the last action of `from` to `doc` and puts its inverse on `to` (an undo: from the
/// undo list to the redo list, or a redo the other way); an action that fails goes back on
/// `from`. `None` when `from` is empty.
fn replay(
    from: &mut Vec<Action>,
    to: &mut Vec<Action>,
    doc: &mut AnnotatedDocument,
) -> Option<Result<Outcome, EditError>> {
    let action = from.pop()?;
    Some(
        doc.apply_with_inverse(action.clone())
            .map(|(outcome, inverse)| {
                to.push(inverse);
                outcome
            })
            .inspect_err(|_| from.push(action)),
    )
}

/// Undo and redo: the inverses of applied actions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    undo: Vec<Action>,
    redo: Vec<Action>,
}

/// How many steps `History` keeps.
pub const HISTORY_LIMIT: usize = 500;

impl History {
    /// Applies `action` to `doc` and records it, clearing what could be redone.
    pub fn apply(
        &mut self,
        doc: &mut AnnotatedDocument,
        action: Action,
    ) -> Result<Outcome, EditError> {
        let (outcome, inverse) = doc.apply_with_inverse(action)?;
        if outcome != Outcome::Unchanged {
            self.undo.push(inverse);
            if self.undo.len() > HISTORY_LIMIT {
                self.undo.remove(0);
            }
            self.redo.clear();
        }
        Ok(outcome)
    }

    /// Undoes the last step; `None` when there is nothing to undo.
    pub fn undo(&mut self, doc: &mut AnnotatedDocument) -> Option<Result<Outcome, EditError>> {
        replay(&mut self.undo, &mut self.redo, doc)
    }

    /// Redoes the last undone step; `None` when there is nothing to redo.
    pub fn redo(&mut self, doc: &mut AnnotatedDocument) -> Option<Result<Outcome, EditError>> {
        replay(&mut self.redo, &mut self.undo, doc)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}

#[cfg(test)]
mod tests;
