//! Checking records: merge them into assessments (one authority, one year), then give each a
//! verdict computed exactly with the engine, with findings that cite the rules.

use std::collections::BTreeMap;

use ratings_core::{
    Assignment, Basis, Budget, Cite, EngineError, Model, Problem, RuleBook, Strength, YearRules,
};
use serde::Serialize;

use crate::authority::Authorities;
use crate::records::{validate, ReadFile, Source, ValidRecord};

/// The whole outcome of a `check` run.
#[derive(Debug, Serialize)]
pub struct Report {
    pub summary: Summary,
    pub results: Vec<AssessmentResult>,
    /// Why each rejected record or unreadable file was rejected, in input order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
}

/// Counts that always add up: `records = checked + rejected`, and
/// `assessments = consistent + inconsistent + unverifiable + undecided`.
#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub unreadable_files: usize,
    pub records: usize,
    pub checked: usize,
    pub rejected: usize,
    pub assessments: usize,
    pub consistent: usize,
    pub inconsistent: usize,
    pub unverifiable: usize,
    /// Assessments whose evaluation ran out of budget.
    pub undecided: usize,
    /// Assessments in which two sources give one judgement different grades.
    pub conflicts: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Consistent,
    Inconsistent,
    Unverifiable,
    Undecided,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// The verdict on one authority in one year.
#[derive(Debug, Serialize)]
pub struct AssessmentResult {
    pub authority: String,
    pub la_code: String,
    pub year: i64,
    pub verdict: Verdict,
    pub findings: Vec<Finding>,
    /// Every published grade with the sources that gave it.
    pub published: BTreeMap<String, Vec<Published>>,
    /// Allowed values of every judgement of the year, given the published grades.
    pub allowed: BTreeMap<String, Vec<i64>>,
    /// Unpublished, non-latent judgements that the published grades narrow.
    pub implied: BTreeMap<String, Vec<i64>>,
    /// For a consistent verdict: other grades for the published judgements that the rules
    /// would have rejected, showing that the check tested something.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tested_by: Option<Assignment>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Published {
    pub value: i64,
    pub label: String,
    pub document: String,
    pub locator: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
}

/// One finding about an assessment.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    /// The constraint concerned, if any.
    pub rule: Option<String>,
    pub judgements: Vec<String>,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basis: Option<Basis>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strength: Option<Strength>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cite: Option<Cite>,
    /// For a broken rule: a minimal set of published grades that already contradict the rules.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub evidence: Assignment,
    /// For a broken rule: the values each of those grades could have had, given the others.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub allowed_instead: BTreeMap<String, Vec<i64>>,
    /// The rules and given grades behind an implication.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub because: Vec<ratings_core::Reason>,
    /// For a disagreement inside a letter: every line involved.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<usize>,
}

/// How to check: the search budget per question and the table of authorities.
#[derive(Debug, Clone, Copy)]
pub struct CheckOptions<'a> {
    pub budget: u64,
    pub authorities: &'a Authorities,
}

impl Default for CheckOptions<'static> {
    fn default() -> Self {
        CheckOptions {
            budget: ratings_core::DEFAULT_BUDGET,
            authorities: Authorities::builtin(),
        }
    }
}

/// Check every record of the files against the rule book.
pub fn check(book: &RuleBook, files: &[ReadFile], options: &CheckOptions<'_>) -> Report {
    let budget_limit = options.budget;
    let years: BTreeMap<i64, YearRules> = book
        .years()
        .into_iter()
        .filter_map(|year| YearRules::new(book, year).map(|rules| (year, rules)))
        .collect();
    let mut summary = Summary {
        files: files.len(),
        ..Summary::default()
    };
    let mut problems = Vec::new();
    let mut groups: BTreeMap<(String, i64), Vec<ValidRecord>> = BTreeMap::new();
    // The first place each distinct record was read, to reject exact repeats.
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for file in files {
        if let Some(problem) = &file.unreadable {
            summary.unreadable_files += 1;
            problems.push(problem.clone());
            continue;
        }
        for record in &file.records {
            summary.records += 1;
            match validate(record, book, &years, options.authorities) {
                Ok(valid) => {
                    let key = record_key(&valid);
                    if let Some(first) = seen.get(&key) {
                        summary.rejected += 1;
                        problems.push(
                            Problem::at(
                                "duplicate-record",
                                &record.text,
                                record.span.clone(),
                                format!("the same record as {first}: same authority, year, source and grades"),
                            )
                            .with_help("a repeated record would count twice; remove one copy"),
                        );
                        continue;
                    }
                    seen.insert(key, format!("{}:{}", valid.file, valid.line));
                    summary.checked += 1;
                    groups
                        .entry((valid.authority.name.clone(), valid.year))
                        .or_default()
                        .push(valid);
                }
                Err(record_problems) => {
                    summary.rejected += 1;
                    problems.extend(record_problems);
                }
            }
        }
    }
    let models: BTreeMap<i64, Model> = years
        .iter()
        .map(|(year, rules)| (*year, Model::new(rules)))
        .collect();
    let mut results = Vec::new();
    for ((authority, year), records) in groups {
        // INVARIANT: a record validates only for a year with rules, so both lookups succeed.
        let (Some(rules), Some(model)) = (years.get(&year), models.get(&year)) else {
            continue;
        };
        let result = assess(&authority, year, &records, rules, model, budget_limit);
        match result.verdict {
            Verdict::Consistent => summary.consistent += 1,
            Verdict::Inconsistent => summary.inconsistent += 1,
            Verdict::Unverifiable => summary.unverifiable += 1,
            Verdict::Undecided => summary.undecided += 1,
        }
        results.push(result);
    }
    summary.assessments = results.len();
    summary.conflicts = results
        .iter()
        .filter(|r| r.findings.iter().any(|f| f.code == "conflicting-sources"))
        .count();
    attach_document_findings(files, &mut results, &mut problems, options.authorities);
    // Problems in a stable order, whatever the order of the inputs.
    problems.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.code, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.code, &b.message))
    });
    Report {
        summary,
        results,
        problems,
    }
}

fn assess(
    authority: &str,
    year: i64,
    records: &[ValidRecord],
    rules: &YearRules,
    model: &Model,
    budget_limit: u64,
) -> AssessmentResult {
    let mut published: BTreeMap<String, Vec<Published>> = BTreeMap::new();
    for record in records {
        for grade in &record.grades {
            let label = rules.judgement(&grade.judgement).map_or_else(
                || grade.value.to_string(),
                |j| j.scale.describe(grade.value),
            );
            published
                .entry(grade.judgement.clone())
                .or_default()
                .push(Published {
                    value: grade.value,
                    label,
                    document: record.source.document.clone(),
                    locator: record.source.locator.clone(),
                    file: record.file.clone(),
                    line: grade.line,
                    column: grade.column,
                });
        }
    }
    let mut result = AssessmentResult {
        authority: authority.to_owned(),
        la_code: records
            .first()
            .map(|r| r.authority.code.clone())
            .unwrap_or_default(),
        year,
        verdict: Verdict::Undecided,
        findings: Vec::new(),
        published,
        allowed: BTreeMap::new(),
        implied: BTreeMap::new(),
        tested_by: None,
    };
    let mut given = Assignment::new();
    for (judgement, sources) in &result.published {
        let first = &sources[0];
        match sources.iter().find(|s| s.value != first.value) {
            None => {
                given.insert(judgement.clone(), first.value);
            }
            Some(other) => result.findings.push(Finding {
                message: format!(
                    "sources disagree on `{judgement}`: {} gives {}, {} gives {}; the grade is left out of the check",
                    source_name(first),
                    first.label,
                    source_name(other),
                    other.label
                ),
                judgements: vec![judgement.clone()],
                ..finding("conflicting-sources", Severity::Error, None)
            }),
        }
    }
    let mut budget = Budget::new(budget_limit);
    if let Err(error) = evaluate(&mut result, &given, rules, model, &mut budget) {
        result.verdict = Verdict::Undecided;
        result.findings.push(Finding {
            message: format!("{error}; raise the limit with `--budget`"),
            ..finding("budget-exceeded", Severity::Error, None)
        });
    }
    result
        .findings
        .sort_by(|a, b| (a.severity, a.code, &a.rule).cmp(&(b.severity, b.code, &b.rule)));
    result
}

fn evaluate(
    result: &mut AssessmentResult,
    given: &Assignment,
    rules: &YearRules,
    model: &Model,
    budget: &mut Budget,
) -> Result<(), EngineError> {
    let allowed = model.allowed(given, budget)?;
    result.allowed = allowed.values.clone();
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
            result.findings.push(Finding {
                message: format!(
                    "the published grades {grades} break `{rule}`: {}; given the other grades, {}",
                    constraint.text,
                    instead.join(", ")
                ),
                judgements,
                evidence: core.given.clone(),
                allowed_instead: allowed_instead.clone(),
                ..rule_finding("rule-broken", Severity::Error, constraint)
            });
        }
        return Ok(());
    }
    let published: Vec<String> = given.keys().cloned().collect();
    match model.refutation(&published, budget)? {
        Some(alternative) => {
            result.verdict = Verdict::Consistent;
            result.tested_by = Some(alternative);
        }
        None => {
            result.verdict = Verdict::Unverifiable;
            result.findings.push(Finding {
                message: "any grades whatever for the published judgements would pass the rules, so the check says nothing about them".to_owned(),
                judgements: published.clone(),
                ..finding("unverifiable", Severity::Info, None)
            });
        }
    }
    for constraint in rules
        .constraints
        .iter()
        .filter(|c| c.strength == Strength::Usually)
    {
        if !model.satisfiable_with(given, &[constraint.id.as_str()], budget)? {
            let judgements: Vec<String> = constraint
                .judgements()
                .iter()
                .map(|j| (*j).to_owned())
                .collect();
            let involved: Assignment = given
                .iter()
                .filter(|(j, _)| judgements.contains(j))
                .map(|(j, v)| (j.clone(), *v))
                .collect();
            result.findings.push(Finding {
                message: format!(
                    "the published grades {} depart from what `{}` says usually holds: {}",
                    describe_assignment(rules, &involved),
                    constraint.id,
                    constraint.text
                ),
                judgements,
                evidence: involved,
                ..rule_finding("departs-from-usual", Severity::Warning, constraint)
            });
        }
    }
    let reasons = model.reasons(given, &allowed, budget)?;
    for judgement in &rules.judgements {
        let id = &judgement.judgement.id;
        if judgement.judgement.latent || given.contains_key(id) || result.published.contains_key(id)
        {
            continue;
        }
        let values = allowed.values.get(id).cloned().unwrap_or_default();
        if values.len() < judgement.scale.values.len() {
            result.findings.push(Finding {
                message: format!(
                    "the published grades imply {id} is {}",
                    describe_values(rules, id, &values)
                ),
                judgements: vec![id.clone()],
                because: reasons.get(id).cloned().unwrap_or_default(),
                ..finding("implied-grade", Severity::Info, None)
            });
            result.implied.insert(id.clone(), values);
        }
    }
    Ok(())
}

/// Disagreements found inside letters go to the assessment of that authority and year; one
/// whose records were all rejected is reported as a problem instead, so nothing is lost.
fn attach_document_findings(
    files: &[ReadFile],
    results: &mut [AssessmentResult],
    problems: &mut Vec<Problem>,
    authorities: &Authorities,
) {
    for file in files {
        for document_finding in &file.document_findings {
            let authority = authorities
                .resolve(&document_finding.authority)
                .map(|a| a.name.clone())
                .unwrap_or_default();
            let message = document_finding.message.clone();
            match results
                .iter_mut()
                .find(|r| r.authority == authority && r.year == document_finding.year)
            {
                Some(result) => {
                    result.findings.push(Finding {
                        message,
                        judgements: vec![document_finding.judgement.clone()],
                        lines: document_finding.lines.clone(),
                        ..finding(document_finding.code, Severity::Error, None)
                    });
                    result.findings.sort_by(|a, b| {
                        (a.severity, a.code, &a.rule).cmp(&(b.severity, b.code, &b.rule))
                    });
                }
                None => {
                    let file_name = file
                        .records
                        .first()
                        .map(|r| r.text.name.clone())
                        .unwrap_or_default();
                    problems.push(Problem::in_file(document_finding.code, file_name, message));
                }
            }
        }
    }
}

/// What makes two records the same: authority, year, source and grades.
fn record_key(record: &ValidRecord) -> String {
    let grades: Vec<String> = record
        .grades
        .iter()
        .map(|g| format!("{}={}", g.judgement, g.value))
        .collect();
    format!(
        "{}|{}|{}|{}|{}",
        record.authority.code,
        record.year,
        record.source.document,
        record.source.locator,
        grades.join(",")
    )
}

fn finding(code: &'static str, severity: Severity, rule: Option<String>) -> Finding {
    Finding {
        code,
        severity,
        rule,
        judgements: Vec::new(),
        message: String::new(),
        text: None,
        basis: None,
        strength: None,
        cite: None,
        evidence: Assignment::new(),
        allowed_instead: BTreeMap::new(),
        because: Vec::new(),
        lines: Vec::new(),
    }
}

fn rule_finding(
    code: &'static str,
    severity: Severity,
    constraint: &ratings_core::Constraint,
) -> Finding {
    Finding {
        text: Some(constraint.text.clone()),
        basis: Some(constraint.basis),
        strength: Some(constraint.strength),
        cite: Some(constraint.cite.clone()),
        ..finding(code, severity, Some(constraint.id.clone()))
    }
}

fn source_name(published: &Published) -> String {
    format!("{} ({})", published.document, published.locator)
}

/// `a = good (3), b = inadequate (1)`.
pub fn describe_assignment(rules: &YearRules, assignment: &Assignment) -> String {
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
pub fn describe_values(rules: &YearRules, judgement: &str, values: &[i64]) -> String {
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

impl Source {
    pub fn describe(&self) -> String {
        format!("{}, {}", self.document, self.locator)
    }
}
