//! Finding and reading input files: record files (`.toml`, `.csv`), letters (`.txt`), report
//! PDFs (`.pdf`), directories of them, rule directories and authorities tables.
//!
//! Only regular files are read (a FIFO or a device would block or never end), each at most
//! [`MAX_FILE_BYTES`], counted as it is read. A file named twice, by two paths or through a
//! link, is read once. A directory walk follows links but never loops.

use std::collections::BTreeSet;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use ratings_core::{Code, Problem, SourceText};

use crate::authority::Authorities;
use crate::checker::Checker;
use crate::ReadFile;

pub use crate::input_limits::MAX_FILE_BYTES;
use crate::input_limits::{lower_first, too_large};

/// The extensions a directory walk reads.
pub const EXTENSIONS: &[&str] = &["toml", "csv", "txt", "pdf"];

/// One input file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct InputFile {
    /// The path as named, or as found under a named directory.
    pub path: PathBuf,
    /// Whether it was named on the command line (rather than found in a directory): a file
    /// found in a directory that is not a record file is skipped with a warning, one named is
    /// an error.
    pub named: bool,
}

/// The files under some paths, and what could not be read or was left out.
#[derive(Debug, Default)]
pub struct Collected {
    /// Every file to read, each once, in path order.
    pub files: Vec<InputFile>,
    /// Paths that do not exist or cannot be walked: input lost.
    pub problems: Vec<Problem>,
    /// Files found in directories and left out (another extension, or excluded): warnings.
    pub skipped: Vec<Problem>,
}

/// Patterns of files to leave out (`--exclude`), matched against the path and the file name.
#[derive(Debug, Clone, Default)]
pub struct Exclude {
    set: Option<GlobSet>,
}

impl Exclude {
    /// The patterns, or the problem with one that is not a glob.
    pub fn new(patterns: &[String]) -> Result<Exclude, Problem> {
        if patterns.is_empty() {
            return Ok(Exclude::default());
        }
        let mut builder = GlobSetBuilder::new();
        for pattern in patterns {
            let glob = Glob::new(pattern).map_err(|error| {
                Problem::in_file(
                    Code::InvalidArgument,
                    "--exclude",
                    format!("`{pattern}` is not a pattern: {error}"),
                )
            })?;
            builder.add(glob);
        }
        let set = builder.build().map_err(|error| {
            Problem::in_file(Code::InvalidArgument, "--exclude", error.to_string())
        })?;
        Ok(Exclude { set: Some(set) })
    }

    fn matches(&self, path: &Path) -> bool {
        let Some(set) = &self.set else { return false };
        set.is_match(path) || path.file_name().is_some_and(|name| set.is_match(name))
    }
}

/// Every input file named or found below the paths, each once (by its canonical identity),
/// sorted; problems for paths that do not exist, and warnings for files left out.
pub fn collect(paths: &[PathBuf], exclude: &Exclude) -> Collected {
    let mut collected = Collected::default();
    let mut seen: BTreeSet<PathBuf> = BTreeSet::new();
    let mut add = |path: PathBuf, named: bool, collected: &mut Collected| {
        let identity = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if seen.insert(identity) {
            collected.files.push(InputFile { path, named });
        }
    };
    for path in paths {
        if path.as_os_str() == "-" {
            add(path.clone(), true, &mut collected);
            continue;
        }
        match std::fs::metadata(path) {
            Err(error) => collected.problems.push(Problem::in_file(
                Code::Unreadable,
                path.display().to_string(),
                if error.kind() == std::io::ErrorKind::NotFound {
                    "no such file or directory".to_owned()
                } else {
                    format!("cannot read it: {}", lower_first(&error.to_string()))
                },
            )),
            Ok(meta) if meta.is_dir() => {
                let skipped = collected.skipped.len();
                let mut found = 0usize;
                walk(
                    path,
                    exclude,
                    &mut collected,
                    &mut |path, named, collected| {
                        found += 1;
                        add(path, named, collected);
                    },
                );
                // Nothing to check is not success: a directory with no input in it is an
                // error, as a file with no records is (one whose files were all named already
                // is not empty).
                if found == 0 {
                    let left_out = collected.skipped.len() - skipped;
                    collected.problems.push(
                        Problem::in_file(
                            Code::NoRecords,
                            path.display().to_string(),
                            if left_out == 0 {
                                "nothing to check: the directory holds no file".to_owned()
                            } else {
                                format!(
                                    "nothing to check: the directory holds no record file, letter or report ({} left out)",
                                    ratings_core::count(left_out, "file")
                                )
                            },
                        )
                        .with_help("record files end `.toml` or `.csv`, letters `.txt` and reports `.pdf`; see docs/records.md"),
                    );
                }
            }
            Ok(_) if exclude.matches(path) => collected
                .skipped
                .push(skipped(path, "it matches `--exclude`")),
            Ok(_) => add(path.clone(), true, &mut collected),
        }
    }
    collected.files.sort();
    collected
}

fn walk(
    dir: &Path,
    exclude: &Exclude,
    collected: &mut Collected,
    add: &mut dyn FnMut(PathBuf, bool, &mut Collected),
) {
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !exclude.matches(entry.path()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error
                    .path()
                    .map_or_else(|| dir.display().to_string(), |p| p.display().to_string());
                let message = if error.loop_ancestor().is_some() {
                    "a link here leads back to a directory above it: not followed".to_owned()
                } else {
                    format!("cannot read it: {}", lower_first(&error.to_string()))
                };
                if error.loop_ancestor().is_some() {
                    collected
                        .skipped
                        .push(Problem::in_file(Code::SkippedFile, path, message));
                } else {
                    collected
                        .problems
                        .push(Problem::in_file(Code::Unreadable, path, message));
                }
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let path = entry.path();
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_lowercase)
            .unwrap_or_default();
        if !EXTENSIONS.contains(&extension.as_str()) {
            collected.skipped.push(skipped(
                path,
                "not a record file, letter or report (by its extension)",
            ));
        } else {
            add(path.to_path_buf(), false, collected);
        }
    }
}

/// A warning for a file left out.
pub fn skipped(path: &Path, why: &str) -> Problem {
    Problem::in_file(Code::SkippedFile, path.display().to_string(), format!("skipped: {why}"))
        .with_help("name a file on the command line to have it read whatever its name; `--exclude PATTERN` leaves files out")
}

/// The bytes of a file, or why they cannot be read: not there, not a regular file, too large.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, Problem> {
    let name = path.display().to_string();
    let file = open_file(path)?;
    // A regular file's size is known: room for it (and a byte to see it grew) is enough.
    let size = file.metadata().map(|meta| meta.len()).ok();
    read_rest(file, &name, Vec::new(), size)
}

/// A file opened for reading, or why it cannot be: not there, not a regular file, too large.
fn open_file(path: &Path) -> Result<std::fs::File, Problem> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|error| {
        Problem::in_file(
            Code::Unreadable,
            &name,
            format!("cannot read the file: {}", lower_first(&error.to_string())),
        )
    })?;
    if !meta.is_file() {
        return Err(Problem::in_file(
            Code::NotAFile,
            &name,
            "not a regular file (a directory, a pipe or a device): not read",
        )
        .with_help("give the path of a file"));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(&name, Some(meta.len())));
    }
    std::fs::File::open(path).map_err(|error| {
        Problem::in_file(
            Code::Unreadable,
            &name,
            format!("cannot read the file: {}", lower_first(&error.to_string())),
        )
    })
}

/// Standard input, read to its end (at most [`MAX_FILE_BYTES`]).
pub fn read_stdin() -> Result<Vec<u8>, Problem> {
    read_limited(std::io::stdin().lock(), "-")
}

fn read_limited(reader: impl std::io::Read, name: &str) -> Result<Vec<u8>, Problem> {
    read_rest(reader, name, Vec::new(), None)
}

/// The rest of a stream after `bytes`, all of it within [`MAX_FILE_BYTES`].
/// `size`, where known (a regular file's), is how much room to set aside.
fn read_rest(
    reader: impl std::io::Read,
    name: &str,
    mut bytes: Vec<u8>,
    size: Option<u64>,
) -> Result<Vec<u8>, Problem> {
    // Room for the whole rest is set aside first, up to the limit where its size is not known
    // (standard input): untouched, it costs address space, not memory, and the buffer never
    // grows by copying (a stream just past the limit would otherwise take two or three times
    // the memory of a file of the same size).
    let left = (MAX_FILE_BYTES + 1).saturating_sub(bytes.len() as u64);
    let room = size.map_or(left, |size| {
        left.min(size.saturating_sub(bytes.len() as u64) + 1)
    });
    bytes.reserve_exact(usize::try_from(room).unwrap_or(usize::MAX));
    reader.take(left).read_to_end(&mut bytes).map_err(|error| {
        Problem::in_file(
            Code::Unreadable,
            name,
            format!("cannot read the file: {}", lower_first(&error.to_string())),
        )
    })?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        // Counted as it was read: the size past the limit is not known.
        return Err(too_large(name, None));
    }
    Ok(bytes)
}

/// The text of a file, or why it cannot be read: missing, not a regular file, too large, not
/// UTF-8.
pub fn read_text(path: &Path) -> Result<SourceText, Problem> {
    let bytes = read_bytes(path)?;
    text_of(path.display().to_string(), bytes)
}

/// Bytes as the text of a named input.
pub fn text_of(name: String, bytes: Vec<u8>) -> Result<SourceText, Problem> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceText::new(name, text)),
        Err(error) => Err(Problem::in_file(
            Code::InvalidUtf8,
            name,
            format!(
                "the file is not UTF-8 text (invalid byte at offset {})",
                error.utf8_error().valid_up_to()
            ),
        )),
    }
}

/// The text of a CSV table: UTF-8, or else Windows-1252, the encoding spreadsheets save CSV in
/// (every byte is a character of it but five, which refuse the file), with a warning naming
/// the first byte that is not UTF-8.
pub fn csv_text_of(name: String, bytes: Vec<u8>) -> Result<(SourceText, Option<Problem>), Problem> {
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return Ok((SourceText::new(name, text), None)),
        Err(error) => error,
    };
    let at = bytes.utf8_error().valid_up_to();
    let bytes = bytes.into_bytes();
    match encoding_rs::WINDOWS_1252.decode_without_bom_handling_and_without_replacement(&bytes) {
        Some(text) => {
            let text = SourceText::new(name, text.into_owned());
            // The bytes before `at` are ASCII or UTF-8 read the same, so the first one
            // that is not is the character at that many bytes of the valid prefix's length.
            let prefix = String::from_utf8_lossy(&bytes[..at]);
            let offset = text
                .text
                .char_indices()
                .nth(prefix.chars().count())
                .map_or(text.text.len(), |(i, _)| i);
            let end = text.text[offset..]
                .chars()
                .next()
                .map_or(offset, |c| offset + c.len_utf8());
            let warning = Problem::at(
                Code::LegacyEncoding,
                &text,
                offset..end,
                format!(
                    "the file is not UTF-8: read as Windows-1252, in which byte 0x{:02X} here is `{}`",
                    bytes[at],
                    &text.text[offset..end]
                ),
            )
            .with_help("spreadsheets save CSV in Windows-1252; save it as UTF-8 to silence this");
            Ok((text, Some(warning)))
        }
        None => Err(Problem::in_file(
            Code::InvalidUtf8,
            name,
            format!(
                "the file is neither UTF-8 nor Windows-1252 text (invalid byte at offset {at})"
            ),
        )),
    }
}

/// The texts of a rule directory: its `.toml` files, sorted. Fails, with a problem for each
/// file, when the directory or a file cannot be read.
pub fn rule_dir(dir: &Path) -> Result<Vec<SourceText>, Vec<Problem>> {
    let name = dir.display().to_string();
    let entries = std::fs::read_dir(dir).map_err(|error| {
        vec![Problem::in_file(
            Code::Unreadable,
            &name,
            format!(
                "cannot read the rule directory: {}",
                lower_first(&error.to_string())
            ),
        )]
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    paths.sort();
    let mut sources = Vec::new();
    let mut problems = Vec::new();
    for path in &paths {
        match read_text(path) {
            Ok(source) => sources.push(source),
            Err(problem) => problems.push(problem),
        }
    }
    if paths.is_empty() {
        problems.push(
            Problem::in_file(Code::NoRules, &name, "the rule directory holds no `.toml` files")
                .with_help("a rule directory holds scales, documents and rule sets as `.toml` files; see docs/rules.md"),
        );
    }
    if problems.is_empty() {
        Ok(sources)
    } else {
        Err(problems)
    }
}

/// An authorities table from a CSV file.
pub fn authorities(path: &Path) -> Result<Authorities, Vec<Problem>> {
    let source = read_text(path).map_err(|problem| vec![problem])?;
    Authorities::from_csv(&source)
}

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
        let opened: Result<(Box<dyn std::io::Read>, Option<u64>), Problem> = if is_stdin {
            Ok((Box::new(std::io::stdin().lock()), None))
        } else {
            open_file(&input.path).map(|file| {
                let size = file.metadata().map(|meta| meta.len()).ok();
                (Box::new(file) as Box<dyn std::io::Read>, size)
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

/// A report PDF as records: the grades of its page-one table, with the disagreements found
/// inside it.
pub fn read_pdf_file(
    input: &InputFile,
    book: &ratings_core::RuleBook,
    authorities: &Authorities,
) -> ReadFile {
    let name = input.path.display().to_string();
    let bytes = match read_bytes(&input.path) {
        Ok(bytes) => bytes,
        Err(problem) => return ReadFile::unreadable(problem),
    };
    read_pdf_bytes(&name, &bytes, book, authorities)
}

/// Read a report from its bytes.
fn read_pdf_bytes(
    name: &str,
    bytes: &[u8],
    book: &ratings_core::RuleBook,
    authorities: &Authorities,
) -> ReadFile {
    match crate::pdf_reports::read_pdf(name, bytes, book, authorities) {
        Ok(report) => crate::letter::to_read_file(&report.text, &report.extraction),
        Err(problem) => ReadFile::unreadable(*problem),
    }
}

/// Read every input into a checker, in order; reports (the slow part) are read on all cores
/// first, and handed over in input order, so the output does not depend on the threads.
pub fn read_all(
    inputs: &[InputFile],
    stdin_format: Option<InputFormat>,
    columns: &[crate::ColumnMap],
    checker: &mut Checker<'_>,
    book: &ratings_core::RuleBook,
    authorities: &Authorities,
) {
    let pdfs: Vec<usize> = (0..inputs.len())
        .filter(|&i| InputFormat::of(&inputs[i].path) == Some(InputFormat::Pdf))
        .collect();
    let mut read: Vec<Option<ReadFile>> = (0..inputs.len()).map(|_| None).collect();
    if !pdfs.is_empty() {
        let workers = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(pdfs.len());
        let next = std::sync::atomic::AtomicUsize::new(0);
        let results = std::sync::Mutex::new(Vec::with_capacity(pdfs.len()));
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| loop {
                    let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(&at) = pdfs.get(index) else { break };
                    let file = read_pdf_file(&inputs[at], book, authorities);
                    if let Ok(mut results) = results.lock() {
                        results.push((at, file));
                    }
                });
            }
        });
        for (at, file) in results.into_inner().unwrap_or_default() {
            read[at] = Some(file);
        }
    }
    for (index, input) in inputs.iter().enumerate() {
        match read[index].take() {
            Some(file) => checker.add_file(&file),
            None => read_into(input, stdin_format, columns, checker, book, authorities),
        }
    }
}

/// A column map from a file.
pub fn column_map(path: &Path) -> Result<crate::ColumnMap, Vec<Problem>> {
    let source = read_text(path).map_err(|problem| vec![problem])?;
    crate::ColumnMap::from_toml(&source)
}
