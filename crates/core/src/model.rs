//! The data model: a document, its spans and relations, and the schema they use.

use std::cmp::Reverse;

use serde::{Deserialize, Serialize};

use super::offsets::slice_cp;
use super::schema::Schema;

/// A text to annotate. The text is kept exactly as loaded, except that a UTF-8 BOM is dropped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub id: String,
    pub title: String,
    pub text: String,
    /// A free-text note on the whole document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Document {
    /// A document whose id is derived from its title and text (stable across reloads).
    pub fn new(title: impl Into<String>, text: impl Into<String>) -> Self {
        let title = title.into();
        let mut text: String = text.into();
        if text.starts_with('\u{feff}') {
            text.remove(0);
        }
        let id = format!(
            "doc-{:016x}",
            fnv1a(title.as_bytes(), fnv1a(text.as_bytes(), FNV_OFFSET))
        );
        Document {
            id,
            title,
            text,
            note: None,
        }
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// A 64-bit fingerprint of `text` (FNV-1a of its UTF-8 bytes): stable across builds and
/// machines, so a store may name a text by it.
pub fn text_fingerprint(text: &str) -> u64 {
    fnv1a(text.as_bytes(), FNV_OFFSET)
}

fn fnv1a(bytes: &[u8], seed: u64) -> u64 {
    bytes.iter().fold(seed, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A labelled range `[start, end)` of the text, in Unicode code points.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub id: String,
    pub label: String,
    pub start: usize,
    pub end: usize,
    /// The covered text, kept so that every file is self-checking.
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A typed, directed link between two spans.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    pub id: String,
    pub kind: String,
    pub from: String,
    pub to: String,
}

/// A document with its schema, spans and relations: the unit that is edited, saved and exported.
///
/// Spans are kept sorted by `(start, end descending, id)`, outer spans before the spans they contain.
/// Equality compares content, not the counters that hand out fresh ids.
#[derive(Clone, Debug)]
pub struct AnnotatedDocument {
    pub document: Document,
    pub schema: Schema,
    spans: Vec<Span>,
    pub relations: Vec<Relation>,
    next_span: u64,
    next_relation: u64,
}

impl PartialEq for AnnotatedDocument {
    fn eq(&self, other: &Self) -> bool {
        self.document == other.document
            && self.schema == other.schema
            && self.spans == other.spans
            && self.relations == other.relations
    }
}

impl Eq for AnnotatedDocument {}

/// One more than the largest `<prefix><number>` id, so that new ids never collide.
fn next_number<'a>(ids: impl Iterator<Item = &'a str>, prefix: char) -> u64 {
    ids.filter_map(|id| id.strip_prefix(prefix)?.parse::<u64>().ok())
        .max()
        .unwrap_or(0)
        .saturating_add(1)
}

/// `<prefix><n>` for the first `n` from `next` on that `taken` does not refuse; `next` moves
/// past it (after `u64::MAX` numbering starts again at 1).
fn fresh_id(prefix: char, next: &mut u64, taken: impl Fn(&str) -> bool) -> String {
    let mut n = *next;
    let mut id = format!("{prefix}{n}");
    while taken(&id) {
        n = n.checked_add(1).unwrap_or(1);
        id = format!("{prefix}{n}");
    }
    *next = n.checked_add(1).unwrap_or(1);
    id
}

/// The order spans are kept in: by start, longer first, then by id.
pub fn span_order(a: &Span, b: &Span) -> std::cmp::Ordering {
    a.start
        .cmp(&b.start)
        .then(b.end.cmp(&a.end))
        .then_with(|| a.id.cmp(&b.id))
}

/// The places of spans given as `(start, end, id)` in the order spans are kept in (see
/// [`span_order`]), spans with equal keys in the order given. The span list and each
/// paragraph's spans share this one sort (a sort compiled for each would weigh on the app).
pub fn in_span_order<'a>(keys: impl Iterator<Item = (usize, usize, &'a str)>) -> Vec<usize> {
    let mut order: Vec<(usize, Reverse<usize>, &str, usize)> = keys
        .enumerate()
        .map(|(i, (start, end, id))| (start, Reverse(end), id, i))
        .collect();
    order.sort_unstable();
    order.into_iter().map(|(.., i)| i).collect()
}

/// The places of `keys` in the order of the keys, equal keys in the order given: a stable
/// sort compiled once for every kind of item (sorting the items themselves would compile a
/// sort for each kind into the app).
pub fn in_key_order(keys: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut order: Vec<(usize, usize)> = keys.enumerate().map(|(i, key)| (key, i)).collect();
    order.sort_unstable();
    order.into_iter().map(|(_, i)| i).collect()
}

/// `items` in the order `order` gives (indices into `items`, each once).
pub fn permuted<T>(items: Vec<T>, order: &[usize]) -> Vec<T> {
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order
        .iter()
        .filter_map(|&i| slots.get_mut(i).and_then(Option::take))
        .collect()
}

impl AnnotatedDocument {
    /// A document with the default schema and no annotations.
    pub fn new(document: Document) -> Self {
        Self::from_parts(document, Schema::default(), Vec::new(), Vec::new())
    }

    /// Assembles a document from parts already checked (see `formats::native`).
    pub fn from_parts(
        document: Document,
        schema: Schema,
        spans: Vec<Span>,
        relations: Vec<Relation>,
    ) -> Self {
        let order = in_span_order(spans.iter().map(|s| (s.start, s.end, s.id.as_str())));
        let spans = permuted(spans, &order);
        let next_span = next_number(spans.iter().map(|s| s.id.as_str()), 's');
        let next_relation = next_number(relations.iter().map(|r| r.id.as_str()), 'r');
        AnnotatedDocument {
            document,
            schema,
            spans,
            relations,
            next_span,
            next_relation,
        }
    }

    /// The spans, sorted by `(start, end descending, id)`.
    pub fn spans(&self) -> &[Span] {
        &self.spans
    }

    /// The span with this id.
    pub fn span(&self, id: &str) -> Option<&Span> {
        self.spans.iter().find(|s| s.id == id)
    }

    /// The text of `[start, end)`, if in range.
    pub fn slice(&self, start: usize, end: usize) -> Option<&str> {
        slice_cp(&self.document.text, start, end)
    }

    pub(crate) fn fresh_span_id(&mut self) -> String {
        let spans = &self.spans;
        fresh_id('s', &mut self.next_span, |id| {
            spans.iter().any(|s| s.id == id)
        })
    }

    pub(crate) fn fresh_relation_id(&mut self) -> String {
        let relations = &self.relations;
        fresh_id('r', &mut self.next_relation, |id| {
            relations.iter().any(|r| r.id == id)
        })
    }

    /// The relation with this id.
    pub fn relation(&self, id: &str) -> Option<&Relation> {
        self.relations.iter().find(|r| r.id == id)
    }

    pub(crate) fn insert_span(&mut self, span: Span) {
        let at = self.spans.partition_point(|s| span_order(s, &span).is_lt());
        self.spans.insert(at, span);
    }

    pub(crate) fn take_span(&mut self, id: &str) -> Option<Span> {
        let at = self.spans.iter().position(|s| s.id == id)?;
        Some(self.spans.remove(at))
    }

    pub(crate) fn span_mut(&mut self, id: &str) -> Option<&mut Span> {
        self.spans.iter_mut().find(|s| s.id == id)
    }
}

#[cfg(test)]
mod tests;
