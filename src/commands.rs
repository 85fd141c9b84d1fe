//! One function per subcommand: read inputs, call the library crates, print, return an outcome.

use std::collections::BTreeMap;
use std::path::PathBuf;

use ratings_check::report::{Stream, StreamFormat};
use ratings_check::Sink;
use ratings_core::graph::{to_dot, to_mermaid};
use ratings_core::{Assignment, Budget, Model, RuleBook, YearRules};
use serde_json::json;

use crate::{render, rules_dir, CheckFormat, ExtractFormat, Format, GraphFormat, Outcome};

/// Options every command shares.
pub struct Context {
    pub rules: Option<PathBuf>,
    pub budget: u64,
    pub authorities: Option<PathBuf>,
    /// The `--authorities` table, read on first use.
    pub loaded_authorities: std::sync::OnceLock<ratings_check::Authorities>,
}

impl Context {
    /// How to check: the budget, and the authorities table (the built-in one, or the
    /// `--authorities` file, read once); a table that cannot be read is printed as an input error.
    fn options(&self) -> Result<ratings_check::CheckOptions<'_>, Outcome> {
        let authorities = match &self.authorities {
            None => ratings_check::Authorities::builtin(),
            Some(path) => match self.loaded_authorities.get() {
                Some(table) => table,
                None => {
                    let table = read_authorities(path)?;
                    self.loaded_authorities.get_or_init(|| table)
                }
            },
        };
        Ok(ratings_check::CheckOptions {
            budget: self.budget,
            authorities,
        })
    }

    /// The rule book, or the problems printed and an input error.
    fn rule_book(&self) -> Result<RuleBook, Outcome> {
        rules_dir::load(self.rules.as_deref()).map_err(|problems| {
            render::problems(&problems);
            eprintln!(
                "error: the rules in {} are not valid ({}); run `ratings lint` for details",
                rules_dir::display_name(self.rules.as_deref()),
                count(problems.len(), "problem")
            );
            Outcome::InputError
        })
    }

    /// The rules of one year, or an input error naming the years there are.
    fn year(&self, book: &RuleBook, year: i64) -> Result<YearRules, Outcome> {
        YearRules::new(book, year).ok_or_else(|| {
            eprintln!("error: {}", no_rules_message(book, year));
            Outcome::InputError
        })
    }
}

pub fn lint(context: &Context) -> Outcome {
    let name = rules_dir::display_name(context.rules.as_deref());
    let sources = match rules_dir::read(context.rules.as_deref()) {
        Ok(sources) => sources,
        Err(problems) => {
            render::problems(&problems);
            return Outcome::InputError;
        }
    };
    match ratings_core::load_rules(&sources) {
        Ok(book) => {
            outln!(
                "{name}: clean ({}, {}, {}, {}, covering {})",
                count(sources.len(), "file"),
                count(book.scales.len(), "scale"),
                count(book.rule_sets.len(), "rule set"),
                count(
                    book.rule_sets.iter().map(|r| r.constraints.len()).sum(),
                    "constraint"
                ),
                span_of_years(&book.years())
            );
            Outcome::Success
        }
        Err(problems) => {
            render::problems(&problems);
            eprintln!("{name}: {}", count(problems.len(), "problem"));
            Outcome::Findings
        }
    }
}

pub fn explain(context: &Context, year: i64, sets: &[String], format: Format) -> Outcome {
    let book = match context.rule_book() {
        Ok(book) => book,
        Err(outcome) => return outcome,
    };
    let year_rules = match context.year(&book, year) {
        Ok(rules) => rules,
        Err(outcome) => return outcome,
    };
    let given = match parse_sets(&year_rules, sets) {
        Ok(given) => given,
        Err(message) => {
            eprintln!("error: {message}");
            return Outcome::InputError;
        }
    };
    let model = Model::new(&year_rules);
    let mut budget = Budget::new(context.budget);
    let evaluated = model.allowed(&given, &mut budget).and_then(|allowed| {
        let reasons = model.reasons(&given, &allowed, &mut budget)?;
        let conflict = if allowed.consistent {
            None
        } else {
            model.conflict(&given, &mut budget)?
        };
        Ok((allowed, reasons, conflict))
    });
    let (allowed, reasons, conflict) = match evaluated {
        Ok(evaluated) => evaluated,
        Err(error) => {
            eprintln!("error: {error}");
            eprintln!("help: raise the limit with `--budget NODES`");
            return Outcome::InputError;
        }
    };
    match format {
        Format::Json => {
            let mut out = json!({
                "year": year,
                "consistent": allowed.consistent,
                "allowed": allowed.values,
                "reasons": reasons,
            });
            if let Some(conflict) = &conflict {
                out["conflict"] = json!(conflict);
            }
            outln!("{}", pretty(&out));
        }
        Format::Human => {
            print_explanation(&year_rules, &given, &allowed, &reasons, conflict.as_ref())
        }
    }
    if allowed.consistent {
        Outcome::Success
    } else {
        Outcome::Findings
    }
}

/// Read every input under the paths with a rule book, and check it, collecting every result.
fn run_check(
    book: &RuleBook,
    paths: &[PathBuf],
    options: &ratings_check::CheckOptions<'_>,
) -> ratings_check::Report {
    let (files, missing) = ratings_check::inputs::collect(paths);
    let mut read: Vec<ratings_check::ReadFile> = missing
        .into_iter()
        .map(|problem| ratings_check::ReadFile {
            records: Vec::new(),
            unreadable: Some(problem),
            document_findings: Vec::new(),
        })
        .collect();
    read.extend(
        files
            .iter()
            .map(|path| ratings_check::inputs::read(path, book, options.authorities)),
    );
    ratings_check::check(book, &read, options)
}

pub fn check(context: &Context, paths: &[PathBuf], format: CheckFormat) -> Outcome {
    let book = match context.rule_book() {
        Ok(book) => book,
        Err(outcome) => return outcome,
    };
    let options = match context.options() {
        Ok(options) => options,
        Err(outcome) => return outcome,
    };
    // Stream: CSV rows are checked as they are read, results rendered as they are made.
    let mut checker = ratings_check::Checker::new(&book, options);
    let (files, missing) = ratings_check::inputs::collect(paths);
    for problem in missing {
        checker.add_streamed_file(Some(problem));
    }
    for path in &files {
        ratings_check::inputs::read_into(path, &mut checker, &book, options.authorities);
    }
    let stream_format = match format {
        CheckFormat::Human => StreamFormat::Human,
        CheckFormat::Json => StreamFormat::Json,
        CheckFormat::Csv => StreamFormat::Csv,
        CheckFormat::Compact => StreamFormat::Compact,
    };
    let stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let mut sink = ErrorsSeen {
        inner: Stream::new(stream_format, stdout),
        errors: false,
    };
    let (summary, problems) = checker.finish(&mut sink);
    render::problems(&problems);
    let ended = sink
        .inner
        .end(&summary, &problems)
        .and_then(|mut out| std::io::Write::flush(&mut out));
    if let Err(error) = ended {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            // The reader has seen enough (`ratings check ... | head`): end quietly, like `out!`.
            std::process::exit(0);
        }
        eprintln!("error: cannot write the report: {error}");
        return Outcome::InputError;
    }
    if format == CheckFormat::Csv {
        let report = ratings_check::Report {
            summary,
            results: Vec::new(),
            problems: Vec::new(),
        };
        eprintln!("{}", ratings_check::report::summary_line(&report));
    }
    if summary.unreadable_files > 0
        || summary.rejected > 0
        || summary.undecided > 0
        || summary.conflicts > 0
    {
        Outcome::InputError
    } else if summary.inconsistent > 0 || sink.errors {
        Outcome::Findings
    } else {
        Outcome::Success
    }
}

/// Passes results on, noting whether any carries an error finding (for the exit code).
struct ErrorsSeen<S> {
    inner: S,
    errors: bool,
}

impl<S: Sink> Sink for ErrorsSeen<S> {
    fn problems(&mut self, problems: &[ratings_core::Problem]) {
        self.inner.problems(problems);
    }

    fn result(&mut self, result: ratings_check::AssessmentResult) {
        self.errors |= result
            .findings
            .iter()
            .any(|f| f.severity == ratings_check::Severity::Error);
        self.inner.result(result);
    }
}

pub fn extract(context: &Context, files: &[PathBuf], format: ExtractFormat) -> Outcome {
    let book = match context.rule_book() {
        Ok(book) => book,
        Err(outcome) => return outcome,
    };
    let options = match context.options() {
        Ok(options) => options,
        Err(outcome) => return outcome,
    };
    let mut outcome = Outcome::Success;
    let mut json_files = Vec::new();
    for path in files {
        let name = path.display().to_string();
        let source = match ratings_check::inputs::read_text(path) {
            Ok(source) => source,
            Err(problem) => {
                render::problems(&[problem]);
                outcome = Outcome::InputError;
                continue;
            }
        };
        match ratings_check::letter::extract(&source, &book, options.authorities) {
            Err(problem) => {
                render::problems(&[*problem]);
                outcome = Outcome::InputError;
            }
            Ok(extraction) => {
                let grades: usize = extraction.records.iter().map(|r| r.grades.len()).sum();
                eprintln!(
                    "{name}: {} in {}, {} skipped, {} inside the document",
                    count(grades, "grade"),
                    count(extraction.records.len(), "record"),
                    extraction.skipped.len(),
                    count(extraction.findings.len(), "disagreement")
                );
                if !extraction.skipped.is_empty() && outcome == Outcome::Success {
                    outcome = Outcome::Findings;
                }
                match format {
                    ExtractFormat::Toml => {
                        out!("{}", ratings_check::letter::to_toml(&name, &extraction))
                    }
                    ExtractFormat::Json => json_files.push(extraction),
                }
            }
        }
    }
    if format == ExtractFormat::Json {
        let mut records = Vec::new();
        let mut skipped = Vec::new();
        let mut findings = Vec::new();
        for extraction in json_files {
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
    outcome
}

pub fn diff(
    context: &Context,
    from: &str,
    to: &std::path::Path,
    paths: &[PathBuf],
    format: Format,
) -> Outcome {
    let load = |sources: Result<Vec<ratings_core::SourceText>, Vec<ratings_core::Problem>>,
                side: &str| {
        sources
            .and_then(|sources| ratings_core::load_rules(&sources))
            .map_err(|problems| {
                render::problems(&problems);
                eprintln!(
                    "error: the rules {side} are not valid ({})",
                    count(problems.len(), "problem")
                );
                Outcome::InputError
            })
    };
    let before = match load(
        rules_dir::read_spec(from, to),
        &format!("of `--from {from}`"),
    ) {
        Ok(book) => book,
        Err(outcome) => return outcome,
    };
    let after = match load(
        rules_dir::read(Some(to)),
        &format!("in `--to {}`", to.display()),
    ) {
        Ok(book) => book,
        Err(outcome) => return outcome,
    };
    let options = match context.options() {
        Ok(options) => options,
        Err(outcome) => return outcome,
    };
    let report_before = run_check(&before, paths, &options);
    let report_after = run_check(&after, paths, &options);
    let diff = ratings_check::compare::diff(&report_before, &report_after);
    match format {
        Format::Human => out!("{}", ratings_check::compare::diff_human(&diff)),
        Format::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&diff).unwrap_or_default()
        ),
    }
    if diff.changes.is_empty() && diff.rejected_before == diff.rejected_after {
        Outcome::Success
    } else {
        Outcome::Findings
    }
}

pub fn coverage(context: &Context, paths: &[PathBuf], format: Format, hypotheses: bool) -> Outcome {
    let book = match context.rule_book() {
        Ok(book) => book,
        Err(outcome) => return outcome,
    };
    let options = match context.options() {
        Ok(options) => options,
        Err(outcome) => return outcome,
    };
    let report = run_check(&book, paths, &options);
    render::problems(&report.problems);
    let rows = ratings_check::compare::coverage(&book, &report);
    match (format, hypotheses) {
        (Format::Human, false) => out!("{}", ratings_check::compare::coverage_human(&rows)),
        (Format::Json, false) => outln!(
            "{}",
            serde_json::to_string_pretty(&json!({ "constraints": rows })).unwrap_or_default()
        ),
        (Format::Human, true) => out!("{}", ratings_check::compare::hypotheses_human(&rows)),
        (Format::Json, true) => outln!(
            "{}",
            pretty(&ratings_check::compare::hypotheses_json(&rows))
        ),
    }
    eprintln!("{}", ratings_check::report::summary_line(&report));
    if report.summary.unreadable_files > 0 || report.summary.rejected > 0 {
        Outcome::InputError
    } else {
        Outcome::Success
    }
}

pub fn analyze(context: &Context, year: Option<i64>, format: Format) -> Outcome {
    let book = match context.rule_book() {
        Ok(book) => book,
        Err(outcome) => return outcome,
    };
    if let Some(year) = year {
        if let Err(outcome) = context.year(&book, year) {
            return outcome;
        }
    }
    let years: Vec<i64> = year.into_iter().collect();
    let mut budget = Budget::new(context.budget);
    let findings = match ratings_core::analysis::analyze(&book, &years, &mut budget) {
        Ok(findings) => findings,
        Err(error) => {
            eprintln!("error: {error}");
            eprintln!("help: raise the limit with `--budget NODES`");
            return Outcome::InputError;
        }
    };
    match format {
        Format::Json => outln!("{}", pretty(&json!({ "findings": findings }))),
        Format::Human => {
            let mut analysed = if years.is_empty() {
                book.years()
            } else {
                years.clone()
            };
            analysed.extend(findings.iter().map(|f| f.year));
            analysed.sort_unstable();
            analysed.dedup();
            for year in &analysed {
                let of_year: Vec<&ratings_core::analysis::AnalysisFinding> =
                    findings.iter().filter(|f| f.year == *year).collect();
                if of_year.is_empty() {
                    outln!("{year}: clean");
                    continue;
                }
                for finding in of_year {
                    outln!(
                        "{year}: {}[{}]: {}",
                        if finding.is_error() { "error" } else { "note" },
                        finding.code,
                        finding.message
                    );
                    if let Some(witness) = &finding.witness {
                        outln!("  witness, as a record:");
                        outln!("    [[record]]\n    authority = \"witness\"\n    year = {year}\n    source = {{ document = \"ratings analyze\", locator = \"{}\" }}\n    [record.grades]", finding.code);
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
    if findings
        .iter()
        .any(ratings_core::analysis::AnalysisFinding::is_error)
    {
        Outcome::Findings
    } else {
        Outcome::Success
    }
}

pub fn compare(context: &Context, dirs: &[PathBuf], year: Option<i64>, format: Format) -> Outcome {
    let mut books = Vec::new();
    for dir in dirs {
        match rules_dir::load(Some(dir)) {
            Ok(book) => books.push(book),
            Err(problems) => {
                render::problems(&problems);
                eprintln!("error: the rules in {} are not valid", dir.display());
                return Outcome::InputError;
            }
        }
    }
    let (Some(a), Some(b)) = (books.first(), books.get(1)) else {
        eprintln!("error: `--compare` takes two rule directories");
        return Outcome::InputError;
    };
    let years: Vec<i64> = year.into_iter().collect();
    let differences =
        match ratings_core::analysis::compare(a, b, &years, &mut Budget::new(context.budget)) {
            Ok(differences) => differences,
            Err(error) => {
                eprintln!("error: {error}");
                return Outcome::InputError;
            }
        };
    match format {
        Format::Json => outln!(
            "{}",
            pretty(&json!({ "a": dirs[0], "b": dirs[1], "differences": differences }))
        ),
        Format::Human => {
            for difference in &differences {
                outln!("{}", difference.message);
                if let Some(witness) = &difference.witness {
                    let grades: Vec<String> =
                        witness.iter().map(|(j, v)| format!("{j} = {v}")).collect();
                    outln!("  witness: {}", grades.join(", "));
                }
            }
            if differences.is_empty() {
                outln!("the two rule directories allow exactly the same grades in every year");
            }
        }
    }
    if differences.is_empty() {
        Outcome::Success
    } else {
        Outcome::Findings
    }
}

pub fn graph(context: &Context, year: i64, format: GraphFormat) -> Outcome {
    let book = match context.rule_book() {
        Ok(book) => book,
        Err(outcome) => return outcome,
    };
    let year_rules = match context.year(&book, year) {
        Ok(rules) => rules,
        Err(outcome) => return outcome,
    };
    match format {
        GraphFormat::Dot => out!("{}", to_dot(&year_rules)),
        GraphFormat::Mermaid => out!("{}", to_mermaid(&year_rules)),
    }
    Outcome::Success
}

/// `JUDGEMENT=VALUE` arguments resolved on the judgements' scales.
fn parse_sets(year: &YearRules, sets: &[String]) -> Result<Assignment, String> {
    let mut given = Assignment::new();
    for set in sets {
        let Some((judgement, value)) = set.split_once('=') else {
            return Err(format!("`--set {set}` is not of the form JUDGEMENT=VALUE"));
        };
        let judgement = judgement.trim();
        let Some(found) = year.judgement(judgement) else {
            let mut message = format!("unknown judgement `{judgement}` for {}", year.year);
            if let Some(help) =
                ratings_core::diagnostic::did_you_mean(judgement, year.judgement_ids())
            {
                message.push_str(&format!("; {help}"));
            }
            return Err(message);
        };
        let value = value.trim();
        let number = value
            .parse::<i64>()
            .ok()
            .and_then(|n| found.scale.by_number(n))
            .or_else(|| found.scale.find(value))
            .map(|v| v.number);
        let Some(number) = number else {
            return Err(format!(
                "`{value}` is not on scale `{}` of `{judgement}` ({})",
                found.scale.id,
                found.scale.listing()
            ));
        };
        if given.insert(judgement.to_owned(), number).is_some() {
            return Err(format!("`{judgement}` is set twice"));
        }
    }
    Ok(given)
}

fn print_explanation(
    year: &YearRules,
    given: &Assignment,
    allowed: &ratings_core::Allowed,
    reasons: &BTreeMap<String, Vec<ratings_core::Reason>>,
    conflict: Option<&ratings_core::Core>,
) {
    outln!("{}: rule sets {}", year.year, year.rule_sets.join(", "));
    if let Some(conflict) = conflict {
        outln!("inconsistent: no grades for the other judgements satisfy every `must` rule");
        let grades: Vec<String> = conflict
            .given
            .iter()
            .map(|(j, v)| describe(year, j, *v))
            .collect();
        outln!("  these given grades conflict: {}", grades.join(", "));
        for rule in &conflict.rules {
            if let Some(constraint) = year.constraint(rule) {
                outln!(
                    "  rule `{rule}` ({}): {}",
                    basis_name(constraint),
                    constraint.text
                );
            }
        }
        return;
    }
    let width = year
        .judgements
        .iter()
        .map(|j| j.judgement.id.len())
        .max()
        .unwrap_or(0);
    for judgement in &year.judgements {
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
        for reason in reasons.get(id).into_iter().flatten() {
            let Some(constraint) = year.constraint(&reason.rule) else {
                continue;
            };
            let because: Vec<String> = reason
                .because
                .iter()
                .map(|(j, v)| describe(year, j, *v))
                .collect();
            let because = if because.is_empty() {
                "the rules alone".to_owned()
            } else {
                because.join(", ")
            };
            outln!(
                "  {:width$}    because `{}` ({}): {} [{because}]",
                "",
                reason.rule,
                basis_name(constraint),
                constraint.text
            );
        }
    }
}

fn describe(year: &YearRules, judgement: &str, number: i64) -> String {
    match year.judgement(judgement) {
        Some(found) => format!("{judgement} = {}", found.scale.describe(number)),
        None => format!("{judgement} = {number}"),
    }
}

fn basis_name(constraint: &ratings_core::Constraint) -> String {
    let strength = match constraint.strength {
        ratings_core::Strength::Must => "must",
        ratings_core::Strength::Usually => "usually",
    };
    let basis = match constraint.basis {
        ratings_core::Basis::Guidance => "guidance",
        ratings_core::Basis::Reported => "reported",
        ratings_core::Basis::Inferred => "inferred",
    };
    format!("{strength}, {basis}")
}

/// "no rule set covers 2012 (the rules cover 2005 to 2011)".
pub fn no_rules_message(book: &RuleBook, year: i64) -> String {
    format!(
        "no rule set covers {year} (the rules cover {})",
        span_of_years(&book.years())
    )
}

fn span_of_years(years: &[i64]) -> String {
    match (years.first(), years.last()) {
        (Some(first), Some(last)) if first == last => first.to_string(),
        (Some(first), Some(last)) => format!("{first} to {last}"),
        _ => "no years".to_owned(),
    }
}

/// An authorities table from a CSV file, or its problems printed and an input error.
fn read_authorities(path: &std::path::Path) -> Result<ratings_check::Authorities, Outcome> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|error| {
        render::problems(&[ratings_core::Problem::in_file(
            "unreadable",
            &name,
            format!("cannot read the authorities table: {error}"),
        )]);
        Outcome::InputError
    })?;
    ratings_check::Authorities::from_csv(&ratings_core::SourceText::new(name, text)).map_err(
        |problems| {
            render::problems(&problems);
            Outcome::InputError
        },
    )
}

pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

pub fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}
