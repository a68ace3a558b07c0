"""The deployment files hold together (docker may not run here, so this parses them): the
compose file has web, worker, scheduler, PostgreSQL, Redis and object storage with health
checks, runs commands that exist, and every variable it or the settings read is documented."""

import re

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands

ROOT = settings.BASE_DIR
LONG_RUNNING = {"web", "worker", "scheduler", "db", "redis", "objects"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def test_every_part_of_production_is_a_service_with_a_health_check(compose):
    services = compose["services"]
    assert set(services) >= LONG_RUNNING
    for name in LONG_RUNNING:
        check = services[name].get("healthcheck")
        assert check and check["test"], f"{name} has no health check"
        assert services[name].get("restart") == "unless-stopped", name
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    assert services["worker"]["command"][-1] == "run_worker"
    assert services["scheduler"]["command"][-1] == "scheduler"


def test_services_start_in_order_and_after_the_migrations(compose):
    services = compose["services"]
    for name in ("web", "worker", "scheduler"):
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )
    needs = services["migrate"]["depends_on"]
    assert needs["db"]["condition"] == needs["redis"]["condition"] == "service_healthy"
    every = set(services)
    for name, service in services.items():
        assert set(service.get("depends_on", {})) <= every, name


def test_the_commands_the_services_run_exist(compose):
    commands = get_commands()
    for name, service in compose["services"].items():
        command = service.get("command") or []
        if command[:2] == ["python", "manage.py"]:
            assert command[2] in commands, f"{name}: no command {command[2]}"


def test_every_variable_is_documented():
    docs = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    compose_text = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    settings_text = (ROOT / "bibblix" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r"^\s+([A-Z][A-Z0-9_]+):", compose_text, re.M))
    names |= set(re.findall(r'env(?:_int|_list|_bool)?\("([A-Z][A-Z0-9_]+)"', settings_text))
    names -= {"POSTGRES_DB", "POSTGRES_USER", "MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD", "BUCKET"}
    missing = sorted(name for name in names if f"`{name}`" not in docs)
    assert not missing, f"not in docs/deployment.md: {missing}"


def test_the_image_is_multi_stage_non_root_and_carries_built_assets():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert len(re.findall(r"^FROM ", dockerfile, re.M)) >= 3
    assert "npm ci" in dockerfile and "collectstatic" in dockerfile
    users = re.findall(r"^USER (\S+)", dockerfile, re.M)
    assert users and users[-1] not in ("root", "0")
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".git", ".env", "var", ".venv"} <= set(ignored)


def test_the_web_workers_each_listen_on_their_own_socket():
    """gunicorn's threaded workers accept connections whether or not they have a free thread, so
    on one shared socket a burst of kept-alive clients can all land on one worker while the other
    idles (measured: a third of the throughput in some runs). With --reuse-port each worker has
    its own socket and the kernel spreads new connections over them (docs/deployment.md)."""
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    command = re.search(r"^CMD \[(.*?)\]\s*$", dockerfile, re.M | re.S).group(1)
    assert '"gthread"' in command and '"--reuse-port"' in command
    assert "--reuse-port" in (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
