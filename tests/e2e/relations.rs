//! Relations and notes, driven with the mouse and keys: link a Claim to the Actor who made
//! it, see the arc and the panel entry, refuse a link the schema forbids, delete and undo,
//! annotate with notes, and find it all in storage after a reload and in the download.

use super::*;

/// The relations as stored, as `(kind, from, to)`.
async fn stored_relations(app: &App) -> Vec<(String, String, String)> {
    let v = app
        .js(
            "const d = E2E.storedDoc(); return d ? d.relations : null;",
            vec![],
        )
        .await;
    v.as_array()
        .expect("stored relations")
        .iter()
        .map(|r| {
            let f = |k: &str| r[k].as_str().unwrap_or_default().to_string();
            (f("kind"), f("from"), f("to"))
        })
        .collect()
}

pub(super) async fn wait_relations(app: &App, n: usize) {
    app.wait_js(
        &format!("{n} stored relation(s) and {n} arc(s)"),
        "const d = E2E.storedDoc();\
         return !!d && d.relations.length === arguments[0]\
           && document.querySelectorAll('svg.arcs g.arc').length === arguments[0]\
           && document.querySelectorAll('.relation-entry').length === arguments[0];",
        vec![json!(n)],
    )
    .await;
}

/// The id of the span stored at exactly `[start, end)` with `label`.
pub(super) async fn span_id(app: &App, (start, end): (usize, usize), label: &str) -> String {
    let v = app
        .wait_js(
            "the span to be stored",
            "const d = E2E.storedDoc();\
             const s = d && d.spans.find(s => s.start === arguments[0] && s.end === arguments[1] && s.label === arguments[2]);\
             return s ? s.id : null;",
            vec![json!(start), json!(end), json!(label)],
        )
        .await;
    v.as_str().unwrap().to_string()
}

#[test]
fn link_claims_to_who_made_them() {
    run_scenario("link_claims_to_who_made_them", |s| async move {
        let app = App::new(s);
        let text = default_article();
        app.open().await;

        let lavrov = cp_find(&text, "Sergey Lavrov", 0);
        let claim = (
            cp_find(&text, "accused US of sparing", 0).0,
            cp_find(&text, "al-Assad", 0).1,
        );
        app.drag_select(lavrov.0, lavrov.1).await;
        app.press('1').await;
        let actor = span_id(&app, lavrov, "actor").await;
        app.drag_select(claim.0, claim.1).await;
        app.press('3').await;
        let claim_id = span_id(&app, claim, "claim").await;

        // The claim is selected (new spans are); r starts a link, a click on the actor ends it.
        app.press('r').await;
        app.wait_js(
            "the linking hint",
            "return document.querySelector('[role=status]').textContent.includes('Linking from');",
            vec![],
        )
        .await;
        app.click_at(lavrov.0 + 3).await;
        wait_relations(&app, 1).await;
        assert_eq!(
            stored_relations(&app).await,
            [("said_by".to_string(), claim_id.clone(), actor.clone())]
        );
        let label = app
            .js(
                "return document.querySelector('svg.arcs g.arc text').textContent;",
                vec![],
            )
            .await;
        assert_eq!(
            label,
            json!("said by"),
            "the arc is labelled with the relation type"
        );

        // Linking the actor to the claim breaks the schema: refused, with a message.
        app.click_at(lavrov.0 + 3).await;
        app.press('r').await;
        app.click_at(claim.0 + 3).await;
        app.expect_alert("Not linked").await;
        assert_eq!(stored_relations(&app).await.len(), 1);

        // Select the link in the panel and delete it; undo with the button, redo with keys.
        app.click(".relation-entry").await;
        app.press(char::from(Key::Delete)).await;
        wait_relations(&app, 0).await;
        app.click("#undo").await;
        wait_relations(&app, 1).await;
        chord(&app, &[Key::Control], 'z').await;
        wait_relations(&app, 0).await;
        chord(&app, &[Key::Control, Key::Shift], 'z').await;
        wait_relations(&app, 1).await;

        // Removing a span removes its links; undo brings both back.
        app.click_at(lavrov.0 + 3).await;
        app.press(char::from(Key::Delete)).await;
        wait_relations(&app, 0).await;
        chord(&app, &[Key::Control], 'z').await;
        wait_relations(&app, 1).await;

        // A note on the selected span and one on the document.
        app.click_at(lavrov.0 + 3).await;
        app.click("#span-note").await;
        app.s
            .client
            .find(Locator::Css("#span-note"))
            .await
            .expect("note field")
            .send_keys("Russia's foreign minister")
            .await
            .expect("type the note");
        app.click(".doc-note summary").await; // open the document note (leaving the span note commits it)
        app.click("#document-note").await;
        app.s
            .client
            .find(Locator::Css("#document-note"))
            .await
            .expect("document note")
            .send_keys("RT, 17 June 2016")
            .await
            .expect("type the document note");
        app.click_at(claim.0 + 3).await; // leaving the field commits the note
        app.wait_js(
            "both notes to be stored",
            "const d = E2E.storedDoc();\
             return !!d && d.document.note === 'RT, 17 June 2016'\
               && d.spans.some(s => s.note === \"Russia's foreign minister\");",
            vec![],
        )
        .await;
        let title = app
            .js(
                "return document.querySelector('mark[data-span=\"' + arguments[0] + '\"]').title;",
                vec![json!(actor)],
            )
            .await;
        assert_eq!(
            title,
            json!("Russia's foreign minister"),
            "the note shows on hover"
        );
        app.screenshot("relations.png").await;

        // Everything survives a reload and is in the download.
        app.reload().await;
        wait_relations(&app, 1).await;
        let file = app.download("default-article.spanmark.json").await;
        assert_eq!(file["relations"][0]["kind"], json!("said_by"));
        assert_eq!(file["relations"][0]["from"], json!(claim_id));
        assert_eq!(file["relations"][0]["to"], json!(actor));
        assert_eq!(file["document"]["note"], json!("RT, 17 June 2016"));
        let noted: Vec<&Value> = file["spans"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["id"] == json!(actor))
            .collect();
        assert_eq!(noted[0]["note"], json!("Russia's foreign minister"));
    });
}

/// Tabs until the element matching `css` has focus (at most 80 presses).
async fn tab_to(app: &App, css: &str) {
    for _ in 0..80 {
        let focused = app
            .js(
                "return document.activeElement && document.activeElement.matches(arguments[0]);",
                vec![json!(css)],
            )
            .await;
        if truthy(&focused) {
            return;
        }
        app.press(Key::Tab.into()).await;
    }
    panic!("80 Tabs never reached {css}");
}

/// Without the mouse: tag an Actor and a Claim, link the Claim to the Actor with `said_by`,
/// undo and redo the link, reload, download, and find the relation in the file.
#[test]
fn keyboard_only_linking() {
    run_scenario("keyboard_only_linking", |s| async move {
        let app = App::new(s);
        let text = default_article();
        app.open().await;
        tab_to(&app, "article.doc").await;

        // "Vladimir Putin" (first line): extend by two words, tag as Actor.
        chord(&app, &[Key::Shift, Key::Control], Key::Right).await;
        chord(&app, &[Key::Shift, Key::Control], Key::Right).await;
        app.press('1').await;
        let actor = span_id(&app, cp_find(&text, "Vladimir Putin", 0), "actor").await;

        // Next line: "A Russian military jet takes off", tagged as Claim.
        app.press(Key::Down.into()).await;
        app.press(Key::Home.into()).await;
        for _ in 0..6 {
            chord(&app, &[Key::Shift, Key::Control], Key::Right).await;
        }
        app.press('3').await;
        let claim = span_id(
            &app,
            cp_find(&text, "A Russian military jet takes off", 0),
            "claim",
        )
        .await;

        // r links from the selected Claim; Shift+Tab picks the Actor before it; Enter links.
        app.press('r').await;
        chord(&app, &[Key::Shift], Key::Tab).await;
        app.press(Key::Enter.into()).await;
        wait_relations(&app, 1).await;
        let expected = vec![("said_by".to_string(), claim.clone(), actor.clone())];
        assert_eq!(stored_relations(&app).await, expected);

        // Undo and redo the link.
        chord(&app, &[Key::Control], 'z').await;
        wait_relations(&app, 0).await;
        chord(&app, &[Key::Control, Key::Shift], 'z').await;
        wait_relations(&app, 1).await;

        // Reload, then Download by keyboard.
        app.reload().await;
        wait_relations(&app, 1).await;
        assert_eq!(stored_relations(&app).await, expected);
        let name = "default-article.spanmark.json";
        let _ = std::fs::remove_file(app.s.downloads.join(name));
        tab_to(&app, "#download").await;
        app.press(Key::Enter.into()).await;
        let file = app.wait_download(name).await;
        assert_eq!(file["relations"].as_array().map(Vec::len), Some(1));
        assert_eq!(file["relations"][0]["kind"], json!("said_by"));
        assert_eq!(file["relations"][0]["from"], json!(claim));
        assert_eq!(file["relations"][0]["to"], json!(actor));
    });
}

/// Whether an arc ends on the first piece of span `to`, where the relation layer puts a link's
/// end (the arrow's tip): the piece's first line box, `min(width / 2, 24)` px in, 4 px down,
/// relative to the text's box.
const AN_ARC_ENDS_ON: &str = r#"
const [to] = arguments;
const piece = document.querySelector(`.doc [data-span="${to}"]`);
if (!piece) return false;
const o = document.querySelector('.doc-wrap').getBoundingClientRect();
const r = piece.getClientRects()[0];
const want = [r.left - o.left + Math.min(r.width / 2, 24), r.top - o.top + 4];
return [...document.querySelectorAll('.arcs g.arc path.line')].some((line) => {
  const end = line.getAttribute('d').trim().split(/[^0-9.-]+/).filter(Boolean).slice(-2).map(Number);
  return Math.abs(end[0] - want[0]) < 1.5 && Math.abs(end[1] - want[1]) < 1.5;
});
"#;

/// Links a claim over `claim` to an actor over `actor` (both new spans), with the mouse and
/// keys; the actor's span id.
async fn link_claim_to_actor(app: &App, claim: (usize, usize), actor: (usize, usize)) -> String {
    app.drag_select(actor.0, actor.1).await;
    app.press('1').await;
    let actor_id = span_id(app, actor, "actor").await;
    app.drag_select(claim.0, claim.1).await;
    app.press('3').await;
    span_id(app, claim, "claim").await;
    app.press('r').await;
    app.click_at(actor.0 + 3).await;
    actor_id
}

/// Regression: the arcs were measured once per edit. After a reload the paragraphs were still
/// estimated heights (`content-visibility`) when the arcs were measured, and once drawn they
/// pushed the text down: every arc stayed over other text. And an end measured off screen,
/// drawn at its paragraph's start, stayed there once scrolled into view.
#[test]
fn an_arc_stays_on_its_spans_after_a_reload_and_a_scroll() {
    run_scenario("an_arc_stays_on_its_spans", |s| async move {
        let app = App::new(s);
        let text = default_article();
        app.open().await;
        app.expect_doc_text(&text).await;
        // One link near the top, one far below it.
        let official = link_claim_to_actor(
            &app,
            cp_find(&text, "Russia allegedly bombed US-backed rebels", 0),
            cp_find(&text, "an official in Washington", 0),
        )
        .await;
        wait_relations(&app, 1).await;
        let lavrov = link_claim_to_actor(
            &app,
            (
                cp_find(&text, "accused US of sparing", 0).0,
                cp_find(&text, "al-Assad", 0).1,
            ),
            cp_find(&text, "Sergey Lavrov", 0),
        )
        .await;
        wait_relations(&app, 2).await;
        app.settle_autosave().await;

        // Reloaded at the top: the first link is on screen, the second below it.
        app.js("window.scrollTo(0, 0);", vec![]).await;
        app.reload().await;
        app.expect_doc_text(&text).await;
        app.wait_js(
            "the arc on screen on its spans after a reload",
            AN_ARC_ENDS_ON,
            vec![json!(official)],
        )
        .await;
        app.js(
            "document.querySelector(`.doc [data-span=\"${arguments[0]}\"]`).scrollIntoView({block: 'center'});",
            vec![json!(lavrov)],
        )
        .await;
        app.wait_js(
            "the arc below on its spans once scrolled to",
            AN_ARC_ENDS_ON,
            vec![json!(lavrov)],
        )
        .await;
        app.screenshot("arc-after-scroll.png").await;
    });
}
