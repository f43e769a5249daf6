use super::*;
use crate::testing::{self, problems};
use spanmark_core::offsets::slice_cp;
use spanmark_core::{Action, Document, NoteTarget, Schema};
use spanmark_testkit::{annotated, article, check_round_trip, relations_by, stress, Kept, STRESS};

const EXAMPLE_TXT: &str =
    include_str!("../../../../tests/fixtures/formats/brat/standoff-example.txt");
const EXAMPLE_ANN: &str =
    include_str!("../../../../tests/fixtures/formats/brat/standoff-example.ann");
const UNICODE_TXT: &str = include_str!("../../../../tests/fixtures/formats/brat/unicode.txt");
const UNICODE_ANN: &str = include_str!("../../../../tests/fixtures/formats/brat/unicode.ann");

/// The span with this text.
fn id_of(d: &AnnotatedDocument, text: &str) -> String {
    d.spans()
        .iter()
        .find(|s| s.text == text)
        .map(|s| s.id.clone())
        .expect("span with that text")
}

fn relate(d: &mut AnnotatedDocument, kind: &str, from: &str, to: &str) {
    let (from, to) = (id_of(d, from), id_of(d, to));
    d.apply(Action::AddRelation {
        kind: kind.into(),
        from,
        to,
    })
    .expect("valid relation");
}

fn note(d: &mut AnnotatedDocument, on: &str, note: &str) {
    let id = id_of(d, on);
    d.apply(Action::SetNote {
        target: NoteTarget::Span(id),
        note: Some(note.into()),
    })
    .expect("note");
}

type SpanView = (usize, usize, String, String, Option<String>);
type RelationView = (String, (usize, usize), (usize, usize));

/// Spans and relations without their ids (ids are renumbered by a round trip).
fn view(d: &AnnotatedDocument) -> (Vec<SpanView>, Vec<RelationView>) {
    let relations = relations_by(d, |s| (s.start, s.end));
    let spans = d
        .spans()
        .iter()
        .map(|s| {
            let label = d.schema.label(&s.label).map(|l| l.name.clone());
            (
                s.start,
                s.end,
                label.unwrap_or_default(),
                s.text.clone(),
                s.note.clone(),
            )
        })
        .collect();
    (spans, relations)
}

fn ctx<'a>(schema: &'a Schema, text: &'a str) -> Context<'a> {
    testing::ctx("t", schema, Some(text))
}

/// The document, the schema, spans, relations and notes come back (the text from beside it).
fn round_trip(d: &AnnotatedDocument) {
    let read = parse(&write(d), &ctx(&Schema::default(), &d.document.text));
    let kept = Kept::DOCUMENT | Kept::SCHEMA | Kept::RELATIONS | Kept::NOTES;
    check_round_trip(d, read.map(|r| (r.documents, r.warnings)), kept);
}

#[test]
fn reads_the_example_of_brats_documentation() {
    let schema = Schema::default();
    let imported = parse(EXAMPLE_ANN, &ctx(&schema, EXAMPLE_TXT)).unwrap();
    let [doc] = imported.documents.as_slice() else {
        panic!("one document");
    };
    let (spans, relations) = view(doc);
    let spans: Vec<_> = spans
        .iter()
        .map(|(s, e, l, t, n)| (*s, *e, l.as_str(), t.as_str(), n.as_deref()))
        .collect();
    assert_eq!(
        spans,
        [
            (
                0,
                4,
                "Organization",
                "Sony",
                Some("this annotation is suspect")
            ),
            (14, 27, "MERGE-ORG", "joint venture", None),
            (33, 41, "Organization", "Ericsson", None),
            (75, 81, "Country", "Sweden", None),
        ]
    );
    let origin = doc
        .schema
        .relation_types
        .iter()
        .find(|r| r.name == "Origin")
        .unwrap();
    assert_eq!(relations, [(origin.id.clone(), (33, 41), (75, 81))]);
    doc.schema.check().unwrap();
    // The event and the attribute on it are reported, not kept.
    let at: Vec<_> = imported.warnings.iter().map(|w| w.at.as_str()).collect();
    assert_eq!(at, ["line 4", "line 7"], "{:?}", imported.warnings);
    assert!(imported.warnings[0]
        .message
        .contains("event E1 (MERGE-ORG)"));
    assert!(imported.warnings[1].message.contains("an event"));
    // Both are items not read, and say so; four spans, a relation and a note were read.
    assert!(imported.warnings.iter().all(|w| w.skipped));
    assert_eq!(imported.read, 6);
}

#[test]
fn reads_code_point_offsets_over_astral_characters_and_crlf() {
    let schema = Schema::default();
    let imported = parse(UNICODE_ANN, &ctx(&schema, UNICODE_TXT)).unwrap();
    let [doc] = imported.documents.as_slice() else {
        panic!("one document");
    };
    for s in doc.spans() {
        assert_eq!(slice_cp(UNICODE_TXT, s.start, s.end), Some(s.text.as_str()));
    }
    let texts: Vec<_> = doc.spans().iter().map(|s| s.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Мэр",
            "𝔘𝔫𝔦",
            "🇺🇸",
            "👩\u{200d}👩\u{200d}👧",
            "東京",
            // T8: two fragments around a CRLF, read back as one span.
            "On\r\nline 𠜎",
            "𠜎",
            "Zürich",
        ]
    );
    let math = doc.span(&id_of(doc, "𝔘𝔫𝔦")).unwrap();
    assert_eq!(math.note.as_deref(), Some("Confidence: High"));
    let flag = doc.span(&id_of(doc, "🇺🇸")).unwrap();
    assert!(flag.note.as_deref().unwrap().starts_with("flag emoji"));
    assert_eq!(doc.relations.len(), 1);
    assert_eq!(doc.relations[0].kind, "located_in");
    // Only the attribute is worth a warning.
    assert_eq!(imported.warnings.len(), 1, "{:?}", imported.warnings);
    assert_eq!(imported.warnings[0].at, "line 10");
}

#[test]
fn writes_ids_in_span_order_and_fragments_around_line_breaks() {
    let mut d = annotated(
        "Kerry said:\n  no talks\nin Paris.",
        &[
            ("Paris", "place"),
            ("Kerry", "actor"),
            ("no talks\nin Paris", "denial"),
        ],
    );
    relate(&mut d, "said_by", "no talks\nin Paris", "Kerry");
    note(&mut d, "Kerry", "US Secretary of State\nat the time");
    let expected = "T1\tActor 0 5\tKerry\n\
                    T2\tDenial 14 22;23 31\tno talks in Paris\n\
                    T3\tPlace 26 31\tParis\n\
                    R1\tsaid_by Arg1:T2 Arg2:T1\n\
                    #1\tAnnotatorNotes T1\tUS Secretary of State at the time\n";
    assert_eq!(write(&d), expected);
    let schema = Schema::default();
    let back = parse(expected, &ctx(&schema, &d.document.text)).unwrap();
    let mut d2 = d.clone();
    note(&mut d2, "Kerry", "US Secretary of State at the time");
    assert_eq!(view(&back.documents[0]), view(&d2));
}

#[test]
fn label_names_with_spaces_become_bare_names_and_read_back() {
    let (schema, id) = Schema::default().with_label_added("Head of state").unwrap();
    let mut d = AnnotatedDocument::new(Document::new("t", "President Putin spoke"));
    d.schema = schema.clone();
    d.apply(Action::AddSpan {
        start: 10,
        end: 15,
        label: id,
    })
    .unwrap();
    let ann = write(&d);
    assert_eq!(ann, "T1\tHead_of_state 10 15\tPutin\n");
    let back = parse(&ann, &ctx(&schema, &d.document.text)).unwrap();
    assert_eq!(back.documents[0].schema, schema);
    assert_eq!(view(&back.documents[0]), view(&d));
}

#[test]
fn round_trips_the_default_article_with_nested_spans_relations_and_notes() {
    let mut d = article(&[
        ("John Kerry, who denied", "denial"),
        ("John Kerry", "actor"),
        // Across a paragraph break: written as two fragments.
        ("again.?\"\n\nMeanwhile", "claim"),
    ]);
    relate(
        &mut d,
        "said_by",
        "Sergey Lavrov on 16 June at an economic Forum in St Petersburg",
        "Sergey Lavrov",
    );
    relate(&mut d, "said_by", "John Kerry, who denied", "John Kerry");
    relate(
        &mut d,
        "located_in",
        "Sergey Lavrov on 16 June at an economic Forum in St Petersburg",
        "St Petersburg",
    );
    note(&mut d, "Sergey Lavrov", "foreign minister");
    assert!(write(&d).contains(";"));
    round_trip(&d);
}

#[test]
fn round_trips_unicode_with_code_point_offsets() {
    let mut d = stress(&[
        ("Zürich", "place"),
        ("𝔘𝔫𝔦", "place"),
        // Across a CRLF.
        ("opposite.\r\nThe café", "claim"),
    ]);
    assert!(STRESS.contains("\r\n"));
    relate(
        &mut d,
        "said_by",
        "Сергей Лавров told reporters",
        "Сергей Лавров",
    );
    note(&mut d, "東京", "Tokyo — 東京 𠜎");
    let ann = write(&d);
    // Every written offset pair holds the text written next to it.
    for line in ann.lines().filter(|l| l.starts_with('T')) {
        let fields: Vec<&str> = line.split('\t').collect();
        let offsets = fields[1].split_once(' ').unwrap().1;
        let pieces: Vec<&str> = offsets
            .split(';')
            .map(|f| {
                let (a, b) = f.split_once(' ').unwrap();
                slice_cp(STRESS, a.parse().unwrap(), b.parse().unwrap()).unwrap()
            })
            .collect();
        assert_eq!(pieces.join(" "), fields[2]);
    }
    round_trip(&d);
}

#[test]
fn other_discontinuous_annotations_become_one_span_per_fragment() {
    let text = "New and old York";
    let ann = "T1\tPlace 0 3;12 16\tNew York\nT2\tActor 8 11\told\nR1\tlocated_in Arg1:T2 Arg2:T1\n#1\tAnnotatorNotes T1\ttwo parts\n";
    let schema = Schema::default();
    let imported = parse(ann, &ctx(&schema, text)).unwrap();
    let doc = &imported.documents[0];
    let (spans, relations) = view(doc);
    assert_eq!(
        spans,
        [
            (0, 3, "Place".into(), "New".into(), Some("two parts".into())),
            (8, 11, "Actor".into(), "old".into(), None),
            (12, 16, "Place".into(), "York".into(), None),
        ]
    );
    assert_eq!(relations, [("located_in".into(), (8, 11), (0, 3))]);
    assert_eq!(imported.warnings.len(), 1);
    assert_eq!(imported.warnings[0].at, "line 1");
    assert!(imported.warnings[0].message.contains("discontinuous"));
}

#[test]
fn reports_each_problem_with_its_line() {
    let schema = Schema::default();
    let text = "Kerry denied it in Paris.";
    let ann = "T1\tActor 0 5\tKerry\n\
               \n\
               T2 Place 19 24 Paris\n\
               T3\tPlace 19 24\tParis\n\
               T4\tPlace 19 99\tParis\n\
               T5\tPlace 1 6\tKerry\n\
               T6\tPlace x 6\tKerry\n\
               R1\tsaid_by Arg1:T9 Arg2:T1\n\
               A1\tNegated T8\n\
               #1\tAnnotatorNotes T7\tnote\n\
               T3\tActor 0 5\tKerry\n\
               X1\tfoo\n\
               R2\tsaid_by T1\n";
    let found = problems(parse(ann, &ctx(&schema, text)));
    let at: Vec<_> = found.iter().map(|p| p.at.as_str()).collect();
    assert_eq!(
        at,
        [
            "line 3", "line 5", "line 6", "line 7", "line 11", "line 12", "line 8", "line 9",
            "line 10", "line 13"
        ],
        "{found:#?}"
    );
    assert!(found[0].message.contains("tab"));
    assert!(found[1]
        .message
        .contains("outside the text (25 code points)"));
    assert!(found[2].message.contains("\"erry \""));
    assert!(found[4].message.contains("used twice (first on line 4)"));
    assert!(found[6]
        .message
        .contains("T9, which the file does not define"));
}

#[test]
fn needs_the_text() {
    let schema = Schema::default();
    let no_text = Context {
        title: "t",
        schema: &schema,
        text: None,
        strict: false,
        label_names: None,
    };
    let found = problems(parse(EXAMPLE_ANN, &no_text));
    assert_eq!(found[0].at, "file");
}

#[test]
fn unsupported_kinds_are_warnings() {
    let schema = Schema::default();
    let text = "Obama and Barack Obama";
    let ann = "T1\tActor 0 5\tObama\r\n\
               T2\tActor 10 22\tBarack Obama\r\n\
               N1\tReference T2 Wikipedia:534366\tBarack Obama\r\n\
               *\tEquiv T1 T2\r\n\
               M1\tSpeculation T1\r\n";
    let imported = parse(ann, &ctx(&schema, text)).unwrap();
    assert_eq!(imported.warnings.len(), 3, "{:?}", imported.warnings);
    let obama = imported.documents[0].spans()[0].clone();
    assert_eq!(obama.note.as_deref(), Some("Speculation"));
    // The normalization and the equivalence are skipped, each named; the attribute is read
    // into the note, with a warning that says where.
    let warnings: Vec<_> = imported
        .warnings
        .iter()
        .map(|w| (w.at.as_str(), w.skipped))
        .collect();
    assert_eq!(
        warnings,
        [("line 3", true), ("line 4", true), ("line 5", false)]
    );
    assert!(imported.warnings[0]
        .message
        .contains("normalization N1 (T2 → Wikipedia:534366)"));
    assert!(imported.warnings[1]
        .message
        .contains("the equivalence of T1, T2"));
    assert_eq!(imported.read, 3);
}

#[test]
fn what_refers_to_an_unread_span_and_empty_notes_are_skipped_not_dropped() {
    let schema = Schema::default();
    let text = "Kerry met Lavrov in  Geneva.";
    // T3 covers only white space: skipped; what refers to it is skipped too, each named.
    let ann = "T1\tActor 0 5\tKerry\n\
               T2\tActor 10 16\tLavrov\n\
               T3\tPlace 19 20\t \n\
               R1\tmet Arg1:T1 Arg2:T2\n\
               R2\tlocated_in Arg1:T1 Arg2:T3\n\
               #1\tAnnotatorNotes T3\tthe venue\n\
               #2\tAnnotatorNotes T2\t \n\
               A1\tNegated T3\n\
               E1\tMeet:T1 Who:T2\n\
               R3\tfollows Arg1:E1 Arg2:T2\n";
    let imported = parse(ann, &ctx(&schema, text)).unwrap();
    let warnings: Vec<_> = imported
        .warnings
        .iter()
        .map(|w| (w.at.as_str(), w.skipped))
        .collect();
    assert_eq!(
        warnings,
        [
            ("line 3", true),
            ("line 5", true),
            ("line 6", true),
            ("line 7", true),
            ("line 8", true),
            ("line 9", true),
            ("line 10", true)
        ],
        "{:?}",
        imported.warnings
    );
    assert!(imported.warnings[1]
        .message
        .contains("R2 (located_in) links T3, which was not read"));
    assert!(imported.warnings[3].message.contains("empty"));
    assert!(imported.warnings[6].message.contains("an event"));
    // Two spans and one relation read: every line accounted for.
    assert_eq!(imported.read, 3);
    assert_eq!(imported.read + imported.warnings.len(), 10);
}
