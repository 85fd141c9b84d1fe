//! Rendering a check report as it is made: human text (findings drawn by the one renderer of
//! `ratings_core::render`), JSON, CSV and a compact line per assessment. Every format is
//! streamed, so a large check never holds every result.
//!
//! In human output every name and source is shown with control characters escaped. In CSV, a
//! cell that a spreadsheet would read as a formula (starting `=`, `+`, `-`, `@`, a tab or a
//! carriage return) is written with a `'` in front, as OWASP recommends.

use std::fmt::Write as _;

use ratings_core::{escape, render, Problem, Severity};

use crate::result::{AssessmentResult, Report, Sink, Summary};

/// The formats a report streams in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Blocks of text, findings like compiler diagnostics.
    Human,
    /// One JSON object: `summary`, `results`, `problems`.
    Json,
    /// One row per assessment, for spreadsheets.
    Csv,
    /// One line per assessment: verdict, rules broken, implied grades.
    Compact,
}

/// Which results to show (all are counted).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only these verdicts; all when empty.
    pub verdicts: Vec<crate::Verdict>,
    /// No results at all: the summary alone.
    pub quiet: bool,
}

impl Filter {
    fn shows(&self, result: &AssessmentResult) -> bool {
        !self.quiet && (self.verdicts.is_empty() || self.verdicts.contains(&result.verdict))
    }
}

/// `summary: 40 records read = 38 checked + 2 rejected; 20 assessments: ...`.
pub fn summary_line(summary: &Summary) -> String {
    let s = summary;
    let not_graded = if s.not_graded > 0 {
        format!(" + {} not graded", s.not_graded)
    } else {
        String::new()
    };
    let tests = if s.consistent > 0 {
        format!(
            " ({} independent, {} circular)",
            s.consistent_independent, s.consistent_circular
        )
    } else {
        String::new()
    };
    let mut line = format!(
        "summary: {} records read = {} checked{not_graded} + {} rejected; {} assessments: {} consistent{tests}, {} inconsistent, {} unverifiable",
        s.records, s.checked, s.rejected, s.assessments, s.consistent, s.inconsistent, s.unverifiable
    );
    if s.undecided > 0 {
        let _ = write!(line, ", {} undecided", s.undecided);
    }
    if s.disputed > 0 {
        let _ = write!(line, ", {} disputed", s.disputed);
    }
    if s.with_errors > 0 {
        let _ = write!(line, "; {} with errors", s.with_errors);
    }
    if s.conflicts > 0 {
        let _ = write!(line, "; {} with conflicting sources", s.conflicts);
    }
    if s.unreadable_files > 0 {
        let _ = write!(
            line,
            "; {} of {} files unreadable",
            s.unreadable_files, s.files
        );
    }
    if s.ignored_columns > 0 {
        let _ = write!(line, "; {} not read", count(s.ignored_columns, "column"));
    }
    if s.skipped_files > 0 {
        let _ = write!(line, "; {} skipped", count(s.skipped_files, "file"));
    }
    line
}

/// The CSV header.
pub const CSV_HEADER: [&str; 15] = [
    "subject",
    "id",
    "name",
    "type",
    "local_authority",
    "inspection",
    "year",
    "date",
    "verdict",
    "errors",
    "warnings",
    "rules_broken",
    "published",
    "implied",
    "alternatives",
];

/// A whole report in one format (what [`Stream`] writes, collected).
pub fn render_report(report: &Report, format: Format) -> String {
    let mut stream = Stream::new(format, Filter::default(), Vec::new());
    stream.not_graded(&report.not_graded);
    stream.problems(&report.problems);
    for result in &report.results {
        stream.write_result(result);
    }
    let bytes = stream.end(&report.summary).unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Renders results as a checker produces them.
pub struct Stream<W: std::io::Write> {
    format: Format,
    filter: Filter,
    out: W,
    results: usize,
    /// Records counted as not graded, by reason: written with the summary.
    not_graded: std::collections::BTreeMap<String, usize>,
    /// The first write error, reported by [`Stream::end`].
    error: Option<std::io::Error>,
}

impl<W: std::io::Write> Stream<W> {
    /// A stream in a format, showing the results the filter lets through.
    pub fn new(format: Format, filter: Filter, out: W) -> Self {
        Stream {
            format,
            filter,
            out,
            results: 0,
            not_graded: std::collections::BTreeMap::new(),
            error: None,
        }
    }

    /// The records counted as not graded, by reason, for the JSON report's `not_graded`.
    pub fn not_graded(&mut self, reasons: &std::collections::BTreeMap<String, usize>) {
        self.not_graded.clone_from(reasons);
    }

    /// Close the output with the summary line or object; the writer back, or the first error
    /// writing to it.
    pub fn end(mut self, summary: &Summary) -> std::io::Result<W> {
        let tail = match self.format {
            Format::Human | Format::Compact => format!("{}\n", summary_line(summary)),
            Format::Csv => String::new(),
            Format::Json => {
                let summary = pretty_sorted(summary);
                let close = if self.results == 0 { "]" } else { "\n  ]" };
                let not_graded = if self.not_graded.is_empty() {
                    String::new()
                } else {
                    format!(
                        ",\n  \"not_graded\": {}",
                        indent(&pretty_sorted(&self.not_graded), 2)
                    )
                };
                format!(
                    "{close}{not_graded},\n  \"summary\": {}\n}}\n",
                    indent(&summary, 2)
                )
            }
        };
        self.write(&tail);
        match self.error.take() {
            Some(error) => Err(error),
            None => Ok(self.out),
        }
    }

    fn write(&mut self, text: &str) {
        if self.error.is_none() {
            if let Err(error) = self.out.write_all(text.as_bytes()) {
                self.error = Some(error);
            }
        }
    }

    fn write_result(&mut self, result: &AssessmentResult) {
        let renderer = Renderer {
            format: self.format,
            filter: self.filter.clone(),
        };
        if let Some(text) = renderer.text(result, self.results == 0) {
            self.results += 1;
            self.write(&text);
        }
    }

    /// What renders results for this stream, on any thread (see `Checker::finish_into`).
    pub fn renderer(&self) -> Renderer {
        Renderer {
            format: self.format,
            filter: self.filter.clone(),
        }
    }

    /// Write a result that [`Renderer::render`] rendered, in its place in the output.
    pub fn write_rendered(&mut self, rendered: &[u8]) {
        // A rendered JSON result starts with the separator that follows an earlier result;
        // the first has none.
        let rendered = if self.format == Format::Json && self.results == 0 {
            rendered.strip_prefix(b",").unwrap_or(rendered)
        } else {
            rendered
        };
        self.results += 1;
        if self.error.is_none() {
            if let Err(error) = self.out.write_all(rendered) {
                self.error = Some(error);
            }
        }
    }
}

/// Renders results as a [`Stream`] writes them, on any thread: results rendered in parallel
/// are written in their order with [`Stream::write_rendered`].
#[derive(Debug, Clone)]
pub struct Renderer {
    format: Format,
    filter: Filter,
}

impl Renderer {
    /// Render a result after others into `out`; `false` when the filter hides it.
    pub fn render(&self, result: &AssessmentResult, out: &mut Vec<u8>) -> bool {
        match self.text(result, false) {
            Some(text) => {
                out.extend_from_slice(text.as_bytes());
                true
            }
            None => false,
        }
    }

    /// The text of a result, first in the output or after others; `None` when hidden.
    fn text(&self, result: &AssessmentResult, first: bool) -> Option<String> {
        if !self.filter.shows(result) {
            return None;
        }
        Some(match self.format {
            Format::Human => {
                let mut out = block(result);
                out.push('\n');
                out
            }
            Format::Compact => compact_line(result),
            Format::Json => {
                let value = pretty_sorted(result);
                let separator = if first { "\n    " } else { ",\n    " };
                format!("{separator}{}", indent(&value, 4))
            }
            Format::Csv => csv_line(&csv_row(result)),
        })
    }
}

impl<W: std::io::Write> Sink for Stream<W> {
    fn problems(&mut self, problems: &[Problem]) {
        let head = match self.format {
            Format::Json if problems.is_empty() => "{\n  \"results\": [".to_owned(),
            Format::Json => {
                let listed = pretty_sorted(&problems);
                format!(
                    "{{\n  \"problems\": {},\n  \"results\": [",
                    indent(&listed, 2)
                )
            }
            Format::Csv => csv_line(&CSV_HEADER.map(str::to_owned)),
            Format::Human | Format::Compact => String::new(),
        };
        self.write(&head);
    }

    fn result(&mut self, result: AssessmentResult) {
        self.write_result(&result);
    }
}

/// One assessment as text: a heading, the published grades, what tested it, the findings.
pub fn block(result: &AssessmentResult) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}, {}: {}",
        escape(&result.title()),
        result.period(),
        result.verdict.as_str()
    );
    for (judgement, sources) in &result.published {
        for source in sources {
            // A PDF's lines are those of the text the reader extracts, which mean nothing to
            // someone holding the report: its place is the locator's page.
            let place = if source.file.to_ascii_lowercase().ends_with(".pdf") {
                escape(&source.file).into_owned()
            } else {
                format!("{}:{}", escape(&source.file), source.line)
            };
            let _ = writeln!(
                out,
                "  published {judgement} = {}  ({}, {}; {place})",
                source.label,
                escape(&source.document),
                escape(&source.locator),
            );
        }
    }
    if !result.alternatives.is_empty() {
        let _ = writeln!(
            out,
            "  the sources disagree: checked with each grade they give"
        );
        for alternative in &result.alternatives {
            let _ = writeln!(
                out,
                "    with {} = {} from {}: {}",
                alternative.judgement,
                alternative.label,
                escape(&alternative.source),
                alternative.verdict.as_str()
            );
        }
    }
    if let Some(alternative) = &result.tested_by {
        let parts: Vec<String> = alternative
            .iter()
            .map(|(j, v)| format!("{j} = {v}"))
            .collect();
        let _ = writeln!(
            out,
            "  tested: the rules would have rejected {}",
            parts.join(", ")
        );
    }
    for finding in &result.findings {
        out.push_str(&render(&finding.view(result), 2));
    }
    out
}

fn compact_line(result: &AssessmentResult) -> String {
    let mut broken: Vec<&str> = Vec::new();
    for finding in result
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
    {
        let name = finding.rule.as_deref().unwrap_or(finding.code.as_str());
        if !broken.contains(&name) {
            broken.push(name);
        }
    }
    let warned: Vec<&str> = result
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .filter_map(|f| f.rule.as_deref())
        .collect();
    let implied = implied_list(result);
    let mut out = format!(
        "{} {} {}",
        escape(&compact_name(result)),
        result.period(),
        result.verdict.as_str()
    );
    if !broken.is_empty() {
        let _ = write!(out, " errors=[{}]", broken.join(" "));
    }
    if !warned.is_empty() {
        let _ = write!(out, " warnings=[{}]", warned.join(" "));
    }
    if !implied.is_empty() {
        let _ = write!(out, " implied=[{}]", implied.join(" "));
    }
    if !result.alternatives.is_empty() {
        let listed: Vec<String> = result
            .alternatives
            .iter()
            .map(|a| format!("{}={}:{}", a.judgement, a.value, a.verdict.as_str()))
            .collect();
        let _ = write!(out, " alternatives=[{}]", listed.join(" "));
    }
    out.push('\n');
    out
}

/// The subject as the compact format names it: the authority's name, or the provider's URN
/// and the inspection's number.
fn compact_name(result: &AssessmentResult) -> String {
    match &result.labels.inspection {
        Some(number) if result.subject.kind == crate::SubjectKind::Provider => {
            format!("provider {} inspection {number}", result.subject.id)
        }
        _ => result.name(),
    }
}

fn csv_row(result: &AssessmentResult) -> [String; 15] {
    let count = |severity: Severity| {
        result
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
            .to_string()
    };
    let rules: Vec<&str> = result
        .findings
        .iter()
        .filter(|f| f.code == ratings_core::Code::RuleBroken)
        .filter_map(|f| f.rule.as_deref())
        .collect();
    // One string per cell, written in place (a CSV report has a row per assessment); every
    // grade given, `|` between the grades of sources that disagree.
    let mut published = String::with_capacity(result.published.len() * 32);
    for (judgement, sources) in &result.published {
        if !published.is_empty() {
            published.push(' ');
        }
        published.push_str(judgement);
        published.push('=');
        push_number(&mut published, sources[0].value);
        for (index, source) in sources.iter().enumerate().skip(1) {
            if sources[..index].iter().all(|s| s.value != source.value) {
                published.push('|');
                push_number(&mut published, source.value);
            }
        }
    }
    let mut implied = String::new();
    for (judgement, values) in &result.implied {
        if !implied.is_empty() {
            implied.push(' ');
        }
        implied.push_str(judgement);
        implied.push('=');
        for (index, value) in values.iter().enumerate() {
            if index > 0 {
                implied.push('|');
            }
            push_number(&mut implied, *value);
        }
    }
    let alternatives: Vec<String> = result
        .alternatives
        .iter()
        .map(|a| format!("{}={}:{}", a.judgement, a.value, a.verdict.as_str()))
        .collect();
    let attribute = |name: &str| {
        result
            .labels
            .attributes
            .get(name)
            .map_or("", String::as_str)
    };
    [
        result.subject.kind.as_str().to_owned(),
        spreadsheet_safe(&result.subject.id),
        spreadsheet_safe(&result.subject.name),
        spreadsheet_safe(attribute("type")),
        spreadsheet_safe(attribute("local_authority")),
        spreadsheet_safe(result.labels.inspection.as_deref().unwrap_or_default()),
        result.year.to_string(),
        result.date.clone().unwrap_or_default(),
        result.verdict.as_str().to_owned(),
        count(Severity::Error),
        count(Severity::Warning),
        rules.join(" "),
        published,
        implied,
        alternatives.join(" "),
    ]
}

/// `value.to_string()`, pushed (grades are small numbers; formatting each is most of a row).
fn push_number(out: &mut String, value: i64) {
    if (0..10).contains(&value) {
        out.push(char::from(b'0' + value as u8));
    } else {
        let _ = write!(out, "{value}");
    }
}

/// A cell a spreadsheet will not run as a formula: one starting `=`, `+`, `-`, `@`, a tab or
/// a carriage return gets a `'` in front.
pub fn spreadsheet_safe(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// One CSV line, quoted as the csv crate's writer quotes by default (a cell holding `,`, `"`,
/// `\r` or `\n` is put in quotes, its quotes doubled), without making a writer per line.
fn csv_line<const N: usize>(cells: &[String; N]) -> String {
    let mut line = String::with_capacity(cells.iter().map(|c| c.len() + 1).sum::<usize>() + 8);
    for (index, cell) in cells.iter().enumerate() {
        if index > 0 {
            line.push(',');
        }
        let bytes = cell.as_bytes();
        if memchr::memchr3(b',', b'"', b'\r', bytes).is_some()
            || memchr::memchr(b'\n', bytes).is_some()
        {
            line.push('"');
            line.push_str(&cell.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(cell);
        }
    }
    // INVARIANT: N > 1, so a line is never one empty cell (which the csv crate writes `""`).
    line.push('\n');
    line
}

/// `judgement=1|2` for each implied judgement.
fn implied_list(result: &AssessmentResult) -> Vec<String> {
    result
        .implied
        .iter()
        .map(|(j, values)| {
            format!(
                "{j}={}",
                values
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join("|")
            )
        })
        .collect()
}

/// Pretty JSON with object keys sorted.
fn pretty_sorted<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let value = serde_json::to_value(value).unwrap_or_default();
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

fn indent(text: &str, spaces: usize) -> String {
    text.replace('\n', &format!("\n{}", " ".repeat(spaces)))
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_lines_are_quoted_as_the_csv_crate_quotes_them() {
        let cells = [
            "plain",
            "",
            "a,b",
            "say \"hi\"",
            "two\nlines",
            "cr\rhere",
            " spaced ",
            "'=1",
            "é,ü",
            "\"",
        ]
        .map(str::to_owned);
        let mut writer = ::csv::Writer::from_writer(Vec::new());
        writer.write_record(&cells).expect("writes to memory");
        let expected = String::from_utf8(writer.into_inner().expect("flushes")).expect("utf-8");
        assert_eq!(csv_line(&cells), expected);
    }

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("@SUM(1)"), "'@SUM(1)");
        assert_eq!(spreadsheet_safe("-2+3"), "'-2+3");
        assert_eq!(spreadsheet_safe("Leeds"), "Leeds");
    }
}
