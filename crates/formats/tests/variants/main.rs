//! Every variant of every format people's tools export, read as a user opens it: the fixtures
//! in `tests/fixtures/variants/<format>/` (their sources and licences in that folder's
//! README.md), each opened with the files that belong to it, as the app and the command line
//! open them.
//!
//! Two checks per fixture:
//! - **Nothing lost in silence**: the fixture's items (spans, relations, notes, attributes,
//!   document labels… as each format has them), counted here from the file itself by a counter
//!   that shares no code with the reader, equal the items read plus the items a warning says
//!   were skipped.
//! - **Exactly as expected**: what is read (titles, label and relation-type names, every span,
//!   relation and note, every warning) is rendered as text and compared with the fixture's
//!   `.expected` file. `SPANMARK_BLESS=1` writes the `.expected` files instead; read the diff.
//!
//! A fixture `NAME.EXT` opens with `NAME.txt` (its text, for formats that take one) and
//! `NAME.labels.json` (a doccano label file) when they are beside it. `NAME.strict.EXT` is
//! opened strictly.

// Test code: a failed assumption should stop the test, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod brat;
mod conll;
mod doccano;
mod label_studio;
mod spacy;
mod w3c;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use spanmark_core::Schema;
use spanmark_formats::convert::{open_files_with, ReadOptions};
use spanmark_formats::Imported;

/// The fixtures' folder.
const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/variants");

/// The fixtures of format folder `group`: every file but companions, expectations and notes.
fn fixtures(group: &str) -> Vec<PathBuf> {
    let dir = Path::new(ROOT).join(group);
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            !(name.ends_with(".expected")
                || name.ends_with(".labels.json")
                || name == "README.md"
                || (name.ends_with(".txt") && has_partner(p)))
        })
        .collect();
    found.sort();
    assert!(!found.is_empty(), "no fixtures in {}", dir.display());
    found
}

/// Whether a `.txt` is the text of another fixture of the same stem.
fn has_partner(txt: &Path) -> bool {
    let stem = txt.file_stem().unwrap().to_string_lossy().to_string();
    std::fs::read_dir(txt.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .any(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            p != txt
                && !name.ends_with(".expected")
                && !name.ends_with(".labels.json")
                && name.split('.').next() == Some(stem.as_str())
        })
}

/// The stem a fixture's companions share: its name up to the first dot.
fn stem(path: &Path) -> String {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    name.split('.').next().unwrap().to_owned()
}

/// Opens a fixture with its companions, as the app does with files picked together.
fn open(path: &Path) -> Result<Imported, String> {
    let dir = path.parent().unwrap();
    let stem = stem(path);
    let mut files = vec![(
        path.file_name().unwrap().to_string_lossy().to_string(),
        std::fs::read(path).unwrap(),
    )];
    for companion in [format!("{stem}.txt"), format!("{stem}.labels.json")] {
        let p = dir.join(&companion);
        if p.is_file() && p != path {
            files.push((companion, std::fs::read(&p).unwrap()));
        }
    }
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let options = ReadOptions {
        strict: name.contains(".strict."),
        ..ReadOptions::default()
    };
    // No schema of their own: the names are the file's, exactly.
    let schema = Schema {
        labels: Vec::new(),
        relation_types: Vec::new(),
    };
    open_files_with(&files, &schema, &options).map_err(|errors| {
        errors
            .iter()
            .map(|(name, e)| format!("error {name}: {e}\n"))
            .collect()
    })
}

/// What was read, as text: every document's names, spans, relations and notes, then every
/// warning, then how many items were read.
fn render(imported: &Imported) -> String {
    let mut out = String::new();
    for doc in &imported.documents {
        let _ = writeln!(
            out,
            "document {:?} ({} code points)",
            doc.document.title,
            doc.document.text.chars().count()
        );
        let used: Vec<&str> = doc.spans().iter().map(|s| s.label.as_str()).collect();
        for label in doc
            .schema
            .labels
            .iter()
            .filter(|l| used.contains(&l.id.as_str()))
        {
            let _ = writeln!(out, "  label {:?}", label.name);
        }
        let kinds: Vec<&str> = doc.relations.iter().map(|r| r.kind.as_str()).collect();
        for r in doc
            .schema
            .relation_types
            .iter()
            .filter(|r| kinds.contains(&r.id.as_str()))
        {
            let _ = writeln!(out, "  relation type {:?}", r.name);
        }
        let name_of = |id: &str| {
            doc.schema
                .label(id)
                .map_or_else(|| id.to_owned(), |l| l.name.clone())
        };
        for s in doc.spans() {
            let _ = writeln!(
                out,
                "  span {} {}..{} {:?} {:?}",
                s.id,
                s.start,
                s.end,
                name_of(&s.label),
                s.text
            );
            if let Some(note) = &s.note {
                let _ = writeln!(out, "    note {note:?}");
            }
        }
        for r in &doc.relations {
            let kind = doc
                .schema
                .relation_type(&r.kind)
                .map_or_else(|| r.kind.clone(), |t| t.name.clone());
            let _ = writeln!(out, "  relation {} {kind:?} {} -> {}", r.id, r.from, r.to);
        }
        if let Some(note) = &doc.document.note {
            let _ = writeln!(out, "  document note {note:?}");
        }
    }
    for w in &imported.warnings {
        let kind = if w.skipped { "skipped" } else { "warning" };
        let _ = writeln!(out, "{kind} {}: {}", w.at, w.message);
    }
    let _ = writeln!(out, "read {}", imported.read);
    out
}

/// Checks every fixture of `group`: its items all accounted for, and what is read as expected.
fn check_group(group: &str, count: fn(&str, &str) -> usize) {
    let bless = std::env::var_os("SPANMARK_BLESS").is_some();
    let mut failures = Vec::new();
    for path in fixtures(group) {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let content = String::from_utf8(std::fs::read(&path).unwrap()).unwrap();
        let opened = open(&path);
        let rendered = match &opened {
            Ok(imported) => {
                let items = count(&name, &content);
                let skipped = imported.warnings.iter().filter(|w| w.skipped).count();
                if imported.read + skipped != items {
                    failures.push(format!(
                        "{group}/{name}: the file holds {items} items, but {} were read and {skipped} skipped with a warning",
                        imported.read
                    ));
                }
                render(imported)
            }
            Err(errors) => errors.clone(),
        };
        let expected_path = path.with_file_name(format!("{name}.expected"));
        if bless {
            std::fs::write(&expected_path, &rendered).unwrap();
            continue;
        }
        match std::fs::read_to_string(&expected_path) {
            Ok(expected) if expected == rendered => {}
            Ok(expected) => failures.push(format!(
                "{group}/{name}: read differently than {}:\n--- expected\n{expected}\n--- read\n{rendered}",
                expected_path.display()
            )),
            Err(_) => failures.push(format!(
                "{group}/{name}: no {} (SPANMARK_BLESS=1 writes it; read it before committing)",
                expected_path.display()
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn brat_variants_read_every_item() {
    check_group("brat", brat::items);
}

#[test]
fn conll_variants_read_every_item() {
    check_group("conll", conll::items);
}

#[test]
fn doccano_variants_read_every_item() {
    check_group("doccano", doccano::items);
}

#[test]
fn label_studio_variants_read_every_item() {
    check_group("label-studio", label_studio::items);
}

#[test]
fn spacy_variants_read_every_item() {
    check_group("spacy", spacy::items);
}

#[test]
fn w3c_variants_read_every_item() {
    check_group("w3c", w3c::items);
}
