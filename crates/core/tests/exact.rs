//! The engine against brute-force enumeration on random small rule sets: allowed values,
//! refutations and conflict cores must be exactly what enumeration says.

mod common;

use std::collections::BTreeMap;

use common::*;
use proptest::prelude::*;
use ratings_core::{Assignment, Budget, Model};

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
        for judgement in year.judgements() {
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
cite = { document = "test", locator = "-" }
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
