//! A small, bounded PDF reader: enough of ISO 32000-1 to get positioned text out of
//! the pages of an unencrypted PDF. No unsafe code, no other programs, no C.

mod content;
mod document;
mod error;
#[rustfmt::skip]
mod encodings;
mod filters;
mod font;
mod lines;
mod object;
mod work;

pub use error::{Damage, Limit, PdfError, Truncation};
pub use lines::{TextLine, Word};
pub use work::{Limits, Work, LIMITS};

/// The text of one page.
#[derive(Debug, Default)]
pub struct PageText {
    /// The lines of text, top to bottom.
    pub lines: Vec<TextLine>,
    /// Images drawn on the page (XObjects and inline).
    pub images: usize,
    /// Glyphs with text.
    pub glyphs: usize,
    /// Glyphs whose text could not be determined (no ToUnicode, unknown glyph names).
    pub unmapped: usize,
    /// Glyphs drawn rotated or mirrored, left out of `lines`.
    pub rotated: usize,
    /// What went wrong on the page without stopping the reading.
    pub problems: Vec<String>,
}

#[derive(Debug, Default)]
/// The text of every page of a document.
pub struct Extracted {
    /// The pages, in order.
    pub pages: Vec<PageText>,
    /// What was repaired or left out while reading the file.
    pub warnings: Vec<String>,
    /// What reading the file cost.
    pub work: Work,
}

/// Opens `bytes` as a PDF and extracts positioned text lines from every page.
pub fn extract(bytes: &[u8]) -> Result<Extracted, PdfError> {
    let doc = document::Document::open(bytes)?;
    let pages = doc.pages()?;
    let mut interp = content::Interp::new(&doc);
    let mut out = Extracted::default();
    for page in &pages {
        let pc = interp.page(page);
        out.pages.push(PageText {
            lines: lines::assemble(&pc.glyphs),
            images: pc.images,
            glyphs: pc.glyphs.len(),
            unmapped: pc.unmapped,
            rotated: pc.rotated,
            problems: pc.problems,
        });
    }
    out.warnings = doc.warnings.borrow().clone();
    out.work = doc.meter.work();
    Ok(out)
}
