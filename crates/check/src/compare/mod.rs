//! Comparing checks and measuring rules against the corpus, one file each: `diff.rs` (what a
//! rule change flips), `coverage.rs` (how often the published record tests each constraint),
//! `hypotheses.rs` (how well the record backs each inferred rule) and `wanted.rs` (the
//! unpublished grades that would test the most assessments). Their JSON shapes are in
//! `json/changes.rs`.

mod coverage;
mod diff;
mod hypotheses;
mod wanted;

pub use coverage::{coverage, coverage_human, ConstraintCoverage};
pub use diff::{diff, diff_human, Change, Diff};
pub use hypotheses::hypotheses_human;
pub use wanted::{wanted, wanted_csv, wanted_human, Wanted};
