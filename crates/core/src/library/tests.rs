use super::*;
use crate::{Action, Document};

fn doc(title: &str) -> AnnotatedDocument {
    AnnotatedDocument::new(Document::new(title, format!("{title} text")))
}

#[test]
fn added_documents_get_ids_no_other_has() {
    let mut lib = Library::default();
    let (mut a, mut b) = (doc("a"), doc("a"));
    let first = lib.add(&mut a, 10);
    let second = lib.add(&mut b, 10);
    assert_ne!(first, second);
    assert_eq!(second, format!("{first}-2"));
    assert_eq!(b.document.id, second);
    assert_eq!(lib.stored(), 20);
}

#[test]
fn an_id_in_use_elsewhere_is_passed_over() {
    let mut lib = Library::default();
    let mut a = doc("a");
    let id = a.document.id.clone();
    let taken = |candidate: &str| candidate == id;
    let added = lib.add_unless(&mut a, 10, taken);
    assert_eq!(added, format!("{id}-2"));
    assert_eq!(lib.free_id_unless(&id, taken), format!("{id}-3"));
}

#[test]
fn updates_report_whether_the_entry_changed() {
    let mut lib = Library::default();
    let mut a = doc("a");
    lib.add(&mut a, 10);
    assert!(!lib.update(&a, 10));
    a.apply(Action::AddSpan {
        start: 0,
        end: 1,
        label: "actor".into(),
    })
    .unwrap();
    assert!(lib.update(&a, 60));
    assert_eq!(lib.documents[0].spans, 1);
    assert!(!lib.update(&doc("not listed"), 1));
}

#[test]
fn removing_the_current_document_opens_a_neighbour() {
    let mut lib = Library::default();
    let ids: Vec<String> = ["a", "b", "c"]
        .iter()
        .map(|t| lib.add(&mut doc(t), 1))
        .collect();
    lib.current = Some(ids[1].clone());
    assert_eq!(lib.remove(&ids[1]).map(|e| e.title), Some("b".into()));
    assert_eq!(lib.current.as_ref(), Some(&ids[2]));
    lib.remove(&ids[2]);
    assert_eq!(lib.current.as_ref(), Some(&ids[0]));
    lib.remove(&ids[0]);
    assert_eq!(lib.current, None);
    assert_eq!(lib.remove("nothing"), None);
}

fn entry(id: &str, title: &str, spans: usize) -> Entry {
    Entry {
        id: id.into(),
        title: title.into(),
        spans,
        stored: 10,
    }
}

fn library(entries: &[Entry], current: &str) -> Library {
    Library {
        documents: entries.to_vec(),
        current: Some(current.into()),
    }
}

#[test]
fn documents_another_tab_added_or_deleted_are_listed_as_stored() {
    let ours = library(&[entry("a", "A", 1), entry("b", "B", 0)], "a");
    // The other tab deleted b and added c.
    let stored = library(&[entry("a", "A", 1), entry("c", "C", 2)], "c");
    let files = [entry("a", "A", 1), entry("c", "C", 2)];
    let read = |id: &str| files.iter().find(|e| e.id == id).cloned();
    let merged = ours.reconciled(&stored, Some("a"), read);
    assert_eq!(merged.documents, files);
    assert_eq!(
        merged.current.as_deref(),
        Some("a"),
        "the current one stays this tab's"
    );
}

#[test]
fn where_the_lists_disagree_the_stored_file_decides() {
    // This tab renamed b (and stored it) after the other tab wrote its index; the other
    // tab added spans to c. Each entry comes from the file, whichever list is behind.
    let ours = library(
        &[
            entry("a", "A", 0),
            entry("b", "B renamed", 0),
            entry("c", "C", 0),
        ],
        "a",
    );
    let stored = library(
        &[entry("a", "A", 0), entry("b", "B", 0), entry("c", "C", 5)],
        "a",
    );
    let files = [entry("b", "B renamed", 0), entry("c", "C", 5)];
    let reads = std::cell::Cell::new(0);
    let read = |id: &str| {
        reads.set(reads.get() + 1);
        files.iter().find(|e| e.id == id).cloned()
    };
    let merged = ours.reconciled(&stored, Some("a"), read);
    assert_eq!(
        merged.documents,
        [entry("a", "A", 0), files[0].clone(), files[1].clone()]
    );
    assert_eq!(reads.get(), 2, "only the entries that differ are read");
}

#[test]
fn the_open_document_stays_even_when_another_tab_deleted_it() {
    let ours = library(&[entry("a", "A", 3)], "a");
    let stored = library(&[], "a");
    let merged = ours.reconciled(&stored, Some("a"), |_| None);
    assert_eq!(merged.documents, [entry("a", "A", 3)]);
}

#[test]
fn stored_sizes_too_large_to_add_up_in_an_index_saturate_instead_of_overflowing() {
    // Another tab, or a hand-edited index, can store any size: the sum must not overflow.
    let mut big = entry("a", "A", 0);
    big.stored = usize::MAX;
    let lib = library(&[big.clone(), big, entry("b", "B", 0)], "a");
    assert_eq!(lib.stored(), usize::MAX);
    assert_eq!(Library::fill(lib.stored()), Fill::Full);
}

#[test]
fn the_meter_warns_near_the_limit() {
    assert_eq!(Library::fill(0), Fill::Fine);
    assert_eq!(Library::fill(STORAGE_LIMIT * 79 / 100), Fill::Fine);
    assert_eq!(Library::fill(STORAGE_LIMIT * 80 / 100), Fill::Near);
    assert_eq!(Library::fill(STORAGE_LIMIT), Fill::Full);
}
