use super::*;
use spanmark_core::{Action, Document, NoteTarget, Relation};
use spanmark_testkit::{annotated, default_article};

#[test]
fn losses_follow_the_table() {
    let mut d = default_article();
    let id_of = |label: &str| {
        let span = d.spans().iter().find(|s| s.label == label);
        span.unwrap().id.clone()
    };
    let (claim, actor) = (id_of("claim"), id_of("actor"));
    d.relations.push(Relation {
        id: "r1".into(),
        kind: "said_by".into(),
        from: claim.clone(),
        to: actor,
    });
    d.apply(Action::SetNote {
        target: NoteTarget::Span(claim),
        note: Some("check".into()),
    })
    .unwrap();
    d.document.note = Some("from the wire".into());
    assert!(losses(Format::Native, &d).is_empty());
    assert_eq!(
        losses(Format::Conll, &d),
        [
            "1 relation (CoNLL 2003 has no relations)",
            "1 note (CoNLL 2003 has no notes)",
            "the document note (CoNLL 2003 has no document notes)",
        ]
    );
    assert_eq!(
        losses(Format::Text, &d)[0],
        "3 spans (Plain text has no annotations)"
    );
    assert_eq!(
        losses(Format::Brat, &d),
        [
            "the spaces in the name \"said by\" (brat standoff (.ann) writes them as _)",
            "the document note (brat standoff (.ann) has no document notes)"
        ]
    );
    // Nothing to lose, nothing said.
    let plain = AnnotatedDocument::new(Document::new("t", "Kerry"));
    for format in Format::ALL {
        assert!(losses(format, &plain).is_empty(), "{format:?}");
    }
    // Every format that carries less than Spanmark JSON says so for this document.
    for format in Format::ALL {
        let c = carries(format);
        let full = c.spans && c.overlaps && c.relations && c.span_notes && c.document_note;
        assert_eq!(losses(format, &d).is_empty(), full, "{format:?}");
    }
}

#[test]
fn overlapping_counts_spans_that_must_go() {
    let d = annotated(
        "Kerry said no in Paris today",
        &[
            ("Kerry said no", "claim"),
            ("Kerry", "actor"),
            ("said no in", "denial"),
            ("Paris", "place"),
        ],
    );
    assert_eq!(overlapping(d.spans()), 2);
}

#[test]
fn brat_says_when_a_note_loses_its_line_breaks() {
    // brat notes with line breaks were flattened on write with no warning.
    let mut d = annotated("Kerry spoke.", &[("Kerry", "actor")]);
    let id = d.spans()[0].id.clone();
    d.apply(Action::SetNote {
        target: NoteTarget::Span(id),
        note: Some("first line\nsecond line".into()),
    })
    .unwrap();
    assert_eq!(
        losses(Format::Brat, &d),
        ["the line breaks of 1 note (brat standoff (.ann) keeps a note on one line: they become spaces)"]
    );
    assert!(losses(Format::W3c, &d).is_empty());
}
