//! `ratings`: audit published inspection ratings against the rules that should have made them.
//!
//! Thin glue over `ratings-core`, `ratings-check` and `ratings-rules`: parse arguments, read
//! files, print, and map outcomes to exit codes (0 success, 1 findings, 2 usage or input
//! error).

/// `print!` that ends quietly on a closed pipe (see `term::out`).
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::term::out(&format!($($arg)*))
    };
}

/// `println!` that ends quietly on a closed pipe (see `term::out`).
macro_rules! outln {
    ($($arg:tt)*) => {{
        let mut line = format!($($arg)*);
        line.push('\n');
        $crate::term::out(&line)
    }};
}

/// `eprintln!` that never panics on a closed or full stderr (see `term::err`).
macro_rules! errln {
    ($($arg:tt)*) => {{
        let mut line = format!($($arg)*);
        line.push('\n');
        $crate::term::err(&line)
    }};
}

mod cli;
mod commands;
mod term;

use std::process::ExitCode;

use clap::Parser;

/// Checking a large file makes millions of small allocations; mimalloc makes them cheaper
/// (built without transparent huge pages, on its stable line: see `Cargo.toml`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// What a command's outcome means for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// Everything read and checked; nothing wrong.
    Success = 0,
    /// Everything read and checked; findings (broken rules, rule problems, changes).
    Findings = 1,
    /// A usage or input error: input lost, rejected, in conflict, or undecided.
    InputError = 2,
}

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // Help and version go to stdout with exit 0; usage errors to stderr with exit 2.
            let code = if error.use_stderr() { 2 } else { 0 };
            let rendered = error.render().to_string();
            if error.use_stderr() {
                term::err(&rendered);
            } else {
                term::out(&rendered);
            }
            return ExitCode::from(code);
        }
    };
    let outcome = commands::run(cli.command);
    ExitCode::from(outcome as u8)
}
