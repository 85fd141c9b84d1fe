//! Why a report could not be read, as data: which table, row, page or line, and why.
//! `Display` gives each reason as the one-line message the reader has always given.

use std::fmt;

use super::{excerpt, Layout, Line, RowKey};
use crate::pdf::{Damage, Limit, PdfError, Truncation};
use ratings_text::Date;

/// Why a report could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReportError {
    /// The bytes are not a PDF (no "%PDF-" header).
    NotPdf,
    /// The bytes are an HTML page (a web page saved under a report's name), not a PDF.
    HtmlPage,
    /// The PDF is encrypted.
    Encrypted,
    /// The PDF is cut short.
    Truncated(Truncation),
    /// Pages carry images but no text: a scan.
    ImageOnly,
    /// An Ofsted report, but not a layout this crate knows.
    UnknownLayout(UnknownLayout),
    /// A PDF, but not an Ofsted children's services inspection report.
    NotAReport(NotAReport),
    /// The PDF is damaged or its text cannot be decoded.
    Unreadable(Unreadable),
    /// The layout is known but its grades cannot be read with certainty.
    Ambiguous(Ambiguity),
}

/// Why an Ofsted document is no layout this crate knows.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnknownLayout {
    /// Page 1 has an ILACS "Judgement Grade" table under the title of another layout.
    IlacsTableUnderTitle {
        /// The layout the title names.
        title: Layout,
    },
    /// Page 1 has no judgement table or title of a known layout.
    NoTableOrTitle {
        /// The first line of page 1, as printed.
        first_line: String,
    },
}

/// Why a PDF is no children's services inspection report.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotAReport {
    /// The PDF has no pages.
    NoPages,
    /// The PDF has no text (and no images: a scan is `ImageOnly`).
    NoText,
    /// No Ofsted inspection title or judgement table, and no mention of Ofsted inspection.
    NoTitleOrTable {
        /// The first line of page 1, as printed.
        first_line: String,
    },
}

/// Why a PDF's text cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unreadable {
    /// The file's structure is damaged beyond repair.
    Damaged(Damage),
    /// The file passed one of the reader's limits.
    TooBig(Limit),
    /// A page could not be read whole.
    Page {
        /// The page, from 1.
        page: usize,
        /// What stopped its reading, as the content reader says it.
        problem: String,
    },
    /// Hardly any text, and at least 20 glyphs whose fonts map to no text.
    FontsWithoutText {
        /// The glyphs without known text.
        unmapped: usize,
    },
    /// More than a tenth of the glyphs have no known text.
    GlyphsWithoutText {
        /// The glyphs without known text.
        unmapped: usize,
        /// Every glyph, with text or not.
        glyphs: usize,
    },
}

/// A family of layouts: the ones whose judgement table is read the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Family {
    /// ILACS, in all its layouts: the "Judgement Grade" table on page 1.
    Ilacs,
    /// SIF and SIF re-inspection: the numbered table on page 1.
    Sif,
    /// LAC 2012-13: the "Record of main findings".
    Lac,
}

/// Where the text states a grade that differs from the table's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StatedIn {
    /// A sentence or heading of the text.
    Text,
    /// The name and grade that open a SIF key judgement's section.
    SectionHeading,
}

/// Why the grades of a known layout cannot be read with certainty. A grade is never guessed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Ambiguity {
    /// The judgement table's cells do not make rows.
    Table {
        /// Whose table.
        family: Family,
        /// The page the table (or its continuation) is on, from 1.
        page: usize,
        /// Why its cells do not make rows.
        why: TableError,
    },
    /// No judgement table where the layout keeps it.
    NoTable(Family),
    /// No grade column beside the table's names.
    NoGradeColumn(Family),
    /// The table has names but no grades.
    NoGrades(Family),
    /// A row the layout needs is not in the table.
    MissingRow {
        /// Whose table.
        family: Family,
        /// The row.
        row: RowKey,
    },
    /// A row of the table is no judgement of the layout.
    UnknownRow {
        /// Its name, as printed.
        name: String,
    },
    /// A judgement is in the table twice.
    RowTwice(RowKey),
    /// The rows of an ILACS table make none of its layouts.
    UnknownRowSet {
        /// Their names, as printed.
        names: Vec<String>,
    },
    /// An ILACS table read without an overall effectiveness row, with one just below it.
    OverallRowBelowTable {
        /// That line, as the page's lines number it.
        line: u32,
        /// Its text.
        text: String,
    },
    /// An ILACS table without an overall effectiveness row (the April 2026 framework) for an
    /// inspection that began before it.
    NoOverallRowBefore2026 {
        /// The inspection's first day.
        began: Date,
    },
    /// An ILACS table without an overall effectiveness row, and no inspection dates that
    /// confirm the April 2026 framework.
    NoOverallRowUndated,
    /// A SIF table with an overall effectiveness row.
    SifOverallRow,
    /// No SIF headline sentence stating the overall judgement above the table.
    NoHeadline,
    /// SIF headline sentences that state different grades.
    HeadlinesDisagree,
    /// The text states a grade of a judgement other than the table's.
    TextDisagrees {
        /// The judgement, as the table prints it.
        name: String,
        /// The grade, as the table prints it.
        grade: String,
        /// What the text says, and where.
        statement: Line,
        /// Where in the text.
        stated_in: StatedIn,
    },
    /// The title announces a review of the LSCB, but no sentence states its grade.
    LscbNotStated,
    /// Two statements of the LSCB grade disagree.
    LscbDisagree {
        /// The first statement.
        first: Line,
        /// The first that differs from it.
        other: Line,
    },
}

/// Why the cells of a judgement table do not pair into rows.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TableError {
    /// Not as many grades as names.
    Counts {
        /// The name cells, as printed.
        names: Vec<String>,
        /// The grade cells, as printed.
        grades: Vec<String>,
    },
    /// A grade not set level with its name.
    NotLevel {
        /// The grade cell.
        grade: String,
        /// The name cell.
        name: String,
    },
    /// A grade cell that is no grade.
    NotAGrade(String),
    /// A grade cell that stops in the middle of a grade.
    IncompleteGrade(String),
    /// A line in lower case that would continue a name, but far below it.
    FarBelow {
        /// The line.
        text: String,
        /// The name it would continue.
        name: String,
    },
    /// A name cell that starts in lower case.
    LowerCase(String),
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReportError::NotPdf => write!(f, "not a PDF file (no %PDF- header)"),
            ReportError::HtmlPage => {
                write!(f, "an HTML page (a web page saved as the file), not a PDF")
            }
            ReportError::Encrypted => {
                write!(f, "the PDF is encrypted; this reader does not decrypt")
            }
            ReportError::Truncated(why) => write!(f, "the PDF is truncated: {why}"),
            ReportError::ImageOnly => write!(
                f,
                "the PDF has images but no text layer (a scan); its grades cannot be read"
            ),
            ReportError::UnknownLayout(why) => write!(f, "unknown report layout: {why}"),
            ReportError::NotAReport(why) => write!(
                f,
                "not an Ofsted children's services inspection report: {why}"
            ),
            ReportError::Unreadable(why) => write!(f, "the PDF cannot be read: {why}"),
            ReportError::Ambiguous(why) => {
                write!(f, "the grades cannot be read with certainty: {why}")
            }
        }
    }
}

impl std::error::Error for ReportError {}

impl From<PdfError> for ReportError {
    fn from(error: PdfError) -> Self {
        match error {
            PdfError::NotPdf => ReportError::NotPdf,
            // An HTML page is a PDF of no kind; it has an error of its own (see `html_page`).
            PdfError::Encrypted => ReportError::Encrypted,
            PdfError::Truncated(why) => ReportError::Truncated(why),
            PdfError::Broken(damage) => ReportError::Unreadable(Unreadable::Damaged(damage)),
            PdfError::TooBig(limit) => ReportError::Unreadable(Unreadable::TooBig(limit)),
        }
    }
}

impl fmt::Display for UnknownLayout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnknownLayout::IlacsTableUnderTitle { title } => write!(
                f,
                "page 1 has an ILACS \"Judgement Grade\" table but a {} title",
                title.name()
            ),
            UnknownLayout::NoTableOrTitle { first_line } => write!(
                f,
                "an Ofsted document, but page 1 has no known judgement table or title (first line: \"{}\")",
                excerpt(first_line)
            ),
        }
    }
}

impl fmt::Display for NotAReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotAReport::NoPages => write!(f, "the PDF has no pages"),
            NotAReport::NoText => write!(f, "the PDF has no text"),
            NotAReport::NoTitleOrTable { first_line } => write!(
                f,
                "no Ofsted inspection title or judgement table (first line: \"{}\")",
                excerpt(first_line)
            ),
        }
    }
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unreadable::Damaged(damage) => write!(f, "{damage}"),
            Unreadable::TooBig(limit) => write!(f, "{limit}"),
            Unreadable::Page { page, problem } => write!(f, "page {page}: {problem}"),
            Unreadable::FontsWithoutText { unmapped } => write!(
                f,
                "{unmapped} glyphs have no known text (fonts without a Unicode map)"
            ),
            Unreadable::GlyphsWithoutText { unmapped, glyphs } => {
                write!(f, "{unmapped} of {glyphs} glyphs have no known text")
            }
        }
    }
}

impl Family {
    /// `ILACS`, `SIF` or `LAC`, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Family::Ilacs => "ILACS",
            Family::Sif => "SIF",
            Family::Lac => "LAC",
        }
    }

    /// The table as messages name it.
    fn table(self) -> &'static str {
        match self {
            Family::Ilacs => "ILACS table on page 1",
            Family::Sif => "SIF table on page 1",
            Family::Lac => "LAC \"Record of main findings\"",
        }
    }
}

impl fmt::Display for Ambiguity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ambiguity::Table { family, page, why } => match family {
                Family::Ilacs => write!(f, "ILACS table on page {page}: {why}"),
                Family::Sif => write!(f, "SIF table: page {page}: {why}"),
                Family::Lac => write!(f, "LAC \"Record of main findings\": page {page}: {why}"),
            },
            Ambiguity::NoTable(family) => match family {
                Family::Ilacs => write!(f, "ILACS report: no \"Judgement Grade\" table on page 1"),
                Family::Sif => write!(f, "SIF report: no numbered judgement table on page 1"),
                Family::Lac => write!(f, "LAC report: no \"Record of main findings\" table"),
            },
            Ambiguity::NoGradeColumn(family) => {
                write!(f, "{}: no grade column found", family.table())
            }
            Ambiguity::NoGrades(family) => write!(f, "{}: no grades", family.table()),
            Ambiguity::MissingRow { family, row } => write!(
                f,
                "{} table has no \"{}\" row",
                family.name(),
                row.name()
            ),
            Ambiguity::UnknownRow { name } => write!(
                f,
                "table row \"{}\" is not a known judgement",
                excerpt(name)
            ),
            Ambiguity::RowTwice(row) => write!(
                f,
                "the judgement \"{}\" appears twice in the table",
                row.name()
            ),
            Ambiguity::UnknownRowSet { names } => write!(
                f,
                "ILACS table rows do not form a known set: {}",
                quoted(names)
            ),
            Ambiguity::OverallRowBelowTable { line, text } => write!(
                f,
                "the table was read without an overall effectiveness row, but line {line} below it reads \"{text}\""
            ),
            Ambiguity::NoOverallRowBefore2026 { began } => write!(
                f,
                "the table has no overall effectiveness row, but the inspection began on {began}, before the April 2026 framework"
            ),
            Ambiguity::NoOverallRowUndated => write!(
                f,
                "the table has no overall effectiveness row and the inspection dates cannot be read to confirm the April 2026 framework"
            ),
            Ambiguity::SifOverallRow => write!(
                f,
                "SIF table has an overall effectiveness row: not a known SIF layout"
            ),
            Ambiguity::NoHeadline => write!(
                f,
                "SIF report: no headline sentence with the overall judgement above the table"
            ),
            Ambiguity::HeadlinesDisagree => write!(f, "SIF report: headline sentences disagree"),
            Ambiguity::TextDisagrees {
                name,
                grade,
                statement,
                stated_in,
            } => {
                let place = match stated_in {
                    StatedIn::Text => "",
                    StatedIn::SectionHeading => "the section heading on ",
                };
                write!(
                    f,
                    "the table gives \"{name}\" as \"{grade}\" but {place}page {} line {} says \"{}\"",
                    statement.page, statement.line, statement.text
                )
            }
            Ambiguity::LscbNotStated => write!(
                f,
                "the title announces a review of the LSCB but no sentence stating the LSCB grade was found"
            ),
            Ambiguity::LscbDisagree { first, other } => write!(
                f,
                "LSCB statements disagree: page {} line {} \"{}\" and page {} line {} \"{}\"",
                first.page, first.line, first.text, other.page, other.line, other.text
            ),
        }
    }
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TableError::Counts { names, grades } => write!(
                f,
                "table has {} judgement names but {} grades (names: {}; grades: {})",
                names.len(),
                grades.len(),
                quoted(names),
                quoted(grades)
            ),
            TableError::NotLevel { grade, name } => write!(
                f,
                "grade \"{grade}\" is not level with judgement \"{name}\""
            ),
            TableError::NotAGrade(text) => write!(f, "\"{text}\" is not a grade"),
            TableError::IncompleteGrade(text) => {
                write!(f, "grade cell \"{text}\" is incomplete")
            }
            TableError::FarBelow { text, name } => write!(
                f,
                "\"{text}\" continues judgement \"{name}\" but is far below it"
            ),
            TableError::LowerCase(text) => write!(
                f,
                "judgement name \"{text}\" starts in lower case: not the start of a row"
            ),
        }
    }
}

/// `"a", "b"`.
fn quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|item| format!("\"{item}\""))
        .collect::<Vec<_>>()
        .join(", ")
}
