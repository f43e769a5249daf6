//! Counts the items of a Label Studio fixture from its JSON: in the first annotation of each
//! task (or its first prediction, when it has no annotation), one per label of a labelled
//! region, per label of a relation (one when it has none), per note (on each label of its
//! region), and per result of another type; and one per further annotation, and per
//! prediction of a task that has annotations.

use serde_json::Value;

fn listed<'a>(task: &'a Value, key: &str) -> &'a [Value] {
    task.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The items of fixture `name`.
pub fn items(_name: &str, content: &str) -> usize {
    let tasks = match serde_json::from_str::<Value>(content).unwrap() {
        Value::Array(tasks) => tasks,
        task => vec![task],
    };
    let mut n = 0;
    for task in &tasks {
        let (annotations, predictions) = (listed(task, "annotations"), listed(task, "predictions"));
        let read = if annotations.is_empty() {
            predictions
        } else {
            n += predictions.len();
            annotations
        };
        n += read.len().saturating_sub(1);
        let Some(first) = read.first() else { continue };
        let result = listed(first, "result");
        let labels_of = |item: &Value| item["value"]["labels"].as_array().map_or(0, Vec::len);
        for item in result {
            n += match item["type"].as_str().unwrap() {
                "labels" => labels_of(item),
                "relation" => item["labels"].as_array().map_or(1, |l| l.len().max(1)),
                "textarea" => result
                    .iter()
                    .find(|r| r["type"] == "labels" && r["id"] == item["id"])
                    .map_or(1, labels_of),
                _ => 1,
            };
        }
    }
    n
}
