use super::*;

#[test]
fn database_ids_say_what_they_are() {
    assert_eq!(Key::of("doc:a:b"), Some(Key::Doc("a:b")));
    assert_eq!(
        Key::of("ann:a:b:anna"),
        Some(Key::Ann {
            document: "a:b",
            user: "anna"
        })
    );
    assert_eq!(Key::of("ann:a"), None);
    assert_eq!(Key::of("ann::anna"), None);
    assert_eq!(Key::of("ann:a:"), None);
    assert_eq!(Key::of("doc:"), None);
    assert_eq!(Key::of("_design/spanmark"), None);
}

fn link(document: &str, user: &str, waiting: bool) -> Link {
    let mut tracked = Tracked::new(user);
    tracked.waiting = waiting;
    Link {
        document: document.into(),
        tracked,
        edits: if waiting { 3 } else { 0 },
    }
}

#[test]
fn copies_are_found_by_document_and_annotator() {
    let mut p = Project::new("/couchdb/", "project", "cora", true);
    p.links.insert("a".into(), link("a", "cora", false));
    p.links.insert("a-2".into(), link("a", "anna", true));
    p.links.insert("b".into(), link("b", "cora", true));
    assert_eq!(p.local_of("a", "anna"), Some("a-2"));
    assert_eq!(p.local_of("a", "ben"), None);
    assert_eq!(p.copies_of("a").collect::<Vec<_>>(), ["a", "a-2"]);
    assert_eq!(p.waiting(), 2);
    assert_eq!(p.waiting_ids(), ["a-2", "b"]);
    assert_eq!(p.waiting_edits(), 6);
    p.keep_only(|id| id != "b");
    assert_eq!(p.waiting(), 1);
    assert!(p.is("/couchdb", "project") && !p.is("/couchdb/", "other"));
}

#[test]
fn an_annotator_follows_only_their_own_annotations_a_curator_everyones() {
    let mut p = Project::new("/couchdb/", "project", "anna", false);
    assert!(p.wants("doc:x"));
    assert!(p.wants("ann:x:anna"));
    assert!(!p.wants("ann:x:ben"));
    assert!(!p.wants("_design/spanmark"));
    p.curator = true;
    assert!(p.wants("ann:x:ben"));
}

#[test]
fn a_project_survives_a_reload_with_its_waiting_edits() {
    let mut p = Project::new("/couchdb/", "project", "anna", false);
    p.since = Some(Value::from("12-abc"));
    p.links.insert("a".into(), link("a", "anna", true));
    let back: Project = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
    assert_eq!(back, p);
    // An older stored project without the later fields still reads.
    let old: Project =
        serde_json::from_str(r#"{"server": "/couchdb/", "db": "p", "user": "anna"}"#).unwrap();
    assert!(old.links.is_empty() && !old.connected);
}

#[test]
fn another_tabs_copies_are_taken_in_and_waiting_edits_kept() {
    let mut ours = Project::new("/couchdb/", "project", "anna", false);
    ours.links.insert("a".into(), link("a", "anna", false));
    ours.links.insert("b".into(), link("b", "anna", true));
    let mut theirs = ours.clone();
    theirs.links.insert("c".into(), link("c", "anna", false));
    for id in ["a", "b"] {
        if let Some(l) = theirs.links.get_mut(id) {
            l.tracked.rev = Some("2-x".into());
            l.tracked.waiting = false;
        }
    }
    assert!(ours.absorb(&theirs));
    assert!(ours.links.contains_key("c"), "a copy the other tab added");
    assert_eq!(ours.links["a"].tracked.rev.as_deref(), Some("2-x"));
    assert!(
        ours.links["b"].tracked.waiting,
        "what waits here still waits"
    );
    assert_eq!(ours.links["b"].tracked.rev, None);
    // Nothing newer: nothing changes; another user's or project's record is not taken.
    assert!(!ours.absorb(&theirs));
    let other_user = Project::new("/couchdb/", "project", "ben", false);
    assert!(!ours.absorb(&other_user));
}

#[test]
fn the_queue_is_the_users_assigned_documents_with_their_copies_stages() {
    let mut p = Project::new("/couchdb/", "desk", "anna", false);
    p.links.insert("l1".into(), link("d1", "anna", false));
    p.links.insert("l2".into(), link("d2", "anna", true));
    p.links.insert("l3".into(), link("d3", "anna", false));
    // With no plan, every document.
    let stage = |id: &str, _: &Link| {
        if id == "l2" {
            Stage::Done
        } else {
            Stage::InProgress
        }
    };
    let all: Vec<String> = p.queue(stage).into_iter().map(|q| q.document).collect();
    assert_eq!(all, ["d1", "d2", "d3"]);
    let mut plan = Plan::default();
    plan.assignments
        .insert("d2".into(), vec!["anna".into(), "ben".into()]);
    plan.assignments.insert("d3".into(), vec!["ben".into()]);
    plan.assignments.insert("d9".into(), vec!["anna".into()]);
    p.plan = Some(plan);
    let q = p.queue(stage);
    assert_eq!(
        q,
        [
            QueueItem {
                document: "d2".into(),
                local: Some("l2".into()),
                stage: Stage::Done
            },
            QueueItem {
                document: "d9".into(),
                local: None,
                stage: Stage::NotStarted
            },
        ]
    );
    assert!(p.wants(crate::team::plan::PLAN_ID));
}
