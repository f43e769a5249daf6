use super::*;
use crate::team::document_json;
use spanmark_core::{Action, Outcome};
use spanmark_testkit::article_linked;

/// `doc` with one more span, of `label` over the first occurrence of `phrase`.
fn with_span(doc: &AnnotatedDocument, phrase: &str, label: &str) -> AnnotatedDocument {
    let mut d = doc.clone();
    let b = d.document.text.find(phrase).unwrap();
    let start = d.document.text[..b].chars().count();
    let end = start + phrase.chars().count();
    let outcome = d
        .apply(Action::AddSpan {
            label: label.into(),
            start,
            end,
        })
        .unwrap();
    assert!(matches!(outcome, Outcome::Added { .. }), "{outcome:?}");
    d
}

/// What the server keeps of a PUT: the body with its new revision.
fn stored(body: &Value, rev: &str) -> Value {
    let mut v = body.clone();
    v["_rev"] = Value::from(rev);
    v
}

#[test]
fn edits_wait_until_the_server_has_them() {
    let doc = article_linked(&[]);
    let d = document_json(&doc);
    let mut t = Tracked::new("anna");
    assert!(
        t.outgoing(&doc, Status::InProgress, "t").is_none(),
        "nothing waits"
    );
    t.edited();
    let body = t.outgoing(&doc, Status::InProgress, "t").unwrap();
    assert!(body.get("_rev").is_none(), "a first write replaces nothing");
    t.pushed(&body, "1-a", &doc, &d);
    assert!(!t.waiting);
    assert_eq!(t.rev.as_deref(), Some("1-a"));
    // An edit while the next request is on its way still waits after it.
    t.edited();
    let body = t.outgoing(&doc, Status::InProgress, "t").unwrap();
    assert_eq!(body["_rev"], "1-a");
    let later = with_span(&doc, "Washington", "place");
    t.pushed(&body, "2-b", &later, &d);
    assert!(t.waiting, "the span added meanwhile still waits");
    // Kept across a reload.
    let again: Tracked = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
    assert_eq!(again, t);
}

#[test]
fn another_devices_version_is_taken_when_nothing_waits_and_its_own_revision_is_no_news() {
    let doc = article_linked(&[]);
    let d = document_json(&doc);
    let mut t = Tracked::new("anna");
    t.edited();
    let body = t.outgoing(&doc, Status::InProgress, "t").unwrap();
    t.pushed(&body, "1-a", &doc, &d);
    assert!(matches!(
        t.arrived(&d, &stored(&body, "1-a"), &doc).unwrap(),
        Arrival::Unchanged
    ));
    let theirs = with_span(&doc, "Washington", "place");
    let their_body = stored(&annotation_json(&theirs, "anna", Status::Done, "t2"), "2-x");
    match t.arrived(&d, &their_body, &doc).unwrap() {
        Arrival::Took(got) => assert!(same_annotations(&got, &theirs)),
        other => panic!("expected the server's version, got {other:?}"),
    }
    assert_eq!(t.rev.as_deref(), Some("2-x"));
    assert!(!t.waiting);
}

#[test]
fn two_devices_edits_are_merged_against_the_last_version_both_had() {
    // The same annotator on two devices, offline, each adds a span: the server holds one
    // device's (a 409 for the other), and the other merges both, against the base.
    let doc = article_linked(&[]);
    let d = document_json(&doc);
    let mut t = Tracked::new("anna");
    t.edited();
    let body = t.outgoing(&doc, Status::InProgress, "t").unwrap();
    t.pushed(&body, "1-a", &doc, &d);

    let mine = with_span(&doc, "Washington", "place");
    t.edited();
    let theirs = with_span(&doc, "Syria", "place");
    let their_body = stored(
        &annotation_json(&theirs, "anna", Status::InProgress, "t2"),
        "2-x",
    );
    let Arrival::Merged {
        doc: merged,
        report,
    } = t.arrived(&d, &their_body, &mine).unwrap()
    else {
        panic!("expected a merge");
    };
    let has = |m: &AnnotatedDocument, phrase: &str| {
        m.spans()
            .iter()
            .any(|s| s.text == phrase && s.label == "place")
    };
    assert!(
        has(&merged, "Washington") && has(&merged, "Syria"),
        "both edits are kept"
    );
    assert_eq!(merged.spans().len(), doc.spans().len() + 2);
    // Both devices gave their new span the same fresh id: said, and both kept.
    assert!(report.conflicts.len() <= 1, "{:?}", report.conflicts);
    assert!(
        t.waiting,
        "the merge is sent next, over the server's revision"
    );
    let next = t.outgoing(&merged, Status::InProgress, "t3").unwrap();
    assert_eq!(next["_rev"], "2-x");

    // A removal on one device survives the merge (the base tells a removal from an addition).
    let mut t2 = Tracked::new("anna");
    t2.edited();
    let body = t2.outgoing(&mine, Status::InProgress, "t").unwrap();
    t2.pushed(&body, "3-a", &mine, &d);
    t2.edited();
    let fewer = doc.clone(); // this device removed the Washington span again
    let other = with_span(&mine, "Syria", "place");
    let other_body = stored(
        &annotation_json(&other, "anna", Status::InProgress, "t4"),
        "4-y",
    );
    let Arrival::Merged { doc: merged, .. } = t2.arrived(&d, &other_body, &fewer).unwrap() else {
        panic!("expected a merge");
    };
    assert!(!has(&merged, "Washington"), "the removal is kept");
    assert!(has(&merged, "Syria"), "the other device's addition is kept");
}

#[test]
fn marking_done_waits_until_the_server_has_it_and_the_servers_status_wins_after() {
    let doc = article_linked(&[]);
    let d = document_json(&doc);
    let mut t = Tracked::new("anna");
    assert_eq!(t.status(), Status::InProgress);
    assert!(!t.mark(Status::InProgress), "already in progress");
    assert!(t.mark(Status::Done));
    assert!(t.waiting && t.status_waits());
    assert_eq!(t.status(), Status::Done);
    let body = t.outgoing(&doc, t.status(), "t").unwrap();
    assert_eq!(body["status"], "done");
    t.pushed(&body, "1-a", &doc, &d);
    assert!(!t.waiting && !t.status_waits());
    assert_eq!((t.status, t.server_status()), (None, Status::Done));
    // Marked back, then the server's version arrives before it is sent: merged, and still
    // waiting, the status set here kept.
    assert!(t.mark(Status::InProgress));
    let mut theirs = stored(&body, "2-b");
    theirs["note"] = Value::from("from another device");
    let arrival = t.arrived(&d, &theirs, &doc).unwrap();
    assert!(matches!(arrival, Arrival::Merged { .. }), "{arrival:?}");
    assert!(t.waiting);
    assert_eq!(t.status(), Status::InProgress);
}
