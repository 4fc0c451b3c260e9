#!/usr/bin/env bash
# Fuzzes the core (validation, interpretation, detection, the simulator) and the mock's fixtures
# parser with libFuzzer + ASan + UBSan: scripts/fuzz.sh [seconds per target, default 60].
# Builds the fuzz targets of the asan tree (build-asan/, preset fuzz), runs each through ctest
# (label fuzz), two at a time. Seeds in tests/fuzz/corpus/ are only read; what the fuzzers learn
# stays in build-asan/tests/fuzz/corpus/. Exits non-zero when a target crashes, times out or breaks
# a property, and prints each reproducer.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$KUAIDI_ROOT"

seconds=${1:-60}
[[ $seconds =~ ^[0-9]+$ ]] || { echo "usage: scripts/fuzz.sh [seconds per target]" >&2; exit 2; }
fuzz=$KUAIDI_ROOT/build-asan/tests/fuzz

ensure_clang || exit 1
log "fuzz build (build-asan/, ASan+UBSan+libFuzzer)"
configure_preset fuzz -DKUAIDI_FUZZ_SECONDS="$seconds" || exit 1
(cmake --build --preset fuzz -j "$KUAIDI_JOBS") || exit 1

# Only this run's crashes are reported.
rm -rf "$fuzz"/artifacts/*/* 2>/dev/null
log "fuzzing each target for ${seconds} s"
ctest --preset fuzz -j "$KUAIDI_JOBS"
status=$?

reproducers=$(find "$fuzz/artifacts" -type f | sort)
if [ -n "$reproducers" ]; then
  status=1
  log "reproducers (rerun one with: build-asan/tests/fuzz/fuzz_<target> <file>)"
  printf '%s\n' "$reproducers"
fi
exit "$status"
