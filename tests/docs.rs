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
