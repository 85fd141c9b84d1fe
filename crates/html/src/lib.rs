//! One self-contained HTML page of a `ratings` audit: [`view_of`] builds the page's view
//! ([`ReportView`]) from a check's [`Report`](ratings_check::Report) and the rule book, and
//! [`render`] turns a view into one HTML5 document.
//!
//! The page has inline CSS and script, inline SVG judgement graphs and no external resources
//! at all (its Content-Security-Policy forbids them); every user string is escaped. All
//! static content works without JavaScript; the script only drives the grid's filter. The
//! same view always gives the same bytes, and nothing here reads or writes a file.
//!
//! The page's parts, top to bottom: summary (verdict counts linking to the lists by verdict,
//! record counts, the rules in force, counts per framework and per year, a legend), the lists
//! by verdict (each inconsistent assessment with the broken rule and its evidence), the grid
//! (authority by year, filterable), every assessment, every rule, the rule sets with their
//! judgement graphs, and the rejected input.

pub mod escape;
pub mod graph;
pub mod view;

mod csp;
mod of_report;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;

use escape::{anchor, linkable, push_escaped};
pub use of_report::{view_of, About};
pub use view::*;

const CSS: &str = include_str!("page.css");
const JS: &str = include_str!("page.js");

/// The verdicts with their symbol, in the order the page lists them.
const VERDICTS: [(&str, &str); 5] = [
    ("consistent", "\u{2713}"),
    ("inconsistent", "\u{2717}"),
    ("disputed", "\u{2260}"),
    ("unverifiable", "?"),
    ("undecided", "\u{2026}"),
];

/// The symbol and CSS class suffix of a verdict (`other` for an unknown one).
fn verdict_style(v: &str) -> (&'static str, &'static str) {
    match v {
        "consistent" => ("\u{2713}", "consistent"),
        "inconsistent" => ("\u{2717}", "inconsistent"),
        "disputed" => ("\u{2260}", "disputed"),
        "unverifiable" => ("?", "unverifiable"),
        "undecided" => ("\u{2026}", "undecided"),
        _ => ("\u{2022}", "other"),
    }
}

/// Renders the whole page.
pub fn render(view: &ReportView) -> String {
    let mut page = Page::new(view);
    page.document();
    page.out
}

/// `n` with thousands separators: `1,234`.
fn count(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 rule`, `2 rules`.
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{} {word}s", count(n))
    }
}

/// `2024-05-01` as `1 May 2024`; anything else as given.
fn long_date(d: &str) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let parts: Vec<&str> = d.split('-').collect();
    if let [y, m, day] = parts[..] {
        if let (Ok(y), Ok(m), Ok(day)) = (y.parse::<i64>(), m.parse::<usize>(), day.parse::<u32>())
        {
            if (1..=12).contains(&m) && (1..=31).contains(&day) {
                return format!("{day} {} {y}", MONTHS[m - 1]);
            }
        }
    }
    d.to_string()
}

/// `2024-05-01` as `1 May`.
fn short_date(d: &str) -> String {
    let l = long_date(d);
    if l == d {
        return l;
    }
    l.rsplit_once(' ').map(|(a, _)| a.to_string()).unwrap_or(l)
}

/// Authorities per table of the grid: each table is laid out only when it comes near the
/// screen, so a long grid costs little to open.
const GRID_PART_ROWS: usize = 25;

/// The widest a year's column of the grid gets, in characters; longer headlines end in an
/// ellipsis (the cell's tooltip and the assessment give them in full).
const GRID_CELL_CHARS: usize = 21;

/// The grid's rows and columns, worked out once for its tables and their shared widths.
struct GridLayout<'a> {
    rows: Vec<GridRow<'a>>,
    years: Vec<i64>,
}

/// One authority (one LA code, or one name where there is none) and its assessments by year,
/// each year's in (date, id) order.
struct GridRow<'a> {
    name: &'a str,
    code: &'a str,
    cells: BTreeMap<i64, Vec<usize>>,
    verdicts: BTreeSet<&'a str>,
}

/// Rows sorted by name; years from 2005 (or the earliest assessment) to `through_year` (or
/// the latest assessment), or only the years with assessments if that would be over 60.
fn grid_layout(v: &ReportView) -> GridLayout<'_> {
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
fn grid_css(v: &ReportView, layout: &GridLayout<'_>) -> String {
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

struct Page<'a> {
    v: &'a ReportView,
    out: String,
    assessment: HashMap<&'a str, usize>,
    rule: HashMap<&'a str, &'a RuleView>,
    framework: HashMap<&'a str, &'a FrameworkView>,
}

impl<'a> Page<'a> {
    fn new(v: &'a ReportView) -> Self {
        let mut assessment = HashMap::new();
        for (i, a) in v.assessments.iter().enumerate() {
            assessment.entry(a.id.as_str()).or_insert(i);
        }
        let mut rule = HashMap::new();
        for r in &v.rules {
            rule.entry(r.id.as_str()).or_insert(r);
        }
        let mut framework = HashMap::new();
        for f in &v.frameworks {
            framework.entry(f.id.as_str()).or_insert(f);
        }
        Page {
            v,
            out: String::with_capacity(64 * 1024 + v.assessments.len() * 3000),
            assessment,
            rule,
            framework,
        }
    }

    fn s(&mut self, raw: &str) {
        self.out.push_str(raw);
    }

    fn e(&mut self, text: &str) {
        push_escaped(&mut self.out, text);
    }

    /// `Leeds (383), 2009` or `Leeds (383), 1 May 2024`, escaped, with the code muted.
    fn assessment_name(&mut self, a: &AssessmentView) {
        self.e(&a.authority);
        if !a.la_code.is_empty() {
            self.s(" <span class=\"code\">(");
            self.e(&a.la_code);
            self.s(")</span>");
        }
        self.s(", ");
        match &a.date {
            Some(d) => self.e(&long_date(d)),
            None => self.s(&a.year.to_string()),
        }
    }

    /// A link to an assessment by id, or the id as text when it is not in the report.
    fn assessment_link(&mut self, id: &str) {
        match self.assessment.get(id) {
            Some(&i) => {
                let a = &self.v.assessments[i];
                let _ = write!(self.out, "<a href=\"#{}\">", anchor("a-", id));
                self.assessment_name(a);
                self.s("</a>");
            }
            None => {
                self.s("<code>");
                self.e(id);
                self.s("</code>");
            }
        }
    }

    fn rule_link(&mut self, id: &str) {
        if self.rule.contains_key(id) {
            let _ = write!(self.out, "<a href=\"#{}\"><code>", anchor("r-", id));
            self.e(id);
            self.s("</code></a>");
        } else {
            self.s("<code>");
            self.e(id);
            self.s("</code>");
        }
    }

    fn framework_link(&mut self, id: &str) {
        if self.framework.contains_key(id) {
            let _ = write!(self.out, "<a href=\"#{}\">", anchor("f-", id));
            self.e(id);
            self.s("</a>");
        } else {
            self.e(id);
        }
    }

    /// `text` linked to `url` when it may be linked; otherwise text, with the address shown.
    fn maybe_link(&mut self, text: &str, url: Option<&str>) {
        match url {
            Some(u) if linkable(u) => {
                self.s("<a rel=\"noopener noreferrer\" href=\"");
                self.e(u);
                self.s("\">");
                self.e(text);
                self.s("</a>");
            }
            Some(u) if !u.is_empty() => {
                self.e(text);
                self.s(" <span class=\"muted\">(address not linked: <code>");
                self.e(u);
                self.s("</code>)</span>");
            }
            _ => self.e(text),
        }
    }

    fn verdict_badge(&mut self, v: &str) {
        let (sym, class) = verdict_style(v);
        let _ = write!(
            self.out,
            "<span class=\"badge v-{class}\"><span class=\"sym\" aria-hidden=\"true\">{sym} </span>"
        );
        self.e(v);
        self.s("</span>");
    }

    fn document(&mut self) {
        // The grid's tables share widths computed from their text, so the style is made per
        // page (and hashed for the Content-Security-Policy below).
        let layout = grid_layout(self.v);
        let style = format!("{CSS}{}\n", grid_css(self.v, &layout));
        let csp = format!(
            "default-src 'none'; style-src {}; script-src {}; img-src data:; base-uri 'none'; form-action 'none'",
            csp::hash_source(&style),
            csp::hash_source(JS)
        );
        self.s("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n");
        self.s("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        let _ = writeln!(
            self.out,
            "<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">"
        );
        self.s("<meta name=\"referrer\" content=\"no-referrer\">\n");
        self.s("<meta name=\"generator\" content=\"");
        self.e(&self.v.generated);
        self.s("\">\n<link rel=\"icon\" href=\"data:,\">\n<title>");
        self.e(&self.v.title);
        self.s("</title>\n<style>");
        self.s(&style);
        self.s("</style>\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to the report</a>\n<header>\n<h1>");
        self.e(&self.v.title);
        self.s("</h1>\n<p class=\"gen\">");
        self.e(&self.v.generated);
        self.s("</p>\n<nav aria-label=\"Sections\"><ul><li><a href=\"#summary\">Summary</a></li><li><a href=\"#verdicts\">By verdict</a></li><li><a href=\"#grid\">Grid</a></li><li><a href=\"#assessments\">Assessments</a></li><li><a href=\"#rules\">Rules</a></li><li><a href=\"#graphs\">Rule sets and graphs</a></li><li><a href=\"#problems\">Rejected input</a></li></ul></nav>\n</header>\n<main id=\"main\">\n");
        self.summary();
        self.by_verdict();
        self.grid(&layout);
        self.assessments();
        self.rules();
        self.graphs();
        self.problems();
        self.s("</main>\n<footer><p class=\"gen\">");
        self.e(&self.v.generated);
        self.s("</p></footer>\n<script>");
        self.s(JS);
        self.s("</script>\n</body>\n</html>\n");
    }

    fn summary(&mut self) {
        let s = self.v.summary;
        self.s("<section id=\"summary\" aria-labelledby=\"summary-h\">\n<h2 id=\"summary-h\">Summary</h2>\n");
        self.s("<ul class=\"cards\" aria-label=\"Assessments by verdict\">");
        for (v, sym) in VERDICTS {
            let n = match v {
                "consistent" => s.consistent,
                "inconsistent" => s.inconsistent,
                "disputed" => s.disputed,
                "unverifiable" => s.unverifiable,
                _ => s.undecided,
            };
            let _ = write!(
                self.out,
                "<li><a class=\"v-{v}\" href=\"#verdict-{v}\"><strong data-count=\"{v}\">{}</strong><span class=\"sym\" aria-hidden=\"true\">{sym} </span>{v}</a></li>",
                count(n)
            );
        }
        self.s("</ul>\n");
        let c = |name: &str, n: usize| format!("<span data-count=\"{name}\">{}</span>", count(n));
        let _ = writeln!(
            self.out,
            "<p>{} records read from {} files ({} unreadable, <a href=\"#problems\">{} skipped</a>; {} table columns not read): {} checked and <a href=\"#problems\">{} rejected</a>. {} assessments, <a href=\"#conflicts\">{} with sources that disagree</a>.</p>",
            c("records", s.records),
            c("files", s.files),
            c("unreadable_files", s.unreadable_files),
            c("skipped_files", s.skipped_files),
            c("ignored_columns", s.ignored_columns),
            c("checked", s.checked),
            c("rejected", s.rejected),
            c("assessments", s.assessments),
            c("conflicts", s.conflicts),
        );

        // Counts per rule set and per year.
        let index = |v: &str| VERDICTS.iter().position(|(n, _)| *n == v).unwrap_or(4);
        let mut per_fw: BTreeMap<&str, [usize; 6]> = BTreeMap::new();
        let mut per_year: BTreeMap<i64, [usize; 6]> = BTreeMap::new();
        for a in &self.v.assessments {
            let i = index(&a.verdict);
            let fws: BTreeSet<&str> = a.frameworks.iter().map(String::as_str).collect();
            for f in fws {
                let row = per_fw.entry(f).or_default();
                row[0] += 1;
                row[i + 1] += 1;
            }
            let row = per_year.entry(a.year).or_default();
            row[0] += 1;
            row[i + 1] += 1;
        }
        let any_other = per_year.values().any(|r| r[5] > 0);
        let verdict_heads = |out: &mut String| {
            out.push_str("<th scope=\"col\" class=\"n\">Assessments</th>");
            for (v, sym) in VERDICTS {
                let _ = write!(
                    out,
                    "<th scope=\"col\" class=\"n\"><span class=\"sym\" aria-hidden=\"true\">{sym} </span>{}{}</th>",
                    &v[..1].to_uppercase(),
                    &v[1..]
                );
            }
            if any_other {
                out.push_str("<th scope=\"col\" class=\"n\">Other</th>");
            }
            out.push_str("</tr></thead><tbody>\n");
        };
        let cells = |row: &[usize; 6], out: &mut String| {
            for n in row.iter().take(if any_other { 6 } else { 5 }) {
                let _ = write!(out, "<td class=\"n\">{}</td>", count(*n));
            }
            out.push_str("</tr>\n");
        };

        // The rules in force, with the assessments under each rule set.
        self.s("<h3>Rules in force</h3>\n<p>Checked against <strong data-rules-name>");
        self.e(&self.v.rules_name);
        let _ = writeln!(
            self.out,
            "</strong>: {}, {}.</p>",
            plural(self.v.frameworks.len(), "rule set"),
            plural(self.v.rules.len(), "rule")
        );
        let mut order: Vec<&str> = self.v.frameworks.iter().map(|f| f.id.as_str()).collect();
        for f in per_fw.keys() {
            if !order.contains(f) {
                order.push(f);
            }
        }
        if !order.is_empty() {
            let mut rules_per: HashMap<&str, usize> = HashMap::new();
            for r in &self.v.rules {
                *rules_per.entry(r.rule_set.as_str()).or_default() += 1;
            }
            self.s("<table class=\"sum\" data-table=\"rule-sets\"><caption>Rule sets, their periods and their assessments</caption><thead><tr><th scope=\"col\">Rule set</th><th scope=\"col\">Title</th><th scope=\"col\">Period</th><th scope=\"col\" class=\"n\">Rules</th>");
            verdict_heads(&mut self.out);
            for f in order {
                self.s("<tr><th scope=\"row\">");
                self.framework_link(f);
                self.s("</th><td>");
                if let Some(fw) = self.framework.get(f).copied() {
                    self.e(&fw.title);
                    self.s("</td><td>");
                    self.e(&fw.period);
                } else {
                    self.s("</td><td>");
                }
                let rules = self
                    .framework
                    .get(f)
                    .and_then(|framework| framework.rules_in_force)
                    .unwrap_or_else(|| rules_per.get(f).copied().unwrap_or(0));
                let _ = write!(self.out, "</td><td class=\"n\">{}</td>", count(rules));
                cells(&per_fw.get(f).copied().unwrap_or_default(), &mut self.out);
            }
            self.s("</tbody></table>\n<p class=\"muted\">An assessment under several rule sets counts under each.</p>\n");
        }

        // Per year, beside the legend.
        self.s("<div class=\"cols\"><div>\n<h3>By year</h3>\n<table class=\"sum\" data-table=\"per-year\"><caption>Assessments per year</caption><thead><tr><th scope=\"col\">Year</th>");
        verdict_heads(&mut self.out);
        for (y, row) in &per_year {
            let _ = write!(self.out, "<tr><th scope=\"row\">{y}</th>");
            cells(row, &mut self.out);
        }
        self.s("</tbody></table>\n</div><div>\n");
        self.legend();
        self.s("</div></div>\n</section>\n");
    }

    fn legend(&mut self) {
        self.s("<h3>Reading this report</h3>\n<dl class=\"legend\" data-legend>");
        let text = [
            "the published grades are what the rules allow",
            "the published grades break a rule that must hold",
            "the rules cannot test the published grades: any grades would pass",
            "the check ran out of its search budget before deciding",
        ];
        for ((v, _), t) in VERDICTS.iter().zip(text) {
            let (sym, class) = verdict_style(v);
            let _ = write!(
                self.out,
                "<dt><span class=\"badge v-{class}\"><span class=\"sym\">{sym}</span> {v}</span></dt><dd>{t}</dd>"
            );
        }
        self.s("<dt>support: independent</dt><dd>the verdict rests on grades from sources other than those its rules were derived from</dd>");
        self.s("<dt>support: circular</dt><dd>the verdict rests only on the sources its rules were derived from</dd>");
        self.s("<dt>support: none</dt><dd>no rule was tested by the published grades</dd>");
        self.s("<dt>must / usually</dt><dd>a rule that always holds / one that holds as a rule of thumb and never changes a verdict</dd>");
        self.s("<dt>guidance / reported / inferred</dt><dd>a rule from published guidance / reported in a document / inferred from outcomes</dd>");
        self.s("</dl>\n");
    }

    /// Findings that say why an assessment has its verdict: errors first, else warnings.
    fn reasons(a: &AssessmentView) -> Vec<&FindingView> {
        for sev in ["error", "warning"] {
            let f: Vec<&FindingView> = a.findings.iter().filter(|f| f.severity == sev).collect();
            if !f.is_empty() {
                return f;
            }
        }
        Vec::new()
    }

    fn by_verdict(&mut self) {
        self.s("<section id=\"verdicts\" aria-labelledby=\"verdicts-h\">\n<h2 id=\"verdicts-h\">Assessments by verdict</h2>\n");
        let mut order: Vec<&str> = vec![
            "inconsistent",
            "disputed",
            "undecided",
            "unverifiable",
            "consistent",
        ];
        let others: BTreeSet<&str> = self
            .v
            .assessments
            .iter()
            .map(|a| a.verdict.as_str())
            .filter(|v| !order.contains(v))
            .collect();
        order.extend(others);
        for verdict in order {
            let list: Vec<usize> = (0..self.v.assessments.len())
                .filter(|&i| self.v.assessments[i].verdict == verdict)
                .collect();
            let (sym, class) = verdict_style(verdict);
            let _ = write!(
                self.out,
                "<section id=\"{}\" data-verdict-list=\"",
                anchor("verdict-", verdict)
            );
            self.e(verdict);
            let _ = write!(
                self.out,
                "\"><h3><span class=\"badge v-{class}\"><span class=\"sym\" aria-hidden=\"true\">{sym} </span>"
            );
            self.e(verdict);
            let _ = writeln!(
                self.out,
                "</span> {}</h3>",
                plural(list.len(), "assessment")
            );
            if list.is_empty() {
                self.s("<p>None.</p></section>\n");
                continue;
            }
            let detailed = !matches!(verdict, "consistent" | "unverifiable");
            if detailed {
                self.s("<table class=\"why\"><caption>");
                let mut title: Vec<char> = verdict.chars().collect();
                if let Some(c) = title.first_mut() {
                    *c = c.to_ascii_uppercase();
                }
                self.e(&title.into_iter().collect::<String>());
                self.s(" assessments: the rules concerned and the evidence</caption><thead><tr><th scope=\"col\">Assessment</th><th scope=\"col\">Why</th><th scope=\"col\">Evidence</th><th scope=\"col\">Support</th></tr></thead><tbody>\n");
                for i in list {
                    let a = &self.v.assessments[i];
                    let _ = write!(self.out, "<tr data-entry=\"");
                    self.e(&a.id);
                    self.s("\"><th scope=\"row\">");
                    self.assessment_link(&a.id);
                    self.s("</th><td>");
                    let reasons = Self::reasons(a);
                    if reasons.is_empty() {
                        self.s("<span class=\"muted\">no finding given</span>");
                    }
                    for (k, f) in reasons.iter().enumerate() {
                        if k > 0 {
                            self.s("<br>");
                        }
                        if let Some(r) = &f.rule {
                            self.rule_link(r);
                            if let Some(rv) = self.rule.get(r.as_str()).copied() {
                                self.s(": ");
                                self.e(&rv.text);
                            }
                        } else {
                            self.s("<code>");
                            self.e(&f.code);
                            self.s("</code>: ");
                            self.e(&f.message);
                        }
                    }
                    self.s("</td><td>");
                    let mut evidence: Vec<&str> = Vec::new();
                    for f in &reasons {
                        for e in &f.evidence {
                            if !evidence.contains(&e.as_str()) {
                                evidence.push(e);
                            }
                        }
                    }
                    for (k, e) in evidence.iter().enumerate() {
                        if k > 0 {
                            self.s("<br>");
                        }
                        self.e(e);
                    }
                    self.s("</td><td>");
                    self.e(&a.support);
                    self.s("</td></tr>\n");
                }
                self.s("</tbody></table>\n");
            } else {
                let fold = list.len() > 40;
                if fold {
                    let _ = write!(
                        self.out,
                        "<details><summary>Show all {} {verdict} assessments</summary>",
                        count(list.len())
                    );
                }
                self.s("<ul class=\"compact\">");
                for i in list {
                    let id = self.v.assessments[i].id.as_str();
                    self.s("<li data-entry=\"");
                    self.e(id);
                    self.s("\">");
                    self.assessment_link(id);
                    self.s("</li>");
                }
                self.s("</ul>");
                if fold {
                    self.s("</details>");
                }
                self.s("\n");
            }
            self.s("</section>\n");
        }

        // Sources that disagree.
        self.s("<section id=\"conflicts\" data-verdict-list=\"conflicts\"><h3>Sources that disagree</h3>\n");
        let list: Vec<usize> = (0..self.v.assessments.len())
            .filter(|&i| {
                let a = &self.v.assessments[i];
                !a.alternatives.is_empty()
                    || a.findings.iter().any(|f| f.code == "conflicting-sources")
            })
            .collect();
        if list.is_empty() {
            self.s("<p>No two sources give one judgement different grades.</p>\n");
        } else {
            self.s("<ul>");
            for i in list {
                let a = &self.v.assessments[i];
                self.s("<li data-entry=\"");
                self.e(&a.id);
                self.s("\">");
                self.assessment_link(&a.id);
                let judgements: BTreeSet<&str> = a
                    .alternatives
                    .iter()
                    .map(|x| x.judgement.as_str())
                    .collect();
                if !judgements.is_empty() {
                    self.s(": ");
                    for (k, j) in judgements.into_iter().enumerate() {
                        if k > 0 {
                            self.s(", ");
                        }
                        self.s("<code>");
                        self.e(j);
                        self.s("</code>");
                    }
                }
                self.s("</li>");
            }
            self.s("</ul>\n");
        }
        self.s("</section>\n</section>\n");
    }

    fn grid(&mut self, layout: &GridLayout<'a>) {
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

    fn grid_row(&mut self, row: &GridRow<'a>, years: &[i64]) {
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

    fn cell(&mut self, i: usize) {
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

    fn assessments(&mut self) {
        let _ = writeln!(
            self.out,
            "<section id=\"assessments\" aria-labelledby=\"assessments-h\">\n<h2 id=\"assessments-h\">Assessments</h2>\n<p>{} assessments, in the order checked.</p>",
            count(self.v.assessments.len())
        );
        for i in 0..self.v.assessments.len() {
            self.assessment(i);
        }
        self.s("</section>\n");
    }

    fn assessment(&mut self, i: usize) {
        let a: &'a AssessmentView = &self.v.assessments[i];
        let (_, class) = verdict_style(&a.verdict);
        let id = anchor("a-", &a.id);
        let hid = anchor("ah-", &a.id);
        let _ = write!(
            self.out,
            "<article class=\"as b-{class}\" id=\"{id}\" aria-labelledby=\"{hid}\" data-assessment-id=\""
        );
        self.e(&a.id);
        self.s("\" data-verdict=\"");
        self.e(&a.verdict);
        self.s("\" data-authority=\"");
        self.e(&a.authority);
        self.s("\" data-period=\"");
        match &a.date {
            Some(date) => self.e(date),
            None => self.s(&a.year.to_string()),
        }
        let _ = write!(self.out, "\">\n<h3 id=\"{hid}\">");
        self.verdict_badge(&a.verdict);
        self.s(" <span>");
        self.assessment_name(a);
        self.s("</span></h3>\n<p class=\"muted\">");
        if !a.frameworks.is_empty() {
            self.s("Rule sets in force: ");
            for (k, f) in a.frameworks.iter().enumerate() {
                if k > 0 {
                    self.s(", ");
                }
                self.framework_link(f);
            }
            self.s(". ");
        }
        if !a.support.is_empty() {
            self.s("Support: <strong data-support>");
            self.e(&a.support);
            self.s("</strong>. ");
        }
        if let Some(h) = &a.headline {
            self.s("Headline: ");
            self.e(h);
            self.s(". ");
        }
        let key = if a.la_code.is_empty() {
            &a.authority
        } else {
            &a.la_code
        };
        let _ = writeln!(
            self.out,
            "<a href=\"#{}\">Row in the grid</a></p>",
            anchor("g-", key)
        );

        // Published grades, grouped by source document and record file.
        if a.published.is_empty() {
            self.s("<p>No published grades.</p>\n");
        } else {
            self.s("<table data-table=\"published\"><caption>Published grades, by source</caption><thead><tr><th scope=\"col\">Judgement</th><th scope=\"col\">Grade</th><th scope=\"col\">Where in the source</th><th scope=\"col\">Record line</th></tr></thead>\n");
            let mut groups: Vec<(&str, Option<&str>, &str, Vec<&PublishedView>)> = Vec::new();
            for p in &a.published {
                let key = (p.document_title.as_str(), p.url.as_deref(), p.file.as_str());
                match groups.iter_mut().find(|g| (g.0, g.1, g.2) == key) {
                    Some(g) => g.3.push(p),
                    None => groups.push((key.0, key.1, key.2, vec![p])),
                }
            }
            for (doc, url, file, rows) in groups {
                self.s("<tbody><tr><th scope=\"rowgroup\" colspan=\"4\" class=\"src\">Source: ");
                self.maybe_link(doc, url);
                if !file.is_empty() {
                    self.s(" <span class=\"muted\">(record <code>");
                    self.e(file);
                    self.s("</code>)</span>");
                }
                self.s("</th></tr>\n");
                for p in rows {
                    self.s("<tr><th scope=\"row\">");
                    if !p.judgement_title.is_empty() {
                        self.e(&p.judgement_title);
                    }
                    self.s("<code class=\"b\">");
                    self.e(&p.judgement);
                    self.s("</code></th><td>");
                    self.e(&p.label);
                    self.s("</td><td>");
                    self.e(&p.locator);
                    self.s("</td><td class=\"n\">");
                    if p.line > 0 {
                        let _ = write!(self.out, "{}", p.line);
                    }
                    self.s("</td></tr>\n");
                }
                self.s("</tbody>\n");
            }
            self.s("</table>\n");
        }

        // Findings.
        self.s("<h4>Findings</h4>\n");
        if a.findings.is_empty() {
            self.s("<p>None.</p>\n");
        } else {
            self.s("<ul class=\"findings\">\n");
            for f in &a.findings {
                let sev = match f.severity.as_str() {
                    "error" | "warning" | "info" => f.severity.as_str(),
                    _ => "other",
                };
                let _ = write!(self.out, "<li class=\"sev-{sev}\" data-finding=\"");
                self.e(&f.code);
                self.s("\" data-severity=\"");
                self.e(&f.severity);
                self.s("\"><span class=\"sev\">");
                self.e(&f.severity);
                self.s("</span> <code>");
                self.e(&f.code);
                self.s("</code>: ");
                self.e(&f.message);
                if let Some(r) = &f.rule {
                    self.s("<div class=\"ruleref\">Rule ");
                    self.rule_link(r);
                    match self.rule.get(r.as_str()).copied() {
                        Some(rv) => {
                            self.s(" (");
                            self.e(&rv.strength);
                            self.s(", ");
                            self.e(&rv.basis);
                            self.s("): ");
                            self.e(&rv.text);
                            for c in &rv.cites {
                                self.s("<br>Source: ");
                                self.cite(c);
                            }
                        }
                        None => self.s(" (not among this report's rules)"),
                    }
                    self.s("</div>");
                }
                if !f.evidence.is_empty() {
                    self.s("<div>Evidence: <code>");
                    self.e(&f.evidence.join("; "));
                    self.s("</code>");
                    if let Some(support) = &f.support {
                        self.s(" <span class=\"muted\">(support: ");
                        self.e(support);
                        self.s(")</span>");
                    }
                    self.s("</div>");
                }
                self.s("</li>\n");
            }
            self.s("</ul>\n");
        }

        // Allowed and implied grades, grouped where several judgements allow the same.
        self.grade_sets(
            &a.allowed,
            "allowed",
            "Grades the rules allowed, given the published grades",
        );
        self.grade_sets(
            &a.implied,
            "implied",
            "Grades the published grades imply for unpublished judgements",
        );

        if !a.would_test.is_empty() {
            self.s("<h4>What would test it</h4>\n<ul data-list=\"would-test\">");
            for w in &a.would_test {
                self.s("<li>a published grade for <code>");
                self.e(&w.judgement);
                self.s("</code>");
                if !w.rules.is_empty() {
                    self.s(", testing ");
                    for (k, r) in w.rules.iter().enumerate() {
                        if k > 0 {
                            self.s(", ");
                        }
                        self.rule_link(r);
                    }
                }
                self.s("</li>");
            }
            self.s("</ul>\n");
        }

        if !a.alternatives.is_empty() {
            self.s("<table data-table=\"alternatives\"><caption>Sources that disagree: each grade given, and the verdict with it</caption><thead><tr><th scope=\"col\">Judgement</th><th scope=\"col\">Grade</th><th scope=\"col\">Source</th><th scope=\"col\">Verdict with it</th></tr></thead><tbody>\n");
            for x in &a.alternatives {
                self.s("<tr><th scope=\"row\"><code>");
                self.e(&x.judgement);
                self.s("</code></th><td>");
                self.e(&x.value_label);
                self.s("</td><td>");
                self.e(&x.source);
                self.s("</td><td>");
                match &x.verdict {
                    Some(verdict) => self.verdict_badge(verdict),
                    None => {
                        self.s("<span class=\"muted\">not checked with this grade alone</span>")
                    }
                }
                self.s("</td></tr>\n");
            }
            self.s("</tbody></table>\n");
        }
        self.s("</article>\n");
    }

    fn grade_sets(&mut self, sets: &[GradeSet], key: &str, caption: &str) {
        if sets.is_empty() {
            return;
        }
        let mut groups: Vec<(&[String], Vec<&str>)> = Vec::new();
        for g in sets {
            match groups.iter_mut().find(|(l, _)| *l == g.labels.as_slice()) {
                Some((_, js)) => js.push(&g.judgement),
                None => groups.push((&g.labels, vec![&g.judgement])),
            }
        }
        let _ = writeln!(
            self.out,
            "<table data-table=\"{key}\"><caption>{caption}</caption><thead><tr><th scope=\"col\">Judgements</th><th scope=\"col\">Grades</th></tr></thead><tbody>"
        );
        for (labels, js) in groups {
            self.s("<tr><th scope=\"row\"><code>");
            self.e(&js.join(", "));
            self.s("</code></th><td>");
            if labels.is_empty() {
                self.s("none: no grade would pass");
            } else {
                self.e(&labels.join(", "));
            }
            self.s("</td></tr>\n");
        }
        self.s("</tbody></table>\n");
    }

    fn cite(&mut self, c: &CiteView) {
        self.maybe_link(&c.title, c.url.as_deref());
        for part in [&c.publisher, &c.date, &c.locator] {
            if !part.is_empty() {
                self.s(", ");
                self.e(part);
            }
        }
    }

    fn rules(&mut self) {
        let _ = writeln!(
            self.out,
            "<section id=\"rules\" aria-labelledby=\"rules-h\">\n<h2 id=\"rules-h\">Rules</h2>\n<p>{} rules. <em>Tested</em> counts the assessments whose published grades test a rule; <em>independent</em> and <em>circular</em> support count those that bear it out from other sources or only from the sources it cites; <em>contradicted</em> counts those that break it.</p>",
            count(self.v.rules.len())
        );
        let mut sets: Vec<&str> = Vec::new();
        for r in &self.v.rules {
            if !sets.contains(&r.rule_set.as_str()) {
                sets.push(&r.rule_set);
            }
        }
        for set in sets {
            let _ = write!(self.out, "<h3 id=\"{}\">Rule set ", anchor("rs-", set));
            self.framework_link(set);
            if let Some(p) = self
                .v
                .rules
                .iter()
                .find(|r| r.rule_set == set)
                .map(|r| &r.period)
            {
                if !p.is_empty() {
                    self.s(" (");
                    self.e(p);
                    self.s(")");
                }
            }
            self.s("</h3>\n");
            for r in self.v.rules.iter().filter(|r| r.rule_set == set) {
                self.rule(r);
            }
        }
        self.s("</section>\n");
    }

    fn rule(&mut self, r: &RuleView) {
        let hid = anchor("rh-", &r.id);
        let _ = write!(
            self.out,
            "<article class=\"rule\" id=\"{}\" aria-labelledby=\"{hid}\" data-rule-id=\"",
            anchor("r-", &r.id)
        );
        self.e(&r.id);
        let _ = write!(self.out, "\">\n<h4 id=\"{hid}\"><code>");
        self.e(&r.id);
        self.s("</code></h4>\n<p>");
        self.e(&r.text);
        self.s("</p>\n<dl class=\"legend\"><dt>Strength</dt><dd>");
        self.e(&r.strength);
        self.s("</dd><dt>Basis</dt><dd>");
        self.e(&r.basis);
        self.s("</dd><dt>Sources</dt><dd>");
        if r.cites.is_empty() {
            self.s("none given");
        }
        for (k, c) in r.cites.iter().enumerate() {
            if k > 0 {
                self.s("<br>");
            }
            self.cite(c);
        }
        let _ = write!(
            self.out,
            "</dd><dt>Tested</dt><dd data-stat=\"tested\">{}</dd><dt>Support</dt><dd><span data-stat=\"independent\">{}</span> independent, <span data-stat=\"circular\">{}</span> circular</dd><dt>Contradicted</dt><dd data-stat=\"contradicts\">{}</dd>",
            count(r.tested),
            count(r.independent_supports),
            count(r.circular_supports),
            count(r.contradicts)
        );
        if !r.counter_examples.is_empty() {
            self.s("<dt>Counter-examples</dt><dd>");
            for (k, id) in r.counter_examples.iter().enumerate() {
                if k > 0 {
                    self.s("; ");
                }
                self.assessment_link(id);
            }
            self.s("</dd>");
        }
        self.s("</dl>\n</article>\n");
    }

    fn graphs(&mut self) {
        self.s("<section id=\"graphs\" aria-labelledby=\"graphs-h\">\n<h2 id=\"graphs-h\">Rule sets and judgement graphs</h2>\n<p>Each graph draws an arrow from every judgement a rule reads to the judgement it constrains. Solid arrows are <em>must</em> rules, dashed arrows <em>usually</em> rules; dashed boxes are latent judgements, which are never published.</p>\n");
        for f in &self.v.frameworks {
            let key = anchor("", &f.id);
            let _ = write!(
                self.out,
                "<section class=\"fw\" id=\"{}\" aria-labelledby=\"{}\" data-framework-id=\"",
                anchor("f-", &f.id),
                anchor("fh-", &f.id)
            );
            self.e(&f.id);
            let _ = write!(self.out, "\">\n<h3 id=\"{}\">", anchor("fh-", &f.id));
            self.e(&f.id);
            self.s(": ");
            self.e(&f.title);
            self.s(" <span class=\"muted\">(");
            self.e(&f.period);
            self.s(")</span></h3>\n");
            if !f.judgements.is_empty() {
                let _ = write!(
                    self.out,
                    "<details><summary>Its {} judgements</summary><table data-table=\"judgements\"><caption>Judgements of ",
                    count(f.judgements.len())
                );
                self.e(&f.id);
                self.s("</caption><thead><tr><th scope=\"col\">Judgement</th><th scope=\"col\">Title</th><th scope=\"col\">Published</th></tr></thead><tbody>\n");
                for j in &f.judgements {
                    self.s("<tr><th scope=\"row\"><code>");
                    self.e(&j.id);
                    self.s("</code></th><td>");
                    self.e(&j.title);
                    self.s("</td><td>");
                    self.s(if j.latent { "no (latent)" } else { "yes" });
                    self.s("</td></tr>\n");
                }
                self.s("</tbody></table></details>\n");
            }
            if f.graph.nodes.is_empty() && f.graph.edges.is_empty() {
                self.s("<p>No judgement graph.</p>\n</section>\n");
                continue;
            }
            let titles: HashMap<&str, &str> = f
                .judgements
                .iter()
                .map(|j| (j.id.as_str(), j.title.as_str()))
                .collect();
            self.s("<figure>");
            graph::push_svg(&mut self.out, &f.graph, &key, &f.id, &titles);
            self.s("<figcaption class=\"gkey\">Judgement graph of ");
            self.e(&f.id);
            let g = graph::Graph::from_view(&f.graph);
            let _ = writeln!(
                self.out,
                ": {}, {}.</figcaption></figure>",
                plural(g.ids.len(), "judgement"),
                plural(g.rule_count(), "rule")
            );
            if !f.graph.edges.is_empty() {
                self.s("<details><summary>The graph as a table</summary><table data-table=\"edges\"><caption>Rules of ");
                self.e(&f.id);
                self.s(", from the judgement read to the judgement constrained</caption><thead><tr><th scope=\"col\">Rule</th><th scope=\"col\">Reads</th><th scope=\"col\">Constrains</th><th scope=\"col\">Strength</th></tr></thead><tbody>\n");
                for e in &f.graph.edges {
                    self.s("<tr><th scope=\"row\">");
                    self.rule_link(&e.rule);
                    self.s("</th><td><code>");
                    self.e(&e.from);
                    self.s("</code></td><td><code>");
                    self.e(&e.to);
                    self.s("</code></td><td>");
                    self.s(if e.usually { "usually" } else { "must" });
                    self.s("</td></tr>\n");
                }
                self.s("</tbody></table></details>\n");
            }
            self.s("</section>\n");
        }
        self.s("</section>\n");
    }

    fn problems(&mut self) {
        self.s("<section id=\"problems\" aria-labelledby=\"problems-h\">\n<h2 id=\"problems-h\">Rejected input</h2>\n");
        if self.v.problems.is_empty() {
            self.s("<p>No input was rejected.</p>\n</section>\n");
            return;
        }
        self.s("<table data-table=\"problems\"><caption>Why each rejected record or unreadable file was rejected</caption><thead><tr><th scope=\"col\">Where</th><th scope=\"col\">Severity</th><th scope=\"col\">Code</th><th scope=\"col\">Message</th></tr></thead><tbody>\n");
        for p in &self.v.problems {
            self.s("<tr data-problem><th scope=\"row\"><code>");
            self.e(&p.file);
            if let Some(l) = p.line {
                let _ = write!(self.out, ":{l}");
                if let Some(c) = p.column {
                    let _ = write!(self.out, ":{c}");
                }
            }
            self.s("</code></th><td>");
            self.e(&p.severity);
            self.s("</td><td><code>");
            self.e(&p.code);
            self.s("</code></td><td>");
            self.e(&p.message);
            self.s("</td></tr>\n");
        }
        self.s("</tbody></table>\n</section>\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_dates() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1234567), "1,234,567");
        assert_eq!(long_date("2024-05-01"), "1 May 2024");
        assert_eq!(short_date("2024-12-31"), "31 Dec");
        assert_eq!(long_date("2024-13-01"), "2024-13-01");
        assert_eq!(long_date("soon"), "soon");
    }
}
