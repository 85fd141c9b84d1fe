//! Data-driven record cases: every file under `tests/records` is checked with the shipped
//! rules, and the human and JSON outputs are insta snapshots. Also: the counts always add up,
//! and the corpus check is snapshotted so a rule change that flips a real verdict shows.

mod common;

use common::{ratings, root};

fn record_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join("tests/records"))
        .expect("tests/records exists")
        .filter_map(Result::ok)
        .map(|e| format!("tests/records/{}", e.file_name().to_string_lossy()))
        .collect();
    files.sort();
    files
}

#[test]
fn every_record_case_is_checked_or_rejected_with_a_position() {
    for file in record_files() {
        let name = file.trim_start_matches("tests/records/").replace('.', "_");
        let human = ["check", file.as_str()];
        let run = ratings(&human);
        assert!(!run.stderr.contains("panicked"), "{file} panicked");
        assert!((0..=2).contains(&run.code), "{file}: exit {}", run.code);
        insta::assert_snapshot!(format!("check__{name}"), run.transcript(&human));

        let json = ["check", file.as_str(), "--format", "json"];
        let run = ratings(&json);
        let report: serde_json::Value =
            serde_json::from_str(&run.stdout).expect("check prints JSON");
        let summary = &report["summary"];
        let n = |key: &str| summary[key].as_u64().unwrap_or(u64::MAX);
        assert_eq!(
            n("records"),
            n("checked") + n("rejected"),
            "{file}: records = checked + rejected"
        );
        assert_eq!(
            n("assessments"),
            n("consistent") + n("inconsistent") + n("unverifiable") + n("undecided"),
            "{file}: every assessment has one verdict"
        );
        let expected_code = if n("rejected") > 0 || n("unreadable_files") > 0 {
            2
        } else if n("inconsistent") > 0 || run.stdout.contains("\"severity\": \"error\"") {
            1
        } else {
            0
        };
        assert_eq!(run.code, expected_code, "{file}: exit code");
        if n("rejected") > 0 || n("unreadable_files") > 0 {
            assert!(
                run.stderr.contains(&file),
                "{file}: a rejection names the file"
            );
        }
        insta::assert_snapshot!(format!("check_json__{name}"), run.stdout);
    }
}

#[test]
fn all_record_cases_together() {
    let run = ratings(&["check", "tests/records", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    // Several cases are about Leicester in 2008 with different grades: merged, they conflict,
    // which is an input error.
    assert_eq!(run.code, 2);
    assert_eq!(report["summary"]["rejected"], 0);
    assert!(report["summary"]["conflicts"].as_u64().unwrap_or(0) >= 1);
    let verdict = |authority: &str, year: i64| {
        report["results"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["authority"] == authority && r["year"] == year)
            .map(|r| r["verdict"].as_str().unwrap_or("").to_owned())
    };
    assert_eq!(
        verdict("Staffordshire", 2011).as_deref(),
        Some("inconsistent")
    );
    assert_eq!(verdict("Gateshead", 2008).as_deref(), Some("consistent"));
}

#[test]
fn the_corpus_checks_and_its_verdicts_are_snapshotted() {
    let run = ratings(&["check", "corpus", "--format", "json"]);
    assert_eq!(
        run.code, 0,
        "the shipped corpus checks clean: {}",
        run.stderr
    );
    // The verdicts are snapshotted compactly, one file per year (tests/rule_changes.rs), so a
    // rule change shows as a short diff; here the other formats must agree with them.
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let results = report["results"].as_array().expect("results");
    assert_eq!(
        results.len() as u64,
        report["summary"]["assessments"].as_u64().unwrap_or(0)
    );
    let compact = ratings(&["check", "corpus", "--format", "compact"]);
    let verdicts: Vec<String> = results
        .iter()
        .map(|r| {
            format!(
                "{} {} {}",
                r["authority"].as_str().unwrap_or(""),
                r["year"],
                r["verdict"].as_str().unwrap_or("")
            )
        })
        .collect();
    let compact_verdicts: Vec<String> = compact
        .stdout
        .lines()
        .filter(|line| !line.starts_with("summary:"))
        .map(|line| line.split(" implied=").next().unwrap_or(line).to_owned())
        .collect();
    assert_eq!(verdicts, compact_verdicts);
    let human = ratings(&["check", "corpus"]);
    let blocks = human
        .stdout
        .lines()
        .filter(|line| !line.is_empty() && !line.starts_with(' ') && !line.starts_with("summary:"))
        .count();
    assert_eq!(blocks, results.len(), "one human block per assessment");
}

#[test]
fn another_authorities_table_replaces_the_builtin_one() {
    let run = ratings(&[
        "check",
        "--authorities",
        "tests/authorities/testshire.csv",
        "--format",
        "json",
        "tests/authorities/testshire.toml",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(report["results"][0]["authority"], "Testshire");
    assert_eq!(report["results"][0]["la_code"], "900");
    // Without it, the name is unknown.
    let run = ratings(&["check", "tests/authorities/testshire.toml"]);
    assert_eq!(run.code, 2);
    // A table without the needed columns is an input error naming the file.
    let run = ratings(&[
        "check",
        "--authorities",
        "tests/authorities/wrong-header.csv",
        "tests/authorities/testshire.toml",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("tests/authorities/wrong-header.csv:1:1"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("needs the columns"), "{}", run.stderr);
}
