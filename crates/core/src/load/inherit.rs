//! Rule sets with `extends` resolved: each gets its parent's judgements and constraints, its
//! own replacing inherited ones of the same id, less those it removes. Constraints stay as
//! written ([`Shaped`]) until `resolve` reads their values in the inheriting rule set's own
//! periods.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use toml::Spanned;

use crate::code::Code;
use crate::diagnostic::{did_you_mean, Problem, SourceText};
use crate::model::{Judgement, Scale, Span};

use super::raw::{Broken, RawConstraint, RawFile, RawRuleSet};

/// A rule set with its inheritance resolved.
pub(super) struct Inherited<'a> {
    pub source: &'a SourceText,
    pub id: String,
    pub id_span: Range<usize>,
    pub title: String,
    pub span: Span,
    /// What the rule set judges: its own `subject`, else its parent's, else local authorities.
    pub subject: String,
    pub extends: Option<Spanned<String>>,
    pub judgements: Vec<Judgement>,
    /// Where each own judgement is declared, for messages.
    pub judgement_spans: BTreeMap<String, Range<usize>>,
    pub constraints: Vec<Shaped<'a>>,
    /// Judgement names not to report as unknown: declared by items that could not be read.
    pub suppressed: BTreeSet<String>,
}

/// A constraint as written, with the file and rule set that declare it.
#[derive(Clone, Copy)]
pub(super) struct Shaped<'a> {
    pub raw: &'a RawConstraint,
    pub source: &'a SourceText,
    pub declared_in: &'a str,
}

/// Every rule set that could be read, with `extends` resolved, in the order of their ids.
pub(super) fn rule_sets<'a>(
    files: &'a [RawFile<'a>],
    scales: &BTreeMap<String, Scale>,
    broken: &Broken,
    problems: &mut Vec<Problem>,
) -> Vec<Inherited<'a>> {
    let mut declared: Vec<(&'a SourceText, &'a RawRuleSet, Span)> = Vec::new();
    for file in files {
        let Some(rule_set) = &file.rule_set else {
            continue;
        };
        let Some(raw_span) = &rule_set.span else {
            continue;
        };
        if let Some((other, _, _)) = declared
            .iter()
            .find(|(_, d, _)| d.id.get_ref() == rule_set.id.get_ref())
        {
            problems.push(
                Problem::at(
                    Code::DuplicateId,
                    file.source,
                    rule_set.id.span(),
                    format!("rule set `{}` is declared twice", rule_set.id.get_ref()),
                )
                .with_help(format!("the other is in `{}`", other.name)),
            );
            continue;
        }
        declared.push((
            file.source,
            rule_set,
            Span {
                start: raw_span.start,
                end: raw_span.end,
            },
        ));
    }
    declared.sort_by(|a, b| a.1.id.get_ref().cmp(b.1.id.get_ref()));
    let by_id: HashMap<&str, usize> = declared
        .iter()
        .enumerate()
        .map(|(index, (_, d, _))| (d.id.get_ref().as_str(), index))
        .collect();

    // Parents must exist, and the extends chains must not loop.
    let mut parent_of: Vec<Option<usize>> = vec![None; declared.len()];
    let mut orphan = vec![false; declared.len()];
    for (index, (source, d, _)) in declared.iter().enumerate() {
        let Some(parent) = &d.extends else { continue };
        match by_id.get(parent.get_ref().as_str()) {
            Some(&parent_index) => parent_of[index] = Some(parent_index),
            None => {
                orphan[index] = true;
                if broken.rule_sets.contains(parent.get_ref()) {
                    continue;
                }
                let mut problem = Problem::at(
                    Code::UnknownRuleSet,
                    source,
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
                problems.push(problem);
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
                        .map(|&c| format!("`{}`", declared[c].1.id.get_ref()))
                        .collect();
                    let extends = declared[start]
                        .1
                        .extends
                        .as_ref()
                        .map_or(0..0, Spanned::span);
                    problems.push(Problem::at(
                        Code::ExtendsCycle,
                        declared[start].0,
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
    let mut resolved: Vec<Option<Inherited<'a>>> = (0..declared.len()).map(|_| None).collect();
    let mut remaining: Vec<usize> = (0..declared.len())
        .filter(|&i| !looping[i] && !orphan[i])
        .collect();
    while !remaining.is_empty() {
        let before = remaining.len();
        let mut still = Vec::new();
        for index in remaining {
            let parent = match parent_of[index] {
                Some(parent) => match &resolved[parent] {
                    Some(parent) => Some(parent),
                    None => {
                        still.push(index);
                        continue;
                    }
                },
                None => None,
            };
            let (source, d, span) = declared[index];
            let inherited = inherit(source, d, span, parent, scales, broken, problems);
            resolved[index] = Some(inherited);
        }
        remaining = still;
        if remaining.len() == before {
            break;
        }
    }
    resolved.into_iter().flatten().collect()
}

fn inherit<'a>(
    source: &'a SourceText,
    d: &'a RawRuleSet,
    span: Span,
    parent: Option<&Inherited<'a>>,
    scales: &BTreeMap<String, Scale>,
    broken: &Broken,
    problems: &mut Vec<Problem>,
) -> Inherited<'a> {
    let rule_set = d.id.get_ref();
    let mut judgements: Vec<Judgement> = parent.map(|p| p.judgements.clone()).unwrap_or_default();
    let mut judgement_at: HashMap<String, usize> = judgements
        .iter()
        .enumerate()
        .map(|(i, j)| (j.id.clone(), i))
        .collect();
    let mut suppressed: BTreeSet<String> = parent.map(|p| p.suppressed.clone()).unwrap_or_default();
    let mut judgement_spans = BTreeMap::new();
    for raw in &d.judgements {
        let id = raw.id.get_ref();
        if judgement_spans.contains_key(id) {
            problems.push(Problem::at(
                Code::DuplicateId,
                source,
                raw.id.span(),
                format!("judgement `{id}` is declared twice in rule set `{rule_set}`"),
            ));
            continue;
        }
        judgement_spans.insert(id.clone(), raw.id.span());
        if !is_namespaced(id) {
            problems.push(
                Problem::at(
                    Code::InvalidId,
                    source,
                    raw.id.span(),
                    format!("judgement id `{id}` has no namespace"),
                )
                .with_help("write judgement ids as `framework.name`, such as `apa.staying_safe`"),
            );
        }
        if !scales.contains_key(raw.scale.get_ref()) {
            suppressed.insert(id.clone());
            if !broken.scales.contains(raw.scale.get_ref()) {
                let mut problem = Problem::at(
                    Code::UnknownScale,
                    source,
                    raw.scale.span(),
                    format!(
                        "judgement `{id}` uses scale `{}`, which does not exist",
                        raw.scale.get_ref()
                    ),
                );
                if let Some(help) =
                    did_you_mean(raw.scale.get_ref(), scales.keys().map(String::as_str))
                {
                    problem = problem.with_help(help);
                }
                problems.push(problem);
            }
            continue;
        }
        let judgement = Judgement {
            id: id.clone(),
            title: raw.title.clone(),
            scale: raw.scale.get_ref().clone(),
            latent: raw.latent,
            aliases: raw.aliases.clone(),
        };
        match judgement_at.get(id) {
            Some(&at) => judgements[at] = judgement,
            None => {
                judgement_at.insert(id.clone(), judgements.len());
                judgements.push(judgement);
            }
        }
    }

    let mut constraints: Vec<Shaped<'a>> =
        parent.map(|p| p.constraints.clone()).unwrap_or_default();
    for removed in &d.remove {
        let before = constraints.len();
        constraints.retain(|c| c.raw.id.get_ref() != removed.get_ref());
        if constraints.len() == before && !broken.constraints.contains(removed.get_ref()) {
            let mut problem = Problem::at(
                Code::UnmatchedRemove,
                source,
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
                    .flat_map(|p| p.constraints.iter().map(|c| c.raw.id.get_ref().as_str())),
            ) {
                problem = problem.with_help(help);
            }
            problems.push(problem);
        }
    }
    let mut constraint_at: HashMap<&str, usize> = constraints
        .iter()
        .enumerate()
        .map(|(i, c)| (c.raw.id.get_ref().as_str(), i))
        .collect();
    let mut own = BTreeSet::new();
    for raw in &d.constraints {
        let id = raw.id.get_ref();
        if !own.insert(id.clone()) {
            problems.push(Problem::at(
                Code::DuplicateId,
                source,
                raw.id.span(),
                format!("constraint `{id}` is declared twice in rule set `{rule_set}`"),
            ));
            continue;
        }
        let shaped = Shaped {
            raw,
            source,
            declared_in: rule_set,
        };
        match constraint_at.get(id.as_str()) {
            Some(&at) => constraints[at] = shaped,
            None => {
                constraint_at.insert(id.as_str(), constraints.len());
                constraints.push(shaped);
            }
        }
    }
    Inherited {
        source,
        id: rule_set.clone(),
        id_span: d.id.span(),
        title: d.title.clone(),
        span,
        subject: match (&d.subject, parent) {
            (Some(own), _) => own.get_ref().trim().to_owned(),
            (None, Some(parent)) => parent.subject.clone(),
            (None, None) => crate::model::LOCAL_AUTHORITIES.to_owned(),
        },
        extends: d.extends.clone(),
        judgements,
        judgement_spans,
        constraints,
        suppressed,
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
