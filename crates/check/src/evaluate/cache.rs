//! The answers kept for reuse: refutations by the rules in force and the set of published
//! judgements, and whole evaluations by the rules and the published grades, each charged what
//! it cost when first found, so that no verdict depends on what was asked before.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

use ratings_core::{Assignment, Constraint, Core, EngineError, PeriodRules, RuleBook};
use rustc_hash::{FxBuildHasher, FxHashMap as HashMap};

use super::{cited, reuse, support};
use crate::result::{AssessmentResult, Finding, Verdict, WouldTest};

/// Refutations already found, by the rules in force (their rule-set key) and the set of
/// published judgements (a bit set of their indices; larger sets are not cached), with the
/// steps each cost, so that a cached answer charges the same budget as a fresh one.
#[derive(Default)]
pub(crate) struct RefutationCache {
    /// The refutation, and the core that rejects it (the rules that tested the grades): both
    /// depend only on the key, so they are cached together.
    pub(super) found: HashMap<(Vec<usize>, u64), Tested>,
    /// What would test an unverifiable set of published judgements, with its cost.
    pub(super) would_test: HashMap<(Vec<usize>, u64), (Vec<WouldTest>, u64)>,
    /// Whole evaluations, by the rules in force and the published grades (judgement index and
    /// number): an answer depends on nothing else, so an assessment with the grades of one
    /// already evaluated takes its answer, charged what it cost, and only the evidence's
    /// worth (which depends on the sources) is worked out again. Shared by the threads of a
    /// run (a cached answer is charged what it cost, whichever thread found it).
    pub(super) evaluated: Arc<Mutex<HashMap<EvaluatedKey, Arc<Evaluated>>>>,
    /// The whole evaluations this thread has shown without a whole result, with what the
    /// formats show of each: found here without a lock, a shared count or a key allocated.
    pub(super) shown:
        hashbrown::HashMap<EvaluatedKey, (Arc<Evaluated>, Arc<reuse::Shown>), FxBuildHasher>,
    /// The most answers `shown` keeps (0, unset: as many as the shared map).
    most_shown: usize,
}

/// An [`EvaluatedKey`] borrowed: the rules' key and grades being looked up.
#[derive(Clone, Copy)]
pub(super) struct KeyRef<'k>(pub &'k [usize], pub &'k [(u16, i16)]);

impl std::hash::Hash for KeyRef<'_> {
    /// As the owned key hashes: a box of a slice hashes as the slice.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
        self.1.hash(state);
    }
}

impl hashbrown::Equivalent<EvaluatedKey> for KeyRef<'_> {
    fn equivalent(&self, key: &EvaluatedKey) -> bool {
        *self.0 == *key.0 && *self.1 == *key.1
    }
}

/// The rules in force (their rule-set key) and the published grades (judgement index and
/// printed number).
pub(super) type EvaluatedKey = (Box<[usize]>, Box<[(u16, i16)]>);

/// The key of a whole evaluation: the rules in force and the published grades (judgement
/// index and printed number, in the order of judgement ids); `None` (not cached) for a grade
/// whose judgement or number is beyond the key's small integers.
pub(super) fn evaluated_key(
    rules: &PeriodRules,
    grades: impl Iterator<Item = (usize, i64)>,
) -> Option<EvaluatedKey> {
    let grades: Option<Box<[(u16, i16)]>> = grades
        .map(|(index, value)| Some((u16::try_from(index).ok()?, i16::try_from(value).ok()?)))
        .collect();
    Some((rules.key().into(), grades?))
}

impl RefutationCache {
    /// A cache of its own for one of `threads` threads, sharing this one's whole
    /// evaluations.
    pub(crate) fn sharing(&self, threads: usize) -> RefutationCache {
        RefutationCache {
            evaluated: Arc::clone(&self.evaluated),
            most_shown: (2 * MAX_EVALUATED).div_ceil(threads.max(1)),
            ..RefutationCache::default()
        }
    }

    /// Keep an answer shown in the thread's own map, emptied first when it holds its most
    /// (so that all the threads' maps together hold at most twice as many as the shared one,
    /// whatever the number of threads).
    pub(super) fn keep_shown(
        &mut self,
        key: EvaluatedKey,
        answer: (Arc<Evaluated>, Arc<reuse::Shown>),
    ) {
        let most = if self.most_shown == 0 {
            MAX_EVALUATED
        } else {
            self.most_shown
        };
        if self.shown.len() >= most {
            self.shown.clear();
        }
        self.shown.insert(key, answer);
    }
}

/// The most whole evaluations a cache holds: past this, new ones are not kept (real records
/// repeat a few thousand grade sets per rule set; a run of unique ones should not fill memory).
/// Two in tests, so that the tests meet a full cache and threads' maps that empty.
pub(super) const MAX_EVALUATED: usize = if cfg!(test) { 2 } else { 8_192 };

/// What an evaluation added to a result, as the cache keeps it.
#[derive(Clone)]
pub(super) struct Evaluated {
    pub(super) verdict: Verdict,
    pub(super) allowed: Packed,
    pub(super) implied: BTreeMap<String, Vec<i64>>,
    pub(super) implied_labels: BTreeMap<String, String>,
    pub(super) tested_rules: Vec<String>,
    pub(super) tested_by: Option<Grades>,
    pub(super) would_test: Vec<WouldTest>,
    /// The findings the evaluation added to the result, in the order it added them, each
    /// without its rule's text and citations (see [`without_rule`]).
    pub(super) findings: Vec<Finding>,
    pub(super) supports: Vec<(SupportOf, Evidence)>,
    pub(super) cost: u64,
    pub(super) error: Option<EngineError>,
    /// What the compact and CSV formats show of it, worked out when first asked.
    // INVARIANT: a cache lives for one run, whose auditor's severities (which `Shown` has
    // applied) are the same for every assessment.
    pub(super) shown: OnceLock<Arc<reuse::Shown>>,
}

/// The allowed values of every judgement, as a cached evaluation keeps them: for each
/// judgement (by index) a bit per rank of its scale, a tenth of the map's size; or the map
/// itself, where a value is not on its judgement's scale.
#[derive(Clone)]
pub(super) enum Packed {
    Ranks(Vec<(u16, u64)>),
    Map(BTreeMap<String, Vec<i64>>),
}

impl Packed {
    pub(super) fn new(rules: &PeriodRules, allowed: &BTreeMap<String, Vec<i64>>) -> Packed {
        let ranks: Option<Vec<(u16, u64)>> = allowed
            .iter()
            .map(|(id, values)| {
                let index = rules.judgement_index(id)?;
                let scale = &rules.judgements()[index].scale;
                let mut mask = 0u64;
                let mut last = None;
                for value in values {
                    let rank = scale.values.iter().position(|v| v.number == *value)?;
                    // Only values in rank order, each once, come back as they went in.
                    if rank >= 64 || last.is_some_and(|last| rank <= last) {
                        return None;
                    }
                    last = Some(rank);
                    mask |= 1 << rank;
                }
                Some((u16::try_from(index).ok()?, mask))
            })
            .collect();
        match ranks {
            Some(ranks) => Packed::Ranks(ranks),
            None => Packed::Map(allowed.clone()),
        }
    }

    pub(super) fn unpack(&self, rules: &PeriodRules) -> BTreeMap<String, Vec<i64>> {
        match self {
            Packed::Map(map) => map.clone(),
            // INVARIANT: the rules are those the answer was packed with (the cache's key holds
            // their key), so every index is one of their judgements; one that were not would
            // be left out, never read past the end.
            Packed::Ranks(ranks) => ranks
                .iter()
                .filter_map(|&(index, mask)| {
                    let judgement = rules.judgements().get(usize::from(index))?;
                    let values = judgement
                        .scale
                        .values
                        .iter()
                        .enumerate()
                        .filter(|&(rank, _)| {
                            u32::try_from(rank)
                                .ok()
                                .and_then(|rank| mask.checked_shr(rank))
                                .is_some_and(|bit| bit & 1 == 1)
                        })
                        .map(|(_, value)| value.number)
                        .collect();
                    Some((judgement.judgement.id.clone(), values))
                })
                .collect(),
        }
    }
}

/// Grades, as a cached evaluation keeps them: judgement indices beside the numbers, not ids;
/// or the grades themselves, where a judgement is not among the rules'.
#[derive(Clone)]
pub(super) enum Grades {
    Indexed(Vec<(u16, i64)>),
    Named(Assignment),
}

impl Grades {
    pub(super) fn new(rules: &PeriodRules, grades: &Assignment) -> Grades {
        let indexed: Option<Vec<(u16, i64)>> = grades
            .iter()
            .map(|(id, &value)| Some((u16::try_from(rules.judgement_index(id)?).ok()?, value)))
            .collect();
        indexed.map_or_else(|| Grades::Named(grades.clone()), Grades::Indexed)
    }

    pub(super) fn unpack(&self, rules: &PeriodRules) -> Assignment {
        match self {
            Grades::Named(grades) => grades.clone(),
            // INVARIANT: as in `Packed::unpack`, every index is one of the rules' judgements.
            Grades::Indexed(grades) => grades
                .iter()
                .filter_map(|&(index, value)| {
                    let judgement = rules.judgements().get(usize::from(index))?;
                    Some((judgement.judgement.id.clone(), value))
                })
                .collect(),
        }
    }
}

/// Whose support a computation of support sets: the verdict's, or a finding's (by its index
/// among the findings the evaluation added).
#[derive(Clone, Copy)]
pub(super) enum SupportOf {
    Verdict,
    Finding(usize),
}

/// The rules and the judgements whose grades are the evidence: what the support of a verdict
/// or finding is computed from, with the sources of the assessment it is for.
/// Both by position: the rules among the constraints, the judgements among the rules'
/// judgements.
#[derive(Clone)]
pub(super) struct Evidence {
    pub(super) rules: Vec<u32>,
    pub(super) judgements: Vec<u32>,
}

impl Evidence {
    /// The evidence of rules and judgements by id; an id the rules lack plays no part.
    pub(super) fn new(rules: &PeriodRules, ids: &[String], judgements: &[String]) -> Evidence {
        Evidence {
            rules: ids
                .iter()
                .filter_map(|id| rules.constraints().iter().position(|c| &c.id == id))
                .filter_map(|at| u32::try_from(at).ok())
                .collect(),
            judgements: judgements
                .iter()
                .filter_map(|id| rules.judgement_index(id))
                .filter_map(|at| u32::try_from(at).ok())
                .collect(),
        }
    }

    pub(super) fn constraints<'r>(&self, rules: &'r PeriodRules) -> Vec<&'r Constraint> {
        self.rules
            .iter()
            .filter_map(|&at| rules.constraints().get(at as usize))
            .collect()
    }

    pub(super) fn judgement_ids<'e, 'r: 'e>(
        &'e self,
        rules: &'r PeriodRules,
    ) -> impl Iterator<Item = &'r String> + 'e {
        self.judgements
            .iter()
            .filter_map(|&at| rules.judgements().get(at as usize))
            .map(|judgement| &judgement.judgement.id)
    }
}

/// A cached refutation, the core that rejects it, and what finding both cost.
pub(super) type Tested = (Option<Assignment>, Option<Core>, u64);

/// A finding as the cache keeps it: what its rule says of itself (the rule's text and
/// citations, the same in every answer that finds the rule) is left out, to be put back by
/// [`with_rule`]. Only `rule_finding` gives a finding a rule, with exactly these.
pub(super) fn without_rule(finding: &Finding) -> Finding {
    Finding {
        text: None,
        cite: Vec::new(),
        ..finding.clone()
    }
}

/// A cached finding with its rule's text and citations put back, as `rule_finding` gave
/// them.
pub(super) fn with_rule(book: &RuleBook, rules: &PeriodRules, cached: &Finding) -> Finding {
    let mut finding = cached.clone();
    if let Some(constraint) = cached.rule.as_deref().and_then(|id| rules.constraint(id)) {
        finding.text = Some(constraint.text.clone());
        finding.cite = cited(book, constraint);
    }
    finding
}

/// A cached evaluation, applied to a result: its own answer, with the worth of its evidence
/// from the result's sources.
pub(super) fn apply(
    book: &RuleBook,
    rules: &PeriodRules,
    result: &mut AssessmentResult,
    found: &Evaluated,
) {
    result.verdict = found.verdict;
    result.allowed = found.allowed.unpack(rules);
    result.implied.clone_from(&found.implied);
    result.implied_labels.clone_from(&found.implied_labels);
    result.tested_rules.clone_from(&found.tested_rules);
    result.tested_by = found.tested_by.as_ref().map(|grades| grades.unpack(rules));
    result.would_test.clone_from(&found.would_test);
    let first = result.findings.len();
    result
        .findings
        .extend(found.findings.iter().map(|f| with_rule(book, rules, f)));
    for (of, evidence) in &found.supports {
        let worth = support(
            book,
            &evidence.constraints(rules),
            evidence.judgement_ids(rules),
            &result.published,
        );
        match *of {
            SupportOf::Verdict => result.support = worth,
            SupportOf::Finding(index) => {
                if let Some(finding) = result.findings.get_mut(first + index) {
                    finding.support = Some(worth);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use ratings_core::{Period, LOCAL_AUTHORITIES};

    use super::{Grades, Packed};

    #[test]
    fn packed_answers_come_back_as_they_went_in() {
        let book = ratings_rules::book().expect("the shipped rules load");
        let mut periods = 0;
        for year in 2005..=2025 {
            let Ok(rules) = book.in_force(LOCAL_AUTHORITIES, Period::Year(year)) else {
                continue;
            };
            periods += 1;
            // Every value, every other one, none, and one in the wrong order or off the scale
            // (kept as it is), for every judgement.
            let every = |keep: &dyn Fn(usize) -> bool| -> BTreeMap<String, Vec<i64>> {
                rules
                    .judgements()
                    .iter()
                    .map(|j| {
                        let values = j.scale.values.iter().enumerate();
                        let kept = values
                            .filter(|(rank, _)| keep(*rank))
                            .map(|(_, v)| v.number);
                        (j.judgement.id.clone(), kept.collect())
                    })
                    .collect()
            };
            let mut odd = every(&|_| true);
            if let Some(values) = odd.values_mut().next() {
                values.reverse();
            }
            let mut off = every(&|rank| rank == 0);
            if let Some(values) = off.values_mut().next() {
                values.push(1_000);
            }
            for allowed in [
                every(&|_| true),
                every(&|rank| rank % 2 == 0),
                every(&|_| false),
                odd,
                off,
            ] {
                assert_eq!(
                    Packed::new(&rules, &allowed).unpack(&rules),
                    allowed,
                    "{year}"
                );
            }
            let grades: ratings_core::Assignment = rules
                .judgements()
                .iter()
                .map(|j| (j.judgement.id.clone(), j.scale.values[0].number))
                .collect();
            assert_eq!(
                Grades::new(&rules, &grades).unpack(&rules),
                grades,
                "{year}"
            );
            let mut unknown = grades.clone();
            unknown.insert("no.such_judgement".to_owned(), 2);
            assert_eq!(
                Grades::new(&rules, &unknown).unpack(&rules),
                unknown,
                "{year}"
            );
        }
        assert!(periods > 10, "{periods}");
    }
}
