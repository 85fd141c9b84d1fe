//! The oracle: its own reading of the rule files (spans, `extends`, `remove`, replacement and
//! merging, labels and numbers), sharing nothing with the loader but the TOML parser.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::*;

/// A scale: numbers low to high, and the words (labels and aliases, lower case) of each value.
#[derive(Debug, Clone)]
struct OScale {
    numbers: Vec<i64>,
    words: Vec<Vec<String>>,
}

/// A rule set as written.
#[derive(Debug, Clone)]
struct OSet {
    start: NaiveDate,
    end: Option<NaiveDate>,
    extends: Option<String>,
    remove: Vec<String>,
    /// (id, scale, latent).
    judgements: Vec<(String, String, bool)>,
    constraints: Vec<toml::Table>,
}

/// What the rule files say, read without the loader.
#[derive(Debug, Clone)]
pub struct Oracle {
    scales: BTreeMap<String, OScale>,
    sets: BTreeMap<String, OSet>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OTest {
    AtMost,
    AtLeast,
    Is,
}

#[derive(Debug, Clone)]
pub enum OCond {
    Atom(usize, OTest, usize),
    All(Vec<OCond>),
    Any(Vec<OCond>),
    /// (judgement, rank) pairs, and how many must be at most their rank.
    Count(Vec<(usize, usize)>, usize),
}

#[derive(Debug, Clone)]
pub enum ORel {
    Cap(usize),
    Floor(usize),
    Limit(usize, i64),
    Equal(usize, i64),
}

/// A constraint over the judgements of one period, by index, with values as ranks.
#[derive(Debug, Clone)]
pub struct OConstraint {
    pub id: String,
    pub must: bool,
    pub target: usize,
    pub rel: ORel,
    pub when: Option<OCond>,
}

impl OCond {
    fn holds(&self, ranks: &[usize]) -> bool {
        match self {
            OCond::Atom(j, test, rank) => match test {
                OTest::AtMost => ranks[*j] <= *rank,
                OTest::AtLeast => ranks[*j] >= *rank,
                OTest::Is => ranks[*j] == *rank,
            },
            OCond::All(parts) => parts.iter().all(|p| p.holds(ranks)),
            OCond::Any(parts) => parts.iter().any(|p| p.holds(ranks)),
            OCond::Count(items, n) => items.iter().filter(|(j, r)| ranks[*j] <= *r).count() >= *n,
        }
    }
}

impl OConstraint {
    fn relation(&self, ranks: &[usize]) -> bool {
        let target = ranks[self.target] as i64;
        match &self.rel {
            ORel::Cap(rank) => target <= *rank as i64,
            ORel::Floor(rank) => target >= *rank as i64,
            ORel::Limit(other, offset) => target <= ranks[*other] as i64 + offset,
            ORel::Equal(other, offset) => target == ranks[*other] as i64 + offset,
        }
    }

    pub(super) fn condition(&self, ranks: &[usize]) -> bool {
        self.when.as_ref().is_none_or(|w| w.holds(ranks))
    }

    pub fn holds(&self, ranks: &[usize]) -> bool {
        !self.condition(ranks) || self.relation(ranks)
    }
}

fn date_of(value: &toml::Value, first: bool) -> NaiveDate {
    match value {
        toml::Value::Integer(year) => {
            let year = i32::try_from(*year).expect("a year");
            if first {
                NaiveDate::from_ymd_opt(year, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(year, 12, 31)
            }
            .expect("a day")
        }
        toml::Value::Datetime(datetime) => {
            NaiveDate::parse_from_str(&datetime.to_string(), "%Y-%m-%d").expect("a day")
        }
        other => panic!("not a year or day: {other:?}"),
    }
}

fn text<'t>(table: &'t toml::Table, key: &str) -> &'t str {
    table
        .get(key)
        .and_then(toml::Value::as_str)
        .unwrap_or_else(|| panic!("`{key}` in {table:?}"))
}

impl Oracle {
    /// Read the rule files.
    pub fn read(files: &[(String, String)]) -> Oracle {
        let mut scales = BTreeMap::new();
        let mut sets = BTreeMap::new();
        for (name, source) in files {
            let table: toml::Table =
                toml::from_str(source).unwrap_or_else(|e| panic!("{name}: {e}"));
            for scale in table
                .get("scale")
                .and_then(toml::Value::as_array)
                .into_iter()
                .flatten()
            {
                let scale = scale.as_table().expect("a scale table");
                let mut numbers = Vec::new();
                let mut words = Vec::new();
                for value in scale["values"].as_array().expect("values") {
                    numbers.push(value["number"].as_integer().expect("a number"));
                    let mut names = vec![value["label"].as_str().expect("a label").to_lowercase()];
                    for alias in value
                        .get("aliases")
                        .and_then(toml::Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        names.push(alias.as_str().expect("an alias").to_lowercase());
                    }
                    words.push(names);
                }
                scales.insert(text(scale, "id").to_owned(), OScale { numbers, words });
            }
            let Some(id) = table.get("id").and_then(toml::Value::as_str) else {
                continue;
            };
            let span = table["years"].as_table().expect("years");
            let judgements = table
                .get("judgement")
                .and_then(toml::Value::as_array)
                .into_iter()
                .flatten()
                .map(|j| {
                    let j = j.as_table().expect("a judgement");
                    (
                        text(j, "id").to_owned(),
                        text(j, "scale").to_owned(),
                        j.get("latent")
                            .and_then(toml::Value::as_bool)
                            .unwrap_or(false),
                    )
                })
                .collect();
            let constraints = table
                .get("constraint")
                .and_then(toml::Value::as_array)
                .into_iter()
                .flatten()
                .map(|c| c.as_table().expect("a constraint").clone())
                .collect();
            sets.insert(
                id.to_owned(),
                OSet {
                    start: date_of(&span["from"], true),
                    end: span.get("to").map(|to| date_of(to, false)),
                    extends: table
                        .get("extends")
                        .and_then(toml::Value::as_str)
                        .map(str::to_owned),
                    remove: table
                        .get("remove")
                        .and_then(toml::Value::as_array)
                        .into_iter()
                        .flatten()
                        .map(|r| r.as_str().expect("an id").to_owned())
                        .collect(),
                    judgements,
                    constraints,
                },
            );
        }
        Oracle { scales, sets }
    }

    /// A rule set with what it inherits: judgements (replaced by id) and constraints (less
    /// those removed, replaced by id).
    fn resolved(&self, id: &str) -> (Vec<(String, String, bool)>, Vec<toml::Table>) {
        let set = &self.sets[id];
        let (mut judgements, mut constraints) = match &set.extends {
            Some(parent) => self.resolved(parent),
            None => (Vec::new(), Vec::new()),
        };
        for own in &set.judgements {
            match judgements.iter_mut().find(|j| j.0 == own.0) {
                Some(slot) => *slot = own.clone(),
                None => judgements.push(own.clone()),
            }
        }
        constraints.retain(|c| !set.remove.iter().any(|r| r == text(c, "id")));
        for own in &set.constraints {
            match constraints
                .iter_mut()
                .find(|c| text(c, "id") == text(own, "id"))
            {
                Some(slot) => *slot = own.clone(),
                None => constraints.push(own.clone()),
            }
        }
        (judgements, constraints)
    }

    fn in_force_on(&self, day: NaiveDate) -> Vec<&str> {
        self.sets
            .iter()
            .filter(|(_, s)| s.start <= day && s.end.is_none_or(|end| day <= end))
            .map(|(id, _)| id.as_str())
            .collect()
    }

    /// The first day of each span over which the rule sets in force do not change.
    pub fn epoch_starts(&self) -> Vec<NaiveDate> {
        let mut days: BTreeSet<NaiveDate> = BTreeSet::new();
        for set in self.sets.values() {
            days.insert(set.start);
            if let Some(after) = set.end.and_then(|end| end.succ_opt()) {
                days.insert(after);
            }
        }
        days.into_iter()
            .filter(|&d| !self.in_force_on(d).is_empty())
            .collect()
    }

    /// The rule sets in force for every day of a year.
    pub fn covering_year(&self, year: i32) -> Vec<&str> {
        let first = NaiveDate::from_ymd_opt(year, 1, 1).expect("a day");
        let last = NaiveDate::from_ymd_opt(year, 12, 31).expect("a day");
        // A year in which any rule set starts or ends other than on its first or last day has
        // no rules as a year: which held depends on the day.
        let partly = self.sets.iter().any(|(_, s)| {
            let touches = s.start <= last && s.end.is_none_or(|end| end >= first);
            let covers = s.start <= first && s.end.is_none_or(|end| end >= last);
            touches && !covers
        });
        if partly {
            return Vec::new();
        }
        self.sets
            .iter()
            .filter(|(_, s)| s.start <= first && s.end.is_none_or(|end| end >= last))
            .map(|(id, _)| id.as_str())
            .collect()
    }

    /// The rules in force on a day, merged, for enumeration.
    pub fn on(&self, day: NaiveDate) -> Brute {
        self.period(&self.in_force_on(day))
    }

    /// The rules of some rule sets in force together.
    pub fn period(&self, set_ids: &[&str]) -> Brute {
        let mut judgements: Vec<(String, String, bool)> = Vec::new();
        let mut tables: Vec<toml::Table> = Vec::new();
        for id in set_ids {
            let (own, constraints) = self.resolved(id);
            for judgement in own {
                if !judgements.iter().any(|j| j.0 == judgement.0) {
                    judgements.push(judgement);
                }
            }
            tables.extend(constraints);
        }
        let index = |id: &str| {
            judgements
                .iter()
                .position(|j| j.0 == id)
                .unwrap_or_else(|| panic!("`{id}` is not in force"))
        };
        let scale_of = |j: usize| &self.scales[&judgements[j].1];
        let rank = |j: usize, value: &toml::Value| -> usize {
            let scale = scale_of(j);
            match value {
                toml::Value::Integer(n) => scale.numbers.iter().position(|m| m == n),
                toml::Value::String(word) => {
                    let word = word.to_lowercase();
                    scale.words.iter().position(|w| w.contains(&word))
                }
                _ => None,
            }
            .unwrap_or_else(|| panic!("{value:?} is not on the scale of {}", judgements[j].0))
        };
        fn condition(
            table: &toml::Table,
            index: &dyn Fn(&str) -> usize,
            rank: &dyn Fn(usize, &toml::Value) -> usize,
        ) -> OCond {
            if let Some(judgement) = table.get("judgement").and_then(toml::Value::as_str) {
                let j = index(judgement);
                for (key, test) in [
                    ("at_most", OTest::AtMost),
                    ("at_least", OTest::AtLeast),
                    ("is", OTest::Is),
                ] {
                    if let Some(value) = table.get(key) {
                        return OCond::Atom(j, test, rank(j, value));
                    }
                }
                panic!("a judgement condition without a test: {table:?}");
            }
            for key in ["all", "any"] {
                if let Some(parts) = table.get(key).and_then(toml::Value::as_array) {
                    let parts = parts
                        .iter()
                        .map(|p| condition(p.as_table().expect("a condition"), index, rank))
                        .collect();
                    return if key == "all" {
                        OCond::All(parts)
                    } else {
                        OCond::Any(parts)
                    };
                }
            }
            let count = table["count"].as_table().expect("a count");
            let at_most = &count["at_most"];
            let items = count["of"]
                .as_array()
                .expect("of")
                .iter()
                .map(|j| {
                    let j = index(j.as_str().expect("an id"));
                    (j, rank(j, at_most))
                })
                .collect();
            let n = usize::try_from(count["n"].as_integer().expect("n")).expect("n >= 0");
            OCond::Count(items, n)
        }
        let constraints = tables
            .iter()
            .map(|table| {
                let target = index(text(table, "target"));
                let offset = table
                    .get("offset")
                    .and_then(toml::Value::as_integer)
                    .unwrap_or(0);
                let rel = match text(table, "kind") {
                    "cap" => ORel::Cap(rank(target, &table["at_most"])),
                    "floor" => ORel::Floor(rank(target, &table["at_least"])),
                    "limit" => ORel::Limit(index(text(table, "other")), offset),
                    "equal" => ORel::Equal(index(text(table, "other")), offset),
                    other => panic!("kind {other}"),
                };
                OConstraint {
                    id: text(table, "id").to_owned(),
                    must: text(table, "strength") == "must",
                    target,
                    rel,
                    when: table
                        .get("when")
                        .map(|w| condition(w.as_table().expect("a condition"), &index, &rank)),
                }
            })
            .collect();
        Brute::new(
            judgements
                .iter()
                .enumerate()
                .map(|(j, (id, _, latent))| (id.clone(), scale_of(j).numbers.clone(), *latent))
                .collect(),
            constraints,
        )
    }
}
