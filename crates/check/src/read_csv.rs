//! CSV input: the rows of a file, one physical line each unless a quoted field really spans
//! lines, and record files in the long layout `authority,year,judgement,grade,source,locator`.
//!
//! A quote left open must not swallow the rows after it: a quoted field that spans lines and
//! holds what look like rows is reported on the line where it opened, and reading starts again
//! on the next line, so every line of the file is a row read, a blank line, or part of a field
//! that really spans lines.

use std::ops::Range;

use ratings_core::{shown, Code, Problem, SourceText};
use toml::Spanned;

use crate::record::{period_of_text, Record, Source, WrittenGrade, WrittenValue};
use crate::ReadFile;

/// The CSV header of the long layout.
pub const CSV_COLUMNS: [&str; 6] = [
    "authority",
    "year",
    "judgement",
    "grade",
    "source",
    "locator",
];

/// One row of a CSV file.
pub struct Row<'t> {
    /// The fields, untrimmed.
    pub fields: csv::StringRecord,
    /// The bytes of the row in the text (without its line end).
    pub span: Range<usize>,
    /// The line it starts on.
    pub line: usize,
    /// The text of that line.
    pub line_text: &'t str,
}

/// What reading a row gave.
pub enum RowRead<'t> {
    /// A row.
    Row(Row<'t>),
    /// A line that is not a row, with why.
    Bad(Problem),
}

/// Read the rows of a CSV text from byte `start` (after the header), calling `each` for every
/// row or bad line, in order.
pub fn rows<'t>(
    text: &'t SourceText,
    start: usize,
    columns: usize,
    each: &mut dyn FnMut(RowRead<'t>),
) {
    let all = text.text.as_str();
    let mut offset = start;
    // Lines are counted as the rows go by, so the happy path never builds a line index. A text
    // that is a part of a file counts from the line it starts on.
    let (mut counted_to, mut counted_line) = (0usize, text.first_line());
    let mut line_of = |at: usize| -> usize {
        if at >= counted_to {
            counted_line += all.as_bytes()[counted_to..at]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
        } else {
            counted_line = text.line_column(at).0;
        }
        counted_to = at;
        counted_line
    };
    'restart: while offset < all.len() {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(&all.as_bytes()[offset..]);
        let mut record = csv::StringRecord::new();
        loop {
            let before = reader.position().byte() as usize + offset;
            match reader.read_record(&mut record) {
                Ok(false) => break 'restart,
                Ok(true) => {}
                Err(error) => {
                    let at = error
                        .position()
                        .map_or(before, |p| p.byte() as usize + offset);
                    let line = line_of(skip_line_ends(all, at));
                    let message = match error.kind() {
                        csv::ErrorKind::Utf8 { .. } => "the row is not UTF-8 text".to_owned(),
                        _ => format!("cannot read the row: {error}"),
                    };
                    each(RowRead::Bad(Problem::at(
                        Code::InvalidCsv,
                        text,
                        text.line_span(line),
                        message,
                    )));
                    // Start again on the line after.
                    offset = text.line_span(line).end;
                    offset = skip_line_ends(all, offset).max(before + 1);
                    continue 'restart;
                }
            }
            let row_start = skip_line_ends(
                all,
                record
                    .position()
                    .map_or(before, |p| p.byte() as usize + offset),
            );
            let row_end = reader.position().byte() as usize + offset;
            let raw = all[row_start..row_end.min(all.len())].trim_end_matches(['\n', '\r']);
            let line = line_of(row_start);
            let line_end = all[row_start..]
                .find('\n')
                .map_or(all.len(), |i| row_start + i);
            let line_text = all[row_start..line_end].trim_end_matches('\r');
            if raw.contains('\n') && holds_rows(raw, columns) {
                let opened = quote_opening(line_text).unwrap_or(0);
                let span = row_start + opened..row_start + opened + 1;
                let lines = raw.matches('\n').count() + 1;
                each(RowRead::Bad(
                    Problem::at(
                        Code::InvalidCsv,
                        text,
                        span,
                        if lines == 2 {
                            "a quote opened here runs over the next line, which looks like a row of its own".to_owned()
                        } else {
                            format!("a quote opened here runs over the next {} lines, which look like rows of their own", lines - 1)
                        },
                    )
                    .with_label("quote opened here")
                    .with_help("close the quote, or double a quote inside a quoted field (`\"\"`); the lines after it are read as rows"),
                ));
                offset = line_end;
                continue 'restart;
            }
            each(RowRead::Row(Row {
                fields: record.clone(),
                span: row_start..row_start + raw.len(),
                line,
                line_text,
            }));
        }
    }
}

/// Past any line ends at `at`.
fn skip_line_ends(text: &str, mut at: usize) -> usize {
    while at < text.len() && matches!(text.as_bytes()[at], b'\n' | b'\r') {
        at += 1;
    }
    at
}

/// Whether a field that spans lines holds lines that would be rows on their own: lines with
/// balanced quotes (the line that closes a real multi-line field has an odd number) and about
/// as many fields as a row.
fn holds_rows(raw: &str, columns: usize) -> bool {
    raw.lines()
        .skip(1)
        .filter(|line| line.matches('"').count() % 2 == 0)
        .any(|line| {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(line.as_bytes());
            let mut record = csv::StringRecord::new();
            matches!(reader.read_record(&mut record), Ok(true))
                && record.len() >= columns.saturating_sub(1).max(2)
        })
}

/// The byte offset of the quote that is still open at the end of a line.
fn quote_opening(line: &str) -> Option<usize> {
    let mut open: Option<usize> = None;
    for (offset, c) in line.char_indices() {
        if c == '"' {
            open = match open {
                Some(_) => None,
                None => Some(offset),
            };
        }
    }
    open
}

/// The text of a file is empty.
pub(crate) fn empty(text: &SourceText) -> Option<Problem> {
    text.text
        .trim_start_matches('\u{feff}')
        .trim()
        .is_empty()
        .then(|| Problem::in_file(Code::EmptyFile, &text.name, "the file is empty"))
}

/// Whether a text's first line is the long layout's header.
pub fn is_long_layout(text: &SourceText) -> bool {
    let header_line = text.line_span(1);
    is_long_header(&text.text[header_line])
}

/// Whether a CSV text's first line comes near the long layout's header without being it: four
/// or more of its columns are the layout's, or near misses of them (`locatr`, `grades`). Such a
/// file found in a directory is records written wrongly, not a stray table, so it is read and
/// its header reported rather than skipped.
pub fn is_near_long_layout(text: &SourceText) -> bool {
    let header_line = text.line_span(1);
    let columns = header_columns(text.text[header_line].trim_start_matches('\u{feff}'));
    let near = columns
        .iter()
        .filter(|column| {
            CSV_COLUMNS.contains(&column.as_str())
                || ratings_core::did_you_mean(column, CSV_COLUMNS).is_some()
        })
        .count();
    near >= 4 && columns != CSV_COLUMNS
}

/// Whether a first line (without its line end) is the long layout's header.
pub(crate) fn is_long_header(line: &str) -> bool {
    header_columns(line.trim_start_matches('\u{feff}')) == CSV_COLUMNS
}

/// The columns a header line names, as compared with [`CSV_COLUMNS`].
fn header_columns(header: &str) -> Vec<String> {
    header
        .split(',')
        .map(|h| h.trim().trim_matches('"').to_lowercase())
        .collect()
}

/// Read a CSV text with the header `authority,year,judgement,grade,source,locator`; each row is
/// one record of one grade.
pub fn read_csv(text: &SourceText) -> ReadFile {
    let mut records = Vec::new();
    let unreadable = read_csv_each(text, &mut |record| records.push(record));
    ReadFile {
        records,
        unreadable,
        ..ReadFile::default()
    }
}

/// Where CSV rows go as they are read.
pub trait RowSink {
    /// Take a row with the right number of fields straight from its fields, without building a
    /// record; return `false` to have the record built and passed to [`RowSink::record`]
    /// instead. Only the happy path may be taken here: anything a record would be rejected for
    /// must return `false`, so that every problem is reported one way.
    fn row(&mut self, _fields: &csv::StringRecord, _line: usize, _line_text: &str) -> bool {
        false
    }

    /// A record, good or bad.
    fn record(&mut self, record: Record);
}

impl<F: FnMut(Record)> RowSink for F {
    fn record(&mut self, record: Record) {
        self(record);
    }
}

/// Read a CSV text in the long layout row by row, handing each to `sink` as it is read (so a
/// large file is never held as records); returns the problem when the file as a whole cannot be
/// read.
pub fn read_csv_each(text: &SourceText, sink: &mut dyn RowSink) -> Option<Problem> {
    if let Some(problem) = empty(text) {
        return Some(problem);
    }
    let bom = if text.text.starts_with('\u{feff}') {
        3
    } else {
        0
    };
    let header_line = text.line_span(1);
    let header_text = &text.text[header_line.start + bom.min(header_line.len())..header_line.end];
    let header = header_columns(header_text);
    let expected = CSV_COLUMNS.join(",");
    if header != CSV_COLUMNS {
        let missing: Vec<&str> = CSV_COLUMNS
            .iter()
            .copied()
            .filter(|c| !header.iter().any(|h| h == c))
            .collect();
        let extra: Vec<String> = header
            .iter()
            .filter(|h| !CSV_COLUMNS.contains(&h.as_str()))
            .map(|h| shown(h).into_owned())
            .collect();
        let mut parts = Vec::new();
        if !missing.is_empty() {
            parts.push(format!("missing {}", quoted(&missing)));
        }
        if !extra.is_empty() {
            let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
            parts.push(format!("unexpected {}", quoted(&extra)));
        }
        if parts.is_empty() {
            parts.push("the columns are out of order".to_owned());
        }
        return Some(
            Problem::at(Code::InvalidCsv, text, header_line, format!("the CSV header is wrong: {}", parts.join("; ")))
                .with_help(format!("the header must be `{expected}`; for a wide table with a column per judgement, use `--columns MAP.toml`")),
        );
    }
    let body = text.line_span(2).start.max(header_line.end);
    if read_body(text, body, sink) == 0 {
        return Some(no_rows(&text.name));
    }
    None
}

/// The problem of a long-layout file with a header and nothing else.
pub(crate) fn no_rows(name: &str) -> Problem {
    Problem::in_file(
        Code::NoRecords,
        name,
        "the CSV file has a header but no rows",
    )
}

/// The rows of a long-layout text from byte `start` (a line after the header), each handed to
/// `sink`; returns how many rows and bad lines there were.
pub(crate) fn read_body(text: &SourceText, start: usize, sink: &mut dyn RowSink) -> usize {
    let expected = CSV_COLUMNS.join(",");
    let mut rows_seen = 0usize;
    rows(text, start, CSV_COLUMNS.len(), &mut |read| {
        rows_seen += 1;
        match read {
            RowRead::Bad(problem) => {
                let span = problem.line.map_or(0..0, |l| text.line_span(l as usize));
                let mut record = blank_record(text, span);
                record.problems.push(problem);
                sink.record(record);
            }
            RowRead::Row(row) => {
                // The fast path places columns within `line_text`, which starts where the row
                // does: a row that does not start its line (after a lone carriage return) goes
                // through the record path, which places them from the line's start.
                if row.fields.len() == CSV_COLUMNS.len()
                    && row.span.start == text.line_span(row.line).start
                    && sink.row(&row.fields, row.line, row.line_text)
                {
                    return;
                }
                sink.record(long_record(text, &row, &expected));
            }
        }
    });
    rows_seen
}

/// A field without the white space around it, nor a byte-order mark at either end: the CSV
/// parser drops a mark where it starts reading (the start of a file, of a row it restarts at),
/// so every reader drops one wherever it stands, and all read the same field.
pub(crate) fn trim_field(field: &str) -> &str {
    field.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
}

/// A row of the long layout as a record.
pub(crate) fn long_record(text: &SourceText, row: &Row<'_>, expected: &str) -> Record {
    let mut record = blank_record(text, row.span.clone());
    if row.fields.len() != CSV_COLUMNS.len() {
        record.problems.push(
            Problem::at(
                Code::InvalidCsv,
                text,
                row.span.clone(),
                format!(
                    "the row has {} fields, not the {} of the header",
                    row.fields.len(),
                    CSV_COLUMNS.len()
                ),
            )
            .with_help(format!(
                "the header is `{expected}`; quote fields that hold commas"
            )),
        );
        return record;
    }
    let field_span = |index: usize| -> Range<usize> {
        let (offset, length) = field_offset(row.line_text, index);
        let at = row.span.start + offset;
        at..at + length
    };
    let field = |index: usize| trim_field(row.fields.get(index).unwrap_or("")).to_owned();
    record.authority = Some(Spanned::new(field_span(0), field(0)));
    record.period = Some(Spanned::new(field_span(1), period_of_text(&field(1))));
    record.grades.push(WrittenGrade {
        judgement: Spanned::new(field_span(2), field(2)),
        value: Spanned::new(field_span(3), WrittenValue::Text(field(3))),
    });
    record.source = Source {
        document: field(4),
        locator: field(5),
    };
    record
}

pub(crate) fn blank_record(text: &SourceText, span: Range<usize>) -> Record {
    Record {
        text: text.clone(),
        span,
        authority: None,
        provider: None,
        not_graded: None,
        period: None,
        source: Source {
            document: String::new(),
            locator: String::new(),
        },
        grades: Vec::new(),
        problems: Vec::new(),
    }
}

/// Byte offset and length of field `index` in one CSV line, honouring double quotes.
pub fn field_offset(line: &str, index: usize) -> (usize, usize) {
    let mut field = 0;
    let mut start = 0;
    let mut quoted = false;
    for (offset, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                if field == index {
                    return (start, offset - start);
                }
                field += 1;
                start = offset + 1;
            }
            _ => {}
        }
    }
    if field == index {
        (start, line.len() - start)
    } else {
        (line.len(), 0)
    }
}

fn quoted(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (usize, Vec<(usize, String)>) {
        let source = SourceText::new("t.csv", text);
        let mut good = 0;
        let mut bad = Vec::new();
        rows(&source, 0, 3, &mut |read| match read {
            RowRead::Row(_) => good += 1,
            RowRead::Bad(problem) => {
                bad.push((problem.line.unwrap_or(0) as usize, problem.message))
            }
        });
        (good, bad)
    }

    #[test]
    fn an_unterminated_quote_does_not_swallow_the_rows_after_it() {
        let (good, bad) = read("a,b,c\nd,\"e,f\ng,h,i\nj,k,l\n");
        assert_eq!(good, 3, "{bad:?}");
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].0, 2);
    }

    #[test]
    fn a_field_that_really_spans_lines_is_one_row() {
        let (good, bad) = read("a,\"two\nlines\",c\nd,e,f\n");
        assert_eq!((good, bad.len()), (2, 0));
    }

    #[test]
    fn a_stray_quote_mid_file_loses_no_row() {
        let (good, bad) = read("a,b,c\nd,e\"x,f\ng,h,i\n");
        assert_eq!(good + bad.len(), 3, "{bad:?}");
    }
}
