//! Leptos components. They render state and turn gestures into core actions; no rules live here.
//!
//! Layers inside the ui, each module using only those above it in this list:
//! - the browser edge: `points` (code points ↔ DOM points), `dom` (selections, scrolling,
//!   downloads), `dialogs` (opening and closing modal dialogs), `crash` (the panic message);
//! - state: `notices` (the alert and status line), `paragraphs` (per-paragraph view state),
//!   `snapshot` (what storage holds, as this tab knows it), `state` (the contexts), `paging`;
//! - operations: `editor` (edits, selection), `autosave`, `documents` (open, add, delete,
//!   rename), `sync` (other tabs), `files` (open and download), `team` (a team project's sync
//!   through CouchDB);
//! - components: `relations`, `text`, `notes`, `panel`, `search`, `keyboard`, `guidelines`,
//!   `help`, `theme`, `schema_editor`, `team_dialog`, `toolbar`, `library`, `compare`, `project`
//!   (a team's queue and dashboard), `open_report`;
//! - `app`: the application, which mounts them all.

mod app;
mod autosave;
mod compare;
pub mod crash;
mod dialogs;
mod documents;
mod dom;
mod editor;
mod files;
mod guidelines;
mod help;
mod keyboard;
mod library;
mod notes;
mod notices;
mod open_report;
mod paging;
mod panel;
mod paragraphs;
mod points;
mod project;
mod relations;
mod schema_editor;
mod search;
mod snapshot;
mod state;
mod sync;
mod team;
mod team_dialog;
mod text;
mod theme;
mod toolbar;

pub use app::App;
