#!/usr/bin/env bash
# Reading report PDFs: the PDF reader alone against `ratings check` end to end, on the real
# reports in ../shared/found-data/reports (read in place; never copied into the project).
#   - `timing`: per-report text extraction and read_report (median, max, best of 3 each),
#     then the whole folder on two threads, in process;
#   - `ratings check` on the folder (124 reports) and on a folder of 496 made in a temporary
#     directory outside the project from four copies of each report: wall time, peak memory.
# Usage: bash bench/reports.sh
set -euo pipefail
cd "$(dirname "$0")/.."
reports=../shared/found-data/reports
[ -d "$reports" ] || { echo "bench/reports.sh: $reports is missing" >&2; exit 2; }
cargo build --release --quiet --bin ratings
cargo build --release --quiet -p ratings-pdf --example timing
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/many"
for copy in 1 2 3 4; do
  for report in "$reports"/*.pdf; do cp "$report" "$tmp/many/$copy-$(basename "$report")"; done
done
echo "== PDF reader alone (crates/pdf/examples/timing.rs), 124 reports"
./target/release/examples/timing "$reports" 2
measure() { # label command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$tmp/time.txt" "$@" > "$tmp/stdout.txt" 2> /dev/null || true
  read -r seconds kb < <(tail -n 1 "$tmp/time.txt")
  echo "$label: ${seconds} s wall, $(( kb / 1024 )) MB peak"
  grep -o 'summary:.*' "$tmp/stdout.txt" | sed 's/^/  /' || true
}
echo "== ratings check, end to end (both cores)"
measure "124 reports" ./target/release/ratings check "$reports"
measure "496 reports" ./target/release/ratings check "$tmp/many"
echo "== PDF reader alone, the 496 reports"
./target/release/examples/timing "$tmp/many" 2
