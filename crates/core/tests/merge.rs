//! The three-way merge of two tabs' versions of a document (`spanmark_core::merge`); every
//! merge is checked to read back through the native file.

// Test code: a failed assumption should stop the test, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;

use spanmark_core::edit::plan_change;
use spanmark_core::merge::*;
use spanmark_core::{Action, AnnotatedDocument, Document, NoteTarget, Schema, Span};
use spanmark_formats::native;
use spanmark_testkit::{annotated, link};

const TEXT: &str = "Lavrov said Kerry denied it in Geneva.";

/// Lavrov (s1) and Kerry (s2), actors; "denied it" (s3), a denial said by Kerry (r1);
/// Geneva (s4), a place.
fn base() -> AnnotatedDocument {
    let mut d = annotated(
        TEXT,
        &[
            ("Lavrov", "actor"),
            ("Kerry", "actor"),
            ("denied it", "denial"),
            ("Geneva", "place"),
        ],
    );
    link(&mut d, "said_by", "s3", "s2");
    d
}

/// `d` after `actions`, each of which must succeed.
fn edited(d: &AnnotatedDocument, actions: impl IntoIterator<Item = Action>) -> AnnotatedDocument {
    let mut d = d.clone();
    for action in actions {
        d.apply(action.clone())
            .unwrap_or_else(|e| panic!("{action:?}: {e}"));
    }
    d
}

fn tag(phrase: &str, label: &str) -> Action {
    let at = TEXT.find(phrase).expect("phrase in text");
    let start = TEXT[..at].chars().count();
    Action::AddSpan {
        start,
        end: start + phrase.chars().count(),
        label: label.into(),
    }
}

fn relabel(id: &str, label: &str) -> Action {
    Action::Relabel {
        id: id.into(),
        label: label.into(),
    }
}

fn remove(id: &str) -> Action {
    Action::RemoveSpan { id: id.into() }
}

fn relate(kind: &str, from: &str, to: &str) -> Action {
    Action::AddRelation {
        kind: kind.into(),
        from: from.into(),
        to: to.into(),
    }
}

fn note(id: &str, text: &str) -> Action {
    Action::SetNote {
        target: NoteTarget::Span(id.into()),
        note: Some(text.into()),
    }
}

fn set_schema(d: &AnnotatedDocument, schema: Schema) -> Action {
    plan_change(d, schema).action
}

/// The merge of `ours` and `theirs` from `base`, checked to be a valid native file.
fn merged(
    base: &AnnotatedDocument,
    ours: &AnnotatedDocument,
    theirs: &AnnotatedDocument,
) -> Merged {
    let m = merge(Some(base), ours, theirs).expect("the same text");
    assert_eq!(native::parse(&native::write(&m.doc)), Ok(m.doc.clone()));
    m
}

/// Each span as (id, text, label, note).
fn spans(d: &AnnotatedDocument) -> Vec<(&str, &str, &str, Option<&str>)> {
    d.spans()
        .iter()
        .map(|s| {
            (
                s.id.as_str(),
                s.text.as_str(),
                s.label.as_str(),
                s.note.as_deref(),
            )
        })
        .collect()
}

/// Each relation as (id, kind, from, to).
fn relations(d: &AnnotatedDocument) -> Vec<(&str, &str, &str, &str)> {
    d.relations
        .iter()
        .map(|r| {
            (
                r.id.as_str(),
                r.kind.as_str(),
                r.from.as_str(),
                r.to.as_str(),
            )
        })
        .collect()
}

/// Whether a merge took nothing from theirs and met no conflict (the result is ours).
fn took_nothing(report: &MergeReport) -> bool {
    *report == MergeReport::default()
}

fn conflicts(m: &Merged) -> Vec<&str> {
    m.report.conflicts.iter().map(String::as_str).collect()
}

#[test]
fn a_span_added_in_each_tab_is_kept_from_both() {
    let b = base();
    let ours = edited(&b, [tag("said", "claim")]);
    let theirs = edited(&b, [tag("Lavrov said Kerry denied it in Geneva", "claim")]);
    let m = merged(&b, &ours, &theirs);
    // Both tabs called their new span s5: theirs gets a fresh id, and that is no conflict.
    let added: Vec<_> = spans(&m.doc).into_iter().filter(|s| s.0 >= "s5").collect();
    assert_eq!(
        added,
        [
            ("s6", "Lavrov said Kerry denied it in Geneva", "claim", None),
            ("s5", "said", "claim", None),
        ]
    );
    assert_eq!(m.doc.spans().len(), 6);
    assert!(conflicts(&m).is_empty());
    assert_eq!(
        (
            m.report.spans_added,
            m.report.spans_removed,
            m.report.spans_changed
        ),
        (1, 0, 0)
    );
}

#[test]
fn a_span_one_tab_removed_and_the_other_left_alone_is_removed() {
    let b = base();
    let removed = edited(&b, [remove("s1")]);
    let m = merged(&b, &b, &removed);
    assert_eq!(m.doc, removed);
    assert_eq!(m.report.spans_removed, 1);
    let m = merged(&b, &removed, &b);
    assert_eq!(m.doc, removed);
    assert!(took_nothing(&m.report));
}

#[test]
fn a_span_the_other_tab_changed_is_taken() {
    let b = base();
    let theirs = edited(
        &b,
        [relabel("s1", "place"), note("s2", "US secretary of state")],
    );
    let ours = edited(&b, [tag("said", "claim")]);
    let m = merged(&b, &ours, &theirs);
    let d = &m.doc;
    assert_eq!(d.span("s1").map(|s| s.label.as_str()), Some("place"));
    assert_eq!(
        d.span("s2").and_then(|s| s.note.as_deref()),
        Some("US secretary of state")
    );
    assert!(d.span("s5").is_some());
    assert_eq!(m.report.spans_changed, 2);
    assert!(conflicts(&m).is_empty());
}

#[test]
fn both_tabs_relabel_one_span_both_versions_kept() {
    let b = base();
    let ours = edited(&b, [relabel("s1", "place")]);
    let theirs = edited(&b, [relabel("s1", "claim")]);
    let m = merged(&b, &ours, &theirs);
    let lavrov: Vec<_> = spans(&m.doc)
        .into_iter()
        .filter(|s| s.1 == "Lavrov")
        .collect();
    assert_eq!(
        lavrov,
        [
            ("s1", "Lavrov", "place", None),
            ("s5", "Lavrov", "claim", None)
        ]
    );
    assert_eq!(
        conflicts(&m),
        ["both tabs changed \u{201c}Lavrov\u{201d}: both versions kept"]
    );
    assert_eq!(m.report.spans_added, 1);
}

#[test]
fn both_tabs_change_a_note_the_notes_are_joined() {
    let b = base();
    let ours = edited(&b, [note("s1", "foreign minister")]);
    let theirs = edited(&b, [note("s1", "Russia")]);
    let m = merged(&b, &ours, &theirs);
    assert_eq!(m.doc.spans().len(), 4);
    assert_eq!(
        m.doc.span("s1").and_then(|s| s.note.as_deref()),
        Some("foreign minister\n\nRussia")
    );
    assert_eq!(
        conflicts(&m),
        ["both tabs changed the note on \u{201c}Lavrov\u{201d}: notes joined"]
    );
    // A note that contains the other is kept alone.
    let theirs = edited(&b, [note("s1", "Russia's foreign minister")]);
    let m = merged(&b, &ours, &theirs);
    assert_eq!(
        m.doc.span("s1").and_then(|s| s.note.as_deref()),
        Some("Russia's foreign minister")
    );
}

#[test]
fn a_span_changed_in_one_tab_and_removed_in_the_other_is_kept() {
    let b = base();
    let changed = edited(&b, [relabel("s1", "place")]);
    let removed = edited(&b, [remove("s1")]);
    let m = merged(&b, &changed, &removed);
    assert_eq!(m.doc, changed);
    assert_eq!(
        conflicts(&m),
        ["the other tab removed \u{201c}Lavrov\u{201d}, which this tab changed: kept"]
    );
    let m = merged(&b, &removed, &changed);
    assert_eq!(m.doc, changed);
    assert_eq!(m.report.spans_added, 1);
    assert_eq!(
        conflicts(&m),
        ["this tab removed \u{201c}Lavrov\u{201d}, which the other tab changed: kept"]
    );
}

#[test]
fn the_same_span_added_in_both_tabs_is_kept_once_with_both_notes() {
    let b = edited(&base(), [remove("s4")]);
    let ours = edited(&b, [tag("Geneva", "place"), note("s5", "city")]);
    // Theirs tags another span first, so its Geneva is s6, and links it.
    let theirs = edited(
        &b,
        [
            tag("Lavrov said Kerry denied it in Geneva", "claim"),
            tag("Geneva", "place"),
            note("s6", "in Switzerland"),
            relate("located_in", "s3", "s6"),
        ],
    );
    let m = merged(&b, &ours, &theirs);
    assert_eq!(
        spans(&m.doc)[..2],
        [
            ("s7", "Lavrov said Kerry denied it in Geneva", "claim", None),
            ("s1", "Lavrov", "actor", None),
        ]
    );
    assert_eq!(
        m.doc.span("s5").and_then(|s| s.note.as_deref()),
        Some("city\n\nin Switzerland")
    );
    assert!(m.doc.span("s6").is_none());
    // Theirs's link follows its Geneva onto ours's.
    assert_eq!(
        relations(&m.doc),
        [
            ("r1", "said_by", "s3", "s2"),
            ("r2", "located_in", "s3", "s5")
        ]
    );
    assert!(conflicts(&m).is_empty());
}

#[test]
fn links_added_in_each_tab_follow_spans_that_got_fresh_ids() {
    let b = base();
    let ours = edited(
        &b,
        [
            tag("Lavrov said Kerry denied it in Geneva", "claim"),
            relate("said_by", "s5", "s1"),
        ],
    );
    let theirs = edited(&b, [tag("said", "claim"), relate("said_by", "s5", "s2")]);
    let m = merged(&b, &ours, &theirs);
    assert_eq!(m.doc.span("s6").map(|s| s.text.as_str()), Some("said"));
    assert_eq!(
        relations(&m.doc),
        [
            ("r1", "said_by", "s3", "s2"),
            ("r2", "said_by", "s5", "s1"),
            ("r3", "said_by", "s6", "s2")
        ]
    );
    assert!(conflicts(&m).is_empty());
    assert_eq!(
        (m.report.relations_added, m.report.relations_removed),
        (1, 0)
    );
}

#[test]
fn the_same_link_added_in_both_tabs_is_kept_once() {
    let b = base();
    let ours = edited(
        &b,
        [
            relate("said_by", "s3", "s1"),
            relate("located_in", "s3", "s4"),
        ],
    );
    let theirs = edited(&b, [relate("located_in", "s3", "s4")]);
    let m = merged(&b, &ours, &theirs);
    assert_eq!(m.doc, ours);
    assert!(took_nothing(&m.report));
}

#[test]
fn a_link_removed_in_either_tab_is_removed() {
    let b = base();
    let unlinked = edited(&b, [Action::RemoveRelation { id: "r1".into() }]);
    let m = merged(&b, &b, &unlinked);
    assert!(m.doc.relations.is_empty());
    assert_eq!(m.report.relations_removed, 1);
    assert!(merged(&b, &unlinked, &b).doc.relations.is_empty());
}

#[test]
fn a_link_to_a_span_the_other_tab_removed_brings_it_back() {
    let b = base();
    let linked = edited(&b, [relate("located_in", "s3", "s4")]);
    let removed = edited(&b, [remove("s4")]);
    let m = merged(&b, &linked, &removed);
    assert_eq!(m.doc, linked);
    assert_eq!(
        conflicts(&m),
        ["the other tab removed \u{201c}Geneva\u{201d}, which this tab linked: kept"]
    );
    let m = merged(&b, &removed, &linked);
    assert_eq!(m.doc, linked);
    assert_eq!(
        conflicts(&m),
        ["this tab removed \u{201c}Geneva\u{201d}, which the other tab linked: kept"]
    );
    assert_eq!((m.report.spans_added, m.report.relations_added), (1, 1));
}

#[test]
fn a_link_to_a_span_the_other_tab_relabelled_is_dropped() {
    let b = base();
    let ours = edited(&b, [relate("said_by", "s3", "s1")]);
    let theirs = edited(&b, [relabel("s1", "place")]);
    let m = merged(&b, &ours, &theirs);
    assert_eq!(m.doc, theirs);
    assert_eq!(
        conflicts(&m),
        ["the \u{201c}said by\u{201d} link from \u{201c}denied it\u{201d} to \u{201c}Lavrov\u{201d} no longer fits the schema: dropped"]
    );
}

#[test]
fn labels_that_clash_across_tabs_are_told_apart_in_favour_of_ours() {
    let b = base();
    let (with_org, _) = b.schema.with_label_added("Organisation").unwrap();
    let (with_event, _) = b.schema.with_label_added("Event").unwrap();
    let with_event = with_event
        .with_label_renamed("place", "organisation")
        .unwrap();
    let ours = edited(&b, [set_schema(&b, with_org)]);
    let theirs = edited(&b, [set_schema(&b, with_event), tag("said", "event")]);
    let m = merged(&b, &ours, &theirs);
    let labels: Vec<_> = m
        .doc
        .schema
        .labels
        .iter()
        .map(|l| (l.id.as_str(), l.name.as_str(), l.key.as_deref()))
        .collect();
    assert_eq!(
        labels,
        [
            ("actor", "Actor", Some("1")),
            ("place", "organisation (2)", Some("2")),
            ("claim", "Claim", Some("3")),
            ("denial", "Denial", Some("4")),
            ("organisation", "Organisation", Some("5")),
            ("event", "Event", None),
        ]
    );
    assert_eq!(m.doc.span("s5").map(|s| s.label.as_str()), Some("event"));
    assert_eq!(
        conflicts(&m),
        [
            "both tabs have a label named \u{201c}organisation\u{201d}: the other tab's is now \u{201c}organisation (2)\u{201d}",
            "the other tab's label \u{201c}Event\u{201d} lost its key 5 to \u{201c}Organisation\u{201d}",
        ]
    );
}

#[test]
fn both_tabs_change_a_label_ours_is_kept() {
    let b = base();
    let person = b.schema.with_label_renamed("actor", "Person").unwrap();
    let speaker = b
        .schema
        .with_label_renamed("actor", "Speaker")
        .and_then(|s| s.with_label_colour("place", "#123456"))
        .unwrap();
    let ours = edited(&b, [set_schema(&b, person.clone())]);
    let theirs = edited(&b, [set_schema(&b, speaker)]);
    let m = merged(&b, &ours, &theirs);
    assert_eq!(m.doc.schema.label("actor"), person.label("actor"));
    assert_eq!(
        m.doc.schema.label("place").map(|l| l.colour.as_str()),
        Some("#123456")
    );
    assert_eq!(
        conflicts(&m),
        ["both tabs changed the label \u{201c}Person\u{201d}: kept this tab's"]
    );
}

#[test]
fn a_label_or_relation_type_one_tab_removed_is_kept_while_the_other_uses_it() {
    let b = base();
    let without = b
        .schema
        .without_label("place")
        .and_then(|s| s.without_relation_type("located_in"))
        .unwrap();
    let ours = edited(&b, [set_schema(&b, without)]);
    assert!(ours.span("s4").is_none());
    let theirs = edited(
        &b,
        [tag("Kerry", "place"), relate("located_in", "s3", "s5")],
    );
    let m = merged(&b, &ours, &theirs);
    // Geneva goes (ours removed it, theirs did not touch it); Kerry as a place stays.
    assert!(m.doc.span("s4").is_none());
    assert_eq!(m.doc.span("s5").map(|s| s.label.as_str()), Some("place"));
    assert_eq!(m.doc.schema.label("place"), b.schema.label("place"));
    assert_eq!(
        m.doc.schema.relation_type("located_in"),
        b.schema.relation_type("located_in")
    );
    assert_eq!(
        relations(&m.doc),
        [
            ("r1", "said_by", "s3", "s2"),
            ("r2", "located_in", "s3", "s5")
        ]
    );
    assert_eq!(
        conflicts(&m),
        [
            "this tab removed the label \u{201c}Place\u{201d}, which the other tab still uses: kept",
            "this tab removed the relation type \u{201c}located in\u{201d}, which the other tab still uses: kept",
        ]
    );
    // Unused, the removal stands.
    let m = merged(&b, &ours, &b);
    assert_eq!(m.doc, ours);
}

#[test]
fn the_title_is_merged_three_ways_and_both_renamed_keeps_ours() {
    let b = base();
    let title = |t: &str| Action::SetTitle { title: t.into() };
    let theirs = edited(&b, [title("RT, 17 June")]);
    let m = merged(&b, &b, &theirs);
    assert_eq!(m.doc.document.title, "RT, 17 June");
    assert!(m.report.document_changed && conflicts(&m).is_empty());
    let ours = edited(&b, [title("Lavrov interview")]);
    let m = merged(&b, &ours, &theirs);
    assert_eq!(m.doc.document.title, "Lavrov interview");
    assert_eq!(
        conflicts(&m),
        ["both tabs renamed the document: kept \u{201c}Lavrov interview\u{201d}"]
    );
}

#[test]
fn both_tabs_change_the_document_note_the_notes_are_joined() {
    let b = base();
    let doc_note = |t: &str| Action::SetNote {
        target: NoteTarget::Document,
        note: Some(t.into()),
    };
    let ours = edited(&b, [doc_note("RT, 17 June")]);
    let theirs = edited(&b, [doc_note("Check the date")]);
    let m = merged(&b, &ours, &theirs);
    assert_eq!(
        m.doc.document.note.as_deref(),
        Some("RT, 17 June\n\nCheck the date")
    );
    assert_eq!(
        conflicts(&m),
        ["both tabs changed the document note: notes joined"]
    );
    assert_eq!(
        merged(&b, &b, &theirs).doc.document.note,
        theirs.document.note
    );
}

#[test]
fn different_texts_cannot_be_merged() {
    let other = AnnotatedDocument::new(Document::new("t", "Another text."));
    assert_eq!(merge(None, &base(), &other), Err(MergeError::DifferentText));
    assert_eq!(
        MergeError::DifferentText.to_string(),
        "the two versions have different texts and cannot be merged"
    );
}

#[test]
fn without_a_base_each_tab_added_everything_it_has() {
    let b = base();
    let ours = edited(&b, [remove("s1"), tag("said", "claim")]);
    let theirs = edited(&b, [remove("s2"), tag("said", "claim")]);
    let other_text = AnnotatedDocument::new(Document::new("t", "Another text."));
    for base in [None, Some(&other_text)] {
        let m = merge(base, &ours, &theirs).expect("the same text");
        let texts: Vec<_> = spans(&m.doc).into_iter().map(|s| (s.0, s.1)).collect();
        // Each side's removal looks like the other's addition; the two "said" are one.
        assert_eq!(
            texts,
            [
                ("s1", "Lavrov"),
                ("s5", "said"),
                ("s2", "Kerry"),
                ("s3", "denied it"),
                ("s4", "Geneva")
            ]
        );
        assert_eq!(relations(&m.doc), [("r1", "said_by", "s3", "s2")]);
        assert_eq!(native::parse(&native::write(&m.doc)), Ok(m.doc.clone()));
    }
}

#[test]
fn fresh_ids_are_numbered_past_every_id_of_the_three_versions() {
    // The base had s5 and r2, which both tabs removed since.
    let b = edited(
        &base(),
        [tag("said", "claim"), relate("said_by", "s5", "s1")],
    );
    let ours = edited(&b, [remove("s5"), relabel("s1", "place")]);
    let theirs = edited(&b, [remove("s5"), relabel("s1", "claim")]);
    let m = merged(&b, &ours, &theirs);
    assert_eq!(m.doc.span("s6").map(|s| s.label.as_str()), Some("claim"));
    assert!(m.doc.span("s5").is_none());
}

#[test]
fn a_label_the_other_tab_removed_and_added_again_keeps_its_place_there() {
    let b = base();
    let without = b.schema.without_label("actor").unwrap();
    let (again, _) = without.with_label_added("Actor").unwrap();
    let theirs = edited(&b, [set_schema(&b, without), tag("said", "claim")]);
    let theirs = edited(&theirs, [set_schema(&theirs, again)]);
    let order = |d: &AnnotatedDocument| -> Vec<String> {
        d.schema.labels.iter().map(|l| l.id.clone()).collect()
    };
    assert_eq!(order(&theirs), ["place", "claim", "denial", "actor"]);
    assert_eq!(merged(&b, &b, &theirs).doc, theirs);
    // A label ours added goes after the one it follows in ours.
    let (with_org, _) = b.schema.with_label_added("Organisation").unwrap();
    let ours = edited(&b, [set_schema(&b, with_org)]);
    let m = merged(&b, &ours, &theirs);
    assert_eq!(
        order(&m.doc),
        ["place", "claim", "denial", "organisation", "actor"]
    );
}

#[test]
fn the_report_is_empty_when_nothing_came_from_theirs() {
    let b = base();
    let ours = edited(&b, [tag("said", "claim"), remove("s1")]);
    let m = merged(&b, &ours, &b);
    assert_eq!(m.doc, ours);
    assert!(took_nothing(&m.report));
    assert!(!took_nothing(&merged(&b, &b, &ours).report));
}

#[cfg(not(target_arch = "wasm32"))]
mod props {
    use super::*;
    use proptest::prelude::*;
    use spanmark_testkit::versions::{odd_document, persisted_in, versions};

    fn content(s: &Span) -> (usize, usize, &str) {
        (s.start, s.end, s.label.as_str())
    }

    proptest! {
        #![proptest_config(persisted_in("proptest-regressions/merge.txt"))]

        #[test]
        fn merging_with_an_unchanged_side_gives_the_other((b, o, t) in versions()) {
            let m = merge(Some(&b), &o, &b).unwrap();
            prop_assert_eq!(&m.doc, &o);
            prop_assert!(took_nothing(&m.report), "{:?}", m.report);
            prop_assert_eq!(merge(Some(&b), &b, &t).unwrap().doc, t.clone());
            let m = merge(Some(&b), &t, &t).unwrap();
            prop_assert_eq!(&m.doc, &t);
            prop_assert!(took_nothing(&m.report), "{:?}", m.report);
        }

        #[test]
        fn added_spans_stay_and_untouched_removals_go((b, o, t) in versions()) {
            let m = merge(Some(&b), &o, &t).unwrap().doc;
            let kept: HashSet<_> = m.spans().iter().map(content).collect();
            let linked = |id: &str| m.relations.iter().any(|r| r.from == id || r.to == id);
            for (side, other) in [(&o, &t), (&t, &o)] {
                for s in side.spans().iter().filter(|s| b.span(&s.id).is_none()) {
                    prop_assert!(kept.contains(&content(s)), "added {:?} is missing", s);
                }
                for s in b.spans() {
                    let removed = side.span(&s.id).is_none() && other.span(&s.id) == Some(s);
                    if removed && !linked(&s.id) {
                        prop_assert!(m.span(&s.id).is_none(), "removed {:?} is back", s);
                    }
                }
            }
        }

        #[test]
        fn a_merge_is_a_valid_document_and_deterministic((b, o, t) in versions()) {
            for base in [Some(&b), None] {
                for (ours, theirs) in [(&o, &t), (&t, &o)] {
                    let m = merge(base, ours, theirs).unwrap();
                    prop_assert_eq!(native::parse(&native::write(&m.doc)), Ok(m.doc.clone()));
                    prop_assert_eq!(merge(base, ours, theirs).unwrap(), m);
                }
            }
        }

        #[test]
        fn merging_odd_documents_never_panics(b in odd_document(), o in odd_document(), t in odd_document()) {
            let _ = merge(Some(&b), &o, &t);
            let _ = merge(None, &o, &t);
        }

        #[test]
        fn the_report_counts_what_differs_from_ours((b, o, t) in versions()) {
            let Merged { doc, report } = merge(Some(&b), &o, &t).unwrap();
            let counted = MergeReport { conflicts: Vec::new(), ..report };
            prop_assert_eq!(took_nothing(&counted), doc == o, "{:?}", counted);
        }
    }
}
