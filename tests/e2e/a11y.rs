//! Accessibility and themes: axe-core (`.tools/node_modules/axe-core`, installed by
//! `make setup-tools`) finds no violations on the annotated article, nor with the shortcut
//! list open, in the light theme and in the dark theme; the theme toggle is remembered; `?`
//! opens and Escape closes the shortcut list.

use super::*;

const PREFS_KEY: &str = "spanmark:v1:prefs";

/// The axe-core script, read from disk (it is not vendored into the repository).
pub(super) fn axe_source() -> String {
    let path = repo_root()
        .join(".tools")
        .join("node_modules")
        .join("axe-core")
        .join("axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e} (run `make setup-tools`, which installs axe-core)",
            path.display()
        )
    })
}

/// Runs axe on the whole page and returns its violations as readable lines (empty: none).
///
/// With `article_contrast`, the decorative relation-arc layer (`.arcs`: `aria-hidden`, no
/// pointer events, laid over the article) is hidden during the run: over it axe cannot tell
/// the background of any character of the article and only reports "incomplete" for their
/// colour contrast. In that run, text inside a span (on its fill, or a chip) whose contrast axe
/// still cannot check counts as a failure too, so those contrasts are really measured. (Plain
/// text may stay unchecked where the sticky label bar covers it.)
pub(super) async fn axe_violations(
    app: &App,
    axe: &str,
    context: &str,
    article_contrast: bool,
) -> Vec<String> {
    let loaded = app
        .s
        .client
        .execute("return typeof window.axe === 'object';", vec![])
        .await
        .expect("look for axe");
    if loaded != json!(true) {
        app.s
            .client
            .execute(axe, vec![])
            .await
            .expect("inject axe-core");
    }
    let result = app
        .s
        .client
        .execute_async(
            "const [articleContrast, done] = arguments;
             // Through the style objects: the page's Content-Security-Policy refuses a <style>.
             const arcs = articleContrast ? [...document.querySelectorAll('.arcs')] : [];
             arcs.forEach(a => a.style.setProperty('display', 'none', 'important'));
             const brief = (v, id) => ({
               id: id || v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.map(n => ({
                 target: n.target,
                 summary: n.failureSummary || (n.any || []).map(c => c.message).join('; '),
               })),
             });
             const inSpan = (n) => {
               try { const el = document.querySelector(n.target[0]); return !!el && !!el.closest('article.doc mark.span'); }
               catch (e) { return false; }
             };
             axe.run(document)
               .then(r => {
                 const violations = r.violations.map(v => brief(v));
                 if (articleContrast) {
                   for (const v of r.incomplete.filter(v => v.id === 'color-contrast')) {
                     const nodes = v.nodes.filter(inSpan);
                     if (nodes.length) violations.push(brief({ ...v, nodes }, 'color-contrast (could not be checked)'));
                   }
                 }
                 done({ violations });
               })
               .catch(e => done({ error: String(e && e.stack || e) }))
               .finally(() => arcs.forEach(a => a.style.removeProperty('display')));",
            vec![json!(article_contrast)],
        )
        .await
        .unwrap_or_else(|e| panic!("axe.run failed ({context}): {e}"));
    assert!(
        result["error"].is_null(),
        "axe.run threw ({context}): {}",
        result["error"]
    );
    result["violations"]
        .as_array()
        .expect("violations array")
        .iter()
        .map(|v| {
            let nodes: Vec<String> = v["nodes"]
                .as_array()
                .map(|ns| {
                    ns.iter()
                        .map(|n| {
                            format!(
                                "      {} — {}",
                                n["target"],
                                n["summary"].as_str().unwrap_or("").replace('\n', " ")
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            format!(
                "[{context}] {} ({}): {}\n{}",
                v["id"].as_str().unwrap_or("?"),
                v["impact"].as_str().unwrap_or("?"),
                v["help"].as_str().unwrap_or(""),
                nodes.join("\n")
            )
        })
        .collect()
}

/// The theme in force (`data-theme` on `<html>`).
pub(super) async fn theme(app: &App) -> String {
    app.wait_js(
        "data-theme on <html>",
        "return document.documentElement.dataset.theme || null;",
        vec![],
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// Whether the shortcut list is on screen, as a modal dialog named by its heading.
async fn help_open(app: &App) -> bool {
    truthy(
        &app.js(
            "const d = document.querySelector('[role=dialog][aria-modal=true]#help-dialog');
             if (!d || d.getClientRects().length === 0) return false;
             const title = document.getElementById(d.getAttribute('aria-labelledby'));
             return !!title && /shortcuts/i.test(title.textContent) && d.contains(document.activeElement);",
            vec![],
        )
        .await,
    )
}

async fn wait_help(app: &App, open: bool) {
    let deadline = Instant::now() + WAIT;
    while help_open(app).await != open {
        assert!(
            Instant::now() < deadline,
            "the shortcut list did not {}",
            if open { "open" } else { "close" }
        );
        tokio::time::sleep(POLL).await;
    }
}

/// Scrolls span `id` to the middle of the view (for the screenshots).
async fn show_span(app: &App, id: &str) {
    app.js(
        "document.querySelector(`article.doc mark[data-span='${arguments[0]}']`)
             .scrollIntoView({ block: 'center', behavior: 'instant' });",
        vec![json!(id)],
    )
    .await;
    app.expect_in_view(id).await;
}

/// Runs axe on the page as it is and with the shortcut list open, and collects violations.
async fn check_both_views(app: &App, axe: &str, name: &str, found: &mut Vec<String>) {
    found.extend(axe_violations(app, axe, &format!("{name} theme"), false).await);
    found.extend(axe_violations(app, axe, &format!("{name} theme, article contrast"), true).await);
    app.press('?').await;
    wait_help(app, true).await;
    app.screenshot(&format!("help-{name}.png")).await;
    found.extend(
        axe_violations(
            app,
            axe,
            &format!("{name} theme, shortcut list open"),
            false,
        )
        .await,
    );
    app.press(Key::Escape.into()).await;
    wait_help(app, false).await;
}

#[test]
fn accessibility_in_both_themes() {
    run_scenario("accessibility_in_both_themes", |s| async move {
        let app = App::new(s);
        let axe = axe_source();
        let text = default_article();
        let chars: Vec<char> = text.chars().collect();
        app.open().await;

        // Tag spans of every label, nested, so marks, chips and a selected span are present.
        let actor = want("actor", cp_find(&text, "Sergey Lavrov", 0));
        let claim = want("claim", (actor.start, cp_find(&text, "al-Assad", 0).1));
        let place = want("place", cp_find(&text, "St Petersburg", 0));
        let denial = want("denial", cp_find(&text, "who denied having", 0));
        let mut spans = vec![];
        for w in [actor, claim, place, denial] {
            app.drag_select(w.start, w.end).await;
            app.press(key_of(w.label)).await;
            spans.push(w);
            app.expect_spans(&chars, &spans).await;
        }
        let dom = app.spans().await;
        let actor_id = id_of(&dom, actor);
        app.click_at(actor.start + 2).await;
        app.expect_selected(&[&actor_id]).await;

        // The shortcut list opens from its toolbar button too, and Close returns focus there.
        app.click("#shortcuts").await;
        wait_help(&app, true).await;
        let rows = app
            .js(
                "return Array.from(document.querySelectorAll('#help-dialog tbody tr')).map(r => r.textContent);",
                vec![],
            )
            .await;
        let rows = rows.to_string();
        for needle in [
            "Undo", "Redo", "Delete", "Esc", "Tab", "Ctrl", "?", "1 Actor",
        ] {
            assert!(
                rows.contains(needle),
                "the shortcut list lacks {needle:?}: {rows}"
            );
        }
        assert!(
            truthy(
                &app.js(
                    "return document.querySelector('.app').inert === true;",
                    vec![]
                )
                .await
            ),
            "the page behind the shortcut list is inert"
        );
        app.click("#help-close").await;
        wait_help(&app, false).await;
        app.wait_js(
            "focus back on the Shortcuts button",
            "return document.activeElement && document.activeElement.id === 'shortcuts';",
            vec![],
        )
        .await;

        // Both themes, whichever the system starts with; the toggle is a button named for the theme.
        let mut found = Vec::new();
        let first = theme(&app).await;
        assert!(
            first == "light" || first == "dark",
            "data-theme is {first:?}"
        );
        let name = app
            .js("const b = document.getElementById('theme-toggle'); return b && b.textContent + ' ' + (b.getAttribute('aria-label') || '');", vec![])
            .await;
        assert!(
            name.as_str()
                .is_some_and(|n| n.to_lowercase().contains("theme")),
            "the theme toggle's name mentions the theme: {name}"
        );
        show_span(&app, &actor_id).await;
        app.screenshot(&format!("{first}.png")).await;
        check_both_views(&app, &axe, &first, &mut found).await;

        app.click("#theme-toggle").await;
        let second = if first == "dark" { "light" } else { "dark" };
        app.wait_js(
            "the other theme",
            "return document.documentElement.dataset.theme === arguments[0];",
            vec![json!(second)],
        )
        .await;
        let pressed = app
            .js(
                "return document.getElementById('theme-toggle').getAttribute('aria-pressed');",
                vec![],
            )
            .await;
        assert_eq!(
            pressed,
            json!((second == "dark").to_string()),
            "aria-pressed follows the dark theme"
        );
        let stored = app
            .js(
                "return JSON.parse(localStorage.getItem(arguments[0]) || 'null');",
                vec![json!(PREFS_KEY)],
            )
            .await;
        assert_eq!(
            stored["theme"],
            json!(second),
            "the choice is stored under {PREFS_KEY}"
        );
        // Let colour transitions (if any) settle before measuring contrast.
        tokio::time::sleep(Duration::from_millis(300)).await;
        show_span(&app, &actor_id).await;
        app.screenshot(&format!("{second}.png")).await;
        check_both_views(&app, &axe, second, &mut found).await;

        assert!(
            found.is_empty(),
            "axe-core found {} accessibility violation(s):\n{}",
            found.len(),
            found.join("\n")
        );

        // The choice survives a reload.
        app.reload().await;
        assert_eq!(theme(&app).await, second, "the theme after a reload");
        app.expect_spans(&chars, &spans).await;
    });
}
