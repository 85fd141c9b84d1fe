#!/usr/bin/env bash
# Run one fuzz target for a while, seeded with the repository's own inputs of its kind.
# Usage: bash fuzz/run.sh TARGET [SECONDS]   (default 600; needs `cargo install cargo-fuzz --locked`)
# The machine's toolchain is stable, so cargo-fuzz runs with RUSTC_BOOTSTRAP=1. Prints the
# number of executions and exits non-zero on a crash (the input is left in fuzz/artifacts/).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: bash fuzz/run.sh TARGET [SECONDS]}
seconds=${2:-600}
dict=""
corpus=fuzz/corpus/$target
mkdir -p "$corpus"
seed() { # files...
  for file in "$@"; do
    [ -f "$file" ] && cp "$file" "$corpus/seed-$(echo "$file" | tr '/' '_')"
  done
  return 0
}
shopt -s globstar nullglob
case $target in
  rule_loader|diff) seed rules/*.toml tests/rules/**/*.toml tests/bad-input/rules/**/*.toml tests/diff/**/*.toml ;;
  record_toml) seed corpus/**/*.toml tests/records/*.toml tests/bad-input/records/*.toml ;;
  record_csv|csv_paths) seed tests/records/*.csv tests/bad-input/records/*.csv tests/wide/*.csv ;;
  letter) seed corpus/documents/*.txt tests/letters/**/*.txt tests/bad-input/letters/* ;;
  authorities) seed crates/check/data/authorities.csv tests/authorities/**/*.csv ;;
  engine) ;;
  pdf) # No report PDF may enter the repository: the seed is a page's content and a map.
    printf '\001BT /F1 12 Tf 72 700 Td <0001> Tj ET /F2 9 Tf (A) Tj /X Do\3771 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfchar <0001> <0041> endbfchar' >"$corpus/seed-page"
    dict=-dict=fuzz/pdf.dict ;;
  *) echo "fuzz/run.sh: unknown target $target" >&2; exit 2 ;;
esac
RUSTC_BOOTSTRAP=1 cargo fuzz run -O "$target" "$corpus" -- $dict -max_total_time="$seconds" -print_final_stats=1 2>&1 \
  | tee "fuzz/last-$target.log" | grep -E "stat::number_of_executed_units|SUMMARY|panicked|ERROR" || true
! grep -q -E "SUMMARY|panicked at|ERROR: libFuzzer" "fuzz/last-$target.log"
