//! `--authorities` tables: any text is read or refused with problems that name the file, and
//! a table that is read resolves any name without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ratings_core::{Period, SourceText};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (table, name) = text.split_once("\n===\n").unwrap_or((text, "Leeds"));
    match ratings_check::Authorities::from_csv(&SourceText::new("a.csv", table)) {
        Ok(table) => {
            for period in [None, Some(Period::Year(2008)), Some(Period::Year(2019))] {
                let _ = table.resolve(name, period);
            }
        }
        Err(problems) => assert!(problems.iter().all(|p| p.file == "a.csv")),
    }
});
