//! Names exactly as written: label and relation-type names keep their spelling and case —
//! mixed case, hyphens, non-ASCII — through every writer and every reader, in every pair of
//! formats (ids are internal and never written in their place).
//!
//! A regression test for relation types written as their lowercased id (`KnowsOf` came back
//! from brat as `knowsof`, `Protein-Component` as `protein_component`).

// Test code: a failed assumption should stop the test, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use spanmark_core::{AnnotatedDocument, Schema};
use spanmark_formats::convert::{carries, open_files, write};
use spanmark_formats::{Builder, Format};

const TEXT: &str = "Marie Curie founded the 研究所 in Paris; Pierre Curie knew of it.";

const LABELS: [&str; 4] = ["Person-Name", "組織", "placeName", "ORG"];
const RELATION_TYPES: [&str; 4] = ["KnowsOf", "foundedBy", "Protein-Component", "関係"];

fn empty() -> Schema {
    Schema {
        labels: Vec::new(),
        relation_types: Vec::new(),
    }
}

/// A document whose labels and relation types are named as people name them.
fn named() -> AnnotatedDocument {
    let schema = empty();
    let mut b = Builder::new("names", TEXT, &schema);
    let at = |what: &str| TEXT.chars().count() - TEXT[TEXT.find(what).unwrap()..].chars().count();
    let span = |b: &mut Builder, what: &str, label: &str| {
        let start = at(what);
        b.span("t", start, start + what.chars().count(), label, Some(what))
            .unwrap()
    };
    let marie = span(&mut b, "Marie Curie", LABELS[0]);
    let institute = span(&mut b, "研究所", LABELS[1]);
    let paris = span(&mut b, "Paris", LABELS[2]);
    let pierre = span(&mut b, "Pierre Curie", LABELS[0]);
    let it = span(&mut b, "it", LABELS[3]);
    b.relation("t", RELATION_TYPES[0], &pierre, &marie).unwrap();
    b.relation("t", RELATION_TYPES[1], &institute, &marie)
        .unwrap();
    b.relation("t", RELATION_TYPES[2], &it, &institute).unwrap();
    b.relation("t", RELATION_TYPES[3], &institute, &paris)
        .unwrap();
    b.finish().unwrap().document
}

/// The label names the spans use and the relation-type names the relations use.
fn names(doc: &AnnotatedDocument) -> (BTreeSet<String>, BTreeSet<String>) {
    let labels = doc
        .spans()
        .iter()
        .map(|s| doc.schema.label_name(&s.label).to_owned())
        .collect();
    let kinds = doc
        .relations
        .iter()
        .map(|r| doc.schema.relation_type_name(&r.kind).to_owned())
        .collect();
    (labels, kinds)
}

/// `doc` written in `format` and read back, as a user opens the files (the text beside).
fn through(format: Format, doc: &AnnotatedDocument) -> AnnotatedDocument {
    let files: Vec<(String, Vec<u8>)> = write(format, std::slice::from_ref(doc))
        .into_iter()
        .map(|(name, content)| (name, content.into_bytes()))
        .collect();
    let mut read =
        open_files(&files, &empty()).unwrap_or_else(|e| panic!("{}: {e:?}", format.id()));
    assert_eq!(read.documents.len(), 1, "{}", format.id());
    read.documents.remove(0)
}

#[test]
fn names_survive_every_pair_of_formats_exactly() {
    let original = named();
    let (labels, kinds) = names(&original);
    assert_eq!(labels, LABELS.iter().map(|l| (*l).to_owned()).collect());
    assert_eq!(
        kinds,
        RELATION_TYPES.iter().map(|r| (*r).to_owned()).collect()
    );
    let formats: Vec<Format> = Format::ALL
        .into_iter()
        .filter(|f| carries(*f).spans)
        .collect();
    for a in &formats {
        let once = through(*a, &original);
        for b in &formats {
            let twice = through(*b, &once);
            let (l, k) = names(&twice);
            assert_eq!(l, labels, "labels through {} then {}", a.id(), b.id());
            if carries(*a).relations && carries(*b).relations {
                assert_eq!(
                    k,
                    kinds,
                    "relation types through {} then {}",
                    a.id(),
                    b.id()
                );
            }
        }
    }
}
