//! The browser edge: DOM selections to code-point offsets, which keys go to a field,
//! scrolling and downloads. Knows nothing of the app's state.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, Node};

use super::points::{article, TEXT_NODE};
use spanmark_core::offsets::{cp_len, utf16_to_cp};

fn attr_usize(el: &Element, name: &str) -> Option<usize> {
    el.get_attribute(name)?.parse().ok()
}

/// The element a selection point's node stands for: a text node's parent, or the element itself.
fn element_of(node: &Node) -> Option<Element> {
    if node.node_type() == TEXT_NODE {
        node.parent_element()
    } else {
        node.clone().dyn_into::<Element>().ok()
    }
}

/// The offset just before the first character inside `node` (a run, a chip, or anything holding them).
fn first_offset_in(node: &Node) -> Option<usize> {
    let el = element_of(node)?;
    if let Ok(Some(chip)) = el.closest(".chip") {
        return attr_usize(&chip, "data-at");
    }
    if let Ok(Some(run)) = el.closest(".run") {
        return attr_usize(&run, "data-start");
    }
    let first = el.query_selector(".run, .chip").ok()??;
    attr_usize(&first, "data-start").or_else(|| attr_usize(&first, "data-at"))
}

/// The offset just after the last character inside `node`.
fn last_offset_in(node: &Node) -> Option<usize> {
    let el = element_of(node)?;
    if let Ok(Some(chip)) = el.closest(".chip") {
        return attr_usize(&chip, "data-at");
    }
    let run = match el.closest(".run") {
        Ok(Some(run)) => run,
        _ => {
            let runs = el.query_selector_all(".run").ok()?;
            runs.item(runs.length().checked_sub(1)?)?
                .dyn_into::<Element>()
                .ok()?
        }
    };
    attr_usize(&run, "data-start")?.checked_add(cp_len(&run.text_content().unwrap_or_default()))
}

/// Maps a DOM selection point (node, UTF-16 offset or child index) to a code-point offset.
pub(super) fn point_to_offset(node: &Node, offset: u32) -> Option<usize> {
    if node.node_type() == TEXT_NODE {
        let parent = node.parent_element()?;
        if let Ok(Some(chip)) = parent.closest(".chip") {
            return attr_usize(&chip, "data-at");
        }
        let run = parent.closest(".run").ok()??;
        let text = node.text_content().unwrap_or_default();
        return attr_usize(&run, "data-start")?.checked_add(utf16_to_cp(&text, offset as usize));
    }
    let children = node.child_nodes();
    match children.item(offset) {
        Some(child) => first_offset_in(&child),
        None => last_offset_in(node),
    }
}

/// The current text selection inside the document as code points `(start, end)`, if any.
pub fn selected_range() -> Option<(usize, usize)> {
    let selection = web_sys::window()?.get_selection().ok()??;
    if selection.is_collapsed() || selection.range_count() == 0 {
        return None;
    }
    let article = article()?;
    let (anchor, focus) = (selection.anchor_node()?, selection.focus_node()?);
    if !article.contains(Some(&anchor)) || !article.contains(Some(&focus)) {
        return None;
    }
    let a = point_to_offset(&anchor, selection.anchor_offset())?;
    let b = point_to_offset(&focus, selection.focus_offset())?;
    (a != b).then(|| (a.min(b), a.max(b)))
}

/// Whether the user is in the middle of a text selection (so a click is not a span click).
pub fn has_text_selection() -> bool {
    web_sys::window()
        .and_then(|w| w.get_selection().ok().flatten())
        .is_some_and(|s| !s.is_collapsed())
}

pub fn clear_selection() {
    if let Some(s) = web_sys::window().and_then(|w| w.get_selection().ok().flatten()) {
        let _ = s.remove_all_ranges();
    }
}

/// The first rendered piece of span `id` inside `root`, if any.
pub(super) fn first_piece_of(root: &Element, id: &str) -> Option<Element> {
    // Span ids are made of letters, digits, `_` and `-` (the schema rules); any other id is
    // looked for without a selector.
    if id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return root
            .query_selector(&format!("[data-span=\"{id}\"]"))
            .ok()
            .flatten();
    }
    let pieces = root.query_selector_all("[data-span]").ok()?;
    (0..pieces.length())
        .filter_map(|i| pieces.item(i)?.dyn_into::<Element>().ok())
        .find(|el| el.get_attribute("data-span").as_deref() == Some(id))
}

/// Scrolls the first piece of span `id` into the middle of the view.
pub fn scroll_to_span(id: &str) {
    let Some(el) = article().and_then(|a| first_piece_of(&a, id)) else {
        return;
    };
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Center);
    options.set_behavior(web_sys::ScrollBehavior::Smooth);
    el.scroll_into_view_with_scroll_into_view_options(&options);
}

/// Offers `contents` as a file download named `file_name`.
pub fn download(file_name: &str, contents: &str, mime: &str) -> Result<(), JsValue> {
    download_part(file_name, &JsValue::from_str(contents), mime)
}

/// Offers `bytes` as a download named `file_name`.
pub fn download_bytes(file_name: &str, bytes: &[u8], mime: &str) -> Result<(), JsValue> {
    download_part(file_name, &js_sys::Uint8Array::from(bytes), mime)
}

fn download_part(file_name: &str, part: &JsValue, mime: &str) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let parts = js_sys::Array::of1(part);
    let props = web_sys::BlobPropertyBag::new();
    props.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &props)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    a.set_href(&url);
    a.set_download(file_name);
    a.click();
    // Revoke once the click has been handled.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    window.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 1000)?;
    Ok(())
}

/// Whether a key press goes to a field that takes text (where digits must type, not tag).
pub(super) fn typing_in_a_field(ev: &web_sys::KeyboardEvent) -> bool {
    let Some(el) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
        return false;
    };
    match el.tag_name().to_ascii_lowercase().as_str() {
        "textarea" | "select" => true,
        "input" => {
            let kind = el
                .get_attribute("type")
                .unwrap_or_default()
                .to_ascii_lowercase();
            !matches!(
                kind.as_str(),
                "checkbox" | "radio" | "button" | "submit" | "reset" | "file"
            )
        }
        _ => el.closest("[contenteditable]").ok().flatten().is_some(),
    }
}
