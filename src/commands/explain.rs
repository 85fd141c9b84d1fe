//! `ratings explain`: the allowed values of every judgement for given grades, with the rules
//! that remove the others.

use super::*;

pub(super) fn explain(
    dir: Option<&Path>,
    when: cli::When,
    subject: Option<&str>,
    sets: &[String],
    budget: u64,
    format: Format,
) -> Result<Outcome, Outcome> {
    let Some(period) = when.period() else {
        errln!("error: `explain` needs `--year YEAR` or `--date YYYY-MM-DD`");
        return Err(Outcome::InputError);
    };
    let book = rule_book(dir)?;
    let judgements: Vec<&str> = sets
        .iter()
        .filter_map(|set| set.split_once('=').map(|(j, _)| j.trim()))
        .collect();
    let subject = subject_of(&book, subject, &judgements)?;
    let rules = in_force(&book, &subject, period)?;
    let given = parse_sets(&book, &rules, sets).map_err(|problem| {
        term::problems(&[problem]);
        Outcome::InputError
    })?;
    let model = Model::new(&rules);
    let mut budget = Budget::new(budget);
    let evaluated = model.allowed(&given, &mut budget).and_then(|allowed| {
        let reasons = model.reasons(&given, &allowed, &mut budget)?;
        let conflict = if allowed.consistent {
            None
        } else {
            model.conflict(&given, &mut budget)?
        };
        Ok(Answer {
            allowed,
            reasons,
            conflict,
        })
    });
    let answer = evaluated.map_err(|error| {
        errln!("error[{}]: {error}", Code::BudgetExceeded);
        errln!("  = help: raise the limit with `--budget STEPS`");
        Outcome::InputError
    })?;
    match format {
        Format::Json => {
            let mut out = json!({
                "period": period.to_string(),
                "subject": subject,
                "rule_sets": rules.rule_sets(),
                "consistent": answer.allowed.consistent,
                "allowed": answer.allowed.values,
                "reasons": ratings_check::json::reasons(&answer.reasons),
            });
            if let Some(conflict) = &answer.conflict {
                out["conflict"] = json!(ratings_check::json::CoreJson::from(conflict));
            }
            outln!("{}", pretty(&out));
        }
        Format::Human => print_explanation(period, &subject, &book, &rules, &given, &answer),
    }
    Ok(if answer.allowed.consistent {
        Outcome::Success
    } else {
        Outcome::Findings
    })
}

/// `JUDGEMENT=VALUE` arguments resolved on the judgements' scales, by the same reading as
/// records.
pub(super) fn parse_sets(
    book: &RuleBook,
    rules: &PeriodRules,
    sets: &[String],
) -> Result<Assignment, Problem> {
    let mut given = Assignment::new();
    let argument = |message: String| Problem::in_file(Code::InvalidArgument, "--set", message);
    for set in sets {
        let Some((judgement, value)) = set.split_once('=') else {
            return Err(argument(format!(
                "`{}` is not of the form JUDGEMENT=VALUE",
                escape(set)
            )));
        };
        let judgement = judgement.trim();
        let Some(found) = rules.judgement(judgement) else {
            // A judgement of other periods (the ILACS overall grade, gone from April 2026) is
            // said to be one, with where it is judged; only a name judged nowhere gets a
            // near miss.
            if let Some(elsewhere) = ratings_check::judged_in(book).remove(judgement) {
                return Err(argument(format!(
                    "`{}` is not judged {}: the rule sets in force then ({}) have no such judgement",
                    escape(judgement),
                    in_words(rules.label()),
                    rules.rule_sets().join(", ")
                ))
                .with_help(elsewhere));
            }
            let mut problem = argument(format!(
                "unknown judgement `{}` for {}",
                escape(judgement),
                rules.label()
            ));
            if let Some(help) = ratings_core::did_you_mean(judgement, rules.judgement_ids()) {
                problem = problem.with_help(help);
            }
            return Err(problem);
        };
        let level = ratings_check::resolve_grade(
            &found.scale,
            &ratings_check::WrittenValue::Text(value.to_owned()),
        )
        .map_err(|_| {
            argument(format!(
                "`{}` is not on scale `{}` of `{judgement}`",
                escape(value.trim()),
                found.scale.id
            ))
            .with_help(format!(
                "scale `{}` is {}",
                found.scale.id,
                found.scale.listing()
            ))
        })?;
        if given.insert(judgement.to_owned(), level.number).is_some() {
            return Err(argument(format!("`{judgement}` is set twice")));
        }
    }
    Ok(given)
}

/// What the model answered about the given grades.
pub(super) struct Answer {
    pub(super) allowed: ratings_core::Allowed,
    pub(super) reasons: Vec<ratings_core::Reason>,
    pub(super) conflict: Option<ratings_core::Core>,
}

pub(super) fn print_explanation(
    period: Period,
    subject: &str,
    book: &RuleBook,
    rules: &PeriodRules,
    given: &Assignment,
    answer: &Answer,
) {
    let (allowed, reasons, conflict) = (&answer.allowed, &answer.reasons, answer.conflict.as_ref());
    if subject == ratings_core::LOCAL_AUTHORITIES {
        outln!("{period}: rule sets {}", rules.rule_sets().join(", "));
    } else {
        outln!(
            "{period}, {subject}: rule sets {}",
            rules.rule_sets().join(", ")
        );
    }
    if let Some(conflict) = conflict {
        outln!("inconsistent: no grades for the other judgements satisfy every `must` rule");
        let grades: Vec<String> = conflict
            .given
            .iter()
            .map(|(j, v)| describe(rules, j, *v))
            .collect();
        outln!("  these given grades conflict: {}", grades.join(", "));
        for rule in &conflict.rules {
            print_rule(book, rules, rule, "  rule");
        }
        return;
    }
    let width = rules
        .judgements()
        .iter()
        .map(|j| j.judgement.id.len())
        .max()
        .unwrap_or(0);
    for judgement in rules.judgements() {
        let id = &judgement.judgement.id;
        let values = allowed.values.get(id).cloned().unwrap_or_default();
        let shown = if values.len() == judgement.scale.values.len() {
            "any".to_owned()
        } else {
            values
                .iter()
                .map(|v| judgement.scale.describe(*v))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut tags = Vec::new();
        if given.contains_key(id) {
            tags.push("given");
        }
        if judgement.judgement.latent {
            tags.push("latent");
        }
        let tags = if tags.is_empty() {
            String::new()
        } else {
            format!("  [{}]", tags.join(", "))
        };
        outln!("  {id:width$}  {shown}{tags}");
        for reason in reasons {
            let Some(removed) = reason.removes.get(id) else {
                continue;
            };
            let removed: Vec<String> = removed
                .iter()
                .map(|v| judgement.scale.describe(*v))
                .collect();
            let because: Vec<String> = reason
                .because
                .iter()
                .map(|(j, v)| describe(rules, j, *v))
                .collect();
            let because = if because.is_empty() {
                "whatever the grades".to_owned()
            } else {
                format!("given {}", because.join(", "))
            };
            outln!("    rules out {}, {because}:", removed.join(", "));
            for rule in reason.rules() {
                print_rule(book, rules, rule, "      rule");
            }
        }
    }
}

/// A rule as an explanation names it: its id, firmness and text, then where it is written
/// and the sources it cites.
pub(super) fn print_rule(book: &RuleBook, rules: &PeriodRules, rule: &str, lead: &str) {
    let Some(constraint) = rules.constraint(rule) else {
        return;
    };
    let indent = " ".repeat(lead.len() - lead.trim_start().len() + 2);
    outln!(
        "{lead} `{rule}` ({}): {}",
        constraint.firmness(),
        constraint.text
    );
    let location = &constraint.location;
    outln!("{indent}at {}:{}", location.file, location.line);
    for cited in ratings_check::cited(book, constraint) {
        match &cited.url {
            Some(url) => outln!("{indent}source: {}, {} <{url}>", cited.title, cited.locator),
            None => outln!("{indent}source: {}, {}", cited.title, cited.locator),
        }
    }
}

pub(super) fn describe(rules: &PeriodRules, judgement: &str, number: i64) -> String {
    match rules.judgement(judgement) {
        Some(found) => format!("{judgement} = {}", found.scale.describe(number)),
        None => format!("{judgement} = {number}"),
    }
}

/// A period's label as words after "judged": "from 2026-04-01", "in 2009", "2013-01-01 to
/// 2013-10-31" as "from 2013-01-01 to 2013-10-31".
fn in_words(label: &str) -> String {
    if label.starts_with("from ") {
        label.to_owned()
    } else if label.contains(" to ") {
        format!("from {label}")
    } else {
        format!("in {label}")
    }
}
