//! Every screen width: the toolbar's controls stay on screen, whole, at phone, tablet, laptop
//! and desktop widths (a screenshot of each is saved for review).

use super::*;

/// The widths tried: a small phone, a small laptop window, a tablet, a desktop.
const WIDTHS: [u32; 4] = [360, 800, 1024, 1440];

/// Makes the window `width` px wide and waits until the page is.
async fn resize(app: &App, width: u32) {
    app.s
        .client
        .set_window_size(width, 900)
        .await
        .expect("resize the window");
    app.wait_js(
        &format!("the page to be {width} px wide or less"),
        "return document.documentElement.clientWidth <= arguments[0];",
        vec![json!(width)],
    )
    .await;
}

/// At every width, each toolbar control lies inside the viewport and keeps its text on one
/// line (at 800 px the right-hand buttons used to run off the edge, and "Download all" wrapped
/// inside its button).
#[test]
fn every_toolbar_control_is_on_screen_at_every_width() {
    run_scenario(
        "every_toolbar_control_is_on_screen_at_every_width",
        |s| async move {
            let app = App::new(s);
            app.open_article().await;
            for width in WIDTHS {
                resize(&app, width).await;
                let outside = app
                    .js(
                        "const width = document.documentElement.clientWidth;
                     return Array.from(document.querySelectorAll(
                         '.toolbar button, .toolbar select, .toolbar label.button'))
                       .map(el => {
                         const r = el.getBoundingClientRect();
                         const line = parseFloat(getComputedStyle(el).lineHeight) || 20;
                         const name = (el.id || el.className) + ' ' + el.innerText.trim();
                         if (r.width === 0 || r.height === 0) return name + ': not shown';
                         if (r.left < -0.5 || r.right > width + 0.5)
                           return name + ': from ' + r.left + ' to ' + r.right + ' of ' + width;
                         if (el.tagName === 'BUTTON' && r.height > 2 * line + 16)
                           return name + ': wraps (' + r.height + ' px tall)';
                         return null;
                       })
                       .filter(x => x !== null);",
                        vec![],
                    )
                    .await;
                app.screenshot(&format!("width-{width}.png")).await;
                assert_eq!(outside, json!([]), "at {width} px");
            }
        },
    );
}

/// Where a person's finger lands: the centre of the element `css`, in viewport coordinates.
async fn centre(app: &App, css: &str) -> (f64, f64) {
    let c = app
        .js(
            "const r = document.querySelector(arguments[0]).getBoundingClientRect();
             return [r.left + r.width / 2, r.top + r.height / 2];",
            vec![json!(css)],
        )
        .await;
    (c[0].as_f64().unwrap(), c[1].as_f64().unwrap())
}

/// A tap with a finger on `css`.
async fn tap(app: &App, css: &str) {
    let (x, y) = centre(app, css).await;
    let finger = fantoccini::actions::TouchActions::new("finger".into())
        .then(PointerAction::MoveTo {
            duration: None,
            x: x.round(),
            y: y.round(),
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    app.s
        .client
        .perform_actions(finger)
        .await
        .unwrap_or_else(|e| panic!("tap {css}: {e}"));
    app.s
        .client
        .release_actions()
        .await
        .expect("release the finger");
}

/// Whether the element `css` is on screen: laid out, and its top inside the viewport.
async fn on_screen(app: &App, css: &str) -> bool {
    truthy(
        &app.js(
            "const el = document.querySelector(arguments[0]);
             if (!el) return false;
             const r = el.getBoundingClientRect();
             return r.width > 0 && r.height > 0 && r.top >= 0 && r.top < window.innerHeight;",
            vec![json!(css)],
        )
        .await,
    )
}

/// At every width: the span list is on screen, or one tap away; a selection then a tap on a
/// label's button tags it; axe finds nothing in either theme. (On a narrow screen the span list
/// used to be the length of the whole text below it.)
#[test]
fn at_every_width_the_spans_are_one_tap_away_and_a_tap_on_a_label_tags() {
    run_scenario("spans_one_tap_away_at_every_width", |s| async move {
        let app = App::new(s);
        let (text, chars) = app.open_article().await;
        let axe = crate::a11y::axe_source();
        let words = ["Washington", "Syria", "Hmeymin", "al-Tanf"];
        let mut tagged = Vec::new();
        for (width, word) in WIDTHS.into_iter().zip(words) {
            resize(&app, width).await;
            // A selection, then a tap on Place.
            let w = want("place", cp_find(&text, word, 0));
            let selected = app
                .js(
                    "return E2E.selectOffsets(arguments[0], arguments[1]);",
                    vec![json!(w.start), json!(w.end)],
                )
                .await;
            assert_eq!(selected, json!(true), "select {word} at {width} px");
            tap(&app, ".label-btn[data-label=place]").await;
            tagged.push(w);
            tagged.sort_by_key(|w| (w.start, w.end));
            app.expect_spans(&chars, &tagged).await;

            // The span list: on screen, or one tap away.
            if !on_screen(&app, "aside.panel").await {
                assert!(
                    on_screen(&app, "#pane-spans").await,
                    "at {width} px neither the span list nor its switch is on screen"
                );
                tap(&app, "#pane-spans").await;
                app.wait_js(
                    &format!("the span list to be on screen at {width} px"),
                    "const r = document.querySelector('aside.panel').getBoundingClientRect();
                     return r.width > 0 && r.top >= 0 && r.top < window.innerHeight;",
                    vec![],
                )
                .await;
            }
            app.screenshot(&format!("spans-{width}.png")).await;
            for theme in ["light", "dark"] {
                app.js(
                    "document.documentElement.dataset.theme = arguments[0];",
                    vec![json!(theme)],
                )
                .await;
                let violations =
                    crate::a11y::axe_violations(&app, &axe, &format!("{width} px, {theme}"), false)
                        .await;
                assert!(
                    violations.is_empty(),
                    "{width} px, {theme} theme:\n{}",
                    violations.join("\n")
                );
            }
            if on_screen(&app, "#pane-text").await {
                tap(&app, "#pane-text").await;
            }
            if width == 360 {
                // The picture of a phone in the README (docs/phone.png).
                app.js(
                    "document.documentElement.dataset.theme = 'light';
                     document.querySelector('article.doc .span').scrollIntoView({ block: 'center' });",
                    vec![],
                )
                .await;
                app.screenshot("phone.png").await;
            }
        }
    });
}
