//! The only code that touches localStorage (through gloo-storage).
//!
//! The current document is stored as a native Spanmark file under a versioned key. Data that
//! cannot be read is copied aside under a backup key before anything else may overwrite it.

use gloo_storage::{LocalStorage, Storage as _};

use crate::core::AnnotatedDocument;
use crate::formats::native;

/// Where the current document lives (version 1 of the storage layout).
pub const DOCUMENT_KEY: &str = "spanmark:v1:document";

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
            StorageError::Unreadable { reason, kept_as: Some(key) } => {
                write!(f, "the saved work could not be read ({reason}); it was kept unchanged under the storage key \"{key}\"")
            }
            StorageError::Unreadable { reason, kept_as: None } => write!(
                f,
                "the saved work could not be read ({reason}) and could not be copied aside, so it is left untouched and nothing will be saved over it"
            ),
            StorageError::Browser(e) => write!(f, "the browser refused to save: {e}"),
        }
    }
}

impl std::error::Error for StorageError {}

/// A place in localStorage that holds one annotated document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Store {
    key: String,
}

impl Default for Store {
    fn default() -> Self {
        Store::new(DOCUMENT_KEY)
    }
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
            let backup = format!("{}:unreadable:{}", self.key, js_sys::Date::now() as u64);
            let kept = storage.set_item(&backup, &raw).is_ok();
            StorageError::Unreadable {
                reason: e.to_string(),
                kept_as: kept.then_some(backup),
            }
        })
    }

    /// Writes `doc`, replacing what was stored.
    pub fn save(&self, doc: &AnnotatedDocument) -> Result<(), StorageError> {
        local_storage().ok_or(StorageError::Unavailable)?;
        LocalStorage::set(&self.key, native::file(doc)).map_err(from_gloo)
    }

    /// Reads the raw stored string, for diagnostics and tests.
    pub fn raw(&self) -> Option<String> {
        local_storage()?.get_item(&self.key).ok().flatten()
    }
}

/// Where small preferences live (a JSON object, e.g. `{"theme":"dark"}`).
pub const PREFS_KEY: &str = "spanmark:v1:prefs";

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
            let backup = format!("{PREFS_KEY}:unreadable:{}", js_sys::Date::now() as u64);
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
