//! Reading W3C Web Annotations onto the text given beside them (docs/formats/w3c.md).
//!
//! Every annotation of a file is read, or named in a warning that says it was skipped and why;
//! only a file that is wrong (an annotation that is not one, a target or selector that does not
//! say which text, a quote that is not in the text) is refused. The items, as
//! `tests/variants/w3c.rs` counts them:
//! - a tagging annotation on a stretch of the text gives one span per tag, and each of its
//!   comments goes into the note of each of those spans;
//! - a comment-only annotation (RecogitoJS exports comments without a tag) gives one note per
//!   comment: the note of the span a tagging annotation made on the same range, else a line of
//!   the document note quoting the text, `"Paris" (12–17): comment`;
//! - an annotation on the whole document gives a line of the document note per comment; its
//!   tags are skipped (Spanmark has no document labels);
//! - a linking annotation between two tagging annotations gives one relation per tag (per pair
//!   of spans its ends became); one whose end is anything else is skipped, once;
//! - each body that is not read (a resource elsewhere, a purpose Spanmark has no place for, an
//!   empty value), an annotation with nothing to read and one with several targets are skipped.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::UNTAGGED_LINK;
use crate::error::{FormatError, Problem};
use crate::import::{json_error, json_kind, json_range, Builder, Context, Imported};
use spanmark_core::offsets::{byte_to_cp, cp_len};

/// Body purposes read as tags (a label, or a link's relation type).
const TAG_PURPOSES: [&str; 3] = ["tagging", "classifying", "identifying"];
/// Body purposes read as comments (notes).
const COMMENT_PURPOSES: [&str; 3] = ["commenting", "describing", "replying"];

/// Reads W3C Web Annotations onto `ctx.text` (required): an `AnnotationCollection` (its
/// embedded pages), an `AnnotationPage`, an array of annotations or one annotation. The title is
/// the collection's `label`, else `ctx.title`. Problems and warnings name the item, e.g.
/// `first.items[3]` or `[2].body[1]`.
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
                                "is {}, not an embedded page: Spanmark does not fetch pages from elsewhere",
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
    b.finish()
        .map(Imported::from)
        .map_err(FormatError::Problems)
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

/// Whether the JSON-LD `type` of `v` is (or includes) `kind`.
fn has_type(v: &Map<String, Value>, kind: &str) -> bool {
    match v.get("type").or_else(|| v.get("@type")) {
        Some(Value::String(t)) => t == kind,
        Some(Value::Array(ts)) => ts.iter().any(|t| t.as_str() == Some(kind)),
        _ => false,
    }
}

/// The JSON-LD `type` of `v`, for messages (several joined by commas).
fn type_name(v: &Map<String, Value>) -> Option<String> {
    let names = strings(v.get("type").or_else(|| v.get("@type")));
    (!names.is_empty()).then(|| names.join(", "))
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

/// What an annotation's bodies say: its tags and comments; the others were skipped.
#[derive(Default)]
struct Said<'a> {
    tags: Vec<&'a str>,
    comments: Vec<&'a str>,
    /// How many bodies were skipped, each with a warning.
    skipped: usize,
}

impl<'a> Said<'a> {
    /// Takes the body `value` of `purpose` (none: what the motivation says, `tag_default`).
    fn take(
        &mut self,
        b: &mut Builder,
        here: &str,
        value: &'a str,
        purpose: Option<&str>,
        tag_default: bool,
    ) {
        let is_tag = match purpose {
            None => tag_default,
            Some(p) if TAG_PURPOSES.contains(&p) => true,
            Some(p) if COMMENT_PURPOSES.contains(&p) => false,
            Some(p) => {
                self.skip(
                    b,
                    here,
                    format!(
                        "a body of purpose {p:?} is not read: Spanmark reads tags (purpose tagging, \
                         classifying or identifying) and comments (commenting, describing or replying)"
                    ),
                );
                return;
            }
        };
        if value.trim().is_empty() {
            let what = if is_tag { "tag" } else { "comment" };
            self.skip(
                b,
                here,
                format!("the {what} is empty: there is nothing to read"),
            );
        } else if is_tag {
            self.tags.push(value);
        } else {
            self.comments.push(value);
        }
    }

    fn skip(&mut self, b: &mut Builder, here: &str, message: String) {
        b.skip(here, message);
        self.skipped += 1;
    }
}

/// The purpose of a body: the first Spanmark reads when it names several.
fn purpose(body: &Map<String, Value>) -> Option<&str> {
    let purposes = strings(body.get("purpose"));
    purposes
        .iter()
        .find(|p| TAG_PURPOSES.contains(p) || COMMENT_PURPOSES.contains(p))
        .or(purposes.first())
        .copied()
}

/// The message for a body that is a resource elsewhere (`iri`), not text in the file.
fn external(iri: &str, kind: Option<String>) -> String {
    let kind = kind.map(|k| format!(" (of type {k})")).unwrap_or_default();
    format!(
        "the body {iri:?}{kind} is a resource elsewhere, not text in the file: Spanmark does not \
         fetch it (no request ever leaves the page), so it is not read"
    )
}

/// The tags and comments of an annotation's bodies (and `bodyValue`); every other body is
/// skipped with a warning naming it.
fn bodies<'a>(
    b: &mut Builder,
    at: &str,
    a: &'a Map<String, Value>,
    motivations: &[&str],
) -> Said<'a> {
    // A body without a purpose says what the annotation's motivation says: a tag (or a link's
    // type) for tagging and linking annotations, otherwise a comment (RecogitoJS's comments
    // have neither purpose nor motivation).
    let tag_default = motivations
        .iter()
        .any(|m| TAG_PURPOSES.contains(m) || *m == "linking");
    let mut said = Said::default();
    match a.get("bodyValue") {
        None | Some(Value::Null) => {}
        Some(Value::String(v)) => said.take(b, &format!("{at}.bodyValue"), v, None, tag_default),
        Some(other) => said.skip(
            b,
            &format!("{at}.bodyValue"),
            format!("is {}, not text: it is not read", json_kind(other)),
        ),
    }
    let many = matches!(a.get("body"), Some(Value::Array(_)));
    for (i, body) in values(a.get("body")).into_iter().enumerate() {
        let here = if many {
            format!("{at}.body[{i}]")
        } else {
            format!("{at}.body")
        };
        let o = match body {
            Value::Object(o) => o,
            // A body that is a string is the IRI of a resource (JSON-LD).
            Value::String(iri) => {
                said.skip(b, &here, external(iri, None));
                continue;
            }
            other => {
                said.skip(
                    b,
                    &here,
                    format!(
                        "the body is {}, not a TextualBody or the IRI of a resource: it is not read",
                        json_kind(other)
                    ),
                );
                continue;
            }
        };
        let textual =
            !(o.contains_key("type") || o.contains_key("@type")) || has_type(o, "TextualBody");
        let iri = ["id", "@id", "source"]
            .iter()
            .find_map(|k| o.get(*k).and_then(Value::as_str));
        match (o.get("value"), textual, iri) {
            (Some(Value::String(v)), true, _) => said.take(b, &here, v, purpose(o), tag_default),
            (Some(v), true, _) => said.skip(
                b,
                &here,
                format!(
                    "its \"value\" is {}, not text: it is not read",
                    json_kind(v)
                ),
            ),
            (_, _, Some(iri)) => said.skip(b, &here, external(iri, type_name(o))),
            (_, false, None) => said.skip(
                b,
                &here,
                format!(
                    "a body of type {} is not read: Spanmark reads TextualBody bodies",
                    type_name(o).unwrap_or_default()
                ),
            ),
            (None, true, None) => said.skip(
                b,
                &here,
                "a TextualBody without a \"value\": there is nothing to read".to_owned(),
            ),
        }
    }
    said
}

/// What became of an annotation, for the links that point at it.
enum Read {
    /// The spans made of it, one per tag.
    Spans(Vec<String>),
    /// A comment without a tag: read as a note.
    Comment,
    /// A link.
    Link,
    /// Not read: skipped or refused, with a warning or problem of its own.
    Unread,
}

/// A comment kept until every tagged range is known.
enum Note<'a> {
    /// On the whole document.
    Document(&'a str),
    /// The comments of the comment-only annotation at `at`, on code points `[start, end)`.
    Quoted {
        at: &'a str,
        start: usize,
        end: usize,
        comments: Vec<&'a str>,
    },
}

/// What reading the annotations gathers for the later passes.
#[derive(Default)]
struct Found<'a> {
    /// The first span of the first tagging annotation of each range (as the file gives it).
    at_range: HashMap<(usize, usize), String>,
    notes: Vec<Note<'a>>,
    sources: HashSet<&'a str>,
    utf16: Utf16,
}

fn read_annotations(b: &mut Builder, annotations: &[(String, &Value)]) {
    let mut read: HashMap<&str, Read> = HashMap::new();
    let mut links = Vec::new();
    let mut found = Found::default();
    for (at, a) in annotations {
        let at = at.as_str();
        let Some(a) = a.as_object() else {
            b.problem(at, format!("is {}, not an annotation", json_kind(a)));
            continue;
        };
        if a.contains_key("type") && !has_type(a, "Annotation") {
            b.problem(at, "its \"type\" is not \"Annotation\"");
            continue;
        }
        let id = a.get("id").and_then(Value::as_str);
        if let Some(id) = id {
            if read.contains_key(id) {
                b.problem(at, format!("annotation id {id:?} is used twice"));
                continue;
            }
        }
        let motivations = strings(a.get("motivation"));
        let targets = values(a.get("target"));
        // A linking annotation between annotations is a relation; one that links a stretch of
        // the text to its body (the model's own use of "linking") is read as any other.
        let on_text = targets.iter().any(|t| t.get("selector").is_some());
        let outcome = if motivations.contains(&"linking") && !on_text {
            links.push((at, a, motivations));
            Read::Link
        } else {
            annotation(b, at, a, &motivations, &targets, &mut found)
        };
        if let Some(id) = id {
            read.insert(id, outcome);
        }
    }
    let Found {
        at_range,
        notes,
        sources,
        ..
    } = found;
    for note in notes {
        match note {
            Note::Document(comment) => b.document_note(comment),
            Note::Quoted {
                at,
                start,
                end,
                comments,
            } => match at_range.get(&(start, end)) {
                Some(span) => {
                    for c in comments {
                        b.span_note(span, c);
                    }
                }
                None => {
                    let quote = b.slice(start, end).unwrap_or_default().to_owned();
                    let what = match comments.len() {
                        1 => "its comment is".to_owned(),
                        n => format!("its {n} comments are"),
                    };
                    b.warn(
                        at,
                        format!(
                            "{what} on {quote:?} ({start}–{end}), which no tag marks: kept in the \
                             document note"
                        ),
                    );
                    for c in comments {
                        b.document_note(&format!("\"{quote}\" ({start}–{end}): {c}"));
                    }
                }
            },
        }
    }
    for (at, a, motivations) in links {
        link(b, at, a, &motivations, &read);
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
}

/// Reads an annotation that is not a link between annotations.
fn annotation<'a>(
    b: &mut Builder,
    at: &'a str,
    a: &'a Map<String, Value>,
    motivations: &[&str],
    targets: &[&'a Value],
    found: &mut Found<'a>,
) -> Read {
    let target = match targets {
        [] => {
            b.problem(
                at,
                "there is no \"target\": it does not say what it annotates",
            );
            return Read::Unread;
        }
        [one] => *one,
        many => {
            b.skip(
                at,
                format!(
                    "it has {} targets, and a span is one stretch of one text: the annotation is not read",
                    many.len()
                ),
            );
            return Read::Unread;
        }
    };
    let (source, selector) = match target {
        Value::String(source) => (Some(source.as_str()), None),
        Value::Object(t) => (
            ["source", "id", "@id"]
                .iter()
                .find_map(|k| t.get(*k).and_then(Value::as_str)),
            t.get("selector"),
        ),
        other => {
            b.problem(
                at,
                format!(
                    "the target is {}, not an object or an IRI",
                    json_kind(other)
                ),
            );
            return Read::Unread;
        }
    };
    let said = bodies(b, at, a, motivations);
    if said.tags.is_empty() && said.comments.is_empty() {
        if said.skipped == 0 {
            let why = match motivations {
                [] => "nor a motivation".to_owned(),
                ms => {
                    let ms: Vec<String> = ms.iter().map(|m| format!("{m:?}")).collect();
                    format!("only the motivation {}", ms.join(", "))
                }
            };
            b.skip(
                at,
                format!(
                    "it has no tag and no comment, {why}: Spanmark keeps labelled spans and notes, \
                     so there is nothing to read"
                ),
            );
        }
        return Read::Unread;
    }
    found.sources.extend(source);
    let Some(selector) = selector else {
        for t in &said.tags {
            b.skip(
                at,
                format!(
                    "the tag {t:?} is on the whole document, not on a stretch of its text: \
                     Spanmark has no document labels"
                ),
            );
        }
        let whole = said.tags.is_empty();
        found
            .notes
            .extend(said.comments.into_iter().map(Note::Document));
        return if whole { Read::Comment } else { Read::Unread };
    };
    let Some((start, end, exact)) = select(b, &mut found.utf16, at, selector) else {
        return Read::Unread;
    };
    if said.tags.is_empty() {
        found.notes.push(Note::Quoted {
            at,
            start,
            end,
            comments: said.comments,
        });
        return Read::Comment;
    }
    let made: Vec<String> = said
        .tags
        .iter()
        .filter_map(|t| b.span(at, start, end, t, exact))
        .collect();
    let Some(first) = made.first() else {
        // No span (only white space, or refused): its comments are kept as a comment-only
        // annotation's would be.
        found.notes.push(Note::Quoted {
            at,
            start,
            end,
            comments: said.comments,
        });
        return Read::Unread;
    };
    found
        .at_range
        .entry((start, end))
        .or_insert_with(|| first.clone());
    for s in &made {
        for c in &said.comments {
            b.span_note(s, c);
        }
    }
    Read::Spans(made)
}

/// Reads a linking annotation: a relation from its first target to its second, one per tag.
fn link(
    b: &mut Builder,
    at: &str,
    a: &Map<String, Value>,
    motivations: &[&str],
    read: &HashMap<&str, Read>,
) {
    let said = bodies(b, at, a, motivations);
    for c in &said.comments {
        b.skip(
            at,
            format!("the comment {c:?} on a link is not read: Spanmark's relations have no notes"),
        );
    }
    let ids: Vec<Option<&str>> = values(a.get("target"))
        .iter()
        .map(|t| match t {
            Value::String(s) => Some(s.as_str()),
            Value::Object(o) => o.get("id").or_else(|| o.get("@id")).and_then(Value::as_str),
            _ => None,
        })
        .collect();
    let [Some(from), Some(to)] = ids.as_slice() else {
        b.problem(
            at,
            "a linking annotation's target must be the ids of two annotations (from, to)",
        );
        return;
    };
    let named = match said.tags.as_slice() {
        [] => format!("the link from {from:?} to {to:?}"),
        tags => {
            let tags: Vec<String> = tags.iter().map(|t| format!("{t:?}")).collect();
            format!("the link {} from {from:?} to {to:?}", tags.join(", "))
        }
    };
    let mut why = Vec::new();
    for id in [from, to] {
        match read.get(id) {
            Some(Read::Spans(_)) => {}
            Some(Read::Comment) => why.push(format!(
                "{id:?} is a comment without a tag, which a relation cannot join (the comment is \
                 read as a note)"
            )),
            Some(Read::Link) => why.push(format!("{id:?} is a link, not a tagged annotation")),
            Some(Read::Unread) => why.push(format!("{id:?} was not read (see its own warning)")),
            None => why.push(format!(
                "{id:?} is not an annotation of this file (Spanmark does not fetch annotations \
                 from elsewhere)"
            )),
        }
    }
    let (Some(Read::Spans(from_spans)), Some(Read::Spans(to_spans))) =
        (read.get(from), read.get(to))
    else {
        b.skip(at, format!("{named} is not read: {}", why.join("; ")));
        return;
    };
    let kinds = if said.tags.is_empty() {
        vec![UNTAGGED_LINK]
    } else {
        said.tags
    };
    for kind in kinds {
        for f in from_spans {
            for t in to_spans {
                if f == t {
                    b.skip(
                        at,
                        format!(
                            "{named} joins one span to itself ({kind:?}): a relation joins two \
                             different spans"
                        ),
                    );
                } else {
                    b.relation(at, kind, f, t);
                }
            }
        }
    }
}

/// UTF-16 offsets as code points, for files from JavaScript tools (RecogitoJS counts a
/// `TextPositionSelector` in UTF-16 code units, where the model counts characters).
#[derive(Default)]
struct Utf16 {
    /// The code points of the text's characters that take two UTF-16 units, and its length in
    /// code points: worked out when first needed.
    index: Option<(Vec<usize>, usize)>,
}

impl Utf16 {
    /// The code point at UTF-16 offset `unit` of `text`; `None` inside a character or past the end.
    fn code_point(&mut self, text: &str, unit: usize) -> Option<usize> {
        let (astral, len) = self.index.get_or_insert_with(|| {
            let astral = text
                .chars()
                .enumerate()
                .filter(|(_, c)| c.len_utf16() == 2)
                .map(|(i, _)| i)
                .collect();
            (astral, cp_len(text))
        });
        // The j-th such character (from 0), at code point p, takes units p + j and p + j + 1:
        // count those that end at or before `unit`.
        let (mut lo, mut hi) = (0, astral.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if astral.get(mid).is_some_and(|&p| p + mid + 2 <= unit) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if astral.get(lo).is_some_and(|&p| p + lo + 1 == unit) {
            return None;
        }
        unit.checked_sub(lo).filter(|&cp| cp <= *len)
    }
}

/// The code-point range a target's selector (or selectors, alternatives for the same text)
/// picks, and the text it says is there. Selectors of other types beside a position or quote
/// selector are alternatives, and are not needed.
fn select<'a>(
    b: &mut Builder,
    utf16: &mut Utf16,
    at: &str,
    selector: &'a Value,
) -> Option<(usize, usize, Option<&'a str>)> {
    let mut position = None;
    let mut quote = None;
    let mut others = Vec::new();
    for s in values(Some(selector)) {
        let Some(s) = s.as_object() else {
            b.problem(at, format!("a selector is {}, not an object", json_kind(s)));
            return None;
        };
        if has_type(s, "TextPositionSelector") {
            position = position.or(Some(s));
        } else if has_type(s, "TextQuoteSelector") {
            quote = quote.or(Some(s));
        } else {
            others.push(type_name(s).map_or("(none)".to_owned(), |t| format!("{t:?}")));
        }
    }
    if position.is_none() && quote.is_none() {
        let message = if others.is_empty() {
            "there is no selector: it does not say which text".to_owned()
        } else {
            format!(
                "selector type {} is not supported (only TextPositionSelector and TextQuoteSelector)",
                others.join(", ")
            )
        };
        b.problem(at, message);
        return None;
    }
    if [position, quote]
        .into_iter()
        .flatten()
        .any(|s| s.contains_key("refinedBy"))
    {
        b.problem(at, "a refined selector (\"refinedBy\") is not supported");
        return None;
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
        if start >= end {
            b.problem(
                at,
                format!("the TextPositionSelector selects no text (start {start}, end {end})"),
            );
            return None;
        }
        let actual = b.slice(start, end).map(str::to_owned);
        if actual.is_some() && (exact.is_none() || actual.as_deref() == exact) {
            return Some((start, end, exact));
        }
        if let Some(exact) = exact {
            let text = b.text();
            let units = utf16
                .code_point(text, start)
                .zip(utf16.code_point(text, end));
            if let Some((s, e)) = units.filter(|&r| r != (start, end)) {
                if b.slice(s, e) == Some(exact) {
                    b.warn(
                        at,
                        format!(
                            "offsets {start}..{end} count UTF-16 code units (as JavaScript tools \
                             do), not characters: read as {s}..{e}, where the quote {exact:?} is"
                        ),
                    );
                    return Some((s, e, Some(exact)));
                }
            }
        }
        match (actual, exact) {
            (Some(actual), Some(exact)) => b.problem(
                at,
                format!("the quote is {exact:?} but offsets {start}..{end} hold {actual:?}"),
            ),
            _ => b.problem(
                at,
                format!(
                    "offsets {start}..{end} are outside the text ({} code points)",
                    cp_len(b.text())
                ),
            ),
        }
        return None;
    }
    let (Some(quote), Some(exact)) = (quote, exact) else {
        b.problem(at, "there is no selector: it does not say which text");
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
