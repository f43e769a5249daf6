use super::*;
use crate::team::plan::gold_json;
use crate::team::{annotation_json, document_json};
use serde_json::json;
use spanmark_testkit::annotated;

const TEXT: &str = "Lavrov said Kerry denied it in Geneva.";

/// One annotator's work on a document: user, done, and spans as (phrase, label).
type Work<'a> = (&'a str, bool, &'a [(&'a str, &'a str)]);

/// The database rows of a document `title` and its annotators' work.
fn rows(title: &str, work: &[Work]) -> (String, Vec<Value>) {
    let mut base = annotated(TEXT, &[]);
    base.document.title = title.into();
    base.document.id = format!("doc-{title}");
    let mut out = vec![document_json(&base)];
    for (user, done, spans) in work {
        let mut d = annotated(TEXT, spans);
        d.document = base.document.clone();
        let status = if *done {
            Status::Done
        } else {
            Status::InProgress
        };
        out.push(annotation_json(&d, user, status, "2026-12-04T10:00:00Z"));
    }
    (base.document.id.clone(), out)
}

#[test]
fn progress_counts_and_agreement_come_from_the_rows() {
    let lavrov: &[(&str, &str)] = &[("Lavrov", "actor")];
    let both: &[(&str, &str)] = &[("Lavrov", "actor"), ("Geneva", "place")];
    let (one, mut all) = rows("one", &[("anna", true, both), ("ben", true, lavrov)]);
    let (two, more) = rows("two", &[("anna", true, lavrov), ("ben", false, lavrov)]);
    all.extend(more);
    let (three, more) = rows("three", &[]);
    all.extend(more);
    let gold = annotated(TEXT, lavrov);
    all.push(gold_json(&gold, &one, "cora", "t"));
    all.push(json!({"_id": "project", "assignments": {}}));

    let mut plan = Plan::default();
    for (doc, users) in [
        (&one, ["anna", "ben"]),
        (&two, ["anna", "ben"]),
        (&three, ["anna", "cleo"]),
    ] {
        plan.assignments
            .insert(doc.clone(), users.iter().map(|u| (*u).to_owned()).collect());
    }
    let d = dashboard(&plan, &all);
    assert!(d.problems.is_empty(), "{:?}", d.problems);

    let anna = &d.annotators[0];
    assert_eq!(
        (
            anna.user.as_str(),
            anna.assigned,
            anna.done,
            anna.in_progress,
            anna.spans
        ),
        ("anna", 3, 2, 0, 3)
    );
    let ben = &d.annotators[1];
    assert_eq!(
        (ben.assigned, ben.done, ben.in_progress, ben.spans),
        (2, 1, 1, 2)
    );
    let cleo = &d.annotators[2];
    assert_eq!(
        (cleo.user.as_str(), cleo.assigned, cleo.done, cleo.spans),
        ("cleo", 1, 0, 0)
    );

    let by_id = |id: &str| d.documents.iter().find(|p| p.id == id).unwrap();
    assert_eq!(by_id(&one).done, ["anna", "ben"]);
    assert!(by_id(&one).curated);
    assert_eq!(by_id(&two).done, ["anna"]);
    assert!(!by_id(&two).curated);
    assert_eq!(by_id(&three).assigned, ["anna", "cleo"]);

    let count = |label: &str| d.labels.iter().find(|l| l.label == label).unwrap().spans;
    assert_eq!((count("actor"), count("place"), count("claim")), (4, 1, 0));

    // Only document one has two annotators done: anna 2 spans, ben 1, matched 1 → F1 2/3.
    assert_eq!(d.agreement.documents.len(), 1);
    assert_eq!(d.agreement.documents[0].id, one);
    let f1 = d.agreement.overall.exact.f1.unwrap();
    assert!((f1 - 2.0 / 3.0).abs() < 1e-12, "{f1}");
}

#[test]
fn annotations_that_cannot_be_read_are_named_not_counted() {
    let (one, mut all) = rows("one", &[("anna", true, &[("Lavrov", "actor")])]);
    all[1]["spans"][0]["start"] = Value::from(2);
    let d = dashboard(&Plan::default(), &all);
    assert_eq!(d.problems.len(), 1);
    assert!(
        d.problems[0].starts_with(&format!("ann:{one}:anna")),
        "{:?}",
        d.problems
    );
    assert!(d.annotators.is_empty());
}
