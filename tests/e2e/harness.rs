//! Infrastructure for the end-to-end suite: a static server for `dist/`, a chromedriver
//! process, one fresh Chromium session per scenario, and the browser-log check.
//!
//! Everything here cleans up after itself through `Drop` guards, so a failing scenario
//! never leaves a chromedriver, a Chromium or a temp folder behind.

use std::fs;
use std::future::Future;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value};

/// How long a whole scenario may take before it is declared hung.
pub(crate) const SCENARIO_TIMEOUT: Duration = Duration::from_secs(240);

/// The repository root (where Cargo.toml lives).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Where screenshots and failure captures go: `target/e2e/`.
pub fn artefact_dir() -> PathBuf {
    let dir = repo_root().join("target").join("e2e");
    fs::create_dir_all(&dir).expect("create target/e2e");
    dir
}

/// The release build to test: `$SPANMARK_DIST` or `<repo>/dist`.
pub(crate) fn dist_dir() -> PathBuf {
    let dir = std::env::var_os("SPANMARK_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("dist"));
    assert!(
        dir.join("index.html").is_file(),
        "{} has no index.html: build the app first with `make dist` (or point SPANMARK_DIST at a build)",
        dir.display()
    );
    dir
}

pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("find a free port")
        .port()
}

// ---------------------------------------------------------------------------------------------
// Temp folders
// ---------------------------------------------------------------------------------------------

/// A uniquely named folder under the system temp dir, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(purpose: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let path = std::env::temp_dir().join(format!(
            "spanmark-e2e-{}-{purpose}-{n}-{nanos}",
            std::process::id()
        ));
        fs::create_dir_all(&path).expect("create temp dir");
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

// ---------------------------------------------------------------------------------------------
// Static file server for dist/
// ---------------------------------------------------------------------------------------------

/// Serves a folder on 127.0.0.1 until dropped: one thread accepts, and every connection gets
/// a thread of its own that answers one GET and closes. (A pooled server once left the wasm
/// request of a page queued behind idle keep-alive connections for ten seconds.)
///
/// Started with [`StaticServer::start_proxying`], it also passes `/couchdb/…` on to a team
/// server, the way `make serve` and a deployment's web server do (see [`Proxy`]).
pub struct StaticServer {
    stop: Arc<AtomicBool>,
    addr: SocketAddr,
    thread: Option<JoinHandle<()>>,
    pub base_url: String,
    /// What it serves, and whether it answers at all (see [`Served`]).
    pub served: Served,
}

/// A static server's switches, for a scenario: while `offline` is true every connection is
/// closed unanswered (the network is gone); `root` is the folder served (a new build can be
/// put in place).
#[derive(Clone)]
pub struct Served {
    pub offline: Arc<AtomicBool>,
    pub root: Arc<std::sync::RwLock<PathBuf>>,
    /// The path of every request answered from `root`, in the order they came.
    pub requests: Arc<Mutex<Vec<String>>>,
    /// Whether files named by a hash of their content are sent as cacheable for a year, as
    /// docs/DEPLOY.md has a deployment do (by default nothing is cached: `no-store`).
    pub immutable: Arc<AtomicBool>,
}

impl Served {
    /// Takes the server away (`true`) or brings it back.
    pub fn set_offline(&self, offline: bool) {
        self.offline.store(offline, Ordering::Release);
    }

    /// Serves `root` from now on.
    pub fn serve(&self, root: PathBuf) {
        *self.root.write().unwrap_or_else(PoisonError::into_inner) = root;
    }

    /// The paths requested so far that contain `part`.
    pub fn requested(&self, part: &str) -> Vec<String> {
        self.requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .filter(|p| p.contains(part))
            .cloned()
            .collect()
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Whether `url` names a release file by a hash of its content (`…-<16 hex digits>.js`,
/// `…_bg.wasm`, `…_worker.js`, `.css`): what docs/DEPLOY.md lets browsers keep for a year.
fn named_by_content(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let Some((stem, ext)) = path.rsplit_once('.') else {
        return false;
    };
    let stem = stem
        .strip_suffix("_bg")
        .or_else(|| stem.strip_suffix("_worker"))
        .unwrap_or(stem);
    let hash = stem.rsplit_once('-').map_or("", |(_, h)| h);
    matches!(ext, "js" | "wasm" | "css")
        && hash.len() == 16
        && hash.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Maps a request URL to a file inside `root`, refusing anything that climbs out of it.
fn resolve(root: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let mut file = root.to_path_buf();
    for part in Path::new(path.trim_start_matches('/')).components() {
        match part {
            Component::Normal(p) => file.push(p),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

impl StaticServer {
    /// Serves `root` (GET and HEAD only).
    pub fn start(root: PathBuf) -> StaticServer {
        StaticServer::serve(root, None)
    }

    /// Serves `root`, and passes every request under `/couchdb/` (any method) on to the team
    /// server on `127.0.0.1:backend_port` without the `/couchdb` prefix. While `down` is true,
    /// `/couchdb/` requests get `502 Bad Gateway` and those in flight are cut: the team server
    /// has gone away behind the app's origin, whose own pages are still served.
    pub fn start_proxying(root: PathBuf, backend_port: u16, down: Arc<AtomicBool>) -> StaticServer {
        StaticServer::serve(root, Some((backend_port, down)))
    }

    fn serve(root: PathBuf, backend: Option<(u16, Arc<AtomicBool>)>) -> StaticServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind static server");
        let addr = listener.local_addr().expect("static server address");
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let served = Served {
            offline: Arc::new(AtomicBool::new(false)),
            root: Arc::new(std::sync::RwLock::new(root)),
            requests: Arc::new(Mutex::new(Vec::new())),
            immutable: Arc::new(AtomicBool::new(false)),
        };
        let switches = served.clone();
        let proxy = backend.map(|(backend_port, down)| Proxy {
            backend_port,
            down,
            stop: Arc::clone(&stop),
        });
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::Acquire) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                if switches.offline.load(Ordering::Acquire) {
                    // Closed unanswered: to the browser, the network is gone.
                    drop(stream);
                    continue;
                }
                let root = switches
                    .root
                    .read()
                    .unwrap_or_else(PoisonError::into_inner)
                    .clone();
                let proxy = proxy.clone();
                let switches = switches.clone();
                std::thread::spawn(move || answer(&root, stream, proxy.as_ref(), &switches));
            }
        });
        StaticServer {
            stop,
            addr,
            thread: Some(thread),
            base_url: format!("http://127.0.0.1:{}/", addr.port()),
            served,
        }
    }
}

/// Reads one request head from `stream` and answers it: the file for a GET (or its headers
/// for a HEAD), 404 when there is none, 405 for any other method; with a `proxy`, a request
/// under `/couchdb/` is passed on instead. The browser may go away mid-answer; that is not
/// the server's failure, so write errors are dropped.
fn answer(root: &Path, mut stream: TcpStream, proxy: Option<&Proxy>, served: &Served) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
        if head.len() > 64 * 1024 {
            return;
        }
    }
    let raw = head;
    let head = String::from_utf8_lossy(&raw);
    let mut words = head.lines().next().unwrap_or_default().split_whitespace();
    let (method, url) = (
        words.next().unwrap_or_default(),
        words.next().unwrap_or("/"),
    );
    if let Some(proxy) = proxy.filter(|_| url.starts_with("/couchdb/")) {
        proxy.forward(stream, &raw);
        return;
    }
    served
        .requests
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(url.to_owned());
    let cache = if served.immutable.load(Ordering::Acquire) && named_by_content(url) {
        "public, max-age=31536000, immutable"
    } else {
        "no-store"
    };
    let (status, kind, body) = match method {
        "GET" | "HEAD" => {
            match resolve(root, url).and_then(|f| Some((content_type(&f), fs::read(&f).ok()?))) {
                Some((kind, bytes)) => ("200 OK", kind, bytes),
                None => (
                    "404 Not Found",
                    "text/plain; charset=utf-8",
                    b"not found".to_vec(),
                ),
            }
        }
        _ => (
            "405 Method Not Allowed",
            "text/plain; charset=utf-8",
            b"GET only".to_vec(),
        ),
    };
    let header = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: {cache}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(header.as_bytes());
    if method != "HEAD" {
        let _ = stream.write_all(&body);
    }
    let _ = stream.flush();
    let _ = stream.shutdown(std::net::Shutdown::Write);
}

/// Passes requests on to a team server: one request per connection, `Connection: close` both
/// ways, the answer copied back byte for byte (status, headers, `Set-Cookie`, body) until the
/// team server closes, so a long poll streams for as long as it lasts.
#[derive(Clone)]
struct Proxy {
    backend_port: u16,
    /// The team server is unreachable: new requests get 502, requests in flight are cut.
    down: Arc<AtomicBool>,
    /// The static server is going away.
    stop: Arc<AtomicBool>,
}

/// How often a proxied connection looks at the `down` flag (and whether the browser left).
const PROXY_POLL: Duration = Duration::from_millis(100);

impl Proxy {
    fn cut(&self) -> bool {
        self.down.load(Ordering::Acquire) || self.stop.load(Ordering::Acquire)
    }

    /// Forwards the request whose bytes so far are `raw` (the head, perhaps some body).
    fn forward(&self, mut browser: TcpStream, raw: &[u8]) {
        let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4) else {
            return;
        };
        let head = String::from_utf8_lossy(&raw[..end]);
        let mut lines = head.split("\r\n");
        let mut words = lines.next().unwrap_or_default().split_whitespace();
        let (method, url) = (words.next().unwrap_or("GET"), words.next().unwrap_or("/"));
        let path = url.strip_prefix("/couchdb").unwrap_or(url);
        let mut request = format!("{method} {path} HTTP/1.1\r\n");
        let mut length = 0usize;
        let mut chunked = false;
        for line in lines.filter(|l| !l.is_empty()) {
            let name = line.split(':').next().unwrap_or_default().trim();
            let name = name.to_ascii_lowercase();
            match name.as_str() {
                "connection" | "keep-alive" | "proxy-connection" => continue,
                "content-length" => {
                    length = line
                        .split_once(':')
                        .and_then(|(_, v)| v.trim().parse().ok())
                        .unwrap_or(0);
                }
                "transfer-encoding" => chunked = true,
                _ => {}
            }
            request.push_str(line);
            request.push_str("\r\n");
        }
        request.push_str("Connection: close\r\n\r\n");
        if chunked {
            return plain_answer(
                browser,
                "411 Length Required",
                "a body needs a Content-Length",
            );
        }
        // The whole body is read before anything is answered: closing a socket with unread
        // bytes resets it, and the browser would see a reset instead of the answer.
        let mut body = raw[end..].to_vec();
        let mut buf = [0u8; 16 * 1024];
        while body.len() < length {
            match browser.read(&mut buf) {
                Ok(0) | Err(_) => return,
                Ok(n) => body.extend_from_slice(&buf[..n]),
            }
        }
        body.truncate(length);
        if self.cut() {
            return plain_answer(browser, "502 Bad Gateway", "the team server is down");
        }
        let Ok(mut backend) = TcpStream::connect(("127.0.0.1", self.backend_port)) else {
            return plain_answer(
                browser,
                "502 Bad Gateway",
                "the team server does not answer",
            );
        };
        if backend.write_all(request.as_bytes()).is_err() || backend.write_all(&body).is_err() {
            return plain_answer(browser, "502 Bad Gateway", "the team server went away");
        }
        let _ = backend.set_read_timeout(Some(PROXY_POLL));
        loop {
            if self.cut() {
                // Cut mid-answer, as a vanished server would: the browser sees a network error.
                let _ = backend.shutdown(std::net::Shutdown::Both);
                let _ = browser.shutdown(std::net::Shutdown::Both);
                return;
            }
            match backend.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    if browser.write_all(&buf[..n]).is_err() {
                        return;
                    }
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    if browser_left(&browser) {
                        return;
                    }
                }
                Err(_) => break,
            }
        }
        let _ = browser.flush();
        let _ = browser.shutdown(std::net::Shutdown::Write);
    }
}

/// Whether the browser closed its side (an aborted fetch, a page that went away): a long poll
/// for it is then given up instead of waiting for the team server.
fn browser_left(browser: &TcpStream) -> bool {
    if browser.set_nonblocking(true).is_err() {
        return true;
    }
    let left = match browser.peek(&mut [0u8; 1]) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
    };
    let _ = browser.set_nonblocking(false);
    left
}

/// A short plain-text answer, and the connection closed.
fn plain_answer(mut stream: TcpStream, status: &str, text: &str) {
    let header = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        text.len()
    );
    let _ = stream.write_all(header.as_bytes());
    let _ = stream.write_all(text.as_bytes());
    let _ = stream.flush();
    let _ = stream.shutdown(std::net::Shutdown::Write);
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        // Wake the accepting thread so that it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// chromedriver
// ---------------------------------------------------------------------------------------------

/// A chromedriver child process on a free port, killed on drop.
pub struct ChromeDriver {
    child: Child,
    port: u16,
}

impl ChromeDriver {
    pub fn start() -> ChromeDriver {
        let exe = std::env::var("SPANMARK_CHROMEDRIVER")
            .unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let port = free_port();
        let child = Command::new(&exe)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {exe}: {e} (install chromium-driver, or set SPANMARK_CHROMEDRIVER)"));
        let driver = ChromeDriver { child, port };
        // Wait until it answers /status with ready: true.
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Ok(status) = http_json(port, "GET", "/status", None) {
                if status["value"]["ready"] == json!(true) {
                    break;
                }
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver on port {port} never became ready"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Opens a fresh Chromium session: own profile folder, downloads into `downloads`,
    /// browser console and network events captured, with extra Chromium command-line switches
    /// and profile preferences (`extra_prefs`, a JSON object, e.g. content settings).
    pub async fn new_session_with(
        &self,
        profile: &Path,
        downloads: &Path,
        extra_args: &[&str],
        extra_prefs: &Value,
    ) -> Client {
        self.new_session_traced(profile, downloads, extra_args, extra_prefs, None)
            .await
    }

    /// [`ChromeDriver::new_session_with`], with Chromium's trace of the categories `trace` (comma
    /// separated) in the performance log, as `Tracing.dataCollected` entries.
    pub async fn new_session_traced(
        &self,
        profile: &Path,
        downloads: &Path,
        extra_args: &[&str],
        extra_prefs: &Value,
        trace: Option<&str>,
    ) -> Client {
        let chromium =
            std::env::var("SPANMARK_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let caps = json!({
            "browserName": "chrome",
            // The performance log carries the page's network events: every request it makes.
            "goog:loggingPrefs": { "browser": "ALL", "performance": "ALL" },
            "goog:chromeOptions": {
                "binary": chromium,
                "perfLoggingPrefs": { "enableNetwork": true, "enablePage": false },
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--window-size=1400,1000",
                    format!("--user-data-dir={}", profile.display()),
                ],
                "prefs": {
                    "download.default_directory": downloads.display().to_string(),
                    "download.prompt_for_download": false,
                    "download.directory_upgrade": true,
                },
            },
        });
        let mut caps = caps;
        if let Some(categories) = trace {
            caps["goog:chromeOptions"]["perfLoggingPrefs"]["traceCategories"] = json!(categories);
        }
        if let Some(args) = caps["goog:chromeOptions"]["args"].as_array_mut() {
            args.extend(extra_args.iter().map(|a| json!(a)));
        }
        if let (Some(prefs), Some(extra)) = (
            caps["goog:chromeOptions"]["prefs"].as_object_mut(),
            extra_prefs.as_object(),
        ) {
            prefs.extend(extra.clone());
        }
        let caps = match caps {
            Value::Object(map) => map,
            _ => unreachable!(),
        };
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&self.url())
            .await
            .unwrap_or_else(|e| panic!("cannot open a Chromium session through chromedriver: {e}"))
    }

    /// Takes (and thereby clears) the browser console log of `session` through chromedriver's
    /// legacy log endpoint.
    pub fn browser_log(&self, session: &str) -> Result<Vec<Value>, String> {
        self.log(session, "browser")
    }

    /// Takes (and thereby clears) the log of type `kind` ("browser", "performance").
    pub fn log(&self, session: &str, kind: &str) -> Result<Vec<Value>, String> {
        let body = json!({ "type": kind }).to_string();
        let mut last_err = String::new();
        for path in [
            format!("/session/{session}/se/log"),
            format!("/session/{session}/log"),
        ] {
            match http_json(self.port, "POST", &path, Some(&body)) {
                Ok(v) if v["value"].is_array() => {
                    return Ok(v["value"].as_array().cloned().unwrap_or_default())
                }
                Ok(v) => last_err = format!("{path}: unexpected answer {v}"),
                Err(e) => last_err = format!("{path}: {e}"),
            }
        }
        Err(last_err)
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A minimal HTTP/1.1 JSON request to chromedriver (used for the endpoints fantoccini does
/// not wrap, and before any session exists). chromedriver keeps connections alive, so the
/// answer is read by its Content-Length (or chunks), not to EOF.
fn http_json(port: u16, method: &str, path: &str, body: Option<&str>) -> Result<Value, String> {
    let err = |e: std::io::Error| e.to_string();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(err)?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(err)?;
    let body = body.unwrap_or("");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).map_err(err)?;

    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    let body_at = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut buf).map_err(err)?;
        if n == 0 {
            return Err("connection closed before the headers ended".into());
        }
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..body_at]).to_ascii_lowercase();
    let header = |name: &str| {
        head.lines()
            .find_map(|l| l.strip_prefix(name).map(|v| v.trim().to_string()))
    };
    let chunked = header("transfer-encoding:").is_some_and(|v| v.contains("chunked"));
    let length = header("content-length:").and_then(|v| v.parse::<usize>().ok());
    let mut payload = raw[body_at..].to_vec();
    let complete = |p: &[u8]| match (chunked, length) {
        (true, _) => p.windows(5).any(|w| w == b"0\r\n\r\n"),
        (false, Some(len)) => p.len() >= len,
        (false, None) => false,
    };
    while !complete(&payload) {
        let n = stream.read(&mut buf).map_err(err)?;
        if n == 0 {
            break;
        }
        payload.extend_from_slice(&buf[..n]);
    }
    let payload = if chunked { dechunk(&payload) } else { payload };
    serde_json::from_slice(&payload)
        .map_err(|e| format!("{e}: {}", String::from_utf8_lossy(&payload)))
}

/// Joins the chunks of a chunked HTTP body.
fn dechunk(mut rest: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = rest.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&rest[..eol])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next().unwrap_or("").trim(), 16).ok())
            .unwrap_or(0);
        let data = &rest[eol + 2..];
        if size == 0 || data.len() < size {
            break;
        }
        out.extend_from_slice(&data[..size]);
        rest = data[size..].strip_prefix(b"\r\n").unwrap_or(&data[size..]);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Scenario runner
// ---------------------------------------------------------------------------------------------

/// What a scenario gets: the WebDriver client, the app URL and its own download folder.
#[derive(Clone)]
pub struct Session {
    pub client: Client,
    pub base_url: String,
    pub downloads: PathBuf,
    /// A scratch folder for files the scenario writes itself (generated fixtures).
    pub scratch: PathBuf,
    /// Console errors the scenario provokes on purpose (substrings), which do not fail it.
    pub expected_errors: Arc<Mutex<Vec<String>>>,
}

impl Session {
    /// Tolerates console errors containing `text`: the scenario provokes them on purpose
    /// (a script the Content-Security-Policy must refuse, say).
    pub fn expect_console_error(&self, text: &str) {
        self.expected_errors
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(text.to_owned());
    }
}

/// The URLs of every request the page made, from the performance log's network events.
pub fn requested_urls(log: &[Value]) -> Vec<String> {
    log.iter()
        .filter_map(|e| serde_json::from_str::<Value>(e["message"].as_str()?).ok())
        .filter_map(|m| {
            let m = &m["message"];
            match m["method"].as_str()? {
                "Network.requestWillBeSent" => m["params"]["request"]["url"].as_str(),
                "Network.webSocketCreated" => m["params"]["url"].as_str(),
                _ => None,
            }
            .map(str::to_owned)
        })
        .collect()
}

/// What became of each request in the performance log, one line per request in the order
/// they were sent: `GET <url> -> 200, finished` (or `failed: <reason>`, or `never finished`).
/// Printed when a scenario fails, so that a page that never came up says which load it waited on.
pub fn network_story(log: &[Value]) -> Vec<String> {
    let mut order: Vec<String> = Vec::new();
    let mut lines: std::collections::HashMap<String, (String, String, String)> =
        std::collections::HashMap::new();
    for m in log
        .iter()
        .filter_map(|e| serde_json::from_str::<Value>(e["message"].as_str()?).ok())
    {
        let m = &m["message"];
        let params = &m["params"];
        let Some(id) = params["requestId"].as_str() else {
            continue;
        };
        match m["method"].as_str().unwrap_or_default() {
            "Network.requestWillBeSent" => {
                let req = format!(
                    "{} {}",
                    params["request"]["method"].as_str().unwrap_or("?"),
                    params["request"]["url"].as_str().unwrap_or("?")
                );
                if !lines.contains_key(id) {
                    order.push(id.to_owned());
                }
                lines.insert(
                    id.to_owned(),
                    (req, "no response".into(), "never finished".into()),
                );
            }
            "Network.responseReceived" => {
                if let Some(line) = lines.get_mut(id) {
                    line.1 = format!("{}", params["response"]["status"]);
                }
            }
            "Network.loadingFinished" => {
                if let Some(line) = lines.get_mut(id) {
                    line.2 = "finished".into();
                }
            }
            "Network.loadingFailed" => {
                if let Some(line) = lines.get_mut(id) {
                    line.2 = format!("failed: {}", params["errorText"].as_str().unwrap_or("?"));
                }
            }
            _ => {}
        }
    }
    order
        .iter()
        .filter_map(|id| lines.get(id))
        .filter(|(req, _, _)| !req.contains(" chrome://"))
        .map(|(req, status, end)| format!("{req} -> {status}, {end}"))
        .collect()
}

/// The network requests (http, https, ws, wss, ftp) that went anywhere but the origin
/// `base_url`. Chromium's own pages (`chrome://…`, the new-tab page a window opens with) and
/// `data:`/`blob:` URLs never reach the network.
pub fn foreign_requests(urls: &[String], base_url: &str) -> Vec<String> {
    let origin = base_url.trim_end_matches('/');
    let ws_origin = origin.replacen("http://", "ws://", 1);
    urls.iter()
        .filter(|u| {
            let network = ["http:", "https:", "ws:", "wss:", "ftp:"]
                .iter()
                .any(|scheme| u.starts_with(scheme));
            let own = [origin, ws_origin.as_str()].iter().any(|o| {
                u.strip_prefix(o)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            });
            network && !own
        })
        .cloned()
        .collect()
}

/// Log entries that mean the app misbehaved: every SEVERE entry (uncaught errors, Rust panics
/// through console_error_panic_hook, Content-Security-Policy violations), and anything
/// mentioning a panic. A missing favicon, and what the scenario said it provokes
/// (`expected`), are the only tolerated SEVERE entries.
pub fn bad_log_entries(log: &[Value], expected: &[String]) -> Vec<String> {
    log.iter()
        .filter(|e| {
            let level = e["level"].as_str().unwrap_or("");
            let msg = e["message"].as_str().unwrap_or("");
            (level == "SEVERE" || msg.contains("panicked at"))
                && !msg.contains("favicon.ico")
                && !expected.iter().any(|x| msg.contains(x.as_str()))
        })
        .map(|e| {
            format!(
                "[{}] {}",
                e["level"].as_str().unwrap_or("?"),
                e["message"].as_str().unwrap_or("?")
            )
        })
        .collect()
}

/// Scenarios run one at a time even when libtest runs tests in parallel: they all drive a
/// full Chromium on a small machine, and real mouse input is timing-sensitive.
pub(crate) static SERIAL: Mutex<()> = Mutex::new(());

/// Runs one scenario in a fresh browser session and always tears everything down: the
/// session is closed, chromedriver killed and the temp folders removed, then the scenario's
/// failure (if any) is re-raised. A successful scenario still fails if the browser console
/// logged a SEVERE entry.
pub fn run_scenario<F, Fut>(name: &str, body: F)
where
    F: FnOnce(Session) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    run_scenario_with(name, &json!({}), body);
}

/// [`run_scenario`] in a Chromium whose profile has the preferences `prefs` (a JSON object,
/// e.g. content settings that block site data).
pub fn run_scenario_with<F, Fut>(name: &str, prefs: &Value, body: F)
where
    F: FnOnce(Session) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    run_scenario_served(name, prefs, |session, _| body(session));
}

/// [`run_scenario_with`] whose body also gets the static server's switches ([`Served`]): to
/// take the server away, or serve another build.
pub fn run_scenario_served<F, Fut>(name: &str, prefs: &Value, body: F)
where
    F: FnOnce(Session, Served) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let _serial = SERIAL.lock().unwrap_or_else(PoisonError::into_inner);
    let runtime = scenario_runtime();
    // A failure capture from an earlier run would only mislead.
    let failure_png = artefact_dir().join(format!("failure-{name}.png"));
    let _ = fs::remove_file(&failure_png);
    runtime.block_on(async {
        let server = StaticServer::start(dist_dir());
        let server_base = server.base_url.clone();
        let driver = ChromeDriver::start();
        let browser = Browser::open(&driver, &server.base_url, "", prefs).await;
        let (session, client, session_id) = (
            browser.session.clone(),
            browser.session.client.clone(),
            browser.session_id.clone(),
        );
        let expected_errors = Arc::clone(&browser.session.expected_errors);

        // A spawned task turns a panic into a JoinError instead of unwinding through us, so
        // the cleanup below always runs.
        let served = server.served.clone();
        let outcome =
            tokio::time::timeout(SCENARIO_TIMEOUT, tokio::spawn(body(session, served))).await;

        let failed = !matches!(outcome, Ok(Ok(())));
        let end = close_browser(&driver, &client, &session_id, failed, &failure_png, name).await;
        drop(driver);
        drop(server);

        let expected = expected_errors
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let bad = browser_problems(name, end, failed, &expected, &server_base);
        conclude(name, SCENARIO_TIMEOUT, outcome, bad);
    });
}

/// A browser session of a scenario with a profile (so a localStorage), downloads and scratch
/// folders of its own, removed when it is dropped.
pub(crate) struct Browser {
    pub session: Session,
    pub session_id: String,
    _profile: TempDir,
    _downloads: TempDir,
    _scratch: TempDir,
}

impl Browser {
    /// Opens a Chromium session through `driver` on the app at `base_url`, with the profile
    /// preferences `prefs`; `who` (may be empty) names its folders.
    pub async fn open(driver: &ChromeDriver, base_url: &str, who: &str, prefs: &Value) -> Browser {
        let tag = |what: &str| {
            if who.is_empty() {
                what.to_owned()
            } else {
                format!("{what}-{who}")
            }
        };
        let profile = TempDir::new(&tag("profile"));
        let downloads = TempDir::new(&tag("downloads"));
        let scratch = TempDir::new(&tag("scratch"));
        let client = driver
            .new_session_with(profile.path(), downloads.path(), &[], prefs)
            .await;
        let session_id = client
            .session_id()
            .await
            .ok()
            .flatten()
            .expect("chromedriver session id");
        let session = Session {
            client,
            base_url: base_url.to_owned(),
            downloads: downloads.path().to_path_buf(),
            scratch: scratch.path().to_path_buf(),
            expected_errors: Arc::new(Mutex::new(Vec::new())),
        };
        Browser {
            session,
            session_id,
            _profile: profile,
            _downloads: downloads,
            _scratch: scratch,
        }
    }
}

/// The runtime a scenario runs on: two workers (the machine is small).
pub(crate) fn scenario_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// What the runner read of a browser session before closing it.
pub(crate) struct BrowserEnd {
    log: Result<Vec<Value>, String>,
    network: Result<Vec<Value>, String>,
}

/// Ends one browser session of a scenario: a screenshot into `failure_png` if the scenario
/// `failed`, its console and network logs read, the session closed. `label` names it in
/// messages.
pub(crate) async fn close_browser(
    driver: &ChromeDriver,
    client: &Client,
    session_id: &str,
    failed: bool,
    failure_png: &Path,
    label: &str,
) -> BrowserEnd {
    if failed {
        if let Ok(png) = client.screenshot().await {
            if fs::write(failure_png, png).is_ok() {
                eprintln!(
                    "[{label}] screenshot of the failure: {}",
                    failure_png.display()
                );
            }
        }
    }
    let log = driver.browser_log(session_id);
    let network = driver.log(session_id, "performance");
    let _ = client.clone().close().await;
    BrowserEnd { log, network }
}

/// What went wrong in one closed browser: SEVERE console entries (except the `expected`
/// ones) and requests that left the origin `base_url`. Panics when a log could not be read
/// or the page was never requested (unless the scenario `failed` anyway); on a failure, prints
/// the page's requests and console.
pub(crate) fn browser_problems(
    label: &str,
    end: BrowserEnd,
    failed: bool,
    expected: &[String],
    base_url: &str,
) -> Vec<String> {
    let log = end
        .log
        .unwrap_or_else(|e| panic!("[{label}] could not read the browser log: {e}"));
    let mut bad = bad_log_entries(&log, expected);
    // No request ever leaves the page's origin.
    let network = end
        .network
        .unwrap_or_else(|e| panic!("[{label}] could not read the network log: {e}"));
    let urls = requested_urls(&network);
    if failed {
        // What the page loaded and what it logged, for a failure that shows only a blank page.
        eprintln!(
            "[{label}] the page's requests: {:#?}",
            network_story(&network)
        );
        let console: Vec<String> = log
            .iter()
            .map(|e| {
                format!(
                    "{} {}",
                    e["level"].as_str().unwrap_or("?"),
                    e["message"].as_str().unwrap_or("?")
                )
            })
            .collect();
        eprintln!("[{label}] the browser console: {console:#?}");
    }
    assert!(
        urls.iter().any(|u| u.starts_with(base_url)) || failed,
        "[{label}] the network log shows no request for the page itself: is it recorded?"
    );
    bad.extend(
        foreign_requests(&urls, base_url)
            .into_iter()
            .map(|u| format!("a request left the origin: {u}")),
    );
    bad
}

/// What a scenario task came to: finished, panicked (a `JoinError`) or timed out.
pub(crate) type Outcome = Result<Result<(), tokio::task::JoinError>, tokio::time::error::Elapsed>;

/// Re-raises a scenario's failure (its own panic, or the timeout), or fails a scenario that
/// passed but whose browsers logged errors or left the origin (`bad`).
pub(crate) fn conclude(name: &str, timeout: Duration, outcome: Outcome, bad: Vec<String>) {
    match outcome {
        Err(_) => panic!("[{name}] scenario timed out after {timeout:?}; browser errors: {bad:#?}"),
        Ok(Err(join)) => {
            if !bad.is_empty() {
                eprintln!("[{name}] browser console errors during the failed scenario: {bad:#?}");
            }
            match join.try_into_panic() {
                Ok(payload) => std::panic::resume_unwind(payload),
                Err(e) => panic!("[{name}] scenario task failed: {e}"),
            }
        }
        Ok(Ok(())) => assert!(
            bad.is_empty(),
            "[{name}] the browser console logged errors, or a request left the origin: {bad:#?}"
        ),
    }
}
