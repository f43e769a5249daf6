//! Other tabs: several tabs of Spanmark share one localStorage, and none may lose what another
//! saved.
//!
//! The browser tells every other tab when one writes (`storage` events). For the document this
//! tab shows, what the other tab stored is brought in ([`bring_in`]): taken as it is when this
//! tab has nothing unsaved, merged with this tab's changes otherwise (`core::merge`: both
//! tabs' spans, links and notes are kept; where both changed one span, both versions are kept
//! and the alert says so). A document this tab only holds in memory (the stash) takes the
//! stored version; the list of documents takes the other tab's additions, deletions and
//! renames (`Library::reconciled`). The autosave does the same before each write, for the
//! moment between another tab's write and its event.
//!
//! A document another tab deletes while it is open here stays: this tab stores it again and
//! says so, since its annotations are on screen and may be the only copy the user wants.

use leptos::prelude::*;

use super::autosave::SaveState;
use super::{short, Editor};
use crate::storage::{self, StorageError, DOCUMENT_PREFIX, INDEX_KEY};
use spanmark_core::library::Library;
use spanmark_core::merge::{self, MergeError};
use spanmark_core::AnnotatedDocument;
use spanmark_formats::native;

/// Listens to the other tabs' writes.
pub fn start(editor: Editor) {
    let listener = window_event_listener(leptos::ev::storage, move |ev| on_storage(editor, &ev));
    on_cleanup(move || listener.remove());
}

fn on_storage(editor: Editor, ev: &web_sys::StorageEvent) {
    if !editor.may_save.get_value() || !from_local_storage(ev) {
        return;
    }
    // What storage holds now, not what the event carries: several writes may be queued, and
    // only the latest one matters.
    let index = || storage::raw(INDEX_KEY);
    match ev.key() {
        // Another tab cleared everything.
        None => {
            on_index(editor, index());
            let open = editor.doc.with_untracked(|d| d.document.id.clone());
            on_document(editor, &open, storage::document_store(&open).raw());
        }
        Some(key) if key == INDEX_KEY => on_index(editor, index()),
        Some(key) => {
            if let Some(id) = key
                .strip_prefix(DOCUMENT_PREFIX)
                .filter(|id| !id.contains(":unreadable:"))
            {
                on_document(editor, id, storage::raw(&key));
            }
        }
    }
}

/// Whether the event is about localStorage (not sessionStorage).
fn from_local_storage(ev: &web_sys::StorageEvent) -> bool {
    let local = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
    match (ev.storage_area(), local) {
        (Some(area), Some(local)) => area == local,
        _ => false,
    }
}

/// Another tab wrote document `id` (`None`: removed it).
fn on_document(editor: Editor, id: &str, raw: Option<String>) {
    let open = editor.doc.with_untracked(|d| d.document.id == id);
    if !open {
        // A document held in memory takes the stored version (it has nothing unsaved: it
        // was written when another document opened).
        match raw.map(|r| native::parse(&r)) {
            Some(Ok(doc)) => editor.stash.update_value(|s| {
                if let Some(slot) = s.get_mut(id) {
                    slot.0 = doc;
                }
            }),
            None => editor.stash.update_value(|s| {
                s.remove(id);
            }),
            Some(Err(_)) => {}
        }
        return;
    }
    let autosave = editor.autosave;
    let Some(raw) = raw else {
        // Deleted in another tab while open here: stored again.
        autosave.clear_base();
        autosave.state.set(SaveState::Pending);
        autosave.flush(editor);
        let title = editor.doc.with_untracked(|d| d.document.title.clone());
        editor.alert.set(Some(format!(
            "\u{201c}{}\u{201d} was deleted in another tab. It is open here, so it was kept; delete it here too if you meant to.",
            short(&title)
        )));
        return;
    };
    if autosave.is_base(id, &raw) {
        return;
    }
    match native::parse(&raw) {
        Ok(theirs) => {
            if bring_in(editor, theirs, raw) {
                autosave.schedule(editor);
            }
        }
        Err(e) => {
            if keep_aside(editor, id, &raw, &e.to_string()).is_ok() {
                autosave.clear_base();
            }
        }
    }
}

/// Another tab wrote the list of documents (`None`: removed it).
fn on_index(editor: Editor, raw: Option<String>) {
    let stored: Library = match raw.as_deref().map(serde_json::from_str) {
        Some(Ok(library)) => library,
        None => Library::default(),
        // Not readable here: the documents themselves still say what is stored.
        Some(Err(_)) => return,
    };
    let open = editor.doc.with_untracked(|d| d.document.id.clone());
    let ours = editor.library.get_untracked();
    let merged = ours.reconciled(&stored, Some(&open), storage::stored_entry);
    if merged != ours {
        editor
            .stash
            .update_value(|s| s.retain(|id, _| merged.entry(id).is_some()));
        editor.library.set(merged);
    }
    // The other tab's list lacks this tab's open document (it deleted it, or cleared
    // everything): the list is written again with it.
    if stored.entry(&open).is_none() {
        let _ = editor.library.with_untracked(storage::save_index);
    }
}

/// Brings `theirs`, the open document as another tab stored it (`raw`), into this tab: as it
/// is when this tab has nothing unsaved, merged with this tab's changes otherwise. Storage now
/// holds `raw` as far as this tab knows. Returns whether this tab's document now differs from
/// what storage holds (it must be written).
pub fn bring_in(editor: Editor, theirs: AnnotatedDocument, raw: String) -> bool {
    let autosave = editor.autosave;
    let id = theirs.document.id.clone();
    // The list shows the document as stored.
    let stored = storage::stored_chars(&raw) + storage::document_store(&id).key().len();
    editor.library.update(|l| {
        l.update(&theirs, stored);
    });
    if !autosave.unsaved() {
        autosave.set_base(&id, raw);
        autosave.skip_next();
        editor.take_document(theirs);
        editor
            .status
            .set("Updated with the changes made in another tab.".into());
        return false;
    }
    // A snapshot of this tab's document made before this merge must not be written now.
    autosave.drop_snapshot();
    let base = autosave.base_document(&id);
    let merged = editor
        .doc
        .with_untracked(|ours| merge::merge(base.as_ref(), ours, &theirs));
    match merged {
        Ok(merged) => {
            autosave.set_base(&id, raw);
            let differs = merged.doc != theirs;
            let changed = editor.doc.with_untracked(|ours| merged.doc != *ours);
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
                    .status
                    .set("Merged with the changes made in another tab.".into());
            } else {
                editor.alert.set(Some(format!(
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

/// Keeps `raw`, found under document `id`'s key, aside before this tab writes over it, and
/// says so. Fails (and nothing may be written) when the copy cannot be made.
pub fn keep_aside(editor: Editor, id: &str, raw: &str, why: &str) -> Result<(), StorageError> {
    match storage::keep_document_aside(id, raw) {
        Some(backup) => {
            editor.alert.set(Some(format!(
                "Another tab stored this document in a form this tab cannot read ({why}); it was kept unchanged under the storage key \u{201c}{backup}\u{201d}."
            )));
            Ok(())
        }
        None => Err(StorageError::Unreadable {
            reason: why.to_owned(),
            kept_as: None,
        }),
    }
}
