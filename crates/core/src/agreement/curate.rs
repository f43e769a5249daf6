//! Curation: one document made of the items the annotators agree on and the disputed ones
//! someone accepted.

use std::collections::{HashMap, HashSet};

use super::annotation::{check, span_key, AgreementError, Annotation, SpanKey};
use super::compare::{span_rank, Comparison, ItemKey};
use crate::model::{AnnotatedDocument, Document, Relation, Span};
use crate::offsets::CpIndex;
use crate::snap::check_range_indexed;

/// A span by content as an [`ItemKey::Relation`] names its ends.
type OwnedSpanKey = (usize, usize, String);

/// Distinct non-blank notes, in order, joined with a blank line between; `None` if there are
/// none.
fn joined<'a>(notes: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut distinct: Vec<&str> = Vec::new();
    for note in notes {
        if !note.trim().is_empty() && !distinct.contains(&note) {
            distinct.push(note);
        }
    }
    (!distinct.is_empty()).then(|| distinct.join("\n\n"))
}

/// The curated document: every agreed item of `comparison` and the disputed ones in
/// `accepted`.
///
/// It has the first annotation's text and title (suffixed " (curated)"), its id derived from
/// them as a new document's is, and the first annotation's schema merged with the others'
/// ([`crate::schema::Schema::merged_with`], the first's items winning clashes). A relation is
/// kept only if both its end spans are kept; a relation type the merged schema defines more
/// narrowly than the annotator who made the relation had it is widened to allow the relation's
/// ends. A span's note, and the document note, join the distinct notes of the annotators who
/// have them (blank line between, in annotator order). Ids are fresh: `s1`, `s2`… in span
/// order, `r1`, `r2`… in the order of a comparison (by from span, to span, type). A span whose
/// range cannot be a span of the text, or whose label no schema has, is left out (only
/// documents that are not valid have such spans).
pub fn curate(
    annotations: &[Annotation],
    comparison: &Comparison,
    accepted: &HashSet<ItemKey>,
) -> Result<AnnotatedDocument, AgreementError> {
    check(annotations)?;
    let first = annotations[0].doc;
    let text = &first.document.text;
    let index = CpIndex::new(text);
    let mut schema = annotations[1..]
        .iter()
        .fold(first.schema.clone(), |merged, a| {
            a.doc.schema.merged_with(&merged)
        });

    let chosen: Vec<&ItemKey> = comparison
        .agreed
        .iter()
        .map(|item| &item.key)
        .chain(
            comparison
                .disputed
                .iter()
                .map(|item| &item.key)
                .filter(|k| accepted.contains(*k)),
        )
        .collect();

    // Spans, in the model's order, with their notes.
    let notes: Vec<HashMap<SpanKey, Vec<&str>>> = annotations
        .iter()
        .map(|a| {
            let mut map: HashMap<SpanKey, Vec<&str>> = HashMap::new();
            for s in a.doc.spans() {
                let entry = map.entry(span_key(s)).or_default();
                entry.extend(s.note.as_deref());
            }
            map
        })
        .collect();
    let mut span_keys: Vec<SpanKey> = chosen
        .iter()
        .filter_map(|k| match k {
            ItemKey::Span { start, end, label } => Some((*start, *end, label.as_str())),
            ItemKey::Relation { .. } => None,
        })
        .filter(|&(start, end, label)| {
            schema.label(label).is_some() && check_range_indexed(text, &index, start, end).is_ok()
        })
        .collect();
    span_keys.sort_by_cached_key(span_rank);
    span_keys.dedup();
    let mut ids: HashMap<SpanKey, String> = HashMap::new();
    let mut spans = Vec::with_capacity(span_keys.len());
    for (i, &k) in span_keys.iter().enumerate() {
        let id = format!("s{}", i + 1);
        ids.insert(k, id.clone());
        let note = joined(
            notes
                .iter()
                .filter_map(|m| m.get(&k))
                .flat_map(|n| n.iter().copied()),
        );
        spans.push(Span {
            id,
            label: k.2.to_owned(),
            start: k.0,
            end: k.1,
            text: index.slice(text, k.0, k.1).unwrap_or_default().to_owned(),
            note,
        });
    }

    // Relations between kept spans, in text order as in a comparison.
    let rank = |k: &OwnedSpanKey| span_rank(&(k.0, k.1, k.2.as_str()));
    let mut relation_keys: Vec<(&String, &OwnedSpanKey, &OwnedSpanKey)> = chosen
        .iter()
        .filter_map(|k| match k {
            ItemKey::Relation { kind, from, to } => Some((kind, from, to)),
            ItemKey::Span { .. } => None,
        })
        .collect();
    relation_keys.sort_by_cached_key(|(kind, from, to)| (rank(from), rank(to), (*kind).clone()));
    let mut seen: HashSet<(String, String, String)> = HashSet::new();
    let mut relations = Vec::new();
    for (kind, from, to) in relation_keys {
        let end = |k: &OwnedSpanKey| ids.get(&(k.0, k.1, k.2.as_str())).cloned();
        let (Some(from_id), Some(to_id)) = (end(from), end(to)) else {
            continue;
        };
        let Some(rt) = schema.relation_types.iter_mut().find(|r| r.id == *kind) else {
            continue;
        };
        if !seen.insert((kind.clone(), from_id.clone(), to_id.clone())) {
            continue;
        }
        if !rt.from_labels.contains(&from.2) {
            rt.from_labels.push(from.2.clone());
        }
        if !rt.to_labels.contains(&to.2) {
            rt.to_labels.push(to.2.clone());
        }
        relations.push(Relation {
            id: format!("r{}", relations.len() + 1),
            kind: kind.clone(),
            from: from_id,
            to: to_id,
        });
    }

    let mut document = Document::new(format!("{} (curated)", first.document.title), text.clone());
    document.note = joined(
        annotations
            .iter()
            .filter_map(|a| a.doc.document.note.as_deref()),
    );
    Ok(AnnotatedDocument::from_parts(
        document, schema, spans, relations,
    ))
}
