//! The `spanmark` command, run as a user runs it: in a temporary folder, checking what it
//! writes, prints and exits with.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use spanmark::core::offsets::slice_cp;
use spanmark::core::{Action, AnnotatedDocument, Document};
use spanmark::formats::convert::{carries, title_of};
use spanmark::formats::{archive, native, Format};

const ARTICLE: &str = include_str!("fixtures/cli/article.txt");
const ARTICLE_ANN: &str = include_str!("fixtures/cli/article.ann");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cli");

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
    let mut d = AnnotatedDocument::new(Document::new("article", ARTICLE));
    for (phrase, label) in [
        ("Sergey Lavrov", "actor"),
        ("St Petersburg", "place"),
        (
            "Sergey Lavrov on 16 June at an economic Forum in St Petersburg",
            "claim",
        ),
    ] {
        let b = ARTICLE.find(phrase).unwrap();
        let start = ARTICLE[..b].chars().count();
        d.apply(Action::AddSpan {
            start,
            end: start + phrase.chars().count(),
            label: label.into(),
        })
        .unwrap();
    }
    d
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
        include_str!("../assets/default-article.txt"),
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
    let at = |id: &str| doc.span(id).map(|s| (s.start, s.end)).unwrap();
    let mut spans: Vec<_> = doc
        .spans()
        .iter()
        .map(|s| (s.start, s.end, label(&s.label)))
        .collect();
    spans.sort();
    let mut relations: Vec<_> = doc
        .relations
        .iter()
        .map(|r| (r.kind.clone(), at(&r.from), at(&r.to)))
        .collect();
    relations.sort();
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
