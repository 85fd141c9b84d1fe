//! The sample's rule sets: their scales, judgements and rules (those of 2005-2011 after the
//! shipped rules, `sif-2013` and `ilacs-2018` made up), and the views of them the page shows.

use ratings_html::*;

use super::slug;

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

pub(super) struct J {
    pub(super) id: &'static str,
    pub(super) title: &'static str,
    pub(super) latent: bool,
    pub(super) scale: &'static [&'static str],
}

pub(super) struct R {
    pub(super) id: &'static str,
    pub(super) text: &'static str,
    pub(super) usually: bool,
    pub(super) basis: &'static str,
    pub(super) cite: (&'static str, &'static str, &'static str, &'static str),
    pub(super) reads: &'static [&'static str],
    pub(super) target: &'static str,
}

pub(super) struct Fw {
    pub(super) id: &'static str,
    pub(super) title: &'static str,
    pub(super) period: &'static str,
    pub(super) years: (i64, i64),
    pub(super) dated: bool,
    pub(super) judgements: &'static [J],
    pub(super) rules: &'static [R],
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

pub(super) fn frameworks_for(year: i64, dated: bool) -> Vec<&'static Fw> {
    FRAMEWORKS
        .iter()
        .filter(|f| f.dated == dated && f.years.0 <= year && year <= f.years.1)
        .collect()
}

pub(super) fn judgement(id: &str) -> &'static J {
    FRAMEWORKS
        .iter()
        .flat_map(|f| f.judgements.iter())
        .find(|j| j.id == id)
        .expect("sample judgement")
}

pub(super) fn framework_views() -> Vec<FrameworkView> {
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

pub(super) fn rule_views(assessments: &[AssessmentView]) -> Vec<RuleView> {
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
