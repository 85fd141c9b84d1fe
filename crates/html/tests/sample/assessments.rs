//! One synthetic assessment of a council: its published grades with their sources, and the
//! verdict, findings, allowed and implied grades and alternatives chosen to look like the
//! checker's for the kind asked for.

use ratings_html::*;

use super::rule_sets::{frameworks_for, judgement, Fw, J, R};
use super::{slug, Rng};

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

pub(super) struct Council {
    pub(super) name: String,
    pub(super) code: String,
}

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Kind {
    Consistent,
    Unverifiable,
    Inconsistent,
    Undecided,
    Conflict,
}

/// Builds one assessment of `c` in `year` (and on `date` for a dated inspection).
pub(super) fn assessment(
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
