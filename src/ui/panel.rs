//! The side panel: spans grouped by label, with counts; an entry jumps to its span.

use std::collections::HashMap;

use leptos::prelude::*;

use super::editor::Editor;
use super::notes::{DocumentNote, SpanDetails};
use super::paging::{paged_list, PAGE};
use super::relations::RelationList;
use spanmark_core::Label;

/// Spans grouped by label. Clicking an entry selects its span and scrolls to it. Entries hold
/// the whole span text (CSS shortens it on screen), so assistive technology reads all of it.
/// Groups and entries are keyed, so an edit touches only the entries it changes, and a new
/// selection only the two entries whose state flips.
#[component]
pub fn SpanPanel() -> impl IntoView {
    let Editor {
        open, selection, ..
    } = expect_context::<Editor>();
    let labels = Memo::new(move |_| open.schema.with(|s| s.labels.clone()));
    let doc_id = Memo::new(move |_| open.doc.with(|d| d.document.id.clone()));
    let total = move || open.doc.with(|d| d.spans().len());
    // Every label's count in one pass over the spans.
    let counts = Memo::new(move |_| {
        open.doc.with(|d| {
            let mut counts: HashMap<String, usize> = HashMap::new();
            for s in d.spans() {
                match counts.get_mut(&s.label) {
                    Some(n) => *n += 1,
                    None => {
                        counts.insert(s.label.clone(), 1);
                    }
                }
            }
            counts
        })
    });
    view! {
        <aside class="panel" aria-label="Spans">
            <SpanDetails/>
            <h2>"Spans " <span class="total">{total}</span></h2>
            <Show when=move || total() == 0>
                <p class="empty">
                    {move || {
                        let keys = open.schema.with(|s| s.key_range());
                        if keys.is_empty() {
                            "No spans yet. Select words in the article, then click a label.".to_owned()
                        } else {
                            format!("No spans yet. Select words in the article, then press {keys} or click a label.")
                        }
                    }}
                </p>
            </Show>
            // The groups and the link list are built anew for each document, with a selector of
            // their own: their entries' render effects then never stay behind in the subscriber
            // lists of anything that outlives the document (text.rs says why that matters).
            {move || {
                doc_id.with(|_| ());
                let selected = Selector::new(move || selection.span.get());
                view! {
                    <For
                        each=move || labels.get()
                        key=|l| (l.id.clone(), l.name.clone(), l.colour.clone())
                        let:label
                    >
                        <SpanGroup label=label counts selected=selected.clone()/>
                    </For>
                    <RelationList/>
                }
            }}
            <DocumentNote/>
        </aside>
    }
}

/// The spans of one label, in document order, with their count. A long group lists its first
/// entries and a button for more: ten thousand buttons would make every edit slow.
#[component]
fn SpanGroup(
    label: Label,
    counts: Memo<HashMap<String, usize>>,
    selected: Selector<Option<String>>,
) -> impl IntoView {
    let Editor {
        open, selection, ..
    } = expect_context::<Editor>();
    let id = label.id.clone();
    let limit = RwSignal::new(PAGE);
    let count = Memo::new({
        let id = id.clone();
        move |_| counts.with(|c| c.get(&id).copied().unwrap_or(0))
    });
    let items = Memo::new(move |_| {
        let limit = limit.get();
        open.doc.with(|d| {
            d.spans()
                .iter()
                .filter(|s| s.label == id)
                .take(limit)
                .map(|s| (s.id.clone(), s.text.clone()))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="group" data-label=label.id.clone() style:--c=label.colour.clone()>
            <h3>
                <span class="swatch" aria-hidden="true"></span>
                {label.name.clone()}
                " "
                <span class="count">{move || count.get()}</span>
            </h3>
            {paged_list(count, limit, view! {
                <For each=move || items.get() key=|item| item.clone() let:item>
                    {
                        let (id, text) = item;
                        let key = Some(id.clone());
                        let selected = selected.clone();
                        let for_click = id.clone();
                        view! {
                            <li>
                                <button
                                    class="entry"
                                    class:selected=move || selected.selected(&key)
                                    data-span=id
                                    on:click=move |_| {
                                        selection.span.set(Some(for_click.clone()));
                                        open.scroll_to_span(&for_click);
                                    }
                                >
                                    {text}
                                </button>
                            </li>
                        }
                    }
                </For>
            })}
        </section>
    }
}
