//! Plain text files.

use super::FormatError;
use crate::core::Document;

/// Decodes UTF-8, dropping a byte-order mark; anything else is an error, never a guess.
pub fn decode(bytes: &[u8]) -> Result<&str, FormatError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| FormatError::NotUtf8 {
        offset: e.valid_up_to(),
    })
}

/// A document from a `.txt` file: the title is the file name without its extension.
pub fn parse(name: &str, bytes: &[u8]) -> Result<Document, FormatError> {
    let text = decode(bytes)?;
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let title = base.rsplit_once('.').map_or(base, |(stem, _)| stem);
    Ok(Document::new(
        if title.is_empty() { base } else { title },
        text,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_text_exactly_but_drops_a_bom() {
        let d = parse("unicode-stress.txt", "\u{feff}a\r\nб 😀".as_bytes()).unwrap();
        assert_eq!(d.title, "unicode-stress");
        assert_eq!(d.text, "a\r\nб 😀");
    }

    #[test]
    fn rejects_bytes_that_are_not_utf8() {
        assert_eq!(
            parse("x.txt", b"ok\xff"),
            Err(FormatError::NotUtf8 { offset: 2 })
        );
    }

    #[test]
    fn titles_from_odd_names() {
        assert_eq!(parse(".txt", b"").unwrap().title, ".txt");
        assert_eq!(parse("dir/a.b.txt", b"").unwrap().title, "a.b");
    }
}
