//! The rule files that ship with `ratings` (the workspace's `rules/` directory), embedded.
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
    fn the_shipped_rules_load() {
        if let Err(problems) = ratings_core::load_rules(&super::sources()) {
            let rendered: Vec<String> = problems.iter().map(|p| p.render()).collect();
            panic!("{}", rendered.join("\n"));
        }
    }
}
