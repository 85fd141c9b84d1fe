//! `ratings`: audit published inspection ratings against the rules that should have made them.
//!
//! Thin glue over `ratings-core` and `ratings-check`: parse arguments, read files, print, and
//! map outcomes to exit codes (0 success, 1 findings, 2 usage or input error).

/// `print!` that ends quietly on a closed pipe (see `render::out`).
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::render::out(&format!($($arg)*))
    };
}

/// `println!` that ends quietly on a closed pipe (see `render::out`).
macro_rules! outln {
    ($($arg:tt)*) => {{
        let mut line = format!($($arg)*);
        line.push('\n');
        $crate::render::out(&line)
    }};
}

mod commands;
mod render;
mod rules_dir;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Checking a large file makes millions of small allocations; mimalloc makes them cheaper.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "ratings",
    version,
    about = "Audit published inspection ratings against the rules that were supposed to produce them"
)]
struct Cli {
    /// Load rules from this directory instead of the shipped ones.
    #[arg(long, global = true, value_name = "DIR")]
    rules: Option<PathBuf>,

    /// Match authority names against this table (CSV with `la_code`, `name` and optionally
    /// `also_known_as`) instead of the built-in table of English local authorities.
    #[arg(long, global = true, value_name = "FILE")]
    authorities: Option<PathBuf>,

    /// Search nodes one evaluation may visit before giving up.
    #[arg(long, global = true, value_name = "NODES", default_value_t = ratings_core::DEFAULT_BUDGET)]
    budget: u64,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate a rule directory: exit 0 when clean, 1 with findings, 2 when unreadable.
    Lint,
    /// Show the values every judgement of a year can take, given some grades, and why.
    Explain {
        #[arg(long)]
        year: i64,
        /// A given grade, as JUDGEMENT=VALUE (a number or a label of the judgement's scale).
        #[arg(long = "set", value_name = "JUDGEMENT=VALUE")]
        sets: Vec<String>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Check published grades (TOML or CSV records, `.txt` letters, or directories of them) against the rules.
    Check {
        /// Record files, or directories searched for `.toml` and `.csv` files.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
        format: CheckFormat,
    },
    /// Read the grades a published letter or council report states, as records.
    Extract {
        /// Plain-text letters or reports.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = ExtractFormat::Toml)]
        format: ExtractFormat,
    },
    /// Check records with two rule directories and report every assessment whose result changed.
    Diff {
        /// The rules before: a directory, or a git revision of the `--to` directory (`HEAD`, `HEAD~1`).
        #[arg(long, value_name = "DIR|REV")]
        from: String,
        /// The rules after: a directory.
        #[arg(long, value_name = "DIR", default_value = "rules")]
        to: PathBuf,
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// For every constraint: on how many assessments it was tested, narrowed a grade, was violated.
    Coverage {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// For every rule marked `inferred`: the assessments that support it and that contradict it.
    Hypotheses {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Find what is wrong with a rule directory, each finding with a witness; or, with
    /// `--compare A B`, whether two directories allow exactly the same grades.
    Analyze {
        #[arg(long)]
        year: Option<i64>,
        #[arg(long, num_args = 2, value_names = ["DIR_A", "DIR_B"])]
        compare: Option<Vec<PathBuf>>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Print the judgement graph of a year, constraints as labelled edges.
    Graph {
        #[arg(long)]
        year: i64,
        #[arg(long, value_enum)]
        format: GraphFormat,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Human,
    Json,
    Csv,
    /// One line per assessment: verdict, rules broken, implied grades.
    Compact,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExtractFormat {
    Toml,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Dot,
    Mermaid,
}

/// What a command's outcome means for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success = 0,
    Findings = 1,
    InputError = 2,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let context = commands::Context {
        rules: cli.rules,
        budget: cli.budget,
        authorities: cli.authorities,
        loaded_authorities: std::sync::OnceLock::new(),
    };
    let outcome = match cli.command {
        Command::Lint => commands::lint(&context),
        Command::Explain { year, sets, format } => commands::explain(&context, year, &sets, format),
        Command::Check { paths, format } => commands::check(&context, &paths, format),
        Command::Extract { files, format } => commands::extract(&context, &files, format),
        Command::Diff {
            from,
            to,
            paths,
            format,
        } => commands::diff(&context, &from, &to, &paths, format),
        Command::Coverage { paths, format } => commands::coverage(&context, &paths, format, false),
        Command::Hypotheses { paths, format } => commands::coverage(&context, &paths, format, true),
        Command::Analyze {
            year,
            compare,
            format,
        } => match compare {
            Some(dirs) => commands::compare(&context, &dirs, year, format),
            None => commands::analyze(&context, year, format),
        },
        Command::Graph { year, format } => commands::graph(&context, year, format),
    };
    ExitCode::from(outcome as u8)
}
