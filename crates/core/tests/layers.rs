//! The layer rule, checked on the dependency graph: the pure crates (`spanmark-core` and
//! `spanmark-formats`, which sits on it) have no browser crate among their normal
//! dependencies, for any target. Only the web app (the workspace's root package) may have them.

// Test code: a failed assumption should stop the test, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

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
