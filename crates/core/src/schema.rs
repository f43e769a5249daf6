//! The annotation schema: labels and relation types. It travels inside every file.

use serde::{Deserialize, Serialize};

/// A span label such as Actor. `key` is the digit that applies it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub id: String,
    pub name: String,
    /// A CSS hex colour, `#rrggbb`.
    pub colour: String,
    /// The key that applies the label ("1" to "9"), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The guideline: what the label is for.
    #[serde(default, skip_serializing_if = "Guide::is_empty")]
    pub guide: Guide,
}

/// A guideline for one label or relation type: what it is, what it is not, and an example.
/// It travels with the schema (in every native file, and in a team's documents), and shows
/// where annotators look: on the label's button and in the shortcuts overlay.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guide {
    /// What it is.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub is: String,
    /// What it is not (the near misses).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub is_not: String,
    /// An example.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub example: String,
}

/// The longest text of one part of a guideline, in characters.
pub const MAX_GUIDE: usize = 2000;

/// One part of a [`Guide`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GuidePart {
    Is,
    IsNot,
    Example,
}

impl Guide {
    /// Whether every part is empty.
    pub fn is_empty(&self) -> bool {
        self.is.is_empty() && self.is_not.is_empty() && self.example.is_empty()
    }

    /// The text of `part`.
    pub fn part(&self, part: GuidePart) -> &str {
        match part {
            GuidePart::Is => &self.is,
            GuidePart::IsNot => &self.is_not,
            GuidePart::Example => &self.example,
        }
    }

    fn part_mut(&mut self, part: GuidePart) -> &mut String {
        match part {
            GuidePart::Is => &mut self.is,
            GuidePart::IsNot => &mut self.is_not,
            GuidePart::Example => &mut self.example,
        }
    }

    /// The guide in one line, for a tooltip: "Is: … Not: … Example: …", empty parts left out.
    pub fn summary(&self) -> String {
        [
            ("", &self.is),
            ("Not: ", &self.is_not),
            ("Example: ", &self.example),
        ]
        .iter()
        .filter(|(_, t)| !t.is_empty())
        .map(|(head, t)| format!("{head}{}", t.trim()))
        .collect::<Vec<_>>()
        .join(" \u{2014} ")
    }

    /// Refuses a part longer than [`MAX_GUIDE`] characters.
    pub fn check(&self) -> Result<(), SchemaError> {
        let long = |t: &String| t.chars().count() > MAX_GUIDE;
        if long(&self.is) || long(&self.is_not) || long(&self.example) {
            return Err(SchemaError::GuideTooLong);
        }
        Ok(())
    }

    /// The guide with `part` set to `text` (trimmed; at most [`MAX_GUIDE`] characters).
    pub fn with(&self, part: GuidePart, text: &str) -> Result<Guide, SchemaError> {
        let text = text.trim();
        if text.chars().count() > MAX_GUIDE {
            return Err(SchemaError::GuideTooLong);
        }
        let mut guide = self.clone();
        *guide.part_mut(part) = text.to_owned();
        Ok(guide)
    }
}

/// A directed relation type and the labels allowed at each end.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationType {
    pub id: String,
    pub name: String,
    pub from_labels: Vec<String>,
    pub to_labels: Vec<String>,
    /// The guideline: what the relation is for.
    #[serde(default, skip_serializing_if = "Guide::is_empty")]
    pub guide: Guide,
}

/// Labels and relation types.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    pub labels: Vec<Label>,
    #[serde(default)]
    pub relation_types: Vec<RelationType>,
}

fn label(id: &str, name: &str, colour: &str, key: &str) -> Label {
    Label {
        id: id.into(),
        name: name.into(),
        colour: colour.into(),
        key: Some(key.into()),
        guide: Guide::default(),
    }
}

fn relation(id: &str, name: &str, from: &[&str], to: &[&str]) -> RelationType {
    RelationType {
        id: id.into(),
        name: name.into(),
        from_labels: from.iter().map(|s| (*s).into()).collect(),
        to_labels: to.iter().map(|s| (*s).into()).collect(),
        guide: Guide::default(),
    }
}

impl Default for Schema {
    /// Actor, Place, Claim and Denial on keys 1–4, in Okabe–Ito colours (distinct under the
    /// common colour-vision deficiencies), and the relation types `said_by`, `denies`, `located_in`.
    fn default() -> Self {
        Schema {
            labels: vec![
                label("actor", "Actor", "#0072b2", "1"),
                label("place", "Place", "#009e73", "2"),
                label("claim", "Claim", "#e69f00", "3"),
                label("denial", "Denial", "#cc79a7", "4"),
            ],
            relation_types: vec![
                relation("said_by", "said by", &["claim", "denial"], &["actor"]),
                relation("denies", "denies", &["denial"], &["claim"]),
                relation(
                    "located_in",
                    "located in",
                    &["actor", "place", "claim", "denial"],
                    &["place"],
                ),
            ],
        }
    }
}

impl Schema {
    /// The label with this id.
    pub fn label(&self, id: &str) -> Option<&Label> {
        self.labels.iter().find(|l| l.id == id)
    }

    /// The label keys in use, as shown in hints: "1–4", "1, 3" or "" when no label has a key.
    pub fn key_range(&self) -> String {
        let mut keys: Vec<u32> = self
            .labels
            .iter()
            .filter_map(|l| l.key.as_deref()?.parse().ok())
            .collect();
        keys.sort_unstable();
        match keys.as_slice() {
            [] => String::new(),
            [k] => k.to_string(),
            [first, .., last] if keys.windows(2).all(|w| w[0].checked_add(1) == Some(w[1])) => {
                format!("{first}\u{2013}{last}")
            }
            _ => keys
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// The label applied by this key, if any.
    pub fn label_for_key(&self, key: &str) -> Option<&Label> {
        self.labels.iter().find(|l| l.key.as_deref() == Some(key))
    }

    /// The name of the label with id `id`, or `id` itself when the schema has no such label:
    /// what files are written with (ids are internal; names are what people and tools read).
    pub fn label_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.label(id).map_or(id, |l| l.name.as_str())
    }

    /// The name of the relation type with id `id`, or `id` itself when there is none.
    pub fn relation_type_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.relation_type(id).map_or(id, |r| r.name.as_str())
    }

    /// The relation type with this id.
    pub fn relation_type(&self, id: &str) -> Option<&RelationType> {
        self.relation_types.iter().find(|r| r.id == id)
    }
}

/// The keys a label can be applied with.
pub const KEYS: [&str; 9] = ["1", "2", "3", "4", "5", "6", "7", "8", "9"];

/// The longest label or relation type name, in characters.
pub const MAX_NAME: usize = 60;

/// Colours offered to new labels, in order: the Okabe–Ito palette, then Paul Tol's muted one.
const PALETTE: [&str; 14] = [
    "#0072b2", "#009e73", "#e69f00", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#882255",
    "#44aa99", "#117733", "#332288", "#999933", "#aa4499", "#6699cc",
];

/// Which end of a relation type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    From,
    To,
}

/// Why a schema edit was refused. The schema is left as it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SchemaError {
    /// A name that is empty once trimmed.
    EmptyName,
    /// A name longer than [`MAX_NAME`] characters.
    NameTooLong,
    /// Another label (or relation type) already has this name (compared ignoring case).
    NameTaken(String),
    /// A colour that is not `#rrggbb`.
    BadColour(String),
    /// A key other than "1"–"9".
    BadKey(String),
    UnknownLabel(String),
    UnknownRelationType(String),
    /// An id that is empty or used twice.
    BadId(String),
    /// A part of a guideline longer than [`MAX_GUIDE`] characters.
    GuideTooLong,
}

impl std::fmt::Display for SchemaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SchemaError::EmptyName => write!(f, "a name cannot be empty"),
            SchemaError::NameTooLong => write!(f, "a name can have at most {MAX_NAME} characters"),
            SchemaError::NameTaken(n) => write!(f, "the name \u{201c}{n}\u{201d} is already used"),
            SchemaError::BadColour(c) => {
                write!(f, "\u{201c}{c}\u{201d} is not a colour of the form #rrggbb")
            }
            SchemaError::BadKey(k) => write!(f, "\u{201c}{k}\u{201d} is not a key from 1 to 9"),
            SchemaError::UnknownLabel(l) => write!(f, "there is no label \u{201c}{l}\u{201d}"),
            SchemaError::UnknownRelationType(r) => {
                write!(f, "there is no relation type \u{201c}{r}\u{201d}")
            }
            SchemaError::BadId(id) => write!(f, "the id \u{201c}{id}\u{201d} is empty or repeated"),
            SchemaError::GuideTooLong => {
                write!(
                    f,
                    "a guideline part can have at most {MAX_GUIDE} characters"
                )
            }
        }
    }
}

impl std::error::Error for SchemaError {}

/// `name` trimmed, if it is a valid name no other item (`others`: `(id, name)`) has.
fn valid_name<'a>(
    name: &str,
    id: Option<&str>,
    mut others: impl Iterator<Item = (&'a str, &'a str)>,
) -> Result<String, SchemaError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(SchemaError::EmptyName);
    }
    if name.chars().count() > MAX_NAME {
        return Err(SchemaError::NameTooLong);
    }
    let lower = name.to_lowercase();
    if others.any(|(other, n)| Some(other) != id && n.trim().to_lowercase() == lower) {
        return Err(SchemaError::NameTaken(name.to_owned()));
    }
    Ok(name.to_owned())
}

/// Checks item `i` of `items` (labels or relation types, whose id and name `id_and_name`
/// gives): its id is not empty and no earlier item has it, and its name is valid and unlike
/// the earlier items' names.
fn check_id_and_name<T>(
    items: &[T],
    i: usize,
    id_and_name: impl Fn(&T) -> (&String, &String),
) -> Result<(), SchemaError> {
    let (id, name) = id_and_name(&items[i]);
    let earlier = &items[..i];
    if id.is_empty() || earlier.iter().any(|o| id_and_name(o).0 == id) {
        return Err(SchemaError::BadId(id.clone()));
    }
    let others = earlier.iter().map(|o| {
        let (id, name) = id_and_name(o);
        (id.as_str(), name.as_str())
    });
    valid_name(name, Some(id), others)?;
    Ok(())
}

/// Whether `colour` is `#rrggbb` (hex digits in either case).
pub fn is_colour(colour: &str) -> bool {
    colour.len() == 7
        && colour.starts_with('#')
        && colour[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// An id made from `name`: lower-case ASCII letters and digits, other runs as `_`; `fallback`
/// when nothing is left; `_2`, `_3`… appended until no id in `taken` has it.
fn fresh_id<'a>(
    name: &str,
    fallback: &str,
    taken: impl Iterator<Item = &'a str> + Clone,
) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('_') {
            slug.push('_');
        }
    }
    let slug = slug.trim_end_matches('_');
    let base = if slug.is_empty() { fallback } else { slug };
    let free = |id: &str| !taken.clone().any(|t| t == id);
    if free(base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|id| free(id))
        .unwrap_or_default()
}

/// `name`, or `name (2)`, `name (3)`… — the first that no name in `taken` equals (ignoring case).
/// A long name is shortened to leave room for its number, so that it stays within [`MAX_NAME`].
fn unique_name(name: &str, taken: &[String]) -> String {
    let free = |n: &str| {
        !taken
            .iter()
            .any(|t| t.trim().to_lowercase() == n.to_lowercase())
    };
    if free(name) {
        return name.to_owned();
    }
    (2..)
        .map(|n| {
            let suffix = format!(" ({n})");
            let room = MAX_NAME.saturating_sub(suffix.chars().count());
            let head: String = name.chars().take(room).collect();
            format!("{}{suffix}", head.trim_end())
        })
        .find(|n| free(n))
        .unwrap_or_default()
}

impl Schema {
    /// A label id made from `name` that no label has yet (`"Organisation"` → `organisation`).
    pub fn fresh_label_id(&self, name: &str) -> String {
        fresh_id(name, "label", self.labels.iter().map(|l| l.id.as_str()))
    }

    /// A relation type id made from `name` that no relation type has yet.
    pub fn fresh_relation_type_id(&self, name: &str) -> String {
        fresh_id(
            name,
            "relation",
            self.relation_types.iter().map(|r| r.id.as_str()),
        )
    }

    /// Checks the whole schema: ids non-empty and unique, names valid and unique, colours
    /// `#rrggbb`, keys "1"–"9" and unique, and relation type ends naming existing labels.
    pub fn check(&self) -> Result<(), SchemaError> {
        for (i, l) in self.labels.iter().enumerate() {
            check_id_and_name(&self.labels, i, |l| (&l.id, &l.name))?;
            if !is_colour(&l.colour) {
                return Err(SchemaError::BadColour(l.colour.clone()));
            }
            l.guide.check()?;
            if let Some(k) = &l.key {
                if !KEYS.contains(&k.as_str()) || self.labels[..i].iter().any(|o| o.key == l.key) {
                    return Err(SchemaError::BadKey(k.clone()));
                }
            }
        }
        for (i, r) in self.relation_types.iter().enumerate() {
            check_id_and_name(&self.relation_types, i, |r| (&r.id, &r.name))?;
            r.guide.check()?;
            if let Some(l) = r
                .from_labels
                .iter()
                .chain(&r.to_labels)
                .find(|l| self.label(l).is_none())
            {
                return Err(SchemaError::UnknownLabel(l.clone()));
            }
        }
        Ok(())
    }

    fn label_index(&self, id: &str) -> Result<usize, SchemaError> {
        self.labels
            .iter()
            .position(|l| l.id == id)
            .ok_or_else(|| SchemaError::UnknownLabel(id.to_owned()))
    }

    fn relation_type_index(&self, id: &str) -> Result<usize, SchemaError> {
        self.relation_types
            .iter()
            .position(|r| r.id == id)
            .ok_or_else(|| SchemaError::UnknownRelationType(id.to_owned()))
    }

    /// The schema with a new label named `name`, and its id. The label gets a colour no label
    /// has yet (while the palette lasts) and the lowest free key, if any.
    pub fn with_label_added(&self, name: &str) -> Result<(Schema, String), SchemaError> {
        let name = valid_name(
            name,
            None,
            self.labels.iter().map(|l| (l.id.as_str(), l.name.as_str())),
        )?;
        let id = self.fresh_label_id(&name);
        let used = |c: &str| self.labels.iter().any(|l| l.colour.eq_ignore_ascii_case(c));
        let colour = PALETTE
            .iter()
            .find(|c| !used(c))
            .unwrap_or(&PALETTE[self.labels.len() % PALETTE.len()]);
        let key = KEYS
            .iter()
            .find(|k| self.label_for_key(k).is_none())
            .map(|k| (*k).to_owned());
        let mut schema = self.clone();
        schema.labels.push(Label {
            id: id.clone(),
            name,
            colour: (*colour).to_owned(),
            key,
            guide: Guide::default(),
        });
        Ok((schema, id))
    }

    /// The schema with label `id` renamed (the name is trimmed; names are unique ignoring case).
    pub fn with_label_renamed(&self, id: &str, name: &str) -> Result<Schema, SchemaError> {
        let at = self.label_index(id)?;
        let name = valid_name(
            name,
            Some(id),
            self.labels.iter().map(|l| (l.id.as_str(), l.name.as_str())),
        )?;
        let mut schema = self.clone();
        schema.labels[at].name = name;
        Ok(schema)
    }

    /// The schema with label `id` in `colour` (`#rrggbb`, stored in lower case).
    pub fn with_label_colour(&self, id: &str, colour: &str) -> Result<Schema, SchemaError> {
        let at = self.label_index(id)?;
        if !is_colour(colour) {
            return Err(SchemaError::BadColour(colour.to_owned()));
        }
        let mut schema = self.clone();
        schema.labels[at].colour = colour.to_ascii_lowercase();
        Ok(schema)
    }

    /// The schema with label `id` on `key` ("1"–"9"), or on no key. A key another label has
    /// moves: that label is left without a key (see `label_for_key` before, to say so).
    pub fn with_label_key(&self, id: &str, key: Option<&str>) -> Result<Schema, SchemaError> {
        let at = self.label_index(id)?;
        if let Some(k) = key {
            if !KEYS.contains(&k) {
                return Err(SchemaError::BadKey(k.to_owned()));
            }
        }
        let mut schema = self.clone();
        for (i, l) in schema.labels.iter_mut().enumerate() {
            if i == at {
                l.key = key.map(str::to_owned);
            } else if key.is_some() && l.key.as_deref() == key {
                l.key = None;
            }
        }
        Ok(schema)
    }

    /// The schema with `part` of label `id`'s guideline set to `text`.
    pub fn with_label_guide(
        &self,
        id: &str,
        part: GuidePart,
        text: &str,
    ) -> Result<Schema, SchemaError> {
        let at = self.label_index(id)?;
        let mut schema = self.clone();
        schema.labels[at].guide = self.labels[at].guide.with(part, text)?;
        Ok(schema)
    }

    /// The schema with `part` of relation type `id`'s guideline set to `text`.
    pub fn with_relation_type_guide(
        &self,
        id: &str,
        part: GuidePart,
        text: &str,
    ) -> Result<Schema, SchemaError> {
        let at = self.relation_type_index(id)?;
        let mut schema = self.clone();
        schema.relation_types[at].guide = self.relation_types[at].guide.with(part, text)?;
        Ok(schema)
    }

    /// The schema with the guidelines of `project`: each label and relation type that
    /// `project` has (by id) takes its guideline; everything else stays as it is. Whether
    /// anything changed comes with it.
    pub fn with_guides_of(&self, project: &Schema) -> (Schema, bool) {
        let mut schema = self.clone();
        let mut changed = false;
        for l in &mut schema.labels {
            if let Some(p) = project.label(&l.id) {
                changed |= l.guide != p.guide;
                l.guide = p.guide.clone();
            }
        }
        for r in &mut schema.relation_types {
            if let Some(p) = project.relation_type(&r.id) {
                changed |= r.guide != p.guide;
                r.guide = p.guide.clone();
            }
        }
        (schema, changed)
    }

    /// Whether any label or relation type has a guideline.
    pub fn has_guides(&self) -> bool {
        self.labels.iter().any(|l| !l.guide.is_empty())
            || self.relation_types.iter().any(|r| !r.guide.is_empty())
    }

    /// The schema without label `id`; relation types no longer allow it at either end.
    /// Spans that use it must go first (see `edit::plan_change`).
    pub fn without_label(&self, id: &str) -> Result<Schema, SchemaError> {
        let at = self.label_index(id)?;
        let mut schema = self.clone();
        schema.labels.remove(at);
        for r in &mut schema.relation_types {
            r.from_labels.retain(|l| l != id);
            r.to_labels.retain(|l| l != id);
        }
        Ok(schema)
    }

    /// The schema with a new relation type named `name` (allowing no labels yet), and its id.
    pub fn with_relation_type_added(&self, name: &str) -> Result<(Schema, String), SchemaError> {
        let others = self
            .relation_types
            .iter()
            .map(|r| (r.id.as_str(), r.name.as_str()));
        let name = valid_name(name, None, others)?;
        let id = self.fresh_relation_type_id(&name);
        let mut schema = self.clone();
        schema.relation_types.push(RelationType {
            id: id.clone(),
            name,
            from_labels: Vec::new(),
            to_labels: Vec::new(),
            guide: Guide::default(),
        });
        Ok((schema, id))
    }

    /// The schema with relation type `id` renamed.
    pub fn with_relation_type_renamed(&self, id: &str, name: &str) -> Result<Schema, SchemaError> {
        let at = self.relation_type_index(id)?;
        let others = self
            .relation_types
            .iter()
            .map(|r| (r.id.as_str(), r.name.as_str()));
        let name = valid_name(name, Some(id), others)?;
        let mut schema = self.clone();
        schema.relation_types[at].name = name;
        Ok(schema)
    }

    /// The schema where relation type `id` allows (or no longer allows) `label` at `end`.
    /// Allowed labels keep the schema's label order.
    pub fn with_relation_end(
        &self,
        id: &str,
        end: End,
        label: &str,
        allowed: bool,
    ) -> Result<Schema, SchemaError> {
        let at = self.relation_type_index(id)?;
        self.label_index(label)?;
        let mut schema = self.clone();
        let labels: Vec<String> = self.labels.iter().map(|l| l.id.clone()).collect();
        let rt = &mut schema.relation_types[at];
        let list = match end {
            End::From => &mut rt.from_labels,
            End::To => &mut rt.to_labels,
        };
        let keep = |l: &String| {
            if l == label {
                allowed
            } else {
                list.contains(l)
            }
        };
        let mut next: Vec<String> = labels.iter().filter(|l| keep(l)).cloned().collect();
        // Ids the schema lacks (only in a hand-made file) stay, after the known ones.
        next.extend(
            list.iter()
                .filter(|l| !labels.contains(l) && *l != label)
                .cloned(),
        );
        *list = next;
        Ok(schema)
    }

    /// The schema without relation type `id`. Relations of that type must go first.
    pub fn without_relation_type(&self, id: &str) -> Result<Schema, SchemaError> {
        let at = self.relation_type_index(id)?;
        let mut schema = self.clone();
        schema.relation_types.remove(at);
        Ok(schema)
    }

    /// The schema of a document opened from a file, given this (the current) schema and the
    /// file's. The file's labels and relation types come first and win on id conflicts, so its
    /// spans and relations stay valid; the current ones the file lacks follow. An added label
    /// whose key a file label has loses its key, and an added item whose name a file item has
    /// gets `(2)`, `(3)`… appended.
    pub fn merged_with(&self, file: &Schema) -> Schema {
        let mut merged = file.clone();
        for l in &self.labels {
            if merged.label(&l.id).is_some() {
                continue;
            }
            let names: Vec<String> = merged.labels.iter().map(|l| l.name.clone()).collect();
            let key = l.key.clone().filter(|k| merged.label_for_key(k).is_none());
            merged.labels.push(Label {
                name: unique_name(&l.name, &names),
                key,
                ..l.clone()
            });
        }
        for r in &self.relation_types {
            if merged.relation_type(&r.id).is_some() {
                continue;
            }
            let names: Vec<String> = merged
                .relation_types
                .iter()
                .map(|r| r.name.clone())
                .collect();
            merged.relation_types.push(RelationType {
                name: unique_name(&r.name, &names),
                ..r.clone()
            });
        }
        merged
    }
}

impl Label {
    /// Black or white, whichever reads better on this label's colour (WCAG relative luminance).
    pub fn text_colour(&self) -> &'static str {
        let hex = self.colour.trim_start_matches('#');
        let channel = |i: usize| {
            let v = hex
                .get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .unwrap_or(0);
            let c = f64::from(v) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let lum = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
        // Contrast with black is (L + 0.05) / 0.05, with white 1.05 / (L + 0.05).
        if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) {
            "#000000"
        } else {
            "#ffffff"
        }
    }
}

#[cfg(test)]
mod tests;
