//! Long lists in the side panel (a label's spans, the links) show a page of entries at a time:
//! ten thousand buttons would make every edit slow.

use leptos::prelude::*;

/// How many entries a list shows before it offers more.
pub const PAGE: usize = 200;

/// A list of `count` entries showing the first `limit` (`entries`, `<li>`s), and a "Show more"
/// button under it while there are more.
pub fn paged_list(
    count: Memo<usize>,
    limit: RwSignal<usize>,
    entries: impl IntoView,
) -> impl IntoView {
    view! {
        <ul>{entries}</ul>
        {move || more_button(count.get(), limit)}
    }
}

/// "Show more" under a list that shows the first `limit` of `count` entries.
fn more_button(count: usize, limit: RwSignal<usize>) -> Option<impl IntoView> {
    let rest = count.saturating_sub(limit.get());
    (rest > 0).then(|| {
        let next = rest.min(PAGE);
        view! {
            <button class="more" on:click=move |_| limit.update(|l| *l += PAGE)>
                {format!("Show {next} more (of {rest} not listed)")}
            </button>
        }
    })
}
