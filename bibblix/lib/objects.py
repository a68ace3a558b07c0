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
