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
const GRID_CELL_CHARS: usize = 30;

/// The most years one era of the grid shows side by side: every year's column of an era fits
/// the width of the page, and a row of tabs above the grid chooses the era.
const ERA_YEARS: usize = 6;

/// The grid's rows and columns, worked out once for its tables and their shared widths.
pub(crate) struct GridLayout<'a> {
    rows: Vec<GridRow<'a>>,
    years: Vec<i64>,
    /// The eras: runs of consecutive `years` (indices), each shown as its own tables.
    eras: Vec<std::ops::Range<usize>>,
    /// The width of the authority column, and of each year's, in `ch`.
    name_width: usize,
    widths: Vec<usize>,
}

/// The widest an era of the grid may be, in `ch` of its text: the page's width at most.
const ERA_WIDTH: usize = 150;

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
        if a.kind == "provider" {
            continue;
        }
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
    let authorities = || v.assessments.iter().filter(|a| a.kind != "provider");
    let min = authorities().map(|a| a.year).min().unwrap_or(2005);
    let max = authorities().map(|a| a.year).max().unwrap_or(2005);
    let first = min.min(2005);
    let last = max.max(v.through_year.unwrap_or(max));
    let years: Vec<i64> = if last - first <= 60 {
        (first..=last).collect()
    } else {
        let set: BTreeSet<i64> = authorities().map(|a| a.year).collect();
        set.into_iter().collect()
    };
    let name_width = rows
        .iter()
        .map(|row| row.name.chars().count() + row.code.chars().count() + 1)
        .max()
        .unwrap_or(10)
        .clamp(10, 34)
        + 2;
    let widths: Vec<usize> = years
        .iter()
        .map(|year| {
            rows.iter()
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
                .clamp(5, GRID_CELL_CHARS)
                + 2
        })
        .collect();
    // Eras break where a framework starts (the annual rating in 2009, the SIF in 2013, ILACS
    // in 2018: the first year of each family of rule sets, named by the first part of their
    // ids) once an era holds four years, at most every ERA_YEARS years, and before an era
    // grows wider than the page.
    let mut first_of: BTreeMap<&str, i64> = BTreeMap::new();
    for framework in &v.frameworks {
        let family = framework.id.split('-').next().unwrap_or(&framework.id);
        if let Some(year) = framework
            .period
            .get(..4)
            .and_then(|y| y.parse::<i64>().ok())
        {
            let first = first_of.entry(family).or_insert(year);
            *first = (*first).min(year);
        }
    }
    let starts: BTreeSet<i64> = first_of.into_values().collect();
    let mut eras = Vec::new();
    let mut begin = 0;
    let mut width = name_width;
    for (index, year) in years.iter().enumerate() {
        let length = index - begin;
        let too_wide = width + widths[index] > ERA_WIDTH;
        if length > 0 && (length >= ERA_YEARS || too_wide || (length >= 4 && starts.contains(year)))
        {
            eras.push(begin..index);
            begin = index;
            width = name_width;
        }
        width += widths[index];
    }
    if begin < years.len() {
        eras.push(begin..years.len());
    }
    // An era without an assessment is not shown.
    eras.retain(|range| {
        rows.iter().any(|row| {
            years[range.clone()]
                .iter()
                .any(|y| row.cells.contains_key(y))
        })
    });
    GridLayout {
        rows,
        years,
        eras,
        name_width,
        widths,
    }
}

impl GridLayout<'_> {
    /// Whether the grid has anything to show.
    pub(crate) fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The era each year of the grid is shown in.
    pub(crate) fn era_of(&self) -> HashMap<i64, usize> {
        let mut of = HashMap::new();
        for (era, range) in self.eras.iter().enumerate() {
            for year in &self.years[range.clone()] {
                of.insert(*year, era);
            }
        }
        of
    }
}

/// The grid's column widths, shared by its tables (fixed table layout), estimated from the
/// longest text of each column in `ch`; and the height each table takes before it is laid out.
pub(crate) fn grid_css(layout: &GridLayout<'_>) -> String {
    let mut css = format!(".gt col.ga{{width:{}ch}}", layout.name_width);
    for (index, width) in layout.widths.iter().enumerate() {
        let _ = write!(css, ".gt col.gy{index}{{width:{width}ch}}");
    }
    // A table not yet laid out takes this size (then the size it last had), so the scroll
    // bars do not jump; the width allows for the cells' padding.
    for (era, years) in layout.eras.iter().enumerate() {
        let total = layout.name_width + layout.widths[years.clone()].iter().sum::<usize>();
        let _ = write!(
            css,
            ".gt.e{era}{{width:{total}ch}}.gpart.e{era}{{contain-intrinsic-size:auto {}ch auto {}px}}",
            total + years.len() + 2,
            40 + 30 * GRID_PART_ROWS
        );
    }
    css
}

impl<'a> Page<'a> {
    pub(crate) fn grid(&mut self, layout: &GridLayout<'a>) {
        if layout.is_empty() {
            return;
        }
        self.s("<section id=\"grid\" aria-labelledby=\"grid-h\">\n<h2 id=\"grid-h\">Grid: authorities by year</h2>\n");
        self.s("<p>Each cell holds the assessments of an authority in a year: the symbol and colour give the verdict, the text the headline grade, and the link leads to the details. Years up to 2011 hold the annual frameworks; later inspections are listed under the year of their date. The years are shown a few at a time, one era after another: the tabs choose one.</p>\n");
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
        // Tabs choose the era shown (the script shows them; without it every era is shown,
        // one below the other).
        self.s("<div class=\"eras\" role=\"tablist\" aria-label=\"Years of the grid\" data-era-tabs hidden>");
        for (era, range) in layout.eras.iter().enumerate() {
            let label = era_label(&years[range.clone()]);
            let _ = write!(
                self.out,
                "<button type=\"button\" role=\"tab\" id=\"era-tab-{era}\" aria-controls=\"era-{era}\" aria-selected=\"{}\" data-era=\"{era}\">{label}</button>",
                era == 0
            );
        }
        self.s("</div>\n");
        for (era, range) in layout.eras.iter().enumerate() {
            let era_years = &years[range.clone()];
            let label = era_label(era_years);
            let in_era: Vec<&GridRow> = rows
                .iter()
                .filter(|row| era_years.iter().any(|y| row.cells.contains_key(y)))
                .collect();
            let _ = writeln!(
                self.out,
                "<section class=\"era\" id=\"era-{era}\" role=\"tabpanel\" aria-labelledby=\"era-h-{era}\" data-era-panel=\"{era}\"><h3 id=\"era-h-{era}\">{label}: {} {}</h3>",
                count(in_era.len()),
                if in_era.len() == 1 { "authority" } else { "authorities" }
            );
            if in_era.is_empty() {
                self.s("<p>No assessments in these years.</p></section>\n");
                continue;
            }
            let _ = writeln!(
                self.out,
                "<div class=\"scroll\" role=\"region\" aria-labelledby=\"era-h-{era}\" tabindex=\"0\">"
            );
            // INVARIANT: the parts share their column widths (`grid_css`), so they read as one
            // table; each is laid out only when near the screen (content-visibility), which a
            // single table of every authority cannot be.
            for part in in_era.chunks(GRID_PART_ROWS) {
                let (Some(first), Some(last)) = (part.first(), part.last()) else {
                    continue;
                };
                let _ = write!(
                    self.out,
                    "<div class=\"gpart e{era}\"><table class=\"gt e{era}\"><caption>{label}: authorities {}",
                    Text(first.name)
                );
                if part.len() > 1 {
                    let _ = write!(self.out, " to {}", Text(last.name));
                }
                self.s("</caption>\n<colgroup><col class=\"ga\">");
                for index in range.clone() {
                    let _ = write!(self.out, "<col class=\"gy{index}\">");
                }
                self.s("</colgroup>\n<thead><tr><th scope=\"col\">Authority</th>");
                for y in era_years {
                    let _ = write!(self.out, "<th scope=\"col\" data-year=\"{y}\">{y}</th>");
                }
                self.s("</tr></thead>\n<tbody>\n");
                for row in part {
                    self.grid_row(row, era_years);
                }
                self.s("</tbody></table></div>\n");
            }
            self.s("</div>\n</section>\n");
        }
        self.s("</section>\n");
    }

    pub(crate) fn grid_row(&mut self, row: &GridRow<'a>, years: &[i64]) {
        let key = if row.code.is_empty() {
            row.name
        } else {
            row.code
        };
        let era = years
            .first()
            .and_then(|y| self.era_of.get(y))
            .copied()
            .unwrap_or(0);
        let verdicts: Vec<&str> = row.verdicts.iter().copied().collect();
        let (name, code) = (Text(row.name), Text(row.code));
        let _ = write!(
            self.out,
            "<tr id=\"{}\" data-authority-row data-filter=\"{name} {code}\" data-verdicts=\"{}\"><th scope=\"row\">{name}",
            anchor("g-", &format!("{key}-{era}")),
            Text(&verdicts.join(" "))
        );
        if !row.code.is_empty() {
            let _ = write!(self.out, " <span class=\"code\">{code}</span>");
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
        // The tooltip: plain text made of the view's strings, escaped as a whole below.
        let mut label = format!("{}, {}: ", a.authority, long_when(a));
        label.push_str(&a.verdict);
        if !a.frameworks.is_empty() {
            label.push_str("; ");
            label.push_str(&a.frameworks.join(", "));
        }
        if let Some(h) = &a.headline {
            label.push_str("; ");
            label.push_str(h);
        }
        let verdict = Text(&a.verdict);
        let _ = write!(
            self.out,
            "<a class=\"cell v-{class}\" href=\"#{}\" data-cell-assessment=\"{}\" data-verdict=\"{verdict}\" title=\"{}\"><span class=\"sym\" aria-hidden=\"true\">{sym}</span><span class=\"sr\">{verdict}:</span>",
            anchor("a-", &a.id),
            Text(&a.id),
            Text(&label)
        );
        if let Some(d) = &a.date {
            let _ = write!(
                self.out,
                " <span class=\"d\">{}</span>",
                Text(&short_date(d))
            );
        }
        if let Some(h) = &a.headline {
            let _ = write!(self.out, " {}", Text(h));
        }
        self.s("</a>");
    }
}

/// `2005–2008`, or `2026` for one year.
fn era_label(years: &[i64]) -> String {
    match (years.first(), years.last()) {
        (Some(first), Some(last)) if first != last => format!("{first}\u{2013}{last}"),
        (Some(first), _) => first.to_string(),
        _ => String::new(),
    }
}
