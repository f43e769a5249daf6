//! Plain text files: decoding them, and the document of a text.

use crate::error::FormatError;
use spanmark_core::Document;

/// Decodes UTF-8, dropping a byte-order mark; anything else is an error, never a guess.
pub fn decode(bytes: &[u8]) -> Result<&str, FormatError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| FormatError::NotUtf8 {
        offset: e.valid_up_to(),
    })
}

/// The document of `text` titled `title`, unless its text would start with U+FEFF.
pub fn document(title: &str, text: &str) -> Result<Document, FormatError> {
    let doc = Document::new(title, text);
    check_start(&doc.text).map_err(|message| FormatError::Invalid {
        at: "text".into(),
        message: message.into(),
    })?;
    Ok(doc)
}

/// A document's text never starts with U+FEFF (docs/FORMAT.md): a byte-order mark is dropped
/// when a document is made, and a native file whose text starts with one is refused. A text
/// that still starts with one after that (it began with two or more) is refused when it is
/// read, not taken into a document whose own file could not be opened again.
pub fn check_start(text: &str) -> Result<(), &'static str> {
    if text.starts_with('\u{feff}') {
        Err("it starts with more than one byte-order mark (U+FEFF); a text cannot start with one")
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::open_file;
    use spanmark_core::Schema;

    /// The document of a text file opened as the app opens it (`convert::open_file`, which
    /// the removed `text::parse` repeated).
    fn parse(name: &str, bytes: &[u8]) -> Result<Document, FormatError> {
        let mut imported = open_file(name, bytes, None, None, &Schema::default())?;
        assert_eq!(imported.documents.len(), 1);
        Ok(imported.documents.remove(0).document)
    }

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
    fn a_text_starting_with_several_byte_order_marks_is_refused_not_kept_unreadable() {
        // Only one was dropped, so the document's text started with U+FEFF and its native file
        // (what the browser stores) was refused when read back.
        let err = parse("x.txt", "\u{feff}\u{feff}\u{feff}a".as_bytes()).unwrap_err();
        assert!(err.to_string().contains("byte-order mark"), "{err}");
        assert_eq!(parse("x.txt", "\u{feff}a".as_bytes()).unwrap().text, "a");
    }

    #[test]
    fn titles_from_odd_names() {
        assert_eq!(parse(".txt", b"").unwrap().title, ".txt");
        assert_eq!(parse("dir/a.b.txt", b"").unwrap().title, "a.b");
    }
}
