//! The codec worker, from both sides. Every file format but Spanmark's own, and zip, live in a
//! second wasm binary (`spanmark-codecs`, `src/worker.rs`) run as a web worker: the first view
//! never downloads them, and reading a large file does not hold up the page. The worker is
//! started on the first Open, Download or Compare that needs it, and stopped after a minute
//! without a job.
//!
//! What crosses is `formats::job`: a job as JSON with its files' bytes beside it, an answer as
//! JSON with a download's bytes beside it. On the page, [`ask`] sends a job and waits for its
//! answer; in the worker, [`serve`] answers jobs with `job::handle`.
//!
//! The release names the worker's files by a hash of their content (`scripts/post-build.mjs`
//! renames them after the build, and writes the name into the page's
//! `<meta name="spanmark-codecs">`), so that a page never meets a worker of another release.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::{Array, Function, Promise, Uint8Array};
use spanmark_formats::job::{Answer, Job};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// What the worker says once it listens: messages sent before would be lost.
const READY: &str = "ready";

/// How long the worker is kept with no job before it is stopped, in milliseconds. Reading a
/// large file grows its memory, which a wasm instance never gives back; a stopped worker is
/// started again by the next job, from the cache.
const IDLE_MS: i32 = 60_000;

/// Why a job got no answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodecsError {
    /// The worker could not be started or loaded (offline before it was ever downloaded, or
    /// the page names no worker).
    Unavailable(String),
    /// The worker answered something this page cannot read.
    Garbled(String),
    /// The worker refused the job (a page and a worker of different releases, say).
    Refused(String),
}

impl CodecsError {
    /// What an alert says of it, in words the user can act on (its `Display` is the detail,
    /// for *Details*).
    pub fn plain(&self) -> &'static str {
        match self {
            CodecsError::Unavailable(_) => "the part of Spanmark that reads other tools' files and compares annotators is loaded on first use, and the page could not reach its server to load it; try again once it can",
            CodecsError::Garbled(_) | CodecsError::Refused(_) => "the part of Spanmark that reads other tools' files and compares annotators failed; try again, or reload the page",
        }
    }
}

impl std::fmt::Display for CodecsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CodecsError::Unavailable(why) => {
                write!(f, "the file formats could not be loaded ({why})")
            }
            CodecsError::Garbled(why) => {
                write!(f, "the file formats answered something unreadable ({why})")
            }
            CodecsError::Refused(why) => write!(f, "the file formats refused: {why}"),
        }
    }
}

/// The running worker, the jobs waiting for it to be ready and those waiting for an answer.
struct Remote {
    worker: web_sys::Worker,
    ready: bool,
    /// Messages (and what they transfer) held until the worker is ready.
    queue: Vec<(Array, Array)>,
    /// Each job's resolve and reject, by id.
    waiting: HashMap<u32, (Function, Function)>,
    next: u32,
    /// The timer that stops the worker once it has been idle for [`IDLE_MS`].
    idle: Option<i32>,
    /// What that timer calls: one function for the worker's life, not one per job.
    on_idle: Closure<dyn Fn()>,
    _on_message: Closure<dyn Fn(web_sys::MessageEvent)>,
    _on_error: Closure<dyn Fn(web_sys::Event)>,
}

thread_local! {
    static REMOTE: RefCell<Option<Rc<RefCell<Remote>>>> = const { RefCell::new(None) };
}

/// The worker's script: named by the page's `<meta name="spanmark-codecs">`.
fn worker_url() -> Result<String, CodecsError> {
    let stem = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector("meta[name=spanmark-codecs]")
                .ok()
                .flatten()
        })
        .and_then(|m| m.get_attribute("content"))
        .filter(|c| !c.is_empty())
        .ok_or_else(|| CodecsError::Unavailable("the page names no codec worker".into()))?;
    Ok(format!("/{stem}_worker.js"))
}

/// The worker, started if it is not running.
fn remote() -> Result<Rc<RefCell<Remote>>, CodecsError> {
    if let Some(r) = REMOTE.with(|r| r.borrow().clone()) {
        return Ok(r);
    }
    let worker =
        web_sys::Worker::new(&worker_url()?).map_err(|e| CodecsError::Unavailable(describe(&e)))?;
    let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(|ev: web_sys::MessageEvent| {
        on_message(ev.data());
    });
    let on_error = Closure::<dyn Fn(web_sys::Event)>::new(|ev: web_sys::Event| {
        let why = ev
            .dyn_ref::<web_sys::ErrorEvent>()
            .map(|e| e.message())
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| "it did not load".into());
        fail_all(&why);
    });
    let on_idle = Closure::<dyn Fn()>::new(stop_if_idle);
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let remote = Rc::new(RefCell::new(Remote {
        worker,
        ready: false,
        queue: Vec::new(),
        waiting: HashMap::new(),
        next: 0,
        idle: None,
        on_idle,
        _on_message: on_message,
        _on_error: on_error,
    }));
    REMOTE.with(|r| *r.borrow_mut() = Some(Rc::clone(&remote)));
    Ok(remote)
}

/// A message from the worker: that it is ready (the held jobs go), or a job's answer.
fn on_message(data: JsValue) {
    let Some(remote) = REMOTE.with(|r| r.borrow().clone()) else {
        return;
    };
    if data.as_string().as_deref() == Some(READY) {
        let (worker, queue) = {
            let mut r = remote.borrow_mut();
            r.ready = true;
            (r.worker.clone(), std::mem::take(&mut r.queue))
        };
        for (message, transfer) in queue {
            if let Err(e) = worker.post_message_with_transfer(&message, &transfer) {
                fail_all(&describe(&e));
                return;
            }
        }
        return;
    }
    let answer: Array = data.unchecked_into();
    let id = answer.get(0).as_f64().map(|n| n as u32);
    let settle = id.and_then(|id| remote.borrow_mut().waiting.remove(&id));
    if remote.borrow().waiting.is_empty() {
        stop_when_idle(&remote);
    }
    // Called outside the borrow: resolving runs no Rust now, but nothing here needs to bet on it.
    if let Some((resolve, _)) = settle {
        let _ = resolve.call1(&JsValue::NULL, &answer);
    }
}

/// Stops the worker [`IDLE_MS`] from now unless a job comes first.
fn stop_when_idle(remote: &Rc<RefCell<Remote>>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let mut r = remote.borrow_mut();
    let timer = window
        .set_timeout_with_callback_and_timeout_and_arguments_0(
            r.on_idle.as_ref().unchecked_ref(),
            IDLE_MS,
        )
        .ok();
    if let Some(previous) = std::mem::replace(&mut r.idle, timer) {
        window.clear_timeout_with_handle(previous);
    }
}

/// The idle timer's end: the worker is stopped unless a job came meanwhile.
fn stop_if_idle() {
    let idle = REMOTE.with(|r| {
        r.borrow()
            .as_ref()
            .is_some_and(|r| r.borrow().waiting.is_empty())
    });
    if idle {
        if let Some(remote) = REMOTE.with(|r| r.borrow_mut().take()) {
            remote.borrow().worker.terminate();
        }
    }
}

/// A job is coming: the worker is not idle.
fn keep(remote: &Rc<RefCell<Remote>>) {
    if let (Some(timer), Some(window)) = (remote.borrow_mut().idle.take(), web_sys::window()) {
        window.clear_timeout_with_handle(timer);
    }
}

/// The worker failed: every job waiting is refused with `why`, and the next job starts a new
/// worker (the network may be back).
fn fail_all(why: &str) {
    let Some(remote) = REMOTE.with(|r| r.borrow_mut().take()) else {
        return;
    };
    let (worker, waiting) = {
        let mut r = remote.borrow_mut();
        (r.worker.clone(), std::mem::take(&mut r.waiting))
    };
    worker.terminate();
    for (_, (_, reject)) in waiting {
        let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(why));
    }
}

fn describe(e: &JsValue) -> String {
    e.as_string()
        .or_else(|| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| "the browser refused".into())
}

/// Has the worker do `job` on `files` (the bytes its names stand for, in order): its answer,
/// and the bytes of a download.
async fn run(job: &Job, files: &[&[u8]]) -> Result<(Answer, Vec<u8>), CodecsError> {
    let json = serde_json::to_string(job).map_err(|e| CodecsError::Garbled(e.to_string()))?;
    let remote = remote()?;
    keep(&remote);
    let message = Array::new();
    let transfer = Array::new();
    let id = {
        let mut r = remote.borrow_mut();
        r.next = r.next.wrapping_add(1);
        r.next
    };
    message.push(&JsValue::from(id));
    message.push(&JsValue::from_str(&json));
    // Each file is copied once, into a buffer of its own that the worker then takes over.
    for &bytes in files {
        let array = Uint8Array::from(bytes);
        transfer.push(&array.buffer());
        message.push(&array);
    }
    let mut settle = None;
    let promise = Promise::new(&mut |resolve, reject| settle = Some((resolve, reject)));
    {
        let mut r = remote.borrow_mut();
        if let Some(settle) = settle {
            r.waiting.insert(id, settle);
        }
        if !r.ready {
            r.queue.push((message, transfer));
        } else if let Err(e) = r.worker.post_message_with_transfer(&message, &transfer) {
            drop(r);
            fail_all(&describe(&e));
        }
    }
    let answer = JsFuture::from(promise)
        .await
        .map_err(|e| CodecsError::Unavailable(describe(&e)))?;
    let answer: Array = answer.unchecked_into();
    let json = answer
        .get(1)
        .as_string()
        .ok_or_else(|| CodecsError::Garbled("no answer".into()))?;
    let bytes = answer.get(2);
    let bytes = if bytes.is_instance_of::<Uint8Array>() {
        Uint8Array::new(&bytes).to_vec()
    } else {
        Vec::new()
    };
    let answer: Answer =
        serde_json::from_str(&json).map_err(|e| CodecsError::Garbled(e.to_string()))?;
    Ok((answer, bytes))
}

/// Has the worker do `job` on `files` (the bytes its names stand for, in order), and returns
/// what `pick` takes from its answer (with a download's bytes); a refusal, or an answer `pick`
/// does not take, is an error.
pub async fn ask<T>(
    job: &Job,
    files: &[&[u8]],
    pick: impl FnOnce(Answer, Vec<u8>) -> Option<T>,
) -> Result<T, CodecsError> {
    match run(job, files).await? {
        (Answer::Refused(why), _) => Err(CodecsError::Refused(why)),
        (answer, bytes) => pick(answer, bytes)
            .ok_or_else(|| CodecsError::Garbled("the answer to another job".into())),
    }
}

/// In the worker: answers every job with `job::handle`, then says it is ready.
pub fn serve() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let replies = scope.clone();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let message: Array = ev.data().unchecked_into();
            let id = message.get(0);
            let job = message.get(1).as_string().unwrap_or_default();
            let files: Vec<Vec<u8>> = (2..message.length())
                .map(|i| Uint8Array::new(&message.get(i)).to_vec())
                .collect();
            let (answer, bytes) = spanmark_formats::job::handle(&job, files);
            let bytes = Uint8Array::from(bytes.as_slice());
            let reply = Array::of3(&id, &JsValue::from_str(&answer), &bytes);
            let _ = replies.post_message_with_transfer(&reply, &Array::of1(&bytes.buffer()));
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker answers as long as it lives.
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str(READY));
}
