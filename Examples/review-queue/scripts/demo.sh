#!/usr/bin/env bash
# Queues the bundled sample listings, screens them with two workers, and shows the result.
# Needs a PostgreSQL server in the PG* variables, e.g. from the repository root:
#   Examples/review-queue/scripts/with-postgres.sh bash Examples/review-queue/scripts/demo.sh
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
swift build --package-path "$here" --product wildguard-review-worker
worker="$(swift build --package-path "$here" --show-bin-path)/wildguard-review-worker"

"$worker" enqueue "$root/Examples/sample-listings.jsonl"
"$worker" work --taxonomy "$root/Taxonomy" --workers 2 --batch-size 10 --drain --log-level warning
"$worker" status
psql -X -P pager=off -c "
  SELECT l.external_id, r.score, r.deciding_rule, left(l.text, 60) AS listing
  FROM wildguard.review_queue r JOIN wildguard.listings l ON l.id = r.listing_id
  ORDER BY l.id"
