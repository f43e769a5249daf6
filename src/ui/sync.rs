//! Other tabs: several tabs of Spanmark share one localStorage, and none may lose what another
//! saved.
//!
//! The browser tells every other tab when one writes (`storage` events). For the document this
//! tab shows, what the other tab stored is brought in (`Autosave::bring_in`): taken as it is when this
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

use super::autosave::keep_aside;
use super::editor::Editor;
use super::notices::{short, Notice};
use super::snapshot::SaveState;
use super::state::Session;
use crate::storage::{self, StoredKey};
use spanmark_core::library::Library;

/// Listens to the other tabs' writes.
pub fn start(editor: Editor, session: Session) {
    let listener = window_event_listener(leptos::ev::storage, move |ev| {
        on_storage(editor, session, &ev)
    });
    on_cleanup(move || listener.remove());
}

fn on_storage(editor: Editor, session: Session, ev: &web_sys::StorageEvent) {
    if !session.may_save.get_value() || !from_local_storage(ev) {
        return;
    }
    // What storage holds now, not what the event carries: several writes may be queued, and
    // only the latest one matters.
    let index = || storage::raw(storage::INDEX_KEY);
    match ev.key().as_deref().map(StoredKey::of) {
        // Another tab cleared everything.
        None => {
            on_index(editor, session, index());
            let open = editor.open.id();
            on_document(editor, session, &open, storage::document_store(&open).raw());
        }
        Some(StoredKey::Index) => on_index(editor, session, index()),
        Some(StoredKey::Document(id)) => {
            on_document(editor, session, id, storage::document_store(id).raw());
        }
        Some(StoredKey::Other) => {}
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
fn on_document(editor: Editor, session: Session, id: &str, raw: Option<String>) {
    let open = editor.open.doc.with_untracked(|d| d.document.id == id);
    if !open {
        // A document held in memory takes the stored version (it has nothing unsaved: it
        // was written when another document opened).
        match raw.map(|r| storage::parse(&r)) {
            Some(Ok(doc)) => session.stash.update_value(|s| {
                if let Some(slot) = s.get_mut(id) {
                    slot.0 = doc;
                }
            }),
            None => session.stash.update_value(|s| {
                s.remove(id);
            }),
            Some(Err(_)) => {}
        }
        return;
    }
    let autosave = session.autosave;
    let Some(raw) = raw else {
        // Deleted in another tab while open here: stored again.
        autosave.clear_base();
        autosave.state.set(SaveState::Pending);
        autosave.flush(editor, session);
        let title = editor.open.doc.with_untracked(|d| d.document.title.clone());
        editor.notices.alert(Notice::Warning(format!(
            "\u{201c}{}\u{201d} was deleted in another tab. It is open here, so it was kept; delete it here too if you meant to.",
            short(&title)
        )));
        return;
    };
    if autosave.is_base(id, &raw) {
        return;
    }
    match storage::parse(&raw) {
        Ok(theirs) => {
            if autosave.bring_in(editor, session, theirs, raw) {
                autosave.schedule(editor, session);
            }
        }
        Err(e) => {
            if keep_aside(editor, id, &raw, &e).is_ok() {
                autosave.clear_base();
            }
        }
    }
}

/// Another tab wrote the list of documents (`None`: removed it).
fn on_index(editor: Editor, session: Session, raw: Option<String>) {
    let stored: Library = match raw.as_deref().map(serde_json::from_str) {
        Some(Ok(library)) => library,
        None => Library::default(),
        // Not readable here: the documents themselves still say what is stored.
        Some(Err(_)) => return,
    };
    let open = editor.open.id();
    let ours = session.library.get_untracked();
    let merged = ours.reconciled(&stored, Some(&open), storage::stored_entry);
    if merged != ours {
        session
            .stash
            .update_value(|s| s.retain(|id, _| merged.entry(id).is_some()));
        session.library.set(merged);
    }
    // The other tab's list lacks this tab's open document (it deleted it, or cleared
    // everything): the list is written again with it.
    if stored.entry(&open).is_none() {
        let _ = session.library.with_untracked(storage::save_index);
    }
}
