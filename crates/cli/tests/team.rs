//! The team commands against a real CouchDB API: pouchdb-server (installed by `make setup`
//! into `.tools/`), started here in memory on a free loopback port. `init` makes a project;
//! a curator pushes a brat document and an annotator their annotations; the server's rules
//! refuse what they should, with the server's reason said; `pull` gives it all back in every
//! format, the same spans.

// Test code: a failed assumption should stop the test, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::{folder, http, spanmark, start, stderr, ADMIN, ROOT};
use spanmark_core::Schema;
use spanmark_formats::convert::{carries, open_files};
use spanmark_formats::Format;

/// Spans as (start, end, label name) and relations as (type name, from, to) by span range.
type Shape = (
    Vec<(usize, usize, String)>,
    Vec<(String, (usize, usize), (usize, usize))>,
);

fn shape(doc: &spanmark_core::AnnotatedDocument) -> Shape {
    let spans = doc
        .spans()
        .iter()
        .map(|s| (s.start, s.end, doc.schema.label_name(&s.label).to_owned()))
        .collect();
    let at = |id: &str| {
        let s = doc.span(id).unwrap();
        (s.start, s.end)
    };
    let mut relations: Vec<_> = doc
        .relations
        .iter()
        .map(|r| {
            (
                doc.schema.relation_type_name(&r.kind).to_owned(),
                at(&r.from),
                at(&r.to),
            )
        })
        .collect();
    relations.sort();
    (spans, relations)
}

#[test]
fn a_project_is_made_pushed_to_refused_where_it_should_be_and_pulled_in_every_format() {
    let server = start();
    let url = format!("http://127.0.0.1:{}/news", server.port);
    let dir = folder("project");
    let ann =
        std::fs::read_to_string(Path::new(ROOT).join("tests/fixtures/cli/article.ann")).unwrap();
    let txt =
        std::fs::read_to_string(Path::new(ROOT).join("tests/fixtures/cli/article.txt")).unwrap();
    std::fs::write(dir.join("article.ann"), &ann).unwrap();
    std::fs::write(dir.join("article.txt"), &txt).unwrap();
    let empty = Schema {
        labels: Vec::new(),
        relation_types: Vec::new(),
    };
    let files: Vec<(String, Vec<u8>)> = [("article.ann", &ann), ("article.txt", &txt)]
        .iter()
        .map(|(n, c)| ((*n).to_owned(), c.as_bytes().to_vec()))
        .collect();
    let original = open_files(&files, &empty).unwrap().documents.remove(0);

    // init: the database, its rules and its security; again, it is only updated.
    let o = spanmark(&dir, Some(ADMIN.0), &["init", &url]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("created news"), "{}", stderr(&o));
    let o = spanmark(&dir, Some(ADMIN.0), &["init", &url]);
    assert!(stderr(&o).contains("updated news"), "{}", stderr(&o));

    // Without a user, a wrong password, an annotator writing a document: refused, and said.
    let o = spanmark(
        &dir,
        None,
        &["push", "article.ann", "article.txt", "--to", &url],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("refuses"), "{}", stderr(&o));
    let o = spanmark(
        &dir,
        None,
        &[
            "push",
            "article.ann",
            "article.txt",
            "--to",
            &url,
            "--user",
            "cora",
            "--password",
            "nope",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("Name or password is incorrect"),
        "{}",
        stderr(&o)
    );
    assert!(
        !stderr(&o).contains("nope"),
        "the password is never printed"
    );
    let o = spanmark(
        &dir,
        Some("anna"),
        &["push", "article.ann", "article.txt", "--to", &url],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("Only a curator may write doc:"),
        "{}",
        stderr(&o)
    );

    // The curator pushes the document; anna her annotations; anna cannot write ben's.
    let o = spanmark(
        &dir,
        Some("cora"),
        &["push", "article.ann", "article.txt", "--to", &url],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = spanmark(
        &dir,
        Some("anna"),
        &[
            "push",
            "article.ann",
            "article.txt",
            "--to",
            &url,
            "--as",
            "anna",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("0 documents, 1 annotation"),
        "{}",
        stderr(&o)
    );
    let o = spanmark(
        &dir,
        Some("anna"),
        &[
            "push",
            "article.ann",
            "article.txt",
            "--to",
            &url,
            "--as",
            "ben",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("Only ben may write the annotations of ben"),
        "{}",
        stderr(&o)
    );
    // Again, the same: nothing written. From another device, with one more span: merged with
    // what the server has, never written over.
    let o = spanmark(
        &dir,
        Some("anna"),
        &[
            "push",
            "article.ann",
            "article.txt",
            "--to",
            &url,
            "--as",
            "anna",
        ],
    );
    assert!(
        stderr(&o).contains("0 annotations (1 the same as on the server)"),
        "{}",
        stderr(&o)
    );
    let other = dir.join("other-device");
    std::fs::create_dir_all(&other).unwrap();
    let first_word = txt.split_whitespace().next().unwrap();
    let more = format!(
        "{ann}T99\tPlace 0 {}\t{first_word}\n",
        first_word.chars().count()
    );
    std::fs::write(other.join("article.ann"), &more).unwrap();
    std::fs::write(other.join("article.txt"), &txt).unwrap();
    let o = spanmark(
        &other,
        Some("anna"),
        &[
            "push",
            "article.ann",
            "article.txt",
            "--to",
            &url,
            "--as",
            "anna",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("merged with the version on the server (1 span added"),
        "{}",
        stderr(&o)
    );
    let id = &original.document.id;
    let (status, body) = http(
        server.port,
        "GET",
        &format!("/news/ann:{id}:anna"),
        Some(("ben", "ben-pw")),
        "",
    );
    assert_eq!(status, 200, "{body}");

    // pull: the document once for anna, in every format; the same spans (and links).
    for format in Format::ALL.into_iter().filter(|f| carries(*f).spans) {
        let out = folder(&format!("pull-{}", format.id()));
        let o = spanmark(
            &dir,
            Some("ben"),
            &[
                "pull",
                &url,
                "--to",
                format.id(),
                "-o",
                &format!("{}/", out.display()),
            ],
        );
        assert!(o.status.success(), "{}: {}", format.id(), stderr(&o));
        let files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| {
                let p = e.unwrap().path();
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read(&p).unwrap(),
                )
            })
            .collect();
        // CoNLL and IOB2 align onto the text.
        let mut files = files;
        if matches!(format, Format::Conll | Format::Iob2) {
            let stem = files[0].0.rsplit_once('.').unwrap().0.to_owned();
            files.push((format!("{stem}.txt"), txt.as_bytes().to_vec()));
        }
        let pulled = open_files(&files, &empty).unwrap().documents.remove(0);
        assert_eq!(
            pulled.document.text,
            original.document.text,
            "{}",
            format.id()
        );
        let (spans, relations) = shape(&pulled);
        let (mut spans0, relations0) = shape(&original);
        // The merge kept every span of both devices: the original's and the one added.
        spans0.push((0, first_word.chars().count(), "Place".to_owned()));
        spans0.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        let mut spans = spans;
        spans.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        assert_eq!(spans, spans0, "{}: spans", format.id());
        if carries(format).relations {
            assert_eq!(relations, relations0, "{}: relations", format.id());
        }
        if format == Format::Native {
            assert_eq!(pulled.document.title, "article (anna)");
        }
    }
}

/// A plain text has no labels of its own: pushed as a project's document, it gets the default
/// labels, so that its annotators have something to tag with.
#[test]
fn a_plain_text_pushed_to_a_project_gets_the_default_labels() {
    let server = start();
    let url = format!("http://127.0.0.1:{}/plain", server.port);
    let dir = folder("plain");
    std::fs::write(dir.join("note.txt"), "Kerry met Lavrov in Geneva.").unwrap();
    let o = spanmark(&dir, Some(ADMIN.0), &["init", &url]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = spanmark(&dir, Some("cora"), &["push", "note.txt", "--to", &url]);
    assert!(o.status.success(), "{}", stderr(&o));
    let id = spanmark_core::Document::new("note", "Kerry met Lavrov in Geneva.").id;
    let (status, body) = http(
        server.port,
        "GET",
        &format!("/plain/doc:{id}"),
        Some(ADMIN),
        "",
    );
    assert_eq!(status, 200, "{body}");
    let doc: serde_json::Value = serde_json::from_str(&body).unwrap();
    let names: Vec<&str> = doc["schema"]["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Actor", "Place", "Claim", "Denial"], "{doc}");
}
