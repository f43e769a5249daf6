//! The formats Spanmark reads and writes ([`Format`]): their ids, names and file suffixes.

/// The formats Spanmark reads and writes. The ids are what the command line takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Spanmark's own JSON file (docs/FORMAT.md).
    Native,
    /// Plain text: a document without annotations.
    Text,
    /// brat standoff: the `.ann` beside the document's `.txt`.
    Brat,
    /// CoNLL 2003-style columns.
    Conll,
    /// IOB2 token/tag columns.
    Iob2,
    /// doccano JSONL.
    Doccano,
    /// Label Studio JSON tasks.
    LabelStudio,
    /// spaCy training JSON.
    Spacy,
    /// W3C Web Annotation JSON-LD.
    W3c,
}

impl Format {
    /// Every format, in the order menus list them.
    pub const ALL: [Format; 9] = [
        Format::Native,
        Format::Text,
        Format::Brat,
        Format::Conll,
        Format::Iob2,
        Format::Doccano,
        Format::LabelStudio,
        Format::Spacy,
        Format::W3c,
    ];

    /// The id the command line and the download menu use.
    pub fn id(self) -> &'static str {
        match self {
            Format::Native => "spanmark",
            Format::Text => "text",
            Format::Brat => "brat",
            Format::Conll => "conll",
            Format::Iob2 => "iob2",
            Format::Doccano => "doccano",
            Format::LabelStudio => "label-studio",
            Format::Spacy => "spacy",
            Format::W3c => "w3c",
        }
    }

    /// The format with this id, or of the variant with this id ([`Format::VARIANTS`]).
    pub fn from_id(id: &str) -> Option<Format> {
        let id = id.trim().to_lowercase();
        Format::ALL.into_iter().find(|f| f.id() == id).or_else(|| {
            Format::VARIANTS
                .iter()
                .find(|v| v.id == id)
                .map(|v| v.format)
        })
    }

    /// The variants of formats that other tools export, each read by its format's reader,
    /// which tells them apart by their content: the ids name them on the command line.
    /// CoNLL and IOB2 read every tag scheme (IOB1, IOB2, BIOES, BILOU) whatever the name; the
    /// schemes' ids name token and tag columns, as flair and most corpora write them (often in a
    /// `.txt`, which would otherwise open as plain text).
    pub const VARIANTS: [Variant; 10] = [
        Variant::new(
            "doccano-json",
            Format::Doccano,
            "doccano's JSON export (an array of records)",
        ),
        Variant::new(
            "doccano-legacy",
            Format::Doccano,
            "doccano's older export (numeric label ids)",
        ),
        Variant::new(
            "label-studio-min",
            Format::LabelStudio,
            "Label Studio's JSON-MIN export",
        ),
        Variant::new("spacy-v2", Format::Spacy, "spaCy v2 JSON training format"),
        Variant::new(
            "ner-annotator",
            Format::Spacy,
            "NER Annotator for spaCy export",
        ),
        Variant::new("recogito", Format::W3c, "RecogitoJS annotations (W3C)"),
        Variant::new("iob1", Format::Iob2, "IOB1 token and tag columns"),
        Variant::new("bioes", Format::Iob2, "BIOES token and tag columns (flair)"),
        Variant::new("iobes", Format::Iob2, "IOBES: BIOES by its other name"),
        Variant::new("bilou", Format::Iob2, "BILOU token and tag columns"),
    ];

    /// A human name.
    pub fn name(self) -> &'static str {
        match self {
            Format::Native => "Spanmark JSON",
            Format::Text => "Plain text",
            Format::Brat => "brat standoff (.ann)",
            Format::Conll => "CoNLL 2003",
            Format::Iob2 => "IOB2",
            Format::Doccano => "doccano JSONL",
            Format::LabelStudio => "Label Studio JSON",
            Format::Spacy => "spaCy training JSON",
            Format::W3c => "W3C Web Annotation",
        }
    }

    /// The suffix of the files it writes.
    pub fn suffix(self) -> &'static str {
        match self {
            Format::Native => ".spanmark.json",
            Format::Text => ".txt",
            Format::Brat => ".ann",
            Format::Conll => ".conll",
            Format::Iob2 => ".iob2",
            Format::Doccano => ".jsonl",
            Format::LabelStudio => ".label-studio.json",
            Format::Spacy => ".spacy.json",
            Format::W3c => ".jsonld",
        }
    }
}

/// A variant of a format that another tool exports: read by its format's reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Variant {
    /// The id the command line takes.
    pub id: &'static str,
    /// The format whose reader reads it.
    pub format: Format,
    /// A human name.
    pub name: &'static str,
}

impl Variant {
    const fn new(id: &'static str, format: Format, name: &'static str) -> Self {
        Variant { id, format, name }
    }
}
