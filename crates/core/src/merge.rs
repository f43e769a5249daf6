//! Three-way merge of two versions of one annotated document.
//!
//! Two tabs may edit the same document. Each keeps its version in memory and writes it to
//! storage; a tab that finds in storage a version another tab wrote merges it into its own with
//! [`merge`]: `base` is the version this tab last read from or wrote to storage, `ours` its
//! version in memory, `theirs` the version storage holds now. Neither tab silently loses the
//! other's work, and the result is always a valid document (one `native::parse` accepts).
//!
//! # The contract
//!
//! - **Text.** Ours and theirs must have the same text, or they cannot be merged
//!   ([`MergeError::DifferentText`]). A missing `base`, or one with another text, means there
//!   is no common ancestor: each side added everything it has.
//! - **Three-way rule.** Spans, relations, labels and relation types are matched by id, the
//!   title and the document note are single values. For each: if ours and theirs agree, or only
//!   ours changed it since the base (adding and removing count as changes), ours is kept; if
//!   only theirs changed it, theirs is taken; if both changed it differently, see below.
//! - **Spans changed in both tabs.** When the two versions differ only in their note, one span
//!   is kept with both notes joined (ours first, a blank line between; when one note contains
//!   the other, the longer one). Otherwise ours stays under the id and theirs is kept beside it
//!   under a fresh id. A change beats a removal: a span one tab changed and the other removed
//!   is kept as changed. Each case is reported as a conflict. A span id neither in the base but
//!   in both tabs with different contents is two spans that happen to share an id (ids are
//!   handed out per tab): ours keeps it, theirs gets a fresh id, and that is not a conflict.
//! - **The same span twice.** A span of theirs whose range and label equal those of a span kept
//!   from ours is that span: it keeps ours's id, and the notes are joined.
//! - **Relations** follow the same rules, with their ends read through the span ids the merge
//!   gave (so a relation to a span of theirs that got a fresh id follows it). A relation of
//!   theirs with the same type and ends as one kept is that relation. A relation that is kept
//!   but links a span the other tab removed brings that span back (the version of the tab the
//!   relation comes from), reported. A relation whose type no longer allows its ends' labels
//!   (for example one tab relabelled a span the other linked) is dropped and reported.
//! - **Schema.** Labels and relation types follow the three-way rule, both changed → ours's
//!   version (reported); a change beats a removal as for spans. A label or relation type that a
//!   kept span or relation uses is kept even if one tab removed it (reported). Clashes between
//!   items from ours and items from theirs are resolved as [`Schema::merged_with`] does, in
//!   favour of ours: theirs's item gets `(2)`… after a name ours has, or loses a key ours has
//!   (reported). Relation types allow only labels the result has.
//! - **Title**: both changed → ours (reported). **Document note**: both changed → joined as
//!   span notes are (reported). The document id is ours's.
//! - **Fresh ids** (`s<n>`, `r<n>`) are numbered past every id of the three versions, so a
//!   later merge cannot mistake them for ids it has seen.
//! - **Order.** Relations, labels and relation types are listed in ours's order (in theirs's
//!   if only theirs moved some, by removing one and adding it again), and the other side's
//!   own items where they stand there: after the item they follow. Spans are sorted as always.
//! - The result is deterministic, and [`MergeReport`] says what in it differs from ours.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use super::model::{in_key_order, permuted, AnnotatedDocument, Document, Relation, Span};
use super::schema::{Label, RelationType, Schema};

/// The merged document and what the merge took from theirs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Merged {
    pub doc: AnnotatedDocument,
    pub report: MergeReport,
}

/// How the merged document differs from ours, and the conflicts the merge resolved.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Spans whose id ours does not have.
    pub spans_added: usize,
    /// Spans of ours that are gone.
    pub spans_removed: usize,
    /// Spans of ours whose label, range or note changed.
    pub spans_changed: usize,
    /// Relations whose id ours does not have, or that ours has with other contents.
    pub relations_added: usize,
    /// Relations of ours that are gone, or now have other contents.
    pub relations_removed: usize,
    /// Whether the labels or relation types differ from ours.
    pub schema_changed: bool,
    /// Whether the title or the document note differ from ours.
    pub document_changed: bool,
    /// Each conflict as a short sentence, e.g. `both tabs changed “Lavrov”: both versions kept`.
    pub conflicts: Vec<String>,
}

/// Why two versions cannot be merged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MergeError {
    /// Ours and theirs are not the same text.
    DifferentText,
}

impl std::fmt::Display for MergeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MergeError::DifferentText => {
                write!(
                    f,
                    "the two versions have different texts and cannot be merged"
                )
            }
        }
    }
}

impl std::error::Error for MergeError {}

/// Merges `theirs` into `ours`, given their common ancestor `base` (see the module
/// documentation for what happens to conflicting edits).
pub fn merge(
    base: Option<&AnnotatedDocument>,
    ours: &AnnotatedDocument,
    theirs: &AnnotatedDocument,
) -> Result<Merged, MergeError> {
    if ours.document.text != theirs.document.text {
        return Err(MergeError::DifferentText);
    }
    let base = base.filter(|b| b.document.text == ours.document.text);
    let docs = Docs { base, ours, theirs };
    let mut conflicts = Vec::new();
    let document = merge_document(
        base.map(|b| &b.document),
        &ours.document,
        &theirs.document,
        &mut conflicts,
    );
    let base_schema = base.map(|b| &b.schema);
    let labels = Decided::new(
        base_schema.map_or(&[][..], |s| &s.labels),
        &ours.schema.labels,
        &theirs.schema.labels,
        &mut conflicts,
    );
    let kinds = Decided::new(
        base_schema.map_or(&[][..], |s| &s.relation_types),
        &ours.schema.relation_types,
        &theirs.schema.relation_types,
        &mut conflicts,
    );
    let mut spans = merge_spans(&docs, &mut conflicts);
    let relations = merge_relations(&docs, &kinds, &mut spans, &mut conflicts);
    let spans = spans.kept.into_items();
    let schema = {
        let used_labels: HashSet<&str> = spans.iter().map(|s| s.label.as_str()).collect();
        let used_kinds: HashSet<&str> = relations.iter().map(|r| r.kind.as_str()).collect();
        merge_schema(
            labels.kept(&used_labels, &mut conflicts),
            kinds.kept(&used_kinds, &mut conflicts),
            &mut conflicts,
        )
    };
    let doc = AnnotatedDocument::from_parts(document, schema, spans, relations);
    let report = MergeReport::new(ours, &doc, conflicts);
    Ok(Merged { doc, report })
}

/// The three versions being merged (`base` only when it has the same text).
struct Docs<'a> {
    base: Option<&'a AnnotatedDocument>,
    ours: &'a AnnotatedDocument,
    theirs: &'a AnnotatedDocument,
}

impl<'a> Docs<'a> {
    fn all(&self) -> impl Iterator<Item = &'a AnnotatedDocument> {
        self.base.into_iter().chain([self.ours, self.theirs])
    }

    fn side(&self, side: Side) -> &'a AnnotatedDocument {
        match side {
            Side::Ours => self.ours,
            Side::Theirs => self.theirs,
        }
    }
}

impl MergeReport {
    /// The report of a merge of something into `ours` that gave `merged`.
    fn new(ours: &AnnotatedDocument, merged: &AnnotatedDocument, conflicts: Vec<String>) -> Self {
        let spans = Diff::new(ours.spans(), merged.spans());
        let relations = Diff::new(&ours.relations, &merged.relations);
        MergeReport {
            spans_added: spans.added,
            spans_removed: spans.removed,
            spans_changed: spans.changed,
            relations_added: relations.added + relations.changed,
            relations_removed: relations.removed + relations.changed,
            schema_changed: ours.schema != merged.schema,
            document_changed: ours.document != merged.document,
            conflicts,
        }
    }
}

/// How many items (by id) one list adds, removes and changes relative to another.
struct Diff {
    added: usize,
    removed: usize,
    changed: usize,
}

impl Diff {
    fn new<T: Keyed + PartialEq>(before: &[T], after: &[T]) -> Self {
        let before_by_id = index(before);
        let after_ids: HashSet<&str> = after.iter().map(Keyed::id).collect();
        let (mut added, mut changed) = (0, 0);
        for item in after {
            match before_by_id.get(item.id()) {
                None => added += 1,
                Some(old) if *old != item => changed += 1,
                Some(_) => {}
            }
        }
        let removed = before_by_id
            .keys()
            .filter(|id| !after_ids.contains(*id))
            .count();
        Diff {
            added,
            removed,
            changed,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The three-way rule.

/// Which version a merge keeps of one item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pick {
    /// Ours: theirs did not change the item, or both changed it the same way.
    Ours,
    /// Theirs: only theirs changed the item.
    Theirs,
    /// Both changed the item, differently: a conflict.
    Both,
}

/// The three-way rule, given which sides changed an item since the base and whether their
/// versions now agree.
fn pick(ours_changed: bool, theirs_changed: bool, agree: bool) -> Pick {
    match (ours_changed, theirs_changed) {
        (_, false) => Pick::Ours,
        (false, true) => Pick::Theirs,
        (true, true) if agree => Pick::Ours,
        (true, true) => Pick::Both,
    }
}

/// The versions of one item; `None` where a version does not have it.
struct Versions<'a, T> {
    base: Option<&'a T>,
    ours: Option<&'a T>,
    theirs: Option<&'a T>,
}

impl<T: PartialEq> Versions<'_, T> {
    fn pick(&self) -> Pick {
        pick(
            self.ours != self.base,
            self.theirs != self.base,
            self.ours == self.theirs,
        )
    }
}

/// Which of the two merged versions something comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Ours,
    Theirs,
}

/// An item matched by id across versions.
trait Keyed {
    fn id(&self) -> &str;
}

/// Implements [`Keyed`] for types whose `id` field is their id.
macro_rules! keyed_by_id_field {
    ($($t:ty),*) => {
        $(impl Keyed for $t {
            fn id(&self) -> &str {
                &self.id
            }
        })*
    };
}

keyed_by_id_field!(Span, Relation, Label, RelationType);

fn index<T: Keyed>(items: &[T]) -> HashMap<&str, &T> {
    items.iter().map(|t| (t.id(), t)).collect()
}

/// The versions of every item, in the order the result lists them (see [`merged_order`]).
fn by_id<'a, T: Keyed>(base: &'a [T], ours: &'a [T], theirs: &'a [T]) -> Vec<Versions<'a, T>> {
    let (b, o, t) = (index(base), index(ours), index(theirs));
    // Ours's order, unless only theirs moved items (removing one and adding it again).
    let ids = if reordered(base, theirs) && !reordered(base, ours) {
        merged_order(theirs, ours)
    } else {
        merged_order(ours, theirs)
    };
    ids.into_iter()
        .map(|id| Versions {
            base: b.get(id).copied(),
            ours: o.get(id).copied(),
            theirs: t.get(id).copied(),
        })
        .collect()
}

/// Whether the items `side` shares with `base` are in another order there.
fn reordered<T: Keyed>(base: &[T], side: &[T]) -> bool {
    fn shared<'a, T: Keyed>(items: &'a [T], other: &HashMap<&str, &T>) -> Vec<&'a str> {
        items
            .iter()
            .map(Keyed::id)
            .filter(|id| other.contains_key(id))
            .collect()
    }
    shared(base, &index(side)) != shared(side, &index(base))
}

/// The ids of `first` in its order, with those only `second` has placed where they are
/// there: after the item of both they follow, and after the items only `first` has that
/// follow that one.
fn merged_order<'a, T: Keyed>(first: &'a [T], second: &'a [T]) -> Vec<&'a str> {
    let (in_first, in_second) = (index(first), index(second));
    // The items only `second` has, by the shared item they follow (`None`: the start).
    let mut after: HashMap<Option<&str>, Vec<&str>> = HashMap::new();
    let mut anchor = None;
    for id in second.iter().map(Keyed::id) {
        if in_first.contains_key(id) {
            anchor = Some(id);
        } else {
            after.entry(anchor).or_default().push(id);
        }
    }
    let mut ids = Vec::with_capacity(first.len() + second.len());
    let mut pending = after.remove(&None).unwrap_or_default();
    for id in first.iter().map(Keyed::id) {
        if in_second.contains_key(id) {
            ids.append(&mut pending);
            ids.push(id);
            pending = after.remove(&Some(id)).unwrap_or_default();
        } else {
            ids.push(id);
        }
    }
    ids.append(&mut pending);
    let mut seen = HashSet::new();
    ids.retain(|id| seen.insert(*id));
    ids
}

/// Two notes as one: either alone; the longer when one contains the other; else both, ours
/// first and a blank line between.
fn join_notes(ours: Option<&str>, theirs: Option<&str>) -> Option<String> {
    match (ours, theirs) {
        (Some(o), Some(t)) if o.contains(t) => Some(o.to_owned()),
        (Some(o), Some(t)) if t.contains(o) => Some(t.to_owned()),
        (Some(o), Some(t)) => Some(format!("{o}\n\n{t}")),
        (o, t) => o.or(t).map(str::to_owned),
    }
}

/// `text` in quotes for a message, shortened when long.
fn quote(text: &str) -> String {
    const LONG: usize = 40;
    if text.chars().count() > LONG {
        let head: String = text.chars().take(LONG - 1).collect();
        format!("\u{201c}{}\u{2026}\u{201d}", head.trim_end())
    } else {
        format!("\u{201c}{text}\u{201d}")
    }
}

// ---------------------------------------------------------------------------------------------
// Title and note.

fn merge_document(
    base: Option<&Document>,
    ours: &Document,
    theirs: &Document,
    conflicts: &mut Vec<String>,
) -> Document {
    let title = Versions {
        base: base.map(|b| &b.title),
        ours: Some(&ours.title),
        theirs: Some(&theirs.title),
    };
    let title = match title.pick() {
        Pick::Ours => &ours.title,
        Pick::Theirs => &theirs.title,
        Pick::Both => {
            conflicts.push(format!(
                "both tabs renamed the document: kept {}",
                quote(&ours.title)
            ));
            &ours.title
        }
    };
    // Without a base, neither side had a note before.
    let note = Versions {
        base: Some(base.map_or(&None, |b| &b.note)),
        ours: Some(&ours.note),
        theirs: Some(&theirs.note),
    };
    let note = match note.pick() {
        Pick::Ours => ours.note.clone(),
        Pick::Theirs => theirs.note.clone(),
        Pick::Both => {
            conflicts.push("both tabs changed the document note: notes joined".into());
            join_notes(ours.note.as_deref(), theirs.note.as_deref())
        }
    };
    Document {
        id: ours.id.clone(),
        title: title.clone(),
        text: ours.text.clone(),
        note,
    }
}

// ---------------------------------------------------------------------------------------------
// Kept spans and relations, fresh ids.

/// Hands out `<prefix><n>` ids that no version uses, numbered past all of them.
struct Fresh {
    prefix: char,
    next: u64,
    taken: HashSet<String>,
}

impl Fresh {
    fn new<'a>(prefix: char, ids: impl Iterator<Item = &'a str>) -> Self {
        let taken: HashSet<String> = ids.map(str::to_owned).collect();
        let next = taken
            .iter()
            .filter_map(|id| id.strip_prefix(prefix)?.parse::<u64>().ok())
            .max()
            .unwrap_or(0)
            .saturating_add(1);
        Fresh {
            prefix,
            next,
            taken,
        }
    }

    fn id(&mut self) -> String {
        loop {
            let id = format!("{}{}", self.prefix, self.next);
            self.next = self.next.checked_add(1).unwrap_or(1);
            if self.taken.insert(id.clone()) {
                return id;
            }
        }
    }
}

/// A span or relation as the merge keeps it: what makes two of them the same, and how one
/// takes in the other.
trait Item: Keyed + Clone {
    type Key: Eq + Hash;
    /// Equal keys mean the same item, whatever the ids.
    fn key(&self) -> Self::Key;
    fn set_id(&mut self, id: String);
    /// Takes in `other`, the same item from theirs.
    fn absorb(&mut self, other: &Self);
}

impl Item for Span {
    type Key = (usize, usize, String);

    fn key(&self) -> Self::Key {
        (self.start, self.end, self.label.clone())
    }

    fn set_id(&mut self, id: String) {
        self.id = id;
    }

    fn absorb(&mut self, other: &Self) {
        self.note = join_notes(self.note.as_deref(), other.note.as_deref());
    }
}

impl Item for Relation {
    type Key = (String, String, String);

    fn key(&self) -> Self::Key {
        (self.kind.clone(), self.from.clone(), self.to.clone())
    }

    fn set_id(&mut self, id: String) {
        self.id = id;
    }

    fn absorb(&mut self, _: &Self) {}
}

/// The items a merge keeps, each with the place it is listed at, found by id and by key.
struct Kept<T: Item> {
    items: Vec<(usize, T)>,
    ids: HashMap<String, usize>,
    keys: HashMap<T::Key, usize>,
    fresh: Fresh,
}

impl<T: Item> Kept<T> {
    fn new(fresh: Fresh) -> Self {
        Kept {
            items: Vec::new(),
            ids: HashMap::new(),
            keys: HashMap::new(),
            fresh,
        }
    }

    fn get(&self, id: &str) -> Option<&T> {
        let at = *self.ids.get(id)?;
        self.items.get(at).map(|(_, item)| item)
    }

    /// Keeps `item` of `side` and gives the id it is kept under: one of ours as it is, one of
    /// theirs merged into the item kept with its key if there is one.
    fn take(&mut self, side: Side, place: usize, item: T) -> String {
        match side {
            Side::Ours => self.keep(place, item),
            Side::Theirs => self.merge_in(place, item),
        }
    }

    /// Keeps `item` unless an item with its key is kept: that one takes it in.
    fn merge_in(&mut self, place: usize, item: T) -> String {
        let same = self.keys.get(&item.key()).copied();
        match same.and_then(|at| self.items.get_mut(at)) {
            Some((_, same)) => {
                same.absorb(&item);
                same.id().to_owned()
            }
            None => self.keep(place, item),
        }
    }

    /// Keeps `item`, under a fresh id if its id is taken.
    fn keep(&mut self, place: usize, mut item: T) -> String {
        if self.ids.contains_key(item.id()) {
            item.set_id(self.fresh.id());
        }
        let at = self.items.len();
        let id = item.id().to_owned();
        self.ids.insert(id.clone(), at);
        self.keys.entry(item.key()).or_insert(at);
        self.items.push((place, item));
        id
    }

    /// The kept items, in the order of their places.
    fn into_items(self) -> Vec<T> {
        let order = in_key_order(self.items.iter().map(|(place, _)| *place));
        permuted(
            self.items.into_iter().map(|(_, item)| item).collect(),
            &order,
        )
    }
}

/// One version of an item to keep: its place in the list, and which side it comes from.
struct Candidate<'a, T> {
    place: usize,
    side: Side,
    item: &'a T,
    /// Whether it stands in the result for both sides' item with its id; `false` when the
    /// other side's version is kept as well.
    for_both: bool,
}

/// The candidates of one item under the three-way rule (ours first): what `pick` chose, or
/// both versions; `report` is told about a conflict.
fn candidates<'a, T>(
    place: usize,
    v: &Versions<'a, T>,
    chosen: Pick,
    mut report: impl FnMut(Conflict<'a, T>, &'a T),
) -> Vec<Candidate<'a, T>> {
    let one = |side, item| {
        vec![Candidate {
            place,
            side,
            item,
            for_both: true,
        }]
    };
    match (chosen, v.ours, v.theirs) {
        (Pick::Ours, Some(o), _) => one(Side::Ours, o),
        (Pick::Theirs, _, Some(t)) => one(Side::Theirs, t),
        (Pick::Both, Some(o), Some(t)) => {
            if v.base.is_some() {
                report(Conflict::BothChanged(t), o);
            } else {
                report(Conflict::BothAdded, o);
            }
            let both = |side, item| Candidate {
                place,
                side,
                item,
                for_both: false,
            };
            vec![both(Side::Ours, o), both(Side::Theirs, t)]
        }
        (Pick::Both, Some(o), None) => {
            report(Conflict::RemovedThere, o);
            one(Side::Ours, o)
        }
        (Pick::Both, None, Some(t)) => {
            report(Conflict::RemovedHere, t);
            one(Side::Theirs, t)
        }
        _ => Vec::new(),
    }
}

/// A conflict the three-way rule met, about the item given with it (ours's version, or
/// theirs's when ours removed it).
enum Conflict<'a, T> {
    /// Both changed it; theirs's version is this one.
    BothChanged(&'a T),
    /// Both added an item with this id, and they differ.
    BothAdded,
    /// Ours changed it, theirs removed it.
    RemovedThere,
    /// Ours removed it, theirs changed it.
    RemovedHere,
}

impl<T> Conflict<'_, T> {
    /// The side whose version of the item comes with the conflict.
    fn side(&self) -> Side {
        match self {
            Conflict::RemovedHere => Side::Theirs,
            _ => Side::Ours,
        }
    }

    /// The conflict as a sentence about `what`, with `both` saying what became of an item
    /// both sides changed; `None` for two items that just share an id.
    fn sentence(&self, what: &str, both: &str) -> Option<String> {
        let removed = |side| {
            let (remover, changer) = tabs(side);
            format!("{remover} removed {what}, which {changer} changed: kept")
        };
        match self {
            Conflict::BothChanged(_) => Some(format!("both tabs changed {what}: {both}")),
            Conflict::BothAdded => None,
            Conflict::RemovedThere => Some(removed(Side::Theirs)),
            Conflict::RemovedHere => Some(removed(Side::Ours)),
        }
    }
}

/// How messages name `side`'s tab, and the other one.
fn tabs(side: Side) -> (&'static str, &'static str) {
    match side {
        Side::Ours => ("this tab", "the other tab"),
        Side::Theirs => ("the other tab", "this tab"),
    }
}

/// Where each side's span ids went in the result.
#[derive(Default)]
struct IdMap<'a> {
    ours: HashMap<&'a str, String>,
    theirs: HashMap<&'a str, String>,
}

impl<'a> IdMap<'a> {
    fn get(&self, side: Side, id: &str) -> Option<&String> {
        match side {
            Side::Ours => self.ours.get(id),
            Side::Theirs => self.theirs.get(id),
        }
    }

    fn insert(&mut self, side: Side, id: &'a str, to: String) {
        match side {
            Side::Ours => self.ours.insert(id, to),
            Side::Theirs => self.theirs.insert(id, to),
        };
    }
}

/// What the merge made of the spans: those kept, and where each side's ids went.
struct Spans<'a> {
    kept: Kept<Span>,
    ids: IdMap<'a>,
    ours: HashMap<&'a str, &'a Span>,
    theirs: HashMap<&'a str, &'a Span>,
}

impl<'a> Spans<'a> {
    /// Keeps a candidate and maps its id.
    fn take(&mut self, c: Candidate<'a, Span>) {
        let id = self.kept.take(c.side, c.place, c.item.clone());
        if c.for_both {
            self.ids.insert(Side::Ours, &c.item.id, id.clone());
            self.ids.insert(Side::Theirs, &c.item.id, id);
        } else {
            self.ids.insert(c.side, &c.item.id, id);
        }
    }

    /// Keeps `side`'s span that the merge had dropped, merged into a kept span with its range
    /// and label if there is one.
    fn bring_back(&mut self, side: Side, span: &'a Span) {
        let id = self.kept.merge_in(usize::MAX, span.clone());
        self.ids.insert(side, &span.id, id);
    }

    /// Where `side`'s span `id` is in the result, or that side's version if the merge dropped
    /// it (`None` if that side has no such span).
    fn end(&self, side: Side, id: &str) -> Option<End<'a>> {
        if let Some(kept) = self.ids.get(side, id) {
            return Some(End::Kept(kept.clone()));
        }
        let version = match side {
            Side::Ours => self.ours.get(id),
            Side::Theirs => self.theirs.get(id),
        };
        version.copied().map(End::Dropped)
    }

    fn label(&self, end: &End<'a>) -> Option<&str> {
        match end {
            End::Kept(id) => self.kept.get(id).map(|s| s.label.as_str()),
            End::Dropped(span) => Some(&span.label),
        }
    }
}

/// A relation end: the span it is in the result, or the version of a span the merge dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
enum End<'a> {
    Kept(String),
    Dropped(&'a Span),
}

/// Whether two versions of a span differ in nothing but their note.
fn only_note_differs(a: &Span, b: &Span) -> bool {
    (&a.label, a.start, a.end, &a.text) == (&b.label, b.start, b.end, &b.text)
}

fn merge_spans<'a>(docs: &Docs<'a>, conflicts: &mut Vec<String>) -> Spans<'a> {
    let base = docs.base.map_or(&[][..], |b| b.spans());
    let (ours, theirs) = (docs.ours.spans(), docs.theirs.spans());
    let mut all = Vec::new();
    for (place, v) in by_id(base, ours, theirs).iter().enumerate() {
        let report = |conflict: Conflict<'a, Span>, s: &Span| {
            let sentence = match conflict {
                Conflict::BothChanged(t) if only_note_differs(s, t) => Some(format!(
                    "both tabs changed the note on {}: notes joined",
                    quote(&s.text)
                )),
                // Two spans that happen to have the same id are both kept, without a word.
                _ => conflict.sentence(&quote(&s.text), "both versions kept"),
            };
            conflicts.extend(sentence);
        };
        all.extend(candidates(place, v, v.pick(), report));
    }
    let fresh = Fresh::new(
        's',
        docs.all()
            .flat_map(|d| d.spans().iter().map(|s| s.id.as_str())),
    );
    let mut spans = Spans {
        kept: Kept::new(fresh),
        ids: IdMap::default(),
        ours: index(ours),
        theirs: index(theirs),
    };
    // Ours first, so that ours's ids stay and theirs's spans find ours's to merge into.
    let (from_ours, from_theirs): (Vec<_>, Vec<_>) =
        all.into_iter().partition(|c| c.side == Side::Ours);
    for c in from_ours.into_iter().chain(from_theirs) {
        spans.take(c);
    }
    spans
}

// ---------------------------------------------------------------------------------------------
// Relations.

/// A relation as the two sides are compared on: its type and where its ends are in the result.
type Resolved<'a> = (&'a str, Option<End<'a>>, Option<End<'a>>);

fn resolve<'a>(spans: &Spans<'a>, side: Side, r: &'a Relation) -> Resolved<'a> {
    (
        r.kind.as_str(),
        spans.end(side, &r.from),
        spans.end(side, &r.to),
    )
}

fn merge_relations<'a>(
    docs: &Docs<'a>,
    kinds: &Decided<'a, RelationType>,
    spans: &mut Spans<'a>,
    conflicts: &mut Vec<String>,
) -> Vec<Relation> {
    let describe = |side: Side, r: &Relation| {
        let doc = docs.side(side);
        let name = kinds
            .get(&r.kind)
            .map_or(r.kind.as_str(), |k| k.name.as_str());
        let text = |id: &str| doc.span(id).map_or_else(|| quote(id), |s| quote(&s.text));
        format!(
            "the {} link from {} to {}",
            quote(name),
            text(&r.from),
            text(&r.to)
        )
    };
    let base = docs.base.map_or(&[][..], |b| &b.relations);
    let (ours, theirs) = (&docs.ours.relations, &docs.theirs.relations);
    let mut all = Vec::new();
    for (place, v) in by_id(base, ours, theirs).iter().enumerate() {
        // Changes are seen in each side's own ids; agreement in the result's.
        let agree = v.ours.map(|r| resolve(spans, Side::Ours, r))
            == v.theirs.map(|r| resolve(spans, Side::Theirs, r));
        let chosen = pick(v.ours != v.base, v.theirs != v.base, agree);
        let report = |conflict: Conflict<'a, Relation>, r: &Relation| {
            let what = describe(conflict.side(), r);
            conflicts.extend(conflict.sentence(&what, "both versions kept"));
        };
        all.extend(candidates(place, v, chosen, report));
    }

    // Relations that no longer fit the schema go; the spans the others link come back.
    all.retain(|c| {
        let fits = fits(spans, kinds, resolve(spans, c.side, c.item));
        if !fits {
            conflicts.push(format!(
                "{} no longer fits the schema: dropped",
                describe(c.side, c.item)
            ));
        }
        fits
    });
    for c in &all {
        for id in [&c.item.from, &c.item.to] {
            if let Some(End::Dropped(span)) = spans.end(c.side, id) {
                let (linker, remover) = tabs(c.side);
                conflicts.push(format!(
                    "{remover} removed {}, which {linker} linked: kept",
                    quote(&span.text)
                ));
                spans.bring_back(c.side, span);
            }
        }
    }

    let fresh = Fresh::new(
        'r',
        docs.all()
            .flat_map(|d| d.relations.iter().map(|r| r.id.as_str())),
    );
    let mut kept = Kept::new(fresh);
    let (from_ours, from_theirs): (Vec<_>, Vec<_>) =
        all.into_iter().partition(|c| c.side == Side::Ours);
    for c in from_ours.into_iter().chain(from_theirs) {
        let end = |id: &str| spans.ids.get(c.side, id).cloned();
        if let (Some(from), Some(to)) = (end(&c.item.from), end(&c.item.to)) {
            let relation = Relation {
                from,
                to,
                ..c.item.clone()
            };
            kept.take(c.side, c.place, relation);
        }
    }
    kept.into_items()
}

/// Whether a relation's type (as the merged schema will have it) allows its ends' labels.
fn fits(spans: &Spans, kinds: &Decided<RelationType>, (kind, from, to): Resolved) -> bool {
    let allows = |labels: &[String], end: &Option<End>| {
        let label = end.as_ref().and_then(|e| spans.label(e));
        label.is_some_and(|l| labels.iter().any(|a| a == l))
    };
    kinds
        .get(kind)
        .is_some_and(|k| allows(&k.from_labels, &from) && allows(&k.to_labels, &to))
}

// ---------------------------------------------------------------------------------------------
// The schema.

/// A label or relation type, for messages.
trait SchemaItem: Keyed + Clone + PartialEq {
    /// What it is called in messages: "label", "relation type".
    const WHAT: &'static str;
    fn name(&self) -> &str;
}

impl SchemaItem for Label {
    const WHAT: &'static str = "label";

    fn name(&self) -> &str {
        &self.name
    }
}

impl SchemaItem for RelationType {
    const WHAT: &'static str = "relation type";

    fn name(&self) -> &str {
        &self.name
    }
}

/// The three-way decision on each label or relation type, with what to fall back on when a
/// kept span or relation uses one the decision dropped.
struct Decided<'a, T> {
    slots: Vec<Slot<'a, T>>,
    index: HashMap<&'a str, usize>,
}

struct Slot<'a, T> {
    chosen: Option<(Side, &'a T)>,
    /// The version to keep if the item is used after all (ours's if ours has it), and the side
    /// that removed it.
    fallback: Option<(Side, &'a T, Side)>,
}

impl<'a, T: SchemaItem> Decided<'a, T> {
    fn new(base: &'a [T], ours: &'a [T], theirs: &'a [T], conflicts: &mut Vec<String>) -> Self {
        let what = |t: &T| format!("the {} {}", T::WHAT, quote(t.name()));
        let slots: Vec<Slot<'a, T>> = by_id(base, ours, theirs)
            .iter()
            .enumerate()
            .map(|(place, v)| {
                let report = |conflict: Conflict<'a, T>, t: &T| {
                    let sentence = match conflict {
                        Conflict::BothAdded => {
                            Some(format!("both tabs added {}: kept this tab's", what(t)))
                        }
                        _ => conflict.sentence(&what(t), "kept this tab's"),
                    };
                    conflicts.extend(sentence);
                };
                // Both changed: ours's version, the first candidate.
                let chosen = candidates(place, v, v.pick(), report)
                    .first()
                    .map(|c| (c.side, c.item));
                let fallback = match (v.ours, v.theirs) {
                    (Some(o), _) => Some((Side::Ours, o, Side::Theirs)),
                    (None, Some(t)) => Some((Side::Theirs, t, Side::Ours)),
                    (None, None) => None,
                };
                Slot { chosen, fallback }
            })
            .collect();
        let index = slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| Some((s.fallback?.1.id(), i)))
            .collect();
        Decided { slots, index }
    }

    /// The version of `id` the result has if it is used.
    fn get(&self, id: &str) -> Option<&'a T> {
        let slot = self.slots.get(*self.index.get(id)?)?;
        slot.chosen
            .map(|(_, t)| t)
            .or(slot.fallback.map(|(_, t, _)| t))
    }

    /// The items the result has, in order: those decided on, and those `used` that one side
    /// removed (reported).
    fn kept(&self, used: &HashSet<&str>, conflicts: &mut Vec<String>) -> Vec<(Side, &'a T)> {
        self.slots
            .iter()
            .filter_map(|slot| match (slot.chosen, slot.fallback) {
                (Some(chosen), _) => Some(chosen),
                (None, Some((side, t, removed_by))) if used.contains(t.id()) => {
                    let (remover, user) = tabs(removed_by);
                    conflicts.push(format!(
                        "{remover} removed the {} {}, which {user} still uses: kept",
                        T::WHAT,
                        quote(t.name())
                    ));
                    Some((side, t))
                }
                _ => None,
            })
            .collect()
    }
}

/// The merged schema: the items kept, in the order given, with clashes between ours's and
/// theirs's resolved by [`Schema::merged_with`] in favour of ours (reported), and relation
/// types allowing only labels the schema has.
fn merge_schema(
    labels: Vec<(Side, &Label)>,
    kinds: Vec<(Side, &RelationType)>,
    conflicts: &mut Vec<String>,
) -> Schema {
    let part = |side: Side| Schema {
        labels: of_side(&labels, side),
        relation_types: of_side(&kinds, side),
    };
    let (ours, theirs) = (part(Side::Ours), part(Side::Theirs));
    let mut merged = theirs.merged_with(&ours);
    report_renames(&theirs.labels, &merged.labels, conflicts);
    report_renames(&theirs.relation_types, &merged.relation_types, conflicts);
    for l in &theirs.labels {
        let now = merged.label(&l.id).and_then(|m| m.key.as_ref());
        if let (Some(key), None) = (&l.key, now) {
            let holder = ours.label_for_key(key).map_or("", |h| h.name.as_str());
            conflicts.push(format!(
                "the other tab's label {} lost its key {key} to {}",
                quote(&l.name),
                quote(holder)
            ));
        }
    }
    order_as(&mut merged.labels, &labels);
    order_as(&mut merged.relation_types, &kinds);
    let ids: HashSet<String> = merged.labels.iter().map(|l| l.id.clone()).collect();
    for k in &mut merged.relation_types {
        k.from_labels.retain(|l| ids.contains(l));
        k.to_labels.retain(|l| ids.contains(l));
    }
    merged
}

fn of_side<T: Clone>(items: &[(Side, &T)], side: Side) -> Vec<T> {
    items
        .iter()
        .filter(|(s, _)| *s == side)
        .map(|(_, t)| (*t).clone())
        .collect()
}

/// Sorts `items` by the place of their ids in `order` (those it lacks first).
fn order_as<T: Keyed>(items: &mut Vec<T>, order: &[(Side, &T)]) {
    let place: HashMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, (_, t))| (t.id(), i + 1))
        .collect();
    let sorted = in_key_order(
        items
            .iter()
            .map(|t| place.get(t.id()).copied().unwrap_or(0)),
    );
    *items = permuted(std::mem::take(items), &sorted);
}

/// Reports the items of theirs that the merged schema gave another name.
fn report_renames<T: SchemaItem>(theirs: &[T], merged: &[T], conflicts: &mut Vec<String>) {
    let merged = index(merged);
    for t in theirs {
        if let Some(m) = merged.get(t.id()).filter(|m| m.name() != t.name()) {
            conflicts.push(format!(
                "both tabs have a {} named {}: the other tab's is now {}",
                T::WHAT,
                quote(t.name()),
                quote(m.name())
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_of_one_side_are_placed_after_the_item_they_follow_there() {
        let ids = |ids: &[&str]| -> Vec<Relation> {
            ids.iter()
                .map(|id| Relation {
                    id: (*id).into(),
                    kind: String::new(),
                    from: String::new(),
                    to: String::new(),
                })
                .collect()
        };
        let order = |first: &[&str], second: &[&str]| {
            let (first, second) = (ids(first), ids(second));
            merged_order(&first, &second)
                .into_iter()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            order(&["a", "b", "o1", "c"], &["t0", "a", "t1", "b", "t2"]),
            ["t0", "a", "t1", "b", "o1", "c", "t2"]
        );
        assert_eq!(order(&["a", "b"], &["b", "a"]), ["a", "b"]);
        assert_eq!(order(&[], &["a", "a"]), ["a"]);
    }
}
