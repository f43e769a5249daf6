use super::*;
use spanmark_core::GuidePart;

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn six_documents_to_three_annotators_two_each_is_balanced_and_varied() {
    let docs = names(&["d1", "d2", "d3", "d4", "d5", "d6"]);
    let people = names(&["anna", "ben", "cleo"]);
    let a = assign(&BTreeMap::new(), &docs, &people, 2).unwrap();
    assert_eq!(a.len(), 6);
    for users in a.values() {
        assert_eq!(users.len(), 2);
        assert_ne!(users[0], users[1]);
    }
    for p in &people {
        assert_eq!(a.values().filter(|u| u.contains(p)).count(), 4, "{p}");
    }
    // Every pair of annotators shares documents (so each pair's agreement can be measured).
    let pairs: BTreeSet<Vec<&String>> = a
        .values()
        .map(|u| {
            let mut p: Vec<&String> = u.iter().collect();
            p.sort();
            p
        })
        .collect();
    assert_eq!(pairs.len(), 3);
}

use std::collections::BTreeSet;

#[test]
fn documents_already_assigned_keep_their_annotators_and_count_towards_the_balance() {
    let mut before = BTreeMap::new();
    before.insert("d1".to_owned(), names(&["anna"]));
    before.insert("d2".to_owned(), names(&["anna"]));
    let docs = names(&["d1", "d2", "d3", "d4"]);
    let a = assign(&before, &docs, &names(&["anna", "ben"]), 1).unwrap();
    assert_eq!(a["d1"], ["anna"]);
    assert_eq!(a["d2"], ["anna"]);
    assert_eq!(a["d3"], ["ben"]);
    assert_eq!(a["d4"], ["ben"]);
}

#[test]
fn too_few_annotators_or_none_per_document_is_refused() {
    let docs = names(&["d1"]);
    assert_eq!(
        assign(&BTreeMap::new(), &docs, &names(&["anna"]), 2),
        Err(AssignError::TooFew {
            per_document: 2,
            annotators: 1
        })
    );
    assert_eq!(
        assign(&BTreeMap::new(), &docs, &names(&["anna"]), 0),
        Err(AssignError::Zero)
    );
}

#[test]
fn the_project_document_comes_back_whole_and_its_schema_is_checked() {
    let schema = Schema::default()
        .with_label_guide("actor", GuidePart::Is, "Who acts or speaks.")
        .unwrap();
    let mut plan = Plan {
        schema: Some(schema),
        assignments: BTreeMap::new(),
    };
    plan.assignments
        .insert("doc-1".into(), names(&["anna", "ben"]));
    let json = plan.to_json();
    assert_eq!(json["_id"], PLAN_ID);
    assert_eq!(Plan::from_json(&json).unwrap(), plan);
    let mut bad = json.clone();
    bad["schema"]["labels"][0]["colour"] = Value::from("red");
    assert!(Plan::from_json(&bad).is_err());
    // A project document with nothing yet is a plan that assigns nothing.
    assert_eq!(
        Plan::from_json(&json!({"_id": "project"})).unwrap(),
        Plan::default()
    );
}

#[test]
fn a_queue_is_the_documents_assigned_or_all_when_nothing_is() {
    let all = names(&["d1", "d2", "d3"]);
    let mut plan = Plan::default();
    assert_eq!(plan.queue("anna", &all), ["d1", "d2", "d3"]);
    plan.assignments.insert("d2".into(), names(&["anna"]));
    plan.assignments.insert("d3".into(), names(&["ben"]));
    assert_eq!(plan.queue("anna", &all), ["d2"]);
    assert!(plan.queue("cleo", &all).is_empty());
}

#[test]
fn a_stage_is_not_started_until_something_is_made_or_marked() {
    assert_eq!(Stage::of(None, 0), Stage::NotStarted);
    assert_eq!(Stage::of(Some(Status::InProgress), 0), Stage::NotStarted);
    assert_eq!(Stage::of(Some(Status::InProgress), 3), Stage::InProgress);
    assert_eq!(Stage::of(Some(Status::Done), 0), Stage::Done);
    assert_eq!(Stage::Done.words(), "done");
}
