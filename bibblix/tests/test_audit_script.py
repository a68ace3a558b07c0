"""scripts/audit.sh fails on known vulnerabilities and never reports an audit it could not make
(pip-audit and npm are replaced by stand-ins that answer like the real tools)."""

import os
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FOUND = "Found 1 known vulnerability in 1 package\nName Version ID Fix\nfoo 1.0 PYSEC-1 1.1"
SKIPPED = (
    "No known vulnerabilities found\n"
    "django Dependency not found on PyPI and could not be audited: django (5.2)"
)
CLEAN = "No known vulnerabilities found"
NPM_CLEAN = '{"vulnerabilities": {}, "metadata": {"vulnerabilities": {"total": 0}}}'
NPM_DOWN = ""


def _stand_in(folder: Path, name: str, output: str, status: int) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\ncat <<'OUT'\n{output}\nOUT\nexit {status}\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def _run(tmp_path, pip: tuple[str, int], npm: tuple[str, int], strict=False):
    _stand_in(tmp_path, "pip-audit", *pip)
    _stand_in(tmp_path, "npm", *npm)
    environment = dict(os.environ, BIN=str(tmp_path), PATH=f"{tmp_path}:{os.environ['PATH']}")
    environment["AUDIT_STRICT"] = "1" if strict else "0"
    return subprocess.run(
        ["bash", "scripts/audit.sh"], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_known_python_vulnerability_fails(tmp_path):
    result = _run(tmp_path, (FOUND, 1), (NPM_CLEAN, 0))
    assert result.returncode == 1
    assert "known vulnerabilities in Python packages" in result.stderr


def test_known_npm_vulnerability_fails(tmp_path):
    report = '{"vulnerabilities": {"x": {}}, "metadata": {"vulnerabilities": {"total": 1}}}'
    result = _run(tmp_path, (CLEAN, 0), (report, 1))
    assert result.returncode == 1
    assert "known vulnerabilities in front-end packages" in result.stderr


def test_clean_audit_passes(tmp_path):
    result = _run(tmp_path, (CLEAN, 0), (NPM_CLEAN, 0))
    assert result.returncode == 0, result.stderr
    assert "NOT audited" not in result.stderr


@pytest.mark.parametrize("strict,status", [(False, 0), (True, 1)])
def test_unreachable_advisories_say_not_audited_and_fail_only_when_strict(tmp_path, strict, status):
    result = _run(tmp_path, (SKIPPED, 0), (NPM_DOWN, 1), strict=strict)
    assert result.returncode == status
    assert "NOT audited: Python packages" in result.stderr
    assert "NOT audited: npm packages" in result.stderr
