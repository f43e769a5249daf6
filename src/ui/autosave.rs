//! Autosave: the open document is written to storage shortly after it changes, never inside the
//! edit itself, and at once when the page is hidden or closed.
//!
//! An edit marks the document pending and, unless a write is already waiting, starts a short
//! timer; when it fires, the document as it is then is serialized, and written in the task
//! after (one write for a burst of edits). `pagehide` and `visibilitychange` to hidden write at
//! once, as does opening another document. The state is shown beside the status line.
//!
//! Other tabs may write the same document. The autosave remembers what storage held when this
//! tab last read or wrote the open document (its *base*, in `snapshot.rs`); a write that finds
//! something else there first merges it in ([`Autosave::bring_in`]), so that neither tab's work
//! is written over.

use std::time::Duration;

use leptos::prelude::*;

use super::editor::Editor;
use super::notices::Notice;
use super::snapshot::{Autosave, Prepared, SaveState};
use super::state::Session;
use crate::storage::{self, document_store, StorageError};
use spanmark_core::merge::{self, MergeError};
use spanmark_core::AnnotatedDocument;

/// How long after an edit the document is written.
pub const DELAY: Duration = Duration::from_millis(250);

/// The open document as it is now: its id, and what is written of it.
fn snapshot(editor: Editor) -> (String, storage::Snapshot) {
    editor
        .open
        .doc
        .with_untracked(|d| (d.document.id.clone(), storage::snapshot(d)))
}

impl Autosave {
    /// Another document is open: storage holds it as it is now.
    fn rebase(&self, editor: Editor) {
        // Only the text: its length is not needed (counting it walks a long document again).
        editor
            .open
            .doc
            .with_untracked(|d| self.set_base(&d.document.id, storage::serialize(d)));
    }

    /// The open document changed: write it soon.
    pub fn schedule(&self, editor: Editor, session: Session) {
        if !session.may_save.get_value() {
            self.state.set(SaveState::Off);
            return;
        }
        self.generation.update_value(|g| *g += 1);
        self.state.set(SaveState::Pending);
        if self.timer.with_value(Option::is_some) {
            return;
        }
        let this = *self;
        let handle = set_timeout_with_handle(
            move || {
                this.timer.set_value(None);
                this.prepare(editor, session);
            },
            DELAY,
        );
        match handle {
            Ok(h) => self.timer.set_value(Some(h)),
            Err(_) => self.flush(editor, session),
        }
    }

    /// Serializes the open document, and writes it in the next task.
    fn prepare(&self, editor: Editor, session: Session) {
        if self.state.get_untracked() != SaveState::Pending {
            return;
        }
        let (id, snapshot) = snapshot(editor);
        self.prepared.set_value(Some(Prepared {
            id,
            snapshot,
            generation: self.generation.get_value(),
        }));
        let this = *self;
        let write = move || this.write_prepared(editor, session);
        if set_timeout_with_handle(write, Duration::ZERO).is_err() {
            write();
        }
    }

    /// Writes the snapshot `prepare` made, unless `flush` has written since.
    fn write_prepared(&self, editor: Editor, session: Session) {
        let Some(p) = self.prepared.try_update_value(Option::take).flatten() else {
            return;
        };
        let result = self.write_open(editor, session, &p.id, p.snapshot);
        let latest = self.generation.get_value() == p.generation;
        self.finish(editor, session, result, latest);
    }

    /// Drops a waiting write (the open document is being deleted).
    pub fn cancel(&self) {
        if let Some(h) = self.timer.try_update_value(Option::take).flatten() {
            h.clear();
        }
        self.prepared.set_value(None);
        if self.state.get_untracked() == SaveState::Pending {
            self.state.set(SaveState::Saved);
        }
    }

    /// Writes the open document now if a change is waiting.
    pub fn flush(&self, editor: Editor, session: Session) {
        if let Some(h) = self.timer.try_update_value(Option::take).flatten() {
            h.clear();
        }
        self.prepared.set_value(None);
        if self.state.get_untracked() != SaveState::Pending {
            return;
        }
        let (id, snapshot) = snapshot(editor);
        let result = self.write_open(editor, session, &id, snapshot);
        self.finish(editor, session, result, true);
    }

    /// Writes `snapshot`, this tab's serialization of the open document `id`,
    /// and brings the library entry up to date (`Some(true)`: the index must be written too).
    ///
    /// If storage holds something else than this tab last read or wrote, another tab has
    /// saved the document since: that is merged in first, and the merge is what is written.
    /// Something there that cannot be read is kept aside before it is written over.
    fn write_open(
        &self,
        editor: Editor,
        session: Session,
        id: &str,
        mut snapshot: storage::Snapshot,
    ) -> Result<Option<bool>, StorageError> {
        let store = document_store(id);
        // Most saves follow this tab's own: then one comparison in the browser says whether
        // another tab wrote since, and only if it did is the stored string read.
        let untouched = self.written(id).is_some_and(|w| store.holds_written(&w));
        if let Some(stored) = (!untouched)
            .then(|| store.raw())
            .flatten()
            .filter(|s| !self.is_base(id, s))
        {
            let open = editor.open.doc.with_untracked(|d| d.document.id == id);
            match storage::parse(&stored) {
                Ok(theirs) if open => {
                    if !self.bring_in(editor, session, theirs, stored) {
                        // What storage holds is the merge: nothing left to write.
                        return Ok(self.note_stored(editor, session, id, None));
                    }
                    (_, snapshot) = self::snapshot(editor);
                }
                Ok(_) => {}
                Err(e) => keep_aside(editor, id, &stored, &e)?,
            }
        }
        let (stored, written) = store.write_kept(&snapshot)?;
        self.set_written(id, snapshot.raw, written);
        Ok(self.note_stored(editor, session, id, Some(stored)))
    }

    /// The library entry of the open document `id` after a write of `stored` characters
    /// (`None`: the size is what the entry says); whether it changed.
    fn note_stored(
        &self,
        editor: Editor,
        session: Session,
        id: &str,
        stored: Option<usize>,
    ) -> Option<bool> {
        let library = session.library;
        editor.open.doc.with_untracked(|d| {
            (d.document.id == id)
                .then(|| {
                    let stored = stored
                        .or_else(|| library.with_untracked(|l| l.entry(id).map(|e| e.stored)))?;
                    library.try_update(|l| l.update(d, stored))
                })
                .flatten()
        })
    }

    /// After a write: the index if the list entry changed, then the state and the alert.
    /// `latest`: no change came after the snapshot written.
    fn finish(
        &self,
        editor: Editor,
        session: Session,
        result: Result<Option<bool>, StorageError>,
        latest: bool,
    ) {
        let result = match result {
            Ok(Some(true)) => session.library.with_untracked(storage::save_index),
            Ok(_) => Ok(()),
            Err(e) => Err(e),
        };
        match result {
            Ok(()) => {
                if latest {
                    self.state.set(SaveState::Saved);
                }
                if editor.notices.save_failed() {
                    editor.notices.alert.set(None);
                }
            }
            Err(e) => {
                self.state.set(SaveState::Failed);
                editor
                    .notices
                    .alert_with_details(not_saved(&e), e.details());
            }
        }
    }

    /// Brings `theirs`, the open document as another tab stored it (`raw`), into this tab: as it
    /// is when this tab has nothing unsaved, merged with this tab's changes otherwise. Storage now
    /// holds `raw` as far as this tab knows. Returns whether this tab's document now differs from
    /// what storage holds (it must be written).
    pub fn bring_in(
        &self,
        editor: Editor,
        session: Session,
        theirs: AnnotatedDocument,
        raw: String,
    ) -> bool {
        let autosave = self;
        let id = theirs.document.id.clone();
        // The list shows the document as stored.
        let stored = storage::stored_size_of(&id, &raw);
        session.library.update(|l| {
            l.update(&theirs, stored);
        });
        if !autosave.unsaved() {
            autosave.set_base(&id, raw);
            autosave.skip_next();
            editor.take_document(theirs);
            editor
                .notices
                .say("Updated with the changes made in another tab.");
            return false;
        }
        // A snapshot of this tab's document made before this merge must not be written now.
        autosave.drop_snapshot();
        let base = autosave.base_document(&id);
        let merged = editor
            .open
            .doc
            .with_untracked(|ours| merge::merge(base.as_ref(), ours, &theirs));
        match merged {
            Ok(merged) => {
                autosave.set_base(&id, raw);
                let differs = merged.doc != theirs;
                let changed = editor.open.doc.with_untracked(|ours| merged.doc != *ours);
                if !differs {
                    // Storage already holds this tab's work, merged: nothing is waiting any more.
                    autosave.state.set(SaveState::Saved);
                }
                if changed {
                    if !differs {
                        autosave.skip_next();
                    }
                    editor.take_document(merged.doc);
                }
                if merged.report.conflicts.is_empty() {
                    editor
                        .notices
                        .say("Merged with the changes made in another tab.");
                } else {
                    editor.notices.alert(Notice::Warning(format!(
                        "This document was changed in another tab too. Both tabs' work is kept: {}.",
                        merged.report.conflicts.join("; ")
                    )));
                }
                differs
            }
            Err(MergeError::DifferentText) => {
                // Not the same text under one id: the other tab's file is kept aside, never lost.
                let _ = keep_aside(editor, &id, &raw, "it holds another text");
                autosave.clear_base();
                true
            }
        }
    }
}

/// The alert a failed write raises: it stays until a write succeeds.
pub fn not_saved(e: &StorageError) -> Notice {
    Notice::NotSaved(format!(
        "Not saved: {e}. Your work stays in this tab; use Download to keep a copy."
    ))
}

/// Keeps `raw`, found under document `id`'s key, aside before this tab writes over it, and
/// says so. Fails (and nothing may be written) when the copy cannot be made.
pub fn keep_aside(editor: Editor, id: &str, raw: &str, why: &str) -> Result<(), StorageError> {
    match storage::keep_document_aside(id, raw) {
        Some(backup) => {
            editor.notices.alert_with_details(
                Notice::Warning(
                    "Another tab stored this document in a form this tab cannot read. That version was kept aside, unchanged, and this tab's work is saved."
                        .into(),
                ),
                Some(format!(
                    "{why}; kept under the storage key \u{201c}{backup}\u{201d}"
                )),
            );
            Ok(())
        }
        None => Err(StorageError::Unreadable {
            reason: why.to_owned(),
            kept_as: None,
        }),
    }
}

/// Starts the autosave of the open document: after every change, and when the page goes away.
pub fn start(editor: Editor, session: Session) {
    let autosave = session.autosave;
    // The first run sees the document as storage gave it (or as startup saved it): nothing
    // to write.
    Effect::new(move |previous: Option<String>| {
        let id = editor.open.doc.with(|d| d.document.id.clone());
        if previous.as_deref() != Some(id.as_str()) {
            // Another document opened (or the first): storage holds it as it is.
            autosave.rebase(editor);
            autosave.quiet.set_value(false);
            if !session.may_save.get_value() {
                autosave.state.set(SaveState::Off);
            }
        } else if !autosave
            .quiet
            .try_update_value(std::mem::take)
            .unwrap_or(false)
        {
            autosave.schedule(editor, session);
        }
        id
    });
    let hide = window_event_listener(leptos::ev::pagehide, move |_| {
        autosave.flush(editor, session)
    });
    let hidden = window_event_listener(leptos::ev::visibilitychange, move |_| {
        let hidden = web_sys::window()
            .and_then(|w| w.document())
            .is_some_and(|d| d.hidden());
        if hidden {
            autosave.flush(editor, session);
        }
    });
    on_cleanup(move || {
        hide.remove();
        hidden.remove();
    });
}

/// The autosave state, beside the status line.
#[component]
pub fn SaveIndicator() -> impl IntoView {
    let state = expect_context::<Session>().autosave.state;
    view! {
        <span class="save-state" data-state=move || state.get().id()>{move || state.get().text()}</span>
    }
}
