//! Each assessment in full: published grades with their sources, verdict, findings with the
//! rule text and evidence, allowed and implied grades, alternatives, and what would test it.

use std::fmt::Write;

use crate::*;

impl<'a> Page<'a> {
    pub(crate) fn assessments(&mut self) {
        let full: Vec<usize> = (0..self.v.assessments.len())
            .filter(|&i| Self::in_full(&self.v.assessments[i]))
            .collect();
        let rows = self.v.assessments.len() - full.len();
        if self.v.assessments.is_empty() {
            self.s("<section id=\"assessments\" aria-labelledby=\"assessments-h\">\n<h2 id=\"assessments-h\">Assessments</h2>\n<p>No assessments.</p>\n</section>\n");
            return;
        }
        let _ = write!(
            self.out,
            "<section id=\"assessments\" aria-labelledby=\"assessments-h\">\n<h2 id=\"assessments-h\">Assessments</h2>\n<p>{} assessments in full, in the order checked",
            count(full.len())
        );
        if rows > 0 {
            let _ = write!(
                self.out,
                "; the other {} providers' inspections are rows of <a href=\"#providers\">the providers' table</a>",
                count(rows)
            );
        }
        self.s(".</p>\n");
        for i in full {
            self.assessment(i);
        }
        self.s("</section>\n");
    }

    pub(crate) fn assessment(&mut self, i: usize) {
        let a: &'a AssessmentView = &self.v.assessments[i];
        let (_, class) = verdict_style(&a.verdict);
        let id = anchor("a-", &a.id);
        let hid = anchor("ah-", &a.id);
        let _ = write!(
            self.out,
            "<article class=\"as b-{class}\" id=\"{id}\" aria-labelledby=\"{hid}\" data-assessment-id=\"{}\" data-verdict=\"{}\" data-authority=\"{}\" data-period=\"{}\">\n<h3 id=\"{hid}\">",
            Text(&a.id),
            Text(&a.verdict),
            Text(&a.authority),
            Text(&when(a))
        );
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
            let _ = write!(
                self.out,
                "Support: <strong data-support>{}</strong>. ",
                Text(&a.support)
            );
        }
        if let Some(h) = &a.headline {
            let _ = write!(self.out, "Headline: {}. ", Text(h));
        }
        if a.kind == "provider" {
            let _ = writeln!(
                self.out,
                "<a href=\"#{}\">Row in the providers' table</a></p>",
                anchor("p-", &a.id)
            );
        } else {
            let key = if a.la_code.is_empty() {
                &a.authority
            } else {
                &a.la_code
            };
            let era = self.era_of.get(&a.year).copied().unwrap_or(0);
            let _ = writeln!(
                self.out,
                "<a href=\"#{}\">Row in the grid</a></p>",
                anchor("g-", &format!("{key}-{era}"))
            );
        }

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
                    let _ = write!(
                        self.out,
                        " <span class=\"muted\">(record <code>{}</code>)</span>",
                        Text(file)
                    );
                }
                self.s("</th></tr>\n");
                for p in rows {
                    let _ = write!(
                        self.out,
                        "<tr><th scope=\"row\">{}<code class=\"b\">{}</code></th><td>{}</td><td>{}</td><td class=\"n\">",
                        Text(&p.judgement_title),
                        Text(&p.judgement),
                        Text(&p.label),
                        Text(&p.locator)
                    );
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
                let (code, severity) = (Text(&f.code), Text(&f.severity));
                let _ = write!(
                    self.out,
                    "<li class=\"sev-{sev}\" data-finding=\"{code}\" data-severity=\"{severity}\"><span class=\"sev\">{severity}</span> <code>{code}</code>: {}",
                    Text(&f.message)
                );
                if let Some(r) = &f.rule {
                    self.s("<div class=\"ruleref\">Rule ");
                    self.rule_link(r);
                    match self.rule.get(r.as_str()).copied() {
                        Some(rv) => {
                            let _ = write!(
                                self.out,
                                " ({}, {}): {}",
                                Text(&rv.strength),
                                Text(&rv.basis),
                                Text(&rv.text)
                            );
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
                    let _ = write!(
                        self.out,
                        "<div>Evidence: <code>{}</code>",
                        Text(&f.evidence.join("; "))
                    );
                    if let Some(support) = &f.support {
                        let _ = write!(
                            self.out,
                            " <span class=\"muted\">(support: {})</span>",
                            Text(support)
                        );
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
                let _ = write!(
                    self.out,
                    "<li>a published grade for <code>{}</code>",
                    Text(&w.judgement)
                );
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
                let _ = write!(
                    self.out,
                    "<tr><th scope=\"row\"><code>{}</code></th><td>{}</td><td>{}</td><td>",
                    Text(&x.judgement),
                    Text(&x.value_label),
                    Text(&x.source)
                );
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

    pub(crate) fn grade_sets(
        &mut self,
        sets: &[GradeSet],
        key: &'static str,
        caption: &'static str,
    ) {
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
            let _ = write!(
                self.out,
                "<tr><th scope=\"row\"><code>{}</code></th><td>",
                Text(&js.join(", "))
            );
            if labels.is_empty() {
                self.s("none: no grade would pass");
            } else {
                let _ = write!(self.out, "{}", Text(&labels.join(", ")));
            }
            self.s("</td></tr>\n");
        }
        self.s("</tbody></table>\n");
    }

    pub(crate) fn cite(&mut self, c: &CiteView) {
        self.maybe_link(&c.title, c.url.as_deref());
        for part in [&c.publisher, &c.date, &c.locator] {
            if !part.is_empty() {
                let _ = write!(self.out, ", {}", Text(part));
            }
        }
    }
}
