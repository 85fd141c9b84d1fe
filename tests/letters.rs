//! Reading letters: every seed document extracts completely (snapshots of the records, and a
//! TOML round trip through `check`), and altered copies are detected or extracted as altered.
//! Documents without grades are in the bad-input catalogue (`tests/bad_input.rs`).

mod common;

use common::{ratings, root};
use serde_json::Value;

fn seed_documents() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join("corpus/documents"))
        .expect("corpus/documents")
        .filter_map(Result::ok)
        .map(|e| format!("corpus/documents/{}", e.file_name().to_string_lossy()))
        .filter(|f| f.ends_with(".txt"))
        .collect();
    files.sort();
    files
}

fn extract_json(file: &str) -> Value {
    let run = ratings(&["extract", "--format", "json", file]);
    let value: Value = serde_json::from_str(&run.stdout).expect("extract prints JSON");
    // 0 for a document that agrees with itself, 1 when it does not.
    let disagrees = value["findings"].as_array().is_some_and(|f| !f.is_empty());
    assert_eq!(run.code, i32::from(disagrees), "{file}: {}", run.stderr);
    value
}

/// (authority, year, judgement, grade) of every checked grade in a check report.
fn published(report: &Value) -> Vec<(String, i64, String, i64)> {
    let mut out = Vec::new();
    for result in report["results"].as_array().into_iter().flatten() {
        for (judgement, sources) in result["published"].as_object().into_iter().flatten() {
            for source in sources.as_array().into_iter().flatten() {
                out.push((
                    result["subject"]["name"].as_str().unwrap_or("").to_owned(),
                    result["year"].as_i64().unwrap_or(0),
                    judgement.clone(),
                    source["value"].as_i64().unwrap_or(0),
                ));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_seed_extracts_and_reads_back_unchanged() {
    for file in seed_documents() {
        let name = file
            .rsplit('/')
            .next()
            .unwrap_or(&file)
            .trim_end_matches(".txt")
            .to_owned();
        let json = extract_json(&file);
        assert!(
            json["skipped"].as_array().is_some_and(Vec::is_empty),
            "{file}: nothing is skipped in a seed"
        );
        assert!(
            json.get("findings").is_none(),
            "{file}: the seeds agree with themselves"
        );
        insta::assert_snapshot!(
            format!("extract_json_{name}"),
            serde_json::to_string_pretty(&json).unwrap_or_default()
        );
        let toml_run = ratings(&["extract", file.as_str()]);
        insta::assert_snapshot!(format!("extract_toml_{name}"), toml_run.stdout);

        // The TOML reads back into the same grades as checking the letter directly.
        let path = std::env::temp_dir().join(format!(
            "ratings-roundtrip-{}-{name}.toml",
            std::process::id()
        ));
        std::fs::write(&path, &toml_run.stdout).expect("temp file");
        let from_toml = ratings(&[
            "check",
            "--format",
            "json",
            path.to_str().unwrap_or_default(),
        ]);
        let from_letter = ratings(&["check", "--format", "json", file.as_str()]);
        let _ = std::fs::remove_file(&path);
        let (a, b): (Value, Value) = (
            serde_json::from_str(&from_toml.stdout).expect("JSON"),
            serde_json::from_str(&from_letter.stdout).expect("JSON"),
        );
        assert_eq!(a["summary"]["rejected"], 0, "{file}: {}", from_toml.stderr);
        assert_eq!(
            published(&a),
            published(&b),
            "{file}: TOML and letter give the same grades"
        );
        assert_eq!(a["summary"]["consistent"], b["summary"]["consistent"]);
    }
}

#[test]
fn the_seeds_give_the_grades_a_reader_finds() {
    let grades = |file: &str| -> Vec<(i64, String, i64)> {
        let json = extract_json(file);
        let mut out: Vec<(i64, String, i64)> = json["records"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|r| {
                let year = r["year"].as_i64().unwrap_or(0);
                r["grades"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(move |(j, v)| (year, j.clone(), v.as_i64().unwrap_or(0)))
            })
            .collect();
        out.sort();
        out
    };
    let g = |year: i64, judgement: &str, value: i64| (year, judgement.to_owned(), value);
    assert_eq!(
        grades("corpus/documents/000_7d76ba5bb3d9bc21.txt"),
        vec![g(2009, "rating.overall", 2)]
    );
    assert_eq!(
        grades("corpus/documents/002_aab419f22cbc89f4.txt"),
        vec![
            g(2008, "jar.looked_after_children", 2),
            g(2008, "jar.safeguarding", 2),
            g(2009, "rating.overall", 1)
        ]
    );
    assert_eq!(
        grades("corpus/documents/003_1ba3d8b70830e6fc.txt"),
        vec![g(2010, "rating.overall", 1), g(2011, "rating.overall", 2)]
    );
    let leicestershire = grades("corpus/documents/001_d5d7fce2c17b5d19.txt");
    assert_eq!(leicestershire.len(), 7);
    assert!(leicestershire.contains(&g(2008, "apa.capacity_to_improve", 4)));
    assert!(leicestershire.contains(&g(2008, "apa.making_a_positive_contribution", 4)));
    let leicester = grades("corpus/documents/004_2e0d96179e88cdaf.txt");
    assert_eq!(leicester.len(), 12, "seven APA and five JAR grades");
    assert!(leicester.contains(&g(2008, "apa.enjoying_and_achieving", 1)));
    assert!(leicester.contains(&g(2008, "jar.learning_difficulties_and_disabilities", 2)));
}

/// What each altered copy must produce: a finding with its lines, or an altered grade.
#[test]
fn alterations_are_detected_or_extracted_as_altered() {
    let finding = |file: &str, code: &str, lines: &[u64]| {
        let json = extract_json(&format!("tests/letters/altered/{file}"));
        let found: Vec<(String, Vec<u64>)> = json["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| {
                (
                    f["code"].as_str().unwrap_or("").to_owned(),
                    f["lines"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_u64)
                        .collect(),
                )
            })
            .collect();
        assert!(
            found.contains(&(code.to_owned(), lines.to_vec())),
            "{file}: expected {code} at {lines:?}, found {found:?}"
        );
    };
    finding(
        "leicestershire-table-swapped.txt",
        "restated-grade-mismatch",
        &[28, 107],
    );
    finding(
        "leicestershire-table-swapped.txt",
        "restated-grade-mismatch",
        &[29, 125],
    );
    finding(
        "leicestershire-narrative-changed.txt",
        "narrative-mismatch",
        &[44, 46],
    );
    finding(
        "leicestershire-section-regraded.txt",
        "restated-grade-mismatch",
        &[26, 65],
    );
    finding("leicester-2009-label-changed.txt", "label-mismatch", &[27]);
    finding(
        "leicester-2009-narrative-changed.txt",
        "narrative-mismatch",
        &[27, 30],
    );
    finding(
        "leicester-2008-overall-raised.txt",
        "restated-grade-mismatch",
        &[78, 30],
    );

    let grade = |file: &str, year: i64, judgement: &str| -> Option<i64> {
        let json = extract_json(&format!("tests/letters/altered/{file}"));
        json["records"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["year"] == year)
            .and_then(|r| r["grades"][judgement].as_i64())
    };
    assert_eq!(
        grade("leeds-2009-regraded.txt", 2009, "rating.overall"),
        Some(3)
    );
    assert_eq!(
        grade(
            "leicestershire-table-swapped.txt",
            2008,
            "apa.making_a_positive_contribution"
        ),
        Some(3)
    );
    for (judgement, value) in [
        ("apa.overall_effectiveness", 2),
        ("apa.enjoying_and_achieving", 1),
        ("apa.capacity_to_improve", 2),
        ("jar.safeguarding", 3),
    ] {
        assert_eq!(
            grade("leicester-2008-table-reflowed.txt", 2008, judgement),
            Some(value),
            "reflowed table: {judgement}"
        );
    }

    // Unplaceable grades are skipped with their lines, and `check` counts them as rejected.
    let run = ratings(&[
        "extract",
        "--format",
        "json",
        "tests/letters/altered/leicestershire-unplaceable-rows.txt",
    ]);
    assert_eq!(
        run.code, 2,
        "skipped grades are input lost: extract exits 2"
    );
    let json: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let skipped: Vec<u64> = json["skipped"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["line"].as_u64())
        .collect();
    assert_eq!(skipped, vec![26, 27]);
    assert!(run.stderr.contains("2 skipped"));
    let check = ratings(&[
        "check",
        "--format",
        "json",
        "tests/letters/altered/leicestershire-unplaceable-rows.txt",
    ]);
    let report: Value = serde_json::from_str(&check.stdout).expect("JSON");
    assert_eq!(report["summary"]["rejected"], 2);
    assert_eq!(check.code, 2);
}

#[test]
fn checking_altered_letters_reports_findings_with_lines() {
    let mut files: Vec<String> = std::fs::read_dir(root().join("tests/letters/altered"))
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| format!("tests/letters/altered/{}", e.file_name().to_string_lossy()))
        .collect();
    files.sort();
    let (mut findings, mut alternatives) = (0, 0);
    for file in files {
        // Every disagreement `extract` finds is a finding of the checked assessment, with the
        // same lines; and the other grade it states is checked as an alternative.
        let extracted = ratings(&["extract", "--format", "json", file.as_str()]);
        let extracted: Value = serde_json::from_str(&extracted.stdout).expect("JSON");
        let checked = ratings(&["check", "--format", "json", file.as_str()]);
        let report: Value = serde_json::from_str(&checked.stdout).expect("JSON");
        let results = report["results"].as_array().cloned().unwrap_or_default();
        for expected in extracted["findings"].as_array().into_iter().flatten() {
            let found = results.iter().any(|result| {
                result["findings"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|f| {
                        f["code"] == expected["code"]
                            && f["lines"] == expected["lines"]
                            && f["judgements"][0] == expected["judgement"]
                    })
            });
            assert!(found, "{file}: {expected} is not reported by check");
            findings += 1;
            if let Some(value) = expected["alternative"].as_i64() {
                let alternative = results.iter().any(|result| {
                    result["alternatives"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .any(|a| a["judgement"] == expected["judgement"] && a["value"] == value)
                });
                assert!(
                    alternative,
                    "{file}: {expected} is not checked as an alternative"
                );
                alternatives += 1;
                assert_eq!(
                    checked.code, 2,
                    "{file}: a document at odds with itself exits 2"
                );
            }
        }
        let args = ["check", file.as_str()];
        let run = ratings(&args);
        assert!(!run.stderr.contains("panicked"));
        let name = file
            .rsplit('/')
            .next()
            .unwrap_or(&file)
            .trim_end_matches(".txt")
            .to_owned();
        insta::assert_snapshot!(format!("check_letter_{name}"), run.transcript(&args));
    }
    assert!(
        findings >= 7,
        "the altered letters hold {findings} disagreements"
    );
    assert!(
        alternatives >= 6,
        "{alternatives} of them state another grade"
    );
}

/// One assessment as the round trip compares it: subject, period, verdict, finding codes and
/// grades.
type Assessed = (String, String, String, Vec<String>, String);

/// What `check` makes of a run, without the names of the files read: the exit code, the
/// summary, and for each assessment its verdict, its finding codes and the grades given.
fn outcome(run: &common::Run) -> (i32, Value, Vec<Assessed>) {
    let report: Value = serde_json::from_str(&run.stdout).expect("check prints JSON");
    let mut results = Vec::new();
    for result in report["results"].as_array().into_iter().flatten() {
        let period = result["date"]
            .as_str()
            .map_or_else(|| result["year"].to_string(), str::to_owned);
        let mut codes: Vec<String> = result["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f["code"].as_str().map(str::to_owned))
            .collect();
        codes.sort();
        let mut grades: Vec<String> = Vec::new();
        for (judgement, sources) in result["published"].as_object().into_iter().flatten() {
            for source in sources.as_array().into_iter().flatten() {
                grades.push(format!("{judgement}={}", source["value"]));
            }
        }
        grades.sort();
        results.push((
            result["subject"]["name"].as_str().unwrap_or("").to_owned(),
            period,
            result["verdict"].as_str().unwrap_or("").to_owned(),
            codes,
            grades.join(" "),
        ));
    }
    (run.code, report["summary"].clone(), results)
}

/// Every letter and report fixture: checking what `extract` writes finds what checking the
/// document finds, disagreements inside it and grades it could not place included (the TOML
/// carries them as `[[disagreement]]` and `[[unplaced]]` tables).
#[test]
fn extract_then_check_finds_what_checking_the_document_finds() {
    let mut documents = seed_documents();
    let altered = root().join("tests/letters/altered");
    let mut more: Vec<String> = std::fs::read_dir(&altered)
        .expect("tests/letters/altered")
        .filter_map(Result::ok)
        .map(|e| format!("tests/letters/altered/{}", e.file_name().to_string_lossy()))
        .collect();
    more.sort();
    documents.extend(more);
    if let Some(reports) = common::found_data("reports") {
        let mut pdfs: Vec<String> = std::fs::read_dir(&reports)
            .expect("reports")
            .filter_map(Result::ok)
            .map(|e| e.path().display().to_string())
            .filter(|p| p.ends_with(".pdf"))
            .collect();
        pdfs.sort();
        documents.extend(pdfs);
    }
    let mut disputed = 0;
    for (index, file) in documents.iter().enumerate() {
        let extracted = ratings(&["extract", file.as_str()]);
        let path = std::env::temp_dir().join(format!(
            "ratings-roundtrip-all-{}-{index}.toml",
            std::process::id()
        ));
        std::fs::write(&path, &extracted.stdout).expect("temp file");
        let from_toml = ratings(&[
            "check",
            "--format",
            "json",
            path.to_str().unwrap_or_default(),
        ]);
        let from_document = ratings(&["check", "--format", "json", file.as_str()]);
        let _ = std::fs::remove_file(&path);
        let (a, b) = (outcome(&from_toml), outcome(&from_document));
        assert_eq!(a, b, "{file}: extracted TOML and document differ");
        disputed += usize::from(b.0 == 2);
    }
    // The altered letters are there to disagree with themselves: the round trip keeps that.
    assert!(disputed >= 7, "{disputed} documents exit 2");
}

/// A judgement name the reader does not know, written with terminal escapes and a lone
/// carriage return, reaches neither the terminal nor the TOML raw: `extract` escapes it, and
/// `check` reads the TOML back and rejects the grade it could not place, as it does reading the
/// letter.
#[test]
fn extract_escapes_control_characters_in_what_it_could_not_place() {
    let letter = std::fs::read_to_string(
        root().join("tests/letters/altered/leicestershire-unplaceable-rows.txt"),
    )
    .expect("fixture");
    let hostile = letter.replace(
        "Leadership and management\t3",
        "Leadership\u{1b}[31m and\r management\t3",
    );
    assert!(hostile != letter, "the fixture has the row to alter");
    let dir = std::env::temp_dir().join(format!("ratings-extract-escape-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("hostile.txt");
    std::fs::write(&path, hostile).expect("letter");
    let extracted = ratings(&["extract", path.to_str().unwrap_or_default()]);
    assert_eq!(
        extracted.code, 2,
        "a grade not placed: {}",
        extracted.stderr
    );
    for output in [&extracted.stdout, &extracted.stderr] {
        assert!(
            !output
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t'),
            "a raw control character in {output:?}"
        );
    }
    let toml = dir.join("hostile.toml");
    std::fs::write(&toml, &extracted.stdout).expect("toml");
    let checked = ratings(&["check", "--quiet", toml.to_str().unwrap_or_default()]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(checked.code, 2, "{}", checked.stderr);
    assert!(
        checked.stderr.contains("error[unplaceable-grade]"),
        "{}",
        checked.stderr
    );
    assert!(
        checked.stdout.contains("2 rejected"),
        "both rows the letter could not place are rejected: {}",
        checked.stdout
    );
}

/// Letters that agree with themselves give no finding: a grade word in a judgement's
/// paragraph is taken as speaking of that judgement only in a sentence that names no other
/// (an overall-effectiveness paragraph saying "the contribution ... to making a positive
/// contribution is outstanding" speaks of that aspect, which is outstanding, not of overall
/// effectiveness, which is good).
#[test]
fn letters_that_agree_with_themselves_give_no_finding() {
    let dir = root().join("tests/letters/agreeing");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/letters/agreeing")
        .filter_map(Result::ok)
        .map(|e| format!("tests/letters/agreeing/{}", e.file_name().to_string_lossy()))
        .filter(|f| f.ends_with(".txt"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for file in files {
        let json = extract_json(&file);
        assert!(json.get("findings").is_none(), "{file}: {json}");
        let run = ratings(&["check", "--format", "json", file.as_str()]);
        let report: Value = serde_json::from_str(&run.stdout).expect("JSON");
        assert_eq!(
            report["summary"]["with_errors"], 0,
            "{file}: {}",
            run.stdout
        );
        assert_eq!(report["summary"]["conflicts"], 0, "{file}");
    }
}

/// `extract` reads a directory as `check` does: its letters and reports, each once, with the
/// other files left out with a warning; its TOML checks as the directory does.
#[test]
fn extract_reads_a_directory() {
    let run = ratings(&["extract", "tests/letters"]);
    assert_eq!(
        run.code, 2,
        "a letter there has grades it cannot place: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains("tests/letters/agreeing/README.md"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("warning[skipped-file]"),
        "{}",
        run.stderr
    );
    let letters = std::fs::read_dir(root().join("tests/letters/altered"))
        .expect("altered")
        .count()
        + 1;
    assert_eq!(
        run.stderr.matches(" disagreement").count(),
        letters,
        "a summary line per letter: {}",
        run.stderr
    );
    let path =
        std::env::temp_dir().join(format!("ratings-extract-dir-{}.toml", std::process::id()));
    std::fs::write(&path, &run.stdout).expect("temp file");
    let from_toml = ratings(&[
        "check",
        "--format",
        "json",
        path.to_str().unwrap_or_default(),
    ]);
    let from_dir = ratings(&["check", "--format", "json", "tests/letters"]);
    let _ = std::fs::remove_file(&path);
    let (a, b) = (outcome(&from_toml), outcome(&from_dir));
    assert_eq!((a.0, &a.2), (b.0, &b.2));
}
