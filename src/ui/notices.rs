//! What the app tells the user: the alert (a typed [`Notice`], shown with `role="alert"`) and
//! the status line, shared through the [`Notices`] context; and the text helpers messages use.

use leptos::prelude::*;

/// A message for the alert line. The kind decides how long it stays and what it offers; the
/// text is said as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// A write to storage failed: the work is in this tab only. Said through later edits until a
    /// write succeeds, with the work offered as a download.
    NotSaved(String),
    /// Something asked for was not done, or went only partly (an edit refused, a file not
    /// opened); goes with the next successful edit.
    Problem(String),
    /// Done, with something to know: a warning, a merge, what another tab did.
    Warning(String),
}

impl Notice {
    /// The words shown.
    pub fn text(&self) -> &str {
        match self {
            Notice::NotSaved(t) | Notice::Problem(t) | Notice::Warning(t) => t,
        }
    }

    /// Whether the notice is about a failed save: it stays until a save succeeds and offers
    /// the work as a download.
    pub fn is_failed_save(&self) -> bool {
        matches!(self, Notice::NotSaved(_))
    }
}

/// The alert and the status line: what the app says, in one place.
#[derive(Clone, Copy, Default)]
pub struct Notices {
    /// The current error or warning, shown with `role="alert"`.
    pub alert: RwSignal<Option<Notice>>,
    /// A short confirmation of the last thing done, shown with `role="status"`.
    pub status: RwSignal<String>,
    /// What a technician would want to know about the alert (storage keys, parser positions),
    /// shown behind *Details*, apart from its plain words.
    pub details: RwSignal<Option<String>>,
    /// A new release of the app is cached: the page offers to reload (quietly, never by itself).
    pub update_ready: RwSignal<bool>,
}

impl Notices {
    /// Raises `notice` in the alert line.
    pub fn alert(&self, notice: Notice) {
        self.details.set(None);
        self.alert.set(Some(notice));
    }

    /// Raises `notice` with `details` behind *Details*.
    pub fn alert_with_details(&self, notice: Notice, details: Option<String>) {
        self.alert(notice);
        self.details.set(details);
    }

    /// Says `text` in the status line.
    pub fn say(&self, text: impl Into<String>) {
        self.status.set(text.into());
    }

    /// Whether the alert says that a save failed.
    pub fn save_failed(&self) -> bool {
        self.alert
            .with_untracked(|a| a.as_ref().is_some_and(Notice::is_failed_save))
    }

    /// Drops the alert after something succeeded; a failed save stays said (see
    /// [`Notice::NotSaved`]).
    pub fn clear_unless_save_failed(&self) {
        if !self.save_failed() {
            self.alert.set(None);
        }
    }
}

/// The first characters of `s` on one line, with an ellipsis when cut: for messages and lists.
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

/// The number with thousands grouped by thin spaces: `1 234 567`.
pub fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{2009}');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panel_text_is_shortened_on_one_line() {
        assert_eq!(short("a\r\nb"), "a  b");
        assert_eq!(short(&"x".repeat(61)).chars().count(), 61);
        assert!(short(&"x".repeat(61)).ends_with('…'));
    }

    #[test]
    fn numbers_are_grouped_by_grouped() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(5_000_000), "5\u{2009}000\u{2009}000");
    }

    #[test]
    fn only_a_failed_save_stays_through_edits() {
        Owner::new().set();
        let n = Notices::default();
        n.alert(Notice::Problem("Not tagged: no.".into()));
        n.clear_unless_save_failed();
        assert_eq!(n.alert.get_untracked(), None);
        let failed = Notice::NotSaved("Not saved: the storage is full.".into());
        n.alert(failed.clone());
        n.clear_unless_save_failed();
        assert_eq!(n.alert.get_untracked(), Some(failed));
    }
}
