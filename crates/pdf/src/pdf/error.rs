//! Why a file could not be opened as a PDF, as data: which way it is cut short, damaged, or
//! too big. `Display` gives each reason as one line.

use std::fmt;

use super::work::thousands;

/// Why a file could not be opened as a PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PdfError {
    /// The bytes do not start like a PDF.
    NotPdf,
    /// The file is encrypted; nothing is decrypted.
    Encrypted,
    /// The file is cut short, and where.
    Truncated(Truncation),
    /// The file is damaged beyond repair, and how.
    Broken(Damage),
    /// A limit on the work or memory one file may take was reached, and which.
    TooBig(Limit),
}

/// How a file shows it was cut short.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Truncation {
    /// Too few bytes after the header to be any PDF.
    TooShort {
        /// The file's size.
        bytes: usize,
    },
    /// No `%%EOF` in the last 1024 bytes.
    NoEndMarker {
        /// The file's size.
        bytes: usize,
    },
}

/// What is damaged beyond repair in a file's structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Damage {
    /// Scanning the file found no object.
    NoObjects,
    /// No trailer names a document catalog.
    NoCatalog,
    /// The document catalog is not a dictionary.
    CatalogNotADictionary,
    /// The catalog names no page tree.
    NoPageTree,
    /// The page tree nests deeper than any real document's.
    PageTreeTooDeep,
    /// A node of the page tree is its own descendant.
    PageTreeCycle,
}

/// A limit of [`LIMITS`](super::LIMITS) that the file's structure passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Limit {
    /// Objects found while rebuilding the cross-reference table.
    Objects,
    /// Pages in the page tree: more than this many.
    Pages(u64),
}

impl fmt::Display for Truncation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Truncation::TooShort { bytes } => write!(f, "only {bytes} bytes"),
            Truncation::NoEndMarker { bytes } => {
                write!(f, "no %%EOF end marker in the last 1024 of {bytes} bytes")
            }
        }
    }
}

impl fmt::Display for Damage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Damage::NoObjects => "no objects found",
            Damage::NoCatalog => "no document catalog found",
            Damage::CatalogNotADictionary => "document catalog is not a dictionary",
            Damage::NoPageTree => "catalog has no /Pages",
            Damage::PageTreeTooDeep => "page tree too deep",
            Damage::PageTreeCycle => "page tree has a cycle",
        })
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limit::Objects => write!(f, "too many objects"),
            Limit::Pages(most) => {
                write!(
                    f,
                    "more than {} pages (the reader's limit)",
                    thousands(*most)
                )
            }
        }
    }
}
