//! Counts the items of a doccano fixture from its JSON: every entry of a record's `label`,
//! `labels`, `entities`, `annotations`, `relations`, `cats` and `Comments` arrays.

use serde_json::Value;

/// The items of fixture `name`.
pub fn items(_name: &str, content: &str) -> usize {
    let records: Vec<Value> = match serde_json::from_str::<Value>(content) {
        Ok(Value::Array(records)) => records,
        Ok(record) if content.trim().lines().count() > 1 => vec![record],
        _ => content
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap())
            .collect(),
    };
    records
        .iter()
        .map(|record| {
            [
                "label",
                "labels",
                "entities",
                "annotations",
                "relations",
                "cats",
                "Comments",
                "comments",
            ]
            .iter()
            .filter_map(|key| record.get(key).and_then(Value::as_array))
            .map(Vec::len)
            .sum::<usize>()
        })
        .sum()
}
