//! `analyze` and `compare` against brute-force enumeration on random small rule sets: the same
//! findings, no false positives and no misses, and every argument and witness checks out.

mod common;

use std::collections::BTreeSet;

use common::*;
use proptest::prelude::*;
use ratings_core::{
    analyze_rules, compare, load_rules, Assignment, Budget, Constraint, Period, PeriodRules,
    SourceText, Strength,
};

/// Every complete assignment of the year, by enumeration.
fn every_assignment(year: &PeriodRules) -> Vec<Assignment> {
    let mut all = vec![Assignment::new()];
    for judgement in year.judgements() {
        all = all
            .iter()
            .flat_map(|partial| {
                judgement.scale.numbers().into_iter().map(move |n| {
                    let mut next = partial.clone();
                    next.insert(judgement.judgement.id.clone(), n);
                    next
                })
            })
            .collect();
    }
    all
}

fn satisfies(year: &PeriodRules, assignment: &Assignment, constraints: &[&Constraint]) -> bool {
    constraints
        .iter()
        .all(|c| c.holds(&ranks(year, assignment)))
}

fn must(year: &PeriodRules) -> Vec<&Constraint> {
    year.constraints()
        .iter()
        .filter(|c| c.strength == Strength::Must)
        .collect()
}

fn by_ids<'a>(year: &'a PeriodRules, ids: &[String]) -> Vec<&'a Constraint> {
    year.constraints()
        .iter()
        .filter(|c| ids.contains(&c.id))
        .collect()
}

/// The findings brute force gives, as (code, constraint or judgement, value).
fn brute_force(year: &PeriodRules) -> BTreeSet<(String, String, i64)> {
    let all = every_assignment(year);
    let must = must(year);
    let solutions: Vec<&Assignment> = all.iter().filter(|a| satisfies(year, a, &must)).collect();
    let mut out = BTreeSet::new();
    if solutions.is_empty() {
        out.insert(("unsatisfiable".to_owned(), String::new(), 0));
        return out;
    }
    for judgement in year.judgements().iter().filter(|j| !j.judgement.latent) {
        for value in judgement.scale.numbers() {
            if !solutions
                .iter()
                .any(|s| s[&judgement.judgement.id] == value)
            {
                out.insert((
                    "unreachable-value".to_owned(),
                    judgement.judgement.id.clone(),
                    value,
                ));
            }
        }
    }
    for constraint in &must {
        let others: Vec<&Constraint> = must
            .iter()
            .copied()
            .filter(|c| c.id != constraint.id)
            .collect();
        if all
            .iter()
            .filter(|a| satisfies(year, a, &others))
            .all(|a| constraint.holds(&ranks(year, a)))
        {
            out.insert(("redundant-constraint".to_owned(), constraint.id.clone(), 0));
        }
    }
    for constraint in year.constraints() {
        let Some(when) = &constraint.when else {
            continue;
        };
        let applies = |s: &&&Assignment| when.holds(&ranks(year, s));
        if !solutions.iter().any(|s| applies(&s)) {
            out.insert(("dead-constraint".to_owned(), constraint.id.clone(), 0));
        }
    }
    for constraint in year
        .constraints()
        .iter()
        .filter(|c| c.strength == Strength::Usually)
    {
        let applies = |s: &Assignment| {
            constraint
                .when
                .as_ref()
                .is_none_or(|w| w.holds(&ranks(year, s)))
        };
        if solutions.iter().any(|s| applies(s))
            && !solutions
                .iter()
                .any(|s| applies(s) && constraint.holds(&ranks(year, s)))
        {
            out.insert((
                "usual-contradicts-must".to_owned(),
                constraint.id.clone(),
                0,
            ));
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn analysis_equals_brute_force(rules in rules_strategy()) {
        let year = year_rules(&render(&rules));
        let findings = analyze_rules(&year, &mut Budget::default()).expect("small rule sets fit the budget");
        let got: BTreeSet<(String, String, i64)> = findings
            .iter()
            .map(|f| (f.code.as_str().to_owned(), f.constraint.clone().or(f.judgement.clone()).unwrap_or_default(), f.value.unwrap_or(0)))
            .collect();
        prop_assert_eq!(&got, &brute_force(&year));

        // Every argument and witness checks out against enumeration.
        let all = every_assignment(&year);
        let must = must(&year);
        for finding in &findings {
            let because = by_ids(&year, &finding.because);
            match finding.code.as_str() {
                "unsatisfiable" => prop_assert!(!all.iter().any(|a| satisfies(&year, a, &because))),
                "unreachable-value" => {
                    let (j, v) = (finding.judgement.clone().unwrap_or_default(), finding.value.unwrap_or(0));
                    prop_assert!(!all.iter().any(|a| a[&j] == v && satisfies(&year, a, &because)));
                }
                "redundant-constraint" => {
                    let constraint = year.constraint(finding.constraint.as_deref().unwrap_or("")).expect("named");
                    prop_assert!(all.iter().filter(|a| satisfies(&year, a, &because)).all(|a| constraint.holds(&ranks(&year, a))));
                    // Minimal: without any one of them the constraint is no longer implied.
                    for dropped in &finding.because {
                        let fewer: Vec<String> = finding.because.iter().filter(|b| *b != dropped).cloned().collect();
                        let fewer = by_ids(&year, &fewer);
                        prop_assert!(!all.iter().filter(|a| satisfies(&year, a, &fewer)).all(|a| constraint.holds(&ranks(&year, a))));
                    }
                }
                "usual-contradicts-must" => {
                    let witness = finding.witness.clone().expect("a witness");
                    let constraint = year.constraint(finding.constraint.as_deref().unwrap_or("")).expect("named");
                    prop_assert!(satisfies(&year, &witness, &must));
                    prop_assert!(!constraint.holds(&ranks(&year, &witness)));
                }
                _ => {}
            }
        }
    }

    #[test]
    fn compare_finds_a_difference_exactly_when_the_solutions_differ(a in rules_strategy(), b in rules_strategy()) {
        // Give both the judgements of `a`, so that only the constraints differ.
        let mut b = b;
        b.scales = a.scales.clone();
        b.latent = a.latent.clone();
        b.constraints.retain(|c| c.target < a.scales.len() && c.other < a.scales.len());
        prop_assume!(!b.constraints.is_empty());
        let load = |text: String| load_rules(&[SourceText::new("scales.toml", SCALES), SourceText::new("t.toml", text)]).expect("loads");
        let (book_a, book_b) = (load(render(&a)), load(render(&b)));
        let differences = compare(&book_a, &book_b, ["a", "b"], None, &mut Budget::default()).expect("fits");
        let (ya, yb) = (book_a.in_force(Period::Year(2000)).expect("2000"), book_b.in_force(Period::Year(2000)).expect("2000"));
        let all = every_assignment(&ya);
        let (ma, mb) = (must(&ya), must(&yb));
        let same = all.iter().all(|x| satisfies(&ya, x, &ma) == satisfies(&ya, x, &mb));
        prop_assert_eq!(differences.is_empty(), same);
        for difference in &differences {
            let witness = difference.witness.clone().expect("a witness");
            let (allows, forbids) = if difference.allowed_by == "a" { (&ma, &yb) } else { (&mb, &ya) };
            prop_assert!(satisfies(&ya, &witness, allows));
            let forbidder = forbids.constraint(difference.forbidden_by.as_deref().unwrap_or("")).expect("named");
            prop_assert!(!forbidder.holds(&ranks(&ya, &witness)));
        }
    }
}
