//! The `spanmark` command, run as a user runs it: in a temporary folder, checking what it
//! writes, prints and exits with.

// Test code: a failed assumption should stop the test, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use spanmark_core::offsets::slice_cp;
use spanmark_core::{Action, AnnotatedDocument, Document};
use spanmark_formats::convert::{carries, title_of};
use spanmark_formats::{archive, native, Format};
use spanmark_testkit::{annotated_as, relations_by, ARTICLE_SPANS};

const ARTICLE: &str = include_str!("../../../tests/fixtures/cli/article.txt");
const ARTICLE_ANN: &str = include_str!("../../../tests/fixtures/cli/article.ann");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/cli");

/// A fresh, empty folder for one test, removed when the test ends.
struct Folder(PathBuf);

impl std::ops::Deref for Folder {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn folder(name: &str) -> Folder {
    let dir = std::env::temp_dir().join(format!("spanmark-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Folder(dir)
}

fn spanmark_in(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_spanmark"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input
        .write_all(stdin.unwrap_or_default().as_bytes())
        .unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn spanmark(dir: &Path, args: &[&str]) -> Output {
    spanmark_in(dir, args, None)
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[track_caller]
fn exits(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        stdout(o),
        stderr(o)
    );
}

/// The default article with three spans, one nested in another.
fn annotated_article() -> AnnotatedDocument {
    annotated_as("article", ARTICLE, &ARTICLE_SPANS)
}

fn write_native(dir: &Path) -> PathBuf {
    let path = dir.join("article.spanmark.json");
    std::fs::write(&path, native::write(&annotated_article())).unwrap();
    path
}

#[test]
fn help_and_formats() {
    let dir = folder("help");
    for flag in ["--help", "help", "-h"] {
        let o = spanmark(&dir, &[flag]);
        exits(&o, 0);
        assert!(
            stdout(&o).contains("spanmark convert INPUT"),
            "{}",
            stdout(&o)
        );
    }
    let o = spanmark(&dir, &["formats"]);
    exits(&o, 0);
    for f in Format::ALL {
        assert!(stdout(&o).contains(f.id()) && stdout(&o).contains(f.name()));
    }
    exits(&spanmark(&dir, &["--version"]), 0);
}

#[test]
fn converts_native_to_text_on_standard_output_and_into_files() {
    let dir = folder("native-to-text");
    write_native(&dir);
    let o = spanmark(&dir, &["convert", "article.spanmark.json", "--to", "text"]);
    exits(&o, 0);
    assert_eq!(stdout(&o), ARTICLE, "the text comes out exactly");
    assert!(
        stderr(&o).contains("not written: 3 spans (Plain text has no annotations)"),
        "{}",
        stderr(&o)
    );

    let o = spanmark(
        &dir,
        &[
            "convert",
            "article.spanmark.json",
            "--to=text",
            "-o",
            "out.txt",
        ],
    );
    exits(&o, 0);
    assert_eq!(
        std::fs::read_to_string(dir.join("out.txt")).unwrap(),
        ARTICLE
    );

    let o = spanmark(
        &dir,
        &[
            "convert",
            "article.spanmark.json",
            "--to",
            "text",
            "-o",
            "new/",
        ],
    );
    exits(&o, 0);
    assert_eq!(
        std::fs::read_to_string(dir.join("new/article.txt")).unwrap(),
        ARTICLE
    );

    // And back: a text becomes a document without spans.
    let o = spanmark(&dir, &["convert", "out.txt", "--to", "spanmark"]);
    exits(&o, 0);
    let doc = native::parse(&stdout(&o)).unwrap();
    assert_eq!(doc.document.text, ARTICLE);
    assert_eq!(doc.document.title, "out");
}

#[test]
fn a_spanmark_file_converts_to_itself_unchanged() {
    let dir = folder("native-to-native");
    write_native(&dir);
    let o = spanmark(
        &dir,
        &["convert", "article.spanmark.json", "--to", "spanmark"],
    );
    exits(&o, 0);
    assert_eq!(native::parse(&stdout(&o)).unwrap(), annotated_article());
}

#[test]
fn several_files_go_to_a_folder_or_a_zip() {
    let dir = folder("several");
    let zip = archive::write(&[
        ("one.txt".into(), "One".into()),
        ("two.txt".into(), "Two".into()),
    ]);
    std::fs::write(dir.join("both.zip"), zip).unwrap();
    let o = spanmark(&dir, &["convert", "both.zip", "--to", "spanmark"]);
    exits(&o, 2);
    assert!(stderr(&o).contains("-o DIR/"), "{}", stderr(&o));
    let o = spanmark(
        &dir,
        &[
            "convert",
            "both.zip",
            "--to",
            "spanmark",
            "-o",
            "single.json",
        ],
    );
    exits(&o, 2);

    let o = spanmark(
        &dir,
        &["convert", "both.zip", "--to", "spanmark", "-o", "out/"],
    );
    exits(&o, 0);
    for name in ["one", "two"] {
        let file = std::fs::read_to_string(dir.join(format!("out/{name}.spanmark.json"))).unwrap();
        assert_eq!(native::parse(&file).unwrap().document.title, name);
    }

    let o = spanmark(
        &dir,
        &["convert", "both.zip", "--to", "text", "-o", "again.zip"],
    );
    exits(&o, 0);
    let entries = archive::read(&std::fs::read(dir.join("again.zip")).unwrap()).unwrap();
    assert_eq!(
        entries,
        [
            ("one.txt".to_owned(), b"One".to_vec()),
            ("two.txt".to_owned(), b"Two".to_vec())
        ]
    );
    let o = spanmark(&dir, &["validate", "again.zip"]);
    exits(&o, 0);
    assert_eq!(
        stdout(&o),
        "one: 0 spans, 0 relations\ntwo: 0 spans, 0 relations\n0 warnings\n"
    );
}

#[test]
fn usage_errors_exit_2() {
    let dir = folder("usage");
    write_native(&dir);
    let cases: &[&[&str]] = &[
        &[],
        &["frobnicate"],
        &["convert", "article.spanmark.json"],
        &["convert", "article.spanmark.json", "--to", "docx"],
        &["convert", "article.spanmark.json", "--to"],
        &["convert", "--to", "text"],
        &["convert", "a.json", "b.json", "--to", "text"],
        &[
            "convert",
            "article.spanmark.json",
            "--to",
            "text",
            "--to",
            "brat",
        ],
        &[
            "convert",
            "article.spanmark.json",
            "--to",
            "text",
            "--bogus",
        ],
        &["validate", "article.spanmark.json", "--to", "text"],
        &["validate", "missing.json"],
        &["validate", "-"],
        &["formats", "extra"],
        // Overwriting the input.
        &[
            "convert",
            "article.spanmark.json",
            "--to",
            "spanmark",
            "-o",
            "article.spanmark.json",
        ],
    ];
    for args in cases {
        let o = spanmark(&dir, args);
        exits(&o, 2);
        assert!(
            stderr(&o).starts_with("spanmark: "),
            "{args:?}: {}",
            stderr(&o)
        );
        assert!(stdout(&o).is_empty());
    }
}

#[test]
fn validate_summarises_or_lists_every_problem() {
    let dir = folder("validate");
    write_native(&dir);
    let o = spanmark(&dir, &["validate", "article.spanmark.json"]);
    exits(&o, 0);
    assert_eq!(stdout(&o), "article: 3 spans, 0 relations\n0 warnings\n");

    let broken = native::write(&annotated_article()).replacen(
        "\"text\": \"Sergey Lavrov\"",
        "\"text\": \"Sergei Lavrov\"",
        1,
    );
    std::fs::write(dir.join("broken.spanmark.json"), broken).unwrap();
    let o = spanmark(&dir, &["validate", "broken.spanmark.json"]);
    exits(&o, 1);
    assert!(stdout(&o).is_empty());
    let err = stderr(&o);
    assert!(err.starts_with("broken.spanmark.json: spans["), "{err}");
    assert!(err.contains("Sergei Lavrov"), "{err}");

    std::fs::write(dir.join("cut.json"), "{\n  \"format\": ").unwrap();
    let o = spanmark(&dir, &["validate", "cut.json"]);
    exits(&o, 1);
    assert!(stderr(&o).starts_with("cut.json: line 2"), "{}", stderr(&o));

    std::fs::write(dir.join("latin1.txt"), b"caf\xe9").unwrap();
    exits(&spanmark(&dir, &["validate", "latin1.txt"]), 1);

    // Standard input with --from.
    let o = spanmark_in(&dir, &["validate", "-", "--from", "text"], Some("Hello"));
    exits(&o, 0);
    assert_eq!(stdout(&o), "stdin: 0 spans, 0 relations\n0 warnings\n");
}

#[test]
fn the_fixture_offsets_are_code_points_into_the_text() {
    assert_eq!(
        ARTICLE,
        include_str!("../../../assets/default-article.txt"),
        "the fixture text is the default article"
    );
    let mut spans = Vec::new();
    let mut relations = 0;
    for line in ARTICLE_ANN.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        match line.chars().next() {
            Some('T') => {
                let [id, kind, text] = fields[..] else {
                    panic!("{line}")
                };
                let parts: Vec<&str> = kind.split(' ').collect();
                let [label, start, end] = parts[..] else {
                    panic!("{line}")
                };
                let (start, end): (usize, usize) = (start.parse().unwrap(), end.parse().unwrap());
                assert_eq!(slice_cp(ARTICLE, start, end), Some(text), "{id}");
                assert!(["Actor", "Place", "Claim", "Denial"].contains(&label));
                spans.push((id, start, end));
            }
            Some('R') => {
                relations += 1;
                assert!(fields[1].starts_with("said_by Arg1:T"), "{line}");
            }
            _ => panic!("unexpected line {line:?}"),
        }
    }
    assert_eq!(spans.len(), 8);
    assert_eq!(relations, 2);
    let nested = spans
        .iter()
        .any(|a| spans.iter().any(|b| a.0 != b.0 && b.1 <= a.1 && a.2 <= b.2));
    assert!(nested, "one span is nested in another");
}

#[test]
fn an_ann_file_takes_the_txt_beside_it() {
    let dir = folder("ann-sibling");
    std::fs::write(dir.join("article.ann"), ARTICLE_ANN).unwrap();
    // Without its text, the error says where the text is expected.
    let o = spanmark(&dir, &["validate", "article.ann"]);
    exits(&o, 1);
    assert!(stderr(&o).contains("\"article.txt\""), "{}", stderr(&o));
    // With it (beside it, or given with --text) the text problem is gone.
    std::fs::write(dir.join("elsewhere.txt"), ARTICLE).unwrap();
    let given = spanmark(
        &dir,
        &["validate", "article.ann", "--text", "elsewhere.txt"],
    );
    std::fs::write(dir.join("article.txt"), ARTICLE).unwrap();
    let beside = spanmark(&dir, &["validate", "article.ann"]);
    for o in [given, beside] {
        assert!(!stderr(&o).contains("\"article.txt\""), "{}", stderr(&o));
    }
}

#[test]
fn the_brat_fixture_validates() {
    let dir = folder("brat-validate");
    let o = spanmark(&dir, &["validate", &format!("{FIXTURES}/article.ann")]);
    exits(&o, 0);
    assert_eq!(stdout(&o), "article: 8 spans, 2 relations\n0 warnings\n");
}

/// Spans as (start, end, label name), and relations as (type, from, to) by span position.
type Shape = (
    String,
    Vec<(usize, usize, String)>,
    Vec<(String, (usize, usize), (usize, usize))>,
);

fn shape(doc: &AnnotatedDocument) -> Shape {
    let label = |id: &str| {
        doc.schema
            .label(id)
            .map_or(id.to_owned(), |l| l.name.clone())
    };
    let mut spans: Vec<_> = doc
        .spans()
        .iter()
        .map(|s| (s.start, s.end, label(&s.label)))
        .collect();
    spans.sort();
    let relations = relations_by(doc, |s| (s.start, s.end));
    (doc.document.text.clone(), spans, relations)
}

#[test]
fn brat_to_every_format_and_back() {
    let dir = folder("every-format");
    std::fs::copy(format!("{FIXTURES}/article.ann"), dir.join("article.ann")).unwrap();
    std::fs::copy(format!("{FIXTURES}/article.txt"), dir.join("article.txt")).unwrap();
    let o = spanmark(&dir, &["convert", "article.ann", "--to", "spanmark"]);
    exits(&o, 0);
    let reference = native::parse(&stdout(&o)).unwrap();
    let (text, spans, relations) = shape(&reference);
    assert_eq!(text, ARTICLE);
    assert_eq!(spans.len(), 8);
    assert_eq!(relations.len(), 2);

    for format in Format::ALL {
        let out = format!("{}/", format.id());
        let o = spanmark(
            &dir,
            &["convert", "article.ann", "--to", format.id(), "-o", &out],
        );
        exits(&o, 0);
        let file = format!("{}article{}", out, format.suffix());
        assert!(dir.join(&file).is_file(), "{format:?}: {file}");
        let mut back = vec!["convert", file.as_str(), "--to", "spanmark"];
        if matches!(format, Format::Conll | Format::Iob2 | Format::W3c) {
            back.extend(["--text", "article.txt"]);
        }
        let o = spanmark(&dir, &back);
        exits(&o, 0);
        let doc = native::parse(&stdout(&o)).unwrap();
        assert_eq!(title_of(&file), "article");
        let (got_text, got_spans, got_relations) = shape(&doc);
        assert_eq!(got_text, ARTICLE, "{format:?}: the text is exact");
        let carried = carries(format);
        if !carried.spans {
            assert!(got_spans.is_empty(), "{format:?}");
        } else if carried.overlaps {
            assert_eq!(got_spans, spans, "{format:?}");
        } else {
            // The nested Place inside the first Claim cannot be kept.
            assert_eq!(got_spans.len(), spans.len() - 1, "{format:?}");
            assert!(got_spans.iter().all(|s| spans.contains(s)), "{format:?}");
        }
        if carried.relations {
            assert_eq!(got_relations, relations, "{format:?}");
        } else {
            assert!(got_relations.is_empty(), "{format:?}");
        }
    }
}

// `spanmark agree`, on the fixtures in tests/fixtures/agreement/: three annotations of the
// default article, as Spanmark JSON files. Each phrase is tagged at its first occurrence
// (within the context given, for "Syria"). What they hold:
//
// - A and B agree on 8 spans: Vladimir Putin, an official in Washington, Sergey Lavrov,
//   Bashar al-Assad, John Kerry (actors); "Russia allegedly bombed US-backed rebels in southern
//   Syria" (a claim) with Syria (a place) nested in it; St Petersburg (a place).
// - Only A has Washington (a place, nested in the actor "an official in Washington").
// - Only B has "the Telegraph" (an actor).
// - "denied having any such plans": a denial for A, a claim for B (same range, other label).
// - Lavrov's claim: A tags "accused US of sparing al-Qaeda affiliate Jabhat al-Nusra to
//   overthrow President Bashar al-Assad", B only "accused US of sparing al-Qaeda affiliate
//   Jabhat al-Nusra" (they overlap; no exact match).
// - Relations: both say the Russia claim is said by "an official in Washington" (agreed);
//   A's Lavrov claim is said by Sergey Lavrov, and so is B's (disputed, as the claims differ);
//   only A says the denial is said by John Kerry.
// - Notes: A and B each note "an official in Washington", differently.
// - C, for a three-way comparison: as A, but without Bashar al-Assad, and with "the
//   Telegraph" (as B) and Aleppo (a place, C only); its relations are A's and
//   located_in(Sergey Lavrov → St Petersburg).

const DEFAULT_ARTICLE: &str = include_str!("../../../assets/default-article.txt");
const AGREEMENT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/agreement"
);

const LAVROV_CLAIM: &str =
    "accused US of sparing al-Qaeda affiliate Jabhat al-Nusra to overthrow President Bashar al-Assad";
const LAVROV_SHORT: &str = "accused US of sparing al-Qaeda affiliate Jabhat al-Nusra";
const RUSSIA_CLAIM: &str = "Russia allegedly bombed US-backed rebels in southern Syria";

/// One annotator's version of the default article: spans as (context, phrase, label) — the
/// phrase at its first occurrence inside the context's first occurrence —, relations as
/// (type, from, to) by position in that list, and notes as (position, note).
fn annotator(
    spans: &[(&str, &str, &str)],
    relations: &[(&str, usize, usize)],
    notes: &[(usize, &str)],
) -> AnnotatedDocument {
    let mut d = AnnotatedDocument::new(Document::new("article", DEFAULT_ARTICLE));
    for (context, phrase, label) in spans {
        let c = DEFAULT_ARTICLE.find(context).expect("context in the text");
        let b = c + context.find(phrase).expect("phrase in its context");
        let start = DEFAULT_ARTICLE[..b].chars().count();
        d.apply(Action::AddSpan {
            start,
            end: start + phrase.chars().count(),
            label: (*label).into(),
        })
        .unwrap();
    }
    // Spans were added in list order: the n-th has id s<n + 1>.
    let id = |i: usize| format!("s{}", i + 1);
    for (kind, from, to) in relations {
        d.apply(Action::AddRelation {
            kind: (*kind).into(),
            from: id(*from),
            to: id(*to),
        })
        .unwrap();
    }
    for (i, note) in notes {
        d.apply(Action::SetNote {
            target: spanmark_core::NoteTarget::Span(id(*i)),
            note: Some((*note).into()),
        })
        .unwrap();
    }
    d
}

/// The spans every annotator marked first, in this order (`s1`–`s4`).
const FIRST: [(&str, &str, &str); 4] = [
    ("Vladimir Putin", "Vladimir Putin", "actor"),
    (RUSSIA_CLAIM, RUSSIA_CLAIM, "claim"),
    ("southern Syria", "Syria", "place"),
    (
        "an official in Washington",
        "an official in Washington",
        "actor",
    ),
];

fn phrase<'a>(text: &'a str, label: &'a str) -> (&'a str, &'a str, &'a str) {
    (text, text, label)
}

fn annotator_a() -> AnnotatedDocument {
    annotator(
        &[
            &FIRST[..],
            &[
                phrase("Washington", "place"),
                phrase("Sergey Lavrov", "actor"),
                phrase("St Petersburg", "place"),
                phrase(LAVROV_CLAIM, "claim"),
                phrase("Bashar al-Assad", "actor"),
                phrase("John Kerry", "actor"),
                phrase("denied having any such plans", "denial"),
            ],
        ]
        .concat(),
        &[("said_by", 1, 3), ("said_by", 7, 5), ("said_by", 10, 9)],
        &[(3, "anonymous US official")],
    )
}

fn annotator_b() -> AnnotatedDocument {
    annotator(
        &[
            &FIRST[..],
            &[
                phrase("Sergey Lavrov", "actor"),
                phrase("St Petersburg", "place"),
                phrase(LAVROV_SHORT, "claim"),
                phrase("Bashar al-Assad", "actor"),
                phrase("John Kerry", "actor"),
                phrase("denied having any such plans", "claim"),
                phrase("the Telegraph", "actor"),
            ],
        ]
        .concat(),
        &[("said_by", 1, 3), ("said_by", 6, 4)],
        &[(3, "unnamed; works for the US government")],
    )
}

fn annotator_c() -> AnnotatedDocument {
    annotator(
        &[
            &FIRST[..],
            &[
                phrase("Washington", "place"),
                phrase("Sergey Lavrov", "actor"),
                phrase("St Petersburg", "place"),
                phrase(LAVROV_CLAIM, "claim"),
                phrase("John Kerry", "actor"),
                phrase("denied having any such plans", "denial"),
                phrase("the Telegraph", "actor"),
                phrase("Aleppo", "place"),
            ],
        ]
        .concat(),
        &[
            ("said_by", 1, 3),
            ("said_by", 7, 5),
            ("said_by", 9, 8),
            ("located_in", 5, 6),
        ],
        &[],
    )
}

/// Makes one annotator's document.
type Annotator = fn() -> AnnotatedDocument;

const ANNOTATORS: [(&str, Annotator); 3] = [
    ("annotator-a.spanmark.json", annotator_a),
    ("annotator-b.spanmark.json", annotator_b),
    ("annotator-c.spanmark.json", annotator_c),
];

/// Writes the fixtures again (after changing the annotators above):
/// `cargo test --test cli write_agreement_fixtures -- --ignored`.
#[test]
#[ignore]
fn write_agreement_fixtures() {
    for (name, make) in ANNOTATORS {
        std::fs::write(format!("{AGREEMENT}/{name}"), native::write(&make())).unwrap();
    }
}

#[test]
fn the_agreement_fixtures_hold_the_annotations_described() {
    for (name, make) in ANNOTATORS {
        let file = std::fs::read_to_string(format!("{AGREEMENT}/{name}")).unwrap();
        assert_eq!(native::parse(&file), Ok(make()), "{name}");
        let o = spanmark(Path::new(AGREEMENT), &["validate", name]);
        exits(&o, 0);
    }
}

/// The table's row for `label`, split at white space.
fn table_row<'a>(table: &'a str, label: &str) -> Vec<&'a str> {
    table
        .lines()
        .find(|l| l.starts_with(label))
        .unwrap_or_else(|| panic!("no row {label:?} in\n{table}"))
        .split_whitespace()
        .collect()
}

#[test]
fn agree_prints_the_table_of_two_annotators() {
    let dir = Path::new(AGREEMENT);
    let o = spanmark(
        dir,
        &[
            "agree",
            "annotator-a.spanmark.json",
            "annotator-b.spanmark.json",
        ],
    );
    exits(&o, 0);
    let table = stdout(&o);
    assert!(
        table.starts_with(
            "Annotators: A = annotator-a.spanmark.json, B = annotator-b.spanmark.json\n"
        ),
        "{table}"
    );
    // Columns: spans of A and B; exact P, R, F1; overlap P, R, F1 (B measured against A).
    let rows = [
        // 5 actors agreed; B's Telegraph is extra: P = 5/6, R = 5/5, F1 = 10/11.
        "Actor 5 6 0.833 1.000 0.909 0.833 1.000 0.909",
        // A's Washington is extra: P = 2/2, R = 2/3, F1 = 4/5.
        "Place 3 2 1.000 0.667 0.800 1.000 0.667 0.800",
        // The Russia claim agrees; the Lavrov claims overlap; B's "denied…" is a claim:
        // exact P = 1/3, R = 1/2, F1 = 2/5; overlap P = 2/3, R = 2/2, F1 = 4/5.
        "Claim 2 3 0.333 0.500 0.400 0.667 1.000 0.800",
        // Only A has a denial: B has none to measure (P undefined), R = 0/1.
        "Denial 1 0 - 0.000 0.000 - 0.000 0.000",
        // 8 of 11 and 11 match exactly, 9 by overlap.
        "All labels 11 11 0.727 0.727 0.727 0.818 0.818 0.818",
        // 1 agreed of B's 2 and A's 3: P = 1/2, R = 1/3, F1 = 2/5.
        "Relations 3 2 0.500 0.333 0.400",
    ];
    for expected in rows {
        let label = expected.split(' ').next().unwrap();
        let label = if label == "All" { "All labels" } else { label };
        assert_eq!(table_row(&table, label).join(" "), expected, "in\n{table}");
    }
    assert!(table.contains("\nTokens: 357\n"), "{table}");
    assert!(table.contains("\nCohen's kappa: 0.856\n"), "{table}");
    assert!(table.contains("\nFleiss' kappa: 0.856\n"), "{table}");
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));

    // Any format opens as `convert` opens it: A written as brat (.ann beside its .txt) gives
    // the same table, under its own name.
    let tmp = folder("agree-brat");
    let a = std::fs::read_to_string(dir.join("annotator-a.spanmark.json")).unwrap();
    std::fs::write(tmp.join("a.spanmark.json"), a).unwrap();
    exits(
        &spanmark(
            &tmp,
            &["convert", "a.spanmark.json", "--to", "brat", "-o", "a.ann"],
        ),
        0,
    );
    let b = format!("{AGREEMENT}/annotator-b.spanmark.json");
    let o = spanmark(&tmp, &["agree", "a.ann", &b]);
    exits(&o, 0);
    let brat = stdout(&o);
    assert!(brat.starts_with("Annotators: A = a.ann, B = annotator-b.spanmark.json\n"));
    let body = |t: &str| t.lines().skip(1).collect::<Vec<_>>().join("\n");
    assert_eq!(body(&brat), body(&table));
}

/// What `spanmark` prints with `args` (which ask for `--json`) in the agreement fixtures' folder,
/// as JSON; it must succeed.
fn agree_json(args: &[&str]) -> serde_json::Value {
    let o = spanmark(Path::new(AGREEMENT), args);
    exits(&o, 0);
    serde_json::from_str(&stdout(&o)).unwrap()
}

/// A number of a JSON report, within 1e-12 of `expected`.
#[track_caller]
fn close(v: &serde_json::Value, expected: f64) {
    let x = v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"));
    assert!((x - expected).abs() < 1e-12, "{x} is not {expected}");
}

/// The matched, predicted and reference counts of a JSON report's measure.
fn counts(measure: &serde_json::Value) -> [&serde_json::Value; 3] {
    [
        &measure["matched"],
        &measure["predicted"],
        &measure["reference"],
    ]
}

#[test]
fn agree_prints_json_with_json() {
    let v = agree_json(&[
        "agree",
        "--json",
        "annotator-a.spanmark.json",
        "annotator-b.spanmark.json",
    ]);
    assert_eq!(
        v["annotators"],
        serde_json::json!(["annotator-a.spanmark.json", "annotator-b.spanmark.json"])
    );
    let labels: Vec<&str> = v["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["actor", "place", "claim", "denial"]);
    let overall = &v["overall"];
    assert_eq!(overall["label"], "");
    assert_eq!(overall["name"], "All labels");
    assert_eq!(overall["counts"], serde_json::json!([11, 11]));
    assert_eq!(
        overall["exact"],
        serde_json::json!({"precision": 8.0 / 11.0, "recall": 8.0 / 11.0, "f1": 8.0 / 11.0,
            "matched": 8, "predicted": 11, "reference": 11})
    );
    assert_eq!(overall["overlap"]["matched"], 9);
    close(&overall["overlap"]["f1"], 9.0 / 11.0);
    let denial = &v["labels"][3];
    assert_eq!(denial["exact"]["precision"], serde_json::Value::Null);
    close(&denial["exact"]["recall"], 0.0);
    let relations = &v["relations"];
    assert_eq!(
        counts(relations),
        [1, 2, 3].map(serde_json::Value::from).each_ref()
    );
    close(&relations["f1"], 0.4);
    assert_eq!(v["relation_counts"], serde_json::json!([3, 2]));
    assert_eq!(v["tokens"], 357);
    // Token labels differ on 11 of the 357 words: Washington (place / actor), "to overthrow
    // President" (claim / O), "denied having any such plans" (denial / claim), "the
    // Telegraph" (O / actor). A: actor 12, place 4, claim 21, denial 5, O 315; B: actor 15,
    // place 3, claim 23, O 316. Σ a_k·b_k = 180 + 12 + 483 + 315·316 = 100215.
    // Cohen = (357·346 − 100215) / (357² − 100215) = 23307/27234.
    close(&v["cohen_kappa"], 23307.0 / 27234.0);
    // Fleiss: S = 346·4 + 11·2 = 1406, M = 714; the 714 labels: actor 27, place 7, claim 44,
    // denial 5, O 631, C = 400900; ((1406 − 714)·714 − C) / (714² − C) = 93188/108896.
    close(&v["fleiss_kappa"], 93188.0 / 108896.0);
}

#[test]
fn agree_averages_three_annotators_over_pairs() {
    let v = agree_json(&[
        "agree",
        "annotator-a.spanmark.json",
        "annotator-b.spanmark.json",
        "annotator-c.spanmark.json",
        "--json",
    ]);
    assert_eq!(v["cohen_kappa"], serde_json::Value::Null);
    assert!(v["fleiss_kappa"].as_f64().is_some());
    // Exact, overall: (A, B) 8 matched of B's 11 and A's 11; (A, C) 10 of C's 12 and A's 11;
    // (B, C) 8 of C's 12 and B's 11. P = (8/11 + 10/12 + 8/12) / 3, R = (8 + 10 + 8) / 33.
    let exact = &v["overall"]["exact"];
    assert_eq!(
        counts(exact),
        [26, 35, 33].map(serde_json::Value::from).each_ref()
    );
    close(
        &exact["precision"],
        (8.0 / 11.0 + 10.0 / 12.0 + 8.0 / 12.0) / 3.0,
    );
    close(&exact["recall"], 26.0 / 33.0);

    let o = spanmark(
        Path::new(AGREEMENT),
        &[
            "agree",
            "annotator-a.spanmark.json",
            "annotator-b.spanmark.json",
            "annotator-c.spanmark.json",
        ],
    );
    exits(&o, 0);
    let table = stdout(&o);
    assert_eq!(table_row(&table, "All labels")[2..5], ["11", "11", "12"]);
    assert!(table.contains("means over the 3 pairs"), "{table}");
    assert!(!table.contains("Cohen"), "{table}");
}

#[test]
fn agree_refuses_different_texts_and_files_of_several_documents() {
    let dir = folder("agree-refuses");
    let other = AnnotatedDocument::new(Document::new(
        "article",
        DEFAULT_ARTICLE.replacen("Hmeymin", "Hmeimim", 1),
    ));
    std::fs::write(dir.join("other.spanmark.json"), native::write(&other)).unwrap();
    let a = format!("{AGREEMENT}/annotator-a.spanmark.json");
    let o = spanmark(&dir, &["agree", &a, "other.spanmark.json"]);
    exits(&o, 1);
    let at = DEFAULT_ARTICLE[..DEFAULT_ARTICLE.find("Hmeymin").unwrap() + 3]
        .chars()
        .count();
    assert_eq!(
        stderr(&o),
        format!(
            "spanmark: annotator-a.spanmark.json and other.spanmark.json are not the same \
             text (they differ from character {at})\n"
        )
    );
    assert!(stdout(&o).is_empty());

    // A zip of two documents is not one annotation.
    let files = [
        ("one.txt".to_owned(), "One.".to_owned()),
        ("two.txt".to_owned(), "Two.".to_owned()),
    ];
    std::fs::write(dir.join("both.zip"), archive::write_at(&files, None)).unwrap();
    let o = spanmark(&dir, &["agree", "both.zip", &a]);
    exits(&o, 1);
    assert_eq!(
        stderr(&o),
        "both.zip: holds 2 documents; agree compares files of one document each\n"
    );
    // An invalid input is listed as `validate` lists it.
    std::fs::write(dir.join("cut.json"), "{\n  \"format\": ").unwrap();
    let o = spanmark(&dir, &["agree", &a, "cut.json"]);
    exits(&o, 1);
    assert!(stderr(&o).starts_with("cut.json: line 2"), "{}", stderr(&o));

    // Usage errors.
    for args in [
        &["agree"][..],
        &["agree", &a],
        &["agree", &a, &a, "--csv"],
        &["agree", &a, "-"],
        &["agree", &a, &a, "--text"],
    ] {
        exits(&spanmark(&dir, args), 2);
    }
    // The same file twice agrees with itself; repeated names are told apart by their paths.
    let o = spanmark(&dir, &["agree", &a, &a]);
    exits(&o, 0);
    assert!(stdout(&o).starts_with(&format!("Annotators: A = {a}, B = {a}\n")));
    assert_eq!(
        table_row(&stdout(&o), "All labels").join(" "),
        "All labels 11 11 1.000 1.000 1.000 1.000 1.000 1.000"
    );
}

#[test]
fn doccano_numeric_labels_are_not_read_as_nothing() {
    // `spanmark validate` read doccano's older export as "0 spans, 0 warnings", exit 0.
    let dir = folder("doccano-numeric");
    std::fs::write(
        dir.join("a.jsonl"),
        "{\"id\":1,\"text\":\"EU rejects German call\",\"annotations\":[{\"label\":12,\"start_offset\":0,\"end_offset\":2,\"user\":1}]}\n",
    )
    .unwrap();
    let o = spanmark(&dir, &["validate", "a.jsonl"]);
    exits(&o, 0);
    let out = stdout(&o);
    assert!(
        out.starts_with("a: 1 span, 0 relations\n1 warning\n"),
        "{out}"
    );
    assert!(out.contains("label id 12"), "{out}");
    // With doccano's label file, the id has its name, and nothing needs saying.
    std::fs::write(dir.join("labels.json"), r#"[{"id": 12, "text": "ORG"}]"#).unwrap();
    let o = spanmark(
        &dir,
        &[
            "convert",
            "a.jsonl",
            "--labels",
            "labels.json",
            "--to",
            "brat",
        ],
    );
    exits(&o, 0);
    assert_eq!(stdout(&o), "T1\tORG 0 2\tEU\n");
    let o = spanmark(&dir, &["validate", "a.jsonl", "--labels", "a.jsonl"]);
    exits(&o, 2);
    assert!(
        stderr(&o).contains("not a doccano label file"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn strict_refuses_what_is_otherwise_trimmed_and_named() {
    let dir = folder("strict");
    std::fs::write(
        dir.join("bts.jsonl"),
        "{\"text\": \"BTS won.\", \"label\": [[0, 4, \"GROUP\"]]}\n",
    )
    .unwrap();
    let o = spanmark(&dir, &["validate", "bts.jsonl"]);
    exits(&o, 0);
    assert!(
        stdout(&o).contains("read as \"BTS\" at 0..3"),
        "{}",
        stdout(&o)
    );
    let o = spanmark(&dir, &["validate", "bts.jsonl", "--strict"]);
    exits(&o, 1);
    assert!(stderr(&o).contains("label[0]"), "{}", stderr(&o));
    assert!(stderr(&o).contains("white space"), "{}", stderr(&o));
}

#[test]
fn w3c_output_writes_its_text_beside_it() {
    // `convert … --to w3c -o out.jsonld` wrote no text, so the output could not be read back
    // without --text.
    let dir = folder("w3c-text");
    std::fs::write(dir.join("article.ann"), ARTICLE_ANN).unwrap();
    std::fs::write(dir.join("article.txt"), ARTICLE).unwrap();
    let input = dir.join("article.ann");
    let o = spanmark(
        &dir,
        &[
            "convert",
            input.to_str().unwrap(),
            "--to",
            "w3c",
            "-o",
            "out.jsonld",
        ],
    );
    exits(&o, 0);
    assert_eq!(
        std::fs::read_to_string(dir.join("out.txt")).unwrap(),
        ARTICLE
    );
    let o = spanmark(&dir, &["validate", "out.jsonld"]);
    exits(&o, 0);
    assert!(
        stdout(&o).starts_with("article: 8 spans, 2 relations\n0 warnings"),
        "{}",
        stdout(&o)
    );
    // To standard output, the annotations alone, with a note on the text.
    let o = spanmark(&dir, &["convert", input.to_str().unwrap(), "--to", "w3c"]);
    exits(&o, 0);
    assert!(stdout(&o).contains("\"@context\""));
    assert!(
        stderr(&o).contains("-o NAME.jsonld writes NAME.txt"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn scheme_bioes_writes_single_and_end_tags() {
    let dir = folder("bioes");
    std::fs::write(dir.join("article.ann"), ARTICLE_ANN).unwrap();
    std::fs::write(dir.join("article.txt"), ARTICLE).unwrap();
    let input = dir.join("article.ann");
    let o = spanmark(
        &dir,
        &[
            "convert",
            input.to_str().unwrap(),
            "--to",
            "iob2",
            "--scheme",
            "bioes",
        ],
    );
    exits(&o, 0);
    let out = stdout(&o);
    assert!(out.contains("\tS-") && out.contains("\tE-"), "{out}");
    // Read back, the spans are the same as through IOB2.
    std::fs::write(dir.join("bioes.iob2"), &out).unwrap();
    let iob2 = spanmark(&dir, &["convert", input.to_str().unwrap(), "--to", "iob2"]);
    std::fs::write(dir.join("plain.iob2"), stdout(&iob2)).unwrap();
    let a = spanmark(&dir, &["convert", "bioes.iob2", "--to", "brat"]);
    let b = spanmark(&dir, &["convert", "plain.iob2", "--to", "brat"]);
    assert_eq!(stdout(&a), stdout(&b));
    let o = spanmark(
        &dir,
        &[
            "convert",
            input.to_str().unwrap(),
            "--to",
            "brat",
            "--scheme",
            "bioes",
        ],
    );
    exits(&o, 2);
    let o = spanmark(&dir, &["formats"]);
    assert!(stdout(&o).contains("ner-annotator"), "{}", stdout(&o));
}

#[test]
fn a_flair_corpus_in_a_txt_opens_with_from_bioes() {
    let dir = folder("flair-txt");
    std::fs::write(
        dir.join("train.txt"),
        "George B-PER\nWashington E-PER\nwent O\nto O\nWashington S-LOC\n",
    )
    .unwrap();
    // A .txt is plain text by its name…
    let o = spanmark(&dir, &["validate", "train.txt"]);
    assert_eq!(stdout(&o), "train: 0 spans, 0 relations\n0 warnings\n");
    // …and BIOES token and tag columns by --from.
    let o = spanmark(
        &dir,
        &["convert", "train.txt", "--from", "bioes", "--to", "brat"],
    );
    exits(&o, 0);
    assert_eq!(
        stdout(&o),
        "T1\tPER 0 17\tGeorge Washington\nT2\tLOC 26 36\tWashington\n"
    );
}

#[test]
fn the_text_beside_the_input_is_never_written_over() {
    // `convert a.ann --to w3c -o a.jsonld` rewrote the a.txt it had read (dropping its BOM).
    let dir = folder("keep-text");
    std::fs::write(dir.join("a.ann"), ARTICLE_ANN).unwrap();
    let with_bom = format!("\u{feff}{ARTICLE}");
    std::fs::write(dir.join("a.txt"), &with_bom).unwrap();
    let o = spanmark(&dir, &["convert", "a.ann", "--to", "w3c", "-o", "a.jsonld"]);
    exits(&o, 2);
    assert!(stderr(&o).contains("is an input file"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(dir.join("a.txt")).unwrap(),
        with_bom
    );
    assert!(!dir.join("a.jsonld").exists());
}

#[test]
fn warnings_name_the_file_and_from_is_refused_for_a_zip() {
    let dir = folder("warn-names");
    std::fs::write(
        dir.join("bts.jsonl"),
        "{\"text\": \"BTS won.\", \"label\": [[0, 4, \"GROUP\"]]}\n",
    )
    .unwrap();
    let o = spanmark(&dir, &["validate", "bts.jsonl"]);
    assert!(
        stdout(&o).contains("warning: bts.jsonl, line 1: label[0]"),
        "{}",
        stdout(&o)
    );
    std::fs::write(
        dir.join("x.zip"),
        b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
    )
    .unwrap();
    let o = spanmark(&dir, &["validate", "x.zip", "--from", "bioes"]);
    exits(&o, 2);
    assert!(
        stderr(&o).contains("not of the files in a .zip"),
        "{}",
        stderr(&o)
    );
    // A doccano label file alone says what it is.
    std::fs::write(dir.join("labels.json"), r#"[{"id": 1, "text": "ORG"}]"#).unwrap();
    let o = spanmark(&dir, &["validate", "labels.json"]);
    exits(&o, 1);
    assert!(stderr(&o).contains("doccano label file"), "{}", stderr(&o));
}
