//! Rendering a check report: human text (findings like compiler diagnostics), JSON and CSV.

use std::fmt::Write as _;

use crate::assess::{AssessmentResult, Finding, Report, Severity, Verdict};

/// The report as human text, one block per assessment and a summary line.
pub fn human(report: &Report) -> String {
    let mut out = String::new();
    for result in &report.results {
        block(&mut out, result);
        out.push('\n');
    }
    out.push_str(&summary_line(report));
    out.push('\n');
    out
}

/// `records: 40 read = 38 checked + 2 rejected; assessments: 20 = ...`.
pub fn summary_line(report: &Report) -> String {
    let s = &report.summary;
    let mut line = format!(
        "summary: {} records read = {} checked + {} rejected; {} assessments: {} consistent, {} inconsistent, {} unverifiable",
        s.records, s.checked, s.rejected, s.assessments, s.consistent, s.inconsistent, s.unverifiable
    );
    if s.undecided > 0 {
        let _ = write!(line, ", {} undecided", s.undecided);
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
    line
}

/// The report as JSON.
pub fn json(report: &Report) -> String {
    let mut value = serde_json::to_value(report).unwrap_or_default();
    // Problems are printed as diagnostics; in JSON they keep file, line and column.
    if let Some(object) = value.as_object_mut() {
        if report.problems.is_empty() {
            object.remove("problems");
        }
    }
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

/// The CSV header of [`csv()`].
pub const CSV_HEADER: [&str; 9] = [
    "authority",
    "la_code",
    "year",
    "verdict",
    "errors",
    "warnings",
    "rules_broken",
    "published",
    "implied",
];

/// One row per assessment, for spreadsheets.
pub fn csv(report: &Report) -> String {
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(CSV_HEADER);
    for result in &report.results {
        let _ = writer.write_record(csv_row(result));
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// One line per assessment: `authority year verdict errors=[..] implied=[..]`, for snapshots
/// that show every flipped verdict in a small diff.
pub fn compact(report: &Report) -> String {
    let mut out: String = report.results.iter().map(compact_line).collect();
    out.push_str(&summary_line(report));
    out.push('\n');
    out
}

fn csv_row(result: &AssessmentResult) -> [String; 9] {
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
        .filter(|f| f.code == "rule-broken")
        .filter_map(|f| f.rule.as_deref())
        .collect();
    let published: Vec<String> = result
        .published
        .iter()
        .map(|(j, sources)| format!("{j}={}", sources[0].value))
        .collect();
    [
        result.authority.clone(),
        result.la_code.clone(),
        result.year.to_string(),
        verdict_name(result.verdict).to_owned(),
        count(Severity::Error),
        count(Severity::Warning),
        rules.join(" "),
        published.join(" "),
        implied_list(result).join(" "),
    ]
}

fn compact_line(result: &AssessmentResult) -> String {
    let broken: Vec<&str> = result
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .filter_map(|f| f.rule.as_deref().or(Some(f.code)))
        .collect();
    let warned: Vec<&str> = result
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .filter_map(|f| f.rule.as_deref())
        .collect();
    let implied = implied_list(result);
    let mut out = format!(
        "{} {} {}",
        result.authority,
        result.year,
        verdict_name(result.verdict)
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
    out.push('\n');
    out
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

pub fn verdict_name(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Consistent => "consistent",
        Verdict::Inconsistent => "inconsistent",
        Verdict::Unverifiable => "unverifiable",
        Verdict::Undecided => "undecided",
    }
}

fn block(out: &mut String, result: &AssessmentResult) {
    let _ = writeln!(
        out,
        "{} ({}), {}: {}",
        result.authority,
        result.la_code,
        result.year,
        verdict_name(result.verdict)
    );
    for (judgement, sources) in &result.published {
        for source in sources {
            let _ = writeln!(
                out,
                "  published {judgement} = {}  ({}, {}; {}:{})",
                source.label, source.document, source.locator, source.file, source.line
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
        render_finding(out, result, finding);
    }
}

fn render_finding(out: &mut String, result: &AssessmentResult, finding: &Finding) {
    let severity = match finding.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    };
    let _ = writeln!(out, "  {severity}[{}]: {}", finding.code, finding.message);
    // Point at the first published grade the finding involves.
    let location = finding
        .evidence
        .keys()
        .chain(finding.judgements.iter())
        .find_map(|j| result.published.get(j).and_then(|s| s.first()));
    if let Some(published) = location {
        let _ = writeln!(
            out,
            "     --> {}:{}:{}",
            published.file, published.line, published.column
        );
    }
    if let (Some(rule), Some(basis), Some(strength)) =
        (&finding.rule, finding.basis, finding.strength)
    {
        let basis = serde_json::to_value(basis)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let strength = serde_json::to_value(strength)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let _ = writeln!(out, "      = rule `{rule}` ({strength}, {basis})");
    }
    if let Some(cite) = &finding.cite {
        let _ = writeln!(out, "      = source: {}, {}", cite.source, cite.locator);
    }
    for reason in &finding.because {
        let because: Vec<String> = reason
            .because
            .iter()
            .map(|(j, v)| format!("{j} = {v}"))
            .collect();
        let _ = writeln!(
            out,
            "      = because `{}` [{}]",
            reason.rule,
            because.join(", ")
        );
    }
}

/// The formats a report streams in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamFormat {
    Human,
    Json,
    Csv,
    Compact,
}

/// Renders results as a checker produces them, so a large check never holds every result. The
/// bytes are those of [`human`], [`json`], [`csv()`] and [`compact`] on the whole report.
pub struct Stream<W: std::io::Write> {
    format: StreamFormat,
    out: W,
    results: usize,
    csv: Option<::csv::Writer<Vec<u8>>>,
    /// The first write error, reported by [`Stream::end`].
    error: Option<std::io::Error>,
}

impl<W: std::io::Write> Stream<W> {
    pub fn new(format: StreamFormat, out: W) -> Self {
        Stream {
            format,
            out,
            results: 0,
            csv: None,
            error: None,
        }
    }

    /// Close the output with the summary line or object.
    pub fn end(
        mut self,
        summary: &crate::assess::Summary,
        problems: &[ratings_core::Problem],
    ) -> std::io::Result<W> {
        let report = Report {
            summary: *summary,
            results: Vec::new(),
            problems: Vec::new(),
        };
        let _ = problems;
        let tail = match self.format {
            StreamFormat::Human | StreamFormat::Compact => format!("{}\n", summary_line(&report)),
            StreamFormat::Csv => String::new(),
            StreamFormat::Json => {
                let summary = pretty_sorted(&report.summary);
                let close = if self.results == 0 { "]" } else { "\n  ]" };
                format!("{close},\n  \"summary\": {}\n}}\n", indent(&summary, 2))
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
}

impl<W: std::io::Write> crate::assess::Sink for Stream<W> {
    fn problems(&mut self, problems: &[ratings_core::Problem]) {
        let head = match self.format {
            StreamFormat::Json if problems.is_empty() => "{\n  \"results\": [".to_owned(),
            StreamFormat::Json => {
                let listed = pretty_sorted(&problems);
                format!(
                    "{{\n  \"problems\": {},\n  \"results\": [",
                    indent(&listed, 2)
                )
            }
            StreamFormat::Csv => {
                let mut writer = ::csv::Writer::from_writer(Vec::new());
                let _ = writer.write_record(CSV_HEADER);
                self.csv = Some(writer);
                String::new()
            }
            StreamFormat::Human | StreamFormat::Compact => String::new(),
        };
        self.write(&head);
        self.flush_csv();
    }

    fn result(&mut self, result: AssessmentResult) {
        let text = match self.format {
            StreamFormat::Human => {
                let mut out = String::new();
                block(&mut out, &result);
                out.push('\n');
                out
            }
            StreamFormat::Compact => compact_line(&result),
            StreamFormat::Json => {
                let value = pretty_sorted(&result);
                let separator = if self.results == 0 {
                    "\n    "
                } else {
                    ",\n    "
                };
                format!("{separator}{}", indent(&value, 4))
            }
            StreamFormat::Csv => {
                if let Some(writer) = &mut self.csv {
                    let _ = writer.write_record(csv_row(&result));
                }
                String::new()
            }
        };
        self.results += 1;
        self.write(&text);
        self.flush_csv();
    }
}

impl<W: std::io::Write> Stream<W> {
    fn flush_csv(&mut self) {
        let Some(writer) = self.csv.take() else {
            return;
        };
        let bytes = writer.into_inner().unwrap_or_default();
        self.write(&String::from_utf8_lossy(&bytes));
        self.csv = Some(::csv::Writer::from_writer(Vec::new()));
    }
}

/// Pretty JSON with object keys sorted, as [`json`] writes them.
fn pretty_sorted<T: serde::Serialize>(value: &T) -> String {
    let value = serde_json::to_value(value).unwrap_or_default();
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

fn indent(text: &str, spaces: usize) -> String {
    text.replace('\n', &format!("\n{}", " ".repeat(spaces)))
}
