//! The rule loader never panics: any bytes, split into up to three files, load or give problems
//! that each name a file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ratings_core::{load_rules, SourceText};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let sources: Vec<SourceText> = text
        .split('\u{1}')
        .take(3)
        .enumerate()
        .map(|(i, part)| SourceText::new(format!("f{i}.toml"), part))
        .collect();
    if let Err(problems) = load_rules(&sources) {
        assert!(!problems.is_empty());
        for problem in &problems {
            assert!(problem.file.starts_with('f'));
            let _ = problem.to_string();
        }
    }
});
