//! What the team tests share: a pouchdb-server (installed by `make setup` into `.tools/`)
//! started in memory on a free loopback port, with an admin and users, and plain HTTP
//! requests to it.

// Each test crate uses a part of this.
#![allow(dead_code)]

use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
pub const ADMIN: (&str, &str) = ("admin", "admin-secret");

/// A pouchdb-server on a loopback port, stopped when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
    dir: PathBuf,
}

impl Server {
    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A plain HTTP request to the server (for what the command line does not do: users), with
/// Basic authentication as `auth`. A GET unless `method` is PUT or POST (which send `body`
/// as JSON). Status 0: no answer.
pub fn http(
    port: u16,
    method: &str,
    path: &str,
    auth: Option<(&str, &str)>,
    body: &str,
) -> (u16, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into();
    let url = format!("http://127.0.0.1:{port}{path}");
    let auth_header = auth.map(|(u, p)| {
        use base64::Engine;
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{u}:{p}"))
        )
    });
    let result = match method {
        "PUT" | "POST" => {
            let r = if method == "PUT" {
                agent.put(&url)
            } else {
                agent.post(&url)
            };
            let mut r = r.header("Content-Type", "application/json");
            if let Some(a) = &auth_header {
                r = r.header("Authorization", a);
            }
            r.send(body)
        }
        _ => {
            let mut r = agent.get(&url);
            if let Some(a) = &auth_header {
                r = r.header("Authorization", a);
            }
            r.call()
        }
    };
    match result {
        Ok(mut response) => (
            response.status().as_u16(),
            response.body_mut().read_to_string().unwrap_or_default(),
        ),
        Err(_) => (0, String::new()),
    }
}

/// Starts pouchdb-server in memory with an admin and three users: anna and ben annotate,
/// cora curates.
pub fn start() -> Server {
    let server = start_bare();
    for (name, role) in [
        ("anna", "annotator"),
        ("ben", "annotator"),
        ("cora", "curator"),
    ] {
        add_user(&server, name, role);
    }
    server
}

/// Starts pouchdb-server in memory with only the admin [`ADMIN`].
pub fn start_bare() -> Server {
    let bin = Path::new(ROOT).join(".tools/node_modules/.bin/pouchdb-server");
    assert!(
        bin.exists(),
        "{} is missing: `make setup` installs it",
        bin.display()
    );
    let port = free_port();
    let dir = std::env::temp_dir().join(format!("spanmark-team-{}-{port}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let child = Command::new(bin)
        .args([
            "--in-memory",
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--no-stdout-logs",
        ])
        .current_dir(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server { child, port, dir };
    let deadline = Instant::now() + Duration::from_secs(60);
    while http(port, "GET", "/", None, "").0 != 200 {
        assert!(Instant::now() < deadline, "pouchdb-server did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    let (status, body) = http(
        port,
        "PUT",
        &format!("/_config/admins/{}", ADMIN.0),
        None,
        &format!("\"{}\"", ADMIN.1),
    );
    assert_eq!(status, 200, "{body}");
    server
}

/// Makes user `name` with password `<name>-pw` and the one role `role`.
pub fn add_user(server: &Server, name: &str, role: &str) {
    let user = format!(
        r#"{{"name": "{name}", "password": "{name}-pw", "roles": ["{role}"], "type": "user"}}"#
    );
    let (status, body) = http(
        server.port,
        "PUT",
        &format!("/_users/org.couchdb.user:{name}"),
        Some(ADMIN),
        &user,
    );
    assert!(status == 201 || status == 200, "{body}");
}

/// Runs `spanmark` in `dir` as `user` (through the environment, as a script would).
pub fn spanmark(dir: &Path, user: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_spanmark"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("SPANMARK_USER")
        .env_remove("SPANMARK_PASSWORD");
    if let Some(user) = user {
        let password = if user == ADMIN.0 {
            ADMIN.1.to_owned()
        } else {
            format!("{user}-pw")
        };
        command
            .env("SPANMARK_USER", user)
            .env("SPANMARK_PASSWORD", password);
    }
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = Vec::new();
    child.stdout.take().unwrap().read_to_end(&mut out).unwrap();
    let output = child.wait_with_output().unwrap();
    Output {
        stdout: out,
        ..output
    }
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("spanmark-team-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
