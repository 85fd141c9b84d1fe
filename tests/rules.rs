//! Data-driven rule-directory cases: every directory under `tests/rules/valid` is linted and
//! explained for each of its years (plus the `--set` lines of its `explain.args`); the
//! transcripts are insta snapshots. Invalid directories are in `tests/bad-input/rules`.

mod common;

use common::{case_dirs, ratings, root};
use serde_json::json;

#[test]
fn valid_rule_directories_lint_clean_and_explain() {
    for case in case_dirs("tests/rules/valid") {
        let mut transcript = String::new();
        let lint = ["lint", "--rules", case.as_str()];
        let run = ratings(&lint);
        assert_eq!(run.code, 0, "{case}: {}", run.stderr);
        transcript.push_str(&run.transcript(&lint));

        let mut explains: Vec<Vec<String>> = vec![Vec::new()];
        if let Ok(lines) = std::fs::read_to_string(root().join(&case).join("explain.args")) {
            explains.extend(
                lines
                    .lines()
                    .map(|line| line.split_whitespace().map(str::to_owned).collect()),
            );
        }
        for year in years_of(&case) {
            for sets in &explains {
                let year = year.to_string();
                let mut args = vec![
                    "explain",
                    "--rules",
                    case.as_str(),
                    "--year",
                    year.as_str(),
                    "--format",
                    "json",
                ];
                for set in sets {
                    args.push("--set");
                    args.push(set);
                }
                let run = ratings(&args);
                assert!(run.code == 0 || run.code == 1, "{case}: {}", run.stderr);
                transcript.push_str(&run.transcript(&args));
            }
        }
        let name = case.trim_start_matches("tests/rules/").replace('/', "__");
        insta::assert_snapshot!(name, transcript);
    }
}

/// The years a case's rule sets cover, read from their `years = { from, to }` lines.
fn years_of(case: &str) -> Vec<i64> {
    let mut years = Vec::new();
    for entry in std::fs::read_dir(root().join(case))
        .expect("case exists")
        .filter_map(Result::ok)
    {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let Ok(table) = text.parse::<toml::Table>() else {
            continue;
        };
        let Some(span) = table.get("years").and_then(|y| y.as_table()) else {
            continue;
        };
        let (Some(from), Some(to)) = (
            span.get("from").and_then(|v| v.as_integer()),
            span.get("to").and_then(|v| v.as_integer()),
        ) else {
            continue;
        };
        years.extend(from..=to);
    }
    years.sort_unstable();
    years.dedup();
    years
}

/// The allowed values `explain` gives for a rule directory, a year and some grades.
fn allowed(case: &str, year: &str, sets: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "explain", "--rules", case, "--year", year, "--format", "json",
    ];
    for set in sets {
        args.push("--set");
        args.push(set);
    }
    let run = ratings(&args);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    json["allowed"].clone()
}

/// A rule set that extends another and replaces an inherited judgement (now latent) and an
/// inherited constraint (a tighter cap): the child's versions hold in its years, the parent's
/// in its own.
#[test]
fn an_inherited_judgement_and_constraint_can_be_replaced() {
    let case = "tests/rules/valid/extends-override";
    assert_eq!(
        allowed(case, "2007", &["t.part=1"])["t.overall"],
        json!([1, 2])
    );
    assert_eq!(
        allowed(case, "2008", &["t.part=1"])["t.overall"],
        json!([1])
    );
    // The replaced judgement is latent in 2008: a record may not publish it.
    let record = std::env::temp_dir().join(format!("ratings-override-{}.toml", std::process::id()));
    std::fs::write(&record, "[[record]]\nauthority = \"Leeds\"\nyear = 2008\nsource = { document = \"d\", locator = \"l\" }\n[record.grades]\n\"t.part\" = 1\n\"t.overall\" = 1\n").expect("write");
    let path = record.to_string_lossy().into_owned();
    let run = ratings(&["check", "--rules", case, path.as_str()]);
    let _ = std::fs::remove_file(&record);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("latent-judgement"), "{}", run.stderr);
}

/// `any`, `all`, `count`, `floor`, `limit` and `equal` with an offset, written in rule files and
/// run through the command line; and a cited document's `url` shown where the rule is cited.
#[test]
fn every_kind_of_rule_runs_through_the_command_line() {
    let case = "tests/rules/valid/every-kind";
    // `any`: either part inadequate caps overall at adequate.
    assert_eq!(
        allowed(case, "2007", &["t.b=inadequate"])["t.overall"],
        json!([1, 2])
    );
    // `floor` under `all`: two good parts and no weakness make overall at least good.
    assert_eq!(
        allowed(case, "2007", &["t.a=good", "t.b=good", "t.weak=no"])["t.overall"],
        json!([3, 4])
    );
    // `count`: two parts at most adequate cap overall at adequate.
    assert_eq!(
        allowed(case, "2007", &["t.a=3", "t.b=2"])["t.overall"],
        json!([1, 2, 3, 4])
    );
    assert_eq!(
        allowed(case, "2007", &["t.a=2", "t.b=2"])["t.overall"],
        json!([1, 2])
    );
    // `limit` with offset 1: overall is at most one grade above part A.
    assert_eq!(
        allowed(case, "2007", &["t.a=1", "t.weak=yes"])["t.overall"],
        json!([1, 2])
    );
    assert_eq!(
        allowed(case, "2007", &["t.a=3"])["t.overall"],
        json!([1, 2, 3, 4])
    );
    assert_eq!(
        allowed(case, "2007", &["t.a=2", "t.b=4"])["t.overall"],
        json!([1, 2, 3])
    );
    // `equal` with offset -1 under a condition: with a weakness, the profile is overall + 1.
    assert_eq!(
        allowed(case, "2007", &["t.weak=yes", "t.overall=2"])["t.profile"],
        json!([1, 3]),
        "3 by the rule, or 1, where its condition (profile at least adequate) fails"
    );
    // The cited document's address, in explanations and in findings.
    let run = ratings(&[
        "explain", "--rules", case, "--year", "2007", "--set", "t.a=2", "--set", "t.b=2",
    ]);
    assert!(run.stdout.contains("source: Test guidance (ratings tests, 2026-01), para 2 <https://example.org/test-guidance>"), "{}", run.stdout);
    let record =
        std::env::temp_dir().join(format!("ratings-every-kind-{}.toml", std::process::id()));
    std::fs::write(&record, "[[record]]\nauthority = \"Leeds\"\nyear = 2007\nsource = { document = \"d\", locator = \"l\" }\n[record.grades]\n\"t.b\" = 1\n\"t.overall\" = 3\n").expect("write");
    let path = record.to_string_lossy().into_owned();
    let run = ratings(&["check", "--rules", case, "--format", "json", path.as_str()]);
    let _ = std::fs::remove_file(&record);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let finding = &report["results"][0]["findings"][0];
    assert_eq!(finding["code"], "rule-broken");
    assert_eq!(finding["rule"], "t.any-part-inadequate-caps");
    assert_eq!(
        finding["cite"][0]["url"],
        "https://example.org/test-guidance"
    );
}

/// A scale may have 64 values, the most a domain holds: the top value is reached and pinned,
/// and an offset of 63 grades pairs the bottom with the top. A 65th value is refused
/// (`tests/bad-input/rules/scale-65-values`).
#[test]
fn a_scale_of_64_values_works_to_its_top_value() {
    let case = "tests/rules/valid/scale-64";
    let all: Vec<i64> = (1..=64).collect();
    let none = allowed(case, "2007", &[]);
    assert_eq!(none["t.wide"], json!(all));
    let flagged = allowed(case, "2007", &["t.flag=yes"]);
    assert_eq!(flagged["t.wide"], json!([64]));
    assert_eq!(flagged["t.copy"], json!([1]));
    assert_eq!(allowed(case, "2007", &["t.wide=v64"])["t.copy"], json!(all));
    assert_eq!(allowed(case, "2007", &["t.wide=63"])["t.flag"], json!([0]));
    let run = ratings(&["lint", "--rules", "tests/bad-input/rules/scale-65-values"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("scale `too-wide` has 65 values, more than the 64 allowed"),
        "{}",
        run.stderr
    );
}
