//! Files in and out: the Open picker, the replace confirmation and Download.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

use super::{dom, Editor, PendingOpen};
use crate::formats::{self, native};

/// Reads the file chosen in `input` and opens it, asking first if that would replace spans.
pub fn open_chosen_file(editor: Editor, input: web_sys::HtmlInputElement) {
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        return;
    };
    // Clear the picker so that choosing the same file again is a change too.
    input.set_value("");
    let name = file.name();
    spawn_local(async move {
        let bytes = match JsFuture::from(file.array_buffer()).await {
            Ok(buffer) => js_sys::Uint8Array::new(&buffer).to_vec(),
            Err(_) => {
                editor.alert.set(Some(format!("Could not open {name}: the browser could not read the file. Nothing was changed.")));
                return;
            }
        };
        // A Spanmark file's schema is merged into ours; a text keeps ours.
        let current = editor.schema.get_untracked();
        match formats::open_with_schema(&name, &bytes, &current) {
            Ok(doc) => {
                let asks = editor
                    .doc
                    .with_untracked(|current| !current.spans().is_empty() && *current != doc);
                if asks {
                    editor.pending_open.set(Some(PendingOpen {
                        file_name: name,
                        doc,
                    }));
                } else {
                    editor.replace(doc, &name);
                }
            }
            Err(e) => editor.alert.set(Some(format!(
                "Could not open {name}: {e}. Nothing was changed."
            ))),
        }
    });
}

/// Downloads the current document as `<title>.spanmark.json`.
pub fn download_current(editor: Editor) {
    let (name, json) = editor.doc.with_untracked(|d| {
        (
            formats::file_name(&d.document.title, ".spanmark.json"),
            native::write(d),
        )
    });
    match dom::download(&name, &json, "application/json") {
        Ok(()) => editor.status.set(format!("Downloaded {name}")),
        Err(_) => editor.alert.set(Some(format!(
            "Could not download {name}: the browser refused."
        ))),
    }
}

/// Asks before a file replaces a document that has spans.
#[component]
pub fn ConfirmOpen() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let message = move || {
        let Some(PendingOpen { file_name, .. }) = editor.pending_open.get() else {
            return String::new();
        };
        editor.doc.with(|d| {
            let n = d.spans().len();
            format!(
                "Open \u{201c}{file_name}\u{201d}? It replaces \u{201c}{}\u{201d} and its {n} span{} in this tab and in the browser's storage. Download first to keep them.",
                d.document.title,
                if n == 1 { "" } else { "s" }
            )
        })
    };
    let replace = move |_| {
        if let Some(PendingOpen { file_name, doc }) = editor.pending_open.get_untracked() {
            editor.replace(doc, &file_name);
        }
    };
    view! {
        <Show when=move || editor.pending_open.with(Option::is_some)>
            <div class="confirm" role="dialog" aria-labelledby="confirm-text">
                <p id="confirm-text">{message}</p>
                <div class="confirm-actions">
                    <button class="primary" id="confirm-replace" on:click=replace>"Replace"</button>
                    <button id="confirm-cancel" on:click=move |_| editor.pending_open.set(None)>"Cancel"</button>
                </div>
            </div>
        </Show>
    }
}
