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

/// Warnings as `(at, message)`.
fn warnings(imported: &Imported) -> Vec<(String, String)> {
    imported
        .warnings
        .iter()
        .map(|w| (w.at.clone(), w.message.clone()))
        .collect()
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
    // IOB1 is read as it is, without a warning; the part-of-speech and chunk columns are not
    // kept, which one warning says.
    assert_eq!(
        warnings(&imported),
        [(
            "line 3".to_owned(),
            "the part-of-speech and chunk columns (the second and third) are not kept".to_owned()
        )]
    );
    assert_eq!(imported.read, 7);
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
    let docs = std::slice::from_ref(d);
    for (file, parse) in [
        (
            write_conll(docs),
            parse_conll as fn(&str, &Context) -> Result<Imported, FormatError>,
        ),
        (write_iob2(docs), parse_iob2),
        (write_conll_with(docs, Scheme::Bioes), parse_conll),
        (write_iob2_with(docs, Scheme::Bioes), parse_iob2),
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
    let file = "Kerry\tPER\nin\tb-loc\nParis\tE\n";
    let p = problems(parse_iob2(file, &ctx(&schema, None)));
    let at: Vec<_> = p.iter().map(|p| p.at.as_str()).collect();
    assert_eq!(at, ["line 1", "line 2", "line 3"], "{p:?}");

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
fn tokens_of_only_white_space_stand_for_no_text_but_their_tags_are_read() {
    let schema = Schema::default();
    let file = "\u{feff}Kerry\tB-PER\n\u{a0}\tO\nspoke\tO\n\u{a0}\n";
    let imported = parse_iob2(file, &ctx(&schema, None)).unwrap();
    assert_eq!(imported.documents[0].document.text, "Kerry spoke");
    assert_eq!(labelled(&imported.documents[0]), pairs(&[("PER", "Kerry")]));

    // An entity that begins on one goes on; one that has only such tokens is named.
    let file = "Merkel\tB-PER\nin\tO\n\u{3000}\tB-LOC\nParis\tI-LOC\n\n\u{a0}\tB-ORG\nok\tO\n";
    let text = "Merkel in\u{3000}Paris\n\u{a0}ok";
    for given in [None, Some(text)] {
        let imported = parse_iob2(file, &ctx(&schema, given)).unwrap();
        let doc = &imported.documents[0];
        assert_eq!(labelled(doc), pairs(&[("PER", "Merkel"), ("LOC", "Paris")]));
        let skipped: Vec<_> = imported.warnings.iter().filter(|w| w.skipped).collect();
        assert_eq!(imported.warnings.len(), 1, "{:?}", imported.warnings);
        assert_eq!(skipped[0].at, "line 6");
        assert_eq!(
            skipped[0].message,
            "the ORG entity tags only tokens of white space"
        );
        assert_eq!(imported.read, 2);
    }
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

/// The tokens of [`scheme_file`]: two people, two adjacent places, an organisation.
const SCHEME_TOKENS: [&str; 16] = [
    "Angela", "Merkel", "met", "Emmanuel", "Macron", "about", "the", "Paris", "Berlin", "axis",
    "at", "the", "European", "Central", "Bank", ".",
];

/// [`SCHEME_TOKENS`] tagged with `tags` (one a token), as IOB2 lines.
fn scheme_file(tags: &str) -> String {
    let tags: Vec<&str> = tags.split(' ').collect();
    assert_eq!(tags.len(), SCHEME_TOKENS.len());
    SCHEME_TOKENS
        .iter()
        .zip(tags)
        .map(|(token, tag)| format!("{token}\t{tag}\n"))
        .collect()
}

#[test]
fn every_scheme_is_read_exactly_and_without_a_warning() {
    let schema = Schema::default();
    let expected = [
        (0, 13, "PER".to_owned(), "Angela Merkel".to_owned()),
        (18, 33, "PER".to_owned(), "Emmanuel Macron".to_owned()),
        (44, 49, "LOC".to_owned(), "Paris".to_owned()),
        (50, 56, "LOC".to_owned(), "Berlin".to_owned()),
        (69, 90, "ORG".to_owned(), "European Central Bank".to_owned()),
    ];
    for (scheme, tags) in [
        (
            "IOB1",
            "I-PER I-PER O I-PER I-PER O O I-LOC B-LOC O O O I-ORG I-ORG I-ORG O",
        ),
        (
            "IOB2",
            "B-PER I-PER O B-PER I-PER O O B-LOC B-LOC O O O B-ORG I-ORG I-ORG O",
        ),
        (
            "BIOES",
            "B-PER E-PER O B-PER E-PER O O S-LOC S-LOC O O O B-ORG I-ORG E-ORG O",
        ),
        (
            "BILOU",
            "B-PER L-PER O B-PER L-PER O O U-LOC U-LOC O O O B-ORG I-ORG L-ORG O",
        ),
    ] {
        let file = scheme_file(tags);
        let imported = parse_iob2(&file, &ctx(&schema, None)).unwrap();
        let doc = &imported.documents[0];
        assert_eq!(view(doc), expected, "{scheme}");
        assert!(
            imported.warnings.is_empty(),
            "{scheme}: {:?}",
            imported.warnings
        );
        assert_eq!(imported.read, 5, "{scheme}");
        // Laid onto the text, the same.
        let text = "Angela Merkel met Emmanuel Macron about the Paris Berlin axis at the European Central Bank.";
        let imported = parse_iob2(&file, &ctx(&schema, Some(text))).unwrap();
        assert_eq!(view(&imported.documents[0]), expected, "{scheme}");
        // And in CoNLL columns.
        let conll: String = file.replace('\t', " NNP I-NP ");
        let imported = parse_conll(&conll, &ctx(&schema, None)).unwrap();
        assert_eq!(view(&imported.documents[0]), expected, "{scheme}");
    }
}

#[test]
fn bioes_and_bilou_tags_are_read_not_refused() {
    // `S-`, `E-`, `U-` and `L-` were problems ("neither O nor B- or I-"): files of flair,
    // spaCy's BILUO and many taggers could not be opened.
    let schema = Schema::default();
    for (file, name) in [
        ("Merkel S-PER\nvisited O\nNew B-LOC\nYork E-LOC\n", "BIOES"),
        ("Merkel U-PER\nvisited O\nNew B-LOC\nYork L-LOC\n", "BILOU"),
    ] {
        for read in [parse_iob2, parse_conll] {
            let imported = read(file, &ctx(&schema, None)).unwrap();
            assert_eq!(
                labelled(&imported.documents[0]),
                pairs(&[("PER", "Merkel"), ("LOC", "New York")]),
                "{name}"
            );
            assert!(
                imported.warnings.is_empty(),
                "{name}: {:?}",
                imported.warnings
            );
        }
    }
}

#[test]
fn an_inconsistent_iob2_sequence_is_read_and_named_with_its_line() {
    let schema = Schema::default();
    let file = "In\tO\nParis\tB-LOC\nMacron\tI-PER\nspoke\tO\n.\tO\n";
    let imported = parse_iob2(file, &ctx(&schema, None)).unwrap();
    assert_eq!(
        labelled(&imported.documents[0]),
        pairs(&[("LOC", "Paris"), ("PER", "Macron")])
    );
    assert_eq!(
        warnings(&imported),
        [(
            "line 3".to_owned(),
            "I-PER follows B-LOC and continues no PER entity: read as the start of one".to_owned()
        )]
    );
    assert_eq!(imported.read, 2);

    // IOB1 (I- starting entities) in a file that also starts them with B- after O: the I-
    // tags are named, all in one warning.
    let file = "Bonn\tI-LOC\nand\tO\nBerlin\tB-LOC\n\nKohl\tI-PER\n";
    let imported = parse_iob2(file, &ctx(&schema, None)).unwrap();
    assert_eq!(
        labelled(&imported.documents[0]),
        pairs(&[("LOC", "Bonn"), ("LOC", "Berlin"), ("PER", "Kohl")])
    );
    assert_eq!(
        warnings(&imported),
        [(
            "line 1".to_owned(),
            "I-LOC begins its sentence and continues no LOC entity: read as the start of one; \
             1 more such tag in this document, read the same way (line 5)"
                .to_owned()
        )]
    );
}

#[test]
fn inconsistent_bioes_sequences_are_read_and_named_with_their_lines() {
    let schema = Schema::default();
    let file = "Merkel\tB-PER\n\
                met\tO\n\
                Emmanuel\tI-PER\n\
                Macron\tE-PER\n\
                in\tO\n\
                Paris\tE-LOC\n\
                and\tO\n\
                the\tB-ORG\n\
                European\tI-ORG\n\
                Union\tI-ORG\n\
                .\tO\n";
    let imported = parse_iob2(file, &ctx(&schema, None)).unwrap();
    assert_eq!(
        labelled(&imported.documents[0]),
        pairs(&[
            ("PER", "Merkel"),
            ("PER", "Emmanuel Macron"),
            ("LOC", "Paris"),
            ("ORG", "the European Union"),
        ])
    );
    let w = |at: &str, m: &str| (at.to_owned(), m.to_owned());
    assert_eq!(
        warnings(&imported),
        [
            w(
                "line 1",
                "B-PER is a PER entity of one token, which this scheme tags S-PER: read as that \
                 entity"
            ),
            w(
                "line 3",
                "I-PER follows O and continues no PER entity: read as the start of one"
            ),
            w(
                "line 6",
                "E-LOC follows O and ends no LOC entity: read as an entity of that one token"
            ),
            w(
                "line 8",
                "the ORG entity begun by B-ORG has no E-ORG at its end: read as ending at line 10"
            ),
        ]
    );
    assert_eq!(imported.read, 4);

    // The message of an entity of several tokens left open, in BILOU.
    let file = "the\tB-ORG\nUnion\tI-ORG\n.\tO\nMerkel\tU-PER\n";
    let imported = parse_iob2(file, &ctx(&schema, None)).unwrap();
    assert_eq!(
        warnings(&imported),
        [w(
            "line 1",
            "the ORG entity begun by B-ORG has no L-ORG at its end: read as ending at line 2"
        )]
    );

    // An entity is cut at a sentence's end, whatever its tags say.
    let file = "New\tB-LOC\n\nYork\tE-LOC\n";
    let imported = parse_iob2(file, &ctx(&schema, None)).unwrap();
    assert_eq!(
        labelled(&imported.documents[0]),
        pairs(&[("LOC", "New"), ("LOC", "York")])
    );
    assert_eq!(imported.warnings.len(), 2, "{:?}", imported.warnings);
}

#[test]
fn a_file_mixing_bioes_and_bilou_is_read_with_a_warning() {
    let schema = Schema::default();
    let file = "Merkel\tS-PER\nmet\tO\nMacron\tU-PER\nin\tO\nNew\tB-LOC\nYork\tL-LOC\n";
    let imported = parse_iob2(file, &ctx(&schema, None)).unwrap();
    assert_eq!(
        labelled(&imported.documents[0]),
        pairs(&[("PER", "Merkel"), ("PER", "Macron"), ("LOC", "New York")])
    );
    assert_eq!(
        warnings(&imported),
        [(
            "line 3".to_owned(),
            "the file mixes BIOES tags (E-, S-; first at line 1) and BILOU tags (L-, U-; first \
             at line 3): both are read, E- as L- and S- as U-"
                .to_owned()
        )]
    );
}

#[test]
fn a_long_run_of_odd_tags_is_one_warning_listing_its_lines() {
    let schema = Schema::default();
    let mut file = String::from("Paris\tB-LOC\n");
    for _ in 0..12 {
        file.push_str("and\tO\nBerlin\tI-LOC\n");
    }
    let imported = parse_iob2(&file, &ctx(&schema, None)).unwrap();
    assert_eq!(imported.read, 13);
    let w = warnings(&imported);
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].0, "line 3");
    assert!(
        w[0].1.ends_with(
            "; 11 more such tags in this document, read the same way \
             (lines 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, …)"
        ),
        "{}",
        w[0].1
    );
}

#[test]
fn a_two_column_conll_file_is_read_as_token_and_tag() {
    let schema = Schema::default();
    let file = "-DOCSTART- O\n\nMerkel S-PER\nspoke O\n";
    let imported = parse_conll(file, &ctx(&schema, None)).unwrap();
    assert_eq!(
        labelled(&imported.documents[0]),
        pairs(&[("PER", "Merkel")])
    );
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    // A line of two columns among lines of four is still a problem.
    let file = "Merkel NNP I-NP B-PER\nspoke O\n";
    let p = problems(parse_conll(file, &ctx(&schema, None)));
    assert_eq!(p[0].at, "line 2");
    assert!(p[0].message.contains("four columns"), "{}", p[0].message);
}

#[test]
fn writes_bioes_when_asked() {
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
                    Kerry _ _ B-Claim S-Actor\n\
                    met _ _ I-Claim O\n\
                    Lavrov _ _ I-Claim S-Actor\n\
                    in _ _ I-Claim O\n\
                    St _ _ I-Claim B-Place\n\
                    Petersburg _ _ E-Claim E-Place\n\
                    . _ _ O O\n\
                    \n\
                    He _ _ O O\n\
                    left _ _ O O\n\
                    . _ _ O O\n\
                    \n";
    let docs = std::slice::from_ref(&d);
    assert_eq!(write_conll_with(docs, Scheme::Bioes), expected);
    assert_eq!(write_conll_with(docs, Scheme::Iob2), write_conll(docs));
    assert_eq!(write_iob2_with(docs, Scheme::Iob2), write_iob2(docs));
    let iob = write_iob2_with(docs, Scheme::Bioes);
    assert!(
        iob.starts_with("Kerry\tB-Claim\tS-Actor\nmet\tI-Claim\tO\n"),
        "{iob}"
    );
    let schema = Schema::default();
    let back = parse_conll(expected, &ctx(&schema, Some(&d.document.text))).unwrap();
    assert_eq!(view(&back.documents[0]), view(&d));
    assert!(back.warnings.is_empty(), "{:?}", back.warnings);
}

#[test]
fn schemes_are_named_by_their_ids() {
    assert_eq!(Scheme::from_id("iob2"), Some(Scheme::Iob2));
    assert_eq!(Scheme::from_id(" BIOES "), Some(Scheme::Bioes));
    assert_eq!(Scheme::from_id("iobes"), Some(Scheme::Bioes));
    assert_eq!(Scheme::from_id("bilou"), None);
    assert_eq!(Scheme::default(), Scheme::Iob2);
    for s in Scheme::ALL {
        assert_eq!(Scheme::from_id(s.id()), Some(s));
    }
}

#[test]
fn several_documents_round_trip_in_bioes() {
    let a = annotated("Kerry spoke.", &[("Kerry", "actor")]);
    let b = annotated("Lavrov in St Petersburg.", &[("St Petersburg", "place")]);
    let docs = [a, b];
    let schema = Schema::default();
    for (file, parse) in [
        (
            write_conll_with(&docs, Scheme::Bioes),
            parse_conll as fn(&str, &Context) -> Result<Imported, FormatError>,
        ),
        (write_iob2_with(&docs, Scheme::Bioes), parse_iob2),
    ] {
        let imported = parse(&file, &ctx(&schema, None)).unwrap();
        assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
        assert_eq!(
            labelled(&imported.documents[0]),
            pairs(&[("Actor", "Kerry")])
        );
        assert_eq!(
            labelled(&imported.documents[1]),
            pairs(&[("Place", "St Petersburg")])
        );
    }
}

#[test]
fn mixed_case_hyphenated_and_non_ascii_label_names_survive_writing_and_reading() {
    let text = "Dr Angela Merkel of the CDU met 東京都庁 staff, e-mail: x@y.de";
    let names = [
        ("Angela Merkel", "Person-Name"),
        ("CDU", "politicalParty"),
        ("東京都庁", "組織"),
        ("x@y.de", "E-Mail"),
        ("Dr Angela Merkel", "B-Title"),
    ];
    let mut schema = Schema {
        labels: Vec::new(),
        relation_types: Vec::new(),
    };
    let mut doc = AnnotatedDocument::new(Document::new("t", text));
    let mut ids = Vec::new();
    for (_, name) in names {
        let (s, id) = schema.with_label_added(name).unwrap();
        schema = s;
        ids.push(id);
    }
    doc.schema = schema;
    for ((phrase, _), id) in names.iter().zip(&ids) {
        let b = text.find(phrase).unwrap();
        let start = text[..b].chars().count();
        doc.apply(Action::AddSpan {
            start,
            end: start + phrase.chars().count(),
            label: id.clone(),
        })
        .unwrap();
    }
    let empty = Schema {
        labels: Vec::new(),
        relation_types: Vec::new(),
    };
    let docs = std::slice::from_ref(&doc);
    for scheme in Scheme::ALL {
        for (file, parse) in [
            (
                write_conll_with(docs, scheme),
                parse_conll as fn(&str, &Context) -> Result<Imported, FormatError>,
            ),
            (write_iob2_with(docs, scheme), parse_iob2),
        ] {
            for given in [None, Some(text)] {
                let back = parse(&file, &ctx(&empty, given)).unwrap();
                assert!(back.warnings.is_empty(), "{:?}", back.warnings);
                let back = &back.documents[0];
                let names = |d: &AnnotatedDocument| {
                    let mut n: Vec<String> = view(d).into_iter().map(|(_, _, l, _)| l).collect();
                    n.sort();
                    n
                };
                assert_eq!(names(back), names(&doc), "{scheme:?}\n{file}");
                if given.is_some() {
                    // Rebuilt from tokens, a text has spaces between them ("x @ y.de").
                    assert_eq!(view(back), view(&doc), "{scheme:?}");
                }
            }
        }
    }
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
            for scheme in Scheme::ALL {
                let file = write_iob2_with(std::slice::from_ref(&doc), scheme);
                match parse_iob2(&file, &ctx(&schema, Some(text))) {
                    Ok(imported) => {
                        prop_assert_eq!(view(&imported.documents[0]), view(&doc));
                        prop_assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
                    }
                    // A document without spans still has tokens, so it always reads back.
                    Err(e) => prop_assert!(false, "{e}"),
                }
            }
        }
    }
}
