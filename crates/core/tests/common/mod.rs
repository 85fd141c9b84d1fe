//! Random small rule sets for property tests, rendered as TOML, and brute-force enumeration.

#![allow(
    dead_code,
    reason = "each test binary uses a different subset of the helpers"
)]

use std::fmt::Write as _;

use proptest::prelude::*;
use ratings_core::{load_rules, Assignment, Period, PeriodRules, SourceText};

pub const SCALES: &str = r#"
[[document]]
id = "test"
title = "Test"
publisher = "Tests"
date = "2000"

[[scale]]
id = "two"
title = "Two"
values = [{ number = 0, label = "no" }, { number = 1, label = "yes" }]

[[scale]]
id = "three"
title = "Three"
values = [{ number = 1, label = "low" }, { number = 2, label = "mid" }, { number = 3, label = "high" }]

[[scale]]
id = "four"
title = "Four"
values = [
  { number = 1, label = "inadequate" },
  { number = 2, label = "adequate" },
  { number = 3, label = "good" },
  { number = 4, label = "outstanding" },
]
"#;

pub const SCALE_IDS: [&str; 3] = ["two", "three", "four"];

pub fn scale_numbers(scale: usize) -> Vec<i64> {
    match scale {
        0 => vec![0, 1],
        1 => vec![1, 2, 3],
        _ => vec![1, 2, 3, 4],
    }
}

#[derive(Debug, Clone)]
pub enum GenCond {
    Atom {
        judgement: usize,
        test: usize,
        pick: usize,
    },
    All(Vec<GenCond>),
    Any(Vec<GenCond>),
    Count {
        of: Vec<usize>,
        at_most: i64,
        n: usize,
    },
}

#[derive(Debug, Clone)]
pub struct GenConstraint {
    pub kind: usize,
    pub target: usize,
    pub other: usize,
    pub pick: usize,
    pub offset: i64,
    pub when: Option<GenCond>,
    pub must: bool,
}

#[derive(Debug, Clone)]
pub struct GenRules {
    pub scales: Vec<usize>,
    pub latent: Vec<bool>,
    pub constraints: Vec<GenConstraint>,
}

pub fn cond_strategy(below: usize) -> BoxedStrategy<GenCond> {
    let atom = (0..below, 0..3usize, 0..4usize).prop_map(|(judgement, test, pick)| GenCond::Atom {
        judgement,
        test,
        pick,
    });
    let count = (
        proptest::sample::subsequence((0..below).collect::<Vec<_>>(), 1..=below),
        1..=3i64,
        1..=3usize,
    )
        .prop_map(|(of, at_most, n)| {
            let n = n.min(of.len());
            GenCond::Count { of, at_most, n }
        });
    let leaf = prop_oneof![3 => atom, 1 => count];
    leaf.prop_recursive(2, 6, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 1..3).prop_map(GenCond::All),
            proptest::collection::vec(inner, 1..3).prop_map(GenCond::Any),
        ]
    })
    .boxed()
}

pub fn rules_strategy() -> impl Strategy<Value = GenRules> {
    (2..=5usize)
        .prop_flat_map(|n| {
            (
                proptest::collection::vec(0..3usize, n),
                proptest::collection::vec(proptest::bool::weighted(0.25), n),
                proptest::collection::vec(constraint_strategy(n), 1..=5),
            )
        })
        .prop_map(|(scales, latent, constraints)| GenRules {
            scales,
            latent,
            constraints,
        })
}

pub fn constraint_strategy(n: usize) -> impl Strategy<Value = GenConstraint> {
    // Targets read only lower-numbered judgements, so the graph has no cycle.
    (1..n).prop_flat_map(|target| {
        (
            0..4usize,
            Just(target),
            0..target,
            0..4usize,
            -1..=1i64,
            proptest::option::weighted(0.7, cond_strategy(target)),
            proptest::bool::weighted(0.8),
        )
            .prop_map(
                |(kind, target, other, pick, offset, when, must)| GenConstraint {
                    kind,
                    target,
                    other,
                    pick,
                    offset,
                    when,
                    must,
                },
            )
    })
}

pub fn pick_value(rules: &GenRules, judgement: usize, pick: usize) -> i64 {
    let numbers = scale_numbers(rules.scales[judgement]);
    numbers[pick % numbers.len()]
}

pub fn render_cond(rules: &GenRules, cond: &GenCond, out: &mut String) {
    match cond {
        GenCond::Atom {
            judgement,
            test,
            pick,
        } => {
            let key = ["at_most", "at_least", "is"][*test];
            let _ = write!(
                out,
                "{{ judgement = \"t.j{judgement}\", {key} = {} }}",
                pick_value(rules, *judgement, *pick)
            );
        }
        GenCond::All(parts) | GenCond::Any(parts) => {
            let key = if matches!(cond, GenCond::All(_)) {
                "all"
            } else {
                "any"
            };
            let _ = write!(out, "{{ {key} = [");
            for (i, part) in parts.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                render_cond(rules, part, out);
            }
            out.push_str("] }");
        }
        GenCond::Count { of, at_most, n } => {
            // `at_most` must be a number on every counted scale: keep it inside all of them.
            let max_common = of
                .iter()
                .map(|&j| *scale_numbers(rules.scales[j]).last().unwrap_or(&1))
                .min()
                .unwrap_or(1);
            let at_most = (*at_most).clamp(1, max_common.max(1));
            let listed: Vec<String> = of.iter().map(|j| format!("\"t.j{j}\"")).collect();
            let _ = write!(
                out,
                "{{ count = {{ of = [{}], at_most = {at_most}, n = {n} }} }}",
                listed.join(", ")
            );
        }
    }
}

pub fn render(rules: &GenRules) -> String {
    let mut out =
        String::from("id = \"t\"\ntitle = \"Random\"\nyears = { from = 2000, to = 2000 }\n");
    for (j, scale) in rules.scales.iter().enumerate() {
        let _ = write!(
            out,
            "\n[[judgement]]\nid = \"t.j{j}\"\ntitle = \"J{j}\"\nscale = \"{}\"\nlatent = {}\n",
            SCALE_IDS[*scale], rules.latent[j]
        );
    }
    for (c, constraint) in rules.constraints.iter().enumerate() {
        let strength = if constraint.must { "must" } else { "usually" };
        let _ = write!(
            out,
            "\n[[constraint]]\nid = \"c{c}\"\ntext = \"random\"\nstrength = \"{strength}\"\nbasis = \"inferred\"\ncite = {{ document = \"test\", locator = \"-\" }}\ntarget = \"t.j{}\"\n",
            constraint.target
        );
        match constraint.kind {
            0 => {
                let _ = writeln!(
                    out,
                    "kind = \"cap\"\nat_most = {}",
                    pick_value(rules, constraint.target, constraint.pick)
                );
            }
            1 => {
                let _ = writeln!(
                    out,
                    "kind = \"floor\"\nat_least = {}",
                    pick_value(rules, constraint.target, constraint.pick)
                );
            }
            2 => {
                let _ = writeln!(
                    out,
                    "kind = \"limit\"\nother = \"t.j{}\"\noffset = {}",
                    constraint.other, constraint.offset
                );
            }
            _ => {
                let _ = writeln!(
                    out,
                    "kind = \"equal\"\nother = \"t.j{}\"\noffset = {}",
                    constraint.other, constraint.offset
                );
            }
        }
        if let Some(when) = &constraint.when {
            out.push_str("when = ");
            render_cond(rules, when, &mut out);
            out.push('\n');
        }
    }
    out
}

pub fn year_rules(text: &str) -> PeriodRules {
    let sources = [
        SourceText::new("scales.toml", SCALES),
        SourceText::new("t.toml", text),
    ];
    let book = match load_rules(&sources) {
        Ok(book) => book,
        Err(problems) => panic!("generated rules do not load: {problems:?}\n{text}"),
    };
    book.in_force(Period::Year(2000))
        .expect("the rule set covers 2000")
}

/// Every complete assignment satisfying the `must` constraints, by enumeration.
pub fn solutions(year: &PeriodRules) -> Vec<Assignment> {
    let mut all = vec![Assignment::new()];
    for judgement in year.judgements() {
        let mut next = Vec::new();
        for partial in &all {
            for number in judgement.scale.numbers() {
                let mut extended = partial.clone();
                extended.insert(judgement.judgement.id.clone(), number);
                next.push(extended);
            }
        }
        all = next;
    }
    all.into_iter()
        .filter(|assignment| {
            year.constraints()
                .iter()
                .filter(|c| c.strength == ratings_core::Strength::Must)
                .all(|c| c.holds(&ranks(year, assignment)))
        })
        .collect()
}

pub fn extends(solution: &Assignment, given: &Assignment) -> bool {
    given.iter().all(|(j, v)| solution.get(j) == Some(v))
}

pub fn given_strategy() -> impl Strategy<Value = Vec<(usize, usize)>> {
    proptest::collection::vec((0..5usize, 0..4usize), 0..4)
}

pub fn to_given(rules: &GenRules, picks: &[(usize, usize)]) -> Assignment {
    picks
        .iter()
        .filter(|(j, _)| *j < rules.scales.len())
        .map(|&(j, pick)| (format!("t.j{j}"), pick_value(rules, j, pick)))
        .collect()
}

/// The rank of each judgement's number in an assignment, as `Constraint::holds` reads it.
pub fn ranks<'a>(year: &'a PeriodRules, assignment: &'a Assignment) -> impl Fn(&str) -> usize + 'a {
    move |j: &str| {
        year.rank(j, assignment[j])
            .expect("assignments use numbers of the judgement's scale")
    }
}
