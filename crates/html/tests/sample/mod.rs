//! Synthetic views for tests, screenshots and size and speed checks: [`sample`] (a few
//! fictional councils across 2005-2011 and dated inspections, every part of the page used),
//! [`large`] (about 1,000 assessments over 130 fictional councils and 10 rule sets) and
//! [`hostile`] (strings that try to break out of the markup).
//!
//! The councils, grades, sources and addresses are invented: the rule ids and texts of
//! 2005-2011 follow the shipped rules, the `sif-2013` and `ilacs-2018` rule sets are made up
//! for the sample. Nothing here is evaluated: verdicts and findings are chosen to look like
//! the checker's. Deterministic: the same call gives the same view.

use ratings_html::*;

const GRADE: &[&str] = &[
    "inadequate (1)",
    "adequate (2)",
    "good (3)",
    "outstanding (4)",
];
const RATING: &[&str] = &[
    "performs poorly (1)",
    "performs adequately (2)",
    "performs well (3)",
    "performs excellently (4)",
];
const STARS: &[&str] = &[
    "0 stars (0)",
    "1 star (1)",
    "2 stars (2)",
    "3 stars (3)",
    "4 stars (4)",
];
const FINDING: &[&str] = &["no (0)", "yes (1)"];
const OFSTED4: &[&str] = &[
    "inadequate (1)",
    "requires improvement to be good (2)",
    "good (3)",
    "outstanding (4)",
];

struct J {
    id: &'static str,
    title: &'static str,
    latent: bool,
    scale: &'static [&'static str],
}

struct R {
    id: &'static str,
    text: &'static str,
    usually: bool,
    basis: &'static str,
    cite: (&'static str, &'static str, &'static str, &'static str),
    reads: &'static [&'static str],
    target: &'static str,
}

struct Fw {
    id: &'static str,
    title: &'static str,
    period: &'static str,
    years: (i64, i64),
    dated: bool,
    judgements: &'static [J],
    rules: &'static [R],
}

const fn j(id: &'static str, title: &'static str, scale: &'static [&'static str]) -> J {
    J {
        id,
        title,
        latent: false,
        scale,
    }
}

const fn latent(id: &'static str, title: &'static str, scale: &'static [&'static str]) -> J {
    J {
        id,
        title,
        latent: true,
        scale,
    }
}

const OUTCOMES_APA: [&str; 5] = [
    "apa.being_healthy",
    "apa.staying_safe",
    "apa.enjoying_and_achieving",
    "apa.making_a_positive_contribution",
    "apa.achieving_economic_wellbeing",
];

static FRAMEWORKS: &[Fw] = &[
    Fw {
        id: "apa-2005",
        title: "Annual performance assessment 2005",
        period: "2005",
        years: (2005, 2005),
        dated: false,
        judgements: &[
            j("apa.overall_effectiveness", "Children's services (overall)", GRADE),
            j("apa.education", "Education", GRADE),
            j("apa.social_care", "Children's social care", GRADE),
            j("apa.capacity_to_improve", "Capacity to improve", GRADE),
        ],
        rules: &[],
    },
    Fw {
        id: "apa-2006",
        title: "Annual performance assessment 2006",
        period: "2006",
        years: (2006, 2006),
        dated: false,
        judgements: &[
            j("apa.overall_effectiveness", "Children's services (overall)", GRADE),
            j("apa.capacity_to_improve", "Capacity to improve", GRADE),
            j("apa.social_care", "Children's social care", GRADE),
            j("apa.being_healthy", "Being healthy", GRADE),
            j("apa.staying_safe", "Staying safe", GRADE),
            j("apa.enjoying_and_achieving", "Enjoying and achieving", GRADE),
            j("apa.making_a_positive_contribution", "Making a positive contribution", GRADE),
            j("apa.achieving_economic_wellbeing", "Achieving economic well-being", GRADE),
        ],
        rules: &[],
    },
    Fw {
        id: "apa-2007",
        title: "Annual performance assessment 2007-2008",
        period: "2007\u{2013}2008",
        years: (2007, 2008),
        dated: false,
        judgements: &[
            j("apa.overall_effectiveness", "Overall effectiveness of children's services", GRADE),
            j("apa.being_healthy", "Being healthy", GRADE),
            j("apa.staying_safe", "Staying safe", GRADE),
            j("apa.enjoying_and_achieving", "Enjoying and achieving", GRADE),
            j("apa.making_a_positive_contribution", "Making a positive contribution", GRADE),
            j("apa.achieving_economic_wellbeing", "Achieving economic well-being", GRADE),
            j("apa.capacity_to_improve", "Capacity to improve, including the management of services for children and young people", GRADE),
        ],
        rules: &[
            R {
                id: "apa.enjoying-and-achieving-caps-overall",
                text: "an inadequate enjoying and achieving grade caps overall effectiveness at adequate",
                usually: false,
                basis: "reported",
                cite: ("Cabinet report on the APA findings (sample)", "Castleford Borough Council", "16 Feb 2009", "para 4.15"),
                reads: &["apa.enjoying_and_achieving"],
                target: "apa.overall_effectiveness",
            },
            R {
                id: "apa.staying-safe-caps-overall",
                text: "inferred from outcomes: an inadequate staying safe grade caps overall effectiveness at adequate",
                usually: false,
                basis: "inferred",
                cite: ("News reports of APA outcomes (sample)", "various", "Dec 2008", "APA, cap on staying safe"),
                reads: &["apa.staying_safe"],
                target: "apa.overall_effectiveness",
            },
            R {
                id: "apa.outstanding-needs-most-aspects",
                text: "an outstanding overall grade reflects that most aspects are outstanding, so when three or more of the five outcomes are at most good, overall is usually at most good",
                usually: true,
                basis: "guidance",
                cite: ("APA letter (sample)", "Ofsted", "17 Dec 2008", "paragraph beginning 'Performance is judged on a four point scale'"),
                reads: &OUTCOMES_APA,
                target: "apa.overall_effectiveness",
            },
        ],
    },
    Fw {
        id: "cpa-2005",
        title: "Comprehensive performance assessment 2005-2008",
        period: "2005\u{2013}2008",
        years: (2005, 2008),
        dated: false,
        judgements: &[
            j("cpa.children_and_young_people", "Children and young people service block score", GRADE),
            j("cpa.star_category", "CPA star category", STARS),
        ],
        rules: &[
            R {
                id: "cpa.children-score-is-apa-overall",
                text: "the children and young people score equals the APA overall grade of the same year",
                usually: false,
                basis: "guidance",
                cite: ("APA letter (sample)", "Ofsted", "17 Dec 2008", "last paragraph before the sign-off"),
                reads: &["apa.overall_effectiveness"],
                target: "cpa.children_and_young_people",
            },
            R {
                id: "cpa.children-score-one-caps-stars",
                text: "a children and young people score of 1 puts a council in the lowest star category it was given, 1 star",
                usually: false,
                basis: "reported",
                cite: ("Recruitment press article (sample)", "trade press", "2009", "CPA, second rule"),
                reads: &["cpa.children_and_young_people"],
                target: "cpa.star_category",
            },
        ],
    },
    Fw {
        id: "jar-2005",
        title: "Joint area review 2005-2006",
        period: "2005\u{2013}2006",
        years: (2005, 2006),
        dated: false,
        judgements: &[
            j("jar.being_healthy", "Being healthy", GRADE),
            j("jar.staying_safe", "Staying safe", GRADE),
            j("jar.enjoying_and_achieving", "Enjoying and achieving", GRADE),
            j("jar.making_a_positive_contribution", "Making a positive contribution", GRADE),
            j("jar.achieving_economic_wellbeing", "Achieving economic well-being", GRADE),
        ],
        rules: &[],
    },
    Fw {
        id: "jar-2007",
        title: "Joint area review 2007-2008",
        period: "2007\u{2013}2008",
        years: (2007, 2008),
        dated: false,
        judgements: &[
            j("jar.safeguarding", "Safeguarding", GRADE),
            j("jar.looked_after_children", "Looked after children", GRADE),
            j("jar.learning_difficulties_and_disabilities", "Learning difficulties and/or disabilities", GRADE),
            j("jar.service_management", "Service management", GRADE),
            j("jar.capacity_to_improve", "Capacity to improve", GRADE),
        ],
        rules: &[],
    },
    Fw {
        id: "rating-2009",
        title: "Children's services annual rating 2009",
        period: "2009",
        years: (2009, 2009),
        dated: false,
        judgements: &[
            j("rating.overall", "Children's services rating", RATING),
            latent("rating.profile", "Rating the performance profile gave before limiting judgements", RATING),
            j("unannounced.limiting_weakness", "Unannounced inspection of contact, referral and assessment found a limiting weakness", FINDING),
            j("slac.safeguarding", "Safeguarding and looked after children inspection: overall effectiveness of safeguarding", GRADE),
            j("slac.looked_after_children", "Safeguarding and looked after children inspection: overall effectiveness of services for looked after children", GRADE),
        ],
        rules: &[
            R {
                id: "rating.profile-limits-rating",
                text: "the rating is at most the rating the performance profile gave",
                usually: false,
                basis: "reported",
                cite: ("Annual rating methodology note (sample)", "Ofsted", "Dec 2009", "section 2"),
                reads: &["rating.profile"],
                target: "rating.overall",
            },
            R {
                id: "rating.2009-limiting-weakness-lowers-one-grade",
                text: "a limiting weakness found by an unannounced inspection lowers the profile's rating by one grade",
                usually: false,
                basis: "reported",
                cite: ("Annual rating methodology note (sample)", "Ofsted", "Dec 2009", "section 3"),
                reads: &["unannounced.limiting_weakness", "rating.profile"],
                target: "rating.overall",
            },
            R {
                id: "rating.2009-no-weakness-profile-stands",
                text: "with no limiting weakness and safeguarding at least adequate, the profile's rating stands",
                usually: false,
                basis: "reported",
                cite: ("Annual rating methodology note (sample)", "Ofsted", "Dec 2009", "section 3"),
                reads: &["unannounced.limiting_weakness", "slac.safeguarding", "rating.profile"],
                target: "rating.overall",
            },
            R {
                id: "rating.safeguarding-inadequate-means-poorly",
                text: "inadequate safeguarding in a safeguarding and looked after children inspection means the council performs poorly",
                usually: false,
                basis: "reported",
                cite: ("Annual rating methodology note (sample)", "Ofsted", "Dec 2009", "section 4"),
                reads: &["slac.safeguarding"],
                target: "rating.overall",
            },
        ],
    },
    Fw {
        id: "rating-2010",
        title: "Children's services annual rating 2010-2011",
        period: "2010\u{2013}2011",
        years: (2010, 2011),
        dated: false,
        judgements: &[
            j("rating.overall", "Children's services rating", RATING),
            latent("rating.profile", "Rating the performance profile gave before limiting judgements", RATING),
            j("unannounced.priority_action", "Unannounced inspection of contact, referral and assessment found an area for priority action", FINDING),
            j("slac.safeguarding", "Safeguarding and looked after children inspection: overall effectiveness of safeguarding", GRADE),
            j("slac.looked_after_children", "Safeguarding and looked after children inspection: overall effectiveness of services for looked after children", GRADE),
        ],
        rules: &[
            R {
                id: "rating-2010.profile-limits-rating",
                text: "the rating is at most the rating the performance profile gave",
                usually: false,
                basis: "reported",
                cite: ("Annual rating methodology note (sample)", "Ofsted", "Dec 2010", "section 2"),
                reads: &["rating.profile"],
                target: "rating.overall",
            },
            R {
                id: "rating.priority-action-means-poorly",
                text: "an area for priority action found by an unannounced inspection means the council performs poorly",
                usually: false,
                basis: "reported",
                cite: ("Annual rating methodology note (sample)", "Ofsted", "Dec 2010", "section 3"),
                reads: &["unannounced.priority_action"],
                target: "rating.overall",
            },
            R {
                id: "rating-2010.safeguarding-inadequate-means-poorly",
                text: "inadequate safeguarding in a safeguarding and looked after children inspection means the council performs poorly",
                usually: false,
                basis: "reported",
                cite: ("Annual rating methodology note (sample)", "Ofsted", "Dec 2010", "section 4"),
                reads: &["slac.safeguarding"],
                target: "rating.overall",
            },
        ],
    },
    Fw {
        id: "sif-2013",
        title: "Single inspection framework (sample rule set)",
        period: "2013-11-01 to 2017-12-31",
        years: (2013, 2017),
        dated: true,
        judgements: &[
            j("sif.overall", "Overall effectiveness", OFSTED4),
            j("sif.help_and_protection", "Children who need help and protection", OFSTED4),
            j("sif.looked_after", "Children looked after and achieving permanence", OFSTED4),
            j("sif.leadership", "Leadership, management and governance", OFSTED4),
        ],
        rules: &[R {
            id: "sif.inadequate-key-judgement-caps-overall",
            text: "an inadequate grade for help and protection makes overall effectiveness inadequate",
            usually: false,
            basis: "guidance",
            cite: ("Inspection framework (sample)", "Ofsted", "Nov 2013", "para 25"),
            reads: &["sif.help_and_protection"],
            target: "sif.overall",
        }],
    },
    Fw {
        id: "ilacs-2018",
        title: "Inspection of local authority children's services (sample rule set)",
        period: "2018-01-01 to 2026-03-31",
        years: (2018, 2026),
        dated: true,
        judgements: &[
            j("ilacs.overall", "Overall effectiveness", OFSTED4),
            j("ilacs.leaders", "The impact of leaders on social work practice with children and families", OFSTED4),
            j("ilacs.help_and_protection", "The experiences and progress of children who need help and protection", OFSTED4),
            j("ilacs.children_in_care", "The experiences and progress of children in care", OFSTED4),
            latent("ilacs.lowest_area", "The lowest of the three area grades", OFSTED4),
        ],
        rules: &[
            R {
                id: "ilacs.lowest-area-is-minimum",
                text: "the lowest area grade is the minimum of the three area grades",
                usually: false,
                basis: "inferred",
                cite: ("Definition (sample)", "ratings", "", "by definition"),
                reads: &["ilacs.leaders", "ilacs.help_and_protection", "ilacs.children_in_care"],
                target: "ilacs.lowest_area",
            },
            R {
                id: "ilacs.leaders-inadequate-caps-overall",
                text: "when the impact of leaders is inadequate, overall effectiveness is inadequate",
                usually: false,
                basis: "guidance",
                cite: ("Inspection handbook (sample)", "Ofsted", "2018", "para 62"),
                reads: &["ilacs.leaders"],
                target: "ilacs.overall",
            },
            R {
                id: "ilacs.overall-near-lowest-area",
                text: "overall effectiveness is usually no more than one grade above the lowest area grade",
                usually: true,
                basis: "inferred",
                cite: ("Published ILACS outcomes (sample)", "Ofsted", "2018-2025", "all judgements"),
                reads: &["ilacs.lowest_area"],
                target: "ilacs.overall",
            },
        ],
    },
];

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

fn frameworks_for(year: i64, dated: bool) -> Vec<&'static Fw> {
    FRAMEWORKS
        .iter()
        .filter(|f| f.dated == dated && f.years.0 <= year && year <= f.years.1)
        .collect()
}

fn judgement(id: &str) -> &'static J {
    FRAMEWORKS
        .iter()
        .flat_map(|f| f.judgements.iter())
        .find(|j| j.id == id)
        .expect("sample judgement")
}

fn framework_views() -> Vec<FrameworkView> {
    FRAMEWORKS
        .iter()
        .map(|f| {
            let mut nodes: Vec<NodeView> = f
                .judgements
                .iter()
                .map(|j| NodeView {
                    id: j.id.into(),
                    label: j.id.into(),
                    latent: j.latent,
                })
                .collect();
            let mut edges = Vec::new();
            for r in f.rules {
                for &from in r.reads.iter() {
                    for id in [from, r.target] {
                        if !nodes.iter().any(|n| n.id == id) {
                            nodes.push(NodeView {
                                id: id.into(),
                                label: id.into(),
                                latent: judgement(id).latent,
                            });
                        }
                    }
                    edges.push(EdgeView {
                        from: from.into(),
                        to: r.target.into(),
                        rule: r.id.into(),
                        usually: r.usually,
                    });
                }
            }
            FrameworkView {
                id: f.id.into(),
                title: f.title.into(),
                period: f.period.into(),
                rules_in_force: None,
                judgements: f
                    .judgements
                    .iter()
                    .map(|j| JudgementView {
                        id: j.id.into(),
                        title: j.title.into(),
                        latent: j.latent,
                    })
                    .collect(),
                graph: GraphView { nodes, edges },
            }
        })
        .collect()
}

fn headline(fws: &[&Fw], published: &[PublishedView]) -> Option<String> {
    let pick = |id: &str| published.iter().find(|p| p.judgement == id);
    let short = |label: &str| label.split(" (").next().unwrap_or(label).to_string();
    let ids = fws.iter().map(|f| f.id).collect::<Vec<_>>();
    if ids.iter().any(|f| f.starts_with("ilacs")) {
        return pick("ilacs.overall").map(|p| {
            format!(
                "ILACS: {}",
                short(&p.label).replace("requires improvement to be good", "req. improvement")
            )
        });
    }
    if ids.iter().any(|f| f.starts_with("sif")) {
        return pick("sif.overall").map(|p| {
            format!(
                "SIF: {}",
                short(&p.label).replace("requires improvement to be good", "req. improvement")
            )
        });
    }
    if let Some(p) = pick("rating.overall") {
        return Some(format!(
            "rating: {}",
            short(&p.label).trim_start_matches("performs ")
        ));
    }
    if let Some(p) = pick("apa.overall_effectiveness") {
        return Some(format!("APA: {}", short(&p.label)));
    }
    if let Some(p) = pick("cpa.children_and_young_people") {
        return Some(format!("CPA CYP: {}", short(&p.label)));
    }
    pick("jar.safeguarding")
        .or_else(|| pick("jar.staying_safe"))
        .map(|p| format!("JAR: {}", short(&p.label)))
}

struct Council {
    name: String,
    code: String,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Consistent,
    Unverifiable,
    Inconsistent,
    Undecided,
    Conflict,
}

/// Builds one assessment of `c` in `year` (and on `date` for a dated inspection).
fn assessment(
    c: &Council,
    year: i64,
    date: Option<String>,
    kind: Kind,
    rng: &mut Rng,
    n_doc: &mut usize,
) -> AssessmentView {
    let fws = frameworks_for(year, date.is_some());
    let all: Vec<&J> = {
        let mut v: Vec<&J> = Vec::new();
        for f in &fws {
            for j in f.judgements {
                if !v.iter().any(|x| x.id == j.id) {
                    v.push(j);
                }
            }
        }
        v
    };
    let rules: Vec<&R> = fws.iter().flat_map(|f| f.rules.iter()).collect();
    let musts: Vec<&R> = rules.iter().copied().filter(|r| !r.usually).collect();
    let kind = if musts.is_empty() && matches!(kind, Kind::Consistent | Kind::Inconsistent) {
        Kind::Unverifiable
    } else {
        kind
    };
    let base = 1 + rng.below(3);
    let mut published: Vec<PublishedView> = Vec::new();
    let mut values: Vec<(&str, usize)> = Vec::new();
    let doc_no = *n_doc;
    *n_doc += 1;
    let when = date.clone().unwrap_or_else(|| year.to_string());
    let doc = if date.is_some() {
        format!("Inspection report, {} ({when}) (sample)", c.name)
    } else {
        format!("Annual assessment letter to {}, {when} (sample)", c.name)
    };
    let file = format!("corpus/published/{}.csv", slug(&c.name));
    for (k, jd) in all.iter().enumerate() {
        if jd.latent || (k > 0 && rng.chance(35)) {
            continue;
        }
        let v = (base + rng.below(2)).min(jd.scale.len() - 1);
        values.push((jd.id, v));
        published.push(PublishedView {
            judgement: jd.id.into(),
            judgement_title: jd.title.into(),
            value: v as i64,
            label: jd.scale[v].into(),
            document_title: doc.clone(),
            locator: format!("para {}", 2 + k),
            url: (doc_no % 3 != 0).then(|| {
                format!(
                    "https://reports.example.org/{}/{}",
                    slug(&c.name),
                    slug(&when)
                )
            }),
            file: file.clone(),
            line: 2 + doc_no % 400,
        });
    }
    let mut findings = Vec::new();
    let mut allowed: Vec<GradeSet> = all
        .iter()
        .map(|jd| GradeSet {
            judgement: jd.id.into(),
            labels: match values.iter().find(|(id, _)| *id == jd.id) {
                Some((_, v)) => vec![jd.scale[*v].into()],
                None => jd.scale.iter().map(|s| s.to_string()).collect(),
            },
        })
        .collect();
    let mut implied = Vec::new();
    let mut would_test = Vec::new();
    let mut alternatives = Vec::new();
    let mut support = "independent";
    let verdict = match kind {
        Kind::Inconsistent | Kind::Conflict if !musts.is_empty() => {
            let r = musts[rng.below(musts.len())];
            // Make the published grades break it: the read judgement low, the target high.
            let mut evidence = Vec::new();
            for id in r.reads.iter().chain(std::iter::once(&r.target)) {
                let jd = judgement(id);
                if jd.latent {
                    continue;
                }
                let v = if *id == r.target {
                    2.min(jd.scale.len() - 1)
                } else if jd.scale.len() == 2 {
                    1
                } else {
                    0
                };
                match published.iter_mut().find(|p| p.judgement == *id) {
                    Some(p) => {
                        p.value = v as i64;
                        p.label = jd.scale[v].into();
                    }
                    None => published.push(PublishedView {
                        judgement: jd.id.into(),
                        judgement_title: jd.title.into(),
                        value: v as i64,
                        label: jd.scale[v].into(),
                        document_title: doc.clone(),
                        locator: "summary table".into(),
                        url: None,
                        file: file.clone(),
                        line: 2 + doc_no % 400,
                    }),
                }
                if let Some(a) = allowed.iter_mut().find(|a| a.judgement == *id) {
                    a.labels = if *id == r.target {
                        jd.scale[..1].iter().map(|s| s.to_string()).collect()
                    } else {
                        jd.scale[1..].iter().map(|s| s.to_string()).collect()
                    };
                }
                evidence.push(format!("{id} = {}", jd.scale[v]));
            }
            if kind == Kind::Conflict {
                let p = published.iter().find(|p| p.judgement == r.target).cloned();
                if let Some(p) = p {
                    let jd = judgement(&p.judgement);
                    alternatives.push(AlternativeView {
                        judgement: p.judgement.clone(),
                        value_label: jd.scale[0].into(),
                        source: format!("Local newspaper report, {when} (sample)"),
                        verdict: Some("consistent".into()),
                    });
                    findings.push(FindingView {
                        support: None,
                        code: "conflicting-sources".into(),
                        severity: "warning".into(),
                        message: format!(
                            "two sources give {} different grades: {} and {}",
                            p.judgement, p.label, jd.scale[0]
                        ),
                        rule: None,
                        evidence: vec![
                            format!("{} = {}", p.judgement, p.label),
                            format!("{} = {}", p.judgement, jd.scale[0]),
                        ],
                    });
                }
            }
            findings.insert(
                0,
                FindingView {
                    support: None,
                    code: "rule-broken".into(),
                    severity: "error".into(),
                    message: format!(
                        "the published grades {} break `{}`: {}",
                        evidence.join(", "),
                        r.id,
                        r.text
                    ),
                    rule: Some(r.id.into()),
                    evidence,
                },
            );
            if rng.chance(30) {
                support = "circular";
            }
            "inconsistent"
        }
        Kind::Undecided => {
            findings.push(FindingView {
                support: None,
                code: "budget-exceeded".into(),
                severity: "warning".into(),
                message: "the search ran out of its node budget before deciding; raise --budget to decide".into(),
                rule: None,
                evidence: Vec::new(),
            });
            support = "none";
            "undecided"
        }
        Kind::Consistent | Kind::Inconsistent | Kind::Conflict => {
            let r = musts[rng.below(musts.len())];
            let jd = judgement(r.target);
            if !values.iter().any(|(id, _)| *id == r.target) && !jd.latent {
                implied.push(GradeSet {
                    judgement: r.target.into(),
                    labels: jd.scale[..2].iter().map(|s| s.to_string()).collect(),
                });
                findings.push(FindingView {
                    support: None,
                    code: "implied-grade".into(),
                    severity: "info".into(),
                    message: format!(
                        "the published grades imply {} is {} or {}",
                        r.target, jd.scale[0], jd.scale[1]
                    ),
                    rule: Some(r.id.into()),
                    evidence: values
                        .iter()
                        .take(2)
                        .map(|(id, v)| format!("{id} = {}", judgement(id).scale[*v]))
                        .collect(),
                });
            }
            if rng.chance(25) {
                support = "circular";
            }
            "consistent"
        }
        Kind::Unverifiable => {
            findings.push(FindingView {
                support: None,
                code: "unverifiable".into(),
                severity: "info".into(),
                message: "any grades whatever for the published judgements would pass the rules, so the check says nothing about them".into(),
                rule: None,
                evidence: Vec::new(),
            });
            for r in &musts {
                for id in r.reads.iter().chain(std::iter::once(&r.target)) {
                    if !judgement(id).latent
                        && !values.iter().any(|(x, _)| x == id)
                        && !would_test
                            .iter()
                            .any(|w: &WouldTestView| w.judgement == *id)
                    {
                        would_test.push(WouldTestView {
                            judgement: id.to_string(),
                            rules: musts
                                .iter()
                                .filter(|m| m.target == *id || m.reads.contains(id))
                                .map(|m| m.id.to_string())
                                .collect(),
                        });
                    }
                }
            }
            support = "none";
            "unverifiable"
        }
    };
    let headline = headline(&fws, &published);
    let id = match &date {
        Some(d) => format!("{}-{d}", slug(&c.name)),
        None => format!("{}-{year}", slug(&c.name)),
    };
    AssessmentView {
        id,
        authority: c.name.clone(),
        la_code: c.code.clone(),
        kind: "authority".to_owned(),
        inspection: None,
        attributes: Default::default(),
        basis: None,
        year,
        date,
        frameworks: fws.iter().map(|f| f.id.to_string()).collect(),
        verdict: verdict.into(),
        support: support.into(),
        headline,
        published,
        findings,
        allowed,
        implied,
        would_test,
        alternatives,
    }
}

fn rule_views(assessments: &[AssessmentView]) -> Vec<RuleView> {
    let mut out = Vec::new();
    for f in FRAMEWORKS {
        for r in f.rules {
            let in_force: Vec<&AssessmentView> = assessments
                .iter()
                .filter(|a| a.frameworks.iter().any(|x| x == f.id))
                .collect();
            let tested: Vec<&&AssessmentView> = in_force
                .iter()
                .filter(|a| {
                    a.published
                        .iter()
                        .any(|p| p.judgement == r.target || r.reads.contains(&p.judgement.as_str()))
                        && a.verdict != "unverifiable"
                })
                .collect();
            let counter: Vec<String> = in_force
                .iter()
                .filter(|a| {
                    a.findings
                        .iter()
                        .any(|x| x.code == "rule-broken" && x.rule.as_deref() == Some(r.id))
                })
                .map(|a| a.id.clone())
                .collect();
            let supports: Vec<&&&AssessmentView> = tested
                .iter()
                .filter(|a| a.verdict == "consistent")
                .collect();
            out.push(RuleView {
                id: r.id.into(),
                rule_set: f.id.into(),
                period: f.period.into(),
                text: r.text.into(),
                strength: if r.usually { "usually" } else { "must" }.into(),
                basis: r.basis.into(),
                cites: vec![CiteView {
                    title: r.cite.0.into(),
                    publisher: r.cite.1.into(),
                    date: r.cite.2.into(),
                    url: (r.basis != "inferred")
                        .then(|| format!("https://sources.example.org/{}", slug(r.id))),
                    locator: r.cite.3.into(),
                }],
                tested: tested.len(),
                independent_supports: supports
                    .iter()
                    .filter(|a| a.support == "independent")
                    .count(),
                circular_supports: supports.iter().filter(|a| a.support == "circular").count(),
                contradicts: counter.len(),
                counter_examples: counter,
            });
        }
    }
    out
}

fn summary(assessments: &[AssessmentView], files: usize, rejected: usize) -> Summary {
    let records: usize = assessments.iter().map(|a| a.published.len()).sum::<usize>() + rejected;
    let n = |v: &str| assessments.iter().filter(|a| a.verdict == v).count();
    Summary {
        files,
        unreadable_files: 1,
        skipped_files: 0,
        ignored_columns: 0,
        records,
        checked: records - rejected,
        rejected,
        assessments: assessments.len(),
        consistent: n("consistent"),
        inconsistent: n("inconsistent"),
        unverifiable: n("unverifiable"),
        undecided: n("undecided"),
        disputed: n("disputed"),
        conflicts: assessments
            .iter()
            .filter(|a| !a.alternatives.is_empty())
            .count(),
        not_graded: 0,
        consistent_independent: n("consistent"),
        consistent_circular: 0,
        consistent_unregistered: 0,
        with_errors: n("inconsistent"),
    }
}

fn problems() -> Vec<ProblemView> {
    vec![
        ProblemView {
            code: "unknown-judgement".into(),
            severity: "error".into(),
            message: "`apa.overal_effectiveness` is not a judgement of the rule sets of 2007; did you mean `apa.overall_effectiveness`?".into(),
            file: "corpus/published/apa.csv".into(),
            line: Some(41),
            column: Some(14),
        },
        ProblemView {
            code: "bad-grade".into(),
            severity: "error".into(),
            message: "`<script>alert(1)</script>` is not a grade of the scale `grade` (expected 1 to 4 or a label)".into(),
            file: "corpus/published/apa.csv".into(),
            line: Some(57),
            column: Some(30),
        },
        ProblemView {
            code: "unreadable-file".into(),
            severity: "error".into(),
            message: "stream did not contain valid UTF-8".into(),
            file: "corpus/published/old-export.csv".into(),
            line: None,
            column: None,
        },
    ]
}

fn councils(names: &[(&str, &str)]) -> Vec<Council> {
    names
        .iter()
        .map(|(n, c)| Council {
            name: n.to_string(),
            code: c.to_string(),
        })
        .collect()
}

/// A realistic small view: eight fictional councils, 2005-2011 and dated inspections from
/// 2014 to 2025, with every verdict, conflicting sources, rejected input and all rule sets.
pub fn sample() -> ReportView {
    let cs = councils(&[
        ("Ashby", "S01"),
        ("Brampton and Deane", "S02"),
        ("Castleford", "S03"),
        ("Dunmere", "S04"),
        ("East Marston", "S05"),
        ("Fairford", "S06"),
        ("Gresham", "S07"),
        ("Llanfair C\u{f4}te", "S08"),
    ]);
    let mut rng = Rng(0x5eed_1234_abcd_0017);
    let mut docs = 1;
    let mut out = Vec::new();
    for (ci, c) in cs.iter().enumerate() {
        for year in 2005..=2011 {
            let kind = match (ci, year) {
                (2, 2008) | (5, 2010) => Kind::Inconsistent,
                (1, 2007) => Kind::Conflict,
                (6, 2009) => Kind::Undecided,
                (_, 2005 | 2006) => Kind::Unverifiable,
                _ if rng.chance(30) => Kind::Unverifiable,
                _ => Kind::Consistent,
            };
            if ci == 7 && year == 2006 {
                continue;
            }
            out.push(assessment(c, year, None, kind, &mut rng, &mut docs));
        }
        let dates: &[&str] = match ci {
            0 => &["2015-03-12", "2019-06-20"],
            1 => &["2016-01-28", "2022-11-03"],
            2 => &["2014-09-04", "2018-10-11", "2023-02-16"],
            3 => &["2017-05-25", "2021-03-10"],
            4 => &["2019-12-05"],
            5 => &["2015-07-09", "2024-05-01"],
            6 => &["2018-02-22", "2025-01-30"],
            _ => &["2016-10-13"],
        };
        for d in dates {
            let year: i64 = d[..4].parse().unwrap_or(2018);
            let kind = if (ci, *d) == (3, "2021-03-10") {
                Kind::Inconsistent
            } else if rng.chance(25) {
                Kind::Unverifiable
            } else {
                Kind::Consistent
            };
            out.push(assessment(
                c,
                year,
                Some(d.to_string()),
                kind,
                &mut rng,
                &mut docs,
            ));
        }
    }
    out.sort_by(|a, b| (&a.authority, a.year, &a.date).cmp(&(&b.authority, b.year, &b.date)));
    let problems = problems();
    ReportView {
        title: "ratings audit of sample/ (synthetic data)".into(),
        generated: "ratings 0.2.0, rules: sample rules".into(),
        rules_name: "sample rules".into(),
        through_year: Some(2026),
        summary: summary(&out, 11, problems.len() - 1),
        frameworks: framework_views(),
        rules: rule_views(&out),
        assessments: out,
        problems,
    }
}

/// A large view for size and speed checks: 130 fictional councils, each with 2005-2011 (a few
/// years missing) and dated inspections, about 1,000 assessments in all, every judgement of
/// every rule set in force in `allowed`.
pub fn large() -> ReportView {
    let first = [
        "North", "South", "East", "West", "Upper", "Lower", "Greater", "Old", "New", "Great",
    ];
    let second = [
        "Ashby",
        "Brampton",
        "Castleford",
        "Dunmere",
        "Eastleigh",
        "Fairford",
        "Gresham",
        "Hartley",
        "Ingleby",
        "Kenwood",
        "Langley",
        "Marston",
        "Norbury",
        "Oakham",
        "Penrith",
        "Quinton",
        "Redcliffe",
    ];
    let mut cs = Vec::new();
    'outer: for b in second {
        for a in first {
            if cs.len() == 130 {
                break 'outer;
            }
            let n = cs.len() + 1;
            cs.push(Council {
                name: format!("{a} {b}"),
                code: format!("L{n:03}"),
            });
        }
    }
    let mut rng = Rng(0x1a26_e000_0000_1000);
    let mut docs = 1;
    let mut out = Vec::new();
    for c in &cs {
        for year in 2005..=2011 {
            if rng.chance(12) {
                continue;
            }
            let kind = match rng.below(100) {
                0..=5 => Kind::Inconsistent,
                6 => Kind::Undecided,
                7 => Kind::Conflict,
                8..=40 => Kind::Unverifiable,
                _ => Kind::Consistent,
            };
            out.push(assessment(c, year, None, kind, &mut rng, &mut docs));
        }
        for _ in 0..1 + rng.below(2) {
            let year = 2014 + rng.below(12) as i64;
            let date = format!("{year}-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28));
            if out
                .iter()
                .any(|a: &AssessmentView| a.authority == c.name && a.date.as_deref() == Some(&date))
            {
                continue;
            }
            let kind = if rng.chance(8) {
                Kind::Inconsistent
            } else if rng.chance(20) {
                Kind::Unverifiable
            } else {
                Kind::Consistent
            };
            out.push(assessment(c, year, Some(date), kind, &mut rng, &mut docs));
        }
    }
    out.sort_by(|a, b| (&a.authority, a.year, &a.date).cmp(&(&b.authority, b.year, &b.date)));
    let mut problems = problems();
    for k in 0..40 {
        problems.push(ProblemView {
            code: "bad-grade".into(),
            severity: "error".into(),
            message: format!("`{}` is not a grade of the scale `grade`", 5 + k % 4),
            file: format!("corpus/published/batch-{}.csv", k / 10),
            line: Some(10 + k),
            column: Some(7),
        });
    }
    // Pad the rule book to 60 rules with generated `usually` rules between judgements of
    // the same rule set, so the graphs are denser too.
    let mut frameworks = framework_views();
    let mut rules = rule_views(&out);
    let mut k = 0;
    while rules.len() < 60 {
        let fi = k % frameworks.len();
        k += 1;
        let f = &mut frameworks[fi];
        let n = f.judgements.len();
        if n < 3 {
            continue;
        }
        let from = rng.below(n - 1);
        let to = from + 1 + rng.below(n - 1 - from);
        let (a, b) = (f.judgements[from].id.clone(), f.judgements[to].id.clone());
        let id = format!("{}.generated-{}", f.id, rules.len() + 1);
        f.graph.edges.push(EdgeView {
            from: a.clone(),
            to: b.clone(),
            rule: id.clone(),
            usually: true,
        });
        rules.push(RuleView {
            id,
            rule_set: f.id.clone(),
            period: f.period.clone(),
            text: format!("generated for size checks: a low {a} usually goes with a low {b}"),
            strength: "usually".into(),
            basis: "inferred".into(),
            cites: vec![CiteView {
                title: "Generated rule (sample)".into(),
                publisher: "ratings".into(),
                date: String::new(),
                url: None,
                locator: String::new(),
            }],
            tested: rng.below(200),
            independent_supports: rng.below(50),
            circular_supports: rng.below(10),
            contradicts: 0,
            counter_examples: Vec::new(),
        });
    }
    ReportView {
        title: "ratings audit of generated/ (1,000 synthetic assessments)".into(),
        generated: "ratings 0.2.0, rules: sample rules".into(),
        rules_name: "sample rules".into(),
        through_year: Some(2026),
        summary: summary(&out, 140, problems.len() - 1),
        frameworks,
        rules,
        assessments: out,
        problems,
    }
}

/// Strings that try to break out of the markup: script tags, quotes in attributes, control
/// characters, bidirectional overrides, `javascript:` addresses, ids with spaces and quotes.
pub fn hostile() -> ReportView {
    let mut v = sample();
    let evil = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>";
    v.title = format!("audit {evil}");
    v.generated = format!("ratings \u{202e}0.2.0\u{202c} {evil}");
    v.rules_name = "rules/</style><script>alert(2)</script>".into();
    if let Some(a) = v.assessments.first_mut() {
        a.authority = format!("Ashby{evil}\u{0}\u{1b}[31m\u{7}\u{202e}dne");
        a.id = "ashby\" onmouseover=\"alert(3)".into();
        a.la_code = "S01'><svg onload=alert(4)>".into();
        a.headline = Some("</a><script>alert(5)</script>".into());
        if let Some(p) = a.published.first_mut() {
            p.document_title = format!("doc {evil}");
            p.url = Some("javascript:alert(6)".into());
            p.locator = "para \u{2066}4\u{2069}\u{85}".into();
            p.file = "../../etc/passwd\r\n<b>".into();
        }
        a.findings.push(FindingView {
            support: None,
            code: "rule-broken\"<".into(),
            severity: "error".into(),
            message: evil.into(),
            rule: Some("no.such-rule<script>".into()),
            evidence: vec![format!("x = {evil}")],
        });
    }
    if let Some(r) = v.rules.first_mut() {
        r.text = format!("text {evil}");
        r.cites[0].url = Some("https://example.org/\"onmouseover=alert(7)".into());
        r.cites[0].title = "</title><script>alert(8)</script>".into();
        r.counter_examples
            .push("ashby\" onmouseover=\"alert(3)".into());
    }
    if let Some(f) = v.frameworks.get_mut(2) {
        f.title = evil.to_string();
        if let Some(n) = f.graph.nodes.first_mut() {
            n.label = "</text><script>alert(9)</script>".into();
        }
    }
    v.problems.push(ProblemView {
        code: "bad\u{202e}code".into(),
        severity: "<error>".into(),
        message: evil.into(),
        file: "\"quoted\".csv".into(),
        line: Some(1),
        column: None,
    });
    v
}
