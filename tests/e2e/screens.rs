//! Every screen width: the toolbar's controls stay on screen, whole, at phone, tablet, laptop
//! and desktop widths (a screenshot of each is saved for review).

use super::*;

/// The widths tried: a small phone, a small laptop window, a tablet, a desktop.
const WIDTHS: [u32; 4] = [360, 800, 1024, 1440];

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
