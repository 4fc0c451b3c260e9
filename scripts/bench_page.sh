#!/usr/bin/env bash
# Measures the browser page in headless Chromium against a real kuaidi-mock: total size (as sent
# and gzipped), navigation → ready to type, validation + detection per keystroke, and a
# 500-number batch. A benchmark, not a test: it prints figures beside their targets.
#
#   KUAIDI_MOCK      kuaidi-mock binary   (default build/mock_server/kuaidi-mock; built if missing)
#   KUAIDI_WEB_ROOT  the built page       (default build-wasm/web; built if missing)
#   BENCH_RUNS       cold loads to time   (default 15)
#   BENCH_JSON       also write the figures to this JSON file
#   CHROMIUM         the browser          (default /usr/bin/chromium, installed if missing)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$KUAIDI_ROOT"

export KUAIDI_MOCK=${KUAIDI_MOCK:-$KUAIDI_ROOT/build/mock_server/kuaidi-mock}
export KUAIDI_WEB_ROOT=${KUAIDI_WEB_ROOT:-$KUAIDI_ROOT/build-wasm/web}

# The full browser a person opens, not the headless shell the tests use.
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
ensure_debian_packages chromium
ensure_npm_packages
[ -x "$KUAIDI_MOCK" ] || build_native
[ -f "$KUAIDI_WEB_ROOT/kuaidi.wasm" ] || build_wasm

log "page benchmark (mock: $KUAIDI_MOCK, page: $KUAIDI_WEB_ROOT)"
exec node "$KUAIDI_ROOT/tests/browser/bench_page.mjs"
