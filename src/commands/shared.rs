//! What every command shares: the rules, the authorities table and the auditor's severities
//! resolved from the arguments, the inputs read into a checker, and the exit code a check
//! calls for.

use super::*;

/// The rule directory's texts, or the shipped rules.
pub(super) fn rule_texts(dir: Option<&Path>) -> Result<Vec<SourceText>, Vec<Problem>> {
    match dir {
        None => Ok(ratings_rules::sources()),
        Some(dir) => files::rule_dir(dir),
    }
}

/// The name the rules are shown under.
pub(super) fn rules_name(dir: Option<&Path>) -> String {
    dir.map_or_else(|| "shipped rules".to_owned(), |d| d.display().to_string())
}

/// The rule book, or the problems printed and an input error.
pub(super) fn rule_book(dir: Option<&Path>) -> Result<RuleBook, Outcome> {
    rule_texts(dir)
        .and_then(|texts| load_rules(&texts))
        .map_err(|problems| {
            term::problems(&problems);
            errln!(
                "error: the rules in {} are not valid ({}); run `ratings lint` for details",
                escape(&rules_name(dir)),
                count(problems.len(), "problem")
            );
            Outcome::InputError
        })
}

/// An authorities table (the built-in one, or a file), or its problems printed.
pub(super) fn authorities(path: Option<&Path>) -> Result<Authorities, Outcome> {
    match path {
        None => Ok(Authorities::builtin().clone()),
        Some(path) => files::authorities(path).map_err(|problems| {
            term::problems(&problems);
            Outcome::InputError
        }),
    }
}

/// The auditor's severities of `--allow`, `--warn` and `--deny`, or a usage error.
pub(super) fn overrides(severities: &cli::Severities) -> Result<Overrides, Outcome> {
    let codes = |names: &[String]| -> Vec<Code> {
        names.iter().filter_map(|n| Code::from_name(n)).collect()
    };
    Overrides::new(
        &codes(&severities.allow),
        &codes(&severities.warn),
        &codes(&severities.deny),
    )
    .map_err(|why| {
        errln!("error[{}]: {why}", Code::InvalidArgument);
        Outcome::InputError
    })
}

/// The rules in force for a subject in a period, or an input error naming why there are none.
pub(super) fn in_force(
    book: &RuleBook,
    subject: &str,
    period: Period,
) -> Result<PeriodRules, Outcome> {
    book.in_force(subject, period).map_err(|why| {
        errln!("error: {why}");
        Outcome::InputError
    })
}

/// Whose rules a command asks about: `--subject`, else the subject of the judgements given
/// (all must agree), else local authorities. An input error for a subject no rule set judges.
pub(super) fn subject_of(
    book: &RuleBook,
    named: Option<&str>,
    judgements: &[&str],
) -> Result<String, Outcome> {
    let subjects = book.subjects();
    if let Some(named) = named {
        let found = subjects
            .iter()
            .find(|s| s.eq_ignore_ascii_case(named.trim()));
        return match found {
            Some(subject) => Ok((*subject).to_owned()),
            None => {
                errln!(
                    "error[{}]: no rule set judges `{}`",
                    Code::UnknownSubject,
                    escape(named)
                );
                errln!("  = help: the rules judge `{}`", subjects.join("`, `"));
                Err(Outcome::InputError)
            }
        };
    }
    let mut found: Vec<&str> = judgements
        .iter()
        .filter_map(|j| book.subject_of_judgement(j))
        .collect();
    found.sort_unstable();
    found.dedup();
    match found.as_slice() {
        [] => Ok(ratings_core::LOCAL_AUTHORITIES.to_owned()),
        [one] => Ok((*one).to_owned()),
        several => {
            errln!(
                "error[{}]: the judgements given belong to rules of different subjects: `{}`",
                Code::InvalidArgument,
                several.join("`, `")
            );
            errln!("  = help: give judgements of one subject, or name it with `--subject`");
            Err(Outcome::InputError)
        }
    }
}

pub(super) fn print_problems(problems: &[Problem], format: Format) {
    match format {
        Format::Human => term::problems(problems),
        Format::Json => outln!(
            "{}",
            pretty(&json!({ "clean": false, "problems": ratings_check::json::problems(problems) }))
        ),
    }
}

/// Every input under the paths read into a checker; the files skipped and the paths lost are
/// counted in it too.
pub(super) fn read_inputs<'b>(
    book: &'b RuleBook,
    inputs: &cli::Inputs,
    options: CheckOptions<'b>,
) -> Result<Checker<'b>, Outcome> {
    let exclude = Exclude::new(&inputs.exclude).map_err(|problem| {
        term::problems(&[problem]);
        Outcome::InputError
    })?;
    if inputs.input_format.is_some() && !inputs.paths.iter().any(|p| p.as_os_str() == "-") {
        term::problems(&[Problem::in_file(
            Code::InvalidArgument,
            "--input-format",
            "`--input-format` says how to read standard input, but `-` is not among the paths",
        )
        .with_help("add `-` to read standard input, or leave out `--input-format` (files are read by their extension)")]);
        return Err(Outcome::InputError);
    }
    let stdin_format = inputs.input_format.map(|format| match format {
        cli::InputFormat::Toml => InputFormat::Toml,
        cli::InputFormat::Csv => InputFormat::Csv,
        cli::InputFormat::Txt => InputFormat::Txt,
        cli::InputFormat::Pdf => InputFormat::Pdf,
    });
    // Every map is read, and every problem in them reported, before any input.
    let mut maps = Vec::new();
    let mut map_problems = Vec::new();
    for path in &inputs.columns {
        // A path that is no file may name a shipped map, usable from any directory.
        let shipped = (!path.exists())
            .then(|| path.to_str().and_then(ratings_rules::map))
            .flatten();
        let map = match shipped {
            Some(text) => ratings_check::ColumnMap::from_toml(&text),
            None => files::column_map(path).map_err(|mut problems| {
                if !path.exists() {
                    for problem in &mut problems {
                        *problem = problem.clone().with_help(format!(
                            "a column map is a file, or the name of a shipped map: {}",
                            ratings_rules::map_names().join(", ")
                        ));
                    }
                }
                problems
            }),
        };
        match map {
            Ok(map) => maps.push(map),
            Err(problems) => map_problems.extend(problems),
        }
    }
    if !map_problems.is_empty() {
        term::problems(&map_problems);
        return Err(Outcome::InputError);
    }
    let collected = files::collect(&inputs.paths, &exclude);
    let mut checker = Checker::new(book, options);
    for problem in collected.problems {
        checker.add_streamed_file(Some(problem));
    }
    for warning in collected.skipped {
        checker.add_skipped(warning);
    }
    files::read_all(
        &collected.files,
        stdin_format,
        &maps,
        &mut checker,
        book,
        options.authorities,
    );
    Ok(checker)
}

/// The rules, and every input checked against them with the problems printed: where
/// `report`, `coverage`, `hypotheses` and `wanted` start.
pub(super) fn checked(
    dir: Option<&Path>,
    inputs: &cli::Inputs,
    budget: u64,
    overrides: &Overrides,
) -> Result<(RuleBook, Report), Outcome> {
    let book = rule_book(dir)?;
    let table = authorities(inputs.authorities.as_deref())?;
    let report = run_check(
        &book,
        inputs,
        CheckOptions {
            budget,
            authorities: &table,
            overrides,
        },
    )?;
    term::problems(&report.problems);
    Ok((book, report))
}

/// Read and check everything, collecting the results.
pub(super) fn run_check(
    book: &RuleBook,
    inputs: &cli::Inputs,
    options: CheckOptions<'_>,
) -> Result<Report, Outcome> {
    Ok(read_inputs(book, inputs, options)?.report())
}

/// The exit code a check's counts and severities call for: input lost or undecided is 2,
/// whatever else; then 1 for any error finding, or any warning the auditor denied.
pub(super) fn outcome_of(summary: &Summary, errors: bool, problems: &[Problem]) -> Outcome {
    let denied = problems
        .iter()
        .any(|p| p.severity == Severity::Error && p.code.severity() != Severity::Error);
    if summary.input_lost() {
        Outcome::InputError
    } else if errors || denied {
        Outcome::Findings
    } else {
        Outcome::Success
    }
}

pub use ratings_core::count;

/// Pretty JSON.
pub fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}
