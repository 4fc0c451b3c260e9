#!/usr/bin/env bash
# Speed of kuaidi-mock's GET /query against two mock servers serving the same answer — WireMock
# 3.13.2 (Java) and Mockoon CLI 9.9.0 (node), both warm with journal/logging off — and nginx
# returning it as a static file (how fast an answer can be on this machine). wrk on loopback
# only, bounded durations. Prints a markdown table; BENCH_JSON=FILE also writes the figures as
# JSON (scripts/bench.sh turns them into BENCHMARKS.md). Compare ratios from one run, never
# absolute numbers across runs.
#
#   scripts/bench_mock.sh [BUILD_DIR]        (default BUILD_DIR: build; peers go to BUILD_DIR/bench/)
#   DURATION=10 ROUNDS=3 WARMUP=30 CONNECTIONS="64 256" WRK_THREADS=2 SETTLE=90 BENCH_JSON=f \
#     scripts/bench_mock.sh
# kuaidi-mock and nginx (the comparison with a target) are measured first, alone: for each round and
# connection count the script waits (up to SETTLE seconds, default 90) for the 1-minute load average
# to fall under 1, records it, then runs the pair, the two taking turns to go first; the run is
# marked too loaded to compare when a pair still starts at 1 or more (a loaded run flatters the
# mock, whose event loops lose less to other processes than nginx's two workers). WireMock and
# Mockoon are started and measured afterwards. Each row is the median of its rounds.
# Also measured: kuaidi-mock's start to first answer (median of 5 launches; target ≤ 100 ms).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/scripts/bench_common.sh"
BUILD=$(cd "$ROOT" && mkdir -p "${1:-build}" && cd "${1:-build}" && pwd)
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-30}
CONNECTIONS=${CONNECTIONS:-"64 256"}
WRK_THREADS=${WRK_THREADS:-2}
SETTLE=${SETTLE:-90}
BENCH_JSON=${BENCH_JSON:-}
WIREMOCK_VERSION=3.13.2
MOCKOON_VERSION=9.9.0
# Mockoon 9.9.0's data-file schema version; older files get migrated, newer ones refused.
MOCKOON_LAST_MIGRATION=33
SERVERS=(kuaidi-mock nginx WireMock Mockoon)
APPCODE=83359fd73fe94948385f570e3c139105
NUMBER=JT3084743373888
WORK=$(mktemp -d /tmp/kuaidi-bench-XXXXXX)
PIDS=()

trap cleanup EXIT

need_tools() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
  command -v node >/dev/null || missing+=(nodejs)
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

npm_install_once() {  # prefix package@version file-that-proves-it
  [ -e "$3" ] && return 0
  echo "installing $2 into $1"
  mkdir -p "$1"
  npm install --prefix "$1" --no-audit --no-fund --silent "$2" >/dev/null
  [ -e "$3" ] || { echo "$2 installed, but $3 is missing: delete $1 and rerun" >&2; exit 1; }
}

install_peers() {
  WIREMOCK_JAR="$BUILD/bench/wiremock/node_modules/wiremock/build/wiremock-standalone-$WIREMOCK_VERSION.jar"
  npm_install_once "$BUILD/bench/wiremock" "wiremock@$WIREMOCK_VERSION" "$WIREMOCK_JAR"
  MOCKOON_CLI="$BUILD/bench/mockoon/node_modules/@mockoon/cli/bin/run.js"
  npm_install_once "$BUILD/bench/mockoon" "@mockoon/cli@$MOCKOON_VERSION" "$MOCKOON_CLI"
}

free_port() { node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'; }

wait_http() {  # url
  for _ in $(seq 1 600); do curl -fs -o /dev/null -H "Authorization: APPCODE $APPCODE" "$1" && return 0; sleep 0.1; done
  echo "no answer from $1 within 60 s (its log is in the temp folder, shown below)" >&2
  tail -n 20 "$WORK"/*.log >&2 || true
  exit 1
}

query_url() { echo "http://127.0.0.1:$1/query?kddh=$NUMBER"; }

# The answer every peer replays: kuaidi-mock's own body and headers, minus the per-connection ones.
start_mock() {
  "$MOCK" --port 0 --port-file "$WORK/mock.port" --log off --journal-size 0 \
    --now 2022-10-27T19:30:00+08:00 >"$WORK/kuaidi-mock.log" 2>&1 &
  PID_OF[kuaidi-mock]=$!; PIDS+=("$!")
  for _ in $(seq 1 200); do [ -s "$WORK/mock.port" ] && break; sleep 0.05; done
  [ -s "$WORK/mock.port" ] || { echo "kuaidi-mock did not start:" >&2; cat "$WORK/kuaidi-mock.log" >&2; exit 1; }
  URL_OF[kuaidi-mock]=$(query_url "$(cat "$WORK/mock.port")")
  wait_http "${URL_OF[kuaidi-mock]}"
  curl -fs -D "$WORK/headers.txt" -H "Authorization: APPCODE $APPCODE" "${URL_OF[kuaidi-mock]}" >"$WORK/body.json"
  answer_headers "$WORK/headers.txt" >"$WORK/answer_headers.txt"
}

# WireMock's stub mapping and Mockoon's environment file for the same answer.
write_peer_configs() {
  mkdir -p "$WORK/wiremock/mappings"
  node - "$WORK" "$MOCKOON_LAST_MIGRATION" <<'JS'
const fs = require('fs');
const { randomUUID } = require('crypto');
const [work, lastMigration] = process.argv.slice(2);
const body = fs.readFileSync(`${work}/body.json`, 'utf8');
const headers = fs.readFileSync(`${work}/answer_headers.txt`, 'utf8').split('\n').filter(Boolean)
  .map((line) => ({ key: line.slice(0, line.indexOf(': ')), value: line.slice(line.indexOf(': ') + 2) }));
fs.writeFileSync(`${work}/wiremock/mappings/query.json`, JSON.stringify({
  request: { method: 'GET', urlPath: '/query' },
  response: { status: 200, body, headers: Object.fromEntries(headers.map((h) => [h.key, h.value])) },
}));
const route = randomUUID();
fs.writeFileSync(`${work}/mockoon.json`, JSON.stringify({
  uuid: randomUUID(), lastMigration: Number(lastMigration), name: 'kuaidi-bench', endpointPrefix: '',
  latency: 0, port: 3000, hostname: '127.0.0.1', folders: [], rootChildren: [{ type: 'route', uuid: route }],
  proxyMode: false, proxyHost: '', proxyRemovePrefix: false,
  tlsOptions: { enabled: false, type: 'CERT', pfxPath: '', certPath: '', keyPath: '', caPath: '', passphrase: '' },
  // kuaidi-mock's CORS headers are in the answer; Mockoon's own CORS layer would add more.
  cors: false, headers: [], proxyReqHeaders: [], proxyResHeaders: [], data: [], callbacks: [],
  routes: [{
    uuid: route, type: 'http', documentation: '', method: 'get', endpoint: 'query', responseMode: null,
    streamingMode: null, streamingInterval: 0,
    responses: [{
      uuid: randomUUID(), body, latency: 0, statusCode: 200, label: '', headers, bodyType: 'INLINE',
      filePath: '', databucketID: '', sendFileAsBody: false, rules: [], rulesOperator: 'OR',
      // The body is sent as it is, like the other servers do: no template parsing per request.
      disableTemplating: true, fallbackTo404: false, default: true, crudKey: 'id', callbacks: [],
    }],
  }],
}));
JS
}

start_wiremock() {
  local port; port=$(free_port)
  java -jar "$WIREMOCK_JAR" --port "$port" --bind-address 127.0.0.1 --root-dir "$WORK/wiremock" \
    --no-request-journal --disable-request-logging --disable-banner >"$WORK/wiremock.log" 2>&1 &
  PID_OF[WireMock]=$!; PIDS+=("$!")
  URL_OF[WireMock]=$(query_url "$port")
  wait_http "${URL_OF[WireMock]}"
}

# Console logging discarded, no log file, no admin API, one transaction kept in memory: 9.9.0
# keeps them all with 0 (it trims with slice(-max), and slice(-0) is the whole list).
start_mockoon() {
  local port; port=$(free_port)
  HOME="$WORK" node "$MOCKOON_CLI" start --data "$WORK/mockoon.json" --port "$port" --hostname 127.0.0.1 \
    --disable-log-to-file --disable-admin-api --max-transaction-logs 1 >/dev/null 2>"$WORK/mockoon.log" &
  PID_OF[Mockoon]=$!; PIDS+=("$!")
  URL_OF[Mockoon]=$(query_url "$port")
  wait_http "${URL_OF[Mockoon]}"
}

start_nginx() {
  local port; port=$(free_port)
  mkdir -p "$WORK/nginx"
  write_nginx_conf "$WORK/nginx" "$port" "$WORK/body.json" "$WORK/answer_headers.txt" "worker_processes 2;"
  chmod 755 "$WORK"; chmod 644 "$WORK/body.json"
  "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' 2>"$WORK/nginx.log" &
  PID_OF[nginx]=$!; PIDS+=("$!")
  URL_OF[nginx]=$(query_url "$port")
  wait_http "${URL_OF[nginx]}"
}

# Every server must send kuaidi-mock's exact body and status; header bytes are reported per server.
check_same_answer() {  # name
  local status
  status=$(curl -s -o "$WORK/check.body" -D "$WORK/check.headers" -w '%{http_code}' \
    -H "Authorization: APPCODE $APPCODE" "${URL_OF[$1]}")
  if [ "$status" != 200 ] || ! cmp -s "$WORK/check.body" "$WORK/body.json"; then
    echo "$1 does not answer like kuaidi-mock (status $status, body below); fix its config in $0" >&2
    head -c 600 "$WORK/check.body" >&2; echo >&2
    exit 1
  fi
  HEADER_BYTES_OF[$1]=$(wc -c <"$WORK/check.headers")
}

# Peak RSS (VmHWM) in MB of a process and its children (nginx workers; java threads are one).
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

run_wrk() {  # url connections duration
  wrk -t"$WRK_THREADS" -c"$2" -d"$3"s --timeout 5s --latency -s "$WORK/auth.lua" "$1" >"$WORK/wrk.txt" 2>&1 || true
}

SAMPLES="$WORK/samples.txt"
ROUND_LOADS=()

load_now() { cut -d' ' -f1 /proc/loadavg; }
at_least_one() { awk -v l="$1" 'BEGIN { exit !(l >= 1) }'; }

# Waits up to SETTLE s for the 1-minute load average to fall under 1 (a pair's own load decays in
# about 30 s), then records the load the pair starts at.
settle() {
  local waited=0
  while at_least_one "$(load_now)" && [ "$waited" -lt "$SETTLE" ]; do
    sleep 5
    waited=$((waited + 5))
  done
  ROUND_LOADS+=("$(load_now)")
}

too_loaded() {
  local l
  for l in "${ROUND_LOADS[@]}"; do at_least_one "$l" && return 0; done
  return 1
}

# Milliseconds from launching kuaidi-mock to its first answer to GET /query, median of 5 launches.
start_to_first_answer() {
  local runs=() i
  for i in 1 2 3 4 5; do
    runs+=("$(node - "$MOCK" "$(free_port)" "$APPCODE" "$NUMBER" <<'JS'
const { spawn } = require('child_process');
const http = require('http');
const [mock, port, appcode, number] = process.argv.slice(2);
const started = process.hrtime.bigint();
const child = spawn(mock, ['--port', port, '--log', 'off', '--journal-size', '0'], { stdio: 'ignore' });
const give_up = setTimeout(() => { console.log('-1'); child.kill(); }, 10000);
const attempt = () => {
  const headers = { Authorization: `APPCODE ${appcode}` };
  const req = http.get({ host: '127.0.0.1', port, path: `/query?kddh=${number}`, headers }, (res) => {
    res.resume();
    res.on('end', () => {
      console.log((Number(process.hrtime.bigint() - started) / 1e6).toFixed(1));
      clearTimeout(give_up);
      child.kill();
    });
  });
  req.on('error', () => setTimeout(attempt, 1));
};
attempt();
JS
)")
  done
  printf '%s\n' "${runs[@]}" | median
}

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

rps_of() { printf '%.0f' "$(column_of "$1" "$2" 3 | median)"; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

table_row() {  # name connections
  echo "| $1 | $2 | $(rps_of "$1" "$2") | $(column_of "$1" "$2" 4 | median) | $(column_of "$1" "$2" 5 | median)" \
    "| $(column_of "$1" "$2" 6 | awk '{ s += $1 } END { print s + 0 }') | ${RSS_OF[$1]} | ${HEADER_BYTES_OF[$1]} |"
}

json_row() {  # name connections
  printf '    {"server": "%s", "connections": %s, "rps": %s, "p50_ms": %s, "p99_ms": %s, "errors": %s, "peak_rss_mb": %s, "header_bytes": %s, "rps_rounds": [%s]}' \
    "$1" "$2" "$(rps_of "$1" "$2")" "$(column_of "$1" "$2" 4 | median)" "$(column_of "$1" "$2" 5 | median)" \
    "$(column_of "$1" "$2" 6 | awk '{ s += $1 } END { print s + 0 }')" "${RSS_OF[$1]}" "${HEADER_BYTES_OF[$1]}" \
    "$(column_of "$1" "$2" 3 | paste -sd, | sed 's/,/, /g')"
}

# The one command that repeats this run: the settings that differ from the defaults, then the script.
rerun_command() {
  local settings=()
  [ "$DURATION" = 10 ] || settings+=("DURATION=$DURATION")
  [ "$ROUNDS" = 3 ] || settings+=("ROUNDS=$ROUNDS")
  [ "$WARMUP" = 30 ] || settings+=("WARMUP=$WARMUP")
  [ "$CONNECTIONS" = "64 256" ] || settings+=("CONNECTIONS=\\\"$CONNECTIONS\\\"")
  [ "$WRK_THREADS" = 2 ] || settings+=("WRK_THREADS=$WRK_THREADS")
  [ "$SETTLE" = 90 ] || settings+=("SETTLE=$SETTLE")
  echo "${settings[*]}${settings:+ }scripts/bench_mock.sh"
}

write_json() {
  local rows=() name c
  for name in "${SERVERS[@]}"; do for c in $CONNECTIONS; do rows+=("$(json_row "$name" "$c")"); done; done
  {
    echo "{"
    echo "  \"command\": \"$(rerun_command)\","
    echo "  \"date\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\","
    echo "  \"duration_s\": $DURATION, \"rounds\": $ROUNDS, \"warmup_s\": $WARMUP, \"wrk_threads\": $WRK_THREADS,"
    echo "  \"connections\": [$(echo "$CONNECTIONS" | xargs | sed 's/ /, /g')],"
    echo "  \"request\": \"GET /query?kddh=$NUMBER\", \"body_bytes\": $(wc -c <"$WORK/body.json"),"
    echo "  \"versions\": {\"wrk\": \"$(wrk -v 2>&1 | head -n1 | awk '{print $2}')\", \"nginx\": \"$("$NGINX" -v 2>&1 | cut -d/ -f2)\","
    echo "    \"WireMock\": \"$WIREMOCK_VERSION\", \"java\": \"$(java -version 2>&1 | head -n1 | tr -d '"')\","
    echo "    \"Mockoon\": \"$MOCKOON_VERSION\", \"node\": \"$(node --version)\"},"
    echo "  \"load_before\": \"$LOAD_BEFORE\", \"load_after\": \"$(cut -d' ' -f1-3 /proc/loadavg)\","
    echo "  \"round_loads\": [$(echo "${ROUND_LOADS[*]}" | sed 's/ /, /g')],"
    echo "  \"too_loaded\": $(too_loaded && echo true || echo false),"
    echo "  \"start_to_first_answer_ms\": $START_MS,"
    echo "  \"rows\": ["
    local IFS=$'\n'
    echo "${rows[*]}" | sed '$!s/$/,/'
    echo "  ]"
    echo "}"
  } >"$BENCH_JSON"
}

print_table() {
  local name c m
  local verdict=" (quiet)"
  too_loaded && verdict=" — TOO LOADED TO COMPARE (≥ 1): rerun on a quiet machine"
  echo "Load average (1 min) at the start of each kuaidi-mock/nginx pair: ${ROUND_LOADS[*]}$verdict"
  echo "kuaidi-mock start to first answer: $START_MS ms (median of 5 launches; target ≤ 100 ms)"
  echo
  echo "| server | connections | req/s | p50 ms | p99 ms | errors | peak RSS MB | header bytes |"
  echo "|---|---|---|---|---|---|---|---|"
  for name in "${SERVERS[@]}"; do for c in $CONNECTIONS; do table_row "$name" "$c"; done; done
  echo
  for c in $CONNECTIONS; do
    m=$(rps_of kuaidi-mock "$c")
    echo "- $c connections: kuaidi-mock = $(ratio "$m" "$(rps_of nginx "$c")") × nginx," \
      "$(ratio "$m" "$(rps_of WireMock "$c")") × WireMock, $(ratio "$m" "$(rps_of Mockoon "$c")") × Mockoon (medians)."
  done
}

declare -A PID_OF URL_OF HEADER_BYTES_OF RSS_OF
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
need_tools
build_mock
install_peers
: >"$SAMPLES"
printf 'wrk.headers["Authorization"] = "APPCODE %s"\n' "$APPCODE" >"$WORK/auth.lua"

start_mock
write_peer_configs
start_nginx
for name in kuaidi-mock nginx; do check_same_answer "$name"; done
START_MS=$(start_to_first_answer)
# The comparison with a target first, kuaidi-mock and nginx alone on the machine: each pair of runs
# starts settled, and they take turns going first (the second of a pair meets the first's load).
for round in $(seq 1 "$ROUNDS"); do
  for c in $CONNECTIONS; do
    settle
    echo "round $round of $ROUNDS, $c connections (load average ${ROUND_LOADS[-1]})"
    pair=(kuaidi-mock nginx)
    [ $((round % 2)) = 1 ] || pair=(nginx kuaidi-mock)
    for name in "${pair[@]}"; do run_wrk "${URL_OF[$name]}" "$c" "$DURATION"; sample "$name" "$c"; done
  done
done
# Then the other mock servers, for context (they cost more CPU than the pair and outlive their runs).
start_wiremock
start_mockoon
for name in WireMock Mockoon; do check_same_answer "$name"; done
echo "WireMock $WIREMOCK_VERSION and Mockoon $MOCKOON_VERSION warming up for ${WARMUP}s each"
run_wrk "${URL_OF[WireMock]}" 64 "$WARMUP"
run_wrk "${URL_OF[Mockoon]}" 64 "$WARMUP"
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round of $ROUNDS: WireMock and Mockoon"
  for c in $CONNECTIONS; do
    for name in WireMock Mockoon; do run_wrk "${URL_OF[$name]}" "$c" "$DURATION"; sample "$name" "$c"; done
  done
done
for name in "${SERVERS[@]}"; do RSS_OF[$name]=$(peak_rss_mb "${PID_OF[$name]}"); done

echo
echo "GET /query?kddh=$NUMBER, $(wc -c <"$WORK/body.json")-byte body, wrk -t$WRK_THREADS, $ROUNDS rounds of ${DURATION} s (medians)"
print_table
[ -z "$BENCH_JSON" ] || { write_json; echo "figures written to $BENCH_JSON"; }
