//! The peer an engineer might reach for: Cedar. The `must` rules that bind on full records are
//! written as Cedar `forbid` policies over a context record of one assessment's grades; each
//! assessment is one authorization call. Prints assessments per second and how many were
//! denied (inconsistent), to compare with `ratings check`.
//!
//! Usage: cedar-peer RECORDS.csv

use std::collections::BTreeMap;
use std::str::FromStr;
use std::time::Instant;

use cedar_policy::{Authorizer, Context, Decision, Entities, EntityUid, PolicySet, Request, RestrictedExpression};

/// The shipped `must` rules, as they bind when every non-latent judgement is published. The
/// 2009 profile rules bind through the latent profile: with a limiting weakness the rating is
/// the profile less one, so at most performs well.
const POLICIES: &str = r#"
permit(principal, action, resource);

forbid(principal, action, resource) when {
  context.year >= 2007 && context.year <= 2008 &&
  context has apa_enjoying_and_achieving && context.apa_enjoying_and_achieving == 1 &&
  context has apa_overall_effectiveness && context.apa_overall_effectiveness > 2
};

forbid(principal, action, resource) when {
  context.year >= 2007 && context.year <= 2008 &&
  context has apa_staying_safe && context.apa_staying_safe == 1 &&
  context has apa_overall_effectiveness && context.apa_overall_effectiveness > 2
};

forbid(principal, action, resource) when {
  context.year >= 2005 && context.year <= 2008 &&
  context has cpa_children_and_young_people && context has apa_overall_effectiveness &&
  context.cpa_children_and_young_people != context.apa_overall_effectiveness
};

forbid(principal, action, resource) when {
  context.year >= 2005 && context.year <= 2008 &&
  context has cpa_children_and_young_people && context.cpa_children_and_young_people == 1 &&
  context has cpa_star_category && context.cpa_star_category > 1
};

forbid(principal, action, resource) when {
  context.year == 2009 &&
  context has unannounced_limiting_weakness && context.unannounced_limiting_weakness == 1 &&
  context has rating_overall && context.rating_overall > 3
};

forbid(principal, action, resource) when {
  context.year >= 2009 && context.year <= 2011 &&
  context has slac_safeguarding && context.slac_safeguarding == 1 &&
  context has rating_overall && context.rating_overall > 1
};

forbid(principal, action, resource) when {
  context.year >= 2010 && context.year <= 2011 &&
  context has unannounced_priority_action && context.unannounced_priority_action == 1 &&
  context has rating_overall && context.rating_overall > 1
};
"#;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: cedar-peer RECORDS.csv");
        std::process::exit(2);
    };
    // Assessments: (authority, year) -> grades, read once before timing.
    let mut assessments: BTreeMap<(String, i64), Vec<(String, i64)>> = BTreeMap::new();
    let mut reader = csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    for row in reader.records() {
        let row = row.unwrap_or_else(|e| panic!("{path}: {e}"));
        let year: i64 = row[1].parse().unwrap_or_else(|e| panic!("year: {e}"));
        let grade: i64 = row[3].parse().unwrap_or_else(|e| panic!("grade: {e}"));
        assessments.entry((row[0].to_owned(), year)).or_default().push((row[2].replace('.', "_"), grade));
    }
    let policies = PolicySet::from_str(POLICIES).unwrap_or_else(|e| panic!("policies: {e}"));
    let authorizer = Authorizer::new();
    let entities = Entities::empty();
    let principal = EntityUid::from_str(r#"Auditor::"ratings""#).expect("uid");
    let action = EntityUid::from_str(r#"Action::"publish""#).expect("uid");
    let resource = EntityUid::from_str(r#"Assessment::"one""#).expect("uid");

    let start = Instant::now();
    let mut denied = 0usize;
    for ((_, year), grades) in &assessments {
        // Building the context is part of the work, as reading the record is for ratings.
        let pairs = std::iter::once(("year".to_owned(), RestrictedExpression::new_long(*year)))
            .chain(grades.iter().map(|(name, grade)| (name.clone(), RestrictedExpression::new_long(*grade))));
        let context = Context::from_pairs(pairs).expect("context");
        let request = Request::new(principal.clone(), action.clone(), resource.clone(), context, None).expect("request");
        if authorizer.is_authorized(&request, &policies, &entities).decision() == Decision::Deny {
            denied += 1;
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "cedar: {} assessments, {denied} denied, {:.3} s, {:.0} assessments/s",
        assessments.len(),
        seconds,
        assessments.len() as f64 / seconds
    );
}
