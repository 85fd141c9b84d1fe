//! Recognising an input's format (by its extension, or `--input-format` for standard input;
//! a CSV file's layout by its header) and reading it into a checker by it: a long CSV file as
//! a stream, every other file whole.

use std::path::Path;

use ratings_core::{Code, Problem, SourceText};

use super::discover::{skipped, InputFile};
use super::pdfs::{read_pdf_bytes, read_pdf_file};
use super::read::{csv_text_of, open_file, read_bytes, read_rest, read_stdin, text_of};
use crate::authority::Authorities;
use crate::checker::Checker;
use crate::input_limits::MAX_FILE_BYTES;
use crate::ReadFile;

/// The kinds of input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputFormat {
    /// `[[record]]` tables.
    Toml,
    /// The long layout `authority,year,judgement,grade,source,locator`.
    Csv,
    /// A plain-text letter or report.
    Txt,
    /// An inspection report as published (PDF).
    Pdf,
}

impl InputFormat {
    /// The format a file's extension names.
    pub fn of(path: &Path) -> Option<InputFormat> {
        match path.extension()?.to_str()?.to_lowercase().as_str() {
            "toml" => Some(InputFormat::Toml),
            "csv" => Some(InputFormat::Csv),
            "txt" => Some(InputFormat::Txt),
            "pdf" => Some(InputFormat::Pdf),
            _ => None,
        }
    }
}

/// Read one input into a checker: CSV rows are checked as they are read, so a large file is
/// never held as records. `-` is standard input, read as `stdin_format`. A CSV file is read as
/// a wide table when column maps are given, through the map [`crate::ColumnMap::choose`] picks for
/// its header (one whose layout it is, else the one naming most of its columns, whose
/// problems with the header are then reported).
pub fn read_into(
    input: &InputFile,
    stdin_format: Option<InputFormat>,
    columns: &[crate::ColumnMap],
    checker: &mut Checker<'_>,
    book: &ratings_core::RuleBook,
    authorities: &Authorities,
) {
    let is_stdin = input.path.as_os_str() == "-";
    let format = if is_stdin {
        stdin_format
    } else {
        InputFormat::of(&input.path)
    };
    let Some(format) = format else {
        let problem = if is_stdin {
            Problem::in_file(
                Code::InvalidArgument,
                "-",
                "reading records from standard input needs `--input-format toml|csv|txt|pdf`",
            )
        } else {
            Problem::in_file(Code::UnknownFormat, input.path.display().to_string(), "not a record file: expected `.toml`, `.csv`, a `.txt` letter or a `.pdf` report")
                .with_help("record files are TOML (`[[record]]`) or CSV (`authority,year,judgement,grade,source,locator`); letters are plain text; reports are Ofsted's PDFs")
        };
        checker.add_file(&ReadFile::unreadable(problem));
        return;
    };
    if format == InputFormat::Pdf {
        let read = if is_stdin {
            match read_stdin() {
                Ok(bytes) => read_pdf_bytes("-", &bytes, book, authorities),
                Err(problem) => ReadFile::unreadable(problem),
            }
        } else {
            read_pdf_file(input, book, authorities)
        };
        checker.add_file(&read);
        return;
    }
    // A long-layout CSV file is read as a stream, never held; any other is read whole, with
    // what the stream had already read of it.
    if format == InputFormat::Csv && columns.is_empty() {
        let name = input.path.display().to_string();
        // Sendable: the stream is read on a thread of its own while its rows are taken.
        let opened: Result<(Box<dyn std::io::Read + Send>, Option<u64>), Problem> = if is_stdin {
            Ok((Box::new(std::io::stdin()), None))
        } else {
            open_file(&input.path).map(|file| {
                let size = file.metadata().map(|meta| meta.len()).ok();
                (Box::new(file) as Box<dyn std::io::Read + Send>, size)
            })
        };
        let (mut reader, size) = match opened {
            Ok(opened) => opened,
            Err(problem) => {
                checker.add_file(&ReadFile::unreadable(problem));
                return;
            }
        };
        let Some(begun) = checker.add_csv_stream(&name, &mut reader, MAX_FILE_BYTES) else {
            return;
        };
        let text = read_rest(reader, &name, begun, size).and_then(|bytes| text_of(name, bytes));
        return read_text_into(text, input, format, columns, checker, book, authorities);
    }
    let name = if is_stdin {
        "-".to_owned()
    } else {
        input.path.display().to_string()
    };
    let bytes = if is_stdin {
        read_stdin()
    } else {
        read_bytes(&input.path)
    };
    let text = match (bytes, format) {
        (Ok(bytes), InputFormat::Csv) => csv_text_of(name, bytes).map(|(text, warning)| {
            if let Some(warning) = warning {
                checker.add_warning(warning);
            }
            text
        }),
        (Ok(bytes), _) => text_of(name, bytes),
        (Err(problem), _) => Err(problem),
    };
    read_text_into(text, input, format, columns, checker, book, authorities);
}

/// A file read whole into a checker.
fn read_text_into(
    text: Result<SourceText, Problem>,
    input: &InputFile,
    format: InputFormat,
    columns: &[crate::ColumnMap],
    checker: &mut Checker<'_>,
    book: &ratings_core::RuleBook,
    authorities: &Authorities,
) {
    let text = match text {
        Ok(text) => text,
        Err(problem) => {
            checker.add_file(&ReadFile::unreadable(problem));
            return;
        }
    };
    match format {
        InputFormat::Csv => match crate::ColumnMap::choose(columns, &text) {
            Some(map) => checker.add_wide(&text, map),
            None if crate::read_csv::is_long_layout(&text) => checker.add_csv(&text),
            // A table of another layout found in a directory (an index, a wide table without
            // its map) is left out with a warning.
            None if !input.named && !crate::read_csv::is_near_long_layout(&text) => {
                checker.add_skipped(skipped(
                    &input.path,
                    if columns.is_empty() {
                        "a CSV file whose header is not `authority,year,judgement,grade,source,locator`"
                    } else {
                        "a CSV table that fits none of the column maps given, and not records"
                    },
                ));
            }
            // Named, a wide table that fits no map is one problem, not one per column; one
            // that is none is read as long records, and its header reported.
            None if !columns.is_empty() && !crate::read_csv::is_near_long_layout(&text) => {
                checker.add_file(&ReadFile::unreadable(crate::ColumnMap::fits_none(
                    columns, &text,
                )));
            }
            None => checker.add_csv(&text),
        },
        InputFormat::Toml => checker.add_file(&crate::read_toml(&text)),
        InputFormat::Txt => match crate::letter::extract(&text, book, authorities) {
            Ok(extraction) => checker.add_file(&crate::letter::to_read_file(&text, &extraction)),
            Err(problem)
                if !input.named
                    && problem.code == Code::UnknownLayout
                    && problem.message == crate::letter::NO_GRADES =>
            {
                checker.add_skipped(skipped(
                    &input.path,
                    "a text file in which nothing reads as a grade",
                ));
            }
            Err(problem) => checker.add_file(&ReadFile::unreadable(*problem)),
        },
        InputFormat::Pdf => {}
    }
}
