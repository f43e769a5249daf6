//! spaCy v2's JSON training format (what `spacy convert` wrote in v2; spaCy v3's `docs_to_json`
//! still writes it): `[{"id": 0, "paragraphs": [{"raw": "text…", "sentences": [{"tokens":
//! [{"id": 0, "orth": "EU", "tag": "NNP", "head": 1, "dep": "nsubj", "ner": "U-ORG"}, …],
//! "brackets": []}], "cats": [{"label": "POLITICS", "value": 1.0}]}]}, …]`.
//!
//! Each paragraph is a document, as spaCy v2 made one `Doc` of each. Its text is `raw`, onto
//! which the tokens' `orth` are aligned in order (white space between them skipped); without
//! `raw`, the text is rebuilt from the tokens: each followed by its `space` when every token
//! has one (as spaCy v3 writes them), else all joined by single spaces, sentences too. The
//! tokens' BILUO tags (`B-`, `I-`, `L-`, `U-`, `O`; `-`, empty or none for "missing") give the
//! entities, over the code points of their tokens. Document categories (`cats`) and
//! knowledge-base links are skipped with a warning each; the tokens' other annotations (tag,
//! head, dep, lemma…, the sentences' brackets) are not kept, with one warning per document.

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::{add_span, is_empty, read_spans, skip_categories, skip_links};
use crate::import::{json_kind, numbered_title, Builder, Collector, Context};

/// `item` as a spaCy v2 document: an object with `"paragraphs"`.
pub(super) fn as_document(item: &Value) -> Option<&Map<String, Value>> {
    item.as_object().filter(|o| o.contains_key("paragraphs"))
}

/// How many documents a spaCy v2 document `item` gives (one per paragraph), if it is one.
pub(super) fn documents_in(item: &Value) -> Option<usize> {
    let doc = as_document(item)?;
    Some(
        doc.get("paragraphs")
            .and_then(Value::as_array)
            .map_or(1, Vec::len),
    )
}

/// Reads spaCy v2 document `doc` (at `at`, e.g. `[0]`), one document per paragraph, titled
/// `numbered_title(ctx.title, index, count)` with `index` counting on.
pub(super) fn read_document(
    collector: &mut Collector,
    at: &str,
    doc: &Map<String, Value>,
    ctx: &Context,
    (index, count): (&mut usize, usize),
) {
    let paragraphs = match doc.get("paragraphs") {
        Some(Value::Array(paragraphs)) => paragraphs.as_slice(),
        other => {
            let kind = other.map_or("missing", json_kind);
            collector.problem(
                format!("{at}.paragraphs"),
                format!("is {kind}, not an array of paragraphs"),
            );
            *index += 1;
            return;
        }
    };
    // Said once, in the document's first paragraph.
    let mut unknown: Vec<(&String, &Value)> = doc
        .iter()
        .filter(|(k, v)| !matches!(k.as_str(), "id" | "paragraphs") && !is_empty(v))
        .collect();
    for (p, paragraph) in paragraphs.iter().enumerate() {
        let here = format!("{at}.paragraphs[{p}]");
        let title = numbered_title(ctx.title, *index, count);
        *index += 1;
        let Value::Object(paragraph) = paragraph else {
            collector.problem(
                here,
                format!("is {}, not a paragraph object", json_kind(paragraph)),
            );
            continue;
        };
        let mut b = read_paragraph(&here, paragraph, &title, ctx);
        for (key, _) in unknown.drain(..) {
            b.warn(
                format!("{at}.{key}"),
                format!("not read: {key:?} is not a key of spaCy v2's documents"),
            );
        }
        collector.push(b.finish());
    }
}

/// A token of a paragraph: where it is, its text, its NER tag and the white space after it.
struct Token<'a> {
    at: String,
    orth: &'a str,
    ner: Option<&'a Value>,
    space: Option<&'a str>,
}

/// The tokens of a paragraph, in order, and what else they carry that is not kept.
#[derive(Default)]
struct Tokens<'a> {
    tokens: Vec<Token<'a>>,
    /// The names of the token annotations (and sentence brackets) not kept.
    not_kept: Vec<String>,
    problems: Vec<(String, String)>,
}

impl<'a> Tokens<'a> {
    fn not_kept(&mut self, name: &str) {
        if !self.not_kept.iter().any(|n| n == name) {
            self.not_kept.push(name.to_owned());
        }
    }

    fn problem(&mut self, at: String, message: impl Into<String>) {
        self.problems.push((at, message.into()));
    }

    /// Collects the tokens of every sentence of `paragraph` (at `at`).
    fn of(at: &str, paragraph: &'a Map<String, Value>) -> Self {
        let mut found = Tokens::default();
        let sentences = match paragraph.get("sentences") {
            Some(Value::Array(sentences)) => sentences.as_slice(),
            None | Some(Value::Null) => &[],
            Some(other) => {
                found.problem(
                    format!("{at}.sentences"),
                    format!("is {}, not an array of sentences", json_kind(other)),
                );
                &[]
            }
        };
        for (s, sentence) in sentences.iter().enumerate() {
            let at = format!("{at}.sentences[{s}]");
            let Value::Object(sentence) = sentence else {
                found.problem(
                    at,
                    format!("is {}, not a sentence object", json_kind(sentence)),
                );
                continue;
            };
            for (key, value) in sentence {
                match key.as_str() {
                    "tokens" => found.sentence(&at, value),
                    _ if is_empty(value) => {}
                    // Phrase structure, and anything else a sentence carries.
                    other => found.not_kept(other),
                }
            }
        }
        found
    }

    /// Collects the tokens of one sentence (at `at`).
    fn sentence(&mut self, at: &str, tokens: &'a Value) {
        let tokens = match tokens {
            Value::Array(tokens) => tokens,
            Value::Null => return,
            other => {
                self.problem(
                    format!("{at}.tokens"),
                    format!("is {}, not an array of tokens", json_kind(other)),
                );
                return;
            }
        };
        for (t, token) in tokens.iter().enumerate() {
            let at = format!("{at}.tokens[{t}]");
            let Value::Object(token) = token else {
                self.problem(at, format!("is {}, not a token object", json_kind(token)));
                continue;
            };
            let Some(orth) = token.get("orth").and_then(Value::as_str) else {
                self.problem(at, "there is no \"orth\" string (the token's text)");
                continue;
            };
            let space = match token.get("space") {
                Some(Value::String(s)) => Some(s.as_str()),
                Some(Value::Bool(true)) => Some(" "),
                Some(Value::Bool(false)) => Some(""),
                _ => None,
            };
            for (key, value) in token {
                if !matches!(key.as_str(), "id" | "orth" | "ner" | "space") && !value.is_null() {
                    self.not_kept(key);
                }
            }
            self.tokens.push(Token {
                at,
                orth,
                ner: token.get("ner"),
                space,
            });
        }
    }
}

/// Reads one paragraph into a builder (its problems recorded there).
fn read_paragraph(at: &str, paragraph: &Map<String, Value>, title: &str, ctx: &Context) -> Builder {
    let Tokens {
        tokens,
        not_kept,
        problems,
    } = Tokens::of(at, paragraph);
    // In the order spaCy writes them, then any other.
    let rank = |name: &String| {
        ["tag", "pos", "morph", "lemma", "head", "dep", "brackets"]
            .iter()
            .position(|known| known == name)
            .unwrap_or(usize::MAX)
    };
    let mut not_kept = not_kept;
    not_kept.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
    let raw = match paragraph.get("raw") {
        Some(Value::String(raw)) => Some(raw.as_str()),
        None | Some(Value::Null) => None,
        Some(other) => {
            let mut b = Builder::within(title, "", ctx);
            b.problem(
                format!("{at}.raw"),
                format!("is {}, not the paragraph's text", json_kind(other)),
            );
            return b;
        }
    };
    let (text, ranges) = match raw {
        Some(raw) => (raw.to_owned(), None),
        None => {
            let (text, ranges) = rebuilt(&tokens);
            (text, Some(ranges))
        }
    };
    let mut b = Builder::within(title, &text, ctx);
    for (at, message) in problems {
        b.problem(at, message);
    }
    if raw.is_none() && !tokens.is_empty() {
        let how = if tokens.iter().all(|t| t.space.is_some()) {
            "each followed by its \"space\""
        } else {
            "joined by single spaces"
        };
        b.warn(
            at,
            format!("there is no \"raw\" text: the text is rebuilt from the tokens, {how}"),
        );
    }
    let ranges = match ranges {
        Some(ranges) => Some(ranges),
        None => aligned(&mut b, &text, &tokens),
    };
    let mut seen = HashSet::new();
    if let Some(ranges) = ranges {
        read_entities(&mut b, &tokens, &ranges, &mut seen);
    }
    for (key, value) in paragraph {
        let here = format!("{at}.{key}");
        match key.as_str() {
            "raw" | "sentences" => {}
            // spaCy v3's `docs_to_json` repeats the entities as offsets; each is kept once.
            "entities" => read_spans(&mut b, &here, value, &mut seen, false),
            "cats" => skip_categories(&mut b, &here, value),
            "links" => skip_links(&mut b, &here, value),
            other => {
                if !is_empty(value) {
                    b.warn(
                        here,
                        format!("not read: {other:?} is not a key of spaCy v2's paragraphs"),
                    );
                }
            }
        }
    }
    if !not_kept.is_empty() {
        b.warn(
            at,
            format!(
                "the token annotations ({}) are not kept: Spanmark keeps the text and its spans",
                not_kept.join(", ")
            ),
        );
    }
    b
}

/// The text of tokens without a `raw` text, and each token's code points in it: every token
/// followed by its `space` when all have one, else joined by single spaces.
fn rebuilt(tokens: &[Token]) -> (String, Vec<(usize, usize)>) {
    let spaces = tokens.iter().all(|t| t.space.is_some());
    let mut text = String::new();
    let mut ranges = Vec::with_capacity(tokens.len());
    let mut at = 0;
    for (i, token) in tokens.iter().enumerate() {
        let space = match token.space {
            Some(space) if spaces => space,
            _ if i + 1 < tokens.len() => " ",
            _ => "",
        };
        let len = token.orth.chars().count();
        ranges.push((at, at + len));
        text.push_str(token.orth);
        text.push_str(space);
        at += len + space.chars().count();
    }
    (text, ranges)
}

/// Each token's code points in `raw`: found in order, only white space skipped between them.
/// `None` (with a problem naming the token) when a token is not where it should be.
fn aligned(b: &mut Builder, raw: &str, tokens: &[Token]) -> Option<Vec<(usize, usize)>> {
    let mut ranges = Vec::with_capacity(tokens.len());
    let (mut byte, mut cp) = (0, 0);
    for token in tokens {
        loop {
            let rest = raw.get(byte..).unwrap_or_default();
            if rest.starts_with(token.orth) {
                let len = token.orth.chars().count();
                ranges.push((cp, cp + len));
                byte += token.orth.len();
                cp += len;
                break;
            }
            match rest.chars().next() {
                Some(c) if c.is_whitespace() => {
                    byte += c.len_utf8();
                    cp += 1;
                }
                found => {
                    let found = match found {
                        Some(_) => format!("{:?}", rest.chars().take(20).collect::<String>()),
                        None => "the end of the text".to_owned(),
                    };
                    b.problem(
                        &token.at,
                        format!(
                            "the token {:?} is not in the raw text where the tokens before it \
                             end: code point {cp} holds {found}",
                            token.orth
                        ),
                    );
                    return None;
                }
            }
        }
    }
    Some(ranges)
}

/// A token's NER tag.
enum Tag<'a> {
    /// `-`, empty or none: not annotated.
    Missing,
    /// `O`: outside any entity.
    Outside,
    Begin(&'a str),
    Inside(&'a str),
    Last(&'a str),
    Unit(&'a str),
}

/// The tag of `token`, or why it is not a BILUO tag.
fn tag<'a>(token: &Token<'a>) -> Result<Tag<'a>, String> {
    let tag = match token.ner {
        None | Some(Value::Null) => return Ok(Tag::Missing),
        Some(Value::String(tag)) => tag.as_str(),
        Some(other) => return Err(format!("the NER tag is {}, not a string", json_kind(other))),
    };
    let label = |name: &'a str| {
        if name.trim().is_empty() {
            Err(format!("the NER tag {tag:?} has no label"))
        } else {
            Ok(name)
        }
    };
    match tag.split_once('-') {
        _ if tag.is_empty() || tag == "-" => Ok(Tag::Missing),
        _ if tag == "O" => Ok(Tag::Outside),
        Some(("B", name)) => label(name).map(Tag::Begin),
        Some(("I", name)) => label(name).map(Tag::Inside),
        Some(("L", name)) => label(name).map(Tag::Last),
        Some(("U", name)) => label(name).map(Tag::Unit),
        _ => Err(format!(
            "the NER tag {tag:?} is not a BILUO tag (B-, I-, L-, U- and a label; O; or - for missing)"
        )),
    }
}

/// An entity begun (`B-`) and not yet closed: its first and last tokens so far, and its label.
type Open<'a> = (usize, usize, &'a str);

/// The entities of a paragraph's tokens, as they are read.
struct Entities<'t, 'a> {
    tokens: &'t [Token<'a>],
    /// Each token's code points in the text.
    ranges: &'t [(usize, usize)],
    seen: &'t mut HashSet<(usize, usize, String)>,
}

impl Entities<'_, '_> {
    /// Adds the entity of tokens `first..=last`.
    fn add(&mut self, b: &mut Builder, first: usize, last: usize, label: &str) {
        if let (Some(token), Some(&(start, _)), Some(&(_, end))) = (
            self.tokens.get(first),
            self.ranges.get(first),
            self.ranges.get(last),
        ) {
            add_span(b, &token.at, (start, end, label), self.seen);
        }
    }

    /// Adds an entity left open (no `L-`) as far as it went, with a warning.
    fn unclosed(&mut self, b: &mut Builder, open: Option<Open>) {
        let Some((first, last, label)) = open else {
            return;
        };
        if let (Some(token), Some(end)) = (self.tokens.get(first), self.tokens.get(last)) {
            b.warn(
                &token.at,
                format!(
                    "the entity B-{label} begun here is not closed by L-{label}; read as ending \
                     with the token {:?} ({})",
                    end.orth, end.at
                ),
            );
        }
        self.add(b, first, last, label);
    }
}

/// Reads the entities the tokens' BILUO tags give, over the code points `ranges` of the tokens.
fn read_entities(
    b: &mut Builder,
    tokens: &[Token],
    ranges: &[(usize, usize)],
    seen: &mut HashSet<(usize, usize, String)>,
) {
    let mut entities = Entities {
        tokens,
        ranges,
        seen,
    };
    let mut open: Option<Open> = None;
    for (k, token) in tokens.iter().enumerate() {
        let here = format!("{}.ner", token.at);
        match tag(token) {
            Err(message) => b.problem(here, message),
            Ok(Tag::Missing | Tag::Outside) => entities.unclosed(b, open.take()),
            Ok(Tag::Begin(label)) => {
                entities.unclosed(b, open.take());
                open = Some((k, k, label));
            }
            Ok(Tag::Unit(label)) => {
                entities.unclosed(b, open.take());
                entities.add(b, k, k, label);
            }
            Ok(Tag::Inside(label)) => match open {
                Some((first, _, begun)) if begun == label => open = Some((first, k, label)),
                _ => not_begun(b, here, open.take(), label),
            },
            Ok(Tag::Last(label)) => match open.take() {
                Some((first, _, begun)) if begun == label => entities.add(b, first, k, label),
                other => not_begun(b, here, other, label),
            },
        }
    }
    entities.unclosed(b, open.take());
}

/// The problem of an `I-` or `L-` tag of `label` that no `B-` of the same label began.
fn not_begun(b: &mut Builder, at: String, open: Option<Open>, label: &str) {
    let message = match open {
        Some((_, _, begun)) => format!("the entity B-{begun} goes on with the label {label:?}"),
        None => format!("the entity {label:?} is not begun by B-{label} before this token"),
    };
    b.problem(at, message);
}
