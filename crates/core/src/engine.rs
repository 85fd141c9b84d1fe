//! Exact evaluation of one period's rules: which values each judgement can take, given some.
//!
//! Domains are 64-bit sets of scale positions. Propagation is sound but incomplete (it never
//! removes a value that some solution uses); exactness comes from search: a value is allowed
//! if and only if a complete assignment with it satisfies every `must` constraint, and the
//! search finds one or proves there is none. Every solution found marks all of its values as
//! allowed, so most values are settled without a search of their own.
//!
//! Every query runs under a [`Budget`] of search nodes, so an adversarial rule set cannot hang
//! a run: when the budget runs out the query fails with [`EngineError::BudgetExceeded`].

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use serde::Serialize;

use crate::minimize::minimal_subset;
use crate::model::{Condition, Constraint, Strength};
use crate::rules::PeriodRules;

mod pinned;
pub use pinned::Pinned;

/// Published or assumed grades: judgement id to the number on its scale.
pub type Assignment = BTreeMap<String, i64>;

/// The default number of search nodes one query may visit.
pub const DEFAULT_BUDGET: u64 = 2_000_000;

/// Why the engine gave no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// The query needed more steps than the budget allows.
    #[error("the search budget of {limit} steps ran out evaluating {period} ({judgements} judgements, {constraints} constraints)")]
    BudgetExceeded {
        /// The period evaluated, for messages.
        period: String,
        /// How many judgements its rules have.
        judgements: usize,
        /// How many constraints.
        constraints: usize,
        /// The budget that ran out.
        limit: u64,
    },
    /// A grade for a judgement the period does not have.
    #[error("unknown judgement `{judgement}` for {period}")]
    UnknownJudgement {
        /// The period evaluated.
        period: String,
        /// The judgement named.
        judgement: String,
    },
    /// A number that is not on the judgement's scale.
    #[error("{value} is not on the scale of `{judgement}`")]
    OffScale {
        /// The judgement.
        judgement: String,
        /// The number given.
        value: i64,
    },
}

/// A count of search steps (nodes visited and constraints propagated) that a query may
/// still spend.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// How many steps may be spent in all.
    pub limit: u64,
    used: u64,
}

/// The budget ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exceeded;

impl Budget {
    /// A budget of `limit` steps.
    pub fn new(limit: u64) -> Self {
        Budget { limit, used: 0 }
    }

    /// How many steps have been spent.
    pub fn used(&self) -> u64 {
        self.used
    }

    /// Start counting again: for a limit that bounds each question, not a run of them.
    pub fn renew(&mut self) {
        self.used = 0;
    }

    /// Spend steps, as a query that is answered from a cache would have: the answer must not
    /// depend on what was asked before.
    pub fn spend(&mut self, steps: u64) -> Result<(), Exceeded> {
        self.used = self.used.saturating_add(steps);
        if self.used > self.limit {
            Err(Exceeded)
        } else {
            Ok(())
        }
    }
}

impl Default for Budget {
    fn default() -> Self {
        Budget::new(DEFAULT_BUDGET)
    }
}

/// What the engine found for a partial assignment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Allowed {
    /// Whether any complete assignment extends the given one.
    pub consistent: bool,
    /// For every judgement of the period, the numbers it can take (empty when inconsistent).
    pub values: BTreeMap<String, Vec<i64>>,
}

/// Why judgements lost values: a minimal set of rules (`rule`, and the rules it needs `with`
/// it) and of given grades (`because`) under which no complete assignment takes any of the
/// values in `removes`. Minimal both ways: without any one of the rules or grades, each of
/// those values is possible again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// The rule nearest the judgement that lost the values.
    pub rule: String,
    /// The other rules of the argument, nearest first; empty when `rule` suffices alone.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub with: Vec<String>,
    /// The given grades the rules rely on.
    pub because: Assignment,
    /// The values ruled out, by judgement.
    pub removes: BTreeMap<String, Vec<i64>>,
}

impl Reason {
    /// Every rule of the argument: `rule`, then `with`.
    pub fn rules(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.rule.as_str()).chain(self.with.iter().map(String::as_str))
    }
}

/// A minimal contradiction: given grades and constraints that cannot hold together, where
/// dropping any one of them removes the contradiction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Core {
    /// The given grades the contradiction needs.
    pub given: Assignment,
    /// The ids of the constraints it needs.
    pub rules: Vec<String>,
}

/// One period's rules compiled for evaluation.
#[derive(Debug, Clone)]
pub struct Model {
    label: String,
    vars: Vec<Var>,
    index: HashMap<String, usize>,
    constraints: Vec<Compiled>,
    /// Indices of the `must` constraints, and membership by index.
    must: Vec<usize>,
    must_on: Vec<bool>,
    /// For each judgement, the constraints that read it.
    watchers: Vec<Vec<usize>>,
    /// Constraint indices by id.
    by_id: HashMap<String, Vec<usize>>,
}

#[derive(Debug, Clone)]
struct Var {
    id: String,
    /// Printed numbers, low to high: a value's position here is its rank.
    numbers: Vec<i64>,
}

#[derive(Debug, Clone)]
struct Compiled {
    id: String,
    cond: Option<Cond>,
    rel: Rel,
    vars: Vec<usize>,
}

#[derive(Debug, Clone)]
enum Cond {
    /// The variable's value is in the mask.
    In {
        var: usize,
        mask: u64,
    },
    All(Vec<Cond>),
    Any(Vec<Cond>),
    /// At least `n` of the variables have values in their masks.
    Count {
        items: Vec<(usize, u64)>,
        n: usize,
    },
}

#[derive(Debug, Clone)]
enum Rel {
    In {
        var: usize,
        mask: u64,
    },
    /// `table[j]` is the set of values of `a` compatible with value `j` of `b`.
    Pair {
        a: usize,
        b: usize,
        table: Vec<u64>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tri {
    True,
    False,
    Unknown,
}

type Domains = Vec<u64>;

/// A set of constraints in force for one query: the list, and membership by index.
struct Active<'m> {
    list: Cow<'m, [usize]>,
    on: Cow<'m, [bool]>,
    /// A constraint the solution must violate, or whose condition must hold, and so on.
    requirement: Option<(usize, Requirement)>,
    /// How often each constraint caused a wipe-out in this query, less one: the search branches
    /// first on judgements with small domains that such constraints read (dom/wdeg ordering).
    /// Empty until the first wipe-out, so a query that never fails allocates nothing for it.
    weights: RefCell<Vec<u32>>,
}

impl Active<'_> {
    fn weight(&self, constraint: usize) -> u64 {
        1 + u64::from(self.weights.borrow().get(constraint).copied().unwrap_or(0))
    }

    fn bump(&self, constraint: usize, constraints: usize) {
        let mut weights = self.weights.borrow_mut();
        if weights.is_empty() {
            weights.resize(constraints, 0);
        }
        if let Some(weight) = weights.get_mut(constraint) {
            *weight = weight.saturating_add(1);
        }
    }
}

/// What a search may require of one constraint besides the active ones, so that questions such
/// as "can this constraint ever be broken?" are one search, not an enumeration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    /// Its condition holds and its relation does not.
    Violated,
    /// Its condition holds (whatever its relation).
    ConditionHolds,
    /// Its condition holds and so does its relation.
    Honoured,
}

impl Model {
    /// Compile the rules of a period. Judgements the constraints mention but the period lacks
    /// cannot occur: the loader rejects them.
    pub fn new(rules: &PeriodRules) -> Model {
        let vars: Vec<Var> = rules
            .judgements()
            .iter()
            .map(|j| Var {
                id: j.judgement.id.clone(),
                numbers: j.scale.numbers(),
            })
            .collect();
        let index: HashMap<String, usize> = vars
            .iter()
            .enumerate()
            .map(|(i, v)| (v.id.clone(), i))
            .collect();
        let mut model = Model {
            label: rules.label().to_owned(),
            vars,
            index,
            constraints: Vec::new(),
            must: Vec::new(),
            must_on: Vec::new(),
            watchers: Vec::new(),
            by_id: HashMap::default(),
        };
        for constraint in rules.constraints() {
            if let Some(compiled) = model.compile(constraint) {
                if constraint.strength == Strength::Must {
                    model.must.push(model.constraints.len());
                }
                model.constraints.push(compiled);
            }
        }
        model.must_on = (0..model.constraints.len())
            .map(|c| model.must.contains(&c))
            .collect();
        model.watchers = vec![Vec::new(); model.vars.len()];
        for (index, constraint) in model.constraints.iter().enumerate() {
            model
                .by_id
                .entry(constraint.id.clone())
                .or_default()
                .push(index);
            for &var in &constraint.vars {
                model.watchers[var].push(index);
            }
        }
        model
    }

    /// The ids of the model's judgements, in the order of its variables.
    pub fn judgement_ids(&self) -> impl Iterator<Item = &str> {
        self.vars.iter().map(|v| v.id.as_str())
    }

    /// How many constraints the model holds.
    pub fn constraint_count(&self) -> usize {
        self.constraints.len()
    }

    /// The ids of the `must` constraints, in order.
    pub fn must_ids(&self) -> Vec<&str> {
        self.must
            .iter()
            .map(|&c| self.constraints[c].id.as_str())
            .collect()
    }

    /// The exact set of values each judgement can take, given some grades.
    pub fn allowed(&self, given: &Assignment, budget: &mut Budget) -> Result<Allowed, EngineError> {
        let domains = self.domains_for(given)?;
        let supported = self
            .supported(domains, &self.must, budget)
            .map_err(|Exceeded| self.exceeded(budget))?;
        Ok(self.to_allowed(supported))
    }

    /// Whether some complete assignment extends `given` under the `must` constraints plus the
    /// listed extra constraints (by id; used for `usually` constraints).
    pub fn satisfiable_with(
        &self,
        given: &Assignment,
        extra: &[&str],
        budget: &mut Budget,
    ) -> Result<bool, EngineError> {
        let mut active = self.must.clone();
        for index in self.indices(extra) {
            if !active.contains(&index) {
                active.push(index);
            }
        }
        let domains = self.domains_for(given)?;
        let found = self
            .solve(domains, &active, budget)
            .map_err(|Exceeded| self.exceeded(budget))?;
        Ok(found.is_some())
    }

    /// Whether some complete assignment extending `given` satisfies every `must` constraint: the
    /// verdict alone, without allowed values or explanations.
    pub fn consistent(&self, given: &Assignment, budget: &mut Budget) -> Result<bool, EngineError> {
        let domains = self.domains_for(given)?;
        let found = self
            .solve(domains, &self.must, budget)
            .map_err(|Exceeded| self.exceeded(budget))?;
        Ok(found.is_some())
    }

    /// A complete assignment that extends `given`, if one exists.
    pub fn witness(
        &self,
        given: &Assignment,
        budget: &mut Budget,
    ) -> Result<Option<Assignment>, EngineError> {
        let domains = self.domains_for(given)?;
        let found = self
            .solve(domains, &self.must, budget)
            .map_err(|Exceeded| self.exceeded(budget))?;
        Ok(found.map(|solution| self.to_assignment(&solution)))
    }

    /// For an inconsistent `given`: a minimal set of given grades and of constraints that
    /// contradict each other. `None` when `given` is consistent.
    pub fn conflict(
        &self,
        given: &Assignment,
        budget: &mut Budget,
    ) -> Result<Option<Core>, EngineError> {
        let pins = self.pins(given)?;
        self.core(&pins, None, &[], budget)
            .map_err(|Exceeded| self.exceeded(budget))
    }

    /// For every judgement that is not given and lost values: the arguments that rule those
    /// values out, each with the values it removes. Each removed value gets a minimal argument
    /// with the fewest rules found (a single rule whenever one suffices), then the fewest given
    /// grades those rules need; values with the same argument share one reason.
    pub fn reasons(
        &self,
        given: &Assignment,
        allowed: &Allowed,
        budget: &mut Budget,
    ) -> Result<Vec<Reason>, EngineError> {
        let all: Vec<&str> = self.vars.iter().map(|v| v.id.as_str()).collect();
        self.reasons_for(given, allowed, &all, budget)
    }

    /// [`Model::reasons`] for the listed judgements only.
    pub fn reasons_for(
        &self,
        given: &Assignment,
        allowed: &Allowed,
        judgements: &[&str],
        budget: &mut Budget,
    ) -> Result<Vec<Reason>, EngineError> {
        let mut reasons: Vec<Reason> = Vec::new();
        if !allowed.consistent {
            return Ok(reasons);
        }
        let pins = self.pins(given)?;
        for (var_index, var) in self.vars.iter().enumerate() {
            if given.contains_key(&var.id) || !judgements.contains(&var.id.as_str()) {
                continue;
            }
            let kept = allowed.values.get(&var.id).cloned().unwrap_or_default();
            // Rules that already explain other values of this judgement are tried first, so
            // that one rule that removes several values is one reason, not several.
            let mut used: Vec<usize> = Vec::new();
            for (position, &number) in var.numbers.iter().enumerate() {
                if kept.contains(&number) {
                    continue;
                }
                let extra = (var_index, 1u64 << position);
                let Some(core) = self
                    .core(&pins, Some(extra), &used, budget)
                    .map_err(|Exceeded| self.exceeded(budget))?
                else {
                    continue;
                };
                for rule in &core.rules {
                    for &index in self.by_id.get(rule).into_iter().flatten() {
                        if !used.contains(&index) {
                            used.push(index);
                        }
                    }
                }
                let same = |reason: &Reason| {
                    reason.because == core.given
                        && reason.rules().count() == core.rules.len()
                        && reason.rules().all(|r| core.rules.iter().any(|c| c == r))
                };
                match reasons.iter_mut().find(|reason| same(reason)) {
                    Some(reason) => reason
                        .removes
                        .entry(var.id.clone())
                        .or_default()
                        .push(number),
                    None => {
                        let mut rules = core.rules.into_iter();
                        let Some(rule) = rules.next() else { continue };
                        reasons.push(Reason {
                            rule,
                            with: rules.collect(),
                            because: core.given,
                            removes: BTreeMap::from([(var.id.clone(), vec![number])]),
                        });
                    }
                }
            }
        }
        Ok(reasons)
    }

    /// For an inconsistent `given`: a minimal subset of it that contradicts the `must`
    /// constraints together with the listed extra constraints (by id; a `usually` rule whose
    /// departure is being shown). `None` when `given` has a solution under them all.
    pub fn minimal_given(
        &self,
        given: &Assignment,
        extra: &[&str],
        budget: &mut Budget,
    ) -> Result<Option<Assignment>, EngineError> {
        let mut active = self.must.clone();
        for index in self.indices(extra) {
            if !active.contains(&index) {
                active.push(index);
            }
        }
        let pins = self.pins(given)?;
        let exceeded = self.exceeded(budget);
        let mut conflicts = |set: &[(usize, u64)]| {
            let mut domains = self.full_domains();
            for &(var, bit) in set {
                domains[var] &= bit;
            }
            self.solve(domains, &active, budget).map(|s| s.is_none())
        };
        if !conflicts(&pins).map_err(|Exceeded| exceeded.clone())? {
            return Ok(None);
        }
        // The grades of the extra constraints' own judgements first: where they depart on
        // their own, the minimal set is found among those few rather than among all.
        let scope: Vec<usize> = self
            .indices(extra)
            .into_iter()
            .flat_map(|index| self.constraints[index].vars.iter().copied())
            .collect();
        let near: Vec<(usize, u64)> = pins
            .iter()
            .filter(|(var, _)| scope.contains(var))
            .copied()
            .collect();
        let from = if !scope.is_empty()
            && near.len() < pins.len()
            && conflicts(&near).map_err(|Exceeded| exceeded.clone())?
        {
            &near
        } else {
            &pins
        };
        let kept = minimal_subset(from, &mut conflicts).map_err(|Exceeded| exceeded.clone())?;
        Ok(Some(self.pins_to_assignment(&kept)))
    }

    /// Among the `published` judgements (with their values in `given`), an alternative set of
    /// values that no complete assignment extends: proof that the published grades were tested.
    /// `None` when any values whatever of the published judgements would have passed.
    pub fn refutation(
        &self,
        published: &[String],
        budget: &mut Budget,
    ) -> Result<Option<Assignment>, EngineError> {
        let mut vars: Vec<usize> = Vec::new();
        for id in published {
            let var = self.var(id)?;
            if !vars.contains(&var) {
                vars.push(var);
            }
        }
        let components = self.components();
        // The solution set factorises over connected components, so each is searched alone.
        let mut by_component: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for var in vars {
            by_component.entry(components[var]).or_default().push(var);
        }
        let start = self.full_domains();
        let satisfiable = self
            .solve(start.clone(), &self.must, budget)
            .map_err(|Exceeded| self.exceeded(budget))?
            .is_some();
        if !satisfiable {
            // Nothing at all satisfies the rules, so even no grades are refuted.
            return Ok(Some(Assignment::new()));
        }
        for (_, group) in by_component {
            let found = self
                .refute(start.clone(), &group, budget)
                .map_err(|Exceeded| self.exceeded(budget))?;
            if let Some(pins) = found {
                return Ok(Some(
                    pins.into_iter()
                        .map(|(var, position)| {
                            (self.vars[var].id.clone(), self.vars[var].numbers[position])
                        })
                        .collect(),
                ));
            }
        }
        Ok(None)
    }

    /// A complete assignment extending `given` that satisfies exactly the listed constraints
    /// (by id, `must` or `usually` alike), if one exists.
    pub fn find(
        &self,
        given: &Assignment,
        active: &[&str],
        budget: &mut Budget,
    ) -> Result<Option<Assignment>, EngineError> {
        let indices = self.indices(active);
        let domains = self.domains_for(given)?;
        let found = self
            .solve(domains, &indices, budget)
            .map_err(|Exceeded| self.exceeded(budget))?;
        Ok(found.map(|solution| self.to_assignment(&solution)))
    }

    /// Like [`Model::find`], with one more constraint (by id) that the solution must violate,
    /// satisfy the condition of, or honour.
    pub fn find_requiring(
        &self,
        given: &Assignment,
        active: &[&str],
        constraint: &str,
        requirement: Requirement,
        budget: &mut Budget,
    ) -> Result<Option<Assignment>, EngineError> {
        let Some(&index) = self
            .by_id
            .get(constraint)
            .and_then(|indices| indices.first())
        else {
            return Ok(None);
        };
        let domains = self.domains_for(given)?;
        let mut active = self.active(&self.indices(active));
        active.requirement = Some((index, requirement));
        let queue = active.list.to_vec();
        let found = self
            .search(domains, &active, queue, budget)
            .map_err(|Exceeded| self.exceeded(budget))?;
        Ok(found.map(|solution| self.to_assignment(&solution)))
    }

    /// A minimal subset of the listed constraints under which `given` has no solution, or
    /// `None` when it has one under all of them. Deletion-based: each kept constraint is needed.
    pub fn minimal_conflict(
        &self,
        given: &Assignment,
        active: &[&str],
        budget: &mut Budget,
    ) -> Result<Option<Vec<String>>, EngineError> {
        let domains = self.domains_for(given)?;
        let all = self.indices(active);
        let exceeded = self.exceeded(budget);
        let mut conflicts = |kept: &[usize]| {
            self.solve(domains.clone(), kept, budget)
                .map(|s| s.is_none())
        };
        if !conflicts(&all).map_err(|Exceeded| exceeded.clone())? {
            return Ok(None);
        }
        let kept = minimal_subset(&all, &mut conflicts).map_err(|Exceeded| exceeded.clone())?;
        Ok(Some(
            kept.iter()
                .map(|&c| self.constraints[c].id.clone())
                .collect(),
        ))
    }

    /// The scale numbers of a judgement.
    pub fn numbers(&self, id: &str) -> Option<&[i64]> {
        self.index.get(id).map(|&i| self.vars[i].numbers.as_slice())
    }
}

// Compilation.
impl Model {
    fn indices(&self, ids: &[&str]) -> Vec<usize> {
        let mut on = vec![false; self.constraints.len()];
        let mut indices = Vec::with_capacity(ids.len());
        for id in ids {
            for &index in self.by_id.get(*id).into_iter().flatten() {
                if !on[index] {
                    on[index] = true;
                    indices.push(index);
                }
            }
        }
        indices
    }

    fn compile(&self, constraint: &Constraint) -> Option<Compiled> {
        let target = *self.index.get(&constraint.target)?;
        let rel = match constraint.other() {
            None => Rel::In {
                var: target,
                mask: self.mask(target, |rank| constraint.relates(rank, 0)),
            },
            Some(other) => {
                let b = *self.index.get(other)?;
                self.pair(target, b, |a, b| constraint.relates(a, b))
            }
        };
        let cond = match &constraint.when {
            Some(when) => Some(self.compile_cond(when)?),
            None => None,
        };
        let vars = constraint
            .judgements()
            .iter()
            .filter_map(|j| self.index.get(*j).copied())
            .collect();
        Some(Compiled {
            id: constraint.id.clone(),
            cond,
            rel,
            vars,
        })
    }

    fn compile_cond(&self, condition: &Condition) -> Option<Cond> {
        Some(match condition {
            Condition::Judgement {
                judgement,
                test,
                value,
            } => {
                let var = *self.index.get(judgement)?;
                let test = *test;
                Cond::In {
                    var,
                    mask: self.mask(var, |rank| test.passes(rank, value.rank)),
                }
            }
            Condition::All(parts) => Cond::All(
                parts
                    .iter()
                    .map(|p| self.compile_cond(p))
                    .collect::<Option<_>>()?,
            ),
            Condition::Any(parts) => Cond::Any(
                parts
                    .iter()
                    .map(|p| self.compile_cond(p))
                    .collect::<Option<_>>()?,
            ),
            Condition::Count { of, at_most, n } => Cond::Count {
                items: of
                    .iter()
                    .zip(at_most)
                    .map(|(j, level)| {
                        let var = *self.index.get(j)?;
                        Some((var, self.mask(var, |rank| rank <= level.rank)))
                    })
                    .collect::<Option<_>>()?,
                n: *n,
            },
        })
    }

    /// The positions (ranks) of a judgement's values that pass a test.
    fn mask(&self, var: usize, keep: impl Fn(usize) -> bool) -> u64 {
        (0..self.vars[var].numbers.len())
            .filter(|&rank| keep(rank))
            .fold(0, |mask, rank| mask | (1 << rank))
    }

    /// For each rank of `b`, the ranks of `a` related to it.
    fn pair(&self, a: usize, b: usize, related: impl Fn(usize, usize) -> bool) -> Rel {
        let table = (0..self.vars[b].numbers.len())
            .map(|rank_b| self.mask(a, |rank_a| related(rank_a, rank_b)))
            .collect();
        Rel::Pair { a, b, table }
    }
}

// Domains and assignments.
impl Model {
    fn var(&self, id: &str) -> Result<usize, EngineError> {
        self.index
            .get(id)
            .copied()
            .ok_or_else(|| EngineError::UnknownJudgement {
                period: self.label.clone(),
                judgement: id.to_owned(),
            })
    }

    fn full_domains(&self) -> Domains {
        self.vars
            .iter()
            .map(|v| {
                if v.numbers.len() >= 64 {
                    u64::MAX
                } else {
                    (1u64 << v.numbers.len()) - 1
                }
            })
            .collect()
    }

    /// Given grades as (variable, single-bit mask).
    fn pins(&self, given: &Assignment) -> Result<Vec<(usize, u64)>, EngineError> {
        given
            .iter()
            .map(|(id, &number)| self.pin_one(id, number))
            .collect()
    }

    /// A given grade as the engine holds it: its judgement's index and the bit of its value;
    /// an unknown judgement or a number off its scale is an error.
    fn pin_one(&self, id: &str, number: i64) -> Result<(usize, u64), EngineError> {
        let var = self.var(id)?;
        let position = self.vars[var]
            .numbers
            .iter()
            .position(|&n| n == number)
            .ok_or_else(|| EngineError::OffScale {
                judgement: id.to_owned(),
                value: number,
            })?;
        Ok((var, 1u64 << position))
    }

    fn domains_for(&self, given: &Assignment) -> Result<Domains, EngineError> {
        let mut domains = self.full_domains();
        for (id, &number) in given {
            let (var, bit) = self.pin_one(id, number)?;
            domains[var] &= bit;
        }
        Ok(domains)
    }

    fn to_assignment(&self, solution: &[usize]) -> Assignment {
        solution
            .iter()
            .enumerate()
            .map(|(var, &position)| (self.vars[var].id.clone(), self.vars[var].numbers[position]))
            .collect()
    }

    fn to_allowed(&self, supported: Option<Domains>) -> Allowed {
        let consistent = supported.is_some();
        let supported = supported.unwrap_or_else(|| vec![0; self.vars.len()]);
        let values = self
            .vars
            .iter()
            .zip(&supported)
            .map(|(var, &mask)| {
                let numbers = var
                    .numbers
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << i) != 0)
                    .map(|(_, &n)| n)
                    .collect();
                (var.id.clone(), numbers)
            })
            .collect();
        Allowed { consistent, values }
    }

    fn exceeded(&self, budget: &Budget) -> EngineError {
        EngineError::BudgetExceeded {
            period: self.label.clone(),
            judgements: self.vars.len(),
            constraints: self.constraints.len(),
            limit: budget.limit,
        }
    }

    /// Steps from one judgement to every other through the `must` constraints (breadth first);
    /// unreachable judgements are `usize::MAX` away.
    fn distances(&self, from: usize) -> Vec<usize> {
        let mut distance = vec![usize::MAX; self.vars.len()];
        distance[from] = 0;
        let mut frontier = vec![from];
        while !frontier.is_empty() {
            let mut next = Vec::new();
            for var in frontier {
                for &c in &self.watchers[var] {
                    for &other in &self.constraints[c].vars {
                        if distance[other] == usize::MAX {
                            distance[other] = distance[var] + 1;
                            next.push(other);
                        }
                    }
                }
            }
            frontier = next;
        }
        distance
    }

    /// Connected components of the variables under the `must` constraints.
    fn components(&self) -> Vec<usize> {
        let mut parent: Vec<usize> = (0..self.vars.len()).collect();
        fn find(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        for &c in &self.must {
            let vars = &self.constraints[c].vars;
            for pair in vars.windows(2) {
                let (a, b) = (find(&mut parent, pair[0]), find(&mut parent, pair[1]));
                parent[a] = b;
            }
        }
        (0..self.vars.len()).map(|x| find(&mut parent, x)).collect()
    }
}

// Propagation and search.
impl Model {
    /// Exact supported values under `active` constraints, or `None` when there is no solution.
    fn supported(
        &self,
        mut domains: Domains,
        active: &[usize],
        budget: &mut Budget,
    ) -> Result<Option<Domains>, Exceeded> {
        let active = self.active(active);
        if !self.propagate_queue(&mut domains, &active, active.list.to_vec(), budget)? {
            return Ok(None);
        }
        let Some(first) = self.search(domains.clone(), &active, Vec::new(), budget)? else {
            return Ok(None);
        };
        let mut supported = vec![0u64; self.vars.len()];
        mark(&mut supported, &first);
        for var in 0..self.vars.len() {
            // A judgement no active constraint reads can take any value of its domain in a
            // solution that exists, so it needs no search.
            if !self.watchers[var].iter().any(|&c| active.on[c]) {
                supported[var] = domains[var];
                continue;
            }
            let mut open = domains[var] & !supported[var];
            while open != 0 {
                let bit = open & open.wrapping_neg();
                open &= !bit;
                if supported[var] & bit != 0 {
                    continue;
                }
                let mut trial = domains.clone();
                trial[var] = bit;
                match self.search(trial, &active, self.watching(var, &active), budget)? {
                    Some(solution) => mark(&mut supported, &solution),
                    None => domains[var] &= !bit,
                }
            }
        }
        Ok(Some(supported))
    }

    /// A solution (scale position per variable) within `domains`, if any.
    fn solve(
        &self,
        domains: Domains,
        active: &[usize],
        budget: &mut Budget,
    ) -> Result<Option<Vec<usize>>, Exceeded> {
        let active = self.active(active);
        let queue = active.list.to_vec();
        self.search(domains, &active, queue, budget)
    }

    /// Depth-first search; `queue` holds the constraints to propagate first (after a branch,
    /// only those that read the branched judgement: the rest were already at a fixpoint).
    fn search(
        &self,
        mut domains: Domains,
        active: &Active,
        queue: Vec<usize>,
        budget: &mut Budget,
    ) -> Result<Option<Vec<usize>>, Exceeded> {
        budget.spend(1)?;
        if !self.propagate_queue(&mut domains, active, queue, budget)? {
            return Ok(None);
        }
        let branch = (0..domains.len())
            .filter(|&v| domains[v].count_ones() > 1)
            .min_by_key(|&v| {
                let weight: u64 = self.watchers[v]
                    .iter()
                    .filter(|&&c| active.on[c] || active.requirement.is_some_and(|(r, _)| r == c))
                    .map(|&c| active.weight(c))
                    .sum();
                // Smallest domain per weight first; the scale is kept whole-numbered.
                (u64::from(domains[v].count_ones()) << 20) / (weight + 1)
            });
        let Some(var) = branch else {
            // Every domain is a single value: check the leaf on them directly.
            let required = active
                .requirement
                .is_none_or(|(c, requirement)| meets(&self.constraints[c], requirement, &domains));
            if !(required && self.holds_all(&domains, &active.list)) {
                return Ok(None);
            }
            return Ok(Some(
                domains
                    .iter()
                    .map(|d| d.trailing_zeros() as usize)
                    .collect(),
            ));
        };
        let mut open = domains[var];
        while open != 0 {
            let bit = open & open.wrapping_neg();
            open &= !bit;
            let mut trial = domains.clone();
            trial[var] = bit;
            if let Some(solution) =
                self.search(trial, active, self.watching(var, active), budget)?
            {
                return Ok(Some(solution));
            }
        }
        Ok(None)
    }

    /// Propagate the queued constraints, queueing again every active constraint that reads a
    /// judgement whose domain shrank, until nothing changes; `false` on a wipe-out.
    fn propagate_queue(
        &self,
        domains: &mut [u64],
        active: &Active,
        mut queue: Vec<usize>,
        budget: &mut Budget,
    ) -> Result<bool, Exceeded> {
        if domains.contains(&0) {
            return Ok(false);
        }
        // The domains a constraint reads, before it runs: on the stack for the usual few.
        let (mut inline, mut heap) = ([0u64; 8], Vec::new());
        loop {
            while let Some(c) = queue.pop() {
                budget.spend(1)?;
                let constraint = &self.constraints[c];
                let before = snapshot(&constraint.vars, domains, &mut inline, &mut heap);
                match self.propagate_one(constraint, domains) {
                    None => {
                        active.bump(c, self.constraints.len());
                        return Ok(false);
                    }
                    Some(false) => {}
                    Some(true) => {
                        self.queue_changed(constraint, before, domains, active, &mut queue)
                    }
                }
            }
            let Some((c, requirement)) = active.requirement else {
                return Ok(true);
            };
            let constraint = &self.constraints[c];
            let before = snapshot(&constraint.vars, domains, &mut inline, &mut heap);
            match require(constraint, requirement, domains) {
                None => {
                    active.bump(c, self.constraints.len());
                    return Ok(false);
                }
                Some(false) => return Ok(true),
                Some(true) => self.queue_changed(constraint, before, domains, active, &mut queue),
            }
        }
    }

    /// Queue every active constraint that reads a judgement whose domain just shrank.
    fn queue_changed(
        &self,
        constraint: &Compiled,
        before: &[u64],
        domains: &[u64],
        active: &Active,
        queue: &mut Vec<usize>,
    ) {
        for (&var, &old) in constraint.vars.iter().zip(before) {
            if domains[var] != old {
                queue.extend(self.watchers[var].iter().copied().filter(|&w| active.on[w]));
            }
        }
    }

    fn active(&self, list: &[usize]) -> Active<'_> {
        let weights = RefCell::new(Vec::new());
        // The `must` constraints are the common case: borrow them, allocate nothing.
        if list == self.must.as_slice() {
            return Active {
                list: Cow::Borrowed(&self.must),
                on: Cow::Borrowed(&self.must_on),
                requirement: None,
                weights,
            };
        }
        let mut on = vec![false; self.constraints.len()];
        for &c in list {
            on[c] = true;
        }
        Active {
            list: Cow::Owned(list.to_vec()),
            on: Cow::Owned(on),
            requirement: None,
            weights,
        }
    }

    /// The active constraints that read a judgement.
    fn watching(&self, var: usize, active: &Active) -> Vec<usize> {
        self.watchers[var]
            .iter()
            .copied()
            .filter(|&c| active.on[c])
            .collect()
    }

    /// One constraint; `None` on a wipe-out, else whether anything changed.
    fn propagate_one(&self, constraint: &Compiled, domains: &mut [u64]) -> Option<bool> {
        let state = constraint
            .cond
            .as_ref()
            .map_or(Tri::True, |cond| eval(cond, domains));
        match state {
            Tri::False => Some(false),
            Tri::True => enforce(&constraint.rel, domains),
            Tri::Unknown => {
                if violated(&constraint.rel, domains) {
                    // INVARIANT: only reached when the condition is Unknown.
                    constraint
                        .cond
                        .as_ref()
                        .map_or(Some(false), |cond| negate(cond, domains))
                } else {
                    Some(false)
                }
            }
        }
    }

    /// Whether single-valued domains satisfy every active constraint.
    fn holds_all(&self, domains: &[u64], active: &[usize]) -> bool {
        active.iter().all(|&c| {
            let constraint = &self.constraints[c];
            let state = constraint
                .cond
                .as_ref()
                .map_or(Tri::True, |cond| eval(cond, domains));
            state == Tri::False || !violated(&constraint.rel, domains)
        })
    }

    /// Deletion-based minimal core: rules first, with every given grade, then the given grades
    /// those rules need. A reader follows rules, so an argument with fewer rules is the clearer
    /// one even when it uses more of what was given: a single rule whenever one suffices,
    /// else QuickXplain over the rules, nearest the explained judgement first. `extra` is an
    /// assumed value whose impossibility is being explained (it always stays in the core);
    /// `prefer` are rules to try first as the lone rule.
    ///
    /// Both parts stay minimal: dropping given grades only adds solutions, so rules that were
    /// each needed with every grade are still each needed with fewer.
    fn core(
        &self,
        pins: &[(usize, u64)],
        extra: Option<(usize, u64)>,
        prefer: &[usize],
        budget: &mut Budget,
    ) -> Result<Option<Core>, Exceeded> {
        let feasible = |pins: &[(usize, u64)],
                        active: &[usize],
                        budget: &mut Budget|
         -> Result<bool, Exceeded> {
            let mut domains = self.full_domains();
            for &(var, bit) in pins.iter().chain(extra.iter()) {
                domains[var] &= bit;
            }
            Ok(self.solve(domains, active, budget)?.is_some())
        };
        if feasible(pins, &self.must, budget)? {
            return Ok(None);
        }
        let distance = extra.map(|(var, _)| self.distances(var));
        let rule_distance = |c: &usize| {
            distance.as_ref().map_or(0, |distance| {
                self.constraints[*c]
                    .vars
                    .iter()
                    .map(|&v| distance[v])
                    .min()
                    .unwrap_or(usize::MAX)
            })
        };
        let active = match self.lone_rule(pins, extra, prefer, budget)? {
            Some(rule) => vec![rule],
            None => {
                let mut ordered = self.must.clone();
                ordered.sort_by_key(rule_distance);
                let mut kept = minimal_subset(&ordered, &mut |set: &[usize]| {
                    feasible(pins, set, budget).map(|f| !f)
                })?;
                kept.sort_by_key(rule_distance);
                kept
            }
        };
        // QuickXplain prefers earlier items, so the givens nearest the explained judgement
        // come first.
        let mut pins = pins.to_vec();
        if let Some(distance) = &distance {
            pins.sort_by_key(|&(pin, _)| distance[pin]);
        }
        let kept_pins = minimal_subset(&pins, &mut |set: &[(usize, u64)]| {
            feasible(set, &active, budget).map(|f| !f)
        })?;
        Ok(Some(Core {
            given: self.pins_to_assignment(&kept_pins),
            rules: active
                .iter()
                .map(|&c| self.constraints[c].id.clone())
                .collect(),
        }))
    }

    /// The first `must` rule that contradicts the pins (and `extra`) on its own, if any,
    /// trying the `prefer`red ones first.
    fn lone_rule(
        &self,
        pins: &[(usize, u64)],
        extra: Option<(usize, u64)>,
        prefer: &[usize],
        budget: &mut Budget,
    ) -> Result<Option<usize>, Exceeded> {
        let mut base = self.full_domains();
        for &(var, bit) in pins.iter().chain(extra.iter()) {
            base[var] &= bit;
        }
        // An extra value is only explained for given grades that have a solution (`reasons`),
        // so a rule that rules it out by itself reads its judgement: in that solution with the
        // judgement changed, every rule that does not read it still holds. Were the grades
        // inconsistent after all, this only misses a lone rule; the core is still minimal.
        let mut candidates: Vec<usize> = match extra {
            Some((var, _)) => self.watchers[var]
                .iter()
                .copied()
                .filter(|&c| self.must_on[c])
                .collect(),
            None => self.must.clone(),
        };
        candidates.sort_by_key(|c| !prefer.contains(c));
        for c in candidates {
            let vars = &self.constraints[c].vars;
            let mut domains = base.clone();
            // Judgements the rule does not read cannot help it: one value each, so that the
            // search does not branch on them.
            for (var, domain) in domains.iter_mut().enumerate() {
                if !vars.contains(&var) {
                    *domain &= domain.wrapping_neg();
                }
            }
            if self.solve(domains, &[c], budget)?.is_none() {
                return Ok(Some(c));
            }
        }
        Ok(None)
    }

    fn pins_to_assignment(&self, pins: &[(usize, u64)]) -> Assignment {
        pins.iter()
            .map(|&(var, bit)| {
                (
                    self.vars[var].id.clone(),
                    self.vars[var].numbers[bit.trailing_zeros() as usize],
                )
            })
            .collect()
    }

    /// Depth-first over the values of `vars`: the first partial assignment with no solution.
    fn refute(
        &self,
        domains: Domains,
        vars: &[usize],
        budget: &mut Budget,
    ) -> Result<Option<Vec<(usize, usize)>>, Exceeded> {
        let Some((&var, rest)) = vars.split_first() else {
            return Ok(None);
        };
        let positions: Vec<usize> = (0..self.vars[var].numbers.len()).collect();
        let mut feasible = Vec::new();
        for &position in &positions {
            let mut trial = domains.clone();
            trial[var] = 1 << position;
            if self.solve(trial.clone(), &self.must, budget)?.is_none() {
                return Ok(Some(vec![(var, position)]));
            }
            feasible.push(trial);
        }
        for (position, trial) in positions.into_iter().zip(feasible) {
            if let Some(mut pins) = self.refute(trial.clone(), rest, budget)? {
                pins.insert(0, (var, position));
                return Ok(Some(pins));
            }
        }
        Ok(None)
    }
}

/// The domains of some judgements, copied into `inline` when they fit, else into `heap`.
fn snapshot<'b>(
    vars: &[usize],
    domains: &[u64],
    inline: &'b mut [u64; 8],
    heap: &'b mut Vec<u64>,
) -> &'b [u64] {
    if vars.len() <= inline.len() {
        for (slot, &var) in inline.iter_mut().zip(vars) {
            *slot = domains[var];
        }
        &inline[..vars.len()]
    } else {
        heap.clear();
        heap.extend(vars.iter().map(|&v| domains[v]));
        heap
    }
}

fn mark(supported: &mut [u64], solution: &[usize]) {
    for (var, &position) in solution.iter().enumerate() {
        supported[var] |= 1 << position;
    }
}

fn eval(cond: &Cond, domains: &[u64]) -> Tri {
    match cond {
        Cond::In { var, mask } => in_state(domains[*var], *mask),
        Cond::All(parts) => {
            let mut state = Tri::True;
            for part in parts {
                match eval(part, domains) {
                    Tri::False => return Tri::False,
                    Tri::Unknown => state = Tri::Unknown,
                    Tri::True => {}
                }
            }
            state
        }
        Cond::Any(parts) => {
            let mut state = Tri::False;
            for part in parts {
                match eval(part, domains) {
                    Tri::True => return Tri::True,
                    Tri::Unknown => state = Tri::Unknown,
                    Tri::False => {}
                }
            }
            state
        }
        Cond::Count { items, n } => {
            let (sure, possible) = count_states(items, domains);
            if sure >= *n {
                Tri::True
            } else if possible < *n {
                Tri::False
            } else {
                Tri::Unknown
            }
        }
    }
}

fn in_state(domain: u64, mask: u64) -> Tri {
    if domain & !mask == 0 {
        Tri::True
    } else if domain & mask == 0 {
        Tri::False
    } else {
        Tri::Unknown
    }
}

fn count_states(items: &[(usize, u64)], domains: &[u64]) -> (usize, usize) {
    let sure = items.iter().filter(|(v, m)| domains[*v] & !m == 0).count();
    let possible = items.iter().filter(|(v, m)| domains[*v] & m != 0).count();
    (sure, possible)
}

/// Make the relation hold; `None` on a wipe-out, else whether anything changed.
fn enforce(rel: &Rel, domains: &mut [u64]) -> Option<bool> {
    match rel {
        Rel::In { var, mask } => restrict(domains, *var, *mask),
        Rel::Pair { a, b, table } => {
            if a == b {
                let keep = bits(domains[*a])
                    .filter(|&p| table[p] & (1 << p) != 0)
                    .fold(0, |m, p| m | (1 << p));
                return restrict(domains, *a, keep);
            }
            let a_support = bits(domains[*b]).fold(0, |m, j| m | table[j]);
            let changed_a = restrict(domains, *a, a_support)?;
            let domain_a = domains[*a];
            let b_support = bits(domains[*b])
                .filter(|&j| table[j] & domain_a != 0)
                .fold(0, |m, j| m | (1 << j));
            let changed_b = restrict(domains, *b, b_support)?;
            Some(changed_a || changed_b)
        }
    }
}

/// Whether no combination of the current domains satisfies the relation.
fn violated(rel: &Rel, domains: &[u64]) -> bool {
    match rel {
        Rel::In { var, mask } => domains[*var] & mask == 0,
        Rel::Pair { a, b, table } => {
            if a == b {
                return !bits(domains[*a]).any(|p| table[p] & (1 << p) != 0);
            }
            !bits(domains[*b]).any(|j| table[j] & domains[*a] != 0)
        }
    }
}

/// Make the condition false (it is known to be Unknown, not True); `None` on a wipe-out.
fn negate(cond: &Cond, domains: &mut [u64]) -> Option<bool> {
    match cond {
        Cond::In { var, mask } => restrict(domains, *var, !mask),
        Cond::Any(parts) => {
            let mut changed = false;
            for part in parts {
                changed |= negate(part, domains)?;
            }
            Some(changed)
        }
        Cond::All(parts) => {
            let open: Vec<&Cond> = parts
                .iter()
                .filter(|p| eval(p, domains) != Tri::True)
                .collect();
            match open.as_slice() {
                [only] if eval(only, domains) == Tri::Unknown => negate(only, domains),
                // One part already false: the condition is false, nothing to do.
                [_] => Some(false),
                [] => None,
                _ => Some(false),
            }
        }
        Cond::Count { items, n } => {
            let (sure, _) = count_states(items, domains);
            if sure >= *n {
                return None;
            }
            if sure + 1 < *n {
                return Some(false);
            }
            let mut changed = false;
            for &(var, mask) in items {
                if domains[var] & !mask != 0 {
                    changed |= restrict(domains, var, !mask)?;
                }
            }
            Some(changed)
        }
    }
}

/// Propagate a requirement on one constraint; `None` on a wipe-out, else whether anything changed.
fn require(constraint: &Compiled, requirement: Requirement, domains: &mut [u64]) -> Option<bool> {
    let mut changed = match &constraint.cond {
        Some(cond) => assert_true(cond, domains)?,
        None => false,
    };
    changed |= match requirement {
        Requirement::Violated => refute(&constraint.rel, domains)?,
        Requirement::Honoured => enforce(&constraint.rel, domains)?,
        Requirement::ConditionHolds => false,
    };
    Some(changed)
}

/// Whether a complete assignment meets a requirement on a constraint.
/// `domains` are all single values.
fn meets(constraint: &Compiled, requirement: Requirement, domains: &[u64]) -> bool {
    let condition = constraint
        .cond
        .as_ref()
        .is_none_or(|cond| eval(cond, domains) == Tri::True);
    condition
        && match requirement {
            Requirement::Violated => violated(&constraint.rel, domains),
            Requirement::Honoured => !violated(&constraint.rel, domains),
            Requirement::ConditionHolds => true,
        }
}

/// Make the condition true; `None` on a wipe-out.
fn assert_true(cond: &Cond, domains: &mut [u64]) -> Option<bool> {
    match cond {
        Cond::In { var, mask } => restrict(domains, *var, *mask),
        Cond::All(parts) => {
            let mut changed = false;
            for part in parts {
                changed |= assert_true(part, domains)?;
            }
            Some(changed)
        }
        Cond::Any(parts) => {
            let open: Vec<&Cond> = parts
                .iter()
                .filter(|p| eval(p, domains) != Tri::False)
                .collect();
            match open.as_slice() {
                [] => None,
                [only] => assert_true(only, domains),
                _ => Some(false),
            }
        }
        Cond::Count { items, n } => {
            let (_, possible) = count_states(items, domains);
            if possible < *n {
                return None;
            }
            if possible > *n {
                return Some(false);
            }
            let mut changed = false;
            for &(var, mask) in items {
                if domains[var] & mask != 0 {
                    changed |= restrict(domains, var, mask)?;
                }
            }
            Some(changed)
        }
    }
}

/// Make the relation fail; `None` on a wipe-out.
fn refute(rel: &Rel, domains: &mut [u64]) -> Option<bool> {
    match rel {
        Rel::In { var, mask } => restrict(domains, *var, !mask),
        Rel::Pair { a, b, table } => {
            if a == b {
                let keep = bits(domains[*a])
                    .filter(|&p| table[p] & (1 << p) == 0)
                    .fold(0, |m, p| m | (1 << p));
                return restrict(domains, *a, keep);
            }
            let domain_b = domains[*b];
            let a_keep = bits(domains[*a])
                .filter(|&i| bits(domain_b).any(|j| table[j] & (1 << i) == 0))
                .fold(0, |m, i| m | (1 << i));
            let changed_a = restrict(domains, *a, a_keep)?;
            let domain_a = domains[*a];
            let b_keep = bits(domains[*b])
                .filter(|&j| domain_a & !table[j] != 0)
                .fold(0, |m, j| m | (1 << j));
            let changed_b = restrict(domains, *b, b_keep)?;
            Some(changed_a || changed_b)
        }
    }
}

fn restrict(domains: &mut [u64], var: usize, mask: u64) -> Option<bool> {
    let narrowed = domains[var] & mask;
    if narrowed == 0 {
        return None;
    }
    let changed = narrowed != domains[var];
    domains[var] = narrowed;
    Some(changed)
}

fn bits(mut mask: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        if mask == 0 {
            return None;
        }
        let position = mask.trailing_zeros() as usize;
        mask &= mask - 1;
        Some(position)
    })
}
