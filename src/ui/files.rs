//! Files in and out: the Open picker and drops, and Download.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

use super::documents::add_documents;
use super::dom;
use super::editor::Editor;
use super::notices::Notice;
use super::state::{Opening, Session};
use crate::storage::document_store;
use spanmark_core::AnnotatedDocument;
use spanmark_formats::convert::ReadOptions;
use spanmark_formats::{archive, convert, Format};

/// The files of a picker or a drop.
pub fn file_list(files: &web_sys::FileList) -> Vec<web_sys::File> {
    (0..files.length()).filter_map(|i| files.get(i)).collect()
}

/// Reads `files` whole, as (name, bytes); or why not, for an alert. A file too large to open is
/// refused before it is read into memory.
pub async fn read_files(files: Vec<web_sys::File>) -> Result<Vec<(String, Vec<u8>)>, String> {
    let too_large: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let e = convert::check_size(f.size() as usize).err()?;
            Some(format!("{}: {e}", f.name()))
        })
        .collect();
    if !too_large.is_empty() {
        return Err(too_large.join("; "));
    }
    let mut read = Vec::with_capacity(files.len());
    for file in files {
        let name = file.name();
        match JsFuture::from(file.array_buffer()).await {
            Ok(buffer) => read.push((name, js_sys::Uint8Array::new(&buffer).to_vec())),
            Err(_) => return Err(format!("{name}: the browser could not read the file")),
        }
    }
    Ok(read)
}

/// Reads every file given (from the picker or a drop) and adds the documents they hold to the
/// library. If any file cannot be read, nothing is added and every error is listed. If reading
/// said something (a span trimmed, an item skipped), the Open report shows it first and the
/// documents are added when the user says so.
pub fn open_files(editor: Editor, session: Session, files: web_sys::FileList) {
    let files = file_list(&files);
    if files.is_empty() {
        return;
    }
    spawn_local(async move {
        let read = match read_files(files).await {
            Ok(read) => read,
            Err(why) => {
                editor.notices.alert(Notice::Problem(format!(
                    "Could not open {why}. Nothing was added; your documents are unchanged."
                )));
                return;
            }
        };
        let opening = read_again(editor, session, read);
        match &opening.outcome {
            Ok(imported) if imported.warnings.is_empty() => {
                add_documents(editor, session, imported.documents.clone());
            }
            // Strict reading refused a file: the report says why, and can read leniently.
            Err(_) if session.strict.get_untracked() => session.opening.set(Some(opening)),
            Ok(_) => session.opening.set(Some(opening)),
            Err(errors) => {
                // The files in the words; what is wrong in each, with its position, behind
                // Details.
                let names: Vec<&str> = errors.iter().map(|(name, _)| name.as_str()).collect();
                let list: Vec<String> = errors
                    .iter()
                    .map(|(name, e)| format!("{name}: {e}"))
                    .collect();
                editor.notices.alert_with_details(
                    Notice::Problem(format!(
                        "Could not open {}. Nothing was added; your documents are unchanged. Details says what is wrong in each file.",
                        names.join(", ")
                    )),
                    Some(list.join("; ")),
                );
            }
        }
    });
}

/// Reads `files` onto the open document's schema, strictly when the session says so.
pub fn read_again(editor: Editor, session: Session, files: Vec<(String, Vec<u8>)>) -> Opening {
    let schema = editor.open.schema.get_untracked();
    let options = ReadOptions {
        strict: session.strict.get_untracked(),
        label_names: None,
    };
    let outcome = convert::open_files_with(&files, &schema, &options);
    Opening { files, outcome }
}

/// The MIME type of a file Spanmark writes, by its name.
fn mime(name: &str) -> &'static str {
    if name.ends_with(".json") || name.ends_with(".jsonld") {
        "application/json"
    } else if name.ends_with(".jsonl") {
        "application/jsonl"
    } else {
        "text/plain"
    }
}

/// Offers `files` as one download: the file itself, or a zip named `zip_name` when there are
/// several. Says what was downloaded (and `lost`, what the format could not carry).
fn offer(editor: Editor, files: Vec<(String, String)>, zip_name: String, lost: Vec<String>) {
    let (name, result) = match files.as_slice() {
        [(name, contents)] => (name.clone(), dom::download(name, contents, mime(name))),
        _ => {
            let bytes = archive::write(&files);
            (
                zip_name.clone(),
                dom::download_bytes(&zip_name, &bytes, "application/zip"),
            )
        }
    };
    report(editor, &name, result, &lost);
}

/// Downloads the open document in `format` (brat's `.txt` and `.ann` come as one zip).
pub fn download_current(editor: Editor, format: Format) {
    editor
        .open
        .doc
        .with_untracked(|d| download_document(editor, d, format));
}

/// Downloads `doc` in `format`.
pub fn download_document(editor: Editor, doc: &AnnotatedDocument, format: Format) {
    let files = convert::write(format, std::slice::from_ref(doc));
    let zip_name =
        spanmark_formats::file_name(&doc.document.title, &format!(".{}.zip", format.id()));
    offer(editor, files, zip_name, convert::losses(format, doc));
}

/// Every document of the library, in list order: the open one, the ones this tab holds, and
/// the rest from storage. Names the documents that could not be read.
fn all_documents(editor: Editor, session: Session) -> (Vec<AnnotatedDocument>, Vec<String>) {
    let current = editor.open.doc.get_untracked();
    let entries = session.library.with_untracked(|l| l.documents.clone());
    let mut docs = Vec::with_capacity(entries.len());
    let mut unreadable = Vec::new();
    for e in entries {
        if e.id == current.document.id {
            docs.push(current.clone());
        } else if let Some(d) = session
            .stash
            .with_value(|s| s.get(&e.id).map(|(d, _)| d.clone()))
        {
            docs.push(d);
        } else {
            match document_store(&e.id).load() {
                Ok(Some(d)) => docs.push(d),
                _ => unreadable.push(e.title),
            }
        }
    }
    (docs, unreadable)
}

/// Downloads every document in `format` as one zip.
pub fn download_all(editor: Editor, session: Session, format: Format) {
    let (docs, unreadable) = all_documents(editor, session);
    if !unreadable.is_empty() {
        editor.notices.alert(Notice::Warning(format!(
            "Could not read {} from storage; the zip has the other documents. What could not be read is kept aside, unchanged.",
            unreadable.join(", ")
        )));
    }
    let mut lost: Vec<String> = Vec::new();
    for d in &docs {
        for l in convert::losses(format, d) {
            lost.push(format!("{} ({})", l, d.document.title));
        }
    }
    // Always one zip, even when the format puts every document in one file.
    let bytes = archive::write(&convert::write(format, &docs));
    let name = format!("spanmark-{}-documents.{}.zip", docs.len(), format.id());
    let result = dom::download_bytes(&name, &bytes, "application/zip");
    report(editor, &name, result, &lost);
}

/// Says what was downloaded, and what the format could not carry.
fn report(editor: Editor, name: &str, result: Result<(), wasm_bindgen::JsValue>, lost: &[String]) {
    match result {
        Ok(()) if lost.is_empty() => editor.notices.say(format!("Downloaded {name}")),
        Ok(()) => editor.notices.say(format!(
            "Downloaded {name}. Not in this format: {}.",
            lost.join(", ")
        )),
        Err(_) => editor.notices.alert(Notice::Problem(format!(
            "Could not download {name}: the browser refused. Your work is still saved here; try again, or allow downloads for this page."
        ))),
    }
}
