//! What a panic looks like to the annotator: a message over the page saying that something
//! went wrong and whether the work is saved, with the details in the browser console.
//!
//! A panic is a bug (no input may cause one), and after it the app cannot go on: the release
//! build aborts, and the reactive state may be half-updated. So the message is built with plain
//! DOM calls, not through Leptos, and covers the page so that nothing more is typed into a
//! stopped app. Before it claims the work is saved, it asks the autosave to write what is
//! waiting ([`install`]'s `rescue`); if that write cannot run (the panic may have struck inside
//! an edit), the first, more careful message stays.

use std::cell::RefCell;

/// Shown at once: true even if the rescue below cannot run.
pub const STOPPED: &str = "Something went wrong and Spanmark has stopped. Everything up to your last saved change is kept in this browser; reload the page to go on.";
/// Shown once the rescue has written the open document (or nothing was waiting).
pub const SAVED: &str =
    "Something went wrong \u{2014} your work is saved. Spanmark has stopped: reload the page to go on.";
/// Shown when storage could not be used in this session.
pub const NOT_SAVED: &str = "Something went wrong and Spanmark has stopped. This browser did not let Spanmark save, so your latest changes are only in this tab and will be lost on reload.";

/// How the rescue went: whether storage now holds the open document as it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rescue {
    Saved,
    NotSaved,
}

type RescueFn = Box<dyn Fn() -> Rescue>;

thread_local! {
    static RESCUE: RefCell<Option<RescueFn>> = const { RefCell::new(None) };
}

/// Installs the panic hook: the panic is logged to the console (with its stack), the message
/// is shown, then `rescue` writes the work that waits to be saved.
pub fn install(rescue: impl Fn() -> Rescue + 'static) {
    RESCUE.with(|r| *r.borrow_mut() = Some(Box::new(rescue)));
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        report();
    }));
}

/// Shows the message, then runs the rescue (once: the app has stopped) and says how it went.
pub fn report() {
    let Some(message) = show(STOPPED) else {
        return;
    };
    // Taken out before it runs: a panic while it runs (or any later one) does not run it
    // again, and leaves the message as it is.
    let rescue = RESCUE
        .try_with(|r| r.try_borrow_mut().ok().and_then(|mut f| f.take()))
        .ok()
        .flatten();
    let rescued = rescue.map(|f| f());
    match rescued {
        Some(Rescue::Saved) => message.set_text_content(Some(SAVED)),
        Some(Rescue::NotSaved) => message.set_text_content(Some(NOT_SAVED)),
        None => {}
    }
}

/// Puts the message over the page (once); returns the element holding its text.
fn show(text: &str) -> Option<web_sys::Element> {
    let document = web_sys::window()?.document()?;
    if let Some(existing) = document.query_selector(".crash p").ok().flatten() {
        return Some(existing);
    }
    let body = document.body()?;
    let overlay = document.create_element("div").ok()?;
    overlay.set_class_name("crash");
    let _ = overlay.set_attribute("role", "alert");
    let card = document.create_element("div").ok()?;
    card.set_class_name("crash-card");
    let message = document.create_element("p").ok()?;
    message.set_text_content(Some(text));
    // A link to this very page: reloading needs no code of the stopped app.
    let reload = document.create_element("a").ok()?;
    reload.set_class_name("button");
    let _ = reload.set_attribute("href", "");
    reload.set_text_content(Some("Reload"));
    let hint = document.create_element("small").ok()?;
    hint.set_text_content(Some("The details are in the browser console."));
    for child in [&message, &reload, &hint] {
        let _ = card.append_child(child);
    }
    let _ = overlay.append_child(&card);
    body.append_child(&overlay).ok()?;
    Some(message)
}
