//! The only code that touches localStorage (through gloo-storage).
//!
//! Layout version 3: the library index under [`INDEX_KEY`], and each document in two parts so
//! that an edit never rewrites its text:
//! - its text, as it is, under [`TEXT_PREFIX`]`<id>:<fingerprint>` (written when the text is
//!   new to storage: once, unless the whole document is replaced);
//! - everything else under [`DOCUMENT_PREFIX`]`<id>`: a first line naming the text's key, then
//!   the native Spanmark file with an empty `document.text` ([`serialize`], [`parse`]).
//!
//! Saving one document never rewrites the others. Version 2 kept each whole native file under
//! `spanmark:v2:doc:<id>` and the index under `spanmark:v2:index`; version 1 a single document
//! under [`V1_DOCUMENT_KEY`]. Both are moved into this layout on the first start
//! ([`open_library`]). Data that cannot be read is copied aside under a backup key before
//! anything else may overwrite it.

use std::cell::RefCell;
use std::collections::HashMap;

use gloo_storage::{LocalStorage, Storage as _};
use wasm_bindgen::prelude::*;

use spanmark_core::library::{Entry, Library};
use spanmark_core::model::text_fingerprint;
use spanmark_core::AnnotatedDocument;
use spanmark_formats::native;
use spanmark_formats::team::project::Project;

/// The library index: the documents' ids, titles and sizes, and which one is open.
pub const INDEX_KEY: &str = "spanmark:v3:index";
/// Each document's annotations (all but its text) live under this prefix followed by its id.
pub const DOCUMENT_PREFIX: &str = "spanmark:v3:doc:";
/// Each document's text lives under this prefix followed by `<id>:<fingerprint>`.
pub const TEXT_PREFIX: &str = "spanmark:v3:text:";
/// Where version 2 of the layout kept the index.
pub const V2_INDEX_KEY: &str = "spanmark:v2:index";
/// Where version 2 of the layout kept each whole document, followed by its id.
pub const V2_DOCUMENT_PREFIX: &str = "spanmark:v2:doc:";
/// Where version 1 of the layout kept its only document.
pub const V1_DOCUMENT_KEY: &str = "spanmark:v1:document";

thread_local! {
    /// Texts' sizes in characters, their keys included, by key: a key names one text, so
    /// what is known of it stays true (whether storage still holds it is asked each time).
    static TEXT_SIZES: RefCell<HashMap<String, usize>> = RefCell::new(HashMap::new());
}

/// The characters text `text` takes in storage under `key`, its key included.
fn text_size(key: &str, text: &str) -> usize {
    if let Some(chars) = TEXT_SIZES.with_borrow(|t| t.get(key).copied()) {
        return chars;
    }
    let chars = stored_chars(text) + key.len();
    TEXT_SIZES.with_borrow_mut(|t| t.insert(key.to_owned(), chars));
    chars
}

/// Whether storage holds `key`, asked without reading what it holds (a text is long).
fn holds(storage: &web_sys::Storage, key: &str) -> bool {
    let n = storage.length().unwrap_or(0);
    (0..n).any(|i| storage.key(i).ok().flatten().as_deref() == Some(key))
}

thread_local! {
    /// The last text fingerprinted, and its fingerprint: an autosave compares the text with it
    /// (a copy, compared at memory speed) rather than fingerprinting it again, byte by byte.
    static LAST_FINGERPRINT: RefCell<(String, u64)> = RefCell::new((String::new(), text_fingerprint("")));
}

/// The key of `doc`'s text.
fn text_key(doc: &AnnotatedDocument) -> String {
    let text = &doc.document.text;
    let fingerprint = LAST_FINGERPRINT.with_borrow_mut(|(last, fingerprint)| {
        if last != text {
            *fingerprint = text_fingerprint(text);
            last.clone_from(text);
        }
        *fingerprint
    });
    format!("{TEXT_PREFIX}{}:{fingerprint:016x}", doc.document.id)
}

/// The text key a stored document part names, and the rest of it (the file without its text).
fn split(raw: &str) -> Option<(&str, &str)> {
    raw.split_once('\n')
        .filter(|(key, _)| key.starts_with(TEXT_PREFIX))
}

/// What a storage key holds, as far as Spanmark is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoredKey<'a> {
    /// The library index.
    Index,
    /// The document with this id.
    Document(&'a str),
    /// Anything else: a backup of unreadable data, preferences, another site's data.
    Other,
}

impl<'a> StoredKey<'a> {
    /// What `key` holds.
    pub fn of(key: &'a str) -> Self {
        if key == INDEX_KEY {
            return StoredKey::Index;
        }
        match key.strip_prefix(DOCUMENT_PREFIX) {
            Some(id) if !key.contains(UNREADABLE) => StoredKey::Document(id),
            _ => StoredKey::Other,
        }
    }
}

/// What marks the key of a backup of unreadable data: `<key>:unreadable:<time>`.
const UNREADABLE: &str = ":unreadable:";

/// The key under which unreadable data found under `key` is kept, now.
fn backup_key(key: &str) -> String {
    format!("{key}{UNREADABLE}{}", js_sys::Date::now() as u64)
}

/// What is stored under `doc`'s key: the key of its text on the first line, then its native
/// file without the text, compact.
pub fn serialize(doc: &AnnotatedDocument) -> String {
    let mut raw = text_key(doc);
    raw.push('\n');
    // Serializing plain structs of strings and integers cannot fail.
    raw.push_str(&serde_json::to_string(&native::file_without_text(doc)).unwrap_or_default());
    raw
}

/// Reads a document stored as [`serialize`] wrote it, with its text from storage.
pub fn parse(raw: &str) -> Result<AnnotatedDocument, String> {
    let (key, file) = split(raw).ok_or_else(|| {
        "it does not name its text (it was not written by this version of Spanmark)".to_owned()
    })?;
    let text = local_storage()
        .and_then(|s| s.get_item(key).ok().flatten())
        .ok_or_else(|| "its text is missing from storage".to_owned())?;
    text_size(key, &text);
    native::parse_without_text(file, text).map_err(|e| e.to_string())
}

/// A document made ready to be written: what goes under its key, its text (written only
/// when storage does not hold it yet), and how many characters both take.
pub struct Snapshot {
    pub raw: String,
    pub text: String,
    pub chars: usize,
}

/// `doc` ready to be written.
pub fn snapshot(doc: &AnnotatedDocument) -> Snapshot {
    let raw = serialize(doc);
    let text = doc.document.text.clone();
    let text_chars = split(&raw).map_or(0, |(key, _)| text_size(key, &text));
    let chars = stored_chars(&raw) + text_chars;
    Snapshot { raw, text, chars }
}

/// How many characters (UTF-16 code units, as browsers count them) `raw` takes.
pub fn stored_chars(raw: &str) -> usize {
    // A stored document is mostly ASCII, which is checked a word at a time.
    if raw.is_ascii() {
        raw.len()
    } else {
        raw.encode_utf16().count()
    }
}

/// How many characters (UTF-16 code units) `doc` takes in storage, its keys included.
pub fn stored_size(doc: &AnnotatedDocument) -> usize {
    snapshot(doc).chars + DOCUMENT_PREFIX.len() + doc.document.id.len()
}

/// How many characters document part `raw` takes in storage with its text, the keys included
/// (the text counted when this tab knows it).
pub fn stored_size_of(id: &str, raw: &str) -> usize {
    let text = split(raw)
        .and_then(|(key, _)| TEXT_SIZES.with_borrow(|t| t.get(key).copied()))
        .unwrap_or(0);
    stored_chars(raw) + DOCUMENT_PREFIX.len() + id.len() + text
}

/// Why storage failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageError {
    /// localStorage is disabled or blocked in this browser.
    Unavailable,
    /// The browser refused the write: its storage quota is full.
    QuotaExceeded,
    /// Stored data could not be read. It was copied to `kept_as` (when that copy succeeded).
    Unreadable {
        reason: String,
        kept_as: Option<String>,
    },
    /// Any other error the browser raised.
    Browser(String),
}

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StorageError::Unavailable => write!(f, "this browser does not allow saving (localStorage is unavailable)"),
            StorageError::QuotaExceeded => write!(f, "the browser's storage is full"),
            StorageError::Unreadable { kept_as: Some(_), .. } => {
                write!(f, "some saved work could not be read; a copy of it was kept aside, unchanged")
            }
            StorageError::Unreadable { kept_as: None, .. } => write!(
                f,
                "some saved work could not be read and could not be copied aside, so it is left untouched and nothing will be saved over it"
            ),
            StorageError::Browser(e) => write!(f, "the browser refused to save: {e}"),
        }
    }
}

impl std::error::Error for StorageError {}

impl StorageError {
    /// What a technician would want to know beyond the message: why the data could not be
    /// read, and the storage key its copy was kept under. Shown behind *Details*.
    pub fn details(&self) -> Option<String> {
        match self {
            StorageError::Unreadable {
                reason,
                kept_as: Some(key),
            } => Some(format!(
                "{reason}; kept under the storage key \u{201c}{key}\u{201d}"
            )),
            StorageError::Unreadable {
                reason,
                kept_as: None,
            } => Some(reason.clone()),
            _ => None,
        }
    }
}

/// Something found in storage that the user should know of: said plainly (`text`), with the
/// technical details (storage keys, parser positions) apart.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Finding {
    pub text: String,
    pub details: Option<String>,
}

impl Finding {
    /// The finding of error `e`.
    pub fn of(e: &StorageError) -> Self {
        Finding {
            text: e.to_string(),
            details: e.details(),
        }
    }
}

/// A place in localStorage that holds one annotated document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Store {
    key: String,
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn from_gloo(e: gloo_storage::errors::StorageError) -> StorageError {
    match e {
        gloo_storage::errors::StorageError::JsError(js) if js.name == "QuotaExceededError" => {
            StorageError::QuotaExceeded
        }
        other => StorageError::Browser(other.to_string()),
    }
}

fn from_js(e: wasm_bindgen::JsValue) -> StorageError {
    let name = js_sys::Reflect::get(&e, &"name".into())
        .ok()
        .and_then(|n| n.as_string());
    match name.as_deref() {
        Some("QuotaExceededError") => StorageError::QuotaExceeded,
        _ => StorageError::Browser(
            js_sys::Reflect::get(&e, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
                .unwrap_or_else(|| format!("{e:?}")),
        ),
    }
}

impl Store {
    /// A store under `key`.
    pub fn new(key: impl Into<String>) -> Self {
        Store { key: key.into() }
    }

    pub fn key(&self) -> &str {
        &self.key
    }

    /// Reads the stored document: `Ok(None)` when nothing is stored yet.
    ///
    /// Stored data that does not parse is copied to `<key>:unreadable:<timestamp>` and reported.
    pub fn load(&self) -> Result<Option<AnnotatedDocument>, StorageError> {
        self.load_with(parse)
    }

    /// [`Store::load`] of a whole native file, as layouts 1 and 2 kept a document.
    fn load_whole(&self) -> Result<Option<AnnotatedDocument>, StorageError> {
        self.load_with(|raw| native::parse(raw).map_err(|e| e.to_string()))
    }

    fn load_with(
        &self,
        parse: impl Fn(&str) -> Result<AnnotatedDocument, String>,
    ) -> Result<Option<AnnotatedDocument>, StorageError> {
        let storage = local_storage().ok_or(StorageError::Unavailable)?;
        let raw = storage
            .get_item(&self.key)
            .map_err(|_| StorageError::Unavailable)?;
        let Some(raw) = raw else { return Ok(None) };
        parse(&raw).map(Some).map_err(|reason| {
            let backup = backup_key(&self.key);
            let kept = storage.set_item(&backup, &raw).is_ok();
            StorageError::Unreadable {
                reason,
                kept_as: kept.then_some(backup),
            }
        })
    }

    /// Writes `doc`, replacing what was stored, and returns how many characters (UTF-16 code
    /// units, as browsers count them) it takes. A refused write leaves the previous data whole.
    pub fn save(&self, doc: &AnnotatedDocument) -> Result<usize, StorageError> {
        self.write(&snapshot(doc))
    }

    /// Writes `snapshot` (of the document this store holds), replacing what was stored, and
    /// returns how many characters it takes. Its text is written first when it is new to
    /// storage, and a text no longer named is removed after; a refused write leaves the
    /// previous data whole.
    pub fn write(&self, snapshot: &Snapshot) -> Result<usize, StorageError> {
        let storage = local_storage().ok_or(StorageError::Unavailable)?;
        self.write_with(&storage, snapshot, |key| {
            storage.set_item(key, &snapshot.raw)
        })?;
        Ok(snapshot.chars + self.key.len())
    }

    /// [`Store::write`] to `storage`, the document part written by `put` (given this store's
    /// key).
    fn write_with(
        &self,
        storage: &web_sys::Storage,
        snapshot: &Snapshot,
        put: impl FnOnce(&str) -> Result<(), JsValue>,
    ) -> Result<(), StorageError> {
        let text_key = split(&snapshot.raw).map(|(key, _)| key);
        let new_text = match text_key {
            Some(key) if !holds(storage, key) => {
                storage.set_item(key, &snapshot.text).map_err(from_js)?;
                true
            }
            _ => false,
        };
        put(&self.key).map_err(from_js)?;
        if new_text {
            // The texts this document had before are named no more.
            if let (Some(id), Some(key)) = (self.key.strip_prefix(DOCUMENT_PREFIX), text_key) {
                for old in keys_with_prefix(storage, &format!("{TEXT_PREFIX}{id}:")) {
                    if old != key && !old.contains(UNREADABLE) {
                        let _ = storage.remove_item(&old);
                    }
                }
            }
        }
        Ok(())
    }

    /// Removes the document part stored here; its text stays (it may be all that is left of
    /// a document kept aside).
    pub fn remove(&self) -> Result<(), StorageError> {
        let storage = local_storage().ok_or(StorageError::Unavailable)?;
        storage.remove_item(&self.key).map_err(from_js)
    }

    /// Deletes the document stored here: its texts, then its part (so that a tab that hears
    /// of the part's removal finds the texts gone too, and stores both again if it keeps it).
    pub fn delete(&self) -> Result<(), StorageError> {
        let storage = local_storage().ok_or(StorageError::Unavailable)?;
        if let Some(id) = self.key.strip_prefix(DOCUMENT_PREFIX) {
            for key in keys_with_prefix(&storage, &format!("{TEXT_PREFIX}{id}:")) {
                if !key.contains(UNREADABLE) {
                    storage.remove_item(&key).map_err(from_js)?;
                }
            }
        }
        storage.remove_item(&self.key).map_err(from_js)
    }

    /// Reads the raw stored string.
    pub fn raw(&self) -> Option<String> {
        raw(&self.key)
    }

    /// [`Store::write`], and what was written under this store's key as the browser holds it,
    /// for [`Store::holds_written`].
    pub fn write_kept(&self, snapshot: &Snapshot) -> Result<(usize, Written), StorageError> {
        let storage = local_storage().ok_or(StorageError::Unavailable)?;
        let written = Written(JsValue::from_str(&snapshot.raw));
        self.write_with(&storage, snapshot, |key| {
            set_item_value(&storage, key, &written.0)
        })?;
        Ok((snapshot.chars + self.key.len(), written))
    }

    /// Whether storage still holds exactly `written` under this store's key: nothing else wrote
    /// it since. Compared in the browser, without bringing the stored string into wasm: on a
    /// long document that copy was a good part of each save.
    pub fn holds_written(&self, written: &Written) -> bool {
        local_storage()
            .and_then(|s| get_item_value(&s, &self.key).ok())
            .is_some_and(|stored| js_sys::Object::is(&stored, &written.0))
    }
}

/// What a save put under a document's key, as the browser holds the string (see
/// [`Store::write_kept`]).
#[derive(Clone, Debug)]
pub struct Written(JsValue);

#[wasm_bindgen]
extern "C" {
    /// `Storage` with its values left as JS strings (web-sys copies them into wasm).
    type StorageValues;
    #[wasm_bindgen(method, catch, js_name = getItem)]
    fn get_item(this: &StorageValues, key: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch, js_name = setItem)]
    fn set_item(this: &StorageValues, key: &str, value: &JsValue) -> Result<(), JsValue>;
}

/// `Storage.getItem`, the string left in the browser (`null` when there is none).
fn get_item_value(storage: &web_sys::Storage, key: &str) -> Result<JsValue, JsValue> {
    storage.unchecked_ref::<StorageValues>().get_item(key)
}

/// `Storage.setItem` of a string already in the browser.
fn set_item_value(storage: &web_sys::Storage, key: &str, value: &JsValue) -> Result<(), JsValue> {
    storage
        .unchecked_ref::<StorageValues>()
        .set_item(key, value)
}

/// Where small preferences live (a JSON object, e.g. `{"theme":"dark"}`).
pub const PREFS_KEY: &str = "spanmark:v1:prefs";
/// The team project this browser syncs with, if any (`formats::team::project::Project`).
pub const TEAM_KEY: &str = "spanmark:v2:team";

/// The stored preferences object; empty when nothing is stored or storage is unavailable.
/// Stored data that is not a JSON object is treated as absent here and kept aside by `save_pref`.
pub fn load_prefs() -> serde_json::Map<String, serde_json::Value> {
    local_storage()
        .and_then(|s| s.get_item(PREFS_KEY).ok().flatten())
        .and_then(|raw| match serde_json::from_str(&raw) {
            Ok(serde_json::Value::Object(prefs)) => Some(prefs),
            _ => None,
        })
        .unwrap_or_default()
}

/// Stores one preference, keeping the others. Unreadable stored preferences are first copied
/// to `<key>:unreadable:<timestamp>`; if that copy fails, nothing is written.
pub fn save_pref(name: &str, value: serde_json::Value) -> Result<(), StorageError> {
    let storage = local_storage().ok_or(StorageError::Unavailable)?;
    let raw = storage
        .get_item(PREFS_KEY)
        .map_err(|_| StorageError::Unavailable)?;
    let mut prefs = match raw
        .as_deref()
        .map(serde_json::from_str::<serde_json::Value>)
    {
        None => serde_json::Map::new(),
        Some(Ok(serde_json::Value::Object(prefs))) => prefs,
        Some(_) => {
            let backup = backup_key(PREFS_KEY);
            if storage
                .set_item(&backup, raw.as_deref().unwrap_or_default())
                .is_err()
            {
                return Err(StorageError::Unreadable {
                    reason: "the stored preferences are not a JSON object".into(),
                    kept_as: None,
                });
            }
            serde_json::Map::new()
        }
    };
    prefs.insert(name.to_owned(), value);
    LocalStorage::set(PREFS_KEY, serde_json::Value::Object(prefs)).map_err(from_gloo)
}

/// The store of document `id` in the library.
pub fn document_store(id: &str) -> Store {
    Store::new(format!("{DOCUMENT_PREFIX}{id}"))
}

/// The library as found in storage, the open document, and what the user should be told.
#[derive(Debug, Default)]
pub struct Opened {
    pub library: Library,
    /// The current document, when one could be read.
    pub current: Option<AnnotatedDocument>,
    /// Warnings about data that could not be read (and, in their details, where it was kept).
    pub warnings: Vec<Finding>,
}

fn keys_with_prefix(storage: &web_sys::Storage, prefix: &str) -> Vec<String> {
    let n = storage.length().unwrap_or(0);
    (0..n)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| k.starts_with(prefix))
        .collect()
}

/// Keeps `raw` aside under `<key>:unreadable:<timestamp>`; the backup key when that worked.
fn keep_aside(storage: &web_sys::Storage, key: &str, raw: &str) -> Option<String> {
    let backup = backup_key(key);
    storage.set_item(&backup, raw).ok().map(|()| backup)
}

/// Reads the library. The index is rebuilt from the stored documents when it is missing or
/// unreadable (an unreadable one is kept aside first); a version 1 document is moved in;
/// a stored document the index does not list is listed again; documents that cannot be read
/// are kept aside and left out, with a warning for each.
/// Fails only when localStorage is unavailable.
pub fn open_library() -> Result<Opened, StorageError> {
    let storage = local_storage().ok_or(StorageError::Unavailable)?;
    let mut opened = Opened::default();
    migrate_v2(&storage, &mut opened.warnings);
    let raw_index = storage
        .get_item(INDEX_KEY)
        .map_err(|_| StorageError::Unavailable)?;
    let mut changed = false;
    let mut library = match raw_index.as_deref().map(serde_json::from_str::<Library>) {
        Some(Ok(library)) => library,
        other => {
            if let (Some(Err(e)), Some(raw)) = (other, raw_index.as_deref()) {
                opened.warnings.push(match keep_aside(&storage, INDEX_KEY, raw) {
                    Some(backup) => Finding {
                        text: "the list of documents could not be read; it was rebuilt from the stored documents, and a copy of it kept aside".into(),
                        details: Some(format!("{e}; kept under the storage key \u{201c}{backup}\u{201d}")),
                    },
                    None => Finding {
                        text: "the list of documents could not be read; it was rebuilt from the stored documents".into(),
                        details: Some(e.to_string()),
                    },
                });
            }
            changed = true;
            let mut library = Library::default();
            for key in keys_with_prefix(&storage, DOCUMENT_PREFIX) {
                if !matches!(StoredKey::of(&key), StoredKey::Document(_)) {
                    continue;
                }
                let store = Store::new(key);
                match store.load() {
                    Ok(Some(doc)) => {
                        let stored = store
                            .raw()
                            .map_or(0, |r| stored_size_of(&doc.document.id, &r));
                        library.documents.push(Entry::of(&doc, stored));
                    }
                    Ok(None) => {}
                    Err(e) => {
                        if matches!(
                            e,
                            StorageError::Unreadable {
                                kept_as: Some(_),
                                ..
                            }
                        ) {
                            let _ = store.remove();
                        }
                        opened.warnings.push(Finding::of(&e));
                    }
                }
            }
            library
        }
    };
    // Version 1: one document under its own key.
    let v1 = Store::new(V1_DOCUMENT_KEY);
    match v1.load_whole() {
        Ok(Some(mut doc)) => {
            if library.entry(&doc.document.id).is_none() {
                let id = library.free_id(&doc.document.id);
                doc.document.id = id;
                let stored = document_store(&doc.document.id).save(&doc)?;
                library.documents.push(Entry::of(&doc, stored));
                library.current = Some(doc.document.id.clone());
            }
            v1.remove()?;
            changed = true;
        }
        Ok(None) => {}
        Err(
            e @ StorageError::Unreadable {
                kept_as: Some(_), ..
            },
        ) => {
            opened.warnings.push(Finding::of(&e));
            v1.remove()?;
        }
        Err(e) => opened.warnings.push(Finding::of(&e)),
    }
    // Entries whose document is gone cannot be opened.
    let before = library.documents.len();
    library.documents.retain(|e| {
        storage
            .get_item(&format!("{DOCUMENT_PREFIX}{}", e.id))
            .ok()
            .flatten()
            .is_some()
    });
    changed |= library.documents.len() != before;
    // Documents stored without an entry (two tabs wrote the list at the same moment) are
    // listed again.
    for key in keys_with_prefix(&storage, DOCUMENT_PREFIX) {
        let StoredKey::Document(id) = StoredKey::of(&key) else {
            continue;
        };
        if library.entry(id).is_some() {
            continue;
        }
        if let Some(entry) = stored_entry(id) {
            library.documents.push(entry);
            changed = true;
        }
    }
    // The current document, or the first that can be read.
    // Each id once: a document that cannot be read is kept aside and reported only once.
    let mut candidates: Vec<String> = library.current.iter().cloned().collect();
    for e in &library.documents {
        if !candidates.contains(&e.id) {
            candidates.push(e.id.clone());
        }
    }
    for id in candidates {
        match document_store(&id).load() {
            Ok(Some(doc)) => {
                changed |= library.current.as_deref() != Some(id.as_str());
                library.current = Some(id);
                opened.current = Some(doc);
                break;
            }
            Ok(None) => {}
            Err(e) => {
                // Kept aside: the copy is the record now, and a rebuilt index will not meet
                // the broken original again.
                if matches!(
                    e,
                    StorageError::Unreadable {
                        kept_as: Some(_),
                        ..
                    }
                ) {
                    let _ = document_store(&id).remove();
                }
                opened.warnings.push(Finding::of(&e));
                library.documents.retain(|e| e.id != id);
                changed = true;
            }
        }
    }
    if opened.current.is_none() && library.current.is_some() {
        library.current = None;
        changed = true;
    }
    if changed {
        save_index(&library)?;
    }
    opened.library = library;
    Ok(opened)
}

/// Moves the documents of layout version 2 into this layout, one at a time (each is written
/// anew before its old copy is removed, so none is ever only in memory), then the index. A
/// document that cannot be read is kept aside under its backup key, as it was, with a
/// warning; one that cannot be written (storage full) stays as it was, with a warning, and is
/// moved on a later start.
fn migrate_v2(storage: &web_sys::Storage, warnings: &mut Vec<Finding>) {
    let mut stuck = false;
    for key in keys_with_prefix(storage, V2_DOCUMENT_PREFIX) {
        if key.contains(UNREADABLE) {
            continue;
        }
        let Some(raw) = storage.get_item(&key).ok().flatten() else {
            continue;
        };
        match native::parse(&raw) {
            Ok(doc) => {
                let store = document_store(&doc.document.id);
                let moved = store.raw().is_some() || store.save(&doc).is_ok();
                if moved {
                    let _ = storage.remove_item(&key);
                } else {
                    stuck = true;
                }
            }
            Err(e) => {
                let kept_as = keep_aside(storage, &key, &raw);
                if kept_as.is_some() {
                    let _ = storage.remove_item(&key);
                }
                warnings.push(Finding::of(&StorageError::Unreadable {
                    reason: e.to_string(),
                    kept_as,
                }));
            }
        }
    }
    if stuck {
        warnings.push(Finding {
            text: "Some documents saved by an earlier version of Spanmark could not be moved to this version's storage because the browser's storage is full. They are kept, unchanged; delete a document you no longer need and reload to see them again.".into(),
            details: None,
        });
    }
    if let Some(raw) = storage.get_item(V2_INDEX_KEY).ok().flatten() {
        let index_there = storage.get_item(INDEX_KEY).ok().flatten().is_some();
        if !index_there && serde_json::from_str::<Library>(&raw).is_ok() {
            // The same ids, titles and order; the sizes are brought up to date by the next save.
            if storage.set_item(INDEX_KEY, &raw).is_err() {
                return;
            }
        }
        if !stuck {
            let _ = storage.remove_item(V2_INDEX_KEY);
        }
    }
}

/// What is stored under `key`, if anything (and storage can be read).
pub fn raw(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// The library entry of document `id` as stored; `None` when it is not stored or cannot be read.
pub fn stored_entry(id: &str) -> Option<Entry> {
    let raw = document_store(id).raw()?;
    let doc = parse(&raw).ok()?;
    Some(Entry::of(&doc, stored_size_of(id, &raw)))
}

/// Keeps `raw`, found under document `id`'s key, under `<key>:unreadable:<timestamp>`; the
/// backup key when that worked.
pub fn keep_document_aside(id: &str, raw: &str) -> Option<String> {
    let storage = local_storage()?;
    keep_aside(&storage, document_store(id).key(), raw)
}

/// Writes the library index.
pub fn save_index(library: &Library) -> Result<(), StorageError> {
    let storage = local_storage().ok_or(StorageError::Unavailable)?;
    let raw = serde_json::to_string(library).unwrap_or_default();
    storage.set_item(INDEX_KEY, &raw).map_err(from_js)
}

/// The team project stored in this browser: `Ok(None)` when there is none. Something there
/// that cannot be read is kept aside (and reported) rather than written over later.
pub fn load_project() -> Result<Option<Project>, StorageError> {
    let Some(raw) = raw(TEAM_KEY) else {
        return Ok(None);
    };
    match serde_json::from_str(&raw) {
        Ok(project) => Ok(Some(project)),
        Err(e) => {
            let kept_as = local_storage().and_then(|s| keep_aside(&s, TEAM_KEY, &raw));
            if kept_as.is_some() {
                if let Some(s) = local_storage() {
                    let _ = s.remove_item(TEAM_KEY);
                }
            }
            Err(StorageError::Unreadable {
                reason: format!("the team project's record is not readable ({e})"),
                kept_as,
            })
        }
    }
}

/// Writes the team project.
pub fn save_project(project: &Project) -> Result<(), StorageError> {
    let storage = local_storage().ok_or(StorageError::Unavailable)?;
    let raw = serde_json::to_string(project).unwrap_or_default();
    storage.set_item(TEAM_KEY, &raw).map_err(from_js)
}

/// Characters the index takes in storage.
pub fn index_size(library: &Library) -> usize {
    serde_json::to_string(library).map_or(0, |s| s.len()) + INDEX_KEY.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_say_what_they_hold() {
        assert_eq!(StoredKey::of(INDEX_KEY), StoredKey::Index);
        assert_eq!(
            StoredKey::of("spanmark:v3:doc:doc-1"),
            StoredKey::Document("doc-1")
        );
        assert_eq!(
            StoredKey::of("spanmark:v3:doc:doc-1:unreadable:1796324416741"),
            StoredKey::Other
        );
        assert_eq!(
            StoredKey::of("spanmark:v3:text:doc-1:00ff00ff00ff00ff"),
            StoredKey::Other
        );
        assert_eq!(StoredKey::of("spanmark:v2:doc:doc-1"), StoredKey::Other);
        assert_eq!(StoredKey::of(PREFS_KEY), StoredKey::Other);
        assert_eq!(StoredKey::of(TEAM_KEY), StoredKey::Other);
        assert_eq!(StoredKey::of("elsewhere"), StoredKey::Other);
    }
}
