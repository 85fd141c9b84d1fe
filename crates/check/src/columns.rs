//! Wide tables: one inspection a row and one judgement a column, with grades as words, as
//! Ofsted's own management information and statistics are laid out. A column map (TOML) says
//! who each row is about (an `authority` column, or a `provider` with its URN, provision type
//! and attributes), the date column and how to read it, the source, the columns to ignore, the
//! cell values that mean "not published", and the judgement ids each judgement column may hold.
//!
//! Each row becomes one record, checked like any other, or a record counted as not graded (a
//! provider never inspected, an inspection that is not a full one). Header cells are compared
//! by their words (case, punctuation and spacing aside, and after any of the map's
//! `strip_prefix` words), and the header is the first line naming the map's subject and date
//! columns, so title lines above it and columns in another order or spelling are no obstacle.
//! A column the map does not name is reported at its header cell: with `unknown_columns =
//! "refuse"` the file is refused if any cell of the column is a grade (it may be a judgement the
//! map does not know), and the column left out with a warning if none is; else its cells are
//! left out and the run exits 2. A header
//! that names a column twice is refused. An unparseable date or an unmapped grade rejects only
//! its row, with its position.

use std::collections::HashMap;

use chrono::NaiveDate;
use ratings_core::toml_table::{self, Table};
use ratings_core::{shown, Code, Period, Problem, RuleBook, SourceText, LOCAL_AUTHORITIES};
use toml::Spanned;

use crate::read_csv::{blank_record, field_offset, rows, RowRead};
use crate::record::{Record, Source, WrittenGrade, WrittenPeriod, WrittenProvider, WrittenValue};

/// How to read a wide table.
#[derive(Debug, Clone)]
pub struct ColumnMap {
    /// The map's file name, for messages.
    pub name: String,
    comment: Option<String>,
    subject: SubjectColumns,
    date: DateColumn,
    document: String,
    locator: Option<String>,
    ignore: Vec<String>,
    not_published: Vec<String>,
    strip_prefix: Vec<String>,
    groups: Vec<String>,
    refuse_unknown: bool,
    graded_only: Option<(Vec<String>, Vec<String>)>,
    /// Column name to the judgement ids it may mean (the first in force on the row's date).
    columns: Vec<(String, Vec<String>)>,
}

/// Who a row is about.
#[derive(Debug, Clone)]
enum SubjectColumns {
    /// A local authority, by name.
    Authority(String),
    /// A provider.
    Provider(ProviderColumns),
}

#[derive(Debug, Clone)]
struct ProviderColumns {
    urn: String,
    /// The provision type's column, and what each type is to the rule book: its subject, or
    /// `None` for a type the rules do not judge (its rows are counted as not graded).
    kind: String,
    types: Vec<(String, Option<String>)>,
    /// Attribute name to the column it is read from (under any of these names).
    attributes: Vec<(String, Vec<String>)>,
    /// The columns that may hold the inspection's own number, each its own number space.
    inspection: Vec<String>,
    same_within_days: Option<u32>,
}

#[derive(Debug, Clone)]
struct DateColumn {
    /// The column, under any of these names.
    columns: Vec<String>,
    parse: DateParse,
    /// The column used when the date column is empty, its format, and, where it is a
    /// publication date, how many days after the inspection began it may be.
    fallback: Option<(String, String, Option<u32>)>,
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
    "provider",
    "date",
    "source",
    "ignore",
    "not_published",
    "strip_prefix",
    "groups",
    "unknown_columns",
    "graded_only",
    "columns",
];
const PROVIDER_KEYS: &[&str] = &[
    "urn",
    "type",
    "types",
    "attributes",
    "inspection",
    "same_inspection_within_days",
];
const HELP: &str = "a column map names `authority` (or `provider = { urn, type, types }`), `date = { column, format }` (or `parse = \"range\"`), `source = { document, locator }`, `ignore`, `not_published` and `[columns]`; see docs/records.md";
/// How many lines may stand above a table's header.
const HEADER_SEARCH: usize = 50;

impl ColumnMap {
    /// Of several maps, the one for a table: the first whose layout the header is (every
    /// column it names is there and it reads every column there), else, of the maps the table
    /// fits at all ([`ColumnMap::fits`]), the one that names most of the header's columns (the
    /// first of those, on a tie). `None` when it fits none: see [`ColumnMap::fits_none`].
    pub fn choose<'m>(maps: &'m [ColumnMap], text: &SourceText) -> Option<&'m ColumnMap> {
        let mut best: Option<(&ColumnMap, usize)> = None;
        for map in maps {
            let Some(header) = map.header(text) else {
                continue;
            };
            let named = header.cells.iter().filter(|h| map.names(h)).count();
            let layout = named == header.cells.len()
                && map
                    .columns
                    .iter()
                    .all(|(column, _)| header.position(map, column).is_some());
            if layout {
                return Some(map);
            }
            if map.fits_header(&header) && best.is_none_or(|(_, most)| named > most) {
                best = Some((map, named));
            }
        }
        best.map(|(map, _)| map)
    }

    /// Whether a table is one this map can read, if not perfectly: a header (among the first
    /// lines) names the subject's and the date's columns, and at least half of the judgement
    /// columns the map reads are there (for a provider table, whose columns vary by year, at
    /// least one). A table that fits is read through the map, each column the map does not
    /// know reported; one that does not is another kind of table, reported once.
    pub fn fits(&self, text: &SourceText) -> bool {
        self.header(text)
            .is_some_and(|header| self.fits_header(&header))
    }

    fn fits_header(&self, header: &Header<'_>) -> bool {
        let present = self
            .columns
            .iter()
            .filter(|(column, _)| header.position(self, column).is_some())
            .count();
        match self.subject {
            SubjectColumns::Provider(_) => present >= 1,
            SubjectColumns::Authority(_) => present >= 1 && present * 2 >= self.columns.len(),
        }
    }

    /// The columns the header must name, as a message lists them: the subject's and the date's.
    fn header_columns(&self) -> Vec<String> {
        let subject = match &self.subject {
            SubjectColumns::Authority(column) => column.clone(),
            SubjectColumns::Provider(provider) => provider.urn.clone(),
        };
        let dates: Vec<&str> = self.date.columns.iter().map(String::as_str).collect();
        vec![
            format!("`{}`", shown(&subject)),
            toml_table::quoted_list(&dates),
        ]
    }

    /// The one problem of a table that fits none of the maps: what each map looked for.
    pub fn fits_none(maps: &[ColumnMap], text: &SourceText) -> Problem {
        let reasons: Vec<String> = maps
            .iter()
            .map(|map| match map.header(text) {
                None => format!(
                    "`{}` finds no header naming {}",
                    map.name,
                    map.header_columns().join(" and ")
                ),
                Some(header) => {
                    let present: Vec<&str> = map
                        .columns
                        .iter()
                        .filter(|(column, _)| header.position(map, column).is_some())
                        .map(|(column, _)| column.as_str())
                        .collect();
                    format!(
                        "`{}` reads {} and finds {} of them on line {}{}",
                        map.name,
                        ratings_core::count(map.columns.len(), "judgement column"),
                        present.len(),
                        header.line,
                        if present.is_empty() {
                            String::new()
                        } else {
                            format!(" (`{}`)", present.join("`, `"))
                        }
                    )
                }
            })
            .collect();
        Problem::in_file(
            Code::InvalidCsv,
            &text.name,
            format!(
                "the table fits none of the column maps given: {}",
                reasons.join("; ")
            ),
        )
        .with_help("give the map of this table's layout with `--columns` (the shipped maps: `ratings check --columns NAME`, see docs/records.md), or write records in the long layout `authority,year,judgement,grade,source,locator`")
    }

    /// The header of a table read through this map: the first line, among the first
    /// [`HEADER_SEARCH`] that are not comments, naming the subject's column and the date's.
    fn header<'t>(&self, text: &'t SourceText) -> Option<Header<'t>> {
        let mut line = 1;
        let mut above: Option<usize> = None;
        while line <= HEADER_SEARCH {
            let span = text.line_span(line);
            if span.is_empty() && span.start >= text.text.len() {
                return None;
            }
            let raw = &text.text[span.clone()];
            let line_text = raw.trim_start_matches('\u{feff}');
            let comment = self
                .comment
                .as_ref()
                .is_some_and(|prefix| line_text.starts_with(prefix.as_str()));
            if !comment {
                let cells = split_header(line_text);
                let header = Header {
                    line,
                    text: line_text,
                    offset: span.end - line_text.len(),
                    normalised: cells.iter().map(|c| self.normalise(c)).collect(),
                    cells,
                    above,
                };
                let subject = match &self.subject {
                    SubjectColumns::Authority(column) => column,
                    SubjectColumns::Provider(provider) => &provider.urn,
                };
                let dated = self
                    .date
                    .columns
                    .iter()
                    .any(|c| header.position(self, c).is_some());
                if header.position(self, subject).is_some() && dated {
                    return Some(header);
                }
                if !line_text.trim().trim_matches(',').trim().is_empty() {
                    above = Some(line);
                }
            }
            line += 1;
        }
        None
    }

    /// A header cell or a map's column name, by its words: lower case, letters and digits
    /// only, one space between words, and any of the map's prefixes taken off the front.
    fn normalise(&self, name: &str) -> String {
        let words = words(name);
        for prefix in &self.strip_prefix {
            let prefix = words_of(prefix);
            if let Some(rest) = words.strip_prefix(prefix.as_str()) {
                if let Some(rest) = rest.strip_prefix(' ') {
                    return rest.to_owned();
                }
            }
        }
        words
    }

    /// Whether the map names a column (to read, or to ignore).
    fn names(&self, column: &str) -> bool {
        let column = self.normalise(column);
        self.named_columns().any(|c| self.normalise(c) == column)
    }

    /// Every column name the map gives.
    fn named_columns(&self) -> impl Iterator<Item = &str> {
        let subject: Vec<&str> = match &self.subject {
            SubjectColumns::Authority(column) => vec![column.as_str()],
            SubjectColumns::Provider(provider) => std::iter::once(provider.urn.as_str())
                .chain(std::iter::once(provider.kind.as_str()))
                .chain(
                    provider
                        .attributes
                        .iter()
                        .flat_map(|(_, c)| c.iter().map(String::as_str)),
                )
                .chain(provider.inspection.iter().map(String::as_str))
                .collect(),
        };
        subject
            .into_iter()
            .chain(self.date.columns.iter().map(String::as_str))
            .chain(self.date.fallback.iter().map(|(c, _, _)| c.as_str()))
            .chain(self.locator.iter().map(String::as_str))
            .chain(self.ignore.iter().map(String::as_str))
            .chain(
                self.graded_only
                    .iter()
                    .flat_map(|(c, _)| c.iter().map(String::as_str)),
            )
            .chain(self.columns.iter().map(|(c, _)| c.as_str()))
    }

    /// A map from its TOML text, or every problem with it.
    pub fn from_toml(source: &SourceText) -> Result<ColumnMap, Vec<Problem>> {
        let mut problems = Vec::new();
        let Some(root) = toml_table::parse(source, Code::InvalidMap, HELP, &mut problems) else {
            return Err(problems);
        };
        let map = Table::root(source, &root, "a column map");
        map.check_keys(MAP_KEYS, &mut problems);
        map.require(&["date", "source", "columns"], HELP, &mut problems);
        let comment = map
            .string("comment", &mut problems)
            .map(Spanned::into_inner);
        let subject = match (map.get("authority"), map.get("provider")) {
            (Some(_), None) => map
                .string("authority", &mut problems)
                .map(|a| SubjectColumns::Authority(a.into_inner())),
            (None, Some(value)) => {
                provider_columns(source, value, &mut problems).map(SubjectColumns::Provider)
            }
            (Some(_), Some(_)) => {
                problems.push(
                    Problem::at(
                        Code::InvalidMap,
                        source,
                        map.key_span("provider").unwrap_or(0..0),
                        "a column map names `authority` or `provider`, not both",
                    )
                    .with_help("a table's rows are about authorities or about providers"),
                );
                None
            }
            (None, None) => {
                problems.push(
                    Problem::at(
                        Code::MissingKey,
                        source,
                        map.header(),
                        "a column map has no `authority` or `provider`",
                    )
                    .with_help(HELP),
                );
                None
            }
        };
        let date = map
            .get("date")
            .and_then(|value| date_column(source, value, &mut problems));
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
        let strings = |key: &str, problems: &mut Vec<Problem>| -> Vec<Spanned<String>> {
            map.strings(key, problems).unwrap_or_default()
        };
        let ignore_spanned = strings("ignore", &mut problems);
        let ignore: Vec<String> = ignore_spanned.iter().map(|s| s.get_ref().clone()).collect();
        let not_published = strings("not_published", &mut problems)
            .into_iter()
            .map(|s| s.into_inner().trim().to_lowercase())
            .collect();
        let strip_prefix = strings("strip_prefix", &mut problems)
            .into_iter()
            .map(Spanned::into_inner)
            .collect();
        let groups = strings("groups", &mut problems)
            .into_iter()
            .map(|s| words(s.get_ref()))
            .collect();
        let refuse_unknown = match map.string("unknown_columns", &mut problems) {
            None => false,
            Some(value) => match value.get_ref().as_str() {
                "refuse" => true,
                "report" => false,
                other => {
                    problems.push(
                        Problem::at(
                            Code::InvalidMap,
                            source,
                            value.span(),
                            format!("`unknown_columns` is `{}`, not `report` or `refuse`", shown(other)),
                        )
                        .with_help("`report`: a column the map does not name is reported and left out; `refuse`: the file is refused"),
                    );
                    false
                }
            },
        };
        let graded_only = map.get("graded_only").and_then(|value| {
            let table = Table::of(source, value, "`graded_only`", &mut problems)?;
            table.check_keys(&["column", "is"], &mut problems);
            table.require(
                &["column", "is"],
                "write `graded_only = { column = \"Event type\", is = [\"Full inspection\"] }`",
                &mut problems,
            );
            let columns = one_or_many(source, &table, "column", &mut problems)?;
            let values = table
                .strings("is", &mut problems)?
                .into_iter()
                .map(|s| words(s.get_ref()))
                .collect();
            Some((columns, values))
        });
        let mut columns: Vec<(String, Vec<String>)> = Vec::new();
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
                    if let Some(ignored) = ignore_spanned.iter().find(|i| i.get_ref() == name) {
                        problems.push(
                            Problem::at(
                                Code::InvalidMap,
                                source,
                                ignored.span(),
                                format!("column `{}` is both ignored and read", shown(name)),
                            )
                            .with_help("take it out of `ignore`, or out of `[columns]`"),
                        );
                    }
                    columns.push((name.to_owned(), ids));
                }
            }
        }
        match (subject, date, document, problems.is_empty()) {
            (Some(subject), Some(date), Some(document), true) => Ok(ColumnMap {
                name: source.name.clone(),
                comment,
                subject,
                date,
                document,
                locator,
                ignore,
                not_published,
                strip_prefix,
                groups,
                refuse_unknown,
                graded_only,
                columns,
            }),
            _ => Err(problems),
        }
    }
}

/// A header line, split into cells.
struct Header<'t> {
    line: usize,
    text: &'t str,
    /// Where `text` starts in the file.
    offset: usize,
    cells: Vec<String>,
    normalised: Vec<String>,
    /// The last line above it that is not blank, if any.
    above: Option<usize>,
}

impl Header<'_> {
    /// Where a column of the map is in the header.
    fn position(&self, map: &ColumnMap, column: &str) -> Option<usize> {
        let wanted = map.normalise(column);
        self.normalised.iter().position(|cell| *cell == wanted)
    }

    /// Where the first of several names of one column is in the header.
    fn position_any(&self, map: &ColumnMap, columns: &[String]) -> Option<(usize, String)> {
        columns
            .iter()
            .find_map(|c| Some((self.position(map, c)?, c.clone())))
    }

    /// The bytes of a header cell in the file.
    fn cell_span(&self, index: usize) -> std::ops::Range<usize> {
        let (at, length) = field_offset(self.text, index);
        self.offset + at..self.offset + at + length
    }
}

/// What reading a wide table gave besides its records: columns left out, warnings.
#[derive(Debug, Default)]
pub struct WideRead {
    /// The header's columns that the map does not name, each a problem at its cell.
    pub unknown_columns: Vec<Problem>,
    /// Why the file could not be read at all.
    pub unreadable: Option<Problem>,
    /// Warnings that lose nothing (an inspection number a spreadsheet mangled).
    pub warnings: Vec<Problem>,
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
    let Some(header) = map.header(text) else {
        let subject = match &map.subject {
            SubjectColumns::Authority(column) => column.clone(),
            SubjectColumns::Provider(provider) => provider.urn.clone(),
        };
        let dates: Vec<&str> = map.date.columns.iter().map(String::as_str).collect();
        read.unreadable = Some(
            Problem::at(
                Code::InvalidCsv,
                text,
                text.line_span(1),
                format!(
                    "no line among the first {HEADER_SEARCH} names the column `{}` and {} that the map `{}` reads",
                    shown(&subject),
                    toml_table::quoted_list(&dates),
                    map.name
                ),
            )
            .with_help("use the map made for this table's layout"),
        );
        return read;
    };
    let header_span = text.line_span(header.line);
    // Columns named twice: which would be read is a guess, so the file is refused.
    for (index, cell) in header.normalised.iter().enumerate() {
        let first = header.normalised.iter().position(|c| c == cell);
        let unnamed_ignored = cell.is_empty() && map.ignore.iter().any(|i| i.trim().is_empty());
        if first != Some(index) && !unnamed_ignored {
            read.unreadable = Some(
                Problem::at(
                    Code::InvalidCsv,
                    text,
                    header.cell_span(index),
                    format!(
                        "the header names the column `{}` twice (columns {} and {})",
                        shown(&header.cells[index]),
                        first.unwrap_or(0) + 1,
                        index + 1
                    ),
                )
                .with_help("which copy holds the grades is not known: remove or rename one"),
            );
            return read;
        }
    }
    let unknown: Vec<usize> = (0..header.cells.len())
        .filter(|&index| !map.names(&header.cells[index]))
        .collect();
    let body = text.line_span(header.line + 1).start.max(header_span.end);
    if map.refuse_unknown && !unknown.is_empty() {
        // A column the map does not know may be a judgement under a new name: it is refused if
        // any of its cells is a grade, and left out with a warning if none is.
        let grade_words = grade_words(book);
        let mut holds_grade: Vec<Option<(usize, String)>> = vec![None; unknown.len()];
        rows(text, body, header.cells.len(), &mut |row| {
            if let RowRead::Row(row) = row {
                for (k, &index) in unknown.iter().enumerate() {
                    let cell = row.fields.get(index).unwrap_or("").trim().to_lowercase();
                    if holds_grade[k].is_none() && grade_words.contains(&cell) {
                        holds_grade[k] = Some((row.line, cell));
                    }
                }
            }
        });
        for (k, &index) in unknown.iter().enumerate() {
            let column = &header.cells[index];
            match &holds_grade[k] {
                Some((line, grade)) => {
                    read.unreadable = Some(
                        Problem::at(
                            Code::InvalidCsv,
                            text,
                            header.cell_span(index),
                            format!(
                                "the column `{}` is not in the map `{}` and holds grades (`{}` on line {line}): it may be a judgement the map does not know, so the table is not read",
                                shown(column),
                                map.name,
                                shown(grade)
                            ),
                        )
                        .with_help("name it in the map's `[columns]` with the judgements it may hold, or list it in `ignore`"),
                    );
                    return read;
                }
                None => read.warnings.push(
                    Problem::at(
                        Code::UnreadColumn,
                        text,
                        header.cell_span(index),
                        format!(
                            "the column `{}` is not in the map `{}`; none of its cells is a grade, so it is left out",
                            shown(column),
                            map.name
                        ),
                    )
                    .with_help("list it in the map's `ignore` to silence this"),
                ),
            }
        }
    } else {
        for &index in &unknown {
            read.unknown_columns.push(
                Problem::at(
                    Code::InvalidCsv,
                    text,
                    header.cell_span(index),
                    format!(
                        "the column `{}` is not in the map `{}`: its cells are not read",
                        shown(&header.cells[index]),
                        map.name
                    ),
                )
                .with_help("name it in the map's `[columns]`, or list it in `ignore`"),
            );
        }
    }
    let mut missing: Vec<String> = Vec::new();
    let subject_at = match &map.subject {
        SubjectColumns::Authority(column) => header.position(map, column),
        SubjectColumns::Provider(provider) => header.position(map, &provider.urn),
    };
    let date_at = header
        .position_any(map, &map.date.columns)
        .map(|(at, _)| at);
    let provider_at = match &map.subject {
        SubjectColumns::Provider(provider) => {
            let kind = header.position(map, &provider.kind);
            if kind.is_none() {
                missing.push(provider.kind.clone());
            }
            Some((
                kind.unwrap_or(0),
                provider
                    .attributes
                    .iter()
                    .filter_map(|(name, names)| {
                        Some((name.clone(), header.position_any(map, names)?.0))
                    })
                    .collect::<Vec<_>>(),
                provider
                    .inspection
                    .iter()
                    .filter_map(|column| Some((column.clone(), header.position(map, column)?)))
                    .collect::<Vec<_>>(),
            ))
        }
        SubjectColumns::Authority(_) => None,
    };
    // A provider table's judgement columns are each optional (a snapshot prints the columns of
    // its years); an authority table's are its layout, all required.
    let providers = matches!(map.subject, SubjectColumns::Provider(_));
    if !providers {
        for (column, _) in &map.columns {
            if header.position(map, column).is_none() {
                missing.push(column.clone());
            }
        }
    }
    if !missing.is_empty() {
        let missing: Vec<&str> = missing.iter().map(String::as_str).collect();
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
    let columns: Vec<(usize, &Vec<String>)> = map
        .columns
        .iter()
        .filter_map(|(c, ids)| Some((header.position(map, c)?, ids)))
        .collect();
    if columns.is_empty() {
        read.unreadable = Some(
            Problem::at(
                Code::InvalidCsv,
                text,
                header_span,
                format!(
                    "the header has none of the judgement columns the map `{}` reads",
                    map.name
                ),
            )
            .with_help("use the map made for this table's layout"),
        );
        return read;
    }
    // A line of group labels above the header ("Latest full inspection" over the inspection's
    // columns) must put every column read under a group the map knows: a column under another
    // (a previous inspection's) is never read as the latest.
    if let Some(above) = header.above.filter(|&a| a + 1 == header.line) {
        let groups_line = text.text[text.line_span(above)].trim_start_matches('\u{feff}');
        let groups = split_header(groups_line);
        if groups.iter().skip(1).any(|g| !g.trim().is_empty()) {
            let read_columns = columns.iter().map(|(at, _)| *at).chain(date_at).chain(
                provider_at
                    .iter()
                    .flat_map(|(_, _, numbers)| numbers.iter().map(|(_, at)| *at)),
            );
            for at in read_columns {
                let group = groups[..=at.min(groups.len().saturating_sub(1))]
                    .iter()
                    .rev()
                    .find(|g| !g.trim().is_empty())
                    .cloned()
                    .unwrap_or_default();
                if !group.is_empty() && !map.groups.contains(&words(&group)) {
                    read.unreadable = Some(
                        Problem::at(
                            Code::InvalidCsv,
                            text,
                            header.cell_span(at),
                            format!(
                                "the column `{}` stands under the heading `{}` on line {above}, which the map `{}` does not read",
                                shown(&header.cells[at]),
                                shown(&group),
                                map.name
                            ),
                        )
                        .with_help("the map lists the headings its columns may stand under in `groups`"),
                    );
                    return read;
                }
            }
        }
    }
    let fallback_at = map
        .date
        .fallback
        .as_ref()
        .and_then(|(c, _, _)| header.position(map, c));
    let locator_at = map.locator.as_deref().and_then(|c| header.position(map, c));
    let graded_only_at = map
        .graded_only
        .as_ref()
        .and_then(|(names, values)| Some((header.position_any(map, names)?.0, values)));
    let file_name = std::path::Path::new(&text.name)
        .file_name()
        .map_or_else(|| text.name.clone(), |n| n.to_string_lossy().into_owned());
    // The judgements of the rules in force, by subject and day, and by the rules' key: many
    // days share them.
    let mut in_force: HashMap<(String, NaiveDate), Option<Vec<String>>> = HashMap::new();
    let mut by_key: HashMap<Vec<usize>, Option<Vec<String>>> = HashMap::new();
    let width = header.cells.len();
    let mut rows_read = 0usize;
    rows(text, body, width, &mut |row| match row {
        RowRead::Bad(problem) => {
            rows_read += 1;
            let span = problem.line.map_or(0..0, |l| text.line_span(l as usize));
            let mut record = blank_record(text, span);
            record.problems.push(problem);
            sink(record);
        }
        RowRead::Row(row) => {
            // A row of empty cells (spreadsheets pad tables with them) holds nothing.
            if row.fields.iter().all(|f| f.trim().is_empty()) {
                return;
            }
            rows_read += 1;
            let cell_span = |index: usize| {
                let (at, length) = field_offset(row.line_text, index);
                row.span.start + at..row.span.start + at + length
            };
            let cell = |index: usize| row.fields.get(index).unwrap_or("").trim().to_owned();
            let mut record = blank_record(text, row.span.clone());
            if row.fields.len() != width {
                record.problems.push(Problem::at(
                    Code::InvalidCsv,
                    text,
                    row.span.clone(),
                    format!(
                        "the row has {} fields, not the {} of the header",
                        row.fields.len(),
                        width
                    ),
                ));
                sink(record);
                return;
            }
            let published = |index: usize| {
                let value = cell(index);
                !map.not_published.contains(&value.to_lowercase())
            };
            let graded = columns.iter().any(|(at, _)| published(*at));
            let mut rules_subject = LOCAL_AUTHORITIES.to_owned();
            match (&map.subject, &provider_at) {
                (SubjectColumns::Authority(_), _) => {
                    if let Some(at) = subject_at {
                        record.authority = Some(Spanned::new(cell_span(at), cell(at)));
                    }
                    // A row whose every judgement cell is empty or a value the map declares
                    // not published (a scraper's `data_unreadable`) holds no grade to check:
                    // it is counted as not graded, by what its cells say.
                    let has_grade = columns
                        .iter()
                        .any(|(at, _)| !cell(*at).is_empty() && published(*at));
                    if !has_grade && !columns.is_empty() {
                        let mut said: Vec<String> = columns
                            .iter()
                            .map(|(at, _)| cell(*at).to_lowercase())
                            .filter(|value| !value.is_empty())
                            .collect();
                        said.sort();
                        said.dedup();
                        record.not_graded = Some(if said.is_empty() {
                            "no grade in the row".to_owned()
                        } else {
                            format!("no grade in the row ({})", said.join(", "))
                        });
                        sink(record);
                        return;
                    }
                }
                (SubjectColumns::Provider(provider), Some((kind_at, attributes, numbers))) => {
                    if !graded {
                        record.not_graded = Some("no graded inspection in the row".to_owned());
                        sink(record);
                        return;
                    }
                    if let Some((at, values)) = graded_only_at {
                        let value = cell(at);
                        if !values.contains(&words(&value)) {
                            record.not_graded = Some(if value.is_empty() {
                                "no kind of inspection given".to_owned()
                            } else {
                                format!("{}: not a full inspection", value.to_lowercase())
                            });
                            sink(record);
                            return;
                        }
                    }
                    let kind = cell(*kind_at);
                    let subject = provider
                        .types
                        .iter()
                        .find(|(t, _)| words(t) == words(&kind))
                        .map(|(_, s)| s.clone());
                    let subject = match subject {
                        Some(Some(subject)) => subject,
                        Some(None) => {
                            record.not_graded = Some(format!(
                                "{}: a kind of provider these rules do not judge",
                                kind.to_lowercase()
                            ));
                            sink(record);
                            return;
                        }
                        None => {
                            let known: Vec<&str> =
                                provider.types.iter().map(|(t, _)| t.as_str()).collect();
                            record.problems.push(
                                Problem::at(
                                    Code::UnknownSubject,
                                    text,
                                    cell_span(*kind_at),
                                    format!(
                                        "the provision type `{}` is not in the map `{}`",
                                        shown(&kind),
                                        map.name
                                    ),
                                )
                                .with_help(format!(
                                    "the map's `types` names {}",
                                    toml_table::quoted_list(&known)
                                )),
                            );
                            sink(record);
                            return;
                        }
                    };
                    rules_subject = subject.clone();
                    let urn_at = subject_at.unwrap_or(0);
                    let inspection = numbers.iter().find_map(|(column, at)| {
                        let number = cell(*at);
                        if number.is_empty() {
                            return None;
                        }
                        if !number.bytes().all(|b| b.is_ascii_digit()) {
                            read.warnings.push(
                                Problem::at(
                                    Code::InvalidInspectionNumber,
                                    text,
                                    cell_span(*at),
                                    format!(
                                        "the inspection number `{}` is not a whole number: the row is matched to its inspection by provider and date",
                                        shown(&number)
                                    ),
                                )
                                .with_help("a spreadsheet writes long numbers this way (`1.02E+07`); the number itself is lost"),
                            );
                            return None;
                        }
                        Some((column.clone(), Spanned::new(cell_span(*at), number)))
                    });
                    let mut attributes: Vec<(String, String)> = attributes
                        .iter()
                        .map(|(name, at)| (name.clone(), cell(*at)))
                        .collect();
                    attributes.push(("type".to_owned(), kind.clone()));
                    record.provider = Some(WrittenProvider {
                        urn: Spanned::new(cell_span(urn_at), cell(urn_at)),
                        subject: Spanned::new(cell_span(*kind_at), subject),
                        inspection,
                        same_within_days: provider.same_within_days,
                        attributes,
                    });
                }
                (SubjectColumns::Provider(_), None) => {}
            }
            let (date_index, date_text, parse, publication) = match date_at {
                Some(at) if !cell(at).is_empty() => (at, cell(at), map.date.parse.clone(), None),
                _ => match (&map.date.fallback, fallback_at) {
                    (Some((_, format, window)), Some(at)) => {
                        (at, cell(at), DateParse::Format(format.clone()), *window)
                    }
                    _ => (
                        date_at.unwrap_or(0),
                        String::new(),
                        map.date.parse.clone(),
                        None,
                    ),
                },
            };
            let day = parse_date(&date_text, &parse);
            match day {
                Some(day) => {
                    record.period = Some(Spanned::new(
                        cell_span(date_index),
                        match publication {
                            Some(days) => WrittenPeriod::Published(day, days),
                            None => WrittenPeriod::Date(day),
                        },
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
                    .entry((rules_subject.clone(), day))
                    .or_insert_with(|| {
                        by_key
                            .entry(book.in_force_key(&rules_subject, Period::Date(day)))
                            .or_insert_with(|| {
                                book.in_force(&rules_subject, Period::Date(day))
                                    .ok()
                                    .map(|rules| {
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
                locator: locator_at.map_or_else(|| format!("{file_name}, line {}", row.line), cell),
            };
            for (index, ids) in &columns {
                if !published(*index) {
                    continue;
                }
                let value = cell(*index);
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
    if rows_read == 0 {
        read.unreadable = Some(
            Problem::at(
                Code::NoRecords,
                text,
                header_span,
                "the table has a header and no rows",
            )
            .with_help("a wide table has one inspection a row below its header"),
        );
    }
    read
}

/// A map's `provider = { urn, type, types, attributes, inspection }`.
fn provider_columns(
    source: &SourceText,
    value: &Spanned<toml::de::DeValue<'_>>,
    problems: &mut Vec<Problem>,
) -> Option<ProviderColumns> {
    let table = Table::of(source, value, "`provider`", problems)?;
    table.check_keys(PROVIDER_KEYS, problems);
    let complete = table.require(
        &["urn", "type", "types"],
        "write `provider = { urn = \"URN\", type = \"Provision type\", types = { \"Children's home\" = \"children's homes\" } }`",
        problems,
    );
    let urn = table.string("urn", problems);
    let kind = table.string("type", problems);
    let mut types = Vec::new();
    if let Some(value) = table.get("types") {
        if let Some(listed) = Table::of(source, value, "`types`", problems) {
            for (name, subject) in listed.entries.iter() {
                let name: &str = name.get_ref();
                match subject.get_ref() {
                    toml::de::DeValue::String(subject) => {
                        types.push((name.to_owned(), Some(subject.to_string())))
                    }
                    toml::de::DeValue::Boolean(false) => types.push((name.to_owned(), None)),
                    other => problems.push(
                        Problem::at(
                            Code::InvalidMap,
                            source,
                            subject.span(),
                            format!(
                                "the type `{}` maps to {}, not to the subject of some rules or `false`",
                                shown(name),
                                toml_table::describe(other)
                            ),
                        )
                        .with_help("write `\"Children's home\" = \"children's homes\"`, or `= false` for a type the rules do not judge"),
                    ),
                }
            }
        }
    }
    let mut attributes = Vec::new();
    if let Some(value) = table.get("attributes") {
        if let Some(listed) = Table::of(source, value, "`attributes`", problems) {
            listed.check_keys(&["name", "sector", "local_authority"], problems);
            for key in ["name", "sector", "local_authority"] {
                if listed.get(key).is_some() {
                    if let Some(columns) = one_or_many(source, &listed, key, problems) {
                        attributes.push((key.to_owned(), columns));
                    }
                }
            }
        }
    }
    let inspection = match table.get("inspection") {
        Some(_) => one_or_many(source, &table, "inspection", problems).unwrap_or_default(),
        None => Vec::new(),
    };
    let same_within_days = table
        .integer("same_inspection_within_days", problems)
        .and_then(|days| match u32::try_from(*days.get_ref()) {
            Ok(days) if days <= 366 => Some(days),
            _ => {
                problems.push(Problem::at(
                    Code::InvalidMap,
                    source,
                    days.span(),
                    format!(
                        "`same_inspection_within_days` is {}, not a number of days from 0 to 366",
                        days.get_ref()
                    ),
                ));
                None
            }
        });
    if !complete {
        return None;
    }
    Some(ProviderColumns {
        urn: urn?.into_inner(),
        kind: kind?.into_inner(),
        types,
        attributes,
        inspection,
        same_within_days,
    })
}

/// A map's `date = { column, format | parse = "range", take, fallback }`.
fn date_column(
    source: &SourceText,
    value: &Spanned<toml::de::DeValue<'_>>,
    problems: &mut Vec<Problem>,
) -> Option<DateColumn> {
    let table = Table::of(source, value, "`date`", problems)?;
    table.check_keys(&["column", "format", "parse", "take", "fallback"], problems);
    table.require(
        &["column"],
        "write `date = { column = \"report_published\", format = \"%d %B %Y\" }`",
        problems,
    );
    let columns = one_or_many(source, &table, "column", problems)?;
    let take = table.string("take", problems);
    let parse = match (
        table.string("format", problems),
        table.string("parse", problems),
    ) {
        (Some(format), None) => {
            if let Some(take) = &take {
                problems.push(
                    Problem::at(
                        Code::InvalidMap,
                        source,
                        take.span(),
                        "`take` chooses a day of a range: it goes with `parse = \"range\"`",
                    )
                    .with_help("leave `take` out, or read the column with `parse = \"range\"`"),
                );
            }
            DateParse::Format(format.into_inner())
        }
        (None, Some(parse)) if parse.get_ref() == "range" => {
            let start = match take.as_ref().map(|t| t.get_ref().as_str()) {
                None | Some("start") => true,
                Some("end") => false,
                Some(other) => {
                    problems.push(
                        Problem::at(
                            Code::InvalidMap,
                            source,
                            take.as_ref().map_or(table.header(), Spanned::span),
                            format!("`take` is `{}`, not `start` or `end`", shown(other)),
                        )
                        .with_help("`take = \"start\"` reads a range's first day, `take = \"end\"` its last"),
                    );
                    true
                }
            };
            DateParse::Range { start }
        }
        (None, Some(parse)) => {
            problems.push(
                Problem::at(
                    Code::InvalidMap,
                    source,
                    parse.span(),
                    format!(
                        "`parse` is `{}`: the one grammar is `range`",
                        shown(parse.get_ref())
                    ),
                )
                .with_help(
                    "write `parse = \"range\"`, or give a chrono `format` such as \"%d %B %Y\"",
                ),
            );
            return None;
        }
        _ => {
            problems.push(
                Problem::at(
                    Code::InvalidMap,
                    source,
                    table.header(),
                    "`date` needs one of `format` (such as \"%d %B %Y\") or `parse = \"range\"`",
                )
                .with_help(HELP),
            );
            return None;
        }
    };
    let fallback = table.get("fallback").and_then(|value| {
        let fallback = Table::of(source, value, "`fallback`", problems)?;
        fallback.check_keys(&["column", "format", "within_days_after_start"], problems);
        fallback.require(&["column", "format"], "", problems);
        let published = fallback
            .integer("within_days_after_start", problems)
            .and_then(|days| {
                let value = *days.get_ref();
                match u32::try_from(value) {
                    Ok(days) if days <= 3660 => Some(days),
                    _ => {
                        problems.push(Problem::at(
                            Code::InvalidMap,
                            source,
                            days.span(),
                            format!("`within_days_after_start` is {value}: a number of days from 0 to 3660"),
                        ));
                        None
                    }
                }
            });
        Some((
            fallback.string("column", problems)?.into_inner(),
            fallback.string("format", problems)?.into_inner(),
            published,
        ))
    });
    Some(DateColumn {
        columns,
        parse,
        fallback,
    })
}

/// A key holding one column name or a list of names of one column.
fn one_or_many(
    source: &SourceText,
    table: &Table<'_, '_>,
    key: &str,
    problems: &mut Vec<Problem>,
) -> Option<Vec<String>> {
    let value = table.get(key)?;
    let names: Vec<String> = match value.get_ref() {
        toml::de::DeValue::String(name) => vec![name.to_string()],
        toml::de::DeValue::Array(_) => table
            .strings(key, problems)?
            .into_iter()
            .map(Spanned::into_inner)
            .collect(),
        other => {
            problems.push(table.wrong_type(key, value, "a column name or a list of names", other));
            return None;
        }
    };
    if names.is_empty() {
        problems.push(Problem::at(
            Code::InvalidMap,
            source,
            value.span(),
            format!("`{key}` lists no column"),
        ));
        return None;
    }
    Some(names)
}

/// A header line's cells, read as CSV (a cell may be quoted).
fn split_header(line: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(line.as_bytes());
    let mut record = csv::StringRecord::new();
    match reader.read_record(&mut record) {
        Ok(true) => record.iter().map(|c| c.trim().to_owned()).collect(),
        _ => line
            .split(',')
            .map(|c| c.trim().trim_matches('"').to_owned())
            .collect(),
    }
}

/// A name by its words: lower case, letters and digits only, one space between words.
fn words(name: &str) -> String {
    words_of(name.trim_start_matches('\u{feff}'))
}

fn words_of(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
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
            let range = ratings_text::parse_range(text)?;
            let day = if *start { range.start } else { range.end };
            NaiveDate::from_ymd_opt(day.year, day.month.into(), day.day.into())
        }
    }
}

/// Every label and alias of every scale, lower case: what a cell holding a grade reads as.
fn grade_words(book: &RuleBook) -> std::collections::HashSet<String> {
    book.scales()
        .values()
        .flat_map(|scale| scale.values.iter())
        .flat_map(|value| std::iter::once(&value.label).chain(value.aliases.iter()))
        .map(|word| word.trim().to_lowercase())
        .collect()
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
        // A table that fits no map (here: none of its judgement columns) gets none, and one
        // problem saying what the map looked for, not one per column.
        let alone = std::slice::from_ref(&other);
        assert!(ColumnMap::choose(alone, &table).is_none());
        let problem = ColumnMap::fits_none(alone, &table);
        assert!(
            problem
                .message
                .contains("reads 1 judgement column and finds 0 of them on line 1"),
            "{}",
            problem.message
        );
    }

    #[test]
    fn every_shipped_map_loads() {
        for name in ratings_rules::map_names() {
            let text = ratings_rules::map(name).expect("a shipped map");
            if let Err(problems) = ColumnMap::from_toml(&text) {
                let rendered: Vec<String> = problems.iter().map(Problem::render).collect();
                panic!("{}", rendered.join("\n"));
            }
        }
    }

    #[test]
    fn header_cells_are_compared_by_their_words() {
        let mut with_prefix = map("\"Overall effectiveness\" = \"ilacs.overall_effectiveness\"\n");
        with_prefix.strip_prefix = vec!["Latest full inspection".to_owned()];
        for (cell, reads) in [
            ("Overall effectiveness", true),
            ("overall  EFFECTIVENESS", true),
            ("Overall-effectiveness", true),
            ("Latest full inspection overall effectiveness", true),
            ("Latest full inspection: Overall effectiveness", true),
            ("Previous full inspection overall effectiveness", false),
            ("Overall effectiveness (previous)", false),
        ] {
            assert_eq!(with_prefix.names(cell), reads, "{cell}");
        }
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
