from .services import get_patron


def patron(request) -> dict:
    return {"patron": get_patron(request)}
