//! Modal dialogs (Schema, Compare annotators, the shortcut list): the button that opens one,
//! keeping a `<dialog>` open while its signal says so, and keys that stay inside it.

use leptos::prelude::*;

/// Keeps the modal `<dialog>` `dialog` open exactly while `open` is true.
pub fn modal_while(dialog: NodeRef<leptos::html::Dialog>, open: impl Into<Signal<bool>>) {
    let open = open.into();
    Effect::new(move |_| {
        let Some(d) = dialog.get() else { return };
        if open.get() {
            if !d.open() {
                let _ = d.show_modal();
            }
        } else if d.open() {
            d.close();
        }
    });
}

/// A dialog's key handler: Escape (its default prevented) calls `on_escape`; no other key but
/// shortcuts with Ctrl or Cmd (undo) reaches the page's shortcuts behind the dialog, so that
/// typing there never tags text.
pub fn dialog_keys(ev: &leptos::ev::KeyboardEvent, on_escape: impl FnOnce()) {
    if ev.key() == "Escape" {
        ev.prevent_default();
        on_escape();
    }
    if !(ev.ctrl_key() || ev.meta_key()) {
        ev.stop_propagation();
    }
}

/// A button named `text` that opens a dialog (sets `open`).
pub fn dialog_button(
    id: &'static str,
    text: &'static str,
    title: Option<&'static str>,
    open: RwSignal<bool>,
) -> impl IntoView {
    view! {
        <button id=id class="button" aria-haspopup="dialog" title=title on:click=move |_| open.set(true)>
            {text}
        </button>
    }
}
