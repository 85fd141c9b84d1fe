//! The engine against brute-force enumeration on random small rule sets: allowed values,
//! refutations and conflict cores must be exactly what enumeration says.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use proptest::prelude::*;
use ratings_core::{load_rules, Assignment, Budget, Model, SourceText, YearRules};

const SCALES: &str = r#"
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

const SCALE_IDS: [&str; 3] = ["two", "three", "four"];

fn scale_numbers(scale: usize) -> Vec<i64> {
    match scale {
        0 => vec![0, 1],
        1 => vec![1, 2, 3],
        _ => vec![1, 2, 3, 4],
    }
}

#[derive(Debug, Clone)]
enum GenCond {
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
struct GenConstraint {
    kind: usize,
    target: usize,
    other: usize,
    pick: usize,
    offset: i64,
    when: Option<GenCond>,
    must: bool,
}

#[derive(Debug, Clone)]
struct GenRules {
    scales: Vec<usize>,
    latent: Vec<bool>,
    constraints: Vec<GenConstraint>,
}

fn cond_strategy(below: usize) -> BoxedStrategy<GenCond> {
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

fn rules_strategy() -> impl Strategy<Value = GenRules> {
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

fn constraint_strategy(n: usize) -> impl Strategy<Value = GenConstraint> {
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

fn pick_value(rules: &GenRules, judgement: usize, pick: usize) -> i64 {
    let numbers = scale_numbers(rules.scales[judgement]);
    numbers[pick % numbers.len()]
}

fn render_cond(rules: &GenRules, cond: &GenCond, out: &mut String) {
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

fn render(rules: &GenRules) -> String {
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
            "\n[[constraint]]\nid = \"c{c}\"\ntext = \"random\"\nstrength = \"{strength}\"\nbasis = \"inferred\"\ncite = {{ source = \"test\", locator = \"-\" }}\ntarget = \"t.j{}\"\n",
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

fn year_rules(text: &str) -> YearRules {
    let sources = [
        SourceText::new("scales.toml", SCALES),
        SourceText::new("t.toml", text),
    ];
    let book = match load_rules(&sources) {
        Ok(book) => book,
        Err(problems) => panic!("generated rules do not load: {problems:?}\n{text}"),
    };
    YearRules::new(&book, 2000).expect("the rule set covers 2000")
}

/// Every complete assignment satisfying the `must` constraints, by enumeration.
fn solutions(year: &YearRules) -> Vec<Assignment> {
    let mut all = vec![Assignment::new()];
    for judgement in &year.judgements {
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
            year.constraints
                .iter()
                .filter(|c| c.strength == ratings_core::Strength::Must)
                .all(|c| c.holds(&|j: &str| assignment[j]))
        })
        .collect()
}

fn extends(solution: &Assignment, given: &Assignment) -> bool {
    given.iter().all(|(j, v)| solution.get(j) == Some(v))
}

fn given_strategy() -> impl Strategy<Value = Vec<(usize, usize)>> {
    proptest::collection::vec((0..5usize, 0..4usize), 0..4)
}

fn to_given(rules: &GenRules, picks: &[(usize, usize)]) -> Assignment {
    picks
        .iter()
        .filter(|(j, _)| *j < rules.scales.len())
        .map(|&(j, pick)| (format!("t.j{j}"), pick_value(rules, j, pick)))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn allowed_values_equal_brute_force(rules in rules_strategy(), picks in given_strategy()) {
        let year = year_rules(&render(&rules));
        let given = to_given(&rules, &picks);
        let model = Model::new(&year);
        let allowed = model.allowed(&given, &mut Budget::default()).expect("small rule sets fit the budget");
        let matching: Vec<Assignment> = solutions(&year).into_iter().filter(|s| extends(s, &given)).collect();
        prop_assert_eq!(allowed.consistent, !matching.is_empty());
        for judgement in &year.judgements {
            let id = &judgement.judgement.id;
            let mut expected: Vec<i64> = matching.iter().map(|s| s[id]).collect();
            expected.sort_unstable();
            expected.dedup();
            prop_assert_eq!(&allowed.values[id], &expected, "judgement {}", id);
        }
    }

    #[test]
    fn refutation_exists_exactly_when_projection_is_not_full(rules in rules_strategy(), picks in given_strategy()) {
        let year = year_rules(&render(&rules));
        let published: Vec<String> = to_given(&rules, &picks).into_keys().collect();
        let model = Model::new(&year);
        let refutation = model.refutation(&published, &mut Budget::default()).expect("fits the budget");
        let all = solutions(&year);
        // Enumerate every assignment of the published judgements.
        let mut combos = vec![Assignment::new()];
        for id in &published {
            let numbers = year.judgement(id).expect("published judgements exist").scale.numbers();
            combos = combos.iter().flat_map(|c| numbers.iter().map(move |&n| {
                let mut next = c.clone();
                next.insert(id.clone(), n);
                next
            })).collect();
        }
        let some_refuted = combos.iter().any(|combo| !all.iter().any(|s| extends(s, combo)));
        prop_assert_eq!(refutation.is_some(), some_refuted);
        if let Some(refuted) = refutation {
            prop_assert!(!all.iter().any(|s| extends(s, &refuted)), "the refutation has a solution: {:?}", refuted);
        }
    }

    #[test]
    fn conflict_cores_are_minimal(rules in rules_strategy(), picks in given_strategy()) {
        let year = year_rules(&render(&rules));
        let given = to_given(&rules, &picks);
        let model = Model::new(&year);
        let core = model.conflict(&given, &mut Budget::default()).expect("fits the budget");
        let all = solutions(&year);
        let consistent = all.iter().any(|s| extends(s, &given));
        prop_assert_eq!(core.is_none(), consistent);
        if let Some(core) = core {
            // The core's givens contradict the rules, and dropping any one of them does not.
            prop_assert!(!all.iter().any(|s| extends(s, &core.given)));
            for dropped in core.given.keys() {
                let mut rest = core.given.clone();
                rest.remove(dropped);
                prop_assert!(all.iter().any(|s| extends(s, &rest)), "not minimal without {}", dropped);
            }
            prop_assert!(core.given.iter().all(|(j, v)| given.get(j) == Some(v)));
        }
    }
}

#[test]
fn a_cap_narrows_in_both_directions() {
    let text = r#"
id = "t"
title = "Cap"
years = { from = 2000, to = 2000 }

[[judgement]]
id = "t.overall"
title = "Overall"
scale = "four"

[[judgement]]
id = "t.part"
title = "Part"
scale = "four"

[[constraint]]
id = "part-caps-overall"
text = "an inadequate part caps overall at adequate"
strength = "must"
basis = "reported"
cite = { source = "test", locator = "-" }
kind = "cap"
target = "t.overall"
at_most = "adequate"
when = { judgement = "t.part", is = "inadequate" }
"#;
    let year = year_rules(text);
    let model = Model::new(&year);
    let mut budget = Budget::default();
    let forward = model
        .allowed(&BTreeMap::from([("t.part".to_owned(), 1)]), &mut budget)
        .expect("fits");
    assert_eq!(forward.values["t.overall"], vec![1, 2]);
    let backward = model
        .allowed(&BTreeMap::from([("t.overall".to_owned(), 4)]), &mut budget)
        .expect("fits");
    assert_eq!(backward.values["t.part"], vec![2, 3, 4]);
    let reasons = model
        .reasons(
            &BTreeMap::from([("t.overall".to_owned(), 4)]),
            &backward,
            &mut budget,
        )
        .expect("fits");
    assert_eq!(reasons["t.part"][0].rule, "part-caps-overall");
    assert_eq!(
        reasons["t.part"][0].because,
        BTreeMap::from([("t.overall".to_owned(), 4)])
    );
}
