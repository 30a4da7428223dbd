#!/usr/bin/env bash
# The main job: install what is missing, build, and classify the bundled sample listings with the
# bundled taxonomy and the default policy. Decisions go to standard output as JSON lines.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product wildguard >&2
.build/release/wildguard classify --taxonomy Taxonomy Examples/sample-listings.jsonl "$@"
