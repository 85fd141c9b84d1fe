//! Evaluation of one assessment with the engine: its verdict, the rules it breaks with minimal
//! evidence, how it departs from `usually` rules, what it implies about unpublished judgements,
//! and, for a consistent verdict, proof that the check tested something. Where sources
//! disagree, the assessment is checked with each grade they give (`alternatives.rs`).

mod alternatives;
mod cache;
mod reuse;

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock, PoisonError};

use ratings_core::{
    Assignment, Budget, Code, Constraint, Core, EngineError, Period, PeriodRules, Reason, RuleBook,
    Strength,
};

use crate::assessment::{DocumentFinding, Group};
use crate::contexts::Context;
use crate::result::{
    AssessmentResult, Cited, Finding, Published, Support, Verdict, VerdictBasis, WouldTest,
};
use crate::subject::{Labels, Subject};
use alternatives::assess_alternatives;
pub(crate) use cache::RefutationCache;
use cache::{
    apply, evaluated_key, without_rule, Evaluated, Evidence, Grades, Packed, SupportOf,
    MAX_EVALUATED,
};
pub(crate) use reuse::{cached, Asked, Looking};

/// What evaluating an assessment needs besides its grades.
pub(crate) struct Evaluation<'e> {
    pub book: &'e RuleBook,
    pub context: &'e Context,
    pub sources: &'e [(Arc<str>, Arc<str>)],
    pub files: &'e [Arc<str>],
    pub budget: u64,
}

pub(crate) fn assess(
    evaluation: &Evaluation<'_>,
    subject: &Arc<Subject>,
    labels: Option<&Labels>,
    period: Period,
    group: &Group,
    documents: &[DocumentFinding],
    cache: &mut RefutationCache,
) -> AssessmentResult {
    let context = evaluation.context;
    let rules = &context.rules;
    let mut published: BTreeMap<String, Vec<Published>> = BTreeMap::new();
    for grade in &group.grades {
        let judgement = &rules.judgements()[usize::from(grade.judgement)];
        let (document, locator) = &evaluation.sources[grade.source as usize];
        published
            .entry(judgement.judgement.id.clone())
            .or_default()
            .push(Published {
                value: context.number(grade.judgement, grade.rank),
                label: context.label(grade.judgement, grade.rank),
                document: document.clone(),
                locator: locator.clone(),
                file: evaluation.files[grade.file as usize].clone(),
                line: grade.line as usize,
                column: grade.column as usize,
            });
    }
    let mut result = AssessmentResult {
        subject: subject.clone(),
        labels: labels.cloned().unwrap_or_default(),
        year: period.year(),
        date: period.date().map(|d| d.to_string()),
        rule_sets: rules.rule_sets().to_vec(),
        verdict: Verdict::Undecided,
        support: Support::None,
        basis: None,
        tested_rules: Vec::new(),
        would_test: Vec::new(),
        findings: Vec::new(),
        published,
        allowed: BTreeMap::new(),
        implied: BTreeMap::new(),
        implied_labels: BTreeMap::new(),
        tested_by: None,
        alternatives: Vec::new(),
    };
    for document in documents {
        result.findings.push(Finding {
            judgements: vec![document.judgement.clone()],
            lines: document.lines.clone(),
            ..Finding::new(document.code, document.message.clone())
        });
    }
    for (judgement, sources) in &result.published {
        let first = &sources[0];
        if let Some(other) = sources.iter().find(|s| s.value != first.value) {
            result.findings.push(Finding {
                judgements: vec![judgement.clone()],
                ..Finding::new(
                    Code::ConflictingSources,
                    format!(
                        "sources disagree on `{judgement}`: {} gives {}, {} gives {}; the assessment is checked with each",
                        source_name(first),
                        first.label,
                        source_name(other),
                        other.label
                    ),
                )
            });
        }
    }
    let disagree = result
        .published
        .values()
        .any(|sources| sources.iter().any(|s| s.value != sources[0].value))
        || documents.iter().any(|d| d.alternative.is_some());
    if disagree && assess_alternatives(evaluation, &mut result, documents, cache) {
        sort_findings(&mut result.findings);
        result.basis = basis(rules, &result);
        return result;
    }
    // The common case: every source agrees, one grade per judgement.
    let given: Assignment = result
        .published
        .iter()
        .map(|(judgement, sources)| (judgement.clone(), sources[0].value))
        .collect();
    let mut budget = Budget::new(evaluation.budget);
    if let Err(error) = evaluate(evaluation, &mut result, &given, cache, &mut budget) {
        undecided(&mut result, &error);
    }
    sort_findings(&mut result.findings);
    result.basis = basis(rules, &result);
    result
}

/// The kind of rule a consistent or inconsistent verdict rests on: stated when any rule that
/// decided it has a source that states it (guidance or a report), else inferred.
fn basis(rules: &PeriodRules, result: &AssessmentResult) -> Option<VerdictBasis> {
    basis_of(rules, result.verdict, &result.tested_rules)
}

/// [`basis`], from the verdict and the rules that tested the grades.
fn basis_of(
    rules: &PeriodRules,
    verdict: Verdict,
    tested_rules: &[String],
) -> Option<VerdictBasis> {
    if !matches!(verdict, Verdict::Consistent | Verdict::Inconsistent) {
        return None;
    }
    let stated = tested_rules
        .iter()
        .filter_map(|rule| rules.constraint(rule))
        .any(|constraint| constraint.basis != ratings_core::Basis::Inferred);
    Some(if stated {
        VerdictBasis::Stated
    } else {
        VerdictBasis::Inferred
    })
}

pub(super) fn undecided(result: &mut AssessmentResult, error: &EngineError) {
    result.verdict = Verdict::Undecided;
    result.findings.push(Finding::new(
        Code::BudgetExceeded,
        format!("{error}; raise the limit with the budget option"),
    ));
}

/// The auditor's severities (`--allow`, `--warn`, `--deny`) on findings: an allowed one is
/// left out, the others take the severity set for their code, and are sorted again.
pub(crate) fn with_overrides(overrides: &ratings_core::Overrides, findings: &mut Vec<Finding>) {
    if overrides.is_empty() {
        return;
    }
    findings.retain_mut(|finding| match overrides.severity(finding.code) {
        Some(severity) => {
            finding.severity = severity;
            true
        }
        None => false,
    });
    sort_findings(findings);
}

/// Errors first, then by code and rule.
pub(crate) fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| (a.severity, a.code, &a.rule).cmp(&(b.severity, b.code, &b.rule)));
}

/// Evaluate the given grades into a result, or take the answer for the same rules and grades
/// from the cache; either way the support of the verdict and findings is worked out from this
/// result's own sources.
pub(super) fn evaluate(
    evaluation: &Evaluation<'_>,
    result: &mut AssessmentResult,
    given: &Assignment,
    cache: &mut RefutationCache,
    budget: &mut Budget,
) -> Result<(), EngineError> {
    let rules = &evaluation.context.rules;
    let grades: Option<Vec<(usize, i64)>> = given
        .iter()
        .map(|(id, value)| rules.judgement_index(id).map(|index| (index, *value)))
        .collect();
    let key = grades.and_then(|grades| evaluated_key(rules, grades.into_iter()));
    let found = key.as_ref().and_then(|key| {
        cache
            .evaluated
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(key)
            .map(Arc::clone)
    });
    if let Some(found) = found {
        // A cached answer charges what it cost, so that no verdict depends on what came
        // before: one that ran out then runs out now.
        if budget.spend(found.cost).is_err() {
            return Err(exceeded(rules, evaluation.context.model(), budget));
        }
        let error = found.error.clone();
        apply(evaluation.book, rules, result, &found);
        return error.map_or(Ok(()), Err);
    }
    let before = budget.used();
    let first = result.findings.len();
    let mut supports = Vec::new();
    let outcome = evaluate_fresh(evaluation, result, given, cache, budget, &mut supports);
    if let Some(key) = key {
        let mut evaluated = cache
            .evaluated
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if evaluated.len() < MAX_EVALUATED {
            let entry = Evaluated {
                verdict: result.verdict,
                allowed: Packed::new(rules, &result.allowed),
                implied: result.implied.clone(),
                implied_labels: result.implied_labels.clone(),
                tested_rules: result.tested_rules.clone(),
                tested_by: result.tested_by.as_ref().map(|a| Grades::new(rules, a)),
                would_test: result.would_test.clone(),
                findings: result.findings[first..].iter().map(without_rule).collect(),
                supports,
                cost: budget.used() - before,
                error: outcome.clone().err(),
                shown: OnceLock::new(),
            };
            evaluated.insert(key, Arc::new(entry));
        }
    }
    outcome
}

fn evaluate_fresh(
    evaluation: &Evaluation<'_>,
    result: &mut AssessmentResult,
    given: &Assignment,
    cache: &mut RefutationCache,
    budget: &mut Budget,
    supports: &mut Vec<(SupportOf, Evidence)>,
) -> Result<(), EngineError> {
    let first = result.findings.len();
    // Each computation of support is recorded, so that a cached answer can redo it with the
    // sources of another assessment.
    let context = evaluation.context;
    let rules = &context.rules;
    let mut record = |of: SupportOf, ids: Vec<String>, judgements: Vec<String>| {
        let of = match of {
            SupportOf::Finding(index) => SupportOf::Finding(index - first),
            verdict => verdict,
        };
        supports.push((of, Evidence::new(rules, &ids, &judgements)));
    };
    let model = context.model();
    // The grades are looked up once for every question below.
    let pinned = model.pin(given)?;
    let allowed = model.allowed_pinned(&pinned, budget)?;
    result.allowed.clone_from(&allowed.values);
    if !allowed.consistent {
        result.verdict = Verdict::Inconsistent;
        let Some(core) = model.conflict(given, budget)? else {
            return Ok(());
        };
        // What each contradicting grade could have been, given all the other published grades.
        let mut allowed_instead = BTreeMap::new();
        for judgement in core.given.keys() {
            let mut others = given.clone();
            others.remove(judgement);
            let without = model.allowed(&others, budget)?;
            allowed_instead.insert(
                judgement.clone(),
                without.values.get(judgement).cloned().unwrap_or_default(),
            );
        }
        let grades = describe_assignment(rules, &core.given);
        let involved: Vec<&Constraint> = core
            .rules
            .iter()
            .filter_map(|r| rules.constraint(r))
            .collect();
        result.support = support(
            evaluation.book,
            &involved,
            core.given.keys(),
            &result.published,
        );
        record(
            SupportOf::Verdict,
            core.rules.clone(),
            core.given.keys().cloned().collect(),
        );
        result.tested_rules = core.rules.clone();
        for rule in &core.rules {
            let Some(constraint) = rules.constraint(rule) else {
                continue;
            };
            let mut judgements: Vec<String> = core.given.keys().cloned().collect();
            for judgement in constraint.judgements() {
                if !judgements.iter().any(|j| j == judgement) {
                    judgements.push(judgement.to_owned());
                }
            }
            let instead: Vec<String> = allowed_instead
                .iter()
                .map(|(j, values)| format!("{j} could be {}", describe_values(rules, j, values)))
                .collect();
            record(
                SupportOf::Finding(result.findings.len()),
                vec![constraint.id.clone()],
                core.given.keys().cloned().collect(),
            );
            result.findings.push(Finding {
                support: Some(support(evaluation.book, &[constraint], core.given.keys(), &result.published)),
                judgements,
                evidence: core.given.clone(),
                allowed_instead: allowed_instead.clone(),
                ..rule_finding(
                    evaluation.book,
                    Code::RuleBroken,
                    constraint,
                    format!(
                        "the published grades {grades} break `{rule}`: {}; given the other grades, {}{}",
                        constraint.text,
                        instead.join(", "),
                        if constraint.basis == ratings_core::Basis::Inferred {
                            "; the rule is a hypothesis inferred from published grades, so these grades are a counter-example to it, not proof that a rule was broken"
                        } else {
                            ""
                        }
                    ),
                )
            });
        }
        return Ok(());
    }
    let published: Vec<String> = given.keys().cloned().collect();
    // Whether other grades would have been rejected depends only on which judgements were
    // published, not on their grades, so it is computed once per rules and set of judgements;
    // a cached answer is charged what it cost, so that no verdict depends on what came before.
    let bits = pinned.given_bits();
    let (refutation, tested) = match bits.map(|bits| (rules.key().to_vec(), bits)) {
        Some(key) => match cache.found.get(&key) {
            Some((cached, core, cost)) => {
                budget
                    .spend(*cost)
                    .map_err(|_| exceeded(rules, model, budget))?;
                (cached.clone(), core.clone())
            }
            None => {
                let before = budget.used();
                let found = model.refutation(&published, budget)?;
                let core = tested_core(model, found.as_ref(), budget)?;
                cache
                    .found
                    .insert(key, (found.clone(), core.clone(), budget.used() - before));
                (found, core)
            }
        },
        None => {
            let found = model.refutation(&published, budget)?;
            let core = tested_core(model, found.as_ref(), budget)?;
            (found, core)
        }
    };
    match refutation {
        Some(alternative) => {
            result.verdict = Verdict::Consistent;
            // The rules that reject the alternative are the rules that tested the grades.
            if let Some(core) = tested {
                let involved: Vec<&Constraint> = core
                    .rules
                    .iter()
                    .filter_map(|r| rules.constraint(r))
                    .collect();
                result.support = support(
                    evaluation.book,
                    &involved,
                    core.given.keys(),
                    &result.published,
                );
                record(
                    SupportOf::Verdict,
                    core.rules.clone(),
                    core.given.keys().cloned().collect(),
                );
                result.tested_rules = core.rules;
            }
            result.tested_by = Some(alternative);
        }
        None => {
            result.verdict = Verdict::Unverifiable;
            result.would_test = would_test(rules, model, &published, bits, cache, budget)?;
            result.findings.push(Finding {
                judgements: published.clone(),
                ..Finding::new(
                    Code::Unverifiable,
                    "any grades whatever for the published judgements would pass the rules, so the check says nothing about them".to_owned(),
                )
            });
        }
    }
    for constraint in rules
        .constraints()
        .iter()
        .filter(|c| c.strength == Strength::Usually)
    {
        // The `must` rules hold with these grades (an inconsistent assessment has returned):
        // where the grades decide the rule on their own, that is the answer, without a search.
        let departs = match model.decided_pinned(&pinned, &constraint.id) {
            Some(holds) => !holds,
            None => !model.satisfiable_with_pinned(&pinned, &[constraint.id.as_str()], budget)?,
        };
        if departs {
            let judgements: Vec<String> = constraint
                .judgements()
                .iter()
                .map(|j| (*j).to_owned())
                .collect();
            // The evidence is a minimal set of published grades that depart from the rule: only
            // grades that play a part in it, so the finding points at one of them.
            let involved = model
                .minimal_given(given, &[constraint.id.as_str()], budget)?
                .unwrap_or_default();
            let keys: Vec<&String> = involved.keys().collect();
            record(
                SupportOf::Finding(result.findings.len()),
                vec![constraint.id.clone()],
                involved.keys().cloned().collect(),
            );
            result.findings.push(Finding {
                support: Some(support(
                    evaluation.book,
                    &[constraint],
                    keys.into_iter(),
                    &result.published,
                )),
                judgements,
                evidence: involved.clone(),
                ..rule_finding(
                    evaluation.book,
                    Code::DepartsFromUsual,
                    constraint,
                    format!(
                        "the published grades {} depart from what `{}` says usually holds: {}",
                        describe_assignment(rules, &involved),
                        constraint.id,
                        constraint.text
                    ),
                )
            });
        }
    }
    let implied: Vec<&str> = rules
        .judgements()
        .iter()
        .filter(|j| !j.judgement.latent && !result.published.contains_key(&j.judgement.id))
        .filter(|j| {
            allowed
                .values
                .get(&j.judgement.id)
                .is_some_and(|v| v.len() < j.scale.values.len())
        })
        .map(|j| j.judgement.id.as_str())
        .collect();
    let reasons = if implied.is_empty() {
        Vec::new()
    } else {
        model.reasons_for(given, &allowed, &implied, budget)?
    };
    for id in implied {
        let values = allowed.values.get(id).cloned().unwrap_or_default();
        // Each reason as it bears on this judgement: the values of it that it removes.
        let because: Vec<Reason> = reasons
            .iter()
            .filter_map(|reason| {
                let removed = reason.removes.get(id)?;
                Some(Reason {
                    removes: BTreeMap::from([(id.to_owned(), removed.clone())]),
                    ..reason.clone()
                })
            })
            .collect();
        result.findings.push(Finding {
            judgements: vec![id.to_owned()],
            because,
            ..Finding::new(
                Code::ImpliedGrade,
                format!(
                    "the published grades imply {id} is {}",
                    describe_values(rules, id, &values)
                ),
            )
        });
        result
            .implied_labels
            .insert(id.to_owned(), describe_values(rules, id, &values));
        result.implied.insert(id.to_owned(), values);
    }
    Ok(())
}

/// The rules that reject a refutation: what tested the grades. Asked together with the
/// refutation, so that a cached pair charges what both cost.
fn tested_core(
    model: &ratings_core::Model,
    refutation: Option<&Assignment>,
    budget: &mut Budget,
) -> Result<Option<Core>, EngineError> {
    match refutation {
        Some(alternative) => model.conflict(alternative, budget),
        None => Ok(None),
    }
}

/// Independent when some grade of the judgements involved comes from a document none of the
/// rules cites; circular when every one does; none without rules.
fn support<'a>(
    book: &RuleBook,
    rules: &[&Constraint],
    judgements: impl Iterator<Item = &'a String>,
    published: &BTreeMap<String, Vec<Published>>,
) -> Support {
    if rules.is_empty() {
        return Support::None;
    }
    evidence_support(
        book,
        rules,
        judgements.flat_map(|j| published.get(j).into_iter().flatten().map(|p| &*p.document)),
    )
}

/// What grades from these documents are worth as evidence about these rules: independent when
/// one document is in the rule book's registry and cited by none of the rules; else
/// unregistered when one is not in the registry (its independence cannot be shown: a name is
/// not a provenance); else circular (every one is cited by a rule); none without a document.
pub(crate) fn evidence_support<'d>(
    book: &RuleBook,
    rules: &[&Constraint],
    documents: impl Iterator<Item = &'d str>,
) -> Support {
    // A document cited by a rule, or taken from one that is (a table transcribed from the
    // reports a rule was drawn from is no independent test of it).
    let cited_here = |document: &str| {
        rules
            .iter()
            .any(|r| r.cite.iter().any(|c| c.document == document))
    };
    let cited = |document: &str| {
        cited_here(document)
            || book
                .document(document)
                .is_some_and(|d| d.derived_from.iter().any(|source| cited_here(source)))
    };
    let (mut any, mut unregistered) = (false, false);
    for document in documents {
        any = true;
        match (book.document(document).is_some(), cited(document)) {
            (true, false) => return Support::Independent,
            (false, false) => unregistered = true,
            (_, true) => {}
        }
    }
    match (any, unregistered) {
        (false, _) => Support::None,
        (true, true) => Support::Unregistered,
        (true, false) => Support::Circular,
    }
}

/// For published judgements that any grades would pass: each unpublished judgement that, if
/// published too, would let `must` rules test the grades, with those rules. Cached per rules
/// and published set, charging the cost as a fresh answer would.
fn would_test(
    rules: &PeriodRules,
    model: &ratings_core::Model,
    published: &[String],
    bits: Option<u64>,
    cache: &mut RefutationCache,
    budget: &mut Budget,
) -> Result<Vec<WouldTest>, EngineError> {
    let key = bits.map(|bits| (rules.key().to_vec(), bits));
    if let Some((found, cost)) = key.as_ref().and_then(|key| cache.would_test.get(key)) {
        budget
            .spend(*cost)
            .map_err(|_| exceeded(rules, model, budget))?;
        return Ok(found.clone());
    }
    let before = budget.used();
    let mut found = Vec::new();
    for judgement in rules.judgements().iter().filter(|j| !j.judgement.latent) {
        let id = &judgement.judgement.id;
        if published.contains(id) {
            continue;
        }
        let mut more = published.to_vec();
        more.push(id.clone());
        if let Some(alternative) = model.refutation(&more, budget)? {
            let tested = model
                .conflict(&alternative, budget)?
                .map(|core| core.rules)
                .unwrap_or_default();
            found.push(WouldTest {
                judgement: id.clone(),
                rules: tested,
            });
        }
    }
    if let Some(key) = key {
        cache
            .would_test
            .insert(key, (found.clone(), budget.used() - before));
    }
    Ok(found)
}

fn exceeded(rules: &PeriodRules, model: &ratings_core::Model, budget: &Budget) -> EngineError {
    EngineError::BudgetExceeded {
        period: rules.label().to_owned(),
        judgements: rules.judgements().len(),
        constraints: model.constraint_count(),
        limit: budget.limit,
    }
}

/// A finding about a rule, carrying its text, strength, basis and sources.
pub(crate) fn rule_finding(
    book: &RuleBook,
    code: Code,
    constraint: &Constraint,
    message: String,
) -> Finding {
    Finding {
        rule: Some(constraint.id.clone()),
        text: Some(constraint.text.clone()),
        basis: Some(constraint.basis),
        strength: Some(constraint.strength),
        cite: cited(book, constraint),
        ..Finding::new(code, message)
    }
}

/// A constraint's citations with their documents' titles.
pub fn cited(book: &RuleBook, constraint: &Constraint) -> Vec<Cited> {
    constraint
        .cite
        .iter()
        .map(|citation| {
            let document = book.document(&citation.document);
            Cited {
                document: citation.document.clone(),
                title: document.map_or_else(
                    || citation.document.clone(),
                    |d| match &d.date {
                        Some(date) => format!("{} ({}, {date})", d.title, d.publisher),
                        None => format!("{} ({})", d.title, d.publisher),
                    },
                ),
                locator: citation.locator.clone(),
                url: document.and_then(|d| d.url.clone()),
            }
        })
        .collect()
}

pub(super) fn source_name(published: &Published) -> String {
    format!("{} ({})", published.document, published.locator)
}

/// `a = good (3), b = inadequate (1)`.
pub fn describe_assignment(rules: &PeriodRules, assignment: &Assignment) -> String {
    let parts: Vec<String> = assignment
        .iter()
        .map(|(j, v)| match rules.judgement(j) {
            Some(found) => format!("{j} = {}", found.scale.describe(*v)),
            None => format!("{j} = {v}"),
        })
        .collect();
    parts.join(", ")
}

/// `inadequate (1) or adequate (2)`.
pub fn describe_values(rules: &PeriodRules, judgement: &str, values: &[i64]) -> String {
    if values.is_empty() {
        return "nothing (the other grades already contradict the rules)".to_owned();
    }
    let parts: Vec<String> = values
        .iter()
        .map(|v| {
            rules
                .judgement(judgement)
                .map_or_else(|| v.to_string(), |j| j.scale.describe(*v))
        })
        .collect();
    parts.join(" or ")
}
