//! Random versions of one document, for property tests of merging and agreement: a
//! generated base and two versions edited from it as annotators could, and documents that
//! need not be valid at all.

use proptest::prelude::*;
use spanmark_core::edit::plan_change;
use spanmark_core::offsets::cp_len;
use spanmark_core::schema::{End as RelationEnd, KEYS};
use spanmark_core::snap::{snap, SnapMode};
use spanmark_core::{Action, AnnotatedDocument, Document, NoteTarget, Relation, Schema, Span};

use crate::sample::generate;

/// The text of [`odd_document`]s.
pub const TEXT: &str = "Lavrov said Kerry denied it in Geneva.";

/// One random edit: what to do, and numbers that pick what to do it to.
type Step = (u8, usize, usize, usize);

const NOTES: [Option<&str>; 4] = [
    None,
    Some("checked"),
    Some("checked twice"),
    Some("source?"),
];
const NAMES: [&str; 4] = ["Organisation", "Event", "actor", "Date"];

fn nth<T>(items: &[T], i: usize) -> Option<&T> {
    items.get(i % items.len().max(1))
}

/// The edit `step` stands for in `d`, as an annotator could make it (it may still be
/// refused, like a duplicate span).
fn action(d: &AnnotatedDocument, (op, a, b, c): Step) -> Option<Action> {
    let span = |i| nth(d.spans(), i).map(|s| s.id.clone());
    let label = |i| nth(&d.schema.labels, i).map(|l| l.id.clone());
    let kind = |i| nth(&d.schema.relation_types, i).map(|k| k.id.clone());
    let text = &d.document.text;
    let len = cp_len(text) + 1;
    Some(match op % 12 {
        0..=2 => {
            let (start, end) = snap(text, a % len, b % len, SnapMode::Words)?;
            Action::AddSpan {
                start,
                end,
                label: label(c)?,
            }
        }
        3 => Action::RemoveSpan { id: span(a)? },
        4 => Action::Relabel {
            id: span(a)?,
            label: label(b)?,
        },
        5 | 6 => {
            let (from, to) = (span(a)?, span(b)?);
            let kind = nth(&d.relation_types_between(&from, &to), c)?.id.clone();
            Action::AddRelation { kind, from, to }
        }
        7 => Action::RemoveRelation {
            id: nth(&d.relations, a)?.id.clone(),
        },
        8 => Action::SetNote {
            target: if b % 3 == 0 {
                NoteTarget::Document
            } else {
                NoteTarget::Span(span(a)?)
            },
            note: nth(&NOTES, c)?.map(str::to_owned),
        },
        9 => Action::SetTitle {
            title: format!("Title {}", a % 3),
        },
        _ => {
            let s = &d.schema;
            let (name, label, kind) = (nth(&NAMES, b)?, label(a)?, kind(a)?);
            let end = if b % 2 == 0 {
                RelationEnd::From
            } else {
                RelationEnd::To
            };
            let next = match c % 6 {
                0 => s.with_label_added(name).map(|(s, _)| s),
                1 => s.with_label_renamed(&label, name),
                2 => s.with_label_key(&label, nth(&KEYS, b).copied()),
                3 => s.without_label(&label),
                4 => s.with_relation_end(&kind, end, &label, b % 3 != 0),
                _ => s.with_relation_type_added(name).map(|(s, _)| s),
            };
            plan_change(d, next.ok()?).action
        }
    })
}

fn apply_steps(d: &AnnotatedDocument, steps: &[Step]) -> AnnotatedDocument {
    let mut d = d.clone();
    for &step in steps {
        if let Some(a) = action(&d, step) {
            let _ = d.apply(a);
        }
    }
    d
}

/// A generated base document and two versions edited from it.
pub fn versions() -> impl Strategy<Value = (AnnotatedDocument, AnnotatedDocument, AnnotatedDocument)>
{
    let steps = || {
        prop::collection::vec(
            (any::<u8>(), any::<usize>(), any::<usize>(), any::<usize>()),
            0..16,
        )
    };
    (0u64..1_000, steps(), steps()).prop_map(|(seed, ours, theirs)| {
        let base = generate(seed, 500, 20);
        let (o, t) = (apply_steps(&base, &ours), apply_steps(&base, &theirs));
        (base, o, t)
    })
}

/// A document over `TEXT` that need not be valid: spans out of range or with unknown
/// labels, repeated ids, relations to nothing.
pub fn odd_document() -> impl Strategy<Value = AnnotatedDocument> {
    let id = |p: &'static str| (1..5u8).prop_map(move |n| format!("{p}{n}"));
    let label = prop::sample::select(vec!["actor", "place", "claim", "ghost"]);
    let span = (
        id("s"),
        label,
        0..40usize,
        0..40usize,
        prop::option::of("[a-z]{0,3}"),
    )
        .prop_map(|(id, label, start, end, note)| Span {
            text: TEXT
                .chars()
                .skip(start)
                .take(end.saturating_sub(start))
                .collect(),
            id,
            label: label.into(),
            start,
            end,
            note,
        });
    let kind = prop::sample::select(vec!["said_by", "denies", "ghost"]);
    let relation = (id("r"), kind, id("s"), id("s")).prop_map(|(id, kind, from, to)| Relation {
        id,
        kind: kind.into(),
        from,
        to,
    });
    let spans = prop::collection::vec(span, 0..8);
    let relations = prop::collection::vec(relation, 0..5);
    (spans, relations, any::<bool>()).prop_map(|(spans, relations, narrow)| {
        let mut schema = Schema::default();
        if narrow {
            schema.labels.truncate(2);
        }
        AnnotatedDocument::from_parts(Document::new("t", TEXT), schema, spans, relations)
    })
}

/// Proptest's settings for property tests outside a crate's `src/` (integration tests, where
/// proptest cannot find the file it would keep failing cases in): failing cases are kept in
/// `path`, relative to the package, and replayed first on every run.
pub fn persisted_in(path: &'static str) -> ProptestConfig {
    ProptestConfig {
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::Direct(path),
        )),
        ..ProptestConfig::default()
    }
}
