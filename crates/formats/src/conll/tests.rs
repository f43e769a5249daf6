use super::*;
use crate::testing::{self, problems};
use spanmark_core::offsets::slice_cp;
use spanmark_core::{Action, Document, Schema};
use spanmark_testkit::{annotated, article, check_round_trip, Kept, STRESS};

const CONLL2003: &str =
    include_str!("../../../../tests/fixtures/formats/conll/conll2003-example.conll");
const PEOPLE: &str = include_str!("../../../../tests/fixtures/formats/iob2/people.iob2");
const NESTED: &str = include_str!("../../../../tests/fixtures/formats/iob2/nested.iob2");

/// Spans as `(start, end, label name, text)`, without ids.
fn view(d: &AnnotatedDocument) -> Vec<(usize, usize, String, String)> {
    d.spans()
        .iter()
        .map(|s| {
            let label = d.schema.label(&s.label).map(|l| l.name.clone());
            (s.start, s.end, label.unwrap_or_default(), s.text.clone())
        })
        .collect()
}

/// Spans as `(label name, text)`.
fn labelled(d: &AnnotatedDocument) -> Vec<(String, String)> {
    view(d).into_iter().map(|(_, _, l, t)| (l, t)).collect()
}

fn ctx<'a>(schema: &'a Schema, text: Option<&'a str>) -> Context<'a> {
    testing::ctx("t", schema, text)
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

#[test]
fn reads_the_conll_2003_shape_with_iob1_tags() {
    let schema = Schema::default();
    let imported = parse_conll(CONLL2003, &ctx(&schema, None)).unwrap();
    let [first, second] = imported.documents.as_slice() else {
        panic!("two documents: {imported:?}");
    };
    assert_eq!(first.document.title, "t");
    assert_eq!(second.document.title, "t (2)");
    assert_eq!(
        first.document.text,
        "EU rejects German call to boycott British lamb .\nPeter Blackburn\nBRUSSELS 1996-08-22"
    );
    assert_eq!(
        labelled(first),
        pairs(&[
            ("ORG", "EU"),
            ("MISC", "German"),
            ("MISC", "British"),
            ("PER", "Peter Blackburn"),
            ("LOC", "BRUSSELS"),
        ])
    );
    assert_eq!(
        labelled(second),
        pairs(&[("ORG", "LEICESTERSHIRE"), ("LOC", "LONDON")])
    );
    // IOB1: each I- that starts an entity is read as B-, with one warning a document.
    let w: Vec<_> = imported
        .warnings
        .iter()
        .map(|w| (w.at.as_str(), w.message.as_str()))
        .collect();
    assert_eq!(w.len(), 2, "{w:?}");
    assert_eq!(w[0].0, "line 3");
    assert!(w[0].1.starts_with("I-ORG does not continue"), "{}", w[0].1);
    assert!(w[0].1.contains("5 such tags"), "{}", w[0].1);
    assert_eq!(w[1].0, "line 23");
}

#[test]
fn iob1_b_separates_adjacent_entities_of_one_type() {
    let schema = Schema::default();
    let file = "-DOCSTART- -X- -X- O\n\nin IN I-PP O\nBonn NNP I-NP I-LOC\nBerlin NNP B-NP B-LOC\nHamburg NNP I-NP I-LOC\n";
    let imported = parse_conll(file, &ctx(&schema, None)).unwrap();
    assert_eq!(
        labelled(&imported.documents[0]),
        pairs(&[("LOC", "Bonn"), ("LOC", "Berlin Hamburg")])
    );
}

#[test]
fn reads_iob2_token_tag_lines() {
    let schema = Schema::default();
    let imported = parse_iob2(PEOPLE, &ctx(&schema, None)).unwrap();
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    let [doc] = imported.documents.as_slice() else {
        panic!("one document");
    };
    assert_eq!(
        doc.document.text,
        "Barack Obama visited Paris .\nAngela Merkel met him in New York ."
    );
    assert_eq!(
        labelled(doc),
        pairs(&[
            ("PER", "Barack Obama"),
            ("LOC", "Paris"),
            ("PER", "Angela Merkel"),
            ("LOC", "New York"),
        ])
    );
    for s in doc.spans() {
        assert_eq!(
            slice_cp(&doc.document.text, s.start, s.end),
            Some(s.text.as_str())
        );
    }
}

#[test]
fn reads_nested_tag_columns_onto_a_given_text() {
    let schema = Schema::default();
    let text = "The Bank of England governor, Mark Carney, spoke in London.";
    let imported = parse_iob2(NESTED, &ctx(&schema, Some(text))).unwrap_err();
    // The file has no commas: laying it onto this text fails where they are missing.
    let FormatError::Problems(p) = imported else {
        panic!("problems");
    };
    assert_eq!(p[0].at, "line 6");
    assert!(p[0].message.contains("\"Mark\""), "{}", p[0].message);

    let text = "The Bank of England\ngovernor  Mark Carney spoke in London.";
    let imported = parse_iob2(NESTED, &ctx(&schema, Some(text))).unwrap();
    let doc = &imported.documents[0];
    assert_eq!(doc.document.text, text);
    assert_eq!(
        view(doc),
        [
            (4, 19, "ORG".into(), "Bank of England".into()),
            (12, 19, "LOC".into(), "England".into()),
            (30, 41, "PER".into(), "Mark Carney".into()),
            (51, 57, "LOC".into(), "London".into()),
        ]
    );
}

#[test]
fn writes_conll_with_placeholders_and_a_column_per_layer() {
    let d = annotated(
        "Kerry met Lavrov in St Petersburg.\nHe left.",
        &[
            ("Kerry", "actor"),
            ("Lavrov", "actor"),
            ("St Petersburg", "place"),
            ("Kerry met Lavrov in St Petersburg", "claim"),
        ],
    );
    let expected = "-DOCSTART- -X- -X- O O\n\
                    \n\
                    Kerry _ _ B-Claim B-Actor\n\
                    met _ _ I-Claim O\n\
                    Lavrov _ _ I-Claim B-Actor\n\
                    in _ _ I-Claim O\n\
                    St _ _ I-Claim B-Place\n\
                    Petersburg _ _ I-Claim I-Place\n\
                    . _ _ O O\n\
                    \n\
                    He _ _ O O\n\
                    left _ _ O O\n\
                    . _ _ O O\n\
                    \n";
    assert_eq!(write_conll(std::slice::from_ref(&d)), expected);
    let iob2 = write_iob2(std::slice::from_ref(&d));
    assert!(
        iob2.starts_with("Kerry\tB-Claim\tB-Actor\nmet\tI-Claim\tO\n"),
        "{iob2}"
    );
    let schema = Schema::default();
    // Span ids are given in file order; everything else comes back as it was.
    let back = parse_conll(expected, &ctx(&schema, Some(&d.document.text))).unwrap();
    assert_eq!(back.documents[0].document, d.document);
    assert_eq!(view(&back.documents[0]), view(&d));
    let back = parse_iob2(&iob2, &ctx(&schema, Some(&d.document.text))).unwrap();
    assert_eq!(view(&back.documents[0]), view(&d));
}

#[test]
fn a_line_break_inside_a_span_does_not_end_the_sentence() {
    let d = annotated("He said:\nno\ntalks. Bye", &[("no\ntalks", "denial")]);
    let iob2 = write_iob2(std::slice::from_ref(&d));
    assert_eq!(
        iob2,
        "He\tO\nsaid\tO\n:\tO\n\nno\tB-Denial\ntalks\tI-Denial\n.\tO\nBye\tO\n\n"
    );
}

fn round_trip_on(d: &AnnotatedDocument) {
    let schema = Schema::default();
    for (file, parse) in [
        (
            write_conll(std::slice::from_ref(d)),
            parse_conll as fn(&str, &Context) -> Result<Imported, FormatError>,
        ),
        (write_iob2(std::slice::from_ref(d)), parse_iob2),
    ] {
        let read = parse(&file, &ctx(&schema, Some(&d.document.text)));
        let kept = Kept::DOCUMENT | Kept::SCHEMA;
        check_round_trip(d, read.map(|r| (r.documents, r.warnings)), kept);
    }
}

#[test]
fn round_trips_the_default_article_with_nested_and_crossing_spans() {
    let d = article(&[
        // Crosses the claim above.
        ("economic Forum in St Petersburg accused US", "denial"),
        // Inside a word: tokens are cut at span boundaries.
        ("Russia", "place"),
        ("al-Nusra", "actor"),
        // Across a paragraph break.
        ("again.?\"\n\nMeanwhile", "claim"),
        ("John Kerry", "actor"),
        ("Kerry", "actor"),
    ]);
    assert!(write_conll(std::slice::from_ref(&d))
        .lines()
        .any(|l| l.split(' ').count() == 6));
    round_trip_on(&d);
}

#[test]
fn round_trips_unicode_with_code_point_offsets() {
    let d = annotated(
        STRESS,
        &[
            ("Сергей Лавров", "actor"),
            ("Сергей Лавров told reporters", "claim"),
            ("👩\u{200d}👩\u{200d}👧", "actor"),
            ("東京", "place"),
            ("北京", "place"),
            ("دمشق", "place"),
            ("Zürich", "place"),
            ("𝔘𝔫𝔦", "place"),
            ("🇺🇸", "place"),
            ("café", "place"),
            ("opposite.\r\nThe café", "claim"),
        ],
    );
    round_trip_on(&d);
}

#[test]
fn round_trips_without_the_text_keeping_labels_and_span_texts() {
    let d = annotated(
        "Kerry met Lavrov in Paris.\nThey   disagreed.",
        &[("Kerry", "actor"), ("Lavrov", "actor"), ("Paris", "place")],
    );
    let schema = Schema::default();
    for (file, parse) in [
        (
            write_conll(std::slice::from_ref(&d)),
            parse_conll as fn(&str, &Context) -> Result<Imported, FormatError>,
        ),
        (write_iob2(std::slice::from_ref(&d)), parse_iob2),
    ] {
        let imported = parse(&file, &ctx(&schema, None)).unwrap();
        let back = &imported.documents[0];
        assert_eq!(
            back.document.text,
            "Kerry met Lavrov in Paris .\nThey disagreed ."
        );
        assert_eq!(labelled(back), labelled(&d));
        assert_eq!(back.schema, d.schema);
    }
}

#[test]
fn several_documents_round_trip_with_docstart_lines() {
    let a = annotated("Kerry spoke.", &[("Kerry", "actor")]);
    let b = annotated("Lavrov in Paris.", &[("Paris", "place")]);
    let docs = [a, b];
    let schema = Schema::default();
    for (file, parse) in [
        (
            write_conll(&docs),
            parse_conll as fn(&str, &Context) -> Result<Imported, FormatError>,
        ),
        (write_iob2(&docs), parse_iob2),
    ] {
        assert_eq!(file.matches(DOCSTART).count(), 2, "{file}");
        let imported = parse(&file, &ctx(&schema, None)).unwrap();
        let titles: Vec<_> = imported
            .documents
            .iter()
            .map(|d| d.document.title.as_str())
            .collect();
        assert_eq!(titles, ["t", "t (2)"]);
        assert_eq!(
            labelled(&imported.documents[1]),
            pairs(&[("Place", "Paris")])
        );
        // One text cannot hold two documents.
        let p = problems(parse(&file, &ctx(&schema, Some("Kerry spoke."))));
        assert!(p[0].message.contains("more than one document"), "{p:?}");
    }
}

#[test]
fn reports_each_problem_with_its_line() {
    let schema = Schema::default();
    let file = "Kerry\tB-PER\nsaid\nno\tX-ORG\nin\tO\nParis\tB-\n";
    let p = problems(parse_iob2(file, &ctx(&schema, None)));
    let at: Vec<_> = p.iter().map(|p| p.at.as_str()).collect();
    assert_eq!(at, ["line 2", "line 3", "line 5"], "{p:?}");
    assert!(p[1].message.contains("\"X-ORG\""));

    let p = problems(parse_conll("EU NNP B-ORG\n", &ctx(&schema, None)));
    assert_eq!(p[0].at, "line 1");
    assert!(p[0].message.contains("four columns"));

    let file = "Kerry\tB-PER\nsaid\tO\nno\tO\n";
    let p = problems(parse_iob2(file, &ctx(&schema, Some("Kerry  said yes"))));
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].at, "line 3");
    assert!(p[0].message.contains("code point 12"), "{}", p[0].message);
    let p = problems(parse_iob2(file, &ctx(&schema, Some("Kerry said no more"))));
    assert!(p[0].message.contains("goes on"), "{}", p[0].message);

    let p = problems(parse_iob2("\n\n", &ctx(&schema, None)));
    assert_eq!(p[0].at, "file");
}

#[test]
fn tokens_of_only_white_space_are_skipped() {
    let schema = Schema::default();
    let file = "\u{feff}Kerry\tB-PER\n\u{a0}\tO\nspoke\tO\n";
    let imported = parse_iob2(file, &ctx(&schema, None)).unwrap();
    assert_eq!(imported.documents[0].document.text, "Kerry spoke");
    assert_eq!(labelled(&imported.documents[0]), pairs(&[("PER", "Kerry")]));
}

#[test]
fn aligning_onto_a_long_text_keeps_every_token() {
    // Aligning counted the code points of the whole rest of the text at every token: a
    // 50,000-token file took minutes. Now each token costs its own length; how long this
    // takes is measured by `make bench` (benches/core.rs), not asserted here.
    let words = 50_000;
    let text = "wörd ".repeat(words);
    let file = "wörd\tO\n".repeat(words);
    let schema = Schema::default();
    let imported = parse_iob2(&file, &ctx(&schema, Some(&text))).unwrap();
    assert_eq!(imported.documents[0].document.text, text);
}

#[cfg(not(target_arch = "wasm32"))]
mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn writing_then_reading_keeps_spans(a in 0usize..40, b in 0usize..40, c in 0usize..40, d in 0usize..40) {
            let text = "Kerry said:\n\"no\" — in Paris, 😀 東京-Zürich.";
            let mut doc = AnnotatedDocument::new(Document::new("t", text));
            for (x, y, label) in [(a, b, "actor"), (c, d, "place"), (a, d, "claim")] {
                let (x, y) = (x.min(y), x.max(y));
                if spanmark_core::snap::check_range(text, x, y).is_ok() {
                    let _ = doc.apply(Action::AddSpan { start: x, end: y, label: label.into() });
                }
            }
            let schema = Schema::default();
            let back = parse_iob2(&write_iob2(std::slice::from_ref(&doc)), &ctx(&schema, Some(text)));
            match back {
                Ok(imported) => prop_assert_eq!(view(&imported.documents[0]), view(&doc)),
                // A document without spans still has tokens, so it always reads back.
                Err(e) => prop_assert!(false, "{e}"),
            }
        }
    }
}
