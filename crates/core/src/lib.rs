//! The pure core: the data model, offset conversion, snapping, edits, layout, merging and
//! agreement between annotators.
//!
//! Nothing here touches the browser (`web_sys`, `js_sys`, `leptos`): every rule that can be
//! tested on the host lives here and is tested with `cargo test`.

pub mod agreement;
pub mod edit;
pub mod geometry;
pub mod layout;
pub mod library;
pub mod merge;
pub mod model;
pub mod offsets;
pub mod schema;
pub mod search;
pub mod snap;
pub mod theme;

pub use edit::{Action, EditError, History, NoteTarget, Outcome};
pub use model::{AnnotatedDocument, Document, Relation, Span};
pub use schema::{Guide, GuidePart, Label, RelationType, Schema};
pub use snap::SnapMode;
pub use theme::Theme;
