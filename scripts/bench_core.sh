#!/usr/bin/env bash
# Core micro-benchmarks (validate, detect_carrier, interpret), natively and as WebAssembly under
# node, in one go: scripts/bench_core.sh [--quick]. Builds benchmarks/ into build-bench/ and
# build-bench-wasm/ at KUAIDI_BENCH_OPT (default -O2, compile and link, core included), prints a
# markdown table (CPU ns per call, wasm/native) and writes it to BENCH_CORE.md. The target is wasm
# within 2x of native. The machine is shared: compare the ratios of one run, not absolute figures
# across runs.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$KUAIDI_ROOT"

ensure_debian_packages || exit 1
opt=${KUAIDI_BENCH_OPT:--O2}

log "native build (build-bench/, $opt)"
cmake -S benchmarks -B build-bench -DCMAKE_BUILD_TYPE=Release -DKUAIDI_BENCH_OPT="$opt" >/dev/null ||
  exit 1
cmake --build build-bench -j "$KUAIDI_JOBS" --target kuaidi_core_bench || exit 1

log "WebAssembly build (build-bench-wasm/, $opt)"
emcmake cmake -S benchmarks -B build-bench-wasm -DCMAKE_BUILD_TYPE=Release -DKUAIDI_BENCH_OPT="$opt" \
  -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node >/dev/null || exit 1
cmake --build build-bench-wasm -j "$KUAIDI_JOBS" --target kuaidi_core_bench || exit 1

# Native and wasm take turns, three rounds; each operation keeps its best round, so a burst of
# load from other work on the shared machine hits one round of one side, not the comparison.
rounds=3
for round in $(seq "$rounds"); do
  log "round $round/$rounds: native"
  build-bench/kuaidi_core_bench "$@" >"build-bench/core_bench.$round.tsv" || exit 1
  log "round $round/$rounds: wasm under node"
  # Emscripten 3.1.6 loads its .wasm with node's fetch, which refuses file paths.
  /usr/bin/node --no-experimental-fetch build-bench-wasm/kuaidi_core_bench.js "$@" \
    >"build-bench-wasm/core_bench.$round.tsv" || exit 1
done
best() {  # folder: per operation, the lowest ns over the rounds, as "name<TAB>ns"
  cat "$1"/core_bench.*.tsv | awk -F'\t' '!/^#/ {
      if (!($1 in ns)) { order[++n] = $1; ns[$1] = $2 } else if ($2 < ns[$1]) ns[$1] = $2 }
    END { for (i = 1; i <= n; ++i) printf "%s\t%s\n", order[i], ns[order[i]] }'
}
best build-bench >build-bench/core_bench.tsv
best build-bench-wasm >build-bench-wasm/core_bench.tsv

table=$(paste build-bench/core_bench.tsv build-bench-wasm/core_bench.tsv | awk -F'\t' '
  /^#/ { next }
  $1 != $3 { print "operation mismatch: " $1 " / " $3 > "/dev/stderr"; exit 1 }
  {
    ratio = $4 / $2
    if (ratio > worst) worst = ratio
    rows = rows sprintf("| %s | %d | %d | %.2f |\n", $1, $2, $4, ratio)
  }
  END {
    print "| operation | native ns/op | wasm ns/op | wasm/native |"
    print "|---|---:|---:|---:|"
    printf "%s", rows
    print ""
    printf "Worst ratio %.2f: the 2x target is %s.\n", worst, (worst <= 2 ? "met" : "NOT met")
  }') || exit 1

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
{
  echo "# Core micro-benchmarks"
  echo
  echo "The core's hot calls, natively and as WebAssembly under node, both built at $opt: CPU"
  echo "nanoseconds per call over a fixed mix of inputs (benchmarks/core_bench.cpp: the median of"
  echo "5 runs of each run's fastest 2 ms batch), the best of $rounds rounds taken in turns."
  echo
  echo "$table"
  echo
  echo "Rerun: \`scripts/bench_core.sh\` (builds build-bench/ and build-bench-wasm/;"
  echo "\`KUAIDI_BENCH_OPT=-O3 scripts/bench_core.sh\` for another level)."
  echo
  echo "Machine: $(nproc) cores ($cpu), shared with other work, so compare ratios within one run."
  echo "Native: $(c++ --version | head -n1). WebAssembly: emscripten $(emcc --version | head -n1 |
    grep -oE '[0-9]+[.][0-9]+[.][0-9]+' | head -n1), node $(/usr/bin/node --version). Measured $(date -u +%Y-%m-%d)."
} >BENCH_CORE.md

log "BENCH_CORE.md"
echo "$table"
