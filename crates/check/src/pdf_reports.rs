//! Ofsted inspection reports (PDF) as records: `ratings_pdf` reads the page-one judgement
//! table, the headline and the statements of grades; this module places them on the rules in
//! force on the inspection's first day, by the rule book's own words (judgement titles and
//! aliases, scale labels and aliases), and checks the report against itself.
//!
//! The in-document checks: the headline and every statement of a grade in the text against the
//! table (`narrative-mismatch`), and the table's judgements against the framework in force
//! (`judgement-mismatch`: a judgement the framework did not have then, or one missing).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use ratings_core::{
    escape, shown, Code, Period, PeriodRules, Problem, RuleBook, SourceText, LOCAL_AUTHORITIES,
};
use ratings_pdf::{read_report, About, Grade, Layout, ReportError, RowKey};

use crate::assessment::DocumentFinding;
use crate::authority::{Authorities, Resolved};
use crate::letter::{ExtractedRecord, Extraction, Skipped};
use crate::record::{resolve_grade, Source, WrittenValue};

/// A report read: the extraction, and the text it was read from (pages in order, each
/// headed `[page N]`), which the positions of its grades index.
pub struct ReadReport {
    /// What the report states.
    pub extraction: Extraction,
    /// The extracted text.
    pub text: SourceText,
}

/// The registry document that stands for the reports of a layout: records read from such a
/// report are evidence from that collection, as the same grades read from a table are.
fn collection(layout: Layout) -> &'static str {
    match layout {
        Layout::Sif | Layout::SifReinspection => "ofsted-sif-reports-2014-2018",
        Layout::Ilacs | Layout::IlacsSplit | Layout::Ilacs2026 => "ofsted-ilacs-reports-2018-2026",
        Layout::Lac2013 => "ofsted-lac-reports-2013",
    }
}

/// Read one report's bytes.
pub fn read_pdf(
    name: &str,
    bytes: &[u8],
    book: &RuleBook,
    authorities: &Authorities,
) -> Result<ReadReport, Box<Problem>> {
    let code = |error: &ReportError| match error {
        ReportError::UnknownLayout(_) | ReportError::NotAReport(_) | ReportError::ImageOnly => {
            Code::UnknownLayout
        }
        _ => Code::Unreadable,
    };
    let report = read_report(bytes).map_err(|error| {
        let help = match &error {
            ReportError::Ambiguous(_) => "a grade is never guessed: check the report by hand",
            ReportError::ImageOnly => "a scanned report has no text to read; enter its grades as a record",
            ReportError::Encrypted => "save an unencrypted copy",
            ReportError::HtmlPage => "save the report's PDF itself: this is the web page, or an error page, in its place",
            ReportError::NotPdf => "report files are Ofsted's PDFs; this file is not one",
            ReportError::Truncated(_) => "the file is cut short: download the report again",
            ReportError::Unreadable(_) => "the file is damaged, or asks more of the reader than any report does; see docs/reports.md",
            _ => "the reader knows the SIF, ILACS and LAC 2012-13 report layouts; see docs/reports.md",
        };
        Box::new(Problem::in_file(code(&error), name, error.to_string()).with_help(help))
    })?;
    // The extracted text, for positions.
    let mut text = String::new();
    let mut page_start = Vec::new();
    let mut line = 1usize;
    for (index, page) in report.pages.iter().enumerate() {
        let _ = writeln!(text, "[page {}]", index + 1);
        page_start.push(line + 1);
        line += 1;
        for row in page {
            text.push_str(&escape(row));
            text.push('\n');
            line += 1;
        }
    }
    let source = SourceText::new(name, text);
    let at = |page: u32, row: u32| -> usize {
        page_start
            .get(page.saturating_sub(1) as usize)
            .map_or(1, |start| start + row.saturating_sub(1) as usize)
    };
    let start = report
        .inspection_dates
        .as_ref()
        .map(|(_, first, _)| *first)
        .or(report.publication_date.as_ref().map(|(_, day)| *day));
    let Some(start) = start.and_then(|d| {
        chrono::NaiveDate::from_ymd_opt(d.year, u32::from(d.month), u32::from(d.day))
    }) else {
        // Dates printed but not read are not "no dates": say which line could not be read.
        let unread = report.warnings.iter().find(|w| {
            w.starts_with("inspection dates not understood")
                || w.starts_with("publication date not understood")
        });
        return Err(Box::new(match unread {
            Some(why) => Problem::in_file(
                Code::Unreadable,
                name,
                format!("the report's dates cannot be read: {why}"),
            )
            .with_help("a date is never guessed: a range that runs backwards, or a date in a shape the reader does not know, is not read; see docs/reports.md"),
            None => Problem::in_file(
                Code::UnknownLayout,
                name,
                "the report prints no inspection or publication date",
            ),
        }));
    };
    let period = Period::Date(start);
    let rules = book.in_force(LOCAL_AUTHORITIES, period).map_err(|why| {
        Box::new(Problem::in_file(
            Code::NoRulesForYear,
            name,
            why.to_string(),
        ))
    })?;
    let authority = report.authority.text.clone();
    if let Resolved::Unknown(help) = authorities.resolve(&authority, Some(period)) {
        return Err(Box::new(
            Problem::in_file(
                Code::UnknownAuthority,
                name,
                format!(
                    "the report's authority `{}` is not in the authorities table",
                    shown(&authority)
                ),
            )
            .with_help(
                help.unwrap_or_else(|| format!("the names come from {}", authorities.name())),
            ),
        ));
    }
    let mut grades = BTreeMap::new();
    let mut labels = BTreeMap::new();
    let mut pages = BTreeMap::new();
    let mut page_lines = BTreeMap::new();
    let mut lines = BTreeMap::new();
    let mut texts = BTreeMap::new();
    let mut skipped = Vec::new();
    let mut findings = Vec::new();
    let mut framework: Option<String> = None;
    let mut finding = |code: Code,
                       judgement: &str,
                       at_lines: Vec<usize>,
                       alternative: Option<i64>,
                       message: String| {
        findings.push(DocumentFinding {
            file: name.to_owned(),
            code,
            authority: authority.clone(),
            period,
            judgement: judgement.to_owned(),
            lines: at_lines,
            message,
            alternative,
        });
    };
    // The framework is the rule set that most table rows belong to.
    let mut votes: BTreeMap<String, usize> = BTreeMap::new();
    for row in &report.judgements {
        if let Some(in_force) =
            place(&rules, None, &row.name.text, row.row).and_then(|id| rules.judgement(&id))
        {
            *votes.entry(in_force.rule_set.clone()).or_default() += 1;
        }
    }
    let table_set = votes
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map(|(set, _)| set);
    let table_set = table_set.as_deref();
    let overall = table_set.and_then(|set| overall_of(&rules, set));
    // The table, and the statements that carry grades the table does not: the SIF's headline
    // (its overall judgement) and LSCB paragraph. Each row: printed name, the judgement it
    // means, where it is, the grade as printed, the grade.
    let mut rows: Vec<(String, Option<String>, &ratings_pdf::Line, String, Grade)> = report
        .judgements
        .iter()
        .map(|j| {
            (
                j.name.text.clone(),
                place(&rules, table_set, &j.name.text, j.row),
                &j.name,
                j.grade.text.clone(),
                j.level,
            )
        })
        .collect();
    if let (Some(headline), Some(overall)) = (&report.headline, &overall) {
        if !rows.iter().any(|row| row.1.as_ref() == Some(overall)) {
            rows.push((
                headline.judgement_words.clone(),
                Some(overall.clone()),
                &headline.line,
                headline.grade_words.clone(),
                headline.level,
            ));
        }
    }
    let lscb_id = place(&rules, table_set, RowKey::Lscb.name(), RowKey::Lscb);
    if let Some(lscb) = report.lscb() {
        rows.push((
            lscb.judgement_words.clone(),
            place(&rules, table_set, &lscb.judgement_words, RowKey::Lscb),
            &lscb.line,
            lscb.grade_words.clone(),
            lscb.level,
        ));
    }
    for (printed, placed, name_line, grade_printed, level) in rows {
        let line_number = at(name_line.page, name_line.line);
        if level == Grade::NotJudged {
            continue;
        }
        let Some(id) = placed else {
            let elsewhere = judgement_anywhere(book, &printed);
            let reason = match &elsewhere {
                Some(id) => format!("the table grades `{id}`, which the framework in force on {start} does not have"),
                None => format!("no judgement of the rules is printed `{}`", shown(&printed)),
            };
            if let Some(id) = &elsewhere {
                finding(
                    Code::JudgementMismatch,
                    id,
                    vec![line_number],
                    None,
                    reason.clone(),
                );
            }
            skipped.push(Skipped {
                line: line_number,
                text: format!("{printed}: {grade_printed}"),
                reason,
            });
            continue;
        };
        let Some(in_force) = rules.judgement(&id) else {
            continue;
        };
        framework.get_or_insert_with(|| in_force.rule_set.clone());
        let words = grade_words(level, &grade_printed);
        match resolve_grade(&in_force.scale, &WrittenValue::Text(words.clone())) {
            Ok(value) => {
                grades.insert(id.clone(), value.number);
                labels.insert(id.clone(), in_force.scale.values[value.rank].label.clone());
                pages.insert(id.clone(), name_line.page);
                page_lines.insert(id.clone(), name_line.line);
                lines.insert(id.clone(), line_number);
                texts.insert(id.clone(), format!("{printed}: {grade_printed}"));
            }
            Err(_) => skipped.push(Skipped {
                line: line_number,
                text: format!("{printed}: {grade_printed}"),
                reason: format!(
                    "`{}` is not on scale `{}` of `{id}`",
                    shown(&words),
                    in_force.scale.id
                ),
            }),
        }
    }
    // Every judgement of the framework the table belongs to should be in it; but the LSCB is
    // graded only by a review of the LSCB, which re-inspections and some inspections do not
    // have (the reader refuses a report whose title announces a review it does not grade).
    if let Some(rule_set) = &framework {
        for in_force in rules
            .judgements()
            .iter()
            .filter(|j| &j.rule_set == rule_set && !j.judgement.latent)
        {
            let id = &in_force.judgement.id;
            let not_judged = report.judgements.iter().any(|j| {
                j.level == Grade::NotJudged
                    && place(&rules, table_set, &j.name.text, j.row).as_deref() == Some(id)
            });
            let unreviewed_lscb = lscb_id.as_ref() == Some(id) && report.lscb().is_none();
            if !grades.contains_key(id)
                && !not_judged
                && !unreviewed_lscb
                && !skipped.iter().any(|s| s.reason.contains(id.as_str()))
            {
                finding(
                    Code::JudgementMismatch,
                    id,
                    Vec::new(),
                    None,
                    format!("the report grades no `{id}`, a judgement of `{rule_set}` in force on {start}"),
                );
            }
        }
    }
    // Statements of grades in the text against the table.
    let headline = report.headline.iter().map(|h| (h, overall.clone()));
    let statements = report.narrative.iter().filter_map(|s| match s.about {
        About::Row(RowKey::Lscb) | About::Headline => None,
        About::Row(row) => Some((s, place(&rules, table_set, &s.judgement_words, row))),
    });
    for (statement, id) in headline.chain(statements) {
        let Some(id) = id else { continue };
        let Some(&table) = grades.get(&id) else {
            continue;
        };
        let Some(in_force) = rules.judgement(&id) else {
            continue;
        };
        let words = grade_words(statement.level, &statement.grade_words);
        if let Ok(said) = resolve_grade(&in_force.scale, &WrittenValue::Text(words)) {
            if said.number != table {
                let said_line = at(statement.line.page, statement.line.line);
                finding(
                    Code::NarrativeMismatch,
                    &id,
                    vec![lines.get(&id).copied().unwrap_or(said_line), said_line],
                    Some(said.number),
                    format!(
                        "the text calls `{id}` {} on page {}, but the table gives {}",
                        in_force.scale.describe(said.number),
                        statement.line.page,
                        in_force.scale.describe(table)
                    ),
                );
            }
        }
    }
    let file = name.rsplit('/').next().unwrap_or(name);
    let document = if book.document(collection(report.layout)).is_some() {
        collection(report.layout).to_owned()
    } else {
        format!("{} ({})", report.title.text, escape(file))
    };
    let record = ExtractedRecord {
        authority: authority.clone(),
        date: Some(start.to_string()),
        published: report
            .publication_date
            .as_ref()
            .and_then(|(_, day)| {
                chrono::NaiveDate::from_ymd_opt(day.year, day.month.into(), day.day.into())
            })
            .map(|day| day.to_string()),
        year: i64::from(period.year()),
        framework,
        source: Source {
            document,
            locator: format!("{}, {}", escape(file), where_graded(&report, &pages)),
        },
        grades,
        labels,
        pages,
        page_lines,
        lines,
        texts,
        authority_span: source.line_span(at(report.authority.page, report.authority.line)),
    };
    let records = if record.grades.is_empty() {
        Vec::new()
    } else {
        vec![record]
    };
    if records.is_empty() && skipped.is_empty() {
        return Err(Box::new(Problem::in_file(
            Code::UnknownLayout,
            name,
            "no grade could be read from the report",
        )));
    }
    Ok(ReadReport {
        extraction: Extraction {
            records,
            skipped,
            findings,
        },
        text: source,
    })
}

/// Where the report's grades are: the page of its table ("page 24", or "pages 1 and 2" for a
/// table over two pages), then the page of a grade read elsewhere, the headline's or the
/// LSCB's ("page 1, LSCB page 20"). Lines are left out: the reader's lines of a PDF mean
/// nothing to someone holding the report (the record's `page_lines` has them).
fn where_graded(report: &ratings_pdf::Report, pages: &BTreeMap<String, u32>) -> String {
    let mut table: Vec<u32> = report.judgements.iter().map(|j| j.page).collect();
    table.dedup();
    let mut place = match table.as_slice() {
        [] => String::new(),
        [one] => format!("page {one}"),
        [first @ .., last] => format!(
            "pages {} and {last}",
            first
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let elsewhere = [
        ("headline", report.headline.as_ref()),
        ("LSCB", report.lscb()),
    ];
    for (what, statement) in elsewhere {
        let Some(statement) = statement else { continue };
        let page = statement.line.page;
        // Only a grade the record holds, read off the table's pages.
        if table.contains(&page) || !pages.values().any(|p| *p == page) {
            continue;
        }
        if !place.is_empty() {
            place.push_str(", ");
        }
        place.push_str(&format!("{what} page {page}"));
    }
    place
}

/// The one place a report's rows and statements are put on the rules in force: the judgement
/// whose title or alias the printed words are (compared without case, punctuation or spacing),
/// else the one whose title or alias is the row's usual name (a misprint such as "children care
/// leavers", or a statement worded in its own way). The table's rule set is preferred where the
/// rules in force have more than one. The reader's row keys are its own: only here do they meet
/// the rule book, and only through its words.
fn place(
    rules: &PeriodRules,
    table_set: Option<&str>,
    printed: &str,
    row: RowKey,
) -> Option<String> {
    let titled = |name: &str| -> Option<String> {
        let wanted = words(name);
        let mut matching = rules.judgements().iter().filter(|j| {
            std::iter::once(&j.judgement.title)
                .chain(&j.judgement.aliases)
                .any(|title| words(title) == wanted)
        });
        let first = matching.next()?;
        let preferred = std::iter::once(first)
            .chain(matching)
            .find(|j| table_set == Some(j.rule_set.as_str()))
            .unwrap_or(first);
        Some(preferred.judgement.id.clone())
    };
    titled(printed).or_else(|| titled(row.name()))
}

/// A judgement of any rule set that a printed name means, for messages.
fn judgement_anywhere(book: &RuleBook, printed: &str) -> Option<String> {
    let wanted = words(printed);
    book.rule_sets()
        .iter()
        .flat_map(|r| r.judgements.iter())
        .find(|j| {
            std::iter::once(&j.title)
                .chain(&j.aliases)
                .any(|name| words(name) == wanted)
        })
        .map(|j| j.id.clone())
}

/// The overall judgement of a rule set in force: the one titled or aliased "Overall
/// effectiveness".
fn overall_of(rules: &PeriodRules, rule_set: &str) -> Option<String> {
    rules
        .judgements()
        .iter()
        .filter(|j| j.rule_set == rule_set)
        .find(|j| {
            is_overall_words(&j.judgement.title)
                || j.judgement.aliases.iter().any(|a| is_overall_words(a))
        })
        .map(|j| j.judgement.id.clone())
}

fn is_overall_words(name: &str) -> bool {
    words(name) == "overall effectiveness"
}

/// The grade as words the scale knows: the printed words, or the reader's normalised grade
/// where the print has extra words.
fn grade_words(level: Grade, printed: &str) -> String {
    let printed = printed.trim().trim_end_matches(['.', ',', ';', ':']).trim();
    if !printed.is_empty() && printed.split_whitespace().count() <= 6 {
        return printed.to_owned();
    }
    match level {
        Grade::Outstanding => "outstanding",
        Grade::Good => "good",
        Grade::RequiresImprovement => "requires improvement",
        Grade::Adequate => "adequate",
        Grade::Inadequate => "inadequate",
        Grade::NotJudged => "not judged",
    }
    .to_owned()
}

/// Lower-case words, for comparing names: apostrophes kept, as in the rule book's titles.
fn words(text: &str) -> String {
    ratings_text::name_words(text, &['\''])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-page PDF in Helvetica (WinAnsi, widths near Arial's), each item drawn at (x, y) in
    /// its size, as the reports are laid out: enough for the reader, written here so that the
    /// test needs no report file.
    fn pdf(items: &[(f64, f64, f64, &str)]) -> Vec<u8> {
        let mut content = String::new();
        for (x, y, size, text) in items {
            let text: String = text
                .chars()
                .map(|c| match c {
                    '(' | ')' | '\\' => format!("\\{c}"),
                    '\u{2019}' => "\\222".to_owned(),
                    c => c.to_string(),
                })
                .collect();
            content.push_str(&format!("BT /F1 {size} Tf {x} {y} Td ({text}) Tj ET\n"));
        }
        let widths: Vec<&str> = (32..=255)
            .map(|c| if c == 32 { "250" } else { "450" })
            .collect();
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".to_owned(),
            format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len() + 1),
            format!("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /FirstChar 32 /LastChar 255 /Widths [{}] >>", widths.join(" ")),
        ];
        let mut out = b"%PDF-1.7\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
        }
        let xref = out.len();
        out.extend_from_slice(b"xref\n0 6\n0000000000 65535 f \n");
        for offset in offsets {
            out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!("trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
        );
        out
    }

    /// Page one of a SIF re-inspection report: no LSCB review.
    fn reinspection() -> Vec<u8> {
        pdf(&[
            (71.0, 760.0, 26.0, "Telford and Wrekin Council"),
            (
                71.0,
                735.0,
                14.0,
                "Re-inspection of services for children in need of help and",
            ),
            (
                71.0,
                718.0,
                14.0,
                "protection, children looked after and care leavers",
            ),
            (
                71.0,
                632.0,
                14.0,
                "Inspection date: 13 June 2017 to 7 July 2017",
            ),
            (71.0, 609.0, 14.0, "Report published: 26 August 2017"),
            (
                71.0,
                557.0,
                14.0,
                "Children\u{2019}s services in Telford and Wrekin are good",
            ),
            (
                71.0,
                513.0,
                12.0,
                "1. Children who need help and protection",
            ),
            (388.0, 513.0, 12.0, "Good"),
            (
                71.0,
                486.0,
                12.0,
                "2. Children looked after and achieving permanence",
            ),
            (388.0, 486.0, 12.0, "Good"),
            (119.0, 445.0, 12.0, "2.1 Adoption performance"),
            (388.0, 445.0, 12.0, "Good"),
            (
                119.0,
                418.0,
                12.0,
                "2.2 Experiences and progress of care leavers",
            ),
            (388.0, 418.0, 12.0, "Outstanding"),
            (
                71.0,
                391.0,
                12.0,
                "3. Leadership, management and governance",
            ),
            (388.0, 391.0, 12.0, "Good"),
        ])
    }

    #[test]
    fn a_report_without_an_lscb_review_is_read_without_the_lscb() {
        let Ok(book) = ratings_rules::book() else {
            panic!("the shipped rules load");
        };
        let read = read_pdf(
            "reinspection.pdf",
            &reinspection(),
            book,
            Authorities::builtin(),
        )
        .unwrap_or_else(|problem| panic!("{}", problem.render()));
        let extraction = read.extraction;
        assert!(
            extraction.findings.is_empty(),
            "{:?}",
            extraction
                .findings
                .iter()
                .map(|f| &f.message)
                .collect::<Vec<_>>()
        );
        assert!(extraction.skipped.is_empty());
        let record = &extraction.records[0];
        assert_eq!(record.grades.len(), 6, "{:?}", record.grades);
        assert!(!record.grades.contains_key("sif.lscb"));
        assert_eq!(record.grades.get("sif.overall_effectiveness"), Some(&3));
        assert_eq!(record.source.locator, "reinspection.pdf, page 1");
        assert_eq!(record.page_lines.get("sif.adoption"), Some(&9));
    }

    #[test]
    fn an_html_page_is_named_as_one() {
        let Ok(book) = ratings_rules::book() else {
            panic!("the shipped rules load");
        };
        let Err(problem) = read_pdf(
            "saved.pdf",
            b"<!DOCTYPE html><html></html>",
            book,
            Authorities::builtin(),
        ) else {
            panic!("an HTML page is no report");
        };
        assert_eq!(problem.code, Code::Unreadable);
        assert_eq!(
            problem.message,
            "an HTML page (a web page saved as the file), not a PDF"
        );
        assert!(problem
            .help
            .as_deref()
            .is_some_and(|h| h.starts_with("save the report's PDF itself")));
    }
}
