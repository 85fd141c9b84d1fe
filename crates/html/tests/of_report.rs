//! The page of a real check: a small record file checked with the shipped rules, its view
//! snapshotted as JSON, and the rendered page checked for what it must and must not hold.

use ratings_check::{check, read_toml, CheckOptions, Report};
use ratings_core::SourceText;
use ratings_html::{render, view_of, About, ReportView};

fn small() -> (ReportView, Report) {
    let book = ratings_rules::book().expect("the shipped rules load");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/small.toml");
    let text = std::fs::read_to_string(path).expect("the fixture reads");
    let records = SourceText::new("fixtures/small.toml", text);
    let report = check(book, &[read_toml(&records)], &CheckOptions::default());
    let about = About {
        title: "ratings audit of fixtures/small.toml".to_owned(),
        generated: "ratings (test), shipped rules".to_owned(),
        rules_name: "shipped rules".to_owned(),
        through_year: Some(2026),
    };
    (view_of(book, &report, about), report)
}

#[test]
fn the_view_of_a_small_check() {
    let (view, _) = small();
    let mut json = serde_json::to_value(&view).expect("the view serializes");
    // The rule sets and rules are the shipped rules' own (docs/frameworks.md shows them);
    // counted here, not repeated in the snapshot.
    let frameworks = json["frameworks"].as_array().map_or(0, Vec::len);
    let rules = json["rules"].as_array().map_or(0, Vec::len);
    assert_eq!(
        frameworks,
        ratings_rules::book().expect("rules").rule_sets().len()
    );
    assert!(rules > 0);
    json["frameworks"] = serde_json::Value::from(frameworks);
    json["rules"] = serde_json::Value::from(rules);
    insta::assert_json_snapshot!("small_view", json);
}

#[test]
fn the_view_agrees_with_the_check() {
    let (view, report) = small();
    let summary = serde_json::to_value(ratings_check::json::SummaryJson::from(&report.summary))
        .expect("summary");
    assert_eq!(
        serde_json::to_value(view.summary).expect("summary"),
        summary
    );
    assert_eq!(view.assessments.len(), report.results.len());
    let mut ids: Vec<&str> = view.assessments.iter().map(|a| a.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(
        ids.len(),
        view.assessments.len(),
        "assessment ids are unique"
    );
    // Every rule an assessment or graph names is on the page, once.
    let mut rule_ids: Vec<&str> = view.rules.iter().map(|r| r.id.as_str()).collect();
    rule_ids.sort_unstable();
    let before = rule_ids.len();
    rule_ids.dedup();
    assert_eq!(rule_ids.len(), before, "rule ids are unique");
    for assessment in &view.assessments {
        for finding in &assessment.findings {
            if let Some(rule) = &finding.rule {
                assert!(rule_ids.binary_search(&rule.as_str()).is_ok(), "{rule}");
            }
        }
    }
    for framework in &view.frameworks {
        for edge in &framework.graph.edges {
            assert!(
                rule_ids.binary_search(&edge.rule.as_str()).is_ok(),
                "{}",
                edge.rule
            );
        }
    }
    let broken = view
        .rules
        .iter()
        .find(|r| r.id == "apa.enjoying-and-achieving-caps-overall")
        .expect("the broken rule");
    assert_eq!(broken.contradicts, 1);
    assert_eq!(broken.counter_examples, ["leicester-2008"]);
}

#[test]
fn the_page_loads_nothing_from_outside() {
    let (view, _) = small();
    let page = render(&view);
    assert!(
        page.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';")
    );
    for reference in [
        " src=",
        "<link rel=\"stylesheet\"",
        "@import",
        "<iframe",
        "<img",
        "<object",
        "<embed",
    ] {
        assert!(!page.contains(reference), "the page holds `{reference}`");
    }
    // `url(` only for the graphs' own arrowheads.
    assert_eq!(page.matches("url(").count(), page.matches("url(#").count());
    // The only `<link>` is the empty icon, and every address is a link to follow, never a
    // resource to load.
    assert_eq!(page.matches("<link ").count(), 1);
    assert!(page.contains("<link rel=\"icon\" href=\"data:,\">"));
    for (at, _) in page.match_indices("href=\"") {
        let target = &page[at + 6..];
        assert!(
            target.starts_with('#')
                || target.starts_with("http://")
                || target.starts_with("https://")
                || target.starts_with("data:,\""),
            "{}",
            &target[..target.len().min(80)]
        );
    }
    assert!(
        page.contains("<a rel=\"noopener noreferrer\" href=\"https://example.org/leeds-2010\">")
    );
}

#[test]
fn the_page_shows_each_assessment_and_count() {
    let (view, _) = small();
    let page = render(&view);
    for assessment in &view.assessments {
        assert_eq!(
            page.matches(&format!("data-assessment-id=\"{}\"", assessment.id))
                .count(),
            1,
            "{}",
            assessment.id
        );
        assert_eq!(
            page.matches(&format!("data-cell-assessment=\"{}\"", assessment.id))
                .count(),
            1,
            "{}",
            assessment.id
        );
    }
    let summary = serde_json::to_value(view.summary).expect("summary");
    for (key, value) in summary.as_object().expect("an object") {
        assert!(
            page.contains(&format!("data-count=\"{key}\">{value}<")),
            "{key} = {value}"
        );
    }
}
