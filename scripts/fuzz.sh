#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ with AddressSanitizer and runs each for a bounded time.
#
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]
#
# SECONDS per target (default 30; 0 only builds); TARGETs default to all of them. The build goes to
# $FUZZ_SCRATCH (default .build-fuzz). Exits non-zero when a target finds a crash, a broken
# invariant, a leak, a hang (one input running longer than FUZZ_TIMEOUT seconds, default 10) or
# cannot start. A finding is saved under .build-fuzz/artifacts/<target>/; replay it with the same
# binary:
#
#   .build-fuzz/debug/<target> .build-fuzz/artifacts/<target>/crash-...
#
# New inputs libFuzzer finds go to .build-fuzz/corpus/<target>; the seeds in Fuzz/corpus/<target>
# are only read. Copy an input that found a bug into Fuzz/corpus/<target> so that every later run
# starts with it. Fuzz/README.md has more.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-30}"
shift || true
case "$seconds" in
  ''|*[!0-9]*) echo "fuzz.sh: SECONDS must be a whole number, not '$seconds'" >&2; exit 2 ;;
esac
all_targets=(FuzzNormaliser FuzzEngine FuzzJSONRecord FuzzPolicy FuzzTaxonomy)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")

scratch="${FUZZ_SCRATCH:-.build-fuzz}"
# The library, its dependencies and the C code (shims, libyaml) are all instrumented: coverage for
# libFuzzer, AddressSanitizer for memory errors. WILDGUARD_LIBFUZZER makes each target hand its
# command line to libFuzzer (Fuzz/Support/FuzzDriver.swift).
flags=(
  -c debug --scratch-path "$scratch"
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -DWILDGUARD_LIBFUZZER
  -Xcc -fsanitize=fuzzer-no-link,address
)

build_start=$(date +%s)
for target in "${targets[@]}"; do
  echo "== building $target" >&2
  # ld.gold warns about every ASan symbol it cannot export; that noise hides real errors.
  swift build "${flags[@]}" --product "$target" 2>&1 | { grep -v "Cannot export local symbol" || true; } >&2
done
echo "== fuzz build took $(( $(date +%s) - build_start )) s" >&2
bin="$(swift build "${flags[@]}" --show-bin-path)"
[ "$seconds" -eq 0 ] && exit 0

# The Swift runtime's own crash handler would race libFuzzer's and ASan's for the signal.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS="${ASAN_OPTIONS:-symbolize=1}"
# Leaks in dependencies that are not WildGuard's to fix, each explained in the file.
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$PWD/Fuzz/lsan.supp:print_suppressions=0}"

dict_for() {
  case "$1" in
    FuzzJSONRecord) echo Fuzz/dict/json.dict ;;
    FuzzPolicy) echo Fuzz/dict/policy.dict ;;
    FuzzTaxonomy) echo Fuzz/dict/taxonomy.dict ;;
  esac
}

failed=()
for target in "${targets[@]}"; do
  corpus="$scratch/corpus/$target"
  artifacts="$scratch/artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  args=(
    -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=3072
    -artifact_prefix="$artifacts/" -print_final_stats=1
  )
  dict="$(dict_for "$target")"
  [ -n "$dict" ] && args+=(-dict="$dict")
  echo "== fuzzing $target for ${seconds} s" >&2
  # libFuzzer's own timeout handler can deadlock when the alarm interrupts an allocation; the
  # outer timeout makes sure a hang still ends the run (as a failure).
  if timeout --signal=KILL $(( seconds + ${FUZZ_TIMEOUT:-10} + 300 )) \
    "$bin/$target" "${args[@]}" "$corpus" "Fuzz/corpus/$target" > "$scratch/$target.log" 2>&1; then
    grep -E "^(Done|stat::number_of_executed_units|stat::new_units_added)" "$scratch/$target.log" >&2 || true
  else
    status=$?
    echo "!! $target failed (exit $status); log: $scratch/$target.log" >&2
    # The report: what broke and where, then the input libFuzzer saved.
    grep -E -A 40 "==ERROR|ERROR: libFuzzer|fuzz invariant broken|Fatal error|SUMMARY" "$scratch/$target.log" | head -80 >&2 || tail -40 "$scratch/$target.log" >&2
    ls -1 "$artifacts" >&2 || true
    failed+=("$target")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz.sh: findings in ${failed[*]}" >&2
  exit 1
fi
echo "fuzz.sh: ${#targets[@]} targets, ${seconds} s each, no findings" >&2
