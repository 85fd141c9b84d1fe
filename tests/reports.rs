//! Report PDFs: `ratings check` and `extract` read them (the reader's own tests, with PDFs they
//! write themselves for each layout and failure, are in `crates/pdf/tests`). Where
//! `../shared/found-data/reports` exists, every report there is checked and must give the same
//! grades and verdicts as the tables of the same reports.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use common::{ratings, root};
use serde_json::Value;

fn reports() -> Option<PathBuf> {
    common::found_data("reports")
}

/// (authority, date) to (verdict, published grades) of every result.
fn results(report: &Value) -> BTreeMap<(String, String), (String, BTreeMap<String, i64>)> {
    report["results"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            let grades = r["published"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(j, s)| (j.clone(), s[0]["value"].as_i64().unwrap_or(0)))
                .collect();
            (
                (
                    r["subject"]["name"].as_str().unwrap_or("").to_owned(),
                    r["date"].as_str().unwrap_or("").to_owned(),
                ),
                (r["verdict"].as_str().unwrap_or("").to_owned(), grades),
            )
        })
        .collect()
}

#[test]
fn every_report_gives_the_grades_and_verdicts_of_the_tables() {
    let Some(dir) = reports() else { return };
    let dir_text = dir.to_string_lossy().into_owned();
    let run = ratings(&["check", "--format", "json", dir_text.as_str()]);
    let from_reports: Value = serde_json::from_str(&run.stdout).expect("JSON");
    // No false finding: nothing is inconsistent, so the run exits 0 (re-inspections and
    // inspections without an LSCB review are read without the LSCB, as docs/reports.md says).
    assert_eq!(run.code, 0, "{}", run.stderr);
    let findings: Vec<&Value> = from_reports["results"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|r| r["findings"].as_array().into_iter().flatten())
        .filter(|f| f["severity"] == "error")
        .collect();
    assert!(findings.is_empty(), "{findings:#?}");
    assert_eq!(from_reports["summary"]["rejected"], 0, "{}", run.stderr);
    assert_eq!(
        from_reports["summary"]["unreadable_files"], 0,
        "{}",
        run.stderr
    );
    assert_eq!(
        from_reports["summary"]["skipped_files"], 1,
        "INDEX.csv is skipped, with a warning"
    );
    let mut from_tables = BTreeMap::new();
    for layout in ["sif-2014-2018", "ilacs-2018-2026", "lac-2013"] {
        let table = root()
            .join(format!("../shared/found-data/{layout}-la-judgements.csv"))
            .to_string_lossy()
            .into_owned();
        let map = format!("maps/{layout}.toml");
        let run = ratings(&[
            "check",
            "--columns",
            map.as_str(),
            "--format",
            "json",
            table.as_str(),
        ]);
        from_tables.extend(results(&serde_json::from_str(&run.stdout).expect("JSON")));
    }
    let read = results(&from_reports);
    assert_eq!(read.len(), 124);
    for (key, (verdict, grades)) in &read {
        // Where a table row has no inspection dates its publication date stands in, which
        // is weeks or months after the first day of inspection that the report itself gives.
        let published_later = || {
            let start = chrono::NaiveDate::parse_from_str(&key.1, "%Y-%m-%d").ok()?;
            let mut later = from_tables.iter().filter(|((authority, date), _)| {
                let date = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d");
                authority == &key.0
                    && date.is_ok_and(|date| date > start && (date - start).num_days() < 300)
            });
            let only = later.next()?;
            later.next().is_none().then_some(only.1)
        };
        let Some((table_verdict, table_grades)) = from_tables.get(key).or_else(published_later)
        else {
            panic!("{key:?}: no table row for this report");
        };
        assert_eq!(grades, table_grades, "{key:?}: grades");
        assert_eq!(verdict, table_verdict, "{key:?}: verdict");
    }
}

#[test]
fn a_file_that_is_not_a_report_is_refused_by_name() {
    let dir = std::env::temp_dir().join(format!("ratings-reports-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let cases = [
        (
            "not-a-pdf.pdf",
            b"Minutes of the meeting".to_vec(),
            "not a PDF",
        ),
        (
            "truncated.pdf",
            b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog".to_vec(),
            "truncated",
        ),
        (
            "saved-page.pdf",
            b"<!DOCTYPE html>\n<html><head><title>Ofsted</title></head></html>".to_vec(),
            "an HTML page (a web page saved as the file), not a PDF",
        ),
    ];
    for (name, bytes, says) in cases {
        let path = dir.join(name);
        std::fs::write(&path, bytes).expect("write");
        let path = path.to_string_lossy().into_owned();
        for command in ["check", "extract"] {
            let run = ratings(&[command, path.as_str()]);
            assert_eq!(run.code, 2, "{command} {name}: {}", run.stderr);
            assert!(
                run.stderr.contains(&path),
                "{command} {name} names the file: {}",
                run.stderr
            );
            assert!(
                run.stderr.contains(says),
                "{command} {name}: {}",
                run.stderr
            );
            assert!(
                !run.stderr
                    .contains("the reader knows the SIF, ILACS and LAC"),
                "{command} {name}: {}",
                run.stderr
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn extract_prints_the_contract_for_a_report() {
    let Some(dir) = reports() else { return };
    let file = dir.join("ilacs-2023-03-13-80447-hull.pdf");
    let file = if file.exists() {
        file
    } else {
        let Some(found) = std::fs::read_dir(&dir)
            .expect("dir")
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        else {
            return;
        };
        found
    };
    let path = file.to_string_lossy().into_owned();
    let run = ratings(&["extract", "--format", "json", path.as_str()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let value: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let record = &value["records"][0];
    for key in [
        "authority",
        "date",
        "year",
        "framework",
        "source",
        "grades",
        "labels",
        "pages",
    ] {
        assert!(!record[key].is_null(), "{key} in {record}");
    }
    assert!(value["skipped"].is_array());
}

/// A report's grades are located by the pages a reader can turn to: a LAC report's table is
/// near its end, and the lines of the extracted text are not shown as places.
#[test]
fn a_report_is_located_by_its_pages() {
    let Some(dir) = reports() else { return };
    let file = dir.join("lac2013-2013-08-02-80549-sandwell.pdf");
    if !file.exists() {
        return;
    }
    let path = file.to_string_lossy().into_owned();
    let run = ratings(&["extract", "--format", "json", path.as_str()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let value: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let record = &value["records"][0];
    assert_eq!(
        record["source"]["locator"],
        "lac2013-2013-08-02-80549-sandwell.pdf, page 24"
    );
    assert_eq!(record["pages"]["lac.overall_effectiveness"], 24);
    assert_eq!(record["page_lines"]["lac.overall_effectiveness"], 4);
    let toml = ratings(&["extract", path.as_str()]);
    assert!(
        toml.stdout
            .contains("\"lac.overall_effectiveness\" = 4  # page 24, line 4: Overall effectiveness: Inadequate"),
        "{}",
        toml.stdout
    );
    let check = ratings(&["check", path.as_str()]);
    let published: Vec<&str> = check
        .stdout
        .lines()
        .filter(|l| l.trim_start().starts_with("published"))
        .collect();
    assert_eq!(published.len(), 5, "{}", check.stdout);
    for line in published {
        assert!(
            line.ends_with(&format!("sandwell.pdf, page 24; {path})")),
            "{line}"
        );
    }
}
