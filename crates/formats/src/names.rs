//! File names: the name a written file gets ([`file_name`], [`first_unseen`] when names
//! repeat), the title a read one gives ([`title_of`]), and which names belong together or are
//! no file the user chose.

use std::collections::HashSet;

use crate::format::Format;

/// A file name for `title` plus `suffix`, with characters that file systems refuse replaced.
pub fn file_name(title: &str, suffix: &str) -> String {
    let clean: String = title
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let clean = clean.trim().trim_start_matches('.');
    let stem = if clean.is_empty() { "document" } else { clean };
    format!("{stem}{suffix}")
}

/// `first`, or else the first of `numbered(2)`, `numbered(3)`… that `seen` does not hold yet
/// (compared ignoring case); the name returned is added to `seen`.
pub fn first_unseen(
    seen: &mut HashSet<String>,
    first: &str,
    numbered: impl Fn(usize) -> String,
) -> String {
    (1..)
        .map(|n| {
            if n == 1 {
                first.to_owned()
            } else {
                numbered(n)
            }
        })
        .find(|candidate| seen.insert(candidate.to_lowercase()))
        .unwrap_or_else(|| first.to_owned())
}

/// `s` without `suffix`, compared ignoring ASCII case.
fn strip_suffix_ci<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let at = s.len().checked_sub(suffix.len())?;
    let (stem, end) = (s.get(..at)?, s.get(at..)?);
    end.eq_ignore_ascii_case(suffix).then_some(stem)
}

/// The file's name without folders.
pub(crate) fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// The title of a document read from file `name`: its base name without the extension
/// (without the whole suffix Spanmark writes, e.g. `.spanmark.json`).
pub fn title_of(name: &str) -> String {
    let base = base_name(name);
    let stem = Format::ALL
        .iter()
        .filter(|f| f.suffix().matches('.').count() > 1)
        .find_map(|f| strip_suffix_ci(base, f.suffix()))
        .or_else(|| base.rsplit_once('.').map(|(stem, _)| stem))
        .unwrap_or(base);
    if stem.is_empty() { base } else { stem }.to_owned()
}

/// `name` without its last extension, in lower case: files that share it belong together
/// (a brat `.ann` and its `.txt`).
pub(crate) fn pair_key(name: &str) -> String {
    let base = base_name(name);
    let folder = name.get(..name.len() - base.len()).unwrap_or_default();
    let stem = base.rsplit_once('.').map_or(base, |(stem, _)| stem);
    format!("{folder}{stem}").to_lowercase()
}

pub(crate) fn is_text_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower.ends_with(".txt") || lower.ends_with(".text")
}

pub(crate) fn is_zip_name(name: &str) -> bool {
    name.to_lowercase().ends_with(".zip")
}

/// Entries that operating systems add to archives, not files the user chose.
pub(crate) fn is_clutter(name: &str) -> bool {
    let base = base_name(name);
    name.split(['/', '\\']).any(|part| part == "__MACOSX")
        || base.starts_with("._")
        || base == ".DS_Store"
        || base.eq_ignore_ascii_case("Thumbs.db")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe() {
        assert_eq!(
            file_name("default-article", ".spanmark.json"),
            "default-article.spanmark.json"
        );
        assert_eq!(file_name("a/b:c?", ".json"), "a_b_c_.json");
        assert_eq!(file_name("  ..", ".json"), "document.json");
        assert_eq!(file_name("Москва 🇷🇺", ".json"), "Москва 🇷🇺.json");
    }

    #[test]
    fn titles_and_pairs_from_file_names() {
        assert_eq!(title_of("dir/article.spanmark.json"), "article");
        assert_eq!(title_of("Article.SPACY.JSON"), "Article");
        assert_eq!(title_of("a.b.ann"), "a.b");
        assert_eq!(title_of(".ann"), ".ann");
        assert_eq!(title_of("noext"), "noext");
        assert_eq!(title_of("Москва.txt"), "Москва");
        assert_eq!(pair_key("x.zip/Dir/A.ann"), pair_key("x.zip/Dir/a.TXT"));
        assert_ne!(pair_key("x.zip/one/a.ann"), pair_key("x.zip/two/a.txt"));
        assert!(is_clutter("__MACOSX/._a.txt"));
        assert!(!is_clutter("a.txt"));
    }
}
