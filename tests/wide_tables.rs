//! Wide tables through column maps (`maps/`): hand-made fixtures in each layout, snapshotted;
//! and, where `../shared/found-data` exists (CI has it; it may not be copied into the project),
//! every real report table checked, with its summary snapshotted, and a copy of a real table
//! with one row altered found inconsistent at that row.

mod common;

use std::path::PathBuf;

use common::ratings;
use serde_json::Value;

const LAYOUTS: [&str; 3] = ["sif-2014-2018", "ilacs-2018-2026", "lac-2013"];

#[test]
fn each_layout_reads_through_its_map() {
    for layout in LAYOUTS {
        let map = format!("maps/{layout}.toml");
        for file in [
            format!("tests/wide/{layout}.csv"),
            format!("tests/wide/{layout}-extra-column.csv"),
        ] {
            let args = [
                "check",
                "--columns",
                map.as_str(),
                "--format",
                "compact",
                file.as_str(),
            ];
            let run = ratings(&args);
            assert!(!run.stderr.contains("panicked"));
            insta::assert_snapshot!(
                format!(
                    "wide_{}",
                    file.trim_start_matches("tests/wide/").replace('.', "_")
                ),
                run.transcript(&args)
            );
            let json = ratings(&[
                "check",
                "--columns",
                map.as_str(),
                "--format",
                "json",
                file.as_str(),
            ]);
            let report: Value = serde_json::from_str(&json.stdout).expect("JSON");
            let n = |key: &str| report["summary"][key].as_u64().unwrap_or(u64::MAX);
            assert_eq!(n("records"), n("checked") + n("rejected"), "{file}");
        }
    }
}

#[test]
fn an_altered_fixture_row_is_inconsistent_at_its_line() {
    let run = ratings(&[
        "check",
        "--columns",
        "maps/sif-2014-2018.toml",
        "tests/wide/sif-2014-2018.csv",
    ]);
    assert!(run.stdout.contains("Bristol (801), "), "{}", run.stdout);
    assert!(run.stdout.contains("error[rule-broken]"), "{}", run.stdout);
    assert!(run
        .stdout
        .contains("sif.key-judgement-inadequate-means-inadequate"));
    assert!(
        run.stdout.contains("--> tests/wide/sif-2014-2018.csv:10:"),
        "{}",
        run.stdout
    );
}

fn found_data() -> Option<PathBuf> {
    common::found_data("")
}

/// A found-data table of a layout, and the shipped map that reads it.
fn table(dir: &std::path::Path, layout: &str) -> (String, String) {
    let file = dir.join(format!("{layout}-la-judgements.csv"));
    (
        format!("maps/{layout}.toml"),
        file.to_string_lossy().into_owned(),
    )
}

#[test]
fn every_real_report_table_is_checked() {
    let Some(dir) = found_data() else { return };
    let mut summaries = String::new();
    for layout in LAYOUTS {
        let (map, file) = table(&dir, layout);
        let run = ratings(&["check", "--columns", &map, "--format", "json", &file]);
        let report: Value = serde_json::from_str(&run.stdout).expect("JSON");
        assert_eq!(report["summary"]["rejected"], 0, "{layout}: {}", run.stderr);
        assert_eq!(
            report["summary"]["inconsistent"], 0,
            "{layout}: no published grade set breaks a must rule"
        );
        let summary = ratings(&["check", "--columns", &map, "--quiet", &file]);
        summaries.push_str(&format!("{layout}: {}", summary.stdout));
    }
    insta::assert_snapshot!("found_data_summaries", summaries);
}

/// The verdict on every real report, one snapshot per table and year, so that a rule change
/// shows as a short diff of the verdicts it flips. Only the authority, the first day of
/// inspection, the verdict and the rules broken are kept: no grade of the tables is copied.
#[test]
fn found_data_verdicts_one_snapshot_per_table_and_year() {
    let Some(dir) = found_data() else { return };
    for layout in LAYOUTS {
        let (map, file) = table(&dir, layout);
        let run = ratings(&["check", "--columns", &map, "--format", "compact", &file]);
        let mut by_year: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for line in run
            .stdout
            .lines()
            .filter(|line| !line.starts_with("summary:"))
        {
            let kept = line.split(" implied=").next().unwrap_or(line);
            let year = kept
                .split(' ')
                .find(|word| word.len() == 10 && word.as_bytes()[4] == b'-')
                .map(|day| day[..4].to_owned())
                .unwrap_or_else(|| panic!("{layout}: no date in `{line}`"));
            by_year.entry(year).or_default().push(kept.to_owned());
        }
        assert!(!by_year.is_empty(), "{layout}: {}", run.stderr);
        for (year, lines) in by_year {
            insta::assert_snapshot!(format!("found_data_{layout}_{year}"), lines.join("\n"));
        }
    }
}

#[test]
fn a_real_table_with_one_row_altered_is_inconsistent_at_that_row() {
    let Some(dir) = found_data() else { return };
    let text =
        std::fs::read_to_string(dir.join("ilacs-2018-2026-la-judgements.csv")).expect("table");
    // The first row with help and protection inadequate becomes good overall.
    let mut altered = String::new();
    let mut line_altered = 0;
    for (index, line) in text.lines().enumerate() {
        let mut fields: Vec<String> = line.split(',').map(str::to_owned).collect();
        if line_altered == 0
            && fields.len() == 11
            && fields[7] == "inadequate"
            && !line.contains('"')
        {
            fields[5] = "good".to_owned();
            line_altered = index + 1;
        }
        altered.push_str(&fields.join(","));
        altered.push('\n');
    }
    assert!(line_altered > 0);
    let copy = std::env::temp_dir().join(format!("ratings-altered-{}.csv", std::process::id()));
    std::fs::write(&copy, altered).expect("write");
    let path = copy.to_string_lossy().into_owned();
    let run = ratings(&[
        "check",
        "--columns",
        "maps/ilacs-2018-2026.toml",
        "--only",
        "inconsistent",
        path.as_str(),
    ]);
    let _ = std::fs::remove_file(&copy);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("ilacs.practice-judgement-inadequate-means-inadequate"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(&format!("{path}:{line_altered}:")),
        "{}",
        run.stdout
    );
}
