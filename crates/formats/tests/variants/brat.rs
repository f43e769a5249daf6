//! Counts the items of a brat fixture from its `.ann` lines: one per line (a relation, event,
//! attribute, note, normalization or equivalence), except a text-bound annotation, which is one
//! per fragment — or one when every gap between its fragments is white space with a line break
//! in it (a span across lines, as brat has to write it). The gaps are read from the fixture's
//! `.txt`.

use std::path::Path;

/// The items of fixture `name`.
pub fn items(name: &str, content: &str) -> usize {
    let stem = name.split('.').next().unwrap();
    let txt = Path::new(super::ROOT)
        .join("brat")
        .join(format!("{stem}.txt"));
    let text: Vec<char> = std::fs::read_to_string(&txt)
        .unwrap_or_else(|e| panic!("{}: {e}", txt.display()))
        .chars()
        .collect();
    content
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let (id, rest) = line.split_once('\t').unwrap();
            if !id.starts_with('T') {
                return 1;
            }
            // `Type 0 5;9 14`: the offsets after the type.
            let head = rest.split('\t').next().unwrap();
            let offsets = head.split_once(' ').unwrap().1;
            let fragments: Vec<(usize, usize)> = offsets
                .split(';')
                .map(|f| {
                    let (a, b) = f.trim().split_once(' ').unwrap();
                    (a.parse().unwrap(), b.parse().unwrap())
                })
                .collect();
            let across_lines = fragments.windows(2).all(|w| {
                let gap = &text[w[0].1..w[1].0];
                !gap.is_empty()
                    && gap.iter().all(|c| c.is_whitespace())
                    && gap.iter().any(|c| matches!(c, '\n' | '\r'))
            });
            if across_lines {
                1
            } else {
                fragments.len()
            }
        })
        .sum()
}
