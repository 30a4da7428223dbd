#!/usr/bin/env bash
# Runs the benchmark suite (Benchmarks/, ordo-one package-benchmark). With "check", compares the
# run with the committed thresholds in Benchmarks/Thresholds/ and fails on a regression; with
# "update", rewrites those thresholds from this run.
set -euo pipefail
cd "$(dirname "$0")/../Benchmarks"
case "${1:-run}" in
  run) swift package benchmark --no-progress ;;
  check) swift package benchmark thresholds check --no-progress ;;
  update) swift package --allow-writing-to-package-directory benchmark thresholds update --no-progress ;;
  *) echo "usage: scripts/bench.sh [run|check|update]" >&2; exit 2 ;;
esac
