use super::*;
use crate::convert::title_of;
use spanmark_core::Schema;
use spanmark_testkit::{default_article, ARTICLE};

#[test]
fn native_and_text_round_trip_through_read_and_write() {
    let doc = default_article();
    let schema = Schema::default();
    for format in [Format::Native, Format::Text] {
        let files = write(format, std::slice::from_ref(&doc));
        assert_eq!(files.len(), 1);
        let (name, content) = &files[0];
        assert_eq!(name, &format!("default-article{}", format.suffix()));
        let ctx = Context {
            title: &title_of(name),
            schema: &schema,
            text: None,
            strict: false,
            label_names: None,
        };
        let back = read(format, content, &ctx).unwrap();
        assert!(back.warnings.is_empty());
        let got = &back.documents[0];
        assert_eq!(got.document.text, ARTICLE);
        assert_eq!(got.document.title, "default-article");
        if format == Format::Native {
            assert_eq!(got, &doc);
        } else {
            assert!(got.spans().is_empty());
        }
    }
}

#[test]
fn reading_a_native_file_merges_its_schema_into_the_current_one() {
    let (current, _) = Schema::default().with_label_added("Date").unwrap();
    let file = native::write(&default_article());
    let ctx = Context {
        title: "x",
        schema: &current,
        text: None,
        strict: false,
        label_names: None,
    };
    let got = read(Format::Native, &file, &ctx)
        .unwrap()
        .documents
        .remove(0);
    assert!(got.schema.labels.iter().any(|l| l.name == "Date"));
    assert_eq!(got.spans(), default_article().spans());
    // With an empty current schema the file's schema stays as it is.
    let empty = Schema {
        labels: Vec::new(),
        relation_types: Vec::new(),
    };
    let ctx = Context {
        schema: &empty,
        ..ctx
    };
    assert_eq!(
        read(Format::Native, &file, &ctx).unwrap().documents[0],
        default_article()
    );
}

#[test]
fn several_documents_get_unique_file_names() {
    let mut a = default_article();
    a.document.title = "Report".into();
    let mut b = a.clone();
    b.document.title = "report".into();
    let mut c = a.clone();
    c.document.title = "a/b".into();
    let names: Vec<String> = write(Format::Native, &[a.clone(), b, c])
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(
        names,
        [
            "Report.spanmark.json",
            "report (2).spanmark.json",
            "a_b.spanmark.json"
        ]
    );
    assert!(write(Format::Native, &[]).is_empty());
    assert_eq!(
        all_documents(std::slice::from_ref(&a), ".conll", String::new())[0].0,
        "Report.conll"
    );
    assert_eq!(
        all_documents(&[a.clone(), a], ".conll", String::new())[0].0,
        "documents.conll"
    );
}
