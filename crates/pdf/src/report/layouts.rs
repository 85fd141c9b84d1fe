//! The three families of layout: where each keeps its judgement table, headline and
//! statements, and how each is read and refused.

use super::words::{grade_prefix, PLine};
use super::{
    check_rows, ilacs_row, inspection_start, is_label, lac_row, mk_line, narrative, row_key,
    rows_to_judgements, sif_row, split_label, statement, table, About, Ambiguity, Family,
    Judgement, Layout, Line, Report, ReportError, RowKey, StatedIn, Statement, TableError,
};
use ratings_text::{fold, Date};

pub(super) fn ilacs(
    pages: &[Vec<PLine>],
    h: usize,
    warnings: &mut Vec<String>,
) -> Result<Report, ReportError> {
    let p1 = &pages[0];
    let gx = p1[h]
        .words()
        .find(|w| fold(&w.text) == "grade")
        .map(|w| w.x0)
        .unwrap_or(0.0);
    let (rows, end) = table::read(p1, h + 1, gx, &|name| ilacs_row(name).is_some())
        .map_err(|why| table_error(Family::Ilacs, (1, why)))?;
    let rows: Vec<(usize, table::Row)> = rows.into_iter().map(|row| (0, row)).collect();
    check_rows(&rows, false, ilacs_row)?;
    let judgements = rows_to_judgements(pages, &rows, false, ilacs_row);
    let names: Vec<String> = judgements.iter().map(|j| j.name.text.clone()).collect();
    let has = |row: RowKey| judgements.iter().any(|j| j.row == row);
    for req in [RowKey::ImpactOfLeaders, RowKey::HelpAndProtection] {
        if !has(req) {
            return Err(ReportError::Ambiguous(Ambiguity::MissingRow {
                family: Family::Ilacs,
                row: req,
            }));
        }
    }
    let combined = has(RowKey::InCareAndCareLeavers);
    let split = has(RowKey::InCare) && has(RowKey::CareLeavers);
    let overall = has(RowKey::OverallEffectiveness);
    let layout = match (combined, split, overall) {
        (true, false, true) => Layout::Ilacs,
        (false, true, true) => Layout::IlacsSplit,
        (false, true, false) => Layout::Ilacs2026,
        _ => return Err(ReportError::Ambiguous(Ambiguity::UnknownRowSet { names })),
    };
    if layout == Layout::Ilacs2026 {
        // No overall row: make sure the table did not simply end early, and that the
        // inspection is under the April 2026 framework.
        if let Some(l) = p1
            .iter()
            .skip(end)
            .take(6)
            .find(|l| fold(&l.clean_text()).starts_with("overall effectiveness"))
        {
            return Err(ReportError::Ambiguous(Ambiguity::OverallRowBelowTable {
                line: l.no,
                text: l.clean_text(),
            }));
        }
        match inspection_start(p1) {
            Some(d)
                if d >= Date {
                    year: 2026,
                    month: 3,
                    day: 1,
                } => {}
            Some(began) => {
                return Err(ReportError::Ambiguous(Ambiguity::NoOverallRowBefore2026 {
                    began,
                }))
            }
            None => return Err(ReportError::Ambiguous(Ambiguity::NoOverallRowUndated)),
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
            let Some(row) = row_key(layout, &subj) else {
                warnings.push(format!(
                    "page {}: heading \"{}\" names no judgement of this layout",
                    pi + 1,
                    subj
                ));
                continue;
            };
            let st = statement(pages, pi, &toks, &f, About::Row(row));
            if let Some(j) = judgements.iter().find(|j| j.row == row) {
                if j.level != f.grade {
                    return Err(disagrees(j, &st, StatedIn::Text));
                }
            }
            narrative.push(st);
        }
    }
    let toks = narrative::tokens(p1);
    let headline = narrative::headline(&toks)
        .first()
        .map(|f| statement(pages, 0, &toks, f, About::Headline));
    if let (Some(hl), Some(j)) = (
        &headline,
        judgements
            .iter()
            .find(|j| j.row == RowKey::OverallEffectiveness),
    ) {
        if hl.level != j.level {
            warnings.push(format!(
                "headline \"{}\" differs from the overall effectiveness grade \"{}\"",
                hl.line.text, j.grade.text
            ));
        }
    }
    Ok(read(layout, judgements, headline, narrative))
}

pub(super) fn sif(
    pages: &[Vec<PLine>],
    kind: Layout,
    warnings: &mut Vec<String>,
) -> Result<Report, ReportError> {
    let p1 = &pages[0];
    // The first numbered row ("1.") after the title block; a date wrapped onto its own line
    // ("26 August 2016") starts with a number too, but its next word is a month.
    let Some(start) = p1.iter().position(|l| {
        let mut words = l.words();
        words.next().is_some_and(|w| is_label(&w.text))
            && words
                .next()
                .is_some_and(|w| ratings_text::month_number(&w.text).is_none())
    }) else {
        return Err(ReportError::Ambiguous(Ambiguity::NoTable(Family::Sif)));
    };
    let label_x = p1[start].words().next().map(|w| w.x0).unwrap_or(0.0);
    let size = p1[start].size();
    let gx = table::grade_column(
        p1,
        start.saturating_sub(2),
        (start + 30).min(p1.len()),
        label_x + 5.0 * size,
    )
    .ok_or(ReportError::Ambiguous(Ambiguity::NoGradeColumn(
        Family::Sif,
    )))?;
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
    let sif_rows = [
        RowKey::HelpAndProtection,
        RowKey::LookedAfterAndPermanence,
        RowKey::Adoption,
        RowKey::CareLeavers,
        RowKey::Leadership,
    ];
    let rows = rows_across(
        pages,
        0,
        s,
        gx,
        &|name| sif_row(&split_label(name).1),
        &sif_rows,
    )
    .map_err(|why| table_error(Family::Sif, why))?;
    check_rows(&rows, true, sif_row)?;
    let judgements = rows_to_judgements(pages, &rows, true, sif_row);
    let has = |row: RowKey| judgements.iter().any(|j| j.row == row);
    for req in sif_rows {
        if !has(req) {
            return Err(ReportError::Ambiguous(Ambiguity::MissingRow {
                family: Family::Sif,
                row: req,
            }));
        }
    }
    if has(RowKey::OverallEffectiveness) {
        return Err(ReportError::Ambiguous(Ambiguity::SifOverallRow));
    }
    // Headline: above the table on page 1.
    let head_lines = &p1[..s];
    let toks = narrative::tokens(head_lines);
    let found = narrative::headline(&toks);
    let Some(f) = found.first() else {
        return Err(ReportError::Ambiguous(Ambiguity::NoHeadline));
    };
    if found.iter().any(|g| g.grade != f.grade) {
        return Err(ReportError::Ambiguous(Ambiguity::HeadlinesDisagree));
    }
    let headline = Some(statement(pages, 0, &toks, f, About::Headline));
    let mut narrative = Vec::new();
    // Each key judgement's section opens with its name and grade in two columns, then
    // "Summary": read those and hold them against the table.
    for (pi, p) in pages.iter().enumerate().skip(1) {
        for (s, l) in p.iter().enumerate() {
            if fold(&l.clean_text()) != "summary" || s == 0 {
                continue;
            }
            let window = s.saturating_sub(4);
            let mut from = window;
            for (k, line) in p.iter().enumerate().take(s).skip(window) {
                let t = fold(&line.clean_text());
                if t.chars().all(|c| c.is_ascii_digit()) || t.starts_with("key judgement") {
                    from = k + 1;
                }
            }
            let head = &p[..s];
            let Some(hx) = table::grade_column(head, from, s, 0.0) else {
                continue;
            };
            let Ok((srows, _)) = table::read(head, from, hx, &|name| sif_row(name).is_some())
            else {
                continue;
            };
            for r in srows {
                let Some(row) = sif_row(&r.name.text) else {
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
                    about: About::Row(row),
                };
                if let Some(j) = judgements.iter().find(|j| j.row == row) {
                    if j.level != r.level {
                        return Err(disagrees(j, &st, StatedIn::SectionHeading));
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
            narrative.push(statement(pages, pi, &toks, &f, About::Row(RowKey::Lscb)));
        }
    }
    let announces_review = fold(
        &p1.iter()
            .take(12)
            .map(|l| l.clean_text())
            .collect::<Vec<_>>()
            .join(" "),
    )
    .contains("review of the effectiveness of the local safeguarding children board");
    let lscb: Vec<&Statement> = narrative
        .iter()
        .filter(|s| s.about == About::Row(RowKey::Lscb))
        .collect();
    if announces_review && lscb.is_empty() {
        return Err(ReportError::Ambiguous(Ambiguity::LscbNotStated));
    }
    if let Some(first) = lscb.first() {
        if let Some(other) = lscb.iter().find(|s| s.level != first.level) {
            return Err(ReportError::Ambiguous(Ambiguity::LscbDisagree {
                first: first.line.clone(),
                other: other.line.clone(),
            }));
        }
        if kind == Layout::SifReinspection {
            warnings.push("a re-inspection report states an LSCB grade".into());
        }
    }
    Ok(read(kind, judgements, headline, narrative))
}

pub(super) fn lac(
    pages: &[Vec<PLine>],
    _warnings: &mut Vec<String>,
) -> Result<Report, ReportError> {
    let mut at = None;
    for (pi, p) in pages.iter().enumerate() {
        for (li, l) in p.iter().enumerate() {
            if fold(&l.clean_text()) == "record of main findings" {
                at = Some((pi, li));
            }
        }
    }
    let Some((pi, h)) = at else {
        return Err(ReportError::Ambiguous(Ambiguity::NoTable(Family::Lac)));
    };
    let p = &pages[pi];
    let left_x = p
        .get(h + 1)
        .and_then(|l| l.words().next())
        .map(|w| w.x0)
        .unwrap_or(0.0);
    let size = p.get(h + 1).map(|l| l.size()).unwrap_or(12.0);
    let gx = table::grade_column(p, h + 1, (h + 20).min(p.len()), left_x + 5.0 * size).ok_or(
        ReportError::Ambiguous(Ambiguity::NoGradeColumn(Family::Lac)),
    )?;
    let Some(mut s) = (h + 1..p.len()).find(|&i| p[i].words().any(|w| w.x0 >= gx - 3.0)) else {
        return Err(ReportError::Ambiguous(Ambiguity::NoGrades(Family::Lac)));
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
    let lac_rows = [
        RowKey::OverallEffectiveness,
        RowKey::CapacityToImprove,
        RowKey::Outcomes,
        RowKey::QualityOfProvision,
        RowKey::LeadershipAndManagement,
    ];
    let rows = rows_across(pages, pi, s, gx, &lac_row, &lac_rows)
        .map_err(|why| table_error(Family::Lac, why))?;
    check_rows(&rows, false, lac_row)?;
    let judgements = rows_to_judgements(pages, &rows, false, lac_row);
    for req in lac_rows {
        if !judgements.iter().any(|j| j.row == req) {
            return Err(ReportError::Ambiguous(Ambiguity::MissingRow {
                family: Family::Lac,
                row: req,
            }));
        }
    }
    let mut narrative = Vec::new();
    for (qi, q) in pages.iter().enumerate() {
        let toks = narrative::tokens(q);
        for f in narrative::lac(&toks) {
            let subj = narrative::raw(&toks, f.s0, f.s1);
            let row = if fold(&subj).starts_with("overall") {
                RowKey::OverallEffectiveness
            } else {
                RowKey::CapacityToImprove
            };
            let st = statement(pages, qi, &toks, &f, About::Row(row));
            if let Some(j) = judgements.iter().find(|j| j.row == row) {
                if j.level != f.grade {
                    return Err(disagrees(j, &st, StatedIn::Text));
                }
            }
            narrative.push(st);
        }
    }
    Ok(read(Layout::Lac2013, judgements, None, narrative))
}

/// The table of a layout's family that could not be read: on which page (from 1), and why.
fn table_error(family: Family, (page, why): (usize, TableError)) -> ReportError {
    ReportError::Ambiguous(Ambiguity::Table { family, page, why })
}

/// The text states a grade of judgement `j` other than the table's.
fn disagrees(j: &Judgement, statement: &Statement, stated_in: StatedIn) -> ReportError {
    ReportError::Ambiguous(Ambiguity::TextDisagrees {
        name: j.name.text.clone(),
        grade: j.grade.text.clone(),
        statement: statement.line.clone(),
        stated_in,
    })
}

/// The rows of a table on `page` from line `start`, each with its page; where they are not all
/// the rows the layout needs (`needed`) and the table runs to the foot of the page, the rows
/// that continue it at the head of the next page, read with the same column boundary. Rows
/// are never pieced together otherwise: what is still missing is an error of the layout.
fn rows_across(
    pages: &[Vec<PLine>],
    page: usize,
    start: usize,
    gx: f64,
    row_of: &dyn Fn(&str) -> Option<RowKey>,
    needed: &[RowKey],
) -> Result<Vec<(usize, table::Row)>, (usize, TableError)> {
    let is_row = |name: &str| row_of(name).is_some();
    let here = &pages[page];
    let (rows, end) = table::read(here, start, gx, &is_row).map_err(|why| (page + 1, why))?;
    let mut rows: Vec<(usize, table::Row)> = rows.into_iter().map(|row| (page, row)).collect();
    let complete = |rows: &[(usize, table::Row)]| {
        needed.iter().all(|need| {
            rows.iter()
                .any(|(_, r)| row_of(&r.name.text) == Some(*need))
        })
    };
    // The foot of the page: nothing after the table but a page number or a footer line.
    let at_foot = here[end..]
        .iter()
        .all(|line| line.words().count() <= 6 && !line.words().any(|w| grade_prefix(&w.text)));
    let Some(next) = pages.get(page + 1) else {
        return Ok(rows);
    };
    if complete(&rows) || !at_foot {
        return Ok(rows);
    }
    // A running header may come first: the continuation starts at one of the first lines.
    for first in 0..next.len().min(3) {
        let Ok((more, _)) = table::read(next, first, gx, &is_row) else {
            continue;
        };
        if !more.is_empty() && more.iter().all(|r| is_row(&r.name.text)) {
            rows.extend(more.into_iter().map(|row| (page + 1, row)));
            break;
        }
    }
    Ok(rows)
}

/// What a layout's reader finds: its table, headline and statements; the title, authority,
/// dates and pages are filled in by `read_report`.
fn read(
    layout: Layout,
    judgements: Vec<Judgement>,
    headline: Option<Statement>,
    narrative: Vec<Statement>,
) -> Report {
    let nowhere = || Line {
        text: String::new(),
        page: 1,
        line: 1,
    };
    Report {
        layout,
        title: nowhere(),
        authority: nowhere(),
        inspection_dates: None,
        publication_date: None,
        judgements,
        headline,
        narrative,
        warnings: Vec::new(),
        pages: Vec::new(),
    }
}
