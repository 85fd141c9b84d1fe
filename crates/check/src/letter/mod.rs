//! Reading grades straight from published letters and council reports (plain text).
//!
//! The layouts read are those of the published documents: two-column grade tables with tabs,
//! "Grade N" under a section heading, `Children's services rating<TAB>Performs adequately (2)`
//! (also inside `<b>` tags), tables whose header and scale key sit on lines of their own, and
//! ratings stated in running text. Judgement names and grade words are the rule book's own:
//! each judgement's title and aliases, each scale's labels and aliases (`vocabulary`).
//!
//! Each grade is read with its line; a grade found but not placeable (an unknown judgement name,
//! a number off the scale, a year without the judgement) is skipped with a reason. Letters state
//! grades twice, as a number and in words, so the reader also reports where the two disagree.

use std::collections::BTreeMap;

use ratings_core::{escape, Code, Period, Problem, RuleBook, SourceText, LOCAL_AUTHORITIES};
use toml::Spanned;

use crate::assessment::DocumentFinding;
use crate::authority::Authorities;
use crate::record::{Record, Source, WrittenGrade, WrittenPeriod, WrittenValue};
use crate::ReadFile;

mod checks;
mod output;
mod statements;
mod vocabulary;

use checks::label_and_narrative;
pub use output::to_toml;
use statements::{Document, Kind, Statement};

/// What one document gave.
#[derive(Debug, Clone)]
pub struct Extraction {
    /// One record per authority and period the document grades.
    pub records: Vec<ExtractedRecord>,
    /// Grades found but not placed.
    pub skipped: Vec<Skipped>,
    /// Disagreements inside the document: `label-mismatch`, `narrative-mismatch`,
    /// `restated-grade-mismatch`.
    pub findings: Vec<DocumentFinding>,
}

/// The grades one document states about one authority in one year (a letter) or one
/// inspection (a report).
#[derive(Debug, Clone)]
pub struct ExtractedRecord {
    /// The authority as the document names it.
    pub authority: String,
    /// The inspection's first day, for a report.
    pub date: Option<String>,
    /// The day the report was published, where it says so.
    pub published: Option<String>,
    /// The year of the assessment.
    pub year: i64,
    /// The rule set whose judgements the document grades, for a report.
    pub framework: Option<String>,
    /// The document and the place in it.
    pub source: Source,
    /// Judgement id to the printed number on its scale.
    pub grades: BTreeMap<String, i64>,
    /// Judgement id to the scale's own words for the grade.
    pub labels: BTreeMap<String, String>,
    /// Judgement id to the page it was read from, for a report.
    pub pages: BTreeMap<String, u32>,
    /// The line each grade was first read from (of the document's text; for a report, of the
    /// text as the tool extracts it, pages in order: its positions, not a reader's).
    pub lines: BTreeMap<String, usize>,
    /// For a report, the line on its page each grade was read from, as the reader numbers a
    /// page's lines: with `pages`, the place a reader can find.
    pub page_lines: BTreeMap<String, u32>,
    /// The text of that line.
    pub texts: BTreeMap<String, String>,
    /// Where in the document the authority was named (byte span), for messages.
    pub authority_span: std::ops::Range<usize>,
}

/// A grade found but not placed.
#[derive(Debug, Clone)]
pub struct Skipped {
    /// The line of the document it was found on.
    pub line: usize,
    /// The text of that line.
    pub text: String,
    /// Why it was not placed.
    pub reason: String,
}

/// The message for a text in which nothing looks like a grade: found in a directory, such a
/// file is skipped rather than rejected.
pub const NO_GRADES: &str = "no grade could be found in the document";

/// Read every grade a document states. A document with no grade at all, or without a
/// recognisable authority, is an error naming the file.
pub fn extract(
    text: &SourceText,
    book: &RuleBook,
    authorities: &Authorities,
) -> Result<Extraction, Box<Problem>> {
    let body = text.text.trim_start_matches('\u{feff}');
    if body.trim().is_empty() {
        return Err(Box::new(Problem::in_file(
            Code::EmptyFile,
            &text.name,
            "the document is empty",
        )));
    }
    if body.contains('\0') {
        return Err(Box::new(Problem::in_file(
            Code::UnknownLayout,
            &text.name,
            "the document is binary, not text",
        )));
    }
    let document = Document::new(text, book);
    let mut statements = Vec::new();
    let mut skipped = Vec::new();
    document.read(book, &mut statements, &mut skipped);
    if statements.is_empty() {
        // Grade-like lines that could not be placed are not "no grade": the message says
        // which it is, and the help gives the first such line.
        let problem = match skipped.first() {
            None => Problem::in_file(Code::UnknownLayout, &text.name, NO_GRADES).with_help(
                "the reader knows the layouts of Ofsted's APA and rating letters and council reports about them; see docs/letters.md",
            ),
            Some(first) => Problem::in_file(
                Code::UnknownLayout,
                &text.name,
                format!(
                    "{} found in the document, but none could be placed on a judgement",
                    if skipped.len() == 1 {
                        "1 grade-like line was".to_owned()
                    } else {
                        format!("{} grade-like lines were", skipped.len())
                    }
                ),
            )
            .with_help(format!("the first, line {}: {}", first.line, first.reason)),
        };
        return Err(Box::new(problem));
    }
    let Some((authority, authority_span)) = document.authority(authorities) else {
        return Err(Box::new(Problem::in_file(Code::UnknownLayout, &text.name, "grades were found but no English local authority is named as addressee or subject")
            .with_help("the reader looks for a council name such as `Leeds City Council` in the address block or title")));
    };
    let mut findings = Vec::new();
    let records = group(
        book,
        &document,
        &authority,
        authority_span,
        statements,
        &mut findings,
    );
    Ok(Extraction {
        records,
        skipped,
        findings,
    })
}

/// The extraction as records for checking: spans point at the lines of the document, so a
/// rejected grade is reported in the letter itself.
pub fn to_read_file(text: &SourceText, extraction: &Extraction) -> ReadFile {
    let records = extraction
        .records
        .iter()
        .map(|record| {
            let first_line = record.lines.values().min().copied().unwrap_or(1);
            let line_span = |line: usize| text.line_span(line);
            Record {
                text: text.clone(),
                span: line_span(first_line),
                authority: Some(Spanned::new(
                    record.authority_span.clone(),
                    record.authority.clone(),
                )),
                provider: None,
                not_graded: None,
                period: Some(Spanned::new(
                    line_span(first_line),
                    match record
                        .date
                        .as_deref()
                        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                    {
                        Some(day) => WrittenPeriod::Date(day),
                        None => WrittenPeriod::Year(record.year),
                    },
                )),
                source: record.source.clone(),
                grades: record
                    .grades
                    .iter()
                    .map(|(judgement, value)| {
                        let span =
                            line_span(record.lines.get(judgement).copied().unwrap_or(first_line));
                        WrittenGrade {
                            judgement: Spanned::new(span.clone(), judgement.clone()),
                            value: Spanned::new(span, WrittenValue::Integer(*value)),
                        }
                    })
                    .collect(),
                problems: Vec::new(),
            }
        })
        .collect();
    // A grade found but not placed is a rejected record, so the counts say so.
    let mut records: Vec<Record> = records;
    for skipped in &extraction.skipped {
        let span = text.line_span(skipped.line);
        records.push(Record {
            text: text.clone(),
            span: span.clone(),
            authority: None,
            provider: None,
            not_graded: None,
            period: None,
            source: Source {
                document: text.name.clone(),
                locator: format!("line {}", skipped.line),
            },
            grades: Vec::new(),
            problems: vec![Problem::at(
                Code::UnplaceableGrade,
                text,
                span,
                format!("a grade was found but not placed: {}", skipped.reason),
            )],
        });
    }
    ReadFile {
        records,
        unreadable: None,
        document_findings: extraction.findings.clone(),
    }
}

/// Group statements into one record a year, and report disagreements.
fn group(
    book: &RuleBook,
    document: &Document<'_>,
    authority: &str,
    authority_span: std::ops::Range<usize>,
    statements: Vec<Statement>,
    findings: &mut Vec<DocumentFinding>,
) -> Vec<ExtractedRecord> {
    let mut by_year: BTreeMap<i64, Vec<Statement>> = BTreeMap::new();
    for statement in statements {
        by_year.entry(statement.year).or_default().push(statement);
    }
    let mut records = Vec::new();
    for (year, statements) in by_year {
        let mut grades = BTreeMap::new();
        let mut lines: BTreeMap<String, usize> = BTreeMap::new();
        let mut texts = BTreeMap::new();
        // Stated grades first, then restatements in running text, each in line order.
        let mut ordered = statements.clone();
        ordered.sort_by_key(|s| (s.kind == Kind::Running, s.line));
        for statement in &ordered {
            match grades.get(&statement.judgement) {
                None => {
                    grades.insert(statement.judgement.clone(), statement.value);
                    lines.insert(statement.judgement.clone(), statement.line);
                    texts.insert(
                        statement.judgement.clone(),
                        document.line(statement.line).to_owned(),
                    );
                }
                Some(&first) if first != statement.value => {
                    let first_line = lines[&statement.judgement];
                    findings.push(DocumentFinding {
                        file: document.source.name.clone(),
                        code: Code::RestatedGradeMismatch,
                        authority: authority.to_owned(),
                        period: Period::Year(i32::try_from(year).unwrap_or(0)),
                        judgement: statement.judgement.clone(),
                        lines: vec![first_line, statement.line],
                        message: format!(
                            "`{}` is stated as {first} on line {first_line} and as {} on line {}",
                            statement.judgement, statement.value, statement.line
                        ),
                        alternative: Some(statement.value),
                    });
                }
                Some(_) => {}
            }
        }
        let mut used: Vec<usize> = statements.iter().map(|s| s.line).collect();
        used.sort_unstable();
        used.dedup();
        let file = document
            .source
            .name
            .rsplit('/')
            .next()
            .unwrap_or(&document.source.name);
        // A letter the registry knows (by its file name) is named by its id, so that the rules
        // citing it see its records as circular; any other by its title and escaped file name.
        let document_name = match book
            .documents()
            .values()
            .find(|d| d.file.as_deref() == Some(file))
        {
            Some(registered) => registered.id.clone(),
            None if document.title.is_empty() => escape(file).into_owned(),
            None => format!("{} ({})", document.title, escape(file)),
        };
        let labels = grades
            .iter()
            .filter_map(|(id, value): (&String, &i64)| {
                let rules = book
                    .in_force(LOCAL_AUTHORITIES, Period::Year(i32::try_from(year).ok()?))
                    .ok()?;
                let label = rules.judgement(id)?.scale.by_number(*value)?.label.clone();
                Some((id.clone(), label))
            })
            .collect();
        records.push(ExtractedRecord {
            authority: authority.to_owned(),
            date: None,
            published: None,
            framework: None,
            labels,
            pages: BTreeMap::new(),
            page_lines: BTreeMap::new(),
            year,
            source: Source {
                document: document_name,
                locator: format!(
                    "{} {}",
                    if used.len() == 1 { "line" } else { "lines" },
                    ranges(&used)
                ),
            },
            grades,
            lines,
            texts,
            authority_span: authority_span.clone(),
        });
    }
    label_and_narrative(book, document, authority, &records, findings);
    records
}

/// `24-30, 38, 44`.
fn ranges(lines: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let start = lines[index];
        let mut end = start;
        while index + 1 < lines.len() && lines[index + 1] == end + 1 {
            index += 1;
            end = lines[index];
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
        index += 1;
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::statements::{is_scale_key, Framework};
    use super::vocabulary::Vocabulary;
    use super::*;

    #[test]
    fn names_match_by_meaning_in_the_words_of_the_rules() {
        let book = ratings_rules::book().expect("the shipped rules load");
        let words = Vocabulary::of(book);
        let cases = [
            ("Capacity to improve, including the management of services for children and young people", Framework::Apa, Some("apa.capacity_to_improve")),
            ("Capacity to improve, including the management of children's services", Framework::Apa, Some("apa.capacity_to_improve")),
            ("Achieving economic well-being", Framework::Apa, Some("apa.achieving_economic_wellbeing")),
            ("Overall effectiveness of children\u{2019}s services", Framework::Apa, Some("apa.overall_effectiveness")),
            ("Children's services", Framework::Apa, Some("apa.overall_effectiveness")),
            ("Learning difficulties and/or disabilities", Framework::Jar, Some("jar.learning_difficulties_and_disabilities")),
            ("Safeguarding", Framework::Jar, Some("jar.safeguarding")),
            ("Safeguarding", Framework::Rating, Some("slac.safeguarding")),
            ("Children's services rating", Framework::Rating, Some("rating.overall")),
            ("Children's services rating", Framework::Apa, Some("rating.overall")),
            ("Equal Opportunities", Framework::Apa, None),
        ];
        for (name, framework, expected) in cases {
            assert_eq!(
                words.judgement(name, framework),
                expected,
                "{name} ({framework:?})"
            );
        }
    }

    #[test]
    fn scale_keys_are_not_grades() {
        assert!(is_scale_key(
            "4: outstanding; 3: good; 2: adequate; 1: inadequate\t"
        ));
        assert!(is_scale_key("Inspectors make judgements based on the following scale 4: outstanding/excellent; 3: good; 2: adequate; 1: inadequate"));
        assert!(is_scale_key("4\tPerforms excellently\tAn organisation that significantly exceeds minimum requirements"));
        assert!(is_scale_key(
            "4Performs excellentlyAn organisation that significantly exceeds"
        ));
        assert!(!is_scale_key("Being healthy\t3"));
    }

    #[test]
    fn line_ranges_are_compact() {
        assert_eq!(ranges(&[20, 24, 25, 26, 30]), "20, 24-26, 30");
    }
}
