//! What evaluation takes of an assessment: its published grades, packed, and the
//! disagreements found inside its documents. Intake (`checker`) makes them; `evaluate` reads
//! them.

use ratings_core::{Code, Period};

/// A disagreement found inside one document (a letter or report), to be reported with the
/// assessment it concerns.
#[derive(Debug, Clone)]
pub struct DocumentFinding {
    /// The document, for messages.
    pub file: String,
    /// `label-mismatch`, `narrative-mismatch` and the like.
    pub code: Code,
    /// The authority as the document names it.
    pub authority: String,
    /// The assessment's period.
    pub period: Period,
    /// The judgement concerned.
    pub judgement: String,
    /// Every line involved.
    pub lines: Vec<usize>,
    /// One line.
    pub message: String,
    /// The other grade the document states for the judgement (on the last of `lines`), where
    /// it states two: the assessment is checked with it as well as with the grade its record
    /// carries.
    pub alternative: Option<i64>,
}

/// The published grades of one assessment, as evaluation takes them.
pub(crate) struct Group {
    pub context: usize,
    pub grades: Vec<Stored>,
}

/// One published grade, as evaluation takes it.
#[derive(Clone, Copy)]
pub(crate) struct Stored {
    /// Index into the period's judgements.
    pub judgement: u16,
    /// Rank of the grade on the judgement's scale (scales have at most 64 values).
    pub rank: u8,
    /// Saturates at 65535 (only shown, never used to find anything).
    pub column: u16,
    /// Index into the assessment's sources.
    pub source: u32,
    pub file: u32,
    pub line: u32,
}
