use super::*;
use spanmark_testkit::{article_linked, stress_linked};

#[test]
fn a_document_and_its_annotations_come_back_whole() {
    for mut doc in [article_linked(&[]), stress_linked(&[])] {
        doc.document.note = Some("checked".into());
        let d = document_json(&doc);
        let a = annotation_json(&doc, "anna", Status::Done, "2026-12-04T10:00:00Z");
        assert_eq!(d["_id"], Value::from(format!("doc:{}", doc.document.id)));
        assert_eq!(
            a["_id"],
            Value::from(format!("ann:{}:anna", doc.document.id))
        );
        assert_eq!(a["status"], "done");
        assert_eq!(assemble(&d, Some(&a)).unwrap(), doc);
        // Without annotations: the document, with no spans.
        let bare = assemble(&d, None).unwrap();
        assert_eq!(bare.document.text, doc.document.text);
        assert!(bare.spans().is_empty() && bare.relations.is_empty());
    }
}

#[test]
fn annotations_that_disagree_with_the_text_are_refused() {
    let doc = article_linked(&[]);
    let d = document_json(&doc);
    let mut a = annotation_json(&doc, "anna", Status::InProgress, "t");
    a["spans"][0]["start"] = Value::from(1);
    assert!(assemble(&d, Some(&a)).is_err());
    assert!(assemble(
        &json!({"_id": "x", "title": "t", "text": "a", "schema": doc.schema}),
        None
    )
    .is_err());
}

#[test]
fn user_names_own_annotations_only_without_colons() {
    assert!(valid_user("anna"));
    assert!(valid_user("Ana María"));
    assert!(!valid_user(""));
    assert!(!valid_user("a:b"));
    assert!(!valid_user(" anna"));
}
