//! What is wrong with a rule directory, exactly, each finding with a witness: contradictions,
//! unreachable values, redundant and dead constraints, `usually` rules no consistent assignment
//! can honour, and gaps between rule sets; and whether two rule directories allow the same
//! grades.
//!
//! Every question is one exact search: "is there a complete assignment that satisfies these
//! constraints and breaks that one (or meets its condition, or honours it)?", and minimal
//! arguments come from QuickXplain over the constraints of the same connected component. One
//! budget bounds a whole analysis, however many questions it asks.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::code::{Code, Severity};
use crate::diagnostic::View;
use crate::engine::{Assignment, Budget, EngineError, Model, Requirement};
use crate::minimize::minimal_subset;
use crate::model::{Constraint, Location, Period, RuleBook, Span, Strength};
use crate::rules::PeriodRules;

/// One finding about a rule directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalysisFinding {
    /// What kind of finding.
    pub code: Code,
    /// From the code.
    pub severity: Severity,
    /// The span of time the finding is about: `2007–2008`, `2023-01-01 to 2026-03-31`.
    pub period: String,
    /// One line.
    pub message: String,
    /// The constraint the finding is about, if any.
    pub constraint: Option<String>,
    /// Where that constraint is declared.
    pub location: Option<Location>,
    /// The argument: a minimal set of constraints that conflict, make a value unreachable,
    /// imply a redundant constraint or make a condition impossible.
    pub because: Vec<String>,
    /// The judgement the finding is about, if any.
    pub judgement: Option<String>,
    /// The value the finding is about, if any.
    pub value: Option<i64>,
    /// A complete assignment that shows the finding, where one can.
    pub witness: Option<Assignment>,
}

impl AnalysisFinding {
    fn new(code: Code, period: &str, message: String) -> AnalysisFinding {
        AnalysisFinding {
            code,
            severity: code.severity(),
            period: period.to_owned(),
            message,
            constraint: None,
            location: None,
            because: Vec::new(),
            judgement: None,
            value: None,
            witness: None,
        }
    }

    fn about(mut self, constraint: &Constraint) -> AnalysisFinding {
        self.constraint = Some(constraint.id.clone());
        self.location = Some(constraint.location.clone());
        self
    }

    /// Whether the finding means the rules are wrong (exit 1), not merely untidy.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// What the renderer draws: the finding, at its constraint.
    pub fn view(&self) -> View<'_> {
        let mut notes = Vec::new();
        if !self.because.is_empty() {
            notes.push(format!(
                "because: {}",
                self.because
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        View {
            code: self.code,
            severity: self.code.severity(),
            message: &self.message,
            location: self
                .location
                .as_ref()
                .map(|l| format!("{}:{}:{}", l.file, l.line, l.column)),
            excerpt: None,
            notes,
            help: None,
        }
    }
}

/// Analyse the rules of every span over which they do not change (those touching `period`
/// when one is given), then the gaps between rule sets. `budget` bounds the whole analysis.
pub fn analyze(
    book: &RuleBook,
    period: Option<Period>,
    budget: &mut Budget,
) -> Result<Vec<AnalysisFinding>, EngineError> {
    let mut findings = Vec::new();
    for subject in book.subjects() {
        for (span, rules) in book.epoch_rules(subject) {
            if period.is_some_and(|p| !touches(span, p)) {
                continue;
            }
            findings.extend(analyze_rules(&rules, budget)?);
        }
    }
    findings.extend(
        gaps(book)
            .into_iter()
            .filter(|(span, _)| period.is_none_or(|p| touches(*span, p)))
            .map(|(_, finding)| finding),
    );
    Ok(findings)
}

/// Whether a span of time includes some day of a period.
fn touches(span: Span, period: Period) -> bool {
    match period {
        Period::Year(year) => span.touches_year(year),
        Period::Date(day) => span.contains(day),
    }
}

/// The findings of one period's graph.
pub fn analyze_rules(
    rules: &PeriodRules,
    budget: &mut Budget,
) -> Result<Vec<AnalysisFinding>, EngineError> {
    let model = Model::new(rules);
    let period = rules.label();
    let must: Vec<&Constraint> = rules
        .constraints()
        .iter()
        .filter(|c| c.strength == Strength::Must)
        .collect();
    let must_ids: Vec<&str> = must.iter().map(|c| c.id.as_str()).collect();
    let mut findings = Vec::new();
    let finding = |code: Code, message: String| AnalysisFinding::new(code, period, message);

    if let Some(core) = model.minimal_conflict(&Assignment::new(), &must_ids, budget)? {
        findings.push(AnalysisFinding {
            because: core.clone(),
            ..finding(
                Code::Unsatisfiable,
                format!(
                    "no grades at all satisfy the rules of {period}: {} {}",
                    list(&core),
                    verb(&core, "conflicts", "conflict")
                ),
            )
        });
        return Ok(findings);
    }

    let allowed = model.allowed(&Assignment::new(), budget)?;
    for judgement in rules.judgements().iter().filter(|j| !j.judgement.latent) {
        let id = &judgement.judgement.id;
        for value in judgement.scale.numbers() {
            if allowed.values.get(id).is_some_and(|v| v.contains(&value)) {
                continue;
            }
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
                    Code::UnreachableValue,
                    format!(
                        "`{id}` can never be {} in {period}: {} {} it out",
                        judgement.scale.describe(value),
                        list(&core),
                        verb(&core, "rules", "rule")
                    ),
                )
            });
        }
    }

    for constraint in &must {
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
                because,
                ..finding(Code::RedundantConstraint, message).about(constraint)
            });
        }
    }

    for constraint in rules.constraints() {
        let Some(when) = &constraint.when else {
            continue;
        };
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
                because: because.clone(),
                ..finding(
                    Code::DeadConstraint,
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
                .about(constraint)
            });
        }
    }

    for constraint in rules
        .constraints()
        .iter()
        .filter(|c| c.strength == Strength::Usually)
    {
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
            because: because.clone(),
            witness: Some(witness),
            ..finding(
                Code::UsualContradictsMust,
                format!(
                    "`{id}` can never be honoured when its condition holds: {} {} it",
                    list(&because),
                    verb(&because, "forbids", "forbid")
                ),
            )
            .about(constraint)
        });
    }
    Ok(findings)
}

/// Gaps between the rule sets of one framework (the part of a rule set id before `-`): days
/// between two of its rule sets that none covers; and judgements judged before and after a
/// span of their framework but not in it. Each with the gap's span.
pub fn gaps(book: &RuleBook) -> Vec<(Span, AnalysisFinding)> {
    let mut findings = Vec::new();
    // A framework is the first part of its rule sets' ids, for one subject.
    let mut frameworks: BTreeMap<&str, Vec<Span>> = BTreeMap::new();
    let mut judged: BTreeMap<&str, Vec<Span>> = BTreeMap::new();
    let mut frameworks_of: BTreeMap<(&str, &str), Vec<Span>> = BTreeMap::new();
    for rule_set in book.rule_sets() {
        let framework = rule_set.id.split('-').next().unwrap_or(&rule_set.id);
        frameworks_of
            .entry((rule_set.subject.as_str(), framework))
            .or_default()
            .push(rule_set.span);
        frameworks.entry(framework).or_default().push(rule_set.span);
        for judgement in &rule_set.judgements {
            judged.entry(&judgement.id).or_default().push(rule_set.span);
        }
    }
    for ((_, framework), spans) in &frameworks_of {
        for gap in holes(spans) {
            findings.push((
                gap,
                AnalysisFinding::new(
                    Code::YearGap,
                    &gap.to_string(),
                    format!("framework `{framework}` has rule sets before and after {gap} but none for it"),
                ),
            ));
        }
    }
    for (judgement, spans) in &judged {
        let framework = judgement.split('.').next().unwrap_or(judgement);
        let framework_spans = frameworks.get(framework);
        for gap in holes(spans) {
            let covered =
                framework_spans.is_none_or(|spans| holes(spans).iter().all(|h| !overlaps(*h, gap)));
            if !covered {
                continue;
            }
            findings.push((
                gap,
                AnalysisFinding {
                    judgement: Some((*judgement).to_owned()),
                    ..AnalysisFinding::new(
                        Code::YearGap,
                        &gap.to_string(),
                        format!("`{judgement}` is judged before and after {gap} but not in it"),
                    )
                },
            ));
        }
    }
    findings
}

/// The spans of days between the first and last of some spans that none of them covers.
fn holes(spans: &[Span]) -> Vec<Span> {
    let mut sorted = spans.to_vec();
    sorted.sort();
    let mut out = Vec::new();
    let mut covered_to: Option<NaiveDate> = None;
    for span in sorted {
        if let Some(end) = covered_to {
            if let Some(after) = end.succ_opt() {
                if span.start > after {
                    if let Some(before) = span.start.pred_opt() {
                        out.push(Span {
                            start: after,
                            end: Some(before),
                        });
                    }
                }
            }
        }
        covered_to = match (covered_to, span.end) {
            (_, None) => return out,
            (Some(a), Some(b)) => Some(a.max(b)),
            (None, Some(b)) => Some(b),
        };
    }
    out
}

fn overlaps(a: Span, b: Span) -> bool {
    a.end.is_none_or(|end| b.start <= end) && b.end.is_none_or(|end| a.start <= end)
}

/// One difference between two rule directories.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The span of time it concerns.
    pub period: String,
    /// The directory that allows the witness (its name as given).
    pub allowed_by: String,
    /// One line.
    pub message: String,
    /// The constraint of the other directory that forbids the witness.
    pub forbidden_by: Option<String>,
    /// Grades one directory allows and the other forbids.
    pub witness: Option<Assignment>,
}

/// Whether two rule books allow exactly the same assignments over every span in which
/// neither changes (those touching `period` when one is given); each difference comes with a
/// witness one allows and the constraint of the other that forbids it. `names` are the two
/// directories as the user named them. `budget` bounds the whole comparison.
pub fn compare(
    a: &RuleBook,
    b: &RuleBook,
    names: [&str; 2],
    period: Option<Period>,
    budget: &mut Budget,
) -> Result<Vec<Difference>, EngineError> {
    let mut subjects: Vec<&str> = a.subjects();
    subjects.extend(b.subjects());
    subjects.sort_unstable_by_key(|s| (*s != crate::model::LOCAL_AUTHORITIES, *s));
    subjects.dedup();
    let mut differences = Vec::new();
    for subject in subjects {
        compare_subject(a, b, subject, names, period, budget, &mut differences)?;
    }
    Ok(differences)
}

/// [`compare`] for the rule sets of one subject.
fn compare_subject(
    a: &RuleBook,
    b: &RuleBook,
    subject: &str,
    names: [&str; 2],
    period: Option<Period>,
    budget: &mut Budget,
    differences: &mut Vec<Difference>,
) -> Result<(), EngineError> {
    let mut starts: BTreeSet<NaiveDate> = BTreeSet::new();
    for book in [a, b] {
        for (span, _) in book.epochs(subject) {
            starts.insert(span.start);
            if let Some(after) = span.end.and_then(|end| end.succ_opt()) {
                starts.insert(after);
            }
        }
    }
    let starts: Vec<NaiveDate> = starts.into_iter().collect();
    for (index, &start) in starts.iter().enumerate() {
        let span = Span {
            start,
            end: starts.get(index + 1).and_then(|next| next.pred_opt()),
        };
        if period.is_some_and(|p| !touches(span, p)) {
            continue;
        }
        let label = crate::rules::label(subject, &span.to_string());
        let day = Period::Date(start);
        let (ra, rb) = (a.in_force(subject, day).ok(), b.in_force(subject, day).ok());
        let (ra, rb) = match (ra, rb) {
            (Some(ra), Some(rb)) => (ra, rb),
            (None, None) => continue,
            (ra, _) => {
                let side = if ra.is_some() { names[0] } else { names[1] };
                differences.push(Difference {
                    period: label.clone(),
                    allowed_by: side.to_owned(),
                    message: format!("only `{side}` has rules for {label}"),
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
                period: label.clone(),
                allowed_by: if only_a.is_empty() {
                    names[1]
                } else {
                    names[0]
                }
                .to_owned(),
                message: format!(
                    "{label}: the judgements differ: only in `{}`: [{}]; only in `{}`: [{}]",
                    names[0],
                    only_a.join(", "),
                    names[1],
                    only_b.join(", ")
                ),
                forbidden_by: None,
                witness: None,
            });
            continue;
        }
        for (side, other, allows, forbids) in [
            (names[0], names[1], &ra, &rb),
            (names[1], names[0], &rb, &ra),
        ] {
            if let Some((constraint, witness)) = allowed_but_forbidden(allows, forbids, budget)? {
                differences.push(Difference {
                    period: label.clone(),
                    allowed_by: side.to_owned(),
                    message: format!(
                        "{label}: `{side}` allows grades that `{constraint}` of `{other}` forbids"
                    ),
                    forbidden_by: Some(constraint),
                    witness: Some(witness),
                });
            }
        }
    }
    Ok(())
}

/// An assignment every `must` rule of `allows` accepts but some `must` rule of `forbids` breaks.
fn allowed_but_forbidden(
    allows: &PeriodRules,
    forbids: &PeriodRules,
    budget: &mut Budget,
) -> Result<Option<(String, Assignment)>, EngineError> {
    let must: Vec<&str> = allows
        .constraints()
        .iter()
        .filter(|c| c.strength == Strength::Must)
        .map(|c| c.id.as_str())
        .collect();
    for constraint in forbids
        .constraints()
        .iter()
        .filter(|c| c.strength == Strength::Must)
    {
        // The other directory's constraint joins this period's model, inactive, under a name
        // no rule file can use, so that the search can require it broken.
        let probe = format!("{PROBE}{}", constraint.id);
        let with_it = allows.with_constraint(Constraint {
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
