"""The page table of bench_pages, measured in process: queries, Redis round trips and CPU per request.

Where wrk's req/s move with whatever else the machine runs, these do not: the production settings
of bench_pages (BIBBLIX_ENV=production, PostgreSQL, Redis) and Django's WSGI handler as gunicorn
calls it, without the network. Each page is asked a few times first (so it is built and cached),
then PROFILE_REQUESTS (500) times. Uses bench_pages' database (BENCH_PAGES_DATABASE_URL, loaded
by `make bench-pages`) and REDIS_URL; arguments pick pages by name ("book", "/my/").
PROFILE=1 prints cProfile's top functions (PROFILE_SORT, by default cumulative) for each page.
"""

import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench_pages  # noqa: E402 (after the path)

REQUESTS = int(os.environ.get("PROFILE_REQUESTS", "500"))


class Counts:
    """Database queries and Redis round trips (a pipeline is one) while `counting`."""

    def __init__(self) -> None:
        import redis
        from redis.client import Pipeline

        self.queries = self.round_trips = 0
        counts = self
        command, pipeline = redis.Redis.execute_command, Pipeline.execute

        def counted_command(client, *args, **kwargs):
            counts.round_trips += 1
            return command(client, *args, **kwargs)

        def counted_pipeline(pipe, *args, **kwargs):
            counts.round_trips += 1
            return pipeline(pipe, *args, **kwargs)

        redis.Redis.execute_command = counted_command
        Pipeline.execute = counted_pipeline

    def query(self, execute, sql, params, many, context):
        self.queries += 1
        return execute(sql, params, many, context)


def environ(path: str, cookie: str) -> dict:
    """A GET as gunicorn hands it to Django (over TLS at the proxy, as bench_pages sends it)."""
    path, _, query = path.partition("?")
    env = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_ACCEPT_ENCODING": "gzip",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }
    if cookie:
        env["HTTP_COOKIE"] = cookie
    return env


def main() -> None:
    env = bench_pages.environment()
    os.environ.update(env)
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    table = bench_pages.pages(*bench_pages.probe(env))
    chosen = [page for page in table if not sys.argv[1:] or any(a in page[0] for a in sys.argv[1:])]
    app = WSGIHandler()
    counts = Counts()
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = status

    def ask(path: str, cookie: str) -> bytes:
        return b"".join(app(environ(path, cookie), start_response))

    print(f"{'page':<16} {'status':<8} {'queries':>7} {'redis':>6} {'cpu ms':>7} {'wall ms':>8}")
    for name, path, cookie in chosen:
        for _ in range(3):
            ask(path, cookie)
        counts.queries = counts.round_trips = 0
        with connection.execute_wrapper(counts.query):
            cpu, wall = time.process_time(), time.perf_counter()
            for _ in range(REQUESTS):
                ask(path, cookie)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        print(
            f"{name:<16} {answer['status'][:3]:<8} {counts.queries / REQUESTS:>7.2f} "
            f"{counts.round_trips / REQUESTS:>6.2f} {cpu / REQUESTS * 1000:>7.3f} "
            f"{wall / REQUESTS * 1000:>8.3f}",
            flush=True,
        )
        if os.environ.get("PROFILE") == "1":
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(REQUESTS):
                ask(path, cookie)
            profile.disable()
            stats = pstats.Stats(profile)
            stats.sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(40)
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
