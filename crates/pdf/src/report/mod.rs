//! Ofsted children's services inspection reports: layouts, the page-one judgement table,
//! the headline, LSCB and other grade statements, dates and the authority.

pub mod narrative;
pub mod table;
pub mod words;

use std::fmt;

use crate::pdf::{self, PdfError};
use narrative::{Found, Tok};
use words::{norm, page_lines, parse_date, parse_range, PLine};
pub use words::{Date, Grade};

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

/// Text as printed, with where it is: 1-based page and 1-based line within the page's
/// extracted lines (as [`page_texts`] returns them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub page: u32,
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
    pub page: u32,
    /// SIF row number as printed ("1.", "2.1"); None elsewhere.
    pub label: Option<String>,
    /// The grade on the framework's scale.
    pub level: Grade,
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
    pub level: Grade,
    /// What the statement is about, in this crate's terms (see README): "headline",
    /// "lscb", or the reference id of a judgement (e.g. "ilacs.help_and_protection").
    pub about: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub layout: Layout,
    pub title: Line,
    pub authority: Line,
    pub inspection_dates: Option<(Line, Date, Date)>,
    pub publication_date: Option<(Line, Date)>,
    pub judgements: Vec<Judgement>,
    pub headline: Option<Statement>,
    pub narrative: Vec<Statement>,
    pub warnings: Vec<String>,
    /// The text of every page, line by line, as [`page_texts`] gives it: what `Line`s index.
    pub pages: Vec<Vec<String>>,
}

impl Report {
    /// The LSCB grade stated in the report (SIF), if any.
    pub fn lscb(&self) -> Option<&Statement> {
        self.narrative.iter().find(|s| s.about == "lscb")
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReportError {
    /// The bytes are not a PDF (no "%PDF-" header).
    NotPdf,
    /// The PDF is encrypted.
    Encrypted,
    /// The PDF is cut short.
    Truncated(String),
    /// Pages carry images but no text: a scan.
    ImageOnly,
    /// An Ofsted report, but not a layout this crate knows.
    UnknownLayout(String),
    /// A PDF, but not an Ofsted children's services inspection report.
    NotAReport(String),
    /// The PDF is damaged or its text cannot be decoded.
    Unreadable(String),
    /// The layout is known but its grades cannot be read with certainty.
    Ambiguous(String),
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReportError::NotPdf => write!(f, "not a PDF file (no %PDF- header)"),
            ReportError::Encrypted => {
                write!(f, "the PDF is encrypted; this reader does not decrypt")
            }
            ReportError::Truncated(m) => write!(f, "the PDF is truncated: {m}"),
            ReportError::ImageOnly => write!(
                f,
                "the PDF has images but no text layer (a scan); its grades cannot be read"
            ),
            ReportError::UnknownLayout(m) => write!(f, "unknown report layout: {m}"),
            ReportError::NotAReport(m) => write!(
                f,
                "not an Ofsted children's services inspection report: {m}"
            ),
            ReportError::Unreadable(m) => write!(f, "the PDF cannot be read: {m}"),
            ReportError::Ambiguous(m) => write!(f, "the grades cannot be read with certainty: {m}"),
        }
    }
}

impl std::error::Error for ReportError {}

fn pdf_err(e: PdfError) -> ReportError {
    match e {
        PdfError::NotPdf => ReportError::NotPdf,
        PdfError::Encrypted => ReportError::Encrypted,
        PdfError::Truncated(m) => ReportError::Truncated(m),
        PdfError::Broken(m) | PdfError::TooBig(m) => ReportError::Unreadable(m),
    }
}

fn extract(bytes: &[u8]) -> Result<pdf::Extracted, ReportError> {
    let x = pdf::extract(bytes).map_err(pdf_err)?;
    if x.pages.is_empty() {
        return Err(ReportError::NotAReport("the PDF has no pages".into()));
    }
    let glyphs: usize = x.pages.iter().map(|p| p.glyphs).sum();
    let unmapped: usize = x.pages.iter().map(|p| p.unmapped).sum();
    let images: usize = x.pages.iter().map(|p| p.images).sum();
    if glyphs < 20 {
        if unmapped >= 20 {
            return Err(ReportError::Unreadable(format!(
                "{unmapped} glyphs have no known text (fonts without a Unicode map)"
            )));
        }
        let probs: Vec<&String> = x.pages.iter().flat_map(|p| &p.problems).collect();
        if let Some(p) = probs.first() {
            return Err(ReportError::Unreadable((*p).clone()));
        }
        if images > 0 {
            return Err(ReportError::ImageOnly);
        }
        return Err(ReportError::NotAReport("the PDF has no text".into()));
    }
    for (i, p) in x.pages.iter().enumerate() {
        if let Some(pr) = p.problems.first() {
            return Err(ReportError::Unreadable(format!("page {}: {pr}", i + 1)));
        }
    }
    if unmapped * 10 > glyphs {
        return Err(ReportError::Unreadable(format!(
            "{unmapped} of {} glyphs have no known text",
            glyphs + unmapped
        )));
    }
    Ok(x)
}

/// The text of every page as lines (for debugging and provenance: [`Line`] numbers index
/// into these).
pub fn page_texts(bytes: &[u8]) -> Result<Vec<Vec<String>>, ReportError> {
    let x = pdf::extract(bytes).map_err(pdf_err)?;
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
    let head_text = norm(
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
        (Some(_), Some(k)) => {
            return Err(ReportError::UnknownLayout(format!(
                "page 1 has an ILACS \"Judgement Grade\" table but a {} title",
                k.name()
            )))
        }
        (None, None) => {
            let first = p1.first().map(|l| l.clean_text()).unwrap_or_default();
            let all = norm(
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
                Err(ReportError::UnknownLayout(format!(
                    "an Ofsted document, but page 1 has no known judgement table or title (first line: \"{first}\")"
                )))
            } else {
                Err(ReportError::NotAReport(format!(
                    "no Ofsted inspection title or judgement table (first line: \"{first}\")"
                )))
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

fn statement(pages: &[Vec<PLine>], page: usize, toks: &[Tok], f: &Found, about: &str) -> Statement {
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
        about: about.to_string(),
    }
}

/// The reference id of an ILACS judgement name (see README), by its wording.
pub fn ilacs_id(name: &str) -> Option<&'static str> {
    let n = norm(name);
    if n.contains("impact of leaders") {
        Some("ilacs.impact_of_leaders")
    } else if n.contains("help and protection") {
        Some("ilacs.help_and_protection")
    } else if n.contains("children in care and care leavers") {
        Some("ilacs.in_care_and_care_leavers")
    } else if n.contains("children in care") && !n.contains("leavers") {
        Some("ilacs.in_care")
    } else if n.contains("care leavers") && !n.contains("in care") {
        Some("ilacs.care_leavers")
    } else if n.trim_end_matches([':', '.']) == "overall effectiveness" {
        Some("ilacs.overall_effectiveness")
    } else {
        None
    }
}

/// The reference id of a SIF judgement name.
pub fn sif_id(name: &str) -> Option<&'static str> {
    let n = norm(name);
    let n = n.trim_end_matches([':', '.']);
    if n.contains("help and protection") {
        Some("sif.help_and_protection")
    } else if n.contains("looked after and achieving permanence") {
        Some("sif.looked_after_and_permanence")
    } else if n == "adoption performance" {
        Some("sif.adoption")
    } else if n.contains("progress of care leavers") {
        Some("sif.care_leavers")
    } else if n.contains("leadership, management and governance")
        || n == "leadership management and governance"
    {
        Some("sif.leadership")
    } else if n == "overall effectiveness" {
        Some("sif.overall_effectiveness")
    } else {
        None
    }
}

/// The reference id of a LAC 2012-13 judgement name.
pub fn lac_id(name: &str) -> Option<&'static str> {
    let n = norm(name);
    let n = n.trim_end_matches([':', '.']);
    if n == "overall effectiveness" {
        Some("lac.overall_effectiveness")
    } else if n == "capacity to improve" {
        Some("lac.capacity_to_improve")
    } else if n.starts_with("outcomes for looked after children") {
        Some("lac.outcomes")
    } else if n == "quality of provision" {
        Some("lac.quality_of_provision")
    } else if n == "leadership and management" {
        Some("lac.leadership_and_management")
    } else {
        None
    }
}

/// The reference id of a printed judgement name in a layout (the README's table).
pub fn reference_id(layout: Layout, name: &str) -> Option<&'static str> {
    match layout {
        Layout::Sif | Layout::SifReinspection => sif_id(name),
        Layout::Ilacs => {
            ilacs_id(name).filter(|id| *id != "ilacs.in_care" && *id != "ilacs.care_leavers")
        }
        Layout::IlacsSplit => ilacs_id(name).filter(|id| *id != "ilacs.in_care_and_care_leavers"),
        Layout::Ilacs2026 => ilacs_id(name).filter(|id| {
            *id != "ilacs.in_care_and_care_leavers" && *id != "ilacs.overall_effectiveness"
        }),
        Layout::Lac2013 => lac_id(name),
    }
}

fn rows_to_judgements(
    p: &[PLine],
    page: usize,
    rows: &[table::Row],
    label: bool,
) -> Vec<Judgement> {
    rows.iter()
        .map(|r| {
            let (lab, name) = if label {
                split_label(&r.name.text)
            } else {
                (None, r.name.text.clone())
            };
            Judgement {
                name: mk_line(p, page, r.name.first, name),
                grade: mk_line(p, page, r.grade.first, r.grade.text.clone()),
                page: page as u32 + 1,
                label: lab,
                level: r.level,
            }
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

fn check_ids(ids: &[Option<&'static str>], names: &[String]) -> Result<(), ReportError> {
    for (i, id) in ids.iter().enumerate() {
        match id {
            None => {
                return Err(ReportError::Ambiguous(format!(
                    "table row \"{}\" is not a known judgement",
                    names[i]
                )))
            }
            Some(id) => {
                if ids.iter().filter(|x| **x == Some(*id)).count() > 1 {
                    return Err(ReportError::Ambiguous(format!(
                        "judgement {id} appears twice in the table"
                    )));
                }
            }
        }
    }
    Ok(())
}

fn ilacs(
    pages: &[Vec<PLine>],
    h: usize,
    warnings: &mut Vec<String>,
) -> Result<Report, ReportError> {
    let p1 = &pages[0];
    let gx = p1[h]
        .words()
        .find(|w| norm(&w.text) == "grade")
        .map(|w| w.x0)
        .unwrap_or(0.0);
    let (rows, end) = table::read(p1, h + 1, gx)
        .map_err(|m| ReportError::Ambiguous(format!("ILACS table on page 1: {m}")))?;
    let judgements = rows_to_judgements(p1, 0, &rows, false);
    let names: Vec<String> = judgements.iter().map(|j| j.name.text.clone()).collect();
    let ids: Vec<Option<&'static str>> = names.iter().map(|n| ilacs_id(n)).collect();
    check_ids(&ids, &names)?;
    let has = |id: &str| ids.contains(&Some(id));
    for req in ["ilacs.impact_of_leaders", "ilacs.help_and_protection"] {
        if !has(req) {
            return Err(ReportError::Ambiguous(format!(
                "ILACS table has no {req} row"
            )));
        }
    }
    let combined = has("ilacs.in_care_and_care_leavers");
    let split = has("ilacs.in_care") && has("ilacs.care_leavers");
    let overall = has("ilacs.overall_effectiveness");
    let layout = match (combined, split, overall) {
        (true, false, true) => Layout::Ilacs,
        (false, true, true) => Layout::IlacsSplit,
        (false, true, false) => Layout::Ilacs2026,
        _ => {
            return Err(ReportError::Ambiguous(format!(
                "ILACS table rows do not form a known set: {}",
                names
                    .iter()
                    .map(|n| format!("\"{n}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            )))
        }
    };
    if layout == Layout::Ilacs2026 {
        // No overall row: make sure the table did not simply end early, and that the
        // inspection is under the April 2026 framework.
        if let Some(l) = p1
            .iter()
            .skip(end)
            .take(6)
            .find(|l| norm(&l.clean_text()).starts_with("overall effectiveness"))
        {
            return Err(ReportError::Ambiguous(format!(
                "the table was read without an overall effectiveness row, but line {} below it reads \"{}\"",
                l.no,
                l.clean_text()
            )));
        }
        match inspection_start(p1) {
            Some(d) if d >= Date { year: 2026, month: 3, day: 1 } => {}
            Some(d) => {
                return Err(ReportError::Ambiguous(format!(
                    "the table has no overall effectiveness row, but the inspection began on {d}, before the April 2026 framework"
                )))
            }
            None => {
                return Err(ReportError::Ambiguous(
                    "the table has no overall effectiveness row and the inspection dates cannot be read to confirm the April 2026 framework".into(),
                ))
            }
        }
    }
    if let Some(d) = inspection_start(p1) {
        if layout == Layout::Ilacs
            && d >= (Date {
                year: 2023,
                month: 2,
                day: 1,
            })
        {
            warnings.push(format!("a combined \"children in care and care leavers\" row, but the inspection began on {d}, after the January 2023 split"));
        }
        if layout == Layout::IlacsSplit
            && d < (Date {
                year: 2022,
                month: 12,
                day: 1,
            })
        {
            warnings.push(format!("a separate care leavers row, but the inspection began on {d}, before the January 2023 split"));
        }
    }
    // Section headings repeat each grade: "The experiences and progress of ...: good".
    let mut narrative = Vec::new();
    let starts: &[&[&str]] = &[
        &["the", "impact", "of", "leaders"],
        &["the", "experiences", "and", "progress", "of"],
        &["overall", "effectiveness"],
    ];
    for (pi, p) in pages.iter().enumerate() {
        let toks = narrative::tokens(p);
        for f in narrative::headings(&toks, starts) {
            let subj = narrative::raw(&toks, f.s0, f.s1);
            let Some(id) = reference_id(layout, &subj) else {
                warnings.push(format!(
                    "page {}: heading \"{}\" names no judgement of this layout",
                    pi + 1,
                    subj
                ));
                continue;
            };
            let st = statement(pages, pi, &toks, &f, id);
            if let Some(j) = judgements
                .iter()
                .zip(&ids)
                .find(|(_, i)| **i == Some(id))
                .map(|(j, _)| j)
            {
                if j.level != f.grade {
                    return Err(ReportError::Ambiguous(format!(
                        "the table gives {id} as \"{}\" but page {} line {} says \"{}\"",
                        j.grade.text, st.line.page, st.line.line, st.line.text
                    )));
                }
            }
            narrative.push(st);
        }
    }
    let toks = narrative::tokens(p1);
    let headline = narrative::headline(&toks)
        .first()
        .map(|f| statement(pages, 0, &toks, f, "headline"));
    if let (Some(hl), Some(j)) = (
        &headline,
        judgements
            .iter()
            .zip(&ids)
            .find(|(_, i)| **i == Some("ilacs.overall_effectiveness")),
    ) {
        if hl.level != j.0.level {
            warnings.push(format!(
                "headline \"{}\" differs from the overall effectiveness grade \"{}\"",
                hl.line.text, j.0.grade.text
            ));
        }
    }
    Ok(Report {
        layout,
        title: Line {
            text: String::new(),
            page: 1,
            line: 1,
        },
        authority: Line {
            text: String::new(),
            page: 1,
            line: 1,
        },
        inspection_dates: None,
        publication_date: None,
        judgements,
        headline,
        narrative,
        warnings: Vec::new(),
        pages: Vec::new(),
    })
}

fn sif(
    pages: &[Vec<PLine>],
    kind: Layout,
    warnings: &mut Vec<String>,
) -> Result<Report, ReportError> {
    let p1 = &pages[0];
    // The first numbered row ("1.") after the title block.
    let Some(start) = p1
        .iter()
        .position(|l| l.words().next().is_some_and(|w| is_label(&w.text)) && l.words().count() > 1)
    else {
        return Err(ReportError::Ambiguous(
            "SIF report: no numbered judgement table on page 1".into(),
        ));
    };
    let label_x = p1[start].words().next().map(|w| w.x0).unwrap_or(0.0);
    let size = p1[start].size();
    let gx = table::grade_column(
        p1,
        start.saturating_sub(2),
        (start + 30).min(p1.len()),
        label_x + 5.0 * size,
    )
    .ok_or_else(|| ReportError::Ambiguous("SIF table on page 1: no grade column found".into()))?;
    // A grade set level with the middle of a two-line first name sits on the line above.
    let mut s = start;
    while s > 0 {
        let prev = &p1[s - 1];
        let right_only = prev.words().all(|w| w.x0 >= gx - 3.0);
        if right_only && prev.y() - p1[s].y() <= 1.3 * size {
            s -= 1;
        } else {
            break;
        }
    }
    let (rows, _end) = table::read(p1, s, gx)
        .map_err(|m| ReportError::Ambiguous(format!("SIF table on page 1: {m}")))?;
    let judgements = rows_to_judgements(p1, 0, &rows, true);
    let names: Vec<String> = judgements.iter().map(|j| j.name.text.clone()).collect();
    let ids: Vec<Option<&'static str>> = names.iter().map(|n| sif_id(n)).collect();
    check_ids(&ids, &names)?;
    for req in [
        "sif.help_and_protection",
        "sif.looked_after_and_permanence",
        "sif.adoption",
        "sif.care_leavers",
        "sif.leadership",
    ] {
        if !ids.contains(&Some(req)) {
            return Err(ReportError::Ambiguous(format!(
                "SIF table has no {req} row"
            )));
        }
    }
    if ids.contains(&Some("sif.overall_effectiveness")) {
        return Err(ReportError::Ambiguous(
            "SIF table has an overall effectiveness row: not a known SIF layout".into(),
        ));
    }
    // Headline: above the table on page 1.
    let head_lines = &p1[..s];
    let toks = narrative::tokens(head_lines);
    let found = narrative::headline(&toks);
    let Some(f) = found.first() else {
        return Err(ReportError::Ambiguous(
            "SIF report: no headline sentence with the overall judgement above the table".into(),
        ));
    };
    if found.iter().any(|g| g.grade != f.grade) {
        return Err(ReportError::Ambiguous(
            "SIF report: headline sentences disagree".into(),
        ));
    }
    let headline = Some(statement(pages, 0, &toks, f, "headline"));
    let mut narrative = Vec::new();
    // Each key judgement's section opens with its name and grade in two columns, then
    // "Summary": read those and hold them against the table.
    for (pi, p) in pages.iter().enumerate().skip(1) {
        for (s, l) in p.iter().enumerate() {
            if norm(&l.clean_text()) != "summary" || s == 0 {
                continue;
            }
            let window = s.saturating_sub(4);
            let mut from = window;
            for (k, line) in p.iter().enumerate().take(s).skip(window) {
                let t = norm(&line.clean_text());
                if t.chars().all(|c| c.is_ascii_digit()) || t.starts_with("key judgement") {
                    from = k + 1;
                }
            }
            let head = &p[..s];
            let Some(hx) = table::grade_column(head, from, s, 0.0) else {
                continue;
            };
            let Ok((srows, _)) = table::read(head, from, hx) else {
                continue;
            };
            for r in srows {
                let Some(id) = sif_id(&r.name.text) else {
                    continue;
                };
                let st = Statement {
                    judgement_words: r.name.text.clone(),
                    grade_words: r.grade.text.clone(),
                    line: mk_line(
                        p,
                        pi,
                        r.name.first,
                        format!("{}   {}", r.name.text, r.grade.text),
                    ),
                    level: r.level,
                    about: id.to_string(),
                };
                if let Some(j) = judgements
                    .iter()
                    .zip(&ids)
                    .find(|(_, i)| **i == Some(id))
                    .map(|(j, _)| j)
                {
                    if j.level != r.level {
                        return Err(ReportError::Ambiguous(format!(
                            "the table gives {id} as \"{}\" but the section heading on page {} line {} says \"{}\"",
                            j.grade.text, st.line.page, st.line.line, st.line.text
                        )));
                    }
                }
                narrative.push(st);
            }
        }
    }
    // LSCB statements anywhere.
    for (pi, p) in pages.iter().enumerate() {
        let toks = narrative::tokens(p);
        for f in narrative::lscb(&toks) {
            narrative.push(statement(pages, pi, &toks, &f, "lscb"));
        }
    }
    let announces_review = norm(
        &p1.iter()
            .take(12)
            .map(|l| l.clean_text())
            .collect::<Vec<_>>()
            .join(" "),
    )
    .contains("review of the effectiveness of the local safeguarding children board");
    if announces_review && !narrative.iter().any(|s| s.about == "lscb") {
        return Err(ReportError::Ambiguous(
            "the title announces a review of the LSCB but no sentence stating the LSCB grade was found".into(),
        ));
    }
    let lscb: Vec<&Statement> = narrative.iter().filter(|s| s.about == "lscb").collect();
    if let Some(first) = lscb.first() {
        if let Some(other) = lscb.iter().find(|s| s.level != first.level) {
            return Err(ReportError::Ambiguous(format!(
                "LSCB statements disagree: page {} line {} \"{}\" and page {} line {} \"{}\"",
                first.line.page,
                first.line.line,
                first.line.text,
                other.line.page,
                other.line.line,
                other.line.text
            )));
        }
        if kind == Layout::SifReinspection {
            warnings.push("a re-inspection report states an LSCB grade".into());
        }
    }
    Ok(Report {
        layout: kind,
        title: Line {
            text: String::new(),
            page: 1,
            line: 1,
        },
        authority: Line {
            text: String::new(),
            page: 1,
            line: 1,
        },
        inspection_dates: None,
        publication_date: None,
        judgements,
        headline,
        narrative,
        warnings: Vec::new(),
        pages: Vec::new(),
    })
}

fn lac(pages: &[Vec<PLine>], _warnings: &mut Vec<String>) -> Result<Report, ReportError> {
    let mut at = None;
    for (pi, p) in pages.iter().enumerate() {
        for (li, l) in p.iter().enumerate() {
            if norm(&l.clean_text()) == "record of main findings" {
                at = Some((pi, li));
            }
        }
    }
    let Some((pi, h)) = at else {
        return Err(ReportError::Ambiguous(
            "LAC report: no \"Record of main findings\" table".into(),
        ));
    };
    let p = &pages[pi];
    let left_x = p
        .get(h + 1)
        .and_then(|l| l.words().next())
        .map(|w| w.x0)
        .unwrap_or(0.0);
    let size = p.get(h + 1).map(|l| l.size()).unwrap_or(12.0);
    let gx = table::grade_column(p, h + 1, (h + 20).min(p.len()), left_x + 5.0 * size).ok_or_else(
        || ReportError::Ambiguous("LAC \"Record of main findings\": no grade column found".into()),
    )?;
    let Some(mut s) = (h + 1..p.len()).find(|&i| p[i].words().any(|w| w.x0 >= gx - 3.0)) else {
        return Err(ReportError::Ambiguous(
            "LAC \"Record of main findings\": no grades".into(),
        ));
    };
    while s > h + 1 {
        let prev = &p[s - 1];
        let left_only = prev.words().all(|w| w.x1 < gx - 3.0);
        if left_only
            && prev.y() - p[s].y() <= 1.3 * p[s].size()
            && (prev.size() - p[s].size()).abs() < 0.5
        {
            s -= 1;
        } else {
            break;
        }
    }
    let (rows, _end) = table::read(p, s, gx)
        .map_err(|m| ReportError::Ambiguous(format!("LAC \"Record of main findings\": {m}")))?;
    let judgements = rows_to_judgements(p, pi, &rows, false);
    let names: Vec<String> = judgements.iter().map(|j| j.name.text.clone()).collect();
    let ids: Vec<Option<&'static str>> = names.iter().map(|n| lac_id(n)).collect();
    check_ids(&ids, &names)?;
    for req in [
        "lac.overall_effectiveness",
        "lac.capacity_to_improve",
        "lac.outcomes",
        "lac.quality_of_provision",
        "lac.leadership_and_management",
    ] {
        if !ids.contains(&Some(req)) {
            return Err(ReportError::Ambiguous(format!(
                "LAC table has no {req} row"
            )));
        }
    }
    let mut narrative = Vec::new();
    for (qi, q) in pages.iter().enumerate() {
        let toks = narrative::tokens(q);
        for f in narrative::lac(&toks) {
            let subj = narrative::raw(&toks, f.s0, f.s1);
            let id = if norm(&subj).starts_with("overall") {
                "lac.overall_effectiveness"
            } else {
                "lac.capacity_to_improve"
            };
            let st = statement(pages, qi, &toks, &f, id);
            if let Some(j) = judgements
                .iter()
                .zip(&ids)
                .find(|(_, i)| **i == Some(id))
                .map(|(j, _)| j)
            {
                if j.level != f.grade {
                    return Err(ReportError::Ambiguous(format!(
                        "the table gives {id} as \"{}\" but page {} line {} says \"{}\"",
                        j.grade.text, st.line.page, st.line.line, st.line.text
                    )));
                }
            }
            narrative.push(st);
        }
    }
    Ok(Report {
        layout: Layout::Lac2013,
        title: Line {
            text: String::new(),
            page: 1,
            line: 1,
        },
        authority: Line {
            text: String::new(),
            page: 1,
            line: 1,
        },
        inspection_dates: None,
        publication_date: None,
        judgements,
        headline: None,
        narrative,
        warnings: Vec::new(),
        pages: Vec::new(),
    })
}

fn inspection_start(p1: &[PLine]) -> Option<Date> {
    let l = p1
        .iter()
        .find(|l| norm(&l.clean_text()).starts_with("inspection date"))?;
    let t = l.clean_text();
    let c = t.find(':')?;
    parse_range(&t[c + 1..]).map(|(a, _, _)| a)
}

/// Title, authority, inspection dates and publication date from page 1.
fn meta(pages: &[Vec<PLine>], rep: &mut Report) {
    let p1 = &pages[0];
    let dates_at = p1
        .iter()
        .position(|l| norm(&l.clean_text()).starts_with("inspection date"));
    if let Some(d) = dates_at {
        let t = p1[d].clean_text();
        let after = match t.find(':') {
            Some(c) => t[c + 1..].to_string(),
            None => {
                let n = t.split_whitespace().skip(2).collect::<Vec<_>>().join(" ");
                n
            }
        };
        match parse_range(&after) {
            Some((a, b, two)) => {
                if two {
                    rep.warnings.push(format!(
                        "inspection dates are two periods: \"{}\"; start and end span both",
                        after.trim()
                    ));
                }
                rep.inspection_dates = Some((mk_line(p1, 0, d, t.clone()), a, b));
            }
            None => rep
                .warnings
                .push(format!("inspection dates not understood: \"{t}\"")),
        }
    } else {
        rep.warnings
            .push("no inspection dates line on page 1".into());
    }
    for (i, l) in p1.iter().enumerate().take(30) {
        let t = l.clean_text();
        let n = norm(&t);
        if n.starts_with("report published")
            || n.starts_with("published:")
            || n.starts_with("published ")
        {
            let after = t
                .find(':')
                .map(|c| t[c + 1..].to_string())
                .unwrap_or_default();
            match parse_date(&after) {
                Some(d) => rep.publication_date = Some((mk_line(p1, 0, i, t.clone()), d)),
                None => rep
                    .warnings
                    .push(format!("publication date not understood: \"{t}\"")),
            }
            break;
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
        let n = norm(&text_of(m));
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
    // An ILACS title names the authority: "Inspection of X local authority children's services".
    let nt = norm(&title);
    if let Some(pos) = nt.find(" local authority children's services") {
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
