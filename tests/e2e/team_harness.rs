//! Infrastructure for team scenarios: a team server (pouchdb-server in memory, CouchDB's HTTP
//! API) with a project and its people, the app's origin passing `/couchdb/` on to it (and able
//! to lose it), and any number of browsers, each with its own profile: different people, or
//! one person's different devices.
//!
//! ```ignore
//! run_team_scenario("name", |world| async move {
//!     world.server.put_document(&doc);
//!     let anna = world.browser("anna").await;
//!     anna.client.goto(&anna.base_url).await.unwrap();
//!     world.down(true); // the team server is gone; the app's pages are still served
//! });
//! ```
//!
//! Like [`crate::harness::run_scenario`], everything is cleaned up through `Drop` guards and every
//! browser's console and network are checked at the end.

use std::future::Future;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use spanmark_core::AnnotatedDocument;
use spanmark_formats::team;

use crate::harness::{
    artefact_dir, browser_problems, close_browser, conclude, dist_dir, free_port, repo_root,
    scenario_runtime, Browser, ChromeDriver, Session, StaticServer, TempDir, SERIAL,
};

/// How long a whole team scenario may take: several browsers on a small machine.
pub const TEAM_SCENARIO_TIMEOUT: Duration = Duration::from_secs(300);

/// The server's admin (name, password).
pub const ADMIN: (&str, &str) = ("admin", "admin-secret");
/// The project's database.
pub const PROJECT: &str = "project";
/// The people of the project and their roles; each one's password is `<name>-pw`.
pub const PEOPLE: [(&str, &str); 3] = [
    ("anna", team::ANNOTATOR),
    ("ben", team::ANNOTATOR),
    ("cora", team::CURATOR),
];

/// The password of `name` (one of [`PEOPLE`], or a user made with [`TeamServer::add_user`]).
pub fn password(name: &str) -> String {
    if name == ADMIN.0 {
        ADMIN.1.to_owned()
    } else {
        format!("{name}-pw")
    }
}

// ---------------------------------------------------------------------------------------------
// The team server
// ---------------------------------------------------------------------------------------------

/// pouchdb-server in memory on a free loopback port, with the admin [`ADMIN`], the users of
/// [`PEOPLE`] and the database [`PROJECT`] with Spanmark's design document and security.
/// Killed, and its folder removed, when dropped.
pub struct TeamServer {
    child: Child,
    port: u16,
    /// Its working folder: pouchdb-server writes config.json and log.txt where it runs.
    _dir: TempDir,
    agent: ureq::Agent,
}

impl Drop for TeamServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl TeamServer {
    /// Starts the server and sets up the project; fails loudly if pouchdb-server is missing.
    pub fn start() -> TeamServer {
        let bin = repo_root().join(".tools/node_modules/.bin/pouchdb-server");
        assert!(
            bin.exists(),
            "{} is missing: `make setup` installs it",
            bin.display()
        );
        let port = free_port();
        let dir = TempDir::new("team-server");
        let child = Command::new(&bin)
            .args([
                "--in-memory",
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--no-stdout-logs",
            ])
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let server = TeamServer {
            child,
            port,
            _dir: dir,
            agent,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while server.request("GET", "/", None, None).0 != 200 {
            assert!(
                Instant::now() < deadline,
                "pouchdb-server did not start on port {port}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let (status, body) = server.request(
            "PUT",
            &format!("/_config/admins/{}", ADMIN.0),
            None,
            Some(&json!(ADMIN.1).to_string()),
        );
        assert_eq!(status, 200, "make the admin: {body}");
        for (name, role) in PEOPLE {
            server.add_user(name, &[role]);
        }
        server.admin_put(&format!("/{PROJECT}"), None);
        server.admin_put(
            &format!("/{PROJECT}/{}", team::DESIGN_ID),
            Some(&team::design_doc()),
        );
        server.admin_put(&format!("/{PROJECT}/_security"), Some(&team::security()));
        server
    }

    /// PUT as the admin, which must succeed (200 or 201).
    fn admin_put(&self, path: &str, body: Option<&Value>) -> Value {
        let body = body.map(Value::to_string);
        let (status, answer) = self.request("PUT", path, Some(ADMIN), body.as_deref());
        assert!(
            status == 200 || status == 201,
            "PUT {path} as the admin: {status} {answer}"
        );
        answer
    }

    /// The server's loopback port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The server's own URL (not through the app's origin), without a trailing slash.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Makes (or replaces) user `name` with password `<name>-pw` and `roles`. Replacing a
    /// user ends their sessions: their cookie is no longer accepted.
    pub fn add_user(&self, name: &str, roles: &[&str]) {
        let path = format!("/_users/org.couchdb.user:{name}");
        let mut user = json!({
            "_id": format!("org.couchdb.user:{name}"),
            "name": name,
            "password": password(name),
            "roles": roles,
            "type": "user",
        });
        let (status, old) = self.get(&path);
        if status == 200 {
            user["_rev"] = old["_rev"].clone();
        }
        self.admin_put(&path, Some(&user));
    }

    /// A request straight to the server (not through the app's origin), with Basic
    /// authentication as `auth` (name, password) when given. Returns the status and the body
    /// as JSON (`Value::Null` when it is not JSON). Status 0: no answer at all.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        auth: Option<(&str, &str)>,
        body: Option<&str>,
    ) -> (u16, Value) {
        let url = format!("{}{path}", self.url());
        let authorization = auth.map(|(user, pass)| {
            use base64::Engine;
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))
            )
        });
        let with_auth = |r: ureq::RequestBuilder<ureq::typestate::WithoutBody>| match &authorization
        {
            Some(a) => r.header("Authorization", a),
            None => r,
        };
        let with_body_auth = |r: ureq::RequestBuilder<ureq::typestate::WithBody>| {
            let r = r.header("Content-Type", "application/json");
            match &authorization {
                Some(a) => r.header("Authorization", a),
                None => r,
            }
        };
        let body = body.unwrap_or("");
        let result = match method {
            "GET" => with_auth(self.agent.get(&url)).call(),
            "HEAD" => with_auth(self.agent.head(&url)).call(),
            "DELETE" => with_auth(self.agent.delete(&url)).call(),
            "PUT" => with_body_auth(self.agent.put(&url)).send(body),
            "POST" => with_body_auth(self.agent.post(&url)).send(body),
            other => panic!("TeamServer::request does not do {other}"),
        };
        match result {
            Ok(mut response) => {
                let status = response.status().as_u16();
                let text = response.body_mut().read_to_string().unwrap_or_default();
                (status, serde_json::from_str(&text).unwrap_or(Value::Null))
            }
            Err(_) => (0, Value::Null),
        }
    }

    /// GET `path` as the admin.
    pub fn get(&self, path: &str) -> (u16, Value) {
        self.request("GET", path, Some(ADMIN), None)
    }

    /// Puts `doc` into the project as `doc:<id>` (title, text, schema), as a curator would;
    /// replaces what is there. Returns the new revision.
    pub fn put_document(&self, doc: &AnnotatedDocument) -> String {
        let key = team::doc_key(&doc.document.id);
        let path = format!("/{PROJECT}/{key}");
        let mut json = team::document_json(doc);
        let (status, old) = self.get(&path);
        if status == 200 {
            json["_rev"] = old["_rev"].clone();
        }
        let answer = self.admin_put(&path, Some(&json));
        answer["rev"].as_str().unwrap_or_default().to_owned()
    }

    /// `user`'s annotations of document `id` as the server holds them (`ann:<id>:<user>`),
    /// or None when there are none.
    pub fn annotations(&self, id: &str, user: &str) -> Option<Value> {
        let (status, body) = self.get(&format!("/{PROJECT}/{}", team::ann_key(id, user)));
        match status {
            200 => Some(body),
            404 => None,
            _ => panic!("GET the annotations of {user} on {id}: {status} {body}"),
        }
    }

    /// Waits (up to `within`) until `check` holds of `user`'s annotations of `id` on the
    /// server, and returns them; fails with the last version seen.
    pub async fn wait_for_annotations(
        &self,
        id: &str,
        user: &str,
        within: Duration,
        check: impl Fn(&Value) -> bool,
    ) -> Value {
        let deadline = Instant::now() + within;
        loop {
            let now = self.annotations(id, user);
            if let Some(ann) = now.as_ref().filter(|a| check(a)) {
                return ann.clone();
            }
            assert!(
                Instant::now() < deadline,
                "after {within:?} the server's annotations of {user} on {id} are still {now:#?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The world of a team scenario
// ---------------------------------------------------------------------------------------------

/// One browser opened in a team scenario, as the runner keeps it for the end.
struct Opened {
    who: String,
    browser: Browser,
}

/// What a team scenario gets: the team server, the app's origin (which passes `/couchdb/` on
/// to the server) and browsers to open.
#[derive(Clone)]
pub struct TeamWorld {
    pub server: Arc<TeamServer>,
    /// The app's URL, with a trailing slash; the team server is at `{base_url}couchdb/`.
    pub base_url: String,
    /// Whether the team server is unreachable from the app (see [`TeamWorld::down`]).
    pub down: Arc<AtomicBool>,
    driver: Arc<ChromeDriver>,
    opened: Arc<Mutex<Vec<Opened>>>,
}

impl TeamWorld {
    /// Opens a new Chromium session for `who` (any name: a person, or "anna-laptop"), with a
    /// profile, downloads and scratch folder of its own, so its own localStorage: another
    /// person, or another device. It starts on a blank page; go to `base_url`.
    pub async fn browser(&self, who: &str) -> Session {
        let browser = Browser::open(&self.driver, &self.base_url, who, &json!({})).await;
        let session = browser.session.clone();
        self.opened
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Opened {
                who: who.to_owned(),
                browser,
            });
        session
    }

    /// Takes the team server away from the app's origin (`true`: `/couchdb/` answers 502 and
    /// requests in flight are cut) or brings it back (`false`). The server itself keeps
    /// running, and the scenario can still reach it through [`TeamWorld::server`].
    pub fn down(&self, down: bool) {
        self.down.store(down, Ordering::Release);
    }

    /// Whether the team server is away (see [`TeamWorld::down`]).
    pub fn is_down(&self) -> bool {
        self.down.load(Ordering::Acquire)
    }

    /// The team server's URL as the app sees it: `{base_url}couchdb`, no trailing slash.
    pub fn couchdb_url(&self) -> String {
        format!("{}couchdb", self.base_url)
    }
}

/// Whether a (formatted) console entry is a failed request of the app to its team server on
/// `base_url` with an expected outcome: 401, 403, 404, 409 or 502, or a network error (a
/// connection cut while the server was down). Chromium logs each as SEVERE.
fn expected_team_failure(entry: &str, base_url: &str) -> bool {
    let Some(message) = entry.strip_prefix("[SEVERE] ") else {
        return false;
    };
    if !message.starts_with(&format!("{base_url}couchdb/")) {
        return false;
    }
    let Some((_, outcome)) = message.split_once(" - Failed to load resource: ") else {
        return false;
    };
    outcome.starts_with("net::ERR_")
        || ["401", "403", "404", "409", "502"].iter().any(|status| {
            outcome.starts_with(&format!("the server responded with a status of {status} "))
        })
}

/// Runs a team scenario: a [`TeamServer`], the app's `dist/` on an origin that passes
/// `/couchdb/` on to it, and one chromedriver for the browsers the scenario opens with
/// [`TeamWorld::browser`]. Everything is torn down whatever happens; then the scenario's
/// failure is re-raised, or it fails if any browser logged a SEVERE console entry (other than
/// an expected failed request to `/couchdb/`, see `expected_team_failure`) or made a request
/// that left the origin.
pub fn run_team_scenario<F, Fut>(name: &str, body: F)
where
    F: FnOnce(TeamWorld) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let _serial = SERIAL.lock().unwrap_or_else(PoisonError::into_inner);
    // Failure captures from an earlier run would only mislead.
    let stale = format!("failure-{name}-");
    if let Ok(entries) = std::fs::read_dir(artefact_dir()) {
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(&stale) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    let team_server = Arc::new(TeamServer::start());
    let runtime = scenario_runtime();
    runtime.block_on(async {
        let down = Arc::new(AtomicBool::new(false));
        let static_server =
            StaticServer::start_proxying(dist_dir(), team_server.port(), Arc::clone(&down));
        let base_url = static_server.base_url.clone();
        let driver = Arc::new(ChromeDriver::start());
        let opened = Arc::new(Mutex::new(Vec::new()));
        let world = TeamWorld {
            server: Arc::clone(&team_server),
            base_url: base_url.clone(),
            down,
            driver: Arc::clone(&driver),
            opened: Arc::clone(&opened),
        };

        // A spawned task turns a panic into a JoinError instead of unwinding through us, so
        // the cleanup below always runs.
        let outcome = tokio::time::timeout(TEAM_SCENARIO_TIMEOUT, tokio::spawn(body(world))).await;

        let failed = !matches!(outcome, Ok(Ok(())));
        let opened: Vec<Opened> =
            std::mem::take(&mut *opened.lock().unwrap_or_else(PoisonError::into_inner));
        let mut ends = Vec::new();
        for browser in &opened {
            let png: PathBuf = artefact_dir().join(format!("failure-{name}-{}.png", browser.who));
            let label = format!("{name} {}", browser.who);
            let end = close_browser(
                &driver,
                &browser.browser.session.client,
                &browser.browser.session_id,
                failed,
                &png,
                &label,
            )
            .await;
            ends.push(end);
        }
        drop(driver);
        drop(static_server);

        let mut bad = Vec::new();
        for (browser, end) in opened.iter().zip(ends) {
            let expected = browser
                .browser
                .session
                .expected_errors
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone();
            let label = format!("{name} {}", browser.who);
            bad.extend(
                browser_problems(&label, end, failed, &expected, &base_url)
                    .into_iter()
                    .filter(|entry| !expected_team_failure(entry, &base_url))
                    .map(|entry| format!("{}: {entry}", browser.who)),
            );
        }
        drop(opened);
        conclude(name, TEAM_SCENARIO_TIMEOUT, outcome, bad);
    });
    drop(runtime);
    drop(team_server);
}

/// No browser needed: which console entries a team scenario tolerates.
#[test]
fn only_expected_team_server_failures_are_tolerated() {
    let base = "http://127.0.0.1:4000/";
    let entry =
        |url: &str, outcome: &str| format!("[SEVERE] {url} - Failed to load resource: {outcome}");
    let status = |s: &str| format!("the server responded with a status of {s}");
    for ok in [
        entry(
            "http://127.0.0.1:4000/couchdb/_session",
            &status("401 (Unauthorized)"),
        ),
        entry(
            "http://127.0.0.1:4000/couchdb/project/doc:a",
            &status("404 (Not Found)"),
        ),
        entry(
            "http://127.0.0.1:4000/couchdb/project/ann:a:anna",
            &status("409 (Conflict)"),
        ),
        entry(
            "http://127.0.0.1:4000/couchdb/project",
            &status("502 (Bad Gateway)"),
        ),
        entry(
            "http://127.0.0.1:4000/couchdb/project/_changes?feed=longpoll",
            "net::ERR_EMPTY_RESPONSE",
        ),
    ] {
        assert!(expected_team_failure(&ok, base), "{ok}");
    }
    for bad in [
        entry(
            "http://127.0.0.1:4000/couchdb/project",
            &status("500 (Internal Server Error)"),
        ),
        entry(
            "http://127.0.0.1:4000/index.html",
            &status("404 (Not Found)"),
        ),
        entry(
            "http://127.0.0.1:5984/couchdb/project",
            &status("401 (Unauthorized)"),
        ),
        "[SEVERE] http://127.0.0.1:4000/couchdb/ panicked at src/team.rs".to_owned(),
        "[WARNING] http://127.0.0.1:4000/couchdb/x - Failed to load resource: net::ERR_FAILED"
            .to_owned(),
    ] {
        assert!(!expected_team_failure(&bad, base), "{bad}");
    }
}
