//! Spanmark: a browser-only text-annotation tool.
//!
//! Layers, dependencies pointing down only (see ARCHITECTURE.md):
//! - [`core`]: the pure data model, offsets, snapping, edits and layout;
//! - [`formats`]: pure file codecs;
//! - [`storage`]: the localStorage adapter;
//! - [`ui`]: Leptos components.

pub mod core;
pub mod formats;
pub mod storage;
pub mod ui;

pub use ui::App;
