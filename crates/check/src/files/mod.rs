//! Finding and reading input files: record files (`.toml`, `.csv`), letters (`.txt`), report
//! PDFs (`.pdf`), directories of them, rule directories and authorities tables.
//!
//! Only regular files are read (a FIFO or a device would block or never end), each at most
//! [`MAX_FILE_BYTES`], counted as it is read. A file named twice, by two paths or through a
//! link, is read once. A directory walk follows links but never loops.
//!
//! One file per step: `discover.rs` finds the files under the paths, `read.rs` reads one
//! within the limits (and rule directories, authorities tables, column maps), `sniff.rs`
//! recognises its format and reads it into a checker, and `pdfs.rs` reads the reports on all
//! cores (`read_all`, every input in order).

mod discover;
mod pdfs;
mod read;
mod sniff;

pub use crate::input_limits::MAX_FILE_BYTES;
pub use discover::{collect, skipped, Collected, Exclude, InputFile, EXTENSIONS};
pub use pdfs::{read_all, read_pdf_file};
pub use read::{
    authorities, column_map, csv_text_of, read_bytes, read_stdin, read_text, rule_dir, text_of,
};
pub use sniff::{read_into, InputFormat};
