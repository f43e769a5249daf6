use super::*;
use crate::native;
use spanmark_testkit::default_article;

#[test]
fn detects_by_extension() {
    let cases = [
        ("a.ann", Format::Brat),
        ("A.CONLL", Format::Conll),
        ("eng.conll03", Format::Conll),
        ("x.iob", Format::Iob2),
        ("x.iob2", Format::Iob2),
        ("x.bio", Format::Iob2),
        ("data.jsonl", Format::Doccano),
        ("notes.jsonld", Format::W3c),
        ("a.txt", Format::Text),
        ("a.text", Format::Text),
    ];
    for (name, format) in cases {
        assert_eq!(detect(name, ""), Some(format), "{name}");
    }
    assert_eq!(detect("a.pdf", "{}"), None);
    assert_eq!(detect("README", "hello"), None);
}

#[test]
fn detects_json_by_content() {
    let native_file = native::write(&default_article());
    let cases = [
        (native_file.as_str(), Some(Format::Native)),
        (
            r#"[["Kerry denied it", {"entities": [[0, 5, "PERSON"]]}]]"#,
            Some(Format::Spacy),
        ),
        (
            r#"[{"text": "Kerry", "entities": [{"start": 0, "end": 5, "label": "PERSON"}]}]"#,
            Some(Format::Spacy),
        ),
        // doccano's JSON export, doccano 1.x (`data`), its older numeric-label export.
        (
            r#"[{"text": "Kerry", "entities": [{"id": 1, "start_offset": 0, "end_offset": 5, "label": "PER"}]}]"#,
            Some(Format::Doccano),
        ),
        (
            r#"[{"data": "Kerry", "label": [[0, 5, "PER"]]}]"#,
            Some(Format::Doccano),
        ),
        (
            "{\n  \"text\": \"Kerry\",\n  \"annotations\": [{\"label\": 3, \"start_offset\": 0, \"end_offset\": 5}]\n}",
            Some(Format::Doccano),
        ),
        // A first record with no spans yet tells nothing: the next one decides.
        (
            r#"[{"text": "a", "entities": [], "relations": []}, {"text": "Kerry", "entities": [{"id": 1, "start_offset": 0, "end_offset": 5, "label": "PER"}]}]"#,
            Some(Format::Doccano),
        ),
        (
            "{\"text\": \"a\"}\n{\"text\": \"Kerry\", \"label\": [[0, 5, \"PER\"]]}\n",
            Some(Format::Doccano),
        ),
        (
            r#"[{"text": "a", "entities": []}, {"text": "Kerry", "entities": [[0, 5, "PER"]]}]"#,
            Some(Format::Spacy),
        ),
        // Label Studio's JSON-MIN export: no `data`, a list of regions under the control's name
        // (read as doccano and refused before).
        (
            r#"[{"id": 1, "text": "Kerry", "label": [{"start": 0, "end": 5, "text": "Kerry", "labels": ["PER"]}], "annotator": 1}]"#,
            Some(Format::LabelStudio),
        ),
        // spaCy v2's training format and the NER Annotator's export.
        (
            r#"[{"id": 0, "paragraphs": [{"raw": "Kerry", "sentences": []}]}]"#,
            Some(Format::Spacy),
        ),
        (
            r#"{"classes": ["PER"], "annotations": [["Kerry", {"entities": [[0, 5, "PER"]]}]]}"#,
            Some(Format::Spacy),
        ),
        (
            r#"[{"data": {"text": "Kerry"}, "annotations": [{"result": []}]}]"#,
            Some(Format::LabelStudio),
        ),
        (
            r#"{"data": {"text": "Kerry"}, "predictions": []}"#,
            Some(Format::LabelStudio),
        ),
        (
            r#"{"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation"}"#,
            Some(Format::W3c),
        ),
        (
            r#"{"type": "AnnotationCollection", "first": {"items": []}}"#,
            Some(Format::W3c),
        ),
        (
            r#"[{"@context": "http://www.w3.org/ns/anno.jsonld", "id": "a1"}]"#,
            Some(Format::W3c),
        ),
        (
            r#"{"text": "Kerry", "label": [[0, 5, "PERSON"]]}"#,
            Some(Format::Doccano),
        ),
        (
            r#"{"id": 1, "text": "Kerry", "entities": [], "relations": []}"#,
            Some(Format::Doccano),
        ),
        (
            "{\"text\": \"a\", \"label\": []}\n{\"text\": \"b\", \"label\": []}\n",
            Some(Format::Doccano),
        ),
        (r#"{"hello": 1}"#, None),
        ("[]", None),
        ("[1, 2]", None),
        ("{ not json", None),
        ("", None),
    ];
    for (content, format) in cases {
        assert_eq!(detect("x.json", content), format, "{content}");
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn detect_never_panics(s in "\\PC{0,200}") {
            let _ = detect("x.json", &s);
        }
    }
}
