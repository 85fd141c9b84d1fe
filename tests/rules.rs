//! Data-driven rule-directory cases: every directory under `tests/rules/valid` is linted and
//! explained for each of its years (plus the `--set` lines of its `explain.args`); the
//! transcripts are insta snapshots. Invalid directories are in `tests/bad-input/rules`.

mod common;

use common::{case_dirs, ratings, root};

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
