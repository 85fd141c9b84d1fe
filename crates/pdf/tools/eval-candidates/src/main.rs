use std::time::Instant;
use std::panic::catch_unwind;

/// Usage: eval-candidates REPORTS_DIR [CRATE]: times each candidate PDF crate over the report
/// PDFs in REPORTS_DIR (the shared reports: `../shared/found-data/reports`).
fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: eval-candidates REPORTS_DIR [pdfextract|lopdf|lopdf_all|pdfrs|...]");
        std::process::exit(2);
    };
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().map(|x| x == "pdf").unwrap_or(false)).collect();
    files.sort();
    let which = std::env::args().nth(2).unwrap_or_default();
    let mut times = vec![];
    let (mut ok, mut err, mut panics) = (0, 0, 0);
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let t = Instant::now();
        let r = catch_unwind(|| -> Result<String, String> {
            match which.as_str() {
                "pdfextract" => pdf_extract::extract_text_from_mem_by_pages(&bytes).map(|v| v.into_iter().next().unwrap_or_default()).map_err(|e| e.to_string()),
                "lopdf" => {
                    let doc = lopdf::Document::load_mem(&bytes).map_err(|e| e.to_string())?;
                    doc.extract_text(&[1]).map_err(|e| e.to_string())
                }
                "lopdf_all" => {
                    let doc = lopdf::Document::load_mem(&bytes).map_err(|e| e.to_string())?;
                    let n = doc.get_pages().len() as u32;
                    let pages: Vec<u32> = (1..=n).collect();
                    doc.extract_text(&pages).map_err(|e| e.to_string())
                }
                "pdfrs" => {
                    let file = pdf::file::FileOptions::cached().load(bytes.clone()).map_err(|e| e.to_string())?;
                    let mut n = 0usize;
                    for page in file.pages() {
                        let page = page.map_err(|e| e.to_string())?;
                        if let Some(c) = &page.contents {
                            let ops = c.operations(&file.resolver()).map_err(|e| e.to_string())?;
                            n += ops.len();
                        }
                    }
                    Ok(format!("{n} ops"))
                }
                _ => panic!("which"),
            }
        });
        let dt = t.elapsed();
        times.push(dt.as_secs_f64() * 1000.0);
        match r {
            Ok(Ok(s)) => { ok += 1; if std::env::var("SHOW").is_ok() { println!("== {}\n{}", f.display(), &s.chars().take(1500).collect::<String>()); } }
            Ok(Err(e)) => { err += 1; println!("ERR {}: {}", f.display(), e); }
            Err(_) => { panics += 1; println!("PANIC {}", f.display()); }
        }
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!("{which}: ok {ok} err {err} panic {panics}; median {:.2} ms, max {:.2} ms, total {:.0} ms", times[times.len()/2], times[times.len()-1], times.iter().sum::<f64>());
}
