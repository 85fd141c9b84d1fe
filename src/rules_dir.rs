//! Reading a rule directory from disk, or the rules compiled into the binary.

use std::path::Path;

use ratings_core::{load_rules, Problem, RuleBook, SourceText};

include!(concat!(env!("OUT_DIR"), "/shipped_rules.rs"));

/// The texts of the rule directory `dir`, or of the shipped rules when `dir` is `None`.
/// Fails, with problems naming the files, when the directory or a file cannot be read.
pub fn read(dir: Option<&Path>) -> Result<Vec<SourceText>, Vec<Problem>> {
    let Some(dir) = dir else {
        return Ok(SHIPPED_RULES
            .iter()
            .map(|(name, text)| SourceText::new(*name, *text))
            .collect());
    };
    let entries = std::fs::read_dir(dir).map_err(|error| {
        vec![Problem::in_file(
            "unreadable",
            dir.display().to_string(),
            format!(
                "cannot read the rule directory: {}",
                lower_first(&error.to_string())
            ),
        )]
    })?;
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    paths.sort();
    let mut sources = Vec::new();
    let mut problems = Vec::new();
    for path in &paths {
        let name = path.display().to_string();
        match std::fs::read(path) {
            Err(error) => problems.push(Problem::in_file(
                "unreadable",
                name,
                format!("cannot read the file: {}", lower_first(&error.to_string())),
            )),
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => sources.push(SourceText::new(name, text)),
                Err(error) => problems.push(Problem::in_file(
                    "invalid-utf8",
                    name,
                    format!(
                        "the file is not UTF-8 text (invalid byte at offset {})",
                        error.utf8_error().valid_up_to()
                    ),
                )),
            },
        }
    }
    if paths.is_empty() {
        problems.push(
            Problem::in_file(
                "no-rules",
                dir.display().to_string(),
                "the rule directory holds no `.toml` files",
            )
            .with_help(
                "a rule directory holds scales and rule sets as `.toml` files; see docs/rules.md",
            ),
        );
    }
    if problems.is_empty() {
        Ok(sources)
    } else {
        Err(problems)
    }
}

/// Read and validate a rule directory (or the shipped rules).
pub fn load(dir: Option<&Path>) -> Result<RuleBook, Vec<Problem>> {
    let sources = read(dir)?;
    load_rules(&sources)
}

/// The texts of a rule directory named by `spec`: a directory, or else a git revision whose
/// copy of `dir` is read with `git show` (so `--from HEAD` diffs against the last commit).
pub fn read_spec(spec: &str, dir: &Path) -> Result<Vec<SourceText>, Vec<Problem>> {
    if Path::new(spec).is_dir() {
        return read(Some(Path::new(spec)));
    }
    let dir_text = dir.display().to_string();
    let not_found = |why: String| {
        vec![Problem::in_file("unreadable", spec, format!("`{spec}` is neither a directory nor a git revision holding `{dir_text}`: {why}"))
            .with_help("name a rule directory, or a revision such as `HEAD` or `HEAD~1` run inside the repository")]
    };
    let listing = git(&[
        "ls-tree",
        "--name-only",
        spec,
        "--",
        &format!("{dir_text}/"),
    ])
    .map_err(not_found)?;
    let mut sources = Vec::new();
    for path in listing.lines().filter(|p| p.ends_with(".toml")) {
        let text = git(&["show", &format!("{spec}:./{path}")]).map_err(not_found)?;
        sources.push(SourceText::new(format!("{spec}:{path}"), text));
    }
    if sources.is_empty() {
        return Err(not_found("it holds no `.toml` files there".to_owned()));
    }
    Ok(sources)
}

fn git(args: &[&str]) -> Result<String, String> {
    let output = std::process::Command::new("git")
        .args(args)
        .output()
        .map_err(|error| format!("cannot run git: {error}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(stderr.lines().next().unwrap_or("git failed").to_owned());
    }
    String::from_utf8(output.stdout)
        .map_err(|_| "git printed something that is not UTF-8".to_owned())
}

/// The name the rules are shown under.
pub fn display_name(dir: Option<&Path>) -> String {
    dir.map_or_else(|| "shipped rules".to_owned(), |d| d.display().to_string())
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
