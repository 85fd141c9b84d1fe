//! The providers' table: every assessment of a provider (one inspection) as one short row,
//! grouped by provision type and searchable by URN, name or local authority. A national
//! record holds tens of thousands of inspections, so only those with an error (a broken rule,
//! sources in conflict) are also written out in full; the page stays a few megabytes.

use std::fmt::Write;

use crate::*;

impl<'a> Page<'a> {
    /// Whether a provider's assessment is written out in full, not only as a row.
    pub(crate) fn in_full(a: &AssessmentView) -> bool {
        a.kind != "provider"
            || a.findings.iter().any(|f| f.severity == "error")
            || !a.alternatives.is_empty()
            || !matches!(a.verdict.as_str(), "consistent" | "unverifiable")
    }

    pub(crate) fn providers(&mut self) {
        let of: Vec<usize> = (0..self.v.assessments.len())
            .filter(|&i| self.v.assessments[i].kind == "provider")
            .collect();
        if of.is_empty() {
            return;
        }
        self.s("<section id=\"providers\" aria-labelledby=\"providers-h\">\n<h2 id=\"providers-h\">Providers: every inspection</h2>\n");
        let full = of
            .iter()
            .filter(|&&i| Self::in_full(&self.v.assessments[i]))
            .count();
        let _ = writeln!(
            self.out,
            "<p>{} inspections of providers, one row each, by provision type; the {} with an error are written out in full below, and their URN links there. The verdict is that of the rules in force on the inspection's date for the kind of provider.</p>",
            count(of.len()),
            count(full)
        );
        let _ = writeln!(
            self.out,
            "<form id=\"provider-search\" class=\"filter\" role=\"search\" aria-label=\"Search the providers\" hidden><label for=\"provider-text\">Search providers by URN, name, local authority or inspection number</label><input id=\"provider-text\" type=\"search\" autocomplete=\"off\" spellcheck=\"false\"><output id=\"provider-status\" role=\"status\" aria-live=\"polite\">{n} of {n} inspections shown</output></form>",
            n = count(of.len())
        );
        self.s("<p id=\"provider-nojs\" class=\"muted\">The search needs JavaScript; every inspection is listed.</p>\n");
        // Group by provision type, as the latest source prints it (case aside).
        let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for &i in &of {
            let a = &self.v.assessments[i];
            let kind = a
                .attributes
                .get("type")
                .map_or_else(|| "(no provision type)".to_owned(), |t| t.to_lowercase());
            groups.entry(kind).or_default().push(i);
        }
        for (kind, list) in &groups {
            let mut title: Vec<char> = kind.chars().collect();
            if let Some(c) = title.first_mut() {
                *c = c.to_ascii_uppercase();
            }
            let title: String = title.into_iter().collect();
            let _ = write!(
                self.out,
                "<details class=\"ptype\" data-provider-group><summary>{}: {}</summary>\n<table class=\"pt\"><caption>{}: inspections</caption>",
                Text(&title),
                plural(list.len(), "inspection"),
                Text(&title)
            );
            self.s("<thead><tr><th scope=\"col\">URN</th><th scope=\"col\">Name</th><th scope=\"col\">Local authority</th><th scope=\"col\">Inspected</th><th scope=\"col\">Event number</th><th scope=\"col\">Verdict</th><th scope=\"col\">Rule</th></tr></thead><tbody>\n");
            for &i in list {
                self.provider_row(i);
            }
            self.s("</tbody></table></details>\n");
        }
        self.s("</section>\n");
    }

    /// One inspection as a row (closing tags left out, as HTML allows, to keep the page small).
    fn provider_row(&mut self, i: usize) {
        let a: &'a AssessmentView = &self.v.assessments[i];
        let (sym, class) = verdict_style(&a.verdict);
        let _ = write!(self.out, "<tr id=\"{}\"><td>", anchor("p-", &a.id));
        if Self::in_full(a) {
            let _ = write!(
                self.out,
                "<a href=\"#{}\">{}</a>",
                anchor("a-", &a.id),
                Text(&a.la_code)
            );
        } else {
            let _ = write!(self.out, "{}", Text(&a.la_code));
        }
        let attribute = |key: &str| Text(a.attributes.get(key).map_or("", String::as_str));
        let _ = write!(
            self.out,
            "<td>{}<td>{}<td>{}<td>{}<td class=\"v-{class}\">{sym} {}<td>",
            attribute("name"),
            attribute("local_authority"),
            Text(&when(a)),
            Text(a.inspection.as_deref().unwrap_or("")),
            Text(&a.verdict)
        );
        let mut first = true;
        for f in &a.findings {
            if !matches!(f.severity.as_str(), "error" | "warning") {
                continue;
            }
            if !first {
                self.s(" ");
            }
            first = false;
            let _ = write!(
                self.out,
                "<code>{}</code>",
                Text(f.rule.as_deref().unwrap_or(&f.code))
            );
        }
        self.s("\n");
    }
}
