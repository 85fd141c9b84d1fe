//! Every rule (text, strength, basis, citation, support, counter-examples), the rule sets
//! with their judgement graphs, and the rejected input.

use std::fmt::Write;

use crate::*;

impl<'a> Page<'a> {
    pub(crate) fn rules(&mut self) {
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
                    let _ = write!(self.out, " ({})", Text(p));
                }
            }
            self.s("</h3>\n");
            for r in self.v.rules.iter().filter(|r| r.rule_set == set) {
                self.rule(r);
            }
        }
        self.s("</section>\n");
    }

    pub(crate) fn rule(&mut self, r: &RuleView) {
        let (id, hid) = (anchor("r-", &r.id), anchor("rh-", &r.id));
        let _ = write!(
            self.out,
            "<article class=\"rule\" id=\"{id}\" aria-labelledby=\"{hid}\" data-rule-id=\"{}\">\n<h4 id=\"{hid}\"><code>{}</code></h4>\n<p>{}</p>\n<dl class=\"facts\"><dt>Strength</dt><dd>{}</dd><dt>Basis</dt><dd>{}</dd><dt>Sources</dt><dd>",
            Text(&r.id),
            Text(&r.id),
            Text(&r.text),
            Text(&r.strength),
            Text(&r.basis)
        );
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

    pub(crate) fn graphs(&mut self) {
        self.s("<section id=\"graphs\" aria-labelledby=\"graphs-h\">\n<h2 id=\"graphs-h\">Rule sets and judgement graphs</h2>\n<p>Each graph draws an arrow from every judgement a rule reads to the judgement it constrains. Solid arrows are <em>must</em> rules, dashed arrows <em>usually</em> rules; dashed boxes are latent judgements, which are never published.</p>\n");
        for f in &self.v.frameworks {
            let key = anchor("", &f.id);
            let (id, hid) = (anchor("f-", &f.id), anchor("fh-", &f.id));
            let _ = writeln!(
                self.out,
                "<section class=\"fw\" id=\"{id}\" aria-labelledby=\"{hid}\" data-framework-id=\"{}\">\n<h3 id=\"{hid}\">{}: {} <span class=\"muted\">({})</span></h3>",
                Text(&f.id),
                Text(&f.id),
                Text(&f.title),
                Text(&f.period)
            );
            if !f.judgements.is_empty() {
                let _ = write!(
                    self.out,
                    "<details><summary>Its {} judgements</summary><table data-table=\"judgements\"><caption>Judgements of {}</caption>",
                    count(f.judgements.len()),
                    Text(&f.id)
                );
                self.s("<thead><tr><th scope=\"col\">Judgement</th><th scope=\"col\">Title</th><th scope=\"col\">Published</th></tr></thead><tbody>\n");
                for j in &f.judgements {
                    let published = if j.latent { "no (latent)" } else { "yes" };
                    let _ = writeln!(
                        self.out,
                        "<tr><th scope=\"row\"><code>{}</code></th><td>{}</td><td>{published}</td></tr>",
                        Text(&j.id),
                        Text(&j.title)
                    );
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
            let g = graph::Graph::from_view(&f.graph);
            let _ = writeln!(
                self.out,
                "<figcaption class=\"gkey\">Judgement graph of {}: {}, {}.</figcaption></figure>",
                Text(&f.id),
                plural(g.ids.len(), "judgement"),
                plural(g.rule_count(), "rule")
            );
            if !f.graph.edges.is_empty() {
                let _ = write!(
                    self.out,
                    "<details><summary>The graph as a table</summary><table data-table=\"edges\"><caption>Rules of {}",
                    Text(&f.id)
                );
                self.s(", from the judgement read to the judgement constrained</caption><thead><tr><th scope=\"col\">Rule</th><th scope=\"col\">Reads</th><th scope=\"col\">Constrains</th><th scope=\"col\">Strength</th></tr></thead><tbody>\n");
                for e in &f.graph.edges {
                    self.s("<tr><th scope=\"row\">");
                    self.rule_link(&e.rule);
                    let strength = if e.usually { "usually" } else { "must" };
                    let _ = writeln!(
                        self.out,
                        "</th><td><code>{}</code></td><td><code>{}</code></td><td>{strength}</td></tr>",
                        Text(&e.from),
                        Text(&e.to)
                    );
                }
                self.s("</tbody></table></details>\n");
            }
            self.s("</section>\n");
        }
        self.s("</section>\n");
    }

    pub(crate) fn problems(&mut self) {
        self.s("<section id=\"problems\" aria-labelledby=\"problems-h\">\n<h2 id=\"problems-h\">Problems with the input</h2>\n");
        if self.v.problems.is_empty() {
            self.s("<p>No input was rejected, skipped or unreadable.</p>\n</section>\n");
            return;
        }
        self.s("<table data-table=\"problems\"><caption>Why each rejected record or unreadable file was rejected, and each file skipped</caption><thead><tr><th scope=\"col\">Where</th><th scope=\"col\">Severity</th><th scope=\"col\">Code</th><th scope=\"col\">Message</th></tr></thead><tbody>\n");
        for p in &self.v.problems {
            let _ = write!(
                self.out,
                "<tr data-problem><th scope=\"row\"><code>{}",
                Text(&p.file)
            );
            if let Some(l) = p.line {
                let _ = write!(self.out, ":{l}");
                if let Some(c) = p.column {
                    let _ = write!(self.out, ":{c}");
                }
            }
            let _ = writeln!(
                self.out,
                "</code></th><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
                Text(&p.severity),
                Text(&p.code),
                Text(&p.message)
            );
        }
        self.s("</tbody></table>\n</section>\n");
    }
}
