//! The Open report: what reading the opened files gave — the items read, and each item skipped
//! or read with a change, by file and place — before their documents are added; and the
//! checkbox that reads them strictly instead.

use leptos::html;
use leptos::prelude::*;

use super::dialogs;
use super::documents::add_documents;
use super::editor::Editor;
use super::files;
use super::state::{Opening, Session};
use spanmark_formats::{FormatError, Problem};

/// How many lines the report lists before it says how many more there are.
const LISTED: usize = 200;

/// The Open report dialog: open while files wait for the user's word.
#[component]
pub fn OpenReport() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let session = expect_context::<Session>();
    let dialog = NodeRef::<html::Dialog>::new();
    dialogs::modal_while(
        dialog,
        Signal::derive(move || session.opening.with(Option::is_some)),
    );
    let cancel = move || session.opening.set(None);
    let documents = move || {
        session.opening.with(|o| match o {
            Some(Opening {
                outcome: Ok(imported),
                ..
            }) => imported.documents.len(),
            _ => 0,
        })
    };
    let add = move |_| {
        if let Some(Opening {
            outcome: Ok(imported),
            ..
        }) = session.opening.get_untracked()
        {
            session.opening.set(None);
            add_documents(editor, session, imported.documents);
        }
    };
    let on_strict = move |ev: leptos::ev::Event| {
        session.strict.set(event_target_checked(&ev));
        if let Some(opening) = session.opening.get_untracked() {
            leptos::task::spawn_local(async move {
                let again = files::read_again(editor, session, opening.files).await;
                session.opening.set(again);
            });
        }
    };
    view! {
        <dialog
            node_ref=dialog
            class="open-report"
            aria-modal="true"
            aria-labelledby="open-report-title"
            on:keydown=move |ev| dialogs::dialog_keys(&ev, cancel)
            on:close=move |_| cancel()
        >
            <h2 id="open-report-title">"Open report"</h2>
            {move || {
                let strict = session.strict.get();
                session.opening.with(|o| o.as_ref().map(|o| report(o, strict)))
            }}
            <label class="open-strict">
                <input
                    type="checkbox"
                    id="open-strict"
                    prop:checked=move || session.strict.get()
                    on:change=on_strict
                />
                " Strict: refuse spans with white space at either end instead of trimming them"
            </label>
            <div class="open-report-foot">
                <button
                    id="open-add"
                    class="button primary"
                    disabled=move || documents() == 0
                    on:click=add
                >
                    {move || match documents() {
                        1 => "Add the document".to_owned(),
                        n => format!("Add {n} documents"),
                    }}
                </button>
                <button id="open-cancel" class="button" on:click=move |_| cancel()>
                    "Cancel"
                </button>
            </div>
        </dialog>
    }
}

/// The report on one opening, read strictly or not: counts, then every warning (or every
/// file's error).
fn report(opening: &Opening, strict: bool) -> AnyView {
    match &opening.outcome {
        Ok(imported) => {
            let skipped = imported.warnings.iter().filter(|w| w.skipped).count();
            let notes = imported.warnings.len() - skipped;
            let summary = format!(
                "{} read: {} read, {} skipped, {}. Nothing is added until you say so.",
                count(imported.documents.len(), "document"),
                count(imported.read, "item"),
                skipped,
                count(notes, "note")
            );
            view! {
                <p class="open-summary">{summary}</p>
                {warning_list(&imported.warnings)}
            }
            .into_any()
        }
        Err(errors) => {
            let lines: Vec<(String, String)> = errors
                .iter()
                .flat_map(|(name, e)| match e {
                    FormatError::Problems(list) => list
                        .iter()
                        .map(|p| ("Refused".to_owned(), format!("{name}, {p}")))
                        .collect::<Vec<_>>(),
                    other => vec![("Refused".to_owned(), format!("{name}: {other}"))],
                })
                .collect();
            let summary = if strict {
                "Read strictly, these files cannot be opened; nothing would be added. Clear \u{201c}Strict\u{201d} to read spans with white space at an end trimmed, each named."
            } else {
                "These files cannot be opened; nothing would be added."
            };
            view! {
                <p class="open-summary">{summary}</p>
                {list(lines)}
            }
            .into_any()
        }
    }
}

/// The warnings, each marked as an item skipped or a note (read with a change, or something
/// read that is kept otherwise or not at all).
fn warning_list(warnings: &[Problem]) -> impl IntoView {
    let lines = warnings
        .iter()
        .map(|w| {
            let kind = if w.skipped { "Skipped" } else { "Note" };
            (kind.to_owned(), w.to_string())
        })
        .collect();
    list(lines)
}

/// A list of (kind, text) lines, the first [`LISTED`] of them.
fn list(lines: Vec<(String, String)>) -> impl IntoView {
    let more = lines.len().saturating_sub(LISTED);
    let items = lines
        .into_iter()
        .take(LISTED)
        .map(|(kind, text)| {
            let class = format!("open-kind {}", kind.to_lowercase());
            view! { <li><span class=class>{kind}</span>" "{text}</li> }
        })
        .collect_view();
    view! {
        <ul class="open-list">{items}</ul>
        {(more > 0).then(|| view! { <p class="open-more">{format!("and {more} more")}</p> })}
    }
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
