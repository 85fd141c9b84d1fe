//! Criterion benchmarks of the check crate's API and the engine, on the shipped rules and
//! synthetic assessments (`ratings_bench::generate`). Run with `cargo bench -p ratings-bench`;
//! `bench/run.sh` runs them with the peers and prints the table in docs/performance.md.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_main, BenchmarkId, Criterion, Throughput};
use ratings_bench::{authorities_csv, authority_count, generate, load_dir, write_csv, Spec};
use ratings_check::{AssessmentResult, Authorities, CheckOptions, Checker, Sink};
use ratings_core::{Assignment, Budget, Model, Period, RuleBook, SourceText};

fn shipped() -> RuleBook {
    match ratings_rules::book() {
        Ok(book) => book.clone(),
        Err(problems) => panic!("the shipped rules load: {problems:?}"),
    }
}

/// Counts results without keeping them.
struct Count(usize);

impl Sink for Count {
    fn result(&mut self, result: AssessmentResult) {
        self.0 += 1;
        black_box(result);
    }
}

/// A CSV text of `n` synthetic assessments and the authorities table that matches it.
fn csv_input(book: &RuleBook, n: usize, partial: bool) -> (SourceText, Authorities) {
    let assessments = generate(
        book,
        &Spec {
            assessments: n,
            partial,
            inconsistent: 0.1,
            seed: 1,
        },
    );
    let mut bytes = Vec::new();
    if let Err(error) = write_csv(&assessments, &mut bytes) {
        panic!("writing to memory: {error}");
    }
    let text = SourceText::new(
        "synthetic.csv",
        String::from_utf8_lossy(&bytes).into_owned(),
    );
    let table = authorities_csv(authority_count(&assessments));
    let authorities = match Authorities::from_csv(&SourceText::new("authorities.csv", table)) {
        Ok(authorities) => authorities,
        Err(problems) => panic!("the synthetic table reads: {problems:?}"),
    };
    (text, authorities)
}

fn check_records(c: &mut Criterion) {
    let book = shipped();
    let mut group = c.benchmark_group("check");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10))
        .warm_up_time(Duration::from_secs(2));
    for (name, partial) in [("full", false), ("partial", true)] {
        let n = 10_000;
        let (text, authorities) = csv_input(&book, n, partial);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new(name, n), &text, |b, text| {
            b.iter(|| {
                let options = CheckOptions {
                    budget: ratings_core::DEFAULT_BUDGET,
                    authorities: &authorities,
                    ..CheckOptions::default()
                };
                let mut checker = Checker::new(&book, options);
                let unreadable =
                    ratings_check::read_csv_each(text, &mut |record| checker.add_record(&record));
                checker.add_streamed_file(unreadable);
                let mut count = Count(0);
                let (summary, _) = checker.finish(&mut count);
                assert_eq!(summary.assessments, n);
                count.0
            });
        });
    }
    group.finish();
}

/// The verdict alone on pre-parsed full records: one call per assessment, like one Cedar
/// authorization call per record in `bench/cedar`.
fn verdicts(c: &mut Criterion) {
    let book = shipped();
    let n = 10_000;
    let assessments = generate(
        &book,
        &Spec {
            assessments: n,
            partial: false,
            inconsistent: 0.1,
            seed: 1,
        },
    );
    let models: std::collections::BTreeMap<i64, Model> = book
        .years(ratings_core::LOCAL_AUTHORITIES)
        .into_iter()
        .filter_map(|y| {
            book.in_force(ratings_core::LOCAL_AUTHORITIES, Period::Year(y))
                .ok()
                .map(|r| (i64::from(y), Model::new(&r)))
        })
        .collect();
    let expected = assessments.iter().filter(|a| !a.consistent).count();
    let mut group = c.benchmark_group("verdict");
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function(BenchmarkId::new("full", n), |b| {
        b.iter(|| {
            let mut inconsistent = 0;
            for assessment in &assessments {
                let model = &models[&assessment.year];
                if !model
                    .consistent(black_box(&assessment.grades), &mut Budget::default())
                    .expect("fits")
                {
                    inconsistent += 1;
                }
            }
            assert_eq!(inconsistent, expected);
            inconsistent
        });
    });
    // Partial records: the exact allowed values of every judgement, with search.
    let partial = generate(
        &book,
        &Spec {
            assessments: n,
            partial: true,
            inconsistent: 0.1,
            seed: 1,
        },
    );
    group.bench_function(BenchmarkId::new("partial, allowed values", n), |b| {
        b.iter(|| {
            let mut narrowed = 0usize;
            for assessment in &partial {
                let model = &models[&assessment.year];
                let allowed = model
                    .allowed(black_box(&assessment.grades), &mut Budget::default())
                    .expect("fits");
                narrowed += allowed.values.values().map(Vec::len).sum::<usize>();
            }
            narrowed
        });
    });
    group.finish();
}

fn explain_one(c: &mut Criterion) {
    let book = shipped();
    let Ok(rules) = book.in_force(ratings_core::LOCAL_AUTHORITIES, Period::Year(2008)) else {
        panic!("2008 has rules")
    };
    let model = Model::new(&rules);
    let given: Assignment = [
        ("apa.enjoying_and_achieving".to_owned(), 1),
        ("cpa.children_and_young_people".to_owned(), 2),
    ]
    .into();
    c.bench_function("explain/2008 partial record", |b| {
        b.iter(|| {
            let mut budget = Budget::default();
            let allowed = model.allowed(black_box(&given), &mut budget).expect("fits");
            model.reasons(&given, &allowed, &mut budget).expect("fits")
        });
    });
}

fn analyze_rules(c: &mut Criterion) {
    let mut group = c.benchmark_group("analyze");
    group.sample_size(10);
    let shipped = shipped();
    group.bench_function("shipped rules, every year", |b| {
        b.iter(|| {
            ratings_core::analyze(black_box(&shipped), None, &mut Budget::new(u64::MAX))
                .expect("fits")
        });
    });
    for n in [20, 40, 80] {
        let dir = std::env::temp_dir().join(format!(
            "ratings-bench-generated-{n}-{}",
            std::process::id()
        ));
        let script = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../bench/gen_rules.py"
        ));
        let status = std::process::Command::new("python3")
            .arg(script)
            .arg(n.to_string())
            .arg(&dir)
            .arg("2")
            .status();
        if !status.is_ok_and(|s| s.success()) {
            eprintln!("skipping generated rule sets: python3 bench/gen_rules.py failed");
            break;
        }
        let book = match load_dir(&dir) {
            Ok(book) => book,
            Err(problems) => panic!("generated rules load: {problems:?}"),
        };
        group.bench_function(BenchmarkId::new("generated judgements", n), |b| {
            b.iter(|| {
                ratings_core::analyze(black_box(&book), None, &mut Budget::new(u64::MAX))
                    .expect("fits")
            });
        });
        let _ = std::fs::remove_dir_all(&dir);
    }
    group.finish();
}

/// The benches, as criterion groups them (the group's function is written by the macro).
#[allow(missing_docs)]
mod group {
    use super::{analyze_rules, check_records, explain_one, verdicts};
    criterion::criterion_group!(benches, check_records, verdicts, explain_one, analyze_rules);
}
criterion_main!(group::benches);
