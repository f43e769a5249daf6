//! Edit operations: a pure reducer over an `Action` enum, and the undo history built on it.
//!
//! The UI turns gestures into actions; `AnnotatedDocument::apply` checks and performs them.
//! An action either succeeds completely or changes nothing, and every applied action yields
//! its exact inverse, which is what `History` keeps for undo and redo.

use super::model::{AnnotatedDocument, Relation, Span};
use super::schema::Schema;
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
    pub fn relation_types_between(
        &self,
        from: &str,
        to: &str,
    ) -> Vec<&super::schema::RelationType> {
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
        let inverse = self.undo.pop()?;
        Some(
            doc.apply_with_inverse(inverse.clone())
                .map(|(outcome, redo)| {
                    self.redo.push(redo);
                    outcome
                })
                .inspect_err(|_| self.undo.push(inverse)),
        )
    }

    /// Redoes the last undone step; `None` when there is nothing to redo.
    pub fn redo(&mut self, doc: &mut AnnotatedDocument) -> Option<Result<Outcome, EditError>> {
        let action = self.redo.pop()?;
        Some(
            doc.apply_with_inverse(action.clone())
                .map(|(outcome, undo)| {
                    self.undo.push(undo);
                    outcome
                })
                .inspect_err(|_| self.redo.push(action)),
        )
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::Document;

    fn doc() -> AnnotatedDocument {
        AnnotatedDocument::new(Document::new("t", "Lavrov said Kerry denied it."))
    }

    fn add(d: &mut AnnotatedDocument, s: usize, e: usize, l: &str) -> Result<Outcome, EditError> {
        d.apply(Action::AddSpan {
            start: s,
            end: e,
            label: l.into(),
        })
    }

    fn link(kind: &str, from: &str, to: &str) -> Action {
        Action::AddRelation {
            kind: kind.into(),
            from: from.into(),
            to: to.into(),
        }
    }

    /// Lavrov (s1, actor), Kerry (s2, actor), "denied it" (s3, denial), whole sentence (s4, claim).
    fn annotated() -> AnnotatedDocument {
        let mut d = doc();
        add(&mut d, 0, 6, "actor").unwrap();
        add(&mut d, 12, 17, "actor").unwrap();
        add(&mut d, 18, 27, "denial").unwrap();
        add(&mut d, 0, 28, "claim").unwrap();
        d
    }

    #[test]
    fn adds_spans_with_their_text_and_fresh_ids() {
        let mut d = doc();
        assert_eq!(
            add(&mut d, 0, 6, "actor"),
            Ok(Outcome::Added { id: "s1".into() })
        );
        assert_eq!(
            add(&mut d, 0, 28, "claim"),
            Ok(Outcome::Added { id: "s2".into() })
        );
        let spans = d.spans();
        assert_eq!(
            (spans[0].id.as_str(), spans[0].text.as_str()),
            ("s2", "Lavrov said Kerry denied it.")
        );
        assert_eq!(spans[1].text, "Lavrov");
    }

    #[test]
    fn refuses_bad_input_without_changing_anything() {
        let mut d = doc();
        add(&mut d, 0, 6, "actor").unwrap();
        let before = d.clone();
        assert!(matches!(
            add(&mut d, 0, 7, "actor"),
            Err(EditError::InvalidRange { .. })
        ));
        assert!(matches!(
            add(&mut d, 5, 5, "actor"),
            Err(EditError::InvalidRange { .. })
        ));
        assert!(matches!(
            add(&mut d, 0, 999, "actor"),
            Err(EditError::InvalidRange { .. })
        ));
        assert_eq!(
            add(&mut d, 0, 6, "nope"),
            Err(EditError::UnknownLabel("nope".into()))
        );
        assert_eq!(
            add(&mut d, 0, 6, "actor"),
            Err(EditError::Duplicate {
                existing: "s1".into()
            })
        );
        assert_eq!(
            d.apply(Action::RemoveSpan { id: "s9".into() }),
            Err(EditError::UnknownSpan("s9".into()))
        );
        assert_eq!(d, before);
    }

    #[test]
    fn the_same_range_may_carry_two_labels_but_not_twice_the_same() {
        let mut d = doc();
        add(&mut d, 0, 6, "actor").unwrap();
        assert!(add(&mut d, 0, 6, "place").is_ok());
        assert_eq!(
            d.apply(Action::Relabel {
                id: "s2".into(),
                label: "actor".into()
            }),
            Err(EditError::Duplicate {
                existing: "s1".into()
            })
        );
    }

    #[test]
    fn relations_follow_the_schema() {
        let mut d = annotated();
        // A denial is said by an actor, and denies a claim.
        assert_eq!(
            d.apply(link("said_by", "s3", "s2")),
            Ok(Outcome::RelationAdded { id: "r1".into() })
        );
        assert_eq!(
            d.apply(link("denies", "s3", "s4")),
            Ok(Outcome::RelationAdded { id: "r2".into() })
        );
        let before = d.clone();
        assert_eq!(
            d.apply(link("said_by", "s3", "s2")),
            Err(EditError::DuplicateRelation {
                existing: "r1".into()
            })
        );
        assert!(matches!(
            d.apply(link("said_by", "s1", "s3")),
            Err(EditError::LabelsNotAllowed { .. })
        ));
        assert_eq!(
            d.apply(link("said_by", "s3", "s3")),
            Err(EditError::SelfRelation)
        );
        assert_eq!(
            d.apply(link("likes", "s1", "s2")),
            Err(EditError::UnknownRelationType("likes".into()))
        );
        assert_eq!(
            d.apply(link("said_by", "s3", "s9")),
            Err(EditError::UnknownSpan("s9".into()))
        );
        // Relabelling an end so that a relation would break the schema is refused.
        assert!(matches!(
            d.apply(Action::Relabel {
                id: "s2".into(),
                label: "place".into()
            }),
            Err(EditError::LabelsNotAllowed { .. })
        ));
        assert_eq!(d, before);
    }

    #[test]
    fn relation_types_between_follow_the_labels() {
        let d = annotated();
        let ids = |from: &str, to: &str| -> Vec<String> {
            d.relation_types_between(from, to)
                .iter()
                .map(|r| r.id.clone())
                .collect()
        };
        assert_eq!(ids("s4", "s1"), ["said_by"]);
        assert_eq!(ids("s3", "s4"), ["denies"]);
        assert!(ids("s1", "s4").is_empty());
        assert!(ids("s1", "s1").is_empty());
        assert!(ids("s1", "s9").is_empty());
    }

    #[test]
    fn removing_a_span_removes_its_relations_and_undo_restores_both() {
        let mut d = annotated();
        let mut h = History::default();
        h.apply(&mut d, link("said_by", "s3", "s2")).unwrap();
        let linked = d.clone();
        let out = h
            .apply(&mut d, Action::RemoveSpan { id: "s2".into() })
            .unwrap();
        assert!(matches!(
            out,
            Outcome::Removed {
                relations_removed: 1,
                ..
            }
        ));
        assert!(d.relations.is_empty());
        h.undo(&mut d).unwrap().unwrap();
        assert_eq!(d, linked);
        h.redo(&mut d).unwrap().unwrap();
        assert!(d.span("s2").is_none() && d.relations.is_empty());
    }

    #[test]
    fn renaming_the_document_is_undoable_and_needs_a_title() {
        let mut d = annotated();
        let mut h = History::default();
        let title = |t: &str| Action::SetTitle { title: t.into() };
        assert_eq!(
            h.apply(&mut d, title("  RT, 17 June ")),
            Ok(Outcome::TitleSet)
        );
        assert_eq!(d.document.title, "RT, 17 June");
        assert_eq!(d.apply(title(" ")), Err(EditError::EmptyTitle));
        assert_eq!(d.apply(title("RT, 17 June")), Ok(Outcome::Unchanged));
        h.undo(&mut d);
        assert_eq!(d, annotated());
    }

    #[test]
    fn notes_on_spans_and_the_document_are_undoable() {
        let mut d = annotated();
        let mut h = History::default();
        let note = |t: NoteTarget, n: &str| Action::SetNote {
            target: t,
            note: Some(n.into()),
        };
        h.apply(
            &mut d,
            note(NoteTarget::Span("s1".into()), "Russia's foreign minister"),
        )
        .unwrap();
        h.apply(&mut d, note(NoteTarget::Document, "RT, 17 June"))
            .unwrap();
        assert_eq!(
            d.span("s1").unwrap().note.as_deref(),
            Some("Russia's foreign minister")
        );
        assert_eq!(d.document.note.as_deref(), Some("RT, 17 June"));
        // A blank note clears it.
        h.apply(
            &mut d,
            Action::SetNote {
                target: NoteTarget::Document,
                note: Some("  ".into()),
            },
        )
        .unwrap();
        assert_eq!(d.document.note, None);
        h.undo(&mut d);
        h.undo(&mut d);
        h.undo(&mut d);
        assert_eq!(d, annotated());
        assert_eq!(
            d.apply(note(NoteTarget::Span("s9".into()), "x")),
            Err(EditError::UnknownSpan("s9".into()))
        );
    }

    #[test]
    fn a_batch_is_one_step_and_all_or_nothing() {
        let mut d = doc();
        let mut h = History::default();
        let tags = vec![
            Action::AddSpan {
                start: 0,
                end: 6,
                label: "actor".into(),
            },
            Action::AddSpan {
                start: 12,
                end: 17,
                label: "actor".into(),
            },
        ];
        h.apply(&mut d, Action::Batch(tags.clone())).unwrap();
        assert_eq!(d.spans().len(), 2);
        h.undo(&mut d).unwrap().unwrap();
        assert!(d.spans().is_empty());
        h.redo(&mut d).unwrap().unwrap();
        assert_eq!(d.spans().len(), 2);
        // A failing step rolls the whole batch back.
        let before = d.clone();
        let bad = vec![
            Action::AddSpan {
                start: 18,
                end: 24,
                label: "denial".into(),
            },
            tags[0].clone(),
        ];
        assert!(matches!(
            h.apply(&mut d, Action::Batch(bad)),
            Err(EditError::InBatch { index: 1, .. })
        ));
        assert_eq!(d, before);
    }

    #[test]
    fn schema_changes_keep_what_is_in_use() {
        let mut d = annotated();
        let mut h = History::default();
        let mut schema = d.schema.clone();
        schema.labels[0].name = "Person".into();
        h.apply(
            &mut d,
            Action::SetSchema {
                schema: schema.clone(),
            },
        )
        .unwrap();
        assert_eq!(d.schema.label("actor").unwrap().name, "Person");
        schema.labels.retain(|l| l.id != "place");
        for rt in &mut schema.relation_types {
            rt.from_labels.retain(|l| l != "place");
            rt.to_labels.retain(|l| l != "place");
        }
        h.apply(
            &mut d,
            Action::SetSchema {
                schema: schema.clone(),
            },
        )
        .unwrap();
        schema.labels.retain(|l| l.id != "actor");
        for rt in &mut schema.relation_types {
            rt.from_labels.retain(|l| l != "actor");
            rt.to_labels.retain(|l| l != "actor");
        }
        assert!(matches!(
            h.apply(&mut d, Action::SetSchema { schema }),
            Err(EditError::SchemaInUse { .. })
        ));
        h.undo(&mut d);
        h.undo(&mut d);
        assert_eq!(d, annotated());
    }

    #[test]
    fn replacing_the_document_is_undoable() {
        let mut d = annotated();
        let mut h = History::default();
        let other = AnnotatedDocument::new(Document::new("u", "Another text"));
        h.apply(
            &mut d,
            Action::ReplaceDocument {
                doc: Box::new(other.clone()),
            },
        )
        .unwrap();
        assert_eq!(d, other);
        h.undo(&mut d).unwrap().unwrap();
        assert_eq!(d, annotated());
    }

    #[test]
    fn a_new_edit_clears_redo_and_unchanged_edits_are_not_steps() {
        let mut d = annotated();
        let mut h = History::default();
        h.apply(
            &mut d,
            Action::Relabel {
                id: "s1".into(),
                label: "actor".into(),
            },
        )
        .unwrap();
        assert!(!h.can_undo());
        h.apply(
            &mut d,
            Action::Relabel {
                id: "s1".into(),
                label: "place".into(),
            },
        )
        .unwrap();
        h.undo(&mut d);
        assert!(h.can_redo());
        h.apply(&mut d, Action::RemoveSpan { id: "s1".into() })
            .unwrap();
        assert!(!h.can_redo());
        assert!(h.undo(&mut d).is_some());
        assert!(h.undo(&mut d).is_none());
        // Ids are never reused within a session.
        assert_eq!(
            add(&mut d, 12, 17, "place"),
            Ok(Outcome::Added { id: "s5".into() })
        );
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::*;
        use proptest::prelude::*;

        fn action() -> impl Strategy<Value = Action> {
            let id = prop::sample::select(vec!["s1", "s2", "s3", "s4", "s5", "s6", "r1", "r2"])
                .prop_map(String::from);
            let label = prop::sample::select(vec!["actor", "place", "claim", "denial"])
                .prop_map(String::from);
            let kind = prop::sample::select(vec!["said_by", "denies", "located_in"])
                .prop_map(String::from);
            prop_oneof![
                (0usize..30, 0usize..30, label.clone()).prop_map(|(a, b, label)| Action::AddSpan {
                    start: a.min(b),
                    end: a.max(b),
                    label
                }),
                id.clone().prop_map(|id| Action::RemoveSpan { id }),
                (id.clone(), label).prop_map(|(id, label)| Action::Relabel { id, label }),
                (kind, id.clone(), id.clone()).prop_map(|(kind, from, to)| Action::AddRelation {
                    kind,
                    from,
                    to
                }),
                id.prop_map(|id| Action::RemoveRelation { id }),
            ]
        }

        fn offset() -> impl Strategy<Value = usize> {
            prop_oneof![0usize..40, any::<usize>()]
        }

        /// Any single edit, with any offsets, ids, labels, notes, titles, spans and relations
        /// (what a UI bug, another tab or a hand-made file could hand the reducer).
        fn any_leaf_action() -> impl Strategy<Value = Action> {
            let id = prop_oneof![
                prop::sample::select(vec!["s1", "s2", "s3", "s4", "s9", "r1", "r2", ""])
                    .prop_map(String::from),
                "\\PC{0,4}",
            ];
            let label = prop_oneof![
                prop::sample::select(vec!["actor", "place", "claim", "denial", "nope"])
                    .prop_map(String::from),
                "\\PC{0,4}",
            ];
            let kind = prop::sample::select(vec!["said_by", "denies", "located_in", "likes"])
                .prop_map(String::from);
            let text = "\\PC{0,6}";
            let note = prop::option::of("\\PC{0,6}");
            let span = (
                id.clone(),
                label.clone(),
                offset(),
                offset(),
                text,
                note.clone(),
            )
                .prop_map(|(id, label, start, end, text, note)| Span {
                    id,
                    label,
                    start,
                    end,
                    text,
                    note,
                });
            let relation = (id.clone(), kind.clone(), id.clone(), id.clone())
                .prop_map(|(id, kind, from, to)| Relation { id, kind, from, to });
            let schema = (
                prop::collection::vec(any::<bool>(), 4),
                "\\PC{0,8}",
                "\\PC{0,8}",
            )
                .prop_map(|(keep, name, key)| {
                    let mut schema = Schema::default();
                    let mut i = 0;
                    schema.labels.retain(|_| {
                        i += 1;
                        keep[i - 1]
                    });
                    if let Some(l) = schema.labels.first_mut() {
                        l.name = name;
                        l.key = Some(key);
                    }
                    schema
                });
            prop_oneof![
                (offset(), offset(), label.clone())
                    .prop_map(|(start, end, label)| Action::AddSpan { start, end, label }),
                id.clone().prop_map(|id| Action::RemoveSpan { id }),
                (span, prop::collection::vec(relation.clone(), 0..3))
                    .prop_map(|(span, relations)| Action::RestoreSpan { span, relations }),
                (id.clone(), label).prop_map(|(id, label)| Action::Relabel { id, label }),
                (kind, id.clone(), id.clone()).prop_map(|(kind, from, to)| Action::AddRelation {
                    kind,
                    from,
                    to
                }),
                id.clone().prop_map(|id| Action::RemoveRelation { id }),
                relation.prop_map(|relation| Action::RestoreRelation { relation }),
                (prop::option::of(id), note).prop_map(|(target, note)| Action::SetNote {
                    target: target.map_or(NoteTarget::Document, NoteTarget::Span),
                    note,
                }),
                "\\PC{0,8}".prop_map(|title| Action::SetTitle { title }),
                schema.prop_map(|schema| Action::SetSchema { schema }),
            ]
        }

        fn any_action() -> impl Strategy<Value = Action> {
            prop_oneof![
                4 => any_leaf_action(),
                1 => prop::collection::vec(any_leaf_action(), 0..5).prop_map(Action::Batch),
            ]
        }

        proptest! {
            /// Whatever the reducer is handed, it answers: a refused edit leaves the document
            /// as it was, an applied one leaves only spans that are valid ranges holding their
            /// text, and undo and redo answer too.
            #[test]
            fn any_edit_is_applied_or_refused_never_a_panic(
                tricky in any::<bool>(),
                t in "\\PC{0,30}",
                actions in prop::collection::vec(any_action(), 0..20),
            ) {
                let mut d = if tricky {
                    AnnotatedDocument::new(Document::new("t", t.as_str()))
                } else {
                    annotated()
                };
                let mut h = History::default();
                for a in actions {
                    let before = d.clone();
                    if h.apply(&mut d, a).is_err() {
                        prop_assert_eq!(&d, &before);
                    }
                    for s in d.spans() {
                        prop_assert_eq!(crate::core::snap::check_range(&d.document.text, s.start, s.end), Ok(()));
                        prop_assert_eq!(d.slice(s.start, s.end), Some(s.text.as_str()));
                    }
                }
                while let Some(Ok(_)) = h.undo(&mut d) {}
                while let Some(Ok(_)) = h.redo(&mut d) {}
            }

            /// Any sequence of edits, undone completely, gives back the starting document;
            /// redone completely, gives back the edited one.
            #[test]
            fn undo_and_redo_restore_exact_states(actions in prop::collection::vec(action(), 0..25)) {
                let start = annotated();
                let mut d = start.clone();
                let mut h = History::default();
                for a in actions {
                    let _ = h.apply(&mut d, a);
                }
                let end = d.clone();
                while let Some(r) = h.undo(&mut d) { prop_assert!(r.is_ok()); }
                prop_assert_eq!(&d, &start);
                while let Some(r) = h.redo(&mut d) { prop_assert!(r.is_ok()); }
                prop_assert_eq!(&d, &end);
            }
        }
    }
}
