//! Ofsted children's services inspection reports: layouts, the page-one judgement table,
//! the headline, LSCB and other grade statements, dates and the authority.

mod error;
mod layouts;
mod narrative;
mod table;
mod words;

use crate::pdf::{self, PdfError};
pub use error::{
    Ambiguity, Family, NotAReport, ReportError, StatedIn, TableError, UnknownLayout, Unreadable,
};
use layouts::{ilacs, lac, sif};
use narrative::{Found, Tok};
pub use ratings_text::Date;
use ratings_text::{fold, parse_date, parse_range};
pub use words::Grade;
use words::{page_lines, PLine};

/// The report layouts this crate reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Layout {
    /// Single inspection framework (2013-2018), with the LSCB review.
    Sif,
    /// SIF re-inspection (2017-2018): the same table, no LSCB review.
    SifReinspection,
    /// ILACS before the 2023 split: "children in care and care leavers" in one row.
    Ilacs,
    /// ILACS from January 2023: separate care leavers row, with overall effectiveness.
    IlacsSplit,
    /// ILACS from April 2026: separate care leavers row, no overall effectiveness.
    Ilacs2026,
    /// Inspection of looked after children services (2012-13), "Record of main findings".
    Lac2013,
}

impl Layout {
    /// The layout's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Layout::Sif => "SIF",
            Layout::SifReinspection => "SIF re-inspection",
            Layout::Ilacs => "ILACS",
            Layout::IlacsSplit => "ILACS (separate care leavers judgement)",
            Layout::Ilacs2026 => "ILACS 2026 (no overall effectiveness)",
            Layout::Lac2013 => "LAC 2012-13",
        }
    }
}

/// What a table row or a statement is about, in the layout's own terms. These are not the rule
/// book's judgement ids: a caller places them on its own rules (`ratings-check` does so by the
/// rule book's titles and aliases), so this crate knows nothing of any rule file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum RowKey {
    /// "Overall effectiveness" (ILACS, LAC; the SIF headline).
    OverallEffectiveness,
    /// ILACS: "The impact of leaders on social work practice with children and families".
    ImpactOfLeaders,
    /// SIF and ILACS: children who need help and protection.
    HelpAndProtection,
    /// ILACS before 2023: "children in care and care leavers" in one row.
    InCareAndCareLeavers,
    /// ILACS from 2023: children in care.
    InCare,
    /// SIF, and ILACS from 2023: care leavers.
    CareLeavers,
    /// SIF: children looked after and achieving permanence.
    LookedAfterAndPermanence,
    /// SIF: adoption performance.
    Adoption,
    /// SIF: leadership, management and governance.
    Leadership,
    /// SIF: the effectiveness of the Local Safeguarding Children Board (stated in the text).
    Lscb,
    /// LAC 2012-13: capacity to improve.
    CapacityToImprove,
    /// LAC 2012-13: outcomes for looked after children and young people.
    Outcomes,
    /// LAC 2012-13: quality of provision.
    QualityOfProvision,
    /// LAC 2012-13: leadership and management.
    LeadershipAndManagement,
}

impl RowKey {
    /// A short key, for output and tests: "help_and_protection".
    pub fn key(self) -> &'static str {
        match self {
            RowKey::OverallEffectiveness => "overall_effectiveness",
            RowKey::ImpactOfLeaders => "impact_of_leaders",
            RowKey::HelpAndProtection => "help_and_protection",
            RowKey::InCareAndCareLeavers => "in_care_and_care_leavers",
            RowKey::InCare => "in_care",
            RowKey::CareLeavers => "care_leavers",
            RowKey::LookedAfterAndPermanence => "looked_after_and_permanence",
            RowKey::Adoption => "adoption",
            RowKey::Leadership => "leadership",
            RowKey::Lscb => "lscb",
            RowKey::CapacityToImprove => "capacity_to_improve",
            RowKey::Outcomes => "outcomes",
            RowKey::QualityOfProvision => "quality_of_provision",
            RowKey::LeadershipAndManagement => "leadership_and_management",
        }
    }

    /// The row's usual printed name, for messages and for callers that place a statement
    /// whose own words are not a judgement's name.
    pub fn name(self) -> &'static str {
        match self {
            RowKey::OverallEffectiveness => "Overall effectiveness",
            RowKey::ImpactOfLeaders => {
                "The impact of leaders on social work practice with children and families"
            }
            RowKey::HelpAndProtection => {
                "The experiences and progress of children who need help and protection"
            }
            RowKey::InCareAndCareLeavers => {
                "The experiences and progress of children in care and care leavers"
            }
            RowKey::InCare => "The experiences and progress of children in care",
            RowKey::CareLeavers => "The experiences and progress of care leavers",
            RowKey::LookedAfterAndPermanence => {
                "The experiences and progress of children looked after and achieving permanence"
            }
            RowKey::Adoption => "Adoption performance",
            RowKey::Leadership => "Leadership, management and governance",
            RowKey::Lscb => "The effectiveness of the Local Safeguarding Children Board",
            RowKey::CapacityToImprove => "Capacity to improve",
            RowKey::Outcomes => "Outcomes for looked after children and young people",
            RowKey::QualityOfProvision => "Quality of provision",
            RowKey::LeadershipAndManagement => "Leadership and management",
        }
    }
}

/// What a statement states a grade of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum About {
    /// The headline: the overall grade ("Children's services in X are good").
    Headline,
    /// A row of the layout (a section heading, the LSCB paragraph, a LAC sentence).
    Row(RowKey),
}

/// Text as printed, with where it is: 1-based page and 1-based line within the page's
/// extracted lines (as [`page_texts`] returns them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// The text, as printed.
    pub text: String,
    /// The page, from 1.
    pub page: u32,
    /// The line on the page, from 1, as [`page_texts`] numbers them.
    pub line: u32,
}

/// One row of the judgement table.
#[derive(Clone, Debug, PartialEq)]
pub struct Judgement {
    /// The judgement as printed, wrapped lines joined by single spaces, without the row
    /// number (SIF) and footnote marks. `line` is its first line.
    pub name: Line,
    /// The grade as printed, e.g. "Requires improvement to be good".
    pub grade: Line,
    /// The page the row is on, from 1.
    pub page: u32,
    /// SIF row number as printed ("1.", "2.1"); None elsewhere.
    pub label: Option<String>,
    /// The grade on the framework's scale.
    pub level: Grade,
    /// Which of the layout's rows it is.
    pub row: RowKey,
}

/// A sentence or heading that states a grade.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    /// The subject as printed, e.g. "The effectiveness of the Local Safeguarding Children Board (LSCB)".
    pub judgement_words: String,
    /// The grade words as printed, e.g. "requires improvement".
    pub grade_words: String,
    /// Where the statement starts; `text` is the whole statement as matched.
    pub line: Line,
    /// The grade it states.
    pub level: Grade,
    /// What the statement is about.
    pub about: About,
}

#[derive(Clone, Debug, PartialEq)]
/// What a report states: its layout, title, authority, dates, the grades of its table, and the statements of grades in its text, each with its page and line.
pub struct Report {
    /// Which layout it is in.
    pub layout: Layout,
    /// The report's title.
    pub title: Line,
    /// The authority, as printed.
    pub authority: Line,
    /// The inspection dates line, and its first and last day.
    pub inspection_dates: Option<(Line, Date, Date)>,
    /// The publication date, where the report prints one.
    pub publication_date: Option<(Line, Date)>,
    /// The rows of the judgement table, in order.
    pub judgements: Vec<Judgement>,
    /// The headline sentence that states the overall grade, where there is one.
    pub headline: Option<Statement>,
    /// Other statements of grades: LSCB sentences, section headings.
    pub narrative: Vec<Statement>,
    /// What was odd but did not stop the reading.
    pub warnings: Vec<String>,
    /// The text of every page, line by line, as [`page_texts`] gives it: what `Line`s index.
    pub pages: Vec<Vec<String>>,
}

impl Report {
    /// The LSCB grade stated in the report (SIF), if any.
    pub fn lscb(&self) -> Option<&Statement> {
        self.narrative
            .iter()
            .find(|s| s.about == About::Row(RowKey::Lscb))
    }
}

/// Whether bytes that are no PDF are an HTML page: `<!DOCTYPE html` or `<html` first, after
/// a byte-order mark, white space and comments, in any case.
fn html_page(bytes: &[u8]) -> bool {
    let mut rest = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    loop {
        let trimmed = rest.trim_ascii_start();
        let starts = |word: &[u8]| {
            trimmed.len() >= word.len() && trimmed[..word.len()].eq_ignore_ascii_case(word)
        };
        if starts(b"<!doctype html") || starts(b"<html") {
            return true;
        }
        // An XML declaration or a comment may come first.
        let skip = if starts(b"<?xml") {
            b"?>".as_slice()
        } else if starts(b"<!--") {
            b"-->".as_slice()
        } else {
            return false;
        };
        match trimmed.windows(skip.len()).position(|w| w == skip) {
            Some(at) => rest = &trimmed[at + skip.len()..],
            None => return false,
        }
    }
}

fn extract(bytes: &[u8]) -> Result<pdf::Extracted, ReportError> {
    let x = pdf::extract(bytes).map_err(|e| match e {
        PdfError::NotPdf if html_page(bytes) => ReportError::HtmlPage,
        e => ReportError::from(e),
    })?;
    if x.pages.is_empty() {
        return Err(ReportError::NotAReport(NotAReport::NoPages));
    }
    let glyphs: usize = x.pages.iter().map(|p| p.glyphs).sum();
    let unmapped: usize = x.pages.iter().map(|p| p.unmapped).sum();
    let images: usize = x.pages.iter().map(|p| p.images).sum();
    if glyphs < 20 {
        // A page cut short (a limit reached, a stream unreadable) is the reason before any
        // count of what was read of it.
        if let Some(unreadable) = first_problem(&x) {
            return Err(ReportError::Unreadable(unreadable));
        }
        if unmapped >= 20 {
            return Err(ReportError::Unreadable(Unreadable::FontsWithoutText {
                unmapped,
            }));
        }
        if images > 0 {
            return Err(ReportError::ImageOnly);
        }
        return Err(ReportError::NotAReport(NotAReport::NoText));
    }
    if let Some(unreadable) = first_problem(&x) {
        return Err(ReportError::Unreadable(unreadable));
    }
    if unmapped * 10 > glyphs {
        return Err(ReportError::Unreadable(Unreadable::GlyphsWithoutText {
            unmapped,
            glyphs: glyphs + unmapped,
        }));
    }
    Ok(x)
}

/// Text quoted in a message, cut to 80 characters: a line of a hostile file may be megabytes.
fn excerpt(text: &str) -> String {
    const MOST: usize = 80;
    match text.char_indices().nth(MOST) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_owned(),
    }
}

/// The first page (from 1) that could not be read whole, and why.
fn first_problem(x: &pdf::Extracted) -> Option<Unreadable> {
    x.pages.iter().enumerate().find_map(|(i, p)| {
        p.problems.first().map(|problem| Unreadable::Page {
            page: i + 1,
            problem: problem.clone(),
        })
    })
}

/// The text of every page as lines (for debugging and provenance: [`Line`] numbers index
/// into these).
pub fn page_texts(bytes: &[u8]) -> Result<Vec<Vec<String>>, ReportError> {
    let x = pdf::extract(bytes)?;
    Ok(x.pages
        .iter()
        .map(|p| p.lines.iter().map(|l| l.text.clone()).collect())
        .collect())
}

/// Reads a report's layout, judgement table, headline, grade statements, authority and dates.
pub fn read_report(bytes: &[u8]) -> Result<Report, ReportError> {
    let x = extract(bytes)?;
    let pages: Vec<Vec<PLine>> = x.pages.iter().map(page_lines).collect();
    let mut warnings: Vec<String> = x.warnings.clone();
    for (i, p) in x.pages.iter().enumerate() {
        if p.unmapped > 0 {
            warnings.push(format!(
                "page {}: {} glyphs have no known text and are left out",
                i + 1,
                p.unmapped
            ));
        }
        if p.rotated > 0 {
            warnings.push(format!(
                "page {}: {} rotated glyphs left out",
                i + 1,
                p.rotated
            ));
        }
    }
    let p1 = &pages[0];
    let head_text = fold(
        &p1.iter()
            .take(14)
            .map(|l| l.clean_text())
            .collect::<Vec<_>>()
            .join(" "),
    );
    let ilacs_header = p1.iter().position(|l| {
        let w: Vec<String> = words::bare_words(&l.clean_text());
        w.len() == 2 && w[0] == "judgement" && w[1] == "grade"
    });
    let title_kind = if head_text.contains("re-inspection of services for children in need of help")
    {
        Some(Layout::SifReinspection)
    } else if head_text.contains("inspection of services for children in need of help") {
        Some(Layout::Sif)
    } else if head_text.contains("inspection of looked after children services") {
        Some(Layout::Lac2013)
    } else {
        None
    };
    let mut rep = match (ilacs_header, title_kind) {
        (Some(h), None) => ilacs(&pages, h, &mut warnings)?,
        (None, Some(Layout::Lac2013)) => lac(&pages, &mut warnings)?,
        (None, Some(k)) => sif(&pages, k, &mut warnings)?,
        (Some(_), Some(title)) => {
            return Err(ReportError::UnknownLayout(
                UnknownLayout::IlacsTableUnderTitle { title },
            ))
        }
        (None, None) => {
            let first_line = p1.first().map(|l| l.clean_text()).unwrap_or_default();
            let all = fold(
                &pages
                    .iter()
                    .take(3)
                    .flatten()
                    .map(|l| l.clean_text())
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            return if all.contains("ofsted")
                && (all.contains("inspection") || all.contains("inspect"))
            {
                Err(ReportError::UnknownLayout(UnknownLayout::NoTableOrTitle {
                    first_line,
                }))
            } else {
                Err(ReportError::NotAReport(NotAReport::NoTitleOrTable {
                    first_line,
                }))
            };
        }
    };
    meta(&pages, &mut rep);
    rep.warnings.extend(warnings);
    rep.pages = x
        .pages
        .iter()
        .map(|p| p.lines.iter().map(|l| l.text.clone()).collect())
        .collect();
    Ok(rep)
}

fn mk_line(p: &[PLine], page: usize, idx: usize, text: String) -> Line {
    Line {
        text,
        page: page as u32 + 1,
        line: p.get(idx).map(|l| l.no).unwrap_or(idx as u32 + 1),
    }
}

fn statement(
    pages: &[Vec<PLine>],
    page: usize,
    toks: &[Tok],
    f: &Found,
    about: About,
) -> Statement {
    let subj = narrative::raw(toks, f.s0, f.s1);
    let subj = subj.trim_end_matches(':').trim().to_string();
    let grade = narrative::raw(toks, f.g0, f.g1);
    let grade = grade.trim_end_matches(['.', ',', ';', ':']).to_string();
    let whole = narrative::raw(toks, f.s0, f.g1);
    Statement {
        judgement_words: subj,
        grade_words: grade,
        line: mk_line(&pages[page], page, toks[f.s0].line, whole),
        level: f.grade,
        about,
    }
}

/// The ILACS row a printed judgement name is, by its wording.
fn ilacs_row(name: &str) -> Option<RowKey> {
    let n = fold(name);
    if n.contains("impact of leaders") {
        Some(RowKey::ImpactOfLeaders)
    } else if n.contains("help and protection") {
        Some(RowKey::HelpAndProtection)
    } else if n.contains("children in care and care leavers") {
        Some(RowKey::InCareAndCareLeavers)
    } else if n.contains("children in care") && !n.contains("leavers") {
        Some(RowKey::InCare)
    } else if n.contains("care leavers") && !n.contains("in care") {
        Some(RowKey::CareLeavers)
    } else if n.trim_end_matches([':', '.']) == "overall effectiveness" {
        Some(RowKey::OverallEffectiveness)
    } else {
        None
    }
}

/// The SIF row a printed judgement name is.
fn sif_row(name: &str) -> Option<RowKey> {
    let n = fold(name);
    let n = n.trim_end_matches([':', '.']);
    if n.contains("help and protection") {
        Some(RowKey::HelpAndProtection)
    } else if n.contains("looked after and achieving permanence") {
        Some(RowKey::LookedAfterAndPermanence)
    } else if n == "adoption performance" {
        Some(RowKey::Adoption)
    } else if n.contains("progress of care leavers") {
        Some(RowKey::CareLeavers)
    } else if n.contains("leadership, management and governance")
        || n == "leadership management and governance"
    {
        Some(RowKey::Leadership)
    } else if n == "overall effectiveness" {
        Some(RowKey::OverallEffectiveness)
    } else {
        None
    }
}

/// The LAC 2012-13 row a printed judgement name is.
fn lac_row(name: &str) -> Option<RowKey> {
    let n = fold(name);
    let n = n.trim_end_matches([':', '.']);
    if n == "overall effectiveness" {
        Some(RowKey::OverallEffectiveness)
    } else if n == "capacity to improve" {
        Some(RowKey::CapacityToImprove)
    } else if n.starts_with("outcomes for looked after children") {
        Some(RowKey::Outcomes)
    } else if n == "quality of provision" {
        Some(RowKey::QualityOfProvision)
    } else if n == "leadership and management" {
        Some(RowKey::LeadershipAndManagement)
    } else {
        None
    }
}

/// The row of a layout a printed judgement name is (the README's table), if any.
pub fn row_key(layout: Layout, name: &str) -> Option<RowKey> {
    use RowKey::*;
    match layout {
        Layout::Sif | Layout::SifReinspection => sif_row(name),
        Layout::Ilacs => ilacs_row(name).filter(|row| !matches!(row, InCare | CareLeavers)),
        Layout::IlacsSplit => ilacs_row(name).filter(|row| *row != InCareAndCareLeavers),
        Layout::Ilacs2026 => ilacs_row(name)
            .filter(|row| !matches!(row, InCareAndCareLeavers | OverallEffectiveness)),
        Layout::Lac2013 => lac_row(name),
    }
}

/// The table's rows as judgements, each with the layout's row it is (`row_of` knows them all:
/// `check_rows` has refused a table with a name it does not know).
fn rows_to_judgements(
    pages: &[Vec<PLine>],
    rows: &[(usize, table::Row)],
    label: bool,
    row_of: impl Fn(&str) -> Option<RowKey>,
) -> Vec<Judgement> {
    rows.iter()
        .filter_map(|(page, r)| {
            let p = &pages[*page];
            let (lab, name) = if label {
                split_label(&r.name.text)
            } else {
                (None, r.name.text.clone())
            };
            Some(Judgement {
                row: row_of(&name)?,
                name: mk_line(p, *page, r.name.first, name),
                grade: mk_line(p, *page, r.grade.first, r.grade.text.clone()),
                page: *page as u32 + 1,
                label: lab,
                level: r.level,
            })
        })
        .collect()
}

fn is_label(w: &str) -> bool {
    // "1.", "2", "2.1": one or two parts of one or two digits.
    let w = w.trim_end_matches('.');
    let parts: Vec<&str> = w.split('.').collect();
    !w.is_empty()
        && parts.len() <= 2
        && parts
            .iter()
            .all(|p| (1..=2).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit()))
}

fn split_label(s: &str) -> (Option<String>, String) {
    let mut it = s.splitn(2, ' ');
    let first = it.next().unwrap_or("");
    if is_label(first) {
        (
            Some(first.to_string()),
            it.next().unwrap_or("").trim().to_string(),
        )
    } else {
        (None, s.to_string())
    }
}

/// Every printed name is a row of the layout, and none twice.
fn check_rows(
    rows: &[(usize, table::Row)],
    label: bool,
    row_of: impl Fn(&str) -> Option<RowKey>,
) -> Result<(), ReportError> {
    let mut seen: Vec<RowKey> = Vec::new();
    for (_, r) in rows {
        let name = if label {
            split_label(&r.name.text).1
        } else {
            r.name.text.clone()
        };
        let Some(row) = row_of(&name) else {
            return Err(ReportError::Ambiguous(Ambiguity::UnknownRow { name }));
        };
        if seen.contains(&row) {
            return Err(ReportError::Ambiguous(Ambiguity::RowTwice(row)));
        }
        seen.push(row);
    }
    Ok(())
}

fn inspection_start(p1: &[PLine]) -> Option<Date> {
    dates_line(p1).and_then(|dates| parse_range(&dates.after).map(|range| range.start))
}

/// A labelled line of page 1 ("Inspection dates: ...", "Report published: ..."): where it
/// is, its text, and what follows the label. A value that wraps onto the lines below ("28
/// November to" / "9 December 2022") is joined to them, one or two lines set close below
/// it, when it does not read alone and reads joined (`reads`).
struct Labelled {
    at: usize,
    text: String,
    after: String,
}

fn labelled(p1: &[PLine], at: usize, reads: impl Fn(&str) -> bool) -> Labelled {
    let text = p1[at].clean_text();
    let after = |t: &str| match t.find(':') {
        Some(c) => t[c + 1..].to_string(),
        None => t.split_whitespace().skip(2).collect::<Vec<_>>().join(" "),
    };
    let alone = Labelled {
        at,
        after: after(&text),
        text,
    };
    if reads(&alone.after) {
        return alone;
    }
    let mut joined = alone.text.clone();
    let mut last = &p1[at];
    for next in p1.iter().skip(at + 1).take(2) {
        let close = last.y() - next.y() <= 1.8 * next.size().max(last.size())
            && (next.size() - last.size()).abs() < 0.6;
        if !close {
            break;
        }
        joined.push(' ');
        joined.push_str(&next.clean_text());
        if reads(&after(&joined)) {
            return Labelled {
                at,
                after: after(&joined),
                text: joined,
            };
        }
        last = next;
    }
    alone
}

fn dates_line(p1: &[PLine]) -> Option<Labelled> {
    let at = p1
        .iter()
        .position(|l| fold(&l.clean_text()).starts_with("inspection date"))?;
    Some(labelled(p1, at, |after| parse_range(after).is_some()))
}

/// Title, authority, inspection dates and publication date from page 1.
fn meta(pages: &[Vec<PLine>], rep: &mut Report) {
    let p1 = &pages[0];
    let dates = dates_line(p1);
    let dates_at = dates.as_ref().map(|d| d.at);
    if let Some(Labelled {
        at: d,
        text: t,
        after,
    }) = dates
    {
        match parse_range(&after) {
            Some(range) => {
                let (a, b) = (range.start, range.end);
                if range.periods > 1 {
                    rep.warnings.push(format!(
                        "inspection dates are {} periods: \"{}\"; start and end span them all",
                        range.periods,
                        after.trim()
                    ));
                }
                rep.inspection_dates = Some((mk_line(p1, 0, d, t), a, b));
            }
            None => rep.warnings.push(format!(
                "inspection dates not understood: \"{}\"",
                excerpt(&t)
            )),
        }
    } else {
        rep.warnings
            .push("no inspection dates line on page 1".into());
    }
    let published = p1.iter().take(30).position(|l| {
        let n = fold(&l.clean_text());
        n.starts_with("report published")
            || n.starts_with("published:")
            || n.starts_with("published ")
    });
    if let Some(i) = published {
        let Labelled { at, text, after } = labelled(p1, i, |after| parse_date(after).is_some());
        match parse_date(&after) {
            Some(d) => rep.publication_date = Some((mk_line(p1, 0, at, text), d)),
            None => rep.warnings.push(format!(
                "publication date not understood: \"{}\"",
                excerpt(&text)
            )),
        }
    }
    // Title block: lines above the dates line, in blocks of one font size.
    let top = dates_at.unwrap_or(8.min(p1.len()));
    let mut blocks: Vec<(usize, Vec<usize>)> = Vec::new(); // (first line, members)
    for i in 0..top {
        let l = &p1[i];
        if l.clean_text().is_empty() {
            continue;
        }
        match blocks.last_mut() {
            Some((_, m))
                if {
                    let last = &p1[*m.last().unwrap_or(&i)];
                    (last.size() - l.size()).abs() < 0.6 && last.y() - l.y() <= 1.8 * l.size()
                } =>
            {
                m.push(i)
            }
            _ => blocks.push((i, vec![i])),
        }
    }
    let text_of = |m: &[usize]| {
        m.iter()
            .map(|&i| p1[i].clean_text())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let title_block = blocks.iter().position(|(_, m)| {
        let n = fold(&text_of(m));
        n.starts_with("inspection of") || n.starts_with("re-inspection of")
    });
    let Some(tb) = title_block else {
        rep.warnings
            .push("no title (\"Inspection of ...\") on page 1".into());
        if let Some((f, m)) = blocks.first() {
            rep.authority = mk_line(p1, 0, *f, text_of(m));
        }
        return;
    };
    let (tf, tm) = &blocks[tb];
    let title = text_of(tm);
    rep.title = mk_line(p1, 0, *tf, title.clone());
    // An ILACS title names the authority: "Inspection of X local authority children's services",
    // or, in some, "Inspection of Kent County Council children's services".
    let nt = fold(&title);
    let ilacs = matches!(
        rep.layout,
        Layout::Ilacs | Layout::IlacsSplit | Layout::Ilacs2026
    );
    let named_at = nt.find(" local authority children's services").or_else(|| {
        ilacs
            .then(|| {
                nt.trim_end_matches('.')
                    .strip_suffix(" children's services")
            })
            .flatten()
            .map(str::len)
    });
    if let Some(pos) = named_at {
        let prefix = "inspection of ";
        if nt.starts_with(prefix) && pos > prefix.len() {
            // Map the normalised span back onto the printed title by word count.
            let words: Vec<&str> = title.split_whitespace().collect();
            let skip = 2;
            let count = nt[prefix.len()..pos].split(' ').count();
            let mut w: Vec<&str> = words.iter().skip(skip).take(count).copied().collect();
            if w.first().is_some_and(|x| x.eq_ignore_ascii_case("the")) {
                w.remove(0);
            }
            rep.authority = mk_line(p1, 0, *tf, w.join(" "));
            return;
        }
    }
    // Otherwise the authority is the block before the title (SIF, early ILACS) or after it (LAC).
    let other = if tb > 0 {
        Some(&blocks[tb - 1])
    } else {
        blocks.get(tb + 1)
    };
    match other {
        Some((f, m)) => rep.authority = mk_line(p1, 0, *f, text_of(m)),
        None => rep.warnings.push("no authority name on page 1".into()),
    }
    // SIF titles continue over "and" / "Review of the effectiveness of the LSCB".
    if tb + 1 < blocks.len() && tb > 0 {
        let mut t = title;
        for (_, m) in &blocks[tb + 1..] {
            if (p1[m[0]].size() - p1[tm[0]].size()).abs() < 0.6 {
                t.push(' ');
                t.push_str(&text_of(m));
            }
        }
        rep.title.text = t;
    }
}
