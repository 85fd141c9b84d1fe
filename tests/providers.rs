//! Children's social care providers: Ofsted's provider-level statistics read through the
//! shipped map `maps/sccif-providers.toml`, checked against the SCCIF's stated rules.
//!
//! Hand-made fixtures (`tests/wide/sccif-providers-*.csv`, invented providers) in the layouts
//! of 2016, 2022 and a "next year" with new title lines and columns reordered and respelt;
//! tables the map must refuse (`tests/bad-input/providers/`); and, where
//! `../shared/found-data/providers` exists (CI has it; its files may not be copied into the
//! project), the nine national snapshots: every row accounted for, the breaches equal to an
//! independent computation written here, a copy with one row altered reported at that row, and
//! `docs/providers.md` regenerated (`RATINGS_UPDATE_DOCS=1` rewrites it).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use common::{found_data, ratings, root};
use serde_json::Value;

const MAP: &str = "sccif-providers";

fn json(args: &[&str]) -> Value {
    let run = ratings(args);
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|_| panic!("JSON from {args:?}: {}", run.stderr))
}

#[track_caller]
fn assert_counts_add_up(report: &Value, what: &str) {
    let n = |key: &str| report["summary"][key].as_u64().unwrap_or(u64::MAX);
    assert_eq!(
        n("records"),
        n("checked") + n("not_graded") + n("rejected"),
        "{what}: records = checked + not graded + rejected"
    );
}

/// `(URN, inspection number)` of every inconsistent result, and the rules it breaks.
fn breaches(report: &Value) -> BTreeMap<(String, String), Vec<String>> {
    report["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["verdict"] == "inconsistent")
        .map(|r| {
            let rules = r["findings"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|f| f["code"] == "rule-broken")
                .filter_map(|f| f["rule"].as_str().map(str::to_owned))
                .collect();
            (
                (
                    r["subject"]["id"].as_str().unwrap_or("").to_owned(),
                    r["inspection"].as_str().unwrap_or("").to_owned(),
                ),
                rules,
            )
        })
        .collect()
}

#[test]
fn provider_tables_are_read_through_the_shipped_map() {
    for files in [
        &[
            "tests/wide/sccif-providers-2016.csv",
            "tests/wide/sccif-providers-2022.csv",
        ][..],
        &["tests/wide/sccif-providers-next-year.csv"][..],
    ] {
        let mut args = vec!["check", "--columns", MAP, "--format", "compact"];
        args.extend_from_slice(files);
        let run = ratings(&args);
        assert!(!run.stderr.contains("panicked"));
        let name = Path::new(files[files.len() - 1])
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        insta::assert_snapshot!(format!("providers_{name}"), run.transcript(&args));
        let mut args = vec!["check", "--columns", MAP, "--format", "json"];
        args.extend_from_slice(files);
        let report = json(&args);
        assert_counts_add_up(&report, &name);
        assert_eq!(report["summary"]["rejected"], 0, "{name}");
    }
    // The breaches of the fixtures, by rule: helped and protected inadequate with overall good,
    // in the SCCIF and in the April 2015 children's homes framework; leaders inadequate with
    // overall good.
    let report = json(&[
        "check",
        "--columns",
        MAP,
        "--format",
        "json",
        "tests/wide/sccif-providers-2016.csv",
        "tests/wide/sccif-providers-2022.csv",
        "tests/wide/sccif-providers-next-year.csv",
    ]);
    let found = breaches(&report);
    let expected: BTreeMap<(String, String), Vec<String>> = [
        (
            "SC900001",
            "10800001",
            "childrens_homes.not-protecting-means-inadequate-2015",
        ),
        (
            "SC900002",
            "10900002",
            "childrens_homes.help-and-protection-inadequate-means-inadequate",
        ),
        (
            "SC900003",
            "10900003",
            "childrens_homes.leaders-inadequate-caps-at-requires-improvement",
        ),
        (
            "SC900011",
            "10900011",
            "childrens_homes.not-protecting-means-inadequate-2015",
        ),
        (
            "SC900102",
            "10900102",
            "childrens_homes.help-and-protection-inadequate-means-inadequate",
        ),
        (
            "SC900103",
            "10900103",
            "fostering.leaders-inadequate-caps-at-requires-improvement",
        ),
    ]
    .into_iter()
    .map(|(urn, number, rule)| ((urn.to_owned(), number.to_owned()), vec![rule.to_owned()]))
    .collect();
    assert_eq!(found, expected);
    // Every breach rests on Ofsted's stated rule, and the grades are independent of it.
    for result in report["results"].as_array().into_iter().flatten() {
        if result["verdict"] == "inconsistent" || result["verdict"] == "consistent" {
            assert_eq!(result["basis"], "stated", "{result}");
            assert_eq!(result["support"], "independent", "{result}");
        }
    }
    // The inspection in both the 2016 and 2022 snapshots is one assessment with two sources.
    let both = report["results"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["inspection"] == "10900002")
        .expect("SC900002's inspection");
    let sources = both["published"]["childrens_homes.help_and_protection"]
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!(sources, 2, "{both}");
    // Not graded: a monitoring inspection, a provider never inspected, Cafcass.
    assert_eq!(report["summary"]["not_graded"], 3);
    assert_eq!(report["not_graded"].as_object().map_or(0, |o| o.len()), 3);
}

/// Next year's file may add a column: one without a grade in it is left out with a warning,
/// and the rest read as before.
#[test]
fn a_new_column_without_grades_is_left_out_with_a_warning() {
    let args = [
        "check",
        "--columns",
        MAP,
        "--format",
        "compact",
        "tests/wide/sccif-providers-new-column.csv",
    ];
    let run = ratings(&args);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("warning[unread-column]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`Ofsted region code`"),
        "{}",
        run.stderr
    );
    let before = ratings(&[
        "check",
        "--columns",
        MAP,
        "--format",
        "compact",
        "tests/wide/sccif-providers-next-year.csv",
    ]);
    assert_eq!(
        run.stdout, before.stdout,
        "the same verdicts as without the column"
    );
}

/// Tables the map must not read as they stand: each is refused, or loses the one row it
/// cannot place, with its position; never exit 0.
#[test]
fn bad_provider_tables_are_refused_with_their_position() {
    let dir = root().join("tests/bad-input/providers");
    let mut cases: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/bad-input/providers")
        .filter_map(Result::ok)
        .map(|e| {
            format!(
                "tests/bad-input/providers/{}",
                e.file_name().to_string_lossy()
            )
        })
        .collect();
    cases.sort();
    assert!(cases.len() >= 5);
    for case in &cases {
        let args = [
            "check",
            "--columns",
            MAP,
            "--format",
            "compact",
            case.as_str(),
        ];
        let run = ratings(&args);
        assert_eq!(run.code, 2, "{case}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!("--> {case}:")),
            "{case}: {}",
            run.stderr
        );
        let name = case
            .trim_start_matches("tests/bad-input/")
            .replace(['/', '.'], "_");
        insta::assert_snapshot!(format!("bad_{name}"), run.transcript(&args));
        let report = json(&["check", "--columns", MAP, "--format", "json", case]);
        assert_counts_add_up(&report, case);
    }
}

/// The snapshots' files, in order.
fn snapshots(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .expect("providers folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    files.sort();
    files
}

/// One snapshot row as this test reads it, independently of the program: cells by header
/// name, lower-cased.
struct Row {
    line: usize,
    cells: BTreeMap<String, String>,
}

/// Every data row of a snapshot: the header is the first line with a `URN` cell; rows of
/// empty cells are not rows. Bytes that are not UTF-8 (one snapshot is Windows-1252) are read
/// lossily: they are in names only.
fn rows_of(path: &str) -> Vec<Row> {
    let bytes = std::fs::read(path).expect("snapshot");
    let text = String::from_utf8_lossy(&bytes);
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut header: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.expect("a CSV row");
        let line = record.position().map_or(0, |p| p.line() as usize);
        let cells: Vec<String> = record.iter().map(|c| c.trim().to_lowercase()).collect();
        match &header {
            None => {
                if cells.iter().any(|c| c == "urn") {
                    header = Some(cells);
                }
            }
            Some(names) => {
                if cells.iter().all(String::is_empty) {
                    continue;
                }
                rows.push(Row {
                    line,
                    cells: names.iter().cloned().zip(cells).collect(),
                });
            }
        }
    }
    rows
}

impl Row {
    /// The first cell whose header contains one of `names`.
    fn get(&self, names: &[&str]) -> &str {
        names
            .iter()
            .find_map(|name| {
                self.cells
                    .iter()
                    .find(|(header, value)| header.contains(name) && !value.is_empty())
                    .map(|(_, value)| value.as_str())
            })
            .unwrap_or("")
    }

    /// `YYYY-MM-DD` of the inspection date.
    fn day(&self) -> String {
        let date = self.get(&["inspection date"]);
        let parts: Vec<&str> = date.split('/').collect();
        match parts.as_slice() {
            [d, m, y] => format!("{y}-{m}-{d}"),
            _ => String::new(),
        }
    }
}

/// The breaches of Ofsted's stated rules, computed here from the cells alone: helped and
/// protected inadequate with overall not inadequate (SCCIF inspections from 1 April 2017, and
/// children's homes from 1 April 2015), and leaders inadequate with overall good or outstanding
/// (SCCIF). Secure training centres and Cafcass are not under the SCCIF; monitoring
/// inspections are not full ones.
fn independent_breaches(rows: &[Row]) -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    for row in rows {
        let kind = row.get(&["provision type"]);
        if kind.is_empty() || kind.contains("secure training") || kind == "cafcass" {
            continue;
        }
        if !row
            .get(&["event type", "inspection type"])
            .starts_with("full")
        {
            continue;
        }
        let day = row.day();
        let overall = row.get(&["overall"]);
        let protection = row.get(&[
            "helped and protected",
            "safeguarding children",
            "safety of children",
        ]);
        let leaders = row.get(&["leaders and managers", "leadership and management"]);
        let childrens_home = kind.contains("children's home") || kind.contains(">295");
        let sccif = day.as_str() >= "2017-04-01";
        let homes_2015 = childrens_home && day.as_str() >= "2015-04-01";
        let protection_rule =
            (sccif || homes_2015) && protection == "inadequate" && overall != "inadequate";
        let leaders_rule =
            sccif && leaders == "inadequate" && (overall == "good" || overall == "outstanding");
        if protection_rule || leaders_rule {
            found.insert((
                row.get(&["urn"]).to_uppercase(),
                row.get(&["event number", "inspection id"]).to_owned(),
            ));
        }
    }
    found
}

#[test]
fn the_national_record_checks_whole_and_its_breaches_are_the_independent_ones() {
    let Some(dir) = found_data("providers") else {
        return;
    };
    let dir_arg = dir.to_string_lossy().into_owned();
    let report = json(&["check", "--columns", MAP, "--format", "json", &dir_arg]);
    assert_counts_add_up(&report, "the nine snapshots");
    let summary = &report["summary"];
    assert_eq!(
        summary["rejected"], 0,
        "no row is rejected: {}",
        report["problems"]
    );
    assert_eq!(summary["unreadable_files"], 0);
    assert_eq!(summary["ignored_columns"], 0);
    let files = snapshots(&dir);
    assert_eq!(files.len(), 9);
    let rows: Vec<Row> = files.iter().flat_map(|f| rows_of(f)).collect();
    assert_eq!(
        summary["records"].as_u64(),
        Some(rows.len() as u64),
        "every data row is a record"
    );
    // The breaches are exactly those computed here, and each rests on a stated rule with
    // independent grades.
    let found: BTreeSet<(String, String)> = breaches(&report).into_keys().collect();
    let expected = independent_breaches(&rows);
    assert_eq!(found, expected);
    assert!(!found.is_empty());
    for result in report["results"].as_array().into_iter().flatten() {
        if result["verdict"] == "inconsistent" {
            assert_eq!(result["basis"], "stated");
            assert_eq!(result["support"], "independent");
        }
    }
    let quiet = ratings(&["check", "--columns", MAP, "--quiet", &dir_arg]);
    insta::assert_snapshot!("national_record_summary", quiet.stdout);
}

#[test]
fn a_snapshot_with_one_row_altered_reports_that_row() {
    let Some(dir) = found_data("providers") else {
        return;
    };
    let source = dir.join("provider_at_march_2021.csv");
    let rows = rows_of(&source.to_string_lossy());
    // A children's home inspected under the SCCIF, good overall and helped and protected good:
    // its helped and protected becomes inadequate.
    let target = rows
        .iter()
        .find(|r| {
            r.get(&["provision type"]) == "children's home"
                && r.day().as_str() >= "2017-04-01"
                && r.get(&["overall"]) == "good"
                && r.get(&["helped and protected"]) == "good"
        })
        .expect("such a row");
    let text = std::fs::read_to_string(&source).expect("UTF-8 snapshot");
    let mut altered = String::new();
    for (index, line) in text.lines().enumerate() {
        if index + 1 == target.line {
            // The last three cells are overall, helped and protected, leaders (2021 layout).
            let mut cells: Vec<&str> = line.rsplitn(3, ',').collect();
            cells.reverse();
            let changed = format!("{},Inadequate,{}", cells[0], cells[2]);
            altered.push_str(&changed);
        } else {
            altered.push_str(line);
        }
        altered.push('\n');
    }
    let copy = std::env::temp_dir().join(format!("ratings-provider-{}.csv", std::process::id()));
    std::fs::write(&copy, altered).expect("write");
    let path = copy.to_string_lossy().into_owned();
    let run = ratings(&["check", "--columns", MAP, "--only", "inconsistent", &path]);
    let _ = std::fs::remove_file(&copy);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("childrens_homes.help-and-protection-inadequate-means-inadequate"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(&format!("{path}:{}:", target.line)),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("will always be inadequate"),
        "Ofsted's sentence"
    );
}

/// `docs/providers.md`, generated from the program's output over the nine snapshots.
fn generate(dir: &Path) -> String {
    let dir_arg = dir.to_string_lossy().into_owned();
    let files = snapshots(dir);
    let shown = |path: &str| {
        Path::new(path)
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    };
    let report = json(&[
        "check",
        "--columns",
        MAP,
        "--format",
        "json",
        "--only",
        "inconsistent",
        &dir_arg,
    ]);
    let all = ratings(&["check", "--columns", MAP, "--format", "csv", &dir_arg]);
    let coverage = json(&["coverage", "--columns", MAP, "--format", "json", &dir_arg]);
    let summary = &report["summary"];
    let n = |key: &str| summary[key].as_u64().unwrap_or(0);
    let mut out = String::new();
    out.push_str("# Children's social care providers: the national record\n\n");
    out.push_str("<!-- Generated by tests/providers.rs from ../shared/found-data/providers; RATINGS_UPDATE_DOCS=1 cargo test --test providers rewrites it. -->\n\n");
    out.push_str("Ofsted publishes, each year, the grades of every registered children's social care provider's latest full inspection (\"Children's social care data in England: provider level data as at 31 March\", `ofsted-csc-provider-level` in `rules/documents.toml`).\n");
    out.push_str("The nine snapshots of 2015 to 2023 are read through `maps/sccif-providers.toml` and checked against the rules in `rules/` ([frameworks.md](frameworks.md), \"Children's social care providers\"):\n\n");
    out.push_str(
        "```sh\nratings check --columns sccif-providers ../shared/found-data/providers/\n```\n\n",
    );
    out.push_str("The snapshots are found data and are not in the project; this page is regenerated from them by a test whenever they are present.\n");
    out.push_str("It names providers by their URN and inspections by their event number, the date and the rule, and gives no grade.\n\n");
    out.push_str("## What was read\n\n");
    let _ = writeln!(out, "| | count |\n|---|---|");
    let _ = writeln!(
        out,
        "| snapshots read | {} |\n| other files skipped (`SOURCES.md`) | {} |",
        n("files"),
        n("skipped_files")
    );
    for (label, key) in [
        ("data rows (records)", "records"),
        ("checked", "checked"),
        ("not graded", "not_graded"),
        ("rejected", "rejected"),
        ("inspections (assessments)", "assessments"),
        ("consistent", "consistent"),
        ("inconsistent", "inconsistent"),
        ("unverifiable", "unverifiable"),
        ("disputed", "disputed"),
        ("with sources in conflict", "conflicts"),
    ] {
        let _ = writeln!(out, "| {label} | {} |", n(key));
    }
    out.push_str("\nEvery row is checked, counted as not graded, or rejected with its file, line and column; none is rejected.\n");
    out.push_str("Rows not graded, by reason:\n\n");
    for (reason, count) in report["not_graded"].as_object().into_iter().flatten() {
        let _ = writeln!(out, "- {reason}: {count}");
    }
    out.push_str("\nOne inspection that appears in several snapshots is one assessment, with each snapshot's file and line as a source; where snapshots give it different grades, it is checked with each (`conflicting-sources`).\n");
    out.push_str("Consistent verdicts rest on the SCCIF's stated rules (basis `stated`) with grades from Ofsted's statistics, which no rule cites (support `independent`); inspections before the SCCIF (children's homes before April 2015) are unverifiable, as no rule of their frameworks is known.\n\n");

    out.push_str("## Every breach of a stated rule\n\n");
    let _ = writeln!(
        out,
        "{} inspections break a rule Ofsted states for them:\n",
        n("inconsistent")
    );
    out.push_str("| URN | provision type | local authority | inspection date | event number | rule broken | Ofsted's words | where (file:line) |\n|---|---|---|---|---|---|---|---|\n");
    for result in report["results"].as_array().into_iter().flatten() {
        let attribute = |key: &str| result["attributes"][key].as_str().unwrap_or("").to_owned();
        let mut places: BTreeSet<String> = BTreeSet::new();
        for sources in result["published"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(_, s)| s)
        {
            for source in sources.as_array().into_iter().flatten() {
                places.insert(format!(
                    "{}:{}",
                    shown(source["file"].as_str().unwrap_or("")),
                    source["line"]
                ));
            }
        }
        for finding in result["findings"].as_array().into_iter().flatten() {
            if finding["code"] != "rule-broken" {
                continue;
            }
            let words = finding["cite"][0]["locator"]
                .as_str()
                .unwrap_or("")
                .split_once(": ")
                .map_or("", |(_, quote)| quote)
                .to_owned();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | `{}` | {} | {} |",
                result["subject"]["id"].as_str().unwrap_or(""),
                attribute("type"),
                attribute("local_authority"),
                result["date"].as_str().unwrap_or(""),
                result["inspection"].as_str().unwrap_or("(not readable)"),
                finding["rule"].as_str().unwrap_or(""),
                words.replace('|', "\\|"),
                places.iter().cloned().collect::<Vec<_>>().join(", ")
            );
        }
    }

    // Counts per year and per provision type, from the CSV report.
    let mut reader = csv::Reader::from_reader(all.stdout.as_bytes());
    let header = reader.headers().expect("CSV header").clone();
    let at = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (type_at, year_at, verdict_at) = (at("type"), at("year"), at("verdict"));
    let verdicts = [
        "consistent",
        "inconsistent",
        "unverifiable",
        "disputed",
        "undecided",
    ];
    let mut by_year: BTreeMap<String, [usize; 5]> = BTreeMap::new();
    let mut by_type: BTreeMap<String, [usize; 5]> = BTreeMap::new();
    for record in reader.records() {
        let record = record.expect("CSV row");
        let Some(v) = verdicts.iter().position(|v| *v == &record[verdict_at]) else {
            continue;
        };
        by_year.entry(record[year_at].to_owned()).or_default()[v] += 1;
        let kind = record[type_at].to_lowercase();
        by_type.entry(kind).or_default()[v] += 1;
    }
    let table = |title: &str,
                 first: &str,
                 rows: &BTreeMap<String, [usize; 5]>,
                 out: &mut String| {
        let _ = writeln!(out, "\n## {title}\n");
        let _ = writeln!(out, "| {first} | inspections | consistent | inconsistent | unverifiable | disputed | undecided |\n|---|---|---|---|---|---|---|");
        for (key, counts) in rows {
            let total: usize = counts.iter().sum();
            let _ = writeln!(
                out,
                "| {key} | {total} | {} | {} | {} | {} | {} |",
                counts[0], counts[1], counts[2], counts[3], counts[4]
            );
        }
    };
    table(
        "Inspections by year of inspection",
        "year",
        &by_year,
        &mut out,
    );
    table(
        "Inspections by provision type (as the latest snapshot prints it)",
        "provision type",
        &by_type,
        &mut out,
    );

    out.push_str("\n## What each rule tested\n\n");
    out.push_str("From `ratings coverage`: `tested` counts the inspections the rule was in force for; `narrowed`, those where it decided a value left unpublished; `violated`, those whose published grades break it (for a `usually` rule, the departures, which are warnings).\n\n");
    out.push_str("| rule set | rule | strength | basis | tested | narrowed | violated |\n|---|---|---|---|---|---|---|\n");
    for row in coverage["constraints"].as_array().into_iter().flatten() {
        let rule_set = row["rule_set"].as_str().unwrap_or("");
        if !(rule_set.starts_with("sccif-") || rule_set.starts_with("providers-")) {
            continue;
        }
        let _ = writeln!(
            out,
            "| `{rule_set}` | `{}` | {} | {} | {} | {} | {} |",
            row["constraint"].as_str().unwrap_or(""),
            row["strength"].as_str().unwrap_or(""),
            row["basis"].as_str().unwrap_or(""),
            row["tested"],
            row["narrowed"],
            row["violated"]
        );
    }
    let _ = writeln!(
        out,
        "\nThe snapshots read: {}.",
        files
            .iter()
            .map(|f| format!("`{}`", shown(f)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    out
}

#[test]
fn docs_providers_md_is_the_generated_page() {
    let Some(dir) = found_data("providers") else {
        return;
    };
    let generated = generate(&dir);
    let path = root().join("docs/providers.md");
    if std::env::var_os("RATINGS_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &generated).expect("write docs/providers.md");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        committed, generated,
        "docs/providers.md is not the generated page; run `RATINGS_UPDATE_DOCS=1 cargo test --test providers`"
    );
}
