//! The schema editor: a modal dialog to add, rename, recolour, re-key and remove labels and
//! relation types.
//!
//! Every change is one `Action::SetSchema` through `Editor::try_dispatch`, so it is undoable and
//! saved at once. Removing a label or relation type that is in use (or no longer allowing a
//! label at an end of a relation type that links it) asks first, then removes what uses it and
//! the schema entry together as one `Action::Batch` (see `core::edit::plan_change`). Label
//! buttons, chips and the span panel derive from the schema and follow by themselves.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::dialogs;
use super::editor::Editor;
use spanmark_core::edit::plan_change;
use spanmark_core::schema::{End, SchemaError, KEYS, MAX_GUIDE, MAX_NAME};
use spanmark_core::{AnnotatedDocument, Guide, GuidePart, Schema};

/// A removal that takes spans or links with it, waiting for the user's say. It is planned
/// again from the current state when confirmed.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Removal {
    Label(String),
    RelationType(String),
    /// No longer allowing `label` at `end` of relation type `kind`.
    End {
        kind: String,
        end: End,
        label: String,
    },
}

impl Removal {
    /// The schema after this removal.
    fn apply(&self, schema: &Schema) -> Result<Schema, SchemaError> {
        match self {
            Removal::Label(id) => schema.without_label(id),
            Removal::RelationType(id) => schema.without_relation_type(id),
            Removal::End { kind, end, label } => schema.with_relation_end(kind, *end, label, false),
        }
    }

    /// A CSS selector for the control that asked for this removal (focus returns to it).
    fn trigger(&self) -> String {
        match self {
            Removal::Label(id) => format!("dialog tr[data-label={}] button.remove", css_string(id)),
            Removal::RelationType(id) => {
                format!("dialog tr[data-kind={}] button.remove", css_string(id))
            }
            Removal::End { kind, end, label } => format!(
                "dialog tr[data-kind={}] .ends[data-end={}] label[data-label={}] input",
                css_string(kind),
                if *end == End::From { "from" } else { "to" },
                css_string(label)
            ),
        }
    }

    /// The question asked before removing what uses it, given `doc` and the planned change.
    fn question(&self, doc: &AnnotatedDocument, spans: usize, links: usize) -> String {
        let label_name = |id: &str| {
            doc.schema
                .label(id)
                .map_or_else(|| id.to_owned(), |l| l.name.clone())
        };
        let kind_name = |id: &str| {
            doc.schema
                .relation_type(id)
                .map_or_else(|| id.to_owned(), |r| r.name.clone())
        };
        match self {
            Removal::Label(id) => {
                let also = if links > 0 {
                    format!(" Their {} go as well.", count(links, "link"))
                } else {
                    String::new()
                };
                format!(
                    "{} {} {}; remove {} too?{also}",
                    count(spans, "span"),
                    if spans == 1 { "uses" } else { "use" },
                    label_name(id),
                    if spans == 1 { "it" } else { "them" }
                )
            }
            Removal::RelationType(id) => format!(
                "{} {} \u{201c}{}\u{201d}; remove {} too?",
                count(links, "link"),
                if links == 1 { "uses" } else { "use" },
                kind_name(id),
                if links == 1 { "it" } else { "them" }
            ),
            Removal::End { kind, end, label } => format!(
                "{} of \u{201c}{}\u{201d} {} {} {}; remove {} too?",
                count(links, "link"),
                kind_name(kind),
                if links == 1 { "goes" } else { "go" },
                if *end == End::From { "from" } else { "to" },
                with_article(&label_name(label)),
                if links == 1 { "it" } else { "them" }
            ),
        }
    }
}

/// `s` as a quoted CSS string.
fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            // Line breaks and other controls as hex escapes.
            c if c.is_control() => out.push_str(&format!("\\{:x} ", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Once the page has been updated, focuses the first element that matches one of `selectors`.
fn focus_first(selectors: &[&str]) {
    let selectors: Vec<String> = selectors.iter().map(|s| (*s).to_owned()).collect();
    set_timeout(
        move || {
            let Some(document) = web_sys::window().and_then(|w| w.document()) else {
                return;
            };
            for selector in &selectors {
                let found = document.query_selector(selector).ok().flatten();
                if let Some(el) = found.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let _ = el.focus();
                    return;
                }
            }
        },
        std::time::Duration::ZERO,
    );
}

/// "1 span", "3 spans".
fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// "a Claim", "an Actor".
fn with_article(name: &str) -> String {
    let vowel = name
        .chars()
        .next()
        .is_some_and(|c| "AEIOUaeiou".contains(c));
    format!("{} {name}", if vowel { "an" } else { "a" })
}

/// What the dialog says about the last change: `error` messages are alerts.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Notice {
    error: bool,
    text: String,
}

/// The dialog's state, shared by its parts through context.
#[derive(Clone, Copy)]
struct SchemaEdit {
    editor: Editor,
    notice: RwSignal<Option<Notice>>,
    pending: RwSignal<Option<Removal>>,
}

impl SchemaEdit {
    /// Shows `text` as the status of the last change.
    fn say(&self, text: impl Into<String>) {
        self.notice.set(Some(Notice {
            error: false,
            text: text.into(),
        }));
    }

    /// Shows `text` as an alert: the last change was refused.
    fn refuse(&self, text: impl Into<String>) {
        self.notice.set(Some(Notice {
            error: true,
            text: text.into(),
        }));
    }

    /// Applies `edit` to the current schema as one undoable step, saying `done` when it worked.
    /// An edit that would take spans or links with it is refused: those go through `remove`,
    /// which asks first.
    fn change(&self, edit: Result<Schema, SchemaError>, done: impl Into<String>) -> bool {
        let schema = match edit {
            Ok(schema) => schema,
            Err(e) => {
                self.refuse(format!("Not changed: {e}."));
                return false;
            }
        };
        if self.editor.open.schema.with_untracked(|s| *s == schema) {
            return true;
        }
        let change = self
            .editor
            .open
            .doc
            .with_untracked(|d| plan_change(d, schema));
        if !change.spans.is_empty() || !change.relations.is_empty() {
            self.refuse("Not changed: that would remove spans or links; use Remove.");
            return false;
        }
        self.dispatch(change.action, done)
    }

    /// Adds an item to the schema: `added` makes the schema with it and gives the item's id;
    /// `done(schema, id)` says what was added. `true` when it was.
    fn add(
        &self,
        added: impl FnOnce(&Schema) -> Result<(Schema, String), SchemaError>,
        done: impl FnOnce(&Schema, &str) -> String,
    ) -> bool {
        match self.editor.open.schema.with_untracked(added) {
            Ok((schema, id)) => {
                let done = done(&schema, &id);
                self.change(Ok(schema), done)
            }
            Err(e) => {
                self.refuse(format!("Not added: {e}."));
                false
            }
        }
    }

    /// Dispatches `action` as one undoable step and says how it went, here in the dialog.
    fn dispatch(&self, action: spanmark_core::Action, done: impl Into<String>) -> bool {
        match self.editor.try_dispatch(action) {
            Ok(_) => {
                self.editor.notices.alert.set(None);
                self.say(done);
                true
            }
            Err(e) => {
                // The editor's own alert sits behind the dialog; say it here.
                self.editor.notices.alert.set(None);
                self.refuse(format!("Not changed: {e}."));
                false
            }
        }
    }

    /// Removes at once what nothing uses, or asks first when spans or links would go too.
    fn remove(&self, removal: Removal, done: String) {
        let edit = self.editor.open.schema.with_untracked(|s| removal.apply(s));
        let schema = match edit {
            Ok(schema) => schema,
            Err(e) => return self.refuse(format!("Not changed: {e}.")),
        };
        let (spans, links) = self.editor.open.doc.with_untracked(|d| {
            let c = plan_change(d, schema.clone());
            (c.spans.len(), c.relations.len())
        });
        if spans == 0 && links == 0 {
            self.pending.set(None);
            self.change(Ok(schema), done);
        } else {
            self.notice.set(None);
            self.pending.set(Some(removal));
        }
    }

    /// Drops the pending question; focus goes back to what asked it.
    fn cancel(&self) {
        if let Some(removal) = self.pending.get_untracked() {
            self.pending.set(None);
            focus_first(&[&removal.trigger(), "#schema-close"]);
        }
    }

    /// Carries out the pending removal, planned again from the current state. Focus goes back
    /// to what asked for it if it is still there, otherwise to Undo.
    fn confirm(&self) {
        let Some(removal) = self.pending.get_untracked() else {
            return;
        };
        self.pending.set(None);
        focus_first(&[&removal.trigger(), "#schema-undo", "#schema-close"]);
        let what = self
            .editor
            .open
            .schema
            .with_untracked(|s| describe(&removal, s));
        let planned = self
            .editor
            .open
            .doc
            .with_untracked(|d| removal.apply(&d.schema).map(|s| plan_change(d, s)));
        match planned {
            Ok(change) => {
                let took = match (change.spans.len(), change.relations.len()) {
                    (0, links) => count(links, "link"),
                    (spans, 0) => count(spans, "span"),
                    (spans, links) => {
                        format!("{} and {}", count(spans, "span"), count(links, "link"))
                    }
                };
                self.dispatch(
                    change.action,
                    format!("{what} and {took}. Undo brings them back."),
                );
            }
            Err(e) => self.refuse(format!("Not changed: {e}.")),
        }
    }
}

/// "Removed the label Actor" and the like, for the status after a removal.
fn describe(removal: &Removal, schema: &Schema) -> String {
    match removal {
        Removal::Label(id) => format!(
            "Removed the label {}",
            schema.label(id).map_or(id.as_str(), |l| l.name.as_str())
        ),
        Removal::RelationType(id) => format!(
            "Removed the relation type \u{201c}{}\u{201d}",
            schema
                .relation_type(id)
                .map_or(id.as_str(), |r| r.name.as_str())
        ),
        Removal::End { kind, end, label } => format!(
            "\u{201c}{}\u{201d} no longer {} {}",
            schema
                .relation_type(kind)
                .map_or(kind.as_str(), |r| r.name.as_str()),
            if *end == End::From {
                "starts at"
            } else {
                "ends at"
            },
            schema
                .label(label)
                .map_or(label.as_str(), |l| l.name.as_str())
        ),
    }
}

/// Puts `value` back into the text field an event came from (after a refused edit).
fn reset_field(ev: &leptos::ev::Event, value: &str) {
    let target = ev.target();
    if let Some(input) = target
        .clone()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        input.set_value(value);
    } else if let Some(area) =
        target.and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    {
        area.set_value(value);
    }
}

/// The row under a label's or relation type's: its guideline (what it is, what it is not, an
/// example), folded until opened (open from the start when there is one); `set` makes the
/// schema with one part changed, saved when its field changes.
fn guide_row(
    edit: SchemaEdit,
    name: impl Fn() -> String + Copy + Send + Sync + 'static,
    guide: impl Fn() -> Guide + Copy + Send + Sync + 'static,
    set: impl Fn(&Schema, GuidePart, &str) -> Result<Schema, SchemaError> + Clone + 'static,
) -> impl IntoView {
    let field = move |part: GuidePart, title: &'static str, class: &'static str| {
        let set = set.clone();
        let on_change = move |ev: leptos::ev::Event| {
            let text = event_target_value(&ev);
            let result = edit
                .editor
                .open
                .schema
                .with_untracked(|s| set(s, part, &text));
            if !edit.change(result, format!("Saved the guideline of {}.", name())) {
                reset_field(&ev, guide().part(part));
            }
        };
        view! {
            <label class="guide-field">
                <span class="guide-field-name">{title}</span>
                <textarea
                    class=class
                    rows="2"
                    maxlength=MAX_GUIDE.to_string()
                    aria-label=move || format!("{title} ({})", name())
                    prop:value=move || guide().part(part).to_owned()
                    on:change=on_change
                ></textarea>
            </label>
        }
    };
    let open_at_first = !guide().is_empty();
    view! {
        <tr class="guide-row">
            <td colspan="5">
                <details class="guide-edit" open=open_at_first>
                    <summary>
                        {move || format!("Guideline of {}", name())}
                        {move || guide().is_empty().then_some(" (none yet)")}
                    </summary>
                    <div class="guide-fields">
                        {field(GuidePart::Is, "What it is", "guide-is")}
                        {field(GuidePart::IsNot, "What it is not", "guide-is-not")}
                        {field(GuidePart::Example, "Example", "guide-example")}
                    </div>
                </details>
            </td>
        </tr>
    }
}

/// The "Schema" toolbar button and the modal dialog it opens.
#[component]
pub fn SchemaButton() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let open = RwSignal::new(false);
    let edit = SchemaEdit {
        editor,
        notice: RwSignal::new(None),
        pending: RwSignal::new(None),
    };
    let dialog = NodeRef::<html::Dialog>::new();
    dialogs::modal_while(dialog, open);
    let close = move || {
        open.set(false);
        edit.pending.set(None);
        edit.notice.set(None);
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        // Escape first drops a pending question, then closes.
        dialogs::dialog_keys(&ev, || {
            if edit.pending.with_untracked(Option::is_some) {
                edit.cancel();
            } else {
                close();
            }
        })
    };
    view! {
        {dialogs::dialog_button("schema-open", "Schema", None, open)}
        <dialog
            node_ref=dialog
            class="schema-dialog"
            role="dialog"
            aria-modal="true"
            aria-labelledby="schema-title"
            on:keydown=on_key
            on:close=move |_| close()
        >
            <Show when=move || open.get()>
                <SchemaForm edit close=move || close()/>
            </Show>
        </dialog>
    }
}

/// The dialog's content: notices, the pending question, the label and relation type tables.
#[component]
fn SchemaForm(edit: SchemaEdit, close: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    let editor = edit.editor;
    provide_context(edit);
    let label_ids = move || {
        editor
            .open
            .schema
            .with(|s| s.labels.iter().map(|l| l.id.clone()).collect::<Vec<_>>())
    };
    let kind_ids = move || {
        editor.open.schema.with(|s| {
            s.relation_types
                .iter()
                .map(|r| r.id.clone())
                .collect::<Vec<_>>()
        })
    };
    let add_label = move |name: String| {
        edit.add(
            |s| s.with_label_added(&name),
            |schema, id| {
                schema.label(id).map_or_else(String::new, |l| match &l.key {
                    Some(k) => format!("Added the label {} on key {k}.", l.name),
                    None => format!("Added the label {} (no key is free).", l.name),
                })
            },
        )
    };
    let add_kind = move |name: String| {
        edit.add(
            |s| s.with_relation_type_added(&name),
            |schema, id| {
                let name = schema
                    .relation_type(id)
                    .map(|r| r.name.clone())
                    .unwrap_or_default();
                format!("Added the relation type \u{201c}{name}\u{201d}; tick the labels it links.")
            },
        )
    };
    let can_undo = move || editor.open.history.with(|h| h.can_undo());
    let close_button = close.clone();
    view! {
        <div class="schema-head">
            <h2 id="schema-title">"Schema"</h2>
            <button id="schema-close" class="button" on:click=move |_| close_button()>"Close"</button>
        </div>
        <p class="schema-note">
            "Changes apply at once and are saved with the document; Undo takes them back."
        </p>
        <div class="schema-body">
            {schema_section("label", "label", ["Colour", "Key", "Spans"], add_label, view! {
                <For each=label_ids key=|id| id.clone() let:id>
                    <LabelRow id/>
                </For>
            })}
            {schema_section("kind", "relation type", ["From", "To", "Links"], add_kind, view! {
                <For each=kind_ids key=|id| id.clone() let:id>
                    <KindRow id/>
                </For>
            })}
        </div>

        // Below the scrolling tables, so that answers and questions are always in view.
        <Pending/>
        <div class="schema-foot">
            <div class="schema-messages">
                <div class="schema-notice" role="status">
                    {move || edit.notice.get().filter(|n| !n.error).map(|n| n.text)}
                </div>
                <div class="schema-error" role="alert">
                    {move || edit.notice.get().filter(|n| n.error).map(|n| n.text)}
                </div>
            </div>
            <button
                id="schema-undo"
                class="button"
                prop:disabled=move || !can_undo()
                on:click=move |_| {
                    edit.pending.set(None);
                    editor.step(true);
                    edit.say(editor.notices.status.get_untracked());
                }
            >
                "Undo"
            </button>
            <button class="button primary" on:click=move |_| close()>"Done"</button>
        </div>
    }
}

/// The question asked before a removal that takes spans or links with it.
#[component]
fn Pending() -> impl IntoView {
    let edit = expect_context::<SchemaEdit>();
    let editor = edit.editor;
    let question = move || {
        let removal = edit.pending.get()?;
        editor.open.doc.with(|d| {
            let change = removal.apply(&d.schema).ok().map(|s| plan_change(d, s))?;
            Some(removal.question(d, change.spans.len(), change.relations.len()))
        })
    };
    let cancel = NodeRef::<html::Button>::new();
    // The question takes the focus, on its safe answer.
    Effect::new(move |_| {
        if edit.pending.with(Option::is_some) {
            if let Some(b) = cancel.get() {
                let _ = b.focus();
            }
        }
    });
    view! {
        <Show when=move || edit.pending.with(Option::is_some)>
            <div class="schema-confirm" role="group" aria-labelledby="schema-question">
                <p id="schema-question">{question}</p>
                <div class="confirm-actions">
                    <button id="schema-confirm-remove" class="button danger" on:click=move |_| edit.confirm()>
                        "Remove"
                    </button>
                    <button id="schema-confirm-cancel" class="button" node_ref=cancel on:click=move |_| edit.cancel()>
                        "Cancel"
                    </button>
                </div>
            </div>
        </Show>
    }
}

/// One part of the schema, labels (`part` "label") or relation types ("kind"): a table of its
/// `rows` under the headings Name, `columns` and Remove, and a form that adds one
/// (`add` gets the name typed; the field is cleared when it says the item was added).
fn schema_section(
    part: &'static str,
    noun: &'static str,
    columns: [&'static str; 3],
    add: impl Fn(String) -> bool + 'static,
    rows: impl IntoView,
) -> impl IntoView {
    let field = NodeRef::<html::Input>::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(input) = field.get_untracked() {
            if add(input.value()) {
                input.set_value("");
            }
        }
    };
    let [first, second, count] = columns;
    let title = format!("schema-{part}s-title");
    let heading = title.clone();
    view! {
        <section class="schema-section" aria-labelledby=title>
            <h3 id=heading>{if part == "label" { "Labels" } else { "Relation types" }}</h3>
            <table class=format!("schema-table {part}s-table")>
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">{first}</th>
                        <th scope="col">{second}</th>
                        <th scope="col" class="num">{count}</th>
                        <th scope="col"><span class="visually-hidden">"Remove"</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <form class="schema-add" on:submit=on_submit>
                <input
                    type="text"
                    id=format!("new-{part}-name")
                    node_ref=field
                    aria-label=format!("New {noun} name")
                    placeholder=format!("New {noun} name")
                    maxlength=MAX_NAME.to_string()
                    autocomplete="off"
                />
                <button type="submit" id=format!("add-{part}") class="button">{format!("Add {noun}")}</button>
            </form>
        </section>
    }
}

/// The field that renames a label or relation type (`what`): `renamed` makes the schema with
/// the new name, `done(old, new)` says it; the old name comes back when the schema refuses.
fn name_field(
    edit: SchemaEdit,
    what: &'static str,
    name: impl Fn() -> String + Copy + Send + Sync + 'static,
    renamed: impl Fn(&Schema, &str) -> Result<Schema, SchemaError> + 'static,
    done: impl Fn(&str, &str) -> String + 'static,
) -> impl IntoView {
    let on_change = move |ev: leptos::ev::Event| {
        let old = name();
        let new = event_target_value(&ev);
        let result = edit.editor.open.schema.with_untracked(|s| renamed(s, &new));
        if !edit.change(result, done(&old, new.trim())) {
            reset_field(&ev, &old);
        }
    };
    let class = if what == "label" {
        "label-name"
    } else {
        "kind-name"
    };
    view! {
        <input
            type="text"
            class=class
            aria-label=move || format!("Name of the {what} {}", name())
            maxlength=MAX_NAME.to_string()
            autocomplete="off"
            prop:value=name
            on:change=on_change
        />
    }
}

/// A row's last cells: how many spans or links use its label or relation type, and Remove,
/// which takes it out of the schema (`removal`), saying `done()`.
fn uses_and_remove(
    edit: SchemaEdit,
    uses: Memo<usize>,
    name: impl Fn() -> String + Copy + Send + Sync + 'static,
    removal: Removal,
    done: impl Fn() -> String + 'static,
) -> impl IntoView {
    let remove = move |_| edit.remove(removal.clone(), done());
    view! {
        <td class="num uses">{move || uses.get()}</td>
        <td>
            <button class="button remove" aria-label=move || format!("Remove {}", name()) on:click=remove>
                "Remove"
            </button>
        </td>
    }
}

/// A row's state: the dialog's, the label or relation type `id` as `find` finds it in the
/// schema, and how many of the document's spans or links use it (`count`).
fn row_state<T: Clone + PartialEq + Send + Sync + 'static>(
    id: &str,
    find: for<'a> fn(&'a Schema, &str) -> Option<&'a T>,
    count: fn(&AnnotatedDocument, &str) -> usize,
) -> (SchemaEdit, Memo<Option<T>>, Memo<usize>) {
    let edit = expect_context::<SchemaEdit>();
    let open = edit.editor.open;
    let (found, used) = (id.to_owned(), id.to_owned());
    let item = Memo::new(move |_| open.schema.with(|s| find(s, &found).cloned()));
    let uses = Memo::new(move |_| open.doc.with(|d| count(d, &used)));
    (edit, item, uses)
}

/// One label: its name, colour, key, how many spans use it, and Remove.
#[component]
fn LabelRow(id: String) -> impl IntoView {
    let (edit, label, uses) = row_state(&id, Schema::label, |d, id| {
        d.spans().iter().filter(|s| s.label == id).count()
    });
    let editor = edit.editor;
    let name = move || label.with(|l| l.as_ref().map(|l| l.name.clone()).unwrap_or_default());
    let colour = move || label.with(|l| l.as_ref().map(|l| l.colour.clone()).unwrap_or_default());
    let key = move || label.with(|l| l.as_ref().and_then(|l| l.key.clone()));

    let rename = {
        let id = id.clone();
        move |s: &Schema, new: &str| s.with_label_renamed(&id, new)
    };
    let recolour = {
        let id = id.clone();
        move |ev: leptos::ev::Event| {
            let result = editor
                .open
                .schema
                .with_untracked(|s| s.with_label_colour(&id, &event_target_value(&ev)));
            edit.change(result, format!("Recoloured {}.", name()));
        }
    };
    let rekey = {
        let id = id.clone();
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            let new_key = (!value.is_empty()).then_some(value);
            let (result, holder) = editor.open.schema.with_untracked(|s| {
                let holder = new_key
                    .as_deref()
                    .and_then(|k| s.label_for_key(k))
                    .filter(|l| l.id != id)
                    .map(|l| l.name.clone());
                (s.with_label_key(&id, new_key.as_deref()), holder)
            });
            let done = match (&new_key, holder) {
                (Some(k), Some(other)) => {
                    format!("Key {k} now tags {}; {other} has no key.", name())
                }
                (Some(k), None) => format!("Key {k} now tags {}.", name()),
                (None, _) => format!("{} has no key.", name()),
            };
            edit.change(result, done);
        }
    };
    let row_id = id.clone();
    let options = move || {
        editor.open.schema.with(|s| {
            KEYS.iter()
                .map(|k| {
                    let holder = s.label_for_key(k).filter(|l| l.id != row_id);
                    let text = match holder {
                        Some(l) => format!("{k} ({})", l.name),
                        None => (*k).to_owned(),
                    };
                    let k = (*k).to_owned();
                    let selected = key().as_deref() == Some(k.as_str());
                    view! { <option value=k prop:selected=selected>{text}</option> }
                })
                .collect_view()
        })
    };
    let guide = move || label.with(|l| l.as_ref().map(|l| l.guide.clone()).unwrap_or_default());
    let guide_id = id.clone();
    let set_guide =
        move |s: &Schema, part: GuidePart, text: &str| s.with_label_guide(&guide_id, part, text);
    view! {
        <tr data-label=id.clone() style:--c=colour>
            <td>
                <div class="name-cell">
                    <span class="swatch" aria-hidden="true"></span>
                    {name_field(edit, "label", name, rename, |old, new| format!("Renamed {old} to {new}."))}
                </div>
            </td>
            <td>
                <input
                    type="color"
                    class="label-colour"
                    aria-label=move || format!("Colour of {}", name())
                    prop:value=colour
                    on:change=recolour
                />
            </td>
            <td>
                <select class="label-key" aria-label=move || format!("Key of {}", name()) on:change=rekey>
                    <option value="" prop:selected=move || key().is_none()>"none"</option>
                    {options}
                </select>
            </td>
            {uses_and_remove(edit, uses, name, Removal::Label(id.clone()), move || {
                format!("Removed the label {}.", name())
            })}
        </tr>
        {guide_row(edit, name, guide, set_guide)}
    }
}

/// One relation type: its name, the labels allowed at each end, how many links use it, Remove.
#[component]
fn KindRow(id: String) -> impl IntoView {
    let (edit, kind, uses) = row_state(&id, Schema::relation_type, |d, id| {
        d.relations.iter().filter(|r| r.kind == id).count()
    });
    let name = move || kind.with(|k| k.as_ref().map(|k| k.name.clone()).unwrap_or_default());
    let rename = {
        let id = id.clone();
        move |s: &Schema, new: &str| s.with_relation_type_renamed(&id, new)
    };
    let guide = move || kind.with(|k| k.as_ref().map(|k| k.guide.clone()).unwrap_or_default());
    let guide_id = id.clone();
    let set_guide = move |s: &Schema, part: GuidePart, text: &str| {
        s.with_relation_type_guide(&guide_id, part, text)
    };
    view! {
        <tr data-kind=id.clone()>
            <td>
                {name_field(edit, "relation type", name, rename, |old, new| {
                    format!("Renamed \u{201c}{old}\u{201d} to \u{201c}{new}\u{201d}.")
                })}
            </td>
            <td><Ends kind=id.clone() end=End::From/></td>
            <td><Ends kind=id.clone() end=End::To/></td>
            {uses_and_remove(edit, uses, name, Removal::RelationType(id.clone()), move || {
                format!("Removed the relation type \u{201c}{}\u{201d}.", name())
            })}
        </tr>
        {guide_row(edit, name, guide, set_guide)}
    }
}

/// The labels relation type `kind` allows at `end`, one checkbox per label.
#[component]
fn Ends(kind: String, end: End) -> impl IntoView {
    let edit = expect_context::<SchemaEdit>();
    let editor = edit.editor;
    let group_name = {
        let kind = kind.clone();
        move || {
            let name = editor.open.schema.with(|s| {
                s.relation_type(&kind)
                    .map(|r| r.name.clone())
                    .unwrap_or_default()
            });
            match end {
                End::From => format!("Labels \u{201c}{name}\u{201d} links from"),
                End::To => format!("Labels \u{201c}{name}\u{201d} links to"),
            }
        }
    };
    let label_ids = move || {
        editor
            .open
            .schema
            .with(|s| s.labels.iter().map(|l| l.id.clone()).collect::<Vec<_>>())
    };
    view! {
        <div class="ends" role="group" aria-label=group_name data-end=if end == End::From { "from" } else { "to" }>
            <For each=label_ids key=|id| id.clone() let:label>
                <EndBox kind=kind.clone() end label/>
            </For>
        </div>
    }
}

/// Whether relation type `kind` allows `label` at `end`: a checkbox named after the label.
#[component]
fn EndBox(kind: String, end: End, label: String) -> impl IntoView {
    let edit = expect_context::<SchemaEdit>();
    let editor = edit.editor;
    let state = {
        let (kind, label) = (kind.clone(), label.clone());
        Memo::new(move |_| {
            editor.open.schema.with(|s| {
                let allowed = s.relation_type(&kind).is_some_and(|r| {
                    let list = if end == End::From {
                        &r.from_labels
                    } else {
                        &r.to_labels
                    };
                    list.contains(&label)
                });
                let l = s.label(&label);
                let name = l.map(|l| l.name.clone()).unwrap_or_default();
                let colour = l.map(|l| l.colour.clone()).unwrap_or_default();
                (allowed, name, colour)
            })
        })
    };
    let toggle = {
        let (kind, label) = (kind.clone(), label.clone());
        move |ev: leptos::ev::Event| {
            let on = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .is_some_and(|i| i.checked());
            let (kind_name, label_name) = editor.open.schema.with_untracked(|s| {
                (
                    s.relation_type(&kind)
                        .map(|r| r.name.clone())
                        .unwrap_or_default(),
                    s.label(&label).map(|l| l.name.clone()).unwrap_or_default(),
                )
            });
            let side = if end == End::From { "from" } else { "to" };
            if on {
                let result = editor
                    .open
                    .schema
                    .with_untracked(|s| s.with_relation_end(&kind, end, &label, true));
                edit.change(
                    result,
                    format!(
                        "\u{201c}{kind_name}\u{201d} now links {side} {}.",
                        with_article(&label_name)
                    ),
                );
            } else {
                let done = format!(
                    "\u{201c}{kind_name}\u{201d} no longer links {side} {}.",
                    with_article(&label_name)
                );
                edit.remove(
                    Removal::End {
                        kind: kind.clone(),
                        end,
                        label: label.clone(),
                    },
                    done,
                );
            }
            // The box shows the schema, which may not have changed (a question, a refusal).
            if let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                input.set_checked(state.get_untracked().0);
            }
        }
    };
    view! {
        <label class="end" data-label=label.clone() style:--c=move || state.with(|s| s.2.clone())>
            <input type="checkbox" prop:checked=move || state.with(|s| s.0) on:change=toggle/>
            <span class="swatch" aria-hidden="true"></span>
            {move || state.with(|s| s.1.clone())}
        </label>
    }
}
