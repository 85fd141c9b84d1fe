//! A small, bounded PDF reader: enough of ISO 32000-1 to get positioned text out of
//! the pages of an unencrypted PDF. No unsafe code, no other programs, no C.

pub mod content;
pub mod document;
#[rustfmt::skip]
pub mod encodings;
pub mod filters;
pub mod font;
pub mod layout;
pub mod object;

pub use document::PdfError;
pub use layout::{TextLine, Word};

/// The text of one page.
#[derive(Debug, Default)]
pub struct PageText {
    pub lines: Vec<TextLine>,
    /// Images drawn on the page (XObjects and inline).
    pub images: usize,
    /// Glyphs with text.
    pub glyphs: usize,
    /// Glyphs whose text could not be determined (no ToUnicode, unknown glyph names).
    pub unmapped: usize,
    /// Glyphs drawn rotated or mirrored, left out of `lines`.
    pub rotated: usize,
    pub problems: Vec<String>,
}

#[derive(Debug, Default)]
pub struct Extracted {
    pub pages: Vec<PageText>,
    pub warnings: Vec<String>,
}

/// Opens `bytes` as a PDF and extracts positioned text lines from every page.
pub fn extract(bytes: &[u8]) -> Result<Extracted, PdfError> {
    let doc = document::Document::open(bytes)?;
    let pages = doc.pages().map_err(PdfError::Broken)?;
    let budget = content::Budget::new();
    let mut interp = content::Interp::new(&doc, &budget);
    let mut out = Extracted::default();
    for page in &pages {
        let pc = interp.page(page);
        out.pages.push(PageText {
            lines: layout::lines(&pc.glyphs),
            images: pc.images,
            glyphs: pc.glyphs.len(),
            unmapped: pc.unmapped,
            rotated: pc.rotated,
            problems: pc.problems,
        });
    }
    out.warnings = doc.warnings.borrow().clone();
    Ok(out)
}
