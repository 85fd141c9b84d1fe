//! Every reference resolved in every period its rule set is in force: judgements must be in
//! force on every day the rule set is, values must be on the judgements' scales, citations
//! must name documents of the registry. Then, per period, no judgement or constraint may be
//! declared twice and the judgement graph must have no cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use chrono::NaiveDate;
use toml::Spanned;

use crate::code::Code;
use crate::diagnostic::{did_you_mean, shown, Problem, SourceText};
use crate::graph::find_cycles;
use crate::model::{
    Citation, Condition, Constraint, ConstraintKind, Document, Level, Location, RuleSet, Scale,
    Span,
};
use crate::toml_table::Written;

use super::inherit::{Inherited, Shaped};
use super::list_spans;
use super::raw::{Broken, RawCondition, RawKind};

/// The most judgements the rules of one period may have: the search goes one level deep per
/// judgement, and copies the domains of all of them at each level.
pub const MAX_JUDGEMENTS: usize = 1_000;

/// The most constraints the rules of one period may have.
pub const MAX_CONSTRAINTS: usize = 20_000;

/// The spans over which the rule sets in force for one subject do not change, each with the
/// indices of the rule sets in force; the subjects one after the other. Rule sets that judge
/// different subjects are never in force together.
fn epochs(rule_sets: &[Inherited<'_>]) -> Vec<(Span, Vec<usize>)> {
    let mut subjects: Vec<&str> = rule_sets.iter().map(|r| r.subject.as_str()).collect();
    subjects.sort_unstable();
    subjects.dedup();
    let mut out = Vec::new();
    for subject in subjects {
        let mut boundaries: Vec<NaiveDate> = Vec::new();
        for rule_set in rule_sets.iter().filter(|r| r.subject == subject) {
            boundaries.push(rule_set.span.start);
            if let Some(after) = rule_set.span.end.and_then(|end| end.succ_opt()) {
                boundaries.push(after);
            }
        }
        boundaries.sort_unstable();
        boundaries.dedup();
        for (index, &start) in boundaries.iter().enumerate() {
            let end = boundaries.get(index + 1).and_then(|next| next.pred_opt());
            let in_force: Vec<usize> = (0..rule_sets.len())
                .filter(|&i| rule_sets[i].subject == subject && rule_sets[i].span.contains(start))
                .collect();
            if !in_force.is_empty() {
                out.push((Span { start, end }, in_force));
            }
        }
    }
    out
}

/// Judgement ids in force in each epoch of each subject, with their scale ids.
struct InForce {
    epochs: Vec<(String, Span, BTreeMap<String, String>)>,
    /// Every judgement declared anywhere, with the spans it is in force.
    everywhere: BTreeMap<String, Vec<Span>>,
}

impl InForce {
    fn new(rule_sets: &[Inherited<'_>]) -> InForce {
        let mut everywhere: BTreeMap<String, Vec<Span>> = BTreeMap::new();
        let epochs = epochs(rule_sets)
            .into_iter()
            .map(|(span, indices)| {
                let subject = indices
                    .first()
                    .map_or_else(String::new, |&i| rule_sets[i].subject.clone());
                let mut table = BTreeMap::new();
                for index in indices {
                    for judgement in &rule_sets[index].judgements {
                        table
                            .entry(judgement.id.clone())
                            .or_insert_with(|| judgement.scale.clone());
                    }
                }
                for id in table.keys() {
                    everywhere.entry(id.clone()).or_default().push(span);
                }
                (subject, span, table)
            })
            .collect();
        InForce { epochs, everywhere }
    }

    /// The epochs of a rule set's subject inside its span.
    fn within<'s>(
        &'s self,
        subject: &'s str,
        span: Span,
    ) -> impl Iterator<Item = (Span, &'s BTreeMap<String, String>)> + 's {
        self.epochs
            .iter()
            .filter(move |(of, epoch, _)| of == subject && span.contains(epoch.start))
            .map(|(_, epoch, table)| (*epoch, table))
    }
}

/// Resolve every constraint of every rule set, giving the rule sets of the rule book. A
/// constraint with a problem is left out (the book is not returned when there are problems).
pub(super) fn rule_sets(
    inherited: &[Inherited<'_>],
    scales: &BTreeMap<String, Scale>,
    documents: &BTreeMap<String, Document>,
    broken: &Broken,
    problems: &mut Vec<Problem>,
) -> Vec<RuleSet> {
    let in_force = InForce::new(inherited);
    inherited
        .iter()
        .map(|rule_set| {
            let context = Context {
                rule_set,
                in_force: &in_force,
                scales,
                broken,
            };
            let constraints = rule_set
                .constraints
                .iter()
                .filter_map(|shaped| context.constraint(shaped, documents, problems))
                .collect();
            RuleSet {
                id: rule_set.id.clone(),
                title: rule_set.title.clone(),
                span: rule_set.span,
                subject: rule_set.subject.clone(),
                extends: rule_set.extends.as_ref().map(|e| e.get_ref().clone()),
                file: rule_set.source.name.clone(),
                judgements: rule_set.judgements.clone(),
                constraints,
            }
        })
        .collect()
}

struct Context<'c, 'a> {
    rule_set: &'c Inherited<'a>,
    in_force: &'c InForce,
    scales: &'c BTreeMap<String, Scale>,
    broken: &'c Broken,
}

impl Context<'_, '_> {
    fn constraint(
        &self,
        shaped: &Shaped<'_>,
        documents: &BTreeMap<String, Document>,
        problems: &mut Vec<Problem>,
    ) -> Option<Constraint> {
        let raw = shaped.raw;
        let before = problems.len();
        let target = self.scale_of(shaped, &raw.target, problems);
        if let Some(other) = &raw.other {
            self.scale_of(shaped, other, problems);
        }
        let kind = match (raw.kind.get_ref(), &raw.value, target) {
            (RawKind::Cap, Some(value), Some(scale)) => self
                .level(shaped, value, scale, &raw.target, problems)
                .map(|at_most| ConstraintKind::Cap { at_most }),
            (RawKind::Floor, Some(value), Some(scale)) => self
                .level(shaped, value, scale, &raw.target, problems)
                .map(|at_least| ConstraintKind::Floor { at_least }),
            (RawKind::Limit, _, _) => raw.other.as_ref().map(|other| ConstraintKind::Limit {
                other: other.get_ref().clone(),
                offset: raw.offset,
            }),
            (RawKind::Equal, _, _) => raw.other.as_ref().map(|other| ConstraintKind::Equal {
                other: other.get_ref().clone(),
                offset: raw.offset,
            }),
            _ => None,
        };
        let when = raw
            .when
            .as_ref()
            .and_then(|when| self.condition(shaped, when, problems));
        let mut cite = Vec::new();
        for citation in &raw.cite {
            let id = citation.document.get_ref();
            if !documents.contains_key(id) {
                if !self.broken.documents.contains(id) {
                    let mut problem = Problem::at(
                        Code::UnknownDocument,
                        shaped.source,
                        citation.document.span(),
                        format!("`{}` is not a document of the registry", shown(id)),
                    );
                    problem = problem.with_help(
                        did_you_mean(id, documents.keys().map(String::as_str)).unwrap_or_else(|| {
                            "declare it with `[[document]]` (id, title, publisher, date, url) in a file of the rule directory".to_owned()
                        }),
                    );
                    problems.push(problem);
                }
                continue;
            }
            cite.push(Citation {
                document: id.clone(),
                locator: citation.locator.clone(),
            });
        }
        if problems.len() > before || raw.when.is_some() && when.is_none() {
            return None;
        }
        let (line, column) = shaped.source.line_column(raw.id.span().start);
        Some(Constraint {
            id: raw.id.get_ref().clone(),
            text: raw.text.clone(),
            strength: raw.strength,
            basis: raw.basis,
            cite,
            target: raw.target.get_ref().clone(),
            kind: kind?,
            when,
            declared_in: shaped.declared_in.to_owned(),
            location: Location {
                file: shaped.source.name.clone(),
                line,
                column,
            },
        })
    }

    /// The scale of a judgement a constraint reads, which must be in force on every day the
    /// rule set is; a problem otherwise.
    fn scale_of(
        &self,
        shaped: &Shaped<'_>,
        name: &Spanned<String>,
        problems: &mut Vec<Problem>,
    ) -> Option<&Scale> {
        let id = name.get_ref();
        if self.rule_set.suppressed.contains(id) || self.broken.judgements.contains(id) {
            return None;
        }
        let epochs: Vec<(Span, &BTreeMap<String, String>)> = self
            .in_force
            .within(&self.rule_set.subject, self.rule_set.span)
            .collect();
        let missing: Vec<Span> = epochs
            .iter()
            .filter(|(_, table)| !table.contains_key(id))
            .map(|(span, _)| *span)
            .collect();
        let own = shaped.declared_in == self.rule_set.id;
        if !missing.is_empty() {
            let elsewhere = self.in_force.everywhere.get(id);
            let (span, source) = if own {
                (name.span(), shaped.source)
            } else {
                (
                    self.rule_set
                        .extends
                        .as_ref()
                        .map_or(self.rule_set.id_span.clone(), Spanned::span),
                    self.rule_set.source,
                )
            };
            let message = match (own, elsewhere) {
                (true, None) => format!("unknown judgement `{}`", shown(id)),
                (true, Some(_)) => format!(
                    "judgement `{id}` is not declared for {}, which rule set `{}` covers",
                    list_spans(&missing),
                    self.rule_set.id
                ),
                (false, _) => format!(
                    "inherited constraint `{}` reads `{}`, which no rule set declares for {}",
                    shaped.raw.id.get_ref(),
                    shown(id),
                    list_spans(&missing)
                ),
            };
            let mut problem = Problem::at(Code::UnknownJudgement, source, span, message);
            let help = match elsewhere {
                Some(spans) => Some(format!("`{id}` is judged in {}", list_spans(spans))),
                None => did_you_mean(id, self.in_force.everywhere.keys().map(String::as_str)),
            };
            if let Some(help) = help {
                problem = problem.with_help(help);
            }
            problems.push(problem);
            return None;
        }
        let mut scale_ids: Vec<&String> = epochs
            .iter()
            .filter_map(|(_, table)| table.get(id))
            .collect();
        scale_ids.dedup();
        if scale_ids.len() > 1 {
            problems.push(Problem::at(
                Code::InvalidValue,
                shaped.source,
                name.span(),
                format!(
                    "judgement `{id}` is on different scales ({}) during rule set `{}`, so its values cannot be compared",
                    scale_ids.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", "),
                    self.rule_set.id
                ),
            ));
            return None;
        }
        self.scales.get(*scale_ids.first()?)
    }

    /// A written value resolved on a judgement's scale.
    fn level(
        &self,
        shaped: &Shaped<'_>,
        value: &Spanned<Written>,
        scale: &Scale,
        judgement: &Spanned<String>,
        problems: &mut Vec<Problem>,
    ) -> Option<Level> {
        let found = match value.get_ref() {
            Written::Number(number) => scale.level_of_number(*number),
            Written::Label(label) => scale.find_rank(label).map(|rank| scale.level(rank)),
        };
        if found.is_none() {
            let shown_value = match value.get_ref() {
                Written::Number(number) => number.to_string(),
                Written::Label(label) => label.clone(),
            };
            let names = scale.values.iter().flat_map(|v| {
                std::iter::once(v.label.as_str()).chain(v.aliases.iter().map(String::as_str))
            });
            let help = did_you_mean(&shown_value, names)
                .unwrap_or_else(|| format!("scale `{}` is {}", scale.id, scale.listing()));
            problems.push(
                Problem::at(
                    Code::ValueOffScale,
                    shaped.source,
                    value.span(),
                    format!(
                        "`{}` is not on scale `{}` of judgement `{}`",
                        shown(&shown_value),
                        scale.id,
                        judgement.get_ref()
                    ),
                )
                .with_help(help),
            );
        }
        found
    }

    fn condition(
        &self,
        shaped: &Shaped<'_>,
        raw: &RawCondition,
        problems: &mut Vec<Problem>,
    ) -> Option<Condition> {
        match raw {
            RawCondition::Judgement {
                judgement,
                test,
                value,
            } => {
                let scale = self.scale_of(shaped, judgement, problems)?;
                let level = self.level(shaped, value, scale, judgement, problems)?;
                Some(Condition::Judgement {
                    judgement: judgement.get_ref().clone(),
                    test: *test,
                    value: level,
                })
            }
            RawCondition::All(parts) | RawCondition::Any(parts) => {
                let resolved: Vec<Option<Condition>> = parts
                    .iter()
                    .map(|p| self.condition(shaped, p, problems))
                    .collect();
                let resolved: Vec<Condition> = resolved.into_iter().collect::<Option<_>>()?;
                Some(match raw {
                    RawCondition::All(_) => Condition::All(resolved),
                    _ => Condition::Any(resolved),
                })
            }
            RawCondition::Count { of, at_most, n } => {
                let count = *n.get_ref();
                if count < 1 || count as usize > of.len() {
                    problems.push(Problem::at(
                        Code::InvalidCondition,
                        shaped.source,
                        n.span(),
                        format!(
                            "`n = {count}` must be between 1 and the {} judgements listed in `of`",
                            of.len()
                        ),
                    ));
                    return None;
                }
                let mut names: Vec<String> = Vec::new();
                let mut levels: Vec<Level> = Vec::new();
                for judgement in of {
                    if names.contains(judgement.get_ref()) {
                        problems.push(Problem::at(
                            Code::DuplicateId,
                            shaped.source,
                            judgement.span(),
                            format!("`{}` is listed twice in `of`", judgement.get_ref()),
                        ));
                        return None;
                    }
                    let scale = self.scale_of(shaped, judgement, problems)?;
                    levels.push(self.level(shaped, at_most, scale, judgement, problems)?);
                    names.push(judgement.get_ref().clone());
                }
                Some(Condition::Count {
                    of: names,
                    at_most: levels,
                    n: count as usize,
                })
            }
        }
    }
}

/// Per period: no judgement or constraint declared by two rule sets in force together, and
/// no cycle in the judgement graph.
pub(super) fn check_epochs(
    inherited: &[Inherited<'_>],
    rule_sets: &[RuleSet],
    problems: &mut Vec<Problem>,
) {
    let mut reported: BTreeSet<String> = BTreeSet::new();
    // A judgement belongs to one subject: the same id judging two kinds of subject would
    // make a record's grade mean two things.
    let mut subject_of: BTreeMap<&str, &Inherited<'_>> = BTreeMap::new();
    for rule_set in inherited {
        for judgement in &rule_set.judgements {
            let first = *subject_of.entry(&judgement.id).or_insert(rule_set);
            if first.subject != rule_set.subject
                && reported.insert(format!("s {} {}", judgement.id, rule_set.id))
            {
                let (source, at) = locate(rule_set, rule_set.judgement_spans.get(&judgement.id));
                problems.push(
                    Problem::at(
                        Code::DuplicateId,
                        source,
                        at,
                        format!(
                            "judgement `{}` is declared for {} by `{}` and for {} by `{}`",
                            judgement.id, first.subject, first.id, rule_set.subject, rule_set.id
                        ),
                    )
                    .with_help("a judgement judges one kind of subject: give each its own id"),
                );
            }
        }
    }
    for (span, indices) in epochs(inherited) {
        let mut judgement_owner: BTreeMap<&str, &str> = BTreeMap::new();
        let mut constraint_owner: BTreeMap<&str, &str> = BTreeMap::new();
        for &index in &indices {
            let rule_set = &inherited[index];
            for judgement in &rule_set.judgements {
                if let Some(first) = judgement_owner.insert(&judgement.id, &rule_set.id) {
                    if reported.insert(format!("j {} {first} {}", judgement.id, rule_set.id)) {
                        let (source, at) =
                            locate(rule_set, rule_set.judgement_spans.get(&judgement.id));
                        problems.push(
                            Problem::at(
                                Code::DuplicateId,
                                source,
                                at,
                                format!(
                                    "judgement `{}` is declared by both `{first}` and `{}` for {span}",
                                    judgement.id, rule_set.id
                                ),
                            )
                            .with_help("declare each judgement in one rule set; others may refer to it"),
                        );
                    }
                }
            }
            for shaped in &rule_set.constraints {
                let id = shaped.raw.id.get_ref();
                if let Some(first) = constraint_owner.insert(id, &rule_set.id) {
                    if reported.insert(format!("c {id} {first} {}", rule_set.id)) {
                        let own = (shaped.declared_in == rule_set.id).then(|| shaped.raw.id.span());
                        let (source, at) = locate(rule_set, own.as_ref());
                        problems.push(Problem::at(
                            Code::DuplicateId,
                            source,
                            at,
                            format!(
                                "constraint `{id}` is declared by both `{first}` and `{}` for {span}",
                                rule_set.id
                            ),
                        ));
                    }
                }
            }
        }
        let constraints: Vec<&Constraint> = indices
            .iter()
            .filter_map(|&i| rule_sets.iter().find(|r| r.id == inherited[i].id))
            .flat_map(|r| r.constraints.iter())
            .collect();
        if judgement_owner.len() > MAX_JUDGEMENTS || constraints.len() > MAX_CONSTRAINTS {
            let first = &inherited[indices[0]];
            problems.push(
                Problem::at(
                    Code::RulesTooLarge,
                    first.source,
                    first.id_span.clone(),
                    format!(
                        "the rules in force for {span} have {} judgements and {} constraints, more than the {MAX_JUDGEMENTS} and {MAX_CONSTRAINTS} the engine evaluates",
                        judgement_owner.len(),
                        constraints.len()
                    ),
                )
                .with_help("split the rule sets, or narrow their spans"),
            );
            continue;
        }
        for cycle in find_cycles(&constraints) {
            if !reported.insert(format!("cycle {}", cycle.judgements.join(" "))) {
                continue;
            }
            let Some(first) = constraints.iter().find(|c| c.id == cycle.constraints[0]) else {
                continue;
            };
            let owner = inherited.iter().find(|r| r.id == first.declared_in);
            let (source, at) = match owner.and_then(|r| {
                r.constraints
                    .iter()
                    .find(|c| c.raw.id.get_ref() == &first.id && c.declared_in == r.id)
                    .map(|c| (c.source, c.raw.id.span()))
            }) {
                Some(found) => found,
                None => continue,
            };
            let mut path: Vec<String> = cycle.judgements.iter().map(|j| format!("`{j}`")).collect();
            path.push(path[0].clone());
            problems.push(
                Problem::at(
                    Code::GraphCycle,
                    source,
                    at,
                    format!(
                        "the judgement graph for {span} has a cycle: {}",
                        path.join(" -> ")
                    ),
                )
                .with_help(format!(
                    "constraints on the cycle: {}; a judgement may not depend on itself",
                    cycle
                        .constraints
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
    }
}

/// Where to point a problem about a rule set: the given span, else its `extends` (for
/// inherited items), else its id.
fn locate<'a>(
    rule_set: &Inherited<'a>,
    own: Option<&Range<usize>>,
) -> (&'a SourceText, Range<usize>) {
    let span = own
        .cloned()
        .or_else(|| rule_set.extends.as_ref().map(Spanned::span))
        .unwrap_or_else(|| rule_set.id_span.clone());
    (rule_set.source, span)
}
