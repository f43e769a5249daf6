//! The storage adapter in a real browser (wasm-bindgen-test in headless Chromium):
//! `cargo test --target wasm32-unknown-unknown --test storage`.
#![cfg(target_arch = "wasm32")]
// Test code: a failed assumption should stop the test, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use spanmark::storage::{StorageError, Store};
use spanmark_core::{Action, AnnotatedDocument, Document};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn local() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn sample() -> AnnotatedDocument {
    let mut d = AnnotatedDocument::new(Document::new(
        "t",
        "Лавров said 👩\u{200d}👩\u{200d}👧 left Zürich.",
    ));
    d.apply(Action::AddSpan {
        start: 0,
        end: 6,
        label: "actor".into(),
    })
    .unwrap();
    d.apply(Action::AddSpan {
        start: 12,
        end: 17,
        label: "actor".into(),
    })
    .unwrap();
    d.apply(Action::AddSpan {
        start: 0,
        end: 30,
        label: "claim".into(),
    })
    .unwrap();
    d
}

#[wasm_bindgen_test]
fn nothing_stored_loads_as_none() {
    let store = Store::new("test:empty");
    local().remove_item(store.key()).unwrap();
    assert_eq!(store.load(), Ok(None));
}

#[wasm_bindgen_test]
fn saved_work_loads_back_exactly() {
    let store = Store::new("test:roundtrip");
    let doc = sample();
    store.save(&doc).unwrap();
    assert_eq!(store.load(), Ok(Some(doc)));
    // What is stored is a native Spanmark file.
    assert!(store.raw().unwrap().contains("\"format\":\"spanmark\""));
}

#[wasm_bindgen_test]
fn unreadable_data_is_kept_aside_not_overwritten() {
    let store = Store::new("test:corrupt");
    let broken = "{\"format\":\"spanmark\",\"version\":1,\"document\":{\"id\":\"d\",\"ti";
    local().set_item(store.key(), broken).unwrap();
    let Err(StorageError::Unreadable {
        kept_as: Some(backup),
        ..
    }) = store.load()
    else {
        panic!("a truncated document must be reported as unreadable");
    };
    assert!(backup.starts_with("test:corrupt:unreadable:"));
    assert_eq!(local().get_item(&backup).unwrap().as_deref(), Some(broken));
    local().remove_item(&backup).unwrap();
}

#[wasm_bindgen_test]
fn a_full_quota_is_reported_as_such_and_nothing_is_half_written() {
    let storage = local();
    let store = Store::new("test:quota");
    let before = sample();
    store.save(&before).unwrap();
    // Fill the quota with filler items, halving the chunk until even small writes fail.
    let mut chunk = "x".repeat(1 << 20);
    let mut n = 0;
    while chunk.len() >= 16 {
        if storage
            .set_item(&format!("test:filler:{n}"), &chunk)
            .is_ok()
        {
            n += 1;
        } else {
            chunk.truncate(chunk.len() / 2);
        }
    }
    let mut bigger = before.clone();
    bigger
        .apply(Action::AddSpan {
            start: 7,
            end: 11,
            label: "claim".into(),
        })
        .unwrap();
    let result = store.save(&bigger);
    for i in 0..n {
        storage.remove_item(&format!("test:filler:{i}")).unwrap();
    }
    assert_eq!(result, Err(StorageError::QuotaExceeded));
    // The previous save is intact.
    assert_eq!(store.load(), Ok(Some(before)));
    store.save(&bigger).unwrap();
    assert_eq!(store.load(), Ok(Some(bigger)));
}

#[wasm_bindgen_test]
fn unreadable_preferences_are_kept_aside_before_a_preference_is_saved() {
    use spanmark::storage::{load_prefs, save_pref, PREFS_KEY};
    let storage = local();
    storage.set_item(PREFS_KEY, "not json").unwrap();
    assert!(load_prefs().is_empty());
    save_pref("theme", serde_json::json!("dark")).unwrap();
    assert_eq!(load_prefs().get("theme"), Some(&serde_json::json!("dark")));
    let prefix = format!("{PREFS_KEY}:unreadable:");
    let backups: Vec<String> = (0..storage.length().unwrap())
        .filter_map(|i| storage.key(i).unwrap())
        .filter(|k| k.starts_with(&prefix))
        .collect();
    assert_eq!(backups.len(), 1);
    assert_eq!(
        storage.get_item(&backups[0]).unwrap().as_deref(),
        Some("not json")
    );
    storage.remove_item(&backups[0]).unwrap();
    // Saving again keeps the other preferences.
    save_pref("other", serde_json::json!(1)).unwrap();
    assert_eq!(load_prefs().get("theme"), Some(&serde_json::json!("dark")));
    storage.remove_item(PREFS_KEY).unwrap();
}

/// Removes every key of the library layout (and of version 1), so that a test starts empty.
fn clear_library() {
    use spanmark::storage::{DOCUMENT_PREFIX, INDEX_KEY, V1_DOCUMENT_KEY};
    let storage = local();
    let keys: Vec<String> = (0..storage.length().unwrap())
        .filter_map(|i| storage.key(i).unwrap())
        .filter(|k| {
            k.starts_with(DOCUMENT_PREFIX)
                || k.starts_with(INDEX_KEY)
                || k.starts_with(V1_DOCUMENT_KEY)
        })
        .collect();
    for k in keys {
        storage.remove_item(&k).unwrap();
    }
}

#[wasm_bindgen_test]
fn a_version_1_document_moves_into_the_library() {
    use spanmark::storage::{document_store, open_library, INDEX_KEY, V1_DOCUMENT_KEY};
    clear_library();
    let doc = sample();
    Store::new(V1_DOCUMENT_KEY).save(&doc).unwrap();
    let opened = open_library().unwrap();
    assert!(opened.warnings.is_empty(), "{:?}", opened.warnings);
    assert_eq!(opened.current.as_ref(), Some(&doc));
    assert_eq!(opened.library.documents.len(), 1);
    assert_eq!(opened.library.documents[0].spans, 3);
    assert_eq!(local().get_item(V1_DOCUMENT_KEY).unwrap(), None);
    assert_eq!(document_store(&doc.document.id).load(), Ok(Some(doc)));
    assert!(local().get_item(INDEX_KEY).unwrap().is_some());
    clear_library();
}

#[wasm_bindgen_test]
fn saving_one_document_leaves_the_others_untouched() {
    use spanmark::storage::{document_store, open_library, save_index};
    use spanmark_core::library::Library;
    clear_library();
    let mut library = Library::default();
    let mut a = sample();
    let mut b = AnnotatedDocument::new(Document::new("b", "Kerry denied it."));
    library.add(&mut a, 0);
    library.add(&mut b, 0);
    library.current = Some(b.document.id.clone());
    document_store(&a.document.id).save(&a).unwrap();
    document_store(&b.document.id).save(&b).unwrap();
    save_index(&library).unwrap();
    let a_raw = document_store(&a.document.id).raw();
    b.apply(Action::AddSpan {
        start: 0,
        end: 5,
        label: "actor".into(),
    })
    .unwrap();
    document_store(&b.document.id).save(&b).unwrap();
    assert_eq!(document_store(&a.document.id).raw(), a_raw);
    let opened = open_library().unwrap();
    assert_eq!(opened.current, Some(b));
    assert_eq!(opened.library.documents.len(), 2);
    clear_library();
}

#[wasm_bindgen_test]
fn an_unreadable_index_is_kept_aside_and_rebuilt_from_the_documents() {
    use spanmark::storage::{document_store, open_library, INDEX_KEY};
    clear_library();
    let doc = sample();
    document_store(&doc.document.id).save(&doc).unwrap();
    local().set_item(INDEX_KEY, "{\"documents\": [tru").unwrap();
    let opened = open_library().unwrap();
    assert_eq!(opened.warnings.len(), 1, "{:?}", opened.warnings);
    let warning = &opened.warnings[0];
    assert!(
        warning
            .details
            .as_deref()
            .is_some_and(|d| d.contains(":unreadable:")),
        "{warning:?}"
    );
    assert!(!warning.text.contains("spanmark:"), "{warning:?}");
    assert_eq!(opened.current, Some(doc.clone()));
    assert_eq!(opened.library.documents[0].id, doc.document.id);
    let backup: Vec<String> = (0..local().length().unwrap())
        .filter_map(|i| local().key(i).unwrap())
        .filter(|k| k.starts_with(&format!("{INDEX_KEY}:unreadable:")))
        .collect();
    assert_eq!(backup.len(), 1);
    assert_eq!(
        local().get_item(&backup[0]).unwrap().as_deref(),
        Some("{\"documents\": [tru")
    );
    local().remove_item(&backup[0]).unwrap();
    clear_library();
}

#[wasm_bindgen_test]
fn an_unreadable_document_is_kept_aside_and_left_out() {
    use spanmark::storage::{document_store, open_library, save_index, DOCUMENT_PREFIX};
    use spanmark_core::library::Library;
    clear_library();
    let mut library = Library::default();
    let mut good = sample();
    let mut bad = AnnotatedDocument::new(Document::new("bad", "soon broken"));
    library.add(&mut bad, 0);
    library.add(&mut good, 0);
    library.current = Some(bad.document.id.clone());
    save_index(&library).unwrap();
    document_store(&good.document.id).save(&good).unwrap();
    let bad_key = format!("{DOCUMENT_PREFIX}{}", bad.document.id);
    local()
        .set_item(&bad_key, "{\"format\":\"spanmark\",")
        .unwrap();
    let opened = open_library().unwrap();
    assert_eq!(opened.current, Some(good));
    assert_eq!(opened.library.documents.len(), 1);
    assert!(
        opened.warnings.iter().any(|w| w
            .details
            .as_deref()
            .is_some_and(|d| d.contains(&format!("{bad_key}:unreadable:")))
            && !w.text.contains("spanmark:")),
        "{:?}",
        opened.warnings
    );
    clear_library();
}

#[wasm_bindgen_test]
fn a_stored_document_the_index_does_not_list_is_listed_again() {
    // Two tabs wrote the index at the same moment, and the later one did not know the
    // document the other had just added.
    use spanmark::storage::{document_store, open_library, save_index, stored_entry};
    use spanmark_core::library::Library;
    clear_library();
    let listed = sample();
    let mut orphan = AnnotatedDocument::new(Document::new("orphan", "Kerry spoke."));
    orphan
        .apply(Action::AddSpan {
            start: 0,
            end: 5,
            label: "actor".into(),
        })
        .unwrap();
    let mut library = Library::default();
    let mut doc = listed.clone();
    let stored = document_store(&listed.document.id).save(&listed).unwrap();
    library.add(&mut doc, stored);
    library.current = Some(listed.document.id.clone());
    save_index(&library).unwrap();
    document_store(&orphan.document.id).save(&orphan).unwrap();

    let entry = stored_entry(&orphan.document.id).expect("the orphan's entry");
    assert_eq!((entry.title.as_str(), entry.spans), ("orphan", 1));
    let opened = open_library().unwrap();
    assert!(opened.warnings.is_empty(), "{:?}", opened.warnings);
    let ids: Vec<&str> = opened
        .library
        .documents
        .iter()
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(
        ids,
        [listed.document.id.as_str(), orphan.document.id.as_str()]
    );
    assert_eq!(
        opened.current.as_ref(),
        Some(&listed),
        "the open one stays open"
    );
    clear_library();
}
