//! The letter reader never panics, and what it extracts checks without losing a record.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ratings_core::SourceText;

fn options() -> ratings_check::CheckOptions<'static> {
    ratings_check::CheckOptions { budget: 10_000, ..ratings_check::CheckOptions::default() }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let source = SourceText::new("f.txt", text);
    if let Ok(extraction) = ratings_check::extract(&source, ratings_fuzz::shipped(), ratings_check::Authorities::builtin()) {
        let _ = ratings_check::to_toml("f.txt", &extraction);
        let file = ratings_check::to_read_file(&source, &extraction);
        let report = ratings_check::check(ratings_fuzz::shipped(), &[file], &options());
        assert_eq!(report.summary.records, report.summary.checked + report.summary.rejected);
    }
});
