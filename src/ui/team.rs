//! Team sync: the library's copies of a team project's documents kept in step with the
//! project's CouchDB database (docs/TEAM.md), local-first.
//!
//! Every edit lands in localStorage first, as always (the autosave). An edit of a team copy
//! also marks it waiting ([`Tracked::edited`], kept in storage with the project, so that it
//! survives a reload) and sends it shortly after: a PUT of the annotator's `ann:` document with
//! the revision it replaces. A 409 means another device changed it: its version is fetched and
//! merged three ways against the last version both had, and the merge is sent. Others' changes
//! (a new document, a curator's edit, this annotator's other device) arrive through the
//! database's `_changes` feed, long-polled from where it was last read. An unreachable server
//! leaves the edits waiting and is tried again; a 401 asks to sign in again (the waiting edits
//! stay); a 403 says the server's reason and offers the work as a download. The rules
//! themselves are the server's (`_design/spanmark`); nothing here is trusted for them.
//!
//! One round of syncing runs from *Connect* (or the start of the app, when the project was
//! connected) to *Disconnect*; a newer round ends an older one's loops.

use std::collections::HashSet;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Value};

use super::documents::{save_index, store_new, switch_to};
use super::editor::Editor;
use super::notices::{short, Notice};
use super::state::Session;
use crate::couch::{self, CouchError};
use crate::storage::{self, document_store};
use spanmark_core::AnnotatedDocument;
use spanmark_formats::team::plan::{gold_json, gold_key, Plan, Stage, PLAN_ID};
use spanmark_formats::team::project::{Key, Link, Project, QueueItem};
use spanmark_formats::team::sync::{same_annotations, Arrival, Tracked};
use spanmark_formats::team::{self, Status};

/// How long after an edit its copy is sent (edits in a burst go together).
const PUSH_DELAY: Duration = Duration::from_millis(300);
/// How long to wait before trying an unreachable server again.
const RETRY_MS: i32 = 2000;
/// How long the server may hold a long poll of the feed before answering that nothing changed.
const POLL_MS: u32 = 25_000;
/// How many changes one answer of the feed brings at most.
const FEED_LIMIT: u32 = 200;
/// How many times one copy is merged and sent again after conflicts, in one go.
const CONFLICT_ROUNDS: usize = 5;

/// Where the team sync stands, as the indicator says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncState {
    /// No team project is connected.
    Off,
    /// The server has everything made here, and this browser what the feed has said.
    Synced,
    /// Edits are on their way, or the feed is being read.
    Syncing,
    /// The server cannot be reached: edits wait here.
    Offline,
    /// The server no longer knows this user (the session ended): sign in again.
    SignIn,
}

/// Why a round of sending stopped.
enum Halt {
    Offline,
    SignIn,
}

/// The team project and its sync, shared as a context.
#[derive(Clone, Copy)]
pub struct Team {
    /// The project this browser syncs with, if any.
    pub project: RwSignal<Option<Project>>,
    pub state: RwSignal<SyncState>,
    /// Whether the Team dialog is open.
    pub dialog: RwSignal<bool>,
    /// The current round of syncing: loops of an older round stop.
    round: StoredValue<u64>,
    /// Whether a round of sending runs, and whether more was asked of it meanwhile.
    pushing: StoredValue<bool>,
    again: StoredValue<bool>,
    timer: StoredValue<Option<TimeoutHandle>>,
    /// The next change of the open document came from the server: not an edit to send.
    quiet: StoredValue<bool>,
    /// Copies the server refused (403): not sent again until edited again.
    refused: StoredValue<HashSet<String>>,
    /// Cancels the current round's requests when it ends: an answer to an older round (a
    /// long poll, with the cookie of a session since ended) must not be taken in.
    abort: StoredValue<Option<web_sys::AbortController>, LocalStorage>,
}

impl Team {
    fn new() -> Self {
        Team {
            project: RwSignal::new(None),
            state: RwSignal::new(SyncState::Off),
            dialog: RwSignal::new(false),
            round: StoredValue::new(0),
            pushing: StoredValue::new(false),
            again: StoredValue::new(false),
            timer: StoredValue::new(None),
            quiet: StoredValue::new(false),
            refused: StoredValue::new(HashSet::new()),
            abort: StoredValue::new_local(None),
        }
    }

    /// The link of library document `id`, if it is a team copy.
    pub fn link(&self, id: &str) -> Option<Link> {
        self.project
            .with_untracked(|p| p.as_ref()?.links.get(id).cloned())
    }

    /// Whose annotations library document `id` holds, if it is a team copy.
    fn link_user(&self, id: &str) -> Option<String> {
        self.project
            .with_untracked(|p| Some(p.as_ref()?.links.get(id)?.tracked.user.clone()))
    }

    /// The title of a copy of `user`'s annotations of a document titled `title`: named after
    /// them when they are not the signed-in user (a curator's copies of others' work).
    fn copy_title(&self, title: &str, user: &str) -> String {
        if user == self.user() {
            title.to_owned()
        } else {
            format!("{title}{}", others_suffix(user))
        }
    }

    /// Changes the link of library document `id` (if there is one) and stores the project.
    fn update_link(&self, id: &str, f: impl FnOnce(&mut Link)) {
        self.project.update(|p| {
            if let Some(link) = p.as_mut().and_then(|p| p.links.get_mut(id)) {
                f(link);
            }
        });
        self.save();
    }

    /// Stores the project (waiting edits and the feed's position survive a reload).
    fn save(&self) {
        self.project.with_untracked(|p| {
            if let Some(p) = p {
                let _ = storage::save_project(p);
            }
        });
    }

    /// The server's address without its trailing `/`.
    fn server(&self) -> Option<String> {
        self.project.with_untracked(|p| {
            p.as_ref()
                .map(|p| p.server.trim_end_matches('/').to_owned())
        })
    }

    /// The project database's address.
    fn db_url(&self) -> Option<String> {
        let db = self
            .project
            .with_untracked(|p| p.as_ref().map(|p| p.db.clone()))?;
        Some(format!("{}/{}", self.server()?, couch::encode(&db)))
    }

    /// The address of the database document `key`.
    fn doc_url(&self, key: &str) -> Option<String> {
        Some(format!("{}/{}", self.db_url()?, couch::encode(key)))
    }

    /// Who is signed in.
    fn user(&self) -> String {
        self.project
            .with_untracked(|p| p.as_ref().map(|p| p.user.clone()))
            .unwrap_or_default()
    }

    fn connected(&self) -> bool {
        self.project
            .with_untracked(|p| p.as_ref().is_some_and(|p| p.connected))
    }

    /// Whether copies wait to be sent (those the server refused aside).
    fn anything_waiting(&self) -> bool {
        let refused = self.refused.get_value();
        self.project.with_untracked(|p| {
            p.as_ref().is_some_and(|p| {
                p.waiting_ids()
                    .iter()
                    .any(|id| !refused.contains(id.as_str()))
            })
        })
    }

    /// After a request went through: synced, or still sending.
    fn reached(&self) {
        let next = if self.pushing.get_value() || self.anything_waiting() {
            SyncState::Syncing
        } else {
            SyncState::Synced
        };
        if self.state.get_untracked() != next {
            self.state.set(next);
        }
    }

    /// The current round's abort signal.
    fn signal(&self) -> Option<web_sys::AbortSignal> {
        self.abort
            .with_value(|a| a.as_ref().map(web_sys::AbortController::signal))
    }

    /// Ends the current round: its loops stop, and its requests in flight are cancelled.
    fn end_round(&self) {
        self.round.update_value(|r| *r += 1);
        if let Some(a) = self.abort.try_update_value(Option::take).flatten() {
            a.abort();
        }
    }

    fn same_round(&self, round: u64) -> bool {
        self.round.get_value() == round && self.connected()
    }
}

/// What names a copy of another annotator's work after them: ` — anna`.
fn others_suffix(user: &str) -> String {
    format!(" \u{2014} {user}")
}

/// Library document `id` as this tab has it: the open one, one held in memory, or stored.
fn local_copy(editor: Editor, session: Session, id: &str) -> Option<AnnotatedDocument> {
    if editor.open.id() == id {
        return Some(editor.open.doc.get_untracked());
    }
    if let Some(doc) = session
        .stash
        .with_value(|s| s.get(id).map(|(d, _)| d.clone()))
    {
        return Some(doc);
    }
    document_store(id).load().ok().flatten()
}

/// Makes `doc` (another version of library document `id`, from the server) the copy here: on
/// screen when it is open (the autosave stores it), otherwise in memory and in storage.
fn put_local(team: Team, editor: Editor, session: Session, id: &str, doc: AnnotatedDocument) {
    if editor.open.id() == id {
        team.quiet.set_value(true);
        editor.take_document(doc);
        return;
    }
    session.stash.update_value(|s| {
        if let Some(slot) = s.get_mut(id) {
            slot.0 = doc.clone();
        }
    });
    if session.may_save.get_value() {
        match document_store(id).save(&doc) {
            Ok(stored) => {
                let changed = session
                    .library
                    .try_update(|l| l.update(&doc, stored))
                    .unwrap_or(false);
                if changed {
                    save_index(editor, session);
                }
            }
            Err(e) => editor
                .notices
                .alert_with_details(super::autosave::not_saved(&e), e.details()),
        }
    }
}

/// The copy `doc` as the database names it (`document`, its id there).
fn as_remote(doc: &AnnotatedDocument, document: &str) -> AnnotatedDocument {
    let mut d = doc.clone();
    d.document.id = document.to_owned();
    d
}

/// Starts the team sync: the project stored in this browser (resumed when it was connected),
/// and what edits of team copies, deletions and the browser going online set off.
pub fn start(editor: Editor, session: Session) -> Team {
    let team = Team::new();
    match storage::load_project() {
        Ok(Some(project)) => {
            let connected = project.connected;
            team.project.set(Some(project));
            if connected {
                begin_round(team, editor, session);
            }
        }
        Ok(None) => {}
        Err(e) => editor
            .notices
            .alert_with_details(
                Notice::Warning(format!(
                    "Warning: {e}. Your documents are safe in this browser; Team\u{2026} connects to the project again."
                )),
                e.details(),
            ),
    }
    // An edit of the open document: if it is a team copy, it waits to be sent.
    Effect::new(move |previous: Option<String>| {
        let id = editor.open.doc.with(|d| d.document.id.clone());
        if previous.as_deref() == Some(id.as_str()) {
            if !team.quiet.try_update_value(std::mem::take).unwrap_or(false) {
                edited(team, editor, session, &id);
            }
        } else {
            team.quiet.set_value(false);
        }
        id
    });
    // A copy deleted from the library is no longer followed.
    Effect::new(move |_| {
        let gone = session.library.with(|l| {
            team.project.with_untracked(|p| {
                p.as_ref()
                    .is_some_and(|p| p.links.keys().any(|id| l.entry(id).is_none()))
            })
        });
        if gone {
            let library = session.library.get_untracked();
            team.project.update(|p| {
                if let Some(p) = p {
                    p.keep_only(|id| library.entry(id).is_some());
                }
            });
            team.save();
        }
    });
    // Another tab of this browser stored the project: its new copies and newer revisions
    // are taken in, so that neither tab's record drops the other's.
    let other_tab = window_event_listener(leptos::ev::storage, move |ev| {
        if ev.key().as_deref() != Some(storage::TEAM_KEY) {
            return;
        }
        let Ok(Some(theirs)) = storage::load_project() else {
            return;
        };
        let changed = team
            .project
            .try_update(|p| p.as_mut().is_some_and(|p| p.absorb(&theirs)))
            .unwrap_or(false);
        if changed {
            team.save();
        }
    });
    let online = window_event_listener(leptos::ev::online, move |_| {
        if team.connected() {
            spawn_local(push_all(team, editor, session));
        }
    });
    on_cleanup(move || {
        online.remove();
        other_tab.remove();
    });
    team
}

/// Library document `id` was edited here: when it is a team copy, it waits and is sent soon.
fn edited(team: Team, editor: Editor, session: Session, id: &str) {
    // Most edits are of documents that are not team copies: those leave the project (and
    // what derives from it) untouched.
    if team.link_user(id).is_none() {
        return;
    }
    team.update_link(id, |link| {
        link.tracked.edited();
        link.edits = link.edits.saturating_add(1);
    });
    team.refused.update_value(|r| {
        r.remove(id);
    });
    schedule_push(team, editor, session);
}

/// Marks the signed-in user's copy `id` done (or in progress again): the status waits and is
/// sent soon, as an edit is. Whether it changed.
pub fn mark(team: Team, editor: Editor, session: Session, id: &str, status: Status) -> bool {
    let mut changed = false;
    team.update_link(id, |link| {
        changed = link.tracked.mark(status);
        if changed {
            link.edits = link.edits.saturating_add(1);
        }
    });
    if changed {
        team.refused.update_value(|r| {
            r.remove(id);
        });
        schedule_push(team, editor, session);
    }
    changed
}

/// The signed-in user's queue (docs/TEAM.md): the documents assigned to them, each with their
/// copy and where it stands (done when marked so; in progress once it has a span). Empty
/// without a project.
pub fn queue(team: Team, session: Session) -> Vec<QueueItem> {
    team.project.with(|p| {
        let Some(p) = p else { return Vec::new() };
        session.library.with(|l| {
            let mut items = p.queue(|id, link| {
                let spans = l.entry(id).map_or(0, |e| e.spans);
                Stage::of(Some(link.tracked.status()), spans)
            });
            // In the order of their titles (copies not here yet last).
            items.sort_by_cached_key(|q| {
                let title = q.local.as_deref().and_then(|id| l.entry(id));
                (title.is_none(), title.map(|e| e.title.clone()))
            });
            items
        })
    })
}

/// Opens the next document of the queue that is not done, after the open one (wrapping
/// round), or says that there is none. Whether there was one.
pub fn next_unfinished(team: Team, editor: Editor, session: Session) -> bool {
    let items = queue(team, session);
    let current = editor.open.id();
    let at = items
        .iter()
        .position(|q| q.local.as_deref() == Some(current.as_str()));
    let after = at.map_or(0, |i| i + 1);
    let next = (0..items.len())
        .map(|k| &items[(after + k) % items.len()])
        .find(|q| q.stage != Stage::Done && q.local.as_deref().is_some_and(|l| l != current));
    match next.and_then(|q| q.local.clone()) {
        Some(id) => {
            switch_to(editor, session, &id);
            true
        }
        None if items.is_empty() => false,
        None => {
            editor
                .notices
                .say("Every other document of your queue is done.");
            false
        }
    }
}

/// Everything the project's database holds that a dashboard reads: the project document and
/// every document, annotation and gold version (a curator's view: members may read it all).
pub async fn read_project(team: Team) -> Result<(Plan, Vec<Value>), CouchError> {
    let Some(db) = team.db_url() else {
        return Err(CouchError::NotFound);
    };
    let url = format!("{db}/_all_docs?include_docs=true");
    let answer = couch::request("GET", &url, None, None).await?;
    let rows: Vec<Value> = answer["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| r["doc"].clone())
        .filter(Value::is_object)
        .collect();
    let plan = rows
        .iter()
        .find(|r| r["_id"] == PLAN_ID)
        .and_then(|r| Plan::from_json(r).ok())
        .unwrap_or_default();
    Ok((plan, rows))
}

/// Writes the project document `plan` (over revision `rev`, the one read): a curator's
/// assignments.
pub async fn save_plan(team: Team, plan: &Plan, rev: Option<Value>) -> Result<(), CouchError> {
    let Some(url) = team.doc_url(PLAN_ID) else {
        return Err(CouchError::NotFound);
    };
    let mut body = plan.to_json();
    if let Some(rev) = rev.filter(|r| !r.is_null()) {
        body["_rev"] = rev;
    }
    couch::request("PUT", &url, Some(&body), None).await?;
    Ok(())
}

/// Saves `curated` on the server as the gold version of team document `document` (over an
/// older one), and says how it went.
pub async fn save_gold(team: Team, editor: Editor, document: &str, curated: &AnnotatedDocument) {
    let key = gold_key(document);
    let Some(url) = team.doc_url(&key) else {
        return;
    };
    let mut body = gold_json(curated, document, &team.user(), &couch::now());
    let result = match couch::request("GET", &url, None, None).await {
        Ok(old) => {
            body["_rev"] = old["_rev"].clone();
            couch::request("PUT", &url, Some(&body), None).await
        }
        Err(CouchError::NotFound) => couch::request("PUT", &url, Some(&body), None).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => editor.notices.say(format!(
            "Saved the curated document as the project's gold version of \u{201c}{}\u{201d}.",
            short(&curated.document.title)
        )),
        Err(e) => editor.notices.alert(Notice::Problem(format!(
            "The gold version was not saved on the team server: {e}. The curated document is in your Documents list; download it to keep a copy."
        ))),
    }
}

/// Sends what waits shortly (once for a burst of edits).
fn schedule_push(team: Team, editor: Editor, session: Session) {
    if !team.connected() || team.state.get_untracked() == SyncState::SignIn {
        return;
    }
    if matches!(team.state.get_untracked(), SyncState::Synced) {
        team.state.set(SyncState::Syncing);
    }
    if team.timer.with_value(Option::is_some) {
        return;
    }
    let handle = set_timeout_with_handle(
        move || {
            team.timer.set_value(None);
            spawn_local(push_all(team, editor, session));
        },
        PUSH_DELAY,
    );
    match handle {
        Ok(h) => team.timer.set_value(Some(h)),
        Err(_) => spawn_local(push_all(team, editor, session)),
    }
}

/// Starts a round of syncing: the feed is followed and what waits is sent.
fn begin_round(team: Team, editor: Editor, session: Session) {
    team.end_round();
    team.abort.set_value(web_sys::AbortController::new().ok());
    let round = team.round.get_value();
    team.state.set(SyncState::Syncing);
    spawn_local(follow(team, editor, session, round));
    spawn_local(push_all(team, editor, session));
}

/// Signs in to `server` as `user` and connects this browser to the project `db`: its documents
/// come into the library, and edits of them sync from now on. The password is sent once, to
/// CouchDB's `_session`, and never stored; the browser keeps the session's cookie. Signing in
/// again to the same project keeps its copies and their waiting edits.
pub async fn connect(
    team: Team,
    editor: Editor,
    session: Session,
    server: String,
    db: String,
    user: String,
    password: String,
) -> Result<(), String> {
    let base = server.trim_end_matches('/').to_owned();
    let signed_in = couch::request(
        "POST",
        &format!("{base}/_session"),
        Some(&json!({ "name": user, "password": password })),
        None,
    )
    .await
    .map_err(|e| match e {
        CouchError::Unauthorized(_) => "Wrong user name or password.".to_owned(),
        CouchError::Unreachable => format!("The team server at {server} cannot be reached."),
        CouchError::NotFound => format!("There is no team server at {server}."),
        e => format!("Could not sign in: {e}."),
    })?;
    let roles: Vec<&str> = signed_in["roles"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let curator = roles.contains(&team::CURATOR) || roles.contains(&"_admin");
    couch::request("GET", &format!("{base}/{}", couch::encode(&db)), None, None)
        .await
        .map_err(|e| match e {
            CouchError::NotFound => {
                format!("There is no project \u{201c}{db}\u{201d} on the team server.")
            }
            CouchError::Unauthorized(_) | CouchError::Forbidden(_) => {
                format!("{user} is not a member of the project \u{201c}{db}\u{201d}.")
            }
            CouchError::Unreachable => format!("The team server at {server} cannot be reached."),
            e => format!("Could not open the project \u{201c}{db}\u{201d}: {e}."),
        })?;
    let mut changed_user = false;
    team.project.update(|p| match p {
        Some(p) if p.is(&server, &db) => {
            if p.user != user {
                changed_user = true;
                // Another user's feed: read from the start, for their copies.
                p.since = None;
            }
            p.user = user.clone();
            p.curator = curator;
            p.connected = true;
        }
        _ => *p = Some(Project::new(&server, &db, &user, curator)),
    });
    team.save();
    if changed_user {
        name_others_copies(team, editor, session);
    }
    team.refused.update_value(HashSet::clear);
    let asked = editor.notices.alert.with_untracked(|a| {
        a.as_ref()
            .is_some_and(|a| a.text().starts_with("The team server asks you to sign in"))
    });
    if asked {
        editor.notices.alert.set(None);
    }
    editor.notices.say(format!(
        "Connected to the project \u{201c}{db}\u{201d} as {user}."
    ));
    begin_round(team, editor, session);
    Ok(())
}

/// Another user signed in: the copies of the previous user's work here are named after them
/// (as a curator's copies of others' work are), before anything else happens to them.
fn name_others_copies(team: Team, editor: Editor, session: Session) {
    let me = team.user();
    let others: Vec<(String, String)> = team.project.with_untracked(|p| {
        p.as_ref()
            .map(|p| {
                p.links
                    .iter()
                    .filter(|(_, l)| l.tracked.user != me)
                    .map(|(id, l)| (id.clone(), l.tracked.user.clone()))
                    .collect()
            })
            .unwrap_or_default()
    });
    for (id, user) in others {
        if let Some(mut doc) = local_copy(editor, session, &id) {
            if !doc.document.title.ends_with(&others_suffix(&user)) {
                doc.document.title = team.copy_title(&doc.document.title, &user);
                put_local(team, editor, session, &id, doc);
            }
        }
    }
}

/// Stops syncing and signs out; the team copies stay in the library, with any waiting edits
/// (sent when this browser connects to the project again).
pub fn disconnect(team: Team, editor: Editor) {
    let server = team.server();
    team.end_round();
    team.project.update(|p| {
        if let Some(p) = p {
            p.connected = false;
        }
    });
    team.save();
    team.state.set(SyncState::Off);
    if let Some(server) = server {
        spawn_local(async move {
            let _ = couch::request("DELETE", &format!("{server}/_session"), None, None).await;
        });
    }
    editor
        .notices
        .say("Disconnected from the team project; its documents stay in this browser.");
}

/// Sends every copy that waits, one after another, until nothing waits or the server cannot
/// take more now.
async fn push_all(team: Team, editor: Editor, session: Session) {
    if !team.connected() {
        return;
    }
    if team.pushing.get_value() {
        team.again.set_value(true);
        return;
    }
    let round = team.round.get_value();
    team.pushing.set_value(true);
    let mut halted = None;
    loop {
        team.again.set_value(false);
        let refused = team.refused.get_value();
        let ids: Vec<String> = team
            .project
            .with_untracked(|p| p.as_ref().map(Project::waiting_ids))
            .unwrap_or_default()
            .into_iter()
            .filter(|id| !refused.contains(id))
            .collect();
        for id in ids {
            if !team.same_round(round) {
                break;
            }
            if let Err(halt) = push_one(team, editor, session, &id).await {
                halted = Some(halt);
                break;
            }
        }
        if halted.is_some() || !team.again.get_value() || !team.same_round(round) {
            break;
        }
    }
    team.pushing.set_value(false);
    if !team.same_round(round) {
        return;
    }
    match halted {
        Some(Halt::Offline) => {
            team.state.set(SyncState::Offline);
            // The feed tries again too; this is for when it is waiting on a long poll.
            spawn_local(async move {
                couch::sleep(RETRY_MS * 2).await;
                if team.same_round(round) && team.state.get_untracked() == SyncState::Offline {
                    push_all(team, editor, session).await;
                }
            });
        }
        Some(Halt::SignIn) => ask_to_sign_in(team, editor),
        None => team.reached(),
    }
}

/// Sends copy `id` if it waits: merged with the server's version first when another device
/// changed it meanwhile (a 409).
async fn push_one(team: Team, editor: Editor, session: Session, id: &str) -> Result<(), Halt> {
    for _ in 0..CONFLICT_ROUNDS {
        let Some(link) = team.link(id) else {
            return Ok(());
        };
        if !link.tracked.waiting {
            return Ok(());
        }
        let Some(local) = local_copy(editor, session, id) else {
            return Ok(());
        };
        let view = as_remote(&local, &link.document);
        let doc_json = team::document_json(&view);
        // Edited back to what the server has: nothing to send.
        let unchanged = !link.tracked.status_waits()
            && link.tracked.base.as_ref().is_some_and(|base| {
                team::assemble(&doc_json, Some(base)).is_ok_and(|s| same_annotations(&s, &view))
            });
        if unchanged {
            team.update_link(id, |l| {
                l.tracked.waiting = false;
                l.edits = 0;
            });
            return Ok(());
        }
        let Some(body) = link
            .tracked
            .outgoing(&view, link.tracked.status(), &couch::now())
        else {
            return Ok(());
        };
        let Some(url) = team.doc_url(&team::ann_key(&link.document, &link.tracked.user)) else {
            return Ok(());
        };
        let sent_edits = link.edits;
        match couch::request("PUT", &url, Some(&body), team.signal().as_ref()).await {
            Ok(reply) => {
                let rev = reply["rev"].as_str().unwrap_or_default().to_owned();
                // The copy as it is now: edited while the request was on its way, it waits still.
                let now = local_copy(editor, session, id).unwrap_or(local);
                let view = as_remote(&now, &link.document);
                let doc_json = team::document_json(&view);
                team.update_link(id, |l| {
                    l.tracked.pushed(&body, &rev, &view, &doc_json);
                    l.edits = if l.tracked.waiting {
                        l.edits.saturating_sub(sent_edits).max(1)
                    } else {
                        0
                    };
                });
                team.reached();
                return Ok(());
            }
            Err(CouchError::Conflict) => {
                match couch::request("GET", &url, None, team.signal().as_ref()).await {
                    Ok(theirs) => arrive(team, editor, session, id, &theirs),
                    // Gone from the server since: sent again as new.
                    Err(CouchError::NotFound) => team.update_link(id, |l| l.tracked.rev = None),
                    Err(e) => return stop_or_say(team, editor, session, id, e),
                }
            }
            Err(e) => return stop_or_say(team, editor, session, id, e),
        }
    }
    Ok(())
}

/// The server no longer knows the user (the session ended, the account changed): the
/// indicator and the alert ask to sign in again; what waits stays waiting.
fn ask_to_sign_in(team: Team, editor: Editor) {
    if team.state.get_untracked() == SyncState::SignIn {
        return;
    }
    team.state.set(SyncState::SignIn);
    // Nothing more is asked until the user signs in again (a new round).
    team.end_round();
    editor.notices.alert(Notice::Warning(
        "The team server asks you to sign in again (Team\u{2026}). Your changes wait in this browser until you do."
            .into(),
    ));
}

/// A request about copy `id` failed with `e`: sending stops while the server cannot be
/// reached or does not know the user; a refusal is said, with the work offered as a download.
fn stop_or_say(
    team: Team,
    editor: Editor,
    session: Session,
    id: &str,
    e: CouchError,
) -> Result<(), Halt> {
    match e {
        CouchError::Unreachable => Err(Halt::Offline),
        CouchError::Unauthorized(_) => Err(Halt::SignIn),
        e => {
            team.refused.update_value(|r| {
                r.insert(id.to_owned());
            });
            let local = local_copy(editor, session, id);
            let title = local
                .as_ref()
                .map(|d| short(&d.document.title))
                .unwrap_or_default();
            editor.notices.alert(Notice::Problem(format!(
                "The team server refused the changes to \u{201c}{title}\u{201d}: {e} They are kept in this browser; download them to keep a copy."
            )));
            session.refused.set(local);
            Ok(())
        }
    }
}

/// Takes in `theirs`, the server's version of the annotations copy `id` holds: as it is when
/// nothing waits here, merged three ways otherwise (and the merge then waits to be sent).
fn arrive(team: Team, editor: Editor, session: Session, id: &str, theirs: &Value) {
    let (Some(link), Some(local)) = (team.link(id), local_copy(editor, session, id)) else {
        return;
    };
    let view = as_remote(&local, &link.document);
    let doc_json = team::document_json(&view);
    let mut tracked = link.tracked.clone();
    let title = short(&local.document.title);
    let own = link.tracked.user == team.user();
    match tracked.arrived(&doc_json, theirs, &view) {
        Ok(Arrival::Unchanged) => return,
        Ok(Arrival::Took(mut doc)) => {
            if !same_annotations(&doc, &view) {
                doc.document.id = local.document.id.clone();
                put_local(team, editor, session, id, doc);
                if own {
                    editor.notices.say(format!(
                        "Brought in the changes made to \u{201c}{title}\u{201d} on another device."
                    ));
                }
            }
        }
        Ok(Arrival::Merged { mut doc, report }) => {
            doc.document.id = local.document.id.clone();
            put_local(team, editor, session, id, doc);
            if report.conflicts.is_empty() {
                editor.notices.say(format!(
                    "Merged the changes made to \u{201c}{title}\u{201d} on another device."
                ));
            } else {
                editor.notices.alert(Notice::Warning(format!(
                    "\u{201c}{title}\u{201d} was changed on another device too. Both versions are kept: {}.",
                    report.conflicts.join("; ")
                )));
            }
        }
        Err(e) => {
            editor.notices.alert(Notice::Warning(format!(
                "The server's version of \u{201c}{title}\u{201d} could not be read ({e}); the copy here is unchanged."
            )));
            return;
        }
    }
    let waiting = tracked.waiting;
    team.update_link(id, |l| {
        l.tracked = tracked;
        l.edits = if waiting { l.edits.max(1) } else { 0 };
    });
    if waiting {
        schedule_push(team, editor, session);
    }
}

/// Follows the database's `_changes` feed from where it was last read, long-polling, until
/// the round ends or the server no longer knows the user.
async fn follow(team: Team, editor: Editor, session: Session, round: u64) {
    while team.same_round(round) {
        let Some(db) = team.db_url() else { return };
        let since = team
            .project
            .with_untracked(|p| p.as_ref().and_then(|p| p.since.clone()))
            .map_or_else(
                || "0".to_owned(),
                |s| s.as_str().map_or_else(|| s.to_string(), str::to_owned),
            );
        let url = format!(
            "{db}/_changes?feed=longpoll&include_docs=true&limit={FEED_LIMIT}&timeout={POLL_MS}&since={}",
            couch::encode(&since)
        );
        let reply = couch::request("GET", &url, None, team.signal().as_ref()).await;
        if !team.same_round(round) {
            return;
        }
        let reply = match reply {
            Ok(reply) => reply,
            Err(CouchError::Unreachable) => {
                team.state.set(SyncState::Offline);
                couch::sleep(RETRY_MS).await;
                continue;
            }
            Err(CouchError::Unauthorized(_)) => {
                ask_to_sign_in(team, editor);
                return;
            }
            Err(e) => {
                editor.notices.alert(Notice::Problem(format!(
                    "The team project cannot be followed: {e}. Your work is saved in this browser and waits to be sent; Team\u{2026} signs in again or chooses another project."
                )));
                team.state.set(SyncState::Offline);
                couch::sleep(RETRY_MS * 5).await;
                continue;
            }
        };
        let was_offline = team.state.get_untracked() == SyncState::Offline;
        let empty = Vec::new();
        let results = reply["results"].as_array().unwrap_or(&empty);
        let mut failed = None;
        for change in results {
            if change["deleted"].as_bool() == Some(true) {
                continue;
            }
            if let Err(e) = take_change(team, editor, session, &change["doc"]).await {
                failed = Some(e);
                break;
            }
            if !team.same_round(round) {
                return;
            }
        }
        match failed {
            // Read again from the same place next time.
            Some(CouchError::Unauthorized(_)) => {
                ask_to_sign_in(team, editor);
                return;
            }
            Some(_) => {
                team.state.set(SyncState::Offline);
                couch::sleep(RETRY_MS).await;
                continue;
            }
            None => {}
        }
        let last = reply["last_seq"].clone();
        if !last.is_null() {
            team.project.update(|p| {
                if let Some(p) = p {
                    p.since = Some(last);
                }
            });
            team.save();
        }
        if team.state.get_untracked() == SyncState::Offline
            || team.state.get_untracked() == SyncState::Syncing
        {
            team.reached();
        }
        if was_offline || team.anything_waiting() {
            spawn_local(push_all(team, editor, session));
        }
    }
}

/// One change from the feed (the database document `doc` as it is now).
async fn take_change(
    team: Team,
    editor: Editor,
    session: Session,
    doc: &Value,
) -> Result<(), CouchError> {
    let Some(id) = doc["_id"].as_str() else {
        return Ok(());
    };
    let (wanted, me) = team.project.with_untracked(|p| {
        p.as_ref()
            .map_or((false, String::new()), |p| (p.wants(id), p.user.clone()))
    });
    if !wanted {
        return Ok(());
    }
    if id == PLAN_ID {
        // The project's assignments and schema: read as the curators wrote them; a document
        // that cannot be read leaves the last one in place.
        if let Ok(plan) = Plan::from_json(doc) {
            team.project.update(|p| {
                if let Some(p) = p {
                    p.plan = Some(plan);
                }
            });
            team.save();
        }
        return Ok(());
    }
    match Key::of(id) {
        Some(Key::Doc(document)) => {
            let copies: Vec<String> = team.project.with_untracked(|p| {
                p.as_ref()
                    .map(|p| p.copies_of(document).map(str::to_owned).collect())
                    .unwrap_or_default()
            });
            for copy in &copies {
                document_changed(team, editor, session, copy, doc);
            }
            // A copy for the signed-in user; their annotations, if they have any, follow in
            // the feed (or came before: then the copy is there already).
            let mine = team
                .project
                .with_untracked(|p| p.as_ref().and_then(|p| p.local_of(document, &me)).is_some());
            if !mine {
                add_copy(team, editor, session, document, &me, doc, None);
            }
        }
        Some(Key::Ann { document, user }) => {
            let local = team.project.with_untracked(|p| {
                p.as_ref()
                    .and_then(|p| p.local_of(document, user).map(str::to_owned))
            });
            match local {
                Some(local) => arrive(team, editor, session, &local, doc),
                None => {
                    let Some(url) = team.doc_url(&team::doc_key(document)) else {
                        return Ok(());
                    };
                    match couch::request("GET", &url, None, team.signal().as_ref()).await {
                        Ok(d) => add_copy(team, editor, session, document, user, &d, Some(doc)),
                        // Annotations of a document that is not (or no longer) there.
                        Err(CouchError::NotFound) => {}
                        Err(e) => return Err(e),
                    }
                }
            }
        }
        None => {}
    }
    Ok(())
}

/// Adds a copy of `user`'s annotations (`ann`, when they have any) of the team document
/// `doc_json` to the library. Another annotator's copy (a curator sees everyone's) is named
/// after them.
#[allow(clippy::too_many_arguments)]
fn add_copy(
    team: Team,
    editor: Editor,
    session: Session,
    document: &str,
    user: &str,
    doc_json: &Value,
    ann: Option<&Value>,
) {
    let mut doc = match team::assemble(doc_json, ann) {
        Ok(doc) => doc,
        Err(e) => {
            editor.notices.alert(Notice::Warning(format!(
                "The team document \u{201c}{}\u{201d} could not be read: {e}. It was not added; your other documents are unchanged.",
                short(document)
            )));
            return;
        }
    };
    doc.document.title = team.copy_title(&doc.document.title, user);
    let Some(id) = store_new(editor, session, doc, false) else {
        return;
    };
    let mut tracked = Tracked::new(user);
    if let Some(ann) = ann {
        tracked.rev = ann["_rev"].as_str().map(str::to_owned);
        tracked.base = Some(ann.clone());
    }
    team.project.update(|p| {
        if let Some(p) = p {
            p.links.insert(
                id,
                Link {
                    document: document.to_owned(),
                    tracked,
                    edits: 0,
                },
            );
        }
    });
    team.save();
    save_index(editor, session);
}

/// A curator changed the team document `doc_json` (its title or schema; its text never
/// changes): copy `id` takes it, keeping its annotations.
fn document_changed(team: Team, editor: Editor, session: Session, id: &str, doc_json: &Value) {
    let (Some(link), Some(local)) = (team.link(id), local_copy(editor, session, id)) else {
        return;
    };
    if doc_json["text"].as_str() != Some(local.document.text.as_str()) {
        editor.notices.alert(Notice::Warning(format!(
            "The team document \u{201c}{}\u{201d} has another text on the server now; the copy here keeps its own.",
            short(&local.document.title)
        )));
        return;
    }
    let view = as_remote(&local, &link.document);
    let ann = team::annotation_json(&view, &link.tracked.user, Status::InProgress, "");
    let Ok(mut fresh) = team::assemble(doc_json, Some(&ann)) else {
        return;
    };
    fresh.document.title = team.copy_title(&fresh.document.title, &link.tracked.user);
    fresh.document.id = local.document.id.clone();
    if fresh.document.title != local.document.title || fresh.schema != local.schema {
        put_local(team, editor, session, id, fresh);
    }
}
