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
    pub(super) comment: Option<String>,
    pub(super) subject: SubjectColumns,
    pub(super) date: DateColumn,
    pub(super) document: String,
    pub(super) locator: Option<String>,
    pub(super) ignore: Vec<String>,
    pub(super) not_published: Vec<String>,
    pub(super) strip_prefix: Vec<String>,
    pub(super) groups: Vec<String>,
    pub(super) refuse_unknown: bool,
    pub(super) graded_only: Option<(Vec<String>, Vec<String>)>,
    /// Column name to the judgement ids it may mean (the first in force on the row's date).
    pub(super) columns: Vec<(String, Vec<String>)>,
}

/// Who a row is about.
#[derive(Debug, Clone)]
pub(super) enum SubjectColumns {
    /// A local authority, by name.
    Authority(String),
    /// A provider.
    Provider(ProviderColumns),
}

#[derive(Debug, Clone)]
pub(super) struct ProviderColumns {
    pub(super) urn: String,
    /// The provision type's column, and what each type is to the rule book: its subject, or
    /// `None` for a type the rules do not judge (its rows are counted as not graded).
    pub(super) kind: String,
    pub(super) types: Vec<(String, Option<String>)>,
    /// Attribute name to the column it is read from (under any of these names).
    pub(super) attributes: Vec<(String, Vec<String>)>,
    /// The columns that may hold the inspection's own number, each its own number space.
    pub(super) inspection: Vec<String>,
    pub(super) same_within_days: Option<u32>,
}

#[derive(Debug, Clone)]
pub(super) struct DateColumn {
    /// The column, under any of these names.
    pub(super) columns: Vec<String>,
    pub(super) parse: DateParse,
    /// The column used when the date column is empty, its format, and, where it is a
    /// publication date, how many days after the inspection began it may be.
    pub(super) fallback: Option<(String, String, Option<u32>)>,
}

#[derive(Debug, Clone)]
pub(super) enum DateParse {
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

mod load;
mod read;
#[cfg(test)]
mod tests;

pub use read::{read_wide, WideRead};
use read::{split_header, words, words_of, Header};
