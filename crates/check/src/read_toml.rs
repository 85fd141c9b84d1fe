//! TOML record files: `[[record]]` tables, each read on its own, so that a mistake in one
//! record rejects that record only, with its position, and the records beside it are checked.

use ratings_core::toml_table::{self, date, describe, integer, Table};
use ratings_core::{Code, Problem, SourceText};
use toml::de::DeValue;
use toml::Spanned;

use crate::record::{Record, Source, WrittenGrade, WrittenPeriod, WrittenValue};
use crate::ReadFile;

const HELP: &str = "a record file is `[[record]]` tables with `authority` (or `provider = { urn, subject }`), `year` (or `date`), `source = { document, locator }` and `[record.grades]`; see docs/records.md";
const RECORD_KEYS: &[&str] = &["authority", "provider", "year", "date", "source", "grades"];
const PROVIDER_KEYS: &[&str] = &[
    "urn",
    "subject",
    "inspection",
    "name",
    "type",
    "sector",
    "local_authority",
];

/// Read the `[[record]]` tables of a TOML text.
pub fn read_toml(text: &SourceText) -> ReadFile {
    if let Some(problem) = crate::read_csv::empty(text) {
        return ReadFile::unreadable(problem);
    }
    let mut problems = Vec::new();
    let Some(root) = toml_table::parse(text, Code::InvalidRecordFile, HELP, &mut problems) else {
        return ReadFile::unreadable(problems.remove(0));
    };
    let file = Table::root(text, &root, "a record file");
    let mut records = Vec::new();
    let mut found = false;
    let mut document_findings = Vec::new();
    for (key, value) in file.entries.iter() {
        let name: &str = key.get_ref();
        // What `extract` found in a letter or report besides its grades: grades it could not
        // place (each a rejected record, as when the letter itself is checked) and
        // disagreements inside the document (attached to their assessments).
        if name == "unplaced" || name == "disagreement" {
            found = true;
            let items = match value.get_ref() {
                DeValue::Array(items) => &items[..],
                _ => std::slice::from_ref(value),
            };
            for item in items {
                if name == "unplaced" {
                    records.push(unplaced(text, item));
                } else {
                    match disagreement(text, item) {
                        Ok(finding) => document_findings.push(finding),
                        Err(problem) => records.push(rejected(text, item.span(), problem)),
                    }
                }
            }
            continue;
        }
        if name == "record" {
            found = true;
            match value.get_ref() {
                DeValue::Array(items) => {
                    for item in items.iter() {
                        records.push(record(text, item));
                    }
                }
                other => records.push(rejected(
                    text,
                    value.span(),
                    Problem::at(
                        Code::InvalidRecordFile,
                        text,
                        value.span(),
                        format!(
                            "`record` must be an array of tables (`[[record]]`), not {}",
                            describe(other)
                        ),
                    )
                    .with_help(HELP),
                )),
            }
            continue;
        }
        // Anything else holds no record that will be checked: each table under it counts as a
        // rejected record, so nothing is lost silently.
        let mut unknown = Vec::new();
        file.check_keys(&["record", "unplaced", "disagreement"], &mut unknown);
        let problem = unknown
            .into_iter()
            .find(|p| p.line.map(|l| l as usize) == Some(text.line_column(key.span().start).0))
            .unwrap_or_else(|| {
                Problem::at(
                    Code::UnknownKey,
                    text,
                    key.span(),
                    "a record file takes only `[[record]]` tables",
                )
            });
        match value.get_ref() {
            DeValue::Array(items) if !items.is_empty() => {
                for item in items.iter() {
                    records.push(rejected(text, item.span(), problem.clone()));
                }
            }
            _ => records.push(rejected(text, key.span(), problem)),
        }
    }
    if !found && records.is_empty() {
        return ReadFile::unreadable(
            Problem::in_file(
                Code::NoRecords,
                &text.name,
                "the file holds no `[[record]]` tables",
            )
            .with_help("a record file is `[[record]]` tables; see docs/records.md"),
        );
    }
    ReadFile {
        records,
        document_findings,
        ..ReadFile::default()
    }
}

fn not_a_table(text: &SourceText, value: &Spanned<DeValue<'_>>) -> Problem {
    Problem::at(Code::InvalidValue, text, value.span(), "must be a table")
}

/// An `[[unplaced]]` table: a grade `extract` found in a document but could not place, kept so
/// that checking the extracted records loses it no more than checking the document does. It is
/// a rejected record (`unplaceable-grade`).
fn unplaced(text: &SourceText, value: &Spanned<DeValue<'_>>) -> Record {
    let mut problems = Vec::new();
    let Some(table) = Table::of(text, value, "an `[[unplaced]]` grade", &mut problems) else {
        return Record {
            problems,
            ..rejected(text, value.span(), not_a_table(text, value))
        };
    };
    table.check_keys(&["file", "line", "text", "reason"], &mut problems);
    let file = table.string("file", &mut problems).map(Spanned::into_inner);
    let line = table
        .integer("line", &mut problems)
        .map(Spanned::into_inner);
    let written = table.string("text", &mut problems).map(Spanned::into_inner);
    let reason = table
        .string("reason", &mut problems)
        .map_or_else(|| "no reason given".to_owned(), Spanned::into_inner);
    let place = match (file, line) {
        (Some(file), Some(line)) => format!(" ({file}, line {line})"),
        (None, Some(line)) => format!(" (line {line})"),
        _ => String::new(),
    };
    let what = written.map_or_else(String::new, |t| format!(": `{t}`"));
    let mut record = rejected(
        text,
        value.span(),
        Problem::at(
            Code::UnplaceableGrade,
            text,
            value.span(),
            format!("a grade was found but not placed{place}{what}: {reason}"),
        ),
    );
    record.problems.extend(problems);
    record
}

/// A `[[disagreement]]` table: a disagreement `extract` found inside a document (two grades
/// it states for one judgement), as the check of the document itself reports it.
fn disagreement(
    text: &SourceText,
    value: &Spanned<DeValue<'_>>,
) -> Result<crate::DocumentFinding, Problem> {
    let mut problems = Vec::new();
    let Some(table) = Table::of(text, value, "a `[[disagreement]]`", &mut problems) else {
        return Err(problems
            .into_iter()
            .next()
            .unwrap_or_else(|| not_a_table(text, value)));
    };
    table.check_keys(
        &[
            "file",
            "code",
            "authority",
            "year",
            "date",
            "judgement",
            "lines",
            "message",
            "alternative",
        ],
        &mut problems,
    );
    table.require(
        &["code", "authority", "judgement", "message"],
        "a disagreement is written by `ratings extract`; see docs/letters.md",
        &mut problems,
    );
    let code = table.string("code", &mut problems);
    let code = code.and_then(|code| {
        let found = Code::from_name(code.get_ref()).filter(|c| {
            matches!(
                c,
                Code::LabelMismatch
                    | Code::NarrativeMismatch
                    | Code::RestatedGradeMismatch
                    | Code::JudgementMismatch
            )
        });
        if found.is_none() {
            problems.push(Problem::at(
                Code::InvalidValue,
                text,
                code.span(),
                format!("`{}` is not a disagreement inside a document", code.get_ref()),
            ).with_help("a disagreement's code is `label-mismatch`, `narrative-mismatch`, `restated-grade-mismatch` or `judgement-mismatch`"));
        }
        found
    });
    let period = match (table.get("year"), table.get("date")) {
        (Some(year), None) => integer(year.get_ref())
            .and_then(|y| i32::try_from(y).ok())
            .map(ratings_core::Period::Year),
        (None, Some(day)) => date(day.get_ref()).map(ratings_core::Period::Date),
        _ => None,
    };
    if period.is_none() {
        problems.push(Problem::at(
            Code::InvalidValue,
            text,
            value.span(),
            "a disagreement needs the `year` or the `date` of its assessment",
        ));
    }
    let lines: Vec<usize> = table
        .array("lines", &mut problems)
        .unwrap_or_default()
        .iter()
        .filter_map(|line| integer(line.get_ref()).and_then(|l| usize::try_from(l).ok()))
        .collect();
    // The document's name is for the reader of the file; the finding belongs to the records
    // read from this file, as a letter's do to the letter's.
    let _document = table.string("file", &mut problems);
    let finding = crate::DocumentFinding {
        file: text.name.clone(),
        code: code.unwrap_or(Code::RestatedGradeMismatch),
        authority: table
            .string("authority", &mut problems)
            .map(Spanned::into_inner)
            .unwrap_or_default(),
        period: period.unwrap_or(ratings_core::Period::Year(0)),
        judgement: table
            .string("judgement", &mut problems)
            .map(Spanned::into_inner)
            .unwrap_or_default(),
        lines,
        message: table
            .string("message", &mut problems)
            .map(Spanned::into_inner)
            .unwrap_or_default(),
        alternative: table
            .integer("alternative", &mut problems)
            .map(Spanned::into_inner),
    };
    match problems.into_iter().next() {
        Some(problem) => Err(problem),
        None => Ok(finding),
    }
}

fn rejected(text: &SourceText, span: std::ops::Range<usize>, problem: Problem) -> Record {
    Record {
        text: text.clone(),
        span,
        authority: None,
        provider: None,
        not_graded: None,
        period: None,
        source: Source {
            document: String::new(),
            locator: String::new(),
        },
        grades: Vec::new(),
        problems: vec![problem],
    }
}

/// One `[[record]]` table; its problems travel with it.
fn record(text: &SourceText, value: &Spanned<DeValue<'_>>) -> Record {
    let mut problems = Vec::new();
    let mut out = Record {
        text: text.clone(),
        span: value.span(),
        authority: None,
        provider: None,
        not_graded: None,
        period: None,
        source: Source {
            document: String::new(),
            locator: String::new(),
        },
        grades: Vec::new(),
        problems: Vec::new(),
    };
    let Some(table) = Table::of(text, value, "a record", &mut problems) else {
        out.problems = problems;
        return out;
    };
    table.check_keys(RECORD_KEYS, &mut problems);
    out.authority = table.string("authority", &mut problems);
    if let Some(value) = table.get("provider") {
        if out.authority.is_some() {
            problems.push(Problem::at(
                Code::UnexpectedKey,
                text,
                value.span(),
                "the record gives both `authority` and `provider`: give one",
            ));
        } else if let Some(provider) =
            Table::of(text, value, "the record's `provider`", &mut problems)
        {
            provider.check_keys(PROVIDER_KEYS, &mut problems);
            provider.require(
                &["urn", "subject"],
                "write `provider = { urn = \"SC123456\", subject = \"children's homes\" }`",
                &mut problems,
            );
            if let (Some(urn), Some(subject)) = (
                provider.string("urn", &mut problems),
                provider.string("subject", &mut problems),
            ) {
                let inspection = provider
                    .string("inspection", &mut problems)
                    .map(|number| ("inspection".to_owned(), number));
                let attributes = ["name", "type", "sector", "local_authority"]
                    .iter()
                    .filter_map(|key| {
                        Some((
                            (*key).to_owned(),
                            provider.string(key, &mut problems)?.into_inner(),
                        ))
                    })
                    .collect();
                out.provider = Some(crate::record::WrittenProvider {
                    urn,
                    subject,
                    inspection,
                    same_within_days: None,
                    attributes,
                });
            }
        }
    }
    out.period = match (table.get("year"), table.get("date")) {
        (Some(_), Some(date_value)) => {
            problems.push(Problem::at(
                Code::UnexpectedKey,
                text,
                date_value.span(),
                "the record gives both `year` and `date`: give one",
            ));
            None
        }
        (Some(year), None) => Some(Spanned::new(
            year.span(),
            match integer(year.get_ref()) {
                Some(number) => WrittenPeriod::Year(number),
                None => WrittenPeriod::Invalid(describe(year.get_ref())),
            },
        )),
        (None, Some(day)) => Some(Spanned::new(
            day.span(),
            match (date(day.get_ref()), day.get_ref()) {
                (Some(day), _) => WrittenPeriod::Date(day),
                (None, DeValue::String(written)) => crate::record::period_of_text(written),
                (None, other) => WrittenPeriod::Invalid(describe(other)),
            },
        )),
        (None, None) => None,
    };
    match table.get("source") {
        None => {
            table.require(
                &["source"],
                "write `source = { document = \"...\", locator = \"...\" }`",
                &mut problems,
            );
        }
        Some(source) => {
            if let Some(source) = Table::of(text, source, "the record's `source`", &mut problems) {
                source.check_keys(&["document", "locator"], &mut problems);
                source.require(
                    &["document", "locator"],
                    "write `source = { document = \"...\", locator = \"...\" }`",
                    &mut problems,
                );
                out.source = Source {
                    document: source
                        .string("document", &mut problems)
                        .map(Spanned::into_inner)
                        .unwrap_or_default(),
                    locator: source
                        .string("locator", &mut problems)
                        .map(Spanned::into_inner)
                        .unwrap_or_default(),
                };
            }
        }
    }
    if let Some(grades) = table.get("grades") {
        if let Some(grades) = Table::of(text, grades, "`grades`", &mut problems) {
            for (judgement, value) in grades.entries.iter() {
                let written = match value.get_ref() {
                    DeValue::String(label) => WrittenValue::Text(label.to_string()),
                    other => match integer(other) {
                        Some(number) => WrittenValue::Integer(number),
                        None => match other {
                            DeValue::Float(number) => {
                                WrittenValue::Text(number.as_str().to_owned())
                            }
                            _ => WrittenValue::Invalid(describe(other)),
                        },
                    },
                };
                out.grades.push(WrittenGrade {
                    judgement: Spanned::new(judgement.span(), judgement.get_ref().to_string()),
                    value: Spanned::new(value.span(), written),
                });
            }
        }
    }
    out.problems = problems;
    out
}
