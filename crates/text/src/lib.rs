//! Words and dates as the published documents write them, read one way everywhere: the one
//! month table and date-range grammar ([`parse_range`], [`parse_date`]) and the one name
//! normaliser ([`fold`], [`name_words`]) that the PDF reader (`ratings-pdf`) and the record
//! readers (`ratings-check`) share, so that the same text never reads two ways.
//!
//! No dependency, no I/O; every function is pure and total (it returns `None` rather than
//! guess, and never panics).
//!
//! ```
//! use ratings_text::{parse_range, Date};
//!
//! let range = parse_range("28 December – 8 January 2023").expect("a range");
//! assert_eq!(range.start, Date::new(2022, 12, 28).expect("a day"));
//! assert_eq!(range.end, Date::new(2023, 1, 8).expect("a day"));
//! // A range that runs backwards is refused, never read.
//! assert_eq!(parse_range("20 May to 16 April 2018"), None);
//! ```

mod dates;
mod names;

pub use dates::{month_number, parse_date, parse_range, Date, DateRange, MONTHS};
pub use names::{fold, name_words};
