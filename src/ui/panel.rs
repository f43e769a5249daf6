//! The side panel: spans grouped by label, with counts; an entry jumps to its span.

use std::collections::HashMap;

use leptos::prelude::*;

use super::notes::{DocumentNote, SpanDetails};
use super::relations::RelationList;
use super::Editor;
use spanmark_core::Label;

/// Spans grouped by label. Clicking an entry selects its span and scrolls to it. Entries hold
/// the whole span text (CSS shortens it on screen), so assistive technology reads all of it.
/// Groups and entries are keyed, so an edit touches only the entries it changes, and a new
/// selection only the two entries whose state flips.
#[component]
pub fn SpanPanel() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let labels = Memo::new(move |_| editor.schema.with(|s| s.labels.clone()));
    let selected = Selector::new(move || editor.selected.get());
    let total = move || editor.doc.with(|d| d.spans().len());
    // Every label's count in one pass over the spans.
    let counts = Memo::new(move |_| {
        editor.doc.with(|d| {
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
                        let keys = editor.schema.with(|s| s.key_range());
                        if keys.is_empty() {
                            "No spans yet. Select words in the article, then click a label.".to_owned()
                        } else {
                            format!("No spans yet. Select words in the article, then press {keys} or click a label.")
                        }
                    }}
                </p>
            </Show>
            <For
                each=move || labels.get()
                key=|l| (l.id.clone(), l.name.clone(), l.colour.clone())
                let:label
            >
                <SpanGroup label=label counts selected=selected.clone()/>
            </For>
            <RelationList/>
            <DocumentNote/>
        </aside>
    }
}

/// How many entries a group lists before it offers more.
pub const PAGE: usize = 200;

/// The spans of one label, in document order, with their count. A long group lists its first
/// entries and a button for more: ten thousand buttons would make every edit slow.
#[component]
fn SpanGroup(
    label: Label,
    counts: Memo<HashMap<String, usize>>,
    selected: Selector<Option<String>>,
) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let id = label.id.clone();
    let limit = RwSignal::new(PAGE);
    let count = Memo::new({
        let id = id.clone();
        move |_| counts.with(|c| c.get(&id).copied().unwrap_or(0))
    });
    let items = Memo::new(move |_| {
        let limit = limit.get();
        editor.doc.with(|d| {
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
            <ul>
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
                                        editor.selected.set(Some(for_click.clone()));
                                        editor.scroll_to_span(&for_click);
                                    }
                                >
                                    {text}
                                </button>
                            </li>
                        }
                    }
                </For>
            </ul>
            {move || more_button(count.get(), limit)}
        </section>
    }
}

/// "Show more" under a list that shows the first `limit` of `count` entries.
pub fn more_button(count: usize, limit: RwSignal<usize>) -> Option<impl IntoView> {
    let rest = count.saturating_sub(limit.get());
    (rest > 0).then(|| {
        let next = rest.min(PAGE);
        view! {
            <button class="more" on:click=move |_| limit.update(|l| *l += PAGE)>
                {format!("Show {next} more (of {rest} not listed)")}
            </button>
        }
    })
}
