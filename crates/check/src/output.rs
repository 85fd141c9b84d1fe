//! Rendering a check report as it is made: human text (findings drawn by the one renderer of
//! `ratings_core::render`), JSON, CSV and a compact line per assessment. Every format is
//! streamed, so a large check never holds every result.
//!
//! In human output every name and source is shown with control characters escaped. In CSV, a
//! cell that a spreadsheet would read as a formula (starting `=`, `+`, `-`, `@`, a tab or a
//! carriage return) is written with a `'` in front, as OWASP recommends.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use ratings_core::{count, escape, render, Problem, Severity};

use crate::result::{
    Alternative, AssessmentResult, Finding, Report, Sink, Summary, Verdict, VerdictBasis,
};
use crate::subject::{Labels, Subject};

/// The formats a report streams in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
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
    let tests = match (s.consistent, s.consistent_unregistered) {
        (0, _) => String::new(),
        (_, 0) => format!(
            " ({} independent, {} circular)",
            s.consistent_independent, s.consistent_circular
        ),
        (_, unregistered) => format!(
            " ({} independent, {} circular, {unregistered} from unregistered documents)",
            s.consistent_independent, s.consistent_circular
        ),
    };
    let mut line = format!(
        "summary: {} read = {} checked{not_graded} + {} rejected; {}: {} consistent{tests}, {} inconsistent, {} unverifiable",
        count(s.records, "record"),
        s.checked,
        s.rejected,
        count(s.assessments, "assessment"),
        s.consistent,
        s.inconsistent,
        s.unverifiable
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
    if s.nothing_to_check() {
        line.push_str("; nothing to check");
    }
    line
}

/// The CSV header: a row per grade of each assessment (a grade the sources disagree on has
/// a row per value given), then a row per unpublished judgement the grades imply.
pub const CSV_HEADER: [&str; 19] = [
    "subject",
    "id",
    "name",
    "type",
    "local_authority",
    "inspection",
    "year",
    "date",
    "verdict",
    "basis",
    "errors",
    "warnings",
    "rules_broken",
    "judgement",
    "grade",
    "label",
    "sources",
    "implied",
    "verdict_with_this_grade",
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
                let summary = pretty_sorted(&crate::json::SummaryJson::from(summary));
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

    /// Whether this format can show an assessment from a cached evaluation without a whole
    /// result (see [`Cached`]): the compact line and the CSV rows can.
    pub(crate) fn shows_cached(&self) -> bool {
        matches!(self.format, Format::Compact | Format::Csv)
    }

    /// Render an assessment from a cached evaluation after others into `out`, as
    /// [`Renderer::render`] renders its whole result, byte for byte; `false` when the filter
    /// hides it. Only for the formats of [`Renderer::shows_cached`].
    pub(crate) fn render_cached(&self, cached: &Cached<'_>, out: &mut Vec<u8>) -> bool {
        let verdict = cached.heading.verdict;
        if self.filter.quiet
            || !(self.filter.verdicts.is_empty() || self.filter.verdicts.contains(&verdict))
        {
            return false;
        }
        match self.format {
            Format::Compact => compact_into(out, &cached.heading, cached.digest, &[]),
            Format::Csv => csv_rows_into(out, &cached.heading, cached.digest, |row| {
                let mut number = String::new();
                let mut documents = String::new();
                let grades = cached.grades;
                let mut at = 0;
                while let Some(first) = grades.get(at) {
                    // One judgement's grades follow each other, and agree.
                    let mut end = at + 1;
                    while grades
                        .get(end)
                        .is_some_and(|g| g.judgement == first.judgement)
                    {
                        end += 1;
                    }
                    documents.clear();
                    for (index, grade) in grades[at..end].iter().enumerate() {
                        if index > 0 {
                            documents.push_str("; ");
                        }
                        documents.push_str(grade.document);
                    }
                    number.clear();
                    let _ = write!(number, "{}", first.number);
                    let label = safe(bare_label(first.label, &number));
                    let documents = safe(&documents);
                    row([first.judgement, &number, &label, &documents, "", ""]);
                    at = end;
                }
                for (judgement, described) in cached.implied_labels {
                    row([judgement, "", "", "", described, ""]);
                }
            }),
            Format::Human | Format::Json => {
                // Callers ask only where `shows_cached`; the result was counted, so it must
                // not vanish unseen.
                debug_assert!(false, "render_cached in a format that shows whole results");
                return false;
            }
        }
        true
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
                let value = pretty_sorted(&crate::json::ResultJson::from(result));
                let separator = if first { "\n    " } else { ",\n    " };
                format!("{separator}{}", indent(&value, 4))
            }
            Format::Csv => csv_rows(result),
        })
    }
}

impl<W: std::io::Write> Sink for Stream<W> {
    fn problems(&mut self, problems: &[Problem]) {
        let head = match self.format {
            Format::Json if problems.is_empty() => "{\n  \"results\": [".to_owned(),
            Format::Json => {
                let listed = pretty_sorted(&crate::json::problems(problems));
                format!(
                    "{{\n  \"problems\": {},\n  \"results\": [",
                    indent(&listed, 2)
                )
            }
            Format::Csv => csv_header(),
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
    if let Some(rests) = rests_on(result) {
        let _ = writeln!(out, "  rests on: {rests}");
    }
    if let Some(alternative) = &result.tested_by {
        let parts: Vec<String> = alternative
            .iter()
            .map(|(j, v)| format!("{j} = {v}"))
            .collect();
        let _ = writeln!(
            out,
            "  tested: had the grades been {} together, the rules would have rejected them",
            parts.join(", ")
        );
    }
    for finding in &result.findings {
        out.push_str(&render(&finding.view(result), 2));
    }
    out
}

/// What a consistent or inconsistent verdict rests on, in words: the kind of rule that decided
/// it and what the evidence is worth.
pub fn rests_on(result: &AssessmentResult) -> Option<String> {
    use crate::result::VerdictBasis::{Inferred, Stated};
    use crate::Support::{Circular, Independent, None, Unregistered};
    use crate::Verdict::{Consistent, Inconsistent};
    let evidence = match result.support {
        Independent => "on grades independent of its sources",
        Circular => "on grades from the very documents it was drawn from (circular: no test of it)",
        Unregistered => {
            "on grades from documents outside the registry (not shown to be independent)"
        }
        None => "on no grade",
    };
    Some(match (result.verdict, result.basis?) {
        (Consistent, Stated) => format!("consistent with a rule the inspectorate states or a source reports, {evidence}"),
        (Consistent, Inferred) => format!("consistent with a rule inferred from published grades (a hypothesis, not the inspectorate's stated rule), {evidence}"),
        (Inconsistent, Stated) => format!("breaks a rule the inspectorate states or a source reports, {evidence}"),
        (Inconsistent, Inferred) => format!("a counter-example to a rule inferred from published grades: the hypothesis is in question, not proof that the inspectorate broke a rule; {evidence}"),
        _ => return Option::None,
    })
}

fn compact_line(result: &AssessmentResult) -> String {
    let mut out = Vec::new();
    compact_into(
        &mut out,
        &result.heading(),
        &digest(&result.findings, &result.implied),
        &result.alternatives,
    );
    // The pieces are strings, so the line is UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// An assessment whose grades were evaluated before (the same rules, the same grades, every
/// source agreeing, no finding of its documents, an answer within the budget): what the
/// compact and CSV formats show of it, without the whole [`AssessmentResult`].
pub(crate) struct Cached<'a> {
    pub heading: Heading<'a>,
    /// The cached evaluation's findings and implied grades, digested.
    pub digest: &'a Digest,
    /// The published grades, by judgement id, the grades of one judgement (from several
    /// sources) in the order read.
    pub grades: &'a [CachedGrade<'a>],
    /// The implied grades, as words.
    pub implied_labels: &'a BTreeMap<String, String>,
}

/// One published grade of a [`Cached`] assessment.
pub(crate) struct CachedGrade<'a> {
    pub judgement: &'a str,
    pub number: i64,
    /// `good (3)`.
    pub label: &'a str,
    pub document: &'a str,
}

/// Who and when an assessment is, and its verdict: what heads its compact line and each of
/// its CSV rows.
pub(crate) struct Heading<'r> {
    pub subject: &'r Subject,
    pub labels: &'r Labels,
    pub year: i32,
    /// The day, for an inspection.
    pub date: Option<&'r str>,
    pub verdict: Verdict,
    pub basis: Option<VerdictBasis>,
}

impl AssessmentResult {
    pub(crate) fn heading(&self) -> Heading<'_> {
        Heading {
            subject: &self.subject,
            labels: &self.labels,
            year: self.year,
            date: self.date.as_deref(),
            verdict: self.verdict,
            basis: self.basis,
        }
    }
}

impl Heading<'_> {
    /// The subject as the compact format names it: the authority's name, or the provider's
    /// URN and the inspection's number.
    fn compact_name(&self) -> String {
        match &self.labels.inspection {
            Some(number) if self.subject.kind == crate::SubjectKind::Provider => {
                format!("provider {} inspection {number}", self.subject.id)
            }
            _ => self.subject.short_name(),
        }
    }
}

/// What the compact line and the CSV rows say of an assessment's findings and implied grades:
/// worked out once for a result, or once for every assessment that shares a cached evaluation.
#[derive(Debug, Clone)]
pub(crate) struct Digest {
    /// ` errors=[…] warnings=[…] implied=[…]`: the compact line between the verdict and the
    /// alternatives.
    compact: String,
    /// The number of error findings.
    errors: String,
    /// The number of warning findings.
    warnings: String,
    /// The rules broken, each once, space-separated.
    rules_broken: String,
    /// Whether any finding is an error.
    pub has_error: bool,
}

/// The [`Digest`] of findings (sorted, errors first) and implied grades.
pub(crate) fn digest(findings: &[Finding], implied: &BTreeMap<String, Vec<i64>>) -> Digest {
    let mut broken: Vec<&str> = Vec::new();
    for finding in findings.iter().filter(|f| f.severity == Severity::Error) {
        let name = finding.rule.as_deref().unwrap_or(finding.code.as_str());
        if !broken.contains(&name) {
            broken.push(name);
        }
    }
    let warned: Vec<&str> = findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .filter_map(|f| f.rule.as_deref())
        .collect();
    let implied = implied_list(implied);
    let mut compact = String::new();
    if !broken.is_empty() {
        let _ = write!(compact, " errors=[{}]", broken.join(" "));
    }
    if !warned.is_empty() {
        let _ = write!(compact, " warnings=[{}]", warned.join(" "));
    }
    if !implied.is_empty() {
        let _ = write!(compact, " implied=[{}]", implied.join(" "));
    }
    let count = |severity: Severity| {
        findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
            .to_string()
    };
    let mut rules: Vec<&str> = findings
        .iter()
        .filter(|f| f.code == ratings_core::Code::RuleBroken)
        .filter_map(|f| f.rule.as_deref())
        .collect();
    rules.dedup();
    Digest {
        compact,
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        rules_broken: rules.join(" "),
        has_error: findings.iter().any(|f| f.severity == Severity::Error),
    }
}

/// One line per assessment: who, when, the verdict, then the digest and the alternatives.
fn compact_into(
    out: &mut Vec<u8>,
    heading: &Heading<'_>,
    digest: &Digest,
    alternatives: &[Alternative],
) {
    let name = heading.compact_name();
    out.extend_from_slice(escape(&name).as_bytes());
    out.push(b' ');
    match heading.date {
        Some(date) => out.extend_from_slice(date.as_bytes()),
        None => {
            let _ = std::io::Write::write_fmt(out, format_args!("{}", heading.year));
        }
    }
    out.push(b' ');
    out.extend_from_slice(heading.verdict.as_str().as_bytes());
    out.extend_from_slice(digest.compact.as_bytes());
    if !alternatives.is_empty() {
        let listed: Vec<String> = alternatives
            .iter()
            .map(|a| format!("{}={}:{}", a.judgement, a.value, a.verdict.as_str()))
            .collect();
        let _ =
            std::io::Write::write_fmt(out, format_args!(" alternatives=[{}]", listed.join(" ")));
    }
    out.push(b'\n');
}

/// The CSV rows of one assessment, for a spreadsheet: one per published grade (a grade the
/// sources disagree on has a row per value given), then one per unpublished judgement the
/// grades imply; the assessment's own columns repeat on each. A grade's number is as published
/// (on LAC 2013's scale 1 is outstanding), so its label stands beside it. Written by the csv
/// crate's core writer (which quotes a cell holding `,`, `"`, `\r` or `\n`), from borrowed
/// cells.
fn csv_rows(result: &AssessmentResult) -> String {
    let mut out = Vec::with_capacity((result.published.len() + result.implied.len() + 1) * 160);
    let digest = digest(&result.findings, &result.implied);
    csv_rows_into(&mut out, &result.heading(), &digest, |row| {
        let mut number = String::new();
        for (judgement, sources) in &result.published {
            for (index, source) in sources.iter().enumerate() {
                if sources[..index].iter().any(|s| s.value == source.value) {
                    continue;
                }
                let documents: Vec<&str> = sources
                    .iter()
                    .filter(|s| s.value == source.value)
                    .map(|s| &*s.document)
                    .collect();
                number.clear();
                let _ = write!(number, "{}", source.value);
                let with_this = result
                    .alternatives
                    .iter()
                    .find(|a| &a.judgement == judgement && a.value == source.value)
                    .map_or("", |a| a.verdict.as_str());
                let label = bare_label(&source.label, &number);
                let documents = documents.join("; ");
                let (label, documents) = (safe(label), safe(&documents));
                row([judgement, &number, &label, &documents, "", with_this]);
            }
        }
        for (judgement, described) in &result.implied_labels {
            row([judgement, "", "", "", described, ""]);
        }
    });
    // The cells are strings, so the lines are UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// `good` of `good (3)`, given `3`.
fn bare_label<'l>(label: &'l str, number: &str) -> &'l str {
    label
        .strip_suffix(')')
        .and_then(|rest| rest.strip_suffix(number))
        .and_then(|rest| rest.strip_suffix(" ("))
        .unwrap_or(label)
}

/// The CSV rows of an assessment (see [`csv_rows`]) into `out`: `grades` hands each grade's
/// six cells (judgement, grade, label, sources, implied, verdict with this grade) to `row`.
fn csv_rows_into(
    out: &mut Vec<u8>,
    heading: &Heading<'_>,
    digest: &Digest,
    grades: impl FnOnce(&mut dyn FnMut([&str; 6])),
) {
    let attribute = |name: &str| {
        heading
            .labels
            .attributes
            .get(name)
            .map_or("", String::as_str)
    };
    let (id, name, kind, local_authority, inspection, year) = (
        safe(&heading.subject.id),
        safe(&heading.subject.name),
        safe(attribute("type")),
        safe(attribute("local_authority")),
        safe(heading.labels.inspection.as_deref().unwrap_or_default()),
        heading.year.to_string(),
    );
    let assessment: [&str; 13] = [
        heading.subject.kind.as_str(),
        &id,
        &name,
        &kind,
        &local_authority,
        &inspection,
        &year,
        heading.date.unwrap_or_default(),
        heading.verdict.as_str(),
        heading.basis.map_or("", VerdictBasis::as_str),
        &digest.errors,
        &digest.warnings,
        &digest.rules_broken,
    ];
    // The assessment's cells are the same on each of its rows: quoted once, and each row is
    // they, a comma and the grade's cells. A cell is quoted by what it holds, not where it
    // stands, so this is the record of all nineteen cells byte for byte.
    let mut prefix = Vec::with_capacity(160);
    write_cells(&mut prefix, assessment);
    let row = |out: &mut Vec<u8>, grade: [&str; 6]| {
        out.extend_from_slice(&prefix);
        out.push(b',');
        write_cells(out, grade);
        out.push(b'\n');
    };
    let before = out.len();
    grades(&mut |grade| row(out, grade));
    if out.len() == before {
        row(out, [""; 6]);
    }
}

/// Cells of a record as the csv crate's writer writes them (each quoted only where it holds
/// a comma, a quote or a line end, quotes doubled), joined by commas, without the record's
/// end: its core writer, driven cell by cell.
fn write_cells<'c>(out: &mut Vec<u8>, cells: impl IntoIterator<Item = &'c str>) {
    use csv_core::WriteResult;
    let mut writer = csv_core::Writer::new();
    let mut buffer = [0u8; 256];
    for (index, cell) in cells.into_iter().enumerate() {
        if index > 0 {
            // Closes a quoted cell before the comma.
            let (_, written) = writer.delimiter(&mut buffer);
            out.extend_from_slice(&buffer[..written]);
        }
        let mut input = cell.as_bytes();
        loop {
            let (result, read, written) = writer.field(input, &mut buffer);
            out.extend_from_slice(&buffer[..written]);
            input = &input[read..];
            if result == WriteResult::InputEmpty {
                break;
            }
        }
    }
    // Closes the last cell's quote, if it has one.
    let (_, written) = writer.finish(&mut buffer);
    out.extend_from_slice(&buffer[..written]);
}

/// [`spreadsheet_safe`], borrowing the cell when it needs nothing.
fn safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
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

/// The CSV header line, written as the rows are.
fn csv_header() -> String {
    let mut out = Vec::new();
    write_cells(&mut out, CSV_HEADER);
    out.push(b'\n');
    // The cells are strings, so the line is UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// `judgement=1|2` for each implied judgement.
fn implied_list(implied: &BTreeMap<String, Vec<i64>>) -> Vec<String> {
    implied
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("@SUM(1)"), "'@SUM(1)");
        assert_eq!(spreadsheet_safe("-2+3"), "'-2+3");
        assert_eq!(spreadsheet_safe("Leeds"), "Leeds");
    }
}
