#!/usr/bin/env bash
# Regenerates README.md's scenario table from the catalogue (through kuaidi-mock), after a build.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
mock="$KUAIDI_ROOT/build/mock_server/kuaidi-mock"
[ -x "$mock" ] || build_native
cmake -DMOCK="$mock" -DREADME="$KUAIDI_ROOT/README.md" -DUPDATE=ON -P "$KUAIDI_ROOT/tests/readme_scenarios.cmake"
