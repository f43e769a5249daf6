//! Relations: arcs drawn over the text, the list in the panel, and the type chooser.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::dom;
use super::editor::Editor;
use super::notices::short;
use super::paging::{paged_list, PAGE};
use super::points;
use super::state::{LinkChoice, OpenDocument, Selection};
use spanmark_core::geometry::arc_geometry;
use spanmark_core::layout::paragraph_at;

/// One arc, in pixels relative to the article's top-left corner.
#[derive(Clone, PartialEq)]
struct ArcView {
    id: String,
    name: String,
    colour: String,
    path: String,
    label_x: f64,
    label_y: f64,
}

impl ArcView {
    /// Everything the arc is drawn with, as drawn: a change to any of it draws it again.
    fn key(&self) -> [String; 5] {
        [
            self.id.clone(),
            self.path.clone(),
            self.name.clone(),
            self.colour.clone(),
            self.label_at(),
        ]
    }

    /// Where the label goes, as the SVG says it: `x,y`.
    fn label_at(&self) -> String {
        format!("{:.1},{:.1}", self.label_x, self.label_y)
    }
}

/// Measures where each relation's spans are and lays out its arc.
fn measure(relations: &[(String, String, String, String)], open: OpenDocument) -> Vec<ArcView> {
    let Some(article) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(".doc-wrap").ok().flatten())
    else {
        return Vec::new();
    };
    // Only the spans at either end of a link are measured: each measurement forces layout.
    let ends: HashSet<&str> = relations
        .iter()
        .flat_map(|(_, _, from, to)| [from.as_str(), to.as_str()])
        .collect();
    if ends.is_empty() {
        return Vec::new();
    }
    // Where each end starts: its first piece is in that paragraph, looked for there rather
    // than among every element of the document.
    let paragraph_of: HashMap<&str, usize> = open.doc.with_untracked(|d| {
        open.paragraphs.with_untracked(|ps| {
            d.spans()
                .iter()
                .filter(|s| ends.contains(s.id.as_str()))
                .filter_map(|s| Some((*ends.get(s.id.as_str())?, paragraph_at(ps, s.start))))
                .collect()
        })
    });
    let origin = article.get_bounding_client_rect();
    let height = web_sys::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|h| h.as_f64())
        .unwrap_or(f64::INFINITY);
    let mut first_piece: HashMap<String, (f64, f64)> = HashMap::new();
    for id in &ends {
        let paragraph = paragraph_of
            .get(id)
            .and_then(|&i| points::paragraph_element(i));
        // An end whose paragraph is off screen is drawn at the paragraph's start: the arc leaves
        // the screen towards it (and a scroll measures it again). Measuring the span itself there would lay out that paragraph's
        // text, which `content-visibility` skips off screen (one forced layout per paragraph,
        // about 2 ms each on a long document, on every scroll); the paragraph's own box is
        // known without it.
        if let Some(p) = &paragraph {
            let r = p.get_bounding_client_rect();
            if r.bottom() < 0.0 || r.top() > height {
                first_piece.insert(
                    (*id).to_owned(),
                    (
                        r.left() - origin.left() + 24.0,
                        r.top() - origin.top() + 4.0,
                    ),
                );
                continue;
            }
        }
        let piece = paragraph
            .and_then(|p| dom::first_piece_of(&p, id))
            .or_else(|| dom::first_piece_of(&article, id));
        let Some(el) = piece else {
            continue;
        };
        // The first line box of the piece: an inline box that wraps has several.
        let r = el
            .get_client_rects()
            .get(0)
            .unwrap_or_else(|| el.get_bounding_client_rect());
        first_piece.insert(
            (*id).to_owned(),
            (
                r.left() - origin.left() + (r.width() / 2.0).min(24.0),
                r.top() - origin.top() + 4.0,
            ),
        );
    }
    // The colour of each link is its source span's label colour.
    let colours: HashMap<String, String> = open.doc.with_untracked(|d| {
        d.spans()
            .iter()
            .filter(|s| ends.contains(s.id.as_str()))
            .filter_map(|s| Some((s.id.clone(), d.schema.label(&s.label)?.colour.clone())))
            .collect()
    });
    open.schema.with_untracked(|schema| {
        relations
            .iter()
            .enumerate()
            .filter_map(|(i, (id, kind, from, to))| {
                let (a, b) = (first_piece.get(from)?, first_piece.get(to)?);
                let gutter = 8.0 + 6.0 * (i % 4) as f64;
                let (path, label_x, label_y) = arc_geometry(*a, *b, gutter);
                let name = schema
                    .relation_type(kind)
                    .map_or_else(|| kind.clone(), |r| r.name.clone());
                let colour = colours
                    .get(from)
                    .cloned()
                    .unwrap_or_else(|| "#555555".into());
                Some(ArcView {
                    id: id.clone(),
                    name,
                    colour,
                    path,
                    label_x,
                    label_y,
                })
            })
            .collect()
    })
}

/// Arcs between related spans, drawn in an SVG layer over the article. Only the arcs take clicks.
#[component]
pub fn RelationLayer() -> impl IntoView {
    let Editor {
        open, selection, ..
    } = expect_context::<Editor>();
    let view = open.view;
    let arcs = RwSignal::new(Vec::<ArcView>::new());
    // The text moved under the arcs: a scroll (an end drawn at its off-screen paragraph's start
    // may now be on screen), a resize, or paragraphs laid out at their real height once on
    // screen (`content-visibility` gives the others an estimate, so the text below them moves
    // down when they are drawn). The arcs are measured again.
    let moved = Trigger::new();
    let on_resize = window_event_listener(leptos::ev::resize, move |_| moved.notify());
    let on_scroll = window_event_listener(leptos::ev::scroll, move |_| moved.notify());
    let layer = NodeRef::<leptos::svg::Svg>::new();
    let observer = StoredValue::new_local(None::<(web_sys::ResizeObserver, Closure<dyn Fn()>)>);
    layer.on_load(move |svg| {
        let Some(text) = svg.parent_element() else {
            return;
        };
        let on_change = Closure::<dyn Fn()>::new(move || moved.notify());
        if let Ok(o) = web_sys::ResizeObserver::new(on_change.as_ref().unchecked_ref()) {
            o.observe(&text);
            observer.set_value(Some((o, on_change)));
        }
    });
    on_cleanup(move || {
        on_resize.remove();
        on_scroll.remove();
        observer.try_with_value(|o| {
            if let Some((o, _)) = o {
                o.disconnect();
            }
        });
    });
    // The DOM is measured after it has been updated, so this is an effect by nature.
    Effect::new(move |_| {
        moved.track();
        open.doc.with(|_| ());
        open.schema.with(|_| ());
        // In a long document, only links with an end near the viewport are drawn (and
        // measured): measuring a span lays out its paragraph.
        let lazy = view.lazy.get();
        if lazy {
            view.near_changed.track();
        }
        let relations: Vec<(String, String, String, String)> = open.doc.with(|d| {
            let row = |r: &spanmark_core::Relation| {
                (r.id.clone(), r.kind.clone(), r.from.clone(), r.to.clone())
            };
            if !lazy {
                return d.relations.iter().map(row).collect();
            }
            // The spans starting in the paragraphs near the viewport: found by binary search
            // (spans are sorted by start), not by looking at every span.
            let near: HashSet<&str> = open.paragraphs.with_untracked(|ps| {
                let paras = view.near();
                let (Some(first), Some(last)) = (ps.get(paras.start), ps.get(paras.end.max(1) - 1))
                else {
                    return HashSet::new();
                };
                if paras.is_empty() {
                    return HashSet::new();
                }
                let spans = d.spans();
                let from = spans.partition_point(|s| s.start < first.start);
                let to = spans.partition_point(|s| s.start < last.end);
                spans[from..to.max(from)]
                    .iter()
                    .map(|s| s.id.as_str())
                    .collect()
            });
            d.relations
                .iter()
                .filter(|r| near.contains(r.from.as_str()) || near.contains(r.to.as_str()))
                .map(row)
                .collect()
        });
        request_animation_frame(move || arcs.set(measure(&relations, open)));
    });
    let selected = Selector::new(move || selection.relation.get());
    view! {
        <svg class="arcs" aria-hidden="true" node_ref=layer>
            <defs>
                <marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M0,0 L10,5 L0,10 z" fill="context-stroke"></path>
                </marker>
            </defs>
            <For each=move || arcs.get() key=ArcView::key let:arc>
                {
                    let id = arc.id.clone();
                    let for_class = Some(arc.id.clone());
                    let selected = selected.clone();
                    view! {
                        <g
                            class="arc"
                            class:selected=move || selected.selected(&for_class)
                            data-relation=arc.id.clone()
                            style:--c=arc.colour.clone()
                            on:click=move |ev| {
                                ev.stop_propagation();
                                selection.select_relation(id.clone());
                            }
                        >
                            <path class="hit" d=arc.path.clone()></path>
                            <path class="line" d=arc.path.clone() marker-end="url(#arrowhead)"></path>
                            <text x=format!("{:.1}", arc.label_x) y=format!("{:.1}", arc.label_y) text-anchor="middle">{arc.name.clone()}</text>
                        </g>
                    }
                }
            </For>
        </svg>
    }
}

/// The relations in the side panel; an entry selects its relation (Delete removes it).
#[component]
pub fn RelationList() -> impl IntoView {
    let Editor {
        open, selection, ..
    } = expect_context::<Editor>();
    let limit = RwSignal::new(PAGE);
    let count = Memo::new(move |_| open.doc.with(|d| d.relations.len()));
    let rows = Memo::new(move |_| {
        let limit = limit.get();
        open.doc.with(|d| {
            // Spans by id, looked up twice per link (a linear search each would be
            // links × spans per edit).
            let by_id: HashMap<&str, &str> = d
                .spans()
                .iter()
                .map(|s| (s.id.as_str(), s.text.as_str()))
                .collect();
            d.relations
                .iter()
                .take(limit)
                .map(|r| {
                    let text = |id: &str| by_id.get(id).map(|t| short(t)).unwrap_or_default();
                    let kind = d
                        .schema
                        .relation_type(&r.kind)
                        .map_or_else(|| r.kind.clone(), |t| t.name.clone());
                    (
                        r.id.clone(),
                        r.from.clone(),
                        text(&r.from),
                        kind,
                        text(&r.to),
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    let selected = Selector::new(move || selection.relation.get());
    view! {
        <section class="relations" aria-label="Links">
            <h3>"Links " <span class="count">{move || count.get()}</span></h3>
            {paged_list(count, limit, view! {
                <For each=move || rows.get() key=|row| row.clone() let:row>
                    {link_entry(open, selection, selected.clone(), row)}
                </For>
            })}
        </section>
    }
}

/// One link in the list, `(id, from, from's text, type name, to's text)`: a button that selects
/// it and scrolls to where it starts.
fn link_entry(
    open: OpenDocument,
    selection: Selection,
    selected: Selector<Option<String>>,
    (id, from, from_text, kind, to_text): (String, String, String, String, String),
) -> impl IntoView {
    let for_class = Some(id.clone());
    view! {
        <li>
            <button
                class="relation-entry"
                class:selected=move || selected.selected(&for_class)
                data-relation=id.clone()
                on:click=move |_| {
                    selection.select_relation(id.clone());
                    open.scroll_to_span(&from);
                }
            >
                <span class="from">{from_text}</span>
                <span class="kind">{format!("{kind} \u{2192}")}</span>
                <span class="to">{to_text}</span>
            </button>
        </li>
    }
}

/// While linking, or when several relation types fit, a bar says what happens next.
#[component]
pub fn LinkBar() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let choice = editor.selection.link_choice;
    view! {
        <Show when=move || choice.with(Option::is_some)>
            <div class="confirm link-choice" role="dialog" aria-label="Choose the type of link">
                <p>"Which link?"</p>
                <div class="confirm-actions">
                    {move || {
                        choice
                            .get()
                            .map(|LinkChoice { from, to, kinds }| {
                                kinds
                                    .into_iter()
                                    .map(|(kind, name)| {
                                        let (from, to) = (from.clone(), to.clone());
                                        view! { <button on:click=move |_| editor.link(kind.clone(), from.clone(), to.clone())>{name}</button> }
                                    })
                                    .collect_view()
                            })
                    }}
                    <button on:click=move |_| choice.set(None)>"Cancel"</button>
                </div>
            </div>
        </Show>
    }
}
