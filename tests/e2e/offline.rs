//! Offline after the first visit, and a new release offered quietly: the release build's
//! service worker (assets/sw.js) against a static server that goes away and later serves
//! another build.

use super::*;
use crate::harness::{dist_dir, run_scenario_served, TempDir};

/// A copy of `dist` that differs from it as a new release does (its page changed).
fn next_build(dir: &TempDir) -> PathBuf {
    let root = dir.path().join("dist");
    std::fs::create_dir_all(&root).expect("make the new build's folder");
    for entry in std::fs::read_dir(dist_dir()).expect("read dist") {
        let entry = entry.expect("a file of dist");
        std::fs::copy(entry.path(), root.join(entry.file_name())).expect("copy a file of dist");
    }
    let page = std::fs::read_to_string(root.join("index.html")).expect("read index.html");
    assert!(page.contains("<title>Spanmark</title>"), "{page}");
    let page = page.replacen(
        "<title>Spanmark</title>",
        "<title>Spanmark</title><!-- the next release -->",
        1,
    );
    std::fs::write(root.join("index.html"), page).expect("write index.html");
    root
}

#[test]
fn after_the_first_visit_the_app_works_offline_and_a_new_release_is_offered() {
    run_scenario_served("offline", &json!({}), |s, served| async move {
        let app = App::new(s);
        let (text, chars) = app.open_article().await;
        app.wait_service_worker().await;
        // Installable: the page names its manifest, whose icons are there.
        let manifest = app
            .s
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 const href = document.querySelector('link[rel=manifest]').href;
                 fetch(href).then(r => r.json()).then(async m => {
                   const icons = await Promise.all(m.icons.map(i =>
                     fetch(new URL(i.src, href)).then(r => r.ok && r.headers.get('content-type'))));
                   done({ name: m.name, display: m.display, start: m.start_url, icons });
                 }, e => done({ error: String(e) }));",
                vec![],
            )
            .await
            .expect("read the manifest");
        assert_eq!(
            manifest,
            json!({ "name": "Spanmark", "display": "standalone", "start": "./",
                    "icons": ["image/png", "image/png"] })
        );
        let lavrov = want("actor", cp_find(&text, "Sergey Lavrov", 0));
        app.drag_select(lavrov.start, lavrov.end).await;
        app.press('1').await;
        app.expect_spans(&chars, &[lavrov]).await;
        app.settle_autosave().await;

        // The server goes away: a reload still shows the app, the library and the work.
        served.set_offline(true);
        app.reload().await;
        app.expect_doc_text(&text).await;
        app.expect_spans(&chars, &[lavrov]).await;
        app.expect_library("the article listed", |rows| rows.len() == 1)
            .await;
        // An edit is saved, and a download works.
        let kerry = want("actor", cp_find(&text, "John Kerry", 0));
        app.drag_select(kerry.start, kerry.end).await;
        app.press('1').await;
        app.expect_spans(&chars, &[lavrov, kerry]).await;
        app.settle_autosave().await;
        app.reload().await;
        app.expect_spans(&chars, &[lavrov, kerry]).await;
        let file = app.download("default-article.spanmark.json").await;
        assert_eq!(file["spans"].as_array().map(Vec::len), Some(2), "{file}");
        app.screenshot("offline.png").await;
        // The codec worker was never used while online, so it is not here: opening a file says
        // so plainly, and nothing changes. (The browser logs the worker's failed load.)
        app.s.expect_console_error("spanmark-codecs-");
        let note = fixture("short-note.txt");
        app.choose_file(&note).await;
        app.expect_alert("compares annotators is loaded on first use")
            .await;
        app.expect_doc_text(&text).await;
        app.expect_library("still the article alone", |rows| rows.len() == 1)
            .await;
        app.dismiss_alerts().await;

        // A new release is served: the next visit offers it, and nothing reloads by itself.
        let scratch = TempDir::new("next-build");
        served.serve(next_build(&scratch));
        served.set_offline(false);
        app.reload().await;
        app.wait_css("#update-reload").await;
        let notice = app
            .js(
                "return document.querySelector('.update-notice').innerText;",
                vec![],
            )
            .await;
        assert!(
            notice
                .as_str()
                .is_some_and(|n| n.contains("A new version of Spanmark is ready")),
            "{notice}"
        );
        assert_eq!(
            app.js(
                "return document.head.innerHTML.includes('the next release');",
                vec![]
            )
            .await,
            json!(false),
            "the page runs the release it had until asked"
        );
        app.screenshot("update-notice.png").await;
        app.click("#update-reload").await;
        app.wait_js(
            "the new release to run",
            "return document.head.innerHTML.includes('the next release') && !!document.querySelector('article.doc .run');",
            vec![],
        )
        .await;
        app.expect_spans(&chars, &[lavrov, kerry]).await;
        assert_eq!(
            app.js("return !!document.querySelector('#update-reload');", vec![])
                .await,
            json!(false)
        );

        // The codec worker was never used, so the first visit did not fetch it; a later visit
        // served from the cache fetches it in the background, and from then on opening a file
        // (and downloading in another format) works offline too.
        app.wait_js(
            "the service worker to keep the codec worker",
            "return caches.open('spanmark-release').then(c => c.keys()).then(keys =>
               keys.filter(r => new URL(r.url).pathname.startsWith('/spanmark-codecs-')).length === 3);",
            vec![],
        )
        .await;
        served.set_offline(true);
        app.reload().await;
        app.expect_spans(&chars, &[lavrov, kerry]).await;
        app.choose_file(&note).await;
        app.expect_doc_text(&read_text(&note)).await;
    });
}
