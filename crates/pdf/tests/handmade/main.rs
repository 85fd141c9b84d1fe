//! Tests on small PDFs written here, by hand: one per layout and one per failure.
//!
//! The writer below lays text out the way Word does in the real reports (one text object
//! per cell line, positioned with Td), in Helvetica with WinAnsiEncoding. Two variants
//! exercise compressed streams, an object stream with a cross-reference stream, and a
//! Type0 font with a ToUnicode CMap.

mod pages;
mod writer;

use ratings_pdf::{
    page_texts, read_report, Ambiguity, Date, Family, Grade, Layout, NotAReport, ReportError,
    RowKey, StatedIn, TableError, Truncation, UnknownLayout, Unreadable,
};

use pages::*;
use writer::*;

fn levels(r: &ratings_pdf::Report) -> Vec<(String, Grade)> {
    r.judgements
        .iter()
        .map(|j| (j.name.text.clone(), j.level))
        .collect()
}

fn d(y: i32, m: u8, day: u8) -> Date {
    Date::new(y, m, day).unwrap()
}

#[test]
fn ilacs_before_the_split() {
    let r = read_report(&pdf(&ilacs_2018(), Opts::default())).unwrap();
    assert_eq!(r.layout, Layout::Ilacs);
    assert_eq!(r.authority.text, "Oxfordshire County Council");
    assert_eq!(
        r.title.text,
        "Inspection of local authority children\u{2019}s services"
    );
    assert_eq!(
        levels(&r),
        vec![
            (
                "The impact of leaders on social work practice with children and families".into(),
                Grade::Good
            ),
            (
                "The experiences and progress of children who need help and protection".into(),
                Grade::RequiresImprovement
            ),
            (
                "The experiences and progress of children in care and care leavers".into(),
                Grade::Good
            ),
            ("Overall effectiveness".into(), Grade::Good),
        ]
    );
    assert_eq!(
        r.judgements[1].grade.text,
        "Requires improvement to be good"
    );
    assert_eq!(
        (r.judgements[1].name.page, r.judgements[1].name.line),
        (1, 8)
    );
    let (_, a, b) = r.inspection_dates.clone().unwrap();
    assert_eq!((a, b), (d(2018, 4, 16), d(2018, 4, 20)));
    assert!(r.publication_date.is_none());
    let h = r.headline.clone().unwrap();
    assert_eq!(h.level, Grade::Good);
    // The section headings were found and agree.
    assert_eq!(r.narrative.len(), 2, "{:?}", r.narrative);
    assert!(r.narrative.iter().all(|s| s.line.page == 2));
    assert_eq!(r.judgements[2].row, RowKey::InCareAndCareLeavers);
    assert_eq!(
        ratings_pdf::row_key(r.layout, &r.judgements[2].name.text),
        Some(RowKey::InCareAndCareLeavers)
    );
}

#[test]
fn ilacs_with_separate_care_leavers() {
    let r = read_report(&pdf(&ilacs_split(), Opts::default())).unwrap();
    assert_eq!(r.layout, Layout::IlacsSplit);
    assert_eq!(r.authority.text, "Hull");
    assert_eq!(r.judgements.len(), 5);
    assert_eq!(r.judgements[3].level, Grade::RequiresImprovement);
    assert_eq!(r.judgements[4].name.text, "Overall effectiveness");
    assert_eq!(r.judgements[4].level, Grade::Inadequate);
}

#[test]
fn ilacs_2026_without_overall_effectiveness() {
    let r = read_report(&pdf(&ilacs_2026(), Opts::default())).unwrap();
    assert_eq!(r.layout, Layout::Ilacs2026);
    assert_eq!(r.judgements.len(), 4);
    assert_eq!(r.judgements[0].row, RowKey::ImpactOfLeaders);
    // "were judged as requires improvement" is history, not a headline.
    assert!(r.headline.is_none());
}

#[test]
fn ilacs_2026_layout_needs_a_2026_inspection() {
    let mut pages = ilacs_2026();
    pages[0][2] = (
        72.0,
        710.0,
        12.0,
        "Inspection dates: 8 June 2024 to 19 June 2024",
    );
    match read_report(&pdf(&pages, Opts::default())) {
        Err(ReportError::Ambiguous(why)) => {
            let m = why.to_string();
            assert!(m.contains("before the April 2026 framework"), "{m}");
            assert!(
                matches!(why, Ambiguity::NoOverallRowBefore2026 { began } if began == d(2024, 6, 8)),
                "{why:?}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn sif_inspection() {
    let r = read_report(&pdf(&sif(false), Opts::default())).unwrap();
    assert_eq!(r.layout, Layout::Sif);
    assert_eq!(r.authority.text, "Telford and Wrekin Council");
    assert!(
        r.title
            .text
            .starts_with("Inspection of services for children in need of help and protection"),
        "{}",
        r.title.text
    );
    assert!(
        r.title.text.ends_with("Local Safeguarding Children Board"),
        "{}",
        r.title.text
    );
    let labels: Vec<_> = r
        .judgements
        .iter()
        .map(|j| j.label.clone().unwrap())
        .collect();
    assert_eq!(labels, ["1.", "2.", "2.1", "2.2", "3."]);
    assert_eq!(
        r.judgements[1].name.text,
        "Children looked after and achieving permanence"
    );
    assert_eq!(r.judgements[3].level, Grade::Outstanding);
    let h = r.headline.clone().unwrap();
    assert_eq!(h.level, Grade::RequiresImprovement);
    assert_eq!(h.grade_words, "require improvement to be good");
    assert_eq!(r.lscb().unwrap().level, Grade::Good);
    assert_eq!(r.lscb().unwrap().line.page, 2);
    assert_eq!(r.publication_date.clone().unwrap().1, d(2016, 8, 26));
    let (_, a, b) = r.inspection_dates.clone().unwrap();
    assert_eq!((a, b), (d(2016, 6, 13), d(2016, 7, 7)));
}

#[test]
fn sif_reinspection() {
    let r = read_report(&pdf(&sif(true), Opts::default())).unwrap();
    assert_eq!(r.layout, Layout::SifReinspection);
    assert_eq!(r.judgements.len(), 5);
    assert!(r.lscb().is_none());
}

#[test]
fn sif_review_without_lscb_grade_is_rejected() {
    let mut pages = sif(false);
    pages[1][1] = (71.0, 740.0, 12.0, "The board has an independent chair.");
    assert!(matches!(
        read_report(&pdf(&pages, Opts::default())),
        Err(ReportError::Ambiguous(_))
    ));
}

#[test]
fn lac_2013() {
    let r = read_report(&pdf(&lac(), Opts::default())).unwrap();
    assert_eq!(r.layout, Layout::Lac2013);
    assert_eq!(r.authority.text, "Sandwell Metropolitan Borough Council");
    assert_eq!(r.judgements.len(), 5);
    assert!(r.judgements.iter().all(|j| j.page == 3));
    assert_eq!(
        r.judgements[2].name.text,
        "Outcomes for looked after children and young people"
    );
    assert_eq!(r.judgements[1].level, Grade::Adequate);
    assert_eq!(r.publication_date.clone().unwrap().1, d(2013, 8, 2));
    let (_, a, b) = r.inspection_dates.clone().unwrap();
    assert_eq!((a, b), (d(2013, 6, 24), d(2013, 6, 28)));
    assert_eq!(r.narrative.len(), 1);
}

#[test]
fn titles_and_dates_that_wrap_onto_a_second_line() {
    // "Inspection of Kent County Council / children's services": no "local authority".
    let mut pages = ilacs_split();
    pages[0][0] = (72.0, 760.0, 20.0, "Inspection of Kent County Council");
    pages[0][2] = (72.0, 710.0, 12.0, "Inspection dates: 28 November to");
    pages[0][3] = (72.0, 696.0, 12.0, "9 December 2022");
    pages[0].insert(4, (72.0, 676.0, 12.0, "Lead inspector: A Inspector"));
    let r = read_report(&pdf(&pages, Opts::default())).unwrap();
    assert_eq!(r.authority.text, "Kent County Council");
    assert_eq!(
        r.title.text,
        "Inspection of Kent County Council children\u{2019}s services"
    );
    let (line, a, b) = r.inspection_dates.clone().unwrap();
    assert_eq!((a, b), (d(2022, 11, 28), d(2022, 12, 9)));
    assert_eq!(
        (line.text.as_str(), line.page, line.line),
        ("Inspection dates: 28 November to 9 December 2022", 1, 3)
    );
    assert!(
        !r.warnings.iter().any(|w| w.contains("not understood")),
        "{:?}",
        r.warnings
    );
    // A range across the year end, wrapped: it starts in the year before.
    pages[0][2] = (72.0, 710.0, 12.0, "Inspection dates: 28 December \u{2013}");
    pages[0][3] = (72.0, 696.0, 12.0, "8 January 2023");
    let r = read_report(&pdf(&pages, Opts::default())).unwrap();
    let (_, a, b) = r.inspection_dates.clone().unwrap();
    assert_eq!((a, b), (d(2022, 12, 28), d(2023, 1, 8)));
    // A line far below is not the rest of the dates: they are not understood, and say so.
    pages[0][3] = (72.0, 686.0, 12.0, "8 January 2023");
    let r = read_report(&pdf(&pages, Opts::default())).unwrap();
    assert_eq!(r.inspection_dates, None);
    assert!(
        r.warnings
            .iter()
            .any(|w| w
                == "inspection dates not understood: \"Inspection dates: 28 December \u{2013}\""),
        "{:?}",
        r.warnings
    );
    // A range that runs backwards is not read.
    pages[0][2] = (
        72.0,
        710.0,
        12.0,
        "Inspection dates: 8 February to 28 January 2019",
    );
    let r = read_report(&pdf(&pages, Opts::default())).unwrap();
    assert_eq!(r.inspection_dates, None);
    // A SIF report's publication date, wrapped.
    let mut pages = sif(false);
    let at = pages[0]
        .iter()
        .position(|item| item.3.starts_with("Report published"))
        .unwrap();
    let (x, y, size, _) = pages[0][at];
    pages[0][at] = (x, y, size, "Report published:");
    pages[0].insert(at + 1, (x, y - 13.0, size, "26 August 2016"));
    let r = read_report(&pdf(&pages, Opts::default())).unwrap();
    assert_eq!(r.publication_date.clone().unwrap().1, d(2016, 8, 26));
}

/// The index of the item of `page` whose text starts with `start`.
fn item(page: &[Item], start: &str) -> usize {
    page.iter()
        .position(|item| item.3.starts_with(start))
        .unwrap_or_else(|| panic!("no item {start:?}"))
}

#[test]
fn a_heading_under_the_table_is_not_a_row() {
    // Medway 2015, Dudley and Lewisham 2016: "Executive summary" set under the SIF table in
    // the rows' type, close below them. It was read as a sixth name without a grade.
    let mut pages = sif(false);
    pages[0].push((71.0, 364.0, 12.0, "Executive summary"));
    pages[0].push((
        71.0,
        345.0,
        12.0,
        "Children in Telford and Wrekin are safe and well cared for.",
    ));
    let r = read_report(&pdf(&pages, Opts::default())).unwrap();
    assert_eq!(r.judgements.len(), 5);
    // A judgement name without its grade is still refused, naming the count.
    let mut pages = sif(false);
    let leadership = item(&pages[0], "Requires improvement");
    let last = pages[0].len() - 1;
    assert!(leadership < last);
    pages[0].remove(last);
    match read_report(&pdf(&pages, Opts::default())) {
        Err(ReportError::Ambiguous(why)) => {
            let m = why.to_string();
            assert!(
                m.contains("table has 5 judgement names but 4 grades"),
                "{m}"
            )
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn lac_grade_cells_with_the_scale_number() {
    // "Inadequate (Grade 4)" on one line, and "Inadequate" / "Grade 4" over two.
    let mut pages = lac();
    pages[2][3] = (387.0, 682.0, 11.0, "Inadequate (Grade 4)");
    pages[2][5] = (392.0, 660.0, 11.0, "Adequate");
    pages[2].push((392.0, 648.0, 11.0, "Grade 3"));
    let r = read_report(&pdf(&pages, Opts::default())).unwrap();
    assert_eq!(r.judgements[0].level, Grade::Inadequate);
    assert_eq!(r.judgements[0].grade.text, "Inadequate (Grade 4)");
    assert_eq!(r.judgements[1].level, Grade::Adequate);
    assert_eq!(r.judgements[1].grade.text, "Adequate Grade 3");
    // A number that is not the word's own is no grade.
    pages[2][3] = (387.0, 682.0, 11.0, "Inadequate (Grade 2)");
    match read_report(&pdf(&pages, Opts::default())) {
        Err(ReportError::Ambiguous(why)) => {
            let m = why.to_string();
            assert!(m.contains("\"Inadequate (Grade 2)\""), "{m}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn headlines_that_name_no_council() {
    for (first, second, level) in [
        (
            "Children\u{2019}s services require improvement to be good",
            "",
            Grade::RequiresImprovement,
        ),
        (
            "The overall judgement is that children\u{2019}s service requires",
            "improvement.",
            Grade::RequiresImprovement,
        ),
        (
            "Children\u{2019}s services are inadequate.",
            "",
            Grade::Inadequate,
        ),
    ] {
        let mut pages = sif(true);
        let at = item(&pages[0], "Children\u{2019}s services in");
        pages[0][at].3 = first;
        pages[0][at + 1].3 = second;
        let r = read_report(&pdf(&pages, Opts::default())).unwrap();
        let headline = r.headline.expect("a headline");
        assert_eq!(headline.level, level, "{first}");
    }
}

#[test]
fn a_table_that_runs_over_two_pages() {
    // The last two SIF rows at the head of page 2: read there, with their page.
    let mut pages = sif(true);
    let at = item(&pages[0], "2.2 Experiences");
    let moved: Vec<Item> = pages[0].drain(at..).collect();
    assert_eq!(moved.len(), 4);
    pages.push(
        moved
            .into_iter()
            .map(|(x, y, size, text)| (x, y + 760.0 - 418.0, size, text))
            .collect(),
    );
    pages[1].push((71.0, 600.0, 12.0, "Summary"));
    pages[1].push((
        71.0,
        560.0,
        12.0,
        "Children are safe. Leaders know the service well, and act.",
    ));
    let r = read_report(&pdf(&pages, Opts::default())).unwrap();
    let at: Vec<(u32, RowKey)> = r.judgements.iter().map(|j| (j.page, j.row)).collect();
    assert_eq!(
        at,
        [
            (1, RowKey::HelpAndProtection),
            (1, RowKey::LookedAfterAndPermanence),
            (1, RowKey::Adoption),
            (2, RowKey::CareLeavers),
            (2, RowKey::Leadership)
        ]
    );
    assert_eq!(r.judgements[4].grade.page, 2);
    // Text after the table on page 1: the table ended there, and the missing row is named.
    pages[0].push((71.0, 380.0, 12.0, "Children in Telford and Wrekin are safe and well cared for, and the council knows itself well."));
    match read_report(&pdf(&pages, Opts::default())) {
        Err(ReportError::Ambiguous(why)) => {
            assert_eq!(
                why.to_string(),
                "SIF table has no \"The experiences and progress of care leavers\" row"
            );
            assert_eq!(
                why,
                Ambiguity::MissingRow {
                    family: Family::Sif,
                    row: RowKey::CareLeavers
                }
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn compressed_object_streams_and_type0_fonts() {
    for o in [
        Opts {
            compress: true,
            ..Opts::default()
        },
        Opts {
            compress: true,
            xref_stream: true,
            ..Opts::default()
        },
        Opts {
            compress: true,
            xref_stream: true,
            type0: true,
            ..Opts::default()
        },
    ] {
        let r = read_report(&pdf(&ilacs_2018(), o)).unwrap();
        assert_eq!(r.layout, Layout::Ilacs);
        assert_eq!(r.judgements[1].level, Grade::RequiresImprovement);
        let r = read_report(&pdf(&sif(false), o)).unwrap();
        assert_eq!(r.lscb().unwrap().level, Grade::Good);
    }
}

#[test]
fn page_texts_gives_lines() {
    let t = page_texts(&pdf(&ilacs_2018(), Opts::default())).unwrap();
    assert_eq!(t.len(), 2);
    assert_eq!(t[0][0], "Oxfordshire County Council");
    assert_eq!(t[0][4], "Judgement   Grade");
}

// ---------------------------------------------------------------------------------------
// Failures.

#[test]
fn not_a_pdf() {
    assert_eq!(read_report(b""), Err(ReportError::NotPdf));
    assert_eq!(read_report(b"Dear Director"), Err(ReportError::NotPdf));
    assert_eq!(
        read_report(b"<p>html, but not a page</p>"),
        Err(ReportError::NotPdf)
    );
}

#[test]
fn an_html_page_saved_as_a_report_says_so() {
    for page in [
        b"<html><body>Not found</body></html>".as_slice(),
        b"\xef\xbb\xbf\r\n  <!DOCTYPE html>\n<html lang=\"en\">".as_slice(),
        b"<!doctype HTML><title>Inspection report</title>".as_slice(),
        b"<?xml version=\"1.0\"?>\n<!-- saved page -->\n<HTML>".as_slice(),
    ] {
        assert_eq!(read_report(page), Err(ReportError::HtmlPage), "{page:?}");
    }
    assert_eq!(
        ReportError::HtmlPage.to_string(),
        "an HTML page (a web page saved as the file), not a PDF"
    );
}

#[test]
fn encrypted() {
    assert_eq!(
        read_report(&pdf(
            &ilacs_2018(),
            Opts {
                encrypt: true,
                ..Opts::default()
            }
        )),
        Err(ReportError::Encrypted)
    );
    assert_eq!(
        read_report(&pdf(
            &ilacs_2018(),
            Opts {
                encrypt: true,
                xref_stream: true,
                compress: true,
                ..Opts::default()
            }
        )),
        Err(ReportError::Encrypted)
    );
}

#[test]
fn truncated() {
    let full = pdf(&ilacs_2018(), Opts::default());
    for cut in [full.len() / 2, full.len() - 20, 40] {
        assert!(
            matches!(read_report(&full[..cut]), Err(ReportError::Truncated(_))),
            "cut at {cut}"
        );
    }
}

#[test]
fn image_only() {
    let pages = vec![vec![]];
    assert_eq!(
        read_report(&pdf(
            &pages,
            Opts {
                image: true,
                ..Opts::default()
            }
        )),
        Err(ReportError::ImageOnly)
    );
}

#[test]
fn not_a_report() {
    let pages = vec![vec![
        (
            72.0,
            760.0,
            12.0,
            "Minutes of the meeting of the allotments committee held on 3 May.",
        ),
        (
            72.0,
            740.0,
            12.0,
            "Present: the chair, the secretary and six members of the society.",
        ),
    ]];
    assert!(matches!(
        read_report(&pdf(&pages, Opts::default())),
        Err(ReportError::NotAReport(_))
    ));
    // No text and no images at all.
    assert!(matches!(
        read_report(&pdf(&[vec![]], Opts::default())),
        Err(ReportError::NotAReport(_))
    ));
}

#[test]
fn unknown_layout() {
    let pages = vec![vec![
        (
            72.0,
            760.0,
            14.0,
            "Focused visit to Anytown children\u{2019}s services",
        ),
        (
            72.0,
            740.0,
            12.0,
            "Ofsted inspectors carried out a focused visit to the local authority.",
        ),
        (
            72.0,
            720.0,
            12.0,
            "This inspection letter sets out the findings; no grades are given.",
        ),
    ]];
    assert!(matches!(
        read_report(&pdf(&pages, Opts::default())),
        Err(ReportError::UnknownLayout(_))
    ));
}

#[test]
fn ambiguous_tables() {
    // A grade that is not on the scale.
    let mut p = ilacs_2018();
    p[0][7] = (376.0, 600.0, 12.0, "Goodish");
    assert!(matches!(
        read_report(&pdf(&p, Opts::default())),
        Err(ReportError::Ambiguous(_))
    ));
    // A missing grade: three grades for four judgements.
    let mut p = ilacs_2018();
    p[0].remove(7);
    assert!(matches!(
        read_report(&pdf(&p, Opts::default())),
        Err(ReportError::Ambiguous(_))
    ));
    // A grade set level with the wrong row.
    let mut p = ilacs_split();
    p[0][10] = (300.0, 553.0, 12.0, "Good");
    assert!(matches!(
        read_report(&pdf(&p, Opts::default())),
        Err(ReportError::Ambiguous(_))
    ));
    // A heading later in the report that contradicts the table.
    let mut p = ilacs_2018();
    p[1][1] = (72.0, 746.0, 12.0, "protection: inadequate");
    match read_report(&pdf(&p, Opts::default())) {
        Err(ReportError::Ambiguous(why)) => {
            let m = why.to_string();
            assert!(
                m.starts_with("the table gives \"The experiences and progress of children who need help and protection\" as"),
                "{m}"
            );
            assert!(
                matches!(
                    why,
                    Ambiguity::TextDisagrees {
                        stated_in: StatedIn::Text,
                        ..
                    }
                ),
                "{why:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    // A SIF report whose LSCB statements disagree.
    let mut p = sif(false);
    p[1].push((
        71.0,
        680.0,
        12.0,
        "The effectiveness of the LSCB is inadequate.",
    ));
    assert!(matches!(
        read_report(&pdf(&p, Opts::default())),
        Err(ReportError::Ambiguous(_))
    ));
}

#[test]
fn errors_display_on_one_line() {
    for e in [
        ReportError::NotPdf,
        ReportError::HtmlPage,
        ReportError::Encrypted,
        ReportError::Truncated(Truncation::TooShort { bytes: 3 }),
        ReportError::ImageOnly,
        ReportError::UnknownLayout(UnknownLayout::NoTableOrTitle {
            first_line: "x".into(),
        }),
        ReportError::NotAReport(NotAReport::NoTitleOrTable {
            first_line: "x".into(),
        }),
        ReportError::Unreadable(Unreadable::Page {
            page: 1,
            problem: "x".into(),
        }),
        ReportError::Ambiguous(Ambiguity::UnknownRow { name: "x".into() }),
        ReportError::Ambiguous(Ambiguity::Table {
            family: Family::Sif,
            page: 2,
            why: TableError::Counts {
                names: vec!["x".into()],
                grades: Vec::new(),
            },
        }),
    ] {
        let s = e.to_string();
        assert!(!s.contains('\n') && !s.is_empty());
    }
}
