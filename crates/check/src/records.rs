//! Published grade records: reading them from TOML and CSV texts, and validating them against
//! a rule book. A record is what one source published about one authority in one year.
//!
//! Reading never stops at the first bad record: every record is either returned or rejected
//! with a [`Problem`] that names its file, line and column.

use std::collections::BTreeMap;
use std::ops::Range;

use ratings_core::diagnostic::did_you_mean;
use ratings_core::{Problem, RuleBook, SourceText, YearRules};
use serde::{Deserialize, Serialize};
use toml::Spanned;

use std::sync::Arc;

use crate::authority::{Authorities, Authority};

/// Where a record came from: the document and the place in it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Source {
    pub document: String,
    pub locator: String,
}

/// A record as read, before it is checked against the rules.
#[derive(Debug, Clone)]
pub struct Record {
    pub text: SourceText,
    /// The span of the whole record (a TOML table, a CSV row).
    pub span: Range<usize>,
    pub authority: Option<Spanned<String>>,
    pub year: Option<Spanned<toml::Value>>,
    pub source: Source,
    pub grades: Vec<WrittenGrade>,
    /// Problems found while reading that make the record unusable.
    pub problems: Vec<Problem>,
}

/// One grade as written: a judgement name and a value (a number or a label).
#[derive(Debug, Clone)]
pub struct WrittenGrade {
    pub judgement: Spanned<String>,
    pub value: Spanned<toml::Value>,
}

/// What reading one file gave.
#[derive(Debug, Default)]
pub struct ReadFile {
    pub records: Vec<Record>,
    /// Problems with the file as a whole; when set, `records` is empty.
    pub unreadable: Option<Problem>,
    /// Disagreements inside a letter (a number beside the wrong label, and the like).
    pub document_findings: Vec<crate::letter::DocumentFinding>,
}

/// A record that passed validation: canonical authority, a year with rules, known judgements
/// and values on their scales.
#[derive(Debug, Clone)]
pub struct ValidRecord {
    pub authority: Arc<Authority>,
    pub year: i64,
    pub source: Source,
    pub file: String,
    pub line: usize,
    pub grades: Vec<ValidGrade>,
}

#[derive(Debug, Clone)]
pub struct ValidGrade {
    pub judgement: String,
    pub value: i64,
    pub line: usize,
    pub column: usize,
}

/// The CSV header records must have.
pub const CSV_COLUMNS: [&str; 6] = [
    "authority",
    "year",
    "judgement",
    "grade",
    "source",
    "locator",
];

/// Read the `[[record]]` tables of a TOML text.
pub fn read_toml(text: &SourceText) -> ReadFile {
    if let Some(problem) = empty(text) {
        return ReadFile {
            document_findings: Vec::new(),
            records: Vec::new(),
            unreadable: Some(problem),
        };
    }
    let raw: RawFile = match toml::from_str(&text.text) {
        Ok(raw) => raw,
        Err(error) => {
            let message = error
                .message()
                .lines()
                .next()
                .unwrap_or("")
                .trim_end_matches('.')
                .to_owned();
            let problem = Problem::at("invalid-record-file", text, error.span().unwrap_or(0..0), message)
                .with_help("a record file is `[[record]]` tables with `authority`, `year`, `source = { document, locator }` and `[record.grades]`");
            return ReadFile {
                document_findings: Vec::new(),
                records: Vec::new(),
                unreadable: Some(problem),
            };
        }
    };
    if raw.record.is_empty() {
        let problem = Problem::in_file(
            "no-records",
            &text.name,
            "the file holds no `[[record]]` tables",
        )
        .with_help("a record file is `[[record]]` tables; see docs/records.md");
        return ReadFile {
            document_findings: Vec::new(),
            records: Vec::new(),
            unreadable: Some(problem),
        };
    }
    let records = raw
        .record
        .into_iter()
        .map(|spanned| {
            let span = spanned.span();
            let raw = spanned.into_inner();
            let mut problems = Vec::new();
            let source = match raw.source {
                Some(source) => Source {
                    document: source.document,
                    locator: source.locator,
                },
                None => {
                    problems.push(
                        Problem::at(
                            "missing-key",
                            text,
                            header_span(&text.text, &span),
                            "the record has no `source`",
                        )
                        .with_help("write `source = { document = \"...\", locator = \"...\" }`"),
                    );
                    Source {
                        document: String::new(),
                        locator: String::new(),
                    }
                }
            };
            let grades = match raw.grades {
                Some(grades) => grades
                    .into_iter()
                    .map(|(judgement, value)| WrittenGrade { judgement, value })
                    .collect(),
                None => Vec::new(),
            };
            Record {
                text: text.clone(),
                span,
                authority: raw.authority,
                year: raw.year,
                source,
                grades,
                problems,
            }
        })
        .collect();
    ReadFile {
        document_findings: Vec::new(),
        records,
        unreadable: None,
    }
}

/// Read a CSV text with the header `authority,year,judgement,grade,source,locator`; each row is
/// one record of one grade.
pub fn read_csv(text: &SourceText) -> ReadFile {
    let mut records = Vec::new();
    let unreadable = read_csv_each(text, &mut |record| records.push(record));
    ReadFile {
        records,
        unreadable,
        document_findings: Vec::new(),
    }
}

/// Where CSV rows go as they are read.
pub trait RowSink {
    /// Take a row with the right number of fields straight from its fields (trimmed by the
    /// taker), without building a record; return `false` to have the record built and passed to
    /// [`RowSink::record`] instead. Only the happy path may be taken here: anything a record
    /// would be rejected for must return `false`, so that the problem is reported one way.
    fn row(&mut self, _fields: &csv::StringRecord, _line: usize, _line_text: &str) -> bool {
        false
    }

    fn record(&mut self, record: Record);
}

impl<F: FnMut(Record)> RowSink for F {
    fn record(&mut self, record: Record) {
        self(record);
    }
}

/// Read a CSV text row by row, handing each to `sink` as it is read (so a large file is never
/// held as records); returns the problem when the file as a whole cannot be read.
pub fn read_csv_each(text: &SourceText, sink: &mut dyn RowSink) -> Option<Problem> {
    if let Some(problem) = empty(text) {
        return Some(problem);
    }
    let body = text.text.strip_prefix('\u{feff}').unwrap_or(&text.text);
    let bom = text.text.len() - body.len();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(body.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(header) => header.iter().map(|h| h.trim().to_lowercase()).collect(),
        Err(error) => {
            return Some(Problem::at(
                "invalid-csv",
                text,
                text.line_span(1),
                format!("cannot read the CSV header: {error}"),
            ))
        }
    };
    let expected = CSV_COLUMNS.join(",");
    if header != CSV_COLUMNS {
        let missing: Vec<&str> = CSV_COLUMNS
            .iter()
            .copied()
            .filter(|c| !header.iter().any(|h| h == c))
            .collect();
        let extra: Vec<&str> = header
            .iter()
            .map(String::as_str)
            .filter(|h| !CSV_COLUMNS.contains(h))
            .collect();
        let mut parts = Vec::new();
        if !missing.is_empty() {
            parts.push(format!("missing {}", quoted(&missing)));
        }
        if !extra.is_empty() {
            parts.push(format!("unexpected {}", quoted(&extra)));
        }
        if parts.is_empty() {
            parts.push("the columns are out of order".to_owned());
        }
        let problem = Problem::at(
            "invalid-csv",
            text,
            text.line_span(1),
            format!("the CSV header is wrong: {}", parts.join("; ")),
        )
        .with_help(format!("the header must be `{expected}`"));
        return Some(problem);
    }
    let mut rows = 0usize;
    // Lines are counted as the rows go by, so the happy path never builds a line index.
    let (mut counted_to, mut counted_line) = (0usize, 1usize);
    for row in reader.records() {
        match row {
            Err(error) => {
                let line = error
                    .position()
                    .map_or(1, |p| text.line_column(p.byte() as usize + bom).0);
                let span = text.line_span(line);
                let mut record = blank_record(text, span.clone());
                record.problems.push(Problem::at(
                    "invalid-csv",
                    text,
                    span,
                    format!("cannot read the row: {}", csv_error_text(&error)),
                ));
                rows += 1;
                sink.record(record);
            }
            Ok(row) => {
                // csv's own line count drifts on CRLF; the byte offset does not.
                // After a CRLF, csv reports the record as starting at the `\n`; skip line ends.
                let mut start = row.position().map_or(0, |p| p.byte() as usize) + bom;
                while text.text[start..].starts_with(['\r', '\n']) {
                    start += 1;
                }
                if start >= counted_to {
                    counted_line += text.text.as_bytes()[counted_to..start]
                        .iter()
                        .filter(|&&b| b == b'\n')
                        .count();
                    counted_to = start;
                } else {
                    counted_line = text.line_column(start).0;
                    counted_to = start;
                }
                let line = counted_line;
                let line_end = text.text[start..]
                    .find('\n')
                    .map_or(text.text.len(), |i| start + i);
                let line_text_span =
                    start..start + text.text[start..line_end].trim_end_matches('\r').len();
                let line_text = &text.text[line_text_span.clone()];
                rows += 1;
                if row.len() == CSV_COLUMNS.len() && sink.row(&row, line, line_text) {
                    continue;
                }
                let field_span = |index: usize| -> Range<usize> {
                    let (offset, length) = field_offset(line_text, index);
                    let at = line_text_span.start + offset;
                    at..at + length
                };
                let span = start..line_text_span.end.max(start);
                let mut record = blank_record(text, span.clone());
                if row.len() != CSV_COLUMNS.len() {
                    record.problems.push(
                        Problem::at(
                            "invalid-csv",
                            text,
                            line_text_span.clone(),
                            format!(
                                "the row has {} fields, not the {} of the header",
                                row.len(),
                                CSV_COLUMNS.len()
                            ),
                        )
                        .with_help(format!(
                            "the header is `{expected}`; quote fields that hold commas"
                        )),
                    );
                    sink.record(record);
                    continue;
                }
                let field = |index: usize| row.get(index).unwrap_or("").trim().to_owned();
                record.authority = Some(Spanned::new(field_span(0), field(0)));
                record.year = Some(Spanned::new(field_span(1), csv_value(&field(1))));
                record.grades.push(WrittenGrade {
                    judgement: Spanned::new(field_span(2), field(2)),
                    value: Spanned::new(field_span(3), csv_value(&field(3))),
                });
                record.source = Source {
                    document: field(4),
                    locator: field(5),
                };
                sink.record(record);
            }
        }
    }
    if rows == 0 {
        return Some(Problem::in_file(
            "no-records",
            &text.name,
            "the CSV file has a header but no rows",
        ));
    }
    None
}

/// Check a record against the rules: a known authority, a year with rules, known judgements and
/// grades on their scales. Every problem is returned, not just the first.
pub fn validate(
    record: &Record,
    book: &RuleBook,
    years: &BTreeMap<i64, YearRules>,
    authorities: &Authorities,
) -> Result<ValidRecord, Vec<Problem>> {
    let text = &record.text;
    if !record.problems.is_empty() {
        // The record could not be read whole; what is missing from it follows from that.
        return Err(record.problems.clone());
    }
    let mut problems = Vec::new();
    let header = header_span(&text.text, &record.span);
    let authority = match &record.authority {
        None => {
            problems.push(Problem::at(
                "missing-key",
                text,
                header.clone(),
                "the record has no `authority`",
            ));
            None
        }
        Some(written) if written.get_ref().trim().is_empty() => {
            problems.push(Problem::at(
                "missing-key",
                text,
                written.span(),
                "the record's `authority` is empty",
            ));
            None
        }
        Some(written) => match authorities.resolve(written.get_ref()) {
            Ok(found) => Some(found.clone()),
            Err(suggestion) => {
                let mut problem = Problem::at(
                    "unknown-authority",
                    text,
                    written.span(),
                    format!(
                        "`{}` is not an authority in the authorities table",
                        written.get_ref()
                    ),
                );
                problem = problem.with_help(suggestion.unwrap_or_else(|| {
                    "the names come from crates/check/data/authorities.csv".to_owned()
                }));
                problems.push(problem);
                None
            }
        },
    };
    let year = match &record.year {
        None => {
            problems.push(Problem::at(
                "missing-key",
                text,
                header.clone(),
                "the record has no `year`",
            ));
            None
        }
        Some(value) => match value.get_ref() {
            toml::Value::Integer(year) => match years.get(year) {
                Some(rules) => Some(rules),
                None => {
                    problems.push(
                        Problem::at(
                            "no-rules-for-year",
                            text,
                            value.span(),
                            no_rules_message(book, *year),
                        )
                        .with_help(no_rules_help(*year)),
                    );
                    None
                }
            },
            other => {
                problems.push(Problem::at(
                    "invalid-value",
                    text,
                    value.span(),
                    format!(
                        "the year must be a whole number, not {}",
                        describe_value(other)
                    ),
                ));
                None
            }
        },
    };
    if record.grades.is_empty() {
        problems.push(
            Problem::at("no-grades", text, header, "the record gives no grades")
                .with_help("add a `[record.grades]` table"),
        );
    }
    let mut grades = Vec::new();
    if let Some(rules) = year {
        for grade in &record.grades {
            match grade_value(grade, rules, text) {
                Ok(value) => {
                    let (line, column) = text.line_column(grade.judgement.span().start);
                    grades.push(ValidGrade {
                        judgement: grade.judgement.get_ref().clone(),
                        value,
                        line,
                        column,
                    });
                }
                Err(problem) => problems.push(problem),
            }
        }
    }
    if record.source.document.trim().is_empty() {
        problems.push(Problem::at(
            "missing-key",
            text,
            header_span(&text.text, &record.span),
            "the record's source document is empty",
        ));
    }
    match (authority, year, problems.is_empty()) {
        (Some(authority), Some(rules), true) => {
            let (line, _) = text.line_column(record.span.start);
            Ok(ValidRecord {
                authority,
                year: rules.year,
                source: record.source.clone(),
                file: text.name.clone(),
                line,
                grades,
            })
        }
        _ => Err(problems),
    }
}

/// "no rule set covers 2012 (the rules cover 2005 to 2011)".
pub fn no_rules_message(book: &RuleBook, year: i64) -> String {
    let years = book.years();
    let span = match (years.first(), years.last()) {
        (Some(first), Some(last)) if first == last => first.to_string(),
        (Some(first), Some(last)) => format!("{first} to {last}"),
        _ => "no years".to_owned(),
    };
    format!("no rule set covers {year} (the rules cover {span})")
}

fn no_rules_help(year: i64) -> String {
    if year >= 2012 {
        "there was no children's services rating after 2011: the duty (Education and Inspections Act 2006 s.138) was repealed in 2012 and the last round was published in November 2011".to_owned()
    } else {
        "records must be for a year that some rule set covers".to_owned()
    }
}

fn grade_value(grade: &WrittenGrade, rules: &YearRules, text: &SourceText) -> Result<i64, Problem> {
    let id = grade.judgement.get_ref();
    let Some(judgement) = rules.judgement(id) else {
        let mut problem = Problem::at(
            "unknown-judgement",
            text,
            grade.judgement.span(),
            format!("unknown judgement `{id}` for {}", rules.year),
        );
        if let Some(help) = did_you_mean(id, rules.judgement_ids()) {
            problem = problem.with_help(help);
        } else {
            problem = problem.with_help(format!(
                "judgements of {}: {}",
                rules.year,
                rules.judgement_ids().join(", ")
            ));
        }
        return Err(problem);
    };
    if judgement.judgement.latent {
        return Err(Problem::at(
            "latent-judgement",
            text,
            grade.judgement.span(),
            format!("`{id}` is latent: the rules use it but it was never published"),
        ));
    }
    let scale = &judgement.scale;
    let values = || scale.listing();
    let off_scale = |shown: String| {
        let names = scale.values.iter().flat_map(|v| {
            std::iter::once(v.label.as_str()).chain(v.aliases.iter().map(String::as_str))
        });
        let help = did_you_mean(&shown, names)
            .unwrap_or_else(|| format!("scale `{}` is {}", scale.id, values()));
        Problem::at(
            "grade-off-scale",
            text,
            grade.value.span(),
            format!("`{shown}` is not on scale `{}` of `{id}`", scale.id),
        )
        .with_help(help)
    };
    match grade.value.get_ref() {
        toml::Value::Integer(number) => scale
            .by_number(*number)
            .map(|v| v.number)
            .ok_or_else(|| off_scale(number.to_string())),
        toml::Value::String(written) => {
            let trimmed = written.trim();
            if let Ok(number) = trimmed.parse::<i64>() {
                return scale
                    .by_number(number)
                    .map(|v| v.number)
                    .ok_or_else(|| off_scale(trimmed.to_owned()));
            }
            if trimmed.parse::<f64>().is_ok() {
                return Err(Problem::at(
                    "grade-off-scale",
                    text,
                    grade.value.span(),
                    format!("`{trimmed}` is fractional: grades are whole numbers or labels"),
                )
                .with_help(format!("scale `{}` is {}", scale.id, values())));
            }
            scale
                .find(trimmed)
                .map(|v| v.number)
                .ok_or_else(|| off_scale(trimmed.to_owned()))
        }
        toml::Value::Float(number) => Err(Problem::at(
            "grade-off-scale",
            text,
            grade.value.span(),
            format!("`{number}` is fractional: grades are whole numbers or labels"),
        )
        .with_help(format!("scale `{}` is {}", scale.id, values()))),
        other => Err(Problem::at(
            "invalid-value",
            text,
            grade.value.span(),
            format!(
                "a grade is a number or a label, not {}",
                describe_value(other)
            ),
        )),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    record: Vec<Spanned<RawRecord>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRecord {
    authority: Option<Spanned<String>>,
    year: Option<Spanned<toml::Value>>,
    source: Option<RawSource>,
    grades: Option<BTreeMap<Spanned<String>, Spanned<toml::Value>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    document: String,
    locator: String,
}

fn empty(text: &SourceText) -> Option<Problem> {
    text.text
        .trim_start_matches('\u{feff}')
        .trim()
        .is_empty()
        .then(|| Problem::in_file("empty-file", &text.name, "the file is empty"))
}

fn blank_record(text: &SourceText, span: Range<usize>) -> Record {
    Record {
        text: text.clone(),
        span,
        authority: None,
        year: None,
        source: Source {
            document: String::new(),
            locator: String::new(),
        },
        grades: Vec::new(),
        problems: Vec::new(),
    }
}

/// The first line of a record's span, for problems about the record as a whole.
fn header_span(text: &str, span: &Range<usize>) -> Range<usize> {
    let start = span.start.min(text.len());
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    start..end.min(span.end.max(start))
}

/// A CSV field as a TOML value: a whole number stays a number, anything else is text.
fn csv_value(field: &str) -> toml::Value {
    match field.parse::<i64>() {
        Ok(number) => toml::Value::Integer(number),
        Err(_) => toml::Value::String(field.to_owned()),
    }
}

/// Byte offset and length of field `index` in one CSV line, honouring double quotes.
pub(crate) fn field_offset(line: &str, index: usize) -> (usize, usize) {
    let mut field = 0;
    let mut start = 0;
    let mut quoted = false;
    for (offset, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                if field == index {
                    return (start, offset - start);
                }
                field += 1;
                start = offset + 1;
            }
            _ => {}
        }
    }
    if field == index {
        (start, line.len() - start)
    } else {
        (line.len(), 0)
    }
}

fn csv_error_text(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::Utf8 { .. } => "the row is not UTF-8 text".to_owned(),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("the row has {len} fields, not {expected_len}"),
        _ => error.to_string(),
    }
}

fn describe_value(value: &toml::Value) -> String {
    match value {
        toml::Value::String(text) => format!("the text `{text}`"),
        toml::Value::Integer(number) => format!("the number {number}"),
        toml::Value::Float(number) => format!("the fraction {number}"),
        toml::Value::Boolean(flag) => format!("the boolean {flag}"),
        toml::Value::Datetime(date) => format!("the date {date}"),
        toml::Value::Array(_) => "an array".to_owned(),
        toml::Value::Table(_) => "a table".to_owned(),
    }
}

fn quoted(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
