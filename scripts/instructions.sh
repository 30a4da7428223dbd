#!/usr/bin/env bash
# Counts the instructions each stage executes per listing of the benchmark corpus, with
# valgrind's callgrind: the same count on every run of the same build on the same kind of
# machine, however busy it is (wall time on a shared VM varies by a third). A finer measure than
# the benchmarks' allocation thresholds for "did this change make classification slower?".
#
#   bash scripts/instructions.sh          print instructions per listing for each stage
#   bash scripts/instructions.sh check    fail if a stage takes over 5% more than the counts
#                                         committed in Benchmarks/instructions.txt
#   bash scripts/instructions.sh update   rewrite Benchmarks/instructions.txt from this build
#
# Counts depend on the CPU's libc routines and the library versions: compare builds on one
# machine kind (the committed counts come from this repository's 2-core x86_64 VM).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-run}"
command -v valgrind >/dev/null || { echo "instructions.sh: valgrind is needed (apt-get install valgrind)" >&2; exit 2; }
# match10x: normalise and match with ten times the terms (Benchmarks' TenfoldTaxonomy); the
# matching stage should keep at least 80% of its throughput there.
stages=(normalise match classify endToEnd match10x)
listings=1000

# SwiftPM keeps the build plan of Benchmarks/ when a source file is added to the root package it
# depends on by path ("cannot find ... in scope"): drop it so that the package graph is read again.
rm -f Benchmarks/.build/release.yaml
# The build's output is shown only when it fails, so that a failed build does not end the script silently.
build_log="$(mktemp)"
(cd Benchmarks && swift build -c release --product InstructionCount >"$build_log" 2>&1) \
  || { cat "$build_log" >&2; rm -f "$build_log"; echo "instructions.sh: the benchmark build failed" >&2; exit 1; }
rm -f "$build_log"
binary="$(cd Benchmarks && swift build -c release --show-bin-path)/InstructionCount"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# valgrind 3.19 cannot read the DWARF 5 debug information Swift writes: count a copy without it.
strip -g -o "$work/InstructionCount" "$binary"
valgrind --tool=callgrind --toggle-collect='*stage_*' --callgrind-out-file="$work/callgrind.out" \
  "$work/InstructionCount" "$PWD/Taxonomy" "${stages[@]}" >/dev/null 2>"$work/valgrind.log" \
  || { cat "$work/valgrind.log" >&2; exit 1; }
callgrind_annotate --inclusive=yes "$work/callgrind.out" > "$work/annotated.txt"

declare -A counted
for stage in "${stages[@]}"; do
  total="$(grep -E "[0-9]stage_${stage}Siy" "$work/annotated.txt" | head -1 | awk '{gsub(",", "", $1); print $1}' || true)"
  [ -n "$total" ] || { echo "instructions.sh: no count for stage $stage" >&2; exit 1; }
  counted[$stage]=$((total / listings))
done

baseline=Benchmarks/instructions.txt
case "$mode" in
  run)
    for stage in "${stages[@]}"; do printf '%-10s %9d instructions per listing\n' "$stage" "${counted[$stage]}"; done
    echo "match with 10x terms: $((100 * counted[match] / counted[match10x]))% of the throughput with 1x (by instructions)" ;;
  update)
    { echo "# Instructions per listing of the benchmark corpus (bash scripts/instructions.sh update)."
      for stage in "${stages[@]}"; do echo "$stage ${counted[$stage]}"; done; } > "$baseline"
    cat "$baseline" ;;
  check)
    failed=0
    for stage in "${stages[@]}"; do
      committed="$(awk -v s="$stage" '$1 == s {print $2}' "$baseline")"
      [ -n "$committed" ] || { echo "instructions.sh: $stage missing from $baseline" >&2; exit 2; }
      limit=$((committed * 105 / 100))
      verdict=ok
      if [ "${counted[$stage]}" -gt "$limit" ]; then verdict="REGRESSION (over $limit)"; failed=1; fi
      printf '%-10s %9d per listing (committed %d) %s\n' "$stage" "${counted[$stage]}" "$committed" "$verdict"
    done
    exit "$failed" ;;
  *) echo "usage: scripts/instructions.sh [run|check|update]" >&2; exit 2 ;;
esac
