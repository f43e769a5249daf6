//! The document view: one `<article>`, a component per paragraph, pieces nested as the spans nest.
//!
//! Long documents stay fast three ways:
//! - each paragraph's spans are a signal of its own ([`TextView`]), set only when they change,
//!   so an edit re-renders the paragraphs it touches and compares the others' few spans;
//! - a long document ([`LAZY_PARAGRAPHS`]) shows its paragraphs as plain text until they come
//!   near the viewport (found by binary search over paragraph positions after each scroll);
//!   once rendered with their spans they stay so;
//! - paragraphs are blocks with `content-visibility: auto`: the browser lays out only what is
//!   on screen.
//!
//! A paragraph not yet rendered is one `.run` over its whole text, so selections, the caret and
//! search work on it exactly as on any other.

use std::cell::Cell;
use std::ops::Range;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::relations::RelationLayer;
use super::{dom, Editor};
use spanmark_core::layout::{self, Node, Paragraph, SpanRef};
use spanmark_core::{Schema, Span};

/// Documents with more paragraphs than this render those away from the viewport lazily.
pub const LAZY_PARAGRAPHS: usize = 400;
/// In a lazy document, the first paragraphs are rendered at once.
const EAGER_PARAGRAPHS: usize = 60;
/// How far outside the viewport (pixels) a paragraph counts as near.
const NEAR_MARGIN: f64 = 1500.0;

/// One paragraph's state: its spans, and whether it is rendered with them.
#[derive(Clone)]
struct Slot {
    spans: ArcRwSignal<Vec<SpanRef>>,
    shown: ArcRwSignal<bool>,
}

/// Per-paragraph signals of the open document and which paragraphs are near the viewport.
#[derive(Clone, Copy)]
pub struct TextView {
    slots: StoredValue<Vec<Slot>>,
    /// The paragraphs near the viewport (indices), in a long document.
    near: StoredValue<Range<usize>>,
    /// Notified when the set of paragraphs near the viewport changes.
    pub near_changed: Trigger,
    /// Whether the open document renders lazily.
    pub lazy: RwSignal<bool>,
}

impl TextView {
    pub fn new() -> Self {
        TextView {
            slots: StoredValue::new(Vec::new()),
            near: StoredValue::new(0..0),
            near_changed: Trigger::new(),
            lazy: RwSignal::new(false),
        }
    }

    /// New slots for `paragraphs` with their spans `by`: every paragraph rendered unless the
    /// document is long.
    fn rebuild(&self, count: usize, by: &[Vec<&Span>]) -> Vec<Slot> {
        let lazy = count > LAZY_PARAGRAPHS;
        self.lazy.set(lazy);
        self.near.set_value(0..0);
        let slots: Vec<Slot> = (0..count)
            .map(|i| Slot {
                spans: ArcRwSignal::new(refs(by.get(i).map_or(&[][..], Vec::as_slice))),
                shown: ArcRwSignal::new(!lazy || i < EAGER_PARAGRAPHS),
            })
            .collect();
        self.slots.set_value(slots.clone());
        slots
    }

    /// Sets the spans of each paragraph whose spans changed.
    fn sync(&self, by: &[Vec<&Span>]) {
        self.slots.with_value(|slots| {
            for (slot, spans) in slots.iter().zip(by) {
                let same = slot.spans.with_untracked(|old| {
                    old.len() == spans.len() && old.iter().zip(spans).all(|(o, s)| o.is(s))
                });
                if !same {
                    slot.spans.set(refs(spans));
                }
            }
        });
    }

    /// Renders paragraph `index` with its spans; `true` if it was plain text until now.
    pub fn reveal(&self, index: usize) -> bool {
        self.slots.with_value(|slots| {
            slots.get(index).is_some_and(|s| {
                !s.shown.get_untracked() && {
                    s.shown.set(true);
                    true
                }
            })
        })
    }

    /// Whether paragraph `index` is near the viewport (always, in a document rendered at once).
    pub fn is_near(&self, index: usize) -> bool {
        !self.lazy.get_untracked() || self.near.with_value(|n| n.contains(&index))
    }

    /// The paragraphs near the viewport are now `near`: they are rendered (and stay so).
    fn set_near(&self, near: Range<usize>) {
        if self.near.with_value(|n| *n == near) {
            return;
        }
        for i in near.clone() {
            self.reveal(i);
        }
        self.near.set_value(near);
        self.near_changed.notify();
    }
}

impl Default for TextView {
    fn default() -> Self {
        Self::new()
    }
}

/// What a paragraph keeps of its spans.
fn refs(spans: &[&Span]) -> Vec<SpanRef> {
    spans.iter().map(|&s| SpanRef::from(s)).collect()
}

/// The index of the paragraph holding code point `cp` (the last one for the end of the text).
pub fn paragraph_at(paragraphs: &[Paragraph], cp: usize) -> usize {
    paragraphs
        .partition_point(|p| p.end <= cp)
        .min(paragraphs.len().saturating_sub(1))
}

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
    let editor = expect_context::<Editor>();
    let view = editor.text;
    let selected = Selector::new(move || editor.selected.get());
    let doc_id = Memo::new(move |_| editor.doc.with(|d| d.document.id.clone()));
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
        editor.paragraphs.with(|ps| {
            editor
                .doc
                .with(|d| view.sync(&layout::span_refs_by_paragraph(ps, d.spans())))
        })
    });
    Effect::new(move |_| {
        editor.paragraphs.with(|_| ());
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
                    // Another document or text: new slots, and a new generation of
                    // components (a paragraph keeps the slot it was made with).
                    let paragraphs = editor.paragraphs.get();
                    let slots = editor.doc.with_untracked(|d| {
                        let by = layout::span_refs_by_paragraph(&paragraphs, d.spans());
                        view.rebuild(paragraphs.len(), &by)
                    });
                    generation.update_value(|g| *g += 1);
                    let g = generation.get_value();
                    paragraphs
                        .into_iter()
                        .zip(slots)
                        .enumerate()
                        .map(move |(i, (p, slot))| (g, id.clone(), i, p, slot))
                }
                key=|(g, id, _, p, _)| (*g, id.clone(), p.start)
                children=move |(_, _, index, para, state)| view! { <ParagraphView index para state selected=selected.clone()/> }
            />
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
    selected: Selector<Option<String>>,
) -> impl IntoView {
    let editor = expect_context::<Editor>();
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

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn spans(ids: &[&str]) -> Vec<Span> {
        ids.iter()
            .map(|id| Span {
                id: (*id).into(),
                label: "actor".into(),
                start: 0,
                end: 1,
                text: "x".into(),
                note: None,
            })
            .collect()
    }

    fn borrowed(by: &[Vec<Span>]) -> Vec<Vec<&Span>> {
        by.iter().map(|v| v.iter().collect()).collect()
    }

    #[test]
    fn sync_sets_only_the_paragraphs_whose_spans_changed() {
        Owner::new().set();
        let view = TextView::new();
        let before = [spans(&["s1"]), vec![], spans(&["s2"])];
        let slots = view.rebuild(3, &borrowed(&before));
        let seen: Vec<_> = slots
            .iter()
            .map(|s| {
                let signal = s.spans.clone();
                Memo::new(move |n: Option<&usize>| {
                    signal.track();
                    n.map_or(0, |n| n + 1)
                })
            })
            .collect();
        for m in &seen {
            m.get_untracked();
        }
        let after = [spans(&["s1"]), spans(&["s3"]), spans(&["s2"])];
        view.sync(&borrowed(&after));
        let runs: Vec<usize> = seen.iter().map(|m| m.get_untracked()).collect();
        assert_eq!(runs, vec![0, 1, 0]);
    }

    #[test]
    fn a_long_document_renders_its_first_paragraphs_and_reveals_the_rest() {
        Owner::new().set();
        let view = TextView::new();
        let slots = view.rebuild(LAZY_PARAGRAPHS + 1, &[]);
        assert!(view.lazy.get_untracked());
        assert!(slots[0].shown.get_untracked());
        assert!(!slots[EAGER_PARAGRAPHS].shown.get_untracked());
        assert!(!view.is_near(EAGER_PARAGRAPHS));
        view.set_near(EAGER_PARAGRAPHS..EAGER_PARAGRAPHS + 1);
        assert!(slots[EAGER_PARAGRAPHS].shown.get_untracked());
        assert!(view.is_near(EAGER_PARAGRAPHS));
        // Leaving the viewport keeps it rendered.
        view.set_near(0..1);
        assert!(slots[EAGER_PARAGRAPHS].shown.get_untracked());
        assert!(!view.is_near(EAGER_PARAGRAPHS));
        assert!(!view.reveal(EAGER_PARAGRAPHS));
        assert!(view.reveal(EAGER_PARAGRAPHS + 1));
    }

    #[test]
    fn a_short_document_is_rendered_at_once() {
        Owner::new().set();
        let view = TextView::new();
        let slots = view.rebuild(LAZY_PARAGRAPHS, &[]);
        assert!(slots.iter().all(|s| s.shown.get_untracked()));
        assert!(view.is_near(LAZY_PARAGRAPHS - 1));
    }

    #[test]
    fn the_paragraph_at_an_offset() {
        let ps = layout::paragraphs("ab\ncd\n");
        assert_eq!(paragraph_at(&ps, 0), 0);
        assert_eq!(paragraph_at(&ps, 2), 0);
        assert_eq!(paragraph_at(&ps, 3), 1);
        assert_eq!(paragraph_at(&ps, 6), 1);
    }
}
