//! Scenarios for keyboard-only annotation (a caret moved with the arrow keys, Tab between
//! spans) and for search with "Tag all matches".

use super::*;

/// The caret (the selection's focus) as a code-point offset, or null when the selection is
/// not in the document text.
const CARET_JS: &str = "const sel = getSelection();
    if (!sel || !sel.rangeCount) return null;
    const n = sel.focusNode;
    const run = n && n.nodeType === Node.TEXT_NODE && n.parentElement.closest('article.doc .run');
    if (!run) return null;
    return Number(run.dataset.start) + E2E.cpLen(n.data.slice(0, sel.focusOffset));";

async fn caret(app: &App) -> Value {
    app.js(CARET_JS, vec![]).await
}

/// Waits until the caret is collapsed at `at` and drawn there (a visible bar at the caret's
/// position).
async fn expect_caret(app: &App, at: usize) {
    let js = format!(
        "const at = (() => {{ {CARET_JS} }})();
         const sel = getSelection();
         const bar = document.getElementById('kbd-caret');
         if (at !== arguments[0] || !sel.isCollapsed || !bar || bar.hidden) return null;
         // The bar stands between the characters around the caret, on the line of one of them.
         const rectOf = (cp) => {{
           for (const run of document.querySelectorAll('article.doc .run')) {{
             const t = run.firstChild, start = Number(run.dataset.start), len = E2E.cpLen(t.data);
             if (cp >= start && cp < start + len) {{
               const chars = Array.from(t.data), u = chars.slice(0, cp - start).join('').length;
               const r = document.createRange();
               r.setStart(t, u); r.setEnd(t, u + chars[cp - start].length);
               return r.getBoundingClientRect();
             }}
           }}
           return null;
         }};
         const before = at > 0 ? rectOf(at - 1) : null, after = rectOf(at);
         const b = bar.getBoundingClientRect();
         const xs = [before && before.right, after && after.left].filter((x) => x !== null);
         const onLine = [before, after].some((r) => r && r.height > 0 && b.top + b.height / 2 >= r.top && b.top + b.height / 2 <= r.bottom);
         return b.height > 8 && onLine && b.left >= Math.min(...xs) - 3 && b.left <= Math.max(...xs) + 3 ? true : null;"
    );
    let deadline = Instant::now() + WAIT;
    loop {
        if truthy(&app.js(&js, vec![json!(at)]).await) {
            return;
        }
        if Instant::now() > deadline {
            let bar = app
                .js("const b = document.getElementById('kbd-caret'); const s = getSelection();
                     return b && { hidden: b.hidden, style: b.getAttribute('style'), bar: b.getBoundingClientRect().toJSON(),
                       range: s.rangeCount ? s.getRangeAt(0).getBoundingClientRect().toJSON() : null,
                       focus: s.focusNode && [s.focusNode.nodeName, s.focusNode.textContent.slice(0, 20), s.focusOffset],
                       scroll: [scrollX, scrollY] };", vec![])
                .await;
            panic!(
                "expected a drawn, collapsed caret at {at}; caret now {}, selection {}, bar {bar}",
                caret(app).await,
                app.selection().await
            );
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Waits until the browser selection is exactly `[start, end)`.
async fn expect_selection(app: &App, start: usize, end: usize) {
    let deadline = Instant::now() + WAIT;
    loop {
        let sel = app.selection().await;
        if sel["start"] == json!(start) && sel["end"] == json!(end) {
            return;
        }
        if Instant::now() > deadline {
            panic!("expected the selection {start}..{end}, got {sel}");
        }
        tokio::time::sleep(POLL).await;
    }
}

async fn document_focused(app: &App) -> bool {
    truthy(
        &app.js(
            "return document.activeElement === document.querySelector('article.doc');",
            vec![],
        )
        .await,
    )
}

/// The whole-word, case-insensitive occurrences of an ASCII `needle` in `text`, as code points.
fn word_matches(text: &str, needle: &str) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let lower: Vec<char> = chars.iter().map(|c| c.to_ascii_lowercase()).collect();
    let n: Vec<char> = needle.to_lowercase().chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + n.len() <= lower.len() {
        let word = (i == 0 || !chars[i - 1].is_alphanumeric())
            && chars.get(i + n.len()).is_none_or(|c| !c.is_alphanumeric());
        if lower[i..i + n.len()] == n[..] && word {
            out.push((i, i + n.len()));
            i += n.len();
        } else {
            i += 1;
        }
    }
    out
}

/// What the search highlights show: the number of ranges, their texts, and the current
/// match's text and offset and whether it is on screen.
const HIGHLIGHTS_JS: &str = "const all = CSS.highlights.get('search');
    const cur = CSS.highlights.get('search-current');
    const offset = (node, i) => {
      const run = node.parentElement && node.parentElement.closest('article.doc .run');
      return run ? Number(run.dataset.start) + E2E.cpLen(node.data.slice(0, i)) : null;
    };
    const c = cur ? Array.from(cur)[0] : null;
    const r = c ? c.getBoundingClientRect() : null;
    return {
      size: all ? all.size : 0,
      texts: all ? Array.from(all).map((x) => x.toString()) : [],
      current: c ? { text: c.toString(), start: offset(c.startContainer, c.startOffset),
                     inView: r.top >= 0 && r.bottom <= innerHeight && r.height > 0 } : null,
    };";

async fn expect_count(app: &App, want: &str) {
    let deadline = Instant::now() + WAIT;
    loop {
        let got = app
            .js(
                "return document.getElementById('search-count').textContent;",
                vec![],
            )
            .await;
        if got == json!(want) {
            return;
        }
        if Instant::now() > deadline {
            panic!("the match count should read {want:?}, got {got}");
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Waits until the current match starts at `start` and is on screen, with `total` highlighted.
async fn expect_current(app: &App, start: usize, total: usize) -> Value {
    let deadline = Instant::now() + WAIT;
    loop {
        let h = app.js(HIGHLIGHTS_JS, vec![]).await;
        if h["size"] == json!(total)
            && h["current"]["start"] == json!(start)
            && h["current"]["inView"] == json!(true)
        {
            return h;
        }
        if Instant::now() > deadline {
            panic!("expected the current match at {start} (in view) of {total} highlighted: {h}");
        }
        tokio::time::sleep(POLL).await;
    }
}

async fn status(app: &App) -> String {
    app.js(
        "return document.querySelector('[role=status].status').textContent;",
        vec![],
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// No mouse at all: Tab into the document, move the caret by word and line, extend it with
/// Shift, tag with a number key, go between spans with Tab and Shift+Tab, Delete one.
#[test]
fn keyboard_only_annotation() {
    run_scenario("keyboard_only_annotation", |s| async move {
        let app = App::new(s);
        let text = default_article();
        let chars: Vec<char> = text.chars().collect();
        app.open().await;
        app.expect_doc_text(&text).await;
        assert!(
            text.starts_with("Vladimir Putin\n"),
            "the article's first line"
        );
        let line2 = "Vladimir Putin\n".chars().count();

        // Tab through the toolbar until the document has focus; it shows a focus ring.
        let mut tabs = 0;
        while !document_focused(&app).await {
            assert!(tabs < 60, "60 Tabs never reached the document");
            app.press(Key::Tab.into()).await;
            tabs += 1;
        }
        let ring = app
            .js(
                "const a = document.querySelector('article.doc');
                 return a.matches(':focus-visible') && getComputedStyle(a).outlineStyle !== 'none';",
                vec![],
            )
            .await;
        assert_eq!(ring, json!(true), "the focused document shows a focus ring");

        // A caret appears at the start of the text.
        expect_caret(&app, 0).await;

        // Ctrl+Right moves by word, Shift+Ctrl+Right extends by word; 1 tags it as an Actor.
        chord(&app, &[Key::Control], Key::Right).await;
        expect_caret(&app, "Vladimir".len()).await;
        chord(&app, &[Key::Shift, Key::Control], Key::Right).await;
        expect_selection(&app, "Vladimir".len(), "Vladimir Putin".len()).await;
        app.press('1').await;
        let putin = want("actor", cp_find(&text, "Putin", 0));
        let dom = app.expect_spans(&chars, &[putin]).await;
        let putin_id = id_of(&dom, putin);
        app.expect_selected(&[&putin_id]).await;
        assert!(document_focused(&app).await, "focus stays in the document");
        // The caret comes back at the end of what was tagged.
        expect_caret(&app, putin.end).await;

        // Alt+Left goes back by word too; Left and Right by character.
        chord(&app, &[Key::Alt], Key::Left).await;
        expect_caret(&app, putin.start).await;
        chord(&app, &[Key::Control], Key::Left).await;
        expect_caret(&app, 0).await;
        chord(&app, &[], Key::Right).await;
        chord(&app, &[], Key::Right).await;
        expect_caret(&app, 2).await;
        chord(&app, &[], Key::Left).await;
        chord(&app, &[], Key::Left).await;
        expect_caret(&app, 0).await;

        // Down and Up move by line.
        chord(&app, &[], Key::Down).await;
        let below = app
            .wait_js(
                "the caret on the second line",
                &format!("const at = (() => {{ {CARET_JS} }})(); return at !== null && at >= arguments[0] ? at : null;"),
                vec![json!(line2)],
            )
            .await;
        assert!(
            below.as_u64().unwrap() < cp_find(&text, "Russia allegedly", 0).0 as u64,
            "Down should land on the next line, not further: {below}"
        );
        chord(&app, &[], Key::Up).await;
        app.wait_js(
            "the caret back on the first line",
            &format!(
                "const at = (() => {{ {CARET_JS} }})(); return at !== null && at < arguments[0];"
            ),
            vec![json!(line2)],
        )
        .await;

        // Character by character with Shift: "Vladimir" as a Place.
        chord(&app, &[Key::Control], Key::Home).await;
        expect_caret(&app, 0).await;
        for _ in 0.."Vladimir".len() {
            chord(&app, &[Key::Shift], Key::Right).await;
        }
        expect_selection(&app, 0, "Vladimir".len()).await;
        app.screenshot("keyboard-selection.png").await;
        app.press('2').await;
        let vladimir = want("place", (0, "Vladimir".len()));
        let dom = app.expect_spans(&chars, &[putin, vladimir]).await;
        let vladimir_id = id_of(&dom, vladimir);
        app.expect_selected(&[&vladimir_id]).await;

        // Tab and Shift+Tab go from span to span in document order.
        app.press(Key::Tab.into()).await;
        app.expect_selected(&[&putin_id]).await;
        app.expect_in_view(&putin_id).await;
        expect_caret(&app, putin.start).await;
        app.screenshot("keyboard-tab.png").await;
        assert!(
            document_focused(&app).await,
            "Tab between spans keeps focus in the document"
        );
        chord(&app, &[Key::Shift], Key::Tab).await;
        app.expect_selected(&[&vladimir_id]).await;
        expect_caret(&app, 0).await;

        // A label key relabels the selected span; Delete removes it.
        app.press('4').await;
        let vladimir_denial = want("denial", (0, "Vladimir".len()));
        app.expect_spans(&chars, &[putin, vladimir_denial]).await;
        app.press(Key::Delete.into()).await;
        app.expect_spans(&chars, &[putin]).await;
        app.expect_selected(&[]).await;

        // With nothing selected, Tab goes to the first span after the caret.
        app.press(Key::Tab.into()).await;
        app.expect_selected(&[&putin_id]).await;
        // Past the last span, Tab leaves the document as usual (no keyboard trap).
        app.press(Key::Tab.into()).await;
        app.wait_js(
            "focus to leave the document",
            "return document.activeElement !== document.querySelector('article.doc');",
            vec![],
        )
        .await;
        app.wait_js(
            "the caret to hide when the document loses focus",
            "return document.getElementById('kbd-caret').hidden;",
            vec![],
        )
        .await;
        app.expect_selected(&[&putin_id]).await;

        // Autosaved like any other edit.
        let stored = app
            .wait_js(
                "the autosave of the remaining span",
                "const v = E2E.storedDoc();
                 return v && v.spans.length === 1 ? v.spans[0] : null;",
                vec![],
            )
            .await;
        assert_eq!(
            (
                &stored["start"],
                &stored["end"],
                &stored["label"],
                &stored["text"]
            ),
            (
                &json!(putin.start),
                &json!(putin.end),
                &json!("actor"),
                &json!("Putin")
            ),
            "the stored span"
        );
    });
}

/// Search: the count, next and previous (buttons, Enter and Shift+Enter), highlights that
/// follow edits without re-rendering, then "Tag all" as one undoable step.
#[test]
fn search_and_tag_all() {
    run_scenario("search_and_tag_all", |s| async move {
        let app = App::new(s);
        let text = default_article();
        let chars: Vec<char> = text.chars().collect();
        app.open().await;
        app.expect_doc_text(&text).await;

        // `/` goes to the search box.
        app.press('/').await;
        app.wait_js(
            "the search box to have focus",
            "return document.activeElement === document.querySelector('input[type=search][aria-label=Search]');",
            vec![],
        )
        .await;
        let search = app
            .s
            .client
            .find(Locator::Css("input[type=search]"))
            .await
            .expect("search box");
        search.send_keys("russia").await.expect("type a query");

        // Every case-insensitive occurrence, "Russian" included.
        let all: Vec<(usize, usize)> = text
            .to_lowercase()
            .match_indices("russia")
            .map(|(b, _)| (b, b + 6))
            .collect();
        let n = all.len();
        assert!(n > 8, "the article mentions Russia often: {n}");
        expect_count(&app, &format!("1 of {n} matches")).await;
        let h = expect_current(&app, all[0].0, n).await;
        assert!(
            h["texts"]
                .as_array()
                .unwrap()
                .iter()
                .all(|t| t.as_str().unwrap().eq_ignore_ascii_case("russia")),
            "every highlight covers a match: {h}"
        );

        // Enter / Shift+Enter in the box, and the buttons; both wrap around.
        search
            .send_keys(&char::from(Key::Enter).to_string())
            .await
            .expect("Enter");
        expect_count(&app, &format!("2 of {n} matches")).await;
        expect_current(&app, all[1].0, n).await;
        chord(&app, &[Key::Shift], Key::Enter).await;
        chord(&app, &[Key::Shift], Key::Enter).await;
        expect_count(&app, &format!("{n} of {n} matches")).await;
        expect_current(&app, all[n - 1].0, n).await;
        app.click("#search-next").await;
        expect_count(&app, &format!("1 of {n} matches")).await;
        app.click("#search-next").await;
        app.click("#search-next").await;
        app.click("#search-prev").await;
        expect_current(&app, all[1].0, n).await;

        // Match case: nothing is lowercase "russia".
        app.click("#search-case").await;
        expect_count(&app, "No matches").await;
        app.click("#search-case").await;
        expect_count(&app, &format!("2 of {n} matches")).await;

        // Whole words leave out "Russian"; the current match is the first one from where the
        // search was.
        app.click("#search-word").await;
        let words = word_matches(&text, "russia");
        let m = words.len();
        assert!(m < n && m > 3, "whole words: {m} of {n}");
        let k = words.partition_point(|w| w.0 < all[1].0) % m;
        expect_count(&app, &format!("{} of {m} matches", k + 1)).await;
        expect_current(&app, words[k].0, m).await;
        app.screenshot("search-highlights.png").await;

        // Tag all as Place: one span per match.
        let tag_all = app
            .s
            .client
            .find(Locator::Css("#tag-all-label"))
            .await
            .expect("#tag-all-label");
        tag_all
            .select_by_value("place")
            .await
            .expect("choose Place");
        app.wait_js(
            "the Tag all button to name Place",
            "return document.getElementById('tag-all').textContent === arguments[0];",
            vec![json!(format!("Tag all {m} matches as Place"))],
        )
        .await;
        app.click("#tag-all").await;
        let places: Vec<Want> = words.iter().map(|&r| want("place", r)).collect();
        app.expect_spans(&chars, &places).await;
        app.expect_panel(&chars, &places).await;
        let said = status(&app).await;
        assert!(
            said.contains(&format!("Tagged {m} matches as Place")),
            "status: {said:?}"
        );
        // The highlights were rebuilt over the re-rendered text.
        let h = expect_current(&app, words[k].0, m).await;
        assert!(
            h["texts"]
                .as_array()
                .unwrap()
                .iter()
                .all(|t| t.as_str().unwrap().eq_ignore_ascii_case("russia")),
            "highlights after tagging: {h}"
        );
        app.screenshot("search-tagged.png").await;

        // Again: everything is already tagged, nothing changes.
        app.click("#tag-all").await;
        app.wait_js(
            "a status saying nothing was tagged",
            "return document.querySelector('[role=status].status').textContent.includes(arguments[0]);",
            vec![json!(format!("skipped {m} already tagged"))],
        )
        .await;
        app.expect_spans(&chars, &places).await;

        // One step: a single Ctrl+Z in the document removes every tagged match, redo brings
        // them all back.
        app.js(
            "document.querySelector('article.doc').focus(); return true;",
            vec![],
        )
        .await;
        chord(&app, &[Key::Control], 'z').await;
        app.expect_spans(&chars, &[]).await;
        chord(&app, &[Key::Control, Key::Shift], 'z').await;
        app.expect_spans(&chars, &places).await;
        // The Undo button does the same.
        app.click("#undo").await;
        app.expect_spans(&chars, &[]).await;

        // Ctrl+F focuses the search box again.
        app.js(
            "document.querySelector('article.doc').focus(); return true;",
            vec![],
        )
        .await;
        chord(&app, &[Key::Control], 'f').await;
        app.wait_js(
            "Ctrl+F to focus the search box",
            "return document.activeElement && document.activeElement.id === 'search';",
            vec![],
        )
        .await;
    });
}
