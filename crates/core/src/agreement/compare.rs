//! The comparison of annotators: every span and relation any of them made, agreed (all have it)
//! or disputed.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::annotation::{check, AgreementError, Annotation, Contents, RelationKey, SpanKey};
use crate::offsets::CpIndex;

/// A span or relation, identified by content (not id), as the annotators wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ItemKey {
    Span {
        start: usize,
        end: usize,
        label: String,
    },
    Relation {
        kind: String,
        from: (usize, usize, String),
        to: (usize, usize, String),
    },
}

/// One span or relation and who made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub key: ItemKey,
    /// The span's text, or "from text → to text".
    pub text: String,
    /// Indexes of the annotators who have it, in order.
    pub by: Vec<usize>,
}

/// Every span and relation of any annotator: `agreed` (all annotators have it) and `disputed`
/// (some lack it), in text order (spans by start, longer first, then label; then relations by
/// their from span, their to span and their type).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    pub agreed: Vec<Item>,
    pub disputed: Vec<Item>,
}

/// The order of spans in a comparison: by start, longer first, then by label.
pub(super) fn span_rank(k: &SpanKey) -> (usize, Reverse<usize>, String) {
    (k.0, Reverse(k.1), k.2.to_owned())
}

/// Every span and relation of any annotator, agreed or disputed (see [`Comparison`]).
pub fn compare(annotations: &[Annotation]) -> Result<Comparison, AgreementError> {
    check(annotations)?;
    let text = &annotations[0].doc.document.text;
    let index = CpIndex::new(text);
    let slice = |k: &SpanKey| index.slice(text, k.0, k.1).unwrap_or_default();
    let contents: Vec<Contents> = annotations.iter().map(|a| Contents::of(a.doc)).collect();

    let mut spans: BTreeMap<SpanKey, Vec<usize>> = BTreeMap::new();
    let mut relations: BTreeMap<RelationKey, Vec<usize>> = BTreeMap::new();
    for (i, c) in contents.iter().enumerate() {
        for &k in &c.spans {
            spans.entry(k).or_default().push(i);
        }
        for &k in &c.relations {
            relations.entry(k).or_default().push(i);
        }
    }
    let mut spans: Vec<(SpanKey, Vec<usize>)> = spans.into_iter().collect();
    spans.sort_by_cached_key(|(k, _)| span_rank(k));
    let mut relations: Vec<(RelationKey, Vec<usize>)> = relations.into_iter().collect();
    relations.sort_by_cached_key(|((kind, from, to), _)| {
        (span_rank(from), span_rank(to), (*kind).to_owned())
    });

    let owned = |k: &SpanKey| (k.0, k.1, k.2.to_owned());
    let items = spans
        .into_iter()
        .map(|(k, by)| Item {
            key: ItemKey::Span {
                start: k.0,
                end: k.1,
                label: k.2.to_owned(),
            },
            text: slice(&k).to_owned(),
            by,
        })
        .chain(relations.into_iter().map(|((kind, from, to), by)| Item {
            key: ItemKey::Relation {
                kind: kind.to_owned(),
                from: owned(&from),
                to: owned(&to),
            },
            text: format!("{} \u{2192} {}", slice(&from), slice(&to)),
            by,
        }));
    let (agreed, disputed) = items.partition(|item| item.by.len() == annotations.len());
    Ok(Comparison { agreed, disputed })
}
