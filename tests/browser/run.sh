#!/usr/bin/env bash
# Checks a rendered report in headless Chromium.
#   browser-test/run.sh REPORT.html EXPECTED.json SCREENSHOT.png [--full-page] [--no-nojs]
#                       [--viewport WxH] [--max-load-ms N]
# Installs Debian's chromium (apt-get) when /usr/bin/chromium is missing (set CHROMIUM to use
# another binary) and playwright-core from package-lock.json when node_modules is missing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
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
exec timeout 110 node "$here/check.mjs" "$@"
