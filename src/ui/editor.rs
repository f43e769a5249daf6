//! Editing the open document: every edit goes through [`Editor::dispatch`] as one undoable
//! step; the selection stays valid and the notices say what happened.

use leptos::prelude::*;

use super::dom;
use super::notices::{short, Notice, Notices};
use super::state::{LinkChoice, OpenDocument, Selection};
use spanmark_core::{Action, AnnotatedDocument, EditError, Outcome};

/// The open document, its selection and the notices: what an edit touches.
#[derive(Clone, Copy)]
pub struct Editor {
    pub open: OpenDocument,
    pub selection: Selection,
    pub notices: Notices,
}

impl Editor {
    pub fn new(initial: AnnotatedDocument) -> Self {
        Editor {
            open: OpenDocument::new(initial),
            selection: Selection::default(),
            notices: Notices::default(),
        }
    }

    /// Applies an edit as one undoable step; a refused edit becomes an alert.
    pub fn dispatch(&self, action: Action) {
        let _ = self.try_dispatch(action);
    }

    /// Applies an edit as one undoable step and says what happened; a refusal is also an alert.
    pub fn try_dispatch(&self, action: Action) -> Result<Outcome, EditError> {
        let refused = match &action {
            Action::AddSpan { .. } => "Not tagged",
            Action::Batch(steps) if steps.iter().all(|a| matches!(a, Action::AddSpan { .. })) => {
                "Not tagged"
            }
            Action::AddRelation { .. } | Action::RestoreRelation { .. } => "Not linked",
            _ => "Not changed",
        };
        let mut result = Err(EditError::UnknownSpan(String::new()));
        let OpenDocument { doc, history, .. } = self.open;
        doc.maybe_update(|d| {
            history.update(|h| result = h.apply(d, action));
            matches!(&result, Ok(o) if *o != Outcome::Unchanged)
        });
        match &result {
            Ok(outcome) => self.after(outcome),
            Err(EditError::Duplicate { existing }) => {
                self.selection.span.set(Some(existing.clone()))
            }
            Err(e) => self.notices.alert(Notice::Problem(format!(
                "{refused}: {e}. The document is unchanged."
            ))),
        }
        result
    }

    /// Undoes (`true`) or redoes (`false`) one step.
    pub fn step(&self, undo: bool) {
        let mut result = None;
        let OpenDocument { doc, history, .. } = self.open;
        doc.maybe_update(|d| {
            history.update(|h| result = if undo { h.undo(d) } else { h.redo(d) });
            matches!(result, Some(Ok(_)))
        });
        let word = if undo { "undo" } else { "redo" };
        match result {
            None => self.notices.say(format!("Nothing to {word}.")),
            Some(Ok(outcome)) => {
                self.after(&outcome);
                self.notices.say(if undo { "Undone." } else { "Redone." });
            }
            Some(Err(e)) => self.notices.alert(Notice::Problem(format!(
                "Could not {word}: {e}. The document is as it was."
            ))),
        }
    }

    /// Selection and messages after a successful edit.
    fn after(&self, outcome: &Outcome) {
        self.notices.clear_unless_save_failed();
        match outcome {
            Outcome::Added { id } | Outcome::Restored { id } => {
                self.selection.select_span(Some(id.clone()));
            }
            Outcome::RelationAdded { id } | Outcome::RelationRestored { id } => {
                self.selection.select_relation(id.clone());
            }
            Outcome::Removed { span, .. } => {
                self.notices
                    .say(format!("Removed \u{201c}{}\u{201d}", short(&span.text)));
            }
            Outcome::RelationRemoved { .. } => self.notices.say("Removed the link."),
            _ => {}
        }
        self.drop_stale_selection();
    }

    /// Shows `doc`, another version of the open document (from another tab), as it is; what
    /// was selected stays selected if it still exists. Not an undoable step: the undo history
    /// keeps this tab's own edits.
    pub fn take_document(&self, doc: AnnotatedDocument) {
        self.open.doc.set(doc);
        self.drop_stale_selection();
    }

    /// Nothing stays selected that no longer exists.
    fn drop_stale_selection(&self) {
        let s = self.selection;
        self.open.doc.with_untracked(|d| {
            let gone = |id: RwSignal<Option<String>>, exists: &dyn Fn(&str) -> bool| {
                if id.with_untracked(|id| id.as_deref().is_some_and(|id| !exists(id))) {
                    id.set(None);
                }
            };
            gone(s.span, &|id| d.span(id).is_some());
            gone(s.relation, &|id| d.relation(id).is_some());
            gone(s.linking, &|id| d.span(id).is_some());
            let stale_choice = s.link_choice.with_untracked(|c| {
                c.as_ref()
                    .is_some_and(|c| d.span(&c.from).is_none() || d.span(&c.to).is_none())
            });
            if stale_choice {
                s.link_choice.set(None);
            }
        });
    }

    /// Applies label `label` to the text selection if there is one, otherwise to the selected span.
    pub fn apply_label(&self, label: String) {
        let selection = dom::selected_range();
        if let Some((start, end)) = selection {
            let mode = self.selection.snap.get_untracked();
            let snapped = self
                .open
                .doc
                .with_untracked(|d| spanmark_core::snap::snap(&d.document.text, start, end, mode));
            dom::clear_selection();
            if let Some((start, end)) = snapped {
                self.dispatch(Action::AddSpan { start, end, label });
            }
        } else if let Some(id) = self.selection.span.get_untracked() {
            self.dispatch(Action::Relabel { id, label });
        } else {
            self.notices
                .say("Select some text first, then choose a label.");
        }
    }

    /// Starts a link from the selected span; the next span picked is its target.
    pub fn start_linking(&self) {
        let Some(from) = self.selection.span.get_untracked() else {
            self.notices.say("Select a span first, then link it.");
            return;
        };
        let text = self
            .open
            .doc
            .with_untracked(|d| d.span(&from).map(|s| short(&s.text)).unwrap_or_default());
        self.selection.linking.set(Some(from));
        self.notices.say(format!(
            "Linking from \u{201c}{text}\u{201d}: click the target span, or Tab to it and press Enter. Esc cancels."
        ));
    }

    /// Links the span being linked to `target`, asking for the type when several fit.
    pub fn finish_linking(&self, target: &str) {
        let Some(from) = self.selection.linking.get_untracked() else {
            return;
        };
        self.selection.linking.set(None);
        let (kinds, labels) = self.open.doc.with_untracked(|d| {
            let kinds: Vec<(String, String)> = d
                .relation_types_between(&from, target)
                .into_iter()
                .map(|r| (r.id.clone(), r.name.clone()))
                .collect();
            let name = |id: &str| {
                d.span(id)
                    .and_then(|s| d.schema.label(&s.label))
                    .map_or_else(|| id.to_owned(), |l| l.name.clone())
            };
            (kinds, (name(&from), name(target)))
        });
        match kinds.as_slice() {
            [] if from == target => self.notices.alert(Notice::Problem(
                "Not linked: a span cannot be linked to itself. Choose another span as the target.".into(),
            )),
            [] => self.notices.alert(Notice::Problem(format!(
                "Not linked: no relation type of the schema goes from {} to {}. The Schema editor can allow one.",
                labels.0, labels.1
            ))),
            [(kind, _)] => self.link(kind.clone(), from, target.to_owned()),
            _ => self.selection.link_choice.set(Some(LinkChoice {
                from,
                to: target.to_owned(),
                kinds,
            })),
        }
    }

    /// Adds a relation of type `kind`.
    pub fn link(&self, kind: String, from: String, to: String) {
        self.selection.link_choice.set(None);
        if self
            .try_dispatch(Action::AddRelation { kind, from, to })
            .is_ok()
        {
            self.notices
                .say("Linked. Delete removes the selected link; Ctrl+Z undoes.");
        }
    }

    /// Forgets the selection, the link in progress, the link chooser and the text selection
    /// (another document opens, or Escape).
    pub fn clear_selection_state(&self) {
        self.selection.clear();
        dom::clear_selection();
    }
}

#[cfg(test)]
mod tests;
