//! The column maps' own tests.

use super::*;
use read::parse_date;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn map(columns: &str) -> ColumnMap {
    let text = format!(
        "authority = \"la\"\ndate = {{ column = \"date\", format = \"%Y-%m-%d\" }}\nsource = {{ document = \"d\" }}\n[columns]\n{columns}"
    );
    ColumnMap::from_toml(&SourceText::new("map.toml", &text)).unwrap_or_else(|problems| {
        panic!(
            "{}",
            problems
                .iter()
                .map(Problem::render)
                .collect::<Vec<_>>()
                .join("\n")
        )
    })
}

#[test]
fn a_table_is_read_through_the_map_whose_layout_it_is() {
    let table = SourceText::new("t.csv", "la,date,overall\nLeeds,2020-01-01,good\n");
    // Names every column of the table, but needs one the table lacks.
    let wider =
        map("overall = \"ilacs.overall_effectiveness\"\nleaders = \"ilacs.impact_of_leaders\"\n");
    let exact = map("overall = \"ilacs.overall_effectiveness\"\n");
    let other = map("grade = \"sif.overall_effectiveness\"\n");
    let maps = [wider.clone(), exact.clone(), other.clone()];
    let chosen = ColumnMap::choose(&maps, &table).map(|m| m.columns.clone());
    assert_eq!(chosen, Some(exact.columns.clone()));
    // No map's layout: the one naming most of the header's columns, the first on a tie.
    let maps = [other.clone(), wider.clone()];
    let chosen = ColumnMap::choose(&maps, &table).map(|m| m.columns.clone());
    assert_eq!(chosen, Some(wider.columns.clone()));
    // A table that fits no map (here: none of its judgement columns) gets none, and one
    // problem saying what the map looked for, not one per column.
    let alone = std::slice::from_ref(&other);
    assert!(ColumnMap::choose(alone, &table).is_none());
    let problem = ColumnMap::fits_none(alone, &table);
    assert!(
        problem
            .message
            .contains("reads 1 judgement column and finds 0 of them on line 1"),
        "{}",
        problem.message
    );
}

#[test]
fn every_shipped_map_loads() {
    for name in ratings_rules::map_names() {
        let text = ratings_rules::map(name).expect("a shipped map");
        if let Err(problems) = ColumnMap::from_toml(&text) {
            let rendered: Vec<String> = problems.iter().map(Problem::render).collect();
            panic!("{}", rendered.join("\n"));
        }
    }
}

#[test]
fn header_cells_are_compared_by_their_words() {
    let mut with_prefix = map("\"Overall effectiveness\" = \"ilacs.overall_effectiveness\"\n");
    with_prefix.strip_prefix = vec!["Latest full inspection".to_owned()];
    for (cell, reads) in [
        ("Overall effectiveness", true),
        ("overall  EFFECTIVENESS", true),
        ("Overall-effectiveness", true),
        ("Latest full inspection overall effectiveness", true),
        ("Latest full inspection: Overall effectiveness", true),
        ("Previous full inspection overall effectiveness", false),
        ("Overall effectiveness (previous)", false),
    ] {
        assert_eq!(with_prefix.names(cell), reads, "{cell}");
    }
}

#[test]
fn ranges_in_every_shape_the_tables_use() {
    let start = DateParse::Range { start: true };
    let end = DateParse::Range { start: false };
    for (text, first, last) in [
        ("6 to 17 December 2021", day(2021, 12, 6), day(2021, 12, 17)),
        (
            "17 March to 21 March 2025",
            day(2025, 3, 17),
            day(2025, 3, 21),
        ),
        ("14 April – 8 May 2015", day(2015, 4, 14), day(2015, 5, 8)),
        (
            "05 July 2016–27 July 2016",
            day(2016, 7, 5),
            day(2016, 7, 27),
        ),
        (
            "12/09/2016 to 06/10/2016",
            day(2016, 9, 12),
            day(2016, 10, 6),
        ),
        ("8-12 July 2013", day(2013, 7, 8), day(2013, 7, 12)),
        ("28 July 2016", day(2016, 7, 28), day(2016, 7, 28)),
        (
            "5 to 9 December 2022 and 14 to 15 February 2023",
            day(2022, 12, 5),
            day(2023, 2, 15),
        ),
        (
            "20 June 2017 ─ 13 July 2017",
            day(2017, 6, 20),
            day(2017, 7, 13),
        ),
    ] {
        assert_eq!(parse_date(text, &start), Some(first), "{text}");
        assert_eq!(parse_date(text, &end), Some(last), "{text}");
    }
    assert_eq!(parse_date("6 to 17 Decembre 2021", &start), None);
    assert_eq!(
        parse_date("09 may 2025", &DateParse::Format("%d %B %Y".to_owned())),
        Some(day(2025, 5, 9))
    );
}
