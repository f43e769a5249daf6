//! Files in and out: the Open picker and drops, and Download.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

use super::documents::add_documents;
use super::dom;
use super::editor::Editor;
use super::notices::Notice;
use super::state::{Opening, Session};
use crate::codecs::{self, CodecsError};
use crate::storage::document_store;
use spanmark_core::AnnotatedDocument;
use spanmark_formats::job::{Answer, Job};
use spanmark_formats::{convert, native, Format};

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
        let Some(opening) = read_again(editor, session, read).await else {
            return;
        };
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

/// Reads `files` onto the open document's schema, strictly when the session says so, in the
/// codec worker. `None` when the worker could not be had or failed (an alert says so).
pub async fn read_again(
    editor: Editor,
    session: Session,
    files: Vec<(String, Vec<u8>)>,
) -> Option<Opening> {
    let job = Job::Open {
        names: files.iter().map(|(name, _)| name.clone()).collect(),
        schema: editor.open.schema.get_untracked(),
        strict: session.strict.get_untracked(),
    };
    let bytes: Vec<&[u8]> = files.iter().map(|(_, b)| b.as_slice()).collect();
    let outcome = codecs::ask(&job, &bytes, |answer, _| match answer {
        Answer::Opened(opened) => Some(opened),
        _ => None,
    })
    .await
    .and_then(|opened| match opened {
        Ok(opened) => opened
            .imported()
            .map(Ok)
            .map_err(|e| CodecsError::Garbled(e.to_string())),
        Err(errors) => Ok(Err(errors)),
    });
    match outcome {
        Ok(outcome) => Some(Opening { files, outcome }),
        Err(e) => {
            let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
            editor.notices.alert_with_details(
                Notice::Problem(format!(
                    "Could not open {}: {}. Nothing was added; your documents are unchanged.",
                    names.join(", "),
                    e.plain()
                )),
                Some(e.to_string()),
            );
            None
        }
    }
}

/// The MIME type of a file Spanmark writes, by its name.
fn mime(name: &str) -> &'static str {
    if name.ends_with(".json") || name.ends_with(".jsonld") {
        "application/json"
    } else if name.ends_with(".jsonl") {
        "application/jsonl"
    } else if name.ends_with(".zip") {
        "application/zip"
    } else {
        "text/plain"
    }
}

/// Downloads the open document in `format` (brat's `.txt` and `.ann` come as one zip).
pub fn download_current(editor: Editor, format: Format) {
    editor
        .open
        .doc
        .with_untracked(|d| download_document(editor, d, format));
}

/// Downloads `doc` in `format`. Spanmark's own format is written here (it is the storage
/// format, so it is always loaded, offline too); every other in the codec worker.
pub fn download_document(editor: Editor, doc: &AnnotatedDocument, format: Format) {
    if format == Format::Native {
        let name = spanmark_formats::file_name(&doc.document.title, format.suffix());
        let result = dom::download(&name, &native::write(doc), mime(&name));
        report(editor, &name, result, &[]);
        return;
    }
    let job = Job::Download {
        format: format.id().to_owned(),
        documents: vec![native::write(doc)],
        all: false,
    };
    spawn_local(download_in_worker(editor, job));
}

/// Has the codec worker write the download `job` asks for, and offers it.
async fn download_in_worker(editor: Editor, job: Job) {
    let written = codecs::ask(&job, &[], |answer, bytes| match answer {
        Answer::Download { name, lost } => Some((name, lost, bytes)),
        _ => None,
    });
    match written.await {
        Ok((name, lost, bytes)) => {
            let result = dom::download_bytes(&name, &bytes, mime(&name));
            report(editor, &name, result, &lost);
        }
        Err(e) => download_failed(editor, &e),
    }
}

/// Says a download could not be written, and that the work is safe.
fn download_failed(editor: Editor, e: &CodecsError) {
    editor.notices.alert_with_details(
        Notice::Problem(format!(
            "Could not download: {}. Your work is still saved here, and Spanmark's own format always downloads.",
            e.plain()
        )),
        Some(e.to_string()),
    );
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
    // Always one zip (the worker writes it), even of one document in Spanmark's format.
    let job = Job::Download {
        format: format.id().to_owned(),
        documents: docs.iter().map(native::write).collect(),
        all: true,
    };
    spawn_local(download_in_worker(editor, job));
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
