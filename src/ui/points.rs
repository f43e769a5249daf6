//! Code-point offsets to DOM text positions: the reverse of `dom.rs`, for search highlights and
//! the keyboard caret. Every character of the document sits in a `.run[data-start=N]` whose only
//! child is its text node; runs appear in document order.

use wasm_bindgen::JsCast;
use web_sys::{Element, Node, Range};

use spanmark_core::model::{in_key_order, permuted};
use spanmark_core::offsets::{cp_len, cp_to_utf16};

/// `Node.TEXT_NODE`.
pub const TEXT_NODE: u16 = 3;

/// One rendered run of text.
pub struct Run {
    /// Code-point offset of the run's first character.
    pub start: usize,
    /// Its length in code points.
    pub len: usize,
    pub text: String,
    /// The run's text node.
    pub node: Node,
}

/// The document's `<article>`, if rendered.
pub fn article() -> Option<Element> {
    web_sys::window()?
        .document()?
        .query_selector("article.doc")
        .ok()?
}

/// The rendered runs, in document order (by start offset).
pub fn runs() -> Vec<Run> {
    let mut runs = Vec::new();
    if let Some(a) = article() {
        collect_runs(&a, &mut runs);
    }
    in_order(runs)
}

/// `runs` by their start offsets (the order of the document).
fn in_order(runs: Vec<Run>) -> Vec<Run> {
    let order = in_key_order(runs.iter().map(|r| r.start));
    permuted(runs, &order)
}

/// The runs of paragraph element `para` and of the paragraphs either side of it, in document
/// order: enough for a caret in `para`, without reading the whole document.
pub fn runs_around(para: &Element) -> Vec<Run> {
    let mut runs = Vec::new();
    for el in [
        para.previous_element_sibling(),
        Some(para.clone()),
        para.next_element_sibling(),
    ]
    .into_iter()
    .flatten()
    {
        collect_runs(&el, &mut runs);
    }
    in_order(runs)
}

/// The element of paragraph `index`.
pub fn paragraph_element(index: usize) -> Option<Element> {
    let article = article()?;
    // The article's children are its paragraphs, in order: the one asked for is found by its
    // place, not by a selector matched against every element of a long document.
    let at = article
        .children()
        .item(u32::try_from(index).ok()?)
        .filter(|el| el.get_attribute("data-index").as_deref() == Some(index.to_string().as_str()));
    at.or_else(|| {
        article
            .query_selector(&format!(".para[data-index=\"{index}\"]"))
            .ok()?
    })
}

/// Appends the runs inside `root`.
fn collect_runs(root: &Element, runs: &mut Vec<Run>) {
    let Ok(list) = root.query_selector_all(".run[data-start]") else {
        return;
    };
    runs.reserve(list.length() as usize);
    for i in 0..list.length() {
        let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        let Some(start) = el.get_attribute("data-start").and_then(|s| s.parse().ok()) else {
            continue;
        };
        let Some(node) = el.first_child().filter(|n| n.node_type() == TEXT_NODE) else {
            continue;
        };
        let text = node.text_content().unwrap_or_default();
        runs.push(Run {
            start,
            len: cp_len(&text),
            text,
            node,
        });
    }
}

/// The DOM position of offset `cp`: inside the run the character at `cp` starts, or, with
/// `backward` (for the end of a range), inside the run the character before `cp` ends.
pub fn point(runs: &[Run], cp: usize, backward: bool) -> Option<(Node, u32)> {
    let i = if backward {
        runs.partition_point(|r| r.start < cp).checked_sub(1)?
    } else {
        runs.partition_point(|r| r.start <= cp).checked_sub(1)?
    };
    let run = runs.get(i)?;
    let inside = cp.checked_sub(run.start)?;
    let fits = if backward {
        inside <= run.len
    } else {
        inside < run.len
    };
    fits.then(|| {
        let units = cp_to_utf16(&run.text, inside);
        (run.node.clone(), u32::try_from(units).unwrap_or(u32::MAX))
    })
}

/// The DOM position of a caret at `cp`, preferring the run that follows it; the very end of
/// the text is the end of the last run.
pub fn caret_point(runs: &[Run], cp: usize) -> Option<(Node, u32)> {
    point(runs, cp, false).or_else(|| point(runs, cp, true))
}

/// A DOM range over `[start, end)`.
pub fn range(runs: &[Run], start: usize, end: usize) -> Option<Range> {
    let (sn, so) = point(runs, start, false)?;
    let (en, eo) = point(runs, end, true)?;
    let range = web_sys::window()?.document()?.create_range().ok()?;
    range.set_start(&sn, so).ok()?;
    range.set_end(&en, eo).ok()?;
    Some(range)
}
