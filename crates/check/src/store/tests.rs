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
