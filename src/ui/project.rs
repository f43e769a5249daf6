//! A team project's work on screen: the signed-in annotator's queue (*My documents*: each
//! assigned document and where it stands, a progress bar, *Mark as done*, *Next unfinished*)
//! and, for a curator, the dashboard: progress per annotator, label counts and agreement
//! across the corpus (`formats::team::dashboard`), read from the server, drawn as SVG charts
//! with the same numbers in tables; each finished document opens in Compare to curate its gold
//! version.
//!
//! The charts are drawn here, as plain SVG elements: bars and a heat map need no library, and
//! the first load stays small.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::compare::{CompareDialog, CompareRequest};
use super::dialogs;
use super::documents::switch_to;
use super::editor::Editor;
use super::paging::PAGE;
use super::state::Session;
use super::team::{self, Team};
use spanmark_core::agreement::{CorpusReport, DocumentRow};
use spanmark_core::Schema;
use spanmark_formats::job::{Answer, Job};
use spanmark_formats::team::dashboard::{read, Corpus, Dashboard};
use spanmark_formats::team::plan::{assign, Plan, Stage, PLAN_ID};
use spanmark_formats::team::{self as couch_team, Status};

/// The signed-in annotator's queue, above the Documents list while a team project is there.
#[component]
pub fn QueuePanel() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let session = expect_context::<Session>();
    let team = expect_context::<Team>();
    let has_project = move || team.project.with(Option::is_some);
    let items = Memo::new(move |_| team::queue(team, session));
    let done = move || items.with(|q| q.iter().filter(|i| i.stage == Stage::Done).count());
    let total = move || items.with(Vec::len);
    let current = move || editor.open.doc.with(|d| d.document.id.clone());
    // The open document, when it is in the queue: its stage.
    let open_stage = move || {
        let current = current();
        items.with(|q| {
            q.iter()
                .find(|i| i.local.as_deref() == Some(current.as_str()))
                .map(|i| i.stage)
        })
    };
    let toggle_done = move |_| {
        let id = current();
        let status = if open_stage() == Some(Stage::Done) {
            Status::InProgress
        } else {
            Status::Done
        };
        if team::mark(team, editor, session, &id, status) {
            editor.notices.say(if status == Status::Done {
                "Marked as done."
            } else {
                "Marked as not done."
            });
        }
    };
    let next = move |_| {
        team::next_unfinished(team, editor, session);
    };
    let curator = move || team.project.with(|p| p.as_ref().is_some_and(|p| p.curator));
    let title_of = move |local: &Option<String>, document: &str| {
        session.library.with(|l| {
            local
                .as_deref()
                .and_then(|id| l.entry(id))
                .map_or_else(|| document.to_owned(), |e| e.title.clone())
        })
    };
    view! {
        <Show when=has_project>
            <section class="queue" aria-labelledby="queue-title">
                <h2 id="queue-title">"My documents"</h2>
                <Show when=move || total() == 0>
                    <p class="queue-empty">"No documents are assigned to you."</p>
                </Show>
                <div class="queue-progress" class:hidden=move || total() == 0>
                    <progress id="queue-bar" max=move || total().max(1).to_string() value=move || done().to_string() aria-labelledby="queue-count"></progress>
                    <span id="queue-count">{move || format!("{} of {} done", done(), total())}</span>
                </div>
                <ul class="queue-list">
                    <For each=move || items.get() key=|i| (i.document.clone(), i.local.clone(), i.stage) let:item>
                        {
                            let local = item.local.clone();
                            let title = title_of(&item.local, &item.document);
                            let is_open = {
                                let local = local.clone();
                                move || local.as_deref() == Some(current().as_str())
                            };
                            let stage = item.stage;
                            view! {
                                <li class="queue-item" data-stage=stage.words() aria-current=move || is_open().then_some("true")>
                                    <button
                                        class="queue-open"
                                        prop:disabled=local.is_none()
                                        title=if local.is_some() { "Open it" } else { "Not in this browser yet" }
                                        on:click=move |_| {
                                            if let Some(id) = &local {
                                                switch_to(editor, session, id);
                                            }
                                        }
                                    >
                                        {title}
                                    </button>
                                    <span class=format!("stage stage-{}", stage.words().replace(' ', "-"))>{stage.words()}</span>
                                </li>
                            }
                        }
                    </For>
                </ul>
                <div class="queue-actions">
                    <button
                        id="mark-done"
                        class="button"
                        prop:disabled=move || open_stage().is_none()
                        on:click=toggle_done
                    >
                        {move || if open_stage() == Some(Stage::Done) { "Mark as not done" } else { "Mark as done" }}
                    </button>
                    <button id="next-unfinished" class="button" title="Open the next document not done (n)" on:click=next>
                        "Next unfinished"
                    </button>
                    <Show when=curator>
                        <DashboardButton/>
                    </Show>
                </div>
            </section>
        </Show>
    }
}

/// What the dashboard shows: being read, read (with the project as read, to curate from), or
/// why not.
#[derive(Clone)]
enum Board {
    Reading,
    Read {
        board: Box<Dashboard>,
        plan: Box<Plan>,
        corpus: std::sync::Arc<Corpus>,
        /// The project document's revision, to write its assignments over.
        plan_rev: Option<serde_json::Value>,
    },
    Failed(String),
}

/// The corpus's agreement and what could not be measured, from the codec worker; or why it
/// could not be measured at all.
type Measured = Result<(CorpusReport, Vec<String>), String>;

/// *Dashboard* (curators) and its dialog, read from the server each time it opens.
#[component]
fn DashboardButton() -> impl IntoView {
    let team = expect_context::<Team>();
    let open = RwSignal::new(false);
    let board = RwSignal::new(Board::Reading);
    let agreement = RwSignal::new(None::<Measured>);
    // Read again after the dashboard changed the project (assignments).
    let generation = RwSignal::new(0u32);
    let dialog = NodeRef::<html::Dialog>::new();
    dialogs::modal_while(dialog, open);
    Effect::new(move |_| {
        generation.track();
        if !open.get() {
            return;
        }
        board.set(Board::Reading);
        agreement.set(None);
        spawn_local(async move {
            let (plan, rows) = match team::read_project(team).await {
                Ok(read) => read,
                Err(e) => {
                    board.set(Board::Failed(format!(
                        "The dashboard could not be read: {e}. Your work is not affected; try again when the server can be reached."
                    )));
                    return;
                }
            };
            // Progress first, drawn at once; agreement (the long part) in the codec worker,
            // off the page's thread.
            let corpus = std::sync::Arc::new(read(&rows));
            let plan_rev = rows
                .iter()
                .find(|r| r["_id"] == PLAN_ID)
                .map(|r| r["_rev"].clone());
            board.set(Board::Read {
                board: Box::new(corpus.progress(&plan)),
                plan: Box::new(plan),
                corpus: std::sync::Arc::clone(&corpus),
                plan_rev,
            });
            let job = Job::CorpusAgreement { rows };
            let measured = crate::codecs::ask(&job, &[], |answer, _| match answer {
                Answer::CorpusAgreement(report, problems) => Some((report, problems)),
                _ => None,
            })
            .await
            .map_err(|e| e.plain().to_owned());
            agreement.set(Some(measured));
        });
    });
    view! {
        {dialogs::dialog_button("dashboard-open", "Dashboard", Some("The project's progress and agreement"), open)}
        <dialog
            class="dashboard-dialog"
            id="dashboard"
            aria-labelledby="dashboard-title"
            node_ref=dialog
            on:close=move |_| open.set(false)
            on:keydown=move |ev| dialogs::dialog_keys(&ev, move || open.set(false))
        >
            <div class="dashboard-head">
                <h2 id="dashboard-title">"Project dashboard"</h2>
                <button id="dashboard-close" class="button" on:click=move |_| open.set(false)>"Close"</button>
            </div>
            <Show when=move || open.get()>
                {move || match board.get() {
                    Board::Reading => view! { <p class="dashboard-note" role="status">"Reading the project\u{2026}"</p> }.into_any(),
                    Board::Failed(why) => view! { <p class="dashboard-note" role="alert">{why}</p> }.into_any(),
                    Board::Read { board, plan, corpus, plan_rev } => view! {
                        <DashboardBody
                            board=*board
                            agreement
                            plan=*plan
                            corpus
                            plan_rev
                            close=move || open.set(false)
                            reload=move || generation.update(|g| *g += 1)
                        />
                    }.into_any(),
                }}
            </Show>
        </dialog>
    }
}

/// How many documents the heat map shows at most: those where the annotators agree least.
const HEAT_ROWS: usize = 40;

fn number(v: Option<f64>) -> String {
    v.map_or_else(|| "\u{2014}".to_owned(), |v| format!("{v:.2}"))
}

/// The fill of a heat-map cell of F1 `v` (one hue, darker for more agreement) and the ink that
/// reads on it.
fn heat(v: Option<f64>) -> (String, &'static str) {
    match v {
        None => ("var(--heat-none)".to_owned(), "var(--fg)"),
        Some(v) => {
            let light = 92.0 - 62.0 * v.clamp(0.0, 1.0);
            let ink = if light > 55.0 { "#000000" } else { "#ffffff" };
            (format!("hsl(205, 75%, {light:.0}%)"), ink)
        }
    }
}

/// The dashboard: charts and tables of `board`; a finished document opens in Compare.
#[component]
fn DashboardBody(
    board: Dashboard,
    agreement: RwSignal<Option<Measured>>,
    plan: Plan,
    corpus: std::sync::Arc<Corpus>,
    plan_rev: Option<serde_json::Value>,
    close: impl Fn() + Clone + Send + Sync + 'static,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let team = expect_context::<Team>();
    let compare = expect_context::<CompareDialog>();
    let assign_form = assign_form(team, &plan, &board, plan_rev, reload);
    let schema = plan
        .schema
        .clone()
        .unwrap_or_else(|| editor.open.schema.get_untracked());
    let colour = |label: &str| {
        schema
            .label(label)
            .map_or_else(|| "#999999".to_owned(), |l| l.colour.clone())
    };
    let curate = move |document: String| {
        let corpus = std::sync::Arc::clone(&corpus);
        let close = close.clone();
        move |_| {
            let (names, docs) = corpus
                .finished(&document)
                .iter()
                .map(|a| (a.name.to_owned(), a.doc.clone()))
                .unzip();
            close();
            compare.open_with(CompareRequest {
                names,
                docs,
                gold_for: Some(document.clone()),
            });
        }
    };

    // A long project's documents come a page at a time: a thousand rows would make the
    // dashboard slow to draw.
    let documents = std::sync::Arc::new(board.documents.clone());
    let shown = RwSignal::new(PAGE);
    let listed = documents.len();
    let documents_done = board.documents.iter().filter(|d| d.done.len() >= 2).count();
    let curated = board.documents.iter().filter(|d| d.curated).count();
    view! {
        <p class="dashboard-note">
            {format!(
                "{} documents; {} with two or more annotators done; {} curated. Agreement is measured over the documents with two or more annotators done.",
                board.documents.len(), documents_done, curated
            )}
        </p>
        {(!board.problems.is_empty()).then(|| view! {
            <details class="dashboard-problems">
                <summary>{format!("{} items could not be read", board.problems.len())}</summary>
                <ul>{board.problems.iter().map(|p| view! { <li>{p.clone()}</li> }).collect_view()}</ul>
            </details>
        })}
        {assign_form}
        <div class="dashboard-grid">
            <section aria-labelledby="chart-progress-title">
                <h3 id="chart-progress-title">"Progress"</h3>
                {progress_chart(&board)}
                <table class="dashboard-table" id="progress-table">
                    <caption class="visually-hidden">"Progress per annotator"</caption>
                    <thead><tr><th scope="col">"Annotator"</th><th scope="col" class="num">"Done"</th><th scope="col" class="num">"In progress"</th><th scope="col" class="num">"Assigned"</th><th scope="col" class="num">"Spans"</th></tr></thead>
                    <tbody>
                        {board.annotators.iter().map(|p| view! {
                            <tr data-user=p.user.clone()>
                                <th scope="row">{p.user.clone()}</th>
                                <td class="num">{p.done}</td>
                                <td class="num">{p.in_progress}</td>
                                <td class="num">{p.assigned}</td>
                                <td class="num">{p.spans}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
            <section aria-labelledby="chart-labels-title">
                <h3 id="chart-labels-title">"Spans per label"</h3>
                {label_chart(&board, &schema)}
                <table class="dashboard-table" id="labels-table">
                    <caption class="visually-hidden">"Spans per label across the corpus"</caption>
                    <thead><tr><th scope="col">"Label"</th><th scope="col" class="num">"Spans"</th></tr></thead>
                    <tbody>
                        {board.labels.iter().map(|l| view! {
                            <tr data-label=l.label.clone()>
                                <th scope="row"><span class="swatch" style:--c=colour(&l.label) aria-hidden="true"></span>{l.name.clone()}</th>
                                <td class="num">{l.spans}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        </div>
        <section aria-labelledby="chart-agreement-title">
            <h3 id="chart-agreement-title">"Agreement (exact match F1)"</h3>
            {move || agreement.with(|a| match a {
                None => view! { <p class="dashboard-note" role="status">"Measuring agreement\u{2026}"</p> }.into_any(),
                Some(Ok((a, problems))) => agreement_view(a, problems).into_any(),
                Some(Err(why)) => view! {
                    <p class="dashboard-note" role="alert">{format!("Agreement could not be measured: {why}.")}</p>
                }.into_any(),
            })}
        </section>
        <section aria-labelledby="documents-title">
            <h3 id="documents-title">"Documents"</h3>
            <table class="dashboard-table" id="documents-table">
                <thead>
                    <tr>
                        <th scope="col">"Document"</th>
                        <th scope="col">"Assigned"</th>
                        <th scope="col">"Done"</th>
                        <th scope="col" class="num">"F1"</th>
                        <th scope="col">"Gold"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || documents.iter().take(shown.get()).map(|d| {
                        let can_curate = d.done.len() >= 2;
                        let open = curate(d.id.clone());
                        let id = d.id.clone();
                        let f1 = move || {
                            agreement.with(|a| {
                                a.as_ref().and_then(|m| m.as_ref().ok()).map(|(a, _)| {
                                    number(a.documents.iter().find(|r| r.id == id).and_then(|r| r.exact_f1))
                                })
                            })
                        };
                        view! {
                            <tr data-document=d.id.clone()>
                                <th scope="row">{d.title.clone()}</th>
                                <td>{d.assigned.join(", ")}</td>
                                <td>{d.done.join(", ")}</td>
                                <td class="num">{f1}</td>
                                <td>
                                    {d.curated.then_some("curated ")}
                                    {can_curate.then(|| view! {
                                        <button class="button curate" on:click=open aria-label=format!("Curate {}", d.title)>
                                            {if d.curated { "Curate again" } else { "Curate" }}
                                        </button>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {move || {
                let rest = listed.saturating_sub(shown.get());
                (rest > 0).then(|| view! {
                    <button class="button more" id="documents-more" on:click=move |_| shown.update(|n| *n += PAGE)>
                        {format!("Show {} more (of {rest} not listed)", rest.min(PAGE))}
                    </button>
                })
            }}
        </section>
    }
}

/// The agreement across the corpus: the heat map, the table per label, and the documents
/// whose annotators could not be compared.
fn agreement_view(a: &CorpusReport, problems: &[String]) -> impl IntoView {
    view! {
        {heat_map(a)}
        <table class="dashboard-table" id="agreement-table">
            <caption class="visually-hidden">"Agreement per label across the corpus"</caption>
            <thead>
                <tr>
                    <th scope="col">"Label"</th>
                    <th scope="col" class="num">"Documents"</th>
                    <th scope="col" class="num">"Precision"</th>
                    <th scope="col" class="num">"Recall"</th>
                    <th scope="col" class="num">"F1 (micro)"</th>
                    <th scope="col" class="num">"F1 (macro)"</th>
                    <th scope="col" class="num">"Overlap F1 (micro)"</th>
                </tr>
            </thead>
            <tbody>
                {a.labels.iter().chain([&a.overall]).map(|r| view! {
                    <tr data-label=r.label.clone()>
                        <th scope="row">{r.name.clone()}</th>
                        <td class="num">{r.documents}</td>
                        <td class="num">{number(r.exact.precision)}</td>
                        <td class="num">{number(r.exact.recall)}</td>
                        <td class="num micro">{number(r.exact.f1)}</td>
                        <td class="num macro">{number(r.exact_macro_f1)}</td>
                        <td class="num">{number(r.overlap.f1)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        {(!problems.is_empty()).then(|| view! {
            <details class="dashboard-problems">
                <summary>{format!("{} documents could not be compared", problems.len())}</summary>
                <ul>{problems.iter().map(|p| view! { <li>{p.clone()}</li> }).collect_view()}</ul>
            </details>
        })}
    }
}

/// The form that gives every document without annotators `k` of the named annotators,
/// balanced (`formats::team::plan::assign`), and writes the project document.
fn assign_form(
    team: Team,
    plan: &Plan,
    board: &Dashboard,
    rev: Option<serde_json::Value>,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let unassigned = board
        .documents
        .iter()
        .filter(|d| !plan.assignments.contains_key(&d.id))
        .count();
    let known: Vec<String> = board.annotators.iter().map(|a| a.user.clone()).collect();
    let names = RwSignal::new(known.join(", "));
    let per_doc = RwSignal::new("2".to_owned());
    let error = RwSignal::new(None::<String>);
    let documents: Vec<String> = board.documents.iter().map(|d| d.id.clone()).collect();
    let plan = plan.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let annotators: Vec<String> = names
            .get_untracked()
            .split(',')
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty())
            .collect();
        if let Some(bad) = annotators.iter().find(|n| !couch_team::valid_user(n)) {
            error.set(Some(format!("\u{201c}{bad}\u{201d} is not a user name.")));
            return;
        }
        let Ok(k) = per_doc.get_untracked().trim().parse::<usize>() else {
            error.set(Some(
                "Give how many annotators each document needs, as a number.".into(),
            ));
            return;
        };
        let mut next = plan.clone();
        match assign(&plan.assignments, &documents, &annotators, k) {
            Ok(a) => next.assignments = a,
            Err(e) => {
                error.set(Some(format!("Not assigned: {e}.")));
                return;
            }
        }
        error.set(None);
        let rev = rev.clone();
        spawn_local(async move {
            match team::save_plan(team, &next, rev).await {
                Ok(()) => {
                    editor.notices.say("Assigned the documents.");
                    reload();
                }
                Err(e) => error.set(Some(format!("Not assigned: {e}."))),
            }
        });
    };
    view! {
        <form class="assign" on:submit=on_submit aria-labelledby="assign-title">
            <h3 id="assign-title">"Assignments"</h3>
            <p class="dashboard-note">{format!(
                "{unassigned} of {} documents have no annotators yet. Each gets the number asked, from the annotators named, balanced; documents already assigned keep theirs.",
                board.documents.len()
            )}</p>
            <div class="assign-fields">
                <label>
                    "Annotators"
                    <input type="text" id="assign-annotators" autocomplete="off" placeholder="anna, ben, cleo"
                        prop:value=move || names.get() on:input=move |ev| names.set(event_target_value(&ev))/>
                </label>
                <label>
                    "Per document"
                    <input type="number" id="assign-per-doc" min="1" max="20"
                        prop:value=move || per_doc.get() on:input=move |ev| per_doc.set(event_target_value(&ev))/>
                </label>
                <button type="submit" id="assign" class="button" prop:disabled=unassigned == 0>"Assign"</button>
            </div>
            <p class="assign-error" role="alert">{move || error.get()}</p>
        </form>
    }
}

/// One row of a bar chart: its name, its segments (each a fraction of the full length, drawn
/// with a class and, when given, a fill of its own), and the value said at its end.
struct Bar {
    name: String,
    segments: Vec<(f64, &'static str, Option<String>)>,
    value: String,
}

/// A horizontal bar chart `id` whose text alternative is `title`, one row per bar; with
/// `track`, each bar's full length is drawn under its segments.
fn bar_chart(id: &'static str, title: String, bars: Vec<Bar>, track: bool) -> impl IntoView {
    let (row, label_w, bar_w, value_w) = (26.0, 90.0, 260.0, 70.0);
    let height = row * bars.len().max(1) as f64;
    let rows = bars
        .into_iter()
        .enumerate()
        .map(|(i, bar)| {
            let y = i as f64 * row;
            let mut x = label_w;
            let segments = bar
                .segments
                .into_iter()
                .map(|(fraction, class, fill)| {
                    let width = bar_w * fraction;
                    let at = x;
                    x += width;
                    view! { <rect x=at y=y + 4.0 width=width height=row - 8.0 class=class fill=fill/> }
                })
                .collect_view();
            let end = if track { label_w + bar_w } else { x };
            view! {
                <g>
                    <text x="0" y=y + 17.0 class="chart-text">{bar.name}</text>
                    {track.then(|| view! { <rect x=label_w y=y + 4.0 width=bar_w height=row - 8.0 class="bar-track"/> })}
                    {segments}
                    <text x=end + 6.0 y=y + 17.0 class="chart-text">{bar.value}</text>
                </g>
            }
        })
        .collect_view();
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    view! {
        <svg class="chart" id=id role="img" aria-labelledby=labelled_by
            viewBox=format!("0 0 {} {height}", label_w + bar_w + value_w) width=label_w + bar_w + value_w>
            <title id=title_id>{title}</title>
            {rows}
        </svg>
    }
}

/// Bars of documents done (and in progress) of those assigned, one per annotator.
fn progress_chart(board: &Dashboard) -> impl IntoView {
    let summary = board
        .annotators
        .iter()
        .map(|p| format!("{} {} of {} done", p.user, p.done, p.assigned))
        .collect::<Vec<_>>()
        .join("; ");
    let bars = board
        .annotators
        .iter()
        .map(|p| {
            let of = p.assigned.max(p.done + p.in_progress).max(1) as f64;
            Bar {
                name: p.user.clone(),
                segments: vec![
                    (p.done as f64 / of, "bar-done", None),
                    (p.in_progress as f64 / of, "bar-progress", None),
                ],
                value: format!("{} / {}", p.done, p.assigned),
            }
        })
        .collect();
    bar_chart(
        "progress-chart",
        format!("Documents done per annotator: {summary}."),
        bars,
        true,
    )
}

/// One bar per label: its spans across the corpus, in the label's colour.
fn label_chart(board: &Dashboard, schema: &Schema) -> impl IntoView {
    let most = board
        .labels
        .iter()
        .map(|l| l.spans)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let summary = board
        .labels
        .iter()
        .map(|l| format!("{} {}", l.name, l.spans))
        .collect::<Vec<_>>()
        .join("; ");
    let bars = board
        .labels
        .iter()
        .map(|l| {
            let colour = schema
                .label(&l.label)
                .map_or_else(|| "#999999".to_owned(), |s| s.colour.clone());
            Bar {
                name: l.name.clone(),
                segments: vec![(l.spans as f64 / most, "bar-label", Some(colour))],
                value: l.spans.to_string(),
            }
        })
        .collect();
    bar_chart(
        "labels-chart",
        format!("Spans per label: {summary}."),
        bars,
        false,
    )
}

/// A document × label heat map of exact-match F1, with the value in each cell.
fn heat_map(a: &CorpusReport) -> impl IntoView {
    if a.documents.is_empty() {
        return view! {
            <p class="dashboard-note">"No document has two annotators done yet."</p>
        }
        .into_any();
    }
    // The documents where the annotators agree least, lowest F1 first (undefined last).
    let mut rows: Vec<&DocumentRow> = a.documents.iter().collect();
    let shown_all = rows.len() <= HEAT_ROWS;
    if !shown_all {
        rows.sort_by(|x, y| {
            let key = |r: &DocumentRow| r.exact_f1.unwrap_or(f64::INFINITY);
            key(x)
                .total_cmp(&key(y))
                .then_with(|| x.title.cmp(&y.title))
        });
        rows.truncate(HEAT_ROWS);
    }
    let (cell_w, cell_h, head_w, head_h) = (64.0, 26.0, 180.0, 28.0);
    let width = head_w + cell_w * (a.labels.len() + 1) as f64;
    let height = head_h + cell_h * rows.len() as f64;
    let heads = a
        .labels
        .iter()
        .map(|l| l.name.clone())
        .chain(["All".to_owned()])
        .enumerate()
        .map(|(j, name)| {
            view! {
                <text x=head_w + cell_w * j as f64 + cell_w / 2.0 y="18" text-anchor="middle" class="chart-text">{name}</text>
            }
        })
        .collect_view();
    let cells = rows
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let y = head_h + cell_h * i as f64;
            let title: String = d.title.chars().take(24).collect();
            let values = d.label_f1.iter().copied().chain([d.exact_f1]);
            let row = values
                .enumerate()
                .map(|(j, v)| {
                    let (fill, ink) = heat(v);
                    let x = head_w + cell_w * j as f64;
                    view! {
                        <rect x=x y=y width=cell_w - 2.0 height=cell_h - 2.0 style:fill=fill class="heat-cell"/>
                        <text x=x + cell_w / 2.0 - 1.0 y=y + 17.0 text-anchor="middle" style:fill=ink class="chart-value">{number(v)}</text>
                    }
                })
                .collect_view();
            view! {
                <g>
                    <text x="0" y=y + 17.0 class="chart-text">{title}</text>
                    {row}
                </g>
            }
        })
        .collect_view();
    view! {
        {(!shown_all).then(|| view! {
            <p class="dashboard-note">{format!(
                "The {HEAT_ROWS} documents where the annotators agree least, of {}; every document is in the table below.",
                a.documents.len()
            )}</p>
        })}
        <svg class="chart heat-map" id="agreement-chart" role="img" aria-labelledby="agreement-chart-title"
            viewBox=format!("0 0 {width} {height}") width=width>
            <title id="agreement-chart-title">{format!(
                "Exact-match F1 per document and label{}; overall {} (micro), {} (macro). The numbers are in the tables below.",
                if shown_all { String::new() } else { format!(", for the {HEAT_ROWS} of {} documents where the annotators agree least", a.documents.len()) },
                number(a.overall.exact.f1), number(a.overall.exact_macro_f1)
            )}</title>
            {heads}
            {cells}
        </svg>
    }
    .into_any()
}
