"""SIP2 logins per second against the local test server: pooled connections versus a new
connection (and SIP login) per child. Needs no database; prints figures only."""

import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bibblix.demo.sip2_testserver import Card, Sip2TestServer  # noqa: E402
from bibblix.patrons.providers.sip2 import provider  # noqa: E402
from bibblix.patrons.providers.sip2.client import ClientConfig  # noqa: E402

SIP_SECRET = "bench-only"  # noqa: S105 - a throwaway account on the local test server

LOGINS = 400
THREADS = 8


def run(settings: provider.ProviderSettings, fresh: bool) -> tuple[float, list[float]]:
    timings: list[float] = []
    lock = threading.Lock()

    def worker(count: int) -> None:
        for _ in range(count):
            started = time.perf_counter()
            if fresh:
                provider.close_pools()
            outcome = provider.check_card("bench", settings, "1001", "1234")
            assert outcome == "ok", outcome
            with lock:
                timings.append(time.perf_counter() - started)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(LOGINS // THREADS,)) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, sorted(timings)


def main() -> None:
    with Sip2TestServer({"1001": Card("1234")}, sc_user="u", sc_password=SIP_SECRET) as server:
        client = ClientConfig(
            "127.0.0.1",
            server.port,
            sc_user="u",
            sc_password=SIP_SECRET,
            timeout=5,
            # The test server is on loopback, which a library system may only be when allowed.
            allowed_networks=("127.0.0.0/8",),
        )
        settings = provider.ProviderSettings(client=client, pool_size=4)
        for label, fresh in [("pooled (4 connections)", False), ("one connection each", True)]:
            before = server.state.connections
            elapsed, timings = run(settings, fresh)
            p95 = timings[int(len(timings) * 0.95)] * 1000
            print(
                f"{label:24} {LOGINS / elapsed:7.0f} logins/s  p95 {p95:6.1f} ms  "
                f"connections opened {server.state.connections - before}"
            )
            provider.close_pools()


if __name__ == "__main__":
    main()
