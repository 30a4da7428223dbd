#!/usr/bin/env bash
# Runs the benchmark suite (Benchmarks/, ordo-one package-benchmark). With "check", compares the
# run with the committed thresholds in Benchmarks/Thresholds/ and fails on a regression; with
# "update", rewrites those thresholds from this run.
set -euo pipefail
cd "$(dirname "$0")/../Benchmarks"
# SwiftPM keeps the build plan of this package when a source file is added to the root package it
# depends on by path, and the build then fails with "cannot find ... in scope": drop the plan so
# that the package graph is read again (a few seconds).
rm -f .build/release.yaml .build/debug.yaml
case "${1:-run}" in
  run) swift package benchmark --no-progress ;;
  check) swift package benchmark thresholds check --no-progress ;;
  update)
    swift package --allow-writing-to-package-directory benchmark thresholds update --no-progress
    # package-benchmark 1.38 writes "a_b.p90.json" but looks for "a b.p90.json" (our benchmark
    # names have spaces, no underscores), and only allocation counts make stable thresholds on a
    # shared machine: keep those, under the name the check reads.
    cd Thresholds
    for file in *_*.p90.json; do
      [ -e "$file" ] || continue
      named="$(echo "$file" | tr '_' ' ')"
      count="$(grep -o '"mallocCountTotal" : [0-9]*' "$file" || true)"
      rm "$file"
      if [ -n "$count" ]; then printf '{\n  %s\n}\n' "$count" > "$named"; fi
    done
    ;;
  *) echo "usage: scripts/bench.sh [run|check|update]" >&2; exit 2 ;;
esac
