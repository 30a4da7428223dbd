#!/usr/bin/env bash
# Runs the benchmark suite (Benchmarks/, ordo-one package-benchmark) and prints issue 5's targets
# against the run's figures. With "check", compares the run with the committed thresholds in
# Benchmarks/Thresholds/ and fails on a regression; with "update", rewrites those thresholds
# from this run.
set -euo pipefail
cd "$(dirname "$0")/../Benchmarks"
# SwiftPM keeps the build plan of this package when a source file is added to the root package it
# depends on by path, and the build then fails with "cannot find ... in scope": drop the plan so
# that the package graph is read again (a few seconds).
rm -f .build/release.yaml .build/debug.yaml
# After a run: issue 5's targets against this run's p50 figures (p99 for latency), from the
# tables above (each iteration is 1,000 listings).
summarise() {
  awk '
    function micro(value, unit) {
      if (unit == "ns") return value / 1000
      if (unit == "ms") return value * 1000
      if (unit == "s") return value * 1000000
      return value
    }
    /^[A-Za-z]/ && !/^[│╒╞├╘]/ { name = $0 }
    /Time \(wall clock\)/ {
      split($0, cells, "│")
      unit = cells[2]; sub(/.*\(/, "", unit); sub(/\).*/, "", unit)
      gsub(/ /, "", cells[5]); gsub(/ /, "", cells[8])
      p50[name] = micro(cells[5], unit); p99[name] = micro(cells[8], unit)
    }
    /Malloc \(total\)/ { split($0, cells, "│"); gsub(/ /, "", cells[5]); mallocs[name] = cells[5] }
    END {
      one = p50["Classify end to end (JSONL in, JSON out), 1 thread"]
      two = p50["Classify end to end (JSONL in, JSON out), 2 threads"]
      plain = p50["Normalise + match"]; tenfold = p50["Normalise + match, 10x patterns"]
      load = p50["Engine load (parse + compile the bundled taxonomy)"]
      latency = p99["Classify one listing (latency)"]
      if (one == 0 || two == 0 || plain == 0 || tenfold == 0) { print "bench.sh: no figures to summarise"; exit }
      printf "\nIssue 5 targets (p50 of this run):\n"
      printf "  end to end, 1 thread   %8.0f listings/s   target 150,000   %s\n", 1e9 / one, (1e9 / one >= 150000 ? "met" : "NOT met")
      printf "  end to end, 2 threads  %8.2fx one thread  target 1.8x      %s\n", one / two, (one / two >= 1.8 ? "met" : "NOT met")
      printf "  matching, 10x patterns %8.0f%% of 1x       target 80%%       %s\n", 100 * plain / tenfold, (plain / tenfold >= 0.8 ? "met" : "NOT met")
      if (load > 0) printf "  engine load            %8.2f s           target 1 s       %s\n", load / 1e6, (load < 1e6 ? "met" : "NOT met")
      if (latency > 0) printf "  one listing, p99       %8.1f us          target 100 us    %s\n", latency, (latency < 100 ? "met" : "NOT met")
      if (mallocs["Classify end to end (JSONL in, JSON out), 1 thread"] != "")
        printf "  allocations, 1 thread  %8.2f a listing   (the benchmark'"'"'s own output buffer is one)\n", mallocs["Classify end to end (JSONL in, JSON out), 1 thread"] / 1000
    }' "$1"
}

case "${1:-run}" in
  run)
    log="$(mktemp)"
    trap 'rm -f "$log"' EXIT
    swift package benchmark --no-progress | tee "$log"
    summarise "$log"
    ;;
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
