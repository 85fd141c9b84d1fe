//! `hypotheses`: for each rule marked `inferred`, the assessments that support it, those that
//! contradict it, and those that test it only where its condition did not hold.

use ratings_core::Basis;

use super::ConstraintCoverage;

/// For each inferred rule: the assessments that support it (its condition held and so did the
/// rule), those that break it, and how many tested it only where its condition did not hold.
pub fn hypotheses_human(rows: &[ConstraintCoverage]) -> String {
    let mut out = String::new();
    let inferred: Vec<&ConstraintCoverage> =
        rows.iter().filter(|r| r.basis == Basis::Inferred).collect();
    if inferred.is_empty() {
        return "no rule is marked `inferred`\n".to_owned();
    }
    for row in inferred {
        out.push_str(&format!(
            "{} ({}, {}): supported by {} independent and {} circular, contradicted by {} independent and {} circular, tested only where its condition did not hold by {}\n",
            row.constraint,
            row.rule_set,
            row.years,
            row.independent_supports,
            row.circular_supports,
            row.independent_contradicts,
            row.circular_contradicts,
            row.vacuous.len()
        ));
        for (authority, period, support) in &row.supporting {
            out.push_str(&format!(
                "  supports ({}): {authority} {period}\n",
                support.as_str()
            ));
        }
        for (authority, period, support) in &row.contradicting {
            out.push_str(&format!(
                "  contradicts ({}): {authority} {period}\n",
                support.as_str()
            ));
        }
        for (authority, period) in &row.vacuous {
            out.push_str(&format!("  condition did not hold: {authority} {period}\n"));
        }
        if row.supporting.is_empty() && row.contradicting.is_empty() {
            out.push_str("  no published grades give evidence for or against it\n");
        }
    }
    out
}
