//! Leptos components. They render state and turn gestures into core actions; no rules live here.

mod autosave;
mod compare;
pub mod crash;
mod dom;
mod files;
mod help;
mod keyboard;
mod library;
mod notes;
mod panel;
mod points;
mod relations;
mod schema_editor;
mod search;
mod sync;
mod text;
mod theme;
mod toolbar;

use leptos::prelude::*;

use crate::storage;
use spanmark_core::edit::History;
use spanmark_core::layout::{self, Paragraph};
use spanmark_core::library::Library;
use spanmark_core::{Action, AnnotatedDocument, Document, EditError, Outcome, Schema, SnapMode};

/// The document a first visit shows.
pub const DEFAULT_TITLE: &str = "default-article";
pub const DEFAULT_TEXT: &str = include_str!("../../assets/default-article.txt");

/// A link waiting for its relation type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkChoice {
    pub from: String,
    pub to: String,
    /// `(id, name)` of each relation type that fits.
    pub kinds: Vec<(String, String)>,
}

/// The editor's state, shared through context. Everything else is derived from it.
#[derive(Clone, Copy)]
pub struct Editor {
    pub doc: RwSignal<AnnotatedDocument>,
    /// Undo and redo of every edit made through `dispatch`.
    pub history: RwSignal<History>,
    /// The selected span, if any.
    pub selected: RwSignal<Option<String>>,
    /// The selected relation, if any.
    pub selected_relation: RwSignal<Option<String>>,
    /// While linking: the span the new relation starts from.
    pub linking: RwSignal<Option<String>>,
    pub snap: RwSignal<SnapMode>,
    /// The current error or warning, shown with `role="alert"`.
    pub alert: RwSignal<Option<String>>,
    /// A short confirmation of the last thing done, shown with `role="status"`.
    pub status: RwSignal<String>,
    /// The documents in this browser; the open one is `doc`.
    pub library: RwSignal<Library>,
    /// Documents other than the open one that this tab holds, with their undo history.
    pub stash: library::Stash,
    /// Ids of documents deleted in this tab: not given to new documents (another tab may
    /// still have one open, and store it again).
    pub deleted: StoredValue<std::collections::HashSet<String>>,
    /// Whether autosave may write (storage works and nothing unreadable is in the way).
    pub may_save: StoredValue<bool>,
    /// Whether the keyboard shortcut list (`?`) is open.
    pub help_open: RwSignal<bool>,
    /// Several relation types fit a new link: the user picks one.
    pub link_choice: RwSignal<Option<LinkChoice>>,
    pub schema: Memo<Schema>,
    pub paragraphs: Memo<Vec<Paragraph>>,
    /// Changes only when another text opens (document id and text length): what depends on
    /// the text alone tracks this rather than every edit.
    pub text_key: Memo<(String, usize)>,
    /// Each paragraph's spans and whether it is rendered (see `text`).
    pub text: text::TextView,
    /// Writing the open document to storage.
    pub autosave: autosave::Autosave,
    /// A document refused for want of storage, offered as a download.
    pub refused: RwSignal<Option<AnnotatedDocument>>,
}

impl Editor {
    fn new(initial: AnnotatedDocument) -> Self {
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
        Editor {
            doc,
            history: RwSignal::new(History::default()),
            selected: RwSignal::new(None),
            selected_relation: RwSignal::new(None),
            linking: RwSignal::new(None),
            snap: RwSignal::new(SnapMode::Words),
            alert: RwSignal::new(None),
            status: RwSignal::new(String::new()),
            library: RwSignal::new(Library::default()),
            stash: StoredValue::new(Default::default()),
            deleted: StoredValue::new(Default::default()),
            may_save: StoredValue::new(false),
            help_open: RwSignal::new(false),
            link_choice: RwSignal::new(None),
            schema,
            paragraphs,
            text_key,
            text: text::TextView::new(),
            autosave: autosave::Autosave::new(),
            refused: RwSignal::new(None),
        }
    }

    /// Applies an edit as one undoable step; a refused edit becomes an alert.
    pub fn dispatch(&self, action: Action) {
        let _ = self.try_dispatch(action);
    }

    /// Applies an edit as one undoable step and says what happened; a refusal is also an alert.
    pub fn try_dispatch(&self, action: Action) -> Result<Outcome, EditError> {
        let refused = match &action {
            Action::AddSpan { .. } => "Not tagged",
            Action::Batch(steps) if steps.iter().all(|a| matches!(a, Action::AddSpan { .. })) => {
                "Not tagged"
            }
            Action::AddRelation { .. } | Action::RestoreRelation { .. } => "Not linked",
            _ => "Not changed",
        };
        let mut result = Err(EditError::UnknownSpan(String::new()));
        self.doc.maybe_update(|d| {
            self.history.update(|h| result = h.apply(d, action));
            matches!(&result, Ok(o) if *o != Outcome::Unchanged)
        });
        match &result {
            Ok(outcome) => self.after(outcome),
            Err(EditError::Duplicate { existing }) => self.selected.set(Some(existing.clone())),
            Err(e) => self.alert.set(Some(format!("{refused}: {e}."))),
        }
        result
    }

    /// Undoes (`true`) or redoes (`false`) one step.
    pub fn step(&self, undo: bool) {
        let mut result = None;
        self.doc.maybe_update(|d| {
            self.history
                .update(|h| result = if undo { h.undo(d) } else { h.redo(d) });
            matches!(result, Some(Ok(_)))
        });
        let word = if undo { "undo" } else { "redo" };
        match result {
            None => self.status.set(format!("Nothing to {word}.")),
            Some(Ok(outcome)) => {
                self.after(&outcome);
                self.status.set(if undo {
                    "Undone.".into()
                } else {
                    "Redone.".into()
                });
            }
            Some(Err(e)) => self.alert.set(Some(format!("Could not {word}: {e}."))),
        }
    }

    /// Selection and messages after a successful edit.
    fn after(&self, outcome: &Outcome) {
        // A failed save stays said until a save succeeds.
        if !self
            .alert
            .with_untracked(|a| a.as_deref().is_some_and(autosave::is_failure))
        {
            self.alert.set(None);
        }
        match outcome {
            Outcome::Added { id } | Outcome::Restored { id } => {
                self.selected.set(Some(id.clone()));
                self.selected_relation.set(None);
            }
            Outcome::RelationAdded { id } | Outcome::RelationRestored { id } => {
                self.selected_relation.set(Some(id.clone()));
                self.selected.set(None);
            }
            Outcome::Removed { span, .. } => {
                self.status
                    .set(format!("Removed \u{201c}{}\u{201d}", short(&span.text)));
            }
            Outcome::RelationRemoved { .. } => self.status.set("Removed the link.".into()),
            _ => {}
        }
        self.drop_stale_selection();
    }

    /// Shows `doc`, another version of the open document (from another tab), as it is; what
    /// was selected stays selected if it still exists. Not an undoable step: the undo history
    /// keeps this tab's own edits.
    pub fn take_document(&self, doc: AnnotatedDocument) {
        self.doc.set(doc);
        self.drop_stale_selection();
    }

    /// Nothing stays selected that no longer exists.
    fn drop_stale_selection(&self) {
        self.doc.with_untracked(|d| {
            if self
                .selected
                .get_untracked()
                .is_some_and(|id| d.span(&id).is_none())
            {
                self.selected.set(None);
            }
            if self
                .selected_relation
                .get_untracked()
                .is_some_and(|id| d.relation(&id).is_none())
            {
                self.selected_relation.set(None);
            }
            if self
                .linking
                .get_untracked()
                .is_some_and(|id| d.span(&id).is_none())
            {
                self.linking.set(None);
            }
            let stale_choice = self.link_choice.with_untracked(|c| {
                c.as_ref()
                    .is_some_and(|c| d.span(&c.from).is_none() || d.span(&c.to).is_none())
            });
            if stale_choice {
                self.link_choice.set(None);
            }
        });
    }

    /// Applies label `label` to the text selection if there is one, otherwise to the selected span.
    pub fn apply_label(&self, label: String) {
        let selection = dom::selected_range();
        if let Some((start, end)) = selection {
            let snapped = self.doc.with_untracked(|d| {
                spanmark_core::snap::snap(&d.document.text, start, end, self.snap.get_untracked())
            });
            dom::clear_selection();
            if let Some((start, end)) = snapped {
                self.dispatch(Action::AddSpan { start, end, label });
            }
        } else if let Some(id) = self.selected.get_untracked() {
            self.dispatch(Action::Relabel { id, label });
        } else {
            self.status
                .set("Select some text first, then choose a label.".into());
        }
    }

    /// Starts a link from the selected span; the next span picked is its target.
    pub fn start_linking(&self) {
        let Some(from) = self.selected.get_untracked() else {
            self.status.set("Select a span first, then link it.".into());
            return;
        };
        let text = self
            .doc
            .with_untracked(|d| d.span(&from).map(|s| short(&s.text)).unwrap_or_default());
        self.linking.set(Some(from));
        self.status.set(format!(
            "Linking from \u{201c}{text}\u{201d}: click the target span, or Tab to it and press Enter. Esc cancels."
        ));
    }

    /// Links the span being linked to `target`, asking for the type when several fit.
    pub fn finish_linking(&self, target: &str) {
        let Some(from) = self.linking.get_untracked() else {
            return;
        };
        self.linking.set(None);
        let (kinds, labels) = self.doc.with_untracked(|d| {
            let kinds: Vec<(String, String)> = d
                .relation_types_between(&from, target)
                .into_iter()
                .map(|r| (r.id.clone(), r.name.clone()))
                .collect();
            let name = |id: &str| {
                d.span(id)
                    .and_then(|s| d.schema.label(&s.label))
                    .map_or_else(|| id.to_owned(), |l| l.name.clone())
            };
            (kinds, (name(&from), name(target)))
        });
        match kinds.as_slice() {
            [] if from == target => self.alert.set(Some(
                "Not linked: a span cannot be linked to itself.".into(),
            )),
            [] => self.alert.set(Some(format!(
                "Not linked: no relation type of the schema goes from {} to {}.",
                labels.0, labels.1
            ))),
            [(kind, _)] => self.link(kind.clone(), from, target.to_owned()),
            _ => self.link_choice.set(Some(LinkChoice {
                from,
                to: target.to_owned(),
                kinds,
            })),
        }
    }

    /// Adds a relation of type `kind`.
    pub fn link(&self, kind: String, from: String, to: String) {
        self.link_choice.set(None);
        if self
            .try_dispatch(Action::AddRelation { kind, from, to })
            .is_ok()
        {
            self.status
                .set("Linked. Delete removes the selected link; Ctrl+Z undoes.".into());
        }
    }

    /// Scrolls span `id` into view, rendering its paragraph first if it is not yet.
    pub fn scroll_to_span(&self, id: &str) {
        let start = self.doc.with_untracked(|d| d.span(id).map(|s| s.start));
        let index = start.map(|cp| {
            self.paragraphs
                .with_untracked(|ps| text::paragraph_at(ps, cp))
        });
        if index.is_some_and(|i| self.text.reveal(i)) {
            let id = id.to_owned();
            request_animation_frame(move || dom::scroll_to_span(&id));
        } else {
            dom::scroll_to_span(id);
        }
    }

    /// Forgets the selection, the link in progress and the link chooser (another document opens).
    pub fn clear_selection_state(&self) {
        self.selected.set(None);
        self.selected_relation.set(None);
        self.linking.set(None);
        self.link_choice.set(None);
        dom::clear_selection();
    }
}

/// The first `n` characters of `s`, with an ellipsis when cut.
pub fn short(s: &str) -> String {
    const N: usize = 60;
    let flat: String = s
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    match flat.char_indices().nth(N) {
        Some((b, _)) => format!("{}…", &flat[..b]),
        None => flat,
    }
}

/// The document a first visit shows: the default article.
pub fn default_document() -> AnnotatedDocument {
    AnnotatedDocument::new(Document::new(DEFAULT_TITLE, DEFAULT_TEXT))
}

/// Reads the library from storage into the editor; the default article when it is empty.
fn startup(editor: Editor) {
    match storage::open_library() {
        Ok(opened) => {
            if !opened.warnings.is_empty() {
                editor
                    .alert
                    .set(Some(format!("Warning: {}.", opened.warnings.join("; "))));
            }
            editor.library.set(opened.library);
            editor.may_save.set_value(true);
            match opened.current {
                Some(doc) => editor.doc.set(doc),
                None => library::add_documents(editor, vec![default_document()]),
            }
        }
        Err(e) => {
            editor.alert.set(Some(format!(
                "Warning: {e}. Your work stays in this tab only; use Download to keep it."
            )));
            let mut doc = default_document();
            editor.library.update(|l| {
                l.add(&mut doc, 0);
                l.current = Some(doc.document.id.clone());
            });
            editor.doc.set(doc);
        }
    }
}

/// The whole application: toolbar, documents, the open document and its span panel, with autosave.
#[component]
pub fn App() -> impl IntoView {
    let editor = Editor::new(default_document());
    crash::install(move || rescue(editor));
    startup(editor);
    provide_context(editor);

    autosave::start(editor);
    sync::start(editor);

    let keys = window_event_listener(leptos::ev::keydown, move |ev| dom::on_key(editor, &ev));
    let drag = window_event_listener(leptos::ev::dragover, |ev| ev.prevent_default());
    let drop = window_event_listener(leptos::ev::drop, move |ev| {
        ev.prevent_default();
        if let Some(files) = ev.data_transfer().and_then(|d| d.files()) {
            files::open_files(editor, files);
        }
    });
    on_cleanup(move || {
        keys.remove();
        drag.remove();
        drop.remove();
    });

    view! {
        <div class="app">
            <toolbar::Toolbar/>
            <Notices/>
            <relations::LinkBar/>
            <main class="workspace">
                <library::LibraryPanel/>
                <text::DocumentView/>
                <panel::SpanPanel/>
            </main>
            <keyboard::Caret/>
        </div>
        <help::HelpDialog/>
    }
}

/// After a panic: writes the open document if a change waits, and says whether storage holds it.
fn rescue(editor: Editor) -> crash::Rescue {
    editor.autosave.flush(editor);
    match editor.autosave.state.get_untracked() {
        autosave::SaveState::Saved => crash::Rescue::Saved,
        _ => crash::Rescue::NotSaved,
    }
}

/// Downloads, as a Spanmark file, the document that storage refused, or else the open one.
fn download_rescued(editor: Editor) {
    let native = spanmark_formats::Format::Native;
    match editor.refused.get_untracked() {
        Some(doc) => files::download_document(editor, &doc, native),
        None => files::download_current(editor, native),
    }
}

/// The alert (errors, warnings) and status lines. When work could not be saved, the alert
/// offers it as a download.
#[component]
fn Notices() -> impl IntoView {
    let editor = expect_context::<Editor>();
    // While a failed save is said (through later edits too), its work can be downloaded.
    let rescue = move || {
        editor.refused.with(Option::is_some)
            || editor.autosave.state.get() == autosave::SaveState::Failed
            || editor
                .alert
                .with(|a| a.as_deref().is_some_and(autosave::is_failure))
    };
    view! {
        <Show when=move || editor.alert.with(Option::is_some)>
            <div class="alert" role="alert">
                <span>{move || editor.alert.get().unwrap_or_default()}</span>
                <Show when=rescue>
                    <button class="rescue" on:click=move |_| download_rescued(editor)>"Download it"</button>
                </Show>
                <button class="dismiss" on:click=move |_| {
                    editor.alert.set(None);
                    editor.refused.set(None);
                }>"Dismiss"</button>
            </div>
        </Show>
        <section class="status-line" aria-label="Status">
            <div class="status" role="status">{move || editor.status.get()}</div>
            <autosave::SaveIndicator/>
        </section>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn editor() -> Editor {
        Owner::new().set();
        Editor::new(AnnotatedDocument::new(Document::new(
            "t",
            "Lavrov said so.\nKerry denied it.",
        )))
    }

    #[test]
    fn an_added_span_is_selected_and_reaches_only_its_paragraph() {
        let e = editor();
        e.dispatch(Action::AddSpan {
            start: 16,
            end: 21,
            label: "actor".into(),
        });
        assert_eq!(e.selected.get_untracked().as_deref(), Some("s1"));
        let by = e.paragraphs.with_untracked(|ps| {
            e.doc
                .with_untracked(|d| layout::spans_by_paragraph(ps, d.spans()))
        });
        assert_eq!((by[0].len(), by[1].len()), (0, 1));
    }

    #[test]
    fn a_refused_edit_raises_an_alert_and_changes_nothing() {
        let e = editor();
        let before = e.doc.get_untracked();
        e.dispatch(Action::AddSpan {
            start: 0,
            end: 7,
            label: "actor".into(),
        });
        assert!(e
            .alert
            .get_untracked()
            .is_some_and(|a| a.contains("white space")));
        assert_eq!(e.doc.get_untracked(), before);
    }

    #[test]
    fn a_failed_save_stays_said_through_later_edits() {
        let e = editor();
        let failed = "Not saved: the browser's storage is full. Your work stays in this tab.";
        e.alert.set(Some(failed.into()));
        e.dispatch(Action::AddSpan {
            start: 0,
            end: 6,
            label: "actor".into(),
        });
        assert_eq!(e.alert.get_untracked().as_deref(), Some(failed));
        // Any other alert goes once an edit succeeds.
        e.alert
            .set(Some("Not tagged: this text already has that label.".into()));
        e.dispatch(Action::AddSpan {
            start: 16,
            end: 21,
            label: "actor".into(),
        });
        assert_eq!(e.alert.get_untracked(), None);
    }

    #[test]
    fn removing_the_selected_span_deselects_it() {
        let e = editor();
        e.dispatch(Action::AddSpan {
            start: 0,
            end: 6,
            label: "actor".into(),
        });
        e.dispatch(Action::RemoveSpan { id: "s1".into() });
        assert_eq!(e.selected.get_untracked(), None);
        assert!(e.doc.with_untracked(|d| d.spans().is_empty()));
        assert!(e.status.get_untracked().contains("Lavrov"));
    }

    #[test]
    fn another_document_brings_its_own_paragraphs() {
        let e = editor();
        assert_eq!(e.paragraphs.get_untracked().len(), 2);
        e.doc.set(AnnotatedDocument::new(Document::new(
            "u",
            "one\ntwo\nthree",
        )));
        let texts: Vec<String> = e
            .paragraphs
            .get_untracked()
            .into_iter()
            .map(|p| p.text)
            .collect();
        assert_eq!(texts, ["one\n", "two\n", "three"]);
    }

    #[test]
    fn panel_text_is_shortened_on_one_line() {
        assert_eq!(short("a\r\nb"), "a  b");
        assert_eq!(short(&"x".repeat(61)).chars().count(), 61);
        assert!(short(&"x".repeat(61)).ends_with('…'));
    }
}
