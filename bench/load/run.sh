#!/usr/bin/env bash
# Load test of POST /v1/match: wrk against `expectmatch serve` on a generated
# 36,000-authority catalogue, with the server's resident memory sampled every second.
#
#   bench/load/run.sh                 60 s at 64 connections, then 60 s at 32 connections
#   DURATION=20 CONNECTIONS="32" bench/load/run.sh
#
# Then, as the baseline measured in the same run, BASELINE_DURATION seconds (20; 0 skips it) at
# 32 connections against a second server with `--active-requests 1024`: every handler runs at
# once, as before the request gate (api/include/expectmatch/api/request_gate.h).
#
# Environment: BUILD_DIR (build), DURATION (60 s per run), CONNECTIONS ("64 32"), THREADS
# (wrk threads, 2), SERVER_THREADS (the server's base pool, 8), ACCESS_LOG (true: one JSON
# line per request, as deployed, written to a file), K (10), EXPLAIN (true), ACTIVE_REQUESTS (the
# server's --active-requests, 0: its default, twice the cores), BASELINE_DURATION (20),
# OFFICIAL_LIST (the official list's data folder the authorities are drawn from, when present).
# Installs wrk from Debian's archive when missing (not part of `make test`). Writes its
# results to $OUT (a fresh folder under /tmp, printed at the end).
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

if ! command -v wrk >/dev/null; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "load: installing wrk"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi
make --no-print-directory app BUILD_DIR="$BUILD" >/dev/null
bin="$BUILD/app/expectmatch"

OUT=${OUT:-$(mktemp -d /tmp/expectmatch-load.XXXXXX)}
mkdir -p "$OUT"
# The authorities are drawn from the official list when it is installed (make deps).
OFFICIAL_LIST=${OFFICIAL_LIST:-datasets/official/node_modules/@etalab/decoupage-administratif/data}
official=()
[ -f "$OFFICIAL_LIST/communes.json" ] && official=(--official-list "$OFFICIAL_LIST")
[ -d "$OUT/g36k" ] || "$bin" generate --authorities 36000 --seed 7 "${official[@]}" "$OUT/g36k" >/dev/null
rm -f "$OUT/load.db" "$OUT/load.db-wal" "$OUT/load.db-shm"
key=$("$bin" keys create --role daect --db "$OUT/load.db" 2>/dev/null)
need=$(grep -o '"id": *"[^"]*"' "$OUT/g36k/needs.json" | head -n 1 | sed 's/.*"\([^"]*\)"$/\1/')

# Starts a server (extra flags in "$@") and sets $server and $port.
start_server() {
  "$bin" serve --db "$OUT/load.db" --data "$OUT/g36k" --port 0 --threads "$SERVER_THREADS" \
    "$([ "$ACCESS_LOG" = true ] && echo --access-log || echo --no-access-log)" --rate-limit 1000000 --rate-burst 1000000 \
    "$@" > "$OUT/serve.out" 2>> "$OUT/serve.log" &
  server=$!
  port=""
  for _ in $(seq 1 600); do grep -q "^listening on" "$OUT/serve.out" 2>/dev/null && break; sleep 0.1; done
  port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$OUT/serve.out")
  [ -n "$port" ] || { echo "load: the server did not start"; cat "$OUT/serve.log"; exit 1; }
}
stop_server() { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; }
start_server --active-requests "$ACTIVE_REQUESTS"
trap 'stop_server' EXIT
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
# The answer is checked once before loading.
curl -sf "http://127.0.0.1:$port/v1/match" -H "Authorization: Bearer $key" -H "Content-Type: application/json" \
  -d "{\"need_id\": \"$need\", \"k\": $K}" | grep -q '"candidates"' || { echo "load: the match request fails"; exit 1; }

rss() { awk '/^VmRSS/ {print $2}' "/proc/$server/status"; }
slots=$(curl -s "http://127.0.0.1:$port/metrics" | awk '$1 == "expectmatch_http_request_slots" {print $2}')
echo "load: $(date -u +%FT%TZ), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), need $need, port $port, $slots request slots, results in $OUT"
wrk -t "$THREADS" -c 16 -d 5s -s "$OUT/match.lua" "http://127.0.0.1:$port/v1/match" >/dev/null  # warm-up
for c in $CONNECTIONS; do
  sampler() { while kill -0 $server 2>/dev/null; do echo "$(date +%s) $(rss)"; sleep 1; done; }
  sampler > "$OUT/rss-$c.txt" &
  sampling=$!
  wrk -t "$THREADS" -c "$c" -d "${DURATION}s" --latency -s "$OUT/match.lua" "http://127.0.0.1:$port/v1/match" \
    | tee "$OUT/wrk-$c.txt"
  kill $sampling; wait $sampling 2>/dev/null || true
  awk -v c="$c" 'NR == 1 {first = $2} {if (min == "" || $2 < min) min = $2; if ($2 > max) max = $2; last = $2}
    END {printf "rss at %s connections: first %.1f MiB, last %.1f MiB, min %.1f MiB, max %.1f MiB (%d samples)\n",
         c, first / 1024, last / 1024, min / 1024, max / 1024, NR}' "$OUT/rss-$c.txt" | tee -a "$OUT/wrk-$c.txt"
done
if [ "$BASELINE_DURATION" -gt 0 ]; then
  stop_server
  start_server --active-requests 1024
  echo "load: baseline, every handler at once (--active-requests 1024), 32 connections"
  wrk -t "$THREADS" -c 16 -d 5s -s "$OUT/match.lua" "http://127.0.0.1:$port/v1/match" >/dev/null  # warm-up
  wrk -t "$THREADS" -c 32 -d "${BASELINE_DURATION}s" --latency -s "$OUT/match.lua" "http://127.0.0.1:$port/v1/match" \
    | tee "$OUT/wrk-baseline-32.txt"
fi
echo "load: results in $OUT"
