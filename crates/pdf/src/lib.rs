//! Reads Ofsted children's services inspection report PDFs (SIF 2013-18, ILACS 2018-26,
//! LAC 2012-13) and returns their page-one grades with provenance, or says why it cannot.
//!
//! Pure Rust, no unsafe code; the dependencies are `miniz_oxide` (Flate decoding) and
//! `ratings-text` (dates and the folding of names, shared with the record readers).
//! See README.md for the layouts, the error kinds and the reference table of judgement ids.
//!
//! ```
//! use ratings_pdf::{read_report, ReportError};
//!
//! // Anything that is not a report is refused with the reason, never guessed at.
//! assert_eq!(read_report(b"Dear Director, ...").unwrap_err(), ReportError::NotPdf);
//!
//! // A report's grades, each with the page and line it was read from.
//! # fn show(path: &str) -> Result<(), Box<dyn std::error::Error>> {
//! let report = read_report(&std::fs::read(path)?)?;
//! for row in &report.judgements {
//!     println!("{} = {} (page {}, line {})", row.name.text, row.grade.text, row.grade.page, row.grade.line);
//! }
//! # Ok(())
//! # }
//! ```
#![forbid(unsafe_code)]

mod pdf;
mod report;

pub use pdf::{extract, Damage, Extracted, Limit, Limits, PdfError, Truncation, Work, LIMITS};
pub use report::{
    page_texts, read_report, row_key, About, Ambiguity, Date, Family, Grade, Judgement, Layout,
    Line, NotAReport, Report, ReportError, RowKey, StatedIn, Statement, TableError, UnknownLayout,
    Unreadable,
};
