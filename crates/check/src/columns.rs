//! Wide tables: one inspection a row and one judgement a column, with grades as words, as
//! Ofsted's own management information and the tables in `maps/` are laid out. A column map
//! (TOML) names the authority column, the date column and how to read it, the source, the
//! columns to ignore, the cell values that mean "not published", and a judgement id for each
//! judgement column.
//!
//! Each row becomes one record, checked like any other. A column the map does not name is
//! reported at its header cell and left out (the rows are still checked, and the run exits 2);
//! an unparseable date or an unmapped grade rejects only its row, with its position.

use std::collections::HashMap;

use chrono::NaiveDate;
use ratings_core::toml_table::{self, Table};
use ratings_core::{shown, Code, Period, Problem, RuleBook, SourceText};
use toml::Spanned;

use crate::read_csv::{blank_record, field_offset, rows, RowRead};
use crate::record::{Record, Source, WrittenGrade, WrittenPeriod, WrittenValue};

/// How to read a wide table.
#[derive(Debug, Clone)]
pub struct ColumnMap {
    /// The map's file name, for messages.
    pub name: String,
    comment: Option<String>,
    authority: String,
    date: DateColumn,
    document: String,
    locator: Option<String>,
    ignore: Vec<String>,
    not_published: Vec<String>,
    /// Column name to the judgement ids it may mean (the first in force on the row's date).
    columns: Vec<(String, Vec<String>)>,
}

#[derive(Debug, Clone)]
struct DateColumn {
    column: String,
    parse: DateParse,
    fallback: Option<(String, String)>,
}

#[derive(Debug, Clone)]
enum DateParse {
    /// One date a cell, in a chrono format such as `%d %B %Y`.
    Format(String),
    /// A range such as `17 March to 21 March 2025`: its first or last day.
    Range { start: bool },
}

const MAP_KEYS: &[&str] = &[
    "comment",
    "authority",
    "date",
    "source",
    "ignore",
    "not_published",
    "columns",
];
const HELP: &str = "a column map names `authority`, `date = { column, format }` (or `parse = \"range\"`), `source = { document, locator }`, `ignore`, `not_published` and `[columns]`; see docs/records.md";

impl ColumnMap {
    /// Of several maps, the one for a table: the first whose layout the header is (every
    /// column it names is there and it reads every column there), else the map that names
    /// most of the header's columns (the first of those, on a tie). With one map, that map,
    /// whatever the table.
    pub fn choose<'m>(maps: &'m [ColumnMap], text: &SourceText) -> Option<&'m ColumnMap> {
        if let [only] = maps {
            return Some(only);
        }
        let mut best: Option<(&ColumnMap, usize)> = None;
        for map in maps {
            let (_, header, _) = map.header(text);
            let header: Vec<&str> = header
                .split(',')
                .map(|h| h.trim().trim_matches('"'))
                .collect();
            let named = header.iter().filter(|h| map.names(h)).count();
            let present = |column: &str| header.contains(&column);
            let fits = named == header.len()
                && present(&map.authority)
                && present(&map.date.column)
                && map.columns.iter().all(|(column, _)| present(column));
            if fits {
                return Some(map);
            }
            if best.is_none_or(|(_, most)| named > most) {
                best = Some((map, named));
            }
        }
        best.map(|(map, _)| map)
    }

    /// The header of a table read through this map: its line (after the comment lines), its
    /// text without a byte-order mark, and that text's offset.
    fn header<'t>(&self, text: &'t SourceText) -> (usize, &'t str, usize) {
        // Skip comment lines before the header.
        let mut line = 1;
        while let Some(prefix) = &self.comment {
            let span = text.line_span(line);
            if span.is_empty() && span.start >= text.text.len() {
                break;
            }
            if text.text[span.clone()]
                .trim_start_matches('\u{feff}')
                .starts_with(prefix.as_str())
            {
                line += 1;
            } else {
                break;
            }
        }
        let header_span = text.line_span(line);
        let header_text = text.text[header_span.clone()].trim_start_matches('\u{feff}');
        let offset = header_span.end - header_text.len();
        (line, header_text, offset)
    }

    /// Whether the map names a column (to read, or to ignore).
    fn names(&self, column: &str) -> bool {
        column == self.authority
            || column == self.date.column
            || self
                .date
                .fallback
                .as_ref()
                .is_some_and(|(c, _)| c == column)
            || self.locator.as_deref() == Some(column)
            || self.ignore.iter().any(|c| c == column)
            || self.columns.iter().any(|(c, _)| c == column)
    }

    /// A map from its TOML text, or every problem with it.
    pub fn from_toml(source: &SourceText) -> Result<ColumnMap, Vec<Problem>> {
        let mut problems = Vec::new();
        let Some(root) = toml_table::parse(source, Code::InvalidMap, HELP, &mut problems) else {
            return Err(problems);
        };
        let map = Table::root(source, &root, "a column map");
        map.check_keys(MAP_KEYS, &mut problems);
        map.require(
            &["authority", "date", "source", "columns"],
            HELP,
            &mut problems,
        );
        let comment = map
            .string("comment", &mut problems)
            .map(Spanned::into_inner);
        let authority = map
            .string("authority", &mut problems)
            .map(Spanned::into_inner);
        let date = map.get("date").and_then(|value| {
            let table = Table::of(source, value, "`date`", &mut problems)?;
            table.check_keys(&["column", "format", "parse", "take", "fallback"], &mut problems);
            table.require(&["column"], "write `date = { column = \"report_published\", format = \"%d %B %Y\" }`", &mut problems);
            let column = table.string("column", &mut problems)?.into_inner();
            let parse = match (table.string("format", &mut problems), table.string("parse", &mut problems)) {
                (Some(format), None) => DateParse::Format(format.into_inner()),
                (None, Some(parse)) if parse.get_ref() == "range" => {
                    let take = table.string("take", &mut problems);
                    DateParse::Range {
                        start: take.as_ref().is_none_or(|t| t.get_ref() != "end"),
                    }
                }
                _ => {
                    problems.push(
                        Problem::at(Code::InvalidMap, source, table.header(), "`date` needs one of `format` (such as \"%d %B %Y\") or `parse = \"range\"`")
                            .with_help(HELP),
                    );
                    return None;
                }
            };
            let fallback = table.get("fallback").and_then(|value| {
                let fallback = Table::of(source, value, "`fallback`", &mut problems)?;
                fallback.check_keys(&["column", "format"], &mut problems);
                fallback.require(&["column", "format"], "", &mut problems);
                Some((
                    fallback.string("column", &mut problems)?.into_inner(),
                    fallback.string("format", &mut problems)?.into_inner(),
                ))
            });
            Some(DateColumn { column, parse, fallback })
        });
        let (document, locator) = match map.get("source") {
            Some(value) => match Table::of(source, value, "`source`", &mut problems) {
                Some(table) => {
                    table.check_keys(&["document", "locator"], &mut problems);
                    table.require(
                        &["document"],
                        "write `source = { document = \"registry-id\", locator = \"column\" }`",
                        &mut problems,
                    );
                    (
                        table
                            .string("document", &mut problems)
                            .map(Spanned::into_inner),
                        table
                            .string("locator", &mut problems)
                            .map(Spanned::into_inner),
                    )
                }
                None => (None, None),
            },
            None => (None, None),
        };
        let ignore = map
            .strings("ignore", &mut problems)
            .unwrap_or_default()
            .into_iter()
            .map(Spanned::into_inner)
            .collect();
        let not_published = map
            .strings("not_published", &mut problems)
            .unwrap_or_default()
            .into_iter()
            .map(|s| s.into_inner().trim().to_lowercase())
            .collect();
        let mut columns = Vec::new();
        if let Some(value) = map.get("columns") {
            if let Some(table) = Table::of(source, value, "`columns`", &mut problems) {
                for (column, ids) in table.entries.iter() {
                    let name: &str = column.get_ref();
                    let ids: Vec<String> = match ids.get_ref() {
                        toml::de::DeValue::String(id) => vec![id.to_string()],
                        toml::de::DeValue::Array(items) => items
                            .iter()
                            .filter_map(|i| i.get_ref().as_str().map(str::to_owned))
                            .collect(),
                        _ => Vec::new(),
                    };
                    if ids.is_empty() {
                        let span = table.get(name).map_or(table.header(), |v| v.span());
                        problems.push(
                            Problem::at(
                                Code::InvalidMap,
                                source,
                                span,
                                format!("column `{}` maps to no judgement id", shown(name)),
                            )
                            .with_help(
                                "write `column = \"framework.judgement\"`, or a list of ids",
                            ),
                        );
                        continue;
                    }
                    columns.push((name.to_owned(), ids));
                }
            }
        }
        match (authority, date, document, problems.is_empty()) {
            (Some(authority), Some(date), Some(document), true) => Ok(ColumnMap {
                name: source.name.clone(),
                comment,
                authority,
                date,
                document,
                locator,
                ignore,
                not_published,
                columns,
            }),
            _ => Err(problems),
        }
    }
}

/// What reading a wide table gave besides its records: columns left out.
#[derive(Debug, Default)]
pub struct WideRead {
    /// The header's columns that the map does not name, each a problem at its cell.
    pub unknown_columns: Vec<Problem>,
    /// Why the file could not be read at all.
    pub unreadable: Option<Problem>,
}

/// Read a wide table row by row, handing each row to `sink` as a record.
pub fn read_wide(
    text: &SourceText,
    map: &ColumnMap,
    book: &RuleBook,
    sink: &mut dyn FnMut(Record),
) -> WideRead {
    let mut read = WideRead::default();
    if let Some(problem) = crate::read_csv::empty(text) {
        read.unreadable = Some(problem);
        return read;
    }
    let (line, header_text, offset) = map.header(text);
    let header_span = text.line_span(line);
    let header: Vec<String> = header_text
        .split(',')
        .map(|h| h.trim().trim_matches('"').to_owned())
        .collect();
    for (index, column) in header.iter().enumerate() {
        if !map.names(column) {
            let (at, length) = field_offset(header_text, index);
            read.unknown_columns.push(
                Problem::at(
                    Code::InvalidCsv,
                    text,
                    offset + at..offset + at + length,
                    format!(
                        "the column `{}` is not in the map `{}`: its cells are not read",
                        shown(column),
                        map.name
                    ),
                )
                .with_help("name it in the map's `[columns]`, or list it in `ignore`"),
            );
        }
    }
    let position = |column: &str| header.iter().position(|h| h == column);
    let mut missing: Vec<&str> = Vec::new();
    let authority_at = position(&map.authority);
    if authority_at.is_none() {
        missing.push(&map.authority);
    }
    let date_at = position(&map.date.column);
    if date_at.is_none() {
        missing.push(&map.date.column);
    }
    for (column, _) in &map.columns {
        if position(column).is_none() {
            missing.push(column);
        }
    }
    if !missing.is_empty() {
        read.unreadable = Some(
            Problem::at(
                Code::InvalidCsv,
                text,
                header_span,
                format!(
                    "the header has no {} that the map `{}` names",
                    toml_table::quoted_list(&missing),
                    map.name
                ),
            )
            .with_help("use the map made for this table's layout"),
        );
        return read;
    }
    let fallback_at = map.date.fallback.as_ref().and_then(|(c, _)| position(c));
    let locator_at = map.locator.as_deref().and_then(position);
    let columns: Vec<(usize, &Vec<String>)> = map
        .columns
        .iter()
        .filter_map(|(c, ids)| Some((position(c)?, ids)))
        .collect();
    let mut in_force: HashMap<NaiveDate, Option<Vec<String>>> = HashMap::new();
    // The judgements of the rules in force, by the rules' key: many days share them.
    let mut by_key: HashMap<Vec<usize>, Option<Vec<String>>> = HashMap::new();
    let body = text.line_span(line + 1).start.max(header_span.end);
    rows(text, body, header.len(), &mut |row| match row {
        RowRead::Bad(problem) => {
            let span = problem.line.map_or(0..0, |l| text.line_span(l));
            let mut record = blank_record(text, span);
            record.problems.push(problem);
            sink(record);
        }
        RowRead::Row(row) => {
            let cell_span = |index: usize| {
                let (at, length) = field_offset(row.line_text, index);
                row.span.start + at..row.span.start + at + length
            };
            let cell = |index: usize| row.fields.get(index).unwrap_or("").trim().to_owned();
            let mut record = blank_record(text, row.span.clone());
            if row.fields.len() != header.len() {
                record.problems.push(Problem::at(
                    Code::InvalidCsv,
                    text,
                    row.span.clone(),
                    format!(
                        "the row has {} fields, not the {} of the header",
                        row.fields.len(),
                        header.len()
                    ),
                ));
                sink(record);
                return;
            }
            if let Some(at) = authority_at {
                record.authority = Some(Spanned::new(cell_span(at), cell(at)));
            }
            let (date_index, date_text, parse) = match date_at {
                Some(at) if !cell(at).is_empty() => (at, cell(at), map.date.parse.clone()),
                _ => match (&map.date.fallback, fallback_at) {
                    (Some((_, format)), Some(at)) => {
                        (at, cell(at), DateParse::Format(format.clone()))
                    }
                    _ => (date_at.unwrap_or(0), String::new(), map.date.parse.clone()),
                },
            };
            let day = parse_date(&date_text, &parse);
            match day {
                Some(day) => {
                    record.period = Some(Spanned::new(
                        cell_span(date_index),
                        WrittenPeriod::Date(day),
                    ))
                }
                None => {
                    record.problems.push(
                        Problem::at(
                            Code::InvalidDate,
                            text,
                            cell_span(date_index),
                            if date_text.is_empty() {
                                "the row has no date".to_owned()
                            } else {
                                format!("`{}` is not a date the map can read", shown(&date_text))
                            },
                        )
                        .with_help(match &parse {
                            DateParse::Format(format) => format!("the map reads this column with the format `{format}`"),
                            DateParse::Range { .. } => "the map reads this column as a range of days, such as `17 March to 21 March 2025`".to_owned(),
                        }),
                    );
                    sink(record);
                    return;
                }
            }
            let declared = day.and_then(|day| {
                in_force
                    .entry(day)
                    .or_insert_with(|| {
                        by_key
                            .entry(book.in_force_key(Period::Date(day)))
                            .or_insert_with(|| {
                                book.in_force(Period::Date(day)).ok().map(|rules| {
                                    rules
                                        .judgement_ids()
                                        .into_iter()
                                        .map(str::to_owned)
                                        .collect()
                                })
                            })
                            .clone()
                    })
                    .clone()
            });
            record.source = Source {
                document: map.document.clone(),
                locator: locator_at.map_or_else(|| format!("line {}", row.line), cell),
            };
            for (index, ids) in &columns {
                let value = cell(*index);
                if map.not_published.contains(&value.to_lowercase()) {
                    continue;
                }
                let id = ids
                    .iter()
                    .find(|id| declared.as_ref().is_some_and(|d| d.contains(id)))
                    .unwrap_or(&ids[0]);
                let span = cell_span(*index);
                record.grades.push(WrittenGrade {
                    judgement: Spanned::new(span.clone(), id.clone()),
                    value: Spanned::new(span, WrittenValue::Text(value)),
                });
            }
            sink(record);
        }
    });
    read
}

/// A date in a cell: by a chrono format, or as the first or last day of a range.
fn parse_date(text: &str, parse: &DateParse) -> Option<NaiveDate> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match parse {
        DateParse::Format(format) => NaiveDate::parse_from_str(text, format).ok(),
        DateParse::Range { start } => {
            let days = range_days(text)?;
            if *start {
                days.first().copied()
            } else {
                days.last().copied()
            }
        }
    }
}

/// The days a range names, in order: `6 to 17 December 2021`, `14 April – 8 May 2015`,
/// `12/09/2016 to 06/10/2016`, two ranges joined by `and`. A part without its month or year
/// takes them from the next part that has them.
fn range_days(text: &str) -> Option<Vec<NaiveDate>> {
    let mut normal = text.to_lowercase();
    for dash in ['\u{2013}', '\u{2014}', '\u{2500}', '-'] {
        normal = normal.replace(dash, " to ");
    }
    let normal = normal.replace(" and ", " to ");
    struct Part {
        day: u32,
        month: Option<u32>,
        year: Option<i32>,
    }
    let mut parts = Vec::new();
    for piece in normal
        .split(" to ")
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        if piece.contains('/') {
            let fields: Vec<&str> = piece.split('/').collect();
            let [day, month, year] = fields.as_slice() else {
                return None;
            };
            parts.push(Part {
                day: day.parse().ok()?,
                month: Some(month.parse().ok()?),
                year: Some(year.parse().ok()?),
            });
            continue;
        }
        let words: Vec<&str> = piece.split_whitespace().collect();
        let (day, month, year) = match words.as_slice() {
            [day] => (day, None, None),
            [day, month] => (day, Some(month), None),
            [day, month, year] => (day, Some(month), Some(year)),
            _ => return None,
        };
        parts.push(Part {
            day: day.parse().ok()?,
            month: match month {
                Some(name) => Some(month_number(name)?),
                None => None,
            },
            year: match year {
                Some(year) => Some(year.parse().ok()?),
                None => None,
            },
        });
    }
    // Months and years carry backwards from the parts that have them.
    let (mut month, mut year) = (None, None);
    let mut days = Vec::new();
    for part in parts.iter().rev() {
        month = part.month.or(month);
        year = part.year.or(year);
        days.push(NaiveDate::from_ymd_opt(year?, month?, part.day)?);
    }
    days.reverse();
    (!days.is_empty()).then_some(days)
}

fn month_number(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
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
    MONTHS.iter().position(|m| *m == name).map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn map(columns: &str) -> ColumnMap {
        let text = format!(
            "authority = \"la\"\ndate = {{ column = \"date\", format = \"%Y-%m-%d\" }}\nsource = {{ document = \"d\" }}\n[columns]\n{columns}"
        );
        ColumnMap::from_toml(&SourceText::new("map.toml", &text)).unwrap_or_else(|problems| {
            panic!(
                "{}",
                problems
                    .iter()
                    .map(Problem::render)
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        })
    }

    #[test]
    fn a_table_is_read_through_the_map_whose_layout_it_is() {
        let table = SourceText::new("t.csv", "la,date,overall\nLeeds,2020-01-01,good\n");
        // Names every column of the table, but needs one the table lacks.
        let wider = map(
            "overall = \"ilacs.overall_effectiveness\"\nleaders = \"ilacs.impact_of_leaders\"\n",
        );
        let exact = map("overall = \"ilacs.overall_effectiveness\"\n");
        let other = map("grade = \"sif.overall_effectiveness\"\n");
        let maps = [wider.clone(), exact.clone(), other.clone()];
        let chosen = ColumnMap::choose(&maps, &table).map(|m| m.columns.clone());
        assert_eq!(chosen, Some(exact.columns.clone()));
        // No map's layout: the one naming most of the header's columns, the first on a tie.
        let maps = [other.clone(), wider.clone()];
        let chosen = ColumnMap::choose(&maps, &table).map(|m| m.columns.clone());
        assert_eq!(chosen, Some(wider.columns.clone()));
        // One map is used whatever the table, so that the header is checked against it.
        let chosen =
            ColumnMap::choose(std::slice::from_ref(&other), &table).map(|m| m.columns.clone());
        assert_eq!(chosen, Some(other.columns));
    }

    #[test]
    fn ranges_in_every_shape_the_tables_use() {
        let start = DateParse::Range { start: true };
        let end = DateParse::Range { start: false };
        for (text, first, last) in [
            ("6 to 17 December 2021", day(2021, 12, 6), day(2021, 12, 17)),
            (
                "17 March to 21 March 2025",
                day(2025, 3, 17),
                day(2025, 3, 21),
            ),
            ("14 April – 8 May 2015", day(2015, 4, 14), day(2015, 5, 8)),
            (
                "05 July 2016–27 July 2016",
                day(2016, 7, 5),
                day(2016, 7, 27),
            ),
            (
                "12/09/2016 to 06/10/2016",
                day(2016, 9, 12),
                day(2016, 10, 6),
            ),
            ("8-12 July 2013", day(2013, 7, 8), day(2013, 7, 12)),
            ("28 July 2016", day(2016, 7, 28), day(2016, 7, 28)),
            (
                "5 to 9 December 2022 and 14 to 15 February 2023",
                day(2022, 12, 5),
                day(2023, 2, 15),
            ),
            (
                "20 June 2017 ─ 13 July 2017",
                day(2017, 6, 20),
                day(2017, 7, 13),
            ),
        ] {
            assert_eq!(parse_date(text, &start), Some(first), "{text}");
            assert_eq!(parse_date(text, &end), Some(last), "{text}");
        }
        assert_eq!(parse_date("6 to 17 Decembre 2021", &start), None);
        assert_eq!(
            parse_date("09 may 2025", &DateParse::Format("%d %B %Y".to_owned())),
            Some(day(2025, 5, 9))
        );
    }
}
