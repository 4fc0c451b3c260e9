#!/usr/bin/env bash
# Core micro-benchmarks (validate, detect_carrier, interpret, simulate), natively and as WebAssembly under
# node, in one go: scripts/bench_core.sh [--quick]. Builds benchmarks/ into build-bench/ and
# build-bench-wasm/ at KUAIDI_BENCH_OPT (default: the page's level in web/wasm_flags.cmake, compile
# and link, core included) and prints a markdown table (ns per call, the lesser of wall and CPU
# time, and wasm/native). The target is wasm within 2x of native.
#
#   KUAIDI_BENCH_OPT    optimisation level of both builds   (default: web/wasm_flags.cmake's)
#   BENCH_CORE_ROUNDS   native/wasm turns; each operation keeps its best round   (default 3)
#   BENCH_JSON          also write the figures to this JSON file (scripts/bench.sh → BENCHMARKS.md)
# The machine is shared: compare the ratios of one run, not absolute figures across runs.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$KUAIDI_ROOT"

page_opt=$(sed -n 's/^set(KUAIDI_WASM_OPT \([^ ]*\) .*/\1/p' web/wasm_flags.cmake)
opt=${KUAIDI_BENCH_OPT:-$page_opt}
rounds=${BENCH_CORE_ROUNDS:-3}
json=${BENCH_JSON:-}
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "BENCH_CORE_ROUNDS must be a whole number ≥ 1, not '$rounds'" >&2; exit 1; }

ensure_debian_packages

log "native build (build-bench/, $opt)"
cmake -S benchmarks -B build-bench -DCMAKE_BUILD_TYPE=Release -DKUAIDI_BENCH_OPT="$opt" >/dev/null
cmake --build build-bench -j "$KUAIDI_JOBS" --target kuaidi_core_bench

log "WebAssembly build (build-bench-wasm/, $opt)"
emcmake cmake -S benchmarks -B build-bench-wasm -DCMAKE_BUILD_TYPE=Release -DKUAIDI_BENCH_OPT="$opt" \
  -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node >/dev/null
cmake --build build-bench-wasm -j "$KUAIDI_JOBS" --target kuaidi_core_bench

# Native and wasm take turns; each operation keeps its best round, so a burst of load from other
# work on the shared machine hits one round of one side, not the comparison.
rm -f build-bench/core_bench.*.tsv build-bench-wasm/core_bench.*.tsv
for round in $(seq "$rounds"); do
  log "round $round/$rounds: native"
  build-bench/kuaidi_core_bench "$@" >"build-bench/core_bench.$round.tsv"
  log "round $round/$rounds: wasm under node"
  # Emscripten 3.1.6 loads its .wasm with node's fetch, which refuses file paths.
  /usr/bin/node --no-experimental-fetch build-bench-wasm/kuaidi_core_bench.js "$@" \
    >"build-bench-wasm/core_bench.$round.tsv"
done
best() {  # folder: per operation, the lowest ns over the rounds, as "name<TAB>ns"
  cat "$1"/core_bench.[0-9]*.tsv | awk -F'\t' '!/^#/ {
      if (!($1 in ns)) { order[++n] = $1; ns[$1] = $2 } else if ($2 < ns[$1]) ns[$1] = $2 }
    END { for (i = 1; i <= n; ++i) printf "%s\t%s\n", order[i], ns[order[i]] }'
}
best build-bench >build-bench/core_bench.tsv
best build-bench-wasm >build-bench-wasm/core_bench.tsv
paste build-bench/core_bench.tsv build-bench-wasm/core_bench.tsv >build-bench/core_bench.both.tsv
if awk -F'\t' '$1 != $3 { print "operation mismatch: " $1 " / " $3 > "/dev/stderr"; bad = 1 } END { exit !bad }' \
  build-bench/core_bench.both.tsv; then
  echo "the native and wasm programs list different operations: rebuild both (rm -rf build-bench build-bench-wasm)" >&2
  exit 1
fi

table=$(awk -F'\t' '
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
  }' build-bench/core_bench.both.tsv)

# The one command that repeats this run: the settings that differ from the defaults, the script, its flags.
rerun_command() {
  local settings=()
  [ "$opt" = "$page_opt" ] || settings+=("KUAIDI_BENCH_OPT=$opt")
  [ "$rounds" = 3 ] || settings+=("BENCH_CORE_ROUNDS=$rounds")
  echo "${settings[*]}${settings:+ }scripts/bench_core.sh${*:+ }$*"
}

write_json() {
  local quick=false
  [[ " $* " == *" --quick "* ]] && quick=true
  {
    echo "{"
    echo "  \"command\": \"$(rerun_command "$@")\","
    echo "  \"date\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\","
    echo "  \"opt\": \"$opt\", \"rounds\": $rounds, \"quick\": $quick, \"target_ratio\": 2,"
    echo "  \"versions\": {\"cxx\": \"$(c++ --version | head -n1)\","
    echo "    \"emscripten\": \"$(emcc --version | head -n1 | grep -oE '[0-9]+[.][0-9]+[.][0-9]+' | head -n1)\","
    echo "    \"node\": \"$(/usr/bin/node --version)\"},"
    echo "  \"operations\": ["
    awk -F'\t' '{
        gsub(/["\\]/, "\\\\&", $1)
        printf "%s    {\"name\": \"%s\", \"native_ns\": %d, \"wasm_ns\": %d, \"ratio\": %.3f}", (NR > 1 ? ",\n" : ""), $1, $2, $4, $4 / $2
      } END { print "" }' build-bench/core_bench.both.tsv
    echo "  ]"
    echo "}"
  } >"$json"
}

log "core micro-benchmarks, $opt, best of $rounds rounds"
echo "$table"
[ -z "$json" ] || { write_json "$@"; log "figures written to $json"; }
