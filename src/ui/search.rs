//! Search: a search box with case and whole-word options, the match count, next and previous,
//! highlights drawn with the CSS Custom Highlight API (the document is not re-rendered), and
//! "Tag all matches" as one undoable step.

use js_sys::{Function, Reflect};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Range;

use super::editor::Editor;
use super::notices::Notice;
use super::points;
use spanmark_core::search::{current_index, find, tag_all, SearchOptions};
use spanmark_core::Action;

/// The id of the search box (`/` and Ctrl+F focus it).
pub const SEARCH_INPUT_ID: &str = "search";

/// Focuses the search box and selects its text; `false` when it is not on the page.
pub fn focus_search_box() -> bool {
    let Some(input) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(SEARCH_INPUT_ID))
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return false;
    };
    let _ = input.focus();
    input.select();
    true
}

/// `CSS.highlights`, when the browser has the Custom Highlight API.
fn highlight_registry() -> Option<JsValue> {
    let css = Reflect::get(&js_sys::global(), &JsValue::from_str("CSS")).ok()?;
    let registry = Reflect::get(&css, &JsValue::from_str("highlights")).ok()?;
    registry.is_object().then_some(registry)
}

fn call_method(target: &JsValue, name: &str, args: &[&JsValue]) -> Option<JsValue> {
    let f = Reflect::get(target, &JsValue::from_str(name))
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    let array: js_sys::Array = args.iter().copied().collect();
    f.apply(target, &array).ok()
}

/// Shows `ranges` as the highlight `name` (or removes it when there are none). Does nothing
/// in a browser without the Custom Highlight API.
fn set_highlight(name: &str, ranges: &[Range], priority: i32) {
    let Some(registry) = highlight_registry() else {
        return;
    };
    let key = JsValue::from_str(name);
    if ranges.is_empty() {
        call_method(&registry, "delete", &[&key]);
        return;
    }
    let Some(ctor) = Reflect::get(&js_sys::global(), &JsValue::from_str("Highlight"))
        .ok()
        .and_then(|c| c.dyn_into::<Function>().ok())
    else {
        return;
    };
    let Ok(highlight) = Reflect::construct(&ctor, &js_sys::Array::new()) else {
        return;
    };
    for r in ranges {
        call_method(&highlight, "add", &[r.as_ref()]);
    }
    let _ = Reflect::set(
        &highlight,
        &JsValue::from_str("priority"),
        &JsValue::from(priority),
    );
    call_method(&registry, "set", &[&key, &highlight]);
}

/// Draws all matches and the current one over the rendered text.
fn show_highlights(matches: &[(usize, usize)], current: Option<(usize, usize)>) {
    // With nothing to draw, the document is not read (it may be long).
    let runs = if matches.is_empty() && current.is_none() {
        Vec::new()
    } else {
        points::runs()
    };
    let all: Vec<Range> = matches
        .iter()
        .filter_map(|&(s, e)| points::range(&runs, s, e))
        .collect();
    let now: Vec<Range> = current
        .and_then(|(s, e)| points::range(&runs, s, e))
        .into_iter()
        .collect();
    set_highlight("search", &all, 0);
    set_highlight("search-current", &now, 1);
}

/// Scrolls the match `[start, end)` to the middle of the window unless it is fully in view
/// below the sticky label bar.
fn scroll_to_match(start: usize, end: usize) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(range) = points::range(&points::runs(), start, end) else {
        return;
    };
    let rect = range.get_bounding_client_rect();
    let height = window
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    let bar = window
        .document()
        .and_then(|d| d.query_selector("nav.labels").ok().flatten())
        .map_or(0.0, |b| b.get_bounding_client_rect().bottom().max(0.0));
    if rect.top() < bar || rect.bottom() > height {
        let middle = bar + (height - bar) / 2.0;
        window.scroll_by_with_x_and_y(0.0, rect.top() + rect.height() / 2.0 - middle);
    }
}

/// The search box, its options, the count, next/previous and "Tag all N matches as <label>".
#[component]
pub fn SearchBar() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let query = RwSignal::new(String::new());
    let case_sensitive = RwSignal::new(false);
    let whole_word = RwSignal::new(false);
    // The current match is the first at or after this offset (wrapping around).
    let cursor = RwSignal::new(0usize);
    // Bumped by next/previous, so that they scroll even when the current match stays the same.
    let navigated = RwSignal::new(0u64);
    let tag_label = RwSignal::new(String::new());

    // Matches depend on the text, not on the spans: an edit does not search again.
    let matches = Memo::new(move |_| {
        let options = SearchOptions {
            case_sensitive: case_sensitive.get(),
            whole_word: whole_word.get(),
        };
        editor.open.text_key.with(|_| ());
        query.with(|q| {
            editor
                .open
                .doc
                .with_untracked(|d| find(&d.document.text, q, options))
        })
    });
    let current = Memo::new(move |_| {
        let at = cursor.get();
        matches.with(|m| current_index(m, at).and_then(|i| Some((i, *m.get(i)?))))
    });
    // The label "Tag all" applies: the one chosen, or the first of the schema.
    let label = Memo::new(move |_| {
        editor.open.schema.with(|s| {
            tag_label.with(|chosen| {
                s.label(chosen)
                    .or_else(|| s.labels.first())
                    .map(|l| (l.id.clone(), l.name.clone()))
            })
        })
    });

    // Highlights follow the matches, and are rebuilt after any edit re-renders text.
    Effect::new(move |_| {
        let all = matches.get();
        let now = current.get().map(|(_, m)| m);
        editor.open.doc.track();
        request_animation_frame(move || show_highlights(&all, now));
    });
    on_cleanup(|| {
        set_highlight("search", &[], 0);
        set_highlight("search-current", &[], 1);
    });
    // The current match comes into view when it changes or the user steps.
    Effect::new(move |_| {
        navigated.track();
        if let Some((_, (s, e))) = current.get() {
            request_animation_frame(move || scroll_to_match(s, e));
        }
    });

    let step = move |forward: bool| {
        let n = matches.with_untracked(Vec::len);
        if n == 0 {
            return;
        }
        let i = current.get_untracked().map_or(0, |(i, _)| i);
        let j = if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        };
        if let Some(&(s, _)) = matches.with_untracked(|m| m.get(j).copied()).as_ref() {
            cursor.set(s);
        }
        navigated.update(|t| *t += 1);
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" {
            ev.prevent_default();
            step(!ev.shift_key());
        }
    };
    let tag = move |_| {
        let Some((id, name)) = label.get_untracked() else {
            return;
        };
        let plan = editor
            .open
            .doc
            .with_untracked(|d| matches.with_untracked(|m| tag_all(d, m, &id)));
        let plan = match plan {
            Ok(plan) => plan,
            Err(e) => {
                editor.notices.alert(Notice::Problem(format!(
                    "Not tagged: {e}. The document is unchanged."
                )));
                return;
            }
        };
        let skipped = match (plan.already_tagged, plan.invalid) {
            (0, 0) => String::new(),
            (a, 0) => format!("; skipped {a} already tagged"),
            (0, i) => format!("; skipped {i} that cannot be spans"),
            (a, i) => format!(
                "; skipped {} ({a} already tagged, {i} that cannot be spans)",
                a + i
            ),
        };
        let n = plan.actions.len();
        if n == 0 {
            editor
                .notices
                .say(format!("Nothing tagged as {name}{skipped}."));
            return;
        }
        if editor.try_dispatch(Action::Batch(plan.actions)).is_ok() {
            editor.notices.say(format!(
                "Tagged {n} match{} as {name}{skipped}. One undo removes them all.",
                if n == 1 { "" } else { "es" }
            ));
        }
    };

    let count = move || {
        if query.with(String::is_empty) {
            return String::new();
        }
        let n = matches.with(Vec::len);
        match current.get() {
            Some((i, _)) => format!("{} of {n} match{}", i + 1, if n == 1 { "" } else { "es" }),
            None => "No matches".into(),
        }
    };
    let none = move || matches.with(Vec::is_empty);
    let options = move || {
        editor.open.schema.with(|s| {
            s.labels
                .iter()
                .map(|l| {
                    let id = l.id.clone();
                    let chosen = move || label.with(|c| c.as_ref().is_some_and(|(c, _)| *c == id));
                    view! { <option value=l.id.clone() selected=chosen>{l.name.clone()}</option> }
                })
                .collect_view()
        })
    };
    let tag_text = move || {
        let n = matches.with(Vec::len);
        let name = label.with(|l| l.as_ref().map(|(_, n)| n.clone()).unwrap_or_default());
        format!(
            "Tag all {n} match{} as {name}",
            if n == 1 { "" } else { "es" }
        )
    };

    view! {
        <div class="search" role="search">
            <input
                type="search"
                id=SEARCH_INPUT_ID
                aria-label="Search"
                placeholder="Search  ( / )"
                autocomplete="off"
                spellcheck="false"
                prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev))
                on:keydown=on_keydown
            />
            {search_option("search-case", "Match case", case_sensitive)}
            {search_option("search-word", "Whole word", whole_word)}
            <span id="search-count" class="count" aria-live="polite">{count}</span>
            {step_button(false, none, step)}
            {step_button(true, none, step)}
            <select
                id="tag-all-label"
                aria-label="Label for Tag all"
                on:change=move |ev| tag_label.set(event_target_value(&ev))
            >
                {options}
            </select>
            <button id="tag-all" disabled=none on:click=tag>{tag_text}</button>
        </div>
    }
}

/// A search option's checkbox.
fn search_option(id: &'static str, text: &'static str, on: RwSignal<bool>) -> impl IntoView {
    view! {
        <label class="opt">
            <input type="checkbox" id=id prop:checked=move || on.get() on:change=move |ev| on.set(event_target_checked(&ev))/>
            {text}
        </label>
    }
}

/// The button to the next (`forward`) or previous match.
fn step_button(
    forward: bool,
    disabled: impl Fn() -> bool + Send + Sync + 'static,
    step: impl Fn(bool) + 'static,
) -> impl IntoView {
    let (id, title, label, arrow) = if forward {
        ("search-next", "Next match (Enter)", "Next match", "↓")
    } else {
        (
            "search-prev",
            "Previous match (Shift+Enter)",
            "Previous match",
            "↑",
        )
    };
    view! {
        <button id=id class="nav" title=title aria-label=label disabled=disabled on:click=move |_| step(forward)>
            {arrow}
        </button>
    }
}
