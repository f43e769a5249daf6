//! Team scenarios: the app with a team server behind its origin (`/couchdb/`), several
//! browsers (people, or one person's devices), and the server going away and coming back.
//! See team_harness.rs for what a scenario gets.

use super::*;
use crate::team_harness::{run_team_scenario, TeamWorld, PROJECT};

/// A `fetch` of `path` from the page with `init` (fetch's options): the status and the body
/// (JSON when it is JSON, else the text), or `{"error": ...}` for a network error.
pub(crate) async fn page_fetch(s: &Session, path: &str, init: Value) -> Value {
    s.client
        .execute_async(
            "const [path, init, done] = arguments;
             fetch(path, init)
               .then(async r => {
                 const text = await r.text();
                 let body = text;
                 try { body = JSON.parse(text); } catch (e) {}
                 done({ status: r.status, body });
               })
               .catch(e => done({ error: String(e) }));",
            vec![json!(path), init],
        )
        .await
        .unwrap_or_else(|e| panic!("fetch {path} from the page: {e}"))
}

/// Signs `name` in from the page (`POST /couchdb/_session`): the answer of [`page_fetch`].
pub(crate) async fn page_sign_in(s: &Session, name: &str, password: &str) -> Value {
    page_fetch(
        s,
        "/couchdb/_session",
        json!({
            "method": "POST",
            "headers": { "Content-Type": "application/json" },
            "body": json!({ "name": name, "password": password }).to_string(),
        }),
    )
    .await
}

/// The status of a page's GET of `path` (0 for a network error).
async fn page_get_status(s: &Session, path: &str) -> u64 {
    let answer = page_fetch(s, path, json!({})).await;
    answer["status"].as_u64().unwrap_or(0)
}

#[test]
fn the_team_server_answers_through_the_apps_origin() {
    run_team_scenario(
        "team-server-through-origin",
        |world: TeamWorld| async move {
            // Straight to the server: nobody may write without signing in.
            let (status, body) = world.server.request(
                "PUT",
                &format!("/{PROJECT}/ann:x:anna"),
                None,
                Some(r#"{"spans": []}"#),
            );
            assert_eq!(status, 401, "an anonymous write: {body}");
            assert_eq!(world.server.annotations("x", "anna"), None);
            let doc = spanmark_core::AnnotatedDocument::new(spanmark_core::Document::new(
                "note",
                "Anna reads this.",
            ));
            let key = spanmark_formats::team::doc_key(&doc.document.id);

            let anna = world.browser("anna").await;
            anna.client
                .goto(&anna.base_url)
                .await
                .expect("open the app");

            // Signing in through the app's origin: a session cookie for that origin.
            let answer = page_sign_in(&anna, "anna", "anna-pw").await;
            assert_eq!(answer["status"], json!(200), "{answer}");
            assert_eq!(answer["body"]["ok"], json!(true), "{answer}");
            assert_eq!(answer["body"]["roles"], json!(["annotator"]), "{answer}");
            let project = format!("{}/{PROJECT}", world.couchdb_url());
            assert_eq!(page_get_status(&anna, &project).await, 200);

            // Her cookie lets her write her own annotations, with the server's rules.
            world.server.put_document(&doc);
            let ann = spanmark_formats::team::ann_key(&doc.document.id, "anna");
            let answer = page_fetch(
                &anna,
                &format!("{project}/{ann}"),
                json!({
                    "method": "PUT",
                    "headers": { "Content-Type": "application/json" },
                    "body": json!({
                        "spans": [{ "id": "s1", "label": "actor", "start": 0, "end": 4, "text": "Anna" }],
                        "relations": [],
                    }).to_string(),
                }),
            )
            .await;
            assert_eq!(answer["status"], json!(201), "{answer}");
            world
                .server
                .wait_for_annotations(&doc.document.id, "anna", WAIT, |a| {
                    a["spans"][0]["text"] == json!("Anna")
                })
                .await;

            // A wrong password is refused, and said so.
            let answer = page_sign_in(&anna, "anna", "not-her-password").await;
            assert_eq!(answer["status"], json!(401), "{answer}");
            assert_eq!(answer["body"]["error"], json!("unauthorized"), "{answer}");

            // The team server goes away: the app's origin answers 502 for it, and a long poll
            // in flight is cut; the app's own pages are still there.
            world.down(true);
            assert!(world.is_down());
            let answer = page_fetch(&anna, &project, json!({})).await;
            assert_eq!(answer["status"], json!(502), "{answer}");
            assert_eq!(page_get_status(&anna, "/index.html").await, 200);
            world.down(false);
            assert_eq!(page_get_status(&anna, &project).await, 200);

            // A long poll streams through the origin until the server answers it: a change
            // made on the server arrives.
            let poll = format!(
                "{project}/_changes?feed=longpoll&since=now&include_docs=true&timeout=20000"
            );
            anna.client
                .execute(
                    "window.__poll = fetch(arguments[0]).then(r => r.json()).then(
                       body => ({ body }), e => ({ error: String(e) }));",
                    vec![json!(poll)],
                )
                .await
                .expect("start a long poll");
            tokio::time::sleep(Duration::from_millis(500)).await;
            let mut changed = doc.clone();
            changed.document.title = "a note, renamed".into();
            world.server.put_document(&changed);
            let arrived = anna
                .client
                .execute_async(
                    "const done = arguments[arguments.length - 1]; window.__poll.then(done);",
                    vec![],
                )
                .await
                .expect("wait for the long poll");
            assert_eq!(arrived["body"]["results"][0]["id"], json!(key), "{arrived}");
            assert_eq!(
                arrived["body"]["results"][0]["doc"]["title"],
                json!("a note, renamed"),
                "{arrived}"
            );

            // A long poll in flight when the server goes away is cut: a network error.
            anna.client
                .execute(
                    "window.__poll = fetch(arguments[0]).then(r => r.json()).then(
                       body => ({ body }), e => ({ error: String(e) }));",
                    vec![json!(poll)],
                )
                .await
                .expect("start a long poll");
            tokio::time::sleep(Duration::from_millis(500)).await;
            let cut_at = Instant::now();
            world.down(true);
            let cut = anna
                .client
                .execute_async(
                    "const done = arguments[arguments.length - 1]; window.__poll.then(done);",
                    vec![],
                )
                .await
                .expect("wait for the cut long poll");
            assert!(cut["error"].is_string(), "{cut}");
            assert!(
                cut_at.elapsed() < Duration::from_secs(5),
                "the cut took {:?}",
                cut_at.elapsed()
            );
            world.down(false);
            assert_eq!(page_get_status(&anna, &project).await, 200);
        },
    );
}
