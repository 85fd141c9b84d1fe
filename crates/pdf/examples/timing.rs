//! Timings on a folder of reports: per-file read_report and raw text extraction
//! (median, max over files, each the best of 3 runs), then a whole-folder run on N threads.
//! `timing DIR [THREADS]`
use std::time::Instant;

fn stats(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(|a, b| a.total_cmp(b));
    (v[v.len() / 2], v[v.len() - 1], v.iter().sum())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let threads: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2);
    let mut files: Vec<_> = std::fs::read_dir(&args[1])
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect();
    files.sort();
    let data: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    let best = |f: &dyn Fn(&[u8])| -> Vec<f64> {
        data.iter()
            .map(|b| {
                (0..3)
                    .map(|_| {
                        let t = Instant::now();
                        f(b);
                        t.elapsed().as_secs_f64() * 1000.0
                    })
                    .fold(f64::MAX, f64::min)
            })
            .collect()
    };
    let ex = stats(best(&|b| {
        let _ = ratings_pdf::extract(b);
    }));
    let rr = stats(best(&|b| {
        let _ = ratings_pdf::read_report(b);
    }));
    println!(
        "{} files, {:.1} MB",
        data.len(),
        data.iter().map(|d| d.len()).sum::<usize>() as f64 / 1e6
    );
    println!(
        "text extraction only: median {:.1} ms, max {:.1} ms, sum {:.0} ms",
        ex.0, ex.1, ex.2
    );
    println!(
        "read_report:          median {:.1} ms, max {:.1} ms, sum {:.0} ms",
        rr.0, rr.1, rr.2
    );
    let next = std::sync::atomic::AtomicUsize::new(0);
    let t = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= data.len() {
                    break;
                }
                let _ = ratings_pdf::read_report(&data[i]);
            });
        }
    });
    let wall = t.elapsed().as_secs_f64();
    println!(
        "whole folder on {threads} threads: {:.2} s wall, {:.1} reports/s (500 reports: ~{:.1} s)",
        wall,
        data.len() as f64 / wall,
        500.0 / (data.len() as f64 / wall)
    );
}
