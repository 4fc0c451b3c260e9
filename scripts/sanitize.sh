#!/usr/bin/env bash
# ASan + UBSan build of every native target (core tests, mock server and its integration tests)
# in build-asan/, then ctest there. Flags come from this command line, not the project's CMake.
# Any sanitizer report fails the run, also one from a child process (the mock server started by
# the integration tests) that its test did not notice: reports are logged to build-asan/reports/.
# Exits non-zero on any failure or report; ends with ctest's summary line.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$KUAIDI_ROOT"

build=$KUAIDI_ROOT/build-asan
sanitizers="-fsanitize=address,undefined -fno-sanitize-recover=all"
# -O0 compiles in half the time of -O1 (Catch2's main alone: 17 s against 35 s) and the tests are
# short; line tables are enough for the reports' stack traces.
opt=${KUAIDI_SANITIZE_OPT:--O0}

# clang with its sanitizer runtimes (Debian splits them out), or KUAIDI_SANITIZE_CXX=g++.
cxx=${KUAIDI_SANITIZE_CXX:-clang++}
debug_info=-g1  # GCC's line tables
if [ "$cxx" = clang++ ]; then
  debug_info=-gline-tables-only
  ensure_debian_packages clang || exit 1
  ensure_debian_packages "libclang-rt-$(clang++ -dumpversion | cut -d. -f1)-dev" || exit 1
else
  ensure_debian_packages || exit 1
fi

log "sanitizer build (build-asan/, $cxx $opt, ASan+UBSan)"
cmake -S "$KUAIDI_ROOT" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_CXX_FLAGS_DEBUG="$opt $debug_info" \
  -DCMAKE_CXX_FLAGS="$sanitizers -fno-omit-frame-pointer" \
  -DCMAKE_EXE_LINKER_FLAGS="$sanitizers" -DCMAKE_SHARED_LINKER_FLAGS="$sanitizers" >/dev/null ||
  exit 1
cmake --build "$build" -j "$KUAIDI_JOBS" || exit 1

reports=$build/reports
rm -rf "$reports" && mkdir -p "$reports"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:log_path=$reports/asan"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$reports/ubsan"
export LSAN_OPTIONS="log_path=$reports/lsan"

log "tests under ASan+UBSan"
out=$(mktemp)
ctest --test-dir "$build" --output-on-failure -j "$KUAIDI_JOBS" 2>&1 | tee "$out"
status=${PIPESTATUS[0]}
summary=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$out" | tail -n 1)
rm -f "$out"

found=0
if compgen -G "$reports/*" >/dev/null; then
  found=1
  status=1
  log "sanitizer reports (build-asan/reports/)"
  for report in "$reports"/*; do
    echo "--- $report"
    cat "$report"
  done
fi
# ctest's summary with one more check, "no sanitizer report anywhere", last for scripts/test.sh.
if [[ $summary =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
  failed=$((BASH_REMATCH[1] + found))
  total=$((BASH_REMATCH[2] + 1))
  echo "$(((total - failed) * 100 / total))% tests passed, $failed tests failed out of $total" \
    "(ctest and the sanitizer-report check)"
else
  echo "no ctest summary (the build or the runner failed)"
  status=1
fi
exit "$status"
