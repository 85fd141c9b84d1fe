//! The documentation cannot drift from the program.
//!
//! - Every ```` ```console ```` block in README.md and docs/ is run by trycmd: each `$ ratings …`
//!   line is executed from the repository root, and its output (stdout and stderr as a user
//!   sees them, interleaved) must match the lines below it; `...` stands for any lines and
//!   `[..]` for the rest of a line; `? N` after a command gives its exit code. After an
//!   intended change, `TRYCMD=overwrite cargo test --test docs` rewrites the blocks, keeping
//!   the wildcards that still match.
//! - Every problem and finding code has its heading (`` ### `code` ``) in the document its
//!   area names, as cargo-deny documents its codes.
//! - Every path ARCHITECTURE.md names exists: a path from the root as written, a shorter one
//!   (`engine/pinned.rs`, `queries.rs`) somewhere under the crate or folder of its heading.

use ratings_core::Code;

#[test]
fn console_examples_run_as_written() {
    trycmd::TestCases::new()
        .register_bin("ratings", trycmd::cargo::cargo_bin!("ratings"))
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .case("README.md")
        .case("docs/*.md");
}

#[test]
fn every_code_has_its_heading_in_the_docs() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut missing = Vec::new();
    for code in Code::ALL {
        let doc = code.area().doc();
        let text = std::fs::read_to_string(root.join(doc)).unwrap_or_default();
        let heading = format!("### `{code}`");
        if !text.lines().any(|line| line.trim_end() == heading) {
            missing.push(format!("{doc}: {heading}"));
        }
    }
    assert!(
        missing.is_empty(),
        "codes without their heading:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_path_architecture_names_exists() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let mut tree = Vec::new();
    walk(root, root, &mut tree);
    let exists_under = |base: &str, path: &str| {
        let path = path.trim_end_matches('/');
        tree.iter().any(|entry: &String| {
            entry == path || (entry.starts_with(base) && entry.ends_with(&format!("/{path}")))
        })
    };
    let mut missing = Vec::new();
    // The folder a heading such as "### `crates/core` (...)" names: shorter paths below it are
    // relative to it.
    let mut base = String::new();
    for line in text.lines() {
        let spans: Vec<&str> = line.split('`').skip(1).step_by(2).collect();
        if line.starts_with('#') {
            base = spans
                .first()
                .filter(|first| exists_under("", first))
                .map(|first| format!("{}/", first.trim_end_matches('/')))
                .unwrap_or_default();
        }
        let plain = line.split('`').step_by(2).flat_map(str::split_whitespace);
        let plain = plain
            .map(|word| word.trim_matches(|c: char| ",.;:()".contains(c)))
            .filter(|word| {
                [
                    "crates/", "src/", "tests/", "docs/", "rules/", "maps/", "bench/", "fuzz/",
                ]
                .iter()
                .any(|top| word.starts_with(top))
            });
        for path in spans
            .into_iter()
            .filter(|span| looks_like_a_path(span))
            .chain(plain)
        {
            if !exists_under(&base, path) {
                missing.push(format!("`{path}` (under `{base}`)"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names paths that do not exist:\n{}",
        missing.join("\n")
    );
}

/// A file name with an extension, or a folder written with its slash: `store.rs`, `letter/`.
fn looks_like_a_path(span: &str) -> bool {
    const EXTENSIONS: [&str; 9] = ["rs", "md", "toml", "csv", "sh", "js", "css", "json", "txt"];
    !span.contains(char::is_whitespace)
        && !span.contains(['*', ':', '<', '>', '='])
        && (span.ends_with('/')
            || span.rsplit_once('.').is_some_and(|(stem, extension)| {
                !stem.is_empty() && EXTENSIONS.contains(&extension)
            }))
}

/// Every file and folder under `dir`, as paths from `root` with `/`, leaving out build output,
/// dependencies and hidden folders.
fn walk(root: &std::path::Path, dir: &std::path::Path, tree: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "target" || name == "node_modules" {
            continue;
        }
        let relative = path.strip_prefix(root).unwrap_or(&path);
        tree.push(relative.to_string_lossy().replace('\\', "/"));
        if path.is_dir() {
            walk(root, &path, tree);
        }
    }
}
