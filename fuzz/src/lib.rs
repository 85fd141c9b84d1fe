//! Shared helpers for the fuzz targets: the shipped rules, read once from `rules/`.

use std::sync::OnceLock;

use ratings_core::{load_rules, RuleBook, SourceText};

/// The shipped rule book, read from the repository's `rules/` directory.
pub fn shipped() -> &'static RuleBook {
    static BOOK: OnceLock<RuleBook> = OnceLock::new();
    BOOK.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../rules");
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|error| panic!("{dir}: {error}"))
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
            .collect();
        paths.sort();
        let sources: Vec<SourceText> = paths
            .iter()
            .map(|path| {
                let text = std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
                SourceText::new(path.display().to_string(), text)
            })
            .collect();
        match load_rules(&sources) {
            Ok(book) => book,
            Err(problems) => panic!("the shipped rules do not load: {problems:?}"),
        }
    })
}
