//! Rendering diagnostics for a terminal or a pipe.

use std::io::IsTerminal;

use miette::{GraphicalReportHandler, GraphicalTheme};
use ratings_core::Problem;

/// Whether stderr output may use colour: a terminal, and `NO_COLOR` unset.
fn colour() -> bool {
    std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
}

/// A problem rendered like a compiler diagnostic.
pub fn problem(problem: &Problem) -> String {
    let theme = if colour() {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    if handler.render_report(&mut out, problem).is_err() {
        out = format!("error[{}]: {problem}\n", problem.code);
    }
    out
}

/// Print every problem to stderr.
pub fn problems(problems: &[Problem]) {
    for item in problems {
        eprint!("{}", problem(item));
    }
}

/// Write to stdout. A closed pipe (`ratings ... | head`) ends the program quietly, as a reader
/// that has seen enough is not an error; any other failure to write is one.
pub fn out(text: &str) {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    if let Err(error) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write the output: {error}");
        std::process::exit(2);
    }
}
