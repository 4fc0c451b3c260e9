#!/usr/bin/env bash
# ASan + UBSan: builds the asan preset (build-asan/, clang, every native target: core tests, mock
# server and its integration tests, the fuzzers) and runs its sanitizers suite through ctest
# (ctest --preset asan). Any sanitizer report fails the run, also one from a child process (the
# mock server started by the integration tests) that its test did not notice: the last entry,
# asan.sanitizers.reports, fails on any report logged to build-asan/sanitizer-reports/ and prints it.
# scripts/test.sh runs the same entries; this is the suite on its own.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$KUAIDI_ROOT"

ensure_debian_packages || exit 1
ensure_clang || exit 1
log "sanitizer build (build-asan/, clang, ASan+UBSan)"
build_preset asan || exit 1
log "tests under ASan+UBSan"
ctest --preset asan -j "$KUAIDI_JOBS"
