//! Spanmark: a browser-only text-annotation tool (the web app, built by Trunk).
//!
//! Layers, dependencies pointing down only (see ARCHITECTURE.md):
//! - `spanmark_core` (crates/core): the pure data model, offsets, snapping, edits and layout;
//! - `spanmark_formats` (crates/formats): pure file codecs;
//! - [`storage`]: the localStorage adapter; [`couch`]: the team server's HTTP API;
//!   [`offline`]: the service worker that keeps the app working without the network;
//!   [`codecs`]: the worker that holds every file format but Spanmark's own;
//! - [`ui`]: Leptos components.

pub mod codecs;
pub mod couch;
pub mod offline;
pub mod storage;
pub mod ui;

pub use ui::App;
