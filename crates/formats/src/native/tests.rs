use super::*;
use spanmark_testkit::{annotated, article, STRESS};

#[test]
fn round_trips_the_default_article_with_nested_spans() {
    let d = article(&[]);
    let file = write(&d);
    assert_eq!(parse(&file), Ok(d));
}

#[test]
fn round_trips_unicode_with_code_point_offsets() {
    let d = annotated(
        STRESS,
        &[
            ("Сергей Лавров", "actor"),
            ("👩\u{200d}👩\u{200d}👧", "actor"),
            ("東京", "place"),
            ("دمشق", "place"),
            ("Zürich", "place"),
        ],
    );
    assert!(STRESS.contains("\r\n"));
    let file = write(&d);
    let v: serde_json::Value = serde_json::from_str(&file).unwrap();
    for s in v["spans"].as_array().unwrap() {
        let (a, b) = (
            s["start"].as_u64().unwrap() as usize,
            s["end"].as_u64().unwrap() as usize,
        );
        let expected: String = STRESS.chars().skip(a).take(b - a).collect();
        assert_eq!(s["text"].as_str().unwrap(), expected);
    }
    assert_eq!(parse(&file), Ok(d));
}

#[test]
fn text_that_disagrees_with_offsets_is_an_error() {
    let d = annotated("Kerry denied it", &[("Kerry", "actor")]);
    let file = write(&d).replace("\"text\": \"Kerry\"", "\"text\": \"Kerri\"");
    let err = parse(&file).unwrap_err();
    assert_eq!(
        err,
        invalid(
            "spans[0] (id \"s1\")",
            "\"text\" is \"Kerri\" but offsets 0..5 hold \"Kerry\""
        )
    );
}

#[test]
fn reports_where_the_json_breaks() {
    assert!(matches!(
        parse("{\n  \"format\": \"spanmark\",\n  oops"),
        Err(FormatError::Json { line: 3, .. })
    ));
    assert_eq!(parse("[1, 2]"), Err(FormatError::NotSpanmark));
    assert_eq!(
        parse(r#"{"format":"spanmark","version":7}"#),
        Err(FormatError::UnsupportedVersion(7))
    );
    let missing =
        parse(r#"{"format":"spanmark","version":1,"document":{"id":"d","title":"t","text":""}}"#);
    assert!(
        matches!(missing, Err(FormatError::Json { ref message, .. }) if message.contains("schema")),
        "{missing:?}"
    );
}

#[test]
fn the_header_is_read_as_a_json_value_reads_it() {
    let body = write(&annotated("Kerry denied it", &[("Kerry", "actor")]));
    let body = body
        .trim_start_matches('{')
        .replace("\"format\": \"spanmark\",", "")
        .replace("\"version\": 1,", "");
    let whole = || invalid("version", "must be a whole number");
    let repeated = |e: &Result<(), FormatError>| matches!(e, Err(FormatError::Json { message, .. }) if message.contains("duplicate"));
    for (header, expected) in [
        (
            r#""format": "Spanmark", "format": "spanmark", "version": 1,"#,
            None,
        ),
        (
            r#""format": "spanmark", "format": "other", "version": 1,"#,
            Some(Err(FormatError::NotSpanmark)),
        ),
        (r#""format": "spanmar\u006b", "version": 1,"#, Some(Ok(()))),
        (
            r#""format": "spanmark", "version": 1.0,"#,
            Some(Err(whole())),
        ),
        (
            r#""format": "spanmark", "version": -1,"#,
            Some(Err(whole())),
        ),
        (
            r#""format": "spanmark", "version": 18446744073709551616,"#,
            Some(Err(whole())),
        ),
        (
            r#""format": "spanmark", "version": 1, "version": 2,"#,
            Some(Err(FormatError::UnsupportedVersion(2))),
        ),
        (r#""format": "spanmark", "version": 2, "version": 1,"#, None),
        (
            r#""x": {"format": "spanmark", "version": 1},"#,
            Some(Err(FormatError::NotSpanmark)),
        ),
    ] {
        let input = format!("{{{header}{body}");
        assert_eq!(parse(&input), parse_via_value(&input), "{input}");
        let outcome = parse(&input).map(|_| ());
        match expected {
            Some(expected) => assert_eq!(outcome, expected, "{header}"),
            // The header passes; reading the file then refuses the repeated key.
            None => assert!(repeated(&outcome), "{header}: {outcome:?}"),
        }
    }
    for input in ["[]", "\"spanmark\"", "null", "{\"format\": \"spanmark\"} x"] {
        assert_eq!(parse(input), parse_via_value(input), "{input}");
    }
}

#[test]
fn rejects_each_broken_rule() {
    let d = annotated(
        "Kerry denied it",
        &[("Kerry", "actor"), ("denied it", "denial")],
    );
    let good = write(&d);
    let cases = [
        (
            good.replace("\"label\": \"actor\"", "\"label\": \"person\""),
            "not in the schema",
        ),
        (
            good.replace("\"end\": 5", "\"end\": 6")
                .replace("\"text\": \"Kerry\"", "\"text\": \"Kerry \""),
            "white space",
        ),
        (
            good.replace("\"end\": 5", "\"end\": 50"),
            "outside the text",
        ),
        (good.replace("\"id\": \"s2\"", "\"id\": \"s1\""), "repeated"),
    ];
    for (file, expected) in cases {
        match parse(&file) {
            Err(FormatError::Invalid { message, .. }) => {
                assert!(message.contains(expected), "{message}")
            }
            other => panic!("expected an Invalid error containing {expected:?}, got {other:?}"),
        }
    }
}

/// A colour is written into style attributes: anything but `#rrggbb` could carry CSS
/// (for example a `url(...)` that makes the page contact another site).
#[test]
fn a_schema_colour_that_is_not_a_hex_colour_is_refused() {
    let d = annotated("Kerry denied it", &[("Kerry", "actor")]);
    let file = write(&d).replace(
        "\"#0072b2\"",
        "\"red;background-image:url(https://example.org/x)\"",
    );
    match parse(&file) {
        Err(FormatError::Invalid { at, .. }) => assert_eq!(at, "schema"),
        other => panic!("expected the schema to be refused, got {other:?}"),
    }
    let file = write(&d).replace("\"key\": \"1\"", "\"key\": \"Enter\"");
    assert!(matches!(parse(&file), Err(FormatError::Invalid { .. })));
}

#[test]
fn relations_are_checked_against_spans_and_schema() {
    let mut d = annotated(
        "Kerry denied it",
        &[("Kerry", "actor"), ("denied it", "denial")],
    );
    d.relations.push(Relation {
        id: "r1".into(),
        kind: "said_by".into(),
        from: "s2".into(),
        to: "s1".into(),
    });
    assert_eq!(parse(&write(&d)), Ok(d.clone()));
    d.relations[0] = Relation {
        id: "r1".into(),
        kind: "said_by".into(),
        from: "s1".into(),
        to: "s2".into(),
    };
    assert!(matches!(
        parse(&write(&d)),
        Err(FormatError::Invalid { .. })
    ));
    d.relations[0].to = "s9".into();
    assert!(matches!(
        parse(&write(&d)),
        Err(FormatError::Invalid { .. })
    ));
}

#[cfg(not(target_arch = "wasm32"))]
mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn the_header_reads_as_through_a_value(s in "\\PC{0,200}") {
            prop_assert_eq!(parse(&s), parse_via_value(&s));
        }

        #[test]
        fn the_header_of_mutated_files_reads_as_through_a_value(cut in 0usize..2000, insert in "[\\[\\]{}\",:0-9a-z\\\\]{0,4}") {
            let d = annotated("Kerry denied it, said Lavrov", &[("Kerry", "actor"), ("denied it", "denial")]);
            let file = write(&d);
            let mut at = cut.min(file.len());
            while !file.is_char_boundary(at) { at -= 1; }
            let mutated = format!("{}{}{}", &file[..at], insert, &file[at..]);
            prop_assert_eq!(parse(&mutated), parse_via_value(&mutated));
        }

        /// Headers of every shape: any value (or none) for `format` and `version`, repeated
        /// keys, other keys and nesting around them, broken JSON after them.
        #[test]
        fn odd_headers_read_as_through_a_value(
            fields in prop::collection::vec((
                prop::sample::select(vec!["format", "format", "version", "version", "x", "form\\u0061t", "document"]),
                prop::sample::select(vec![
                    "\"spanmark\"", "\"spanmark\"", "\"spanmark\"", "1", "1", "1", "\"spanmar\\u006b\"", "\"Spanmark\"", "1", "2", "0", "-1", "1.0", "1e0",
                    "18446744073709551615", "18446744073709551616", "1e400", "null", "true", "[]",
                    "[\"spanmark\", 1]", "{\"format\": \"spanmark\", \"version\": 1}", "\"\\ud800\"", "{", "\"1\"",
                ]),
            ), 0..6),
            top in prop::sample::select(vec!["{}", "[]", "x"]),
            tail in prop::sample::select(vec!["", " ", "}", ",", "]", " x"]),
        ) {
            let body: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
            let input = match top {
                "{}" => format!("{{{}}}{tail}", body.join(", ")),
                "[]" => format!("[{{{}}}]{tail}", body.join(", ")),
                _ => format!("{{\"x\": {{{}}}}}{tail}", body.join(", ")),
            };
            prop_assert_eq!(parse(&input), parse_via_value(&input), "{}", input);
        }
    }
}

#[test]
fn a_file_without_its_text_reads_back_with_the_text_given_apart() {
    let d = annotated(STRESS, &[("Сергей Лавров", "actor"), ("東京", "place")]);
    let apart = serde_json::to_string(&file_without_text(&d)).unwrap();
    let v: serde_json::Value = serde_json::from_str(&apart).unwrap();
    assert_eq!(v["document"]["text"], "");
    for s in v["spans"].as_array().unwrap() {
        assert_eq!(s["text"], "", "{s}");
    }
    assert_eq!(parse_without_text(&apart, STRESS.to_owned()), Ok(d.clone()));
    // Written whole, the same fields as the file without its text.
    let mut whole: serde_json::Value =
        serde_json::from_str(&serde_json::to_string(&file(&d)).unwrap()).unwrap();
    whole["document"]["text"] = "".into();
    for s in whole["spans"].as_array_mut().unwrap() {
        s["text"] = "".into();
    }
    assert_eq!(whole, v);
    // A text too short for the spans' offsets is refused.
    assert!(parse_without_text(&apart, "Short.".into()).is_err());
    let whole = serde_json::to_string(&file(&d)).unwrap();
    // A file that carries its text is not one stored without it.
    assert!(matches!(
        parse_without_text(&whole, STRESS.to_owned()),
        Err(FormatError::Invalid { .. })
    ));
}
