//! One policy for disagreeing evidence: where sources (or one document) give a judgement
//! different grades, the assessment is checked once per combination of them, and the result
//! says what is known under each (`alternatives`) and overall (the verdict they share, or
//! `disputed`).

use std::collections::BTreeMap;

use ratings_core::{escape, Assignment, Budget, Code, PeriodRules};

use super::{evaluate, source_name, undecided, Evaluation, RefutationCache};
use crate::assessment::DocumentFinding;
use crate::describe_values;
use crate::result::{Alternative, AssessmentResult, Finding, Published, Support, Verdict};

/// Every grade given for each judgement, with the sources that give it: the published grades,
/// and the other grade a document states where it contradicts itself. One policy covers both.
pub(super) fn grades_given(
    rules: &PeriodRules,
    published: &BTreeMap<String, Vec<Published>>,
    documents: &[DocumentFinding],
) -> BTreeMap<String, Grades> {
    let mut grades: BTreeMap<String, Grades> = BTreeMap::new();
    let mut offer = |judgement: &str, value: i64, source: String| {
        let values = grades.entry(judgement.to_owned()).or_default();
        match values.iter_mut().find(|(v, _)| *v == value) {
            Some((_, sources)) => {
                if !sources.contains(&source) {
                    sources.push(source);
                }
            }
            None => values.push((value, vec![source])),
        }
    };
    for (judgement, sources) in published {
        for source in sources {
            // A grade read from a document that also states it otherwise is named by its line,
            // as the other statement is.
            let read_here = documents.iter().any(|d| *d.file == *source.file);
            let name = if read_here {
                format!("{} (line {})", source.document, source.line)
            } else {
                source_name(source)
            };
            offer(judgement, source.value, name);
        }
    }
    for document in documents {
        // The document's other statement of the grade is an alternative to the one its
        // record carries, when the grade is published and the statement is on its scale.
        let (Some(value), Some(sources), Some(line)) = (
            document.alternative,
            published.get(&document.judgement),
            document.lines.last(),
        ) else {
            continue;
        };
        let on_scale = rules
            .judgement(&document.judgement)
            .is_some_and(|j| j.scale.by_number(value).is_some());
        if !on_scale {
            continue;
        }
        let name = sources
            .iter()
            .find(|p| *p.file == *document.file)
            .map_or_else(
                || escape(&document.file).into_owned(),
                |p| p.document.to_string(),
            );
        let what = match document.code {
            Code::LabelMismatch => "the label",
            Code::NarrativeMismatch => "the text",
            _ => "restated",
        };
        offer(
            &document.judgement,
            value,
            format!("{name} ({what} on line {line})"),
        );
    }
    grades
}

/// The grades given one judgement, each with the sources that give it.
pub(super) type Grades = Vec<(i64, Vec<String>)>;

/// The most combinations of disputed grades an assessment is checked with.
const MAX_ALTERNATIVES: usize = 64;

/// Check an assessment once per combination of the grades its sources disagree on, and
/// report what is known: the verdict under each grade, and overall the verdict they share or
/// `disputed`. Each combination is a check of its own, with its own budget.
pub(super) fn assess_alternatives(
    evaluation: &Evaluation<'_>,
    result: &mut AssessmentResult,
    agreed: &Assignment,
    disputed: &[(&String, &Grades)],
    cache: &mut RefutationCache,
) {
    let rules = &evaluation.context.rules;
    let combinations: usize = disputed
        .iter()
        .map(|(_, values)| values.len())
        .try_fold(1usize, |n, k| n.checked_mul(k))
        .unwrap_or(usize::MAX);
    if combinations > MAX_ALTERNATIVES {
        result.verdict = Verdict::Undecided;
        result.findings.push(Finding::new(
            Code::ConflictingSources,
            format!(
                "the sources disagree on {} judgements, {combinations} combinations of grades, more than the {MAX_ALTERNATIVES} checked one by one; the assessment is left undecided",
                disputed.len()
            ),
        ));
        return;
    }
    // Each combination: the value index per disputed judgement, and the check with it.
    let mut checked: Vec<(Vec<usize>, AssessmentResult)> = Vec::new();
    for number in 0..combinations {
        let mut rest = number;
        let mut picks = Vec::with_capacity(disputed.len());
        let mut given = agreed.clone();
        for (judgement, values) in disputed {
            let pick = rest % values.len();
            rest /= values.len();
            picks.push(pick);
            given.insert((*judgement).clone(), values[pick].0);
        }
        let mut scratch = AssessmentResult {
            subject: result.subject.clone(),
            labels: result.labels.clone(),
            year: result.year,
            date: result.date.clone(),
            rule_sets: result.rule_sets.clone(),
            verdict: Verdict::Undecided,
            support: Support::None,
            basis: None,
            tested_rules: Vec::new(),
            would_test: Vec::new(),
            findings: Vec::new(),
            published: result.published.clone(),
            allowed: BTreeMap::new(),
            implied: BTreeMap::new(),
            tested_by: None,
            alternatives: Vec::new(),
        };
        let mut budget = Budget::new(evaluation.budget);
        if let Err(error) = evaluate(evaluation, &mut scratch, &given, cache, &mut budget) {
            undecided(&mut scratch, &error);
        }
        checked.push((picks, scratch));
    }
    let verdicts = |keep: &dyn Fn(&[usize]) -> bool| {
        Verdict::combined(
            checked
                .iter()
                .filter(|(picks, _)| keep(picks))
                .map(|(_, r)| r.verdict),
        )
        .unwrap_or(Verdict::Undecided)
    };
    result.verdict = verdicts(&|_| true);
    for (position, (judgement, values)) in disputed.iter().enumerate() {
        for (pick, (value, sources)) in values.iter().enumerate() {
            result.alternatives.push(Alternative {
                judgement: (*judgement).clone(),
                value: *value,
                label: describe_values(rules, judgement, &[*value]),
                source: sources.join("; "),
                verdict: verdicts(&|picks: &[usize]| picks[position] == pick),
            });
        }
    }
    // Findings every combination gives are stated once; the others say which grades they
    // were found with.
    let same = |a: &Finding, b: &Finding| {
        (a.code, &a.rule, &a.message, &a.evidence, &a.because)
            == (b.code, &b.rule, &b.message, &b.evidence, &b.because)
    };
    let every = |finding: &Finding| {
        checked
            .iter()
            .all(|(_, r)| r.findings.iter().any(|f| same(f, finding)))
    };
    let mut findings: Vec<Finding> = Vec::new();
    for (picks, scratch) in &checked {
        let with: Vec<String> = disputed
            .iter()
            .zip(picks)
            .map(|((judgement, values), &pick)| {
                format!(
                    "{judgement} = {} from {}",
                    describe_values(rules, judgement, &[values[pick].0]),
                    values[pick].1.join("; ")
                )
            })
            .collect();
        for finding in &scratch.findings {
            let mut finding = finding.clone();
            if !every(&finding) {
                finding.message = format!("with {}: {}", with.join(", "), finding.message);
            }
            if !findings.iter().any(|f| same(f, &finding)) {
                findings.push(finding);
            }
        }
    }
    result.findings.extend(findings);
    // Values possible with some alternative; implied where every alternative narrows.
    for (_, scratch) in &checked {
        for (judgement, values) in &scratch.allowed {
            let union = result.allowed.entry(judgement.clone()).or_default();
            for value in values {
                if !union.contains(value) {
                    union.push(*value);
                }
            }
        }
        for rule in &scratch.tested_rules {
            if !result.tested_rules.contains(rule) {
                result.tested_rules.push(rule.clone());
            }
        }
        result.support = result.support.min(scratch.support);
    }
    for (judgement, values) in result.allowed.iter_mut() {
        if let Some(found) = rules.judgement(judgement) {
            let numbers = found.scale.numbers();
            values.sort_by_key(|v| numbers.iter().position(|n| n == v));
            let narrowed = values.len() < numbers.len();
            if narrowed && !found.judgement.latent && !result.published.contains_key(judgement) {
                result.implied.insert(judgement.clone(), values.clone());
            }
        }
    }
    if let Some((_, first)) = checked.first() {
        result.tested_by.clone_from(&first.tested_by);
        result.would_test.clone_from(&first.would_test);
    }
}
