"""Demo cards in the local card register of every demo library."""

from django.contrib.auth.hashers import make_password

from bibblix.members import services as members
from bibblix.patrons.models import LoginProvider
from bibblix.patrons.services import add_local_card, set_login_provider

DEMO_PIN = "1234"
CARDS = [  # (card number, blocked, child's card)
    ("10000001", False, True),
    ("10000002", False, True),
    ("10000003", False, True),
    ("10000008", False, False),
    ("10000009", True, False),
]


def load(out=print) -> None:
    libraries = list(members.connected_libraries())
    pin_hash = make_password(DEMO_PIN)  # one hash for the shared demo PIN keeps the load fast
    for library in libraries:
        # Every demo library uses the local register: a SIP2 demo would need a real server.
        set_login_provider(library, LoginProvider.Kind.LOCAL)
        for card, blocked, child in CARDS:
            add_local_card(
                library, card, DEMO_PIN, is_blocked=blocked, is_child=child, pin_hash=pin_hash
            )
    out(
        f"  patrons: {len(CARDS)} demo cards in each of {len(libraries)} libraries' local registers"
    )


def describe() -> list[str]:
    return [
        f"Library cards (any demo library), PIN {DEMO_PIN}: 10000001, 10000002, 10000003",
        "  10000008 is an adult's card (refused), 10000009 is blocked (refused)",
    ]
