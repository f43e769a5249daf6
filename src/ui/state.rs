//! The app's state, as the few contexts its parts need: the open document with its history
//! ([`OpenDocument`]), what is selected ([`Selection`]) and this tab's session with the library
//! ([`Session`]). The alert and the status line are [`Notices`](super::notices::Notices).
//! Everything on screen is derived from these.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;

use super::dom;
use super::paragraphs::TextView;
use super::snapshot::Autosave;
use spanmark_core::edit::History;
use spanmark_core::layout::{self, paragraph_at, Paragraph};
use spanmark_core::library::Library;
use spanmark_core::{AnnotatedDocument, Document, Schema, SnapMode};
use spanmark_formats::{FormatError, Imported};

/// The document a first visit shows.
pub const DEFAULT_TITLE: &str = "default-article";
pub const DEFAULT_TEXT: &str = include_str!("../../assets/default-article.txt");

/// The document a first visit shows: the default article.
pub fn default_document() -> AnnotatedDocument {
    AnnotatedDocument::new(Document::new(DEFAULT_TITLE, DEFAULT_TEXT))
}

/// The open document, its undo history, and what is derived from its text and schema.
#[derive(Clone, Copy)]
pub struct OpenDocument {
    pub doc: RwSignal<AnnotatedDocument>,
    /// Undo and redo of every edit made through `Editor::dispatch`.
    pub history: RwSignal<History>,
    pub schema: Memo<Schema>,
    pub paragraphs: Memo<Vec<Paragraph>>,
    /// Changes only when another text opens (document id and text length): what depends on
    /// the text alone tracks this rather than every edit.
    pub text_key: Memo<(String, usize)>,
    /// Each paragraph's spans and whether it is rendered (see `paragraphs.rs`).
    pub view: TextView,
}

impl OpenDocument {
    pub fn new(initial: AnnotatedDocument) -> Self {
        let doc = RwSignal::new(initial);
        let schema = Memo::new(move |_| doc.with(|d| d.schema.clone()));
        // A document's text never changes (edits are annotations): its paragraphs are split
        // again only when another document opens, not on every edit.
        let text_key =
            Memo::new(move |_| doc.with(|d| (d.document.id.clone(), d.document.text.len())));
        let paragraphs = Memo::new(move |_| {
            // `.with`, not `.track()`: tracking a memo without reading it does not bring it
            // up to date, so this memo would keep the old paragraphs.
            text_key.with(|_| ());
            doc.with_untracked(|d| layout::paragraphs(&d.document.text))
        });
        OpenDocument {
            doc,
            history: RwSignal::new(History::default()),
            schema,
            paragraphs,
            text_key,
            view: TextView::new(),
        }
    }

    /// The open document's id.
    pub fn id(&self) -> String {
        self.doc.with_untracked(|d| d.document.id.clone())
    }

    /// Scrolls span `id` into view, rendering its paragraph first if it is not yet.
    pub fn scroll_to_span(&self, id: &str) {
        let start = self.doc.with_untracked(|d| d.span(id).map(|s| s.start));
        let index = start.map(|cp| self.paragraphs.with_untracked(|ps| paragraph_at(ps, cp)));
        if index.is_some_and(|i| self.view.reveal(i)) {
            let id = id.to_owned();
            request_animation_frame(move || dom::scroll_to_span(&id));
        } else {
            dom::scroll_to_span(id);
        }
    }
}

/// A link waiting for its relation type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkChoice {
    pub from: String,
    pub to: String,
    /// `(id, name)` of each relation type that fits.
    pub kinds: Vec<(String, String)>,
}

/// What is selected, and how new selections snap.
#[derive(Clone, Copy, Default)]
pub struct Selection {
    /// The selected span, if any.
    pub span: RwSignal<Option<String>>,
    /// The selected relation, if any.
    pub relation: RwSignal<Option<String>>,
    /// While linking: the span the new relation starts from.
    pub linking: RwSignal<Option<String>>,
    /// Several relation types fit a new link: the user picks one.
    pub link_choice: RwSignal<Option<LinkChoice>>,
    pub snap: RwSignal<SnapMode>,
}

impl Selection {
    /// Selects span `id` (or none), and no relation.
    pub fn select_span(&self, id: Option<String>) {
        self.relation.set(None);
        self.span.set(id);
    }

    /// Selects relation `id`, and no span.
    pub fn select_relation(&self, id: String) {
        self.span.set(None);
        self.relation.set(Some(id));
    }

    /// Forgets the selection, the link in progress and the link chooser.
    pub fn clear(&self) {
        self.span.set(None);
        self.relation.set(None);
        self.linking.set(None);
        self.link_choice.set(None);
    }
}

/// Documents other than the open one that this tab has in memory, with their undo history.
/// When storage works they are also stored; when it does not, this is their only copy.
pub type Stash = StoredValue<HashMap<String, (AnnotatedDocument, History)>>;

/// This tab's session: the documents in this browser, what the tab holds of them, and how it
/// stands with storage.
#[derive(Clone, Copy, Default)]
pub struct Session {
    /// The documents in this browser; the open one is the `OpenDocument`.
    pub library: RwSignal<Library>,
    pub stash: Stash,
    /// Ids of documents deleted in this tab: not given to new documents (another tab may
    /// still have one open, and store it again).
    pub deleted: StoredValue<HashSet<String>>,
    /// Whether autosave may write (storage works and nothing unreadable is in the way).
    pub may_save: StoredValue<bool>,
    /// Writing the open document to storage.
    pub autosave: Autosave,
    /// A document refused for want of storage, offered as a download.
    pub refused: RwSignal<Option<AnnotatedDocument>>,
    /// Whether the keyboard shortcut list (`?`) is open.
    pub help_open: RwSignal<bool>,
    /// Files opened whose reading said something (a span trimmed, an item skipped): what was
    /// read, waiting for the user's word in the Open report before it is added.
    pub opening: RwSignal<Option<Opening>>,
    /// Whether files are read strictly (the Open report's checkbox): spans with white space at
    /// an end are refused instead of trimmed.
    pub strict: RwSignal<bool>,
}

/// Files read, shown in the Open report before their documents are added.
#[derive(Clone, Debug)]
pub struct Opening {
    /// The files, as read from the picker or the drop: read again if strictness changes.
    pub files: Vec<(String, Vec<u8>)>,
    /// What reading them gave: the documents and warnings, or each file's error.
    pub outcome: Result<Imported, Vec<(String, FormatError)>>,
}
