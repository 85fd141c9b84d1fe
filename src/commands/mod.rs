//! One function per subcommand: read inputs, call the library crates, print, return an
//! outcome. Every command that reads published grades treats lost or undecided input the same
//! way: it reports it, counts it, and exits 2.

use std::path::{Path, PathBuf};

use ratings_check::files::{self, Exclude, InputFormat};
use ratings_check::output::{Filter, Format as ReportFormat, Stream};
use ratings_check::{Authorities, CheckOptions, Checker, Report, Summary};
use ratings_core::{
    escape, load_rules, render, Assignment, Budget, Code, Model, Overrides, Period, PeriodRules,
    Problem, RuleBook, Severity, SourceText,
};
use serde_json::json;

use crate::cli::{self, CheckFormat, Command, ExtractFormat, Format, GraphFormat};
use crate::{term, Outcome};

mod analyze;
mod explain;
mod page;
mod rule_changes;
mod shared;

use analyze::{analyze, compare_dirs};
use explain::explain;
use page::report;
use rule_changes::{coverage, diff, wanted};
pub(crate) use shared::*;

/// Run a subcommand.
pub fn run(command: Command) -> Outcome {
    let result = match command {
        Command::Lint {
            rules,
            severities,
            format,
        } => overrides(&severities).and_then(|o| lint(rules.rules.as_deref(), &o, format)),
        Command::Explain {
            rules,
            when,
            subject,
            sets,
            budget,
            format,
        } => explain(
            rules.rules.as_deref(),
            when,
            subject.as_deref(),
            &sets,
            budget.budget,
            format,
        ),
        Command::Check {
            rules,
            inputs,
            budget,
            severities,
            format,
            only,
            quiet,
            threads,
        } => overrides(&severities)
            .and_then(|o| Resolved::new(rules.rules.as_deref(), &inputs, budget.budget, o))
            .and_then(|args| {
                check(
                    &args,
                    Shown {
                        format,
                        only: &only,
                        quiet,
                        threads,
                    },
                )
            }),
        Command::Report {
            rules,
            inputs,
            budget,
            severities,
            output,
            title,
        } => overrides(&severities).and_then(|o| {
            report(
                rules.rules.as_deref(),
                &inputs,
                budget.budget,
                o,
                &output,
                title,
            )
        }),
        Command::Extract {
            rules,
            files,
            authorities,
            format,
        } => extract(
            rules.rules.as_deref(),
            &files,
            authorities.as_deref(),
            format,
        ),
        Command::Diff {
            from,
            to,
            inputs,
            budget,
            format,
        } => diff(&from, to.as_deref(), &inputs, budget.budget, format),
        Command::Coverage {
            rules,
            inputs,
            budget,
            format,
        } => Resolved::without_overrides(&rules, &inputs, budget)
            .and_then(|args| coverage(&args, format, false)),
        Command::Hypotheses {
            rules,
            inputs,
            budget,
            format,
        } => Resolved::without_overrides(&rules, &inputs, budget)
            .and_then(|args| coverage(&args, format, true)),
        Command::Wanted {
            rules,
            inputs,
            budget,
            format,
        } => Resolved::without_overrides(&rules, &inputs, budget)
            .and_then(|args| wanted(&args, format)),
        Command::Analyze {
            rules,
            when,
            compare,
            budget,
            format,
        } => match compare {
            Some(dirs) => compare_dirs(&dirs, when.period(), budget, format),
            None => analyze(rules.rules.as_deref(), when.period(), budget, format),
        },
        Command::Graph {
            rules,
            when,
            subject,
            format,
        } => graph(rules.rules.as_deref(), when, subject.as_deref(), format),
        Command::Completions { shell } => {
            let mut command = <cli::Cli as clap::CommandFactory>::command();
            let mut bytes = Vec::new();
            clap_complete::generate(shell, &mut command, "ratings", &mut bytes);
            out!("{}", String::from_utf8_lossy(&bytes));
            Ok(Outcome::Success)
        }
        Command::Man => {
            let command = <cli::Cli as clap::CommandFactory>::command();
            let mut bytes = Vec::new();
            match clap_mangen::Man::new(command).render(&mut bytes) {
                Ok(()) => {
                    out!("{}", String::from_utf8_lossy(&bytes));
                    Ok(Outcome::Success)
                }
                Err(error) => {
                    errln!("error: cannot write the manual page: {error}");
                    Ok(Outcome::InputError)
                }
            }
        }
    };
    result.unwrap_or_else(|outcome| outcome)
}

fn lint(dir: Option<&Path>, overrides: &Overrides, format: Format) -> Result<Outcome, Outcome> {
    Ok(lint_with(dir, overrides, format))
}

fn lint_with(dir: Option<&Path>, overrides: &Overrides, format: Format) -> Outcome {
    let name = rules_name(dir);
    let texts = match rule_texts(dir) {
        Ok(texts) => texts,
        Err(problems) => {
            print_problems(&problems, format);
            return Outcome::InputError;
        }
    };
    match load_rules(&texts) {
        Ok(book) => {
            // Subjects grouped by the years they are covered: the provision types of
            // providers share theirs.
            let mut by_span: Vec<(String, Vec<&str>)> = Vec::new();
            for subject in book.subjects() {
                if let Some(span) = book.coverage(subject) {
                    let span = span.to_string();
                    match by_span.iter_mut().find(|(s, _)| *s == span) {
                        Some((_, subjects)) => subjects.push(subject),
                        None => by_span.push((span, vec![subject])),
                    }
                }
            }
            let coverage: Vec<String> = by_span
                .iter()
                .map(|(span, subjects)| match subjects.as_slice() {
                    [one] => format!("{one} {span}"),
                    many if !many.contains(&ratings_core::LOCAL_AUTHORITIES) => {
                        format!("{} kinds of provider {span}", many.len())
                    }
                    many => format!("{} {span}", many.join(", ")),
                })
                .collect();
            let coverage = if coverage.is_empty() {
                "no period".to_owned()
            } else {
                coverage.join(", ")
            };
            let (rules, constraints) = (book.rule_count(), book.constraint_count());
            let shared = if constraints > rules {
                format!(" ({constraints} in force over the rule sets, which inherit some)")
            } else {
                String::new()
            };
            let line = format!(
                "{}: clean ({}, {}, {}, {}, {}{shared}; covering {coverage})",
                escape(&name),
                count(texts.len(), "file"),
                count(book.scales().len(), "scale"),
                count(book.documents().len(), "document"),
                count(book.rule_sets().len(), "rule set"),
                count(rules, "rule"),
            );
            match format {
                Format::Human => outln!("{line}"),
                Format::Json => outln!("{}", pretty(&json!({ "clean": true, "problems": [] }))),
            }
            Outcome::Success
        }
        Err(problems) => {
            // The auditor's severities decide what is shown and whether it fails; the rule
            // book is still not built from rules with problems.
            let problems = overrides.problems(problems);
            let errors = problems
                .iter()
                .filter(|p| p.severity == Severity::Error)
                .count();
            if problems.is_empty() {
                match format {
                    Format::Human => outln!(
                        "{}: no problem shown (every one is allowed), but the rules do not load",
                        escape(&name)
                    ),
                    Format::Json => {
                        outln!("{}", pretty(&json!({ "clean": false, "problems": [] })))
                    }
                }
                return Outcome::Findings;
            }
            print_problems(&problems, format);
            if format == Format::Human {
                errln!(
                    "{}: {} ({} errors)",
                    escape(&name),
                    count(problems.len(), "problem"),
                    errors
                );
            }
            Outcome::Findings
        }
    }
}

/// How `check` shows its results, and on how many threads it makes them.
struct Shown<'a> {
    format: CheckFormat,
    only: &'a [cli::Verdict],
    quiet: bool,
    threads: Option<u16>,
}

fn check(args: &Resolved, shown: Shown<'_>) -> Result<Outcome, Outcome> {
    let Shown {
        format,
        only,
        quiet,
        threads,
    } = shown;
    // Assessments are read, evaluated and rendered on every core (or `--threads`), and
    // written in order.
    let threads = threads.map_or_else(shared::every_core, usize::from);
    // Stream: CSV rows are checked as they are read, results rendered as they are made.
    let checker = args.checker(threads);
    let stream_format = match format {
        CheckFormat::Human => ReportFormat::Human,
        CheckFormat::Json => ReportFormat::Json,
        CheckFormat::Csv => ReportFormat::Csv,
        CheckFormat::Compact => ReportFormat::Compact,
    };
    let filter = Filter {
        verdicts: only
            .iter()
            .map(|v| match v {
                cli::Verdict::Consistent => ratings_check::Verdict::Consistent,
                cli::Verdict::Inconsistent => ratings_check::Verdict::Inconsistent,
                cli::Verdict::Unverifiable => ratings_check::Verdict::Unverifiable,
                cli::Verdict::Undecided => ratings_check::Verdict::Undecided,
                cli::Verdict::Disputed => ratings_check::Verdict::Disputed,
            })
            .collect(),
        quiet,
    };
    let stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let mut stream = Stream::new(stream_format, filter, stdout);
    let (summary, problems, errors) = checker.finish_into(&mut stream, threads);
    term::problems(&problems);
    let ended = stream
        .end(&summary)
        .and_then(|mut out| std::io::Write::flush(&mut out));
    if let Err(error) = ended {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            // The reader has seen enough (`ratings check ... | head`): end quietly, like `out!`.
            std::process::exit(0);
        }
        errln!("error: cannot write the report: {error}");
        return Err(Outcome::InputError);
    }
    if format == CheckFormat::Csv {
        errln!("{}", ratings_check::output::summary_line(&summary));
    }
    Ok(outcome_of(&summary, errors, &problems))
}

fn extract(
    dir: Option<&Path>,
    paths: &[PathBuf],
    authorities_file: Option<&Path>,
    format: ExtractFormat,
) -> Result<Outcome, Outcome> {
    let book = rule_book(dir)?;
    let table = authorities(authorities_file)?;
    let mut outcome = Outcome::Success;
    let mut extractions = Vec::new();
    // Files named and found under directories, each once; in a directory, only letters and
    // reports are read, and other files are left out with a warning.
    let collected = files::collect(paths, &Exclude::default());
    if !collected.problems.is_empty() {
        term::problems(&collected.problems);
        outcome = Outcome::InputError;
    }
    let mut warnings = collected.skipped;
    let mut inputs = Vec::new();
    for input in collected.files {
        let extension = input
            .path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_lowercase)
            .unwrap_or_default();
        if input.named || extension == "txt" || extension == "pdf" {
            inputs.push(input.path);
        } else {
            warnings.push(files::skipped(
                &input.path,
                "a record file, not a letter or report: `check` reads it",
            ));
        }
    }
    if !warnings.is_empty() {
        term::problems(&warnings);
    }
    for path in &inputs {
        let name = path.display().to_string();
        let is_pdf = path
            .extension()
            .is_some_and(|extension| extension.eq_ignore_ascii_case("pdf"));
        let extracted = if is_pdf {
            files::read_bytes(path).map_err(Box::new).and_then(|bytes| {
                ratings_check::read_pdf(&name, &bytes, &book, &table)
                    .map(|report| report.extraction)
            })
        } else {
            files::read_text(path)
                .map_err(Box::new)
                .and_then(|source| ratings_check::extract(&source, &book, &table))
        };
        match extracted {
            Err(problem) => {
                term::problems(&[*problem]);
                outcome = Outcome::InputError;
            }
            Ok(extraction) => {
                let grades: usize = extraction.records.iter().map(|r| r.grades.len()).sum();
                errln!(
                    "{}: {} in {}, {} skipped, {} inside the document",
                    escape(&name),
                    count(grades, "grade"),
                    count(extraction.records.len(), "record"),
                    extraction.skipped.len(),
                    count(extraction.findings.len(), "disagreement")
                );
                // A grade found but not placed is input lost.
                if !extraction.skipped.is_empty() {
                    outcome = Outcome::InputError;
                } else if !extraction.findings.is_empty() && outcome == Outcome::Success {
                    outcome = Outcome::Findings;
                }
                match format {
                    ExtractFormat::Toml => out!("{}", ratings_check::to_toml(&name, &extraction)),
                    ExtractFormat::Json => extractions.push(extraction),
                }
            }
        }
    }
    if format == ExtractFormat::Json {
        let out = json!(ratings_check::json::extractions(&extractions));
        outln!("{}", pretty(&out));
    }
    Ok(outcome)
}

fn graph(
    dir: Option<&Path>,
    when: cli::When,
    subject: Option<&str>,
    format: GraphFormat,
) -> Result<Outcome, Outcome> {
    let Some(period) = when.period() else {
        errln!("error: `graph` needs `--year YEAR` or `--date YYYY-MM-DD`");
        return Err(Outcome::InputError);
    };
    let book = rule_book(dir)?;
    let subject = subject_of(&book, subject, &[])?;
    let rules = in_force(&book, &subject, period)?;
    match format {
        GraphFormat::Dot => out!("{}", ratings_core::to_dot(&rules)),
        GraphFormat::Mermaid => out!("{}", ratings_core::to_mermaid(&rules)),
    }
    Ok(Outcome::Success)
}
