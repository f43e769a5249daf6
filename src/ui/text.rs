//! The document view: one `<article>`, a component per paragraph, pieces nested as the spans nest.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::relations::RelationLayer;
use super::{dom, Editor};
use crate::core::layout::{self, Node, Paragraph};
use crate::core::Schema;

/// The document text: paragraphs keyed by document and start offset; a click selects a span.
#[component]
pub fn DocumentView() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let selected = Selector::new(move || editor.selected.get());
    let doc_id = Memo::new(move |_| editor.doc.with(|d| d.document.id.clone()));
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if dom::has_text_selection() {
            return;
        }
        let span = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("[data-span]").ok().flatten())
            .and_then(|el| el.get_attribute("data-span"));
        match span {
            Some(target) if editor.linking.get_untracked().is_some() => {
                editor.finish_linking(&target)
            }
            span => {
                editor.selected_relation.set(None);
                editor.selected.set(span);
            }
        }
    };
    view! {
        <div class="doc-wrap" class:linking=move || editor.linking.with(Option::is_some)>
        <article class="doc" tabindex="0" aria-label=move || editor.doc.with(|d| d.document.title.clone()) on:click=on_click>
            <For
                each=move || {
                    let id = doc_id.get();
                    editor.paragraphs.get().into_iter().enumerate().map(move |(i, p)| (id.clone(), i, p))
                }
                // The text is in the key: a paragraph component keeps the text it was made with.
                key=|(id, _, p)| (id.clone(), p.start, p.text.clone())
                children=move |(_, index, para)| view! { <ParagraphView index para selected=selected.clone()/> }
            />
        </article>
        <RelationLayer/>
        </div>
    }
}

/// One line of the document; re-renders only when the spans touching it change.
#[component]
fn ParagraphView(
    index: usize,
    para: Paragraph,
    selected: Selector<Option<String>>,
) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let Paragraph { start, text, .. } = para;
    // Two steps, so that an edit elsewhere costs this paragraph a comparison of its few
    // spans, and only a paragraph whose spans changed rebuilds its tree.
    let mine = Memo::new(move |_| {
        editor
            .spans_by_paragraph
            .with(|by| by.get(index).cloned().unwrap_or_default())
    });
    let tree = Memo::new(move |_| mine.with(|spans| layout::paragraph_tree(start, &text, spans)));
    view! {
        <span class="para" data-start=start>
            {move || editor.schema.with(|schema| tree.with(|nodes| render(nodes, schema, &selected)))}
        </span>
    }
}

fn render(nodes: &[Node], schema: &Schema, selected: &Selector<Option<String>>) -> Vec<AnyView> {
    nodes
        .iter()
        .map(|node| match node {
            Node::Text { start, text } => view! { <span class="run" data-start=*start>{text.clone()}</span> }.into_any(),
            Node::Piece { span, label, end, last, depth, children, note, .. } => {
                let found = schema.label(label);
                let colour = found.map_or_else(|| "#777777".to_owned(), |l| l.colour.clone());
                let ink = found.map_or("#ffffff", |l| l.text_colour());
                let name = found.map_or_else(|| label.clone(), |l| l.name.clone());
                let key = Some(span.clone());
                let selected_now = selected.clone();
                view! {
                    <mark
                        class="span"
                        class:selected=move || selected_now.selected(&key)
                        data-span=span.clone()
                        data-label=label.clone()
                        title=note.clone()
                        style=format!("--c:{colour};--ink:{ink};--depth:{depth}")
                    >
                        {render(children, schema, selected)}
                        {last.then(|| view! { <span class="chip" aria-hidden="true" data-at=*end>{name}</span> })}
                    </mark>
                }
                .into_any()
            }
        })
        .collect()
}
