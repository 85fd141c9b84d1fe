//! The rules of rating frameworks as constraints over a graph of judgements, and their exact
//! evaluation: scales, judgements, rule sets, the judgement graph and the engine.
//!
//! This crate does no file I/O: it takes texts (see [`SourceText`]) and returns values.

pub mod analysis;
pub mod diagnostic;
pub mod engine;
pub mod graph;
mod load;
pub mod minimize;
pub mod model;
pub mod year;

pub use diagnostic::{Problem, SourceText};
pub use engine::{
    Allowed, Assignment, Budget, Core, EngineError, Model, Reason, Requirement, DEFAULT_BUDGET,
};
pub use load::{load_rules, MAX_SCALE_VALUES};
pub use model::{
    Basis, Cite, Condition, Constraint, ConstraintKind, Judgement, RuleBook, RuleSet, Scale,
    ScaleValue, Strength, Test,
};
pub use year::{YearJudgement, YearRules};
