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

/// How every key of the app's storage begins: no alert's words hold one.
const STORAGE_KEY_START: &str = "spanmark:v";

impl Notice {
    /// The notice with any storage key in its words taken out (said as "a stored item"), and
    /// the keys taken: what the alert's *Details* show instead. A message that named a key in
    /// its words (a storage fault names the item) still reads plainly.
    fn without_keys(self) -> (Notice, Vec<String>) {
        let text = self.text();
        if !text.contains(STORAGE_KEY_START) {
            return (self, Vec::new());
        }
        let mut keys = Vec::new();
        let words: Vec<String> = text
            .split(' ')
            .map(|word| match word.find(STORAGE_KEY_START) {
                Some(at) => {
                    let end = word[at..]
                        .find(|c: char| c.is_whitespace() || "\"'\u{201d})".contains(c))
                        .map_or(word.len(), |e| at + e);
                    // A key ends before the sentence's own full stop or comma.
                    let key = word[at..end].trim_end_matches(['.', ',', ';']);
                    keys.push(key.to_owned());
                    format!("{}a stored item{}", &word[..at], &word[at + key.len()..])
                }
                None => word.to_owned(),
            })
            .collect();
        let plain = words.join(" ");
        let notice = match self {
            Notice::NotSaved(_) => Notice::NotSaved(plain),
            Notice::Problem(_) => Notice::Problem(plain),
            Notice::Warning(_) => Notice::Warning(plain),
        };
        (notice, keys)
    }

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
    /// Raises `notice` in the alert line (a storage key in its words goes behind *Details*).
    pub fn alert(&self, notice: Notice) {
        self.alert_with_details(notice, None);
    }

    /// Raises `notice` with `details` behind *Details* (with any storage key its words held).
    pub fn alert_with_details(&self, notice: Notice, details: Option<String>) {
        let (notice, keys) = notice.without_keys();
        let details = match (details, keys.is_empty()) {
            (details, true) => details,
            (None, false) => Some(keys.join("; ")),
            (Some(d), false) => Some(format!("{d}; {}", keys.join("; "))),
        };
        self.alert.set(Some(notice));
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

    /// An alert that named a storage key in its words (a fault of a stored document names
    /// it) reads plainly; the key is behind Details.
    #[test]
    fn a_storage_key_in_an_alerts_words_goes_behind_details() {
        Owner::new().set();
        let n = Notices::default();
        n.alert(Notice::Warning(
            "Warning: spanmark:v2:doc:doc-c089fda4e5711e32:unreadable:1796324416741 could not be read.".into(),
        ));
        let words = n
            .alert
            .get_untracked()
            .map(|a| a.text().to_owned())
            .unwrap_or_default();
        assert_eq!(words, "Warning: a stored item could not be read.");
        assert_eq!(
            n.details.get_untracked().as_deref(),
            Some("spanmark:v2:doc:doc-c089fda4e5711e32:unreadable:1796324416741")
        );
        n.alert_with_details(
            Notice::NotSaved("Not saved: \u{201c}spanmark:v2:index\u{201d} is full.".into()),
            Some("quota".into()),
        );
        let words = n
            .alert
            .get_untracked()
            .map(|a| a.text().to_owned())
            .unwrap_or_default();
        assert_eq!(words, "Not saved: \u{201c}a stored item\u{201d} is full.");
        assert_eq!(
            n.details.get_untracked().as_deref(),
            Some("quota; spanmark:v2:index")
        );
        assert!(n.save_failed(), "the kind of the notice is kept");
        // Words without a key are left as they are.
        n.alert(Notice::Problem("Not tagged: no.".into()));
        assert_eq!(n.details.get_untracked(), None);
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
