//! What is wrong with a rule directory, exactly, each finding with a witness: contradictions,
//! unreachable values, redundant and dead constraints, `usually` rules no consistent assignment
//! can honour, and gaps in the years; and whether two rule directories allow the same grades.
//!
//! Every question is one exact search: "is there a complete assignment that satisfies these
//! constraints and breaks that one (or meets its condition, or honours it)?", and minimal
//! arguments come from QuickXplain over the constraints of the same connected component.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::engine::{Assignment, Budget, EngineError, Model, Requirement};
use crate::minimize::minimal_subset;
use crate::model::{Constraint, RuleBook, Strength};
use crate::year::YearRules;

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
            budget.renew();
            let pin = Assignment::from([(id.clone(), value)]);
            let near = component(&must, &[id.as_str()]);
            let core = model
                .minimal_conflict(&pin, &near, budget)?
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
        budget.renew();
        let others: Vec<&str> = component(&must, &constraint.judgements())
            .into_iter()
            .filter(|id| *id != constraint.id)
            .collect();
        let id = constraint.id.as_str();
        let cannot = |set: &[&str], requirement: Requirement, budget: &mut Budget| {
            model
                .find_requiring(&Assignment::new(), set, id, requirement, budget)
                .map(|found| found.is_none())
        };
        if cannot(&others, Requirement::Violated, budget)? {
            // Shrink the implying set: each kept constraint is needed.
            let kept = minimal_subset(&others, &mut |set: &[&str]| {
                cannot(set, Requirement::Violated, budget)
            })?;
            let because: Vec<String> = kept.iter().map(|s| (*s).to_owned()).collect();
            let message = if because.is_empty() {
                format!("`{id}` can never be broken: it holds whatever the grades")
            } else {
                format!(
                    "`{id}` is implied by {}: removing it changes no consistent assignment",
                    list(&because)
                )
            };
            findings.push(AnalysisFinding {
                constraint: Some(id.to_owned()),
                because,
                ..finding("redundant-constraint", message)
            });
        }
    }

    for constraint in &rules.constraints {
        let Some(when) = &constraint.when else {
            continue;
        };
        budget.renew();
        let id = constraint.id.as_str();
        let near = component(&must, &when.judgements());
        let cannot = |set: &[&str], budget: &mut Budget| {
            model
                .find_requiring(
                    &Assignment::new(),
                    set,
                    id,
                    Requirement::ConditionHolds,
                    budget,
                )
                .map(|found| found.is_none())
        };
        if cannot(&near, budget)? {
            let because = minimal_subset(&near, &mut |set: &[&str]| cannot(set, budget))?;
            let because: Vec<String> = because.iter().map(|s| (*s).to_owned()).collect();
            findings.push(AnalysisFinding {
                constraint: Some(id.to_owned()),
                because: because.clone(),
                ..finding(
                    "dead-constraint",
                    if because.is_empty() {
                        format!("the condition of `{id}` can never hold: {}", when.render())
                    } else {
                        format!(
                            "the condition of `{id}` never holds in a consistent assignment: {} {} it out",
                            list(&because),
                            verb(&because, "rules", "rule")
                        )
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
        budget.renew();
        let id = constraint.id.as_str();
        let near = component(&must, &constraint.judgements());
        let cannot_honour = |set: &[&str], budget: &mut Budget| {
            model
                .find_requiring(&Assignment::new(), set, id, Requirement::Honoured, budget)
                .map(|found| found.is_none())
        };
        if !cannot_honour(&near, budget)? {
            continue;
        }
        // A consistent assignment where the condition holds shows the rule broken; with none,
        // the condition is dead, which is reported above.
        let Some(witness) = model.find_requiring(
            &Assignment::new(),
            &must_ids,
            id,
            Requirement::ConditionHolds,
            budget,
        )?
        else {
            continue;
        };
        let because = minimal_subset(&near, &mut |set: &[&str]| cannot_honour(set, budget))?;
        let because: Vec<String> = because.iter().map(|s| (*s).to_owned()).collect();
        findings.push(AnalysisFinding {
            constraint: Some(id.to_owned()),
            because: because.clone(),
            witness: Some(witness),
            ..finding(
                "usual-contradicts-must",
                format!(
                    "`{id}` can never be honoured when its condition holds: {} {} it",
                    list(&because),
                    verb(&because, "forbids", "forbid")
                ),
            )
        });
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
        budget.renew();
        // The other directory's constraint joins this year's model, inactive, under a name
        // no rule file can use, so that the search can require it broken.
        let mut with_it = allows.clone();
        let probe = format!("{PROBE}{}", constraint.id);
        with_it.constraints.push(Constraint {
            id: probe.clone(),
            strength: Strength::Usually,
            ..constraint.clone()
        });
        let model = Model::new(&with_it);
        if let Some(witness) = model.find_requiring(
            &Assignment::new(),
            &must,
            &probe,
            Requirement::Violated,
            budget,
        )? {
            return Ok(Some((constraint.id.clone(), witness)));
        }
    }
    Ok(None)
}

/// A prefix for constraint ids that no rule file can declare (ids there have no spaces).
const PROBE: &str = "compare probe ";

/// The `must` constraints connected to a set of judgements through shared judgements. Once the
/// year is known to be satisfiable, solutions factor over connected components, so only these
/// constraints can make a question about those judgements come out differently.
fn component<'a>(must: &[&'a Constraint], judgements: &[&str]) -> Vec<&'a str> {
    let mut reached: BTreeSet<&str> = judgements.iter().copied().collect();
    let mut taken = vec![false; must.len()];
    loop {
        let mut grew = false;
        for (index, constraint) in must.iter().enumerate() {
            if taken[index] {
                continue;
            }
            let scope = constraint.judgements();
            if scope.iter().any(|j| reached.contains(j)) {
                taken[index] = true;
                grew = true;
                reached.extend(scope);
            }
        }
        if !grew {
            break;
        }
    }
    must.iter()
        .zip(taken)
        .filter(|(_, t)| *t)
        .map(|(c, _)| c.id.as_str())
        .collect()
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
