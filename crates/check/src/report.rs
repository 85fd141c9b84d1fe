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

/// One row per assessment, for spreadsheets.
pub fn csv(report: &Report) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record([
        "authority",
        "la_code",
        "year",
        "verdict",
        "errors",
        "warnings",
        "rules_broken",
        "published",
        "implied",
    ]);
    for result in &report.results {
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
        let implied: Vec<String> = result
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
            .collect();
        let _ = writer.write_record([
            result.authority.as_str(),
            result.la_code.as_str(),
            &result.year.to_string(),
            verdict_name(result.verdict),
            &count(Severity::Error),
            &count(Severity::Warning),
            &rules.join(" "),
            &published.join(" "),
            &implied.join(" "),
        ]);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// One line per assessment: `authority year verdict broken=[..] implied=[..]`, for snapshots
/// that show every flipped verdict in a small diff.
pub fn compact(report: &Report) -> String {
    let mut out = String::new();
    for result in &report.results {
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
        let implied: Vec<String> = result
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
            .collect();
        let _ = write!(
            out,
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
    }
    out.push_str(&summary_line(report));
    out.push('\n');
    out
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
