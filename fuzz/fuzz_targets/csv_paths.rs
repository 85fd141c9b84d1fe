//! The CSV fast path and the record path agree: checking a CSV text through the checker (rows
//! that pass every test go straight in) gives the same counts and results as reading it all
//! as records first.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ratings_core::SourceText;

fn options() -> ratings_check::CheckOptions<'static> {
    ratings_check::CheckOptions { budget: 10_000, ..ratings_check::CheckOptions::default() }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let source = SourceText::new("f.csv", text);
    let book = ratings_fuzz::shipped();
    let slow = ratings_check::check(book, &[ratings_check::read_csv(&source)], &options());
    let mut checker = ratings_check::Checker::new(book, options());
    checker.add_csv(&source);
    let mut results = Vec::new();
    struct Keep<'r>(&'r mut Vec<String>);
    impl ratings_check::Sink for Keep<'_> {
        fn result(&mut self, result: ratings_check::AssessmentResult) {
            self.0.push(serde_json::to_string(&result).unwrap_or_default());
        }
    }
    let (summary, _) = checker.finish(&mut Keep(&mut results));
    assert_eq!(summary, slow.summary);
    let slow: Vec<String> = slow.results.iter().map(|r| serde_json::to_string(r).unwrap_or_default()).collect();
    assert_eq!(results, slow);
});
