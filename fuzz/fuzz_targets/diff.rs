//! `diff` between the shipped rules and an arbitrary rule file added to them, over arbitrary
//! TOML records: no panic, and both sides count every record as checked or rejected.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ratings_core::{load_rules, SourceText};

fn options() -> ratings_check::CheckOptions<'static> {
    ratings_check::CheckOptions { budget: 10_000, ..ratings_check::CheckOptions::default() }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (rules, records) = text.split_once("\n===\n").unwrap_or((text, ""));
    let mut sources = ratings_rules::sources();
    sources.push(SourceText::new("extra.toml", rules));
    let Ok(after) = load_rules(&sources) else { return };
    let before = ratings_fuzz::shipped();
    let read = |book| {
        let file = ratings_check::read_toml(&SourceText::new("f.toml", records));
        ratings_check::check(book, &[file], &options())
    };
    let (a, b) = (read(before), read(&after));
    for report in [&a, &b] {
        assert_eq!(report.summary.records, report.summary.checked + report.summary.rejected);
    }
    let diff = ratings_check::diff(&a, &b);
    let _ = ratings_check::diff_human(&diff);
});
