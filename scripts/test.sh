#!/usr/bin/env bash
# Everything CI checks: system libraries, the taxonomy's own validation, and the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build
.build/debug/wildguard taxonomy validate --taxonomy Taxonomy
swift package generate-documentation --target WildGuard --warnings-as-errors
swift test
