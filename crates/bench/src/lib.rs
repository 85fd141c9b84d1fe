//! Deterministic synthetic assessments over real rule sets, for benchmarks.
//!
//! For each year the generator draws pools of complete, consistent assignments of the published
//! (non-latent) judgements, exactly: each judgement in a random order takes a random value among
//! those the engine still allows. Inconsistent assignments are random ones the engine rejects.
//! Assessments are then drawn from the pools: full records publish every non-latent judgement,
//! partial records a random half (for an inconsistent one, a half that still contradicts the
//! rules). Authorities are synthetic ("Synthetic Authority 1", ...), with a table to match them.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::Path;

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use ratings_core::{load_rules, Assignment, Budget, Model, Period, PeriodRules, Problem, RuleBook};

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// How many assessments.
    pub assessments: usize,
    /// Publish a random half of the judgements instead of all of them.
    pub partial: bool,
    /// The share of assessments whose grades contradict the rules, 0.0 to 1.0.
    pub inconsistent: f64,
    /// The seed of the random generator: the same seed gives the same assessments.
    pub seed: u64,
}

/// One synthetic assessment: a synthetic authority, a year and its published grades.
#[derive(Debug, Clone)]
pub struct Assessment {
    /// The index of its synthetic authority.
    pub authority: usize,
    /// Its year.
    pub year: i64,
    /// Its published grades.
    pub grades: Assignment,
    /// Whether the grades satisfy the rules.
    pub consistent: bool,
}

/// How many assignments each year's pools hold.
const POOL: usize = 256;

/// The assessments of a spec, over the years the rules cover, in order.
pub fn generate(book: &RuleBook, spec: &Spec) -> Vec<Assessment> {
    let mut rng = StdRng::seed_from_u64(spec.seed);
    let years: Vec<(i64, PeriodRules)> = book
        .years(ratings_core::LOCAL_AUTHORITIES)
        .into_iter()
        .filter_map(|y| {
            book.in_force(ratings_core::LOCAL_AUTHORITIES, Period::Year(y))
                .ok()
                .map(|rules| (i64::from(y), rules))
        })
        .collect();
    let models: Vec<Model> = years.iter().map(|(_, rules)| Model::new(rules)).collect();
    let pools: Vec<(Vec<Assignment>, Vec<Assignment>)> = years
        .iter()
        .zip(&models)
        .map(|((_, rules), model)| pools(rules, model, &mut rng))
        .collect();
    let mut out = Vec::with_capacity(spec.assessments);
    for index in 0..spec.assessments {
        let which = index % years.len();
        let year = years[which].0;
        let (good, bad) = &pools[which];
        let consistent = bad.is_empty() || !rng.random_bool(spec.inconsistent.clamp(0.0, 1.0));
        let full = if consistent {
            &good[rng.random_range(0..good.len())]
        } else {
            &bad[rng.random_range(0..bad.len())]
        };
        let grades = if spec.partial {
            half(&models[which], full, consistent, &mut rng)
        } else {
            full.clone()
        };
        out.push(Assessment {
            authority: index / years.len() + 1,
            year,
            grades,
            consistent,
        });
    }
    out
}

/// The synthetic authorities table for `count` authorities, as CSV.
pub fn authorities_csv(count: usize) -> String {
    let mut out = String::from("la_code,name,also_known_as\n");
    for index in 1..=count {
        let _ = writeln!(out, "S{index},Synthetic Authority {index},");
    }
    out
}

/// How many authorities the assessments use.
pub fn authority_count(assessments: &[Assessment]) -> usize {
    assessments.iter().map(|a| a.authority).max().unwrap_or(0)
}

/// Write the assessments as CSV records, one grade a row.
pub fn write_csv(assessments: &[Assessment], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "authority,year,judgement,grade,source,locator")?;
    for (index, assessment) in assessments.iter().enumerate() {
        for (judgement, value) in &assessment.grades {
            writeln!(
                out,
                "Synthetic Authority {},{},{judgement},{value},synthetic,assessment {index}",
                assessment.authority, assessment.year
            )?;
        }
    }
    Ok(())
}

/// Write the assessments as TOML records, one record each.
pub fn write_toml(assessments: &[Assessment], out: &mut dyn Write) -> io::Result<()> {
    for (index, assessment) in assessments.iter().enumerate() {
        writeln!(
            out,
            "[[record]]\nauthority = \"Synthetic Authority {}\"\nyear = {}",
            assessment.authority, assessment.year
        )?;
        writeln!(out, "source = {{ document = \"synthetic\", locator = \"assessment {index}\" }}\n[record.grades]")?;
        for (judgement, value) in &assessment.grades {
            writeln!(out, "\"{judgement}\" = {value}")?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// Read and validate a rule directory from disk.
pub fn load_dir(dir: &Path) -> Result<RuleBook, Vec<Problem>> {
    load_rules(&ratings_check::files::rule_dir(dir)?)
}

/// Consistent and inconsistent complete assignments of a year's published judgements.
fn pools(
    rules: &PeriodRules,
    model: &Model,
    rng: &mut StdRng,
) -> (Vec<Assignment>, Vec<Assignment>) {
    let published: Vec<&str> = rules
        .judgements()
        .iter()
        .filter(|j| !j.judgement.latent)
        .map(|j| j.judgement.id.as_str())
        .collect();
    let mut good = Vec::with_capacity(POOL);
    for _ in 0..POOL {
        let mut order = published.clone();
        order.shuffle(rng);
        let mut given = Assignment::new();
        for id in order {
            let allowed = model
                .allowed(&given, &mut Budget::default())
                .map(|a| a.values)
                .unwrap_or_default();
            let values = allowed.get(id).cloned().unwrap_or_default();
            if let Some(&value) = values.get(rng.random_range(0..values.len().max(1))) {
                given.insert(id.to_owned(), value);
            }
        }
        good.push(given);
    }
    let mut bad = Vec::with_capacity(POOL / 4);
    for _ in 0..POOL * 64 {
        if bad.len() == POOL / 4 {
            break;
        }
        let given: Assignment = rules
            .judgements()
            .iter()
            .filter(|j| !j.judgement.latent)
            .map(|j| {
                let numbers = j.scale.numbers();
                (
                    j.judgement.id.clone(),
                    numbers[rng.random_range(0..numbers.len())],
                )
            })
            .collect();
        if matches!(model.allowed(&given, &mut Budget::default()), Ok(a) if !a.consistent) {
            bad.push(given);
        }
    }
    (good, bad)
}

/// A random half of the grades; for an inconsistent assessment, a half that keeps a minimal
/// contradicting set, so that it stays inconsistent.
fn half(model: &Model, full: &Assignment, consistent: bool, rng: &mut StdRng) -> Assignment {
    let mut keys: Vec<&String> = full.keys().collect();
    keys.shuffle(rng);
    let mut kept: BTreeMap<String, i64> = keys
        .iter()
        .take(keys.len().div_ceil(2))
        .map(|k| ((*k).clone(), full[*k]))
        .collect();
    if !consistent {
        if let Ok(Some(core)) = model.conflict(full, &mut Budget::default()) {
            kept.extend(core.given);
        }
    }
    kept
}
