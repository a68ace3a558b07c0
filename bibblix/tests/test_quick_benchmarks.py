"""`make bench` runs these quick benchmarks after the national one: they must still run."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import bench_sip2_login  # noqa: E402


def test_sip2_login_benchmark_logs_in_against_its_loopback_test_server(monkeypatch, capsys):
    # The client refuses non-public addresses unless allowed (SSRF guard); the benchmark's
    # test server is on loopback, and a refused address made every login "unavailable".
    monkeypatch.setattr(bench_sip2_login, "LOGINS", 16)
    monkeypatch.setattr(bench_sip2_login, "THREADS", 2)
    bench_sip2_login.main()
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["pooled", "one"]
    assert all("logins/s" in line for line in lines)


pytestmark = pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")
