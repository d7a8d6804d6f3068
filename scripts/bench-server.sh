#!/usr/bin/env bash
# Cloud API throughput on loopback with wrk: authenticated reads (GET /v1/account) and credit
# charges (POST /v1/credits/charges, one SQLite write transaction each). Bounded: each run lasts
# DURATION, the server is stopped on exit. Figures go to docs/BENCHMARKS.md (## Cloud API).
#
#   scripts/bench-server.sh                 # 10 s per run, 32 connections
#   DURATION=5s CONNECTIONS=64 scripts/bench-server.sh
# Runs the chatframe-server that `make build-all` built (`make bench-server` does both;
# CHATFRAME_SERVER_BIN=path names another, e.g. a release build).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-1}
# The test build: dependencies are optimised in it (see [profile.dev.package."*"]).
BIN=${CHATFRAME_SERVER_BIN:-${CARGO_TARGET_DIR:-$HOME/.cache/chatframe-target}/debug/chatframe-server}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -x "$BIN" ] || { echo "$BIN is missing: run make build-all (or make bench-server)" >&2; exit 1; }

DATA=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
KEY=$("$BIN" admin create-account --data-dir "$DATA" --credits 1000000000 --rate-limit 1000000000 2>/dev/null)
CHATFRAME_RATE_LIMIT_BURST=1000000000 RUST_LOG=warn "$BIN" --data-dir "$DATA" --listen "127.0.0.1:$PORT" &
SERVER=$!
LUA=$(mktemp --suffix=.lua)
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA" "$LUA"' EXIT
for _ in $(seq 100); do curl -fs "$URL/v1/health" >/dev/null && break; sleep 0.1; done

cat > "$LUA" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"amount":1,"description":"bench"}'
LUA

echo "== authenticated reads: GET /v1/account ($CONNECTIONS connections, $DURATION)"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer $KEY" "$URL/v1/account"
echo
echo "== credit charges: POST /v1/credits/charges ($CONNECTIONS connections, $DURATION)"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer $KEY" -s "$LUA" "$URL/v1/credits/charges"
echo
echo "balance after the run: $(curl -fs -H "Authorization: Bearer $KEY" "$URL/v1/account" | python3 -c 'import json,sys; print(json.load(sys.stdin)["credits_remaining"])')"
