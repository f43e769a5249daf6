//! The team's parts on screen: *Team…* in the toolbar with its dialog (sign in to a project's
//! server, connect, disconnect) and the sync indicator beside the save indicator. What they set
//! off is in `team.rs`.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::dialogs;
use super::editor::Editor;
use super::state::Session;
use super::team::{self, SyncState, Team};

/// Where the app reaches a team server by default: its own origin (docs/DEPLOY.md).
const DEFAULT_SERVER: &str = "/couchdb/";

/// The toolbar's *Team…* button.
#[component]
pub fn TeamButton() -> impl IntoView {
    let team = expect_context::<Team>();
    dialogs::dialog_button(
        "team-open",
        "Team…",
        Some("Work on a team project: sign in to its server"),
        team.dialog,
    )
}

/// The Team dialog: the server, the project and who signs in; Connect and Disconnect.
#[component]
pub fn TeamDialog() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let session = expect_context::<Session>();
    let team = expect_context::<Team>();
    let dialog = NodeRef::<html::Dialog>::new();
    dialogs::modal_while(dialog, team.dialog);
    let stored = |f: fn(&spanmark_formats::team::project::Project) -> String, default: &str| {
        team.project
            .with_untracked(|p| p.as_ref().map(f))
            .unwrap_or_else(|| default.to_owned())
    };
    let server = RwSignal::new(stored(|p| p.server.clone(), DEFAULT_SERVER));
    let db = RwSignal::new(stored(|p| p.db.clone(), ""));
    let user = RwSignal::new(stored(|p| p.user.clone(), ""));
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let close = move || {
        password.set(String::new());
        error.set(None);
        team.dialog.set(false);
    };
    let connected = move || {
        team.project
            .with(|p| p.as_ref().is_some_and(|p| p.connected))
            && team.state.get() != SyncState::SignIn
    };
    let on_connect = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (s, d, u, pw) = (
            server.get_untracked().trim().to_owned(),
            db.get_untracked().trim().to_owned(),
            user.get_untracked().trim().to_owned(),
            password.get_untracked(),
        );
        if s.is_empty() || d.is_empty() || u.is_empty() {
            error.set(Some(
                "Give the server, the project and your user name.".into(),
            ));
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = team::connect(team, editor, session, s, d, u, pw).await;
            busy.set(false);
            match result {
                Ok(()) => close(),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let status = move || {
        team.project.with(|p| {
            p.as_ref().map(|p| {
                let role = if p.curator { "curator" } else { "annotator" };
                format!(
                    "Connected to the project \u{201c}{}\u{201d} on {} as {} ({role}). {} of its documents are in this browser.",
                    p.db,
                    p.server,
                    p.user,
                    p.links.len()
                )
            })
        })
    };
    view! {
        <dialog
            node_ref=dialog
            id="team-dialog"
            class="team-dialog"
            aria-modal="true"
            aria-labelledby="team-title"
            on:keydown=move |ev| dialogs::dialog_keys(&ev, close)
            on:close=move |_| close()
        >
            <h2 id="team-title">"Team project"</h2>
            <Show
                when=connected
                fallback=move || view! {
                    <form class="team-form" on:submit=on_connect>
                        <p class="team-note">
                            "Sign in to your project's CouchDB server. Your documents stay in this browser and sync when the server can be reached; the password is not stored."
                        </p>
                        <label>"Server" <input id="team-server" type="text" autocomplete="url" bind:value=server/></label>
                        <label>"Project (database)" <input id="team-db" type="text" bind:value=db/></label>
                        <label>"User name" <input id="team-user" type="text" autocomplete="username" bind:value=user/></label>
                        <label>"Password" <input id="team-password" type="password" autocomplete="current-password" bind:value=password/></label>
                        <Show when=move || error.with(Option::is_some)>
                            <p id="team-error" class="team-error" role="alert">{move || error.get().unwrap_or_default()}</p>
                        </Show>
                        <div class="team-foot">
                            <button id="team-connect" class="button primary" type="submit" disabled=move || busy.get()>
                                {move || if busy.get() { "Connecting…" } else { "Connect" }}
                            </button>
                            <button id="team-close" class="button" type="button" on:click=move |_| close()>"Close"</button>
                        </div>
                    </form>
                }
            >
                <p id="team-status" class="team-note">{status}</p>
                <div class="team-foot">
                    <button id="team-disconnect" class="button" on:click=move |_| {
                        team::disconnect(team, editor);
                        close();
                    }>"Disconnect"</button>
                    <button id="team-close" class="button primary" on:click=move |_| close()>"Close"</button>
                </div>
            </Show>
        </dialog>
    }
}

/// The team sync's state, beside the save indicator: *Synced*, *Syncing…*, *Offline — N changes
/// waiting*, or *Sign in again* (which opens the Team dialog).
#[component]
pub fn SyncIndicator() -> impl IntoView {
    let team = expect_context::<Team>();
    let waiting = move || {
        team.project
            .with(|p| p.as_ref().map_or(0, |p| p.waiting_edits()))
    };
    let changes = move || match waiting() {
        1 => "1 change waiting".to_owned(),
        n => format!("{n} changes waiting"),
    };
    let text = move || match team.state.get() {
        SyncState::Off if waiting() > 0 => format!("Not connected \u{2014} {}", changes()),
        SyncState::Off => String::new(),
        SyncState::Synced => "Synced".to_owned(),
        SyncState::Syncing => "Syncing\u{2026}".to_owned(),
        SyncState::Offline => format!("Offline \u{2014} {}", changes()),
        SyncState::SignIn => "Sign in again".to_owned(),
    };
    let id = move || match team.state.get() {
        SyncState::Off => "off",
        SyncState::Synced => "synced",
        SyncState::Syncing => "syncing",
        SyncState::Offline => "offline",
        SyncState::SignIn => "sign-in",
    };
    view! {
        <Show
            when=move || team.state.get() == SyncState::SignIn
            fallback=move || view! {
                <span id="sync-state" class="sync-state" data-state=id>{text}</span>
            }
        >
            <button id="sync-state" class="sync-state button" data-state="sign-in" on:click=move |_| team.dialog.set(true)>
                "Sign in again"
            </button>
        </Show>
    }
}
