#!/usr/bin/env bash
# Benchmarks: each benchmarks/bench_*.py is a standalone script that prints its figures.
#
# `make bench` runs the national-scale benchmark (bench_national.py: the page and feed table at
# 3,000 and 100,000 books, borrowing, the national dashboard, search and worker memory, on
# PostgreSQL with Redis) and the quick ones below: on a quiet 2-core machine 12 minutes from
# nothing (building the national databases takes 7) and under 5 with them kept. The others (bench_pages on SQLite, bench_borrow,
# bench_insights, bench_search, bench_import, bench_opds, bench_reader) each build their own data
# and would take it well past that; they run by their own make targets or all together with
# `make bench-all` (BENCH_ALL=1).
set -uo pipefail
cd "$(dirname "$0")/.."
if [ "${BENCH_ALL:-0}" = "1" ]; then
  scripts=(benchmarks/bench_*.py)
else
  scripts=(benchmarks/bench_national.py benchmarks/bench_members.py
           benchmarks/bench_billing_run.py benchmarks/bench_sip2_login.py)
fi
status=0
for script in "${scripts[@]}"; do
  [ -e "$script" ] || { echo "no benchmarks yet"; exit 0; }
  echo "=== $script ==="
  .venv/bin/python "$script" || status=1
done
exit $status
