//! Writing to the terminal: stdout for results, stderr for problems and counts. Neither write
//! ever panics: a closed stdout ends the run quietly (the reader has seen enough), and a
//! closed or full stderr is stopped writing to while the run goes on to its exit code.

use std::io::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};

use ratings_core::Problem;

/// Set once stderr has failed: nothing more is written there.
static STDERR_FAILED: AtomicBool = AtomicBool::new(false);

/// Write to stderr; on failure, stop writing to it for the rest of the run.
pub fn err(text: &str) {
    if STDERR_FAILED.load(Ordering::Relaxed) {
        return;
    }
    let mut stderr = std::io::stderr().lock();
    if stderr
        .write_all(text.as_bytes())
        .and_then(|()| stderr.flush())
        .is_err()
    {
        STDERR_FAILED.store(true, Ordering::Relaxed);
    }
}

/// Print every problem to stderr, each drawn by the one renderer.
pub fn problems(problems: &[Problem]) {
    for item in problems {
        err(&item.render());
    }
}

/// Write to stdout. A closed pipe (`ratings ... | head`) ends the program quietly, as a reader
/// that has seen enough is not an error; any other failure to write is one.
pub fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    if let Err(error) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        err(&format!("error: cannot write the output: {error}\n"));
        std::process::exit(2);
    }
}
