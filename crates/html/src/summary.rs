//! The summary at the top of the page, its legend, and the lists of assessments by verdict.

use std::fmt::Write;

use crate::*;

impl<'a> Page<'a> {
    pub(crate) fn summary(&mut self) {
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
            let tests = if v == "consistent" && n > 0 {
                format!(
                    "<small>{} independent, {} circular</small>",
                    count(s.consistent_independent),
                    count(s.consistent_circular)
                )
            } else {
                String::new()
            };
            let _ = write!(
                self.out,
                "<li><a class=\"v-{v}\" href=\"#verdict-{v}\"><strong data-count=\"{v}\">{}</strong><span class=\"sym\" aria-hidden=\"true\">{sym} </span>{v}{tests}</a></li>",
                count(n)
            );
        }
        self.s("</ul>\n");
        let c = |name: &str, n: usize| format!("<span data-count=\"{name}\">{}</span>", count(n));
        // What went wrong with the input, beside the verdicts: each count links to the list.
        let lost = s.unreadable_files + s.rejected + s.ignored_columns;
        let noun = |n: usize, one: &'static str| ratings_core::plural(n, one);
        let _ = writeln!(
            self.out,
            "<div class=\"pbox{}\" data-problems-box><h3>Problems with the input</h3><ul><li><a href=\"#problems\">{} {}</a></li><li><a href=\"#problems\">{} {} rejected</a></li><li><a href=\"#problems\">{} table {} not read</a></li><li><a href=\"#problems\">{} {} skipped</a></li><li><a href=\"#with-errors\">{} {} with an error</a></li><li><a href=\"#conflicts\">{} with sources that disagree</a></li></ul></div>",
            if lost > 0 { " lost" } else { "" },
            c("unreadable_files", s.unreadable_files),
            noun(s.unreadable_files, "unreadable file"),
            c("rejected", s.rejected),
            noun(s.rejected, "record"),
            c("ignored_columns", s.ignored_columns),
            noun(s.ignored_columns, "column"),
            c("skipped_files", s.skipped_files),
            noun(s.skipped_files, "file"),
            c("with_errors", s.with_errors),
            noun(s.with_errors, "assessment"),
            c("conflicts", s.conflicts),
        );
        // The breaches and disputes first: each linked, when they are few enough to list.
        let first: Vec<usize> = (0..self.v.assessments.len())
            .filter(|&i| {
                matches!(
                    self.v.assessments[i].verdict.as_str(),
                    "inconsistent" | "disputed"
                )
            })
            .collect();
        if !first.is_empty() && first.len() <= 60 {
            self.s("<div class=\"first\" data-first><h3>Inconsistent and disputed</h3><ul>");
            for i in first {
                let a = &self.v.assessments[i];
                self.s("<li>");
                self.verdict_badge(&a.verdict);
                self.s(" ");
                self.assessment_link(&a.id);
                if let Some(rule) = a.findings.iter().find_map(|f| f.rule.as_deref()) {
                    self.s(": ");
                    self.rule_link(rule);
                }
                self.s("</li>");
            }
            self.s("</ul></div>\n");
        }
        let _ = writeln!(
            self.out,
            "<p>{} {} read from {} {}: {} checked, {} not graded (no graded inspection to check) and {}. {} {}. Of the consistent, {} are independent tests of the rules, {} circular (the grades come from the very documents the rules were drawn from) and {} from documents outside the registry (their independence cannot be shown).</p>",
            c("records", s.records),
            noun(s.records, "record"),
            c("files", s.files),
            noun(s.files, "file"),
            c("checked", s.checked),
            c("not_graded", s.not_graded),
            match s.records.saturating_sub(s.checked + s.not_graded) {
                0 => "none rejected".to_owned(),
                rejected => format!(
                    "{} rejected (see the problems above)",
                    count(rejected)
                ),
            },
            c("assessments", s.assessments),
            noun(s.assessments, "assessment"),
            c("consistent_independent", s.consistent_independent),
            c("consistent_circular", s.consistent_circular),
            c("consistent_unregistered", s.consistent_unregistered),
        );

        // Counts per rule set and per year.
        // A row of counts: the total, one per verdict, and any other verdict.
        let index = |v: &str| VERDICTS.iter().position(|(n, _)| *n == v).unwrap_or(5);
        let mut per_fw: BTreeMap<&str, [usize; 7]> = BTreeMap::new();
        let mut per_year: BTreeMap<i64, [usize; 7]> = BTreeMap::new();
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
        let any_other = per_year.values().any(|r| r[6] > 0);
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
        let cells = |row: &[usize; 7], out: &mut String| {
            for n in row.iter().take(if any_other { 7 } else { 6 }) {
                let _ = write!(out, "<td class=\"n\">{}</td>", count(*n));
            }
            out.push_str("</tr>\n");
        };

        // The rules in force, with the assessments under each rule set.
        let _ = writeln!(
            self.out,
            "<h3>Rules in force</h3>\n<p>Checked against <strong data-rules-name>{}</strong>: {}, {}.</p>",
            Text(&self.v.rules_name),
            plural(self.v.frameworks.len(), "rule set"),
            plural(self.v.rules.len(), "rule")
        );
        // The rule sets of this report's assessments; the others are counted, and listed with
        // the rules below.
        let mut order: Vec<&str> = self
            .v
            .frameworks
            .iter()
            .map(|f| f.id.as_str())
            .filter(|f| per_fw.contains_key(f))
            .collect();
        for f in per_fw.keys() {
            if !order.contains(f) {
                order.push(f);
            }
        }
        let unused = self.v.frameworks.len().saturating_sub(order.len());
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
                let (title, period) = match self.framework.get(f) {
                    Some(fw) => (fw.title.as_str(), fw.period.as_str()),
                    None => ("", ""),
                };
                let _ = write!(
                    self.out,
                    "</th><td>{}</td><td>{}",
                    Text(title),
                    Text(period)
                );
                let rules = self
                    .framework
                    .get(f)
                    .and_then(|framework| framework.rules_in_force)
                    .unwrap_or_else(|| rules_per.get(f).copied().unwrap_or(0));
                let _ = write!(self.out, "</td><td class=\"n\">{}</td>", count(rules));
                cells(&per_fw.get(f).copied().unwrap_or_default(), &mut self.out);
            }
            let _ = writeln!(
                self.out,
                "</tbody></table>\n<p class=\"muted\">An assessment under several rule sets counts under each. {} of no assessment here: see <a href=\"#graphs\">the rule sets</a>.</p>",
                plural(unused, "other rule set")
            );
        }

        // Per year, beside the legend.
        self.s("<div class=\"cols\"><div>\n<h3>By year</h3>\n<table class=\"sum\" data-table=\"per-year\"><caption>Assessments per year</caption><thead><tr><th scope=\"col\">Year</th>");
        verdict_heads(&mut self.out);
        for (y, row) in &per_year {
            let _ = write!(self.out, "<tr><th scope=\"row\">{y}</th>");
            cells(row, &mut self.out);
        }
        self.s("</tbody></table>\n");
        // Per provision type, for providers.
        let mut per_type: BTreeMap<String, [usize; 7]> = BTreeMap::new();
        for a in self.v.assessments.iter().filter(|a| a.kind == "provider") {
            let kind = a
                .attributes
                .get("type")
                .map_or_else(|| "(no provision type)".to_owned(), |t| t.to_lowercase());
            let row = per_type.entry(kind).or_default();
            row[0] += 1;
            row[index(&a.verdict) + 1] += 1;
        }
        if !per_type.is_empty() {
            self.s("<h3>By provision type</h3>\n<table class=\"sum\" data-table=\"per-type\"><caption>Providers' inspections per provision type</caption><thead><tr><th scope=\"col\">Provision type</th>");
            verdict_heads(&mut self.out);
            for (kind, row) in &per_type {
                let _ = write!(self.out, "<tr><th scope=\"row\">{}</th>", Text(kind));
                cells(row, &mut self.out);
            }
            self.s("</tbody></table>\n");
        }
        self.s("</div><div>\n");
        self.legend();
        self.s("</div></div>\n</section>\n");
    }

    pub(crate) fn legend(&mut self) {
        self.s("<h3>Reading this report</h3>\n<dl class=\"legend\" data-legend>");
        for (v, _) in VERDICTS {
            let text = match v {
                "consistent" => "the published grades are what the rules allow, and other grades would have been rejected: the rules tested them",
                "inconsistent" => "the published grades break a rule that must hold",
                "disputed" => "sources disagree on a grade, and the verdict depends on which is right: some of the grade sets they publish break a rule, others do not",
                "unverifiable" => "the rules cannot test the published grades: any grades would have passed",
                _ => "the check ran out of its search budget before deciding",
            };
            let (sym, class) = verdict_style(v);
            let _ = write!(
                self.out,
                "<dt data-legend-verdict=\"{v}\"><span class=\"badge v-{class}\"><span class=\"sym\">{sym}</span> {v}</span></dt><dd>{text}</dd>"
            );
        }
        self.s("<dt>basis: stated</dt><dd>a rule that decided the verdict is stated by the inspectorate or reported by a source</dd>");
        self.s("<dt>basis: inferred</dt><dd>only rules inferred from published grades decided it: a hypothesis, and a breach is a counter-example to it, not proof that a rule was broken</dd>");
        self.s("<dt>support: independent</dt><dd>the verdict rests on grades from sources other than those its rules were derived from</dd>");
        self.s("<dt>support: circular</dt><dd>the verdict rests only on the sources its rules were derived from</dd>");
        self.s("<dt>support: unregistered</dt><dd>the verdict rests on grades from documents outside the registry, whose independence of the rules' sources cannot be shown</dd>");
        self.s("<dt>support: none</dt><dd>no rule was tested by the published grades</dd>");
        self.s("<dt>must / usually</dt><dd>a rule that always holds / one that holds as a rule of thumb and never changes a verdict</dd>");
        self.s("<dt>guidance / reported / inferred</dt><dd>a rule from published guidance / reported in a document / inferred from outcomes</dd>");
        self.s("</dl>\n");
    }

    /// Findings that say why an assessment has its verdict: errors first, else warnings.
    pub(crate) fn reasons(a: &AssessmentView) -> Vec<&FindingView> {
        for sev in ["error", "warning"] {
            let f: Vec<&FindingView> = a.findings.iter().filter(|f| f.severity == sev).collect();
            if !f.is_empty() {
                return f;
            }
        }
        Vec::new()
    }

    pub(crate) fn by_verdict(&mut self) {
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
            let _ = writeln!(
                self.out,
                "<section id=\"{}\" data-verdict-list=\"{}\"><h3><span class=\"badge v-{class}\"><span class=\"sym\" aria-hidden=\"true\">{sym} </span>{}</span> {}</h3>",
                anchor("verdict-", verdict),
                Text(verdict),
                Text(verdict),
                plural(list.len(), "assessment")
            );
            if list.is_empty() {
                self.s("<p>None.</p></section>\n");
                continue;
            }
            let detailed = !matches!(verdict, "consistent" | "unverifiable");
            // A provider's consistent or unverifiable inspection is a row of the providers'
            // table, not listed again here.
            let list: Vec<usize> = if detailed {
                list
            } else {
                let (providers, authorities): (Vec<usize>, Vec<usize>) = list
                    .into_iter()
                    .partition(|&i| self.v.assessments[i].kind == "provider");
                if !providers.is_empty() {
                    let _ = write!(
                        self.out,
                        "<p>{} of providers: see <a href=\"#providers\">the providers' table</a>.</p>",
                        plural(providers.len(), "inspection")
                    );
                }
                if authorities.is_empty() {
                    self.s("</section>\n");
                    continue;
                }
                authorities
            };
            if detailed {
                let mut title: Vec<char> = verdict.chars().collect();
                if let Some(c) = title.first_mut() {
                    *c = c.to_ascii_uppercase();
                }
                let title: String = title.into_iter().collect();
                let _ = write!(self.out, "<table class=\"why\"><caption>{}", Text(&title));
                self.s(" assessments: the rules concerned and the evidence</caption><thead><tr><th scope=\"col\">Assessment</th><th scope=\"col\">Why</th><th scope=\"col\">Evidence</th><th scope=\"col\">Support</th></tr></thead><tbody>\n");
                for i in list {
                    let a = &self.v.assessments[i];
                    let _ = write!(
                        self.out,
                        "<tr data-entry=\"{}\"><th scope=\"row\">",
                        Text(&a.id)
                    );
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
                                let _ = write!(self.out, ": {}", Text(&rv.text));
                            }
                        } else {
                            let _ = write!(
                                self.out,
                                "<code>{}</code>: {}",
                                Text(&f.code),
                                Text(&f.message)
                            );
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
                        let _ = write!(self.out, "{}", Text(e));
                    }
                    let _ = writeln!(self.out, "</td><td>{}</td></tr>", Text(&a.support));
                }
                self.s("</tbody></table>\n");
            } else {
                let fold = list.len() > 40;
                if fold {
                    let _ = write!(
                        self.out,
                        "<details><summary>Show all {} {} assessments</summary>",
                        count(list.len()),
                        Text(verdict)
                    );
                }
                self.s("<ul class=\"compact\">");
                for i in list {
                    let id = self.v.assessments[i].id.as_str();
                    let _ = write!(self.out, "<li data-entry=\"{}\">", Text(id));
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
                let _ = write!(self.out, "<li data-entry=\"{}\">", Text(&a.id));
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
                        let _ = write!(self.out, "<code>{}</code>", Text(j));
                    }
                }
                self.s("</li>");
            }
            self.s("</ul>\n");
        }
        self.s("</section>\n");

        // Every assessment with an error finding, whatever its verdict.
        self.s("<section id=\"with-errors\" data-verdict-list=\"with-errors\"><h3>Assessments with an error</h3>\n");
        let list: Vec<usize> = (0..self.v.assessments.len())
            .filter(|&i| {
                self.v.assessments[i]
                    .findings
                    .iter()
                    .any(|f| f.severity == "error")
            })
            .collect();
        if list.is_empty() {
            self.s("<p>None.</p>\n");
        } else {
            self.s("<ul>");
            for i in list {
                let a = &self.v.assessments[i];
                let _ = write!(self.out, "<li data-entry=\"{}\">", Text(&a.id));
                self.assessment_link(&a.id);
                self.s(": ");
                let codes: BTreeSet<&str> = a
                    .findings
                    .iter()
                    .filter(|f| f.severity == "error")
                    .map(|f| f.code.as_str())
                    .collect();
                for (k, code) in codes.into_iter().enumerate() {
                    if k > 0 {
                        self.s(", ");
                    }
                    let _ = write!(self.out, "<code>{}</code>", Text(code));
                }
                self.s("</li>");
            }
            self.s("</ul>\n");
        }
        self.s("</section>\n</section>\n");
    }
}
