//! `wanted`: the unpublished grades that would test the most unverifiable assessments, a list
//! of grades to go and find.

use std::collections::BTreeMap;

use crate::result::Report;

/// A grade that is not published but would let rules test assessments if it were.
#[derive(Debug)]
pub struct Wanted {
    /// The judgement.
    pub judgement: String,
    /// How many unverifiable assessments it would test.
    pub assessments: usize,
    /// The rules that would test them.
    pub rules: Vec<String>,
    /// The assessments, as `authority period`.
    pub examples: Vec<String>,
}

/// Over a report: the unpublished grades that would test the most unverifiable assessments,
/// most first.
pub fn wanted(report: &Report) -> Vec<Wanted> {
    let mut by_judgement: BTreeMap<String, Wanted> = BTreeMap::new();
    for result in &report.results {
        for item in &result.would_test {
            let entry = by_judgement
                .entry(item.judgement.clone())
                .or_insert_with(|| Wanted {
                    judgement: item.judgement.clone(),
                    assessments: 0,
                    rules: Vec::new(),
                    examples: Vec::new(),
                });
            entry.assessments += 1;
            for rule in &item.rules {
                if !entry.rules.contains(rule) {
                    entry.rules.push(rule.clone());
                }
            }
            entry
                .examples
                .push(format!("{} {}", result.name(), result.period()));
        }
    }
    let mut list: Vec<Wanted> = by_judgement.into_values().collect();
    list.sort_by(|a, b| {
        b.assessments
            .cmp(&a.assessments)
            .then(a.judgement.cmp(&b.judgement))
    });
    list
}

/// The wanted grades as text.
pub fn wanted_human(list: &[Wanted]) -> String {
    if list.is_empty() {
        return "no unpublished grade would test any unverifiable assessment\n".to_owned();
    }
    let mut out = String::new();
    for item in list {
        let rules: Vec<String> = item.rules.iter().map(|r| format!("`{r}`")).collect();
        out.push_str(&format!(
            "{}: would test {} ({}), for example {}\n",
            item.judgement,
            if item.assessments == 1 {
                "1 assessment".to_owned()
            } else {
                format!("{} assessments", item.assessments)
            },
            rules.join(", "),
            item.examples
                .iter()
                .take(3)
                .cloned()
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    out
}

/// The wanted grades as CSV: `judgement,assessments,rules,assessments_list`.
pub fn wanted_csv(list: &[Wanted]) -> String {
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(["judgement", "assessments", "rules", "examples"]);
    for item in list {
        let _ = writer.write_record([
            crate::output::spreadsheet_safe(&item.judgement),
            item.assessments.to_string(),
            item.rules.join(" "),
            crate::output::spreadsheet_safe(&item.examples.join("; ")),
        ]);
    }
    String::from_utf8_lossy(&writer.into_inner().unwrap_or_default()).into_owned()
}
