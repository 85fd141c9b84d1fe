//! The rules in force for one period: every rule set in force then, as one graph.

use std::fmt;

use rustc_hash::FxHashMap as HashMap;

use crate::model::{Constraint, Judgement, Period, RuleBook, RuleSet, Scale, Span};

/// All judgements and constraints of the rule sets in force together.
#[derive(Debug, Clone)]
pub struct PeriodRules {
    label: String,
    /// Indices of the rule sets in force in the rule book: two periods with the same key
    /// have the same rules.
    key: Vec<usize>,
    rule_sets: Vec<String>,
    judgements: Vec<InForce>,
    constraints: Vec<Constraint>,
    /// Positions by id (the first, where an id occurs twice), so that finding a judgement or
    /// constraint by name is not a scan of every one.
    judgement_index: HashMap<String, usize>,
    constraint_index: HashMap<String, usize>,
}

/// A judgement in force, with its scale and the rule set that declares it.
#[derive(Debug, Clone)]
pub struct InForce {
    /// The judgement.
    pub judgement: Judgement,
    /// Its scale.
    pub scale: Scale,
    /// The id of the rule set that declares it.
    pub rule_set: String,
}

/// Why no rules are in force for a period.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotInForce {
    /// No rule set is in force then; the span the rules cover, if any.
    Nothing {
        /// The subject asked about.
        subject: String,
        /// The period asked for.
        period: Period,
        /// From the first day any rule set is in force to the last.
        coverage: Option<Span>,
    },
    /// Rule sets are in force for part of the year only: a date is needed.
    PartOfYear {
        /// The subject asked about.
        subject: String,
        /// The year asked for.
        year: i32,
        /// The rule sets in force for part of it, with their spans.
        partly: Vec<(String, Span)>,
    },
}

impl fmt::Display for NotInForce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotInForce::Nothing {
                subject,
                period,
                coverage,
            } => {
                let of = of_subject(subject);
                match coverage {
                    Some(span) => {
                        write!(
                            f,
                            "no rule set{of} covers {period} (the rules cover {span})"
                        )
                    }
                    None => write!(f, "no rule set{of} covers {period} (there are no rules)"),
                }
            }
            NotInForce::PartOfYear {
                subject,
                year,
                partly,
            } => {
                let listed: Vec<String> = partly
                    .iter()
                    .map(|(id, span)| format!("`{id}` ({span})"))
                    .collect();
                write!(
                    f,
                    "the rules{} change during {year}: {} {} in force for part of it only, so a date is needed",
                    of_subject(subject),
                    listed.join(", "),
                    if partly.len() == 1 { "is" } else { "are" }
                )
            }
        }
    }
}

/// ` for children's homes`, or nothing for local authorities.
fn of_subject(subject: &str) -> String {
    if subject == crate::model::LOCAL_AUTHORITIES {
        String::new()
    } else {
        format!(" for {subject}")
    }
}

impl RuleBook {
    /// The rules in force for a subject in a period: on a day, the subject's rule sets
    /// covering it; for a year, those covering all of it.
    ///
    /// A year in which any of the subject's rule sets starts or ends, other than on its first
    /// or last day, is refused with [`NotInForce::PartOfYear`], even where other rule sets cover
    /// all of it: which rules held depends on the day.
    pub fn in_force(&self, subject: &str, period: Period) -> Result<PeriodRules, NotInForce> {
        if let Period::Year(year) = period {
            let partly = self.partly_in_force(subject, year);
            if !partly.is_empty() {
                return Err(NotInForce::PartOfYear {
                    subject: subject.to_owned(),
                    year,
                    partly: partly.into_iter().map(|r| (r.id.clone(), r.span)).collect(),
                });
            }
        }
        let sets = self.rule_sets_for(subject, period);
        if sets.is_empty() {
            return Err(NotInForce::Nothing {
                subject: subject.to_owned(),
                period,
                coverage: self.coverage(subject),
            });
        }
        Ok(PeriodRules::new(
            self,
            label(subject, &common_span(&sets).to_string()),
            &sets,
        ))
    }

    /// The key of the rules in force for a period ([`PeriodRules::key`]), without building
    /// them: empty when nothing is in force. For callers that keep one set of rules per key
    /// and meet many periods (every inspection has its own day).
    pub fn in_force_key(&self, subject: &str, period: Period) -> Vec<usize> {
        if let Period::Year(year) = period {
            if !self.partly_in_force(subject, year).is_empty() {
                return Vec::new();
            }
        }
        self.rule_sets
            .iter()
            .enumerate()
            .filter(|(_, r)| r.subject == subject)
            .filter(|(_, r)| match period {
                Period::Date(day) => r.span.contains(day),
                Period::Year(year) => r.span.covers_year(year),
            })
            .map(|(index, _)| index)
            .collect()
    }

    /// The rules of a subject over each span over which they do not change, labelled by the
    /// span (and the subject, where it is not local authorities).
    pub fn epoch_rules(&self, subject: &str) -> Vec<(Span, PeriodRules)> {
        self.epochs(subject)
            .into_iter()
            .map(|(span, sets)| {
                let label = label(subject, &span.to_string());
                (span, PeriodRules::new(self, label, &sets))
            })
            .collect()
    }
}

/// How the rules of a span are named in messages: the span, after the subject where it is
/// not local authorities (`children's homes, 2017-04-01 to 2023-03-31`).
pub fn label(subject: &str, span: &str) -> String {
    if subject == crate::model::LOCAL_AUTHORITIES {
        span.to_owned()
    } else {
        format!("{subject}, {span}")
    }
}

/// The days all of the rule sets are in force: the span the rules of a period hold over.
fn common_span(sets: &[&RuleSet]) -> Span {
    let start = sets.iter().map(|r| r.span.start).max().unwrap_or_default();
    let end = sets.iter().filter_map(|r| r.span.end).min();
    Span { start, end }
}

impl PeriodRules {
    /// The union of the rule sets, labelled for messages.
    pub(crate) fn new(book: &RuleBook, label: String, sets: &[&RuleSet]) -> PeriodRules {
        let mut judgements: Vec<InForce> = Vec::new();
        let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
        let mut constraints = Vec::new();
        let mut key = Vec::new();
        for rule_set in sets {
            if let Some(index) = book.rule_sets.iter().position(|r| r.id == rule_set.id) {
                key.push(index);
            }
            for judgement in &rule_set.judgements {
                if !seen.insert(&judgement.id) {
                    continue;
                }
                // INVARIANT: the loader rejects judgements whose scale does not exist.
                let Some(scale) = book.scales.get(&judgement.scale) else {
                    continue;
                };
                judgements.push(InForce {
                    judgement: judgement.clone(),
                    scale: scale.clone(),
                    rule_set: rule_set.id.clone(),
                });
            }
            constraints.extend(rule_set.constraints.iter().cloned());
        }
        let mut rules = PeriodRules {
            label,
            key,
            rule_sets: sets.iter().map(|r| r.id.clone()).collect(),
            judgements,
            constraints,
            judgement_index: HashMap::default(),
            constraint_index: HashMap::default(),
        };
        for (index, judgement) in rules.judgements.iter().enumerate() {
            rules
                .judgement_index
                .entry(judgement.judgement.id.clone())
                .or_insert(index);
        }
        for (index, constraint) in rules.constraints.iter().enumerate() {
            rules
                .constraint_index
                .entry(constraint.id.clone())
                .or_insert(index);
        }
        rules
    }

    /// The span over which these rule sets are all in force, for messages: `2007–2008`,
    /// `2023-01-01 to 2026-03-31`.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The rule sets in force (indices into the rule book): equal keys, equal rules.
    pub fn key(&self) -> &[usize] {
        &self.key
    }

    /// Ids of the rule sets in force, in id order.
    pub fn rule_sets(&self) -> &[String] {
        &self.rule_sets
    }

    /// Judgements in rule-set order, then declaration order; a judgement's position here is
    /// its index in the compiled model.
    pub fn judgements(&self) -> &[InForce] {
        &self.judgements
    }

    /// Every constraint in force.
    pub fn constraints(&self) -> &[Constraint] {
        &self.constraints
    }

    /// A judgement in force, by id.
    pub fn judgement(&self, id: &str) -> Option<&InForce> {
        self.judgements.get(self.judgement_index(id)?)
    }

    /// The index of a judgement in force.
    pub fn judgement_index(&self, id: &str) -> Option<usize> {
        self.judgement_index.get(id).copied()
    }

    /// Every judgement id, in order.
    pub fn judgement_ids(&self) -> Vec<&str> {
        self.judgements
            .iter()
            .map(|j| j.judgement.id.as_str())
            .collect()
    }

    /// A constraint in force, by id.
    pub fn constraint(&self, id: &str) -> Option<&Constraint> {
        self.constraints.get(*self.constraint_index.get(id)?)
    }

    /// The rank of a written number on a judgement's scale.
    pub fn rank(&self, judgement: &str, number: i64) -> Option<usize> {
        self.judgement(judgement)?
            .scale
            .values
            .iter()
            .position(|v| v.number == number)
    }

    /// The same rules with one more constraint, for questions about a constraint of another
    /// rule book (`compare`).
    pub(crate) fn with_constraint(&self, constraint: Constraint) -> PeriodRules {
        let mut rules = self.clone();
        rules
            .constraint_index
            .entry(constraint.id.clone())
            .or_insert(rules.constraints.len());
        rules.constraints.push(constraint);
        rules
    }
}
