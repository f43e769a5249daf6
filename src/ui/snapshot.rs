//! What this tab knows of storage for the open document: whether it is saved ([`SaveState`]),
//! what storage held when the tab last read or wrote it (the *base*, from which another tab's
//! changes are merged), and the snapshot waiting for its write. The autosave (`autosave.rs`)
//! writes through it; the other-tab listener (`sync.rs`) reads and updates it.

use leptos::prelude::*;

use crate::storage;
use spanmark_core::AnnotatedDocument;

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

/// A serialized snapshot of the open document: what a write puts in storage.
pub struct Prepared {
    pub id: String,
    /// What is written, and its length in characters (counted when it is made, not in the
    /// write's task).
    pub snapshot: storage::Snapshot,
    /// The change count it includes.
    pub generation: u64,
}

/// The autosave's state, its waiting timer and its snapshot; its writes are in `autosave.rs`.
///
/// The timer's write is split over two tasks, so that neither blocks input as long as both
/// would: one serializes the document, the next writes it. A change in between is written by
/// the next round; a flush (page hidden, another document) does both at once.
#[derive(Clone, Copy)]
pub struct Autosave {
    pub state: RwSignal<SaveState>,
    pub(super) timer: StoredValue<Option<TimeoutHandle>>,
    pub(super) prepared: StoredValue<Option<Prepared>>,
    /// How many changes have been seen.
    pub(super) generation: StoredValue<u64>,
    /// The open document as storage held it when this tab last read or wrote it: its id and
    /// stored text, and, after this tab's own write, the string as the browser holds it (a
    /// save checks that nothing else wrote since against it, without reading the stored
    /// string into wasm).
    base: StoredValue<Option<(String, String, Option<storage::Written>)>, LocalStorage>,
    /// The next change of the document is one storage already holds (taken from another tab):
    /// nothing to write for it.
    pub(super) quiet: StoredValue<bool>,
}

impl Autosave {
    pub fn new() -> Self {
        Autosave {
            state: RwSignal::new(SaveState::Saved),
            timer: StoredValue::new(None),
            prepared: StoredValue::new(None),
            generation: StoredValue::new(0),
            base: StoredValue::new_local(None),
            quiet: StoredValue::new(false),
        }
    }

    /// Storage holds `raw` for document `id`, as this tab now knows it.
    pub fn set_base(&self, id: &str, raw: String) {
        self.base.set_value(Some((id.to_owned(), raw, None)));
    }

    /// This tab wrote `raw` for document `id`; the browser holds it as `written`.
    pub fn set_written(&self, id: &str, raw: String, written: storage::Written) {
        self.base
            .set_value(Some((id.to_owned(), raw, Some(written))));
    }

    /// What this tab last wrote for document `id`, as the browser holds it (`None` when this
    /// tab has not written it since it last read it: then [`Autosave::is_base`] must say).
    pub fn written(&self, id: &str) -> Option<storage::Written> {
        self.base.with_value(|b| match b {
            Some((bid, _, written)) if bid == id => written.clone(),
            _ => None,
        })
    }

    /// Forgets what storage held for the open document (it was removed, or kept aside).
    pub fn clear_base(&self) {
        self.base.set_value(None);
    }

    /// Whether storage holds exactly `raw` for document `id`, as far as this tab knows.
    pub fn is_base(&self, id: &str, raw: &str) -> bool {
        self.base
            .with_value(|b| matches!(b, Some((bid, braw, _)) if bid == id && braw == raw))
    }

    /// The open document as storage last held it, if this tab knows it and it can be read.
    pub fn base_document(&self, id: &str) -> Option<AnnotatedDocument> {
        self.base.with_value(|b| match b {
            Some((bid, raw, _)) if bid == id => storage::parse(raw).ok(),
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
}

impl Default for Autosave {
    fn default() -> Self {
        Self::new()
    }
}
