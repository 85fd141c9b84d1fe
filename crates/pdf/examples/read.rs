//! Prints what read_report finds in each PDF given: `read FILE...`.
fn main() {
    for f in std::env::args().skip(1) {
        let bytes = std::fs::read(&f).expect("read");
        println!("== {f}");
        match ratings_pdf::read_report(&bytes) {
            Err(e) => println!("ERROR {e}"),
            Ok(r) => {
                println!(
                    "layout {:?}\ntitle {:?}\nauthority {:?}",
                    r.layout, r.title.text, r.authority.text
                );
                println!(
                    "dates {:?}",
                    r.inspection_dates.as_ref().map(|(l, a, b)| (
                        l.text.clone(),
                        a.to_string(),
                        b.to_string()
                    ))
                );
                println!(
                    "published {:?}",
                    r.publication_date
                        .as_ref()
                        .map(|(l, a)| (l.text.clone(), a.to_string()))
                );
                for j in &r.judgements {
                    println!(
                        "  [{} p{}:{}] {:?} {:?} => {:?}",
                        j.label.clone().unwrap_or_default(),
                        j.page,
                        j.name.line,
                        j.name.text,
                        j.grade.text,
                        j.level
                    );
                }
                if let Some(h) = &r.headline {
                    println!(
                        "headline p{}:{} {:?} => {:?}",
                        h.line.page, h.line.line, h.line.text, h.level
                    );
                }
                for s in &r.narrative {
                    println!(
                        "  narrative [{}] p{}:{} {:?} => {:?}",
                        match s.about {
                            ratings_pdf::About::Headline => "headline",
                            ratings_pdf::About::Row(row) => row.key(),
                        },
                        s.line.page,
                        s.line.line,
                        s.line.text,
                        s.level
                    );
                }
                for w in &r.warnings {
                    println!("  warning: {w}");
                }
            }
        }
    }
}
