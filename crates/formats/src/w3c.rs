//! W3C Web Annotation JSON-LD (docs/formats/w3c.md).
//!
//! A document becomes an `AnnotationCollection` whose first page holds one `tagging`
//! annotation per span (a `TextualBody` naming the label, and a `commenting` body for its note),
//! selected by a `TextQuoteSelector` and a `TextPositionSelector` (code points, as the model
//! requires); one `linking` annotation per relation, whose target lists the two span
//! annotations (from, to); and one `commenting` annotation on the whole source for the
//! document's note. The annotations do not carry the text: the reader ([`parse`], in `read`)
//! takes it from [`crate::Context::text`].

use serde::Serialize;

use spanmark_core::offsets::{cp_len, slice_cp};
use spanmark_core::AnnotatedDocument;

mod read;
pub use read::parse;

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

#[cfg(test)]
mod tests;
