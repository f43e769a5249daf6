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
        guide: Guide::default(),
    };
    assert_eq!(odd.text_colour(), "#ffffff");
}

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
                guide: Guide::default(),
            },
            Label {
                id: "actor".into(),
                name: "Speaker".into(),
                colour: "#000000".into(),
                key: Some("2".into()),
                guide: Guide::default(),
            },
            Label {
                id: "person".into(),
                name: "place".into(),
                colour: "#111111".into(),
                key: None,
                guide: Guide::default(),
            },
        ],
        relation_types: vec![RelationType {
            id: "said_by".into(),
            name: "quoted from".into(),
            from_labels: vec!["org".into()],
            to_labels: vec!["actor".into()],
            guide: Guide::default(),
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

#[test]
fn a_guide_is_set_part_by_part_and_travels_in_the_schema_json() {
    let s = Schema::default()
        .with_label_guide(
            "actor",
            GuidePart::Is,
            "  A person or group that acts or speaks. ",
        )
        .unwrap()
        .with_label_guide("actor", GuidePart::Example, "Kerry")
        .unwrap()
        .with_relation_type_guide("said_by", GuidePart::IsNot, "A paraphrase by the reporter.")
        .unwrap();
    let actor = s.label("actor").unwrap();
    assert_eq!(actor.guide.is, "A person or group that acts or speaks.");
    assert_eq!(
        actor.guide.summary(),
        "A person or group that acts or speaks. \u{2014} Example: Kerry"
    );
    assert!(s.has_guides());
    assert!(!Schema::default().has_guides());
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["labels"][0]["guide"]["example"], "Kerry");
    assert!(json["labels"][0]["guide"].get("is_not").is_none());
    assert!(
        json["labels"][1].get("guide").is_none(),
        "empty guides are not written"
    );
    let back: Schema = serde_json::from_value(json).unwrap();
    assert_eq!(back, s);
    assert_eq!(back.check(), Ok(()));
}

#[test]
fn a_guide_part_too_long_is_refused_and_a_file_with_one_fails_the_check() {
    let long = "x".repeat(MAX_GUIDE + 1);
    assert_eq!(
        Schema::default().with_label_guide("actor", GuidePart::Is, &long),
        Err(SchemaError::GuideTooLong)
    );
    assert_eq!(
        Schema::default().with_label_guide("nobody", GuidePart::Is, "x"),
        Err(SchemaError::UnknownLabel("nobody".into()))
    );
    let mut s = Schema::default();
    s.relation_types[0].guide.example = long;
    assert_eq!(s.check(), Err(SchemaError::GuideTooLong));
}

#[test]
fn a_projects_guidelines_go_to_the_labels_and_relation_types_of_the_same_ids() {
    let project = Schema::default()
        .with_label_guide("actor", GuidePart::Is, "Who acts.")
        .unwrap()
        .with_relation_type_guide("said_by", GuidePart::Example, "Lavrov said")
        .unwrap();
    // A document's schema with an Actor renamed and a label the project lacks.
    let mut doc = Schema::default()
        .with_label_renamed("actor", "Speaker")
        .unwrap();
    doc = doc.with_label_added("Date").unwrap().0;
    doc = doc
        .with_label_guide("date", GuidePart::Is, "A day.")
        .unwrap();
    let (guided, changed) = doc.with_guides_of(&project);
    assert!(changed);
    let actor = guided.label("actor").unwrap();
    assert_eq!(
        (actor.name.as_str(), actor.guide.is.as_str()),
        ("Speaker", "Who acts.")
    );
    assert_eq!(
        guided.label("date").unwrap().guide.is,
        "A day.",
        "kept: not the project's"
    );
    assert_eq!(
        guided.relation_type("said_by").unwrap().guide.example,
        "Lavrov said"
    );
    assert_eq!(guided.with_guides_of(&project), (guided.clone(), false));
}
