#!/usr/bin/env bash
# Benchmarks: each benchmarks/bench_*.py is a standalone script that prints its figures.
# They run on SQLite and, when one answers, on PostgreSQL (BENCH_DATABASE_URL).
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
for script in benchmarks/bench_*.py; do
  [ -e "$script" ] || { echo "no benchmarks yet"; exit 0; }
  echo "=== $script ==="
  .venv/bin/python "$script" || status=1
done
exit $status
