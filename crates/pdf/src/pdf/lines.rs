//! Text lines from glyphs: glyphs are grouped into lines by baseline, ordered left to right,
//! and split into words where there is a space glyph or a gap. Words keep their x
//! positions so that table columns can be told apart.

use super::content::PlacedGlyph;

#[derive(Clone, Debug, PartialEq)]
/// A word on a line: its text and where it starts and ends across the page.
pub struct Word {
    /// Left edge, in points from the page's left.
    pub x0: f64,
    /// Right edge, in points from the page's left.
    pub x1: f64,
    /// The word's text.
    pub text: String,
    /// Set on superscripts (smaller glyphs raised above the baseline), e.g. footnote marks.
    pub sup: bool,
}

#[derive(Clone, Debug)]
/// A line of text: the glyphs that share a baseline, grouped into words.
pub struct TextLine {
    /// Baseline (device space, y upwards).
    pub y: f64,
    /// Largest font size on the line.
    pub size: f64,
    /// The words, left to right.
    pub words: Vec<Word>,
    /// The words joined by one space, or by three where there is a wide gap.
    pub text: String,
}

/// A gap wider than this many font sizes between two words is shown as three spaces.
const WIDE_GAP_EM: f64 = 2.0;
/// A gap wider than this many font sizes between two glyphs separates words.
const WORD_GAP_EM: f64 = 0.15;

fn normalise_char(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '\u{a0}' | '\u{2002}'..='\u{200a}' | '\t' => out.push(' '),
            '\u{ad}' | '\u{200b}' | '\u{feff}' | '\0' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
}

pub fn assemble(glyphs: &[PlacedGlyph]) -> Vec<TextLine> {
    let mut idx: Vec<usize> = (0..glyphs.len()).collect();
    idx.sort_by(|&a, &b| {
        glyphs[b]
            .y
            .total_cmp(&glyphs[a].y)
            .then(glyphs[a].x0.total_cmp(&glyphs[b].x0))
    });
    // Group by baseline.
    let mut groups: Vec<(f64, f64, Vec<usize>)> = Vec::new(); // (ref y, size, members)
    for i in idx {
        let g = &glyphs[i];
        let size = if g.size > 0.0 { g.size } else { 1.0 };
        if let Some((yref, lsize, members)) = groups.last_mut() {
            // Same line: baselines within 0.4 of the smaller size; or the smaller text sits
            // as a superscript (up to 0.55 em above) or subscript (0.15 em below) of the larger.
            let same = (*yref - g.y).abs() <= 0.4 * lsize.min(size);
            let (big_y, big_s, small_y, small_s) = if size > *lsize {
                (g.y, size, *yref, *lsize)
            } else {
                (*yref, *lsize, g.y, size)
            };
            let rel = small_y - big_y;
            let script = small_s < 0.85 * big_s && rel >= -0.15 * big_s && rel <= 0.55 * big_s;
            if same || script {
                if size > *lsize * 1.05 {
                    *yref = g.y;
                    *lsize = size;
                }
                members.push(i);
                continue;
            }
        }
        groups.push((g.y, size, vec![i]));
    }
    let mut out = Vec::with_capacity(groups.len());
    for (y, size, mut members) in groups {
        members.sort_by(|&a, &b| glyphs[a].x0.total_cmp(&glyphs[b].x0));
        let mut words: Vec<Word> = Vec::new();
        let mut cur: Option<Word> = None;
        let mut last: Option<&PlacedGlyph> = None;
        let is_sup = |g: &PlacedGlyph| g.size < 0.85 * size && g.y - y > 0.2 * size;
        for &i in &members {
            let g = &glyphs[i];
            // The same glyph drawn twice at the same place (fake bold): keep one.
            if let Some(l) = last {
                if l.text == g.text
                    && (l.x0 - g.x0).abs() < 0.1 * size
                    && (l.y - g.y).abs() < 0.1 * size
                {
                    continue;
                }
            }
            last = Some(g);
            let mut t = String::new();
            normalise_char(&g.text, &mut t);
            if t.trim().is_empty() {
                if let Some(w) = cur.take() {
                    words.push(w);
                }
                continue;
            }
            let sup = is_sup(g);
            match cur.as_mut() {
                Some(w) if g.x0 - w.x1 <= WORD_GAP_EM * size && w.sup == sup => {
                    w.text.push_str(&t);
                    w.x1 = w.x1.max(g.x1);
                }
                _ => {
                    if let Some(w) = cur.take() {
                        words.push(w);
                    }
                    cur = Some(Word {
                        x0: g.x0,
                        x1: g.x1,
                        text: t,
                        sup,
                    });
                }
            }
        }
        if let Some(w) = cur.take() {
            words.push(w);
        }
        if words.is_empty() {
            continue;
        }
        let mut text = String::new();
        for (k, w) in words.iter().enumerate() {
            if k > 0 {
                let gap = w.x0 - words[k - 1].x1;
                if gap > WIDE_GAP_EM * size {
                    text.push_str("   ");
                } else if !(w.sup && gap <= WORD_GAP_EM * size) {
                    text.push(' ');
                }
            }
            text.push_str(w.text.trim());
        }
        out.push(TextLine {
            y,
            size,
            words,
            text,
        });
    }
    out
}
