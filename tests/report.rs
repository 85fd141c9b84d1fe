//! `ratings report`: the page is written whole where `-o` says, with the same counts and exit
//! code as `ratings check`; an output that cannot be written, or input that is lost, gives an
//! error naming the file.

mod common;

use std::path::PathBuf;

use common::{ratings, Run};
use serde_json::Value;

/// A fresh directory for this test's outputs, under cargo's temporary directory.
fn out_dir(test: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("report")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("the output directory is made");
    dir
}

#[track_caller]
fn assert_no_panic(run: &Run) {
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn the_corpus_report_has_the_counts_of_check() {
    let page = out_dir("corpus").join("r.html");
    let page_arg = page.to_string_lossy().into_owned();
    let run = ratings(&["report", "corpus/", "-o", &page_arg]);
    assert_no_panic(&run);
    let checked = ratings(&["check", "--format", "json", "corpus/"]);
    assert_eq!(run.code, checked.code, "{}", run.stderr);
    assert!(
        run.stdout.is_empty(),
        "the page goes to the file, not stdout"
    );
    assert!(
        run.stderr.contains(&format!("wrote {page_arg} (")),
        "{}",
        run.stderr
    );
    let html = std::fs::read_to_string(&page).expect("the page is written");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.ends_with("</html>\n"));
    let report: Value = serde_json::from_str(&checked.stdout).expect("JSON");
    for (key, value) in report["summary"].as_object().expect("a summary") {
        let shown = value.as_u64().expect("a count");
        // The page writes counts with thousands separators.
        let shown = if shown >= 1000 {
            format!("{},{:03}", shown / 1000, shown % 1000)
        } else {
            shown.to_string()
        };
        assert!(
            html.contains(&format!("data-count=\"{key}\">{shown}<")),
            "{key} = {shown}"
        );
    }
    let results = report["results"].as_array().expect("results");
    assert_eq!(html.matches("data-assessment-id=").count(), results.len());
    // No temporary file is left beside it.
    let left: Vec<_> = std::fs::read_dir(page.parent().expect("a directory"))
        .expect("the directory reads")
        .filter_map(Result::ok)
        .map(|entry| entry.file_name())
        .collect();
    assert_eq!(left, ["r.html"]);
}

#[test]
fn a_report_replaces_an_old_page_and_can_go_to_stdout() {
    let page = out_dir("replace").join("r.html");
    std::fs::write(&page, "old").expect("an old page");
    let page_arg = page.to_string_lossy().into_owned();
    let run = ratings(&[
        "report",
        "tests/records/ea-cap-broken.toml",
        "-o",
        &page_arg,
    ]);
    assert_eq!(run.code, 1, "a broken rule is a finding\n{}", run.stderr);
    let html = std::fs::read_to_string(&page).expect("the page");
    assert!(html.contains("data-count=\"inconsistent\">1<"));
    let to_stdout = ratings(&["report", "tests/records/ea-cap-broken.toml", "-o", "-"]);
    assert_eq!(to_stdout.code, 1);
    assert_eq!(to_stdout.stdout, html, "the same bytes either way");
}

#[cfg(unix)]
#[test]
fn a_device_is_written_in_place_and_a_link_followed() {
    use std::os::unix::fs::FileTypeExt;
    let run = ratings(&[
        "report",
        "tests/records/ea-cap-broken.toml",
        "-o",
        "/dev/null",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let null = std::fs::metadata("/dev/null").expect("/dev/null");
    assert!(
        null.file_type().is_char_device(),
        "/dev/null is still a device"
    );
    let dir = out_dir("link");
    let page = dir.join("page.html");
    std::fs::write(&page, "old").expect("a page");
    let link = dir.join("link.html");
    std::os::unix::fs::symlink(&page, &link).expect("a link");
    let link_arg = link.to_string_lossy().into_owned();
    let run = ratings(&[
        "report",
        "tests/records/ea-cap-broken.toml",
        "-o",
        &link_arg,
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(std::fs::symlink_metadata(&link)
        .expect("the link")
        .file_type()
        .is_symlink());
    let html = std::fs::read_to_string(&page).expect("the page");
    assert!(
        html.starts_with("<!DOCTYPE html>"),
        "the file linked to is replaced"
    );
}

#[test]
fn an_output_that_cannot_be_written_is_refused_before_checking() {
    let dir = out_dir("unwritable");
    let dir_arg = dir.to_string_lossy().into_owned();
    let missing = format!("{dir_arg}/no/such/dir/r.html");
    let file = dir.join("a-file");
    std::fs::write(&file, "").expect("a file");
    let under_file = format!("{}/r.html", file.display());
    for (output, why) in [
        (missing.as_str(), "does not exist"),
        (dir_arg.as_str(), "it is a directory"),
        (under_file.as_str(), "is a file, not a directory"),
    ] {
        let run = ratings(&["report", "corpus/", "-o", output]);
        assert_no_panic(&run);
        assert_eq!(run.code, 2, "{output}");
        assert!(
            run.stderr
                .contains(&format!("error: cannot write the report `{output}`: ")),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains(why), "{}", run.stderr);
        assert!(!run.stderr.contains("summary:"), "refused before checking");
    }
}

#[test]
fn lost_input_is_reported_and_the_page_still_written() {
    let page = out_dir("lost").join("r.html");
    let page_arg = page.to_string_lossy().into_owned();
    let run = ratings(&[
        "report",
        "tests/records/ea-cap-broken.toml",
        "no-such-file.toml",
        "-o",
        &page_arg,
    ]);
    assert_no_panic(&run);
    assert_eq!(run.code, 2, "input lost is exit 2, as for check");
    assert!(run.stderr.contains("no-such-file.toml"), "{}", run.stderr);
    let html = std::fs::read_to_string(&page).expect("the page");
    assert!(html.contains("data-count=\"unreadable_files\">1<"));
    assert!(
        html.contains("no-such-file.toml"),
        "the page lists the lost file"
    );
}

#[test]
fn output_is_required() {
    let run = ratings(&["report", "corpus/"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--output <FILE>"), "{}", run.stderr);
}

/// The report of everything reads tables of several layouts in one run: `--columns` is
/// repeatable, each table read through the map that fits its header.
#[test]
fn each_table_is_read_through_the_map_that_fits_it() {
    let tables = [
        (
            "maps/ilacs-2018-2026.toml",
            "tests/wide/ilacs-2018-2026.csv",
        ),
        ("maps/lac-2013.toml", "tests/wide/lac-2013.csv"),
        ("maps/sif-2014-2018.toml", "tests/wide/sif-2014-2018.csv"),
    ];
    let summary = |args: &[&str]| -> Value {
        let run = ratings(args);
        assert_no_panic(&run);
        let report: Value = serde_json::from_str(&run.stdout).expect("JSON");
        report["summary"].clone()
    };
    let counts = [
        "files",
        "unreadable_files",
        "ignored_columns",
        "records",
        "checked",
        "rejected",
    ];
    let mut together = vec!["check", "--format", "json"];
    let mut sums = [0; 6];
    for (map, table) in tables {
        together.extend(["--columns", map]);
        let alone = summary(&["check", "--format", "json", "--columns", map, table]);
        for (sum, count) in sums.iter_mut().zip(counts) {
            *sum += alone[count].as_u64().expect("a count");
        }
    }
    together.extend(tables.map(|(_, table)| table));
    let all = summary(&together);
    for (sum, count) in sums.iter().zip(counts) {
        assert_eq!(all[count].as_u64(), Some(*sum), "{count}: {all}");
    }
    assert_eq!(all["unreadable_files"], 0, "{all}");
}
