//! Keyboard-only annotation. The caret in the text *is* the DOM selection: the arrow keys move
//! it (`Selection.modify`), Shift extends it, and a label key then tags it exactly as it tags a
//! mouse selection. A collapsed selection is invisible in text that is not editable, so the
//! caret is drawn as its own element. Tab and Shift+Tab select the next and previous span while
//! the document has focus; `/` and Ctrl+F go to the search box.

use std::cell::{Cell, RefCell};

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent, Node, Selection};

use super::editor::Editor;
use super::{dom, points, search};
use spanmark_core::layout::paragraph_at;
use spanmark_core::{Action, Span};

/// The id of the drawn caret.
const CARET_ID: &str = "kbd-caret";

thread_local! {
    /// Where the caret last was in the document (code points): it comes back there after a
    /// tag clears the selection or an edit re-renders the text.
    static LAST: Cell<Option<usize>> = const { Cell::new(None) };
    /// The document's `selectionchange` listener, while a `Caret` is mounted.
    static ON_CHANGE: RefCell<Option<Closure<dyn Fn()>>> = const { RefCell::new(None) };
}

fn selection() -> Option<Selection> {
    web_sys::window()?.get_selection().ok()?
}

fn in_article(node: &Node) -> bool {
    points::article().is_some_and(|a| a.contains(Some(node)))
}

/// Whether keyboard focus is in the document.
fn document_has_focus() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .is_some_and(|el| in_article(&el))
}

/// The selection and its focus node, when there is a selection whose focus is in the document.
fn focus_in_article() -> Option<(web_sys::Selection, web_sys::Node)> {
    let sel = selection()?;
    if sel.range_count() == 0 {
        return None;
    }
    let node = sel.focus_node()?;
    in_article(&node).then_some((sel, node))
}

/// The caret's offset (the selection's focus, in code points) when the selection is in the
/// document.
fn caret_offset() -> Option<usize> {
    let (sel, node) = focus_in_article()?;
    dom::point_to_offset(&node, sel.focus_offset())
}

/// Puts a collapsed caret at offset `cp`.
fn place_caret(editor: Editor, cp: usize) -> bool {
    let index = editor
        .open
        .paragraphs
        .with_untracked(|ps| paragraph_at(ps, cp));
    let Some(para) = points::paragraph_element(index) else {
        return false;
    };
    let runs = points::runs_around(&para);
    let Some((node, offset)) = points::caret_point(&runs, cp) else {
        return false;
    };
    let placed = selection().is_some_and(|s| s.collapse_with_offset(Some(&node), offset).is_ok());
    if placed {
        remember_caret();
    }
    placed
}

/// Remembers where the caret is now. The `selectionchange` event says so too, but later: a key
/// pressed before it arrives (a label key right after Shift+Ctrl+Right) must already find the
/// caret where the last move put it.
fn remember_caret() {
    if let Some(cp) = caret_offset() {
        LAST.with(|l| l.set(Some(cp)));
    }
}

/// Makes sure the selection is in the document, placing a caret if it is not: at the selected
/// span's start (with `prefer_span`), else where the caret last was, else at the start.
fn ensure_caret(editor: Editor, prefer_span: bool) {
    if caret_offset().is_some() {
        return;
    }
    let span_start = || {
        let id = editor.selection.span.get_untracked()?;
        editor
            .open
            .doc
            .with_untracked(|d| d.span(&id).map(|s| s.start))
    };
    let last = LAST.with(Cell::get);
    let at = if prefer_span {
        span_start().or(last)
    } else {
        last.or_else(span_start)
    };
    if !place_caret(editor, at.unwrap_or(0)) {
        place_caret(editor, 0);
    }
}

/// Where to draw the caret, in page coordinates: `(left, top, height)`.
fn caret_rect() -> Option<(f64, f64, f64)> {
    let window = web_sys::window()?;
    let (sel, node) = focus_in_article()?;
    let offset = sel.focus_offset();
    let (sx, sy) = (
        window.scroll_x().unwrap_or(0.0),
        window.scroll_y().unwrap_or(0.0),
    );
    let page = |left: f64, top: f64, height: f64| Some((left + sx, top + sy, height));

    // A collapsed range in a text node has the caret's box.
    let range = window.document()?.create_range().ok()?;
    if range.set_start(&node, offset).is_ok() {
        range.collapse_with_to_start(true);
        let r = range.get_bounding_client_rect();
        if r.height() > 0.0 {
            return page(r.left(), r.top(), r.height());
        }
    }
    // Otherwise: the leading edge of the character after it, or the trailing edge of the one before.
    let cp = dom::point_to_offset(&node, offset)?;
    let para = node.parent_element()?.closest(".para").ok()??;
    let runs = points::runs_around(&para);
    let after = cp
        .checked_add(1)
        .and_then(|end| points::range(&runs, cp, end));
    if let Some(r) = after.map(|r| r.get_bounding_client_rect()) {
        if r.height() > 0.0 {
            return page(r.left(), r.top(), r.height());
        }
    }
    let before = points::range(&runs, cp.checked_sub(1)?, cp)?.get_bounding_client_rect();
    (before.height() > 0.0).then_some(())?;
    page(before.right(), before.top(), before.height())
}

fn caret_element() -> Option<Element> {
    web_sys::window()?.document()?.get_element_by_id(CARET_ID)
}

/// Moves the drawn caret to the selection's focus, or hides it when the document does not
/// have focus.
fn draw_caret() {
    let Some(el) = caret_element() else {
        return;
    };
    match document_has_focus().then(caret_rect).flatten() {
        Some((left, top, height)) => {
            // Through the style object, not a style attribute: the page's
            // Content-Security-Policy refuses inline style attributes.
            if let Some(style) = el.dyn_ref::<web_sys::HtmlElement>().map(|h| h.style()) {
                let _ = style.set_property("left", &format!("{left:.1}px"));
                let _ = style.set_property("top", &format!("{top:.1}px"));
                let _ = style.set_property("height", &format!("{height:.1}px"));
            }
            let _ = el.remove_attribute("hidden");
        }
        None => {
            let _ = el.set_attribute("hidden", "");
        }
    }
}

/// Scrolls the window just enough to show the drawn caret.
fn reveal_caret() {
    if let Some(el) = caret_element().filter(|el| !el.has_attribute("hidden")) {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Nearest);
        options.set_behavior(web_sys::ScrollBehavior::Auto);
        el.scroll_into_view_with_scroll_into_view_options(&options);
    }
}

fn on_selection_change(editor: Editor) {
    match caret_offset() {
        Some(cp) => LAST.with(|l| l.set(Some(cp))),
        // A tag or an edit took the selection away while the document has focus: once the
        // text is rendered again, the caret comes back where it was.
        None if document_has_focus() => request_animation_frame(move || {
            if document_has_focus() && caret_offset().is_none() {
                ensure_caret(editor, false);
            }
            draw_caret();
        }),
        None => {}
    }
    draw_caret();
}

/// The index of the span Tab (`forward`) or Shift+Tab goes to: next to the selected span
/// `selected` in document order, or, with none selected, the first span starting at or after
/// the caret `here` (Tab) or the last one starting before it (Shift+Tab).
pub fn neighbour(
    spans: &[Span],
    selected: Option<&str>,
    here: usize,
    forward: bool,
) -> Option<usize> {
    let at = selected.and_then(|id| spans.iter().position(|s| s.id == id));
    let i = match (at, forward) {
        (Some(i), true) => i + 1,
        (Some(i), false) => i.checked_sub(1)?,
        (None, true) => spans.partition_point(|s| s.start < here),
        (None, false) => spans.partition_point(|s| s.start < here).checked_sub(1)?,
    };
    (i < spans.len()).then_some(i)
}

/// Selects the next (or previous) span, scrolls to it and puts the caret at its start.
/// `false` when there is none that way (so Tab can leave the document).
fn select_neighbour(editor: Editor, forward: bool) -> bool {
    let here = caret_offset().or_else(|| LAST.with(Cell::get)).unwrap_or(0);
    let selected = editor.selection.span.get_untracked();
    let target = editor.open.doc.with_untracked(|d| {
        let spans = d.spans();
        neighbour(spans, selected.as_deref(), here, forward)
            .and_then(|i| spans.get(i))
            .map(|s| (s.id.clone(), s.start))
    });
    let Some((id, start)) = target else {
        return false;
    };
    editor.selection.span.set(Some(id.clone()));
    place_caret(editor, start);
    editor.open.scroll_to_span(&id);
    draw_caret();
    true
}

/// Whether the key event comes from inside the document (the focused `<article>`).
fn from_document(ev: &KeyboardEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<Node>().ok())
        .is_some_and(|n| in_article(&n))
}

/// Keys for search and for the caret; `true` when the key was handled here (the caller then
/// leaves it alone).
fn caret_key(editor: Editor, ev: &KeyboardEvent) -> bool {
    let key = ev.key();
    let (ctrl, alt, shift, meta) = (ev.ctrl_key(), ev.alt_key(), ev.shift_key(), ev.meta_key());
    if (ctrl || meta) && !alt && !shift && key.eq_ignore_ascii_case("f") {
        if search::focus_search_box() {
            ev.prevent_default();
            return true;
        }
        return false;
    }
    if dom::typing_in_a_field(ev) {
        return false;
    }
    if key == "/" && !ctrl && !meta && !alt {
        if search::focus_search_box() {
            ev.prevent_default();
            return true;
        }
        return false;
    }
    if !from_document(ev) {
        return false;
    }
    let granularity = match key.as_str() {
        "ArrowLeft" | "ArrowRight" if meta => "lineboundary",
        "ArrowLeft" | "ArrowRight" if ctrl || alt => "word",
        "ArrowLeft" | "ArrowRight" => "character",
        "ArrowUp" | "ArrowDown" => "line",
        "Home" | "End" if ctrl || meta => "documentboundary",
        "Home" | "End" => "lineboundary",
        "Tab" if !ctrl && !alt && !meta => {
            let moved = select_neighbour(editor, !shift);
            if moved {
                ev.prevent_default();
            }
            return moved;
        }
        _ => return false,
    };
    ev.prevent_default();
    ensure_caret(editor, true);
    let direction = if matches!(key.as_str(), "ArrowLeft" | "ArrowUp" | "Home") {
        "backward"
    } else {
        "forward"
    };
    let alter = if shift { "extend" } else { "move" };
    if let Some(sel) = selection() {
        let _ = sel.modify(alter, direction, granularity);
    }
    remember_caret();
    draw_caret();
    reveal_caret();
    true
}

/// The page's keyboard shortcuts (a listener on the window): search and the caret first, then
/// label keys tag or relabel, Delete/Backspace remove, Escape deselects, `?` opens the list,
/// `n` opens the next unfinished document of a team queue (`next_unfinished`, which says
/// whether there was one).
pub fn on_key(
    editor: Editor,
    help_open: RwSignal<bool>,
    ev: &KeyboardEvent,
    next_unfinished: impl FnOnce() -> bool,
) {
    // The shortcut list is modal: while it is open, keys only close it (Escape or `?`).
    if help_open.get_untracked() {
        if matches!(ev.key().as_str(), "Escape" | "?") {
            ev.prevent_default();
            help_open.set(false);
        }
        return;
    }
    if caret_key(editor, ev) || dom::typing_in_a_field(ev) {
        return;
    }
    let selection = editor.selection;
    let key = ev.key();
    // Undo: Ctrl+Z (Cmd+Z on macOS); redo: Ctrl+Shift+Z, Cmd+Shift+Z or Ctrl+Y.
    if (ev.ctrl_key() || ev.meta_key()) && !ev.alt_key() {
        match key.to_ascii_lowercase().as_str() {
            "z" => {
                ev.prevent_default();
                editor.step(!ev.shift_key());
            }
            "y" if ev.ctrl_key() => {
                ev.prevent_default();
                editor.step(false);
            }
            _ => {}
        }
        return;
    }
    if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
        return;
    }
    match key.as_str() {
        "Escape" => editor.clear_selection_state(),
        "?" => {
            ev.prevent_default();
            help_open.set(true);
        }
        "Delete" | "Backspace" => {
            if let Some(id) = selection.relation.get_untracked() {
                ev.prevent_default();
                editor.dispatch(Action::RemoveRelation { id });
            } else if let Some(id) = selection.span.get_untracked() {
                ev.prevent_default();
                editor.dispatch(Action::RemoveSpan { id });
            }
        }
        "n" => {
            if next_unfinished() {
                ev.prevent_default();
            }
        }
        "r" | "R" => {
            if selection.span.get_untracked().is_some() {
                ev.prevent_default();
                editor.start_linking();
            }
        }
        "Enter" => {
            if selection.linking.get_untracked().is_some() {
                if let Some(target) = selection.span.get_untracked() {
                    ev.prevent_default();
                    editor.finish_linking(&target);
                }
            }
        }
        _ => {
            let label = editor
                .open
                .schema
                .with_untracked(|s| s.label_for_key(&key).map(|l| l.id.clone()));
            if let Some(label) = label {
                ev.prevent_default();
                editor.apply_label(label);
            }
        }
    }
}

/// The drawn keyboard caret: a thin bar at the selection's focus in the document, shown while
/// the document has focus. Decoration only (`aria-hidden`); the selection itself is the caret.
#[component]
pub fn Caret() -> impl IntoView {
    let editor = expect_context::<Editor>();

    let on_change = Closure::<dyn Fn()>::new(move || on_selection_change(editor));
    let _ = leptos::prelude::document()
        .add_event_listener_with_callback("selectionchange", on_change.as_ref().unchecked_ref());
    ON_CHANGE.with(|c| c.replace(Some(on_change)));

    // Focus arriving in the document (Tab, or a click) gets a caret if it has none.
    let focus_in = window_event_listener(leptos::ev::focusin, move |ev| {
        let to_document = ev
            .target()
            .and_then(|t| t.dyn_into::<Node>().ok())
            .is_some_and(|n| in_article(&n));
        if to_document {
            request_animation_frame(move || {
                if document_has_focus() && caret_offset().is_none() {
                    ensure_caret(editor, true);
                }
                draw_caret();
            });
        }
    });
    let focus_out = window_event_listener(leptos::ev::focusout, move |_| {
        request_animation_frame(draw_caret);
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| draw_caret());
    on_cleanup(move || {
        if let Some(on_change) = ON_CHANGE.with(RefCell::take) {
            let _ = leptos::prelude::document().remove_event_listener_with_callback(
                "selectionchange",
                on_change.as_ref().unchecked_ref(),
            );
        }
        focus_in.remove();
        focus_out.remove();
        resize.remove();
    });

    // An edit re-renders text (and chips move it): redraw once it is on screen.
    Effect::new(move |_| {
        editor.open.doc.track();
        request_animation_frame(draw_caret);
    });

    view! { <div id=CARET_ID class="kbd-caret" aria-hidden="true" hidden=true></div> }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn span(id: &str, start: usize, end: usize) -> Span {
        Span {
            id: id.into(),
            label: "actor".into(),
            start,
            end,
            text: String::new(),
            note: None,
        }
    }

    #[test]
    fn tab_goes_through_spans_in_document_order() {
        let spans = [span("a", 0, 10), span("b", 0, 4), span("c", 6, 8)];
        assert_eq!(neighbour(&spans, Some("a"), 0, true), Some(1));
        assert_eq!(neighbour(&spans, Some("b"), 0, true), Some(2));
        assert_eq!(neighbour(&spans, Some("c"), 0, true), None);
        assert_eq!(neighbour(&spans, Some("a"), 0, false), None);
        assert_eq!(neighbour(&spans, Some("c"), 0, false), Some(1));
        // With none selected, from the caret.
        assert_eq!(neighbour(&spans, None, 0, true), Some(0));
        assert_eq!(neighbour(&spans, None, 5, true), Some(2));
        assert_eq!(neighbour(&spans, None, 9, true), None);
        assert_eq!(neighbour(&spans, None, 5, false), Some(1));
        assert_eq!(neighbour(&spans, None, 0, false), None);
        // An unknown selected id counts as none.
        assert_eq!(neighbour(&spans, Some("zz"), 7, false), Some(2));
        assert_eq!(neighbour(&[], None, 0, true), None);
    }
}
