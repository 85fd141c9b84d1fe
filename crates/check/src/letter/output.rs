//! Extractions written as record TOML that `ratings check` reads back.

use ratings_core::escape;

use super::Extraction;

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
            let place = match (
                record.pages.get(judgement),
                record.page_lines.get(judgement),
            ) {
                (Some(page), Some(on_page)) => format!("page {page}, line {on_page}"),
                (Some(page), None) => format!("page {page}"),
                (None, _) => format!("line {line}"),
            };
            out.push_str(&format!(
                "{} = {value}  # {place}: {text}\n",
                toml_string(judgement)
            ));
        }
    }
    // What the document says besides its grades travels with them, so that checking these
    // records finds what checking the document finds: each disagreement inside it, and each
    // grade found but not placed (which `check` rejects, as it does reading the document).
    for finding in &extraction.findings {
        out.push_str("\n[[disagreement]]\n");
        out.push_str(&format!("file = {}\n", toml_string(&finding.file)));
        out.push_str(&format!("code = {}\n", toml_string(finding.code.as_str())));
        out.push_str(&format!(
            "authority = {}\n",
            toml_string(&finding.authority)
        ));
        match finding.period {
            ratings_core::Period::Date(day) => out.push_str(&format!("date = {day}\n")),
            ratings_core::Period::Year(year) => out.push_str(&format!("year = {year}\n")),
        }
        out.push_str(&format!(
            "judgement = {}\n",
            toml_string(&finding.judgement)
        ));
        let lines: Vec<String> = finding.lines.iter().map(usize::to_string).collect();
        out.push_str(&format!("lines = [{}]\n", lines.join(", ")));
        out.push_str(&format!("message = {}\n", toml_string(&finding.message)));
        if let Some(alternative) = finding.alternative {
            out.push_str(&format!("alternative = {alternative}\n"));
        }
    }
    for skipped in &extraction.skipped {
        out.push_str("\n[[unplaced]]\n");
        out.push_str(&format!("file = {}\n", toml_string(file)));
        out.push_str(&format!("line = {}\n", skipped.line));
        out.push_str(&format!(
            "text = {}\n",
            toml_string(&one_line(&skipped.text))
        ));
        out.push_str(&format!("reason = {}\n", toml_string(&skipped.reason)));
    }
    out
}

pub(super) fn one_line(text: &str) -> String {
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

pub(super) fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}
