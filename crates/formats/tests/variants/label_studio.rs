//! Counts the items of a Label Studio fixture from its JSON: in the first annotation of each
//! task (or its first prediction, when it has no annotation), one per label of a labelled
//! region, per label of a relation (one when it has none), per note (on each label of its
//! region), and per result of another type; and one per further annotation, and per
//! prediction of a task that has annotations.

use serde_json::Value;

/// The keys of a JSON-MIN task that say who annotated and when.
const METADATA: [&str; 8] = [
    "id",
    "annotator",
    "annotation_id",
    "created_at",
    "updated_at",
    "lead_time",
    "agreement",
    "meta",
];

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
        // JSON-MIN: the data's fields and each control's regions side by side.
        if task.get("data").is_none() {
            for (key, value) in task.as_object().unwrap() {
                let regions = value.as_array().filter(|items| {
                    items
                        .iter()
                        .all(|r| r.get("start").is_some() && r.get("labels").is_some())
                });
                n += match regions {
                    Some(items) => items
                        .iter()
                        .map(|r| r["labels"].as_array().unwrap().len())
                        .sum(),
                    None if METADATA.contains(&key.as_str()) || key == "text" => 0,
                    None => 1,
                };
            }
            continue;
        }
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
