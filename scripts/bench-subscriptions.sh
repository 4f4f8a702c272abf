#!/usr/bin/env bash
# Subscriptions under load: SUBSCRIBERS graphql-transport-ws subscribers on one
# replica (release build, PostgreSQL, the demo data) while a writer renames
# organizations at RATE writes per second for DURATION seconds; prints the figures as
# JSON (memory per subscriber, deliveries, latency from write to event).
#
#   SUBSCRIBERS=1000 RATE=100 DURATION=20 scripts/bench-subscriptions.sh
#
# Subscribers are spread over four rule sets (staff, anonymous, two partners),
# so each event is read four times by the server, not once per subscriber.
# Needs PostgreSQL at PG_URL (default postgres://postgres@127.0.0.1:5432) and
# Node.js; makes and drops the database BENCH_DB.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/partners-target}"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
BENCH_DB="${BENCH_DB:-partners_subscriptions}"
PORT="${PORT:-18900}"
SUBSCRIBERS="${SUBSCRIBERS:-1000}"
RATE="${RATE:-100}"
DURATION="${DURATION:-20}"

cargo build --release -p api >&2
api="$CARGO_TARGET_DIR/release/api"
(cd scripts/subscriptions-bench && npm ci --no-audit --no-fund --loglevel=error >&2)

psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" -c "CREATE DATABASE $BENCH_DB"
export JWT_SECRET="bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export DATABASE_URL="$PG_URL/$BENCH_DB?sslmode=disable"
log=$(mktemp)
PORT="$PORT" DEMO_DATA=true RUST_LOG=warn "$api" serve >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)"; rm -f "$log"' EXIT
for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 1; done
curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null

query() { psql "$DATABASE_URL" -Atc "$1"; }
partners=($(query "SELECT id FROM organizations WHERE NOT is_home ORDER BY id LIMIT 2"))
orgs=$(query "SELECT string_agg(id || ':' || version, ',') FROM (SELECT id, version FROM organizations ORDER BY id LIMIT 50) o")
# Global ids: base64url of "Organization:<id>".
org_ids=$(printf '%s' "$orgs" | tr ',' '\n' | while IFS=: read -r id version; do
  printf '%s:%s,' "$(printf 'Organization:%s' "$id" | base64 | tr '+/' '-_' | tr -d '=')" "$version"
done)
token() { "$api" token --ttl 2h "$@"; }
writer=$(token --role admin)
tokens="$(token --role staff),,$(token --role partner --org "${partners[0]}"),$(token --role partner --org "${partners[1]}")"

node scripts/subscriptions-bench/load.mjs --url "http://127.0.0.1:$PORT/graphql" --pid "$server" \
  --subscribers "$SUBSCRIBERS" --rate "$RATE" --seconds "$DURATION" \
  --writer-token "$writer" --tokens "$tokens" --orgs "${org_ids%,}"
