//! The page's view of a check: [`view_of`] turns a [`Report`] and the [`RuleBook`] it was
//! checked against into a [`ReportView`], looking up titles, the scales' labels, the
//! documents of the registry and each rule's coverage. It decides nothing: every verdict,
//! finding and count shown is the check's own.

use std::collections::{BTreeSet, HashMap};

use ratings_check::{AssessmentResult, ConstraintCoverage, Finding, Report};
use ratings_core::{Judgement, Problem, RuleBook, RuleSet, Scale, Strength};

use crate::escape::linkable;
use crate::view::{
    AlternativeView, AssessmentView, CiteView, EdgeView, FindingView, FrameworkView, GradeSet,
    GraphView, JudgementView, NodeView, ProblemView, PublishedView, ReportView, RuleView, Summary,
    WouldTestView,
};

/// What the page says about itself, besides the check.
#[derive(Debug, Clone, Default)]
pub struct About {
    /// The page title, e.g. `ratings audit of corpus/`.
    pub title: String,
    /// What produced it, e.g. `ratings 0.1.0, shipped rules` (no timestamp, so the same
    /// inputs give the same page).
    pub generated: String,
    /// The rules' name, e.g. `shipped rules` or `rules/`.
    pub rules_name: String,
    /// The last year of the grid (the current year, for "2005 to today"); `None` ends it at
    /// the latest assessment.
    pub through_year: Option<i64>,
}

/// The view of a check: every assessment of `report` with a unique id, every rule of `book`
/// with its coverage over the report, and every rule set with its judgement graph.
pub fn view_of(book: &RuleBook, report: &Report, about: About) -> ReportView {
    let rule_ids = RuleIds::new(book);
    let judgements = Judgements::new(book);
    let ids = assessment_ids(&report.results);
    let assessments = report
        .results
        .iter()
        .zip(&ids)
        .map(|(result, id)| assessment_view(book, &rule_ids, &judgements, result, id))
        .collect();
    let mut id_of: HashMap<(&str, String), &str> = HashMap::new();
    for (result, id) in report.results.iter().zip(&ids) {
        id_of
            .entry((result.subject.name.as_str(), result.period()))
            .or_insert(id);
    }
    let coverage = ratings_check::coverage(book, report);
    ReportView {
        title: about.title,
        generated: about.generated,
        rules_name: about.rules_name,
        through_year: about.through_year,
        summary: summary_view(&report.summary),
        frameworks: book
            .rule_sets()
            .iter()
            .map(|rule_set| framework_view(rule_set, &rule_ids))
            .collect(),
        assessments,
        rules: rule_views(book, &rule_ids, &coverage, &id_of),
        problems: report.problems.iter().map(problem_view).collect(),
    }
}

/// The summary, field for field.
fn summary_view(summary: &ratings_check::Summary) -> Summary {
    Summary {
        files: summary.files,
        unreadable_files: summary.unreadable_files,
        skipped_files: summary.skipped_files,
        ignored_columns: summary.ignored_columns,
        records: summary.records,
        checked: summary.checked,
        rejected: summary.rejected,
        not_graded: summary.not_graded,
        assessments: summary.assessments,
        consistent: summary.consistent,
        inconsistent: summary.inconsistent,
        unverifiable: summary.unverifiable,
        undecided: summary.undecided,
        disputed: summary.disputed,
        conflicts: summary.conflicts,
        consistent_independent: summary.consistent_independent,
        consistent_circular: summary.consistent_circular,
        consistent_unregistered: summary.consistent_unregistered,
        with_errors: summary.with_errors,
    }
}

/// The page's id of each rule. A constraint is one rule where it is declared, whichever rule
/// sets inherit it; its id is the constraint's id, or `id@rule-set` where two rule sets
/// declare constraints of the same id (which may happen when they are never in force
/// together).
struct RuleIds {
    /// (rule set, constraint id) to the page's rule id, for every rule set carrying it.
    by_rule_set: HashMap<(String, String), String>,
}

impl RuleIds {
    fn new(book: &RuleBook) -> RuleIds {
        let mut declared_in: HashMap<&str, BTreeSet<&str>> = HashMap::new();
        for rule_set in book.rule_sets() {
            for constraint in &rule_set.constraints {
                declared_in
                    .entry(&constraint.id)
                    .or_default()
                    .insert(&constraint.declared_in);
            }
        }
        let mut by_rule_set = HashMap::new();
        for rule_set in book.rule_sets() {
            for constraint in &rule_set.constraints {
                let shared = declared_in
                    .get(constraint.id.as_str())
                    .map_or(0, BTreeSet::len)
                    > 1;
                let id = if shared {
                    format!("{}@{}", constraint.id, constraint.declared_in)
                } else {
                    constraint.id.clone()
                };
                by_rule_set.insert((rule_set.id.clone(), constraint.id.clone()), id);
            }
        }
        RuleIds { by_rule_set }
    }

    /// The page's id of a constraint of a rule set.
    fn of(&self, rule_set: &str, constraint: &str) -> Option<&str> {
        self.by_rule_set
            .get(&(rule_set.to_owned(), constraint.to_owned()))
            .map(String::as_str)
    }

    /// The page's id of a constraint in force for an assessment (under the first of its rule
    /// sets that carries it), or the constraint's id as it is.
    fn in_force(&self, rule_sets: &[String], constraint: &str) -> String {
        rule_sets
            .iter()
            .find_map(|rule_set| self.of(rule_set, constraint))
            .unwrap_or(constraint)
            .to_owned()
    }
}

/// Judgements and their scales, by rule set.
struct Judgements<'b> {
    by_rule_set: HashMap<(&'b str, &'b str), (&'b Judgement, Option<&'b Scale>)>,
}

impl<'b> Judgements<'b> {
    fn new(book: &'b RuleBook) -> Judgements<'b> {
        let mut by_rule_set = HashMap::new();
        for rule_set in book.rule_sets() {
            for judgement in &rule_set.judgements {
                by_rule_set.insert(
                    (rule_set.id.as_str(), judgement.id.as_str()),
                    (judgement, book.scales().get(&judgement.scale)),
                );
            }
        }
        Judgements { by_rule_set }
    }

    /// A judgement as declared by the first of these rule sets that declares it.
    fn find(
        &self,
        rule_sets: &[String],
        judgement: &str,
    ) -> Option<(&'b Judgement, Option<&'b Scale>)> {
        rule_sets.iter().find_map(|rule_set| {
            self.by_rule_set
                .get(&(rule_set.as_str(), judgement))
                .copied()
        })
    }

    /// `good (3)`, or the number alone for a judgement or number the rules do not know.
    fn label(&self, rule_sets: &[String], judgement: &str, number: i64) -> String {
        match self.find(rule_sets, judgement) {
            Some((_, Some(scale))) => scale.describe(number),
            _ => number.to_string(),
        }
    }
}

/// `leicester-2008`, `leeds-2024-05-01`: the authority's name and the period; where two
/// assessments would share one, the LA code is added, then a counter.
fn assessment_ids(results: &[AssessmentResult]) -> Vec<String> {
    let base: Vec<String> = results
        .iter()
        .map(|result| match result.subject.kind {
            ratings_check::SubjectKind::Provider => {
                format!("{}-{}", slug(&result.subject.id), result.period())
            }
            _ => format!("{}-{}", slug(&result.name()), result.period()),
        })
        .collect();
    let mut uses: HashMap<&str, usize> = HashMap::new();
    for id in &base {
        *uses.entry(id).or_default() += 1;
    }
    let mut taken = BTreeSet::new();
    let mut ids = Vec::with_capacity(results.len());
    for (result, id) in results.iter().zip(&base) {
        let mut id =
            if uses.get(id.as_str()).copied().unwrap_or(0) > 1 && !result.subject.id.is_empty() {
                format!(
                    "{}-{}-{}",
                    slug(&result.name()),
                    slug(&result.subject.id),
                    result.period()
                )
            } else {
                id.clone()
            };
        if taken.contains(&id) {
            let mut counter = 2;
            while taken.contains(&format!("{id}-{counter}")) {
                counter += 1;
            }
            id = format!("{id}-{counter}");
        }
        taken.insert(id.clone());
        ids.push(id);
    }
    ids
}

/// Lowercase ASCII letters and digits, other runs of characters as one `-`; common accented
/// letters lose their accents.
fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        let plain = match character {
            'à'..='å' | 'À'..='Å' => 'a',
            'ç' | 'Ç' => 'c',
            'è'..='ë' | 'È'..='Ë' => 'e',
            'ì'..='ï' | 'Ì'..='Ï' => 'i',
            'ñ' | 'Ñ' => 'n',
            'ò'..='ö' | 'Ò'..='Ö' => 'o',
            'ù'..='ü' | 'Ù'..='Ü' => 'u',
            'ý' | 'ÿ' | 'Ý' => 'y',
            other => other,
        };
        if plain.is_ascii_alphanumeric() {
            out.push(plain.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("authority");
    }
    out
}

fn assessment_view(
    book: &RuleBook,
    rule_ids: &RuleIds,
    judgements: &Judgements<'_>,
    result: &AssessmentResult,
    id: &str,
) -> AssessmentView {
    let rule_sets = &result.rule_sets;
    let mut published = Vec::new();
    for (judgement, sources) in &result.published {
        let title = judgements
            .find(rule_sets, judgement)
            .map(|(declared, _)| declared.title.clone())
            .unwrap_or_default();
        for source in sources {
            let document = book.document(&source.document);
            let document_title = document.map_or_else(
                || source.document.to_string(),
                |document| match &document.date {
                    Some(date) => format!("{} ({}, {date})", document.title, document.publisher),
                    None => format!("{} ({})", document.title, document.publisher),
                },
            );
            // A locator that is an address (a report's own page) is the most precise link.
            let url = if linkable(&source.locator) {
                Some(source.locator.to_string())
            } else {
                document.and_then(|document| document.url.clone())
            };
            published.push(PublishedView {
                judgement: judgement.clone(),
                judgement_title: title.clone(),
                value: source.value,
                label: source.label.to_string(),
                document_title,
                locator: source.locator.to_string(),
                url,
                file: source.file.to_string(),
                line: source.line,
            });
        }
    }
    let grade_sets = |values: &std::collections::BTreeMap<String, Vec<i64>>| -> Vec<GradeSet> {
        values
            .iter()
            .map(|(judgement, numbers)| GradeSet {
                judgement: judgement.clone(),
                labels: numbers
                    .iter()
                    .map(|&number| judgements.label(rule_sets, judgement, number))
                    .collect(),
            })
            .collect()
    };
    AssessmentView {
        id: id.to_owned(),
        authority: result.name(),
        la_code: result.subject.id.clone(),
        kind: result.subject.kind.as_str().to_owned(),
        inspection: result.labels.inspection.clone(),
        attributes: result.labels.attributes.clone(),
        basis: result.basis.map(|b| b.as_str().to_owned()),
        year: i64::from(result.year),
        date: result.date.clone(),
        frameworks: rule_sets.clone(),
        verdict: result.verdict.as_str().to_owned(),
        support: result.support.as_str().to_owned(),
        headline: headline(result),
        published,
        findings: result
            .findings
            .iter()
            .map(|finding| finding_view(rule_ids, judgements, rule_sets, finding))
            .collect(),
        allowed: grade_sets(&result.allowed),
        implied: grade_sets(&result.implied),
        would_test: result
            .would_test
            .iter()
            .map(|would_test| WouldTestView {
                judgement: would_test.judgement.clone(),
                rules: would_test
                    .rules
                    .iter()
                    .map(|rule| rule_ids.in_force(rule_sets, rule))
                    .collect(),
            })
            .collect(),
        alternatives: alternatives(result),
    }
}

/// Where sources disagree on a judgement, each grade given with its source and the verdict
/// the check gave with it.
fn alternatives(result: &AssessmentResult) -> Vec<AlternativeView> {
    result
        .alternatives
        .iter()
        .map(|alternative| AlternativeView {
            judgement: alternative.judgement.clone(),
            value_label: alternative.label.clone(),
            source: alternative.source.clone(),
            verdict: Some(alternative.verdict.as_str().to_owned()),
        })
        .collect()
}

fn finding_view(
    rule_ids: &RuleIds,
    judgements: &Judgements<'_>,
    rule_sets: &[String],
    finding: &Finding,
) -> FindingView {
    let rule = finding
        .rule
        .as_deref()
        .or_else(|| finding.because.first().map(|reason| reason.rule.as_str()))
        .map(|rule| rule_ids.in_force(rule_sets, rule));
    let mut evidence: Vec<String> = Vec::new();
    let grades = finding.evidence.iter().chain(
        finding
            .because
            .iter()
            .flat_map(|reason| reason.because.iter()),
    );
    for (judgement, &number) in grades {
        let shown = format!(
            "{judgement} = {}",
            judgements.label(rule_sets, judgement, number)
        );
        if !evidence.contains(&shown) {
            evidence.push(shown);
        }
    }
    FindingView {
        code: finding.code.to_string(),
        severity: finding.severity.as_str().to_owned(),
        message: finding.message.clone(),
        rule,
        evidence,
        support: finding.support.map(|support| support.as_str().to_owned()),
    }
}

/// A short grade for the grid: the main published judgement (overall, if published) and its
/// grade, such as `APA: good` or `ILACS: req. improvement`; both grades where sources
/// disagree.
fn headline(result: &AssessmentResult) -> Option<String> {
    const MAIN: [&str; 4] = [
        "overall_effectiveness",
        "overall",
        "children_and_young_people",
        "star_category",
    ];
    let main = MAIN
        .iter()
        .find_map(|name| {
            result
                .published
                .keys()
                .find(|judgement| judgement.rsplit('.').next() == Some(*name))
        })
        .or_else(|| result.published.keys().next())?;
    let mut grades: Vec<String> = Vec::new();
    for source in result.published.get(main).into_iter().flatten() {
        let grade = short_grade(&source.label);
        if !grades.contains(&grade) {
            grades.push(grade);
        }
    }
    let framework = main.split('.').next().unwrap_or(main);
    let framework = if framework.len() <= 5 {
        framework.to_uppercase()
    } else {
        framework.to_owned()
    };
    Some(format!("{framework}: {}", grades.join(" / ")))
}

/// `good (3)` as `good`; the long labels shortened.
fn short_grade(label: &str) -> String {
    let label = match label.rsplit_once(" (") {
        Some((words, number)) if number.ends_with(')') => words,
        _ => label,
    };
    let label = label.strip_prefix("performs ").unwrap_or(label);
    if label == "requires improvement to be good" {
        return "req. improvement".to_owned();
    }
    label.to_owned()
}

/// Every rule where it is declared, in the rule book's order, with its coverage summed over
/// the rule sets that carry it.
fn rule_views(
    book: &RuleBook,
    rule_ids: &RuleIds,
    coverage: &[ConstraintCoverage],
    id_of: &HashMap<(&str, String), &str>,
) -> Vec<RuleView> {
    let mut views: Vec<RuleView> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for rule_set in book.rule_sets() {
        for constraint in &rule_set.constraints {
            let Some(id) = rule_ids.of(&rule_set.id, &constraint.id) else {
                continue;
            };
            if constraint.declared_in != rule_set.id || index.contains_key(id) {
                continue;
            }
            let period = book
                .rule_set(&constraint.declared_in)
                .map(|declared| declared.span.to_string())
                .unwrap_or_default();
            index.insert(id.to_owned(), views.len());
            views.push(RuleView {
                id: id.to_owned(),
                rule_set: constraint.declared_in.clone(),
                period,
                text: constraint.text.clone(),
                strength: constraint.strength.as_str().to_owned(),
                basis: constraint.basis.as_str().to_owned(),
                cites: constraint
                    .cite
                    .iter()
                    .map(|citation| {
                        let document = book.document(&citation.document);
                        CiteView {
                            title: document
                                .map_or_else(|| citation.document.clone(), |d| d.title.clone()),
                            publisher: document.map(|d| d.publisher.clone()).unwrap_or_default(),
                            date: document.and_then(|d| d.date.clone()).unwrap_or_default(),
                            url: document.and_then(|d| d.url.clone()),
                            locator: citation.locator.clone(),
                        }
                    })
                    .collect(),
                ..RuleView::default()
            });
        }
    }
    // INVARIANT: the rule sets that carry one constraint are never in force together (ids are
    // unique among the constraints in force together), so no assessment is counted twice.
    for row in coverage {
        let Some(&at) = rule_ids
            .of(&row.rule_set, &row.constraint)
            .and_then(|id| index.get(id))
        else {
            continue;
        };
        let view = &mut views[at];
        view.tested += row.tested;
        view.independent_supports += row.independent_supports;
        view.circular_supports += row.circular_supports;
        view.contradicts += row.violated;
        for (authority, period, _) in &row.contradicting {
            let id = id_of
                .get(&(authority.as_str(), period.clone()))
                .map_or_else(|| format!("{authority} {period}"), |id| (*id).to_owned());
            if !view.counter_examples.contains(&id) {
                view.counter_examples.push(id);
            }
        }
    }
    views
}

/// A rule set, its judgements and its judgement graph.
fn framework_view(rule_set: &RuleSet, rule_ids: &RuleIds) -> FrameworkView {
    FrameworkView {
        id: rule_set.id.clone(),
        title: rule_set.title.clone(),
        period: rule_set.span.to_string(),
        rules_in_force: Some(rule_set.constraints.len()),
        judgements: rule_set
            .judgements
            .iter()
            .map(|judgement| JudgementView {
                id: judgement.id.clone(),
                title: judgement.title.clone(),
                latent: judgement.latent,
            })
            .collect(),
        graph: GraphView {
            nodes: rule_set
                .judgements
                .iter()
                .map(|judgement| NodeView {
                    id: judgement.id.clone(),
                    label: judgement.id.clone(),
                    latent: judgement.latent,
                })
                .collect(),
            edges: ratings_core::edges(&rule_set.constraints)
                .into_iter()
                .map(|edge| EdgeView {
                    rule: rule_ids
                        .of(&rule_set.id, &edge.constraint)
                        .unwrap_or(&edge.constraint)
                        .to_owned(),
                    from: edge.from,
                    to: edge.to,
                    usually: edge.strength == Strength::Usually,
                })
                .collect(),
        },
    }
}

fn problem_view(problem: &Problem) -> ProblemView {
    ProblemView {
        code: problem.code.to_string(),
        severity: problem.severity.as_str().to_owned(),
        message: problem.message.clone(),
        file: problem.file.clone(),
        line: problem.line.map(|l| l as usize),
        column: problem.column.map(|c| c as usize),
    }
}

#[cfg(test)]
mod tests {
    use super::{short_grade, slug};

    #[test]
    fn slugs_and_short_grades() {
        assert_eq!(slug("Bristol, City of"), "bristol-city-of");
        assert_eq!(slug("St. Helens"), "st-helens");
        assert_eq!(slug("Côte"), "cote");
        assert_eq!(slug("!!"), "authority");
        assert_eq!(short_grade("good (3)"), "good");
        assert_eq!(short_grade("performs well (3)"), "well");
        assert_eq!(
            short_grade("requires improvement to be good (2)"),
            "req. improvement"
        );
        assert_eq!(short_grade("odd (label"), "odd (label");
    }
}
