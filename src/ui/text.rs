//! The document view: one `<article>`, a component per paragraph, pieces nested as the spans nest.
//!
//! Long documents stay fast three ways:
//! - each paragraph's spans are a signal of its own (`paragraphs::TextView`), set only when
//!   they change, so an edit re-renders the paragraphs it touches and compares the others' few
//!   spans;
//! - a long document (`paragraphs::LAZY_PARAGRAPHS`) shows its paragraphs as plain text until
//!   they come near the viewport (found here by binary search over paragraph positions after
//!   each scroll); once rendered with their spans they stay so;
//! - paragraphs are blocks with `content-visibility: auto`: the browser lays out only what is
//!   on screen.
//!
//! A paragraph not yet rendered is one `.run` over its whole text, so selections, the caret and
//! search work on it exactly as on any other.

use std::cell::Cell;
use std::ops::Range;
use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::dom;
use super::editor::Editor;
use super::paragraphs::Slot;
use super::relations::RelationLayer;
use spanmark_core::layout::{self, Node, Paragraph};
use spanmark_core::Schema;

/// How far outside the viewport (pixels) a paragraph counts as near.
const NEAR_MARGIN: f64 = 1500.0;

/// The paragraphs of the article whose boxes come within `NEAR_MARGIN` pixels of the
/// viewport, found by binary search over their positions (a few layout reads, however long the
/// document).
fn near_paragraphs() -> Option<Range<usize>> {
    let window = web_sys::window()?;
    let height = window.inner_height().ok()?.as_f64()?;
    let paras = super::points::article()?.children();
    let n = paras.length() as usize;
    let rect = |i: usize| paras.item(i as u32).map(|el| el.get_bounding_client_rect());
    // First paragraph whose bottom is below the top margin, first whose top is below the
    // bottom margin.
    let first = partition(n, |i| rect(i).is_some_and(|r| r.bottom() < -NEAR_MARGIN));
    let end = partition(n, |i| {
        rect(i).is_some_and(|r| r.top() <= height + NEAR_MARGIN)
    });
    Some(first..end.max(first))
}

/// The first index in `0..n` for which `before` is false (`before` must be true, then false).
fn partition(n: usize, before: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if before(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// The document text: paragraphs keyed by document and start offset; a click selects a span.
#[component]
pub fn DocumentView() -> impl IntoView {
    let editor @ Editor {
        open, selection, ..
    } = expect_context::<Editor>();
    let view = open.view;
    let doc_id = Memo::new(move |_| open.doc.with(|d| d.document.id.clone()));
    let generation = StoredValue::new(0u64);
    // In a long document, which paragraphs are near the viewport is found again after each
    // scroll and resize (once a frame at most) and once a document is in the page.
    let pending = StoredValue::new_local(Cell::new(false));
    let update_near = move || {
        if !view.lazy.get_untracked() || pending.with_value(|p| p.replace(true)) {
            return;
        }
        request_animation_frame(move || {
            pending.with_value(|p| p.set(false));
            if let Some(near) = near_paragraphs() {
                view.set_near(near);
            }
        });
    };
    let on_scroll = window_event_listener(leptos::ev::scroll, move |_| update_near());
    let on_resize = window_event_listener(leptos::ev::resize, move |_| update_near());
    on_cleanup(move || {
        on_scroll.remove();
        on_resize.remove();
    });
    // Each paragraph's spans follow the document; only the changed ones are set.
    Effect::new(move |_| {
        open.paragraphs.with(|ps| {
            open.doc
                .with(|d| view.sync(&layout::span_refs_by_paragraph(ps, d.spans())))
        })
    });
    Effect::new(move |_| {
        open.paragraphs.with(|_| ());
        doc_id.with(|_| ());
        if view.lazy.get() {
            update_near();
        }
    });
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
            Some(target) if selection.linking.get_untracked().is_some() => {
                editor.finish_linking(&target)
            }
            span => selection.select_span(span),
        }
    };
    view! {
        <div class="doc-wrap" class:linking=move || selection.linking.with(Option::is_some)>
        <article class="doc" tabindex="0" aria-label=move || open.doc.with(|d| d.document.title.clone()) on:click=on_click>
            // The list of paragraphs is made anew for each document, text or schema, under an
            // owner of its own: Leptos 0.8 keeps a reference to every child owner a list
            // ever made until the list's owner is cleaned up, so a list living as long as the
            // page kept memory for every paragraph of every document opened.
            {move || {
                doc_id.with(|_| ());
                open.paragraphs.with(|_| ());
                open.schema.with(|_| ());
                view! {
                    <For
                        each=move || {
                            let id = doc_id.get_untracked();
                            // Another document or text: new slots, and a new generation of
                            // components (a paragraph keeps the slot it was made with).
                            let paragraphs = open.paragraphs.get_untracked();
                            let slots = open.doc.with_untracked(|d| {
                                let by = layout::span_refs_by_paragraph(&paragraphs, d.spans());
                                view.rebuild(paragraphs.len(), &by)
                            });
                            // What every paragraph of this generation draws with, made anew for each
                            // one so that nothing long-lived is read by its pieces: a render effect
                            // that is dropped stays in the subscriber list of what it read until that
                            // changes (Leptos 0.8), so pieces reading the schema memo or one selector
                            // for the whole session kept memory after every switch of document. A
                            // change of the schema (rare: the schema editor) draws the paragraphs again.
                            let schema = Arc::new(open.schema.get_untracked());
                            let selected = Selector::new(move || selection.span.get());
                            generation.update_value(|g| *g += 1);
                            let g = generation.get_value();
                            paragraphs
                                .into_iter()
                                .zip(slots)
                                .enumerate()
                                .map(move |(i, (p, slot))| (g, id.clone(), i, p, slot, schema.clone(), selected.clone()))
                        }
                        key=|(g, id, _, p, ..)| (*g, id.clone(), p.start)
                        children=move |(_, _, index, para, state, schema, selected)| view! { <ParagraphView index para state schema selected/> }
                    />
                }
            }}
        </article>
        <RelationLayer/>
        </div>
    }
}

/// One line of the document; re-renders only when its own spans change, and in a long
/// document only once it has come near the viewport.
#[component]
fn ParagraphView(
    index: usize,
    para: Paragraph,
    state: Slot,
    schema: Arc<Schema>,
    selected: Selector<Option<String>>,
) -> impl IntoView {
    let Paragraph { start, text, .. } = para;
    let Slot { spans, shown } = state;
    let tree = Memo::new(move |_| {
        if shown.get() {
            spans.with(|spans| layout::paragraph_tree(start, &text, spans))
        } else {
            vec![Node::Text {
                start,
                text: text.clone(),
            }]
        }
    });
    view! {
        <span class="para" data-start=start data-index=index>
            {move || tree.with(|nodes| render(nodes, &schema, &selected))}
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
                        style:--c=colour
                        style:--ink=ink
                        style:--depth=depth.to_string()
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
