//! `ratings report`: the audit as one HTML page, written whole or not at all.

use super::*;

pub(super) fn report(
    dir: Option<&Path>,
    inputs: &cli::Inputs,
    budget: u64,
    overrides: Overrides,
    output: &Path,
    title: Option<String>,
) -> Result<Outcome, Outcome> {
    let to_stdout = output.as_os_str() == "-";
    // Before a check that may take a while: refuse an output that cannot be written.
    if !to_stdout {
        writable(output)
            .and_then(|()| not_an_input(output, &inputs.paths, dir))
            .map_err(|why| {
                errln!(
                    "error: cannot write the report `{}`: {why}",
                    escape(&output.display().to_string())
                );
                Outcome::InputError
            })?;
    }
    let args = Resolved::new(dir, inputs, budget, overrides)?;
    let (book, report) = (&args.book, args.checked());
    let paths: Vec<String> = inputs
        .paths
        .iter()
        .map(|path| path.display().to_string())
        .collect();
    let rules_name = args.rules_name.clone();
    let about = ratings_html::About {
        title: title.unwrap_or_else(|| format!("ratings audit of {}", paths.join(" "))),
        generated: format!("ratings {}, {rules_name}", env!("CARGO_PKG_VERSION")),
        rules_name,
        through_year: this_year(),
    };
    let page = ratings_html::render(&ratings_html::view_of(book, &report, about));
    errln!("{}", ratings_check::output::summary_line(&report.summary));
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
    Ok(outcome_of(&report.summary, errors, &report.problems))
}

/// Why a file could not be written where `path` names it, checked before any work: its
/// directory must exist, and the path must not be a directory.
/// Refuses an output that is one of the inputs, lies inside a directory being read, or lies
/// inside the rule directory: the report would overwrite what it reports on.
fn not_an_input(
    output: &Path,
    inputs: &[std::path::PathBuf],
    rules: Option<&Path>,
) -> Result<(), String> {
    let parent = match output.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let (Ok(parent), Some(name)) = (std::fs::canonicalize(parent), output.file_name()) else {
        return Ok(());
    };
    let output = parent.join(name);
    for input in inputs.iter().map(Path::new).chain(rules) {
        if input.as_os_str() == "-" {
            continue;
        }
        let Ok(read) = std::fs::canonicalize(input) else {
            continue;
        };
        let shown = input.display().to_string();
        let shown = escape(&shown);
        if read == output {
            return Err(format!("it is `{shown}`, one of the inputs"));
        }
        if read.is_dir() && output.starts_with(&read) {
            return Err(format!("it lies inside `{shown}`, a directory being read"));
        }
    }
    Ok(())
}

pub(super) fn writable(path: &Path) -> Result<(), String> {
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
pub(super) fn io_reason(error: &std::io::Error) -> String {
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
pub(super) fn write_replacing(path: &Path, bytes: &[u8]) -> Result<(), String> {
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
pub(super) fn this_year() -> Option<i64> {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs();
    let now = chrono::DateTime::from_timestamp(i64::try_from(seconds).ok()?, 0)?;
    Some(i64::from(chrono::Datelike::year(&now)))
}
