#!/usr/bin/env bash
# Speed of kuaidi-mock's GET /query against WireMock 3.13.2 (warm, journal and logging off)
# serving the same body as a stub, and nginx returning the same body (how fast an answer can be
# on this machine). wrk on loopback only, bounded durations; writes BENCH_MOCK.md at the repo
# root and prints it. Compare ratios from one run, never absolute numbers across runs.
#
#   scripts/bench_mock.sh [BUILD_DIR]        (default BUILD_DIR: build)
#   DURATION=10 ROUNDS=3 WARMUP=30 CONNECTIONS="64 256" scripts/bench_mock.sh
# The servers take turns, round after round, and each row is the median of its rounds: on a
# shared machine a burst of other work then hits every server alike.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "$ROOT" && mkdir -p "${1:-build}" && cd "${1:-build}" && pwd)
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-30}
CONNECTIONS=${CONNECTIONS:-"64 256"}
WRK_THREADS=${WRK_THREADS:-2}
WIREMOCK_VERSION=3.13.2
OUT="$ROOT/BENCH_MOCK.md"
WORK=$(mktemp -d /tmp/kuaidi-bench-XXXXXX)
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

need_tools() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
  command -v npm >/dev/null || missing+=(npm)
  command -v curl >/dev/null || missing+=(curl)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    if [ "$(id -u)" -ne 0 ]; then echo "run as root or install ${missing[*]} first" >&2; exit 1; fi
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
}

build_mock() {
  if [ ! -x "$BUILD/mock_server/kuaidi-mock" ]; then
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$BUILD" --target kuaidi-mock -j2 >/dev/null
  fi
  MOCK="$BUILD/mock_server/kuaidi-mock"
}

install_wiremock() {
  local prefix="$BUILD/bench/wiremock"
  WIREMOCK_JAR="$prefix/node_modules/wiremock/build/wiremock-standalone-$WIREMOCK_VERSION.jar"
  if [ ! -f "$WIREMOCK_JAR" ]; then
    mkdir -p "$prefix"
    npm install --prefix "$prefix" --no-audit --no-fund --silent "wiremock@$WIREMOCK_VERSION" >/dev/null
  fi
  [ -f "$WIREMOCK_JAR" ] || { echo "WireMock jar not found at $WIREMOCK_JAR" >&2; exit 1; }
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_http() {  # url
  for _ in $(seq 1 300); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "no answer from $1" >&2; exit 1
}

start_mock() {
  "$MOCK" --port 0 --port-file "$WORK/mock.port" --log off --now 2022-10-27T19:30:00+08:00 \
    >"$WORK/mock.out" 2>&1 &
  MOCK_PID=$!; PIDS+=("$MOCK_PID")
  for _ in $(seq 1 100); do [ -s "$WORK/mock.port" ] && break; sleep 0.05; done
  MOCK_URL="http://127.0.0.1:$(cat "$WORK/mock.port")/query?kddh=JT3084743373888"
  wait_http "http://127.0.0.1:$(cat "$WORK/mock.port")/__admin/health"
  curl -fs -H 'Authorization: APPCODE 83359fd73fe94948385f570e3c139105' "$MOCK_URL" >"$WORK/body.json"
}

start_wiremock() {
  local port; port=$(free_port)
  mkdir -p "$WORK/wiremock/mappings"
  python3 - "$WORK/body.json" "$WORK/wiremock/mappings/query.json" <<'PY'
import json, sys
body = open(sys.argv[1], encoding="utf-8").read()
json.dump({"request": {"method": "GET", "urlPath": "/query"},
           "response": {"status": 200, "body": body,
                        "headers": {"Content-Type": "application/json;charset=UTF-8"}}},
          open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
PY
  java -jar "$WIREMOCK_JAR" --port "$port" --bind-address 127.0.0.1 --root-dir "$WORK/wiremock" \
    --no-request-journal --disable-request-logging --disable-banner >"$WORK/wiremock.log" 2>&1 &
  WIREMOCK_PID=$!; PIDS+=("$WIREMOCK_PID")
  WIREMOCK_URL="http://127.0.0.1:$port/query?kddh=JT3084743373888"
  wait_http "$WIREMOCK_URL"
}

start_nginx() {
  local port; port=$(free_port)
  mkdir -p "$WORK/nginx"
  cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 10000000;
  client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx; fastcgi_temp_path $WORK/nginx;
  uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;
  server {
    listen 127.0.0.1:$port;
    location = /query { default_type "application/json;charset=UTF-8"; alias $WORK/body.json; }
  }
}
CONF
  chmod 755 "$WORK"; chmod 644 "$WORK/body.json"
  "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
  NGINX_PID=$!; PIDS+=("$NGINX_PID")
  NGINX_URL="http://127.0.0.1:$port/query?kddh=JT3084743373888"
  wait_http "$NGINX_URL"
}

# Peak RSS (VmHWM) in MB of a process and its children (nginx workers, java threads are one).
peak_rss_mb() {
  local total=0 pid
  for pid in "$1" $(pgrep -P "$1" || true); do
    total=$((total + $(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)))
  done
  awk -v kb="$total" 'BEGIN { printf "%.1f", kb / 1024 }'
}

to_ms() {  # wrk's "1.23ms" / "850.00us" / "1.02s" → milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}

run_wrk() {  # name url connections duration
  cat >"$WORK/auth.lua" <<'LUA'
wrk.headers["Authorization"] = "APPCODE 83359fd73fe94948385f570e3c139105"
LUA
  wrk -t"$WRK_THREADS" -c"$3" -d"$4"s --timeout 5s --latency -s "$WORK/auth.lua" "$2" >"$WORK/wrk.txt" 2>&1 || true
}

SAMPLES="$WORK/samples.txt"

sample() {  # name connections: one line "name connections rps p50 p99 errors" from wrk.txt
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$WORK/wrk.txt")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$WORK/wrk.txt")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$WORK/wrk.txt")")
  errors=$(awk '/Socket errors/ {gsub(",", ""); s += $4 + $6 + $8 + $10} /Non-2xx/ {s += $5} END {print s + 0}' "$WORK/wrk.txt")
  echo "$1 $2 ${rps:-0} $p50 $p99 $errors" >>"$SAMPLES"
  echo "  $1, $2 connections: ${rps:-0} req/s, p50 $p50 ms, p99 $p99 ms, errors $errors"
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

column_of() {  # name connections column
  awk -v n="$1" -v c="$2" -v k="$3" '$1 == n && $2 == c { print $k }' "$SAMPLES"
}

row() {  # name connections pid
  local rps p50 p99 errors
  rps=$(column_of "$1" "$2" 3 | median)
  p50=$(column_of "$1" "$2" 4 | median)
  p99=$(column_of "$1" "$2" 5 | median)
  errors=$(column_of "$1" "$2" 6 | awk '{ s += $1 } END { print s + 0 }')
  echo "| $1 | $2 | $(printf '%.0f' "$rps") | $p50 | $p99 | $errors | $(peak_rss_mb "$3") |"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
need_tools
build_mock
install_wiremock
: >"$SAMPLES"

start_mock
start_nginx
start_wiremock
echo "WireMock $WIREMOCK_VERSION warming up for ${WARMUP}s"
run_wrk wiremock "$WIREMOCK_URL" 64 "$WARMUP"

for round in $(seq 1 "$ROUNDS"); do
  echo "round $round of $ROUNDS"
  for c in $CONNECTIONS; do
    run_wrk x "$MOCK_URL" "$c" "$DURATION"; sample kuaidi-mock "$c"
    run_wrk x "$NGINX_URL" "$c" "$DURATION"; sample nginx "$c"
    run_wrk x "$WIREMOCK_URL" "$c" "$DURATION"; sample WireMock "$c"
  done
done

FIRST=${CONNECTIONS%% *}
ROWS=()
for name in kuaidi-mock nginx WireMock; do
  case $name in kuaidi-mock) pid=$MOCK_PID ;; nginx) pid=$NGINX_PID ;; WireMock) pid=$WIREMOCK_PID ;; esac
  for c in $CONNECTIONS; do ROWS+=("$(row "$name" "$c" "$pid")"); done
done

{
  echo "# kuaidi-mock speed"
  echo
  echo "\`scripts/bench_mock.sh\`, $(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),"
  echo "wrk -t$WRK_THREADS on loopback, load generator and servers sharing the cores; the servers take turns for"
  echo "$ROUNDS rounds of ${DURATION} s each and every row is the median of its rounds (errors: the sum)."
  echo "Every server answers \`GET /query?kddh=JT3084743373888\` with the same $(wc -c <"$WORK/body.json")-byte body, keep-alive."
  echo "WireMock $WIREMOCK_VERSION runs on $(java -version 2>&1 | head -1 | tr -d '"'), journal and request logging off, after a ${WARMUP} s warm-up;"
  echo "nginx ($("$NGINX" -v 2>&1 | cut -d/ -f2)) returns the body as a static file (2 workers, access log off)."
  echo "kuaidi-mock validates the request, checks the AppCode and bills it, and builds the answer per request."
  echo "Load average before / after the run (other work on the machine skews every row): $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| server | connections | req/s | p50 ms | p99 ms | errors | peak RSS MB |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
  echo
  for c in $CONNECTIONS; do
    m=$(column_of kuaidi-mock "$c" 3 | median); w=$(column_of WireMock "$c" 3 | median); n=$(column_of nginx "$c" 3 | median)
    echo "- $c connections: kuaidi-mock = $(ratio "$m" "$w") × WireMock, $(ratio "$m" "$n") × nginx (medians)."
  done
  echo
  echo "Targets (issue 3): ≥ 1.5 × warm WireMock's req/s, aiming at 0.5 × nginx; p99 ≤ 10 ms at"
  echo "$FIRST connections; 256 keep-alive connections with zero errors; peak RSS ≤ 50 MB."
} >"$OUT"
echo
cat "$OUT"
