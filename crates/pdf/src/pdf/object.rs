//! PDF objects and a bounded tokenizer/parser for them (ISO 32000-1 §7.2–7.3).
//!
//! Every loop advances the cursor and every nesting is depth-limited, so hostile input
//! can only produce an error, never a panic, a hang or a stack overflow.

use std::fmt;

/// Deepest nesting of arrays/dictionaries accepted.
pub const MAX_DEPTH: usize = 48;

#[derive(Clone, Debug, PartialEq)]
pub enum Obj {
    Null,
    Bool(bool),
    Int(i64),
    Real(f64),
    Str(Vec<u8>),
    Name(Vec<u8>),
    Array(Vec<Obj>),
    Dict(Dict),
    /// A stream: its dictionary and the byte range of its (still encoded) data in the file.
    Stream(Dict, usize, usize),
    Ref(u32, u16),
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dict(pub Vec<(Vec<u8>, Obj)>);

impl Dict {
    pub fn get(&self, key: &str) -> Option<&Obj> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k.as_slice() == key.as_bytes())
            .map(|(_, v)| v)
    }
    pub fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
    pub fn name(&self, key: &str) -> Option<&[u8]> {
        match self.get(key) {
            Some(Obj::Name(n)) => Some(n),
            _ => None,
        }
    }
}

impl Obj {
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            Obj::Int(i) => Some(i as f64),
            Obj::Real(r) if r.is_finite() => Some(r),
            _ => None,
        }
    }
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Obj::Int(i) => Some(i),
            Obj::Real(r) if r.is_finite() && r.fract() == 0.0 && r.abs() < 9.0e15 => Some(r as i64),
            _ => None,
        }
    }
    pub fn as_dict(&self) -> Option<&Dict> {
        match self {
            Obj::Dict(d) | Obj::Stream(d, _, _) => Some(d),
            _ => None,
        }
    }
    pub fn as_array(&self) -> Option<&[Obj]> {
        match self {
            Obj::Array(a) => Some(a),
            _ => None,
        }
    }
    pub fn as_name(&self) -> Option<&[u8]> {
        match self {
            Obj::Name(n) => Some(n),
            _ => None,
        }
    }
}

/// A token of PDF syntax.
#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Int(i64),
    Real(f64),
    Str(Vec<u8>),
    Name(Vec<u8>),
    ArrOpen,
    ArrClose,
    DictOpen,
    DictClose,
    Keyword(Kw),
}

/// A keyword (operator) without a heap allocation; longer ones are cut to 20 bytes,
/// which no keyword this reader acts on is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Kw {
    buf: [u8; 20],
    len: u8,
}

impl Kw {
    pub fn new(b: &[u8]) -> Kw {
        let n = b.len().min(20);
        let mut buf = [0u8; 20];
        buf[..n].copy_from_slice(&b[..n]);
        Kw { buf, len: n as u8 }
    }
    pub fn as_slice(&self) -> &[u8] {
        &self.buf[..self.len as usize]
    }
}

impl fmt::Debug for Kw {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", String::from_utf8_lossy(self.as_slice()))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError(pub String);

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}
pub fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}
fn is_regular(b: u8) -> bool {
    !is_white(b) && !is_delim(b)
}
fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

pub struct Lexer<'a> {
    pub data: &'a [u8],
    pub pos: usize,
}

impl<'a> Lexer<'a> {
    pub fn new(data: &'a [u8], pos: usize) -> Self {
        Lexer {
            data,
            pos: pos.min(data.len()),
        }
    }

    pub fn skip_ws(&mut self) {
        while let Some(&b) = self.data.get(self.pos) {
            if is_white(b) {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(&c) = self.data.get(self.pos) {
                    if c == b'\r' || c == b'\n' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    pub fn at_end(&mut self) -> bool {
        self.skip_ws();
        self.pos >= self.data.len()
    }

    /// Next token, or None at end of data.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<Tok>, SyntaxError> {
        self.skip_ws();
        let d = self.data;
        let Some(&b) = d.get(self.pos) else {
            return Ok(None);
        };
        match b {
            b'[' => {
                self.pos += 1;
                Ok(Some(Tok::ArrOpen))
            }
            b']' => {
                self.pos += 1;
                Ok(Some(Tok::ArrClose))
            }
            b'<' => {
                if d.get(self.pos + 1) == Some(&b'<') {
                    self.pos += 2;
                    Ok(Some(Tok::DictOpen))
                } else {
                    self.pos += 1;
                    self.hex_string().map(Some)
                }
            }
            b'>' => {
                if d.get(self.pos + 1) == Some(&b'>') {
                    self.pos += 2;
                    Ok(Some(Tok::DictClose))
                } else {
                    self.pos += 1;
                    Err(SyntaxError(format!("stray '>' at byte {}", self.pos - 1)))
                }
            }
            b'(' => {
                self.pos += 1;
                self.literal_string().map(Some)
            }
            b'/' => {
                self.pos += 1;
                let mut name = Vec::new();
                while let Some(&c) = d.get(self.pos) {
                    if !is_regular(c) {
                        break;
                    }
                    if c == b'#' {
                        if let (Some(h), Some(l)) = (
                            d.get(self.pos + 1).and_then(|&x| hex_val(x)),
                            d.get(self.pos + 2).and_then(|&x| hex_val(x)),
                        ) {
                            name.push(h * 16 + l);
                            self.pos += 3;
                            continue;
                        }
                    }
                    name.push(c);
                    self.pos += 1;
                }
                Ok(Some(Tok::Name(name)))
            }
            b'{' | b'}' => {
                self.pos += 1;
                Ok(Some(Tok::Keyword(Kw::new(&[b]))))
            }
            b')' => {
                self.pos += 1;
                Err(SyntaxError(format!("stray ')' at byte {}", self.pos - 1)))
            }
            _ => {
                let start = self.pos;
                while let Some(&c) = d.get(self.pos) {
                    if !is_regular(c) {
                        break;
                    }
                    self.pos += 1;
                }
                let word = &d[start..self.pos];
                Ok(Some(
                    number(word).unwrap_or_else(|| Tok::Keyword(Kw::new(word))),
                ))
            }
        }
    }

    fn hex_string(&mut self) -> Result<Tok, SyntaxError> {
        let mut out = Vec::new();
        let mut hi: Option<u8> = None;
        loop {
            let Some(&c) = self.data.get(self.pos) else {
                return Err(SyntaxError("unterminated hex string".into()));
            };
            self.pos += 1;
            if c == b'>' {
                break;
            }
            if is_white(c) {
                continue;
            }
            let Some(v) = hex_val(c) else {
                return Err(SyntaxError(format!(
                    "bad hex digit at byte {}",
                    self.pos - 1
                )));
            };
            match hi.take() {
                Some(h) => out.push(h * 16 + v),
                None => hi = Some(v),
            }
        }
        if let Some(h) = hi {
            out.push(h * 16);
        }
        Ok(Tok::Str(out))
    }

    fn literal_string(&mut self) -> Result<Tok, SyntaxError> {
        let d = self.data;
        let mut out = Vec::new();
        let mut depth = 1usize;
        loop {
            let Some(&c) = d.get(self.pos) else {
                return Err(SyntaxError("unterminated string".into()));
            };
            self.pos += 1;
            match c {
                b'(' => {
                    depth += 1;
                    out.push(c);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                    out.push(c);
                }
                b'\\' => {
                    let Some(&e) = d.get(self.pos) else {
                        return Err(SyntaxError("unterminated string".into()));
                    };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'\r' => {
                            if d.get(self.pos) == Some(&b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        b'0'..=b'7' => {
                            let mut v = (e - b'0') as u32;
                            for _ in 0..2 {
                                match d.get(self.pos) {
                                    Some(&o @ b'0'..=b'7') => {
                                        v = v * 8 + (o - b'0') as u32;
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push((v & 0xff) as u8);
                        }
                        other => out.push(other),
                    }
                }
                b'\r' => {
                    // An end-of-line in a string is read as a single newline.
                    if d.get(self.pos) == Some(&b'\n') {
                        self.pos += 1;
                    }
                    out.push(b'\n');
                }
                _ => out.push(c),
            }
        }
        Ok(Tok::Str(out))
    }
}

fn number(word: &[u8]) -> Option<Tok> {
    if word.is_empty() || word.len() > 40 {
        return None;
    }
    let s = std::str::from_utf8(word).ok()?;
    let first = word[0];
    if !(first.is_ascii_digit() || first == b'-' || first == b'+' || first == b'.') {
        return None;
    }
    if !word
        .iter()
        .all(|&c| c.is_ascii_digit() || c == b'-' || c == b'+' || c == b'.')
    {
        return None;
    }
    if !word.contains(&b'.') {
        if let Ok(i) = s.parse::<i64>() {
            return Some(Tok::Int(i));
        }
    }
    // Be lenient like readers are: "--5", "5-" or "1.2.3" are read as far as they make sense.
    let trimmed: String = {
        let mut t = String::new();
        let mut seen_dot = false;
        for (i, ch) in s.chars().enumerate() {
            match ch {
                '-' | '+' if i == 0 => t.push(ch),
                '-' | '+' => {
                    if t.is_empty() || t == "-" || t == "+" {
                        continue;
                    }
                    break;
                }
                '.' if !seen_dot => {
                    seen_dot = true;
                    t.push(ch)
                }
                '.' => break,
                _ => t.push(ch),
            }
        }
        t
    };
    let v = trimmed.parse::<f64>().unwrap_or(0.0);
    Some(Tok::Real(if v.is_finite() { v } else { 0.0 }))
}

/// A parser of objects on top of the lexer, with a one-token look-ahead queue for `n g R`.
pub struct Parser<'a> {
    pub lex: Lexer<'a>,
    peeked: Vec<(Tok, usize)>,
}

impl<'a> Parser<'a> {
    pub fn new(data: &'a [u8], pos: usize) -> Self {
        Parser {
            lex: Lexer::new(data, pos),
            peeked: Vec::new(),
        }
    }

    pub fn pos(&self) -> usize {
        self.peeked.last().map(|(_, p)| *p).unwrap_or(self.lex.pos)
    }

    pub fn tok(&mut self) -> Result<Option<Tok>, SyntaxError> {
        if let Some((t, _)) = self.peeked.pop() {
            return Ok(Some(t));
        }
        self.lex.next()
    }

    fn unread(&mut self, t: Tok, start: usize) {
        self.peeked.push((t, start));
    }

    fn tok_with_start(&mut self) -> Result<Option<(Tok, usize)>, SyntaxError> {
        if let Some(p) = self.peeked.pop() {
            return Ok(Some(p));
        }
        self.lex.skip_ws();
        let start = self.lex.pos;
        Ok(self.lex.next()?.map(|t| (t, start)))
    }

    /// Parses one object. `Tok::Keyword`s other than true/false/null come back as errors,
    /// except through [`Parser::object_or_keyword`].
    pub fn object(&mut self, depth: usize) -> Result<Obj, SyntaxError> {
        match self.object_or_keyword(depth)? {
            Ok(o) => Ok(o),
            Err(k) => Err(SyntaxError(format!(
                "unexpected keyword '{}'",
                String::from_utf8_lossy(k.as_slice())
            ))),
        }
    }

    /// An object, or the keyword found where an object was expected.
    pub fn object_or_keyword(&mut self, depth: usize) -> Result<Result<Obj, Kw>, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(SyntaxError("objects nested too deeply".into()));
        }
        let Some((t, _start)) = self.tok_with_start()? else {
            return Err(SyntaxError("unexpected end of data".into()));
        };
        Ok(Ok(match t {
            Tok::Int(i) => {
                // Look for "g R".
                if i >= 0 && i <= u32::MAX as i64 {
                    if let Some((t2, s2)) = self.tok_with_start()? {
                        if let Tok::Int(g) = t2 {
                            if let Some((t3, s3)) = self.tok_with_start()? {
                                if t3 == Tok::Keyword(Kw::new(b"R")) && (0..=65535).contains(&g) {
                                    return Ok(Ok(Obj::Ref(i as u32, g as u16)));
                                }
                                self.unread(t3, s3);
                            }
                            self.unread(Tok::Int(g), s2);
                        } else {
                            self.unread(t2, s2);
                        }
                    }
                }
                Obj::Int(i)
            }
            Tok::Real(r) => Obj::Real(r),
            Tok::Str(s) => Obj::Str(s),
            Tok::Name(n) => Obj::Name(n),
            Tok::ArrOpen => {
                let mut v = Vec::new();
                loop {
                    match self.tok_with_start()? {
                        None => return Err(SyntaxError("unterminated array".into())),
                        Some((Tok::ArrClose, _)) => break,
                        Some((t, s)) => {
                            self.unread(t, s);
                            match self.object_or_keyword(depth + 1)? {
                                Ok(o) => v.push(o),
                                Err(k) => {
                                    return Err(SyntaxError(format!(
                                        "keyword '{}' in array",
                                        String::from_utf8_lossy(k.as_slice())
                                    )))
                                }
                            }
                        }
                    }
                }
                Obj::Array(v)
            }
            Tok::DictOpen => {
                let mut d = Vec::new();
                loop {
                    match self.tok_with_start()? {
                        None => return Err(SyntaxError("unterminated dictionary".into())),
                        Some((Tok::DictClose, _)) => break,
                        Some((Tok::Name(k), _)) => {
                            // A key followed directly by >> has no value: drop it.
                            match self.tok_with_start()? {
                                None => return Err(SyntaxError("unterminated dictionary".into())),
                                Some((Tok::DictClose, _)) => break,
                                Some((t, s)) => self.unread(t, s),
                            }
                            match self.object_or_keyword(depth + 1)? {
                                Ok(o) => d.push((k, o)),
                                Err(kw) => {
                                    return Err(SyntaxError(format!(
                                        "keyword '{}' in dictionary",
                                        String::from_utf8_lossy(kw.as_slice())
                                    )))
                                }
                            }
                        }
                        Some((t, _)) => {
                            return Err(SyntaxError(format!(
                                "dictionary key is not a name: {:?}",
                                short(&t)
                            )))
                        }
                    }
                }
                Obj::Dict(Dict(d))
            }
            Tok::Keyword(k) => match k.as_slice() {
                b"true" => Obj::Bool(true),
                b"false" => Obj::Bool(false),
                b"null" => Obj::Null,
                _ => return Ok(Err(k)),
            },
            Tok::ArrClose | Tok::DictClose => {
                return Err(SyntaxError("unexpected closing bracket".into()))
            }
        }))
    }
}

fn short(t: &Tok) -> String {
    let s = format!("{t:?}");
    s.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_basic_objects() {
        let mut p = Parser::new(
            b"<< /A 1 0 R /B [1 2.5 (a\\)b) <414> /N#20x] /C << >> /D true >>",
            0,
        );
        let o = p.object(0).unwrap();
        let d = o.as_dict().unwrap();
        assert_eq!(d.get("A"), Some(&Obj::Ref(1, 0)));
        let b = d.get("B").unwrap().as_array().unwrap();
        assert_eq!(b[0], Obj::Int(1));
        assert_eq!(b[1], Obj::Real(2.5));
        assert_eq!(b[2], Obj::Str(b"a)b".to_vec()));
        assert_eq!(b[3], Obj::Str(vec![0x41, 0x40]));
        assert_eq!(b[4], Obj::Name(b"N x".to_vec()));
        assert_eq!(d.get("D"), Some(&Obj::Bool(true)));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let mut s = vec![b'['; 100_000];
        s.extend(vec![b']'; 100_000]);
        assert!(Parser::new(&s, 0).object(0).is_err());
    }

    #[test]
    fn unterminated_things_are_errors() {
        for s in [&b"(abc"[..], b"<abc", b"[1 2", b"<< /A 1", b"<< 1 2 >>"] {
            assert!(
                Parser::new(s, 0).object(0).is_err(),
                "{:?}",
                String::from_utf8_lossy(s)
            );
        }
    }
}
