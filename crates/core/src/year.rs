//! The rules in force in one year: every rule set whose years cover it, as one graph.

use crate::model::{Constraint, Judgement, RuleBook, Scale};

/// All judgements and constraints of the rule sets covering one year.
#[derive(Debug, Clone)]
pub struct YearRules {
    pub year: i64,
    /// Ids of the rule sets in force, in id order.
    pub rule_sets: Vec<String>,
    /// Judgements in rule-set order, then declaration order.
    pub judgements: Vec<YearJudgement>,
    pub constraints: Vec<Constraint>,
}

#[derive(Debug, Clone)]
pub struct YearJudgement {
    pub judgement: Judgement,
    pub scale: Scale,
    pub rule_set: String,
}

impl YearRules {
    /// The rules of `year`, or `None` when no rule set covers it.
    pub fn new(book: &RuleBook, year: i64) -> Option<YearRules> {
        let covering = book.rule_sets_for(year);
        if covering.is_empty() {
            return None;
        }
        let mut judgements: Vec<YearJudgement> = Vec::new();
        let mut constraints = Vec::new();
        for rule_set in &covering {
            for judgement in &rule_set.judgements {
                if judgements.iter().any(|j| j.judgement.id == judgement.id) {
                    continue;
                }
                // INVARIANT: the loader rejects judgements whose scale does not exist.
                let Some(scale) = book.scales.get(&judgement.scale) else {
                    continue;
                };
                judgements.push(YearJudgement {
                    judgement: judgement.clone(),
                    scale: scale.clone(),
                    rule_set: rule_set.id.clone(),
                });
            }
            constraints.extend(rule_set.constraints.iter().cloned());
        }
        Some(YearRules {
            year,
            rule_sets: covering.iter().map(|r| r.id.clone()).collect(),
            judgements,
            constraints,
        })
    }

    pub fn judgement(&self, id: &str) -> Option<&YearJudgement> {
        self.judgements.iter().find(|j| j.judgement.id == id)
    }

    pub fn judgement_ids(&self) -> Vec<&str> {
        self.judgements
            .iter()
            .map(|j| j.judgement.id.as_str())
            .collect()
    }

    pub fn constraint(&self, id: &str) -> Option<&Constraint> {
        self.constraints.iter().find(|c| c.id == id)
    }
}
