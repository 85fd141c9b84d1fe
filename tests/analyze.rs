//! `ratings analyze`: one rule directory per kind of finding under `tests/analyze`, each
//! snapshotted in human and JSON form; the shipped rules analyse clean; and `--compare`.

mod common;

use common::{case_dirs, ratings};
use serde_json::Value;

#[test]
fn each_case_yields_its_finding() {
    for case in case_dirs("tests/analyze") {
        let kind = case.rsplit('/').next().unwrap_or_default().to_owned();
        let json_args = ["analyze", "--rules", case.as_str(), "--format", "json"];
        let run = ratings(&json_args);
        let value: Value =
            serde_json::from_str(&run.stdout).unwrap_or_else(|_| panic!("{case}: {}", run.stderr));
        let codes: Vec<&str> = value["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f["code"].as_str())
            .collect();
        assert!(
            codes.contains(&kind.as_str()),
            "{case}: expected a `{kind}` finding, got {codes:?}"
        );
        let errors = [
            "unsatisfiable",
            "unreachable-value",
            "usual-contradicts-must",
        ];
        let expected_code = i32::from(codes.iter().any(|c| errors.contains(c)));
        assert_eq!(run.code, expected_code, "{case}: exit code");
        let human_args = ["analyze", "--rules", case.as_str()];
        let mut transcript = ratings(&human_args).transcript(&human_args);
        transcript.push_str(&run.transcript(&json_args));
        insta::assert_snapshot!(format!("analyze_{kind}"), transcript);
    }
}

#[test]
fn the_shipped_rules_analyse_clean() {
    let run = ratings(&["analyze", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let value: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(
        value["findings"],
        serde_json::json!([]),
        "see docs/frameworks.md if this changes"
    );
}

#[test]
fn compare_gives_a_witness_and_the_forbidding_constraint() {
    let args = [
        "analyze",
        "--compare",
        "tests/diff/base",
        "tests/diff/loosened",
        "--year",
        "2007",
        "--format",
        "json",
    ];
    let run = ratings(&args);
    assert_eq!(run.code, 1);
    let value: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let difference = &value["differences"][0];
    assert_eq!(difference["allowed_by"], "tests/diff/loosened");
    assert_eq!(difference["forbidden_by"], "t.part-caps-overall");
    assert_eq!(difference["witness"]["t.part"], 1);
    assert_eq!(
        difference["witness"]["t.overall"], 3,
        "adequate is the cap; loosened allows good"
    );
    let same = ratings(&["analyze", "--compare", "tests/diff/base", "tests/diff/base"]);
    assert_eq!(same.code, 0);
    assert!(same.stdout.contains("exactly the same grades"));
    // Removing an inherited constraint through `extends` is a difference only in 2008.
    let run = ratings(&[
        "analyze",
        "--compare",
        "tests/diff/base",
        "tests/diff/extends",
    ]);
    insta::assert_snapshot!("analyze_compare_extends", run.stdout);
}

/// `--compare` when the rules cover different years or judge different judgements: each
/// span is named, with the side that has rules or the judgements only one side has.
#[test]
fn compare_names_years_and_judgements_only_one_side_has() {
    let variant = std::env::temp_dir().join(format!("ratings-compare-{}", std::process::id()));
    std::fs::create_dir_all(&variant).expect("temp dir");
    for entry in std::fs::read_dir(common::root().join("tests/diff/base"))
        .expect("dir")
        .flatten()
    {
        std::fs::copy(entry.path(), variant.join(entry.file_name())).expect("copy");
    }
    // The 2008 rule set runs a year longer and judges one more thing.
    let later = std::fs::read_to_string(variant.join("t-2008.toml")).expect("read");
    let later = later.replace(
        "years = { from = 2008, to = 2008 }",
        "years = { from = 2008, to = 2009 }",
    ) + "\n[[judgement]]\nid = \"t.extra\"\ntitle = \"Extra\"\nscale = \"grade\"\n";
    std::fs::write(variant.join("t-2008.toml"), later).expect("write");
    let variant_path = variant.to_string_lossy().into_owned();
    let run = ratings(&[
        "analyze",
        "--compare",
        "tests/diff/base",
        variant_path.as_str(),
        "--format",
        "json",
    ]);
    let _ = std::fs::remove_dir_all(&variant);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let value: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let messages: Vec<String> = value["differences"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            format!(
                "{} | {} | {}",
                d["period"].as_str().unwrap_or(""),
                d["allowed_by"]
                    .as_str()
                    .unwrap_or("")
                    .replace(&variant_path, "VARIANT"),
                d["message"]
                    .as_str()
                    .unwrap_or("")
                    .replace(&variant_path, "VARIANT")
            )
        })
        .collect();
    assert_eq!(
        messages,
        [
            "2008 | VARIANT | 2008: the judgements differ: only in `tests/diff/base`: []; only in `VARIANT`: [t.extra]",
            "2009 | VARIANT | only `VARIANT` has rules for 2009",
        ],
        "{messages:#?}"
    );
}
