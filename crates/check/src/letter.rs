//! Reading grades straight from published letters and council reports (plain text).
//!
//! The layouts read are those of the published documents: two-column grade tables with tabs,
//! "Grade N" under a section heading, `Children's services rating<TAB>Performs adequately (2)`
//! (also inside `<b>` tags), tables whose header and scale key sit on lines of their own, and
//! ratings stated in running text. Judgement names are matched to judgement ids by the words
//! that carry their meaning, not by one exact string.
//!
//! Each grade is read with its line; a grade found but not placeable (an unknown judgement name,
//! a number off the scale, a year without the judgement) is skipped with a reason. Letters state
//! grades twice, as a number and in words, so the reader also reports where the two disagree.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use ratings_core::{escape, Code, Period, PeriodRules, Problem, RuleBook, SourceText};
use regex::Regex;
use serde::Serialize;

use crate::authority::Authorities;
use crate::checker::DocumentFinding;
use crate::record::{Record, Source, WrittenGrade, WrittenPeriod, WrittenValue};
use crate::ReadFile;
use toml::Spanned;

/// What one document gave.
#[derive(Debug, Clone, Serialize)]
pub struct Extraction {
    /// One record per authority and period the document grades.
    pub records: Vec<ExtractedRecord>,
    /// Grades found but not placed.
    pub skipped: Vec<Skipped>,
    /// Disagreements inside the document: `label-mismatch`, `narrative-mismatch`,
    /// `restated-grade-mismatch`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<DocumentFinding>,
}

/// The grades one document states about one authority in one year (a letter) or one
/// inspection (a report).
#[derive(Debug, Clone, Serialize)]
pub struct ExtractedRecord {
    /// The authority as the document names it.
    pub authority: String,
    /// The inspection's first day, for a report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The day the report was published, where it says so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// The year of the assessment.
    pub year: i64,
    /// The rule set whose judgements the document grades, for a report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub framework: Option<String>,
    /// The document and the place in it.
    pub source: Source,
    /// Judgement id to the printed number on its scale.
    pub grades: BTreeMap<String, i64>,
    /// Judgement id to the scale's own words for the grade.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Judgement id to the page it was read from, for a report.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub pages: BTreeMap<String, u32>,
    /// The line each grade was first read from (of the document's text; for a report, of the
    /// text as the tool extracts it, pages in order).
    pub lines: BTreeMap<String, usize>,
    /// The text of that line.
    #[serde(skip)]
    pub texts: BTreeMap<String, String>,
    /// Where in the document the authority was named (byte span), for messages.
    #[serde(skip)]
    pub authority_span: std::ops::Range<usize>,
}

/// A grade found but not placed.
#[derive(Debug, Clone, Serialize)]
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
    let document = Document::new(text);
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

/// Records as TOML that `ratings check` reads back, each grade commented with its line.
pub fn to_toml(file: &str, extraction: &Extraction) -> String {
    let mut out = format!("# Extracted by `ratings extract` from {}\n", escape(file));
    for record in &extraction.records {
        out.push_str("\n[[record]]\n");
        out.push_str(&format!("authority = {}\n", toml_string(&record.authority)));
        match &record.date {
            // A report's first day of inspection chooses between frameworks within a year.
            Some(date) => out.push_str(&format!("date = {date}\n")),
            None => out.push_str(&format!("year = {}\n", record.year)),
        }
        out.push_str(&format!(
            "source = {{ document = {}, locator = {} }}\n",
            toml_string(&record.source.document),
            toml_string(&record.source.locator)
        ));
        out.push_str("[record.grades]\n");
        for (judgement, value) in &record.grades {
            let line = record.lines.get(judgement).copied().unwrap_or(0);
            let text = record
                .texts
                .get(judgement)
                .map(|t| one_line(t))
                .unwrap_or_default();
            let place = match record.pages.get(judgement) {
                Some(page) => format!("page {page}, line {line}"),
                None => format!("line {line}"),
            };
            out.push_str(&format!(
                "{} = {value}  # {place}: {text}\n",
                toml_string(judgement)
            ));
        }
    }
    for skipped in &extraction.skipped {
        out.push_str(&format!(
            "# skipped line {}: {} ({})\n",
            skipped.line,
            one_line(&skipped.text),
            skipped.reason
        ));
    }
    out
}

/// Which framework a table or sentence is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framework {
    Apa,
    Jar,
    Rating,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A grade table row, a "Grade N" section or a rating line: the grade itself.
    Stated,
    /// A grade restated in running text.
    Running,
}

#[derive(Debug, Clone)]
struct Statement {
    line: usize,
    year: i64,
    judgement: String,
    value: i64,
    kind: Kind,
}

struct Document<'a> {
    source: &'a SourceText,
    /// Lines without HTML tags, markdown heading marks and surrounding spaces; index 0 is line 1.
    lines: Vec<String>,
    /// Byte offset where each line starts.
    starts: Vec<usize>,
    /// The year of the document's date ("9 December 2009").
    date_year: Option<i64>,
    /// The assessment year the title names ("... findings: 2008", "rating 2009").
    title_year: Option<i64>,
    framework: Framework,
    title: String,
}

const GRADE_WORDS: &str = "inadequate|adequate|satisfactory|good|outstanding|excellent";

fn regex(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| {
        Regex::new(pattern).unwrap_or_else(|error| panic!("pattern {pattern}: {error}"))
    })
}

impl<'a> Document<'a> {
    fn new(source: &'a SourceText) -> Self {
        static TAGS: OnceLock<Regex> = OnceLock::new();
        let tags = regex(&TAGS, r"<[^>]*>");
        let mut lines = Vec::new();
        let mut starts = Vec::new();
        let mut offset = 0;
        for raw in source.text.split_inclusive('\n') {
            starts.push(offset);
            offset += raw.len();
            let clean = tags.replace_all(raw.trim_end_matches(['\n', '\r']), "");
            let clean = clean
                .trim_start_matches('\u{feff}')
                .trim_start_matches('#')
                .trim_end();
            lines.push(
                clean
                    .trim_start_matches(' ')
                    .replace(['\u{2019}', '\u{2018}'], "'"),
            );
        }
        let date_year = lines.iter().take(30).find_map(|line| date_year(line));
        let title_line = lines.iter().take(40).position(|line| is_title(line));
        let title = title_line
            .map(|i| lines[i].trim().to_owned())
            .unwrap_or_default();
        let title_year = lines
            .iter()
            .take(40)
            .filter(|line| is_title(line))
            .find_map(|line| last_year(line));
        let head = lines
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        let framework = if head.contains("annual performance assessment") || head.contains("(apa)")
        {
            Framework::Apa
        } else if head.contains("rating") || head.contains("annual assessment") {
            Framework::Rating
        } else if head.contains("joint area review") {
            Framework::Jar
        } else {
            Framework::Apa
        };
        Document {
            source,
            lines,
            starts,
            date_year,
            title_year,
            framework,
            title,
        }
    }

    fn line(&self, number: usize) -> &str {
        self.lines
            .get(number.wrapping_sub(1))
            .map_or("", String::as_str)
    }

    /// The year a table or line belongs to: the nearest year in the lines just before it,
    /// else the title's year, else the date's.
    fn year_before(&self, line: usize) -> Option<i64> {
        (line.saturating_sub(6).max(1)..=line)
            .rev()
            .find_map(|n| last_year(self.line(n)))
            .or(self.title_year)
            .or(self.date_year)
    }

    /// The framework a table belongs to, from its header and the lines that introduce it.
    fn framework_before(&self, line: usize) -> Framework {
        for n in (line.saturating_sub(3).max(1)..=line).rev() {
            let text = self.line(n).to_lowercase();
            if text.contains("jar") || text.contains("joint area review") {
                return Framework::Jar;
            }
            if text.contains("apa") || text.contains("annual performance assessment") {
                return Framework::Apa;
            }
        }
        self.framework
    }

    /// The authority named as addressee (letters) or subject (council reports).
    fn authority(&self, authorities: &Authorities) -> Option<(String, std::ops::Range<usize>)> {
        static COUNCIL: OnceLock<Regex> = OnceLock::new();
        let council = regex(
            &COUNCIL,
            r"^\s+(?:(?:City|County|Metropolitan Borough|Borough|District)\s+)?Council\b",
        );
        // The head of the document, lines joined so that "Leicester\nCity Council" reads as one.
        let end = self
            .lines
            .iter()
            .position(|l| l.starts_with("Dear "))
            .unwrap_or(40.min(self.lines.len()));
        let head_end = self
            .starts
            .get(end)
            .copied()
            .unwrap_or(self.source.text.len());
        let head = &self.source.text[..head_end];
        let names = authorities.all_names();
        let mut best: Option<(usize, usize, String)> = None;
        for (name, _) in &names {
            for (position, _) in head.match_indices(name.as_str()) {
                let before_ok = head[..position]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric());
                let after = &head[position + name.len()..];
                if !before_ok || after.chars().next().is_some_and(char::is_alphanumeric) {
                    continue;
                }
                if let Some(found) = council.find(after) {
                    let end = position + name.len() + found.end();
                    if best.as_ref().is_none_or(|(start, _, _)| position < *start) {
                        best = Some((
                            position,
                            end,
                            head[position..end]
                                .split_whitespace()
                                .collect::<Vec<_>>()
                                .join(" "),
                        ));
                    }
                }
            }
        }
        if let Some((start, end, written)) = best {
            return Some((written, start..end));
        }
        // A report's subject: "The Ofsted Annual Assessment of Children's Services in Leeds".
        for (index, line) in self.lines.iter().take(40).enumerate() {
            if !(line.starts_with("Subject") || is_title(line)) {
                continue;
            }
            for (name, _) in &names {
                if let Some(position) = find_word(line, name) {
                    let start = self.starts[index]
                        + self.source.text[self.starts[index]..]
                            .find(line.as_str())
                            .unwrap_or(0)
                        + position;
                    return Some((name.clone(), start..start + name.len()));
                }
            }
        }
        None
    }

    fn read(&self, book: &RuleBook, statements: &mut Vec<Statement>, skipped: &mut Vec<Skipped>) {
        static ROW: OnceLock<Regex> = OnceLock::new();
        static RATING_ROW: OnceLock<Regex> = OnceLock::new();
        static GRADE: OnceLock<Regex> = OnceLock::new();
        let row = regex(&ROW, r"^([^\t\d][^\t]*?)\t+\s*(-?\d+(?:\.\d+)?)\s*$");
        let rating_row = regex(
            &RATING_ROW,
            r"^([^\t]+?)\t+\s*([A-Za-z][A-Za-z ]*?)\s*\((-?\d+)\)\s*$",
        );
        let grade = regex(&GRADE, r"^\s*Grade\s+(-?\d+)\s*$");
        let years: BTreeMap<i64, PeriodRules> = book
            .years()
            .into_iter()
            .filter_map(|y| {
                book.in_force(Period::Year(y))
                    .ok()
                    .map(|r| (i64::from(y), r))
            })
            .collect();
        let mut place = |line: usize,
                         year: Option<i64>,
                         name: &str,
                         framework: Framework,
                         number: &str,
                         kind: Kind| {
            let text = self.line(line).to_owned();
            let Some(year) = year else {
                skipped.push(Skipped {
                    line,
                    text,
                    reason: "no year can be found for this grade".to_owned(),
                });
                return;
            };
            let Some(judgement) = match_judgement(name, framework) else {
                skipped.push(Skipped {
                    line,
                    text,
                    reason: format!("no judgement of the rules matches `{}`", name.trim()),
                });
                return;
            };
            let Some(rules) = years.get(&year) else {
                skipped.push(Skipped {
                    line,
                    text,
                    reason: format!("no rule set covers {year}"),
                });
                return;
            };
            let Some(found) = rules.judgement(judgement) else {
                skipped.push(Skipped {
                    line,
                    text,
                    reason: format!("`{judgement}` is not a judgement of {year}"),
                });
                return;
            };
            let value = match number.parse::<i64>() {
                Ok(value) if found.scale.by_number(value).is_some() => value,
                _ => {
                    skipped.push(Skipped {
                        line,
                        text,
                        reason: format!(
                            "`{number}` is not on scale `{}` of `{judgement}`",
                            found.scale.id
                        ),
                    });
                    return;
                }
            };
            statements.push(Statement {
                line,
                year,
                judgement: judgement.to_owned(),
                value,
                kind,
            });
        };
        let mut table_start: Option<usize> = None;
        for number in 1..=self.lines.len() {
            let line = self.line(number);
            if is_scale_key(line) {
                table_start = None;
                continue;
            }
            if let Some(captures) = rating_row.captures(line) {
                let name = &captures[1];
                if match_judgement(name, Framework::Rating) == Some("rating.overall") {
                    place(
                        number,
                        self.year_before(number),
                        name,
                        Framework::Rating,
                        &captures[3],
                        Kind::Stated,
                    );
                    continue;
                }
            }
            if let Some(captures) = row.captures(line) {
                let start = *table_start.get_or_insert(number);
                let framework = self
                    .framework_before(start.saturating_sub(1).max(1))
                    .max_context(self.framework_before(start));
                place(
                    number,
                    self.year_before(start),
                    &captures[1],
                    framework,
                    &captures[2],
                    Kind::Stated,
                );
                continue;
            }
            if !line.trim().is_empty() && !line.starts_with('\t') {
                table_start = None;
            }
            if let Some(captures) = grade.captures(line) {
                let heading = (1..number)
                    .rev()
                    .map(|n| self.line(n))
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or("");
                place(
                    number,
                    self.title_year.or(self.date_year),
                    heading,
                    self.framework,
                    &captures[1],
                    Kind::Stated,
                );
                continue;
            }
            for (sentence_year, judgement_name, framework, word) in
                running_text(line, self.date_year, self.title_year)
            {
                let Some(value) = word_value(&word, framework) else {
                    continue;
                };
                place(
                    number,
                    sentence_year,
                    &judgement_name,
                    framework,
                    &value.to_string(),
                    Kind::Running,
                );
            }
        }
    }
}

impl Framework {
    /// A table's own header names its framework more surely than the line before it.
    fn max_context(self, header: Framework) -> Framework {
        if header == Framework::Jar || header == Framework::Apa {
            header
        } else {
            self
        }
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
                    .in_force(Period::Year(i32::try_from(year).ok()?))
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
    label_and_narrative(document, authority, &records, findings);
    records
}

/// Numbers beside labels ("Performs well (2)") and grade words in a judgement's own paragraph.
fn label_and_narrative(
    document: &Document<'_>,
    authority: &str,
    records: &[ExtractedRecord],
    findings: &mut Vec<DocumentFinding>,
) {
    static RATING_ROW: OnceLock<Regex> = OnceLock::new();
    static PERFORM: OnceLock<Regex> = OnceLock::new();
    static ASPECT: OnceLock<Regex> = OnceLock::new();
    let rating_row = regex(
        &RATING_ROW,
        r"^([^\t]+?)\t+\s*([A-Za-z][A-Za-z ]*?)\s*\((-?\d+)\)\s*$",
    );
    let perform = regex(
        &PERFORM,
        r"(?i)\bperforms?\s+(poorly|adequately|well|excellently)\b",
    );
    let aspect = regex(
        &ASPECT,
        &format!(r"(?i)\bis\s+(?:also\s+)?({GRADE_WORDS})\b"),
    );
    for record in records {
        for (judgement, &line) in &record.lines {
            let text = document.line(line);
            let kept = record.grades[judgement];
            // The other grade stated, where it differs from the one the record carries.
            let mut push = |code: Code, lines: Vec<usize>, said: i64, message: String| {
                findings.push(DocumentFinding {
                    file: document.source.name.clone(),
                    code,
                    authority: authority.to_owned(),
                    period: Period::Year(i32::try_from(record.year).unwrap_or(0)),
                    judgement: judgement.clone(),
                    lines,
                    message,
                    alternative: (said != kept).then_some(said),
                });
            };
            if let Some(captures) = rating_row.captures(text) {
                if let (Some(said), Ok(number)) = (
                    word_value(&captures[2], Framework::Rating),
                    captures[3].parse::<i64>(),
                ) {
                    if said != number {
                        push(Code::LabelMismatch, vec![line], said, format!("line {line} gives `{judgement}` the number {number} beside the label `{}`, which is {said}", captures[2].trim()));
                    }
                }
                // The rating's narrative: "Children's services in Leeds City Council perform poorly."
                if let Some((other, word)) = next_lines(document, line, 6)
                    .find_map(|(n, l)| perform.captures(l).map(|c| (n, c[1].to_owned())))
                {
                    if let Some(said) = word_value(&format!("performs {word}"), Framework::Rating) {
                        if said != record.grades[judgement] {
                            push(Code::NarrativeMismatch, vec![line, other], said, format!("line {other} says services perform {word} ({said}), but line {line} gives `{judgement}` {}", record.grades[judgement]));
                        }
                    }
                }
            }
            // "Grade 3" sections: the first paragraph after it says "... in this aspect is good".
            let section = section_grade_line(document, judgement);
            if text.trim().starts_with("Grade") || section.is_some() {
                let grade_line = section.unwrap_or(line);
                if let Some((other, word)) = next_lines(document, grade_line, 4)
                    .find_map(|(n, l)| aspect.captures(l).map(|c| (n, c[1].to_owned())))
                {
                    if let Some(said) = word_value(&word, Framework::Apa) {
                        let stated =
                            section_value(document, grade_line).unwrap_or(record.grades[judgement]);
                        if said != stated {
                            push(Code::NarrativeMismatch, vec![grade_line, other], said, format!("line {other} calls `{judgement}` {word} ({said}), but line {grade_line} gives Grade {stated}"));
                        }
                    }
                }
            }
        }
    }
}

/// The "Grade N" line under the heading that names this judgement.
fn section_grade_line(document: &Document<'_>, judgement: &str) -> Option<usize> {
    (1..=document.lines.len()).find(|&n| {
        document.line(n).trim().starts_with("Grade ")
            && section_value(document, n).is_some()
            && (1..n)
                .rev()
                .map(|m| document.line(m))
                .find(|l| !l.trim().is_empty())
                .and_then(|heading| match_judgement(heading, document.framework))
                == Some(judgement)
    })
}

fn section_value(document: &Document<'_>, line: usize) -> Option<i64> {
    document
        .line(line)
        .trim()
        .strip_prefix("Grade")?
        .trim()
        .parse()
        .ok()
}

fn next_lines<'d>(
    document: &'d Document<'_>,
    after: usize,
    count: usize,
) -> impl Iterator<Item = (usize, &'d str)> {
    (after + 1..=document.lines.len())
        .map(move |n| (n, document.line(n)))
        .filter(|(_, l)| !l.trim().is_empty())
        .take(count)
}

/// Grades stated in running text: (year, judgement name, framework, grade word).
fn running_text(
    line: &str,
    date_year: Option<i64>,
    title_year: Option<i64>,
) -> Vec<(Option<i64>, String, Framework, String)> {
    static RATED: OnceLock<Regex> = OnceLock::new();
    static APA: OnceLock<Regex> = OnceLock::new();
    static JAR: OnceLock<Regex> = OnceLock::new();
    static YEAR_AFTER: OnceLock<Regex> = OnceLock::new();
    static YEAR_WHEN: OnceLock<Regex> = OnceLock::new();
    let rated = regex(
        &RATED,
        r#"(?i)\b(?:assessed|rated|judged)\s+(?:as\s+)?['"]?((?:performing|performs)\s+(?:poorly|adequately|well|excellently))"#,
    );
    let apa = regex(
        &APA,
        &format!(
            r"(?i)\b({GRADE_WORDS})\s+(performing\s+(?:council|authority)|capacity\s+to\s+improve)"
        ),
    );
    let jar = regex(
        &JAR,
        &format!(
            r"(?i)joint area review[^.]*?\b(20\d\d)\b[^.]*?\b({GRADE_WORDS})\s+provision\s+for\s+([a-z ,]+)"
        ),
    );
    let year_after = regex(&YEAR_AFTER, r"^[^.]{0,60}?\bin\s+(20\d\d)\b");
    let year_when = regex(&YEAR_WHEN, r"(?i)\b(20\d\d)\s+when\b[^.]*$");
    let mut found = Vec::new();
    for sentence in sentences(line) {
        for captures in rated.captures_iter(sentence) {
            let (Some(whole), Some(phrase)) = (captures.get(0), captures.get(1)) else {
                continue;
            };
            let before = &sentence[..whole.start()];
            let after = &sentence[whole.end()..];
            let year = year_after
                .captures(after)
                .and_then(|c| c[1].parse().ok())
                .or_else(|| year_when.captures(before).and_then(|c| c[1].parse().ok()))
                .or_else(|| {
                    before
                        .to_lowercase()
                        .contains("this year")
                        .then_some(date_year)
                        .flatten()
                })
                .or(date_year);
            found.push((
                year,
                "children's services rating".to_owned(),
                Framework::Rating,
                phrase.as_str().to_owned(),
            ));
        }
        let lower = sentence.to_lowercase();
        if lower.contains("apa") {
            let year = last_year(sentence).or(title_year);
            for captures in apa.captures_iter(sentence) {
                let name = if captures[2].to_lowercase().starts_with("capacity") {
                    "capacity to improve"
                } else {
                    "overall effectiveness"
                };
                found.push((
                    year,
                    name.to_owned(),
                    Framework::Apa,
                    captures[1].to_owned(),
                ));
            }
        }
        if let Some(captures) = jar.captures(sentence) {
            let year = captures[1].parse().ok();
            for name in captures[3].split(',').flat_map(|part| part.split(" and ")) {
                let name = name.trim();
                if !name.is_empty() {
                    found.push((
                        year,
                        name.to_owned(),
                        Framework::Jar,
                        captures[2].to_owned(),
                    ));
                }
            }
        }
    }
    found
}

/// Split a line into sentences at ". " (keeping decimals and "St." rare cases whole enough).
fn sentences(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = line.as_bytes();
    for (index, &byte) in bytes.iter().enumerate() {
        if byte == b'.' && bytes.get(index + 1) == Some(&b' ') {
            out.push(&line[start..=index]);
            start = index + 2;
        }
    }
    if start < line.len() {
        out.push(&line[start..]);
    }
    out
}

fn match_judgement(name: &str, framework: Framework) -> Option<&'static str> {
    let text = name
        .to_lowercase()
        .replace('\u{2019}', "'")
        .replace("well-being", "wellbeing")
        .replace("well being", "wellbeing")
        .replace('&', "and");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let has = |words: &str| text.contains(words);
    let outcome = |apa: &'static str, jar: &'static str| match framework {
        Framework::Jar => Some(jar),
        _ => Some(apa),
    };
    if has("rating")
        || (framework == Framework::Rating
            && (has("annual assessment") || has("children's services")))
    {
        return Some("rating.overall");
    }
    if has("capacity to improve") {
        return outcome("apa.capacity_to_improve", "jar.capacity_to_improve");
    }
    if has("overall effectiveness")
        || (framework == Framework::Apa
            && (text == "children's services" || has("children's services overall")))
    {
        return Some("apa.overall_effectiveness");
    }
    if has("being healthy") {
        return outcome("apa.being_healthy", "jar.being_healthy");
    }
    if has("staying safe") {
        return outcome("apa.staying_safe", "jar.staying_safe");
    }
    if has("enjoying and achieving") {
        return outcome("apa.enjoying_and_achieving", "jar.enjoying_and_achieving");
    }
    if has("positive contribution") {
        return outcome(
            "apa.making_a_positive_contribution",
            "jar.making_a_positive_contribution",
        );
    }
    if has("economic wellbeing") {
        return outcome(
            "apa.achieving_economic_wellbeing",
            "jar.achieving_economic_wellbeing",
        );
    }
    if has("learning difficulties") {
        return Some("jar.learning_difficulties_and_disabilities");
    }
    if has("service management") || has("management of services") {
        return Some("jar.service_management");
    }
    if has("looked after children") {
        return match framework {
            Framework::Rating => Some("slac.looked_after_children"),
            _ => Some("jar.looked_after_children"),
        };
    }
    if has("safeguarding") {
        return match framework {
            Framework::Rating => Some("slac.safeguarding"),
            _ => Some("jar.safeguarding"),
        };
    }
    if framework == Framework::Apa && (text == "education" || has("education overall")) {
        return Some("apa.education");
    }
    if framework == Framework::Apa && has("social care") {
        return Some("apa.social_care");
    }
    None
}

/// The number a grade word or rating phrase stands for.
fn word_value(word: &str, framework: Framework) -> Option<i64> {
    let word = word.trim().trim_matches(['\'', '"']).to_lowercase();
    let word = word.split_whitespace().collect::<Vec<_>>().join(" ");
    if framework == Framework::Rating || word.starts_with("perform") {
        let level = word.rsplit(' ').next()?;
        return match level {
            "poorly" => Some(1),
            "adequately" => Some(2),
            "well" => Some(3),
            "excellently" => Some(4),
            _ => None,
        };
    }
    match word.as_str() {
        "inadequate" => Some(1),
        "adequate" | "satisfactory" => Some(2),
        "good" => Some(3),
        "outstanding" | "excellent" => Some(4),
        _ => None,
    }
}

/// A line that lists a scale rather than grades: "4: outstanding; 3: good; ...",
/// "4<TAB>Performs excellently<TAB>An organisation that ...", "4Performs excellently...".
fn is_scale_key(line: &str) -> bool {
    static KEY: OnceLock<Regex> = OnceLock::new();
    static NUMBERED: OnceLock<Regex> = OnceLock::new();
    let key = regex(&KEY, &format!(r"(?i)\b[1-4]\s*:\s*({GRADE_WORDS})"));
    let numbered = regex(&NUMBERED, r"(?i)^\s*[0-4]\s*\t?\s*performs\s");
    key.find_iter(line).count() >= 2 || numbered.is_match(line)
}

fn is_title(line: &str) -> bool {
    static TITLE: OnceLock<Regex> = OnceLock::new();
    let title = regex(
        &TITLE,
        r"(?i)(annual performance assessment|\bAPA\b|children's services (?:annual )?rating|annual assessment|joint area review)",
    );
    line.len() < 200 && title.is_match(line) && !line.contains('\t')
}

fn date_year(line: &str) -> Option<i64> {
    static DATE: OnceLock<Regex> = OnceLock::new();
    let date = regex(
        &DATE,
        r"(?i)\b\d{1,2}(?:st|nd|rd|th)?\s+(?:january|february|march|april|may|june|july|august|september|october|november|december)\s+(20\d\d)\b",
    );
    date.captures(line).and_then(|c| c[1].parse().ok())
}

fn last_year(line: &str) -> Option<i64> {
    static YEAR: OnceLock<Regex> = OnceLock::new();
    let year = regex(&YEAR, r"\b(20[01]\d)\b");
    year.captures_iter(line)
        .filter_map(|c| c[1].parse().ok())
        .last()
}

fn find_word(line: &str, word: &str) -> Option<usize> {
    line.match_indices(word).map(|(i, _)| i).find(|&i| {
        let before = line[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after = line[i + word.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        before && after
    })
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

fn one_line(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let flat = flat.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 120 {
        format!("{}...", flat.chars().take(117).collect::<String>())
    } else {
        flat
    }
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_by_meaning() {
        assert_eq!(match_judgement("Capacity to improve, including the management of services for children and young people", Framework::Apa), Some("apa.capacity_to_improve"));
        assert_eq!(
            match_judgement(
                "Capacity to improve, including the management of children's services",
                Framework::Apa
            ),
            Some("apa.capacity_to_improve")
        );
        assert_eq!(
            match_judgement("Achieving economic well-being", Framework::Apa),
            Some("apa.achieving_economic_wellbeing")
        );
        assert_eq!(
            match_judgement(
                "Overall effectiveness of children\u{2019}s services",
                Framework::Apa
            ),
            Some("apa.overall_effectiveness")
        );
        assert_eq!(
            match_judgement("Learning difficulties and/or disabilities", Framework::Jar),
            Some("jar.learning_difficulties_and_disabilities")
        );
        assert_eq!(
            match_judgement("Safeguarding", Framework::Jar),
            Some("jar.safeguarding")
        );
        assert_eq!(
            match_judgement("Children's services rating", Framework::Rating),
            Some("rating.overall")
        );
        assert_eq!(match_judgement("Equal Opportunities", Framework::Apa), None);
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
