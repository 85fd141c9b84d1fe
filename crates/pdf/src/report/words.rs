//! Page text in the form the report parser works on, and the grade vocabulary. Dates and the
//! folding of text for comparison are `ratings_text`'s, shared with the record readers.

use ratings_text::fold;

use crate::pdf::{PageText, TextLine};

/// A line of a page, with its 1-based number.
pub struct PLine<'a> {
    pub no: u32,
    pub line: &'a TextLine,
}

impl PLine<'_> {
    /// The words without superscripts (footnote marks).
    pub fn words(&self) -> impl Iterator<Item = &crate::pdf::Word> {
        self.line.words.iter().filter(|w| !w.sup)
    }
    pub fn clean_text(&self) -> String {
        self.words()
            .map(|w| w.text.trim())
            .collect::<Vec<_>>()
            .join(" ")
    }
    pub fn size(&self) -> f64 {
        self.line.size
    }
    pub fn y(&self) -> f64 {
        self.line.y
    }
}

pub fn page_lines(p: &PageText) -> Vec<PLine<'_>> {
    p.lines
        .iter()
        .enumerate()
        .map(|(i, l)| PLine {
            no: i as u32 + 1,
            line: l,
        })
        .collect()
}

/// A grade on the scales of these frameworks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Grade {
    /// Outstanding.
    Outstanding,
    /// Good.
    Good,
    /// "Requires improvement", "Require improvement", "Requires improvement to be good".
    RequiresImprovement,
    /// LAC 2012-13 only ("Adequate (Grade 3)").
    Adequate,
    /// Inadequate.
    Inadequate,
    /// "Not judged" (SIF, a few small authorities).
    NotJudged,
}

impl Grade {
    /// The word used in the project's tables.
    pub fn table_word(self) -> &'static str {
        match self {
            Grade::Outstanding => "outstanding",
            Grade::Good => "good",
            Grade::RequiresImprovement => "requires improvement",
            Grade::Adequate => "adequate",
            Grade::Inadequate => "inadequate",
            Grade::NotJudged => "not judged",
        }
    }
}

const GRADE_PHRASES: &[(&[&str], Grade)] = &[
    (
        &["requires", "improvement", "to", "be", "good"],
        Grade::RequiresImprovement,
    ),
    (
        &["require", "improvement", "to", "be", "good"],
        Grade::RequiresImprovement,
    ),
    (&["requires", "improvement"], Grade::RequiresImprovement),
    (&["require", "improvement"], Grade::RequiresImprovement),
    (&["outstanding"], Grade::Outstanding),
    (&["good"], Grade::Good),
    (&["inadequate"], Grade::Inadequate),
    (&["adequate"], Grade::Adequate),
    (&["not", "judged"], Grade::NotJudged),
];

/// Splits normalised text into bare words (punctuation at the ends removed).
pub fn bare_words(s: &str) -> Vec<String> {
    fold(s)
        .split(' ')
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '&')
                .to_string()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// The grade a cell's whole text states, if it is exactly one grade phrase (trailing
/// punctuation allowed).
pub fn cell_grade(text: &str) -> Option<Grade> {
    let t = fold(text);
    let t = t.trim_end_matches(|c: char| c == '.' || c == ',' || c == ';' || c.is_whitespace());
    if t.chars().any(|c| !(c.is_alphabetic() || c == ' ')) {
        return None;
    }
    let words: Vec<&str> = t.split(' ').collect();
    GRADE_PHRASES
        .iter()
        .find(|(p, _)| p.len() == words.len() && p.iter().zip(&words).all(|(a, b)| a == b))
        .map(|(_, g)| *g)
}

/// Whether `text` could be the start of a grade phrase (a cell split over lines).
pub fn grade_prefix(text: &str) -> bool {
    let words = bare_words(text);
    !words.is_empty()
        && GRADE_PHRASES.iter().any(|(p, _)| {
            p.len() >= words.len() && p.iter().zip(&words).all(|(a, b)| *a == b.as_str())
        })
}

/// Longest grade phrase at the start of `words` (bare, lower-case): (grade, words used).
pub fn grade_at(words: &[&str]) -> Option<(Grade, usize)> {
    GRADE_PHRASES
        .iter()
        .find(|(p, _)| words.len() >= p.len() && p.iter().zip(words).all(|(a, b)| a == b))
        .map(|(p, g)| (*g, p.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades() {
        assert_eq!(
            cell_grade("Requires improvement to be good"),
            Some(Grade::RequiresImprovement)
        );
        assert_eq!(
            cell_grade("Requires Improvement"),
            Some(Grade::RequiresImprovement)
        );
        assert_eq!(cell_grade("Good."), Some(Grade::Good));
        assert_eq!(cell_grade("Not judged"), Some(Grade::NotJudged));
        assert_eq!(cell_grade("Good Good"), None);
        assert_eq!(cell_grade("Requires improvement to"), None);
        assert!(grade_prefix("Requires improvement to"));
        assert!(!grade_prefix("to be good"));
    }
}
