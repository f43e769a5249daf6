//! Running a project from the command line against a real CouchDB API (pouchdb-server on a
//! loopback port): `assign` shares three documents out to three annotators, two each,
//! balanced; the annotators' finished work is measured by `agree URL/DB` (checked against the
//! same measures computed here from the same documents); a curated document is the only one
//! `pull --gold` returns, with exactly its spans.

// Test code: a failed assumption should stop the test, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;

use common::{add_user, folder, http, spanmark, start, stderr, ADMIN};
use serde_json::Value;
use spanmark_core::agreement::{agreement, corpus, Annotation, DocumentReport};
use spanmark_core::{AnnotatedDocument, GuidePart};
use spanmark_formats::native;
use spanmark_formats::team::plan::gold_json;
use spanmark_formats::team::{annotation_json, Status};
use spanmark_testkit::annotated;

const TEXTS: [&str; 3] = [
    "Lavrov said Kerry denied it in Geneva.",
    "In Geneva, Lavrov met Kerry on Monday.",
    "Kerry said Lavrov was wrong about Geneva.",
];

fn get(port: u16, path: &str) -> Value {
    let (status, body) = http(port, "GET", path, Some(ADMIN), "");
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap()
}

#[test]
fn a_project_is_assigned_measured_and_its_gold_set_pulled() {
    let server = start();
    add_user(&server, "cleo", "annotator");
    let port = server.port;
    let url = format!("http://127.0.0.1:{port}/desk");
    let dir = folder("assign");
    let o = spanmark(&dir, Some(ADMIN.0), &["init", &url]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut names = Vec::new();
    for (i, t) in TEXTS.iter().enumerate() {
        let name = format!("story-{}.txt", i + 1);
        std::fs::write(dir.join(&name), t).unwrap();
        names.push(name);
    }
    let mut push = vec!["push", "--to", &url];
    push.extend(names.iter().map(String::as_str));
    let o = spanmark(&dir, Some("cora"), &push);
    assert!(o.status.success(), "{}", stderr(&o));

    // The curator gives the project its guidelines: every document's Actor takes them.
    let schema = spanmark_core::Schema::default()
        .with_label_guide(
            "actor",
            GuidePart::Is,
            "A person or group that acts or speaks.",
        )
        .unwrap();
    std::fs::write(
        dir.join("schema.json"),
        serde_json::to_string(&schema).unwrap(),
    )
    .unwrap();
    let o = spanmark(&dir, Some("anna"), &["guidelines", &url, "schema.json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let o = spanmark(&dir, Some("cora"), &["guidelines", &url, "schema.json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("3 documents took its guidelines"),
        "{}",
        stderr(&o)
    );
    let all = get(
        port,
        "/desk/_all_docs?include_docs=true&startkey=%22doc:%22&endkey=%22doc:%EF%BF%B0%22",
    );
    for row in all["rows"].as_array().unwrap() {
        assert_eq!(
            row["doc"]["schema"]["labels"][0]["guide"]["is"],
            "A person or group that acts or speaks.",
            "{row}"
        );
    }
    assert_eq!(
        get(port, "/desk/project")["schema"],
        serde_json::to_value(&schema).unwrap()
    );
    let o = spanmark(&dir, Some("cora"), &["guidelines", &url, "schema.json"]);
    assert!(stderr(&o).contains("0 documents took"), "{}", stderr(&o));

    // An annotator may not share out documents; the server's admin lists the annotators.
    let o = spanmark(
        &dir,
        Some("anna"),
        &["assign", &url, "--per-doc", "2", "--annotators", "anna,ben"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("Only a curator may write project"),
        "{}",
        stderr(&o)
    );
    let o = spanmark(&dir, Some(ADMIN.0), &["assign", &url, "--per-doc", "2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("assigned 3 documents to 2 annotators each (0 kept as assigned before): anna 2, ben 2, cleo 2"),
        "{}",
        stderr(&o)
    );
    // Again, as the curator naming the annotators: nothing is moved.
    let o = spanmark(
        &dir,
        Some("cora"),
        &[
            "assign",
            &url,
            "--per-doc",
            "2",
            "--annotators",
            "anna,ben,cleo",
        ],
    );
    assert!(
        stderr(&o).contains("assigned 0 documents"),
        "{}",
        stderr(&o)
    );
    let plan = get(port, "/desk/project");
    let assignments: BTreeMap<String, Vec<String>> =
        serde_json::from_value(plan["assignments"].clone()).unwrap();
    assert_eq!(assignments.len(), 3);

    // Each assigned annotator finishes their documents: the first of a pair marks Lavrov and
    // Geneva, the second only Lavrov; on the third document, the second is not done yet.
    let docs: Vec<Value> = assignments
        .keys()
        .map(|id| get(port, &format!("/desk/doc:{id}")))
        .collect();
    let mut finished: Vec<DocumentReport> = Vec::new();
    for (n, ((id, users), doc)) in assignments.iter().zip(&docs).enumerate() {
        let text = doc["text"].as_str().unwrap();
        let mut versions: Vec<AnnotatedDocument> = Vec::new();
        for (k, user) in users.iter().enumerate() {
            let spans: &[(&str, &str)] = if k == 0 {
                &[("Lavrov", "actor"), ("Geneva", "place")]
            } else {
                &[("Lavrov", "actor")]
            };
            let mut d = annotated(text, spans);
            d.document.id = id.clone();
            d.document.title = doc["title"].as_str().unwrap().to_owned();
            let done = !(n == 2 && k == 1);
            let status = if done {
                Status::Done
            } else {
                Status::InProgress
            };
            let body = annotation_json(&d, user, status, "2026-12-04T10:00:00Z");
            let password = format!("{user}-pw");
            let (s, b) = http(
                port,
                "PUT",
                &format!("/desk/ann:{id}:{user}"),
                Some((user, &password)),
                &body.to_string(),
            );
            assert_eq!(s, 201, "{b}");
            if done {
                versions.push(d);
            }
        }
        if versions.len() == 2 {
            // The dashboard takes a document's annotators in name order (the first is the
            // reference of precision and recall).
            let mut annotations: Vec<Annotation> = users
                .iter()
                .zip(&versions)
                .map(|(name, doc)| Annotation { name, doc })
                .collect();
            annotations.sort_by_key(|a| a.name);
            finished.push(DocumentReport {
                id: id.clone(),
                title: versions[0].document.title.clone(),
                report: agreement(&annotations).unwrap(),
            });
        }
    }
    let expected = corpus(&finished);

    // agree: the same numbers as the measures computed here; and the table.
    let o = spanmark(&dir, Some("cora"), &["agree", &url, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        report["agreement"],
        serde_json::to_value(&expected).unwrap()
    );
    assert_eq!(
        report["agreement"]["documents"].as_array().unwrap().len(),
        2
    );
    let f1 = report["agreement"]["overall"]["exact"]["f1"]
        .as_f64()
        .unwrap();
    assert!((f1 - 2.0 / 3.0).abs() < 1e-12, "{f1}");
    let done: Vec<u64> = report["annotators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["done"].as_u64().unwrap())
        .collect();
    assert_eq!(done.iter().sum::<u64>(), 5);
    let o = spanmark(&dir, Some("cora"), &["agree", &url]);
    let table = String::from_utf8(o.stdout).unwrap();
    assert!(
        table.contains("done 5 of 6 assigned; 2 with two or more"),
        "{table}"
    );
    assert!(table.contains("All labels"), "{table}");

    // No gold yet: pull --gold says so and writes nothing. Then the curator saves one.
    let out = dir.join("gold");
    let o = spanmark(
        &dir,
        Some("cora"),
        &["pull", &url, "--gold", "--to", "spanmark", "-o", "gold/"],
    );
    assert!(
        stderr(&o).contains("no document of desk is curated yet"),
        "{}",
        stderr(&o)
    );
    let (id, _) = assignments.iter().next().unwrap();
    let text = docs[0]["text"].as_str().unwrap();
    let mut gold = annotated(text, &[("Lavrov", "actor"), ("Geneva", "place")]);
    gold.document.id = id.clone();
    gold.document.title = docs[0]["title"].as_str().unwrap().to_owned();
    let (s, b) = http(
        port,
        "PUT",
        &format!("/desk/gold:{id}"),
        Some(("cora", "cora-pw")),
        &gold_json(&gold, id, "cora", "2026-12-04T11:00:00Z").to_string(),
    );
    assert_eq!(s, 201, "{b}");
    let o = spanmark(
        &dir,
        Some("cora"),
        &["pull", &url, "--gold", "--to", "spanmark", "-o", "gold/"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let written: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
    let pulled = native::parse(&std::fs::read_to_string(&written[0]).unwrap()).unwrap();
    assert_eq!(pulled.spans(), gold.spans());
    assert_eq!(pulled.document.text, gold.document.text);
}
