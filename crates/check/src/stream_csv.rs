//! The long CSV layout read from a stream, row by row, without holding the file: the bytes go
//! through one buffer, each line is checked to be UTF-8 and split where it lies, and a well-formed
//! row goes to the checker as six borrowed fields, never as a record of strings.
//!
//! What is read must be what reading the whole text gives (`read_csv::read_csv_each`), problem
//! for problem. So only lines that are plainly one row each are split here: a line that holds a
//! carriage return of its own, or a quote that stays open past its end, hands the rest of the
//! file to the reader of whole texts, as a part of the file that knows its first line. A row
//! that the checker declines is made a record from its own line, with the file's line numbers,
//! and checked and reported as any record is. A file whose first line is not the long header is
//! left to the reader of whole texts from the start.

use std::io::Read;

use ratings_core::{Code, Problem, SourceText};

use crate::read_csv::{is_long_header, long_record, no_rows, read_body, Row, RowSink, CSV_COLUMNS};

/// Bytes read at a time.
const BUFFER: usize = 1 << 19;
/// A first line longer than this is not a header: the file is read whole, as before.
const LONGEST_HEADER: usize = 1 << 16;

/// Where rows go: a row of six fields straight from the line, or a record.
pub(crate) trait StreamSink: RowSink {
    /// Take a row of six fields (as written, untrimmed) at a line, whose third field starts at
    /// byte `judgement_at` of the line's text; `false` declines it, and it is made a record.
    fn fields(
        &mut self,
        fields: [&str; 6],
        line: usize,
        line_text: &str,
        judgement_at: usize,
    ) -> bool;
}

/// What reading a stream gave.
pub(crate) enum Streamed {
    /// Read to its end: with the problem of the file as a whole (a header and no rows), if any.
    Read(Option<Problem>),
    /// Unreadable after rows were handed over (not UTF-8 further on, a read error, larger than
    /// the limit): the rows handed over must be forgotten, and the file reported unreadable.
    Unreadable(Problem),
    /// The first line is not the long header: nothing was handed over; here is what was read,
    /// for the caller to read the rest and treat the file whole.
    NotLong(Vec<u8>),
}

/// Read a long-layout CSV file from a stream, handing its rows to `sink` as they are read; at
/// most `limit` bytes.
pub(crate) fn read_stream(
    name: &str,
    reader: &mut dyn Read,
    limit: u64,
    sink: &mut dyn StreamSink,
) -> Streamed {
    let mut input = Input {
        reader,
        buffer: Vec::with_capacity(BUFFER),
        start: 0,
        consumed: 0,
        total: 0,
        limit,
        eof: false,
    };
    // The header: the first line, at most LONGEST_HEADER bytes.
    let header_end = loop {
        if let Some(at) = memchr::memchr(b'\n', &input.buffer) {
            break Some(at);
        }
        if input.eof {
            break Some(input.buffer.len());
        }
        if input.buffer.len() > LONGEST_HEADER {
            break None;
        }
        if let Err(problem) = input.fill(name) {
            return Streamed::Unreadable(problem);
        }
    };
    let Some(header_end) = header_end.filter(|&end| {
        std::str::from_utf8(&input.buffer[..end])
            .is_ok_and(|header| is_long_header(header.trim_end_matches(['\n', '\r'])))
    }) else {
        return Streamed::NotLong(input.buffer);
    };
    input.start = (header_end + 1).min(input.buffer.len());
    let mut line_number = 1usize;
    let mut rows_seen = 0usize;
    let expected = CSV_COLUMNS.join(",");
    let mut quoted = QuotedLine::default();
    loop {
        let line_start = input.start;
        let newline = match memchr::memchr(b'\n', &input.buffer[line_start..]) {
            Some(at) => Some(line_start + at),
            None if input.eof => None,
            None => {
                if let Err(problem) = input.fill(name) {
                    return Streamed::Unreadable(problem);
                }
                continue;
            }
        };
        let line_end = newline.unwrap_or(input.buffer.len());
        if newline.is_none() && line_start == line_end {
            break;
        }
        line_number += 1;
        let raw = &input.buffer[line_start..line_end];
        let content = raw.strip_suffix(b"\r").unwrap_or(raw);
        let text = match std::str::from_utf8(content) {
            Ok(text) => text,
            Err(error) => {
                let offset = input.consumed + line_start as u64 + error.valid_up_to() as u64;
                return Streamed::Unreadable(not_utf8(name, offset));
            }
        };
        input.start = newline.map_or(line_end, |at| at + 1);
        if text.is_empty() {
            // A blank line is no row, as the csv reader skips it.
            continue;
        }
        let plain = memchr::memchr2(b'"', b'\r', content).is_none();
        if plain {
            rows_seen += 1;
            plain_row(name, text, line_number, sink, &expected);
            continue;
        }
        if memchr::memchr(b'\r', content).is_none() && quoted.parse(text) {
            rows_seen += 1;
            quoted_row(name, text, line_number, &quoted, sink, &expected);
            continue;
        }
        // A row that may run over lines, or lines with carriage returns of their own: the rest
        // of the file, from this line, is read as a text, as the whole file would have been.
        input.start = line_start;
        let rest = match input.rest(name) {
            Ok(rest) => rest,
            Err(problem) => return Streamed::Unreadable(problem),
        };
        let rest = match String::from_utf8(rest) {
            Ok(rest) => rest,
            Err(error) => {
                let offset = input.consumed + error.utf8_error().valid_up_to() as u64;
                return Streamed::Unreadable(not_utf8(name, offset));
            }
        };
        let part = SourceText::part(name, rest, line_number);
        rows_seen += read_body(&part, 0, sink);
        break;
    }
    if rows_seen == 0 {
        return Streamed::Read(Some(no_rows(name)));
    }
    Streamed::Read(None)
}

/// The problem of a file that is not UTF-8, as reading it whole reports it.
pub(crate) fn not_utf8(name: &str, offset: u64) -> Problem {
    Problem::in_file(
        Code::InvalidUtf8,
        name,
        format!("the file is not UTF-8 text (invalid byte at offset {offset})"),
    )
}

/// A line without quotes or carriage returns: its fields are what lies between commas.
fn plain_row(name: &str, text: &str, line: usize, sink: &mut dyn StreamSink, expected: &str) {
    let mut fields = [""; 6];
    let mut count = 0usize;
    let mut judgement_at = 0usize;
    let mut from = 0usize;
    for at in memchr::memchr_iter(b',', text.as_bytes()).chain(std::iter::once(text.len())) {
        if let Some(field) = fields.get_mut(count) {
            *field = &text[from..at];
        }
        if count == 2 {
            judgement_at = from;
        }
        count += 1;
        from = at + 1;
    }
    if count == CSV_COLUMNS.len() && sink.fields(fields, line, text, judgement_at) {
        return;
    }
    let record: csv::StringRecord = text.split(',').collect();
    declined(name, text, line, record, sink, expected);
}

/// A line with quotes that is one whole row: its fields as the csv reader reads them.
fn quoted_row(
    name: &str,
    text: &str,
    line: usize,
    quoted: &QuotedLine,
    sink: &mut dyn StreamSink,
    expected: &str,
) {
    let fields: Vec<&str> = quoted.fields().collect();
    if let [a, b, c, d, e, f] = fields.as_slice() {
        let judgement_at = crate::read_csv::field_offset(text, 2).0;
        if sink.fields([a, b, c, d, e, f], line, text, judgement_at) {
            return;
        }
    }
    let record: csv::StringRecord = fields.into_iter().collect();
    declined(name, text, line, record, sink, expected);
}

/// A row the fast path does not take: a record made from its own line.
fn declined(
    name: &str,
    text: &str,
    line: usize,
    fields: csv::StringRecord,
    sink: &mut dyn StreamSink,
    expected: &str,
) {
    let part = SourceText::part(name, text, line);
    let row = Row {
        fields,
        span: 0..text.len(),
        line,
        line_text: part.text.as_str(),
    };
    let record = long_record(&part, &row, expected);
    sink.record(record);
}

/// Parses a line with quotes as the csv reader would, when it is one whole row.
struct QuotedLine {
    reader: csv_core::Reader,
    output: Vec<u8>,
    ends: Vec<usize>,
    fields: usize,
}

impl Default for QuotedLine {
    fn default() -> Self {
        QuotedLine {
            reader: csv_core::Reader::new(),
            output: vec![0; 256],
            ends: vec![0; 16],
            fields: 0,
        }
    }
}

impl QuotedLine {
    /// Whether the line (without its line end) is one whole row; its fields are then kept.
    fn parse(&mut self, line: &str) -> bool {
        self.reader.reset();
        let mut input: Vec<u8> = Vec::with_capacity(line.len() + 1);
        input.extend_from_slice(line.as_bytes());
        input.push(b'\n');
        let (mut read, mut written, mut ended) = (0usize, 0usize, 0usize);
        loop {
            let (result, nin, nout, nend) = self.reader.read_record(
                &input[read..],
                &mut self.output[written..],
                &mut self.ends[ended..],
            );
            read += nin;
            written += nout;
            ended += nend;
            match result {
                csv_core::ReadRecordResult::OutputFull => {
                    let grown = self.output.len() * 2;
                    self.output.resize(grown, 0);
                }
                csv_core::ReadRecordResult::OutputEndsFull => {
                    let grown = self.ends.len() * 2;
                    self.ends.resize(grown, 0);
                }
                csv_core::ReadRecordResult::Record => {
                    self.fields = ended;
                    // INVARIANT: without carriage returns the only terminator is the line end,
                    // so a record ends there or not at all.
                    return read == input.len();
                }
                csv_core::ReadRecordResult::InputEmpty | csv_core::ReadRecordResult::End => {
                    return false;
                }
            }
        }
    }

    /// The fields of the line last parsed.
    fn fields(&self) -> impl Iterator<Item = &str> {
        let mut start = 0usize;
        self.ends[..self.fields].iter().map(move |&end| {
            let field = std::str::from_utf8(&self.output[start..end]).unwrap_or("");
            start = end;
            field
        })
    }
}

/// The stream and its buffer: `buffer[start..]` is not yet read as lines.
struct Input<'r> {
    reader: &'r mut dyn Read,
    buffer: Vec<u8>,
    start: usize,
    /// Bytes of the stream dropped from the front of the buffer.
    consumed: u64,
    total: u64,
    limit: u64,
    eof: bool,
}

impl Input<'_> {
    /// Read more, keeping what is not yet read as lines.
    fn fill(&mut self, name: &str) -> Result<(), Problem> {
        if self.start > 0 {
            self.buffer.drain(..self.start);
            self.consumed += self.start as u64;
            self.start = 0;
        }
        let have = self.buffer.len();
        let want = BUFFER.max(have);
        self.buffer.resize(have + want, 0);
        let read = loop {
            match self.reader.read(&mut self.buffer[have..]) {
                Ok(read) => break read,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(error) => {
                    self.buffer.truncate(have);
                    return Err(crate::files::cannot_read(name, &error));
                }
            }
        };
        self.buffer.truncate(have + read);
        self.total += read as u64;
        if read == 0 {
            self.eof = true;
        }
        if self.total > self.limit {
            return Err(crate::files::too_large(name, None));
        }
        Ok(())
    }

    /// Everything from `start` to the end of the stream.
    fn rest(&mut self, name: &str) -> Result<Vec<u8>, Problem> {
        while !self.eof {
            self.fill(name)?;
        }
        self.consumed += self.start as u64;
        let mut rest = std::mem::take(&mut self.buffer);
        rest.drain(..self.start);
        self.start = 0;
        Ok(rest)
    }
}
