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
    assert_eq!(store.load(), Ok(Some(doc.clone())));
    // What is stored is the key of the text, then a native Spanmark file without the text,
    // which is stored as it is under that key.
    let raw = store.raw().unwrap();
    let (text_key, file) = raw.split_once('\n').unwrap();
    assert!(
        text_key.starts_with(spanmark::storage::TEXT_PREFIX),
        "{text_key}"
    );
    let file: serde_json::Value = serde_json::from_str(file).unwrap();
    assert_eq!(file["format"], "spanmark");
    assert_eq!(file["document"]["text"], "");
    assert_eq!(
        local().get_item(text_key).unwrap().as_deref(),
        Some(doc.document.text.as_str())
    );
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

/// Removes every key of the library layout (and of versions 1 and 2), so that a test starts
/// empty.
fn clear_library() {
    let storage = local();
    let keys: Vec<String> = (0..storage.length().unwrap())
        .filter_map(|i| storage.key(i).unwrap())
        .filter(|k| k.starts_with("spanmark:v") && !k.starts_with("spanmark:v1:prefs"))
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
    local()
        .set_item(V1_DOCUMENT_KEY, &spanmark_formats::native::write(&doc))
        .unwrap();
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

/// Every key written by `setItem` while `f` runs.
fn writes_during(f: impl FnOnce()) -> Vec<String> {
    let hook = js_sys::Function::new_no_args(
        "const s = Storage.prototype; globalThis.__writes = []; globalThis.__setItem = s.setItem; \
         s.setItem = function (k, v) { globalThis.__writes.push(String(k)); return globalThis.__setItem.call(this, k, v); };",
    );
    let unhook = js_sys::Function::new_no_args(
        "Storage.prototype.setItem = globalThis.__setItem; return globalThis.__writes;",
    );
    hook.call0(&wasm_bindgen::JsValue::NULL).unwrap();
    f();
    let writes = unhook.call0(&wasm_bindgen::JsValue::NULL).unwrap();
    js_sys::Array::from(&writes)
        .iter()
        .map(|k| k.as_string().unwrap())
        .collect()
}

fn keys_starting(prefix: &str) -> Vec<String> {
    let storage = local();
    let mut keys: Vec<String> = (0..storage.length().unwrap())
        .filter_map(|i| storage.key(i).unwrap())
        .filter(|k| k.starts_with(prefix))
        .collect();
    keys.sort();
    keys
}

#[wasm_bindgen_test]
fn an_edit_rewrites_the_annotations_and_never_the_text() {
    use spanmark::storage::{document_store, DOCUMENT_PREFIX, TEXT_PREFIX};
    clear_library();
    let mut doc = sample();
    let store = document_store(&doc.document.id);
    let first = writes_during(|| {
        store.save(&doc).unwrap();
    });
    assert_eq!(first.len(), 2, "{first:?}");
    assert!(
        first[0].starts_with(TEXT_PREFIX),
        "the text first: {first:?}"
    );
    assert!(first[1].starts_with(DOCUMENT_PREFIX), "{first:?}");
    doc.apply(Action::AddSpan {
        start: 7,
        end: 11,
        label: "claim".into(),
    })
    .unwrap();
    let edit = writes_during(|| {
        store.save(&doc).unwrap();
    });
    assert_eq!(edit, [store.key().to_owned()]);
    assert_eq!(store.load(), Ok(Some(doc)));
    clear_library();
}

#[wasm_bindgen_test]
fn a_new_text_is_written_before_the_annotations_naming_it_and_the_old_one_removed() {
    use spanmark::storage::{document_store, TEXT_PREFIX};
    clear_library();
    let doc = sample();
    let store = document_store(&doc.document.id);
    store.save(&doc).unwrap();
    let old_texts = keys_starting(TEXT_PREFIX);
    assert_eq!(old_texts.len(), 1);
    // The whole document replaced under the same id: another text.
    let mut other = AnnotatedDocument::new(Document::new("t", "Kerry spoke in Geneva."));
    other.document.id = doc.document.id.clone();
    let writes = writes_during(|| {
        store.save(&other).unwrap();
    });
    assert_eq!(writes.len(), 2, "{writes:?}");
    assert!(writes[0].starts_with(TEXT_PREFIX));
    assert_eq!(writes[1], store.key());
    let texts = keys_starting(TEXT_PREFIX);
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert_ne!(texts, old_texts);
    assert_eq!(store.load(), Ok(Some(other)));
    // Deleting the document deletes its text too.
    store.delete().unwrap();
    assert_eq!(store.raw(), None);
    assert!(keys_starting(TEXT_PREFIX).is_empty());
    clear_library();
}

#[wasm_bindgen_test]
fn annotations_whose_text_is_missing_are_kept_aside_not_lost() {
    use spanmark::storage::{document_store, TEXT_PREFIX};
    clear_library();
    let doc = sample();
    let store = document_store(&doc.document.id);
    store.save(&doc).unwrap();
    let raw = store.raw().unwrap();
    for key in keys_starting(TEXT_PREFIX) {
        local().remove_item(&key).unwrap();
    }
    let Err(StorageError::Unreadable {
        kept_as: Some(backup),
        reason,
    }) = store.load()
    else {
        panic!("annotations without their text must be reported as unreadable");
    };
    assert!(reason.contains("text is missing"), "{reason}");
    assert_eq!(local().get_item(&backup).unwrap(), Some(raw));
    local().remove_item(&backup).unwrap();
    clear_library();
}

#[wasm_bindgen_test]
fn a_version_2_library_moves_into_version_3_with_each_text_apart() {
    use spanmark::storage::{
        document_store, open_library, DOCUMENT_PREFIX, INDEX_KEY, TEXT_PREFIX, V2_DOCUMENT_PREFIX,
        V2_INDEX_KEY,
    };
    use spanmark_core::library::Library;
    use spanmark_formats::native;
    clear_library();
    let mut a = sample();
    let mut b = AnnotatedDocument::new(Document::new("b", "Kerry denied it."));
    b.apply(Action::AddSpan {
        start: 0,
        end: 5,
        label: "actor".into(),
    })
    .unwrap();
    let mut broken = AnnotatedDocument::new(Document::new("broken", "soon broken"));
    let mut library = Library::default();
    library.add(&mut a, 100);
    library.add(&mut b, 100);
    library.add(&mut broken, 100);
    library.current = Some(b.document.id.clone());
    // Layout 2 as an earlier release wrote it: whole native files, compact.
    let v2 = |d: &AnnotatedDocument| serde_json::to_string(&native::file(d)).unwrap();
    local()
        .set_item(V2_INDEX_KEY, &serde_json::to_string(&library).unwrap())
        .unwrap();
    for d in [&a, &b] {
        local()
            .set_item(&format!("{V2_DOCUMENT_PREFIX}{}", d.document.id), &v2(d))
            .unwrap();
    }
    let broken_key = format!("{V2_DOCUMENT_PREFIX}{}", broken.document.id);
    local()
        .set_item(&broken_key, "{\"format\":\"spanmark\",")
        .unwrap();

    let opened = open_library().unwrap();
    // The open document and the list are as they were, less the one that cannot be read,
    // which is kept aside, as it was, with a warning that names no storage key.
    assert_eq!(opened.current.as_ref(), Some(&b));
    let ids: Vec<&str> = opened
        .library
        .documents
        .iter()
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(ids, [a.document.id.as_str(), b.document.id.as_str()]);
    assert_eq!(opened.warnings.len(), 1, "{:?}", opened.warnings);
    assert!(!opened.warnings[0].text.contains("spanmark:"));
    let backups = keys_starting(&format!("{broken_key}:unreadable:"));
    assert_eq!(backups.len(), 1);
    assert_eq!(
        local().get_item(&backups[0]).unwrap().as_deref(),
        Some("{\"format\":\"spanmark\",")
    );
    // Nothing of layout 2 is left but that copy; each document is in layout 3, its text apart.
    assert_eq!(local().get_item(V2_INDEX_KEY).unwrap(), None);
    assert_eq!(keys_starting(V2_DOCUMENT_PREFIX), backups);
    assert!(local().get_item(INDEX_KEY).unwrap().is_some());
    assert_eq!(keys_starting(DOCUMENT_PREFIX).len(), 2);
    assert_eq!(keys_starting(TEXT_PREFIX).len(), 2);
    for d in [&a, &b] {
        assert_eq!(document_store(&d.document.id).load(), Ok(Some(d.clone())));
    }
    // A second start finds nothing more to move.
    let again = open_library().unwrap();
    assert!(again.warnings.is_empty(), "{:?}", again.warnings);
    assert_eq!(again.library, opened.library);
    local().remove_item(&backups[0]).unwrap();
    clear_library();
}

#[wasm_bindgen_test]
fn a_save_knows_whether_anything_else_wrote_the_document_since() {
    use spanmark::storage::{document_store, snapshot};
    clear_library();
    let mut doc = sample();
    let store = document_store(&doc.document.id);
    let (_, written) = store.write_kept(&snapshot(&doc)).unwrap();
    assert!(store.holds_written(&written), "right after the write");
    assert_eq!(store.load(), Ok(Some(doc.clone())), "written whole");

    // Another tab writes the same document with an edit: this tab's write is no longer there.
    let theirs = store.raw().unwrap();
    doc.apply(Action::AddSpan {
        start: 7,
        end: 11,
        label: "claim".into(),
    })
    .unwrap();
    store.save(&doc).unwrap();
    assert!(!store.holds_written(&written), "another write came since");

    // Storage holds the very string again (the other tab undid its edit): nothing to merge.
    local().set_item(store.key(), &theirs).unwrap();
    assert!(store.holds_written(&written));

    // Removed: nothing is held.
    store.remove().unwrap();
    assert!(!store.holds_written(&written));
    clear_library();
}
