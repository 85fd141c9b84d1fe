//! Sentences and headings that state a grade in prose.
//!
//! The page text is read as a stream of words that remember their line. A statement is a
//! known subject phrase at the start of a sentence or line, an optional verb ("is",
//! "are", "is judged to be"), then a grade phrase that ends there (end of sentence or line,
//! a colon, "because"). "Good practice" or "were judged good when last inspected" do not
//! match: the grade must end the clause and the verb must be present tense.

use super::words::{grade_at, Grade, PLine};
use ratings_text::fold;

#[derive(Clone, Debug)]
pub struct Tok {
    pub raw: String,
    pub bare: String,
    /// Index of the line in the page.
    pub line: usize,
    /// First word on its line.
    pub line_start: bool,
    /// Punctuation that ends the raw word ('.', ':', ',', ';') if any.
    pub end_punct: Option<char>,
}

pub fn tokens(lines: &[PLine]) -> Vec<Tok> {
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        for (k, w) in l.words().enumerate() {
            let raw = w.text.trim().to_string();
            let n = fold(&raw);
            let bare = n
                .trim_matches(|c: char| !c.is_alphanumeric() && c != '&')
                .to_string();
            let end_punct = n
                .trim_end_matches([')', '"', '\''])
                .chars()
                .last()
                .filter(|c| matches!(c, '.' | ':' | ',' | ';'));
            if bare.is_empty() && end_punct.is_none() {
                continue;
            }
            out.push(Tok {
                raw,
                bare,
                line: i,
                line_start: k == 0,
                end_punct,
            });
        }
    }
    out
}

/// A match of a statement: subject tokens [s0, s1), grade tokens [g0, g1).
#[derive(Clone, Debug)]
pub struct Found {
    pub s0: usize,
    pub s1: usize,
    pub g0: usize,
    pub g1: usize,
    pub grade: Grade,
}

fn seq_at(toks: &[Tok], i: usize, pat: &[&str]) -> bool {
    pat.iter()
        .enumerate()
        .all(|(k, p)| toks.get(i + k).is_some_and(|t| t.bare == *p))
}

/// Whether token i begins a sentence or a line.
fn sentence_start(toks: &[Tok], i: usize) -> bool {
    i == 0
        || toks[i].line_start
        || matches!(toks[i - 1].end_punct, Some('.') | Some(':') | Some(';'))
}

/// Whether the grade ending at token `g1` (exclusive) ends the clause.
fn terminal(toks: &[Tok], g1: usize) -> bool {
    let last = &toks[g1 - 1];
    if matches!(
        last.end_punct,
        Some('.') | Some(':') | Some(';') | Some(',')
    ) {
        return true;
    }
    match toks.get(g1) {
        None => true,
        Some(n) => n.line != last.line || n.bare == "because",
    }
}

/// After a subject ending at `s1`, a present-tense verb then a grade that ends the clause.
/// `verbless_ok`: the grade may follow directly when it starts a new line (a heading cell).
fn predicate(toks: &[Tok], s1: usize, verbless_ok: bool) -> Option<(usize, usize, Grade)> {
    let verbs: &[&[&str]] = &[
        &["is", "judged", "to", "be"],
        &["are", "judged", "to", "be"],
        &["is", "judged"],
        &["is"],
        &["are"],
        &["remains"],
        &["remain"],
    ];
    let mut starts = Vec::new();
    for v in verbs {
        if seq_at(toks, s1, v) {
            starts.push(s1 + v.len());
        }
    }
    // "requires improvement" carries its own verb.
    starts.push(s1);
    for g0 in starts {
        let words: Vec<&str> = toks
            .iter()
            .skip(g0)
            .take(5)
            .map(|t| t.bare.as_str())
            .collect();
        if let Some((grade, n)) = grade_at(&words) {
            let own_verb = matches!(words.first(), Some(&"requires") | Some(&"require"));
            let verbless = g0 == s1 && !own_verb;
            if verbless && !(verbless_ok && toks[g0].line_start) {
                continue;
            }
            // A subject already closed by a full stop cannot take a predicate.
            if g0 > 0 && g0 == s1 && matches!(toks[s1 - 1].end_punct, Some('.')) {
                continue;
            }
            if terminal(toks, g0 + n) {
                return Some((g0, g0 + n, grade));
            }
        }
    }
    None
}

/// LSCB statements: "The effectiveness of the Local Safeguarding Children Board (LSCB) is
/// good", "The judgement for the effectiveness of the LSCB is requires improvement",
/// "The Local Safeguarding Children Board is inadequate because:", a heading followed by the
/// grade on its own line.
pub fn lscb(toks: &[Tok]) -> Vec<Found> {
    let mut out = Vec::new();
    for i in 0..toks.len() {
        if !sentence_start(toks, i) || toks[i].bare != "the" {
            continue;
        }
        let mut j = i + 1;
        if seq_at(toks, j, &["judgement", "for", "the"])
            || seq_at(toks, j, &["judgement", "of", "the"])
        {
            j += 3;
        }
        let has_eff = seq_at(toks, j, &["effectiveness", "of", "the"]);
        if has_eff {
            j += 3;
        }
        let body = if seq_at(toks, j, &["local", "safeguarding", "children", "board"]) {
            j + 4
        } else if seq_at(toks, j, &["lscb"]) {
            j + 1
        } else {
            continue;
        };
        let mut s1 = body;
        if toks
            .get(s1)
            .is_some_and(|t| t.bare == "lscb" && t.raw.starts_with('('))
        {
            s1 += 1;
        }
        if let Some((g0, g1, grade)) = predicate(toks, s1, has_eff) {
            out.push(Found {
                s0: i,
                s1,
                g0,
                g1,
                grade,
            });
        }
    }
    out
}

/// ILACS section headings "<judgement name>: <grade>" (the name as in the table, possibly
/// wrapped; "is:" tolerated). Returns matches whose subject starts at a line start.
pub fn headings(toks: &[Tok], starts: &[&[&str]]) -> Vec<Found> {
    let mut out = Vec::new();
    for i in 0..toks.len() {
        if !toks[i].line_start || !starts.iter().any(|s| seq_at(toks, i, s)) {
            continue;
        }
        // Find the colon within 25 words.
        let Some(c) = (i..toks.len().min(i + 25)).find(|&k| toks[k].end_punct == Some(':')) else {
            continue;
        };
        if toks[i..c]
            .iter()
            .any(|t| matches!(t.end_punct, Some('.') | Some(';')))
        {
            continue;
        }
        let g0 = c + 1;
        let words: Vec<&str> = toks
            .iter()
            .skip(g0)
            .take(5)
            .map(|t| t.bare.as_str())
            .collect();
        if let Some((grade, n)) = grade_at(&words) {
            if terminal(toks, g0 + n) {
                let s1 = if toks[c].bare == "is" { c } else { c + 1 };
                out.push(Found {
                    s0: i,
                    s1,
                    g0,
                    g1: g0 + n,
                    grade,
                });
            }
        }
    }
    out
}

/// Headline: "Children's services in X are good" / "... require improvement to be good",
/// "Children's services require improvement to be good" (no council named), "The overall
/// judgement is good", "The overall judgement is that children's services are inadequate"
/// (or "children's service requires improvement"). Only at the start of a sentence or line.
pub fn headline(toks: &[Tok]) -> Vec<Found> {
    let mut out = Vec::new();
    for i in 0..toks.len() {
        if !sentence_start(toks, i) {
            continue;
        }
        if seq_at(toks, i, &["the", "overall", "judgement", "is"]) {
            let mut g0 = i + 4;
            // "... is that children's services are good", and the singular "children's service
            // requires improvement" printed in some.
            if seq_at(toks, g0, &["that", "children's", "services"])
                || seq_at(toks, g0, &["that", "children's", "service"])
            {
                let s1 = g0 + 3;
                if let Some((g0, g1, grade)) = predicate(toks, s1, false) {
                    out.push(Found {
                        s0: i,
                        s1,
                        g0,
                        g1,
                        grade,
                    });
                }
                continue;
            }
            let words: Vec<&str> = toks
                .iter()
                .skip(g0)
                .take(5)
                .map(|t| t.bare.as_str())
                .collect();
            if let Some((grade, n)) = grade_at(&words) {
                if terminal(toks, g0 + n) {
                    out.push(Found {
                        s0: i,
                        s1: i + 3,
                        g0,
                        g1: g0 + n,
                        grade,
                    });
                }
            }
            g0 += 0;
            let _ = g0;
        } else if (seq_at(toks, i, &["children's", "services"])
            || seq_at(toks, i, &["children's", "service"]))
            && toks.get(i + 2).is_some_and(|t| t.bare != "in")
        {
            // "Children's services require improvement to be good": no "in <council>".
            let s1 = i + 2;
            if let Some((g0, g1, grade)) = predicate(toks, s1, false) {
                if g0 > s1 || matches!(toks[s1].bare.as_str(), "requires" | "require") {
                    out.push(Found {
                        s0: i,
                        s1,
                        g0,
                        g1,
                        grade,
                    });
                }
            }
        } else if seq_at(toks, i, &["children's", "services", "in"]) {
            // The authority's name: up to 12 words, then the predicate.
            for s1 in (i + 4)..(i + 16).min(toks.len()) {
                if matches!(
                    toks[s1 - 1].end_punct,
                    Some('.') | Some(',') | Some(';') | Some(':')
                ) {
                    break;
                }
                if let Some((g0, g1, grade)) = predicate(toks, s1, false) {
                    if g0 > s1 || matches!(toks[s1].bare.as_str(), "requires" | "require") {
                        out.push(Found {
                            s0: i,
                            s1,
                            g0,
                            g1,
                            grade,
                        });
                        break;
                    }
                }
            }
        }
    }
    out
}

/// LAC 2012-13 statements: "Overall effectiveness for looked after children is inadequate",
/// "Capacity to improve services for looked after children is adequate".
pub fn lac(toks: &[Tok]) -> Vec<Found> {
    let subjects: &[&[&str]] = &[
        &[
            "overall",
            "effectiveness",
            "for",
            "looked",
            "after",
            "children",
        ],
        &[
            "overall",
            "effectiveness",
            "of",
            "services",
            "for",
            "looked",
            "after",
            "children",
        ],
        &[
            "capacity", "to", "improve", "services", "for", "looked", "after", "children",
        ],
        &["capacity", "to", "improve"],
    ];
    let mut out = Vec::new();
    for i in 0..toks.len() {
        if !sentence_start(toks, i) {
            continue;
        }
        for s in subjects {
            if seq_at(toks, i, s) {
                if let Some((g0, g1, grade)) = predicate(toks, i + s.len(), false) {
                    if g0 > i + s.len() {
                        out.push(Found {
                            s0: i,
                            s1: i + s.len(),
                            g0,
                            g1,
                            grade,
                        });
                        break;
                    }
                }
            }
        }
    }
    out
}

pub fn raw(toks: &[Tok], a: usize, b: usize) -> String {
    toks[a..b]
        .iter()
        .map(|t| t.raw.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}
