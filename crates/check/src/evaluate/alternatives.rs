//! One policy for disagreeing evidence: where sources (or one document) give a judgement
//! different grades, the assessment is checked once per grade set a source publishes, whole
//! (never a mix of one source's grade with another's), and the result says what is known
//! with each grade (`alternatives`) and overall (the verdict the sets share, or `disputed`).

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

/// The most grade sets an assessment is checked with, one per source that disagrees.
const MAX_ALTERNATIVES: usize = 64;

/// One grade set as a source publishes it: its name and its grades.
struct GradeSet {
    names: Vec<String>,
    grades: Assignment,
}

/// The grade sets the sources of an assessment publish, each whole: one per source (a
/// record's document and place), one more per statement a document makes against its own
/// record (its record's grades with the other statement's grade), each completed by the grades
/// every source that gives them agrees on. No set mixes grades that sources disagree on: what
/// is checked is always a grade set some source published.
fn grade_sets(
    rules: &PeriodRules,
    published: &BTreeMap<String, Vec<Published>>,
    documents: &[DocumentFinding],
) -> Vec<GradeSet> {
    let given = grades_given(rules, published, documents);
    let agreed: Assignment = given
        .iter()
        .filter(|(_, values)| values.len() == 1)
        .map(|(judgement, values)| (judgement.clone(), values[0].0))
        .collect();
    // Each source's own grades, by (document, locator, file).
    let mut by_source: BTreeMap<(String, String, String), (String, Assignment)> = BTreeMap::new();
    for (judgement, sources) in published {
        for source in sources {
            let key = (
                source.document.to_string(),
                source.locator.to_string(),
                source.file.to_string(),
            );
            let entry = by_source
                .entry(key)
                .or_insert_with(|| (super::source_name(source), Assignment::new()));
            entry.1.insert(judgement.clone(), source.value);
        }
    }
    let mut sets: Vec<GradeSet> = Vec::new();
    let mut add = |name: String, mut grades: Assignment| {
        for (judgement, value) in &agreed {
            grades.entry(judgement.clone()).or_insert(*value);
        }
        match sets.iter_mut().find(|set| set.grades == grades) {
            Some(set) => {
                if !set.names.contains(&name) {
                    set.names.push(name);
                }
            }
            None => sets.push(GradeSet {
                names: vec![name],
                grades,
            }),
        }
    };
    for ((_, _, file), (name, grades)) in &by_source {
        add(name.clone(), grades.clone());
        // The same document's other statement of a grade: its record's grades, with that one.
        for document in documents.iter().filter(|d| *d.file == **file) {
            let (Some(value), Some(line)) = (document.alternative, document.lines.last()) else {
                continue;
            };
            let on_scale = rules
                .judgement(&document.judgement)
                .is_some_and(|j| j.scale.by_number(value).is_some());
            if !on_scale || !grades.contains_key(&document.judgement) {
                continue;
            }
            let what = match document.code {
                Code::LabelMismatch => "the label",
                Code::NarrativeMismatch => "the text",
                _ => "restated",
            };
            let mut other = grades.clone();
            other.insert(document.judgement.clone(), value);
            add(format!("{name} ({what} on line {line})"), other);
        }
    }
    sets
}

/// Check an assessment once per grade set its sources publish, and report what is known: the
/// verdict with each grade of the judgements they disagree on, and overall the verdict the sets
/// share or `disputed`. Each set is a check of its own, with its own budget. `false`, with
/// nothing done, where the sources publish one grade set after all.
pub(super) fn assess_alternatives(
    evaluation: &Evaluation<'_>,
    result: &mut AssessmentResult,
    documents: &[DocumentFinding],
    cache: &mut RefutationCache,
) -> bool {
    let rules = &evaluation.context.rules;
    let sets = grade_sets(rules, &result.published, documents);
    if sets.len() < 2 {
        return false;
    }
    if sets.len() > MAX_ALTERNATIVES {
        result.verdict = Verdict::Undecided;
        result.findings.push(Finding::new(
            Code::ConflictingSources,
            format!(
                "the sources publish {} different grade sets, more than the {MAX_ALTERNATIVES} checked one by one; the assessment is left undecided",
                sets.len()
            ),
        ));
        return true;
    }
    let mut checked: Vec<(&GradeSet, AssessmentResult)> = Vec::new();
    for set in &sets {
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
            implied_labels: BTreeMap::new(),
            tested_by: None,
            alternatives: Vec::new(),
        };
        let mut budget = Budget::new(evaluation.budget);
        if let Err(error) = evaluate(evaluation, &mut scratch, &set.grades, cache, &mut budget) {
            undecided(&mut scratch, &error);
        }
        checked.push((set, scratch));
    }
    let verdicts = |keep: &dyn Fn(&GradeSet) -> bool| {
        Verdict::combined(
            checked
                .iter()
                .filter(|(set, _)| keep(set))
                .map(|(_, r)| r.verdict),
        )
        .unwrap_or(Verdict::Undecided)
    };
    result.verdict = verdicts(&|_| true);
    // Per judgement the sets disagree on: each grade, the sets that give it, and the verdict
    // with them.
    let judgements: Vec<&String> = sets
        .first()
        .map(|first| {
            let mut all: Vec<&String> = sets.iter().flat_map(|s| s.grades.keys()).collect();
            all.sort();
            all.dedup();
            all.into_iter()
                .filter(|j| {
                    sets.iter()
                        .any(|s| s.grades.get(*j) != first.grades.get(*j))
                })
                .collect()
        })
        .unwrap_or_default();
    for judgement in judgements {
        let mut values: Vec<i64> = sets
            .iter()
            .filter_map(|s| s.grades.get(judgement).copied())
            .collect();
        values.sort_unstable();
        values.dedup();
        for value in values {
            let names: Vec<String> = sets
                .iter()
                .filter(|s| s.grades.get(judgement) == Some(&value))
                .flat_map(|s| s.names.iter().cloned())
                .collect();
            result.alternatives.push(Alternative {
                judgement: judgement.clone(),
                value,
                label: describe_values(rules, judgement, &[value]),
                source: names.join("; "),
                verdict: verdicts(&|set: &GradeSet| set.grades.get(judgement) == Some(&value)),
            });
        }
    }
    // Findings every set gives are stated once; the others say which source's grades they
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
    for (set, scratch) in &checked {
        for finding in &scratch.findings {
            let mut finding = finding.clone();
            if !every(&finding) {
                finding.message = format!(
                    "with the grades of {}: {}",
                    set.names.join("; "),
                    finding.message
                );
            }
            if !findings.iter().any(|f| same(f, &finding)) {
                findings.push(finding);
            }
        }
    }
    result.findings.extend(findings);
    // Values possible with some set; implied where every set narrows.
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
                result
                    .implied_labels
                    .insert(judgement.clone(), describe_values(rules, judgement, values));
                result.implied.insert(judgement.clone(), values.clone());
            }
        }
    }
    if let Some((_, first)) = checked.first() {
        result.tested_by.clone_from(&first.tested_by);
        result.would_test.clone_from(&first.would_test);
    }
    true
}
