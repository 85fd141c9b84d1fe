//! Robustness check: reads mutated copies of PDFs (truncations, flipped bytes, zeroed
//! runs) and reports panics and the slowest read. `mutate DIR [ROUNDS]`.
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rounds: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10);
    let mut files: Vec<_> = std::fs::read_dir(&args[1])
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect();
    files.sort();
    let mut seed: u64 = 0x9E3779B97F4A7C15;
    let mut rnd = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let (mut n, mut panics, mut worst) = (0usize, 0usize, (0.0f64, String::new()));
    let mut kinds = std::collections::BTreeMap::new();
    std::panic::set_hook(Box::new(|_| {}));
    for f in &files {
        let orig = std::fs::read(f).unwrap();
        let base = ratings_pdf::read_report(&orig).ok();
        let key = |r: &ratings_pdf::Report| {
            (
                r.layout,
                r.judgements
                    .iter()
                    .map(|j| (j.name.text.clone(), j.level))
                    .collect::<Vec<_>>(),
                r.headline.as_ref().map(|h| h.level),
                r.lscb().map(|s| s.level),
            )
        };
        for r in 0..rounds {
            let mut b = orig.clone();
            let what = match r % 4 {
                0 => {
                    let cut = (rnd() as usize) % b.len();
                    b.truncate(cut);
                    format!("truncate {cut}")
                }
                1 => {
                    for _ in 0..20 {
                        let i = (rnd() as usize) % b.len();
                        b[i] ^= 1 << (rnd() % 8);
                    }
                    "flip 20 bits".to_string()
                }
                2 => {
                    let i = (rnd() as usize) % b.len();
                    let len = 1 + (rnd() as usize) % 4096;
                    for x in b.iter_mut().skip(i).take(len) {
                        *x = 0;
                    }
                    format!("zero {len}@{i}")
                }
                _ => {
                    let i = (rnd() as usize) % b.len();
                    let len = 1 + (rnd() as usize) % 200000;
                    let j = (i + len).min(b.len());
                    b.drain(i..j);
                    format!("cut {i}..{j}")
                }
            };
            let t = Instant::now();
            let res = catch_unwind(AssertUnwindSafe(|| ratings_pdf::read_report(&b)));
            let dt = t.elapsed().as_secs_f64() * 1000.0;
            n += 1;
            let k = match &res {
                Err(_) => {
                    panics += 1;
                    println!("PANIC {} {what}", f.display());
                    "panic".to_string()
                }
                Ok(Ok(r)) => {
                    if base.as_ref().map(key) != Some(key(r)) {
                        println!("DIFFERENT RESULT {} {what}: {:?}", f.display(), key(r));
                        "ok but different".to_string()
                    } else {
                        "ok".to_string()
                    }
                }
                Ok(Err(e)) => format!("{e}").split(':').next().unwrap_or("").to_string(),
            };
            *kinds.entry(k).or_insert(0usize) += 1;
            if dt > worst.0 {
                worst = (dt, format!("{} {what}", f.display()));
            }
        }
    }
    println!(
        "{n} mutated inputs, {panics} panics, slowest {:.1} ms ({})",
        worst.0, worst.1
    );
    for (k, v) in kinds {
        println!("  {v:5} {k}");
    }
}
