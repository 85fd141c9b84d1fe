//! The JSON shapes: every object a `--format json` output writes, in one place.
//!
//! The library's own types (core's model and engine, the check's results) derive no
//! `Serialize`: renaming one of their fields cannot change what users read. Each shape here
//! borrows from the type it shows and names its fields as the JSON does; the outputs sort
//! object keys, so the order of fields here does not matter.

use std::collections::BTreeMap;

use ratings_core::{
    AnalysisFinding, Assignment, Basis, Code, Core, Difference, Problem, Reason, Strength,
};
use serde::{Serialize, Serializer};

use crate::result::{Alternative, AssessmentResult, Cited, Finding, Published, Summary, WouldTest};
use crate::subject::{Labels, Subject};

mod changes;
mod extraction;

pub use changes::{
    coverage, hypotheses, wanted, AssessmentKeyJson, ChangeJson, ConstraintCoverageJson,
    CoverageJson, DiffJson, EvidenceCountsJson, EvidenceJson, HypothesesJson, HypothesisJson,
    WantedJson, WantedListJson,
};
pub use extraction::{
    extractions, DocumentFindingJson, ExtractedRecordJson, ExtractionJson, SkippedJson, SourceJson,
};

/// A problem with an input (or a rule file).
#[derive(Serialize)]
pub struct ProblemJson<'a> {
    code: &'a str,
    severity: &'a str,
    message: &'a str,
    file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    judgement: Option<&'a str>,
}

impl<'a> From<&'a Problem> for ProblemJson<'a> {
    fn from(p: &'a Problem) -> Self {
        ProblemJson {
            code: p.code.as_str(),
            severity: p.severity.as_str(),
            message: &p.message,
            file: &p.file,
            line: p.line,
            column: p.column,
            help: p.help.as_deref(),
            judgement: p.judgement.as_deref(),
        }
    }
}

/// Every problem, as JSON shapes.
pub fn problems(problems: &[Problem]) -> Vec<ProblemJson<'_>> {
    problems.iter().map(ProblemJson::from).collect()
}

/// Why judgements lost values (`explain`, and the `because` of an implied grade).
#[derive(Serialize)]
pub struct ReasonJson<'a> {
    rule: &'a str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    with: &'a [String],
    because: &'a Assignment,
    removes: &'a BTreeMap<String, Vec<i64>>,
}

impl<'a> From<&'a Reason> for ReasonJson<'a> {
    fn from(r: &'a Reason) -> Self {
        ReasonJson {
            rule: &r.rule,
            with: &r.with,
            because: &r.because,
            removes: &r.removes,
        }
    }
}

/// Reasons as JSON shapes.
pub fn reasons(reasons: &[Reason]) -> Vec<ReasonJson<'_>> {
    reasons.iter().map(ReasonJson::from).collect()
}

/// A minimal contradiction (`explain`).
#[derive(Serialize)]
pub struct CoreJson<'a> {
    given: &'a Assignment,
    rules: &'a [String],
}

impl<'a> From<&'a Core> for CoreJson<'a> {
    fn from(c: &'a Core) -> Self {
        CoreJson {
            given: &c.given,
            rules: &c.rules,
        }
    }
}

/// A finding about a rule directory (`analyze`).
#[derive(Serialize)]
pub struct AnalysisFindingJson<'a> {
    code: &'a str,
    severity: &'a str,
    period: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    constraint: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    because: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    judgement: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    witness: Option<&'a Assignment>,
}

impl<'a> From<&'a AnalysisFinding> for AnalysisFindingJson<'a> {
    fn from(f: &'a AnalysisFinding) -> Self {
        AnalysisFindingJson {
            code: f.code.as_str(),
            severity: f.severity.as_str(),
            period: &f.period,
            message: &f.message,
            constraint: f.constraint.as_deref(),
            file: f.location.as_ref().map(|l| l.file.as_str()),
            line: f.location.as_ref().map(|l| l.line),
            column: f.location.as_ref().map(|l| l.column),
            because: &f.because,
            judgement: f.judgement.as_deref(),
            value: f.value,
            witness: f.witness.as_ref(),
        }
    }
}

/// A difference between two rule directories (`analyze --compare`).
#[derive(Serialize)]
pub struct DifferenceJson<'a> {
    period: &'a str,
    allowed_by: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    forbidden_by: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    witness: Option<&'a Assignment>,
}

impl<'a> From<&'a Difference> for DifferenceJson<'a> {
    fn from(d: &'a Difference) -> Self {
        DifferenceJson {
            period: &d.period,
            allowed_by: &d.allowed_by,
            message: &d.message,
            forbidden_by: d.forbidden_by.as_deref(),
            witness: d.witness.as_ref(),
        }
    }
}

/// Who an assessment is about.
#[derive(Serialize)]
pub struct SubjectJson<'a> {
    kind: &'a str,
    id: &'a str,
    name: &'a str,
    rules: &'a str,
}

impl<'a> From<&'a Subject> for SubjectJson<'a> {
    fn from(s: &'a Subject) -> Self {
        SubjectJson {
            kind: s.kind.as_str(),
            id: &s.id,
            name: &s.name,
            rules: &s.rules,
        }
    }
}

/// An inspection's number and a provider's attributes, beside the subject.
#[derive(Serialize)]
pub struct LabelsJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    inspection: Option<&'a str>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    attributes: &'a BTreeMap<String, String>,
}

impl<'a> From<&'a Labels> for LabelsJson<'a> {
    fn from(l: &'a Labels) -> Self {
        LabelsJson {
            inspection: l.inspection.as_deref(),
            attributes: &l.attributes,
        }
    }
}

/// One published grade and where it was read.
#[derive(Serialize)]
pub struct PublishedJson<'a> {
    value: i64,
    label: &'a str,
    document: &'a str,
    locator: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
}

impl<'a> From<&'a Published> for PublishedJson<'a> {
    fn from(p: &'a Published) -> Self {
        PublishedJson {
            value: p.value,
            label: &p.label,
            document: &p.document,
            locator: &p.locator,
            file: &p.file,
            line: p.line,
            column: p.column,
        }
    }
}

/// A rule's citation.
#[derive(Serialize)]
pub struct CitedJson<'a> {
    document: &'a str,
    title: &'a str,
    locator: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

impl<'a> From<&'a Cited> for CitedJson<'a> {
    fn from(c: &'a Cited) -> Self {
        CitedJson {
            document: &c.document,
            title: &c.title,
            locator: &c.locator,
            url: c.url.as_deref(),
        }
    }
}

/// One finding about an assessment.
#[derive(Serialize)]
pub struct FindingJson<'a> {
    code: &'a str,
    severity: &'a str,
    rule: Option<&'a str>,
    judgements: &'a [String],
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    basis: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    strength: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    cite: Vec<CitedJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    support: Option<&'a str>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    evidence: &'a Assignment,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    allowed_instead: &'a BTreeMap<String, Vec<i64>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    because: Vec<ReasonJson<'a>>,
    #[serde(skip_serializing_if = "<[usize]>::is_empty")]
    lines: &'a [usize],
}

impl<'a> From<&'a Finding> for FindingJson<'a> {
    fn from(f: &'a Finding) -> Self {
        FindingJson {
            code: f.code.as_str(),
            severity: f.severity.as_str(),
            rule: f.rule.as_deref(),
            judgements: &f.judgements,
            message: &f.message,
            text: f.text.as_deref(),
            basis: f.basis.map(|b| b.as_str()),
            strength: f.strength.map(|s| s.as_str()),
            cite: f.cite.iter().map(CitedJson::from).collect(),
            support: f.support.map(|s| s.as_str()),
            evidence: &f.evidence,
            allowed_instead: &f.allowed_instead,
            because: reasons(&f.because),
            lines: &f.lines,
        }
    }
}

/// An unpublished judgement that would let rules test an assessment.
#[derive(Serialize)]
pub struct WouldTestJson<'a> {
    judgement: &'a str,
    rules: &'a [String],
}

/// One grade sources disagree on, with the verdict if it is right.
#[derive(Serialize)]
pub struct AlternativeJson<'a> {
    judgement: &'a str,
    value: i64,
    label: &'a str,
    source: &'a str,
    verdict: &'a str,
}

/// The verdict on one assessment, with everything behind it.
#[derive(Serialize)]
pub struct ResultJson<'a> {
    subject: SubjectJson<'a>,
    #[serde(flatten)]
    labels: LabelsJson<'a>,
    year: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    rule_sets: &'a [String],
    verdict: &'a str,
    support: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    basis: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tested_rules: &'a [String],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    would_test: Vec<WouldTestJson<'a>>,
    findings: Vec<FindingJson<'a>>,
    published: BTreeMap<&'a str, Vec<PublishedJson<'a>>>,
    allowed: &'a BTreeMap<String, Vec<i64>>,
    implied: &'a BTreeMap<String, Vec<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tested_by: Option<&'a Assignment>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    alternatives: Vec<AlternativeJson<'a>>,
}

impl<'a> From<&'a AssessmentResult> for ResultJson<'a> {
    fn from(r: &'a AssessmentResult) -> Self {
        ResultJson {
            subject: SubjectJson::from(&*r.subject),
            labels: LabelsJson::from(&r.labels),
            year: r.year,
            date: r.date.as_deref(),
            rule_sets: &r.rule_sets,
            verdict: r.verdict.as_str(),
            support: r.support.as_str(),
            basis: r.basis.map(|b| b.as_str()),
            tested_rules: &r.tested_rules,
            would_test: r
                .would_test
                .iter()
                .map(|w: &'a WouldTest| WouldTestJson {
                    judgement: &w.judgement,
                    rules: &w.rules,
                })
                .collect(),
            findings: r.findings.iter().map(FindingJson::from).collect(),
            published: r
                .published
                .iter()
                .map(|(judgement, sources)| {
                    (
                        judgement.as_str(),
                        sources.iter().map(PublishedJson::from).collect(),
                    )
                })
                .collect(),
            allowed: &r.allowed,
            implied: &r.implied,
            tested_by: r.tested_by.as_ref(),
            alternatives: r
                .alternatives
                .iter()
                .map(|a: &'a Alternative| AlternativeJson {
                    judgement: &a.judgement,
                    value: a.value,
                    label: &a.label,
                    source: &a.source,
                    verdict: a.verdict.as_str(),
                })
                .collect(),
        }
    }
}

/// The counts of a run.
#[derive(Serialize)]
pub struct SummaryJson {
    files: usize,
    unreadable_files: usize,
    skipped_files: usize,
    ignored_columns: usize,
    records: usize,
    checked: usize,
    not_graded: usize,
    rejected: usize,
    assessments: usize,
    consistent: usize,
    inconsistent: usize,
    unverifiable: usize,
    undecided: usize,
    disputed: usize,
    consistent_independent: usize,
    consistent_circular: usize,
    consistent_unregistered: usize,
    with_errors: usize,
    conflicts: usize,
}

impl From<&Summary> for SummaryJson {
    fn from(s: &Summary) -> Self {
        SummaryJson {
            files: s.files,
            unreadable_files: s.unreadable_files,
            skipped_files: s.skipped_files,
            ignored_columns: s.ignored_columns,
            records: s.records,
            checked: s.checked,
            not_graded: s.not_graded,
            rejected: s.rejected,
            assessments: s.assessments,
            consistent: s.consistent,
            inconsistent: s.inconsistent,
            unverifiable: s.unverifiable,
            undecided: s.undecided,
            disputed: s.disputed,
            consistent_independent: s.consistent_independent,
            consistent_circular: s.consistent_circular,
            consistent_unregistered: s.consistent_unregistered,
            with_errors: s.with_errors,
            conflicts: s.conflicts,
        }
    }
}

/// A code as JSON writes it: `rule-broken`. For `#[serde(serialize_with)]` in the shapes of
/// this module and its others (`changes.rs`, `extraction.rs`).
pub(crate) fn code<S: Serializer>(code: &Code, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(code.as_str())
}

/// A strength as JSON writes it: `must`.
pub(crate) fn strength<S: Serializer>(
    strength: &Strength,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(strength.as_str())
}

/// A basis as JSON writes it: `reported`.
pub(crate) fn basis<S: Serializer>(basis: &Basis, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(basis.as_str())
}
