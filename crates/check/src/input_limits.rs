//! How much of an input is read, and the problems of an input that cannot be read: below
//! both the finding of files (`files`) and the streamed reading of long CSV (`stream_csv`), so
//! that neither imports the other.

use ratings_core::{Code, Problem};

/// Files larger than this are refused rather than read into memory.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// The problem of a read that failed.
pub(crate) fn cannot_read(name: &str, error: &std::io::Error) -> Problem {
    Problem::in_file(
        Code::Unreadable,
        name,
        format!("cannot read the file: {}", lower_first(&error.to_string())),
    )
}

pub(crate) fn too_large(name: &str, bytes: Option<u64>) -> Problem {
    let size = match bytes {
        Some(bytes) => format!("{} MiB", bytes >> 20),
        None => "larger".to_owned(),
    };
    Problem::in_file(
        Code::FileTooLarge,
        name,
        format!(
            "the file is {size}, more than the {} MiB a file may be",
            MAX_FILE_BYTES >> 20
        ),
    )
    .with_help("split it into several files, or a directory of them")
}

/// The first letter lower case, as messages quote an operating system's error.
pub(crate) fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
