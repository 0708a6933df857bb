#!/usr/bin/env bash
# Bytes the ranking log takes per served match: N requests of POST /v1/match (one stored need,
# k = 10, as the load test sends) against `expectmatch serve` on the 36,000-authority catalogue
# of the load test (seed 7), then the ranking_log table's size in the database: its pages and
# those of its indexes (SQLite's dbstat), divided by the rows.
#
#   bench/log/bytes_per_request.sh                 the build's binary
#   BIN=/tmp/expectmatch-old N=5000 bench/log/bytes_per_request.sh
#
# Environment: BIN (build/app/expectmatch), N (2000), OUT (a fresh folder under /tmp).
# Needs python3 (the client) and sqlite3 (the measurement).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/app/expectmatch}
N=${N:-2000}
OUT=${OUT:-$(mktemp -d /tmp/expectmatch-logbytes.XXXXXX)}
mkdir -p "$OUT"
[ -d "$OUT/g36k" ] || "$BIN" generate --authorities 36000 --seed 7 "$OUT/g36k" >/dev/null
rm -f "$OUT/log.db" "$OUT/log.db-wal" "$OUT/log.db-shm"
key=$("$BIN" keys create --role daect --db "$OUT/log.db" 2>/dev/null)
need=$(grep -o '"id": *"[^"]*"' "$OUT/g36k/needs.json" | head -n 1 | sed 's/.*"\([^"]*\)"$/\1/')

"$BIN" serve --db "$OUT/log.db" --data "$OUT/g36k" --port 0 --no-access-log \
  --rate-limit 1000000 --rate-burst 1000000 > "$OUT/serve.out" 2> "$OUT/serve.log" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do grep -q "^listening on" "$OUT/serve.out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$OUT/serve.out")
[ -n "$port" ] || { echo "log bytes: the server did not start"; cat "$OUT/serve.log"; exit 1; }

python3 - "$port" "$key" "$need" "$N" <<'PY'
import http.client, json, sys
port, key, need, n = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
conn = http.client.HTTPConnection("127.0.0.1", port)
body = json.dumps({"need_id": need, "k": 10})
headers = {"Authorization": "Bearer " + key, "Content-Type": "application/json"}
for i in range(n):
    conn.request("POST", "/v1/match", body, headers)
    response = conn.getresponse()
    response.read()
    if response.status != 200:
        sys.exit(f"request {i}: {response.status}")
PY
kill -TERM "$server"; wait "$server" 2>/dev/null || true  # SIGTERM writes what is queued
trap - EXIT

rows=$(sqlite3 "$OUT/log.db" "SELECT COUNT(*) FROM ranking_log")
bytes=$(sqlite3 "$OUT/log.db" "SELECT SUM(pgsize) FROM dbstat WHERE name IN
  (SELECT name FROM sqlite_schema WHERE tbl_name = 'ranking_log')")
echo "binary: $BIN"
echo "rows: $rows (requests: $N)"
echo "ranking_log pages (table and indexes): $bytes bytes"
python3 -c "print('bytes per request: %.0f' % ($bytes / $rows))"
echo "results in $OUT"
