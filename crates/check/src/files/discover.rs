//! Finding inputs under the paths named: each file once (by its canonical identity), in path
//! order; a directory walk follows links but never loops; `--exclude` and unknown extensions
//! leave files out with a warning.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use ratings_core::{Code, Problem};

use crate::input_limits::lower_first;

/// The extensions a directory walk reads.
pub const EXTENSIONS: &[&str] = &["toml", "csv", "txt", "pdf"];

/// One input file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct InputFile {
    /// The path as named, or as found under a named directory.
    pub path: PathBuf,
    /// Whether it was named on the command line (rather than found in a directory): a file
    /// found in a directory that is not a record file is skipped with a warning, one named is
    /// an error.
    pub named: bool,
}

/// The files under some paths, and what could not be read or was left out.
#[derive(Debug, Default)]
pub struct Collected {
    /// Every file to read, each once, in path order.
    pub files: Vec<InputFile>,
    /// Paths that do not exist or cannot be walked: input lost.
    pub problems: Vec<Problem>,
    /// Files found in directories and left out (another extension, or excluded): warnings.
    pub skipped: Vec<Problem>,
}

/// Patterns of files to leave out (`--exclude`), matched against the path and the file name.
#[derive(Debug, Clone, Default)]
pub struct Exclude {
    set: Option<GlobSet>,
}

impl Exclude {
    /// The patterns, or the problem with one that is not a glob.
    pub fn new(patterns: &[String]) -> Result<Exclude, Problem> {
        if patterns.is_empty() {
            return Ok(Exclude::default());
        }
        let mut builder = GlobSetBuilder::new();
        for pattern in patterns {
            let glob = Glob::new(pattern).map_err(|error| {
                Problem::in_file(
                    Code::InvalidArgument,
                    "--exclude",
                    format!("`{pattern}` is not a pattern: {error}"),
                )
            })?;
            builder.add(glob);
        }
        let set = builder.build().map_err(|error| {
            Problem::in_file(Code::InvalidArgument, "--exclude", error.to_string())
        })?;
        Ok(Exclude { set: Some(set) })
    }

    fn matches(&self, path: &Path) -> bool {
        let Some(set) = &self.set else { return false };
        set.is_match(path) || path.file_name().is_some_and(|name| set.is_match(name))
    }
}

/// Every input file named or found below the paths, each once (by its canonical identity),
/// sorted; problems for paths that do not exist, and warnings for files left out.
pub fn collect(paths: &[PathBuf], exclude: &Exclude) -> Collected {
    let mut collected = Collected::default();
    let mut seen: BTreeSet<PathBuf> = BTreeSet::new();
    let mut add = |path: PathBuf, named: bool, collected: &mut Collected| {
        let identity = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if seen.insert(identity) {
            collected.files.push(InputFile { path, named });
        }
    };
    for path in paths {
        if path.as_os_str() == "-" {
            add(path.clone(), true, &mut collected);
            continue;
        }
        match std::fs::metadata(path) {
            Err(error) => collected.problems.push(Problem::in_file(
                Code::Unreadable,
                path.display().to_string(),
                if error.kind() == std::io::ErrorKind::NotFound {
                    "no such file or directory".to_owned()
                } else {
                    format!("cannot read it: {}", lower_first(&error.to_string()))
                },
            )),
            Ok(meta) if meta.is_dir() => {
                let skipped = collected.skipped.len();
                let mut found = 0usize;
                walk(
                    path,
                    exclude,
                    &mut collected,
                    &mut |path, named, collected| {
                        found += 1;
                        add(path, named, collected);
                    },
                );
                // Nothing to check is not success: a directory with no input in it is an
                // error, as a file with no records is (one whose files were all named already
                // is not empty).
                if found == 0 {
                    let left_out = collected.skipped.len() - skipped;
                    collected.problems.push(
                        Problem::in_file(
                            Code::NoRecords,
                            path.display().to_string(),
                            if left_out == 0 {
                                "nothing to check: the directory holds no file".to_owned()
                            } else {
                                format!(
                                    "nothing to check: the directory holds no record file, letter or report ({} left out)",
                                    ratings_core::count(left_out, "file")
                                )
                            },
                        )
                        .with_help("record files end `.toml` or `.csv`, letters `.txt` and reports `.pdf`; see docs/records.md"),
                    );
                }
            }
            Ok(_) if exclude.matches(path) => collected
                .skipped
                .push(skipped(path, "it matches `--exclude`")),
            Ok(_) => add(path.clone(), true, &mut collected),
        }
    }
    collected.files.sort();
    collected
}

fn walk(
    dir: &Path,
    exclude: &Exclude,
    collected: &mut Collected,
    add: &mut dyn FnMut(PathBuf, bool, &mut Collected),
) {
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !exclude.matches(entry.path()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error
                    .path()
                    .map_or_else(|| dir.display().to_string(), |p| p.display().to_string());
                let message = if error.loop_ancestor().is_some() {
                    "a link here leads back to a directory above it: not followed".to_owned()
                } else {
                    format!("cannot read it: {}", lower_first(&error.to_string()))
                };
                if error.loop_ancestor().is_some() {
                    collected
                        .skipped
                        .push(Problem::in_file(Code::SkippedFile, path, message));
                } else {
                    collected
                        .problems
                        .push(Problem::in_file(Code::Unreadable, path, message));
                }
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let path = entry.path();
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_lowercase)
            .unwrap_or_default();
        if !EXTENSIONS.contains(&extension.as_str()) {
            collected.skipped.push(skipped(
                path,
                "not a record file, letter or report (by its extension)",
            ));
        } else {
            add(path.to_path_buf(), false, collected);
        }
    }
}

/// A warning for a file left out.
pub fn skipped(path: &Path, why: &str) -> Problem {
    Problem::in_file(Code::SkippedFile, path.display().to_string(), format!("skipped: {why}"))
        .with_help("name a file on the command line to have it read whatever its name; `--exclude PATTERN` leaves files out")
}
