//! The side panel: spans grouped by label, with counts; an entry jumps to its span.

use leptos::prelude::*;

use super::notes::{DocumentNote, SpanDetails};
use super::relations::RelationList;
use super::{dom, Editor};

/// Spans grouped by label. Clicking an entry selects its span and scrolls to it. Entries hold
/// the whole span text (CSS shortens it on screen), so assistive technology reads all of it.
#[component]
pub fn SpanPanel() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let groups = Memo::new(move |_| {
        editor.doc.with(|d| {
            d.schema
                .labels
                .iter()
                .map(|l| {
                    let items: Vec<(String, String)> = d
                        .spans()
                        .iter()
                        .filter(|s| s.label == l.id)
                        .map(|s| (s.id.clone(), s.text.clone()))
                        .collect();
                    (l.clone(), items)
                })
                .collect::<Vec<_>>()
        })
    });
    let total = move || editor.doc.with(|d| d.spans().len());
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
            {move || {
                groups
                    .get()
                    .into_iter()
                    .map(|(label, items)| {
                        let count = items.len();
                        view! {
                            <section class="group" data-label=label.id.clone() style=format!("--c:{}", label.colour)>
                                <h3>
                                    <span class="swatch" aria-hidden="true"></span>
                                    {label.name.clone()}
                                    " "
                                    <span class="count">{count}</span>
                                </h3>
                                <ul>
                                    {items
                                        .into_iter()
                                        .map(|(id, text)| {
                                            let for_class = id.clone();
                                            let for_click = id.clone();
                                            view! {
                                                <li>
                                                    <button
                                                        class="entry"
                                                        class:selected=move || editor.selected.with(|s| s.as_deref() == Some(for_class.as_str()))
                                                        data-span=id
                                                        on:click=move |_| {
                                                            editor.selected.set(Some(for_click.clone()));
                                                            dom::scroll_to_span(&for_click);
                                                        }
                                                    >
                                                        {text}
                                                    </button>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </section>
                        }
                    })
                    .collect_view()
            }}
            <RelationList/>
            <DocumentNote/>
        </aside>
    }
}
