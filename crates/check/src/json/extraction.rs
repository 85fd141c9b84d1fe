//! The JSON shapes of `extract`: the records read from letters and reports, the grades found
//! but not placed, and the disagreements inside the documents.

use std::collections::BTreeMap;

use ratings_core::Code;
use serde::Serialize;

use crate::assessment::DocumentFinding;
use crate::letter::{ExtractedRecord, Extraction, Skipped};
use crate::record::Source;

/// What some documents gave, in one list each: `{"records", "skipped", "findings"}`
/// (`findings` only when there are some).
#[derive(Serialize)]
pub struct ExtractionJson<'a> {
    records: Vec<ExtractedRecordJson<'a>>,
    skipped: Vec<SkippedJson<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    findings: Vec<DocumentFindingJson<'a>>,
}

/// The extractions of several documents as one JSON shape, in the order given.
pub fn extractions<'a>(
    extractions: impl IntoIterator<Item = &'a Extraction>,
) -> ExtractionJson<'a> {
    let mut json = ExtractionJson {
        records: Vec::new(),
        skipped: Vec::new(),
        findings: Vec::new(),
    };
    for extraction in extractions {
        json.records
            .extend(extraction.records.iter().map(ExtractedRecordJson::from));
        json.skipped
            .extend(extraction.skipped.iter().map(SkippedJson::from));
        json.findings
            .extend(extraction.findings.iter().map(DocumentFindingJson::from));
    }
    json
}

/// The grades one document states about one authority in one year or inspection.
#[derive(Serialize)]
pub struct ExtractedRecordJson<'a> {
    authority: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<&'a str>,
    year: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    framework: Option<&'a str>,
    source: SourceJson<'a>,
    grades: &'a BTreeMap<String, i64>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    labels: &'a BTreeMap<String, String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pages: &'a BTreeMap<String, u32>,
    lines: &'a BTreeMap<String, usize>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    page_lines: &'a BTreeMap<String, u32>,
}

impl<'a> From<&'a ExtractedRecord> for ExtractedRecordJson<'a> {
    fn from(r: &'a ExtractedRecord) -> Self {
        ExtractedRecordJson {
            authority: &r.authority,
            date: r.date.as_deref(),
            published: r.published.as_deref(),
            year: r.year,
            framework: r.framework.as_deref(),
            source: SourceJson::from(&r.source),
            grades: &r.grades,
            labels: &r.labels,
            pages: &r.pages,
            lines: &r.lines,
            page_lines: &r.page_lines,
        }
    }
}

/// Where a record came from: the document and the place in it.
#[derive(Serialize)]
pub struct SourceJson<'a> {
    document: &'a str,
    locator: &'a str,
}

impl<'a> From<&'a Source> for SourceJson<'a> {
    fn from(s: &'a Source) -> Self {
        SourceJson {
            document: &s.document,
            locator: &s.locator,
        }
    }
}

/// A grade found but not placed, with its line and why.
#[derive(Serialize)]
pub struct SkippedJson<'a> {
    line: usize,
    text: &'a str,
    reason: &'a str,
}

impl<'a> From<&'a Skipped> for SkippedJson<'a> {
    fn from(s: &'a Skipped) -> Self {
        SkippedJson {
            line: s.line,
            text: &s.text,
            reason: &s.reason,
        }
    }
}

/// A disagreement inside one document.
#[derive(Serialize)]
pub struct DocumentFindingJson<'a> {
    #[serde(serialize_with = "super::code")]
    code: Code,
    authority: &'a str,
    judgement: &'a str,
    lines: &'a [usize],
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    alternative: Option<i64>,
}

impl<'a> From<&'a DocumentFinding> for DocumentFindingJson<'a> {
    fn from(f: &'a DocumentFinding) -> Self {
        DocumentFindingJson {
            code: f.code,
            authority: &f.authority,
            judgement: &f.judgement,
            lines: &f.lines,
            message: &f.message,
            alternative: f.alternative,
        }
    }
}
