use super::*;
use proptest::prelude::*;
use spanmark_core::agreement::{agreement, Annotation};
use spanmark_core::{AnnotatedDocument, Document};
use spanmark_testkit::annotators::{
    four, named, named_as, worked_example, TEXT, WORKED_EXAMPLE_FILES,
};
use spanmark_testkit::versions::odd_document;
use spanmark_testkit::{annotated, link};

fn report(docs: &[AnnotatedDocument]) -> Report {
    report_of(&named(docs))
}

fn report_of(annotations: &[Annotation]) -> Report {
    agreement(annotations).unwrap()
}

#[test]
fn kappa_undefined_because_every_word_has_one_label_is_said_so() {
    let empty = AnnotatedDocument::new(Document::new("t", TEXT));
    assert!(table(&report(&[empty.clone(), empty]))
        .contains("Cohen's kappa: undefined (every word has the same label"));
}

#[test]
fn the_table_lines_up_its_columns() {
    let mut a = four();
    link(&mut a, "said_by", "s3", "s2");
    let b = annotated(TEXT, &[("Lavrov", "actor"), ("denied it", "claim")]);
    let table = table(&report(&[a, b]));
    let expected = "\
Annotators: A = A, B = B
Precision and recall of B measured against A.

Label       A  B  Exact P  Exact R  Exact F1  Overlap P  Overlap R  Overlap F1
Actor       2  1    1.000    0.500     0.667      1.000      0.500       0.667
Place       1  0        -    0.000     0.000          -      0.000       0.000
Claim       0  1    0.000        -     0.000      0.000          -       0.000
Denial      1  0        -    0.000     0.000          -      0.000       0.000
All labels  4  2    0.500    0.250     0.333      0.500      0.250       0.333
Relations   1  0        -    0.000     0.000

Tokens: 7
Cohen's kappa: 0.282
Fleiss' kappa: 0.211
";
    // Actor: Lavrov matched, of B's 1 and A's 2. All labels: 1 of B's 2 and A's 4.
    // Tokens A: actor O actor denial denial O place; B: actor O O claim claim O O.
    // Agreed: Lavrov, said, in (3). A: actor 2, O 2, denial 2, place 1; B: actor 1,
    // O 4, claim 2; Σ = 2·1 + 2·4 = 10. Cohen = (7·3 − 10) / (49 − 10) = 11/39 = 0.282.
    // Fleiss: S = 3·2² + 4·(1 + 1) = 20, M = 14; 14 labels: actor 3, O 6, denial 2,
    // claim 2, place 1, C = 9 + 36 + 4 + 4 + 1 = 54;
    // ((20 − 14)·14 − 54) / (14² − 54) = 30/142 = 0.211.
    assert_eq!(table, expected);
}

#[test]
fn the_table_of_the_worked_example_is_the_one_documented() {
    let docs = worked_example();
    let r = report_of(&named_as(&docs, &WORKED_EXAMPLE_FILES));
    // The table docs/AGREEMENT.md shows is the one printed.
    let doc = include_str!("../../../../docs/AGREEMENT.md");
    let (_, after) = doc.split_once("b.spanmark.json` prints:\n\n```\n").unwrap();
    let (shown, _) = after.split_once("```").unwrap();
    assert_eq!(table(&r), shown);
}

proptest! {
    #[test]
    fn the_table_of_odd_documents_never_panics(a in odd_document(), b in odd_document(), c in odd_document()) {
        let docs = [a, b, c];
        for n in [2, 3] {
            let _ = table(&report(&docs[..n]));
        }
    }
}
