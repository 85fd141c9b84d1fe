//! What reading one file may cost, and what it did cost: every piece of work the reader does
//! for a file is counted as it is done, and the reading stops with the name of the limit the
//! moment a count would pass it.

use std::cell::Cell;

/// The reader's limits on the work one file may cause. Each is far above what a real report
/// needs (README, "Bounds", gives the largest figure met on the 124 reports beside each).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Bytes one stream may decode to.
    pub stream_bytes: u64,
    /// Bytes every stream of the file may decode to in all, counting each stage of a chain
    /// of filters. A stream is decoded at most once per file, however often it is named.
    pub decoded_bytes: u64,
    /// Objects parsed.
    pub objects: u64,
    /// Pages.
    pub pages: u64,
    /// Bytes of content streams interpreted, in all pages: a stream named twice, or a form
    /// drawn twice, counts twice, since it is interpreted twice.
    pub content_bytes: u64,
    /// Content operators interpreted.
    pub operators: u64,
    /// Form XObjects drawn.
    pub forms_drawn: u64,
    /// Glyphs shown.
    pub glyphs: u64,
    /// Bytes (UTF-8) of the text the glyphs stand for.
    pub text_bytes: u64,
    /// UTF-16 code units one glyph may stand for in a ToUnicode map (the PDF standard's
    /// 512 bytes); a longer mapping makes the font unreadable.
    pub cmap_target_units: u64,
}

/// The limits every call uses.
pub const LIMITS: Limits = Limits {
    stream_bytes: 64 << 20,
    decoded_bytes: 256 << 20,
    objects: 2_000_000,
    pages: 5_000,
    content_bytes: 256 << 20,
    operators: 10_000_000,
    forms_drawn: 10_000,
    glyphs: 2_000_000,
    text_bytes: 16 << 20,
    cmap_target_units: 256,
};

/// What reading one file cost, counted as the work was done. When a limit was reached the
/// count that reached it is the one the reading stopped at, so none is ever far past its
/// limit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Work {
    /// Bytes produced by stream filters, every stage counted.
    pub decoded_bytes: u64,
    /// Streams decoded (each at most once).
    pub streams_decoded: u64,
    /// Bytes of content streams interpreted.
    pub content_bytes: u64,
    /// Content operators interpreted.
    pub operators: u64,
    /// Form XObjects drawn.
    pub forms_drawn: u64,
    /// Glyphs shown.
    pub glyphs: u64,
    /// Bytes of text the glyphs stand for.
    pub text_bytes: u64,
}

/// A count the interpreter charges as it works.
#[derive(Clone, Copy, Debug)]
pub enum Charge {
    ContentBytes,
    Operators,
    FormsDrawn,
    Glyphs,
    TextBytes,
}

/// The work of one file so far.
#[derive(Default)]
pub struct Meter {
    work: Cell<Work>,
}

impl Meter {
    pub fn work(&self) -> Work {
        self.work.get()
    }

    /// Adds `n` to a count, or says which limit it would pass (and adds nothing).
    pub fn charge(&self, what: Charge, n: u64) -> Result<(), String> {
        let mut work = self.work.get();
        let (count, limit, unit) = match what {
            Charge::ContentBytes => (
                &mut work.content_bytes,
                LIMITS.content_bytes,
                "bytes of page content",
            ),
            Charge::Operators => (&mut work.operators, LIMITS.operators, "content operators"),
            Charge::FormsDrawn => (&mut work.forms_drawn, LIMITS.forms_drawn, "form drawings"),
            Charge::Glyphs => (&mut work.glyphs, LIMITS.glyphs, "glyphs"),
            Charge::TextBytes => (&mut work.text_bytes, LIMITS.text_bytes, "bytes of text"),
        };
        let total = count.saturating_add(n);
        if total > limit {
            return Err(format!(
                "more than {} {unit} in the file (the reader's limit)",
                thousands(limit)
            ));
        }
        *count = total;
        self.work.set(work);
        Ok(())
    }

    /// Records a stream decoded to `bytes` in all stages.
    pub fn decoded(&self, bytes: u64) {
        let mut work = self.work.get();
        work.decoded_bytes = work.decoded_bytes.saturating_add(bytes);
        work.streams_decoded += 1;
        self.work.set(work);
    }

    /// Bytes the file's streams may still decode to.
    pub fn decoded_left(&self) -> u64 {
        LIMITS
            .decoded_bytes
            .saturating_sub(self.work.get().decoded_bytes)
    }
}

/// `268435456` as `268,435,456`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_charge_past_the_limit_is_refused_and_adds_nothing() {
        let meter = Meter::default();
        assert!(meter.charge(Charge::FormsDrawn, LIMITS.forms_drawn).is_ok());
        let refused = meter.charge(Charge::FormsDrawn, 1);
        assert_eq!(
            refused,
            Err("more than 10,000 form drawings in the file (the reader's limit)".to_owned())
        );
        assert_eq!(meter.work().forms_drawn, LIMITS.forms_drawn);
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(268_435_456), "268,435,456");
    }
}
