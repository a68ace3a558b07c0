#!/usr/bin/env bash
# Known vulnerabilities in our pinned dependencies: pip-audit for PyPI, npm audit for the
# front-end's runtime packages. Fails on any known vulnerability. When the advisory service
# cannot be reached (an offline machine), prints a loud "NOT audited" line and passes, unless
# AUDIT_STRICT=1, where not being able to audit fails too.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
status=0

not_audited() {
  echo "!!!!!!!! NOT audited: $1 (advisory service unreachable) !!!!!!!!" >&2
  if [ "${AUDIT_STRICT:-0}" = "1" ]; then status=1; fi
}

# pip-audit audits the installed environment (the pins of pyproject.toml, dev tools included).
pip_out=$("$BIN/pip-audit" --progress-spinner off --skip-editable 2>&1)
pip_status=$?
grep -v "could not be audited" <<<"$pip_out"
# Without the advisory service pip-audit still says "No known vulnerabilities found" but skips
# every package as "could not be audited": that is no audit at all.
unaudited=$(grep -c "could not be audited" <<<"$pip_out" || true)
if grep -qE "^Found [0-9]+ known vulnerabilit" <<<"$pip_out"; then
  echo "pip-audit: known vulnerabilities in Python packages" >&2
  status=1
elif [ "$unaudited" -gt 0 ] || [ $pip_status -ne 0 ]; then
  echo "pip-audit: $unaudited packages could not be audited (exit $pip_status)" >&2
  not_audited "Python packages"
fi

# npm audit: JSON tells a report (with counts) from a failed request.
npm_out=$(npm audit --prefix frontend --omit=dev --json 2>/dev/null)
npm_status=$?
if grep -q '"vulnerabilities"' <<<"$npm_out" && grep -q '"metadata"' <<<"$npm_out"; then
  if [ $npm_status -ne 0 ]; then
    npm audit --prefix frontend --omit=dev 2>&1 | tail -40
    echo "npm audit: known vulnerabilities in front-end packages" >&2
    status=1
  else
    echo "npm audit: no known vulnerabilities in front-end runtime packages"
  fi
else
  not_audited "npm packages"
fi
exit $status
