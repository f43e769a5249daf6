//! A team project as one browser knows it: where its database is, who signed in, how far the
//! database's `_changes` feed has been read, and which documents of the library are copies of
//! the project's (each a [`Link`]: the database's document id and where that copy stands,
//! [`Tracked`]). Pure and serializable: the app keeps it in storage beside the library, so
//! that waiting edits and the feed's position survive a reload.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::plan::{Plan, Stage, PLAN_ID};
use super::sync::Tracked;
use super::{ANN_PREFIX, DOC_PREFIX};

/// One document of the library that is a copy of a team document.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Link {
    /// The document's id in the database (after `doc:`).
    pub document: String,
    /// Whose annotations the copy holds, and where it stands with the server.
    pub tracked: Tracked,
    /// How many edits made here the server does not have yet.
    #[serde(default)]
    pub edits: u32,
}

/// One document of an annotator's queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueItem {
    /// The document's id in the database.
    pub document: String,
    /// The library id of the annotator's copy, once it has come.
    pub local: Option<String>,
    pub stage: Stage,
}

/// A team project: a database on a CouchDB server, and the library's copies of it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Project {
    /// The server's address as the app reaches it (`/couchdb/` on its own origin).
    pub server: String,
    /// The project's database.
    pub db: String,
    /// Who signed in last.
    pub user: String,
    /// Whether that user may curate (sees every annotator's work).
    #[serde(default)]
    pub curator: bool,
    /// Whether the app keeps in step with the server (false after *Disconnect*).
    #[serde(default)]
    pub connected: bool,
    /// How far the database's `_changes` feed has been read (its `last_seq`).
    #[serde(default)]
    pub since: Option<Value>,
    /// The library's copies of team documents, by their id in the library.
    #[serde(default)]
    pub links: BTreeMap<String, Link>,
    /// The project document as last read (assignments, the project's schema).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<Plan>,
}

/// What a database document's id says it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key<'a> {
    /// `doc:<document>`.
    Doc(&'a str),
    /// `ann:<document>:<user>` (the user is after the last `:`).
    Ann { document: &'a str, user: &'a str },
}

impl<'a> Key<'a> {
    /// The key of database id `id`, if it is a document's or an annotation's.
    pub fn of(id: &'a str) -> Option<Self> {
        if let Some(document) = id.strip_prefix(DOC_PREFIX) {
            return (!document.is_empty()).then_some(Key::Doc(document));
        }
        let rest = id.strip_prefix(ANN_PREFIX)?;
        let (document, user) = rest.rsplit_once(':')?;
        (!document.is_empty() && !user.is_empty()).then_some(Key::Ann { document, user })
    }
}

impl Project {
    /// A new project on `server`'s database `db`, signed in as `user`.
    pub fn new(server: &str, db: &str, user: &str, curator: bool) -> Self {
        Project {
            server: server.to_owned(),
            db: db.to_owned(),
            user: user.to_owned(),
            curator,
            connected: true,
            since: None,
            links: BTreeMap::new(),
            plan: None,
        }
    }

    /// Whether this is the same project (server and database) as `server`/`db`.
    pub fn is(&self, server: &str, db: &str) -> bool {
        self.server.trim_end_matches('/') == server.trim_end_matches('/') && self.db == db
    }

    /// The library id of the copy of `user`'s annotations of `document`, if there is one.
    pub fn local_of(&self, document: &str, user: &str) -> Option<&str> {
        self.links
            .iter()
            .find(|(_, l)| l.document == document && l.tracked.user == user)
            .map(|(id, _)| id.as_str())
    }

    /// The library ids of every copy of `document` (one per annotator whose work is here).
    pub fn copies_of<'s>(&'s self, document: &'s str) -> impl Iterator<Item = &'s str> + 's {
        self.links
            .iter()
            .filter(move |(_, l)| l.document == document)
            .map(|(id, _)| id.as_str())
    }

    /// How many copies have edits waiting to be sent.
    pub fn waiting(&self) -> usize {
        self.links.values().filter(|l| l.tracked.waiting).count()
    }

    /// How many edits made here wait to be sent, over every copy.
    pub fn waiting_edits(&self) -> u32 {
        self.links
            .values()
            .filter(|l| l.tracked.waiting)
            .map(|l| l.edits.max(1))
            .sum()
    }

    /// The copies with edits waiting, by library id.
    pub fn waiting_ids(&self) -> Vec<String> {
        self.links
            .iter()
            .filter(|(_, l)| l.tracked.waiting)
            .map(|(id, _)| id.clone())
            .collect()
    }

    /// Whether a database change to `id` concerns this browser: every document, the signed-in
    /// user's annotations, and, for a curator, everyone's.
    pub fn wants(&self, id: &str) -> bool {
        if id == PLAN_ID {
            return true;
        }
        match Key::of(id) {
            Some(Key::Doc(_)) => true,
            Some(Key::Ann { user, .. }) => self.curator || user == self.user,
            None => false,
        }
    }

    /// The signed-in user's queue: each document assigned to them (every document of the
    /// project when it assigns nothing), with the library id of their copy when there is one,
    /// in the order of the copies' ids. `stage` tells where a copy stands.
    pub fn queue(&self, stage: impl Fn(&str, &Link) -> Stage) -> Vec<QueueItem> {
        let mut documents: Vec<String> = self.links.values().map(|l| l.document.clone()).collect();
        documents.sort();
        documents.dedup();
        let plan = self.plan.clone().unwrap_or_default();
        plan.queue(&self.user, &documents)
            .into_iter()
            .map(|document| {
                let copy = self
                    .links
                    .iter()
                    .find(|(_, l)| l.document == document && l.tracked.user == self.user);
                QueueItem {
                    document: document.to_owned(),
                    local: copy.map(|(id, _)| id.clone()),
                    stage: copy.map_or(Stage::NotStarted, |(id, l)| stage(id, l)),
                }
            })
            .collect()
    }

    /// Takes in what another tab of this browser stored of the same project: copies it added
    /// are added here; for a copy both have, the other tab's record is taken when it has a
    /// newer revision from the server and nothing waits here (what waits here is sent, and
    /// merged with the server's version if need be). Returns whether anything changed.
    pub fn absorb(&mut self, other: &Project) -> bool {
        if !self.is(&other.server, &other.db) || self.user != other.user {
            return false;
        }
        let mut changed = false;
        if self.plan.is_none() && other.plan.is_some() {
            self.plan = other.plan.clone();
            changed = true;
        }
        for (id, theirs) in &other.links {
            match self.links.get_mut(id) {
                None => {
                    self.links.insert(id.clone(), theirs.clone());
                    changed = true;
                }
                Some(ours) => {
                    let newer = generation(theirs.tracked.rev.as_deref())
                        > generation(ours.tracked.rev.as_deref());
                    if newer && !ours.tracked.waiting {
                        *ours = theirs.clone();
                        changed = true;
                    }
                }
            }
        }
        changed
    }

    /// Forgets the copies whose documents left the library (deleted there).
    pub fn keep_only(&mut self, in_library: impl Fn(&str) -> bool) {
        self.links.retain(|id, _| in_library(id));
    }
}

/// The generation of a CouchDB revision (`3-abc…` → 3); 0 for none.
fn generation(rev: Option<&str>) -> u64 {
    rev.and_then(|r| r.split_once('-'))
        .and_then(|(n, _)| n.parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests;
