#!/usr/bin/env bash
# Every performance figure of docs/performance.md, side by side with the peers, in one run:
#   - synthetic assessments (crates/bench: ratings-generate), 10k/100k/1M, full and partial;
#   - `check` in-process (criterion: crates/bench/benches/check.rs), assessments per second;
#   - Cedar 4.14 (bench/cedar): the same `must` rules as `forbid` policies, one call per record;
#   - `check` end to end on 100k full assessments: wall time and peak memory, against the
#     pandas script an analyst would write (bench/pandas_check.py, pandas 3.1.1);
#   - `explain` latency and `analyze` (criterion), and `analyze` against clingo (bench/analysis.sh).
# Usage: bash bench/run.sh [--quick]   (--quick: skip 1M and the clingo comparison)
set -euo pipefail
cd "$(dirname "$0")/.."
quick=${1:-}
out=${BENCH_OUT:-$(mktemp -d)}
python3 -c "import pandas" 2>/dev/null || python3 -m pip install --quiet "pandas==3.1.1"
cargo build --release --quiet --workspace
(cd bench/cedar && cargo build --release --quiet)

sizes="10000 100000 1000000"
[ "$quick" = "--quick" ] && sizes="10000 100000"
for n in $sizes; do
  ./target/release/ratings-generate --assessments "$n" --files $(( (n + 99999) / 100000 )) "$out/full-$n" 2>/dev/null
done
./target/release/ratings-generate --assessments 100000 --partial "$out/partial-100000" 2>/dev/null
./target/release/ratings-generate --assessments 10000 --format toml "$out/toml-10000" 2>/dev/null

measure() { # command... -> "seconds peak_kb"
  /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" > /dev/null 2>&1 || true
  tail -n 1 "$out/time.txt"
}

echo "## End to end (wall seconds, peak MB)"
printf "%-34s %10s %10s %14s\n" "input" "seconds" "peak MB" "assessments/s"
for n in $sizes; do
  read -r s kb < <(measure ./target/release/ratings check --authorities "$out/full-$n/authorities.csv" --format csv "$out/full-$n/records")
  printf "%-34s %10s %10d %14.0f\n" "ratings check, $n full (CSV)" "$s" $((kb / 1024)) "$(echo "$n / $s" | bc -l)"
done
read -r s kb < <(measure ./target/release/ratings check --authorities "$out/partial-100000/authorities.csv" --format csv "$out/partial-100000/records/records.csv")
printf "%-34s %10s %10d %14.0f\n" "ratings check, 100000 partial" "$s" $((kb / 1024)) "$(echo "100000 / $s" | bc -l)"
read -r s kb < <(measure ./target/release/ratings check --authorities "$out/toml-10000/authorities.csv" --format csv "$out/toml-10000/records/records.toml")
printf "%-34s %10s %10d %14.0f\n" "ratings check, 10000 full (TOML)" "$s" $((kb / 1024)) "$(echo "10000 / $s" | bc -l)"
read -r s kb < <(measure python3 bench/pandas_check.py "$out/full-100000/records/records.csv")
pandas_s=$s
printf "%-34s %10s %10d %14.0f\n" "pandas script, 100000 full" "$s" $((kb / 1024)) "$(echo "100000 / $s" | bc -l)"
read -r ours_s _ < <(measure ./target/release/ratings check --authorities "$out/full-100000/authorities.csv" --format csv "$out/full-100000/records/records.csv")
echo "pandas / ratings, 100k full, end to end: $(echo "$pandas_s / $ours_s" | bc -l | cut -c1-5)x"
echo
echo "## Verdicts agree"
(./target/release/ratings check --authorities "$out/full-100000/authorities.csv" --format csv "$out/full-100000/records/records.csv" 2>/dev/null || true) | grep -c ",inconsistent," | sed 's/^/ratings inconsistent: /'
python3 bench/pandas_check.py "$out/full-100000/records/records.csv" | sed 's/^/  /'
./bench/cedar/target/release/cedar-peer "$out/full-100000/records/records.csv" | sed 's/^/  /'
echo
echo "## In process (criterion; one core)"
cargo bench --quiet -p ratings-bench --bench check -- --noplot 2>/dev/null | grep -E "^(check|explain|analyze)|time:|thrpt:" || true
cedar_line=$(./bench/cedar/target/release/cedar-peer "$out/full-100000/records/records.csv")
echo "$cedar_line"
if [ "$quick" != "--quick" ]; then
  echo
  echo "## Analysis against clingo"
  RUNS=10 bash bench/analysis.sh | tail -n +1
fi
