use super::*;

const MIXED: &str = "a😀é\u{301}北\r\n𝔘";

#[test]
fn counts_code_points_not_bytes_or_units() {
    assert_eq!(cp_len(MIXED), 8);
    assert_eq!(cp_to_byte(MIXED, 1), 1);
    assert_eq!(cp_to_byte(MIXED, 2), 5);
    assert_eq!(cp_to_byte(MIXED, 99), MIXED.len());
    assert_eq!(byte_to_cp(MIXED, 5), 2);
    assert_eq!(
        byte_to_cp(MIXED, 3),
        2,
        "inside the emoji rounds up to the next char"
    );
}

#[test]
fn slices_by_code_points() {
    assert_eq!(slice_cp(MIXED, 1, 2), Some("😀"));
    assert_eq!(slice_cp(MIXED, 2, 4), Some("é\u{301}"));
    assert_eq!(slice_cp(MIXED, 7, 8), Some("𝔘"));
    assert_eq!(slice_cp(MIXED, 8, 8), Some(""));
    assert_eq!(slice_cp(MIXED, 0, 9), None);
    assert_eq!(slice_cp(MIXED, 3, 2), None);
}

#[test]
fn utf16_offsets_round_trip_on_astral_characters() {
    // "a😀": the emoji is two UTF-16 units.
    assert_eq!(utf16_to_cp("a😀b", 1), 1);
    assert_eq!(utf16_to_cp("a😀b", 2), 1, "between surrogates rounds down");
    assert_eq!(utf16_to_cp("a😀b", 3), 2);
    assert_eq!(utf16_to_cp("a😀b", 40), 3);
    assert_eq!(cp_to_utf16("a😀b", 2), 3);
}

#[cfg(not(target_arch = "wasm32"))]
mod props {
    use super::super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn utf16_and_code_points_round_trip(s in "\\PC{0,40}", cp in 0usize..50) {
            let cp = cp.min(cp_len(&s));
            prop_assert_eq!(utf16_to_cp(&s, cp_to_utf16(&s, cp)), cp);
        }

        #[test]
        fn bytes_and_code_points_round_trip(s in "\\PC{0,40}", cp in 0usize..50) {
            let cp = cp.min(cp_len(&s));
            prop_assert_eq!(byte_to_cp(&s, cp_to_byte(&s, cp)), cp);
        }

        #[test]
        fn counting_by_words_agrees_with_counting_chars(s in "\\PC{0,700}", bytes in prop::collection::vec(any::<u8>(), 0..700)) {
            prop_assert_eq!(cp_len(&s), s.chars().count());
            // Any bytes, as the blocks of a text cut anywhere are.
            let starts = bytes.iter().filter(|&&b| starts_char(b)).count();
            prop_assert_eq!(chars_in(&bytes), starts);
        }

        #[test]
        fn conversions_agree_with_chars_over_many_blocks(s in "[aé北😀 \\n]{0,1500}", cp in 0usize..1600) {
            let expected = s.char_indices().map(|(b, _)| b).chain([s.len()]).nth(cp);
            prop_assert_eq!(cp_to_byte_checked(&s, cp), expected);
            prop_assert_eq!(cp_to_byte(&s, cp), expected.unwrap_or(s.len()));
            prop_assert_eq!(CpIndex::new(&s).byte(&s, cp), expected);
            let b = expected.unwrap_or(s.len());
            prop_assert_eq!(byte_to_cp(&s, b), cp.min(s.chars().count()));
        }

        #[test]
        fn checked_conversion_is_none_only_past_the_end(s in "\\PC{0,200}", cp in 0usize..210) {
            let expected = (cp <= cp_len(&s)).then(|| cp_to_byte(&s, cp));
            prop_assert_eq!(cp_to_byte_checked(&s, cp), expected);
        }

        #[test]
        fn the_index_agrees_with_the_plain_conversions(s in "\\PC{0,300}", a in 0usize..310, b in 0usize..310) {
            let index = CpIndex::new(&s);
            prop_assert_eq!(index.len(), cp_len(&s));
            let expected = (a <= cp_len(&s)).then(|| cp_to_byte(&s, a));
            prop_assert_eq!(index.byte(&s, a), expected);
            prop_assert_eq!(index.slice(&s, a, b), slice_cp(&s, a, b));
            let expected = (a <= b && b <= cp_len(&s)).then(|| (cp_to_byte(&s, a), cp_to_byte(&s, b)));
            prop_assert_eq!(index.bytes(&s, a, b), expected);
        }

        /// Offsets from the DOM or a file can be anything: every conversion takes any
        /// `usize`, far past the end included, and answers.
        #[test]
        fn no_conversion_panics_on_any_offset(
            s in "\\PC{0,300}",
            a in prop_oneof![0usize..400, any::<usize>()],
            b in prop_oneof![0usize..400, any::<usize>()],
        ) {
            let len = cp_len(&s);
            let index = CpIndex::new(&s);
            for cp in [a, b] {
                prop_assert!(cp_to_byte(&s, cp) <= s.len());
                prop_assert_eq!(cp_to_byte_checked(&s, cp).is_some(), cp <= len);
                prop_assert!(byte_to_cp(&s, cp) <= len);
                prop_assert!(utf16_to_cp(&s, cp) <= len);
                prop_assert!(cp_to_utf16(&s, cp) <= s.len());
                prop_assert_eq!(index.byte(&s, cp).is_some(), cp <= len);
            }
            let in_range = a <= b && b <= len;
            prop_assert_eq!(slice_cp(&s, a, b).is_some(), in_range);
            prop_assert_eq!(index.bytes(&s, a, b).is_some(), in_range);
            prop_assert_eq!(index.slice(&s, a, b).is_some(), in_range);
        }

        #[test]
        fn slice_matches_chars(s in "\\PC{0,40}", a in 0usize..45, b in 0usize..45) {
            let (a, b) = (a.min(b), a.max(b));
            let expected: Option<String> =
                (b <= cp_len(&s)).then(|| s.chars().skip(a).take(b - a).collect());
            prop_assert_eq!(slice_cp(&s, a, b).map(str::to_owned), expected);
        }
    }
}
