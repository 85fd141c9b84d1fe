//! Hostile and broken inputs: every one must give an error (or a result), never a panic, a
//! hang, a stack overflow or an out-of-memory abort. Whether the reading stopped early is
//! asserted on the work it did (`ratings_pdf::Work`, counted as it works), never on time.

use ratings_pdf::{extract, read_report, ReportError, Work, LIMITS};

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

/// The message of the `Unreadable` error a file must give, and the work reading it took.
#[track_caller]
fn unreadable(bytes: &[u8]) -> (String, Work) {
    let work = extract(bytes).expect("the file opens").work;
    match read_report(bytes) {
        Err(ReportError::Unreadable(why)) => (why.to_string(), work),
        other => panic!("expected an unreadable file, got {other:?}"),
    }
}

fn zlib(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 9)
}

/// One page drawn in a Type0 font (object 5) whose ToUnicode map (object 7) is `cmap`.
fn type0_page(content: &[u8], cmap: &[u8]) -> Vec<u8> {
    let objs = vec![
        (1, b"<< /Type /Catalog /Pages 2 0 R >>".to_vec()),
        (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec()),
        (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".to_vec()),
        (4, stream("/Filter /FlateDecode", &zlib(content))),
        (5, b"<< /Type /Font /Subtype /Type0 /BaseFont /Test /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>".to_vec()),
        (6, b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Test /DW 500 >>".to_vec()),
        (7, stream("/Filter /FlateDecode", &zlib(cmap))),
    ];
    build(&objs, "")
}

/// A ToUnicode map from code 1 to `units` letters A, and content showing code 1 `glyphs` times.
fn long_glyphs(units: usize, glyphs: usize) -> Vec<u8> {
    let mut cmap =
        b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n1 beginbfchar <0001> <".to_vec();
    cmap.extend(b"0041".repeat(units));
    cmap.extend_from_slice(b"> endbfchar\n");
    let mut content = b"BT /F1 1 Tf 72 700 Td <".to_vec();
    content.extend(b"0001".repeat(glyphs));
    content.extend_from_slice(b"> Tj ET");
    type0_page(&content, &cmap)
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
    assert!(read_report(&build(&objs, "")).is_err());
    // Deep nesting inside a content stream.
    let mut c = vec![b'['; 200_000];
    c.extend_from_slice(b"] TJ");
    assert!(read_report(&build(&page_with(stream("", &c), "<< >>"), "")).is_err());
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
    assert!(read_report(&build(&objs, "")).is_err());
    // A form XObject that draws itself.
    let mut objs = page_with(stream("", b"/X1 Do"), "<< /XObject << /X1 6 0 R >> >>");
    objs.push((6, stream("/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X1 6 0 R >> >>", b"/X1 Do")));
    assert!(read_report(&build(&objs, "")).is_err());
    // References that point at each other.
    let mut objs = page_with(stream("", b""), "7 0 R");
    objs.push((7, b"8 0 R".to_vec()));
    objs.push((8, b"7 0 R".to_vec()));
    assert!(read_report(&build(&objs, "")).is_err());
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
    let _ = read_report(&b);
}

#[test]
fn decompression_bomb_is_refused() {
    let zeros = vec![b' '; 80 << 20];
    let objs = page_with(stream("/Filter /FlateDecode", &zlib(&zeros)), "<< >>");
    let (message, work) = unreadable(&build(&objs, ""));
    assert_eq!(
        message,
        "page 1: content stream unreadable: a stream decodes to more than 67,108,864 bytes (the reader's limit)"
    );
    assert_eq!(
        work.decoded_bytes, LIMITS.stream_bytes,
        "inflating stopped at the limit"
    );
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
    let _ = read_report(&build(&objs, ""));
    let mut b = b"%PDF-1.4\nxref\n0 999999999\n".to_vec();
    b.extend_from_slice(b"trailer << /Root 1 0 R >>\nstartxref\n9\n%%EOF\n");
    assert!(read_report(&b).is_err());
    let b = b"%PDF-1.4\n1 0 obj << /Type /XRef /W [1 9999999999 1] /Size 5 /Length 3 >> stream\nabc\nendstream endobj\nstartxref\n9\n%%EOF\n";
    assert!(read_report(b).is_err());
    // An object stream that claims to contain itself.
    let mut objs = page_with(stream("", b""), "<< >>");
    objs.push((
        6,
        stream("/Type /ObjStm /N 1000000000 /First 4", b"6 0 <<>>"),
    ));
    let _ = read_report(&build(&objs, ""));
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
        assert!(read_report(&b).is_err());
    }
    // Many "obj" keywords and nothing else.
    let mut b = b"%PDF-1.5\n".to_vec();
    for i in 0..50_000 {
        b.extend_from_slice(format!("{i} 0 obj [ ").as_bytes());
    }
    b.extend_from_slice(b"\n%%EOF\n");
    assert!(read_report(&b).is_err());
}

#[test]
fn glyphs_in_bulk_are_bounded() {
    // 3 million tiny show operators in one stream, compressed: more glyphs than the limit.
    let mut c = b"BT /F1 1 Tf ".to_vec();
    c.extend(b"(a)Tj ".repeat(3_000_000));
    c.extend_from_slice(b"ET");
    let objs = page_with(
        stream("/Filter /FlateDecode", &zlib(&c)),
        "<< /Font << /F1 5 0 R >> >>",
    );
    let (message, work) = unreadable(&build(&objs, ""));
    assert!(message.contains("more than 2,000,000 glyphs"), "{message}");
    assert_eq!(work.glyphs, LIMITS.glyphs);
}

#[test]
fn operators_in_bulk_are_bounded() {
    // 11 million operators that draw nothing.
    let c = b"Q ".repeat(11_000_000);
    let objs = page_with(stream("/Filter /FlateDecode", &zlib(&c)), "<< >>");
    let (message, work) = unreadable(&build(&objs, ""));
    assert!(
        message.contains("more than 10,000,000 content operators"),
        "{message}"
    );
    assert_eq!(work.operators, LIMITS.operators);
}

#[test]
fn a_glyph_mapped_to_thousands_of_characters_is_refused() {
    // One code mapped to 2,048 characters, shown a million times: 2 GiB of text from a file
    // of a few kilobytes. The map itself is refused, before any glyph is shown.
    let bytes = long_glyphs(2048, 1_000_000);
    assert!(bytes.len() < 20_000, "{}", bytes.len());
    let (message, work) = unreadable(&bytes);
    assert_eq!(
        message,
        "page 1: font /F1: its character map gives one glyph 2048 characters, more than the 256 the PDF standard allows"
    );
    assert_eq!((work.glyphs, work.text_bytes), (0, 0));
}

#[test]
fn text_is_bounded_by_its_characters_not_its_glyphs() {
    // Each glyph stands for the most characters a map may give one glyph: the text limit,
    // not the glyph limit, stops the reading, at the glyph that would pass it.
    let units = LIMITS.cmap_target_units as usize;
    let (message, work) = unreadable(&long_glyphs(units, 200_000));
    assert!(
        message.contains("more than 16,777,216 bytes of text"),
        "{message}"
    );
    assert_eq!(
        work.text_bytes,
        LIMITS.text_bytes / units as u64 * units as u64
    );
    assert_eq!(work.glyphs, LIMITS.text_bytes / units as u64 + 1);
    // A map at the limit is read.
    let text = ratings_pdf::page_texts(&long_glyphs(units, 3)).expect("read");
    assert_eq!(text[0][0].len(), 3 * units);
}

/// 60 MiB of spaces, compressed (about 60 KB).
fn sixty_mib() -> Vec<u8> {
    zlib(&vec![b' '; 60 << 20])
}

#[test]
fn a_stream_named_thousands_of_times_is_decoded_once() {
    // A page whose contents name the same 60 MiB stream 2,000 times: it is decoded once, and
    // interpreting it again and again stops at the content limit, before the copy is made.
    let refs = "4 0 R ".repeat(2000);
    let objs = vec![
        (1, b"<< /Type /Catalog /Pages 2 0 R >>".to_vec()),
        (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec()),
        (
            3,
            format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [{refs}] >>")
                .into_bytes(),
        ),
        (4, stream("/Filter /FlateDecode", &sixty_mib())),
    ];
    let (message, work) = unreadable(&build(&objs, ""));
    assert_eq!(
        message,
        "page 1: more than 268,435,456 bytes of page content in the file (the reader's limit)"
    );
    assert_eq!((work.streams_decoded, work.decoded_bytes), (1, 60 << 20));
    assert_eq!(work.content_bytes, 4 * (60 << 20));
    assert_eq!(work.operators, 0, "nothing is interpreted past the limit");
}

#[test]
fn streams_are_counted_as_they_are_decoded() {
    // Five different streams of 60 MiB each: the fifth is cut off as it inflates, at what the
    // file may still decode.
    let objs = vec![
        (1, b"<< /Type /Catalog /Pages 2 0 R >>".to_vec()),
        (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec()),
        (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [4 0 R 5 0 R 6 0 R 7 0 R 8 0 R] >>".to_vec()),
        (4, stream("/Filter /FlateDecode", &sixty_mib())),
        (5, stream("/Filter /FlateDecode", &sixty_mib())),
        (6, stream("/Filter /FlateDecode", &sixty_mib())),
        (7, stream("/Filter /FlateDecode", &sixty_mib())),
        (8, stream("/Filter /FlateDecode", &sixty_mib())),
    ];
    let (message, work) = unreadable(&build(&objs, ""));
    assert_eq!(
        message,
        "page 1: content stream unreadable: the file's streams decode to more than 268,435,456 bytes in all (the reader's limit)"
    );
    assert_eq!(work.decoded_bytes, LIMITS.decoded_bytes);
    assert_eq!(work.streams_decoded, 5);
}

#[test]
fn thousands_of_pages_share_one_stream() {
    // 4,000 pages drawn by one small stream: decoded once, interpreted once a page.
    let content = b"BT /F1 12 Tf 72 700 Td (The same words on every page) Tj ET";
    let pages = 4000;
    let kids: String = (0..pages).map(|i| format!("{} 0 R ", 10 + i)).collect();
    let mut objs = vec![
        (1, b"<< /Type /Catalog /Pages 2 0 R >>".to_vec()),
        (2, format!("<< /Type /Pages /Kids [{kids}] /Count {pages} /Resources << /Font << /F1 5 0 R >> >> >>").into_bytes()),
        (4, stream("/Filter /FlateDecode", &zlib(content))),
        (5, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec()),
    ];
    for i in 0..pages {
        objs.push((
            10 + i,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_vec(),
        ));
    }
    let bytes = build(&objs, "");
    let x = extract(&bytes).expect("read");
    assert_eq!(x.pages.len(), 4000);
    assert!(x.pages.iter().all(|p| p.problems.is_empty()));
    assert_eq!(x.work.streams_decoded, 1);
    assert_eq!(x.work.content_bytes, 4000 * content.len() as u64);
    assert!(matches!(
        read_report(&bytes),
        Err(ReportError::NotAReport(_))
    ));
}

/// Eight levels of forms, each drawing the next `fan` times; the last draws `leaf`.
fn fan_of_forms(fan: usize, leaf: &[u8]) -> Vec<u8> {
    let mut objs = vec![
        (1, b"<< /Type /Catalog /Pages 2 0 R >>".to_vec()),
        (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec()),
        (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /X 10 0 R >> /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".to_vec()),
        (4, stream("", b"/X Do")),
        (5, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec()),
    ];
    for level in 0..8u32 {
        let body = if level == 7 {
            leaf.to_vec()
        } else {
            "/X Do ".repeat(fan).into_bytes()
        };
        objs.push((
            10 + level,
            stream(
                &format!("/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X {} 0 R >> /Font << /F1 5 0 R >> >>", 11 + level),
                &body,
            ),
        ));
    }
    build(&objs, "")
}

#[test]
fn a_fan_of_forms_stops_at_the_drawing_limit() {
    // Ten drawings of the next form at each of eight levels: 10^7 drawings from 3 KB.
    let bytes = fan_of_forms(10, b"BT /F1 12 Tf (a) Tj ET");
    assert!(bytes.len() < 4_000);
    let (message, work) = unreadable(&bytes);
    assert_eq!(
        message,
        "page 1: more than 10,000 form drawings in the file (the reader's limit)"
    );
    assert_eq!(work.forms_drawn, LIMITS.forms_drawn);
    assert_eq!(work.streams_decoded, 9, "each form is decoded once");
}

#[test]
fn a_form_drawn_again_is_charged_its_content_again() {
    // Two drawings at each level, 2^7 of a leaf form of 4 MiB: 512 MiB to interpret.
    let bytes = fan_of_forms(2, &vec![b' '; 4 << 20]);
    let (message, work) = unreadable(&bytes);
    assert!(message.contains("bytes of page content"), "{message}");
    assert!(work.content_bytes <= LIMITS.content_bytes);
    assert!(work.forms_drawn < 2u64.pow(8));
}

#[test]
fn a_font_given_directly_is_charged_each_time_it_is_loaded() {
    // A form drawn 9,000 times uses a Type0 font written into its resources, with 100,000
    // widths: loaded again by every drawing, each load is charged what it reads.
    let widths = "500 ".repeat(100_000);
    let font = format!(
        "<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /X /W [0 [{widths}]] >>] >>"
    );
    let objs = vec![
        (1, b"<< /Type /Catalog /Pages 2 0 R >>".to_vec()),
        (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec()),
        (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /X 6 0 R >> >> /Contents 4 0 R >>".to_vec()),
        (4, stream("/Filter /FlateDecode", &zlib(&b"/X Do ".repeat(9_000)))),
        (
            6,
            stream(
                &format!("/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /Font << /F1 {font} >> >>"),
                b"BT /F1 12 Tf <0001> Tj ET",
            ),
        ),
    ];
    let (message, work) = unreadable(&build(&objs, ""));
    assert!(message.contains("bytes of page content"), "{message}");
    assert!(work.content_bytes <= LIMITS.content_bytes);
    assert!(work.forms_drawn < 9_000, "{}", work.forms_drawn);
}
