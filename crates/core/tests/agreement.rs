//! Agreement between annotators (`spanmark_core::agreement`): the measures on small worked
//! cases, comparing and curating, and property tests over random versions of a document.

// Test code: a failed assumption should stop the test, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;

use spanmark_core::agreement::*;
use spanmark_core::schema::End;
use spanmark_core::{Action, AnnotatedDocument, Document, Schema};
use spanmark_formats::native;
use spanmark_testkit::annotators::{
    four, named, named_as, worked_example, TEXT, WORKED_EXAMPLE_FILES,
};
use spanmark_testkit::{annotated, link, note};

fn report(docs: &[AnnotatedDocument]) -> Report {
    agreement(&named(docs)).unwrap()
}

/// Adds a span at code points `[start, end)`.
fn span_at(d: &mut AnnotatedDocument, start: usize, end: usize, label: &str) {
    d.apply(Action::AddSpan {
        start,
        end,
        label: label.into(),
    })
    .unwrap();
}

#[track_caller]
fn close(value: Option<f64>, expected: f64) {
    let v = value.unwrap_or_else(|| panic!("undefined, expected {expected}"));
    assert!((v - expected).abs() < 1e-12, "{v} is not {expected}");
}

#[track_caller]
fn prf(p: &Prf, precision: f64, recall: f64, f1: f64) {
    close(p.precision, precision);
    close(p.recall, recall);
    close(p.f1, f1);
}

fn row<'a>(r: &'a Report, label: &str) -> &'a LabelRow {
    r.labels.iter().find(|l| l.label == label).unwrap()
}

#[test]
fn tokens_are_words_with_a_letter_or_digit() {
    assert_eq!(
        tokens(TEXT),
        [
            (0, 6),
            (7, 11),
            (12, 17),
            (18, 24),
            (25, 27),
            (28, 30),
            (31, 37)
        ]
    );
    // Hyphens split words; an apostrophe inside one does not; numbers are words; code
    // points, not bytes.
    let words = |t: &str| -> Vec<String> {
        tokens(t)
            .iter()
            .map(|&(s, e)| t.chars().skip(s).take(e - s).collect())
            .collect()
    };
    assert_eq!(
        words("US-backed, the country's 16 June… Zürich!"),
        ["US", "backed", "the", "country's", "16", "June", "Zürich"]
    );
    assert!(tokens(" .,; — ").is_empty());
}

#[test]
fn perfect_agreement_gives_one_everywhere() {
    let mut a = four();
    link(&mut a, "said_by", "s3", "s2");
    let r = report(&[a.clone(), a]);
    for l in r.labels.iter().chain([&r.overall]) {
        prf(&l.exact, 1.0, 1.0, 1.0);
        prf(&l.overlap, 1.0, 1.0, 1.0);
    }
    assert_eq!(r.overall.counts, [4, 4]);
    assert_eq!((r.overall.exact.matched, r.overall.overlap.matched), (4, 4));
    prf(&r.relations, 1.0, 1.0, 1.0);
    // Token labels: actor O actor denial denial O place, the same for both. p_o = 1,
    // p_e = (2² + 2² + 2² + 1²) / 7² = 13/49, kappa = (1 − 13/49) / (1 − 13/49) = 1.
    assert_eq!(r.tokens, 7);
    close(r.cohen_kappa, 1.0);
    close(r.fleiss_kappa, 1.0);
}

/// Pins a property-test case: two copies of a version without spans were expected to agree
/// with F1 = 1 on "All labels", but with nothing annotated there is nothing to measure.
#[test]
fn two_empty_versions_have_undefined_scores_not_perfect_ones() {
    let empty = annotated(TEXT, &[]);
    let r = report(&[empty.clone(), empty]);
    assert!(r.labels.is_empty());
    assert_eq!(r.overall.counts, [0, 0]);
    for p in [&r.overall.exact, &r.overall.overlap, &r.relations] {
        assert_eq!((p.precision, p.recall, p.f1), (None, None, None));
    }
}

#[test]
fn no_overlap_at_all_gives_zero() {
    let a = annotated(TEXT, &[("Lavrov", "actor"), ("Kerry", "actor")]);
    let b = annotated(TEXT, &[("denied it", "denial"), ("Geneva", "place")]);
    let r = report(&[a, b]);
    // 0 of B's 2 spans match, 0 of A's 2: P = 0/2, R = 0/2, F1 = 2·0 / (2 + 2) = 0.
    prf(&r.overall.exact, 0.0, 0.0, 0.0);
    prf(&r.overall.overlap, 0.0, 0.0, 0.0);
    // Actor: A has 2, B none: precision undefined, recall 0/2, F1 = 0 / (0 + 2) = 0.
    let actor = row(&r, "actor");
    assert_eq!(actor.counts, [2, 0]);
    assert_eq!(actor.exact.precision, None);
    close(actor.exact.recall, 0.0);
    close(actor.exact.f1, 0.0);
    // Denial: B has 1, A none: recall undefined.
    let denial = row(&r, "denial");
    assert_eq!(denial.exact.recall, None);
    close(denial.exact.precision, 0.0);
    // Tokens A: actor O actor O O O O; B: O O O denial denial O place. Agreed: "said",
    // "in" (2 of 7). A: actor 2, O 5; B: O 4, denial 2, place 1. Σ a_k·b_k = 5·4 = 20.
    // Cohen = (7·2 − 20) / (7² − 20) = −6/29.
    close(r.cohen_kappa, -6.0 / 29.0);
    // Fleiss: P̄ = 2/7 (agreed tokens 1, others 0); 14 labels: actor 2, O 9, denial 2,
    // place 1, P̄_e = (4 + 81 + 4 + 1) / 196 = 90/196;
    // kappa = (56/196 − 90/196) / (106/196) = −34/106 = −17/53.
    close(r.fleiss_kappa, -17.0 / 53.0);
}

#[test]
fn partial_overlap_matches_only_by_overlap() {
    // "said Kerry" [7,17) against "Kerry denied it" [12,27): "Kerry" in common.
    let a = annotated(TEXT, &[("said Kerry", "claim")]);
    let b = annotated(TEXT, &[("Kerry denied it", "claim")]);
    let r = report(&[a, b]);
    prf(&r.overall.exact, 0.0, 0.0, 0.0);
    prf(&r.overall.overlap, 1.0, 1.0, 1.0);
    assert_eq!(r.overall.overlap.matched, 1);
    // Tokens A: O claim claim O O O O; B: O O claim claim claim O O. Agreed: Lavrov,
    // Kerry, in, Geneva (4). A: claim 2, O 5; B: claim 3, O 4; Σ = 2·3 + 5·4 = 26.
    // Cohen = (7·4 − 26) / (49 − 26) = 2/23.
    close(r.cohen_kappa, 2.0 / 23.0);
}

#[test]
fn the_same_range_with_another_label_matches_in_neither_way() {
    let a = annotated(TEXT, &[("denied it", "denial")]);
    let b = annotated(TEXT, &[("denied it", "claim")]);
    let r = report(&[a, b]);
    assert_eq!(r.overall.exact.matched, 0);
    assert_eq!(r.overall.overlap.matched, 0);
    assert_eq!(
        r.labels
            .iter()
            .map(|l| l.label.as_str())
            .collect::<Vec<_>>(),
        ["claim", "denial"],
        "in schema order"
    );
}

#[test]
fn overlap_matching_is_one_to_one_largest_overlap_first() {
    // A: "Kerry denied it" [12,27). B: "Kerry" [12,17) (5 in common) and "denied it"
    // [18,27) (9 in common): A's span pairs with "denied it" only.
    let a = annotated(TEXT, &[("Kerry denied it", "claim")]);
    let b = annotated(TEXT, &[("Kerry", "claim"), ("denied it", "claim")]);
    let r = report(&[a.clone(), b.clone()]);
    // P = 1/2, R = 1/1, F1 = 2·1 / (2 + 1) = 2/3.
    prf(&r.overall.overlap, 0.5, 1.0, 2.0 / 3.0);
    // The other way round the pairs are the same: P and R swap.
    let r = report(&[b, a]);
    prf(&r.overall.overlap, 1.0, 0.5, 2.0 / 3.0);

    // A span contained in a longer one still pairs with its identical twin (the pairing
    // itself is checked in the crate: `overlap_matches_pairs_a_contained_span_with_its_twin`).
    let a = annotated(TEXT, &[("Lavrov said Kerry", "claim"), ("said", "claim")]);
    let b = annotated(TEXT, &[("said", "claim"), ("said Kerry denied", "claim")]);
    assert_eq!(report(&[a, b]).overall.exact.matched, 1);
}

#[test]
fn nested_spans_give_their_label_to_their_words() {
    // A: the claim "Lavrov said Kerry denied it" with the actors Lavrov and Kerry in it;
    // B: the same claim with only Lavrov.
    let claim = "Lavrov said Kerry denied it";
    let a = annotated(
        TEXT,
        &[(claim, "claim"), ("Lavrov", "actor"), ("Kerry", "actor")],
    );
    let b = annotated(TEXT, &[(claim, "claim"), ("Lavrov", "actor")]);
    let r = report(&[a, b]);
    // Spans: 2 of B's 2 match, of A's 3: P = 1, R = 2/3, F1 = 4/5.
    prf(&r.overall.exact, 1.0, 2.0 / 3.0, 0.8);
    prf(&row(&r, "actor").exact, 1.0, 0.5, 2.0 / 3.0);
    prf(&row(&r, "claim").exact, 1.0, 1.0, 1.0);
    // Tokens A: actor claim actor claim claim O O; B: actor claim claim claim claim O O.
    // Agreed 6 of 7. A: actor 2, claim 3, O 2; B: actor 1, claim 4, O 2;
    // Σ = 2·1 + 3·4 + 2·2 = 18. Cohen = (7·6 − 18) / (49 − 18) = 24/31.
    close(r.cohen_kappa, 24.0 / 31.0);
}

#[test]
fn three_annotators_average_over_pairs_and_fleiss() {
    let a = annotated(
        TEXT,
        &[("Lavrov", "actor"), ("Kerry", "actor"), ("Geneva", "place")],
    );
    let b = annotated(TEXT, &[("Lavrov", "actor"), ("Kerry", "actor")]);
    let c = annotated(
        TEXT,
        &[
            ("Lavrov", "actor"),
            ("Geneva", "place"),
            ("denied it", "denial"),
        ],
    );
    let r = report(&[a, b, c]);
    // Pairs, the earlier as reference:
    //   (A, B): 2 matched of B's 2 and A's 3: P = 1,   R = 2/3, F1 = 4/5
    //   (A, C): 2 matched of C's 3 and A's 3: P = 2/3, R = 2/3, F1 = 2/3
    //   (B, C): 1 matched of C's 3 and B's 2: P = 1/3, R = 1/2, F1 = 2/5
    // Means: P = 2/3, R = (2/3 + 2/3 + 1/2) / 3 = 11/18, F1 = (4/5 + 2/3 + 2/5) / 3 = 28/45.
    prf(&r.overall.exact, 2.0 / 3.0, 11.0 / 18.0, 28.0 / 45.0);
    assert_eq!(
        (
            r.overall.exact.matched,
            r.overall.exact.predicted,
            r.overall.exact.reference
        ),
        (5, 8, 8)
    );
    assert_eq!(r.overall.counts, [3, 2, 3]);
    assert_eq!(r.cohen_kappa, None, "Cohen's kappa is for two annotators");
    // Tokens (A, B, C): Lavrov (actor ×3), said (O ×3), Kerry (actor, actor, O),
    // denied (O, O, denial), it (O, O, denial), in (O ×3), Geneva (place, O, place).
    // P_i = (Σ_k n_ik² − 3) / 6: 1, 1, 1/3, 1/3, 1/3, 1, 1/3; P̄ = (13/3) / 7 = 13/21.
    // 21 labels: actor 5, O 12, denial 2, place 2; P̄_e = (25 + 144 + 4 + 4) / 441 = 177/441.
    // Fleiss = (273/441 − 177/441) / (264/441) = 96/264 = 4/11.
    close(r.fleiss_kappa, 4.0 / 11.0);
}

#[test]
fn relations_match_by_type_and_end_spans_not_ids() {
    // A: s1 Lavrov, s2 Kerry, s3 "denied it", s4 Geneva. B has the same spans added in
    // another order, so other ids: s1 Geneva, s2 "denied it", s3 Kerry, s4 Lavrov.
    let mut a = four();
    link(&mut a, "said_by", "s3", "s2");
    link(&mut a, "located_in", "s3", "s4");
    let mut b = annotated(
        TEXT,
        &[
            ("Geneva", "place"),
            ("denied it", "denial"),
            ("Kerry", "actor"),
            ("Lavrov", "actor"),
        ],
    );
    link(&mut b, "said_by", "s2", "s3");
    link(&mut b, "said_by", "s2", "s4");
    let r = report(&[a, b]);
    prf(&r.overall.exact, 1.0, 1.0, 1.0);
    // said_by(denied it → Kerry) agreed; A's located_in and B's said_by → Lavrov not:
    // P = 1/2, R = 1/2, F1 = 2/4.
    prf(&r.relations, 0.5, 0.5, 0.5);
    assert_eq!(r.relation_counts, [2, 2]);
}

#[test]
fn kappa_is_undefined_when_every_token_has_one_label() {
    let empty = AnnotatedDocument::new(Document::new("t", TEXT));
    let r = report(&[empty.clone(), empty]);
    // Every token is O for both: p_e = 1.
    assert_eq!((r.cohen_kappa, r.fleiss_kappa), (None, None));
    assert_eq!(r.tokens, 7);
    assert!(r.labels.is_empty());
    let nothing = Prf {
        precision: None,
        recall: None,
        f1: None,
        matched: 0,
        predicted: 0,
        reference: 0,
    };
    assert_eq!(
        (r.overall.exact, r.overall.overlap, r.relations),
        (nothing, nothing, nothing)
    );

    // A text without words has no tokens.
    let d = AnnotatedDocument::new(Document::new("t", "— …"));
    let r = report(&[d.clone(), d]);
    assert_eq!((r.tokens, r.cohen_kappa, r.fleiss_kappa), (0, None, None));
}

#[test]
fn different_texts_are_refused_at_the_first_differing_code_point() {
    let doc = |text: &str| AnnotatedDocument::new(Document::new("t", text));
    let err = |texts: &[&str]| {
        let docs: Vec<AnnotatedDocument> = texts.iter().map(|t| doc(t)).collect();
        agreement(&named(&docs)).unwrap_err()
    };
    // "ü" is one code point (two bytes): they differ from code point 16, byte 17.
    assert_eq!(
        err(&["Lavrov in Zürich.", "Lavrov in Zürich!"]),
        AgreementError::DifferentText {
            first: "A".into(),
            other: "B".into(),
            at: 16
        }
    );
    // One text the start of the other: they differ where the shorter ends. The first
    // annotation that differs is named.
    let e = err(&["abc", "abc", "abcd"]);
    assert_eq!(
        e,
        AgreementError::DifferentText {
            first: "A".into(),
            other: "C".into(),
            at: 3
        }
    );
    assert_eq!(
        e.to_string(),
        "A and C are not the same text (they differ from character 3)"
    );
    let docs = [doc("x"), doc("y")];
    let pair = named(&docs);
    assert!(compare(&pair).is_err());
    let nothing = Comparison {
        agreed: vec![],
        disputed: vec![],
    };
    assert!(curate(&pair, &nothing, &HashSet::new()).is_err());
}

#[test]
fn one_annotation_is_too_few() {
    let a = four();
    assert_eq!(agreement(&[]), Err(AgreementError::TooFew));
    let one = named(std::slice::from_ref(&a));
    assert_eq!(agreement(&one), Err(AgreementError::TooFew));
    assert_eq!(compare(&one).map(|_| ()), Err(AgreementError::TooFew));
    assert_eq!(
        AgreementError::TooFew.to_string(),
        "agreement needs at least two annotations"
    );
}

#[test]
fn rows_follow_the_first_schema_then_the_others() {
    // B adds a label "Date" (id "date") that A's schema lacks; labels nobody uses get no row.
    let a = annotated(TEXT, &[("Geneva", "place"), ("Lavrov", "actor")]);
    let mut b = a.clone();
    let (schema, id) = b.schema.with_label_added("Date").unwrap();
    b.apply(Action::SetSchema { schema }).unwrap();
    span_at(&mut b, 25, 27, &id);
    let r = report(&[a, b]);
    let rows: Vec<(&str, &str, &[usize])> = r
        .labels
        .iter()
        .map(|l| (l.label.as_str(), l.name.as_str(), l.counts.as_slice()))
        .collect();
    assert_eq!(
        rows,
        [
            ("actor", "Actor", &[1, 1][..]),
            ("place", "Place", &[1, 1][..]),
            ("date", "Date", &[0, 1][..])
        ]
    );
    assert_eq!(
        (r.overall.label.as_str(), r.overall.name.as_str()),
        ("", "All labels")
    );
}

#[test]
fn the_worked_example_of_the_documentation() {
    let docs = worked_example();
    let r = agreement(&named_as(&docs, &WORKED_EXAMPLE_FILES)).unwrap();
    prf(&r.overall.exact, 2.0 / 3.0, 0.5, 4.0 / 7.0);
    prf(&r.overall.overlap, 1.0, 0.75, 6.0 / 7.0);
    close(r.cohen_kappa, 3.0 / 5.0);
    close(r.fleiss_kappa, 41.0 / 69.0);
}

fn span_item(start: usize, end: usize, label: &str) -> ItemKey {
    ItemKey::Span {
        start,
        end,
        label: label.into(),
    }
}

/// A and B agree on Lavrov and Kerry (actors); A has "denied it" as a denial, B as a
/// claim; only B has Geneva. Both say "denied it" is said by Kerry, but as the label of
/// "denied it" differs so do the relations; only B says it is also said by Lavrov.
fn disputed_pair() -> (AnnotatedDocument, AnnotatedDocument) {
    let mut a = annotated(
        TEXT,
        &[
            ("Lavrov", "actor"),
            ("Kerry", "actor"),
            ("denied it", "denial"),
        ],
    );
    link(&mut a, "said_by", "s3", "s2");
    note(&mut a, "s1", "foreign minister");
    let mut b = annotated(
        TEXT,
        &[
            ("Lavrov", "actor"),
            ("Kerry", "actor"),
            ("denied it", "claim"),
            ("Geneva", "place"),
        ],
    );
    link(&mut b, "said_by", "s3", "s2");
    link(&mut b, "said_by", "s3", "s1");
    note(&mut b, "s1", "Sergey Lavrov");
    note(&mut b, "s2", "checked");
    (a, b)
}

#[test]
fn compare_splits_agreed_and_disputed() {
    let (a, b) = disputed_pair();
    let c = compare(&named(&[a, b])).unwrap();
    let agreed: Vec<(&ItemKey, &str)> =
        c.agreed.iter().map(|i| (&i.key, i.text.as_str())).collect();
    assert_eq!(
        agreed,
        [
            (&span_item(0, 6, "actor"), "Lavrov"),
            (&span_item(12, 17, "actor"), "Kerry"),
        ]
    );
    let disputed: Vec<(&str, &[usize])> = c
        .disputed
        .iter()
        .map(|i| (i.text.as_str(), i.by.as_slice()))
        .collect();
    assert_eq!(
        disputed,
        [
            ("denied it", &[1][..]),
            ("denied it", &[0][..]),
            ("Geneva", &[1][..]),
            ("denied it \u{2192} Lavrov", &[1][..]),
            ("denied it \u{2192} Kerry", &[1][..]),
            ("denied it \u{2192} Kerry", &[0][..]),
        ]
    );
    assert_eq!(c.disputed[0].key, span_item(18, 27, "claim"));
    assert_eq!(
        c.disputed[5].key,
        ItemKey::Relation {
            kind: "said_by".into(),
            from: (18, 27, "denial".into()),
            to: (12, 17, "actor".into())
        }
    );
}

/// The spans and relations of a document by content.
fn content(d: &AnnotatedDocument) -> (Vec<(usize, usize, &str)>, Vec<String>) {
    let spans = d
        .spans()
        .iter()
        .map(|s| (s.start, s.end, s.label.as_str()))
        .collect();
    let relations = d
        .relations
        .iter()
        .map(|r| {
            let (f, t) = (d.span(&r.from).unwrap(), d.span(&r.to).unwrap());
            format!("{} {}:{} → {}:{}", r.kind, f.text, f.label, t.text, t.label)
        })
        .collect();
    (spans, relations)
}

#[test]
fn curating_keeps_agreed_and_accepted_items() {
    let (a, b) = disputed_pair();
    let docs = [a, b];
    let annotations = named(&docs);
    let c = compare(&annotations).unwrap();
    // Accept B's claim, its relation to Kerry and A's relation from the denial (whose
    // span is rejected, so it goes); Geneva is rejected.
    let accepted: HashSet<ItemKey> = [&c.disputed[0], &c.disputed[4], &c.disputed[5]]
        .into_iter()
        .map(|i| i.key.clone())
        .collect();
    let d = curate(&annotations, &c, &accepted).unwrap();
    let (spans, relations) = content(&d);
    assert_eq!(
        spans,
        [(0, 6, "actor"), (12, 17, "actor"), (18, 27, "claim")]
    );
    assert_eq!(relations, ["said_by denied it:claim → Kerry:actor"]);
    let ids: Vec<&str> = d.spans().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["s1", "s2", "s3"]);
    assert_eq!(d.relations[0].id, "r1");
    // Notes: both annotators' on Lavrov, B's on Kerry.
    assert_eq!(
        d.spans()[0].note.as_deref(),
        Some("foreign minister\n\nSergey Lavrov")
    );
    assert_eq!(d.spans()[1].note.as_deref(), Some("checked"));
    assert_eq!(d.document.title, "t (curated)");
    assert_eq!(d.document.id, Document::new("t (curated)", TEXT).id);
    assert_eq!(native::parse(&native::write(&d)), Ok(d.clone()));

    // Accepting nothing keeps what both agree on; a relation whose end is rejected goes.
    let d = curate(&annotations, &c, &HashSet::new()).unwrap();
    assert_eq!(
        content(&d),
        (vec![(0, 6, "actor"), (12, 17, "actor")], vec![])
    );
    // Accepting everything keeps all of it.
    let all: HashSet<ItemKey> = c.disputed.iter().map(|i| i.key.clone()).collect();
    let d = curate(&annotations, &c, &all).unwrap();
    assert_eq!(d.spans().len(), 5);
    // r1, r2, r3 in text order, as a comparison lists them.
    assert_eq!(
        content(&d).1,
        [
            "said_by denied it:claim → Lavrov:actor",
            "said_by denied it:claim → Kerry:actor",
            "said_by denied it:denial → Kerry:actor",
        ]
    );
    let ids: Vec<&str> = d.relations.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["r1", "r2", "r3"]);
    assert_eq!(native::parse(&native::write(&d)), Ok(d));
}

#[test]
fn a_curated_relation_widens_a_narrower_relation_type() {
    // B's schema lets "said_by" start at a place; A's, which the curated schema follows,
    // does not: the type is widened to keep B's accepted relation valid.
    let a = annotated(TEXT, &[("Kerry", "actor"), ("Geneva", "place")]);
    let mut b = a.clone();
    let schema = b
        .schema
        .with_relation_end("said_by", End::From, "place", true)
        .unwrap();
    b.apply(Action::SetSchema { schema }).unwrap();
    link(&mut b, "said_by", "s2", "s1");
    let docs = [a, b];
    let annotations = named(&docs);
    let c = compare(&annotations).unwrap();
    let all: HashSet<ItemKey> = c.disputed.iter().map(|i| i.key.clone()).collect();
    let d = curate(&annotations, &c, &all).unwrap();
    assert_eq!(d.relations.len(), 1);
    let said_by = d.schema.relation_type("said_by").unwrap();
    assert_eq!(said_by.from_labels, ["claim", "denial", "place"]);
    assert_eq!(native::parse(&native::write(&d)), Ok(d));
}

#[test]
fn the_curated_schema_is_the_first_merged_with_the_others() {
    let a = annotated(TEXT, &[("Lavrov", "actor")]);
    let mut b = a.clone();
    let (schema, id) = b.schema.with_label_added("Date").unwrap();
    b.apply(Action::SetSchema { schema }).unwrap();
    let schema = b.schema.with_label_renamed("actor", "Person").unwrap();
    b.apply(Action::SetSchema { schema }).unwrap();
    span_at(&mut b, 25, 27, &id);
    let docs = [a, b];
    let annotations = named(&docs);
    let c = compare(&annotations).unwrap();
    let all: HashSet<ItemKey> = c.disputed.iter().map(|i| i.key.clone()).collect();
    let d = curate(&annotations, &c, &all).unwrap();
    let names: Vec<&str> = d.schema.labels.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["Actor", "Place", "Claim", "Denial", "Date"]);
    assert_eq!(d.schema, docs[1].schema.merged_with(&Schema::default()));
    assert_eq!(d.spans()[1].label, "date");
}

#[cfg(not(target_arch = "wasm32"))]
mod props {
    use super::*;
    use proptest::prelude::*;
    use spanmark_testkit::versions::{odd_document, persisted_in, versions};

    #[track_caller]
    fn within(value: Option<f64>, lo: f64, hi: f64) -> Result<(), TestCaseError> {
        if let Some(v) = value {
            prop_assert!((lo..=hi).contains(&v), "{} is outside [{}, {}]", v, lo, hi);
        }
        Ok(())
    }

    /// Checks that every measure is within its range (and, for `valid` documents, that
    /// overlap matches at least as much as exact: empty spans match only exactly).
    fn check_ranges(r: &Report, valid: bool) -> Result<(), TestCaseError> {
        for p in r
            .labels
            .iter()
            .chain([&r.overall])
            .flat_map(|l| [&l.exact, &l.overlap])
            .chain([&r.relations])
        {
            within(p.precision, 0.0, 1.0)?;
            within(p.recall, 0.0, 1.0)?;
            within(p.f1, 0.0, 1.0)?;
            prop_assert!(p.matched <= p.predicted.min(p.reference), "{:?}", p);
        }
        for l in r.labels.iter().chain([&r.overall]).filter(|_| valid) {
            prop_assert!(l.exact.matched <= l.overlap.matched, "{:?}", l);
        }
        within(r.cohen_kappa, -1.0, 1.0)?;
        within(r.fleiss_kappa, -1.0, 1.0)
    }

    proptest! {
        #![proptest_config(persisted_in("proptest-regressions/agreement.txt"))]

        #[test]
        fn measures_stay_within_their_ranges((b, o, t) in versions()) {
            let docs = [b, o, t];
            for n in [2, 3] {
                let r = agreement(&named(&docs[..n])).unwrap();
                check_ranges(&r, true)?;
                prop_assert_eq!(r.cohen_kappa.is_some(), n == 2 && r.fleiss_kappa.is_some());
            }
            // Swapping two annotators swaps precision and recall, matches the same.
            let (ot, to) = (
                agreement(&named(&docs[1..])).unwrap(),
                agreement(&named(&[docs[2].clone(), docs[1].clone()])).unwrap(),
            );
            for (x, y) in [
                (ot.overall.exact, to.overall.exact),
                (ot.overall.overlap, to.overall.overlap),
                (ot.relations, to.relations),
            ] {
                prop_assert_eq!(
                    (x.matched, x.precision, x.recall, x.f1),
                    (y.matched, y.recall, y.precision, y.f1)
                );
            }
            let r = agreement(&named(&[docs[1].clone(), docs[1].clone()])).unwrap();
            // Against itself every row agrees fully; a row with no spans at all (a
            // version without spans has an empty "All labels") has nothing to measure.
            for l in r.labels.iter().chain([&r.overall]) {
                let full = l.counts.iter().any(|&c| c > 0).then_some(1.0);
                prop_assert_eq!(l.exact.f1, full, "{:?}", l);
                prop_assert_eq!(l.overlap.f1, full, "{:?}", l);
            }
            prop_assert!(r.cohen_kappa.is_none_or(|k| k == 1.0), "{:?}", r.cohen_kappa);
        }

        #[test]
        fn curating_keeps_exactly_agreed_and_accepted((b, o, t) in versions(), pick in any::<u64>()) {
            let docs = [b, o, t];
            let annotations = named(&docs);
            let c = compare(&annotations).unwrap();
            let accepted: HashSet<ItemKey> = c
                .disputed
                .iter()
                .enumerate()
                .filter(|(i, _)| (pick >> (i % 64)) & 1 == 1)
                .map(|(_, item)| item.key.clone())
                .collect();
            let d = curate(&annotations, &c, &accepted).unwrap();
            prop_assert_eq!(native::parse(&native::write(&d)), Ok(d.clone()));
            let mut expected: Vec<ItemKey> = c
                .agreed
                .iter()
                .chain(c.disputed.iter().filter(|i| accepted.contains(&i.key)))
                .filter(|i| matches!(i.key, ItemKey::Span { .. }))
                .map(|i| i.key.clone())
                .collect();
            expected.sort();
            let mut kept: Vec<ItemKey> = d
                .spans()
                .iter()
                .map(|s| span_item(s.start, s.end, &s.label))
                .collect();
            kept.sort();
            prop_assert_eq!(kept, expected);
            // Every agreed relation whose ends are kept is kept.
            let curated = compare(&named(&[d.clone(), d.clone()])).unwrap();
            let relations: HashSet<&ItemKey> = curated.agreed.iter().map(|i| &i.key).collect();
            for item in c.agreed.iter().filter(|i| matches!(i.key, ItemKey::Relation { .. })) {
                prop_assert!(relations.contains(&item.key), "{:?} is missing", item);
            }
        }

        #[test]
        fn odd_documents_never_panic(a in odd_document(), b in odd_document(), c in odd_document()) {
            let docs = [a, b, c];
            for n in [2, 3] {
                let annotations = named(&docs[..n]);
                let r = agreement(&annotations).unwrap();
                check_ranges(&r, false)?;
                let c = compare(&annotations).unwrap();
                let all: HashSet<ItemKey> = c.disputed.iter().map(|i| i.key.clone()).collect();
                let _ = curate(&annotations, &c, &all).unwrap();
            }
        }
    }
}

/// Two documents worked by hand. Document 1: A has four spans (two actors, a denial, a
/// place), B two of them (Lavrov, Geneva): matched 2, B 2, A 4, F1 4/6. Document 2: both have
/// the one actor Lavrov: F1 1. Micro: matched 3, predicted 3, reference 5 → P 1, R 3/5,
/// F1 6/8. Macro: (2/3 + 1) / 2 = 5/6.
#[test]
fn corpus_agreement_is_micro_and_macro_averaged_over_documents() {
    let one = [
        four(),
        annotated(TEXT, &[("Lavrov", "actor"), ("Geneva", "place")]),
    ];
    let two = [
        annotated(TEXT, &[("Lavrov", "actor")]),
        annotated(TEXT, &[("Lavrov", "actor")]),
    ];
    let doc = |id: &str, docs: &[AnnotatedDocument]| DocumentReport {
        id: id.into(),
        title: id.into(),
        report: report(docs),
    };
    let c = corpus(&[doc("one", &one), doc("two", &two)]);

    prf(&c.overall.exact, 1.0, 0.6, 0.75);
    close(c.overall.exact_macro_f1, 5.0 / 6.0);
    assert_eq!(c.overall.documents, 2);
    assert_eq!(c.overall.spans, 8);

    let ids: Vec<&str> = c.labels.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(ids, ["actor", "place", "denial"]);
    // Actor: document 1 matched 1 of B's 1 and A's 2; document 2 matched 1 of 1 and 1.
    let actor = &c.labels[0];
    prf(&actor.exact, 1.0, 2.0 / 3.0, 0.8);
    close(actor.exact_macro_f1, 5.0 / 6.0);
    assert_eq!((actor.documents, actor.spans), (2, 5));
    // The denial only A made, in document 1 only: F1 0 over one document.
    let denial = &c.labels[2];
    assert_eq!(denial.documents, 1);
    close(denial.exact.f1, 0.0);
    close(denial.exact_macro_f1, 0.0);
    assert_eq!(denial.exact.precision, None, "B made no denial");

    assert_eq!(c.documents.len(), 2);
    close(c.documents[0].exact_f1, 2.0 / 3.0);
    assert_eq!(c.documents[1].label_f1, [Some(1.0), None, None]);
    assert_eq!(c.documents[1].annotators, ["A", "B"]);
    // Overlap equals exact here: every matched pair is identical, and no other pair overlaps.
    assert_eq!(c.overall.overlap, c.overall.exact);
}

#[test]
fn an_empty_corpus_has_nothing_defined() {
    let c = corpus(&[]);
    assert!(c.labels.is_empty() && c.documents.is_empty());
    assert_eq!(c.overall.exact.f1, None);
    assert_eq!(c.overall.exact_macro_f1, None);
    assert_eq!(c.mean_fleiss_kappa, None);
}
