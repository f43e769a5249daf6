//! The document library: which documents the browser holds, which one is open, and how much of
//! the browser's storage they use. Pure bookkeeping; the storage layer persists it as an index
//! beside one stored file per document.

use serde::{Deserialize, Serialize};

use super::model::AnnotatedDocument;

/// Roughly how many characters (UTF-16 code units) browsers let one site keep in localStorage.
pub const STORAGE_LIMIT: usize = 5_000_000;

/// From this share of [`STORAGE_LIMIT`] on, the meter warns.
pub const WARN_AT_PERCENT: usize = 80;

/// One document of the library, as the list shows it without loading the document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: String,
    pub title: String,
    pub spans: usize,
    /// Characters (UTF-16 code units, as browsers count them) the stored file takes.
    pub stored: usize,
}

impl Entry {
    /// The entry for `doc`, whose stored file takes `stored` characters.
    pub fn of(doc: &AnnotatedDocument, stored: usize) -> Self {
        Entry {
            id: doc.document.id.clone(),
            title: doc.document.title.clone(),
            spans: doc.spans().len(),
            stored,
        }
    }
}

/// The documents in the browser, in the order they were added, and the one that is open.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Library {
    pub documents: Vec<Entry>,
    #[serde(default)]
    pub current: Option<String>,
}

/// How full the browser's storage is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fill {
    Fine,
    /// At least [`WARN_AT_PERCENT`] % used.
    Near,
    /// At or over the limit: the next save may be refused.
    Full,
}

impl Library {
    /// The entry with this id.
    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.documents.iter().find(|e| e.id == id)
    }

    /// `id` if no document has it yet, otherwise `id-2`, `id-3`…
    pub fn free_id(&self, id: &str) -> String {
        self.free_id_unless(id, |_| false)
    }

    /// Like [`Library::free_id`], also passing over the ids `taken` says are in use elsewhere
    /// (stored by another tab, or deleted here moments ago).
    pub fn free_id_unless(&self, id: &str, taken: impl Fn(&str) -> bool) -> String {
        let free = |candidate: &str| self.entry(candidate).is_none() && !taken(candidate);
        if free(id) {
            return id.to_owned();
        }
        (2u64..)
            .map(|n| format!("{id}-{n}"))
            .find(|candidate| free(candidate))
            .unwrap_or_default()
    }

    /// Adds `doc` under an id no other document has (changing `doc`'s id if needed); returns it.
    pub fn add(&mut self, doc: &mut AnnotatedDocument, stored: usize) -> String {
        self.add_unless(doc, stored, |_| false)
    }

    /// Like [`Library::add`], also passing over the ids `taken` says are in use elsewhere.
    pub fn add_unless(
        &mut self,
        doc: &mut AnnotatedDocument,
        stored: usize,
        taken: impl Fn(&str) -> bool,
    ) -> String {
        let id = self.free_id_unless(&doc.document.id, taken);
        doc.document.id = id.clone();
        self.documents.push(Entry::of(doc, stored));
        id
    }

    /// Brings the entry of `doc` up to date; `false` when nothing changed (or it is not listed).
    pub fn update(&mut self, doc: &AnnotatedDocument, stored: usize) -> bool {
        let fresh = Entry::of(doc, stored);
        match self.documents.iter_mut().find(|e| e.id == fresh.id) {
            Some(e) if *e != fresh => {
                *e = fresh;
                true
            }
            _ => false,
        }
    }

    /// Removes document `id` and returns its entry. When it was the current one, its next
    /// neighbour (or the previous one) becomes current.
    pub fn remove(&mut self, id: &str) -> Option<Entry> {
        let i = self.documents.iter().position(|e| e.id == id)?;
        let entry = self.documents.remove(i);
        if self.current.as_deref() == Some(id) {
            self.current = self
                .documents
                .get(i)
                .or_else(|| self.documents.last())
                .map(|e| e.id.clone());
        }
        Some(entry)
    }

    /// This tab's list brought together with `stored`, the index as another tab wrote it.
    ///
    /// A document either list names stays while it is still stored, and its entry is the one
    /// `stored_entry` reads from its stored file (`None`: the file is gone, another tab deleted
    /// it). That read is made only where the lists disagree. `open`, the document this tab
    /// shows, always stays with this tab's entry: it is in memory here, and saving it restores
    /// its file. This tab's order comes first, documents only `stored` names after them; the
    /// current document stays this tab's.
    pub fn reconciled(
        &self,
        stored: &Library,
        open: Option<&str>,
        stored_entry: impl Fn(&str) -> Option<Entry>,
    ) -> Library {
        let mut documents = Vec::with_capacity(self.documents.len().max(stored.documents.len()));
        for ours in &self.documents {
            if open == Some(ours.id.as_str()) || stored.entry(&ours.id) == Some(ours) {
                documents.push(ours.clone());
            } else if let Some(fresh) = stored_entry(&ours.id) {
                documents.push(fresh);
            }
        }
        for theirs in &stored.documents {
            if self.entry(&theirs.id).is_none() {
                if let Some(fresh) = stored_entry(&theirs.id) {
                    documents.push(fresh);
                }
            }
        }
        Library {
            documents,
            current: self.current.clone(),
        }
    }

    /// Characters the documents take in storage. The sizes come from a stored index, which
    /// may say anything: the sum stops at `usize::MAX` rather than overflow.
    pub fn stored(&self) -> usize {
        self.documents
            .iter()
            .fold(0, |sum: usize, e| sum.saturating_add(e.stored))
    }

    /// How full storage is when `used` characters of [`STORAGE_LIMIT`] are taken.
    pub fn fill(used: usize) -> Fill {
        if used >= STORAGE_LIMIT {
            Fill::Full
        } else if used * 100 >= STORAGE_LIMIT * WARN_AT_PERCENT {
            Fill::Near
        } else {
            Fill::Fine
        }
    }
}

#[cfg(test)]
mod tests;
