//! The command line: every subcommand with the options it uses, and no option it ignores.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Shown under every `--help`.
pub const EXIT_CODES: &str = "Exit codes:
  0  success: everything read and checked, nothing wrong
  1  findings: a rule broken, a rule directory with problems, a rule change that flips a verdict
  2  usage or input error: a file unreadable or skipped in error, a record rejected, sources in
     conflict, or an evaluation out of budget";

/// Audit published inspection ratings against the rules that were supposed to produce them.
#[derive(Parser)]
#[command(name = "ratings", version, after_help = EXIT_CODES, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The rules to use.
#[derive(Args, Clone, Debug)]
pub struct Rules {
    /// Load rules from this directory instead of the shipped ones.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

/// The search budget.
#[derive(Args, Clone, Copy, Debug)]
pub struct Budget {
    /// Search steps (nodes visited and constraints propagated) each question may spend; when
    /// they run out the answer is `undecided` and the exit code 2.
    #[arg(long, value_name = "STEPS", default_value_t = ratings_core::DEFAULT_BUDGET)]
    pub budget: u64,
}

/// The auditor's severities for problem and finding codes, as cargo-deny's are set: each
/// repeatable, each code one of the codes of docs/records.md, docs/rules.md and
/// docs/letters.md.
#[derive(Args, Clone, Debug, Default)]
pub struct Severities {
    /// Leave out the problems and findings with this code, and do not let them decide the exit
    /// code (a code that reports lost input cannot be allowed).
    #[arg(long, value_name = "CODE", value_parser = code_names())]
    pub allow: Vec<String>,
    /// Show the problems and findings with this code as warnings.
    #[arg(long, value_name = "CODE", value_parser = code_names())]
    pub warn: Vec<String>,
    /// Show the problems and findings with this code as errors, which exit 1 (for example
    /// `--deny departs-from-usual` to fail a CI job on a departure from a `usually` rule).
    #[arg(long, value_name = "CODE", value_parser = code_names())]
    pub deny: Vec<String>,
}

/// Every problem and finding code, for `--allow`, `--warn` and `--deny` and their completion.
fn code_names() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(
        ratings_core::Code::ALL
            .iter()
            .map(|code| clap::builder::PossibleValue::new(code.as_str())),
    )
}

/// Published grades to read.
#[derive(Args, Clone, Debug)]
pub struct Inputs {
    /// Record files (`.toml`, `.csv`), letters (`.txt`), Ofsted's report PDFs (`.pdf`), or
    /// directories searched for them; `-` reads standard input (give `--input-format`).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Match authority names against this table (CSV with `la_code`, `name`, and optionally
    /// `also_known_as` separated by `;`, `valid_from`, `valid_to`) instead of the built-in
    /// table of English local authorities.
    #[arg(long, value_name = "FILE")]
    pub authorities: Option<PathBuf>,
    /// Leave out files whose path or name matches this glob, such as `notes*.txt`
    /// (repeatable).
    #[arg(long, value_name = "PATTERN")]
    pub exclude: Vec<String>,
    /// What standard input (`-`) holds.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,
    /// Read CSV files as wide tables (one inspection a row, a column per judgement) through
    /// this column map: a file, or a shipped map by name (`sccif-providers`,
    /// `ilacs-2018-2026`, `sif-2014-2018`, `lac-2013`); repeatable: each table is read through
    /// the map whose layout its header is, else the one that names most of its columns.
    #[arg(long, value_name = "MAP")]
    pub columns: Vec<PathBuf>,
}

/// A period: a year (the annual frameworks) or a day (inspections).
#[derive(Args, Clone, Copy, Debug)]
#[group(multiple = false)]
pub struct When {
    /// A year: the rule sets in force all that year.
    #[arg(long)]
    pub year: Option<i32>,
    /// A day, such as 2024-05-01: the rule sets in force that day.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<NaiveDate>,
}

impl When {
    /// The period named, if any.
    pub fn period(&self) -> Option<ratings_core::Period> {
        match (self.year, self.date) {
            (_, Some(day)) => Some(ratings_core::Period::Date(day)),
            (Some(year), None) => Some(ratings_core::Period::Year(year)),
            (None, None) => None,
        }
    }
}

/// The subcommands.
#[derive(Subcommand)]
pub enum Command {
    /// Validate a rule directory: exit 0 when clean, 1 with problems, 2 when it cannot be read.
    Lint {
        #[command(flatten)]
        rules: Rules,
        #[command(flatten)]
        severities: Severities,
        /// How to print the problems.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Show the values every judgement can take in a period, given some grades, and why.
    Explain {
        #[command(flatten)]
        rules: Rules,
        #[command(flatten)]
        when: When,
        /// Whose rules: `local authorities`, or a kind of provider such as `children's homes`;
        /// by default, the subject of the judgements given with `--set`, else local
        /// authorities.
        #[arg(long, value_name = "SUBJECT")]
        subject: Option<String>,
        /// A given grade, as JUDGEMENT=VALUE (a number or a label of the judgement's scale).
        #[arg(long = "set", value_name = "JUDGEMENT=VALUE")]
        sets: Vec<String>,
        #[command(flatten)]
        budget: Budget,
        /// How to print the explanation.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Check published grades against the rules: records (TOML, CSV), letters (`.txt`),
    /// inspection reports (`.pdf`), or directories of them.
    Check {
        #[command(flatten)]
        rules: Rules,
        #[command(flatten)]
        inputs: Inputs,
        #[command(flatten)]
        budget: Budget,
        #[command(flatten)]
        severities: Severities,
        /// How to print the results.
        #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
        format: CheckFormat,
        /// Show only assessments with these verdicts (every assessment is still counted).
        #[arg(long, value_enum, value_delimiter = ',', value_name = "VERDICTS")]
        only: Vec<Verdict>,
        /// Print the summary alone.
        #[arg(long, short)]
        quiet: bool,
        /// Read and evaluate on this many threads (default: every core; with one, everything
        /// runs on one); the output is the same byte for byte whatever the number.
        #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
        threads: Option<u16>,
    },
    /// Check published grades and write the audit as one self-contained HTML page: a
    /// summary, a grid of authorities by year, every assessment with its evidence, every rule
    /// and each rule set's judgement graph.
    Report {
        #[command(flatten)]
        rules: Rules,
        #[command(flatten)]
        inputs: Inputs,
        #[command(flatten)]
        budget: Budget,
        #[command(flatten)]
        severities: Severities,
        /// The HTML file to write (replaced whole once the page is ready); `-` writes the page
        /// to standard output.
        #[arg(long, short, value_name = "FILE")]
        output: PathBuf,
        /// The page's title (default: `ratings audit of PATH...`).
        #[arg(long, value_name = "TEXT")]
        title: Option<String>,
    },
    /// Read the grades a published letter or report states, as records.
    Extract {
        #[command(flatten)]
        rules: Rules,
        /// Plain-text letters (`.txt`) or Ofsted's inspection report PDFs (`.pdf`), or
        /// directories of them (other files in a directory are left out with a warning).
        #[arg(required = true, value_name = "PATH")]
        files: Vec<PathBuf>,
        /// Match authority names against this table instead of the built-in one.
        #[arg(long, value_name = "FILE")]
        authorities: Option<PathBuf>,
        /// How to print the records.
        #[arg(long, value_enum, default_value_t = ExtractFormat::Toml)]
        format: ExtractFormat,
    },
    /// Check records with two rule directories and report every assessment whose result
    /// changed.
    Diff {
        /// The rules before: a directory, or a git revision of the rules after (`HEAD`,
        /// `HEAD~1`).
        #[arg(long, value_name = "DIR|REV")]
        from: String,
        /// The rules after: a directory (default `rules/` when there is one, else the shipped
        /// rules). `--to` is another name for it.
        #[arg(long = "rules", alias = "to", value_name = "DIR")]
        to: Option<PathBuf>,
        #[command(flatten)]
        inputs: Inputs,
        #[command(flatten)]
        budget: Budget,
        /// How to print the changes.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// For every constraint: on how many assessments it was tested, narrowed a grade, was
    /// violated.
    Coverage {
        #[command(flatten)]
        rules: Rules,
        #[command(flatten)]
        inputs: Inputs,
        #[command(flatten)]
        budget: Budget,
        /// How to print the table.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// For every rule marked `inferred`: the assessments that support it and that contradict
    /// it.
    Hypotheses {
        #[command(flatten)]
        rules: Rules,
        #[command(flatten)]
        inputs: Inputs,
        #[command(flatten)]
        budget: Budget,
        /// How to print the hypotheses.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// The unpublished grades that would test the most unverifiable assessments: a list of
    /// grades to go and find.
    Wanted {
        #[command(flatten)]
        rules: Rules,
        #[command(flatten)]
        inputs: Inputs,
        #[command(flatten)]
        budget: Budget,
        /// How to print the list.
        #[arg(long, value_enum, default_value_t = TableFormat::Human)]
        format: TableFormat,
    },
    /// Find what is wrong with a rule directory, each finding with a witness; or, with
    /// `--compare A B`, whether two directories allow exactly the same grades.
    Analyze {
        #[command(flatten)]
        rules: Rules,
        #[command(flatten)]
        when: When,
        /// Compare two rule directories instead.
        #[arg(long, num_args = 2, value_names = ["DIR_A", "DIR_B"], conflicts_with = "rules")]
        compare: Option<Vec<PathBuf>>,
        /// Search steps the whole analysis may spend.
        #[arg(long, value_name = "STEPS", default_value_t = ratings_core::DEFAULT_BUDGET)]
        budget: u64,
        /// How to print the findings.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Print the judgement graph of a period, constraints as labelled edges.
    Graph {
        #[command(flatten)]
        rules: Rules,
        #[command(flatten)]
        when: When,
        /// Whose rules: `local authorities` (the default), or a kind of provider such as
        /// `children's homes`.
        #[arg(long, value_name = "SUBJECT")]
        subject: Option<String>,
        /// The graph language.
        #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
        format: GraphFormat,
    },
    /// Print a completion script for a shell.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), for `man -l -`.
    Man,
}

/// Human text or JSON.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum, Debug)]
pub enum Format {
    /// Text for people.
    Human,
    /// JSON for programs.
    Json,
}

/// The formats of `check`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum, Debug)]
pub enum CheckFormat {
    /// Text for people: each assessment, its grades and findings.
    Human,
    /// JSON for programs: `summary`, `results`, `problems`.
    Json,
    /// One row per assessment, for spreadsheets.
    Csv,
    /// One line per assessment: verdict, rules broken, implied grades.
    Compact,
}

/// Human text, JSON or CSV.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum, Debug)]
pub enum TableFormat {
    /// Text for people.
    Human,
    /// JSON for programs.
    Json,
    /// CSV for spreadsheets.
    Csv,
}

/// The formats of `extract`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum, Debug)]
pub enum ExtractFormat {
    /// Records that `ratings check` reads back.
    Toml,
    /// JSON for programs.
    Json,
}

/// The graph languages.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum, Debug)]
pub enum GraphFormat {
    /// Graphviz.
    Dot,
    /// Mermaid (renders on GitHub).
    Mermaid,
}

/// What standard input holds.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum, Debug)]
pub enum InputFormat {
    /// `[[record]]` tables.
    Toml,
    /// The long CSV layout.
    Csv,
    /// A plain-text letter or report.
    Txt,
    /// An Ofsted inspection report (PDF).
    Pdf,
}

/// Verdicts, for `--only`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum, Debug)]
pub enum Verdict {
    /// The grades were tested and pass.
    Consistent,
    /// The grades break a `must` rule.
    Inconsistent,
    /// Any grades would have passed.
    Unverifiable,
    /// The budget ran out.
    Undecided,
    /// The verdict depends on which of two disagreeing sources is right.
    Disputed,
}
