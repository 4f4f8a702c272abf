#!/usr/bin/env bash
# Soak: the release build on PostgreSQL (the demo data) under a steady load of
# README's and DESIGN's example operations (as staff, a partner and anonymous
# callers) and writes, for SOAK_SECONDS (default 600); prints requests, errors
# and the server's RSS every 10 s, then a summary (0 errors and the last
# minute's RSS within 10 % of the second minute's pass).
#
#   SOAK_SECONDS=600 READS=100 WRITES=5 scripts/soak.sh
#
# Needs PostgreSQL at PG_URL (default postgres://postgres@127.0.0.1:5432) and
# Python 3; makes and drops the database SOAK_DB.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/partners-target}"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
SOAK_DB="${SOAK_DB:-partners_soak}"
PORT="${PORT:-18950}"
SOAK_SECONDS="${SOAK_SECONDS:-600}"
READS="${READS:-100}"
WRITES="${WRITES:-5}"

cargo build --release -p api >&2
api="$CARGO_TARGET_DIR/release/api"

psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $SOAK_DB WITH (FORCE)" -c "CREATE DATABASE $SOAK_DB"
export JWT_SECRET="soak-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export DATABASE_URL="$PG_URL/$SOAK_DB?sslmode=disable"
log=$(mktemp)
PORT="$PORT" DEMO_DATA=true RUST_LOG=warn "$api" serve >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $SOAK_DB WITH (FORCE)"; rm -f "$log"' EXIT
for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 1; done
curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null

partner=$(psql "$DATABASE_URL" -Atc "SELECT id FROM organizations WHERE NOT is_home ORDER BY id LIMIT 1")
token() { "$api" token --ttl 2h "$@"; }
python3 scripts/soak/soak.py --url "http://127.0.0.1:$PORT/graphql" --pid "$server" \
  --seconds "$SOAK_SECONDS" --reads "$READS" --writes "$WRITES" \
  --readme "$root/README.md" --design "$root/bench/queries" \
  --staff "$(token --role staff --sub soak-staff)" \
  --partner "$(token --role partner --org "$partner" --sub soak-partner)" \
  --writer "$(token --role admin --sub soak-writer)"
status=$?
if grep -q "panicked" "$log"; then
  echo "the server panicked:" >&2
  grep -m5 "panicked" "$log" >&2
  exit 1
fi
exit $status
