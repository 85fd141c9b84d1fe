//! Prints the extracted lines of a PDF: `dump FILE [PAGE] [--words]`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bytes = std::fs::read(&args[1]).expect("read");
    let page: Option<usize> = args.get(2).and_then(|s| s.parse().ok());
    let words = args.iter().any(|a| a == "--words");
    match ratings_pdf::extract(&bytes) {
        Err(e) => println!("ERROR {e:?}"),
        Ok(x) => {
            for w in &x.warnings {
                println!("WARNING {w}");
            }
            for (i, p) in x.pages.iter().enumerate() {
                if page.is_some_and(|n| n != i + 1) {
                    continue;
                }
                println!(
                    "--- page {} (images {}, glyphs {}, unmapped {}) {:?}",
                    i + 1,
                    p.images,
                    p.glyphs,
                    p.unmapped,
                    p.problems
                );
                for (j, l) in p.lines.iter().enumerate() {
                    if words {
                        let ws: Vec<String> = l
                            .words
                            .iter()
                            .map(|w| format!("{:.0}-{:.0}:{}", w.x0, w.x1, w.text))
                            .collect();
                        println!(
                            "{:3} y={:.1} s={:.1} | {}",
                            j + 1,
                            l.y,
                            l.size,
                            ws.join(" ")
                        );
                    } else {
                        println!("{:3} {}", j + 1, l.text);
                    }
                }
            }
        }
    }
}
