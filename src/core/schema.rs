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

    /// The label applied by this key, if any.
    pub fn label_for_key(&self, key: &str) -> Option<&Label> {
        self.labels.iter().find(|l| l.key.as_deref() == Some(key))
    }

    /// The relation type with this id.
    pub fn relation_type(&self, id: &str) -> Option<&RelationType> {
        self.relation_types.iter().find(|r| r.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
