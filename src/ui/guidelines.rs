//! The annotation guidelines where annotators look: the whole of them in the *Guidelines*
//! dialog, and the same list in the shortcuts overlay. They come from the open document's
//! schema (a team's documents carry the project's); the schema editor writes them.

use leptos::html;
use leptos::prelude::*;

use super::dialogs;
use super::editor::Editor;
use spanmark_core::{Guide, Schema};

/// The parts of one guideline, as a description list; nothing for an empty one.
fn guide_parts(guide: &Guide) -> impl IntoView {
    let part = |term: &'static str, text: &str| {
        (!text.is_empty()).then(|| {
            view! {
                <div class="guide-part">
                    <dt>{term}</dt>
                    <dd>{text.to_owned()}</dd>
                </div>
            }
        })
    };
    (!guide.is_empty()).then(|| {
        view! {
            <dl class="guide-parts">
                {part("What it is", &guide.is)}
                {part("What it is not", &guide.is_not)}
                {part("Example", &guide.example)}
            </dl>
        }
    })
}

/// Every label (with its colour and key) and relation type of `schema`, each with its
/// guideline.
fn guide_list(schema: &Schema) -> impl IntoView {
    let labels = schema
        .labels
        .iter()
        .map(|l| {
            view! {
                <li class="guide-item" data-label=l.id.clone()>
                    <span class="chip-sample" style:--c=l.colour.clone() style:--ink=l.text_colour()>
                        {l.key.clone().map(|k| view! { <kbd>{k}</kbd> " " })}
                        {l.name.clone()}
                    </span>
                    {guide_parts(&l.guide)}
                </li>
            }
        })
        .collect_view();
    let kinds = schema
        .relation_types
        .iter()
        .map(|r| {
            let ends = |ids: &[String]| {
                ids.iter()
                    .map(|id| schema.label_name(id).to_owned())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let ends = format!("{} \u{2192} {}", ends(&r.from_labels), ends(&r.to_labels));
            view! {
                <li class="guide-item" data-kind=r.id.clone()>
                    <span class="guide-kind">{r.name.clone()}</span>
                    <span class="guide-ends">{ends}</span>
                    {guide_parts(&r.guide)}
                </li>
            }
        })
        .collect_view();
    view! {
        <h3 class="guide-heading">"Labels"</h3>
        <ul class="guide-list">{labels}</ul>
        {(!schema.relation_types.is_empty()).then(|| view! {
            <h3 class="guide-heading">"Relations"</h3>
        })}
        <ul class="guide-list">{kinds}</ul>
    }
}

/// The open document's labels and relation types with their guidelines.
#[component]
pub fn GuideList() -> impl IntoView {
    let editor = expect_context::<Editor>();
    move || {
        editor.open.schema.with(|s| {
            view! {
                {(!s.has_guides()).then(|| view! {
                    <p class="guide-none">
                        "No guidelines yet. The Schema editor adds what each label is, is not, and an example."
                    </p>
                })}
                {guide_list(s)}
            }
        })
    }
}

/// The toolbar's *Guidelines* button and its dialog.
#[component]
pub fn GuidelinesButton() -> impl IntoView {
    let open = RwSignal::new(false);
    let dialog = NodeRef::<html::Dialog>::new();
    dialogs::modal_while(dialog, open);
    let close = move |_| open.set(false);
    view! {
        {dialogs::dialog_button(
            "guidelines-open",
            "Guidelines",
            Some("What each label and relation is for"),
            open,
        )}
        <dialog
            class="guidelines"
            id="guidelines-dialog"
            aria-labelledby="guidelines-title"
            node_ref=dialog
            on:close=move |_| open.set(false)
            on:keydown=move |ev| dialogs::dialog_keys(&ev, move || open.set(false))
        >
            // Only while open: a closed dialog has no controls in the toolbar.
            <Show when=move || open.get()>
                <div class="guidelines-head">
                    <h2 id="guidelines-title">"Guidelines"</h2>
                    <button id="guidelines-close" class="button" on:click=close>"Close"</button>
                </div>
                <GuideList/>
            </Show>
        </dialog>
    }
}
