//! Helpers shared by the integration tests: run the `ratings` binary and record what it did.

#![allow(
    dead_code,
    reason = "each test binary uses a different subset of the helpers"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root, where the binary runs so that paths in messages are relative.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What one run of the binary printed.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Run `ratings ARGS` from the repository root without colour.
pub fn ratings(args: &[&str]) -> Run {
    ratings_in(&root(), args)
}

pub fn ratings_in(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_ratings"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("the ratings binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

impl Run {
    /// The run as a snapshot: command, exit code, stdout, stderr.
    pub fn transcript(&self, args: &[&str]) -> String {
        let mut out = format!("$ ratings {}\nexit: {}\n", args.join(" "), self.code);
        if !self.stdout.is_empty() {
            out.push_str("--- stdout\n");
            out.push_str(&self.stdout);
        }
        if !self.stderr.is_empty() {
            out.push_str("--- stderr\n");
            out.push_str(&self.stderr);
        }
        out
    }
}

/// Directories directly under `dir`, sorted, as paths relative to the repository root.
pub fn case_dirs(dir: &str) -> Vec<String> {
    let mut cases: Vec<String> = std::fs::read_dir(root().join(dir))
        .expect("the case directory exists")
        .filter_map(Result::ok)
        .filter(|entry| entry.path().is_dir())
        .map(|entry| format!("{dir}/{}", entry.file_name().to_string_lossy()))
        .collect();
    cases.sort();
    cases
}

/// A folder of `../shared/found-data` (CI has it; its files may be read, never copied into the
/// project), or `None` when it is absent: the test that asked then says on stderr that it was
/// skipped and why (written past the test harness's capture, so a passing run shows it too).
/// With `RATINGS_REQUIRE_SHARED` set, as `.ci/run` sets it, an absent folder fails the test.
pub fn found_data(sub: &str) -> Option<PathBuf> {
    let dir = root().join("../shared/found-data").join(sub);
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("RATINGS_REQUIRE_SHARED").is_none(),
        "{} is missing, and RATINGS_REQUIRE_SHARED asks for it",
        dir.display()
    );
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {} is not present beside the project, so the test of the real data did not run",
        dir.display()
    );
    None
}
