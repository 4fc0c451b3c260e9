#!/usr/bin/env bash
# The README's test command: installs what is missing, builds native and wasm, runs every test.
# Exits non-zero when anything fails; ends with the runners' summary lines.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$KUAIDI_ROOT"

ensure_debian_packages || exit 1
ensure_npm_packages || exit 1
build_native || exit 1
build_wasm || exit 1

failed=0
total_passed=0
total_failed=0
summaries=()
run_suite() {  # name, command...; the command is a ctest run
  local name=$1 out line
  shift
  log "tests: $name"
  out=$(mktemp)
  "$@" 2>&1 | tee "$out"
  local status=${PIPESTATUS[0]}
  line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$out" | tail -n 1)
  rm -f "$out"
  if [[ $line =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
    total_failed=$((total_failed + BASH_REMATCH[1]))
    total_passed=$((total_passed + BASH_REMATCH[2] - BASH_REMATCH[1]))
  else
    line="no summary (the runner did not finish)"
    total_failed=$((total_failed + 1))
  fi
  summaries+=("$name: $line")
  [ "$status" -eq 0 ] || failed=1
}

run_suite native ctest --test-dir build --output-on-failure -j "$KUAIDI_JOBS"
run_suite wasm ctest --test-dir build-wasm --output-on-failure -j "$KUAIDI_JOBS"

log "summary"
printf '%s\n' "${summaries[@]}"
echo "ctest: $total_passed passed, $total_failed failed"
exit $failed
