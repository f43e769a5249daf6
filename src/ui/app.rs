//! The application: its state provided as contexts, start-up from storage, the page's
//! listeners, the layout of its parts, and the alert and status lines.

use leptos::prelude::*;

use super::autosave::{self, SaveIndicator};
use super::compare::{CompareButton, CompareDialog};
use super::editor::Editor;
use super::notices::{Notice, Notices};
use super::snapshot::SaveState;
use super::state::{default_document, Session};
use super::{
    crash, documents, files, help, keyboard, library, open_report, panel, project, relations, sync,
    team, team_dialog, text, toolbar,
};
use crate::storage;
use spanmark_formats::Format;

/// Reads the library from storage into the session; the default article when it is empty.
fn startup(editor: Editor, session: Session) {
    match storage::open_library() {
        Ok(opened) => {
            if !opened.warnings.is_empty() {
                let texts: Vec<&str> = opened.warnings.iter().map(|w| w.text.as_str()).collect();
                let details: Vec<&str> = opened
                    .warnings
                    .iter()
                    .filter_map(|w| w.details.as_deref())
                    .collect();
                editor.notices.alert_with_details(
                    Notice::Warning(format!(
                        "Warning: {}. Nothing was deleted; your other documents are as they were.",
                        texts.join("; ")
                    )),
                    (!details.is_empty()).then(|| details.join("; ")),
                );
            }
            session.library.set(opened.library);
            session.may_save.set_value(true);
            match opened.current {
                Some(doc) => editor.open.doc.set(doc),
                None => documents::add_documents(editor, session, vec![default_document()]),
            }
        }
        Err(e) => {
            editor.notices.alert(Notice::Warning(format!(
                "Warning: {e}. Your work stays in this tab only; use Download to keep it."
            )));
            let mut doc = default_document();
            session.library.update(|l| {
                l.add(&mut doc, 0);
                l.current = Some(doc.document.id.clone());
            });
            editor.open.doc.set(doc);
        }
    }
}

/// The whole application: toolbar, documents, the open document and its span panel, with autosave.
#[component]
pub fn App() -> impl IntoView {
    let editor = Editor::new(default_document());
    let session = Session::default();
    crash::install(move || rescue(editor, session));
    startup(editor, session);
    provide_context(editor);
    provide_context(session);

    autosave::start(editor, session);
    let notices = editor.notices;
    crate::offline::start(move || notices.update_ready.set(true));
    sync::start(editor, session);
    let team = team::start(editor, session);
    provide_context(team);
    provide_context(CompareDialog::new());

    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        keyboard::on_key(editor, session.help_open, &ev, || {
            team::next_unfinished(team, editor, session)
        })
    });
    let drag = window_event_listener(leptos::ev::dragover, |ev| ev.prevent_default());
    let drop = window_event_listener(leptos::ev::drop, move |ev| {
        ev.prevent_default();
        if let Some(files) = ev.data_transfer().and_then(|d| d.files()) {
            files::open_files(editor, session, files);
        }
    });
    on_cleanup(move || {
        keys.remove();
        drag.remove();
        drop.remove();
    });

    let pane = RwSignal::new(Pane::Text);
    // On a narrow screen: opening a document shows its text; choosing a span in the list shows
    // it in the text.
    let doc_id = Memo::new(move |_| editor.open.doc.with(|d| d.document.id.clone()));
    Effect::new(move |_| {
        doc_id.track();
        pane.set(Pane::Text);
    });
    Effect::new(move |_| {
        if editor.selection.span.with(Option::is_some) && pane.get_untracked() == Pane::Spans {
            pane.set(Pane::Text);
        }
    });
    view! {
        <div class="app">
            <toolbar::Toolbar/>
            <NoticeBar notices=editor.notices/>
            <relations::LinkBar/>
            <PaneSwitch pane/>
            <main class="workspace" data-pane=move || pane.get().id()>
                <library::LibraryPanel above=Box::new(|| view! { <project::QueuePanel/> }.into_any())>
                    <CompareButton/>
                </library::LibraryPanel>
                <text::DocumentView/>
                <panel::SpanPanel/>
            </main>
            <keyboard::Caret/>
        </div>
        <help::HelpDialog/>
        <open_report::OpenReport/>
        <team_dialog::TeamDialog/>
    }
}

/// Which part of the workspace a narrow screen shows (a wide one shows all three side by side).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pane {
    Text,
    Spans,
    Documents,
}

impl Pane {
    fn id(self) -> &'static str {
        match self {
            Pane::Text => "text",
            Pane::Spans => "spans",
            Pane::Documents => "documents",
        }
    }
}

/// On a narrow screen, the switch between the text, the span list and the documents: each one
/// tap away, beside the text rather than pages below it. Hidden on a wide screen.
#[component]
fn PaneSwitch(pane: RwSignal<Pane>) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let spans = move || editor.open.doc.with(|d| d.spans().len());
    let button = move |which: Pane, text: &'static str| {
        view! {
            <button
                id=format!("pane-{}", which.id())
                class="button"
                aria-pressed=move || (pane.get() == which).to_string()
                on:click=move |_| pane.set(which)
            >
                {text}
                {(which == Pane::Spans).then(|| view! { " " <span class="pane-count">{spans}</span> })}
            </button>
        }
    };
    view! {
        <nav class="pane-switch" aria-label="Show">
            {button(Pane::Text, "Text")}
            {button(Pane::Spans, "Spans")}
            {button(Pane::Documents, "Documents")}
        </nav>
    }
}

/// After a panic: writes the open document if a change waits, and says whether storage holds it.
fn rescue(editor: Editor, session: Session) -> crash::Rescue {
    let autosave = session.autosave;
    autosave.flush(editor, session);
    match autosave.state.get_untracked() {
        SaveState::Saved => crash::Rescue::Saved,
        _ => crash::Rescue::NotSaved,
    }
}

/// Reloads the page for a new release, once the open document's waiting change is written.
fn reload(editor: Editor, session: Session) {
    session.autosave.flush(editor, session);
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}

/// Downloads, as a Spanmark file, the document that storage refused, or else the open one.
fn download_rescued(editor: Editor, session: Session) {
    match session.refused.get_untracked() {
        Some(doc) => files::download_document(editor, &doc, Format::Native),
        None => files::download_current(editor, Format::Native),
    }
}

/// The alert (errors, warnings) and status lines: every notice is shown here. When work could
/// not be saved, the alert offers it as a download.
#[component]
fn NoticeBar(notices: Notices) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let session = expect_context::<Session>();
    let alert = notices.alert;
    // While a failed save is said (through later edits too), its work can be downloaded.
    let rescue = move || {
        session.refused.with(Option::is_some)
            || session.autosave.state.get() == SaveState::Failed
            || alert.with(|a| a.as_ref().is_some_and(Notice::is_failed_save))
    };
    view! {
        <Show when=move || alert.with(Option::is_some)>
            <div class="alert" role="alert">
                <span class="alert-text">{move || alert.with(|a| a.as_ref().map(|n| n.text().to_owned()).unwrap_or_default())}</span>
                {move || notices.details.get().map(|d| view! {
                    <details class="alert-details">
                        <summary>"Details"</summary>
                        <span class="alert-details-text">{d}</span>
                    </details>
                })}
                <Show when=rescue>
                    <button class="rescue" on:click=move |_| download_rescued(editor, session)>"Download it"</button>
                </Show>
                <button class="dismiss" on:click=move |_| {
                    alert.set(None);
                    session.refused.set(None);
                }>"Dismiss"</button>
            </div>
        </Show>
        <Show when=move || notices.update_ready.get()>
            <div class="update-notice" role="status">
                <span>"A new version of Spanmark is ready. Your work is saved; reloading takes a moment."</span>
                <button id="update-reload" class="button" on:click=move |_| reload(editor, session)>"Reload"</button>
                <button class="button" on:click=move |_| notices.update_ready.set(false)>"Later"</button>
            </div>
        </Show>
        <section class="status-line" aria-label="Status">
            <div class="status" role="status">{move || notices.status.get()}</div>
            <SaveIndicator/>
            <team_dialog::SyncIndicator/>
        </section>
    }
}
