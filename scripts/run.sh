#!/usr/bin/env bash
# The README's main command: installs what is missing, builds everything, then serves the page
# with kuaidi-mock behind it at the printed URL. Extra arguments go to kuaidi-mock
# (e.g. --gateway vpc, --appcode demo:100, --port 9000). Ctrl-C stops it.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$KUAIDI_ROOT"

ensure_debian_packages
build_native
build_wasm

log "serving build-wasm/web with kuaidi-mock (Ctrl-C to stop)"
exec "$KUAIDI_ROOT/build/mock_server/kuaidi-mock" --port "${KUAIDI_PORT:-8080}" \
  --web-root "$KUAIDI_ROOT/build-wasm/web" "$@"
