//! The document library: the list of documents to switch, rename and delete, new documents
//! from pasted text, and the storage meter.

use std::collections::HashMap;

use leptos::html;
use leptos::prelude::*;

use super::Editor;
use crate::storage::{self, document_store, StorageError};
use spanmark_core::edit::History;
use spanmark_core::library::{Fill, Library, STORAGE_LIMIT};
use spanmark_core::{Action, AnnotatedDocument, Document};

/// Documents other than the open one that this tab has in memory, with their undo history.
/// When storage works they are also stored; when it does not, this is their only copy.
pub type Stash = StoredValue<HashMap<String, (AnnotatedDocument, History)>>;

/// Saves the index, saying so when the browser refuses.
fn save_index(editor: Editor) {
    if !editor.may_save.get_value() {
        return;
    }
    if let Err(e) = editor.library.with_untracked(storage::save_index) {
        editor.alert.set(Some(format!(
            "Not saved: {e}. Your work stays in this tab; use Download to keep a copy."
        )));
    }
}

/// Opens document `id`: the current one goes to the stash, `id` comes from the stash or storage.
pub fn switch_to(editor: Editor, id: &str) {
    let current = editor.doc.with_untracked(|d| d.document.id.clone());
    if current == id {
        return;
    }
    open(editor, id, true);
}

/// Opens document `id` from the stash or storage. With `keep_current`, the open document goes
/// to the stash; without, it is dropped (it is not in the library: the placeholder shown before
/// the library is read, or a document just deleted).
fn open(editor: Editor, id: &str, keep_current: bool) {
    // A change waiting to be written belongs to the document being left.
    editor.autosave.flush(editor);
    let current = editor.doc.with_untracked(|d| d.document.id.clone());
    let next = match editor.stash.try_update_value(|s| s.remove(id)).flatten() {
        Some(found) => found,
        None => match document_store(id).load() {
            Ok(Some(doc)) => (doc, History::default()),
            Ok(None) => {
                editor.alert.set(Some(
                    "That document is no longer in the browser's storage.".into(),
                ));
                editor.library.update(|l| {
                    l.remove(id);
                });
                save_index(editor);
                return;
            }
            Err(e) => {
                editor
                    .alert
                    .set(Some(format!("Could not open the document: {e}.")));
                return;
            }
        },
    };
    let title = next.0.document.title.clone();
    if keep_current {
        let previous = (editor.doc.get_untracked(), editor.history.get_untracked());
        editor.stash.update_value(|s| {
            s.insert(current, previous);
        });
    }
    editor.clear_selection_state();
    editor.history.set(next.1);
    editor.doc.set(next.0);
    editor.library.update(|l| l.current = Some(id.to_owned()));
    save_index(editor);
    editor
        .status
        .set(format!("Opened \u{201c}{title}\u{201d}."));
}

/// Adds documents to the library, stores each, and opens the first.
pub fn add_documents(editor: Editor, docs: Vec<AnnotatedDocument>) {
    // The open document may not be listed (the placeholder before the library is read, or
    // a document just deleted); then an added document may even take its id.
    let current_listed = editor.doc.with_untracked(|d| {
        editor
            .library
            .with_untracked(|l| l.entry(&d.document.id).is_some())
    });
    let mut first = None;
    let mut n = 0;
    for mut doc in docs {
        // Not an id another tab has stored, nor one deleted here (another tab may still
        // hold that document open and store it again).
        let taken = |id: &str| {
            editor.deleted.with_value(|d| d.contains(id))
                || (editor.may_save.get_value() && document_store(id).raw().is_some())
        };
        let id = editor
            .library
            .try_update(|l| l.add_unless(&mut doc, 0, taken))
            .unwrap_or_default();
        if editor.may_save.get_value() {
            match document_store(&id).save(&doc) {
                Ok(stored) => {
                    editor.library.update(|l| {
                        l.update(&doc, stored);
                    });
                }
                Err(e) => {
                    // Refused whole: a document is in storage entirely or not at all.
                    editor.library.update(|l| {
                        l.remove(&id);
                    });
                    editor.alert.set(Some(refusal(editor, &doc, &e)));
                    editor.refused.set(Some(doc));
                    continue;
                }
            }
        }
        n += 1;
        first.get_or_insert_with(|| id.clone());
        editor.stash.update_value(|s| {
            s.insert(id, (doc, History::default()));
        });
    }
    save_index(editor);
    if let Some(id) = first {
        open(editor, &id, current_listed);
        if n > 1 {
            editor
                .status
                .set(format!("Added {n} documents; the first is open."));
        }
    }
}

/// Why `doc` was not added, for the alert.
fn refusal(editor: Editor, doc: &AnnotatedDocument, e: &StorageError) -> String {
    let title = &doc.document.title;
    match e {
        StorageError::QuotaExceeded => {
            let needed = storage::stored_size(doc);
            let used = editor.library.with_untracked(Library::stored);
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
pub fn delete(editor: Editor, id: &str) {
    let was_current = editor.doc.with_untracked(|d| d.document.id == id);
    let Some(entry) = editor.library.try_update(|l| l.remove(id)).flatten() else {
        return;
    };
    editor.deleted.update_value(|d| {
        d.insert(id.to_owned());
    });
    if was_current {
        // Nothing of the deleted document is written any more.
        editor.autosave.cancel();
    }
    editor.stash.update_value(|s| {
        s.remove(id);
    });
    if editor.may_save.get_value() {
        if let Err(e) = document_store(id).remove() {
            editor
                .alert
                .set(Some(format!("Could not delete it from storage: {e}.")));
        }
    }
    if was_current {
        let next = editor.library.with_untracked(|l| l.current.clone());
        match next {
            Some(next) => {
                // Nothing to stash: the deleted document is gone.
                let replacement = editor
                    .stash
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
                    Some((doc, history)) => {
                        editor.clear_selection_state();
                        editor.history.set(history);
                        editor.doc.set(doc);
                    }
                    None => {
                        editor.library.update(|l| l.current = None);
                        add_documents(editor, vec![super::default_document()]);
                    }
                }
            }
            None => add_documents(editor, vec![super::default_document()]),
        }
    }
    save_index(editor);
    editor
        .status
        .set(format!("Deleted \u{201c}{}\u{201d}.", entry.title));
}

/// Renames document `id`: the open one as an undoable edit, another one in storage.
pub fn rename(editor: Editor, id: &str, title: &str) {
    if editor.doc.with_untracked(|d| d.document.id == id) {
        editor.dispatch(Action::SetTitle {
            title: title.to_owned(),
        });
        return;
    }
    let stashed = editor.stash.with_value(|s| s.contains_key(id));
    let mut doc = if stashed {
        editor
            .stash
            .with_value(|s| s.get(id).map(|(d, _)| d.clone()))
    } else {
        document_store(id).load().ok().flatten()
    };
    let Some(d) = doc.as_mut() else { return };
    if let Err(e) = d.apply(Action::SetTitle {
        title: title.to_owned(),
    }) {
        editor.alert.set(Some(format!("Not renamed: {e}.")));
        return;
    }
    let stored = if editor.may_save.get_value() {
        match document_store(id).save(d) {
            Ok(n) => n,
            Err(e) => {
                editor.alert.set(Some(format!("Not saved: {e}.")));
                0
            }
        }
    } else {
        0
    };
    if let Some(doc) = doc {
        editor.library.update(|l| {
            l.update(&doc, stored);
        });
        if stashed {
            editor.stash.update_value(|s| {
                if let Some(slot) = s.get_mut(id) {
                    slot.0 = doc;
                }
            });
        }
    }
    save_index(editor);
}

/// The number with thousands grouped by thin spaces: `1 234 567`.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{2009}');
        }
        out.push(c);
    }
    out
}

/// The documents in this browser: open, rename, delete, add from text; and the storage meter.
#[component]
pub fn LibraryPanel() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let renaming = RwSignal::new(None::<String>);
    let deleting = RwSignal::new(None::<(String, String, usize)>);
    let entries = move || editor.library.with(|l| l.documents.clone());
    let current = move || editor.doc.with(|d| d.document.id.clone());
    let used = move || {
        editor
            .library
            .with(|l| l.stored().saturating_add(storage::index_size(l)))
    };
    view! {
        <nav class="library" aria-label="Documents">
            <h2>"Documents"</h2>
            <ul class="doc-list">
                // Keyed by id alone: a row keeps its elements (and focus) while its name and
                // count change.
                <For
                    each=entries
                    key=|e| e.id.clone()
                    let:entry
                >
                    {
                        let id = entry.id.clone();
                        let is_current = {
                            let id = id.clone();
                            Memo::new(move |_| current() == id)
                        };
                        let is_renaming = {
                            let id = id.clone();
                            move || renaming.with(|r| r.as_deref() == Some(id.as_str()))
                        };
                        let info = {
                            let id = id.clone();
                            Memo::new(move |_| {
                                editor.library.with(|l| {
                                    l.entry(&id).map(|e| (e.title.clone(), e.spans)).unwrap_or_default()
                                })
                            })
                        };
                        let title = move || info.with(|i| i.0.clone());
                        let spans = move || info.with(|i| i.1);
                        let (row_id, field_id) = (id.clone(), id.clone());
                        let row = move || {
                            let (open_id, rename_id, delete_id) = (id.clone(), id.clone(), id.clone());
                            view! {
                                <button
                                    class="doc-open"
                                    title=title
                                    aria-current=move || is_current.get().then_some("page")
                                    on:click=move |_| switch_to(editor, &open_id)
                                >
                                    <span class="doc-name">{title}</span>
                                    <span class="doc-count" title=move || format!("{} spans", spans())>{spans}</span>
                                </button>
                                <button
                                    class="icon doc-rename"
                                    aria-label=move || format!("Rename {}", title())
                                    title="Rename"
                                    on:click=move |_| renaming.set(Some(rename_id.clone()))
                                >
                                    "✎"
                                </button>
                                <button
                                    class="icon doc-delete"
                                    aria-label=move || format!("Delete {}", title())
                                    title="Delete"
                                    on:click=move |_| {
                                        let (t, n) = info.get_untracked();
                                        deleting.set(Some((delete_id.clone(), t, n)));
                                    }
                                >
                                    "×"
                                </button>
                            }
                        };
                        view! {
                            <li class="doc-item" class:current=move || is_current.get() data-doc=row_id>
                                <Show when=is_renaming fallback=row>
                                    {
                                        let field_id = field_id.clone();
                                        move || view! { <RenameField id=field_id.clone() title=info.get_untracked().0 renaming/> }
                                    }
                                </Show>
                            </li>
                        }
                    }
                </For>
            </ul>
            <NewDocument/>
            <super::compare::CompareButton/>
            <ConfirmDelete deleting/>
            <StorageMeter used/>
        </nav>
    }
}

/// An inline field that renames a document: Enter keeps the name, Escape drops it.
#[component]
fn RenameField(id: String, title: String, renaming: RwSignal<Option<String>>) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let input = NodeRef::<html::Input>::new();
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
            el.select();
        }
    });
    let commit = move || {
        if let Some(el) = input.get_untracked() {
            let value = el.value();
            renaming.set(None);
            rename(editor, &id, &value);
        }
    };
    let on_key = {
        let commit = commit.clone();
        move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
            "Enter" => {
                ev.prevent_default();
                commit();
            }
            "Escape" => {
                ev.prevent_default();
                ev.stop_propagation();
                renaming.set(None);
            }
            _ => {}
        }
    };
    view! {
        <input
            class="doc-rename-field"
            type="text"
            aria-label=format!("New name for {title}")
            value=title.clone()
            node_ref=input
            on:keydown=on_key
            on:blur=move |_| {
                if renaming.with_untracked(Option::is_some) {
                    commit()
                }
            }
        />
    }
}

/// Asks before a document and its spans are deleted.
#[component]
fn ConfirmDelete(deleting: RwSignal<Option<(String, String, usize)>>) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let message = move || {
        deleting.with(|d| {
            d.as_ref().map(|(_, title, n)| {
                format!(
                    "Delete \u{201c}{title}\u{201d} and its {n} span{} from this browser? This cannot be undone; download it first to keep a copy.",
                    if *n == 1 { "" } else { "s" }
                )
            })
        })
    };
    view! {
        <Show when=move || deleting.with(Option::is_some)>
            <div class="confirm" role="alertdialog" aria-labelledby="delete-text">
                <p id="delete-text">{message}</p>
                <div class="confirm-actions">
                    <button
                        class="primary danger"
                        id="confirm-delete"
                        on:click=move |_| {
                            if let Some((id, _, _)) = deleting.get_untracked() {
                                deleting.set(None);
                                delete(editor, &id);
                            }
                        }
                    >
                        "Delete"
                    </button>
                    <button id="cancel-delete" on:click=move |_| deleting.set(None)>"Cancel"</button>
                </div>
            </div>
        </Show>
    }
}

/// "New from text": a dialog to paste or type a document.
#[component]
fn NewDocument() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let dialog = NodeRef::<html::Dialog>::new();
    let title = NodeRef::<html::Input>::new();
    let text = NodeRef::<html::Textarea>::new();
    let error = RwSignal::new(None::<String>);
    let open = move |_| {
        error.set(None);
        if let Some(d) = dialog.get_untracked() {
            let _ = d.show_modal();
        }
    };
    let close = move || {
        if let Some(d) = dialog.get_untracked() {
            d.close();
        }
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(t), Some(x)) = (title.get_untracked(), text.get_untracked()) else {
            return;
        };
        let body = x.value();
        if body.trim().is_empty() {
            error.set(Some("Paste or type the text first.".into()));
            return;
        }
        let name = t.value();
        let name = if name.trim().is_empty() {
            super::short(body.trim())
                .chars()
                .take(40)
                .collect::<String>()
        } else {
            name.trim().to_owned()
        };
        let mut doc = AnnotatedDocument::new(Document::new(name, body));
        doc.schema = editor.schema.get_untracked();
        t.set_value("");
        x.set_value("");
        close();
        add_documents(editor, vec![doc]);
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        // Typing here must not tag text behind the dialog.
        if !(ev.ctrl_key() || ev.meta_key()) {
            ev.stop_propagation();
        }
    };
    view! {
        <button id="new-document" class="button" aria-haspopup="dialog" on:click=open>"New from text…"</button>
        <dialog node_ref=dialog class="new-doc-dialog" aria-labelledby="new-doc-title" on:keydown=on_key>
            <form on:submit=add>
                <h2 id="new-doc-title">"New document"</h2>
                <label>
                    "Title"
                    <input type="text" id="new-doc-name" node_ref=title placeholder="Untitled"/>
                </label>
                <label>
                    "Text"
                    <textarea id="new-doc-text" node_ref=text rows="12" placeholder="Paste the text to annotate"></textarea>
                </label>
                {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                <div class="confirm-actions">
                    <button type="submit" class="primary" id="new-doc-add">"Add document"</button>
                    <button type="button" on:click=move |_| close()>"Cancel"</button>
                </div>
            </form>
        </dialog>
    }
}

/// How much of the browser's storage the documents use, with a warning near the limit.
#[component]
fn StorageMeter(used: impl Fn() -> usize + Copy + Send + Sync + 'static) -> impl IntoView {
    let fill = move || Library::fill(used());
    view! {
        <div class="storage">
            <label for="storage-meter">"Storage"</label>
            <meter
                id="storage-meter"
                min="0"
                max=STORAGE_LIMIT.to_string()
                low=(STORAGE_LIMIT * 6 / 10).to_string()
                high=(STORAGE_LIMIT * 8 / 10).to_string()
                optimum="0"
                value=move || used().to_string()
            ></meter>
            <span class="storage-text">
                {move || format!("{} of about {} characters", grouped(used()), grouped(STORAGE_LIMIT))}
            </span>
            {move || match fill() {
                Fill::Fine => None,
                Fill::Near => Some(view! {
                    <p class="storage-warning" role="alert">
                        "Storage is nearly full. Download your documents and delete some, or new work may not be saved."
                    </p>
                }.into_any()),
                Fill::Full => Some(view! {
                    <p class="storage-warning" role="alert">
                        "Storage is full: new work cannot be saved. Download your documents and delete some."
                    </p>
                }.into_any()),
            }}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::grouped;

    #[test]
    fn numbers_are_grouped_by_grouped() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(5_000_000), "5\u{2009}000\u{2009}000");
    }
}
