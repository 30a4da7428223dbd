#!/usr/bin/env bash
# Runs the concurrency tests (one shared engine, many threads; reloads while classifying) under
# ThreadSanitizer. Any data race fails the run. The instrumented build lives in .build-tsan.
#
#   bash scripts/tsan.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}"
swift test --sanitize=thread --scratch-path .build-tsan --filter "Concurrency|Reloadable" 2>&1 | tee /tmp/wildguard-tsan.log
if grep -q "ThreadSanitizer" /tmp/wildguard-tsan.log; then
    echo "tsan.sh: ThreadSanitizer reported a problem (above)" >&2
    exit 1
fi
