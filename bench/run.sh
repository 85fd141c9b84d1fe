#!/usr/bin/env bash
# Every performance figure of docs/performance.md, side by side with the peers, in one run:
#   - synthetic assessments (crates/bench: ratings-generate), 10k/100k/1M, full and partial;
#   - `check` end to end on 100k and 1M full assessments: wall time and peak memory, each run
#     three times beside the pandas script an analyst would write (bench/pandas_check.py,
#     pandas 3.1.1), with the ratios of their medians and of their best runs;
#   - the whole real record (corpus/ and the three found-data wide tables, one process), the
#     found-data report PDFs on their own (more on those: bench/reports.sh), and the national
#     record of children's social care providers (nine snapshots) and its report page;
#   - `check` in-process (criterion: crates/bench/benches/check.rs), assessments per second;
#   - Cedar 4.14 (bench/cedar): the same `must` rules as `forbid` policies, one call per record;
#   - `explain` latency and `analyze` (criterion), and `analyze` against clingo (bench/analysis.sh).
# Usage: bash bench/run.sh [--quick]   (--quick: skip 1M and the clingo comparison)
set -euo pipefail
cd "$(dirname "$0")/.."
quick=${1:-}
out=${BENCH_OUT:-$(mktemp -d)}
found=../shared/found-data
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
# runs N command... -> "min median max peak_mb" over N runs
runs() {
  local n=$1; shift
  local times=() peak=0 s kb
  for _ in $(seq "$n"); do
    read -r s kb < <(measure "$@")
    times+=("$s")
    [ "$kb" -gt "$peak" ] && peak=$kb
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v peak=$((peak / 1024)) '{ t[NR] = $1 } END { printf "%s %s %s %d\n", t[1], t[int((NR + 1) / 2)], t[NR], peak }'
}
ratio() { echo "$1 / $2" | bc -l | cut -c1-4; }

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
echo
echo "## Beside pandas (three runs each, interleaved; min median max seconds, peak MB)"
# Two like-for-like pairs: `--format compact` (one line per assessment) beside the pandas
# script writing its verdict table (one row per assessment), and `--format csv` (one row per
# grade, for spreadsheets: about ten times the bytes) beside the same script.
for n in $sizes; do
  [ "$n" = 10000 ] && continue
  compact=(); csv=(); theirs=()
  for _ in 1 2 3; do
    read -r s kb < <(measure ./target/release/ratings check --authorities "$out/full-$n/authorities.csv" --format compact "$out/full-$n/records")
    compact+=("$s $kb")
    read -r s kb < <(measure ./target/release/ratings check --authorities "$out/full-$n/authorities.csv" --format csv "$out/full-$n/records")
    csv+=("$s $kb")
    read -r s kb < <(measure python3 bench/pandas_check.py "$out/full-$n/records" "$out/verdicts-$n.csv")
    theirs+=("$s $kb")
  done
  summarise() { printf '%s\n' "$@" | sort -n | awk '{ t[NR] = $1; if ($2 > p) p = $2 } END { printf "%s %s %s %d\n", t[1], t[2], t[3], p / 1024 }'; }
  read -r cmin cmed cmax cpeak < <(summarise "${compact[@]}")
  read -r vmin vmed vmax vpeak < <(summarise "${csv[@]}")
  read -r pmin pmed pmax ppeak < <(summarise "${theirs[@]}")
  echo "ratings check --format compact, $n full: $cmin $cmed $cmax s, $cpeak MB"
  echo "ratings check --format csv, $n full: $vmin $vmed $vmax s, $vpeak MB"
  echo "pandas script (verdicts written), $n full: $pmin $pmed $pmax s, $ppeak MB"
  echo "pandas / ratings compact, $n full, end to end: $(ratio "$pmed" "$cmed")x (medians), $(ratio "$pmin" "$cmin")x (best runs)"
  echo "pandas / ratings csv, $n full, end to end: $(ratio "$pmed" "$vmed")x (medians), $(ratio "$pmin" "$vmin")x (best runs)"
done
echo
echo "## The real record"
if [ -d "$found" ]; then
  maps="--columns maps/sif-2014-2018.toml --columns maps/ilacs-2018-2026.toml --columns maps/lac-2013.toml"
  tables="$found/sif-2014-2018-la-judgements.csv $found/ilacs-2018-2026-la-judgements.csv $found/lac-2013-la-judgements.csv"
  # shellcheck disable=SC2086
  read -r min med max peak < <(runs 7 ./target/release/ratings check $maps corpus $tables)
  echo "corpus and the three found-data tables, one process (7 runs): $min $med $max s (min median max), $peak MB"
  # shellcheck disable=SC2086
  ./target/release/ratings check $maps --quiet corpus $tables 2>&1 | sed 's/^/  /' || true
  read -r min med max peak < <(runs 3 ./target/release/ratings check "$found/reports")
  echo "the found-data report PDFs, one process (3 runs): $min $med $max s (min median max), $peak MB"
  # shellcheck disable=SC2086
  read -r min med max peak < <(runs 3 ./target/release/ratings check $maps corpus $tables "$found/reports")
  echo "everything: corpus, the three tables and the report PDFs, one process (3 runs): $min $med $max s (min median max), $peak MB"
  # The national record of children's social care providers: nine snapshots, one process,
  # human output to /dev/null as an auditor's run would print it (target: under 1 s).
  read -r min med max peak < <(runs 7 ./target/release/ratings check --columns sccif-providers "$found/providers")
  echo "the national provider record, nine snapshots, one process (7 runs): $min $med $max s (min median max), $peak MB"
  ./target/release/ratings check --columns sccif-providers --quiet "$found/providers" 2>&1 | tail -n 1 | sed 's/^/  /' || true
  read -r min med max peak < <(runs 3 ./target/release/ratings report --columns sccif-providers "$found/providers" -o "$out/providers.html")
  echo "its report page (3 runs): $min $med $max s (min median max), $peak MB, $(stat -c %s "$out/providers.html") bytes"
else
  echo "$found is missing: the real record is not measured"
fi
echo
echo "## Verdicts agree"
(./target/release/ratings check --authorities "$out/full-100000/authorities.csv" --format compact "$out/full-100000/records/records.csv" 2>/dev/null || true) | grep -v '^summary' | grep -c ' inconsistent' | sed 's/^/ratings inconsistent: /'
python3 bench/pandas_check.py "$out/full-100000/records/records.csv" | sed 's/^/  /'
./bench/cedar/target/release/cedar-peer "$out/full-100000/records/records.csv" | sed 's/^/  /'
echo "  (the peers encode the 2005-2011 must rules only; the workload spans every year the rules cover)"
echo
echo "## In process (criterion; one core)"
cargo bench --quiet -p ratings-bench --bench check -- --noplot 2>/dev/null | grep -E "^(check|verdict|explain|analyze)|time:|thrpt:" || true
cedar_line=$(./bench/cedar/target/release/cedar-peer "$out/full-100000/records/records.csv")
echo "$cedar_line"
if [ "$quick" != "--quick" ]; then
  echo
  echo "## Analysis against clingo"
  RUNS=10 bash bench/analysis.sh | tail -n +1
fi
