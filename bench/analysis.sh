#!/usr/bin/env bash
# Cross-check `ratings analyze` against clingo and time both, on the shipped rules, the
# analysis test cases and generated dense rule sets of 20, 40 and 80 judgements.
# Usage: bash bench/analysis.sh   (installs clingo 5.8.3 with pip if it is missing)
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c "import clingo" 2>/dev/null || python3 -m pip install --quiet "clingo==5.8.3"
cargo build --release --quiet
out=$(mktemp -d)
for n in 20 40 80; do python3 bench/gen_rules.py "$n" "$out/generated-$n" 2; done
python3 bench/clingo_check.py --runs "${RUNS:-20}" rules tests/analyze/* "$out"/generated-20 "$out"/generated-40 "$out"/generated-80
