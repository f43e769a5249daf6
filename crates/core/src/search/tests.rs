use super::*;
use crate::model::Document;
use crate::offsets::slice_cp;

const EXACT: SearchOptions = SearchOptions {
    case_sensitive: true,
    whole_word: false,
};
const ANY_CASE: SearchOptions = SearchOptions {
    case_sensitive: false,
    whole_word: false,
};
const WORDS: SearchOptions = SearchOptions {
    case_sensitive: false,
    whole_word: true,
};

fn texts<'a>(text: &'a str, matches: &[(usize, usize)]) -> Vec<&'a str> {
    matches
        .iter()
        .map(|&(s, e)| slice_cp(text, s, e).unwrap())
        .collect()
}

#[test]
fn finds_non_overlapping_matches_left_to_right() {
    assert_eq!(find("aaaa", "aa", EXACT), [(0, 2), (2, 4)]);
    assert_eq!(find("aaa", "aa", EXACT), [(0, 2)]);
    assert_eq!(find("abcabc", "", EXACT), []);
    assert_eq!(find("", "a", EXACT), []);
    assert_eq!(find("Russia, russia", "Russia", EXACT), [(0, 6)]);
    assert_eq!(
        find("Russia, russia", "RUSSIA", ANY_CASE),
        [(0, 6), (8, 14)]
    );
}

#[test]
fn offsets_are_code_points_of_the_original_text() {
    let t = "😀 Zürich, 👩\u{200d}👩\u{200d}👧 zürich";
    assert_eq!(find(t, "zürich", ANY_CASE), [(2, 8), (16, 22)]);
    assert_eq!(texts(t, &find(t, "ZÜRICH", ANY_CASE)), ["Zürich", "zürich"]);
}

#[test]
fn lowercase_of_another_length_does_not_shift_or_split() {
    // 'İ' lowercases to "i̇" (two code points): offsets after it must stay exact.
    let t = "İstanbul and istanbul, İSTANBUL";
    let found = find(t, "istanbul", ANY_CASE);
    assert_eq!(texts(t, &found), ["istanbul"]);
    assert_eq!(found, [(13, 21)]);
    // Searching for the whole lowercase sequence finds the capital too.
    assert_eq!(
        texts(t, &find(t, "i\u{307}stanbul", ANY_CASE)),
        ["İstanbul", "İSTANBUL"]
    );
    assert_eq!(
        texts(t, &find(t, "İSTANBUL", ANY_CASE)),
        ["İstanbul", "İSTANBUL"]
    );
    // A query that covers only part of a character's lowercase never matches it.
    assert_eq!(find("İ", "i", ANY_CASE), []);
    assert_eq!(find("İ", "\u{307}", ANY_CASE), []);
}

#[test]
fn whole_words_need_non_alphanumeric_neighbours() {
    let t = "Russia's Russian russia (RUSSIA) Россия-Russia";
    assert_eq!(
        texts(t, &find(t, "russia", WORDS)),
        ["Russia", "russia", "RUSSIA", "Russia"]
    );
    assert_eq!(find("Russia1", "russia", WORDS), []);
    // A combining accent continues the word.
    assert_eq!(find("e\u{301}cole e", "e", WORDS), [(7, 8)]);
    // A word-rejected candidate does not hide a later overlapping one.
    assert_eq!(find("aa a", "a", WORDS), [(3, 4)]);
}

#[test]
fn current_index_wraps() {
    let m = [(2, 4), (6, 8)];
    assert_eq!(current_index(&m, 0), Some(0));
    assert_eq!(current_index(&m, 3), Some(1));
    assert_eq!(current_index(&m, 6), Some(1));
    assert_eq!(current_index(&m, 7), Some(0));
    assert_eq!(current_index(&[], 0), None);
}

#[test]
fn tag_all_skips_invalid_and_already_tagged_matches() {
    let text = "Aleppo and aleppo.\ne\u{301} e";
    let mut d = AnnotatedDocument::new(Document::new("t", text));
    d.apply(Action::AddSpan {
        start: 0,
        end: 6,
        label: "place".into(),
    })
    .unwrap();
    let places = find(text, "aleppo", ANY_CASE);
    assert_eq!(places, [(0, 6), (11, 17)]);
    let plan = tag_all(&d, &places, "place").unwrap();
    assert_eq!(
        plan.actions,
        [Action::AddSpan {
            start: 11,
            end: 17,
            label: "place".into()
        }]
    );
    assert_eq!((plan.already_tagged, plan.invalid), (1, 0));
    // Another label may tag the same range.
    assert_eq!(tag_all(&d, &places, "actor").unwrap().actions.len(), 2);

    // "e" splits "é" (e + combining accent); " e" starts with white space; a repeated
    // or out-of-range match is left out too.
    assert_eq!(find(text, "e", EXACT)[2..], [(19, 20), (22, 23)]);
    let plan = tag_all(
        &d,
        &[(19, 20), (21, 23), (22, 23), (22, 23), (90, 99)],
        "actor",
    )
    .unwrap();
    assert_eq!(plan.actions.len(), 1);
    assert_eq!((plan.already_tagged, plan.invalid), (1, 3));
    assert_eq!(
        tag_all(&d, &places, "nope"),
        Err(EditError::UnknownLabel("nope".into()))
    );
}

#[test]
fn every_planned_action_applies() {
    let text = "Lavrov said.\r\nLAVROV, lavrov\n🇺🇸 lavrov";
    let mut d = AnnotatedDocument::new(Document::new("t", text));
    let plan = tag_all(&d, &find(text, "lavrov", ANY_CASE), "actor").unwrap();
    assert_eq!(plan.actions.len(), 4);
    for a in plan.actions {
        assert!(d.apply(a).is_ok());
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod props {
    use super::super::*;
    use crate::model::Document;
    use crate::offsets::slice_cp;
    use proptest::prelude::*;

    fn tricky_text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "a", "A", "ab", "Ab", " ", "\n", "\r\n", "İ", "i", "\u{307}", "ß", "ẞ", "Σ", "ς",
            "e\u{301}", "😀", "🇺🇸", "北京", "'s", "-", "Zürich", "ZÜRICH", "ǅ", "ﬁ",
        ]);
        prop::collection::vec(pieces, 0..30).prop_map(|v| v.concat())
    }

    fn query() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "a", "A", "b", " ", "i", "İ", "\u{307}", "ß", "σ", "e", "\u{301}", "😀", "ü", "Ü",
            "\n", "ﬁ", "ǆ",
        ]);
        prop::collection::vec(pieces, 0..4).prop_map(|v| v.concat())
    }

    fn options() -> impl Strategy<Value = SearchOptions> {
        (any::<bool>(), any::<bool>()).prop_map(|(c, w)| SearchOptions {
            case_sensitive: c,
            whole_word: w,
        })
    }

    fn lower(s: &str) -> String {
        s.chars().flat_map(char::to_lowercase).collect()
    }

    proptest! {
        #[test]
        fn matches_equal_the_query_and_never_overlap(t in tricky_text(), q in query(), o in options()) {
            let found = find(&t, &q, o);
            let len = t.chars().count();
            let mut last_end = 0;
            for &(s, e) in &found {
                prop_assert!(s < e && e <= len);
                prop_assert!(s >= last_end, "overlap at {}..{}", s, e);
                last_end = e;
                let slice = slice_cp(&t, s, e).unwrap();
                if o.case_sensitive {
                    prop_assert_eq!(slice, q.as_str());
                } else {
                    prop_assert_eq!(lower(slice), lower(&q));
                }
            }
        }

        #[test]
        fn case_sensitive_search_agrees_with_str_match_indices(t in tricky_text(), q in query()) {
            prop_assume!(!q.is_empty());
            let expected: Vec<(usize, usize)> = t
                .match_indices(q.as_str())
                .map(|(b, m)| {
                    let s = t[..b].chars().count();
                    (s, s + m.chars().count())
                })
                .collect();
            prop_assert_eq!(find(&t, &q, SearchOptions { case_sensitive: true, whole_word: false }), expected);
        }

        #[test]
        fn whole_word_matches_are_a_subset(t in tricky_text(), q in query(), c in any::<bool>()) {
            let all = find(&t, &q, SearchOptions { case_sensitive: c, whole_word: false });
            let words = find(&t, &q, SearchOptions { case_sensitive: c, whole_word: true });
            let chars: Vec<char> = t.chars().collect();
            for m in &words {
                let before = m.0.checked_sub(1).map(|i| chars[i]);
                let after = chars.get(m.1).copied();
                prop_assert!(!before.is_some_and(char::is_alphanumeric));
                prop_assert!(!after.is_some_and(char::is_alphanumeric));
                // A whole-word match is a match, unless it overlapped an earlier rejected one.
                prop_assert!(all.contains(m) || all.iter().any(|a| a.0 < m.1 && m.0 < a.1));
            }
        }

        /// Any text, any query typed, any cursor and any list of matches (not only those
        /// `find` gives): searching and planning a tag-all answer without panicking.
        #[test]
        fn searching_and_planning_never_panic_on_any_input(
            t in prop_oneof![tricky_text(), "\\PC{0,60}"],
            q in prop_oneof![query(), "\\PC{0,4}"],
            o in options(),
            cursor in prop_oneof![0usize..80, any::<usize>()],
            raw in prop::collection::vec(
                (prop_oneof![0usize..80, any::<usize>()], prop_oneof![0usize..80, any::<usize>()]),
                0..8,
            ),
        ) {
            let found = find(&t, &q, o);
            let len = t.chars().count();
            prop_assert!(found.iter().all(|&(s, e)| s < e && e <= len));
            prop_assert_eq!(current_index(&found, cursor).is_some(), !found.is_empty());
            let d = AnnotatedDocument::new(Document::new("t", t.as_str()));
            let plan = tag_all(&d, &raw, "place").unwrap();
            prop_assert_eq!(plan.actions.len() + plan.already_tagged + plan.invalid, raw.len());
            prop_assert!(d.clone().apply(Action::Batch(plan.actions)).is_ok());
        }

        #[test]
        fn a_tag_all_plan_always_applies(t in tricky_text(), q in query(), o in options()) {
            let mut d = AnnotatedDocument::new(Document::new("t", t.as_str()));
            let found = find(&t, &q, o);
            let plan = tag_all(&d, &found, "place").unwrap();
            prop_assert_eq!(plan.actions.len() + plan.already_tagged + plan.invalid, found.len());
            // As one batch (one undoable step) it applies too.
            let mut batched = d.clone();
            prop_assert!(batched.apply(Action::Batch(plan.actions.clone())).is_ok());
            prop_assert_eq!(batched.spans().len(), plan.actions.len());
            for a in plan.actions.clone() {
                prop_assert!(d.apply(a).is_ok());
            }
            // Planning again on the result tags nothing new.
            let again = tag_all(&d, &found, "place").unwrap();
            prop_assert!(again.actions.is_empty());
            prop_assert_eq!(again.already_tagged, plan.actions.len());
        }
    }
}
