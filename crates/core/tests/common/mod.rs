//! Random rule directories for property tests, and an oracle that reads them on its own.
//!
//! The generator covers the whole rule language: several files (scales, documents and rule
//! sets split or merged), a base rule set `a`, a rule set `b` that extends it (replacing,
//! removing and adding constraints, re-declaring judgements), a second framework `c` in force
//! over dated spans that reads `a`'s judgements, conditions nested three deep, `all`, `any`
//! and `count` (with `at_most` down to 0 over yes/no judgements), every constraint kind with
//! offsets up to the 63-grade edge, `usually` rules, latent judgements, descending scales,
//! numbers that are not ranks, and a 64-value scale.
//!
//! The oracle ([`Oracle`]) reads the same rule files with its own minimal reading of the TOML:
//! its own spans, `extends`, `remove`, replacement and merging of the rule sets in force, its
//! own resolution of labels and numbers, and its own evaluation. It shares nothing with the
//! loader but the TOML parser, so that a bug in the loader shows up as a disagreement.
//! [`Brute`] enumerates every assignment of one period.

#![allow(
    dead_code,
    reason = "each test binary uses a different subset of the helpers"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use chrono::NaiveDate;
use proptest::prelude::*;
use ratings_core::{load_rules, Assignment, Period, RuleBook, SourceText};

// ---------------------------------------------------------------------------------------------
// Scales.

/// The scales every generated directory declares: (id, numbers low to high, labels, descending).
pub fn scale_defs() -> Vec<(&'static str, Vec<i64>, Vec<String>, bool)> {
    let words = |w: &[&str]| w.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    vec![
        ("yesno", vec![0, 1], words(&["no", "yes"]), false),
        (
            "three",
            vec![1, 2, 3],
            words(&["low", "mid", "high"]),
            false,
        ),
        (
            "four",
            vec![1, 2, 3, 4],
            words(&["inadequate", "adequate", "good", "outstanding"]),
            false,
        ),
        // Printed numbers fall as quality rises: rank and number run opposite ways.
        (
            "desc",
            vec![4, 3, 2, 1],
            words(&["poor", "fair", "fine", "best"]),
            true,
        ),
        // Numbers that are not ranks.
        (
            "gapped",
            vec![0, 5, 10],
            words(&["none", "some", "lots"]),
            false,
        ),
        // The 64-value edge of the domains.
        (
            "big",
            (1..=64).collect(),
            (1..=64).map(|n| format!("v{n}")).collect(),
            false,
        ),
    ]
}

const YESNO: usize = 0;
const BIG: usize = 5;
/// An alias the generator writes now and then instead of `adequate`.
const ALIAS: (&str, &str) = ("adequate", "satisfactory");

fn scale_len(scale: usize) -> usize {
    scale_defs()[scale].1.len()
}

// ---------------------------------------------------------------------------------------------
// The generated shape: picks that `render` turns into a valid rule directory.

/// Which rule set declares a judgement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    A,
    B,
    C,
}

#[derive(Debug, Clone)]
pub struct GenJudgement {
    pub scale: usize,
    pub latent: bool,
    pub owner: Owner,
}

#[derive(Debug, Clone)]
pub enum GenCond {
    Atom {
        judgement: usize,
        test: usize,
        value: usize,
        label: bool,
    },
    All(Vec<GenCond>),
    Any(Vec<GenCond>),
    Count {
        of: Vec<usize>,
        value: usize,
        n: usize,
        label: bool,
    },
}

#[derive(Debug, Clone)]
pub struct GenConstraint {
    /// 0: `a`; 1: `b`, new; 2: `b`, replacing one of `a`'s; 3: `c`.
    pub owner: usize,
    pub kind: usize,
    pub target: usize,
    pub other: usize,
    pub value: usize,
    pub offset: i64,
    pub when: Option<GenCond>,
    pub must: bool,
    pub label: bool,
    /// For a replacement: which of `a`'s constraints.
    pub replaces: usize,
    /// Cite a second document (with a url) too.
    pub two_citations: bool,
}

#[derive(Debug, Clone)]
pub struct GenBook {
    pub judgements: Vec<GenJudgement>,
    pub constraints: Vec<GenConstraint>,
    /// Whether `b` (extending `a`) exists, and whether it is still in force.
    pub has_b: bool,
    pub b_open: bool,
    /// `a`'s constraints (picks) that `b` removes.
    pub removes: Vec<usize>,
    /// `a`'s judgements (picks) that `b` declares again, with this `latent`.
    pub redeclared: Vec<(usize, bool)>,
    /// `c`'s span: picks of a first and a last day, if `c` exists.
    pub c_span: Option<(usize, usize)>,
    /// How the directory is split into files, and whether the files come in reverse order.
    pub layout: usize,
    pub reversed: bool,
    /// Write `a`'s years as days.
    pub a_dated: bool,
}

/// At most this many complete assignments in any period, so that enumeration stays quick.
const MAX_ASSIGNMENTS: usize = 6_000;

pub fn book_strategy() -> impl Strategy<Value = GenBook> {
    (
        proptest::collection::vec(judgement_strategy(), 2..=7),
        proptest::collection::vec(constraint_strategy(), 1..=8),
        any::<bool>(),
        any::<bool>(),
        proptest::collection::vec(0..8usize, 0..=2),
        proptest::collection::vec((0..8usize, any::<bool>()), 0..=1),
        proptest::option::weighted(0.6, (0..4usize, 0..4usize)),
        0..3usize,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(
                mut judgements,
                constraints,
                has_b,
                b_open,
                removes,
                redeclared,
                c_span,
                layout,
                reversed,
                a_dated,
            )| {
                judgements[0].owner = Owner::A;
                fit_sizes(&mut judgements);
                GenBook {
                    judgements,
                    constraints,
                    has_b,
                    b_open,
                    removes,
                    redeclared,
                    c_span,
                    layout,
                    reversed,
                    a_dated,
                }
            },
        )
}

/// Constraints alone, to vary the rules over the same judgements.
pub fn constraints_strategy() -> impl Strategy<Value = Vec<GenConstraint>> {
    proptest::collection::vec(constraint_strategy(), 1..=8)
}

fn judgement_strategy() -> impl Strategy<Value = GenJudgement> {
    (
        prop_oneof![6 => Just(0usize), 4 => Just(1), 5 => Just(2), 3 => Just(3), 2 => Just(4), 2 => Just(BIG)],
        proptest::bool::weighted(0.2),
        prop_oneof![4 => Just(Owner::A), 1 => Just(Owner::B), 2 => Just(Owner::C)],
    )
        .prop_map(|(scale, latent, owner)| GenJudgement {
            scale,
            latent,
            owner,
        })
}

/// One 64-value scale at most, and few enough assignments to enumerate.
fn fit_sizes(judgements: &mut [GenJudgement]) {
    let mut seen_big = false;
    for judgement in judgements.iter_mut() {
        if judgement.scale == BIG {
            if seen_big {
                judgement.scale = YESNO;
            }
            seen_big = true;
        }
    }
    loop {
        let product: usize = judgements.iter().map(|j| scale_len(j.scale)).product();
        if product <= MAX_ASSIGNMENTS {
            break;
        }
        // Shrink the largest scale other than the 64-value one, then that one.
        let largest = judgements
            .iter()
            .enumerate()
            .filter(|(_, j)| j.scale != YESNO)
            .max_by_key(|(_, j)| (j.scale != BIG, scale_len(j.scale)))
            .map(|(i, _)| i);
        match largest {
            Some(index) => judgements[index].scale = YESNO,
            None => break,
        }
    }
}

fn cond_strategy() -> BoxedStrategy<GenCond> {
    let atom = (0..8usize, 0..3usize, 0..64usize, any::<bool>()).prop_map(
        |(judgement, test, value, label)| GenCond::Atom {
            judgement,
            test,
            value,
            label,
        },
    );
    let count = (
        proptest::collection::vec(0..8usize, 1..=4),
        prop_oneof![2 => Just(0usize), 3 => 0..64usize],
        0..4usize,
        any::<bool>(),
    )
        .prop_map(|(of, value, n, label)| GenCond::Count {
            of,
            value,
            n,
            label,
        });
    let leaf = prop_oneof![3 => atom, 2 => count];
    // Depth 3: conditions inside conditions inside conditions.
    leaf.prop_recursive(3, 10, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 1..=3).prop_map(GenCond::All),
            proptest::collection::vec(inner, 1..=3).prop_map(GenCond::Any),
        ]
    })
    .boxed()
}

fn constraint_strategy() -> impl Strategy<Value = GenConstraint> {
    (
        (
            prop_oneof![4 => Just(0usize), 1 => Just(1), 1 => Just(2), 2 => Just(3)],
            0..4usize,
            0..8usize,
            0..8usize,
            0..64usize,
            prop_oneof![12 => -2..=2i64, 1 => Just(63i64), 1 => Just(-63i64)],
        ),
        (
            proptest::option::weighted(0.7, cond_strategy()),
            proptest::bool::weighted(0.8),
            any::<bool>(),
            0..8usize,
            proptest::bool::weighted(0.2),
        ),
    )
        .prop_map(
            |((owner, kind, target, other, value, offset), (when, must, label, replaces, two))| {
                GenConstraint {
                    owner,
                    kind,
                    target,
                    other,
                    value,
                    offset,
                    when,
                    must,
                    label,
                    replaces,
                    two_citations: two,
                }
            },
        )
}

// ---------------------------------------------------------------------------------------------
// Rendering.

fn judgement_id(index: usize) -> String {
    format!("t.j{index}")
}

/// A value of a scale as a rule file writes it: a number, or its label (or alias).
fn written(scale: usize, rank: usize, label: bool) -> String {
    let (_, numbers, labels, _) = &scale_defs()[scale];
    if label {
        let word = &labels[rank];
        if word == ALIAS.0 && rank % 2 == 1 {
            return format!("\"{}\"", ALIAS.1);
        }
        format!("\"{word}\"")
    } else {
        numbers[rank].to_string()
    }
}

impl GenBook {
    fn owner_of(&self, constraint: &GenConstraint) -> usize {
        match constraint.owner {
            1 | 2 if !self.has_b => 0,
            3 if self.c_span.is_none() => 0,
            2 if self.a_constraints().is_empty() => 1,
            owner => owner,
        }
    }

    /// The generated constraints that end up in `a`.
    fn a_constraints(&self) -> Vec<usize> {
        self.constraints
            .iter()
            .enumerate()
            .filter(|(_, c)| match c.owner {
                0 => true,
                1 | 2 => !self.has_b,
                _ => self.c_span.is_none(),
            })
            .map(|(i, _)| i)
            .collect()
    }

    fn owner_declares(&self, judgement: usize) -> Owner {
        match self.judgements[judgement].owner {
            Owner::B if !self.has_b => Owner::A,
            Owner::C if self.c_span.is_none() => Owner::A,
            owner => owner,
        }
    }

    /// The judgements a constraint of this owner may read or restrict: those in force
    /// wherever its rule set is.
    fn readable(&self, owner: usize) -> Vec<usize> {
        (0..self.judgements.len())
            .filter(|&j| {
                matches!(
                    (owner, self.owner_declares(j)),
                    (_, Owner::A) | (1 | 2, Owner::B) | (3, Owner::C)
                )
            })
            .collect()
    }

    fn cond(&self, cond: &GenCond, lower: &[usize]) -> Option<String> {
        match cond {
            GenCond::Atom {
                judgement,
                test,
                value,
                label,
            } => {
                let j = *lower.get(judgement % lower.len().max(1))?;
                let scale = self.judgements[j].scale;
                let key = ["at_most", "at_least", "is"][*test];
                Some(format!(
                    "{{ judgement = \"{}\", {key} = {} }}",
                    judgement_id(j),
                    written(scale, value % scale_len(scale), *label)
                ))
            }
            GenCond::All(parts) | GenCond::Any(parts) => {
                let parts: Vec<String> = parts.iter().filter_map(|p| self.cond(p, lower)).collect();
                if parts.is_empty() {
                    return None;
                }
                let key = if matches!(cond, GenCond::All(_)) {
                    "all"
                } else {
                    "any"
                };
                Some(format!("{{ {key} = [{}] }}", parts.join(", ")))
            }
            GenCond::Count {
                of,
                value,
                n,
                label,
            } => {
                let first = *lower.get(of.first()? % lower.len().max(1))?;
                let scale = self.judgements[first].scale;
                let mut counted: Vec<usize> = Vec::new();
                for pick in of {
                    let j = lower[pick % lower.len()];
                    if self.judgements[j].scale == scale && !counted.contains(&j) {
                        counted.push(j);
                    }
                }
                let listed: Vec<String> = counted
                    .iter()
                    .map(|&j| format!("\"{}\"", judgement_id(j)))
                    .collect();
                Some(format!(
                    "{{ count = {{ of = [{}], at_most = {}, n = {} }} }}",
                    listed.join(", "),
                    written(scale, value % scale_len(scale), *label),
                    1 + n % counted.len()
                ))
            }
        }
    }

    /// The `[[constraint]]` table of one generated constraint, with the id it gets.
    fn constraint_text(&self, index: usize, constraint: &GenConstraint) -> (String, String) {
        let owner = self.owner_of(constraint);
        let id = match owner {
            0 => format!("a.c{index}"),
            1 => format!("b.c{index}"),
            2 => {
                let a = self.a_constraints();
                format!("a.c{}", a[constraint.replaces % a.len()])
            }
            _ => format!("c.c{index}"),
        };
        let readable = self.readable(owner);
        let target = readable[constraint.target % readable.len()];
        // Constraints read only lower-numbered judgements, so no period's graph has a cycle.
        let lower: Vec<usize> = readable.iter().copied().filter(|&j| j < target).collect();
        let scale = self.judgements[target].scale;
        let mut kind = constraint.kind;
        if lower.is_empty() {
            kind %= 2;
        }
        let strength = if constraint.must { "must" } else { "usually" };
        let cite = if constraint.two_citations {
            "[{ document = \"doc\", locator = \"p. 1\" }, { document = \"web\", locator = \"para 2\" }]"
        } else {
            "{ document = \"doc\", locator = \"-\" }"
        };
        let mut out = format!(
            "\n[[constraint]]\nid = \"{id}\"\ntext = \"random\"\nstrength = \"{strength}\"\nbasis = \"inferred\"\ncite = {cite}\ntarget = \"{}\"\n",
            judgement_id(target)
        );
        let rank = constraint.value % scale_len(scale);
        let _ = match kind {
            0 => writeln!(
                out,
                "kind = \"cap\"\nat_most = {}",
                written(scale, rank, constraint.label)
            ),
            1 => writeln!(
                out,
                "kind = \"floor\"\nat_least = {}",
                written(scale, rank, constraint.label)
            ),
            _ => {
                let other = lower[constraint.other % lower.len()];
                let name = if kind == 2 { "limit" } else { "equal" };
                // An offset of 0 is the default: leave it out half the time.
                if constraint.offset == 0 && constraint.label {
                    writeln!(
                        out,
                        "kind = \"{name}\"\nother = \"{}\"",
                        judgement_id(other)
                    )
                } else {
                    writeln!(
                        out,
                        "kind = \"{name}\"\nother = \"{}\"\noffset = {}",
                        judgement_id(other),
                        constraint.offset
                    )
                }
            }
        };
        if let Some(when) = constraint.when.as_ref().and_then(|w| self.cond(w, &lower)) {
            let _ = writeln!(out, "when = {when}");
        }
        (id, out)
    }

    fn judgement_text(&self, index: usize, latent: bool) -> String {
        format!(
            "\n[[judgement]]\nid = \"{}\"\ntitle = \"J{index}\"\nscale = \"{}\"\nlatent = {latent}\n",
            judgement_id(index),
            scale_defs()[self.judgements[index].scale].0
        )
    }
}

/// The days `c` may start and end (an open end only when `a` or `b` is open too).
const C_STARTS: [(i32, u32, u32); 4] = [(2000, 1, 1), (2000, 7, 1), (2001, 3, 15), (2002, 1, 1)];
const C_ENDS: [(i32, u32, u32); 4] = [(2001, 6, 30), (2002, 12, 31), (2003, 9, 30), (0, 0, 0)];

fn day(y: i32, m: u32, d: u32) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// `years = { ... }` for a span, as whole years where it is made of them.
fn years(start: (i32, u32, u32), end: Option<(i32, u32, u32)>, dated: bool) -> String {
    let from = if start.1 == 1 && start.2 == 1 && !dated {
        start.0.to_string()
    } else {
        day(start.0, start.1, start.2)
    };
    match end {
        None => format!("years = {{ from = {from} }}"),
        Some(end) => {
            let to = if end.1 == 12 && end.2 == 31 && !dated {
                end.0.to_string()
            } else {
                day(end.0, end.1, end.2)
            };
            format!("years = {{ from = {from}, to = {to} }}")
        }
    }
}

fn scales_text() -> String {
    let mut out = String::new();
    for (id, numbers, labels, descending) in scale_defs() {
        let values: Vec<String> = numbers
            .iter()
            .zip(&labels)
            .map(|(n, l)| {
                if l == ALIAS.0 {
                    format!(
                        "{{ number = {n}, label = \"{l}\", aliases = [\"{}\"] }}",
                        ALIAS.1
                    )
                } else {
                    format!("{{ number = {n}, label = \"{l}\" }}")
                }
            })
            .collect();
        let _ = write!(
            out,
            "\n[[scale]]\nid = \"{id}\"\ntitle = \"{id}\"\n{}values = [\n  {},\n]\n",
            if descending {
                "numbers = \"descending\"\n"
            } else {
                ""
            },
            values.join(",\n  ")
        );
    }
    out
}

const DOCUMENTS: &str = r#"
[[document]]
id = "doc"
title = "Test"
publisher = "Tests"
date = "2000"

[[document]]
id = "web"
title = "Web page"
publisher = "Tests"
date = "2001-02"
url = "https://example.org/rules"
"#;

/// The rule directory of a generated book: (file name, text), in the order given to the loader.
pub fn render(book: &GenBook) -> Vec<(String, String)> {
    let a_open = !book.has_b && book.b_open;
    let mut a = format!(
        "id = \"a\"\ntitle = \"A\"\n{}\n",
        if book.has_b {
            years((2000, 1, 1), Some((2001, 12, 31)), book.a_dated)
        } else if a_open {
            years((2000, 1, 1), None, book.a_dated)
        } else {
            years((2000, 1, 1), Some((2003, 12, 31)), book.a_dated)
        }
    );
    let mut b = String::new();
    if book.has_b {
        let _ = writeln!(
            b,
            "id = \"b\"\ntitle = \"B\"\n{}\nextends = \"a\"",
            years(
                (2002, 1, 1),
                (!book.b_open).then_some((2003, 12, 31)),
                false
            )
        );
        let a_ids = book.a_constraints();
        let mut removed: Vec<String> = Vec::new();
        if !a_ids.is_empty() {
            for pick in &book.removes {
                let id = format!("a.c{}", a_ids[pick % a_ids.len()]);
                if !removed.contains(&id) {
                    removed.push(id);
                }
            }
        }
        if !removed.is_empty() {
            let listed: Vec<String> = removed.iter().map(|r| format!("\"{r}\"")).collect();
            let _ = writeln!(b, "remove = [{}]", listed.join(", "));
        }
    }
    let mut c = String::new();
    if let Some((start, end)) = book.c_span {
        let open = book.b_open;
        let start = C_STARTS[start];
        let mut end = C_ENDS[end];
        if end.0 == 0 && !open {
            end = (2003, 9, 30);
        }
        if end.0 != 0 && (end.0, end.1, end.2) < start {
            end = (2003, 9, 30);
        }
        let _ = writeln!(
            c,
            "id = \"c\"\ntitle = \"C\"\n{}",
            years(start, (end.0 != 0).then_some(end), false)
        );
    }
    for (index, judgement) in book.judgements.iter().enumerate() {
        match book.owner_declares(index) {
            Owner::A => a.push_str(&book.judgement_text(index, judgement.latent)),
            Owner::B => b.push_str(&book.judgement_text(index, judgement.latent)),
            Owner::C => c.push_str(&book.judgement_text(index, judgement.latent)),
        }
    }
    if book.has_b {
        let a_judgements: Vec<usize> = (0..book.judgements.len())
            .filter(|&j| book.owner_declares(j) == Owner::A)
            .collect();
        let mut again: Vec<usize> = Vec::new();
        for (pick, latent) in &book.redeclared {
            let j = a_judgements[pick % a_judgements.len()];
            if !again.contains(&j) {
                again.push(j);
                b.push_str(&book.judgement_text(j, *latent));
            }
        }
    }
    let mut b_ids: Vec<String> = Vec::new();
    for (index, constraint) in book.constraints.iter().enumerate() {
        let (id, text) = book.constraint_text(index, constraint);
        match book.owner_of(constraint) {
            0 => a.push_str(&text),
            1 | 2 => {
                // A rule set declares each id once.
                if !b_ids.contains(&id) {
                    b_ids.push(id);
                    b.push_str(&text);
                }
            }
            _ => c.push_str(&text),
        }
    }
    let mut files: Vec<(String, String)> = Vec::new();
    match book.layout {
        0 => {
            files.push(("scales.toml".to_owned(), scales_text()));
            files.push(("documents.toml".to_owned(), DOCUMENTS.to_owned()));
        }
        1 => files.push((
            "shared.toml".to_owned(),
            format!("{}{DOCUMENTS}", scales_text()),
        )),
        _ => {
            a.push_str(&scales_text());
            files.push(("documents.toml".to_owned(), DOCUMENTS.to_owned()));
        }
    }
    files.push(("a.toml".to_owned(), a));
    if book.has_b {
        files.push(("b.toml".to_owned(), b));
    }
    if book.c_span.is_some() {
        files.push(("c.toml".to_owned(), c));
    }
    if book.reversed {
        files.reverse();
    }
    files
}

/// The rule book the loader makes of the files.
pub fn load(files: &[(String, String)]) -> RuleBook {
    let sources: Vec<SourceText> = files
        .iter()
        .map(|(name, text)| SourceText::new(name.as_str(), text.as_str()))
        .collect();
    match load_rules(&sources) {
        Ok(book) => book,
        Err(problems) => {
            let texts: Vec<String> = files.iter().map(|(n, t)| format!("--- {n}\n{t}")).collect();
            panic!(
                "generated rules do not load: {problems:?}\n{}",
                texts.join("\n")
            )
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The oracle: its own reading of the rule files.

/// A scale: numbers low to high, and the words (labels and aliases, lower case) of each value.
#[derive(Debug, Clone)]
struct OScale {
    numbers: Vec<i64>,
    words: Vec<Vec<String>>,
}

/// A rule set as written.
#[derive(Debug, Clone)]
struct OSet {
    start: NaiveDate,
    end: Option<NaiveDate>,
    extends: Option<String>,
    remove: Vec<String>,
    /// (id, scale, latent).
    judgements: Vec<(String, String, bool)>,
    constraints: Vec<toml::Table>,
}

/// What the rule files say, read without the loader.
#[derive(Debug, Clone)]
pub struct Oracle {
    scales: BTreeMap<String, OScale>,
    sets: BTreeMap<String, OSet>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OTest {
    AtMost,
    AtLeast,
    Is,
}

#[derive(Debug, Clone)]
pub enum OCond {
    Atom(usize, OTest, usize),
    All(Vec<OCond>),
    Any(Vec<OCond>),
    /// (judgement, rank) pairs, and how many must be at most their rank.
    Count(Vec<(usize, usize)>, usize),
}

#[derive(Debug, Clone)]
pub enum ORel {
    Cap(usize),
    Floor(usize),
    Limit(usize, i64),
    Equal(usize, i64),
}

/// A constraint over the judgements of one period, by index, with values as ranks.
#[derive(Debug, Clone)]
pub struct OConstraint {
    pub id: String,
    pub must: bool,
    pub target: usize,
    pub rel: ORel,
    pub when: Option<OCond>,
}

impl OCond {
    fn holds(&self, ranks: &[usize]) -> bool {
        match self {
            OCond::Atom(j, test, rank) => match test {
                OTest::AtMost => ranks[*j] <= *rank,
                OTest::AtLeast => ranks[*j] >= *rank,
                OTest::Is => ranks[*j] == *rank,
            },
            OCond::All(parts) => parts.iter().all(|p| p.holds(ranks)),
            OCond::Any(parts) => parts.iter().any(|p| p.holds(ranks)),
            OCond::Count(items, n) => items.iter().filter(|(j, r)| ranks[*j] <= *r).count() >= *n,
        }
    }
}

impl OConstraint {
    fn relation(&self, ranks: &[usize]) -> bool {
        let target = ranks[self.target] as i64;
        match &self.rel {
            ORel::Cap(rank) => target <= *rank as i64,
            ORel::Floor(rank) => target >= *rank as i64,
            ORel::Limit(other, offset) => target <= ranks[*other] as i64 + offset,
            ORel::Equal(other, offset) => target == ranks[*other] as i64 + offset,
        }
    }

    fn condition(&self, ranks: &[usize]) -> bool {
        self.when.as_ref().is_none_or(|w| w.holds(ranks))
    }

    pub fn holds(&self, ranks: &[usize]) -> bool {
        !self.condition(ranks) || self.relation(ranks)
    }
}

fn date_of(value: &toml::Value, first: bool) -> NaiveDate {
    match value {
        toml::Value::Integer(year) => {
            let year = i32::try_from(*year).expect("a year");
            if first {
                NaiveDate::from_ymd_opt(year, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(year, 12, 31)
            }
            .expect("a day")
        }
        toml::Value::Datetime(datetime) => {
            NaiveDate::parse_from_str(&datetime.to_string(), "%Y-%m-%d").expect("a day")
        }
        other => panic!("not a year or day: {other:?}"),
    }
}

fn text<'t>(table: &'t toml::Table, key: &str) -> &'t str {
    table
        .get(key)
        .and_then(toml::Value::as_str)
        .unwrap_or_else(|| panic!("`{key}` in {table:?}"))
}

impl Oracle {
    /// Read the rule files.
    pub fn read(files: &[(String, String)]) -> Oracle {
        let mut scales = BTreeMap::new();
        let mut sets = BTreeMap::new();
        for (name, source) in files {
            let table: toml::Table =
                toml::from_str(source).unwrap_or_else(|e| panic!("{name}: {e}"));
            for scale in table
                .get("scale")
                .and_then(toml::Value::as_array)
                .into_iter()
                .flatten()
            {
                let scale = scale.as_table().expect("a scale table");
                let mut numbers = Vec::new();
                let mut words = Vec::new();
                for value in scale["values"].as_array().expect("values") {
                    numbers.push(value["number"].as_integer().expect("a number"));
                    let mut names = vec![value["label"].as_str().expect("a label").to_lowercase()];
                    for alias in value
                        .get("aliases")
                        .and_then(toml::Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        names.push(alias.as_str().expect("an alias").to_lowercase());
                    }
                    words.push(names);
                }
                scales.insert(text(scale, "id").to_owned(), OScale { numbers, words });
            }
            let Some(id) = table.get("id").and_then(toml::Value::as_str) else {
                continue;
            };
            let span = table["years"].as_table().expect("years");
            let judgements = table
                .get("judgement")
                .and_then(toml::Value::as_array)
                .into_iter()
                .flatten()
                .map(|j| {
                    let j = j.as_table().expect("a judgement");
                    (
                        text(j, "id").to_owned(),
                        text(j, "scale").to_owned(),
                        j.get("latent")
                            .and_then(toml::Value::as_bool)
                            .unwrap_or(false),
                    )
                })
                .collect();
            let constraints = table
                .get("constraint")
                .and_then(toml::Value::as_array)
                .into_iter()
                .flatten()
                .map(|c| c.as_table().expect("a constraint").clone())
                .collect();
            sets.insert(
                id.to_owned(),
                OSet {
                    start: date_of(&span["from"], true),
                    end: span.get("to").map(|to| date_of(to, false)),
                    extends: table
                        .get("extends")
                        .and_then(toml::Value::as_str)
                        .map(str::to_owned),
                    remove: table
                        .get("remove")
                        .and_then(toml::Value::as_array)
                        .into_iter()
                        .flatten()
                        .map(|r| r.as_str().expect("an id").to_owned())
                        .collect(),
                    judgements,
                    constraints,
                },
            );
        }
        Oracle { scales, sets }
    }

    /// A rule set with what it inherits: judgements (replaced by id) and constraints (less
    /// those removed, replaced by id).
    fn resolved(&self, id: &str) -> (Vec<(String, String, bool)>, Vec<toml::Table>) {
        let set = &self.sets[id];
        let (mut judgements, mut constraints) = match &set.extends {
            Some(parent) => self.resolved(parent),
            None => (Vec::new(), Vec::new()),
        };
        for own in &set.judgements {
            match judgements.iter_mut().find(|j| j.0 == own.0) {
                Some(slot) => *slot = own.clone(),
                None => judgements.push(own.clone()),
            }
        }
        constraints.retain(|c| !set.remove.iter().any(|r| r == text(c, "id")));
        for own in &set.constraints {
            match constraints
                .iter_mut()
                .find(|c| text(c, "id") == text(own, "id"))
            {
                Some(slot) => *slot = own.clone(),
                None => constraints.push(own.clone()),
            }
        }
        (judgements, constraints)
    }

    fn in_force_on(&self, day: NaiveDate) -> Vec<&str> {
        self.sets
            .iter()
            .filter(|(_, s)| s.start <= day && s.end.is_none_or(|end| day <= end))
            .map(|(id, _)| id.as_str())
            .collect()
    }

    /// The first day of each span over which the rule sets in force do not change.
    pub fn epoch_starts(&self) -> Vec<NaiveDate> {
        let mut days: BTreeSet<NaiveDate> = BTreeSet::new();
        for set in self.sets.values() {
            days.insert(set.start);
            if let Some(after) = set.end.and_then(|end| end.succ_opt()) {
                days.insert(after);
            }
        }
        days.into_iter()
            .filter(|&d| !self.in_force_on(d).is_empty())
            .collect()
    }

    /// The rule sets in force for every day of a year.
    pub fn covering_year(&self, year: i32) -> Vec<&str> {
        let first = NaiveDate::from_ymd_opt(year, 1, 1).expect("a day");
        let last = NaiveDate::from_ymd_opt(year, 12, 31).expect("a day");
        // A year in which any rule set starts or ends other than on its first or last day has
        // no rules as a year: which held depends on the day.
        let partly = self.sets.iter().any(|(_, s)| {
            let touches = s.start <= last && s.end.is_none_or(|end| end >= first);
            let covers = s.start <= first && s.end.is_none_or(|end| end >= last);
            touches && !covers
        });
        if partly {
            return Vec::new();
        }
        self.sets
            .iter()
            .filter(|(_, s)| s.start <= first && s.end.is_none_or(|end| end >= last))
            .map(|(id, _)| id.as_str())
            .collect()
    }

    /// The rules in force on a day, merged, for enumeration.
    pub fn on(&self, day: NaiveDate) -> Brute {
        self.period(&self.in_force_on(day))
    }

    /// The rules of some rule sets in force together.
    pub fn period(&self, set_ids: &[&str]) -> Brute {
        let mut judgements: Vec<(String, String, bool)> = Vec::new();
        let mut tables: Vec<toml::Table> = Vec::new();
        for id in set_ids {
            let (own, constraints) = self.resolved(id);
            for judgement in own {
                if !judgements.iter().any(|j| j.0 == judgement.0) {
                    judgements.push(judgement);
                }
            }
            tables.extend(constraints);
        }
        let index = |id: &str| {
            judgements
                .iter()
                .position(|j| j.0 == id)
                .unwrap_or_else(|| panic!("`{id}` is not in force"))
        };
        let scale_of = |j: usize| &self.scales[&judgements[j].1];
        let rank = |j: usize, value: &toml::Value| -> usize {
            let scale = scale_of(j);
            match value {
                toml::Value::Integer(n) => scale.numbers.iter().position(|m| m == n),
                toml::Value::String(word) => {
                    let word = word.to_lowercase();
                    scale.words.iter().position(|w| w.contains(&word))
                }
                _ => None,
            }
            .unwrap_or_else(|| panic!("{value:?} is not on the scale of {}", judgements[j].0))
        };
        fn condition(
            table: &toml::Table,
            index: &dyn Fn(&str) -> usize,
            rank: &dyn Fn(usize, &toml::Value) -> usize,
        ) -> OCond {
            if let Some(judgement) = table.get("judgement").and_then(toml::Value::as_str) {
                let j = index(judgement);
                for (key, test) in [
                    ("at_most", OTest::AtMost),
                    ("at_least", OTest::AtLeast),
                    ("is", OTest::Is),
                ] {
                    if let Some(value) = table.get(key) {
                        return OCond::Atom(j, test, rank(j, value));
                    }
                }
                panic!("a judgement condition without a test: {table:?}");
            }
            for key in ["all", "any"] {
                if let Some(parts) = table.get(key).and_then(toml::Value::as_array) {
                    let parts = parts
                        .iter()
                        .map(|p| condition(p.as_table().expect("a condition"), index, rank))
                        .collect();
                    return if key == "all" {
                        OCond::All(parts)
                    } else {
                        OCond::Any(parts)
                    };
                }
            }
            let count = table["count"].as_table().expect("a count");
            let at_most = &count["at_most"];
            let items = count["of"]
                .as_array()
                .expect("of")
                .iter()
                .map(|j| {
                    let j = index(j.as_str().expect("an id"));
                    (j, rank(j, at_most))
                })
                .collect();
            let n = usize::try_from(count["n"].as_integer().expect("n")).expect("n >= 0");
            OCond::Count(items, n)
        }
        let constraints = tables
            .iter()
            .map(|table| {
                let target = index(text(table, "target"));
                let offset = table
                    .get("offset")
                    .and_then(toml::Value::as_integer)
                    .unwrap_or(0);
                let rel = match text(table, "kind") {
                    "cap" => ORel::Cap(rank(target, &table["at_most"])),
                    "floor" => ORel::Floor(rank(target, &table["at_least"])),
                    "limit" => ORel::Limit(index(text(table, "other")), offset),
                    "equal" => ORel::Equal(index(text(table, "other")), offset),
                    other => panic!("kind {other}"),
                };
                OConstraint {
                    id: text(table, "id").to_owned(),
                    must: text(table, "strength") == "must",
                    target,
                    rel,
                    when: table
                        .get("when")
                        .map(|w| condition(w.as_table().expect("a condition"), &index, &rank)),
                }
            })
            .collect();
        Brute::new(
            judgements
                .iter()
                .enumerate()
                .map(|(j, (id, _, latent))| (id.clone(), scale_of(j).numbers.clone(), *latent))
                .collect(),
            constraints,
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Enumeration.

/// Every complete assignment of one period's judgements, with the constraints each satisfies.
#[derive(Debug, Clone)]
pub struct Brute {
    pub ids: Vec<String>,
    pub numbers: Vec<Vec<i64>>,
    pub latent: Vec<bool>,
    pub constraints: Vec<OConstraint>,
    /// Every assignment, as ranks.
    pub all: Vec<Vec<usize>>,
    /// For each assignment, a bit per constraint that holds.
    pub holds: Vec<u64>,
    /// For each assignment, a bit per constraint whose condition holds (always, without one).
    pub applies: Vec<u64>,
}

impl Brute {
    fn new(judgements: Vec<(String, Vec<i64>, bool)>, constraints: Vec<OConstraint>) -> Brute {
        assert!(constraints.len() <= 64, "a bit per constraint");
        let mut all: Vec<Vec<usize>> = vec![Vec::new()];
        for (_, numbers, _) in &judgements {
            all = all
                .iter()
                .flat_map(|partial| {
                    (0..numbers.len()).map(move |rank| {
                        let mut next = partial.clone();
                        next.push(rank);
                        next
                    })
                })
                .collect();
        }
        let bits = |test: &dyn Fn(&OConstraint, &[usize]) -> bool, ranks: &[usize]| {
            constraints
                .iter()
                .enumerate()
                .filter(|(_, c)| test(c, ranks))
                .fold(0u64, |mask, (i, _)| mask | (1 << i))
        };
        let holds = all.iter().map(|a| bits(&|c, r| c.holds(r), a)).collect();
        let applies = all
            .iter()
            .map(|a| bits(&|c, r| c.condition(r), a))
            .collect();
        Brute {
            ids: judgements.iter().map(|j| j.0.clone()).collect(),
            numbers: judgements.iter().map(|j| j.1.clone()).collect(),
            latent: judgements.iter().map(|j| j.2).collect(),
            constraints,
            all,
            holds,
            applies,
        }
    }

    pub fn index(&self, judgement: &str) -> usize {
        self.ids
            .iter()
            .position(|id| id == judgement)
            .unwrap_or_else(|| panic!("`{judgement}` is not in force"))
    }

    /// The bits of the constraints with these ids.
    pub fn mask<'a>(&self, ids: impl IntoIterator<Item = &'a str>) -> u64 {
        let mut mask = 0;
        for id in ids {
            let position = self
                .constraints
                .iter()
                .position(|c| c.id == id)
                .unwrap_or_else(|| panic!("no constraint `{id}`"));
            mask |= 1 << position;
        }
        mask
    }

    pub fn must(&self) -> u64 {
        self.constraints
            .iter()
            .enumerate()
            .filter(|(_, c)| c.must)
            .fold(0, |mask, (i, _)| mask | (1 << i))
    }

    /// Given grades as (judgement, rank).
    pub fn pins(&self, given: &Assignment) -> Vec<(usize, usize)> {
        given
            .iter()
            .map(|(id, number)| {
                let j = self.index(id);
                let rank = self.numbers[j]
                    .iter()
                    .position(|n| n == number)
                    .unwrap_or_else(|| panic!("{number} is not on the scale of `{id}`"));
                (j, rank)
            })
            .collect()
    }

    /// The indices of the assignments that satisfy the constraints in `rules` and the pins.
    pub fn matching<'s>(
        &'s self,
        rules: u64,
        pins: &'s [(usize, usize)],
    ) -> impl Iterator<Item = usize> + 's {
        (0..self.all.len()).filter(move |&a| {
            self.holds[a] & rules == rules && pins.iter().all(|&(j, r)| self.all[a][j] == r)
        })
    }

    /// Whether some assignment satisfies the constraints in `rules` and the pins.
    pub fn exists(&self, rules: u64, pins: &[(usize, usize)]) -> bool {
        self.matching(rules, pins).next().is_some()
    }

    /// An assignment as judgement id to printed number.
    pub fn assignment(&self, a: usize) -> Assignment {
        self.all[a]
            .iter()
            .enumerate()
            .map(|(j, &rank)| (self.ids[j].clone(), self.numbers[j][rank]))
            .collect()
    }

    /// The ranks of a complete assignment given as id to number.
    pub fn ranks(&self, assignment: &Assignment) -> Vec<usize> {
        let mut ranks = vec![0; self.ids.len()];
        for (j, rank) in self.pins(assignment) {
            ranks[j] = rank;
        }
        assert_eq!(assignment.len(), self.ids.len(), "a complete assignment");
        ranks
    }

    /// Whether a complete assignment satisfies the constraints in `rules`.
    pub fn satisfies(&self, assignment: &Assignment, rules: u64) -> bool {
        let ranks = self.ranks(assignment);
        self.constraints
            .iter()
            .enumerate()
            .filter(|(i, _)| rules & (1 << i) != 0)
            .all(|(_, c)| c.holds(&ranks))
    }
}

/// Random given grades, resolved against a period's judgements: (judgement pick, value pick).
pub fn given_strategy() -> impl Strategy<Value = Vec<(usize, usize)>> {
    proptest::collection::vec((0..8usize, 0..64usize), 0..=4)
}

pub fn to_given(brute: &Brute, picks: &[(usize, usize)]) -> Assignment {
    picks
        .iter()
        .map(|&(j, v)| {
            let j = j % brute.ids.len();
            let numbers = &brute.numbers[j];
            (brute.ids[j].clone(), numbers[v % numbers.len()])
        })
        .collect()
}

/// One generated book, loaded by the loader and read by the oracle, at one of its epochs.
pub struct Case {
    pub files: Vec<(String, String)>,
    pub book: RuleBook,
    pub oracle: Oracle,
    pub day: NaiveDate,
    pub brute: Brute,
}

impl Case {
    pub fn new(book: &GenBook, epoch: usize) -> Case {
        let files = render(book);
        let loaded = load(&files);
        let oracle = Oracle::read(&files);
        let days = oracle.epoch_starts();
        let day = days[epoch % days.len()];
        let brute = oracle.on(day);
        Case {
            files,
            book: loaded,
            oracle,
            day,
            brute,
        }
    }

    /// The loader's rules for the case's day.
    pub fn rules(&self) -> ratings_core::PeriodRules {
        self.book
            .in_force(ratings_core::LOCAL_AUTHORITIES, Period::Date(self.day))
            .unwrap_or_else(|e| panic!("{e}"))
    }
}
