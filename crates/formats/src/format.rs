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

    /// The format with this id.
    pub fn from_id(id: &str) -> Option<Format> {
        Format::ALL
            .into_iter()
            .find(|f| f.id() == id.trim().to_lowercase())
    }

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
