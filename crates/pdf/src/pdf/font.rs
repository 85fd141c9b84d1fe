//! Fonts as far as text extraction needs them: how a string splits into character codes,
//! what text each code stands for (ToUnicode CMap, else the encoding and glyph names),
//! and how wide each glyph is (ISO 32000-1 §9.6–9.10).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::document::{Document, Found};
use super::encodings::{GLYPH_NAMES, MAC_ROMAN, STANDARD, WIN_ANSI};
use super::object::{Dict, Lexer, Obj, Tok};
use super::work::{Charge, LIMITS};

/// A CMap: code-space ranges plus code→text (ToUnicode) or code→CID mappings.
#[derive(Default, Debug)]
pub struct CMap {
    /// (number of bytes, low, high)
    pub codespace: Vec<(usize, u32, u32)>,
    pub single: HashMap<u32, String>,
    /// (low, high, text of low); following codes increment the last character.
    pub ranges: Vec<(u32, u32, Vec<u16>)>,
    pub cid_single: HashMap<u32, u32>,
    pub cid_ranges: Vec<(u32, u32, u32)>,
    /// The length, in UTF-16 code units, of the longest mapping target over the limit
    /// (such mappings are left out, and the font is unreadable).
    pub overlong: Option<usize>,
}

const MAX_CMAP_ENTRIES: usize = 200_000;

/// What one item of a font's width or differences array is charged, in bytes of content: about
/// what it takes to write it.
const WORK_PER_ITEM: u64 = 4;

fn be(bytes: &[u8]) -> u32 {
    bytes.iter().take(4).fold(0u32, |a, &b| (a << 8) | b as u32)
}

fn utf16(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks(2)
        .map(|c| {
            if c.len() == 2 {
                (c[0] as u16) << 8 | c[1] as u16
            } else {
                c[0] as u16
            }
        })
        .collect()
}

/// Whether a mapping target of `bytes` (UTF-16BE) is within the limit; if not, notes it.
fn target_fits(m: &mut CMap, bytes: &[u8]) -> bool {
    let units = bytes.len().div_ceil(2);
    if units as u64 <= LIMITS.cmap_target_units {
        return true;
    }
    m.overlong = Some(m.overlong.unwrap_or(0).max(units));
    false
}

impl CMap {
    pub fn parse(data: &[u8]) -> CMap {
        let mut m = CMap::default();
        let mut lex = Lexer::new(data, 0);
        let mut stack: Vec<Tok> = Vec::new();
        let mut entries = 0usize;
        // Each loop consumes at least one token; errors end the parse with what was read.
        loop {
            let t = match lex.next() {
                Ok(Some(t)) => t,
                Ok(None) => break,
                Err(_) => {
                    lex.pos += 1;
                    continue;
                }
            };
            match t {
                Tok::Keyword(ref k) => match k.as_slice() {
                    b"endcodespacerange" => {
                        for pair in stack.chunks(2) {
                            if let [Tok::Str(lo), Tok::Str(hi)] = pair {
                                if !lo.is_empty() && lo.len() <= 4 {
                                    m.codespace.push((lo.len(), be(lo), be(hi)));
                                }
                            }
                        }
                        stack.clear();
                    }
                    b"endbfchar" => {
                        for pair in stack.chunks(2) {
                            if let [Tok::Str(src), dst] = pair {
                                let text = match dst {
                                    Tok::Str(d) if !target_fits(&mut m, d) => continue,
                                    Tok::Str(d) => String::from_utf16_lossy(&utf16(d)),
                                    Tok::Name(n) => glyph_text(n).unwrap_or_default(),
                                    _ => continue,
                                };
                                m.single.insert(be(src), text);
                                entries += 1;
                            }
                        }
                        stack.clear();
                    }
                    b"endbfrange" => {
                        let mut i = 0;
                        while i + 2 < stack.len() {
                            let (lo, hi) = match (&stack[i], &stack[i + 1]) {
                                (Tok::Str(a), Tok::Str(b)) => (be(a), be(b)),
                                _ => {
                                    i += 1;
                                    continue;
                                }
                            };
                            // An array of destinations is a list of single mappings.
                            if stack[i + 2] == Tok::ArrOpen {
                                let mut j = i + 3;
                                let mut code = lo;
                                while j < stack.len() && stack[j] != Tok::ArrClose {
                                    if let Tok::Str(d) = &stack[j] {
                                        if code <= hi && target_fits(&mut m, d) {
                                            m.single
                                                .insert(code, String::from_utf16_lossy(&utf16(d)));
                                            entries += 1;
                                        }
                                        code = code.wrapping_add(1);
                                    }
                                    j += 1;
                                }
                                i = j + 1;
                            } else {
                                if let Tok::Str(d) = &stack[i + 2] {
                                    if lo <= hi && target_fits(&mut m, d) {
                                        m.ranges.push((lo, hi, utf16(d)));
                                        entries += 1;
                                    }
                                }
                                i += 3;
                            }
                        }
                        stack.clear();
                    }
                    b"endcidchar" => {
                        for pair in stack.chunks(2) {
                            if let [Tok::Str(src), Tok::Int(cid)] = pair {
                                m.cid_single
                                    .insert(be(src), (*cid).clamp(0, u32::MAX as i64) as u32);
                                entries += 1;
                            }
                        }
                        stack.clear();
                    }
                    b"endcidrange" => {
                        for tri in stack.chunks(3) {
                            if let [Tok::Str(lo), Tok::Str(hi), Tok::Int(cid)] = tri {
                                m.cid_ranges.push((
                                    be(lo),
                                    be(hi),
                                    (*cid).clamp(0, u32::MAX as i64) as u32,
                                ));
                                entries += 1;
                            }
                        }
                        stack.clear();
                    }
                    b"begincodespacerange"
                    | b"beginbfchar"
                    | b"beginbfrange"
                    | b"begincidchar"
                    | b"begincidrange" => stack.clear(),
                    _ => stack.clear(),
                },
                Tok::Str(_) | Tok::ArrOpen | Tok::ArrClose | Tok::Name(_) | Tok::Int(_)
                    if stack.len() < 100_000 =>
                {
                    stack.push(t)
                }
                _ => {}
            }
            if entries > MAX_CMAP_ENTRIES {
                break;
            }
        }
        m
    }

    pub fn lookup(&self, code: u32) -> Option<String> {
        if let Some(s) = self.single.get(&code) {
            return Some(s.clone());
        }
        for (lo, hi, base) in &self.ranges {
            if code >= *lo && code <= *hi {
                let mut v = base.clone();
                if let Some(last) = v.last_mut() {
                    *last = last.wrapping_add((code - lo) as u16);
                }
                return Some(String::from_utf16_lossy(&v));
            }
        }
        None
    }

    pub fn cid(&self, code: u32) -> Option<u32> {
        if let Some(c) = self.cid_single.get(&code) {
            return Some(*c);
        }
        self.cid_ranges
            .iter()
            .find(|(lo, hi, _)| code >= *lo && code <= *hi)
            .map(|(lo, _, c)| c + (code - lo))
    }

    /// Splits a string into codes by the code-space ranges (1 byte when none match).
    fn split(&self, bytes: &[u8], default_len: usize, out: &mut Vec<(u32, usize)>) {
        let mut i = 0;
        while i < bytes.len() {
            let mut n = 0;
            for &(len, lo, hi) in &self.codespace {
                if i + len <= bytes.len() {
                    let c = be(&bytes[i..i + len]);
                    if c >= lo && c <= hi {
                        n = len;
                        break;
                    }
                }
            }
            if n == 0 {
                n = if self.codespace.is_empty() {
                    default_len
                } else {
                    1
                };
            }
            let n = n.min(bytes.len() - i);
            out.push((be(&bytes[i..i + n]), n));
            i += n;
        }
    }
}

/// Text for a glyph name: the Latin set, "uniXXXX", "uXXXX", ligatures "f_i", suffixes ".sc".
pub fn glyph_text(name: &[u8]) -> Option<String> {
    let name = std::str::from_utf8(name).ok()?;
    let base = name.split('.').next().unwrap_or(name);
    if base.is_empty() {
        return None;
    }
    if let Ok(i) = GLYPH_NAMES.binary_search_by(|(k, _)| (*k).cmp(base)) {
        return Some(GLYPH_NAMES[i].1.to_string());
    }
    if base.contains('_') {
        let parts: Option<Vec<String>> =
            base.split('_').map(|p| glyph_text(p.as_bytes())).collect();
        return parts.map(|v| v.concat());
    }
    let hex_char = |h: &str| u32::from_str_radix(h, 16).ok().and_then(char::from_u32);
    if let Some(h) = base.strip_prefix("uni") {
        if h.len() >= 4 && h.len() % 4 == 0 && h.chars().all(|c| c.is_ascii_hexdigit()) {
            return (0..h.len() / 4)
                .map(|i| hex_char(&h[i * 4..i * 4 + 4]))
                .collect::<Option<String>>();
        }
    }
    if let Some(h) = base.strip_prefix('u') {
        if (4..=6).contains(&h.len()) && h.chars().all(|c| c.is_ascii_hexdigit()) {
            return hex_char(h).map(|c| c.to_string());
        }
    }
    None
}

#[derive(Debug)]
pub struct Font {
    /// Type0 (composite) font: codes are read through `cmap`.
    composite: bool,
    /// Encoding CMap of a composite font (Identity when None).
    cmap: Option<CMap>,
    identity: bool,
    to_unicode: Option<CMap>,
    /// Simple fonts: text for each byte.
    simple: Vec<Option<String>>,
    /// Widths by code (simple) or CID (composite), in glyph units (1/1000 em for non-Type3).
    widths: HashMap<u32, f64>,
    default_width: f64,
    /// Scale of glyph-space widths to text space (0.001, or from a Type3 /FontMatrix).
    scale: f64,
    /// Text per code, computed once.
    text_cache: RefCell<HashMap<u32, Option<Rc<str>>>>,
    /// Why the font's text cannot be trusted, if it cannot: a page that uses it is unreadable.
    pub problem: Option<String>,
}

pub struct Glyph {
    pub text: Option<Rc<str>>,
    /// Advance in text-space units per unit font size.
    pub advance: f64,
    /// Single-byte code 32: word spacing applies.
    pub is_space_code: bool,
}

impl Font {
    pub fn load(doc: &Document, dict: &Dict) -> Font {
        let subtype = dict.name("Subtype").unwrap_or(b"").to_vec();
        let name = String::from_utf8_lossy(dict.name("BaseFont").unwrap_or(b"?")).into_owned();
        let mut problem = None;
        let mut cmap = |o: &Obj| -> Option<CMap> {
            let data = doc.stream_data(o).ok()?;
            // Parsing a map is interpreting its bytes, as much work as a content stream's.
            if let Err(e) = doc.meter.charge(Charge::ContentBytes, data.len() as u64) {
                problem = Some(e);
                return None;
            }
            let parsed = CMap::parse(&data);
            if let Some(units) = parsed.overlong {
                problem = Some(format!(
                    "its character map gives one glyph {units} characters, more than the {} the PDF standard allows",
                    LIMITS.cmap_target_units
                ));
            }
            Some(parsed)
        };
        let to_unicode = dict.get("ToUnicode").and_then(&mut cmap);
        if subtype.as_slice() == b"Type0" {
            let enc = doc.dict_get(dict, "Encoding");
            let (cmap, identity) = match &enc {
                Obj::Name(n) => (
                    None,
                    n.as_slice() == b"Identity-H" || n.as_slice() == b"Identity-V",
                ),
                Obj::Stream(..) => (dict.get("Encoding").and_then(&mut cmap), false),
                _ => (None, true),
            };
            // Found, not copied: a font given directly is loaded again by every content
            // stream that uses it, and its widths may be long.
            let descendants = doc.find_key(dict, "DescendantFonts");
            let descendant = descendants
                .as_array()
                .and_then(|a| a.first())
                .map(|o| doc.find(o));
            let empty = Dict::default();
            let dd = descendant
                .as_ref()
                .and_then(|d| d.as_dict())
                .unwrap_or(&empty);
            let default_width = doc.find_key(dd, "DW").as_f64().unwrap_or(1000.0);
            let mut widths = HashMap::new();
            let w = doc.find_key(dd, "W");
            let items: Vec<Found> = w
                .as_array()
                .unwrap_or(&[])
                .iter()
                .map(|o| doc.find(o))
                .collect();
            // Reading the widths is work like interpreting content, charged before it is done:
            // each width an item gives (a range's too, up to the map's limit) costs an item.
            let mut read = items.len() as u64;
            for (i, item) in items.iter().enumerate() {
                match &**item {
                    Obj::Array(list) => read += list.len() as u64,
                    Obj::Int(first) => {
                        if let (Some(last), Some(_)) = (
                            items.get(i + 1).and_then(|o| o.as_i64()),
                            items.get(i + 2).and_then(|o| o.as_f64()),
                        ) {
                            read += (last - first).clamp(0, 65_536) as u64;
                        }
                    }
                    _ => {}
                }
            }
            if let Err(e) = doc.meter.charge(Charge::ContentBytes, read * WORK_PER_ITEM) {
                problem.get_or_insert(e);
            }
            let mut i = 0;
            while problem.is_none() && i < items.len() && widths.len() < MAX_CMAP_ENTRIES {
                let Some(first) = items[i].as_i64() else {
                    break;
                };
                match items.get(i + 1).map(|o| &**o) {
                    Some(Obj::Array(ws)) => {
                        for (k, wv) in ws.iter().enumerate() {
                            if let Some(wf) = doc.find(wv).as_f64() {
                                widths.insert((first as u32).wrapping_add(k as u32), wf);
                            }
                        }
                        i += 2;
                    }
                    Some(o) => {
                        let last = o.as_i64().unwrap_or(first);
                        let wf = items
                            .get(i + 2)
                            .and_then(|x| x.as_f64())
                            .unwrap_or(default_width);
                        if last >= first && last - first < 65536 {
                            for c in first..=last {
                                widths.insert(c as u32, wf);
                            }
                        }
                        i += 3;
                    }
                    None => break,
                }
            }
            return Font {
                composite: true,
                cmap,
                identity,
                to_unicode,
                simple: Vec::new(),
                widths,
                default_width,
                scale: 0.001,
                text_cache: RefCell::new(HashMap::new()),
                problem,
            };
        }
        // Simple font.
        let enc_obj = doc.find_key(dict, "Encoding");
        let descriptor = doc.dict_get(dict, "FontDescriptor");
        let flags = descriptor
            .as_dict()
            .map(|d| doc.dict_get(d, "Flags"))
            .and_then(|o| o.as_i64())
            .unwrap_or(0);
        let symbolic = flags & 4 != 0 && flags & 32 == 0;
        let base_table: &[Option<&str>; 256] = {
            let base_name: Option<Vec<u8>> = match &*enc_obj {
                Obj::Name(n) => Some(n.clone()),
                Obj::Dict(d) => d.name("BaseEncoding").map(|n| n.to_vec()),
                _ => None,
            };
            match base_name.as_deref() {
                Some(b"WinAnsiEncoding") => &WIN_ANSI,
                Some(b"MacRomanEncoding") => &MAC_ROMAN,
                Some(b"StandardEncoding") => &STANDARD,
                _ if subtype.as_slice() == b"TrueType" => &WIN_ANSI,
                _ => &STANDARD,
            }
        };
        let mut simple: Vec<Option<String>> = base_table
            .iter()
            .map(|o| o.map(|s| s.to_string()))
            .collect();
        if symbolic && !matches!(*enc_obj, Obj::Name(_)) {
            // Symbolic fonts without an explicit encoding: bytes are read as Latin-1 only
            // when they are printable ASCII; the ToUnicode map, if any, takes precedence.
            for (i, s) in simple.iter_mut().enumerate() {
                if !(32..127).contains(&i) {
                    *s = None;
                }
            }
        }
        if let Obj::Dict(d) = &*enc_obj {
            let differences = doc.find_key(d, "Differences");
            if let Obj::Array(diffs) = &*differences {
                // Charged before it is read, as a font's widths are.
                if let Err(e) = doc
                    .meter
                    .charge(Charge::ContentBytes, diffs.len() as u64 * WORK_PER_ITEM)
                {
                    problem.get_or_insert(e);
                }
                let mut code: i64 = 0;
                for it in diffs.iter().take_while(|_| problem.is_none()) {
                    match &*doc.find(it) {
                        Obj::Int(c) => code = *c,
                        Obj::Name(n) => {
                            if (0..256).contains(&code) {
                                simple[code as usize] = glyph_text(n);
                            }
                            code += 1;
                        }
                        _ => {}
                    }
                }
            }
        }
        let first = doc.dict_get(dict, "FirstChar").as_i64().unwrap_or(0);
        let mut widths = HashMap::new();
        if let Obj::Array(ws) = doc.dict_get(dict, "Widths") {
            for (k, wv) in ws.iter().enumerate().take(256) {
                if let Some(wf) = doc.r(wv).as_f64() {
                    widths.insert((first + k as i64).clamp(0, 255) as u32, wf);
                }
            }
        }
        let missing = descriptor
            .as_dict()
            .map(|d| doc.dict_get(d, "MissingWidth"))
            .and_then(|o| o.as_f64());
        let mut scale = 0.001;
        if subtype.as_slice() == b"Type3" {
            if let Obj::Array(m) = doc.dict_get(dict, "FontMatrix") {
                if let Some(a) = m.first().and_then(|o| o.as_f64()) {
                    scale = a;
                }
            }
        }
        let default_width = missing.unwrap_or(if widths.is_empty() { 500.0 } else { 0.0 });
        let widths = if widths.is_empty() {
            standard14_widths(&name)
        } else {
            widths
        };
        Font {
            composite: false,
            cmap: None,
            identity: false,
            to_unicode,
            simple,
            widths,
            default_width,
            scale,
            text_cache: RefCell::new(HashMap::new()),
            problem,
        }
    }

    /// Splits a shown string into glyphs.
    pub fn glyphs(&self, bytes: &[u8], out: &mut Vec<Glyph>) {
        let mut codes = Vec::with_capacity(bytes.len());
        if self.composite {
            if let Some(cm) = &self.cmap {
                cm.split(bytes, 2, &mut codes);
            } else if let (false, Some(tu)) = (self.identity, &self.to_unicode) {
                tu.split(bytes, 2, &mut codes);
            } else {
                for c in bytes.chunks(2) {
                    codes.push((be(c), c.len()));
                }
            }
        } else {
            codes.extend(bytes.iter().map(|&b| (b as u32, 1usize)));
        }
        for (code, n) in codes {
            let text = {
                let mut cache = self.text_cache.borrow_mut();
                cache
                    .entry(code)
                    .or_insert_with(|| {
                        match &self.to_unicode {
                            Some(tu) => tu.lookup(code).or_else(|| self.fallback_text(code)),
                            None => self.fallback_text(code),
                        }
                        .map(Rc::from)
                    })
                    .clone()
            };
            let wkey = if self.composite {
                match &self.cmap {
                    Some(cm) => cm.cid(code).unwrap_or(code),
                    None => code,
                }
            } else {
                code
            };
            let w = self
                .widths
                .get(&wkey)
                .copied()
                .unwrap_or(self.default_width);
            out.push(Glyph {
                text,
                advance: w * self.scale,
                is_space_code: n == 1 && code == 32,
            });
        }
    }

    fn fallback_text(&self, code: u32) -> Option<String> {
        if self.composite {
            None
        } else {
            self.simple.get(code as usize).cloned().flatten()
        }
    }
}

/// Approximate widths for the standard 14 fonts when a file gives none: Helvetica-like
/// averages are enough to find word gaps.
fn standard14_widths(name: &str) -> HashMap<u32, f64> {
    let mut m = HashMap::new();
    let mono = name.contains("Courier");
    for c in 32u32..256 {
        let w = if mono {
            600.0
        } else {
            match char::from_u32(c).unwrap_or(' ') {
                ' ' => 278.0,
                'i' | 'j' | 'l' | '.' | ',' | '\'' | '!' | '|' | ':' | ';' => 250.0,
                'm' | 'w' | 'M' | 'W' => 833.0,
                'A'..='Z' => 667.0,
                _ => 556.0,
            }
        };
        m.insert(c, w);
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tounicode_cmap() {
        let cm = CMap::parse(
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n2 beginbfchar <0003> <0020> <0011> <0066006C> endbfchar\n1 beginbfrange <0024> <0026> <0041> endbfrange 1 beginbfrange <0030> <0031> [<0061> <0062>] endbfrange",
        );
        assert_eq!(cm.lookup(3).as_deref(), Some(" "));
        assert_eq!(cm.lookup(0x11).as_deref(), Some("fl"));
        assert_eq!(cm.lookup(0x25).as_deref(), Some("B"));
        assert_eq!(cm.lookup(0x31).as_deref(), Some("b"));
        assert_eq!(cm.lookup(0x99), None);
    }

    #[test]
    fn glyph_names() {
        assert_eq!(glyph_text(b"quoteright").as_deref(), Some("\u{2019}"));
        assert_eq!(glyph_text(b"uni0041").as_deref(), Some("A"));
        assert_eq!(glyph_text(b"f_i").as_deref(), Some("fi"));
        assert_eq!(glyph_text(b"a.sc").as_deref(), Some("a"));
        assert_eq!(glyph_text(b"eacute").as_deref(), Some("\u{e9}"));
        assert_eq!(glyph_text(b"g123"), None);
    }
}
