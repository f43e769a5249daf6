//! Counts the items of a spaCy fixture from its JSON:
//! - spaCy v3 items (`[text, {…}]` pairs or `{"text", …}` objects): the distinct `(start, end,
//!   label)` spans of a document across `entities` and every `spans` group, and each entry of
//!   `cats` and `links`;
//! - spaCy v2 documents (`"paragraphs"`): per paragraph, the entities its tokens' BILUO tags
//!   begin (`B-` and `U-`), and each entry of `cats` and `links`;
//! - the NER Annotator's export (`{"classes", "annotations"}`): each `null` text, and the items
//!   of each text as of a v3 item.

use std::collections::HashSet;

use serde_json::{Map, Value};

/// The items of fixture `name`.
pub fn items(name: &str, content: &str) -> usize {
    let file: Value = serde_json::from_str(content).unwrap_or_else(|e| panic!("{name}: {e}"));
    match &file {
        Value::Object(o) => o["annotations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| match item {
                Value::Null => 1,
                Value::Array(pair) => v3(pair[1].as_object().unwrap()),
                other => panic!("{name}: an NER Annotator item {other}"),
            })
            .sum(),
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::Object(o) if o.contains_key("paragraphs") => o["paragraphs"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| v2_paragraph(name, p.as_object().unwrap()))
                    .sum(),
                Value::Object(o) => v3(o),
                Value::Array(pair) => v3(pair[1].as_object().unwrap()),
                other => panic!("{name}: a training item {other}"),
            })
            .sum(),
        other => panic!("{name}: {other}"),
    }
}

/// The entries of an object or array under `key`.
fn entries(o: &Map<String, Value>, key: &str) -> usize {
    match o.get(key) {
        Some(Value::Object(m)) => m.len(),
        Some(Value::Array(a)) => a.len(),
        _ => 0,
    }
}

/// The items of a v3 item's annotations.
fn v3(annotations: &Map<String, Value>) -> usize {
    let mut spans: HashSet<(u64, u64, String)> = HashSet::new();
    let mut lists: Vec<&Value> = annotations.get("entities").into_iter().collect();
    if let Some(Value::Object(groups)) = annotations.get("spans") {
        lists.extend(groups.values());
    }
    for list in lists {
        for triple in list.as_array().unwrap() {
            spans.insert((
                triple[0].as_u64().unwrap(),
                triple[1].as_u64().unwrap(),
                triple[2].as_str().unwrap().to_owned(),
            ));
        }
    }
    spans.len() + entries(annotations, "cats") + entries(annotations, "links")
}

/// The items of a v2 paragraph.
fn v2_paragraph(name: &str, paragraph: &Map<String, Value>) -> usize {
    assert!(
        !paragraph.contains_key("entities"),
        "{name}: this counter does not count a paragraph's offsets entities"
    );
    let begun = paragraph["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["tokens"].as_array().unwrap())
        .filter(|t| {
            t.get("ner")
                .and_then(Value::as_str)
                .is_some_and(|tag| tag.starts_with("B-") || tag.starts_with("U-"))
        })
        .count();
    begun + entries(paragraph, "cats") + entries(paragraph, "links")
}
