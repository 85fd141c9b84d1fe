//! The shipped rules: they lint clean, their explanations per year and for the seed cases are
//! snapshotted, every `must` rule binds on published grades (or is listed as unbreakable by
//! published grades alone), and the diagrams in docs/frameworks.md are the generated ones.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use common::{ratings, root};
use ratings_core::{Assignment, Budget, Code, Model, PeriodRules, RuleBook, SourceText, Strength};

fn shipped() -> &'static RuleBook {
    ratings_rules::book().expect("the shipped rules load")
}

#[test]
fn shipped_rules_lint_clean() {
    let run = ratings(&["lint"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = ratings(&["lint", "--rules", "rules"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn explain_each_year_with_no_grades() {
    for year in 2005..=2011 {
        let year = year.to_string();
        let args = ["explain", "--year", year.as_str(), "--format", "json"];
        let run = ratings(&args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        insta::assert_snapshot!(format!("explain_{year}"), run.transcript(&args));
    }
}

#[test]
fn explain_the_seed_cases() {
    let cases: &[(&str, &[&str])] = &[
        (
            "leicester_2008_ea",
            &["--year", "2008", "--set", "apa.enjoying_and_achieving=1"],
        ),
        (
            "leicester_2008_apa",
            &[
                "--year",
                "2008",
                "--set",
                "apa.overall_effectiveness=2",
                "--set",
                "apa.being_healthy=2",
                "--set",
                "apa.staying_safe=3",
                "--set",
                "apa.enjoying_and_achieving=1",
                "--set",
                "apa.making_a_positive_contribution=4",
                "--set",
                "apa.achieving_economic_wellbeing=3",
                "--set",
                "apa.capacity_to_improve=2",
            ],
        ),
        (
            "leicestershire_2008_overall",
            &["--year", "2008", "--set", "apa.overall_effectiveness=good"],
        ),
        (
            "leicester_2009_rating",
            &[
                "--year",
                "2009",
                "--set",
                "rating.overall=performs adequately",
            ],
        ),
        (
            "leeds_2009_rating",
            &["--year", "2009", "--set", "rating.overall=performs poorly"],
        ),
        (
            "calderdale_2009_limited",
            &[
                "--year",
                "2009",
                "--set",
                "rating.overall=2",
                "--set",
                "unannounced.limiting_weakness=yes",
            ],
        ),
        (
            "leeds_2011_rating",
            &[
                "--year",
                "2011",
                "--set",
                "rating.overall=performing adequately",
            ],
        ),
        (
            "staffordshire_2011_priority_action",
            &[
                "--year",
                "2011",
                "--set",
                "rating.overall=3",
                "--set",
                "unannounced.priority_action=yes",
            ],
        ),
    ];
    for (name, sets) in cases {
        let mut args = vec!["explain"];
        args.extend_from_slice(sets);
        let run = ratings(&args);
        insta::assert_snapshot!(format!("explain_seed_{name}"), run.transcript(&args));
    }
    // The case the issue names: enjoying and achieving 1 allows an overall of 1 or 2 only.
    let run = ratings(&[
        "explain",
        "--year",
        "2008",
        "--set",
        "apa.enjoying_and_achieving=1",
        "--format",
        "json",
    ]);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(
        value["allowed"]["apa.overall_effectiveness"],
        serde_json::json!([1, 2])
    );
}

/// Every assignment of the given judgements' scales.
fn assignments(rules: &PeriodRules, judgements: &[&str]) -> Vec<Assignment> {
    let mut all = vec![Assignment::new()];
    for id in judgements {
        let numbers = rules
            .judgement(id)
            .expect("judgement of the year")
            .scale
            .numbers();
        all = all
            .iter()
            .flat_map(|partial| {
                numbers.iter().map(move |&n| {
                    let mut next = partial.clone();
                    next.insert((*id).to_owned(), n);
                    next
                })
            })
            .collect();
    }
    all
}

fn record_toml(subject: &str, date: &str, grades: &Assignment) -> String {
    let who = if subject == ratings_core::LOCAL_AUTHORITIES {
        "authority = \"Leicester\"".to_owned()
    } else {
        format!("provider = {{ urn = \"SC000001\", subject = \"{subject}\" }}")
    };
    let mut out = format!("[[record]]\n{who}\ndate = {date}\nsource = {{ document = \"generated\", locator = \"-\" }}\n[record.grades]\n");
    for (judgement, value) in grades {
        let _ = writeln!(out, "\"{judgement}\" = {value}");
    }
    out
}

fn check_findings(
    book: &RuleBook,
    subject: &str,
    date: &str,
    grades: &Assignment,
) -> (String, Vec<String>) {
    let file = ratings_check::read_toml(&SourceText::new(
        "generated.toml",
        record_toml(subject, date, grades),
    ));
    let report = ratings_check::check(book, &[file], &ratings_check::CheckOptions::default());
    assert_eq!(
        report.summary.checked, 1,
        "the generated record is valid: {:?}",
        report.problems
    );
    let result = &report.results[0];
    let rules = result
        .findings
        .iter()
        .filter(|f| f.code == Code::RuleBroken)
        .filter_map(|f| f.rule.clone())
        .collect();
    (result.verdict.as_str().to_owned(), rules)
}

#[test]
fn every_must_rule_binds_on_published_grades() {
    let book = shipped();
    let mut unbreakable = String::new();
    let mut seen = BTreeMap::new();
    for (subject, span, rules) in book.subjects().into_iter().flat_map(|subject| {
        book.epoch_rules(subject)
            .into_iter()
            .map(move |(span, rules)| (subject, span, rules))
    }) {
        let (year, date) = (span, span.start.to_string());
        let model = Model::new(&rules);
        for constraint in rules
            .constraints()
            .iter()
            .filter(|c| c.strength == Strength::Must)
        {
            let key = (constraint.declared_in.clone(), constraint.id.clone());
            let published: Vec<&str> = constraint
                .judgements()
                .into_iter()
                .filter(|j| {
                    rules
                        .judgement(j)
                        .is_some_and(|found| !found.judgement.latent)
                })
                .collect();
            let mut breaking = None;
            let mut honouring = None;
            for grades in assignments(&rules, &published) {
                let conflict = model
                    .conflict(&grades, &mut Budget::default())
                    .expect("fits the budget");
                match conflict {
                    Some(core) if core.rules.contains(&constraint.id) => {
                        breaking = breaking.or(Some(grades))
                    }
                    None => honouring = honouring.or(Some(grades)),
                    Some(_) => {}
                }
            }
            let Some(breaking) = breaking else {
                if seen.insert(key, ()).is_none() {
                    let _ = writeln!(
                        unbreakable,
                        "{} ({year}): reads {}",
                        constraint.id,
                        published.join(", ")
                    );
                }
                continue;
            };
            let (verdict, named) = check_findings(book, subject, &date, &breaking);
            assert_eq!(
                verdict, "inconsistent",
                "{} in {year} with {breaking:?}",
                constraint.id
            );
            assert!(
                named.contains(&constraint.id),
                "{} is named for {breaking:?}: {named:?}",
                constraint.id
            );
            let honouring = honouring.expect("some grades honour every rule");
            let (verdict, named) = check_findings(book, subject, &date, &honouring);
            assert_ne!(
                verdict, "inconsistent",
                "{} in {year} with {honouring:?}",
                constraint.id
            );
            assert!(named.is_empty());
        }
    }
    // Rules that published grades alone cannot break: they bind only through latent judgements.
    insta::assert_snapshot!("unbreakable_by_published_grades", unbreakable);
}

#[test]
fn checking_a_2012_record_is_an_input_error_that_says_so() {
    let run = ratings(&["check", "tests/bad-input/records/year-2012.toml"]);
    assert_eq!(run.code, 2);
    // Inspections went on in 2012 (SLAC, LAC), but the annual rating ended in 2011.
    assert!(
        run.stderr
            .contains("unknown judgement `rating.overall` for 2012"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("`rating.overall` is judged in 2009 (rule set `rating-2009`), 2010–2011 (rule set `rating-2010`)"),
        "{}",
        run.stderr
    );
}

#[test]
fn frameworks_doc_diagrams_are_the_generated_ones() {
    let doc =
        std::fs::read_to_string(root().join("docs/frameworks.md")).expect("docs/frameworks.md");
    let book = shipped();
    for subject in book.subjects() {
        for (span, _) in book.epochs(subject) {
            let date = span.start.to_string();
            let label = ratings_core::rules_label(subject, &span.to_string());
            let run = ratings(&[
                "graph",
                "--date",
                date.as_str(),
                "--subject",
                subject,
                "--format",
                "mermaid",
            ]);
            let marker = format!("<!-- graph {label} -->\n```mermaid\n{}```", run.stdout);
            assert!(doc.contains(&marker), "docs/frameworks.md lacks the generated diagram for {label}; regenerate it with `ratings graph --date {date} --subject \"{subject}\" --format mermaid`");
        }
    }
}

/// The explanation uses what was given, with the fewest rules, and says which values each rule
/// rules out. With a rating of 2 and a limiting weakness, the profile is 3: the weakness rule
/// (which uses the given weakness) rules out 2 and 4; it does not apply to a profile of 1 (its
/// condition asks for a profile of at least 2), which the profile limit rules out. Neither the
/// no-weakness rule nor the safeguarding rule is blamed.
#[test]
fn the_profile_is_explained_by_the_given_weakness() {
    let run = ratings(&[
        "explain",
        "--year",
        "2009",
        "--set",
        "rating.overall=2",
        "--set",
        "unannounced.limiting_weakness=yes",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let for_profile: Vec<(String, Vec<i64>, Vec<String>)> = json["reasons"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|reason| {
            let removed = reason["removes"]["rating.profile"].as_array()?;
            Some((
                reason["rule"].as_str().unwrap_or("").to_owned(),
                removed
                    .iter()
                    .filter_map(serde_json::Value::as_i64)
                    .collect(),
                reason["because"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(j, _)| j.clone())
                    .collect(),
            ))
        })
        .collect();
    assert_eq!(
        for_profile,
        vec![
            (
                "rating.profile-limits-rating".to_owned(),
                vec![1],
                vec!["rating.overall".to_owned()]
            ),
            (
                "rating.2009-limiting-weakness-lowers-one-grade".to_owned(),
                vec![2, 4],
                vec![
                    "rating.overall".to_owned(),
                    "unannounced.limiting_weakness".to_owned()
                ]
            ),
        ]
    );
    assert!(
        json["reasons"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|r| r.get("with").is_none()),
        "each value is ruled out by one rule"
    );
    // The text says which values each rule rules out, where the rule is written, its source.
    let text = ratings(&[
        "explain",
        "--year",
        "2009",
        "--set",
        "rating.overall=2",
        "--set",
        "unannounced.limiting_weakness=yes",
    ]);
    assert!(text.stdout.contains("rules out performs adequately (2), performs excellently (4), given rating.overall = performs adequately (2), unannounced.limiting_weakness = yes (1):"), "{}", text.stdout);
    let written =
        std::fs::read_to_string(root().join("rules/rating-2009.toml")).unwrap_or_default();
    let line = written
        .lines()
        .position(|l| l == "id = \"rating.2009-limiting-weakness-lowers-one-grade\"")
        .map_or(0, |index| index + 1);
    assert!(
        text.stdout
            .contains(&format!("at rules/rating-2009.toml:{line}")),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("source: Memorandum submitted by"),
        "{}",
        text.stdout
    );
    assert!(
        !text.stdout.contains("no-weakness-profile-stands"),
        "{}",
        text.stdout
    );
}

/// `graph --format dot`: one node per judgement in force and one edge per judgement a
/// constraint reads, labelled with the constraint, dashed for `usually` rules.
#[test]
fn graph_as_dot_has_an_edge_for_each_judgement_a_rule_reads() {
    let run = ratings(&["graph", "--year", "2008", "--format", "dot"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("digraph judgements_2008 {"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.trim_end().ends_with('}'), "{}", run.stdout);
    let rules = shipped()
        .in_force(
            ratings_core::LOCAL_AUTHORITIES,
            ratings_core::Period::Year(2008),
        )
        .expect("2008");
    for judgement in rules.judgements() {
        let node = format!("  \"{}\" [shape=", judgement.judgement.id);
        assert!(run.stdout.contains(&node), "{node}");
    }
    let mut edges = 0;
    for constraint in rules.constraints() {
        let style = if constraint.strength == Strength::Usually {
            ", style=dashed"
        } else {
            ""
        };
        let mut read: Vec<&str> = constraint
            .when
            .iter()
            .flat_map(|w| w.judgements())
            .collect();
        read.extend(constraint.other());
        read.dedup();
        for from in read {
            let edge = format!(
                "  \"{from}\" -> \"{}\" [label=\"{}\"{style}];",
                constraint.target, constraint.id
            );
            assert!(run.stdout.contains(&edge), "missing {edge}\n{}", run.stdout);
            edges += 1;
        }
    }
    let drawn = run.stdout.lines().filter(|l| l.contains(" -> ")).count();
    assert_eq!(drawn, edges, "no edge without a rule\n{}", run.stdout);
    let args = [
        "graph",
        "--rules",
        "tests/diff/base",
        "--year",
        "2007",
        "--format",
        "dot",
    ];
    insta::assert_snapshot!("graph_dot_small", ratings(&args).transcript(&args));
}

/// The one strength policy (docs/frameworks.md), followed by every shipped rule: `must` only
/// where a source says the outcome is automatic, or as an explicit hypothesis (basis
/// `inferred`, its text saying "hypothesis"); never `must` on a quotation (the locator's
/// quoted words) that says usually, likely or mainly unless it also says the outcome is certain.
#[test]
fn every_rule_follows_the_one_strength_policy() {
    let book = shipped();
    let mut broken = Vec::new();
    for rule_set in book.rule_sets() {
        for constraint in &rule_set.constraints {
            if constraint.declared_in != rule_set.id || constraint.strength != Strength::Must {
                continue;
            }
            let id = &constraint.id;
            if constraint.basis == ratings_core::Basis::Inferred
                && !constraint.text.contains("hypothesis")
            {
                broken.push(format!(
                    "{id}: must and inferred, but its text does not say it is a hypothesis"
                ));
            }
            for cite in &constraint.cite {
                // The source's own words: the quoted parts of the locator ('...'); an
                // apostrophe between letters (profile's) is not a quotation mark.
                let chars: Vec<char> = cite.locator.to_lowercase().chars().collect();
                let marked: String = chars
                    .iter()
                    .enumerate()
                    .map(|(i, &c)| {
                        let between = i > 0
                            && chars[i - 1].is_alphanumeric()
                            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
                        if c == '\'' && between {
                            '\u{2019}'
                        } else {
                            c
                        }
                    })
                    .collect();
                let quote: String = marked
                    .split('\'')
                    .skip(1)
                    .step_by(2)
                    .collect::<Vec<_>>()
                    .join(" ");
                let hedged = ["usually", "likely", "mainly"]
                    .iter()
                    .any(|w| quote.contains(w));
                let certain = [
                    "always",
                    "will",
                    "certainly",
                    "automatically",
                    "requires",
                    "must",
                ]
                .iter()
                .any(|w| quote.contains(w));
                if hedged && !certain {
                    broken.push(format!(
                        "{id}: must, but cites a hedged source: {}, {}",
                        cite.document, cite.locator
                    ));
                }
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

/// `explain` on a day after a judgement was dropped says so, with where it is judged, rather
/// than offering a near miss: ILACS has no overall grade from 1 April 2026.
#[test]
fn explain_says_a_judgement_of_other_periods_is_not_judged_then() {
    let run = ratings(&[
        "explain",
        "--date",
        "2026-06-01",
        "--set",
        "ilacs.overall_effectiveness=good",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("`ilacs.overall_effectiveness` is not judged from 2026-04-01: the rule sets in force then (ilacs-2026) have no such judgement"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("2023-01-01 to 2026-03-31 (rule set `ilacs-2023`)"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("did you mean"), "{}", run.stderr);
}
