//! A deterministic generator of large annotated documents, for benchmarks and stress tests.
//!
//! `generate(seed, target_bytes, spans)` builds news-like prose from a word list: sentences and
//! paragraphs of varied length, with non-ASCII words mixed in (accented Latin, Cyrillic, CJK,
//! Arabic, an emoji ZWJ sequence). It then tags exactly `spans` word-aligned ranges with all four
//! default labels, nested and overlapping, and links about one span in ten with relations the
//! default schema allows. The same seed always gives the same document; nothing here allocates
//! randomness from the system.

use std::collections::HashSet;

use spanmark_core::model::{AnnotatedDocument, Document, Relation, Span};

/// A tiny xorshift64* generator: deterministic, good enough for test data.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        // Zero is the one state xorshift cannot leave.
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15 | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `[0, n)` (`0` when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// A number in `[lo, hi]`.
    pub fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const COMMON: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "that",
    "is",
    "was",
    "for",
    "on",
    "with",
    "as",
    "by",
    "at",
    "from",
    "his",
    "her",
    "their",
    "it",
    "an",
    "were",
    "which",
    "are",
    "this",
    "be",
    "has",
    "had",
    "not",
    "but",
    "have",
    "they",
    "after",
    "who",
    "been",
    "its",
    "would",
    "more",
    "than",
    "about",
    "over",
    "into",
    "some",
    "could",
    "while",
    "against",
    "between",
    "during",
    "without",
    "officials",
    "government",
    "minister",
    "forces",
    "talks",
    "week",
    "report",
    "statement",
    "agreement",
    "ceasefire",
    "border",
    "region",
    "people",
    "country",
    "security",
    "military",
    "president",
    "spokesman",
    "meeting",
    "council",
    "election",
    "economy",
    "market",
    "prices",
    "aid",
    "troops",
    "villages",
    "capital",
    "crisis",
    "sanctions",
    "policy",
    "support",
    "conflict",
    "negotiations",
    "delegation",
    "evidence",
    "allegations",
    "journalists",
    "witnesses",
    "convoy",
    "airstrikes",
    "refugees",
    "hospital",
    "schools",
    "roads",
    "bridge",
    "harbour",
    "pipeline",
    "said",
    "told",
    "added",
    "argued",
    "warned",
    "insisted",
    "denied",
    "claimed",
    "confirmed",
    "announced",
    "accused",
    "rejected",
    "reported",
    "suggested",
    "promised",
    "signed",
    "visited",
    "discussed",
    "planned",
    "ordered",
    "launched",
    "withdrew",
    "arrived",
    "remained",
    "continued",
    "recent",
    "serious",
    "latest",
    "official",
    "foreign",
    "local",
    "regional",
    "economic",
    "several",
    "many",
    "few",
    "major",
    "early",
    "late",
    "new",
    "former",
    "senior",
    "independent",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "June",
    "July",
    "morning",
    "evening",
    "café",
    "naïve",
    "rôle",
    "déjà",
    "façade",
    "coöperation",
    "über",
    "Straße",
    "señor",
    "año",
];

const ACTORS: &[&str] = &[
    "Sergey Lavrov",
    "John Kerry",
    "Angela Merkel",
    "Emmanuel Macron",
    "the United Nations",
    "the European Commission",
    "Ursula von der Leyen",
    "Recep Tayyip Erdoğan",
    "Jürgen Müller",
    "François Hollande",
    "Владимир Путин",
    "Сергей Шойгу",
    "安倍晋三",
    "习近平",
    "محمد بن سلمان",
    "Ayşe Yılmaz",
    "Zoë Saldaña",
    "the Red Cross",
    "NATO",
    "Reuters",
    "the ministry",
    "the envoy",
    "Dr Nakamura",
    "Ms O'Brien",
    "the rebels",
    "the coalition",
    "👩‍👩‍👧 families",
];

const PLACES: &[&str] = &[
    "Washington",
    "Moscow",
    "Москва",
    "Санкт-Петербург",
    "東京",
    "北京",
    "Zürich",
    "München",
    "São Paulo",
    "Kraków",
    "Reykjavík",
    "Dubrovnik",
    "القاهرة",
    "دمشق",
    "Hmeymim",
    "al-Tanf",
    "St Petersburg",
    "Aleppo",
    "Geneva",
    "Brussels",
    "Istanbul",
    "the Golan Heights",
    "Nouméa",
    "Łódź",
    "Ærøskøbing",
    "the Black Sea",
    "Kyiv",
    "Seoul",
    "서울",
];

const ENDS: &[&str] = &[".", ".", ".", ".", ".", "?", "!", "…"];
const EMOJI: &[&str] = &["👩‍👩‍👧", "🇺🇳", "📰", "✅", "🔥"];

/// Where a word lies in the text, in code points, and the paragraph it belongs to.
#[derive(Clone, Copy, Debug)]
struct Word {
    start: usize,
    end: usize,
    para: usize,
}

/// Builds the text and records every word-like token (never white space at either end).
struct Writer {
    text: String,
    cps: usize,
    words: Vec<Word>,
    para: usize,
}

impl Writer {
    /// An empty writer whose text would go on where this one's ends (same code point and
    /// paragraph count), to be appended to it or dropped.
    fn continued(&self) -> Writer {
        Writer {
            text: String::new(),
            cps: self.cps,
            words: Vec::new(),
            para: self.para,
        }
    }

    fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.cps += s.chars().count();
    }

    /// Appends a token (which may hold inner spaces, like "São Paulo") and records it as a word.
    fn word(&mut self, s: &str) {
        let start = self.cps;
        self.push(s);
        self.words.push(Word {
            start,
            end: self.cps,
            para: self.para,
        });
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One sentence of `n` tokens.
fn sentence(rng: &mut Rng, w: &mut Writer) {
    let n = rng.between(5, 32);
    for i in 0..n {
        if i > 0 {
            w.push(" ");
        }
        let roll = rng.below(100);
        let token: String = if roll < 8 {
            rng.pick(ACTORS).to_owned()
        } else if roll < 14 {
            rng.pick(PLACES).to_owned()
        } else if roll < 16 {
            format!("{}", rng.between(2, 2030))
        } else if roll < 17 {
            rng.pick(EMOJI).to_owned()
        } else {
            rng.pick(COMMON).to_owned()
        };
        let token = if i == 0 { capitalised(&token) } else { token };
        if rng.chance(4) && i > 0 && i + 1 < n {
            w.push("\u{201c}");
            w.word(&token);
            w.push("\u{201d}");
        } else {
            w.word(&token);
        }
        if i + 1 < n && rng.chance(7) {
            w.push(if rng.chance(85) { "," } else { ";" });
        }
    }
    w.push(rng.pick(ENDS));
}

/// The text: paragraphs of 1–9 sentences, stopping before `target_bytes` would be passed.
fn prose(rng: &mut Rng, target_bytes: usize) -> Writer {
    let mut w = Writer {
        text: String::with_capacity(target_bytes + 1024),
        cps: 0,
        words: Vec::new(),
        para: 0,
    };
    w.word("Generated");
    w.push(" ");
    w.word("sample");
    w.push("\n");
    w.para += 1;
    loop {
        let mut para = w.continued();
        // Occasionally a one-line heading, otherwise 1–9 sentences.
        let sentences = if rng.chance(8) { 0 } else { rng.between(1, 9) };
        if sentences == 0 {
            para.word(&capitalised(rng.pick(PLACES)));
            para.push(":");
        }
        for i in 0..sentences {
            if i > 0 {
                para.push(" ");
            }
            sentence(rng, &mut para);
        }
        para.push(if rng.chance(70) { "\n\n" } else { "\n" });
        if w.text.len() + para.text.len() > target_bytes {
            break;
        }
        w.text.push_str(&para.text);
        w.cps = para.cps;
        w.words.extend(para.words);
        // A blank line is a paragraph of its own.
        w.para += if para.text.ends_with("\n\n") { 2 } else { 1 };
    }
    // Fill the remainder with short sentences so the size lands close to the target.
    loop {
        let mut tail = w.continued();
        tail.word(&capitalised(rng.pick(COMMON)));
        tail.push(".\n");
        if w.text.len() + tail.text.len() > target_bytes {
            break;
        }
        w.text.push_str(&tail.text);
        w.cps = tail.cps;
        w.words.extend(tail.words);
        w.para += 1;
    }
    w
}

const LABELS: [&str; 4] = ["actor", "place", "claim", "denial"];

/// Generates a document of about `target_bytes` bytes of UTF-8 text (never more) with exactly
/// `spans` spans (fewer only if the text has too few words to hold that many distinct ones) and
/// about `spans / 10` relations. Deterministic in `seed`.
pub fn generate(seed: u64, target_bytes: usize, spans: usize) -> AnnotatedDocument {
    let mut rng = Rng::new(seed);
    let w = prose(&mut rng, target_bytes);
    let words = &w.words;
    // Byte offset of every code point (and of the end), to slice span texts in O(1).
    let bytes: Vec<usize> = w
        .text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(w.text.len()))
        .collect();
    let slice = |s: usize, e: usize| w.text[bytes[s]..bytes[e]].to_owned();

    // Word-index ranges [first, last] that stay within one paragraph.
    let within = |first: usize, last: usize| {
        last < words.len() && first <= last && words[first].para == words[last].para
    };

    let mut taken: HashSet<(usize, usize, &str)> = HashSet::new();
    // (first word, last word, label) of each span made so far.
    let mut made: Vec<(usize, usize, &str)> = Vec::with_capacity(spans);
    let mut attempts = 0usize;
    while made.len() < spans && !words.is_empty() && attempts < spans.saturating_mul(50) {
        attempts += 1;
        let roll = rng.below(100);
        let (first, last, label) = if roll < 12 && !made.is_empty() {
            // Nested: a shorter span inside an earlier one.
            let (f, l, _) = made[rng.below(made.len())];
            let first = rng.between(f, l);
            let last = rng.between(first, l);
            (first, last, LABELS[rng.below(4)])
        } else if roll < 20 && !made.is_empty() {
            // Overlapping: starts inside an earlier span and ends after it.
            let (f, l, _) = made[rng.below(made.len())];
            let first = rng.between(f, l);
            let last = l + rng.between(1, 6);
            (first, last, if rng.chance(50) { "claim" } else { "denial" })
        } else if roll < 62 {
            let first = rng.below(words.len());
            (
                first,
                first + rng.between(0, 2),
                if rng.chance(60) { "actor" } else { "place" },
            )
        } else {
            let first = rng.below(words.len());
            let label = if rng.chance(70) { "claim" } else { "denial" };
            (first, first + rng.between(3, 18), label)
        };
        if !within(first, last) {
            continue;
        }
        let (start, end) = (words[first].start, words[last].end);
        if !taken.insert((start, end, label)) {
            continue;
        }
        made.push((first, last, label));
    }

    let spans: Vec<Span> = made
        .iter()
        .enumerate()
        .map(|(i, &(first, last, label))| {
            let (start, end) = (words[first].start, words[last].end);
            Span {
                id: format!("s{}", i + 1),
                label: label.to_owned(),
                start,
                end,
                text: slice(start, end),
                note: None,
            }
        })
        .collect();

    // Relations: from a span to one of the next few spans of a label its type accepts.
    let mut by_start: Vec<usize> = (0..spans.len()).collect();
    by_start.sort_by_key(|&i| (spans[i].start, std::cmp::Reverse(spans[i].end)));
    let wanted = spans.len() / 10;
    let mut relations = Vec::with_capacity(wanted);
    let mut linked: HashSet<(&str, usize, usize)> = HashSet::new();
    let mut tries = 0usize;
    while relations.len() < wanted && tries < wanted.saturating_mul(50) {
        tries += 1;
        let at = rng.below(by_start.len());
        let from = &spans[by_start[at]];
        let (kind, to_label) = match from.label.as_str() {
            "claim" if rng.chance(75) => ("said_by", "actor"),
            "denial" => match rng.below(3) {
                0 => ("said_by", "actor"),
                1 => ("denies", "claim"),
                _ => ("located_in", "place"),
            },
            _ => ("located_in", "place"),
        };
        let window = rng.between(1, 40);
        let found = by_start
            .iter()
            .skip(at.saturating_sub(window))
            .take(2 * window + 1)
            .copied()
            .filter(|&j| j != by_start[at] && spans[j].label == to_label)
            .nth(rng.below(3));
        let Some(to) = found else { continue };
        if !linked.insert((kind, by_start[at], to)) {
            continue;
        }
        relations.push(Relation {
            id: format!("r{}", relations.len() + 1),
            kind: kind.to_owned(),
            from: from.id.clone(),
            to: spans[to].id.clone(),
        });
    }

    let title = format!("Generated sample (seed {seed})");
    let document = Document::new(title, w.text);
    AnnotatedDocument::from_parts(document, Default::default(), spans, relations)
}

#[cfg(test)]
mod tests;
