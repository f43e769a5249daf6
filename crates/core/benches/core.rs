//! Host benchmarks of the core operations on a generated 1 MiB document with 10,000 spans
//! (and of merging two versions of it, and measuring their agreement).
//!
//! Plain `std::time::Instant` timing (no benchmark framework): each operation runs until it
//! has the iterations asked for or its time budget is spent (at least 3 runs), and the table
//! gives the median, 95th percentile and maximum of the individual runs. It measures and prints;
//! it asserts nothing. Run with `cargo bench --bench core` (`make bench` does).

// Test code: a failed assumption should stop the test, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use spanmark_core::agreement::{self, Annotation};
use spanmark_core::layout::{paragraph_tree, paragraphs, spans_by_paragraph};
use spanmark_core::merge;
use spanmark_core::offsets::{byte_to_cp, cp_len, cp_to_byte, cp_to_utf16, utf16_to_cp, CpIndex};
use spanmark_core::snap::{check_range, check_range_indexed, snap, SnapMode};
use spanmark_core::{Action, AnnotatedDocument, Schema};
use spanmark_formats::{conll, native, Context};
use spanmark_testkit::sample::{generate, Rng};

const SEED: u64 = 1;
const BYTES: usize = 1 << 20;
const SPANS: usize = 10_000;

struct Row {
    name: String,
    samples: Vec<Duration>,
}

/// Runs `f` (which times what it measures itself) up to `iterations` times, stopping early once
/// `budget` is spent, but never before 3 runs.
fn bench(
    rows: &mut Vec<Row>,
    name: &str,
    iterations: usize,
    budget: Duration,
    mut f: impl FnMut() -> Option<Duration>,
) {
    let began = Instant::now();
    let mut samples = Vec::with_capacity(iterations);
    let mut calls = 0;
    while samples.len() < iterations
        && (samples.len() < 3 || began.elapsed() < budget)
        && calls < iterations * 10
    {
        calls += 1;
        if let Some(d) = f() {
            samples.push(d);
        }
    }
    eprintln!(
        "  {name}: {} runs in {:.1?}",
        samples.len(),
        began.elapsed()
    );
    rows.push(Row {
        name: name.to_owned(),
        samples,
    });
}

/// Times one call of `f`.
fn time<T>(f: impl FnOnce() -> T) -> Duration {
    let t = Instant::now();
    black_box(f());
    t.elapsed()
}

/// Times applying `action` to `doc`, then undoes it, so that every run starts from the same
/// document; `None` when the action is refused.
fn time_and_undo(doc: &mut AnnotatedDocument, action: Action) -> Option<Duration> {
    let t = Instant::now();
    let result = doc.apply_with_inverse(action);
    let d = t.elapsed();
    let (_, undo) = result.ok()?;
    doc.apply(undo).ok()?;
    Some(d)
}

fn fmt(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us < 1.0 {
        format!("{:.0} ns", us * 1000.0)
    } else if us < 1000.0 {
        format!("{us:.1} µs")
    } else if us < 1e6 {
        format!("{:.2} ms", us / 1000.0)
    } else {
        format!("{:.2} s", us / 1e6)
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    // Nearest rank.
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// A random code-point range of 1–40 code points (a typical selection).
fn selection(rng: &mut Rng, len: usize) -> (usize, usize) {
    let start = rng.below(len);
    (start, (start + rng.between(1, 40)).min(len))
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is not supported (everything runs).
    let t = Instant::now();
    let doc = generate(SEED, BYTES, SPANS);
    let generated = t.elapsed();
    let text = doc.document.text.clone();
    let len = cp_len(&text);
    let file = native::write(&doc);
    eprintln!(
        "generated {} bytes, {} code points, {} spans, {} relations in {generated:.1?}; native file {} bytes",
        text.len(),
        len,
        doc.spans().len(),
        doc.relations.len(),
        file.len()
    );

    let mut rows = Vec::new();
    let mut rng = Rng::new(42);
    let second = Duration::from_secs(1);
    let budget = Duration::from_secs(10);

    bench(
        &mut rows,
        "snap::snap, words (random 1–40 cp selection)",
        2000,
        budget,
        || {
            let (s, e) = selection(&mut rng, len);
            Some(time(|| snap(&text, s, e, SnapMode::Words)))
        },
    );
    // A span's range checked, with and without an index of the text, in the text and in the
    // same text as a single line (line breaks made spaces; offsets unchanged).
    let one_line = text.replace('\n', " ");
    for (over, within) in [
        ("a span of the document", &text),
        ("a span, text as one 1 MiB line", &one_line),
    ] {
        let index = CpIndex::new(within);
        let (plain, indexed) = (
            format!("snap::check_range ({over})"),
            format!("snap::check_range_indexed ({over})"),
        );
        bench(&mut rows, &plain, 2000, budget, || {
            let s = &doc.spans()[rng.below(SPANS)];
            Some(time(|| check_range(within, s.start, s.end)))
        });
        bench(&mut rows, &indexed, 2000, budget, || {
            let s = &doc.spans()[rng.below(SPANS)];
            Some(time(|| check_range_indexed(within, &index, s.start, s.end)))
        });
    }
    bench(
        &mut rows,
        "AnnotatedDocument::span (random id of 10k)",
        2000,
        second,
        || {
            let id = doc.spans()[rng.below(SPANS)].id.clone();
            Some(time(|| doc.span(&id).map(|s| s.start)))
        },
    );

    let paras = paragraphs(&text);
    let by = spans_by_paragraph(&paras, doc.spans());
    eprintln!("{} paragraphs", paras.len());
    bench(
        &mut rows,
        "layout::paragraphs (whole text)",
        200,
        budget,
        || Some(time(|| paragraphs(&text))),
    );
    bench(
        &mut rows,
        "layout::spans_by_paragraph (10k spans)",
        200,
        budget,
        || Some(time(|| spans_by_paragraph(&paras, doc.spans()))),
    );
    bench(
        &mut rows,
        "layout::paragraph_tree, every paragraph",
        200,
        budget,
        || {
            Some(time(|| {
                paras
                    .iter()
                    .zip(&by)
                    .map(|(p, s)| paragraph_tree(p.start, &p.text, s).len())
                    .sum::<usize>()
            }))
        },
    );
    bench(
        &mut rows,
        "layout: all three, whole document",
        200,
        budget,
        || {
            Some(time(|| {
                let ps = paragraphs(&text);
                let by = spans_by_paragraph(&ps, doc.spans());
                ps.iter()
                    .zip(&by)
                    .map(|(p, s)| paragraph_tree(p.start, &p.text, s).len())
                    .sum::<usize>()
            }))
        },
    );

    // Offset conversions: a random code-point offset, made into the unit each one takes.
    let longest = paras
        .iter()
        .max_by_key(|p| p.text.len())
        .map_or("", |p| p.text.as_str());
    let longest_len = cp_len(longest);
    type Convert = fn(&str, usize) -> usize;
    let as_cp: Convert = |_, cp| cp;
    let whole = "random offset, whole text";
    let conversions: [(&str, &str, &str, usize, Convert, Convert); 5] = [
        ("cp_to_byte", whole, &text, len, as_cp, cp_to_byte),
        ("byte_to_cp", whole, &text, len, cp_to_byte, byte_to_cp),
        ("cp_to_utf16", whole, &text, len, as_cp, cp_to_utf16),
        ("utf16_to_cp", whole, &text, len, cp_to_utf16, utf16_to_cp),
        (
            "utf16_to_cp",
            "within the longest paragraph",
            longest,
            longest_len + 1,
            cp_to_utf16,
            utf16_to_cp,
        ),
    ];
    for (function, over, within, cps, from_cp, convert) in conversions {
        let name = format!("offsets::{function} ({over})");
        bench(&mut rows, &name, 2000, second, || {
            let at = from_cp(within, rng.below(cps));
            Some(time(|| convert(within, at)))
        });
    }

    bench(
        &mut rows,
        "native::write (pretty, 1 MiB / 10k spans)",
        50,
        budget,
        || Some(time(|| native::write(&doc))),
    );
    bench(
        &mut rows,
        "autosave serialization (compact JSON)",
        50,
        budget,
        || Some(time(|| serde_json::to_string(&native::file(&doc)))),
    );
    bench(
        &mut rows,
        "native::parse (1 MiB / 10k spans, checked)",
        20,
        Duration::from_secs(60),
        || Some(time(|| native::parse(&file))),
    );

    let mut big: AnnotatedDocument = doc.clone();
    const LABELS: [&str; 4] = ["actor", "place", "claim", "denial"];
    bench(
        &mut rows,
        "apply AddSpan (snapped random selection)",
        500,
        budget,
        || {
            let (s, e) = selection(&mut rng, len);
            let (s, e) = snap(&text, s, e, SnapMode::Words)?;
            let label = LABELS[rng.below(4)].to_owned();
            let add = Action::AddSpan {
                start: s,
                end: e,
                label,
            };
            time_and_undo(&mut big, add)
        },
    );
    bench(
        &mut rows,
        "apply RemoveSpan (random span)",
        500,
        budget,
        || {
            let id = big.spans()[rng.below(SPANS)].id.clone();
            time_and_undo(&mut big, Action::RemoveSpan { id })
        },
    );
    bench(
        &mut rows,
        "apply Relabel (random span)",
        500,
        budget,
        || {
            let span = &big.spans()[rng.below(SPANS)];
            let label = LABELS.iter().find(|l| **l != span.label)?.to_string();
            let id = span.id.clone();
            time_and_undo(&mut big, Action::Relabel { id, label })
        },
    );

    // Two tabs: each side removes one span and adds one; the merge of the two.
    let mut ours = doc.clone();
    let mut theirs = doc.clone();
    for (side, victim) in [(&mut ours, 0), (&mut theirs, 1)] {
        let id = side.spans()[victim].id.clone();
        side.apply(Action::RemoveSpan { id })
            .expect("a span to remove");
        let (s, e) = (0..50)
            .find_map(|_| {
                let (s, e) = selection(&mut rng, len);
                snap(&text, s, e, SnapMode::Words)
            })
            .expect("a selection that snaps");
        let _ = side.apply(Action::AddSpan {
            start: s,
            end: e,
            label: "place".into(),
        });
    }
    bench(
        &mut rows,
        "merge::merge (two tabs' versions, 1 MiB / 10k spans)",
        20,
        Duration::from_secs(60),
        || Some(time(|| merge::merge(Some(&doc), &ours, &theirs))),
    );
    bench(
        &mut rows,
        "agreement::agreement (two annotators, 1 MiB / 10k spans)",
        10,
        Duration::from_secs(60),
        || {
            let pair = [
                Annotation {
                    name: "ours",
                    doc: &ours,
                },
                Annotation {
                    name: "theirs",
                    doc: &theirs,
                },
            ];
            Some(time(|| agreement::agreement(&pair)))
        },
    );

    // IOB2 aligned onto its text: once quadratic in the text's length (counting the rest of the
    // text at every token), now linear.
    let words = 50_000;
    let (iob2_text, iob2_file) = ("wörd ".repeat(words), "wörd\tB-PER\n".repeat(words));
    let schema = Schema::default();
    let opened = conll::parse_iob2(
        &iob2_file,
        &Context {
            title: "t",
            schema: &schema,
            text: Some(&iob2_text),
            strict: false,
            label_names: None,
        },
    )
    .expect("the IOB2 file opens");
    assert_eq!(opened.documents[0].spans().len(), words);
    bench(
        &mut rows,
        "conll::parse_iob2 aligned onto its text (50,000 tokens, 50,000 spans)",
        10,
        Duration::from_secs(60),
        || {
            let ctx = Context {
                title: "t",
                schema: &schema,
                text: Some(&iob2_text),
                strict: false,
                label_names: None,
            };
            Some(time(|| conll::parse_iob2(&iob2_file, &ctx)))
        },
    );

    println!(
        "Document: `spanmark_testkit::sample::generate({SEED}, {BYTES}, {SPANS})` — {} bytes, {} code points, {} paragraphs, {} spans, {} relations; its native file is {} bytes.\n",
        text.len(),
        len,
        paras.len(),
        doc.spans().len(),
        doc.relations.len(),
        file.len()
    );
    println!("| operation | iterations | median | p95 | max |");
    println!("|---|---:|---:|---:|---:|");
    for row in &mut rows {
        row.samples.sort();
        println!(
            "| {} | {} | {} | {} | {} |",
            row.name,
            row.samples.len(),
            fmt(percentile(&row.samples, 50.0)),
            fmt(percentile(&row.samples, 95.0)),
            fmt(row.samples.last().copied().unwrap_or_default()),
        );
    }
}
