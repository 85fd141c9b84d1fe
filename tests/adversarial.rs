//! Inputs made to break the tool, generated here because they cannot be committed as files
//! (FIFOs, link loops, huge files, odd file names) or are too big to: every command finishes,
//! never panics, never exits 0 or 1 when input was lost, and says what went wrong.
//!
//! A few tests guard against hangs with a generous deadline (a minute); that is a liveness
//! check, not a measure of speed, which lives in `bench/`.

mod common;

use std::fmt::Write as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{ratings, ratings_in, root, Run};
use serde_json::Value;

const GOOD: &str = "tests/bad-input/good.toml";

/// A scratch directory for one test, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("ratings-adversarial-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch dir");
        Scratch(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    fn write(&self, name: &str, text: &str) -> String {
        let path = self.path(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("dir");
        }
        std::fs::write(&path, text).expect("write");
        path.to_string_lossy().into_owned()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Run with a deadline: the process is killed, and the test fails, if it runs longer.
fn run_within(args: &[&str], deadline: Duration) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ratings"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let (mut stdout, mut stderr) = (
        child.stdout.take().expect("piped"),
        child.stderr.take().expect("piped"),
    );
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let start = Instant::now();
    let code = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status.code().unwrap_or(-1);
        }
        if start.elapsed() > deadline {
            let _ = child.kill();
            panic!("{args:?} still running after {deadline:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    }
}

const MINUTE: Duration = Duration::from_secs(60);

#[track_caller]
fn assert_input_error(run: &Run, names: &str) {
    assert_eq!(run.code, 2, "exit 2\n{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "panicked: {}", run.stderr);
    assert!(
        run.stderr.contains(names),
        "names {names}:\n{}",
        &run.stderr[..run.stderr.len().min(2000)]
    );
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn fifos_are_refused_before_they_are_opened() {
    let scratch = Scratch::new("fifo");
    let fifo = scratch.path("records.toml");
    mkfifo(&fifo);
    let fifo_path = fifo.to_string_lossy().into_owned();
    // Named, found in a directory, as --authorities, and in a rules directory.
    let run = run_within(&["check", fifo_path.as_str(), GOOD], MINUTE);
    assert_input_error(&run, "not a regular file");
    let dir = scratch.0.to_string_lossy().into_owned();
    let run = run_within(&["check", dir.as_str(), GOOD], MINUTE);
    assert_input_error(&run, "not a regular file");
    let run = run_within(
        &["check", "--authorities", fifo_path.as_str(), GOOD],
        MINUTE,
    );
    assert_input_error(&run, "not a regular file");
    let rules = Scratch::new("fifo-rules");
    mkfifo(&rules.path("t.toml"));
    let rules_dir = rules.0.to_string_lossy().into_owned();
    let run = run_within(&["lint", "--rules", rules_dir.as_str()], MINUTE);
    assert_input_error(&run, "not a regular file");
    // A device is not a file either, however much it would give.
    let run = run_within(&["check", "/dev/zero", GOOD], MINUTE);
    assert_input_error(&run, "/dev/zero");
}

#[cfg(unix)]
#[test]
fn a_directory_that_links_to_itself_is_walked_once() {
    let scratch = Scratch::new("loop");
    scratch.write(
        "d/a.toml",
        &std::fs::read_to_string(root().join(GOOD)).expect("good"),
    );
    for name in ["d/self1", "d/self2"] {
        std::os::unix::fs::symlink(scratch.path("d"), scratch.path(name)).expect("link");
    }
    let dir = scratch.path("d").to_string_lossy().into_owned();
    let run = run_within(&["check", "--format", "json", dir.as_str()], MINUTE);
    assert!(!run.stderr.contains("panicked"));
    let report: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(report["summary"]["records"], 1, "{}", run.stderr);
    assert_eq!(
        run.code, 0,
        "a loop not followed is a warning\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("leads back to a directory above it"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_same_file_named_twice_is_read_once() {
    let absolute = root().join(GOOD).to_string_lossy().into_owned();
    for args in [
        vec![
            "check",
            "--format",
            "json",
            "corpus/seeds",
            "./corpus/seeds",
        ],
        vec!["check", "--format", "json", GOOD, absolute.as_str()],
    ] {
        let run = ratings(&args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        let report: Value = serde_json::from_str(&run.stdout).expect("JSON");
        assert_eq!(report["summary"]["rejected"], 0, "{args:?}");
    }
}

#[test]
fn a_stray_file_in_a_directory_is_skipped_and_the_verdicts_stay() {
    let scratch = Scratch::new("stray");
    scratch.write(
        "records/broken.toml",
        &std::fs::read_to_string(root().join("tests/records/ea-cap-broken.toml")).expect("case"),
    );
    scratch.write(
        "records/notes.txt",
        "Remember to check the 2008 letters again.\n",
    );
    scratch.write("records/README.md", "# notes\n");
    // Unknown extensions, and none, below the directory too.
    scratch.write("records/sub/data.json", "{}\n");
    scratch.write("records/sub/LICENSE", "text\n");
    let dir = scratch.path("records").to_string_lossy().into_owned();
    let run = ratings(&["check", dir.as_str()]);
    assert_eq!(
        run.code, 1,
        "the inconsistent verdict decides the exit code\n{}",
        run.stderr
    );
    assert!(run.stdout.contains("inconsistent"));
    assert!(
        run.stderr.contains("warning[skipped-file]"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("4 files skipped"), "{}", run.stdout);
    for skipped in ["notes.txt", "README.md", "sub/data.json", "sub/LICENSE"] {
        assert!(
            run.stderr.contains(&format!("--> {dir}/{skipped}\n")),
            "{skipped}: {}",
            run.stderr
        );
    }
    let run = ratings(&[
        "check",
        "--exclude",
        "notes*",
        "--exclude",
        "*.md",
        "--exclude",
        "sub",
        dir.as_str(),
    ]);
    assert_eq!(run.code, 1);
    assert!(!run.stderr.contains("skipped-file"), "{}", run.stderr);
}

/// 300 off-scale rows, with stderr closed early or full: no panic, the exit code still says
/// input was lost.
#[cfg(unix)]
#[test]
fn a_closed_or_full_stderr_is_not_a_panic() {
    let scratch = Scratch::new("stderr");
    let mut csv = String::from("authority,year,judgement,grade,source,locator\n");
    for row in 0..300 {
        let _ = writeln!(csv, "Leeds,2010,rating.overall,9,d,row {row}");
    }
    let file = scratch.write("rows.csv", &csv);
    // stderr into a pipe that is closed after the first bytes.
    let mut child = Command::new(env!("CARGO_BIN_EXE_ratings"))
        .args(["check", file.as_str()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let mut stderr = child.stderr.take().expect("piped");
    let mut first = [0u8; 16];
    stderr.read_exact(&mut first).expect("some output");
    drop(stderr);
    let status = child.wait().expect("ends");
    assert_eq!(status.code(), Some(2), "not a panic (101): input was lost");
    // stderr to a full device.
    if Path::new("/dev/full").exists() {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let status = Command::new(env!("CARGO_BIN_EXE_ratings"))
            .args(["check", file.as_str()])
            .stdout(Stdio::null())
            .stderr(full)
            .status()
            .expect("runs");
        assert_eq!(status.code(), Some(2));
    }
}

/// Many problems in one file render in time proportional to their number: each keeps a short
/// excerpt of its own line, never the whole text.
#[test]
fn many_problems_and_a_huge_line_render_quickly_and_briefly() {
    let scratch = Scratch::new("many");
    let mut csv = String::from("authority,year,judgement,grade,source,locator\n");
    for row in 0..20_000 {
        let _ = writeln!(csv, "Leeds,2010,rating.overall,9,d,row {row}");
    }
    let file = scratch.write("rows.csv", &csv);
    let run = run_within(&["check", file.as_str()], MINUTE);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr.matches("error[grade-off-scale]").count(), 20_000);
    let mut letter = String::from("Leeds City Council\nAnnual performance assessment 2008\n");
    for line in 0..25_000 {
        let _ = writeln!(letter, "Leadership number {line}\t3");
    }
    let letter_file = scratch.write("letter.txt", &letter);
    let run = run_within(&["check", letter_file.as_str()], MINUTE);
    assert_eq!(run.code, 2);
    // A 20 MB line is echoed as a short excerpt.
    let long = scratch.write(
        "long.toml",
        &format!("[[record]]\nauthority = \"{}\"\n", "L".repeat(20_000_000)),
    );
    let run = run_within(&["check", long.as_str()], MINUTE);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.len() < 10_000,
        "{} bytes of diagnostics",
        run.stderr.len()
    );
}

/// A rule set too large for the engine is refused by `lint` itself, so no later command aborts.
#[test]
fn a_rule_set_too_large_to_evaluate_is_refused_by_lint() {
    let scratch = Scratch::new("large");
    let mut text = String::from("[[document]]\nid = \"d\"\ntitle = \"D\"\npublisher = \"P\"\n\n[[scale]]\nid = \"g\"\ntitle = \"G\"\nvalues = [{ number = 1, label = \"low\" }, { number = 2, label = \"high\" }]\n");
    scratch.write("rules/scales.toml", &text);
    text = String::from("id = \"t\"\ntitle = \"T\"\nyears = { from = 2000, to = 2000 }\n");
    for j in 0..65_000 {
        let _ = write!(
            text,
            "\n[[judgement]]\nid = \"t.j{j}\"\ntitle = \"J\"\nscale = \"g\"\n"
        );
    }
    for j in 1..65_000 {
        let _ = write!(text, "\n[[constraint]]\nid = \"c{j}\"\ntext = \"x\"\nstrength = \"must\"\nbasis = \"inferred\"\ncite = {{ document = \"d\", locator = \"-\" }}\nkind = \"limit\"\ntarget = \"t.j{j}\"\nother = \"t.j{}\"\n", j - 1);
    }
    scratch.write("rules/t.toml", &text);
    let rules = scratch.path("rules").to_string_lossy().into_owned();
    let run = run_within(&["lint", "--rules", rules.as_str()], MINUTE);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("error[rules-too-large]"),
        "{}",
        &run.stderr[..run.stderr.len().min(2000)]
    );
    let record = scratch.write("r.toml", "[[record]]\nauthority = \"Leeds\"\nyear = 2000\nsource = { document = \"d\", locator = \"l\" }\n[record.grades]\n\"t.j1\" = 1\n");
    let run = run_within(
        &["check", "--rules", rules.as_str(), record.as_str()],
        MINUTE,
    );
    assert_eq!(run.code, 2, "check refuses the rules, it does not abort");
}

/// The budget bounds a whole analysis: 10,000 satisfiable caps end in seconds with the budget
/// reported, not after minutes.
#[test]
fn the_budget_bounds_a_whole_analysis() {
    let scratch = Scratch::new("caps");
    scratch.write("rules/scales.toml", "[[document]]\nid = \"d\"\ntitle = \"D\"\npublisher = \"P\"\n\n[[scale]]\nid = \"g\"\ntitle = \"G\"\nvalues = [{ number = 1, label = \"low\" }, { number = 2, label = \"mid\" }, { number = 3, label = \"high\" }]\n");
    let mut text = String::from("id = \"t\"\ntitle = \"T\"\nyears = { from = 2000, to = 2000 }\n");
    for j in 0..200 {
        let _ = write!(
            text,
            "\n[[judgement]]\nid = \"t.j{j}\"\ntitle = \"J\"\nscale = \"g\"\n"
        );
    }
    for c in 0..10_000 {
        let _ = write!(text, "\n[[constraint]]\nid = \"c{c}\"\ntext = \"x\"\nstrength = \"must\"\nbasis = \"inferred\"\ncite = {{ document = \"d\", locator = \"-\" }}\nkind = \"cap\"\ntarget = \"t.j{}\"\nat_most = {}\nwhen = {{ judgement = \"t.j0\", is = 1 }}\n", 1 + c % 199, 2 + c % 2);
    }
    scratch.write("rules/t.toml", &text);
    let rules = scratch.path("rules").to_string_lossy().into_owned();
    let run = run_within(
        &["analyze", "--rules", rules.as_str(), "--budget", "10000"],
        MINUTE,
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("the search budget of 10000 steps ran out"),
        "{}",
        run.stderr
    );
}

/// The verdict on an assessment does not depend on what was checked before it, even where an
/// answer is cached.
#[test]
fn the_budget_is_per_question_whatever_came_before() {
    let scratch = Scratch::new("cache");
    let one = "[[record]]\nauthority = \"Leeds\"\nyear = 2010\nsource = { document = \"d\", locator = \"l\" }\n[record.grades]\n\"rating.overall\" = 2\n";
    let two = "[[record]]\nauthority = \"Bury\"\nyear = 2010\nsource = { document = \"d\", locator = \"l\" }\n[record.grades]\n\"rating.overall\" = 3\n";
    let alone = scratch.write("a/leeds.toml", one);
    scratch.write("b/bury.toml", two);
    let both = scratch.write("b/leeds.toml", one);
    let _ = both;
    let b = scratch.path("b").to_string_lossy().into_owned();
    for budget in ["5", "20", "60", "200"] {
        let verdict = |args: &[&str]| -> String {
            let run = ratings(args);
            let report: Value = serde_json::from_str(&run.stdout).expect("JSON");
            report["results"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|r| r["subject"]["name"] == "Leeds")
                .map(|r| r["verdict"].as_str().unwrap_or("").to_owned())
                .unwrap_or_default()
        };
        let alone = verdict(&[
            "check",
            "--budget",
            budget,
            "--format",
            "json",
            alone.as_str(),
        ]);
        let after = verdict(&["check", "--budget", budget, "--format", "json", b.as_str()]);
        assert_eq!(alone, after, "budget {budget}");
    }
}

/// `diff` treats lost and undecided input as `check` does.
#[test]
fn diff_never_calls_lost_input_no_change() {
    let base = [
        "diff",
        "--from",
        "tests/diff/base",
        "--rules",
        "tests/diff/base",
    ];
    let with = |extra: &[&str]| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        ratings(&args)
    };
    // A path that does not exist.
    let run = with(&["tests/diff/records.tom"]);
    assert_input_error(&run, "no such file or directory");
    // Rejected records.
    let run = with(&[
        "tests/diff/records.toml",
        "tests/bad-input/records/grade-off-scale.toml",
    ]);
    assert_input_error(&run, "grade-off-scale");
    // A budget too small to decide anything: undecided is not "no change".
    let run = ratings(&[
        "diff",
        "--from",
        "tests/diff/base",
        "--rules",
        "tests/diff/base",
        "--budget",
        "1",
        "tests/diff/records.toml",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        !run.stdout.contains("no assessment changed"),
        "{}",
        run.stdout
    );
    // `--rules` is the rules after: diffing a directory with itself changes nothing.
    let run = ratings(&[
        "diff",
        "--from",
        "tests/diff/base",
        "--rules",
        "tests/diff/tightened",
        "tests/diff/records.toml",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let run = ratings(&[
        "diff",
        "--from",
        "tests/diff/tightened",
        "--rules",
        "tests/diff/tightened",
        "tests/diff/records.toml",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn coverage_and_hypotheses_treat_lost_input_as_check_does() {
    for command in ["coverage", "hypotheses"] {
        let run = ratings(&[command, "--budget", "1", "corpus/seeds"]);
        assert_eq!(run.code, 2, "{command} with no budget: {}", run.stderr);
        let run = ratings(&[command, "tests/bad-input/records/conflicting-sources.toml"]);
        assert_eq!(
            run.code, 2,
            "{command} with conflicting sources: {}",
            run.stderr
        );
    }
}

/// `diff --from REV` reads rule files whatever their names, through `git ls-tree -z`.
#[test]
fn diff_from_a_revision_reads_files_with_any_name() {
    if Command::new("git").arg("--version").output().is_err() {
        return;
    }
    let scratch = Scratch::new("git");
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .args(args)
            .current_dir(&scratch.0)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.invalid")
            .status()
            .expect("git");
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    for entry in std::fs::read_dir(root().join("tests/diff/tightened"))
        .expect("dir")
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        // One rule file gets a name git would quote without -z.
        let target = if name == "t-2007.toml" {
            "règles-2007.toml".to_owned()
        } else {
            name
        };
        std::fs::create_dir_all(scratch.path("rules")).expect("dir");
        std::fs::copy(entry.path(), scratch.path("rules").join(target)).expect("copy");
    }
    std::fs::copy(
        root().join("tests/diff/records.toml"),
        scratch.path("records.toml"),
    )
    .expect("copy");
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "rules"]);
    let run = ratings_in(&scratch.0, &["diff", "--from", "HEAD", "records.toml"]);
    assert_eq!(
        run.code, 0,
        "HEAD and the work tree are the same rules\n{}",
        run.stderr
    );
    assert!(
        run.stdout.contains("no assessment changed"),
        "{}",
        run.stdout
    );
    // A revision with other rules: the base rules committed, the tightened ones after them.
    // `--from HEAD~1` reads the base rules from git and finds what the directories show.
    for entry in std::fs::read_dir(root().join("tests/diff/base"))
        .expect("dir")
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        let target = if name == "t-2007.toml" {
            "règles-2007.toml".to_owned()
        } else {
            name
        };
        std::fs::copy(entry.path(), scratch.path("rules").join(target)).expect("copy");
    }
    git(&["commit", "-q", "-a", "-m", "base rules"]);
    git(&["revert", "--no-edit", "HEAD"]);
    let from_git = ratings_in(&scratch.0, &["diff", "--from", "HEAD~1", "records.toml"]);
    let from_dirs = ratings(&[
        "diff",
        "--from",
        "tests/diff/base",
        "--rules",
        "tests/diff/tightened",
        "tests/diff/records.toml",
    ]);
    assert_eq!(from_git.code, 1, "a verdict changed\n{}", from_git.stderr);
    assert!(
        from_git
            .stdout
            .contains("Bury, 2007: consistent -> inconsistent"),
        "{}",
        from_git.stdout
    );
    assert_eq!(
        from_git.stdout.replace("records.toml", ""),
        from_dirs.stdout.replace("tests/diff/records.toml", ""),
        "the revision and the directory give the same diff"
    );
}

/// A letter file whose name holds a newline cannot inject a record into `extract`'s output.
#[cfg(unix)]
#[test]
fn a_file_name_cannot_inject_records() {
    let scratch = Scratch::new("names");
    let name = "evil\n[[record]]\nauthority = \"Leeds\".txt";
    std::fs::copy(
        root().join("corpus/documents/000_7d76ba5bb3d9bc21.txt"),
        scratch.path(name),
    )
    .expect("copy");
    let path = scratch.path(name).to_string_lossy().into_owned();
    let run = ratings(&["extract", path.as_str()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let records = run
        .stdout
        .lines()
        .filter(|l| l.trim() == "[[record]]")
        .count();
    assert_eq!(records, 1, "{}", run.stdout);
}

/// CSV output never hands a spreadsheet a formula.
#[test]
fn csv_output_neutralises_formulas() {
    let scratch = Scratch::new("formula");
    scratch.write(
        "a.csv",
        "la_code,name\n1,=HYPERLINK(\"http://example.invalid\")\n",
    );
    let table = scratch.path("a.csv").to_string_lossy().into_owned();
    let record = scratch.write("r.toml", "[[record]]\nauthority = \"=HYPERLINK(\\\"http://example.invalid\\\")\"\nyear = 2010\nsource = { document = \"d\", locator = \"l\" }\n[record.grades]\n\"rating.overall\" = 2\n");
    let run = ratings(&[
        "check",
        "--authorities",
        table.as_str(),
        "--format",
        "csv",
        record.as_str(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("\"'=HYPERLINK"), "{}", run.stdout);
}

/// Flags a command does not use are not offered: `lint --authorities` is a usage error.
#[test]
fn commands_refuse_flags_they_do_not_use() {
    let run = ratings(&["lint", "--authorities", "nowhere.csv"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--authorities"), "{}", run.stderr);
    let run = ratings(&["explain", "--year", "2008", "--authorities", "nowhere.csv"]);
    assert_eq!(run.code, 2);
    // A missing table is an error wherever the flag is used.
    let run = ratings(&["check", "--authorities", "nowhere.csv", GOOD]);
    assert_input_error(&run, "nowhere.csv");
}

/// `--input-format` says how to read standard input; given with no `-` among the paths it
/// would be ignored, so it is refused.
#[test]
fn input_format_without_standard_input_is_refused() {
    let run = ratings(&["check", "--input-format", "csv", GOOD]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "`--input-format` says how to read standard input, but `-` is not among the paths"
        ),
        "{}",
        run.stderr
    );
}

/// `report -o` never writes over what it reads: an output that is one of the inputs, or lies
/// inside a directory being read, is refused before anything is checked, and the input is
/// left as it was.
#[test]
fn report_refuses_to_write_over_its_inputs() {
    let dir = std::env::temp_dir().join(format!("ratings-report-clobber-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let input = dir.join("records.toml");
    let good = std::fs::read_to_string(root().join(GOOD)).expect("good records");
    std::fs::write(&input, &good).expect("write");
    let input_path = input.to_string_lossy().into_owned();
    let dir_path = dir.to_string_lossy().into_owned();
    let inside = dir.join("audit.html").to_string_lossy().into_owned();
    for (args, why) in [
        (
            vec!["report", input_path.as_str(), "-o", input_path.as_str()],
            "one of the inputs",
        ),
        (
            vec!["report", dir_path.as_str(), "-o", inside.as_str()],
            "a directory being read",
        ),
    ] {
        let run = ratings(&args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(why), "{}", run.stderr);
    }
    let after = std::fs::read_to_string(&input).expect("still there");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(after, good, "the input is untouched");
}
