//! The toolbar: document title, Open and Download, Schema and Team, the label buttons and the
//! snapping toggle.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::editor::Editor;
use super::state::Session;
use super::{files, help, search, theme};
use spanmark_core::SnapMode;
use spanmark_formats::Format;

/// Title, file actions, label buttons and the word-snapping switch.
#[component]
pub fn Toolbar() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let session = expect_context::<Session>();
    let title = move || editor.open.doc.with(|d| d.document.title.clone());
    let format = RwSignal::new(Format::Native);
    let on_open = move |ev: leptos::ev::Event| {
        if let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            if let Some(files) = input.files() {
                files::open_files(editor, session, files);
            }
            // Clear the picker so that choosing the same files again is a change too.
            input.set_value("");
        }
    };
    view! {
        <header class="toolbar">
            <div class="brand" aria-hidden="true">"Spanmark"</div>
            <h1 class="doc-title" title=title>{title}</h1>
            <div class="file-actions">
                <label class="button open">
                    "Open"
                    <input
                        type="file"
                        id="open-file"
                        class="visually-hidden"
                        multiple
                        accept=".txt,.json,.ann,.conll,.iob,.iob2,.bio,.jsonl,.jsonld,.zip,text/plain,application/json,application/zip"
                        on:change=on_open
                    />
                </label>
                <select id="download-format" class="button" aria-label="Download format" title="Format of downloads"
                    on:change=move |ev| {
                        if let Some(f) = Format::from_id(&event_target_value(&ev)) {
                            format.set(f);
                        }
                    }
                >
                    {Format::ALL
                        .iter()
                        .map(|f| view! { <option value=f.id() selected=*f == Format::Native>{f.name()}</option> })
                        .collect_view()}
                </select>
                <button id="download" class="button" on:click=move |_| files::download_current(editor, format.get_untracked())>
                    "Download"
                </button>
                <button id="download-all" class="button" title="Every document, as one .zip"
                    on:click=move |_| files::download_all(editor, session, format.get_untracked())
                >
                    "Download all"
                </button>
                <super::schema_editor::SchemaButton/>
                <super::guidelines::GuidelinesButton/>
                <super::team_dialog::TeamButton/>
            </div>
            <div class="history-actions">
                {history_button(editor, true)}
                {history_button(editor, false)}
            </div>
            <div class="view-actions">
                <theme::ThemeToggle/>
                <help::HelpButton/>
            </div>
        </header>
        <LabelBar/>
    }
}

/// Undo (`undo`) or Redo, enabled while there is a step to take.
fn history_button(editor: Editor, undo: bool) -> impl IntoView {
    let (id, title, text) = if undo {
        ("undo", "Undo (Ctrl+Z)", "Undo")
    } else {
        ("redo", "Redo (Ctrl+Shift+Z)", "Redo")
    };
    let possible = move || {
        editor
            .open
            .history
            .with(|h| if undo { h.can_undo() } else { h.can_redo() })
    };
    view! {
        <button id=id class="button" title=title prop:disabled=move || !possible() on:click=move |_| editor.step(undo)>
            {text}
        </button>
    }
}

/// A label button's tooltip: what it does, its key, and the label's guideline.
fn label_title(l: &spanmark_core::Label) -> String {
    let key = l
        .key
        .as_deref()
        .map(|k| format!(" (key {k})"))
        .unwrap_or_default();
    let guide = l.guide.summary();
    if guide.is_empty() {
        format!("Tag the selection as {}{key}", l.name)
    } else {
        format!("Tag the selection as {}{key}\n{guide}", l.name)
    }
}

/// One button per label (keeping the text selection when pressed) and the snapping switch.
#[component]
fn LabelBar() -> impl IntoView {
    let editor @ Editor {
        open, selection, ..
    } = expect_context::<Editor>();
    let buttons = move || {
        open.schema.with(|s| {
            s.labels
                .iter()
                .map(|l| {
                    let id = l.id.clone();
                    view! {
                        <button
                            class="label-btn"
                            data-label=l.id.clone()
                            style:--c=l.colour.clone()
                            style:--ink=l.text_colour()
                            title=label_title(l)
                            // Pressing the button must not clear the text selection it applies to.
                            on:mousedown=|ev| ev.prevent_default()
                            on:click=move |_| editor.apply_label(id.clone())
                        >
                            {l.key.clone().map(|k| view! { <kbd aria-hidden="true">{k}</kbd> })}
                            {l.name.clone()}
                        </button>
                    }
                })
                .collect_view()
        })
    };
    let on_snap = move |ev: leptos::ev::Event| {
        let on = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .is_some_and(|i| i.checked());
        selection.snap.set(if on {
            SnapMode::Words
        } else {
            SnapMode::Characters
        });
    };
    view! {
        <nav class="labels" aria-label="Labels">
            {buttons}
            <label class="snap">
                <input type="checkbox" id="snap-words" prop:checked=move || selection.snap.get() == SnapMode::Words on:change=on_snap/>
                "Snap to words"
            </label>
            <search::SearchBar/>
            <span class="hint">
                {move || {
                    let keys = open.schema.with(|s| s.key_range());
                    let tag = if keys.is_empty() { "click a label".to_owned() } else { format!("press {keys}") };
                    format!("Select text, then {tag} \u{b7} click a span to select it \u{b7} Delete removes it \u{b7} ? shortcuts")
                }}
            </span>
        </nav>
    }
}
