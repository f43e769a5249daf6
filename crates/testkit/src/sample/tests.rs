use super::*;
use spanmark_core::offsets::slice_cp;
use spanmark_core::snap::check_range;
use spanmark_formats::native;

#[test]
fn is_deterministic_and_seed_dependent() {
    let a = generate(7, 20_000, 200);
    assert_eq!(a, generate(7, 20_000, 200));
    assert_ne!(a.document.text, generate(8, 20_000, 200).document.text);
}

#[test]
fn one_mebibyte_with_ten_thousand_spans_has_the_size_and_count_asked_for() {
    let target = 1 << 20;
    let d = generate(1, target, 10_000);
    let len = d.document.text.len();
    assert!(len <= target && len >= target - target / 100, "{len} bytes");
    assert_eq!(d.spans().len(), 10_000);
    assert!(d.relations.len() >= 900, "{} relations", d.relations.len());
    let text = &d.document.text;
    assert!(!text.is_ascii());
    for needle in ["é", "ü", "Москва", "東京", "👩‍👩‍👧", "دمشق"] {
        assert!(text.contains(needle), "{needle} missing");
    }
    for label in LABELS {
        assert!(d.spans().iter().any(|s| s.label == label), "no {label}");
    }
    for kind in ["said_by", "denies", "located_in"] {
        assert!(d.relations.iter().any(|r| r.kind == kind), "no {kind}");
    }
    // Paragraphs of varied length, blank lines among them.
    let lines: Vec<usize> = text.split('\n').map(str::len).collect();
    assert!(lines.contains(&0));
    assert!(lines.iter().any(|&l| l > 1000) && lines.iter().any(|&l| (1..200).contains(&l)));
}

#[test]
fn every_span_is_valid_and_some_nest_and_some_cross() {
    let d = generate(3, 100_000, 1_000);
    assert_eq!(d.spans().len(), 1_000);
    let text = &d.document.text;
    for s in d.spans() {
        assert_eq!(check_range(text, s.start, s.end), Ok(()), "{s:?}");
        assert_eq!(slice_cp(text, s.start, s.end), Some(s.text.as_str()));
    }
    let spans = d.spans();
    let nested = spans.iter().any(|a| {
        spans
            .iter()
            .any(|b| a.id != b.id && a.start <= b.start && b.end <= a.end)
    });
    let crossing = spans.iter().any(|a| {
        spans
            .iter()
            .any(|b| a.start < b.start && b.start < a.end && a.end < b.end)
    });
    assert!(nested && crossing);
}

#[test]
fn round_trips_through_the_native_file() {
    // `native::parse` checks every span against the text and every relation against the schema.
    let d = generate(5, 100_000, 1_000);
    assert_eq!(native::parse(&native::write(&d)), Ok(d));
}
