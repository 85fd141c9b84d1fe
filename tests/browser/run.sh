#!/usr/bin/env bash
# The browser test of `ratings report` (run by .ci/run): writes the report of the shipped
# corpus, of the report test's fixtures (an inconsistent assessment, sources that disagree, a
# rejected record, hostile strings) and, where ../shared/found-data exists, of everything
# (corpus, the found-data tables through their column maps, and the report PDFs), and checks
# each page in headless Chromium against `ratings check --format json` on the same input
# (tests/browser/check.mjs). Pages, check outputs and screenshots go to target/browser-test/.
#
# Installs Debian's chromium with apt-get when /usr/bin/chromium is missing (CHROMIUM=/path uses
# another binary), and playwright-core from package-lock.json with `npm ci` when node_modules
# is missing. Usage: bash tests/browser/run.sh [--release]
set -euo pipefail
cd "$(dirname "$0")/../.."
here=tests/browser
out=target/browser-test
profile=debug
if [ "${1:-}" = "--release" ]; then profile=release; fi
started=$(date +%s)

if [ -z "${CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "# installing chromium with apt-get" >&2
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >&2
fi
if [ ! -f "$here/node_modules/playwright-core/package.json" ]; then
  echo "# installing playwright-core (npm ci)" >&2
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi

if [ "$profile" = release ]; then
  cargo build --locked --quiet --release --bin ratings
else
  cargo build --locked --quiet --bin ratings
fi
ratings="target/$profile/ratings"
mkdir -p "$out"

status=0
# case NAME [NODE-OPTION...] -- [INPUT-ARGUMENT...]: check and report the same input at the
# same time (two processes), then check the page.
case_() {
  local name=$1; shift
  local options=()
  while [ "$1" != "--" ]; do options+=("$1"); shift; done
  shift
  echo "## $name: ratings report $* -o $out/$name.html"
  local check_code=0 report_code=0
  "$ratings" check --format json "$@" > "$out/$name.check.json" 2> "$out/$name.check.stderr" &
  local check_pid=$!
  "$ratings" report "$@" -o "$out/$name.html" 2> "$out/$name.report.stderr" || report_code=$?
  wait "$check_pid" || check_code=$?
  tail -n 2 "$out/$name.report.stderr"
  # Exit 0, 1 (findings) and 2 (input lost) are verdicts; anything else is a crash.
  if [ "$report_code" -gt 2 ] || [ "$report_code" -ne "$check_code" ]; then
    echo "not ok - ratings report exits $report_code, ratings check $check_code (see $out/$name.report.stderr)"
    status=1
    return
  fi
  echo "ok - ratings report exits $report_code, as ratings check does"
  timeout 110 node "$here/check.mjs" "$out/$name.html" "$out/$name.check.json" "$out/$name.png" "${options[@]}" || status=1
}

case_ corpus -- corpus/
case_ fixtures --filter leic -- crates/html/tests/fixtures/
case_ provider-fixtures -- --columns sccif-providers tests/wide/sccif-providers-2016.csv \
  tests/wide/sccif-providers-2022.csv tests/wide/sccif-providers-next-year.csv
found=../shared/found-data
if [ -d "$found" ]; then
  # The page a reader is handed, at the width of a laptop screen.
  case_ everything --viewport 1400x1000 -- corpus/ "$found" --exclude INDEX.csv --exclude providers --exclude peer \
    --columns maps/ilacs-2018-2026.toml --columns maps/lac-2013.toml --columns maps/sif-2014-2018.toml
  # The national record of providers: over 20,000 inspections on one page of a few MB.
  case_ providers --viewport 1400x1000 --no-nojs -- --columns sccif-providers "$found/providers"
elif [ -n "${RATINGS_REQUIRE_SHARED:-}" ]; then
  echo "not ok - $found is not there, and RATINGS_REQUIRE_SHARED asks for it"
  status=1
else
  echo "## everything and providers: skipped, $found is not there"
fi
echo "# browser test: $(( $(date +%s) - started )) s in all"
exit $status
