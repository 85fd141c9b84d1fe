//! `analyze`: what is wrong with a rule directory on its own, each finding with a witness; or,
//! with `--compare A B`, whether two rule directories allow exactly the same grades.

use super::*;
use ratings_check::json;

pub(super) fn analyze(
    dir: Option<&Path>,
    period: Option<Period>,
    budget: u64,
    format: Format,
) -> Result<Outcome, Outcome> {
    let book = rule_book(dir)?;
    if let Some(period) = period {
        let touches = |span: &ratings_core::Span| match period {
            Period::Year(year) => span.touches_year(year),
            Period::Date(day) => span.contains(day),
        };
        let untouched = book
            .subjects()
            .iter()
            .all(|subject| book.epochs(subject).iter().all(|(span, _)| !touches(span)));
        if untouched {
            in_force(&book, ratings_core::LOCAL_AUTHORITIES, period)?;
        }
    }
    let mut budget = Budget::new(budget);
    let findings = ratings_core::analyze(&book, period, &mut budget).map_err(|error| {
        errln!("error[{}]: {error}", Code::BudgetExceeded);
        errln!("  = help: the budget bounds the whole analysis; raise it with `--budget STEPS`");
        Outcome::InputError
    })?;
    match format {
        Format::Json => {
            let findings: Vec<json::AnalysisFindingJson<'_>> = findings
                .iter()
                .map(json::AnalysisFindingJson::from)
                .collect();
            outln!("{}", pretty(&serde_json::json!({ "findings": findings })))
        }
        Format::Human => {
            let mut spans: Vec<String> = Vec::new();
            for subject in book.subjects() {
                spans.extend(
                    book.epochs(subject)
                        .iter()
                        .filter(|(span, _)| {
                            period.is_none_or(|p| match p {
                                Period::Year(year) => span.touches_year(year),
                                Period::Date(day) => span.contains(day),
                            })
                        })
                        .map(|(span, _)| ratings_core::rules_label(subject, &span.to_string())),
                );
            }
            for finding in &findings {
                if !spans.contains(&finding.period) {
                    spans.push(finding.period.clone());
                }
            }
            for span in &spans {
                let of_span: Vec<_> = findings.iter().filter(|f| &f.period == span).collect();
                if of_span.is_empty() {
                    outln!("{span}: clean");
                    continue;
                }
                for finding in of_span {
                    out!("{span}: {}", render(&finding.view(), 0));
                    if let Some(witness) = &finding.witness {
                        outln!("  witness, as a record:");
                        outln!("    [[record]]\n    authority = \"witness\"\n    date = {}\n    source = {{ document = \"ratings analyze\", locator = \"{}\" }}\n    [record.grades]", span_start(span), finding.code);
                        for (judgement, value) in witness {
                            outln!("    \"{judgement}\" = {value}");
                        }
                    }
                }
            }
            let errors = findings.iter().filter(|f| f.is_error()).count();
            outln!(
                "{} ({} that make the rules wrong)",
                count(findings.len(), "finding"),
                errors
            );
        }
    }
    Ok(
        if findings.iter().any(ratings_core::AnalysisFinding::is_error) {
            Outcome::Findings
        } else {
            Outcome::Success
        },
    )
}

/// The first day of a span label (`2007–2008` → `2007-01-01`), for a witness record.
pub(super) fn span_start(span: &str) -> String {
    let first = span
        .trim_start_matches("from ")
        .split(['–', ' '])
        .next()
        .unwrap_or(span);
    if first.len() == 4 {
        format!("{first}-01-01")
    } else {
        first.to_owned()
    }
}

pub(super) fn compare_dirs(
    dirs: &[PathBuf],
    period: Option<Period>,
    budget: u64,
    format: Format,
) -> Result<Outcome, Outcome> {
    let (Some(a), Some(b)) = (dirs.first(), dirs.get(1)) else {
        errln!("error: `--compare` takes two rule directories");
        return Err(Outcome::InputError);
    };
    let (book_a, book_b) = (rule_book(Some(a))?, rule_book(Some(b))?);
    let (name_a, name_b) = (a.display().to_string(), b.display().to_string());
    let differences = ratings_core::compare(
        &book_a,
        &book_b,
        [&name_a, &name_b],
        period,
        &mut Budget::new(budget),
    )
    .map_err(|error| {
        errln!("error[{}]: {error}", Code::BudgetExceeded);
        Outcome::InputError
    })?;
    match format {
        Format::Json => outln!(
            "{}",
            pretty(&serde_json::json!({
                "a": name_a,
                "b": name_b,
                "differences": differences.iter().map(json::DifferenceJson::from).collect::<Vec<_>>(),
            }))
        ),
        Format::Human => {
            for difference in &differences {
                outln!("{}", escape(&difference.message));
                if let Some(witness) = &difference.witness {
                    let grades: Vec<String> =
                        witness.iter().map(|(j, v)| format!("{j} = {v}")).collect();
                    outln!("  witness: {}", grades.join(", "));
                }
            }
            if differences.is_empty() {
                outln!(
                    "`{}` and `{}` allow exactly the same grades at every time",
                    escape(&name_a),
                    escape(&name_b)
                );
            }
        }
    }
    Ok(if differences.is_empty() {
        Outcome::Success
    } else {
        Outcome::Findings
    })
}
