//! Rule changes: `diff` between rule directories that differ by one constraint each flips
//! exactly the assessments it should; `coverage` and `hypotheses` over the corpus; and one
//! compact snapshot per year of the corpus check, so a rule change shows in `cargo insta review`.

mod common;

use common::ratings;
use serde_json::Value;

/// (authority, year, before, after) of every changed assessment.
fn flips(variant: &str) -> Vec<(String, i64, String, String)> {
    let to = format!("tests/diff/{variant}");
    let args = [
        "diff",
        "--from",
        "tests/diff/base",
        "--to",
        to.as_str(),
        "--format",
        "json",
        "tests/diff/records.toml",
    ];
    let run = ratings(&args);
    let diff: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|_| panic!("{variant}: JSON\n{}", run.stderr));
    let changes = diff["changes"].as_array().cloned().unwrap_or_default();
    assert_eq!(
        run.code,
        if changes.is_empty() { 0 } else { 1 },
        "{variant}: exit 1 when anything changed"
    );
    let human_args = [
        "diff",
        "--from",
        "tests/diff/base",
        "--to",
        to.as_str(),
        "tests/diff/records.toml",
    ];
    insta::assert_snapshot!(
        format!("diff_{variant}"),
        ratings(&human_args).transcript(&human_args)
    );
    changes
        .iter()
        .map(|c| {
            (
                c["authority"].as_str().unwrap_or("").to_owned(),
                c["period"]
                    .as_str()
                    .and_then(|p| p.parse().ok())
                    .unwrap_or(0),
                c["before"].as_str().unwrap_or("absent").to_owned(),
                c["after"].as_str().unwrap_or("absent").to_owned(),
            )
        })
        .collect()
}

fn flip(authority: &str, year: i64, before: &str, after: &str) -> (String, i64, String, String) {
    (
        authority.to_owned(),
        year,
        before.to_owned(),
        after.to_owned(),
    )
}

#[test]
fn a_tightened_cap_flips_only_the_grades_it_now_forbids() {
    assert_eq!(
        flips("tightened"),
        vec![flip("Bury", 2007, "consistent", "inconsistent")]
    );
}

#[test]
fn a_loosened_cap_clears_the_assessments_it_broke() {
    assert_eq!(
        flips("loosened"),
        vec![
            flip("Camden", 2007, "inconsistent", "consistent"),
            flip("Essex", 2008, "inconsistent", "consistent")
        ]
    );
}

#[test]
fn a_removed_constraint_leaves_nothing_tested() {
    assert_eq!(
        flips("removed"),
        vec![
            flip("Bury", 2007, "consistent", "unverifiable"),
            flip("Camden", 2007, "inconsistent", "unverifiable"),
            // The verdict stays, but what the grades implied about `t.part` is gone.
            flip("Devon", 2007, "unverifiable", "unverifiable"),
            flip("Essex", 2008, "inconsistent", "unverifiable"),
            flip("Kent", 2008, "consistent", "unverifiable"),
        ]
    );
}

#[test]
fn an_added_constraint_breaks_only_what_it_forbids() {
    assert_eq!(
        flips("added"),
        vec![flip("Devon", 2007, "unverifiable", "inconsistent")]
    );
}

#[test]
fn a_changed_extends_changes_only_the_inheriting_years() {
    assert_eq!(
        flips("extends"),
        vec![
            flip("Essex", 2008, "inconsistent", "unverifiable"),
            flip("Kent", 2008, "consistent", "unverifiable")
        ]
    );
}

#[test]
fn identical_rules_change_nothing() {
    let args = [
        "diff",
        "--from",
        "tests/diff/base",
        "--to",
        "tests/diff/base",
        "tests/diff/records.toml",
    ];
    let run = ratings(&args);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.starts_with("no assessment changed"),
        "{}",
        run.stdout
    );
}

#[test]
fn diff_from_a_name_that_is_neither_dir_nor_revision_is_an_input_error() {
    let run = ratings(&[
        "diff",
        "--from",
        "no-such-revision-or-dir",
        "--to",
        "rules",
        "corpus",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("neither a directory nor a git revision"),
        "{}",
        run.stderr
    );
}

#[test]
fn coverage_and_hypotheses_over_the_corpus() {
    let run = ratings(&["coverage", "--format", "json", "corpus"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let value: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let row = |id: &str| {
        value["constraints"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["constraint"] == id)
            .cloned()
            .unwrap_or_default()
    };
    // Leicester, Leicestershire, Gateshead and Surrey 2008 publish both grades the cap reads.
    assert_eq!(row("apa.enjoying-and-achieving-caps-overall")["tested"], 4);
    assert_eq!(
        row("apa.enjoying-and-achieving-caps-overall")["violated"],
        0
    );
    assert_eq!(
        row("cpa.children-score-one-caps-stars")["violated"],
        0,
        "no published score of 1 comes with more than 1 star"
    );
    let human = ratings(&["coverage", "corpus"]);
    insta::assert_snapshot!("coverage_corpus", human.stdout);
    let hypotheses = ratings(&["hypotheses", "corpus"]);
    assert_eq!(hypotheses.code, 0);
    insta::assert_snapshot!("hypotheses_corpus", hypotheses.stdout);
}

#[test]
fn corpus_verdicts_one_snapshot_per_year() {
    let run = ratings(&["check", "--format", "compact", "corpus"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for year in 2005..=2011 {
        let lines: Vec<&str> = run
            .stdout
            .lines()
            .filter(|l| l.split(' ').any(|w| w == year.to_string()))
            .collect();
        insta::assert_snapshot!(format!("corpus_{year}"), lines.join("\n"));
    }
}

#[test]
fn hypotheses_count_support_only_where_the_condition_held() {
    let run = ratings(&[
        "hypotheses",
        "--rules",
        "tests/diff/added",
        "--format",
        "json",
        "tests/hypotheses/records.toml",
    ]);
    let value: Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|_| panic!("JSON: {}", run.stderr));
    let rule = value["rules"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|h| h["rule"] == "t.other-caps-overall")
        .cloned()
        .unwrap_or_default();
    let names = |key: &str| -> Vec<String> {
        rule[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| a["authority"].as_str().map(str::to_owned))
            .collect()
    };
    assert_eq!(names("supporting"), vec!["Bury"]);
    assert_eq!(names("contradicting"), vec!["Devon"]);
    assert_eq!(names("condition_did_not_hold"), vec!["Kent"]);
    // Bury's record comes from a document the rule does not cite (independent support);
    // Devon's from the one it cites (a circular contradiction).
    assert_eq!(rule["independent"]["supports"], 1);
    assert_eq!(rule["circular"]["supports"], 0);
    assert_eq!(rule["independent"]["contradicts"], 0);
    assert_eq!(rule["circular"]["contradicts"], 1);
}
