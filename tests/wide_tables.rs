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

/// The peer's ILACS history table through the shipped map: sentinels are not grades (a row of
/// them is not graded, by what it says), misreads are rejected at their cells, and a row dated
/// only by publication joins the inspection another source dates in the days before it.
#[test]
fn the_peer_table_reads_through_its_map_and_joins_the_other_sources() {
    let alone = [
        "check",
        "--columns",
        "peer-ilacs-history",
        "--format",
        "compact",
        "tests/wide/peer-ilacs-history.csv",
    ];
    let run = ratings(&alone);
    insta::assert_snapshot!("wide_peer-ilacs-history_csv", run.transcript(&alone));
    let both = |format: &str| {
        ratings(&[
            "check",
            "--columns",
            "peer-ilacs-history",
            "--columns",
            "ilacs-2018-2026",
            "--format",
            format,
            "tests/wide/peer-ilacs-history.csv",
            "tests/wide/ilacs-2018-2026.csv",
        ])
    };
    let report: Value = serde_json::from_str(&both("json").stdout).expect("JSON");
    let n = |key: &str| report["summary"][key].as_u64().unwrap_or(u64::MAX);
    assert_eq!(n("records"), n("checked") + n("not_graded") + n("rejected"));
    assert_eq!(
        report["not_graded"]["no grade in the row (data_unreadable)"], 1,
        "{}",
        report["not_graded"]
    );
    let results = report["results"].as_array().expect("results");
    let of = |name: &str| {
        results
            .iter()
            .filter(|r| r["subject"]["name"] == name)
            .collect::<Vec<_>>()
    };
    // Harrow's peer row has no start date: dated by publication (20 March 2025), it joins
    // the inspection the other table dates 27 January 2025, as one assessment of two sources.
    let harrow = of("Harrow");
    assert_eq!(harrow.len(), 1, "{harrow:?}");
    assert_eq!(harrow[0]["date"], "2025-01-27");
    let sources: std::collections::BTreeSet<&str> = harrow[0]["published"]
        .as_object()
        .into_iter()
        .flat_map(|p| p.values())
        .flat_map(|s| s.as_array().into_iter().flatten())
        .filter_map(|s| s["document"].as_str())
        .collect();
    assert_eq!(
        sources.into_iter().collect::<Vec<_>>(),
        ["ofsted-ilacs-reports-2018-2026", "peer-ilacs-history"]
    );
    // Where the peer misread a grade the other table gives, the sources are in conflict, each
    // named.
    let blackpool = of("Blackpool");
    assert_eq!(blackpool.len(), 1);
    let alternatives: Vec<(&str, &str)> = blackpool[0]["alternatives"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| {
            (
                a["judgement"].as_str().unwrap_or(""),
                a["source"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert!(
        alternatives
            .iter()
            .any(|(j, s)| *j == "ilacs.help_and_protection" && s.starts_with("peer-ilacs-history")),
        "{alternatives:?}"
    );
    assert!(
        alternatives
            .iter()
            .any(|(j, s)| *j == "ilacs.help_and_protection"
                && s.starts_with("ofsted-ilacs-reports-2018-2026")),
        "{alternatives:?}"
    );
    let compact = both("compact");
    insta::assert_snapshot!("wide_peer-ilacs-history_beside_ilacs", compact.stdout);
}

/// The real peer table (`../shared/found-data/peer`): every row is checked, not graded (its
/// sentinels) or rejected, and only the four rows its parser visibly misread are rejected.
/// Beside Ofsted's table of the same reports, and the report PDFs, each inspection is one
/// assessment, and the three rows it misread without a visible sign are sources in conflict.
#[test]
fn the_real_peer_table_beside_the_reports() {
    let Some(peer) = common::found_data("peer") else {
        return;
    };
    let Some(dir) = found_data() else { return };
    let peer = peer
        .join("ofsted_csc_ilacs_history.csv")
        .to_string_lossy()
        .into_owned();
    let run = ratings(&[
        "check",
        "--columns",
        "peer-ilacs-history",
        "--format",
        "json",
        peer.as_str(),
    ]);
    let report: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let n = |report: &Value, key: &str| report["summary"][key].as_u64().unwrap_or(u64::MAX);
    assert_eq!(n(&report, "records"), 497);
    assert_eq!(n(&report, "checked"), 317);
    assert_eq!(n(&report, "not_graded"), 176);
    assert_eq!(n(&report, "rejected"), 4, "{}", run.stderr);
    assert_eq!(run.stderr.matches("`to requires improvement`").count(), 2);
    assert_eq!(
        run.stderr
            .matches("unknown judgement `ilacs.care_leavers` for 2022-")
            .count(),
        2,
        "{}",
        run.stderr
    );
    let ofsted = dir
        .join("ilacs-2018-2026-la-judgements.csv")
        .to_string_lossy()
        .into_owned();
    let reports = dir.join("reports").to_string_lossy().into_owned();
    let run = ratings(&[
        "check",
        "--columns",
        "peer-ilacs-history",
        "--columns",
        "ilacs-2018-2026",
        "--format",
        "json",
        peer.as_str(),
        ofsted.as_str(),
        reports.as_str(),
    ]);
    let report: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let results = report["results"].as_array().expect("results");
    let mut conflicts: Vec<String> = results
        .iter()
        .filter(|r| r["alternatives"].is_array())
        .map(|r| {
            format!(
                "{} {}",
                r["subject"]["name"].as_str().unwrap_or(""),
                r["date"].as_str().unwrap_or("")
            )
        })
        .collect();
    conflicts.sort();
    assert_eq!(
        conflicts,
        [
            "Oxfordshire 2018-04-16",
            "Rochdale 2018-01-29",
            "St. Helens 2023-07-10"
        ]
    );
    // Each ILACS inspection is one assessment: as many as Ofsted's table has rows, of which
    // those whose report PDF is in the folder have three sources.
    let ilacs: Vec<&Value> = results
        .iter()
        .filter(|r| {
            r["published"]
                .as_object()
                .is_some_and(|p| p.keys().any(|k| k.starts_with("ilacs.")))
        })
        .collect();
    assert_eq!(ilacs.len(), 321);
    let files = |r: &Value| {
        r["published"]
            .as_object()
            .into_iter()
            .flat_map(|p| p.values())
            .flat_map(|s| s.as_array().into_iter().flatten())
            .filter_map(|s| s["file"].as_str().map(str::to_owned))
            .collect::<std::collections::BTreeSet<String>>()
    };
    let three = ilacs.iter().filter(|r| files(r).len() == 3).count();
    assert!(three >= 70, "{three} inspections with three sources");
    assert_eq!(report["summary"]["inconsistent"], 0);
}
