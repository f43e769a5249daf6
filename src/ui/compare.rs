//! Comparing annotators and curating a gold version: the Compare dialog.
//!
//! Two or more files of one document (any format Spanmark opens) are read; files whose texts
//! differ are refused with the reason. The dialog shows the agreement table
//! (`core::agreement`), the text with every annotator's spans marked as agreed or disputed, and
//! the list of disagreements to accept or reject one by one. *Save curated document* adds the
//! result (everything agreed, plus what was accepted) to the library and opens it; it then
//! downloads like any other document.
//!
//! A curator's dashboard opens the same dialog on a team document's finished annotators, read
//! from the server ([`CompareDialog::open_with`]); then the curated document is also saved on
//! the server as the document's gold version (`gold:<document id>`).

use std::collections::HashMap;

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use super::dialogs;
use super::documents::add_documents;
use super::editor::Editor;
use super::files;
use super::notices::short;
use super::state::Session;
use super::team::{self, Team};
use crate::codecs;
use spanmark_core::agreement::{Comparison, Item, ItemKey, LabelRow, Prf, Report};
use spanmark_core::layout::{self, Node, SpanRef};
use spanmark_core::{AnnotatedDocument, Schema};
use spanmark_formats::job::{self, Answer, Job};
use spanmark_formats::native;

/// What the dialog holds once files are read.
#[derive(Clone, Debug, PartialEq)]
struct Loaded {
    /// File names, in the order chosen.
    names: Vec<String>,
    docs: Vec<AnnotatedDocument>,
    report: Report,
    comparison: Comparison,
}

impl Loaded {
    /// The schema the annotators' labels are named and coloured by.
    fn schema(&self) -> Schema {
        self.docs.iter().skip(1).fold(
            self.docs
                .first()
                .map(|d| d.schema.clone())
                .unwrap_or_default(),
            |acc, d| acc.merged_with(&d.schema),
        )
    }
}

/// The letter that stands for annotator `i` in the table and on the marks: A, B, C…
fn letter(i: usize) -> String {
    let n = u8::try_from(i % 26).unwrap_or(0);
    let mut s = char::from(b'A' + n).to_string();
    if i >= 26 {
        s.push_str(&(i / 26).to_string());
    }
    s
}

/// Reads the chosen files (in the codec worker) and compares them, or says why not.
async fn load(files: Vec<(String, Vec<u8>)>, schema: Schema) -> Result<Loaded, String> {
    let job = Job::Annotations {
        names: files.iter().map(|(name, _)| name.clone()).collect(),
        schema,
    };
    let bytes: Vec<&[u8]> = files.iter().map(|(_, b)| b.as_slice()).collect();
    let opened = codecs::ask(&job, &bytes, |answer, _| match answer {
        Answer::Annotations(opened) => Some(opened),
        _ => None,
    })
    .await
    .map_err(|e| e.plain().to_owned())?
    .map_err(|errors| {
        errors
            .iter()
            .map(|(name, e)| format!("{name}: {e}"))
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    let (names, documents): (Vec<String>, Vec<String>) = opened.into_iter().unzip();
    let docs = job::parse_all(&documents).map_err(|e| e.to_string())?;
    compared(names, docs, documents).await
}

/// Compares `docs` (`documents`, as native files), annotator `names[i]`'s version each, in the
/// codec worker; or says why not.
async fn compared(
    names: Vec<String>,
    docs: Vec<AnnotatedDocument>,
    documents: Vec<String>,
) -> Result<Loaded, String> {
    let job = Job::Compare {
        names: names.clone(),
        documents,
    };
    let (report, comparison) = codecs::ask(&job, &[], |answer, _| match answer {
        Answer::Compared(compared) => Some(compared),
        _ => None,
    })
    .await
    .map_err(|e| e.plain().to_owned())??;
    Ok(Loaded {
        names,
        docs,
        report,
        comparison,
    })
}

/// The curated document of `l` with the `accepted` disputed items, made in the codec worker.
async fn curated(l: Loaded, accepted: Vec<ItemKey>) -> Result<AnnotatedDocument, String> {
    let job = Job::Curate {
        documents: l.docs.iter().map(native::write).collect(),
        names: l.names,
        comparison: l.comparison,
        accepted,
    };
    let doc = codecs::ask(&job, &[], |answer, _| match answer {
        Answer::Curated(curated) => Some(curated),
        _ => None,
    })
    .await
    .map_err(|e| e.plain().to_owned())??;
    native::parse(&doc).map_err(|e| e.to_string())
}

/// A measure as a two-decimal number, or a dash where it is undefined.
fn number(v: Option<f64>) -> String {
    v.map_or_else(|| "\u{2014}".to_owned(), |v| format!("{v:.2}"))
}

/// Annotators' versions of one document to compare, given rather than chosen as files.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareRequest {
    pub names: Vec<String>,
    pub docs: Vec<AnnotatedDocument>,
    /// The team document whose gold version the curated document is, if any.
    pub gold_for: Option<String>,
}

/// The Compare dialog's state, provided by the app: whether it is open, and what it was
/// opened on.
#[derive(Clone, Copy)]
pub struct CompareDialog {
    open: RwSignal<bool>,
    request: RwSignal<Option<CompareRequest>>,
}

impl CompareDialog {
    pub fn new() -> Self {
        CompareDialog {
            open: RwSignal::new(false),
            request: RwSignal::new(None),
        }
    }

    /// Opens the dialog on `request`'s versions.
    pub fn open_with(&self, request: CompareRequest) {
        self.open.set(false);
        self.request.set(Some(request));
        self.open.set(true);
    }
}

/// The "Compare annotators…" button (under the Documents list: it makes a document) and the
/// dialog it opens.
#[component]
pub fn CompareButton() -> impl IntoView {
    let compare = expect_context::<CompareDialog>();
    let open = compare.open;
    // The button opens the dialog on files to choose.
    let chosen = RwSignal::new(false);
    Effect::new(move |_| {
        if chosen.get() {
            chosen.set(false);
            compare.request.set(None);
            open.set(true);
        }
    });
    let dialog = NodeRef::<html::Dialog>::new();
    dialogs::modal_while(dialog, open);
    let on_key = move |ev: leptos::ev::KeyboardEvent| dialogs::dialog_keys(&ev, || open.set(false));
    view! {
        {dialogs::dialog_button(
            "compare-open",
            "Compare annotators\u{2026}",
            Some("Compare annotators and curate a gold version"),
            chosen,
        )}
        <dialog
            node_ref=dialog
            class="compare-dialog"
            aria-modal="true"
            aria-labelledby="compare-title"
            on:keydown=on_key
            on:close=move |_| open.set(false)
        >
            <Show when=move || open.get()>
                <CompareForm request=compare.request.get_untracked() close=move || open.set(false)/>
            </Show>
        </dialog>
    }
}

/// The dialog's content: the file picker, then the table, the marked text and the disputes.
#[component]
fn CompareForm(
    request: Option<CompareRequest>,
    close: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let session = expect_context::<Session>();
    let team = expect_context::<Team>();
    let loaded = RwSignal::new(None::<Loaded>);
    let error = RwSignal::new(None::<String>);
    let gold_for = request.as_ref().and_then(|r| r.gold_for.clone());
    let from_server = request.is_some();
    if let Some(r) = request {
        let documents = r.docs.iter().map(native::write).collect();
        spawn_local(async move {
            match compared(r.names, r.docs, documents).await {
                Ok(l) => loaded.set(Some(l)),
                Err(why) => error.set(Some(format!("Could not compare: {why}."))),
            }
        });
    }
    // Decisions on the disputed items, by their index: accepted (true) or rejected (false).
    let decisions = RwSignal::new(HashMap::<usize, bool>::new());
    let on_files = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let chosen = input
            .files()
            .map(|f| files::file_list(&f))
            .unwrap_or_default();
        input.set_value("");
        if chosen.is_empty() {
            return;
        }
        let schema = editor.open.schema.get_untracked();
        spawn_local(async move {
            let result = match files::read_files(chosen).await {
                Ok(read) => load(read, schema).await,
                Err(why) => Err(why),
            };
            match result {
                Ok(l) => {
                    error.set(None);
                    decisions.set(HashMap::new());
                    loaded.set(Some(l));
                }
                Err(why) => {
                    loaded.set(None);
                    error.set(Some(format!("Could not compare: {why}.")));
                }
            }
        });
    };
    let save = {
        let close = close.clone();
        move |_| {
            let Some(l) = loaded.get_untracked() else {
                return;
            };
            let accepted: Vec<ItemKey> = decisions.with_untracked(|d| {
                l.comparison
                    .disputed
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| d.get(i) == Some(&true))
                    .map(|(_, item)| item.key.clone())
                    .collect()
            });
            let (close, gold_for) = (close.clone(), gold_for.clone());
            spawn_local(async move {
                match curated(l, accepted).await {
                    Ok(doc) => {
                        let title = doc.document.title.clone();
                        close();
                        if let Some(document) = gold_for {
                            let gold = doc.clone();
                            spawn_local(async move {
                                team::save_gold(team, editor, &document, &gold).await;
                            });
                        }
                        add_documents(editor, session, vec![doc]);
                        editor.notices.say(format!(
                            "Added the curated document \u{201c}{}\u{201d}.",
                            short(&title)
                        ));
                    }
                    Err(e) => error.set(Some(format!("Could not curate: {e}."))),
                }
            });
        }
    };
    let undecided = move || {
        loaded.with(|l| l.as_ref().map_or(0, |l| l.comparison.disputed.len()))
            - decisions.with(|d| d.len())
    };
    view! {
        <div class="compare-head">
            <h2 id="compare-title">"Compare annotators"</h2>
            <button class="button" on:click={
                let close = close.clone();
                move |_| close()
            }>"Close"</button>
        </div>
        {if from_server {
            view! {
                <p class="compare-note">
                    "The annotators who finished this document, from the project's server. "
                    "Saving also makes the curated document the project's gold version of it."
                </p>
            }
            .into_any()
        } else {
            view! {
                <p class="compare-note">
                    "Choose two or more annotation files of one document (any format Spanmark opens). "
                    "Each file is one annotator; their texts must be the same."
                </p>
                <label class="button open compare-pick">
                    "Choose files\u{2026}"
                    <input type="file" id="compare-files" class="visually-hidden" multiple on:change=on_files/>
                </label>
            }
            .into_any()
        }}
        <Show when=move || error.with(Option::is_some)>
            <p class="compare-error" role="alert">{move || error.get().unwrap_or_default()}</p>
        </Show>
        {move || {
            loaded
                .get()
                .map(|l| {
                    let schema = l.schema();
                    view! {
                        <div class="compare-body">
                            <AgreementTable report=l.report.clone() schema=schema.clone()/>
                            <div class="compare-columns">
                                <MarkedText loaded=l.clone() schema=schema.clone() decisions/>
                                <Disputes loaded=l schema decisions/>
                            </div>
                        </div>
                    }
                })
        }}
        <div class="compare-foot">
            <span class="compare-left">
                {move || {
                    let n = undecided();
                    (loaded.with(Option::is_some) && n > 0)
                        .then(|| format!("{n} undecided: left out of the curated document."))
                }}
            </span>
            <button
                id="compare-save"
                class="button primary"
                prop:disabled=move || loaded.with(Option::is_none)
                on:click=save
            >
                "Save curated document"
            </button>
        </div>
    }
}

/// Per label and overall: each annotator's spans, exact precision, recall and F1, and the
/// overlap F1; the links; the kappas.
#[component]
fn AgreementTable(report: Report, schema: Schema) -> impl IntoView {
    let annotators = report.annotators.clone();
    let n = annotators.len();
    let legend = annotators
        .iter()
        .enumerate()
        .map(|(i, name)| view! { <li><b>{letter(i)}</b>" "{name.clone()}</li> })
        .collect_view();
    let row = |r: &LabelRow, overall: bool| {
        let colour = schema
            .label(&r.label)
            .map_or_else(|| "#777777".to_owned(), |l| l.colour.clone());
        let counts = r
            .counts
            .iter()
            .map(|c| view! { <td class="num">{*c}</td> })
            .collect_view();
        view! {
            <tr class:overall=overall data-label=r.label.clone() style:--c=colour>
                <th scope="row">
                    {(!overall).then(|| view! { <span class="swatch" aria-hidden="true"></span> })}
                    {r.name.clone()}
                </th>
                {counts}
                <td class="num">{number(r.exact.precision)}</td>
                <td class="num">{number(r.exact.recall)}</td>
                <td class="num f1">{number(r.exact.f1)}</td>
                <td class="num f1">{number(r.overlap.f1)}</td>
            </tr>
        }
    };
    let rows = report.labels.iter().map(|r| row(r, false)).collect_view();
    let overall = row(&report.overall, true);
    let links = relation_row(&report.relations, &report.relation_counts);
    let kappa = format!(
        "Over {} tokens: Cohen\u{2019}s \u{3ba} {} \u{b7} Fleiss\u{2019} \u{3ba} {}",
        report.tokens,
        number(report.cohen_kappa),
        number(report.fleiss_kappa)
    );
    let heads = (0..n)
        .map(|i| view! { <th scope="col" class="num" title=annotators[i].clone()>{letter(i)}</th> })
        .collect_view();
    view! {
        <section class="agreement" aria-label="Agreement">
            <ul class="annotators">{legend}</ul>
            <table class="agreement-table">
                <thead>
                    <tr>
                        <th scope="col">"Label"</th>
                        {heads}
                        <th scope="col" class="num" title="Exact match: same start, end and label">"Precision"</th>
                        <th scope="col" class="num">"Recall"</th>
                        <th scope="col" class="num">"F1 exact"</th>
                        <th scope="col" class="num" title="Overlap match: same label, ranges that share text">"F1 overlap"</th>
                    </tr>
                </thead>
                <tbody>{rows}{overall}{links}</tbody>
            </table>
            <p class="kappa">{kappa}</p>
        </section>
    }
}

/// The links row: each annotator's links and their exact agreement (links have no overlap
/// match).
fn relation_row(p: &Prf, counts: &[usize]) -> impl IntoView {
    let counts = counts
        .iter()
        .map(|c| view! { <td class="num">{*c}</td> })
        .collect_view();
    view! {
        <tr class="links-row">
            <th scope="row">"Links"</th>
            {counts}
            <td class="num">{number(p.precision)}</td>
            <td class="num">{number(p.recall)}</td>
            <td class="num f1">{number(p.f1)}</td>
            <td class="num">"\u{2014}"</td>
        </tr>
    }
}

/// Who has an item, as letters: `A B`, or `only A`.
fn who(item: &Item, annotators: usize) -> String {
    let letters: Vec<String> = item.by.iter().map(|i| letter(*i)).collect();
    match item.by.len() {
        1 if annotators > 1 => format!("only {}", letters.join(" ")),
        _ => letters.join(" "),
    }
}

/// The document with every annotator's spans: agreed ones solid, disputed ones dashed (and
/// faded once rejected). A click on a disputed span goes to its row in the list.
#[component]
fn MarkedText(
    loaded: Loaded,
    schema: Schema,
    decisions: RwSignal<HashMap<usize, bool>>,
) -> impl IntoView {
    let text = loaded
        .docs
        .first()
        .map(|d| d.document.text.clone())
        .unwrap_or_default();
    let spans = |items: &[Item], prefix: &str| -> Vec<SpanRef> {
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| match &item.key {
                ItemKey::Span { start, end, label } => Some(SpanRef {
                    id: format!("{prefix}{i}"),
                    label: label.clone(),
                    start: *start,
                    end: *end,
                    note: None,
                }),
                ItemKey::Relation { .. } => None,
            })
            .collect()
    };
    let mut all = spans(&loaded.comparison.agreed, "a");
    all.extend(spans(&loaded.comparison.disputed, "d"));
    let whos: HashMap<String, String> = loaded
        .comparison
        .disputed
        .iter()
        .enumerate()
        .map(|(i, item)| (format!("d{i}"), who(item, loaded.names.len())))
        .collect();
    let paragraphs = layout::paragraphs(&text)
        .into_iter()
        .map(|p| {
            let tree = layout::paragraph_tree(p.start, &p.text, &all);
            view! { <span class="para">{marked(&tree, &schema, &whos, decisions)}</span> }
        })
        .collect_view();
    view! {
        <article class="compare-text" tabindex="0" aria-label="The document with every annotator's spans">
            {paragraphs}
        </article>
    }
}

fn marked(
    nodes: &[Node],
    schema: &Schema,
    whos: &HashMap<String, String>,
    decisions: RwSignal<HashMap<usize, bool>>,
) -> Vec<AnyView> {
    nodes
        .iter()
        .map(|node| match node {
            Node::Text { text, .. } => view! { <span>{text.clone()}</span> }.into_any(),
            Node::Piece {
                span,
                label,
                last,
                children,
                ..
            } => {
                let found = schema.label(label);
                let colour = found.map_or_else(|| "#777777".to_owned(), |l| l.colour.clone());
                let ink = found.map_or("#ffffff", |l| l.text_colour());
                let name = found.map_or_else(|| label.clone(), |l| l.name.clone());
                let disputed = span
                    .strip_prefix('d')
                    .and_then(|i| i.parse::<usize>().ok());
                let chip = match whos.get(span) {
                    Some(w) => format!("{name} \u{b7} {w}"),
                    None => name,
                };
                let state = move || {
                    disputed.and_then(|i| decisions.with(|d| d.get(&i).copied()))
                };
                view! {
                    <mark
                        class="cmp"
                        class:disputed=disputed.is_some()
                        class:accepted=move || state() == Some(true)
                        class:rejected=move || state() == Some(false)
                        data-item=span.clone()
                        style:--c=colour
                        style:--ink=ink
                        on:click=move |_| {
                            if let Some(i) = disputed {
                                focus_dispute(i);
                            }
                        }
                    >
                        {marked(children, schema, whos, decisions)}
                        {last.then(|| view! { <span class="chip" aria-hidden="true">{chip.clone()}</span> })}
                    </mark>
                }
                .into_any()
            }
        })
        .collect()
}

/// Scrolls to disputed item `i` in the list and focuses its Accept button.
fn focus_dispute(i: usize) {
    let Some(button) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector(&format!(".disputes li[data-item=\"d{i}\"] button.accept"))
                .ok()
                .flatten()
        })
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    button.scroll_into_view();
    let _ = button.focus();
}

/// Every disputed span and link, with who has it, to accept or reject; and what is agreed.
#[component]
fn Disputes(
    loaded: Loaded,
    schema: Schema,
    decisions: RwSignal<HashMap<usize, bool>>,
) -> impl IntoView {
    let n = loaded.names.len();
    let agreed_spans = loaded
        .comparison
        .agreed
        .iter()
        .filter(|i| matches!(i.key, ItemKey::Span { .. }))
        .count();
    let agreed_links = loaded.comparison.agreed.len() - agreed_spans;
    let total = loaded.comparison.disputed.len();
    let rows = loaded
        .comparison
        .disputed
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let (kind, colour) = match &item.key {
                ItemKey::Span { label, .. } => {
                    let l = schema.label(label);
                    (
                        l.map_or_else(|| label.clone(), |l| l.name.clone()),
                        l.map_or_else(|| "#777777".to_owned(), |l| l.colour.clone()),
                    )
                }
                ItemKey::Relation { kind, .. } => (
                    schema
                        .relation_type(kind)
                        .map_or_else(|| kind.clone(), |k| k.name.clone()),
                    "#777777".to_owned(),
                ),
            };
            let state = move || decisions.with(|d| d.get(&i).copied());
            let decide = move |accept: bool| {
                decisions.update(|d| {
                    if d.get(&i) == Some(&accept) {
                        d.remove(&i);
                    } else {
                        d.insert(i, accept);
                    }
                });
            };
            let text = short(&item.text);
            let by = who(item, n);
            view! {
                <li
                    data-item=format!("d{i}")
                    class:accepted=move || state() == Some(true)
                    class:rejected=move || state() == Some(false)
                    style:--c=colour
                >
                    <span class="dispute-kind">{kind}</span>
                    <span class="dispute-text">{text}</span>
                    <span class="dispute-who">{by}</span>
                    <span class="dispute-actions">
                        <button class="accept" aria-pressed=move || (state() == Some(true)).to_string()
                            on:click=move |_| decide(true)>"Accept"</button>
                        <button class="reject" aria-pressed=move || (state() == Some(false)).to_string()
                            on:click=move |_| decide(false)>"Reject"</button>
                    </span>
                </li>
            }
        })
        .collect_view();
    let decided = move || decisions.with(|d| d.len());
    view! {
        <section class="disputes" aria-label="Disagreements">
            <h3>"Disagreements " <span class="count">{move || format!("{} of {total} decided", decided())}</span></h3>
            <ol>{rows}</ol>
            <p class="agreed-note">
                {format!(
                    "Agreed by all, and kept: {agreed_spans} span{} and {agreed_links} link{}. \
                     A link is kept only when both its spans are.",
                    if agreed_spans == 1 { "" } else { "s" },
                    if agreed_links == 1 { "" } else { "s" }
                )}
            </p>
        </section>
    }
}
