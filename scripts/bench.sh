#!/usr/bin/env bash
# Every benchmark in one go, one after another (never side by side: they would measure each
# other): the core natively and as wasm (bench_core.sh), kuaidi-mock against nginx, WireMock and
# Mockoon (bench_mock.sh), the page in Chromium (bench_page.sh). Then regenerates BENCHMARKS.md
# and benchmarks/bench_ratios.svg from their JSON figures (scripts/bench_report.mjs).
#
#   scripts/bench.sh                  full run, about 10-15 minutes
#   BENCH_QUICK=1 scripts/bench.sh    short settings for development, about 2-3 minutes
# Each script's own settings still apply and win over BENCH_QUICK's (DURATION, ROUNDS, WARMUP,
# CONNECTIONS, WRK_THREADS; KUAIDI_BENCH_OPT, BENCH_CORE_ROUNDS; BENCH_RUNS). The JSON figures
# stay in BENCH_RESULTS (default build/bench/results/).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$KUAIDI_ROOT"

quick=${BENCH_QUICK:-0}
[[ $quick =~ ^[01]$ ]] || { echo "BENCH_QUICK is 1 (short run) or 0 (full run), not '$quick'" >&2; exit 1; }
results=${BENCH_RESULTS:-$KUAIDI_ROOT/build/bench/results}
core_args=()
if [ "$quick" = 1 ]; then
  export DURATION=${DURATION:-3} ROUNDS=${ROUNDS:-1} WARMUP=${WARMUP:-5} CONNECTIONS=${CONNECTIONS:-64}
  export BENCH_CORE_ROUNDS=${BENCH_CORE_ROUNDS:-1} BENCH_RUNS=${BENCH_RUNS:-5}
  core_args=(--quick)
fi

mkdir -p "$results"
rm -f "$results"/{core,mock,page,machine}.json
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date +%s)
declare -A seconds_of

run_benchmark() {  # name script [args...]: the script writes its figures to $results/name.json
  local name=$1 t0
  shift
  log "benchmark: $name ($*)"
  t0=$(date +%s)
  if ! BENCH_JSON="$results/$name.json" bash "$@"; then
    echo "$name benchmark failed (see above); BENCHMARKS.md is left as it was" >&2
    exit 1
  fi
  seconds_of[$name]=$(($(date +%s) - t0))
}

run_benchmark core scripts/bench_core.sh "${core_args[@]}"
run_benchmark mock scripts/bench_mock.sh
run_benchmark page scripts/bench_page.sh

cat >"$results/machine.json" <<JSON
{
  "command": "$([ "$quick" = 1 ] && echo 'BENCH_QUICK=1 ')scripts/bench.sh",
  "quick": $([ "$quick" = 1 ] && echo true || echo false),
  "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "seconds": $(($(date +%s) - started)),
  "seconds_per_benchmark": {"core": ${seconds_of[core]}, "mock": ${seconds_of[mock]}, "page": ${seconds_of[page]}},
  "cores": $(nproc),
  "cpu": "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)",
  "memory_gb": $(awk '/MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo),
  "os": "$(. /etc/os-release && echo "$PRETTY_NAME"), Linux $(uname -r)",
  "load_before": "$load_before",
  "load_after": "$(cut -d' ' -f1-3 /proc/loadavg)"
}
JSON

log "BENCHMARKS.md and benchmarks/bench_ratios.svg"
node scripts/bench_report.mjs "$results"
