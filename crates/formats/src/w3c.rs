//! W3C Web Annotation JSON-LD (docs/formats/w3c.md).
//!
//! A document becomes an `AnnotationCollection` whose first page holds one `tagging`
//! annotation per span (a `TextualBody` naming the label, and a `commenting` body for its note),
//! selected by a `TextQuoteSelector` and a `TextPositionSelector` (code points, as the model
//! requires); one `linking` annotation per relation, whose target lists the two span
//! annotations (from, to); and one `commenting` annotation on the whole source for the
//! document's note. The annotations do not carry the text: the importer takes it from
//! [`Context::text`].

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{FormatError, Problem};
use crate::import::{json_error, json_kind, json_range, Builder, Context, Imported};
use spanmark_core::offsets::{byte_to_cp, cp_len, slice_cp};
use spanmark_core::AnnotatedDocument;

/// The JSON-LD context of the Web Annotation vocabulary.
pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";
/// How many code points of context the quote selector's `prefix` and `suffix` carry.
pub const QUOTE_CONTEXT: usize = 32;
/// The relation type given to a linking annotation without a tag.
pub const UNTAGGED_LINK: &str = "related";

#[derive(Serialize)]
struct Collection<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    label: &'a str,
    total: usize,
    first: Page<'a>,
}

#[derive(Serialize)]
struct Page<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    items: Vec<Annotation<'a>>,
}

#[derive(Serialize)]
struct Annotation<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    motivation: &'static str,
    body: Vec<Body<'a>>,
    target: Target<'a>,
}

#[derive(Serialize)]
struct Body<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    purpose: &'static str,
    value: &'a str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Target<'a> {
    Text {
        source: &'a str,
        selector: [Selector<'a>; 2],
    },
    Annotations([String; 2]),
    Source(&'a str),
}

#[derive(Serialize)]
#[serde(tag = "type")]
enum Selector<'a> {
    TextQuoteSelector {
        exact: &'a str,
        #[serde(skip_serializing_if = "str::is_empty")]
        prefix: &'a str,
        #[serde(skip_serializing_if = "str::is_empty")]
        suffix: &'a str,
    },
    TextPositionSelector {
        start: usize,
        end: usize,
    },
}

fn tag(value: &str) -> Body<'_> {
    Body {
        kind: "TextualBody",
        purpose: "tagging",
        value,
    }
}

fn comment(value: &str) -> Body<'_> {
    Body {
        kind: "TextualBody",
        purpose: "commenting",
        value,
    }
}

/// `s` as one segment of a URN: characters other than ASCII letters, digits and `-._~`
/// percent-encoded (UTF-8).
fn urn_part(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The IRI the annotations name the document by: `urn:spanmark:<document id>`.
pub fn source_iri(doc: &AnnotatedDocument) -> String {
    format!("urn:spanmark:{}", urn_part(&doc.document.id))
}

/// Writes `doc` as an `AnnotationCollection` (pretty-printed JSON-LD). Annotation ids are
/// `<source>:span:<span id>` and `<source>:relation:<relation id>`.
pub fn write(doc: &AnnotatedDocument) -> String {
    let source = source_iri(doc);
    let text = &doc.document.text;
    let span_iri = |id: &str| format!("{source}:span:{}", urn_part(id));
    let mut items: Vec<Annotation> = doc
        .spans()
        .iter()
        .map(|s| {
            let label = doc.schema.label(&s.label).map_or(&s.label, |l| &l.name);
            let mut body = vec![tag(label)];
            body.extend(s.note.as_deref().map(comment));
            Annotation {
                id: span_iri(&s.id),
                kind: "Annotation",
                motivation: "tagging",
                body,
                target: Target::Text {
                    source: &source,
                    selector: [
                        Selector::TextQuoteSelector {
                            exact: &s.text,
                            prefix: slice_cp(text, s.start.saturating_sub(QUOTE_CONTEXT), s.start)
                                .unwrap_or_default(),
                            suffix: slice_cp(
                                text,
                                s.end,
                                s.end.saturating_add(QUOTE_CONTEXT).min(cp_len(text)),
                            )
                            .unwrap_or_default(),
                        },
                        Selector::TextPositionSelector {
                            start: s.start,
                            end: s.end,
                        },
                    ],
                },
            }
        })
        .collect();
    items.extend(doc.relations.iter().map(|r| Annotation {
        id: format!("{source}:relation:{}", urn_part(&r.id)),
        kind: "Annotation",
        motivation: "linking",
        body: vec![tag(doc.schema.relation_type_name(&r.kind))],
        target: Target::Annotations([span_iri(&r.from), span_iri(&r.to)]),
    }));
    if let Some(note) = &doc.document.note {
        items.push(Annotation {
            id: format!("{source}:note"),
            kind: "Annotation",
            motivation: "commenting",
            body: vec![comment(note)],
            target: Target::Source(&source),
        });
    }
    let collection = Collection {
        context: CONTEXT,
        id: format!("{source}:annotations"),
        kind: "AnnotationCollection",
        label: &doc.document.title,
        total: items.len(),
        first: Page {
            id: format!("{source}:annotations:page-1"),
            kind: "AnnotationPage",
            items,
        },
    };
    // Plain structs of strings and integers always serialize.
    serde_json::to_string_pretty(&collection).unwrap_or_default()
}

/// Whether the JSON-LD `type` of `v` is (or includes) `kind`.
fn has_type(v: &Map<String, Value>, kind: &str) -> bool {
    match v.get("type").or_else(|| v.get("@type")) {
        Some(Value::String(t)) => t == kind,
        Some(Value::Array(ts)) => ts.iter().any(|t| t.as_str() == Some(kind)),
        _ => false,
    }
}

/// Strings of a property that may be one string or an array of them.
fn strings(v: Option<&Value>) -> Vec<&str> {
    match v {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Values of a property that may be one value or an array of them.
fn values(v: Option<&Value>) -> Vec<&Value> {
    match v {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.iter().collect(),
        Some(one) => vec![one],
    }
}

/// Reads W3C Web Annotations onto `ctx.text` (required): an `AnnotationCollection` (its
/// embedded pages), an `AnnotationPage`, an array of annotations or one annotation. The title is
/// the collection's `label`, else `ctx.title`. Problems name the item, e.g. `first.items[3]`.
pub fn parse(input: &str, ctx: &Context) -> Result<Imported, FormatError> {
    let text = ctx.required_text(
        "W3C annotations do not carry the text they annotate; give the text with them",
    )?;
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let value: Value = serde_json::from_str(input).map_err(json_error)?;
    let mut problems = Vec::new();
    let mut annotations: Vec<(String, &Value)> = Vec::new();
    let mut title = ctx.title;
    match &value {
        Value::Array(items) => {
            annotations.extend(items.iter().enumerate().map(|(i, a)| (format!("[{i}]"), a)));
        }
        Value::Object(o) if has_type(o, "AnnotationCollection") => {
            if let Some(label) = o.get("label").and_then(Value::as_str) {
                if !label.trim().is_empty() {
                    title = label;
                }
            }
            let mut page = o.get("first");
            let mut at = "first".to_owned();
            let mut pages = 0usize;
            while let Some(p) = page {
                match p {
                    Value::Object(p) => {
                        page_items(p, &at, &mut annotations, &mut problems);
                        page = p.get("next");
                        at.push_str(".next");
                    }
                    other => {
                        problems.push(Problem::new(
                            &at,
                            format!(
                                "is {}, not an embedded page: pages elsewhere are not fetched",
                                json_kind(other)
                            ),
                        ));
                        page = None;
                    }
                }
                pages += 1;
                if pages > 10_000 {
                    break;
                }
            }
        }
        Value::Object(o) if has_type(o, "AnnotationPage") => {
            page_items(o, "", &mut annotations, &mut problems);
        }
        Value::Object(_) => annotations.push(("annotation".into(), &value)),
        other => problems.push(Problem::new(
            "file",
            format!(
                "is {}, not an annotation, a page or a collection",
                json_kind(other)
            ),
        )),
    }
    let mut b = Builder::within(title, text, ctx);
    for p in problems {
        b.problem(p.at, p.message);
    }
    read_annotations(&mut b, &annotations);
    b.finish().map(Imported::from).map_err(FormatError::Problems)
}

fn page_items<'a>(
    page: &'a Map<String, Value>,
    at: &str,
    annotations: &mut Vec<(String, &'a Value)>,
    problems: &mut Vec<Problem>,
) {
    let items_at = if at.is_empty() {
        "items".to_owned()
    } else {
        format!("{at}.items")
    };
    match page.get("items") {
        Some(Value::Array(items)) => annotations.extend(
            items
                .iter()
                .enumerate()
                .map(|(i, a)| (format!("{items_at}[{i}]"), a)),
        ),
        None => {}
        Some(other) => problems.push(Problem::new(
            items_at,
            format!("is {}, not an array", json_kind(other)),
        )),
    }
}

/// What a body says: a tag (a label or relation type) or a comment (a note).
enum Said<'a> {
    Tag(&'a str),
    Comment(&'a str),
}

fn read_annotations(b: &mut Builder, annotations: &[(String, &Value)]) {
    // Annotation id → the spans made from it (one per tag).
    let mut spans: HashMap<&str, Vec<String>> = HashMap::new();
    // Annotations that could not be read: reported once, not again for each link to them.
    let mut failed: HashSet<&str> = HashSet::new();
    let mut links = Vec::new();
    let mut notes = Vec::new();
    let mut sources = HashSet::new();
    for (at, a) in annotations {
        let Some(a) = a.as_object() else {
            b.problem(at, format!("is {}, not an annotation", json_kind(a)));
            continue;
        };
        if a.contains_key("type") && !has_type(a, "Annotation") {
            b.problem(at, "its \"type\" is not \"Annotation\"");
            continue;
        }
        let id = a.get("id").and_then(Value::as_str);
        let motivations = strings(a.get("motivation"));
        let Some(said) = bodies(b, at, a, &motivations) else {
            failed.extend(id);
            continue;
        };
        if motivations.contains(&"linking") {
            links.push((at, a, said));
            continue;
        }
        let (mut tags, mut comments): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
        for s in &said {
            match s {
                Said::Tag(t) => tags.push(*t),
                Said::Comment(c) => comments.push(*c),
            }
        }
        let targets = values(a.get("target"));
        let selected = match targets.as_slice() {
            [Value::Object(t)] => {
                sources.extend(t.get("source").and_then(Value::as_str));
                t.get("selector")
            }
            [Value::String(source)] => {
                sources.insert(source.as_str());
                None
            }
            [] => {
                b.problem(at, "there is no \"target\"");
                failed.extend(id);
                continue;
            }
            _ => {
                b.problem(at, "an annotation with several targets is not read");
                failed.extend(id);
                continue;
            }
        };
        if tags.is_empty() {
            match selected {
                None if !comments.is_empty() => notes.extend(comments),
                _ => b.warn(at.as_str(), "an annotation without a tag is not kept"),
            }
            continue;
        }
        let Some(selector) = selected else {
            b.problem(at, "the target has no selector: it does not say which text");
            failed.extend(id);
            continue;
        };
        let Some((start, end, exact)) = select(b, at, selector) else {
            failed.extend(id);
            continue;
        };
        let mut made = Vec::new();
        for t in tags {
            match b.span(at, start, end, t, exact) {
                Some(s) => made.push(s),
                None => {
                    failed.extend(id);
                    break;
                }
            }
        }
        for s in &made {
            for c in &comments {
                b.span_note(s, c);
            }
        }
        if let Some(id) = id {
            if spans.contains_key(id) {
                b.problem(at, format!("annotation id {id:?} is used twice"));
            }
            spans.entry(id).or_default().extend(made);
        }
    }
    for (at, a, said) in links {
        let targets = values(a.get("target"));
        let ids: Vec<Option<&str>> = targets
            .iter()
            .map(|t| match t {
                Value::String(s) => Some(s.as_str()),
                Value::Object(o) => o.get("id").and_then(Value::as_str),
                _ => None,
            })
            .collect();
        let [Some(from), Some(to)] = ids.as_slice() else {
            b.problem(
                at,
                "a linking annotation's target must be the ids of two annotations (from, to)",
            );
            continue;
        };
        let mut ends = Vec::new();
        for id in [from, to] {
            match spans.get(id) {
                Some(s) => ends.push(s.clone()),
                None if failed.contains(id) => {}
                None => b.problem(
                    at,
                    format!("{id:?} is not a tagging annotation of this file"),
                ),
            }
        }
        let [from, to] = ends.as_slice() else {
            continue;
        };
        let mut kinds: Vec<&str> = said
            .iter()
            .filter_map(|s| match s {
                Said::Tag(t) => Some(*t),
                Said::Comment(_) => None,
            })
            .collect();
        if said.iter().any(|s| matches!(s, Said::Comment(_))) {
            b.warn(at.as_str(), "a comment on a link is not kept");
        }
        if kinds.is_empty() {
            kinds.push(UNTAGGED_LINK);
        }
        for kind in kinds {
            for f in from {
                for t in to {
                    b.relation(at, kind, f, t);
                }
            }
        }
    }
    if sources.len() > 1 {
        b.warn(
            "file",
            format!(
                "the annotations name {} different sources; all are read onto the one text",
                sources.len()
            ),
        );
    }
    for note in notes {
        b.document_note(&note);
    }
}

/// The tags and comments of an annotation's bodies, or `None` (with a problem recorded).
fn bodies<'a>(
    b: &mut Builder,
    at: &str,
    a: &'a Map<String, Value>,
    motivations: &[&str],
) -> Option<Vec<Said<'a>>> {
    // A body without a purpose says what the annotation's motivation says.
    let default_tag = motivations
        .iter()
        .any(|m| matches!(*m, "tagging" | "classifying" | "identifying" | "linking"));
    let default_comment = motivations
        .iter()
        .any(|m| matches!(*m, "commenting" | "describing"));
    let purpose = |p: Option<&str>| match p {
        Some("tagging" | "classifying" | "identifying") => Some(true),
        Some("commenting" | "describing") => Some(false),
        Some(_) => None,
        None if default_tag => Some(true),
        None if default_comment => Some(false),
        None => None,
    };
    let said = |is_tag: bool, value: &'a str| {
        if is_tag {
            Said::Tag(value)
        } else {
            Said::Comment(value)
        }
    };
    let mut out = Vec::new();
    if let Some(v) = a.get("bodyValue") {
        match (v.as_str(), purpose(None)) {
            (Some(v), Some(is_tag)) => out.push(said(is_tag, v)),
            (Some(_), None) => b.warn(
                at,
                "\"bodyValue\" is not kept: the motivation does not say what it is",
            ),
            (None, _) => {
                b.problem(at, "\"bodyValue\" must be a string");
                return None;
            }
        }
    }
    let list = values(a.get("body"));
    let many = matches!(a.get("body"), Some(Value::Array(_)));
    for (i, body) in list.into_iter().enumerate() {
        let here = if many {
            format!("{at}.body[{i}]")
        } else {
            format!("{at}.body")
        };
        let Some(body) = body.as_object() else {
            b.problem(
                here,
                "only TextualBody bodies are read (a body that is an IRI is not)",
            );
            return None;
        };
        if body.contains_key("type") && !has_type(body, "TextualBody") {
            b.problem(here, "only TextualBody bodies are read");
            return None;
        }
        let Some(value) = body.get("value").and_then(Value::as_str) else {
            b.problem(here, "a TextualBody needs a \"value\" string");
            return None;
        };
        let p = body.get("purpose").and_then(Value::as_str);
        match purpose(p) {
            Some(is_tag) => out.push(said(is_tag, value)),
            None => b.warn(
                here,
                format!("a body of purpose {:?} is not kept", p.unwrap_or("(none)")),
            ),
        }
    }
    Some(out)
}

/// The code-point range a target's selector (or selectors, alternatives for the same text)
/// picks, and the text it says is there.
fn select<'a>(
    b: &mut Builder,
    at: &str,
    selector: &'a Value,
) -> Option<(usize, usize, Option<&'a str>)> {
    let mut position = None;
    let mut quote = None;
    for s in values(Some(selector)) {
        let Some(s) = s.as_object() else {
            b.problem(at, format!("a selector is {}, not an object", json_kind(s)));
            return None;
        };
        if s.contains_key("refinedBy") {
            b.problem(at, "a refined selector (\"refinedBy\") is not supported");
            return None;
        }
        if has_type(s, "TextPositionSelector") {
            position = position.or(Some(s));
        } else if has_type(s, "TextQuoteSelector") {
            quote = quote.or(Some(s));
        } else {
            let kind = s.get("type").map_or("(none)".to_owned(), Value::to_string);
            b.problem(
                at,
                format!("selector type {kind} is not supported (only TextPositionSelector and TextQuoteSelector)"),
            );
            return None;
        }
    }
    let exact = match quote.map(|q| q.get("exact")) {
        None => None,
        Some(Some(Value::String(e))) => Some(e.as_str()),
        Some(_) => {
            b.problem(at, "a TextQuoteSelector needs an \"exact\" string");
            return None;
        }
    };
    if let Some(p) = position {
        let Some((start, end)) = json_range(p, "start", "end") else {
            b.problem(
                at,
                "a TextPositionSelector needs \"start\" and \"end\", whole numbers from 0 up",
            );
            return None;
        };
        return Some((start, end, exact));
    }
    let (Some(quote), Some(exact)) = (quote, exact) else {
        b.problem(at, "there is no selector");
        return None;
    };
    let affix = |key: &str| quote.get(key).and_then(Value::as_str).unwrap_or_default();
    let (prefix, suffix) = (affix("prefix"), affix("suffix"));
    if exact.is_empty() {
        b.problem(at, "the quote's \"exact\" is empty");
        return None;
    }
    let text = b.text();
    // Every occurrence, overlapping ones too, whose surroundings match the prefix and suffix.
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = text.get(from..).and_then(|rest| rest.find(exact)) {
        let at = from + i;
        if text
            .get(..at)
            .is_some_and(|before| before.ends_with(prefix))
            && text
                .get(at + exact.len()..)
                .is_some_and(|after| after.starts_with(suffix))
        {
            found.push(at);
        }
        // On to the next character: `exact` is not empty, so its first character is there.
        from = at + exact.chars().next().map_or(1, char::len_utf8);
    }
    match found.as_slice() {
        [byte] => {
            let start = byte_to_cp(text, *byte);
            Some((start, start + cp_len(exact), Some(exact)))
        }
        [] => {
            b.problem(
                at,
                format!("the quote {exact:?} (with its prefix and suffix) is not in the text"),
            );
            None
        }
        many => {
            b.problem(
                at,
                format!(
                    "the quote {exact:?} is in the text {} times and its prefix and suffix do \
                     not tell which",
                    many.len()
                ),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests;
