//! Autosave: the open document is written to storage shortly after it changes, never inside the
//! edit itself, and at once when the page is hidden or closed.
//!
//! An edit marks the document pending and, unless a write is already waiting, starts a short
//! timer; when it fires, the document as it is then is serialized, and written in the task
//! after (one write for a burst of edits). `pagehide` and `visibilitychange` to hidden write at once, as does opening another
//! document. The state is shown beside the status line.
//!
//! Other tabs may write the same document. The autosave remembers what storage held when this
//! tab last read or wrote the open document (its *base*); a write that finds something else
//! there first merges it in (`sync::bring_in`), so that neither tab's work is written over.

use std::time::Duration;

use leptos::prelude::*;

use super::{sync, Editor};
use crate::storage::{self, document_store, StorageError};
use spanmark_formats::native;

/// How long after an edit the document is written.
pub const DELAY: Duration = Duration::from_millis(250);

/// Where the open document stands against storage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveState {
    /// Storage holds the document as it is.
    Saved,
    /// A change waits to be written.
    Pending,
    /// The last write failed (the alert says why); the work is in this tab only.
    Failed,
    /// Storage cannot be used at all in this browser.
    Off,
}

impl SaveState {
    pub fn id(self) -> &'static str {
        match self {
            SaveState::Saved => "saved",
            SaveState::Pending => "pending",
            SaveState::Failed => "failed",
            SaveState::Off => "off",
        }
    }

    pub fn text(self) -> &'static str {
        match self {
            SaveState::Saved => "Saved in this browser",
            SaveState::Pending => "Saving…",
            SaveState::Failed => "Not saved",
            SaveState::Off => "Not saved: storage unavailable",
        }
    }
}

/// Whether `alert` is the one a failed write raises (it stays until a write succeeds).
pub fn is_failure(alert: &str) -> bool {
    alert.starts_with("Not saved")
}

/// A snapshot of the open document, serialized and waiting for its write.
struct Prepared {
    id: String,
    raw: String,
    /// Its length in characters (counted here, not in the write's task).
    chars: usize,
    /// The change count it includes.
    generation: u64,
}

/// The autosave's state, its waiting timer and its snapshot.
///
/// The timer's write is split over two tasks, so that neither blocks input as long as both
/// would: one serializes the document, the next writes it. A change in between is written by
/// the next round; `flush` (page hidden, another document) does both at once.
#[derive(Clone, Copy)]
pub struct Autosave {
    pub state: RwSignal<SaveState>,
    timer: StoredValue<Option<TimeoutHandle>>,
    prepared: StoredValue<Option<Prepared>>,
    /// How many changes have been seen.
    generation: StoredValue<u64>,
    /// The open document as storage held it when this tab last read or wrote it: its id and
    /// stored text.
    base: StoredValue<Option<(String, String)>>,
    /// The next change of the document is one storage already holds (taken from another tab):
    /// nothing to write for it.
    quiet: StoredValue<bool>,
}

impl Autosave {
    pub fn new() -> Self {
        Autosave {
            state: RwSignal::new(SaveState::Saved),
            timer: StoredValue::new(None),
            prepared: StoredValue::new(None),
            generation: StoredValue::new(0),
            base: StoredValue::new(None),
            quiet: StoredValue::new(false),
        }
    }

    /// Another document is open: storage holds it as it is now.
    fn rebase(&self, editor: Editor) {
        let base = editor
            .doc
            .with_untracked(|d| (d.document.id.clone(), storage::serialize(d)));
        self.base.set_value(Some(base));
    }

    /// Storage holds `raw` for document `id`, as this tab now knows it.
    pub fn set_base(&self, id: &str, raw: String) {
        self.base.set_value(Some((id.to_owned(), raw)));
    }

    /// Forgets what storage held for the open document (it was removed, or kept aside).
    pub fn clear_base(&self) {
        self.base.set_value(None);
    }

    /// Whether storage holds exactly `raw` for document `id`, as far as this tab knows.
    pub fn is_base(&self, id: &str, raw: &str) -> bool {
        self.base
            .with_value(|b| matches!(b, Some((bid, braw)) if bid == id && braw == raw))
    }

    /// The open document as storage last held it, if this tab knows it and it can be read.
    pub fn base_document(&self, id: &str) -> Option<spanmark_core::AnnotatedDocument> {
        self.base.with_value(|b| match b {
            Some((bid, raw)) if bid == id => native::parse(raw).ok(),
            _ => None,
        })
    }

    /// The next change of the document needs no write (storage already holds it).
    pub fn skip_next(&self) {
        self.quiet.set_value(true);
    }

    /// Drops the snapshot waiting for its write: the document changed under it (another
    /// tab's work came in), and the next round writes it as it is now.
    pub fn drop_snapshot(&self) {
        self.prepared.set_value(None);
    }

    /// Whether this tab has changes of the open document that storage does not hold yet.
    pub fn unsaved(&self) -> bool {
        matches!(
            self.state.get_untracked(),
            SaveState::Pending | SaveState::Failed
        )
    }

    /// The open document changed: write it soon.
    pub fn schedule(&self, editor: Editor) {
        if !editor.may_save.get_value() {
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
                this.prepare(editor);
            },
            DELAY,
        );
        match handle {
            Ok(h) => self.timer.set_value(Some(h)),
            Err(_) => self.flush(editor),
        }
    }

    /// Serializes the open document, and writes it in the next task.
    fn prepare(&self, editor: Editor) {
        if self.state.get_untracked() != SaveState::Pending {
            return;
        }
        let (id, raw) = editor
            .doc
            .with_untracked(|d| (d.document.id.clone(), storage::serialize(d)));
        let chars = storage::stored_chars(&raw);
        self.prepared.set_value(Some(Prepared {
            id,
            raw,
            chars,
            generation: self.generation.get_value(),
        }));
        let this = *self;
        if set_timeout_with_handle(move || this.write_prepared(editor), Duration::ZERO).is_err() {
            self.write_prepared(editor);
        }
    }

    /// Writes the snapshot `prepare` made, unless `flush` has written since.
    fn write_prepared(&self, editor: Editor) {
        let Some(p) = self.prepared.try_update_value(Option::take).flatten() else {
            return;
        };
        let result = self.write_open(editor, &p.id, p.raw, p.chars);
        let latest = self.generation.get_value() == p.generation;
        self.finish(editor, result, latest);
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
    pub fn flush(&self, editor: Editor) {
        if let Some(h) = self.timer.try_update_value(Option::take).flatten() {
            h.clear();
        }
        self.prepared.set_value(None);
        if self.state.get_untracked() != SaveState::Pending {
            return;
        }
        let (id, raw) = editor
            .doc
            .with_untracked(|d| (d.document.id.clone(), storage::serialize(d)));
        let chars = storage::stored_chars(&raw);
        let result = self.write_open(editor, &id, raw, chars);
        self.finish(editor, result, true);
    }

    /// Writes `raw` (`chars` characters), this tab's serialization of the open document `id`,
    /// and brings the library entry up to date (`Some(true)`: the index must be written too).
    ///
    /// If storage holds something else than this tab last read or wrote, another tab has
    /// saved the document since: that is merged in first, and the merge is what is written.
    /// Something there that cannot be read is kept aside before it is written over.
    fn write_open(
        &self,
        editor: Editor,
        id: &str,
        mut raw: String,
        mut chars: usize,
    ) -> Result<Option<bool>, StorageError> {
        let store = document_store(id);
        if let Some(stored) = store.raw().filter(|s| !self.is_base(id, s)) {
            let open = editor.doc.with_untracked(|d| d.document.id == id);
            match native::parse(&stored) {
                Ok(theirs) if open => {
                    if !sync::bring_in(editor, theirs, stored) {
                        // What storage holds is the merge: nothing left to write.
                        return Ok(self.note_stored(editor, id, None));
                    }
                    raw = editor.doc.with_untracked(storage::serialize);
                    chars = storage::stored_chars(&raw);
                }
                Ok(_) => {}
                Err(e) => sync::keep_aside(editor, id, &stored, &e.to_string())?,
            }
        }
        let stored = store.write_counted(&raw, chars)?;
        self.set_base(id, raw);
        Ok(self.note_stored(editor, id, Some(stored)))
    }

    /// The library entry of the open document `id` after a write of `stored` characters
    /// (`None`: the size is what the entry says); whether it changed.
    fn note_stored(&self, editor: Editor, id: &str, stored: Option<usize>) -> Option<bool> {
        editor.doc.with_untracked(|d| {
            (d.document.id == id)
                .then(|| {
                    let stored = stored.or_else(|| {
                        editor
                            .library
                            .with_untracked(|l| l.entry(id).map(|e| e.stored))
                    })?;
                    editor.library.try_update(|l| l.update(d, stored))
                })
                .flatten()
        })
    }

    /// After a write: the index if the list entry changed, then the state and the alert.
    /// `latest`: no change came after the snapshot written.
    fn finish(
        &self,
        editor: Editor,
        result: Result<Option<bool>, storage::StorageError>,
        latest: bool,
    ) {
        let result = match result {
            Ok(Some(true)) => editor.library.with_untracked(storage::save_index),
            Ok(_) => Ok(()),
            Err(e) => Err(e),
        };
        match result {
            Ok(()) => {
                if latest {
                    self.state.set(SaveState::Saved);
                }
                if editor
                    .alert
                    .with_untracked(|a| a.as_deref().is_some_and(is_failure))
                {
                    editor.alert.set(None);
                }
            }
            Err(e) => {
                self.state.set(SaveState::Failed);
                editor.alert.set(Some(format!(
                    "Not saved: {e}. Your work stays in this tab; use Download to keep a copy."
                )));
            }
        }
    }
}

impl Default for Autosave {
    fn default() -> Self {
        Self::new()
    }
}

/// Starts the autosave of `editor`: after every change, and when the page goes away.
pub fn start(editor: Editor) {
    let autosave = editor.autosave;
    // The first run sees the document as storage gave it (or as startup saved it): nothing
    // to write.
    Effect::new(move |previous: Option<String>| {
        let id = editor.doc.with(|d| d.document.id.clone());
        if previous.as_deref() != Some(id.as_str()) {
            // Another document opened (or the first): storage holds it as it is.
            autosave.rebase(editor);
            autosave.quiet.set_value(false);
            if !editor.may_save.get_value() {
                autosave.state.set(SaveState::Off);
            }
        } else if !autosave
            .quiet
            .try_update_value(std::mem::take)
            .unwrap_or(false)
        {
            autosave.schedule(editor);
        }
        id
    });
    let hide = window_event_listener(leptos::ev::pagehide, move |_| autosave.flush(editor));
    let hidden = window_event_listener(leptos::ev::visibilitychange, move |_| {
        let hidden = web_sys::window()
            .and_then(|w| w.document())
            .is_some_and(|d| d.hidden());
        if hidden {
            autosave.flush(editor);
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
    let editor = expect_context::<Editor>();
    let state = editor.autosave.state;
    view! {
        <span class="save-state" data-state=move || state.get().id()>{move || state.get().text()}</span>
    }
}
