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
            n("consistent")
                + n("inconsistent")
                + n("unverifiable")
                + n("undecided")
                + n("disputed"),
            "{file}: every assessment has one verdict"
        );
        let expected_code = if n("rejected") > 0 || n("unreadable_files") > 0 || n("conflicts") > 0
        {
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
            .find(|r| r["subject"]["name"] == authority && r["year"] == year)
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
                r["subject"]["name"].as_str().unwrap_or(""),
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
    assert_eq!(report["results"][0]["subject"]["name"], "Testshire");
    assert_eq!(report["results"][0]["subject"]["id"], "900");
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

/// Disagreeing sources: the assessment is checked with each grade given, each alternative
/// carries its verdict (`alternatives: [{judgement, value, source, verdict}]`), and the verdict
/// says what is known whichever source is right.
#[test]
fn disagreeing_sources_are_checked_with_each_grade() {
    for (file, overall, alternatives) in [
        (
            "sources-disagree-disputed.toml",
            "disputed",
            vec![
                (
                    "apa.enjoying_and_achieving",
                    1,
                    "letter of case one (line 30)",
                    "inconsistent",
                ),
                (
                    "apa.enjoying_and_achieving",
                    3,
                    "council report of case one (para 4.13)",
                    "consistent",
                ),
            ],
        ),
        (
            "sources-disagree-inconsistent-either-way.toml",
            "inconsistent",
            vec![
                (
                    "apa.overall_effectiveness",
                    3,
                    "letter of case two (line 30)",
                    "inconsistent",
                ),
                (
                    "apa.overall_effectiveness",
                    4,
                    "council report of case two (para 4.13)",
                    "inconsistent",
                ),
            ],
        ),
        (
            "sources-disagree-consistent-either-way.toml",
            "consistent",
            vec![
                (
                    "apa.overall_effectiveness",
                    2,
                    "letter of case three (line 30)",
                    "consistent",
                ),
                (
                    "apa.overall_effectiveness",
                    3,
                    "council report of case three (para 4.13)",
                    "consistent",
                ),
            ],
        ),
    ] {
        let path = format!("tests/records/{file}");
        let run = ratings(&["check", "--format", "json", path.as_str()]);
        assert_eq!(run.code, 2, "{file}: sources in conflict exit 2");
        let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
        let result = &report["results"][0];
        assert_eq!(result["verdict"], overall, "{file}");
        let found: Vec<(String, i64, String, String)> = result["alternatives"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|a| {
                (
                    a["judgement"].as_str().unwrap_or("").to_owned(),
                    a["value"].as_i64().unwrap_or(0),
                    a["source"].as_str().unwrap_or("").to_owned(),
                    a["verdict"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect();
        let expected: Vec<(String, i64, String, String)> = alternatives
            .iter()
            .map(|(j, v, s, d)| ((*j).to_owned(), *v, (*s).to_owned(), (*d).to_owned()))
            .collect();
        assert_eq!(found, expected, "{file}");
        assert_eq!(report["summary"]["conflicts"], 1, "{file}");
        let csv = ratings(&["check", "--format", "csv", path.as_str()]);
        let row = csv.stdout.lines().nth(1).unwrap_or("");
        assert!(row.contains(&format!(",{overall},")), "{file}: {row}");
    }
}

/// `check --format csv`: the header, one row per assessment in order, the summary on stderr.
#[test]
fn check_writes_csv_rows() {
    let run = ratings(&[
        "check",
        "--format",
        "csv",
        "tests/records/ea-cap-broken.toml",
        "tests/records/departs-from-usual.toml",
        "tests/records/sources-disagree-disputed.toml",
    ]);
    insta::assert_snapshot!(
        "check_csv",
        run.transcript(&[
            "check",
            "--format",
            "csv",
            "tests/records/ea-cap-broken.toml",
            "tests/records/departs-from-usual.toml",
            "tests/records/sources-disagree-disputed.toml",
        ])
    );
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header,
        [
            "subject",
            "id",
            "name",
            "type",
            "local_authority",
            "inspection",
            "year",
            "date",
            "verdict",
            "basis",
            "errors",
            "warnings",
            "rules_broken",
            "judgement",
            "grade",
            "label",
            "sources",
            "implied",
            "verdict_with_this_grade"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    let column = |name: &str| header.iter().position(|h| h == name).expect("a column");
    let (name, verdict, judgement, grade, label, implied, with_this) = (
        column("name"),
        column("verdict"),
        column("judgement"),
        column("grade"),
        column("label"),
        column("implied"),
        column("verdict_with_this_grade"),
    );
    // A row per grade: Gateshead's six published grades and the CPA score they imply.
    let gateshead: Vec<&csv::StringRecord> =
        rows.iter().filter(|r| &r[name] == "Gateshead").collect();
    assert_eq!(gateshead.len(), 7);
    assert!(gateshead.iter().all(|r| &r[verdict] == "consistent"));
    assert!(gateshead
        .iter()
        .any(|r| &r[judgement] == "apa.staying_safe" && &r[grade] == "3" && &r[label] == "good"));
    assert!(gateshead
        .iter()
        .any(|r| &r[judgement] == "cpa.children_and_young_people"
            && r[grade].is_empty()
            && &r[implied] == "outstanding (4)"));
    // Leicester's sources disagree on enjoying and achieving: a row for each grade given,
    // with the verdict if it is right.
    let leicester: Vec<&csv::StringRecord> = rows
        .iter()
        .filter(|r| &r[name] == "Leicester" && &r[judgement] == "apa.enjoying_and_achieving")
        .collect();
    assert_eq!(leicester.len(), 2);
    assert!(leicester.iter().all(|r| &r[verdict] == "disputed"));
    assert_eq!(
        (
            &leicester[0][grade],
            &leicester[0][label],
            &leicester[0][with_this]
        ),
        ("1", "inadequate", "inconsistent")
    );
    assert_eq!(
        (
            &leicester[1][grade],
            &leicester[1][label],
            &leicester[1][with_this]
        ),
        ("3", "good", "consistent")
    );
    assert!(
        run.stderr.contains("summary: "),
        "the summary goes to stderr"
    );
}

/// `--threads N` changes how fast, never what: the corpus (289 assessments, three batches),
/// checked on one thread and on two, gives the same output byte for byte in every format.
#[test]
fn the_output_is_the_same_on_any_number_of_threads() {
    for format in ["human", "json", "csv", "compact"] {
        let one = ratings(&["check", "-j", "1", "--format", format, "corpus"]);
        let two = ratings(&["check", "--threads", "2", "--format", format, "corpus"]);
        assert_eq!(one.code, two.code, "{format}");
        assert!(one.stdout == two.stdout, "{format}: the outputs differ");
        assert_eq!(one.stderr, two.stderr, "{format}");
    }
    let none = ratings(&["check", "-j", "0", "corpus"]);
    assert_eq!(none.code, 2);
    assert!(
        none.stderr.contains("0 is not in 1..=1024"),
        "{}",
        none.stderr
    );
}
