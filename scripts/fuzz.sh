#!/usr/bin/env bash
# Fuzzes the core (validation, interpretation, detection) and the mock's fixtures parser with
# libFuzzer + ASan + UBSan: scripts/fuzz.sh [seconds per target, default 60].
# Builds build-fuzz/ from tests/fuzz/ (its own small CMake project), runs every target through
# ctest, two at a time. Seeds in tests/fuzz/corpus/ are only read; what the fuzzers learn stays in
# build-fuzz/corpus/. Exits non-zero when a target crashes, times out or breaks a property, and
# prints each reproducer. Ends with ctest's summary line.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$KUAIDI_ROOT"

seconds=${1:-60}
[[ $seconds =~ ^[0-9]+$ ]] || { echo "usage: scripts/fuzz.sh [seconds per target]" >&2; exit 2; }
build=$KUAIDI_ROOT/build-fuzz

ensure_debian_packages clang || exit 1
clang_major=$(clang++ -dumpversion | cut -d. -f1)
ensure_debian_packages "libclang-rt-${clang_major}-dev" || exit 1

log "fuzz build (build-fuzz/, clang ${clang_major}, ASan+UBSan+libFuzzer)"
cmake -S "$KUAIDI_ROOT/tests/fuzz" -B "$build" -DCMAKE_CXX_COMPILER=clang++ \
  -DKUAIDI_FUZZ_SECONDS="$seconds" >/dev/null || exit 1
cmake --build "$build" -j "$KUAIDI_JOBS" || exit 1

# Only this run's crashes are reported.
rm -rf "$build"/artifacts/*/* 2>/dev/null
log "fuzzing each target for ${seconds} s"
ctest --test-dir "$build" --output-on-failure -j "$KUAIDI_JOBS" -L fuzz 2>&1 | tee "$build/last-run.log"
status=${PIPESTATUS[0]}

reproducers=$(find "$build/artifacts" -type f | sort)
if [ -n "$reproducers" ]; then
  status=1
  log "reproducers (rerun one with: build-fuzz/fuzz_<target> <file>)"
  printf '%s\n' "$reproducers"
fi
exit "$status"
