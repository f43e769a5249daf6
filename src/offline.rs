//! Offline use and installing: registers the service worker (`assets/sw.js`, copied into the
//! release by Trunk), which caches the release on the first visit and serves it without the
//! network, and hears from it when a new release has been cached (the page then offers to
//! reload; it never reloads by itself).
//!
//! Only in release builds: a debug build under `trunk serve` changes with every edit of the
//! code, and a cached copy would only get in the way (README: try it with
//! `trunk serve --release`).

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{spawn_local, JsFuture};

/// Registers the service worker; `on_update` runs when a release newer than the one running is
/// cached and ready.
pub fn start(on_update: impl Fn() + 'static) {
    if cfg!(debug_assertions) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let kind = js_sys::Reflect::get(&ev.data(), &JsValue::from_str("type"))
                .ok()
                .and_then(|v| v.as_string());
            if kind.as_deref() == Some("update-ready") {
                on_update();
            }
        });
    let _ =
        container.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    on_message.forget();
    let registered = container.register("/sw.js");
    spawn_local(async move {
        // A browser without service workers (or storage off) works online as before.
        if JsFuture::from(registered).await.is_err() {
            return;
        }
        // Asks the active worker whether a newer release waits (it may have been cached while
        // this page loaded).
        let Ok(ready) = container.ready() else {
            return;
        };
        let Ok(registration) = JsFuture::from(ready).await else {
            return;
        };
        let registration: web_sys::ServiceWorkerRegistration = registration.unchecked_into();
        if let Some(worker) = registration.active() {
            let check = js_sys::Object::new();
            let _ = js_sys::Reflect::set(
                &check,
                &JsValue::from_str("type"),
                &JsValue::from_str("check"),
            );
            let _ = worker.post_message(&check);
        }
    });
}
