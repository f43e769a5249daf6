//! The selected span's details with its note, and the note on the whole document.

use leptos::prelude::*;

use super::editor::Editor;
use spanmark_core::{Action, NoteTarget};

/// The selected span: its label and text, its note (saved when the field loses focus), Link and Remove.
#[component]
pub fn SpanDetails() -> impl IntoView {
    let editor @ Editor {
        open, selection, ..
    } = expect_context::<Editor>();
    let details = Memo::new(move |_| {
        let id = selection.span.get()?;
        open.doc.with(|d| {
            let span = d.span(&id)?;
            let label = d
                .schema
                .label(&span.label)
                .map_or_else(|| span.label.clone(), |l| l.name.clone());
            let colour = d
                .schema
                .label(&span.label)
                .map_or_else(|| "#777777".into(), |l| l.colour.clone());
            Some((
                id.clone(),
                label,
                colour,
                span.text.clone(),
                span.note.clone().unwrap_or_default(),
            ))
        })
    });
    view! {
        {move || {
            details
                .get()
                .map(|(id, label, colour, text, note)| {
                    let for_note = id.clone();
                    let for_remove = id.clone();
                    view! {
                        <section class="details" aria-label="Selected span" style:--c=colour>
                            <h2><span class="swatch" aria-hidden="true"></span>{label}</h2>
                            <p class="details-text">{text}</p>
                            <label class="note-field">
                                "Note"
                                <textarea
                                    id="span-note"
                                    rows="3"
                                    prop:value=note
                                    placeholder="Add a note on this span"
                                    on:change=move |ev| {
                                        editor.dispatch(Action::SetNote {
                                            target: NoteTarget::Span(for_note.clone()),
                                            note: Some(event_target_value(&ev)),
                                        })
                                    }
                                ></textarea>
                            </label>
                            <div class="details-actions">
                                <button id="link-span" on:click=move |_| editor.start_linking()>"Link (r)"</button>
                                <button on:click=move |_| editor.dispatch(Action::RemoveSpan { id: for_remove.clone() })>"Remove"</button>
                            </div>
                        </section>
                    }
                })
        }}
    }
}

/// A free-text note on the whole document.
#[component]
pub fn DocumentNote() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let note = Memo::new(move |_| {
        editor
            .open
            .doc
            .with(|d| d.document.note.clone().unwrap_or_default())
    });
    view! {
        <details class="doc-note" open=move || note.with(|n| !n.is_empty())>
            <summary>"Document note"</summary>
            <textarea
                id="document-note"
                aria-label="Document note"
                rows="3"
                prop:value=move || note.get()
                placeholder="Source, date, remarks…"
                on:change=move |ev| editor.dispatch(Action::SetNote { target: NoteTarget::Document, note: Some(event_target_value(&ev)) })
            ></textarea>
        </details>
    }
}
