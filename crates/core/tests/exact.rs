//! The loader and the engine against an independent oracle on random rule directories: the
//! oracle (`tests/common`) reads the rule files itself and answers by enumeration. The rules in
//! force, allowed values and refutations must be exactly what it says; conflict cores and the
//! reasons behind `explain` must be sufficient and deletion-minimal, in grades and in rules,
//! with a single rule whenever one suffices.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use ratings_core::{Budget, Model, Period, PeriodRules};

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_loader_reads_what_the_oracle_reads(generated in book_strategy()) {
        let files = render(&generated);
        let book = load(&files);
        let oracle = Oracle::read(&files);
        let starts: Vec<_> = book.epochs(ratings_core::LOCAL_AUTHORITIES).iter().map(|(span, _)| span.start).collect();
        prop_assert_eq!(&starts, &oracle.epoch_starts());
        for day in oracle.epoch_starts() {
            let rules = book.in_force(ratings_core::LOCAL_AUTHORITIES, Period::Date(day)).map_err(|e| TestCaseError::fail(e.to_string()))?;
            same_rules(&rules, &oracle.on(day))?;
        }
        for year in 1999..=2005 {
            let covering = oracle.covering_year(year);
            match book.in_force(ratings_core::LOCAL_AUTHORITIES, Period::Year(year)) {
                Ok(rules) => {
                    prop_assert!(!covering.is_empty(), "{} has rules only for the loader", year);
                    same_rules(&rules, &oracle.period(&covering))?;
                }
                Err(_) => prop_assert!(covering.is_empty(), "{} has rules only for the oracle", year),
            }
        }
    }

    #[test]
    fn allowed_values_equal_brute_force(generated in book_strategy(), epoch in 0..8usize, picks in given_strategy()) {
        let case = Case::new(&generated, epoch);
        let brute = &case.brute;
        let given = to_given(brute, &picks);
        let model = Model::new(&case.rules());
        let allowed = model.allowed(&given, &mut Budget::default()).expect("small rule sets fit the budget");
        let pins = brute.pins(&given);
        let matching: Vec<usize> = brute.matching(brute.must(), &pins).collect();
        prop_assert_eq!(allowed.consistent, !matching.is_empty());
        prop_assert_eq!(allowed.values.len(), brute.ids.len());
        for (j, id) in brute.ids.iter().enumerate() {
            // Low to high on the scale: by rank, whichever way its numbers run.
            let mut ranks: Vec<usize> = matching.iter().map(|&a| brute.all[a][j]).collect();
            ranks.sort_unstable();
            ranks.dedup();
            let expected: Vec<i64> = ranks.iter().map(|&r| brute.numbers[j][r]).collect();
            prop_assert_eq!(&allowed.values[id], &expected, "judgement {}", id);
        }
    }

    #[test]
    fn refutation_exists_exactly_when_projection_is_not_full(generated in book_strategy(), epoch in 0..8usize, picks in given_strategy()) {
        let case = Case::new(&generated, epoch);
        let brute = &case.brute;
        let published: Vec<String> = to_given(brute, &picks).into_keys().collect();
        let model = Model::new(&case.rules());
        let refutation = model.refutation(&published, &mut Budget::default()).expect("fits the budget");
        // Every assignment of the published judgements.
        let mut combos: Vec<Vec<(usize, usize)>> = vec![Vec::new()];
        for id in &published {
            let j = brute.index(id);
            combos = combos
                .iter()
                .flat_map(|c| (0..brute.numbers[j].len()).map(move |rank| {
                    let mut next = c.clone();
                    next.push((j, rank));
                    next
                }))
                .collect();
        }
        let some_refuted = combos.iter().any(|combo| !brute.exists(brute.must(), combo));
        prop_assert_eq!(refutation.is_some(), some_refuted);
        if let Some(refuted) = refutation {
            prop_assert!(!brute.exists(brute.must(), &brute.pins(&refuted)), "the refutation has a solution: {:?}", refuted);
        }
    }

    #[test]
    fn a_rule_decided_by_the_grades_alone_is_decided_as_a_search_decides_it(generated in book_strategy(), epoch in 0..8usize, picks in given_strategy()) {
        let case = Case::new(&generated, epoch);
        let brute = &case.brute;
        let given = to_given(brute, &picks);
        let rules = case.rules();
        let model = Model::new(&rules);
        let pins = brute.pins(&given);
        let pinned = model.pin(&given).expect("the grades are on their scales");
        for constraint in rules.constraints() {
            let id = constraint.id.as_str();
            let with = brute.must() | brute.mask([id]);
            let searched = model
                .satisfiable_with_pinned(&pinned, &[id], &mut Budget::default())
                .expect("fits the budget");
            prop_assert_eq!(searched, brute.exists(with, &pins), "{}", id);
            // Only where the must rules hold with the grades, as the checker asks it.
            if brute.exists(brute.must(), &pins) {
                if let Some(holds) = model.decided_pinned(&pinned, id) {
                    prop_assert_eq!(holds, searched, "{} decided without a search", id);
                }
            }
        }
    }

    #[test]
    fn conflict_cores_are_minimal_in_grades_and_rules(generated in book_strategy(), epoch in 0..8usize, picks in given_strategy()) {
        let case = Case::new(&generated, epoch);
        let brute = &case.brute;
        let given = to_given(brute, &picks);
        let model = Model::new(&case.rules());
        let core = model.conflict(&given, &mut Budget::default()).expect("fits the budget");
        let pins = brute.pins(&given);
        prop_assert_eq!(core.is_none(), brute.exists(brute.must(), &pins));
        if let Some(core) = core {
            prop_assert!(core.given.iter().all(|(j, v)| given.get(j) == Some(v)));
            let rules = brute.mask(core.rules.iter().map(String::as_str));
            minimal_argument(brute, rules, &brute.pins(&core.given), None)?;
            prop_assert!(
                !has_lone_rule(brute, &pins, None) || core.rules.len() == 1,
                "a single rule contradicts the grades, but the core blames {:?}", core.rules
            );
        }
    }

    #[test]
    fn reasons_are_sufficient_minimal_and_complete(generated in book_strategy(), epoch in 0..8usize, picks in given_strategy()) {
        let case = Case::new(&generated, epoch);
        let brute = &case.brute;
        let given = to_given(brute, &picks);
        let model = Model::new(&case.rules());
        let mut budget = Budget::default();
        let allowed = model.allowed(&given, &mut budget).expect("fits the budget");
        let reasons = model.reasons(&given, &allowed, &mut budget).expect("fits the budget");
        if !allowed.consistent {
            prop_assert!(reasons.is_empty());
            return Ok(());
        }
        let pins = brute.pins(&given);
        let mut explained: BTreeSet<(String, i64)> = BTreeSet::new();
        for reason in &reasons {
            prop_assert!(reason.because.iter().all(|(j, v)| given.get(j) == Some(v)));
            let rules = brute.mask(reason.rules());
            let because = brute.pins(&reason.because);
            for (judgement, values) in &reason.removes {
                prop_assert!(!given.contains_key(judgement), "a reason for a given grade");
                let j = brute.index(judgement);
                for value in values {
                    prop_assert!(explained.insert((judgement.clone(), *value)), "{} = {} explained twice", judgement, value);
                    let rank = brute.numbers[j].iter().position(|n| n == value).expect("on the scale");
                    minimal_argument(brute, rules, &because, Some((j, rank)))?;
                    prop_assert!(
                        !has_lone_rule(brute, &pins, Some((j, rank))) || reason.with.is_empty(),
                        "a single rule rules out {} = {}, but the reason needs {:?}", judgement, value, reason
                    );
                }
            }
        }
        let mut removed: BTreeSet<(String, i64)> = BTreeSet::new();
        for (j, id) in brute.ids.iter().enumerate() {
            if given.contains_key(id) {
                continue;
            }
            for number in &brute.numbers[j] {
                if !allowed.values[id].contains(number) {
                    removed.insert((id.clone(), *number));
                }
            }
        }
        prop_assert_eq!(explained, removed, "every removed value has exactly one reason");
    }
}

/// Judgements (scales, latent) and constraints (strength) the same for loader and oracle.
fn same_rules(rules: &PeriodRules, brute: &Brute) -> Result<(), TestCaseError> {
    let loaded: BTreeMap<&str, (Vec<i64>, bool)> = rules
        .judgements()
        .iter()
        .map(|j| {
            (
                j.judgement.id.as_str(),
                (j.scale.numbers(), j.judgement.latent),
            )
        })
        .collect();
    let read: BTreeMap<&str, (Vec<i64>, bool)> = brute
        .ids
        .iter()
        .enumerate()
        .map(|(j, id)| (id.as_str(), (brute.numbers[j].clone(), brute.latent[j])))
        .collect();
    prop_assert_eq!(loaded, read);
    let loaded: BTreeMap<&str, bool> = rules
        .constraints()
        .iter()
        .map(|c| (c.id.as_str(), c.strength == ratings_core::Strength::Must))
        .collect();
    let read: BTreeMap<&str, bool> = brute
        .constraints
        .iter()
        .map(|c| (c.id.as_str(), c.must))
        .collect();
    prop_assert_eq!(loaded, read);
    Ok(())
}

/// The rules (a bit set of `must` constraints) and grades contradict each other (with the extra
/// value, when one is being explained), and dropping any one rule or grade does not.
fn minimal_argument(
    brute: &Brute,
    rules: u64,
    grades: &[(usize, usize)],
    extra: Option<(usize, usize)>,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(rules & !brute.must(), 0, "only `must` rules argue");
    let possible = |rules: u64, grades: &[(usize, usize)]| {
        let mut pins = grades.to_vec();
        pins.extend(extra);
        brute.exists(rules, &pins)
    };
    prop_assert!(!possible(rules, grades), "the argument does not hold");
    for bit in (0..64).map(|i| 1u64 << i).filter(|b| rules & b != 0) {
        prop_assert!(
            possible(rules & !bit, grades),
            "not minimal: `{}` is not needed",
            brute.constraints[bit.trailing_zeros() as usize].id
        );
    }
    for dropped in 0..grades.len() {
        let mut fewer = grades.to_vec();
        fewer.remove(dropped);
        prop_assert!(
            possible(rules, &fewer),
            "not minimal: `{}` is not needed",
            brute.ids[grades[dropped].0]
        );
    }
    Ok(())
}

/// Whether one `must` rule alone contradicts all the grades (and the extra value).
fn has_lone_rule(brute: &Brute, grades: &[(usize, usize)], extra: Option<(usize, usize)>) -> bool {
    let mut pins = grades.to_vec();
    pins.extend(extra);
    brute
        .constraints
        .iter()
        .enumerate()
        .any(|(i, c)| c.must && !brute.exists(1 << i, &pins))
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
cite = { document = "doc", locator = "-" }
kind = "cap"
target = "t.overall"
at_most = "adequate"
when = { judgement = "t.part", is = "inadequate" }
"#;
    let files = vec![
        ("scales.toml".to_owned(), scales_and_documents()),
        ("t.toml".to_owned(), text.to_owned()),
    ];
    let book = load(&files);
    let year = book
        .in_force(ratings_core::LOCAL_AUTHORITIES, Period::Year(2000))
        .expect("2000");
    let model = Model::new(&year);
    let mut budget = Budget::default();
    let forward = model
        .allowed(&BTreeMap::from([("t.part".to_owned(), 1)]), &mut budget)
        .expect("fits");
    assert_eq!(forward.values["t.overall"], vec![1, 2]);
    let given = BTreeMap::from([("t.overall".to_owned(), 4)]);
    let backward = model.allowed(&given, &mut budget).expect("fits");
    assert_eq!(backward.values["t.part"], vec![2, 3, 4]);
    let reasons = model.reasons(&given, &backward, &mut budget).expect("fits");
    assert_eq!(reasons.len(), 1);
    assert_eq!(reasons[0].rule, "part-caps-overall");
    assert!(reasons[0].with.is_empty());
    assert_eq!(reasons[0].because, given);
    assert_eq!(
        reasons[0].removes,
        BTreeMap::from([("t.part".to_owned(), vec![1])])
    );
}

/// A chain of rules where a shorter argument uses more of the given grades: the explanation
/// takes the one rule, not the chain.
#[test]
fn one_rule_is_preferred_to_a_chain_that_needs_fewer_grades() {
    let text = r#"
id = "t"
title = "Chain"
years = { from = 2000, to = 2000 }

[[judgement]]
id = "t.a"
title = "A"
scale = "four"

[[judgement]]
id = "t.flag"
title = "Flag"
scale = "yesno"

[[judgement]]
id = "t.mid"
title = "Mid"
scale = "four"

[[judgement]]
id = "t.b"
title = "B"
scale = "four"

[[constraint]]
id = "chain-1"
text = "mid equals a"
strength = "must"
basis = "inferred"
cite = { document = "doc", locator = "-" }
kind = "equal"
target = "t.mid"
other = "t.a"

[[constraint]]
id = "chain-2"
text = "b equals mid"
strength = "must"
basis = "inferred"
cite = { document = "doc", locator = "-" }
kind = "equal"
target = "t.b"
other = "t.mid"

[[constraint]]
id = "flag-equals"
text = "with the flag, b equals a"
strength = "must"
basis = "inferred"
cite = { document = "doc", locator = "-" }
kind = "equal"
target = "t.b"
other = "t.a"
when = { judgement = "t.flag", is = "yes" }
"#;
    let files = vec![
        ("scales.toml".to_owned(), scales_and_documents()),
        ("t.toml".to_owned(), text.to_owned()),
    ];
    let book = load(&files);
    let year = book
        .in_force(ratings_core::LOCAL_AUTHORITIES, Period::Year(2000))
        .expect("2000");
    let model = Model::new(&year);
    let mut budget = Budget::default();
    let given = BTreeMap::from([("t.a".to_owned(), 2), ("t.flag".to_owned(), 1)]);
    let allowed = model.allowed(&given, &mut budget).expect("fits");
    let reasons = model.reasons(&given, &allowed, &mut budget).expect("fits");
    let for_b: Vec<_> = reasons
        .iter()
        .filter(|r| r.removes.contains_key("t.b"))
        .collect();
    assert_eq!(for_b.len(), 1, "{reasons:#?}");
    assert_eq!(for_b[0].rule, "flag-equals");
    assert!(for_b[0].with.is_empty());
    assert_eq!(for_b[0].because, given);
    assert_eq!(for_b[0].removes["t.b"], vec![1, 3, 4]);
}

fn scales_and_documents() -> String {
    let files = render(&GenBook {
        judgements: vec![GenJudgement {
            scale: 0,
            latent: false,
            owner: Owner::A,
        }],
        constraints: Vec::new(),
        has_b: false,
        b_open: false,
        removes: Vec::new(),
        redeclared: Vec::new(),
        c_span: None,
        layout: 1,
        reversed: false,
        a_dated: false,
    });
    files
        .into_iter()
        .find(|(name, _)| name == "shared.toml")
        .map(|(_, text)| text)
        .unwrap_or_default()
}
