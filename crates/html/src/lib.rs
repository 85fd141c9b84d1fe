//! One self-contained HTML page of a `ratings` audit: [`view_of`] builds the page's view
//! ([`ReportView`]) from a check's [`Report`](ratings_check::Report) and the rule book, and
//! [`render`] turns a view into one HTML5 document.
//!
//! The page has inline CSS and script, inline SVG judgement graphs and no external resources
//! at all (its Content-Security-Policy forbids them); every user string is escaped. All
//! static content works without JavaScript; the script only drives the grid's filter. The
//! same view always gives the same bytes, and nothing here reads or writes a file.
//!
//! Escaping is by type. The page is written with `write!` and with `Page::s`, which takes
//! only a `&'static str`: markup written here. A string from the view (a name, an id, a
//! message, a label, a file name, an address already found [`linkable`]) is interpolated as
//! an [`escape::Text`], whose `Display` escapes it for HTML text and quoted attribute
//! values. Everything else interpolated is made here: numbers, literals, the grid's CSS,
//! and anchors from [`escape::anchor`], which are plain ASCII by construction.
//!
//! The page's parts, top to bottom: summary (verdict counts linking to the lists by verdict,
//! the problems with the input beside them, record counts, the rules in force, counts per
//! framework, per year and per provision type, a legend), the problems with the input, the
//! lists by verdict (each inconsistent assessment with the broken rule and its evidence), the
//! grid (authority by year, one era of years at a time, filterable), the providers' table (one
//! row per inspection, searchable), every assessment of an authority and every provider's
//! assessment with an error in full, every rule, and the rule sets with their graphs.
//!
//! ```
//! use ratings_check::{check, read_toml, CheckOptions};
//! use ratings_core::SourceText;
//!
//! let book = ratings_rules::book().expect("the shipped rules load");
//! let records = SourceText::new("records.toml", r#"
//! [[record]]
//! authority = "Leicester City Council"
//! year = 2008
//! source = { document = "seed-004-leicester-apa-2008", locator = "para 4.13" }
//! [record.grades]
//! "apa.overall_effectiveness" = "good"
//! "apa.enjoying_and_achieving" = "inadequate"
//! "#);
//! let report = check(book, &[read_toml(&records)], &CheckOptions::default());
//! let about = ratings_html::About {
//!     title: "An audit of one record".to_owned(),
//!     generated: "ratings, shipped rules".to_owned(),
//!     rules_name: "shipped rules".to_owned(),
//!     through_year: None,
//! };
//! let page = ratings_html::render(&ratings_html::view_of(book, &report, about));
//! assert!(page.starts_with("<!DOCTYPE html>"));
//! assert!(page.contains("Leicester"));
//! ```

pub mod escape;
pub mod graph;
pub mod view;

mod assessment;
mod csp;
mod grid;
mod of_report;
mod providers;
mod rules;
mod summary;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;

use escape::{anchor, linkable, Text};
use grid::{grid_css, grid_layout};
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
fn plural(n: usize, word: &'static str) -> String {
    format!("{} {}", count(n), ratings_core::plural(n, word))
}

/// `2024-05-01` as `1 May 2024`; anything else as given.
fn long_date(d: &str) -> String {
    let parts: Vec<&str> = d.split('-').collect();
    if let [y, m, day] = parts[..] {
        if let (Ok(y), Ok(m), Ok(day)) = (y.parse::<i64>(), m.parse::<usize>(), day.parse::<u32>())
        {
            if (1..=12).contains(&m) && (1..=31).contains(&day) {
                // The month's first three letters, capitalised: `Sep`.
                let name = ratings_text::MONTHS[m - 1];
                return format!("{day} {}{} {y}", name[..1].to_uppercase(), &name[1..3]);
            }
        }
    }
    d.to_string()
}

/// An assessment's date as `1 May 2024` (or as given when it is not a date), else its year.
fn long_when(a: &AssessmentView) -> String {
    a.date
        .as_deref()
        .map_or_else(|| a.year.to_string(), long_date)
}

/// An assessment's date as given, else its year.
fn when(a: &AssessmentView) -> String {
    a.date.clone().unwrap_or_else(|| a.year.to_string())
}

/// `2024-05-01` as `1 May`.
fn short_date(d: &str) -> String {
    let l = long_date(d);
    if l == d {
        return l;
    }
    l.rsplit_once(' ').map(|(a, _)| a.to_string()).unwrap_or(l)
}

struct Page<'a> {
    v: &'a ReportView,
    out: String,
    assessment: HashMap<&'a str, usize>,
    rule: HashMap<&'a str, &'a RuleView>,
    framework: HashMap<&'a str, &'a FrameworkView>,
    /// The era of the grid each year is shown in.
    era_of: HashMap<i64, usize>,
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
            era_of: HashMap::new(),
        }
    }

    /// Appends markup written here. Only a literal can be passed: a string from the view is
    /// written with `write!` as a [`Text`], which escapes it.
    fn s(&mut self, markup: &'static str) {
        self.out.push_str(markup);
    }

    /// `Leeds (383), 2009` or `Leeds (383), 1 May 2024`, escaped, with the code muted.
    fn assessment_name(&mut self, a: &AssessmentView) {
        if a.kind == "provider" {
            // `provider SC123456 (children's home, Sefton), inspection 10049813, 12 Jun 2018`
            let _ = write!(self.out, "provider {}", Text(&a.la_code));
            let about: Vec<&str> = ["type", "local_authority"]
                .iter()
                .filter_map(|k| a.attributes.get(*k).map(String::as_str))
                .collect();
            if !about.is_empty() {
                let _ = write!(
                    self.out,
                    " <span class=\"code\">({})</span>",
                    Text(&about.join(", "))
                );
            }
            if let Some(number) = &a.inspection {
                let _ = write!(self.out, ", inspection {}", Text(number));
            }
            let _ = write!(self.out, ", {}", Text(&long_when(a)));
            return;
        }
        let _ = write!(self.out, "{}", Text(&a.authority));
        if !a.la_code.is_empty() {
            let _ = write!(
                self.out,
                " <span class=\"code\">({})</span>",
                Text(&a.la_code)
            );
        }
        let _ = write!(self.out, ", {}", Text(&long_when(a)));
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
                let _ = write!(self.out, "<code>{}</code>", Text(id));
            }
        }
    }

    fn rule_link(&mut self, id: &str) {
        if self.rule.contains_key(id) {
            let _ = write!(
                self.out,
                "<a href=\"#{}\"><code>{}</code></a>",
                anchor("r-", id),
                Text(id)
            );
        } else {
            let _ = write!(self.out, "<code>{}</code>", Text(id));
        }
    }

    fn framework_link(&mut self, id: &str) {
        if self.framework.contains_key(id) {
            let _ = write!(
                self.out,
                "<a href=\"#{}\">{}</a>",
                anchor("f-", id),
                Text(id)
            );
        } else {
            let _ = write!(self.out, "{}", Text(id));
        }
    }

    /// `text` linked to `url` when it may be linked; otherwise text, with the address shown.
    fn maybe_link(&mut self, text: &str, url: Option<&str>) {
        let _ = match url {
            Some(u) if linkable(u) => write!(
                self.out,
                "<a rel=\"noopener noreferrer\" href=\"{}\">{}</a>",
                Text(u),
                Text(text)
            ),
            Some(u) if !u.is_empty() => write!(
                self.out,
                "{} <span class=\"muted\">(address not linked: <code>{}</code>)</span>",
                Text(text),
                Text(u)
            ),
            _ => write!(self.out, "{}", Text(text)),
        };
    }

    fn verdict_badge(&mut self, v: &str) {
        let (sym, class) = verdict_style(v);
        let _ = write!(
            self.out,
            "<span class=\"badge v-{class}\"><span class=\"sym\" aria-hidden=\"true\">{sym} </span>{}</span>",
            Text(v)
        );
    }

    fn document(&mut self) {
        // The grid's tables share widths computed from their text, so the style is made per
        // page (and hashed for the Content-Security-Policy below).
        let layout = grid_layout(self.v);
        self.era_of = layout.era_of();
        let style = format!("{CSS}{}\n", grid_css(&layout));
        let csp = format!(
            "default-src 'none'; style-src {}; script-src {}; img-src data:; base-uri 'none'; form-action 'none'",
            csp::hash_source(&style),
            csp::hash_source(JS)
        );
        let (title, generated) = (Text(&self.v.title), Text(&self.v.generated));
        self.s("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n");
        self.s("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        let _ = writeln!(
            self.out,
            "<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">"
        );
        self.s("<meta name=\"referrer\" content=\"no-referrer\">\n");
        let _ = write!(
            self.out,
            "<meta name=\"generator\" content=\"{generated}\">\n<link rel=\"icon\" href=\"data:,\">\n<title>{title}</title>\n<style>{style}</style>\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to the report</a>\n<header>\n<h1>{title}</h1>\n<p class=\"gen\">{generated}</p>\n"
        );
        self.s("<nav aria-label=\"Sections\"><ul><li><a href=\"#summary\">Summary</a></li><li><a href=\"#problems\">Problems with the input</a></li><li><a href=\"#verdicts\">By verdict</a></li>");
        if !layout.is_empty() {
            self.s("<li><a href=\"#grid\">Grid</a></li>");
        }
        if self.v.assessments.iter().any(|a| a.kind == "provider") {
            self.s("<li><a href=\"#providers\">Providers</a></li>");
        }
        self.s("<li><a href=\"#assessments\">Assessments</a></li><li><a href=\"#rules\">Rules</a></li><li><a href=\"#graphs\">Rule sets and graphs</a></li></ul></nav>\n</header>\n<main id=\"main\">\n");
        self.summary();
        self.problems();
        self.by_verdict();
        self.grid(&layout);
        self.providers();
        self.assessments();
        self.rules();
        self.graphs();
        let _ = write!(
            self.out,
            "</main>\n<footer><p class=\"gen\">{}</p></footer>\n<script>",
            Text(&self.v.generated)
        );
        self.s(JS);
        self.s("</script>\n</body>\n</html>\n");
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
