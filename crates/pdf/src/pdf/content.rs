//! A content-stream interpreter that keeps only what text extraction needs: where each
//! glyph is drawn, how big, and what text it stands for; plus a count of images drawn
//! (ISO 32000-1 §8–9). Work is bounded per document.

use std::collections::HashMap;
use std::rc::Rc;

use super::document::{Document, Page};
use super::font::{Font, Glyph};
use super::object::{Dict, Obj, Parser};
use super::work::Charge;

type Mat = [f64; 6];
const ID: Mat = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn mul(m: &Mat, n: &Mat) -> Mat {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}
fn apply(m: &Mat, x: f64, y: f64) -> (f64, f64) {
    (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])
}
fn finite(m: &Mat) -> bool {
    m.iter().all(|v| v.is_finite() && v.abs() < 1e7)
}

/// One glyph placed on the page (device space, y upwards).
#[derive(Clone, Debug)]
pub struct PlacedGlyph {
    pub x0: f64,
    pub x1: f64,
    pub y: f64,
    pub size: f64,
    pub text: Rc<str>,
}

#[derive(Default, Debug)]
pub struct PageContent {
    pub glyphs: Vec<PlacedGlyph>,
    pub images: usize,
    /// Glyphs whose text could not be determined.
    pub unmapped: usize,
    /// Glyphs drawn rotated or mirrored (left out of `glyphs`).
    pub rotated: usize,
    pub problems: Vec<String>,
}

#[derive(Clone)]
struct GState {
    ctm: Mat,
    font: Option<Rc<Font>>,
    size: f64,
    tc: f64,
    tw: f64,
    th: f64,
    tl: f64,
    rise: f64,
}

const MAX_FORM_DEPTH: usize = 8;

pub struct Interp<'d, 'a> {
    doc: &'d Document<'a>,
    fonts: HashMap<u32, Rc<Font>>,
}

impl<'d, 'a> Interp<'d, 'a> {
    pub fn new(doc: &'d Document<'a>) -> Self {
        Interp {
            doc,
            fonts: HashMap::new(),
        }
    }

    pub fn page(&mut self, page: &Page) -> PageContent {
        let mut out = PageContent::default();
        let doc = self.doc;
        let empty = Dict::default();
        let resources = page.resources.as_deref().map(|r| doc.find(r));
        let res: &Dict = resources
            .as_ref()
            .and_then(|r| r.as_dict())
            .unwrap_or(&empty);
        let page_dict = page.object.as_dict().unwrap_or(&empty);
        let contents = doc.find_key(page_dict, "Contents");
        let parts: &[Obj] = match &*contents {
            Obj::Array(a) => a,
            Obj::Null => &[],
            _ => std::slice::from_ref(page_dict.get("Contents").unwrap_or(&Obj::Null)),
        };
        let mut data: Vec<Rc<Vec<u8>>> = Vec::new();
        // One part that cannot be read makes the page unreadable: the rest is not read.
        for p in parts.iter().take(10_000) {
            let part = match doc.stream_data(p) {
                Ok(part) => part,
                Err(e) => {
                    out.problems.push(format!("content stream unreadable: {e}"));
                    return out;
                }
            };
            // INVARIANT: charged before it is interpreted, so a stream named thousands of
            // times stops at the limit, whatever it holds.
            if let Err(e) = doc.meter.charge(Charge::ContentBytes, part.len() as u64) {
                out.problems.push(e);
                return out;
            }
            data.push(part);
        }
        let parts: Vec<&[u8]> = data.iter().map(|part| &part[..]).collect();
        let gs = GState {
            ctm: ID,
            font: None,
            size: 0.0,
            tc: 0.0,
            tw: 0.0,
            th: 1.0,
            tl: 0.0,
            rise: 0.0,
        };
        let mut stack = Vec::new();
        self.run(&parts, res, gs, 0, &mut stack, &mut out);
        out
    }

    /// The font a content stream names: loaded once per file when it is an indirect object
    /// (as it is in every real report), once per content stream otherwise (`direct`).
    fn font(
        &mut self,
        res: &Dict,
        name: &[u8],
        direct: &mut HashMap<Vec<u8>, Option<Rc<Font>>>,
    ) -> Option<Rc<Font>> {
        let doc = self.doc;
        let fonts = doc.find_key(res, "Font");
        let fd = fonts.as_dict()?;
        let r =
            fd.0.iter()
                .rev()
                .find(|(k, _)| k.as_slice() == name)
                .map(|(_, v)| v)?;
        match r {
            Obj::Ref(n, _) => {
                if let Some(f) = self.fonts.get(n) {
                    return Some(f.clone());
                }
                let f = Rc::new(Font::load(doc, doc.find(r).as_dict()?));
                self.fonts.insert(*n, f.clone());
                Some(f)
            }
            direct_font => direct
                .entry(name.to_vec())
                .or_insert_with(|| direct_font.as_dict().map(|d| Rc::new(Font::load(doc, d))))
                .clone(),
        }
    }

    /// Interprets content streams in turn, as one: the standard lets a page's content be
    /// split into parts only between tokens, so the parts are not copied together.
    fn run(
        &mut self,
        parts: &[&[u8]],
        res: &Dict,
        mut gs: GState,
        depth: usize,
        forms: &mut Vec<u32>,
        out: &mut PageContent,
    ) {
        let mut saved: Vec<GState> = Vec::new();
        let mut tm = ID;
        let mut tlm = ID;
        let mut operands: Vec<Obj> = Vec::new();
        let mut glyph_buf: Vec<Glyph> = Vec::new();
        let mut direct_fonts = HashMap::new();
        for data in parts {
            let data: &[u8] = data;
            let mut p = Parser::new(data, 0);
            loop {
                let item = p.object_or_keyword(0);
                let op = match item {
                    Ok(Ok(o)) => {
                        if operands.len() < 64 {
                            operands.push(o);
                        }
                        continue;
                    }
                    Ok(Err(k)) => k,
                    Err(_) => {
                        if p.lex.at_end() {
                            break;
                        }
                        // Skip the offending byte and carry on, as viewers do.
                        let at = p.lex.pos + 1;
                        p = Parser::new(data, at);
                        operands.clear();
                        continue;
                    }
                };
                if let Err(e) = self.doc.meter.charge(Charge::Operators, 1) {
                    out.problems.push(e);
                    return;
                }
                let num =
                    |i: usize| -> f64 { operands.get(i).and_then(|o| o.as_f64()).unwrap_or(0.0) };
                let nums6 = |ops: &[Obj]| -> Option<Mat> {
                    if ops.len() < 6 {
                        return None;
                    }
                    let s = &ops[ops.len() - 6..];
                    let v: Vec<f64> = s.iter().filter_map(|o| o.as_f64()).collect();
                    if v.len() == 6 {
                        Some([v[0], v[1], v[2], v[3], v[4], v[5]])
                    } else {
                        None
                    }
                };
                match op.as_slice() {
                    b"q" if saved.len() < 256 => {
                        saved.push(gs.clone());
                    }
                    b"Q" => {
                        if let Some(s) = saved.pop() {
                            gs = s;
                        }
                    }
                    b"cm" => {
                        if let Some(m) = nums6(&operands) {
                            let c = mul(&m, &gs.ctm);
                            if finite(&c) {
                                gs.ctm = c;
                            }
                        }
                    }
                    b"BT" => {
                        tm = ID;
                        tlm = ID;
                    }
                    b"ET" => {}
                    b"Tf" => {
                        if let Some(Obj::Name(n)) = operands.first() {
                            gs.font = self.font(res, n, &mut direct_fonts);
                            match &gs.font {
                                None => out.problems.push(format!(
                                    "font /{} not found",
                                    String::from_utf8_lossy(n)
                                )),
                                Some(font) => {
                                    if let Some(problem) = &font.problem {
                                        out.problems.push(format!(
                                            "font /{}: {problem}",
                                            String::from_utf8_lossy(n)
                                        ));
                                        return;
                                    }
                                }
                            }
                        }
                        gs.size = num(1);
                    }
                    b"Tc" => gs.tc = num(0),
                    b"Tw" => gs.tw = num(0),
                    b"Tz" => gs.th = num(0) / 100.0,
                    b"TL" => gs.tl = num(0),
                    b"Ts" => gs.rise = num(0),
                    b"Td" => {
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, num(0), num(1)], &tlm);
                        tm = tlm;
                    }
                    b"TD" => {
                        gs.tl = -num(1);
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, num(0), num(1)], &tlm);
                        tm = tlm;
                    }
                    b"Tm" => {
                        if let Some(m) = nums6(&operands) {
                            if finite(&m) {
                                tlm = m;
                                tm = m;
                            }
                        }
                    }
                    b"T*" => {
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.tl], &tlm);
                        tm = tlm;
                    }
                    b"Tj" | b"'" | b"\"" | b"TJ" => {
                        if op.as_slice() == b"'" || op.as_slice() == b"\"" {
                            if op.as_slice() == b"\"" {
                                gs.tw = num(0);
                                gs.tc = num(1);
                            }
                            tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.tl], &tlm);
                            tm = tlm;
                        }
                        let Some(font) = gs.font.clone() else {
                            operands.clear();
                            continue;
                        };
                        let items: Vec<Obj> = match operands.pop() {
                            Some(Obj::Array(a)) if op.as_slice() == b"TJ" => a,
                            Some(s @ Obj::Str(_)) => vec![s],
                            _ => vec![],
                        };
                        for it in items {
                            match it {
                                Obj::Str(bytes) => {
                                    glyph_buf.clear();
                                    font.glyphs(&bytes, &mut glyph_buf);
                                    for g in glyph_buf.drain(..) {
                                        // Text is counted as well as glyphs: one glyph may stand
                                        // for a long string.
                                        let text_bytes = g.text.as_ref().map_or(0, |t| t.len());
                                        if let Err(e) = self
                                            .doc
                                            .meter
                                            .charge(Charge::Glyphs, 1)
                                            .and_then(|()| {
                                                self.doc
                                                    .meter
                                                    .charge(Charge::TextBytes, text_bytes as u64)
                                            })
                                        {
                                            out.problems.push(e);
                                            return;
                                        }
                                        let m = mul(&tm, &gs.ctm);
                                        let w = g.advance * gs.size * gs.th;
                                        let (x0, y0) = apply(&m, 0.0, gs.rise);
                                        let (x1, _) = apply(&m, w, gs.rise);
                                        let vscale = (m[2] * m[2] + m[3] * m[3]).sqrt();
                                        let size = gs.size.abs() * vscale;
                                        let horizontal = m[0] > 0.0
                                            && m[1].abs() <= 0.05 * m[0].abs()
                                            && m[3] > 0.0;
                                        match g.text {
                                            Some(t) => {
                                                if !horizontal {
                                                    out.rotated += 1;
                                                } else if x0.is_finite()
                                                    && y0.is_finite()
                                                    && size.is_finite()
                                                {
                                                    out.glyphs.push(PlacedGlyph {
                                                        x0,
                                                        x1: x1.max(x0),
                                                        y: y0,
                                                        size,
                                                        text: t,
                                                    });
                                                }
                                            }
                                            None => out.unmapped += 1,
                                        }
                                        let tw = if g.is_space_code { gs.tw } else { 0.0 };
                                        let tx = (g.advance * gs.size + gs.tc + tw) * gs.th;
                                        tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &tm);
                                    }
                                }
                                o => {
                                    if let Some(adj) = o.as_f64() {
                                        let tx = -adj / 1000.0 * gs.size * gs.th;
                                        tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &tm);
                                    }
                                }
                            }
                        }
                    }
                    b"Do" => {
                        if let Some(Obj::Name(n)) = operands.first() {
                            self.xobject(res, n, &gs, depth, forms, out);
                            // A form cut short (a limit, an unreadable stream) makes the page
                            // unreadable: nothing more of it is interpreted.
                            if !out.problems.is_empty() {
                                return;
                            }
                        }
                    }
                    b"BI" => {
                        out.images += 1;
                        // Skip the inline image: dictionary up to ID, then data up to "EI".
                        let mut at = p.lex.pos;
                        if let Some(id) = find(data, b"ID", at) {
                            at = id + 2;
                            let mut q = at + 1;
                            loop {
                                match find(data, b"EI", q) {
                                    Some(e) => {
                                        let before_ok =
                                            e > 0 && super::object::is_white(data[e - 1]);
                                        let after_ok = data
                                            .get(e + 2)
                                            .is_none_or(|&c| super::object::is_white(c));
                                        if before_ok && after_ok {
                                            at = e + 2;
                                            break;
                                        }
                                        q = e + 2;
                                    }
                                    None => {
                                        at = data.len();
                                        break;
                                    }
                                }
                            }
                        }
                        p = Parser::new(data, at);
                    }
                    _ => {}
                }
                operands.clear();
            }
        }
    }

    fn xobject(
        &mut self,
        res: &Dict,
        name: &[u8],
        gs: &GState,
        depth: usize,
        forms: &mut Vec<u32>,
        out: &mut PageContent,
    ) {
        let doc = self.doc;
        let xo = doc.find_key(res, "XObject");
        let Some(xd) = xo.as_dict() else { return };
        let Some(r) =
            xd.0.iter()
                .rev()
                .find(|(k, _)| k.as_slice() == name)
                .map(|(_, v)| v)
        else {
            return;
        };
        let o = doc.find(r);
        let Obj::Stream(d, _, _) = &*o else { return };
        match d.name("Subtype") {
            Some(b"Image") => out.images += 1,
            Some(b"Form") => {
                let id = match r {
                    Obj::Ref(n, _) => *n,
                    _ => u32::MAX,
                };
                if depth >= MAX_FORM_DEPTH || forms.contains(&id) {
                    out.problems
                        .push("form XObjects nested too deeply or recursively".into());
                    return;
                }
                // A form drawn many times is decoded once but interpreted each time: each
                // drawing is charged its content, so a fan-out of forms ends at a limit.
                let data = match doc.stream_data(r) {
                    Ok(d) => d,
                    Err(e) => {
                        out.problems.push(format!("form XObject unreadable: {e}"));
                        return;
                    }
                };
                if let Err(e) = doc
                    .meter
                    .charge(Charge::FormsDrawn, 1)
                    .and_then(|()| doc.meter.charge(Charge::ContentBytes, data.len() as u64))
                {
                    out.problems.push(e);
                    return;
                }
                let mut g2 = gs.clone();
                if let Obj::Array(m) = &*doc.find_key(d, "Matrix") {
                    let v: Vec<f64> = m.iter().filter_map(|x| x.as_f64()).collect();
                    if v.len() == 6 {
                        let c = mul(&[v[0], v[1], v[2], v[3], v[4], v[5]], &g2.ctm);
                        if finite(&c) {
                            g2.ctm = c;
                        }
                    }
                }
                let form_resources = doc.find_key(d, "Resources");
                let fres = form_resources.as_dict().unwrap_or(res);
                forms.push(id);
                self.run(&[&data], fres, g2, depth + 1, forms, out);
                forms.pop();
            }
            _ => {}
        }
    }
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if from >= hay.len() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}
