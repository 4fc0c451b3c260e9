#!/usr/bin/env bash
# The README's test command: installs what is missing, builds native and wasm, runs every test.
# Exits non-zero when anything fails; ends with the runners' summary lines.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$KUAIDI_ROOT"

# The page's PHP, Go and C# call samples are run for real (tests/browser/devmode.test.mjs); the
# gateway conformance suite plays Java, PHP, Python, Node and Go clients (tests/conformance/);
# scripts/package.sh needs patchelf and dpkg-dev.
ensure_debian_packages php-cli php-curl golang-go mono-mcs mono-runtime libmono-system-net-http4.0-cil \
  python3-requests openjdk-17-jdk-headless patchelf dpkg-dev || exit 1
ensure_npm_packages || exit 1
build_native || exit 1
build_wasm || exit 1

failed_any=0
total_passed=0
total_failed=0
summaries=()
run_suite() {  # name, command...; the command is a ctest run or node's test runner
  local name=$1 out line passed failed
  shift
  log "tests: $name"
  out=$(mktemp)
  "$@" 2>&1 | tee "$out"
  local status=${PIPESTATUS[0]}
  line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$out" | tail -n 1)
  if [[ $line =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
    failed=${BASH_REMATCH[1]}
    passed=$((BASH_REMATCH[2] - failed))
  elif passed=$(grep -aoE '^(#|ℹ) pass [0-9]+' "$out" | tail -n 1 | grep -oE '[0-9]+$') &&
       failed=$(grep -aoE '^(#|ℹ) fail [0-9]+' "$out" | tail -n 1 | grep -oE '[0-9]+$'); then
    line="$passed passed, $failed failed"
  else
    line="no summary (the build or the runner failed)"
    passed=0
    failed=1
  fi
  rm -f "$out"
  [ "$status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  summaries+=("$name: $line")
  [ "$status" -eq 0 ] || failed_any=1
}

run_suite native ctest --test-dir build --output-on-failure -j "$KUAIDI_JOBS"
run_suite wasm ctest --test-dir build-wasm --output-on-failure -j "$KUAIDI_JOBS"
run_suite browser env KUAIDI_MOCK="$KUAIDI_ROOT/build/mock_server/kuaidi-mock" \
  KUAIDI_WEB_ROOT="$KUAIDI_ROOT/build-wasm/web" KUAIDI_SCREENSHOTS="$KUAIDI_ROOT/build/screenshots" \
  node --test --test-concurrency=1 --test-reporter=tap tests/browser/*.test.mjs
# One minute of scripts/soak_mock.sh: one check, passed when every answer, RSS and crash rule held.
soak_minute() {
  if bash scripts/soak_mock.sh "${KUAIDI_SOAK_MINUTES:-1}"; then
    printf '# pass 1\n# fail 0\n'
  else
    printf '# pass 0\n# fail 1\n'
    return 1
  fi
}

# The artifacts of scripts/package.sh, each installed and run as its user would (tests/package/).
run_suite package bash -c 'bash scripts/package.sh &&
  KUAIDI_MOCK="$1/build/mock_server/kuaidi-mock" KUAIDI_WEB_ROOT="$1/build-wasm/web" \
  node --test --test-concurrency=1 --test-reporter=tap tests/package/*.test.mjs' package "$KUAIDI_ROOT"
run_suite sanitizers bash scripts/sanitize.sh
run_suite fuzz bash scripts/fuzz.sh "${KUAIDI_FUZZ_SECONDS:-10}"
run_suite soak soak_minute

log "summary"
printf '%s\n' "${summaries[@]}"
echo "ctest: $total_passed passed, $total_failed failed"
exit $failed_any
