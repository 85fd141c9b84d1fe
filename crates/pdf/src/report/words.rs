//! Page text in the form the report parser works on, and the grade vocabulary.

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

/// Lower case, typographic quotes and dashes made plain, spaces collapsed.
pub fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{02bc}' | '`' | '\u{b4}' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{2500}' => '-',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.extend(c.to_lowercase());
    }
    out
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
    norm(s)
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
    let t = norm(text);
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

/// A calendar date (proleptic Gregorian).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// The year.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u8,
    /// The day of the month.
    pub day: u8,
}

impl Date {
    /// A date, if the day exists.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || !(1900..=2200).contains(&year) {
            return None;
        }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = [
            31,
            if leap { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ][month as usize - 1];
        if day > days {
            return None;
        }
        Some(Date { year, month, day })
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

pub fn month_number(w: &str) -> Option<u8> {
    const M: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let w = w.to_lowercase();
    let w = w.trim_end_matches('.');
    M.iter()
        .position(|m| {
            *m == w
                || (w.len() >= 3 && w != "mar" && m.starts_with(w) && w.len() <= 4)
                || (w == "mar" && *m == "march")
        })
        .map(|i| i as u8 + 1)
}

#[derive(Debug, PartialEq)]
enum DTok {
    Num(u32),
    Month(u8),
    Numeric(u32, u32, u32),
    Sep,
    And,
}

fn date_tokens(s: &str) -> Option<Vec<DTok>> {
    let n = norm(s);
    let mut out = Vec::new();
    // Separate dashes and slashes-dates from words.
    let spaced = n.replace(['-', '\u{2013}', '\u{2014}'], " - ");
    for w in spaced.split(' ').filter(|w| !w.is_empty()) {
        let w = w.trim_matches(|c: char| c == ',' || c == '.' || c == '(' || c == ')');
        if w.is_empty() {
            continue;
        }
        if w == "-" || w == "to" || w == "until" {
            out.push(DTok::Sep);
        } else if w == "and" || w == "&" {
            out.push(DTok::And);
        } else if let Some(m) = month_number(w) {
            out.push(DTok::Month(m));
        } else if w.contains('/') {
            let parts: Vec<&str> = w.split('/').collect();
            if parts.len() != 3 {
                return None;
            }
            let v: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
            if v.len() != 3 {
                return None;
            }
            out.push(DTok::Numeric(v[0], v[1], v[2]));
        } else {
            let d = w
                .trim_end_matches("st")
                .trim_end_matches("nd")
                .trim_end_matches("rd")
                .trim_end_matches("th");
            match d.parse::<u32>() {
                Ok(v) if d.len() <= 4 => out.push(DTok::Num(v)),
                _ => return None,
            }
        }
    }
    Some(out)
}

/// One date: "26 August 2016", "10/08/2015", "01 September 2014".
pub fn parse_date(s: &str) -> Option<Date> {
    let t = date_tokens(s)?;
    match t.as_slice() {
        [DTok::Num(d), DTok::Month(m), DTok::Num(y)] => Date::new(*y as i32, *m, *d as u8),
        [DTok::Numeric(d, m, y)] => Date::new(*y as i32, *m as u8, *d as u8),
        _ => None,
    }
}

/// A date range: "16 April to 20 April 2018", "8 – 12 July 2013", "13 to 24 May 2024",
/// "1/06/2015 – 25/06/2015", "25 April – 18 May 2017", and two ranges joined by "and"
/// (first start to last end). The bool says whether there were two ranges.
pub fn parse_range(s: &str) -> Option<(Date, Date, bool)> {
    let t = date_tokens(s)?;
    let parts: Vec<&[DTok]> = t.split(|x| *x == DTok::And).collect();
    if parts.len() > 2 {
        return None;
    }
    let mut ranges = Vec::new();
    for p in &parts {
        ranges.push(one_range(p)?);
    }
    let first = ranges.first()?;
    let last = ranges.last()?;
    if first.0 > last.1 {
        return None;
    }
    Some((first.0, last.1, ranges.len() == 2))
}

fn one_range(t: &[DTok]) -> Option<(Date, Date)> {
    use DTok::*;
    let (a, b) = match t {
        [Num(d1), Month(m1), Num(y1), Sep, Num(d2), Month(m2), Num(y2)] => (
            Date::new(*y1 as i32, *m1, *d1 as u8)?,
            Date::new(*y2 as i32, *m2, *d2 as u8)?,
        ),
        [Num(d1), Month(m1), Sep, Num(d2), Month(m2), Num(y2)] => {
            let end = Date::new(*y2 as i32, *m2, *d2 as u8)?;
            let y1 = if *m1 > *m2 {
                *y2 as i32 - 1
            } else {
                *y2 as i32
            };
            (Date::new(y1, *m1, *d1 as u8)?, end)
        }
        [Num(d1), Sep, Num(d2), Month(m2), Num(y2)] => (
            Date::new(*y2 as i32, *m2, *d1 as u8)?,
            Date::new(*y2 as i32, *m2, *d2 as u8)?,
        ),
        [Numeric(d1, m1, y1), Sep, Numeric(d2, m2, y2)] => (
            Date::new(*y1 as i32, *m1 as u8, *d1 as u8)?,
            Date::new(*y2 as i32, *m2 as u8, *d2 as u8)?,
        ),
        _ => return None,
    };
    if a > b {
        return None;
    }
    Some((a, b))
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

    #[test]
    fn dates() {
        let d = |y, m, d| Date::new(y, m, d).unwrap();
        assert_eq!(
            parse_range("16 April to 20 April 2018"),
            Some((d(2018, 4, 16), d(2018, 4, 20), false))
        );
        assert_eq!(
            parse_range("8 – 12 July 2013"),
            Some((d(2013, 7, 8), d(2013, 7, 12), false))
        );
        assert_eq!(
            parse_range("1/06/2015 – 25/06/2015"),
            Some((d(2015, 6, 1), d(2015, 6, 25), false))
        );
        assert_eq!(
            parse_range("22 February 2016–18 March 2016"),
            Some((d(2016, 2, 22), d(2016, 3, 18), false))
        );
        assert_eq!(
            parse_range("20 June 2017 ─ 13 July 2017"),
            Some((d(2017, 6, 20), d(2017, 7, 13), false))
        );
        assert_eq!(
            parse_range("24 November - 17 December 2015"),
            Some((d(2015, 11, 24), d(2015, 12, 17), false))
        );
        assert_eq!(
            parse_range("30 September to 11 October 2024 and 13 to 16 January 2025"),
            Some((d(2024, 9, 30), d(2025, 1, 16), true))
        );
        assert_eq!(
            parse_range("19 November 2013 – 11 December 2013"),
            Some((d(2013, 11, 19), d(2013, 12, 11), false))
        );
        assert_eq!(parse_range("30 November to 2 December"), None);
        assert_eq!(parse_date("10/08/2015"), Some(d(2015, 8, 10)));
        assert_eq!(parse_date("01 September 2014"), Some(d(2014, 9, 1)));
        assert_eq!(parse_date("31 February 2014"), None);
    }
}
