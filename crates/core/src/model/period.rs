//! When rules are in force and when assessments were made: spans of days and periods.

use std::fmt;

use chrono::{Datelike, NaiveDate};

/// The days a rule set is in force: from a first day, to a last day or still in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// The first day.
    pub start: NaiveDate,
    /// The last day, or `None` while still in force.
    pub end: Option<NaiveDate>,
}

/// When an assessment was made: a year (the annual frameworks) or a day (an inspection).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    /// A whole year: checked against the rule sets in force all that year.
    Year(i32),
    /// One day: checked against the rule sets in force that day.
    Date(NaiveDate),
}

impl Span {
    /// The span of whole years `from` to `to`.
    pub fn years(from: i32, to: i32) -> Option<Span> {
        Some(Span {
            start: NaiveDate::from_ymd_opt(from, 1, 1)?,
            end: Some(NaiveDate::from_ymd_opt(to, 12, 31)?),
        })
    }

    /// Whether the span includes a day.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && self.end.is_none_or(|end| day <= end)
    }

    /// Whether the span includes every day of a year.
    pub fn covers_year(&self, year: i32) -> bool {
        match (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) {
            (Some(first), Some(last)) => self.contains(first) && self.contains(last),
            _ => false,
        }
    }

    /// Whether the span includes some day of a year.
    pub fn touches_year(&self, year: i32) -> bool {
        self.start.year() <= year && self.end.is_none_or(|end| end.year() >= year)
    }

    /// Whether the span is made of whole years.
    pub fn whole_years(&self) -> bool {
        self.start.month() == 1
            && self.start.day() == 1
            && self
                .end
                .is_none_or(|end| end.month() == 12 && end.day() == 31)
    }
}

/// `2007`, `2007–2008`, `2023-01-01 to 2026-03-31`, `from 2026-04-01`.
impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.end {
            None if self.start.month() == 1 && self.start.day() == 1 => {
                write!(f, "from {}", self.start.year())
            }
            None => write!(f, "from {}", self.start),
            Some(end) if self.whole_years() => {
                if self.start.year() == end.year() {
                    write!(f, "{}", end.year())
                } else {
                    write!(f, "{}–{}", self.start.year(), end.year())
                }
            }
            Some(end) => write!(f, "{} to {end}", self.start),
        }
    }
}

impl Period {
    /// The calendar year of the period.
    pub fn year(&self) -> i32 {
        match self {
            Period::Year(year) => *year,
            Period::Date(day) => day.year(),
        }
    }

    /// The day, for a dated period.
    pub fn date(&self) -> Option<NaiveDate> {
        match self {
            Period::Year(_) => None,
            Period::Date(day) => Some(*day),
        }
    }
}

/// `2008` or `2024-05-01`.
impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Year(year) => write!(f, "{year}"),
            Period::Date(day) => write!(f, "{day}"),
        }
    }
}
