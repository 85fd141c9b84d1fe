//! The file structure: header, cross-reference tables and streams, trailer, object
//! streams, the page tree (ISO 32000-1 §7.5, §7.7.3). All of it bounded.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::error::{Damage, Limit, PdfError, Truncation};
use super::filters::{self, FilterError};
use super::object::{Dict, Obj, Parser, Tok};
use super::work::{thousands, Meter, LIMITS};

/// The objects of one object stream, in order.
type ObjStm = Rc<Vec<(u32, Obj)>>;

/// A stream's decoded data, or why it could not be decoded.
pub type Decoded = Result<Rc<Vec<u8>>, String>;

#[derive(Clone, Copy, Debug)]
enum Entry {
    Offset(usize),
    InStream(u32, u32),
}

pub struct Document<'a> {
    data: &'a [u8],
    xref: HashMap<u32, Entry>,
    pub trailer: Dict,
    cache: RefCell<HashMap<u32, Rc<Obj>>>,
    objstm_cache: RefCell<HashMap<u32, ObjStm>>,
    /// Every stream decoded so far, by object number, or why it could not be: a stream named
    /// many times (by the pages, or as a form drawn again and again) is decoded once.
    streams: RefCell<HashMap<u32, Decoded>>,
    /// The work done on the file so far.
    pub meter: Meter,
    parsed: Cell<usize>,
    pub warnings: RefCell<Vec<String>>,
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .rev()
        .find(|&i| &hay[i..i + needle.len()] == needle)
}

fn find_from(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if from >= hay.len() || needle.len() > hay.len() - from {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

impl<'a> Document<'a> {
    pub fn open(data: &'a [u8]) -> Result<Self, PdfError> {
        // Header: "%PDF-" within the first 1024 bytes (readers tolerate leading junk).
        let head = &data[..data.len().min(1024)];
        let Some(hdr) = find_from(head, b"%PDF-", 0) else {
            return Err(PdfError::NotPdf);
        };
        if data.len() < hdr + 32 {
            return Err(PdfError::Truncated(Truncation::TooShort {
                bytes: data.len(),
            }));
        }
        // End: "%%EOF" within the last 1024 bytes. Its absence means the file was cut short.
        let tail_start = data.len().saturating_sub(1024);
        if find_last(&data[tail_start..], b"%%EOF").is_none() {
            return Err(PdfError::Truncated(Truncation::NoEndMarker {
                bytes: data.len(),
            }));
        }
        let mut doc = Document {
            data,
            xref: HashMap::new(),
            trailer: Dict::default(),
            cache: RefCell::new(HashMap::new()),
            objstm_cache: RefCell::new(HashMap::new()),
            streams: RefCell::new(HashMap::new()),
            meter: Meter::default(),
            parsed: Cell::new(0),
            warnings: RefCell::new(Vec::new()),
        };
        let read = doc.read_xref_chain();
        let ok = match &read {
            Ok(()) => doc.trailer.contains("Root"),
            Err(_) => false,
        };
        if !ok {
            let why = match read {
                Err(e) => e,
                Ok(()) => "trailer has no /Root".into(),
            };
            doc.warn(format!(
                "cross-reference data unusable ({why}); rebuilt by scanning the file"
            ));
            doc.reconstruct()?;
        }
        if doc.trailer.contains("Encrypt") {
            return Err(PdfError::Encrypted);
        }
        Ok(doc)
    }

    pub fn warn(&self, w: String) {
        let mut ws = self.warnings.borrow_mut();
        if ws.len() < 50 && !ws.contains(&w) {
            ws.push(w);
        }
    }

    fn read_xref_chain(&mut self) -> Result<(), String> {
        let tail_start = self.data.len().saturating_sub(2048);
        let sx =
            find_last(&self.data[tail_start..], b"startxref").ok_or("no startxref")? + tail_start;
        let mut p = Parser::new(self.data, sx + 9);
        let off = match p.tok() {
            Ok(Some(Tok::Int(i))) if i >= 0 => i as usize,
            _ => return Err("startxref has no offset".into()),
        };
        let mut next = Some(off);
        let mut seen = HashSet::new();
        let mut first = true;
        while let Some(off) = next.take() {
            if !seen.insert(off) || seen.len() > 64 {
                break; // loop or absurd chain
            }
            if off >= self.data.len() {
                return Err(format!(
                    "cross-reference offset {off} is past the end of the file"
                ));
            }
            let trailer = self.read_xref_section(off)?;
            if let Some(Obj::Int(x)) = trailer.get("XRefStm") {
                if *x >= 0 && (*x as usize) < self.data.len() && seen.insert(*x as usize) {
                    let _ = self.read_xref_section(*x as usize);
                }
            }
            next = match trailer.get("Prev") {
                Some(Obj::Int(x)) if *x >= 0 => Some(*x as usize),
                _ => None,
            };
            if first {
                self.trailer = trailer;
                first = false;
            } else {
                for (k, v) in trailer.0 {
                    if !self.trailer.0.iter().any(|(k2, _)| *k2 == k)
                        && k.as_slice() != b"Prev"
                        && k.as_slice() != b"XRefStm"
                    {
                        self.trailer.0.push((k, v));
                    }
                }
            }
        }
        if self.xref.is_empty() {
            return Err("empty cross-reference table".into());
        }
        Ok(())
    }

    /// Reads one xref section (table or stream) at `off`, adding entries not already present
    /// (newer sections are read first). Returns its trailer dictionary.
    fn read_xref_section(&mut self, off: usize) -> Result<Dict, String> {
        let mut p = Parser::new(self.data, off);
        let t = p.tok().map_err(|e| e.0)?;
        if t == Some(Tok::Keyword(super::object::Kw::new(b"xref"))) {
            loop {
                let t = p.tok().map_err(|e| e.0)?;
                match t {
                    Some(Tok::Int(start)) => {
                        let count = match p.tok().map_err(|e| e.0)? {
                            Some(Tok::Int(c)) => c,
                            _ => return Err("bad xref subsection header".into()),
                        };
                        if start < 0
                            || !(0..=10_000_000).contains(&count)
                            || start > u32::MAX as i64 - count
                        {
                            return Err("bad xref subsection numbers".into());
                        }
                        for i in 0..count {
                            let o = p.tok().map_err(|e| e.0)?;
                            let _g = p.tok().map_err(|e| e.0)?;
                            let k = p.tok().map_err(|e| e.0)?;
                            let (Some(Tok::Int(o)), Some(Tok::Keyword(k))) = (o, k) else {
                                return Err("bad xref entry".into());
                            };
                            let num = (start + i) as u32;
                            if k.as_slice() == b"n" && o > 0 {
                                self.xref.entry(num).or_insert(Entry::Offset(o as usize));
                            } else if k.as_slice() == b"f" {
                                // A free entry in a newer section hides older ones.
                                self.xref.entry(num).or_insert(Entry::Offset(0));
                            } else if k.as_slice() != b"n" {
                                return Err("bad xref entry type".into());
                            }
                        }
                    }
                    Some(Tok::Keyword(k)) if k.as_slice() == b"trailer" => {
                        let d = p.object(0).map_err(|e| e.0)?;
                        return match d {
                            Obj::Dict(d) => Ok(d),
                            _ => Err("trailer is not a dictionary".into()),
                        };
                    }
                    _ => return Err("bad xref table".into()),
                }
            }
        }
        // A cross-reference stream: "n g obj << /Type /XRef ... >> stream".
        let obj = self
            .parse_indirect_at(off, 0)
            .map_err(|e| format!("cross-reference stream: {e}"))?;
        let Obj::Stream(dict, s, e) = obj else {
            return Err("startxref does not point at a cross-reference table or stream".into());
        };
        if dict.name("Type") != Some(b"XRef") {
            return Err("stream at startxref is not /Type /XRef".into());
        }
        let data = self
            .decode_stream_raw(&dict, s, e)
            .map_err(|e| format!("cross-reference stream: {e}"))?;
        let w: Vec<usize> = dict
            .get("W")
            .and_then(|o| o.as_array())
            .map(|a| {
                a.iter()
                    .map(|x| x.as_i64().unwrap_or(-1))
                    .filter(|&x| (0..=8).contains(&x))
                    .map(|x| x as usize)
                    .collect()
            })
            .unwrap_or_default();
        if w.len() != 3 || w.iter().sum::<usize>() == 0 {
            return Err("bad /W in cross-reference stream".into());
        }
        let size = dict
            .get("Size")
            .and_then(|o| o.as_i64())
            .unwrap_or(0)
            .max(0);
        let index: Vec<i64> = match dict.get("Index").and_then(|o| o.as_array()) {
            Some(a) => a.iter().map(|x| x.as_i64().unwrap_or(-1)).collect(),
            None => vec![0, size],
        };
        let rec = w[0] + w[1] + w[2];
        let mut pos = 0usize;
        for pair in index.chunks(2) {
            if pair.len() != 2 || pair[0] < 0 || pair[1] < 0 {
                return Err("bad /Index in cross-reference stream".into());
            }
            for i in 0..pair[1] {
                if pos + rec > data.len() {
                    break;
                }
                let field = |from: usize, n: usize| -> u64 {
                    data[from..from + n]
                        .iter()
                        .fold(0u64, |a, &b| (a << 8) | b as u64)
                };
                let typ = if w[0] == 0 { 1 } else { field(pos, w[0]) };
                let f2 = field(pos + w[0], w[1]);
                let f3 = field(pos + w[0] + w[1], w[2]);
                pos += rec;
                let num = pair[0].saturating_add(i);
                if num > u32::MAX as i64 {
                    break;
                }
                let num = num as u32;
                match typ {
                    0 => {
                        self.xref.entry(num).or_insert(Entry::Offset(0));
                    }
                    1 => {
                        self.xref.entry(num).or_insert(Entry::Offset(f2 as usize));
                    }
                    2 if f2 <= u32::MAX as u64 && f3 <= u32::MAX as u64 => {
                        self.xref
                            .entry(num)
                            .or_insert(Entry::InStream(f2 as u32, f3 as u32));
                    }
                    _ => {}
                }
            }
        }
        Ok(dict)
    }

    /// Rebuilds the object table by scanning for "n g obj", and finds a trailer.
    fn reconstruct(&mut self) -> Result<(), PdfError> {
        self.xref.clear();
        self.cache.borrow_mut().clear();
        let d = self.data;
        let mut i = 0;
        let mut found = 0usize;
        while let Some(p) = find_from(d, b"obj", i) {
            i = p + 3;
            // Must be followed by a non-regular char and preceded by "digits ws digits ws".
            if d.get(p + 3)
                .is_some_and(|&c| !super::object::is_white(c) && !super::object::is_delim(c))
            {
                continue;
            }
            let mut j = p;
            while j > 0 && super::object::is_white(d[j - 1]) {
                j -= 1;
            }
            let ge = j;
            while j > 0 && d[j - 1].is_ascii_digit() {
                j -= 1;
            }
            if j == ge || ge - j > 5 {
                continue;
            }
            let gs = j;
            while j > 0 && super::object::is_white(d[j - 1]) {
                j -= 1;
            }
            if j == gs {
                continue;
            }
            let ne = j;
            while j > 0 && d[j - 1].is_ascii_digit() {
                j -= 1;
            }
            if j == ne || ne - j > 10 {
                continue;
            }
            let Ok(num) = std::str::from_utf8(&d[j..ne]).unwrap_or("x").parse::<u32>() else {
                continue;
            };
            self.xref.insert(num, Entry::Offset(j));
            found += 1;
            if found as u64 > LIMITS.objects {
                return Err(PdfError::TooBig(Limit::Objects));
            }
        }
        if self.xref.is_empty() {
            return Err(PdfError::Broken(Damage::NoObjects));
        }
        // Objects inside object streams.
        let nums: Vec<u32> = self.xref.keys().copied().collect();
        for num in &nums {
            if let Ok(o) = self.get(*num) {
                if let Obj::Stream(dict, _, _) = &*o {
                    if dict.name("Type") == Some(b"ObjStm") {
                        if let Ok(objs) = self.object_stream(*num) {
                            for (idx, (n, _)) in objs.iter().enumerate() {
                                self.xref
                                    .entry(*n)
                                    .or_insert(Entry::InStream(*num, idx as u32));
                            }
                        }
                    }
                }
            }
        }
        // A trailer: the last "trailer" dictionary, else an XRef stream dict, else the catalog.
        let mut trailer = Dict::default();
        if let Some(t) = find_last(d, b"trailer") {
            if let Ok(Obj::Dict(td)) = Parser::new(d, t + 7).object(0) {
                trailer = td;
            }
        }
        if !trailer.contains("Root") {
            let mut nums: Vec<u32> = self.xref.keys().copied().collect();
            nums.sort_unstable();
            for num in nums {
                if let Ok(o) = self.get(num) {
                    if let Some(dict) = o.as_dict() {
                        match dict.name("Type") {
                            Some(b"XRef") => {
                                for k in ["Root", "Encrypt", "Info"] {
                                    if let Some(v) = dict.get(k) {
                                        trailer.0.push((k.as_bytes().to_vec(), v.clone()));
                                    }
                                }
                            }
                            Some(b"Catalog") if !trailer.contains("Root") => {
                                trailer.0.push((b"Root".to_vec(), Obj::Ref(num, 0)));
                            }
                            _ => {}
                        }
                    }
                }
            }
        }
        if !trailer.contains("Root") {
            if find_from(d, b"/Encrypt", 0).is_some() {
                return Err(PdfError::Encrypted);
            }
            return Err(PdfError::Broken(Damage::NoCatalog));
        }
        self.trailer = trailer;
        Ok(())
    }

    fn count_parse(&self) -> Result<(), String> {
        let n = self.parsed.get() + 1;
        self.parsed.set(n);
        if n as u64 > LIMITS.objects {
            return Err("too many objects parsed".into());
        }
        Ok(())
    }

    /// Parses "n g obj <object> [stream ... endstream]" at `off`.
    fn parse_indirect_at(&self, off: usize, depth: usize) -> Result<Obj, String> {
        self.count_parse()?;
        if off >= self.data.len() {
            return Err(format!("object offset {off} is past the end of the file"));
        }
        let mut p = Parser::new(self.data, off);
        let a = p.tok().map_err(|e| e.0)?;
        let b = p.tok().map_err(|e| e.0)?;
        let c = p.tok().map_err(|e| e.0)?;
        match (a, b, c) {
            (Some(Tok::Int(_)), Some(Tok::Int(_)), Some(Tok::Keyword(k)))
                if k.as_slice() == b"obj" => {}
            _ => return Err(format!("no object header at offset {off}")),
        }
        let obj = match p.object_or_keyword(0).map_err(|e| e.0)? {
            Ok(o) => o,
            Err(k) if k.as_slice() == b"endobj" => Obj::Null,
            Err(k) => {
                return Err(format!(
                    "unexpected keyword '{}'",
                    String::from_utf8_lossy(k.as_slice())
                ))
            }
        };
        let after = p.pos();
        let Obj::Dict(dict) = obj else { return Ok(obj) };
        // Is a stream following?
        let mut q = Parser::new(self.data, after);
        q.lex.skip_ws();
        let kw_at = q.lex.pos;
        if !self.data[kw_at..].starts_with(b"stream") {
            return Ok(Obj::Dict(dict));
        }
        let mut s = kw_at + 6;
        if self.data.get(s) == Some(&b'\r') {
            s += 1;
        }
        if self.data.get(s) == Some(&b'\n') {
            s += 1;
        }
        let len = match dict.get("Length") {
            Some(Obj::Int(l)) => Some(*l),
            Some(Obj::Ref(n, _)) if depth == 0 => match self.get_depth(*n, 1) {
                Ok(o) => o.as_i64(),
                Err(_) => None,
            },
            _ => None,
        };
        let end = match len {
            Some(l)
                if l >= 0
                    && s.checked_add(l as usize)
                        .is_some_and(|e| e <= self.data.len())
                    && {
                        let e = s + l as usize;
                        let mut r = Parser::new(self.data, e);
                        r.lex.skip_ws();
                        self.data[r.lex.pos..].starts_with(b"endstream")
                    } =>
            {
                s + l as usize
            }
            _ => {
                // Wrong or missing /Length: find "endstream".
                match find_from(self.data, b"endstream", s) {
                    Some(e) => {
                        let mut e2 = e;
                        if e2 > s && self.data[e2 - 1] == b'\n' {
                            e2 -= 1;
                        }
                        if e2 > s && self.data[e2 - 1] == b'\r' {
                            e2 -= 1;
                        }
                        e2
                    }
                    None => {
                        return Err(format!(
                            "stream at offset {off} has no end (file truncated?)"
                        ))
                    }
                }
            }
        };
        Ok(Obj::Stream(dict, s, end))
    }

    pub fn get(&self, num: u32) -> Result<Rc<Obj>, String> {
        self.get_depth(num, 0)
    }

    fn get_depth(&self, num: u32, depth: usize) -> Result<Rc<Obj>, String> {
        if let Some(o) = self.cache.borrow().get(&num) {
            return Ok(o.clone());
        }
        let obj = match self.xref.get(&num) {
            None | Some(Entry::Offset(0)) => Obj::Null,
            Some(Entry::Offset(off)) => self.parse_indirect_at(*off, depth)?,
            Some(Entry::InStream(sn, idx)) => {
                let objs = self.object_stream(*sn)?;
                match objs.get(*idx as usize) {
                    Some((n, o)) if *n == num => o.clone(),
                    _ => objs
                        .iter()
                        .find(|(n, _)| *n == num)
                        .map(|(_, o)| o.clone())
                        .unwrap_or(Obj::Null),
                }
            }
        };
        let rc = Rc::new(obj);
        self.cache.borrow_mut().insert(num, rc.clone());
        Ok(rc)
    }

    fn object_stream(&self, sn: u32) -> Result<ObjStm, String> {
        if let Some(v) = self.objstm_cache.borrow().get(&sn) {
            return Ok(v.clone());
        }
        let off = match self.xref.get(&sn) {
            Some(Entry::Offset(o)) if *o > 0 => *o,
            _ => return Err(format!("object stream {sn} is missing")),
        };
        let Obj::Stream(dict, s, e) = self.parse_indirect_at(off, 0)? else {
            return Err(format!("object {sn} is not an object stream"));
        };
        let data = self.decode_stream_raw(&dict, s, e)?;
        let n = dict.get("N").and_then(|o| o.as_i64()).unwrap_or(0);
        let first = dict.get("First").and_then(|o| o.as_i64()).unwrap_or(-1);
        if !(0..=1_000_000).contains(&n) || first < 0 || first as usize > data.len() {
            return Err(format!("object stream {sn} has a bad header"));
        }
        let mut hdr = Parser::new(&data[..first as usize], 0);
        let mut pairs = Vec::new();
        for _ in 0..n {
            match (hdr.tok(), hdr.tok()) {
                (Ok(Some(Tok::Int(num))), Ok(Some(Tok::Int(rel))))
                    if num >= 0 && rel >= 0 && num <= u32::MAX as i64 =>
                {
                    pairs.push((num as u32, first as usize + rel as usize))
                }
                _ => break,
            }
        }
        let mut objs = Vec::with_capacity(pairs.len());
        for (num, at) in pairs {
            self.count_parse()?;
            let o = if at < data.len() {
                Parser::new(&data, at).object(0).unwrap_or(Obj::Null)
            } else {
                Obj::Null
            };
            objs.push((num, o));
        }
        let rc = Rc::new(objs);
        self.objstm_cache.borrow_mut().insert(sn, rc.clone());
        Ok(rc)
    }

    /// Follows references (a bounded chain) to a direct object.
    pub fn resolve(&self, o: &Obj) -> Result<Obj, String> {
        let mut cur = o.clone();
        for _ in 0..16 {
            match cur {
                Obj::Ref(n, _) => cur = (*self.get(n)?).clone(),
                other => return Ok(other),
            }
        }
        Err("reference chain too long".into())
    }

    /// Like [`Document::resolve`] but never fails: a broken reference reads as null.
    pub fn r(&self, o: &Obj) -> Obj {
        self.resolve(o).unwrap_or(Obj::Null)
    }

    pub fn dict_get(&self, d: &Dict, key: &str) -> Obj {
        d.get(key).map(|o| self.r(o)).unwrap_or(Obj::Null)
    }

    fn decode_stream_raw(&self, dict: &Dict, s: usize, e: usize) -> Result<Vec<u8>, String> {
        let raw = self.data.get(s..e).ok_or("stream range outside the file")?;
        let resolve = |o: &Obj| -> Option<Obj> { self.resolve(o).ok() };
        let flist = filters::filter_list(dict, &resolve);
        let left = self.meter.decoded_left();
        let limit = LIMITS.stream_bytes.min(left);
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        match filters::decode(raw, &flist, limit) {
            Ok((data, produced)) => {
                self.meter.decoded(produced as u64);
                Ok(data)
            }
            // The filters stopped at the limit: that much was decoded.
            Err(FilterError::TooLarge) => {
                self.meter.decoded(limit as u64);
                Err(if left < LIMITS.stream_bytes {
                    format!(
                        "the file's streams decode to more than {} bytes in all (the reader's limit)",
                        thousands(LIMITS.decoded_bytes)
                    )
                } else {
                    format!(
                        "a stream decodes to more than {} bytes (the reader's limit)",
                        thousands(LIMITS.stream_bytes)
                    )
                })
            }
            Err(FilterError::Unsupported(f)) => Err(format!("unsupported filter {f}")),
            Err(FilterError::Corrupt(m)) => Err(m),
        }
    }

    /// Decoded data of a stream object; a stream met again is not decoded again.
    pub fn stream_data(&self, o: &Obj) -> Decoded {
        let Obj::Ref(number, _) = o else {
            return match o {
                Obj::Stream(d, s, e) => self.decode_stream_raw(d, *s, *e).map(Rc::new),
                _ => Err("not a stream".into()),
            };
        };
        if let Some(known) = self.streams.borrow().get(number) {
            return known.clone();
        }
        let decoded = match self.resolve(o) {
            Ok(Obj::Stream(d, s, e)) => self.decode_stream_raw(&d, s, e).map(Rc::new),
            Ok(_) => Err("not a stream".into()),
            Err(why) => Err(why),
        };
        self.streams.borrow_mut().insert(*number, decoded.clone());
        decoded
    }

    /// The pages in order.
    pub fn pages(&self) -> Result<Vec<Page>, PdfError> {
        let root = self.r(self.trailer.get("Root").unwrap_or(&Obj::Null));
        let root = root
            .as_dict()
            .ok_or(PdfError::Broken(Damage::CatalogNotADictionary))?;
        let pages_ref = root
            .get("Pages")
            .ok_or(PdfError::Broken(Damage::NoPageTree))?
            .clone();
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        self.walk(&pages_ref, None, 0, &mut seen, &mut out)?;
        Ok(out)
    }

    /// An object through its references, without copying it: a direct object is borrowed
    /// where it is, an indirect one shared from the cache. A broken reference reads as null.
    pub fn find<'o>(&self, o: &'o Obj) -> Found<'o> {
        let mut cur = match o {
            Obj::Ref(n, _) => match self.get(*n) {
                Ok(found) => found,
                Err(_) => return Found::Here(&NULL),
            },
            direct => return Found::Here(direct),
        };
        for _ in 0..16 {
            let next = match &*cur {
                Obj::Ref(n, _) => match self.get(*n) {
                    Ok(found) => found,
                    Err(_) => return Found::Here(&NULL),
                },
                _ => return Found::Shared(cur),
            };
            cur = next;
        }
        Found::Here(&NULL)
    }

    /// The value of `key` in `dict`, through its references, without copying it.
    pub fn find_key<'o>(&self, dict: &'o Dict, key: &str) -> Found<'o> {
        match dict.get(key) {
            Some(o) => self.find(o),
            None => Found::Here(&NULL),
        }
    }

    fn walk(
        &self,
        node: &Obj,
        inherited: Option<&Rc<Obj>>,
        depth: usize,
        seen: &mut HashSet<u32>,
        out: &mut Vec<Page>,
    ) -> Result<(), PdfError> {
        if depth > 32 {
            return Err(PdfError::Broken(Damage::PageTreeTooDeep));
        }
        if let Obj::Ref(n, _) = node {
            if !seen.insert(*n) {
                return Err(PdfError::Broken(Damage::PageTreeCycle));
            }
        }
        let found = self.find(node);
        let Some(d) = found.as_dict() else {
            return Ok(());
        };
        // INVARIANT: a node's resources are copied once, where they are given, and shared by
        // every page below it: a tree of thousands of pages does not copy them thousands of
        // times.
        let own: Option<Rc<Obj>> = d.get("Resources").map(|v| match self.find(v) {
            Found::Shared(shared) => shared,
            Found::Here(here) => Rc::new(here.clone()),
        });
        let resources = own.as_ref().or(inherited);
        let is_pages =
            d.name("Type") == Some(b"Pages") || (d.name("Type").is_none() && d.contains("Kids"));
        if is_pages {
            let kids = self.find_key(d, "Kids");
            for k in kids.as_array().unwrap_or(&[]) {
                self.walk(k, resources, depth + 1, seen, out)?;
                if out.len() as u64 > LIMITS.pages {
                    return Err(PdfError::TooBig(Limit::Pages(LIMITS.pages)));
                }
            }
        } else {
            let page = match found {
                Found::Shared(shared) => shared,
                Found::Here(here) => Rc::new(here.clone()),
            };
            out.push(Page {
                object: page,
                resources: resources.cloned(),
            });
        }
        Ok(())
    }
}

static NULL: Obj = Obj::Null;

/// An object found through references: borrowed, or shared from the document's cache.
pub enum Found<'o> {
    /// A direct object, where it is.
    Here(&'o Obj),
    /// An indirect object, from the cache.
    Shared(Rc<Obj>),
}

impl std::ops::Deref for Found<'_> {
    type Target = Obj;
    fn deref(&self) -> &Obj {
        match self {
            Found::Here(here) => here,
            Found::Shared(shared) => shared,
        }
    }
}

/// A page: its dictionary, and the resources it has or inherits.
pub struct Page {
    /// The page object.
    pub object: Rc<Obj>,
    /// Its /Resources, or those of the nearest node above it that has them.
    pub resources: Option<Rc<Obj>>,
}
