//! Light and dark themes. Spanmark follows the system setting (`prefers-color-scheme`) until
//! the user picks a theme with the toolbar toggle; that choice is remembered in localStorage
//! under [`storage::PREFS_KEY`](crate::storage::PREFS_KEY). The theme in force is written as `data-theme="light|dark"` on `<html>`;
//! style/main.css defines every colour for both.

use leptos::prelude::*;
use serde_json::Value;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};

use crate::storage;
use spanmark_core::Theme;

const DARK_QUERY: &str = "(prefers-color-scheme: dark)";

/// The theme the user chose, if any. Missing, unreadable or unavailable storage means no choice.
pub fn load_theme() -> Option<Theme> {
    storage::load_prefs()
        .get("theme")?
        .as_str()
        .and_then(Theme::from_name)
}

/// Remembers `theme` as the user's choice, keeping the other stored preferences (unreadable
/// ones are kept aside first, by the storage layer). Fails with the reason when it cannot.
pub fn save_theme(theme: Theme) -> Result<(), String> {
    storage::save_pref("theme", Value::from(theme.as_str())).map_err(|e| e.to_string())
}

/// The `MediaQueryList` for a dark system setting, as a plain JS object.
fn dark_query() -> Option<JsValue> {
    let window = web_sys::window()?;
    let match_media = js_sys::Reflect::get(&window, &JsValue::from_str("matchMedia"))
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    match_media
        .call1(&window, &JsValue::from_str(DARK_QUERY))
        .ok()
}

/// The theme the system asks for (light when the browser cannot tell).
pub fn system_theme() -> Theme {
    let dark = dark_query()
        .and_then(|q| js_sys::Reflect::get(&q, &JsValue::from_str("matches")).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    if dark {
        Theme::Dark
    } else {
        Theme::Light
    }
}

/// Writes `theme` as `data-theme` on `<html>`.
fn apply(theme: Theme) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-theme", theme.as_str());
    }
}

/// The theme switch: a toggle button, pressed while the dark theme is on. Until it is used the
/// theme follows the system setting, live; once used, the choice is remembered.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let chosen = RwSignal::new(load_theme());
    let system = RwSignal::new(system_theme());
    let theme = Memo::new(move |_| chosen.get().unwrap_or_else(|| system.get()));
    Effect::new(move |_| apply(theme.get()));

    // Follow changes of the system setting while the page is open.
    if let Some(target) = dark_query().and_then(|q| q.dyn_into::<web_sys::EventTarget>().ok()) {
        let on_change = Closure::<dyn Fn()>::new(move || {
            let _ = system.try_set(system_theme());
        });
        if target
            .add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref())
            .is_ok()
        {
            let listener = StoredValue::new_local((target, on_change));
            on_cleanup(move || {
                listener.try_with_value(|(target, on_change)| {
                    let _ = target.remove_event_listener_with_callback(
                        "change",
                        on_change.as_ref().unchecked_ref(),
                    );
                });
            });
        }
    }

    let toggle = move |_| {
        let next = theme.get_untracked().toggled();
        chosen.set(Some(next));
        // Not being able to remember a theme is no reason to interrupt anyone's work.
        let _ = save_theme(next);
    };
    view! {
        <button
            id="theme-toggle"
            class="button theme-toggle"
            aria-pressed=move || if theme.get() == Theme::Dark { "true" } else { "false" }
            title="Switch between the light and the dark theme"
            on:click=toggle
        >
            <span class="theme-icon" aria-hidden="true">"◐"</span>
            "Dark theme"
        </button>
    }
}
