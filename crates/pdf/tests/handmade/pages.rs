//! Page contents for each layout, laid out as in the real reports.

use super::writer::Item;

pub fn ilacs_2018() -> Vec<Vec<Item>> {
    vec![
        vec![
            (72.0, 760.0, 26.0, "Oxfordshire County Council"),
            (72.0, 730.0, 14.0, "Inspection of local authority children\u{2019}s services"),
            (72.0, 700.0, 12.0, "Inspection dates: 16 April to 20 April 2018"),
            (72.0, 680.0, 12.0, "Lead inspector: A Inspector HMI"),
            (72.0, 640.0, 12.0, "Judgement"),
            (376.0, 640.0, 12.0, "Grade"),
            (72.0, 600.0, 12.0, "The impact of leaders on social work practice with"),
            (376.0, 600.0, 12.0, "Good"),
            (72.0, 586.0, 12.0, "children and families"),
            (72.0, 547.0, 12.0, "The experiences and progress of children who need"),
            (376.0, 547.0, 12.0, "Requires improvement to"),
            (72.0, 533.0, 12.0, "help and protection"),
            (376.0, 533.0, 12.0, "be good"),
            (72.0, 494.0, 12.0, "The experiences and progress of children in care and"),
            (376.0, 494.0, 12.0, "Good"),
            (72.0, 480.0, 12.0, "care leavers"),
            (72.0, 441.0, 12.0, "Overall effectiveness"),
            (376.0, 441.0, 12.0, "Good"),
            (72.0, 400.0, 12.0, "Children\u{2019}s services in Oxfordshire are good. Leaders have made progress since"),
            (72.0, 386.0, 12.0, "the last inspection in 2014, when services were judged to be adequate."),
        ],
        vec![
            (72.0, 760.0, 12.0, "The experiences and progress of children who need help and"),
            (72.0, 746.0, 12.0, "protection: requires improvement to be good"),
            (72.0, 720.0, 12.0, "1. Most children receive help at the right time."),
            (72.0, 690.0, 12.0, "The experiences and progress of children in care and care leavers: good"),
        ],
    ]
}

pub fn ilacs_split() -> Vec<Vec<Item>> {
    vec![vec![
        (72.0, 760.0, 20.0, "Inspection of Hull local authority"),
        (72.0, 738.0, 20.0, "children\u{2019}s services"),
        (72.0, 710.0, 12.0, "Inspection dates: 13 to 24 May 2024"),
        (72.0, 690.0, 12.0, "Lead inspector: A Inspector, His Majesty\u{2019}s Inspector"),
        (78.0, 650.0, 12.0, "Judgement"),
        (300.0, 650.0, 12.0, "Grade"),
        (78.0, 620.0, 12.0, "The impact of leaders on social work"),
        (300.0, 620.0, 12.0, "Outstanding"),
        (78.0, 606.0, 12.0, "practice with children and families"),
        (78.0, 580.0, 12.0, "The experiences and progress of"),
        (300.0, 580.0, 12.0, "Good"),
        (78.0, 566.0, 12.0, "children who need help and protection"),
        (78.0, 540.0, 12.0, "The experiences and progress of"),
        (300.0, 540.0, 12.0, "Inadequate"),
        (78.0, 526.0, 12.0, "children in care"),
        (78.0, 500.0, 12.0, "The experiences and progress of care"),
        (300.0, 500.0, 12.0, "Requires improvement to be good"),
        (78.0, 486.0, 12.0, "leavers"),
        (78.0, 460.0, 12.0, "Overall effectiveness"),
        (300.0, 460.0, 12.0, "Inadequate"),
        (72.0, 420.0, 12.0, "Since the last inspection, leaders have not made enough progress for children in care."),
    ]]
}

pub fn ilacs_2026() -> Vec<Vec<Item>> {
    vec![vec![
        (72.0, 760.0, 20.0, "Inspection of Trafford local authority"),
        (72.0, 738.0, 20.0, "children\u{2019}s services"),
        (
            72.0,
            710.0,
            12.0,
            "Inspection dates: 8 June 2026 to 19 June 2026",
        ),
        (78.0, 650.0, 12.0, "Judgement"),
        (300.0, 650.0, 12.0, "Grade"),
        (78.0, 620.0, 12.0, "The impact of leaders on practice with"),
        (300.0, 620.0, 12.0, "Inadequate"),
        (78.0, 606.0, 12.0, "children and families"),
        (78.0, 580.0, 12.0, "The experiences and progress of"),
        (300.0, 580.0, 12.0, "Inadequate"),
        (78.0, 566.0, 12.0, "children who need help and protection"),
        (78.0, 540.0, 12.0, "The experiences and progress of"),
        (300.0, 540.0, 12.0, "Good"),
        (78.0, 526.0, 12.0, "children in care"),
        (78.0, 500.0, 12.0, "The experiences and progress of care"),
        (300.0, 500.0, 12.0, "Requires improvement to be good"),
        (78.0, 486.0, 12.0, "leavers"),
        (
            72.0,
            440.0,
            12.0,
            "Since the previous inspection in 2022, when services in Trafford were judged as",
        ),
        (
            72.0,
            426.0,
            12.0,
            "requires improvement to be good, leaders have been ineffective.",
        ),
    ]]
}

pub fn sif(reinspection: bool) -> Vec<Vec<Item>> {
    let mut p1 = vec![(71.0, 760.0, 26.0, "Telford and Wrekin Council")];
    if reinspection {
        p1.push((
            71.0,
            735.0,
            14.0,
            "Re-inspection of services for children in need of help and",
        ));
        p1.push((
            71.0,
            718.0,
            14.0,
            "protection, children looked after and care leavers",
        ));
    } else {
        p1.push((
            71.0,
            735.0,
            14.0,
            "Inspection of services for children in need of help and",
        ));
        p1.push((
            71.0,
            718.0,
            14.0,
            "protection, children looked after and care leavers",
        ));
        p1.push((71.0, 695.0, 14.0, "and"));
        p1.push((
            71.0,
            672.0,
            14.0,
            "Review of the effectiveness of the Local Safeguarding Children",
        ));
        p1.push((71.0, 655.0, 14.0, "Board"));
        p1.push((113.0, 662.0, 9.0, "1"));
    }
    p1.extend_from_slice(&[
        (
            71.0,
            632.0,
            14.0,
            "Inspection date: 13 June 2016 to 7 July 2016",
        ),
        (71.0, 609.0, 14.0, "Report published: 26 August 2016"),
        (
            71.0,
            557.0,
            14.0,
            "Children\u{2019}s services in Telford and Wrekin require improvement",
        ),
        (71.0, 540.0, 14.0, "to be good"),
        (
            71.0,
            513.0,
            12.0,
            "1. Children who need help and protection",
        ),
        (388.0, 513.0, 12.0, "Requires improvement"),
        (71.0, 486.0, 12.0, "2. Children looked after and achieving"),
        (388.0, 479.0, 12.0, "Requires improvement"),
        (89.0, 472.0, 12.0, "permanence"),
        (119.0, 445.0, 12.0, "2.1 Adoption performance"),
        (388.0, 445.0, 12.0, "Good"),
        (
            119.0,
            418.0,
            12.0,
            "2.2 Experiences and progress of care leavers",
        ),
        (388.0, 418.0, 12.0, "Outstanding"),
        (
            71.0,
            391.0,
            12.0,
            "3. Leadership, management and governance",
        ),
        (388.0, 391.0, 12.0, "Requires improvement"),
    ]);
    let mut pages = vec![p1];
    if !reinspection {
        pages.push(vec![
            (
                71.0,
                760.0,
                14.0,
                "The Local Safeguarding Children Board (LSCB)",
            ),
            (
                71.0,
                740.0,
                12.0,
                "The Local Safeguarding Children Board is good",
            ),
            (71.0, 720.0, 12.0, "Executive summary"),
            (
                71.0,
                700.0,
                12.0,
                "The chair of the LSCB is well respected by partners.",
            ),
        ]);
    }
    pages
}

pub fn lac() -> Vec<Vec<Item>> {
    vec![
        vec![
            (85.0, 760.0, 20.0, "Inspection of looked after children"),
            (85.0, 738.0, 20.0, "services"),
            (85.0, 700.0, 14.0, "Sandwell Metropolitan Borough Council"),
            (
                85.0,
                660.0,
                12.0,
                "Inspection dates: 24 \u{2013} 28 June 2013",
            ),
            (85.0, 640.0, 12.0, "Reporting inspector A Inspector HMI"),
            (85.0, 600.0, 12.0, "Published: 2 August 2013"),
        ],
        vec![
            (
                85.0,
                760.0,
                12.0,
                "13. Overall effectiveness for looked after children is inadequate. The council",
            ),
            (85.0, 746.0, 12.0, "has not made enough progress."),
        ],
        vec![
            (85.0, 744.0, 18.0, "Record of main findings"),
            (85.0, 714.0, 14.0, "Services for looked after children"),
            (91.0, 682.0, 11.0, "Overall effectiveness"),
            (387.0, 682.0, 11.0, "Inadequate"),
            (91.0, 660.0, 11.0, "Capacity to improve"),
            (392.0, 660.0, 11.0, "Adequate"),
            (91.0, 634.0, 11.0, "Outcomes for looked after children and"),
            (392.0, 634.0, 11.0, "Adequate"),
            (91.0, 617.0, 11.0, "young people"),
            (91.0, 591.0, 11.0, "Quality of provision"),
            (387.0, 591.0, 11.0, "Inadequate"),
            (91.0, 565.0, 11.0, "Leadership and management"),
            (387.0, 565.0, 11.0, "Inadequate"),
        ],
    ]
}
