use super::*;
use crate::model::Document;
use crate::schema::End;

fn doc() -> AnnotatedDocument {
    AnnotatedDocument::new(Document::new("t", "Lavrov said Kerry denied it."))
}

fn add(d: &mut AnnotatedDocument, s: usize, e: usize, l: &str) -> Result<Outcome, EditError> {
    d.apply(Action::AddSpan {
        start: s,
        end: e,
        label: l.into(),
    })
}

fn link(kind: &str, from: &str, to: &str) -> Action {
    Action::AddRelation {
        kind: kind.into(),
        from: from.into(),
        to: to.into(),
    }
}

/// Lavrov (s1, actor), Kerry (s2, actor), "denied it" (s3, denial), whole sentence (s4, claim).
fn annotated() -> AnnotatedDocument {
    let mut d = doc();
    add(&mut d, 0, 6, "actor").unwrap();
    add(&mut d, 12, 17, "actor").unwrap();
    add(&mut d, 18, 27, "denial").unwrap();
    add(&mut d, 0, 28, "claim").unwrap();
    d
}

#[test]
fn adds_spans_with_their_text_and_fresh_ids() {
    let mut d = doc();
    assert_eq!(
        add(&mut d, 0, 6, "actor"),
        Ok(Outcome::Added { id: "s1".into() })
    );
    assert_eq!(
        add(&mut d, 0, 28, "claim"),
        Ok(Outcome::Added { id: "s2".into() })
    );
    let spans = d.spans();
    assert_eq!(
        (spans[0].id.as_str(), spans[0].text.as_str()),
        ("s2", "Lavrov said Kerry denied it.")
    );
    assert_eq!(spans[1].text, "Lavrov");
}

#[test]
fn refuses_bad_input_without_changing_anything() {
    let mut d = doc();
    add(&mut d, 0, 6, "actor").unwrap();
    let before = d.clone();
    assert!(matches!(
        add(&mut d, 0, 7, "actor"),
        Err(EditError::InvalidRange { .. })
    ));
    assert!(matches!(
        add(&mut d, 5, 5, "actor"),
        Err(EditError::InvalidRange { .. })
    ));
    assert!(matches!(
        add(&mut d, 0, 999, "actor"),
        Err(EditError::InvalidRange { .. })
    ));
    assert_eq!(
        add(&mut d, 0, 6, "nope"),
        Err(EditError::UnknownLabel("nope".into()))
    );
    assert_eq!(
        add(&mut d, 0, 6, "actor"),
        Err(EditError::Duplicate {
            existing: "s1".into()
        })
    );
    assert_eq!(
        d.apply(Action::RemoveSpan { id: "s9".into() }),
        Err(EditError::UnknownSpan("s9".into()))
    );
    assert_eq!(d, before);
}

#[test]
fn the_same_range_may_carry_two_labels_but_not_twice_the_same() {
    let mut d = doc();
    add(&mut d, 0, 6, "actor").unwrap();
    assert!(add(&mut d, 0, 6, "place").is_ok());
    assert_eq!(
        d.apply(Action::Relabel {
            id: "s2".into(),
            label: "actor".into()
        }),
        Err(EditError::Duplicate {
            existing: "s1".into()
        })
    );
}

#[test]
fn relations_follow_the_schema() {
    let mut d = annotated();
    // A denial is said by an actor, and denies a claim.
    assert_eq!(
        d.apply(link("said_by", "s3", "s2")),
        Ok(Outcome::RelationAdded { id: "r1".into() })
    );
    assert_eq!(
        d.apply(link("denies", "s3", "s4")),
        Ok(Outcome::RelationAdded { id: "r2".into() })
    );
    let before = d.clone();
    assert_eq!(
        d.apply(link("said_by", "s3", "s2")),
        Err(EditError::DuplicateRelation {
            existing: "r1".into()
        })
    );
    assert!(matches!(
        d.apply(link("said_by", "s1", "s3")),
        Err(EditError::LabelsNotAllowed { .. })
    ));
    assert_eq!(
        d.apply(link("said_by", "s3", "s3")),
        Err(EditError::SelfRelation)
    );
    assert_eq!(
        d.apply(link("likes", "s1", "s2")),
        Err(EditError::UnknownRelationType("likes".into()))
    );
    assert_eq!(
        d.apply(link("said_by", "s3", "s9")),
        Err(EditError::UnknownSpan("s9".into()))
    );
    // Relabelling an end so that a relation would break the schema is refused.
    assert!(matches!(
        d.apply(Action::Relabel {
            id: "s2".into(),
            label: "place".into()
        }),
        Err(EditError::LabelsNotAllowed { .. })
    ));
    assert_eq!(d, before);
}

#[test]
fn relation_types_between_follow_the_labels() {
    let d = annotated();
    let ids = |from: &str, to: &str| -> Vec<String> {
        d.relation_types_between(from, to)
            .iter()
            .map(|r| r.id.clone())
            .collect()
    };
    assert_eq!(ids("s4", "s1"), ["said_by"]);
    assert_eq!(ids("s3", "s4"), ["denies"]);
    assert!(ids("s1", "s4").is_empty());
    assert!(ids("s1", "s1").is_empty());
    assert!(ids("s1", "s9").is_empty());
}

#[test]
fn removing_a_span_removes_its_relations_and_undo_restores_both() {
    let mut d = annotated();
    let mut h = History::default();
    h.apply(&mut d, link("said_by", "s3", "s2")).unwrap();
    let linked = d.clone();
    let out = h
        .apply(&mut d, Action::RemoveSpan { id: "s2".into() })
        .unwrap();
    assert!(matches!(
        out,
        Outcome::Removed {
            relations_removed: 1,
            ..
        }
    ));
    assert!(d.relations.is_empty());
    h.undo(&mut d).unwrap().unwrap();
    assert_eq!(d, linked);
    h.redo(&mut d).unwrap().unwrap();
    assert!(d.span("s2").is_none() && d.relations.is_empty());
}

#[test]
fn renaming_the_document_is_undoable_and_needs_a_title() {
    let mut d = annotated();
    let mut h = History::default();
    let title = |t: &str| Action::SetTitle { title: t.into() };
    assert_eq!(
        h.apply(&mut d, title("  RT, 17 June ")),
        Ok(Outcome::TitleSet)
    );
    assert_eq!(d.document.title, "RT, 17 June");
    assert_eq!(d.apply(title(" ")), Err(EditError::EmptyTitle));
    assert_eq!(d.apply(title("RT, 17 June")), Ok(Outcome::Unchanged));
    h.undo(&mut d);
    assert_eq!(d, annotated());
}

#[test]
fn notes_on_spans_and_the_document_are_undoable() {
    let mut d = annotated();
    let mut h = History::default();
    let note = |t: NoteTarget, n: &str| Action::SetNote {
        target: t,
        note: Some(n.into()),
    };
    h.apply(
        &mut d,
        note(NoteTarget::Span("s1".into()), "Russia's foreign minister"),
    )
    .unwrap();
    h.apply(&mut d, note(NoteTarget::Document, "RT, 17 June"))
        .unwrap();
    assert_eq!(
        d.span("s1").unwrap().note.as_deref(),
        Some("Russia's foreign minister")
    );
    assert_eq!(d.document.note.as_deref(), Some("RT, 17 June"));
    // A blank note clears it.
    h.apply(
        &mut d,
        Action::SetNote {
            target: NoteTarget::Document,
            note: Some("  ".into()),
        },
    )
    .unwrap();
    assert_eq!(d.document.note, None);
    h.undo(&mut d);
    h.undo(&mut d);
    h.undo(&mut d);
    assert_eq!(d, annotated());
    assert_eq!(
        d.apply(note(NoteTarget::Span("s9".into()), "x")),
        Err(EditError::UnknownSpan("s9".into()))
    );
}

#[test]
fn a_batch_is_one_step_and_all_or_nothing() {
    let mut d = doc();
    let mut h = History::default();
    let tags = vec![
        Action::AddSpan {
            start: 0,
            end: 6,
            label: "actor".into(),
        },
        Action::AddSpan {
            start: 12,
            end: 17,
            label: "actor".into(),
        },
    ];
    h.apply(&mut d, Action::Batch(tags.clone())).unwrap();
    assert_eq!(d.spans().len(), 2);
    h.undo(&mut d).unwrap().unwrap();
    assert!(d.spans().is_empty());
    h.redo(&mut d).unwrap().unwrap();
    assert_eq!(d.spans().len(), 2);
    // A failing step rolls the whole batch back.
    let before = d.clone();
    let bad = vec![
        Action::AddSpan {
            start: 18,
            end: 24,
            label: "denial".into(),
        },
        tags[0].clone(),
    ];
    assert!(matches!(
        h.apply(&mut d, Action::Batch(bad)),
        Err(EditError::InBatch { index: 1, .. })
    ));
    assert_eq!(d, before);
}

#[test]
fn schema_changes_keep_what_is_in_use() {
    let mut d = annotated();
    let mut h = History::default();
    let mut schema = d.schema.clone();
    schema.labels[0].name = "Person".into();
    h.apply(
        &mut d,
        Action::SetSchema {
            schema: schema.clone(),
        },
    )
    .unwrap();
    assert_eq!(d.schema.label("actor").unwrap().name, "Person");
    schema.labels.retain(|l| l.id != "place");
    for rt in &mut schema.relation_types {
        rt.from_labels.retain(|l| l != "place");
        rt.to_labels.retain(|l| l != "place");
    }
    h.apply(
        &mut d,
        Action::SetSchema {
            schema: schema.clone(),
        },
    )
    .unwrap();
    schema.labels.retain(|l| l.id != "actor");
    for rt in &mut schema.relation_types {
        rt.from_labels.retain(|l| l != "actor");
        rt.to_labels.retain(|l| l != "actor");
    }
    assert!(matches!(
        h.apply(&mut d, Action::SetSchema { schema }),
        Err(EditError::SchemaInUse { .. })
    ));
    h.undo(&mut d);
    h.undo(&mut d);
    assert_eq!(d, annotated());
}

#[test]
fn replacing_the_document_is_undoable() {
    let mut d = annotated();
    let mut h = History::default();
    let other = AnnotatedDocument::new(Document::new("u", "Another text"));
    h.apply(
        &mut d,
        Action::ReplaceDocument {
            doc: Box::new(other.clone()),
        },
    )
    .unwrap();
    assert_eq!(d, other);
    h.undo(&mut d).unwrap().unwrap();
    assert_eq!(d, annotated());
}

#[test]
fn a_new_edit_clears_redo_and_unchanged_edits_are_not_steps() {
    let mut d = annotated();
    let mut h = History::default();
    h.apply(
        &mut d,
        Action::Relabel {
            id: "s1".into(),
            label: "actor".into(),
        },
    )
    .unwrap();
    assert!(!h.can_undo());
    h.apply(
        &mut d,
        Action::Relabel {
            id: "s1".into(),
            label: "place".into(),
        },
    )
    .unwrap();
    h.undo(&mut d);
    assert!(h.can_redo());
    h.apply(&mut d, Action::RemoveSpan { id: "s1".into() })
        .unwrap();
    assert!(!h.can_redo());
    assert!(h.undo(&mut d).is_some());
    assert!(h.undo(&mut d).is_none());
    // Ids are never reused within a session.
    assert_eq!(
        add(&mut d, 12, 17, "place"),
        Ok(Outcome::Added { id: "s5".into() })
    );
}

/// Lavrov (s1, actor), Kerry (s2, actor), "denied it" (s3, denial), with s3 said by s2.
fn denial_said_by_kerry() -> AnnotatedDocument {
    let mut d = doc();
    add(&mut d, 0, 6, "actor").unwrap();
    add(&mut d, 12, 17, "actor").unwrap();
    add(&mut d, 18, 27, "denial").unwrap();
    d.apply(link("said_by", "s3", "s2")).unwrap();
    d
}

#[test]
fn removing_a_label_in_use_is_one_undoable_step() {
    let mut d = denial_said_by_kerry();
    let mut h = History::default();
    let change = plan_change(&d, d.schema.without_label("actor").unwrap());
    assert_eq!(change.spans, ["s1", "s2"]);
    assert_eq!(change.relations, ["r1"]);
    h.apply(&mut d, change.action).unwrap();
    assert_eq!(d.spans().len(), 1);
    assert!(d.relations.is_empty() && d.schema.label("actor").is_none());
    h.undo(&mut d).unwrap().unwrap();
    assert_eq!(d, denial_said_by_kerry());
    h.redo(&mut d).unwrap().unwrap();
    assert_eq!(d.spans().len(), 1);
}

#[test]
fn narrowing_or_removing_a_relation_type_takes_its_relations() {
    let d = denial_said_by_kerry();
    let unused = plan_change(&d, d.schema.without_label("place").unwrap());
    assert!(unused.spans.is_empty() && unused.relations.is_empty());
    assert!(matches!(unused.action, Action::SetSchema { .. }));
    let narrowed = d
        .schema
        .with_relation_end("said_by", End::From, "denial", false)
        .unwrap();
    let change = plan_change(&d, narrowed);
    assert!(change.spans.is_empty());
    assert_eq!(change.relations, ["r1"]);
    let mut h = History::default();
    let mut e = d.clone();
    h.apply(&mut e, change.action).unwrap();
    assert!(e.relations.is_empty() && e.spans().len() == 3);
    h.undo(&mut e).unwrap().unwrap();
    assert_eq!(e, d);
    let gone = plan_change(&d, d.schema.without_relation_type("said_by").unwrap());
    assert_eq!(gone.relations, ["r1"]);
    let mut e = d.clone();
    e.apply(gone.action).unwrap();
    assert!(e.schema.relation_type("said_by").is_none() && e.relations.is_empty());
}

#[cfg(not(target_arch = "wasm32"))]
mod props {
    use super::*;
    use proptest::prelude::*;

    fn action() -> impl Strategy<Value = Action> {
        let id = prop::sample::select(vec!["s1", "s2", "s3", "s4", "s5", "s6", "r1", "r2"])
            .prop_map(String::from);
        let label =
            prop::sample::select(vec!["actor", "place", "claim", "denial"]).prop_map(String::from);
        let kind =
            prop::sample::select(vec!["said_by", "denies", "located_in"]).prop_map(String::from);
        prop_oneof![
            (0usize..30, 0usize..30, label.clone()).prop_map(|(a, b, label)| Action::AddSpan {
                start: a.min(b),
                end: a.max(b),
                label
            }),
            id.clone().prop_map(|id| Action::RemoveSpan { id }),
            (id.clone(), label).prop_map(|(id, label)| Action::Relabel { id, label }),
            (kind, id.clone(), id.clone()).prop_map(|(kind, from, to)| Action::AddRelation {
                kind,
                from,
                to
            }),
            id.prop_map(|id| Action::RemoveRelation { id }),
        ]
    }

    fn offset() -> impl Strategy<Value = usize> {
        prop_oneof![0usize..40, any::<usize>()]
    }

    /// Any single edit, with any offsets, ids, labels, notes, titles, spans and relations
    /// (what a UI bug, another tab or a hand-made file could hand the reducer).
    fn any_leaf_action() -> impl Strategy<Value = Action> {
        let id = prop_oneof![
            prop::sample::select(vec!["s1", "s2", "s3", "s4", "s9", "r1", "r2", ""])
                .prop_map(String::from),
            "\\PC{0,4}",
        ];
        let label = prop_oneof![
            prop::sample::select(vec!["actor", "place", "claim", "denial", "nope"])
                .prop_map(String::from),
            "\\PC{0,4}",
        ];
        let kind = prop::sample::select(vec!["said_by", "denies", "located_in", "likes"])
            .prop_map(String::from);
        let text = "\\PC{0,6}";
        let note = prop::option::of("\\PC{0,6}");
        let span = (
            id.clone(),
            label.clone(),
            offset(),
            offset(),
            text,
            note.clone(),
        )
            .prop_map(|(id, label, start, end, text, note)| Span {
                id,
                label,
                start,
                end,
                text,
                note,
            });
        let relation = (id.clone(), kind.clone(), id.clone(), id.clone())
            .prop_map(|(id, kind, from, to)| Relation { id, kind, from, to });
        let schema = (
            prop::collection::vec(any::<bool>(), 4),
            "\\PC{0,8}",
            "\\PC{0,8}",
        )
            .prop_map(|(keep, name, key)| {
                let mut schema = Schema::default();
                let mut i = 0;
                schema.labels.retain(|_| {
                    i += 1;
                    keep[i - 1]
                });
                if let Some(l) = schema.labels.first_mut() {
                    l.name = name;
                    l.key = Some(key);
                }
                schema
            });
        prop_oneof![
            (offset(), offset(), label.clone()).prop_map(|(start, end, label)| Action::AddSpan {
                start,
                end,
                label
            }),
            id.clone().prop_map(|id| Action::RemoveSpan { id }),
            (span, prop::collection::vec(relation.clone(), 0..3))
                .prop_map(|(span, relations)| Action::RestoreSpan { span, relations }),
            (id.clone(), label).prop_map(|(id, label)| Action::Relabel { id, label }),
            (kind, id.clone(), id.clone()).prop_map(|(kind, from, to)| Action::AddRelation {
                kind,
                from,
                to
            }),
            id.clone().prop_map(|id| Action::RemoveRelation { id }),
            relation.prop_map(|relation| Action::RestoreRelation { relation }),
            (prop::option::of(id), note).prop_map(|(target, note)| Action::SetNote {
                target: target.map_or(NoteTarget::Document, NoteTarget::Span),
                note,
            }),
            "\\PC{0,8}".prop_map(|title| Action::SetTitle { title }),
            schema.prop_map(|schema| Action::SetSchema { schema }),
        ]
    }

    fn any_action() -> impl Strategy<Value = Action> {
        prop_oneof![
            4 => any_leaf_action(),
            1 => prop::collection::vec(any_leaf_action(), 0..5).prop_map(Action::Batch),
        ]
    }

    proptest! {
        /// Whatever the reducer is handed, it answers: a refused edit leaves the document
        /// as it was, an applied one leaves only spans that are valid ranges holding their
        /// text, and undo and redo answer too.
        #[test]
        fn any_edit_is_applied_or_refused_never_a_panic(
            tricky in any::<bool>(),
            t in "\\PC{0,30}",
            actions in prop::collection::vec(any_action(), 0..20),
        ) {
            let mut d = if tricky {
                AnnotatedDocument::new(Document::new("t", t.as_str()))
            } else {
                annotated()
            };
            let mut h = History::default();
            for a in actions {
                let before = d.clone();
                if h.apply(&mut d, a).is_err() {
                    prop_assert_eq!(&d, &before);
                }
                for s in d.spans() {
                    prop_assert_eq!(crate::snap::check_range(&d.document.text, s.start, s.end), Ok(()));
                    prop_assert_eq!(d.slice(s.start, s.end), Some(s.text.as_str()));
                }
            }
            while let Some(Ok(_)) = h.undo(&mut d) {}
            while let Some(Ok(_)) = h.redo(&mut d) {}
        }

        /// Any sequence of edits, undone completely, gives back the starting document;
        /// redone completely, gives back the edited one.
        #[test]
        fn undo_and_redo_restore_exact_states(actions in prop::collection::vec(action(), 0..25)) {
            let start = annotated();
            let mut d = start.clone();
            let mut h = History::default();
            for a in actions {
                let _ = h.apply(&mut d, a);
            }
            let end = d.clone();
            while let Some(r) = h.undo(&mut d) { prop_assert!(r.is_ok()); }
            prop_assert_eq!(&d, &start);
            while let Some(r) = h.redo(&mut d) { prop_assert!(r.is_ok()); }
            prop_assert_eq!(&d, &end);
        }
    }
}
