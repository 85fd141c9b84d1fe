//! `analyze` and `compare` against the independent oracle (`tests/common`) on random rule
//! directories: the same findings, no false positives and no misses, and every argument
//! sufficient and deletion-minimal, every witness checked by enumeration.

mod common;

use std::collections::BTreeSet;

use common::*;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use ratings_core::{analyze_rules, compare, AnalysisFinding, Budget};

/// The findings enumeration gives, as (code, constraint or judgement, value).
fn brute_force(brute: &Brute) -> BTreeSet<(String, String, i64)> {
    let must = brute.must();
    let solutions: Vec<usize> = brute.matching(must, &[]).collect();
    let mut out = BTreeSet::new();
    if solutions.is_empty() {
        out.insert(("unsatisfiable".to_owned(), String::new(), 0));
        return out;
    }
    for (j, id) in brute.ids.iter().enumerate() {
        if brute.latent[j] {
            continue;
        }
        for (rank, number) in brute.numbers[j].iter().enumerate() {
            if !solutions.iter().any(|&s| brute.all[s][j] == rank) {
                out.insert(("unreachable-value".to_owned(), id.clone(), *number));
            }
        }
    }
    for (c, constraint) in brute.constraints.iter().enumerate() {
        let bit = 1u64 << c;
        if constraint.must
            && brute
                .matching(must & !bit, &[])
                .all(|a| brute.holds[a] & bit != 0)
        {
            out.insert(("redundant-constraint".to_owned(), constraint.id.clone(), 0));
        }
        if constraint.when.is_some() && !solutions.iter().any(|&s| brute.applies[s] & bit != 0) {
            out.insert(("dead-constraint".to_owned(), constraint.id.clone(), 0));
        }
        if !constraint.must {
            let applies: Vec<usize> = solutions
                .iter()
                .copied()
                .filter(|&s| brute.applies[s] & bit != 0)
                .collect();
            if !applies.is_empty() && !applies.iter().any(|&s| brute.holds[s] & bit != 0) {
                out.insert((
                    "usual-contradicts-must".to_owned(),
                    constraint.id.clone(),
                    0,
                ));
            }
        }
    }
    out
}

/// A finding's argument (`because`), checked by enumeration: the assignments that satisfy it
/// all have the property the finding claims (`shown`), and without any one of its constraints
/// some assignment does not.
fn minimal_argument(
    brute: &Brute,
    finding: &AnalysisFinding,
    shown: &dyn Fn(usize) -> bool,
) -> Result<(), TestCaseError> {
    let because = brute.mask(finding.because.iter().map(String::as_str));
    prop_assert_eq!(
        because & !brute.must(),
        0,
        "only `must` rules argue: {:?}",
        finding
    );
    prop_assert!(
        brute.matching(because, &[]).all(shown),
        "the argument does not hold: {:?}",
        finding
    );
    for dropped in &finding.because {
        let fewer = because & !brute.mask([dropped.as_str()]);
        prop_assert!(
            !brute.matching(fewer, &[]).all(shown),
            "not minimal without `{}`: {:?}",
            dropped,
            finding
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn analysis_equals_brute_force(generated in book_strategy(), epoch in 0..8usize) {
        let case = Case::new(&generated, epoch);
        let brute = &case.brute;
        let findings = analyze_rules(&case.rules(), &mut Budget::default()).expect("small rule sets fit the budget");
        let got: BTreeSet<(String, String, i64)> = findings
            .iter()
            .map(|f| (f.code.as_str().to_owned(), f.constraint.clone().or(f.judgement.clone()).unwrap_or_default(), f.value.unwrap_or(0)))
            .collect();
        prop_assert_eq!(&got, &brute_force(brute));

        // Every argument is sufficient and minimal, and every witness checks out.
        for finding in &findings {
            let bit = finding.constraint.as_deref().map_or(0, |c| brute.mask([c]));
            match finding.code.as_str() {
                "unsatisfiable" => minimal_argument(brute, finding, &|_| false)?,
                "unreachable-value" => {
                    let j = brute.index(finding.judgement.as_deref().unwrap_or(""));
                    let rank = brute.numbers[j].iter().position(|n| Some(*n) == finding.value).expect("on the scale");
                    minimal_argument(brute, finding, &|a| brute.all[a][j] != rank)?;
                }
                "redundant-constraint" => minimal_argument(brute, finding, &|a| brute.holds[a] & bit != 0)?,
                "dead-constraint" => minimal_argument(brute, finding, &|a| brute.applies[a] & bit == 0)?,
                "usual-contradicts-must" => {
                    minimal_argument(brute, finding, &|a| brute.applies[a] & bit == 0 || brute.holds[a] & bit == 0)?;
                    let witness = finding.witness.clone().expect("a witness");
                    prop_assert!(brute.satisfies(&witness, brute.must()), "the witness breaks a `must` rule");
                    let ranks = brute.ranks(&witness);
                    let constraint = &brute.constraints[bit.trailing_zeros() as usize];
                    prop_assert!(!constraint.holds(&ranks), "the witness honours the rule");
                }
                other => prop_assert!(false, "a finding of an unexpected kind: {}", other),
            }
        }
    }

    #[test]
    fn compare_finds_a_difference_exactly_when_the_solutions_differ(generated in book_strategy(), others in constraints_strategy()) {
        // The same judgements and rule sets, other constraints.
        let mut changed = generated.clone();
        changed.constraints = others;
        let (files_a, files_b) = (render(&generated), render(&changed));
        let (book_a, book_b) = (load(&files_a), load(&files_b));
        let (oracle_a, oracle_b) = (Oracle::read(&files_a), Oracle::read(&files_b));
        let differences = compare(&book_a, &book_b, ["a", "b"], None, &mut Budget::default()).expect("fits");
        let days = oracle_a.epoch_starts();
        prop_assert_eq!(&days, &oracle_b.epoch_starts());
        let periods: Vec<(Brute, Brute)> = days.iter().map(|&d| (oracle_a.on(d), oracle_b.on(d))).collect();
        let same = periods.iter().all(|(a, b)| {
            (0..a.all.len()).all(|x| (a.holds[x] & a.must() == a.must()) == (b.holds[x] & b.must() == b.must()))
        });
        prop_assert_eq!(differences.is_empty(), same);
        for difference in &differences {
            let witness = difference.witness.clone().expect("a witness");
            let forbidder = difference.forbidden_by.clone().expect("a rule");
            // Some period where one side allows the witness and the other's rule forbids it.
            let shown = periods.iter().any(|(a, b)| {
                let (allows, forbids) = if difference.allowed_by == "a" { (a, b) } else { (b, a) };
                if !witness.keys().eq(allows.ids.iter().collect::<BTreeSet<_>>()) {
                    return false;
                }
                let Some(c) = forbids.constraints.iter().position(|c| c.id == forbidder) else {
                    return false;
                };
                allows.satisfies(&witness, allows.must()) && !forbids.constraints[c].holds(&forbids.ranks(&witness))
            });
            prop_assert!(shown, "the witness shows nothing: {:?}", difference);
        }
    }
}
