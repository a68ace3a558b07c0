#!/usr/bin/env bash
# The whole suite, twice: on SQLite (the embedded default) and on PostgreSQL (production).
# Without a reachable PostgreSQL the second leg is not run, and this says so plainly;
# with REQUIRE_POSTGRES=1 (as in CI) that is a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
status=0

echo "=== Test leg 1/2: SQLite ==="
DATABASE_URL="sqlite:///$PWD/var/test-unused.sqlite3" $PY -m pytest "$@" || status=1

if $PY - "$PG_URL" <<'PYEOF' 2>/dev/null
import sys, psycopg
psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://"), connect_timeout=3).close()
PYEOF
then
  echo "=== Test leg 2/2: PostgreSQL ($PG_URL) with Redis and the S3 test server ==="
  # Production shape: the shared cache in Redis (its own database number) and the object
  # storage tests against moto's S3 server on loopback (bibblix/reader/tests/test_object_storage.py,
  # part of the suite; it needs the dev extra's moto[server]).
  $PY -c "import moto.server" || { echo "!!! moto[server] missing: pip install -e '.[dev]'"; status=1; }
  REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379/15}" DATABASE_URL="$PG_URL" \
    $PY -m pytest "$@" || status=1
  # The read replica, as a second alias on the same server.
  REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379/15}" DATABASE_URL="$PG_URL" \
    DATABASE_REPLICA_URL="$PG_URL" $PY -m pytest bibblix/tests/test_replica.py -q || status=1
  echo "Both legs ran: SQLite and PostgreSQL."
else
  echo "!!! PostgreSQL leg NOT RUN: no PostgreSQL answered at $PG_URL."
  echo "!!! Only the SQLite leg ran. Start PostgreSQL or set TEST_POSTGRES_URL to run both."
  if [ "${REQUIRE_POSTGRES:-0}" = "1" ]; then status=1; fi
fi
exit $status
