//! Spanmark: a browser-only text-annotation tool.
//!
//! Layers, dependencies pointing down only (see ARCHITECTURE.md):
//! - [`core`]: the pure data model, offsets, snapping, edits and layout;
//! - [`formats`]: pure file codecs;
//! - [`storage`]: the localStorage adapter;
//! - [`ui`]: Leptos components.
//!
//! `storage` and `ui` exist only in the browser build (wasm32); the native build (the `spanmark`
//! command-line converter and the host tests) has only the pure layers and none of the browser
//! dependencies (their unit tests also run on the host, under `cargo test`).

pub mod core;
pub mod formats;
#[cfg(any(target_arch = "wasm32", test))]
pub mod storage;
#[cfg(any(target_arch = "wasm32", test))]
pub mod ui;

#[cfg(target_arch = "wasm32")]
pub use ui::App;
