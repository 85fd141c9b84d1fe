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
    /// The number of the grade on the four-point scales ("Inadequate (Grade 4)"), where it has
    /// one: requires improvement and adequate are both 3.
    pub fn number(self) -> Option<u8> {
        match self {
            Grade::Outstanding => Some(1),
            Grade::Good => Some(2),
            Grade::RequiresImprovement | Grade::Adequate => Some(3),
            Grade::Inadequate => Some(4),
            Grade::NotJudged => None,
        }
    }

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
/// punctuation allowed), or one followed by the scale's number for it, as the LAC 2012-13
/// tables print them ("Inadequate (Grade 4)", "Inadequate Grade 4"). A number that is not the
/// phrase's own is no grade.
pub fn cell_grade(text: &str) -> Option<Grade> {
    let t = fold(text);
    let t = t.trim_end_matches(|c: char| c == '.' || c == ',' || c == ';' || c.is_whitespace());
    let (t, number) = grade_number(t);
    if t.chars().any(|c| !(c.is_alphabetic() || c == ' ')) {
        return None;
    }
    let words: Vec<&str> = t.split(' ').collect();
    let grade = GRADE_PHRASES
        .iter()
        .find(|(p, _)| p.len() == words.len() && p.iter().zip(&words).all(|(a, b)| a == b))
        .map(|(_, g)| *g)?;
    match number {
        Some(n) if Some(n) != grade.number() => None,
        _ => Some(grade),
    }
}

/// Splits "inadequate (grade 4)" or "inadequate grade 4" into the phrase and the number.
fn grade_number(t: &str) -> (&str, Option<u8>) {
    let inner = t.trim_end_matches(')').trim_end();
    let Some((before, number)) = inner.rsplit_once(' ') else {
        return (t, None);
    };
    let Ok(number) = number.parse::<u8>() else {
        return (t, None);
    };
    let before = before.trim_end();
    let closed = t.ends_with(')');
    let phrase = if closed {
        before.strip_suffix("(grade")
    } else {
        before.strip_suffix("grade")
    };
    match phrase {
        Some(phrase) if !phrase.trim().is_empty() => (phrase.trim_end(), Some(number)),
        _ => (t, None),
    }
}

/// Whether `text` could be the start of a grade phrase (a cell split over lines), the
/// phrase's "(Grade N)" included.
pub fn grade_prefix(text: &str) -> bool {
    let words = bare_words(text);
    let numbered = |p: &[&str]| {
        // The phrase, then "grade", then its number: a prefix of that.
        let rest = &words[p.len().min(words.len())..];
        words.len() > p.len()
            && p.iter().zip(&words).all(|(a, b)| *a == b.as_str())
            && rest.len() <= 2
            && rest.first().is_some_and(|w| w == "grade")
            && rest.get(1).is_none_or(|n| n.parse::<u8>().is_ok())
    };
    !words.is_empty()
        && GRADE_PHRASES.iter().any(|(p, _)| {
            (p.len() >= words.len() && p.iter().zip(&words).all(|(a, b)| *a == b.as_str()))
                || numbered(p)
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
        // The LAC tables print the scale's number after the word; it must be the word's own.
        assert_eq!(cell_grade("Inadequate (Grade 4)"), Some(Grade::Inadequate));
        assert_eq!(cell_grade("Inadequate Grade 4"), Some(Grade::Inadequate));
        assert_eq!(cell_grade("Adequate (grade 3)."), Some(Grade::Adequate));
        assert_eq!(cell_grade("Inadequate (Grade 2)"), None);
        assert_eq!(cell_grade("Grade 4"), None);
        assert_eq!(cell_grade("Inadequate 4"), None);
        assert!(grade_prefix("Inadequate (Grade"));
        assert!(grade_prefix("Inadequate Grade"));
        assert!(!grade_prefix("Grade 4"));
        assert!(!grade_prefix("Inadequate because"));
        assert!(grade_prefix("Requires improvement to"));
        assert!(!grade_prefix("to be good"));
    }
}
