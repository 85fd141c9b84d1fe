//! Reads every report PDF in the shared found-data folder (when it exists) and compares the
//! grades, authority and dates with the hand-checked tables beside it. The folder and the
//! tables are read in place and never copied: their terms do not allow redistribution.
//!
//! Folder: $RATINGS_FOUND_DATA, else `../shared/found-data` beside the repository. Absent: the
//! test passes quietly.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use ratings_pdf::{read_report, Date, Grade, Layout, Report, RowKey};

fn data_dir() -> Option<PathBuf> {
    let d = std::env::var_os("RATINGS_FOUND_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../../shared/found-data"
            ))
        });
    if d.join("reports").join("INDEX.csv").exists() {
        return Some(d);
    }
    assert!(
        std::env::var_os("RATINGS_REQUIRE_SHARED").is_none(),
        "{} is missing, and RATINGS_REQUIRE_SHARED asks for it",
        d.display()
    );
    // Past the harness's capture, so that a passing run says what it did not test.
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {} is not present beside the project, so the test of the real reports did not run",
        d.display()
    );
    None
}

/// A small CSV reader: quoted fields, `#` comment lines skipped.
fn csv(path: &Path) -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(path).expect("read csv");
    let mut rows: Vec<Vec<String>> = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut fields = Vec::new();
        let mut cur = String::new();
        let mut q = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' if q && chars.peek() == Some(&'"') => {
                    cur.push('"');
                    chars.next();
                }
                '"' => q = !q,
                ',' if !q => fields.push(std::mem::take(&mut cur)),
                c => cur.push(c),
            }
        }
        fields.push(cur);
        rows.push(fields);
    }
    let header = rows.remove(0);
    rows.into_iter()
        .map(|r| header.iter().cloned().zip(r).collect())
        .collect()
}

fn word(g: Grade) -> &'static str {
    g.table_word()
}

/// What the report says, in the tables' column names and words.
fn as_table(r: &Report) -> HashMap<&'static str, String> {
    let mut m: HashMap<&'static str, String> = HashMap::new();
    let by_row: HashMap<RowKey, Grade> = r.judgements.iter().map(|j| (j.row, j.level)).collect();
    let g = |row: RowKey| {
        by_row
            .get(&row)
            .map(|g| word(*g).to_string())
            .unwrap_or_else(|| format!("MISSING {}", row.key()))
    };
    match r.layout {
        Layout::Sif | Layout::SifReinspection => {
            m.insert(
                "overall_effectiveness",
                r.headline
                    .as_ref()
                    .map(|h| word(h.level).to_string())
                    .unwrap_or("MISSING headline".into()),
            );
            m.insert(
                "children_who_need_help_and_protection",
                g(RowKey::HelpAndProtection),
            );
            m.insert(
                "children_looked_after_and_achieving_permanence",
                g(RowKey::LookedAfterAndPermanence),
            );
            m.insert("adoption_performance", g(RowKey::Adoption));
            m.insert(
                "experiences_and_progress_of_care_leavers",
                g(RowKey::CareLeavers),
            );
            m.insert(
                "leadership_management_and_governance",
                g(RowKey::Leadership),
            );
            m.insert(
                "lscb",
                r.lscb()
                    .map(|s| word(s.level).to_string())
                    .unwrap_or("not_reviewed_or_not_found".into()),
            );
        }
        Layout::Ilacs | Layout::IlacsSplit | Layout::Ilacs2026 => {
            m.insert(
                "overall_effectiveness",
                if r.layout == Layout::Ilacs2026 {
                    "not_reported".into()
                } else {
                    g(RowKey::OverallEffectiveness)
                },
            );
            m.insert("impact_of_leaders", g(RowKey::ImpactOfLeaders));
            m.insert("help_and_protection", g(RowKey::HelpAndProtection));
            if r.layout == Layout::Ilacs {
                m.insert("children_in_care", g(RowKey::InCareAndCareLeavers));
                m.insert("care_leavers", "combined_with_in_care".into());
            } else {
                m.insert("children_in_care", g(RowKey::InCare));
                m.insert("care_leavers", g(RowKey::CareLeavers));
            }
        }
        Layout::Lac2013 => {
            m.insert("overall_effectiveness", g(RowKey::OverallEffectiveness));
            m.insert("capacity_to_improve", g(RowKey::CapacityToImprove));
            m.insert("outcomes_for_looked_after_children", g(RowKey::Outcomes));
            m.insert("quality_of_provision", g(RowKey::QualityOfProvision));
            m.insert(
                "leadership_and_management",
                g(RowKey::LeadershipAndManagement),
            );
        }
    }
    m
}

fn canon_grade(s: &str) -> String {
    let s = s.trim().to_lowercase();
    match s.as_str() {
        "requires improvement to be good" | "require improvement" | "requires improvement" => {
            "requires improvement".into()
        }
        _ => s,
    }
}

fn canon_name(s: &str) -> String {
    let s = s
        .to_lowercase()
        .replace('&', " and ")
        .replace(['\u{2019}', '\''], "");
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn date(s: &str) -> Option<Date> {
    // "22 may 2018"
    let w: Vec<&str> = s.split_whitespace().collect();
    if w.len() != 3 {
        return None;
    }
    let m = ratings_text::month_number(w[1])?;
    Date::new(w[2].parse().ok()?, m, w[0].parse().ok()?)
}

#[test]
fn every_found_report_matches_the_tables() {
    let Some(dir) = data_dir() else {
        return;
    };
    let index = csv(&dir.join("reports").join("INDEX.csv"));
    let tables: HashMap<&str, Vec<HashMap<String, String>>> = [
        ("sif", csv(&dir.join("sif-2014-2018-la-judgements.csv"))),
        ("ilacs", csv(&dir.join("ilacs-2018-2026-la-judgements.csv"))),
        ("lac2013", csv(&dir.join("lac-2013-la-judgements.csv"))),
    ]
    .into_iter()
    .collect();
    let mut failures = Vec::new();
    let mut notes = Vec::new();
    let mut ok = 0;
    let mut times = Vec::new();
    for row in &index {
        let file = &row["file"];
        let bytes = std::fs::read(dir.join("reports").join(file)).expect("read pdf");
        let t = Instant::now();
        let rep = read_report(&bytes);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        let rep = match rep {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{file}: {e}"));
                continue;
            }
        };
        let want: Vec<&HashMap<String, String>> = tables[row["framework"].as_str()]
            .iter()
            .filter(|t| {
                t["la_urn"] == row["la_urn"] && t["report_published"] == row["report_published"]
            })
            .collect();
        assert_eq!(want.len(), 1, "{file}: table rows");
        let want = want[0];
        let got = as_table(&rep);
        let mut bad = Vec::new();
        for (col, g) in &got {
            let w = want
                .get(*col)
                .unwrap_or_else(|| panic!("{file}: no column {col}"));
            if canon_grade(w) != canon_grade(g) {
                bad.push(format!("{col}: table {w:?}, read {g:?}"));
            }
        }
        // Layout against the table's framework and kind.
        let fw_ok = match rep.layout {
            Layout::Sif => row["framework"] == "sif" && want["kind"] == "inspection",
            Layout::SifReinspection => row["framework"] == "sif" && want["kind"] == "re-inspection",
            Layout::Ilacs | Layout::IlacsSplit | Layout::Ilacs2026 => row["framework"] == "ilacs",
            Layout::Lac2013 => row["framework"] == "lac2013",
        };
        if !fw_ok {
            bad.push(format!(
                "layout {:?} for framework {}",
                rep.layout, row["framework"]
            ));
        }
        // Authority: the table's short name is part of the printed one (or the reverse).
        let (a, b) = (
            canon_name(&rep.authority.text),
            canon_name(&want["local_authority"]),
        );
        if a.is_empty() || !(a.contains(&b) || b.contains(&a)) {
            bad.push(format!(
                "authority: table {:?}, read {:?}",
                want["local_authority"], rep.authority.text
            ));
        }
        // Inspection dates, where the table has them.
        let td = &want["inspection_dates"];
        if !td.is_empty() {
            let parsed = ratings_text::parse_range(td).map(|range| (range.start, range.end));
            match (&rep.inspection_dates, parsed) {
                (Some((_, a, b)), Some((ta, tb))) if *a == ta && *b == tb => {}
                (got, parsed) => bad.push(format!(
                    "inspection dates: table {td:?} ({parsed:?}), read {:?}",
                    got.as_ref().map(|(l, a, b)| (l.text.clone(), *a, *b))
                )),
            }
        }
        // Publication date, where the report prints one: the table's date is the date of
        // the Ofsted web listing, which may differ from the printed date by a few days.
        if let (Some((l, d)), Some(td)) = (&rep.publication_date, date(&want["report_published"])) {
            if *d != td {
                notes.push(format!("{file}: printed \"{}\", table {td}", l.text));
            }
        }
        if bad.is_empty() {
            ok += 1;
        } else {
            failures.push(format!("{file}: {}", bad.join("; ")));
        }
    }
    times.sort_by(|a, b| a.total_cmp(b));
    eprintln!(
        "corpus: {ok}/{} match; read_report median {:.1} ms, max {:.1} ms (this build)",
        index.len(),
        times[times.len() / 2],
        times[times.len() - 1]
    );
    for n in &notes {
        eprintln!("publication date differs from the table (not a failure): {n}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} reports differ:\n{}",
        failures.len(),
        index.len(),
        failures.join("\n")
    );
}

/// Damaged copies of the real reports (flipped bits, zeroed runs, cut tails) must give an
/// error or exactly the grades of the undamaged file: never a panic, never other grades.
#[test]
fn damaged_reports_fail_loudly_or_read_the_same() {
    let Some(dir) = data_dir() else {
        return;
    };
    let index = csv(&dir.join("reports").join("INDEX.csv"));
    let mut seed: u64 = 0x2545F4914F6CDD1D;
    let mut rnd = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let key = |r: &Report| {
        (
            r.layout,
            r.judgements
                .iter()
                .map(|j| (j.name.text.clone(), j.level))
                .collect::<Vec<_>>(),
            r.headline.as_ref().map(|h| h.level),
            r.lscb().map(|s| s.level),
        )
    };
    let (mut n, mut errors) = (0, 0);
    for row in index.iter().step_by(4) {
        let orig = std::fs::read(dir.join("reports").join(&row["file"])).expect("read pdf");
        let base = key(&read_report(&orig).expect("undamaged report reads"));
        for kind in 0..3 {
            let mut b = orig.clone();
            match kind {
                0 => {
                    for _ in 0..20 {
                        let i = (rnd() as usize) % b.len();
                        b[i] ^= 1 << (rnd() % 8);
                    }
                }
                1 => {
                    let i = (rnd() as usize) % b.len();
                    let len = 1 + (rnd() as usize) % 4096;
                    for x in b.iter_mut().skip(i).take(len) {
                        *x = 0;
                    }
                }
                _ => {
                    let cut = (rnd() as usize) % b.len();
                    b.truncate(cut);
                }
            }
            let r = std::panic::catch_unwind(|| read_report(&b))
                .unwrap_or_else(|_| panic!("{}: panic on damage kind {kind}", row["file"]));
            n += 1;
            match r {
                Ok(r) => {
                    let k = key(&r);
                    // A damaged narrative page may only lose the optional ILACS headline.
                    assert!(
                        k.0 == base.0
                            && k.1 == base.1
                            && k.3 == base.3
                            && (k.2 == base.2
                                || (k.2.is_none()
                                    && r.layout != Layout::Sif
                                    && r.layout != Layout::SifReinspection)),
                        "{}: damaged copy read differently: {k:?} vs {base:?}",
                        row["file"]
                    );
                }
                Err(_) => errors += 1,
            }
        }
    }
    eprintln!("damage: {n} damaged copies, {errors} rejected, the rest read the same");
}
