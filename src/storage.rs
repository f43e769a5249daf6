//! The only code that touches localStorage (through gloo-storage).
//!
//! Layout version 2: the library index under [`INDEX_KEY`] and each document as a native
//! Spanmark file under [`DOCUMENT_PREFIX`]`<id>`, so that saving one document never rewrites the
//! others. Version 1 kept a single document under [`V1_DOCUMENT_KEY`]; it is moved into the
//! library on the first start. Data that cannot be read is copied aside under a backup key
//! before anything else may overwrite it.

use gloo_storage::{LocalStorage, Storage as _};

use spanmark_core::library::{Entry, Library};
use spanmark_core::AnnotatedDocument;
use spanmark_formats::native;
use spanmark_formats::team::project::Project;

/// The library index: the documents' ids, titles and sizes, and which one is open.
pub const INDEX_KEY: &str = "spanmark:v2:index";
/// Each document lives under this prefix followed by its id.
pub const DOCUMENT_PREFIX: &str = "spanmark:v2:doc:";
/// Where version 1 of the layout kept its only document.
pub const V1_DOCUMENT_KEY: &str = "spanmark:v1:document";

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

/// `doc` as it is stored: its native file, compact.
pub fn serialize(doc: &AnnotatedDocument) -> String {
    // Serializing plain structs of strings and integers cannot fail.
    serde_json::to_string(&native::file(doc)).unwrap_or_default()
}

/// How many characters (UTF-16 code units, as browsers count them) `raw` takes.
pub fn stored_chars(raw: &str) -> usize {
    raw.encode_utf16().count()
}

/// How many characters (UTF-16 code units) `doc` takes in storage, its key included.
pub fn stored_size(doc: &AnnotatedDocument) -> usize {
    stored_chars(&serialize(doc)) + DOCUMENT_PREFIX.len() + doc.document.id.len()
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
        let storage = local_storage().ok_or(StorageError::Unavailable)?;
        let raw = storage
            .get_item(&self.key)
            .map_err(|_| StorageError::Unavailable)?;
        let Some(raw) = raw else { return Ok(None) };
        native::parse(&raw).map(Some).map_err(|e| {
            let backup = backup_key(&self.key);
            let kept = storage.set_item(&backup, &raw).is_ok();
            StorageError::Unreadable {
                reason: e.to_string(),
                kept_as: kept.then_some(backup),
            }
        })
    }

    /// Writes `doc`, replacing what was stored, and returns how many characters (UTF-16 code
    /// units, as browsers count them) it takes. A refused write leaves the previous data whole.
    pub fn save(&self, doc: &AnnotatedDocument) -> Result<usize, StorageError> {
        self.write(&serialize(doc))
    }

    /// Writes `raw` (what [`serialize`] made of a document), replacing what was stored, and
    /// returns how many characters it takes. A refused write leaves the previous data whole.
    pub fn write(&self, raw: &str) -> Result<usize, StorageError> {
        self.write_counted(raw, stored_chars(raw))
    }

    /// [`Store::write`] of `raw` whose length in characters, `chars`, is known already.
    pub fn write_counted(&self, raw: &str, chars: usize) -> Result<usize, StorageError> {
        let storage = local_storage().ok_or(StorageError::Unavailable)?;
        storage.set_item(&self.key, raw).map_err(from_js)?;
        Ok(chars + self.key.len())
    }

    /// Removes what is stored.
    pub fn remove(&self) -> Result<(), StorageError> {
        let storage = local_storage().ok_or(StorageError::Unavailable)?;
        storage.remove_item(&self.key).map_err(from_js)
    }

    /// Reads the raw stored string.
    pub fn raw(&self) -> Option<String> {
        raw(&self.key)
    }
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
                        let stored = store.raw().map_or(0, |r| r.encode_utf16().count());
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
    match v1.load() {
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

/// What is stored under `key`, if anything (and storage can be read).
pub fn raw(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// The library entry of document `id` as stored; `None` when it is not stored or cannot be read.
pub fn stored_entry(id: &str) -> Option<Entry> {
    let store = document_store(id);
    let raw = store.raw()?;
    let doc = native::parse(&raw).ok()?;
    Some(Entry::of(&doc, stored_chars(&raw) + store.key().len()))
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
            StoredKey::of("spanmark:v2:doc:doc-1"),
            StoredKey::Document("doc-1")
        );
        assert_eq!(
            StoredKey::of("spanmark:v2:doc:doc-1:unreadable:1796324416741"),
            StoredKey::Other
        );
        assert_eq!(StoredKey::of(PREFS_KEY), StoredKey::Other);
        assert_eq!(StoredKey::of(TEAM_KEY), StoredKey::Other);
        assert_eq!(StoredKey::of("elsewhere"), StoredKey::Other);
    }
}
