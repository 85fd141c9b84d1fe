//! A generated book written out as a rule directory (scales, documents and rule sets, split
//! or merged over several files), and loaded by the loader.

use std::fmt::Write as _;

use ratings_core::{load_rules, RuleBook, SourceText};

use super::*;

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
