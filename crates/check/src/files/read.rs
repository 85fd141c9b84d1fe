//! Reading one file: only a regular file (a FIFO or a device would block or never end), at
//! most [`MAX_FILE_BYTES`], counted as it is read; its bytes as UTF-8 text (or, for a CSV
//! table, Windows-1252); and the files that are not inputs: rule directories, authorities
//! tables and column maps.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use ratings_core::{Code, Problem, SourceText};

use crate::authority::Authorities;
use crate::input_limits::{lower_first, too_large, MAX_FILE_BYTES};

/// The bytes of a file, or why they cannot be read: not there, not a regular file, too large.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, Problem> {
    let name = path.display().to_string();
    let file = open_file(path)?;
    // A regular file's size is known: room for it (and a byte to see it grew) is enough.
    let size = file.metadata().map(|meta| meta.len()).ok();
    read_rest(file, &name, Vec::new(), size)
}

/// A file opened for reading, or why it cannot be: not there, not a regular file, too large.
pub(super) fn open_file(path: &Path) -> Result<std::fs::File, Problem> {
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
pub(super) fn read_rest(
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

/// A column map from a file.
pub fn column_map(path: &Path) -> Result<crate::ColumnMap, Vec<Problem>> {
    let source = read_text(path).map_err(|problem| vec![problem])?;
    crate::ColumnMap::from_toml(&source)
}
