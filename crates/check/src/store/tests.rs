//! The store: full, packed, and closed to adding.

use super::*;

#[test]
fn a_full_store_takes_nothing_more_and_keeps_what_it_holds() {
    let mut store = Store::new();
    store.max_blocks = 1;
    let grade = |line: u32| Grade {
        judgement: 0,
        rank: 1,
        file: 0,
        source: 0,
        line,
        column: 3,
    };
    // Assessments with a long locator each, until the one block is full.
    let locators: Vec<String> = (0..10_000).map(|i| format!("{i:0>200}")).collect();
    let mut stored = 0u32;
    for (i, locator) in locators.iter().enumerate() {
        let authority = u32::try_from(i).unwrap_or(u32::MAX);
        let source = SourceRef {
            document: 0,
            locator,
        };
        match store.add(authority, Period::Year(2010), 0, &[grade(2)], &[source]) {
            Ok(Ok(())) => stored += 1,
            Ok(Err(_)) => panic!("no repeat was added"),
            Err(Full::Capacity) => break,
        }
    }
    assert!(stored > 0 && (stored as usize) < locators.len(), "{stored}");
    // Nothing more, not even a small grade for an assessment already held.
    let small = SourceRef {
        document: 0,
        locator: "",
    };
    assert_eq!(
        store.add(0, Period::Year(2010), 0, &[grade(3)], &[small]),
        Err(Full::Capacity)
    );
    // What it holds reads back whole; the assessment the failed grade began holds none.
    for index in 0..stored {
        let (grades, sources) = store.grades(index);
        assert_eq!(grades.len(), 1, "assessment {index}");
        assert_eq!(sources[0].locator, locators[index as usize]);
        assert!(store.has_grades(index));
    }
    for index in stored..u32::try_from(store.len()).unwrap_or(u32::MAX) {
        assert!(!store.has_grades(index), "assessment {index}");
    }
}

#[test]
fn an_assessment_keeps_its_period_and_rules_in_twenty_bytes() {
    assert_eq!(std::mem::size_of::<Assessment>(), 20);
    let days = [
        chrono::NaiveDate::from_ymd_opt(2024, 5, 1),
        chrono::NaiveDate::from_ymd_opt(1, 1, 1),
        chrono::NaiveDate::from_ymd_opt(9999, 12, 31),
        chrono::NaiveDate::from_ymd_opt(-40, 2, 29),
    ];
    let periods = days
        .into_iter()
        .flatten()
        .map(Period::Date)
        .chain([2008, 0, -1, i32::MAX, i32::MIN].map(Period::Year));
    for period in periods {
        for context in [0, 1, 7, DAY - 1] {
            let assessment = Assessment::new(3, period, context).expect("a context below the bit");
            assert_eq!(assessment.period(), period);
            assert_eq!(assessment.context(), context);
            assert_eq!(assessment.authority, 3);
        }
        // The top bit says the period is a day: no context reaches it.
        assert!(Assessment::new(3, period, DAY).is_none());
    }
}

#[test]
fn nothing_is_added_or_found_once_adding_is_done() {
    let mut store = Store::new();
    let grade = Grade {
        judgement: 0,
        rank: 1,
        file: 0,
        source: 0,
        line: 2,
        column: 3,
    };
    let source = SourceRef {
        document: 0,
        locator: "p1",
    };
    assert_eq!(
        store.add(0, Period::Year(2010), 0, &[grade], &[source]),
        Ok(Ok(()))
    );
    assert_eq!(store.find(0, Period::Year(2010)), Some(0));
    store.done_adding();
    assert_eq!(store.find(0, Period::Year(2010)), None);
    assert_eq!(
        store.add(1, Period::Year(2011), 0, &[grade], &[source]),
        Err(Full::Capacity)
    );
    // What it held reads back.
    assert_eq!(store.grades(0).0.len(), 1);
    assert_eq!(store.len(), 1);
}
