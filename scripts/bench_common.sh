# Shared by the benchmarks that start servers (scripts/bench_mock.sh, scripts/bench_instructions.sh):
# cleaning up, and nginx sending kuaidi-mock's answer to GET /query as a static file. Sourced.

# On exit: stops the servers started (PIDS) and removes the temp folder (WORK).
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}

# Writes DIR/nginx.conf: TOP (top-level directives such as worker_processes), listening on
# 127.0.0.1:PORT, answering /query with BODY and the "Name: value" lines of HEADERS (the ones a
# static file server does not write itself; Content-Type is the location's default_type).
write_nginx_conf() {  # DIR PORT BODY HEADERS TOP
  local dir=$1 add_headers
  add_headers=$(awk -F': ' '{ i = index($0, ": "); printf "      add_header %s \"%s\";\n", substr($0, 1, i - 1), substr($0, i + 2) }' \
    "$4" | grep -vi 'add_header content-type ')
  cat >"$dir/nginx.conf" <<CONF
$5
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  server_tokens off;
  etag off;
  keepalive_requests 10000000;
  client_body_temp_path $dir; proxy_temp_path $dir; fastcgi_temp_path $dir;
  uwsgi_temp_path $dir; scgi_temp_path $dir;
  server {
    listen 127.0.0.1:$2;
    location = /query {
      default_type "application/json;charset=UTF-8";
$add_headers
      alias $3;
    }
  }
}
CONF
}

# The answer's headers a peer replays: all but the per-connection ones and those nginx writes.
answer_headers() {  # FILE_OF_CURL_HEADERS
  tr -d '\r' <"$1" | awk -F': ' 'NR > 1 && NF >= 2 && tolower($1) !~ /^(content-length|keep-alive|connection|date|server|transfer-encoding)$/'
}
