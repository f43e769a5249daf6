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

// =============================================================================================
// The app as a team uses it
// =============================================================================================

/// The project's document in these scenarios, as the server has it, and the spans tagged in it.
struct Briefing {
    /// Its id in the project.
    id: String,
    text: String,
    chars: Vec<char>,
    lavrov: Want,
    washington: Want,
    kerry: Want,
    syria: Want,
}

/// Puts the briefing into the project: the default article under a title of its own, with
/// the default labels (as a curator's `spanmark push` gives a plain text).
fn put_briefing(world: &TeamWorld) -> Briefing {
    let text = default_article();
    let doc = spanmark_core::AnnotatedDocument::new(spanmark_core::Document::new(
        "briefing",
        text.clone(),
    ));
    world.server.put_document(&doc);
    Briefing {
        id: doc.document.id,
        chars: text.chars().collect(),
        lavrov: want("actor", cp_find(&text, "Sergey Lavrov", 0)),
        washington: want("place", cp_find(&text, "Washington", 0)),
        kerry: want("actor", cp_find(&text, "Kerry", 0)),
        syria: want("place", cp_find(&text, "Syria", 0)),
        text,
    }
}

/// Types `value` into the field `css`, replacing what it held, key by key.
async fn type_into(app: &App, css: &str, value: &str) {
    app.wait_css(css).await;
    let field = app
        .s
        .client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("find {css}: {e}"));
    field.clear().await.expect("clear the field");
    field.send_keys(value).await.expect("type into the field");
}

/// Signs in through the Team dialog as `user` with `password` (the server and the project as
/// the dialog has them, or the project's database when it has none).
async fn sign_in(app: &App, user: &str, password: &str) {
    app.click("#team-open").await;
    app.wait_css("#team-dialog[open] #team-user").await;
    let db = app
        .js("return document.querySelector('#team-db').value;", vec![])
        .await;
    if db.as_str() != Some(PROJECT) {
        type_into(app, "#team-db", PROJECT).await;
    }
    type_into(app, "#team-user", user).await;
    type_into(app, "#team-password", password).await;
    app.click("#team-connect").await;
}

/// Connects as `user` with the right password and waits until the dialog has closed.
pub(crate) async fn connect(app: &App, user: &str) {
    sign_in(app, user, &crate::team_harness::password(user)).await;
    app.wait_js(
        "the Team dialog to close after connecting",
        "return !document.querySelector('#team-dialog').open;",
        vec![],
    )
    .await;
}

/// Waits until the sync indicator says `text`.
pub(crate) async fn expect_sync(app: &App, text: &str) {
    app.wait_js(
        &format!("the sync indicator to say \u{201c}{text}\u{201d}"),
        "const s = document.querySelector('#sync-state'); return !!s && s.innerText.trim() === arguments[0];",
        vec![json!(text)],
    )
    .await;
}

/// Opens the document listed as `name` (waiting for it to be listed), marked as a team
/// document, and waits until it shows; returns its library id.
async fn open_named(app: &App, name: &str) -> String {
    let rows = app
        .expect_library(&format!("a document named {name}"), |r| {
            r.iter().any(|d| d.name.as_deref() == Some(name))
        })
        .await;
    let id = rows
        .iter()
        .find(|d| d.name.as_deref() == Some(name))
        .map(|d| d.id.clone())
        .unwrap_or_default();
    let row = format!("li.doc-item[data-doc=\"{id}\"]");
    app.wait_css(&format!("{row} .doc-team")).await;
    app.click(&format!("{row} button.doc-open")).await;
    app.wait_js(
        &format!("{name} to open"),
        "return document.querySelector('h1.doc-title').innerText === arguments[0];",
        vec![json!(name)],
    )
    .await;
    app.wait_css("article.doc .run").await;
    id
}

/// Tags `w` by dragging over its text and pressing its label's key.
pub(crate) async fn tag(app: &App, w: Want) {
    app.drag_select(w.start, w.end).await;
    app.press(key_of(w.label)).await;
}

/// Waits until the server holds exactly `want` as `user`'s annotations of `id`.
async fn expect_on_server(world: &TeamWorld, id: &str, user: &str, want: &[Want]) {
    let want = super::tabs::keys(want);
    world
        .server
        .wait_for_annotations(id, user, Duration::from_secs(20), |a| {
            super::tabs::span_tuples(&a["spans"]) == want
        })
        .await;
}

/// Two annotators sign in in two browsers and tag the same document: each sees only their own
/// spans, both are on the server under their own `ann:` ids, and a curator sees both, a new
/// span arriving there without a reload. The page's policy still allows connections to its
/// own origin only.
#[test]
fn two_annotators_work_apart_and_the_curator_sees_both() {
    run_team_scenario(
        "two-annotators-and-a-curator",
        |world: TeamWorld| async move {
            let Briefing {
                id,
                chars,
                lavrov,
                washington,
                syria,
                ..
            } = put_briefing(&world);

            let anna = App::new(world.browser("anna").await);
            anna.open_article().await;
            let policy = anna
            .js(
                "return document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]').content;",
                vec![],
            )
            .await;
            assert!(
                policy
                    .as_str()
                    .is_some_and(|p| p.contains("connect-src 'self'")),
                "the page's policy: {policy}"
            );
            connect(&anna, "anna").await;
            expect_sync(&anna, "Synced").await;
            open_named(&anna, "briefing").await;
            tag(&anna, lavrov).await;
            expect_on_server(&world, &id, "anna", &[lavrov]).await;
            expect_sync(&anna, "Synced").await;

            let ben = App::new(world.browser("ben").await);
            ben.open_article().await;
            connect(&ben, "ben").await;
            open_named(&ben, "briefing").await;
            // Anna's work is hers: not in Ben's copy.
            ben.expect_spans(&chars, &[]).await;
            tag(&ben, washington).await;
            expect_on_server(&world, &id, "ben", &[washington]).await;
            expect_on_server(&world, &id, "anna", &[lavrov]).await;
            anna.expect_spans(&chars, &[lavrov]).await;

            let cora = App::new(world.browser("cora").await);
            cora.open_article().await;
            connect(&cora, "cora").await;
            open_named(&cora, "briefing \u{2014} anna").await;
            cora.expect_spans(&chars, &[lavrov]).await;
            open_named(&cora, "briefing \u{2014} ben").await;
            cora.expect_spans(&chars, &[washington]).await;
            cora.screenshot("team-curator.png").await;
            // Ben goes on; the curator sees it come, without a reload.
            tag(&ben, syria).await;
            expect_on_server(&world, &id, "ben", &[syria, washington]).await;
            cora.expect_spans(&chars, &[syria, washington]).await;
            // The annotators' copies are untouched by each other.
            anna.expect_spans(&chars, &[lavrov]).await;
        },
    );
}

/// Words of the default article, each the first of its kind there, to tag one by one.
const TWENTY: [&str; 20] = [
    "Russian",
    "military",
    "jet",
    "takes",
    "off",
    "Syria",
    "air",
    "base",
    "Hmeymin",
    "head",
    "back",
    "partial",
    "withdrawal",
    "ordered",
    "President",
    "file",
    "picture",
    "Reuters",
    "allegedly",
    "bombed",
];

/// The team server goes away; an annotator makes 20 edits, which wait (and say so), survive a
/// reload, and all arrive, once each, when the server is back.
#[test]
fn twenty_offline_edits_survive_a_reload_and_all_arrive() {
    run_team_scenario("offline-edits", |world: TeamWorld| async move {
        let Briefing {
            id, text, chars, ..
        } = put_briefing(&world);
        let words: Vec<Want> = TWENTY
            .iter()
            .map(|w| want("actor", cp_find(&text, w, 0)))
            .collect();

        let anna = App::new(world.browser("anna").await);
        anna.open_article().await;
        connect(&anna, "anna").await;
        open_named(&anna, "briefing").await;
        expect_sync(&anna, "Synced").await;

        world.down(true);
        for (i, w) in words.iter().enumerate() {
            tag(&anna, *w).await;
            anna.expect_spans(&chars, &words[..=i]).await;
        }
        expect_sync(&anna, "Offline \u{2014} 20 changes waiting").await;
        anna.screenshot("team-offline.png").await;
        assert_eq!(world.server.annotations(&id, "anna"), None);

        anna.reload().await;
        anna.expect_spans(&chars, &words).await;
        expect_sync(&anna, "Offline \u{2014} 20 changes waiting").await;

        world.down(false);
        expect_on_server(&world, &id, "anna", &words).await;
        expect_sync(&anna, "Synced").await;
        // Once each: the server's document holds each span once, and its history is short.
        let ann = world.server.annotations(&id, "anna").unwrap_or_default();
        assert_eq!(ann["spans"].as_array().map(Vec::len), Some(20), "{ann}");
        anna.expect_spans(&chars, &words).await;
    });
}

/// One annotator on two devices, both offline, tags different words in the same document.
/// Back online, the server holds the merge of both, and both devices show it.
#[test]
fn one_annotators_two_offline_devices_are_merged() {
    run_team_scenario("two-devices-merge", |world: TeamWorld| async move {
        let Briefing {
            id,
            chars,
            lavrov,
            washington,
            kerry,
            ..
        } = put_briefing(&world);

        let laptop = App::new(world.browser("anna-laptop").await);
        laptop.open_article().await;
        connect(&laptop, "anna").await;
        open_named(&laptop, "briefing").await;
        tag(&laptop, kerry).await;
        expect_on_server(&world, &id, "anna", &[kerry]).await;

        let desktop = App::new(world.browser("anna-desktop").await);
        desktop.open_article().await;
        connect(&desktop, "anna").await;
        open_named(&desktop, "briefing").await;
        desktop.expect_spans(&chars, &[kerry]).await;

        world.down(true);
        tag(&laptop, lavrov).await;
        tag(&desktop, washington).await;
        expect_sync(&laptop, "Offline \u{2014} 1 change waiting").await;
        expect_sync(&desktop, "Offline \u{2014} 1 change waiting").await;
        world.down(false);

        expect_on_server(&world, &id, "anna", &[kerry, lavrov, washington]).await;
        laptop
            .expect_spans(&chars, &[kerry, lavrov, washington])
            .await;
        desktop
            .expect_spans(&chars, &[kerry, lavrov, washington])
            .await;
        expect_sync(&laptop, "Synced").await;
        expect_sync(&desktop, "Synced").await;
    });
}

/// The server's rules, as the app meets them: a wrong password is said; a request without a
/// session is refused; an annotator's changes to another's annotations are refused with the
/// server's reason, kept, and offered as a download; an ended session asks to sign in again
/// and keeps the waiting edit, which arrives after signing in.
#[test]
fn the_servers_refusals_are_said_and_nothing_is_lost() {
    run_team_scenario("team-refusals", |world: TeamWorld| async move {
        let Briefing {
            id,
            chars,
            lavrov,
            washington,
            kerry,
            ..
        } = put_briefing(&world);

        let app = App::new(world.browser("shared-computer").await);
        app.open_article().await;
        // Not signed in: the server refuses, through the app's origin too.
        let answer = page_fetch(
            &app.s,
            &format!("/couchdb/{PROJECT}/{}", spanmark_formats::team::ann_key(&id, "anna")),
            json!({ "method": "PUT", "headers": { "Content-Type": "application/json" }, "body": "{\"spans\": []}" }),
        )
        .await;
        assert_eq!(answer["status"], json!(401), "{answer}");

        sign_in(&app, "anna", "not-her-password").await;
        app.wait_js(
            "the dialog to say the password is wrong",
            "const e = document.querySelector('#team-error'); return !!e && e.innerText === 'Wrong user name or password.';",
            vec![],
        )
        .await;
        app.screenshot("team-dialog.png").await;
        type_into(&app, "#team-password", "anna-pw").await;
        app.click("#team-connect").await;
        app.wait_js(
            "the Team dialog to close",
            "return !document.querySelector('#team-dialog').open;",
            vec![],
        )
        .await;
        open_named(&app, "briefing").await;
        tag(&app, lavrov).await;
        expect_on_server(&world, &id, "anna", &[lavrov]).await;

        // Her session ends on the server (her account was changed): the next edit waits,
        // and the app asks her to sign in again.
        world
            .server
            .add_user("anna", &[spanmark_formats::team::ANNOTATOR]);
        tag(&app, kerry).await;
        app.expect_alert("The team server asks you to sign in again")
            .await;
        app.wait_css("button#sync-state[data-state=\"sign-in\"]")
            .await;
        // The indicator is at the top of the page, above the article.
        app.js("window.scrollTo(0, 0); return true;", vec![]).await;
        app.click("button#sync-state").await;
        app.wait_css("#team-dialog[open] #team-password").await;
        type_into(&app, "#team-password", "anna-pw").await;
        app.click("#team-connect").await;
        expect_on_server(&world, &id, "anna", &[kerry, lavrov]).await;
        expect_sync(&app, "Synced").await;
        let alerts = app.js("return E2E.alerts();", vec![]).await;
        assert_eq!(alerts, json!([]), "signing in again answers the alert");

        // Anna leaves; Ben signs in at the same computer while her copy has an edit waiting:
        // the server refuses to let him write her annotations, the app says why and offers
        // the work as a download.
        app.click("#team-open").await;
        app.click("#team-disconnect").await;
        expect_sync(&app, "").await;
        tag(&app, washington).await;
        expect_sync(&app, "Not connected \u{2014} 1 change waiting").await;
        connect(&app, "ben").await;
        let alert = app
            .expect_alert("Only anna may write the annotations of anna.")
            .await;
        assert!(alert.contains("briefing"), "{alert}");
        expect_on_server(&world, &id, "anna", &[kerry, lavrov]).await;
        app.expect_spans(&chars, &[kerry, lavrov, washington]).await;
        app.screenshot("team-refused.png").await;
        // With Ben signed in, Anna's copy here is named after her, beside Ben's own (empty).
        let rows = app
            .expect_library("Ben's copy beside Anna's", |r| {
                let named = |n: &str| r.iter().filter(|d| d.name.as_deref() == Some(n)).count();
                named("briefing") == 1 && named("briefing \u{2014} anna") == 1
            })
            .await;
        assert_eq!(rows.len(), 3, "{rows:#?}");
        let file_name = "briefing \u{2014} anna.spanmark.json";
        app.click(".alert button.rescue").await;
        let file = app.wait_download(file_name).await;
        assert_eq!(file["spans"].as_array().map(Vec::len), Some(3), "{file}");
    });
}
