//! The JSON shapes of what a rule author runs: `diff`, `coverage`, `hypotheses` and `wanted`.

use std::collections::BTreeMap;

use ratings_core::{Basis, Strength};
use serde::Serialize;

use crate::compare::{Change, ConstraintCoverage, Diff, Wanted};
use crate::result::Support;

/// What a rule change does to a set of records (`diff`).
#[derive(Serialize)]
pub struct DiffJson<'a> {
    changes: Vec<ChangeJson<'a>>,
    directions: &'a BTreeMap<String, usize>,
    assessments_before: usize,
    assessments_after: usize,
    rejected_before: usize,
    rejected_after: usize,
}

impl<'a> From<&'a Diff> for DiffJson<'a> {
    fn from(d: &'a Diff) -> Self {
        DiffJson {
            changes: d.changes.iter().map(ChangeJson::from).collect(),
            directions: &d.directions,
            assessments_before: d.assessments_before,
            assessments_after: d.assessments_after,
            rejected_before: d.rejected_before,
            rejected_after: d.rejected_after,
        }
    }
}

/// What changed for one assessment; a verdict is `null` on the side the assessment is absent.
#[derive(Serialize)]
pub struct ChangeJson<'a> {
    authority: &'a str,
    period: &'a str,
    before: Option<&'a str>,
    after: Option<&'a str>,
    appeared: &'a [String],
    disappeared: &'a [String],
    allowed: &'a BTreeMap<String, (Vec<i64>, Vec<i64>)>,
    implied: &'a BTreeMap<String, (Vec<i64>, Vec<i64>)>,
}

impl<'a> From<&'a Change> for ChangeJson<'a> {
    fn from(c: &'a Change) -> Self {
        ChangeJson {
            authority: &c.authority,
            period: &c.period,
            before: c.before.map(|v| v.as_str()),
            after: c.after.map(|v| v.as_str()),
            appeared: &c.appeared,
            disappeared: &c.disappeared,
            allowed: &c.allowed,
            implied: &c.implied,
        }
    }
}

/// How one constraint fared against the corpus (`coverage`): the counts, not the assessments.
#[derive(Serialize)]
pub struct ConstraintCoverageJson<'a> {
    rule_set: &'a str,
    constraint: &'a str,
    years: &'a str,
    #[serde(serialize_with = "super::strength")]
    strength: Strength,
    #[serde(serialize_with = "super::basis")]
    basis: Basis,
    tested: usize,
    narrowed: usize,
    violated: usize,
    independent_supports: usize,
    circular_supports: usize,
    independent_contradicts: usize,
    circular_contradicts: usize,
}

impl<'a> From<&'a ConstraintCoverage> for ConstraintCoverageJson<'a> {
    fn from(c: &'a ConstraintCoverage) -> Self {
        ConstraintCoverageJson {
            rule_set: &c.rule_set,
            constraint: &c.constraint,
            years: &c.years,
            strength: c.strength,
            basis: c.basis,
            tested: c.tested,
            narrowed: c.narrowed,
            violated: c.violated,
            independent_supports: c.independent_supports,
            circular_supports: c.circular_supports,
            independent_contradicts: c.independent_contradicts,
            circular_contradicts: c.circular_contradicts,
        }
    }
}

/// Every constraint's coverage: `{"constraints": [...]}`.
#[derive(Serialize)]
pub struct CoverageJson<'a> {
    constraints: Vec<ConstraintCoverageJson<'a>>,
}

/// Coverage as its JSON shape.
pub fn coverage(rows: &[ConstraintCoverage]) -> CoverageJson<'_> {
    CoverageJson {
        constraints: rows.iter().map(ConstraintCoverageJson::from).collect(),
    }
}

/// The inferred rules and the evidence for and against each (`hypotheses`):
/// `{"rules": [...]}`.
#[derive(Serialize)]
pub struct HypothesesJson<'a> {
    rules: Vec<HypothesisJson<'a>>,
}

/// One inferred rule and the assessments that support it, contradict it, or test it only where
/// its condition did not hold.
#[derive(Serialize)]
pub struct HypothesisJson<'a> {
    rule: &'a str,
    rule_set: &'a str,
    years: &'a str,
    #[serde(serialize_with = "super::strength")]
    strength: Strength,
    independent: EvidenceCountsJson,
    circular: EvidenceCountsJson,
    supporting: Vec<EvidenceJson<'a>>,
    contradicting: Vec<EvidenceJson<'a>>,
    condition_did_not_hold: Vec<AssessmentKeyJson<'a>>,
}

/// How many assessments support a rule and how many contradict it.
#[derive(Serialize)]
pub struct EvidenceCountsJson {
    supports: usize,
    contradicts: usize,
}

/// An assessment that supports or contradicts a rule, and whether it tests it independently.
#[derive(Serialize)]
pub struct EvidenceJson<'a> {
    authority: &'a str,
    period: &'a str,
    support: &'a str,
}

/// An assessment, by authority and period.
#[derive(Serialize)]
pub struct AssessmentKeyJson<'a> {
    authority: &'a str,
    period: &'a str,
}

/// The hypotheses (the rules marked `inferred`) as their JSON shape.
pub fn hypotheses(rows: &[ConstraintCoverage]) -> HypothesesJson<'_> {
    HypothesesJson {
        rules: rows
            .iter()
            .filter(|r| r.basis == Basis::Inferred)
            .map(|r| HypothesisJson {
                rule: &r.constraint,
                rule_set: &r.rule_set,
                years: &r.years,
                strength: r.strength,
                independent: EvidenceCountsJson {
                    supports: r.independent_supports,
                    contradicts: r.independent_contradicts,
                },
                circular: EvidenceCountsJson {
                    supports: r.circular_supports,
                    contradicts: r.circular_contradicts,
                },
                supporting: evidence(&r.supporting),
                contradicting: evidence(&r.contradicting),
                condition_did_not_hold: r
                    .vacuous
                    .iter()
                    .map(|(authority, period)| AssessmentKeyJson { authority, period })
                    .collect(),
            })
            .collect(),
    }
}

/// A grade that is not published but would let rules test assessments if it were (`wanted`).
#[derive(Serialize)]
pub struct WantedJson<'a> {
    judgement: &'a str,
    assessments: usize,
    rules: &'a [String],
    examples: &'a [String],
}

impl<'a> From<&'a Wanted> for WantedJson<'a> {
    fn from(w: &'a Wanted) -> Self {
        WantedJson {
            judgement: &w.judgement,
            assessments: w.assessments,
            rules: &w.rules,
            examples: &w.examples,
        }
    }
}

/// The wanted grades: `{"wanted": [...]}`.
#[derive(Serialize)]
pub struct WantedListJson<'a> {
    wanted: Vec<WantedJson<'a>>,
}

/// The wanted grades as their JSON shape.
pub fn wanted(list: &[Wanted]) -> WantedListJson<'_> {
    WantedListJson {
        wanted: list.iter().map(WantedJson::from).collect(),
    }
}

fn evidence(items: &[(String, String, Support)]) -> Vec<EvidenceJson<'_>> {
    items
        .iter()
        .map(|(authority, period, support)| EvidenceJson {
            authority,
            period,
            support: support.as_str(),
        })
        .collect()
}
