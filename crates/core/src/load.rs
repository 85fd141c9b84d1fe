//! Loading a rule directory: parse each file into raw spanned structs, then validate them all
//! into a [`RuleBook`], collecting every problem with its file, line and column.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{did_you_mean, Problem, SourceText};
use crate::graph::find_cycles;
use crate::model::{
    Basis, Cite, Condition, Constraint, ConstraintKind, Judgement, RuleBook, RuleSet, Scale,
    ScaleValue, Strength, Test,
};

/// The most values a scale may have (domains are 64-bit sets).
pub const MAX_SCALE_VALUES: usize = 64;

/// Validate the texts of a rule directory into a rule book, or return every problem found.
///
/// A text holds scales (`[[scale]]`), a rule set (top-level `id`, `title`, `years`, ...), or both.
pub fn load_rules(sources: &[SourceText]) -> Result<RuleBook, Vec<Problem>> {
    let mut loader = Loader::default();
    let mut files = Vec::new();
    for source in sources {
        if let Some(raw) = loader.parse(source) {
            files.push((source, raw));
        }
    }
    loader.collect_scales(&files);
    let declared = loader.collect_rule_sets(&files);
    let book = loader.resolve(declared);
    if loader.problems.is_empty() {
        Ok(book)
    } else {
        let mut problems = loader.problems;
        problems.sort_by(|a, b| {
            (a.file.as_str(), a.line, a.column).cmp(&(b.file.as_str(), b.line, b.column))
        });
        Err(problems)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    scale: Vec<RawScale>,
    id: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
    years: Option<Spanned<RawYears>>,
    extends: Option<Spanned<String>>,
    remove: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    judgement: Vec<RawJudgement>,
    #[serde(default)]
    constraint: Vec<Spanned<RawConstraint>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScale {
    id: Spanned<String>,
    title: String,
    values: Spanned<Vec<Spanned<RawScaleValue>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScaleValue {
    number: Spanned<i64>,
    label: Spanned<String>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawYears {
    from: Spanned<i64>,
    to: Spanned<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJudgement {
    id: Spanned<String>,
    title: String,
    scale: Spanned<String>,
    #[serde(default)]
    latent: bool,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum RawKind {
    Cap,
    Floor,
    Limit,
    Equal,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConstraint {
    id: Spanned<String>,
    text: Spanned<String>,
    strength: Strength,
    basis: Basis,
    cite: RawCite,
    kind: Spanned<RawKind>,
    target: Spanned<String>,
    at_most: Option<Spanned<toml::Value>>,
    at_least: Option<Spanned<toml::Value>>,
    other: Option<Spanned<String>>,
    offset: Option<Spanned<i64>>,
    when: Option<Spanned<RawCondition>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCite {
    source: Spanned<String>,
    locator: Spanned<String>,
    url: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    judgement: Option<Spanned<String>>,
    at_most: Option<Spanned<toml::Value>>,
    at_least: Option<Spanned<toml::Value>>,
    is: Option<Spanned<toml::Value>>,
    all: Option<Vec<Spanned<RawCondition>>>,
    any: Option<Vec<Spanned<RawCondition>>>,
    count: Option<Spanned<RawCount>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCount {
    of: Vec<Spanned<String>>,
    at_most: Spanned<toml::Value>,
    n: Spanned<i64>,
}

/// A rule set as its own file declares it, before inheritance.
struct Declared<'a> {
    source: &'a SourceText,
    id: Spanned<String>,
    title: String,
    from: i64,
    to: i64,
    extends: Option<Spanned<String>>,
    remove: Vec<Spanned<String>>,
    judgements: Vec<&'a RawJudgement>,
    constraints: Vec<&'a Spanned<RawConstraint>>,
}

#[derive(Default)]
struct Loader {
    problems: Vec<Problem>,
    scales: BTreeMap<String, Scale>,
    /// Judgements already reported for naming an unknown scale: not reported again as unknown.
    bad_scale: BTreeSet<String>,
}

impl Loader {
    fn parse(&mut self, source: &SourceText) -> Option<RawFile> {
        if source.text.trim().is_empty() {
            self.problems.push(
                Problem::in_file("empty-file", &source.name, "the rule file is empty").with_help(
                    "a rule file holds `[[scale]]` tables or a rule set; see docs/rules.md",
                ),
            );
            return None;
        }
        match toml::from_str::<RawFile>(&source.text) {
            Ok(raw) => Some(raw),
            Err(error) => {
                let span = error.span().unwrap_or(0..0);
                let message = first_line(error.message());
                let mut problem = Problem::at("invalid-rule-file", source, span, message.clone());
                if let Some(help) = help_for_serde_message(&message) {
                    problem = problem.with_help(help);
                }
                self.problems.push(problem);
                None
            }
        }
    }

    fn collect_scales(&mut self, files: &[(&SourceText, RawFile)]) {
        let mut spans: HashMap<String, ()> = HashMap::new();
        for (source, raw) in files {
            for raw_scale in &raw.scale {
                let id = raw_scale.id.get_ref().clone();
                if spans.insert(id.clone(), ()).is_some() {
                    self.problems.push(Problem::at(
                        "duplicate-id",
                        source,
                        raw_scale.id.span(),
                        format!("scale `{id}` is declared twice"),
                    ));
                    continue;
                }
                let values = raw_scale.values.get_ref();
                if values.is_empty() {
                    self.problems.push(Problem::at(
                        "empty-scale",
                        source,
                        raw_scale.values.span(),
                        format!("scale `{id}` has no values"),
                    ));
                    continue;
                }
                if values.len() > MAX_SCALE_VALUES {
                    self.problems.push(Problem::at(
                        "scale-too-long",
                        source,
                        raw_scale.values.span(),
                        format!(
                            "scale `{id}` has {} values, more than the {MAX_SCALE_VALUES} allowed",
                            values.len()
                        ),
                    ));
                    continue;
                }
                let mut scale_values = Vec::new();
                let mut names: HashMap<String, ()> = HashMap::new();
                let mut previous: Option<i64> = None;
                for value in values {
                    let value = value.get_ref();
                    let number = *value.number.get_ref();
                    if previous.is_some_and(|previous| number <= previous) {
                        self.problems.push(
                            Problem::at(
                                "scale-order",
                                source,
                                value.number.span(),
                                format!("scale `{id}` lists {number} after a value at least as high"),
                            )
                            .with_help("list the values of a scale from low to high, numbers strictly increasing"),
                        );
                    }
                    previous = Some(number);
                    for name in std::iter::once(&value.label).chain(value.aliases.iter()) {
                        let key = name.get_ref().to_lowercase();
                        if names.insert(key, ()).is_some() {
                            self.problems.push(Problem::at(
                                "duplicate-id",
                                source,
                                name.span(),
                                format!("scale `{id}` uses the label `{}` twice", name.get_ref()),
                            ));
                        }
                    }
                    scale_values.push(ScaleValue {
                        number,
                        label: value.label.get_ref().clone(),
                        aliases: value.aliases.iter().map(|a| a.get_ref().clone()).collect(),
                    });
                }
                self.scales.insert(
                    id.clone(),
                    Scale {
                        id,
                        title: raw_scale.title.clone(),
                        values: scale_values,
                    },
                );
            }
        }
    }

    fn collect_rule_sets<'a>(
        &mut self,
        files: &'a [(&'a SourceText, RawFile)],
    ) -> Vec<Declared<'a>> {
        let mut declared: Vec<Declared<'a>> = Vec::new();
        for (source, raw) in files {
            let is_rule_set = raw.id.is_some()
                || raw.title.is_some()
                || raw.years.is_some()
                || raw.extends.is_some()
                || raw.remove.is_some()
                || !raw.judgement.is_empty()
                || !raw.constraint.is_empty();
            if !is_rule_set {
                continue;
            }
            let mut missing = Vec::new();
            if raw.id.is_none() {
                missing.push("id");
            }
            if raw.title.is_none() {
                missing.push("title");
            }
            if raw.years.is_none() {
                missing.push("years");
            }
            if !missing.is_empty() {
                let keys: Vec<String> = missing.iter().map(|key| format!("`{key}`")).collect();
                self.problems.push(
                    Problem::at(
                        "missing-key",
                        source,
                        0..0,
                        format!("the rule set is missing {}", keys.join(", ")),
                    )
                    .with_help(
                        "a rule set needs `id`, `title` and `years = { from = .., to = .. }`",
                    ),
                );
                continue;
            }
            let (Some(id), Some(title), Some(years)) = (&raw.id, &raw.title, &raw.years) else {
                continue;
            };
            let (from, to) = (
                *years.get_ref().from.get_ref(),
                *years.get_ref().to.get_ref(),
            );
            if from > to {
                self.problems.push(Problem::at(
                    "invalid-years",
                    source,
                    years.span(),
                    format!("the years run backwards: from {from} to {to}"),
                ));
                continue;
            }
            if let Some(previous) = declared.iter().find(|d| d.id.get_ref() == id.get_ref()) {
                self.problems.push(
                    Problem::at(
                        "duplicate-id",
                        source,
                        id.span(),
                        format!("rule set `{}` is declared twice", id.get_ref()),
                    )
                    .with_help(format!("the other is in `{}`", previous.source.name)),
                );
                continue;
            }
            declared.push(Declared {
                source,
                id: id.clone(),
                title: title.get_ref().clone(),
                from,
                to,
                extends: raw.extends.clone(),
                remove: raw.remove.clone().unwrap_or_default(),
                judgements: raw.judgement.iter().collect(),
                constraints: raw.constraint.iter().collect(),
            });
        }
        declared.sort_by(|a, b| a.id.get_ref().cmp(b.id.get_ref()));
        declared
    }

    /// Resolve `extends`, check every reference, and build the rule book.
    fn resolve(&mut self, declared: Vec<Declared<'_>>) -> RuleBook {
        let by_id: HashMap<&str, usize> = declared
            .iter()
            .enumerate()
            .map(|(index, d)| (d.id.get_ref().as_str(), index))
            .collect();

        // Parents must exist, and the extends chains must not loop.
        let mut parent_of: Vec<Option<usize>> = vec![None; declared.len()];
        for (index, d) in declared.iter().enumerate() {
            let Some(parent) = &d.extends else { continue };
            match by_id.get(parent.get_ref().as_str()) {
                Some(&parent_index) => parent_of[index] = Some(parent_index),
                None => {
                    let mut problem = Problem::at(
                        "unknown-rule-set",
                        d.source,
                        parent.span(),
                        format!(
                            "rule set `{}` extends `{}`, which does not exist",
                            d.id.get_ref(),
                            parent.get_ref()
                        ),
                    );
                    if let Some(help) = did_you_mean(parent.get_ref(), by_id.keys().copied()) {
                        problem = problem.with_help(help);
                    }
                    self.problems.push(problem);
                }
            }
        }
        let mut looping = vec![false; declared.len()];
        for start in 0..declared.len() {
            let mut chain = vec![start];
            let mut current = start;
            while let Some(parent) = parent_of[current] {
                if let Some(position) = chain.iter().position(|&c| c == parent) {
                    let cycle = &chain[position..];
                    if cycle.iter().min() == Some(&start) {
                        let names: Vec<String> = cycle
                            .iter()
                            .map(|&c| format!("`{}`", declared[c].id.get_ref()))
                            .collect();
                        let extends = declared[start].extends.as_ref().map_or(0..0, |e| e.span());
                        self.problems.push(Problem::at(
                            "extends-cycle",
                            declared[start].source,
                            extends,
                            format!("`extends` loops: {} extend each other", names.join(", ")),
                        ));
                    }
                    for &member in &chain {
                        looping[member] = true;
                    }
                    break;
                }
                chain.push(parent);
                current = parent;
            }
        }

        // Resolve in an order where parents come first.
        let mut resolved: Vec<Option<RuleSet>> = vec![None; declared.len()];
        let mut remaining: Vec<usize> = (0..declared.len()).filter(|&i| !looping[i]).collect();
        while !remaining.is_empty() {
            let before = remaining.len();
            remaining.retain(|&index| {
                let parent = match (parent_of[index], &declared[index].extends) {
                    (Some(parent), _) => match &resolved[parent] {
                        Some(parent) => Some(parent.clone()),
                        None => return true,
                    },
                    (None, Some(_)) => return false, // missing parent, already reported
                    (None, None) => None,
                };
                resolved[index] = Some(self.inherit(&declared[index], parent.as_ref()));
                false
            });
            if remaining.len() == before {
                break;
            }
        }
        let rule_sets: Vec<RuleSet> = resolved.into_iter().flatten().collect();

        let resolved_constraints = self.check_references(&declared, &rule_sets);
        let mut rule_sets = rule_sets;
        for rule_set in &mut rule_sets {
            for constraint in &mut rule_set.constraints {
                let key = (constraint.declared_in.clone(), constraint.id.clone());
                if let Some(resolved) = resolved_constraints.get(&key) {
                    *constraint = resolved.clone();
                }
            }
        }
        self.check_inherited(&declared, &rule_sets);
        if self.problems.is_empty() {
            self.check_years(&rule_sets, &declared);
        }
        RuleBook {
            scales: self.scales.clone(),
            rule_sets,
        }
    }

    /// Combine a declared rule set with its resolved parent.
    fn inherit(&mut self, d: &Declared<'_>, parent: Option<&RuleSet>) -> RuleSet {
        let mut judgements: Vec<Judgement> =
            parent.map(|p| p.judgements.clone()).unwrap_or_default();
        let mut own_judgements = BTreeSet::new();
        for raw in &d.judgements {
            let id = raw.id.get_ref();
            if !own_judgements.insert(id.clone()) {
                self.problems.push(Problem::at(
                    "duplicate-id",
                    d.source,
                    raw.id.span(),
                    format!(
                        "judgement `{id}` is declared twice in rule set `{}`",
                        d.id.get_ref()
                    ),
                ));
                continue;
            }
            if !is_namespaced(id) {
                self.problems.push(
                    Problem::at(
                        "invalid-id",
                        d.source,
                        raw.id.span(),
                        format!("judgement id `{id}` has no namespace"),
                    )
                    .with_help(
                        "write judgement ids as `framework.name`, such as `apa.staying_safe`",
                    ),
                );
            }
            if !self.scales.contains_key(raw.scale.get_ref()) {
                let mut problem = Problem::at(
                    "unknown-scale",
                    d.source,
                    raw.scale.span(),
                    format!(
                        "judgement `{id}` uses scale `{}`, which does not exist",
                        raw.scale.get_ref()
                    ),
                );
                if let Some(help) =
                    did_you_mean(raw.scale.get_ref(), self.scales.keys().map(String::as_str))
                {
                    problem = problem.with_help(help);
                }
                self.problems.push(problem);
                self.bad_scale.insert(id.clone());
                continue;
            }
            let judgement = Judgement {
                id: id.clone(),
                title: raw.title.clone(),
                scale: raw.scale.get_ref().clone(),
                latent: raw.latent,
            };
            match judgements.iter_mut().find(|j| &j.id == id) {
                Some(inherited) => *inherited = judgement,
                None => judgements.push(judgement),
            }
        }

        let mut constraints: Vec<Constraint> =
            parent.map(|p| p.constraints.clone()).unwrap_or_default();
        for removed in &d.remove {
            let before = constraints.len();
            constraints.retain(|c| &c.id != removed.get_ref());
            if constraints.len() == before {
                let mut problem = Problem::at(
                    "unmatched-remove",
                    d.source,
                    removed.span(),
                    format!(
                        "`remove` names `{}`, which is not an inherited constraint",
                        removed.get_ref()
                    ),
                );
                if let Some(help) = did_you_mean(
                    removed.get_ref(),
                    parent
                        .into_iter()
                        .flat_map(|p| p.constraints.iter().map(|c| c.id.as_str())),
                ) {
                    problem = problem.with_help(help);
                }
                self.problems.push(problem);
            }
        }
        let mut own_constraints = BTreeSet::new();
        for raw in &d.constraints {
            let id = raw.get_ref().id.get_ref();
            if !own_constraints.insert(id.clone()) {
                self.problems.push(Problem::at(
                    "duplicate-id",
                    d.source,
                    raw.get_ref().id.span(),
                    format!(
                        "constraint `{id}` is declared twice in rule set `{}`",
                        d.id.get_ref()
                    ),
                ));
                continue;
            }
            // Values are resolved later, once every judgement of every year is known: here the
            // constraint gets placeholder numbers, replaced in `resolve` (or reported).
            if let Some(constraint) = self.shape_constraint(d, raw) {
                match constraints.iter_mut().find(|c| &c.id == id) {
                    Some(inherited) => *inherited = constraint,
                    None => constraints.push(constraint),
                }
            }
        }
        RuleSet {
            id: d.id.get_ref().clone(),
            title: d.title.clone(),
            from: d.from,
            to: d.to,
            extends: d.extends.as_ref().map(|e| e.get_ref().clone()),
            file: d.source.name.clone(),
            judgements,
            constraints,
        }
    }

    /// Check a constraint's keys against its kind; values are resolved in `check_references`.
    fn shape_constraint(
        &mut self,
        d: &Declared<'_>,
        raw: &Spanned<RawConstraint>,
    ) -> Option<Constraint> {
        let c = raw.get_ref();
        let kind = *c.kind.get_ref();
        let kind_name = match kind {
            RawKind::Cap => "cap",
            RawKind::Floor => "floor",
            RawKind::Limit => "limit",
            RawKind::Equal => "equal",
        };
        let (needs, forbids): (&[&str], &[&str]) = match kind {
            RawKind::Cap => (&["at_most"], &["at_least", "other", "offset"]),
            RawKind::Floor => (&["at_least"], &["at_most", "other", "offset"]),
            RawKind::Limit => (&["other"], &["at_most", "at_least"]),
            RawKind::Equal => (&["other"], &["at_most", "at_least"]),
        };
        let present = |key: &str| match key {
            "at_most" => c.at_most.as_ref().map(|v| v.span()),
            "at_least" => c.at_least.as_ref().map(|v| v.span()),
            "other" => c.other.as_ref().map(|v| v.span()),
            "offset" => c.offset.as_ref().map(|v| v.span()),
            _ => None,
        };
        let mut ok = true;
        for key in needs {
            if present(key).is_none() {
                self.problems.push(
                    Problem::at(
                        "missing-key",
                        d.source,
                        c.kind.span(),
                        format!("a `{kind_name}` constraint needs `{key}`"),
                    )
                    .with_help(kind_help(kind_name)),
                );
                ok = false;
            }
        }
        for key in forbids {
            if let Some(span) = present(key) {
                self.problems.push(
                    Problem::at(
                        "unexpected-key",
                        d.source,
                        span,
                        format!("a `{kind_name}` constraint takes no `{key}`"),
                    )
                    .with_help(kind_help(kind_name)),
                );
                ok = false;
            }
        }
        if c.text.get_ref().trim().is_empty() {
            self.problems.push(Problem::at(
                "missing-key",
                d.source,
                c.text.span(),
                "the constraint's `text` is empty",
            ));
            ok = false;
        }
        if c.cite.source.get_ref().trim().is_empty() || c.cite.locator.get_ref().trim().is_empty() {
            self.problems.push(Problem::at(
                "missing-key",
                d.source,
                c.cite.source.span(),
                "the constraint's `cite` needs a non-empty `source` and `locator`",
            ));
            ok = false;
        }
        if !ok {
            return None;
        }
        let kind = match kind {
            RawKind::Cap => ConstraintKind::Cap { at_most: 0 },
            RawKind::Floor => ConstraintKind::Floor { at_least: 0 },
            RawKind::Limit => ConstraintKind::Limit {
                other: c.other.as_ref()?.get_ref().clone(),
                offset: c.offset.as_ref().map_or(0, |o| *o.get_ref()),
            },
            RawKind::Equal => ConstraintKind::Equal {
                other: c.other.as_ref()?.get_ref().clone(),
                offset: c.offset.as_ref().map_or(0, |o| *o.get_ref()),
            },
        };
        Some(Constraint {
            id: c.id.get_ref().clone(),
            text: c.text.get_ref().trim().to_owned(),
            strength: c.strength,
            basis: c.basis,
            cite: Cite {
                source: c.cite.source.get_ref().clone(),
                locator: c.cite.locator.get_ref().clone(),
                url: c.cite.url.clone(),
            },
            target: c.target.get_ref().clone(),
            kind,
            when: None,
            declared_in: d.id.get_ref().clone(),
        })
    }

    /// Resolve every judgement reference and value of every declared constraint, in every year
    /// its rule set covers. Returns the resolved constraints by (declaring rule set, id).
    fn check_references(
        &mut self,
        declared: &[Declared<'_>],
        rule_sets: &[RuleSet],
    ) -> HashMap<(String, String), Constraint> {
        let by_year = judgements_by_year(rule_sets);
        let mut resolved = HashMap::new();
        for d in declared {
            let Some(rule_set) = rule_sets.iter().find(|r| r.id == *d.id.get_ref()) else {
                continue;
            };
            let context = RefContext {
                source: d.source,
                rule_set: d.id.get_ref(),
                years: (d.from, d.to),
                by_year: &by_year,
                scales: &self.scales,
                bad_scale: &self.bad_scale,
            };
            for raw in &d.constraints {
                let id = raw.get_ref().id.get_ref();
                let Some(shaped) = rule_set
                    .constraints
                    .iter()
                    .find(|c| &c.id == id && c.declared_in == *d.id.get_ref())
                else {
                    continue;
                };
                if let Some(constraint) =
                    context.resolve_constraint(raw.get_ref(), shaped.clone(), &mut self.problems)
                {
                    resolved.insert((d.id.get_ref().clone(), id.clone()), constraint);
                }
            }
        }
        resolved
    }

    /// Inherited constraints (now resolved, conditions included) must find every judgement they
    /// read in the inheriting rule set's own years too.
    fn check_inherited(&mut self, declared: &[Declared<'_>], rule_sets: &[RuleSet]) {
        let by_year = judgements_by_year(rule_sets);
        for d in declared {
            let Some(rule_set) = rule_sets.iter().find(|r| r.id == *d.id.get_ref()) else {
                continue;
            };
            // Inherited constraints must find their judgements in the child's years too.
            let Some(extends) = &d.extends else { continue };
            for constraint in rule_set
                .constraints
                .iter()
                .filter(|c| c.declared_in != *d.id.get_ref())
            {
                for judgement in constraint.judgements() {
                    let missing: Vec<i64> = (d.from..=d.to)
                        .filter(|year| {
                            !by_year.get(year).is_some_and(|t| t.contains_key(judgement))
                        })
                        .collect();
                    if !missing.is_empty() {
                        self.problems.push(Problem::at(
                            "unknown-judgement",
                            d.source,
                            extends.span(),
                            format!(
                                "inherited constraint `{}` reads `{judgement}`, which no rule set declares for {}",
                                constraint.id,
                                list_years(&missing)
                            ),
                        ));
                    }
                }
            }
        }
    }

    /// Per year: no judgement or constraint declared by two rule sets, and no cycle.
    fn check_years(&mut self, rule_sets: &[RuleSet], declared: &[Declared<'_>]) {
        let years: BTreeSet<i64> = rule_sets.iter().flat_map(|r| r.from..=r.to).collect();
        let mut reported: BTreeSet<String> = BTreeSet::new();
        for year in years {
            let covering: Vec<&RuleSet> = rule_sets
                .iter()
                .filter(|r| r.from <= year && year <= r.to)
                .collect();
            let mut judgement_owner: HashMap<&str, &str> = HashMap::new();
            let mut constraint_owner: HashMap<&str, &str> = HashMap::new();
            for rule_set in &covering {
                for judgement in &rule_set.judgements {
                    if let Some(first) = judgement_owner.insert(&judgement.id, &rule_set.id) {
                        let key = format!("j {} {first} {}", judgement.id, rule_set.id);
                        if reported.insert(key) {
                            let (source, span) = locate(declared, &rule_set.id, |d| {
                                d.judgements
                                    .iter()
                                    .find(|j| *j.id.get_ref() == judgement.id)
                                    .map(|j| j.id.span())
                            });
                            self.problems.push(Problem::at(
                                "duplicate-id",
                                source,
                                span,
                                format!("judgement `{}` is declared by both `{first}` and `{}` for {year}", judgement.id, rule_set.id),
                            ).with_help("declare each judgement in one rule set; others may refer to it"));
                        }
                    }
                }
                for constraint in &rule_set.constraints {
                    if let Some(first) = constraint_owner.insert(&constraint.id, &rule_set.id) {
                        let key = format!("c {} {first} {}", constraint.id, rule_set.id);
                        if reported.insert(key) {
                            let (source, span) = locate(declared, &rule_set.id, |d| {
                                d.constraints
                                    .iter()
                                    .find(|c| *c.get_ref().id.get_ref() == constraint.id)
                                    .map(|c| c.get_ref().id.span())
                            });
                            self.problems.push(Problem::at(
                                "duplicate-id",
                                source,
                                span,
                                format!("constraint `{}` is declared by both `{first}` and `{}` for {year}", constraint.id, rule_set.id),
                            ));
                        }
                    }
                }
            }
            let constraints: Vec<&Constraint> =
                covering.iter().flat_map(|r| r.constraints.iter()).collect();
            for cycle in find_cycles(&constraints) {
                let key = format!("cycle {}", cycle.judgements.join(" "));
                if !reported.insert(key) {
                    continue;
                }
                let owner = covering
                    .iter()
                    .find(|r| r.constraints.iter().any(|c| c.id == cycle.constraints[0]))
                    .map_or("", |r| r.id.as_str());
                let (source, span) = locate(declared, owner, |d| {
                    d.constraints
                        .iter()
                        .find(|c| *c.get_ref().id.get_ref() == cycle.constraints[0])
                        .map(|c| c.get_ref().id.span())
                });
                let mut path: Vec<String> =
                    cycle.judgements.iter().map(|j| format!("`{j}`")).collect();
                path.push(path[0].clone());
                self.problems.push(
                    Problem::at(
                        "graph-cycle",
                        source,
                        span,
                        format!(
                            "the judgement graph for {year} has a cycle: {}",
                            path.join(" -> ")
                        ),
                    )
                    .with_help(format!(
                        "constraints on the cycle: {}; a judgement may not depend on itself",
                        cycle
                            .constraints
                            .iter()
                            .map(|c| format!("`{c}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                );
            }
        }
    }
}

/// Which judgements (with their scale) each year has.
fn judgements_by_year(rule_sets: &[RuleSet]) -> BTreeMap<i64, BTreeMap<String, String>> {
    let mut by_year: BTreeMap<i64, BTreeMap<String, String>> = BTreeMap::new();
    for rule_set in rule_sets {
        for year in rule_set.from..=rule_set.to {
            let table = by_year.entry(year).or_default();
            for judgement in &rule_set.judgements {
                table
                    .entry(judgement.id.clone())
                    .or_insert_with(|| judgement.scale.clone());
            }
        }
    }
    by_year
}

/// The source and span of something in a declared rule set; falls back to its `extends` (for
/// inherited items) and then to the start of its file.
fn locate<'a>(
    declared: &'a [Declared<'a>],
    rule_set: &str,
    find: impl Fn(&Declared<'a>) -> Option<Range<usize>>,
) -> (&'a SourceText, Range<usize>) {
    let d = declared
        .iter()
        .find(|d| *d.id.get_ref() == rule_set)
        .unwrap_or(&declared[0]);
    let span = find(d)
        .or_else(|| d.extends.as_ref().map(|e| e.span()))
        .unwrap_or(d.id.span());
    (d.source, span)
}

struct RefContext<'a> {
    source: &'a SourceText,
    rule_set: &'a str,
    years: (i64, i64),
    by_year: &'a BTreeMap<i64, BTreeMap<String, String>>,
    scales: &'a BTreeMap<String, Scale>,
    bad_scale: &'a BTreeSet<String>,
}

impl RefContext<'_> {
    /// The scale of a judgement that must exist in every year of the rule set, or a problem.
    fn judgement_scale(
        &self,
        name: &Spanned<String>,
        problems: &mut Vec<Problem>,
    ) -> Option<&Scale> {
        let id = name.get_ref();
        if self.bad_scale.contains(id) {
            // Already reported where the judgement names its scale; the rule book is not
            // returned, so the unresolved reference needs no second report.
            return None;
        }
        let (from, to) = self.years;
        let missing: Vec<i64> = (from..=to)
            .filter(|year| !self.by_year.get(year).is_some_and(|t| t.contains_key(id)))
            .collect();
        if !missing.is_empty() {
            let all_known = self
                .by_year
                .values()
                .flat_map(|t| t.keys().map(String::as_str));
            let message = if missing.len() as i64 == to - from + 1
                && !self.by_year.values().any(|t| t.contains_key(id))
            {
                format!("unknown judgement `{id}`")
            } else {
                format!(
                    "judgement `{id}` is not declared for {}, which rule set `{}` covers",
                    list_years(&missing),
                    self.rule_set
                )
            };
            let mut problem = Problem::at("unknown-judgement", self.source, name.span(), message);
            if let Some(help) = did_you_mean(id, all_known.collect::<BTreeSet<_>>()) {
                problem = problem.with_help(help);
            }
            problems.push(problem);
            return None;
        }
        let scale_id = self.by_year.get(&from).and_then(|t| t.get(id))?;
        self.scales.get(scale_id)
    }

    fn resolve_constraint(
        &self,
        raw: &RawConstraint,
        mut constraint: Constraint,
        problems: &mut Vec<Problem>,
    ) -> Option<Constraint> {
        let before = problems.len();
        let target_scale = self.judgement_scale(&raw.target, problems);
        if let Some(other) = &raw.other {
            self.judgement_scale(other, problems);
        }
        if let Some(scale) = target_scale {
            match &mut constraint.kind {
                ConstraintKind::Cap { at_most } => {
                    if let Some(value) = raw
                        .at_most
                        .as_ref()
                        .and_then(|v| self.value(v, scale, &raw.target, problems))
                    {
                        *at_most = value;
                    }
                }
                ConstraintKind::Floor { at_least } => {
                    if let Some(value) = raw
                        .at_least
                        .as_ref()
                        .and_then(|v| self.value(v, scale, &raw.target, problems))
                    {
                        *at_least = value;
                    }
                }
                ConstraintKind::Limit { .. } | ConstraintKind::Equal { .. } => {}
            }
        }
        if let Some(when) = &raw.when {
            constraint.when = self.condition(when, problems);
        }
        (problems.len() == before).then_some(constraint)
    }

    fn condition(
        &self,
        raw: &Spanned<RawCondition>,
        problems: &mut Vec<Problem>,
    ) -> Option<Condition> {
        let c = raw.get_ref();
        let forms = [
            c.judgement.is_some(),
            c.all.is_some(),
            c.any.is_some(),
            c.count.is_some(),
        ];
        if forms.iter().filter(|&&f| f).count() != 1 {
            problems.push(
                Problem::at(
                    "invalid-condition",
                    self.source,
                    raw.span(),
                    "a condition needs exactly one of `judgement`, `all`, `any`, `count`",
                )
                .with_help("for example `when = { judgement = \"apa.staying_safe\", is = 1 }`"),
            );
            return None;
        }
        let tests = [
            (Test::AtMost, &c.at_most),
            (Test::AtLeast, &c.at_least),
            (Test::Is, &c.is),
        ];
        if let Some(judgement) = &c.judgement {
            let given: Vec<_> = tests.iter().filter(|(_, v)| v.is_some()).collect();
            if given.len() != 1 {
                problems.push(Problem::at(
                    "invalid-condition",
                    self.source,
                    raw.span(),
                    "a judgement condition needs exactly one of `at_most`, `at_least`, `is`",
                ));
                return None;
            }
            let (test, value) = given[0];
            let scale = self.judgement_scale(judgement, problems)?;
            let number = self.value(value.as_ref()?, scale, judgement, problems)?;
            return Some(Condition::Judgement {
                judgement: judgement.get_ref().clone(),
                test: *test,
                value: number,
            });
        }
        if let Some((_, value)) = tests.iter().find(|(_, v)| v.is_some()) {
            if let Some(value) = value {
                problems.push(Problem::at(
                    "unexpected-key",
                    self.source,
                    value.span(),
                    "`at_most`, `at_least` and `is` go with `judgement`, not with `all`, `any` or `count`",
                ));
            }
            return None;
        }
        let nested = |parts: &Vec<Spanned<RawCondition>>,
                      problems: &mut Vec<Problem>|
         -> Option<Vec<Condition>> {
            if parts.is_empty() {
                problems.push(Problem::at(
                    "invalid-condition",
                    self.source,
                    raw.span(),
                    "`all` and `any` need at least one condition",
                ));
                return None;
            }
            let resolved: Vec<Option<Condition>> =
                parts.iter().map(|p| self.condition(p, problems)).collect();
            resolved.into_iter().collect()
        };
        if let Some(parts) = &c.all {
            return nested(parts, problems).map(Condition::All);
        }
        if let Some(parts) = &c.any {
            return nested(parts, problems).map(Condition::Any);
        }
        let count = c.count.as_ref()?;
        let raw_count = count.get_ref();
        let n = *raw_count.n.get_ref();
        if n < 1 || n as usize > raw_count.of.len() {
            problems.push(Problem::at(
                "invalid-condition",
                self.source,
                raw_count.n.span(),
                format!(
                    "`n = {n}` must be between 1 and the {} judgements listed in `of`",
                    raw_count.of.len()
                ),
            ));
            return None;
        }
        let mut of = Vec::new();
        let mut number: Option<i64> = None;
        for judgement in &raw_count.of {
            if of.contains(judgement.get_ref()) {
                problems.push(Problem::at(
                    "duplicate-id",
                    self.source,
                    judgement.span(),
                    format!("`{}` is listed twice in `of`", judgement.get_ref()),
                ));
                return None;
            }
            let scale = self.judgement_scale(judgement, problems)?;
            let value = self.value(&raw_count.at_most, scale, judgement, problems)?;
            if number.is_some_and(|n| n != value) {
                problems.push(Problem::at(
                    "invalid-value",
                    self.source,
                    raw_count.at_most.span(),
                    "`at_most` means different numbers on the scales of the judgements counted; write a number",
                ));
                return None;
            }
            number = Some(value);
            of.push(judgement.get_ref().clone());
        }
        Some(Condition::Count {
            of,
            at_most: number?,
            n: n as usize,
        })
    }

    /// A value written as a number or a label, resolved on a judgement's scale.
    fn value(
        &self,
        raw: &Spanned<toml::Value>,
        scale: &Scale,
        judgement: &Spanned<String>,
        problems: &mut Vec<Problem>,
    ) -> Option<i64> {
        let labels = || scale.listing();
        let found = match raw.get_ref() {
            toml::Value::Integer(number) => scale.by_number(*number).map(|v| v.number),
            toml::Value::String(text) => scale.find(text).map(|v| v.number),
            toml::Value::Float(number) => {
                problems.push(Problem::at(
                    "invalid-value",
                    self.source,
                    raw.span(),
                    format!("`{number}` is not a value of scale `{}`: values are whole numbers or labels", scale.id),
                ).with_help(format!("scale `{}` is {}", scale.id, labels())));
                return None;
            }
            other => {
                problems.push(Problem::at(
                    "invalid-value",
                    self.source,
                    raw.span(),
                    format!("expected a number or a label, found a {}", other.type_str()),
                ));
                return None;
            }
        };
        if found.is_none() {
            let shown = match raw.get_ref() {
                toml::Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            let mut problem = Problem::at(
                "value-off-scale",
                self.source,
                raw.span(),
                format!(
                    "`{shown}` is not on scale `{}` of judgement `{}`",
                    scale.id,
                    judgement.get_ref()
                ),
            );
            let names = scale.values.iter().flat_map(|v| {
                std::iter::once(v.label.as_str()).chain(v.aliases.iter().map(String::as_str))
            });
            problem = problem.with_help(match did_you_mean(&shown, names) {
                Some(help) => help,
                None => format!("scale `{}` is {}", scale.id, labels()),
            });
            problems.push(problem);
        }
        found
    }
}

fn kind_help(kind: &str) -> &'static str {
    match kind {
        "cap" => "a cap is `kind = \"cap\"`, `target`, `at_most` and usually `when`",
        "floor" => "a floor is `kind = \"floor\"`, `target`, `at_least` and usually `when`",
        "limit" => "a limit is `kind = \"limit\"`, `target`, `other`, optional `offset` and `when`",
        _ => "an equal is `kind = \"equal\"`, `target`, `other`, optional `offset` and `when`",
    }
}

fn is_namespaced(id: &str) -> bool {
    let mut parts = id.split('.');
    let valid = |part: &str| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    matches!((parts.next(), parts.next(), parts.next()), (Some(a), Some(b), None) if valid(a) && valid(b))
}

fn first_line(message: &str) -> String {
    message
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .trim_end_matches('.')
        .to_owned()
}

fn help_for_serde_message(message: &str) -> Option<String> {
    if message.starts_with("unknown field") {
        Some("see docs/rules.md for the keys each table takes".to_owned())
    } else if message.starts_with("missing field") {
        Some(
            "every key of the rule language is required unless docs/rules.md marks it optional"
                .to_owned(),
        )
    } else {
        None
    }
}

pub(crate) fn list_years(years: &[i64]) -> String {
    let listed: Vec<String> = years.iter().map(i64::to_string).collect();
    listed.join(", ")
}
