//! Per-paragraph state of the open document's view, so that long documents stay fast: each
//! paragraph's spans are a signal of its own ([`TextView`]), set only when they change, and a
//! long document ([`LAZY_PARAGRAPHS`]) renders a paragraph with its spans only once it comes
//! near the viewport. It is part of the `OpenDocument`; the components that render it are in
//! `text.rs`.

use std::ops::Range;

use leptos::prelude::*;

use spanmark_core::layout::SpanRef;
use spanmark_core::Span;

/// Documents with more paragraphs than this render those away from the viewport lazily: the
/// first screen of any longer document is drawn before the rest is built (a 100 KB report
/// with 1,000 spans, about 270 paragraphs, drew its first frame in 399 ms rendered whole).
pub const LAZY_PARAGRAPHS: usize = 60;
/// In a lazy document, the first paragraphs are rendered at once: more than a screen's worth.
const EAGER_PARAGRAPHS: usize = 30;

/// One paragraph's state: its spans, and whether it is rendered with them.
#[derive(Clone)]
pub struct Slot {
    pub spans: ArcRwSignal<Vec<SpanRef>>,
    pub shown: ArcRwSignal<bool>,
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
    pub fn rebuild(&self, count: usize, by: &[Vec<&Span>]) -> Vec<Slot> {
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
    pub fn sync(&self, by: &[Vec<&Span>]) {
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

    /// The paragraphs near the viewport (indices), in a long document.
    pub fn near(&self) -> Range<usize> {
        self.near.get_value()
    }

    /// The paragraphs near the viewport are now `near`: they are rendered (and stay so).
    pub fn set_near(&self, near: Range<usize>) {
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

#[cfg(test)]
mod tests;
