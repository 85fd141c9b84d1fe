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
//!
//! The generated shape and its strategies are in `shape.rs`, the rule files written from it
//! and loaded in `files.rs`, the oracle's reading in `oracle.rs` and its enumeration in
//! `brute.rs`; a [`Case`] here puts them together.

#![allow(
    dead_code,
    reason = "each test binary uses a different subset of the helpers"
)]

mod brute;
mod files;
mod oracle;
mod shape;

pub use brute::*;
pub use files::*;
pub use oracle::*;
pub use shape::*;

use chrono::NaiveDate;
use proptest::prelude::*;
use ratings_core::{Assignment, Period, RuleBook};

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
