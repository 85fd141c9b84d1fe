//! Assessments whose whole evaluation is cached, for the formats that can show them without a
//! whole result (the compact line and the CSV rows): the cache is asked with the grades as
//! they are stored, and what the formats show of the answer is worked out once per answer,
//! not once per assessment. Anything out of the ordinary (sources that disagree, a finding of
//! the assessment's documents, an answer that ran out of budget or costs more than the budget)
//! takes the ordinary path.

use std::sync::{Arc, PoisonError};

use ratings_core::{Constraint, Overrides, PeriodRules, RuleBook};

use super::cache::{evaluated_key, Evaluated, Evidence, KeyRef, RefutationCache, SupportOf};
use super::{basis_of, evidence_support, sort_findings, with_overrides};
use crate::contexts::Context;
use crate::output::{digest, Digest};
use crate::result::{Support, Verdict, VerdictBasis};
use crate::store::Grade;

/// What the compact and CSV formats show of a cached evaluation, the same for every
/// assessment that shares it (the auditor's severities are those of the whole run).
#[derive(Clone)]
pub(crate) struct Shown {
    /// The findings, sorted and with the auditor's severities, and the implied grades.
    pub digest: Digest,
    /// The kind of rule the verdict rests on.
    pub basis: Option<VerdictBasis>,
    /// The verdict's evidence: the rules and the judgements whose grades' documents decide
    /// its worth (the last recorded, the one a whole result keeps); none without one.
    verdict_evidence: Option<Evidence>,
}

/// An assessment whose evaluation the cache holds, borrowed from the thread's cache.
pub(crate) struct Hit<'c> {
    entry: &'c Evaluated,
    /// What the formats show of it.
    pub shown: &'c Shown,
    pub verdict: Verdict,
    /// What the verdict rests on, from this assessment's own sources.
    pub support: Support,
}

impl<'c> Hit<'c> {
    /// The implied grades, as words.
    pub fn implied_labels(&self) -> &'c std::collections::BTreeMap<String, String> {
        &self.entry.implied_labels
    }
}

/// What checking an assessment needs besides its grades, for [`cached`].
pub(crate) struct Asked<'e> {
    pub book: &'e RuleBook,
    pub context: &'e Context,
    pub budget: u64,
    pub overrides: &'e Overrides,
}

/// Buffers [`cached`] reuses from one assessment to the next.
#[derive(Default)]
pub(crate) struct Looking {
    /// The grades' positions in the order results list them (by judgement id, then as read).
    pub order: Vec<(u16, u32)>,
    /// The grades as the cache's key holds them.
    key: Vec<(u16, i16)>,
}

/// The cached evaluation of an assessment's grades, if the cache holds one that stands for a
/// whole result: every grade of a judgement agrees and the budget covers the answer's cost.
/// `looking.order` is left holding the grades' positions in the order results list them;
/// `document` gives a grade's document (its index among the checker's documents, and its id).
/// The thread's own map is asked first; the map the threads share, behind its lock, only for an
/// answer this thread has not shown before.
pub(crate) fn cached<'c, 'd>(
    asked: &Asked<'_>,
    grades: &[Grade],
    document: impl Fn(&Grade) -> (u32, &'d str),
    cache: &'c mut RefutationCache,
    looking: &mut Looking,
) -> Option<Hit<'c>> {
    let context = asked.context;
    let rules = &context.rules;
    let Looking { order, key } = looking;
    order.clear();
    order.extend(
        grades
            .iter()
            .zip(0u32..)
            .map(|(grade, at)| (context.id_order(grade.judgement), at)),
    );
    order.sort_unstable();
    key.clear();
    let mut last: Option<&Grade> = None;
    for &(_, at) in order.iter() {
        let grade = &grades[at as usize];
        match last {
            Some(before) if before.judgement == grade.judgement => {
                if before.rank != grade.rank {
                    // Sources that disagree: checked once per grade they give.
                    return None;
                }
            }
            _ => {
                // As `evaluated_key` makes it: a grade beyond its small integers is not cached.
                let number = i16::try_from(context.number(grade.judgement, grade.rank)).ok()?;
                key.push((grade.judgement, number));
            }
        }
        last = Some(grade);
    }
    let wanted = KeyRef(rules.key(), key);
    if !cache.shown.contains_key(&wanted) {
        let owned = evaluated_key(
            rules,
            key.iter().map(|&(j, n)| (usize::from(j), i64::from(n))),
        )?;
        let entry = cache
            .evaluated
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&owned)
            .map(Arc::clone)?;
        let shown = Arc::clone(
            entry
                .shown
                .get_or_init(|| Arc::new(shown(&entry, rules, asked.overrides))),
        );
        cache.keep_shown(owned, (entry, shown));
    }
    let (entry, shown) = cache.shown.get(&wanted)?;
    if entry.error.is_some() || entry.cost > asked.budget {
        return None;
    }
    // As `support` works it out for a whole result: none without rules.
    let constraints: Vec<&Constraint> = shown
        .verdict_evidence
        .as_ref()
        .map(|evidence| evidence.constraints(rules))
        .unwrap_or_default();
    let support = match &shown.verdict_evidence {
        Some(evidence) if !constraints.is_empty() => {
            let mut documents: Vec<(u32, &str)> = Vec::new();
            for grade in grades
                .iter()
                .filter(|grade| evidence.judgements.contains(&u32::from(grade.judgement)))
            {
                let found = document(grade);
                if !documents.iter().any(|(index, _)| *index == found.0) {
                    documents.push(found);
                }
            }
            evidence_support(
                asked.book,
                &constraints,
                documents.iter().map(|(_, id)| *id),
            )
        }
        _ => Support::None,
    };
    Some(Hit {
        verdict: entry.verdict,
        support,
        entry,
        shown,
    })
}

/// What the formats show of a cached evaluation, as the ordinary path would work it out.
fn shown(entry: &Evaluated, rules: &PeriodRules, overrides: &Overrides) -> Shown {
    let mut findings = entry.findings.clone();
    sort_findings(&mut findings);
    with_overrides(overrides, &mut findings);
    // The last computation of the verdict's support is the one a result keeps.
    let verdict_evidence = entry
        .supports
        .iter()
        .rev()
        .find(|(of, _)| matches!(of, SupportOf::Verdict))
        .map(|(_, evidence)| evidence.clone());
    Shown {
        digest: digest(&findings, &entry.implied),
        basis: basis_of(rules, entry.verdict, &entry.tested_rules),
        verdict_evidence,
    }
}
