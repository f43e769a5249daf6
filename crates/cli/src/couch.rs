//! A CouchDB database over HTTP: the few requests `init`, `push` and `pull` make, with what
//! goes wrong said in the user's terms ([`CouchError`]).
//!
//! ureq, not a hand-written client: it is small, blocking (the command does one thing at a
//! time) and speaks HTTPS for a production server.

use std::time::Duration;

use base64::Engine;
use serde_json::{json, Value};

/// Why a request to the server did not do what was asked.
#[derive(Debug)]
pub enum CouchError {
    /// The URL is not `http(s)://HOST[:PORT]/DATABASE`.
    BadUrl(String),
    /// No answer: the server is down, or the address is wrong.
    Unreachable(String),
    /// 401: no user, or a wrong name or password.
    Unauthorized(String),
    /// 403: the server's rules refuse it (its reason).
    Forbidden(String),
    /// Any other answer that is not a success.
    Http { status: u16, reason: String },
    /// What the server holds cannot be read as Spanmark reads it.
    Content(String),
}

impl std::fmt::Display for CouchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CouchError::BadUrl(why) => write!(f, "{why}"),
            CouchError::Unreachable(why) => write!(f, "the server cannot be reached ({why})"),
            CouchError::Unauthorized(why) => write!(
                f,
                "the server refuses the user ({why}): give --user and the password (or SPANMARK_USER and SPANMARK_PASSWORD)"
            ),
            CouchError::Forbidden(why) => write!(f, "the server refuses it: {why}"),
            CouchError::Http { status, reason } => write!(f, "the server answered {status}: {reason}"),
            CouchError::Content(why) => write!(f, "what the server holds cannot be read: {why}"),
        }
    }
}

/// One database on one server, with the user's credentials.
pub struct Db {
    agent: ureq::Agent,
    /// `http(s)://host:port` without a trailing slash.
    server: String,
    /// The database's name.
    name: String,
    /// The `Authorization` header, when a user is given.
    auth: Option<String>,
}

/// How long one request may take.
const TIMEOUT: Duration = Duration::from_secs(60);

impl Db {
    /// The database at `url` (`http(s)://HOST[:PORT]/DATABASE`), as `user` when given.
    pub fn new(url: &str, user: Option<(&str, &str)>) -> Result<Db, CouchError> {
        let url = url.trim_end_matches('/');
        let bad = || {
            CouchError::BadUrl(format!(
                "{url:?} is not a database address: give http://HOST:PORT/DATABASE"
            ))
        };
        let rest = url
            .strip_prefix("http://")
            .or_else(|| url.strip_prefix("https://"))
            .ok_or_else(bad)?;
        let (_, name) = rest.rsplit_once('/').ok_or_else(bad)?;
        let valid = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_$()+-/".contains(c));
        if !valid {
            return Err(CouchError::BadUrl(format!(
                "{name:?} is not a database name: lower-case letters, digits and _$()+-, starting with a letter"
            )));
        }
        let server = url[..url.len() - name.len() - 1].to_owned();
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(TIMEOUT))
            .build()
            .into();
        let auth = user.map(|(name, password)| {
            let token =
                base64::engine::general_purpose::STANDARD.encode(format!("{name}:{password}"));
            format!("Basic {token}")
        });
        Ok(Db {
            agent,
            server,
            name: name.to_owned(),
            auth,
        })
    }

    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The URL of `path` in the database (`""` for the database itself).
    fn url(&self, path: &str) -> String {
        if path.is_empty() {
            format!("{}/{}", self.server, self.name)
        } else {
            format!("{}/{}/{path}", self.server, self.name)
        }
    }

    /// Sends a request and reads its JSON answer: the status and the body (null when the
    /// body is no JSON).
    fn request(
        &self,
        method: &str,
        url: &str,
        body: Option<&Value>,
    ) -> Result<(u16, Value), CouchError> {
        let result = match (method, body) {
            ("PUT", Some(b)) => self.with_auth_body(self.agent.put(url)).send(b.to_string()),
            ("POST", Some(b)) => self
                .with_auth_body(self.agent.post(url))
                .send(b.to_string()),
            ("PUT", None) => self.with_auth_body(self.agent.put(url)).send_empty(),
            _ => self.with_auth(self.agent.get(url)).call(),
        };
        let mut response = result.map_err(|e| CouchError::Unreachable(e.to_string()))?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .with_config()
            .limit(256 * 1024 * 1024)
            .read_to_string()
            .map_err(|e| CouchError::Unreachable(e.to_string()))?;
        let value = serde_json::from_str(&text).unwrap_or(Value::Null);
        Ok((status, value))
    }

    fn with_auth(
        &self,
        request: ureq::RequestBuilder<ureq::typestate::WithoutBody>,
    ) -> ureq::RequestBuilder<ureq::typestate::WithoutBody> {
        let request = request.header("Accept", "application/json");
        match &self.auth {
            Some(auth) => request.header("Authorization", auth),
            None => request,
        }
    }

    fn with_auth_body(
        &self,
        request: ureq::RequestBuilder<ureq::typestate::WithBody>,
    ) -> ureq::RequestBuilder<ureq::typestate::WithBody> {
        let request = request
            .header("Accept", "application/json")
            .header("Content-Type", "application/json");
        match &self.auth {
            Some(auth) => request.header("Authorization", auth),
            None => request,
        }
    }

    /// Creates the database unless it is there; whether it was created.
    pub fn create_if_missing(&self) -> Result<bool, CouchError> {
        let (status, body) = self.request("PUT", &self.url(""), None)?;
        match status {
            201 | 202 => Ok(true),
            412 => Ok(false),
            _ => Err(error(status, &body)),
        }
    }

    /// The document `id`, or `None` when there is none.
    pub fn get(&self, id: &str) -> Result<Option<Value>, CouchError> {
        let (status, body) = self.request("GET", &self.url(&encode(id)), None)?;
        match status {
            200 => Ok(Some(body)),
            404 => Ok(None),
            _ => Err(error(status, &body)),
        }
    }

    /// Writes `doc` (its `_id` inside), over the version the server has when there is one:
    /// its new revision.
    pub fn put_latest(&self, doc: &Value) -> Result<String, CouchError> {
        let id = doc["_id"].as_str().unwrap_or_default().to_owned();
        let mut doc = doc.clone();
        if let Some(old) = self.get(&id)? {
            doc["_rev"] = old["_rev"].clone();
        }
        self.put(&id, &doc)
    }

    /// Writes `doc` as document `id` (with the `_rev` it carries): its new revision.
    pub fn put(&self, id: &str, doc: &Value) -> Result<String, CouchError> {
        let (status, body) = self.request("PUT", &self.url(&encode(id)), Some(doc))?;
        match status {
            200..=202 => Ok(body["rev"].as_str().unwrap_or_default().to_owned()),
            _ => Err(error(status, &body)),
        }
    }

    /// Sets the database's `_security`.
    pub fn set_security(&self, security: &Value) -> Result<(), CouchError> {
        let (status, body) = self.request("PUT", &self.url("_security"), Some(security))?;
        match status {
            200..=202 => Ok(()),
            _ => Err(error(status, &body)),
        }
    }

    /// The names of the server's users with `role` (reading `_users` needs a server admin).
    pub fn users_with_role(&self, role: &str) -> Result<Vec<String>, CouchError> {
        let url = format!("{}/_users/_all_docs?include_docs=true", self.server);
        let (status, answer) = self.request("GET", &url, None)?;
        match status {
            200 => {}
            401 | 403 => {
                return Err(CouchError::Forbidden(
                    "only a server admin may list the users: give --annotators NAME,NAME,…"
                        .to_owned(),
                ))
            }
            _ => return Err(error(status, &answer)),
        }
        let mut names: Vec<String> = answer["rows"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| &r["doc"])
            .filter(|d| {
                d["roles"]
                    .as_array()
                    .is_some_and(|roles| roles.iter().any(|r| r == role))
            })
            .filter_map(|d| d["name"].as_str().map(str::to_owned))
            .collect();
        names.sort();
        Ok(names)
    }

    /// Every document whose id starts with `prefix`, in id order.
    pub fn all_with_prefix(&self, prefix: &str) -> Result<Vec<Value>, CouchError> {
        let body = json!({
            "startkey": prefix,
            "endkey": format!("{prefix}\u{fff0}"),
            "include_docs": true,
        });
        let (status, answer) = self.request("POST", &self.url("_all_docs"), Some(&body))?;
        if status != 200 {
            return Err(error(status, &answer));
        }
        Ok(answer["rows"]
            .as_array()
            .map(|rows| {
                rows.iter()
                    .map(|r| r["doc"].clone())
                    .filter(Value::is_object)
                    .collect()
            })
            .unwrap_or_default())
    }
}

/// A document id in a URL: `/` and the characters URLs reserve, percent-encoded (a design
/// document's `_design/` stays as it is).
fn encode(id: &str) -> String {
    if let Some(rest) = id.strip_prefix("_design/") {
        return format!("_design/{}", encode(rest));
    }
    id.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b':' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The error of an answer with `status` and JSON `body` (`{"error", "reason"}`).
fn error(status: u16, body: &Value) -> CouchError {
    let reason = body["reason"]
        .as_str()
        .or_else(|| body["error"].as_str())
        .unwrap_or("no reason given")
        .to_owned();
    match status {
        401 => CouchError::Unauthorized(reason),
        403 => CouchError::Forbidden(reason),
        _ => CouchError::Http { status, reason },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls_are_checked() {
        let db = Db::new("http://127.0.0.1:5984/news-2026/", None).unwrap();
        assert_eq!(db.name(), "news-2026");
        assert_eq!(db.url("doc:a"), "http://127.0.0.1:5984/news-2026/doc:a");
        assert!(Db::new("127.0.0.1:5984/news", None).is_err());
        assert!(Db::new("http://127.0.0.1:5984", None).is_err());
        assert!(Db::new("http://h/News", None).is_err());
        assert!(
            Db::new("https://h/couchdb/news", None).is_ok_and(|d| d.server == "https://h/couchdb")
        );
    }

    #[test]
    fn ids_are_encoded_for_urls() {
        assert_eq!(encode("ann:doc-1:Ana María"), "ann:doc-1:Ana%20Mar%C3%ADa");
        assert_eq!(encode("_design/spanmark"), "_design/spanmark");
        assert_eq!(encode("a/b?c"), "a%2Fb%3Fc");
    }
}
