//! CSV records: reading and checking any text never panics, and every row is either checked or
//! rejected.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ratings_core::SourceText;

fn options() -> ratings_check::CheckOptions<'static> {
    ratings_check::CheckOptions { budget: 10_000, ..ratings_check::CheckOptions::default() }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let file = ratings_check::read_csv(&SourceText::new("f.csv", text));
    let report = ratings_check::check(ratings_fuzz::shipped(), &[file], &options());
    assert_eq!(report.summary.records, report.summary.checked + report.summary.rejected);
});
