"""Stored files on object storage (S3) without copying them into the web worker.

- `presigned_url` gives a short-lived URL the browser fetches from the bucket itself (the web
  worker only redirects to it), or None for local files, which the worker serves as before.
- `open_ranged` opens a stored file as a seekable file that reads only the byte ranges asked
  for (HTTP Range on GetObject), so `zipfile` reads a book's central directory and one entry
  instead of the whole EPUB (django-storages' S3File would download the whole object)."""

import io


def is_remote(storage) -> bool:
    """Whether `storage` keeps files somewhere other than this machine's disk."""
    try:
        storage.path("probe")
    except NotImplementedError:
        return True
    return False


def presigned_url(storage, name: str, seconds: int, content_type: str = "") -> str | None:
    if not is_remote(storage):
        return None
    parameters = {"ResponseCacheControl": "private, no-store"}
    if content_type:
        parameters["ResponseContentType"] = content_type
    return storage.url(name, parameters=parameters, expire=seconds)


class _RangedObject(io.RawIOBase):
    def __init__(self, client, bucket: str, key: str, size: int):
        self.client, self.bucket, self.key, self.size, self.position = client, bucket, key, size, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.position = max(0, base + offset)
        return self.position

    def readinto(self, buffer) -> int:
        if self.position >= self.size or not len(buffer):
            return 0
        end = min(self.position + len(buffer), self.size) - 1
        reply = self.client.get_object(
            Bucket=self.bucket, Key=self.key, Range=f"bytes={self.position}-{end}"
        )
        data = reply["Body"].read()
        buffer[: len(data)] = data
        self.position += len(data)
        return len(data)


def open_ranged(storage, name: str, buffer_size: int = 64 * 1024):
    """A seekable binary file over stored `name`: ranged reads on S3, the file itself locally."""
    if not is_remote(storage):
        return storage.open(name, "rb")
    key = storage._normalize_name(name)  # django-storages' key for the name (location prefix)
    raw = _RangedObject(
        storage.connection.meta.client, storage.bucket.name, key, storage.size(name)
    )
    return io.BufferedReader(raw, buffer_size=buffer_size)


# --- Bucket set-up (`manage.py storage_setup`) ----------------------------------------------

CORS_RULE_ID = "bibblix-reader"
_EVERYONE = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)


def cors_rule(origins: list[str]) -> dict:
    """The reader fetches the book file from the bucket by script, in byte ranges."""
    return {
        "ID": CORS_RULE_ID,
        "AllowedOrigins": sorted(origins),
        "AllowedMethods": ["GET", "HEAD"],
        "AllowedHeaders": ["Range"],
        "ExposeHeaders": ["Accept-Ranges", "Content-Length", "Content-Range", "ETag"],
        "MaxAgeSeconds": 3600,
    }


def _error_code(error) -> str:
    return getattr(error, "response", {}).get("Error", {}).get("Code", "")


def _same_rule(a: dict, b: dict) -> bool:
    keys = ("AllowedOrigins", "AllowedMethods", "AllowedHeaders", "ExposeHeaders")
    return all(sorted(a.get(k, [])) == sorted(b.get(k, [])) for k in keys) and a.get(
        "MaxAgeSeconds"
    ) == b.get("MaxAgeSeconds")


def apply_cors(client, bucket: str, origins: list[str]) -> bool:
    """Put our CORS rule on the bucket, keeping other rules; False when it was already there."""
    from botocore.exceptions import ClientError

    wanted = cors_rule(origins)
    try:
        rules = client.get_bucket_cors(Bucket=bucket).get("CORSRules", [])
    except ClientError as error:
        if _error_code(error) != "NoSuchCORSConfiguration":
            raise
        rules = []
    ours = [rule for rule in rules if rule.get("ID") == CORS_RULE_ID]
    if len(ours) == 1 and _same_rule(ours[0], wanted):
        return False
    others = [rule for rule in rules if rule.get("ID") != CORS_RULE_ID]
    client.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": [*others, wanted]})
    return True


def public_acl_grants(client, bucket: str) -> list[str]:
    """Permissions the bucket's ACL gives to everyone (or every AWS account)."""
    grants = client.get_bucket_acl(Bucket=bucket).get("Grants", [])
    return [
        f"{grant['Permission']} to {grant['Grantee']['URI'].rsplit('/', 1)[-1]}"
        for grant in grants
        if grant.get("Grantee", {}).get("URI") in _EVERYONE
    ]


def public_policy_statements(client, bucket: str) -> list[str] | None:
    """Sids (or actions) of bucket-policy statements that allow anyone; None without a policy."""
    import json

    from botocore.exceptions import ClientError

    try:
        policy = json.loads(client.get_bucket_policy(Bucket=bucket)["Policy"])
    except ClientError as error:
        if _error_code(error) in {"NoSuchBucketPolicy", "NoSuchPolicy"}:
            return None
        raise
    statements = policy.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    public = []
    for statement in statements:
        principal = statement.get("Principal")
        anyone = principal == "*" or (
            isinstance(principal, dict) and "*" in _as_list(principal.get("AWS"))
        )
        if statement.get("Effect") == "Allow" and anyone:
            public.append(statement.get("Sid") or ",".join(_as_list(statement.get("Action"))))
    return public


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
