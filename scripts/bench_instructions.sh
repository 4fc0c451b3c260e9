#!/usr/bin/env bash
# Instructions per answer of kuaidi-mock's GET /query, and of nginx sending the same body and
# headers as a static file, counted by valgrind's callgrind (user space only) while wrk sends a
# fixed number of requests: a figure that a loaded, shared machine does not disturb, unlike req/s.
# One event loop for the mock, one worker (no master) for nginx; wrk -t1 -c64 on loopback.
#
#   scripts/bench_instructions.sh [MOCK_BINARY ...]    (default: build/mock_server/kuaidi-mock)
#   REQUESTS=20000 scripts/bench_instructions.sh /tmp/old-kuaidi-mock build/mock_server/kuaidi-mock
# Prints one line per server: requests answered, instructions, instructions per request.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/scripts/bench_common.sh"
REQUESTS=${REQUESTS:-20000}
APPCODE=83359fd73fe94948385f570e3c139105
NUMBER=JT3084743373888
WORK=$(mktemp -d /tmp/kuaidi-instructions-XXXXXX)
PIDS=()
trap cleanup EXIT
for tool in valgrind callgrind_control callgrind_annotate wrk curl; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install valgrind wrk curl" >&2; exit 1; }
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ $# -gt 0 ] || set -- "$ROOT/build/mock_server/kuaidi-mock"

# wrk stops once this many answers have come (each connection may finish the one in flight).
cat >"$WORK/count.lua" <<LUA
local done = 0
wrk.headers["Authorization"] = "APPCODE $APPCODE"
response = function() done = done + 1; if done >= $REQUESTS then wrk.thread:stop() end end
LUA

wait_port() {  # file
  for _ in $(seq 1 300); do [ -s "$1" ] && return 0; sleep 0.1; done
  echo "no port in $1 after 30 s: $(cat "$WORK"/*.log 2>/dev/null | tail -5)" >&2
  exit 1
}

# Counts from the first request of the run to the last: callgrind's counters are zeroed after one
# warm-up answer and dumped after wrk.
measure() {  # name valgrind-pid port
  local url="http://127.0.0.1:$3/query?kddh=$NUMBER" out
  curl -fs -o /dev/null -H "Authorization: APPCODE $APPCODE" "$url"
  callgrind_control -z "$2" >/dev/null 2>&1
  wrk -t1 -c64 -d600s -s "$WORK/count.lua" "$url" >"$WORK/wrk.txt"
  callgrind_control -d "$2" >/dev/null 2>&1
  local answered instructions
  answered=$(awk '/requests in/ {print $1}' "$WORK/wrk.txt")
  out=$(ls "$WORK/$1".cg.*.1 2>/dev/null | head -n1)
  [ -n "$out" ] || out=$(ls "$WORK/$1".cg.* | head -n1)
  instructions=$(callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
  printf '%-40s %8s requests  %14s instructions  %8s per request\n' "$1" "$answered" "$instructions" \
    "$((instructions / answered))"
}

n=0
for mock in "$@"; do
  n=$((n + 1))
  name="kuaidi-mock#$n"
  valgrind --tool=callgrind --callgrind-out-file="$WORK/$name.cg.%p" "$mock" --port 0 \
    --port-file "$WORK/mock$n.port" --log off --journal-size 0 --threads 1 \
    --now 2022-10-27T19:30:00+08:00 >"$WORK/mock$n.log" 2>&1 &
  PIDS+=("$!")
  wait_port "$WORK/mock$n.port"
  echo "$name: $mock"
  measure "$name" "$!" "$(cat "$WORK/mock$n.port")"
  [ -s "$WORK/body.json" ] || curl -fs -D "$WORK/headers.txt" -o "$WORK/body.json" \
    -H "Authorization: APPCODE $APPCODE" "http://127.0.0.1:$(cat "$WORK/mock$n.port")/query?kddh=$NUMBER"
done

# nginx: the mock's body and answer headers (minus the per-connection ones) from a static file.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$WORK/nginx"
answer_headers "$WORK/headers.txt" >"$WORK/answer_headers.txt"
write_nginx_conf "$WORK/nginx" "$port" "$WORK/body.json" "$WORK/answer_headers.txt" \
  "$(printf 'master_process off;\ndaemon off;\nworker_processes 1;')"
chmod 755 "$WORK"; chmod 644 "$WORK/body.json"
valgrind --tool=callgrind --callgrind-out-file="$WORK/nginx.cg.%p" "$NGINX" -p "$WORK/nginx" \
  -c "$WORK/nginx/nginx.conf" >"$WORK/nginx.log" 2>&1 &
PIDS+=("$!")
for _ in $(seq 1 300); do curl -fs -o /dev/null "http://127.0.0.1:$port/query" && break; sleep 0.1; done
echo "nginx: $("$NGINX" -v 2>&1 | cut -d/ -f2), static file, one worker"
measure nginx "$!" "$port"
