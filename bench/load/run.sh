#!/usr/bin/env bash
# Load test of POST /v1/match: wrk against `expectmatch serve` on a generated
# 36,000-authority catalogue, with the server's resident memory sampled every second, and
# nginx serving the same bytes in the same run as the baseline of this machine's HTTP path.
#
#   bench/load/run.sh                 60 s at 64 connections, then 60 s at 32 connections
#   DURATION=20 CONNECTIONS="32" bench/load/run.sh
#   BASE_BIN=/tmp/expectmatch-main DURATION=20 bench/load/run.sh   before/after in one run
#   PERF=true DURATION=20 CONNECTIONS=32 bench/load/run.sh          with a profile of the server
#
# For each connection count, in turn: the service (BIN), the service built from another commit
# (BASE_BIN, when set), then nginx, each for DURATION seconds; then one line per connection
# count: `ratio: service/nginx = X %` (and the base binary's).
#
# The nginx baseline (NGINX=true) is the transport alone: nginx 1.22 (Debian), started in the
# foreground (`daemon off`) on a free port with a configuration generated in $OUT, one worker
# per core (`worker_processes auto`), serving as a static file the exact bytes of one match
# answer captured with curl from the service in this run (same need, k and explanations as
# wrk's requests), as `application/json`, with keep-alive like the service. nginx serves GET
# only for a static file, so its wrk requests are GETs with the same headers and no body. Its
# access log is on, to $OUT/nginx-access.log, when the service's is (ACCESS_LOG=true: the
# service writes one JSON line per request to $OUT/serve.log), off otherwise. It is stopped at
# the end (trap).
#
# The transport baseline (TRANSPORT=true) is the service's own HTTP path without the service:
# the same server process answering GET /assets/report.js, an embedded asset of about the same
# size as the match answer (15.5 kB against 15.3 kB), served whole from memory, outside the
# request gate, with no key to check: cpp-httplib's parsing and writing, the connection guard
# and parker, the worker pools, the metrics and the access log, as every API request has them. What the
# service loses to it is the service; what the transport loses to nginx is the transport.
#
# Then, as the gate's baseline measured in the same run, BASELINE_DURATION seconds (20; 0
# skips it) at 32 connections against a server with `--active-requests 1024`: every handler
# runs at once, as before the request gate (api/include/expectmatch/api/request_gate.h).
#
# With PERF=true, `perf record` samples the service (BIN) while wrk loads it at the first
# connection count (DWARF call graphs, PERF_FREQ samples a second, 499), and
# bench/load/perf_stages.py groups the samples by stage of the request into
# $OUT/perf-stages.txt (bench/README.md, "Where a request's time goes").
#
# Environment: BUILD_DIR (build), BIN ($BUILD_DIR/app/expectmatch, built with `make app` when
# it is the default), BASE_BIN (unset), NGINX (true), DURATION (60 s per run), CONNECTIONS
# ("64 32"), THREADS (wrk threads, 2), SERVER_THREADS (the server's base pool, 8), ACCESS_LOG
# (true: one JSON line per request, as deployed, written to a file), K (10), EXPLAIN (true),
# ACTIVE_REQUESTS (the server's --active-requests, 0: its default), BASELINE_DURATION (20),
# PERF (false), PERF_FREQ (499), OFFICIAL_LIST (the official list's data folder the authorities
# are drawn from, when present), TRANSPORT (true). Installs wrk and nginx (and perf with
# PERF=true) from Debian's archive when missing (not part of `make test`). Writes its results
# to $OUT (a fresh folder under /tmp, printed at the end).
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD_DIR:-build}
DURATION=${DURATION:-60}
CONNECTIONS=${CONNECTIONS:-"64 32"}
THREADS=${THREADS:-2}
SERVER_THREADS=${SERVER_THREADS:-8}
ACCESS_LOG=${ACCESS_LOG:-true}
K=${K:-10}
EXPLAIN=${EXPLAIN:-true}
ACTIVE_REQUESTS=${ACTIVE_REQUESTS:-0}
BASELINE_DURATION=${BASELINE_DURATION:-20}
NGINX=${NGINX:-true}
TRANSPORT=${TRANSPORT:-true}
BASE_BIN=${BASE_BIN:-}
PERF=${PERF:-false}
PERF_FREQ=${PERF_FREQ:-499}

install_missing() {  # command package
  command -v "$1" >/dev/null && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "load: installing $2"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$2" >/dev/null
}
install_missing wrk wrk
[ "$NGINX" = true ] && ! command -v nginx >/dev/null && [ -x /usr/sbin/nginx ] && PATH="$PATH:/usr/sbin"
[ "$NGINX" = true ] && install_missing nginx nginx-light
[ "$NGINX" = true ] && ! command -v nginx >/dev/null && PATH="$PATH:/usr/sbin"
[ "$PERF" = true ] && install_missing perf linux-perf
if [ -z "${BIN:-}" ]; then
  make --no-print-directory app BUILD_DIR="$BUILD" >/dev/null
  BIN="$BUILD/app/expectmatch"
fi
bin="$BIN"

OUT=${OUT:-$(mktemp -d /tmp/expectmatch-load.XXXXXX)}
mkdir -p "$OUT"
# The authorities are drawn from the official list when it is installed (make deps).
OFFICIAL_LIST=${OFFICIAL_LIST:-datasets/official/node_modules/@etalab/decoupage-administratif/data}
official=()
[ -f "$OFFICIAL_LIST/communes.json" ] && official=(--official-list "$OFFICIAL_LIST")
[ -d "$OUT/g36k" ] || "$bin" generate --authorities 36000 --seed 7 "${official[@]}" "$OUT/g36k" >/dev/null
rm -f "$OUT"/*.db "$OUT"/*.db-wal "$OUT"/*.db-shm
key=$("$bin" keys create --role daect --db "$OUT/load.db" 2>/dev/null)
# The base binary gets its own copy of the database (same key), so that the two servers'
# ranking logs do not share one writer.
[ -n "$BASE_BIN" ] && cp "$OUT/load.db" "$OUT/base.db"
need=$(grep -o '"id": *"[^"]*"' "$OUT/g36k/needs.json" | head -n 1 | sed 's/.*"\([^"]*\)"$/\1/')

# Starts a server: name binary database [extra flags]; sets pid_<name> and port_<name>.
start_server() {
  local name=$1 binary=$2 db=$3
  shift 3
  "$binary" serve --db "$db" --data "$OUT/g36k" --port 0 --threads "$SERVER_THREADS" \
    "$([ "$ACCESS_LOG" = true ] && echo --access-log || echo --no-access-log)" --rate-limit 1000000 --rate-burst 1000000 \
    "$@" > "$OUT/serve-$name.out" 2>> "$OUT/serve-$name.log" &
  local pid=$! port=""
  for _ in $(seq 1 600); do grep -q "^listening on" "$OUT/serve-$name.out" 2>/dev/null && break; sleep 0.1; done
  port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$OUT/serve-$name.out")
  [ -n "$port" ] || { echo "load: the server $name did not start"; cat "$OUT/serve-$name.log"; exit 1; }
  printf -v "pid_$name" '%s' "$pid"
  printf -v "port_$name" '%s' "$port"
}
# Stops a process started here (nothing when the id is empty); never fails, so that the trap
# stops every one of them under `set -e`.
stop_pid() {
  if [ -n "${1:-}" ]; then
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
  fi
}
pid_service="" pid_base="" pid_gate="" pid_nginx="" perf_pid=""
cleanup() {
  stop_pid "$perf_pid"
  stop_pid "$pid_service"
  stop_pid "$pid_base"
  stop_pid "$pid_gate"
  stop_pid "$pid_nginx"
}
trap cleanup EXIT
start_server service "$bin" "$OUT/load.db" --active-requests "$ACTIVE_REQUESTS"
targets="service"
if [ -n "$BASE_BIN" ]; then
  start_server base "$BASE_BIN" "$OUT/base.db" --active-requests "$ACTIVE_REQUESTS"
  targets="$targets base"
fi

cat > "$OUT/match.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"need_id": "$need", "k": $K, "explain": $EXPLAIN}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $key"
-- Any answer but 200 counts as an error.
done = function(summary, latency, requests)
  io.write(string.format("errors: connect %d, read %d, write %d, timeout %d, status %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout, summary.errors.status))
  io.write(string.format("latency_us: p50 %d, p90 %d, p99 %d, p99.9 %d, max %d\n", latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max))
end
LUA
# nginx's requests: the same headers, GET (a static file), no body.
sed -e 's/wrk.method = "POST"/wrk.method = "GET"/' -e '/^wrk.body/d' "$OUT/match.lua" > "$OUT/static.lua"

# The answer is checked, and captured for nginx, before loading: the exact bytes of wrk's request.
for name in $targets; do
  port_var="port_$name"
  curl -sf "http://127.0.0.1:${!port_var}/v1/match" -H "Authorization: Bearer $key" \
    -H "Content-Type: application/json" -d "{\"need_id\": \"$need\", \"k\": $K, \"explain\": $EXPLAIN}" \
    -o "$OUT/answer-$name.json" || { echo "load: the match request fails on $name"; exit 1; }
  grep -q '"candidates"' "$OUT/answer-$name.json" || { echo "load: no candidates from $name"; exit 1; }
done
bytes=$(wc -c < "$OUT/answer-service.json")

if [ "$NGINX" = true ]; then
  mkdir -p "$OUT/nginx/www" "$OUT/nginx/tmp"
  cp "$OUT/answer-service.json" "$OUT/nginx/www/match.json"
  # Started by root, nginx's workers run as an unprivileged user (www-data or nobody), which
  # must be able to reach the file through mktemp's owner-only folder.
  chmod a+x "$OUT" "$OUT/nginx"
  chmod a+rx "$OUT/nginx/www"
  chmod a+r "$OUT/nginx/www/match.json"
  port_nginx=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  nginx_log=off
  [ "$ACCESS_LOG" = true ] && nginx_log="$OUT/nginx-access.log"
  cat > "$OUT/nginx/nginx.conf" <<NGINX
daemon off;
worker_processes auto;
pid $OUT/nginx/nginx.pid;
error_log $OUT/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log $nginx_log;
  client_body_temp_path $OUT/nginx/tmp/body;
  proxy_temp_path $OUT/nginx/tmp/proxy;
  fastcgi_temp_path $OUT/nginx/tmp/fastcgi;
  uwsgi_temp_path $OUT/nginx/tmp/uwsgi;
  scgi_temp_path $OUT/nginx/tmp/scgi;
  keepalive_requests 10000;
  tcp_nodelay on;
  server {
    listen 127.0.0.1:$port_nginx;
    root $OUT/nginx/www;
    location = /v1/match { default_type application/json; try_files /match.json =404; }
  }
}
NGINX
  nginx -p "$OUT/nginx" -c "$OUT/nginx/nginx.conf" 2>> "$OUT/nginx/error.log" &
  pid_nginx=$!
  for _ in $(seq 1 100); do curl -sf -o "$OUT/answer-nginx.json" "http://127.0.0.1:$port_nginx/v1/match" && break; sleep 0.1; done
  cmp -s "$OUT/answer-nginx.json" "$OUT/answer-service.json" || { echo "load: nginx does not serve the answer"; cat "$OUT/nginx/error.log"; exit 1; }
  targets="$targets nginx"
fi

if [ "$TRANSPORT" = true ]; then
  transport_path=/assets/report.js
  curl -sf "http://127.0.0.1:$port_service$transport_path" -o "$OUT/answer-transport.js" \
    || { echo "load: the service does not serve $transport_path"; exit 1; }
  port_transport=$port_service pid_transport=$pid_service
  sed -e "s|^wrk.body.*|wrk.path = \"$transport_path\"|" -e 's/wrk.method = "POST"/wrk.method = "GET"/' \
    "$OUT/match.lua" > "$OUT/transport.lua"
  targets="$targets transport"
fi

# The wrk script of a target: the match request, nginx's GET of the same bytes, the asset.
script_of() {
  case "$1" in
    nginx) echo static.lua ;;
    transport) echo transport.lua ;;
    *) echo match.lua ;;
  esac
}
rss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null; }
# CPU time (user + system, clock ticks) of a process and its children processes (nginx's
# workers), from /proc: what a request costs the server whatever else the machine runs.
cpu_ticks() {
  local total=0 p
  for p in "$1" $(ps -o pid= --ppid "$1" 2>/dev/null); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
ticks_per_second=$(getconf CLK_TCK)
slots=$(curl -s "http://127.0.0.1:$port_service/metrics" | awk '$1 == "expectmatch_http_request_slots" {print $2}')
echo "load: $(date -u +%FT%TZ), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), need $need, answer $bytes bytes, $slots request slots, targets: $targets, results in $OUT"
[ -n "$BASE_BIN" ] && echo "load: service $bin, base $BASE_BIN"
for name in $targets; do  # warm-up
  port_var="port_$name"
  script=$(script_of "$name")
  wrk -t "$THREADS" -c 16 -d 5s -s "$OUT/$script" "http://127.0.0.1:${!port_var}/v1/match" >/dev/null
done

first=true
for c in $CONNECTIONS; do
  for name in $targets; do
    port_var="port_$name" pid_var="pid_$name"
    script=$(script_of "$name")
    sampler() { while kill -0 "$1" 2>/dev/null; do echo "$(date +%s) $(rss "$1")"; sleep 1; done; }
    sampling=""
    if [ "$name" != nginx ] && [ "$name" != transport ]; then
      sampler "${!pid_var}" > "$OUT/rss-$name-$c.txt" &
      sampling=$!
    fi
    if [ "$PERF" = true ] && [ "$first" = true ] && [ "$name" = service ]; then
      perf record -F "$PERF_FREQ" --call-graph dwarf,16384 -p "$pid_service" -o "$OUT/perf.data" \
        -- sleep "$DURATION" > "$OUT/perf-record.log" 2>&1 &
      perf_pid=$!
    fi
    echo "load: $name, $c connections"
    cpu_before=$(cpu_ticks "${!pid_var}")
    wrk -t "$THREADS" -c "$c" -d "${DURATION}s" --latency -s "$OUT/$script" "http://127.0.0.1:${!port_var}/v1/match" \
      | tee "$OUT/wrk-$name-$c.txt"
    cpu_after=$(cpu_ticks "${!pid_var}")
    awk -v t=$((cpu_after - cpu_before)) -v hz="$ticks_per_second" -v d="$DURATION" '/^Requests\/sec:/ {
      printf "server cpu: %.2f s over %s s, %.1f us a request\n", t / hz, d, 1e6 * t / hz / ($2 * d)}' \
      "$OUT/wrk-$name-$c.txt" | tee -a "$OUT/wrk-$name-$c.txt"
    if [ -n "$perf_pid" ]; then
      wait "$perf_pid" || true
      perf_pid=""
    fi
    if [ -n "$sampling" ]; then
      kill "$sampling"; wait "$sampling" 2>/dev/null || true
      awk -v c="$c" -v name="$name" 'NR == 1 {first = $2} {if (min == "" || $2 < min) min = $2; if ($2 > max) max = $2; last = $2}
        END {printf "rss of %s at %s connections: first %.1f MiB, last %.1f MiB, min %.1f MiB, max %.1f MiB (%d samples)\n",
             name, c, first / 1024, last / 1024, min / 1024, max / 1024, NR}' "$OUT/rss-$name-$c.txt" | tee -a "$OUT/wrk-$name-$c.txt"
    fi
  done
  first=false
done

rate() { awk '/^Requests\/sec:/ {print $2}' "$OUT/wrk-$1-$2.txt"; }
p99() { awk '/^latency_us:/ {gsub(",", ""); print $7}' "$OUT/wrk-$1-$2.txt"; }
echo "load: summary (requests/s, p99 in ms)"
for c in $CONNECTIONS; do
  for name in $targets; do
    printf '  %-8s %3s connections: %10s requests/s, p99 %s ms, %s us of server CPU a request, %s\n' "$name" "$c" \
      "$(rate "$name" "$c")" "$(awk -v us="$(p99 "$name" "$c")" 'BEGIN {printf "%.2f", us / 1000}')" \
      "$(awk '/^server cpu:/ {print $(NF - 3)}' "$OUT/wrk-$name-$c.txt")" "$(grep '^errors:' "$OUT/wrk-$name-$c.txt")"
  done
  if [ "$NGINX" = true ]; then
    for name in $targets; do
      [ "$name" = nginx ] && continue
      label=service
      [ "$name" = base ] && label="base"
      [ "$name" = transport ] && label="transport"
      awk -v s="$(rate "$name" "$c")" -v n="$(rate nginx "$c")" -v c="$c" -v label="$label" \
        'BEGIN {printf "ratio: %s/nginx = %.1f %% at %s connections\n", label, 100 * s / n, c}' | tee -a "$OUT/ratio.txt"
    done
  fi
done

if [ "$PERF" = true ] && [ -f "$OUT/perf.data" ]; then
  perf script -i "$OUT/perf.data" -F comm,tid,period,ip,sym,dso 2> /dev/null \
    | python3 bench/load/perf_stages.py "$(readlink -f "$bin")" > "$OUT/perf-stages.txt" || true
  perf report -i "$OUT/perf.data" --no-children --sort dso,sym --stdio 2> /dev/null | head -n 120 > "$OUT/perf-report.txt" || true
  echo "load: profile of the service by stage ($OUT/perf-stages.txt)"
  cat "$OUT/perf-stages.txt"
fi

if [ "$BASELINE_DURATION" -gt 0 ]; then
  stop_pid "$pid_service"; pid_service=""
  stop_pid "$pid_base"; pid_base=""
  start_server gate "$bin" "$OUT/load.db" --active-requests 1024
  echo "load: baseline, every handler at once (--active-requests 1024), 32 connections"
  wrk -t "$THREADS" -c 16 -d 5s -s "$OUT/match.lua" "http://127.0.0.1:$port_gate/v1/match" >/dev/null  # warm-up
  wrk -t "$THREADS" -c 32 -d "${BASELINE_DURATION}s" --latency -s "$OUT/match.lua" "http://127.0.0.1:$port_gate/v1/match" \
    | tee "$OUT/wrk-baseline-32.txt"
fi
echo "load: results in $OUT"
