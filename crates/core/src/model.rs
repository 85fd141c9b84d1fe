//! The validated rule model: scales, judgements, constraints and rule sets.
//!
//! Values of the model are only ever built by [`crate::load_rules`], which checks every
//! reference, so code that holds a [`RuleBook`] may rely on names resolving.

use std::collections::BTreeMap;

use serde::Serialize;

/// Every scale and every rule set of one rule directory, validated and with `extends` resolved.
#[derive(Debug, Clone)]
pub struct RuleBook {
    pub scales: BTreeMap<String, Scale>,
    /// Rule sets in the order of their ids.
    pub rule_sets: Vec<RuleSet>,
}

/// An ordered list of values, low to high.
#[derive(Debug, Clone, Serialize)]
pub struct Scale {
    pub id: String,
    pub title: String,
    pub values: Vec<ScaleValue>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScaleValue {
    pub number: i64,
    pub label: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

/// One framework over one span of years.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub id: String,
    pub title: String,
    pub from: i64,
    pub to: i64,
    pub extends: Option<String>,
    /// The file the rule set was read from, for messages.
    pub file: String,
    /// Own and inherited judgements.
    pub judgements: Vec<Judgement>,
    /// Own and inherited constraints, after replacement and `remove`.
    pub constraints: Vec<Constraint>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Judgement {
    pub id: String,
    pub title: String,
    pub scale: String,
    pub latent: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Strength {
    Must,
    Usually,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    Guidance,
    Reported,
    Inferred,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cite {
    pub source: String,
    pub locator: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A constraint on one target judgement, optionally only when a condition holds.
#[derive(Debug, Clone, Serialize)]
pub struct Constraint {
    pub id: String,
    pub text: String,
    pub strength: Strength,
    pub basis: Basis,
    pub cite: Cite,
    pub target: String,
    pub kind: ConstraintKind,
    pub when: Option<Condition>,
    /// The rule set that declared the constraint (the parent, for an inherited one).
    pub declared_in: String,
}

/// What a constraint requires of its target. Values are numbers of the target's scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ConstraintKind {
    Cap { at_most: i64 },
    Floor { at_least: i64 },
    Limit { other: String, offset: i64 },
    Equal { other: String, offset: i64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Test {
    AtMost,
    AtLeast,
    Is,
}

/// A condition over judgements; values are numbers of the judgement's scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Condition {
    Judgement {
        judgement: String,
        test: Test,
        value: i64,
    },
    All(Vec<Condition>),
    Any(Vec<Condition>),
    /// At least `n` of the listed judgements are at most `at_most`.
    Count {
        of: Vec<String>,
        at_most: i64,
        n: usize,
    },
}

impl Scale {
    /// The value with this number, label or alias (labels match case-insensitively).
    pub fn find(&self, text: &str) -> Option<&ScaleValue> {
        let wanted = text.trim();
        self.values.iter().find(|value| {
            value.label.eq_ignore_ascii_case(wanted)
                || value
                    .aliases
                    .iter()
                    .any(|alias| alias.eq_ignore_ascii_case(wanted))
        })
    }

    pub fn by_number(&self, number: i64) -> Option<&ScaleValue> {
        self.values.iter().find(|value| value.number == number)
    }

    pub fn numbers(&self) -> Vec<i64> {
        self.values.iter().map(|value| value.number).collect()
    }

    /// `1 inadequate, 2 adequate, ...`, for help lines.
    pub fn listing(&self) -> String {
        let values: Vec<String> = self
            .values
            .iter()
            .map(|v| format!("{} {}", v.number, v.label))
            .collect();
        values.join(", ")
    }

    /// `label (number)`, for messages.
    pub fn describe(&self, number: i64) -> String {
        match self.by_number(number) {
            Some(value) => format!("{} ({number})", value.label),
            None => number.to_string(),
        }
    }
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

    /// Whether the condition holds for a full assignment of numbers.
    pub fn holds(&self, value_of: &dyn Fn(&str) -> i64) -> bool {
        match self {
            Condition::Judgement {
                judgement,
                test,
                value,
            } => test.passes(value_of(judgement), *value),
            Condition::All(parts) => parts.iter().all(|part| part.holds(value_of)),
            Condition::Any(parts) => parts.iter().any(|part| part.holds(value_of)),
            Condition::Count { of, at_most, n } => {
                of.iter().filter(|j| value_of(j) <= *at_most).count() >= *n
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
            } => format!("{judgement} {} {value}", test.symbol()),
            Condition::All(parts) => join_parts(parts, " and "),
            Condition::Any(parts) => join_parts(parts, " or "),
            Condition::Count { of, at_most, n } => {
                format!("at least {n} of [{}] <= {at_most}", of.join(", "))
            }
        }
    }
}

impl Test {
    pub fn passes(self, actual: i64, bound: i64) -> bool {
        match self {
            Test::AtMost => actual <= bound,
            Test::AtLeast => actual >= bound,
            Test::Is => actual == bound,
        }
    }

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

    /// Whether a full assignment of numbers satisfies the constraint.
    pub fn holds(&self, value_of: &dyn Fn(&str) -> i64) -> bool {
        if let Some(when) = &self.when {
            if !when.holds(value_of) {
                return true;
            }
        }
        let target = value_of(&self.target);
        match &self.kind {
            ConstraintKind::Cap { at_most } => target <= *at_most,
            ConstraintKind::Floor { at_least } => target >= *at_least,
            ConstraintKind::Limit { other, offset } => target <= value_of(other) + offset,
            ConstraintKind::Equal { other, offset } => target == value_of(other) + offset,
        }
    }

    /// A short plain rendering of what the constraint requires, such as `x <= 2 when y <= 1`.
    pub fn render(&self) -> String {
        let relation = match &self.kind {
            ConstraintKind::Cap { at_most } => format!("{} <= {at_most}", self.target),
            ConstraintKind::Floor { at_least } => format!("{} >= {at_least}", self.target),
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

    /// The short name of the constraint's kind.
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            ConstraintKind::Cap { .. } => "cap",
            ConstraintKind::Floor { .. } => "floor",
            ConstraintKind::Limit { .. } => "limit",
            ConstraintKind::Equal { .. } => "equal",
        }
    }
}

impl RuleBook {
    /// The rule sets whose years cover `year`.
    pub fn rule_sets_for(&self, year: i64) -> Vec<&RuleSet> {
        self.rule_sets
            .iter()
            .filter(|rule_set| rule_set.from <= year && year <= rule_set.to)
            .collect()
    }

    /// Every year some rule set covers, ascending.
    pub fn years(&self) -> Vec<i64> {
        let mut years: Vec<i64> = self
            .rule_sets
            .iter()
            .flat_map(|rule_set| rule_set.from..=rule_set.to)
            .collect();
        years.sort_unstable();
        years.dedup();
        years
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
        o => format!(" - {}", -o),
    }
}
