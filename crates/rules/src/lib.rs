//! The rule files and column maps that ship with `ratings` (the workspace's `rules/` and
//! `maps/` directories), embedded.
//!
//! ```
//! let book = ratings_rules::book().expect("the shipped rules load");
//! assert!(book.rule_set("apa-2007").is_some());
//! ```

use std::sync::OnceLock;

use ratings_core::{load_rules, Problem, RuleBook, SourceText};

include!(concat!(env!("OUT_DIR"), "/shipped_rules.rs"));

/// The texts of the shipped rule files, named `rules/<file>`.
pub fn sources() -> Vec<SourceText> {
    FILES
        .iter()
        .map(|(name, text)| SourceText::new(*name, *text))
        .collect()
}

/// A shipped column map by its name: `sccif-providers`, `sccif-providers.toml` or
/// `maps/sccif-providers.toml`; its text, named `maps/<file>`.
pub fn map(name: &str) -> Option<SourceText> {
    let file = name.strip_prefix("maps/").unwrap_or(name);
    let file = file.strip_suffix(".toml").unwrap_or(file);
    MAPS.iter()
        .find(|(path, _)| *path == format!("maps/{file}.toml"))
        .map(|(path, text)| SourceText::new(*path, *text))
}

/// The names of the shipped column maps (`sccif-providers`), for help lines.
pub fn map_names() -> Vec<&'static str> {
    MAPS.iter()
        .map(|(path, _)| path.trim_start_matches("maps/").trim_end_matches(".toml"))
        .collect()
}

/// The shipped rules, loaded once, or the problems that keep them from loading (a test keeps
/// them valid).
pub fn book() -> Result<&'static RuleBook, &'static [Problem]> {
    static BOOK: OnceLock<Result<RuleBook, Vec<Problem>>> = OnceLock::new();
    match BOOK.get_or_init(|| load_rules(&sources())) {
        Ok(book) => Ok(book),
        Err(problems) => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_shipped_map_loads_and_is_found_by_name() {
        assert!(!super::map_names().is_empty());
        for name in super::map_names() {
            let map = super::map(name).expect("found by its own name");
            assert_eq!(
                super::map(&format!("maps/{name}.toml")).map(|m| m.text),
                Some(map.text.clone())
            );
            assert!(map.text.contains("[columns]"), "{name}");
        }
        assert!(super::map("no-such-map").is_none());
    }

    #[test]
    fn the_shipped_rules_load() {
        if let Err(problems) = ratings_core::load_rules(&super::sources()) {
            let rendered: Vec<String> = problems.iter().map(|p| p.render()).collect();
            panic!("{}", rendered.join("\n"));
        }
    }
}
