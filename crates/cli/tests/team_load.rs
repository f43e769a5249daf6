//! A load run against the local team server: 50 simulated annotators, one edit a second each
//! for 60 s, on 200 documents; the time from an edit to its arrival at another client (p50,
//! p95, max) and the edits lost (which must be none). Bounded in count and time, on loopback
//! only. Part of `make bench`, which puts its table into BENCHMARKS.md:
//!
//! ```text
//! cargo test --locked -p spanmark-cli --test team_load -- --ignored --nocapture
//! ```
//!
//! `SPANMARK_LOAD_SECONDS` shortens the run for a quick trial (the annotators and documents
//! stay 50 and 200).
//!
//! The server is pouchdb-server in memory (as in the team tests), set up as `spanmark init`
//! does: Spanmark's design document (whose `validate_doc_update` runs on every write) and
//! security. A curator's 200 `doc:` documents are generated news-like texts. Each annotator is
//! a thread with its own connection and session cookie, owning 4 documents' annotations
//! (`ann:<document>:<annotator>`): once a second it adds one span to the next of them and PUTs
//! the whole annotation with the revision it last had, as the app does (a 409 is answered by
//! taking the server's revision and trying again, and counted). Five observers (the curator
//! and four annotators) follow `_changes?feed=longpoll&include_docs=true` and note when each
//! version arrives. An edit has arrived at an observer when it receives a version of that
//! annotation with at least as many spans (annotations only grow here), so an edit that a
//! later one overtook still counts as arriving, when the later one does.

// Test code: a failed assumption should stop the test, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};
use spanmark_core::{Action, AnnotatedDocument, Document};
use spanmark_formats::team::{self, Status};

use common::{add_user, http, start_bare, ADMIN, ROOT};

const ANNOTATORS: usize = 50;
const DOCUMENTS: usize = 200;
/// Each annotator's documents: the 200 shared out, 4 each.
const OWN: usize = DOCUMENTS / ANNOTATORS;
/// Followers of the changes feed: the curator and four annotators.
const OBSERVERS: [(&str, &str); 5] = [
    ("cora", team::CURATOR),
    ("observer1", team::ANNOTATOR),
    ("observer2", team::ANNOTATOR),
    ("observer3", team::ANNOTATOR),
    ("observer4", team::ANNOTATOR),
];
const PROJECT: &str = "load";
/// How long a long poll waits for a change before it is asked again (CouchDB's rule;
/// pouchdb-server 4.2.0 waits for a change whatever it is told).
const LONG_POLL_MS: u64 = 2_000;
/// How long after the last edit the observers may take to receive everything.
const DRAIN: Duration = Duration::from_secs(30);
/// How far past the planned end of the edits the run may go before it is cut.
const GRACE: Duration = Duration::from_secs(60);
/// How long setting up the server may take.
const SETUP: Duration = Duration::from_secs(180);
const COMMAND: &str =
    "cargo test --locked -p spanmark-cli --test team_load -- --ignored --nocapture";

fn seconds() -> u64 {
    std::env::var("SPANMARK_LOAD_SECONDS")
        .ok()
        .map(|s| {
            s.parse()
                .unwrap_or_else(|_| panic!("SPANMARK_LOAD_SECONDS={s:?} is not a number"))
        })
        .unwrap_or(60)
}

/// Now as an ISO 8601 time (UTC, whole seconds): the `changed` of an annotation.
fn iso_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    spanmark_formats::archive::Stamp::from_unix(secs).iso()
}

/// Percent-encodes a query value.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One person's connection to the server, signed in with a session cookie as the app is.
struct Client {
    agent: ureq::Agent,
    port: u16,
    name: String,
    cookie: String,
    /// Sign-ins again after the server refused the cookie.
    sign_ins: usize,
}

impl Client {
    fn sign_in(port: u16, name: &str) -> Client {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        let mut client = Client {
            agent,
            port,
            name: name.to_owned(),
            cookie: String::new(),
            sign_ins: 0,
        };
        client.session();
        client
    }

    /// `POST /_session`: takes the `AuthSession` cookie.
    fn session(&mut self) {
        let body = json!({ "name": self.name, "password": format!("{}-pw", self.name) });
        let url = format!("http://127.0.0.1:{}/_session", self.port);
        for _ in 0..10 {
            if let Ok(response) = self
                .agent
                .post(&url)
                .header("Content-Type", "application/json")
                .send(body.to_string())
            {
                let cookie = response
                    .headers()
                    .get_all("set-cookie")
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .find_map(|v| {
                        v.split(';')
                            .next()
                            .filter(|c| c.starts_with("AuthSession="))
                    })
                    .map(str::to_owned);
                if let (200, Some(cookie)) = (response.status().as_u16(), cookie) {
                    self.cookie = cookie;
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        panic!("{} could not sign in", self.name);
    }

    /// One request with the session cookie: the status (0 when there was no answer) and the
    /// body as JSON. A refused cookie (401) is answered by signing in again, once.
    fn request(&mut self, method: &str, path: &str, body: Option<&str>) -> (u16, Value) {
        let mut answer = self.once(method, path, body);
        if answer.0 == 401 {
            self.sign_ins += 1;
            self.session();
            answer = self.once(method, path, body);
        }
        answer
    }

    fn once(&self, method: &str, path: &str, body: Option<&str>) -> (u16, Value) {
        let url = format!("http://127.0.0.1:{}{path}", self.port);
        let result = match method {
            "PUT" => self
                .agent
                .put(&url)
                .header("Cookie", &self.cookie)
                .header("Content-Type", "application/json")
                .send(body.unwrap_or("")),
            _ => self.agent.get(&url).header("Cookie", &self.cookie).call(),
        };
        match result {
            Ok(mut response) => {
                let status = response.status().as_u16();
                let text = response
                    .body_mut()
                    .with_config()
                    .limit(64 * 1024 * 1024)
                    .read_to_string()
                    .unwrap_or_default();
                (status, serde_json::from_str(&text).unwrap_or(Value::Null))
            }
            Err(_) => (0, Value::Null),
        }
    }
}

/// One edit: a span added to an annotation.
struct Edit {
    key: String,
    span: String,
    /// How many spans the annotation has with it.
    spans: usize,
    /// When it was made (before its PUT).
    made: Instant,
    acknowledged: bool,
}

/// What an annotator did.
struct Annotator {
    edits: Vec<Edit>,
    conflicts: usize,
    errors: usize,
    sign_ins: usize,
    /// Each annotation as the annotator last had it acknowledged: key and spans.
    acknowledged: Vec<(String, Vec<Value>)>,
}

/// Word ranges `[start, end)` of `text` in code points.
fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.chars().enumerate() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.chars().count()));
    }
    out
}

/// Annotator number `index` (`user`) editing `docs` from `begin` (plus its place in the
/// second) for `seconds` edits, one a second, none after `deadline`.
fn annotate(
    port: u16,
    index: usize,
    user: &str,
    mut docs: Vec<AnnotatedDocument>,
    begin: Instant,
    seconds: u64,
    deadline: Instant,
) -> Annotator {
    let mut client = Client::sign_in(port, user);
    let labels = ["actor", "place", "claim", "denial"];
    let ranges: Vec<Vec<(usize, usize)>> = docs.iter().map(|d| words(&d.document.text)).collect();
    let mut revs: Vec<Option<String>> = vec![None; docs.len()];
    let mut acknowledged: Vec<Vec<Value>> = vec![Vec::new(); docs.len()];
    let offset = Duration::from_millis((index as u64 * 1000) / ANNOTATORS as u64);
    let mut out = Annotator {
        edits: Vec::new(),
        conflicts: 0,
        errors: 0,
        sign_ins: 0,
        acknowledged: Vec::new(),
    };
    for t in 0..seconds {
        let at = begin + offset + Duration::from_secs(t);
        let now = Instant::now();
        if at > now {
            std::thread::sleep(at - now);
        }
        if Instant::now() > deadline {
            break;
        }
        let k = t as usize % docs.len();
        let made = Instant::now();
        let doc = &mut docs[k];
        let n = doc.spans().len();
        let words = &ranges[k];
        let span = (0..words.len())
            .find_map(|i| {
                let (start, end) = words[(n * 7 + index + i) % words.len()];
                let label = labels[(n + index) % labels.len()].to_owned();
                match doc.apply(Action::AddSpan { start, end, label }) {
                    Ok(spanmark_core::Outcome::Added { id }) => Some(id),
                    _ => None,
                }
            })
            .expect("a word to tag");
        let key = team::ann_key(&doc.document.id, user);
        let mut json = team::annotation_json(doc, user, Status::InProgress, &iso_now());
        let path = format!("/{PROJECT}/{}", encode(&key));
        let mut edit = Edit {
            key,
            span,
            spans: doc.spans().len(),
            made,
            acknowledged: false,
        };
        while Instant::now() < deadline {
            if let Some(rev) = &revs[k] {
                json["_rev"] = json!(rev);
            }
            let (status, body) = client.request("PUT", &path, Some(&json.to_string()));
            match status {
                200 | 201 => {
                    revs[k] = body["rev"].as_str().map(str::to_owned);
                    acknowledged[k] = json["spans"].as_array().cloned().unwrap_or_default();
                    edit.acknowledged = true;
                    break;
                }
                409 => {
                    // Only this annotator writes this annotation: the server has a version
                    // this one has not seen acknowledged. Take its revision and try again.
                    out.conflicts += 1;
                    let (status, current) = client.request("GET", &path, None);
                    if status == 200 {
                        revs[k] = current["_rev"].as_str().map(str::to_owned);
                    }
                }
                _ => {
                    out.errors += 1;
                    eprintln!("{user}: PUT {path}: {status} {body}");
                    std::thread::sleep(Duration::from_millis(200));
                }
            }
        }
        out.edits.push(edit);
    }
    out.sign_ins = client.sign_ins;
    out.acknowledged = docs
        .iter()
        .zip(acknowledged)
        .map(|(d, spans)| (team::ann_key(&d.document.id, user), spans))
        .collect();
    out
}

/// What an observer received: for each annotation the most spans seen, and every arrival
/// (key, spans, when).
#[derive(Default)]
struct Seen {
    most: HashMap<String, usize>,
    arrivals: Vec<(String, usize, Instant)>,
}

/// Follows the changes feed from `since` as `user` until `stop`.
fn observe(port: u16, user: &str, since: Value, seen: Arc<Mutex<Seen>>, stop: Arc<AtomicBool>) {
    let mut client = Client::sign_in(port, user);
    let mut since = since;
    while !stop.load(Ordering::Acquire) {
        let seq = match &since {
            Value::String(s) => encode(s),
            other => other.to_string(),
        };
        let (status, body) = client.request(
            "GET",
            &format!(
                "/{PROJECT}/_changes?feed=longpoll&include_docs=true&timeout={LONG_POLL_MS}&since={seq}"
            ),
            None,
        );
        let now = Instant::now();
        if status != 200 {
            eprintln!("{user}: _changes: {status} {body}");
            std::thread::sleep(Duration::from_millis(200));
            continue;
        }
        let mut seen = seen.lock().unwrap();
        for change in body["results"].as_array().into_iter().flatten() {
            let id = change["id"].as_str().unwrap_or_default();
            if !id.starts_with(team::ANN_PREFIX) {
                continue;
            }
            let spans = change["doc"]["spans"].as_array().map_or(0, Vec::len);
            let most = seen.most.entry(id.to_owned()).or_insert(0);
            *most = (*most).max(spans);
            seen.arrivals.push((id.to_owned(), spans, now));
        }
        if !body["last_seq"].is_null() {
            since = body["last_seq"].clone();
        }
    }
}

/// The `q`-quantile (nearest rank) of sorted `v`.
fn quantile(v: &[Duration], q: f64) -> Duration {
    if v.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len());
    v[rank - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.0}", d.as_secs_f64() * 1000.0)
}

#[test]
#[ignore = "a load run of over a minute: make bench runs it"]
fn team_sync_under_load() {
    let seconds = seconds();
    // Figures of an earlier run must not pass for this one's if it stops half-way.
    let bench = std::path::Path::new(ROOT).join("target").join("bench");
    let _ = std::fs::remove_file(bench.join("team.md"));
    let setup_started = Instant::now();
    let server = start_bare();
    let port = server.port;
    // The hard limit of the whole run: past it, the server is stopped and the test fails,
    // whatever is still waiting.
    let limit = SETUP + Duration::from_secs(seconds) + GRACE + DRAIN + Duration::from_secs(60);
    let pid = server.pid();
    std::thread::spawn(move || {
        std::thread::sleep(limit);
        eprintln!("the load run took longer than {limit:?}: stopped");
        let _ = std::process::Command::new("kill")
            .arg(pid.to_string())
            .status();
        std::process::exit(101);
    });
    let admin_put = |path: &str, body: &Value| {
        let (status, answer) = http(port, "PUT", path, Some(ADMIN), &body.to_string());
        assert!(
            status == 200 || status == 201,
            "PUT {path}: {status} {answer}"
        );
    };
    admin_put(&format!("/{PROJECT}"), &json!({}));
    admin_put(
        &format!("/{PROJECT}/{}", team::DESIGN_ID),
        &team::design_doc(),
    );
    admin_put(&format!("/{PROJECT}/_security"), &team::security());
    let annotators: Vec<String> = (1..=ANNOTATORS)
        .map(|i| format!("annotator{i:02}"))
        .collect();
    for name in &annotators {
        add_user(&server, name, team::ANNOTATOR);
    }
    for (name, role) in OBSERVERS {
        add_user(&server, name, role);
    }
    // The curator's documents: generated news-like texts of about 4 KiB, non-ASCII included.
    let documents: Vec<AnnotatedDocument> = (0..DOCUMENTS)
        .map(|i| {
            let text = spanmark_testkit::sample::generate(i as u64 + 1, 4 * 1024, 1)
                .document
                .text;
            AnnotatedDocument::new(Document::new(format!("load {i:03}"), text))
        })
        .collect();
    let docs: Vec<Value> = documents.iter().map(team::document_json).collect();
    let (status, answer) = http(
        port,
        "POST",
        &format!("/{PROJECT}/_bulk_docs"),
        Some(("cora", "cora-pw")),
        &json!({ "docs": docs }).to_string(),
    );
    assert_eq!(status, 201, "the documents: {answer}");
    let written: Value = serde_json::from_str(&answer).unwrap();
    assert!(
        written
            .as_array()
            .is_some_and(|a| a.len() == DOCUMENTS && a.iter().all(|r| r["ok"] == json!(true))),
        "the documents: {answer}"
    );
    let (status, info) = http(port, "GET", &format!("/{PROJECT}"), Some(ADMIN), "");
    assert_eq!(status, 200, "{info}");
    let since = serde_json::from_str::<Value>(&info).unwrap()["update_seq"].clone();
    let setup = setup_started.elapsed();
    assert!(setup < SETUP, "setting up took {setup:?}");

    // The observers follow the feed from here; the annotators start together in 3 s (time to
    // sign in), spread over each second.
    let stop = Arc::new(AtomicBool::new(false));
    let observers: Vec<(Arc<Mutex<Seen>>, std::thread::JoinHandle<()>)> = OBSERVERS
        .iter()
        .map(|(name, _)| {
            let seen = Arc::new(Mutex::new(Seen::default()));
            let (s, stop, since, name) = (
                Arc::clone(&seen),
                Arc::clone(&stop),
                since.clone(),
                name.to_string(),
            );
            let handle = std::thread::spawn(move || observe(port, &name, since, s, stop));
            (seen, handle)
        })
        .collect();
    let begin = Instant::now() + Duration::from_secs(3);
    let deadline = begin + Duration::from_secs(seconds) + GRACE;
    let workers: Vec<std::thread::JoinHandle<Annotator>> = annotators
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let own = documents[i * OWN..(i + 1) * OWN].to_vec();
            let name = name.clone();
            std::thread::spawn(move || annotate(port, i, &name, own, begin, seconds, deadline))
        })
        .collect();
    let done: Vec<Annotator> = workers.into_iter().map(|w| w.join().unwrap()).collect();
    let edits_ended = Instant::now();
    let wall = edits_ended.saturating_duration_since(begin);

    // Wait until every observer has every acknowledged edit, or the drain time is up.
    let mut expected: HashMap<&str, usize> = HashMap::new();
    for edit in done
        .iter()
        .flat_map(|a| &a.edits)
        .filter(|e| e.acknowledged)
    {
        let most = expected.entry(edit.key.as_str()).or_insert(0);
        *most = (*most).max(edit.spans);
    }
    let drain_deadline = Instant::now() + DRAIN;
    let all_arrived = loop {
        let all = observers.iter().all(|(seen, _)| {
            let seen = seen.lock().unwrap();
            expected
                .iter()
                .all(|(key, n)| seen.most.get(*key).copied().unwrap_or(0) >= *n)
        });
        if all || Instant::now() > drain_deadline {
            break all;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let drained = edits_ended.elapsed();
    stop.store(true, Ordering::Release);
    // pouchdb-server keeps a long poll open until a change comes, whatever its `timeout`:
    // one more change (a document nobody follows) ends the observers' last polls.
    let (status, answer) = http(
        port,
        "PUT",
        &format!("/{PROJECT}/load-run-ended"),
        Some(ADMIN),
        "{}",
    );
    assert_eq!(status, 201, "{answer}");
    let seen: Vec<Seen> = observers
        .into_iter()
        .map(|(seen, handle)| {
            handle.join().unwrap();
            std::mem::take(&mut *seen.lock().unwrap())
        })
        .collect();

    // Latency of every acknowledged edit at every observer; the edits some observer never got.
    let mut lost: HashSet<(String, String)> = HashSet::new();
    let mut samples: Vec<Duration> = Vec::new();
    let arrivals: Vec<HashMap<&str, Vec<(usize, Instant)>>> = seen
        .iter()
        .map(|s| {
            let mut by_key: HashMap<&str, Vec<(usize, Instant)>> = HashMap::new();
            for (key, n, at) in &s.arrivals {
                by_key.entry(key.as_str()).or_default().push((*n, *at));
            }
            by_key
        })
        .collect();
    let made = done.iter().map(|a| a.edits.len()).sum::<usize>();
    let unacknowledged = done
        .iter()
        .flat_map(|a| &a.edits)
        .filter(|e| !e.acknowledged)
        .count();
    for edit in done
        .iter()
        .flat_map(|a| &a.edits)
        .filter(|e| e.acknowledged)
    {
        for by_key in &arrivals {
            let first = by_key.get(edit.key.as_str()).and_then(|v| {
                v.iter()
                    .filter(|(n, _)| *n >= edit.spans)
                    .map(|(_, at)| *at)
                    .min()
            });
            match first {
                Some(at) => samples.push(at.saturating_duration_since(edit.made)),
                None => {
                    lost.insert((edit.key.clone(), edit.span.clone()));
                }
            }
        }
    }

    // The server's final version of every annotation holds every span acknowledged, as made.
    let (status, all) = http(
        port,
        "GET",
        &format!("/{PROJECT}/_all_docs?include_docs=true"),
        Some(ADMIN),
        "",
    );
    assert_eq!(status, 200, "{all}");
    let all: Value = serde_json::from_str(&all).unwrap();
    let on_server: HashMap<&str, &Value> = all["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| Some((r["id"].as_str()?, &r["doc"])))
        .collect();
    let mut missing_on_server = 0;
    for (key, spans) in done.iter().flat_map(|a| &a.acknowledged) {
        let held: Vec<&Value> = on_server
            .get(key.as_str())
            .and_then(|d| d["spans"].as_array())
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        for span in spans {
            if !held.contains(&span) {
                missing_on_server += 1;
                lost.insert((key.clone(), span["id"].as_str().unwrap_or("?").to_owned()));
            }
        }
    }
    let annotations_on_server = on_server
        .keys()
        .filter(|k| k.starts_with(team::ANN_PREFIX))
        .count();

    samples.sort();
    let conflicts: usize = done.iter().map(|a| a.conflicts).sum();
    let errors: usize = done.iter().map(|a| a.errors).sum();
    let sign_ins: usize = done.iter().map(|a| a.sign_ins).sum();
    let acknowledged = made - unacknowledged;
    let version = std::fs::read_to_string(
        std::path::Path::new(ROOT).join(".tools/node_modules/pouchdb-server/package.json"),
    )
    .ok()
    .and_then(|p| serde_json::from_str::<Value>(&p).ok())
    .and_then(|p| p["version"].as_str().map(str::to_owned))
    .unwrap_or_else(|| "?".into());
    let command = if std::env::var_os("SPANMARK_LOAD_SECONDS").is_some() {
        format!("SPANMARK_LOAD_SECONDS={seconds} {COMMAND}")
    } else {
        COMMAND.to_owned()
    };
    let met = lost.is_empty() && unacknowledged == 0 && made == ANNOTATORS * seconds as usize;
    let report = format!(
        "Measured by `{command}` (crates/cli/tests/team_load.rs): pouchdb-server {version} in memory \
on a loopback port of this machine, set up as `spanmark init` does (Spanmark's design document, \
whose `validate_doc_update` checks every write, and security). {ANNOTATORS} simulated annotators, \
each a thread with its own connection and session cookie, add one span a second for {seconds} s, \
cycling over their own {OWN} of the {DOCUMENTS} documents: each edit PUTs the whole annotation \
(`ann:<document>:<annotator>`) with the revision last acknowledged, and a conflict (409) takes \
the server's revision and tries again. {observers} observers (the curator and four annotators) \
follow `_changes?feed=longpoll&include_docs=true`. Latency is from the moment an edit is made \
(before its PUT) to its arrival at an observer, for every edit at every observer \
({n} samples). An edit is lost when the server acknowledged it and an observer never received \
it, or the server's final version of its annotation does not hold it; an edit the server never \
acknowledged counts as failed.\n\n\
| Annotators | Documents | Seconds | Edits made | Edits per second | Edits failed | Edits lost | Conflicts retried | Other errors retried | p50 latency | p95 latency | max latency |\n\
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n\
| {ANNOTATORS} | {DOCUMENTS} | {seconds} | {made} | {rate:.1} | {unacknowledged} | {lost_n} | {conflicts} | {errors} | {p50} ms | {p95} ms | {max} ms |\n\n\
Lost edits: {lost_n} (target 0, {verdict}). {drain} The server held {annotations_on_server} annotations; {sign_ins} sign-ins were \
repeated after a refused cookie. Setting up (the project, {users} users, the documents) took \
{setup_s:.1} s.\n",
        observers = OBSERVERS.len(),
        n = samples.len(),
        rate = acknowledged as f64 / wall.as_secs_f64().max(1.0),
        lost_n = lost.len(),
        p50 = ms(quantile(&samples, 0.50)),
        p95 = ms(quantile(&samples, 0.95)),
        max = ms(samples.last().copied().unwrap_or_default()),
        verdict = if met { "met" } else { "MISSED" },
        drain = if all_arrived {
            format!(
                "The observers had every edit {} ms after the last one was acknowledged.",
                ms(drained)
            )
        } else {
            format!(
                "The observers still lacked edits {} ms after the last one was acknowledged.",
                ms(drained)
            )
        },
        users = ANNOTATORS + OBSERVERS.len(),
        setup_s = setup.as_secs_f64(),
    );
    std::fs::create_dir_all(&bench).unwrap();
    std::fs::write(bench.join("team.md"), &report).unwrap();
    println!("{report}");
    println!("written to target/bench/team.md");

    assert_eq!(
        made,
        ANNOTATORS * seconds as usize,
        "edits were cut by the deadline"
    );
    assert_eq!(unacknowledged, 0, "edits the server never acknowledged");
    assert!(
        lost.is_empty(),
        "{} edits lost ({missing_on_server} missing on the server): {:?}",
        lost.len(),
        lost.iter().take(20).collect::<Vec<_>>()
    );
    assert_eq!(
        annotations_on_server,
        ANNOTATORS * OWN.min(seconds as usize)
    );
}
