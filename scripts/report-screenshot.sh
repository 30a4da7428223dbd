#!/usr/bin/env bash
# Regenerates docs/report-sample.png, the README's picture of `wildguard report` on the bundled
# sample listings. Needs chromium (WILDGUARD_WITH_CHROMIUM=1 bash scripts/setup.sh); with a CJK and
# a Thai font installed (Debian: fonts-wqy-microhei, fonts-tlwg-loma) those listings are legible
# too. WILDGUARD_BIN picks the binary (default: a fresh debug build).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${WILDGUARD_BIN:-}" ]; then
  swift build --product wildguard >&2
  WILDGUARD_BIN=.build/debug/wildguard
fi
command -v chromium >/dev/null 2>&1 || { echo "report-screenshot.sh: chromium is not installed" >&2; exit 2; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$WILDGUARD_BIN" classify -q Examples/sample-listings.jsonl -o "$tmp/decisions.jsonl"
"$WILDGUARD_BIN" report -q "$tmp/decisions.jsonl" --listings Examples/sample-listings.jsonl -o "$tmp/report.html"
mkdir -p docs
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --user-data-dir="$tmp/profile" \
  --window-size=1280,2700 --screenshot="$PWD/docs/report-sample.png" "file://$tmp/report.html" 2>/dev/null
echo "wrote docs/report-sample.png" >&2
