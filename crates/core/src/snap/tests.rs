use super::*;
use crate::offsets::slice_cp;

fn snapped(text: &str, sel: &str, mode: SnapMode) -> Option<String> {
    let b = text.find(sel).expect("selection in text");
    let (s, e) = (byte_to_cp(text, b), byte_to_cp(text, b + sel.len()));
    snap(text, s, e, mode).map(|(s, e)| slice_cp(text, s, e).unwrap().to_owned())
}

#[test]
fn trims_white_space_and_widens_to_words() {
    let t = "Sergey Lavrov said so.";
    assert_eq!(
        snapped(t, " Lavrov ", SnapMode::Words).as_deref(),
        Some("Lavrov")
    );
    assert_eq!(
        snapped(t, "gey Lav", SnapMode::Words).as_deref(),
        Some("Sergey Lavrov")
    );
    assert_eq!(
        snapped(t, "gey Lav", SnapMode::Characters).as_deref(),
        Some("gey Lav")
    );
    assert_eq!(snapped(t, " ", SnapMode::Words), None);
}

#[test]
fn possessive_apostrophe_is_a_word_boundary() {
    let t = "Russia's latest actions";
    assert_eq!(
        snapped(t, "Russi", SnapMode::Words).as_deref(),
        Some("Russia")
    );
    assert_eq!(
        snapped(t, "ussia's", SnapMode::Words).as_deref(),
        Some("Russia's")
    );
}

#[test]
fn punctuation_is_kept_only_when_selected() {
    let t = "al-Tanf, he said";
    assert_eq!(
        snapped(t, "l-Ta", SnapMode::Words).as_deref(),
        Some("al-Tanf")
    );
    assert_eq!(
        snapped(t, "Tanf,", SnapMode::Words).as_deref(),
        Some("Tanf,")
    );
}

#[test]
fn never_splits_a_grapheme_cluster() {
    let t = "a 👩\u{200d}👩\u{200d}👧 family, e\u{301}cole 🇺🇸";
    // A selection ending inside the ZWJ family widens to the whole cluster.
    let fam = t.find('👩').unwrap();
    let s = byte_to_cp(t, fam);
    assert_eq!(snap(t, s, s + 2, SnapMode::Characters), Some((s, s + 5)));
    // A selection of the bare base letter takes its combining accent too.
    let e = byte_to_cp(t, t.find("e\u{301}").unwrap());
    assert_eq!(snap(t, e, e + 1, SnapMode::Characters), Some((e, e + 2)));
    // Half a flag is the whole flag.
    let f = byte_to_cp(t, t.find('🇺').unwrap());
    assert_eq!(
        snap(t, f + 1, f + 2, SnapMode::Characters),
        Some((f, f + 2))
    );
}

/// A tab followed by a combining mark is one word segment (the mark attaches to the tab):
/// widening to words took the tab in, and the span began with white space.
#[test]
fn widening_to_a_word_that_begins_with_a_tab_and_a_mark_does_not_take_the_tab() {
    let t = "\u{301}\u{301}\u{301}\t\u{93f}";
    let (s, e) = snap(t, 5, 3, SnapMode::Words).unwrap();
    assert_eq!((s, e), (4, 5));
    assert_eq!(check_range(t, s, e), Ok(()));
}

#[test]
fn crlf_and_multiline_selections() {
    let t = "first line\r\n\r\nsecond line";
    assert_eq!(
        snapped(t, "line\r\n\r\nsec", SnapMode::Words).as_deref(),
        Some("line\r\n\r\nsecond")
    );
    assert_eq!(snapped(t, "\r\n\r\n", SnapMode::Words), None);
}

#[test]
fn check_range_rules() {
    let t = "a e\u{301} b\r\n";
    assert_eq!(check_range(t, 0, 1), Ok(()));
    assert_eq!(check_range(t, 1, 1), Err(RangeError::Empty));
    assert_eq!(
        check_range(t, 0, 99),
        Err(RangeError::OutOfBounds { len: 8 })
    );
    assert_eq!(check_range(t, 2, 3), Err(RangeError::SplitsGrapheme));
    assert_eq!(check_range(t, 2, 4), Ok(()));
    assert_eq!(check_range(t, 0, 2), Err(RangeError::EdgeWhitespace));
    assert_eq!(
        check_range(t, 5, 7),
        Err(RangeError::SplitsGrapheme),
        "between CR and LF"
    );
    assert_eq!(check_range(t, 5, 8), Err(RangeError::EdgeWhitespace));
    assert_eq!(check_range(t, 5, 6), Ok(()));
    // A spacing mark belongs to the extended grapheme cluster before it (and a cluster is
    // white space only when all of it is).
    let t = "\u{a0}\u{1ce1}x";
    assert_eq!(check_range(t, 0, 1), Err(RangeError::SplitsGrapheme));
    assert_eq!(check_range(t, 0, 2), Ok(()));
    assert_eq!(check_range(t, 2, 3), Ok(()));
}

#[test]
fn a_byte_range_inside_a_character_or_past_the_end_is_refused_not_a_panic() {
    let t = "é北 x";
    assert_eq!(check_byte_range(t, 1, 2), Err(RangeError::SplitsGrapheme));
    assert_eq!(check_byte_range(t, 0, 3), Err(RangeError::SplitsGrapheme));
    assert_eq!(check_byte_range(t, 0, 5), Ok(()));
    assert_eq!(check_byte_range(t, 6, 7), Ok(()));
    assert_eq!(
        check_byte_range(t, 7, 8),
        Err(RangeError::OutOfBounds { len: 4 })
    );
    assert_eq!(
        check_byte_range(t, 0, usize::MAX),
        Err(RangeError::OutOfBounds { len: 4 })
    );
}

#[cfg(not(target_arch = "wasm32"))]
mod props {
    use super::super::*;
    use proptest::prelude::*;

    /// Text drawn from the characters that break naive tools.
    fn tricky_text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "a",
            "Zürich",
            " ",
            "  ",
            "\n",
            "\r\n",
            "\t",
            "\u{a0}",
            "\u{200b}",
            "e\u{301}",
            "😀",
            "👍🏽",
            "👩\u{200d}👩\u{200d}👧",
            "🇺🇸",
            "北京",
            "قال",
            "𝔘𝔫",
            "'s",
            "-",
            ",",
            "Сергей",
        ]);
        prop::collection::vec(pieces, 0..24).prop_map(|v| v.concat())
    }

    fn mode() -> impl Strategy<Value = SnapMode> {
        prop_oneof![Just(SnapMode::Words), Just(SnapMode::Characters)]
    }

    /// Any Unicode text, with the pieces grapheme rules turn on made common: combining
    /// marks, ZWJ sequences, lone regional indicators (so flags pair up either way), CR and
    /// LF, Hangul jamo, Indic conjuncts, prepended marks, variation selectors and white space.
    fn unicode_text() -> impl Strategy<Value = String> {
        let special = prop::sample::select(vec![
            "\u{301}",
            "\u{308}",
            "\u{20dd}",
            "\u{200d}",
            "\u{fe0f}",
            "\u{1f3fd}",
            "👩",
            "❤",
            "🏳",
            "\u{1f1fa}",
            "\u{1f1f8}",
            "\u{e0067}",
            "\r",
            "\n",
            "\r\n",
            " ",
            "\t",
            "\u{a0}",
            "\u{3000}",
            "\u{200b}",
            "\u{1100}",
            "\u{1161}",
            "\u{11a8}",
            "\u{ac00}",
            "\u{915}",
            "\u{94d}",
            "\u{937}",
            "\u{93f}",
            "\u{600}",
            "\u{d4e}",
            "e",
            "a",
        ])
        .prop_map(str::to_owned);
        let piece =
            prop_oneof![3 => special, 1 => "\\PC{1,3}", 1 => any::<char>().prop_map(String::from)];
        prop::collection::vec(piece, 0..20).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn checking_ends_agrees_with_segmenting_lines(t in unicode_text(), a in 0usize..80, b in 0usize..80) {
            // Every range of the text by character boundaries, and a random code-point range.
            let bounds: Vec<usize> = t.char_indices().map(|(i, _)| i).chain([t.len()]).collect();
            for (i, &bs) in bounds.iter().enumerate() {
                for &be in &bounds[i + 1..] {
                    prop_assert_eq!(
                        check_byte_range(&t, bs, be),
                        check_bytes_by_segmenting(&t, bs, be),
                        "bytes {}..{} of {:?}", bs, be, t
                    );
                }
            }
            let reference = if a >= b {
                Err(RangeError::Empty)
            } else if b > cp_len(&t) {
                Err(RangeError::OutOfBounds { len: cp_len(&t) })
            } else {
                check_bytes_by_segmenting(&t, cp_to_byte(&t, a), cp_to_byte(&t, b))
            };
            prop_assert_eq!(check_range(&t, a, b), reference);
            if reference.is_ok() {
                prop_assert_eq!(span_bytes(&t, a, b), Ok((cp_to_byte(&t, a), cp_to_byte(&t, b))));
            }
            prop_assert_eq!(check_range_indexed(&t, &CpIndex::new(&t), a, b), reference);
        }

        /// A selection from the DOM, or a range from a file, may hold any offsets: snapping
        /// and the span checks answer for all of them, in code points and in bytes.
        #[test]
        fn snapping_and_checking_any_offsets_never_panics(
            t in prop_oneof![unicode_text(), "\\PC{0,60}"],
            a in prop_oneof![0usize..100, any::<usize>()],
            b in prop_oneof![0usize..100, any::<usize>()],
            m in mode(),
        ) {
            let index = CpIndex::new(&t);
            if let Some((s, e)) = snap(&t, a, b, m) {
                prop_assert_eq!(check_range(&t, s, e), Ok(()));
            }
            let checked = check_range(&t, a, b);
            prop_assert_eq!(span_bytes(&t, a, b).map(|_| ()), checked);
            prop_assert_eq!(check_range_indexed(&t, &index, a, b), checked);
            // As bytes: on character boundaries it agrees with the code-point check.
            let by_bytes = check_byte_range(&t, a, b);
            if a < b && b <= t.len() && t.is_char_boundary(a) && t.is_char_boundary(b) {
                prop_assert_eq!(by_bytes, check_range(&t, byte_to_cp(&t, a), byte_to_cp(&t, b)));
            } else {
                prop_assert!(by_bytes.is_err());
            }
        }

        #[test]
        fn snapped_ranges_are_valid_spans(t in tricky_text(), a in 0usize..120, b in 0usize..120, m in mode()) {
            if let Some((s, e)) = snap(&t, a, b, m) {
                prop_assert_eq!(check_range(&t, s, e), Ok(()));
            }
        }

        #[test]
        fn snapping_keeps_every_selected_visible_character(t in tricky_text(), a in 0usize..120, b in 0usize..120, m in mode()) {
            let len = cp_len(&t);
            let (a, b) = (a.min(b).min(len), a.max(b).min(len));
            let chars: Vec<char> = t.chars().collect();
            let visible = (a..b).any(|i| !chars[i].is_whitespace());
            match snap(&t, a, b, m) {
                Some((s, e)) => {
                    for (i, c) in chars.iter().enumerate().take(b).skip(a) {
                        if !c.is_whitespace() {
                            prop_assert!(s <= i && i < e, "char {} outside {}..{}", i, s, e);
                        }
                    }
                }
                None => prop_assert!(!visible),
            }
        }

        #[test]
        fn snapping_is_idempotent(t in tricky_text(), a in 0usize..120, b in 0usize..120, m in mode()) {
            if let Some((s, e)) = snap(&t, a, b, m) {
                prop_assert_eq!(snap(&t, s, e, m), Some((s, e)));
            }
        }
    }
}
