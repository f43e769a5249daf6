//! The documents of the library: opening one (this tab keeps the others it has open, with
//! their undo history, in memory), adding, deleting and renaming them, each stored under its
//! own key. The panel that lists them is `library.rs`.

use leptos::prelude::*;

use super::autosave::not_saved;
use super::editor::Editor;
use super::notices::{grouped, Notice};
use super::state::{default_document, Session};
use crate::storage::{self, document_store, StorageError};
use spanmark_core::edit::History;
use spanmark_core::library::{Library, STORAGE_LIMIT};
use spanmark_core::{Action, AnnotatedDocument};

/// Saves the index, saying so when the browser refuses.
pub fn save_index(editor: Editor, session: Session) {
    if !session.may_save.get_value() {
        return;
    }
    if let Err(e) = session.library.with_untracked(storage::save_index) {
        editor
            .notices
            .alert_with_details(not_saved(&e), e.details());
    }
}

/// Opens document `id`: the current one goes to the stash, `id` comes from the stash or storage.
pub fn switch_to(editor: Editor, session: Session, id: &str) {
    if editor.open.id() == id {
        return;
    }
    open(editor, session, id, true);
}

/// Opens document `id` from the stash or storage. With `keep_current`, the open document goes
/// to the stash; without, it is dropped (it is not in the library: the placeholder shown before
/// the library is read, or a document just deleted).
fn open(editor: Editor, session: Session, id: &str, keep_current: bool) {
    // A change waiting to be written belongs to the document being left.
    session.autosave.flush(editor, session);
    let current = editor.open.id();
    let next = match session.stash.try_update_value(|s| s.remove(id)).flatten() {
        Some(found) => found,
        None => match document_store(id).load() {
            Ok(Some(doc)) => (doc, History::default()),
            Ok(None) => {
                editor.notices.alert(Notice::Problem(
                    "That document is no longer in the browser's storage (another tab may have deleted it). Your other documents are safe.".into(),
                ));
                session.library.update(|l| {
                    l.remove(id);
                });
                save_index(editor, session);
                return;
            }
            Err(e) => {
                editor.notices.alert_with_details(
                    Notice::Problem(format!(
                        "Could not open the document: {e}. It stays in storage as it was, and the document you had open is still open."
                    )),
                    e.details(),
                );
                return;
            }
        },
    };
    let title = next.0.document.title.clone();
    // The open document is swapped out, not copied: a copy of a long document (its text and
    // every span) would be held twice for a moment, and the wasm heap never shrinks.
    let previous = show(editor, next);
    if keep_current {
        if let Some(previous) = previous {
            session.stash.update_value(|s| {
                s.insert(current, previous);
            });
        }
    }
    session.library.update(|l| l.current = Some(id.to_owned()));
    save_index(editor, session);
    editor
        .notices
        .say(format!("Opened \u{201c}{title}\u{201d}."));
}

/// Shows `doc` with its undo history as the open document, with nothing selected; the
/// document shown until now, with its history.
fn show(
    editor: Editor,
    (doc, history): (AnnotatedDocument, History),
) -> Option<(AnnotatedDocument, History)> {
    editor.clear_selection_state();
    let history = editor
        .open
        .history
        .try_update(|h| std::mem::replace(h, history));
    let doc = editor.open.doc.try_update(|d| std::mem::replace(d, doc));
    doc.zip(history)
}

/// Adds documents to the library, stores each, and opens the first.
pub fn add_documents(editor: Editor, session: Session, docs: Vec<AnnotatedDocument>) {
    let library = session.library;
    // The open document may not be listed (the placeholder before the library is read, or
    // a document just deleted); then an added document may even take its id.
    let current = editor.open.id();
    let current_listed = library.with_untracked(|l| l.entry(&current).is_some());
    let mut first = None;
    let mut n = 0;
    for doc in docs {
        let Some(id) = store_new(editor, session, doc, true) else {
            continue;
        };
        n += 1;
        first.get_or_insert(id);
    }
    save_index(editor, session);
    if let Some(id) = first {
        open(editor, session, &id, current_listed);
        if n > 1 {
            editor
                .notices
                .say(format!("Added {n} documents; the first is open."));
        }
    }
}

/// Adds `doc` to the library under an id of its own and stores it, without opening it; its id,
/// or `None` when storage refused it (then the alert says so and offers it as a download). The
/// index is the caller's to save. With `keep`, or when storage cannot be used, the document is
/// also held in memory, ready to open.
pub fn store_new(
    editor: Editor,
    session: Session,
    mut doc: AnnotatedDocument,
    keep: bool,
) -> Option<String> {
    let Session {
        library,
        stash,
        may_save,
        ..
    } = session;
    // Not an id another tab has stored, nor one deleted here (another tab may still hold
    // that document open and store it again).
    let taken = |id: &str| {
        session.deleted.with_value(|d| d.contains(id))
            || (may_save.get_value() && document_store(id).raw().is_some())
    };
    let id = library
        .try_update(|l| l.add_unless(&mut doc, 0, taken))
        .unwrap_or_default();
    if may_save.get_value() {
        match document_store(&id).save(&doc) {
            Ok(stored) => {
                library.update(|l| {
                    l.update(&doc, stored);
                });
            }
            Err(e) => {
                // Refused whole: a document is in storage entirely or not at all.
                library.update(|l| {
                    l.remove(&id);
                });
                let used = library.with_untracked(Library::stored);
                editor
                    .notices
                    .alert(Notice::Problem(refusal(&doc, &e, used)));
                session.refused.set(Some(doc));
                return None;
            }
        }
    }
    if keep || !may_save.get_value() {
        stash.update_value(|s| {
            s.insert(id.clone(), (doc, History::default()));
        });
    }
    Some(id)
}

/// Why `doc` was not added, for the alert (`used`: the characters in use in storage).
fn refusal(doc: &AnnotatedDocument, e: &StorageError, used: usize) -> String {
    let title = &doc.document.title;
    match e {
        StorageError::QuotaExceeded => {
            let needed = storage::stored_size(doc);
            format!(
                "Not added: \u{201c}{title}\u{201d} is too large for this browser's storage (it \
                 needs about {} characters; {} of about {} are in use). Nothing of it was saved. \
                 Download it as a Spanmark file to keep it, or delete documents to make room.",
                grouped(needed),
                grouped(used),
                grouped(STORAGE_LIMIT)
            )
        }
        e => format!(
            "Not added: \u{201c}{title}\u{201d} could not be saved ({e}). Nothing of it was \
             saved; download it as a Spanmark file to keep it."
        ),
    }
}

/// Deletes document `id` from the library and storage; the next one opens if it was current.
pub fn delete(editor: Editor, session: Session, id: &str) {
    let Session { library, stash, .. } = session;
    let was_current = editor.open.id() == id;
    let Some(entry) = library.try_update(|l| l.remove(id)).flatten() else {
        return;
    };
    session.deleted.update_value(|d| {
        d.insert(id.to_owned());
    });
    if was_current {
        // Nothing of the deleted document is written any more.
        session.autosave.cancel();
    }
    stash.update_value(|s| {
        s.remove(id);
    });
    if session.may_save.get_value() {
        if let Err(e) = document_store(id).delete() {
            editor.notices.alert(Notice::Problem(format!(
                "Could not delete it from storage: {e}. Nothing was lost; try again, or reload the page."
            )));
        }
    }
    if was_current {
        let next = library.with_untracked(|l| l.current.clone());
        match next {
            Some(next) => {
                // Nothing to stash: the deleted document is gone.
                let replacement = stash
                    .try_update_value(|s| s.remove(&next))
                    .flatten()
                    .or_else(|| {
                        document_store(&next)
                            .load()
                            .ok()
                            .flatten()
                            .map(|d| (d, History::default()))
                    });
                match replacement {
                    Some(replacement) => {
                        show(editor, replacement);
                    }
                    None => {
                        library.update(|l| l.current = None);
                        add_documents(editor, session, vec![default_document()]);
                    }
                }
            }
            None => add_documents(editor, session, vec![default_document()]),
        }
    }
    save_index(editor, session);
    editor
        .notices
        .say(format!("Deleted \u{201c}{}\u{201d}.", entry.title));
}

/// Renames document `id`: the open one as an undoable edit, another one in storage.
pub fn rename(editor: Editor, session: Session, id: &str, title: &str) {
    if editor.open.id() == id {
        editor.dispatch(Action::SetTitle {
            title: title.to_owned(),
        });
        return;
    }
    let stash = session.stash;
    let stashed = stash.with_value(|s| s.contains_key(id));
    let mut doc = if stashed {
        stash.with_value(|s| s.get(id).map(|(d, _)| d.clone()))
    } else {
        document_store(id).load().ok().flatten()
    };
    let Some(d) = doc.as_mut() else { return };
    if let Err(e) = d.apply(Action::SetTitle {
        title: title.to_owned(),
    }) {
        editor.notices.alert(Notice::Problem(format!(
            "Not renamed: {e}. The title stays as it was."
        )));
        return;
    }
    let stored = if session.may_save.get_value() {
        match document_store(id).save(d) {
            Ok(n) => n,
            Err(e) => {
                editor.notices.alert(Notice::NotSaved(format!(
                    "Not saved: {e}. Your work stays in this tab; use Download to keep a copy."
                )));
                0
            }
        }
    } else {
        0
    };
    if let Some(doc) = doc {
        session.library.update(|l| {
            l.update(&doc, stored);
        });
        if stashed {
            stash.update_value(|s| {
                if let Some(slot) = s.get_mut(id) {
                    slot.0 = doc;
                }
            });
        }
    }
    save_index(editor, session);
}
