//! Hostile and broken inputs: every one must give an error (or a result) quickly, never a
//! panic, a hang, a stack overflow or an out-of-memory abort.

use std::time::{Duration, Instant};

use ratings_pdf::{read_report, ReportError};

/// A PDF from numbered object bodies, with a correct xref table.
fn build(objs: &[(u32, Vec<u8>)], trailer_extra: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offs = Vec::new();
    for (n, body) in objs {
        offs.push((*n, out.len()));
        out.extend_from_slice(format!("{n} 0 obj\n").as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let size = objs.iter().map(|(n, _)| *n).max().unwrap_or(0) + 1;
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {size}\n0000000000 65535 f \n").as_bytes());
    for n in 1..size {
        match offs.iter().find(|(m, _)| *m == n) {
            Some((_, o)) => out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes()),
            None => out.extend_from_slice(b"0000000000 65535 f \n"),
        }
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {size} /Root 1 0 R {trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n"
        )
        .as_bytes(),
    );
    out
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut s = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    s.extend_from_slice(data);
    s.extend_from_slice(b"\nendstream");
    s
}

fn page_with(content: Vec<u8>, resources: &str) -> Vec<(u32, Vec<u8>)> {
    vec![
        (1, b"<< /Type /Catalog /Pages 2 0 R >>".to_vec()),
        (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec()),
        (3, format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources {resources} /Contents 4 0 R >>").into_bytes()),
        (4, content),
        (5, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec()),
    ]
}

fn check(name: &str, bytes: &[u8]) -> Result<ratings_pdf::Report, ReportError> {
    let t = Instant::now();
    let r = read_report(bytes);
    assert!(
        t.elapsed() < Duration::from_secs(5),
        "{name}: took {:?}",
        t.elapsed()
    );
    r
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let mut body = vec![b'['; 1_000_000];
    body.extend(vec![b']'; 1_000_000]);
    let mut objs = page_with(
        stream("", b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET"),
        "<< /Font << /F1 5 0 R >> >>",
    );
    objs.push((6, body));
    objs[0].1 = b"<< /Type /Catalog /Pages 2 0 R /Deep 6 0 R >>".to_vec();
    assert!(check("nesting", &build(&objs, "")).is_err());
    // Deep nesting inside a content stream.
    let mut c = vec![b'['; 200_000];
    c.extend_from_slice(b"] TJ");
    assert!(check(
        "content nesting",
        &build(&page_with(stream("", &c), "<< >>"), "")
    )
    .is_err());
}

#[test]
fn cycles_end() {
    // Page tree whose Kids include itself.
    let objs = vec![
        (1, b"<< /Type /Catalog /Pages 2 0 R >>".to_vec()),
        (
            2,
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>".to_vec(),
        ),
        (3, b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>".to_vec()),
    ];
    assert!(check("page tree cycle", &build(&objs, "")).is_err());
    // A form XObject that draws itself.
    let mut objs = page_with(stream("", b"/X1 Do"), "<< /XObject << /X1 6 0 R >> >>");
    objs.push((6, stream("/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X1 6 0 R >> >>", b"/X1 Do")));
    assert!(check("form cycle", &build(&objs, "")).is_err());
    // References that point at each other.
    let mut objs = page_with(stream("", b""), "7 0 R");
    objs.push((7, b"8 0 R".to_vec()));
    objs.push((8, b"7 0 R".to_vec()));
    assert!(check("reference cycle", &build(&objs, "")).is_err());
    // An xref /Prev chain that loops.
    let mut b = build(&page_with(stream("", b""), "<< >>"), "");
    let sx = b.windows(9).rposition(|w| w == b"startxref").unwrap();
    let off: String = String::from_utf8_lossy(&b[sx + 10..])
        .lines()
        .next()
        .unwrap()
        .to_string();
    let t = b.windows(7).rposition(|w| w == b"trailer").unwrap();
    let tail = format!("trailer\n<< /Size 6 /Root 1 0 R /Prev {off} >>\nstartxref\n{off}\n%%EOF\n");
    b.truncate(t);
    b.extend_from_slice(tail.as_bytes());
    let _ = check("prev loop", &b);
}

#[test]
fn decompression_bomb_is_refused() {
    let zeros = vec![b' '; 80 << 20];
    let z = miniz_oxide::deflate::compress_to_vec_zlib(&zeros, 9);
    let objs = page_with(stream("/Filter /FlateDecode", &z), "<< >>");
    match check("bomb", &build(&objs, "")) {
        Err(ReportError::Unreadable(m)) => assert!(m.contains("limit"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn absurd_numbers() {
    // /Length past the end, huge xref counts, negative offsets, a huge /W.
    let mut objs = page_with(
        b"<< /Length 99999999999 >>\nstream\nBT ET\nendstream".to_vec(),
        "<< >>",
    );
    objs.push((
        6,
        b"<< /Type /XRef /W [8 8 8] /Size 4000000000 /Index [0 4000000000] >>".to_vec(),
    ));
    let _ = check("numbers", &build(&objs, ""));
    let mut b = b"%PDF-1.4\nxref\n0 999999999\n".to_vec();
    b.extend_from_slice(b"trailer << /Root 1 0 R >>\nstartxref\n9\n%%EOF\n");
    assert!(check("xref count", &b).is_err());
    let b = b"%PDF-1.4\n1 0 obj << /Type /XRef /W [1 9999999999 1] /Size 5 /Length 3 >> stream\nabc\nendstream endobj\nstartxref\n9\n%%EOF\n";
    assert!(check("huge W", b).is_err());
    // An object stream that claims to contain itself.
    let mut objs = page_with(stream("", b""), "<< >>");
    objs.push((
        6,
        stream("/Type /ObjStm /N 1000000000 /First 4", b"6 0 <<>>"),
    ));
    let _ = check("objstm", &build(&objs, ""));
}

#[test]
fn garbage_after_the_header() {
    let mut seed: u64 = 12345;
    for len in [0usize, 1, 10, 100, 1000, 10_000, 100_000] {
        let mut b = b"%PDF-1.5\n".to_vec();
        for _ in 0..len {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            b.push((seed >> 56) as u8);
        }
        b.extend_from_slice(b"\n%%EOF\n");
        assert!(check("garbage", &b).is_err());
    }
    // Many "obj" keywords and nothing else.
    let mut b = b"%PDF-1.5\n".to_vec();
    for i in 0..50_000 {
        b.extend_from_slice(format!("{i} 0 obj [ ").as_bytes());
    }
    b.extend_from_slice(b"\n%%EOF\n");
    assert!(check("many objs", &b).is_err());
}

#[test]
fn operators_in_bulk_are_bounded() {
    // 3 million tiny show operators in one stream, compressed.
    let mut c = b"BT /F1 1 Tf ".to_vec();
    for _ in 0..3_000_000 {
        c.extend_from_slice(b"(a)Tj ");
    }
    c.extend_from_slice(b"ET");
    let z = miniz_oxide::deflate::compress_to_vec_zlib(&c, 6);
    let objs = page_with(
        stream("/Filter /FlateDecode", &z),
        "<< /Font << /F1 5 0 R >> >>",
    );
    let t = Instant::now();
    let _ = read_report(&build(&objs, ""));
    assert!(t.elapsed() < Duration::from_secs(20), "{:?}", t.elapsed());
}
