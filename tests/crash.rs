//! The panic message in a real browser (wasm-bindgen-test in headless Chromium):
//! `cargo test --target wasm32-unknown-unknown --test crash`.
//!
//! A real panic aborts the test's wasm instance, so these tests call what the panic hook calls.
#![cfg(target_arch = "wasm32")]
// Test code: a failed assumption should stop the test, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use spanmark::ui::crash::{self, Rescue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// The message over the page: its text, and whether it is one alert with a reload link.
fn shown() -> Option<(String, bool)> {
    let overlays = document().query_selector_all(".crash").unwrap();
    let overlay = document().query_selector(".crash").unwrap()?;
    let text = overlay.query_selector("p").unwrap()?.text_content()?;
    let alert = overlay.get_attribute("role").as_deref() == Some("alert");
    let reload = overlay
        .query_selector("a[href='']")
        .unwrap()
        .and_then(|a| a.text_content())
        .as_deref()
        == Some("Reload");
    Some((text, overlays.length() == 1 && alert && reload))
}

fn clear() {
    while let Some(el) = document().query_selector(".crash").unwrap() {
        el.remove();
    }
}

#[wasm_bindgen_test]
fn a_panic_says_the_work_is_saved_once_the_rescue_saved_it() {
    clear();
    crash::install(|| Rescue::Saved);
    crash::report();
    assert_eq!(shown(), Some((crash::SAVED.to_owned(), true)));
    // A second panic (the app is stopped) shows no second message.
    crash::report();
    assert_eq!(shown(), Some((crash::SAVED.to_owned(), true)));
    clear();
}

#[wasm_bindgen_test]
fn a_panic_says_so_when_the_work_could_not_be_saved() {
    clear();
    crash::install(|| Rescue::NotSaved);
    crash::report();
    assert_eq!(shown(), Some((crash::NOT_SAVED.to_owned(), true)));
    clear();
}

#[wasm_bindgen_test]
fn the_message_is_the_careful_one_until_the_rescue_has_run_and_it_runs_once() {
    use std::cell::Cell;
    use std::rc::Rc;
    clear();
    let runs = Rc::new(Cell::new(0));
    let seen = Rc::new(Cell::new(false));
    {
        let (runs, seen) = (Rc::clone(&runs), Rc::clone(&seen));
        crash::install(move || {
            runs.set(runs.get() + 1);
            seen.set(shown() == Some((crash::STOPPED.to_owned(), true)));
            // A panic inside the rescue reports again: that must neither rescue again nor
            // claim anything.
            crash::report();
            Rescue::Saved
        });
    }
    crash::report();
    assert!(
        seen.get(),
        "while the rescue runs, the message claims nothing"
    );
    assert_eq!(shown(), Some((crash::SAVED.to_owned(), true)));
    crash::report();
    assert_eq!(runs.get(), 1, "the rescue ran once");
    clear();
}
