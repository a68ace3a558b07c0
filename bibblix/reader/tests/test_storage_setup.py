"""`manage.py storage_setup` puts the reader's CORS rule on the bucket (idempotently) and
refuses a bucket everyone can read. Runs against moto's S3 server on loopback."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from .conftest import s3_bucket

pytest.importorskip("moto.server", reason="moto[server] (dev extra) is not installed")

BUCKET = "bibblix-setup"


@pytest.fixture
def bucket(s3_endpoint, monkeypatch):
    client, storages = s3_bucket(s3_endpoint, BUCKET, monkeypatch)
    with override_settings(
        STORAGES=storages, CSRF_TRUSTED_ORIGINS=["https://bibblix.example"], ALLOWED_HOSTS=["x"]
    ):
        yield client
    client.delete_bucket(Bucket=BUCKET)


def run(*args) -> list[str]:
    out = io.StringIO()
    call_command("storage_setup", *args, stdout=out)
    return out.getvalue().splitlines()


def test_the_cors_rule_is_applied_once_and_the_private_bucket_passes(bucket):
    lines = run()
    assert lines[0].startswith(f"bucket {BUCKET}: reachable at http://127.0.0.1:")
    assert lines[1] == "CORS: GET/HEAD with Range from https://bibblix.example: applied"
    assert lines[2:] == [
        "ACL: private (no grant to everyone)",
        "policy: none",
        f"bucket {BUCKET}: ready",
    ]
    (rule,) = bucket.get_bucket_cors(Bucket=BUCKET)["CORSRules"]
    assert rule["AllowedOrigins"] == ["https://bibblix.example"]
    assert set(rule["AllowedMethods"]) == {"GET", "HEAD"} and rule["AllowedHeaders"] == ["Range"]
    assert "Content-Range" in rule["ExposeHeaders"]
    again = run()
    assert again[1].endswith(": already in place")
    assert bucket.get_bucket_cors(Bucket=BUCKET)["CORSRules"] == [rule]


def test_other_cors_rules_are_kept_and_a_changed_origin_replaces_ours(bucket):
    other = {
        "ID": "uploads",
        "AllowedOrigins": ["https://staff.example"],
        "AllowedMethods": ["PUT"],
    }
    bucket.put_bucket_cors(Bucket=BUCKET, CORSConfiguration={"CORSRules": [other]})
    run()
    lines = run("--origin", "https://ny.example/")
    assert lines[1] == "CORS: GET/HEAD with Range from https://ny.example: applied"
    rules = {rule["ID"]: rule for rule in bucket.get_bucket_cors(Bucket=BUCKET)["CORSRules"]}
    assert set(rules) == {"uploads", "bibblix-reader"}
    assert rules["bibblix-reader"]["AllowedOrigins"] == ["https://ny.example"]


def test_without_trusted_origins_the_allowed_hosts_are_used(bucket):
    with override_settings(CSRF_TRUSTED_ORIGINS=[], ALLOWED_HOSTS=["bibblix.example", ".wild"]):
        assert run()[1].startswith("CORS: GET/HEAD with Range from https://bibblix.example:")


def test_a_public_acl_is_refused(bucket):
    bucket.put_bucket_acl(Bucket=BUCKET, ACL="public-read")
    with pytest.raises(CommandError, match=r"ACL: PUBLIC \(READ to AllUsers\)"):
        run()


def test_a_public_policy_is_refused(bucket):
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "everyone-reads",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{BUCKET}/*",
            }
        ],
    }
    bucket.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))
    with pytest.raises(CommandError, match="policy: PUBLIC .*everyone-reads"):
        run()
    bucket.delete_bucket_policy(Bucket=BUCKET)
    assert run()[-2] == "policy: none"


def test_a_missing_bucket_is_an_error(bucket, settings):
    default = settings.STORAGES["default"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**default, "OPTIONS": {**default["OPTIONS"], "bucket_name": "no-such"}},
    }
    with pytest.raises(CommandError, match="bucket no-such: not reachable"):
        run()


def test_local_storage_needs_nothing(settings):
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    assert run() == ["storage: local files (STORAGE_BACKEND is not s3), nothing to do"]
