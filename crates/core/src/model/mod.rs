//! The validated rule model: scales, judgements, constraints, rule sets, the documents they
//! cite, and the periods they are in force.
//!
//! Values of the model are only ever built by [`crate::load_rules`], which checks every
//! reference, so code that holds a [`RuleBook`] may rely on names resolving.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

mod period;
mod scale;

pub use period::{Period, Span};
pub use scale::{Level, Scale, ScaleValue};

/// Every scale, rule set and document of one rule directory, validated and with `extends`
/// resolved.
#[derive(Debug, Clone)]
pub struct RuleBook {
    pub(crate) scales: BTreeMap<String, Scale>,
    /// Rule sets in the order of their ids.
    pub(crate) rule_sets: Vec<RuleSet>,
    pub(crate) documents: BTreeMap<String, Document>,
}

/// A public document that rules cite and records come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The key rules and records use.
    pub id: String,
    /// The document's own title.
    pub title: String,
    /// Who published it.
    pub publisher: String,
    /// When, where known: `2009-02-16`, `2009-02`, `2009`, or `2014/2018` for a collection.
    pub date: Option<String>,
    /// Where to read it, where there is a public address.
    pub url: Option<String>,
    /// Anything a reader needs to find or weigh it.
    pub note: Option<String>,
    /// The name of a local copy (a letter in the corpus): records read from that file come
    /// from this document.
    pub file: Option<String>,
    /// The documents this one was taken from (a table transcribed from reports): grades from
    /// it are evidence for a rule only as independent as theirs, so a rule that cites one of
    /// them finds grades from this one circular.
    pub derived_from: Vec<String>,
}

/// The names rule files give the kinds of constraint (`kind = "cap"`), in the order of
/// [`ConstraintKind`]'s variants: the one list of them.
pub const KIND_NAMES: [&str; 4] = ["cap", "floor", "limit", "equal"];

/// What a rule set judges when its file names no `subject`: local authorities' children's
/// services.
pub const LOCAL_AUTHORITIES: &str = "local authorities";

/// One framework over one span of time.
#[derive(Debug, Clone)]
pub struct RuleSet {
    /// Unique in the rule book.
    pub id: String,
    /// Shown in listings.
    pub title: String,
    /// When it is in force.
    pub span: Span,
    /// What it judges: `local authorities` ([`LOCAL_AUTHORITIES`]), `children's homes`. Rule
    /// sets of different subjects are never in force together: every question about the
    /// rules in force is asked of one subject's rules ([`RuleBook::of_subject`]).
    pub subject: String,
    /// The rule set it inherits from.
    pub extends: Option<String>,
    /// The file the rule set was read from, for messages.
    pub file: String,
    /// Own and inherited judgements.
    pub judgements: Vec<Judgement>,
    /// Own and inherited constraints, after replacement and `remove`.
    pub constraints: Vec<Constraint>,
}

/// A graded judgement.
#[derive(Debug, Clone)]
pub struct Judgement {
    /// Namespaced: `framework.name`.
    pub id: String,
    /// The words documents use for it.
    pub title: String,
    /// The id of its scale.
    pub scale: String,
    /// Used by the rules but never published.
    pub latent: bool,
    /// Other words documents print for it ("Children who need help and protection"): what
    /// the report and letter readers match, besides the title.
    pub aliases: Vec<String>,
}

/// How firmly a rule holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Strength {
    /// A source says the outcome is automatic or required: it narrows values and decides
    /// verdicts.
    Must,
    /// A source says it usually holds, or it is a pattern in the grades: departures are
    /// warnings, never inconsistencies.
    Usually,
}

/// Where a rule comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Basis {
    /// Stated by the inspectorate in published guidance or official text.
    Guidance,
    /// Stated by a council, evidence to Parliament or the press about how ratings were made.
    Reported,
    /// Not written anywhere we can read: inferred from published outcomes.
    Inferred,
}

/// One place in one document that a rule rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// The id of a document of the rule book.
    pub document: String,
    /// Where in it: a paragraph, a page, a sentence.
    pub locator: String,
}

/// Where something was declared in a rule file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The rule file.
    pub file: String,
    /// One-based.
    pub line: usize,
    /// One-based, in characters.
    pub column: usize,
}

/// A constraint on one target judgement, optionally only when a condition holds.
#[derive(Debug, Clone)]
pub struct Constraint {
    /// Unique among the constraints in force together.
    pub id: String,
    /// One plain sentence, used in explanations.
    pub text: String,
    /// `must` or `usually`.
    pub strength: Strength,
    /// `guidance`, `reported` or `inferred`.
    pub basis: Basis,
    /// The documents it rests on.
    pub cite: Vec<Citation>,
    /// The judgement it restricts.
    pub target: String,
    /// What it requires of the target.
    pub kind: ConstraintKind,
    /// When it applies; always when absent.
    pub when: Option<Condition>,
    /// The rule set that declared the constraint (the parent, for an inherited one).
    pub declared_in: String,
    /// Where it was declared.
    pub location: Location,
}

/// What a constraint requires of its target. Comparisons are by rank: one step is one grade.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConstraintKind {
    /// The target is at most a value.
    Cap {
        /// The highest value allowed.
        at_most: Level,
    },
    /// The target is at least a value.
    Floor {
        /// The lowest value allowed.
        at_least: Level,
    },
    /// The target is at most the other judgement plus an offset, in grades.
    Limit {
        /// The judgement compared with.
        other: String,
        /// Steps added to the other's rank.
        offset: i64,
    },
    /// The target equals the other judgement plus an offset, in grades.
    Equal {
        /// The judgement compared with.
        other: String,
        /// Steps added to the other's rank.
        offset: i64,
    },
}

/// How a condition compares a judgement with a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Test {
    /// At most the value.
    AtMost,
    /// At least the value.
    AtLeast,
    /// Exactly the value.
    Is,
}

/// A condition over judgements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// One judgement compared with a value.
    Judgement {
        /// The judgement.
        judgement: String,
        /// The comparison.
        test: Test,
        /// The value.
        value: Level,
    },
    /// Every part holds.
    All(Vec<Condition>),
    /// Some part holds.
    Any(Vec<Condition>),
    /// At least `n` of the listed judgements are at most `at_most` (the value written, on
    /// each judgement's own scale).
    Count {
        /// The judgements counted.
        of: Vec<String>,
        /// The value each is compared with, one per judgement of `of`, on its scale.
        at_most: Vec<Level>,
        /// How many must be at most it.
        n: usize,
    },
}

impl Condition {
    /// Every judgement the condition reads, in order of first mention.
    pub fn judgements(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect_judgements(&mut out);
        out
    }

    fn collect_judgements<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Condition::Judgement { judgement, .. } => push_unique(out, judgement),
            Condition::All(parts) | Condition::Any(parts) => {
                for part in parts {
                    part.collect_judgements(out);
                }
            }
            Condition::Count { of, .. } => {
                for judgement in of {
                    push_unique(out, judgement);
                }
            }
        }
    }

    /// Whether the condition holds for a full assignment of ranks.
    pub fn holds(&self, rank_of: &dyn Fn(&str) -> usize) -> bool {
        match self {
            Condition::Judgement {
                judgement,
                test,
                value,
            } => test.passes(rank_of(judgement), value.rank),
            Condition::All(parts) => parts.iter().all(|part| part.holds(rank_of)),
            Condition::Any(parts) => parts.iter().any(|part| part.holds(rank_of)),
            Condition::Count { of, at_most, n } => {
                of.iter()
                    .zip(at_most)
                    .filter(|(j, level)| rank_of(j) <= level.rank)
                    .count()
                    >= *n
            }
        }
    }

    /// A short plain rendering, such as `apa.staying_safe <= 1`.
    pub fn render(&self) -> String {
        match self {
            Condition::Judgement {
                judgement,
                test,
                value,
            } => format!("{judgement} {} {}", test.symbol(), value.number),
            Condition::All(parts) => join_parts(parts, " and "),
            Condition::Any(parts) => join_parts(parts, " or "),
            Condition::Count { of, at_most, n } => {
                let number = at_most.first().map_or(0, |level| level.number);
                format!("at least {n} of [{}] <= {number}", of.join(", "))
            }
        }
    }
}

impl Test {
    /// Whether a rank passes the test against a bound rank.
    pub fn passes(self, actual: usize, bound: usize) -> bool {
        match self {
            Test::AtMost => actual <= bound,
            Test::AtLeast => actual >= bound,
            Test::Is => actual == bound,
        }
    }

    /// `<=`, `>=` or `=`.
    pub fn symbol(self) -> &'static str {
        match self {
            Test::AtMost => "<=",
            Test::AtLeast => ">=",
            Test::Is => "=",
        }
    }
}

impl Constraint {
    /// Every judgement the constraint reads or restricts: target, other, condition.
    pub fn judgements(&self) -> Vec<&str> {
        let mut out = vec![self.target.as_str()];
        if let Some(other) = self.other() {
            push_unique(&mut out, other);
        }
        if let Some(when) = &self.when {
            for judgement in when.judgements() {
                push_unique(&mut out, judgement);
            }
        }
        out
    }

    /// The second judgement of a `limit` or `equal`.
    pub fn other(&self) -> Option<&str> {
        match &self.kind {
            ConstraintKind::Limit { other, .. } | ConstraintKind::Equal { other, .. } => {
                Some(other)
            }
            ConstraintKind::Cap { .. } | ConstraintKind::Floor { .. } => None,
        }
    }

    /// Whether the relation holds for two ranks (target, other); offsets are bounded by the
    /// loader, so the arithmetic cannot overflow.
    pub fn relates(&self, target: usize, other: usize) -> bool {
        let (target, other) = (target as i64, other as i64);
        match &self.kind {
            ConstraintKind::Cap { at_most } => target <= at_most.rank as i64,
            ConstraintKind::Floor { at_least } => target >= at_least.rank as i64,
            ConstraintKind::Limit { offset, .. } => target <= other + offset,
            ConstraintKind::Equal { offset, .. } => target == other + offset,
        }
    }

    /// Whether a full assignment of ranks satisfies the constraint.
    pub fn holds(&self, rank_of: &dyn Fn(&str) -> usize) -> bool {
        if let Some(when) = &self.when {
            if !when.holds(rank_of) {
                return true;
            }
        }
        let other = self.other().map_or(0, rank_of);
        self.relates(rank_of(&self.target), other)
    }

    /// A short plain rendering of what the constraint requires, such as `x <= 2 when y <= 1`.
    pub fn render(&self) -> String {
        let relation = match &self.kind {
            ConstraintKind::Cap { at_most } => format!("{} <= {}", self.target, at_most.number),
            ConstraintKind::Floor { at_least } => {
                format!("{} >= {}", self.target, at_least.number)
            }
            ConstraintKind::Limit { other, offset } => {
                format!("{} <= {other}{}", self.target, render_offset(*offset))
            }
            ConstraintKind::Equal { other, offset } => {
                format!("{} = {other}{}", self.target, render_offset(*offset))
            }
        };
        match &self.when {
            Some(when) => format!("{relation} when {}", when.render()),
            None => relation,
        }
    }

    /// The short name of the constraint's kind, as rule files write it.
    pub fn kind_name(&self) -> &'static str {
        KIND_NAMES[match self.kind {
            ConstraintKind::Cap { .. } => 0,
            ConstraintKind::Floor { .. } => 1,
            ConstraintKind::Limit { .. } => 2,
            ConstraintKind::Equal { .. } => 3,
        }]
    }

    /// `must, reported`, for notes.
    pub fn firmness(&self) -> String {
        format!("{}, {}", self.strength.as_str(), self.basis.as_str())
    }
}

impl Strength {
    /// `must` or `usually`.
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::Must => "must",
            Strength::Usually => "usually",
        }
    }
}

impl Basis {
    /// `guidance`, `reported` or `inferred`.
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Guidance => "guidance",
            Basis::Reported => "reported",
            Basis::Inferred => "inferred",
        }
    }
}

impl RuleBook {
    /// Every scale, by id.
    pub fn scales(&self) -> &BTreeMap<String, Scale> {
        &self.scales
    }

    /// Every rule set, in the order of their ids.
    pub fn rule_sets(&self) -> &[RuleSet] {
        &self.rule_sets
    }

    /// The rule set with this id.
    pub fn rule_set(&self, id: &str) -> Option<&RuleSet> {
        self.rule_sets.iter().find(|r| r.id == id)
    }

    /// What the rule sets judge, each once: local authorities first, then the others in
    /// alphabetical order.
    pub fn subjects(&self) -> Vec<&str> {
        let mut subjects: Vec<&str> = self.rule_sets.iter().map(|r| r.subject.as_str()).collect();
        subjects.sort_unstable_by_key(|s| (*s != LOCAL_AUTHORITIES, *s));
        subjects.dedup();
        subjects
    }

    /// The rules for one subject: the same scales and documents, and only the rule sets that
    /// judge it. Every question about the rules in force on a day or in a year is asked of
    /// one subject's rules, as rule sets of two subjects judge different things.
    pub fn of_subject(&self, subject: &str) -> RuleBook {
        RuleBook {
            scales: self.scales.clone(),
            rule_sets: self
                .rule_sets
                .iter()
                .filter(|r| r.subject == subject)
                .cloned()
                .collect(),
            documents: self.documents.clone(),
        }
    }

    /// The subject a judgement belongs to: that of the rule sets declaring it.
    pub fn subject_of_judgement(&self, judgement: &str) -> Option<&str> {
        self.rule_sets
            .iter()
            .find(|r| r.judgements.iter().any(|j| j.id == judgement))
            .map(|r| r.subject.as_str())
    }

    /// Every document rules and records may cite, by id.
    pub fn documents(&self) -> &BTreeMap<String, Document> {
        &self.documents
    }

    /// The document with this id.
    pub fn document(&self, id: &str) -> Option<&Document> {
        self.documents.get(id)
    }

    /// How many constraints the rule sets declare or inherit, together.
    pub fn constraint_count(&self) -> usize {
        self.rule_sets.iter().map(|r| r.constraints.len()).sum()
    }

    /// The rules as written: each constraint counted once in the file that declares it,
    /// though later rule sets inherit it (the count the report's rule list gives).
    pub fn rule_count(&self) -> usize {
        let declared: std::collections::HashSet<(&str, &str)> = self
            .rule_sets
            .iter()
            .flat_map(|r| {
                r.constraints
                    .iter()
                    .map(|c| (c.id.as_str(), c.declared_in.as_str()))
            })
            .collect();
        declared.len()
    }

    /// The rule sets that judge a subject.
    pub fn rule_sets_of<'b, 's>(
        &'b self,
        subject: &'s str,
    ) -> impl Iterator<Item = &'b RuleSet> + 's
    where
        'b: 's,
    {
        self.rule_sets.iter().filter(move |r| r.subject == subject)
    }

    /// Every year some rule set of a subject is in force for at least a day, ascending. A
    /// rule set still in force counts up to the year it started or `until`, whichever is later.
    pub fn years(&self, subject: &str) -> Vec<i32> {
        let last_start = self
            .rule_sets_of(subject)
            .map(|r| r.span.start.year())
            .max()
            .unwrap_or(0);
        let mut years: Vec<i32> = self
            .rule_sets_of(subject)
            .flat_map(|r| {
                let end = r.span.end.map_or(last_start, |end| end.year());
                r.span.start.year()..=end
            })
            .collect();
        years.sort_unstable();
        years.dedup();
        years
    }

    /// The spans over which the set of rule sets of a subject in force does not change, in
    /// order, each with the rule sets in force (spans with none are left out).
    pub fn epochs(&self, subject: &str) -> Vec<(Span, Vec<&RuleSet>)> {
        // Every day some rule set starts, or the day after one ends, is a boundary.
        let mut boundaries: Vec<NaiveDate> = Vec::new();
        for rule_set in self.rule_sets_of(subject) {
            boundaries.push(rule_set.span.start);
            if let Some(after) = rule_set.span.end.and_then(|end| end.succ_opt()) {
                boundaries.push(after);
            }
        }
        boundaries.sort_unstable();
        boundaries.dedup();
        let mut epochs = Vec::new();
        for (index, &start) in boundaries.iter().enumerate() {
            let end = boundaries.get(index + 1).and_then(|next| next.pred_opt());
            let in_force: Vec<&RuleSet> = self
                .rule_sets_of(subject)
                .filter(|r| r.span.contains(start))
                .collect();
            if !in_force.is_empty() {
                epochs.push((Span { start, end }, in_force));
            }
        }
        epochs
    }

    /// The rule sets of a subject in force for a period: on a day, those covering it; for a
    /// year, those covering all of it.
    pub fn rule_sets_for(&self, subject: &str, period: Period) -> Vec<&RuleSet> {
        self.rule_sets_of(subject)
            .filter(|r| match period {
                Period::Date(day) => r.span.contains(day),
                Period::Year(year) => r.span.covers_year(year),
            })
            .collect()
    }

    /// The rule sets of a subject in force for part of a year only: why a year may need a
    /// date.
    pub fn partly_in_force(&self, subject: &str, year: i32) -> Vec<&RuleSet> {
        self.rule_sets_of(subject)
            .filter(|r| r.span.touches_year(year) && !r.span.covers_year(year))
            .collect()
    }

    /// The span from the first day any rule set of a subject is in force to the last (open
    /// when one is still in force).
    pub fn coverage(&self, subject: &str) -> Option<Span> {
        let start = self.rule_sets_of(subject).map(|r| r.span.start).min()?;
        let end = if self.rule_sets_of(subject).any(|r| r.span.end.is_none()) {
            None
        } else {
            self.rule_sets_of(subject).filter_map(|r| r.span.end).max()
        };
        Some(Span { start, end })
    }
}

fn push_unique<'a>(out: &mut Vec<&'a str>, item: &'a str) {
    if !out.contains(&item) {
        out.push(item);
    }
}

fn join_parts(parts: &[Condition], separator: &str) -> String {
    let rendered: Vec<String> = parts
        .iter()
        .map(|part| match part {
            Condition::All(_) | Condition::Any(_) => format!("({})", part.render()),
            _ => part.render(),
        })
        .collect();
    rendered.join(separator)
}

fn render_offset(offset: i64) -> String {
    match offset {
        0 => String::new(),
        o if o > 0 => format!(" + {o}"),
        o => format!(" - {}", o.unsigned_abs()),
    }
}
