//! Finding and reading input files: record files (`.toml`, `.csv`), letters (`.txt`), and
//! directories of them.

use std::path::{Path, PathBuf};

use ratings_core::{Problem, RuleBook, SourceText};

use crate::assess::Checker;
use crate::authority::Authorities;
use crate::records::{read_toml, ReadFile};

/// Files larger than this are refused rather than read into memory.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Every record file named or found below the paths, sorted within each directory, or a
/// problem for a path that does not exist.
pub fn collect(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Problem>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut files, &mut problems);
        } else if path.exists() {
            files.push(path.clone());
        } else {
            problems.push(Problem::in_file(
                "unreadable",
                path.display().to_string(),
                "no such file or directory",
            ));
        }
    }
    // One order whatever the order of the arguments, and each file once.
    files.sort();
    files.dedup();
    (files, problems)
}

/// Read one input straight into a checker; CSV rows are checked as they are read, so a large
/// file is never held as records.
pub fn read_into(
    path: &Path,
    checker: &mut Checker<'_>,
    book: &RuleBook,
    authorities: &Authorities,
) {
    let is_csv = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if !is_csv {
        checker.add_file(&read(path, book, authorities));
        return;
    }
    match read_text(path) {
        Err(problem) => checker.add_streamed_file(Some(problem)),
        Ok(source) => checker.add_csv(&source),
    }
}

/// Read one record file by its extension: `.toml` and `.csv` records, `.txt` letters.
pub fn read(path: &Path, book: &RuleBook, authorities: &Authorities) -> ReadFile {
    let unreadable = |problem: Problem| ReadFile {
        document_findings: Vec::new(),
        records: Vec::new(),
        unreadable: Some(problem),
    };
    let source = match read_text(path) {
        Ok(source) => source,
        Err(problem) => return unreadable(problem),
    };
    let name = source.name.clone();

    match path.extension().and_then(|e| e.to_str()).map(str::to_lowercase).as_deref() {
        Some("toml") => read_toml(&source),
        Some("csv") => crate::records::read_csv(&source),
        Some("txt") => match crate::letter::extract(&source, book, authorities) {
            Ok(extraction) => crate::letter::to_read_file(&source, &extraction),
            Err(problem) => unreadable(*problem),
        },
        _ => unreadable(
            Problem::in_file("unknown-format", name, "not a record file: expected `.toml`, `.csv` or a `.txt` letter")
                .with_help("record files are TOML (`[[record]]`) or CSV (`authority,year,judgement,grade,source,locator`); letters are plain text"),
        ),
    }
}

/// The text of a file, or why it cannot be read: missing, too large, not UTF-8.
pub fn read_text(path: &Path) -> Result<SourceText, Problem> {
    let name = path.display().to_string();
    let unreadable = Err;
    match std::fs::metadata(path) {
        Ok(meta) if meta.len() > MAX_FILE_BYTES => {
            return unreadable(
                Problem::in_file(
                    "file-too-large",
                    name,
                    format!(
                        "the file is {} MiB, more than the {} MiB a record file may be",
                        meta.len() >> 20,
                        MAX_FILE_BYTES >> 20
                    ),
                )
                .with_help("split it into several files, or a directory of them"),
            );
        }
        Ok(_) => {}
        Err(error) => {
            return unreadable(Problem::in_file(
                "unreadable",
                name,
                format!("cannot read the file: {error}"),
            ))
        }
    }
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            return unreadable(Problem::in_file(
                "unreadable",
                name,
                format!("cannot read the file: {error}"),
            ))
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            return unreadable(Problem::in_file(
                "invalid-utf8",
                name,
                format!(
                    "the file is not UTF-8 text (invalid byte at offset {})",
                    error.utf8_error().valid_up_to()
                ),
            ))
        }
    };
    Ok(SourceText::new(name, text))
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, problems: &mut Vec<Problem>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            problems.push(Problem::in_file(
                "unreadable",
                dir.display().to_string(),
                format!("cannot read the directory: {error}"),
            ));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(&path, files, problems);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e.to_lowercase().as_str(), "toml" | "csv" | "txt"))
        {
            files.push(path);
        }
    }
}
