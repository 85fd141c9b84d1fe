//! Published grade records and their checking against rule sets: reading records (TOML, CSV,
//! letters), matching authorities, merging records into assessments, exact verdicts and
//! rendered reports.
//!
//! This crate knows nothing of the command line: it reads files and returns values.
//!
//! ```
//! use ratings_check::{check, read_toml, CheckOptions, Verdict};
//! use ratings_core::SourceText;
//!
//! let book = ratings_rules::book().expect("the shipped rules load");
//! let records = SourceText::new("records.toml", r#"
//! [[record]]
//! authority = "Leicester City Council"
//! year = 2008
//! source = { document = "seed-004-leicester-apa-2008", locator = "para 4.13" }
//! [record.grades]
//! "apa.overall_effectiveness" = "good"
//! "apa.enjoying_and_achieving" = "inadequate"
//! "#);
//! let report = check(book, &[read_toml(&records)], &CheckOptions::default());
//! assert_eq!(report.results[0].verdict, Verdict::Inconsistent);
//! assert_eq!(report.results[0].findings[0].rule.as_deref(), Some("apa.enjoying-and-achieving-caps-overall"));
//! ```

mod assessment;
mod authority;
mod checker;
mod columns;
mod compare;
mod contexts;
mod evaluate;
pub mod files;
mod input_limits;
pub mod json;
mod letter;
pub mod output;
mod pdf_reports;
mod read_csv;
mod read_toml;
mod record;
mod result;
mod store;
mod stream_csv;
mod subject;

pub use assessment::DocumentFinding;
pub use authority::{normalise, Authorities, Authority, Resolved};
pub use checker::{check, CheckOptions, Checker};
pub use columns::{read_wide, ColumnMap, WideRead};
pub use compare::{
    coverage, coverage_human, diff, diff_human, hypotheses_human, wanted, wanted_csv, wanted_human,
    Change, ConstraintCoverage, Diff, Wanted,
};
pub use contexts::{judged_in, Context, Periods};
pub use evaluate::{cited, describe_assignment, describe_values};
pub use letter::{extract, to_read_file, to_toml, ExtractedRecord, Extraction, Skipped};
pub use pdf_reports::{read_pdf, ReadReport};
pub use read_csv::{
    field_offset, read_csv, read_csv_each, rows, Row, RowRead, RowSink, CSV_COLUMNS,
};
pub use read_toml::read_toml;
pub use record::{
    not_in_force, period_of_text, resolve_grade, validate, GradeError, Record, Source, ValidGrade,
    ValidRecord, WrittenGrade, WrittenPeriod, WrittenProvider, WrittenValue,
};
pub use result::{
    Alternative, AssessmentResult, Cited, Finding, Published, Report, Sink, Summary, Support,
    Verdict, VerdictBasis, WouldTest,
};
pub use subject::{Labels, Subject, SubjectKind, ATTRIBUTES};

/// What reading one file gave.
#[derive(Debug, Default)]
pub struct ReadFile {
    /// Its records, good and bad.
    pub records: Vec<Record>,
    /// Why the file as a whole could not be read; when set, `records` is empty.
    pub unreadable: Option<ratings_core::Problem>,
    /// Disagreements inside a letter or report.
    pub document_findings: Vec<DocumentFinding>,
}

impl ReadFile {
    /// A file that could not be read.
    pub fn unreadable(problem: ratings_core::Problem) -> ReadFile {
        ReadFile {
            unreadable: Some(problem),
            ..ReadFile::default()
        }
    }
}
