use super::*;
use crate::testing;
use crate::Problem;
use spanmark_core::{Action, Document, Schema};
use spanmark_testkit::{annotated, article, check_round_trip, stress, Kept, STRESS};

const TRAINING: &str = include_str!("../../../../tests/fixtures/formats/spacy/training.json");
const WRITTEN: &str = include_str!("../../../../tests/fixtures/formats/spacy/written.json");

fn ctx(schema: &Schema) -> Context<'_> {
    testing::ctx("train", schema, None)
}

#[test]
fn reads_pairs_objects_and_span_groups() {
    let schema = Schema::default();
    let read = parse(TRAINING, &ctx(&schema)).unwrap();
    let titles: Vec<_> = read
        .documents
        .iter()
        .map(|d| d.document.title.as_str())
        .collect();
    assert_eq!(titles, ["train", "train (2)", "train (3)"]);
    let spans = |i: usize| -> Vec<(usize, usize, String)> {
        let d = &read.documents[i];
        d.spans()
            .iter()
            .map(|s| {
                (
                    s.start,
                    s.end,
                    d.schema.label(&s.label).unwrap().name.clone(),
                )
            })
            .collect()
    };
    assert_eq!(spans(0), [(7, 17, "PERSON".into())]);
    // Entities and the span group share one span; the nested ones come from "sc".
    assert_eq!(
        spans(1),
        [
            (0, 55, "Claim".into()),
            (0, 13, "Actor".into()),
            (19, 55, "Claim".into()),
            (35, 41, "Place".into())
        ]
    );
    assert_eq!(spans(2), [(0, 2, "Place".into())]);
    assert_eq!(
        read.warnings,
        [Problem::skipped(
            "[0].cats.news",
            "the document category \"news\" (score 1.0) is not kept: Spanmark labels spans of \
             the text, not whole documents"
        )]
    );
    assert_eq!(read.read, 6);
}

#[test]
fn writes_non_overlapping_entities_and_all_spans() {
    let d = annotated(
        "Sergey Lavrov spoke in St Petersburg.",
        &[
            ("Sergey Lavrov spoke in St Petersburg", "claim"),
            ("Sergey Lavrov", "actor"),
            ("St Petersburg", "place"),
        ],
    );
    let e = annotated("東京 is quiet", &[("東京", "place")]);
    assert_eq!(write(&[d, e]), WRITTEN);
    assert_eq!(write(&[]), "[]\n");
}

/// Spans and the text come back; relations and notes do not.
fn round_trip(d: &AnnotatedDocument) {
    let read = parse(&write(std::slice::from_ref(d)), &ctx(&Schema::default()));
    let kept = Kept::TEXT;
    check_round_trip(d, read.map(|r| (r.documents, r.warnings)), kept);
}

#[test]
fn round_trips_the_default_article_with_nested_spans() {
    let d = article(&[("John Kerry", "actor")]);
    round_trip(&d);
}

#[test]
fn round_trips_unicode_with_code_point_offsets() {
    let d = stress(&[("Zürich 👍🏽", "place")]);
    assert!(STRESS.contains("\r\n"));
    round_trip(&d);
}

#[test]
fn reports_each_bad_item() {
    let schema = Schema::default();
    let file = r#"[
        ["Kerry said no.", {"entities": [[0, 5, "Actor"], [0, 99, "Claim"], "B-PER"]}],
        ["Kerry said no.", {"spans": {"sc": [[6, 10, "Claim", "Q1"], [-1, 3, "X"]]}}],
        {"entities": []},
        42
    ]"#;
    let Err(FormatError::Problems(p)) = parse(file, &ctx(&schema)) else {
        panic!("expected problems")
    };
    let at: Vec<_> = p.iter().map(|p| p.at.as_str()).collect();
    assert_eq!(
        at,
        [
            "[0].entities[1]",
            "[0].entities[2]",
            "[1].spans.sc[1]",
            "[2]",
            "[3]"
        ],
        "{p:?}"
    );
    assert!(p[1].message.contains("BILUO"), "{}", p[1]);
    assert!(matches!(
        parse("[[\"a\", {]]", &ctx(&schema)),
        Err(FormatError::Json { line: 1, .. })
    ));
    assert!(matches!(
        parse("{}", &ctx(&schema)),
        Err(FormatError::Problems(_))
    ));
}

/// Each span of document `i` of `read`: its offsets, label name and text.
fn spans_of(read: &Imported, i: usize) -> Vec<(usize, usize, String, String)> {
    let d = &read.documents[i];
    d.spans()
        .iter()
        .map(|s| {
            let name = d.schema.label(&s.label).unwrap().name.clone();
            (s.start, s.end, name, s.text.clone())
        })
        .collect()
}

fn span(start: usize, end: usize, label: &str, text: &str) -> (usize, usize, String, String) {
    (start, end, label.to_owned(), text.to_owned())
}

/// Every warning as `skipped|warning at: message`.
fn warnings(read: &Imported) -> Vec<String> {
    read.warnings
        .iter()
        .map(|w| {
            let kind = if w.skipped { "skipped" } else { "warning" };
            format!("{kind} {}: {}", w.at, w.message)
        })
        .collect()
}

/// An empty schema: the names are the file's, exactly.
fn no_labels() -> Schema {
    Schema {
        labels: Vec::new(),
        relation_types: Vec::new(),
    }
}

const V2: &str = r#"[
  {"id": 0, "paragraphs": [
    {"raw": "EU rejects  German call.\nZoé Martín 👍 stays in Zürich.",
     "sentences": [
       {"tokens": [
         {"id": 0, "orth": "EU", "tag": "NNP", "head": 1, "dep": "nsubj", "ner": "U-ORG"},
         {"id": 1, "orth": "rejects", "tag": "VBZ", "head": 0, "dep": "ROOT", "ner": "O"},
         {"id": 2, "orth": "German", "tag": "JJ", "head": 1, "dep": "amod", "ner": "U-NORP"},
         {"id": 3, "orth": "call", "tag": "NN", "head": -2, "dep": "dobj", "ner": "-"},
         {"id": 4, "orth": ".", "tag": ".", "head": -3, "dep": "punct", "ner": "O"}
       ], "brackets": []},
       {"tokens": [
         {"id": 5, "orth": "Zoé", "tag": "NNP", "head": 1, "dep": "compound", "ner": "B-Person-Name"},
         {"id": 6, "orth": "Martín", "tag": "NNP", "head": 2, "dep": "nsubj", "ner": "L-Person-Name"},
         {"id": 7, "orth": "👍", "tag": "SYM", "head": 1, "dep": "punct", "ner": ""},
         {"id": 8, "orth": "stays", "tag": "VBZ", "head": 0, "dep": "ROOT", "ner": "O"},
         {"id": 9, "orth": "in", "tag": "IN", "head": -1, "dep": "prep", "ner": "O"},
         {"id": 10, "orth": "Zürich", "tag": "NNP", "head": -1, "dep": "pobj", "ner": "U-GPE"},
         {"id": 11, "orth": ".", "tag": ".", "head": -3, "dep": "punct", "ner": "O"}
       ], "brackets": [{"first": 0, "last": 1, "label": "NP"}]}
     ],
     "cats": [{"label": "POLITICS", "value": 1.0}, {"label": "SPORTS", "value": 0.0}]},
    {"raw": "New York Times",
     "sentences": [{"tokens": [
       {"id": 0, "orth": "New", "ner": "B-ORG"},
       {"id": 1, "orth": "York", "ner": "I-ORG"},
       {"id": 2, "orth": "Times", "ner": "L-ORG"}
     ]}]}
  ]},
  {"id": 1, "paragraphs": [
    {"sentences": [
      {"tokens": [{"orth": "東京", "ner": "U-GPE"}, {"orth": "votes", "ner": "O"}]},
      {"tokens": [{"orth": "Turnout", "ner": "O"}, {"orth": "rose", "ner": "O"}]}
    ]}
  ]}
]"#;

#[test]
fn reads_spacy_v2_paragraphs_as_documents_with_biluo_entities() {
    let schema = no_labels();
    let read = parse(V2, &ctx(&schema)).unwrap();
    let titles: Vec<_> = read
        .documents
        .iter()
        .map(|d| d.document.title.as_str())
        .collect();
    assert_eq!(titles, ["train", "train (2)", "train (3)"]);
    assert_eq!(
        read.documents[0].document.text,
        "EU rejects  German call.\nZoé Martín 👍 stays in Zürich."
    );
    // U- over one token, B-…L- over two, a label with a hyphen; "-" and "" are missing.
    assert_eq!(
        spans_of(&read, 0),
        [
            span(0, 2, "ORG", "EU"),
            span(12, 18, "NORP", "German"),
            span(25, 35, "Person-Name", "Zoé Martín"),
            span(47, 53, "GPE", "Zürich"),
        ]
    );
    assert_eq!(spans_of(&read, 1), [span(0, 14, "ORG", "New York Times")]);
    // Without "raw": the tokens joined by single spaces, sentences too.
    assert_eq!(read.documents[2].document.text, "東京 votes Turnout rose");
    assert_eq!(spans_of(&read, 2), [span(0, 2, "GPE", "東京")]);
    assert_eq!(
        warnings(&read),
        [
            "skipped [0].paragraphs[0].cats[0]: the document category \"POLITICS\" (score 1.0) \
             is not kept: Spanmark labels spans of the text, not whole documents",
            "skipped [0].paragraphs[0].cats[1]: the document category \"SPORTS\" (score 0.0) \
             is not kept: Spanmark labels spans of the text, not whole documents",
            "warning [0].paragraphs[0]: the token annotations (tag, head, dep, brackets) are not \
             kept: Spanmark keeps the text and its spans",
            "warning [1].paragraphs[0]: there is no \"raw\" text: the text is rebuilt from the \
             tokens, joined by single spaces",
        ]
    );
    assert_eq!(read.read, 6);
}

#[test]
fn rebuilds_a_v2_text_from_the_tokens_spaces() {
    let file = r#"[{"id": 0, "paragraphs": [{"raw": null, "sentences": [{"tokens": [
        {"id": 0, "orth": "Hi", "space": "", "ner": "O"},
        {"id": 1, "orth": ",", "space": " ", "ner": "O"},
        {"id": 2, "orth": "Zoé", "space": "", "ner": "U-PERSON"},
        {"id": 3, "orth": "!", "space": " ", "ner": "O"}
    ]}], "entities": [[4, 7, "PERSON"]]}]}]"#;
    let schema = no_labels();
    let read = parse(file, &ctx(&schema)).unwrap();
    assert_eq!(read.documents[0].document.text, "Hi, Zoé! ");
    // The entity the offsets repeat (as spaCy v3 writes them) is kept once.
    assert_eq!(spans_of(&read, 0), [span(4, 7, "PERSON", "Zoé")]);
    assert_eq!(
        warnings(&read),
        [
            "warning [0].paragraphs[0]: there is no \"raw\" text: the text is rebuilt from the \
          tokens, each followed by its \"space\""
        ]
    );
    assert_eq!(read.read, 1);
}

#[test]
fn an_unclosed_v2_entity_is_read_with_a_warning() {
    let file = r#"[{"paragraphs": [{"raw": "Ms Zoé Kim left", "sentences": [{"tokens": [
        {"orth": "Ms", "ner": "O"}, {"orth": "Zoé", "ner": "B-PER"},
        {"orth": "Kim", "ner": "I-PER"}, {"orth": "left", "ner": "O"}
    ]}]}]}]"#;
    let schema = no_labels();
    let read = parse(file, &ctx(&schema)).unwrap();
    assert_eq!(spans_of(&read, 0), [span(3, 10, "PER", "Zoé Kim")]);
    assert_eq!(
        warnings(&read),
        [
            "warning [0].paragraphs[0].sentences[0].tokens[1]: the entity B-PER begun here is not \
          closed by L-PER; read as ending with the token \"Kim\" \
          ([0].paragraphs[0].sentences[0].tokens[2])"
        ]
    );
}

#[test]
fn reports_v2_tokens_not_in_the_raw_text_and_broken_tags() {
    let schema = no_labels();
    let file = r#"[{"paragraphs": [
        {"raw": "EU rejects it", "sentences": [{"tokens": [
            {"orth": "EU", "ner": "U-ORG"}, {"orth": "refuses", "ner": "O"}]}]},
        {"raw": "a b c d e", "sentences": [{"tokens": [
            {"orth": "a", "ner": "I-X"}, {"orth": "b", "ner": "B-X"}, {"orth": "c", "ner": "L-Y"},
            {"orth": "d", "ner": "PER"}, {"orth": "e", "ner": 3}, {"ner": "O"}]}]},
        [],
        {"raw": 7}
    ]}, {"paragraphs": {}}]"#;
    let p = testing::problems(parse(file, &ctx(&schema)));
    let at: Vec<_> = p.iter().map(|p| p.at.as_str()).collect();
    assert_eq!(
        at,
        [
            "[0].paragraphs[0].sentences[0].tokens[1]",
            "[0].paragraphs[1].sentences[0].tokens[5]",
            "[0].paragraphs[1].sentences[0].tokens[0].ner",
            "[0].paragraphs[1].sentences[0].tokens[2].ner",
            "[0].paragraphs[1].sentences[0].tokens[3].ner",
            "[0].paragraphs[1].sentences[0].tokens[4].ner",
            "[0].paragraphs[2]",
            "[0].paragraphs[3].raw",
            "[1].paragraphs",
        ],
        "{p:?}"
    );
    assert!(p[0].message.contains("\"refuses\""), "{}", p[0]);
    assert!(p[0].message.contains("code point 3"), "{}", p[0]);
}

#[test]
fn reads_the_ner_annotator_export() {
    // The tool counts UTF-16 code units: "東京" is at 15..17 after the emoji, 14..16 in code
    // points.
    let file = r#"{"classes":["Person-Name","組織","place","UNUSED_tag"],"annotations":[
        ["Zoé Kim 🎤 met 東京 officials.",{"entities":[[0,7,"Person-Name"],[15,17,"place"]]}],
        null,
        ["NHK 放送 said so.",{"entities":[[0,3,"組織"]]}]]}"#;
    let schema = no_labels();
    let read = parse(file, &ctx(&schema)).unwrap();
    let titles: Vec<_> = read
        .documents
        .iter()
        .map(|d| d.document.title.as_str())
        .collect();
    assert_eq!(titles, ["train", "train (2)"]);
    assert_eq!(
        spans_of(&read, 0),
        [
            span(0, 7, "Person-Name", "Zoé Kim"),
            span(14, 16, "place", "東京")
        ]
    );
    assert_eq!(spans_of(&read, 1), [span(0, 3, "組織", "NHK")]);
    // Every class is a label of every document, used or not, named as the tool names it.
    for d in &read.documents {
        let names: Vec<_> = d.schema.labels.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["Person-Name", "組織", "place", "UNUSED_tag"]);
    }
    assert_eq!(
        warnings(&read),
        ["skipped annotations[1]: null: a text skipped in the NER Annotator, with nothing to read"]
    );
    assert_eq!(read.read, 3);
}

#[test]
fn reports_ner_annotator_offsets_inside_a_character() {
    let file = r#"{"classes":[],"annotations":[["🎤 Zoé",{"entities":[[1,5,"P"],[3,9,"P"]]}], 4]}"#;
    let p = testing::problems(parse(file, &ctx(&no_labels())));
    let at: Vec<_> = p.iter().map(|p| p.at.as_str()).collect();
    assert_eq!(
        at,
        [
            "annotations[0].entities[0]",
            "annotations[0].entities[1]",
            "annotations[1]"
        ],
        "{p:?}"
    );
    assert!(p[0].message.contains("inside '🎤'"), "{}", p[0]);
    assert!(
        p[1].message.contains("outside the text (6 UTF-16"),
        "{}",
        p[1]
    );
}

#[test]
fn utf16_offsets_become_code_points() {
    assert_eq!(cp_of_utf16("a😀b", 0), Ok(0));
    assert_eq!(cp_of_utf16("a😀b", 1), Ok(1));
    assert!(cp_of_utf16("a😀b", 2).is_err());
    assert_eq!(cp_of_utf16("a😀b", 3), Ok(2));
    assert_eq!(cp_of_utf16("a😀b", 4), Ok(3));
    assert!(cp_of_utf16("a😀b", 5).is_err());
    assert_eq!(cp_of_utf16("", 0), Ok(0));
}

#[test]
fn reads_v3_categories_links_and_token_keys_without_losing_them_in_silence() {
    let file = r#"[{"text": "Zoé Kim won.", "entities": [[0, 7, "PERSON", "Q42"]],
        "cats": {"SPORTS": 1.0, "POLITICS": 0.0}, "links": {"0 7": {"Q42": 1.0}},
        "words": ["Zoé", "Kim", "won", "."], "tags": ["NNP", "NNP", "VBD", "."],
        "meta": {"source": "wire"}, "empty": []}]"#;
    let schema = no_labels();
    let read = parse(file, &ctx(&schema)).unwrap();
    assert_eq!(spans_of(&read, 0), [span(0, 7, "PERSON", "Zoé Kim")]);
    let mut got = warnings(&read);
    got.sort();
    assert_eq!(
        got,
        [
            "skipped [0].cats.POLITICS: the document category \"POLITICS\" (score 0.0) is not \
             kept: Spanmark labels spans of the text, not whole documents",
            "skipped [0].cats.SPORTS: the document category \"SPORTS\" (score 1.0) is not kept: \
             Spanmark labels spans of the text, not whole documents",
            "skipped [0].links.0 7: the knowledge-base link {\"Q42\":1.0} is not kept: Spanmark \
             keeps spans and their labels",
            "warning [0].entities[0]: the knowledge-base id \"Q42\" is not kept",
            "warning [0].meta: not read: \"meta\" is not a key of spaCy's annotations",
            "warning [0]: the token annotations (tags, words) are not kept: Spanmark keeps the \
             text and its spans",
        ]
    );
    assert_eq!(read.read, 1);
}

#[test]
fn one_space_does_not_refuse_a_spacy_file() {
    let file = r#"[["BTS played Seoul.", {"entities": [[0, 4, "GROUP"]], "spans": {"sc": [[0, 4, "GROUP"]]}}]]"#;
    let schema = no_labels();
    let read = parse(file, &ctx(&schema)).unwrap();
    assert_eq!(spans_of(&read, 0), [span(0, 3, "GROUP", "BTS")]);
    assert_eq!(
        warnings(&read),
        [
            "warning [0].entities[0]: \"BTS \" at 0..4 has white space at an end; read as \"BTS\" \
          at 0..3"
        ]
    );
    assert_eq!(read.read, 1);
    // Strictly, the span is refused, naming it.
    let strict = Context {
        strict: true,
        ..ctx(&schema)
    };
    let p = testing::problems(parse(file, &strict));
    assert_eq!(p[0].at, "[0].entities[0]", "{p:?}");
}

#[test]
fn label_names_come_back_exactly_through_write_and_read() {
    let names = ["Person-Name", "組織", "mixedCase", "two words"];
    let mut schema = no_labels();
    let mut ids = Vec::new();
    for name in names {
        let (s, id) = schema.with_label_added(name).unwrap();
        schema = s;
        ids.push(id);
    }
    let mut d = AnnotatedDocument::new(Document::new("t", "Zoé 組織 🎤 aB x y"));
    d.schema = schema;
    for (id, (start, end)) in ids.iter().zip([(0, 3), (4, 6), (9, 11), (12, 15)]) {
        d.apply(Action::AddSpan {
            start,
            end,
            label: id.clone(),
        })
        .unwrap();
    }
    let read = parse(&write(&[d]), &ctx(&no_labels())).unwrap();
    let got: Vec<_> = spans_of(&read, 0).into_iter().map(|s| s.2).collect();
    assert_eq!(got, names);
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
}

#[test]
fn says_once_what_the_ner_annotator_export_carries_besides_its_texts() {
    let file = r#"{"classes":["PER",""],"annotations":[["Kim left.",{"entities":[[0,3,"PER"]]}],
        ["Lee too.",{"entities":[]}]],"version":"1.1"}"#;
    let read = parse(file, &ctx(&no_labels())).unwrap();
    assert_eq!(
        warnings(&read),
        [
            "warning classes[1]: an empty class name is not a label",
            "warning version: not read: \"version\" is not a key of the NER Annotator's export",
        ]
    );
    assert_eq!(read.read, 1);
}
