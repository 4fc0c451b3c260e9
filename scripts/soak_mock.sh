#!/usr/bin/env bash
# Soak test of kuaidi-mock: scripts/soak_mock.sh [minutes] (default 10; decimals allowed).
# Starts a classic and a VPC gateway kuaidi-mock on free ports with a fixture file in a temp
# folder, runs the driver (CMake target kuaidi_soak_mock) with several clients for that long, then
# stops the servers. Driver and kuaidi-mock are built together in the native tree (build/), from
# the same sources, so that the expected answers and the server never come from two versions of
# the core (KUAIDI_MOCK and KUAIDI_SOAK_DRIVER name other binaries, as the ctest entry native.soak.minute
# does). Every answer is checked against the catalogue; the report
# is printed and written to build/soak/SOAK.md with the raw RSS samples (rss.csv) and a summary
# (summary.json). Exits non-zero when any check fails or a server crashes.
#   SOAK_CLIENTS=6 SOAK_SEED=1 KUAIDI_MOCK=path/to/kuaidi-mock scripts/soak_mock.sh 1
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$KUAIDI_ROOT"

minutes=${1:-10}
clients=${SOAK_CLIENTS:-6}
seed=${SOAK_SEED:-1}
if ! [[ $minutes =~ ^[0-9]+([.][0-9]+)?$ ]] || [ "$(awk -v m="$minutes" 'BEGIN { print (m > 0) }')" != 1 ]; then
  echo "soak_mock.sh: minutes must be a number above 0 (e.g. 1 or 0.5), got '$minutes'" >&2
  exit 2
fi
if ! [[ $clients =~ ^[1-9][0-9]*$ && $seed =~ ^[0-9]+$ ]]; then
  echo "soak_mock.sh: SOAK_CLIENTS must be a whole number >= 1 and SOAK_SEED a whole number" >&2
  exit 2
fi
seconds=$(awk -v m="$minutes" 'BEGIN { printf "%.1f", m * 60 }')
out="$KUAIDI_ROOT/build/soak"
mock=${KUAIDI_MOCK:-$KUAIDI_ROOT/build/mock_server/kuaidi-mock}
driver=${KUAIDI_SOAK_DRIVER:-}

if [ -z "$driver" ]; then
  ensure_debian_packages
  log "soak driver and kuaidi-mock (build/)"
  build_native --target kuaidi_soak_mock kuaidi-mock >/dev/null
  driver=$(find "$KUAIDI_ROOT/build" -name kuaidi_soak_mock -type f -perm -u+x | head -n 1)
fi
[ -x "$mock" ] || { echo "soak_mock.sh: no kuaidi-mock at $mock (KUAIDI_MOCK)" >&2; exit 2; }
[ -x "$driver" ] || { echo "soak_mock.sh: no soak driver at '$driver' (KUAIDI_SOAK_DRIVER)" >&2; exit 2; }

work=$(mktemp -d /tmp/kuaidi-soak-XXXXXX)
declare -A pids=()
cleanup() {
  local name
  for name in "${!pids[@]}"; do kill "${pids[$name]}" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

mapfile -t server_args < <("$driver" --server-args)
"$driver" --write-fixtures "$work/fixtures.json"

start_server() {  # name (classic|vpc)
  local name=$1
  "$mock" --gateway "$name" --port 0 --port-file "$work/$name.port" --fixtures "$work/fixtures.json" \
    --seed "$seed" --log /dev/null "${server_args[@]}" >"$work/$name.out" 2>&1 &
  pids[$name]=$!
  for _ in $(seq 1 600); do [ -s "$work/$name.port" ] && return 0; sleep 0.05; done
  echo "soak_mock.sh: kuaidi-mock ($name) did not start:" >&2
  cat "$work/$name.out" >&2
  exit 1
}

running() {  # pid; a process that died stays a zombie until waited for
  [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

# Exit status after SIGTERM: 0 is a clean stop; a crash during the run shows as 128+signal.
declare -A exits=()
stop_server() {  # name
  local name=$1 pid=${pids[$1]} status=0 waited=0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do running "$pid" || break; sleep 0.1; done
  if running "$pid"; then
    kill -KILL "$pid" 2>/dev/null || true
    status="no stop within 30 s"
  fi
  wait "$pid" || waited=$?
  [ "$status" != 0 ] || status=$waited
  unset "pids[$name]"
  exits[$name]=$status
}

start_server classic
start_server vpc
mkdir -p "$out"
log "soak: ${minutes} min, $clients clients, classic on :$(cat "$work/classic.port"), vpc on :$(cat "$work/vpc.port")"
driver_status=0
"$driver" --server "classic=$(cat "$work/classic.port"):${pids[classic]}" \
  --server "vpc=$(cat "$work/vpc.port"):${pids[vpc]}" --fixtures "$work/fixtures.json" \
  --seconds "$seconds" --clients "$clients" --seed "$seed" --out "$out" || driver_status=$?

crashed=0
leaked=()
for name in classic vpc; do
  stop_server "$name"
  cp "$work/$name.out" "$out/$name.out"
  [ "${exits[$name]}" = 0 ] || crashed=1
  # What the server printed must never hold an AppCode whole.
  for ((i = 0; i < ${#server_args[@]}; ++i)); do
    [ "${server_args[$i]}" = --appcode ] || continue
    code=${server_args[$((i + 1))]%%:*}
    ! grep -qF "$code" "$out/$name.out" || leaked+=("$name")
  done
done
{
  echo "## Servers"
  echo
  for name in classic vpc; do
    if [ "${exits[$name]}" = 0 ]; then
      echo "- $name: stopped cleanly on SIGTERM (exit 0)."
    else
      echo "- $name: **exit status ${exits[$name]}** after SIGTERM (a crash or a hang; see $name.out)."
    fi
  done
  [ ${#leaked[@]} -eq 0 ] || echo "- **an AppCode appears unmasked** in the output of: ${leaked[*]}."
  echo
  if [ "$driver_status" -eq 0 ] && [ "$crashed" -eq 0 ] && [ ${#leaked[@]} -eq 0 ]; then
    echo "Result: **passed**."
  else
    echo "Result: **FAILED** (driver exit $driver_status, server crash or hang: $crashed, AppCode leaks: ${#leaked[@]})."
  fi
} | tee -a "$out/SOAK.md"
log "report: $out/SOAK.md (raw RSS samples: $out/rss.csv)"
[ "$driver_status" -eq 0 ] && [ "$crashed" -eq 0 ] && [ ${#leaked[@]} -eq 0 ]
