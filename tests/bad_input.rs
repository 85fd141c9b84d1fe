//! The bad-input catalogue, `tests/bad-input/`: every bad record file, rule directory and
//! letter gives a clear diagnostic (file, line and column where there is one), exit 2, no
//! panic, and the good input beside it in the same run is still checked. Plus: files too large
//! to read, budgets that run out, counts that add up, and output that does not depend on the
//! order of the inputs.

mod common;

use std::path::PathBuf;

use common::{ratings, root, Run};
use serde_json::Value;

const GOOD: &str = "tests/bad-input/good.toml";

fn entries(dir: &str) -> Vec<String> {
    let mut found: Vec<String> = std::fs::read_dir(root().join(dir))
        .expect("catalogue directory")
        .filter_map(Result::ok)
        .map(|e| format!("{dir}/{}", e.file_name().to_string_lossy()))
        .collect();
    found.sort();
    found
}

fn name_of(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).replace('.', "_")
}

#[track_caller]
fn assert_reported(run: &Run, case: &str) {
    assert_eq!(run.code, 2, "{case}: exit 2\n{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{case} panicked");
    // Rejections are diagnostics on stderr, conflicting sources are findings in the report:
    // either way, a diagnostic points at the input (` --> case...`), and a pointer with a
    // line and column points inside the file.
    let pointers = pointers_to(&format!("{}\n{}", run.stderr, run.stdout), case);
    assert!(
        !pointers.is_empty(),
        "{case}: no diagnostic points at the input\n{}",
        run.stderr
    );
    for (code, path, position) in pointers {
        match position {
            Some((line, column)) => {
                let text = std::fs::read(root().join(&path)).unwrap_or_default();
                let text = String::from_utf8_lossy(&text);
                let lines: Vec<&str> = text.split('\n').collect();
                assert!(
                    line >= 1 && line <= lines.len(),
                    "{case}: {code} points at line {line} of {path}, which has {} lines",
                    lines.len()
                );
                let width = lines[line - 1].trim_end_matches('\r').chars().count();
                assert!(
                    column >= 1 && column <= width + 1,
                    "{case}: {code} points at column {column} of line {line} of {path}, which has {width} characters"
                );
            }
            None => assert!(
                WHOLE_FILE.contains(&code.as_str()),
                "{case}: `{code}` is about a place in the file, but gives no line and column"
            ),
        }
    }
}

/// Codes about a file as a whole: their diagnostics name the file without a line.
const WHOLE_FILE: &[&str] = &[
    "empty-file",
    "invalid-utf8",
    "unknown-format",
    "no-records",
    "unknown-layout",
    "unreadable",
    "not-a-file",
    "file-too-large",
    "no-rules",
    "invalid-rule-file",
];

/// A diagnostic's pointer: its code, the file, and the line and column where it gives them.
type Pointer = (String, String, Option<(usize, usize)>);

/// Every ` --> PATH[:LINE:COLUMN]` pointer at the case (a file, or a file in a directory),
/// with the code of the diagnostic it belongs to.
fn pointers_to(output: &str, case: &str) -> Vec<Pointer> {
    let mut code = String::new();
    let mut found = Vec::new();
    for line in output.lines() {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed
            .strip_prefix("error[")
            .or_else(|| trimmed.strip_prefix("warning["))
        {
            code = rest.split(']').next().unwrap_or("").to_owned();
            continue;
        }
        let Some(target) = trimmed.strip_prefix("--> ") else {
            continue;
        };
        let in_case = target == case
            || target.starts_with(&format!("{case}:"))
            || target.starts_with(&format!("{case}/"));
        if !in_case {
            continue;
        }
        let mut parts = target.rsplitn(3, ':');
        let (column, line, path) = (parts.next(), parts.next(), parts.next());
        match (
            column.and_then(|c| c.parse::<usize>().ok()),
            line.and_then(|l| l.parse::<usize>().ok()),
            path,
        ) {
            (Some(column), Some(line), Some(path)) => {
                found.push((code.clone(), path.to_owned(), Some((line, column))));
            }
            _ => found.push((code.clone(), target.to_owned(), None)),
        }
    }
    found
}

/// Every problem about the case in the JSON report names its file, and has a line and a
/// column unless it is about the file as a whole (empty, unreadable, of the wrong kind).
#[track_caller]
fn assert_positions(report: &Value, case: &str) {
    for problem in report["problems"].as_array().into_iter().flatten() {
        if problem["file"] != case {
            continue;
        }
        let code = problem["code"].as_str().unwrap_or("");
        if WHOLE_FILE.contains(&code) {
            continue;
        }
        assert!(
            problem["line"].as_u64().is_some() && problem["column"].as_u64().is_some(),
            "{case}: {code} has a line and column: {problem}"
        );
    }
}

/// The control record was checked: the run went on past the bad input.
#[track_caller]
fn assert_control_checked(report: &Value, case: &str) {
    let found = report["results"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|r| r["subject"]["name"] == "Wakefield" && r["year"] == 2010);
    assert!(found, "{case}: the good record beside it is still checked");
    let summary = &report["summary"];
    let n = |key: &str| summary[key].as_u64().unwrap_or(u64::MAX);
    assert_eq!(
        n("records"),
        n("checked") + n("rejected"),
        "{case}: records read = checked + rejected"
    );
}

#[test]
fn bad_record_files() {
    let cases = entries("tests/bad-input/records");
    assert!(cases.len() >= 30);
    for case in cases {
        let args = ["check", case.as_str(), GOOD];
        let run = ratings(&args);
        assert_reported(&run, &case);
        insta::assert_snapshot!(
            format!("records__{}", name_of(&case)),
            run.transcript(&args)
        );
        let json = ratings(&["check", "--format", "json", case.as_str(), GOOD]);
        let report: Value =
            serde_json::from_str(&json.stdout).expect("JSON even when input is bad");
        assert_control_checked(&report, &case);
        assert_positions(&report, &case);
    }
}

#[test]
fn bad_rule_directories() {
    let cases = entries("tests/bad-input/rules");
    assert!(cases.len() >= 25);
    for case in cases {
        let lint = ["lint", "--rules", case.as_str()];
        let run = ratings(&lint);
        assert!(
            run.code == 1 || run.code == 2,
            "{case}: lint exits 1 (findings) or 2 (unreadable)"
        );
        assert!(!run.stderr.contains("panicked"), "{case} panicked");
        assert!(
            run.stderr.contains(&case),
            "{case}: names the input\n{}",
            run.stderr
        );
        insta::assert_snapshot!(format!("rules__{}", name_of(&case)), run.transcript(&lint));
        // Any command that needs the rules refuses to run on them.
        let check = ratings(&["check", "--rules", case.as_str(), GOOD]);
        assert_reported(&check, &case);
    }
}

#[test]
fn bad_letters() {
    let cases = entries("tests/bad-input/letters");
    for case in cases {
        let args = ["extract", case.as_str()];
        let run = ratings(&args);
        assert_reported(&run, &case);
        insta::assert_snapshot!(
            format!("letters__{}", name_of(&case)),
            run.transcript(&args)
        );
        let check = ratings(&["check", "--format", "json", case.as_str(), GOOD]);
        assert_reported(&check, &case);
        let report: Value = serde_json::from_str(&check.stdout).expect("JSON");
        assert_control_checked(&report, &case);
    }
}

#[test]
fn the_catalogue_has_at_least_fifty_cases() {
    let total = entries("tests/bad-input/records").len()
        + entries("tests/bad-input/rules").len()
        + entries("tests/bad-input/letters").len();
    assert!(total >= 50, "{total} cases");
}

#[test]
fn a_missing_path_is_reported_and_the_rest_checked() {
    let run = ratings(&[
        "check",
        "--format",
        "json",
        "tests/bad-input/no-such-file.toml",
        GOOD,
    ]);
    assert_reported(&run, "tests/bad-input/no-such-file.toml");
    let report: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_control_checked(&report, "missing path");
}

/// A 300 MB file (sparse, so it costs no disk or memory to make) is refused by its size
/// before anything reads it; so is a very long line and a deeply nested one, made here too.
#[test]
fn huge_long_and_deep_files_are_refused_with_a_message() {
    let dir = std::env::temp_dir().join(format!("ratings-bad-input-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let huge: PathBuf = dir.join("huge.csv");
    let file = std::fs::File::create(&huge).expect("create");
    file.set_len(300 * 1024 * 1024).expect("sparse 300 MB file");
    drop(file);
    let huge_path = huge.to_string_lossy().into_owned();
    let run = ratings(&["check", huge_path.as_str(), GOOD]);
    assert_reported(&run, &huge_path);
    assert!(
        run.stderr
            .contains("the file is 300 MiB, more than the 256 MiB"),
        "{}",
        run.stderr
    );

    let long = dir.join("long.toml");
    let authority = "L".repeat(2_000_000);
    std::fs::write(&long, format!("[[record]]\nauthority = \"{authority}\"\nyear = 2010\nsource = {{ document = \"d\", locator = \"l\" }}\n[record.grades]\n\"rating.overall\" = 1\n")).expect("write");
    let long_path = long.to_string_lossy().into_owned();
    let run = ratings(&["check", long_path.as_str(), GOOD]);
    assert_reported(&run, &long_path);
    assert!(
        run.stderr.contains("unknown-authority"),
        "{}",
        &run.stderr[..run.stderr.len().min(500)]
    );
    // The name is shown cut short, not two megabytes of it.
    assert!(
        run.stderr.len() < 4096,
        "{} bytes of diagnostics",
        run.stderr.len()
    );
    assert!(
        run.stderr.contains("L…`"),
        "{}",
        &run.stderr[..run.stderr.len().min(500)]
    );
    // A near-miss search over a name this long would take minutes of CPU: the run must need
    // little work whatever the machine's speed, so it runs under a CPU-time limit (the normal
    // run needs well under a second) and is killed if the work explodes.
    #[cfg(unix)]
    {
        let limited = std::process::Command::new("sh")
            .arg("-c")
            .arg("ulimit -t 20 && exec \"$0\" check \"$1\"")
            .arg(env!("CARGO_BIN_EXE_ratings"))
            .arg(&long_path)
            .current_dir(root())
            .output()
            .expect("sh runs");
        assert_eq!(
            limited.status.code(),
            Some(2),
            "the check of a 2 MB name must finish within 20 s of CPU: {:?}",
            limited.status
        );
    }

    let deep = dir.join("deep.toml");
    std::fs::write(
        &deep,
        format!("x = {}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
    )
    .expect("write");
    let deep_path = deep.to_string_lossy().into_owned();
    let run = ratings(&["check", deep_path.as_str(), GOOD]);
    assert_reported(&run, &deep_path);
    assert!(run.stderr.contains("max recursion depth"), "{}", run.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}

/// An adversarial rule set (dense generated constraints) with a tiny budget: every command
/// that searches says the budget ran out, naming the year and the size of the graph, exit 2.
#[test]
fn a_budget_that_runs_out_is_reported_not_hung() {
    let rules = "tests/bad-input/adversarial";
    for args in [
        vec!["analyze", "--rules", rules, "--budget", "20"],
        vec![
            "explain", "--rules", rules, "--year", "2000", "--budget", "20",
        ],
    ] {
        let run = ratings(&args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("the search budget of 20 steps ran out evaluating 2000 (40 judgements, 80 constraints)"),
            "{args:?}: {}",
            run.stderr
        );
    }
    // In `check`, the assessment is undecided and the run still checks the rest.
    let record =
        std::env::temp_dir().join(format!("ratings-adversarial-{}.toml", std::process::id()));
    std::fs::write(&record, "[[record]]\nauthority = \"Leeds\"\nyear = 2000\nsource = { document = \"d\", locator = \"l\" }\n[record.grades]\n\"g.j1\" = 2\n\"g.j2\" = 3\n").expect("write");
    let record_path = record.to_string_lossy().into_owned();
    let run = ratings(&[
        "check",
        "--rules",
        rules,
        "--budget",
        "20",
        "--format",
        "json",
        record_path.as_str(),
    ]);
    let _ = std::fs::remove_file(&record);
    assert_eq!(run.code, 2);
    let report: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(report["summary"]["undecided"], 1);
    assert_eq!(
        report["results"][0]["findings"][0]["code"],
        "budget-exceeded"
    );
}

/// Results and diagnostics are byte-identical across runs and across the order of the inputs.
#[test]
fn output_does_not_depend_on_input_order() {
    let mut inputs: Vec<String> = entries("tests/records");
    inputs.extend(entries("tests/bad-input/records"));
    inputs.push("corpus".to_owned());
    let run = |order: &[String]| {
        let mut args = vec!["check".to_owned(), "--format".to_owned(), "json".to_owned()];
        args.extend(order.iter().cloned());
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = ratings(&refs);
        (run.stdout, run.stderr)
    };
    let first = run(&inputs);
    let mut reversed = inputs.clone();
    reversed.reverse();
    // A fixed shuffle: every third input moved to the front.
    let mut shuffled: Vec<String> = inputs.iter().step_by(3).cloned().collect();
    shuffled.extend(
        inputs
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 3 != 0)
            .map(|(_, s)| s.clone()),
    );
    assert_eq!(first, run(&inputs), "two runs differ");
    assert_eq!(first, run(&reversed), "reversed inputs differ");
    assert_eq!(first, run(&shuffled), "shuffled inputs differ");
}

/// Records read = checked + rejected for every input the tests use.
#[test]
fn counts_add_up_over_every_input_in_tests() {
    for dir in [
        "tests/records",
        "tests/bad-input/records",
        "tests/bad-input/letters",
        "tests/letters/altered",
        "corpus",
        "tests/diff",
    ] {
        let run = ratings(&["check", "--format", "json", dir]);
        let report: Value = serde_json::from_str(&run.stdout).expect("JSON");
        let summary = &report["summary"];
        let n = |key: &str| summary[key].as_u64().unwrap_or(u64::MAX);
        assert_eq!(n("records"), n("checked") + n("rejected"), "{dir}");
        assert_eq!(
            n("assessments"),
            n("consistent")
                + n("inconsistent")
                + n("unverifiable")
                + n("undecided")
                + n("disputed"),
            "{dir}"
        );
    }
}

/// A reader that stops early (`ratings ... | head`) ends the run quietly: no panic, exit 0.
/// Each command writes far more than a pipe holds (64 KiB), so that the writes after the
/// reader has gone really fail: a run whose output fits the pipe would never notice.
#[test]
fn a_closed_output_pipe_ends_the_run_quietly() {
    use std::fmt::Write as _;
    use std::io::Read as _;
    use std::process::{Command, Stdio};
    const MORE_THAN_A_PIPE: usize = 4 * 64 * 1024;
    // Rules with many judgements of long names, for a long explanation.
    let dir = std::env::temp_dir().join(format!("ratings-closed-pipe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut rules = String::from(
        "id = \"t\"\ntitle = \"Wide\"\nyears = { from = 2000, to = 2000 }\n\n[[scale]]\nid = \"grade\"\ntitle = \"Grade\"\nvalues = [{ number = 1, label = \"low\" }, { number = 2, label = \"high\" }]\n",
    );
    for index in 0..900 {
        let _ = write!(
            rules,
            "\n[[judgement]]\nid = \"t.j{index}_{}\"\ntitle = \"J\"\nscale = \"grade\"\n",
            "x".repeat(300)
        );
    }
    std::fs::write(dir.join("t.toml"), rules).expect("write");
    let rules_dir = dir.to_string_lossy().into_owned();
    for args in [
        vec!["check", "--format", "json", "corpus"],
        vec!["check", "corpus"],
        vec![
            "explain",
            "--rules",
            rules_dir.as_str(),
            "--year",
            "2000",
            "--format",
            "json",
        ],
        vec!["explain", "--rules", rules_dir.as_str(), "--year", "2000"],
    ] {
        let whole = ratings(&args);
        assert!(
            whole.stdout.len() > MORE_THAN_A_PIPE,
            "{args:?} writes only {} bytes: too few to fill a pipe",
            whole.stdout.len()
        );
        let mut child = Command::new(env!("CARGO_BIN_EXE_ratings"))
            .args(&args)
            .current_dir(root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        let mut first = [0u8; 16];
        let mut stdout = child.stdout.take().expect("piped");
        stdout.read_exact(&mut first).expect("some output");
        drop(stdout);
        let output = child.wait_with_output().expect("the binary ends");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Standard input past the file limit is refused within the memory a file of that size would
/// take (the run is held to 500 MB of address space; reading it by doubling a buffer took 813
/// MB), and a TOML file over 4 MiB is refused before it is parsed (a file of dots made the
/// parser take 160 times its size).
#[cfg(unix)]
#[test]
fn oversized_stdin_and_toml_are_refused_within_bounds() {
    use std::io::Write as _;
    for format in ["toml", "csv", "pdf"] {
        let mut child = std::process::Command::new("sh")
            .arg("-c")
            .arg("ulimit -v 500000 && exec \"$0\" check --input-format \"$1\" -")
            .arg(env!("CARGO_BIN_EXE_ratings"))
            .arg(format)
            .current_dir(root())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("sh runs");
        let mut stdin = child.stdin.take().expect("stdin");
        let chunk = vec![b'.'; 1 << 20];
        // The reader stops at the limit; a closed pipe after that is expected.
        for _ in 0..300 {
            if stdin.write_all(&chunk).is_err() {
                break;
            }
        }
        drop(stdin);
        let output = child.wait_with_output().expect("the run ends");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{format}: {stderr}");
        assert!(
            stderr.contains("error[file-too-large]") && stderr.contains("256 MiB"),
            "{format}: {stderr}"
        );
    }
    let dir = std::env::temp_dir().join(format!("ratings-big-toml-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let dots = dir.join("dots.toml");
    std::fs::write(&dots, ".".repeat(5 << 20)).expect("write");
    let path = dots.to_string_lossy().into_owned();
    let run = ratings(&["check", path.as_str(), GOOD]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_reported(&run, &path);
    assert!(
        run.stderr
            .contains("the file is 5.0 MiB, more than the 4 MiB a TOML file may be"),
        "{}",
        run.stderr
    );
}

/// Nothing to check is not success: an empty directory, and one holding only files that are
/// not inputs, are errors naming the directory.
#[test]
fn a_directory_with_nothing_to_check_is_an_error() {
    let dir = std::env::temp_dir().join(format!("ratings-empty-dir-{}", std::process::id()));
    let empty = dir.join("empty");
    let stray = dir.join("stray");
    std::fs::create_dir_all(&empty).expect("temp dir");
    std::fs::create_dir_all(&stray).expect("temp dir");
    std::fs::write(stray.join("notes.md"), "not records\n").expect("write");
    for (path, message) in [
        (&empty, "nothing to check: the directory holds no file"),
        (
            &stray,
            "nothing to check: the directory holds no record file, letter or report (1 file left out)",
        ),
    ] {
        let path = path.to_string_lossy().into_owned();
        let run = ratings(&["check", path.as_str()]);
        assert_eq!(run.code, 2, "{path}: {}", run.stderr);
        assert!(
            run.stderr.contains("error[no-records]") && run.stderr.contains(message),
            "{}",
            run.stderr
        );
    }
    // Records with a near-miss header found in a directory are read and their header
    // reported, not skipped as a stray table.
    let near = dir.join("near");
    std::fs::create_dir_all(&near).expect("temp dir");
    std::fs::write(
        near.join("grades.csv"),
        "authority,year,judgement,grade,source,locatr\nLeeds,2008,apa.staying_safe,3,x,y\n",
    )
    .expect("write");
    let path = near.to_string_lossy().into_owned();
    let run = ratings(&["check", path.as_str()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("the CSV header is wrong: missing `locator`; unexpected `locatr`"),
        "{}",
        run.stderr
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Authorities tables (`--authorities`) that cannot be trusted are refused whole, naming the
/// file, line and column: nothing is checked against them.
#[test]
fn bad_authorities_tables() {
    let cases = entries("tests/bad-input/authorities");
    assert!(cases.len() >= 2);
    for case in cases {
        let args = ["check", "--authorities", case.as_str(), GOOD];
        let run = ratings(&args);
        assert_eq!(run.code, 2, "{case}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{case} panicked");
        assert!(
            run.stderr.contains(&format!("--> {case}:")),
            "{case}: names the file and line\n{}",
            run.stderr
        );
        insta::assert_snapshot!(
            format!("authorities__{}", name_of(&case)),
            run.transcript(&args)
        );
    }
}
