//! Published grade records and their checking against rule sets: reading records, matching
//! authorities, merging records into assessments, exact verdicts and rendered reports.
//!
//! This crate knows nothing of the command line: it reads files and returns values.

pub mod assess;
pub mod authority;
pub mod compare;
pub mod inputs;
pub mod letter;
pub mod records;
pub mod report;

pub use assess::{
    check, AssessmentResult, CheckOptions, Checker, Finding, Report, Severity, Sink, Summary,
    Verdict,
};
pub use authority::Authorities;
pub use records::{read_csv, read_toml, ReadFile, Record};
