//! The Documents panel: the list of documents to switch, rename and delete, new documents
//! from pasted text, and the storage meter. What it does to documents is in `documents.rs`.

use leptos::html;
use leptos::prelude::*;

use super::documents::{add_documents, delete, rename, switch_to};
use super::editor::Editor;
use super::notices::{grouped, short};
use super::state::Session;
use super::team::Team;
use crate::storage;
use spanmark_core::library::{Fill, Library, STORAGE_LIMIT};
use spanmark_core::{AnnotatedDocument, Document};

/// The documents in this browser: open, rename, delete, add from text; and the storage meter.
/// `above` (a team's queue) stands over the list; `children` (the Compare button) under it:
/// they make documents too.
#[component]
pub fn LibraryPanel(above: Children, children: Children) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let session = expect_context::<Session>();
    let team = expect_context::<Team>();
    let library = session.library;
    let renaming = RwSignal::new(None::<String>);
    let deleting = RwSignal::new(None::<(String, String, usize)>);
    let entries = move || library.with(|l| l.documents.clone());
    let current = move || editor.open.doc.with(|d| d.document.id.clone());
    let used = move || library.with(|l| l.stored().saturating_add(storage::index_size(l)));
    view! {
        <nav class="library" aria-label="Documents">
            {above()}
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
                                library.with(|l| {
                                    l.entry(&id).map(|e| (e.title.clone(), e.spans)).unwrap_or_default()
                                })
                            })
                        };
                        let title = move || info.with(|i| i.0.clone());
                        let spans = move || info.with(|i| i.1);
                        // Whose team copy this is (a team project's document), if it is one.
                        let team_user = {
                            let id = id.clone();
                            Memo::new(move |_| {
                                team.project.with(|p| {
                                    p.as_ref()?.links.get(&id).map(|l| l.tracked.user.clone())
                                })
                            })
                        };
                        let (row_id, field_id) = (id.clone(), id.clone());
                        let row = move || {
                            let (open_id, rename_id, delete_id) = (id.clone(), id.clone(), id.clone());
                            view! {
                                <button
                                    class="doc-open"
                                    title=title
                                    aria-current=move || is_current.get().then_some("page")
                                    on:click=move |_| switch_to(editor, session, &open_id)
                                >
                                    <span class="doc-name">{title}</span>
                                    {move || team_user.get().map(|user| view! {
                                        <span class="doc-team" data-user=user.clone() title=format!("A team document: {user}\u{2019}s annotations, synced with the project")>"team"</span>
                                    })}
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
            {children()}
            <ConfirmDelete deleting/>
            <StorageMeter used/>
        </nav>
    }
}

/// An inline field that renames a document: Enter keeps the name, Escape drops it.
#[component]
fn RenameField(id: String, title: String, renaming: RwSignal<Option<String>>) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let session = expect_context::<Session>();
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
            rename(editor, session, &id, &value);
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
    let session = expect_context::<Session>();
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
                                delete(editor, session, &id);
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
    let session = expect_context::<Session>();
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
            short(body.trim()).chars().take(40).collect::<String>()
        } else {
            name.trim().to_owned()
        };
        let mut doc = AnnotatedDocument::new(Document::new(name, body));
        doc.schema = editor.open.schema.get_untracked();
        t.set_value("");
        x.set_value("");
        close();
        add_documents(editor, session, vec![doc]);
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
