//! Two-column judgement tables: names on the left, grades on the right.
//!
//! The column boundary is known (a "Grade" header, or the left edge of the grade cells).
//! Lines are taken while they are table-like: every word wholly on one side of the
//! boundary, with a wide gap between the sides. Names and grades are then grouped into
//! cells: a name cell starts with a capital or a number and its wrapped lines start in
//! lower case; a grade cell is one grade phrase, possibly wrapped ("Requires improvement /
//! to be good") or set to straddle a two-line name. The k-th name is paired with the k-th
//! grade only if the grade sits in the name's row; anything else is an error, never a guess.

use super::error::TableError;
use super::words::{cell_grade, grade_prefix, Grade, PLine};

#[derive(Debug, Clone)]
pub struct Cell {
    pub text: String,
    /// Index (into the page's lines) of the first line of the cell.
    pub first: usize,
    pub top: f64,
    pub bottom: f64,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub name: Cell,
    pub grade: Cell,
    pub level: Grade,
}

/// How far left of the boundary a grade cell may start, in points.
const SLACK: f64 = 3.0;

fn starts_row(text: &str) -> bool {
    text.chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// Reads rows from `lines[start..]` with the column boundary at `gx`. `stop_before` lines
/// that must not be read (e.g. a following section). Returns the rows and the index of the
/// first line after the table.
/// `is_row` says whether a name cell is a judgement of the layout: a name below the last grade
/// that is none (the "Executive summary" heading set under a SIF table like its rows) ends the
/// table instead of counting as a row without a grade.
pub fn read(
    lines: &[PLine],
    start: usize,
    gx: f64,
    is_row: &dyn Fn(&str) -> bool,
) -> Result<(Vec<Row>, usize), TableError> {
    let mut left: Vec<(usize, f64, String)> = Vec::new();
    let mut right: Vec<(usize, f64, String)> = Vec::new();
    let mut prev_y: Option<f64> = None;
    let mut body_size: Option<f64> = None;
    let mut end = lines.len();
    for (i, l) in lines.iter().enumerate().skip(start) {
        let size = l.size();
        let words: Vec<_> = l.words().collect();
        if words.is_empty() {
            continue;
        }
        if let Some(py) = prev_y {
            if py - l.y() > 3.5 * size {
                end = i;
                break;
            }
        }
        if let Some(bs) = body_size {
            if (size - bs).abs() > 0.2 * bs {
                end = i;
                break;
            }
        }
        let mut lw = Vec::new();
        let mut rw = Vec::new();
        let mut prose = false;
        for w in &words {
            if w.x0 >= gx - SLACK {
                rw.push(*w);
            } else if w.x1 <= gx - SLACK + 1.0 || (w.x1 <= gx + SLACK && rw.is_empty()) {
                if !rw.is_empty() {
                    prose = true; // a left word after a right word
                }
                lw.push(*w);
            } else {
                prose = true; // a word across the boundary
            }
        }
        if let (Some(a), Some(b)) = (lw.last(), rw.first()) {
            if b.x0 - a.x1 < 0.8 * size {
                prose = true; // an ordinary word gap: running text, not two cells
            }
        }
        if prose {
            end = i;
            break;
        }
        let join = |ws: &[&crate::pdf::Word]| {
            ws.iter()
                .map(|w| w.text.trim())
                .collect::<Vec<_>>()
                .join(" ")
        };
        if !lw.is_empty() {
            left.push((i, l.y(), join(&lw)));
        }
        if !rw.is_empty() {
            right.push((i, l.y(), join(&rw)));
        }
        prev_y = Some(l.y());
        body_size.get_or_insert(size);
    }
    let size = body_size.unwrap_or(12.0);
    let mut names = group_names(lines, &left, size)?;
    let grades = group_grades(lines, &right, size)?;
    while names.len() > grades.len() {
        let (Some(last), Some(lowest)) = (names.last(), grades.last()) else {
            break;
        };
        if is_row(&last.text) || last.top >= lowest.bottom - 0.9 * size {
            break;
        }
        end = end.min(last.first);
        names.pop();
    }
    if names.len() != grades.len() {
        let texts = |cells: &[Cell]| cells.iter().map(|c| c.text.clone()).collect();
        return Err(TableError::Counts {
            names: texts(&names),
            grades: texts(&grades),
        });
    }
    let mut rows = Vec::new();
    for (k, (n, g)) in names.iter().zip(&grades).enumerate() {
        let gc = (g.top + g.bottom) / 2.0;
        let nc = (n.top + n.bottom) / 2.0;
        let inside = gc <= n.top + 0.9 * size && gc >= n.bottom - 0.9 * size;
        let nearest = names.iter().enumerate().all(|(j, o)| {
            let oc = (o.top + o.bottom) / 2.0;
            j == k || (gc - nc).abs() < (gc - oc).abs()
        });
        if !inside || !nearest {
            return Err(TableError::NotLevel {
                grade: g.text.clone(),
                name: n.text.clone(),
            });
        }
        let level = cell_grade(&g.text).ok_or_else(|| TableError::NotAGrade(g.text.clone()))?;
        rows.push(Row {
            name: n.clone(),
            grade: g.clone(),
            level,
        });
    }
    Ok((rows, end))
}

fn group_names(
    lines: &[PLine],
    frags: &[(usize, f64, String)],
    size: f64,
) -> Result<Vec<Cell>, TableError> {
    let mut cells: Vec<Cell> = Vec::new();
    for (i, y, t) in frags {
        let _ = lines;
        let new = match cells.last() {
            None => true,
            Some(c) => {
                let gap = c.bottom - y;
                if starts_row(t) {
                    true
                } else if gap > 1.9 * size {
                    return Err(TableError::FarBelow {
                        text: t.clone(),
                        name: c.text.clone(),
                    });
                } else {
                    false
                }
            }
        };
        if new {
            if !starts_row(t) {
                return Err(TableError::LowerCase(t.clone()));
            }
            cells.push(Cell {
                text: t.clone(),
                first: *i,
                top: *y,
                bottom: *y,
            });
        } else if let Some(c) = cells.last_mut() {
            c.text.push(' ');
            c.text.push_str(t);
            c.bottom = *y;
        }
    }
    Ok(cells)
}

fn group_grades(
    lines: &[PLine],
    frags: &[(usize, f64, String)],
    size: f64,
) -> Result<Vec<Cell>, TableError> {
    let _ = lines;
    let mut cells: Vec<Cell> = Vec::new();
    for (i, y, t) in frags {
        let mut new = true;
        if let Some(c) = cells.last() {
            let joined = format!("{} {}", c.text, t);
            let complete = cell_grade(&c.text).is_some();
            let near = c.bottom - y <= 1.9 * size;
            if !complete {
                if !near || !(grade_prefix(&joined) || cell_grade(&joined).is_some()) {
                    return Err(TableError::IncompleteGrade(c.text.clone()));
                }
                new = false;
            } else if near
                && (grade_prefix(&joined) || cell_grade(&joined).is_some())
                && !grade_prefix(t)
            {
                new = false;
            }
        }
        if new {
            cells.push(Cell {
                text: t.clone(),
                first: *i,
                top: *y,
                bottom: *y,
            });
        } else if let Some(c) = cells.last_mut() {
            c.text.push(' ');
            c.text.push_str(t);
            c.bottom = *y;
        }
    }
    if let Some(c) = cells.last() {
        if cell_grade(&c.text).is_none() {
            return Err(TableError::NotAGrade(c.text.clone()));
        }
    }
    Ok(cells)
}

/// The left edge of a grade column: words that begin a grade phrase, set apart from the
/// text before them (a gap of 1.5 em or more, or alone on the line) and right of
/// `min_x`. Looks at `lines[from..to]`. None if there are none.
pub fn grade_column(lines: &[PLine], from: usize, to: usize, min_x: f64) -> Option<f64> {
    let mut best: Option<f64> = None;
    for l in lines.iter().take(to.min(lines.len())).skip(from) {
        let words: Vec<_> = l.words().collect();
        for (k, w) in words.iter().enumerate() {
            if w.x0 <= min_x {
                continue;
            }
            let rest: Vec<&str> = words[k..].iter().map(|w| w.text.as_str()).collect();
            if !grade_prefix(rest.first().copied().unwrap_or("")) {
                continue;
            }
            let apart = k == 0 || w.x0 - words[k - 1].x1 >= 1.5 * l.size();
            if apart {
                best = Some(best.map_or(w.x0, |b: f64| b.min(w.x0)));
            }
        }
    }
    best
}
