//! The rules of rating frameworks as constraints over a graph of judgements, and their exact
//! evaluation: scales, judgements, rule sets, the documents they cite, the periods they are in
//! force, the judgement graph and the engine.
//!
//! This crate does no file I/O: it takes texts (see [`SourceText`]) and returns values.
//!
//! ```
//! use ratings_core::{load_rules, Assignment, Budget, Model, Period, SourceText, LOCAL_AUTHORITIES};
//!
//! let rules = SourceText::new("rules.toml", r#"
//! id = "apa"
//! title = "Annual performance assessment"
//! years = { from = 2007, to = 2008 }
//!
//! [[scale]]
//! id = "grade"
//! title = "Inspection grade"
//! values = [
//!   { number = 1, label = "inadequate" },
//!   { number = 2, label = "adequate" },
//!   { number = 3, label = "good" },
//! ]
//!
//! [[document]]
//! id = "handbook"
//! title = "Inspection handbook"
//! publisher = "Ofsted"
//! date = "2007"
//!
//! [[judgement]]
//! id = "apa.overall"
//! title = "Overall effectiveness"
//! scale = "grade"
//!
//! [[judgement]]
//! id = "apa.safe"
//! title = "Staying safe"
//! scale = "grade"
//!
//! [[constraint]]
//! id = "apa.safe-caps-overall"
//! text = "an inadequate staying safe grade caps overall effectiveness at adequate"
//! strength = "must"
//! basis = "guidance"
//! cite = { document = "handbook", locator = "section F" }
//! kind = "cap"
//! target = "apa.overall"
//! at_most = "adequate"
//! when = { judgement = "apa.safe", is = "inadequate" }
//! "#);
//! let book = load_rules(&[rules]).expect("valid rules");
//! let rules_2008 = book.in_force(LOCAL_AUTHORITIES, Period::Year(2008)).expect("rules for 2008");
//! let model = Model::new(&rules_2008);
//! let given = Assignment::from([("apa.safe".to_owned(), 1)]);
//! let allowed = model.allowed(&given, &mut Budget::default()).expect("within budget");
//! assert_eq!(allowed.values["apa.overall"], vec![1, 2]);
//! ```

mod analysis;
mod code;
mod diagnostic;
mod engine;
mod graph;
mod load;
mod minimize;
mod model;
mod rules;
pub mod toml_table;

pub use analysis::{analyze, analyze_rules, compare, gaps, AnalysisFinding, Difference};
pub use code::{Area, Code, Override, OverrideError, Overrides, Severity};
pub use diagnostic::{
    count, did_you_mean, escape, nearest, plural, render, shown, Excerpt, Problem, SourceText,
    View, MAX_NEAR_MISS_LEN, SHOWN_CHARS,
};
pub use engine::{
    Allowed, Assignment, Budget, Core, EngineError, Exceeded, Model, Pinned, Reason, Requirement,
    DEFAULT_BUDGET,
};
pub use graph::{edges, find_cycles, to_dot, to_mermaid, Cycle, Edge};
pub use load::{load_rules, MAX_CONSTRAINTS, MAX_JUDGEMENTS, MAX_SCALE_VALUES};
pub use minimize::minimal_subset;
pub use model::{
    Basis, Citation, Condition, Constraint, ConstraintKind, Document, Judgement, Level, Location,
    Period, RuleBook, RuleSet, Scale, ScaleValue, Span, Strength, Test, LOCAL_AUTHORITIES,
};
pub use rules::{label as rules_label, InForce, NotInForce, PeriodRules};
