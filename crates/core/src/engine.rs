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

use crate::minimize::minimal_subset;
use crate::model::{Condition, Constraint, Strength};
use crate::rules::PeriodRules;

mod compile;
mod domains;
mod pinned;
mod propagate;
mod queries;
mod search;

pub use pinned::Pinned;
use propagate::*;

/// Published or assumed grades: judgement id to the number on its scale.
pub type Assignment = BTreeMap<String, i64>;

/// The default number of search nodes one query may visit.
pub const DEFAULT_BUDGET: u64 = 2_000_000;

/// Why the engine gave no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
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
#[derive(Debug, Clone, PartialEq, Eq)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// The rule nearest the judgement that lost the values.
    pub rule: String,
    /// The other rules of the argument, nearest first; empty when `rule` suffices alone.
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
#[derive(Debug, Clone, PartialEq, Eq)]
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
