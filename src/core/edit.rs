//! Edit operations: a pure reducer over an `Action` enum.
//!
//! The UI turns gestures into actions; `AnnotatedDocument::apply` checks and performs them.
//! An action either succeeds completely or changes nothing.

use super::model::{AnnotatedDocument, Span};
use super::snap::{check_range, RangeError};

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
    RemoveSpan { id: String },
    /// Give a span another label.
    Relabel { id: String, label: String },
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
    Relabeled {
        id: String,
        previous: String,
    },
    /// The action asked for what was already there.
    Unchanged,
}

/// Why an action was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditError {
    UnknownLabel(String),
    UnknownSpan(String),
    InvalidRange {
        start: usize,
        end: usize,
        reason: RangeError,
    },
    /// The same label already covers exactly this range.
    Duplicate {
        existing: String,
    },
}

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EditError::UnknownLabel(l) => write!(f, "there is no label \"{l}\""),
            EditError::UnknownSpan(s) => write!(f, "there is no span \"{s}\""),
            EditError::InvalidRange { start, end, reason } => {
                write!(f, "cannot tag {start}..{end}: {reason}")
            }
            EditError::Duplicate { .. } => write!(f, "this text already has that label"),
        }
    }
}

impl std::error::Error for EditError {}

impl AnnotatedDocument {
    /// Applies `action`, or returns why not and leaves the document unchanged.
    pub fn apply(&mut self, action: Action) -> Result<Outcome, EditError> {
        match action {
            Action::AddSpan { start, end, label } => {
                if self.schema.label(&label).is_none() {
                    return Err(EditError::UnknownLabel(label));
                }
                check_range(&self.document.text, start, end)
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
                let text = self.slice(start, end).unwrap_or_default().to_owned();
                let id = self.fresh_span_id();
                self.insert_span(Span {
                    id: id.clone(),
                    label,
                    start,
                    end,
                    text,
                    note: None,
                });
                Ok(Outcome::Added { id })
            }
            Action::RemoveSpan { id } => {
                let span = self.take_span(&id).ok_or(EditError::UnknownSpan(id))?;
                let before = self.relations.len();
                self.relations
                    .retain(|r| r.from != span.id && r.to != span.id);
                Ok(Outcome::Removed {
                    relations_removed: before - self.relations.len(),
                    span,
                })
            }
            Action::Relabel { id, label } => {
                if self.schema.label(&label).is_none() {
                    return Err(EditError::UnknownLabel(label));
                }
                let span = self
                    .span(&id)
                    .ok_or_else(|| EditError::UnknownSpan(id.clone()))?;
                if span.label == label {
                    return Ok(Outcome::Unchanged);
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
                let span = self
                    .span_mut(&id)
                    .ok_or_else(|| EditError::UnknownSpan(id.clone()))?;
                let previous = std::mem::replace(&mut span.label, label);
                Ok(Outcome::Relabeled { id, previous })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{Document, Relation};

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
    fn the_same_range_may_carry_two_labels() {
        let mut d = doc();
        add(&mut d, 0, 6, "actor").unwrap();
        assert!(add(&mut d, 0, 6, "place").is_ok());
        // ... but relabelling one onto the other's label would duplicate it.
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
    fn relabel_and_remove() {
        let mut d = doc();
        add(&mut d, 12, 17, "actor").unwrap();
        add(&mut d, 0, 6, "actor").unwrap();
        d.relations.push(Relation {
            id: "r1".into(),
            kind: "said_by".into(),
            from: "s2".into(),
            to: "s1".into(),
        });
        assert_eq!(
            d.apply(Action::Relabel {
                id: "s1".into(),
                label: "place".into()
            }),
            Ok(Outcome::Relabeled {
                id: "s1".into(),
                previous: "actor".into()
            })
        );
        assert_eq!(
            d.apply(Action::Relabel {
                id: "s1".into(),
                label: "place".into()
            }),
            Ok(Outcome::Unchanged)
        );
        let out = d.apply(Action::RemoveSpan { id: "s1".into() }).unwrap();
        assert!(matches!(
            out,
            Outcome::Removed {
                relations_removed: 1,
                ..
            }
        ));
        assert!(d.relations.is_empty());
        // Ids are never reused within a session.
        assert_eq!(
            add(&mut d, 12, 17, "actor"),
            Ok(Outcome::Added { id: "s3".into() })
        );
    }
}
