//! `coverage`: how often the published record tests each constraint, narrows a grade with it,
//! or breaks it, and whether that evidence is independent of the rule's own sources.

use ratings_core::{Basis, Code, RuleBook, Strength};

use crate::result::{Report, Support, Verdict};

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
