//! Stream filters (ISO 32000-1 §7.4): Flate (with PNG/TIFF predictors), LZW, ASCIIHex,
//! ASCII85 and RunLength. Image-only filters (DCT, JPX, CCITTFax, JBIG2) are not decoded:
//! no text lives in them. Output size is bounded to stop decompression bombs.

use super::object::{Dict, Obj};

#[derive(Debug)]
pub enum FilterError {
    /// A filter this reader does not decode (image codecs).
    Unsupported(String),
    /// Corrupt data.
    Corrupt(String),
    /// Output would exceed the limit.
    TooLarge,
}

/// Decodes `data` through `filters` in turn. `limit` is what every stage may produce in all:
/// each stage is given what the stages before it left, and stops as soon as it passes that,
/// so a bomb is cut off as it inflates, not after. Returns the data and the bytes produced by
/// all stages.
pub fn decode(
    data: &[u8],
    filters: &[(Vec<u8>, Option<Dict>)],
    limit: usize,
) -> Result<(Vec<u8>, usize), FilterError> {
    if filters.len() > 8 {
        return Err(FilterError::Corrupt(
            "more than 8 filters on one stream".into(),
        ));
    }
    let mut cur: Vec<u8> = data.to_vec();
    // Data without a filter is its own decoding.
    let mut produced = if filters.is_empty() { cur.len() } else { 0 };
    if produced > limit {
        return Err(FilterError::TooLarge);
    }
    for (name, parms) in filters {
        let left = limit.saturating_sub(produced);
        cur = match name.as_slice() {
            b"FlateDecode" | b"Fl" => predict(flate(&cur, left)?, parms.as_ref(), left)?,
            b"LZWDecode" | b"LZW" => {
                let early = parms
                    .as_ref()
                    .and_then(|p| p.get("EarlyChange"))
                    .and_then(|o| o.as_i64())
                    .unwrap_or(1)
                    != 0;
                predict(lzw(&cur, early, left)?, parms.as_ref(), left)?
            }
            b"ASCIIHexDecode" | b"AHx" => ascii_hex(&cur, left)?,
            b"ASCII85Decode" | b"A85" => ascii85(&cur, left)?,
            b"RunLengthDecode" | b"RL" => run_length(&cur, left)?,
            other => {
                return Err(FilterError::Unsupported(
                    String::from_utf8_lossy(other).into_owned(),
                ))
            }
        };
        produced = produced.saturating_add(cur.len());
        if produced > limit {
            return Err(FilterError::TooLarge);
        }
    }
    Ok((cur, produced))
}

fn flate(data: &[u8], limit: usize) -> Result<Vec<u8>, FilterError> {
    use miniz_oxide::inflate::{
        decompress_to_vec_with_limit, decompress_to_vec_zlib_with_limit, TINFLStatus,
    };
    match decompress_to_vec_zlib_with_limit(data, limit) {
        Ok(v) => Ok(v),
        Err(e) if e.status == TINFLStatus::HasMoreOutput => Err(FilterError::TooLarge),
        Err(e) => {
            // Some writers omit the zlib header: try raw deflate. Damaged data (a bad
            // checksum, a stream that stops early) is an error, never half-read text.
            let zlib_header = data.len() >= 2
                && (data[0] & 0x0f) == 8
                && ((data[0] as u16) << 8 | data[1] as u16) % 31 == 0;
            if zlib_header {
                return Err(FilterError::Corrupt(format!(
                    "Flate data is corrupt ({:?})",
                    e.status
                )));
            }
            match decompress_to_vec_with_limit(data, limit) {
                Ok(v) => Ok(v),
                Err(e2) if e2.status == TINFLStatus::HasMoreOutput => Err(FilterError::TooLarge),
                Err(e2) => Err(FilterError::Corrupt(format!(
                    "Flate data is corrupt ({:?})",
                    e2.status
                ))),
            }
        }
    }
}

fn parm(p: Option<&Dict>, key: &str, default: i64) -> i64 {
    p.and_then(|d| d.get(key))
        .and_then(|o| o.as_i64())
        .unwrap_or(default)
}

fn predict(data: Vec<u8>, parms: Option<&Dict>, limit: usize) -> Result<Vec<u8>, FilterError> {
    let predictor = parm(parms, "Predictor", 1);
    if predictor <= 1 {
        return Ok(data);
    }
    let colors = parm(parms, "Colors", 1);
    let bpc = parm(parms, "BitsPerComponent", 8);
    let columns = parm(parms, "Columns", 1);
    if !(1..=32).contains(&colors)
        || ![1, 2, 4, 8, 16].contains(&bpc)
        || !(1..=1_000_000).contains(&columns)
    {
        return Err(FilterError::Corrupt("bad predictor parameters".into()));
    }
    let bpp = ((colors * bpc + 7) / 8) as usize;
    let row = ((colors * bpc * columns + 7) / 8) as usize;
    if predictor == 2 {
        // TIFF predictor 2, 8-bit components only.
        if bpc != 8 {
            return Err(FilterError::Unsupported(
                "TIFF predictor with bpc != 8".into(),
            ));
        }
        let mut out = data;
        for r in out.chunks_mut(row) {
            for i in bpp..r.len() {
                r[i] = r[i].wrapping_add(r[i - bpp]);
            }
        }
        return Ok(out);
    }
    // PNG predictors: each row starts with a filter-type byte.
    let mut out = Vec::with_capacity(data.len().min(limit));
    let mut prev = vec![0u8; row];
    let mut cur = vec![0u8; row];
    for chunk in data.chunks(row + 1) {
        if chunk.len() < 2 {
            break;
        }
        let ft = chunk[0];
        let src = &chunk[1..];
        let n = src.len();
        for i in 0..n {
            let a = if i >= bpp { cur[i - bpp] } else { 0 };
            let b = prev[i];
            let c = if i >= bpp { prev[i - bpp] } else { 0 };
            let x = src[i];
            cur[i] = match ft {
                0 => x,
                1 => x.wrapping_add(a),
                2 => x.wrapping_add(b),
                3 => x.wrapping_add(((a as u16 + b as u16) / 2) as u8),
                4 => {
                    let p = a as i16 + b as i16 - c as i16;
                    let (pa, pb, pc) = (
                        (p - a as i16).abs(),
                        (p - b as i16).abs(),
                        (p - c as i16).abs(),
                    );
                    let pr = if pa <= pb && pa <= pc {
                        a
                    } else if pb <= pc {
                        b
                    } else {
                        c
                    };
                    x.wrapping_add(pr)
                }
                _ => return Err(FilterError::Corrupt(format!("bad PNG filter type {ft}"))),
            };
        }
        out.extend_from_slice(&cur[..n]);
        if out.len() > limit {
            return Err(FilterError::TooLarge);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    Ok(out)
}

fn ascii_hex(data: &[u8], limit: usize) -> Result<Vec<u8>, FilterError> {
    let mut out = Vec::with_capacity((data.len() / 2).min(limit));
    let mut hi: Option<u8> = None;
    for &c in data {
        if c == b'>' {
            break;
        }
        let v = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => continue,
        };
        match hi.take() {
            Some(h) => out.push(h * 16 + v),
            None => hi = Some(v),
        }
    }
    if let Some(h) = hi {
        out.push(h * 16);
    }
    if out.len() > limit {
        return Err(FilterError::TooLarge);
    }
    Ok(out)
}

fn ascii85(data: &[u8], limit: usize) -> Result<Vec<u8>, FilterError> {
    let mut out = Vec::with_capacity((data.len() / 5 * 4 + 4).min(limit));
    let mut group = [0u8; 5];
    let mut n = 0;
    let mut i = 0;
    if data.starts_with(b"<~") {
        i = 2;
    }
    while i < data.len() {
        let c = data[i];
        i += 1;
        match c {
            b'~' => break,
            b'z' if n == 0 => out.extend_from_slice(&[0, 0, 0, 0]),
            b'!'..=b'u' => {
                group[n] = c - b'!';
                n += 1;
                if n == 5 {
                    let v = group.iter().fold(0u64, |acc, &d| acc * 85 + d as u64);
                    if v > u32::MAX as u64 {
                        return Err(FilterError::Corrupt("ASCII85 group out of range".into()));
                    }
                    out.extend_from_slice(&(v as u32).to_be_bytes());
                    n = 0;
                }
            }
            _ if super::object::is_white(c) => {}
            _ => return Err(FilterError::Corrupt("bad ASCII85 character".into())),
        }
        // "z" makes four bytes of one: the output may outgrow the input.
        if out.len() > limit {
            return Err(FilterError::TooLarge);
        }
    }
    if n > 1 {
        for g in group.iter_mut().skip(n) {
            *g = 84;
        }
        let v = group
            .iter()
            .fold(0u64, |acc, &d| acc * 85 + d as u64)
            .min(u32::MAX as u64);
        out.extend_from_slice(&(v as u32).to_be_bytes()[..n - 1]);
    }
    Ok(out)
}

fn run_length(data: &[u8], limit: usize) -> Result<Vec<u8>, FilterError> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < data.len() {
        let len = data[i];
        i += 1;
        if len == 128 {
            break;
        } else if len < 128 {
            let n = len as usize + 1;
            let end = (i + n).min(data.len());
            out.extend_from_slice(&data[i..end]);
            i = end;
        } else {
            let n = 257 - len as usize;
            if let Some(&b) = data.get(i) {
                out.extend(std::iter::repeat_n(b, n));
            }
            i += 1;
        }
        if out.len() > limit {
            return Err(FilterError::TooLarge);
        }
    }
    Ok(out)
}

fn lzw(data: &[u8], early: bool, limit: usize) -> Result<Vec<u8>, FilterError> {
    let mut out: Vec<u8> = Vec::new();
    let mut table: Vec<(u16, u8)> = Vec::with_capacity(4096); // (prefix code, last byte); roots implicit
    let mut bitbuf: u32 = 0;
    let mut nbits = 0u32;
    let mut width = 9u32;
    let mut prev: Option<u16> = None;
    let mut pos = 0;
    let mut scratch: Vec<u8> = Vec::new();
    fn expand(table: &[(u16, u8)], mut code: u16, scratch: &mut Vec<u8>) {
        scratch.clear();
        let mut guard = 0;
        while code >= 258 && guard < 4097 {
            let (p, b) = table[(code - 258) as usize];
            scratch.push(b);
            code = p;
            guard += 1;
        }
        scratch.push(code as u8);
        scratch.reverse();
    }
    loop {
        while nbits < width {
            let Some(&b) = data.get(pos) else {
                return Ok(out);
            };
            pos += 1;
            bitbuf = (bitbuf << 8) | b as u32;
            nbits += 8;
        }
        let code = ((bitbuf >> (nbits - width)) & ((1 << width) - 1)) as u16;
        nbits -= width;
        match code {
            256 => {
                table.clear();
                width = 9;
                prev = None;
            }
            257 => return Ok(out),
            _ => {
                let next = 258 + table.len() as u16;
                match prev {
                    None => {
                        if code > 255 {
                            return Err(FilterError::Corrupt("bad LZW code".into()));
                        }
                        out.push(code as u8);
                    }
                    Some(p) => {
                        if code < next {
                            expand(&table, code, &mut scratch);
                            let first = scratch[0];
                            out.extend_from_slice(&scratch);
                            if table.len() < 4096 - 258 {
                                table.push((p, first));
                            }
                        } else if code == next {
                            expand(&table, p, &mut scratch);
                            let first = scratch[0];
                            scratch.push(first);
                            out.extend_from_slice(&scratch);
                            if table.len() < 4096 - 258 {
                                table.push((p, first));
                            }
                        } else {
                            return Err(FilterError::Corrupt("bad LZW code".into()));
                        }
                    }
                }
                prev = Some(code);
                let size = 258 + table.len() as u32 + if early { 1 } else { 0 };
                width = if size >= 2048 {
                    12
                } else if size >= 1024 {
                    11
                } else if size >= 512 {
                    10
                } else {
                    9
                };
            }
        }
        if out.len() > limit {
            return Err(FilterError::TooLarge);
        }
    }
}

/// The filter list of a stream dictionary, with decode parameters resolved by `resolve`.
pub fn filter_list(
    dict: &Dict,
    resolve: &dyn Fn(&Obj) -> Option<Obj>,
) -> Vec<(Vec<u8>, Option<Dict>)> {
    let f = dict
        .get("Filter")
        .and_then(resolve)
        .or_else(|| dict.get("F").and_then(resolve));
    let p = dict
        .get("DecodeParms")
        .and_then(resolve)
        .or_else(|| dict.get("DP").and_then(resolve));
    let names: Vec<Vec<u8>> = match f {
        Some(Obj::Name(n)) => vec![n],
        Some(Obj::Array(a)) => a
            .iter()
            .filter_map(resolve)
            .filter_map(|o| o.as_name().map(|n| n.to_vec()))
            .collect(),
        _ => vec![],
    };
    let parms: Vec<Option<Dict>> = match p {
        Some(Obj::Dict(d)) => vec![Some(d)],
        Some(Obj::Array(a)) => a
            .iter()
            .map(|o| resolve(o).and_then(|o| o.as_dict().cloned()))
            .collect(),
        _ => vec![],
    };
    names
        .into_iter()
        .enumerate()
        .map(|(i, n)| (n, parms.get(i).cloned().flatten()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii85_roundtrip_sample() {
        // "Man " in ASCII85 is 9jqo^
        assert_eq!(ascii85(b"9jqo^~>", 100).unwrap(), b"Man ");
        assert!(matches!(
            ascii85(&[b'z'; 100], 399),
            Err(FilterError::TooLarge)
        ));
    }

    #[test]
    fn flate_bomb_is_bounded() {
        let zeros = vec![0u8; 10_000_000];
        let z = miniz_oxide::deflate::compress_to_vec_zlib(&zeros, 6);
        assert!(matches!(flate(&z, 1_000_000), Err(FilterError::TooLarge)));
        assert_eq!(flate(&z, 20_000_000).unwrap().len(), 10_000_000);
    }

    #[test]
    fn lzw_sample() {
        // Example from the PDF specification: 80 0B 60 50 22 0C 0C 85 01 -> 2D 2D 2D 2D 2D 41 2D 2D 2D 42
        let out = lzw(
            &[0x80, 0x0B, 0x60, 0x50, 0x22, 0x0C, 0x0C, 0x85, 0x01],
            true,
            1000,
        )
        .unwrap();
        assert_eq!(
            out,
            vec![0x2D, 0x2D, 0x2D, 0x2D, 0x2D, 0x41, 0x2D, 0x2D, 0x2D, 0x42]
        );
    }
}
