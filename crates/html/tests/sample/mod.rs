//! Synthetic views for tests, screenshots and size and speed checks: [`sample`] (a few
//! fictional councils across 2005-2011 and dated inspections, every part of the page used),
//! [`large`] (about 1,000 assessments over 130 fictional councils and 10 rule sets) and
//! [`hostile`] (strings that try to break out of the markup).
//!
//! The councils, grades, sources and addresses are invented: the rule ids and texts of
//! 2005-2011 follow the shipped rules, the `sif-2013` and `ilacs-2018` rule sets are made up
//! for the sample. Nothing here is evaluated: verdicts and findings are chosen to look like
//! the checker's. Deterministic: the same call gives the same view.
//!
//! `rule_sets.rs` holds the rule sets and the views of them, `assessments.rs` builds one
//! assessment; the views, and what they share, are here.

use ratings_html::*;

mod assessments;
mod rule_sets;

use assessments::{assessment, Council, Kind};
use rule_sets::{framework_views, rule_views};

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

fn summary(assessments: &[AssessmentView], files: usize, rejected: usize) -> Summary {
    let records: usize = assessments.iter().map(|a| a.published.len()).sum::<usize>() + rejected;
    let n = |v: &str| assessments.iter().filter(|a| a.verdict == v).count();
    Summary {
        files,
        unreadable_files: 1,
        skipped_files: 0,
        ignored_columns: 0,
        records,
        checked: records - rejected,
        rejected,
        assessments: assessments.len(),
        consistent: n("consistent"),
        inconsistent: n("inconsistent"),
        unverifiable: n("unverifiable"),
        undecided: n("undecided"),
        disputed: n("disputed"),
        conflicts: assessments
            .iter()
            .filter(|a| !a.alternatives.is_empty())
            .count(),
        not_graded: 0,
        consistent_independent: n("consistent"),
        consistent_circular: 0,
        consistent_unregistered: 0,
        with_errors: n("inconsistent"),
    }
}

fn problems() -> Vec<ProblemView> {
    vec![
        ProblemView {
            code: "unknown-judgement".into(),
            severity: "error".into(),
            message: "`apa.overal_effectiveness` is not a judgement of the rule sets of 2007; did you mean `apa.overall_effectiveness`?".into(),
            file: "corpus/published/apa.csv".into(),
            line: Some(41),
            column: Some(14),
        },
        ProblemView {
            code: "bad-grade".into(),
            severity: "error".into(),
            message: "`<script>alert(1)</script>` is not a grade of the scale `grade` (expected 1 to 4 or a label)".into(),
            file: "corpus/published/apa.csv".into(),
            line: Some(57),
            column: Some(30),
        },
        ProblemView {
            code: "unreadable-file".into(),
            severity: "error".into(),
            message: "stream did not contain valid UTF-8".into(),
            file: "corpus/published/old-export.csv".into(),
            line: None,
            column: None,
        },
    ]
}

fn councils(names: &[(&str, &str)]) -> Vec<Council> {
    names
        .iter()
        .map(|(n, c)| Council {
            name: n.to_string(),
            code: c.to_string(),
        })
        .collect()
}

/// A realistic small view: eight fictional councils, 2005-2011 and dated inspections from
/// 2014 to 2025, with every verdict, conflicting sources, rejected input and all rule sets.
pub fn sample() -> ReportView {
    let cs = councils(&[
        ("Ashby", "S01"),
        ("Brampton and Deane", "S02"),
        ("Castleford", "S03"),
        ("Dunmere", "S04"),
        ("East Marston", "S05"),
        ("Fairford", "S06"),
        ("Gresham", "S07"),
        ("Llanfair C\u{f4}te", "S08"),
    ]);
    let mut rng = Rng(0x5eed_1234_abcd_0017);
    let mut docs = 1;
    let mut out = Vec::new();
    for (ci, c) in cs.iter().enumerate() {
        for year in 2005..=2011 {
            let kind = match (ci, year) {
                (2, 2008) | (5, 2010) => Kind::Inconsistent,
                (1, 2007) => Kind::Conflict,
                (6, 2009) => Kind::Undecided,
                (_, 2005 | 2006) => Kind::Unverifiable,
                _ if rng.chance(30) => Kind::Unverifiable,
                _ => Kind::Consistent,
            };
            if ci == 7 && year == 2006 {
                continue;
            }
            out.push(assessment(c, year, None, kind, &mut rng, &mut docs));
        }
        let dates: &[&str] = match ci {
            0 => &["2015-03-12", "2019-06-20"],
            1 => &["2016-01-28", "2022-11-03"],
            2 => &["2014-09-04", "2018-10-11", "2023-02-16"],
            3 => &["2017-05-25", "2021-03-10"],
            4 => &["2019-12-05"],
            5 => &["2015-07-09", "2024-05-01"],
            6 => &["2018-02-22", "2025-01-30"],
            _ => &["2016-10-13"],
        };
        for d in dates {
            let year: i64 = d[..4].parse().unwrap_or(2018);
            let kind = if (ci, *d) == (3, "2021-03-10") {
                Kind::Inconsistent
            } else if rng.chance(25) {
                Kind::Unverifiable
            } else {
                Kind::Consistent
            };
            out.push(assessment(
                c,
                year,
                Some(d.to_string()),
                kind,
                &mut rng,
                &mut docs,
            ));
        }
    }
    out.sort_by(|a, b| (&a.authority, a.year, &a.date).cmp(&(&b.authority, b.year, &b.date)));
    let problems = problems();
    ReportView {
        title: "ratings audit of sample/ (synthetic data)".into(),
        generated: "ratings 0.2.0, rules: sample rules".into(),
        rules_name: "sample rules".into(),
        through_year: Some(2026),
        summary: summary(&out, 11, problems.len() - 1),
        frameworks: framework_views(),
        rules: rule_views(&out),
        assessments: out,
        problems,
    }
}

/// A large view for size and speed checks: 130 fictional councils, each with 2005-2011 (a few
/// years missing) and dated inspections, about 1,000 assessments in all, every judgement of
/// every rule set in force in `allowed`.
pub fn large() -> ReportView {
    let first = [
        "North", "South", "East", "West", "Upper", "Lower", "Greater", "Old", "New", "Great",
    ];
    let second = [
        "Ashby",
        "Brampton",
        "Castleford",
        "Dunmere",
        "Eastleigh",
        "Fairford",
        "Gresham",
        "Hartley",
        "Ingleby",
        "Kenwood",
        "Langley",
        "Marston",
        "Norbury",
        "Oakham",
        "Penrith",
        "Quinton",
        "Redcliffe",
    ];
    let mut cs = Vec::new();
    'outer: for b in second {
        for a in first {
            if cs.len() == 130 {
                break 'outer;
            }
            let n = cs.len() + 1;
            cs.push(Council {
                name: format!("{a} {b}"),
                code: format!("L{n:03}"),
            });
        }
    }
    let mut rng = Rng(0x1a26_e000_0000_1000);
    let mut docs = 1;
    let mut out = Vec::new();
    for c in &cs {
        for year in 2005..=2011 {
            if rng.chance(12) {
                continue;
            }
            let kind = match rng.below(100) {
                0..=5 => Kind::Inconsistent,
                6 => Kind::Undecided,
                7 => Kind::Conflict,
                8..=40 => Kind::Unverifiable,
                _ => Kind::Consistent,
            };
            out.push(assessment(c, year, None, kind, &mut rng, &mut docs));
        }
        for _ in 0..1 + rng.below(2) {
            let year = 2014 + rng.below(12) as i64;
            let date = format!("{year}-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28));
            if out
                .iter()
                .any(|a: &AssessmentView| a.authority == c.name && a.date.as_deref() == Some(&date))
            {
                continue;
            }
            let kind = if rng.chance(8) {
                Kind::Inconsistent
            } else if rng.chance(20) {
                Kind::Unverifiable
            } else {
                Kind::Consistent
            };
            out.push(assessment(c, year, Some(date), kind, &mut rng, &mut docs));
        }
    }
    out.sort_by(|a, b| (&a.authority, a.year, &a.date).cmp(&(&b.authority, b.year, &b.date)));
    let mut problems = problems();
    for k in 0..40 {
        problems.push(ProblemView {
            code: "bad-grade".into(),
            severity: "error".into(),
            message: format!("`{}` is not a grade of the scale `grade`", 5 + k % 4),
            file: format!("corpus/published/batch-{}.csv", k / 10),
            line: Some(10 + k),
            column: Some(7),
        });
    }
    // Pad the rule book to 60 rules with generated `usually` rules between judgements of
    // the same rule set, so the graphs are denser too.
    let mut frameworks = framework_views();
    let mut rules = rule_views(&out);
    let mut k = 0;
    while rules.len() < 60 {
        let fi = k % frameworks.len();
        k += 1;
        let f = &mut frameworks[fi];
        let n = f.judgements.len();
        if n < 3 {
            continue;
        }
        let from = rng.below(n - 1);
        let to = from + 1 + rng.below(n - 1 - from);
        let (a, b) = (f.judgements[from].id.clone(), f.judgements[to].id.clone());
        let id = format!("{}.generated-{}", f.id, rules.len() + 1);
        f.graph.edges.push(EdgeView {
            from: a.clone(),
            to: b.clone(),
            rule: id.clone(),
            usually: true,
        });
        rules.push(RuleView {
            id,
            rule_set: f.id.clone(),
            period: f.period.clone(),
            text: format!("generated for size checks: a low {a} usually goes with a low {b}"),
            strength: "usually".into(),
            basis: "inferred".into(),
            cites: vec![CiteView {
                title: "Generated rule (sample)".into(),
                publisher: "ratings".into(),
                date: String::new(),
                url: None,
                locator: String::new(),
            }],
            tested: rng.below(200),
            independent_supports: rng.below(50),
            circular_supports: rng.below(10),
            contradicts: 0,
            counter_examples: Vec::new(),
        });
    }
    ReportView {
        title: "ratings audit of generated/ (1,000 synthetic assessments)".into(),
        generated: "ratings 0.2.0, rules: sample rules".into(),
        rules_name: "sample rules".into(),
        through_year: Some(2026),
        summary: summary(&out, 140, problems.len() - 1),
        frameworks,
        rules,
        assessments: out,
        problems,
    }
}

/// Strings that try to break out of the markup: script tags, quotes in attributes, control
/// characters, bidirectional overrides, `javascript:` addresses, ids with spaces and quotes.
pub fn hostile() -> ReportView {
    let mut v = sample();
    let evil = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>";
    v.title = format!("audit {evil}");
    v.generated = format!("ratings \u{202e}0.2.0\u{202c} {evil}");
    v.rules_name = "rules/</style><script>alert(2)</script>".into();
    if let Some(a) = v.assessments.first_mut() {
        a.authority = format!("Ashby{evil}\u{0}\u{1b}[31m\u{7}\u{202e}dne");
        a.id = "ashby\" onmouseover=\"alert(3)".into();
        a.la_code = "S01'><svg onload=alert(4)>".into();
        a.headline = Some("</a><script>alert(5)</script>".into());
        if let Some(p) = a.published.first_mut() {
            p.document_title = format!("doc {evil}");
            p.url = Some("javascript:alert(6)".into());
            p.locator = "para \u{2066}4\u{2069}\u{85}".into();
            p.file = "../../etc/passwd\r\n<b>".into();
        }
        a.findings.push(FindingView {
            support: None,
            code: "rule-broken\"<".into(),
            severity: "error".into(),
            message: evil.into(),
            rule: Some("no.such-rule<script>".into()),
            evidence: vec![format!("x = {evil}")],
        });
    }
    if let Some(r) = v.rules.first_mut() {
        r.text = format!("text {evil}");
        r.cites[0].url = Some("https://example.org/\"onmouseover=alert(7)".into());
        r.cites[0].title = "</title><script>alert(8)</script>".into();
        r.counter_examples
            .push("ashby\" onmouseover=\"alert(3)".into());
    }
    if let Some(f) = v.frameworks.get_mut(2) {
        f.title = evil.to_string();
        if let Some(n) = f.graph.nodes.first_mut() {
            n.label = "</text><script>alert(9)</script>".into();
        }
    }
    v.problems.push(ProblemView {
        code: "bad\u{202e}code".into(),
        severity: "<error>".into(),
        message: evil.into(),
        file: "\"quoted\".csv".into(),
        line: Some(1),
        column: None,
    });
    v
}
