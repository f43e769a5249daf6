//! The annotation schema: labels and relation types. It travels inside every file.

use serde::{Deserialize, Serialize};

use super::edit::Action;
use super::model::AnnotatedDocument;

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
}

/// A directed relation type and the labels allowed at each end.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationType {
    pub id: String,
    pub name: String,
    pub from_labels: Vec<String>,
    pub to_labels: Vec<String>,
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
    }
}

fn relation(id: &str, name: &str, from: &[&str], to: &[&str]) -> RelationType {
    RelationType {
        id: id.into(),
        name: name.into(),
        from_labels: from.iter().map(|s| (*s).into()).collect(),
        to_labels: to.iter().map(|s| (*s).into()).collect(),
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
            if l.id.is_empty() || self.labels[..i].iter().any(|o| o.id == l.id) {
                return Err(SchemaError::BadId(l.id.clone()));
            }
            let others = self.labels[..i]
                .iter()
                .map(|o| (o.id.as_str(), o.name.as_str()));
            valid_name(&l.name, Some(&l.id), others)?;
            if !is_colour(&l.colour) {
                return Err(SchemaError::BadColour(l.colour.clone()));
            }
            if let Some(k) = &l.key {
                if !KEYS.contains(&k.as_str()) || self.labels[..i].iter().any(|o| o.key == l.key) {
                    return Err(SchemaError::BadKey(k.clone()));
                }
            }
        }
        for (i, r) in self.relation_types.iter().enumerate() {
            if r.id.is_empty() || self.relation_types[..i].iter().any(|o| o.id == r.id) {
                return Err(SchemaError::BadId(r.id.clone()));
            }
            let others = self.relation_types[..i]
                .iter()
                .map(|o| (o.id.as_str(), o.name.as_str()));
            valid_name(&r.name, Some(&r.id), others)?;
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

    /// The schema without label `id`; relation types no longer allow it at either end.
    /// Spans that use it must go first (see [`plan_change`]).
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

/// What a schema change takes with it, and the one action that makes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaChange {
    /// Spans whose label the new schema lacks.
    pub spans: Vec<String>,
    /// Relations that go too: those of the spans above, those whose type the new schema lacks,
    /// and those whose ends the type no longer allows.
    pub relations: Vec<String>,
    /// `SetSchema`, or when something goes with it, one `Batch` that removes those relations
    /// and spans and then sets the schema (one undoable step).
    pub action: Action,
}

/// Plans replacing `doc`'s schema by `schema`: what has to be removed with it, and how.
pub fn plan_change(doc: &AnnotatedDocument, schema: Schema) -> SchemaChange {
    let spans: Vec<String> = doc
        .spans()
        .iter()
        .filter(|s| schema.label(&s.label).is_none())
        .map(|s| s.id.clone())
        .collect();
    let label_of = |id: &str| doc.span(id).map(|s| s.label.as_str());
    let relations: Vec<String> = doc
        .relations
        .iter()
        .filter(|r| {
            let gone = spans.contains(&r.from) || spans.contains(&r.to);
            let fits = schema.relation_type(&r.kind).is_some_and(|rt| {
                label_of(&r.from).is_some_and(|l| rt.from_labels.iter().any(|a| a == l))
                    && label_of(&r.to).is_some_and(|l| rt.to_labels.iter().any(|a| a == l))
            });
            gone || !fits
        })
        .map(|r| r.id.clone())
        .collect();
    let set = Action::SetSchema { schema };
    let action = if spans.is_empty() && relations.is_empty() {
        set
    } else {
        let mut steps: Vec<Action> = relations
            .iter()
            .map(|id| Action::RemoveRelation { id: id.clone() })
            .collect();
        steps.extend(spans.iter().map(|id| Action::RemoveSpan { id: id.clone() }));
        steps.push(set);
        Action::Batch(steps)
    };
    SchemaChange {
        spans,
        relations,
        action,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_range_describes_the_keys_in_use() {
        let mut s = Schema::default();
        assert_eq!(s.key_range(), "1\u{2013}4");
        s.labels[1].key = None;
        assert_eq!(s.key_range(), "1, 3, 4");
        s.labels.truncate(1);
        assert_eq!(s.key_range(), "1");
        s.labels.clear();
        assert_eq!(s.key_range(), "");
    }

    #[test]
    fn a_label_key_of_u32_max_in_an_unchecked_schema_is_listed_not_an_overflow() {
        // `key_range` takes any schema, not only one that `check` accepts.
        let max = u32::MAX.to_string();
        let mut s = Schema::default();
        s.labels.truncate(2);
        s.labels[0].key = Some(max.clone());
        s.labels[1].key = Some(max.clone());
        assert_eq!(s.key_range(), format!("{max}, {max}"));
        s.labels[1].key = Some((u32::MAX - 1).to_string());
        assert_eq!(s.key_range(), format!("{}\u{2013}{max}", u32::MAX - 1));
    }

    #[test]
    fn default_schema_has_the_four_labels_on_keys_one_to_four() {
        let s = Schema::default();
        let ids: Vec<_> = s.labels.iter().map(|l| l.id.as_str()).collect();
        assert_eq!(ids, ["actor", "place", "claim", "denial"]);
        assert_eq!(s.label_for_key("3").map(|l| l.name.as_str()), Some("Claim"));
        assert!(s.label_for_key("5").is_none());
        assert!(s.relation_type("said_by").is_some());
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
mod colour_tests {
    use super::*;

    #[test]
    fn chip_text_colour_has_the_better_contrast() {
        let s = Schema::default();
        let colours: Vec<_> = s.labels.iter().map(Label::text_colour).collect();
        assert_eq!(colours, ["#ffffff", "#000000", "#000000", "#000000"]);
        let odd = Label {
            id: "x".into(),
            name: "X".into(),
            colour: "nonsense".into(),
            key: None,
        };
        assert_eq!(odd.text_colour(), "#ffffff");
    }
}

#[cfg(test)]
mod edit_tests {
    use super::*;
    use crate::core::edit::History;
    use crate::core::model::Document;

    fn names(s: &Schema) -> Vec<(&str, &str, Option<&str>)> {
        s.labels
            .iter()
            .map(|l| (l.id.as_str(), l.name.as_str(), l.key.as_deref()))
            .collect()
    }

    #[test]
    fn fresh_ids_are_slugs_that_no_item_has() {
        let s = Schema::default();
        assert_eq!(s.fresh_label_id("Organisation"), "organisation");
        assert_eq!(s.fresh_label_id("  Actor "), "actor_2");
        assert_eq!(s.fresh_label_id("Named entity (ORG)"), "named_entity_org");
        assert_eq!(s.fresh_label_id("Организация"), "label");
        assert_eq!(s.fresh_relation_type_id("said by"), "said_by_2");
        assert_eq!(s.fresh_relation_type_id("💬"), "relation");
    }

    #[test]
    fn added_labels_get_a_free_colour_and_the_lowest_free_key() {
        let (s, id) = Schema::default()
            .with_label_added(" Organisation ")
            .unwrap();
        assert_eq!(id, "organisation");
        let l = s.label(&id).unwrap();
        assert_eq!(
            (l.name.as_str(), l.key.as_deref()),
            ("Organisation", Some("5"))
        );
        assert!(Schema::default()
            .labels
            .iter()
            .all(|d| d.colour != l.colour));
        assert_eq!(s.check(), Ok(()));
        // Names are unique ignoring case, and not empty.
        assert_eq!(
            s.with_label_added("actor"),
            Err(SchemaError::NameTaken("actor".into()))
        );
        assert_eq!(s.with_label_added("   "), Err(SchemaError::EmptyName));
        assert_eq!(
            s.with_label_added(&"x".repeat(61)),
            Err(SchemaError::NameTooLong)
        );
        // Past nine labels, new ones have no key.
        let mut s = s;
        for n in 0..6 {
            s = s.with_label_added(&format!("L{n}")).unwrap().0;
        }
        assert_eq!(s.labels.len(), 11);
        assert_eq!(s.labels[10].key, None);
        assert_eq!(s.check(), Ok(()));
    }

    #[test]
    fn renaming_and_recolouring_are_checked() {
        let s = Schema::default();
        let r = s.with_label_renamed("actor", " Person ").unwrap();
        assert_eq!(r.label("actor").unwrap().name, "Person");
        assert_eq!(
            s.with_label_renamed("actor", "PLACE"),
            Err(SchemaError::NameTaken("PLACE".into()))
        );
        // A label may change the case of its own name.
        assert!(s.with_label_renamed("actor", "ACTOR").is_ok());
        assert_eq!(
            s.with_label_renamed("nope", "X"),
            Err(SchemaError::UnknownLabel("nope".into()))
        );
        let c = s.with_label_colour("place", "#AABBCC").unwrap();
        assert_eq!(c.label("place").unwrap().colour, "#aabbcc");
        for bad in ["red", "#abc", "#abcdeg", "aabbccdd", "#ééé"] {
            assert_eq!(
                s.with_label_colour("place", bad),
                Err(SchemaError::BadColour(bad.into()))
            );
        }
    }

    #[test]
    fn a_key_taken_by_another_label_moves() {
        let s = Schema::default()
            .with_label_key("denial", Some("1"))
            .unwrap();
        assert_eq!(
            names(&s),
            [
                ("actor", "Actor", None),
                ("place", "Place", Some("2")),
                ("claim", "Claim", Some("3")),
                ("denial", "Denial", Some("1"))
            ]
        );
        let s = s.with_label_key("denial", None).unwrap();
        assert!(s.label_for_key("1").is_none() && s.label_for_key("4").is_none());
        assert_eq!(
            s.with_label_key("actor", Some("0")),
            Err(SchemaError::BadKey("0".into()))
        );
        assert_eq!(
            s.with_label_key("actor", Some("10")),
            Err(SchemaError::BadKey("10".into()))
        );
        assert_eq!(s.check(), Ok(()));
    }

    #[test]
    fn removing_a_label_takes_it_off_relation_types() {
        let s = Schema::default().without_label("claim").unwrap();
        assert!(s.label("claim").is_none());
        let said_by = s.relation_type("said_by").unwrap();
        assert_eq!(said_by.from_labels, ["denial"]);
        assert!(s.relation_type("denies").unwrap().to_labels.is_empty());
        assert_eq!(s.check(), Ok(()));
        assert_eq!(
            s.without_label("claim"),
            Err(SchemaError::UnknownLabel("claim".into()))
        );
    }

    #[test]
    fn relation_types_are_added_renamed_opened_up_and_removed() {
        let (s, id) = Schema::default()
            .with_relation_type_added("Works for")
            .unwrap();
        assert_eq!(id, "works_for");
        let s = s
            .with_relation_end(&id, End::To, "place", true)
            .and_then(|s| s.with_relation_end(&id, End::From, "actor", true))
            .and_then(|s| s.with_relation_end(&id, End::To, "actor", true))
            .unwrap();
        let rt = s.relation_type(&id).unwrap();
        // Allowed labels follow the schema's label order.
        assert_eq!(
            (rt.from_labels.clone(), rt.to_labels.clone()),
            (
                vec!["actor".to_owned()],
                vec!["actor".to_owned(), "place".to_owned()]
            )
        );
        let s = s.with_relation_end(&id, End::To, "actor", false).unwrap();
        assert_eq!(s.relation_type(&id).unwrap().to_labels, ["place"]);
        assert_eq!(
            s.with_relation_end(&id, End::To, "nope", true),
            Err(SchemaError::UnknownLabel("nope".into()))
        );
        assert_eq!(
            s.with_relation_type_renamed(&id, "Said by"),
            Err(SchemaError::NameTaken("Said by".into()))
        );
        let s = s.with_relation_type_renamed(&id, "employed by").unwrap();
        assert_eq!(s.relation_type(&id).unwrap().name, "employed by");
        assert_eq!(s.check(), Ok(()));
        let s = s.without_relation_type(&id).unwrap();
        assert_eq!(s, Schema::default());
    }

    #[test]
    fn check_finds_what_is_wrong() {
        let mut s = Schema::default();
        s.labels[1].key = Some("1".into());
        assert_eq!(s.check(), Err(SchemaError::BadKey("1".into())));
        let mut s = Schema::default();
        s.labels[1].name = "actor".into();
        assert_eq!(s.check(), Err(SchemaError::NameTaken("actor".into())));
        let mut s = Schema::default();
        s.relation_types[0].to_labels.push("ghost".into());
        assert_eq!(s.check(), Err(SchemaError::UnknownLabel("ghost".into())));
        let mut s = Schema::default();
        s.labels[3].id = "actor".into();
        assert_eq!(s.check(), Err(SchemaError::BadId("actor".into())));
    }

    fn file_schema() -> Schema {
        Schema {
            labels: vec![
                Label {
                    id: "org".into(),
                    name: "Organisation".into(),
                    colour: "#882255".into(),
                    key: Some("1".into()),
                },
                Label {
                    id: "actor".into(),
                    name: "Speaker".into(),
                    colour: "#000000".into(),
                    key: Some("2".into()),
                },
                Label {
                    id: "person".into(),
                    name: "place".into(),
                    colour: "#111111".into(),
                    key: None,
                },
            ],
            relation_types: vec![RelationType {
                id: "said_by".into(),
                name: "quoted from".into(),
                from_labels: vec!["org".into()],
                to_labels: vec!["actor".into()],
            }],
        }
    }

    #[test]
    fn opening_a_file_merges_its_schema_into_the_current_one() {
        let merged = Schema::default().merged_with(&file_schema());
        assert_eq!(
            names(&merged),
            [
                // The file's labels first, as they are (its "actor" wins over ours).
                ("org", "Organisation", Some("1")),
                ("actor", "Speaker", Some("2")),
                ("person", "place", None),
                // Ours that it lacks: keys 1 and 2 are taken, and the name "Place" too.
                ("place", "Place (2)", None),
                ("claim", "Claim", Some("3")),
                ("denial", "Denial", Some("4")),
            ]
        );
        let kinds: Vec<_> = merged
            .relation_types
            .iter()
            .map(|r| (r.id.as_str(), r.name.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("said_by", "quoted from"),
                ("denies", "denies"),
                ("located_in", "located in")
            ]
        );
        assert_eq!(merged.check(), Ok(()));
        // Opening a file with the same schema changes nothing.
        assert_eq!(
            Schema::default().merged_with(&Schema::default()),
            Schema::default()
        );
        assert_eq!(merged.merged_with(&merged), merged);
    }

    #[test]
    fn a_long_name_made_unique_stays_within_the_limit() {
        let long = "N".repeat(MAX_NAME);
        let current = Schema::default()
            .with_label_renamed("place", &long)
            .unwrap();
        let mut file = Schema::default();
        file.labels[1].id = "elsewhere".into();
        file.labels[1].name = long.to_lowercase();
        let merged = current.merged_with(&file);
        assert_eq!(merged.check(), Ok(()));
        let renamed = &merged.labels.iter().find(|l| l.id == "place").unwrap().name;
        assert_eq!(renamed.chars().count(), MAX_NAME);
        assert!(renamed.ends_with("N (2)"), "{renamed}");
    }

    /// Lavrov (s1, actor), Kerry (s2, actor), "denied it" (s3, denial), with s3 said by s2.
    fn annotated() -> AnnotatedDocument {
        let mut d = AnnotatedDocument::new(Document::new("t", "Lavrov said Kerry denied it."));
        for (start, end, label) in [(0, 6, "actor"), (12, 17, "actor"), (18, 27, "denial")] {
            d.apply(Action::AddSpan {
                start,
                end,
                label: label.into(),
            })
            .unwrap();
        }
        d.apply(Action::AddRelation {
            kind: "said_by".into(),
            from: "s3".into(),
            to: "s2".into(),
        })
        .unwrap();
        d
    }

    #[test]
    fn removing_a_label_in_use_is_one_undoable_step() {
        let mut d = annotated();
        let mut h = History::default();
        let change = plan_change(&d, d.schema.without_label("actor").unwrap());
        assert_eq!(change.spans, ["s1", "s2"]);
        assert_eq!(change.relations, ["r1"]);
        h.apply(&mut d, change.action).unwrap();
        assert_eq!(d.spans().len(), 1);
        assert!(d.relations.is_empty() && d.schema.label("actor").is_none());
        h.undo(&mut d).unwrap().unwrap();
        assert_eq!(d, annotated());
        h.redo(&mut d).unwrap().unwrap();
        assert_eq!(d.spans().len(), 1);
    }

    #[test]
    fn narrowing_or_removing_a_relation_type_takes_its_relations() {
        let d = annotated();
        let unused = plan_change(&d, d.schema.without_label("place").unwrap());
        assert!(unused.spans.is_empty() && unused.relations.is_empty());
        assert!(matches!(unused.action, Action::SetSchema { .. }));
        let narrowed = d
            .schema
            .with_relation_end("said_by", End::From, "denial", false)
            .unwrap();
        let change = plan_change(&d, narrowed);
        assert!(change.spans.is_empty());
        assert_eq!(change.relations, ["r1"]);
        let mut h = History::default();
        let mut e = d.clone();
        h.apply(&mut e, change.action).unwrap();
        assert!(e.relations.is_empty() && e.spans().len() == 3);
        h.undo(&mut e).unwrap().unwrap();
        assert_eq!(e, d);
        let gone = plan_change(&d, d.schema.without_relation_type("said_by").unwrap());
        assert_eq!(gone.relations, ["r1"]);
        let mut e = d.clone();
        e.apply(gone.action).unwrap();
        assert!(e.schema.relation_type("said_by").is_none() && e.relations.is_empty());
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            /// Any sequence of edits of a valid schema, accepted or refused, leaves a valid schema.
            #[test]
            fn edits_keep_the_schema_valid(edits in prop::collection::vec((0u8..9, 0usize..8, "[ a-zA-Z]{0,6}", 0usize..11), 0..30)) {
                let mut s = Schema::default();
                for (op, i, name, k) in edits {
                    let label = s.labels.get(i % s.labels.len().max(1)).map(|l| l.id.clone()).unwrap_or_default();
                    let kind = s.relation_types.get(i % s.relation_types.len().max(1)).map(|r| r.id.clone()).unwrap_or_default();
                    let key = KEYS.get(k).copied();
                    let next = match op {
                        0 => s.with_label_added(&name).map(|(s, _)| s),
                        1 => s.with_label_renamed(&label, &name),
                        2 => s.with_label_colour(&label, if k % 2 == 0 { "#12ab9F" } else { "nope" }),
                        3 => s.with_label_key(&label, key),
                        4 => s.without_label(&label),
                        5 => s.with_relation_type_added(&name).map(|(s, _)| s),
                        6 => s.with_relation_type_renamed(&kind, &name),
                        7 => s.with_relation_end(&kind, if k % 2 == 0 { End::From } else { End::To }, &label, k % 3 != 0),
                        _ => s.without_relation_type(&kind),
                    };
                    if let Ok(next) = next {
                        prop_assert_eq!(next.check(), Ok(()));
                        prop_assert_eq!(next.merged_with(&next), next.clone());
                        s = next;
                    }
                }
                prop_assert_eq!(Schema::default().merged_with(&s).check(), Ok(()));
            }
        }
    }
}
