//! The only code that talks to a team server: CouchDB's HTTP API through the browser's `fetch`,
//! on the app's own origin (`/couchdb/`, passed on to CouchDB by the web server), so that the
//! Content-Security-Policy's `connect-src 'self'` stays as it is. Signing in is CouchDB's
//! `_session`: the browser keeps the cookie it sets; the password goes in that one request and
//! is never stored. Each answer comes back as JSON or as a typed [`CouchError`].
//!
//! `fetch` from web-sys rather than a crate: a request, its status and its text are all this
//! needs, and the browser already has them.

use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Why a request to the team server did not do what it asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CouchError {
    /// The server could not be reached: the network, or the web server in front of it saying
    /// it is down (502, 503, 504). Worth trying again later.
    Unreachable,
    /// 401: not signed in (any more), or a wrong name or password.
    Unauthorized(String),
    /// 403: the server's rules refuse it; its reason.
    Forbidden(String),
    /// 409: the document changed on the server since the revision sent.
    Conflict,
    /// 404: no such document or database.
    NotFound,
    /// Anything else, with the server's reason.
    Other(u16, String),
}

impl std::fmt::Display for CouchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CouchError::Unreachable => write!(f, "the team server cannot be reached"),
            CouchError::Unauthorized(r) | CouchError::Forbidden(r) => write!(f, "{r}"),
            CouchError::Conflict => write!(f, "the document changed on the server"),
            CouchError::NotFound => write!(f, "not found on the server"),
            CouchError::Other(status, r) => write!(f, "the server answered {status}: {r}"),
        }
    }
}

/// The server's reason in an error body (`{"error": …, "reason": …}`).
fn reason(body: &Value) -> String {
    body["reason"]
        .as_str()
        .or_else(|| body["error"].as_str())
        .unwrap_or("no reason given")
        .to_owned()
}

/// Sends `method` to `url` with the JSON `body`, and gives the answer's JSON. `signal` (from
/// an `AbortController`) cancels it: then it is `Unreachable`, and nothing of its answer (a
/// cookie it would set among them) is taken.
pub async fn request(
    method: &str,
    url: &str,
    body: Option<&Value>,
    signal: Option<&web_sys::AbortSignal>,
) -> Result<Value, CouchError> {
    let window = web_sys::window().ok_or(CouchError::Unreachable)?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    // Never an answer from the browser's cache: revisions and the feed must be the server's.
    init.set_cache(web_sys::RequestCache::NoStore);
    let headers = web_sys::Headers::new().map_err(|_| CouchError::Unreachable)?;
    let _ = headers.set("Accept", "application/json");
    if let Some(body) = body {
        let _ = headers.set("Content-Type", "application/json");
        init.set_body(&JsValue::from_str(&body.to_string()));
    }
    init.set_headers(&headers);
    if signal.is_some() {
        init.set_signal(signal);
    }
    let response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(|_| CouchError::Unreachable)?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| CouchError::Unreachable)?;
    let status = response.status();
    // A connection cut while the body comes (a long poll when the server goes away) is the
    // server being unreachable, not an empty answer.
    let text = JsFuture::from(response.text().map_err(|_| CouchError::Unreachable)?)
        .await
        .map_err(|_| CouchError::Unreachable)?
        .as_string()
        .unwrap_or_default();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    match status {
        200..=299 => Ok(json),
        401 => Err(CouchError::Unauthorized(reason(&json))),
        403 => Err(CouchError::Forbidden(reason(&json))),
        404 => Err(CouchError::NotFound),
        409 => Err(CouchError::Conflict),
        502..=504 => Err(CouchError::Unreachable),
        _ => Err(CouchError::Other(status, reason(&json))),
    }
}

/// `part` as one segment of a URL's path or a query value (`encodeURIComponent`).
pub fn encode(part: &str) -> String {
    js_sys::encode_uri_component(part).into()
}

/// Now, as an ISO 8601 time (when an annotation last changed).
pub fn now() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}

/// Waits `ms` milliseconds.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Whether the browser believes it is online (`navigator.onLine`).
pub fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}
