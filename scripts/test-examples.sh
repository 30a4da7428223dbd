#!/usr/bin/env bash
# Builds and tests the example packages that embed WildGuard in a moderation pipeline:
#   Examples/http-service   the HTTP service (Hummingbird), tested with a real HTTP client on loopback
#   Examples/review-queue   the PostgreSQL review queue (postgres-nio), tested against a throwaway
#                           PostgreSQL server that scripts/with-postgres.sh starts and stops
# Each is a Swift package of its own that depends on this one by path, so that the root package's
# build stays light; each builds in its own .build folder.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

started=$SECONDS
step() { echo "== $* ($((SECONDS - started)) s)"; }

step "Examples/http-service: build"
swift build --package-path Examples/http-service --build-tests
step "Examples/http-service: test"
swift test --package-path Examples/http-service --skip-build

step "Examples/review-queue: build"
swift build --package-path Examples/review-queue --build-tests
step "Examples/review-queue: test (PostgreSQL)"
# Last, so that the test runner's summary closes the output.
bash Examples/review-queue/scripts/with-postgres.sh swift test --package-path Examples/review-queue --skip-build
