//! Tag schemes: the tags Spanmark writes ([`Scheme`]), and reading a tag column of any scheme
//! into entities.
//!
//! One reader takes every scheme, telling them apart by the tags themselves:
//!
//! - **IOB1** (the original CoNLL-2003 data): `I-X` after `O`, after another type or at a
//!   sentence's start starts an entity; `B-X` only separates two adjacent entities of one type.
//! - **IOB2**: `B-X` starts every entity, `I-X` continues it.
//! - **BIOES** (also IOBES): as IOB2, but `E-X` ends an entity of several tokens and `S-X` is
//!   an entity of one token.
//! - **BILOU**: BIOES with `L-X` (last) for `E-X` and `U-X` (unit) for `S-X`.
//!
//! Every tag is read the same way whatever the scheme: `B-`, `S-` and `U-` start an entity,
//! `I-` continues an entity of its type begun by `B-` or `I-` (and otherwise starts one), `E-`
//! and `L-` end such an entity (and otherwise are an entity of one token), `O` and a
//! sentence's end close the entity open. The scheme only decides which sequences are odd, and
//! so named in a warning: none in IOB1; an `I-` that continues nothing in IOB2 (a file that
//! also starts entities with `B-` after `O`); in BIOES and BILOU also an `E-`/`L-` that ends
//! nothing and an entity left without its `E-`/`L-`.

/// The tag schemes Spanmark writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// `B-` on an entity's first token, `I-` on the rest, `O` outside (the default).
    #[default]
    Iob2,
    /// BIOES (IOBES): `S-` on an entity of one token; `B-` on the first token of a longer one,
    /// `I-` inside, `E-` on its last; `O` outside.
    Bioes,
}

impl Scheme {
    /// Every scheme, the default first.
    pub const ALL: [Scheme; 2] = [Scheme::Iob2, Scheme::Bioes];

    /// The id the command line takes (`--scheme`).
    pub fn id(self) -> &'static str {
        match self {
            Scheme::Iob2 => "iob2",
            Scheme::Bioes => "bioes",
        }
    }

    /// The scheme called `id` (`iob2`, `bioes` or its other name `iobes`; case and white space
    /// at the ends ignored).
    pub fn from_id(id: &str) -> Option<Scheme> {
        match id.trim().to_lowercase().as_str() {
            "iob2" => Some(Scheme::Iob2),
            "bioes" | "iobes" => Some(Scheme::Bioes),
            _ => None,
        }
    }

    /// The tag prefix of token `i` (from 0) of an entity of `n` tokens.
    pub(super) fn prefix(self, i: usize, n: usize) -> &'static str {
        match self {
            Scheme::Iob2 if i == 0 => "B",
            Scheme::Iob2 => "I",
            Scheme::Bioes if n == 1 => "S",
            Scheme::Bioes if i == 0 => "B",
            Scheme::Bioes if i + 1 == n => "E",
            Scheme::Bioes => "I",
        }
    }
}

/// What a tag says of its token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// `O`.
    Outside,
    /// `B-`.
    Begin,
    /// `I-`.
    Inside,
    /// `E-` or `L-`.
    End,
    /// `S-` or `U-`.
    Single,
}

/// A tag, read: its kind and its type (empty for `O`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Tag<'a> {
    pub kind: Kind,
    pub label: &'a str,
}

/// The tag `s`, if it is one: `O`, or one of `B I E S L U`, a hyphen and a type (which may hold
/// hyphens of its own: `B-Person-Name` is of type `Person-Name`).
pub(super) fn tag(s: &str) -> Option<Tag<'_>> {
    if s == "O" {
        return Some(Tag {
            kind: Kind::Outside,
            label: "",
        });
    }
    let (prefix, label) = s.split_once('-')?;
    if label.is_empty() {
        return None;
    }
    let kind = match prefix {
        "B" => Kind::Begin,
        "I" => Kind::Inside,
        "E" | "L" => Kind::End,
        "S" | "U" => Kind::Single,
        _ => return None,
    };
    Some(Tag { kind, label })
}

/// The two families of schemes that mark an entity's end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Family {
    /// `E-` and `S-`.
    Bioes,
    /// `L-` and `U-`.
    Bilou,
}

/// Which family of ending tags `s` belongs to, if any.
pub(super) fn family(s: &str) -> Option<Family> {
    match s.get(..2) {
        Some("E-" | "S-") => Some(Family::Bioes),
        Some("L-" | "U-") => Some(Family::Bilou),
        _ => None,
    }
}

/// A token as the tag reader needs it.
pub(super) trait Tagged<'a> {
    /// Its line in the file.
    fn line(&self) -> usize;
    /// Its tag in column `k` (`O` when the line has fewer columns).
    fn tag_at(&self, k: usize) -> &'a str;
    /// Whether it starts a sentence.
    fn starts_sentence(&self) -> bool;
}

/// An entity read from a tag column: a type over tokens `first..=last`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Entity<'a> {
    pub label: &'a str,
    pub first: usize,
    pub last: usize,
    /// The tag it began with.
    pub begun: &'a str,
    /// Whether an `E-`, `L-`, `S-` or `U-` tag closed it.
    pub ended: bool,
}

/// A sequence of tags that no scheme writes, read leniently.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Odd<'a> {
    /// `raw` (an `I-`) at `line` continues no entity of its type: it starts one. `after` is
    /// the tag before it in its sentence (`None`: it begins the sentence).
    InsideStart {
        line: usize,
        raw: &'a str,
        label: &'a str,
        after: Option<&'a str>,
    },
    /// `raw` (an `E-` or `L-`) at `line` ends no entity of its type: an entity of one token.
    EndStart {
        line: usize,
        raw: &'a str,
        label: &'a str,
        after: Option<&'a str>,
    },
    /// An entity of `tokens` tokens begun by `raw` at `line` ends at line `last` without an
    /// `E-`/`L-` (odd only in BIOES and BILOU).
    Unended {
        line: usize,
        raw: &'a str,
        label: &'a str,
        last: usize,
        tokens: usize,
    },
}

impl Odd<'_> {
    /// The line it is at.
    pub fn line(&self) -> usize {
        match self {
            Odd::InsideStart { line, .. }
            | Odd::EndStart { line, .. }
            | Odd::Unended { line, .. } => *line,
        }
    }

    /// Which kind of oddity, as a number that groups them in the warnings (0 to 3).
    pub fn group(&self) -> usize {
        match self {
            Odd::InsideStart { .. } => 0,
            Odd::EndStart { .. } => 1,
            Odd::Unended { tokens: 1, .. } => 2,
            Odd::Unended { .. } => 3,
        }
    }

    /// What a warning says of it, given the families of ending tags the file uses (BIOES,
    /// BILOU).
    pub fn message(&self, families: (bool, bool)) -> String {
        let after = |after: &Option<&str>| match after {
            Some(t) => format!("follows {t}"),
            None => "begins its sentence".to_owned(),
        };
        match self {
            Odd::InsideStart {
                raw,
                label,
                after: a,
                ..
            } => format!(
                "{raw} {} and continues no {label} entity: read as the start of one",
                after(a)
            ),
            Odd::EndStart {
                raw,
                label,
                after: a,
                ..
            } => format!(
                "{raw} {} and ends no {label} entity: read as an entity of that one token",
                after(a)
            ),
            Odd::Unended {
                raw,
                label,
                last,
                tokens,
                ..
            } => {
                let (end, single) = match families {
                    (true, false) => ("E", "S"),
                    (false, true) => ("L", "U"),
                    _ => ("E or L", "S or U"),
                };
                if *tokens == 1 {
                    format!(
                        "{raw} is a {label} entity of one token, which this scheme tags \
                         {single}-{label}: read as that entity"
                    )
                } else {
                    format!(
                        "the {label} entity begun by {raw} has no {end}-{label} at its end: \
                         read as ending at line {last}"
                    )
                }
            }
        }
    }
}

/// What reading the tag columns of a document found.
#[derive(Debug, Default)]
pub(super) struct Walk<'a> {
    pub entities: Vec<Entity<'a>>,
    pub odd: Vec<Odd<'a>>,
    /// Whether a `B-` started an entity after anything but a token of its own type (so the
    /// file is not IOB1, whose `B-` only separates two adjacent entities of one type).
    pub fresh_begin: bool,
    /// Whether the file has ending tags, so that an entity without one is odd.
    ending: bool,
}

impl<'a> Walk<'a> {
    /// A walk of a file that has ending tags (`E-`, `S-`, `L-`, `U-`) or not.
    pub fn new(ending: bool) -> Self {
        Walk {
            ending,
            ..Walk::default()
        }
    }

    /// Reads tag column `k` of `tokens` into this walk.
    pub fn column<T: Tagged<'a>>(&mut self, tokens: &[T], k: usize) {
        let mut open: Option<Entity<'a>> = None;
        let mut before: Option<&'a str> = None;
        for (i, t) in tokens.iter().enumerate() {
            if t.starts_sentence() {
                self.close(tokens, open.take());
                before = None;
            }
            let raw = t.tag_at(k);
            let Some(tag) = tag(raw) else {
                // Refused before reading; read as `O` should one come through.
                self.close(tokens, open.take());
                before = Some(raw);
                continue;
            };
            let continues = open.as_ref().is_some_and(|e| e.label == tag.label);
            let fresh = Entity {
                label: tag.label,
                first: i,
                last: i,
                begun: raw,
                ended: false,
            };
            match tag.kind {
                Kind::Outside => self.close(tokens, open.take()),
                Kind::Begin => {
                    self.fresh_begin |= !continues;
                    self.close(tokens, open.take());
                    open = Some(fresh);
                }
                Kind::Inside if continues => {
                    if let Some(e) = open.as_mut() {
                        e.last = i;
                    }
                }
                Kind::Inside => {
                    self.close(tokens, open.take());
                    self.odd.push(Odd::InsideStart {
                        line: t.line(),
                        raw,
                        label: tag.label,
                        after: before,
                    });
                    open = Some(fresh);
                }
                Kind::End if continues => {
                    if let Some(mut e) = open.take() {
                        e.last = i;
                        e.ended = true;
                        self.close(tokens, Some(e));
                    }
                }
                Kind::End => {
                    self.close(tokens, open.take());
                    self.odd.push(Odd::EndStart {
                        line: t.line(),
                        raw,
                        label: tag.label,
                        after: before,
                    });
                    self.close(
                        tokens,
                        Some(Entity {
                            ended: true,
                            ..fresh
                        }),
                    );
                }
                Kind::Single => {
                    self.close(tokens, open.take());
                    self.close(
                        tokens,
                        Some(Entity {
                            ended: true,
                            ..fresh
                        }),
                    );
                }
            }
            before = Some(raw);
        }
        self.close(tokens, open);
    }

    /// Closes `entity` (if any): keeps it, and notes when no `E-`/`L-` ended it in a file
    /// that has ending tags.
    fn close<T: Tagged<'a>>(&mut self, tokens: &[T], entity: Option<Entity<'a>>) {
        let Some(e) = entity else { return };
        if self.ending && !e.ended {
            let line = |i: usize| tokens.get(i).map_or(0, Tagged::line);
            self.odd.push(Odd::Unended {
                line: line(e.first),
                raw: e.begun,
                label: e.label,
                last: line(e.last),
                tokens: e.last + 1 - e.first,
            });
        }
        self.entities.push(e);
    }
}

/// The scheme a file's tags are in, as far as reading cares: which oddities are warned of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Read {
    /// No `B-` that starts an entity after anything but its own type, and no ending tags:
    /// nothing is odd.
    Iob1,
    /// `B-` starts entities: an `I-` that continues nothing is odd.
    Iob2,
    /// `E-`/`S-` (first of the pair) or `L-`/`U-` (second) tags: every oddity is.
    Ending(bool, bool),
}

impl Read {
    /// The scheme of a file in which `fresh_begin` (a `B-` started an entity after anything
    /// but its own type) and which holds BIOES (`E-`, `S-`) or BILOU (`L-`, `U-`) tags.
    pub fn of(fresh_begin: bool, bioes: bool, bilou: bool) -> Read {
        if bioes || bilou {
            Read::Ending(bioes, bilou)
        } else if fresh_begin {
            Read::Iob2
        } else {
            Read::Iob1
        }
    }

    /// Whether `odd` is worth a warning in this scheme.
    pub fn warns(self, odd: &Odd) -> bool {
        match self {
            Read::Iob1 => false,
            Read::Iob2 => matches!(odd, Odd::InsideStart { .. }),
            Read::Ending(..) => true,
        }
    }

    /// The families of ending tags used (BIOES, BILOU), for the messages.
    pub fn families(self) -> (bool, bool) {
        match self {
            Read::Ending(e, l) => (e, l),
            _ => (false, false),
        }
    }
}
