//! One function per subcommand: read inputs, call the library crates, print, return an
//! outcome. Every command that reads published grades treats lost or undecided input the same
//! way: it reports it, counts it, and exits 2.

use std::path::{Path, PathBuf};

use ratings_check::files::{self, Exclude, InputFormat};
use ratings_check::report::{Filter, Format as ReportFormat, Stream};
use ratings_check::{Authorities, CheckOptions, Checker, Report, Sink, Summary};
use ratings_core::{
    escape, load_rules, render, Assignment, Budget, Code, Model, Period, PeriodRules, Problem,
    RuleBook, SourceText,
};
use serde_json::json;

use crate::cli::{self, CheckFormat, Command, ExtractFormat, Format, GraphFormat};
use crate::{render as term, Outcome};

/// Run a subcommand.
pub fn run(command: Command) -> Outcome {
    let result = match command {
        Command::Lint { rules, format } => Ok(lint(rules.rules.as_deref(), format)),
        Command::Explain {
            rules,
            when,
            sets,
            budget,
            format,
        } => explain(rules.rules.as_deref(), when, &sets, budget.budget, format),
        Command::Check {
            rules,
            inputs,
            budget,
            format,
            only,
            quiet,
        } => check(
            rules.rules.as_deref(),
            &inputs,
            budget.budget,
            format,
            &only,
            quiet,
        ),
        Command::Report {
            rules,
            inputs,
            budget,
            output,
            title,
        } => report(
            rules.rules.as_deref(),
            &inputs,
            budget.budget,
            &output,
            title,
        ),
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
        } => coverage(
            rules.rules.as_deref(),
            &inputs,
            budget.budget,
            format,
            false,
        ),
        Command::Hypotheses {
            rules,
            inputs,
            budget,
            format,
        } => coverage(rules.rules.as_deref(), &inputs, budget.budget, format, true),
        Command::Wanted {
            rules,
            inputs,
            budget,
            format,
        } => wanted(rules.rules.as_deref(), &inputs, budget.budget, format),
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
            format,
        } => graph(rules.rules.as_deref(), when, format),
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

/// The rule directory's texts, or the shipped rules.
fn rule_texts(dir: Option<&Path>) -> Result<Vec<SourceText>, Vec<Problem>> {
    match dir {
        None => Ok(ratings_rules::sources()),
        Some(dir) => files::rule_dir(dir),
    }
}

/// The name the rules are shown under.
fn rules_name(dir: Option<&Path>) -> String {
    dir.map_or_else(|| "shipped rules".to_owned(), |d| d.display().to_string())
}

/// The rule book, or the problems printed and an input error.
fn rule_book(dir: Option<&Path>) -> Result<RuleBook, Outcome> {
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
fn authorities(path: Option<&Path>) -> Result<Authorities, Outcome> {
    match path {
        None => Ok(Authorities::builtin().clone()),
        Some(path) => files::authorities(path).map_err(|problems| {
            term::problems(&problems);
            Outcome::InputError
        }),
    }
}

/// The rules in force for a period, or an input error naming why there are none.
fn in_force(book: &RuleBook, period: Period) -> Result<PeriodRules, Outcome> {
    book.in_force(period).map_err(|why| {
        errln!("error: {why}");
        Outcome::InputError
    })
}

fn lint(dir: Option<&Path>, format: Format) -> Outcome {
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
            let coverage = book
                .coverage()
                .map_or_else(|| "no period".to_owned(), |span| span.to_string());
            let line = format!(
                "{}: clean ({}, {}, {}, {}, {}, covering {coverage})",
                escape(&name),
                count(texts.len(), "file"),
                count(book.scales().len(), "scale"),
                count(book.documents().len(), "document"),
                count(book.rule_sets().len(), "rule set"),
                count(book.constraint_count(), "constraint"),
            );
            match format {
                Format::Human => outln!("{line}"),
                Format::Json => outln!("{}", pretty(&json!({ "clean": true, "problems": [] }))),
            }
            Outcome::Success
        }
        Err(problems) => {
            print_problems(&problems, format);
            if format == Format::Human {
                errln!("{}: {}", escape(&name), count(problems.len(), "problem"));
            }
            Outcome::Findings
        }
    }
}

fn print_problems(problems: &[Problem], format: Format) {
    match format {
        Format::Human => term::problems(problems),
        Format::Json => outln!(
            "{}",
            pretty(&json!({ "clean": false, "problems": problems }))
        ),
    }
}

fn explain(
    dir: Option<&Path>,
    when: cli::When,
    sets: &[String],
    budget: u64,
    format: Format,
) -> Result<Outcome, Outcome> {
    let Some(period) = when.period() else {
        errln!("error: `explain` needs `--year YEAR` or `--date YYYY-MM-DD`");
        return Err(Outcome::InputError);
    };
    let book = rule_book(dir)?;
    let rules = in_force(&book, period)?;
    let given = parse_sets(&rules, sets).map_err(|problem| {
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
        Ok((allowed, reasons, conflict))
    });
    let (allowed, reasons, conflict) = evaluated.map_err(|error| {
        errln!("error[{}]: {error}", Code::BudgetExceeded);
        errln!("  = help: raise the limit with `--budget STEPS`");
        Outcome::InputError
    })?;
    match format {
        Format::Json => {
            let mut out = json!({
                "period": period.to_string(),
                "rule_sets": rules.rule_sets(),
                "consistent": allowed.consistent,
                "allowed": allowed.values,
                "reasons": reasons,
            });
            if let Some(conflict) = &conflict {
                out["conflict"] = json!(conflict);
            }
            outln!("{}", pretty(&out));
        }
        Format::Human => print_explanation(
            period,
            &book,
            &rules,
            &given,
            &allowed,
            &reasons,
            conflict.as_ref(),
        ),
    }
    Ok(if allowed.consistent {
        Outcome::Success
    } else {
        Outcome::Findings
    })
}

/// Every input under the paths read into a checker; the files skipped and the paths lost are
/// counted in it too.
fn read_inputs<'b>(
    book: &'b RuleBook,
    inputs: &cli::Inputs,
    options: CheckOptions<'b>,
) -> Result<Checker<'b>, Outcome> {
    let exclude = Exclude::new(&inputs.exclude).map_err(|problem| {
        term::problems(&[problem]);
        Outcome::InputError
    })?;
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
        match files::column_map(path) {
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

/// Read and check everything, collecting the results.
fn run_check(
    book: &RuleBook,
    inputs: &cli::Inputs,
    options: CheckOptions<'_>,
) -> Result<Report, Outcome> {
    let checker = read_inputs(book, inputs, options)?;
    let mut results = Vec::new();
    struct Collect<'r>(&'r mut Vec<ratings_check::AssessmentResult>);
    impl Sink for Collect<'_> {
        fn result(&mut self, result: ratings_check::AssessmentResult) {
            self.0.push(result);
        }
    }
    let (summary, problems) = checker.finish(&mut Collect(&mut results));
    Ok(Report {
        summary,
        results,
        problems,
    })
}

/// The exit code a check's counts call for: input lost or undecided is 2, whatever else.
fn outcome_of(summary: &Summary, errors: bool) -> Outcome {
    if summary.input_lost() {
        Outcome::InputError
    } else if summary.inconsistent > 0 || errors {
        Outcome::Findings
    } else {
        Outcome::Success
    }
}

fn check(
    dir: Option<&Path>,
    inputs: &cli::Inputs,
    budget: u64,
    format: CheckFormat,
    only: &[cli::Verdict],
    quiet: bool,
) -> Result<Outcome, Outcome> {
    let book = rule_book(dir)?;
    let table = authorities(inputs.authorities.as_deref())?;
    let options = CheckOptions {
        budget,
        authorities: &table,
    };
    // Stream: CSV rows are checked as they are read, results rendered as they are made.
    let checker = read_inputs(&book, inputs, options)?;
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
    // Assessments are evaluated and rendered on every core, and written in order.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
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
        errln!("{}", ratings_check::report::summary_line(&summary));
    }
    Ok(outcome_of(&summary, errors))
}

fn report(
    dir: Option<&Path>,
    inputs: &cli::Inputs,
    budget: u64,
    output: &Path,
    title: Option<String>,
) -> Result<Outcome, Outcome> {
    let to_stdout = output.as_os_str() == "-";
    // Before a check that may take a while: refuse an output that cannot be written.
    if !to_stdout {
        writable(output).map_err(|why| {
            errln!(
                "error: cannot write the report `{}`: {why}",
                escape(&output.display().to_string())
            );
            Outcome::InputError
        })?;
    }
    let book = rule_book(dir)?;
    let table = authorities(inputs.authorities.as_deref())?;
    let report = run_check(
        &book,
        inputs,
        CheckOptions {
            budget,
            authorities: &table,
        },
    )?;
    term::problems(&report.problems);
    let paths: Vec<String> = inputs
        .paths
        .iter()
        .map(|path| path.display().to_string())
        .collect();
    let rules_name = rules_name(dir);
    let about = ratings_html::About {
        title: title.unwrap_or_else(|| format!("ratings audit of {}", paths.join(" "))),
        generated: format!("ratings {}, {rules_name}", env!("CARGO_PKG_VERSION")),
        rules_name,
        through_year: this_year(),
    };
    let page = ratings_html::render(&ratings_html::view_of(&book, &report, about));
    errln!("{}", ratings_check::report::summary_line(&report.summary));
    if to_stdout {
        out!("{page}");
    } else {
        write_replacing(output, page.as_bytes()).map_err(|why| {
            errln!(
                "error: cannot write the report `{}`: {why}",
                escape(&output.display().to_string())
            );
            Outcome::InputError
        })?;
        errln!(
            "wrote {} ({:.2} MB, {})",
            escape(&output.display().to_string()),
            page.len() as f64 / 1e6,
            count(report.results.len(), "assessment")
        );
    }
    let errors = report.results.iter().any(|result| {
        result
            .findings
            .iter()
            .any(|finding| finding.severity == ratings_core::Severity::Error)
    });
    Ok(outcome_of(&report.summary, errors))
}

/// Why a file could not be written where `path` names it, checked before any work: its
/// directory must exist, and the path must not be a directory.
fn writable(path: &Path) -> Result<(), String> {
    if path.is_dir() {
        return Err("it is a directory".to_owned());
    }
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let shown = parent.display().to_string();
    let shown = escape(&shown);
    if parent.is_file() {
        return Err(format!("`{shown}` is a file, not a directory"));
    }
    if !parent.is_dir() {
        return Err(format!("the directory `{shown}` does not exist"));
    }
    Ok(())
}

/// An I/O error as a message: lowercase, without the operating system's error number.
fn io_reason(error: &std::io::Error) -> String {
    let text = error.to_string();
    let text = match text.rsplit_once(" (os error ") {
        Some((words, _)) => words.to_owned(),
        None => text,
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => text,
    }
}

/// Write a file whole or not at all: into a temporary file beside it, then renamed over it, so
/// that a reader never sees half a page and a failed write leaves the old file as it was. A
/// device or pipe (`/dev/stdout`) is written in place, and a symbolic link is followed, so
/// that what it points to is replaced rather than the link.
fn write_replacing(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let target = match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => {
            return std::fs::write(path, bytes).map_err(|error| io_reason(&error));
        }
        Ok(_) => std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
        Err(_) => path.to_path_buf(),
    };
    let name = target.file_name().map_or_else(
        || "report".into(),
        |name| name.to_string_lossy().into_owned(),
    );
    let temporary = target.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let written =
        std::fs::write(&temporary, bytes).and_then(|()| std::fs::rename(&temporary, &target));
    written.map_err(|error| {
        let _ = std::fs::remove_file(&temporary);
        io_reason(&error)
    })
}

/// The current year, for a grid that runs to today; `None` if the clock is before 1970.
fn this_year() -> Option<i64> {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs();
    let now = chrono::DateTime::from_timestamp(i64::try_from(seconds).ok()?, 0)?;
    Some(i64::from(chrono::Datelike::year(&now)))
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
    let mut seen = std::collections::BTreeSet::new();
    for path in paths {
        let identity = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        if !seen.insert(identity) {
            continue;
        }
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
        let mut records = Vec::new();
        let mut skipped = Vec::new();
        let mut findings = Vec::new();
        for extraction in extractions {
            records.extend(extraction.records);
            skipped.extend(extraction.skipped);
            findings.extend(extraction.findings);
        }
        let mut out = json!({ "records": records, "skipped": skipped });
        if !findings.is_empty() {
            out["findings"] = json!(findings);
        }
        outln!("{}", pretty(&out));
    }
    Ok(outcome)
}

fn diff(
    from: &str,
    to: Option<&Path>,
    inputs: &cli::Inputs,
    budget: u64,
    format: Format,
) -> Result<Outcome, Outcome> {
    // The rules after: the directory given, else `rules/` where there is one, else the shipped
    // rules (and then `--from` must be a directory).
    let default_dir = Path::new("rules");
    let after_dir: Option<&Path> = to.or_else(|| default_dir.is_dir().then_some(default_dir));
    let load =
        |texts: Result<Vec<SourceText>, Vec<Problem>>, side: &str| -> Result<RuleBook, Outcome> {
            texts
                .and_then(|texts| load_rules(&texts))
                .map_err(|problems| {
                    term::problems(&problems);
                    errln!(
                        "error: the rules {side} are not valid ({})",
                        count(problems.len(), "problem")
                    );
                    Outcome::InputError
                })
        };
    let before = load(
        read_rule_spec(from, after_dir),
        &format!("of `--from {}`", escape(from)),
    )?;
    let after = load(
        rule_texts(after_dir),
        &format!("in {}", escape(&rules_name(after_dir))),
    )?;
    let table = authorities(inputs.authorities.as_deref())?;
    let options = CheckOptions {
        budget,
        authorities: &table,
    };
    let report_before = run_check(&before, inputs, options)?;
    let report_after = run_check(&after, inputs, options)?;
    // The same inputs on both sides: report each problem once.
    let mut problems: Vec<&Problem> = report_before
        .problems
        .iter()
        .chain(&report_after.problems)
        .collect();
    problems.sort_by_key(|p| (p.file.clone(), p.line, p.column, p.code, p.message.clone()));
    problems.dedup_by_key(|p| (p.file.clone(), p.line, p.column, p.code, p.message.clone()));
    for problem in &problems {
        term::err(&problem.render());
    }
    let changes = ratings_check::diff(&report_before, &report_after);
    match format {
        Format::Human => out!("{}", ratings_check::diff_human(&changes)),
        Format::Json => outln!(
            "{}",
            pretty(&serde_json::to_value(&changes).unwrap_or_default())
        ),
    }
    for (side, report) in [("before", &report_before), ("after", &report_after)] {
        if report.summary.input_lost() {
            errln!(
                "{side}: {}",
                ratings_check::report::summary_line(&report.summary)
            );
        }
    }
    if report_before.summary.input_lost() || report_after.summary.input_lost() {
        errln!("error: input was lost or undecided, so the diff may miss changes");
        return Ok(Outcome::InputError);
    }
    Ok(if changes.changes.is_empty() {
        Outcome::Success
    } else {
        Outcome::Findings
    })
}

fn coverage(
    dir: Option<&Path>,
    inputs: &cli::Inputs,
    budget: u64,
    format: Format,
    hypotheses: bool,
) -> Result<Outcome, Outcome> {
    let book = rule_book(dir)?;
    let table = authorities(inputs.authorities.as_deref())?;
    let report = run_check(
        &book,
        inputs,
        CheckOptions {
            budget,
            authorities: &table,
        },
    )?;
    term::problems(&report.problems);
    let rows = ratings_check::coverage(&book, &report);
    match (format, hypotheses) {
        (Format::Human, false) => out!("{}", ratings_check::coverage_human(&rows)),
        (Format::Json, false) => outln!("{}", pretty(&json!({ "constraints": rows }))),
        (Format::Human, true) => out!("{}", ratings_check::hypotheses_human(&rows)),
        (Format::Json, true) => outln!("{}", pretty(&ratings_check::hypotheses_json(&rows))),
    }
    errln!("{}", ratings_check::report::summary_line(&report.summary));
    Ok(if report.summary.input_lost() {
        Outcome::InputError
    } else {
        Outcome::Success
    })
}

fn wanted(
    dir: Option<&Path>,
    inputs: &cli::Inputs,
    budget: u64,
    format: cli::TableFormat,
) -> Result<Outcome, Outcome> {
    let book = rule_book(dir)?;
    let table = authorities(inputs.authorities.as_deref())?;
    let report = run_check(
        &book,
        inputs,
        CheckOptions {
            budget,
            authorities: &table,
        },
    )?;
    term::problems(&report.problems);
    let list = ratings_check::wanted(&report);
    match format {
        cli::TableFormat::Human => out!("{}", ratings_check::wanted_human(&list)),
        cli::TableFormat::Json => outln!("{}", pretty(&json!({ "wanted": list }))),
        cli::TableFormat::Csv => out!("{}", ratings_check::wanted_csv(&list)),
    }
    errln!("{}", ratings_check::report::summary_line(&report.summary));
    Ok(if report.summary.input_lost() {
        Outcome::InputError
    } else {
        Outcome::Success
    })
}

fn analyze(
    dir: Option<&Path>,
    period: Option<Period>,
    budget: u64,
    format: Format,
) -> Result<Outcome, Outcome> {
    let book = rule_book(dir)?;
    if let Some(period) = period {
        if book.epochs().iter().all(|(span, _)| match period {
            Period::Year(year) => !span.touches_year(year),
            Period::Date(day) => !span.contains(day),
        }) {
            in_force(&book, period)?;
        }
    }
    let mut budget = Budget::new(budget);
    let findings = ratings_core::analyze(&book, period, &mut budget).map_err(|error| {
        errln!("error[{}]: {error}", Code::BudgetExceeded);
        errln!("  = help: the budget bounds the whole analysis; raise it with `--budget STEPS`");
        Outcome::InputError
    })?;
    match format {
        Format::Json => outln!("{}", pretty(&json!({ "findings": findings }))),
        Format::Human => {
            let mut spans: Vec<String> = book
                .epochs()
                .iter()
                .filter(|(span, _)| {
                    period.is_none_or(|p| match p {
                        Period::Year(year) => span.touches_year(year),
                        Period::Date(day) => span.contains(day),
                    })
                })
                .map(|(span, _)| span.to_string())
                .collect();
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
fn span_start(span: &str) -> String {
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

fn compare_dirs(
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
            pretty(&json!({ "a": name_a, "b": name_b, "differences": differences }))
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

fn graph(dir: Option<&Path>, when: cli::When, format: GraphFormat) -> Result<Outcome, Outcome> {
    let Some(period) = when.period() else {
        errln!("error: `graph` needs `--year YEAR` or `--date YYYY-MM-DD`");
        return Err(Outcome::InputError);
    };
    let book = rule_book(dir)?;
    let rules = in_force(&book, period)?;
    match format {
        GraphFormat::Dot => out!("{}", ratings_core::to_dot(&rules)),
        GraphFormat::Mermaid => out!("{}", ratings_core::to_mermaid(&rules)),
    }
    Ok(Outcome::Success)
}

/// The texts of a rule directory named by `spec`: a directory, or else a git revision whose
/// copy of `dir` is read with `git show` (so `--from HEAD` diffs against the last commit).
fn read_rule_spec(spec: &str, dir: Option<&Path>) -> Result<Vec<SourceText>, Vec<Problem>> {
    if Path::new(spec).is_dir() {
        return files::rule_dir(Path::new(spec));
    }
    let Some(dir) = dir else {
        return Err(vec![Problem::in_file(
            Code::Unreadable,
            spec,
            format!("`{}` is not a directory, and a git revision needs a rules directory to read from it", escape(spec)),
        )
        .with_help("give the rules after with `--rules DIR`")]);
    };
    let dir_text = dir.display().to_string();
    let not_found = |why: String| {
        vec![Problem::in_file(
            Code::Unreadable,
            spec,
            format!("`{}` is neither a directory nor a git revision holding `{}`: {why}", escape(spec), escape(&dir_text)),
        )
        .with_help("name a rule directory, or a revision such as `HEAD` or `HEAD~1` run inside the repository")]
    };
    // `-z`: names come unquoted and NUL-separated, whatever characters they hold.
    let listing = git(&[
        "ls-tree",
        "-z",
        "--name-only",
        spec,
        "--",
        &format!("{dir_text}/"),
    ])
    .map_err(not_found)?;
    let mut sources = Vec::new();
    for path in listing.split('\0').filter(|p| p.ends_with(".toml")) {
        let text = git(&["show", &format!("{spec}:./{path}")]).map_err(not_found)?;
        sources.push(SourceText::new(format!("{spec}:{path}"), text));
    }
    if sources.is_empty() {
        return Err(not_found("it holds no `.toml` files there".to_owned()));
    }
    Ok(sources)
}

fn git(args: &[&str]) -> Result<String, String> {
    let output = std::process::Command::new("git")
        .args(args)
        .output()
        .map_err(|error| format!("cannot run git: {error}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(stderr.lines().next().unwrap_or("git failed").to_owned());
    }
    String::from_utf8(output.stdout)
        .map_err(|_| "git printed something that is not UTF-8".to_owned())
}

/// `JUDGEMENT=VALUE` arguments resolved on the judgements' scales, by the same reading as
/// records.
fn parse_sets(rules: &PeriodRules, sets: &[String]) -> Result<Assignment, Problem> {
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

fn print_explanation(
    period: Period,
    book: &RuleBook,
    rules: &PeriodRules,
    given: &Assignment,
    allowed: &ratings_core::Allowed,
    reasons: &[ratings_core::Reason],
    conflict: Option<&ratings_core::Core>,
) {
    outln!("{period}: rule sets {}", rules.rule_sets().join(", "));
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
fn print_rule(book: &RuleBook, rules: &PeriodRules, rule: &str, lead: &str) {
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

fn describe(rules: &PeriodRules, judgement: &str, number: i64) -> String {
    match rules.judgement(judgement) {
        Some(found) => format!("{judgement} = {}", found.scale.describe(number)),
        None => format!("{judgement} = {number}"),
    }
}

/// `1 file`, `2 files`.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Pretty JSON.
pub fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}
