//! Dates as the reports and tables print them: one date ("26 August 2016", "10/08/2015"), and
//! ranges of days ("6 to 17 December 2021", "14 April – 8 May 2015", "12/09/2016 to
//! 06/10/2016", "8-12 July 2013", "28 December – 8 January 2023", two periods joined by
//! "and").
//!
//! The grammar: a range is up to four periods joined by "and" or "&"; a period is one day, or
//! two joined by "to", "until" or any dash; a day is `D`, `D Month` or `D Month YYYY` (the
//! day may carry "st", "nd", "rd" or "th"), or `DD/MM/YYYY`. A day without its month or year
//! takes them from the next day that has them. A day without a year whose month comes after
//! the next day's month is in the year before ("28 December – 8 January 2023" starts in
//! 2022), but only where that puts it at most four months before the next day; otherwise the
//! text runs backwards ("8 February to 28 January 2019") and is refused. Days must never go
//! backwards. Anything else is refused: a range is never guessed.

use crate::names::fold;

/// A calendar day (proleptic Gregorian), in the years 1900 to 2200.
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
    /// A date, if the day exists and the year is between 1900 and 2200.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || !(1900..=2200).contains(&year) {
            return None;
        }
        (day <= days_in_month(year, month)).then_some(Date { year, month, day })
    }

    /// Days since 1 January 1970 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let year_of_era = y - era * 400;
        let day_of_year = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The days a text names: its first and last day, and how many periods it has (two for
/// "5 to 9 December 2022 and 14 to 15 February 2023").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateRange {
    /// The first day.
    pub start: Date,
    /// The last day.
    pub end: Date,
    /// The periods joined by "and", from 1.
    pub periods: usize,
}

/// The months' names, lower case, January first: the one month table.
pub const MONTHS: [&str; 12] = [
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

/// The month a word names: the full name or its first three letters ("Sept" too), any case,
/// a full stop after it allowed. "Decembre" names none.
pub fn month_number(word: &str) -> Option<u8> {
    let word = word.to_lowercase();
    let word = word.trim_end_matches('.');
    MONTHS
        .iter()
        .position(|month| {
            *month == word
                || (word.len() == 3 && month.starts_with(word))
                || (word == "sept" && *month == "september")
        })
        .map(|i| i as u8 + 1)
}

/// One date: "26 August 2016", "1st September 2014", "10/08/2015".
pub fn parse_date(text: &str) -> Option<Date> {
    match tokens(text)?.as_slice() {
        [Tok::Num(d), Tok::Month(m), Tok::Num(y)] => date(*y, *m, *d),
        [Tok::Numeric(d, m, y)] => date(*y, u8::try_from(*m).ok()?, *d),
        _ => None,
    }
}

/// The range of days a text names (see the module's grammar), or `None`.
pub fn parse_range(text: &str) -> Option<DateRange> {
    let tokens = tokens(text)?;
    let periods: Vec<&[Tok]> = tokens.split(|t| *t == Tok::And).collect();
    if periods.len() > 4 {
        return None;
    }
    // Every day as written, in order; `true` where a period starts.
    let mut written: Vec<(Written, bool)> = Vec::new();
    for period in &periods {
        let ends: Vec<&[Tok]> = period.split(|t| *t == Tok::To).collect();
        if ends.len() > 2 {
            return None;
        }
        for (i, end) in ends.iter().enumerate() {
            written.push((day_of(end)?, i == 0));
        }
    }
    // Months and years carry backwards from the days that have them.
    let mut days: Vec<Date> = Vec::with_capacity(written.len());
    let mut next: Option<Date> = None;
    for (day, _) in written.iter().rev() {
        let month = match (day.month, next) {
            (Some(month), _) => month,
            (None, Some(next)) => next.month,
            (None, None) => return None,
        };
        let (year, across_year_end) = match (day.year, next) {
            (Some(year), _) => (i32::try_from(year).ok()?, false),
            (None, Some(next)) if month > next.month => (next.year - 1, true),
            (None, Some(next)) => (next.year, false),
            (None, None) => return None,
        };
        let this = Date::new(year, month, u8::try_from(day.day).ok()?)?;
        if let Some(next) = next {
            if this > next {
                return None;
            }
            const FOUR_MONTHS: i64 = 122;
            if across_year_end && next.days_since_epoch() - this.days_since_epoch() > FOUR_MONTHS {
                return None;
            }
        }
        days.push(this);
        next = Some(this);
    }
    days.reverse();
    Some(DateRange {
        start: *days.first()?,
        end: *days.last()?,
        periods: written.iter().filter(|(_, starts)| *starts).count(),
    })
}

/// A day as written: the day of the month, and the month and year where given.
struct Written {
    day: u32,
    month: Option<u8>,
    year: Option<u32>,
}

fn day_of(tokens: &[Tok]) -> Option<Written> {
    let (day, month, year) = match *tokens {
        [Tok::Num(day)] => (day, None, None),
        [Tok::Num(day), Tok::Month(month)] => (day, Some(month), None),
        [Tok::Num(day), Tok::Month(month), Tok::Num(year)] => (day, Some(month), Some(year)),
        [Tok::Numeric(day, month, year)] => (day, Some(u8::try_from(month).ok()?), Some(year)),
        _ => return None,
    };
    Some(Written { day, month, year })
}

fn date(year: u32, month: u8, day: u32) -> Option<Date> {
    Date::new(i32::try_from(year).ok()?, month, u8::try_from(day).ok()?)
}

fn days_in_month(year: i32, month: u8) -> u8 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Tok {
    Num(u32),
    Month(u8),
    /// `DD/MM/YYYY`.
    Numeric(u32, u32, u32),
    /// "to", "until", a dash.
    To,
    /// "and", "&".
    And,
}

fn tokens(text: &str) -> Option<Vec<Tok>> {
    // INVARIANT: `fold` made every kind of dash a hyphen.
    let spaced = fold(text).replace('-', " - ");
    let mut out = Vec::new();
    for word in spaced.split(' ') {
        let word = word.trim_matches(|c: char| matches!(c, ',' | '.' | '(' | ')'));
        if word.is_empty() {
            continue;
        }
        out.push(match word {
            "-" | "to" | "until" => Tok::To,
            "and" | "&" => Tok::And,
            _ => {
                if let Some(month) = month_number(word) {
                    Tok::Month(month)
                } else if word.contains('/') {
                    let fields: Vec<u32> = word.split('/').map(number).collect::<Option<_>>()?;
                    let [day, month, year] = fields[..] else {
                        return None;
                    };
                    Tok::Numeric(day, month, year)
                } else {
                    let digits = ["st", "nd", "rd", "th"]
                        .iter()
                        .find_map(|ordinal| word.strip_suffix(ordinal))
                        .unwrap_or(word);
                    Tok::Num(number(digits)?)
                }
            }
        });
    }
    Some(out)
}

/// A number of one to four digits.
fn number(digits: &str) -> Option<u32> {
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(year: i32, month: u8, day: u8) -> Date {
        Date::new(year, month, day).unwrap_or(Date {
            year: 0,
            month: 0,
            day: 0,
        })
    }

    #[track_caller]
    fn check(text: &str, start: Date, end: Date, periods: usize) {
        assert_eq!(
            parse_range(text),
            Some(DateRange {
                start,
                end,
                periods
            }),
            "{text}"
        );
    }

    #[test]
    fn every_shape_the_reports_and_tables_print() {
        check(
            "6 to 17 December 2021",
            day(2021, 12, 6),
            day(2021, 12, 17),
            1,
        );
        check(
            "17 March to 21 March 2025",
            day(2025, 3, 17),
            day(2025, 3, 21),
            1,
        );
        check(
            "16 April to 20 April 2018",
            day(2018, 4, 16),
            day(2018, 4, 20),
            1,
        );
        check(
            "14 April – 8 May 2015",
            day(2015, 4, 14),
            day(2015, 5, 8),
            1,
        );
        check(
            "05 July 2016–27 July 2016",
            day(2016, 7, 5),
            day(2016, 7, 27),
            1,
        );
        check(
            "22 February 2016–18 March 2016",
            day(2016, 2, 22),
            day(2016, 3, 18),
            1,
        );
        check(
            "12/09/2016 to 06/10/2016",
            day(2016, 9, 12),
            day(2016, 10, 6),
            1,
        );
        check(
            "1/06/2015 – 25/06/2015",
            day(2015, 6, 1),
            day(2015, 6, 25),
            1,
        );
        check("8-12 July 2013", day(2013, 7, 8), day(2013, 7, 12), 1);
        check("8 – 12 July 2013", day(2013, 7, 8), day(2013, 7, 12), 1);
        check("28 July 2016", day(2016, 7, 28), day(2016, 7, 28), 1);
        check("13 to 24 May 2024", day(2024, 5, 13), day(2024, 5, 24), 1);
        check(
            "24 November - 17 December 2015",
            day(2015, 11, 24),
            day(2015, 12, 17),
            1,
        );
        check(
            "19 November 2013 – 11 December 2013",
            day(2013, 11, 19),
            day(2013, 12, 11),
            1,
        );
        check(
            "8 June 2026 to 19 June 2026",
            day(2026, 6, 8),
            day(2026, 6, 19),
            1,
        );
        check("1st to 3rd Sept. 2019", day(2019, 9, 1), day(2019, 9, 3), 1);
        check("2 until 6 Dec 2019", day(2019, 12, 2), day(2019, 12, 6), 1);
        check(
            "5 to 9 December 2022 and 14 to 15 February 2023",
            day(2022, 12, 5),
            day(2023, 2, 15),
            2,
        );
        check(
            "30 September to 11 October 2024 and 13 to 16 January 2025",
            day(2024, 9, 30),
            day(2025, 1, 16),
            2,
        );
        check(
            "30 September to 11 October and 13 to 16 January 2025",
            day(2024, 9, 30),
            day(2025, 1, 16),
            2,
        );
    }

    #[test]
    fn every_dash_means_to() {
        for dash in [
            '-', '\u{2012}', '\u{2013}', '\u{2014}', '\u{2500}', '\u{2212}',
        ] {
            for text in [
                format!("20 June 2017 {dash} 13 July 2017"),
                format!("8{dash}12 July 2013"),
            ] {
                let range = parse_range(&text);
                assert!(range.is_some(), "{text}");
                assert!(range.is_some_and(|r| r.start < r.end), "{text}");
            }
        }
    }

    #[test]
    fn a_range_across_a_year_end_starts_in_the_year_before() {
        check(
            "28 December – 8 January 2023",
            day(2022, 12, 28),
            day(2023, 1, 8),
            1,
        );
        check(
            "30 November to 2 January 2019",
            day(2018, 11, 30),
            day(2019, 1, 2),
            1,
        );
    }

    #[test]
    fn a_range_that_runs_backwards_is_refused() {
        for text in [
            "8 February to 28 January 2019",
            "20 May to 16 April 2018",
            "20 May 2018 to 16 April 2018",
            "28 to 3 January 2023",
            "06/10/2016 to 12/09/2016",
            "14 to 15 February 2023 and 5 to 9 December 2022",
        ] {
            assert_eq!(parse_range(text), None, "{text}");
        }
    }

    #[test]
    fn anything_else_is_refused() {
        for text in [
            "",
            "30 November to 2 December",
            "6 to 17 Decembre 2021",
            "31 February 2014",
            "1 to 2 to 3 May 2020",
            "12/09 to 06/10/2016",
            "May 2020",
            "mid-September 2020",
            "1 and 2 and 3 and 4 and 5 May 2020",
            "12345 May 2020",
            "1 May 20",
        ] {
            assert_eq!(parse_range(text), None, "{text}");
        }
    }

    #[test]
    fn one_date() {
        assert_eq!(parse_date("10/08/2015"), Some(day(2015, 8, 10)));
        assert_eq!(parse_date("01 September 2014"), Some(day(2014, 9, 1)));
        assert_eq!(parse_date("26th August 2016."), Some(day(2016, 8, 26)));
        assert_eq!(parse_date("31 February 2014"), None);
        assert_eq!(parse_date("1 to 2 May 2014"), None);
    }

    #[test]
    fn months_by_name_and_abbreviation() {
        assert_eq!(month_number("December"), Some(12));
        assert_eq!(month_number("SEPT."), Some(9));
        assert_eq!(month_number("mar"), Some(3));
        assert_eq!(month_number("Decembre"), None);
        assert_eq!(month_number("ma"), None);
        assert_eq!(month_number("marc"), None);
    }

    #[test]
    fn days_since_the_epoch() {
        assert_eq!(day(1970, 1, 1).days_since_epoch(), 0);
        assert_eq!(day(2000, 3, 1).days_since_epoch(), 11_017);
        assert_eq!(day(1969, 12, 31).days_since_epoch(), -1);
    }

    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];

    fn any_day() -> impl Strategy<Value = Date> {
        (1990i32..2030, 1u8..=12, 1u8..=31).prop_map(|(y, m, d)| {
            Date::new(y, m, d.min(days_in_month(y, m))).unwrap_or(Date {
                year: 2000,
                month: 1,
                day: 1,
            })
        })
    }

    fn long(date: Date) -> String {
        format!(
            "{} {} {}",
            date.day,
            NAMES[usize::from(date.month) - 1],
            date.year
        )
    }

    proptest! {
        #[test]
        fn a_range_written_any_way_reads_back(a in any_day(), b in any_day(), dash in 0usize..4) {
            let (start, end) = if a <= b { (a, b) } else { (b, a) };
            let to = ["to", "-", "\u{2013}", "\u{2014}"][dash];
            let range = Some(DateRange { start, end, periods: 1 });
            prop_assert_eq!(parse_range(&format!("{} {to} {}", long(start), long(end))), range);
            prop_assert_eq!(
                parse_range(&format!("{:02}/{:02}/{} {to} {:02}/{:02}/{}", start.day, start.month, start.year, end.day, end.month, end.year)),
                range
            );
            if start.year == end.year {
                let short = format!("{} {} {to} {}", start.day, NAMES[usize::from(start.month) - 1], long(end));
                prop_assert_eq!(parse_range(&short), range);
            }
            if start.year == end.year && start.month == end.month {
                // A dash may stand between the days without spaces; a word may not.
                let tight = if to == "to" { " to " } else { to };
                prop_assert_eq!(parse_range(&format!("{}{tight}{}", start.day, long(end))), range);
            }
            if start < end {
                // Backwards, it is refused.
                prop_assert_eq!(parse_range(&format!("{} {to} {}", long(end), long(start))), None);
            }
        }

        #[test]
        fn a_range_read_never_runs_backwards(text in "[0-9]{1,2}( [A-Za-z]{3,9})?( (19|20)[0-9]{2})?( (to|-|and) [0-9]{1,2}( [A-Za-z]{3,9})?( (19|20)[0-9]{2})?){0,3}") {
            if let Some(range) = parse_range(&text) {
                prop_assert!(range.start <= range.end);
                prop_assert!(range.periods >= 1 && range.periods <= 4);
            }
        }

        #[test]
        fn any_text_is_read_or_refused(text in "\\PC{0,60}") {
            let _ = parse_range(&text);
            let _ = parse_date(&text);
        }
    }
}
