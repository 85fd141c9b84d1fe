//! A small PDF writer, laying text out as Word does in the real reports.

/// (x, y, font size, text) in points; y from the bottom of an A4 page.
pub type Item = (f64, f64, f64, &'static str);

#[derive(Default, Clone, Copy)]
pub struct Opts {
    pub compress: bool,
    /// Objects in an object stream, cross-reference stream instead of a table.
    pub xref_stream: bool,
    /// A Type0 font with Identity-H and a ToUnicode CMap instead of Helvetica.
    pub type0: bool,
    pub encrypt: bool,
    /// Each page also draws an image.
    pub image: bool,
}

pub fn esc(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for c in s.chars() {
        let b: u8 = match c {
            '\u{2019}' => 0x92,
            '\u{2013}' => 0x96,
            c if (c as u32) < 128 => c as u8,
            _ => b'?',
        };
        if b == b'(' || b == b')' || b == b'\\' {
            out.push(b'\\');
        }
        out.push(b);
    }
    out
}

/// Code for a character in the test Type0 font: its Unicode value + 0x100 (two bytes).
pub fn type0_hex(s: &str) -> String {
    s.chars()
        .map(|c| format!("{:04X}", c as u32 + 0x100))
        .collect()
}

pub fn content(items: &[Item], o: Opts) -> Vec<u8> {
    let mut c = Vec::new();
    if o.image {
        c.extend_from_slice(b"q 400 0 0 300 100 400 cm /Im1 Do Q\n");
    }
    for (x, y, size, text) in items {
        c.extend_from_slice(format!("BT /F1 {size} Tf {x} {y} Td ").as_bytes());
        if o.type0 {
            c.extend_from_slice(format!("<{}> Tj ET\n", type0_hex(text)).as_bytes());
        } else {
            c.push(b'(');
            c.extend_from_slice(&esc(text));
            c.extend_from_slice(b") Tj ET\n");
        }
    }
    c
}

pub fn stream(dict: &str, data: &[u8], compress: bool) -> Vec<u8> {
    let (data, filter) = if compress {
        (
            miniz_oxide::deflate::compress_to_vec_zlib(data, 6),
            " /Filter /FlateDecode",
        )
    } else {
        (data.to_vec(), "")
    };
    let mut s = format!("<< {dict} /Length {}{filter} >>\nstream\n", data.len()).into_bytes();
    s.extend_from_slice(&data);
    s.extend_from_slice(b"\nendstream");
    s
}

pub fn to_unicode_cmap() -> Vec<u8> {
    b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n/CMapName /T0 def /CMapType 2 def\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n1 beginbfrange <0100> <FFFF> <0000> endbfrange\nendcmap CMapName currentdict /CMap defineresource pop end end\n".to_vec()
}

/// Writes a PDF with one page per item list.
pub fn pdf(pages: &[Vec<Item>], o: Opts) -> Vec<u8> {
    // Objects: 1 catalog, 2 pages, 3 font, 4 image, 5.. descendant/tounicode, then pages.
    let mut objs: Vec<(u32, Vec<u8>, bool)> = Vec::new(); // (num, body, is_stream)
    let n_pages = pages.len() as u32;
    let first_page = 10u32;
    let kids: Vec<String> = (0..n_pages)
        .map(|i| format!("{} 0 R", first_page + 2 * i))
        .collect();
    objs.push((1, b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(), false));
    objs.push((
        2,
        format!(
            "<< /Type /Pages /Kids [{}] /Count {n_pages} >>",
            kids.join(" ")
        )
        .into_bytes(),
        false,
    ));
    if o.type0 {
        objs.push((3, b"<< /Type /Font /Subtype /Type0 /BaseFont /TestSans /Encoding /Identity-H /DescendantFonts [5 0 R] /ToUnicode 6 0 R >>".to_vec(), false));
        objs.push((5, b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TestSans /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 450 /W [288 [250]] >>".to_vec(), false));
        objs.push((6, stream("", &to_unicode_cmap(), o.compress), true));
    } else {
        // Widths close to Arial's average, as the real reports' fonts have.
        let widths: Vec<String> = (32..=255)
            .map(|c| {
                if c == 32 {
                    "250".to_string()
                } else {
                    "450".to_string()
                }
            })
            .collect();
        objs.push((
            3,
            format!("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /FirstChar 32 /LastChar 255 /Widths [{}] >>", widths.join(" ")).into_bytes(),
            false,
        ));
    }
    objs.push((4, stream("/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8", &[0, 255, 255, 0], false), true));
    for (i, items) in pages.iter().enumerate() {
        let p = first_page + 2 * i as u32;
        objs.push((
            p,
            format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> /XObject << /Im1 4 0 R >> >> /Contents {} 0 R >>", p + 1).into_bytes(),
            false,
        ));
        objs.push((p + 1, stream("", &content(items, o), o.compress), true));
    }
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets: Vec<(u32, usize)> = Vec::new();
    let max = objs.iter().map(|(n, _, _)| *n).max().unwrap_or(0);
    let mut in_objstm: Vec<(u32, u32)> = Vec::new(); // (num, index)
    let objstm_num = max + 1;
    if o.xref_stream {
        // Non-stream objects go into one object stream.
        let mut header = String::new();
        let mut body = Vec::new();
        for (n, b, is_stream) in &objs {
            if !is_stream {
                header.push_str(&format!("{n} {} ", body.len()));
                in_objstm.push((*n, in_objstm.len() as u32));
                body.extend_from_slice(b);
                body.push(b'\n');
            }
        }
        let mut data = header.into_bytes();
        let first = data.len();
        data.extend_from_slice(&body);
        let s = stream(
            &format!("/Type /ObjStm /N {} /First {first}", in_objstm.len()),
            &data,
            true,
        );
        offsets.push((objstm_num, out.len()));
        out.extend_from_slice(format!("{objstm_num} 0 obj\n").as_bytes());
        out.extend_from_slice(&s);
        out.extend_from_slice(b"\nendobj\n");
    }
    for (n, b, is_stream) in &objs {
        if o.xref_stream && !is_stream {
            continue;
        }
        offsets.push((*n, out.len()));
        out.extend_from_slice(format!("{n} 0 obj\n").as_bytes());
        out.extend_from_slice(b);
        out.extend_from_slice(b"\nendobj\n");
    }
    let encrypt = if o.encrypt {
        let n = objstm_num + 2;
        offsets.push((n, out.len()));
        out.extend_from_slice(
            format!("{n} 0 obj\n<< /Filter /Standard /V 1 /R 2 /O <00> /U <00> /P -4 >>\nendobj\n")
                .as_bytes(),
        );
        format!(" /Encrypt {n} 0 R /ID [<0011> <0011>]")
    } else {
        String::new()
    };
    let size = objstm_num + 3;
    let xref_at = out.len();
    if o.xref_stream {
        let xnum = objstm_num + 1;
        let mut rows = Vec::new();
        for n in 0..size {
            let (t, f2, f3): (u8, u32, u16) = if n == xnum {
                (1, xref_at as u32, 0)
            } else if let Some((_, off)) = offsets.iter().find(|(m, _)| *m == n) {
                (1, *off as u32, 0)
            } else if let Some((_, idx)) = in_objstm.iter().find(|(m, _)| *m == n) {
                (2, objstm_num, *idx as u16)
            } else {
                (0, 0, 0)
            };
            rows.push(t);
            rows.extend_from_slice(&f2.to_be_bytes());
            rows.extend_from_slice(&f3.to_be_bytes());
        }
        let s = stream(
            &format!("/Type /XRef /Size {size} /W [1 4 2] /Root 1 0 R{encrypt}"),
            &rows,
            true,
        );
        out.extend_from_slice(format!("{xnum} 0 obj\n").as_bytes());
        out.extend_from_slice(&s);
        out.extend_from_slice(b"\nendobj\n");
    } else {
        out.extend_from_slice(format!("xref\n0 {size}\n0000000000 65535 f \n").as_bytes());
        for n in 1..size {
            match offsets.iter().find(|(m, _)| *m == n) {
                Some((_, off)) => out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes()),
                None => out.extend_from_slice(b"0000000000 65535 f \n"),
            }
        }
        out.extend_from_slice(
            format!("trailer\n<< /Size {size} /Root 1 0 R{encrypt} >>\n").as_bytes(),
        );
    }
    out.extend_from_slice(format!("startxref\n{xref_at}\n%%EOF\n").as_bytes());
    out
}
