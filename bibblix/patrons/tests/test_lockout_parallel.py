"""Parallel logins cannot get past the limits: each PIN check is reserved before it is made.

A slow library system is stood in for by a check_card that waits until every thread has either
reached it or been turned away, so all requests are in flight together (no sleeping).
"""

import threading

import pytest

from bibblix.patrons import lockout, services

THREADS = 40


@pytest.fixture
def slow_provider(monkeypatch, ale_library):
    """check_card blocks until the test releases it; counts the PIN checks made."""
    monkeypatch.setattr("bibblix.members.services.is_connected", lambda *args, **kw: True)
    ale_library.municipality  # noqa: B018 - load it here: the threads do not touch the database
    # Nor do they write the usage log: rows committed by the threads' own connections would
    # outlive this test's transaction and leak into later tests.
    monkeypatch.setattr(services.usage, "record_quietly", lambda *args, **kwargs: None)
    state = {"checks": 0, "arrived": threading.Semaphore(0), "release": threading.Event()}
    lock = threading.Lock()

    def check_card(library, card, pin):
        with lock:
            state["checks"] += 1
        state["arrived"].release()
        state["release"].wait(timeout=10)
        return "invalid"

    monkeypatch.setattr(services, "check_card", check_card)
    return state


def run_together(state, attempt) -> list[str]:
    """Run `attempt(i)` in THREADS threads at once; the checks return once all have arrived."""
    reasons: list[str] = [""] * THREADS

    def worker(number: int) -> None:
        try:
            reasons[number] = attempt(number).reason
        finally:
            if not state["release"].is_set():
                state["arrived"].release()  # turned away without a check: counts as arrived

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for _ in range(THREADS):
        assert state["arrived"].acquire(timeout=10)
    state["release"].set()
    for thread in threads:
        thread.join(timeout=10)
    return reasons


def test_forty_parallel_logins_on_one_card_check_at_most_five_pins(ale_library, slow_provider):
    reasons = run_together(
        slow_provider, lambda n: services.authenticate(ale_library, "20000001", f"{n:04d}")
    )
    assert slow_provider["checks"] <= lockout.CARD_FAILURES
    assert reasons.count("locked") >= THREADS - lockout.CARD_FAILURES


def test_parallel_logins_from_one_address_check_at_most_the_address_limit(
    rf, ale_library, slow_provider, monkeypatch
):
    monkeypatch.setattr(lockout, "ADDRESS_FAILURES", 10)
    request = rf.post("/", REMOTE_ADDR="198.51.100.7")
    reasons = run_together(
        slow_provider,
        lambda n: services.log_in(request, ale_library, f"5{n:07d}", "0000"),
    )
    assert slow_provider["checks"] <= 10
    assert reasons.count("slowed") >= THREADS - 10
