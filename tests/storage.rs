//! The storage adapter in a real browser (wasm-bindgen-test in headless Chromium):
//! `cargo test --target wasm32-unknown-unknown --test storage`.
#![cfg(target_arch = "wasm32")]

use spanmark::core::{Action, AnnotatedDocument, Document};
use spanmark::storage::{StorageError, Store};
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
