//! Files in and out: the Open picker and drops, and Download.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

use super::{dom, library, Editor};
use crate::formats::{self, native};

/// Reads every file given (from the picker or a drop) and adds the documents they hold to the
/// library. If any file cannot be read, nothing is added and every error is listed.
pub fn open_files(editor: Editor, files: web_sys::FileList) {
    let files: Vec<web_sys::File> = (0..files.length()).filter_map(|i| files.get(i)).collect();
    if files.is_empty() {
        return;
    }
    spawn_local(async move {
        let mut read = Vec::with_capacity(files.len());
        for file in files {
            let name = file.name();
            match JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => read.push((name, js_sys::Uint8Array::new(&buffer).to_vec())),
                Err(_) => {
                    editor.alert.set(Some(format!("Could not open {name}: the browser could not read the file. Nothing was added.")));
                    return;
                }
            }
        }
        let schema = editor.schema.get_untracked();
        match formats::open_files(&read, &schema) {
            Ok(imported) => {
                let warnings: Vec<String> =
                    imported.warnings.iter().map(ToString::to_string).collect();
                library::add_documents(editor, imported.documents);
                if !warnings.is_empty() {
                    editor.alert.set(Some(format!(
                        "Opened, with {} note{} on what was not kept: {}",
                        warnings.len(),
                        if warnings.len() == 1 { "" } else { "s" },
                        warnings.join("; ")
                    )));
                }
            }
            Err(errors) => {
                let list: Vec<String> = errors
                    .iter()
                    .map(|(name, e)| format!("{name}: {e}"))
                    .collect();
                editor.alert.set(Some(format!(
                    "Could not open {}. Nothing was added.",
                    list.join("; ")
                )));
            }
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
