//! A content-stream interpreter that keeps only what text extraction needs: where each
//! glyph is drawn, how big, and what text it stands for; plus a count of images drawn
//! (ISO 32000-1 §8–9). Work is bounded per document.

use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;

use super::document::Document;
use super::font::{Font, Glyph};
use super::object::{Dict, Obj, Parser};

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

pub struct Budget {
    pub ops: Cell<u64>,
    pub glyphs: Cell<u64>,
}

impl Budget {
    pub fn new() -> Self {
        Budget {
            ops: Cell::new(0),
            glyphs: Cell::new(0),
        }
    }
}

impl Default for Budget {
    fn default() -> Self {
        Self::new()
    }
}

const MAX_OPS: u64 = 30_000_000;
const MAX_GLYPHS: u64 = 10_000_000;
const MAX_FORM_DEPTH: usize = 8;

pub struct Interp<'d, 'a> {
    doc: &'d Document<'a>,
    fonts: HashMap<u32, Rc<Font>>,
    budget: &'d Budget,
}

impl<'d, 'a> Interp<'d, 'a> {
    pub fn new(doc: &'d Document<'a>, budget: &'d Budget) -> Self {
        Interp {
            doc,
            fonts: HashMap::new(),
            budget,
        }
    }

    pub fn page(&mut self, page: &Dict) -> PageContent {
        let mut out = PageContent::default();
        let resources = self.doc.dict_get(page, "Resources");
        let res = resources.as_dict().cloned().unwrap_or_default();
        let contents = self.doc.dict_get(page, "Contents");
        let mut data = Vec::new();
        let parts: Vec<Obj> = match &contents {
            Obj::Array(a) => a.clone(),
            Obj::Null => vec![],
            _ => vec![page.get("Contents").cloned().unwrap_or(Obj::Null)],
        };
        for p in parts.iter().take(10_000) {
            match self.doc.stream_data(p) {
                Ok(d) => {
                    data.extend_from_slice(&d);
                    data.push(b'\n');
                }
                Err(e) => out.problems.push(format!("content stream unreadable: {e}")),
            }
        }
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
        self.run(&data, &res, gs, 0, &mut stack, &mut out);
        out
    }

    fn font(&mut self, res: &Dict, name: &[u8]) -> Option<Rc<Font>> {
        let fonts = self.doc.dict_get(res, "Font");
        let fd = fonts.as_dict()?;
        let r =
            fd.0.iter()
                .rev()
                .find(|(k, _)| k.as_slice() == name)
                .map(|(_, v)| v.clone())?;
        let key = match r {
            Obj::Ref(n, _) => Some(n),
            _ => None,
        };
        if let Some(k) = key {
            if let Some(f) = self.fonts.get(&k) {
                return Some(f.clone());
            }
        }
        let o = self.doc.r(&r);
        let f = Rc::new(Font::load(self.doc, o.as_dict()?));
        if let Some(k) = key {
            self.fonts.insert(k, f.clone());
        }
        Some(f)
    }

    fn run(
        &mut self,
        data: &[u8],
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
        let mut p = Parser::new(data, 0);
        let mut glyph_buf: Vec<Glyph> = Vec::new();
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
            let n = self.budget.ops.get() + 1;
            self.budget.ops.set(n);
            if n > MAX_OPS {
                out.problems
                    .push("too many content operators: page cut short".into());
                return;
            }
            let num = |i: usize| -> f64 { operands.get(i).and_then(|o| o.as_f64()).unwrap_or(0.0) };
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
                        gs.font = self.font(res, n);
                        if gs.font.is_none() {
                            out.problems
                                .push(format!("font /{} not found", String::from_utf8_lossy(n)));
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
                                    let g_count = self.budget.glyphs.get() + 1;
                                    self.budget.glyphs.set(g_count);
                                    if g_count > MAX_GLYPHS {
                                        out.problems.push("too many glyphs: page cut short".into());
                                        return;
                                    }
                                    let m = mul(&tm, &gs.ctm);
                                    let w = g.advance * gs.size * gs.th;
                                    let (x0, y0) = apply(&m, 0.0, gs.rise);
                                    let (x1, _) = apply(&m, w, gs.rise);
                                    let vscale = (m[2] * m[2] + m[3] * m[3]).sqrt();
                                    let size = gs.size.abs() * vscale;
                                    let horizontal =
                                        m[0] > 0.0 && m[1].abs() <= 0.05 * m[0].abs() && m[3] > 0.0;
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
                                    let before_ok = e > 0 && super::object::is_white(data[e - 1]);
                                    let after_ok =
                                        data.get(e + 2).is_none_or(|&c| super::object::is_white(c));
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

    fn xobject(
        &mut self,
        res: &Dict,
        name: &[u8],
        gs: &GState,
        depth: usize,
        forms: &mut Vec<u32>,
        out: &mut PageContent,
    ) {
        let xo = self.doc.dict_get(res, "XObject");
        let Some(xd) = xo.as_dict() else { return };
        let Some(r) =
            xd.0.iter()
                .rev()
                .find(|(k, _)| k.as_slice() == name)
                .map(|(_, v)| v.clone())
        else {
            return;
        };
        let o = self.doc.r(&r);
        let Obj::Stream(d, _, _) = &o else { return };
        match d.name("Subtype") {
            Some(b"Image") => out.images += 1,
            Some(b"Form") => {
                let id = match r {
                    Obj::Ref(n, _) => n,
                    _ => u32::MAX,
                };
                if depth >= MAX_FORM_DEPTH || forms.contains(&id) {
                    out.problems
                        .push("form XObjects nested too deeply or recursively".into());
                    return;
                }
                let data = match self.doc.stream_data(&o) {
                    Ok(d) => d,
                    Err(e) => {
                        out.problems.push(format!("form XObject unreadable: {e}"));
                        return;
                    }
                };
                let mut g2 = gs.clone();
                if let Some(Obj::Array(m)) = d.get("Matrix").map(|m| self.doc.r(m)) {
                    let v: Vec<f64> = m.iter().filter_map(|x| x.as_f64()).collect();
                    if v.len() == 6 {
                        let c = mul(&[v[0], v[1], v[2], v[3], v[4], v[5]], &g2.ctm);
                        if finite(&c) {
                            g2.ctm = c;
                        }
                    }
                }
                let fres = self.doc.dict_get(d, "Resources");
                let fres = fres.as_dict().cloned().unwrap_or_else(|| res.clone());
                forms.push(id);
                self.run(&data, &fres, g2, depth + 1, forms, out);
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
