"""A bounded pool of logged-in SIP2 connections for one library system.

A busy evening must not open a socket (and a SIP login) per child: connections are reused.
At most `max_size` are open at once; a request waits for a free one until its deadline. A
connection that breaks is closed and dropped; a reused one that turns out stale is replaced once.
"""

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from .client import Client, ConnectionBroken, Unavailable, remaining

T = TypeVar("T")


class Pool:
    """Reusable connections made by `factory(deadline)` (which connects and logs in)."""

    def __init__(
        self,
        factory: Callable[[float], Client],
        max_size: int = 4,
        max_idle_seconds: float = 60.0,
    ):
        self.factory = factory
        self.max_size = max_size
        self.max_idle_seconds = max_idle_seconds
        self._slots = threading.BoundedSemaphore(max_size)
        self._idle: list[Client] = []
        self._lock = threading.Lock()
        self.opened = 0  # connections made over the pool's life (for tests and figures)

    def run(self, operation: Callable[[Client], T], deadline: float) -> T:
        """Run `operation` on a pooled connection; retry once on a fresh one when a reused
        connection was found broken (the library system closed it while idle)."""
        if not self._slots.acquire(timeout=remaining(deadline)):
            raise Unavailable("all connections busy")
        try:
            for attempt in range(2):
                client, reused = self._take(deadline)
                try:
                    result = operation(client)
                except ConnectionBroken:
                    client.close()
                    if reused and attempt == 0:
                        continue
                    raise
                except BaseException:
                    # Garbled or late replies leave the stream out of step: never reuse it.
                    client.close()
                    raise
                self._give_back(client)
                return result
            raise Unavailable("unreachable")  # pragma: no cover - the loop returns or raises
        finally:
            self._slots.release()

    def _take(self, deadline: float) -> tuple[Client, bool]:
        now = time.monotonic()
        with self._lock:
            while self._idle:
                client = self._idle.pop()
                if now - client.last_used < self.max_idle_seconds:
                    return client, True
                client.close()
        client = self.factory(deadline)
        with self._lock:
            self.opened += 1
        return client, False

    def _give_back(self, client: Client) -> None:
        with self._lock:
            self._idle.append(client)

    @property
    def idle_count(self) -> int:
        with self._lock:
            return len(self._idle)

    def close_all(self) -> None:
        """Close every idle connection (busy ones close when they come back broken)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for client in idle:
            client.close()
