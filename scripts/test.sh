#!/usr/bin/env bash
# The whole suite on SQLite, then the database tests (browser journeys aside) again on PostgreSQL when reachable.
# TECHISSUE_REQUIRE_POSTGRES=1 (set by .ci/run) turns an unreachable PostgreSQL into a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL="${TECHISSUE_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"

bash scripts/system-deps.sh

echo "== the suite on SQLite"
env -u DATABASE_URL "$BIN/python" -m pytest "$@"

if "$BIN/python" - "$PG_URL" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://"), connect_timeout=3).close()
except Exception as error:
    print(f"PostgreSQL is not reachable at {sys.argv[1]}: {error}")
    sys.exit(1)
PY
then
  echo "== the database tests on PostgreSQL ($PG_URL)"
  # The browser journeys ran against the same pages in the SQLite pass; what PostgreSQL changes (locks,
  # SKIP LOCKED, trigram search, COPY imports, outages) is in the other database tests. Leaving the
  # journeys out of this pass keeps the whole suite under ten minutes on two cores.
  DATABASE_URL="$PG_URL" "$BIN/python" -m pytest -m "db and not browser" "$@"
elif [ "${TECHISSUE_REQUIRE_POSTGRES:-0}" = "1" ]; then
  echo "PostgreSQL is required here (TECHISSUE_REQUIRE_POSTGRES=1) but is not reachable." >&2
  exit 1
else
  echo "PostgreSQL is not reachable: its pass is skipped (set TECHISSUE_REQUIRE_POSTGRES=1 to fail instead)."
fi
