//! The three ways into the checker for a long CSV file agree: reading it all as records first,
//! the fast path over the whole text (rows that pass every test go straight in), and the
//! streamed intake that never holds the file (`Checker::add_csv_stream`). Each gives the same
//! counts and results; the streamed intake also the same problems as the fast path (code,
//! message, file, line and column). And the two ways out agree: the compact and CSV reports
//! written by `finish_into` (asked for two threads), from cached answers where the grades
//! repeat, are those written from every whole result, byte for byte.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ratings_core::SourceText;

fn options() -> ratings_check::CheckOptions<'static> {
    ratings_check::CheckOptions { budget: 10_000, ..ratings_check::CheckOptions::default() }
}

struct Keep<'r>(&'r mut Vec<String>);

impl ratings_check::Sink for Keep<'_> {
    fn result(&mut self, result: ratings_check::AssessmentResult) {
        self.0.push(serde_json::to_string(&ratings_check::json::ResultJson::from(&result)).unwrap_or_default());
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let source = SourceText::new("f.csv", text);
    let book = ratings_fuzz::shipped();
    let slow = ratings_check::check(book, &[ratings_check::read_csv(&source)], &options());
    let slow_results: Vec<String> =
        slow.results.iter().map(|r| serde_json::to_string(&ratings_check::json::ResultJson::from(r)).unwrap_or_default()).collect();

    let mut checker = ratings_check::Checker::new(book, options());
    checker.add_csv(&source);
    let mut fast = Vec::new();
    let (summary, fast_problems) = checker.finish(&mut Keep(&mut fast));
    assert_eq!(summary, slow.summary);
    assert_eq!(fast, slow_results);

    let mut checker = ratings_check::Checker::new(book, options());
    let mut reader = data;
    if checker.add_csv_stream("f.csv", &mut reader, u64::MAX).is_some() {
        // Not the long layout: the caller reads such a file whole, as above.
        return;
    }
    let mut streamed = Vec::new();
    let (summary, streamed_problems) = checker.finish(&mut Keep(&mut streamed));
    assert_eq!(summary, slow.summary);
    assert_eq!(streamed, slow_results);
    let shown = |problems: &[ratings_core::Problem]| -> Vec<String> {
        problems.iter().map(|p| serde_json::to_string(&ratings_check::json::ProblemJson::from(p)).unwrap_or_default()).collect()
    };
    assert_eq!(shown(&streamed_problems), shown(&fast_problems));

    for format in [ratings_check::output::Format::Compact, ratings_check::output::Format::Csv] {
        let written = |threads: Option<usize>| {
            let mut checker = ratings_check::Checker::new(book, options());
            checker.add_csv(&source);
            let mut stream = ratings_check::output::Stream::new(format, ratings_check::output::Filter::default(), Vec::new());
            let summary = match threads {
                None => checker.finish(&mut stream).0,
                Some(threads) => checker.finish_into(&mut stream, threads).0,
            };
            stream.end(&summary).unwrap_or_default()
        };
        assert_eq!(written(Some(2)), written(None));
    }
});
