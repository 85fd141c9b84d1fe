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
