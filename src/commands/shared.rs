//! What every command shares: the rules, the authorities table and the auditor's severities
//! resolved from the arguments; for a command that checks records, all its arguments resolved
//! once (`Resolved`), which reads the inputs into a checker; and the exit code a check calls
//! for.

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

/// The arguments of a command that checks records, resolved once before any work, in the
/// spirit of ripgrep's `HiArgs`: the auditor's severities validated, the rules loaded, and the
/// inputs' arguments resolved (authorities table, `--exclude`, `--input-format`, column maps).
/// A command then asks it for a checker or a checked report; what cannot be resolved has
/// been printed, and is an input error.
pub(super) struct Resolved {
    /// The name the rules are shown under: their directory, or `shipped rules`.
    pub rules_name: String,
    /// The rules.
    pub book: RuleBook,
    /// The inputs, and how to read them.
    pub inputs: Inputs,
    /// The auditor's severities.
    pub overrides: Overrides,
    /// Search steps each question may spend.
    pub budget: u64,
}

impl Resolved {
    /// The rules of `dir` (or the shipped ones) and the inputs' arguments, resolved in that
    /// order; `overrides` were resolved first, by the caller.
    pub(super) fn new(
        dir: Option<&Path>,
        inputs: &cli::Inputs,
        budget: u64,
        overrides: Overrides,
    ) -> Result<Resolved, Outcome> {
        let book = rule_book(dir)?;
        Ok(Resolved {
            rules_name: rules_name(dir),
            book,
            inputs: Inputs::resolve(inputs)?,
            overrides,
            budget,
        })
    }

    /// The arguments of a command that measures rules against records (`coverage`,
    /// `hypotheses`, `wanted`), which takes no severities: every code keeps its own.
    pub(super) fn without_overrides(
        rules: &cli::Rules,
        inputs: &cli::Inputs,
        budget: cli::Budget,
    ) -> Result<Resolved, Outcome> {
        Resolved::new(
            rules.rules.as_deref(),
            inputs,
            budget.budget,
            Overrides::default(),
        )
    }

    /// Every input read into a checker that may use this many threads.
    pub(super) fn checker(&self, threads: usize) -> Checker<'_> {
        self.inputs
            .checker(&self.book, &self.overrides, self.budget, threads)
    }

    /// Every input checked, with the problems printed: where `report`, `coverage`,
    /// `hypotheses` and `wanted` start.
    pub(super) fn checked(&self) -> Report {
        let report = self.checker(every_core()).report();
        term::problems(&report.problems);
        report
    }
}

/// The inputs' arguments resolved: the paths, the authorities table read, `--exclude`
/// compiled, the format of standard input, and every column map read. Reading the paths is
/// left to each check, so one set of inputs can be checked against two rule books (`diff`).
pub(super) struct Inputs {
    /// The paths named.
    pub paths: Vec<PathBuf>,
    /// The authorities table: the built-in one, or `--authorities`.
    pub authorities: Authorities,
    exclude: Exclude,
    stdin_format: Option<InputFormat>,
    maps: Vec<ratings_check::ColumnMap>,
}

impl Inputs {
    /// The arguments resolved, or every problem with them printed: the authorities table,
    /// then `--exclude`, then `--input-format`, then every column map (all read, and all their
    /// problems reported, before any input).
    pub(super) fn resolve(inputs: &cli::Inputs) -> Result<Inputs, Outcome> {
        let table = authorities(inputs.authorities.as_deref())?;
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
        let mut maps = Vec::new();
        let mut map_problems = Vec::new();
        for path in &inputs.columns {
            match column_map(path) {
                Ok(map) => maps.push(map),
                Err(problems) => map_problems.extend(problems),
            }
        }
        if !map_problems.is_empty() {
            term::problems(&map_problems);
            return Err(Outcome::InputError);
        }
        Ok(Inputs {
            paths: inputs.paths.clone(),
            authorities: table,
            exclude,
            stdin_format,
            maps,
        })
    }

    /// Every input under the paths read into a checker of `book`; the files skipped and the
    /// paths lost are counted in it too.
    pub(super) fn checker<'b>(
        &'b self,
        book: &'b RuleBook,
        overrides: &'b Overrides,
        budget: u64,
        threads: usize,
    ) -> Checker<'b> {
        let options = CheckOptions {
            budget,
            authorities: &self.authorities,
            overrides,
        };
        let collected = files::collect(&self.paths, &self.exclude);
        let mut checker = Checker::new(book, options);
        checker.threads(threads);
        for problem in collected.problems {
            checker.add_streamed_file(Some(problem));
        }
        for warning in collected.skipped {
            checker.add_skipped(warning);
        }
        files::read_all(
            &collected.files,
            self.stdin_format,
            &self.maps,
            &mut checker,
            book,
            &self.authorities,
        );
        checker
    }
}

/// A column map: a file, or else the name of a shipped map (usable from any directory).
fn column_map(path: &Path) -> Result<ratings_check::ColumnMap, Vec<Problem>> {
    let shipped = (!path.exists())
        .then(|| path.to_str().and_then(ratings_rules::map))
        .flatten();
    match shipped {
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
    }
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

/// The threads a command uses unless told (`--threads`): every core.
pub(super) fn every_core() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}
