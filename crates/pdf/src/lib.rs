//! Reads Ofsted children's services inspection report PDFs (SIF 2013-18, ILACS 2018-26,
//! LAC 2012-13) and returns their page-one grades with provenance, or says why it cannot.
//!
//! Pure Rust, no unsafe code; the only dependency is `miniz_oxide` (Flate decoding).
//! See README.md for the layouts, the error kinds and the reference table of judgement ids.
#![forbid(unsafe_code)]

pub mod pdf;
pub mod report;

pub use report::{
    ilacs_id, lac_id, page_texts, parse_range, read_report, reference_id, sif_id, Date, Grade,
    Judgement, Layout, Line, Report, ReportError, Statement,
};
