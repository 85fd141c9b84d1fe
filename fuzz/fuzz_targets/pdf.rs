//! The PDF reader never panics and never works past its limits, on any file, and on any
//! page content and character map inside a well-formed file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ratings_pdf::{extract, read_report, LIMITS};

/// A one-page file whose page content and ToUnicode map are the fuzzer's, split at the first
/// 0xFF byte.
fn wrapped(data: &[u8]) -> Vec<u8> {
    let (content, cmap) = match data.iter().position(|&b| b == 0xFF) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R /F2 7 0 R >> /XObject << /X 4 0 R >> >> /Contents [4 0 R 4 0 R] >>".to_vec(),
        stream("/Type /XObject /Subtype /Form /BBox [0 0 10 10]", content),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /F /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 8 0 R >>".to_vec(),
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /F /DW 500 >>".to_vec(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 8 0 R >>".to_vec(),
        stream("", cmap),
    ];
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    out
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut s = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    s.extend_from_slice(data);
    s.extend_from_slice(b"\nendstream");
    s
}

fuzz_target!(|data: &[u8]| {
    // The first byte chooses: the whole file as given, or content and a map in a good file.
    let bytes = match data.split_first() {
        Some((mode, rest)) if mode % 2 == 1 => wrapped(rest),
        _ => data.to_vec(),
    };
    let _ = read_report(&bytes);
    if let Ok(x) = extract(&bytes) {
        let work = x.work;
        assert!(work.decoded_bytes <= LIMITS.decoded_bytes);
        assert!(work.content_bytes <= LIMITS.content_bytes);
        assert!(work.operators <= LIMITS.operators);
        assert!(work.forms_drawn <= LIMITS.forms_drawn);
        assert!(work.glyphs <= LIMITS.glyphs);
        assert!(work.text_bytes <= LIMITS.text_bytes);
        assert!(x.pages.len() as u64 <= LIMITS.pages);
    }
});
