//! The schema editor, end to end: add a label and tag with its key, rename, recolour, re-key,
//! remove a label in use (asked first) and undo it, reload, download, and open a file whose
//! schema has a label the current one lacks.

use super::*;

/// A label button as the toolbar shows it.
#[derive(Debug, Clone, Deserialize, PartialEq)]
struct LabelButton {
    id: String,
    name: String,
    key: Option<String>,
    colour: String,
}

const LABEL_BUTTONS_JS: &str = "return Array.from(document.querySelectorAll('nav.labels button.label-btn')).map((b) => {
        const kbd = b.querySelector('kbd');
        const colour = /--c:\\s*([^;]+)/.exec(b.getAttribute('style') || '');
        return {
            id: b.dataset.label,
            name: Array.from(b.childNodes).filter((n) => n !== kbd).map((n) => n.textContent).join('').trim(),
            key: kbd ? kbd.textContent.trim() : null,
            colour: colour ? colour[1].trim() : '',
        };
    });";

const DIALOG_OPEN_JS: &str =
    "const d = document.querySelector('dialog.schema-dialog'); return !!d && d.open && d.getClientRects().length > 0;";

impl App {
    async fn label_buttons(&self) -> Vec<LabelButton> {
        serde_json::from_value(self.js(LABEL_BUTTONS_JS, vec![]).await).expect("label buttons")
    }

    /// Waits until the label buttons satisfy `ok`, and returns them.
    async fn expect_label_buttons(
        &self,
        what: &str,
        ok: impl Fn(&[LabelButton]) -> bool,
    ) -> Vec<LabelButton> {
        let deadline = Instant::now() + WAIT;
        loop {
            let buttons = self.label_buttons().await;
            if ok(&buttons) {
                return buttons;
            }
            if Instant::now() > deadline {
                panic!("the label buttons never showed {what}: {buttons:#?}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until the rendered spans, as (text, label id, chips), are exactly `want` (any order).
    async fn expect_tagged(&self, want: &[(&str, &str, &str)]) {
        let mut want: Vec<(String, String, Vec<String>)> = want
            .iter()
            .map(|(text, label, chip)| {
                (text.to_string(), label.to_string(), vec![chip.to_string()])
            })
            .collect();
        want.sort();
        let deadline = Instant::now() + WAIT;
        loop {
            let mut got: Vec<_> = self
                .spans()
                .await
                .into_iter()
                .map(|s| (s.text, s.labels.join(","), s.chips))
                .collect();
            got.sort();
            if got == want {
                return;
            }
            if Instant::now() > deadline {
                panic!("rendered spans (text, label, chips) differ:\n expected: {want:#?}\n got: {got:#?}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    async fn open_schema(&self) {
        self.click("#schema-open").await;
        self.wait_js("the schema dialog to open", DIALOG_OPEN_JS, vec![])
            .await;
    }

    async fn wait_schema_closed(&self) {
        self.wait_js(
            "the schema dialog to close",
            &format!("return !(() => {{ {DIALOG_OPEN_JS} }})();"),
            vec![],
        )
        .await;
    }

    /// Replaces the text of the field `css` as a person would (select all, type) and presses Enter.
    async fn retype(&self, css: &str, text: &str) {
        self.wait_css(css).await;
        self.js(
            "const el = document.querySelector(arguments[0]); el.focus(); el.select(); return true;",
            vec![json!(css)],
        )
        .await;
        let el = self.s.client.find(Locator::Css(css)).await.expect(css);
        el.send_keys(&format!("{text}{}", char::from(Key::Enter)))
            .await
            .unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }

    /// Waits until the dialog's status line (or, with `error`, its alert) contains `text`.
    async fn expect_schema_notice(&self, error: bool, text: &str) {
        let css = if error {
            "dialog .schema-error"
        } else {
            "dialog .schema-notice"
        };
        self.wait_js(
            &format!("{css} to say {text:?}"),
            "const el = document.querySelector(arguments[0]); return !!el && el.textContent.includes(arguments[1]);",
            vec![json!(css), json!(text)],
        )
        .await;
    }
}

/// Runs axe-core (installed by `make setup-tools`) on the open schema dialog and returns its
/// violations as readable lines (empty: none).
async fn dialog_axe_violations(app: &App) -> Vec<String> {
    let path = repo_root().join(".tools/node_modules/axe-core/axe.min.js");
    let axe = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e} (run `make setup-tools`)",
            path.display()
        )
    });
    if app
        .s
        .client
        .execute("return typeof window.axe === 'object';", vec![])
        .await
        .expect("look for axe")
        != json!(true)
    {
        app.s
            .client
            .execute(&axe, vec![])
            .await
            .expect("inject axe-core");
    }
    let result = app
        .s
        .client
        .execute_async(
            "const done = arguments[0];
             axe.run(document.querySelector('dialog.schema-dialog'))
               .then((r) => done(r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)))
               .catch((e) => done([`axe.run threw: ${e}`]));",
            vec![],
        )
        .await
        .expect("axe.run");
    serde_json::from_value(result).expect("violations")
}

fn find_button<'a>(buttons: &'a [LabelButton], id: &str) -> Option<&'a LabelButton> {
    buttons.iter().find(|b| b.id == id)
}

fn stored_label<'a>(file: &'a Value, id: &str) -> Option<&'a Value> {
    file["schema"]["labels"]
        .as_array()?
        .iter()
        .find(|l| l["id"] == json!(id))
}

#[test]
fn schema_editor() {
    run_scenario("schema_editor", |s| async move {
        let app = App::new(s);
        let text = default_article();
        app.open().await;
        app.expect_doc_text(&text).await;

        // Two Actors to begin with.
        let lavrov = cp_find(&text, "Sergey Lavrov", 0);
        let kerry = cp_find(&text, "John Kerry", 0);
        for (start, end) in [lavrov, kerry] {
            app.drag_select(start, end).await;
            app.press('1').await;
        }
        app.expect_tagged(&[
            ("Sergey Lavrov", "actor", "Actor"),
            ("John Kerry", "actor", "Actor"),
        ])
        .await;

        // Add a label "Organisation": it takes the first free key, 5, and gets a button.
        app.open_schema().await;
        app.retype("#new-label-name", "Organisation").await;
        app.expect_schema_notice(false, "Added the label Organisation on key 5")
            .await;
        let buttons = app
            .expect_label_buttons("Organisation on key 5", |b| {
                find_button(b, "organisation")
                    .is_some_and(|o| o.name == "Organisation" && o.key.as_deref() == Some("5"))
            })
            .await;
        assert_eq!(buttons.len(), 5, "{buttons:#?}");
        assert_eq!(
            app.js("return document.querySelector('tr[data-label=organisation] select.label-key').value;", vec![]).await,
            json!("5")
        );
        // A name that is taken is refused and the field shows the old name again.
        app.retype("tr[data-label=organisation] input.label-name", "place")
            .await;
        app.expect_schema_notice(true, "already used").await;
        assert_eq!(
            app.js("return document.querySelector('tr[data-label=organisation] input.label-name').value;", vec![]).await,
            json!("Organisation")
        );
        app.screenshot("schema-dialog.png").await;

        // Escape closes the dialog; pressing 5 on a selection tags it as an Organisation.
        app.press('\u{e00c}').await;
        app.wait_schema_closed().await;
        let reuters = cp_find(&text, "Reuters", 0);
        app.drag_select(reuters.0, reuters.1).await;
        app.press('5').await;
        app.expect_tagged(&[
            ("Sergey Lavrov", "actor", "Actor"),
            ("John Kerry", "actor", "Actor"),
            ("Reuters", "organisation", "Organisation"),
        ])
        .await;

        // Rename Actor to Person: the chips and the button follow.
        app.open_schema().await;
        app.retype("tr[data-label=actor] input.label-name", "Person")
            .await;
        app.expect_schema_notice(false, "Renamed Actor to Person")
            .await;
        app.expect_tagged(&[
            ("Sergey Lavrov", "actor", "Person"),
            ("John Kerry", "actor", "Person"),
            ("Reuters", "organisation", "Organisation"),
        ])
        .await;

        // Recolour it (the colour picker is the browser's own; set its value as it would).
        app.js(
            "const el = document.querySelector('tr[data-label=actor] input.label-colour');
             el.value = '#d55e00';
             el.dispatchEvent(new Event('input', { bubbles: true }));
             el.dispatchEvent(new Event('change', { bubbles: true }));
             return true;",
            vec![],
        )
        .await;
        app.expect_label_buttons("Person in #d55e00", |b| {
            find_button(b, "actor").is_some_and(|p| p.name == "Person" && p.colour == "#d55e00")
        })
        .await;
        app.wait_js(
            "the Person spans to turn #d55e00",
            "const ms = Array.from(document.querySelectorAll('article.doc mark[data-label=actor]'));
             return ms.length > 0 && ms.every((m) => m.style.getPropertyValue('--c').trim() === '#d55e00');",
            vec![],
        )
        .await;

        // Re-key: giving Denial key 1 takes it from Person; the dialog's Undo gives it back.
        let denial_key = app
            .s
            .client
            .find(Locator::Css("tr[data-label=denial] select.label-key"))
            .await
            .expect("key select");
        denial_key.select_by_value("1").await.expect("choose key 1");
        app.expect_schema_notice(false, "Key 1 now tags Denial; Person has no key")
            .await;
        app.expect_label_buttons("Denial on key 1, Person on none", |b| {
            find_button(b, "denial").is_some_and(|d| d.key.as_deref() == Some("1"))
                && find_button(b, "actor").is_some_and(|p| p.key.is_none())
        })
        .await;
        app.click("#schema-undo").await;
        app.expect_label_buttons("Person on key 1 again", |b| {
            find_button(b, "denial").is_some_and(|d| d.key.as_deref() == Some("4"))
                && find_button(b, "actor").is_some_and(|p| p.key.as_deref() == Some("1"))
        })
        .await;

        // Removing Person, which two spans use, asks first; Cancel keeps everything.
        app.click("tr[data-label=actor] button.remove").await;
        let question = app
            .wait_js(
                "the removal question",
                "const q = document.querySelector('#schema-question'); return q && q.textContent;",
                vec![],
            )
            .await;
        assert_eq!(question, json!("2 spans use Person; remove them too?"));
        app.wait_js(
            "the focus on Cancel",
            "return document.activeElement && document.activeElement.id === 'schema-confirm-cancel';",
            vec![],
        )
        .await;
        // The question in the dark theme, for a look.
        let theme = app
            .js("const t = document.documentElement.dataset.theme || ''; document.documentElement.dataset.theme = 'dark'; return t;", vec![])
            .await;
        app.screenshot("schema-dialog-question-dark.png").await;
        let mut violations = dialog_axe_violations(&app).await;
        app.js(
            "document.documentElement.dataset.theme = arguments[0]; return true;",
            vec![theme],
        )
        .await;
        violations.extend(dialog_axe_violations(&app).await);
        assert!(
            violations.is_empty(),
            "axe finds problems in the schema dialog:\n{}",
            violations.join("\n")
        );
        // Escape drops the question but keeps the dialog; so does Cancel, and focus goes back.
        app.press('\u{e00c}').await;
        app.wait_js(
            "the question to go",
            "return !document.querySelector('#schema-question');",
            vec![],
        )
        .await;
        assert!(
            truthy(&app.js(DIALOG_OPEN_JS, vec![]).await),
            "Escape closed the dialog"
        );
        app.click("tr[data-label=actor] button.remove").await;
        app.click("#schema-confirm-cancel").await;
        app.wait_js(
            "the question to go and focus to return to Remove",
            "return !document.querySelector('#schema-question')
                 && document.activeElement.matches('tr[data-label=actor] button.remove');",
            vec![],
        )
        .await;
        assert!(find_button(&app.label_buttons().await, "actor").is_some());
        // Confirmed, the label and its spans go in one step.
        app.click("tr[data-label=actor] button.remove").await;
        app.click("#schema-confirm-remove").await;
        app.expect_schema_notice(false, "Removed the label Person and 2 spans")
            .await;
        app.expect_tagged(&[("Reuters", "organisation", "Organisation")])
            .await;
        app.expect_label_buttons("no Person", |b| {
            find_button(b, "actor").is_none() && b.len() == 4
        })
        .await;
        assert_eq!(
            app.js(
                "return document.querySelectorAll('dialog tr[data-label=actor]').length;",
                vec![]
            )
            .await,
            json!(0)
        );

        // Close, then Ctrl+Z brings back the label and both spans.
        app.click("#schema-close").await;
        app.wait_schema_closed().await;
        chord(&app, &[Key::Control], 'z').await;
        app.expect_tagged(&[
            ("Sergey Lavrov", "actor", "Person"),
            ("John Kerry", "actor", "Person"),
            ("Reuters", "organisation", "Organisation"),
        ])
        .await;
        app.expect_label_buttons("Person back on key 1", |b| {
            find_button(b, "actor").is_some_and(|p| {
                p.name == "Person" && p.key.as_deref() == Some("1") && p.colour == "#d55e00"
            })
        })
        .await;

        // A relation type "works for", from a Person to an Organisation.
        app.open_schema().await;
        app.retype("#new-kind-name", "works for").await;
        app.expect_schema_notice(false, "Added the relation type")
            .await;
        app.click("tr[data-kind=works_for] .ends[data-end=from] label[data-label=actor] input")
            .await;
        app.expect_schema_notice(false, "now links from a Person")
            .await;
        app.click(
            "tr[data-kind=works_for] .ends[data-end=to] label[data-label=organisation] input",
        )
        .await;
        app.expect_schema_notice(false, "now links to an Organisation")
            .await;
        app.click("#schema-close").await;
        app.wait_schema_closed().await;

        // A reload keeps the schema.
        app.reload().await;
        let after_reload = app
            .expect_label_buttons("the edited schema after a reload", |b| {
                find_button(b, "actor").is_some_and(|p| p.name == "Person" && p.colour == "#d55e00")
                    && find_button(b, "organisation").is_some_and(|o| o.key.as_deref() == Some("5"))
            })
            .await;
        assert_eq!(after_reload.len(), 5);
        app.expect_tagged(&[
            ("Sergey Lavrov", "actor", "Person"),
            ("John Kerry", "actor", "Person"),
            ("Reuters", "organisation", "Organisation"),
        ])
        .await;

        // The download carries the schema.
        let file = app.download("default-article.spanmark.json").await;
        let org =
            stored_label(&file, "organisation").expect("organisation in the downloaded schema");
        assert_eq!(
            (&org["name"], &org["key"]),
            (&json!("Organisation"), &json!("5"))
        );
        let person = stored_label(&file, "actor").expect("actor in the downloaded schema");
        assert_eq!(
            (&person["name"], &person["colour"]),
            (&json!("Person"), &json!("#d55e00"))
        );
        let works_for = file["schema"]["relation_types"]
            .as_array()
            .and_then(|kinds| kinds.iter().find(|k| k["id"] == json!("works_for")))
            .expect("works_for in the downloaded schema");
        assert_eq!(
            (
                &works_for["name"],
                &works_for["from_labels"],
                &works_for["to_labels"]
            ),
            (
                &json!("works for"),
                &json!(["actor"]),
                &json!(["organisation"])
            )
        );
        assert!(file["spans"]
            .as_array()
            .expect("spans")
            .iter()
            .any(|s| s["label"] == json!("organisation") && s["text"] == json!("Reuters")));

        // Open a file whose schema has a label ours lacks (Date, on key 5) and its own Actor.
        let note = "Kerry spoke in Geneva on Monday.";
        let span = |id: &str, label: &str, needle: &str| {
            let (start, end) = cp_find(note, needle, 0);
            json!({ "id": id, "label": label, "start": start, "end": end, "text": needle })
        };
        let other = json!({
            "format": "spanmark",
            "version": 1,
            "document": { "id": "doc-note", "title": "note", "text": note },
            "schema": {
                "labels": [
                    { "id": "actor", "name": "Actor", "colour": "#0072b2", "key": "1" },
                    { "id": "date", "name": "Date", "colour": "#f0e442", "key": "5" }
                ],
                "relation_types": []
            },
            "spans": [span("s1", "actor", "Kerry"), span("s2", "date", "Monday")],
            "relations": []
        });
        let path = app.s.scratch.join("note.spanmark.json");
        std::fs::write(&path, serde_json::to_string_pretty(&other).unwrap())
            .expect("write the file");
        app.choose_file(&path).await;
        app.expect_doc_text(note).await;
        app.expect_tagged(&[("Kerry", "actor", "Actor"), ("Monday", "date", "Date")])
            .await;
        let merged = app
            .expect_label_buttons("the merged schema", |b| {
                b.iter().map(|l| l.id.as_str()).collect::<Vec<_>>()
                    == ["actor", "date", "place", "claim", "denial", "organisation"]
            })
            .await;
        // The file's labels win; ours keep what the file lacks, except a key it took.
        assert_eq!(
            find_button(&merged, "actor").map(|a| a.name.as_str()),
            Some("Actor")
        );
        assert_eq!(
            find_button(&merged, "date").and_then(|d| d.key.as_deref()),
            Some("5")
        );
        assert_eq!(
            find_button(&merged, "organisation").and_then(|o| o.key.clone()),
            None
        );
        let stored = app.stored().await;
        assert!(
            stored_label(&stored, "date").is_some()
                && stored_label(&stored, "organisation").is_some()
        );
        app.open_schema().await;
        assert_eq!(
            app.js("return Array.from(document.querySelectorAll('dialog tr[data-label]')).map((r) => r.dataset.label);", vec![]).await,
            json!(["actor", "date", "place", "claim", "denial", "organisation"])
        );
    });
}

/// Guidelines without a server: the schema editor writes what a label is (and, for a relation
/// type, what it is not); the label's button and the shortcuts overlay show it; it survives a
/// reload and travels in the downloaded file.
#[test]
fn guidelines_are_written_in_the_schema_editor_and_shown_where_annotators_look() {
    run_scenario("schema_guidelines", |s| async move {
        let app = App::new(s);
        let text = default_article();
        app.open().await;
        app.expect_doc_text(&text).await;

        app.open_schema().await;
        app.click("tr[data-label=actor] + tr.guide-row summary")
            .await;
        let field = "tr[data-label=actor] + tr.guide-row textarea.guide-is";
        app.wait_css(field).await;
        let typed = "A person or an organisation that acts or speaks.";
        app.s
            .client
            .find(Locator::Css(field))
            .await
            .expect(field)
            .send_keys(typed)
            .await
            .expect("type the guideline");
        // Leaving the field saves it.
        app.js(
            "document.querySelector(arguments[0]).blur();",
            vec![json!(field)],
        )
        .await;
        app.expect_schema_notice(false, "Saved the guideline of Actor")
            .await;
        app.click("tr[data-kind=denies] + tr.guide-row summary")
            .await;
        let not = "tr[data-kind=denies] + tr.guide-row textarea.guide-is-not";
        app.wait_css(not).await;
        app.s
            .client
            .find(Locator::Css(not))
            .await
            .expect(not)
            .send_keys("A denial of a different claim.")
            .await
            .expect("type the guideline");
        app.js(
            "document.querySelector(arguments[0]).blur();",
            vec![json!(not)],
        )
        .await;
        app.expect_schema_notice(false, "Saved the guideline of denies")
            .await;
        app.screenshot("schema-guidelines.png").await;
        app.press('\u{e00c}').await;
        app.wait_schema_closed().await;

        let tip = "return document.querySelector('.label-btn[data-label=actor]').title;";
        app.wait_js(
            "the Actor button's tooltip to hold its guideline",
            &format!("return ((() => {{ {tip} }})() || '').includes(arguments[0]);"),
            vec![json!(typed)],
        )
        .await;
        app.press('?').await;
        app.wait_js(
            "the shortcuts overlay to list the guideline",
            "const d = document.querySelector('#help-dialog .guide-item[data-label=actor]');
             return !!d && d.innerText.includes(arguments[0]);",
            vec![json!(typed)],
        )
        .await;
        app.press('?').await;

        app.reload().await;
        app.expect_doc_text(&text).await;
        app.wait_js(
            "the guideline to survive a reload",
            &format!("return ((() => {{ {tip} }})() || '').includes(arguments[0]);"),
            vec![json!(typed)],
        )
        .await;
        let file = app.download("default-article.spanmark.json").await;
        let actor = stored_label(&file, "actor").expect("actor in the downloaded schema");
        assert_eq!(actor["guide"], json!({ "is": typed }));
        let denies = file["schema"]["relation_types"]
            .as_array()
            .and_then(|kinds| kinds.iter().find(|k| k["id"] == json!("denies")))
            .expect("denies in the downloaded schema");
        assert_eq!(
            denies["guide"],
            json!({ "is_not": "A denial of a different claim." })
        );
    });
}
