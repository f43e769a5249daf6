//! Counts the items of a W3C Web Annotation fixture from its JSON (the annotations of an array,
//! a page, or a collection's embedded pages), as docs/formats/w3c.md lists what is read:
//! - a tagging annotation on a stretch of the text: one per tag, one per comment on each tag's
//!   span, and one per other body;
//! - a comment-only annotation, and one on the whole document: one per comment, tag (a
//!   document label) and other body;
//! - an annotation with no tag and no comment: one per body, at least one; one with several
//!   targets: one;
//! - a link: one per comment and other body, and one per relation (its tags, at least one,
//!   times the tags of its two ends) when both ends are tagging annotations of the file, else
//!   one.
//!
//! A body is a tag (a TextualBody of purpose tagging, classifying or identifying, or without a
//! purpose in a tagging, classifying, identifying or linking annotation), a comment (another
//! TextualBody of purpose commenting, describing or replying, or none), or other (anything
//! else: a resource elsewhere, another purpose, an empty value).

use std::collections::HashMap;

use serde_json::Value;

const TAG_PURPOSES: [&str; 3] = ["tagging", "classifying", "identifying"];
const COMMENT_PURPOSES: [&str; 3] = ["commenting", "describing", "replying"];

/// One value, or the values of an array.
fn list(v: Option<&Value>) -> Vec<&Value> {
    match v {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.iter().collect(),
        Some(one) => vec![one],
    }
}

fn is_type(v: &Value, kind: &str) -> bool {
    v.get("type").and_then(Value::as_str) == Some(kind)
}

/// The annotations of the file.
fn annotations(file: &Value) -> Vec<&Value> {
    if is_type(file, "AnnotationCollection") {
        let mut found = Vec::new();
        let mut page = file.get("first");
        while let Some(p) = page {
            found.extend(list(p.get("items")));
            page = p.get("next");
        }
        found
    } else if is_type(file, "AnnotationPage") {
        list(file.get("items"))
    } else {
        list(Some(file))
    }
}

fn motivations(a: &Value) -> Vec<&str> {
    list(a.get("motivation"))
        .into_iter()
        .filter_map(Value::as_str)
        .collect()
}

/// How many of an annotation's bodies are tags, comments and others.
#[derive(Default)]
struct Bodies {
    tags: usize,
    comments: usize,
    other: usize,
}

fn bodies(a: &Value) -> Bodies {
    let tag_default = motivations(a)
        .iter()
        .any(|m| TAG_PURPOSES.contains(m) || *m == "linking");
    let mut n = Bodies::default();
    let mut count = |value: &str, purpose: Option<&str>| {
        let tag = match purpose {
            None => Some(tag_default),
            Some(p) if TAG_PURPOSES.contains(&p) => Some(true),
            Some(p) if COMMENT_PURPOSES.contains(&p) => Some(false),
            Some(_) => None,
        };
        match tag {
            Some(_) if value.trim().is_empty() => n.other += 1,
            Some(true) => n.tags += 1,
            Some(false) => n.comments += 1,
            None => n.other += 1,
        }
    };
    match a.get("bodyValue") {
        None | Some(Value::Null) => {}
        Some(Value::String(v)) => count(v, None),
        Some(_) => count("", Some("(not text)")),
    }
    for body in list(a.get("body")) {
        let textual = body
            .get("type")
            .is_none_or(|t| t.as_str() == Some("TextualBody"));
        match body.get("value").and_then(Value::as_str) {
            Some(v) if textual => count(v, body.get("purpose").and_then(Value::as_str)),
            _ => count("", Some("(not a TextualBody with a value)")),
        }
    }
    n
}

fn has_selector(targets: &[&Value]) -> bool {
    targets.iter().any(|t| t.get("selector").is_some())
}

fn is_link(a: &Value) -> bool {
    motivations(a).contains(&"linking") && !has_selector(&list(a.get("target")))
}

/// The spans a link's end makes (its tags), when it is a tagging annotation on the text.
fn spans_of(end: Option<&&Value>) -> Option<usize> {
    let a = end?;
    let targets = list(a.get("target"));
    let tags = bodies(a).tags;
    (!is_link(a) && targets.len() == 1 && has_selector(&targets) && tags > 0).then_some(tags)
}

/// The items of fixture `name`.
pub fn items(_name: &str, content: &str) -> usize {
    let file: Value = serde_json::from_str(content).unwrap();
    let all = annotations(&file);
    let by_id: HashMap<&str, &Value> = all
        .iter()
        .filter_map(|a| Some((a.get("id")?.as_str()?, *a)))
        .collect();
    let mut n = 0;
    for a in &all {
        let b = bodies(a);
        let targets = list(a.get("target"));
        n += if is_link(a) {
            let ends: Vec<Option<&&Value>> = targets
                .iter()
                .map(|t| {
                    let id = t.as_str().or_else(|| t.get("id").and_then(Value::as_str));
                    id.and_then(|id| by_id.get(id))
                })
                .collect();
            let relations = match ends.as_slice() {
                [from, to] => match (spans_of(*from), spans_of(*to)) {
                    (Some(f), Some(t)) => b.tags.max(1) * f * t,
                    _ => 1,
                },
                _ => panic!("a link in a fixture has two ends"),
            };
            b.comments + b.other + relations
        } else if targets.len() > 1 {
            1
        } else if b.tags + b.comments == 0 {
            b.other.max(1)
        } else if !has_selector(&targets) {
            b.tags + b.comments + b.other
        } else {
            b.tags + b.tags.max(1) * b.comments + b.other
        };
    }
    n
}
