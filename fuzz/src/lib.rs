//! Shared helpers for the fuzz targets: the shipped rules, embedded.

use ratings_core::RuleBook;

/// The shipped rule book.
pub fn shipped() -> &'static RuleBook {
    match ratings_rules::book() {
        Ok(book) => book,
        Err(problems) => panic!("the shipped rules do not load: {problems:?}"),
    }
}
