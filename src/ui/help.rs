//! The keyboard shortcut overlay. `?` (outside text fields) or the toolbar's "Shortcuts (?)"
//! button opens it; Escape, `?` again, the Close button or a click beside it closes it. It is
//! modal: the rest of the page is `inert` while it is open, and focus returns to where it was.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::dialogs::dialog_button;
use super::editor::Editor;
use super::state::Session;

/// One row of the table: alternative key combinations and what they do. In a combination,
/// `+` joins keys pressed together and a space separates keys that each work alike.
struct Shortcut {
    keys: &'static [&'static str],
    action: &'static str,
}

/// Every shortcut after the label keys (whose row is built from the schema).
const SHORTCUTS: &[Shortcut] = &[
    Shortcut {
        keys: &["Delete", "Backspace"],
        action: "Remove the selected span or relation",
    },
    Shortcut {
        keys: &["Esc"],
        action: "Deselect, cancel linking, or close this list or a dialog",
    },
    Shortcut {
        keys: &["Ctrl+Z", "Cmd+Z"],
        action: "Undo",
    },
    Shortcut {
        keys: &["Ctrl+Shift+Z", "Cmd+Shift+Z", "Ctrl+Y"],
        action: "Redo",
    },
    Shortcut {
        keys: &["n"],
        action: "Open the next document of your team queue that is not done",
    },
    Shortcut {
        keys: &["r"],
        action: "Link the selected span to another: then click the target, or move to it with \
                 Tab or Shift+Tab and press Enter",
    },
    Shortcut {
        keys: &["Tab", "Shift+Tab"],
        action: "Select the next span (Tab) or the previous one (Shift+Tab)",
    },
    Shortcut {
        keys: &["← →", "↑ ↓"],
        action: "Move the caret by character (← →) or by line (↑ ↓)",
    },
    Shortcut {
        keys: &["Ctrl+← →", "Alt+← →"],
        action: "Move the caret by word",
    },
    Shortcut {
        keys: &["Shift+← → ↑ ↓"],
        action: "Extend the text selection (add Ctrl or Alt to extend by word)",
    },
    Shortcut {
        keys: &["/", "Ctrl+F"],
        action: "Go to the search box",
    },
    Shortcut {
        keys: &["?"],
        action: "Show or hide this list",
    },
];

/// One key combination as key caps, kept on one line.
fn render_combo(combo: &'static str) -> impl IntoView {
    let parts = combo
        .split('+')
        .enumerate()
        .map(|(i, together)| {
            let caps = together
                .split(' ')
                .filter(|k| !k.is_empty())
                .map(|k| view! { <kbd>{k}</kbd> })
                .collect_view();
            view! { {(i > 0).then_some("+")}{caps} }
        })
        .collect_view();
    view! { <span class="combo">{parts}</span> }
}

/// Alternative combinations, as "A, B or C".
fn render_keys(keys: &'static [&'static str]) -> Vec<AnyView> {
    let n = keys.len();
    keys.iter()
        .enumerate()
        .map(|(i, combo)| {
            let sep = match i {
                0 => "",
                _ if i + 1 == n => " or ",
                _ => ", ",
            };
            view! { {sep}{render_combo(combo)} }.into_any()
        })
        .collect()
}

/// The toolbar button that opens the shortcut list.
#[component]
pub fn HelpButton() -> impl IntoView {
    let open = expect_context::<Session>().help_open;
    dialog_button("shortcuts", "Shortcuts (?)", None, open)
}

/// The element that has focus now, if any besides the body.
fn focused() -> Option<web_sys::HtmlElement> {
    web_sys::window()?
        .document()?
        .active_element()?
        .dyn_into::<web_sys::HtmlElement>()
        .ok()
}

/// Makes the application behind the dialog inert (or live again).
fn set_app_inert(inert: bool) {
    let Some(app) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(".app").ok().flatten())
    else {
        return;
    };
    let _ = if inert {
        app.set_attribute("inert", "")
    } else {
        app.remove_attribute("inert")
    };
}

/// The modal list of keyboard shortcuts. Mount it beside (not inside) the `.app` element.
#[component]
pub fn HelpDialog() -> impl IntoView {
    let open = expect_context::<Session>().help_open;
    let schema = expect_context::<Editor>().open.schema;
    let dialog = NodeRef::<leptos::html::Div>::new();
    let close_button = NodeRef::<leptos::html::Button>::new();

    // On opening: remember the focus, make the page inert, focus the dialog. On closing: undo.
    let mut focus_before: Option<web_sys::HtmlElement> = None;
    Effect::new(move |was_open: Option<bool>| {
        let is_open = open.get();
        let dialog_el = dialog.get();
        if is_open && was_open != Some(true) {
            focus_before = focused();
            set_app_inert(true);
        }
        if is_open {
            if let Some(el) = dialog_el {
                let _ = el.focus();
            }
        } else if was_open == Some(true) {
            set_app_inert(false);
            if let Some(el) = focus_before.take() {
                let _ = el.focus();
            }
        }
        is_open
    });

    let close = move |_| open.set(false);
    // A click on the backdrop itself (not inside the dialog) closes it.
    let on_backdrop = move |ev: leptos::ev::MouseEvent| {
        if ev.target() == ev.current_target() {
            open.set(false);
        }
    };
    // Keep Tab inside the dialog: its only control is the Close button.
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Tab" {
            ev.prevent_default();
            if let Some(b) = close_button.get_untracked() {
                let _ = b.focus();
            }
        }
    };
    let label_keys = move || {
        schema.with(|s| {
            s.labels
                .iter()
                .filter_map(|l| l.key.as_ref().map(|k| format!("{k} {}", l.name)))
                .collect::<Vec<_>>()
                .join(", ")
        })
    };
    let rows = || {
        SHORTCUTS
            .iter()
            .map(|s| {
                view! {
                    <tr>
                        <th scope="row">{render_keys(s.keys)}</th>
                        <td>{s.action}</td>
                    </tr>
                }
            })
            .collect_view()
    };

    view! {
        <Show when=move || open.get()>
            <div class="help-backdrop" on:click=on_backdrop>
                <div
                    class="help"
                    id="help-dialog"
                    role="dialog"
                    aria-modal="true"
                    aria-labelledby="help-title"
                    aria-describedby="help-note"
                    tabindex="-1"
                    node_ref=dialog
                    on:keydown=on_keydown
                >
                    <div class="help-head">
                        <h2 id="help-title">"Keyboard shortcuts"</h2>
                        <button id="help-close" class="button" node_ref=close_button on:click=close>
                            "Close"
                        </button>
                    </div>
                    <p id="help-note" class="help-note">
                        "Shortcuts work whenever the cursor is not in a text field. "
                        "On a Mac, Cmd works where Ctrl is shown for undo and redo."
                    </p>
                    <table class="shortcuts">
                        <thead>
                            <tr>
                                <th scope="col">"Keys"</th>
                                <th scope="col">"Action"</th>
                            </tr>
                        </thead>
                        <tbody>
                            <tr>
                                <th scope="row"><kbd>"1"</kbd>"–"<kbd>"9"</kbd></th>
                                <td>
                                    "Tag the selected text with a label, or relabel the selected span ("
                                    {label_keys}
                                    ")"
                                </td>
                            </tr>
                            {rows()}
                        </tbody>
                    </table>
                    <section class="help-guides" aria-label="Labels and their guidelines">
                        <super::guidelines::GuideList/>
                    </section>
                </div>
            </div>
        </Show>
    }
}
