//! What a rule author runs against the records: `diff` (the verdicts a rule change flips),
//! `coverage`, `hypotheses` and `wanted`; and reading rules from a directory or a git revision.

use super::*;
use ratings_check::json;

pub(super) fn diff(
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
    let inputs = Inputs::resolve(inputs)?;
    let overrides = Overrides::default();
    let report_before = inputs
        .checker(&before, &overrides, budget, shared::every_core())
        .report();
    let report_after = inputs
        .checker(&after, &overrides, budget, shared::every_core())
        .report();
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
        Format::Json => outln!("{}", pretty(&json!(json::DiffJson::from(&changes)))),
    }
    for (side, report) in [("before", &report_before), ("after", &report_after)] {
        if report.summary.input_lost() {
            errln!(
                "{side}: {}",
                ratings_check::output::summary_line(&report.summary)
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

pub(super) fn coverage(
    args: &Resolved,
    format: Format,
    hypotheses: bool,
) -> Result<Outcome, Outcome> {
    let report = args.checked();
    let rows = ratings_check::coverage(&args.book, &report);
    match (format, hypotheses) {
        (Format::Human, false) => out!("{}", ratings_check::coverage_human(&rows)),
        (Format::Json, false) => outln!("{}", pretty(&json!(json::coverage(&rows)))),
        (Format::Human, true) => out!("{}", ratings_check::hypotheses_human(&rows)),
        (Format::Json, true) => outln!("{}", pretty(&json!(json::hypotheses(&rows)))),
    }
    errln!("{}", ratings_check::output::summary_line(&report.summary));
    Ok(if report.summary.input_lost() {
        Outcome::InputError
    } else {
        Outcome::Success
    })
}

pub(super) fn wanted(args: &Resolved, format: cli::TableFormat) -> Result<Outcome, Outcome> {
    let report = args.checked();
    let list = ratings_check::wanted(&report);
    match format {
        cli::TableFormat::Human => out!("{}", ratings_check::wanted_human(&list)),
        cli::TableFormat::Json => outln!("{}", pretty(&json!(json::wanted(&list)))),
        cli::TableFormat::Csv => out!("{}", ratings_check::wanted_csv(&list)),
    }
    errln!("{}", ratings_check::output::summary_line(&report.summary));
    Ok(if report.summary.input_lost() {
        Outcome::InputError
    } else {
        Outcome::Success
    })
}

/// The texts of a rule directory named by `spec`: a directory, or else a git revision whose
/// copy of `dir` is read with `git show` (so `--from HEAD` diffs against the last commit).
pub(super) fn read_rule_spec(
    spec: &str,
    dir: Option<&Path>,
) -> Result<Vec<SourceText>, Vec<Problem>> {
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

pub(super) fn git(args: &[&str]) -> Result<String, String> {
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
