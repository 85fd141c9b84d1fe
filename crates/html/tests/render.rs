//! Structural checks of the rendered page: escaping, links, ids, determinism and size.

use std::collections::{BTreeSet, HashSet};

mod sample;

use ratings_html::{render, ReportView};

/// One start tag: its name and attributes (values unescaped only of `&quot;`-free text).
#[derive(Debug)]
struct Tag {
    name: String,
    attrs: Vec<(String, Option<String>)>,
}

const ELEMENTS: &[&str] = &[
    "html",
    "head",
    "meta",
    "link",
    "title",
    "style",
    "body",
    "a",
    "header",
    "h1",
    "h2",
    "h3",
    "h4",
    "p",
    "nav",
    "ul",
    "li",
    "main",
    "section",
    "strong",
    "span",
    "table",
    "caption",
    "colgroup",
    "col",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "dl",
    "dt",
    "dd",
    "details",
    "summary",
    "form",
    "label",
    "input",
    "select",
    "option",
    "output",
    "button",
    "small",
    "div",
    "article",
    "code",
    "br",
    "em",
    "figure",
    "figcaption",
    "svg",
    "desc",
    "defs",
    "marker",
    "path",
    "text",
    "tspan",
    "g",
    "rect",
    "footer",
    "script",
];

const ATTRIBUTES: &[&str] = &[
    "lang",
    "charset",
    "name",
    "content",
    "http-equiv",
    "rel",
    "href",
    "class",
    "id",
    "aria-label",
    "aria-labelledby",
    "aria-hidden",
    "aria-live",
    "role",
    "scope",
    "colspan",
    "data-count",
    "data-rules-name",
    "data-table",
    "data-legend",
    "data-verdict-list",
    "data-entry",
    "hidden",
    "for",
    "type",
    "data-filter-input",
    "autocomplete",
    "spellcheck",
    "data-filter-verdict",
    "value",
    "data-shown",
    "tabindex",
    "data-authority-row",
    "data-filter",
    "data-verdicts",
    "data-cell-assessment",
    "data-verdict",
    "title",
    "data-assessment-id",
    "data-authority",
    "data-period",
    "data-support",
    "data-finding",
    "data-severity",
    "data-list",
    "data-rule-id",
    "data-stat",
    "data-framework-id",
    "data-graph",
    "data-problem",
    "width",
    "height",
    "viewBox",
    "refX",
    "refY",
    "markerWidth",
    "markerHeight",
    "markerUnits",
    "orient",
    "d",
    "marker-end",
    "x",
    "y",
    "rx",
    "dy",
    "aria-controls",
    "aria-selected",
    "data-era",
    "data-era-panel",
    "data-era-tabs",
    "data-first",
    "data-legend-verdict",
    "data-problems-box",
    "data-provider-group",
    "data-year",
];

/// Tokenizes the page's markup (outside `<style>` and `<script>`), failing on anything that
/// is not a known element with known, double-quoted attributes.
fn tags(html: &str) -> Vec<Tag> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if let Some(r) = rest.strip_prefix("!DOCTYPE html>") {
            rest = r;
            continue;
        }
        if let Some(r) = rest.strip_prefix('/') {
            let end = r.find('>').expect("end tag closes");
            let name = &r[..end];
            assert!(ELEMENTS.contains(&name), "unknown end tag </{name}>");
            rest = &r[end + 1..];
            continue;
        }
        let name_end = rest.find([' ', '>', '/']).expect("tag name ends");
        let name = rest[..name_end].to_string();
        assert!(
            ELEMENTS.contains(&name.as_str()),
            "unknown element <{name}> near {:?}",
            &rest[..rest.len().min(80)]
        );
        rest = &rest[name_end..];
        let mut attrs = Vec::new();
        loop {
            rest = rest.trim_start_matches(' ');
            if let Some(r) = rest.strip_prefix("/>") {
                rest = r;
                break;
            }
            if let Some(r) = rest.strip_prefix('>') {
                rest = r;
                break;
            }
            let n_end = rest.find(['=', ' ', '>']).expect("attribute name ends");
            let attr = rest[..n_end].to_string();
            assert!(
                ATTRIBUTES.contains(&attr.as_str()),
                "unknown attribute {attr} on <{name}>"
            );
            rest = &rest[n_end..];
            if let Some(r) = rest.strip_prefix("=\"") {
                let v_end = r.find('"').expect("attribute value closes");
                let value = &r[..v_end];
                assert!(
                    !value.contains('<') && !value.contains('>'),
                    "raw < or > in {attr}={value:?}"
                );
                attrs.push((
                    attr,
                    Some(
                        value
                            .replace("&quot;", "\"")
                            .replace("&#39;", "'")
                            .replace("&lt;", "<")
                            .replace("&gt;", ">")
                            .replace("&amp;", "&"),
                    ),
                ));
                rest = &r[v_end + 1..];
            } else {
                attrs.push((attr, None));
            }
        }
        if name == "style" || name == "script" {
            let close = format!("</{name}>");
            let end = rest.find(&close).expect("raw text element closes");
            rest = &rest[end..];
        }
        out.push(Tag { name, attrs });
    }
    out
}

fn attr<'t>(t: &'t Tag, name: &str) -> Option<&'t str> {
    t.attrs
        .iter()
        .find(|(n, _)| n == name)
        .and_then(|(_, v)| v.as_deref())
}

/// Characters HTML forbids or that reorder text.
fn forbidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn check_structure(view: &ReportView, html: &str) {
    let tags = tags(html);
    // One script and one style: the page's own.
    assert_eq!(tags.iter().filter(|t| t.name == "script").count(), 1);
    assert_eq!(tags.iter().filter(|t| t.name == "style").count(), 1);
    assert_eq!(html.matches("<script").count(), 1);
    // No event handlers, no resources, links only to anchors and http(s).
    let mut ids = HashSet::new();
    for t in &tags {
        for (n, v) in &t.attrs {
            assert!(!n.starts_with("on"), "event handler {n}");
            if n == "id" {
                let v = v.as_deref().unwrap();
                assert!(ids.insert(v.to_string()), "duplicate id {v}");
                assert!(!v.is_empty() && !v.contains(char::is_whitespace));
            }
        }
        if t.name == "link" {
            assert_eq!(attr(t, "href"), Some("data:,"));
        }
        if t.name == "a" {
            let href = attr(t, "href").expect("links have href");
            assert!(
                href.starts_with('#')
                    || href.starts_with("https://")
                    || href.starts_with("http://"),
                "link to {href}"
            );
        }
        if let Some(m) = attr(t, "marker-end") {
            assert!(m.starts_with("url(#gm-"));
        }
    }
    for t in &tags {
        if let Some(href) = attr(t, "href").filter(|h| h.starts_with('#')) {
            assert!(ids.contains(&href[1..]), "broken link {href}");
        }
        if let Some(l) = attr(t, "aria-labelledby") {
            for id in l.split(' ') {
                assert!(ids.contains(id), "aria-labelledby {id} missing");
            }
        }
    }
    // Every assessment once, every th scoped, every table captioned.
    let sections: Vec<&str> = tags
        .iter()
        .filter_map(|t| attr(t, "data-assessment-id"))
        .collect();
    let want: Vec<&str> = view.assessments.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(sections, want);
    let cells: BTreeSet<&str> = tags
        .iter()
        .filter_map(|t| attr(t, "data-cell-assessment"))
        .collect();
    assert_eq!(cells, want.iter().copied().collect());
    assert!(tags
        .iter()
        .filter(|t| t.name == "th")
        .all(|t| attr(t, "scope").is_some()));
    assert_eq!(
        tags.iter().filter(|t| t.name == "table").count(),
        tags.iter().filter(|t| t.name == "caption").count()
    );
    // Nothing that HTML forbids or that reorders text.
    for c in html.chars() {
        assert!(!forbidden(c), "character U+{:04X} in output", c as u32);
    }
    // The Content-Security-Policy allows only the page's own script and style.
    assert!(html.contains("default-src 'none'; style-src 'sha256-"));
    assert!(!html.contains("unsafe-inline"));
}

#[test]
fn sample_is_well_formed() {
    let v = sample::sample();
    check_structure(&v, &render(&v));
}

#[test]
fn hostile_strings_stay_text() {
    let v = sample::hostile();
    let html = render(&v);
    check_structure(&v, &html);
    assert!(html.contains("Ashby&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;[U+0000][U+001B][31m[U+0007][U+202E]dne"));
    // javascript: and malformed addresses are shown, not linked.
    assert!(html.contains("address not linked: <code>javascript:alert(6)</code>"));
    assert!(!html.contains("href=\"javascript"));
    assert!(html.contains("<title>audit &lt;script&gt;"));
    assert!(html.contains("data-assessment-id=\"ashby&quot; onmouseover=&quot;alert(3)\""));
}

#[test]
fn output_is_reproducible_and_survives_json() {
    let v = sample::sample();
    let a = render(&v);
    assert_eq!(a, render(&v));
    let json = serde_json::to_string(&v).unwrap();
    let back: ReportView = serde_json::from_str(&json).unwrap();
    assert_eq!(back, v);
    assert_eq!(render(&back), a);
}

#[test]
fn empty_view_renders() {
    let v = ReportView::default();
    let html = render(&v);
    check_structure(&v, &html);
    assert!(html.contains("No assessments."));
    assert!(html.contains("No input was rejected, skipped or unreadable."));
    // The smallest JSON view.
    let v: ReportView = serde_json::from_str(
        r#"{"title":"t","generated":"g","rules_name":"r","summary":{"files":0,"unreadable_files":0,"records":0,"checked":0,"rejected":0,"assessments":0,"consistent":0,"inconsistent":0,"unverifiable":0,"undecided":0,"conflicts":0}}"#,
    )
    .unwrap();
    check_structure(&v, &render(&v));
}

#[test]
fn large_view_is_under_5_mb() {
    let v = sample::large();
    assert!(v.assessments.len() >= 1000);
    let started = std::time::Instant::now();
    let html = render(&v);
    let took = started.elapsed();
    assert!(html.len() < 5_000_000, "{} bytes", html.len());
    check_structure(&v, &html);
    eprintln!(
        "large view: {} assessments, {} bytes, rendered in {took:?}",
        v.assessments.len(),
        html.len()
    );
}

#[test]
fn summary_counts_are_shown() {
    let v = sample::sample();
    let html = render(&v);
    let s = v.summary;
    for (name, n) in [
        ("consistent", s.consistent),
        ("inconsistent", s.inconsistent),
        ("unverifiable", s.unverifiable),
        ("undecided", s.undecided),
        ("records", s.records),
        ("files", s.files),
        ("unreadable_files", s.unreadable_files),
        ("checked", s.checked),
        ("rejected", s.rejected),
        ("assessments", s.assessments),
        ("conflicts", s.conflicts),
    ] {
        assert_eq!(
            html.matches(&format!("data-count=\"{name}\"")).count(),
            1,
            "{name}"
        );
        assert!(
            html.contains(&format!("data-count=\"{name}\">{n}<")),
            "{name} = {n}"
        );
    }
}
