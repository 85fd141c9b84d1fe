//! Comparing checks and measuring rules against the corpus: `diff` (what a rule change flips),
//! `coverage` (how often the published record tests each constraint) and `hypotheses` (how
//! well the record backs each inferred rule).

use std::collections::{BTreeMap, BTreeSet};

use ratings_core::{Basis, Code, RuleBook, Strength};

use crate::result::{AssessmentResult, Report, Support, Verdict};

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

/// How one constraint fared against the corpus.
#[derive(Debug)]
pub struct ConstraintCoverage {
    /// The rule set that declares or inherits the constraint.
    pub rule_set: String,
    /// The constraint.
    pub constraint: String,
    /// The rule set's span: `2007–2008`.
    pub years: String,
    /// Its strength.
    pub strength: Strength,
    /// Its basis.
    pub basis: Basis,
    /// Assessments in which every non-latent judgement the constraint reads was published.
    pub tested: usize,
    /// Assessments in which it narrowed an unpublished judgement.
    pub narrowed: usize,
    /// Assessments that break it (`rule-broken`, or `departs-from-usual` for `usually`).
    pub violated: usize,
    /// Of `supporting`, those whose grades come from documents the rule does not cite.
    pub independent_supports: usize,
    /// Of `supporting`, those whose grades all come from documents the rule cites, or from
    /// documents the registry does not hold (which cannot be shown to be independent).
    pub circular_supports: usize,
    /// Of `contradicting`, independent ones.
    pub independent_contradicts: usize,
    /// Of `contradicting`, circular ones.
    pub circular_contradicts: usize,
    /// Tested, held, and its condition held on the published grades: real support.
    pub supporting: Vec<(String, String, Support)>,
    /// Tested and held only because its condition did not hold: no evidence either way.
    pub vacuous: Vec<(String, String)>,
    /// Broke it.
    pub contradicting: Vec<(String, String, Support)>,
}

/// Coverage of every constraint of every rule set over the assessments of a report.
pub fn coverage(book: &RuleBook, report: &Report) -> Vec<ConstraintCoverage> {
    let mut rows = Vec::new();
    for rule_set in book.rule_sets() {
        for constraint in &rule_set.constraints {
            let judgements: Vec<&str> = constraint
                .judgements()
                .into_iter()
                .filter(|j| !rule_set.judgements.iter().any(|d| d.id == *j && d.latent))
                .filter(|j| {
                    !book
                        .rule_sets()
                        .iter()
                        .any(|r| r.judgements.iter().any(|d| d.id == *j && d.latent))
                })
                .collect();
            let mut row = ConstraintCoverage {
                rule_set: rule_set.id.clone(),
                constraint: constraint.id.clone(),
                years: rule_set.span.to_string(),
                strength: constraint.strength,
                basis: constraint.basis,
                tested: 0,
                narrowed: 0,
                violated: 0,
                independent_supports: 0,
                circular_supports: 0,
                independent_contradicts: 0,
                circular_contradicts: 0,
                supporting: Vec::new(),
                vacuous: Vec::new(),
                contradicting: Vec::new(),
            };
            for result in report
                .results
                .iter()
                .filter(|r| r.rule_sets.contains(&rule_set.id))
            {
                let broken = result.findings.iter().any(|f| {
                    (f.code == Code::RuleBroken || f.code == Code::DepartsFromUsual)
                        && f.rule.as_deref() == Some(constraint.id.as_str())
                });
                let tested = !judgements.is_empty()
                    && judgements.iter().all(|j| result.published.contains_key(*j));
                let narrowed = result
                    .findings
                    .iter()
                    .filter(|f| f.code == Code::ImpliedGrade)
                    .any(|f| {
                        f.because
                            .iter()
                            .any(|reason| reason.rules().any(|r| r == constraint.id))
                    });
                // Whether the grades the rule reads come from documents it cites (or from
                // documents outside the registry, whose independence cannot be shown).
                let evidence = crate::evaluate::evidence_support(
                    book,
                    &[constraint],
                    judgements
                        .iter()
                        .flat_map(|j| result.published.get(*j).into_iter().flatten())
                        .map(|p| &*p.document),
                );
                if broken {
                    row.violated += 1;
                    match evidence {
                        Support::Circular | Support::Unregistered => row.circular_contradicts += 1,
                        _ => row.independent_contradicts += 1,
                    }
                    row.contradicting
                        .push((result.name(), result.period(), evidence));
                }
                if tested {
                    row.tested += 1;
                    if !broken && !matches!(result.verdict, Verdict::Undecided | Verdict::Disputed)
                    {
                        // A rule whose condition did not hold on the published grades held
                        // trivially: that is no support for it.
                        let rank_of = |j: &str| {
                            let value = result
                                .published
                                .get(j)
                                .and_then(|s| s.first())
                                .map(|p| p.value);
                            let scale = book
                                .rule_sets()
                                .iter()
                                .flat_map(|r| r.judgements.iter())
                                .find(|d| d.id == j)
                                .and_then(|d| book.scales().get(&d.scale));
                            match (value, scale) {
                                (Some(value), Some(scale)) => scale
                                    .values
                                    .iter()
                                    .position(|v| v.number == value)
                                    .unwrap_or(usize::MAX),
                                _ => usize::MAX,
                            }
                        };
                        let applies = constraint
                            .when
                            .as_ref()
                            .is_none_or(|when| when.holds(&rank_of));
                        let entry = (result.name(), result.period());
                        if applies {
                            match evidence {
                                Support::Circular | Support::Unregistered => {
                                    row.circular_supports += 1
                                }
                                _ => row.independent_supports += 1,
                            }
                            row.supporting.push((entry.0, entry.1, evidence));
                        } else {
                            row.vacuous.push(entry);
                        }
                    }
                }
                if narrowed {
                    row.narrowed += 1;
                }
            }
            rows.push(row);
        }
    }
    rows
}

/// Coverage as a table, then the constraints no published grade tests.
pub fn coverage_human(rows: &[ConstraintCoverage]) -> String {
    let width = rows
        .iter()
        .map(|r| r.constraint.len())
        .max()
        .unwrap_or(10)
        .max(10);
    let set_width = rows
        .iter()
        .map(|r| r.rule_set.len())
        .max()
        .unwrap_or(8)
        .max(8);
    let years_width = rows
        .iter()
        .map(|r| r.years.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    let mut out = format!(
        "{:<set_width$} {:<width$} {:<years_width$} {:<7} {:<9} {:>6} {:>8} {:>8}\n",
        "rule set", "constraint", "years", "must?", "basis", "tested", "narrowed", "violated"
    );
    for row in rows {
        out.push_str(&format!(
            "{:<set_width$} {:<width$} {:<years_width$} {:<7} {:<9} {:>6} {:>8} {:>8}\n",
            row.rule_set,
            row.constraint,
            row.years,
            row.strength.as_str(),
            row.basis.as_str(),
            row.tested,
            row.narrowed,
            row.violated
        ));
    }
    let untested: Vec<String> = rows
        .iter()
        .filter(|r| r.tested == 0)
        .map(|r| format!("{} ({})", r.constraint, r.rule_set))
        .collect();
    if untested.is_empty() {
        out.push_str("\nevery constraint is tested by some published grades\n");
    } else {
        out.push_str(&format!(
            "\nnever tested by any published grade ({}):\n",
            untested.len()
        ));
        for item in untested {
            out.push_str(&format!("  {item}\n"));
        }
    }
    out
}

/// For each inferred rule: the assessments that support it (its condition held and so did the
/// rule), those that break it, and how many tested it only where its condition did not hold.
pub fn hypotheses_human(rows: &[ConstraintCoverage]) -> String {
    let mut out = String::new();
    let inferred: Vec<&ConstraintCoverage> =
        rows.iter().filter(|r| r.basis == Basis::Inferred).collect();
    if inferred.is_empty() {
        return "no rule is marked `inferred`\n".to_owned();
    }
    for row in inferred {
        out.push_str(&format!(
            "{} ({}, {}): supported by {} independent and {} circular, contradicted by {} independent and {} circular, tested only where its condition did not hold by {}\n",
            row.constraint,
            row.rule_set,
            row.years,
            row.independent_supports,
            row.circular_supports,
            row.independent_contradicts,
            row.circular_contradicts,
            row.vacuous.len()
        ));
        for (authority, period, support) in &row.supporting {
            out.push_str(&format!(
                "  supports ({}): {authority} {period}\n",
                support.as_str()
            ));
        }
        for (authority, period, support) in &row.contradicting {
            out.push_str(&format!(
                "  contradicts ({}): {authority} {period}\n",
                support.as_str()
            ));
        }
        for (authority, period) in &row.vacuous {
            out.push_str(&format!("  condition did not hold: {authority} {period}\n"));
        }
        if row.supporting.is_empty() && row.contradicting.is_empty() {
            out.push_str("  no published grades give evidence for or against it\n");
        }
    }
    out
}

/// A grade that is not published but would let rules test assessments if it were.
#[derive(Debug)]
pub struct Wanted {
    /// The judgement.
    pub judgement: String,
    /// How many unverifiable assessments it would test.
    pub assessments: usize,
    /// The rules that would test them.
    pub rules: Vec<String>,
    /// The assessments, as `authority period`.
    pub examples: Vec<String>,
}

/// Over a report: the unpublished grades that would test the most unverifiable assessments,
/// most first.
pub fn wanted(report: &Report) -> Vec<Wanted> {
    let mut by_judgement: BTreeMap<String, Wanted> = BTreeMap::new();
    for result in &report.results {
        for item in &result.would_test {
            let entry = by_judgement
                .entry(item.judgement.clone())
                .or_insert_with(|| Wanted {
                    judgement: item.judgement.clone(),
                    assessments: 0,
                    rules: Vec::new(),
                    examples: Vec::new(),
                });
            entry.assessments += 1;
            for rule in &item.rules {
                if !entry.rules.contains(rule) {
                    entry.rules.push(rule.clone());
                }
            }
            entry
                .examples
                .push(format!("{} {}", result.name(), result.period()));
        }
    }
    let mut list: Vec<Wanted> = by_judgement.into_values().collect();
    list.sort_by(|a, b| {
        b.assessments
            .cmp(&a.assessments)
            .then(a.judgement.cmp(&b.judgement))
    });
    list
}

/// The wanted grades as text.
pub fn wanted_human(list: &[Wanted]) -> String {
    if list.is_empty() {
        return "no unpublished grade would test any unverifiable assessment\n".to_owned();
    }
    let mut out = String::new();
    for item in list {
        let rules: Vec<String> = item.rules.iter().map(|r| format!("`{r}`")).collect();
        out.push_str(&format!(
            "{}: would test {} ({}), for example {}\n",
            item.judgement,
            if item.assessments == 1 {
                "1 assessment".to_owned()
            } else {
                format!("{} assessments", item.assessments)
            },
            rules.join(", "),
            item.examples
                .iter()
                .take(3)
                .cloned()
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    out
}

/// The wanted grades as CSV: `judgement,assessments,rules,assessments_list`.
pub fn wanted_csv(list: &[Wanted]) -> String {
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(["judgement", "assessments", "rules", "examples"]);
    for item in list {
        let _ = writer.write_record([
            crate::output::spreadsheet_safe(&item.judgement),
            item.assessments.to_string(),
            item.rules.join(" "),
            crate::output::spreadsheet_safe(&item.examples.join("; ")),
        ]);
    }
    String::from_utf8_lossy(&writer.into_inner().unwrap_or_default()).into_owned()
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
