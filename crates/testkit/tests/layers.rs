//! The layer rules, checked on the code as it is:
//! - the pure crates (`spanmark-core` and `spanmark-formats`, which sits on it) have no browser
//!   crate among their normal dependencies, for any target; only the web app (the workspace's
//!   root package) may have them;
//! - within every crate, module imports point one way: no module uses (through `super::` or
//!   `crate::`) a module that uses it back, directly or through others.

// Test code: a failed assumption should stop the test, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::process::Command;

/// Crate names that belong to the browser: none of them may reach the pure layers.
fn is_browser_crate(name: &str) -> bool {
    ["leptos", "web-sys", "js-sys", "wasm-bindgen", "gloo"]
        .iter()
        .any(|prefix| name == *prefix || name.starts_with(&format!("{prefix}-")))
        || name.starts_with("leptos_")
}

/// The names of every crate in `package`'s normal dependency tree, on every target.
fn normal_dependencies(package: &str) -> Vec<String> {
    let out = Command::new(env!("CARGO"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "tree",
            "--offline",
            "--locked",
            "--package",
            package,
            "--edges",
            "normal",
            "--target",
            "all",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .output()
        .expect("cargo tree runs");
    assert!(
        out.status.success(),
        "cargo tree -p {package} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut names: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.split_whitespace().next().unwrap_or("").to_owned())
        .filter(|n| !n.is_empty())
        .collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn core_and_formats_depend_on_no_browser_crate() {
    for package in ["spanmark-core", "spanmark-formats"] {
        let deps = normal_dependencies(package);
        assert!(
            deps.iter().any(|d| d == "serde"),
            "{package}: the tree was not read ({deps:?})"
        );
        let browser: Vec<&String> = deps.iter().filter(|d| is_browser_crate(d)).collect();
        assert!(
            browser.is_empty(),
            "{package} depends on browser crates: {browser:?}"
        );
    }
}

#[test]
fn the_web_app_is_where_the_browser_crates_are() {
    // The same check finds them where they belong: it can fail.
    let deps = normal_dependencies("spanmark");
    for expected in ["leptos", "web-sys", "wasm-bindgen", "gloo-storage"] {
        assert!(
            deps.iter().any(|d| d == expected),
            "{expected} not found in the web app's tree"
        );
    }
}

/// The source files of the crate whose `src/` is `src`, by module path (`crate` for `lib.rs`
/// or `main.rs`, `ui::text` for `ui/text.rs`); test files (`tests.rs`) are left out.
fn modules(src: &Path) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let mut folders = vec![src.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).expect("a source folder") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path
                .strip_prefix(src)
                .expect("inside src")
                .with_extension("");
            let mut parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if parts.last().is_some_and(|p| p == "tests") {
                continue;
            }
            if parts
                .last()
                .is_some_and(|p| ["mod", "lib", "main"].contains(&p.as_str()))
            {
                parts.pop();
            }
            let name = if parts.is_empty() {
                "crate".to_owned()
            } else {
                parts.join("::")
            };
            found.insert(name, fs::read_to_string(&path).expect("a source file"));
        }
    }
    found
}

/// The code of a source file without comments and without what follows its first
/// `#[cfg(test)]` (its test module, kept at the end of every file).
fn production_code(source: &str) -> String {
    let code = source.split("#[cfg(test)]").next().unwrap_or("");
    code.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules that module `name` uses through `super::` and `crate::` paths (its own
/// submodules aside), among `known`.
fn uses(name: &str, code: &str, known: &BTreeMap<String, String>) -> BTreeSet<String> {
    let parent = name.rsplit_once("::").map_or("crate", |(p, _)| p);
    let mut found = BTreeSet::new();
    for base in ["super::", "crate::"] {
        for (at, _) in code.match_indices(base) {
            // `super::` inside `a::super::` does not happen; `crate::` must not be part of
            // a longer name (`spanmark_crate::`).
            let before = code[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let rest = &code[at + base.len()..];
            let items: Vec<&str> = if let Some(list) = rest.strip_prefix('{') {
                let list = list.split('}').next().unwrap_or("");
                list.split(',').collect()
            } else {
                vec![rest]
            };
            for item in items {
                let first: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let target = match (base, first.as_str()) {
                    ("super::", "" | "self") => parent.to_owned(),
                    ("crate::", "" | "self") => "crate".to_owned(),
                    ("super::", _) if parent == "crate" => first.clone(),
                    ("super::", _) => format!("{parent}::{first}"),
                    _ => first.clone(),
                };
                let target = if known.contains_key(&target) {
                    target
                } else if base == "super::" {
                    parent.to_owned()
                } else {
                    "crate".to_owned()
                };
                if target != name && !target.starts_with(&format!("{name}::")) {
                    found.insert(target);
                }
            }
        }
    }
    found
}

/// Every cycle of modules in `graph` (module → modules it uses), each as its modules in order.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    // Depth-first search; a back edge to a module on the current path closes a cycle.
    fn visit(
        at: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
        found: &mut Vec<Vec<String>>,
    ) {
        if let Some(i) = path.iter().position(|p| p == at) {
            found.push(path[i..].to_vec());
            return;
        }
        if done.contains(at) {
            return;
        }
        path.push(at.to_owned());
        for next in graph.get(at).into_iter().flatten() {
            visit(next, graph, path, done, found);
        }
        path.pop();
        done.insert(at.to_owned());
    }
    let mut found = Vec::new();
    let mut done = BTreeSet::new();
    for start in graph.keys() {
        visit(start, graph, &mut Vec::new(), &mut done, &mut found);
    }
    found
}

/// The module graph of the crate whose sources are in `src`.
fn module_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let known = modules(src);
    known
        .iter()
        .map(|(name, source)| (name.clone(), uses(name, &production_code(source), &known)))
        .collect()
}

#[test]
fn no_module_uses_a_module_that_uses_it_back() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for src in [
        "src",
        "crates/core/src",
        "crates/formats/src",
        "crates/cli/src",
        "crates/testkit/src",
    ] {
        let graph = module_graph(&root.join(src));
        assert!(
            graph.len() > 1 || src.contains("cli"),
            "{src}: no modules read"
        );
        assert_eq!(
            cycles(&graph),
            Vec::<Vec<String>>::new(),
            "import cycles in {src}"
        );
    }
}

#[test]
fn the_cycle_check_finds_a_cycle() {
    let module = |name: &str, code: &str| (name.to_owned(), code.to_owned());
    let known: BTreeMap<String, String> = [
        module("crate", "mod a; mod b; mod c;"),
        module("a", "use super::b::Thing;"),
        module("b", "use crate::{c, a::Other};"),
        module("c", "use super::*; // not a cycle: super is the crate root"),
    ]
    .into_iter()
    .collect();
    let graph: BTreeMap<String, BTreeSet<String>> = known
        .iter()
        .map(|(n, s)| (n.clone(), uses(n, &production_code(s), &known)))
        .collect();
    assert_eq!(graph["b"], ["a", "c"].map(String::from).into());
    assert_eq!(cycles(&graph), vec![vec!["a".to_owned(), "b".to_owned()]]);
}
