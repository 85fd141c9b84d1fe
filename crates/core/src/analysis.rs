//! What is wrong with a rule directory, exactly, each finding with a witness: contradictions,
//! unreachable values, redundant and dead constraints, `usually` rules no consistent assignment
//! can honour, and gaps in the years; and whether two rule directories allow the same grades.
//!
//! Every question is answered with the exact engine: a constraint's scope is small, so its
//! violating (or condition-satisfying) assignments are enumerated, and each is tested for a
//! complete solution under the other constraints.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::engine::{Assignment, Budget, EngineError, Model};
use crate::model::{Constraint, RuleBook, Strength};
use crate::year::YearRules;

/// The most assignments of one constraint's scope that analysis enumerates.
pub const MAX_SCOPE_ASSIGNMENTS: usize = 1 << 20;

/// One finding about a rule directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnalysisFinding {
    pub code: &'static str,
    pub year: i64,
    pub message: String,
    /// The constraint the finding is about, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub constraint: Option<String>,
    /// The argument: a minimal set of constraints that conflict, make a value unreachable,
    /// imply a redundant constraint or make a condition impossible.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub because: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub judgement: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
    /// A complete assignment that shows the finding, where one can.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub witness: Option<Assignment>,
}

impl AnalysisFinding {
    /// Whether the finding means the rules are wrong (exit 1), not merely untidy.
    pub fn is_error(&self) -> bool {
        matches!(
            self.code,
            "unsatisfiable" | "unreachable-value" | "usual-contradicts-must"
        )
    }
}

/// Analyse the rules of each of `years` (every covered year when empty), then the year gaps.
pub fn analyze(
    book: &RuleBook,
    years: &[i64],
    budget: &mut Budget,
) -> Result<Vec<AnalysisFinding>, EngineError> {
    let analysed: Vec<i64> = if years.is_empty() {
        book.years()
    } else {
        years.to_vec()
    };
    let mut findings = Vec::new();
    for &year in &analysed {
        let Some(rules) = YearRules::new(book, year) else {
            continue;
        };
        findings.extend(analyze_year(&rules, budget)?);
    }
    // A gap year has no rule set of its framework, so it is reported whenever no year is named.
    findings.extend(
        year_gaps(book)
            .into_iter()
            .filter(|f| years.is_empty() || years.contains(&f.year)),
    );
    findings.sort_by_key(|f| f.year);
    Ok(findings)
}

/// The findings of one year's graph.
pub fn analyze_year(
    rules: &YearRules,
    budget: &mut Budget,
) -> Result<Vec<AnalysisFinding>, EngineError> {
    let model = Model::new(rules);
    let year = rules.year;
    let must: Vec<&Constraint> = rules
        .constraints
        .iter()
        .filter(|c| c.strength == Strength::Must)
        .collect();
    let must_ids: Vec<&str> = must.iter().map(|c| c.id.as_str()).collect();
    let mut findings = Vec::new();
    let finding = |code: &'static str, message: String| AnalysisFinding {
        code,
        year,
        message,
        constraint: None,
        because: Vec::new(),
        judgement: None,
        value: None,
        witness: None,
    };

    if let Some(core) = model.minimal_conflict(&Assignment::new(), &must_ids, budget)? {
        findings.push(AnalysisFinding {
            because: core.clone(),
            ..finding(
                "unsatisfiable",
                format!(
                    "no grades at all satisfy the rules of {year}: {} {}",
                    list(&core),
                    verb(&core, "conflicts", "conflict")
                ),
            )
        });
        return Ok(findings);
    }

    let allowed = model.allowed(&Assignment::new(), budget)?;
    for judgement in rules.judgements.iter().filter(|j| !j.judgement.latent) {
        let id = &judgement.judgement.id;
        for value in judgement.scale.numbers() {
            if allowed.values.get(id).is_some_and(|v| v.contains(&value)) {
                continue;
            }
            let pin = Assignment::from([(id.clone(), value)]);
            let core = model
                .minimal_conflict(&pin, &must_ids, budget)?
                .unwrap_or_default();
            findings.push(AnalysisFinding {
                judgement: Some(id.clone()),
                value: Some(value),
                because: core.clone(),
                ..finding(
                    "unreachable-value",
                    format!(
                        "`{id}` can never be {} in {year}: {} {} it out",
                        judgement.scale.describe(value),
                        list(&core),
                        verb(&core, "rules", "rule")
                    ),
                )
            });
        }
    }

    for constraint in &must {
        let others: Vec<&str> = must_ids
            .iter()
            .copied()
            .filter(|id| *id != constraint.id)
            .collect();
        let violations = scope_assignments(rules, &constraint.judgements(), |a| {
            !constraint.holds(&|j| a[j])
        })?;
        if implies(&model, &violations, &others, budget)? {
            // Shrink the implying set: each kept constraint is needed.
            let mut kept = others.clone();
            let mut index = 0;
            while index < kept.len() {
                let mut without = kept.clone();
                without.remove(index);
                if implies(&model, &violations, &without, budget)? {
                    kept = without;
                } else {
                    index += 1;
                }
            }
            let because: Vec<String> = kept.iter().map(|s| (*s).to_owned()).collect();
            let message = if because.is_empty() {
                format!(
                    "`{}` can never be broken: it holds whatever the grades",
                    constraint.id
                )
            } else {
                format!(
                    "`{}` is implied by {}: removing it changes no consistent assignment",
                    constraint.id,
                    list(&because)
                )
            };
            findings.push(AnalysisFinding {
                constraint: Some(constraint.id.clone()),
                because,
                ..finding("redundant-constraint", message)
            });
        }
    }

    for constraint in &rules.constraints {
        let Some(when) = &constraint.when else {
            continue;
        };
        let condition_holds =
            scope_assignments(rules, &when.judgements(), |a| when.holds(&|j| a[j]))?;
        let mut alive = None;
        for pins in &condition_holds {
            if let Some(witness) = model.find(pins, &must_ids, budget)? {
                alive = Some(witness);
                break;
            }
        }
        if alive.is_none() {
            let because = minimal_blocking(&model, &condition_holds, &must_ids, budget)?;
            findings.push(AnalysisFinding {
                constraint: Some(constraint.id.clone()),
                because: because.clone(),
                ..finding(
                    "dead-constraint",
                    if because.is_empty() {
                        format!("the condition of `{}` can never hold: {}", constraint.id, when.render())
                    } else {
                        format!("the condition of `{}` never holds in a consistent assignment: {} {} it out", constraint.id, list(&because), verb(&because, "rules", "rule"))
                    },
                )
            });
        }
    }

    for constraint in rules
        .constraints
        .iter()
        .filter(|c| c.strength == Strength::Usually)
    {
        let honoured = scope_assignments(rules, &constraint.judgements(), |a| {
            constraint.when.as_ref().is_none_or(|w| w.holds(&|j| a[j]))
                && constraint.holds(&|j| a[j])
        })?;
        let mut honourable = false;
        for pins in &honoured {
            if model.find(pins, &must_ids, budget)?.is_some() {
                honourable = true;
                break;
            }
        }
        if honourable {
            continue;
        }
        // A consistent assignment where the condition holds shows the rule broken; with none,
        // the condition is dead, which is reported above.
        let applies = match &constraint.when {
            Some(when) => scope_assignments(rules, &when.judgements(), |a| when.holds(&|j| a[j]))?,
            None => vec![Assignment::new()],
        };
        let mut witness = None;
        for pins in &applies {
            if let Some(found) = model.find(pins, &must_ids, budget)? {
                witness = Some(found);
                break;
            }
        }
        if let Some(witness) = witness {
            let because = minimal_blocking(&model, &honoured, &must_ids, budget)?;
            findings.push(AnalysisFinding {
                constraint: Some(constraint.id.clone()),
                because: because.clone(),
                witness: Some(witness),
                ..finding(
                    "usual-contradicts-must",
                    format!(
                        "`{}` can never be honoured when its condition holds: {} {} it",
                        constraint.id,
                        list(&because),
                        verb(&because, "forbids", "forbid")
                    ),
                )
            });
        }
    }
    Ok(findings)
}

/// Judgements some years have and a year inside their span lacks, and frameworks (the part of
/// a rule set id before `-`) with a span of years without a rule set between covered years.
pub fn year_gaps(book: &RuleBook) -> Vec<AnalysisFinding> {
    let mut findings = Vec::new();
    let mut judgement_years: BTreeMap<&str, BTreeSet<i64>> = BTreeMap::new();
    let mut framework_years: BTreeMap<&str, BTreeSet<i64>> = BTreeMap::new();
    for rule_set in &book.rule_sets {
        let framework = rule_set.id.split('-').next().unwrap_or(&rule_set.id);
        for year in rule_set.from..=rule_set.to {
            framework_years.entry(framework).or_default().insert(year);
            for judgement in &rule_set.judgements {
                judgement_years
                    .entry(&judgement.id)
                    .or_default()
                    .insert(year);
            }
        }
    }
    let gap = |years: &BTreeSet<i64>| -> Vec<i64> {
        match (years.first(), years.last()) {
            (Some(&first), Some(&last)) => (first..=last).filter(|y| !years.contains(y)).collect(),
            _ => Vec::new(),
        }
    };
    for (framework, years) in &framework_years {
        for year in gap(years) {
            findings.push(AnalysisFinding {
                code: "year-gap",
                year,
                message: format!(
                    "framework `{framework}` has rule sets before and after {year} but none for it"
                ),
                constraint: None,
                because: Vec::new(),
                judgement: None,
                value: None,
                witness: None,
            });
        }
    }
    for (judgement, years) in &judgement_years {
        let covered_by_framework = |year: i64| {
            let framework = judgement.split('.').next().unwrap_or(judgement);
            framework_years
                .get(framework)
                .is_none_or(|y| y.contains(&year))
        };
        for year in gap(years).into_iter().filter(|&y| covered_by_framework(y)) {
            findings.push(AnalysisFinding {
                code: "year-gap",
                year,
                message: format!("`{judgement}` is judged before and after {year} but not in it"),
                constraint: None,
                because: Vec::new(),
                judgement: Some((*judgement).to_owned()),
                value: None,
                witness: None,
            });
        }
    }
    findings
}

/// One difference between two rule directories.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    pub year: i64,
    /// `a` or `b`: the directory that allows the witness.
    pub allowed_by: &'static str,
    pub message: String,
    /// The constraint of the other directory that forbids the witness.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forbidden_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub witness: Option<Assignment>,
}

/// Whether two rule books allow exactly the same assignments in each year; each difference
/// comes with a witness one allows and the constraint of the other that forbids it.
pub fn compare(
    a: &RuleBook,
    b: &RuleBook,
    years: &[i64],
    budget: &mut Budget,
) -> Result<Vec<Difference>, EngineError> {
    let mut all_years: BTreeSet<i64> = a.years().into_iter().chain(b.years()).collect();
    if !years.is_empty() {
        all_years.retain(|y| years.contains(y));
    }
    let mut differences = Vec::new();
    for year in all_years {
        let (ra, rb) = (YearRules::new(a, year), YearRules::new(b, year));
        let (ra, rb) = match (ra, rb) {
            (Some(ra), Some(rb)) => (ra, rb),
            (ra, _) => {
                let side = if ra.is_some() { "a" } else { "b" };
                differences.push(Difference {
                    year,
                    allowed_by: side,
                    message: format!("only directory {side} has rules for {year}"),
                    forbidden_by: None,
                    witness: None,
                });
                continue;
            }
        };
        let ids_a: BTreeSet<&str> = ra.judgement_ids().into_iter().collect();
        let ids_b: BTreeSet<&str> = rb.judgement_ids().into_iter().collect();
        if ids_a != ids_b {
            let only_a: Vec<&str> = ids_a.difference(&ids_b).copied().collect();
            let only_b: Vec<&str> = ids_b.difference(&ids_a).copied().collect();
            differences.push(Difference {
                year,
                allowed_by: if only_a.is_empty() { "b" } else { "a" },
                message: format!(
                    "the judgements differ: only in a: [{}]; only in b: [{}]",
                    only_a.join(", "),
                    only_b.join(", ")
                ),
                forbidden_by: None,
                witness: None,
            });
            continue;
        }
        for (side, allows, forbids) in [("a", &ra, &rb), ("b", &rb, &ra)] {
            if let Some((constraint, witness)) = allowed_but_forbidden(allows, forbids, budget)? {
                let other = if side == "a" { "b" } else { "a" };
                differences.push(Difference {
                    year,
                    allowed_by: side,
                    message: format!("{year}: directory {side} allows grades that `{constraint}` of directory {other} forbids"),
                    forbidden_by: Some(constraint),
                    witness: Some(witness),
                });
            }
        }
    }
    Ok(differences)
}

/// An assignment every `must` rule of `allows` accepts but some `must` rule of `forbids` breaks.
fn allowed_but_forbidden(
    allows: &YearRules,
    forbids: &YearRules,
    budget: &mut Budget,
) -> Result<Option<(String, Assignment)>, EngineError> {
    let model = Model::new(allows);
    let must: Vec<&str> = allows
        .constraints
        .iter()
        .filter(|c| c.strength == Strength::Must)
        .map(|c| c.id.as_str())
        .collect();
    for constraint in forbids
        .constraints
        .iter()
        .filter(|c| c.strength == Strength::Must)
    {
        for pins in scope_assignments(forbids, &constraint.judgements(), |a| {
            !constraint.holds(&|j| a[j])
        })? {
            if let Some(witness) = model.find(&pins, &must, budget)? {
                return Ok(Some((constraint.id.clone(), witness)));
            }
        }
    }
    Ok(None)
}

/// Whether no solution under `active` extends any of the assignments.
fn implies(
    model: &Model,
    violations: &[Assignment],
    active: &[&str],
    budget: &mut Budget,
) -> Result<bool, EngineError> {
    for pins in violations {
        if model.find(pins, active, budget)?.is_some() {
            return Ok(false);
        }
    }
    Ok(true)
}

/// A minimal subset of `active` under which no solution extends any of the assignments.
fn minimal_blocking(
    model: &Model,
    assignments: &[Assignment],
    active: &[&str],
    budget: &mut Budget,
) -> Result<Vec<String>, EngineError> {
    let mut kept: Vec<&str> = active.to_vec();
    let mut index = 0;
    while index < kept.len() {
        let mut without = kept.clone();
        without.remove(index);
        if implies(model, assignments, &without, budget)? {
            kept = without;
        } else {
            index += 1;
        }
    }
    Ok(kept.iter().map(|s| (*s).to_owned()).collect())
}

/// Every assignment of the listed judgements' scales for which `keep` holds.
fn scope_assignments(
    rules: &YearRules,
    judgements: &[&str],
    keep: impl Fn(&Assignment) -> bool,
) -> Result<Vec<Assignment>, EngineError> {
    let mut all = vec![Assignment::new()];
    for id in judgements {
        let Some(judgement) = rules.judgement(id) else {
            return Err(EngineError::UnknownJudgement {
                year: rules.year,
                judgement: (*id).to_owned(),
            });
        };
        let numbers = judgement.scale.numbers();
        if all.len().saturating_mul(numbers.len()) > MAX_SCOPE_ASSIGNMENTS {
            return Err(EngineError::BudgetExceeded {
                year: rules.year,
                judgements: rules.judgements.len(),
                constraints: rules.constraints.len(),
                limit: MAX_SCOPE_ASSIGNMENTS as u64,
            });
        }
        all = all
            .iter()
            .flat_map(|partial| {
                numbers.iter().map(move |&n| {
                    let mut next = partial.clone();
                    next.insert((*id).to_owned(), n);
                    next
                })
            })
            .collect();
    }
    Ok(all.into_iter().filter(|a| keep(a)).collect())
}

fn verb(ids: &[String], one: &'static str, many: &'static str) -> &'static str {
    if ids.len() == 1 {
        one
    } else {
        many
    }
}

fn list(ids: &[String]) -> String {
    if ids.is_empty() {
        return "the scales themselves".to_owned();
    }
    ids.iter()
        .map(|id| format!("`{id}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
