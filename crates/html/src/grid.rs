//! The grid of authorities by year: its layout (rows, years, shared column widths) and its
//! tables, drawn in parts of a few authorities each.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use crate::*;

/// Authorities per table of the grid: each table is laid out only when it comes near the
/// screen, so a long grid costs little to open.
const GRID_PART_ROWS: usize = 25;

/// The widest a year's column of the grid gets, in characters; longer headlines end in an
/// ellipsis (the cell's tooltip and the assessment give them in full).
const GRID_CELL_CHARS: usize = 21;

/// The grid's rows and columns, worked out once for its tables and their shared widths.
pub(crate) struct GridLayout<'a> {
    rows: Vec<GridRow<'a>>,
    years: Vec<i64>,
}

/// One authority (one LA code, or one name where there is none) and its assessments by year,
/// each year's in (date, id) order.
pub(crate) struct GridRow<'a> {
    name: &'a str,
    code: &'a str,
    cells: BTreeMap<i64, Vec<usize>>,
    verdicts: BTreeSet<&'a str>,
}

/// Rows sorted by name; years from 2005 (or the earliest assessment) to `through_year` (or
/// the latest assessment), or only the years with assessments if that would be over 60.
pub(crate) fn grid_layout(v: &ReportView) -> GridLayout<'_> {
    let mut rows: Vec<GridRow> = Vec::new();
    let mut by_key: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, a) in v.assessments.iter().enumerate() {
        let key = if a.la_code.is_empty() {
            ("", a.authority.as_str())
        } else {
            (a.la_code.as_str(), "")
        };
        let r = *by_key.entry(key).or_insert_with(|| {
            rows.push(GridRow {
                name: &a.authority,
                code: &a.la_code,
                cells: BTreeMap::new(),
                verdicts: BTreeSet::new(),
            });
            rows.len() - 1
        });
        rows[r].cells.entry(a.year).or_default().push(i);
        rows[r].verdicts.insert(&a.verdict);
    }
    rows.sort_by(|a, b| {
        (a.name.to_lowercase(), a.name, a.code).cmp(&(b.name.to_lowercase(), b.name, b.code))
    });
    for row in &mut rows {
        for cell in row.cells.values_mut() {
            cell.sort_by(|&a, &b| {
                let (a, b) = (&v.assessments[a], &v.assessments[b]);
                (&a.date, &a.id).cmp(&(&b.date, &b.id))
            });
        }
    }
    let min = v.assessments.iter().map(|a| a.year).min().unwrap_or(2005);
    let max = v.assessments.iter().map(|a| a.year).max().unwrap_or(2005);
    let first = min.min(2005);
    let last = max.max(v.through_year.unwrap_or(max));
    let years: Vec<i64> = if last - first <= 60 {
        (first..=last).collect()
    } else {
        let set: BTreeSet<i64> = v.assessments.iter().map(|a| a.year).collect();
        set.into_iter().collect()
    };
    GridLayout { rows, years }
}

/// The grid's column widths, shared by its tables (fixed table layout), estimated from the
/// longest text of each column in `ch`; and the height each table takes before it is laid out.
pub(crate) fn grid_css(v: &ReportView, layout: &GridLayout<'_>) -> String {
    let name_width = layout
        .rows
        .iter()
        .map(|row| row.name.chars().count() + row.code.chars().count() + 1)
        .max()
        .unwrap_or(10)
        .clamp(10, 34);
    let mut css = format!(".gt col.ga{{width:{}ch}}", name_width + 2);
    let mut total = name_width + 2;
    for (index, year) in layout.years.iter().enumerate() {
        let widest = layout
            .rows
            .iter()
            .filter_map(|row| row.cells.get(year))
            .flatten()
            .map(|&i| {
                let a = &v.assessments[i];
                let date = a
                    .date
                    .as_deref()
                    .map_or(0, |d| short_date(d).chars().count() + 1);
                let headline = a.headline.as_deref().map_or(0, |h| h.chars().count() + 1);
                2 + date + headline
            })
            .max()
            .unwrap_or(4)
            .clamp(5, GRID_CELL_CHARS);
        let _ = write!(css, ".gt col.gy{index}{{width:{}ch}}", widest + 2);
        total += widest + 2;
    }
    // A table not yet laid out takes this size (then the size it last had), so the scroll
    // bars do not jump; the width allows for the cells' padding.
    let _ = write!(
        css,
        ".gt{{width:{total}ch}}.gpart{{contain-intrinsic-size:auto {}ch auto {}px}}",
        total + layout.years.len() + 2,
        40 + 30 * GRID_PART_ROWS
    );
    css
}

impl<'a> Page<'a> {
    pub(crate) fn grid(&mut self, layout: &GridLayout<'a>) {
        self.s("<section id=\"grid\" aria-labelledby=\"grid-h\">\n<h2 id=\"grid-h\">Grid: authorities by year</h2>\n");
        self.s("<p>Each cell holds the assessments of an authority in a year: the symbol and colour give the verdict, the text the headline grade, and the link leads to the details. Years up to 2011 hold the annual frameworks; later inspections are listed under the year of their date.</p>\n");
        if self.v.assessments.is_empty() {
            self.s("<p>No assessments.</p>\n</section>\n");
            return;
        }
        let rows = &layout.rows;
        let years = &layout.years;
        let total = rows.len();
        let _ = write!(
            self.out,
            "<form id=\"grid-filter\" class=\"filter\" role=\"search\" aria-label=\"Filter the grid\" hidden><label for=\"filter-text\">Filter authorities by name or code</label><input id=\"filter-text\" type=\"search\" data-filter-input autocomplete=\"off\" spellcheck=\"false\"><label for=\"filter-verdict\">with a verdict</label><select id=\"filter-verdict\" data-filter-verdict><option value=\"\">any verdict</option>"
        );
        for (v, sym) in VERDICTS {
            let _ = write!(self.out, "<option value=\"{v}\">{sym} {v}</option>");
        }
        let _ = writeln!(
            self.out,
            "</select><output id=\"filter-status\" role=\"status\" aria-live=\"polite\" data-shown=\"{total}\">{total} of {total} authorities shown</output></form>"
        );
        let _ = writeln!(
            self.out,
            "<p id=\"filter-nojs\" class=\"muted\">The filter needs JavaScript; all {} authorities are listed.</p>",
            count(total)
        );
        self.s("<p class=\"gkey\">");
        for (k, (v, sym)) in VERDICTS.iter().enumerate() {
            if k > 0 {
                self.s(" &nbsp; ");
            }
            let _ = write!(self.out, "<span class=\"badge v-{v}\">{sym} {v}</span>");
        }
        let _ = writeln!(
            self.out,
            "</p>\n<p id=\"grid-caption\" class=\"gcap\">Verdicts by authority and year: {} authorities, {} assessments, in tables of {GRID_PART_ROWS} authorities.</p>",
            count(total),
            count(self.v.assessments.len())
        );
        self.s("<div class=\"scroll\" role=\"region\" aria-labelledby=\"grid-caption\" tabindex=\"0\">\n");
        // INVARIANT: the parts share their column widths (`grid_css`), so they read as one
        // table; each is laid out only when near the screen (content-visibility), which a
        // single table of every authority cannot be.
        for part in rows.chunks(GRID_PART_ROWS) {
            let (Some(first), Some(last)) = (part.first(), part.last()) else {
                continue;
            };
            self.s("<div class=\"gpart\"><table class=\"gt\"><caption>Authorities ");
            self.e(first.name);
            if part.len() > 1 {
                self.s(" to ");
                self.e(last.name);
            }
            self.s("</caption>\n<colgroup><col class=\"ga\">");
            for index in 0..years.len() {
                let _ = write!(self.out, "<col class=\"gy{index}\">");
            }
            self.s("</colgroup>\n<thead><tr><th scope=\"col\">Authority</th>");
            for y in years {
                let _ = write!(self.out, "<th scope=\"col\">{y}</th>");
            }
            self.s("</tr></thead>\n<tbody>\n");
            for row in part {
                self.grid_row(row, years);
            }
            self.s("</tbody></table></div>\n");
        }
        self.s("</div>\n</section>\n");
    }

    pub(crate) fn grid_row(&mut self, row: &GridRow<'a>, years: &[i64]) {
        let key = if row.code.is_empty() {
            row.name
        } else {
            row.code
        };
        let _ = write!(
            self.out,
            "<tr id=\"{}\" data-authority-row data-filter=\"",
            anchor("g-", key)
        );
        self.e(row.name);
        self.s(" ");
        self.e(row.code);
        self.s("\" data-verdicts=\"");
        let vs: Vec<&str> = row.verdicts.iter().copied().collect();
        self.e(&vs.join(" "));
        self.s("\"><th scope=\"row\">");
        self.e(row.name);
        if !row.code.is_empty() {
            self.s(" <span class=\"code\">");
            self.e(row.code);
            self.s("</span>");
        }
        self.s("</th>");
        for y in years {
            self.s("<td>");
            if let Some(cell) = row.cells.get(y) {
                for &i in cell {
                    self.cell(i);
                }
            }
            self.s("</td>");
        }
        self.s("</tr>\n");
    }

    pub(crate) fn cell(&mut self, i: usize) {
        let a = &self.v.assessments[i];
        let (sym, class) = verdict_style(&a.verdict);
        let mut label = format!("{}, ", a.authority);
        match &a.date {
            Some(d) => label.push_str(&long_date(d)),
            None => label.push_str(&a.year.to_string()),
        }
        label.push_str(": ");
        label.push_str(&a.verdict);
        if !a.frameworks.is_empty() {
            label.push_str("; ");
            label.push_str(&a.frameworks.join(", "));
        }
        if let Some(h) = &a.headline {
            label.push_str("; ");
            label.push_str(h);
        }
        let _ = write!(
            self.out,
            "<a class=\"cell v-{class}\" href=\"#{}\" data-cell-assessment=\"",
            anchor("a-", &a.id)
        );
        self.e(&a.id);
        self.s("\" data-verdict=\"");
        self.e(&a.verdict);
        self.s("\" title=\"");
        self.e(&label);
        let _ = write!(
            self.out,
            "\"><span class=\"sym\" aria-hidden=\"true\">{sym}</span><span class=\"sr\">"
        );
        self.e(&a.verdict);
        self.s(":</span>");
        if let Some(d) = &a.date {
            self.s(" <span class=\"d\">");
            self.e(&short_date(d));
            self.s("</span>");
        }
        if let Some(h) = &a.headline {
            self.s(" ");
            self.e(h);
        }
        self.s("</a>");
    }
}
