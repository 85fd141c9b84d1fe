//! Extracts every PDF in a folder to OUT/<name>.txt (pages separated by form feeds) and
//! prints timings: `dumpall DIR OUT`.
use std::time::Instant;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mut files: Vec<_> = std::fs::read_dir(&args[1])
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect();
    files.sort();
    std::fs::create_dir_all(&args[2]).unwrap();
    let mut times = vec![];
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let t = Instant::now();
        let r = ratings_pdf::extract(&bytes);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        let name = f.file_stem().unwrap().to_string_lossy().to_string();
        let mut s = String::new();
        match r {
            Err(e) => s = format!("ERROR {e:?}\n"),
            Ok(x) => {
                for p in &x.pages {
                    for l in &p.lines {
                        s.push_str(&l.text);
                        s.push('\n');
                    }
                    s.push('\x0c');
                }
                let unm: usize = x.pages.iter().map(|p| p.unmapped).sum();
                let probs: usize = x.pages.iter().map(|p| p.problems.len()).sum();
                if unm > 0 || probs > 0 || !x.warnings.is_empty() {
                    println!(
                        "{name}: unmapped {unm} problems {probs} warnings {:?}",
                        x.warnings
                    );
                }
            }
        }
        std::fs::write(format!("{}/{}.txt", args[2], name), s).unwrap();
    }
    let mut t2 = times.clone();
    t2.sort_by(|a, b| a.total_cmp(b));
    println!(
        "{} files: median {:.2} ms, max {:.2} ms, total {:.0} ms",
        t2.len(),
        t2[t2.len() / 2],
        t2[t2.len() - 1],
        t2.iter().sum::<f64>()
    );
}
