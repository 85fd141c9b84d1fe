//! What reading each report costs, against the reader's limits: per file, and the largest
//! figure of each count over the folder. `work DIR`
use ratings_pdf::{extract, Work, LIMITS};

fn main() {
    let dir = std::env::args().nth(1).expect("usage: work DIR");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("a directory")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect();
    files.sort();
    let mut most = Work::default();
    let mut pages = 0;
    for file in &files {
        let bytes = std::fs::read(file).expect("readable");
        let Ok(x) = extract(&bytes) else {
            println!("{}: not read", file.display());
            continue;
        };
        let w = x.work;
        pages = pages.max(x.pages.len());
        println!("{}: {} pages, {w:?}", file.display(), x.pages.len());
        most.decoded_bytes = most.decoded_bytes.max(w.decoded_bytes);
        most.streams_decoded = most.streams_decoded.max(w.streams_decoded);
        most.content_bytes = most.content_bytes.max(w.content_bytes);
        most.operators = most.operators.max(w.operators);
        most.forms_drawn = most.forms_drawn.max(w.forms_drawn);
        most.glyphs = most.glyphs.max(w.glyphs);
        most.text_bytes = most.text_bytes.max(w.text_bytes);
    }
    println!(
        "largest over {} files: {pages} pages, {most:?}",
        files.len()
    );
    println!("limits: {LIMITS:?}");
}
