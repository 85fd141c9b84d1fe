//! `diff`: what a rule change does to a set of records, every assessment whose verdict,
//! findings, allowed or implied values differ between two checks.

use std::collections::{BTreeMap, BTreeSet};

use ratings_core::Code;

use crate::result::{AssessmentResult, Report, Verdict};

/// What changed for one assessment between two rule directories.
#[derive(Debug)]
pub struct Change {
    /// The canonical authority.
    pub authority: String,
    /// `2008` or `2024-05-01`.
    pub period: String,
    /// `None` when the assessment did not exist on that side (its records were rejected).
    pub before: Option<Verdict>,
    /// `None` when the assessment did not exist on that side.
    pub after: Option<Verdict>,
    /// Findings (code and rule) the new rules give that the old did not.
    pub appeared: Vec<String>,
    /// Findings the old rules gave that the new do not.
    pub disappeared: Vec<String>,
    /// Judgements whose allowed values changed: (before, after).
    pub allowed: BTreeMap<String, (Vec<i64>, Vec<i64>)>,
    /// Unpublished judgements whose implied values changed: (before, after); empty means none.
    pub implied: BTreeMap<String, (Vec<i64>, Vec<i64>)>,
}

#[derive(Debug)]
/// What a rule change does to a set of records: every assessment whose result changed.
pub struct Diff {
    /// The changed assessments, in (authority, period) order.
    pub changes: Vec<Change>,
    /// "consistent -> inconsistent" and the like, with counts.
    pub directions: BTreeMap<String, usize>,
    /// Assessments checked with the old rules.
    pub assessments_before: usize,
    /// Assessments checked with the new rules.
    pub assessments_after: usize,
    /// Records rejected with the old rules.
    pub rejected_before: usize,
    /// Records rejected with the new rules.
    pub rejected_after: usize,
}

/// Every assessment whose verdict, findings, allowed or implied values differ.
pub fn diff(before: &Report, after: &Report) -> Diff {
    let key = |r: &AssessmentResult| (r.name(), r.period());
    let old: BTreeMap<(String, String), &AssessmentResult> =
        before.results.iter().map(|r| (key(r), r)).collect();
    let new: BTreeMap<(String, String), &AssessmentResult> =
        after.results.iter().map(|r| (key(r), r)).collect();
    let keys: BTreeSet<&(String, String)> = old.keys().chain(new.keys()).collect();
    let mut changes = Vec::new();
    let mut directions: BTreeMap<String, usize> = BTreeMap::new();
    for key in keys {
        let (a, b) = (old.get(key).copied(), new.get(key).copied());
        let findings = |r: Option<&AssessmentResult>| -> BTreeSet<String> {
            r.map(|r| r.findings.iter().map(finding_key).collect())
                .unwrap_or_default()
        };
        let (fa, fb) = (findings(a), findings(b));
        let allowed = changed_maps(a.map(|r| &r.allowed), b.map(|r| &r.allowed));
        let implied = changed_maps(a.map(|r| &r.implied), b.map(|r| &r.implied));
        let (va, vb) = (a.map(|r| r.verdict), b.map(|r| r.verdict));
        // An assessment undecided on both sides may have changed: it is shown, never "no change".
        let undecided = va == Some(Verdict::Undecided) || vb == Some(Verdict::Undecided);
        if !undecided && va == vb && fa == fb && allowed.is_empty() && implied.is_empty() {
            continue;
        }
        *directions
            .entry(format!("{} -> {}", side(va), side(vb)))
            .or_default() += 1;
        changes.push(Change {
            authority: key.0.clone(),
            period: key.1.clone(),
            before: va,
            after: vb,
            appeared: fb.difference(&fa).cloned().collect(),
            disappeared: fa.difference(&fb).cloned().collect(),
            allowed,
            implied,
        });
    }
    Diff {
        changes,
        directions,
        assessments_before: before.results.len(),
        assessments_after: after.results.len(),
        rejected_before: before.summary.rejected,
        rejected_after: after.summary.rejected,
    }
}

/// The diff as human text.
pub fn diff_human(diff: &Diff) -> String {
    let mut out = String::new();
    for change in &diff.changes {
        out.push_str(&format!(
            "{}, {}: {} -> {}\n",
            ratings_core::escape(&change.authority),
            change.period,
            side(change.before),
            side(change.after)
        ));
        for finding in &change.appeared {
            out.push_str(&format!("  + {finding}\n"));
        }
        for finding in &change.disappeared {
            out.push_str(&format!("  - {finding}\n"));
        }
        for (judgement, (a, b)) in &change.implied {
            let shown = |v: &[i64]| {
                if v.is_empty() {
                    "not implied".to_owned()
                } else {
                    values(v)
                }
            };
            out.push_str(&format!(
                "  implied {judgement}: {} -> {}\n",
                shown(a),
                shown(b)
            ));
        }
        for (judgement, (a, b)) in &change.allowed {
            out.push_str(&format!(
                "  allowed {judgement}: {} -> {}\n",
                values(a),
                values(b)
            ));
        }
    }
    if diff.changes.is_empty() {
        out.push_str(&format!(
            "no assessment changed ({} assessments)\n",
            diff.assessments_after
        ));
    } else {
        let directions: Vec<String> = diff
            .directions
            .iter()
            .map(|(d, n)| format!("{n} {d}"))
            .collect();
        out.push_str(&format!(
            "{} of {} assessments changed: {}\n",
            diff.changes.len(),
            diff.assessments_before.max(diff.assessments_after),
            directions.join(", ")
        ));
    }
    if diff.rejected_before != diff.rejected_after {
        out.push_str(&format!(
            "rejected records: {} -> {}\n",
            diff.rejected_before, diff.rejected_after
        ));
    }
    out
}

fn finding_key(finding: &crate::result::Finding) -> String {
    match (&finding.rule, finding.code) {
        (Some(rule), code) => format!("{code} `{rule}`"),
        (None, code @ (Code::ImpliedGrade | Code::ConflictingSources)) => {
            format!("{code} {}", finding.judgements.join(", "))
        }
        (None, code) => code.to_string(),
    }
}

fn changed_maps(
    a: Option<&BTreeMap<String, Vec<i64>>>,
    b: Option<&BTreeMap<String, Vec<i64>>>,
) -> BTreeMap<String, (Vec<i64>, Vec<i64>)> {
    let empty = BTreeMap::new();
    let (a, b) = (a.unwrap_or(&empty), b.unwrap_or(&empty));
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .filter_map(|k| {
            let (x, y) = (
                a.get(k).cloned().unwrap_or_default(),
                b.get(k).cloned().unwrap_or_default(),
            );
            (x != y).then(|| (k.clone(), (x, y)))
        })
        .collect()
}

fn side(verdict: Option<Verdict>) -> &'static str {
    verdict.map_or("absent", Verdict::as_str)
}

fn values(values: &[i64]) -> String {
    if values.is_empty() {
        return "none (inconsistent)".to_owned();
    }
    values
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join("|")
}
